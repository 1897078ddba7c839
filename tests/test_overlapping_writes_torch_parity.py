"""In-place writes whose memory overlaps, against PyTorch: into expands (whose elements share
memory), and from operands that are views of the tensor written to.

Each case builds a base tensor, takes a view of it to write to (the base itself, a slice, a
transpose, an expand of a slice), and writes into it with one in-place operation, from a number,
a fresh tensor, or another view of the same base. Both libraries must raise the same exception
with the same message, or give the same warnings and leave the same values in the base; with
gradients on, ``backward`` must then raise the same error or give the leaf the same gradient.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import as_minimodel
from torch_helpers import require_torch

import minimodel as mm
from minimodel._overlap import ORDER_DEPENDENT, PARTIAL_OVERLAP

torch = require_torch()

SHAPES = [(3,), (2, 3), (3, 1), (1, 3), (2, 2, 2)]

# The tensor written to, as a function of the base.
TARGETS = {
    "base": lambda b: b,
    "tail": lambda b: b[1:],
    "step": lambda b: b[::2],
    "transpose": lambda b: b.transpose(0, -1),
    "expand_first": lambda b: b[:1].expand(3, *b.shape[1:]),
    "expand_new": lambda b: b[0].expand(2, *b.shape[1:]),
    "expand_row": lambda b: b[0:1].expand(2, *b.shape[1:])[1],
}


def _part(lib: Any, b: Any, shape: tuple[int, ...], first: bool) -> Any:
    """The first or the last elements of the base, in ``shape``: memory the target may share
    (a fresh tensor where the base has too few)."""
    n = int(np.prod(shape))
    if n > b.numel():
        return lib.full(shape, 2.5)
    flat = b.reshape(-1)
    return (flat[:n] if first else flat[b.numel() - n :]).reshape(shape)


# The operand: a number, a fresh tensor, or a view of the same base (the memory may overlap).
OPERANDS = {
    "number": lambda lib, b, shape: 2.5,
    "fresh": lambda lib, b, shape: lib.full(shape, 2.5),
    "fresh_0d": lambda lib, b, shape: lib.tensor(2.5),
    "first": lambda lib, b, shape: _part(lib, b, shape, True),
    "last": lambda lib, b, shape: _part(lib, b, shape, False),
    "element": lambda lib, b, shape: b.reshape(-1)[0],
    "same": lambda lib, b, shape: None,  # the target itself
}


def _mask(lib: Any, t: Any) -> Any:
    return lib.tensor((np.arange(t.numel()) % 2 == 0).reshape(tuple(t.shape)))


def _rows(t: Any) -> list[int]:
    return [0, t.shape[0] - 1] if t.dim() and t.shape[0] else []


def _one(v: Any) -> Any:
    """``v`` if it is one number (or a 0-d tensor), else a number: for operations that take one."""
    return v if not hasattr(v, "dim") or not v.dim() else 1.5


# Each operation: (lib, target, operand) -> None; the operand is a number or a tensor.
OPERATIONS = {
    "zero_": lambda lib, t, v: t.zero_(),
    "fill_": lambda lib, t, v: t.fill_(_one(v)),
    "add_": lambda lib, t, v: t.add_(v),
    "mul_": lambda lib, t, v: t.mul_(v),
    "copy_": lambda lib, t, v: t.copy_(v if hasattr(v, "dim") else lib.tensor(v)),
    "masked_fill_": lambda lib, t, v: t.masked_fill_(_mask(lib, t), _one(v)),
    "setitem_all": lambda lib, t, v: t.__setitem__(..., v),
    "setitem_first": lambda lib, t, v: t.__setitem__(slice(0, 1), _one(v)),
    "setitem_mask": lambda lib, t, v: t.__setitem__(_mask(lib, t), _one(v)),
    "setitem_rows": lambda lib, t, v: t.__setitem__(_rows(t), _one(v)),
    "setitem_rows_tensor": lambda lib, t, v: t.__setitem__(
        _rows(t), v[:1] if hasattr(v, "dim") and v.dim() else v
    ),
}


def _run(lib: Any, case: tuple) -> tuple:
    """What the case does in ``lib``: the outcome, the warnings, the values and gradient, and
    the shape written to."""
    shape, target_name, operand_name, op_name, grad = case
    values = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) - 2
    leaf = lib.tensor(values, requires_grad=grad)
    base = leaf * 1 if grad else leaf
    target = TARGETS[target_name](base)
    operand = OPERANDS[operand_name](lib, base, tuple(target.shape))
    if operand is None:
        operand = target
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome = _attempt(lambda: OPERATIONS[op_name](lib, target, operand))
    said = [(w.category.__name__, _text(str(w.message))) for w in caught]
    after = base.detach().numpy().copy()
    gradient: Any = None
    if grad and outcome == "ok":
        weights = lib.tensor(np.arange(1, after.size + 1, dtype=np.float32).reshape(shape))
        gradient = _attempt(lambda: (base * weights).sum().backward())
        if gradient == "ok":
            gradient = None if leaf.grad is None else leaf.grad.numpy().copy()
    return outcome, said, after, gradient, tuple(target.shape)


def _attempt(fn: Any) -> Any:
    try:
        fn()
    except Exception as exc:  # the exception is what is compared
        return type(exc).__name__, as_minimodel(str(exc)).replace("torch.", "minimodel.")
    return "ok"


def _text(message: str) -> str:
    # PyTorch's warnings raised from C++ end with where in its sources they were raised.
    return re.sub(r" \(Triggered internally at [^)]*\)$", "", message)


@st.composite
def cases(draw: st.DrawFn) -> tuple:
    return (
        draw(st.sampled_from(SHAPES)),
        draw(st.sampled_from(sorted(TARGETS))),
        draw(st.sampled_from(sorted(OPERANDS))),
        draw(st.sampled_from(sorted(OPERATIONS))),
        draw(st.booleans()),
    )


@settings(max_examples=examples(250))
@given(case=cases())
def test_overlapping_in_place_writes_match_pytorch(case: tuple) -> None:
    mine, theirs = _run(mm, case), _run(torch, case)
    if mine[0] == ("RuntimeError", ORDER_DEPENDENT):
        # minimodel's documented refusal: PyTorch wrote element by element, reading elements
        # it had already written, where NumPy reads them all first.
        assert theirs[0] == "ok", f"{case}: torch {theirs[0]}"
        return
    partial = ("RuntimeError", PARTIAL_OVERLAP)
    if mine[0] != theirs[0] and partial in (mine[0], theirs[0]) and 1 in mine[4]:
        return  # the strides of dimensions of size 1: the difference the Tensor class documents
    assert mine[0] == theirs[0], f"{case}: minimodel {mine[0]}, torch {theirs[0]}"
    assert mine[1] == theirs[1], f"{case}: warnings {mine[1]} != {theirs[1]}"
    np.testing.assert_allclose(mine[2], theirs[2], err_msg=str(case))
    if isinstance(theirs[3], tuple):  # backward raised
        assert mine[3] == theirs[3], f"{case}: backward {mine[3]} != {theirs[3]}"
    elif theirs[3] is None:
        assert mine[3] is None, f"{case}: gradient {mine[3]}, torch none"
    else:
        np.testing.assert_allclose(mine[3], theirs[3], err_msg=str(case))
