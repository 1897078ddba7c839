"""Operations on several tensors: ``cat``, ``stack``, ``where``, ``maximum``, ``minimum``.

:class:`JoinMixin` holds the two that are also methods of :class:`~minimodel.Tensor`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from functools import partial
from numbers import Number
from typing import TYPE_CHECKING

import numpy as np

from .. import _scalar
from ..autograd import record
from ._util import (
    check_dim,
    check_operand,
    common_operands,
    keeping_ties,
    numpy_aliases,
    promote,
    promote_types,
    scalar_type_name,
    unbroadcast,
)
from .arith import _broadcast_error

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)


@numpy_aliases
def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Concatenate tensors along an existing dimension.

    As in PyTorch, 1-D empty tensors (such as ``minimodel.tensor([])``) are skipped, so a result
    can be grown from one.

    Example::

        >>> minimodel.cat([minimodel.zeros(2), minimodel.ones(1)])
        tensor([0., 0., 1.])
    """
    if isinstance(tensors, Tensor):
        raise TypeError(
            "cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"
        )
    tensors = tuple(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    arrays = [t._data for t in tensors]
    used: Sequence[int] = range(len(arrays))
    try:
        axis = check_dim(dim, arrays[0].ndim)
        out = np.concatenate(arrays, axis=axis)
    except (ValueError, IndexError):
        # PyTorch's error, or inputs that only work once 1-D empty tensors are left out.
        used, axis = _cat_inputs(arrays, dim)
        out = np.concatenate([arrays[k] for k in used], axis=axis)
    out = _promote_all(out, arrays)
    backward = partial(_cat_backward, [a.shape for a in arrays], used, axis)
    return record(out, tensors, "CatBackward0", backward, False)


def _cat_backward(
    shapes: list[tuple[int, ...]], used: Sequence[int], axis: int, g: np.ndarray
) -> tuple[np.ndarray, ...]:
    grads = [g[:0]] * len(shapes)
    ends = np.cumsum([shapes[k][axis] for k in used])
    for k, gk in zip(used, np.split(g, ends[:-1], axis=axis), strict=True):
        grads[k] = gk
    return tuple(g_k.reshape(shape) for g_k, shape in zip(grads, shapes, strict=True))


def _cat_inputs(arrays: list[np.ndarray], dim: int) -> tuple[list[int], int]:
    """The positions of the arrays to join and the axis, or PyTorch's error for the inputs."""
    for k, a in enumerate(arrays):
        if a.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {k}) cannot be concatenated")
    first = next((a.shape for a in arrays if a.shape != (0,)), arrays[0].shape)
    used = [k for k, a in enumerate(arrays) if a.shape != (0,) or len(first) == 1]
    axis = check_dim(dim, len(first))
    for k in used:
        a = arrays[k]
        if a.ndim != len(first):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(first)} and {a.ndim}"
            )
        for d in range(a.ndim):
            if d != axis and a.shape[d] != first[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size "
                    f"{first[d]} but got size {a.shape[d]} for tensor number {k} in the list."
                )
    return used, axis


@numpy_aliases
def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of the same shape along a new dimension."""
    tensors = tuple(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    arrays = [t._data for t in tensors]
    for k, a in enumerate(arrays[1:], start=1):
        if a.shape != arrays[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(arrays[0].shape)} at "
                f"entry 0 and {list(a.shape)} at entry {k}"
            )
    axis = check_dim(dim, arrays[0].ndim + 1)
    out = _promote_all(np.stack(arrays, axis=axis), arrays)
    backward = partial(_stack_backward, len(arrays), axis)
    return record(out, tensors, "StackBackward0", backward, False)


def _stack_backward(n: int, axis: int, g: np.ndarray) -> tuple[np.ndarray, ...]:
    return tuple(np.squeeze(p, axis) for p in np.split(g, n, axis=axis))


def _promote_all(out: np.ndarray, arrays: list[np.ndarray]) -> np.ndarray:
    # NumPy joins an integer and a float32 array into float64; PyTorch into float32.
    want = functools.reduce(promote_types, (a.dtype for a in arrays))
    return out if out.dtype == want else out.astype(want)


def where(condition: Tensor, input: Tensor | float, other: Tensor | float) -> Tensor:
    """Pick ``input`` where ``condition`` is true and ``other`` elsewhere, with broadcasting.

    ``condition`` must be a bool tensor (such as ``x > 0``); ``input`` and ``other`` may be
    numbers.
    """
    if not all(isinstance(x, Tensor | Number) for x in (input, other)):
        raise _where_type_error(input, other)
    cond = condition._data
    if cond.dtype != np.bool_:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{scalar_type_name(cond.dtype)}"
        )
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    for x, y in ((a, b), (b, a)):
        if not isinstance(x, np.ndarray):
            _scalar.check_scalar(x, y.dtype if isinstance(y, np.ndarray) else np.dtype(np.int64))
    try:
        out = np.where(cond, a, b)
    except ValueError:
        shape_a = np.shape(a)
        try:
            np.broadcast_shapes(cond.shape, shape_a)
        except ValueError:
            raise _broadcast_error(cond.shape, shape_a) from None
        raise _broadcast_error(np.broadcast_shapes(cond.shape, shape_a), np.shape(b)) from None
    if isinstance(a, np.ndarray):
        out = promote(out, a, b)
    elif isinstance(b, np.ndarray):
        out = promote(out, b, a)
    elif out.dtype == np.float64:  # two Python numbers
        out = out.astype(np.float32)
    for x in (a, b):
        if not isinstance(x, np.ndarray):  # a Python number, checked as PyTorch checks it
            _scalar.fill(x, out.dtype)
    tensors = tuple(t for t in (input, other) if isinstance(t, Tensor))
    shapes = [np.shape(x) for x in (a, b) if isinstance(x, np.ndarray)]
    picks = [c for c, x in ((cond, a), (~cond, b)) if isinstance(x, np.ndarray)]
    backward = partial(_where_backward, picks, shapes)
    return record(out, tensors, "WhereBackward0", backward, (condition,))


def _where_backward(
    picks: list[np.ndarray], shapes: list[tuple[int, ...]], g: np.ndarray
) -> tuple[np.ndarray, ...]:
    return tuple(
        unbroadcast(np.where(pick, g, 0), shape) for pick, shape in zip(picks, shapes, strict=True)
    )


def _where_type_error(input: object, other: object) -> TypeError:
    """PyTorch's TypeError for ``where`` with an operand that is neither a tensor nor a number."""

    def name(x: object) -> str:
        return "Tensor" if isinstance(x, Tensor) else type(x).__name__

    def marked(x: object, kind: type) -> str:
        return name(x) if isinstance(x, kind) else f"!{name(x)}!"

    lines = [
        f"where() received an invalid combination of arguments - got (Tensor, {name(input)}, "
        f"{name(other)}), but expected one of:",
        " * (Tensor condition)",
        " * (Tensor condition, Tensor input, Tensor other, *, Tensor out = None)",
    ]
    for signature, kinds in (
        ("Number self, Tensor other", (Number, Tensor)),
        ("Tensor input, Number other", (Tensor, Number)),
        ("Number self, Number other", (Number, Number)),
    ):
        lines.append(f" * (Tensor condition, {signature})")
        marks = ", ".join(marked(x, k) for x, k in zip((input, other), kinds, strict=True))
        why = "didn't match because some of the arguments have invalid types"
        lines.append(f"      {why}: (Tensor, {marks})")
    return TypeError("\n".join(lines) + "\n")


def _pick(input: Tensor, other: Tensor, is_max: bool) -> Tensor:
    # Compared in PyTorch's common dtype: a 0-d float64 1e-8 ties a float16 0 there.
    a, b = common_operands(input._data, other._data)
    try:
        # Ties return the first operand, as PyTorch's (maximum(-0., 0.) is -0.).
        out = promote(keeping_ties(np.maximum if is_max else np.minimum, a, b), a, b)
    except ValueError:
        raise _broadcast_error(a.shape, b.shape) from None
    name = "MaximumBackward0" if is_max else "MinimumBackward0"
    backward = partial(_pick_backward, a, b, is_max)
    return record(out, (input, other), name, backward, (input, other))


def _pick_backward(
    a: np.ndarray, b: np.ndarray, is_max: bool, g: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    # As PyTorch: ties split the gradient in half, the side that lost gets 0 (selected, so an inf
    # gradient gives 0, not NaN), and where a side is NaN both get all of it.
    shared = np.where(a == b, g / 2, g)
    a_lost, b_lost = (a < b, a > b) if is_max else (a > b, a < b)
    return (
        unbroadcast(np.where(a_lost, 0, shared), a.shape),
        unbroadcast(np.where(b_lost, 0, shared), b.shape),
    )


class JoinMixin:
    """The elementwise ``maximum`` and ``minimum`` of two tensors, as methods of
    :class:`~minimodel.Tensor` (their derivative, ``_pick_backward``, is above the class)."""

    __slots__ = ()

    def maximum(self: Tensor, other: Tensor) -> Tensor:  # type: ignore[misc]
        """The elementwise maximum of two tensors, with broadcasting (NaN wins, as in PyTorch);
        ties share the gradient evenly.

        Args:
            other: the other tensor.

        Example::

            >>> minimodel.tensor([1.0, 5.0]).maximum(minimodel.tensor([3.0, 2.0]))
            tensor([3., 5.])
        """
        check_operand("maximum", self, other, False)
        return _pick(self, other, True)

    def minimum(self: Tensor, other: Tensor) -> Tensor:  # type: ignore[misc]
        """The elementwise minimum of two tensors, with broadcasting (NaN wins, as in PyTorch);
        ties share the gradient evenly.

        Args:
            other: the other tensor.

        Example::

            >>> minimodel.tensor([1.0, 5.0]).minimum(minimodel.tensor([3.0, 2.0]))
            tensor([1., 2.])
        """
        check_operand("minimum", self, other, False)
        return _pick(self, other, False)


# The functional forms (``minimodel.maximum(a, b)``): the very same functions.
maximum = JoinMixin.maximum
minimum = JoinMixin.minimum
