"""The Tensor methods and functions added for issue 12 against PyTorch: values and dtypes for
integer and float inputs, non-differentiable results, factories, inference_mode and errors.
(Gradients are in tests/op_cases.py.)"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from torch_compare import as_minimodel, assert_same_exception
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def _same(ours: Any, theirs: Any) -> None:
    assert repr(ours.dtype) == as_minimodel(repr(theirs.dtype))
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=0, equal_nan=True)


dtypes = st.sampled_from(["int64", "int32", "float32", "float64"])


@settings(max_examples=examples(80))
@given(
    shape=array_shapes(min_dims=0, max_dims=2, max_side=4),
    a_dtype=dtypes,
    b_dtype=dtypes,
    op=st.sampled_from(["//", "%", "floor_divide", "remainder"]),
    data=st.data(),
)
def test_floor_division_and_remainder_match_torch(shape, a_dtype, b_dtype, op, data) -> None:
    a = data.draw(arrays(a_dtype, shape, elements=st.integers(-20, 20)))
    b = data.draw(arrays(b_dtype, shape, elements=st.integers(-6, 6).filter(bool)))
    scalar = data.draw(st.none() | st.sampled_from([3, -2, 2.5, -0.75]))

    def run(lib: Any) -> Any:
        x, y = lib.tensor(a), (scalar if scalar is not None else lib.tensor(b))
        if op == "//":
            return x // y
        if op == "%":
            return x % y
        return getattr(lib, op)(x, y)

    _same(run(mm), run(torch))


@pytest.mark.parametrize("op", ["//", "%"])
def test_integer_division_by_zero_raises_torchs_error(op: str) -> None:
    def run(lib: Any) -> Any:
        return lambda: lib.tensor([5]) // 0 if op == "//" else lib.tensor([5]) % 0

    assert_same_exception(run(mm), run(torch))


@pytest.mark.parametrize(
    "op",
    [lambda x: x // 2.0, lambda x: 7 // x, lambda x: 7 % x, lambda x: x // (x + 1)],
    ids=["x // 2", "7 // x", "7 % x", "x // y"],
)
def test_backward_through_floor_division_raises_torchs_error(op: Any) -> None:
    def run(lib: Any) -> Any:
        return lambda: op(lib.ones(2, requires_grad=True) + 1).sum().backward()

    assert_same_exception(run(mm), run(torch))


@settings(max_examples=examples(40))
@given(
    values=arrays(
        np.float32,
        array_shapes(max_dims=2, max_side=5),
        elements=st.sampled_from([0.0, -0.0, 1.5, -2.5, 0.5, np.nan, np.inf, -np.inf, 3.0]),
    )
)
def test_predicates_and_rounding_match_torch(values: np.ndarray) -> None:
    for name in ["isnan", "isinf", "isfinite", "sign", "floor", "ceil", "round", "square"]:
        _same(getattr(mm, name)(mm.tensor(values)), getattr(torch, name)(torch.tensor(values)))


@pytest.mark.parametrize("name", ["floor", "ceil", "round", "sign", "square", "log1p", "expm1"])
def test_functions_of_integers_keep_or_promote_their_dtype_as_torch(name: str) -> None:
    _same(getattr(mm.tensor([-3, 0, 4]), name)(), getattr(torch.tensor([-3, 0, 4]), name)())


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, x: x.prod(),
        lambda lib, x: lib.prod(x, 0, dtype=lib.float64),
        lambda lib, x: x.bool().prod(),
        lambda lib, x: x.float().std(),
        lambda lib, x: x.float().var(correction=0),
        lambda lib, x: x.float().norm(p=0),
        lambda lib, x: x.float().norm(p=-float("inf")),
        lambda lib, x: x.new_zeros(2, 3),
        lambda lib, x: x.new_ones((2,), dtype=lib.float64),
        lambda lib, x: x.new_full((2,), 3),
        lambda lib, x: x.new_tensor([1.5, 2.5]),
        lambda lib, x: x.float().new_tensor([1, 2]),
        lambda lib, x: x.type_as(lib.zeros(1, dtype=lib.float64)),
        lambda lib, x: x.float().masked_fill(x > 1, 2.5),
        lambda lib, x: x.masked_fill(x > 1, 2.7),
        lambda lib, x: lib.stack(x.float().chunk(4)),
        lambda lib, x: x.float().unsqueeze(0).repeat(2, 1),
        lambda lib, x: lib.stack([p.sum() for p in x[:0].float().chunk(3)]),
        lambda lib, x: x[0].float().index_select(0, lib.tensor([0])),
        lambda lib, x: x[0].float().gather(0, lib.tensor([0, 0])),
        lambda lib, x: x.float().index_select(0, lib.tensor([], dtype=lib.int64)),
    ],
)
def test_values_and_dtypes_match_torch(call: Any) -> None:
    _same(call(mm, mm.tensor([1, 2, 3, 4])), call(torch, torch.tensor([1, 2, 3, 4])))


ERRORS = [
    lambda lib: lib.tensor([1, 2]).std(),
    lambda lib: lib.ones(2, 3).var(unbiased=False, correction=1),
    lambda lib: lib.ones(2, 3).std(unbiased=True, correction=0),
    lambda lib: lib.tensor([1, 2]).norm(),
    lambda lib: lib.ones(2, 3).masked_fill(lib.tensor([1, 0, 1]), 0),
    lambda lib: lib.ones(2, 3).masked_fill(lib.tensor([True, False]), 1.0),
    lambda lib: lib.ones(2, 3).masked_fill(lib.tensor([True, False, True]), lib.ones(2)),
    lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([3])),
    lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([-1])),
    lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([[0]])),
    lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([0.0])),
    lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[3]])),
    lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[-1]])),
    lambda lib: lib.ones(2, 3).gather(1, lib.tensor([0])),
    lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[0], [0], [0]])),
    lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[0.0]])),
    lambda lib: lib.ones(2, 3).split(0),
    lambda lib: lib.ones(2, 3).split([1, 1], 1),
    lambda lib: lib.ones(2, 3).chunk(0),
    lambda lib: lib.ones(2, 3).repeat(2),
    lambda lib: lib.ones(3).mT,
    lambda lib: lib.ones(2, 3).bmm(lib.ones(2, 3, 4)),
    lambda lib: lib.ones(2, 3, 4).bmm(lib.ones(2, 3)),
    lambda lib: lib.ones(2, 3, 4).bmm(lib.ones(3, 4, 5)),
    lambda lib: lib.ones(2, 3, 4).bmm(lib.ones(2, 5, 5)),
    lambda lib: lib.einsum("ij,jk", lib.ones(2, 3)),
    lambda lib: lib.einsum("ij", lib.ones(2, 3), lib.ones(2)),
    lambda lib: lib.tensor([1, 2]).exp_(),
    lambda lib: lib.tensor(5.0).index_select(0, lib.tensor([0, 0])),
    lambda lib: lib.ones(2, requires_grad=True).exp_(),
]


@pytest.mark.parametrize("call", ERRORS)
def test_errors_match_torch(call: Any) -> None:
    assert_same_exception(lambda: call(mm), lambda: call(torch))


def test_std_with_no_degrees_of_freedom_warns_and_gives_nan_as_torch() -> None:
    results = []
    for lib in (mm, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = lib.ones(1).std()
        results.append((np.isnan(value.item()), caught[0].message.args[0].split(" (Trigg")[0]))
    assert results[0] == results[1]


def test_inplace_variants_change_the_tensor_and_keep_the_graph_as_torch() -> None:
    results = []
    for lib in (mm, torch):
        x = lib.tensor([0.5, 1.5, -2.0], requires_grad=True)
        chains = [x * 1, x * 2, x * 3]
        returned = [chains[0].exp_(), chains[1].sigmoid_(), chains[2].pow_(2)]
        same = all(r is c for r, c in zip(returned, chains, strict=True))
        y = lib.tensor([0.25, 4.0])
        y.sqrt_()
        y.floor_()
        sum(c.sum() for c in chains).backward()
        names = [c.grad_fn.name() for c in chains]
        values = [v for c in chains for v in c.tolist()]
        results.append((same, names, y.tolist(), values, x.grad.tolist()))
    assert results[0][:3] == results[1][:3]
    np.testing.assert_allclose(results[0][3], results[1][3], rtol=1e-6)
    np.testing.assert_allclose(results[0][4], results[1][4], rtol=1e-5)


def test_inference_mode_records_nothing_as_a_context_and_a_decorator() -> None:
    for lib in (mm, torch):
        w = lib.ones(2, requires_grad=True)
        with lib.inference_mode():
            assert lib.is_inference_mode_enabled() and not lib.is_grad_enabled()
            assert not (w * 2).requires_grad
        with lib.inference_mode(False):
            assert not lib.is_inference_mode_enabled() and (w * 2).requires_grad

        @lib.inference_mode()
        def predict(x: Any, w: Any = w) -> Any:
            return w * x

        assert not predict(2.0).requires_grad
        assert lib.is_grad_enabled() and not lib.is_inference_mode_enabled()


def test_like_factories_follow_the_input_as_torch() -> None:
    for name in ["randn_like", "rand_like"]:
        for dtype in ["float32", "float64"]:
            ours = getattr(mm, name)(mm.zeros(2, 3, dtype=getattr(mm, dtype)), requires_grad=True)
            theirs = getattr(torch, name)(torch.zeros(2, 3, dtype=getattr(torch, dtype)))
            assert repr(ours.dtype) == as_minimodel(repr(theirs.dtype))
            assert tuple(ours.shape) == tuple(theirs.shape) and ours.requires_grad
    mm.manual_seed(0)
    u = mm.rand_like(mm.zeros(10_000)).numpy()
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.02


def test_dtype_aliases_are_torchs() -> None:
    for alias in ["float", "double", "half", "long", "int", "short", "bool"]:
        assert repr(getattr(mm, alias)) == as_minimodel(repr(getattr(torch, alias)))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, d: lib.zeros(2, 3, dtype=lib.float64, device=d),
        lambda lib, d: lib.ones((2,), device=d, dtype=lib.int64),
        lambda lib, d: lib.full((2,), 1.5, device=d, dtype=lib.float64),
        lambda lib, d: lib.arange(5, device=d, dtype=lib.float32),
        lambda lib, d: lib.linspace(0, 1, 5, device=d, dtype=lib.float64),
        lambda lib, d: lib.tensor([1, 2], device=d, dtype=lib.float32),
        lambda lib, d: lib.ones(2).to(d),
        lambda lib, d: lib.ones(2).to(d, lib.float64),
        lambda lib, d: lib.ones(2).to(device=d, dtype=lib.int32),
        lambda lib, d: lib.ones(2).to(lib.float64, non_blocking=True, copy=True),
        lambda lib, d: lib.ones(2).new_zeros(3, device=d),
        lambda lib, d: lib.randn_like(lib.ones(2, dtype=lib.float64), device=d) * 0,
    ],
)
def test_factories_and_to_take_dtype_and_device_keywords_as_torch(call: Any) -> None:
    _same(call(mm, mm.device("cpu")), call(torch, torch.device("cpu")))
    _same(call(mm, "cpu"), call(torch, "cpu"))
