"""Indexing and slicing (basic and integer-array), and assignment into a tensor."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd import record, record_view
from ..tensor import Tensor, _overwrite
from ._util import unbroadcast


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


def _index(x: np.ndarray, idx: object) -> np.ndarray:
    try:
        out = x[idx]
    except IndexError as e:
        raise (_index_error(x, idx) or e) from None
    return out if type(out) is np.ndarray else np.asarray(out)


def getitem(input: Tensor, index: object) -> Tensor:
    """``input[index]`` with NumPy's semantics for slices, ints, None, ``...``, masks and arrays.

    Basic indexing (ints, slices, None, ``...``) gives a view, as in PyTorch; an index with
    tensors, lists or bools gives a copy.
    """
    x = input._data
    idx, advanced = _convert(index)
    if not advanced:
        items = idx if isinstance(idx, tuple) else (idx,)
        if not any(i is Ellipsis for i in items):
            items += (Ellipsis,)  # so that NumPy gives a 0-d view, not a scalar, for x[0]
        name = "SliceBackward0" if isinstance(idx, slice) else _view_name(items, x.shape)

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            grad = np.zeros(x.shape, dtype=g.dtype)
            grad[items] = g
            return (grad,)

        return record_view(_index(x, items), input, name, backward, lambda a: a[items])
    # NumPy may lay the gathered elements out transposed; PyTorch's are contiguous, which
    # matters to view().
    out = np.ascontiguousarray(_index(x, idx))
    if not input.requires_grad:
        return Tensor._wrap(out)

    def backward_advanced(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros(x.shape, dtype=g.dtype)
        np.add.at(grad, idx, g)  # repeated indices must add up
        return (grad,)

    return record(out, (input,), "IndexBackward0", backward_advanced, ())  # it saves the indices


def _assign(x: np.ndarray, idx: object, advanced: bool, value: Any) -> None:
    """``x[idx] = value`` with PyTorch's error messages."""
    try:
        x[idx] = value
    except IndexError as e:
        raise (_index_error(x, idx) or e) from None
    except ValueError:
        from .shape import expand_shape

        target = x[idx].shape
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
    """``target[index] = value``, in place: as PyTorch does it, ``fill_`` or ``copy_`` on the
    view ``target[index]`` (on ``target`` itself for an index that takes all of it), or
    ``index_put_`` for an advanced index."""
    idx, advanced = _convert(index)
    if isinstance(value, Tensor):
        v = value
    else:
        v = Tensor._wrap(np.asarray(value, dtype=target._data.dtype))
    v_shape, v_dtype = v._data.shape, v._data.dtype

    if advanced:

        def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            g_old = g.copy()
            g_old[idx] = 0
            return g_old, unbroadcast(g[idx], v_shape).reshape(v_shape).astype(v_dtype, copy=False)

        def index_put(old: Tensor) -> Tensor:
            data = old._data.copy()
            _assign(data, idx, True, v._data)
            return record(data, (old, v), "IndexPutBackward0", backward, ())

        target._write(index_put, v, "unsafe", expand=True)
        return
    items = idx if isinstance(idx, tuple) else (idx,)
    whole = _view_name(items, target._data.shape) == "AliasBackward0"
    dest = target if whole else getitem(target, index)
    # The value is broadcast before anything else is checked, as in PyTorch.
    data = np.empty_like(dest._data)
    _assign(data, Ellipsis, False, v._data)
    # PyTorch copies a value of the destination's shape, and fills with any other 0-d value.
    fill = v_shape == () != dest._data.shape
    name = "FillBackward3" if fill else "torch::autograd::CopyBackwards"
    dest._write(lambda old: _overwrite(old, data, name, v), v, "unsafe", expand=True)


# ---------------------------------------------------------------- added for issue 12
def masked_fill(input: Tensor, mask: Tensor, value: float | Tensor) -> Tensor:
    """A copy of ``input`` with ``value`` where the bool ``mask`` (broadcast to the input's
    shape) is True; the gradient flows to the other elements (and to a tensor ``value``).

    Args:
        mask: a bool tensor that broadcasts to ``input``'s shape.
        value: a number, or a 0-d tensor.
    """
    x, m = input._data, mask._data
    if m.dtype != np.bool_:
        from ._util import torch_dtype_name

        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{torch_dtype_name(m.dtype)}"
        )
    if isinstance(value, Tensor) and value._data.ndim != 0:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value._data.ndim} dimension(s)."
        )
    try:
        full_mask = np.broadcast_to(m, x.shape)
    except ValueError:
        from .arith import _broadcast_error

        raise _broadcast_error(m.shape, x.shape) from None
    fill = value._data if isinstance(value, Tensor) else value
    out = np.where(full_mask, np.asarray(fill).astype(x.dtype), x)
    if not isinstance(value, Tensor):
        # PyTorch's node keeps the mask only: changing input afterwards does not matter.
        return record(
            out, (input,), "MaskedFillBackward0", lambda g: (np.where(full_mask, 0, g),), ()
        )

    def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gv = np.asarray(np.where(full_mask, g, 0).sum(), dtype=value._data.dtype)
        return np.where(full_mask, 0, g), gv

    return record(out, (input, value), "MaskedFillBackward1", backward, ())


def _index_array(index: Tensor, fn: str, dtypes: str) -> np.ndarray:
    idx = index._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{fn}(): Expected dtype {dtypes} for index")
    return idx


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries of ``input`` at the positions ``index`` (a 1-D integer tensor) along ``dim``.

    Args:
        dim: the dimension to select along.
        index: int64 or int32 positions (repeats allowed).
    """
    from ._util import check_dim

    x = input._data
    idx = _index_array(index, "index_select", "int32 or int64")
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    axis = check_dim(dim, x.ndim)
    if x.ndim == 0 and idx.size != 1:
        raise RuntimeError(
            f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)"
        )
    size = x.shape[axis] if x.ndim else 1
    bad = idx[(idx < 0) | (idx >= size)]
    if bad.size:
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad[0]} axis_dim={size}")
    flat = idx.reshape(-1)
    out = np.take(x, flat, axis=axis) if x.ndim else x.copy()

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(x)
        if x.ndim:
            np.add.at(grad, (slice(None),) * axis + (flat,), g)
        else:
            grad = np.asarray(g.sum(), dtype=x.dtype)
        return (grad,)

    return record(out, (input,), "IndexSelectBackward0", backward)


def gather(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """``out[i][j][k] = input[index[i][j][k]][j][k]`` for ``dim=0`` (and likewise for other
    dims): values picked along ``dim`` at the positions ``index`` holds.

    Args:
        dim: the dimension to pick along.
        index: int64 or int32 positions, with as many dimensions as ``input`` and no larger
            than it outside ``dim``.
    """
    from ._util import check_dim

    x = input._data
    idx = _index_array(index, "gather", "int32/int64")
    axis = check_dim(dim, x.ndim)
    if idx.ndim != x.ndim and not (idx.ndim <= 1 and x.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for d in range(idx.ndim):
        if d != axis and idx.shape[d] > x.shape[d]:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(idx.shape)} to be no "
                f"larger than self {list(x.shape)} apart from dimension {axis}"
            )
    size = x.shape[axis] if x.ndim else 1
    bad = idx[(idx < 0) | (idx >= size)]
    if bad.size:
        raise RuntimeError(f"index {bad[0]} is out of bounds for dimension {axis} with size {size}")
    # The other dimensions run over the index's own extent (it may be smaller than the input's).
    grids = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
    if x.ndim:
        grids[axis] = idx
    where = tuple(grids) if x.ndim else ()
    out = x[where] if x.ndim else np.broadcast_to(x, idx.shape).copy()

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(x)
        if x.ndim:
            np.add.at(grad, where, g)
        else:
            grad = np.asarray(g.sum(), dtype=x.dtype)
        return (grad,)

    return record(out, (input,), "GatherBackward0", backward)
