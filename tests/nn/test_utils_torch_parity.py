"""``nn.utils`` against ``torch.nn.utils``: clipping, total norms, parameters as one vector.

Generated parameter lists mix shapes (0-d included), float16/32/64 gradients, missing gradients
and non-finite values; every norm type PyTorch takes (2, 1, 0, 3, 0.5, inf, -inf) with and
without ``error_if_nonfinite``; a tensor, a list or a generator as ``parameters``. Both libraries
must return the same norm (value and dtype), leave the same gradients, and raise or warn alike.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_creation_torch_parity import assert_same_tensor
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

NORM_TYPES = [2.0, 1.0, 0.0, 3.0, 0.5, float("inf"), float("-inf")]
_VALUES = st.one_of(
    st.floats(min_value=-10, max_value=10, width=32),
    st.sampled_from([0.0, float("nan"), float("inf"), -float("inf"), 1e30]),
)


@st.composite
def _parameters(draw: st.DrawFn) -> list[dict[str, Any]]:
    specs = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        shape = draw(st.sampled_from([(), (1,), (3,), (2, 3)]))
        size = int(np.prod(shape))
        grad = None
        if draw(st.booleans()) or draw(st.booleans()):
            grad = np.array(draw(st.lists(_VALUES, min_size=size, max_size=size)), np.float64)
            grad = grad.reshape(shape)
        dtype = draw(st.sampled_from(["float32", "float32", "float64", "float16"]))
        specs.append({"shape": shape, "grad": grad, "dtype": dtype})
    return specs


def _build(lib: Any, specs: list[dict[str, Any]]) -> list[Any]:
    params = []
    for spec in specs:
        dtype = getattr(lib, spec["dtype"])
        p = lib.ones(spec["shape"], dtype=dtype, requires_grad=True)
        if spec["grad"] is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # float16 overflow of 1e30: inf in both
                p.grad = lib.tensor(spec["grad"].astype(spec["dtype"]))
        params.append(p)
    return params


def _as(kind: str, params: list[Any]) -> Any:
    if kind == "tensor" and len(params) == 1:
        return params[0]
    return (p for p in params) if kind == "generator" else params


def _same_grads(mine: list[Any], theirs: list[Any]) -> None:
    for a, b in zip(mine, theirs, strict=True):
        assert (a.grad is None) == (b.grad is None)
        if a.grad is not None:
            _assert_close(a.grad, b.grad)


def _assert_close(mine: Any, theirs: Any) -> None:
    """Same dtype and shape; values to the rounding of the dtype (norms are sums)."""
    assert str(mine.dtype) == str(theirs.dtype).replace("torch.", "minimodel.")
    assert tuple(mine.shape) == tuple(theirs.shape)
    rtol = 2e-3 if mine.dtype == mm.float16 else 1e-5
    np.testing.assert_allclose(
        mine.numpy().astype(np.float64), theirs.numpy().astype(np.float64), rtol=rtol, atol=0
    )


@settings(max_examples=examples(300), deadline=None)
@given(
    specs=_parameters(),
    max_norm=st.sampled_from([0.0, 0.5, 1.0, 100.0]),
    norm_type=st.sampled_from(NORM_TYPES),
    error_if_nonfinite=st.booleans(),
    kind=st.sampled_from(["list", "generator", "tensor"]),
)
def test_clip_grad_norm_matches_torch(specs, max_norm, norm_type, error_if_nonfinite, kind):
    mine, theirs = _build(mm, specs), _build(torch, specs)

    def clip(lib: Any, params: list[Any]) -> Any:
        # Recorded with the filters as a user has them: minimodel's silences NumPy's warnings.
        with warnings.catch_warnings(record=True) as caught:
            total = lib.nn.utils.clip_grad_norm_(
                _as(kind, params), max_norm, norm_type, error_if_nonfinite
            )
        return total, [str(w.message) for w in caught]

    a, b = outcome(lambda: clip(mm, mine)), outcome(lambda: clip(torch, theirs))
    assert a[0] == b[0], f"{a} vs {b}"
    if a[0] == "raise":
        assert_same_error(a[1], b[1])
    else:
        _assert_close(a[1][0], b[1][0])
        assert a[1][1] == b[1][1]
    _same_grads(mine, theirs)


@settings(max_examples=examples(150), deadline=None)
@given(specs=_parameters(), clip_value=st.sampled_from([0.0, 0.5, 2.0, float("inf")]))
def test_clip_grad_value_matches_torch(specs, clip_value):
    mine, theirs = _build(mm, specs), _build(torch, specs)
    assert mm.nn.utils.clip_grad_value_(mine, clip_value) is None
    if all(p.grad is None for p in theirs):
        # PyTorch 2.13 fails an internal assertion on no gradients at all (README); minimodel
        # has nothing to clamp.
        with pytest.raises(RuntimeError, match=r"Expected !nested_tensorlist\[0\].empty\(\)"):
            torch.nn.utils.clip_grad_value_(theirs, clip_value)
    else:
        torch.nn.utils.clip_grad_value_(theirs, clip_value)
    _same_grads(mine, theirs)


@settings(max_examples=examples(100), deadline=None)
@given(specs=_parameters())
def test_parameters_to_vector_and_back_match_torch(specs):
    specs = [s | {"dtype": "float32"} for s in specs]  # one dtype: torch.cat would promote
    mine, theirs = _build(mm, specs), _build(torch, specs)
    if not specs:
        a = outcome(lambda: mm.nn.utils.parameters_to_vector(mine))
        b = outcome(lambda: torch.nn.utils.parameters_to_vector(theirs))
        assert a[0] == b[0] == "raise"
        assert_same_error(a[1], b[1])
        return
    vec = mm.nn.utils.parameters_to_vector(mine)
    assert_same_tensor(vec.detach(), torch.nn.utils.parameters_to_vector(theirs).detach())
    new = np.arange(vec.numel(), dtype=np.float32)
    mm.nn.utils.vector_to_parameters(mm.tensor(new), mine)
    torch.nn.utils.vector_to_parameters(torch.tensor(new), theirs)
    for a, b in zip(mine, theirs, strict=True):
        assert_same_tensor(a.detach(), b.detach())


def test_vector_to_parameters_refuses_what_is_not_a_tensor():
    with pytest.raises(TypeError, match=r"expected minimodel\.Tensor, but got: list"):
        mm.nn.utils.vector_to_parameters([1.0], [mm.ones(1)])
    with pytest.raises(TypeError, match=r"expected torch\.Tensor, but got: list"):
        torch.nn.utils.vector_to_parameters([1.0], [torch.ones(1)])


def test_clip_grad_norm_is_deprecated_under_its_old_name_as_in_torch():
    for lib in (mm, torch):
        p = lib.ones(2, requires_grad=True)
        p.grad = lib.ones(2)
        with pytest.warns(FutureWarning, match="clip_grad_norm` is now deprecated"):
            lib.nn.utils.clip_grad_norm(p, 1.0)
