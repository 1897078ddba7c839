"""Gradient checking: autograd's gradients against central finite differences, in float64.

``check_gradients(fn, arrays)`` runs ``fn`` on minimodel tensors made from ``arrays``,
back-propagates
a random upstream gradient (so outputs of any shape are covered, not only scalars) and compares
each input's ``.grad`` with the finite-difference derivative of ``sum(fn(*arrays) * upstream)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import minimodel as mm

EPS = 1e-6


def _weighted_output(fn: Callable[..., Any], arrays: Sequence[np.ndarray], upstream) -> float:
    with mm.no_grad():
        out = fn(*(mm.tensor(a) for a in arrays))
    return float(np.sum(out.numpy() * upstream))


def numerical_gradients(
    fn: Callable[..., Any], arrays: Sequence[np.ndarray], upstream: np.ndarray
) -> list[np.ndarray]:
    """d sum(fn(*arrays) * upstream) / d arrays[i], by central differences with step ``EPS``."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    grads = []
    for a in arrays:
        grad = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            saved = a[i]
            a[i] = saved + EPS
            plus = _weighted_output(fn, arrays, upstream)
            a[i] = saved - EPS
            minus = _weighted_output(fn, arrays, upstream)
            a[i] = saved
            grad[i] = (plus - minus) / (2 * EPS)
        grads.append(grad)
    return grads


def check_gradients(
    fn: Callable[..., Any],
    arrays: Sequence[np.ndarray],
    *,
    requires_grad: Sequence[bool] | None = None,
    rtol: float = 1e-5,
    atol: float = 1e-6,
) -> None:
    """Assert that autograd's gradient of ``fn`` at ``arrays`` matches finite differences.

    Args:
        fn: maps minimodel tensors (one per array) to a tensor; must be differentiable near
            ``arrays`` (callers keep inputs away from kinks such as 0 for ``abs``).
        arrays: the point at which to differentiate; converted to float64.
        requires_grad: which inputs require grad (and are checked); all by default.
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    requires_grad = [True] * len(arrays) if requires_grad is None else requires_grad
    tensors = [mm.tensor(a, requires_grad=r) for a, r in zip(arrays, requires_grad, strict=True)]
    out = fn(*tensors)
    assert out.dtype == mm.float64, f"float64 inputs gave a {out.dtype} result"
    upstream = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(mm.tensor(upstream))
    expected = numerical_gradients(fn, arrays, upstream)
    for k, (t, want) in enumerate(zip(tensors, expected, strict=True)):
        if not t.requires_grad:
            assert t.grad is None
            continue
        assert t.grad is not None, f"input {k} got no gradient"
        assert t.grad.shape == t.shape, f"input {k}: grad shape {t.grad.shape} != {t.shape}"
        np.testing.assert_allclose(
            t.grad.numpy(), want, rtol=rtol, atol=atol, err_msg=f"gradient of input {k}"
        )


def gradient_test(module: str) -> Callable[..., None]:
    """The finite-difference test of every case of ``minimodel/ops/<module>.py``.

    Each ops test file binds it to a test name, so the cases live in one table (tests/op_cases.py).
    """
    import pytest
    from hypothesis import given
    from hypothesis import strategies as st
    from op_cases import CASE_SETTINGS, cases

    @pytest.mark.parametrize("case", cases(module))
    @CASE_SETTINGS
    @given(data=st.data())
    def test_gradient_matches_finite_differences(case: Any, data: Any) -> None:
        arrays, params = data.draw(case.draw(), label="arrays, params")
        check_gradients(
            lambda *ts: case.fn(mm, *ts, **params),
            arrays,
            requires_grad=case.requires_grad(len(arrays)),
        )

    return test_gradient_matches_finite_differences
