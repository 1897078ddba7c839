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
