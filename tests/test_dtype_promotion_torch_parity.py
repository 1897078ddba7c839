"""Generated parity with PyTorch for operations on mixed dtypes: result dtypes, values, errors.

Hypothesis draws an operation (arithmetic, comparison, bitwise, ``maximum``, ``where``, and
the in-place forms), a tensor of any dtype, 0-d or with dimensions, and a second operand that
is another such tensor or a Python number (ints beyond the range of small integer dtypes
included: PyTorch wraps them around). Both libraries must agree: the same dtype, shape and
values, or the same exception class and message. In place, the tensor must also end up the
same (and unchanged when PyTorch refuses).

tests/test_dtype_torch_parity.py walks the table of result dtypes exhaustively; this suite adds
values, errors and the in-place operations.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SHAPES = [(), (3,), (2, 3)]

BINARY: dict[str, Callable[[Any, Any, Any], Any]] = {
    "add": lambda lib, a, b: a + b,
    "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b,
    "div": lambda lib, a, b: a / b,
    "pow": lambda lib, a, b: a**b,
    "radd": lambda lib, a, b: b + a,
    "rmul": lambda lib, a, b: b * a,
    "rdiv": lambda lib, a, b: b / a,
    "eq": lambda lib, a, b: a == b,
    "ne": lambda lib, a, b: a != b,
    "lt": lambda lib, a, b: a < b,
    "ge": lambda lib, a, b: a >= b,
    "and": lambda lib, a, b: a & b,
    "or": lambda lib, a, b: a | b,
    "xor": lambda lib, a, b: a ^ b,
    "rand": lambda lib, a, b: b & a,
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "where": lambda lib, a, b: lib.where(lib.ones(a.shape, dtype=lib.bool), a, b),
}
INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "iadd": operator.iadd,
    "isub": operator.isub,
    "imul": operator.imul,
    "itruediv": operator.itruediv,
    "iand": operator.iand,
    "ior": operator.ior,
    "ixor": operator.ixor,
}


@st.composite
def _tensor_array(draw: st.DrawFn) -> np.ndarray:
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = draw(st.sampled_from(SHAPES))
    size = int(np.prod(shape))
    if dtype.kind == "b":
        values = st.booleans()
    elif dtype.kind in "iu":
        values = st.integers(0 if dtype.kind == "u" else -3, 3)
    else:
        values = st.sampled_from([-2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, np.inf, np.nan])
    return np.array(draw(st.lists(values, min_size=size, max_size=size)), dtype=dtype).reshape(
        shape
    )


_NUMBERS = st.one_of(
    st.booleans(),
    st.integers(-300, 300),
    st.sampled_from([-1, 0, 1, 2, 255, 256, -129]),
    st.sampled_from([-1.5, -0.0, 0.0, 0.5, 2.0, float("inf"), float("nan")]),
)


def _as_array(t: Any) -> np.ndarray:
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def _assert_sameoutcome(mine: tuple[str, Any], theirs: tuple[str, Any]) -> None:
    assert mine[0] == theirs[0], f"minimodel {mine}, torch {theirs}"
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
        return
    got, want = mine[1], theirs[1]
    if isinstance(want, bool):  # ``t == 'a'``-like fallbacks answer with a bool
        assert got is want
        return
    assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
    assert tuple(got.shape) == tuple(want.shape)
    a, b = _as_array(got), _as_array(want)
    if b.dtype.kind == "f":
        rtol = 1e-3 if b.dtype == np.float16 else 1e-6
        np.testing.assert_allclose(a, b, rtol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(a, b)


def _operand(lib: Any, right: Any) -> Any:
    return lib.tensor(right) if isinstance(right, np.ndarray) else right


@pytest.mark.parametrize("op", BINARY.keys())
@settings(max_examples=examples(25))
@given(left=_tensor_array(), right=st.one_of(_tensor_array(), _NUMBERS))
def test_binary_operations_on_mixed_dtypes_match_torch(op: str, left: np.ndarray, right: Any):
    fn = BINARY[op]
    mine = outcome(lambda: fn(mm, mm.tensor(left), _operand(mm, right)))
    theirs = outcome(lambda: fn(torch, torch.tensor(left), _operand(torch, right)))
    _assert_sameoutcome(mine, theirs)


@pytest.mark.parametrize("op", INPLACE.keys())
@settings(max_examples=examples(25))
@given(left=_tensor_array(), right=st.one_of(_tensor_array(), _NUMBERS))
def test_inplace_operations_on_mixed_dtypes_match_torch(op: str, left: np.ndarray, right: Any):
    fn = INPLACE[op]
    targets = mm.tensor(left), torch.tensor(left)
    mine = outcome(lambda: fn(targets[0], _operand(mm, right)))
    theirs = outcome(lambda: fn(targets[1], _operand(torch, right)))
    _assert_sameoutcome(mine, theirs)
    if mine[0] == "ok":
        assert mine[1] is targets[0]
    # Changed alike, or left alone alike when refused.
    _assert_sameoutcome(("ok", targets[0]), ("ok", targets[1]))


ROUNDED: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "rsub": lambda a, b: b - a,
    "rdiv": lambda a, b: b / a,
    "iadd": operator.iadd,
    "imul": operator.imul,
    "itruediv": operator.itruediv,
}


@settings(max_examples=examples(60))
@given(
    op=st.sampled_from(sorted(ROUNDED)),
    dtypes=st.tuples(
        st.sampled_from(["float16", "float32", "float64", "int64"]),
        st.sampled_from(["float16", "float32", "float64", "int32", "number"]),
    ),
    shapes=st.sampled_from([((3,), ()), ((), (3,)), ((2, 3), (3,)), ((3,), (3,))]),
    seed=st.integers(0, 2**16),
)
def test_mixed_dtype_arithmetic_rounds_in_the_result_dtype_as_torch(op, dtypes, shapes, seed):
    """Bit for bit: PyTorch computes in the result's dtype, the operands cast to it first, where
    NumPy computes in the wider dtype and rounds once more (``float32 * float64 0-d``,
    ``int64 * 0.1``); so are the gradients, each returned in its input's dtype."""
    rng = np.random.default_rng(seed)
    arrays = [
        rng.integers(-(10**6), 10**6, shape)
        if dtype.startswith("int")
        else rng.uniform(-3, 3, shape)
        for dtype, shape in zip(dtypes, shapes, strict=True)
    ]
    results = []
    for lib in (mm, torch):

        def make(k: int, lib: Any = lib) -> Any:
            if dtypes[k] == "number":
                return float(arrays[k].flat[0])
            requires = dtypes[k].startswith("float") and not op.startswith("i")
            return lib.tensor(arrays[k], dtype=getattr(lib, dtypes[k]), requires_grad=requires)

        a, b = make(0), make(1)
        got = outcome(lambda a=a, b=b: ROUNDED[op](a if not op.startswith("i") else a.detach(), b))
        grads = []
        if got[0] == "ok" and got[1].requires_grad:
            got[1].sum().backward()
            grads = [t.grad for t in (a, b) if not isinstance(t, float) and t.requires_grad]
        results.append((got, grads))
    (mine, my_grads), (theirs, their_grads) = results
    assert mine[0] == theirs[0], f"minimodel {mine}, torch {theirs}"
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
        return
    for got, want in [(mine[1], theirs[1]), *zip(my_grads, their_grads, strict=True)]:
        assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
        np.testing.assert_array_equal(_as_array(got), _as_array(want))
