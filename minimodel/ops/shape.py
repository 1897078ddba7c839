"""Operations that rearrange elements without changing them: reshape, transpose, squeeze, ..."""

from __future__ import annotations

import math

import numpy as np

from ..autograd import record
from ..tensor import Tensor
from ._util import check_dim


def _shape_arg(shape: tuple) -> tuple[int, ...]:
    # Accept both t.reshape(2, 3) and t.reshape((2, 3)).
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
    new = _shape_arg(shape)
    known = math.prod(n for n in new if n != -1)
    if new.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if (-1 in new and (known == 0 or x.size % known)) or (-1 not in new and known != x.size):
        raise RuntimeError(f"shape '{list(new)}' is invalid for input of size {x.size}")
    old = x.shape
    return record(x.reshape(new), (input,), "ViewBackward0", lambda g: (g.reshape(old),))


view = reshape


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim`` through ``end_dim`` into one."""
    x = input._data
    if x.ndim == 0:
        return reshape(input, 1)
    s, e = check_dim(start_dim, x.ndim), check_dim(end_dim, x.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    return (
        reshape(input, *x.shape[:s], -1, *x.shape[e + 1 :])
        if x.size
        else reshape(input, *x.shape[:s], math.prod(x.shape[s : e + 1]), *x.shape[e + 1 :])
    )


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at ``dim``."""
    x = input._data
    d = check_dim(dim, x.ndim + 1)
    return record(
        np.expand_dims(x, d), (input,), "UnsqueezeBackward0", lambda g: (g.reshape(x.shape),)
    )


def squeeze(input: Tensor, dim: int | tuple[int, ...] | None = None) -> Tensor:
    """Remove dimensions of size 1 (all of them, or only ``dim`` if it has size 1)."""
    x = input._data
    if dim is None:
        out, name = np.squeeze(x), "SqueezeBackward0"
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        axes = tuple(a for a in (check_dim(d, x.ndim) for d in dims) if x.ndim and x.shape[a] == 1)
        out, name = np.squeeze(x, axis=axes), "SqueezeBackward1"
    return record(out, (input,), name, lambda g: (g.reshape(x.shape),))


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions."""
    x = input._data
    a, b = check_dim(dim0, x.ndim), check_dim(dim1, x.ndim)
    return record(
        np.swapaxes(x, a, b), (input,), "TransposeBackward0", lambda g: (np.swapaxes(g, a, b),)
    )


def t(input: Tensor) -> Tensor:
    """Transpose of a tensor of at most 2 dimensions."""
    x = input._data
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return record(x.T, (input,), "TBackward0", lambda g: (g.T,))


def permute(input: Tensor, *dims: int) -> Tensor:
    """Reorder the dimensions: ``out.shape[i] == input.shape[dims[i]]``."""
    x = input._data
    order = tuple(check_dim(d, x.ndim) for d in _shape_arg(dims))
    if sorted(order) != list(range(x.ndim)):
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{x.ndim} is not equal to len(dims) = {len(order)}"
        )
    inverse = tuple(np.argsort(order))
    return record(
        np.transpose(x, order), (input,), "PermuteBackward0", lambda g: (np.transpose(g, inverse),)
    )


def T(input: Tensor) -> Tensor:
    """All dimensions reversed (the matrix transpose for 2-D tensors)."""
    return permute(input, *reversed(range(input._data.ndim)))


def expand(input: Tensor, *sizes: int) -> Tensor:
    """A broadcast view to ``sizes`` (-1 keeps a dimension); the gradient sums back."""
    from ._util import unbroadcast

    x = input._data
    new = _shape_arg(sizes)
    lead = len(new) - x.ndim
    target = tuple(x.shape[i - lead] if n == -1 else n for i, n in enumerate(new))
    try:
        out = np.broadcast_to(x, target)
    except ValueError:
        raise RuntimeError(
            f"The expanded size of the tensor ({target[-1]}) must match the existing size "
            f"({x.shape[-1] if x.ndim else 1}) at non-singleton dimension {len(target) - 1}.  "
            f"Target sizes: {list(new)}.  Tensor sizes: {list(x.shape)}"
        ) from None
    return record(out, (input,), "ExpandBackward0", lambda g: (unbroadcast(g, x.shape),))
