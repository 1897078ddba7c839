"""Parity with PyTorch for every differentiable operation of tests/op_cases.py.

The same float32 NumPy inputs go into both libraries; the results must have the same shape,
dtype, values and ``grad_fn`` name, and back-propagating the same upstream gradient must give
the same gradients.
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


def _run(lib: Any, case: Any, arrays: list[np.ndarray], params: dict[str, Any]) -> tuple:
    flags = case.requires_grad(len(arrays))
    inputs = [lib.tensor(a, requires_grad=r) for a, r in zip(arrays, flags, strict=True)]
    out = case.fn(lib, *inputs, **params)
    return inputs, out


def _grad_fn_name(t: Any) -> str | None:
    return None if t.grad_fn is None else t.grad_fn.name()


def _grad_array(t: Any) -> np.ndarray | None:
    return None if t.grad is None else t.grad.detach().numpy()


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
@CASE_SETTINGS
@given(data=st.data())
def test_values_grad_fn_and_gradients_match_torch(case: Any, data: Any) -> None:
    arrays, params = data.draw(case.draw(), label="arrays, params")
    arrays = [a.astype(np.float32) for a in arrays]
    mm_inputs, mm_out = _run(mm, case, arrays, params)
    torch_inputs, torch_out = _run(torch, case, arrays, params)

    assert tuple(mm_out.shape) == tuple(torch_out.shape)
    assert repr(mm_out.dtype) == repr(torch_out.dtype).replace("torch.", "minimodel.")
    if case.same_grad_fn_name:
        assert _grad_fn_name(mm_out) == _grad_fn_name(torch_out)
    np.testing.assert_allclose(
        mm_out.detach().numpy(), torch_out.detach().numpy(), rtol=1e-5, atol=1e-6
    )

    upstream = np.random.default_rng(0).standard_normal(mm_out.shape).astype(np.float32)
    mm_out.backward(mm.tensor(upstream))
    torch_out.backward(torch.tensor(upstream))
    for k, (m, t) in enumerate(zip(mm_inputs, torch_inputs, strict=True)):
        want = _grad_array(t)
        got = _grad_array(m)
        if want is None:
            assert got is None, f"input {k}: torch gives no gradient"
            continue
        assert got is not None, f"input {k}: no gradient"
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=f"input {k}")

    # Without retain_graph, PyTorch refuses a second backward exactly when a node on the way saved
    # tensors (and freed them after the first); where it allows it, the gradients add up again.
    if not case.same_grad_fn_name:
        return  # a graph of other nodes (einsum's, README): what they save differs too
    second = _second_backward(mm_out, mm.tensor(upstream))
    assert second == _second_backward(torch_out, torch.tensor(upstream))
    if second is None:
        for k, (m, t) in enumerate(zip(mm_inputs, torch_inputs, strict=True)):
            if t.grad is not None:
                np.testing.assert_allclose(
                    _grad_array(m), _grad_array(t), rtol=1e-5, atol=1e-5, err_msg=f"input {k}"
                )


def _second_backward(out: Any, upstream: Any) -> tuple[str, str] | None:
    try:
        out.backward(upstream)
    except RuntimeError as error:  # the refusal is the result compared
        return type(error).__name__, str(error)
    return None
