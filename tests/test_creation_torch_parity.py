"""Tensors built from Python numbers, against PyTorch: every value, dtype and error.

PyTorch stores each Python number straight into the dtype asked for, so ``tensor([0.1],
dtype=float64)`` holds Python's double and not the float32 nearest to it; float16 goes through
float32 (PyTorch's ``Half(float)``); integer dtypes truncate and refuse numbers that overflow.
The generators mix ints, floats (non-finite ones included), bools and nested lists, with every
dtype or none, through each way of building a tensor from data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

DTYPES = [None, "bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]

# The edges of every dtype's range, and either side of them.
_EDGES = [0, 1, 127, 128, 255, 256, 32767, 32768, 65504, 65520, 2**31, 2**53 + 1, 2**63, 2**64]

EDGE_NUMBERS = st.one_of(
    st.sampled_from(_EDGES).flatmap(lambda n: st.sampled_from([n - 1, n, -n, -n - 1])),
    st.sampled_from(_EDGES).flatmap(lambda n: st.sampled_from([n + 0.5, -n - 0.5, float(n)])),
    st.sampled_from([3.4e38, 3.5e38, -3.5e38, 1e300, -0.5, 0.5, 65505.0]),
)

_NUMBERS = st.one_of(
    EDGE_NUMBERS,
    st.floats(width=64, allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e3, max_value=1e3),
    st.integers(min_value=-300, max_value=300),
    st.integers(min_value=-(2**62), max_value=2**62),
    st.booleans(),
)

# One kind of number per list, as most scripts write them, and mixed lists.
_ROWS = st.one_of(
    st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=4),
    st.lists(st.integers(min_value=-200, max_value=200), min_size=1, max_size=4),
    st.lists(_NUMBERS, min_size=1, max_size=4),
)


@st.composite
def _data(draw: st.DrawFn) -> Any:
    """A Python number, a list, or a rectangular list of lists."""
    shape = draw(st.sampled_from(["number", "row", "matrix"]))
    if shape == "number":
        return draw(_NUMBERS)
    row = draw(_ROWS)
    if shape == "row":
        return row
    return [row, [draw(_NUMBERS) for _ in row]]


def _dtype(lib: Any, name: str | None) -> Any:
    return None if name is None else getattr(lib, name)


BUILDERS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "tensor": lambda lib, data, dtype: lib.tensor(data, dtype=dtype),
    "as_tensor": lambda lib, data, dtype: lib.as_tensor(data, dtype=dtype),
    "new_tensor": lambda lib, data, dtype: lib.zeros(1, dtype=lib.float64).new_tensor(
        data, dtype=dtype
    ),
    "full": lambda lib, data, dtype: lib.full((2,), _first(data), dtype=dtype),
    "full_like": lambda lib, data, dtype: lib.full_like(
        lib.zeros(2, dtype=lib.float64), _first(data), dtype=dtype
    ),
}


def _first(data: Any) -> Any:
    while isinstance(data, list):
        data = data[0]
    return data


def assert_same_tensor(mine: Any, theirs: Any) -> None:
    """Same dtype, shape and values bit for bit (NaN equal to NaN)."""
    assert str(mine.dtype) == str(theirs.dtype).replace("torch.", "minimodel.")
    assert tuple(mine.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(mine.numpy(), theirs.numpy(), strict=True)


@settings(max_examples=examples(400))
@given(
    data=_data(),
    dtype=st.sampled_from(DTYPES),
    builder=st.sampled_from(sorted(BUILDERS)),
)
def test_building_from_python_numbers_matches_torch(data: Any, dtype: str | None, builder: str):
    build = BUILDERS[builder]
    mine = outcome(lambda: build(mm, data, _dtype(mm, dtype)))
    theirs = outcome(lambda: build(torch, data, _dtype(torch, dtype)))
    assert mine[0] == theirs[0], f"{builder}({data!r}, {dtype}): {mine} vs {theirs}"
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
    else:
        assert_same_tensor(mine[1], theirs[1])


def test_float64_tensor_keeps_python_doubles():
    """The bug this suite was written for: 0.1 was rounded through float32 first."""
    assert mm.tensor([-0.1], dtype=mm.float64).tolist() == [-0.1]
    assert mm.tensor(0.1, dtype=mm.float64).item() == 0.1
