"""Reverse-mode automatic differentiation: graph nodes, grad mode and the backward pass.

Every differentiable operation computes its result with NumPy and then calls :func:`record`,
which attaches a :class:`Node` (the tensor's ``grad_fn``) holding the operation's inputs and a
closure that maps the gradient of the output to the gradients of the inputs. :func:`run_backward`
walks those nodes from the output back to the leaves.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import numpy as np

from ._overlap import INTERNAL_OVERLAP, repeats
from .dtype import legacy_tensor_type

if TYPE_CHECKING:
    # At run time they come from __getattr__ below; imported here for type checkers and for the
    # API reference, which read the source.
    from ._function import Function, FunctionCtx
    from .tensor import Tensor

__all__ = [
    "Function",
    "FunctionCtx",
    "enable_grad",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]

# Set by minimodel.tensor once the class exists (the two modules refer to each other).
_tensor_class: Any = None

BackwardFn = Callable[[np.ndarray], Sequence["np.ndarray | None"]]


class _Output:
    """Stands for an operation's result in the ``saved`` tuple given to :func:`record`."""

    def __repr__(self) -> str:
        return "OUTPUT"


OUTPUT: Any = _Output()


class _GradMode:
    # A mutable singleton rather than a module global so that hot paths read one attribute.
    enabled = True


_grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    """Return True if operations are currently recorded for autograd."""
    return _grad_mode.enabled


_P = ParamSpec("_P")
_R = TypeVar("_R")


class _GradModeContext:
    """Sets the grad mode to ``mode`` inside a ``with`` block or a decorated function."""

    mode = True

    def __enter__(self) -> None:
        self.prev = _grad_mode.enabled
        _grad_mode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _grad_mode.enabled = self.prev

    def __call__(self, func: Callable[_P, _R]) -> Callable[_P, _R]:
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
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
        versions: for each tensor the backward reads, flattened: the tensor (or, for the
            operation's own result, its array), its version counter and the version it had when
            the operation ran. :func:`run_backward` raises PyTorch's error if one has changed.
    """

    __slots__ = ("_name", "backward_fn", "inputs", "next_fns", "retained", "saved", "versions")

    def __init__(
        self, name: str, inputs: tuple[Tensor, ...], backward_fn: BackwardFn, saved: bool = True
    ) -> None:
        self._name = name
        self.inputs = inputs
        # Unrolled for the one- and two-input operations that nearly every node is: in Python 3.11
        # a comprehension is a function call of its own, and a Node is made per operation.
        self.next_fns: tuple[Node | None, ...]
        if len(inputs) == 1:
            self.next_fns = (inputs[0].grad_fn,)
        elif len(inputs) == 2:
            self.next_fns = (inputs[0].grad_fn, inputs[1].grad_fn)
        else:
            self.next_fns = tuple([t.grad_fn for t in inputs])
        self.backward_fn = backward_fn
        self.saved = saved
        self.retained: Tensor | None = None  # set by Tensor.retain_grad()
        self.versions: tuple = ()

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
    saved: bool | tuple = True,
) -> Tensor:
    """Wrap ``data`` in a Tensor, recording the operation when any input requires grad.

    Args:
        data: the operation's result, already computed.
        inputs: the tensors the operation read, in the order ``backward`` returns gradients.
        name: the ``grad_fn`` name PyTorch uses for this operation.
        backward: closure from the output gradient to a sequence of input gradients, each of the
            input's shape (or None where no gradient flows).
        saved: what ``backward`` reads, as PyTorch's node saves it: False for operations that
            keep nothing (additions, views, sums, ...: those can be back-propagated through more
            than once); a tuple of the input tensors read, with :data:`OUTPUT` for the result
            (``()`` when only private arrays are kept); True, the cautious default, for all the
            inputs and the result. Changing one of those in place before ``backward`` makes it
            raise PyTorch's error, so ``backward`` may read their arrays as they are then.
    """
    out = _tensor_class.__new__(_tensor_class)
    # NumPy returns a scalar, not a 0-d array, from arithmetic on 0-d arrays.
    out._data = data if type(data) is np.ndarray else np.asarray(data)
    out._grad = None
    out._version_counter = None
    out._view = None
    if _grad_mode.enabled:
        for t in inputs:
            if t.requires_grad:
                out.requires_grad = True
                node = out.grad_fn = Node(name, inputs, backward, saved is not False)
                if saved is True:
                    node.versions = _snapshot((*inputs, OUTPUT), out)
                elif saved:
                    if len(saved) == 1:  # inlined: the common case, on every operation's path
                        t = saved[0]
                        if t is OUTPUT:
                            out._version_counter = counter = [0]
                            node.versions = (out._data, counter, 0)
                        else:
                            counter = t._version_counter or counter_of(t)
                            node.versions = (t, counter, counter[0])
                    else:
                        node.versions = _snapshot(saved, out)
                return out
    out.requires_grad = False
    out.grad_fn = None
    return out


def cross(a: Tensor, b: Tensor) -> tuple[Tensor, ...]:
    """What a product saves (``mul``, ``matmul``, ``linear``): each operand for the gradient of
    the other, so only those whose partner requires grad."""
    if a.requires_grad:
        return (a, b) if b.requires_grad else (b,)
    return (a,)


def _snapshot(saved: tuple, out: Tensor) -> tuple:
    entries: list = []
    for t in saved:
        if t is OUTPUT:
            entries += (out._data, counter_of(out), 0)
        else:
            counter = t._version_counter or counter_of(t)
            entries += (t, counter, counter[0])
    return tuple(entries)


def check_versions(node: Node) -> None:
    """Raise PyTorch's error if a tensor ``node`` saved has been changed in place since."""
    if node.backward_fn is _freed:  # PyTorch finds its saved tensors gone before it compares
        _freed(np.empty(0))
    versions = node.versions
    for i in range(0, len(versions), 3):
        t, counter, version = versions[i : i + 3]
        if counter[0] == version:
            continue
        # A saved input is named by what made it last; the saved result by this node.
        data, fn = (t, node) if type(t) is np.ndarray else (t._data, t.grad_fn)
        what = f"[minimodel.{legacy_tensor_type(data.dtype)} {list(data.shape)}]"
        if fn is not None:
            what += f", which is output 0 of {short_name(fn)},"
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: {what} is at version {counter[0]}; expected version {version} "
            "instead. Hint: enable anomaly detection to find the operation that failed to compute "
            "its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
        )


def short_name(fn: Node) -> str:
    """How PyTorch's messages name the operation of ``fn``: ``Exp`` for ``ExpBackward0``."""
    return _short(fn._name)


def _short(name: str) -> str:
    return _BACKWARD_SUFFIX.sub("", name)


# PyTorch drops "Backward0", and "Backward" before another number: Pow1 for PowBackward1.
_BACKWARD_SUFFIX = re.compile(r"Backward(?:0$|(?=\d+$))")


# How a view was made, as PyTorch's ``CreationMeta``: what in-place operations may do to it.
DEFAULT = "default"  # with grad enabled, by an operation returning one view
NO_GRAD = "no_grad"  # under no_grad: autograd cannot follow an in-place change of it
MULTI_OUTPUT = "multi_output"  # one of the views split, chunk or unbind return


class ViewOf:
    """What a view remembers of how it was made (PyTorch's ``DifferentiableViewMeta``).

    Attributes:
        base: the root base, never itself a view.
        replay: maps an array of the base's shape to this view of it.
        creation: DEFAULT, NO_GRAD or MULTI_OUTPUT, inherited by views of it as PyTorch does.
        output: which of its operation's outputs it is, for PyTorch's messages.
        fn_name: the name of its ``grad_fn`` when it was made (None: it had none).
        leaf: ``requires_grad_()`` made it a leaf of its own, whose ``.grad`` is filled.
        version: the version of its memory its ``grad_fn`` is from.
    """

    __slots__ = ("base", "creation", "fn_name", "leaf", "output", "replay", "version")

    def __init__(
        self,
        base: Tensor,
        replay: Callable[[np.ndarray], np.ndarray],
        creation: str,
        output: int,
        fn_name: str | None,
        version: int,
    ) -> None:
        self.base = base
        self.replay = replay
        self.creation = creation
        self.output = output
        self.fn_name = fn_name
        self.leaf = False
        self.version = version


def record_view(
    data: np.ndarray,
    input: Tensor,
    name: str,
    backward: BackwardFn,
    replay: Callable[[np.ndarray], np.ndarray],
    output: int | None = None,
) -> Tensor:
    """Like :func:`record`, for an operation whose result shares ``input``'s memory.

    The result shares the version counter of ``input`` and remembers its root base and how to
    get from an array of the base's shape to its own (``replay``, composed with ``input``'s for
    a view of a view): what in-place operations on views need (see ``Tensor._write``).
    ``output``: the result's position among the views an operation returns several of (split,
    chunk, unbind), which PyTorch forbids changing in place while autograd records.
    """
    out = record(data, (input,), name, backward, False)
    enabled = _grad_mode.enabled
    creation = NO_GRAD if not enabled else DEFAULT if output is None else MULTI_OUTPUT
    view = input._view
    if view is not None:
        # A view of a view keeps how its base was made, unless it was made in a way that
        # forbids more (PyTorch's propagate_creation_meta).
        parent = view.replay
        replay_base = replay
        replay = lambda a: replay_base(parent(a))  # noqa: E731 (composed once per view)
        input = view.base
        if creation is DEFAULT:
            creation = view.creation
    if not enabled:
        out.requires_grad = input.requires_grad  # as in PyTorch, though no grad_fn is recorded
    fn = out.grad_fn
    counter = out._version_counter = counter_of(input)
    out._view = ViewOf(
        input, replay, creation, output or 0, None if fn is None else fn._name, counter[0]
    )
    counter.append(weakref.ref(out))
    n = len(counter)
    if n >= 16 and not n & (n - 1):  # at powers of two: the views that died go
        counter[1:] = [r for r in counter[1:] if r() is not None]
    return out


def bump_version(t: Tensor) -> None:
    """Count an in-place change of ``t``'s memory, made outside autograd (optimizers, init).

    Views of the same memory then take their gradient through their base, as PyTorch's do.
    """
    counter = counter_of(t)
    counter[0] += 1
    if len(counter) > 1:
        refresh_views(counter)


def counter_of(t: Tensor) -> list:
    """``t``'s version counter, made on first need: most results are never saved, viewed or
    changed, and a list per tensor would keep the garbage collector busier."""
    counter = t._version_counter
    if counter is None:
        counter = t._version_counter = [0]
    return counter


def refresh_views(counter: list) -> None:
    """After an in-place change of the memory, give every view of it that requires grad a
    ``grad_fn`` from its base's present state.

    PyTorch regenerates them (lazily) as ``AsStridedBackward0`` nodes. For a view made under
    no_grad, or by an operation returning several views, PyTorch refuses to say, and raises when
    the view is used with gradients on; minimodel gives it a ``grad_fn`` that raises that error
    when ``backward`` reaches it.
    """
    for ref in counter[1:]:
        v = ref()
        if v is not None:
            refresh_view(v, counter[0])


def refresh_view(v: Tensor, version: int) -> None:
    """:func:`refresh_views` for one view, its memory now at ``version``. As PyTorch, every
    view but those that had no grad_fn and still have a base that does not require grad (a view
    of a view made a leaf by requires_grad_() has one); those wait for their base to require
    grad (see ``Tensor.requires_grad_``)."""
    view = v._view
    assert view is not None, "refresh_view takes a view"
    if v.grad_fn is None and not view.base.requires_grad:
        return
    view.version = version
    if view.creation is DEFAULT:
        as_strided(v)
    else:
        v.grad_fn = _error_node(view_error(view, "its base or another view of its base has been"))
        v.requires_grad = True


_MULTI_OUTPUT_HINT = (
    " This view is the output of a function that returns multiple views. Such functions do not "
    "allow the output views to be modified inplace. You should replace the inplace operation "
    "by an out-of-place one."
)
_NO_GRAD_HINT = (
    " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block (if "
    "you don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked)."
)


def view_error(view: ViewOf, what: str) -> str:
    """PyTorch's message for a view that autograd cannot follow through an in-place change
    (``what``: the view "is being", or "its base or another view of its base has been")."""
    label = None if view.fn_name is None else f"Output {view.output} of {_short(view.fn_name)}"
    if view.creation is NO_GRAD or label is None:
        who = "A view" if label is None else f"{label} is a view of a view which"
        message = (
            f"{who} was created in no_grad mode and {what} modified inplace with grad mode enabled."
        )
    else:
        message = f"{label} is a view and {what} modified inplace."
    return message + (_MULTI_OUTPUT_HINT if view.creation is MULTI_OUTPUT else _NO_GRAD_HINT)


def _error_node(message: str) -> Node:
    def backward(g: np.ndarray) -> tuple:
        raise RuntimeError(message)

    return Node("torch::autograd::Error", (), backward, False)


def set_grad_fn(t: Tensor, fn: Node) -> None:
    """Give ``t`` the ``grad_fn`` of its new value (after an in-place change): as in PyTorch,
    ``retain_grad()`` follows, so that ``.grad`` is the gradient of the new value."""
    old = t.grad_fn
    if old is not None and old.retained is t:
        old.retained = None
        fn.retained = t
    t.grad_fn = fn


def as_strided(view: Tensor) -> None:
    """Make ``view``'s ``grad_fn`` take its gradient into the region of its base it covers."""
    assert view._view is not None, "as_strided takes a view"
    base, replay = view._view.base, view._view.replay
    overlaps = 0 in view._data.strides and view._data.size > 1

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(base._data)
        if overlaps:  # an expanded view: repeated elements add up
            # NumPy's stubs type ufunc.at's indices as integer arrays, but it takes any index.
            np.add.at(replay(grad), Ellipsis, g)  # type: ignore[arg-type]
        else:
            replay(grad)[...] = g
        return (grad,)

    set_grad_fn(view, Node("AsStridedBackward0", (base,), backward, False))
    view.requires_grad = True


def copy_slices(base: Tensor, replay: Callable, op: Node) -> Node:
    """The ``grad_fn`` of ``base`` after the in-place operation ``op`` changed one of its views.

    The gradient of the base is passed through, except in the view's region, where ``op``'s
    backward replaces it by the gradient of the view's old values; ``op``'s other inputs get
    theirs from the region's gradient.
    """
    op_backward = op.backward_fn

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, ...]:
        grad = np.empty_like(base._data)  # the base's layout, so that replay gives views of it
        grad[...] = g
        region = replay(grad)
        if repeats(region):  # PyTorch's backward writes into the region too, and refuses
            raise RuntimeError(INTERNAL_OVERLAP)
        grads = op_backward(region.copy())
        region[...] = 0 if grads[0] is None else grads[0]
        return (grad, *grads[1:])

    old = base._alias()
    node = Node("torch::autograd::CopySlices", (old, *op.inputs[1:]), backward, op.saved)
    node.versions = op.versions
    return node


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
    # Like PyTorch, a leaf's .grad takes the sum of all the gradient that reaches the leaf, once
    # all of it has: kept here until the end (see _flush_leaves for a node that raises).
    leaf_grads: dict[int, np.ndarray] = {}
    leaves: dict[int, Tensor] = {}
    owned: set[int] = set()  # sums made here, which may be added to in place
    ready = [root_fn]
    node = root_fn
    input_grads: Sequence[np.ndarray | None]
    try:
        while ready:
            node = ready.pop()
            g = grads.pop(node, None)
            if g is None:  # no gradient reached this node: none flows on to its inputs
                input_grads = (None,) * len(node.next_fns)
            else:
                if node.retained is not None:
                    _accumulate(node.retained, g)
                v = node.versions
                # Inlined for the one or two tensors most operations save (see check_versions).
                if v and (v[1][0] != v[2] or (len(v) > 3 and (v[4][0] != v[5] or len(v) > 6))):
                    check_versions(node)
                input_grads = node.backward_fn(g)
            if free and node.saved:
                node.backward_fn = _freed
            for i, fn in enumerate(node.next_fns):
                gi = input_grads[i]
                if fn is None:
                    if gi is not None:
                        t = node.inputs[i]
                        key = id(t)
                        prev = leaf_grads.get(key)
                        if prev is None:
                            leaf_grads[key] = gi
                            leaves[key] = t
                        elif key in owned and type(prev) is np.ndarray and prev.shape == gi.shape:
                            prev += gi  # (a NumPy scalar, from 0-d arithmetic, is immutable)
                        else:
                            leaf_grads[key] = prev + gi
                            owned.add(key)
                    continue
                if gi is not None:
                    prev = grads.get(fn)
                    # Never add in place: the same array may have been handed to several inputs.
                    grads[fn] = gi if prev is None else prev + gi
                left = pending[fn] - 1
                pending[fn] = left
                if left == 0:
                    ready.append(fn)
    except BaseException:
        _flush_leaves(leaf_grads, leaves, _unfinished(node, ready, pending))
        raise
    _flush_leaves(leaf_grads, leaves, set())


def _unfinished(failed: Node, ready: list[Node], pending: dict[Node, int]) -> set[int]:
    """The leaves that nodes not run yet (``failed`` among them) still had gradient for."""
    left = [failed, *ready, *(fn for fn, n in pending.items() if n > 0)]
    return {id(t) for fn in left for t, nxt in zip(fn.inputs, fn.next_fns) if nxt is None}  # noqa: B905


def _flush_leaves(leaf_grads: dict, leaves: dict, unfinished: set[int]) -> None:
    for key, g in leaf_grads.items():
        t = leaves[key]
        # A leaf, unless an in-place operation has since made it a non-leaf. A view without a
        # grad_fn (made under no_grad, or of a base that did not require grad then) requires
        # grad through its base, and is no leaf of the graph: as in PyTorch, its gradient goes
        # nowhere, unless requires_grad_() made it a leaf of its own.
        view = t._view
        if (
            key not in unfinished
            and t.requires_grad
            and t.grad_fn is None
            and (view is None or view.leaf)
        ):
            _accumulate(t, g)


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


def __getattr__(name: str) -> Any:
    # Custom operations (minimodel/_function.py) build on record() and Tensor, and tensor.py
    # imports this module: loaded on first use, the three modules never import each other
    # half-way.
    if name in ("Function", "FunctionCtx"):
        from . import _function

        return getattr(_function, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
