"""The functional losses ``l1_loss``, ``binary_cross_entropy``, ``huber_loss`` and
``smooth_l1_loss``; :mod:`minimodel.nn.functional` exposes them.

``huber_loss`` and ``smooth_l1_loss`` are single operations with their gradients written here,
as PyTorch's are; ``l1_loss`` is composed of ``abs`` and a reduction, as PyTorch composes it.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..ops._util import can_cast, promote, result_type, scalar_type_name
from ..ops.arith import _broadcast_error
from ..tensor import Tensor
from . import _reduction
from .functional import (
    _broadcast_pair,
    _check_no_requires_grad,
    _pointwise_loss,
    _require_float_kernel,
    _require_tensor,
    _warn_if_broadcast,
)

__all__ = ["binary_cross_entropy", "huber_loss", "l1_loss", "smooth_l1_loss"]


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    reduction = _reduction.get_reduction(reduction)
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    r"""The mean absolute error ``|input - target|``, reduced.

    Args:
        input: predictions, any shape.
        target: the values to predict (broadcast, with PyTorch's warning, if its shape differs).
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        weight: optional weight of each element; ``'mean'`` then divides by the sum of the
            weights.

    Example::

        >>> F.l1_loss(minimodel.tensor([1.0, -3.0]), minimodel.tensor([0.0, 0.0]))
        tensor(2.)
    """
    _require_tensor(input, "l1_loss", "input", 1)
    _require_tensor(target, "l1_loss", "target", 2)
    _warn_if_broadcast(input, target)
    reduction = _reduction.resolve(size_average, reduce, reduction)
    loss = _absolute_error(input, target)
    if weight is None:
        return _reduce(loss, reduction)
    loss = loss * weight
    if _reduction.get_reduction(reduction) == "mean":
        return loss.sum() / weight.sum()
    return _reduce(loss, reduction)


def _absolute_error(input: Tensor, target: Tensor) -> Tensor:
    """``|input - target|`` of the operands broadcast first, as PyTorch's ``l1_loss`` does."""
    a, b = _broadcast_pair(input, target)
    if a.shape != input.shape:
        input = input.expand(a.shape)
    if b.shape != target.shape:
        target = target.expand(b.shape)
    return (input - target).abs()


def _difference(input: Tensor, target: Tensor, kernel: str) -> np.ndarray:
    """``input - target`` in the dtype PyTorch's ``kernel`` computes in: their common one, which
    must be floating point."""
    a, b = _broadcast_pair(input, target)
    common = result_type(a, b)
    if kernel == "huber_cpu" and not can_cast(common, a.dtype):
        # PyTorch's Huber kernel writes into a tensor of the input's dtype.
        raise RuntimeError(
            f"result type {scalar_type_name(common)} can't be cast to the desired output type "
            f"{scalar_type_name(a.dtype)}"
        )
    _require_float_kernel(common, kernel)
    return promote(a - b, a, b)


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    r"""The Huber loss: ``0.5 * d**2`` where ``|d| < delta``, else ``delta * (|d| - 0.5 * delta)``,
    for ``d = input - target``; reduced.

    Args:
        input: predictions, any shape.
        target: the values to predict.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        delta: where the loss turns from quadratic to linear; must be positive. Default: 1.
        weight: optional weight of each element (broadcast), applied before the reduction.

    Example::

        >>> F.huber_loss(minimodel.tensor([0.5, 3.0]), minimodel.zeros(2), reduction="none")
        tensor([0.1250, 2.5000])
    """
    _require_tensor(input, "huber_loss", "input", 1)
    _require_tensor(target, "huber_loss", "target", 2)
    _warn_if_broadcast(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:
        return _reduce(huber_loss(input, target, "none", delta) * weight, reduction)
    d = _difference(input, target, "huber_cpu")
    small = np.abs(d) < delta
    delta_ = d.dtype.type(delta)
    loss = np.where(small, 0.5 * d * d, delta_ * (np.abs(d) - 0.5 * delta_))
    loss = loss.astype(input._data.dtype, copy=False)
    partials = partial(_huber_loss_partials, input._data.dtype, target._data.dtype, d, delta_)
    return _pointwise_loss(
        (input, target), loss, _reduction.get_reduction(reduction), "HuberLossBackward0", partials
    )


def _huber_loss_partials(
    input_dtype: np.dtype, target_dtype: np.dtype, d: np.ndarray, delta: np.floating
) -> tuple[np.ndarray, np.ndarray]:
    if target_dtype != input_dtype:
        # PyTorch's forward mixes dtypes; its backward kernel takes one only.
        raise RuntimeError(
            f"Found dtype {scalar_type_name(target_dtype)} but expected "
            f"{scalar_type_name(input_dtype)}"
        )
    dx = np.clip(d, -delta, delta)
    return dx, -dx


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    r"""The smooth L1 loss: ``0.5 * d**2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 * beta``,
    for ``d = input - target``; reduced. ``beta = 0`` gives :func:`l1_loss`.

    Args:
        input: predictions, any shape.
        target: the values to predict.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        beta: where the loss turns from quadratic to linear; not negative. Default: 1.

    Example::

        >>> F.smooth_l1_loss(minimodel.tensor([0.5, 3.0]), minimodel.zeros(2), reduction="none")
        tensor([0.1250, 2.5000])
    """
    _require_tensor(input, "smooth_l1_loss", "input", 1)
    _require_tensor(target, "smooth_l1_loss", "target", 2)
    _warn_if_broadcast(input, target)
    reduction = _reduction.resolve(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return _reduce(_absolute_error(input, target), reduction)
    d = _difference(input, target, "smooth_l1_cpu")
    beta_ = d.dtype.type(beta)
    small = np.abs(d) < beta_
    loss = np.where(small, 0.5 * d * d / beta_, np.abs(d) - 0.5 * beta_)
    partials = partial(_smooth_l1_loss_partials, d, beta_)
    return _pointwise_loss(
        (input, target),
        loss,
        _reduction.get_reduction(reduction),
        "SmoothL1LossBackward0",
        partials,
    )


def _smooth_l1_loss_partials(d: np.ndarray, beta: np.floating) -> tuple[np.ndarray, np.ndarray]:
    dx = np.clip(d / beta, -1, 1).astype(d.dtype)
    return dx, -dx


_LOG_FLOOR = -100.0  # PyTorch clamps each log at -100, so a 0 or 1 input gives a finite loss
# and keeps the gradient's denominator off zero: PyTorch's float constant 1e-12, also in float64
_EPSILON = float(np.float32(1e-12))


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""Binary cross entropy between probabilities ``input`` and ``target``:
    ``-w * (t * log(x) + (1 - t) * log(1 - x))``, each log clamped at -100; reduced.

    Prefer :func:`binary_cross_entropy_with_logits` on logits: it is stable for any value.

    Args:
        input: probabilities in [0, 1].
        target: probabilities (usually 0 or 1), the same shape as ``input``.
        weight: optional rescaling of each element (broadcast to the target's shape).
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example::

        >>> F.binary_cross_entropy(minimodel.tensor([0.5, 1.0]), minimodel.tensor([1.0, 0.0]))
        tensor(50.3466)
    """
    _require_tensor(input, "binary_cross_entropy", "input", 1)
    _require_tensor(target, "binary_cross_entropy", "target", 2)
    reduction = _reduction.get_reduction(_reduction.resolve(size_average, reduce, reduction))
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    _check_no_requires_grad(weight, "weight", "binary_cross_entropy")
    x, t = input._data, target._data
    if t.dtype != x.dtype:
        raise RuntimeError(
            f"Found dtype {scalar_type_name(t.dtype)} but expected {scalar_type_name(x.dtype)}"
        )
    _require_float_kernel(x.dtype, "binary_cross_entropy")
    if x.size and not ((x >= 0) & (x <= 1)).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    if t.size and not ((t >= 0) & (t <= 1)).all():
        raise RuntimeError("all elements of target should be between 0 and 1")
    w = None
    if weight is not None:
        try:
            w = np.broadcast_to(weight._data, np.broadcast_shapes(t.shape, weight._data.shape))
        except ValueError:
            raise _broadcast_error(weight._data, t) from None
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
        log_x = np.maximum(np.log(x), x.dtype.type(_LOG_FLOOR))
        log_1mx = np.maximum(np.log1p(-x), x.dtype.type(_LOG_FLOOR))
    loss = -(t * log_x + (1 - t) * log_1mx)
    if w is not None:
        loss = (loss * w).astype(x.dtype, copy=False)  # PyTorch multiplies in place
    partials = partial(_binary_cross_entropy_partials, target, x, t, w)
    return _pointwise_loss(
        (input, target), loss, reduction, "BinaryCrossEntropyBackward0", partials
    )


def _binary_cross_entropy_partials(
    target: Tensor, x: np.ndarray, t: np.ndarray, w: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    dx = (x - t) / np.maximum((1 - x) * x, x.dtype.type(_EPSILON))
    # The target's gradient takes the logs unclamped, as PyTorch's does: inf at 0 and 1.
    dt = (np.log1p(-x) - np.log(x)) if target.requires_grad else None
    if w is not None:
        dx = dx * w
        dt = None if dt is None else dt * w
    return dx, dt
