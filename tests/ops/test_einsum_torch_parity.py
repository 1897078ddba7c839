"""``einsum`` against PyTorch on random equations: values, gradients, shapes and errors.

The equations are drawn from a small alphabet so that letters repeat within an operand
(diagonals, traces), across operands (contractions) and not at all (sums); with ellipses of
different widths, implicit and explicit outputs, dimensions of size 0 and 1 (which broadcast),
and now and then a mistake (a size that does not match, an output letter repeated or unknown, a
stray character or dot, a dtype of its own): PyTorch's message must come back, word for word.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

LETTERS = "ijkA"


@st.composite
def einsum_calls(draw: st.DrawFn) -> tuple[str, list[np.ndarray], list[bool]]:
    """An equation, its operands' values and which operands require grad."""
    size = {c: draw(st.sampled_from([0, 1, 2, 3, 3])) for c in LETTERS}
    spread = [draw(st.integers(1, 3)) for _ in range(2)]
    count = draw(st.integers(1, 3))
    pieces, shapes = [], []
    for _ in range(count):
        subs = draw(st.lists(st.sampled_from(LETTERS), max_size=3))
        shape = [draw(st.sampled_from([size[c], size[c], 1])) for c in subs]
        for at, c in enumerate(subs):
            if c in subs[:at]:  # the same size as the first, mostly
                first = subs.index(c)
                shape[at] = shape[first] if draw(st.integers(0, 5)) else shape[first] + 1
        text = "".join(subs)
        if draw(st.booleans()):
            width = draw(st.integers(0, 2))
            cut = draw(st.integers(0, len(subs)))
            text = text[:cut] + "..." + text[cut:]
            shape[cut:cut] = [draw(st.sampled_from([n, 1])) for n in spread[2 - width :]]
        pieces.append(text)
        shapes.append(tuple(shape))
    equation = ",".join(pieces)
    if draw(st.booleans()):
        used = sorted(set("".join(pieces).replace(".", "")))
        out = draw(st.permutations(used))[: draw(st.integers(0, len(used)))]
        text = "".join(out)
        if "..." in equation and draw(st.booleans()):
            text = "..." + text
        equation += "->" + text
    mistake = draw(st.integers(0, 12))
    if mistake == 0:
        at = draw(st.integers(0, len(equation)))
        stray = draw(st.sampled_from(["k", "1", ".", "..", "...", " ", ">", "-", ","]))
        equation = equation[:at] + stray + equation[at:]
    if mistake == 1:
        shapes.append((2,))
    if mistake == 2 and len(shapes) > 1:
        shapes.pop()
    dtypes = [np.float32] * len(shapes)
    # Not with an empty operand: PyTorch's dtype there is whichever operand its shortcut for
    # empty tensors starts from (float64 x float32 gives float32 for "ij,ij"), not a rule.
    if mistake == 3 and all(np.prod(s) for s in shapes):
        dtypes[-1] = np.float64
    values = [
        np.asarray(draw(st.lists(st.floats(-3, 3, width=32), min_size=n, max_size=n)), dtype=d)
        for n, d in zip((int(np.prod(s)) for s in shapes), dtypes, strict=True)
    ]
    arrays = [v.reshape(s) for v, s in zip(values, shapes, strict=True)]
    grads = [draw(st.booleans()) for _ in arrays]
    return equation, arrays, grads


def _run(lib: Any, equation: str, arrays: list[np.ndarray], grads: list[bool], seed: int):
    leaves = [lib.tensor(a, requires_grad=g) for a, g in zip(arrays, grads, strict=True)]
    out = lib.einsum(equation, *leaves)
    if out.requires_grad:
        weights = np.random.default_rng(seed).standard_normal(tuple(out.shape))
        out.backward(lib.tensor(weights.astype(arrays[0].dtype)))
    return out, leaves


@settings(max_examples=examples(300), deadline=None)
@given(einsum_calls(), st.integers(0, 2**16))
def test_random_equations_match_pytorch_in_values_gradients_and_errors(call, seed):
    equation, arrays, grads = call
    mine = outcome(lambda: _run(mm, equation, arrays, grads, seed))
    theirs = outcome(lambda: _run(torch, equation, arrays, grads, seed))
    assert mine[0] == theirs[0], (mine, theirs)
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
        return
    (out, leaves), (t_out, t_leaves) = mine[1], theirs[1]
    assert tuple(out.shape) == tuple(t_out.shape)
    assert str(out.dtype).split(".")[1] == str(t_out.dtype).split(".")[1]
    np.testing.assert_allclose(out.detach().numpy(), t_out.detach().numpy(), 1e-5, 1e-5)
    for leaf, t_leaf in zip(leaves, t_leaves, strict=True):
        assert (leaf.grad is None) == (t_leaf.grad is None)
        if leaf.grad is not None:
            np.testing.assert_allclose(leaf.grad.numpy(), t_leaf.grad.numpy(), 1e-5, 1e-5)
