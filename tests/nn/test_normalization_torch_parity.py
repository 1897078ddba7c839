"""LayerNorm against torch.nn.LayerNorm: forward and gradients of the input, weight and bias,
parameters, reprs and errors. (The functional form is in tests/op_cases.py.)"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes
from nn_testing import assert_same_error, values
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


@settings(max_examples=examples(40))
@given(
    shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5),
    trailing=st.integers(1, 3),
    affine=st.booleans(),
    bias=st.booleans(),
    eps=st.sampled_from([1e-5, 1e-2]),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_layer_forward_and_gradients_match_torch(shape, trailing, affine, bias, eps, dtype, seed):
    normalized = shape[max(0, len(shape) - trailing) :]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype)
    w, b = rng.standard_normal((2, *normalized)).astype(dtype)

    def run(lib: Any) -> tuple[Any, ...]:
        layer = lib.nn.LayerNorm(normalized, eps, affine, bias, dtype=getattr(lib, dtype.__name__))
        with lib.no_grad():
            if layer.weight is not None:
                layer.weight.copy_(lib.tensor(w))
            if layer.bias is not None:
                layer.bias.copy_(lib.tensor(b))
        inp = lib.tensor(x, requires_grad=True)
        out = layer(inp)
        out.backward(lib.tensor(np.cos(np.arange(out.numel())).reshape(shape).astype(dtype)))
        return out, inp.grad, layer.weight, layer.bias

    ours, theirs = run(mm), run(torch)
    assert ours[0].grad_fn.name() == theirs[0].grad_fn.name()
    # The output is (x - mean) / std and the input's gradient a difference of terms as large as
    # 1 / std times the upstream gradient (about 1): both can nearly cancel (always, for one or
    # two elements), and then each library's rounding, amplified by 1 / std, is the absolute
    # error to allow.
    axes = tuple(range(len(shape) - len(normalized), len(shape)))
    rstd = 1 / np.sqrt(x.astype(np.float64).var(axis=axes) + eps)
    scale = float(rstd.max()) * max(1.0, float(np.abs(x).max())) * max(1.0, float(np.abs(w).max()))
    noise = (1e-5 if dtype == np.float32 else 1e-12) * scale
    for mine, their in zip(ours[:2], theirs[:2], strict=True):
        np.testing.assert_allclose(values(mine), values(their), rtol=1e-5, atol=noise)
    for mine, their in zip(ours[2:], theirs[2:], strict=True):
        assert (mine is None) == (their is None)
        if mine is not None:  # sums of the upstream gradient times the normalized input
            noise_sum = noise * int(np.prod(shape))
            np.testing.assert_allclose(
                values(mine.grad), values(their.grad), rtol=1e-5, atol=noise_sum
            )


def test_new_layer_has_ones_and_zeros_as_torch() -> None:
    for affine, bias in [(True, True), (True, False), (False, True)]:
        ours = mm.nn.LayerNorm((2, 3), elementwise_affine=affine, bias=bias)
        theirs = torch.nn.LayerNorm((2, 3), elementwise_affine=affine, bias=bias)
        mine = {k: v.tolist() for k, v in ours.named_parameters()}
        assert mine == {k: v.tolist() for k, v in theirs.named_parameters()}
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.LayerNorm(5)(lib.ones(3, 4)),
        lambda lib: lib.nn.LayerNorm((3, 4))(lib.ones(4)),
        lambda lib: lib.nn.functional.layer_norm(lib.ones(3, 4), (3, 4), weight=lib.ones(4)),
        lambda lib: lib.nn.functional.layer_norm(lib.ones(3, 4), (4,), bias=lib.ones(3)),
    ],
    ids=["wrong last dim", "too few dims", "weight shape", "bias shape"],
)
def test_errors_match_torch(call: Any) -> None:
    assert_same_error(lambda: call(mm), lambda: call(torch))
