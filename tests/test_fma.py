"""``minimodel._fma.fma`` is ``a * b + c`` rounded once: checked against exact rationals."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from budget import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minimodel._fma import fma


def _rounded(exact: Fraction, dtype: type) -> np.floating:
    """``exact`` rounded to nearest, ties to even, in ``dtype``."""
    if dtype is np.float64:
        return np.float64(float(exact))  # Python rounds a Fraction correctly
    near = np.float32(float(exact))
    candidates = [
        near,
        np.nextafter(near, np.float32(np.inf)),
        np.nextafter(near, np.float32(-np.inf)),
    ]
    return min(
        candidates, key=lambda x: (abs(Fraction(float(x)) - exact), int(x.view(np.int32)) & 1)
    )


@settings(max_examples=examples(500), deadline=None)
@given(
    st.sampled_from([np.float32, np.float64]),
    st.floats(-1e15, 1e15, allow_subnormal=False),
    st.one_of(st.integers(-5000, 5000).map(float), st.floats(-1e15, 1e15, allow_subnormal=False)),
    st.floats(-1e15, 1e15, allow_subnormal=False),
)
def test_fma_rounds_the_exact_result_once(dtype, a, b, c):
    a, b, c = (np.asarray(dtype(x)) for x in (a, b, c))
    _assert_rounded_once(a, b, c)


@settings(max_examples=examples(200), deadline=None)
@given(
    st.floats(-1.7e308, 1.7e308, allow_subnormal=False),
    st.one_of(st.integers(-64, 64).map(float), st.floats(-1, 1, allow_subnormal=False)),
    st.floats(-1e308, 1e308, allow_subnormal=False),
)
def test_fma_near_the_largest_float64_rounds_once(a, b, c):
    a, b, c = (np.asarray(x) for x in (a, b, c))
    exact = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    with np.errstate(over="ignore"):
        assume(abs(exact) < Fraction(np.finfo(np.float64).max) and np.isfinite(a * b))
    _assert_rounded_once(a, b, c)


def _assert_rounded_once(a, b, c):
    dtype = a.dtype.type
    exact = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    got = fma(a, b, c)
    assert got.dtype == dtype
    assert got == _rounded(exact, dtype), (a, b, c)


def test_fma_at_infinities_and_nans_is_the_plain_expression():
    a = np.array([np.inf, np.nan, 2.0, np.inf], dtype=np.float64)
    b = np.array([2.0, 1.0, 3.0, 0.0], dtype=np.float64)
    c = np.array([1.0, 1.0, -np.inf, 1.0], dtype=np.float64)
    for dtype in (np.float32, np.float64):
        x, y, z = (v.astype(dtype) for v in (a, b, c))
        with np.errstate(invalid="ignore"):  # inf * 0 is NaN, which is the point
            np.testing.assert_array_equal(fma(x, y, z), x * y + z)
