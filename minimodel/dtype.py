"""Data types: the few that minimodel supports, named and promoted as in PyTorch.

Every name PyTorch gives a dtype lives on its :class:`dtype` object, here and nowhere else: its
Python name (``float32``), its ScalarType (``Float``, whose legacy tensor type is
``FloatTensor``), its C type (``float``) and the type its Python-number conversions name
(``int64_t``), which PyTorch's error messages print.
"""

from __future__ import annotations

from typing import overload

import numpy as np


class dtype:
    """The element type of a tensor, such as ``minimodel.float32``.

    A thin name over a NumPy dtype. It prints as ``minimodel.float32`` where PyTorch prints
    ``torch.float32``.
    """

    __slots__ = (
        "_c_type",
        "_conversion_type",
        "_scalar_type",
        "is_floating_point",
        "itemsize",
        "name",
        "np",
    )

    def __init__(
        self, name: str, np_dtype: type, scalar_type: str, c_type: str, conversion_type: str
    ) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self._scalar_type = scalar_type
        self._c_type = c_type
        self._conversion_type = conversion_type
        self.is_floating_point = self.np.kind == "f"
        self.itemsize = self.np.itemsize

    def __repr__(self) -> str:
        return f"minimodel.{self.name}"

    def __reduce__(self) -> str:
        return self.name


float32 = dtype("float32", np.float32, "Float", "float", "float")
float64 = dtype("float64", np.float64, "Double", "double", "double")
float16 = dtype("float16", np.float16, "Half", "c10::Half", "c10::Half")
int64 = dtype("int64", np.int64, "Long", "long int", "int64_t")
int32 = dtype("int32", np.int32, "Int", "int", "int")
int16 = dtype("int16", np.int16, "Short", "short int", "int16_t")
int8 = dtype("int8", np.int8, "Char", "signed char", "int8_t")
uint8 = dtype("uint8", np.uint8, "Byte", "unsigned char", "uint8_t")
bool = dtype("bool", np.bool_, "Bool", "bool", "bool")

# PyTorch's aliases.
float = float32
double = float64
half = float16
long = int64
int = int32

_BY_NUMPY = {d.np: d for d in (float32, float64, float16, int64, int32, int16, int8, uint8, bool)}
# By NumPy's name, which ignores byte order.
_BY_NAME = {d.name: d for d in _BY_NUMPY.values()}


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """Return the minimodel dtype of a NumPy dtype, or raise TypeError if it has none."""
    try:
        return _BY_NUMPY[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only supported "
            "types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


@overload
def to_numpy_dtype(d: None) -> None: ...
@overload
def to_numpy_dtype(d: dtype | np.dtype | type) -> np.dtype: ...
def to_numpy_dtype(d: dtype | np.dtype | type | None) -> np.dtype | None:
    """Accept a minimodel dtype (or a NumPy one) and return the NumPy dtype."""
    if d is None:
        return None
    if isinstance(d, dtype):
        return d.np
    return from_numpy_dtype(np.dtype(d)).np


def scalar_type_name(np_dtype: np.dtype) -> str:
    """PyTorch's ScalarType name of a dtype (``Float``, ``Long``), which error messages print;
    NumPy's name for a dtype minimodel does not support."""
    name = np.dtype(np_dtype).name
    return _BY_NAME[name]._scalar_type if name in _BY_NAME else name


def torch_dtype_name(np_dtype: np.dtype) -> str:
    """The C type name PyTorch prints for a dtype in some error messages (``float``,
    ``long int``); NumPy's name for a dtype minimodel does not support."""
    name = np.dtype(np_dtype).name
    return _BY_NAME[name]._c_type if name in _BY_NAME else name


def conversion_type_name(np_dtype: np.dtype) -> str:
    """The type PyTorch names when a Python number does not fit a dtype (``value cannot be
    converted to type int8_t without overflow``)."""
    return _BY_NAME[np.dtype(np_dtype).name]._conversion_type


def legacy_tensor_type(np_dtype: np.dtype) -> str:
    """PyTorch's legacy tensor type of a dtype (``FloatTensor``), or ``Tensor`` for a dtype
    minimodel does not support."""
    name = np.dtype(np_dtype).name
    return f"{_BY_NAME[name]._scalar_type}Tensor" if name in _BY_NAME else "Tensor"
