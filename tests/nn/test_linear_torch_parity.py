"""Linear against torch.nn.Linear: outputs, gradients, init bounds, reprs, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from nn_testing import assert_close, assert_same_error, values
from torch_helpers import require_torch

import minimodel as mm
from minimodel import nn

torch = require_torch()

rng = np.random.default_rng(4)


def _pair(in_f: int, out_f: int, bias: bool = True, dtype=np.float32):
    """A minimodel Linear and a torch Linear holding the same (minimodel-drawn) weights."""
    mm_dtype = mm.float64 if dtype == np.float64 else mm.float32
    torch_dtype = torch.float64 if dtype == np.float64 else torch.float32
    mine = nn.Linear(in_f, out_f, bias=bias, dtype=mm_dtype)
    theirs = torch.nn.Linear(in_f, out_f, bias=bias, dtype=torch_dtype)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(values(mine.weight)))
        if bias:
            theirs.bias.copy_(torch.tensor(values(mine.bias)))
    return mine, theirs


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(23,), (300, 23), (4, 7, 23), (0, 23)])
def test_linear_forward_and_gradients_match_torch(shape, bias, dtype) -> None:
    mine, theirs = _pair(23, 16, bias, dtype)
    x = rng.standard_normal(shape).astype(dtype)
    x_mm = mm.tensor(x, requires_grad=True)
    x_torch = torch.tensor(x, requires_grad=True)
    out_mm, out_torch = mine(x_mm), theirs(x_torch)
    assert tuple(out_mm.shape) == tuple(out_torch.shape)
    assert_close(out_mm, out_torch, dtype)
    assert out_mm.grad_fn.name() == out_torch.grad_fn.name()
    upstream = rng.standard_normal(tuple(out_torch.shape)).astype(dtype)
    out_mm.backward(mm.tensor(upstream))
    out_torch.backward(torch.tensor(upstream))
    assert_close(x_mm.grad, x_torch.grad, dtype)
    assert_close(mine.weight.grad, theirs.weight.grad, dtype)
    if bias:
        assert_close(mine.bias.grad, theirs.bias.grad, dtype)


@pytest.mark.parametrize("args", [(23, 16), (16, 5, False), (0, 3), (1, 1)])
def test_linear_repr_matches_torch(args) -> None:
    with pytest.warns(UserWarning) if args[0] == 0 else _nothing():
        mine = nn.Linear(*args)
    with pytest.warns(UserWarning) if args[0] == 0 else _nothing():
        theirs = torch.nn.Linear(*args)
    assert repr(mine) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in mine.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()
    ]


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.mark.parametrize(("in_f", "out_f"), [(23, 16), (400, 300), (3, 1000)])
def test_linear_init_bounds_match_torch(in_f, out_f) -> None:
    # Different generators: compare the distributions' bounds, not the numbers.
    mine, theirs = nn.Linear(in_f, out_f), torch.nn.Linear(in_f, out_f)
    bound = 1 / math.sqrt(in_f)
    for a, b in [(mine.weight, theirs.weight), (mine.bias, theirs.bias)]:
        assert np.abs(values(a)).max() <= bound and np.abs(values(b)).max() <= bound
    if in_f * out_f >= 1000:
        big_mm, big_torch = np.abs(values(mine.weight)), np.abs(values(theirs.weight))
        assert big_mm.max() > 0.98 * bound and big_torch.max() > 0.98 * bound
        assert abs(big_mm.mean() - big_torch.mean()) < 0.03 * bound


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(2, 5), (5,), (2, 6, 5), ()])
def test_linear_shape_errors_match_torch(shape, bias) -> None:
    assert_same_error(
        lambda: nn.Linear(3, 4, bias=bias)(mm.ones(shape)),
        lambda: torch.nn.Linear(3, 4, bias=bias)(torch.ones(shape)),
    )


@pytest.mark.parametrize("bias", [True, False])
def test_linear_dtype_errors_match_torch(bias) -> None:
    assert_same_error(
        lambda: nn.Linear(3, 4, bias=bias)(mm.ones(2, 3, dtype=mm.float64)),
        lambda: torch.nn.Linear(3, 4, bias=bias)(torch.ones(2, 3, dtype=torch.float64)),
    )
    assert_same_error(
        lambda: nn.Linear(3, 4, bias=bias)(mm.ones(2, 3, dtype=mm.int64)),
        lambda: torch.nn.Linear(3, 4, bias=bias)(torch.ones(2, 3, dtype=torch.int64)),
    )


def test_functional_linear_bias_errors_match_torch() -> None:
    for bias_shape, dtype in [((5,), "float32"), ((4,), "float64")]:
        assert_same_error(
            lambda bs=bias_shape, d=dtype: mm.nn.functional.linear(
                mm.ones(2, 3), mm.ones(4, 3), mm.ones(*bs, dtype=getattr(mm, d))
            ),
            lambda bs=bias_shape, d=dtype: torch.nn.functional.linear(
                torch.ones(2, 3), torch.ones(4, 3), torch.ones(*bs, dtype=getattr(torch, d))
            ),
        )


def test_linear_state_dict_loads_into_torch_and_back() -> None:
    mine, theirs = nn.Linear(23, 16), torch.nn.Linear(23, 16)
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in mine.state_dict().items()})
    x = rng.standard_normal((8, 23)).astype(np.float32)
    assert_close(mine(mm.tensor(x)), theirs(torch.tensor(x)))
    fresh = torch.nn.Linear(23, 16)
    mine.load_state_dict({k: mm.tensor(v.numpy()) for k, v in fresh.state_dict().items()})
    assert_close(mine(mm.tensor(x)), fresh(torch.tensor(x)))
