"""Result dtypes of operations on mixed dtypes, against PyTorch's type promotion.

Every pair of dtypes, as 0-d and as 1-D tensors, and every dtype with Python numbers. The
combinations PyTorch refuses (``-`` and ``**`` on bool tensors) have no dtype and are left out
here; tests/test_dtype_promotion_torch_parity.py compares their errors.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float16", "float32", "float64"]
OPERANDS = list(itertools.product(DTYPES, [(), (2,)]))

BINARY: dict[str, Callable[[Any, Any, Any], Any]] = {
    "add": lambda lib, a, b: a + b,
    "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b,
    "div": lambda lib, a, b: a / b,
    "pow": lambda lib, a, b: a**b,
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "where": lambda lib, a, b: lib.where(a > 0, a, b),
    "cat": lambda lib, a, b: lib.cat([a.reshape(-1), b.reshape(-1)]),
}

NUMBERS: dict[str, Callable[[Any, Any], Any]] = {
    "add": lambda a, x: a + x,
    "radd": lambda a, x: x + a,
    "sub": lambda a, x: a - x,
    "rsub": lambda a, x: x - a,
    "mul": lambda a, x: a * x,
    "div": lambda a, x: a / x,
    "rdiv": lambda a, x: x / a,
    "pow": lambda a, x: a**x,
}


def _unsupported_by_torch(op: str, *dtypes: str) -> bool:
    return op in ("sub", "rsub", "pow", "rpow") and "bool" in dtypes


def _dtype_name(lib: Any, fn: Callable[[Any], Any]) -> str:
    return str(fn(lib).dtype).split(".")[-1]


@pytest.mark.parametrize("op", BINARY.values(), ids=BINARY.keys())
def test_result_dtype_of_two_tensors_matches_torch(op: Callable[..., Any]) -> None:
    op_name = next(k for k, v in BINARY.items() if v is op)
    mismatches = []
    for (da, sa), (db, sb) in itertools.product(OPERANDS, OPERANDS):
        if _unsupported_by_torch(op_name, da, db):
            continue

        def run(lib: Any, da: str = da, sa: tuple = sa, db: str = db, sb: tuple = sb) -> Any:
            a = lib.ones(sa, dtype=getattr(lib, da))
            b = lib.ones(sb, dtype=getattr(lib, db))
            return op(lib, a, b)

        mine, theirs = _dtype_name(mm, run), _dtype_name(torch, run)
        if mine != theirs:
            mismatches.append((da, sa, db, sb, mine, theirs))
    assert mismatches == []


@pytest.mark.parametrize("number", [3, 2.5, True], ids=["int", "float", "bool"])
@pytest.mark.parametrize("op", NUMBERS.values(), ids=NUMBERS.keys())
def test_result_dtype_with_a_python_number_matches_torch(op: Callable[..., Any], number) -> None:
    op_name = next(k for k, v in NUMBERS.items() if v is op)
    mismatches = []
    for dtype, shape in OPERANDS:
        if _unsupported_by_torch(op_name, dtype, type(number).__name__):
            continue

        def run(lib: Any, dtype: str = dtype, shape: tuple = shape) -> Any:
            return op(lib.ones(shape, dtype=getattr(lib, dtype)), number)

        mine, theirs = _dtype_name(mm, run), _dtype_name(torch, run)
        if mine != theirs:
            mismatches.append((dtype, shape, mine, theirs))
    assert mismatches == []


UNARY = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg", "sum"]


@pytest.mark.parametrize("name", UNARY)
def test_result_dtype_of_functions_matches_torch(name: str) -> None:
    mismatches = []
    for dtype, shape in OPERANDS:
        if name == "neg" and dtype == "bool":
            continue  # PyTorch refuses; minimodel negates

        def run(lib: Any, dtype: str = dtype, shape: tuple = shape) -> Any:
            return getattr(lib.ones(shape, dtype=getattr(lib, dtype)), name)()

        try:
            theirs = _dtype_name(torch, run)
        except RuntimeError:
            continue  # not implemented for this dtype in PyTorch
        mine = _dtype_name(mm, run)
        if mine != theirs:
            mismatches.append((dtype, shape, mine, theirs))
    assert mismatches == []
