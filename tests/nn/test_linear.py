"""Linear: shapes, PyTorch's default initialization, the fused forward and its errors."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from gradcheck import check_gradients

import minimodel as mm
from minimodel import nn
from minimodel.nn import functional as F

rng = np.random.default_rng(0)


def test_linear_parameters_have_pytorch_shapes() -> None:
    layer = nn.Linear(23, 16)
    assert isinstance(layer.weight, nn.Parameter) and isinstance(layer.bias, nn.Parameter)
    assert layer.weight.shape == mm.Size([16, 23])
    assert layer.bias.shape == mm.Size([16])
    assert layer.weight.dtype == mm.float32
    assert (layer.in_features, layer.out_features) == (23, 16)


def test_linear_default_init_stays_within_one_over_sqrt_in_features() -> None:
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    # Uniform on [-bound, bound]: it nearly reaches the bound and has std bound / sqrt(3).
    assert np.abs(w).max() > 0.99 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.02 * bound
    assert abs(w.mean()) < 0.01 * bound


def test_linear_init_is_reproducible_with_manual_seed() -> None:
    mm.manual_seed(3)
    a = nn.Linear(4, 2)
    mm.manual_seed(3)
    b = nn.Linear(4, 2)
    np.testing.assert_array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())
    np.testing.assert_array_equal(a.bias.detach().numpy(), b.bias.detach().numpy())


def test_reset_parameters_draws_new_values_into_the_same_parameters() -> None:
    layer = nn.Linear(5, 3)
    weight, before = layer.weight, layer.weight.detach().numpy().copy()
    layer.reset_parameters()
    assert layer.weight is weight
    assert not np.array_equal(before, layer.weight.detach().numpy())


def test_linear_without_bias_registers_none() -> None:
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None
    assert list(layer.state_dict()) == ["weight"]
    assert repr(layer) == "Linear(in_features=3, out_features=2, bias=False)"


def test_linear_repr() -> None:
    assert repr(nn.Linear(23, 16)) == "Linear(in_features=23, out_features=16, bias=True)"


def test_linear_with_float64_dtype() -> None:
    layer = nn.Linear(3, 2, dtype=mm.float64)
    assert layer.weight.dtype == mm.float64 and layer.bias.dtype == mm.float64
    assert layer(mm.ones(4, 3, dtype=mm.float64)).dtype == mm.float64


def test_linear_on_another_device_fails() -> None:
    with pytest.raises(RuntimeError, match="CPU only"):
        nn.Linear(2, 2, device="cuda")
    assert nn.Linear(2, 2, device="cpu").weight.shape == mm.Size([2, 2])


def test_linear_with_no_inputs_warns_and_has_zero_bias() -> None:
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        layer = nn.Linear(0, 3)
    assert not layer.bias.detach().numpy().any()


def test_linear_forward_computes_x_at_weight_transposed_plus_bias() -> None:
    layer = nn.Linear(4, 3)
    x = rng.standard_normal((5, 4)).astype(np.float32)
    expected = x @ layer.weight.detach().numpy().T + layer.bias.detach().numpy()
    np.testing.assert_allclose(layer(mm.tensor(x)).detach().numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("shape", "out_shape"), [((4,), (3,)), ((2, 4), (2, 3)), ((2, 5, 4), (2, 5, 3))]
)
def test_linear_applies_to_the_last_dimension(shape, out_shape) -> None:
    layer = nn.Linear(4, 3)
    x = rng.standard_normal(shape).astype(np.float32)
    out = layer(mm.tensor(x))
    assert out.shape == mm.Size(out_shape)
    expected = x @ layer.weight.detach().numpy().T + layer.bias.detach().numpy()
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6, atol=1e-7)


def test_linear_on_a_2d_batch_is_one_fused_addmm_node() -> None:
    layer = nn.Linear(4, 3)
    out = layer(mm.randn(2, 4))
    assert out.grad_fn.name() == "AddmmBackward0"
    assert out.grad_fn.inputs[1] is layer.weight and out.grad_fn.inputs[2] is layer.bias


def test_linear_without_bias_records_mm() -> None:
    assert nn.Linear(4, 3, bias=False)(mm.randn(2, 4)).grad_fn.name() == "MmBackward0"


@pytest.mark.parametrize("shape", [(4,), (2, 3, 4)])
def test_linear_with_bias_on_other_ranks_reshapes_around_the_fused_node(shape) -> None:
    out = nn.Linear(4, 3)(mm.randn(*shape))
    assert out.grad_fn.name() == "ViewBackward0"


@pytest.mark.parametrize("x_shape", [(5, 4), (4,), (2, 3, 4)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_gradients_match_finite_differences(x_shape, with_bias) -> None:
    arrays = [rng.standard_normal(x_shape), rng.standard_normal((3, 4))]
    if with_bias:
        arrays.append(rng.standard_normal(3))
    check_gradients(F.linear, arrays)


def test_linear_gradient_with_broadcast_bias() -> None:
    arrays = [rng.standard_normal((5, 4)), rng.standard_normal((3, 4)), rng.standard_normal(1)]
    check_gradients(F.linear, arrays)


def test_linear_only_computes_gradients_that_are_needed() -> None:
    layer = nn.Linear(4, 3)
    x = mm.randn(2, 4)
    layer(x).sum().backward()
    assert x.grad is None and layer.weight.grad is not None
    np.testing.assert_allclose(layer.bias.grad.numpy(), [2.0, 2.0, 2.0])


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((2, 5), "mat1 and mat2 shapes cannot be multiplied (2x5 and 3x4)"),
        ((5,), "mat1 and mat2 shapes cannot be multiplied (1x5 and 3x4)"),
        ((2, 6, 5), "mat1 and mat2 shapes cannot be multiplied (12x5 and 3x4)"),
        ((), "both arguments to linear need to be at least 1D, but they are 0D and 2D"),
    ],
)
def test_linear_with_a_wrong_input_width_names_both_shapes(shape, message) -> None:
    layer = nn.Linear(3, 4)
    with pytest.raises(RuntimeError, match=re.escape(message)):
        layer(mm.ones(*shape))


def test_linear_rejects_a_different_input_dtype() -> None:
    with pytest.raises(
        RuntimeError, match="mat1 and mat2 must have the same dtype, but got Double"
    ):
        nn.Linear(3, 4)(mm.ones(2, 3, dtype=mm.float64))
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        nn.Linear(3, 4, bias=False)(mm.ones(2, 3, dtype=mm.int64))


def test_functional_linear_checks_the_bias() -> None:
    x, w = mm.ones(2, 3), mm.ones(4, 3)
    with pytest.raises(RuntimeError, match=re.escape("The expanded size of the tensor (4)")):
        F.linear(x, w, mm.ones(5))
    with pytest.raises(RuntimeError, match="self and mat2 must have the same dtype"):
        F.linear(x, w, mm.ones(4, dtype=mm.float64))
    with pytest.raises(TypeError, match="argument 'input' \\(position 1\\) must be Tensor"):
        F.linear(np.ones((2, 3)), w)


def test_functional_linear_with_a_vector_weight_is_a_dot_product() -> None:
    out = F.linear(mm.ones(2, 3), mm.tensor([1.0, 2.0, 3.0]), mm.tensor(1.0))
    np.testing.assert_array_equal(out.numpy(), [7.0, 7.0])
