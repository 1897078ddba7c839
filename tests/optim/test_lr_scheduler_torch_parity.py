"""Learning-rate schedulers against torch.optim.lr_scheduler: 100-step sequences of learning
rates (and OneCycleLR's momenta) must be PyTorch's exactly; state dicts resume a schedule as
PyTorch's do; warnings and errors are PyTorch's."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_exception
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

STEPS = 100


def _optimizer(lib: Any, kind: str, lrs: list[float]) -> Any:
    groups = [{"params": [lib.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    if kind == "SGD":
        return lib.optim.SGD(groups, lr=lrs[0], momentum=0.9)
    return getattr(lib.optim, kind)(groups, lr=lrs[0])


def _lambda(kind: str) -> Any:
    return {"power": lambda e: 0.95**e, "warmup": lambda e: min(1.0, (e + 1) / 10)}[kind]


@st.composite
def schedules(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A scheduler's name and options (each drawn from the values the class accepts)."""
    name = draw(
        st.sampled_from(
            [
                "StepLR",
                "MultiStepLR",
                "ExponentialLR",
                "LambdaLR",
                "CosineAnnealingLR",
                "LinearLR",
                "OneCycleLR",
            ]
        )
    )
    gamma = draw(st.floats(0.1, 0.99))
    if name == "StepLR":
        return name, {"step_size": draw(st.integers(1, 30)), "gamma": gamma}
    if name == "MultiStepLR":
        milestones = draw(st.lists(st.integers(0, 110), max_size=5))
        return name, {"milestones": milestones, "gamma": gamma}
    if name == "ExponentialLR":
        return name, {"gamma": gamma}
    if name == "LambdaLR":
        return name, {"lr_lambda": draw(st.sampled_from(["power", "warmup"]))}
    if name == "CosineAnnealingLR":
        return name, {
            "T_max": draw(st.integers(1, 60)),
            "eta_min": draw(st.sampled_from([0, 1e-4])),
        }
    if name == "LinearLR":
        return name, {
            "start_factor": draw(st.floats(0.01, 1.0)),
            "end_factor": draw(st.floats(0.0, 1.0)),
            "total_iters": draw(st.integers(1, 120)),
        }
    return name, {
        "max_lr": draw(st.floats(0.01, 1.0)),
        "total_steps": STEPS + draw(st.integers(0, 20)),
        "pct_start": draw(st.floats(0.0, 1.0)),
        "anneal_strategy": draw(st.sampled_from(["cos", "linear"])),
        "three_phase": draw(st.booleans()),
        "div_factor": draw(st.sampled_from([25.0, 10.0])),
    }


def _scheduler(lib: Any, opt: Any, name: str, options: dict[str, Any]) -> Any:
    if name == "LambdaLR":
        options = {"lr_lambda": _lambda(options["lr_lambda"])}
    return getattr(lib.optim.lr_scheduler, name)(opt, **options)


def _run(lib: Any, opt: Any, scheduler: Any, steps: int) -> list[tuple]:
    """Each step's rates and momenta: what the scheduler reports and what the groups hold."""
    seen = []
    for _ in range(steps):
        opt.step()
        scheduler.step()
        groups = opt.param_groups
        momenta = [g.get("momentum", g.get("betas")) for g in groups]
        seen.append((scheduler.get_last_lr(), [g["lr"] for g in groups], momenta))
    return seen


@settings(max_examples=examples(60))
@given(
    schedule=schedules(),
    kind=st.sampled_from(["SGD", "Adam", "AdamW"]),
    lrs=st.lists(st.sampled_from([0.1, 0.05, 1e-3]), min_size=1, max_size=2),
)
def test_rates_over_100_steps_are_torchs_exactly(schedule: Any, kind: str, lrs: list) -> None:
    name, options = schedule

    def run(lib: Any) -> Any:
        opt = _optimizer(lib, kind, lrs)
        scheduler = _scheduler(lib, opt, name, options)
        first = (scheduler.get_last_lr(), [g["lr"] for g in opt.param_groups])
        steps = options.get("total_steps", STEPS + 1) - 1 if name == "OneCycleLR" else STEPS
        return first, _run(lib, opt, scheduler, steps)

    assert _outcome(run, mm) == _outcome(run, torch)


def _outcome(run: Any, lib: Any) -> Any:
    """What ``run(lib)`` returns, or the exception it raises (a degenerate schedule, such as a
    OneCycleLR whose first phase has no steps, fails alike in both libraries)."""
    try:
        return run(lib)
    except Exception as error:  # the outcome under comparison
        return type(error).__name__, str(error)


@settings(max_examples=examples(30))
@given(schedule=schedules(), split=st.integers(1, 60))
def test_a_loaded_state_dict_resumes_the_schedule_as_torchs(schedule: Any, split: int) -> None:
    name, options = schedule

    def run(lib: Any) -> Any:
        opt = _optimizer(lib, "SGD", [0.1])
        scheduler = _scheduler(lib, opt, name, options)
        total = options.get("total_steps", STEPS + 1) - 1 if name == "OneCycleLR" else STEPS
        before = _run(lib, opt, scheduler, split)
        state, opt_state = scheduler.state_dict(), opt.state_dict()
        opt2 = _optimizer(lib, "SGD", [0.1])
        resumed = _scheduler(lib, opt2, name, options)
        opt2.load_state_dict(opt_state)
        resumed.load_state_dict(state)
        return before, _run(lib, opt2, resumed, total - split), _comparable(state)

    assert _outcome(run, mm) == _outcome(run, torch)


def _comparable(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k != "lr_lambdas"}


def _warnings_of(fn: Any) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught]


def _order(lib: Any, first: str) -> Any:
    def run() -> None:
        opt = _optimizer(lib, "SGD", [0.1])
        scheduler = lib.optim.lr_scheduler.StepLR(opt, 1)
        for _ in range(2):
            if first == "scheduler":
                scheduler.step()
                opt.step()
            else:
                opt.step()
                scheduler.step()

    return run


@pytest.mark.parametrize("first", ["scheduler", "optimizer"])
def test_stepping_the_scheduler_first_warns_as_torch(first: str) -> None:
    ours, theirs = _warnings_of(_order(mm, first)), _warnings_of(_order(torch, first))
    assert ours == theirs
    assert bool(ours) == (first == "scheduler")


def _misuse(lib: Any, how: str) -> Any:
    def run() -> None:
        opt = _optimizer(lib, "SGD", [0.1])
        scheduler = lib.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        opt.step()
        if how == "epoch":
            scheduler.step(3)
        else:
            scheduler.get_lr()

    return run


@pytest.mark.parametrize("how", ["epoch", "get_lr"])
def test_deprecated_uses_warn_as_torch(how: str) -> None:
    ours, theirs = _warnings_of(_misuse(mm, how)), _warnings_of(_misuse(torch, how))
    assert ours == theirs and ours


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR"])
def test_stepping_to_an_epoch_uses_the_closed_form_as_torch(name: str) -> None:
    options = {
        "StepLR": {"step_size": 3},
        "MultiStepLR": {"milestones": [2, 5, 5]},
        "ExponentialLR": {"gamma": 0.7},
        "CosineAnnealingLR": {"T_max": 7},
    }[name]
    runs = []
    for lib in (mm, torch):
        opt = _optimizer(lib, "SGD", [0.1])
        scheduler = getattr(lib.optim.lr_scheduler, name)(opt, **options)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rates = []
            for epoch in [4, 9, 2, 13]:
                opt.step()
                scheduler.step(epoch)
                rates.append(scheduler.get_last_lr())
        runs.append(rates)
    assert runs[0] == runs[1]


ERRORS = [
    ("LinearLR", {"start_factor": 0}),
    ("LinearLR", {"start_factor": 1.5}),
    ("LinearLR", {"end_factor": -0.1}),
    ("OneCycleLR", {"max_lr": 1.0}),
    ("OneCycleLR", {"max_lr": 1.0, "total_steps": 0}),
    ("OneCycleLR", {"max_lr": 1.0, "epochs": 0, "steps_per_epoch": 3}),
    ("OneCycleLR", {"max_lr": 1.0, "epochs": 2, "steps_per_epoch": 1.5}),
    ("OneCycleLR", {"max_lr": 1.0, "total_steps": 5, "pct_start": 1}),
    ("OneCycleLR", {"max_lr": 1.0, "total_steps": 5, "anneal_strategy": "exp"}),
    ("OneCycleLR", {"max_lr": [1.0, 2.0], "total_steps": 5}),
    ("LambdaLR", {"lr_lambda": [lambda e: 1.0, lambda e: 1.0]}),
    ("StepLR", {"step_size": 2, "last_epoch": 3}),
]


@pytest.mark.parametrize(("name", "options"), ERRORS, ids=str)
def test_bad_options_raise_torchs_error(name: str, options: dict[str, Any]) -> None:
    assert_same_exception(
        lambda: getattr(mm.optim.lr_scheduler, name)(_optimizer(mm, "SGD", [0.1]), **options),
        lambda: getattr(torch.optim.lr_scheduler, name)(_optimizer(torch, "SGD", [0.1]), **options),
    )


def test_one_cycle_without_momentum_and_past_its_end_raise_torchs_errors() -> None:
    def no_momentum(lib: Any) -> Any:
        opt = lib.optim.Optimizer([lib.zeros(1, requires_grad=True)], {"lr": 0.1})
        return lambda: lib.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=3)

    def past_end(lib: Any) -> Any:
        def run() -> None:
            opt = _optimizer(lib, "SGD", [0.1])
            scheduler = lib.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=3)
            for _ in range(4):
                opt.step()
                scheduler.step()

        return run

    assert_same_exception(no_momentum(mm), no_momentum(torch))
    assert_same_exception(past_end(mm), past_end(torch))


def test_a_scheduler_needs_an_optimizer_as_torch() -> None:
    assert_same_exception(
        lambda: mm.optim.lr_scheduler.StepLR("sgd", 1),
        lambda: torch.optim.lr_scheduler.StepLR("sgd", 1),
    )


def test_lambda_state_dict_keeps_callable_objects_state_as_torch() -> None:
    class Decay:
        def __init__(self) -> None:
            self.rate = 0.5

        def __call__(self, epoch: int) -> float:
            return self.rate**epoch

    states = []
    for lib in (mm, torch):
        opt = _optimizer(lib, "SGD", [0.1, 0.2])
        scheduler = lib.optim.lr_scheduler.LambdaLR(opt, [Decay(), lambda e: 1.0])
        states.append(scheduler.state_dict()["lr_lambdas"])
    assert states[0] == states[1] == [{"rate": 0.5}, None]


def test_training_with_adamw_and_a_scheduler_follows_torch() -> None:
    """The rates the scheduler sets are the rates the optimizer steps with."""
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((16, 3)).astype(np.float32), rng.standard_normal(16)

    def run(lib: Any) -> list[float]:
        w = lib.tensor(np.ones(3, dtype=np.float32), requires_grad=True)
        opt = lib.optim.AdamW([w], lr=0.1)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
        data, target = lib.tensor(x), lib.tensor(y.astype(np.float32))
        losses = []
        for _ in range(30):
            opt.zero_grad()
            loss = ((data @ w - target) ** 2).mean()
            loss.backward()
            opt.step()
            scheduler.step()
            losses.append(loss.item())
        return losses

    np.testing.assert_allclose(run(mm), run(torch), rtol=1e-5)
