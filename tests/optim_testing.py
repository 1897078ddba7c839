"""Helpers shared by the optimizer tests: a small regression problem and its parameters."""

from __future__ import annotations

from typing import Any

import numpy as np

import minimodel as mm

_rng = np.random.default_rng(0)
X = _rng.standard_normal((8, 4)).astype(np.float32)
Y = _rng.standard_normal((8, 3)).astype(np.float32)
W0 = _rng.standard_normal((3, 4)).astype(np.float32)
B0 = _rng.standard_normal(3).astype(np.float32)


def regression_loss(lib: Any, weight: Any, bias: Any, maximize: bool = False) -> Any:
    """Mean squared error of a linear layer on (X, Y), written once for minimodel and torch.

    The data takes the weight's dtype. With ``maximize`` the loss is negated, so that an
    optimizer run with ``maximize=True`` still converges (and a missing sign flip diverges).
    """
    dtype = weight.detach().numpy().dtype
    inputs, targets = lib.tensor(X.astype(dtype)), lib.tensor(Y.astype(dtype))
    loss = ((inputs @ weight.T + bias - targets) ** 2).mean()
    return -loss if maximize else loss


def make_params(lib: Any = mm, dtype: type = np.float32) -> tuple[Any, Any]:
    """Fresh leaf tensors (weight, bias) holding the same initial values in either library."""
    return (
        lib.tensor(W0.astype(dtype), requires_grad=True),
        lib.tensor(B0.astype(dtype), requires_grad=True),
    )


def train(
    opt: Any, weight: Any, bias: Any, steps: int, lib: Any = mm, maximize: bool = False
) -> list[np.ndarray]:
    """Run ``steps`` optimizer steps; return the weight and bias values after each one."""
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        regression_loss(lib, weight, bias, maximize).backward()
        opt.step()
        trajectory.append(weight.detach().numpy().copy())
        trajectory.append(bias.detach().numpy().copy())
    return trajectory


def leaf(values: Any, grad: Any = None, dtype: Any = None) -> mm.Tensor:
    """A leaf tensor that requires grad, with ``.grad`` set to ``grad`` when given."""
    t = mm.tensor(values, dtype=dtype, requires_grad=True)
    if grad is not None:
        t.grad = mm.tensor(grad, dtype=dtype)
    return t


def values(t: mm.Tensor) -> np.ndarray:
    return t.detach().numpy()
