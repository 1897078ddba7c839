"""``minimodel.nn.functional``: the stateless functions behind the layers and losses.

``import minimodel.nn.functional as F`` works as ``import torch.nn.functional as F`` does.

The losses, ``softmax``/``log_softmax`` and ``linear`` are each one fused operation (one node in
the graph, its gradient written by hand) rather than a chain of small ones: fewer nodes make
training faster, and computing ``log_softmax`` with the log-sum-exp shift keeps losses finite
for logits as large as 1e4.

A ``weight`` (or ``pos_weight``) that requires grad gets its gradient where PyTorch gives one
(``cross_entropy`` with class probabilities, and the losses composed of tensor operations); the
fused NLL and binary cross entropy kernels refuse it, with PyTorch's error, as PyTorch's do.

Difference from PyTorch:

* Non-tensor arguments get a plain ``TypeError`` naming the argument, where PyTorch may fail
  further inside with a less helpful message.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np

from ..autograd import cross, is_grad_enabled, record
from ..ops._util import (
    accumulated,
    add_reduce,
    check_dim,
    promote,
    promote_types,
    result_type,
    scalar_type_name,
    torch_dtype_name,
    unbroadcast,
)
from ..ops.arith import _broadcast_error
from ..ops.shape import expand_shape
from ..ops.softmax import _log_softmax_array, log_softmax, softmax
from ..tensor import Tensor
from . import _reduction

__all__ = [
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "linear",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
]


def _require_tensor(value: object, fn: str, arg: str, position: int) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {position}) must be Tensor, not "
            f"{type(value).__name__}"
        )


def _check_no_requires_grad(value: Tensor | None, arg: str, fn: str) -> None:
    """PyTorch's refusal of a tensor its kernel ``fn`` gives no gradient to (a loss's ``weight``)
    when that tensor requires grad: an error rather than a gradient silently left out."""
    if value is not None and value.requires_grad and is_grad_enabled():
        raise RuntimeError(
            f"The function '{fn}' is not differentiable with respect to argument '{arg}'. This "
            "input cannot have requires_grad True."
        )


def _require_float_kernel(dtype: np.dtype, kernel: str) -> None:
    """PyTorch's refusal to run a floating-point kernel on the dtype it computes in."""
    if dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dtype)}'")


def _broadcast_pair(input: Tensor, target: Tensor) -> tuple[np.ndarray, np.ndarray]:
    """The arrays of a pointwise loss's operands broadcast to one shape, as PyTorch's losses
    broadcast them (``torch.broadcast_tensors``) before computing: so a 0-d target takes part
    in the dtype promotion as a tensor with dimensions."""
    a, b = input._data, target._data
    if a.shape == b.shape:
        return a, b
    try:
        wide_a, wide_b = np.broadcast_arrays(a, b)
    except ValueError:
        raise _broadcast_error(a, b) from None
    return wide_a, wide_b


def _warn_if_broadcast(input: Tensor, target: Tensor) -> None:
    """PyTorch's warning when a pointwise loss's target would be broadcast to the input."""
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            stacklevel=3,
        )


# ---------------------------------------------------------------------------- activations


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Apply the rectified linear unit elementwise: ``max(0, x)``.

    Args:
        input: any tensor.
        inplace: overwrite ``input`` with the result (and return it).

    Example::

        >>> F.relu(minimodel.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 2.])
    """
    _require_tensor(input, "relu", "input", 1)
    if not inplace:
        return input.relu()
    return input._write(lambda old: old.relu())


def sigmoid(input: Tensor) -> Tensor:
    r"""Apply the logistic function ``1 / (1 + exp(-x))`` elementwise."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    r"""Apply the hyperbolic tangent elementwise."""
    return input.tanh()


# --------------------------------------------------------------------------------- linear


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    r"""Apply an affine map: ``input @ weight.T + bias``.

    For a 2-D input this is one fused operation, whose ``grad_fn`` is named ``AddmmBackward0``
    (``MmBackward0`` without bias) as in PyTorch; other contiguous inputs with a 1-D bias are
    flattened to 2-D around it, and the rest go through ``matmul`` (the bias then added in
    place), as in PyTorch.

    Args:
        input: ``(*, in_features)``.
        weight: ``(out_features, in_features)``.
        bias: ``(out_features)`` or None.

    Returns:
        ``(*, out_features)``.

    Example::

        >>> x = minimodel.ones(2, 3)
        >>> F.linear(x, minimodel.ones(4, 3), minimodel.zeros(4)).shape
        minimodel.Size([2, 4])
    """
    _require_tensor(input, "linear", "input", 1)
    _require_tensor(weight, "linear", "weight", 2)
    x, w = input._data, weight._data
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and {w.ndim}D"
        )
    if w.ndim != 2:
        out = input.matmul(weight.t())
        return out if bias is None else out + bias
    if x.ndim != 2:
        if bias is None:
            return input.matmul(weight.t())  # as PyTorch: a plain matmul, no reshapes
        # PyTorch flattens a contiguous input around a bias of one dimension once squeezed (then
        # addmm expands it); it adds any other bias in place to the product (AddBackward0), so
        # that one may broadcast to the product's shape, never past it.
        vector = bias.ndim == 1 or sum(n != 1 for n in bias.shape) == 1
        if not (vector and input.is_contiguous()):
            return input.matmul(weight.t()).add_(bias)
        rows = math.prod(x.shape[:-1])
        out = linear(input.reshape(rows, x.shape[-1]), weight, bias)
        return out.reshape(*x.shape[:-1], w.shape[0])

    # PyTorch's order: addmm checks the bias's dtype, then the input's, then the shapes; mm
    # (no bias) the shapes, then the dtypes.
    b = None
    if bias is not None:
        _require_tensor(bias, "linear", "bias", 3)
        b = bias._data
        for name, dtype in (("self", b.dtype), ("mat1", x.dtype)):
            if dtype != w.dtype:
                raise RuntimeError(
                    f"{name} and mat2 must have the same dtype, but got "
                    f"{scalar_type_name(dtype)} and {scalar_type_name(w.dtype)}"
                )
    if x.shape[1] != w.shape[1]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[1]} and "
            f"{w.shape[1]}x{w.shape[0]})"
        )
    if x.dtype != w.dtype:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{torch_dtype_name(x.dtype)} != {torch_dtype_name(w.dtype)}"
        )
    # float16 multiplied and summed in float32, the bias added there too, rounded once: as
    # PyTorch's kernels, where -3e5 + inf is inf, not float16's -inf + inf = NaN.
    out = accumulated(x) @ accumulated(w).T
    if bias is None or b is None:  # (both or neither: b for the type checker)
        backward_mm = partial(_mm_backward, input, weight, x, w)
        out = out.astype(x.dtype, copy=False)
        return record(out, (input, weight), "MmBackward0", backward_mm, cross(input, weight))
    expand_shape(b.shape, out.shape, b.dtype)  # addmm expands the bias: PyTorch's errors
    out = (out + accumulated(b)).astype(x.dtype, copy=False)
    backward = partial(_addmm_backward, input, weight, bias, x, w, b.shape)
    return record(out, (input, weight, bias), "AddmmBackward0", backward, cross(input, weight))


def _mm_backward(
    input: Tensor, weight: Tensor, x: np.ndarray, w: np.ndarray, g: np.ndarray
) -> tuple[np.ndarray | None, np.ndarray | None]:
    dtype = g.dtype
    g, x, w = accumulated(g), accumulated(x), accumulated(w)  # float16 in float32, as forward
    gx = (g @ w).astype(dtype, copy=False) if input.requires_grad else None
    gw = (g.T @ x).astype(dtype, copy=False) if weight.requires_grad else None
    return gx, gw


def _addmm_backward(
    input: Tensor,
    weight: Tensor,
    bias: Tensor,
    x: np.ndarray,
    w: np.ndarray,
    bias_shape: tuple[int, ...],
    g: np.ndarray,
) -> tuple[np.ndarray | None, ...]:
    gx, gw = _mm_backward(input, weight, x, w, g)
    gb = unbroadcast(g, bias_shape) if bias.requires_grad else None
    return gx, gw, gb


# --------------------------------------------------------------------------------- losses


def _pointwise_loss(
    inputs: tuple[Tensor, ...],
    loss: np.ndarray,
    reduction: str,
    name: str,
    partials: Callable[[], Sequence[np.ndarray | None]],
) -> Tensor:
    """Reduce an elementwise loss; ``partials()`` gives d loss / d input for each input (None
    for one that gets no gradient), computed only at backward: a :func:`functools.partial` of
    the loss's function of its saved values, defined right below the loss."""
    n = loss.size
    if reduction == "none":
        out = loss
    elif reduction == "sum":
        out = np.asarray(add_reduce(loss))
    else:
        # float16 summed and divided in float32, rounded once, as PyTorch's mean
        out = np.asarray(add_reduce(accumulated(loss)) / n if n else np.nan, dtype=loss.dtype)
    backward = partial(_pointwise_loss_backward, inputs, n, reduction, partials)
    return record(out, inputs, name, backward, inputs)


def _pointwise_loss_backward(
    inputs: tuple[Tensor, ...],
    n: int,
    reduction: str,
    partials: Callable[[], Sequence[np.ndarray | None]],
    g: np.ndarray,
) -> tuple[np.ndarray | None, ...]:
    scale = g / n if reduction == "mean" else g
    grads: list[np.ndarray | None] = []
    for t, d in zip(inputs, partials(), strict=True):
        if d is None or not t.requires_grad:
            grads.append(None)
        else:
            grad = unbroadcast(scale * d, t._data.shape)
            grads.append(grad.astype(t._data.dtype, copy=False))  # fresh already: no copy
    return tuple(grads)


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    r"""The mean squared error ``(input - target) ** 2``, reduced.

    A target whose shape differs from the input's is broadcast, with PyTorch's warning.

    Args:
        input: predictions, any shape.
        target: the values to predict.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        weight: optional weight of each element (same shape as input); ``'mean'`` then
            divides by the sum of the weights.

    Example::

        >>> F.mse_loss(minimodel.tensor([1.0, 3.0]), minimodel.tensor([0.0, 0.0]))
        tensor(5.)
    """
    _require_tensor(input, "mse_loss", "input", 1)
    _require_tensor(target, "mse_loss", "target", 2)
    _warn_if_broadcast(input, target)
    reduction = _reduction.resolve(size_average, reduce, reduction)
    a, b = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted_mse_loss(input, target, weight, reduction)
    _require_float_kernel(result_type(a, b), "mse_cpu")
    diff = promote(a - b, a, b)
    reduction = _reduction.get_reduction(reduction)
    partials = partial(_mse_loss_partials, diff)
    return _pointwise_loss((input, target), diff * diff, reduction, "MseLossBackward0", partials)


def _mse_loss_partials(diff: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return 2 * diff, -2 * diff


def _weighted_mse_loss(input: Tensor, target: Tensor, weight: Tensor, reduction: str) -> Tensor:
    # Rare path: composed of ordinary tensor operations, as PyTorch does it.
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    weighted = (input - target) ** 2 * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.sum() / weight.sum()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    r"""Binary cross entropy of ``sigmoid(input)`` against ``target``, without the sigmoid.

    Computed as ``(1 - t) * x - w_p * log_sigmoid(x)`` with a stable ``log_sigmoid``, so it
    stays finite for any logit; ``w_p = 1 + (pos_weight - 1) * t``.

    Args:
        input: logits, any shape.
        target: probabilities (usually 0 or 1), the same shape as ``input``.
        weight: optional rescaling of each element (broadcast).
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        pos_weight: optional weight of the positive examples, per class (broadcast).

    Example::

        >>> F.binary_cross_entropy_with_logits(minimodel.tensor([0.0]), minimodel.tensor([1.0]))
        tensor(0.6931)
    """
    _require_tensor(input, "binary_cross_entropy_with_logits", "input", 1)
    _require_tensor(target, "binary_cross_entropy_with_logits", "target", 2)
    reduction = _reduction.get_reduction(_reduction.resolve(size_average, reduce, reduction))
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    _check_no_requires_grad(weight, "weight", "binary_cross_entropy_with_logits")
    _check_no_requires_grad(pos_weight, "pos_weight", "binary_cross_entropy_with_logits")
    x, t = input._data, target._data
    _require_float_kernel(x.dtype, "log_sigmoid_cpu")
    log_sig = -np.logaddexp(0, -x)  # log(sigmoid(x)) without overflow
    # PyTorch's recipe, (1 - t).mul_(x).sub_(log_sig).mul_(weight): each step in place, so the
    # loss has the target's dtype, and log_sig.mul_(log_weight) keeps the input's.
    try:
        # Without pos_weight the weight of log_sig is 1: its products are skipped (x * 1.0 == x).
        log_weight = None
        if pos_weight is not None:
            # In PyTorch's promotion: a 0-d pos_weight does not widen a float16 target.
            pw = pos_weight._data
            log_weight = (1 + (pw - 1) * t).astype(result_type(pw, t), copy=False)
        weighted = log_sig if log_weight is None else (log_weight * log_sig).astype(x.dtype)
        if t.dtype.kind == "b":
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
                "`^` or `logical_xor()` operator instead."
            )
        if t.dtype.kind != "f":
            raise RuntimeError(
                f"result type {scalar_type_name(x.dtype)} can't be cast to the desired output "
                f"type {scalar_type_name(t.dtype)}"
            )
        one_minus_t = 1 - t
        loss = ((one_minus_t * x).astype(t.dtype, copy=False) - weighted).astype(t.dtype)
        if weight is not None:
            loss = (loss * weight._data).astype(t.dtype, copy=False)
    except ValueError:
        raise _broadcast_error(*_first_mismatch(x, pos_weight, weight)) from None
    if loss.shape != x.shape:
        # A weight may broadcast to the input's shape, never past it: PyTorch writes the result
        # into a tensor of the input's shape.
        raise RuntimeError(
            f"output with shape {list(x.shape)} doesn't match the broadcast shape "
            f"{list(loss.shape)}"
        )
    partials = partial(
        _binary_cross_entropy_with_logits_partials,
        target,
        weight,
        pos_weight,
        x,
        one_minus_t,
        log_sig,
        log_weight,
    )
    return _pointwise_loss(
        (input, target), loss, reduction, "BinaryCrossEntropyWithLogitsBackward0", partials
    )


def _binary_cross_entropy_with_logits_partials(
    target: Tensor,
    weight: Tensor | None,
    pos_weight: Tensor | None,
    x: np.ndarray,
    one_minus_t: np.ndarray,
    log_sig: np.ndarray,
    log_weight: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray | None]:
    sig_neg = np.exp(-np.logaddexp(0, x))  # sigmoid(-x)
    dx = one_minus_t - (sig_neg if log_weight is None else log_weight * sig_neg)
    dt = None  # a target rarely requires grad: its partial is computed only then
    if target.requires_grad:
        dt = -x if pos_weight is None else -x - (pos_weight._data - 1) * log_sig
    if weight is not None:
        dx = dx * weight._data
        dt = None if dt is None else dt * weight._data
    return dx, dt


def _first_mismatch(
    x: np.ndarray, pos_weight: Tensor | None, weight: Tensor | None
) -> tuple[np.ndarray, np.ndarray]:
    """The operands of the first product that fails to broadcast, in PyTorch's order: it
    multiplies ``pos_weight`` by the target's shape, then the loss by ``weight``."""
    shape = x.shape
    if pos_weight is not None:
        try:
            shape = np.broadcast_shapes(pos_weight._data.shape, shape)
        except ValueError:
            return pos_weight._data, x
    assert weight is not None, "a product failed to broadcast: the last one is by weight"
    return np.empty(shape), weight._data


def _check_class_weight(weight: Tensor | None, n_classes: int, x: np.ndarray, prefix: str) -> None:
    """The class weights' shape and, for the NLL kernel (no ``prefix``), their dtype: the
    composite cross entropy of class probabilities promotes them instead."""
    if weight is None:
        return
    if weight.ndim != 1 or weight.numel() != n_classes:
        raise RuntimeError(
            f"{prefix}weight tensor should be defined either for all {n_classes} classes or no "
            f"classes but got weight tensor of shape: {list(weight.shape)}"
        )
    if not prefix and weight._data.dtype != x.dtype:
        raise RuntimeError(
            f"expected scalar type {scalar_type_name(x.dtype)} but found "
            f"{scalar_type_name(weight._data.dtype)}"
        )


def _class_index_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None,
    ignore_index: int,
    reduction: str,
    label_smoothing: float,
    from_logits: bool,
) -> Tensor:
    """Negative log likelihood of the target classes; of ``log_softmax(input)`` if from_logits.

    One fused node: its gradient w.r.t. the logits is ``softmax - one_hot`` (weighted and
    smoothed), never built from the pieces.
    """
    x, t = input._data, target._data
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.ndim != 1 and (t.ndim == 0 or x.shape[0] != t.shape[0]):
        raise ValueError(
            f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
            f"({t.shape[0] if t.ndim else 0})."
        )
    if x.ndim > 2 and t.shape[1:] != x.shape[2:]:
        raise RuntimeError(
            f"Expected target size {[x.shape[0], *x.shape[2:]]}, got {list(t.shape)}"
        )
    # PyTorch's autograd layer checks this before its kernel checks the rest.
    kernel = "nll_loss2d_forward" if x.ndim > 2 else "nll_loss_forward"
    _check_no_requires_grad(weight, "weight", kernel)
    if x.ndim <= 2 and t.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
        raise ValueError(
            f"For 1D input, 1D target must have size 1, but got target size: {t.shape[0]}"
        )
    if t.dtype not in (np.int64, np.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {scalar_type_name(t.dtype)}"
        )
    n_classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    spatial = x.ndim > 2  # PyTorch's 2-D kernel (nll_loss2d), with its own checks
    if spatial and weight is not None and weight.numel() != n_classes:
        raise RuntimeError("weight tensor should be defined either for all or no classes")
    if spatial and x.ndim != 4 and x.size == 0 and t.size:
        # PyTorch views a 3-D or 5-D+ input as (N, C, 1, -1), but an empty one as (N, C, 0, 0):
        # without classes, the target's (N, 1, -1) view no longer matches it.
        raise RuntimeError(
            f"size mismatch (got input: {[x.shape[0], n_classes, 0, 0]} , target: "
            f"{[t.shape[0], 1, t.size // t.shape[0]]}"
        )
    _check_class_weight(weight, n_classes, x, "")
    _require_float_kernel(
        x.dtype, "nll_loss2d_forward_out_frame" if spatial else "nll_loss_out_frame"
    )
    # The 2-D kernel reads Byte targets as Long ones and refuses them, except that its
    # forward returns the mean or sum of no targets before it reads them: its backward refuses.
    byte_target = spatial and t.dtype == np.uint8
    if byte_target and (t.size or reduction == "none"):
        raise RuntimeError("expected scalar type Long but found Byte")

    # Work on a (samples, classes) matrix whatever the layout.
    if x.ndim == 1:
        x2 = x[None, :]
    elif x.ndim == 2:
        x2 = x
    else:
        samples = x.shape[0] * math.prod(x.shape[2:])  # counted: there may be no classes
        x2 = np.moveaxis(x, 1, -1).reshape(samples, n_classes)
    t1 = t.reshape(-1).astype(np.int64)
    valid = t1 != ignore_index
    bad = valid & ((t1 < 0) | (t1 >= n_classes))
    if bad.any():
        value = int(t1[bad][0])
        if t.dtype == np.uint8 and reduction == "none" and x.ndim == 2:
            # PyTorch's unreduced kernel prints a Byte target as a character; past 127 it is no
            # UTF-8, and decoding the message raises instead, as there.
            # (A C string: it ends at a zero byte.)
            raw = (b"Target " + bytes([value]) + b" is out of bounds.").split(b"\0")[0]
            raise IndexError(raw.decode())
        raise IndexError(f"Target {value} is out of bounds.")
    safe_t = np.where(valid, t1, 0)
    rows = np.arange(t1.shape[0])
    dtype = x.dtype
    w = None if weight is None else weight._data
    # Without classes every target is ignored (any other is out of bounds): nothing to pick.
    w_y = valid.astype(dtype) if w is None or not n_classes else w[safe_t] * valid

    logp = _log_softmax_array(x2, 1) if from_logits else x2
    picked = logp[rows, safe_t] if n_classes else np.zeros(rows.shape, dtype)
    per_sample = -w_y * picked
    if label_smoothing > 0:
        smooth = -(logp.sum(axis=1) if w is None else (logp * w).sum(axis=1)) * valid
        per_sample = (1 - label_smoothing) * per_sample + _share(
            label_smoothing, n_classes
        ) * smooth
    denom = w_y.sum()
    if reduction == "none":
        # A 1-D input is one sample: a 0-D result, even for a target of shape (1,).
        out = per_sample.reshape(t.shape if x.ndim > 1 else ())
    elif reduction == "sum":
        out = np.asarray(add_reduce(per_sample))
        if label_smoothing > 0 and not n_classes:
            # PyTorch sums the smoothing term first, then scales it by an infinite share.
            out = np.asarray(np.nan, dtype)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            # PyTorch divides the NLL and the smoothing terms by ``denom`` separately: with no
            # weight counted, the NLL term is 0 / 0, so the loss is NaN whatever the smoothing.
            total = add_reduce(accumulated(per_sample)) if denom else np.nan
            out = np.asarray(total / denom, dtype=dtype)
    if label_smoothing > 0:
        name = "AddBackward0"
    elif not spatial:
        name = "NllLossBackward0"
    else:  # PyTorch views a 3-D or 5-D+ input as 4-D, and views its unreduced loss back
        name = "ViewBackward0" if reduction == "none" and x.ndim != 4 else "NllLoss2DBackward0"
    backward = partial(
        _class_index_loss_backward,
        byte_target,
        x.shape,
        x2,
        logp,
        rows,
        safe_t,
        valid,
        w,
        w_y,
        denom,
        reduction,
        label_smoothing,
        from_logits,
    )
    return record(out, (input,), name, backward)


def _class_index_loss_backward(
    byte_target: bool,
    shape: tuple[int, ...],
    x2: np.ndarray,
    logp: np.ndarray,
    rows: np.ndarray,
    safe_t: np.ndarray,
    valid: np.ndarray,
    w: np.ndarray | None,
    w_y: np.ndarray,
    denom: np.generic,
    reduction: str,
    label_smoothing: float,
    from_logits: bool,
    g: np.ndarray,
) -> tuple[np.ndarray]:
    # x2 is the input as a (samples, classes) matrix; shape, the input's own.
    if byte_target:
        raise RuntimeError("expected scalar type Long but found Byte")
    n_classes = x2.shape[1]
    dtype = x2.dtype
    if reduction == "none":
        scale = g.reshape(-1, 1)
    elif reduction == "sum":
        scale = g
    else:
        scale = g / denom
    coef = (1 - label_smoothing) * w_y
    if from_logits:
        p = np.exp(logp)
        grad = p * coef[:, None]
        if n_classes:
            grad[rows, safe_t] -= coef
        if label_smoothing > 0:
            w_all = np.ones(n_classes, dtype) if w is None else w
            spread = p * w_all.sum() - w_all
            grad += _share(label_smoothing, n_classes) * spread * valid[:, None]
        grad = (grad * scale).astype(dtype, copy=False)
        if reduction == "mean" and not denom:
            # PyTorch's NLL gradient is then -w / 0 = NaN at each counted target, which its
            # log_softmax backward spreads over the row.
            grad[valid] = np.nan
    else:
        # Only the targets get a gradient: the others stay 0 (selected, whatever the scale).
        grad = np.zeros_like(x2)
        if n_classes:
            grad[rows, safe_t] = -coef * np.reshape(scale, -1)
    if not valid.all():
        # Selected: PyTorch leaves ignored samples at 0 even when the scale is inf or NaN
        # (a mean over no counted sample divides by 0).
        grad[~valid] = 0
    if len(shape) == 1:
        return (grad[0],)
    if len(shape) == 2:
        return (grad,)
    return (np.moveaxis(grad.reshape(shape[0], *shape[2:], n_classes), -1, 1),)


def _cross_entropy_probs(
    input: Tensor, target: Tensor, weight: Tensor | None, reduction: str, label_smoothing: float
) -> Tensor:
    """Cross entropy against class probabilities: ``-sum_c w_c t_c log_softmax(x)_c``.

    PyTorch composes it of tensor operations, so the input, the target and the weight each get
    a gradient."""
    x = input._data
    axis = check_dim(0 if x.ndim == 1 else 1, x.ndim)
    n_classes = x.shape[axis]
    _check_class_weight(weight, n_classes, x, "cross_entropy: ")
    _class_axis(x)
    _check_label_smoothing(label_smoothing)
    logp = _log_softmax_array(x, axis)
    t = target._data
    if label_smoothing > 0:
        t = t * (1 - label_smoothing) + _share(label_smoothing, n_classes)
    w: float | np.ndarray = 1.0
    if weight is not None:
        w = weight._data.reshape([n_classes] + [1] * (x.ndim - 2)) if x.ndim > 1 else weight._data
    # PyTorch's dtype: NumPy would widen an integer (weight, or empty input) and a float32 to
    # float64. An empty integer input's log_softmax stays integer: it too is cast, so that the
    # gradients are computed in that dtype.
    dtype = promote_types(x.dtype, t.dtype)
    if weight is not None:
        dtype = promote_types(dtype, weight._data.dtype)
    tw = np.asarray(t * w).astype(dtype, copy=False)
    logp = logp.astype(dtype, copy=False)
    prod = logp * tw
    n = x.size // n_classes if n_classes else 0
    if reduction == "none":
        out = -add_reduce(prod, axis=axis)
    elif reduction == "sum":
        out = np.asarray(-add_reduce(prod))
    else:
        out = np.asarray(-add_reduce(accumulated(prod)) / n if n else np.nan, dtype=prod.dtype)
    # PyTorch divides a mean by the count; an empty one it fills with NaN before negating it.
    name = "DivBackward1" if reduction == "mean" and n else "NegBackward0"
    backward = partial(
        _cross_entropy_probs_backward,
        input,
        target,
        weight,
        x.dtype,
        logp,
        t,
        tw,
        w,
        axis,
        n,
        reduction,
        label_smoothing,
    )
    inputs = (input, target) if weight is None else (input, target, weight)
    return record(out, inputs, name, backward)


def _cross_entropy_probs_backward(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None,
    dtype: np.dtype,
    logp: np.ndarray,
    t: np.ndarray,
    tw: np.ndarray,
    w: float | np.ndarray,
    axis: int,
    n: int,
    reduction: str,
    label_smoothing: float,
    g: np.ndarray,
) -> tuple[np.ndarray | None, ...]:
    if reduction == "none":
        scale = np.expand_dims(g, axis)
    elif reduction == "mean":
        scale = g / n
    else:
        scale = g
    gx = gt = gw = None
    if input.requires_grad:
        gx = ((np.exp(logp) * tw.sum(axis=axis, keepdims=True) - tw) * scale).astype(dtype)
    if target.requires_grad:
        gt = (-(logp * w) * (1 - label_smoothing) * scale).astype(target._data.dtype)
    if weight is None:
        return gx, gt
    if weight.requires_grad:
        # Every axis but the classes' is summed: the weight broadcast over them.
        others = tuple(i for i in range(logp.ndim) if i != axis)
        gw = np.add.reduce(-(logp * t) * scale, axis=others).astype(weight._data.dtype)
    return gx, gt, gw


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    r"""Cross entropy between the logits ``input`` and ``target``: ``log_softmax`` + NLL, fused.

    ``target`` is either class indices (int64, shape ``(N)``, or ``()`` for a 1-D input) or
    class probabilities (float, the same shape as ``input``).

    Args:
        input: logits ``(C)``, ``(N, C)`` or ``(N, C, d1, ...)``.
        target: class indices in ``[0, C)`` or probabilities.
        weight: optional weight of each class, shape ``(C)``.
        ignore_index: a class index whose samples are left out (only for index targets).
        reduction: ``'mean'`` (default; for index targets divided by the summed weights of the
            counted samples), ``'sum'`` or ``'none'``.
        label_smoothing: in ``[0, 1]``; mixes the target with the uniform distribution.

    Example::

        >>> logits = minimodel.tensor([[1e4, 0.0], [0.0, 1e4]])
        >>> F.cross_entropy(logits, minimodel.tensor([0, 1]))
        tensor(0.)
    """
    _require_tensor(input, "cross_entropy", "input", 1)
    _require_tensor(target, "cross_entropy", "target", 2)
    reduction = _reduction.get_reduction(_reduction.resolve(size_average, reduce, reduction))
    if input.shape == target.shape:
        if target._data.dtype.kind != "f":
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, got "
                f"{scalar_type_name(target._data.dtype)}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_probs(input, target, weight, reduction, max(label_smoothing, 0.0))
    _check_label_smoothing(label_smoothing)
    _class_axis(input._data)
    return _class_index_loss(
        input, target, weight, ignore_index, reduction, max(label_smoothing, 0.0), True
    )


def _share(label_smoothing: float, n_classes: int) -> float:
    """Each class's share of the smoothing, a C++ double division as in PyTorch: infinite (not
    Python's ZeroDivisionError) when there are no classes, whose tensors are then empty."""
    return label_smoothing / n_classes if n_classes else math.inf * label_smoothing


def _check_label_smoothing(label_smoothing: float) -> None:
    if label_smoothing > 1.0:  # PyTorch checks only this side; a negative value is ignored
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")


def _class_axis(x: np.ndarray) -> int:
    """The class axis of cross entropy's logits (0 for one sample, else 1), checked as PyTorch's
    ``log_softmax`` over it checks: in range, and a floating-point input."""
    axis = check_dim(0 if x.ndim == 1 else 1, x.ndim)
    if x.size:  # PyTorch's log_softmax returns an empty input before it looks at its dtype
        kernel = "lastdim_kernel_impl" if axis == x.ndim - 1 else "kernel_impl"
        _require_float_kernel(x.dtype, f"log_softmax_{kernel}")
    return axis


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""Negative log likelihood: ``-input[n, target[n]]``, for log-probabilities ``input``.

    Args:
        input: log-probabilities ``(C)``, ``(N, C)`` or ``(N, C, d1, ...)``.
        target: class indices in ``[0, C)`` (int64).
        weight: optional weight of each class, shape ``(C)``.
        ignore_index: a class index whose samples are left out.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example::

        >>> F.nll_loss(minimodel.tensor([[-1.0, -2.0]]), minimodel.tensor([1]))
        tensor(2.)
    """
    _require_tensor(input, "nll_loss", "input", 1)
    _require_tensor(target, "nll_loss", "target", 2)
    reduction = _reduction.get_reduction(_reduction.resolve(size_average, reduce, reduction))
    return _class_index_loss(input, target, weight, ignore_index, reduction, 0.0, False)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    r"""Turn int64 class indices of shape ``(*)`` into int64 one-hot rows of shape ``(*, C)``.

    Args:
        tensor: class indices.
        num_classes: ``C``; by default one more than the largest index.

    Example::

        >>> F.one_hot(minimodel.tensor([0, 2]))
        tensor([[1, 0, 0],
                [0, 0, 1]])
    """
    _require_tensor(tensor, "one_hot", "tensor", 1)
    x = tensor._data
    if x.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if x.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(x.max()) + 1
    if x.size and x.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if x.size and x.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (x[..., None] == np.arange(num_classes)).astype(np.int64)
    return Tensor._wrap(out)


# The functions below live in modules of their own (one concept a file); this is their public
# home, as in torch.nn.functional.
from ._activation_functional import dropout, gelu, leaky_relu, softplus  # noqa: E402
from ._layer_functional import embedding, layer_norm  # noqa: E402
from ._loss_functional import (  # noqa: E402
    binary_cross_entropy,
    huber_loss,
    l1_loss,
    smooth_l1_loss,
)

__all__ += [
    "binary_cross_entropy",
    "dropout",
    "embedding",
    "gelu",
    "huber_loss",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "smooth_l1_loss",
    "softplus",
]
