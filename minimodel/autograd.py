"""Reverse-mode automatic differentiation: graph nodes, grad mode and the backward pass.

Every differentiable operation computes its result with NumPy and then calls :func:`record`,
which attaches a :class:`Node` (the tensor's ``grad_fn``) holding the operation's inputs and a
closure that maps the gradient of the output to the gradients of the inputs. :func:`run_backward`
walks those nodes from the output back to the leaves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .tensor import Tensor

# Set by minimodel.tensor once the class exists (the two modules refer to each other).
_tensor_class: Any = None

BackwardFn = Callable[[np.ndarray], Sequence["np.ndarray | None"]]


class _GradMode:
    # A mutable singleton rather than a module global so that hot paths read one attribute.
    enabled = True


_grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    """Return True if operations are currently recorded for autograd."""
    return _grad_mode.enabled


class _GradModeContext:
    """Sets the grad mode to ``mode`` inside a ``with`` block or a decorated function."""

    mode = True

    def __enter__(self) -> None:
        self.prev = _grad_mode.enabled
        _grad_mode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _grad_mode.enabled = self.prev

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev = _grad_mode.enabled
            _grad_mode.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                _grad_mode.enabled = prev

        return wrapper


class set_grad_enabled(_GradModeContext):
    """Turn gradient recording on or off: as a call, a context manager or a decorator.

    Args:
        mode: ``True`` to record operations, ``False`` to skip recording.

    Example::

        >>> x = minimodel.ones(2, requires_grad=True)
        >>> with minimodel.set_grad_enabled(False):
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    def __init__(self, mode: bool) -> None:
        # Like PyTorch's, it takes effect at once, so that a bare call works too.
        self.prev = _grad_mode.enabled
        self.mode = bool(mode)
        _grad_mode.enabled = self.mode

    def __enter__(self) -> None:
        pass

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        # As a decorator, the constructor's change must not outlive the decoration.
        _grad_mode.enabled = self.prev
        return super().__call__(func)


class _NoParamDecorator(_GradModeContext):
    """A context that is also a decorator with or without parentheses (``@no_grad``)."""

    def __new__(cls, orig_func: Callable[..., Any] | None = None) -> Any:
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamDecorator):
    """Context manager (and decorator) that disables gradient recording.

    Inside it, results of operations have ``requires_grad=False`` and no ``grad_fn``; use it for
    evaluation and for updating weights by hand.

    Example::

        >>> w = minimodel.ones(3, requires_grad=True)
        >>> with minimodel.no_grad():
        ...     w -= 0.1 * minimodel.ones(3)
        >>> w
        tensor([0.9000, 0.9000, 0.9000], requires_grad=True)
    """

    mode = False


class enable_grad(_NoParamDecorator):
    """Context manager (and decorator) that enables gradient recording inside ``no_grad``."""

    mode = True


class Node:
    """A recorded operation: what a non-leaf tensor's ``grad_fn`` is.

    ``name()`` gives PyTorch's name for it, such as ``"MulBackward0"``.

    Attributes:
        inputs: the tensors the operation read.
        next_fns: each input's ``grad_fn`` when the operation ran. The backward pass follows
            these, not the inputs' current ``grad_fn``: an in-place operation gives its tensor a
            new ``grad_fn``, and operations recorded before it must not go through that one.
        backward_fn: maps the gradient of the output to one gradient (or None) per input.
        saved: whether PyTorch's node for this operation saves tensors for its backward, which
            it frees after one backward pass (see :func:`run_backward`).
    """

    __slots__ = ("_name", "backward_fn", "inputs", "next_fns", "retained", "saved")

    def __init__(
        self, name: str, inputs: tuple[Tensor, ...], backward_fn: BackwardFn, saved: bool = True
    ) -> None:
        self._name = name
        self.inputs = inputs
        # Unrolled for the one- and two-input operations that nearly every node is: in Python 3.11
        # a comprehension is a function call of its own, and a Node is made per operation.
        if len(inputs) == 1:
            self.next_fns = (inputs[0].grad_fn,)
        elif len(inputs) == 2:
            self.next_fns = (inputs[0].grad_fn, inputs[1].grad_fn)
        else:
            self.next_fns = tuple([t.grad_fn for t in inputs])
        self.backward_fn = backward_fn
        self.saved = saved
        self.retained: Tensor | None = None  # set by Tensor.retain_grad()

    def name(self) -> str:
        """PyTorch's name for the backward of the operation, such as ``"AddBackward0"``."""
        return self._name

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        return tuple((fn, 0) for fn in self.next_fns)

    def __repr__(self) -> str:
        return f"<{self._name.rpartition('::')[2]} object at {id(self):#x}>"


def record(
    data: np.ndarray,
    inputs: tuple[Tensor, ...],
    name: str,
    backward: BackwardFn,
    saved: bool = True,
) -> Tensor:
    """Wrap ``data`` in a Tensor, recording the operation when any input requires grad.

    Args:
        data: the operation's result, already computed.
        inputs: the tensors the operation read, in the order ``backward`` returns gradients.
        name: the ``grad_fn`` name PyTorch uses for this operation.
        backward: closure from the output gradient to a sequence of input gradients, each of the
            input's shape (or None where no gradient flows).
        saved: False for operations whose PyTorch node keeps no tensors (additions, views,
            sums, ...): those can be back-propagated through more than once.
    """
    out = _tensor_class.__new__(_tensor_class)
    # NumPy returns a scalar, not a 0-d array, from arithmetic on 0-d arrays.
    out._data = data if type(data) is np.ndarray else np.asarray(data)
    out._grad = None
    if _grad_mode.enabled:
        for t in inputs:
            if t.requires_grad:
                out.requires_grad = True
                out.grad_fn = Node(name, inputs, backward, saved)
                return out
    out.requires_grad = False
    out.grad_fn = None
    return out


def run_backward(root: Tensor, grad: np.ndarray, retain_graph: bool = False) -> None:
    """Propagate ``grad`` (the gradient of something w.r.t. ``root``) back to every leaf.

    Gradients are summed into ``.grad`` of the leaves that require grad. The traversal is
    iterative, so graphs of any depth work without touching Python's recursion limit.

    Unless ``retain_graph``, the nodes that saved tensors are freed as PyTorch frees them: going
    through one of them again raises PyTorch's error (and their memory is released).
    """
    root_fn = root.grad_fn
    if root_fn is None:
        _accumulate(root, grad)
        return
    # Count, for every node, how many edges lead into it, so that a node runs only once all the
    # gradient flowing into it has been summed (Kahn's algorithm, as PyTorch's engine does).
    pending: dict[Node, int] = {}
    stack = [root_fn]
    while stack:
        for fn in stack.pop().next_fns:
            if fn is not None:
                if fn in pending:
                    pending[fn] += 1
                else:  # first visit
                    pending[fn] = 1
                    stack.append(fn)

    free = not retain_graph
    grads: dict[Node, np.ndarray] = {root_fn: grad}
    ready = [root_fn]
    while ready:
        node = ready.pop()
        g = grads.pop(node, None)
        if g is None:  # no gradient reached this node: none flows on to its inputs
            input_grads = (None,) * len(node.next_fns)
        else:
            if node.retained is not None:
                _accumulate(node.retained, g)
            input_grads = node.backward_fn(g)
        if free and node.saved:
            node.backward_fn = _freed
        for i, fn in enumerate(node.next_fns):
            gi = input_grads[i]
            if fn is None:
                t = node.inputs[i]
                # A leaf then; unless an in-place operation has since made it a non-leaf.
                if gi is not None and t.requires_grad and t.grad_fn is None:
                    _accumulate(t, gi)
                continue
            if gi is not None:
                prev = grads.get(fn)
                # Never add in place: the same array may have been handed to several inputs.
                grads[fn] = gi if prev is None else prev + gi
            left = pending[fn] - 1
            pending[fn] = left
            if left == 0:
                ready.append(fn)


def _freed(g: np.ndarray) -> Sequence[np.ndarray | None]:
    raise RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed). Saved intermediate values of the graph are freed "
        "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
        "backward through the graph a second time or if you need to access saved tensors after "
        "calling backward."
    )


def _accumulate(t: Tensor, g: np.ndarray) -> None:
    if g.shape != t._data.shape:
        g = np.broadcast_to(g, t._data.shape)
    current = t._grad
    if current is None:
        # Copy: ``g`` may be shared with another input's gradient or be a broadcast view.
        t._grad = _tensor_class._wrap(np.array(g, dtype=t._data.dtype))
    else:
        current._data += g
