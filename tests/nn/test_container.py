"""Sequential and ModuleList: registration, indexing, editing, calling and printing."""

from __future__ import annotations

import re
from collections import OrderedDict

import numpy as np
import pytest

import minimodel as mm
from minimodel import nn


def _three() -> tuple[nn.Module, nn.Module, nn.Module]:
    return nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)


def test_sequential_registers_modules_under_their_positions() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, b, c)
    assert list(seq._modules) == ["0", "1", "2"]
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_sequential_from_an_ordered_dict_keeps_the_names() -> None:
    a, b, c = _three()
    seq = nn.Sequential(OrderedDict([("hidden", a), ("act", b), ("out", c)]))
    assert seq.hidden is a and seq.out is c
    assert list(seq.state_dict()) == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]


def test_sequential_calls_its_modules_in_order() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, b, c)
    x = mm.randn(4, 2)
    np.testing.assert_array_equal(seq(x).detach().numpy(), c(b(a(x))).detach().numpy())


def test_empty_sequential_returns_its_input() -> None:
    x = mm.ones(2)
    assert nn.Sequential()(x) is x


def test_sequential_indexing_with_positive_and_negative_ints() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, b, c)
    assert seq[0] is a and seq[2] is c and seq[-1] is c and seq[-3] is a
    assert seq[np.int64(1)] is b


@pytest.mark.parametrize("idx", [3, -4])
def test_sequential_index_out_of_range_raises_index_error(idx) -> None:
    with pytest.raises(IndexError, match=f"index {idx} is out of range"):
        nn.Sequential(*_three())[idx]


def test_sequential_slicing_returns_a_sequential_of_the_same_modules() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, b, c)
    tail = seq[1:]
    assert type(tail) is nn.Sequential
    assert list(tail) == [b, c]
    assert list(tail._modules) == ["1", "2"]  # names are kept, as in PyTorch
    assert list(seq[::2]) == [a, c]


def test_sequential_len_and_iteration() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3
    assert list(seq) == [a, b, c]


def test_sequential_append_and_extend_return_self() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a)
    assert seq.append(b) is seq
    assert seq.extend([c, nn.Tanh()]) is seq
    assert list(seq._modules) == ["0", "1", "2", "3"] and seq[2] is c


def test_sequential_insert_shifts_the_following_modules() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, c)
    assert seq.insert(1, b) is seq
    assert list(seq) == [a, b, c]
    seq.insert(-1, nn.Tanh())
    assert type(seq[2]) is nn.Tanh and seq[3] is c
    seq.insert(len(seq), nn.Sigmoid())
    assert type(seq[-1]) is nn.Sigmoid


def test_sequential_insert_checks_index_and_type() -> None:
    seq = nn.Sequential(*_three())
    with pytest.raises(IndexError, match="Index out of range: 5"):
        seq.insert(5, nn.ReLU())
    with pytest.raises(AssertionError, match="module should be of type"):
        seq.insert(0, 3)


def test_sequential_delitem_renumbers_the_rest() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, b, c)
    del seq[0]
    assert list(seq._modules) == ["0", "1"] and seq[0] is b
    seq = nn.Sequential(a, b, c, nn.Tanh())
    del seq[1:3]
    assert list(seq._modules) == ["0", "1"] and seq[0] is a and type(seq[1]) is nn.Tanh


def test_sequential_setitem_replaces_a_module() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, b, c)
    new = nn.Tanh()
    seq[-2] = new
    assert seq[1] is new and len(seq) == 3


def test_sequential_pop_removes_and_returns() -> None:
    a, b, c = _three()
    seq = nn.Sequential(a, b, c)
    assert seq.pop(1) is b
    assert list(seq) == [a, c]


def test_sequential_addition_concatenates() -> None:
    a, b, c = _three()
    both = nn.Sequential(a) + nn.Sequential(b, c)
    assert list(both) == [a, b, c]
    with pytest.raises(ValueError, match="add operator supports only objects of Sequential class"):
        nn.Sequential(a) + nn.ModuleList([b])


def test_sequential_repr() -> None:
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Flatten(), nn.Identity()))
    assert repr(seq) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Flatten(start_dim=1, end_dim=-1)\n"
        "    (1): Identity()\n"
        "  )\n"
        ")"
    )
    assert repr(nn.Sequential()) == "Sequential()"


def test_sequential_rejects_non_modules() -> None:
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        nn.Sequential(nn.ReLU(), 3)


def test_module_list_registers_and_indexes_like_a_list() -> None:
    layers = [nn.Linear(2, 2) for _ in range(3)]
    ml = nn.ModuleList(layers)
    assert len(ml) == 3 and list(ml) == layers
    assert ml[-1] is layers[2]
    assert type(ml[1:]) is nn.ModuleList and list(ml[1:]) == layers[1:]
    assert len(list(ml.parameters())) == 6
    with pytest.raises(IndexError, match="index 3 is out of range"):
        ml[3]


def test_module_list_editing() -> None:
    a, b, c = _three()
    ml = nn.ModuleList()
    assert ml.append(a) is ml
    ml.extend([c])
    ml.insert(1, b)
    assert list(ml) == [a, b, c]
    ml += [nn.Tanh()]
    assert len(ml) == 4
    new = nn.Sigmoid()
    ml[0] = new
    assert ml[0] is new
    del ml[0]
    assert list(ml._modules) == ["0", "1", "2"] and ml[0] is b
    del ml[1:]
    assert list(ml) == [b]
    assert ml.pop(0) is b and len(ml) == 0
    combined = nn.ModuleList([a]) + nn.ModuleList([c])
    assert list(combined) == [a, c]


def test_module_list_extend_needs_an_iterable() -> None:
    with pytest.raises(
        TypeError, match=re.escape("ModuleList.extend should be called with an iterable")
    ):
        nn.ModuleList().extend(3)


def test_module_list_has_no_forward() -> None:
    with pytest.raises(NotImplementedError, match=re.escape("Module [ModuleList] is missing")):
        nn.ModuleList([nn.ReLU()])(mm.ones(1))


def test_module_list_repr_collapses_repeated_modules() -> None:
    ml = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU()])
    assert repr(ml) == (
        "ModuleList(\n"
        "  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (2): ReLU()\n"
        ")"
    )
    assert repr(nn.ModuleList()) == "ModuleList()"


def test_containers_hide_numeric_names_from_dir() -> None:
    assert "0" not in dir(nn.ModuleList([nn.ReLU()]))
    assert "append" in dir(nn.ModuleList())
