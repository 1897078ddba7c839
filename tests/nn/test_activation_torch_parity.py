"""Activation, Flatten and Identity layers against torch.nn's: values, gradients, reprs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_testing import assert_same_error, assert_same_forward_backward
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

rng = np.random.default_rng(7)

LAYERS = {
    "relu": lambda lib: lib.nn.ReLU(),
    "sigmoid": lambda lib: lib.nn.Sigmoid(),
    "tanh": lambda lib: lib.nn.Tanh(),
    "softmax": lambda lib: lib.nn.Softmax(dim=1),
    "softmax_neg": lambda lib: lib.nn.Softmax(dim=-1),
    "log_softmax": lambda lib: lib.nn.LogSoftmax(dim=0),
    "flatten": lambda lib: lib.nn.Flatten(),
    "flatten_all": lambda lib: lib.nn.Flatten(0, -1),
    "flatten_middle": lambda lib: lib.nn.Flatten(1, 2),
    "identity": lambda lib: lib.nn.Identity(3, unused=True),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_matches_torch(name, dtype) -> None:
    make = LAYERS[name]
    x = rng.standard_normal((2, 3, 4)) * 2

    # Identity returns its input: compare it on a computed tensor so backward has a graph.
    def run(lib: Any) -> Any:
        layer = make(lib)
        return lambda t: layer(t * 1.0)

    assert_same_forward_backward(torch, run(mm), run(torch), [x], dtype)


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_repr_matches_torch(name) -> None:
    assert repr(LAYERS[name](mm)) == repr(LAYERS[name](torch))


@pytest.mark.parametrize(
    "make", [lambda lib: lib.nn.ReLU(inplace=True), lambda lib: lib.nn.Softmax()]
)
def test_more_reprs_match_torch(make) -> None:
    assert repr(make(mm)) == repr(make(torch))


def test_inplace_relu_matches_torch() -> None:
    x = rng.standard_normal((3, 4)).astype(np.float32)

    def run(lib: Any) -> Any:
        layer = lib.nn.ReLU(inplace=True)

        def fn(t: Any) -> Any:
            h = t * 2
            out = layer(h)
            assert out is h
            return out * 3

        return fn

    assert_same_forward_backward(torch, run(mm), run(torch), [x])


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda lib: lib.nn.Flatten(2, 1), (2, 3, 4)),
        (lambda lib: lib.nn.Flatten(), (2,)),
        (lambda lib: lib.nn.Flatten(0, 3), (2, 3)),
        (lambda lib: lib.nn.Softmax(dim=3), (2, 3)),
        (lambda lib: lib.nn.LogSoftmax(dim=-3), (2, 3)),
        (lambda lib: lib.nn.ReLU(inplace=True), "leaf"),
    ],
)
def test_layer_errors_match_torch(make, shape) -> None:
    def call(lib: Any) -> Any:
        if shape == "leaf":
            return lambda: make(lib)(lib.ones(2, requires_grad=True))
        return lambda: make(lib)(lib.ones(shape))

    assert_same_error(call(mm), call(torch))


def test_flatten_of_a_scalar_matches_torch() -> None:
    assert_same_error(
        lambda: mm.nn.Flatten()(mm.ones(())), lambda: torch.nn.Flatten()(torch.ones(()))
    )
    mine, theirs = mm.nn.Flatten(0)(mm.tensor(2.0)), torch.nn.Flatten(0)(torch.tensor(2.0))
    assert tuple(mine.shape) == tuple(theirs.shape)


NEW_ACTIVATIONS = [
    ("LeakyReLU", ()),
    ("LeakyReLU", (0.2, True)),
    ("GELU", ()),
    ("GELU", ("tanh",)),
    ("Softplus", ()),
    ("Softplus", (2, 10)),
]


@pytest.mark.parametrize(("name", "args"), NEW_ACTIVATIONS, ids=str)
def test_new_activation_layers_match_torch(name: str, args: tuple) -> None:
    ours, theirs = getattr(mm.nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(1).standard_normal((3, 4)) * 4

    def run(layer: Any) -> Any:
        return lambda t: layer(t * 1)  # a non-leaf, so that inplace=True is allowed

    assert_same_forward_backward(torch, run(ours), run(theirs), [x])
    assert_same_forward_backward(torch, run(ours), run(theirs), [x], dtype=np.float64)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.LeakyReLU()(lib.tensor([1, 2])),
        lambda lib: lib.nn.GELU()(lib.tensor([1, 2])),
        lambda lib: lib.nn.Softplus()(lib.tensor([1, 2])),
        lambda lib: lib.nn.GELU("exact")(lib.ones(2)),
        lambda lib: lib.nn.LeakyReLU(inplace=True)(lib.ones(2, requires_grad=True)),
    ],
    ids=["leaky_relu int", "gelu int", "softplus int", "gelu approximate", "leaf in place"],
)
def test_new_activation_errors_match_torch(call: Any) -> None:
    assert_same_error(lambda: call(mm), lambda: call(torch))
