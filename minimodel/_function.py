"""``minimodel.autograd.Function``: operations defined by a forward and a hand-written backward.

A subclass writes ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` as static methods
on tensors, and is called as ``MyFunction.apply(*args)``. The forward runs without recording;
:func:`~minimodel.autograd.record` then attaches one graph node, named ``MyFunctionBackward`` as
in PyTorch, whose backward calls the subclass's ``backward`` and checks what it returns as
PyTorch does (the number of gradients, their shapes; gradients are cast to the inputs' dtypes).

As in PyTorch, the tensors saved for backward are checked when ``ctx.saved_tensors`` reads them
(an in-place change since raises PyTorch's error), and a backward pass without ``retain_graph``
frees them: reading them again raises, while a backward that does not read them can run again.

Differences from PyTorch: ``ctx.mark_dirty`` (in-place forwards) and higher-order gradients
(``create_graph``) are not supported. With several differentiable outputs, each output's
``grad_fn`` is a node of its own (named like the function's) that feeds the function's node.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .autograd import _grad_mode, _pass, check_versions, counter_of, freed_error, no_grad, record
from .ops._util import unbroadcast
from .tensor import Tensor

__all__ = ["Function", "FunctionCtx"]


class FunctionCtx:
    """The ``ctx`` passed to a :class:`Function`'s ``forward`` and ``backward``: it carries what
    the backward needs.

    Attributes:
        needs_input_grad: for each argument of ``forward``, whether it is a tensor that
            requires grad (skip computing the gradients nobody needs).
    """

    needs_input_grad: tuple[bool, ...]

    def __init__(self) -> None:
        self._saved: tuple[Tensor | None, ...] = ()
        self._non_differentiable: set[int] = set()
        self.materialize_grads = True
        # Set by Function.apply: what reading the saved tensors checks (see _Recording.keep).
        self._versions: tuple = ()
        self._node: Any = None
        self._freed = False

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep tensors (or None) for the backward, which reads them as :attr:`saved_tensors`.

        Args:
            tensors: the tensors to save.
        """
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"save_for_backward can only save variables, but argument {i} is of type "
                    f"{type(t).__name__}"
                )
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The tensors given to :meth:`save_for_backward`.

        Reading them raises PyTorch's errors if one has been changed in place since, or if a
        backward pass without ``retain_graph`` has freed them.
        """
        if self._freed:
            raise freed_error()
        if self._versions:
            check_versions(self._node, self._versions)
        return self._saved

    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """Mark outputs that get no gradient (indices, masks): they do not require grad, and
        the backward receives zeros for them.

        Args:
            outputs: outputs of ``forward``.
        """
        self._non_differentiable.update(id(t) for t in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """Whether the backward receives zeros (True, the default) or None for outputs that got
        no gradient.

        Args:
            value: the setting.
        """
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Not supported: minimodel's custom functions cannot modify their inputs in place.

        Args:
            tensors: the inputs modified in place.
        """
        raise NotImplementedError(
            "minimodel's autograd.Function does not support mark_dirty (in-place forwards)"
        )


class Function:
    r"""Base class of custom differentiable operations.

    Subclass it with two static methods, then call ``apply``::

        forward(ctx, *args) -> Tensor or tuple   (runs without recording)
        backward(ctx, *grad_outputs) -> one gradient (or None) per argument of forward

    Example::

        >>> class Cube(Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x**3
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         (x,) = ctx.saved_tensors
        ...         return grad_output * 3 * x**2
        >>> x = minimodel.tensor([1.0, 2.0], requires_grad=True)
        >>> y = Cube.apply(x)
        >>> y.grad_fn.name()
        'CubeBackward'
        >>> y.sum().backward()
        >>> x.grad
        tensor([ 3., 12.])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions are all "
            "static, so you should invoke them on the class itself. Instantiating an autograd "
            "function will raise an error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any) -> Any:
        """Compute the outputs from the arguments (override it)."""
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        """Compute the gradient of each argument of ``forward`` from the gradient of each of
        its outputs (override it)."""
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run ``forward`` on ``args`` and record the operation for the backward pass."""
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with no_grad():
            result = cls.forward(ctx, *args)
        inputs = tuple(a for a in args if isinstance(a, Tensor))
        if not (_grad_mode.enabled and any(t.requires_grad for t in inputs)):
            return result
        outputs = result if isinstance(result, tuple) else (result,)
        graph = _Recording(cls, ctx, args, inputs, outputs)
        recorded = tuple(graph.output(i, out) for i, out in enumerate(outputs))
        graph.keep(outputs, recorded)
        return recorded if isinstance(result, tuple) else recorded[0]


class _Recording:
    """The graph node(s) of one ``apply``: a single node for a single differentiable output;
    for several, a hub node (the function's) fed by one node per output."""

    def __init__(
        self, cls: type[Function], ctx: FunctionCtx, args: tuple, inputs: tuple, outputs: tuple
    ):
        self.cls, self.ctx, self.args, self.inputs = cls, ctx, args, inputs
        self.name = f"{cls.__name__}Backward"
        self.tensor_outputs = [o for o in outputs if isinstance(o, Tensor)]
        self.differentiable = [
            o
            for o in self.tensor_outputs
            if id(o) not in ctx._non_differentiable and o._data.dtype.kind == "f"
        ]
        self.hub: Tensor | None = None
        self.reached: set[int] = set()
        # The nodes save nothing the engine checks or frees: ctx.saved_tensors does both, when
        # the user's backward reads them, as in PyTorch.
        if len(self.differentiable) > 1:
            self.offsets = np.cumsum([0] + [o._data.size for o in self.differentiable]).tolist()
            flat = np.zeros(self.offsets[-1])
            self.hub = record(flat, inputs, self.name, self._hub_backward, False)

    def keep(self, outputs: tuple, recorded: tuple) -> None:
        """Note the version of each saved tensor, for ``ctx.saved_tensors`` to check. A saved
        output is the tensor ``apply`` returned in its place (an in-place change of that one
        counts), named in the error as a result of the function's node."""
        ctx = self.ctx
        entries: list = []
        for t in ctx._saved:
            if t is None:
                continue
            k = next((k for k, o in enumerate(outputs) if o is t), None)
            if k is None:
                counter = counter_of(t)
                entries += (t, counter, counter[0])
            else:
                out = recorded[k]
                counter = counter_of(out)
                entries += (out._data, counter, counter[0])
                ctx._node = out.grad_fn if self.hub is None else self.hub.grad_fn
        ctx._versions = tuple(entries)

    def output(self, i: int, out: Any) -> Any:
        if not isinstance(out, Tensor):
            return out
        if not any(out is o for o in self.differentiable):
            return Tensor._wrap(out._data)
        if self.hub is None:
            return record(out._data, self.inputs, self.name, self._single_backward, False)
        k = next(j for j, o in enumerate(self.differentiable) if o is out)
        size = self.offsets[-1]
        start = self.offsets[k]

        def select_backward(g: np.ndarray) -> tuple[np.ndarray]:
            # The hub runs after every output node that gets a gradient: it reads which did.
            self.reached.add(k)
            flat = np.zeros(size)
            flat[start : start + g.size] = g.ravel()
            return (flat,)

        selected = record(out._data, (self.hub,), self.name, select_backward, saved=False)
        if selected.grad_fn is not None:
            selected.grad_fn.part_of = self.hub.grad_fn
        return selected

    def _single_backward(self, g: np.ndarray) -> tuple[np.ndarray | None, ...]:
        return self._run([g])

    def _hub_backward(self, flat: np.ndarray) -> tuple[np.ndarray | None, ...]:
        grads = [
            flat[self.offsets[k] : self.offsets[k + 1]].reshape(o._data.shape).astype(o._data.dtype)
            if k in self.reached
            else None
            for k, o in enumerate(self.differentiable)
        ]
        self.reached = set()  # for the next backward pass (retain_graph)
        return self._run(grads)

    def _run(self, grads: list[np.ndarray | None]) -> tuple[np.ndarray | None, ...]:
        """Call the user's backward with one gradient per tensor output; check its answer."""
        by_id = {id(o): g for o, g in zip(self.differentiable, grads, strict=True) if g is not None}
        grad_outputs = []
        for o in self.tensor_outputs:
            g = by_id.get(id(o))
            if g is None and self.ctx.materialize_grads:
                g = np.zeros_like(o._data)
            grad_outputs.append(None if g is None else Tensor._wrap(g))
        with no_grad():
            result = self.cls.backward(self.ctx, *grad_outputs)
        if not _pass.retain_graph:
            self.ctx._freed = True
        return self._check(result if isinstance(result, tuple) else (result,))

    def _check(self, result: tuple) -> tuple[np.ndarray | None, ...]:
        expected = len(self.args)
        if len(result) > expected and all(g is None for g in result[expected:]):
            result = result[:expected]  # trailing Nones are allowed, as in PyTorch
        if len(result) != expected:
            raise RuntimeError(
                f"function {self.name} returned an incorrect number of gradients "
                f"(expected {expected}, got {len(result)})"
            )
        grads: list[np.ndarray | None] = []
        for i, (arg, g) in enumerate(zip(self.args, result, strict=True)):
            if not isinstance(arg, Tensor):
                if g is not None:
                    raise RuntimeError(
                        f"function {self.name} returned a gradient different than None at "
                        f"position {i + 1}, but the corresponding forward input was not a Variable"
                    )
                continue
            if g is None:
                grads.append(None)
                continue
            if not isinstance(g, Tensor):
                kind = type(g)
                name = kind.__name__ if kind.__module__ == "builtins" else kind.__qualname__
                module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
                raise RuntimeError(f"expected Variable or None (got {module}{name})")
            array = g._data
            shape = arg._data.shape
            if array.shape != shape:
                if not _expandable(shape, array.shape):
                    raise RuntimeError(
                        f"Function {self.name} returned an invalid gradient at index {i} - got "
                        f"{list(array.shape)} but expected shape compatible with {list(shape)}"
                    )
                array = unbroadcast(array, shape).reshape(shape)
            grads.append(array.astype(arg._data.dtype, copy=False))
        return tuple(grads)


def _expandable(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether ``shape`` broadcasts to ``target`` (so a gradient of ``target`` sums down to it)."""
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target), strict=False))
