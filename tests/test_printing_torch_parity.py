"""``repr`` of tensors against PyTorch's, character for character.

The only allowed difference is the documented one: ``torch.float64`` and ``torch.Size`` are
spelled ``minimodel.float64`` and ``minimodel.Size`` (tests/torch_compare.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from torch_compare import as_minimodel
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

nan, inf = float("nan"), float("inf")

# Each builds a tensor with ``lib`` (minimodel or torch), the same way in both.
TENSORS: dict[str, Callable[[Any], Any]] = {
    "ints": lambda lib: lib.tensor([1, 2, 3]),
    "negative_ints": lambda lib: lib.tensor([[-1, 20], [300, -4000]]),
    "big_ints": lambda lib: lib.tensor([123456789012, -5]),
    "floats": lambda lib: lib.tensor([0.5, 1.25, -3.0]),
    "integer_valued_floats": lambda lib: lib.tensor([1.0, 2.0, -3.0]),
    "large_integer_valued_floats": lambda lib: lib.tensor([1.0, 1e8]),
    "tiny_floats": lambda lib: lib.tensor([1e-5, 2e-6]),
    "huge_floats": lambda lib: lib.tensor([1e10, 3.5e12]),
    "wide_ratio_switches_to_sci": lambda lib: lib.tensor([0.001, 2.0]),
    "ratio_just_under_1000": lambda lib: lib.tensor([0.002, 1.0]),
    "negative_sci": lambda lib: lib.tensor([[-1e-8, 1.0], [3.0, 4e5]]),
    "nan_inf": lambda lib: lib.tensor([nan, inf, -inf, 1.5]),
    "nan_inf_integer_valued": lambda lib: lib.tensor([nan, inf, -1.0]),
    "only_nan": lambda lib: lib.tensor([nan, nan]),
    "zeros": lambda lib: lib.zeros(2, 3),
    "negative_zero": lambda lib: lib.tensor([-0.0, 1.0]),
    "scalar_float": lambda lib: lib.tensor(3.14159),
    "scalar_int": lambda lib: lib.tensor(7),
    "scalar_bool": lambda lib: lib.tensor(True),
    "scalar_nan": lambda lib: lib.tensor(nan),
    "scalar_tiny": lambda lib: lib.tensor(1e-8),
    "scalar_float64": lambda lib: lib.tensor(2.5, dtype=lib.float64),
    "bools": lambda lib: lib.tensor([[True, False], [False, True]]),
    "empty": lambda lib: lib.tensor([]),
    "empty_2d": lambda lib: lib.zeros(0, 3),
    "empty_trailing": lambda lib: lib.zeros(2, 0),
    "empty_int": lambda lib: lib.zeros(0, dtype=lib.int64),
    "empty_float64_2d": lambda lib: lib.zeros(3, 0, dtype=lib.float64),
    "empty_requires_grad": lambda lib: lib.zeros(0, requires_grad=True),
    "float64": lambda lib: lib.tensor([1.5, 2.5], dtype=lib.float64),
    "int32": lambda lib: lib.tensor([1, 2], dtype=lib.int32),
    "float16": lambda lib: lib.tensor([0.1, 2.0], dtype=lib.float16),
    "uint8": lambda lib: lib.tensor([0, 255], dtype=lib.uint8),
    "matrix": lambda lib: lib.arange(12.0).reshape(3, 4) / 7,
    "cube": lambda lib: lib.arange(24).reshape(2, 3, 4) - 10,
    "four_dims": lambda lib: lib.arange(16.0).reshape(2, 2, 2, 2),
    "long_vector_wraps": lambda lib: lib.arange(40.0) / 3,
    "long_int_vector_wraps": lambda lib: lib.arange(100),
    "long_rows_wrap": lambda lib: lib.arange(60.0).reshape(2, 30) * 1.5,
    "summarized_vector": lambda lib: lib.arange(2000),
    "summarized_float_vector": lambda lib: lib.arange(1001.0) / 10,
    "summarized_matrix": lambda lib: lib.arange(1600.0).reshape(40, 40),
    "summarized_cube": lambda lib: lib.arange(2400).reshape(10, 12, 20),
    "summarized_narrow_matrix": lambda lib: lib.arange(2002.0).reshape(1001, 2),
    "exactly_1000_not_summarized": lambda lib: lib.arange(1000),
    "requires_grad": lambda lib: lib.tensor([1.0, 2.0], requires_grad=True),
    "requires_grad_scalar": lambda lib: lib.tensor(1.0, requires_grad=True),
    "requires_grad_float64": lambda lib: lib.ones(2, dtype=lib.float64, requires_grad=True),
    "requires_grad_wraps": lambda lib: lib.arange(17.0).requires_grad_(),
    "requires_grad_matrix": lambda lib: lib.ones(2, 20, requires_grad=True),
    "grad_fn": lambda lib: lib.tensor([1.0, 2.0], requires_grad=True) * 2,
    "grad_fn_scalar": lambda lib: (lib.tensor([1.0, 2.0], requires_grad=True) ** 2).sum(),
    "grad_fn_float64_wraps": lambda lib: lib.arange(14.0, dtype=lib.float64).requires_grad_() + 1,
    "grad_fn_mean": lambda lib: lib.ones(3, requires_grad=True).mean(),
    "grad_fn_view": lambda lib: lib.ones(2, 3, requires_grad=True).view(6),
    "grad_fn_copy_slices": lambda lib: _setitem_result(lib),
    "detached": lambda lib: (lib.ones(2, requires_grad=True) * 2).detach(),
    "no_grad_result": lambda lib: _no_grad_result(lib),
    "randn_matrix_rounded": lambda lib: lib.tensor(
        np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    ),
}


def _setitem_result(lib: Any) -> Any:
    z = lib.ones(3, requires_grad=True) * 1
    z[0] = 5.0
    return z


def _no_grad_result(lib: Any) -> Any:
    x = lib.ones(2, requires_grad=True)
    with lib.no_grad():
        return x * 3


@pytest.mark.parametrize("build", TENSORS.values(), ids=TENSORS.keys())
def test_repr_matches_torch(build: Callable[[Any], Any]) -> None:
    assert repr(build(mm)) == as_minimodel(repr(build(torch)))


@pytest.mark.parametrize("build", TENSORS.values(), ids=TENSORS.keys())
def test_str_matches_torch(build: Callable[[Any], Any]) -> None:
    assert str(build(mm)) == as_minimodel(str(build(torch)))


_DTYPES = [np.float32, np.float64, np.float16, np.int64, np.int32, np.uint8, np.bool_]


@settings(max_examples=examples(150))
@given(
    array=st.sampled_from(_DTYPES).flatmap(
        lambda dt: arrays(dt, array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=12))
    ),
    requires_grad=st.booleans(),
)
def test_repr_of_any_values_matches_torch(array: np.ndarray, requires_grad: bool) -> None:
    requires_grad = requires_grad and array.dtype.kind == "f"
    expected = as_minimodel(repr(torch.tensor(array, requires_grad=requires_grad)))
    assert repr(mm.tensor(array, requires_grad=requires_grad)) == expected


@pytest.mark.parametrize(
    "build",
    [
        lambda lib: lib.zeros(2, 3).shape,
        lambda lib: lib.zeros(()).shape,
        lambda lib: lib.zeros(4, 0, 1).size(),
        lambda lib: lib.float32,
        lambda lib: lib.float64,
        lambda lib: lib.int64,
        lambda lib: lib.bool,
        lambda lib: lib.ones(2, dtype=lib.int32).dtype,
        lambda lib: lib.zeros(2, 3).shape[1:],
    ],
)
def test_size_and_dtype_repr_match_torch(build: Callable[[Any], Any]) -> None:
    assert repr(build(mm)) == as_minimodel(repr(build(torch)))
