"""Data types: the few that minimodel supports, named and promoted as in PyTorch."""

from __future__ import annotations

import numpy as np


class dtype:
    """The element type of a tensor, such as ``minimodel.float32``.

    A thin name over a NumPy dtype. It prints as ``minimodel.float32`` where PyTorch prints
    ``torch.float32``.
    """

    __slots__ = ("is_floating_point", "itemsize", "name", "np")

    def __init__(self, name: str, np_dtype: type) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = self.np.kind == "f"
        self.itemsize = self.np.itemsize

    def __repr__(self) -> str:
        return f"minimodel.{self.name}"

    def __reduce__(self) -> str:
        return self.name


float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
float16 = dtype("float16", np.float16)
int64 = dtype("int64", np.int64)
int32 = dtype("int32", np.int32)
int16 = dtype("int16", np.int16)
int8 = dtype("int8", np.int8)
uint8 = dtype("uint8", np.uint8)
bool = dtype("bool", np.bool_)

# PyTorch's aliases.
float = float32
double = float64
half = float16
long = int64
int = int32

_BY_NUMPY = {d.np: d for d in (float32, float64, float16, int64, int32, int16, int8, uint8, bool)}


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """Return the minimodel dtype of a NumPy dtype, or raise TypeError if it has none."""
    try:
        return _BY_NUMPY[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only supported "
            "types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def to_numpy_dtype(d: dtype | np.dtype | type | None) -> np.dtype | None:
    """Accept a minimodel dtype (or a NumPy one) and return the NumPy dtype."""
    if d is None:
        return None
    if isinstance(d, dtype):
        return d.np
    return from_numpy_dtype(np.dtype(d)).np
