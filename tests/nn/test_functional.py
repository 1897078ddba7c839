"""nn.functional: values, gradients against finite differences (float64), stability, errors."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from gradcheck import check_gradients

import minimodel as mm
from minimodel.nn import functional as F

rng = np.random.default_rng(2)
REDUCTIONS = ["mean", "sum", "none"]


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


def test_nn_functional_is_importable_as_f() -> None:
    import minimodel.nn.functional as F2

    assert F2 is F
    assert F2.relu is F.relu


# -------------------------------------------------------------------- activations


@pytest.mark.parametrize(
    ("fn", "reference"),
    [
        (F.relu, lambda x: np.maximum(x, 0)),
        (F.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
        (F.tanh, np.tanh),
    ],
)
def test_pointwise_activation_values_and_gradients(fn, reference) -> None:
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(fn(mm.tensor(x)).numpy(), reference(x), rtol=1e-12)
    check_gradients(fn, [x])


@pytest.mark.parametrize("shape_dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1)])
def test_softmax_and_log_softmax_values_and_gradients(shape_dim) -> None:
    shape, dim = shape_dim
    x = rng.standard_normal(shape)
    logp = _log_softmax(x, dim)
    np.testing.assert_allclose(F.log_softmax(mm.tensor(x), dim).numpy(), logp, rtol=1e-12)
    np.testing.assert_allclose(F.softmax(mm.tensor(x), dim).numpy(), np.exp(logp), rtol=1e-12)
    check_gradients(lambda t: F.softmax(t, dim), [x])
    check_gradients(lambda t: F.log_softmax(t, dim), [x])


def test_softmax_records_its_own_node() -> None:
    x = mm.randn(2, 3, requires_grad=True)
    assert F.softmax(x, 1).grad_fn.name() == "SoftmaxBackward0"
    assert F.log_softmax(x, 1).grad_fn.name() == "LogSoftmaxBackward0"


def test_softmax_of_huge_logits_is_finite() -> None:
    x = mm.tensor([[1e4, 0.0, -1e4], [1e4, 1e4, 0.0]])
    assert F.softmax(x, 1).tolist() == [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]
    assert F.log_softmax(x, 1).tolist() == [
        [0.0, -1e4, -2e4],
        pytest.approx([-np.log(2), -np.log(2), -1e4 - np.log(2)]),
    ]


def test_softmax_of_a_scalar_and_of_an_empty_tensor() -> None:
    assert F.softmax(mm.tensor(3.0), 0).item() == 1.0
    assert F.log_softmax(mm.zeros(3, 0), 1).shape == mm.Size([3, 0])


def test_softmax_casts_to_the_given_dtype() -> None:
    out = F.softmax(mm.arange(3), 0, dtype=mm.float64)
    assert out.dtype == mm.float64
    np.testing.assert_allclose(out.numpy(), np.exp(_log_softmax(np.arange(3.0), 0)))


def test_softmax_errors() -> None:
    with pytest.raises(
        IndexError, match=re.escape("expected to be in range of [-2, 1], but got 2")
    ):
        F.softmax(mm.ones(2, 2), 2)
    with pytest.raises(NotImplementedError, match=r"softmax_lastdim_kernel_impl.*'Long'"):
        F.softmax(mm.arange(3), 0)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        F.softmax(mm.ones(2, 2))


# -------------------------------------------------------------------- mse_loss


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_loss_values_and_gradients(reduction) -> None:
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    out = F.mse_loss(mm.tensor(x), mm.tensor(y), reduction=reduction)
    np.testing.assert_allclose(out.numpy(), _reduce((x - y) ** 2, reduction), rtol=1e-12)
    check_gradients(lambda a, b: F.mse_loss(a, b, reduction=reduction), [x, y])


def test_mse_loss_records_its_own_node() -> None:
    out = F.mse_loss(mm.randn(2, requires_grad=True), mm.randn(2))
    assert out.grad_fn.name() == "MseLossBackward0"


def test_mse_loss_with_a_different_target_size_warns_and_broadcasts() -> None:
    x, y = rng.standard_normal((3, 4)), rng.standard_normal(4)
    with pytest.warns(UserWarning) as record:
        out = F.mse_loss(mm.tensor(x), mm.tensor(y))
    assert str(record[0].message) == (
        "Using a target size (minimodel.Size([4])) that is different to the input size "
        "(minimodel.Size([3, 4])). This will likely lead to incorrect results due to "
        "broadcasting. Please ensure they have the same size."
    )
    np.testing.assert_allclose(out.numpy(), ((x - y) ** 2).mean(), rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_gradients(F.mse_loss, [x, y])


def test_mse_loss_same_size_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.mse_loss(mm.ones(3), mm.tensor([0.0, 1.0, 3.0]))
    assert out.item() == pytest.approx(5 / 3)


def test_mse_loss_of_float_input_and_integer_target_is_float32() -> None:
    out = F.mse_loss(mm.ones(3), mm.tensor([0, 1, 2]))
    assert out.dtype == mm.float32 and out.item() == pytest.approx(2 / 3)


def test_mse_loss_with_weight() -> None:
    x, y, w = rng.standard_normal(4), rng.standard_normal(4), rng.random(4)
    for reduction, expected in [
        ("none", w * (x - y) ** 2),
        ("sum", (w * (x - y) ** 2).sum()),
        ("mean", (w * (x - y) ** 2).sum() / w.sum()),
    ]:
        out = F.mse_loss(mm.tensor(x), mm.tensor(y), reduction=reduction, weight=mm.tensor(w))
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    with pytest.raises(ValueError, match=re.escape("Weights and input must have the same size.")):
        F.mse_loss(mm.ones(4), mm.ones(4), weight=mm.ones(2))
    with pytest.raises(ValueError, match="Invalid reduction mode: bad"):
        F.mse_loss(mm.ones(4), mm.ones(4), reduction="bad", weight=mm.ones(4))


def test_mse_loss_errors() -> None:
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        F.mse_loss(mm.ones(3), mm.ones(3), reduction="bad")
    with (
        pytest.raises(RuntimeError, match=re.escape("size of tensor a (3) must match the size")),
        pytest.warns(UserWarning),
    ):
        F.mse_loss(mm.ones(3), mm.ones(4))
    with pytest.raises(TypeError, match="argument 'target' \\(position 2\\) must be Tensor"):
        F.mse_loss(mm.ones(3), np.ones(3))


def test_legacy_size_average_and_reduce_arguments_choose_the_reduction() -> None:
    x, y = mm.tensor([1.0, 3.0]), mm.zeros(2)
    with pytest.warns(UserWarning, match="please use reduction='sum' instead"):
        assert F.mse_loss(x, y, size_average=False).item() == 10.0
    with pytest.warns(UserWarning, match="please use reduction='none' instead"):
        assert F.mse_loss(x, y, reduce=False).tolist() == [1.0, 9.0]
    with pytest.warns(UserWarning, match="please use reduction='mean' instead"):
        assert F.mse_loss(x, y, size_average=True).item() == 5.0


def test_elementwise_mean_is_a_deprecated_mean() -> None:
    with pytest.warns(UserWarning, match="reduction='elementwise_mean' is deprecated"):
        out = F.mse_loss(mm.tensor([1.0, 3.0]), mm.zeros(2), reduction="elementwise_mean")
    assert out.item() == 5.0


# -------------------------------------------------------------------- BCE with logits


def _bce(x, t, weight=None, pos_weight=None):
    log_sig, log_sig_neg = -np.logaddexp(0, -x), -np.logaddexp(0, x)
    pw = 1.0 if pos_weight is None else pos_weight
    loss = -(pw * t * log_sig + (1 - t) * log_sig_neg)
    return loss if weight is None else loss * weight


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", ["plain", "weight", "pos_weight", "both"])
def test_bce_with_logits_values_and_gradients(reduction, options) -> None:
    x, t = rng.standard_normal((3, 4)), rng.random((3, 4))
    w = rng.random(4) if options in ("weight", "both") else None
    pw = rng.random(4) * 3 if options in ("pos_weight", "both") else None
    kwargs = {
        "reduction": reduction,
        "weight": None if w is None else mm.tensor(w),
        "pos_weight": None if pw is None else mm.tensor(pw),
    }
    out = F.binary_cross_entropy_with_logits(mm.tensor(x), mm.tensor(t), **kwargs)
    np.testing.assert_allclose(out.numpy(), _reduce(_bce(x, t, w, pw), reduction), rtol=1e-12)
    check_gradients(lambda a, b: F.binary_cross_entropy_with_logits(a, b, **kwargs), [x, t])


def test_bce_with_logits_is_finite_for_huge_logits() -> None:
    x = mm.tensor([1e4, -1e4, 1e4, -1e4], requires_grad=True)
    t = mm.tensor([1.0, 0.0, 0.0, 1.0])
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    assert loss.tolist() == [0.0, 0.0, 1e4, 1e4]
    loss.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, -1.0]
    assert loss.grad_fn.name() == "BinaryCrossEntropyWithLogitsBackward0"


def test_bce_with_logits_errors() -> None:
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        F.binary_cross_entropy_with_logits(mm.ones(3), mm.ones(3), reduction="bad")
    with pytest.raises(ValueError) as info:
        F.binary_cross_entropy_with_logits(mm.ones(3, 5), mm.ones(5))
    assert str(info.value) == (
        "Target size (minimodel.Size([5])) must be the same as input size (minimodel.Size([3, 5]))"
    )
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired"):
        F.binary_cross_entropy_with_logits(mm.ones(3), mm.tensor([0, 1, 1]))
    with pytest.raises(RuntimeError, match=re.escape("size of tensor a (4) must match")):
        F.binary_cross_entropy_with_logits(mm.ones(3, 5), mm.ones(3, 5), pos_weight=mm.ones(4))


# -------------------------------------------------------------------- cross entropy


def _nll_reference(logp, target, weight=None, ignore_index=-100, reduction="mean"):
    """Reference NLL on (N, C) log-probabilities, straight from the definition."""
    n, c = logp.shape
    w = np.ones(c) if weight is None else weight
    losses, weights = [], []
    for i in range(n):
        if target[i] == ignore_index:
            losses.append(0.0)
            weights.append(0.0)
        else:
            losses.append(-w[target[i]] * logp[i, target[i]])
            weights.append(w[target[i]])
    losses = np.array(losses)
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.sum() / sum(weights)


TARGET = np.array([0, 4, 2, 4])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 4])
def test_cross_entropy_with_class_indices(reduction, weighted, ignore_index) -> None:
    x = rng.standard_normal((4, 5))
    w = rng.random(5) + 0.5 if weighted else None
    kwargs = {
        "reduction": reduction,
        "ignore_index": ignore_index,
        "weight": None if w is None else mm.tensor(w),
    }
    target = mm.tensor(TARGET)
    out = F.cross_entropy(mm.tensor(x), target, **kwargs)
    expected = _nll_reference(_log_softmax(x, 1), TARGET, w, ignore_index, reduction)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    check_gradients(lambda a: F.cross_entropy(a, target, **kwargs), [x])
    out_nll = F.nll_loss(mm.tensor(_log_softmax(x, 1)), target, **kwargs)
    np.testing.assert_allclose(out_nll.numpy(), expected, rtol=1e-12)
    check_gradients(lambda a: F.nll_loss(a, target, **kwargs), [x])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_with_label_smoothing(reduction, weighted) -> None:
    x, eps = rng.standard_normal((4, 5)), 0.2
    w = rng.random(5) + 0.5 if weighted else None
    target = np.array([0, 4, -100, 1])
    kwargs = {"reduction": reduction, "label_smoothing": eps, "weight": None}
    if w is not None:
        kwargs["weight"] = mm.tensor(w)
    out = F.cross_entropy(mm.tensor(x), mm.tensor(target), **kwargs)
    logp = _log_softmax(x, 1)
    valid = target != -100
    wv = np.ones(5) if w is None else w
    smooth = -(logp * wv).sum(axis=1) * valid
    nll = _nll_reference(logp, target, w, reduction="none")
    per_sample = (1 - eps) * nll + eps / 5 * smooth
    if reduction == "none":
        expected = per_sample
    elif reduction == "sum":
        expected = per_sample.sum()
    else:
        expected = per_sample.sum() / (wv[target[valid]]).sum()
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    check_gradients(lambda a: F.cross_entropy(a, mm.tensor(target), **kwargs), [x])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_on_a_single_sample_and_on_spatial_inputs(reduction) -> None:
    x1 = rng.standard_normal(5)
    t0 = mm.tensor(3)
    out = F.cross_entropy(mm.tensor(x1), t0, reduction=reduction)
    np.testing.assert_allclose(out.numpy(), -_log_softmax(x1, 0)[3], rtol=1e-12)
    check_gradients(lambda a: F.cross_entropy(a, t0, reduction=reduction), [x1])

    x3 = rng.standard_normal((2, 5, 3))
    t2 = np.array([[0, 1, 2], [4, 4, 3]])
    out = F.cross_entropy(mm.tensor(x3), mm.tensor(t2), reduction=reduction)
    per = np.moveaxis(x3, 1, -1).reshape(-1, 5)
    expected = _nll_reference(_log_softmax(per, 1), t2.reshape(-1), reduction=reduction)
    expected = expected.reshape(2, 3) if reduction == "none" else expected
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    check_gradients(lambda a: F.cross_entropy(a, mm.tensor(t2), reduction=reduction), [x3])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_cross_entropy_with_class_probabilities(reduction, weighted, label_smoothing) -> None:
    x, p = rng.standard_normal((4, 5)), rng.random((4, 5))
    p /= p.sum(axis=1, keepdims=True)
    w = rng.random(5) + 0.5 if weighted else None
    kwargs = {
        "reduction": reduction,
        "weight": None if w is None else mm.tensor(w),
        "label_smoothing": label_smoothing,
    }
    out = F.cross_entropy(mm.tensor(x), mm.tensor(p), **kwargs)
    target = p * (1 - label_smoothing) + label_smoothing / 5
    per_sample = -(_log_softmax(x, 1) * target * (1 if w is None else w)).sum(axis=1)
    expected = {"none": per_sample, "sum": per_sample.sum(), "mean": per_sample.mean()}
    np.testing.assert_allclose(out.numpy(), expected[reduction], rtol=1e-12)
    check_gradients(lambda a, b: F.cross_entropy(a, b, **kwargs), [x, p])


def test_cross_entropy_with_class_probabilities_on_spatial_inputs() -> None:
    x, p = rng.standard_normal((2, 3, 4)), rng.random((2, 3, 4))
    out = F.cross_entropy(mm.tensor(x), mm.tensor(p), reduction="none")
    np.testing.assert_allclose(out.numpy(), -(_log_softmax(x, 1) * p).sum(axis=1), rtol=1e-12)
    check_gradients(F.cross_entropy, [x, p])


def test_cross_entropy_of_huge_logits_is_finite_and_exact() -> None:
    logits = mm.tensor([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0]], requires_grad=True)
    right = F.cross_entropy(logits, mm.tensor([0, 1]))
    wrong = F.cross_entropy(logits, mm.tensor([2, 0]), reduction="none")
    assert right.item() == 0.0
    assert wrong.tolist() == [2e4, 1e4]
    wrong.sum().backward()
    assert np.isfinite(logits.grad.numpy()).all()
    assert logits.grad.tolist() == [[1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]]
    probs = F.cross_entropy(logits, mm.tensor([[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]]))
    assert probs.item() == pytest.approx((2e4 + 5e3) / 2)


def test_cross_entropy_node_names_follow_pytorch() -> None:
    x = mm.randn(3, 5, requires_grad=True)
    y = mm.tensor([0, 1, 2])
    assert F.cross_entropy(x, y).grad_fn.name() == "NllLossBackward0"
    assert F.cross_entropy(x, y, label_smoothing=0.1).grad_fn.name() == "AddBackward0"
    assert F.cross_entropy(x, F.softmax(x, 1).detach()).grad_fn.name() == "DivBackward1"


def test_cross_entropy_with_every_target_ignored() -> None:
    x, y = mm.randn(2, 3), mm.tensor([-100, -100])
    assert np.isnan(F.cross_entropy(x, y).item())
    assert F.cross_entropy(x, y, reduction="sum").item() == 0.0


def test_cross_entropy_accepts_uint8_targets() -> None:
    x = mm.randn(3, 5)
    a = F.cross_entropy(x, mm.tensor([0, 1, 2], dtype=mm.uint8))
    assert a.item() == F.cross_entropy(x, mm.tensor([0, 1, 2])).item()


@pytest.mark.parametrize(
    ("x_shape", "target", "error", "message"),
    [
        ((3, 5), [0, 5, 2], IndexError, "Target 5 is out of bounds."),
        ((3, 5), [0, -1, 2], IndexError, "Target -1 is out of bounds."),
        (
            (3, 5),
            [0, 1],
            ValueError,
            "Expected input batch_size (3) to match target batch_size (2).",
        ),
        (
            (3, 5),
            [[0, 1, 2]],
            ValueError,
            "Expected input batch_size (3) to match target batch_size (1).",
        ),
        (
            (3, 5),
            [[0], [1], [2]],
            RuntimeError,
            "0D or 1D target tensor expected, multi-target not supported",
        ),
        (
            (3, 5),
            [0.0, 1.0, 2.0],
            RuntimeError,
            "expected target dtype to be Long or Byte, but got Float",
        ),
        (
            (5,),
            [1, 2],
            ValueError,
            "For 1D input, 1D target must have size 1, but got target size: 2",
        ),
        (
            (2, 5, 3),
            [[0, 1, 2, 3], [4, 4, 4, 4]],
            RuntimeError,
            "Expected target size [2, 3], got [2, 4]",
        ),
    ],
)
def test_cross_entropy_bad_targets(x_shape, target, error, message) -> None:
    with pytest.raises(error, match=re.escape(message)):
        F.cross_entropy(mm.randn(*x_shape), mm.tensor(target))


def test_cross_entropy_bad_options() -> None:
    x, y = mm.randn(3, 5), mm.tensor([0, 1, 2])
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        F.cross_entropy(x, y, reduction="bad")
    with pytest.raises(
        RuntimeError, match=re.escape("label_smoothing must be between 0.0 and 1.0. Got: 1.5")
    ):
        F.cross_entropy(x, y, label_smoothing=1.5)
    with pytest.raises(
        RuntimeError,
        match=re.escape("for all 5 classes or no classes but got weight tensor of shape: [4]"),
    ):
        F.cross_entropy(x, y, weight=mm.ones(4))
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        F.cross_entropy(x, y, weight=mm.ones(5, dtype=mm.float64))
    with pytest.raises(
        RuntimeError,
        match="Expected floating point type for target with class probabilities, got Long",
    ):
        F.cross_entropy(x, mm.zeros(3, 5, dtype=mm.int64))
    with pytest.raises(
        RuntimeError, match="ignore_index is not supported for floating point target"
    ):
        F.cross_entropy(x, mm.rand(3, 5), ignore_index=1)
    with pytest.raises(ValueError, match=re.escape("Expected 1 or more dimensions (got 0)")):
        F.nll_loss(mm.tensor(1.0), mm.tensor([0]))


# -------------------------------------------------------------------- one_hot


def test_one_hot() -> None:
    out = F.one_hot(mm.tensor([0, 2, 1]))
    assert out.dtype == mm.int64
    assert out.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert F.one_hot(mm.tensor([[1]]), 4).tolist() == [[[0, 1, 0, 0]]]
    assert F.one_hot(mm.zeros(0, dtype=mm.int64), 3).shape == mm.Size([0, 3])


@pytest.mark.parametrize(
    ("values", "num_classes", "message"),
    [
        ([0, 5, 2], 3, "Class values must be smaller than num_classes."),
        ([0, -1], 3, "Class values must be non-negative."),
        ([0.0, 1.0], 3, "one_hot is only applicable to index tensor of type LongTensor."),
        ([], -1, "Can not infer total number of classes from empty tensor."),
    ],
)
def test_one_hot_errors(values, num_classes, message) -> None:
    t = mm.tensor(values, dtype=mm.int64) if values == [] else mm.tensor(values)
    with pytest.raises(RuntimeError, match=re.escape(message)):
        F.one_hot(t, num_classes)
