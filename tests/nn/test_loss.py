"""Loss layers: they hold their options and agree with the functions they call."""

from __future__ import annotations

import numpy as np
import pytest

import minimodel as mm
from minimodel import nn
from minimodel.nn import functional as F

rng = np.random.default_rng(3)
X = mm.tensor(rng.standard_normal((4, 5)).astype(np.float32))
CLASSES = mm.tensor([0, 4, 2, 1])
PROBS = F.softmax(mm.tensor(rng.standard_normal((4, 5)).astype(np.float32)), 1)
BINARY = mm.tensor(rng.integers(0, 2, (4, 5)).astype(np.float32))
WEIGHT = mm.tensor(rng.random(5).astype(np.float32))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    ("make", "target", "fn", "options"),
    [
        (nn.MSELoss, PROBS, F.mse_loss, {}),
        (nn.CrossEntropyLoss, CLASSES, F.cross_entropy, {}),
        (nn.CrossEntropyLoss, PROBS, F.cross_entropy, {}),
        (
            nn.CrossEntropyLoss,
            CLASSES,
            F.cross_entropy,
            {"weight": WEIGHT, "ignore_index": 4, "label_smoothing": 0.1},
        ),
        (nn.NLLLoss, CLASSES, F.nll_loss, {"weight": WEIGHT, "ignore_index": 2}),
        (nn.BCEWithLogitsLoss, BINARY, F.binary_cross_entropy_with_logits, {}),
        (
            nn.BCEWithLogitsLoss,
            BINARY,
            F.binary_cross_entropy_with_logits,
            {"weight": WEIGHT, "pos_weight": WEIGHT * 3},
        ),
    ],
)
def test_loss_layer_agrees_with_its_function(make, target, fn, options, reduction) -> None:
    layer = make(reduction=reduction, **options)
    expected = fn(X, target, reduction=reduction, **options)
    np.testing.assert_array_equal(layer(X, target).numpy(), expected.numpy())


@pytest.mark.parametrize(
    "make", [nn.MSELoss, nn.CrossEntropyLoss, nn.NLLLoss, nn.BCEWithLogitsLoss]
)
def test_bad_reduction_is_reported_when_the_loss_is_called(make) -> None:
    layer = make(reduction="bad")
    assert layer.reduction == "bad"
    target = CLASSES if make in (nn.CrossEntropyLoss, nn.NLLLoss) else BINARY
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        layer(X, target)


@pytest.mark.parametrize(
    ("layer", "text"),
    [
        (nn.MSELoss(), "MSELoss()"),
        (nn.CrossEntropyLoss(weight=WEIGHT), "CrossEntropyLoss()"),
        (nn.NLLLoss(), "NLLLoss()"),
        (nn.BCEWithLogitsLoss(pos_weight=WEIGHT), "BCEWithLogitsLoss()"),
    ],
)
def test_loss_repr(layer, text) -> None:
    assert repr(layer) == text


def test_loss_defaults_match_pytorch() -> None:
    ce = nn.CrossEntropyLoss()
    assert (ce.reduction, ce.ignore_index, ce.label_smoothing, ce.weight) == (
        "mean",
        -100,
        0.0,
        None,
    )
    bce = nn.BCEWithLogitsLoss()
    assert (bce.reduction, bce.weight, bce.pos_weight) == ("mean", None, None)
    assert nn.MSELoss().reduction == "mean"


def test_loss_weights_are_not_in_the_state_dict() -> None:
    # Documented difference: PyTorch registers them as buffers.
    assert list(nn.CrossEntropyLoss(weight=WEIGHT).state_dict()) == []
    assert list(nn.CrossEntropyLoss().parameters()) == []


def test_legacy_arguments_set_the_reduction() -> None:
    with pytest.warns(UserWarning, match="please use reduction='sum' instead"):
        assert nn.MSELoss(size_average=False).reduction == "sum"
    with pytest.warns(UserWarning, match="please use reduction='none' instead"):
        assert nn.CrossEntropyLoss(reduce=False).reduction == "none"


def test_mse_loss_sum_trains_a_linear_fit() -> None:
    mm.manual_seed(0)
    x = mm.linspace(-1, 1, 50).unsqueeze(1)
    y = 3 * x - 1
    model = nn.Linear(1, 1)
    loss_fn = nn.MSELoss(reduction="sum")
    for step in range(200):
        loss = loss_fn(model(x), y)
        model.zero_grad()
        loss.backward()
        if step == 0:  # the gradient of the summed squares, not only where training ends
            xs, ys = x.numpy()[:, 0], y.numpy()[:, 0]
            residual = model.weight.item() * xs + model.bias.item() - ys
            assert model.weight.grad.item() == pytest.approx(2 * (residual * xs).sum(), rel=1e-5)
            assert model.bias.grad.item() == pytest.approx(2 * residual.sum(), rel=1e-5)
        with mm.no_grad():
            for p in model.parameters():
                p -= 0.01 * p.grad
    assert loss.item() < 1e-6
    assert model.weight.item() == pytest.approx(3.0, abs=1e-3)
    assert model.bias.item() == pytest.approx(-1.0, abs=1e-3)
