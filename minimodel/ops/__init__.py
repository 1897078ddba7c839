"""The operations on tensors and their gradients, one kind a module.

Each module defines a mixin class (``PointwiseMixin``, ``ArithMixin``, ...) whose methods are
the operations; :class:`~minimodel.Tensor` inherits them all, so ``t.exp()``, ``t * 2`` and
their docstrings are where type checkers and the reference see them. The functional forms
(``minimodel.exp``) are the same functions: ``exp = PointwiseMixin.exp`` at the bottom of the
module. These modules cannot import ``Tensor`` (it inherits from them): they name it under
``TYPE_CHECKING``, and :mod:`minimodel.tensor` sets the module global once the class exists.

One way to write an operation and its gradient: compute the result with NumPy, then
:func:`~minimodel.autograd.record` it with its backward function, a :func:`functools.partial`
of a function defined right below the operation (a static method of the mixin) that takes the
saved values first and the upstream gradient ``g`` last, and returns one gradient per input
(None for an input that needs none). A partial rather than a closure or a lambda: it allocates
fewer objects per recorded node, so the garbage collector runs less often on long graphs.
``saved`` names what PyTorch's node saves, so that backward through a tensor changed in place
since raises PyTorch's error. For example::

    class PointwiseMixin:
        def sin(self: Tensor) -> Tensor:
            x = self._data
            backward = partial(PointwiseMixin._sin_backward, x)
            return record(np.sin(x), (self,), "SinBackward0", backward, (self,))

        @staticmethod
        def _sin_backward(x: np.ndarray, g: np.ndarray) -> tuple[np.ndarray]:
            return (g * np.cos(x),)

Families of operations share a helper that does the recording: ``pointwise._unary`` and
``arith._binary`` take the derivative as a function of ``(g, x, out)`` or ``(g, a, b, out)``.
"""
