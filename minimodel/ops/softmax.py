"""``softmax`` and ``log_softmax``: one fused operation each, its derivative written by hand.

:func:`softmax` and :func:`log_softmax` are ``minimodel.nn.functional``'s; :class:`SoftmaxMixin`
makes them methods of :class:`~minimodel.Tensor` (which does not import ``nn``).
"""

from __future__ import annotations

import warnings
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from ..autograd import OUTPUT, record
from ._util import ADD, MAXIMUM, accumulated, add_reduce, check_dim, scalar_type_name

if TYPE_CHECKING:
    from ..dtype import dtype as DType
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)


def _get_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def _log_softmax_array(x: np.ndarray, axis: int | None) -> np.ndarray:
    # Shift by the maximum before exponentiating (log-sum-exp): nothing overflows. float16 is
    # computed in float32 and rounded once, as PyTorch does.
    if x.size == 0:
        return x.copy()
    wide = accumulated(x)
    shifted = wide - MAXIMUM.reduce(wide, axis=axis, keepdims=True)
    out = shifted - np.log(ADD.reduce(np.exp(shifted), axis=axis, keepdims=True))
    return out.astype(x.dtype, copy=False)


def _softmax_input(
    name: str, input: Tensor, dim: int | None, stacklevel: int, dtype: object
) -> tuple[Tensor, int | None]:
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if dim is None:
        dim = _get_softmax_dim(name, input.ndim, stacklevel + 1)
    if dtype is not None:
        input = input.to(dtype)
    x = input._data
    d = check_dim(dim, x.ndim)
    if x.dtype.kind != "f" and x.size:  # PyTorch returns an empty input as it is
        kernel = "lastdim_kernel_impl" if d == x.ndim - 1 or x.ndim == 0 else "kernel_impl"
        raise NotImplementedError(
            f"\"{name}_{kernel}\" not implemented for '{scalar_type_name(x.dtype)}'"
        )
    return input, (d if x.ndim else None)


def softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: object = None
) -> Tensor:
    r"""Rescale the values along ``dim`` to probabilities: ``exp(x_i) / sum_j exp(x_j)``.

    Args:
        input: the tensor.
        dim: the dimension along which the values sum to 1. Leaving it out is deprecated, as in
            PyTorch (a warning, then dim 0 for 0-, 1- and 3-D inputs, else 1).
        dtype: cast the input to this dtype first.

    Example::

        >>> F.softmax(minimodel.tensor([1.0, 1.0]), dim=0)
        tensor([0.5000, 0.5000])
    """
    input, axis = _softmax_input("softmax", input, dim, _stacklevel, dtype)
    x = input._data
    # An empty input is returned as it is, in its own dtype.
    out = np.exp(_log_softmax_array(x, axis)).astype(x.dtype, copy=False) if x.size else x.copy()
    backward = partial(_softmax_backward, out, axis)
    return record(out, (input,), "SoftmaxBackward0", backward, (OUTPUT,))


def _softmax_backward(out: np.ndarray, axis: int | None, g: np.ndarray) -> tuple[np.ndarray]:
    return (out * (g - add_reduce(g * out, axis=axis, keepdims=True)),)


def log_softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: object = None
) -> Tensor:
    r"""The logarithm of :func:`softmax`, computed directly so it stays finite.

    Args:
        input: the tensor.
        dim: the dimension along which softmax is taken (see :func:`softmax`).
        dtype: cast the input to this dtype first.

    Example::

        >>> F.log_softmax(minimodel.tensor([0.0, 1e4]), dim=0)
        tensor([-10000.,      0.])
    """
    input, axis = _softmax_input("log_softmax", input, dim, _stacklevel, dtype)
    out = _log_softmax_array(input._data, axis)
    backward = partial(_log_softmax_backward, out, axis)
    return record(out, (input,), "LogSoftmaxBackward0", backward, (OUTPUT,))


def _log_softmax_backward(out: np.ndarray, axis: int | None, g: np.ndarray) -> tuple[np.ndarray]:
    return (g - np.exp(out) * add_reduce(g, axis=axis, keepdims=True),)


class SoftmaxMixin:
    """``softmax`` and ``log_softmax`` as methods of :class:`~minimodel.Tensor`."""

    __slots__ = ()

    def softmax(self: Tensor, dim: int, dtype: DType | None = None) -> Tensor:  # type: ignore[misc]
        """Softmax along ``dim``: see :func:`minimodel.nn.functional.softmax`.

        Args:
            dim: the dimension along which the values sum to 1.
            dtype: cast the input to this dtype first.

        Example::

            >>> minimodel.tensor([1.0, 1.0]).softmax(0)
            tensor([0.5000, 0.5000])
        """
        return softmax(self, dim, dtype=dtype)

    def log_softmax(self: Tensor, dim: int, dtype: DType | None = None) -> Tensor:  # type: ignore[misc]
        """Log-softmax along ``dim``: see :func:`minimodel.nn.functional.log_softmax`.

        Args:
            dim: the dimension along which softmax is taken.
            dtype: cast the input to this dtype first.

        Example::

            >>> minimodel.tensor([0.0, 1e4]).log_softmax(0)
            tensor([-10000.,      0.])
        """
        return log_softmax(self, dim, dtype=dtype)
