"""nn.init against torch.nn.init: gains, fans, errors, and the distributions' bounds."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from nn_testing import assert_same_error, values
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [
        ("linear", None),
        ("conv1d", None),
        ("conv_transpose3d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("leaky_relu", 3),
        ("selu", None),
    ],
)
def test_calculate_gain_matches_torch(nonlinearity, param) -> None:
    mine = mm.nn.init.calculate_gain(nonlinearity, param)
    theirs = torch.nn.init.calculate_gain(nonlinearity, param)
    assert mine == theirs and type(mine) is type(theirs)


@pytest.mark.parametrize("shape", [(16, 23), (5, 16), (8, 3, 5, 5), (2, 3, 4)])
def test_fan_in_and_fan_out_match_torch(shape) -> None:
    mine = mm.nn.init._calculate_fan_in_and_fan_out(mm.empty(*shape))
    theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    assert mine == theirs


ERRORS = {
    "gain_unknown": lambda lib: lib.nn.init.calculate_gain("gelu"),
    "gain_bad_slope": lambda lib: lib.nn.init.calculate_gain("leaky_relu", "x"),
    "gain_bool_slope": lambda lib: lib.nn.init.calculate_gain("leaky_relu", True),
    "fan_vector": lambda lib: lib.nn.init.xavier_uniform_(lib.empty(5)),
    "kaiming_vector": lambda lib: lib.nn.init.kaiming_normal_(lib.empty(5)),
    "kaiming_mode": lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(2, 2), mode="fan_avg"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_init_errors_match_torch(case) -> None:
    assert_same_error(lambda: ERRORS[case](mm), lambda: ERRORS[case](torch))


def _uniform_bound(lib: Any, fn: str, **kwargs: Any) -> float:
    t = lib.empty(300, 400)
    getattr(lib.nn.init, fn)(t, **kwargs)
    return float(np.abs(values(t)).max())


@pytest.mark.parametrize(
    ("fn", "kwargs"),
    [
        ("uniform_", {"a": -0.3, "b": 0.3}),
        ("xavier_uniform_", {}),
        ("xavier_uniform_", {"gain": 2.0}),
        ("kaiming_uniform_", {}),
        ("kaiming_uniform_", {"a": math.sqrt(5)}),
        ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
    ],
)
def test_uniform_inits_reach_the_same_bound_as_torch(fn, kwargs) -> None:
    # Different generators: 120000 draws reach within 0.1% of the bound in both libraries.
    mine, theirs = _uniform_bound(mm, fn, **kwargs), _uniform_bound(torch, fn, **kwargs)
    assert mine == pytest.approx(theirs, rel=2e-3)


def _std(lib: Any, fn: str, **kwargs: Any) -> float:
    t = lib.empty(300, 400)
    getattr(lib.nn.init, fn)(t, **kwargs)
    return float(values(t).std())


@pytest.mark.parametrize(
    ("fn", "kwargs"),
    [
        ("normal_", {"std": 0.02}),
        ("xavier_normal_", {}),
        ("kaiming_normal_", {"nonlinearity": "relu"}),
        ("kaiming_normal_", {"mode": "fan_out"}),
    ],
)
def test_normal_inits_have_the_same_std_as_torch(fn, kwargs) -> None:
    assert _std(mm, fn, **kwargs) == pytest.approx(_std(torch, fn, **kwargs), rel=0.02)


@pytest.mark.parametrize(("fn", "value"), [("zeros_", 0.0), ("ones_", 1.0)])
def test_constant_inits_match_torch(fn, value) -> None:
    mine, theirs = mm.empty(2, 3), torch.empty(2, 3)
    getattr(mm.nn.init, fn)(mine)
    getattr(torch.nn.init, fn)(theirs)
    np.testing.assert_array_equal(values(mine), values(theirs))
    assert (values(mm.nn.init.constant_(mm.empty(2), value)) == value).all()
