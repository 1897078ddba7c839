"""nn.functional against torch.nn.functional: values, gradients, warnings and errors.

Each case is written once as ``fn(lib)`` returning the function to call, where ``lib`` is
``minimodel`` or ``torch``; both libraries get the same NumPy inputs.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np
import pytest
from nn_testing import assert_same_error, assert_same_forward_backward, normalize, values
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

rng = np.random.default_rng(5)
DTYPES = [np.float32, np.float64]
REDUCTIONS = ["mean", "sum", "none"]


def F(lib: Any) -> Any:
    return lib.nn.functional


def _check(case: Any, arrays: list[np.ndarray], dtype: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings are compared in their own tests
        assert_same_forward_backward(torch, case(mm), case(torch), arrays, dtype)


def _probs(*shape: int, axis: int = 1) -> np.ndarray:
    p = rng.random(shape)
    return p / p.sum(axis=axis, keepdims=True)


# ------------------------------------------------------------------------ activations

ACTIVATIONS = {
    "relu": lambda lib: F(lib).relu,
    "sigmoid": lambda lib: F(lib).sigmoid,
    "tanh": lambda lib: F(lib).tanh,
    "softmax0": lambda lib: lambda x: F(lib).softmax(x, 0),
    "softmax1": lambda lib: lambda x: F(lib).softmax(x, dim=1),
    "softmax-1": lambda lib: lambda x: F(lib).softmax(x, -1),
    "log_softmax0": lambda lib: lambda x: F(lib).log_softmax(x, 0),
    "log_softmax1": lambda lib: lambda x: F(lib).log_softmax(x, dim=1),
    "log_softmax-1": lambda lib: lambda x: F(lib).log_softmax(x, -1),
}


ACTIVATION_CASES = [
    (name, shape)
    for name, shape in itertools.product(ACTIVATIONS, [(5,), (3, 4), (2, 3, 4)])
    if not (name.endswith("1") and not name.endswith("-1") and len(shape) < 2)  # dim 1 needs 2-D
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "shape"), ACTIVATION_CASES)
def test_activation_matches_torch(name, shape, dtype) -> None:
    _check(ACTIVATIONS[name], [rng.standard_normal(shape) * 3], dtype)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_of_huge_logits_matches_torch(name) -> None:
    x = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 0.0]])
    _check(lambda lib: lambda t: getattr(F(lib), name)(t, 1), [x], np.float32)


# ------------------------------------------------------------------------ linear


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4,), (6, 4), (2, 3, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_functional_linear_matches_torch(shape, bias, dtype) -> None:
    arrays = [rng.standard_normal(shape), rng.standard_normal((3, 4))]
    if bias:
        arrays.append(rng.standard_normal(3))
    _check(lambda lib: F(lib).linear, arrays, dtype)


# ------------------------------------------------------------------------ losses


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("target_shape", [(3, 4), (4,), (3, 1)])
def test_mse_loss_matches_torch(target_shape, reduction, dtype) -> None:
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal(target_shape)]
    _check(lambda lib: lambda x, y: F(lib).mse_loss(x, y, reduction=reduction), arrays, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", ["plain", "weight", "pos_weight", "both"])
def test_bce_with_logits_matches_torch(options, reduction, dtype) -> None:
    x, t = rng.standard_normal((3, 4)) * 3, rng.random((3, 4))
    w = (rng.random(4) + 0.5).astype(dtype) if options in ("weight", "both") else None
    pw = (rng.random(4) * 3).astype(dtype) if options in ("pos_weight", "both") else None

    def case(lib: Any) -> Any:
        kwargs = {
            "reduction": reduction,
            "weight": None if w is None else lib.tensor(w),
            "pos_weight": None if pw is None else lib.tensor(pw),
        }
        return lambda a, b: F(lib).binary_cross_entropy_with_logits(a, b, **kwargs)

    _check(case, [x, t], dtype)


def test_bce_with_logits_of_huge_logits_matches_torch() -> None:
    x = np.array([1e4, -1e4, 1e4, -1e4, 0.0])
    t = np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    for reduction in REDUCTIONS:
        _check(
            lambda lib, r=reduction: (
                lambda a, b: F(lib).binary_cross_entropy_with_logits(a, b, reduction=r)
            ),
            [x, t],
            np.float32,
        )


CE_INDEX_OPTIONS = list(
    itertools.product(REDUCTIONS, [False, True], [-100, 1], [0.0, 0.25], DTYPES)
)


@pytest.mark.parametrize(
    ("reduction", "weighted", "ignore_index", "smoothing", "dtype"), CE_INDEX_OPTIONS
)
def test_cross_entropy_with_class_indices_matches_torch(
    reduction, weighted, ignore_index, smoothing, dtype
) -> None:
    x = rng.standard_normal((6, 5)) * 2
    target = np.array([0, 4, 1, 2, 1, 3])
    w = (rng.random(5) + 0.5).astype(dtype) if weighted else None

    def case(lib: Any) -> Any:
        kwargs = {
            "reduction": reduction,
            "weight": None if w is None else lib.tensor(w),
            "ignore_index": ignore_index,
            "label_smoothing": smoothing,
        }
        return lambda a, y: F(lib).cross_entropy(a, y, **kwargs)

    _check(case, [x, target], dtype)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    ("x_shape", "target"),
    [
        ((5,), np.array(3)),
        ((2, 5, 3), np.array([[0, 1, 2], [4, 4, 3]])),
        ((2, 5, 3, 2), rng.integers(0, 5, (2, 3, 2))),
        ((4, 5), np.array([0, 1, 2, 3], dtype=np.uint8)),
    ],
)
def test_cross_entropy_layouts_match_torch(x_shape, target, reduction) -> None:
    for smoothing in (0.0, 0.1):
        _check(
            lambda lib, s=smoothing: (
                lambda a, y: F(lib).cross_entropy(a, y, reduction=reduction, label_smoothing=s)
            ),
            [rng.standard_normal(x_shape), target],
            np.float32,
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_of_one_sample_with_a_length_one_target_matches_torch(reduction) -> None:
    # Forward only: PyTorch 2.13 fails in backward here (and with label smoothing at all).
    x = rng.standard_normal(5).astype(np.float32)
    outs = [
        F(lib).cross_entropy(lib.tensor(x), lib.tensor([3]), reduction=reduction)
        for lib in (mm, torch)
    ]
    assert tuple(outs[0].shape) == tuple(outs[1].shape) == ()
    np.testing.assert_allclose(values(outs[0]), values(outs[1]), rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_cross_entropy_with_class_probabilities_matches_torch(
    smoothing, weighted, reduction, dtype
) -> None:
    w = (rng.random(5) + 0.5).astype(dtype) if weighted else None

    def case(lib: Any) -> Any:
        kwargs = {
            "reduction": reduction,
            "weight": None if w is None else lib.tensor(w),
            "label_smoothing": smoothing,
        }
        return lambda a, p: F(lib).cross_entropy(a, p, **kwargs)

    _check(case, [rng.standard_normal((4, 5)), _probs(4, 5)], dtype)
    _check(case, [rng.standard_normal((2, 5, 3)), _probs(2, 5, 3)], dtype)
    _check(case, [rng.standard_normal(5), _probs(5, axis=0)], dtype)


def test_cross_entropy_of_huge_logits_matches_torch() -> None:
    x = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0], [-1e4, -1e4, 1e4]])
    for reduction in REDUCTIONS:
        _check(
            lambda lib, r=reduction: lambda a, y: F(lib).cross_entropy(a, y, reduction=r),
            [x, np.array([0, 2, 1])],
            np.float32,
        )
        _check(
            lambda lib, r=reduction: lambda a, p: F(lib).cross_entropy(a, p, reduction=r),
            [x, _probs(3, 3)],
            np.float32,
        )


def test_cross_entropy_node_names_match_torch() -> None:
    x = rng.standard_normal((3, 5))
    cases = [
        (np.array([0, 1, 2]), {}),
        (np.array([0, 1, 2]), {"label_smoothing": 0.1}),
        (_probs(3, 5), {}),
        (_probs(3, 5), {"reduction": "sum"}),
        (_probs(3, 5), {"reduction": "none"}),
    ]
    for target, kwargs in cases:
        names = []
        for lib in (mm, torch):
            out = F(lib).cross_entropy(
                lib.tensor(x, requires_grad=True), lib.tensor(target), **kwargs
            )
            names.append(out.grad_fn.name())
        assert names[0] == names[1], (kwargs, names)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 2])
def test_nll_loss_matches_torch(ignore_index, weighted, reduction, dtype) -> None:
    w = (rng.random(5) + 0.5).astype(dtype) if weighted else None

    def case(lib: Any) -> Any:
        kwargs = {
            "reduction": reduction,
            "ignore_index": ignore_index,
            "weight": None if w is None else lib.tensor(w),
        }
        return lambda a, y: F(lib).nll_loss(a, y, **kwargs)

    _check(case, [rng.standard_normal((4, 5)), np.array([2, 0, 4, 2])], dtype)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_all_ignored_targets_match_torch(reduction) -> None:
    outs = [
        values(F(lib).cross_entropy(lib.ones(2, 3), lib.tensor([-100, -100]), reduction=reduction))
        for lib in (mm, torch)
    ]
    np.testing.assert_array_equal(outs[0], outs[1])


@pytest.mark.parametrize("num_classes", [-1, 6])
def test_one_hot_matches_torch(num_classes) -> None:
    idx = np.array([[0, 3], [5, 1]])
    mine = F(mm).one_hot(mm.tensor(idx), num_classes)
    theirs = F(torch).one_hot(torch.tensor(idx), num_classes)
    assert str(mine.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(values(mine), values(theirs))


# ------------------------------------------------------------------------ warnings


def _warnings_of(fn: Any) -> list[tuple[str, str]]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fn()
    return [(w.category.__name__, normalize(str(w.message))) for w in record]


WARNING_CASES = {
    "mse_broadcast": lambda lib: F(lib).mse_loss(lib.ones(3, 5), lib.ones(5)),
    "mse_legacy": lambda lib: F(lib).mse_loss(lib.ones(3), lib.ones(3), size_average=False),
    "softmax_implicit": lambda lib: F(lib).softmax(lib.ones(2, 3)),
    "log_softmax_implicit": lambda lib: F(lib).log_softmax(lib.ones(2, 3, 4)),
    "ce_legacy": lambda lib: F(lib).cross_entropy(lib.ones(2, 3), lib.tensor([0, 1]), reduce=False),
}


@pytest.mark.parametrize("case", list(WARNING_CASES))
def test_warnings_match_torch(case) -> None:
    mine = _warnings_of(lambda: WARNING_CASES[case](mm))
    theirs = _warnings_of(lambda: WARNING_CASES[case](torch))
    assert mine == theirs and mine


# ------------------------------------------------------------------------ errors


def _ce(lib: Any, x_shape: tuple, target: Any, **kwargs: Any) -> Any:
    return lambda: F(lib).cross_entropy(lib.ones(x_shape), lib.tensor(target), **kwargs)


ERROR_CASES = {
    "ce_target_too_big": lambda lib: _ce(lib, (3, 5), [0, 5, 2]),
    "ce_target_negative": lambda lib: _ce(lib, (3, 5), [0, -1, 2]),
    "ce_target_too_big_spatial": lambda lib: _ce(lib, (2, 5, 3), [[0, 1, 7], [4, 4, 4]]),
    "ce_batch_mismatch": lambda lib: _ce(lib, (3, 5), [0, 1]),
    "ce_batch_mismatch_2d": lambda lib: _ce(lib, (3, 5), [[0, 1, 2]]),
    "ce_scalar_target": lambda lib: _ce(lib, (3, 5), 1),
    "ce_multi_target": lambda lib: _ce(lib, (3, 5), [[0], [1], [2]]),
    "ce_float_target": lambda lib: _ce(lib, (3, 5), [0.0, 1.0, 2.0]),
    "ce_float_2d_target": lambda lib: _ce(lib, (3, 5), [[0.0] * 4] * 3),
    "ce_int32_target": lambda lib: (
        lambda: F(lib).cross_entropy(lib.ones(3, 5), lib.tensor([0, 1, 2], dtype=lib.int32))
    ),
    "ce_1d_input_long_target": lambda lib: _ce(lib, (5,), [1, 2]),
    "ce_spatial_target_size": lambda lib: _ce(lib, (2, 5, 3), [[0, 1, 2, 3], [4, 4, 4, 4]]),
    "ce_spatial_target_rank": lambda lib: _ce(lib, (2, 5, 3), [0, 1]),
    "ce_bad_reduction": lambda lib: _ce(lib, (3, 5), [0, 1, 2], reduction="bad"),
    "ce_smoothing": lambda lib: _ce(lib, (3, 5), [0, 1, 2], label_smoothing=1.5),
    "ce_weight_shape": lambda lib: _ce(lib, (3, 5), [0, 1, 2], weight=lib.ones(4)),
    "ce_weight_dtype": lambda lib: _ce(lib, (3, 5), [0, 1, 2], weight=lib.ones(5).double()),
    "ce_prob_long": lambda lib: _ce(lib, (3, 2), [[0, 1], [1, 0], [0, 1]]),
    "ce_prob_ignore": lambda lib: _ce(lib, (3, 2), [[0.0, 1.0]] * 3, ignore_index=1),
    "ce_prob_weight_shape": lambda lib: _ce(lib, (3, 2), [[0.0, 1.0]] * 3, weight=lib.ones(3)),
    "nll_scalar_input": lambda lib: lambda: F(lib).nll_loss(lib.tensor(1.0), lib.tensor([0])),
    "nll_target_too_big": lambda lib: lambda: F(lib).nll_loss(lib.ones(2, 3), lib.tensor([0, 3])),
    "mse_bad_reduction": lambda lib: (
        lambda: F(lib).mse_loss(lib.ones(3), lib.ones(3), reduction="bad")
    ),
    "mse_no_broadcast": lambda lib: lambda: F(lib).mse_loss(lib.ones(3, 5), lib.ones(4)),
    "mse_weight_size": lambda lib: (
        lambda: F(lib).mse_loss(lib.ones(3), lib.ones(3), weight=lib.ones(2))
    ),
    "bce_size": lambda lib: (
        lambda: F(lib).binary_cross_entropy_with_logits(lib.ones(3, 5), lib.ones(5))
    ),
    "bce_bad_reduction": lambda lib: (
        lambda: F(lib).binary_cross_entropy_with_logits(lib.ones(3), lib.ones(3), reduction="bad")
    ),
    "bce_long_target": lambda lib: (
        lambda: F(lib).binary_cross_entropy_with_logits(lib.ones(3), lib.tensor([0, 1, 1]))
    ),
    "bce_pos_weight": lambda lib: (
        lambda: F(lib).binary_cross_entropy_with_logits(
            lib.ones(3, 5), lib.ones(3, 5), pos_weight=lib.ones(4)
        )
    ),
    "softmax_dim": lambda lib: lambda: F(lib).softmax(lib.ones(2, 2), 2),
    "log_softmax_dim": lambda lib: lambda: F(lib).log_softmax(lib.ones(2, 2), -3),
    "softmax_long": lambda lib: lambda: F(lib).softmax(lib.tensor([1, 2]), 0),
    "softmax_long_inner": lambda lib: lambda: F(lib).softmax(lib.tensor([[1, 2]]), 0),
    "log_softmax_long": lambda lib: lambda: F(lib).log_softmax(lib.tensor([1, 2]), 0),
    "one_hot_too_big": lambda lib: lambda: F(lib).one_hot(lib.tensor([0, 5]), 3),
    "one_hot_negative": lambda lib: lambda: F(lib).one_hot(lib.tensor([0, -1]), 3),
    "one_hot_float": lambda lib: lambda: F(lib).one_hot(lib.tensor([0.0, 1.0]), 3),
    "one_hot_empty": lambda lib: lambda: F(lib).one_hot(lib.zeros(0, dtype=lib.int64)),
    "relu_inplace_leaf": lambda lib: (
        lambda: F(lib).relu(lib.ones(2, requires_grad=True), inplace=True)
    ),
    "linear_scalar": lambda lib: lambda: F(lib).linear(lib.tensor(1.0), lib.ones(2, 2)),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_errors_match_torch(case) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same_error(ERROR_CASES[case](mm), ERROR_CASES[case](torch))
