"""nn.init: in-place fills with PyTorch's formulas (checked by bounds and statistics)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import minimodel as mm
from minimodel import nn
from minimodel.nn import init


def _big(*shape: int) -> mm.Tensor:
    return mm.empty(*shape)


def test_init_functions_fill_in_place_and_return_the_tensor() -> None:
    for fn in (
        init.uniform_,
        init.normal_,
        init.zeros_,
        init.ones_,
        init.xavier_uniform_,
        init.xavier_normal_,
        init.kaiming_uniform_,
        init.kaiming_normal_,
    ):
        t = mm.zeros(4, 3)
        array = t.numpy()
        assert fn(t) is t
        assert t.numpy() is array


def test_init_works_on_parameters_outside_no_grad() -> None:
    p = nn.Parameter(mm.zeros(3, 2))
    init.ones_(p)
    assert p.requires_grad and p.is_leaf
    assert (p.detach().numpy() == 1).all()


def test_init_keeps_the_dtype() -> None:
    t = init.normal_(mm.zeros(3, dtype=mm.float64))
    assert t.dtype == mm.float64


def test_constant_zeros_ones() -> None:
    t = mm.empty(2, 3)
    assert (init.constant_(t, 0.25).numpy() == 0.25).all()
    assert (init.zeros_(t).numpy() == 0).all()
    assert (init.ones_(t).numpy() == 1).all()


def test_uniform_stays_in_its_interval_and_covers_it() -> None:
    values = init.uniform_(_big(200, 200), -0.5, 2.0).numpy()
    assert values.min() >= -0.5 and values.max() < 2.0
    assert values.min() < -0.49 and values.max() > 1.99
    assert abs(values.mean() - 0.75) < 0.02
    default = init.uniform_(_big(100, 100)).numpy()
    assert default.min() >= 0.0 and default.max() < 1.0


def test_normal_has_the_requested_mean_and_std() -> None:
    values = init.normal_(_big(200, 200), mean=1.0, std=0.5).numpy()
    assert abs(values.mean() - 1.0) < 0.01
    assert abs(values.std() - 0.5) < 0.01


def test_xavier_uniform_bound() -> None:
    fan_in, fan_out = 300, 200
    values = init.xavier_uniform_(_big(fan_out, fan_in), gain=2.0).numpy()
    bound = 2.0 * math.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.99 * bound


def test_xavier_normal_std() -> None:
    values = init.xavier_normal_(_big(200, 300)).numpy()
    assert abs(values.std() - math.sqrt(2.0 / 500)) < 0.02 * math.sqrt(2.0 / 500)


@pytest.mark.parametrize(
    ("kwargs", "fan", "gain"),
    [
        ({}, 300, math.sqrt(2.0)),  # a=0 is passed to leaky_relu as its slope
        ({"a": math.sqrt(5)}, 300, math.sqrt(1.0 / 3.0)),
        ({"nonlinearity": "relu"}, 300, math.sqrt(2.0)),
        ({"mode": "fan_out", "nonlinearity": "relu"}, 200, math.sqrt(2.0)),
        ({"mode": "FAN_OUT", "nonlinearity": "tanh"}, 200, 5.0 / 3),
    ],
)
def test_kaiming_uniform_bound(kwargs, fan, gain) -> None:
    values = init.kaiming_uniform_(_big(200, 300), **kwargs).numpy()
    bound = gain * math.sqrt(3.0 / fan)
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.99 * bound


def test_kaiming_normal_std() -> None:
    values = init.kaiming_normal_(_big(200, 300), nonlinearity="relu").numpy()
    assert abs(values.std() - math.sqrt(2.0 / 300)) < 0.02 * math.sqrt(2.0 / 300)


def test_kaiming_on_an_empty_tensor_warns_and_does_nothing() -> None:
    for fn in (init.kaiming_uniform_, init.kaiming_normal_):
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            fn(mm.empty(0, 3))


def test_init_is_reproducible_with_manual_seed_or_a_generator() -> None:
    mm.manual_seed(5)
    a = init.normal_(mm.empty(4)).numpy().copy()
    mm.manual_seed(5)
    b = init.normal_(mm.empty(4)).numpy().copy()
    np.testing.assert_array_equal(a, b)
    c = init.uniform_(mm.empty(4), generator=np.random.default_rng(1)).numpy().copy()
    d = init.uniform_(mm.empty(4), generator=np.random.default_rng(1)).numpy().copy()
    np.testing.assert_array_equal(c, d)


@pytest.mark.parametrize(
    ("nonlinearity", "param", "gain"),
    [
        ("linear", None, 1),
        ("conv2d", None, 1),
        ("sigmoid", None, 1),
        ("tanh", None, 5.0 / 3),
        ("relu", None, math.sqrt(2.0)),
        ("leaky_relu", None, math.sqrt(2.0 / (1 + 0.01**2))),
        ("leaky_relu", 0.2, math.sqrt(2.0 / (1 + 0.2**2))),
        ("leaky_relu", 1, 1.0),
        ("selu", None, 0.75),
    ],
)
def test_calculate_gain(nonlinearity, param, gain) -> None:
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain, rel=1e-15)


def test_calculate_gain_errors() -> None:
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        init.calculate_gain("gelu")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)


def test_fan_in_and_fan_out() -> None:
    assert init._calculate_fan_in_and_fan_out(mm.empty(16, 23)) == (23, 16)
    assert init._calculate_fan_in_and_fan_out(mm.empty(8, 3, 5, 5)) == (75, 200)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(mm.empty(5))
    with pytest.raises(
        ValueError, match=re.escape("Mode fan_avg not supported, please use one of")
    ):
        init.kaiming_uniform_(mm.empty(2, 2), mode="fan_avg")
