"""The Optimizer base class: parameter groups, zero_grad, state dicts (through SGD/Adam/RMSprop)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from optim_testing import leaf, make_params, train, values

import minimodel as mm
from minimodel.optim import SGD, Adam, Optimizer, RMSprop

# One configuration of each optimizer that keeps state, for the tests that apply to all of them.
STATEFUL = {
    "SGD": lambda params: SGD(params, lr=0.05, momentum=0.9, nesterov=True),
    "Adam": lambda params: Adam(params, lr=0.05, amsgrad=True),
    "RMSprop": lambda params: RMSprop(params, lr=0.01, momentum=0.5, centered=True),
}


# --------------------------------------------------------------------------------- construction


def test_params_given_as_a_single_tensor_raise_type_error() -> None:
    with pytest.raises(TypeError) as info:
        SGD(leaf([1.0]), lr=0.1)
    assert str(info.value) == (
        "params argument given to the optimizer should be an iterable of Tensors or dicts, "
        "but got minimodel.FloatTensor"
    )


def test_empty_parameter_list_raises_value_error() -> None:
    with pytest.raises(ValueError, match=r"^optimizer got an empty parameter list$"):
        SGD([], lr=0.1)


def test_a_param_that_is_not_a_tensor_raises_type_error() -> None:
    with pytest.raises(TypeError) as info:
        SGD([leaf([1.0]), 3], lr=0.1)
    assert str(info.value) == "optimizer can only optimize Tensors, but one of the params is int"


def test_non_leaf_tensor_raises_value_error() -> None:
    w = leaf([1.0])
    with pytest.raises(ValueError, match=r"^can't optimize a non-leaf Tensor$"):
        SGD([w * 2], lr=0.1)


def test_a_set_of_params_raises_type_error() -> None:
    with pytest.raises(TypeError, match="ordered collections"):
        SGD([{"params": {leaf([1.0])}}], lr=0.1)


def test_a_param_in_two_groups_raises_value_error() -> None:
    w = leaf([1.0])
    with pytest.raises(ValueError) as info:
        SGD([{"params": [w]}, {"params": w}], lr=0.1)
    assert str(info.value) == "some parameters appear in more than one parameter group"


def test_a_param_twice_in_one_group_warns() -> None:
    w = leaf([1.0])
    with pytest.warns(UserWarning, match="duplicate parameters"):
        SGD([w, w], lr=0.1)


def test_add_param_group_requires_a_dict() -> None:
    opt = SGD([leaf([1.0])], lr=0.1)
    with pytest.raises(TypeError, match=r"^param_group must be a dict, but got <class 'list'>$"):
        opt.add_param_group([leaf([2.0])])


def test_a_required_option_missing_from_a_group_raises_value_error() -> None:
    from minimodel.optim.optimizer import required

    class NeedsLr(Optimizer):
        def __init__(self, params: list) -> None:
            super().__init__(params, {"lr": required})

    assert NeedsLr([{"params": [leaf([1.0])], "lr": 0.1}]).param_groups[0]["lr"] == 0.1
    with pytest.raises(ValueError) as info:
        NeedsLr([leaf([1.0])])
    assert str(info.value) == (
        "parameter group didn't specify a value of required optimization parameter lr"
    )


def test_base_optimizer_step_is_not_implemented() -> None:
    opt = Optimizer([leaf([1.0])], {"lr": 0.1})
    with pytest.raises(NotImplementedError, match=r"^$"):
        opt.step()


# --------------------------------------------------------------------------------- param groups


def test_groups_keep_their_own_options_and_take_defaults_for_the_rest() -> None:
    w, b = leaf([1.0, 2.0]), leaf([3.0])
    opt = SGD([{"params": [w]}, {"params": b, "lr": 0.5, "momentum": 0.9}], lr=0.1)
    first, second = opt.param_groups
    assert first["params"] == [w] and second["params"] == [b]
    assert (first["lr"], first["momentum"]) == (0.1, 0)
    assert (second["lr"], second["momentum"]) == (0.5, 0.9)
    # As in PyTorch: "params" first, then the group's own options, then the defaults.
    assert list(second)[:3] == ["params", "lr", "momentum"]
    assert list(second)[3:] == [k for k in opt.defaults if k not in ("lr", "momentum")]


def test_each_group_steps_with_its_own_learning_rate() -> None:
    w, b = leaf([1.0], grad=[1.0]), leaf([1.0], grad=[1.0])
    SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1).step()
    np.testing.assert_allclose(values(w), [0.9])
    np.testing.assert_allclose(values(b), [0.5])


def test_add_param_group_adds_a_group_that_steps() -> None:
    w, b = leaf([1.0], grad=[1.0]), leaf([1.0], grad=[1.0])
    opt = SGD([w], lr=0.1)
    opt.add_param_group({"params": b, "lr": 0.25})
    assert len(opt.param_groups) == 2 and opt.param_groups[1]["momentum"] == 0
    opt.step()
    np.testing.assert_allclose(values(b), [0.75])


def test_named_params_record_their_names() -> None:
    w, b = leaf([1.0]), leaf([2.0])
    opt = SGD([("weight", w), ("bias", b)], lr=0.1)
    assert opt.param_groups[0]["params"] == [w, b]
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]


def test_mixing_named_and_unnamed_params_raises_value_error() -> None:
    with pytest.raises(ValueError, match="Some param names are missing"):
        SGD([("weight", leaf([1.0])), leaf([2.0])], lr=0.1)
    opt = SGD([("weight", leaf([1.0]))], lr=0.1)
    with pytest.raises(ValueError, match="cannot add param group without names to the optimizer"):
        opt.add_param_group({"params": [leaf([2.0])]})


def test_repr_lists_each_group_options_sorted() -> None:
    w, b = leaf([1.0]), leaf([2.0])
    opt = SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    group = (
        "    dampening: 0\n    differentiable: False\n    foreach: None\n    fused: None\n"
        "    lr: {lr}\n    maximize: False\n    momentum: 0.9\n    nesterov: False\n"
        "    weight_decay: 0\n"
    )
    assert repr(opt) == (
        "SGD (\nParameter Group 0\n"
        + group.format(lr=0.1)
        + "\nParameter Group 1\n"
        + group.format(lr=0.5)
        + ")"
    )


# ------------------------------------------------------------------------------------ zero_grad


def test_zero_grad_sets_gradients_to_none_by_default() -> None:
    w, b = leaf([1.0], grad=[2.0]), leaf([1.0])
    SGD([w, b], lr=0.1).zero_grad()
    assert w.grad is None and b.grad is None


def test_zero_grad_without_set_to_none_zeroes_the_same_gradient_tensor() -> None:
    w = leaf([1.0, 2.0], grad=[3.0, 4.0])
    grad = w.grad
    SGD([w], lr=0.1).zero_grad(set_to_none=False)
    assert w.grad is grad
    np.testing.assert_array_equal(values(grad), [0.0, 0.0])


def test_zero_grad_without_set_to_none_detaches_a_gradient_that_has_history() -> None:
    w = leaf([1.0])
    w.grad = leaf([3.0]) * 2  # a gradient with a grad_fn, as create_graph=True would leave
    SGD([w], lr=0.1).zero_grad(set_to_none=False)
    assert w.grad.grad_fn is None and not w.grad.requires_grad


def test_a_zeroed_gradient_still_steps_but_a_none_gradient_does_not() -> None:
    w, b = leaf([1.0], grad=[5.0]), leaf([1.0], grad=[5.0])
    opt = SGD([w], lr=0.1, weight_decay=1.0)
    opt.zero_grad(set_to_none=False)
    opt.step()  # weight decay alone moves w
    np.testing.assert_allclose(values(w), [0.9])
    opt2 = SGD([b], lr=0.1, weight_decay=1.0)
    opt2.zero_grad()
    opt2.step()
    np.testing.assert_array_equal(values(b), [1.0])


# ----------------------------------------------------------------------------------------- step


def test_step_returns_the_closure_loss_computed_with_grad_enabled() -> None:
    w = leaf([3.0])
    opt = SGD([w], lr=0.1)

    def closure() -> mm.Tensor:
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with mm.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 9.0
    np.testing.assert_allclose(values(w), [2.4])


@pytest.mark.parametrize("name", STATEFUL)
def test_params_without_gradient_are_skipped_and_get_no_state(name: str) -> None:
    w, b = leaf([1.0], grad=[1.0]), leaf([1.0])
    opt = STATEFUL[name]([w, b])
    opt.step()
    assert b not in opt.state
    assert w in opt.state
    np.testing.assert_array_equal(values(b), [1.0])


# ----------------------------------------------------------------------------------- state dict


def test_state_dict_numbers_params_across_groups_and_keys_state_by_number() -> None:
    w, b, c = leaf([1.0], grad=[1.0]), leaf([1.0]), leaf([1.0], grad=[1.0])
    opt = SGD([{"params": [w, b]}, {"params": [c], "lr": 0.5}], lr=0.1, momentum=0.9)
    opt.step()
    sd = opt.state_dict()
    assert list(sd) == ["state", "param_groups"]
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert list(sd["state"]) == [0, 2]
    assert list(sd["state"][0]) == ["momentum_buffer"]
    assert list(sd["param_groups"][1]) == [*opt.defaults, "params"]
    assert sd["param_groups"][1]["lr"] == 0.5
    # The live groups are not touched by packing.
    assert opt.param_groups[0]["params"] == [w, b]


@pytest.mark.parametrize("name", STATEFUL)
def test_training_continues_identically_after_state_dict_round_trip(name: str) -> None:
    make = STATEFUL[name]
    w, b = make_params()
    opt = make([w, b])
    uninterrupted = train(opt, w, b, 20)

    w, b = make_params()
    opt = make([w, b])
    train(opt, w, b, 10)
    saved = copy.deepcopy(opt.state_dict())
    saved_w, saved_b = values(w).copy(), values(b).copy()

    w2, b2 = mm.tensor(saved_w, requires_grad=True), mm.tensor(saved_b, requires_grad=True)
    opt2 = make([w2, b2])
    opt2.load_state_dict(saved)
    resumed = train(opt2, w2, b2, 10)
    for expected, got in zip(uninterrupted[20:], resumed, strict=True):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name", STATEFUL)
def test_training_continues_identically_after_save_and_load(name: str, tmp_path) -> None:
    make = STATEFUL[name]
    w, b = make_params()
    opt = make([w, b])
    train(opt, w, b, 5)
    mm.save({"w": w, "b": b, "opt": opt.state_dict()}, tmp_path / "checkpoint.pt")
    expected = train(opt, w, b, 5)

    checkpoint = mm.load(tmp_path / "checkpoint.pt")
    w2, b2 = checkpoint["w"], checkpoint["b"]
    opt2 = make([w2, b2])
    opt2.load_state_dict(checkpoint["opt"])
    for want, got in zip(expected, train(opt2, w2, b2, 5), strict=True):
        np.testing.assert_array_equal(got, want)


def test_load_state_dict_copies_the_loaded_tensors() -> None:
    w = leaf([1.0], grad=[1.0])
    opt = SGD([w], lr=0.1, momentum=0.9)
    opt.step()
    sd = opt.state_dict()
    opt2 = SGD([w], lr=0.1, momentum=0.9)
    opt2.load_state_dict(sd)
    loaded = opt2.state[w]["momentum_buffer"]
    assert loaded is not sd["state"][0]["momentum_buffer"]
    opt2.step()
    np.testing.assert_array_equal(values(sd["state"][0]["momentum_buffer"]), [1.0])


def test_load_state_dict_takes_the_saved_options() -> None:
    w = leaf([1.0])
    saved = SGD([w], lr=0.5, momentum=0.9).state_dict()
    opt = SGD([w], lr=0.1)
    opt.load_state_dict(saved)
    assert opt.param_groups[0]["lr"] == 0.5 and opt.param_groups[0]["momentum"] == 0.9
    assert opt.param_groups[0]["params"][0] is w


def test_load_state_dict_casts_state_to_the_param_dtype_but_not_the_step() -> None:
    w = leaf([1.0, 2.0], grad=[1.0, 1.0], dtype=mm.float64)
    source = Adam([leaf([1.0, 2.0], grad=[1.0, 1.0])])
    source.step()
    opt = Adam([w])
    opt.load_state_dict(source.state_dict())
    assert opt.state[w]["exp_avg"].dtype == mm.float64
    assert opt.state[w]["step"].dtype == mm.float32


def test_load_state_dict_accepts_a_step_saved_as_a_number() -> None:
    w = leaf([1.0], grad=[1.0])
    source = Adam([leaf([1.0], grad=[1.0])])
    source.step()
    sd = source.state_dict()
    sd["state"][0]["step"] = 1  # how PyTorch before 1.12 saved it
    opt = Adam([w])
    opt.load_state_dict(sd)
    assert opt.state[w]["step"].dtype == mm.float32 and opt.state[w]["step"].item() == 1.0
    opt.step()
    assert opt.state[w]["step"].item() == 2.0


def test_load_state_dict_fills_options_missing_from_an_older_state_dict() -> None:
    w = leaf([1.0])
    sd = Adam([w]).state_dict()
    del sd["param_groups"][0]["amsgrad"], sd["param_groups"][0]["decoupled_weight_decay"]
    opt = Adam([w])
    opt.load_state_dict(sd)
    assert opt.param_groups[0]["amsgrad"] is False
    assert opt.param_groups[0]["decoupled_weight_decay"] is False


def _snapshot(opt: Optimizer) -> tuple:
    groups = [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]
    params = [list(g["params"]) for g in opt.param_groups]
    state = {p: {k: values(v).copy() for k, v in s.items()} for p, s in opt.state.items()}
    return opt.state, groups, params, state


def _assert_unchanged(opt: Optimizer, before: tuple) -> None:
    state_obj, groups, params, state = before
    assert opt.state is state_obj
    assert [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups] == groups
    assert [g["params"] for g in opt.param_groups] == params
    assert set(opt.state) == set(state)
    for p, entries in state.items():
        for key, value in entries.items():
            np.testing.assert_array_equal(values(opt.state[p][key]), value)


def _trained_two_group_adam() -> tuple[Optimizer, list[mm.Tensor]]:
    params = [leaf([1.0], grad=[1.0]), leaf([2.0], grad=[1.0]), leaf([3.0], grad=[1.0])]
    opt = Adam([{"params": params[:2]}, {"params": params[2:], "lr": 0.5}])
    opt.step()
    return opt, params


def test_load_state_dict_with_a_different_number_of_groups_changes_nothing() -> None:
    opt, _ = _trained_two_group_adam()
    other = Adam([leaf([0.0], grad=[1.0]), leaf([0.0], grad=[1.0]), leaf([0.0], grad=[1.0])], lr=9)
    other.step()
    before = _snapshot(opt)
    with pytest.raises(ValueError) as info:
        opt.load_state_dict(other.state_dict())
    assert str(info.value) == "loaded state dict has a different number of parameter groups"
    _assert_unchanged(opt, before)


def test_load_state_dict_with_a_group_of_another_size_changes_nothing() -> None:
    opt, _ = _trained_two_group_adam()
    ps = [leaf([0.0], grad=[1.0]) for _ in range(3)]
    other = Adam([{"params": ps[:1]}, {"params": ps[1:]}], lr=9)
    other.step()
    before = _snapshot(opt)
    with pytest.raises(ValueError) as info:
        opt.load_state_dict(other.state_dict())
    assert str(info.value) == (
        "loaded state dict contains a parameter group that doesn't match the size of "
        "optimizer's group"
    )
    _assert_unchanged(opt, before)


def test_load_state_dict_without_state_entry_raises_key_error_and_changes_nothing() -> None:
    opt, _ = _trained_two_group_adam()
    sd = opt.state_dict()
    sd = {"param_groups": copy.deepcopy(sd["param_groups"])}
    sd["param_groups"][0]["lr"] = 9.0
    before = _snapshot(opt)
    with pytest.raises(KeyError, match=r"^'state'$"):
        opt.load_state_dict(sd)
    _assert_unchanged(opt, before)
