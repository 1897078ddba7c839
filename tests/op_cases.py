"""The differentiable operations under test, with the inputs hypothesis draws for each.

One table serves two kinds of test: tests/ops/test_<module>.py checks every case's gradient
against finite differences (tests/gradcheck.py), and tests/ops/test_ops_torch_parity.py runs the
same cases on minimodel and on PyTorch and compares values, dtypes, ``grad_fn`` names and
gradients. A case's ``fn(lib, *tensors, **params)`` is written once for both libraries: ``lib`` is
the ``minimodel`` or the ``torch`` module.

Input values are chosen so that the operation is smooth around them (finite differences of
``abs`` at 0 or of ``max`` at a tie mean nothing): see the value kinds below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

# Few examples per case: there are many cases, and the suite must stay fast.
CASE_SETTINGS = settings(max_examples=examples(12))

Shape = tuple[int, ...]
Shapes = tuple[Shape, ...]
Params = dict[str, Any]
Values = Callable[[np.random.Generator, Shapes], list[np.ndarray]]


# ------------------------------------------------------------------ value kinds
def _each(kind: Callable[[np.random.Generator, Shape], np.ndarray]) -> Values:
    return lambda rng, shapes: [kind(rng, s) for s in shapes]


def _normal(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return rng.standard_normal(shape)


def _positive(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return rng.uniform(0.5, 2.0, shape)


def _away_from_zero(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return np.asarray(rng.choice([-1.0, 1.0], shape) * rng.uniform(0.3, 2.0, shape))


normal = _each(_normal)
positive = _each(_positive)
away_from_zero = _each(_away_from_zero)


def distinct(rng: np.random.Generator, shapes: Shapes) -> list[np.ndarray]:
    """Values 0.1 apart over all inputs, none within 0.03 of 0 or of +-0.5.

    So ``max``/``maximum`` have no ties, and ``abs``, ``relu`` and ``clamp(-0.5, 0.5)`` no kinks,
    within a finite-difference step.
    """
    sizes = [int(np.prod(s)) for s in shapes]
    values = (rng.permutation(sum(sizes)) - sum(sizes) // 2) * 0.1 + 0.037
    parts = np.split(values, np.cumsum(sizes)[:-1])
    return [p.reshape(s) for p, s in zip(parts, shapes, strict=True)]


def base_and_exponent(rng: np.random.Generator, shapes: Shapes) -> list[np.ndarray]:
    """A positive base (so any real exponent is defined) and an exponent of either sign."""
    return [_positive(rng, shapes[0]), _normal(rng, shapes[1])]


def numerator_and_denominator(rng: np.random.Generator, shapes: Shapes) -> list[np.ndarray]:
    return [_normal(rng, shapes[0]), _away_from_zero(rng, shapes[1])]


# ------------------------------------------------------------------ input strategies
# Each yields ``(shapes, params)``: one shape per tensor input, and the keyword arguments of fn.
Inputs = st.SearchStrategy[tuple[Shapes, Params]]


def plain(shapes: st.SearchStrategy[Shapes]) -> Inputs:
    return shapes.map(lambda s: (s, {}))


def with_params(
    shapes: st.SearchStrategy[Shapes], params: Callable[[Shapes], st.SearchStrategy[Params]]
) -> Inputs:
    return shapes.flatmap(lambda s: params(s).map(lambda p: (s, p)))


def shapes_of_one(
    min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4
) -> st.SearchStrategy[Shapes]:
    """A single input shape (0-d included unless ``min_dims`` says otherwise)."""
    return array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda s: (s,))


def one(**kwargs: int) -> Inputs:
    return plain(shapes_of_one(**kwargs))


def broadcastable_shapes(n: int = 2) -> st.SearchStrategy[Shapes]:
    """``n`` shapes that broadcast together (sizes of 1 and missing leading dimensions)."""
    return mutually_broadcastable_shapes(
        num_shapes=n, min_dims=0, max_dims=3, min_side=1, max_side=3
    ).map(lambda r: r.input_shapes)


def broadcastable(n: int = 2) -> Inputs:
    return plain(broadcastable_shapes(n))


@st.composite
def _matmul_shapes(draw: st.DrawFn) -> Shapes:
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    batch_a, batch_b = draw(
        mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3)
    ).input_shapes
    left = draw(st.sampled_from([(k,), (n, k), (*batch_a, n, k)]))
    right = draw(st.sampled_from([(k,), (k, m), (*batch_b, k, m)]))
    return left, right


def matmul_operands() -> Inputs:
    """Operands of every kind ``@`` accepts: 1-D, 2-D, and batched with broadcasting batches."""
    return plain(_matmul_shapes())


def dims_of(shape: Shape) -> st.SearchStrategy[int]:
    """A valid dimension of ``shape``, positive or negative (0 and -1 for a 0-d shape)."""
    n = max(len(shape), 1)
    return st.integers(-n, n - 1)


def _tuple_of_dims(shape: Shape) -> st.SearchStrategy[tuple[int, ...]]:
    n = len(shape)
    return st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True).map(
        lambda ds: tuple(d - n if i % 2 else d for i, d in enumerate(ds))
    )


def reduction(allow_tuple: bool = True) -> Inputs:
    """One tensor, ``dim`` (None, an int, or a tuple of distinct dims, ``()`` and ``[]``
    included: they reduce every dimension) and ``keepdim``."""

    def params(shapes: Shapes) -> st.SearchStrategy[Params]:
        dims = [st.none(), dims_of(shapes[0])]
        if allow_tuple:
            dims.append(st.sampled_from([(), []]))
        if allow_tuple and shapes[0]:
            dims.append(_tuple_of_dims(shapes[0]))
        return st.fixed_dictionaries({"dim": st.one_of(*dims), "keepdim": st.booleans()})

    return with_params(shapes_of_one(), params)


def one_with(params: Callable[[Shape], st.SearchStrategy[Params]], **kwargs: int) -> Inputs:
    """One tensor, with keyword arguments drawn for its shape."""
    return with_params(shapes_of_one(**kwargs), lambda s: params(s[0]))


def _reshape_target(shape: Shape) -> st.SearchStrategy[Params]:
    target = tuple(reversed(shape))
    options = [st.just(target), st.just((-1,))]
    if target:
        options.append(st.integers(0, len(target) - 1).map(lambda i: (*target[:i], -1)))
    return st.fixed_dictionaries({"shape": st.one_of(*options)})


def _squeeze_dims(shape: Shape) -> st.SearchStrategy[Params]:
    options = [st.none(), dims_of(shape)]
    if shape:
        options.append(_tuple_of_dims(shape))
    return st.fixed_dictionaries({"dim": st.one_of(*options)})


def _flatten_dims(shape: Shape) -> st.SearchStrategy[Params]:
    n = max(len(shape), 1)
    return st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()).map(
        lambda sen: {"start_dim": min(sen[:2]) - n * sen[2], "end_dim": max(sen[:2])}
    )


def _permutation(shape: Shape) -> st.SearchStrategy[Params]:
    return st.permutations(range(len(shape))).map(lambda p: {"dims": tuple(p)})


def _expand_sizes(shape: Shape) -> st.SearchStrategy[Params]:
    lead = st.lists(st.integers(1, 3), max_size=2)
    own = st.tuples(*(st.sampled_from([-1, 1, 3] if n == 1 else [-1, n]) for n in shape))
    return st.tuples(lead, own).map(lambda lo: {"sizes": (*lo[0], *lo[1])})


@st.composite
def _basic_index(draw: st.DrawFn, shape: Shape) -> tuple[Any, ...]:
    """Ints, slices (with steps and negative bounds), None and at most one Ellipsis."""
    items: list[Any] = []
    for n in shape[: draw(st.integers(0, len(shape)))]:
        kind = draw(st.sampled_from(["int", "slice", "none"]))
        if kind == "int":
            items.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            start, stop = draw(st.none() | st.integers(-n, n)), draw(st.none() | st.integers(-n, n))
            items.append(slice(start, stop, draw(st.sampled_from([None, 1, 2]))))
        else:
            items += [None, slice(None)]
    if draw(st.booleans()):
        items.append(Ellipsis)
    return tuple(items)


@st.composite
def _int_array_index(draw: st.DrawFn, shape: Shape) -> Any:
    """One or two integer lists (with repeats) on the first, last, or first two dimensions."""
    k = draw(st.integers(1, 6))

    def indices(n: int) -> list[int]:
        return draw(st.lists(st.integers(-n, n - 1), min_size=k, max_size=k))

    form = draw(st.sampled_from(["first", "last", "two"] if len(shape) >= 2 else ["first"]))
    if form == "first":
        return indices(shape[0])
    if form == "last":
        return (Ellipsis, indices(shape[-1]))
    return (indices(shape[0]), indices(shape[1]))


def _index(strategy: Callable[[Shape], st.SearchStrategy[Any]]) -> Inputs:
    return one_with(lambda s: st.fixed_dictionaries({"index": strategy(s)}), min_dims=1)


def _mask(shape: Shape) -> st.SearchStrategy[Params]:
    size = int(np.prod(shape))
    return st.fixed_dictionaries(
        {
            "mask": st.lists(st.booleans(), min_size=size, max_size=size).map(
                lambda bits: np.array(bits, dtype=bool).reshape(shape)
            ),
            "leading": st.booleans(),
        }
    )


@st.composite
def _setitem_shapes(draw: st.DrawFn) -> Shapes:
    """A tensor and a value that broadcasts to ``tensor[1:]``."""
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=4))
    target = (shape[0] - 1, *shape[1:])
    return shape, draw(st.sampled_from([target, target[1:], (), (1,) * len(target)]))


@st.composite
def _cat_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    base = draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(dims_of(base))
    sizes = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    axis = dim % len(base)
    return tuple((*base[:axis], n, *base[axis + 1 :]) for n in sizes), {"dim": dim}


@st.composite
def _stack_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    base = draw(array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    n = draw(st.integers(1, 3))
    return (base,) * n, {"dim": draw(st.integers(-len(base) - 1, len(base)))}


@st.composite
def _where_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    cond_shape, *shapes = draw(broadcastable_shapes(3))
    size = int(np.prod(cond_shape))
    bits = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    return tuple(shapes), {"condition": np.array(bits, dtype=bool).reshape(cond_shape)}


# ------------------------------------------------------------------ operations with a body
def _inplace_chain(lib: Any, x: Any, y: Any) -> Any:
    z = x * 1  # in-place operations need a non-leaf
    z += y
    z *= y
    z -= x
    z /= y
    z.add_(x, alpha=2)
    return z


def _setitem(lib: Any, x: Any, value: Any, index: Any) -> Any:
    z = x * 1
    z[index] = value
    return z


def _setitem_number(lib: Any, x: Any, index: Any) -> Any:
    return _setitem(lib, x, 0.5, index)


def _masked(lib: Any, x: Any, mask: np.ndarray, leading: bool) -> Any:
    if leading and mask.ndim:
        mask = mask.reshape(mask.shape[0], -1)[:, 0]
    return x[lib.tensor(mask)]


def _clamp_tensors(lib: Any, a: Any, lo: Any, hi: Any) -> Any:
    # Drawn values are distinct, so lo > hi half of the time: max wins there, as in PyTorch.
    return lib.clamp(a, lo, hi)


def _where(lib: Any, a: Any, b: Any, condition: np.ndarray) -> Any:
    return lib.where(lib.tensor(condition), a, b)


def _reduce(method: str) -> Callable[..., Any]:
    def fn(lib: Any, a: Any, dim: Any, keepdim: bool) -> Any:
        if dim is None:
            return getattr(a, method)()
        out = getattr(a, method)(dim, keepdim)
        return out[0] if method in ("max", "min") else out

    return fn


# ------------------------------------------------------------------ the table
@dataclass(frozen=True)
class OpCase:
    """One operation: ``fn(lib, *tensors, **params)`` and how to draw its inputs."""

    id: str
    module: str  # the minimodel/ops module that implements it: arith, pointwise, ...
    fn: Callable[..., Any]
    inputs: Inputs
    values: Values = normal
    # Which inputs require grad (all by default): PyTorch's grad_fn names can depend on it.
    grad_inputs: tuple[int, ...] | None = None

    def requires_grad(self, n: int) -> list[bool]:
        """For each of ``n`` inputs, whether the case makes it require grad."""
        return [self.grad_inputs is None or k in self.grad_inputs for k in range(n)]

    def draw(self) -> st.SearchStrategy[tuple[list[np.ndarray], Params]]:
        """``(arrays, params)``: float64 arrays, one per tensor input, and keyword arguments."""
        seeds = st.integers(0, 2**32 - 1)
        return st.tuples(self.inputs, seeds).map(
            lambda sp: (self.values(np.random.default_rng(sp[1]), sp[0][0]), sp[0][1])
        )


def _cases() -> list[OpCase]:
    same_shape_as_first = broadcastable_shapes().filter(lambda s: np.broadcast_shapes(*s) == s[0])
    bounds_within = broadcastable_shapes(3).filter(lambda s: np.broadcast_shapes(*s) == s[0])
    return [
        # ------------------------------------------------------------- arith
        OpCase("add", "arith", lambda lib, a, b: a + b, broadcastable()),
        OpCase("sub", "arith", lambda lib, a, b: a - b, broadcastable()),
        OpCase("mul", "arith", lambda lib, a, b: a * b, broadcastable()),
        OpCase("div", "arith", lambda lib, a, b: a / b, broadcastable(), numerator_and_denominator),
        OpCase("add_alpha", "arith", lambda lib, a, b: lib.add(a, b, alpha=2.5), broadcastable()),
        OpCase("sub_alpha", "arith", lambda lib, a, b: a.sub(b, alpha=-0.5), broadcastable()),
        OpCase("mul_function", "arith", lambda lib, a, b: lib.mul(a, b), broadcastable()),
        OpCase("add_number", "arith", lambda lib, a: a + 1.5, one()),
        OpCase("sub_number", "arith", lambda lib, a: a - 1.5, one()),
        OpCase("mul_number", "arith", lambda lib, a: a * -3, one()),
        OpCase("div_number", "arith", lambda lib, a: a / 4.0, one()),
        OpCase("radd", "arith", lambda lib, a: 1.5 + a, one()),
        OpCase("rsub", "arith", lambda lib, a: 1.5 - a, one()),
        OpCase("rmul", "arith", lambda lib, a: 2 * a, one()),
        OpCase("rdiv", "arith", lambda lib, a: 2.0 / a, one(), away_from_zero),
        OpCase("pow_int", "arith", lambda lib, a: a**3, one()),
        OpCase("pow_square", "arith", lambda lib, a: a**2, one()),
        OpCase("pow_one", "arith", lambda lib, a: a**1, one()),
        OpCase("pow_zero", "arith", lambda lib, a: a**0, one()),
        OpCase("pow_negative", "arith", lambda lib, a: a**-2, one(), away_from_zero),
        OpCase("pow_fraction", "arith", lambda lib, a: a**0.5, one(), positive),
        OpCase("pow_tensor", "arith", lambda lib, a, b: a**b, broadcastable(), base_and_exponent),
        OpCase("pow_method", "arith", lambda lib, a: a.pow(1.5), one(), positive),
        OpCase(
            "pow_function",
            "arith",
            lambda lib, a, b: lib.pow(a, b),
            broadcastable(),
            base_and_exponent,
        ),
        OpCase("rpow", "arith", lambda lib, a: 2.0**a, one()),
        OpCase("rpow_int_base", "arith", lambda lib, a: 3**a, one()),
        OpCase("rpow_fraction", "arith", lambda lib, a: 0.5**a, one()),
        OpCase("neg", "arith", lambda lib, a: -a, one()),
        OpCase("neg_method", "arith", lambda lib, a: a.neg(), one()),
        OpCase("matmul", "arith", lambda lib, a, b: a @ b, matmul_operands()),
        OpCase("matmul_function", "arith", lambda lib, a, b: lib.matmul(a, b), matmul_operands()),
        OpCase(
            "matmul_left_grad",
            "arith",
            lambda lib, a, b: a @ b,
            matmul_operands(),
            grad_inputs=(0,),
        ),
        OpCase(
            "matmul_right_grad",
            "arith",
            lambda lib, a, b: a @ b,
            matmul_operands(),
            grad_inputs=(1,),
        ),
        OpCase(
            "inplace_on_non_leaf",
            "arith",
            _inplace_chain,
            plain(same_shape_as_first),
            numerator_and_denominator,
        ),
        # --------------------------------------------------------- pointwise
        OpCase("exp", "pointwise", lambda lib, a: a.exp(), one()),
        OpCase("log", "pointwise", lambda lib, a: a.log(), one(), positive),
        OpCase("sqrt", "pointwise", lambda lib, a: a.sqrt(), one(), positive),
        OpCase("sin", "pointwise", lambda lib, a: a.sin(), one()),
        OpCase("cos", "pointwise", lambda lib, a: a.cos(), one()),
        OpCase("tanh", "pointwise", lambda lib, a: a.tanh(), one()),
        OpCase("sigmoid", "pointwise", lambda lib, a: a.sigmoid(), one()),
        OpCase("relu", "pointwise", lambda lib, a: a.relu(), one(), distinct),
        OpCase("abs", "pointwise", lambda lib, a: a.abs(), one(), distinct),
        OpCase("abs_builtin", "pointwise", lambda lib, a: abs(a), one(), distinct),
        OpCase("clamp", "pointwise", lambda lib, a: a.clamp(-0.5, 0.5), one(), distinct),
        OpCase("clamp_min", "pointwise", lambda lib, a: a.clamp(min=0.5), one(), distinct),
        OpCase("clamp_max", "pointwise", lambda lib, a: lib.clamp(a, max=-0.5), one(), distinct),
        OpCase("clip", "pointwise", lambda lib, a: a.clip(-0.5, 0.5), one(), distinct),
        # The bounds broadcast to the input's shape: when they broadcast it further, PyTorch's
        # own backward fails ("output with shape [] doesn't match the broadcast shape [1]").
        OpCase("clamp_tensors", "pointwise", _clamp_tensors, plain(bounds_within), distinct),
        OpCase(
            "clamp_tensor_min",
            "pointwise",
            lambda lib, a, b: a.clamp(min=b),
            plain(same_shape_as_first),
            distinct,
        ),
        OpCase("exp_function", "pointwise", lambda lib, a: lib.exp(a), one()),
        OpCase("log_function", "pointwise", lambda lib, a: lib.log(a), one(), positive),
        OpCase("sqrt_function", "pointwise", lambda lib, a: lib.sqrt(a), one(), positive),
        OpCase("sin_function", "pointwise", lambda lib, a: lib.sin(a), one()),
        OpCase("cos_function", "pointwise", lambda lib, a: lib.cos(a), one()),
        OpCase("tanh_function", "pointwise", lambda lib, a: lib.tanh(a), one()),
        OpCase("sigmoid_function", "pointwise", lambda lib, a: lib.sigmoid(a), one()),
        OpCase("relu_function", "pointwise", lambda lib, a: lib.relu(a), one(), distinct),
        OpCase("abs_function", "pointwise", lambda lib, a: lib.abs(a), one(), distinct),
        # --------------------------------------------------------- reduction
        OpCase("sum", "reduction", _reduce("sum"), reduction()),
        OpCase("mean", "reduction", _reduce("mean"), reduction()),
        OpCase("max", "reduction", _reduce("max"), reduction(allow_tuple=False), distinct),
        OpCase("min", "reduction", _reduce("min"), reduction(allow_tuple=False), distinct),
        OpCase("sum_function", "reduction", lambda lib, a: lib.sum(a, dim=-1), one(min_dims=1)),
        OpCase("mean_function", "reduction", lambda lib, a: lib.mean(a), one()),
        OpCase(
            "max_function",
            "reduction",
            lambda lib, a: lib.max(a, 0).values,
            one(min_dims=1),
            distinct,
        ),
        OpCase("min_function", "reduction", lambda lib, a: lib.min(a), one(), distinct),
        # ------------------------------------------------------------- shape
        OpCase(
            "reshape", "shape", lambda lib, a, shape: a.reshape(shape), one_with(_reshape_target)
        ),
        OpCase(
            "reshape_varargs",
            "shape",
            lambda lib, a, shape: a.reshape(*shape),
            one_with(_reshape_target, min_dims=1),
        ),
        OpCase(
            "reshape_function",
            "shape",
            lambda lib, a, shape: lib.reshape(a, shape),
            one_with(_reshape_target),
        ),
        OpCase(
            "view",
            "shape",
            lambda lib, a, shape: a.view(*shape),
            one_with(_reshape_target, min_dims=1),
        ),
        OpCase(
            "view_tuple", "shape", lambda lib, a, shape: a.view(shape), one_with(_reshape_target)
        ),
        OpCase(
            "unsqueeze",
            "shape",
            lambda lib, a, dim: a.unsqueeze(dim),
            one_with(lambda s: st.fixed_dictionaries({"dim": dims_of((*s, 1))})),
        ),
        OpCase(
            "squeeze",
            "shape",
            lambda lib, a, dim: a.squeeze() if dim is None else a.squeeze(dim),
            one_with(_squeeze_dims, max_side=2),
        ),
        OpCase("flatten", "shape", lambda lib, a, **p: a.flatten(**p), one_with(_flatten_dims)),
        OpCase("flatten_function", "shape", lambda lib, a: lib.flatten(a), one()),
        OpCase(
            "transpose",
            "shape",
            lambda lib, a, d0, d1: a.transpose(d0, d1),
            one_with(lambda s: st.fixed_dictionaries({"d0": dims_of(s), "d1": dims_of(s)})),
        ),
        OpCase("T", "shape", lambda lib, a: a.T, one(min_dims=2, max_dims=2)),
        OpCase("t", "shape", lambda lib, a: a.t(), one(max_dims=2)),
        OpCase(
            "permute",
            "shape",
            lambda lib, a, dims: a.permute(*dims),
            one_with(_permutation, min_dims=1),
        ),
        OpCase(
            "permute_tuple", "shape", lambda lib, a, dims: a.permute(dims), one_with(_permutation)
        ),
        OpCase(
            "expand",
            "shape",
            lambda lib, a, sizes: a.expand(*sizes),
            one_with(_expand_sizes, min_dims=1, max_side=2),
        ),
        # ---------------------------------------------------------- indexing
        OpCase("basic_index", "indexing", lambda lib, a, index: a[index], _index(_basic_index)),
        OpCase(
            "int_array_index", "indexing", lambda lib, a, index: a[index], _index(_int_array_index)
        ),
        OpCase(
            "int_tensor_index",
            "indexing",
            lambda lib, a: a[lib.tensor([0, 0, -1, 0])],
            one(min_dims=1),
        ),
        OpCase("bool_mask", "indexing", _masked, one_with(_mask)),
        OpCase(
            "setitem_slice",
            "indexing",
            lambda lib, a, v: _setitem(lib, a, v, slice(1, None)),
            plain(_setitem_shapes()),
        ),
        OpCase("setitem_number", "indexing", _setitem_number, _index(_basic_index)),
        OpCase(
            "setitem_int_array",
            "indexing",
            lambda lib, a, v: _setitem(lib, a, v, [0, -1]),
            plain(shapes_of_one(min_dims=1, min_side=2).map(lambda s: (s[0], s[0][1:]))),
        ),
        # -------------------------------------------------------------- join
        OpCase("cat", "join", lambda lib, *ts, dim: lib.cat(ts, dim=dim), _cat_inputs()),
        OpCase("stack", "join", lambda lib, *ts, dim: lib.stack(list(ts), dim), _stack_inputs()),
        OpCase("where", "join", _where, _where_inputs()),
        OpCase("maximum", "join", lambda lib, a, b: lib.maximum(a, b), broadcastable(), distinct),
        OpCase("minimum", "join", lambda lib, a, b: a.minimum(b), broadcastable(), distinct),
    ]


CASES = _cases()


def cases(module: str) -> list[Any]:
    """The cases of one ops module, as pytest params named by their id."""
    return [pytest.param(c, id=c.id) for c in CASES if c.module == module]
