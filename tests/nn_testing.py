"""Helpers shared by the nn tests: the TenseMLP model, and bridges to PyTorch for parity tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import minimodel as mm
from minimodel import nn


class TenseMLP(nn.Module):
    """The site's model: 23 one-hot inputs (verb + person), 16 hidden units, 5 tenses."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(23, 16)
        self.fc2 = nn.Linear(16, 5)

    def forward(self, x: mm.Tensor) -> mm.Tensor:
        return self.fc2(self.fc1(x).relu())


def torch_tense_mlp(torch: Any) -> Any:
    """The same model written against torch.nn (same class name, so reprs and messages match)."""

    class TenseMLP(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc1 = torch.nn.Linear(23, 16)
            self.fc2 = torch.nn.Linear(16, 5)

        def forward(self, x: Any) -> Any:
            return self.fc2(self.fc1(x).relu())

    return TenseMLP()


def to_torch_state(torch: Any, state: dict[str, mm.Tensor]) -> dict[str, Any]:
    """A minimodel state dict as torch tensors (through NumPy), keys and order kept."""
    return {k: torch.tensor(v.numpy().copy()) for k, v in state.items()}


def to_mm_state(state: dict[str, Any]) -> dict[str, mm.Tensor]:
    """A torch state dict as minimodel tensors (through NumPy), keys and order kept."""
    return {k: mm.tensor(v.detach().numpy().copy()) for k, v in state.items()}


def values(t: Any) -> np.ndarray:
    """The values of a minimodel or torch tensor as a NumPy array."""
    return t.detach().numpy()


def normalize(message: str) -> str:
    """A minimodel message in PyTorch's words: ``minimodel.`` becomes ``torch.``."""
    return message.replace("minimodel.", "torch.")


def raised(fn: Callable[[], Any]) -> BaseException:
    """Run ``fn`` and return the exception it raises (failing the test if it raises none)."""
    try:
        fn()
    except Exception as exc:  # the exception is the result under test
        return exc
    pytest.fail("no exception raised")


def assert_same_error(mm_fn: Callable[[], Any], torch_fn: Callable[[], Any]) -> None:
    """Both calls raise the same exception type with the same message (up to the library name)."""
    mine, theirs = raised(mm_fn), raised(torch_fn)
    assert type(mine) is type(theirs), f"{type(mine).__name__} != {type(theirs).__name__}"
    assert normalize(str(mine)) == str(theirs)


def assert_close(mine: Any, theirs: Any, dtype: Any = np.float32) -> None:
    """Values agree to float32 (rtol 1e-5) or float64 (rtol 1e-10) rounding.

    The absolute tolerance is the same fraction of the largest value: an element that is the
    small difference of large terms (a sum of many products) carries their rounding error.
    """
    rtol = 1e-10 if np.dtype(dtype) == np.float64 else 1e-5
    want = values(theirs)
    scale = float(np.abs(want).max()) if want.size else 0.0
    np.testing.assert_allclose(values(mine), want, rtol=rtol, atol=rtol * max(scale, 1e-3))


def assert_same_forward_backward(
    torch: Any,
    mm_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    arrays: list[np.ndarray],
    dtype: Any = np.float32,
) -> None:
    """Same inputs into both libraries give the same output and the same input gradients.

    Float arrays are cast to ``dtype`` and require grad; integer arrays (class targets) are
    passed as they are. A random upstream gradient covers outputs of any shape.
    """

    def inputs(lib: Any) -> list[Any]:
        out = []
        for a in arrays:
            if a.dtype.kind == "f":
                out.append(lib.tensor(a.astype(dtype), requires_grad=True))
            else:
                out.append(lib.tensor(a))
        return out

    mine, theirs = inputs(mm), inputs(torch)
    out_mm, out_torch = mm_fn(*mine), torch_fn(*theirs)
    assert tuple(out_mm.shape) == tuple(out_torch.shape)
    assert str(out_mm.dtype).split(".")[-1] == str(out_torch.dtype).split(".")[-1]
    assert_close(out_mm, out_torch, dtype)
    upstream = np.random.default_rng(0).standard_normal(tuple(out_torch.shape)).astype(dtype)
    out_mm.backward(mm.tensor(upstream))
    out_torch.backward(torch.tensor(upstream))
    for k, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if b.requires_grad:
            assert a.grad is not None, f"input {k} got no gradient"
            assert_close(a.grad, b.grad, dtype)
