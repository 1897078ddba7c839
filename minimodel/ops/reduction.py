"""Reductions over all or some dimensions: ``sum``, ``mean``, ``max``, ``min``, ``argmax``,
``std``, ``prod``, ``norm``, ``all``, ...

:class:`ReductionMixin` holds them as methods of :class:`~minimodel.Tensor`; ``minimodel.sum``
and the other functional forms at the bottom are the same functions.
"""

from __future__ import annotations

import builtins
import math
import warnings
from collections import namedtuple
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from ..autograd import record
from ._util import (
    ADD,
    MAXIMUM,
    MINIMUM,
    MULTIPLY,
    accumulated,
    add_reduce,
    check_dim,
    numpy_aliases,
    scalar_type_name,
)

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


_NO_DIM: Any = _NoDim()


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
) -> np.ndarray:
    """Give a reduced gradient its reduced axes back so that it broadcasts over the input."""
    if axes is not None and not keepdim:
        g = np.expand_dims(g, axes)
    return np.broadcast_to(g, shape)


def _reduced_count(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> int:
    if axes is None:
        return int(np.prod(shape))
    return int(np.prod([shape[a] for a in axes]))


_F16, _F32 = np.dtype(np.float16), np.dtype(np.float32)


def _moments(name: str, input: Tensor, dim, unbiased, keepdim, correction):
    """Shared by var and std: ``(x, axes, backward, var)``, ``var`` in the dtype PyTorch
    accumulates in (float64 for float32: the squares of 1e20 overflow float32, not the
    variance's square root), and the partial of :func:`_var_backward` that takes ``g``."""
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
    wide = x.astype(np.float64) if x.dtype == _F32 else accumulated(x)
    count = _reduced_count(x.shape, axes)
    if x.dtype != _F16 and x.size and x.size == count:
        # PyTorch's pass for one result (std_var_all_cpu): the mean in the input's dtype (where
        # 3e38 + 3e38 overflows float32), then the squared deviations from it in float64.
        mean = (add_reduce(x, axis=axes, keepdims=True) / x.dtype.type(count)).astype(wide.dtype)
    else:  # Welford's pass, in float32 for float16 and float64 for float32
        mean = add_reduce(wide, axis=axes, keepdims=True) / wide.dtype.type(count)
    centered = wide - mean
    divisor = count - correction
    if divisor <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            stacklevel=3,
        )
    with np.errstate(invalid="ignore", divide="ignore"):  # nan or inf, as PyTorch gives, silently
        var_ = add_reduce(centered * centered, axis=axes, keepdims=keepdim) / wide.dtype.type(
            builtins.max(divisor, 0)
        )
    # PyTorch's var_backward tells a reduction over everything (no dim, or a 0-d input) from one
    # over given dims, where dim=() counts one element (while the forward reduces them all).
    dims = None if dim is None or x.ndim == 0 else () if axes is None else axes
    backward = partial(_var_backward, x, mean.astype(x.dtype), dims, keepdim, correction)
    return x, axes, backward, np.asarray(var_)


def _var_backward(
    x: np.ndarray,
    mean: np.ndarray,
    dims: tuple[int, ...] | None,
    keepdim: bool,
    correction: float,
    g: np.ndarray,
) -> tuple[np.ndarray]:
    """PyTorch's var_backward (FunctionsManual.cpp), case for case: ``mean`` is
    ``self.mean()`` with the reduced dims kept, in the input's dtype."""
    shape = x.shape
    if dims is None:
        dof = math.prod(shape) - correction
        if dof <= 0:
            # 2 / 0 is inf: where self == mean, inf * 0 is NaN; elsewhere inf, times g.
            return (g * np.where(x == mean, np.nan, np.inf).astype(x.dtype),)
        return (g.dtype.type(2.0 / dof) * g * (x - mean),)
    dof = math.prod(shape[d] for d in dims) - correction
    scale = 2.0 / dof if dof else math.inf
    if not keepdim and dims:
        g = np.expand_dims(g, dims)
    return (g.dtype.type(scale) * g * (x - mean),)


def _extreme(input: Tensor, dim: Any, keepdim: bool, is_max: bool) -> Any:
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
        # Ties give the last of the equal elements (-0. or 0.), as PyTorch's; NumPy gives the
        # first in float16, so that is compared in float32 (exactly).
        wide = accumulated(x)
        out = MAXIMUM.reduce(wide, axis=None) if is_max else MINIMUM.reduce(wide, axis=None)
        out = np.asarray(out).astype(x.dtype)
        name = "MaxBackward1" if is_max else "MinBackward1"
        return record(out, (input,), name, partial(_extreme_all_backward, x, out))
    axis = check_dim(dim, x.ndim)
    if x.ndim and x.shape[axis] == 0:
        raise IndexError(f"{word}(): Expected reduction dim {axis} to have non-zero size.")
    # A 0-d tensor reduces over its single element: work on a 1-element view of it.
    xx = x.reshape(1) if x.ndim == 0 else x
    idx = np.expand_dims(np.argmax(xx, axis) if is_max else np.argmin(xx, axis), axis)
    vals = np.take_along_axis(xx, idx, axis=axis)
    if x.ndim == 0:
        out_shape = x.shape
    else:
        out_shape = vals.shape if keepdim else vals.shape[:axis] + vals.shape[axis + 1 :]
    name = "MaxBackward0" if is_max else "MinBackward0"
    backward = partial(_extreme_dim_backward, x.shape, xx.shape, idx, axis)
    values = record(vals.reshape(out_shape), (input,), name, backward, ())  # the indices
    indices = Tensor._wrap(idx.astype(np.int64).reshape(out_shape))
    return values_indices(values, indices)


def _extreme_all_backward(x: np.ndarray, out: np.ndarray, g: np.ndarray) -> tuple[np.ndarray]:
    # Ties share the gradient evenly, as PyTorch's full reduction does; a NaN result is shared
    # among the NaNs (``x == nan`` matches nothing).
    # Selected, as PyTorch's masked_fill_ into zeros: +0. elsewhere whatever the sign of g.
    mask = np.isnan(x) if out != out else x == out
    return (np.where(mask, g / add_reduce(mask), 0).astype(g.dtype, copy=False),)


def _extreme_dim_backward(
    shape: tuple[int, ...], shape1: tuple[int, ...], idx: np.ndarray, axis: int, g: np.ndarray
) -> tuple[np.ndarray]:
    grad = np.zeros(shape1, dtype=g.dtype)
    np.put_along_axis(grad, idx, g.reshape(idx.shape), axis=axis)
    return (grad.reshape(shape),)


def _arg_extreme(input: Tensor, dim: int | None, keepdim: bool, np_arg: Any) -> Tensor:
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


Dims = int | tuple[int, ...] | list[int] | None


class ReductionMixin:
    """The reductions of :class:`~minimodel.Tensor`. Each derivative is the static method right
    below its reduction: the upstream gradient spread back over the reduced elements.

    Like PyTorch's, they take NumPy's keyword names too (``axis=``, ``keepdims=``) where
    PyTorch does (``sum``, ``mean``, ``max``, ``min``, ``argmax``, ``argmin``).
    """

    __slots__ = ()

    @numpy_aliases
    def sum(  # type: ignore[misc]
        self: Tensor, dim: Dims = _NO_DIM, keepdim: bool = False, *, dtype: Any = None
    ) -> Tensor:
        """The sum of all elements, or over ``dim`` (integers and bools sum to int64).

        Args:
            dim: the dimension(s) to reduce; None, ``()`` or ``[]`` reduce all.
            keepdim: keep the reduced dimensions with size 1 (only with ``dim``).
            dtype: compute and return in this dtype.

        Example::

            >>> t = minimodel.tensor([[1.0, 5.0], [3.0, 2.0]])
            >>> t.sum()
            tensor(11.)
            >>> t.sum(dim=0)
            tensor([4., 7.])
        """
        _check_keepdim_alone("sum", dim, keepdim)
        x = self._data
        axes = _axes(dim, x.ndim)
        if dtype is not None:  # cast first, as PyTorch: each element rounded to dtype, then summed
            x = x.astype(getattr(dtype, "np", dtype))
        out = np.asarray(add_reduce(x, axis=axes, keepdims=keepdim))
        name = "SumBackward0" if dim is _NO_DIM else "SumBackward1"
        backward = partial(ReductionMixin._sum_backward, x.shape, axes, keepdim)
        return record(out, (self,), name, backward, False)

    @staticmethod
    def _sum_backward(
        shape: tuple[int, ...], axes: tuple[int, ...] | None, keepdim: bool, g: np.ndarray
    ) -> tuple[np.ndarray]:
        return (_expand_back(g, shape, axes, keepdim),)

    @numpy_aliases
    def mean(  # type: ignore[misc]
        self: Tensor, dim: Dims = _NO_DIM, keepdim: bool = False, *, dtype: Any = None
    ) -> Tensor:
        """The mean of all elements, or over ``dim``; only for floating-point tensors (or with a
        floating-point ``dtype``), as in PyTorch.

        Args:
            dim: the dimension(s) to reduce; None, ``()`` or ``[]`` reduce all.
            keepdim: keep the reduced dimensions with size 1 (only with ``dim``).
            dtype: cast the input to this floating-point dtype first.

        Example::

            >>> minimodel.tensor([[1.0, 5.0], [3.0, 2.0]]).mean(1, keepdim=True)
            tensor([[3.0000],
                    [2.5000]])
        """
        _check_keepdim_alone("mean", dim, keepdim)
        x = self._data
        if dtype is not None:
            wanted = np.dtype(getattr(dtype, "np", dtype))
            if wanted.kind != "f":
                raise RuntimeError(
                    "mean(): could not infer output dtype. Optional dtype must be either a "
                    f"floating point or complex dtype. Got: {scalar_type_name(wanted)}"
                )
            x = x.astype(wanted)
        elif x.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {scalar_type_name(x.dtype)}"
            )
        axes = _axes(dim, x.ndim)
        # Summed in float32 for float16 and divided before rounding, as PyTorch does.
        total = ADD.reduce(accumulated(x), axis=axes, keepdims=keepdim)
        count = x.size // total.size if total.size else 0
        out = np.asarray((total / count).astype(x.dtype))
        name = "MeanBackward0" if dim is _NO_DIM else "MeanBackward1"
        backward = partial(ReductionMixin._mean_backward, x.shape, axes, keepdim, count)
        return record(out, (self,), name, backward, False)

    @staticmethod
    def _mean_backward(
        shape: tuple[int, ...],
        axes: tuple[int, ...] | None,
        keepdim: bool,
        count: int,
        g: np.ndarray,
    ) -> tuple[np.ndarray]:
        return (_expand_back(g / count, shape, axes, keepdim),)

    @numpy_aliases
    def max(  # type: ignore[misc]
        self: Tensor, dim: int | Tensor | None = None, keepdim: bool = False
    ) -> Any:
        """The largest element; or ``(values, indices)`` along ``dim``; or, given a tensor, the
        elementwise :func:`~minimodel.maximum`.

        Ties share the gradient of the largest element evenly; along ``dim`` it goes to the
        element ``indices`` names.

        Args:
            dim: the dimension to reduce (or a tensor to compare with).
            keepdim: keep the reduced dimension with size 1.

        Example::

            >>> t = minimodel.tensor([[1.0, 5.0], [3.0, 2.0]])
            >>> t.max()
            tensor(5.)
            >>> t.max(dim=1).indices
            tensor([1, 0])
        """
        return _extreme(self, dim, keepdim, True)

    @numpy_aliases
    def min(  # type: ignore[misc]
        self: Tensor, dim: int | Tensor | None = None, keepdim: bool = False
    ) -> Any:
        """The smallest element; or ``(values, indices)`` along ``dim``; or, given a tensor, the
        elementwise :func:`~minimodel.minimum` (see :meth:`max`).

        Args:
            dim: the dimension to reduce (or a tensor to compare with).
            keepdim: keep the reduced dimension with size 1.

        Example::

            >>> minimodel.tensor([[1.0, 5.0], [3.0, 2.0]]).min(0).values
            tensor([1., 2.])
        """
        return _extreme(self, dim, keepdim, False)

    @numpy_aliases
    def argmax(  # type: ignore[misc]
        self: Tensor, dim: int | None = None, keepdim: bool = False
    ) -> Tensor:
        """The index of the largest element (of the flattened tensor when ``dim`` is None).

        Args:
            dim: the dimension to reduce, or None.
            keepdim: keep the reduced dimension(s) with size 1.

        Example::

            >>> minimodel.tensor([[1.0, 5.0], [3.0, 2.0]]).argmax()
            tensor(1)
        """
        return _arg_extreme(self, dim, keepdim, np.argmax)

    @numpy_aliases
    def argmin(  # type: ignore[misc]
        self: Tensor, dim: int | None = None, keepdim: bool = False
    ) -> Tensor:
        """The index of the smallest element (of the flattened tensor when ``dim`` is None).

        Args:
            dim: the dimension to reduce, or None.
            keepdim: keep the reduced dimension(s) with size 1.

        Example::

            >>> minimodel.tensor([[1.0, 5.0], [3.0, 2.0]]).argmin(dim=1)
            tensor([0, 1])
        """
        return _arg_extreme(self, dim, keepdim, np.argmin)

    def var(  # type: ignore[misc]
        self: Tensor,
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

        Example::

            >>> minimodel.tensor([[1.0, 5.0], [3.0, 2.0]]).var(dim=0)
            tensor([2.0000, 4.5000])
        """
        _, _, backward, out = _moments("var", self, dim, unbiased, keepdim, correction)
        return record(out.astype(self._data.dtype), (self,), "VarBackward0", backward)

    def std(  # type: ignore[misc]
        self: Tensor,
        dim: int | tuple[int, ...] | bool | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: float | None = None,
    ) -> Tensor:
        """The standard deviation (the square root of :meth:`var`), with the same arguments.

        Args:
            dim: the dimension(s) to reduce; None reduces all.
            unbiased: ``correction=1`` if True (the default), ``0`` if False.
            keepdim: keep the reduced dimensions with size 1.
            correction: the difference between the count of elements and the divisor.

        Example::

            >>> minimodel.tensor([[1.0, 5.0], [3.0, 2.0]]).std()
            tensor(1.7078)
        """
        x, _, var_backward, var_ = _moments("std", self, dim, unbiased, keepdim, correction)
        out = np.sqrt(var_).astype(x.dtype)  # the root before the cast, as PyTorch
        backward = partial(ReductionMixin._std_backward, var_backward, out)
        return record(out, (self,), "StdBackward0", backward)

    @staticmethod
    def _std_backward(var_backward: Any, out: np.ndarray, g: np.ndarray) -> tuple[np.ndarray]:
        # PyTorch's std_backward: var's backward of g / (2 * std), 0 where the std is 0.
        return var_backward(np.where(out == 0, 0, g / (out * 2)).astype(out.dtype))

    def prod(  # type: ignore[misc]
        self: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None
    ) -> Tensor:
        """The product of all elements, or along ``dim`` (integers and bools give int64).

        Args:
            dim: the dimension to reduce; None reduces all.
            keepdim: keep the reduced dimension with size 1.
            dtype: compute and return in this dtype.

        Example::

            >>> minimodel.tensor([[1.0, 5.0], [3.0, 2.0]]).prod()
            tensor(30.)
        """
        x = self._data
        if dtype is not None:
            x = x.astype(getattr(dtype, "np", dtype))
        elif x.dtype.kind in "biu":
            x = x.astype(np.int64)
        axis = None if dim is None else check_dim(dim, x.ndim)
        if x.ndim == 0:
            axis = None
        keep = keepdim and axis is not None
        if x.dtype == _F16 and x.size:
            # Each partial product rounded to float16, as PyTorch's (-1.24 * 65504 overflows at
            # once, 1e-4 * 1e-4 underflows), where NumPy's reduce multiplies in float32.
            ax = -1 if axis is None else axis
            src = x.reshape(-1) if axis is None else x
            out = np.take(MULTIPLY.accumulate(src, axis=ax), [-1], axis=ax)
            out = out.reshape(()) if axis is None else (out if keep else out.squeeze(ax))
        else:
            out = np.asarray(MULTIPLY.reduce(x, axis=axis, keepdims=keep))
        name = "ProdBackward0" if dim is None else "ProdBackward1"
        backward = partial(ReductionMixin._prod_backward, x, out, axis, keepdim)
        return record(out, (self,), name, backward)

    @staticmethod
    def _prod_backward(
        x: np.ndarray, out: np.ndarray, axis: int | None, keepdim: bool, g: np.ndarray
    ) -> tuple[np.ndarray]:
        # PyTorch's prod_backward: without a zero, g * (result / input), inf and NaN included;
        # with zeros, the product of all the other elements, from products on each side.
        if x.ndim == 0:
            return (g,)
        axes = None if axis is None else (axis,)
        gx = _expand_back(g, x.shape, axes, keepdim)
        zeros = np.count_nonzero(x == 0)
        if not zeros:
            return (gx * (_expand_back(out, x.shape, axes, keepdim) / x),)
        if axis is None and zeros > 1:
            return (np.zeros_like(x),)  # PyTorch's shortcut: every product of the others is 0
        flat = x.reshape(-1) if axis is None else x
        ax = 0 if axis is None else axis
        # PyTorch's cumprod accumulates float32 in float64 (and float16 in float32): there
        # -3e38 * -1.76 * 0 is 0, not inf * 0.
        wide = flat.astype(np.float64) if flat.dtype == _F32 else accumulated(flat)
        ones = np.ones_like(np.take(wide, [0], axis=ax))
        left = MULTIPLY.accumulate(np.concatenate([ones, wide], axis=ax), axis=ax)
        left = np.delete(left, -1, axis=ax).astype(x.dtype)
        rev = np.flip(wide, axis=ax)
        right = np.flip(MULTIPLY.accumulate(np.concatenate([ones, rev], axis=ax), axis=ax), axis=ax)
        right = np.delete(right, 0, axis=ax).astype(x.dtype)
        return (gx * (left * right).reshape(x.shape),)

    def norm(  # type: ignore[misc]
        self: Tensor,
        p: float | str | None = "fro",
        dim: int | tuple[int, ...] | None = None,
        keepdim: bool = False,
        dtype: Any = None,
    ) -> Tensor:
        """The vector p-norm of all elements, or over ``dim``: ``sum(|x|**p) ** (1/p)``.

        Args:
            p: ``'fro'`` (the 2-norm, the default), a positive number, ``inf`` (the largest
                absolute value) or 0 (the count of non-zero elements).
            dim: the dimension(s) to reduce; None reduces all.
            keepdim: keep the reduced dimensions with size 1.
            dtype: cast the input to this dtype first.

        Example::

            >>> minimodel.tensor([3.0, 4.0]).norm()
            tensor(5.)
        """
        x = self._data if dtype is None else self._data.astype(getattr(dtype, "np", dtype))
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
        if p < 0 or p == np.inf:
            _check_norm_identity(x.shape, p, dim)
        a = np.abs(x)
        wide = accumulated(a)  # float16 accumulated in float32, as PyTorch does
        if p == np.inf:
            out = MAXIMUM.reduce(a, axis=axes, keepdims=keepdim)
        elif p == -np.inf:
            out = MINIMUM.reduce(a, axis=axes, keepdims=keepdim)
        elif p == 0:
            out = add_reduce(a != 0, axis=axes, keepdims=keepdim)
        elif _reduced_count(x.shape, axes) == 1 and (x.ndim or dim is None):
            # PyTorch's norm of one element is its absolute value, never raised to the power p
            # and back (a float32 1e30 alone has the norm 1e30, not inf); but not that of a 0-d
            # tensor along a dim.
            out = ADD.reduce(a, axis=axes, keepdims=keepdim)
        else:
            out = ADD.reduce(wide**p, axis=axes, keepdims=keepdim) ** (1 / p)
        out = np.asarray(out, dtype=x.dtype)
        backward = partial(ReductionMixin._norm_backward, x, a, out, p, axes, keepdim)
        return record(out, (self,), "LinalgVectorNormBackward0", backward)

    @staticmethod
    def _norm_backward(
        x: np.ndarray,
        a: np.ndarray,
        out: np.ndarray,
        p: float,
        axes: tuple[int, ...] | None,
        keepdim: bool,
        g: np.ndarray,
    ) -> tuple[np.ndarray | None]:
        # PyTorch's norm_backward (FunctionsManual.cpp), case for case, so that inf, NaN and
        # zeros give its numbers; sgn(NaN) is 0 there.
        if p == 0:
            return (None,)  # PyTorch's derivative is undefined: the input gets no gradient
        n = _expand_back(out, x.shape, axes, keepdim)
        gx = _expand_back(g, x.shape, axes, keepdim)
        sgn = np.where(x != x, 0, np.sign(x))
        if p == 1:
            return (sgn * gx,)
        if p == 2:
            return ((gx * np.where(n == 0, 0, x / n)).astype(x.dtype),)
        if abs(p) == np.inf:
            # Where |x| is the norm, or NaN, shared evenly.
            hits = (a == n) | np.isnan(a)
            count = _expand_back(
                add_reduce(hits, axis=axes, keepdims=True), x.shape, axes, keepdim=True
            )
            return ((sgn * ((gx / count) * hits)).astype(x.dtype),)
        if p < 1:
            scaled = sgn * np.where(x == 0, 0, a ** (p - 1))
            return ((scaled * gx * n ** (1 - p)).astype(x.dtype),)
        scale = np.where(n == 0, 0, gx / n ** (p - 1))
        # Below 2, sgn(x) * |x| ** (p - 1); from 2 on, x * |x| ** (p - 2), which keeps -0.
        scaled = sgn * a ** (p - 1) if p < 2 else x * a ** (p - 2)
        return ((scaled * scale).astype(x.dtype),)

    @numpy_aliases
    def all(self: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:  # type: ignore[misc]
        """True if every element is non-zero, or along ``dim``: a bool tensor (uint8 for a
        uint8 input, as in PyTorch).

        Args:
            dim: the dimension(s) to reduce; None reduces all, ``()`` none.
            keepdim: keep the reduced dimensions with size 1.

        Example::

            >>> minimodel.tensor([True, False]).all()
            tensor(False)
            >>> minimodel.tensor([[1, 0], [1, 1]]).all(dim=1)
            tensor([False,  True])
        """
        return _logical(self, dim, keepdim, np.logical_and)

    @numpy_aliases
    def any(self: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:  # type: ignore[misc]
        """True if any element is non-zero, or along ``dim``: a bool tensor (uint8 for a uint8
        input, as in PyTorch).

        Args:
            dim: the dimension(s) to reduce; None reduces all, ``()`` none.
            keepdim: keep the reduced dimensions with size 1.

        Example::

            >>> minimodel.tensor([True, False]).any()
            tensor(True)
            >>> minimodel.tensor([[1, 0], [0, 0]]).any(dim=1)
            tensor([ True, False])
        """
        return _logical(self, dim, keepdim, np.logical_or)


def _check_norm_identity(shape: tuple[int, ...], p: float, dim: Any) -> None:
    """PyTorch's error for a norm without an identity (inf, or p < 0) over nothing."""
    what = f"the {p:g} norm on"
    if dim is None or dim == () or dim == []:
        if not math.prod(shape):
            raise RuntimeError(
                f"linalg.vector_norm cannot compute {what} an empty tensor because the "
                "operation does not have an identity"
            )
        return
    for d in (dim,) if isinstance(dim, int) else dim:
        if shape and not shape[check_dim(d, len(shape))]:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute {what} the dimension {d}because this "
                "dimension is empty and the operation does not have an identity"
            )


def _logical(input: Tensor, dim: Dims, keepdim: bool, ufunc: Any) -> Tensor:
    """``all`` or ``any``: unlike the other reductions, ``dim=()`` reduces no dimension."""
    x = input._data
    if dim is None:
        axes: tuple[int, ...] | None = None
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        axes = _axes(dims, x.ndim) if dims else ()
    out = ufunc.reduce(x.astype(bool, copy=False), axis=axes, keepdims=keepdim)
    return Tensor._wrap(np.asarray(out, dtype=np.uint8 if x.dtype == np.uint8 else bool))


# The functional forms (``minimodel.sum(t)``): the very same functions.
sum = ReductionMixin.sum
mean = ReductionMixin.mean
max = ReductionMixin.max
min = ReductionMixin.min
argmax = ReductionMixin.argmax
argmin = ReductionMixin.argmin
var = ReductionMixin.var
std = ReductionMixin.std
prod = ReductionMixin.prod
norm = ReductionMixin.norm
