"""Sequential and ModuleList against torch.nn's: structure after edits, reprs, errors, outputs."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
from nn_testing import assert_close, assert_same_error, to_torch_state
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def layers(lib: Any) -> list[Any]:
    nn = lib.nn
    return [nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2), nn.Tanh(), nn.Flatten(0)]


EDITS = {
    "plain": lambda seq, lib: seq,
    "slice": lambda seq, lib: seq[1:4],
    "step_slice": lambda seq, lib: seq[::2],
    "append": lambda seq, lib: seq.append(lib.nn.Sigmoid()),
    "insert": lambda seq, lib: seq.insert(1, lib.nn.Identity()),
    "insert_negative": lambda seq, lib: seq.insert(-2, lib.nn.Identity()),
    "extend": lambda seq, lib: seq.extend([lib.nn.Identity(), lib.nn.ReLU()]),
    "delete": lambda seq, lib: (seq.__delitem__(1), seq)[1],
    "delete_slice": lambda seq, lib: (seq.__delitem__(slice(0, 2)), seq)[1],
    "setitem": lambda seq, lib: (seq.__setitem__(-1, lib.nn.Identity()), seq)[1],
    "pop": lambda seq, lib: (seq.pop(0), seq)[1],
    "add": lambda seq, lib: seq + lib.nn.Sequential(lib.nn.ReLU()),
    "nested": lambda seq, lib: lib.nn.Sequential(seq, lib.nn.Sequential(lib.nn.ReLU())),
    "named": lambda seq, lib: lib.nn.Sequential(
        OrderedDict([("first", seq[0]), ("act", seq[1]), ("out", seq[2])])
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_sequential_after_edit_matches_torch(edit) -> None:
    mine = EDITS[edit](mm.nn.Sequential(*layers(mm)), mm)
    theirs = EDITS[edit](torch.nn.Sequential(*layers(torch)), torch)
    assert repr(mine) == repr(theirs)
    assert len(mine) == len(theirs)
    assert list(mine.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in mine.named_modules()] == [n for n, _ in theirs.named_modules()]


def test_sequential_outputs_match_torch() -> None:
    mine, theirs = mm.nn.Sequential(*layers(mm)), torch.nn.Sequential(*layers(torch))
    theirs.load_state_dict(to_torch_state(torch, mine.state_dict()))
    x = np.random.default_rng(8).standard_normal((5, 4)).astype(np.float32)
    assert_close(mine(mm.tensor(x)), theirs(torch.tensor(x)))


ERRORS = {
    "index": lambda seq, lib: seq[7],
    "negative_index": lambda seq, lib: seq[-6],
    "set_index": lambda seq, lib: seq.__setitem__(5, lib.nn.ReLU()),
    "del_index": lambda seq, lib: seq.__delitem__(9),
    "insert_index": lambda seq, lib: seq.insert(9, lib.nn.ReLU()),
    "add_int": lambda seq, lib: seq + 3,
    "non_module": lambda seq, lib: lib.nn.Sequential(lib.nn.ReLU(), 3),
    "missing_attr": lambda seq, lib: seq.head,
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_sequential_errors_match_torch(case) -> None:
    assert_same_error(
        lambda: ERRORS[case](mm.nn.Sequential(*layers(mm)), mm),
        lambda: ERRORS[case](torch.nn.Sequential(*layers(torch)), torch),
    )


def test_module_list_matches_torch() -> None:
    def build(lib: Any) -> Any:
        ml = lib.nn.ModuleList([lib.nn.Linear(2, 2), lib.nn.Linear(2, 2), lib.nn.ReLU()])
        ml.append(lib.nn.ReLU())
        ml.insert(0, lib.nn.Tanh())
        ml += [lib.nn.Identity()]
        del ml[1]
        return ml

    mine, theirs = build(mm), build(torch)
    assert repr(mine) == repr(theirs)
    assert list(mine.state_dict()) == list(theirs.state_dict())
    assert repr(mine[1:3]) == repr(theirs[1:3])
    assert_same_error(lambda: mine[10], lambda: theirs[10])
    assert_same_error(lambda: mine(mm.ones(1)), lambda: theirs(torch.ones(1)))
    assert_same_error(lambda: mine.extend(3), lambda: theirs.extend(3))


# ------------------------------------------------------------- ModuleDict and the parameter ones
def _structure(container: Any) -> tuple:
    """What a container holds, comparable across the libraries."""
    names = [name for name, _ in container.named_parameters()]
    return repr(container).replace("minimodel.", "torch."), len(container), names


def _tensor(lib: Any, k: int) -> Any:
    return lib.ones(k + 1, dtype=lib.float64 if k % 2 else lib.float32)


DICT_EDITS = {
    "plain": lambda d, lib, new: d,
    "set": lambda d, lib, new: d.__setitem__("c", new(lib, 2)),
    "replace": lambda d, lib, new: d.__setitem__("a", new(lib, 3)),
    "delete": lambda d, lib, new: d.__delitem__("a"),
    "pop": lambda d, lib, new: d.pop("b"),
    "update_pairs": lambda d, lib, new: d.update([("z", new(lib, 1)), ("a", new(lib, 0))]),
    "update_dict": lambda d, lib, new: d.update({"y": new(lib, 2)}),
    "clear": lambda d, lib, new: d.clear(),
}


def _module(lib: Any, k: int) -> Any:
    return [lib.nn.Linear(2, k + 1), lib.nn.ReLU(), lib.nn.Tanh(), lib.nn.Linear(k + 1, 1)][k]


@pytest.mark.parametrize("kind", ["ModuleDict", "ParameterDict"])
@pytest.mark.parametrize("edit", list(DICT_EDITS))
def test_dicts_after_an_edit_match_torch(kind: str, edit: str) -> None:
    new = _module if kind == "ModuleDict" else _tensor

    def build(lib: Any) -> Any:
        d = getattr(lib.nn, kind)({"a": new(lib, 0), "b": new(lib, 1)})
        DICT_EDITS[edit](d, lib, new)
        return d

    ours, theirs = build(mm), build(torch)
    assert _structure(ours) == _structure(theirs)
    assert list(ours.keys()) == list(theirs.keys())
    assert [k in ours for k in "abcz"] == [k in theirs for k in "abcz"]


LIST_EDITS = {
    "plain": lambda p, lib: p,
    "append": lambda p, lib: p.append(_tensor(lib, 2)),
    "append_object": lambda p, lib: p.append("not a tensor"),
    "extend": lambda p, lib: p.extend([_tensor(lib, 3), _tensor(lib, 0)]),
    "iadd": lambda p, lib: p.__iadd__([_tensor(lib, 1)]),
    "set": lambda p, lib: p.__setitem__(-1, _tensor(lib, 3)),
    "slice": lambda p, lib: p[::-1],
}


@pytest.mark.parametrize("edit", list(LIST_EDITS))
def test_parameter_list_after_an_edit_matches_torch(edit: str) -> None:
    def build(lib: Any) -> Any:
        p = lib.nn.ParameterList([_tensor(lib, 0), lib.nn.Parameter(_tensor(lib, 1))])
        result = LIST_EDITS[edit](p, lib)
        return result if isinstance(result, lib.nn.ParameterList) else p

    ours, theirs = build(mm), build(torch)
    assert _structure(ours) == _structure(theirs)
    assert [type(v).__name__ for v in ours] == [type(v).__name__ for v in theirs]


def test_registered_parameters_train_in_a_model_as_torch() -> None:
    def run(lib: Any) -> list[float]:
        class Model(lib.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.scales = lib.nn.ParameterList([lib.ones(3), lib.ones(3) * 2])
                self.shifts = lib.nn.ParameterDict({"s": lib.zeros(3)})
                self.heads = lib.nn.ModuleDict({"out": lib.nn.Linear(3, 1)})

            def forward(self, x: Any) -> Any:
                for scale in self.scales:
                    x = x * scale
                return self.heads["out"](x + self.shifts["s"])

        model = Model()
        with lib.no_grad():
            model.heads["out"].weight.copy_(lib.tensor([[0.5, -1.0, 2.0]]))
            model.heads["out"].bias.fill_(0.1)
        opt = lib.optim.SGD(model.parameters(), lr=0.01)
        x = lib.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
        losses = []
        for _ in range(5):
            opt.zero_grad()
            loss = (model(x) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses

    np.testing.assert_allclose(run(mm), run(torch), rtol=1e-6)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.ModuleDict({"x": 3}),
        lambda lib: lib.nn.ModuleDict([1, 2]),
        lambda lib: lib.nn.ModuleDict(3),
        lambda lib: lib.nn.ModuleDict([("a", lib.nn.ReLU(), 1)]),
        lambda lib: lib.nn.ModuleDict()[0],
        lambda lib: lib.nn.ParameterDict(3),
        lambda lib: lib.nn.ParameterDict([(1, 2, 3)]),
        lambda lib: lib.nn.ParameterDict()["zz"],
        lambda lib: lib.nn.ParameterList([lib.ones(1)])[5],
        lambda lib: lib.nn.ParameterList().extend(3),
    ],
    ids=[
        "dict value",
        "dict pairs",
        "dict int",
        "dict triple",
        "dict key",
        "pdict int",
        "pdict triple",
        "pdict missing",
        "plist index",
        "plist extend",
    ],
)
def test_container_errors_match_torch(call: Any) -> None:
    assert_same_error(lambda: call(mm), lambda: call(torch))
