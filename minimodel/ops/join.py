"""Operations on several tensors: ``cat``, ``stack``, ``where``, ``maximum``, ``minimum``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..autograd import record
from ..tensor import Tensor
from ._util import check_dim, promote, unbroadcast


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Concatenate tensors along an existing dimension.

    Example::

        >>> minimodel.cat([minimodel.zeros(2), minimodel.ones(1)])
        tensor([0., 0., 1.])
    """
    tensors = tuple(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    arrays = [t._data for t in tensors]
    axis = check_dim(dim, arrays[0].ndim)
    first = arrays[0].shape
    for k, a in enumerate(arrays[1:], start=1):
        if a.ndim != len(first):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(first)} and {a.ndim}"
            )
        for d in range(a.ndim):
            if d != axis and a.shape[d] != first[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size "
                    f"{first[d]} but got size {a.shape[d]} for tensor number {k} in the list."
                )
    out = np.concatenate(arrays, axis=axis)
    splits = np.cumsum([a.shape[axis] for a in arrays])[:-1]
    return record(out, tensors, "CatBackward0", lambda g: tuple(np.split(g, splits, axis=axis)))


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of the same shape along a new dimension."""
    tensors = tuple(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    arrays = [t._data for t in tensors]
    for k, a in enumerate(arrays[1:], start=1):
        if a.shape != arrays[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(arrays[0].shape)} at "
                f"entry 0 and {list(a.shape)} at entry {k}"
            )
    axis = check_dim(dim, arrays[0].ndim + 1)
    out = np.stack(arrays, axis=axis)
    n = len(arrays)
    return record(
        out,
        tensors,
        "StackBackward0",
        lambda g: tuple(np.squeeze(p, axis) for p in np.split(g, n, axis=axis)),
    )


def _as_tensor(x: Tensor | float, like: np.ndarray) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor._wrap(np.asarray(x, dtype=like.dtype))


def where(condition: Tensor, input: Tensor | float, other: Tensor | float) -> Tensor:
    """Pick ``input`` where ``condition`` is true and ``other`` elsewhere, with broadcasting."""
    cond = condition._data.astype(bool, copy=False)
    ref = input._data if isinstance(input, Tensor) else other._data  # type: ignore[union-attr]
    a, b = _as_tensor(input, ref), _as_tensor(other, ref)
    out = promote(np.where(cond, a._data, b._data), a._data, b._data)

    def backward(g: np.ndarray) -> tuple[None, np.ndarray, np.ndarray]:
        return (
            None,
            unbroadcast(np.where(cond, g, 0), a._data.shape),
            unbroadcast(np.where(cond, 0, g), b._data.shape),
        )

    return record(out, (condition, a, b), "WhereBackward0", backward)


def _pick(input: Tensor, other: Tensor, is_max: bool) -> Tensor:
    a, b = input._data, other._data
    out = promote(np.maximum(a, b) if is_max else np.minimum(a, b), a, b)

    def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Ties split the gradient in half, as in PyTorch.
        first = (a > b) if is_max else (a < b)
        tie = a == b
        wa = first + 0.5 * tie
        return unbroadcast(g * wa, a.shape), unbroadcast(g * (1 - wa), b.shape)

    name = "MaximumBackward0" if is_max else "MinimumBackward0"
    return record(out, (input, other), name, backward)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise maximum of two tensors."""
    return _pick(input, other, True)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise minimum of two tensors."""
    return _pick(input, other, False)
