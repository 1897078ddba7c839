"""Module: registration through __setattr__, traversal, state dicts, modes, printing."""

from __future__ import annotations

import copy
import re
from collections import OrderedDict

import numpy as np
import pytest
from nn_testing import TenseMLP

import minimodel as mm
from minimodel import nn


class Scale(nn.Module):
    """A module with one scalar-ish parameter and no children."""

    def __init__(self, value: float = 2.0) -> None:
        super().__init__()
        self.factor = nn.Parameter(mm.tensor([value]))

    def forward(self, x: mm.Tensor) -> mm.Tensor:
        return x * self.factor


class Tied(nn.Module):
    """Two children sharing one Linear, plus a direct reference to its weight."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Linear(3, 3)
        self.decoder = self.encoder
        self.other = nn.Linear(3, 2)


def _snapshot(model: nn.Module) -> dict[str, np.ndarray]:
    return {k: v.numpy().copy() for k, v in model.state_dict().items()}


def _zeroed_state(model: nn.Module) -> dict[str, mm.Tensor]:
    """A state dict that fits ``model`` but holds zeros: loading it would change every weight."""
    return {k: mm.zeros(*v.shape) for k, v in model.state_dict().items()}


def _assert_unchanged(model: nn.Module, before: dict[str, np.ndarray]) -> None:
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k], err_msg=k)


# ------------------------------------------------------------------ registration


def test_assigned_parameters_and_modules_are_registered() -> None:
    model = TenseMLP()
    assert list(model._modules) == ["fc1", "fc2"]
    assert list(model.fc1._parameters) == ["weight", "bias"]
    assert "fc1" not in model.__dict__  # found through __getattr__, not as a plain attribute


def test_plain_tensors_and_values_are_not_registered() -> None:
    model = Scale()
    model.cache = mm.zeros(2)
    model.count = 3
    assert list(model._parameters) == ["factor"]
    assert model.count == 3 and model.__dict__["cache"] is model.cache


def test_assigning_a_parameter_before_init_raises() -> None:
    class Broken(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter(mm.ones(2))

    with pytest.raises(
        AttributeError, match=re.escape("cannot assign parameters before Module.__init__() call")
    ):
        Broken()


def test_assigning_a_module_before_init_raises() -> None:
    class Broken(nn.Module):
        def __init__(self) -> None:
            self.layer = nn.Linear(2, 2)

    with pytest.raises(
        AttributeError, match=re.escape("cannot assign module before Module.__init__() call")
    ):
        Broken()


def test_plain_attributes_may_be_set_before_init() -> None:
    class Early(nn.Module):
        def __init__(self) -> None:
            self.size = 3
            super().__init__()

    assert Early().size == 3


def test_assigning_a_plain_tensor_over_a_parameter_raises_type_error() -> None:
    layer = nn.Linear(2, 3)
    with pytest.raises(TypeError) as info:
        layer.weight = mm.ones(3, 2)
    assert str(info.value) == (
        "cannot assign 'minimodel.FloatTensor' as parameter 'weight' "
        "(minimodel.nn.Parameter or None expected)"
    )


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (mm.ones(3, 2, dtype=mm.float64), "minimodel.DoubleTensor"),
        (mm.ones(3, 2, dtype=mm.int64), "minimodel.LongTensor"),
        (np.ones(3), "numpy.ndarray"),
        (3, "int"),
    ],
)
def test_type_error_names_the_assigned_type(value, name) -> None:
    layer = nn.Linear(2, 3)
    with pytest.raises(TypeError, match=f"cannot assign '{name}' as parameter 'weight'"):
        layer.weight = value


def test_assigning_none_over_a_parameter_unregisters_its_value() -> None:
    layer = nn.Linear(2, 3)
    layer.weight = None
    assert layer.weight is None
    assert list(layer.state_dict()) == ["bias"]
    assert [n for n, _ in layer.named_parameters()] == ["bias"]


def test_assigning_a_new_parameter_replaces_the_old_one() -> None:
    layer = nn.Linear(2, 3)
    new = nn.Parameter(mm.zeros(3, 2))
    layer.weight = new
    assert layer.weight is new
    assert next(layer.parameters()) is new


def test_assigning_a_non_module_over_a_child_module_raises() -> None:
    model = TenseMLP()
    with pytest.raises(TypeError) as info:
        model.fc1 = 3
    assert str(info.value) == (
        "cannot assign 'int' as child module 'fc1' (minimodel.nn.Module or None expected)"
    )


def test_assigning_none_over_a_child_keeps_the_name_registered() -> None:
    model = TenseMLP()
    model.fc2 = None
    assert model.fc2 is None
    assert list(model.state_dict()) == ["fc1.weight", "fc1.bias"]
    assert "(fc2): None" in repr(model)


def test_a_name_moves_from_plain_attribute_to_module_to_parameter() -> None:
    model = nn.Module()
    model.thing = 1
    model.thing = nn.Linear(1, 1)
    assert "thing" not in model.__dict__ and "thing" in model._modules
    model.thing = nn.Parameter(mm.ones(1))
    assert "thing" not in model._modules and "thing" in model._parameters


def test_a_parameter_name_cannot_take_a_module() -> None:
    model = nn.Module()
    model.thing = nn.Parameter(mm.ones(1))
    with pytest.raises(
        TypeError, match=re.escape("cannot assign 'minimodel.nn.linear.Linear' as parameter")
    ):
        model.thing = nn.Linear(1, 1)


def test_register_parameter_adds_a_parameter_or_none() -> None:
    m = nn.Module()
    m.register_parameter("scale", nn.Parameter(mm.ones(1)))
    m.register_parameter("unused", None)
    assert [n for n, _ in m.named_parameters()] == ["scale"]
    assert m.unused is None


@pytest.mark.parametrize(
    ("name", "param", "error", "message"),
    [
        (3, None, TypeError, "parameter name should be a string. Got int"),
        ("a.b", None, KeyError, 'parameter name can\'t contain "."'),
        ("", None, KeyError, 'parameter name can\'t be empty string ""'),
        ("training", None, KeyError, "attribute 'training' already exists"),
        (
            "w",
            "tensor",
            TypeError,
            "cannot assign 'minimodel.FloatTensor' object to parameter 'w' "
            "(minimodel.nn.Parameter or None required)",
        ),
    ],
)
def test_register_parameter_rejects_bad_names_and_values(name, param, error, message) -> None:
    m = nn.Module()
    if param == "tensor":
        param = mm.ones(2)
    with pytest.raises(error) as info:
        m.register_parameter(name, param)
    assert info.value.args[0] == message


def test_register_parameter_before_init_raises() -> None:
    m = nn.Module.__new__(nn.Module)
    with pytest.raises(AttributeError, match=r"cannot assign parameter before Module.__init__"):
        m.register_parameter("w", None)


def test_add_module_and_register_module_register_children() -> None:
    m = nn.Module()
    m.add_module("a", nn.ReLU())
    m.register_module("b", nn.Tanh())
    m.add_module("c", None)
    assert list(m._modules) == ["a", "b", "c"]
    assert [name for name, _ in m.named_children()] == ["a", "b"]


@pytest.mark.parametrize(
    ("name", "module", "error", "message"),
    [
        ("x", 3, TypeError, "int is not a Module subclass"),
        (3, nn.ReLU(), TypeError, "module name should be a string. Got int"),
        ("training", nn.ReLU(), KeyError, "attribute 'training' already exists"),
        ("a.b", nn.ReLU(), KeyError, 'module name can\'t contain ".", got: a.b'),
        ("", nn.ReLU(), KeyError, 'module name can\'t be empty string ""'),
    ],
)
def test_add_module_rejects_bad_names_and_values(name, module, error, message) -> None:
    with pytest.raises(error) as info:
        nn.Module().add_module(name, module)
    assert info.value.args[0] == message


def test_missing_attribute_raises_attribute_error_naming_the_class() -> None:
    with pytest.raises(AttributeError, match=re.escape("'TenseMLP' object has no attribute 'fc3'")):
        _ = TenseMLP().fc3


def test_delattr_removes_parameters_modules_and_plain_attributes() -> None:
    model = TenseMLP()
    del model.fc2
    assert list(model._modules) == ["fc1"]
    del model.fc1.bias
    assert list(model.state_dict()) == ["fc1.weight"]
    model.note = "x"
    del model.note
    assert not hasattr(model, "note")
    with pytest.raises(AttributeError, match="'TenseMLP' object has no attribute 'missing'"):
        del model.missing


def test_dir_lists_parameters_and_children_but_not_numeric_names() -> None:
    model = TenseMLP()
    names = dir(model)
    assert {"fc1", "fc2", "forward", "training", "parameters"} <= set(names)
    assert names == sorted(names)
    seq = nn.Sequential(nn.ReLU())
    assert "0" not in dir(seq)
    assert "weight" in dir(nn.Linear(1, 1))


# ------------------------------------------------------------------ lookup


def test_get_submodule_follows_dotted_paths() -> None:
    outer = nn.Sequential(TenseMLP())
    assert outer.get_submodule("") is outer
    assert outer.get_submodule("0.fc2") is outer[0].fc2


def test_get_submodule_errors() -> None:
    model = TenseMLP()
    with pytest.raises(AttributeError, match=re.escape("TenseMLP has no attribute `x`")):
        model.get_submodule("x.y")
    with pytest.raises(AttributeError, match=re.escape("`training` is not an nn.Module")):
        model.get_submodule("training")


def test_get_parameter_follows_dotted_paths_and_checks_the_type() -> None:
    model = TenseMLP()
    assert model.get_parameter("fc1.bias") is model.fc1.bias
    with pytest.raises(AttributeError, match=re.escape("`fc1` is not an nn.Parameter")):
        model.get_parameter("fc1")
    with pytest.raises(AttributeError, match=re.escape("Linear has no attribute `gamma`")):
        model.get_parameter("fc1.gamma")


def test_set_submodule_replaces_or_adds_a_child() -> None:
    model = TenseMLP()
    new = nn.Linear(16, 3)
    model.set_submodule("fc2", new)
    assert model.fc2 is new
    model.set_submodule("fc3", nn.ReLU())
    assert list(model._modules) == ["fc1", "fc2", "fc3"]
    with pytest.raises(AttributeError, match=re.escape("TenseMLP has no attribute `fc4`")):
        model.set_submodule("fc4", nn.ReLU(), strict=True)
    with pytest.raises(
        ValueError, match=re.escape("Cannot set the submodule without a target name!")
    ):
        model.set_submodule("", nn.ReLU())
    with pytest.raises(ValueError, match=re.escape("`module` is not an nn.Module")):
        model.set_submodule("fc2", 3)
    with pytest.raises(AttributeError, match=re.escape("`weight` is not an nn.Module")):
        model.set_submodule("fc1.weight", nn.ReLU())


# ------------------------------------------------------------------ iteration


def test_named_parameters_of_tense_mlp_are_in_definition_order() -> None:
    model = TenseMLP()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    shapes = [tuple(p.shape) for p in model.parameters()]
    assert shapes == [(16, 23), (16,), (5, 16), (5,)]


def test_parameters_are_the_module_attributes_themselves() -> None:
    model = TenseMLP()
    params = list(model.parameters())
    expected = [model.fc1.weight, model.fc1.bias, model.fc2.weight, model.fc2.bias]
    assert all(a is b for a, b in zip(params, expected, strict=True))


def test_own_parameters_come_before_children() -> None:
    class Mixed(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.child = nn.Linear(1, 1)
            self.own = nn.Parameter(mm.ones(1))

    assert [n for n, _ in Mixed().named_parameters()] == ["own", "child.weight", "child.bias"]


def test_named_parameters_prefix_and_recurse() -> None:
    model = Scale()
    model.inner = nn.Linear(1, 1)
    assert [n for n, _ in model.named_parameters(prefix="m")] == [
        "m.factor",
        "m.inner.weight",
        "m.inner.bias",
    ]
    assert [n for n, _ in model.named_parameters(recurse=False)] == ["factor"]
    assert len(list(model.parameters(recurse=False))) == 1


def test_shared_parameters_are_yielded_once() -> None:
    model = Tied()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["encoder.weight", "encoder.bias", "other.weight", "other.bias"]
    assert len(list(model.parameters())) == 4


def test_shared_parameter_between_two_modules_is_yielded_once() -> None:
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    b.weight = a.weight
    model = nn.Sequential(a, b)
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias", "1.bias"]


def test_remove_duplicate_false_yields_shared_parameters_again() -> None:
    names = [n for n, _ in Tied().named_parameters(remove_duplicate=False)]
    assert names == [
        "encoder.weight",
        "encoder.bias",
        "decoder.weight",
        "decoder.bias",
        "other.weight",
        "other.bias",
    ]


def test_children_and_named_children_skip_duplicates_and_none() -> None:
    model = Tied()
    model.empty = None
    assert [n for n, _ in model.named_children()] == ["encoder", "other"]
    assert list(model.children()) == [model.encoder, model.other]


def test_modules_and_named_modules_walk_depth_first() -> None:
    inner = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    model = nn.Sequential(inner, nn.Tanh())
    names = [n for n, _ in model.named_modules()]
    assert names == ["", "0", "0.0", "0.1", "1"]
    assert list(model.modules())[2] is inner[0]
    assert [n for n, _ in model.named_modules(prefix="net")][:2] == ["net", "net.0"]


def test_named_modules_yields_a_shared_module_once_unless_asked() -> None:
    layer = nn.Linear(2, 2)
    net = nn.Sequential(layer, layer)
    assert [n for n, _ in net.named_modules()] == ["", "0"]
    assert [n for n, _ in net.named_modules(remove_duplicate=False)] == ["", "0", "1"]
    assert len(list(net.modules())) == 2


# ------------------------------------------------------------------ grads and modes


def _backward_once(model: TenseMLP) -> None:
    model(mm.randn(4, 23)).sum().backward()


def test_zero_grad_sets_grads_to_none_by_default() -> None:
    model = TenseMLP()
    _backward_once(model)
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_zero_grad_without_set_to_none_fills_zeros_in_place() -> None:
    model = TenseMLP()
    _backward_once(model)
    grads = [p.grad for p in model.parameters()]
    model.zero_grad(set_to_none=False)
    for p, g in zip(model.parameters(), grads, strict=True):
        assert p.grad is g
        assert not p.grad.numpy().any()


def test_zero_grad_skips_parameters_without_grad() -> None:
    model = TenseMLP()
    model.zero_grad(set_to_none=False)
    assert all(p.grad is None for p in model.parameters())


def test_train_and_eval_set_training_recursively() -> None:
    model = nn.Sequential(TenseMLP(), nn.ReLU())
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    assert model.train() is model
    assert all(m.training for m in model.modules())
    model.train(False)
    assert not model[0].fc1.training


def test_train_rejects_a_non_boolean_mode() -> None:
    with pytest.raises(ValueError, match=re.escape("training mode is expected to be boolean")):
        TenseMLP().train(1)


def test_requires_grad_freezes_and_unfreezes_every_parameter() -> None:
    model = TenseMLP()
    assert model.requires_grad_(False) is model
    assert not any(p.requires_grad for p in model.parameters())
    model.fc2.requires_grad_()
    assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]


def test_apply_visits_children_first_then_self_and_returns_self() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    seen: list[str] = []
    assert model.apply(lambda m: seen.append(type(m).__name__)) is model
    assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_apply_can_initialize_weights() -> None:
    def init_weights(m: nn.Module) -> None:
        if type(m) is nn.Linear:
            nn.init.ones_(m.weight)

    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2)).apply(init_weights)
    assert all(net[i].weight.detach().numpy().all() for i in range(2))


# ------------------------------------------------------------------ calling


def test_calling_a_module_runs_forward() -> None:
    out = Scale(3.0)(mm.tensor([1.0, 2.0]))
    np.testing.assert_array_equal(out.detach().numpy(), [3.0, 6.0])


def test_calling_a_module_passes_keyword_arguments() -> None:
    class Add(nn.Module):
        def forward(self, a, b=0):
            return a + b

    assert Add()(1, b=2) == 3


def test_a_module_without_forward_raises_not_implemented() -> None:
    class NoForward(nn.Module):
        pass

    with pytest.raises(
        NotImplementedError, match='Module \\[NoForward\\] is missing the required "forward"'
    ):
        NoForward()(mm.ones(1))


def test_module_init_rejects_arguments() -> None:
    with pytest.raises(TypeError, match=r"Module.__init__\(\) takes 1 positional argument"):
        nn.Module(3)
    with pytest.raises(TypeError, match=re.escape("got an unexpected keyword argument 'x'")):
        nn.Module(x=3)


# ------------------------------------------------------------------ dtype


def test_double_casts_parameters_and_grads_in_place() -> None:
    model = TenseMLP()
    _backward_once(model)
    params = list(model.parameters())
    assert model.double() is model
    assert [p is q for p, q in zip(params, model.parameters(), strict=True)] == [True] * 4
    assert all(p.dtype == mm.float64 and p.grad.dtype == mm.float64 for p in params)
    out = model(mm.randn(2, 23, dtype=mm.float64))
    assert out.dtype == mm.float64
    model.float()
    assert all(p.dtype == mm.float32 for p in params)


def test_float_leaves_integer_parameters_alone_but_type_casts_everything() -> None:
    m = nn.Module()
    m.count = nn.Parameter(mm.arange(3), requires_grad=False)
    m.w = nn.Parameter(mm.ones(2))
    m.double()
    assert (m.count.dtype, m.w.dtype) == (mm.int64, mm.float64)
    m.half()
    assert m.w.dtype == mm.float16
    m.type(mm.float32)
    assert (m.count.dtype, m.w.dtype) == (mm.float32, mm.float32)


def test_to_accepts_a_dtype_and_the_cpu_only() -> None:
    model = TenseMLP()
    assert model.to("cpu") is model and model.cpu() is model
    assert model.to(mm.float64).fc1.weight.dtype == mm.float64
    assert model.to(device="cpu", dtype=mm.float32).fc1.weight.dtype == mm.float32
    assert model.to(mm.zeros(1, dtype=mm.float64)).fc1.weight.dtype == mm.float64
    with pytest.raises(RuntimeError, match=re.escape("CPU only")):
        model.to("cuda")
    with pytest.raises(TypeError, match=re.escape("only accepts floating point or complex dtypes")):
        model.to(mm.int64)
    assert model.to(memory_format=None) is model  # accepted, as PyTorch: no layout to change
    with pytest.raises(RuntimeError, match=re.escape(".to() does not accept copy argument")):
        model.to(copy=False)
    with pytest.raises(TypeError, match=re.escape("unexpected keyword argument 'bogus'")):
        model.to(bogus=None)


# ------------------------------------------------------------------ copying


def test_deepcopy_gives_independent_parameters_and_keeps_sharing() -> None:
    model = Tied()
    clone = copy.deepcopy(model)
    assert clone.decoder is clone.encoder
    assert clone.encoder.weight is not model.encoder.weight
    with mm.no_grad():
        clone.encoder.weight.fill_(0.0)
    assert model.encoder.weight.detach().numpy().any()


# ------------------------------------------------------------------ state_dict


def test_state_dict_keys_order_and_shapes() -> None:
    state = TenseMLP().state_dict()
    assert isinstance(state, OrderedDict)
    assert [(k, tuple(v.shape)) for k, v in state.items()] == [
        ("fc1.weight", (16, 23)),
        ("fc1.bias", (16,)),
        ("fc2.weight", (5, 16)),
        ("fc2.bias", (5,)),
    ]


def test_state_dict_holds_detached_tensors_sharing_the_parameters_memory() -> None:
    model = TenseMLP()
    state = model.state_dict()
    weight = state["fc1.weight"]
    assert type(weight) is mm.Tensor and not weight.requires_grad
    with mm.no_grad():
        model.fc1.weight.fill_(3.0)
    assert (weight.numpy() == 3.0).all()


def test_state_dict_keep_vars_returns_the_parameters() -> None:
    model = TenseMLP()
    assert model.state_dict(keep_vars=True)["fc1.weight"] is model.fc1.weight


def test_state_dict_prefix_and_destination() -> None:
    dest: dict = {"x": 1}
    out = TenseMLP().state_dict(destination=dest, prefix="model.")
    assert out is dest
    assert list(dest) == [
        "x",
        "model.fc1.weight",
        "model.fc1.bias",
        "model.fc2.weight",
        "model.fc2.bias",
    ]


def test_state_dict_positional_arguments_warn_as_deprecated() -> None:
    dest: dict = {}
    with pytest.warns(FutureWarning, match=re.escape("Positional args are being deprecated")):
        TenseMLP().state_dict(dest, "m.", True)
    assert next(iter(dest)) == "m.fc1.weight"
    assert isinstance(dest["m.fc1.weight"], nn.Parameter)


def test_state_dict_lists_a_shared_module_under_every_name() -> None:
    assert list(Tied().state_dict()) == [
        "encoder.weight",
        "encoder.bias",
        "decoder.weight",
        "decoder.bias",
        "other.weight",
        "other.bias",
    ]


# ------------------------------------------------------------------ load_state_dict


def test_load_state_dict_copies_values_into_the_same_parameters() -> None:
    source, target = TenseMLP(), TenseMLP()
    params = list(target.parameters())
    result = target.load_state_dict(source.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert all(p is q for p, q in zip(params, target.parameters(), strict=True))
    for (k, a), b in zip(source.state_dict().items(), target.state_dict().values(), strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=k)
    # A copy, not an alias: later changes to the source do not reach the target.
    with mm.no_grad():
        source.fc1.weight.fill_(9.0)
    assert not (target.fc1.weight.detach().numpy() == 9.0).any()


def test_load_state_dict_keeps_an_optimizer_working() -> None:
    model = TenseMLP()
    params = list(model.parameters())
    model.load_state_dict({k: mm.zeros(*v.shape) for k, v in model.state_dict().items()})
    model(mm.ones(1, 23)).sum().backward()
    with mm.no_grad():
        for p in params:
            p -= 0.5 * p.grad
    assert model.fc2.bias.detach().numpy().tolist() == [-0.5] * 5


def test_load_state_dict_casts_the_dtype_to_the_parameters() -> None:
    model = nn.Linear(2, 1)
    model.load_state_dict(
        {"weight": mm.tensor([[1.0, 2.0]], dtype=mm.float64), "bias": mm.zeros(1)}
    )
    assert model.weight.dtype == mm.float32
    assert model.weight.detach().numpy().tolist() == [[1.0, 2.0]]


def test_load_state_dict_accepts_a_one_element_vector_for_a_scalar_parameter() -> None:
    m = nn.Module()
    m.s = nn.Parameter(mm.tensor(1.0))
    m.load_state_dict({"s": mm.tensor([4.0])})
    assert m.s.item() == 4.0


def test_load_state_dict_not_strict_reports_missing_and_unexpected_keys() -> None:
    model = TenseMLP()
    state = model.state_dict()
    del state["fc2.bias"]
    state["fc3.weight"] = mm.zeros(1)
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["fc2.bias"]
    assert result.unexpected_keys == ["fc3.weight"]
    assert (
        repr(result)
        == "_IncompatibleKeys(missing_keys=['fc2.bias'], unexpected_keys=['fc3.weight'])"
    )
    missing, unexpected = result
    assert (missing, unexpected) == (["fc2.bias"], ["fc3.weight"])


def test_load_state_dict_with_missing_key_changes_nothing() -> None:
    model = TenseMLP()
    before = _snapshot(model)
    state = _zeroed_state(model)
    del state["fc2.bias"]
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    assert str(info.value) == (
        'Error(s) in loading state_dict for TenseMLP:\n\tMissing key(s) in state_dict: "fc2.bias". '
    )
    _assert_unchanged(model, before)


def test_load_state_dict_with_unexpected_key_changes_nothing() -> None:
    model = TenseMLP()
    before = _snapshot(model)
    state = _zeroed_state(model)
    state["fc1.scale"] = mm.ones(1)
    state["head.weight"] = mm.ones(1)
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    assert str(info.value) == (
        "Error(s) in loading state_dict for TenseMLP:\n"
        '\tUnexpected key(s) in state_dict: "head.weight", "fc1.scale". '
    )
    _assert_unchanged(model, before)


def test_load_state_dict_with_size_mismatch_changes_nothing() -> None:
    model = TenseMLP()
    before = _snapshot(model)
    state = _zeroed_state(model)
    state["fc1.weight"] = mm.zeros(16, 22)
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    assert str(info.value) == (
        "Error(s) in loading state_dict for TenseMLP:\n\tsize mismatch for fc1.weight: copying a "
        "param with shape minimodel.Size([16, 22]) from checkpoint, the shape in current model is "
        "minimodel.Size([16, 23])."
    )
    _assert_unchanged(model, before)


def test_load_state_dict_size_mismatch_raises_even_when_not_strict() -> None:
    model = TenseMLP()
    before = _snapshot(model)
    state = _zeroed_state(model)
    state["fc2.bias"] = mm.zeros(6)
    with pytest.raises(RuntimeError, match=re.escape("size mismatch for fc2.bias")):
        model.load_state_dict(state, strict=False)
    _assert_unchanged(model, before)


def test_load_state_dict_lists_every_error_in_order() -> None:
    model = TenseMLP()
    state = {"fc1.weight": mm.zeros(1), "fc1.bias": mm.zeros(16), "extra": mm.zeros(1)}
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    lines = str(info.value).split("\n\t")
    assert lines[0] == "Error(s) in loading state_dict for TenseMLP:"
    assert lines[1] == 'Missing key(s) in state_dict: "fc2.weight", "fc2.bias". '
    assert lines[2] == 'Unexpected key(s) in state_dict: "extra". '
    assert lines[3].startswith("size mismatch for fc1.weight:")


def test_load_state_dict_of_a_non_tensor_value_raises_and_changes_nothing() -> None:
    model = nn.Linear(2, 1)
    before = _snapshot(model)
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict({"weight": np.zeros((1, 2)), "bias": mm.zeros(1)})
    assert str(info.value) == (
        "Error(s) in loading state_dict for Linear:\n\tWhile copying the parameter named "
        '"weight", expected minimodel.Tensor or Tensor-like object from checkpoint but received '
        "<class 'numpy.ndarray'>"
    )
    _assert_unchanged(model, before)


def test_load_state_dict_rejects_a_non_mapping() -> None:
    with pytest.raises(
        TypeError, match=re.escape("Expected state_dict to be dict-like, got <class 'list'>.")
    ):
        TenseMLP().load_state_dict([1])


def test_load_state_dict_assign_puts_the_given_tensors_in_the_module() -> None:
    model = TenseMLP()
    model.fc2.requires_grad_(False)
    state = _zeroed_state(model)
    model.load_state_dict(state, assign=True)
    assert isinstance(model.fc1.weight, nn.Parameter)
    assert model.fc1.weight.requires_grad and not model.fc2.weight.requires_grad
    state["fc1.weight"].numpy()[0, 0] = 5.0  # assign shares the array with the state dict
    assert model.fc1.weight.detach().numpy()[0, 0] == 5.0


def test_load_state_dict_assign_keeps_a_given_parameter() -> None:
    model = nn.Linear(1, 1)
    weight = nn.Parameter(mm.ones(1, 1))
    model.load_state_dict({"weight": weight, "bias": mm.zeros(1)}, assign=True)
    assert model.weight is weight


def test_load_state_dict_roundtrip_into_a_fresh_model_gives_the_same_outputs() -> None:
    source, target = TenseMLP(), TenseMLP()
    target.load_state_dict(source.state_dict())
    x = mm.randn(7, 23)
    np.testing.assert_array_equal(source(x).detach().numpy(), target(x).detach().numpy())


# ------------------------------------------------------------------ repr


def test_repr_of_tense_mlp() -> None:
    assert repr(TenseMLP()) == (
        "TenseMLP(\n"
        "  (fc1): Linear(in_features=23, out_features=16, bias=True)\n"
        "  (fc2): Linear(in_features=16, out_features=5, bias=True)\n"
        ")"
    )


def test_repr_indents_nested_modules() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(TenseMLP(), nn.ReLU()))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=2, bias=True)\n"
        "  (1): Sequential(\n"
        "    (0): TenseMLP(\n"
        "      (fc1): Linear(in_features=23, out_features=16, bias=True)\n"
        "      (fc2): Linear(in_features=16, out_features=5, bias=True)\n"
        "    )\n"
        "    (1): ReLU()\n"
        "  )\n"
        ")"
    )


def test_repr_of_a_module_without_children_or_extra_repr() -> None:
    assert repr(nn.Module()) == "Module()"
    assert repr(Scale()) == "Scale()"


def test_repr_puts_extra_repr_lines_before_children() -> None:
    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = nn.ReLU()

        def extra_repr(self) -> str:
            return "size=3\nmode=fast"

    assert repr(Block()) == "Block(\n  size=3\n  mode=fast\n  (inner): ReLU()\n)"


def test_zero_grad_without_set_to_none_detaches_a_grad_with_history() -> None:
    model = Scale()
    model.factor.grad = mm.ones(1, requires_grad=True) * 2
    model.zero_grad(set_to_none=False)
    assert model.factor.grad.grad_fn is None and not model.factor.grad.requires_grad
    assert model.factor.grad.tolist() == [0.0]
