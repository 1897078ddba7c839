"""Operations that rearrange elements without changing them: reshape, transpose, squeeze, ...

:class:`ShapeMixin` holds them as methods of :class:`~minimodel.Tensor`; ``minimodel.reshape``
and the other functional forms at the bottom are the same functions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from ..autograd import record, record_view
from ._util import add_reduce, check_dim, numpy_aliases, scalar_type_name, unbroadcast

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)

_NO_SHAPE = {
    "reshape": 'reshape() missing 1 required positional arguments: "shape"',
    "permute": 'permute() missing 1 required positional arguments: "dims"',
    "expand": 'expand() missing 1 required positional arguments: "size"',
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
    backward = partial(_reshape_backward, input._data.shape)
    if out.size and not np.may_share_memory(out, input._data):
        return record(out, (input,), name, backward, False)  # NumPy had to copy
    new = out.shape
    return record_view(out, input, name, backward, lambda a: np.reshape(a, new, copy=False))


def _reshape_error(size: int, new: tuple[int, ...]) -> RuntimeError:
    # As PyTorch, the first offending size (in order) decides the message.
    inferred = False
    for i, n in enumerate(new):
        if n == -1:
            if inferred:
                return RuntimeError("only one dimension can be inferred")
            inferred = True
        elif n < -1:
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


def _matrix_transpose(input: Tensor, name: str, advice: str) -> Tensor:
    """``input.mT`` or ``input.mH``: a 0-d tensor is returned itself, with PyTorch's warning."""
    ndim = input._data.ndim
    if ndim == 0:
        warnings.warn(f"Tensor.{name} is deprecated on 0-D tensors. {advice}", stacklevel=3)
        return input
    if ndim < 2:
        raise RuntimeError(
            f"tensor.{name} is only supported on matrices or batches of matrices. Got "
            f"{ndim}-D tensor."
        )
    return ShapeMixin.transpose(input, -2, -1)


def _reversed_dims(input: Tensor) -> Tensor:
    """``input.T``: all dimensions reversed, with PyTorch's warning for tensors not 2-D."""
    ndim = input._data.ndim
    if ndim != 2:
        warnings.warn(_T_WARNINGS[ndim == 0], UserWarning, stacklevel=3)
    return ShapeMixin.permute(input, tuple(reversed(range(ndim))))


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
            f"expand(minimodel.{scalar_type_name(dtype)}Tensor{{{list(shape)}}}, "
            f"size={list(sizes)}): "
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


def _expand_array(x: np.ndarray, target: tuple[int, ...]) -> np.ndarray:
    # Writable, unlike np.broadcast_to: in-place operations on an expand that repeats nothing
    # work in PyTorch (the others raise before writing, see Tensor._write).
    lead = len(target) - x.ndim
    strides = (0,) * lead + tuple(
        0 if n != m else s for n, m, s in zip(x.shape, target[lead:], x.strides, strict=True)
    )
    return np.lib.stride_tricks.as_strided(x, target, strides)


def _pieces(
    input: Tensor, bounds: list[tuple[int, int]], axis: int, name: str
) -> tuple[Tensor, ...]:
    """Views of ``input`` between each pair of ``bounds`` along ``axis``; each one's gradient
    fills its part of a zero tensor of the input's shape."""
    x = input._data
    pieces = []
    for k, (start, stop) in enumerate(bounds):
        part = (slice(None),) * axis + (slice(start, stop),)
        backward = partial(_piece_backward, x, part)
        # Views, which PyTorch lets no in-place operation change while autograd records.
        pieces.append(record_view(x[part], input, name, backward, _indexer(part), k))
    return tuple(pieces)


def _indexer(index: tuple[Any, ...]) -> Callable[[np.ndarray], np.ndarray]:
    return lambda a: a[index]


def _reshape_backward(shape: tuple[int, ...], g: np.ndarray) -> tuple[np.ndarray]:
    # The gradient of any regrouping is the output's gradient put back in the input's shape.
    return (g.reshape(shape),)


def _identity_backward(g: np.ndarray) -> tuple[np.ndarray]:
    return (g,)


def _piece_backward(x: np.ndarray, part: tuple[Any, ...], g: np.ndarray) -> tuple[np.ndarray]:
    # A piece's gradient fills its part of a zero tensor of the input's shape.
    grad = np.zeros_like(x)
    grad[part] = g
    return (grad,)


Shape = int | Sequence[int]


class ShapeMixin:
    """The operations of :class:`~minimodel.Tensor` that rearrange elements without changing
    them. Most return views (sharing the input's memory, as in PyTorch); each derivative is the
    static method right below its operation (``_reshape_backward``, shared by the regroupings,
    and ``_piece_backward``, by the splits, are above the class).
    """

    __slots__ = ()

    def reshape(self: Tensor, *shape: Shape) -> Tensor:  # type: ignore[misc]
        """The same elements in a new shape (a view when the memory allows it, else a copy);
        one dimension may be -1 (inferred).

        Args:
            shape: the new sizes, as arguments or as one tuple.

        Example::

            >>> minimodel.arange(6).reshape(2, 3)
            tensor([[0, 1, 2],
                    [3, 4, 5]])
        """
        x = self._data
        out, _ = _numpy_reshape(x, shape, "reshape")
        name = ""
        if self.requires_grad:  # PyTorch's name says whether the result shares memory
            if x.flags.c_contiguous:
                name = "ViewBackward0"
            elif np.may_share_memory(out, x):
                name = "ReshapeAliasBackward0"
            else:
                name = "UnsafeViewBackward0"
        return _record_reshape(self, out, name)

    def view(self: Tensor, *shape: Shape) -> Tensor:  # type: ignore[misc]
        """The same elements in a new shape, sharing memory; one dimension may be -1 (inferred).

        Like PyTorch's, it fails for a transposed (or otherwise strided) view whose elements
        cannot be regrouped without a copy: use :meth:`reshape` there. Unlike PyTorch, it does
        not fail on the results of arithmetic on such views (NumPy lays those out differently).

        Args:
            shape: the new sizes, as arguments or as one tuple.

        Example::

            >>> minimodel.arange(6).view(3, -1).shape
            minimodel.Size([3, 2])
        """
        x = self._data
        out, new = _numpy_reshape(x, shape, "view")
        if x.base is not None and out.size and not np.may_share_memory(out, x):
            raise _reshape_error(x.size, new)  # the regrouping needed a copy
        return _record_reshape(self, out, "ViewBackward0")

    def view_as(self: Tensor, other: Tensor) -> Tensor:  # type: ignore[misc]
        """``input.view(other.shape)``.

        Args:
            other: the tensor whose shape to take.

        Example::

            >>> minimodel.arange(6).view_as(minimodel.zeros(2, 3)).shape
            minimodel.Size([2, 3])
        """
        return ShapeMixin.view(self, other._data.shape)

    def flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # type: ignore[misc]
        """Merge dimensions ``start_dim`` through ``end_dim`` into one.

        Args:
            start_dim: the first dimension to merge.
            end_dim: the last dimension to merge.

        Example::

            >>> minimodel.zeros(2, 3, 4).flatten(1).shape
            minimodel.Size([2, 12])
        """
        x = self._data
        s, e = check_dim(start_dim, x.ndim), check_dim(end_dim, x.ndim)
        if x.ndim == 0:
            return ShapeMixin.reshape(self, 1)
        if s > e:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if s == e:
            return self  # as in PyTorch: nothing to merge, the same tensor
        merged = -1 if x.size else math.prod(x.shape[s : e + 1])
        return ShapeMixin.reshape(self, *x.shape[:s], merged, *x.shape[e + 1 :])

    @numpy_aliases
    def unsqueeze(self: Tensor, dim: int) -> Tensor:  # type: ignore[misc]
        """Insert a dimension of size 1 at ``dim``.

        Args:
            dim: the position of the new dimension (negative counts from the end).

        Example::

            >>> minimodel.zeros(2, 3).unsqueeze(0).shape
            minimodel.Size([1, 2, 3])
        """
        x = self._data
        d = check_dim(dim, x.ndim + 1)
        backward = partial(_reshape_backward, x.shape)
        return record_view(
            np.expand_dims(x, d),
            self,
            "UnsqueezeBackward0",
            backward,
            partial(np.expand_dims, axis=d),
        )

    @numpy_aliases
    def squeeze(self: Tensor, dim: int | tuple[int, ...] | None = None) -> Tensor:  # type: ignore[misc]
        """Remove dimensions of size 1 (all of them, or those of ``dim`` that have size 1).

        Args:
            dim: the dimension(s) to remove if their size is 1, or None for all.

        Example::

            >>> minimodel.zeros(1, 2, 1).squeeze().shape
            minimodel.Size([2])
        """
        x = self._data
        if dim is None:
            axes = tuple(a for a, n in enumerate(x.shape) if n == 1)
            name = "SqueezeBackward0"
        else:
            dims = (dim,) if isinstance(dim, int) else tuple(dim)
            checked = (check_dim(d, x.ndim) for d in dims)
            axes = tuple(a for a in checked if x.ndim and x.shape[a] == 1)
            name = "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
        backward = partial(_reshape_backward, x.shape)
        return record_view(
            np.squeeze(x, axis=axes), self, name, backward, partial(np.squeeze, axis=axes)
        )

    def transpose(self: Tensor, dim0: int, dim1: int) -> Tensor:  # type: ignore[misc]
        """Swap two dimensions (a view).

        Args:
            dim0: the first dimension.
            dim1: the second dimension.

        Example::

            >>> minimodel.zeros(2, 3).transpose(0, 1).shape
            minimodel.Size([3, 2])
        """
        x = self._data
        a, b = check_dim(dim0, x.ndim), check_dim(dim1, x.ndim)
        if x.ndim == 0:  # dims 0 and -1 name the only "dimension" of a 0-d tensor
            name = "TransposeBackward0"
            return record_view(x[...], self, name, _identity_backward, _same)
        return record_view(
            np.swapaxes(x, a, b),
            self,
            "TransposeBackward0",
            partial(ShapeMixin._transpose_backward, a, b),
            partial(np.swapaxes, axis1=a, axis2=b),
        )

    @staticmethod
    def _transpose_backward(a: int, b: int, g: np.ndarray) -> tuple[np.ndarray]:
        return (np.swapaxes(g, a, b),)

    def t(self: Tensor) -> Tensor:  # type: ignore[misc]
        """The transpose of a tensor of at most 2 dimensions.

        Example::

            >>> minimodel.zeros(2, 3).t().shape
            minimodel.Size([3, 2])
        """
        x = self._data
        if x.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
        return record_view(x.T, self, "TBackward0", ShapeMixin._t_backward, np.transpose)

    @staticmethod
    def _t_backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (g.T,)

    def permute(self: Tensor, *dims: Shape) -> Tensor:  # type: ignore[misc]
        """Reorder the dimensions: ``out.shape[i] == input.shape[dims[i]]``.

        Args:
            dims: the new order of the dimensions, as arguments or as one tuple.

        Example::

            >>> minimodel.zeros(2, 3, 4).permute(2, 0, 1).shape
            minimodel.Size([4, 2, 3])
        """
        x = self._data
        order_arg = _shape_arg(dims, "permute")
        if len(order_arg) != x.ndim:
            raise RuntimeError(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the "
                "length of the desired ordering of dimensions i.e. input.dim() = "
                f"{x.ndim} is not equal to len(dims) = {len(order_arg)}"
            )
        order = tuple(check_dim(d, x.ndim) for d in order_arg)
        if len(set(order)) != x.ndim:
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        inverse = tuple(int(i) for i in np.argsort(order))
        return record_view(
            np.transpose(x, order),
            self,
            "PermuteBackward0",
            partial(ShapeMixin._permute_backward, inverse),
            partial(np.transpose, axes=order),
        )

    @staticmethod
    def _permute_backward(inverse: tuple[int, ...], g: np.ndarray) -> tuple[np.ndarray]:
        return (np.transpose(g, inverse),)

    @property
    def T(self: Tensor) -> Tensor:  # type: ignore[misc]
        """The tensor with its dimensions reversed (the transpose of a matrix).

        As PyTorch, warns that this use is deprecated for tensors that are not 2-D.

        Example::

            >>> minimodel.zeros(2, 3).T.shape
            minimodel.Size([3, 2])
        """
        return _reversed_dims(self)

    @property
    def mT(self: Tensor) -> Tensor:  # type: ignore[misc]
        """The last two dimensions swapped (a batch of matrices transposed).

        Example::

            >>> minimodel.zeros(5, 2, 3).mT.shape
            minimodel.Size([5, 3, 2])
        """
        return _matrix_transpose(self, "mT", "This function is the identity in these cases.")

    @property
    def mH(self: Tensor) -> Tensor:  # type: ignore[misc]
        """:attr:`mT`: minimodel's tensors are real, so the conjugate transpose is the transpose.

        Example::

            >>> minimodel.zeros(5, 2, 3).mH.shape
            minimodel.Size([5, 3, 2])
        """
        return _matrix_transpose(self, "mH", "Consider using x.conj().")

    def expand(self: Tensor, *sizes: Shape) -> Tensor:  # type: ignore[misc]
        """A broadcast view to ``sizes`` (-1 keeps a dimension); the gradient sums back.

        Args:
            sizes: the new sizes, as arguments or as one tuple.

        Example::

            >>> minimodel.tensor([1.0, 2.0]).expand(3, 2)
            tensor([[1., 2.],
                    [1., 2.],
                    [1., 2.]])
        """
        x = self._data
        target = expand_shape(x.shape, _shape_arg(sizes, "expand"), x.dtype)
        return record_view(
            _expand_array(x, target),
            self,
            "ExpandBackward0",
            partial(ShapeMixin._expand_backward, x.shape),
            partial(_expand_array, target=target),
        )

    @staticmethod
    def _expand_backward(shape: tuple[int, ...], g: np.ndarray) -> tuple[np.ndarray]:
        return (unbroadcast(g, shape),)

    def expand_as(self: Tensor, other: Tensor) -> Tensor:  # type: ignore[misc]
        """``input.expand(other.shape)``.

        Args:
            other: the tensor whose shape to take.

        Example::

            >>> minimodel.zeros(3, 1).expand_as(minimodel.zeros(3, 4)).shape
            minimodel.Size([3, 4])
        """
        return ShapeMixin.expand(self, other._data.shape)  # a tuple: () for a 0-d other

    def split(  # type: ignore[misc]
        self: Tensor, split_size_or_sections: int | list[int], dim: int = 0
    ) -> tuple[Tensor, ...]:
        """Split into views of ``split_size_or_sections`` along ``dim`` (the last may be
        smaller), or of the listed sizes.

        Args:
            split_size_or_sections: the size of each piece, or a list of sizes that sum to
                the size of ``dim``.
            dim: the dimension to split.

        Example::

            >>> minimodel.arange(5).split(2)
            (tensor([0, 1]), tensor([2, 3]), tensor([4]))
        """
        x = self._data
        if not x.ndim:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
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
                return _pieces(self, [(0, 0)], axis, "SplitBackward0")
            starts = range(0, max(n, 1), size)
            bounds = [(s, min(s + size, n)) for s in starts]
            return _pieces(self, bounds, axis, "SplitBackward0")
        sizes = list(split_size_or_sections)
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size "
                f"at dimension {axis}), but got split_sizes={sizes}"
            )
        ends = np.cumsum(sizes).tolist()
        bounds = [(end - size, end) for end, size in zip(ends, sizes, strict=True)]
        return _pieces(self, bounds, axis, "SplitWithSizesBackward0")

    def chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:  # type: ignore[misc]
        """Split into ``chunks`` views of equal size along ``dim`` (``ceil(size / chunks)``;
        fewer pieces when that leaves nothing for the last ones).

        Args:
            chunks: the number of pieces wanted.
            dim: the dimension to split.

        Example::

            >>> minimodel.arange(5).chunk(2)
            (tensor([0, 1, 2]), tensor([3, 4]))
        """
        if not self._data.ndim:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        axis = check_dim(dim, self._data.ndim)
        n = self._data.shape[axis]
        if n == 0:  # PyTorch returns `chunks` empty pieces
            return _pieces(self, [(0, 0)] * chunks, axis, "SplitBackward0")
        return ShapeMixin.split(self, math.ceil(n / chunks), dim)

    def unbind(self: Tensor, dim: int = 0) -> tuple[Tensor, ...]:  # type: ignore[misc]
        """The slices of ``input`` along ``dim`` (views), each without that dimension.

        Args:
            dim: the dimension to remove.

        Example::

            >>> minimodel.arange(6).reshape(2, 3).unbind()
            (tensor([0, 1, 2]), tensor([3, 4, 5]))
        """
        x = self._data
        axis = check_dim(dim, x.ndim)
        if not x.ndim:
            raise IndexError(f"Dimension specified as {axis} but tensor has no dimensions")
        pieces = []
        for i in range(x.shape[axis]):
            # Ellipsis last: a 0-d view, not a NumPy scalar, when i selects the last dimension.
            index: tuple[Any, ...] = (slice(None),) * axis + (i, Ellipsis)
            backward = partial(_piece_backward, x, index)
            pieces.append(
                record_view(x[index], self, "UnbindBackward0", backward, _indexer(index), i)
            )
        return tuple(pieces)

    def repeat(self: Tensor, *sizes: Shape) -> Tensor:  # type: ignore[misc]
        """Tile the tensor ``sizes[i]`` times along each dimension (new leading dimensions
        first).

        Args:
            sizes: the number of copies along each dimension, as arguments or as one tuple.

        Example::

            >>> minimodel.tensor([1, 2]).repeat(2, 2)
            tensor([[1, 2, 1, 2],
                    [1, 2, 1, 2]])
        """
        x = self._data
        reps = _shape_arg(sizes)
        if len(reps) < x.ndim:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of dimensions "
                "of tensor"
            )
        lead = len(reps) - x.ndim
        shape = (1,) * lead + x.shape
        out = np.tile(x.reshape(shape), reps)
        backward = partial(ShapeMixin._repeat_backward, x.shape, reps, shape)
        return record(out, (self,), "RepeatBackward0", backward, False)

    @staticmethod
    def _repeat_backward(
        x_shape: tuple[int, ...], reps: tuple[int, ...], shape: tuple[int, ...], g: np.ndarray
    ) -> tuple[np.ndarray]:
        # As PyTorch's repeat_backward: the leading new dimensions summed away one at a time
        # (each sum rounded, which float16 shows), then each remaining output dimension split
        # into (copies, size) and summed over the copies.
        extra = len(reps) - len(x_shape)
        for _ in range(extra):
            g = add_reduce(g, axis=0)
        reps, shape = reps[extra:], shape[extra:]
        split_shape = [n for r, s in zip(reps, shape, strict=True) for n in (r, s)]
        summed = add_reduce(g.reshape(split_shape), axis=tuple(range(0, 2 * len(reps), 2)))
        return (summed.reshape(x_shape),)


def _same(a: np.ndarray) -> np.ndarray:
    return a


# The functional forms (``minimodel.reshape(t, shape)``): the very same functions.
reshape = ShapeMixin.reshape
view = ShapeMixin.view
flatten = ShapeMixin.flatten
unsqueeze = ShapeMixin.unsqueeze
squeeze = ShapeMixin.squeeze
transpose = ShapeMixin.transpose
t = ShapeMixin.t
permute = ShapeMixin.permute
expand = ShapeMixin.expand
split = ShapeMixin.split
chunk = ShapeMixin.chunk
unbind = ShapeMixin.unbind
repeat = ShapeMixin.repeat
