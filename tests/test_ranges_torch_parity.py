"""``linspace`` and ``arange`` against PyTorch, to the last bit, for every dtype.

PyTorch's CPU kernels fuse each multiply-add; ``linspace`` converts start and end to the dtype
first and counts the first half of the values from start, the second half from end; ``arange``
fills a vector of elements at a time from a start rounded to the dtype. A value computed any
other way (NumPy's ``linspace`` and ``arange``, minimodel's before) differs in the last bit of
about half the elements, and ``linspace`` of integer dtypes by one.
"""

from __future__ import annotations

import numpy as np
from budget import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

DTYPES = [None, "float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8"]
ENDS = st.one_of(
    st.floats(-1e3, 1e3),
    st.integers(-300, 300),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.1, 1e-3, 65504.0, 65520.0, 3.4e38, 1e39, -0.0]),
)


def _assert_same(name: str, args: tuple, dtype: str | None) -> None:
    """``name(*args, dtype=...)`` gives the same values bit for bit, or the same error."""

    def make(lib):
        kwargs = {} if dtype is None else {"dtype": getattr(lib, dtype)}
        return getattr(lib, name)(*args, **kwargs)

    mine, theirs = outcome(lambda: make(mm)), outcome(lambda: make(torch))
    assert mine[0] == theirs[0], (mine, theirs)
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
        return
    assert str(mine[1].dtype).split(".")[1] == str(theirs[1].dtype).split(".")[1]
    np.testing.assert_array_equal(mine[1].numpy(), theirs[1].numpy())


@settings(max_examples=examples(400), deadline=None)
@given(ENDS, ENDS, st.one_of(st.integers(0, 40), st.integers(41, 3000)), st.sampled_from(DTYPES))
def test_linspace_matches_pytorch_bit_for_bit(start, end, steps, dtype):
    _assert_same("linspace", (start, end, steps), dtype)


@settings(max_examples=examples(400), deadline=None)
@given(
    st.one_of(st.floats(-1e3, 1e3), st.integers(-300, 300), st.sampled_from([0.1, -0.0, 1e-3])),
    st.one_of(st.floats(-1e3, 1e3), st.integers(-300, 300)),
    st.one_of(st.floats(-20, 20), st.integers(-5, 5), st.sampled_from([0.1, 1e-3, 0.3, 0.0])),
    st.sampled_from(DTYPES),
)
def test_arange_matches_pytorch_bit_for_bit(start, end, step, dtype):
    # Up to 32,768 elements: beyond, PyTorch splits the range among its threads, and the last
    # bit of the elements next to a split depends on how many it has (minimodel.arange).
    assume(step == 0 or (end - start) / step <= 32768)

    _assert_same("arange", (start, end, step), dtype)
