"""``minimodel.autograd.backward`` and ``minimodel.autograd.grad``: the entry points of the
backward pass, with PyTorch's arguments, defaults and checks (``Tensor.backward`` calls
:func:`backward`). The pass itself is :func:`minimodel.autograd.run_backward`.

Differences from PyTorch: ``create_graph=True`` (higher-order gradients) and
``is_grads_batched=True`` raise NotImplementedError, and ``inputs`` takes tensors only (no
``GradientEdge``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from . import autograd
from .size import Size

if TYPE_CHECKING:
    from .tensor import Tensor

__all__ = ["backward", "grad"]


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    grad_variables: Tensor | Sequence[Tensor | None] | None = None,
    inputs: Tensor | Sequence[Tensor] | dict[str, Tensor] | None = None,
) -> None:
    """Sum the gradients of ``tensors`` into ``.grad`` of the graph leaves (or of ``inputs``).

    Args:
        tensors: the tensors to differentiate, in one backward pass.
        grad_tensors: the gradient w.r.t. each of ``tensors`` (None for a one-element tensor).
        retain_graph: keep the graph for another backward pass (default: ``create_graph``).
        create_graph: not supported (no higher-order gradients).
        grad_variables: deprecated name of ``grad_tensors``.
        inputs: the tensors whose ``.grad`` takes the gradient, instead of every leaf; a
            non-leaf among them then retains its gradient (:meth:`Tensor.retain_grad`).

    Example::

        >>> w = minimodel.tensor([1.0, 2.0], requires_grad=True)
        >>> b = minimodel.tensor([3.0], requires_grad=True)
        >>> loss, penalty = (w * b).sum(), (w * w).sum()
        >>> minimodel.autograd.backward([loss, penalty], inputs=[w])
        >>> w.grad, b.grad
        (tensor([5., 7.]), None)
    """
    if grad_variables is not None:
        warnings.warn(
            "`grad_variables` is deprecated. Use `grad_tensors` instead.",
            FutureWarning,
            stacklevel=2,
        )
        if grad_tensors is not None:
            raise RuntimeError(
                "`grad_tensors` and `grad_variables` (deprecated) arguments both passed to "
                "`backward()`. Please only use `grad_tensors`."
            )
        grad_tensors = grad_variables
    if create_graph:
        raise NotImplementedError("minimodel does not support create_graph=True")
    inputs_tuple = () if inputs is None else _as_tuple(inputs, "backward")
    if inputs is not None and not inputs_tuple:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    outputs = _outputs(tensors)
    grads = _make_grads(outputs, _grads_tuple(grad_tensors, len(outputs)))
    _run(outputs, grads, bool(retain_graph), inputs_tuple if inputs is not None else None, None)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor] | dict[str, Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> Any:
    """Return the gradients of ``outputs`` w.r.t. ``inputs``, without touching any ``.grad``.

    Args:
        outputs: the tensors to differentiate.
        inputs: the tensors to differentiate with respect to (a dict gives a dict back).
        grad_outputs: the gradient w.r.t. each output (None for a one-element output).
        retain_graph: keep the graph for another backward pass (default: ``create_graph``).
        create_graph: not supported (no higher-order gradients).
        only_inputs: deprecated and ignored.
        allow_unused: if False, an input that gets no gradient is an error; by default
            ``materialize_grads``.
        is_grads_batched: not supported.
        materialize_grads: give zeros instead of None to inputs that get no gradient.

    Example::

        >>> x = minimodel.tensor([1.0, 2.0], requires_grad=True)
        >>> y = minimodel.tensor(3.0, requires_grad=True)
        >>> minimodel.autograd.grad((x * x * y).sum(), [x, y])
        (tensor([ 6., 12.]), tensor(5.))
        >>> print(x.grad)
        None
    """
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, but "
            "got: allow_unused=False."
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    outs = _outputs(outputs)
    inputs_tuple = _as_tuple(inputs, "grad")
    if not inputs_tuple:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn(
            "only_inputs argument is deprecated and is ignored now (defaults to True). To "
            "accumulate gradient for other parts of the graph, please use "
            "torch.autograd.backward.",
            FutureWarning,
            stacklevel=2,
        )
    if create_graph:
        raise NotImplementedError("minimodel does not support create_graph=True")
    if is_grads_batched:
        raise NotImplementedError("minimodel does not support is_grads_batched=True")
    grads = _make_grads(outs, _grads_tuple(grad_outputs, len(outs)))
    result = _run(outs, grads, bool(retain_graph), inputs_tuple, bool(allow_unused))
    if materialize_grads:
        result = tuple(
            autograd._tensor_class._wrap(np.zeros_like(t._data)) if r is None else r
            for r, t in zip(result, inputs_tuple, strict=True)
        )
    if type(inputs) is dict:
        return dict(zip(inputs.keys(), result, strict=True))
    return result


def _outputs(tensors: Any) -> tuple:
    return (tensors,) if isinstance(tensors, autograd._tensor_class) else tuple(tensors)


def _as_tuple(inputs: Any, caller: str) -> tuple:
    if isinstance(inputs, autograd._tensor_class):
        return (inputs,)
    if type(inputs) is dict:
        return tuple(inputs.values())
    if isinstance(inputs, Mapping):
        raise TypeError(
            f"`inputs` argument to `{caller}()` must be a dict, not {type(inputs).__name__}. "
            "Other Mapping types are not supported."
        )
    return tuple(inputs)


def _grads_tuple(grads: Any, length: int) -> tuple:
    if grads is None:
        return (None,) * length
    if isinstance(grads, autograd._tensor_class):
        return (grads,)
    return tuple(grads)


def _make_grads(outputs: tuple, grads: tuple) -> list:
    """PyTorch's checks of each output and its gradient; the implicit gradient of a
    one-element output (ones)."""
    tensor = autograd._tensor_class
    new_grads: list = []
    # Not strict, as in PyTorch: extra gradients are dropped, missing ones reported by _run.
    for out, g in zip(outputs, grads, strict=False):
        if not isinstance(out, tensor):
            raise AssertionError("Expected output to be a torch.Tensor")
        if isinstance(g, tensor):
            if g._data.shape != out._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{grads.index(g)}] has a shape of "
                    f"{Size(g._data.shape)!r} and output[{outputs.index(out)}] has a shape of "
                    f"{Size(out._data.shape)!r}."
                )
            new_grads.append(g)
        elif g is None:
            if not out.requires_grad:
                new_grads.append(None)
                continue
            if out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            new_grads.append(tensor._wrap(np.ones_like(out._data)))
        else:
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
    return new_grads


def _run(
    outputs: tuple,
    grads: list,
    retain_graph: bool,
    inputs: tuple | None,
    allow_unused: bool | None,
) -> tuple:
    """PyTorch engine's checks, then the pass: accumulating when ``allow_unused`` is None
    (``backward``), else returning the gradients of ``inputs`` (``grad``)."""
    if len(outputs) != len(grads):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    for i, out in enumerate(outputs):
        # A view made under no_grad of a tensor that requires grad has no edge into the graph.
        if not out.requires_grad or (out.grad_fn is None and not autograd.is_graph_leaf(out)):
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
    capture = allow_unused is not None
    for t in inputs or ():
        if not isinstance(t, autograd._tensor_class):
            raise RuntimeError(
                f"all inputs have to be Tensors or GradientEdges, but got {type(t).__name__}"
            )
        if not capture:
            t.retain_grad()  # as PyTorch's engine does: a non-leaf input keeps its .grad
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots = [(out, g._data) for out, g in zip(outputs, grads, strict=True)]
    result = autograd.run_backward(roots, retain_graph, inputs, capture)
    if not capture:
        return ()
    for i, g in enumerate(result):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {i} appears to not have been used in the "
                "graph. Set allow_unused=True if this is the desired behavior."
            )
    tensor = autograd._tensor_class
    return tuple(None if g is None else tensor._wrap(g) for g in result)
