"""Helpers shared by the nn tests: the TenseMLP model, and bridges to PyTorch for parity tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from torch_compare import outcome

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


# Relative tolerance of a result computed in each floating dtype: a few of its last bits.
_RTOL = {"float16": 4e-3, "float32": 2e-5, "float64": 1e-10}


def _loosest_rtol(*arrays: np.ndarray) -> float:
    """The tolerance of the least precise floating dtype among ``arrays``: a float64 result
    computed from float32 operands carries float32's rounding."""
    return max((_RTOL.get(a.dtype.name, 0.0) for a in arrays if a.dtype.kind == "f"), default=0.0)


def _assert_same_array(
    mine: np.ndarray,
    theirs: np.ndarray,
    rtol: float,
    what: str,
    atol: float = 0.0,
    floor: float = 1e-3,
) -> None:
    assert mine.shape == theirs.shape, f"{what}: shape {mine.shape} != {theirs.shape}"
    assert mine.dtype == theirs.dtype, f"{what}: dtype {mine.dtype} != {theirs.dtype}"
    if mine.dtype.kind != "f":
        np.testing.assert_array_equal(mine, theirs, err_msg=what)
        return
    finite = np.isfinite(theirs)
    scale = float(np.abs(theirs[finite]).max()) if finite.any() else 0.0
    # A float16 result that is the small difference of probabilities (a loss's gradient) carries
    # their rounding: its absolute tolerance is relative to 1, not to itself.
    floor = 1.0 if rtol >= _RTOL["float16"] else floor
    np.testing.assert_allclose(
        mine,
        theirs,
        rtol=rtol,
        atol=atol + rtol * max(scale, floor),
        equal_nan=True,
        err_msg=what,
    )


def assert_same_call(
    fn: Callable[..., Any],
    arrays: list[np.ndarray],
    grads: list[bool],
    upstream_seed: int = 0,
    atol: float = 0.0,
) -> None:
    """``fn(lib, *tensors)`` gives the same in minimodel and torch: the same exception (type and
    message), or outputs of the same shape, dtype and values, then, after a backward pass from
    the same random upstream gradient, the same exception or the same gradient for each input
    made with ``grads[k]`` True (floating-point arrays only); the ``grad_fn`` names agree. A
    tuple result is compared element by element; its first element is back-propagated.
    ``atol`` widens the tolerance where PyTorch's kernel is known to approximate.
    """
    import torch

    def run(lib: Any) -> tuple[list[Any], Any]:
        tensors = [
            lib.tensor(a.copy(), requires_grad=bool(g and a.dtype.kind == "f"))
            for a, g in zip(arrays, grads, strict=True)
        ]
        return tensors, outcome(lambda: fn(lib, *tensors))

    mine_in, (kind, mine) = run(mm)
    theirs_in, (their_kind, theirs) = run(torch)
    if their_kind == "raise" or kind == "raise":
        assert (kind, type(mine)) == (their_kind, type(theirs)), f"{mine!r} != {theirs!r}"
        assert normalize(str(mine)) == str(theirs)
        return
    mine_all = mine if isinstance(mine, tuple) else (mine,)
    theirs_all = theirs if isinstance(theirs, tuple) else (theirs,)
    rtol = _loosest_rtol(*(a for a in arrays), *(values(t) for t in theirs_all))
    for k, (a, b) in enumerate(zip(mine_all, theirs_all, strict=True)):
        _assert_same_array(values(a), values(b), rtol, f"output {k}", atol)
        assert a.requires_grad == b.requires_grad, f"output {k}: requires_grad"
        if b.grad_fn is not None:
            assert a.grad_fn.name() == b.grad_fn.name(), f"output {k}: grad_fn"
    out_mine, out_theirs = mine_all[0], theirs_all[0]
    if not out_theirs.requires_grad:
        return
    upstream = np.random.default_rng(upstream_seed).standard_normal(tuple(out_theirs.shape))
    upstream = upstream.astype(values(out_theirs).dtype)
    kind, mine = outcome(lambda: out_mine.backward(mm.tensor(upstream)))
    their_kind, theirs = outcome(lambda: out_theirs.backward(torch.tensor(upstream)))
    if their_kind == "raise" or kind == "raise":
        assert (kind, type(mine)) == (their_kind, type(theirs)), f"{mine!r} != {theirs!r}"
        assert normalize(str(mine)) == str(theirs)
        return
    for k, (a, b) in enumerate(zip(mine_in, theirs_in, strict=True)):
        assert (a.grad is None) == (b.grad is None), f"input {k}: gradient given by one only"
        if b.grad is not None:
            # A gradient is a sum of terms of the upstream gradient's size (1): when they
            # cancel (a normalization's), the result carries their rounding, relative to 1.
            grad_a, grad_b = values(a.grad), values(b.grad)
            _assert_same_array(grad_a, grad_b, rtol, f"gradient of input {k}", atol, 1.0)
