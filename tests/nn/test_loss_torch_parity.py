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


NEW_LOSSES = {
    "l1": (lambda lib, r: lib.nn.L1Loss(reduction=r), False),
    "bce": (lambda lib, r: lib.nn.BCELoss(reduction=r), True),
    "bce_weight": (lambda lib, r: lib.nn.BCELoss(weight=lib.tensor(WEIGHT), reduction=r), True),
    "huber": (lambda lib, r: lib.nn.HuberLoss(reduction=r), False),
    "huber_delta": (lambda lib, r: lib.nn.HuberLoss(reduction=r, delta=0.3), False),
    "smooth_l1": (lambda lib, r: lib.nn.SmoothL1Loss(reduction=r), False),
    "smooth_l1_beta": (lambda lib, r: lib.nn.SmoothL1Loss(reduction=r, beta=0.3), False),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(NEW_LOSSES))
def test_new_loss_layers_match_torch(name: str, reduction: str) -> None:
    make, probabilities = NEW_LOSSES[name]
    ours, theirs = make(mm, reduction), make(torch, reduction)
    assert repr(ours) == repr(theirs)
    if probabilities:
        x, t = rng.uniform(0.02, 0.98, (4, 5)), rng.random((4, 5))
    else:
        x, t = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    assert_same_forward_backward(torch, ours, theirs, [x, t])


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.BCELoss()(lib.tensor([1.5]), lib.tensor([1.0])),
        lambda lib: lib.nn.BCELoss()(lib.rand(3), lib.rand(4)),
        lambda lib: lib.nn.HuberLoss(delta=0)(lib.ones(2), lib.ones(2)),
        lambda lib: lib.nn.SmoothL1Loss(beta=-1)(lib.ones(2), lib.ones(2)),
        lambda lib: lib.nn.L1Loss(reduction="avg")(lib.ones(2), lib.ones(2)),
        lambda lib: lib.nn.HuberLoss(reduction="avg")(lib.ones(2), lib.ones(2)),
        lambda lib: lib.nn.L1Loss()(lib.ones(3, 4), lib.ones(2, 4)),
    ],
    ids=[
        "bce range",
        "bce shapes",
        "huber delta",
        "smooth beta",
        "l1 reduction",
        "huber red",
        "l1 broadcast",
    ],
)
def test_new_loss_errors_match_torch(call: Any) -> None:
    assert_same_error(lambda: call(mm), lambda: call(torch))


def test_bce_clamps_its_logs_at_minus_100_as_torch() -> None:
    x, t = np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0])
    ours = mm.nn.functional.binary_cross_entropy(mm.tensor(x), mm.tensor(t), reduction="none")
    theirs = torch.nn.functional.binary_cross_entropy(
        torch.tensor(x), torch.tensor(t), reduction="none"
    )
    assert ours.tolist() == theirs.tolist() == [100.0, 100.0, 0.0, 0.0]


@pytest.mark.parametrize("fn", ["l1_loss", "huber_loss"])
def test_weighted_pointwise_losses_match_torch(fn: str) -> None:
    x, t, w = rng.standard_normal((3, 4, 5))
    for reduction in REDUCTIONS:

        def run(lib: Any, reduction: str = reduction) -> Any:
            weight = lib.tensor(np.abs(w).astype(np.float32))
            return lambda a, b: getattr(lib.nn.functional, fn)(
                a, b, reduction=reduction, weight=weight
            )

        assert_same_forward_backward(torch, run(mm), run(torch), [x, t])
