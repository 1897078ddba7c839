"""Shared plumbing of the operations: broadcasting gradients back and PyTorch's dtype rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..tensor import Tensor

_F64 = np.dtype(np.float64)
_F32 = np.dtype(np.float32)


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``g`` down to ``shape``: the gradient of a broadcast is the sum over what it repeated."""
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g


def promote(out: np.ndarray, a: np.ndarray, b: Any) -> np.ndarray:
    """Apply PyTorch's result dtype where NumPy's differs.

    NumPy turns an integer tensor combined with a Python float (or divided) into float64, where
    PyTorch gives its default float32; and in PyTorch a 0-d tensor does not raise the dtype of a
    tensor with dimensions.
    """
    if out.dtype is not _F64 and out.dtype != _F64:
        return out
    a_is_64 = a.dtype == _F64
    b_is_64 = isinstance(b, np.ndarray) and b.dtype == _F64
    if a_is_64 and b_is_64:
        return out
    if not a_is_64 and not b_is_64:
        return out.astype(_F32)
    # Exactly one side is float64: it wins unless it is 0-d and the other side is a float tensor.
    other = b if a_is_64 else a
    wide = a if a_is_64 else b
    if wide.ndim == 0 and isinstance(other, np.ndarray) and other.ndim > 0:
        if other.dtype.kind == "f":
            return out.astype(other.dtype)
        return out
    return out


def float_result(out: np.ndarray) -> np.ndarray:
    """Results of float functions (exp, log, ...) of integer tensors are float32, as in PyTorch."""
    if out.dtype == _F64:
        return out
    if out.dtype.kind != "f":
        return out.astype(_F32)
    return out


def check_dim(dim: int, ndim: int) -> int:
    """Normalize a possibly negative ``dim``, raising PyTorch's IndexError when out of range."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not lo <= dim <= hi:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})"
        )
    return dim % ndim if ndim else 0


def torch_dtype_name(d: np.dtype) -> str:
    """The C type name PyTorch uses for a dtype in some error messages (``float``, ``double``)."""
    return {
        "float32": "float",
        "float64": "double",
        "float16": "c10::Half",
        "int64": "long int",
        "int32": "int",
        "int16": "short int",
        "int8": "signed char",
        "uint8": "unsigned char",
        "bool": "bool",
    }.get(np.dtype(d).name, np.dtype(d).name)


def scalar_type_name(d: np.dtype) -> str:
    """PyTorch's ScalarType name (``Float``, ``Long``) used in other error messages."""
    return {
        "float32": "Float",
        "float64": "Double",
        "float16": "Half",
        "int64": "Long",
        "int32": "Int",
        "int16": "Short",
        "int8": "Char",
        "uint8": "Byte",
        "bool": "Bool",
    }.get(np.dtype(d).name, np.dtype(d).name)


def shape_str(t: Tensor | np.ndarray) -> str:
    shape = t.shape
    return "x".join(str(n) for n in shape)
