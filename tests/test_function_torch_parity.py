"""autograd.Function against torch.autograd.Function: custom forwards and backwards give the same
values, gradients, ``needs_input_grad``, node names and errors.

Each test defines its Function once, for either library (``lib`` is minimodel or torch).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes
from torch_compare import assert_same_error, assert_same_exception, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def _mul_sin(lib: Any) -> Any:
    """f(x, y, k) = k * x * y + sin(x), with broadcasting, its backward by hand."""

    class MulSin(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y, k):
            ctx.save_for_backward(x, y)
            ctx.k = k
            ctx.seen = ctx.needs_input_grad
            return k * x * y + x.sin()

        @staticmethod
        def backward(ctx, grad):
            x, y = ctx.saved_tensors
            # Gradients of the broadcast shape: the library sums them to each input's shape.
            gx = grad * (ctx.k * y + x.cos()) if ctx.needs_input_grad[0] else None
            gy = grad * ctx.k * x if ctx.needs_input_grad[1] else None
            return gx, gy, None

    return MulSin


@settings(max_examples=examples(60))
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
    flags=st.tuples(st.booleans(), st.booleans()),
    k=st.floats(-2, 2),
    dtype=st.sampled_from(["float32", "float64"]),
    seed=st.integers(0, 2**16),
)
def test_values_gradients_and_needs_input_grad_match_torch(shapes, flags, k, dtype, seed) -> None:
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes.input_shapes]
    upstream = rng.standard_normal(shapes.result_shape).astype(dtype)
    runs = []
    for lib in (mm, torch):
        x, y = (lib.tensor(a, requires_grad=f) for a, f in zip(arrays, flags, strict=True))
        out = _mul_sin(lib).apply(x, y, k)
        grad_fn = None if out.grad_fn is None else out.grad_fn.name()
        if out.requires_grad:
            out.backward(lib.tensor(upstream))
        grads = [None if t.grad is None else t.grad.numpy() for t in (x, y)]
        runs.append((out.detach().numpy(), grad_fn, grads, out.requires_grad))
    (ours, our_fn, our_grads, our_rg), (theirs, their_fn, their_grads, their_rg) = runs
    assert (our_fn, our_rg) == (their_fn, their_rg)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    for mine, want in zip(our_grads, their_grads, strict=True):
        assert (mine is None) == (want is None)
        if want is not None:
            assert mine.dtype == want.dtype and mine.shape == want.shape
            np.testing.assert_allclose(mine, want, rtol=1e-5, atol=1e-5)


def _needs_input_grad(lib: Any) -> tuple[bool, ...]:
    captured = {}
    fn = _mul_sin(lib)

    class Spy(fn):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(ctx, x, y, k):
            captured["needs"] = ctx.needs_input_grad
            return fn.forward(ctx, x, y, k)

    Spy.apply(lib.ones(2, requires_grad=True), lib.ones(2), 3)
    return captured["needs"]


def test_needs_input_grad_is_torchs() -> None:
    assert _needs_input_grad(mm) == _needs_input_grad(torch) == (True, False, False)


def _several_outputs(lib: Any) -> Any:
    class ExpArgmaxDouble(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            e, index = x.exp(), x.argmax()
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(e)
            return e, index, x * 2

        @staticmethod
        def backward(ctx, g_exp, g_index, g_double):
            (e,) = ctx.saved_tensors
            ctx.received = (g_index.tolist(), g_double is None)
            return g_exp * e + g_double * 2

    return ExpArgmaxDouble


@pytest.mark.parametrize("use", ["both", "exp only", "double only"])
def test_several_outputs_and_a_non_differentiable_one_match_torch(use: str) -> None:
    x0 = np.array([0.5, -1.0, 2.0], dtype=np.float32)
    runs = []
    for lib in (mm, torch):
        x = lib.tensor(x0, requires_grad=True)
        e, index, double = _several_outputs(lib).apply(x)
        loss = {"both": e.sum() + double.sum(), "exp only": e.sum(), "double only": double.sum()}
        loss[use].backward()
        names = [None if t.grad_fn is None else t.grad_fn.name() for t in (e, index, double)]
        runs.append((names, index.requires_grad, index.tolist(), x.grad.tolist()))
    assert runs[0][:3] == runs[1][:3]
    np.testing.assert_allclose(runs[0][3], runs[1][3], rtol=1e-6)


def test_materialize_grads_false_passes_none_as_torch() -> None:
    received = []
    for lib in (mm, torch):

        class Pair(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.set_materialize_grads(False)
                return x * 1, x * 2

            @staticmethod
            def backward(ctx, g1, g2):
                received.append((g1 is None, g2 is None))
                return g1

        a, _ = Pair.apply(lib.ones(2, requires_grad=True))
        a.sum().backward()
    assert received[0] == received[1] == (False, True)


def _returning(grad: Any, n_args: int = 1) -> Any:
    """A Function whose backward returns ``grad(lib, g)`` (a tuple or a single gradient)."""

    def make(lib: Any) -> Any:
        class Returns(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, *rest):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return grad(lib, g)

        return Returns

    return make


BACKWARD_ERRORS = {
    "too few": (_returning(lambda lib, g: g), (lambda lib: lib.ones(2, 3), 1.0)),
    "too many": (_returning(lambda lib, g: (g, g)), (lambda lib: lib.ones(2, 3),)),
    "wrong shape": (_returning(lambda lib, g: lib.ones(3)), (lambda lib: lib.ones(2, 3),)),
    "not broadcastable": (_returning(lambda lib, g: lib.ones(2, 3)), (lambda lib: lib.ones(3, 2),)),
    "non-None for a number": (_returning(lambda lib, g: (g, g)), (lambda lib: lib.ones(2), 3)),
}


@pytest.mark.parametrize("case", list(BACKWARD_ERRORS))
def test_bad_backward_results_raise_torchs_error(case: str) -> None:
    make, args = BACKWARD_ERRORS[case]

    def run(lib: Any) -> Any:
        def go() -> None:
            first = args[0](lib).requires_grad_()
            make(lib).apply(first, *args[1:]).sum().backward()

        return go

    assert_same_exception(run(mm), run(torch))


@pytest.mark.parametrize(
    ("grad", "shape"),
    [
        (lambda lib, g: lib.ones(5, 2, 3), (2, 3)),  # summed over the extra dimension
        (lambda lib, g: lib.ones(2, 3), (1, 3)),  # summed over the size-1 dimension
        (lambda lib, g: (g.double(), None), (2, 3)),  # cast to the input's dtype; a trailing None
    ],
    ids=["leading", "size one", "dtype"],
)
def test_gradients_are_summed_and_cast_to_the_input_as_torch(grad: Any, shape: tuple) -> None:
    results = []
    for lib in (mm, torch):
        x = lib.ones(shape, requires_grad=True)
        _returning(grad)(lib).apply(x).sum().backward()
        results.append((x.grad.tolist(), str(x.grad.dtype).split(".")[-1]))
    assert results[0] == results[1]


def test_misuses_raise_torchs_errors() -> None:
    def save_a_number(lib: Any) -> Any:
        class Saves(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x, 3)
                return x * 1

        return lambda: Saves.apply(lib.ones(2, requires_grad=True))

    def no_backward(lib: Any) -> Any:
        class Forward(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 1

        return lambda: Forward.apply(lib.ones(2, requires_grad=True)).sum().backward()

    def legacy_call(lib: Any) -> Any:
        return lambda: _mul_sin(lib)()(lib.ones(2), lib.ones(2), 1.0)

    for make in (save_a_number, no_backward, legacy_call):
        assert_same_exception(make(mm), make(torch))


def test_no_graph_without_grad_and_non_tensor_outputs_pass_through_as_torch() -> None:
    for lib in (mm, torch):
        fn = _mul_sin(lib)
        with lib.no_grad():
            assert fn.apply(lib.ones(2, requires_grad=True), lib.ones(2), 1.0).grad_fn is None
        assert fn.apply(lib.ones(2), lib.ones(2), 1.0).grad_fn is None

        class Number(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return 3

        assert Number.apply(lib.ones(2, requires_grad=True)) == 3


@settings(max_examples=examples(20))
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=4), seed=st.integers(0, 2**16))
def test_an_input_returned_as_is_becomes_a_new_node_as_torch(shape, seed) -> None:
    x0 = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    runs = []
    for lib in (mm, torch):

        class Same(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 3

        x = lib.tensor(x0, requires_grad=True)
        y = Same.apply(x)
        (y * y).sum().backward()
        runs.append((y is x, y.grad_fn.name(), x.grad.numpy()))
    assert runs[0][:2] == runs[1][:2]
    np.testing.assert_allclose(runs[0][2], runs[1][2], rtol=1e-6)


@pytest.mark.parametrize("saves", [True, False])
def test_a_second_backward_fails_only_after_saving_tensors_as_torch(saves: bool) -> None:
    def run(lib: Any) -> Any:
        class Double(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                if saves:
                    ctx.save_for_backward(x)
                return x * 2

            @staticmethod
            def backward(ctx, g):
                if saves:
                    (_x,) = ctx.saved_tensors
                return g * 2

        x = lib.ones(2, requires_grad=True)
        y = Double.apply(x).sum()
        y.backward()
        y.backward()
        return x.grad.tolist()

    if saves:
        assert_same_exception(lambda: run(mm), lambda: run(torch))
    else:
        assert run(mm) == run(torch) == [4.0, 4.0]


def _saving(lib: Any, save: tuple[str, ...], reads: bool, values: tuple) -> Any:
    """f(x, y) = x * y + y, saving the named tensors (of ``x``, ``y``, ``out``); its backward
    reads them (``ctx.saved_tensors``) or not: it computes from ``values``, copies of the
    inputs."""
    x_value, y_value = values

    class MulAdd(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            out = x * y + y
            ctx.save_for_backward(*[{"x": x, "y": y, "out": out}[name] for name in save])
            return out

        @staticmethod
        def backward(ctx, g):
            if reads:
                ctx.saved_tensors  # noqa: B018 (reading them is what is under test)
            return g * y_value, g * (x_value + 1)

    return MulAdd


@settings(max_examples=examples(40))
@given(
    save=st.lists(st.sampled_from(["x", "y", "out"]), max_size=3).map(tuple),
    reads=st.booleans(),
    changed=st.lists(st.sampled_from(["x", "y", "out"]), max_size=2),
    passes=st.lists(st.booleans(), min_size=1, max_size=3),
)
def test_saved_tensors_are_checked_and_freed_when_read_as_torch(save, reads, changed, passes):
    """An in-place change of a saved tensor, or a second pass through freed ones, raises when
    the backward reads them, and only then, as in PyTorch."""
    runs = []
    for lib in (mm, torch):
        a = lib.tensor([0.5, -1.0], requires_grad=True)
        b = lib.tensor([2.0, 3.0], requires_grad=True)
        x, y = a * 1, b * 1  # non-leaves, which may be changed in place
        values = (lib.tensor([0.5, -1.0]), lib.tensor([2.0, 3.0]))
        out = _saving(lib, save, reads, values).apply(x, y)
        tensors = {"x": x, "y": y, "out": out}
        for name in changed:
            tensors[name].mul_(2)
        outcomes = [
            outcome(lambda r=retain, out=out: out.sum().backward(retain_graph=r))
            for retain in passes
        ]
        runs.append((outcomes, a.grad, b.grad))
    (mine, a_m, b_m), (theirs, a_t, b_t) = runs
    assert [kind for kind, _ in mine] == [kind for kind, _ in theirs]
    for (kind, m), (_, t) in zip(mine, theirs, strict=True):
        if kind == "raise":
            assert_same_error(m, t)
    for g_m, g_t in ((a_m, a_t), (b_m, b_t)):
        assert (g_m is None) == (g_t is None)
        if g_t is not None:
            np.testing.assert_allclose(g_m.numpy(), g_t.numpy(), rtol=1e-6)
