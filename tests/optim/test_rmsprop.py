"""RMSprop: argument checks, defaults, state, and steps computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from optim_testing import leaf, values

import minimodel as mm
from minimodel.optim import RMSprop


def test_defaults_are_pytorchs() -> None:
    assert RMSprop([leaf([1.0])]).defaults == {
        "lr": 1e-2,
        "momentum": 0,
        "alpha": 0.99,
        "eps": 1e-8,
        "centered": False,
        "weight_decay": 0,
        "capturable": False,
        "foreach": None,
        "maximize": False,
        "differentiable": False,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": -0.1}, "Invalid learning rate: -0.1"),
        ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
        ({"momentum": -0.9}, "Invalid momentum value: -0.9"),
        ({"weight_decay": -2}, "Invalid weight_decay value: -2"),
        ({"alpha": -0.5}, "Invalid alpha value: -0.5"),
    ],
)
def test_invalid_arguments_raise_value_error(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        RMSprop([leaf([1.0])], **kwargs)
    assert str(info.value) == message


def _reference_rmsprop(w, grads, lr, alpha, eps, weight_decay=0.0, momentum=0.0, centered=False):
    """RMSprop written out in float64, for two-step checks."""
    v = m = buf = 0.0
    for g in grads:
        g = g + weight_decay * w
        v = alpha * v + (1 - alpha) * g * g
        m = alpha * m + (1 - alpha) * g
        avg = math.sqrt(v - m * m if centered else v) + eps
        if momentum > 0:
            buf = momentum * buf + g / avg
            w = w - lr * buf
        else:
            w = w - lr * g / avg
    return w


@pytest.mark.parametrize("centered", [False, True])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_two_steps_follow_the_rmsprop_formulas(
    centered: bool, momentum: float, weight_decay: float
) -> None:
    grads = [2.0, -0.5]
    w = leaf([1.0], grad=[grads[0]])
    opt = RMSprop(
        [w],
        lr=0.01,
        alpha=0.9,
        eps=1e-3,
        weight_decay=weight_decay,
        momentum=momentum,
        centered=centered,
    )
    opt.step()
    w.grad = mm.tensor([grads[1]])
    opt.step()
    expected = _reference_rmsprop(1.0, grads, 0.01, 0.9, 1e-3, weight_decay, momentum, centered)
    np.testing.assert_allclose(values(w), [expected], rtol=1e-6)


def test_first_step_divides_by_the_root_of_the_first_square_average() -> None:
    # v = (1 - alpha) g^2, so the step is lr * g / (sqrt(1 - alpha) |g| + eps).
    w = leaf([1.0, -1.0], grad=[3.0, -0.1])
    RMSprop([w], lr=0.01).step()
    expected = [1.0 - 0.01 / math.sqrt(0.01), -1.0 + 0.01 / math.sqrt(0.01)]
    np.testing.assert_allclose(values(w), expected, rtol=1e-5)


def test_maximize_steps_up_the_gradient() -> None:
    w = leaf([1.0], grad=[2.0])
    RMSprop([w], lr=0.01, maximize=True).step()
    np.testing.assert_allclose(values(w), [1.1], rtol=1e-5)


@pytest.mark.parametrize(
    ("options", "keys"),
    [
        ({}, ["step", "square_avg"]),
        ({"momentum": 0.9}, ["step", "square_avg", "momentum_buffer"]),
        ({"centered": True}, ["step", "square_avg", "grad_avg"]),
        (
            {"momentum": 0.9, "centered": True},
            ["step", "square_avg", "momentum_buffer", "grad_avg"],
        ),
    ],
)
def test_state_holds_pytorchs_keys(options: dict, keys: list[str]) -> None:
    w = leaf([1.0, 2.0], grad=[1.0, 1.0])
    opt = RMSprop([w], **options)
    opt.step()
    opt.step()
    assert list(opt.state[w]) == keys
    assert opt.state[w]["step"].dtype == mm.float32 and opt.state[w]["step"].item() == 2.0
