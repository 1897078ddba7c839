"""Every differentiable operation of tests/op_cases.py in float64 and float16, against PyTorch.

tests/ops/test_ops_torch_parity.py runs them in float32. Here the inputs are float64, where a
float32 step inside an operation (a float32 constant, a float32 scratch array) shows as an error
far beyond float64's rounding, and float16, where PyTorch computes in float32 and rounds once at
the end (its reductions accumulate in float32: a float16 sum of squares overflows where
PyTorch's does not).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from op_cases import CASE_SETTINGS, CASES
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

# Relative and absolute tolerances: float64 ones far below float32's rounding (1e-7), float16
# ones of a few units in its last place (its epsilon is 1e-3).
TOLERANCES = {"float64": (1e-10, 1e-12), "float16": (4e-3, 1e-3)}


def _run(lib: Any, case: Any, arrays: list[np.ndarray], params: dict[str, Any]) -> tuple:
    flags = case.requires_grad(len(arrays))
    inputs = [lib.tensor(a, requires_grad=r) for a, r in zip(arrays, flags, strict=True)]
    return inputs, case.fn(lib, *inputs, **params)


def _values(t: Any) -> np.ndarray:
    return t.detach().numpy().astype(np.float64)


@pytest.mark.parametrize("dtype", sorted(TOLERANCES))
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
@CASE_SETTINGS
@given(data=st.data())
def test_values_and_gradients_match_torch_in_each_float_dtype(case: Any, dtype: str, data: Any):
    arrays, params = data.draw(case.draw(), label="arrays, params")
    arrays = [a.astype(dtype) for a in arrays]
    rtol, atol = TOLERANCES[dtype]
    mm_inputs, mm_out = _run(mm, case, arrays, params)
    torch_inputs, torch_out = _run(torch, case, arrays, params)

    assert repr(mm_out.dtype) == repr(torch_out.dtype).replace("torch.", "minimodel.")
    np.testing.assert_allclose(_values(mm_out), _values(torch_out), rtol=rtol, atol=atol)

    upstream = np.random.default_rng(0).standard_normal(mm_out.shape).astype(dtype)
    mm_out.backward(mm.tensor(upstream))
    torch_out.backward(torch.tensor(upstream))
    for k, (m, t) in enumerate(zip(mm_inputs, torch_inputs, strict=True)):
        if t.grad is None:
            assert m.grad is None, f"input {k}: torch gives no gradient"
            continue
        assert m.grad is not None, f"input {k}: no gradient"
        assert m.grad.dtype == m.dtype
        np.testing.assert_allclose(
            _values(m.grad), _values(t.grad), rtol=rtol, atol=atol, err_msg=f"input {k}"
        )
