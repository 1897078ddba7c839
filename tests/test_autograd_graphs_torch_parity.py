"""The backward pass against PyTorch's: random graphs with several outputs and shared subgraphs.

Each program is a list of steps drawn by hypothesis: make a leaf (plain, a view or an expand of a
tensor that does not require grad, made to require it), apply operations (a custom Function with
two outputs among them), keep the gradient of a non-leaf (``retain_grad``), change a tensor in
place, detach, assign ``.grad``, and differentiate: ``Tensor.backward`` (with ``retain_graph``
and ``inputs=``), ``autograd.backward`` of several outputs at once and ``autograd.grad`` (with
``allow_unused`` and ``materialize_grads``). The steps run on minimodel and on PyTorch side by
side; after every step each tensor must have the same values, ``requires_grad``, ``is_leaf``,
``grad_fn`` name, ``retains_grad`` and ``.grad`` in both, what ``autograd.grad`` returns must
agree, and a step that raises must raise the same exception with the same message.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import as_minimodel, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

LIBS = (mm, torch)
SHAPES = [(), (3,), (2, 3), (1, 3), (2, 1)]
MAX_TENSORS = 10


def _sin_and_double(lib: Any) -> Any:
    """A custom Function with two outputs, saving its input: (sin x, 2 x)."""

    class SinAndDouble(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin(), x * 2

        @staticmethod
        def backward(ctx, g_sin, g_double):
            (x,) = ctx.saved_tensors
            return g_sin * x.cos() + g_double * 2

    return SinAndDouble


FUNCTIONS = {lib: _sin_and_double(lib) for lib in LIBS}

UNARY = {
    "exp": lambda x: x.exp(),
    "tanh": lambda x: x.tanh(),
    "sin": lambda x: x.sin(),
    "square": lambda x: x * x,
    "half": lambda x: x * 0.5,
    "clone": lambda x: x.clone(),
    "sum": lambda x: x.sum(),
    "sum_last": lambda x: x.sum(-1, keepdim=True) if x.dim() else x,
    "mean0": lambda x: x.mean(0) if x.dim() else x,
    "t": lambda x: x.t() if x.dim() <= 2 else x,
    "row": lambda x: x[0] if x.dim() else x,
    "flat": lambda x: x.reshape(-1),
    "expand": lambda x: x.expand(2, 3) if x.dim() and x.shape[-1] in (1, 3) else x,
    "to64": lambda x: x.double(),
    "to32": lambda x: x.float(),
}
BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / (y * y + 1),
}
INPLACE = {
    "mul_": lambda x, y: x.mul_(-1.5),
    "add_": lambda x, y: x.add_(y),
    "exp_": lambda x, y: x.exp_(),
}


class Parted(Exception):
    """The program stops: PyTorch failed an internal assertion (a bug of its own), or the
    libraries part on a documented difference."""


class Program:
    """The tensors of one program, in both libraries, and the steps run so far (for reports)."""

    def __init__(self) -> None:
        self.pairs: list[tuple[Any, Any]] = []
        self.log: list[str] = []
        # float32 values may have flowed into float64 ones: they compare to float32's tolerance.
        self.rtol = 1e-9

    def run(self, text: str, step: Any, keeps: bool = True) -> None:
        """Run ``step(lib, tensors)`` on both libraries and compare what it returned or raised;
        ``keeps``: a tensor it returns joins the program."""
        self.log.append(text)
        (mine, out_m), (theirs, out_t) = [
            outcome(lambda k=k, lib=lib: step(lib, [pair[k] for pair in self.pairs]))
            for k, lib in enumerate(LIBS)
        ]
        where = "\n".join(self.log)
        if theirs != "ok" and "INTERNAL ASSERT FAILED" in str(out_t):
            # In place on a custom Function's output that retains its grad, for one.
            raise Parted(str(out_t))
        assert mine == theirs, f"{where}\nminimodel: {mine} {out_m}\ntorch: {theirs} {out_t}"
        if mine != "ok":
            assert (type(out_m), str(out_m)) == (type(out_t), as_minimodel(str(out_t))), where
        elif keeps and out_m is not None:
            for m, t in zip(out_m, out_t, strict=True) if isinstance(out_m, tuple) else []:
                self.pairs.append((m, t))
            if not isinstance(out_m, tuple):
                self.pairs.append((out_m, out_t))
            self.pairs = self.pairs[-MAX_TENSORS:]
        else:
            _same_grads(out_m, out_t, f"{where}\nreturned", self.rtol)
        if any(m.dtype == mm.float32 for m, _ in self.pairs):
            self.rtol = 1e-5
        for i, (m, t) in enumerate(self.pairs):
            _same_tensor(m, t, f"{where}\ntensor {i}", self.rtol)


def _same_tensor(m: Any, t: Any, what: str, rtol: float) -> None:
    assert (tuple(m.shape), str(m.dtype)) == (tuple(t.shape), as_minimodel(str(t.dtype))), what
    _close(m._data, t.detach().numpy(), what, rtol)
    assert (m.requires_grad, m.is_leaf) == (t.requires_grad, t.is_leaf), what
    try:
        name_t = None if t.grad_fn is None else t.grad_fn.name()
    except RuntimeError as exc:
        # A view made under no_grad whose memory changed in place: PyTorch raises from then on
        # when it is used, minimodel when backward reaches it (the difference Tensor documents).
        assert m.grad_fn.name() == "torch::autograd::Error", f"{what}: {exc}"
        raise Parted(str(exc)) from exc
    assert (None if m.grad_fn is None else m.grad_fn.name()) == name_t, what
    assert m.retains_grad == t.retains_grad, f"{what}: retains_grad"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the grad of a non-leaf is compared too
        _same_grads(m._grad, t.grad, f"{what}: grad", rtol)


def _same_grads(mine: Any, theirs: Any, what: str, rtol: float) -> None:
    """The same gradient (or None), or the same tuple or dict of them."""
    if isinstance(theirs, tuple | list):
        assert len(mine) == len(theirs), what
        for a, b in zip(mine, theirs, strict=True):
            _same_grads(a, b, what, rtol)
    elif theirs is None:
        assert mine is None, f"{what}: {mine} where PyTorch has None"
    else:
        assert mine is not None, f"{what}: None where PyTorch has {theirs}"
        assert str(mine.dtype) == as_minimodel(str(theirs.dtype)), what
        assert not mine.requires_grad and not theirs.requires_grad, what
        _close(mine._data, theirs.numpy(), what, rtol)


def _close(mine: np.ndarray, theirs: np.ndarray, what: str, rtol: float) -> None:
    assert mine.shape == theirs.shape, what
    # An element that is a small difference of larger terms (sin's last bit differs from
    # PyTorch's) is compared to a few units in the last place of the largest.
    scale = float(np.max(np.abs(theirs), initial=0.0, where=np.isfinite(theirs)))
    ulps = 4 * np.finfo(theirs.dtype).eps * scale if theirs.dtype.kind == "f" else 0.0
    np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=max(rtol * 1e-3, ulps), err_msg=what)


def _leaf(lib: Any, kind: str, values: np.ndarray, dtype: str, requires_grad: bool) -> Any:
    """A leaf of ``values``' shape: a tensor of its own, or a view (``kind``) of one that does
    not require grad, made to require it as PyTorch allows."""
    if kind == "view":
        t = lib.tensor(np.stack([values, -values]), dtype=getattr(lib, dtype))[1]
    elif kind == "expand" and values.ndim:
        t = lib.tensor(values[:1], dtype=getattr(lib, dtype)).expand(*values.shape)
    else:
        t = lib.tensor(values, dtype=getattr(lib, dtype))
    return t.requires_grad_(requires_grad)


def _gradient(lib: Any, t: Any, seed: int) -> Any:
    """The gradient given for output ``t``: None for one element (implicit), else random."""
    if t.numel() == 1 and seed % 2:
        return None
    values = np.random.default_rng(seed).uniform(-1, 1, tuple(t.shape)).round(2)
    return lib.tensor(values, dtype=t.dtype)


@st.composite
def steps(draw: Any, program: Program) -> None:
    """Draw one step and run it on ``program``."""
    n = len(program.pairs)
    kinds = ["leaf"]
    if n:
        kinds += ["unary", "unary", "binary", "binary", "function", "retain", "inplace"]
        kinds += ["detach", "set_grad", "backward", "backward", "autograd.backward", "grad"]
    kind = draw(st.sampled_from(kinds))
    i, j = draw(st.integers(0, max(n - 1, 0))), draw(st.integers(0, max(n - 1, 0)))
    seed = draw(st.integers(0, 2**16))
    if kind == "leaf":
        shape = draw(st.sampled_from(SHAPES))
        values = np.random.default_rng(seed).uniform(-1.5, 1.5, shape).round(2)
        how = draw(st.sampled_from(["plain", "plain", "view", "expand"]))
        dtype = draw(st.sampled_from(["float64", "float64", "float32"]))
        rg = draw(st.booleans()) or draw(st.booleans())
        program.run(
            f"leaf {how} {shape} {dtype} rg={rg} seed={seed}",
            lambda lib, ts: _leaf(lib, how, values, dtype, rg),
        )
    elif kind == "unary":
        name = draw(st.sampled_from(sorted(UNARY)))
        no_grad = draw(st.integers(0, 5)) == 0
        program.run(
            f"t{i}.{name}() no_grad={no_grad}",
            lambda lib, ts: _under(lib, no_grad, lambda: UNARY[name](ts[i])),
        )
    elif kind == "binary":
        name = draw(st.sampled_from(sorted(BINARY)))
        program.run(f"{name}(t{i}, t{j})", lambda lib, ts: BINARY[name](ts[i], ts[j]))
    elif kind == "function":
        program.run(f"SinAndDouble(t{i})", lambda lib, ts: FUNCTIONS[lib].apply(ts[i]))
    elif kind == "retain":
        program.run(f"t{i}.retain_grad()", lambda lib, ts: ts[i].retain_grad())
    elif kind == "inplace":
        name = draw(st.sampled_from(sorted(INPLACE)))
        program.run(f"t{i}.{name}(t{j})", lambda lib, ts: _changed(INPLACE[name](ts[i], ts[j])))
    elif kind == "detach":
        program.run(f"t{i}.detach()", lambda lib, ts: ts[i].detach())
    elif kind == "set_grad":
        zero = draw(st.booleans())

        def set_grad(lib: Any, ts: list) -> None:
            ts[i].grad = lib.zeros_like(ts[i]) if zero else None

        program.run(f"t{i}.grad = {'zeros' if zero else None}", set_grad)
    else:
        _differentiate(draw, program, kind, i, j, seed)


def _differentiate(draw: Any, program: Program, kind: str, i: int, j: int, seed: int) -> None:
    n = len(program.pairs)
    retain = draw(st.booleans())
    picked = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3))
    inputs = picked if kind == "grad" or draw(st.booleans()) else None

    def chosen(ts: list) -> Any:
        return None if inputs is None else [ts[k] for k in inputs]

    if kind == "backward":
        program.run(
            f"t{i}.backward(seed {seed}, retain_graph={retain}, inputs={inputs})",
            lambda lib, ts: ts[i].backward(
                _gradient(lib, ts[i], seed), retain_graph=retain, inputs=chosen(ts)
            ),
            keeps=False,
        )
    elif kind == "autograd.backward":
        program.run(
            f"autograd.backward([t{i}, t{j}], seed {seed}, retain_graph={retain}, inputs={inputs})",
            lambda lib, ts: lib.autograd.backward(
                [ts[i], ts[j]],
                [_gradient(lib, ts[i], seed), _gradient(lib, ts[j], seed + 1)],
                retain_graph=retain,
                inputs=chosen(ts),
            ),
            keeps=False,
        )
    else:
        unused = draw(st.sampled_from([None, True, False]))
        zeros = draw(st.booleans()) and unused is not False
        program.run(
            f"autograd.grad(t{i}, {inputs}, seed {seed}, retain_graph={retain}, "
            f"allow_unused={unused}, materialize_grads={zeros})",
            lambda lib, ts: lib.autograd.grad(
                ts[i],
                chosen(ts),
                _gradient(lib, ts[i], seed),
                retain_graph=retain,
                allow_unused=unused,
                materialize_grads=zeros,
            ),
            keeps=False,
        )


def _changed(out: Any) -> None:
    return None  # the tensor changed in place is already in the program


def _under(lib: Any, no_grad: bool, fn: Any) -> Any:
    with lib.no_grad() if no_grad else lib.enable_grad():
        return fn()


@settings(max_examples=examples(150))
@given(st.data())
def test_random_graphs_differentiated_in_every_way_match_pytorch(data: Any) -> None:
    program = Program()
    try:
        for _ in range(data.draw(st.integers(1, 14))):
            data.draw(steps(program))
    except Parted:
        pass


EXACT = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "scale": lambda x, y: x * 0.37,
}


@settings(max_examples=examples(40))
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(sorted(EXACT)), st.integers(0, 99), st.integers(0, 99)),
        min_size=1,
        max_size=12,
    ),
    roots=st.lists(st.integers(0, 99), min_size=1, max_size=3),
    seed=st.integers(0, 2**16),
)
def test_gradients_summed_over_many_paths_match_pytorch_bit_for_bit(ops, roots, seed) -> None:
    """A DAG of float32 sums and products whose leaves are used many times: each gradient is a
    sum over paths, which rounds as PyTorch's only if the contributions are added in its order
    (the engine runs the most recently made node first)."""
    values = np.random.default_rng(seed).uniform(-2, 2, (3, 4)).astype(np.float32)
    grads = []
    for lib in LIBS:
        nodes = [lib.tensor(v, requires_grad=True) for v in values]
        for name, i, j in ops:
            nodes.append(EXACT[name](nodes[i % len(nodes)], nodes[j % len(nodes)]))
        outputs = [nodes[3 + k % (len(nodes) - 3)].sum() for k in roots]
        lib.autograd.backward(outputs)
        grads.append([None if t.grad is None else t.grad.numpy() for t in nodes[:3]])
    for mine, theirs in zip(*grads, strict=True):
        assert (mine is None) == (theirs is None)
        np.testing.assert_array_equal(mine, theirs)
