"""Tests of minimodel/dtype.py and of PyTorch's dtype rules for new tensors and results.

The expected dtypes are PyTorch's documented rules (the default dtype is float32); the
exhaustive comparison with PyTorch is in tests/test_dtype_torch_parity.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import minimodel as mm


@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        (1.5, mm.float32),
        ([1.0, 2.0], mm.float32),
        ([[1, 2.5]], mm.float32),
        (3, mm.int64),
        ([1, 2], mm.int64),
        (True, mm.bool),
        ([True, False], mm.bool),
        ([True, 2], mm.int64),
    ],
)
def test_python_data_gives_default_dtypes(data, dtype) -> None:
    assert mm.tensor(data).dtype is dtype


@pytest.mark.parametrize(
    "np_dtype", [np.float64, np.float32, np.float16, np.int64, np.int32, np.uint8, np.bool_]
)
def test_numpy_array_keeps_its_dtype(np_dtype) -> None:
    array = np.zeros(3, dtype=np_dtype)
    assert mm.tensor(array).dtype.np == np.dtype(np_dtype)
    assert mm.from_numpy(array).dtype.np == np.dtype(np_dtype)


@pytest.mark.parametrize(
    "factory",
    [
        lambda: mm.zeros(2),
        lambda: mm.ones(2),
        lambda: mm.empty(2),
        lambda: mm.randn(2),
        lambda: mm.rand(2),
        lambda: mm.linspace(0, 1, 3),
        lambda: mm.arange(0.0, 2.0),
        lambda: mm.arange(0, 1, 0.5),
        lambda: mm.full((2,), 1.5),
        lambda: mm.eye(2),
    ],
)
def test_float_factories_give_float32(factory) -> None:
    assert factory().dtype is mm.float32


def test_arange_of_ints_gives_int64() -> None:
    assert mm.arange(5).dtype is mm.int64
    assert mm.arange(1, 7, 2).dtype is mm.int64


def test_factory_dtype_argument_wins() -> None:
    assert mm.zeros(2, dtype=mm.float64).dtype is mm.float64
    assert mm.arange(3, dtype=mm.float32).dtype is mm.float32
    assert mm.tensor([1, 2], dtype=mm.float64).dtype is mm.float64


@pytest.mark.parametrize(
    ("expression", "dtype"),
    [
        (lambda: mm.tensor([1, 2]) * 1.5, mm.float32),
        (lambda: mm.tensor([1, 2]) + 1, mm.int64),
        (lambda: mm.tensor([1, 2]) / mm.tensor([2, 2]), mm.float32),
        (lambda: mm.tensor([1, 2]) / 2, mm.float32),
        (lambda: mm.ones(2) + mm.ones(2, dtype=mm.float64), mm.float64),
        (lambda: mm.tensor(2.0, dtype=mm.float64) + mm.ones(2), mm.float32),
        (lambda: mm.ones(2) + mm.tensor(2.0, dtype=mm.float64), mm.float32),
        (lambda: mm.tensor(2.0, dtype=mm.float64) + mm.tensor(1.0), mm.float64),
        (lambda: mm.tensor([1, 2]) + mm.tensor(2.5, dtype=mm.float64), mm.float64),
        (lambda: mm.tensor([1, 2], dtype=mm.int32) + mm.tensor([1, 2]), mm.int64),
        (lambda: mm.tensor([True]) + 1, mm.int64),
        (lambda: mm.tensor([True]) + mm.tensor([True]), mm.bool),
        (lambda: mm.ones(2, dtype=mm.float64) * 2.5, mm.float64),
        (lambda: mm.tensor([1, 2]).exp(), mm.float32),
        (lambda: mm.tensor([1, 2]).log(), mm.float32),
        (lambda: mm.tensor([1, 2]).sum(), mm.int64),
        (lambda: mm.tensor([True, False]).sum(), mm.int64),
        (lambda: mm.tensor([-1, 2]).abs(), mm.int64),
        (lambda: mm.cat([mm.ones(2), mm.tensor([1, 2])]), mm.float32),
        (lambda: mm.where(mm.tensor([True]), mm.tensor([1]), 0.5), mm.float32),
        (lambda: mm.where(mm.tensor([True]), 1.0, 0.0), mm.float32),
        (lambda: mm.ones(2) > 0, mm.bool),
    ],
)
def test_result_dtypes_follow_pytorch_promotion(expression, dtype) -> None:
    assert expression().dtype is dtype


def test_dtype_repr_and_attributes() -> None:
    assert repr(mm.float32) == "minimodel.float32"
    assert repr(mm.int64) == "minimodel.int64"
    assert mm.float64.is_floating_point and not mm.int64.is_floating_point
    assert mm.float32.itemsize == 4


def test_aliases_are_the_same_dtype_objects() -> None:
    assert mm.float is mm.float32
    assert mm.double is mm.float64
    assert mm.long is mm.int64
    assert mm.half is mm.float16
    assert mm.int is mm.int32


def test_tensor_dtype_is_a_minimodel_dtype() -> None:
    assert isinstance(mm.ones(1).dtype, mm.dtype)
    assert mm.ones(1).dtype == mm.float32


def test_unsupported_numpy_dtype_raises_type_error() -> None:
    with pytest.raises(TypeError, match=r"can't convert np\.ndarray of type numpy\.complex128"):
        mm.tensor(np.zeros(2, dtype=np.complex128))


def test_to_converts_between_dtypes() -> None:
    x = mm.tensor([1.7, -2.2])
    assert x.to(mm.int64).tolist() == [1, -2]
    assert x.double().dtype is mm.float64
    assert x.long().dtype is mm.int64
    assert x.int().dtype is mm.int32
    assert x.bool().tolist() == [True, True]
    assert x.float() is x  # already float32: the same tensor, as in PyTorch
