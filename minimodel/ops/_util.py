"""Shared plumbing of the operations: broadcasting gradients back and PyTorch's dtype rules."""

from __future__ import annotations

import functools
from collections.abc import Callable
from numbers import Number
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import numpy as np

# Re-exported for the operations: the names live on the dtype objects (minimodel/dtype.py).
from .. import _scalar
from ..dtype import scalar_type_name as scalar_type_name
from ..dtype import torch_dtype_name as torch_dtype_name

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)

P = ParamSpec("P")
R = TypeVar("R")

_F64 = np.dtype(np.float64)
_F32 = np.dtype(np.float32)
_F16 = np.dtype(np.float16)


# NumPy's stubs type ``keepdims`` of ufunc.reduce as a literal only; a bool variable fits none of
# their overloads, so the reductions are called through these untyped names.
ADD: Any = np.add
MULTIPLY: Any = np.multiply
DIVIDE: Any = np.true_divide
MAXIMUM: Any = np.maximum
MINIMUM: Any = np.minimum


def accumulated(x: np.ndarray) -> np.ndarray:
    """``x`` in the dtype PyTorch computes it in: float32 for float16 (rounded once at the end
    by the caller), else its own."""
    return x.astype(_F32) if x.dtype == _F16 else x


def keeping_ties(fn: Any, keep: Any, other: Any) -> np.ndarray:
    """``fn(keep, other)`` (np.maximum or np.minimum) returning ``keep`` where the two are equal,
    as PyTorch's max, min, clamp and relu do (that decides the sign of a zero: relu(-0.) is -0.).

    NumPy returns its second operand on ties, but its first in float16.
    """
    if np.result_type(keep, other) == _F16:
        return cast(np.ndarray, fn(keep, other))
    return cast(np.ndarray, fn(other, keep))


def add_reduce(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    """``x`` summed over ``axis`` as PyTorch sums: float16 accumulated in float32 and rounded
    once (NumPy would round after every addition along a strided axis), bools and integers
    into int64.

    np.add.reduce rather than ``x.sum()``: the method goes through NumPy's Python layer, whose
    floating-point warnings (inf - inf) minimodel's filter does not reach, and costs more.
    """
    if x.dtype == _F16:
        return ADD.reduce(accumulated(x), axis=axis, keepdims=keepdims).astype(_F16)
    if x.dtype.kind in "biu":
        return ADD.reduce(x, axis=axis, dtype=np.int64, keepdims=keepdims)
    return ADD.reduce(x, axis=axis, keepdims=keepdims)


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``g`` down to ``shape``: the gradient of a broadcast is the sum over what it repeated."""
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    if extra:
        g = add_reduce(g, axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = add_reduce(g, axis=axes, keepdims=True)
    return g


# The functions that compute a product or a quotient (ops modules add their own wrappers).
MULTIPLY_OR_DIVIDE: set[Callable[[Any, Any], Any]] = {MULTIPLY, DIVIDE}


def half_by_float32(fn: Callable[[Any, Any], Any], a: np.ndarray, b: Any) -> bool:
    """Whether PyTorch's CPU kernel of ``fn`` takes ``b`` in float32, unrounded: a float16
    tensor times (or divided by) a number or a 0-d tensor, the result float16."""
    return (
        a.dtype == _F16
        and fn in MULTIPLY_OR_DIVIDE
        and (not isinstance(b, np.ndarray) or b.ndim == 0)
        and result_type(a, b) == _F16
    )


def compute_promoted(
    fn: Callable[[Any, Any], Any], a: np.ndarray, b: Any
) -> tuple[np.ndarray, np.ndarray, Any]:
    """``fn(a, b)`` computed as PyTorch computes it, in the result's dtype: where NumPy would
    compute in a wider one (``float32 * float64 0-d``, ``int64 * 0.1``) and round the result
    once more, the operands are cast to PyTorch's dtype first. Returns the result and the
    operands as computed with (what the gradient is computed from, as in PyTorch).

    One exception, from PyTorch's CPU kernels of ``mul`` and ``div``: a float16 tensor times
    (or divided by) a number or a 0-d tensor takes that operand in float32, unrounded.
    """
    if half_by_float32(fn, a, b):
        scalar = np.float32(b)
        return fn(a.astype(_F32), scalar).astype(_F16), a, scalar
    out = fn(a, b)
    dt = out.dtype
    if dt == a.dtype and (dt == b.dtype if isinstance(b, np.ndarray) else True):
        return out, a, b
    want = promoted_dtype(dt, a, b)
    if want == dt:
        return out, a, b
    a = a.astype(want)
    if isinstance(b, np.ndarray):
        b = b.astype(want)
    elif want.kind == "f":
        b = want.type(b)
    return promote(fn(a, b), a, b), a, b


def promoted_dtype(dt: np.dtype, a: np.ndarray, b: Any) -> np.dtype:
    """PyTorch's dtype for the result of an operation on ``a`` and ``b`` that NumPy computed in
    ``dt``."""
    want = result_type(a, b)
    if want.kind != "f" and dt.kind == "f":
        want = _F32  # true division and float functions of integers
    return want


def promote(out: np.ndarray, a: np.ndarray, b: Any) -> np.ndarray:
    """Cast ``out``, NumPy's result of an operation on ``a`` and ``b``, to PyTorch's dtype.

    ``b`` may be a Python number. They differ in two ways: NumPy turns an integer tensor combined
    with a Python float (or divided) into float64, where PyTorch gives its default float32; and
    in PyTorch a 0-d tensor does not raise the dtype of a tensor with dimensions of the same kind
    (``float32 + float64 0-d`` is float32). The common case, a result of the inputs' dtype, is
    returned at once.
    """
    dt = out.dtype
    if dt == a.dtype and (dt == b.dtype if isinstance(b, np.ndarray) else True):
        return out
    want = promoted_dtype(dt, a, b)
    return out if want == dt else out.astype(want)


_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def common_operands(a: np.ndarray, b: np.ndarray, integers: bool = True) -> tuple[Any, Any]:
    """``a`` and ``b`` cast to PyTorch's common dtype, the one it computes in.

    NumPy computes in the wider dtype, PyTorch in its promoted one, to which it casts a 0-d
    operand first: a uint8 tensor compared with a 0-d int16 -1 is compared with 255, and a
    float16 inf times a 0-d float32 1e-40 is inf * 0. ``integers=False`` leaves them alone when
    that dtype is an integer or bool one (true division computes them as floats).
    """
    if a.dtype is b.dtype:
        return a, b
    want = result_type(a, b)
    if not integers and want.kind != "f":
        return a, b
    return (
        a if a.dtype == want else a.astype(want),
        b if b.dtype == want else b.astype(want),
    )


def promote_types(x: np.dtype, y: np.dtype) -> np.dtype:
    """PyTorch's promotion of two dtypes: the higher kind (bool < int < float) wins outright."""
    rx, ry = _KIND_RANK[x.kind], _KIND_RANK[y.kind]
    if rx != ry:
        return x if rx > ry else y
    return np.promote_types(x, y)


def result_type(a: np.ndarray, b: Any) -> np.dtype:
    """PyTorch's result dtype for ``a`` (an array) combined with ``b`` (an array or a number).

    Tensors with dimensions outrank 0-d tensors, which outrank Python numbers; a lower rank only
    counts when it is of a higher kind (bool < int < float). A Python float stands for the
    default float32, a Python int for int64.
    """
    ranked: list[np.dtype | None] = [None, None, None]  # dimensioned, 0-d, Python number
    for x in (a, b):
        if isinstance(x, np.ndarray | np.generic):  # NumPy gives scalars for 0-d results
            slot, dt = (0 if x.ndim else 1), x.dtype
        else:
            slot = 2
            dt = np.dtype(bool if isinstance(x, bool) else np.int64 if isinstance(x, int) else _F32)
        prev = ranked[slot]
        ranked[slot] = dt if prev is None else promote_types(prev, dt)
    result = next(dt for dt in ranked if dt is not None)
    for dt in ranked:
        # A lower rank only counts with a higher kind, and then its dtype is the result.
        if dt is not None and _KIND_RANK[dt.kind] > _KIND_RANK[result.kind]:
            result = dt
    return result


_NUMPY_NAMES = (("axis", "dim"), ("keepdims", "keepdim"))


def numpy_aliases(fn: Callable[P, R]) -> Callable[P, R]:
    """Let ``fn`` take NumPy's keyword names ``axis`` and ``keepdims``, as PyTorch's ops do."""
    name = fn.__name__

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs:
            for alias, real in _NUMPY_NAMES:
                if alias in kwargs:
                    if real in kwargs:
                        raise TypeError(f"{name}() got an unexpected keyword argument '{alias}'")
                    kwargs[real] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    return wrapper


_INT_RANGES = {
    np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
    for t in (np.int64, np.int32, np.int16, np.int8, np.uint8)
}


def wrap_int(a: np.ndarray, b: Any) -> Any:
    """``b`` ready to combine with the integer array ``a`` as PyTorch does.

    PyTorch casts a Python int to an integer tensor's dtype, wrapping around (so ``uint8 + -1``
    subtracts one), where NumPy raises OverflowError.
    """
    if type(b) is int and a.dtype.kind in "iu":
        lo, hi = _INT_RANGES[a.dtype]
        if not lo <= b <= hi:
            if not -(2**63) <= b < 2**64:
                raise RuntimeError("Overflow when unpacking long")
            return np.array(b & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64).astype(a.dtype)[()]
    return b


def check_int_fits(x: Any, dtype: np.dtype) -> None:
    """PyTorch's error for a Python int that does not fit the integer ``dtype`` it is cast to
    (where, pow); an unsigned dtype takes down to -max, which wraps around."""
    if x.__class__ is int and dtype.kind in "iu":
        _scalar.fill(x, dtype)


def can_cast(src: np.dtype, dst: np.dtype) -> bool:
    """PyTorch's ``can_cast`` for in-place results: no float into an integer tensor and nothing
    but bool into a bool one; integers of any sign and width may be stored (wrapping around)."""
    return _KIND_RANK[src.kind] <= _KIND_RANK[dst.kind] and (dst.kind != "b" or src.kind == "b")


def checked_operands(fn: Callable[P, R], other: str | None, position: int) -> Callable[P, R]:
    """``fn`` raising PyTorch's TypeError for an operand of a type it does not take.

    The operators (``t + x``) return NotImplemented for such operands, so that Python raises
    its own TypeError; the named forms (``t.add(x)``, ``minimodel.add(t, x)``) raise PyTorch's.
    ``other`` is ``"Tensor"`` when the second operand must be a tensor, ``"Number"`` when it may
    also be a number, None when there is none; ``position`` is its position in PyTorch's
    message: 2 for a function (see :func:`check_operand` for the methods).
    """
    name = fn.__name__
    kinds = (Tensor,) if other == "Tensor" else (Tensor, Number)
    check_input = position == 2 or other is None

    @functools.wraps(fn)
    def checked(input: Any, *args: Any, **kwargs: Any) -> Any:
        if check_input and not isinstance(input, Tensor):
            raise TypeError(
                f"{name}(): argument 'input' (position 1) must be Tensor, not "
                f"{type(input).__name__}"
            )
        if other is not None and args and not isinstance(args[0], kinds):
            raise _operand_error(name, input, args[0], position)
        return fn(input, *args, **kwargs)

    return cast("Callable[P, R]", checked)


def check_operand(name: str, input: Tensor, other: object, number: bool) -> None:
    """PyTorch's TypeError for a named method (``t.add(x)``) given an operand of a type it does
    not take, where the operator returns NotImplemented; ``number``: a Python number is
    allowed. (The functional forms check theirs with :func:`checked_operands`.)"""
    if not (isinstance(other, Tensor) or (number and isinstance(other, Number))):
        raise _operand_error(name, input, other, 1)


def _operand_error(name: str, input: Any, other: Any, position: int) -> TypeError:
    kind = type(other).__name__
    if name != "pow":
        return TypeError(
            f"{name}(): argument 'other' (position {position}) must be Tensor, not {kind}"
        )
    if position == 1:
        why = f"      didn't match because some of the arguments have invalid types: (!{kind}!)"
        return TypeError(
            f"pow() received an invalid combination of arguments - got ({kind}), but expected "
            f"one of:\n * (Tensor exponent)\n{why}\n * (Number exponent)\n{why}\n"
        )
    return TypeError(
        f"pow() received an invalid combination of arguments - got (Tensor, {kind}), but "
        "expected one of:\n * (Tensor input, Tensor exponent, *, Tensor out = None)\n * (Number "
        "self, Tensor exponent, *, Tensor out = None)\n * (Tensor input, Number exponent, *, "
        "Tensor out = None)\n"
    )


def check_dim(dim: int, ndim: int) -> int:
    """Normalize a possibly negative ``dim``, raising PyTorch's IndexError when out of range."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not lo <= dim <= hi:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})"
        )
    return dim % ndim if ndim else 0


def shape_str(t: Tensor | np.ndarray) -> str:
    shape = t.shape
    return "x".join(str(n) for n in shape)
