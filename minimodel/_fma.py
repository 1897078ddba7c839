"""``fma(a, b, c)``: ``a * b + c`` rounded once, as a fused multiply-add instruction computes it.

NumPy has no fused multiply-add, and PyTorch's CPU kernels are compiled with it: where the
compiler fused ``a * b + c`` (``linspace``), PyTorch rounds once where NumPy rounds twice, and
the last bit differs in about half the elements. This computes the exact result from
error-free transformations (Dekker's product, Knuth's sum) and one addition rounded to odd,
Boldo and Melquiond's proved emulation ("Emulation of FMA and correctly rounded sums", IEEE
Transactions on Computers, 2008).
"""

from __future__ import annotations

import numpy as np

# Veltkamp's splitting constant for float64: 2 ** ceil(53 / 2) + 1.
_SPLITTER = 2.0**27 + 1


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # a + b = s + err exactly.
    s = a + b
    virtual = s - a
    return s, (a - (s - virtual)) + (b - virtual)


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # a = high + low, each of at most 26 bits. Near float64's largest value _SPLITTER * a would
    # overflow: those are split scaled down by a power of two, which is exact.
    big = np.abs(a) > 2.0**995
    scaled = np.where(big, a * 2.0**-28, a)
    c = _SPLITTER * scaled
    high = c - (c - scaled)
    high = np.where(big, high * 2.0**28, high)
    return high, a - high


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # a * b = p + err exactly (without underflow or overflow).
    p = a * b
    (ah, al), (bh, bl) = _split(a), _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _add_rounded_to_odd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # Rounding to odd keeps the sticky information a second rounding needs.
    s, err = _two_sum(a, b)
    even = (s.view(np.int64) & 1) == 0
    nudged = np.nextafter(s, np.where(err > 0, np.inf, -np.inf))
    return np.where((err != 0) & even & np.isfinite(s), nudged, s)


def fma(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``a * b + c`` rounded once; ``a``, ``b`` and ``c`` are arrays of one float dtype.

    float32 is computed in float64, where its product is exact and a sum rounded to odd
    rounds again to float32 correctly; float64 by Boldo and Melquiond's algorithm. Where a
    product or a sum overflows, and at infinities and NaNs, it is ``a * b + c``; results in
    float64's subnormal range may differ in their last bits.

    Example::

        >>> a, one = np.array(np.float32(1 + 2**-12)), np.array(np.float32(1.0))
        >>> float(fma(a, a, -one)) == 2**-11 + 2**-24  # exact
        True
        >>> float(a * a - one) == 2**-11  # a * a rounded first: 2**-24 lost
        True
    """
    with np.errstate(all="ignore"):
        if a.dtype == np.float32:
            wide = [x.astype(np.float64) for x in (a, b, c)]
            return _add_rounded_to_odd(wide[0] * wide[1], wide[2]).astype(np.float32)
        high, low = _two_product(a, b)
        total, error = _two_sum(c, high)
        fused = total + _add_rounded_to_odd(error, low)
        # Infinities and NaNs have no exact parts: there the plain expression is the answer.
        return np.where(np.isfinite(fused) & np.isfinite(high), fused, a * b + c)
