"""Parity with PyTorch at inf, -inf, NaN and signed zeros, for every differentiable operation.

Each case of tests/op_cases.py runs on inputs where some elements are replaced by non-finite
values or zeros of either sign; values and gradients must match PyTorch's, NaN for NaN. This is
where gradients computed by multiplying with a 0/1 mask (``0 * inf`` is NaN) differ from
PyTorch's, which selects. A few compositions named in bug reports are checked on their own.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from op_cases import CASES
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

SPECIAL = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0], dtype=np.float32)


def _with_specials(arrays: list[np.ndarray], picks: list[int]) -> list[np.ndarray]:
    """The arrays with some elements replaced by special values; ``picks`` chooses which and
    what (a pick of ``k`` puts ``SPECIAL[k % 5]`` at flat position ``k // 5``, when it exists)."""
    out = []
    for a in arrays:
        a = a.astype(np.float32)  # a copy
        flat = a.reshape(-1)
        for k in picks:
            if k // 5 < flat.size:
                flat[k // 5] = SPECIAL[k % 5]
        out.append(a)
    return out


def assert_same(got: np.ndarray, want: np.ndarray, what: str) -> None:
    """Equal shapes and dtypes, and equal values where finite: NaN for NaN, inf of the same sign."""
    assert got.shape == want.shape, what
    assert got.dtype == want.dtype, what
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, equal_nan=True, err_msg=what)


def numpy_warnings(call: Any) -> list[str]:
    """The RuntimeWarnings a user would see from ``call()`` (with the filters as they are)."""
    # Only the warnings are looked at here; run_both compares errors.
    with warnings.catch_warnings(record=True) as caught, contextlib.suppress(Exception):
        call()
    return [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


def run_both(fn: Any, arrays: list[np.ndarray], requires_grad: list[bool]) -> None:
    """``fn(lib, *tensors)`` on both libraries: values, then gradients for a fixed upstream."""
    fresh = [mm.tensor(a, requires_grad=r) for a, r in zip(arrays, requires_grad, strict=True)]
    assert numpy_warnings(lambda: fn(mm, *fresh)) == []
    results = []
    for lib in (mm, torch):
        inputs = [
            lib.tensor(a, requires_grad=r) for a, r in zip(arrays, requires_grad, strict=True)
        ]
        results.append((inputs, outcome(lambda lib=lib, inputs=inputs: fn(lib, *inputs))))
    (mm_inputs, (mm_kind, mm_out)), (torch_inputs, (torch_kind, torch_out)) = results
    assert mm_kind == torch_kind, (mm_out, torch_out)
    if torch_kind == "raise":  # some ops refuse non-finite inputs (binary_cross_entropy)
        assert_same_error(mm_out, torch_out)
        return
    assert_same(mm_out.detach().numpy(), torch_out.detach().numpy(), "value")
    if not torch_out.requires_grad:
        return
    upstream = np.random.default_rng(0).standard_normal(tuple(torch_out.shape)).astype(np.float32)
    # PyTorch computes inf and NaN without a word: so must minimodel, forward and backward.
    assert numpy_warnings(lambda: mm_out.backward(mm.tensor(upstream), retain_graph=True)) == []
    mm_out.backward(mm.tensor(upstream))
    torch_out.backward(torch.tensor(upstream))
    for m in mm_inputs:
        if m.grad is not None:
            m.grad = m.grad / 2  # the two backward passes above added up
    for k, (m, t) in enumerate(zip(mm_inputs, torch_inputs, strict=True)):
        if t.grad is None:
            assert m.grad is None, f"input {k}: torch gives no gradient"
        else:
            assert m.grad is not None, f"input {k}: no gradient"
            assert_same(m.grad.numpy(), t.grad.numpy(), f"gradient of input {k}")


# Where NumPy and PyTorch (or its kernels) disagree at non-finite inputs for reasons that are no
# bug of minimodel's. Keep the list empty unless a difference is understood.
KNOWN: dict[str, str] = {
    # PyTorch's exact gelu gives inf at +inf for a one-element tensor and NaN in a longer one
    # (its vectorized erf kernel); minimodel gives inf at any length.
    "gelu": "PyTorch's value at +inf depends on the tensor's length",
}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES if c.id not in KNOWN])
@settings(max_examples=examples(6))
@given(data=st.data())
def test_values_and_gradients_at_non_finite_inputs_match_torch(case: Any, data: Any) -> None:
    arrays, params = data.draw(case.draw(), label="arrays, params")
    picks = data.draw(st.lists(st.integers(0, 5 * 24 - 1), min_size=1, max_size=6), label="picks")
    arrays = _with_specials(arrays, picks)
    run_both(lambda lib, *ts: case.fn(lib, *ts, **params), arrays, case.requires_grad(len(arrays)))


COMPOSITIONS = {
    "sqrt_of_relu": lambda lib, x: lib.sqrt(lib.relu(x)),
    "sqrt_of_clamp": lambda lib, x: lib.sqrt(lib.clamp(x, min=0)),
    "sqrt_of_maximum": lambda lib, x: lib.sqrt(lib.maximum(x, lib.zeros(x.shape))),
    "log_of_clamp_max": lambda lib, x: lib.log(x.clamp(max=0.0) + 1),
    "clamp_min_above_max": lambda lib, x: x.clamp(0.5, -0.5),
    "clamp_tensor_bounds": lambda lib, x: x.clamp(lib.zeros(()) - 1, lib.ones(x.shape[-1:])),
    "max_of_all": lambda lib, x: x.max(),
    "power_minus_half": lambda lib, x: x**-0.5,
    "power_half": lambda lib, x: x**0.5,
    "power_of_zero_tensor_exponent": lambda lib, x: x ** (x * 0),
    "zero_to_the_power": lambda lib, x: 0.0**x,
    "softmax": lambda lib, x: lib.nn.functional.softmax(x.reshape(-1), 0),
    "log_softmax": lambda lib, x: lib.nn.functional.log_softmax(x.reshape(-1), 0),
}


@pytest.mark.parametrize("fn", COMPOSITIONS.values(), ids=COMPOSITIONS.keys())
@settings(max_examples=examples(10))
@given(
    values=st.lists(
        st.sampled_from([-2.0, -1.0, -0.5, 0.0, -0.0, 0.5, 1.0, 4.0, np.inf, -np.inf, np.nan]),
        min_size=1,
        max_size=6,
    )
)
def test_compositions_at_non_finite_inputs_match_torch(fn: Any, values: list[float]) -> None:
    run_both(fn, [np.array(values, dtype=np.float32)], [True])


@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@settings(max_examples=examples(10))
@given(
    targets=st.lists(st.sampled_from([-100, 0, 1, 2]), min_size=1, max_size=4),
    smoothing=st.sampled_from([0.0, 0.25]),
    weighted=st.booleans(),
)
def test_class_losses_with_ignored_or_weightless_targets_match_torch(
    loss: str, reduction: str, targets: list[int], smoothing: float, weighted: bool
) -> None:
    # All targets ignored, or of weight 0: a mean over nothing, 0 / 0 in PyTorch.
    logits = np.random.default_rng(len(targets)).standard_normal((len(targets), 3))
    options = {"label_smoothing": smoothing} if loss == "cross_entropy" else {}

    def fn(lib: Any, x: Any) -> Any:
        weight = lib.tensor([1.0, 0.0, 2.0]) if weighted else None
        return getattr(lib.nn.functional, loss)(
            x, lib.tensor(targets), weight=weight, reduction=reduction, **options
        )

    run_both(fn, [logits.astype(np.float32)], [True])
