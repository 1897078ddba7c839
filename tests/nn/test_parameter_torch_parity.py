"""Parameter against torch.nn.Parameter: printed form, errors, copies."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from nn_testing import assert_same_error, normalize
from torch_helpers import require_torch

import minimodel as mm
from minimodel import nn

torch = require_torch()


@pytest.mark.parametrize(
    "values",
    [
        np.array([1.0, 2.0], dtype=np.float32),
        np.array([[0.5, -1.25, 3.0], [1e-5, 2.0, 0.0]], dtype=np.float32),
        np.array([1.0, 2.0], dtype=np.float64),
        np.zeros((0,), dtype=np.float32),
        np.array(3.5, dtype=np.float32),
    ],
)
@pytest.mark.parametrize("requires_grad", [True, False])
def test_parameter_repr_matches_torch(values, requires_grad) -> None:
    mine = nn.Parameter(mm.tensor(values), requires_grad=requires_grad)
    theirs = torch.nn.Parameter(torch.tensor(values), requires_grad=requires_grad)
    assert normalize(repr(mine)) == repr(theirs)


def test_default_parameter_matches_torch() -> None:
    assert repr(nn.Parameter()) == repr(torch.nn.Parameter())


@pytest.mark.parametrize("data", [np.zeros(3), [1.0, 2.0], 3.0])
def test_parameter_of_a_non_tensor_fails_like_torch(data) -> None:
    assert_same_error(lambda: nn.Parameter(data), lambda: torch.nn.Parameter(data))


def test_parameter_of_integers_fails_like_torch() -> None:
    assert_same_error(
        lambda: nn.Parameter(mm.arange(3)), lambda: torch.nn.Parameter(torch.arange(3))
    )


def test_deepcopy_drops_the_grad_like_torch() -> None:
    mine, theirs = nn.Parameter(mm.ones(2)), torch.nn.Parameter(torch.ones(2))
    mine.grad, theirs.grad = mm.ones(2), torch.ones(2)
    assert (copy.deepcopy(mine).grad is None) == (copy.deepcopy(theirs).grad is None)
