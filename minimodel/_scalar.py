"""Python numbers stored into a dtype, with PyTorch's checks.

PyTorch has two ways to turn a Python number into an element, and they check different things:

* ``tensor(data)`` stores each number of ``data`` by its own type (:func:`store`): an int stays
  exact and wraps into an unsigned dtype (``-1`` is 255), a float is truncated into an integer
  dtype but refused when out of range, non-finite or negative for an unsigned one, float32 and
  float16 take any float (overflowing to inf), bool takes truthiness.
* ``full``, ``fill_``, ``masked_fill`` and ``x[i] = v`` go through a C++ ``Scalar`` (:func:`fill`):
  the same range checks, but messages name the C++ type (``uint8_t``) and float32 refuses a
  finite float beyond its range instead of storing inf.

Doing either through NumPy's casts instead would be silently wrong: ``0.1`` rounded through
float32 into float64, ``300`` wrapped into int8, NaN turned into 0.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

import numpy as np

from .dtype import conversion_type_name

__all__ = ["check_scalar", "dtype_of", "fill", "infer", "store"]

_F32 = np.dtype(np.float32)
_F16 = np.dtype(np.float16)
_F64 = np.dtype(np.float64)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _overflow(name: str) -> RuntimeError:
    return RuntimeError(f"value cannot be converted to type {name} without overflow")


def _int_range(target: np.dtype) -> tuple[builtins.int, builtins.int]:
    """PyTorch's range for an int: an unsigned dtype also takes down to ``-max`` (it wraps)."""
    info = np.iinfo(target)
    low = -builtins.int(info.max) if target.kind == "u" else builtins.int(info.min)
    return low, builtins.int(info.max)


def _int_fits(value: builtins.int, target: np.dtype) -> builtins.bool:
    low, high = _int_range(target)
    return low <= value <= high


def _float_fits(value: builtins.float, target: np.dtype) -> builtins.bool:
    """PyTorch's range for a float into an integer dtype: finite and within the dtype's range.

    The range's ends are compared as doubles, as C++ does: 2.0**63 passes for int64.
    """
    info = np.iinfo(target)
    low, high = builtins.float(info.min), builtins.float(info.max)
    return builtins.bool(np.isfinite(value)) and low <= value <= high


def _truncate(value: builtins.float, target: np.dtype) -> builtins.int:
    # 2.0**63 passed the check but is no int64: x86's conversion gives the lowest int64 for it.
    whole = builtins.int(value)
    return whole if whole <= np.iinfo(target).max else builtins.int(np.iinfo(target).min)


def dtype_of(value: Any) -> np.dtype:
    """The dtype ``full`` infers from a Python number: bool, int64 or float32."""
    if isinstance(value, builtins.bool | np.bool_):
        return np.dtype(np.bool_)
    if isinstance(value, builtins.int | np.integer):
        return np.dtype(np.int64)
    return _F32


def _int_or_wrap(value: builtins.int, target: np.dtype) -> Any:
    # Two's complement, as C++'s cast does for the negative ints an unsigned dtype accepts.
    return value % (builtins.int(np.iinfo(target).max) + 1) if target.kind == "u" else value


def _flat(values: Any) -> Iterator[Any]:
    """The numbers of nested lists in order, each of its own Python type."""
    if isinstance(values, list | tuple):
        for row in values:
            yield from _flat(row)
    else:
        yield values


def infer(values: Any, array: np.ndarray) -> np.ndarray | None:
    """PyTorch's dtype for Python numbers whose ``np.array`` is ``array``, where NumPy's differs.

    NumPy makes floats or objects of ints beyond int64; PyTorch makes float32 only when a float
    is present and otherwise int64, refusing what does not fit. None: NumPy's kind is right.
    """
    if array.dtype.kind not in "fuO":
        return None
    numbers = _flat(values)
    if any(isinstance(v, builtins.float | np.floating) for v in numbers):
        return store(values, _F32, array)
    if array.dtype.kind == "f" or array.dtype == np.uint64 or array.dtype == object:
        return store(values, np.dtype(np.int64), array)
    return None


def _store_one(value: Any, target: np.dtype) -> Any:
    """One Python number as ``tensor(..., dtype=target)`` stores it."""
    if isinstance(value, builtins.bool | np.bool_):
        return builtins.bool(value)
    if target.kind == "b":
        return builtins.bool(value)
    if isinstance(value, builtins.int | np.integer):
        value = builtins.int(value)
        if not _INT64_MIN <= value <= _INT64_MAX:
            if target.kind == "f":
                return builtins.float(value)  # "int too large to convert to float" past 1e308
            raise ValueError("Overflow when unpacking long long")
        if target.kind == "f":
            return builtins.float(value)
        if not _int_fits(value, target):
            raise _overflow(target.name)
        return _int_or_wrap(value, target)
    value = builtins.float(value)
    if target.kind == "f":
        return value
    if not _float_fits(value, target):
        raise _overflow(target.name)
    return _truncate(value, target)


def store(values: Any, target: np.dtype, array: np.ndarray | None = None) -> np.ndarray:
    """The array ``tensor(values, dtype=target)`` holds; ``values`` is a number or nested lists.

    Example::

        >>> store([0.1], np.dtype(np.float64)).tolist()
        [0.1]
        >>> store([-1, 2.7], np.dtype(np.uint8))
        array([255,   2], dtype=uint8)
    """
    if array is None:
        array = np.array(values)
    if array.dtype.kind == "f" and target.kind == "f":
        # float16 is reached through float32, as PyTorch's Half(float) does.
        return array.astype(_F32).astype(target) if target == _F16 else array.astype(target)
    if array.dtype.kind == "b" or (array.dtype == np.int64 and target.kind in "fb"):
        return array.astype(target)
    if array.dtype == np.int64:
        low, high = _int_range(target)
        if array.size and (array.min() < low or array.max() > high):
            raise _overflow(target.name)
        return array.astype(target)  # NumPy wraps negative ints into unsigned dtypes as C++ does
    # Ints that may wrap, floats that may overflow, numbers of mixed kinds: one by one.
    # From the Python numbers themselves: np.array made floats of the ints in a mixed list.
    flat = [_store_one(v, target) for v in _flat(values)]
    out = np.array(flat, dtype=_F64 if target.kind == "f" else object).reshape(array.shape)
    if target == _F16:
        out = out.astype(_F32)
    return out.astype(target)


def _check_64_bits(value: builtins.int) -> None:
    if value >= 2**64:
        raise OverflowError("int too big to convert")
    if value < _INT64_MIN:
        raise OverflowError("can't convert negative int to unsigned")


def check_scalar(value: Any, dtype: np.dtype) -> None:
    """The errors PyTorch raises while making a ``Scalar`` of a Python int, before any dtype
    is worked out: beyond 64 bits, or an unsigned 64-bit one beside a bool tensor."""
    if not isinstance(value, builtins.int) or isinstance(value, builtins.bool):
        return
    _check_64_bits(value)
    if value > _INT64_MAX and dtype.kind == "b":
        raise RuntimeError(
            "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
            "Bool and UInt64"
        )


def fill(value: Any, target: np.dtype, half_checked: builtins.bool = False) -> Any:
    """``value`` as PyTorch's ``Scalar`` converts it into ``target`` for ``full``/``fill_``.

    ``half_checked``: also refuse a finite number beyond float16's range. PyTorch checks it
    except when it fills exactly one element (``full((1,), 1e10, dtype=float16)`` is inf,
    ``full((2,), ...)`` raises); ``masked_fill`` always checks.

    Example::

        >>> fill(300, np.dtype(np.int8))
        Traceback (most recent call last):
        RuntimeError: value cannot be converted to type int8_t without overflow
    """
    if isinstance(value, builtins.bool | np.bool_):
        return target.type(builtins.bool(value))
    if isinstance(value, builtins.int | np.integer):
        value = builtins.int(value)
        _check_64_bits(value)
        if target.kind in "fb":
            return (
                fill(builtins.float(value), target, half_checked)
                if target.kind == "f"
                else (np.bool_(value != 0))
            )
        if not _int_fits(value, target):
            raise _overflow(conversion_type_name(target))
        return target.type(_int_or_wrap(value, target))
    value = builtins.float(value)
    if target.kind == "b":
        return np.bool_(value != 0)
    if target.kind in "iu":
        if not _float_fits(value, target):
            raise _overflow(conversion_type_name(target))
        return target.type(_truncate(value, target))
    limit = builtins.float(np.finfo(target).max)  # a float16 limit would round 65505 down
    checked = target == _F32 or (target == _F16 and half_checked)
    if checked and np.isfinite(value) and builtins.abs(value) > limit:
        raise _overflow(conversion_type_name(target))
    return np.array(value).astype(_F32).astype(target)[()] if target == _F16 else target.type(value)
