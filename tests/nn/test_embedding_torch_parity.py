"""Embedding against torch.nn.Embedding: lookups and gradients, padding_idx, max_norm,
scale_grad_by_freq, from_pretrained, initial weights, reprs and errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_testing import assert_close, assert_same_error
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


@st.composite
def lookups(draw: st.DrawFn) -> dict[str, Any]:
    rows, dim = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    shape = draw(st.sampled_from([(), (3,), (2, 3)]))
    size = int(np.prod(shape))
    return {
        "weight": np.random.default_rng(draw(st.integers(0, 2**16))).standard_normal((rows, dim)),
        "indices": np.array(
            draw(st.lists(st.integers(0, rows - 1), min_size=size, max_size=size)), dtype=np.int64
        ).reshape(shape),
        "padding_idx": draw(st.none() | st.integers(-rows, rows - 1)),
        "max_norm": draw(st.none() | st.sampled_from([0.5, 1.0])),
        "norm_type": draw(st.sampled_from([1.0, 2.0])),
        "scale_grad_by_freq": draw(st.booleans()),
        "index_dtype": draw(st.sampled_from(["int64", "int32"])),
    }


@settings(max_examples=examples(60))
@given(case=lookups())
def test_layer_lookup_gradient_and_renormed_weight_match_torch(case: dict[str, Any]) -> None:
    def run(lib: Any) -> tuple[Any, Any]:
        weight = lib.tensor(case["weight"].astype(np.float32))
        layer = lib.nn.Embedding.from_pretrained(
            weight,
            freeze=False,
            padding_idx=case["padding_idx"],
            max_norm=case["max_norm"],
            norm_type=case["norm_type"],
            scale_grad_by_freq=case["scale_grad_by_freq"],
        )
        out = layer(lib.tensor(case["indices"], dtype=getattr(lib, case["index_dtype"])))
        upstream = np.random.default_rng(0).standard_normal(tuple(out.shape)).astype(np.float32)
        out.backward(lib.tensor(upstream))
        return out, layer

    (out_mm, layer_mm), (out_torch, layer_torch) = run(mm), run(torch)
    assert tuple(out_mm.shape) == tuple(out_torch.shape)
    assert out_mm.grad_fn.name() == out_torch.grad_fn.name()
    assert_close(out_mm, out_torch)
    assert_close(layer_mm.weight, layer_torch.weight)  # max_norm renormalizes in place
    assert_close(layer_mm.weight.grad, layer_torch.weight.grad)


def test_new_layer_draws_standard_normal_weights_with_a_zero_padding_row() -> None:
    mm.manual_seed(0)
    layer = mm.nn.Embedding(1000, 20, padding_idx=-1)
    w = layer.weight.detach().numpy()
    assert layer.padding_idx == torch.nn.Embedding(1000, 20, padding_idx=-1).padding_idx == 999
    assert (w[999] == 0).all()
    assert abs(w[:999].mean()) < 0.01 and abs(w[:999].std() - 1) < 0.01
    assert layer.weight.dtype == mm.float32 and layer.weight.requires_grad


def test_from_pretrained_freezes_by_default_as_torch() -> None:
    for lib in (mm, torch):
        frozen = lib.nn.Embedding.from_pretrained(lib.ones(3, 2))
        assert not frozen.weight.requires_grad
        assert lib.nn.Embedding.from_pretrained(lib.ones(3, 2), freeze=False).weight.requires_grad


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding_idx": 0},
        {"padding_idx": -2},
        {"max_norm": 1.0, "norm_type": 1.0, "scale_grad_by_freq": True},
    ],
    ids=str,
)
def test_repr_matches_torch(kwargs: dict[str, Any]) -> None:
    assert repr(mm.nn.Embedding(5, 3, **kwargs)) == repr(torch.nn.Embedding(5, 3, **kwargs))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.Embedding(3, 2, padding_idx=3),
        lambda lib: lib.nn.Embedding(3, 2, padding_idx=-4),
        lambda lib: lib.nn.Embedding(3, 2)(lib.tensor([1.0])),
        lambda lib: lib.nn.Embedding(3, 2)(lib.tensor([3])),
        lambda lib: lib.nn.Embedding(3, 2)(lib.tensor([-1])),
        lambda lib: lib.nn.Embedding.from_pretrained(lib.zeros(3)),
        lambda lib: lib.nn.Embedding(3, 2, _weight=lib.zeros(2, 2)),
        lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.zeros(3)),
        lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.zeros(3, 2), padding_idx=5),
    ],
    ids=[
        "padding too large",
        "padding too small",
        "float indices",
        "index too large",
        "negative index",
        "1-D pretrained",
        "wrong _weight",
        "1-D weight",
        "functional padding",
    ],
)
def test_errors_match_torch(call: Any) -> None:
    assert_same_error(lambda: call(mm), lambda: call(torch))
