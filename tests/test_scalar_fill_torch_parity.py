"""A Python number written into an existing tensor, against PyTorch: values, dtypes and errors.

``fill_``, ``masked_fill``, ``x[i] = v``, ``new_full``, ``clamp`` and ``where`` convert the number
through PyTorch's ``Scalar``: 300 does not fit int8, NaN fits no integer dtype, a finite float
beyond float32's range is refused, and float16 is checked unless exactly one element is written.
NumPy's casts would store something else silently (300 as 44, NaN as 0); these generators pair
every dtype with ints, floats and bools at the edges of each range.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_creation_torch_parity import EDGE_NUMBERS, assert_same_tensor
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]

NUMBERS = st.one_of(EDGE_NUMBERS, st.floats(allow_nan=True, allow_infinity=True), st.booleans())


def _setitem(x: Any, index: Any, value: Any) -> Any:
    x[index] = value
    return x


WRITES: dict[str, Callable[[Any, Any, Any], Any]] = {
    "fill_": lambda lib, x, v: x.fill_(v),
    "masked_fill": lambda lib, x, v: x.masked_fill(x == x.flatten()[0], v),
    "masked_fill_": lambda lib, x, v: x.masked_fill_(x == x.flatten()[0], v),
    "setitem_int": lambda lib, x, v: _setitem(x, 0, v),
    "setitem_slice": lambda lib, x, v: _setitem(x, slice(None), v),
    "new_full": lambda lib, x, v: x.new_full((len(x),), v),
    "clamp_min": lambda lib, x, v: x.clamp(min=v),
    "clamp_max": lambda lib, x, v: x.clamp(max=v),
    "where": lambda lib, x, v: lib.where(x == x.flatten()[0], x, v),
}


@settings(max_examples=examples(500))
@given(
    value=NUMBERS,
    dtype=st.sampled_from(DTYPES),
    size=st.sampled_from([1, 3]),
    write=st.sampled_from(sorted(WRITES)),
)
def test_writing_a_python_number_matches_torch(value: Any, dtype: str, size: int, write: str):
    def run(lib: Any) -> Any:
        x = lib.arange(size).to(getattr(lib, dtype))
        return WRITES[write](lib, x, value)

    mine, theirs = outcome(lambda: run(mm)), outcome(lambda: run(torch))
    assert mine[0] == theirs[0], f"{write}({value!r}) on {dtype}[{size}]: {mine} vs {theirs}"
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
    else:
        assert_same_tensor(mine[1], theirs[1])
