"""The one-pass Adam step over a whole group (minimodel/optim/_flat.py) changes no number."""

from __future__ import annotations

import numpy as np
import pytest

import minimodel as mm
from minimodel.optim import adam

CONFIGS = [
    {},
    {"amsgrad": True},
    {"weight_decay": 0.1},
    {"weight_decay": 0.1, "decoupled_weight_decay": True},
    {"maximize": True},
]


def _params(seed: int = 0) -> list[mm.Tensor]:
    rng = np.random.default_rng(seed)
    shapes = [(4, 3), (4,), (2, 4), (2,)]
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    return [mm.tensor(a, requires_grad=True) for a in arrays]


def _train(params, optimizer, steps: int, skip_last_at: int | None = None) -> None:
    rng = np.random.default_rng(1)
    for step in range(steps):
        optimizer.zero_grad()
        for i, p in enumerate(params):
            if i == len(params) - 1 and step == skip_last_at:
                continue  # this parameter gets no gradient: its step count falls behind
            p.grad = mm.tensor(rng.standard_normal(p.shape).astype(np.float32))
        optimizer.step()


def _run(config: dict, monkeypatch, one_pass: bool, **train_kwargs) -> list[np.ndarray]:
    with monkeypatch.context() as m:
        if not one_pass:
            m.setattr(adam, "flat_state", lambda *args: None)
        params = _params()
        optimizer = mm.optim.Adam(params, lr=0.05, **config)
        _train(params, optimizer, 6, **train_kwargs)
    assert bool(optimizer.__dict__.get("_flat_cache")) == one_pass  # the path under test ran
    return [p.detach().numpy() for p in params]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "default")
def test_one_pass_matches_per_parameter_steps_bit_for_bit(config, monkeypatch):
    fast = _run(config, monkeypatch, one_pass=True)
    slow = _run(config, monkeypatch, one_pass=False)
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(a, b)


def test_parameters_at_different_steps_still_match(monkeypatch):
    fast = _run({}, monkeypatch, one_pass=True, skip_last_at=2)
    slow = _run({}, monkeypatch, one_pass=False, skip_last_at=2)
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(a, b)


def test_state_tensors_stay_the_same_objects_and_follow_the_steps():
    params = _params()
    optimizer = mm.optim.Adam(params, lr=0.05)
    _train(params, optimizer, 1)
    exp_avg = optimizer.state[params[0]]["exp_avg"]
    before = exp_avg.detach().numpy().copy()
    _train(params, optimizer, 1)
    assert optimizer.state[params[0]]["exp_avg"] is exp_avg
    assert not np.array_equal(exp_avg.numpy(), before)


def test_loading_a_state_dict_midway_continues_as_without_the_load():
    params = _params()
    optimizer = mm.optim.Adam(params, lr=0.05)
    _train(params, optimizer, 3)
    twins = [p.detach().clone().requires_grad_() for p in params]
    twin_optimizer = mm.optim.Adam(twins, lr=0.05)
    twin_optimizer.load_state_dict(optimizer.state_dict())
    _train(params, optimizer, 3)
    _train(twins, twin_optimizer, 3)
    for a, b in zip(params, twins, strict=True):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_a_float64_gradient_on_a_float32_parameter_matches_per_parameter_steps(monkeypatch):
    def run(one_pass: bool) -> list[np.ndarray]:
        with monkeypatch.context() as m:
            if not one_pass:
                m.setattr(adam, "flat_state", lambda *args: None)
            params = _params()
            optimizer = mm.optim.Adam(params, lr=0.05)
            for _ in range(3):
                for p in params:
                    p.grad = mm.ones(p.shape)
                # Assigning .grad checks its dtype (as in PyTorch); .data does not.
                params[0].grad.data = mm.ones(params[0].shape, dtype=mm.float64) / 3
                optimizer.step()
        return [p.detach().numpy() for p in params]

    for a, b in zip(run(True), run(False), strict=True):
        np.testing.assert_array_equal(a, b)
