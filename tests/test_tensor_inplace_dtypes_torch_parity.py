"""In-place operations on tensors of every dtype, through a view, against PyTorch.

An in-place operation keeps its tensor's dtype: PyTorch refuses a result it cannot cast back
(``int_tensor += 1.5``), with a message that names the dtypes, and otherwise writes the cast
values. Each case applies one in-place method or operator to a view of a small tensor of one
dtype, with an operand of another kind (a Python number, a 0-d or a 1-d tensor of some dtype);
both libraries must raise the same exception with the same message, or leave the same values
and dtype in the base and the view, return the view itself and count one more version.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import as_minimodel
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]

# An operand: a Python number, or a tensor of a dtype, 0-d or of the view's shape.
NUMBERS = [True, 2, -3, 1.5]

# Each operation: (lib, view, operand) -> what it returns.
OPERATIONS = {
    "add_": lambda lib, x, v: x.add_(v),
    "sub_": lambda lib, x, v: x.sub_(v),
    "mul_": lambda lib, x, v: x.mul_(v),
    "div_": lambda lib, x, v: x.div_(v),
    "iadd": lambda lib, x, v: x.__iadd__(v),
    "isub": lambda lib, x, v: x.__isub__(v),
    "imul": lambda lib, x, v: x.__imul__(v),
    "itruediv": lambda lib, x, v: x.__itruediv__(v),
    "ipow": lambda lib, x, v: x.__ipow__(v),
    "pow_": lambda lib, x, v: x.pow_(v),
    "copy_": lambda lib, x, v: x.copy_(v if hasattr(v, "dim") else lib.tensor(v)),
    "fill_": lambda lib, x, v: x.fill_(v if not hasattr(v, "dim") or not v.dim() else 1),
    "masked_fill_": lambda lib, x, v: x.masked_fill_(
        lib.tensor([True, False, True]), v if not hasattr(v, "dim") or not v.dim() else 1
    ),
    "setitem_slice": lambda lib, x, v: x.__setitem__(slice(0, 2), v[:2] if _is_vector(v) else v),
    "setitem_list": lambda lib, x, v: x.__setitem__([0, 2], v[:2] if _is_vector(v) else v),
    "neg_": lambda lib, x, v: x.neg_(),
    "abs_": lambda lib, x, v: x.abs_(),
    "zero_": lambda lib, x, v: x.zero_(),
}


def _is_vector(v: Any) -> bool:
    return hasattr(v, "dim") and v.dim() == 1


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, Any]:
    dtype = draw(st.sampled_from(DTYPES))
    kind = draw(st.sampled_from(["number", "0-d", "1-d"]))
    operand: Any = (kind, draw(st.sampled_from(NUMBERS)), draw(st.sampled_from(DTYPES)))
    return dtype, draw(st.sampled_from(sorted(OPERATIONS))), operand


def _run(lib: Any, case: tuple[str, str, Any]) -> Any:
    dtype, name, (kind, number, operand_dtype) = case
    base = lib.tensor([3, 0, 2, 1]).to(getattr(lib, dtype))
    view = base[1:]
    if kind == "number":
        operand: Any = number
    else:
        operand = lib.full((3,) if kind == "1-d" else (), number).to(getattr(lib, operand_dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            returned = OPERATIONS[name](lib, view, operand)
        except Exception as exc:  # the exception is what is compared
            return type(exc).__name__, as_minimodel(str(exc))
    values = base.to(lib.float64).numpy().tolist()
    return str(base.dtype).split(".")[1], values, returned is view, base._version


@settings(max_examples=examples(300))
@given(case=cases())
def test_in_place_operations_keep_the_dtype_as_pytorch_does(case: tuple[str, str, Any]) -> None:
    mine, theirs = _run(mm, case), _run(torch, case)
    if isinstance(theirs[1], list) and isinstance(mine[1], list):
        assert mine[0] == theirs[0] and mine[2:] == theirs[2:], f"{case}: {mine} != {theirs}"
        np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-3, err_msg=str(case))
    else:
        assert mine == theirs, case
