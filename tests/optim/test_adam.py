"""Adam: argument checks, defaults, state, and steps computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from optim_testing import leaf, values

import minimodel as mm
from minimodel.optim import Adam


def test_defaults_are_pytorchs() -> None:
    assert Adam([leaf([1.0])]).defaults == {
        "lr": 1e-3,
        "betas": (0.9, 0.999),
        "eps": 1e-8,
        "weight_decay": 0,
        "amsgrad": False,
        "maximize": False,
        "foreach": None,
        "capturable": False,
        "differentiable": False,
        "fused": None,
        "decoupled_weight_decay": False,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": -0.1}, "Invalid learning rate: -0.1"),
        ({"eps": -1e-8}, "Invalid epsilon value: -1e-08"),
        ({"betas": (1.0, 0.999)}, "Invalid beta parameter at index 0: 1.0"),
        ({"betas": (-0.1, 0.999)}, "Invalid beta parameter at index 0: -0.1"),
        ({"betas": (0.9, 1.5)}, "Invalid beta parameter at index 1: 1.5"),
        ({"weight_decay": -0.5}, "Invalid weight_decay value: -0.5"),
        ({"betas": (0, 0.999)}, "betas must be either both floats or both Tensors"),
    ],
)
def test_invalid_arguments_raise_value_error(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        Adam([leaf([1.0])], **kwargs)
    assert str(info.value) == message


def test_one_element_tensor_betas_are_kept_as_0d_tensors() -> None:
    # PyTorch's _to_scalar: the step computes with them as numbers of their dtype.
    betas = Adam([leaf([1.0])], betas=(mm.tensor([0.9]), mm.tensor([0.999]))).defaults["betas"]
    assert [(type(b), b.shape, b.dtype) for b in betas] == [(mm.Tensor, (), mm.float32)] * 2


@pytest.mark.parametrize("flag", ["differentiable", "capturable"])
def test_unsupported_flags_raise_not_implemented_error(flag: str) -> None:
    with pytest.raises(NotImplementedError, match=flag):
        Adam([leaf([1.0])], **{flag: True})


def test_first_step_moves_each_weight_by_about_lr_against_its_gradient() -> None:
    # After bias correction m_hat = g and v_hat = g * g, so the step is lr * g / (|g| + eps).
    w = leaf([1.0, -2.0, 3.0], grad=[0.5, -4.0, 1e-3])
    Adam([w], lr=0.1, eps=1e-3).step()
    expected = [1.0 - 0.1 * 0.5 / 0.501, -2.0 + 0.1 * 4 / 4.001, 3.0 - 0.1 * 1e-3 / 2e-3]
    np.testing.assert_allclose(values(w), expected, rtol=1e-6)


def _reference_adam(w, grads, lr, beta1, beta2, eps, weight_decay=0.0, amsgrad=False):
    """Adam written out in float64 from the paper's formulas, for two-step checks."""
    m = v = v_max = 0.0
    w = np.float64(w)
    for t, g in enumerate(grads, start=1):
        g = g + weight_decay * w
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        m_hat = m / (1 - beta1**t)
        v_hat = (v_max if amsgrad else v) / (1 - beta2**t)
        w = w - lr * m_hat / (math.sqrt(v_hat) + eps)
    return w


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_two_steps_follow_the_adam_formulas(amsgrad: bool, weight_decay: float) -> None:
    grads = [2.0, 0.5]  # a large then a small gradient, so amsgrad keeps the larger v
    w = leaf([1.0], grad=[grads[0]])
    opt = Adam([w], lr=0.1, betas=(0.8, 0.9), eps=1e-4, weight_decay=weight_decay, amsgrad=amsgrad)
    opt.step()
    w.grad = mm.tensor([grads[1]])
    opt.step()
    expected = _reference_adam(1.0, grads, 0.1, 0.8, 0.9, 1e-4, weight_decay, amsgrad)
    np.testing.assert_allclose(values(w), [expected], rtol=1e-6)


def test_amsgrad_gives_a_smaller_second_step_after_a_large_gradient() -> None:
    moved = []
    for amsgrad in (False, True):
        w = leaf([0.0], grad=[10.0])
        opt = Adam([w], lr=0.1, amsgrad=amsgrad)
        opt.step()
        w.grad = mm.tensor([0.1])
        before = values(w).copy()
        opt.step()
        moved.append(abs(values(w) - before)[0])
    assert moved[1] < moved[0]


def test_maximize_steps_up_the_gradient() -> None:
    w = leaf([1.0], grad=[2.0])
    Adam([w], lr=0.1, maximize=True).step()
    np.testing.assert_allclose(values(w), [1.1], rtol=1e-6)


def test_decoupled_weight_decay_shrinks_the_weight_outside_the_moments() -> None:
    w = leaf([2.0], grad=[1.0])
    opt = Adam([w], lr=0.1, weight_decay=0.5, decoupled_weight_decay=True)
    opt.step()
    # w * (1 - lr * wd) = 2 * 0.95 = 1.9, then the Adam step of about lr.
    np.testing.assert_allclose(values(w), [1.9 - 0.1 * 1 / (1 + 1e-8)], rtol=1e-6)
    np.testing.assert_allclose(values(opt.state[w]["exp_avg"]), [0.1], rtol=1e-6)


def test_state_holds_pytorchs_keys_and_a_float32_step_count() -> None:
    w, v = leaf([1.0, 2.0], grad=[1.0, 1.0]), leaf([1.0], grad=[1.0])
    opt = Adam([{"params": [w]}, {"params": [v], "amsgrad": True}])
    opt.step()
    opt.step()
    assert list(opt.state[w]) == ["step", "exp_avg", "exp_avg_sq"]
    assert list(opt.state[v]) == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
    step = opt.state[w]["step"]
    assert step.shape == () and step.dtype == mm.float32 and step.item() == 2.0
    assert opt.state[w]["exp_avg"].shape == w.shape


def test_float64_parameters_keep_float64_state() -> None:
    w = leaf([1.0], grad=[1.0], dtype=mm.float64)
    opt = Adam([w], lr=0.1)
    opt.step()
    assert w.dtype == mm.float64 and opt.state[w]["exp_avg_sq"].dtype == mm.float64
