"""Indexing and slicing (basic and integer-array), and assignment into a tensor."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd import _grad_mode, record
from ..tensor import Tensor
from ._util import unbroadcast

_LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF_ERROR = "a view of " + _LEAF_ERROR


def _convert(index: object) -> tuple[object, bool]:
    """Turn tensors inside an index into arrays; report whether it is an advanced index."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    advanced = False
    for item in items:
        if isinstance(item, Tensor):
            item = item._data
            if item.ndim == 0 and item.dtype.kind in "iu":
                item = int(item)  # a 0-d integer tensor selects, as a Python int does
        if isinstance(item, list):
            item = np.asarray(item)
        if isinstance(item, np.ndarray):
            advanced = True
            if item.dtype.kind not in "biu":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        elif isinstance(item, bool):
            advanced = True
        elif isinstance(item, slice) and item.step is not None and item.step <= 0:
            # NumPy walks backwards; PyTorch has no negative strides.
            raise ValueError(
                "slice step cannot be zero" if item.step == 0 else "step must be greater than zero"
            )
        elif isinstance(item, float):
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                "are valid indices (got float)"
            )
        out.append(item)
    return (tuple(out) if isinstance(index, tuple) else out[0]), advanced


def _consumed(item: object) -> int:
    """How many dimensions of the indexed tensor an index item uses up."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if isinstance(item, np.ndarray) and item.dtype == np.bool_:
        return item.ndim
    return 1


def _is_whole(item: slice, size: int) -> bool:
    # PyTorch skips such a slice (no view, no grad_fn) unless it is the whole index.
    return (
        item.start in (None, 0)
        and item.step in (None, 1)
        and (item.stop is None or item.stop >= size)
    )


def _view_name(items: tuple[Any, ...], shape: tuple[int, ...]) -> str:
    """The ``grad_fn`` name of basic indexing: that of the last view PyTorch applies."""
    name = "AliasBackward0"
    dim = 0
    for k, item in enumerate(items):
        if item is None:
            name = "UnsqueezeBackward0"
        elif item is Ellipsis:
            dim = len(shape) - sum(_consumed(i) for i in items[k + 1 :])
        elif isinstance(item, slice):
            # (An index with too many items fails later, with PyTorch's message.)
            if dim >= len(shape) or not _is_whole(item, shape[dim]):
                name = "SliceBackward0"
            dim += 1
        elif isinstance(item, np.ndarray | bool):
            dim += _consumed(item)
        else:
            name = "SelectBackward0"
            dim += 1
    return name


def _index_error(x: np.ndarray, index: object) -> IndexError | None:
    """PyTorch's IndexError for an index NumPy rejected, or None if there is no better message."""
    items = index if isinstance(index, tuple) else (index,)
    consuming = [i for i in items if _consumed(i)]
    if x.ndim == 0 and consuming:
        if isinstance(consuming[0], slice):
            return IndexError("slice() cannot be applied to a 0-dim tensor.")
        if not isinstance(consuming[0], np.ndarray):
            return IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
            )
    if sum(_consumed(i) for i in items) > x.ndim:
        return IndexError(f"too many indices for tensor of dimension {x.ndim}")
    # ``real`` counts dimensions as PyTorch's error messages do (None included); ``dim`` is the
    # dimension of ``x`` an item applies to; ``view`` is the shape after the basic indexing so
    # far; ``k`` counts advanced indices.
    real = dim = k = 0
    view = list(x.shape)
    view_dim = 0
    for item in items:
        if item is None:
            view.insert(view_dim, 1)
            real, view_dim = real + 1, view_dim + 1
        elif item is Ellipsis:
            skip = x.ndim - sum(_consumed(i) for i in items)
            real, dim, view_dim = real + skip, dim + skip, view_dim + skip
        elif isinstance(item, np.ndarray) and item.dtype == np.bool_:
            mask = list(item.shape)
            have = view[view_dim : view_dim + len(mask)]
            for j, (m, n) in enumerate(zip(mask, have, strict=True)):
                if m != n:
                    return IndexError(
                        f"The shape of the mask {mask} at index {j} does not match the shape of "
                        f"the indexed tensor {view} at index {view_dim + j}"
                    )
            real, dim, view_dim, k = real + item.ndim, dim + item.ndim, view_dim + item.ndim, k + 1
        elif isinstance(item, np.ndarray):
            n = x.shape[dim]
            bad = item[(item < -n) | (item >= n)]
            if bad.size:
                return IndexError(
                    f"index {bad.flat[0]} is out of bounds for dimension {k} with size {n}"
                )
            real, dim, view_dim, k = real + 1, dim + 1, view_dim + 1, k + 1
        elif isinstance(item, slice):
            real, dim, view_dim = real + 1, dim + 1, view_dim + 1
        elif not isinstance(item, bool):
            n = x.shape[dim]
            if not -n <= item < n:
                return IndexError(
                    f"index {item} is out of bounds for dimension {real} with size {n}"
                )
            del view[view_dim]
            real, dim = real + 1, dim + 1
    arrays = [list(i.shape) for i in items if isinstance(i, np.ndarray) and i.dtype != np.bool_]
    if len(arrays) > 1:
        try:
            np.broadcast_shapes(*(tuple(a) for a in arrays))
        except ValueError:
            shapes = ", ".join(str(a) for a in arrays)
            return IndexError(
                f"shape mismatch: indexing tensors could not be broadcast together with shapes "
                f"{shapes}"
            )
    return None


def _split_ints(idx: object) -> tuple[tuple[object, ...], tuple[object, ...]] | None:
    """An advanced index with integers in it as two steps: ``x[idx]`` is ``x[basic][rest]``.

    PyTorch applies integers first, as basic indexing (selecting), and then the tensors and
    lists to what is left; NumPy counts integers as advanced indices, which moves the
    dimensions of the result around: ``x[0, :, [1, 2]]`` of a (2, 3, 4) tensor is (3, 2) in
    PyTorch and (2, 3) in NumPy. None when there is no such integer.
    """
    if not isinstance(idx, tuple) or not any(type(i) is int for i in idx):
        return None
    basic: list[object] = []
    rest: list[object] = []
    for item in idx:
        if isinstance(item, np.ndarray):
            basic += [slice(None)] * _consumed(item)
            rest.append(item)
        elif isinstance(item, bool):
            rest.append(item)
        elif type(item) is int:
            basic.append(item)
        else:  # a slice or None keeps or makes a dimension; ``...`` stands for the same ones
            basic.append(item)
            rest.append(Ellipsis if item is Ellipsis else slice(None))
    return tuple(basic), tuple(rest)


def _index(x: np.ndarray, idx: object, split: tuple | None = None) -> np.ndarray:
    try:
        out = x[idx] if split is None else x[split[0]][split[1]]
    except IndexError as e:
        raise (_index_error(x, idx) or e) from None
    return out if type(out) is np.ndarray else np.asarray(out)


def getitem(input: Tensor, index: object) -> Tensor:
    """``input[index]`` with NumPy's semantics for slices, ints, None, ``...``, masks and arrays."""
    x = input._data
    idx, advanced = _convert(index)
    split = _split_ints(idx) if advanced else None
    out = _index(x, idx, split)
    if advanced:
        # NumPy may lay the gathered elements out transposed; PyTorch's are contiguous, which
        # matters to view().
        out = np.ascontiguousarray(out)
    if not input.requires_grad:
        return Tensor._wrap(out)
    if advanced:
        name = "IndexBackward0"
    elif isinstance(idx, slice):
        name = "SliceBackward0"
    else:
        name = _view_name(idx if isinstance(idx, tuple) else (idx,), x.shape)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros(x.shape, dtype=g.dtype)
        if split is not None:
            np.add.at(grad[split[0]], split[1], g)  # grad[basic] is a view of grad
        elif advanced:
            np.add.at(grad, idx, g)  # repeated indices must add up
        else:
            grad[idx] = g
        return (grad,)

    return record(out, (input,), name, backward, saved=advanced)  # index arrays are saved


def _assign(x: np.ndarray, idx: object, advanced: bool, value: Any) -> None:
    """``x[idx] = value`` with PyTorch's error messages."""
    split = _split_ints(idx) if advanced else None
    try:
        if split is None:
            x[idx] = value
        else:
            x[split[0]][split[1]] = value  # x[basic] is a view of x
    except IndexError as e:
        raise (_index_error(x, idx) or e) from None
    except ValueError:
        from .shape import expand_shape

        target = _index(x, idx, split).shape
        shape = np.shape(value)
        if advanced:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(shape)} cannot be broadcast to "
                f"indexing result of shape {list(target)}"
            ) from None
        while shape and shape[0] == 1:  # PyTorch drops leading 1s of the value first
            shape = shape[1:]
        expand_shape(shape, target, np.asarray(value).dtype)
        raise


def setitem(target: Tensor, index: object, value: Tensor | float) -> None:
    """``target[index] = value``, in place; recorded for autograd when a side requires grad."""
    idx, advanced = _convert(index)
    value_requires = isinstance(value, Tensor) and value.requires_grad
    if not _grad_mode.enabled or not (target.requires_grad or value_requires):
        _assign(target._data, idx, advanced, value._data if isinstance(value, Tensor) else value)
        return
    items = idx if isinstance(idx, tuple) else (idx,)
    view = _view_name(items, target._data.shape)
    if target.requires_grad and target.grad_fn is None:
        raise RuntimeError(_LEAF_ERROR if view == "AliasBackward0" else _VIEW_OF_LEAF_ERROR)
    # Autograd sees the assignment as a new tensor computed from the old one; ``target`` then
    # takes that tensor's place, like PyTorch's CopySlices node.
    old = target._alias()
    v = (
        value
        if isinstance(value, Tensor)
        else Tensor._wrap(np.asarray(value, dtype=target._data.dtype))
    )
    data = old._data.copy()
    _assign(data, idx, advanced, v._data)
    v_shape = v._data.shape

    split = _split_ints(idx) if advanced else None

    def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g_old = np.array(g)  # an array even when g is a NumPy scalar (0-d results)
        _assign(g_old, idx, advanced, 0)
        return g_old, unbroadcast(_index(g, idx, split), v_shape).reshape(v_shape)

    if view != "AliasBackward0":
        name = "torch::autograd::CopySlices"
    elif advanced:
        name = "IndexPutBackward0"
    elif v_shape == ():
        name = "FillBackward3"
    else:
        name = "torch::autograd::CopyBackwards"
    target._become(record(data, (old, v), name, backward))
