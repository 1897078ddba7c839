"""Module against torch.nn.Module: traversal order, state dicts both ways, reprs, errors.

Every model is built by one function from either library (``lib`` is ``minimodel`` or
``torch``), so both sides have the same structure by construction.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
from nn_testing import (
    TenseMLP,
    assert_same_error,
    normalize,
    to_mm_state,
    to_torch_state,
    torch_tense_mlp,
    values,
)
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def tense_mlp(lib: Any) -> Any:
    return TenseMLP() if lib is mm else torch_tense_mlp(torch)


def nested(lib: Any) -> Any:
    nn = lib.nn
    return nn.Sequential(
        nn.Flatten(),
        nn.Sequential(OrderedDict([("hidden", nn.Linear(6, 4)), ("act", nn.ReLU())])),
        nn.Linear(4, 2, bias=False),
        nn.Softmax(dim=1),
    )


def tied(lib: Any) -> Any:
    nn = lib.nn

    class Tied(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.scale = nn.Parameter(lib.ones(1))
            self.encoder = nn.Linear(3, 3)
            self.decoder = self.encoder
            self.gap = None
            self.head = nn.Sequential(nn.Linear(3, 2), nn.Tanh())
            self.head[0].weight = nn.Parameter(lib.zeros(2, 3))
            self.offset = nn.Parameter(lib.zeros(2))
            self.unused = None

        def extra_repr(self) -> str:
            return "tied=True\nlayers=2"

    return Tied()


BUILDERS = [tense_mlp, nested, tied]


@pytest.mark.parametrize("build", BUILDERS)
def test_named_parameters_and_modules_match_torch(build) -> None:
    mine, theirs = build(mm), build(torch)
    for kwargs in ({}, {"remove_duplicate": False}, {"prefix": "m", "recurse": False}):
        assert [n for n, _ in mine.named_parameters(**kwargs)] == [
            n for n, _ in theirs.named_parameters(**kwargs)
        ]
    assert [n for n, _ in mine.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in mine.named_modules(remove_duplicate=False)] == [
        n for n, _ in theirs.named_modules(remove_duplicate=False)
    ]
    assert [n for n, _ in mine.named_children()] == [n for n, _ in theirs.named_children()]


@pytest.mark.parametrize("build", BUILDERS)
def test_state_dict_keys_shapes_and_order_match_torch(build) -> None:
    mine, theirs = build(mm).state_dict(), build(torch).state_dict()
    assert [(k, tuple(v.shape)) for k, v in mine.items()] == [
        (k, tuple(v.shape)) for k, v in theirs.items()
    ]


@pytest.mark.parametrize("build", BUILDERS)
def test_repr_matches_torch(build) -> None:
    assert repr(build(mm)) == repr(build(torch))


def test_tense_mlp_state_dict_moves_to_torch_and_back_with_the_same_outputs() -> None:
    mine, theirs = TenseMLP(), torch_tense_mlp(torch)
    assert repr(theirs.load_state_dict(to_torch_state(torch, mine.state_dict()))) == (
        "<All keys matched successfully>"
    )
    x = np.random.default_rng(0).standard_normal((10, 23)).astype(np.float32)
    np.testing.assert_allclose(
        values(mine(mm.tensor(x))), values(theirs(torch.tensor(x))), rtol=1e-5, atol=1e-6
    )
    # And back: a fresh torch model's weights into the minimodel model.
    fresh = torch_tense_mlp(torch)
    assert repr(mine.load_state_dict(to_mm_state(fresh.state_dict()))) == (
        "<All keys matched successfully>"
    )
    np.testing.assert_allclose(
        values(mine(mm.tensor(x))), values(fresh(torch.tensor(x))), rtol=1e-5, atol=1e-6
    )


def test_nested_state_dict_moves_to_torch_with_the_same_outputs() -> None:
    mine, theirs = nested(mm), nested(torch)
    theirs.load_state_dict(to_torch_state(torch, mine.state_dict()))
    x = np.random.default_rng(1).standard_normal((5, 2, 3)).astype(np.float32)
    np.testing.assert_allclose(
        values(mine(mm.tensor(x))), values(theirs(torch.tensor(x))), rtol=1e-5, atol=1e-6
    )


def _state_edits(lib: Any) -> dict[str, Any]:
    """Broken state dicts for TenseMLP, built from the library's own tensors."""
    good = tense_mlp(lib).state_dict()
    missing = dict(good)
    del missing["fc2.bias"]
    unexpected = dict(good)
    unexpected["fc3.weight"] = lib.zeros(1)
    unexpected["fc1.scale"] = lib.zeros(1)
    unexpected["fc1.weight.extra"] = lib.zeros(1)
    mismatch = dict(good)
    mismatch["fc1.weight"] = lib.zeros(16, 22)
    mismatch["fc2.bias"] = lib.zeros(())
    everything = dict(mismatch)
    del everything["fc1.bias"]
    everything["head.weight"] = lib.zeros(1)
    not_tensor = dict(good)
    not_tensor["fc2.weight"] = np.zeros((5, 16), dtype=np.float32)
    return {
        "missing": missing,
        "unexpected": unexpected,
        "mismatch": mismatch,
        "everything": everything,
        "not_tensor": not_tensor,
    }


@pytest.mark.parametrize("case", ["missing", "unexpected", "mismatch", "everything", "not_tensor"])
@pytest.mark.parametrize("strict", [True, False])
def test_load_state_dict_errors_and_results_match_torch(case, strict) -> None:
    mine, theirs = tense_mlp(mm), tense_mlp(torch)
    mine_state, theirs_state = _state_edits(mm)[case], _state_edits(torch)[case]
    expect_error = case in ("mismatch", "everything", "not_tensor") or strict
    if expect_error:
        assert_same_error(
            lambda: mine.load_state_dict(mine_state, strict=strict),
            lambda: theirs.load_state_dict(theirs_state, strict=strict),
        )
    else:
        mine_result = mine.load_state_dict(mine_state, strict=strict)
        theirs_result = theirs.load_state_dict(theirs_state, strict=strict)
        assert repr(mine_result) == repr(theirs_result)
        assert str(mine_result) == str(theirs_result)
        assert tuple(mine_result) == tuple(theirs_result)


def test_failed_load_changes_nothing_where_torch_copies_the_matching_tensors() -> None:
    # The one deliberate difference: check the whole state dict before copying anything.
    mine, theirs = TenseMLP(), torch_tense_mlp(torch)
    theirs.load_state_dict(to_torch_state(torch, mine.state_dict()))
    zeros_mm = {k: mm.zeros(*v.shape) for k, v in mine.state_dict().items()}
    zeros_torch = {k: torch.zeros(*v.shape) for k, v in theirs.state_dict().items()}
    del zeros_mm["fc2.bias"], zeros_torch["fc2.bias"]
    assert_same_error(
        lambda: mine.load_state_dict(zeros_mm), lambda: theirs.load_state_dict(zeros_torch)
    )
    assert values(mine.fc1.weight).any()
    assert not values(theirs.fc1.weight).any()


def test_load_state_dict_of_a_non_mapping_fails_like_torch() -> None:
    assert_same_error(
        lambda: tense_mlp(mm).load_state_dict([1]), lambda: tense_mlp(torch).load_state_dict([1])
    )


def _misuses(lib: Any) -> dict[str, Any]:
    nn = lib.nn

    class ParamFirst(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter(lib.ones(2))

    class ModuleFirst(nn.Module):
        def __init__(self) -> None:
            self.layer = nn.Linear(2, 2)

    class NoForward(nn.Module):
        pass

    def set_attr(obj: Any, name: str, value: Any) -> Any:
        return lambda: setattr(obj, name, value)

    model = tense_mlp(lib)
    return {
        "param_before_init": ParamFirst,
        "module_before_init": ModuleFirst,
        "tensor_over_param": set_attr(nn.Linear(2, 3), "weight", lib.ones(3, 2)),
        "double_over_param": set_attr(nn.Linear(2, 3), "weight", lib.ones(3, 2).double()),
        "long_over_param": set_attr(nn.Linear(2, 3), "weight", lib.ones(3, 2).long()),
        "array_over_param": set_attr(nn.Linear(2, 3), "weight", np.ones(3)),
        "int_over_module": set_attr(model, "fc1", 3),
        "object_over_param": set_attr(nn.Linear(2, 3), "weight", object()),
        "register_int_name": lambda: nn.Module().register_parameter(3, None),
        "register_dotted": lambda: nn.Module().register_parameter("a.b", None),
        "register_empty": lambda: nn.Module().register_parameter("", None),
        "register_existing": lambda: nn.Module().register_parameter("training", None),
        "register_tensor": lambda: nn.Module().register_parameter("w", lib.ones(2)),
        "add_int": lambda: nn.Module().add_module("x", 3),
        "add_int_name": lambda: nn.Module().add_module(3, nn.ReLU()),
        "add_dotted": lambda: nn.Module().add_module("a.b", nn.ReLU()),
        "add_empty": lambda: nn.Module().add_module("", nn.ReLU()),
        "add_existing": lambda: nn.Module().add_module("training", nn.ReLU()),
        "missing_attr": lambda: model.fc3,
        "submodule_missing": lambda: model.get_submodule("fc1.inner"),
        "submodule_not_module": lambda: model.get_submodule("fc1.weight"),
        "parameter_missing": lambda: model.get_parameter("fc1.gamma"),
        "parameter_not_parameter": lambda: model.get_parameter("fc1"),
        "set_submodule_empty": lambda: model.set_submodule("", nn.ReLU()),
        "set_submodule_strict": lambda: model.set_submodule("fc9", nn.ReLU(), strict=True),
        "no_forward": lambda: NoForward()(lib.ones(1)),
        "base_forward": lambda: nn.Module()(lib.ones(1)),
        "train_int": lambda: model.train(1),
        "init_args": lambda: nn.Module(3),
        "init_kwargs": lambda: nn.Module(x=3),
        "to_int_dtype": lambda: model.to(lib.int64),
    }


@pytest.mark.parametrize("case", list(_misuses(mm)))
def test_misuse_raises_the_same_error_as_torch(case) -> None:
    assert_same_error(_misuses(mm)[case], _misuses(torch)[case])


def test_incompatible_keys_repr_matches_torch() -> None:
    mine = tense_mlp(mm).load_state_dict({}, strict=False)
    theirs = tense_mlp(torch).load_state_dict({}, strict=False)
    assert repr(mine) == repr(theirs) and str(mine) == str(theirs)
    assert mine.missing_keys == theirs.missing_keys
    assert mine._fields == theirs._fields


def test_state_dict_values_are_detached_like_torch() -> None:
    mine, theirs = tense_mlp(mm).state_dict(), tense_mlp(torch).state_dict()
    for a, b in zip(mine.values(), theirs.values(), strict=True):
        assert a.requires_grad == b.requires_grad
        assert type(a).__name__ == type(b).__name__
    kept_mm = tense_mlp(mm).state_dict(keep_vars=True)
    kept_torch = tense_mlp(torch).state_dict(keep_vars=True)
    assert [type(v).__name__ for v in kept_mm.values()] == [
        type(v).__name__ for v in kept_torch.values()
    ]


def test_training_flags_match_torch() -> None:
    mine, theirs = nested(mm), nested(torch)
    mine.eval()
    theirs.eval()
    mine[1].train()
    theirs[1].train()
    assert [m.training for m in mine.modules()] == [m.training for m in theirs.modules()]


def test_dir_matches_torch_on_registered_names() -> None:
    registered = {"fc1", "fc2", "training", "forward", "state_dict", "load_state_dict"}
    mine, theirs = set(dir(tense_mlp(mm))), set(dir(tense_mlp(torch)))
    assert registered <= mine and registered <= theirs
    seq_mm, seq_torch = set(dir(nested(mm))), set(dir(nested(torch)))
    assert not any(name[0].isdigit() for name in seq_mm | seq_torch)


def test_type_error_text_maps_torch_names_to_minimodel_names() -> None:
    # The documented mapping: every "torch." in PyTorch's message reads "minimodel." here.
    # (A module's class path differs too: minimodel.nn.linear.Linear for
    # torch.nn.modules.linear.Linear.)
    layer = mm.nn.Linear(2, 3)
    with pytest.raises(TypeError) as info:
        layer.weight = mm.ones(3, 2)
    assert "minimodel.FloatTensor" in str(info.value)
    assert "minimodel.nn.Parameter" in str(info.value)
    assert normalize(str(info.value)).count("torch.") == 2
