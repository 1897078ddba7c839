"""Random programs that build and rebuild a module tree, against torch.nn.Module.

Each program assigns submodules, parameters, shared modules and shared parameters, plain
tensors and numbers, ``None`` and deletions, ``add_module``/``register_parameter`` with odd
names, ``requires_grad_`` and ``train`` to modules anywhere in the tree, in both libraries.
After every step both must agree: the step's error (type and message), and what the tree reports
(``named_parameters`` with and without duplicates, ``named_modules``, ``named_children``,
``state_dict`` keys, ``repr``, ``training`` and ``requires_grad`` flags).
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

NAMES = ["a", "b", "w", "0", "training"]
ODD_NAMES = ["", "a.b", "forward", 3]
KINDS = ["Linear", "ReLU", "Sequential", "ModuleList", "ModuleDict", "Box"]
ACTIONS = [
    "module",
    "param",
    "register_parameter",
    "add_module",
    "none",
    "del",
    "share_module",
    "share_param",
    "tensor",
    "number",
    "requires_grad_",
    "train",
    "load_state_dict",
    "double",
    "get_submodule",
    "get_parameter",
    "zero_grad",
]
EDITS = ["same", "drop", "extra", "reshape"]


def _box_class(lib: Any) -> type:
    class Box(lib.nn.Module):
        """A module with nothing of its own: the programs fill it."""

    return Box


BOXES = {"mm": _box_class(mm), "torch": _box_class(torch)}


def _library(lib: Any) -> str:
    return "mm" if lib is mm else "torch"


def _module(lib: Any, kind: str) -> Any:
    """A new module of ``kind``; its parameters hold the same numbers in both libraries."""
    nn = lib.nn
    module = {
        "Linear": lambda: nn.Linear(2, 3),
        "ReLU": lambda: nn.ReLU(),
        "Sequential": lambda: nn.Sequential(nn.Linear(3, 2), nn.ReLU()),
        "ModuleList": lambda: nn.ModuleList([nn.Linear(1, 2)]),
        "ModuleDict": lambda: nn.ModuleDict({"x": nn.Linear(2, 1)}),
        "Box": lambda: BOXES[_library(lib)](),
    }[kind]()
    with lib.no_grad():
        for p in module.parameters():
            p.copy_(_parameter(lib, tuple(p.shape)))
    return module


def _parameter(lib: Any, shape: tuple[int, ...]) -> Any:
    data = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    return lib.nn.Parameter(lib.tensor(data))


def _step(lib: Any, root: Any, step: dict[str, Any]) -> Any:
    """Apply one drawn step to ``root``, a tree built by the same steps in ``lib``.

    Returns what the step returns that both libraries must agree on (load_state_dict's keys).
    """
    parent = root.get_submodule(step["path"])
    name, action = step["name"], step["action"]
    if action == "module":
        setattr(parent, name, _module(lib, step["kind"]))
    elif action == "param":
        setattr(parent, name, _parameter(lib, step["shape"]))
    elif action == "register_parameter":
        value = _parameter(lib, step["shape"]) if step["flag"] else None
        parent.register_parameter(step["odd"] if step["use_odd"] else name, value)
    elif action == "add_module":
        module = _module(lib, step["kind"]) if step["flag"] else None
        parent.add_module(step["odd"] if step["use_odd"] else name, module)
    elif action == "none":
        setattr(parent, name, None)
    elif action == "del":
        delattr(parent, name)
    elif action == "share_module":
        setattr(parent, name, root.get_submodule(step["other"]))
    elif action == "share_param":
        setattr(parent, name, root.get_parameter(step["other"]))
    elif action == "tensor":
        setattr(parent, name, lib.ones(2))
    elif action == "number":
        setattr(parent, name, 3)
    elif action == "requires_grad_":
        parent.requires_grad_(step["flag"])
    elif action == "load_state_dict":
        state = _edited(lib, parent.state_dict(), step)
        return repr(parent.load_state_dict(state, strict=step["flag"]))
    elif action == "double":
        parent.double()
    elif action == "get_submodule":
        parent.get_submodule(step["odd"] if step["use_odd"] else name)
    elif action == "get_parameter":
        parent.get_parameter(step["odd"] if step["use_odd"] else name)
    elif action == "zero_grad":
        for p in parent.parameters():
            p.grad = lib.ones_like(p)
        parent.zero_grad(set_to_none=step["flag"])
    else:
        parent.train(step["flag"])


def _edited(lib: Any, state: dict[str, Any], step: dict[str, Any]) -> dict[str, Any]:
    """A state dict to load: the module's own, doubled, with one key dropped, added or reshaped."""
    state = {k: v * 2 for k, v in state.items()}
    keys = list(state)
    if step["edit"] == "drop" and keys:
        del state[keys[0]]
    elif step["edit"] == "extra":
        state["extra.weight"] = lib.ones(2)
    elif step["edit"] == "reshape" and keys:
        state[keys[-1]] = lib.ones(7)
    return state


def _grad(p: Any) -> Any:
    return None if p.grad is None else p.grad.numpy().tolist()


def _flag(module: Any) -> Any:
    # A program may delete the flag, or hide it behind a submodule named "training".
    training = getattr(module, "training", "deleted")
    return training if isinstance(training, bool | str) else type(training).__name__


def _report(root: Any) -> dict[str, Any]:
    """What the tree says about itself, in library-neutral terms."""
    return {
        "parameters": [
            (n, str(p.dtype)[-7:], p.requires_grad, p.detach().numpy().tolist(), _grad(p))
            for n, p in root.named_parameters()
        ],
        "all_parameters": [n for n, _ in root.named_parameters(remove_duplicate=False)],
        "modules": [(n, type(m).__name__, _flag(m)) for n, m in root.named_modules()],
        "children": [n for n, _ in root.named_children()],
        "state_dict": list(root.state_dict()),
        "repr": repr(root),
    }


@st.composite
def _steps(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A program, drawn against a minimodel tree that is built as it is drawn."""
    root = BOXES["mm"]()
    steps = []
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        modules = [n for n, _ in root.named_modules()]
        path = draw(st.sampled_from(modules))
        parent_and_ancestors = {path, *(path[:i] for i, c in enumerate(path) if c == ".")}
        step = {
            "action": draw(st.sampled_from(ACTIONS)),
            "path": path,
            "name": draw(st.sampled_from(NAMES)),
            "kind": draw(st.sampled_from(KINDS)),
            "shape": draw(st.sampled_from([(2,), (1, 2)])),
            "flag": draw(st.booleans()),
            "use_odd": draw(st.booleans()),
            "odd": draw(st.sampled_from(ODD_NAMES)),
            "edit": draw(st.sampled_from(EDITS)),
        }
        # Sharing an ancestor would make a cycle: both libraries recurse forever on it.
        shareable = [m for m in modules if m not in parent_and_ancestors and m != ""]
        params = [n for n, _ in root.named_parameters()]
        if step["action"] == "share_module":
            if not shareable:
                continue
            step["other"] = draw(st.sampled_from(shareable))
        if step["action"] == "share_param":
            if not params:
                continue
            step["other"] = draw(st.sampled_from(params))
        outcome(lambda step=step: _step(mm, root, step))
        steps.append(step)
    return steps


@settings(max_examples=examples(150), deadline=None)
@given(steps=_steps())
def test_module_programs_match_torch(steps: list[dict[str, Any]]) -> None:
    roots = {"mm": BOXES["mm"](), "torch": BOXES["torch"]()}
    for k, step in enumerate(steps):
        before = _report(roots["mm"])
        mine = outcome(lambda step=step: _step(mm, roots["mm"], step))
        theirs = outcome(lambda step=step: _step(torch, roots["torch"], step))
        where = f"step {k}: {step}"
        assert mine[0] == theirs[0], f"{where}: {mine} vs {theirs}"
        if mine[0] == "raise":
            assert type(mine[1]) is type(theirs[1]), where
            # Classes are named by their module path: minimodel has no nn.modules package.
            assert normalize(str(mine[1])) == str(theirs[1]).replace(".nn.modules.", ".nn."), where
            if step["action"] == "load_state_dict":
                # On purpose: a failed load changes nothing, where PyTorch has copied the
                # tensors that matched (README); the trees differ from here on.
                assert _report(roots["mm"]) == before, where
                return
        else:
            assert mine[1] == theirs[1], where
        assert _report(roots["mm"]) == _report(roots["torch"]), where
