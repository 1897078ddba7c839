"""Indexing and slicing (basic and integer-array), and assignment into a tensor.

:class:`IndexingMixin` holds them as methods of :class:`~minimodel.Tensor`; ``masked_fill``,
``index_select`` and ``gather`` at the bottom are the same functions.
"""

from __future__ import annotations

import warnings
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _overlap, _scalar
from ..autograd import record, record_view
from ._util import add_reduce, check_dim, scalar_type_name, torch_dtype_name, unbroadcast
from .arith import _broadcast_error

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)

_SEQUENCE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed "
    "in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be "
    "interpreted as tensor index, x[torch.tensor(seq)], which will result either in an error or "
    "a different result"
)


def _as_tuple(index: object) -> object:
    """PyTorch's legacy reading of a list holding sequences, slices, None or ``...``: a tuple."""
    if isinstance(index, list) and len(index) < 32:
        for item in index:
            if item is None or item is Ellipsis or isinstance(item, list | tuple | slice | Tensor):
                warnings.warn(_SEQUENCE_WARNING, UserWarning, stacklevel=4)
                return tuple(index)
    return index


def _convert(index: object, shape: tuple[int, ...]) -> tuple[object, bool]:
    """Turn tensors inside an index into arrays; report whether it is an advanced index."""
    index = _as_tuple(index)
    items = index if isinstance(index, tuple) else (index,)
    out: list[Any] = []
    advanced = False
    used = 0  # dimensions of the tensor used up
    bad_step: ValueError | None = None
    bad_step_at = 0  # where the first bad step is, once there is one
    for k, item in enumerate(items):
        if isinstance(item, Tensor):
            item = item._data
            if item.ndim == 0 and item.dtype.kind in "iu":
                item = int(item)  # a 0-d integer tensor selects, as a Python int does
        if isinstance(item, list | tuple):
            item = np.asarray(item)
            if item.size == 0:
                item = item.astype(np.int64)  # [] is an empty list of indices
        used += _consumed(item)
        if (
            item is Ellipsis
            and any(i is Ellipsis for i in out)
            and not any(_consumed(i) for i in items[k + 1 :])
        ):
            continue  # PyTorch skips no dimension for a trailing second ``...``
        if isinstance(item, np.ndarray):
            advanced = True
            if item.dtype.kind not in "biu":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        elif isinstance(item, bool):
            advanced = True
        elif isinstance(item, slice) and item.step is not None and item.step <= 0:
            # NumPy walks backwards; PyTorch has no negative strides. Raised once the number of
            # indices is checked, as PyTorch does.
            if bad_step is None:
                bad_step_at = len(out)
                bad_step = ValueError(
                    "slice step cannot be zero"
                    if item.step == 0
                    else "step must be greater than zero"
                )
        elif isinstance(item, float):
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                "are valid indices (got float)"
            )
        out.append(item)
    if bad_step is not None:
        if used > len(shape):
            raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
        # PyTorch goes through the items in order: an integer before the slice is checked first.
        # The items before the slice, with what follows as plain slices (so ``...`` stands for
        # as many dimensions), and index tensors left out: PyTorch applies them later.
        before: list[Any] = []
        for n, i in enumerate(out):
            if isinstance(i, np.ndarray) or (n >= bad_step_at and i is not Ellipsis):
                before += [slice(None)] * _consumed(i)
            else:
                before.append(None if isinstance(i, bool) else i)
        raise _index_error(np.empty(shape), tuple(before)) or bad_step
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
            if not 0 <= dim < len(shape) or not _is_whole(item, shape[dim]):
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
    # These two messages are for a lone index; within a tuple, PyTorch counts the indices.
    if x.ndim == 0 and consuming and not isinstance(index, tuple):
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
    # dimension of ``x`` an item applies to; ``view`` is the shape after the basic indexing,
    # which PyTorch applies before the masks; ``k`` counts advanced indices.
    real = dim = k = 0
    view = list(x.shape)
    view_dim = 0
    masks = []
    # PyTorch applies the integers and slices first, then the masks and index tensors: their
    # errors come after.
    lists = []  # (position among the advanced indices, index array, size of its dimension)
    for item in items:
        if item is None or isinstance(item, bool):
            # PyTorch counts a bool as a new dimension, indexed by a tensor.
            view.insert(view_dim, 1)
            real, view_dim, k = real + 1, view_dim + 1, k + isinstance(item, bool)
        elif item is Ellipsis:
            skip = x.ndim - sum(_consumed(i) for i in items)
            # PyTorch's messages count ``...`` as one dimension, whatever it stands for.
            real, dim, view_dim = real + 1, dim + skip, view_dim + skip
        elif isinstance(item, np.ndarray) and item.dtype == np.bool_:
            masks.append((list(item.shape), view_dim))
            real, dim, view_dim, k = real + item.ndim, dim + item.ndim, view_dim + item.ndim, k + 1
        elif isinstance(item, np.ndarray):
            if not x.shape[dim] and item.size:
                # PyTorch's message for any index into an empty dimension (if the result
                # is empty too, nothing is read and it raises nothing: not checked here).
                return IndexError("index is out of bounds for dimension with size 0")
            lists.append((k, item, x.shape[dim]))
            real, dim, view_dim, k = real + 1, dim + 1, view_dim + 1, k + 1
        elif isinstance(item, slice):
            view[view_dim] = len(range(*item.indices(view[view_dim])))
            real, dim, view_dim = real + 1, dim + 1, view_dim + 1
        elif not isinstance(item, bool):
            n = x.shape[dim]
            if not -n <= item < n:
                return IndexError(
                    f"index {item} is out of bounds for dimension {real} with size {n}"
                )
            del view[view_dim]
            real, dim = real + 1, dim + 1
    for mask, at in masks:
        for j, (m, n) in enumerate(zip(mask, view[at : at + len(mask)], strict=True)):
            if m != n:
                return IndexError(
                    f"The shape of the mask {mask} at index {j} does not match the shape of "
                    f"the indexed tensor {view} at index {at + j}"
                )
    # The shapes PyTorch broadcasts: a mask stands for one list of the positions of its true
    # elements per dimension; a Python bool for a list of one index (True) or none (False).
    arrays: list[Any] = []
    for i in items:
        if isinstance(i, np.ndarray):
            arrays += [[int(i.sum())]] * i.ndim if i.dtype == np.bool_ else [list(i.shape)]
        elif isinstance(i, bool):
            arrays.append([int(i)])
    if len(arrays) > 1:
        try:
            np.broadcast_shapes(*(tuple(a) for a in arrays))
        except ValueError:
            shapes = ", ".join(str(a) for a in arrays)
            return IndexError(
                f"shape mismatch: indexing tensors could not be broadcast together with shapes "
                f"{shapes}"
            )
    return _out_of_bounds(lists)


def _out_of_bounds(lists: list[tuple[int, np.ndarray, int]]) -> IndexError | None:
    """PyTorch's error for the first index out of range, element by element, then index by
    index (the order its kernel checks them in)."""
    if not lists:
        return None
    shape = np.broadcast_shapes(*(a.shape for _, a, _ in lists))
    bad = np.stack([np.broadcast_to((a < -n) | (a >= n), shape) for _, a, n in lists], -1)
    flat = bad.reshape(-1, len(lists))
    rows = np.flatnonzero(flat.any(axis=1))
    if not rows.size:
        return None
    j = int(np.argmax(flat[rows[0]]))
    k, a, n = lists[j]
    value = np.broadcast_to(a, shape).reshape(-1)[rows[0]]
    return IndexError(f"index {value} is out of bounds for dimension {k} with size {n}")


def _split_ints(
    idx: Any, ndim: int, always: bool = False
) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
    """An advanced index with integers in it as two steps: ``x[idx]`` is ``x[basic][rest]``.

    PyTorch applies integers first, as basic indexing (selecting), and then the tensors and
    lists to what is left; NumPy counts integers as advanced indices, which moves the
    dimensions of the result around: ``x[0, :, [1, 2]]`` of a (2, 3, 4) tensor is (3, 2) in
    PyTorch and (2, 3) in NumPy. None when there is no such integer (nor a ``...`` to drop),
    unless ``always`` (for ``__setitem__``, which also makes a dimension for each bool first).
    """
    if not isinstance(idx, tuple):
        return None
    # A ``...`` that stands for no dimension does not separate index tensors in PyTorch (their
    # dimensions stay in place); in NumPy it does (they would go first): leave it out.
    if any(i is Ellipsis for i in idx) and sum(_consumed(i) for i in idx) >= ndim:
        idx = tuple(i for i in idx if i is not Ellipsis)
    elif not always and not any(type(i) is int for i in idx):
        return None
    basic: list[object] = []
    rest: list[object] = []
    for item in idx:
        if always and _is_bool(item):
            # As PyTorch's setitem: a new dimension, then an index of it (one position or none).
            basic.append(None)
            rest.append(np.arange(int(bool(item))))
        elif isinstance(item, np.ndarray):
            basic += [slice(None)] * _consumed(item)
            rest.append(item)
        elif isinstance(item, bool):
            rest.append(item)
        elif type(item) is int:
            basic.append(item)
        else:  # a slice or None keeps or makes a dimension; ``...`` stands for the same ones
            basic.append(item)
            rest.append(Ellipsis if item is Ellipsis else slice(None))
    if not any(i is Ellipsis for i in idx):
        # Keeps x[basic] an array (a view) even when integers select every dimension, where
        # NumPy would return a scalar.
        basic.append(Ellipsis)
    return tuple(basic), tuple(rest)


def _is_bool(item: object) -> bool:
    """A bool, or a 0-d bool tensor: what PyTorch indexes through a new dimension."""
    return isinstance(item, bool) or (
        isinstance(item, np.ndarray) and item.dtype == np.bool_ and not item.ndim
    )


def _index(
    x: np.ndarray, idx: Any, split: tuple[Any, Any] | None = None, given: Any = None
) -> np.ndarray:
    """``x[idx]``; ``given``: the index as the user wrote it, for the error message."""
    try:
        out = x[idx] if split is None else x[split[0]][split[1]]
    except IndexError as e:
        raise (_index_error(x, idx if given is None else given) or e) from None
    return out if type(out) is np.ndarray else np.asarray(out)


def _assign(x: np.ndarray, idx: Any, advanced: bool, value: Any) -> None:
    """``x[idx] = value`` with PyTorch's error messages."""
    split = _split_ints(idx, x.ndim) if advanced else None
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


def _check_index_put(
    x: np.ndarray, idx: Any, split: tuple[Any, Any] | None, value: np.ndarray
) -> bool:
    """PyTorch's checks of the memory ``x[idx] = value`` writes, for an advanced index.

    PyTorch applies the integers of the index first: it writes into that view of ``x`` (which
    may repeat elements, an expand, though ``x`` does not), and warns rather than refuses when
    it does. A single mask with a one-element value is its ``masked_fill_`` with the value's
    number, which warns again and compares no memory; any other value must not share memory
    with the view. Returns whether it is such a masked fill.
    """
    try:
        target = x if split is None else x[split[0]]
    except IndexError:
        return False  # the assignment reports it, with PyTorch's message
    rest = split[1] if split is not None else idx if isinstance(idx, tuple) else (idx,)
    # PyTorch turns a bool, and a 0-d bool tensor, into an index tensor of its own.
    tensors = [i for i in rest if isinstance(i, np.ndarray | bool)]
    masked = (
        len(tensors) == 1
        and isinstance(tensors[0], np.ndarray)
        and tensors[0].dtype == np.bool_
        and tensors[0].ndim > 0
        and value.size == 1
    )
    # (The warnings name the user's line: through __setitem__ and _index_put.)
    _overlap.check_repeats(
        target, ("index_put_", "masked_fill_") if masked else ("index_put_",), stacklevel=4
    )
    if not masked:
        _overlap.check_disjoint(target, value, lambda a: a[rest])
    return masked


def _index_array(index: Tensor, fn: str, dtypes: str) -> np.ndarray:
    idx = index._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{fn}(): Expected dtype {dtypes} for index")
    return idx


def _overwrite(old: Tensor, data: np.ndarray, name: str, source: Tensor | None = None) -> Tensor:
    """The result of an in-place operation that replaces every value (``zero_``, ``fill_``,
    ``copy_``, ``t[i] = v``): the old values get a zero gradient, ``source`` (if any) the rest."""
    if source is None:
        return record(data, (old,), name, _overwritten_backward, False)
    backward = partial(_overwrite_backward, source._data.shape, source._data.dtype)
    return record(data, (old, source), name, backward, False)


def _overwritten_backward(g: np.ndarray) -> tuple[np.ndarray]:
    return (np.zeros_like(g),)


def _overwrite_backward(
    shape: tuple[int, ...], dtype: np.dtype, g: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros_like(g), unbroadcast(g, shape).reshape(shape).astype(dtype)


class IndexingMixin:
    """Indexing (``t[i]``), assignment (``t[i] = v``), ``masked_fill``, ``index_select`` and
    ``gather`` as methods of :class:`~minimodel.Tensor`; each derivative is the static method
    right below its operation."""

    __slots__ = ()

    def __getitem__(self: Tensor, index: Any) -> Tensor:  # type: ignore[misc]
        """``input[index]`` with NumPy's semantics for slices, ints, None, ``...``, masks and
        arrays.

        Basic indexing (ints, slices, None, ``...``) gives a view, as in PyTorch; an index with
        tensors, lists or bools gives a copy.

        Example::

            >>> t = minimodel.arange(6).reshape(2, 3)
            >>> t[1]
            tensor([3, 4, 5])
            >>> t[:, minimodel.tensor([2, 0])]
            tensor([[2, 0],
                    [5, 3]])
        """
        x = self._data
        idx, advanced = _convert(index, x.shape)
        if not advanced:
            items = idx if isinstance(idx, tuple) else (idx,)
            if not any(i is Ellipsis for i in items):
                items += (Ellipsis,)  # so that NumPy gives a 0-d view, not a scalar, for x[0]
            name = "SliceBackward0" if isinstance(idx, slice) else _view_name(items, x.shape)
            backward = partial(IndexingMixin._basic_backward, x.shape, items)
            out = _index(x, items, given=idx)
            return record_view(out, self, name, backward, itemgetter(items))
        split = _split_ints(idx, x.ndim)
        # NumPy may lay the gathered elements out transposed; PyTorch's are contiguous, which
        # matters to view().
        out = np.ascontiguousarray(_index(x, idx, split))
        if not self.requires_grad:
            return Tensor._wrap(out)
        backward = partial(IndexingMixin._advanced_backward, x.shape, idx, split)
        return record(out, (self,), "IndexBackward0", backward, ())  # it saves the indices

    @staticmethod
    def _basic_backward(
        shape: tuple[int, ...], items: tuple[Any, ...], g: np.ndarray
    ) -> tuple[np.ndarray]:
        grad = np.zeros(shape, dtype=g.dtype)
        grad[items] = g
        return (grad,)

    @staticmethod
    def _advanced_backward(
        shape: tuple[int, ...], idx: Any, split: tuple[Any, Any] | None, g: np.ndarray
    ) -> tuple[np.ndarray]:
        grad = np.zeros(shape, dtype=g.dtype)
        if split is not None:
            np.add.at(grad[split[0]], split[1], g)  # grad[basic] is a view of grad
        else:
            np.add.at(grad, idx, g)  # repeated indices must add up
        return (grad,)

    def __setitem__(self: Tensor, index: Any, value: Tensor | float) -> None:  # type: ignore[misc]
        """``input[index] = value``, in place: as PyTorch does it, ``fill_`` or ``copy_`` on the
        view ``input[index]`` (on ``input`` itself for an index that takes all of it), or
        ``index_put_`` for an advanced index.

        Example::

            >>> t = minimodel.zeros(3)
            >>> t[1:] = 5.0
            >>> t
            tensor([0., 5., 5.])
        """
        idx, advanced = _convert(index, self._data.shape)
        if isinstance(value, Tensor):
            v = value
        else:
            v = Tensor._wrap(np.asarray(_setitem_number(value, self._data.dtype)))
        if advanced:
            # PyTorch checks a tensor value's dtype, but not for a lone bool (a copy into
            # x[None], as it does for x[None] = v).
            check_dtype = isinstance(value, Tensor) and not isinstance(idx, bool)
            dest, idx = _index_put_target(self, idx)
            _index_put(dest, idx, v, check_dtype)
            return
        items = idx if isinstance(idx, tuple) else (idx,)
        whole = _view_name(items, self._data.shape) == "AliasBackward0"
        dest = self if whole else IndexingMixin.__getitem__(self, index)
        # The value is broadcast before anything else is checked, as in PyTorch.
        data = np.empty_like(dest._data)
        _assign(data, Ellipsis, False, v._data)
        # PyTorch copies a value of the destination's shape, and fills with any other 0-d value.
        fill = v._data.shape == () != dest._data.shape
        name = "FillBackward3" if fill else "torch::autograd::CopyBackwards"
        dest._write(lambda old: _overwrite(old, data, name, v), v, "unsafe", expand=True)

    @staticmethod
    def _index_put_backward(
        idx: Any, split: tuple[Any, Any] | None, shape: tuple[int, ...], dtype: np.dtype, g: Any
    ) -> tuple[np.ndarray, np.ndarray]:
        g_old = np.array(g)  # an array even when g is a NumPy scalar (0-d results)
        _assign(g_old, idx, True, 0)
        gv = unbroadcast(_index(g, idx, split), shape).reshape(shape)
        return g_old, gv.astype(dtype, copy=False)

    def masked_fill(self: Tensor, mask: Tensor, value: float | Tensor) -> Tensor:  # type: ignore[misc]
        """A copy of ``input`` with ``value`` where the bool ``mask`` is True (the two broadcast
        together); the gradient flows to the other elements (and to a tensor ``value``).

        Args:
            mask: a bool tensor that broadcasts with ``input``.
            value: a number, or a 0-d tensor.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0, 3.0])
            >>> x.masked_fill(x > 1, 0.0)
            tensor([1., 0., 0.])
        """
        x, m = self._data, mask._data
        if m.dtype != np.bool_:
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
            # PyTorch broadcasts both, so a mask may add dimensions (out of place).
            shape = np.broadcast_shapes(m.shape, x.shape)
        except ValueError:
            raise _broadcast_error(m.shape, x.shape) from None
        full_mask = np.broadcast_to(m, shape)
        # A Python number is checked as PyTorch checks it (NaN fits no integer dtype).
        # A tensor value too: PyTorch fills with its item, checked as a number.
        number = value._data.item() if isinstance(value, Tensor) else value
        fill = _scalar.fill(number, x.dtype, True)
        out = np.where(full_mask, np.asarray(fill).astype(x.dtype), x)
        if not isinstance(value, Tensor):
            # PyTorch's node keeps the mask only: changing input afterwards does not matter.
            backward = partial(IndexingMixin._masked_fill_backward, full_mask, x.shape)
            return record(out, (self,), "MaskedFillBackward0", backward, ())
        backward_both = partial(
            IndexingMixin._masked_fill_tensor_backward, full_mask, x.shape, value._data.dtype
        )
        return record(out, (self, value), "MaskedFillBackward1", backward_both, ())

    @staticmethod
    def _masked_fill_backward(
        mask: np.ndarray, shape: tuple[int, ...], g: np.ndarray
    ) -> tuple[np.ndarray]:
        return (unbroadcast(np.where(mask, 0, g), shape),)

    @staticmethod
    def _masked_fill_tensor_backward(
        mask: np.ndarray, shape: tuple[int, ...], dtype: np.dtype, g: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        gv = np.asarray(add_reduce(np.where(mask, g, 0)), dtype=dtype)
        return unbroadcast(np.where(mask, 0, g), shape), gv

    def masked_fill_(self: Tensor, mask: Tensor, value: float | Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`masked_fill`.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0, 3.0])
            >>> _ = x.masked_fill_(x > 1, 0.0)
            >>> x
            tensor([1., 0., 0.])
        """

        def fill(old: Tensor) -> Tensor:
            # PyTorch fills with the value's number (however its memory lies), and only warns
            # about an expand. (stacklevel: the user's line, through masked_fill_ and _write.)
            _overlap.check_repeats(self._data, ("masked_fill_",), stacklevel=4)
            return IndexingMixin.masked_fill(old, mask, value)

        other = value if isinstance(value, Tensor) else None
        return self._write(
            fill,
            other,
            overlap=False,
            write=lambda memory, result: np.copyto(
                memory, result, where=np.broadcast_to(mask._data, memory.shape)
            ),
        )

    def index_select(self: Tensor, dim: int, index: Tensor) -> Tensor:  # type: ignore[misc]
        """The entries of ``input`` at the positions ``index`` (a 1-D integer tensor) along
        ``dim``.

        Args:
            dim: the dimension to select along.
            index: int64 or int32 positions (repeats allowed).

        Example::

            >>> minimodel.arange(6).reshape(2, 3).index_select(1, minimodel.tensor([0, 2]))
            tensor([[0, 2],
                    [3, 5]])
        """
        x = self._data
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
            # PyTorch's kernels: one for vectors and scalars, another for the rest.
            if x.ndim <= 1:
                raise IndexError("index out of range in self")
            if size == 0:
                raise RuntimeError("index_select(): self indexing axis dim should be positive")
            raise RuntimeError(
                f"INDICES element is out of DATA bounds, id={bad[0]} axis_dim={size}"
            )
        flat = idx.reshape(-1)
        out = np.take(x, flat, axis=axis) if x.ndim else x.copy()
        # The same gradient as gather's: the upstream one added at the positions picked.
        where = (slice(None),) * axis + (flat,)
        backward = partial(IndexingMixin._gather_backward, x, where)
        return record(out, (self,), "IndexSelectBackward0", backward)

    def gather(self: Tensor, dim: int, index: Tensor) -> Tensor:  # type: ignore[misc]
        """``out[i][j][k] = input[index[i][j][k]][j][k]`` for ``dim=0`` (and likewise for other
        dims): values picked along ``dim`` at the positions ``index`` holds.

        Args:
            dim: the dimension to pick along.
            index: int64 or int32 positions, with as many dimensions as ``input`` and no larger
                than it outside ``dim``.

        Example::

            >>> minimodel.arange(6).reshape(2, 3).gather(1, minimodel.tensor([[2], [0]]))
            tensor([[2],
                    [3]])
        """
        x = self._data
        idx = _index_array(index, "gather", "int32/int64")
        axis = check_dim(dim, x.ndim)
        if idx.ndim != x.ndim and not (idx.ndim <= 1 and x.ndim <= 1):
            raise RuntimeError(
                "Index tensor must have the same number of dimensions as input tensor"
            )
        for d in range(idx.ndim):
            if d != axis and idx.shape[d] > x.shape[d]:
                raise RuntimeError(
                    f"Size does not match at dimension {d} expected index {list(idx.shape)} to "
                    f"be no larger than self {list(x.shape)} apart from dimension {axis}"
                )
        size = x.shape[axis] if x.ndim else 1
        bad = idx[(idx < 0) | (idx >= size)]
        if bad.size:
            raise RuntimeError(
                f"index {bad[0]} is out of bounds for dimension {axis} with size {size}"
            )
        # The other dimensions run over the index's own extent (it may be smaller than the
        # input's).
        grids = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
        if x.ndim:
            grids[axis] = idx
        where = tuple(grids) if x.ndim else ()
        out = x[where] if x.ndim else np.broadcast_to(x, idx.shape).copy()
        backward = partial(IndexingMixin._gather_backward, x, where)
        return record(out, (self,), "GatherBackward0", backward)

    @staticmethod
    def _gather_backward(x: np.ndarray, where: tuple[Any, ...], g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(x)
        if x.ndim:
            np.add.at(grad, where, g)
        else:
            grad = np.asarray(add_reduce(g), dtype=x.dtype)
        return (grad,)


# The functional forms (``minimodel.gather(t, dim, index)``): the very same functions.
masked_fill = IndexingMixin.masked_fill
index_select = IndexingMixin.index_select
gather = IndexingMixin.gather


def _index_put_target(x: Tensor, idx: Any) -> tuple[Tensor, Any]:
    """Where PyTorch's ``index_put_`` writes for ``x[idx] = v``, and with what index: ``x``
    itself, or the view that the integers, slices, None and bools of the index make first (so
    that ``x``'s base gets a ``CopySlices``, and a leaf's error names a view)."""
    items = idx if isinstance(idx, tuple) else (idx,)
    ndim = x._data.ndim
    if sum(_consumed(i) for i in items) > ndim:  # PyTorch's first check
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    # The index as PyTorch's views see it: a bool (or 0-d bool tensor) adds a dimension, index
    # tensors leave theirs for index_put_.
    viewed: list[Any] = []
    for i in items:
        if _is_bool(i):
            viewed.append(None)
        elif isinstance(i, np.ndarray):
            viewed += [slice(None)] * _consumed(i)
        else:
            viewed.append(i)
    if _view_name(tuple(viewed), x._data.shape) == "AliasBackward0":
        return x, idx
    split = _split_ints(items, ndim, always=True)
    assert split is not None, "always splits"
    basic, rest = split
    try:
        return IndexingMixin.__getitem__(x, basic), rest
    except IndexError as e:  # named as in the whole index, which counts the bools' dimensions
        raise (_index_error(x._data, idx) or e) from None


def _index_put(dest: Tensor, idx: Any, v: Tensor, check_dtype: bool) -> None:
    """``dest[idx] = v`` for an advanced index, as PyTorch's ``index_put_``."""
    split = _split_ints(idx, dest._data.ndim)
    masked = _check_index_put(dest._data, idx, split, v._data)
    # A tensor value must have the tensor's dtype, unless it is the one number of a masked
    # fill; PyTorch checks it after the shapes and before the indices' range.
    mismatch = check_dtype and not masked and v._data.dtype != dest._data.dtype
    backward = partial(IndexingMixin._index_put_backward, idx, split, v._data.shape, v._data.dtype)

    def index_put(old: Tensor) -> Tensor:
        data = old._data.copy()
        try:
            _assign(data, idx, True, v._data)
        except IndexError as e:
            if not (mismatch and "out of bounds" in str(e)):
                raise
        if mismatch:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{scalar_type_name(dest._data.dtype)} for the destination and "
                f"{scalar_type_name(v._data.dtype)} for the source."
            )
        return record(data, (old, v), "IndexPutBackward0", backward, ())

    dest._write(
        index_put,
        v,
        "unsafe",
        overlap=False,
        write=lambda memory, _: _assign(memory, idx, True, v._data),
    )


def _setitem_number(value: Any, dtype: np.dtype) -> Any:
    """A Python number for ``data[idx] = value``, checked as PyTorch checks it: unpacked as a
    64-bit int first, then converted like ``fill_`` but for float16, which takes anything."""
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("Overflow when unpacking long long")
    return _scalar.fill(value, dtype)
