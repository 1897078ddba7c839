"""An in-place operation whose operand requires grad is recorded, as in PyTorch, even when the
tensor it writes to does not: the operand gets its gradient through the tensor written to.

``a.masked_fill_(mask, v)`` once passed the mask, not ``v``, as the operand that decides whether
the write is recorded, so ``v.grad`` stayed None where PyTorch's is the count of filled places.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

Op = Callable[[Any, Any, Any, Any], Any]  # (lib, written-to tensor, operand, mask) -> result

# Each in-place method that takes a tensor operand, given one that requires grad.
OPERATIONS: dict[str, Op] = {
    "add_": lambda lib, a, v, m: a.add_(v),
    "sub_": lambda lib, a, v, m: a.sub_(v, alpha=2),
    "mul_": lambda lib, a, v, m: a.mul_(v),
    "div_": lambda lib, a, v, m: a.div_(v),
    "pow_": lambda lib, a, v, m: a.abs_().add_(1).pow_(v),
    "clamp_": lambda lib, a, v, m: a.clamp_(min=v),
    "copy_": lambda lib, a, v, m: a.copy_(v),
    "masked_fill_": lambda lib, a, v, m: a.masked_fill_(m, v.sum()),
    "fill_": lambda lib, a, v, m: a.fill_(v.sum()),
    "setitem": lambda lib, a, v, m: _assigned(a, m, v[m]),
}


def _assigned(a: Any, index: Any, value: Any) -> Any:
    a[index] = value
    return a


shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
floats = st.floats(0.125, 3, width=32) | st.floats(-3, -0.125, width=32)  # away from 0: div_


@st.composite
def cases(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    shape = draw(shapes)
    a = draw(hnp.arrays(np.float32, shape, elements=floats))
    v = draw(hnp.arrays(np.float32, shape, elements=floats))
    mask = draw(hnp.arrays(np.bool_, shape))
    return a, v, mask


def run(lib: Any, name: str, a: np.ndarray, v: np.ndarray, mask: np.ndarray) -> tuple:
    target = lib.tensor(a.copy())
    operand = lib.tensor(v.copy(), requires_grad=True)
    result = OPERATIONS[name](lib, target, operand, lib.tensor(mask))
    assert result is target
    (target * lib.tensor(v + 1.0)).sum().backward()
    grad = None if operand.grad is None else operand.grad.numpy()
    return target.detach().numpy(), target.grad_fn is not None, grad


@settings(max_examples=examples(15), deadline=None)
@given(name=st.sampled_from(sorted(OPERATIONS)), case=cases())
def test_in_place_operand_that_requires_grad_gets_pytorchs_gradient(
    name: str, case: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    a, v, mask = case
    mine_values, mine_recorded, mine_grad = run(mm, name, a, v, mask)
    torch_values, torch_recorded, torch_grad = run(torch, name, a, v, mask)
    np.testing.assert_allclose(mine_values, torch_values, rtol=1e-5, atol=1e-6)
    assert mine_recorded == torch_recorded
    assert (mine_grad is None) == (torch_grad is None), (mine_grad, torch_grad)
    if torch_grad is not None:
        np.testing.assert_allclose(mine_grad, torch_grad, rtol=1e-4, atol=1e-5)


def test_masked_fill_in_place_gives_the_value_its_gradient() -> None:
    a = mm.zeros(3)
    v = mm.tensor(2.0, requires_grad=True)
    a.masked_fill_(mm.tensor([True, False, True]), v)
    a.sum().backward()
    assert a.grad_fn is not None and a.grad_fn.name() == "MaskedFillBackward1"
    assert v.grad is not None and v.grad.item() == 2.0
