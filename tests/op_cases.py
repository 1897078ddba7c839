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
    # False where PyTorch's node depends on how it decomposes the operation (einsum).
    same_grad_fn_name: bool = True

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


def probabilities(rng: np.random.Generator, shapes: Shapes) -> list[np.ndarray]:
    """Values in [0.05, 0.95]: inputs and targets of binary_cross_entropy, away from its logs'
    poles."""
    return [rng.uniform(0.05, 0.95, s) for s in shapes]


def _same_shapes(n: int, **kwargs: int) -> st.SearchStrategy[Shapes]:
    return shapes_of_one(**kwargs).map(lambda s: s * n)


def _loss_inputs(params: dict[str, st.SearchStrategy[Any]] | None = None) -> Inputs:
    """An input and a target of the same shape, and a reduction (plus ``params``)."""
    options = {"reduction": st.sampled_from(["mean", "sum", "none"]), **(params or {})}
    return with_params(_same_shapes(2), lambda s: st.fixed_dictionaries(options))


@st.composite
def _layer_norm_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    """An input, the trailing shape to normalize (1 or 2 dims), and which affine terms."""
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=4))
    normalized = shape[len(shape) - draw(st.integers(1, min(2, len(shape)))) :]
    affine = draw(st.sampled_from(["none", "weight", "both"]))
    shapes = (shape,) + (normalized,) * {"none": 0, "weight": 1, "both": 2}[affine]
    return shapes, {"normalized_shape": normalized}


def _layer_norm(lib: Any, x: Any, *affine: Any, normalized_shape: Shape) -> Any:
    return lib.nn.functional.layer_norm(x, normalized_shape, *affine, eps=1e-3)


@st.composite
def _embedding_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    rows, dim = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    index_shape = draw(array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=4))
    size = int(np.prod(index_shape))
    indices = draw(st.lists(st.integers(0, rows - 1), min_size=size, max_size=size))
    # A padding row gets no gradient on purpose, which finite differences would contradict: it
    # is drawn among the rows not looked up here (tests/nn/test_embedding_torch_parity.py looks
    # it up).
    unused = sorted(set(range(rows)) - set(indices))
    padding = draw(st.none() | st.sampled_from(unused)) if unused else None
    return ((rows, dim),), {
        "indices": np.array(indices, dtype=np.int64).reshape(index_shape),
        "padding_idx": padding,
    }


def _embedding(lib: Any, weight: Any, indices: np.ndarray, **options: Any) -> Any:
    return lib.nn.functional.embedding(lib.tensor(indices), weight, **options)


def _inplace_leaky_relu(lib: Any, x: Any) -> Any:
    z = x * 1  # in-place operations need a non-leaf
    return lib.nn.functional.leaky_relu(z, 0.2, inplace=True)


def _nn_functional_cases() -> list[OpCase]:
    """The differentiable functions of minimodel/nn/functional.py added for issue 12."""

    def f(name: str) -> Callable[..., Any]:
        return lambda lib, *ts, **p: getattr(lib.nn.functional, name)(*ts, **p)

    nn_case = "nn_functional"
    return [
        OpCase("leaky_relu", nn_case, f("leaky_relu"), one(), distinct),
        OpCase(
            "leaky_relu_slope",
            nn_case,
            lambda lib, a: lib.nn.functional.leaky_relu(a, negative_slope=-0.3),
            one(),
            distinct,
        ),
        OpCase("leaky_relu_inplace", nn_case, _inplace_leaky_relu, one(), distinct),
        OpCase("gelu", nn_case, f("gelu"), one()),
        OpCase(
            "gelu_tanh",
            nn_case,
            lambda lib, a: lib.nn.functional.gelu(a, approximate="tanh"),
            one(),
        ),
        OpCase("softplus", nn_case, f("softplus"), one()),
        OpCase(
            "softplus_beta_threshold",
            nn_case,
            lambda lib, a: lib.nn.functional.softplus(a, beta=2.0, threshold=1.0),
            one(),
            distinct,
        ),
        # distinct(): differences of inputs and targets are multiples of 0.1 and never 0, so
        # delta = beta = 0.75 keeps them off the losses' kinks.
        OpCase("l1_loss", nn_case, f("l1_loss"), _loss_inputs(), distinct),
        OpCase(
            "huber_loss",
            nn_case,
            f("huber_loss"),
            _loss_inputs({"delta": st.sampled_from([0.75, 1.25])}),
            distinct,
        ),
        OpCase(
            "smooth_l1_loss",
            nn_case,
            f("smooth_l1_loss"),
            _loss_inputs({"beta": st.sampled_from([0.0, 0.75, 1.25])}),
            distinct,
        ),
        OpCase(
            "binary_cross_entropy",
            nn_case,
            f("binary_cross_entropy"),
            _loss_inputs(),
            probabilities,
        ),
        OpCase(
            "binary_cross_entropy_weight",
            nn_case,
            lambda lib, x, t, w, reduction: lib.nn.functional.binary_cross_entropy(
                x, t, w, reduction=reduction
            ),
            with_params(
                _same_shapes(3),
                lambda s: st.fixed_dictionaries({"reduction": st.sampled_from(["mean", "sum"])}),
            ),
            probabilities,
            grad_inputs=(0, 1),
        ),
        OpCase("layer_norm", nn_case, _layer_norm, _layer_norm_inputs()),
        OpCase("embedding", nn_case, _embedding, _embedding_inputs()),
    ]


@st.composite
def _moment_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    """std/var: a shape whose reduced dimensions hold at least two elements, and options."""
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=4))
    dim = draw(st.none() | dims_of(shape) | _tuple_of_dims(shape))
    options: Params = {"dim": dim, "keepdim": draw(st.booleans())}
    style = draw(st.sampled_from(["default", "unbiased", "correction"]))
    if style == "unbiased":
        options["unbiased"] = draw(st.booleans())
    elif style == "correction":
        options["correction"] = draw(st.sampled_from([0, 1]))
    if dim is None and not options["keepdim"]:
        del options["dim"], options["keepdim"]
    return (shape,), options


def _moment(method: str) -> Callable[..., Any]:
    return lambda lib, a, **options: getattr(a, method)(**options)


@st.composite
def _gather_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    axis = draw(st.integers(0, len(shape) - 1))
    index_shape = tuple(
        draw(st.integers(1, 4)) if d == axis else draw(st.integers(1, n))
        for d, n in enumerate(shape)
    )
    size = int(np.prod(index_shape))
    picks = draw(st.lists(st.integers(0, shape[axis] - 1), min_size=size, max_size=size))
    dim = axis - len(shape) if draw(st.booleans()) else axis
    return (shape,), {"dim": dim, "index": np.array(picks).reshape(index_shape)}


@st.composite
def _index_select_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    axis = draw(st.integers(0, len(shape) - 1))
    picks = draw(st.lists(st.integers(0, shape[axis] - 1), min_size=0, max_size=5))
    return (shape,), {"dim": axis, "index": np.array(picks, dtype=np.int64)}


@st.composite
def _split_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    axis = draw(st.integers(0, len(shape) - 1))
    n = shape[axis]
    how = draw(st.sampled_from(["size", "sections", "chunk", "unbind"]))
    if how == "sections":
        cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
        arg: Any = np.diff([0, *cuts, n]).tolist()
    elif how == "size" or how == "chunk":
        arg = draw(st.integers(1, n + 1))
    else:
        arg = None
    return (shape,), {"how": how, "arg": arg, "dim": axis}


def _split(lib: Any, a: Any, how: str, arg: Any, dim: int) -> Any:
    if how == "chunk":
        pieces = a.chunk(arg, dim)
    elif how == "unbind":
        pieces = [p.unsqueeze(dim) for p in a.unbind(dim)]
    else:
        pieces = lib.split(a, arg, dim=dim)
    # Weighting each piece differently tells their gradients apart.
    return lib.cat([p * (i + 1) for i, p in enumerate(pieces)], dim)


@st.composite
def _repeat_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    shape = draw(array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    lead = draw(st.integers(0 if shape else 1, 2))  # torch wants at least one size
    reps = tuple(draw(st.integers(1, 3)) for _ in range(len(shape) + lead))
    return (shape,), {"reps": reps}


@st.composite
def _bmm_shapes(draw: st.DrawFn) -> Shapes:
    b, n, m, p = (draw(st.integers(1, 3)) for _ in range(4))
    return (b, n, m), (b, m, p)


@st.composite
def _einsum_inputs(draw: st.DrawFn) -> tuple[Shapes, Params]:
    """Equations of the kinds tutorials use, with dimension sizes drawn."""
    sizes = {c: draw(st.integers(1, 3)) for c in "bijkl"}
    equation = draw(
        st.sampled_from(
            [
                "ij,jk->ik",
                "bij,bjk->bik",
                "ij->ji",
                "i,i->",
                "ij,ij->i",
                "i,j->ij",
                "bi,bi->b",
                "ij->",
                "ij,jk",
                "...ij,...jk->...ik",
                "ijk->kji",
                "bij,jk->bik",
            ]
        )
    )
    lead = (draw(st.integers(1, 3)),) if "..." in equation else ()
    inputs = equation.partition("->")[0].replace("...", "").split(",")
    shapes = tuple(lead + tuple(sizes[c] for c in subs) for subs in inputs)
    return shapes, {"equation": equation}


def _inplace_unary(method: str, *args: Any) -> Callable[..., Any]:
    def fn(lib: Any, a: Any) -> Any:
        z = a * 1  # in-place operations need a non-leaf
        return getattr(z, method)(*args)

    return fn


def _tensor_method_cases() -> list[OpCase]:
    """The Tensor methods and functions added for issue 12."""
    return [
        OpCase("std", "reduction", _moment("std"), _moment_inputs()),
        OpCase("var", "reduction", _moment("var"), _moment_inputs()),
        OpCase(
            "std_function", "reduction", lambda lib, a: lib.std(a, 0), one(min_dims=1, min_side=2)
        ),
        OpCase(
            "prod",
            "reduction",
            lambda lib, a, dim, keepdim: a.prod() if dim is None else a.prod(dim, keepdim),
            with_params(
                shapes_of_one(),
                lambda s: st.fixed_dictionaries(
                    {"dim": st.none() | dims_of(s[0]), "keepdim": st.booleans()}
                ),
            ),
        ),
        OpCase(
            "norm",
            "reduction",
            lambda lib, a, **p: a.norm(**p),
            with_params(
                shapes_of_one(min_dims=1),
                lambda s: st.fixed_dictionaries(
                    {
                        "p": st.sampled_from([2, 1, 3, float("inf"), "fro"]),
                        "dim": st.none() | dims_of(s[0]),
                        "keepdim": st.booleans(),
                    }
                ),
            ),
            distinct,
        ),
        OpCase(
            "masked_fill",
            "indexing",
            lambda lib, a, mask, leading: a.masked_fill(lib.tensor(mask), -0.5),
            one_with(_mask),
        ),
        OpCase(
            "masked_fill_tensor_value",
            "indexing",
            lambda lib, a, v, mask, leading: lib.masked_fill(a, lib.tensor(mask), v),
            with_params(
                shapes_of_one(min_dims=1).map(lambda s: (s[0], ())),
                lambda s: _mask(s[0]),
            ),
        ),
        OpCase(
            "index_select",
            "indexing",
            lambda lib, a, dim, index: a.index_select(dim, lib.tensor(index)),
            _index_select_inputs(),
        ),
        OpCase(
            "gather",
            "indexing",
            lambda lib, a, dim, index: lib.gather(a, dim, lib.tensor(index)),
            _gather_inputs(),
        ),
        OpCase("split_chunk_unbind", "shape", _split, _split_inputs()),
        OpCase("repeat", "shape", lambda lib, a, reps: a.repeat(*reps), _repeat_inputs()),
        OpCase(
            "expand_as",
            "shape",
            lambda lib, a, sizes: a.expand_as(lib.zeros(*[abs(n) for n in sizes])),
            one_with(
                lambda s: st.fixed_dictionaries(
                    {"sizes": st.tuples(*(st.sampled_from([1, 3] if n == 1 else [n]) for n in s))}
                ),
                min_dims=1,
                max_side=2,
            ),
        ),
        OpCase(
            "view_as",
            "shape",
            lambda lib, a: a.view_as(lib.zeros(int(np.prod(a.shape)))),
            one(),
        ),
        OpCase("mT", "shape", lambda lib, a: a.mT, one(min_dims=2)),
        OpCase("sign", "pointwise", lambda lib, a: a.sign(), one(), distinct),
        OpCase("square", "pointwise", lambda lib, a: lib.square(a), one()),
        OpCase("log1p", "pointwise", lambda lib, a: a.log1p(), one(), positive),
        OpCase("expm1", "pointwise", lambda lib, a: lib.expm1(a), one()),
        OpCase("floor", "pointwise", lambda lib, a: a.floor(), one(), distinct),
        OpCase("ceil", "pointwise", lambda lib, a: lib.ceil(a), one(), distinct),
        OpCase("round", "pointwise", lambda lib, a: a.round(), one(), distinct),
        OpCase("round_decimals", "pointwise", lambda lib, a: a.round(decimals=1), one(), distinct),
        OpCase(
            "remainder",
            "arith",
            lambda lib, a, b: a % b,
            broadcastable(),
            numerator_and_denominator,
        ),
        OpCase("remainder_number", "arith", lambda lib, a: a % 0.7, one()),
        OpCase("bmm", "arith", lambda lib, a, b: lib.bmm(a, b), plain(_bmm_shapes())),
        OpCase(
            "einsum",
            "arith",
            lambda lib, *ts, equation: lib.einsum(equation, *ts),
            _einsum_inputs(),
            same_grad_fn_name=False,
        ),
        OpCase("exp_", "pointwise", _inplace_unary("exp_"), one()),
        OpCase("sigmoid_", "pointwise", _inplace_unary("sigmoid_"), one()),
        OpCase("relu_", "pointwise", _inplace_unary("relu_"), one(), distinct),
        OpCase("sqrt_", "pointwise", _inplace_unary("sqrt_"), one(), positive),
        OpCase("pow_", "arith", _inplace_unary("pow_", 3), one()),
    ]


CASES = _cases() + _nn_functional_cases() + _tensor_method_cases()


def cases(module: str) -> list[Any]:
    """The cases of one ops module, as pytest params named by their id."""
    return [pytest.param(c, id=c.id) for c in CASES if c.module == module]
