"""Inputs at the edges, and a strict comparison of what two libraries make of them.

Hypothesis draws tensors of every dtype minimodel has (bool, the integers, float16, float32,
float64), of edge shapes (0-d, a 0 in the shape, size-1 dimensions that broadcast), whose float
elements are often special: inf, -inf, NaN, both zeros, subnormals, the largest float16 and
float32 values. :func:`run_both` runs a call on minimodel and on PyTorch with such tensors
(the float ones requiring grad) and requires the same outcome: the same exception class and
message, or the same results (dtype, shape, NaN for NaN, inf of the same sign, zeros of the same
sign) and then the same gradients, or the same error from backward.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from torch_compare import as_minimodel, outcome

import minimodel as mm

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SHAPES = [(), (0,), (1,), (3,), (2, 3), (0, 3), (2, 0), (1, 3), (2, 1, 3)]
# Pairs of shapes that broadcast together (or, the last ones, do not).
SHAPE_PAIRS = [
    ((), ()),
    ((3,), ()),
    ((), (0,)),
    ((0,), (1,)),
    ((2, 0), (1,)),
    ((2, 3), (3,)),
    ((2, 1), (1, 3)),
    ((1,), (2, 3)),
    ((0, 3), (2, 1, 3)),
    ((2, 3), (2, 3)),
    ((3,), (0,)),
    ((2, 3), (2,)),
]
# -3e38 is left out on purpose: 3e38 - 3e38 beside small numbers depends on the order of the
# additions of a sum, which neither library promises.
SPECIAL_FLOATS = [
    np.inf,
    -np.inf,
    np.nan,
    0.0,
    -0.0,
    1e-40,  # subnormal in float32 (0 in float16)
    -1e-45,  # the smallest float32 subnormal
    3e38,  # near float32's largest (inf in float16)
    65504.0,  # float16's largest
    1e-8,
    1.0,
    -1.0,
    2.0,
    -2.5,
    0.5,
    100.0,
]


@st.composite
def edge_array(draw: st.DrawFn, dtypes: list[str] = DTYPES, shape: Any = None) -> np.ndarray:
    """An array of a drawn dtype (among ``dtypes``) and shape (``SHAPES`` unless given)."""
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    shape = draw(st.sampled_from(SHAPES)) if shape is None else shape
    size = int(np.prod(shape))
    if dtype.kind == "b":
        elements: st.SearchStrategy[Any] = st.booleans()
    elif dtype.kind == "u":
        elements = st.sampled_from([0, 1, 2, 3, 255])
    elif dtype.kind == "i":
        elements = st.sampled_from([-3, -1, 0, 1, 2, 5])
    else:
        elements = st.sampled_from(SPECIAL_FLOATS) | st.floats(-3, 3, width=16)
    values = draw(st.lists(elements, min_size=size, max_size=size))
    with np.errstate(over="ignore", under="ignore"):  # 3e38 is inf in float16, 1e-40 is 0
        return np.array(values, dtype=dtype).reshape(shape)


def _tolerance(*dtypes: np.dtype) -> float:
    # float16 results are computed in float32 by PyTorch and rounded once: a unit or two in the
    # last place of float16 (whose epsilon is 1e-3) may differ, as they may in float32.
    if any(d == np.float16 for d in dtypes):
        return 4e-3
    return 1e-5 if any(d == np.float32 for d in dtypes) else 1e-10


def assert_same_array(got: np.ndarray, want: np.ndarray, what: str, rtol: float) -> None:
    """Equal dtypes and shapes; NaN where NaN, inf of the same sign, zeros of the same sign,
    other floats within ``rtol``; anything else exactly."""
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype} != {want.dtype}"
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    if want.dtype.kind != "f":
        np.testing.assert_array_equal(got, want, err_msg=what)
        return
    g, w = got.astype(np.float64), want.astype(np.float64)
    assert (np.isnan(g) == np.isnan(w)).all(), f"{what}: NaN at other places: {got} != {want}"
    assert (np.isinf(g) == np.isinf(w)).all() and (g[np.isinf(w)] == w[np.isinf(w)]).all(), (
        f"{what}: inf at other places: {got} != {want}"
    )
    finite = np.isfinite(w)
    np.testing.assert_allclose(g[finite], w[finite], rtol=rtol, atol=rtol, err_msg=what)
    zeros = (g == 0) & (w == 0)
    assert (np.signbit(g[zeros]) == np.signbit(w[zeros])).all(), (
        f"{what}: zeros of another sign: {got} != {want}"
    )


def _assert_same_results(mine: Any, theirs: Any, what: str, rtol: float) -> None:
    if isinstance(theirs, tuple | list):
        assert isinstance(mine, tuple | list) and len(mine) == len(theirs), what
        for k, (m, t) in enumerate(zip(mine, theirs, strict=True)):
            _assert_same_results(m, t, f"{what}[{k}]", rtol)
    elif hasattr(theirs, "detach"):
        assert isinstance(mine, mm.Tensor), f"{what}: {mine!r} is no tensor"
        assert repr(mine.dtype) == as_minimodel(repr(theirs.dtype)), what
        assert_same_array(mine.detach().numpy(), theirs.detach().numpy(), what, rtol)
    else:  # a Python number or bool (item, allclose, equal)
        assert type(mine) is type(theirs), f"{what}: {mine!r} != {theirs!r}"
        assert_same_array(np.asarray(mine), np.asarray(theirs), what, rtol)


def _assert_same_outcome(mine: tuple[str, Any], theirs: tuple[str, Any], what: str) -> bool:
    """The same exception from both (True), or results from both (False)."""
    assert mine[0] == theirs[0], f"{what}: minimodel {mine}, torch {theirs}"
    if mine[0] == "raise":
        assert type(mine[1]) is type(theirs[1]), f"{what}: {mine[1]!r} != {theirs[1]!r}"
        assert str(mine[1]) == as_minimodel(str(theirs[1])), what
        return True
    return False


def _tensors(lib: Any, arrays: list[np.ndarray]) -> list[Any]:
    return [lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]


def _graded(results: Any) -> list[Any]:
    items = results if isinstance(results, tuple | list) else [results]
    return [t for t in items if getattr(t, "requires_grad", False)]


def run_both(fn: Callable[..., Any], arrays: list[np.ndarray], torch: Any) -> None:
    """``fn(lib, *tensors)`` on minimodel and on ``torch``: outcomes, results, gradients."""
    mm_inputs, torch_inputs = _tensors(mm, arrays), _tensors(torch, arrays)
    mine = outcome(lambda: fn(mm, *mm_inputs))
    theirs = outcome(lambda: fn(torch, *torch_inputs))
    if _assert_same_outcome(mine, theirs, "call"):
        return
    dtypes = [a.dtype for a in arrays] + [
        np.dtype(str(t.dtype).split(".")[-1]) for t in _graded(theirs[1]) or []
    ]
    rtol = _tolerance(*dtypes)
    _assert_same_results(mine[1], theirs[1], "result", rtol)
    graded = list(zip(_graded(mine[1]), _graded(theirs[1]), strict=True))
    if not graded:
        return
    rng = np.random.default_rng(0)
    upstreams = [
        rng.standard_normal(tuple(t.shape)).astype(t.detach().numpy().dtype) for _, t in graded
    ]

    def backward(lib: Any, outputs: list[Any]) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyTorch's about gradient layouts of empty tensors
            total = sum((o * lib.tensor(u)).sum() for o, u in zip(outputs, upstreams, strict=True))
            return total.backward()

    mine_back = outcome(lambda: backward(mm, [m for m, _ in graded]))
    theirs_back = outcome(lambda: backward(torch, [t for _, t in graded]))
    if _assert_same_outcome(mine_back, theirs_back, "backward"):
        return
    for k, (m, t) in enumerate(zip(mm_inputs, torch_inputs, strict=True)):
        if t.grad is None:
            assert m.grad is None, f"input {k}: torch gives no gradient, minimodel {m.grad}"
        else:
            assert m.grad is not None, f"input {k}: no gradient"
            assert_same_array(m.grad.numpy(), t.grad.numpy(), f"gradient of input {k}", rtol)
