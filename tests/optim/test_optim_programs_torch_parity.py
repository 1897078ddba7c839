"""Random optimizer programs against torch.optim: what a training script does between steps.

A program picks an optimizer with random options (some of them, the learning rate among them,
held in tensors), float32 or float64 parameters, and a first group that may list a parameter
twice (PyTorch warns, then steps it twice); then it runs a random sequence of: gradients set on
some parameters only (others keep theirs or have none, and one may overflow to inf or nan),
``step``, ``zero_grad`` with and without ``set_to_none``, a changed option in a group (the
learning rate, or one that needs state the earlier steps did not make, such as ``amsgrad`` or
``centered`` turned on: PyTorch's step raises a ``KeyError`` and leaves that group as it was),
``add_param_group`` with its own options, and a state dict moved into a fresh optimizer. After
every step both libraries must agree on the step's error, every parameter and every state entry.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

SHAPES = [(2, 3), (3,), ()]
ACTIONS = ["grad", "step", "step", "zero_grad", "set_option", "add_group", "reload"]
_RATES = st.sampled_from([1e-3, 0.01, 0.1, 0.5])
# Options a script may change between steps, with values each optimizer accepts.
_OPTION_CHANGES = {
    "SGD": {"momentum": [0, 0.5], "weight_decay": [0, 0.2], "maximize": [False, True]},
    "Adam": {
        "amsgrad": [False, True],
        "betas": [(0.9, 0.999), (0.5, 0.6)],
        "weight_decay": [0, 0.2],
    },
    "RMSprop": {"momentum": [0, 0.5], "centered": [False, True], "alpha": [0.99, 0.5]},
}
_OPTION_CHANGES["AdamW"] = _OPTION_CHANGES["Adam"]
_TENSOR_OPTIONS = {
    "SGD": {"momentum", "dampening", "weight_decay"},
    "Adam": {"eps", "weight_decay"},
    "AdamW": {"eps", "weight_decay"},
    "RMSprop": {"alpha", "eps", "momentum", "weight_decay"},
}


@st.composite
def _optimizer(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """An optimizer name and a valid set of its options."""
    name = draw(st.sampled_from(["SGD", "Adam", "AdamW", "RMSprop"]))
    options: dict[str, Any] = {
        "lr": draw(_RATES),
        "weight_decay": draw(st.sampled_from([0, 0.1])),
        "maximize": draw(st.booleans()),
    }
    if name == "SGD":
        momentum = draw(st.sampled_from([0, 0.9]))
        dampening = draw(st.sampled_from([0, 0.5]))
        nesterov = momentum > 0 and dampening == 0 and draw(st.booleans())
        options |= {"momentum": momentum, "dampening": dampening, "nesterov": nesterov}
    elif name in ("Adam", "AdamW"):
        options["betas"] = draw(st.sampled_from([(0.9, 0.999), (0.3, 0.9)]))
        options["amsgrad"] = draw(st.booleans())
        options["eps"] = draw(st.sampled_from([1e-8, 1e-3]))
    else:
        options["momentum"] = draw(st.sampled_from([0, 0.9]))
        options["centered"] = draw(st.booleans())
        options["alpha"] = draw(st.sampled_from([0.99, 0.3]))
    return name, options


@st.composite
def _program(draw: st.DrawFn) -> dict[str, Any]:
    name, options = draw(_optimizer())
    setup = {
        "dtype": draw(st.sampled_from(["float32", "float64"])),
        "lr_dtype": draw(st.sampled_from([None, "float32", "float64"])),
        # Other numbers held in float32 tensors, which PyTorch computes with in float32.
        "tensor_options": draw(
            st.lists(st.sampled_from(sorted(_TENSOR_OPTIONS[name] & options.keys())), unique=True)
        ),
        # Betas in float32 tensors make Adam's bias corrections float32 numbers, whose square
        # root PyTorch's kernel rounds its own way (not always to nearest): float32 runs only.
        "tensor_betas": name.startswith("Adam") and draw(st.booleans()),
        # Not for centered RMSprop: a parameter stepped twice with one gradient cancels its
        # variance estimate to nothing, blowing the last-bit differences up (see Run.apply).
        "duplicate": not options.get("centered") and draw(st.booleans()),
    }
    steps = []
    for _ in range(draw(st.integers(min_value=1, max_value=10))):
        action = draw(st.sampled_from(ACTIONS))
        step: dict[str, Any] = {"action": action}
        if action in ("grad", "step"):
            step["which"] = draw(st.lists(st.sampled_from(range(len(SHAPES))), min_size=1))
            step["seed"] = draw(st.integers(min_value=0, max_value=2**16))
            # Now and then an overflowed gradient: inf, -inf or nan in one element.
            step["nonfinite"] = draw(st.sampled_from([None] * 6 + [np.inf, -np.inf, np.nan]))
        elif action == "zero_grad":
            step["set_to_none"] = draw(st.booleans())
        elif action == "set_option":
            step["group"] = draw(st.integers(min_value=0, max_value=1))
            key = draw(st.sampled_from(["lr", *_OPTION_CHANGES[name]]))
            values = _OPTION_CHANGES[name].get(key)
            step["option"] = (key, draw(_RATES if values is None else st.sampled_from(values)))
        elif action == "add_group":
            step["lr"] = draw(_RATES)
        steps.append(step)
    return {"name": name, "options": options, "setup": setup, "steps": steps}


class Run:
    """One library's side of a program: its parameters and its optimizer."""

    def __init__(self, lib: Any, name: str, options: dict[str, Any], setup: dict[str, Any]):
        self.lib, self.name, self.dtype = lib, name, setup["dtype"]
        self.actions = 0
        rng = np.random.default_rng(1)
        self.params = [
            lib.tensor(rng.standard_normal(s).astype(self.dtype), requires_grad=True)
            for s in SHAPES
        ]
        if setup["lr_dtype"] is not None:
            # A tensor learning rate: PyTorch computes Adam's step size in its dtype.
            options = options | {
                "lr": lib.tensor(options["lr"], dtype=getattr(lib, setup["lr_dtype"]))
            }
        for key in setup["tensor_options"]:
            options = options | {key: lib.tensor(float(options[key]))}
        if setup["tensor_betas"] and self.dtype == "float32":
            options = options | {"betas": tuple(lib.tensor(b) for b in options["betas"])}
        self.options = options
        # The last parameter waits for add_param_group; the first may be listed twice.
        first = self.params[:2] + self.params[:1] if setup["duplicate"] else self.params[:2]
        self.opt = getattr(lib.optim, name)(first, **options)

    def apply(self, step: dict[str, Any]) -> None:
        action, lib = step["action"], self.lib
        self.actions += 1
        centered = any(group.get("centered") for group in self.opt.param_groups)
        if action == "grad" or (action == "step" and centered):
            # Centered RMSprop estimates a variance as E[g²] - E[g]², which cancels to nothing
            # when one gradient repeats; PyTorch's fused multiply-add rounds it once where
            # NumPy rounds twice (README), and the cancellation blows that last bit up to any
            # size. Real gradients change every step: so do these, before each of its steps,
            # every gradient there is (seeded by the action's place too, so equal seeds differ).
            rng = np.random.default_rng([step["seed"], self.actions])
            which = set(step["which"])
            if action == "step":
                which |= {k for k, p in enumerate(self.params) if p.grad is not None}
            for k in sorted(which):
                grad = rng.standard_normal(SHAPES[k]).astype(self.dtype)
                if step["nonfinite"] is not None:
                    grad.reshape(-1)[0] = step["nonfinite"]
                self.params[k].grad = lib.tensor(grad)
        if action == "step":
            self.opt.step()
        elif action == "zero_grad":
            self.opt.zero_grad(set_to_none=step["set_to_none"])
        elif action == "set_option":
            key, value = step["option"]
            self.opt.param_groups[step["group"]][key] = value
        elif action == "add_group":
            self.opt.add_param_group({"params": [self.params[2]], "lr": step["lr"]})
        elif action == "reload":
            fresh = getattr(lib.optim, self.name)(
                self.opt.param_groups[0]["params"], **self.options
            )
            for group in self.opt.param_groups[1:]:
                fresh.add_param_group({"params": group["params"]})
            fresh.load_state_dict(self.opt.state_dict())
            self.opt = fresh

    def report(self) -> dict[str, Any]:
        """Parameters, gradients, groups' options and every state entry, as plain values."""
        state = self.opt.state_dict()
        return {
            "params": [p.detach().numpy().copy() for p in self.params],
            "grads": [None if p.grad is None else p.grad.numpy().copy() for p in self.params],
            "groups": [
                {k: _plain(v) for k, v in g.items() if k != "params"} | {"params": g["params"]}
                for g in state["param_groups"]
            ],
            "state": {
                index: {k: _plain(v) for k, v in entry.items()}
                for index, entry in state["state"].items()
            },
        }


def _plain(value: Any) -> Any:
    if hasattr(value, "detach"):
        return ("tensor", value.detach().numpy().astype(np.float64).tolist())
    if isinstance(value, tuple):  # betas
        return tuple(_plain(v) for v in value)
    return value


def _assert_same_report(
    mine: dict[str, Any], theirs: dict[str, Any], where: str, ill_conditioned: bool
) -> None:
    # float32: PyTorch's fused multiply-adds round once where NumPy rounds twice (README).
    tight = mine["params"][0].dtype == np.float64
    rtol, atol = (1e-12, 1e-13) if tight else (1e-5, 1e-6)
    if ill_conditioned:
        # Centered RMSprop with a small alpha divides by sqrt(E[g²] - E[g]²) of few gradients,
        # which can nearly cancel even when they differ: the last-bit differences of fused
        # multiply-adds (README) grow there, as in test_optim_torch_parity.py.
        rtol, atol = rtol * 10, atol * 50
    for a, b in zip(mine["params"], theirs["params"], strict=True):
        assert a.dtype == b.dtype, where
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=where)
    for a, b in zip(mine["grads"], theirs["grads"], strict=True):
        assert (a is None) == (b is None), where
        if a is not None:
            np.testing.assert_array_equal(a, b, err_msg=where)
    assert mine["groups"] == theirs["groups"], where
    assert mine["state"].keys() == theirs["state"].keys(), where
    for index, entry in mine["state"].items():
        assert entry.keys() == theirs["state"][index].keys(), where
        for key, value in entry.items():
            their_value = theirs["state"][index][key]
            assert type(value) is type(their_value), where
            if isinstance(value, tuple):  # a tensor, as ("tensor", values)
                value, their_value = np.array(value[1]), np.array(their_value[1])
            np.testing.assert_allclose(value, their_value, rtol=rtol, atol=atol, err_msg=where)


@settings(max_examples=examples(100), deadline=None)
@given(program=_program())
def test_optimizer_programs_match_torch(program: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicate parameter warns: the steps are compared
        mine = Run(mm, program["name"], program["options"], program["setup"])
        theirs = Run(torch, program["name"], program["options"], program["setup"])
    for k, step in enumerate(program["steps"]):
        where = f"{program['name']}({program['options']}), {program['setup']}, step {k}: {step}"
        a, b = outcome(lambda step=step: mine.apply(step)), outcome(lambda s=step: theirs.apply(s))
        assert a[0] == b[0], f"{where}: {a} vs {b}"
        if a[0] == "raise":
            assert_same_error(a[1], b[1])
        ill_conditioned = any(
            g.get("centered") and float(g["alpha"]) < 0.5 for g in mine.opt.param_groups
        )
        _assert_same_report(mine.report(), theirs.report(), where, ill_conditioned)
