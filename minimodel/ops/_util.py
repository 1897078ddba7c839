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
    """Cast ``out``, NumPy's result of an operation on ``a`` and ``b``, to PyTorch's dtype.

    ``b`` may be a Python number. They differ in two ways: NumPy turns an integer tensor combined
    with a Python float (or divided) into float64, where PyTorch gives its default float32; and
    in PyTorch a 0-d tensor does not raise the dtype of a tensor with dimensions of the same kind
    (``float32 + float64 0-d`` is float32). The common case, a result of the inputs' dtype, is
    returned at once.
    """
    dt = out.dtype
    if dt == a.dtype and (dt == b.dtype if isinstance(b, np.ndarray) else True):
        return out
    want = result_type(a, b)
    if want.kind != "f" and dt.kind == "f":
        want = _F32  # true division and float functions of integers
    return out if want == dt else out.astype(want)


_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def promote_types(x: np.dtype, y: np.dtype) -> np.dtype:
    """PyTorch's promotion of two dtypes: the higher kind (bool < int < float) wins outright."""
    rx, ry = _KIND_RANK[x.kind], _KIND_RANK[y.kind]
    if rx != ry:
        return x if rx > ry else y
    return np.promote_types(x, y)


def result_type(a: np.ndarray, b: Any) -> np.dtype:
    """PyTorch's result dtype for ``a`` (an array) combined with ``b`` (an array or a number).

    Tensors with dimensions outrank 0-d tensors, which outrank Python numbers; a lower rank only
    counts when it is of a higher kind (bool < int < float). A Python float stands for the
    default float32, a Python int for int64.
    """
    ranked: list[np.dtype | None] = [None, None, None]  # dimensioned, 0-d, Python number
    for x in (a, b):
        if isinstance(x, np.ndarray):
            slot, dt = (0 if x.ndim else 1), x.dtype
        else:
            slot = 2
            dt = np.dtype(bool if isinstance(x, bool) else np.int64 if isinstance(x, int) else _F32)
        prev = ranked[slot]
        ranked[slot] = dt if prev is None else promote_types(prev, dt)
    result = next(dt for dt in ranked if dt is not None)
    for dt in ranked:
        # A lower rank only counts with a higher kind, and then its dtype is the result.
        if dt is not None and _KIND_RANK[dt.kind] > _KIND_RANK[result.kind]:
            result = dt
    return result


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
