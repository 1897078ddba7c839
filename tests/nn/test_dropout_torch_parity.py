"""Dropout against torch.nn.Dropout: mask statistics and scaling, eval(), in place, errors.

The masks come from different generators, so they are compared by their statistics: the share
of zeros is p (within five standard deviations), the survivors are scaled by PyTorch's exact
float32 factor, and the gradient is the mask itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_testing import assert_same_error
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

N = 20_000


@settings(max_examples=examples(20))
@given(
    p=st.floats(0.02, 0.98),
    seed=st.integers(0, 2**32 - 1),
    dtype=st.sampled_from(["float32", "float64"]),
)
def test_mask_drops_a_share_p_and_scales_survivors_as_torch(
    p: float, seed: int, dtype: str
) -> None:
    mm.manual_seed(seed)
    x = mm.ones(N, dtype=getattr(mm, dtype), requires_grad=True)
    y = mm.nn.Dropout(p)(x)
    theirs = torch.nn.Dropout(p)(torch.ones(N, dtype=getattr(torch, dtype)))
    kept = y.detach().numpy() != 0
    sigma = np.sqrt(p * (1 - p) / N)
    assert abs((1 - kept.mean()) - p) < 5 * sigma
    their_scale = set(theirs.numpy()[theirs.numpy() != 0].tolist())
    assert set(y.detach().numpy()[kept].tolist()) == their_scale
    assert y.dtype == x.dtype
    assert y.grad_fn.name() == "MulBackward0"  # PyTorch's node, checked in the p=1 test
    y.backward(mm.ones(N, dtype=getattr(mm, dtype)))
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())


def test_masks_of_successive_calls_differ_and_elements_drop_independently() -> None:
    mm.manual_seed(0)
    drop = mm.nn.Dropout(0.5)
    a = drop(mm.ones(4000)).numpy() != 0
    b = drop(mm.ones(4000)).numpy() != 0
    assert (a != b).any()
    # Independence: both kept about a quarter of the time (sd 0.007 at n = 4000).
    assert abs((a & b).mean() - 0.25) < 0.035


def test_eval_p0_and_training_false_return_the_input_itself_as_torch() -> None:
    for lib in (mm, torch):
        x = lib.randn(3, 4, requires_grad=True)
        assert lib.nn.Dropout(0.3).eval()(x) is x
        assert lib.nn.Dropout(0.0)(x) is x
        assert lib.nn.functional.dropout(x, 0.3, training=False) is x


def test_p1_zeroes_everything_and_keeps_the_graph_as_torch() -> None:
    for lib in (mm, torch):
        x = lib.randn(3, requires_grad=True)
        y = lib.nn.functional.dropout(x, 1.0)
        assert y.grad_fn.name() == "MulBackward0"
        assert y.tolist() == [0.0, 0.0, 0.0]
        y.sum().backward()
        assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_inplace_overwrites_a_non_leaf_and_returns_it() -> None:
    mm.manual_seed(1)
    x = mm.ones(1000, requires_grad=True)
    h = x * 2
    y = mm.nn.Dropout(0.25, inplace=True)(h)
    assert y is h
    assert set(np.unique(h.detach().numpy()).tolist()) <= {0.0, np.float32(2) / np.float32(0.75)}
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (h.detach().numpy() != 0) / 0.75, rtol=1e-6)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_bad_probabilities_raise_torchs_error(p: float) -> None:
    assert_same_error(lambda: mm.nn.Dropout(p), lambda: torch.nn.Dropout(p))
    assert_same_error(
        lambda: mm.nn.functional.dropout(mm.ones(2), p),
        lambda: torch.nn.functional.dropout(torch.ones(2), p),
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.functional.dropout(lib.tensor([1, 2])),
        lambda lib: lib.nn.Dropout(inplace=True)(lib.ones(2, requires_grad=True)),
    ],
    ids=["integers", "leaf in place"],
)
def test_bad_inputs_raise_torchs_error(call: Any) -> None:
    assert_same_error(lambda: call(mm), lambda: call(torch))


@pytest.mark.parametrize("args", [(), (0.2,), (0.2, True)])
def test_repr_matches_torch(args: tuple) -> None:
    assert repr(mm.nn.Dropout(*args)) == repr(torch.nn.Dropout(*args))
