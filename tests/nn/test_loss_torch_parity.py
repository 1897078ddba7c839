"""Loss layers against torch.nn's: values and gradients through the layers, reprs, errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_testing import assert_same_error, assert_same_forward_backward
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

rng = np.random.default_rng(6)
REDUCTIONS = ["mean", "sum", "none"]
WEIGHT = (rng.random(5) + 0.5).astype(np.float32)


def _probs() -> np.ndarray:
    p = rng.random((4, 5))
    return p / p.sum(axis=1, keepdims=True)


LAYERS = {
    "mse": (lambda lib, r: lib.nn.MSELoss(reduction=r), lambda: rng.standard_normal((4, 5))),
    "ce_index": (
        lambda lib, r: lib.nn.CrossEntropyLoss(reduction=r),
        lambda: np.array([0, 4, 2, 1]),
    ),
    "ce_index_options": (
        lambda lib, r: lib.nn.CrossEntropyLoss(
            weight=lib.tensor(WEIGHT), ignore_index=2, reduction=r, label_smoothing=0.2
        ),
        lambda: np.array([0, 4, 2, 1]),
    ),
    "ce_probs": (lambda lib, r: lib.nn.CrossEntropyLoss(reduction=r), _probs),
    "ce_probs_options": (
        lambda lib, r: lib.nn.CrossEntropyLoss(
            weight=lib.tensor(WEIGHT), reduction=r, label_smoothing=0.1
        ),
        _probs,
    ),
    "nll": (
        lambda lib, r: lib.nn.NLLLoss(weight=lib.tensor(WEIGHT), reduction=r),
        lambda: np.array([0, 4, 2, 1]),
    ),
    "bce": (lambda lib, r: lib.nn.BCEWithLogitsLoss(reduction=r), lambda: rng.random((4, 5))),
    "bce_options": (
        lambda lib, r: lib.nn.BCEWithLogitsLoss(
            weight=lib.tensor(WEIGHT), pos_weight=lib.tensor(WEIGHT * 2), reduction=r
        ),
        lambda: rng.random((4, 5)),
    ),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(LAYERS))
def test_loss_layer_matches_torch(name, reduction) -> None:
    make, target = LAYERS[name]
    arrays = [rng.standard_normal((4, 5)) * 3, target()]
    assert_same_forward_backward(torch, make(mm, reduction), make(torch, reduction), arrays)


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.nn.MSELoss(),
        lambda lib: lib.nn.MSELoss(reduction="sum"),
        lambda lib: lib.nn.CrossEntropyLoss(weight=lib.ones(3), label_smoothing=0.1),
        lambda lib: lib.nn.NLLLoss(ignore_index=0),
        lambda lib: lib.nn.BCEWithLogitsLoss(pos_weight=lib.ones(2)),
    ],
)
def test_loss_repr_and_options_match_torch(make) -> None:
    mine, theirs = make(mm), make(torch)
    assert repr(mine) == repr(theirs)
    for option in ("reduction", "ignore_index", "label_smoothing"):
        assert getattr(mine, option, None) == getattr(theirs, option, None)


@pytest.mark.parametrize(
    ("make", "target"),
    [
        (lambda lib: lib.nn.MSELoss(reduction="avg"), lambda lib: lib.ones(2, 2)),
        (lambda lib: lib.nn.CrossEntropyLoss(reduction="avg"), lambda lib: lib.tensor([0, 1])),
        (lambda lib: lib.nn.BCEWithLogitsLoss(reduction="avg"), lambda lib: lib.ones(2, 2)),
        (lambda lib: lib.nn.CrossEntropyLoss(), lambda lib: lib.tensor([0, 7])),
        (lambda lib: lib.nn.BCEWithLogitsLoss(), lambda lib: lib.ones(2, 1)),
    ],
)
def test_loss_layer_errors_match_torch(make, target) -> None:
    def call(lib: Any) -> Any:
        return lambda: make(lib)(lib.ones(2, 2), target(lib))

    assert_same_error(call(mm), call(torch))
