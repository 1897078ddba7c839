"""Operations that rearrange elements without changing them: reshape, transpose, squeeze, ..."""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING

import numpy as np

from ..autograd import record, record_view
from ._util import check_dim, numpy_aliases, scalar_type_name, unbroadcast

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)

_NO_SHAPE = {
    "reshape": 'reshape() missing 1 required positional arguments: "shape"',
    "view": "view() received an invalid combination of arguments - got (), but expected one "
    "of:\n * (minimodel.dtype dtype)\n * (tuple of ints size)\n",
}


def _shape_arg(shape: tuple, name: str | None = None) -> tuple[int, ...]:
    # Accept both t.reshape(2, 3) and t.reshape((2, 3)); t.reshape() is PyTorch's TypeError.
    if not shape and name is not None:
        raise TypeError(_NO_SHAPE[name])
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        return tuple(shape[0])
    return tuple(shape)


def reshape(input: Tensor, *shape: int) -> Tensor:
    """The same elements in a new shape; one dimension may be -1 (inferred).

    Example::

        >>> minimodel.arange(6).reshape(2, 3)
        tensor([[0, 1, 2],
                [3, 4, 5]])
    """
    x = input._data
    out, _ = _numpy_reshape(x, shape, "reshape")
    name = ""
    if input.requires_grad:  # PyTorch's name says whether the result shares memory
        if x.flags.c_contiguous:
            name = "ViewBackward0"
        else:
            name = "ReshapeAliasBackward0" if np.may_share_memory(out, x) else "UnsafeViewBackward0"
    return _record_reshape(input, out, name)


def view(input: Tensor, *shape: int) -> Tensor:
    """The same elements in a new shape, sharing memory; one dimension may be -1 (inferred).

    Like PyTorch's, it fails for a transposed (or otherwise strided) view whose elements cannot
    be regrouped without a copy: use :func:`reshape` there. Unlike PyTorch, it does not fail on
    the results of arithmetic on such views (NumPy lays those out differently).
    """
    x = input._data
    out, new = _numpy_reshape(x, shape, "view")
    if x.base is not None and out.size and not np.may_share_memory(out, x):
        raise _reshape_error(x.size, new)  # the regrouping needed a copy
    return _record_reshape(input, out, "ViewBackward0")


def _numpy_reshape(x: np.ndarray, shape: tuple, name: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """``x`` reshaped by NumPy (a view where it can be) and the parsed shape; PyTorch's errors."""
    new = _shape_arg(shape, name)
    if any(n < -1 for n in new):  # NumPy takes any negative size as -1
        raise _reshape_error(x.size, new)
    try:
        return x.reshape(new), new
    except ValueError:
        raise _reshape_error(x.size, new) from None


def _record_reshape(input: Tensor, out: np.ndarray, name: str) -> Tensor:
    # The gradient of any regrouping is the output's gradient put back in the input's shape.
    old = input._data.shape
    backward = lambda g: (g.reshape(old),)  # noqa: E731
    if out.size and not np.may_share_memory(out, input._data):
        return record(out, (input,), name, backward, False)  # NumPy had to copy
    new = out.shape
    return record_view(out, input, name, backward, lambda a: np.reshape(a, new, copy=False))


def _reshape_error(size: int, new: tuple[int, ...]) -> RuntimeError:
    if new.count(-1) > 1:
        return RuntimeError("only one dimension can be inferred")
    for i, n in enumerate(new):
        if n < -1:
            return RuntimeError(f"invalid shape dimension {n} at index {i} of shape {list(new)}")
    known = math.prod(n for n in new if n != -1)
    if -1 in new and known == 0 and size == 0:
        return RuntimeError(
            f"cannot reshape tensor of 0 elements into shape {list(new)} because the "
            "unspecified dimension size -1 can be any value and is ambiguous"
        )
    if (-1 in new and (known == 0 or size % known)) or (-1 not in new and known != size):
        return RuntimeError(f"shape '{list(new)}' is invalid for input of size {size}")
    return RuntimeError(
        "view size is not compatible with input tensor's size and stride (at least one dimension "
        "spans across two contiguous subspaces). Use .reshape(...) instead."
    )


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim`` through ``end_dim`` into one."""
    x = input._data
    s, e = check_dim(start_dim, x.ndim), check_dim(end_dim, x.ndim)
    if x.ndim == 0:
        return reshape(input, 1)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input  # as in PyTorch: nothing to merge, the same tensor
    return (
        reshape(input, *x.shape[:s], -1, *x.shape[e + 1 :])
        if x.size
        else reshape(input, *x.shape[:s], math.prod(x.shape[s : e + 1]), *x.shape[e + 1 :])
    )


@numpy_aliases
def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at ``dim``."""
    x = input._data
    d = check_dim(dim, x.ndim + 1)
    return record_view(
        np.expand_dims(x, d),
        input,
        "UnsqueezeBackward0",
        lambda g: (g.reshape(x.shape),),
        lambda a: np.expand_dims(a, d),
    )


@numpy_aliases
def squeeze(input: Tensor, dim: int | tuple[int, ...] | None = None) -> Tensor:
    """Remove dimensions of size 1 (all of them, or only ``dim`` if it has size 1)."""
    x = input._data
    if dim is None:
        axes = tuple(a for a, n in enumerate(x.shape) if n == 1)
        name = "SqueezeBackward0"
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        axes = tuple(a for a in (check_dim(d, x.ndim) for d in dims) if x.ndim and x.shape[a] == 1)
        name = "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
    return record_view(
        np.squeeze(x, axis=axes),
        input,
        name,
        lambda g: (g.reshape(x.shape),),
        lambda a: np.squeeze(a, axis=axes),
    )


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions."""
    x = input._data
    a, b = check_dim(dim0, x.ndim), check_dim(dim1, x.ndim)
    if x.ndim == 0:  # dims 0 and -1 name the only "dimension" of a 0-d tensor
        return record_view(x[...], input, "TransposeBackward0", lambda g: (g,), lambda y: y)
    return record_view(
        np.swapaxes(x, a, b),
        input,
        "TransposeBackward0",
        lambda g: (np.swapaxes(g, a, b),),
        lambda y: np.swapaxes(y, a, b),
    )


def t(input: Tensor) -> Tensor:
    """Transpose of a tensor of at most 2 dimensions."""
    x = input._data
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return record_view(x.T, input, "TBackward0", lambda g: (g.T,), lambda a: a.T)


def permute(input: Tensor, *dims: int) -> Tensor:
    """Reorder the dimensions: ``out.shape[i] == input.shape[dims[i]]``."""
    x = input._data
    dims = _shape_arg(dims)
    if len(dims) != x.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{x.ndim} is not equal to len(dims) = {len(dims)}"
        )
    order = tuple(check_dim(d, x.ndim) for d in dims)
    if len(set(order)) != x.ndim:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    inverse = tuple(np.argsort(order))
    return record_view(
        np.transpose(x, order),
        input,
        "PermuteBackward0",
        lambda g: (np.transpose(g, inverse),),
        lambda a: np.transpose(a, order),
    )


def T(input: Tensor) -> Tensor:
    """All dimensions reversed (the matrix transpose for 2-D tensors).

    As PyTorch, warns that this use is deprecated for tensors that are not 2-D.
    """
    ndim = input._data.ndim
    if ndim != 2:
        warnings.warn(_T_WARNINGS[ndim == 0], UserWarning, stacklevel=3)
    return permute(input, *reversed(range(ndim)))


_T_WARNINGS = (
    "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
    "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
    "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
    "tensor.",
    "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
)


def expand_shape(shape: tuple[int, ...], sizes: tuple[int, ...], dtype: np.dtype) -> tuple:
    """The shape that ``expand(*sizes)`` gives a tensor of ``shape``, with PyTorch's errors."""
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand(torch.{scalar_type_name(dtype)}Tensor{{{list(shape)}}}, size={list(sizes)}): "
            f"the number of sizes provided ({len(sizes)}) must be greater or equal to the number "
            f"of dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    target = list(sizes)
    # From the last dimension back, as PyTorch reports the rightmost mismatch.
    for i in reversed(range(len(sizes))):
        n = sizes[i]
        if i < lead:
            if n < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({n}) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
        elif n == -1:
            target[i] = shape[i - lead]
        elif shape[i - lead] not in (1, n):
            raise RuntimeError(
                f"The expanded size of the tensor ({n}) must match the existing size "
                f"({shape[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                f"{list(sizes)}.  Tensor sizes: {list(shape)}"
            )
    return tuple(target)


def expand(input: Tensor, *sizes: int) -> Tensor:
    """A broadcast view to ``sizes`` (-1 keeps a dimension); the gradient sums back."""
    x = input._data
    target = expand_shape(x.shape, _shape_arg(sizes), x.dtype)
    return record_view(
        _expand_array(x, target),
        input,
        "ExpandBackward0",
        lambda g: (unbroadcast(g, x.shape),),
        lambda a: _expand_array(a, target),
    )


def _expand_array(x: np.ndarray, target: tuple[int, ...]) -> np.ndarray:
    # Writable, unlike np.broadcast_to: in-place operations on an expand that repeats nothing
    # work in PyTorch (the others raise before writing, see Tensor._write).
    lead = len(target) - x.ndim
    strides = (0,) * lead + tuple(
        0 if n != m else s for n, m, s in zip(x.shape, target[lead:], x.strides, strict=True)
    )
    return np.lib.stride_tricks.as_strided(x, target, strides)


# ---------------------------------------------------------------- added for issue 12
def _pieces(input: Tensor, bounds: list[tuple[int, int]], axis: int, name: str) -> tuple:
    """Views of ``input`` between each pair of ``bounds`` along ``axis``; each one's gradient
    fills its part of a zero tensor of the input's shape."""
    x = input._data
    pieces = []
    for start, stop in bounds:
        part = (slice(None),) * axis + (slice(start, stop),)

        def backward(g: np.ndarray, part: tuple = part) -> tuple[np.ndarray]:
            grad = np.zeros_like(x)
            grad[part] = g
            return (grad,)

        # Views, so that an in-place change of a piece reaches the input and its gradient.
        pieces.append(record_view(x[part], input, name, backward, _indexer(part)))
    return tuple(pieces)


def _indexer(index: tuple):
    return lambda a: a[index]


def split(input: Tensor, split_size_or_sections: int | list[int], dim: int = 0) -> tuple:
    """Split into pieces of ``split_size_or_sections`` along ``dim`` (the last may be smaller),
    or into pieces of the listed sizes.

    Args:
        split_size_or_sections: the size of each piece, or a list of sizes that sum to
            the size of ``dim``.
        dim: the dimension to split.
    """
    x = input._data
    axis = check_dim(dim, x.ndim)
    n = x.shape[axis]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size < 0:
            raise RuntimeError(
                f"split expects split_size be non-negative, but got split_size={size}"
            )
        if size == 0:
            if n != 0:
                raise RuntimeError(
                    "split_size can only be 0 if dimension size is 0, but got dimension size "
                    f"of {n}"
                )
            return _pieces(input, [(0, 0)], axis, "SplitBackward0")
        starts = range(0, max(n, 1), size)
        return _pieces(input, [(s, min(s + size, n)) for s in starts], axis, "SplitBackward0")
    sizes = list(split_size_or_sections)
    if sum(sizes) != n or any(s < 0 for s in sizes):
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
            f"dimension {axis}), but got split_sizes={sizes}"
        )
    ends = np.cumsum(sizes).tolist()
    bounds = [(end - size, end) for end, size in zip(ends, sizes, strict=True)]
    return _pieces(input, bounds, axis, "SplitWithSizesBackward0")


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    """Split into ``chunks`` pieces of equal size along ``dim`` (``ceil(size / chunks)``; fewer
    pieces when that leaves nothing for the last ones).

    Args:
        chunks: the number of pieces wanted.
        dim: the dimension to split.
    """
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    axis = check_dim(dim, input._data.ndim)
    n = input._data.shape[axis]
    if n == 0:  # PyTorch returns `chunks` empty pieces
        return _pieces(input, [(0, 0)] * chunks, axis, "SplitBackward0")
    return split(input, math.ceil(n / chunks), dim)


def unbind(input: Tensor, dim: int = 0) -> tuple:
    """The slices of ``input`` along ``dim``, each without that dimension.

    Args:
        dim: the dimension to remove.
    """
    x = input._data
    axis = check_dim(dim, x.ndim)
    pieces = []
    for i in range(x.shape[axis]):
        index = (slice(None),) * axis + (i,)

        def backward(g: np.ndarray, index: tuple = index) -> tuple[np.ndarray]:
            grad = np.zeros_like(x)
            grad[index] = g
            return (grad,)

        pieces.append(record_view(x[index], input, "UnbindBackward0", backward, _indexer(index)))
    return tuple(pieces)


def repeat(input: Tensor, *sizes: int) -> Tensor:
    """Tile the tensor ``sizes[i]`` times along each dimension (new leading dimensions first).

    Args:
        sizes: the number of copies along each dimension.
    """
    x = input._data
    reps = _shape_arg(sizes)
    if len(reps) < x.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of "
            "tensor"
        )
    lead = len(reps) - x.ndim
    shape = (1,) * lead + x.shape
    out = np.tile(x.reshape(shape), reps)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        # Each output dimension splits into (copies, size): sum over the copies.
        split_shape = [n for r, s in zip(reps, shape, strict=True) for n in (r, s)]
        summed = g.reshape(split_shape).sum(axis=tuple(range(0, 2 * len(reps), 2)))
        return (summed.reshape(x.shape),)

    return record(out, (input,), "RepeatBackward0", backward, False)


def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """``input.expand(other.shape)``."""
    return expand(input, *other._data.shape)


def view_as(input: Tensor, other: Tensor) -> Tensor:
    """``input.view(other.shape)``."""
    return view(input, other._data.shape)


def mT(input: Tensor) -> Tensor:
    """The last two dimensions swapped (a batch of matrices transposed)."""
    x = input._data
    if x.ndim < 2:
        raise RuntimeError(
            "tensor.mT is only supported on matrices or batches of matrices. Got "
            f"{x.ndim}-D tensor."
        )
    return transpose(input, -2, -1)
