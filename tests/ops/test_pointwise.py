"""Tests of minimodel/ops/pointwise.py: exp, log, tanh, relu, clamp, ... and their edge values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from gradcheck import gradient_test

import minimodel as mm

test_gradient_matches_finite_differences = gradient_test("pointwise")


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("exp", np.exp),
        ("log", np.log),
        ("sqrt", np.sqrt),
        ("sin", np.sin),
        ("cos", np.cos),
        ("tanh", np.tanh),
        ("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    ],
)
def test_float_functions_of_integers_give_float32(name: str, reference) -> None:
    out = getattr(mm.tensor([1, 2]), name)()
    assert out.dtype is mm.float32
    assert np.allclose(out.numpy(), reference(np.array([1.0, 2.0])))


def test_relu_and_abs_of_integers_stay_integers() -> None:
    assert mm.tensor([-2, 3]).relu().tolist() == [0, 3]
    assert mm.tensor([-2, 3]).abs().dtype is mm.int64


# pytest resets the warning filter minimodel installs on import; see
# tests/test_tensor.py::test_numpy_floating_point_warnings_are_silenced_in_scripts.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_out_of_domain_values_give_nan_and_inf() -> None:
    logs = mm.tensor([0.0, -1.0]).log().tolist()
    roots = mm.tensor([-1.0]).sqrt().tolist()
    big = mm.tensor([1000.0]).exp().tolist()
    assert logs[0] == -np.inf and np.isnan(logs[1])
    assert np.isnan(roots[0])
    assert big == [np.inf]


def test_sigmoid_is_stable_for_large_inputs() -> None:
    x = mm.tensor([-1e4, -50.0, 0.0, 50.0, 1e4], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow in exp would raise
        y = x.sigmoid()
        y.sum().backward()
    assert y.tolist()[0] == 0.0 and y.tolist()[2] == 0.5 and y.tolist()[4] == 1.0
    assert y.tolist()[1] > 0  # tiny but not rounded to zero
    assert np.all(np.isfinite(x.grad.numpy()))


def test_relu_and_abs_gradients_at_zero_are_zero() -> None:
    x = mm.zeros(2, requires_grad=True)
    (x.relu() + x.abs()).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_clamp_gradient_passes_at_the_bounds_and_stops_outside() -> None:
    x = mm.tensor([-2.0, -1.0, 0.0, 1.0, 2.0], requires_grad=True)
    x.clamp(-1.0, 1.0).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_clamp_with_min_above_max_gives_max() -> None:
    assert mm.tensor([0.0, 5.0]).clamp(min=3.0, max=1.0).tolist() == [1.0, 1.0]


def test_clamp_needs_a_bound() -> None:
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        mm.ones(2).clamp()


def test_functions_module_and_methods_agree() -> None:
    x = mm.tensor([0.3, -0.7])
    for name in ["exp", "sin", "cos", "tanh", "sigmoid", "relu", "abs"]:
        assert getattr(mm, name)(x).tolist() == getattr(x, name)().tolist()
