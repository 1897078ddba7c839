"""Reverse-mode automatic differentiation: graph nodes, grad mode and the backward pass.

Every differentiable operation computes its result with NumPy and then calls :func:`record`,
which attaches a :class:`Node` (the tensor's ``grad_fn``) holding the operation's inputs and a
closure that maps the gradient of the output to the gradients of the inputs. :func:`run_backward`
walks those nodes from the output back to the leaves.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import re
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import numpy as np

from . import _anomaly_mode as _anomaly
from . import _overlap
from ._anomaly_mode import detect_anomaly, set_detect_anomaly
from ._overlap import INTERNAL_OVERLAP, repeats
from .dtype import legacy_tensor_type

if TYPE_CHECKING:
    # At run time they come from __getattr__ below; imported here for type checkers and for the
    # API reference, which read the source.
    from ._backward import backward, grad
    from ._function import Function, FunctionCtx
    from .tensor import Tensor

__all__ = [
    "Function",
    "FunctionCtx",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "is_grad_enabled",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
]

_anomaly_mode = _anomaly._mode

# Set by minimodel.tensor once the class exists (the two modules refer to each other).
_tensor_class: Any = None

BackwardFn = Callable[[np.ndarray], Sequence["np.ndarray | None"]]


class _Output:
    """Stands for an operation's result in the ``saved`` tuple given to :func:`record`."""

    def __repr__(self) -> str:
        return "OUTPUT"


OUTPUT: Any = _Output()


class _Pass:
    """The backward pass running now: whether it keeps the graph (custom functions free what
    they saved for backward as the pass goes, see ``minimodel/_function.py``)."""

    retain_graph = True


_pass = _Pass()


class _GradMode:
    """Grad mode and inference mode. A mutable singleton rather than module globals so that hot
    paths read one attribute: ``enabled``, whether operations are recorded, which needs grad
    mode on and inference mode off (``enable_grad`` inside ``inference_mode`` records nothing,
    as in PyTorch)."""

    enabled = True
    grad = True
    inference = False

    def state(self) -> tuple[bool, bool]:
        return self.grad, self.inference

    def set(self, grad: bool, inference: bool) -> None:
        self.grad = grad
        self.inference = inference
        self.enabled = grad and not inference


_grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    """Return True if grad mode is on: operations are recorded (outside inference mode)."""
    return _grad_mode.grad


_P = ParamSpec("_P")
_R = TypeVar("_R")


class _GradModeContext:
    """Sets the grad mode to ``mode`` inside a ``with`` block or a decorated function."""

    mode = True

    def __enter__(self) -> None:
        self.prev = _grad_mode.state()
        _grad_mode.set(self.mode, _grad_mode.inference)

    def __exit__(self, *exc: object) -> None:
        _grad_mode.set(*self.prev)

    def __call__(self, func: Callable[_P, _R]) -> Callable[_P, _R]:
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            prev = _grad_mode.state()
            _grad_mode.set(mode, prev[1])
            try:
                return func(*args, **kwargs)
            finally:
                _grad_mode.set(*prev)

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
        self.prev = _grad_mode.state()
        self.mode = bool(mode)
        _grad_mode.set(self.mode, _grad_mode.inference)

    def __enter__(self) -> None:
        # And again on entering, as PyTorch's does (a context made before another was entered).
        _grad_mode.set(self.mode, _grad_mode.inference)

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        # As a decorator, the constructor's change must not outlive the decoration.
        _grad_mode.set(*self.prev)
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


# Numbers the nodes in the order they are made, as PyTorch's sequence_nr.
_sequence = itertools.count()


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
        part_of: for a node standing for one output of a custom Function with several, the
            node of the whole function.
        seq: the order in which the nodes were made; the backward pass runs the latest first.
        versions: for each tensor the backward reads, flattened: the tensor (or, for the
            operation's own result, its array), its version counter and the version it had when
            the operation ran. :func:`run_backward` raises PyTorch's error if one has changed.
    """

    __slots__ = (
        "_name",
        "backward_fn",
        "inputs",
        "next_fns",
        "part_of",
        "retained",
        "saved",
        "seq",
        "stack",
        "versions",
    )

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
        self.seq = next(_sequence)
        self.retained: Tensor | None = None  # set by Tensor.retain_grad()
        self.versions: tuple = ()
        # For one output of a custom Function with several, the node of the whole function
        # (which is one node in PyTorch: see minimodel/_function.py).
        self.part_of: Node | None = None
        # Where the forward operation ran, kept while anomaly detection is on (its warning).
        self.stack = _anomaly.forward_stack() if _anomaly_mode["enabled"] else None

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


def check_versions(node: Node, versions: tuple | None = None) -> None:
    """Raise PyTorch's error if a tensor ``node`` saved has been changed in place since.

    ``versions``: the entries to check, in the format of ``Node.versions`` (by default the
    node's own); an array in them stands for the result of ``node``.
    """
    if versions is None:
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
        hint = (
            "the backtrace further above shows the operation that failed to compute its "
            "gradient. The variable in question was changed in there or anywhere later. Good luck!"
            if _anomaly_mode["enabled"]
            else "enable anomaly detection to find the operation that failed to compute its "
            "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
        )
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: {what} is at version {counter[0]}; expected version {version} "
            f"instead. Hint: {hint}"
        )


def short_name(fn: Node) -> str:
    """How PyTorch's messages name the operation of ``fn``: ``Exp`` for ``ExpBackward0``."""
    return _short(fn._name)


def _short(name: str) -> str:
    return _BACKWARD_SUFFIX.sub("", name)


# PyTorch drops "Backward0", a custom Function's "Backward", and "Backward" before another
# number: Pow1 for PowBackward1.
_BACKWARD_SUFFIX = re.compile(r"Backward(?:0?$|(?=[1-9]\d*$))")


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


def run_backward(
    roots: Sequence[tuple[Tensor, np.ndarray]],
    retain_graph: bool = False,
    inputs: Sequence[Tensor] | None = None,
    capture: bool = False,
) -> list[np.ndarray | None]:
    """Propagate each root's gradient (of something w.r.t. that root) back through the graph.

    Gradients are summed into ``.grad`` of the leaves that require grad (of ``inputs`` only,
    when given; a non-leaf among them must retain its grad), or, with ``capture``, returned:
    one gradient per tensor of ``inputs``, None where none reached it. With ``inputs``, only
    the operations on a path to one of them run, as in PyTorch (the ``grad_fn`` of a non-leaf
    input runs too). The traversal is iterative, so graphs of any depth work without touching
    Python's recursion limit.

    Unless ``retain_graph``, the nodes that ran and saved tensors are freed as PyTorch frees
    them: going through one of them again raises PyTorch's error (and their memory is released).
    """
    targets = None if inputs is None else {id(t) for t in inputs}
    grads: dict[Node, np.ndarray] = {}
    # Like PyTorch, a leaf's .grad takes the sum of all the gradient that reaches the leaf, once
    # all of it has: kept here until the end (see _flush_leaves for a node that raises).
    leaf_grads: dict[int, np.ndarray] = {}
    leaves: dict[int, Tensor] = {}
    owned: set[int] = set()  # sums made here, which may be added to in place
    for t, root_grad in roots:
        fn = t.grad_fn
        if fn is not None:
            grads[fn] = root_grad if fn not in grads else grads[fn] + root_grad
        elif targets is None or id(t) in targets:
            key = id(t)
            prev_grad = leaf_grads.get(key)
            leaf_grads[key] = root_grad if prev_grad is None else prev_grad + root_grad
            leaves[key] = t
    # Count, for every node, how many edges lead into it, so that a node runs only once all the
    # gradient flowing into it has been summed (Kahn's algorithm, as PyTorch's engine does).
    pending: dict[Node, int] = {}
    stack = list(grads)
    while stack:
        for fn in stack.pop().next_fns:
            if fn is not None:
                if fn in pending:
                    pending[fn] += 1
                else:  # first visit (a root's edges are on the stack already)
                    pending[fn] = 1
                    if fn not in grads:
                        stack.append(fn)
    needed = None if targets is None else _needed(list(grads), targets, inputs or (), not capture)
    captured: dict[Node, np.ndarray | None] = {}
    if capture:
        captured = {t.grad_fn: None for t in inputs or () if t.grad_fn is not None}

    free = not retain_graph
    lone_root = roots[0][0].grad_fn if len(roots) == 1 else None
    outer_retain, _pass.retain_graph = _pass.retain_graph, retain_graph
    # The nodes whose gradient is complete, run in PyTorch's order: the most recently created
    # first (its engine's priority queue), which also fixes the order in which the gradients
    # reaching a node are summed, and so their rounding.
    ready = [(-fn.seq, fn) for fn in grads if fn not in pending]
    heapq.heapify(ready)
    node = ready[0][1] if ready else None
    input_grads: Sequence[np.ndarray | None]
    try:
        while ready:
            node = heapq.heappop(ready)[1] if len(ready) > 1 else ready.pop()[1]
            g = grads.pop(node) if node in grads else None
            run = needed is None or node in needed
            if captured and node in captured:
                captured[node] = g
            # A node that PyTorch's engine visits keeps its retained grad even when it does not
            # run it: a lone root (with several roots, the engine starts from a node of its own
            # that skips them) and the node of an input whose gradient ``grad`` returns.
            retained = node.retained
            if g is not None and retained is not None:  # noqa: SIM102 (a readable condition)
                if run or node is lone_root or (captured and node in captured):
                    _accumulate(retained, g)
            if g is None or not run:  # no gradient to pass on from this node
                input_grads = (None,) * len(node.next_fns)
            elif _anomaly_mode["enabled"]:
                input_grads = _checked_backward(node, g)
            else:
                v = node.versions
                # Inlined for the one or two tensors most operations save (see check_versions).
                if v and (v[1][0] != v[2] or (len(v) > 3 and (v[4][0] != v[5] or len(v) > 6))):
                    check_versions(node)
                input_grads = node.backward_fn(g)
            if free and node.saved and run:
                node.backward_fn = _freed
            for i, fn in enumerate(node.next_fns):
                gi = input_grads[i]
                if gi is not None and gi.dtype is not node.inputs[i]._data.dtype:
                    # As PyTorch's engine does: each input gets its gradient in its own dtype
                    # (an operation on mixed dtypes computes in the result's).
                    gi = gi.astype(node.inputs[i]._data.dtype)
                if fn is None:
                    if gi is not None:
                        t = node.inputs[i]
                        key = id(t)
                        if targets is not None and key not in targets:
                            continue
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
                    heapq.heappush(ready, (-fn.seq, fn))
    except BaseException:
        if not capture and node is not None:
            _flush_leaves(leaf_grads, leaves, _unfinished(node, ready, pending))
        raise
    finally:
        _pass.retain_graph = outer_retain
    if not capture:
        _flush_leaves(leaf_grads, leaves, set())
        return []
    return [
        _grad_of(t, g)
        for t in inputs or ()
        for g in [leaf_grads.get(id(t)) if t.grad_fn is None else captured[t.grad_fn]]
    ]


def _checked_backward(node: Node, g: np.ndarray) -> Sequence[np.ndarray | None]:
    # Anomaly detection (minimodel/_anomaly_mode.py): the node's gradients checked for NaN, and
    # a failure told with the stack of the node's forward call.
    try:
        check_versions(node)
        grads = node.backward_fn(g)
        if _anomaly_mode["check_nan"]:
            _anomaly.check_nan(node.name(), grads)
    except Exception:
        _anomaly.warn_forward_stack(node.name(), node.stack)
        raise
    return grads


def _needed(
    roots: list[Node], targets: set[int], inputs: Sequence[Tensor], run_inputs: bool
) -> set[Node]:
    """The nodes on a path from ``roots`` to one of the inputs (ids ``targets``): what runs when
    ``backward`` or ``grad`` is given ``inputs``. With ``run_inputs`` (``backward``), the
    inputs' own ``grad_fn`` too, as PyTorch's engine runs them; ``grad`` only reads the
    gradient that reaches them."""
    input_nodes = {t.grad_fn for t in inputs if t.grad_fn is not None}
    # One output of a custom Function with several is, in PyTorch, an output of the function's
    # node: the paths to that node lead to the input.
    input_nodes |= {fn.part_of for fn in input_nodes if fn.part_of is not None}
    needed: set[Node] = set()
    if run_inputs:
        needed |= input_nodes
    done: set[Node] = set()
    # Iterative post-order: a node is settled once every node below it is.
    stack: list[tuple[Node, bool]] = [(fn, False) for fn in roots]
    while stack:
        fn, expanded = stack.pop()
        if expanded:
            if any(
                (id(t) in targets) if nxt is None else (nxt in needed or nxt in input_nodes)
                for t, nxt in zip(fn.inputs, fn.next_fns, strict=False)
            ):
                needed.add(fn)
            done.add(fn)
            continue
        if fn in done:
            continue
        stack.append((fn, True))
        stack.extend((nxt, False) for nxt in fn.next_fns if nxt is not None and nxt not in done)
    return needed


def _unfinished(failed: Node, ready: list, pending: dict[Node, int]) -> set[int]:
    """The leaves that nodes not run yet (``failed`` among them) still had gradient for."""
    left = [failed, *(fn for _, fn in ready), *(fn for fn, n in pending.items() if n > 0)]
    return {id(t) for fn in left for t, nxt in zip(fn.inputs, fn.next_fns) if nxt is None}  # noqa: B905


def _flush_leaves(leaf_grads: dict, leaves: dict, unfinished: set[int]) -> None:
    for key, g in leaf_grads.items():
        t = leaves[key]
        if key not in unfinished and is_graph_leaf(t):
            _accumulate(t, g)


def is_graph_leaf(t: Tensor) -> bool:
    """Whether ``t`` is a leaf of the graph whose ``.grad`` takes the gradient that reaches it.

    Not if an in-place operation has since made it a non-leaf. A view without a grad_fn (made
    under no_grad, or of a base that did not require grad then) requires grad through its base
    and is no leaf of the graph: as in PyTorch, its gradient goes nowhere, unless
    ``requires_grad_()`` made it a leaf of its own.
    """
    view = t._view
    return t.requires_grad and t.grad_fn is None and (view is None or view.leaf)


def freed_error() -> RuntimeError:
    """PyTorch's error for going back through a node whose saved tensors a pass freed."""
    return RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed). Saved intermediate values of the graph are freed "
        "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
        "backward through the graph a second time or if you need to access saved tensors after "
        "calling backward."
    )


def _freed(g: np.ndarray) -> Sequence[np.ndarray | None]:
    raise freed_error()


def _grad_of(t: Tensor, g: np.ndarray | None) -> np.ndarray | None:
    """``g`` as ``t``'s gradient: of its shape and dtype, in memory of its own (``g`` may be
    shared with another input's gradient or be a broadcast view)."""
    if g is None:
        return None
    if g.shape != t._data.shape:
        g = np.broadcast_to(g, t._data.shape)
    return np.array(g, dtype=t._data.dtype)


def _accumulate(t: Tensor, g: np.ndarray) -> None:
    current = t._grad
    if current is None:
        t._grad = _tensor_class._wrap(_grad_of(t, g))
        return
    # PyTorch adds into the .grad the user assigned, in place, with the checks of an in-place
    # addition.
    _overlap.check_repeats(current._data)
    current._data += g


def __getattr__(name: str) -> Any:
    # Custom operations (minimodel/_function.py) build on record() and Tensor, and tensor.py
    # imports this module: loaded on first use, the three modules never import each other
    # half-way.
    if name in ("Function", "FunctionCtx"):
        from . import _function

        return getattr(_function, name)
    if name in ("backward", "grad"):
        from . import _backward

        return getattr(_backward, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
