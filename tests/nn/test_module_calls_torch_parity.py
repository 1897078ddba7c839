"""Module methods called with generated arguments against torch.nn.Module.

Each case builds the same small model in both libraries (a Linear, a Parameter of its own, a
ReLU), then makes a few calls drawn from ``to`` (dtypes, devices, tensors, ``non_blocking``,
``copy``, ``memory_format``), ``requires_grad_``, ``train`` and ``eval``, ``zero_grad``,
``state_dict`` (``prefix``, ``keep_vars``) and ``load_state_dict`` (``strict``, ``assign``, entries
of other dtypes and shapes, requiring grad, missing or unexpected), with arguments of the right and
the wrong types. After each call both must agree on its result or error and on the model: its
parameters' names, dtypes, shapes, values, ``requires_grad`` and ``is_leaf``, and ``training``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_testing import normalize
from torch_compare import outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

BOOLS = [True, False, 0, 1, None, "yes"]
DTYPES = ["float64", "float32", "float16", "int64"]
ENTRIES = [
    "same",
    "float64",
    "int64",
    "int64 parameter",
    "wrong shape",
    "0-d",
    "requires grad",
    "extra",
    "drop",
]
CALLS = {
    "to": st.fixed_dictionaries(
        {},
        optional={
            "dtype": st.sampled_from(DTYPES),
            # ("cuda" raises minimodel's one CPU-only error: a documented difference)
            "device": st.sampled_from(["cpu", "cpu:0"]),
            "non_blocking": st.sampled_from([True, False]),
            "copy": st.sampled_from([True, False]),
            "memory_format": st.just(None),
        },
    ),
    "to_positional": st.sampled_from([*DTYPES, "cpu", "tensor"]),
    "requires_grad_": st.sampled_from(BOOLS),
    "train": st.sampled_from(BOOLS),
    "eval": st.none(),
    "zero_grad": st.sampled_from([True, False]),
    "state_dict": st.tuples(st.sampled_from(["", "m."]), st.booleans()),
    "load_state_dict": st.tuples(
        st.sampled_from(ENTRIES), st.sampled_from([True, False]), st.booleans()
    ),
}


def _model(lib: Any) -> Any:
    class Model(lib.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = lib.nn.Linear(2, 3)
            self.scale = lib.nn.Parameter(lib.tensor([0.5, -1.0]))
            self.act = lib.nn.ReLU()

    model = Model()
    with lib.no_grad():
        model.fc.weight.copy_(lib.tensor(np.arange(6.0).reshape(3, 2) / 7))
        model.fc.bias.fill_(0.25)
    return model


def _entries(lib: Any, model: Any, kind: str) -> dict[str, Any]:
    state = {k: v.detach().clone() + 1 for k, v in model.state_dict().items()}
    if kind == "float64":
        state["scale"] = state["scale"].double()
    elif kind == "int64":
        state["scale"] = lib.tensor([3, 4])
    elif kind == "int64 parameter":
        state["scale"] = lib.nn.Parameter(lib.tensor([3, 4]), requires_grad=False)
    elif kind == "wrong shape":
        state["fc.bias"] = lib.zeros(2)
    elif kind == "0-d":
        state["fc.bias"] = lib.tensor(2.0)
    elif kind == "requires grad":
        state["scale"] = lib.tensor([1.0, 2.0], requires_grad=True)
    elif kind == "extra":
        state["fc.extra"] = lib.ones(1)
    elif kind == "drop":
        del state["fc.weight"]
    return state


def _call(lib: Any, model: Any, name: str, arg: Any) -> Any:
    if name == "to":
        kwargs = dict(arg)
        if "dtype" in kwargs:
            kwargs["dtype"] = getattr(lib, kwargs["dtype"])
        return model.to(**kwargs) is model
    if name == "to_positional":
        if arg == "tensor":
            return model.to(lib.zeros(1, dtype=lib.float64)) is model
        return model.to(getattr(lib, arg) if arg in DTYPES else arg) is model
    if name == "requires_grad_":
        return model.requires_grad_(arg) is model
    if name == "train":
        return model.train(arg) is model
    if name == "eval":
        return model.eval() is model
    if name == "zero_grad":
        (model.fc(lib.ones(1, 2)).sum() + model.scale.sum()).backward()
        model.zero_grad(set_to_none=arg)
        return [None if p.grad is None else p.grad.tolist() for p in model.parameters()]
    if name == "state_dict":
        prefix, keep_vars = arg
        state = model.state_dict(prefix=prefix, keep_vars=keep_vars)
        return [(k, type(v).__name__, v.requires_grad) for k, v in state.items()]
    kind, strict, assign = arg
    return model.load_state_dict(_entries(lib, model, kind), strict=strict, assign=assign)


def _seen(model: Any, result: tuple[str, Any]) -> tuple[str, ...]:
    kind, value = result
    shown = f"{type(value).__name__}: {value}" if kind == "raise" else repr(value)
    parameters = [
        (n, str(p.dtype), tuple(p.shape), p.detach().tolist(), p.requires_grad, p.is_leaf)
        for n, p in model.named_parameters()
    ]
    text = (shown, str(parameters), str([m.training for m in model.modules()]))
    # PyTorch's classes live in torch.nn.modules.*, minimodel's in minimodel.nn.*.
    return tuple(normalize(t).replace("torch.nn.modules.", "torch.nn.") for t in text)


CALL = st.sampled_from(sorted(CALLS)).flatmap(lambda name: st.tuples(st.just(name), CALLS[name]))


@settings(max_examples=examples(100))
@given(calls=st.lists(CALL, max_size=4))
def test_module_calls_with_generated_arguments_match_torch(calls: list[tuple[str, Any]]) -> None:
    models = {lib: _model(lib) for lib in (mm, torch)}
    for name, arg in calls:
        results = {
            lib: outcome(lambda lib=lib, name=name, arg=arg: _call(lib, models[lib], name, arg))
            for lib in models
        }
        seen = {lib: _seen(models[lib], results[lib]) for lib in models}
        if name == "load_state_dict" and results[torch][0] == "raise":
            # A documented difference: PyTorch copies the matching entries before it raises,
            # minimodel changes nothing. The errors must agree; then torch's model is put back.
            assert seen[mm][0] == seen[torch][0], (name, arg)
            pairs = zip(models[mm].parameters(), models[torch].parameters(), strict=True)
            with torch.no_grad():
                for mine, theirs in pairs:
                    theirs.copy_(torch.tensor(mine.detach().numpy()))
            continue
        assert seen[mm] == seen[torch], (name, arg)
