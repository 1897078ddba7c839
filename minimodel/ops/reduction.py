"""Reductions: ``sum``, ``mean``, ``max``, ``min``, ``argmax``, ``argmin`` over all or some dims."""

from __future__ import annotations

import warnings
from collections import namedtuple
from typing import TYPE_CHECKING

import numpy as np

from ..autograd import record
from ._util import check_dim, numpy_aliases, scalar_type_name

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)

# What ``t.max(dim)`` returns, like ``torch.return_types.max``.
values_indices = namedtuple("values_indices", ["values", "indices"])


class _NoDim:
    """The default of ``dim`` where PyTorch's signature has none: ``keepdim`` alone is refused."""

    def __repr__(self) -> str:
        return "None"


_NO_DIM = _NoDim()


def _check_keepdim_alone(name: str, dim: object, keepdim: object) -> None:
    # PyTorch's overload without dim takes no keepdim; sum(None, True) matches the other one.
    if dim is _NO_DIM and keepdim is not False:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (keepdim=bool, ), but "
            f"expected one of:\n * (*, minimodel.dtype dtype = None)\n * (tuple of ints dim, bool "
            "keepdim = False, *, minimodel.dtype dtype = None)\n"
        )


def _axes(dim: int | tuple[int, ...] | list[int] | None, ndim: int) -> tuple[int, ...] | None:
    if dim is None or dim is _NO_DIM:
        return None
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if not dims:  # dim=() or [] reduces every dimension, as None does
        return None
    axes = tuple(check_dim(d, ndim) for d in dims)
    if len(axes) > 1 and len(set(axes)) != len(axes):
        twice = next(a for a in axes if axes.count(a) > 1)
        raise RuntimeError(f"dim {twice} appears multiple times in the list of dims")
    # A 0-d tensor accepts dim 0 or -1, meaning its only element: NumPy wants no axis there.
    return axes if ndim else None


def _expand_back(
    g: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...] | None, keepdim: bool
):
    """Give a reduced gradient its reduced axes back so that it broadcasts over the input."""
    if axes is not None and not keepdim:
        g = np.expand_dims(g, axes)
    return np.broadcast_to(g, shape)


@numpy_aliases
def sum(
    input: Tensor, dim: int | tuple[int, ...] | None = _NO_DIM, keepdim: bool = False, *, dtype=None
) -> Tensor:
    """Sum of all elements, or over ``dim`` (an int or a tuple of ints).

    Args:
        dim: the dimension(s) to reduce; None, ``()`` or ``[]`` reduce all.
        keepdim: keep the reduced dimensions with size 1 (only with ``dim``).
    """
    _check_keepdim_alone("sum", dim, keepdim)
    x = input._data
    axes = _axes(dim, x.ndim)
    out = x.sum(axis=axes, keepdims=keepdim)
    if x.dtype.kind in "biu":
        out = out.astype(np.int64)
    if dtype is not None:
        out = out.astype(getattr(dtype, "np", dtype))
    out = np.asarray(out)
    shape = x.shape
    name = "SumBackward0" if dim is _NO_DIM else "SumBackward1"
    return record(out, (input,), name, lambda g: (_expand_back(g, shape, axes, keepdim),), False)


@numpy_aliases
def mean(
    input: Tensor, dim: int | tuple[int, ...] | None = _NO_DIM, keepdim: bool = False
) -> Tensor:
    """Mean of all elements, or over ``dim``; only for floating-point tensors, as in PyTorch.

    Args:
        dim: the dimension(s) to reduce; None, ``()`` or ``[]`` reduce all.
        keepdim: keep the reduced dimensions with size 1 (only with ``dim``).
    """
    _check_keepdim_alone("mean", dim, keepdim)
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {scalar_type_name(x.dtype)}"
        )
    axes = _axes(dim, x.ndim)
    total = x.sum(axis=axes, keepdims=keepdim)
    count = x.size // total.size if total.size else 0
    # Divided here rather than by ndarray.mean, whose warning for 0 / 0 could not be silenced.
    out = np.asarray(total / count)
    shape = x.shape
    name = "MeanBackward0" if dim is _NO_DIM else "MeanBackward1"
    return record(
        out, (input,), name, lambda g: (_expand_back(g / count, shape, axes, keepdim),), False
    )


def _extreme(input: Tensor, dim, keepdim: bool, is_max: bool):
    x = input._data
    word = "max" if is_max else "min"
    if isinstance(dim, Tensor):
        from .join import maximum, minimum

        return maximum(input, dim) if is_max else minimum(input, dim)
    if dim is None:
        if keepdim is not False:
            raise TypeError(
                f"{word}() received an invalid combination of arguments - got (keepdim=bool, ), "
                f"but expected one of:\n * ()\n      didn't match because some of the keywords "
                f"were incorrect: keepdim\n * (Tensor other)\n      didn't match because some of "
                f"the keywords were incorrect: keepdim\n * (int dim, bool keepdim = False)\n"
            )
        if x.size == 0:
            raise RuntimeError(
                f"{word}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        out = np.asarray(x.max() if is_max else x.min())

        def backward_all(g: np.ndarray) -> tuple[np.ndarray]:
            # Ties share the gradient evenly, as PyTorch's full reduction does; a NaN result is
            # shared among the NaNs (``x == nan`` matches nothing).
            mask = np.isnan(x) if out != out else x == out
            return (mask * (g / mask.sum()),)

        name = "MaxBackward1" if is_max else "MinBackward1"
        return record(out, (input,), name, backward_all)
    axis = check_dim(dim, x.ndim)
    # A 0-d tensor reduces over its single element: work on a 1-element view of it.
    xx = x.reshape(1) if x.ndim == 0 else x
    idx = np.expand_dims(np.argmax(xx, axis) if is_max else np.argmin(xx, axis), axis)
    vals = np.take_along_axis(xx, idx, axis=axis)
    if x.ndim == 0:
        out_shape = x.shape
    else:
        out_shape = vals.shape if keepdim else vals.shape[:axis] + vals.shape[axis + 1 :]

    def backward_dim(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros(xx.shape, dtype=g.dtype)
        np.put_along_axis(grad, idx, g.reshape(idx.shape), axis=axis)
        return (grad.reshape(x.shape),)

    name = "MaxBackward0" if is_max else "MinBackward0"
    values = record(vals.reshape(out_shape), (input,), name, backward_dim, ())  # the indices
    indices = Tensor._wrap(idx.astype(np.int64).reshape(out_shape))
    return values_indices(values, indices)


@numpy_aliases
def max(input: Tensor, dim: int | Tensor | None = None, keepdim: bool = False):
    """The largest element, or ``(values, indices)`` along ``dim``, or elementwise ``maximum``."""
    return _extreme(input, dim, keepdim, True)


@numpy_aliases
def min(input: Tensor, dim: int | Tensor | None = None, keepdim: bool = False):
    """The smallest element, or ``(values, indices)`` along ``dim``, or elementwise ``minimum``."""
    return _extreme(input, dim, keepdim, False)


def _arg_extreme(input: Tensor, dim: int | None, keepdim: bool, np_arg) -> Tensor:
    """argmax or argmin, as ``np_arg`` is ``np.argmax`` or ``np.argmin``; int64 like PyTorch."""
    x = input._data
    word = np_arg.__name__
    if x.dtype == np.bool_:
        raise RuntimeError(f"{word}(): does not support bool input")
    if dim is None:
        if x.size == 0:
            raise IndexError(
                f"{word}(): Expected reduction dim to be specified for input.numel() == 0."
            )
        # keepdim without dim keeps every dimension, with size 1.
        shape = (1,) * x.ndim if keepdim else ()
        return Tensor._wrap(np.asarray(np_arg(x), dtype=np.int64).reshape(shape))
    axis = check_dim(dim, x.ndim)
    if x.ndim and x.shape[axis] == 0:
        raise IndexError(f"{word}(): Expected reduction dim {axis} to have non-zero size.")
    return Tensor._wrap(np_arg(x, axis=axis if x.ndim else None, keepdims=keepdim).astype(np.int64))


@numpy_aliases
def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest element (of the flattened tensor when ``dim`` is None)."""
    return _arg_extreme(input, dim, keepdim, np.argmax)


@numpy_aliases
def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest element (of the flattened tensor when ``dim`` is None)."""
    return _arg_extreme(input, dim, keepdim, np.argmin)


# ---------------------------------------------------------------- added for issue 12
def _reduced_count(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> int:
    if axes is None:
        return int(np.prod(shape))
    return int(np.prod([shape[a] for a in axes]))


def _moments(name: str, input: Tensor, dim, unbiased, keepdim, correction):
    """Shared by var and std: the axes, the deviations from the mean and the divisor."""
    if isinstance(dim, bool):  # var(True): the legacy positional ``unbiased``
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (correction="
            f"{type(correction).__name__}, unbiased=bool, ), but expected one of:\n"
            " * (tuple of ints dim, bool unbiased = True, bool keepdim = False)\n"
            " * (tuple of ints dim = None, *, Number correction = None, bool keepdim = False)\n"
            " * (bool unbiased = True)\n"
        )
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    axes = _axes(dim, x.ndim)
    centered = x - x.mean(axis=axes, keepdims=True)
    # Never below 0 (``max`` is this module's reduction, not the builtin).
    divisor = _reduced_count(x.shape, axes) - correction
    if divisor <= 0:
        divisor = 0
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            stacklevel=3,
        )
    with np.errstate(invalid="ignore", divide="ignore"):  # nan or inf, as PyTorch gives, silently
        var_ = (centered * centered).sum(axis=axes, keepdims=keepdim) / x.dtype.type(divisor)
    return x, axes, centered, divisor, np.asarray(var_, dtype=x.dtype)


def var(
    input: Tensor,
    dim: int | tuple[int, ...] | bool | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """The variance over all elements or over ``dim``: the squared deviations from the mean,
    summed and divided by ``N - correction``.

    Args:
        dim: the dimension(s) to reduce; None reduces all.
        unbiased: ``correction=1`` if True (the default), ``0`` if False.
        keepdim: keep the reduced dimensions with size 1.
        correction: the difference between the count of elements and the divisor.
    """
    x, axes, centered, divisor, out = _moments("var", input, dim, unbiased, keepdim, correction)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        g = _expand_back(g, x.shape, axes, keepdim)
        return (g * 2 * centered / x.dtype.type(divisor),)

    return record(out, (input,), "VarBackward0", backward)


def std(
    input: Tensor,
    dim: int | tuple[int, ...] | bool | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """The standard deviation (the square root of :func:`var`), with the same arguments.

    Args:
        dim: the dimension(s) to reduce; None reduces all.
        unbiased: ``correction=1`` if True (the default), ``0`` if False.
        keepdim: keep the reduced dimensions with size 1.
        correction: the difference between the count of elements and the divisor.
    """
    x, axes, centered, divisor, var_ = _moments("std", input, dim, unbiased, keepdim, correction)
    out = np.sqrt(var_)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        scaled = _expand_back(g / out, x.shape, axes, keepdim)
        return (scaled * centered / x.dtype.type(divisor),)

    return record(out, (input,), "StdBackward0", backward)


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """The product of all elements, or along ``dim`` (integers and bools give int64).

    Args:
        dim: the dimension to reduce; None reduces all.
        keepdim: keep the reduced dimension with size 1.
        dtype: compute and return in this dtype.
    """
    x = input._data
    if dtype is not None:
        x = x.astype(getattr(dtype, "np", dtype))
    elif x.dtype.kind in "biu":
        x = x.astype(np.int64)
    axis = None if dim is None else check_dim(dim, x.ndim)
    if x.ndim == 0:
        axis = None
    out = np.asarray(x.prod(axis=axis, keepdims=keepdim and axis is not None))
    name = "ProdBackward0" if dim is None else "ProdBackward1"

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        # The product of all the other elements, from products on each side: exact with zeros.
        flat = x.reshape(-1) if axis is None else x
        ax = 0 if axis is None else axis
        ones = np.ones_like(np.take(flat, [0], axis=ax)) if flat.shape[ax] else None
        if ones is None:
            return (np.zeros_like(x),)
        left = np.concatenate([ones, np.cumprod(flat, axis=ax)], axis=ax)
        left = np.delete(left, -1, axis=ax)
        rev = np.flip(flat, axis=ax)
        right = np.flip(np.concatenate([ones, np.cumprod(rev, axis=ax)], axis=ax), axis=ax)
        right = np.delete(right, 0, axis=ax)
        others = (left * right).reshape(x.shape)
        return (_expand_back(g, x.shape, None if axis is None else (axis,), keepdim) * others,)

    return record(out, (input,), name, backward)


def norm(
    input: Tensor,
    p: float | str | None = "fro",
    dim: int | tuple[int, ...] | None = None,
    keepdim: bool = False,
    dtype=None,
) -> Tensor:
    """The vector p-norm of all elements, or over ``dim``: ``sum(|x|**p) ** (1/p)``.

    Args:
        p: ``'fro'`` (the 2-norm, the default), a positive number, ``inf`` (the largest
            absolute value) or 0 (the count of non-zero elements).
        dim: the dimension(s) to reduce; None reduces all.
        keepdim: keep the reduced dimensions with size 1.
        dtype: cast the input to this dtype first.
    """
    x = input._data if dtype is None else input._data.astype(getattr(dtype, "np", dtype))
    if x.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{scalar_type_name(x.dtype)}"
        )
    if p == "fro" or p is None:
        p = 2.0
    if isinstance(p, str):
        raise NotImplementedError(f"minimodel's norm supports vector norms only, not p='{p}'")
    axes = _axes(dim, x.ndim)
    a = np.abs(x)
    if p == np.inf:
        out = a.max(axis=axes, keepdims=keepdim) if a.size else np.zeros(())
    elif p == -np.inf:
        out = a.min(axis=axes, keepdims=keepdim)
    elif p == 0:
        out = (a != 0).sum(axis=axes, keepdims=keepdim).astype(x.dtype)
    else:
        out = (a**p).sum(axis=axes, keepdims=keepdim) ** (1 / p)
    out = np.asarray(out, dtype=x.dtype)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        n = _expand_back(out, x.shape, axes, keepdim)
        gx = _expand_back(g, x.shape, axes, keepdim)
        if p == 0:
            return (np.zeros_like(x),)
        if abs(p) == np.inf:
            hits = a == n
            count = _expand_back(hits.sum(axis=axes, keepdims=keepdim), x.shape, axes, keepdim)
            return (gx * np.sign(x) * hits / count,)
        if p == 1:
            return (gx * np.sign(x),)
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 2:
                grad = x * np.where(n == 0, 0, gx / n)
            else:
                grad = gx * np.sign(x) * a ** (p - 1) / n ** (p - 1)
                grad = np.where(n == 0, 0, grad)
        return (grad.astype(x.dtype),)

    return record(out, (input,), "LinalgVectorNormBackward0", backward)
