"""``einsum``: sums of products named by subscripts (``"bij,bjk->bik"``), and its gradient."""

from __future__ import annotations

import string
from functools import partial
from typing import Any

import numpy as np

from ..autograd import record
from ..tensor import Tensor
from ._util import unbroadcast

# Letters for the dimensions an ellipsis stands for: never valid in a user's subscripts here.
_ELLIPSIS_LETTERS = string.ascii_uppercase


def _parse(equation: str, arrays: list[np.ndarray]) -> tuple[list[str], str]:
    """Each operand's subscripts and the output's, with ``...`` spelled out in letters."""
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    inputs = lhs.split(",")
    if len(inputs) > len(arrays):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(inputs) < len(arrays):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    if any(c in _ELLIPSIS_LETTERS for c in equation):
        raise NotImplementedError("minimodel's einsum takes lower-case subscripts only")
    widest = 0
    for subs, a in zip(inputs, arrays, strict=True):
        if "..." in subs:
            widest = max(widest, a.ndim - (len(subs) - 3))
    spelled: list[str] = []
    for subs, a in zip(inputs, arrays, strict=True):
        if "..." in subs:
            k = a.ndim - (len(subs) - 3)
            subs = subs.replace("...", _ELLIPSIS_LETTERS[widest - k : widest])
        if len(subs) != a.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(subs)}) does not match "
                f"the number of dimensions ({a.ndim}) for operand {len(spelled)}"
                + (" and no ellipsis was given" if "..." not in lhs else "")
            )
        spelled.append(subs)
    if arrow:
        output = rhs.replace("...", _ELLIPSIS_LETTERS[:widest])
    else:
        letters = "".join(spelled)
        once = sorted(c for c in set(letters) if letters.count(c) == 1 and c.islower())
        output = _ELLIPSIS_LETTERS[:widest] + "".join(once)
    return spelled, output


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sum the products of the operands' elements as the subscripts say (Einstein notation).

    ``"ij,jk->ik"`` is a matrix product, ``"bij,bjk->bik"`` a batched one, ``"ij->ji"`` a
    transpose, ``"i,i->"`` a dot product, ``"...ij->...ji"`` a transpose of the last two
    dimensions. The gradient of an operand is the einsum of the output's gradient with the other
    operands. Not supported: a subscript repeated within one operand (diagonals, traces) for an
    operand that requires grad.

    Args:
        equation: the subscripts, such as ``"ij,jk->ik"``.
        operands: the tensors (or one list of them).

    Example::

        >>> a, b = minimodel.ones(2, 3), minimodel.ones(3, 4)
        >>> minimodel.einsum("ij,jk->ik", a, b).shape
        minimodel.Size([2, 4])
    """
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    tensors: tuple[Tensor, ...] = tuple(operands)
    arrays = [t._data for t in tensors]
    inputs, output = _parse(equation, arrays)
    out = np.asarray(np.einsum(",".join(inputs) + "->" + output, *arrays))

    backward = partial(_einsum_backward, tensors, inputs, output, arrays)
    return record(out, tensors, "EinsumBackward", backward)


def _einsum_backward(
    tensors: tuple[Tensor, ...],
    inputs: list[str],
    output: str,
    arrays: list[np.ndarray],
    g: np.ndarray,
) -> tuple[np.ndarray | None, ...]:
    # An operand's gradient is the einsum of the output's gradient with the other operands.
    grads: list[np.ndarray | None] = []
    for i, (t, subs) in enumerate(zip(tensors, inputs, strict=True)):
        if not t.requires_grad:
            grads.append(None)
            continue
        if len(set(subs)) != len(subs):
            raise NotImplementedError(
                "minimodel's einsum has no gradient for an operand with a repeated subscript"
            )
        others = [(s, a) for j, (s, a) in enumerate(zip(inputs, arrays, strict=True)) if j != i]
        available = set(output).union(*(s for s, _ in others))
        kept = "".join(c for c in subs if c in available)
        spec = ",".join([output, *(s for s, _ in others)]) + "->" + kept
        part = np.einsum(spec, g, *(a for _, a in others))
        # Letters only this operand has were summed away: the gradient is constant along them.
        for axis, c in enumerate(subs):
            if c not in available:
                part = np.expand_dims(part, axis)
        full = np.broadcast_to(part, np.broadcast_shapes(part.shape, t._data.shape))
        grads.append(unbroadcast(full, t._data.shape).astype(t._data.dtype, copy=False))
    return tuple(grads)
