"""SGD: argument checks, defaults, and single steps computed by hand."""

from __future__ import annotations

import numpy as np
import pytest
from optim_testing import leaf, values

from minimodel.optim import SGD


def test_defaults_are_pytorchs() -> None:
    opt = SGD([leaf([1.0])])
    assert opt.defaults == {
        "lr": 1e-3,
        "momentum": 0,
        "dampening": 0,
        "weight_decay": 0,
        "nesterov": False,
        "maximize": False,
        "foreach": None,
        "differentiable": False,
        "fused": None,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": -0.1}, "Invalid learning rate: -0.1"),
        ({"momentum": -0.5}, "Invalid momentum value: -0.5"),
        ({"weight_decay": -1}, "Invalid weight_decay value: -1"),
        ({"nesterov": True}, "Nesterov momentum requires a momentum and zero dampening"),
        (
            {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
            "Nesterov momentum requires a momentum and zero dampening",
        ),
    ],
)
def test_invalid_arguments_raise_value_error(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        SGD([leaf([1.0])], **kwargs)
    assert str(info.value) == message


def test_differentiable_is_not_supported() -> None:
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        SGD([leaf([1.0])], differentiable=True)


def test_fused_and_foreach_together_raise_runtime_error() -> None:
    with pytest.raises(RuntimeError) as info:
        SGD([leaf([1.0])], fused=True, foreach=True)
    assert str(info.value) == "`fused` and `foreach` cannot be `True` together."


def test_plain_step_subtracts_lr_times_gradient() -> None:
    w = leaf([1.0, -2.0], grad=[0.5, 4.0])
    SGD([w], lr=0.1).step()
    np.testing.assert_allclose(values(w), [1.0 - 0.05, -2.0 - 0.4], rtol=1e-6)


def test_weight_decay_adds_decay_times_weight_to_the_gradient() -> None:
    w = leaf([1.0, -2.0], grad=[0.5, 4.0])
    SGD([w], lr=0.1, weight_decay=0.5).step()
    # g = [0.5 + 0.5, 4 - 1] = [1, 3]
    np.testing.assert_allclose(values(w), [0.9, -2.3], rtol=1e-6)


def test_maximize_steps_up_the_gradient() -> None:
    w = leaf([1.0], grad=[2.0])
    SGD([w], lr=0.1, maximize=True).step()
    np.testing.assert_allclose(values(w), [1.2], rtol=1e-6)


def test_maximize_negates_the_gradient_before_weight_decay() -> None:
    w = leaf([1.0], grad=[2.0])
    SGD([w], lr=0.1, maximize=True, weight_decay=0.5).step()
    # g = -2 + 0.5 * 1 = -1.5
    np.testing.assert_allclose(values(w), [1.15], rtol=1e-6)


def test_momentum_buffer_starts_as_the_gradient_then_is_dampened() -> None:
    w = leaf([0.0], grad=[1.0])
    opt = SGD([w], lr=0.1, momentum=0.9, dampening=0.5)
    opt.step()
    # First step: buf = g = 1 (no dampening on the first step).
    np.testing.assert_allclose(values(opt.state[w]["momentum_buffer"]), [1.0])
    np.testing.assert_allclose(values(w), [-0.1], rtol=1e-6)
    w.grad = leaf([2.0]).detach()
    opt.step()
    # buf = 0.9 * 1 + (1 - 0.5) * 2 = 1.9
    np.testing.assert_allclose(values(opt.state[w]["momentum_buffer"]), [1.9], rtol=1e-6)
    np.testing.assert_allclose(values(w), [-0.1 - 0.19], rtol=1e-6)


def test_nesterov_steps_along_gradient_plus_momentum_times_buffer() -> None:
    w = leaf([0.0], grad=[1.0])
    opt = SGD([w], lr=0.1, momentum=0.9, nesterov=True)
    opt.step()
    # buf = 1; step direction = g + 0.9 * buf = 1.9
    np.testing.assert_allclose(values(w), [-0.19], rtol=1e-6)
    w.grad = leaf([2.0]).detach()
    opt.step()
    # buf = 0.9 * 1 + 2 = 2.9; direction = 2 + 0.9 * 2.9 = 4.61
    np.testing.assert_allclose(values(w), [-0.19 - 0.461], rtol=1e-6)


def test_momentum_buffer_is_a_copy_of_the_gradient() -> None:
    w = leaf([0.0], grad=[1.0])
    opt = SGD([w], lr=0.1, momentum=0.9)
    opt.step()
    w.grad.zero_()
    np.testing.assert_array_equal(values(opt.state[w]["momentum_buffer"]), [1.0])


def test_without_momentum_no_state_is_kept() -> None:
    w = leaf([0.0], grad=[1.0])
    opt = SGD([w], lr=0.1)
    opt.step()
    assert opt.state_dict()["state"] == {}


def test_step_updates_the_parameter_in_place() -> None:
    w = leaf([1.0, 2.0], grad=[1.0, 1.0])
    array = w._data
    SGD([w], lr=0.1, momentum=0.9).step()
    assert w._data is array
    assert w.dtype == w.grad.dtype


def test_float64_parameters_stay_float64() -> None:
    import minimodel as mm

    w = leaf([1.0], grad=[1.0], dtype=mm.float64)
    SGD([w], lr=0.1, momentum=0.9, weight_decay=0.1).step()
    assert w.dtype == mm.float64
    np.testing.assert_allclose(values(w), [1.0 - 0.1 * 1.1], rtol=1e-15)
