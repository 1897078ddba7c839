"""Activation, Flatten and Identity layers: values, printing, in-place ReLU."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import check_gradients

import minimodel as mm
from minimodel import nn

rng = np.random.default_rng(1)
X = rng.standard_normal((3, 4)).astype(np.float32)


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize(
    ("layer", "reference"),
    [
        (nn.ReLU(), lambda x: np.maximum(x, 0)),
        (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
        (nn.Tanh(), np.tanh),
        (nn.Softmax(dim=1), lambda x: _softmax(x, 1)),
        (nn.Softmax(dim=0), lambda x: _softmax(x, 0)),
        (nn.LogSoftmax(dim=1), lambda x: np.log(_softmax(x, 1))),
        (nn.LogSoftmax(dim=-2), lambda x: np.log(_softmax(x, 0))),
    ],
    ids=lambda v: repr(v) if isinstance(v, nn.Module) else "",
)
def test_activation_values(layer, reference) -> None:
    out = layer(mm.tensor(X))
    np.testing.assert_allclose(out.detach().numpy(), reference(X), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("layer", "text"),
    [
        (nn.ReLU(), "ReLU()"),
        (nn.ReLU(inplace=True), "ReLU(inplace=True)"),
        (nn.Sigmoid(), "Sigmoid()"),
        (nn.Tanh(), "Tanh()"),
        (nn.Softmax(dim=1), "Softmax(dim=1)"),
        (nn.Softmax(), "Softmax(dim=None)"),
        (nn.LogSoftmax(dim=-1), "LogSoftmax(dim=-1)"),
        (nn.Flatten(), "Flatten(start_dim=1, end_dim=-1)"),
        (nn.Flatten(0, 2), "Flatten(start_dim=0, end_dim=2)"),
        (nn.Identity(), "Identity()"),
    ],
)
def test_layer_repr(layer, text) -> None:
    assert repr(layer) == text


def test_activations_have_no_parameters() -> None:
    for layer in (nn.ReLU(), nn.Sigmoid(), nn.Tanh(), nn.Softmax(1), nn.Flatten(), nn.Identity()):
        assert list(layer.parameters()) == []
        assert list(layer.state_dict()) == []


def test_softmax_without_dim_warns_and_picks_pytorch_default() -> None:
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = nn.Softmax()(mm.tensor(X))
    np.testing.assert_allclose(out.numpy(), _softmax(X, 1), rtol=1e-5)
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        out = nn.LogSoftmax()(mm.tensor(X[0]))
    np.testing.assert_allclose(out.numpy(), np.log(_softmax(X[0], 0)), rtol=1e-5)


def test_relu_inplace_overwrites_and_returns_its_input() -> None:
    x = mm.tensor([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(x) is x
    assert x.tolist() == [0.0, 2.0]


def test_relu_inplace_on_a_leaf_that_requires_grad_raises() -> None:
    x = mm.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        nn.ReLU(inplace=True)(x)


def test_relu_inplace_keeps_the_gradient_flowing() -> None:
    def fn(x: mm.Tensor) -> mm.Tensor:
        h = x * 2
        return nn.ReLU(inplace=True)(h) * 3

    check_gradients(fn, [np.array([[-1.5, 0.7], [2.0, -0.3]])])


@pytest.mark.parametrize(
    ("layer", "shape", "out_shape"),
    [
        (nn.Flatten(), (32, 1, 5, 5), (32, 25)),
        (nn.Flatten(0, 2), (2, 3, 4), (24,)),
        (nn.Flatten(-2), (2, 3, 4), (2, 12)),
        (nn.Flatten(0, 1), (3, 1), (3,)),
    ],
)
def test_flatten_merges_the_given_dimensions(layer, shape, out_shape) -> None:
    x = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    out = layer(mm.tensor(x))
    assert out.shape == mm.Size(out_shape)
    np.testing.assert_array_equal(out.numpy().reshape(-1), x.reshape(-1))


def test_flatten_passes_gradients_back() -> None:
    check_gradients(nn.Flatten(), [rng.standard_normal((2, 3, 2))])


def test_identity_returns_its_input_and_ignores_arguments() -> None:
    x = mm.randn(2, 3)
    assert nn.Identity(54, unused_argument1=0.1)(x) is x
