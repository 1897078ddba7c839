"""Indexing and slicing (basic and integer-array), and assignment into a tensor."""

from __future__ import annotations

import numpy as np

from ..autograd import _grad_mode, record
from ..tensor import Tensor
from ._util import unbroadcast


def _convert(index: object) -> tuple[object, bool]:
    """Turn tensors inside an index into arrays; report whether it is an advanced index."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    advanced = False
    for item in items:
        if isinstance(item, Tensor):
            item = item._data
        if isinstance(item, list):
            item = np.asarray(item)
        if isinstance(item, np.ndarray):
            advanced = True
            if item.dtype.kind not in "biu":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        out.append(item)
    return (tuple(out) if isinstance(index, tuple) else out[0]), advanced


def _bounds_check(x: np.ndarray, index: object) -> None:
    items = index if isinstance(index, tuple) else (index,)
    dim = 0
    for item in items:
        if item is None:
            continue
        if item is Ellipsis:
            dim = x.ndim - sum(1 for i in items[items.index(Ellipsis) + 1 :] if i is not None)
            continue
        if isinstance(item, int | np.integer) and not isinstance(item, bool) and dim < x.ndim:
            n = x.shape[dim]
            if not -n <= item < n:
                raise IndexError(f"index {item} is out of bounds for dimension {dim} with size {n}")
        dim += 1


def getitem(input: Tensor, index: object) -> Tensor:
    """``input[index]`` with NumPy's semantics for slices, ints, None, ``...``, masks and arrays."""
    x = input._data
    idx, advanced = _convert(index)
    if not advanced:
        _bounds_check(x, idx)
    out = x[idx]
    if not isinstance(out, np.ndarray):
        out = np.asarray(out)
    if advanced:
        name = "IndexBackward0"
    else:
        last = (idx[-1] if idx else None) if isinstance(idx, tuple) else idx
        name = "SelectBackward0" if isinstance(last, int | np.integer) else "SliceBackward0"

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros(x.shape, dtype=g.dtype)
        if advanced:
            np.add.at(grad, idx, g)  # repeated indices must add up
        else:
            grad[idx] = g
        return (grad,)

    return record(out, (input,), name, backward)


def setitem(target: Tensor, index: object, value: Tensor | float) -> None:
    """``target[index] = value``, in place; recorded for autograd when a side requires grad."""
    idx, advanced = _convert(index)
    if not advanced:
        _bounds_check(target._data, idx)
    value_requires = isinstance(value, Tensor) and value.requires_grad
    if not _grad_mode.enabled or not (target.requires_grad or value_requires):
        target._data[idx] = value._data if isinstance(value, Tensor) else value
        return
    if target.requires_grad and target.grad_fn is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    # Autograd sees the assignment as a new tensor computed from the old one; ``target`` then
    # takes that tensor's place, like PyTorch's CopySlices node.
    old = target._alias()
    v = (
        value
        if isinstance(value, Tensor)
        else Tensor._wrap(np.asarray(value, dtype=target._data.dtype))
    )
    data = old._data.copy()
    data[idx] = v._data
    v_shape = v._data.shape

    def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g_old = g.copy()
        g_old[idx] = 0
        return g_old, unbroadcast(g[idx], v_shape)

    target._become(record(data, (old, v), "CopySlices", backward))
