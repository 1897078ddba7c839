"""``einsum``: sums of products named by subscripts (``"bij,bjk->bik"``), and its gradient."""

from __future__ import annotations

import string
from functools import partial
from typing import Any

import numpy as np

from ..autograd import record
from ..dtype import scalar_type_name
from ..tensor import Tensor
from ._util import promote_types, unbroadcast

_ELLIPSIS = "."


def _read(text: str, start: int, operand: int | None) -> str:
    """The subscripts of one operand (``operand``) or of the output (None), as PyTorch reads
    them: letters, and ``...`` kept as one ``.``; ``start`` is where ``text`` begins in the
    equation (for the messages)."""
    labels = ""
    i = 0
    while i < len(text):
        c = text[i]
        if c == ".":
            if _ELLIPSIS in labels:
                raise RuntimeError(
                    f"einsum(): found '.' for operand {operand} for which an ellipsis was "
                    "already found"
                    if operand is not None
                    else "einsum(): found '.' for output but an ellipsis (...) was already found"
                )
            if text[i : i + 3] != "...":
                raise RuntimeError(
                    f"einsum(): found '.' for operand {operand} that is not part of any ellipsis"
                    if operand is not None
                    else "einsum(): found '.' for output that is not part of any ellipsis (...)"
                )
            labels += _ELLIPSIS
            i += 2
        elif c in string.ascii_letters:
            labels += c
        elif c != " ":
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {start + i} in the equation "
                "string, subscripts must be in [a-zA-Z]"
            )
        i += 1
    return labels


def _parse(equation: str, arrays: list[np.ndarray]) -> tuple[list[str], str, dict[str, int]]:
    """Each operand's subscripts and the output's, with ``...`` spelled out in letters the
    equation does not use, and the size of every letter once broadcast; PyTorch's checks, in
    PyTorch's order, with its messages."""
    lhs, arrow, rhs = equation.partition("->")
    labels: list[str] = []
    where = 0
    for piece in lhs.split(","):
        labels.append(_read(piece, where, len(labels)))
        where += len(piece) + 1
    if len(labels) > len(arrays):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(labels) < len(arrays):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    widest = 0
    for i, (subs, a) in enumerate(zip(labels, arrays, strict=True)):
        named = len(subs.replace(_ELLIPSIS, ""))
        if _ELLIPSIS in subs:
            if named > a.ndim:
                raise RuntimeError(
                    f"einsum(): the number of subscripts in the equation ({named}) is more than "
                    f"the number of dimensions ({a.ndim}) for operand {i}"
                )
            widest = max(widest, a.ndim - named)
        elif named != a.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({named}) does not match "
                f"the number of dimensions ({a.ndim}) for operand {i} and no ellipsis was given"
            )
    given = "".join(labels).replace(_ELLIPSIS, "")
    output = _read(rhs, len(lhs) + 2, None) if arrow else None
    if output is None:
        once = sorted(c for c in set(given) if given.count(c) == 1)
        # PyTorch orders the implicit output's letters as A-Z then a-z, as sorted() does.
        output = (_ELLIPSIS if widest else "") + "".join(once)
    else:
        for c in output.replace(_ELLIPSIS, ""):
            if output.count(c) > 1:
                raise RuntimeError(
                    f"einsum(): output subscript {c} appears more than once in the output"
                )
            if c not in given:
                raise RuntimeError(
                    f"einsum(): output subscript {c} does not appear in the equation for any "
                    "input operand"
                )
    free = [c for c in string.ascii_letters if c not in given]
    spread = "".join(free[:widest])  # the ellipsis' dimensions, right-aligned as in broadcasting
    spelled = []
    for subs, a in zip(labels, arrays, strict=True):
        k = a.ndim - len(subs.replace(_ELLIPSIS, ""))
        spelled.append(subs.replace(_ELLIPSIS, spread[widest - k :]))
    sizes: dict[str, int] = {}
    for i, (subs, a) in enumerate(zip(spelled, arrays, strict=True)):
        own: dict[str, int] = {}
        for c, n in zip(subs, a.shape, strict=True):
            if c in own:
                if own[c] != n:
                    raise RuntimeError(
                        f"einsum(): subscript {c} is repeated for operand {i} but the sizes "
                        f"don't match, {n} != {own[c]}"
                    )
                continue
            own[c] = n
            seen = sizes.setdefault(c, n)
            if n != seen and 1 not in (n, seen):
                if c in spread:
                    raise RuntimeError(
                        f"einsum(): dimension {spread.index(c)} covered by ellipsis in operand "
                        f"{i}has size {n} which does not broadcast with previously seen "
                        f"ellipsis with size {seen} for the respective dimension"
                    )
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {i} which does not "
                    f"broadcast with previously seen size {seen}"
                )
            if seen == 1:
                sizes[c] = n
    return spelled, output.replace(_ELLIPSIS, spread), sizes


def _common_dtype(tensors: tuple[Tensor, ...], inputs: list[str], output: str) -> np.dtype:
    """The dtype PyTorch computes in, or its error. PyTorch contracts the operands left to
    right, a pair at a time: a pair that sums over a dimension both sides have longer than 1
    goes through a matrix product, which takes one dtype only; any other pair is a broadcast
    product, which promotes."""
    common = tensors[0]._data.dtype
    gathered = dict(zip(inputs[0], tensors[0].shape, strict=True))
    for k in range(1, len(tensors)):
        dtype = tensors[k]._data.dtype
        later = set(output).union(*inputs[k + 1 :])
        own = dict(zip(inputs[k], tensors[k].shape, strict=True))
        summed = [c for c in own if c in gathered and c not in later]
        if dtype != common:
            if any(gathered[c] > 1 and own[c] > 1 for c in summed):
                raise RuntimeError(
                    f"expected scalar type {scalar_type_name(common)} but found "
                    f"{scalar_type_name(dtype)}"
                )
            common = promote_types(common, dtype)
        for c, n in own.items():
            gathered[c] = n if gathered.get(c, 1) == 1 else gathered[c]
    return common


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sum the products of the operands' elements as the subscripts say (Einstein notation).

    ``"ij,jk->ik"`` is a matrix product, ``"bij,bjk->bik"`` a batched one, ``"ij->ji"`` a
    transpose, ``"i,i->"`` a dot product, ``"ii->i"`` a diagonal, ``"ii"`` a trace,
    ``"...ij->...ji"`` a transpose of the last two dimensions. A dimension of size 1 broadcasts
    against the same subscript's size in another operand. The gradient of an operand is the
    einsum of the output's gradient with the other operands, written onto the diagonal its
    repeated subscripts name.

    Args:
        equation: the subscripts, such as ``"ij,jk->ik"``.
        operands: the tensors (or one list of them), all of one dtype.

    Example::

        >>> a, b = minimodel.ones(2, 3), minimodel.ones(3, 4)
        >>> minimodel.einsum("ij,jk->ik", a, b).shape
        minimodel.Size([2, 4])
        >>> minimodel.einsum("ii", minimodel.eye(3))
        tensor(3.)
    """
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    tensors: tuple[Tensor, ...] = tuple(operands)
    arrays = [t._data for t in tensors]
    inputs, output, sizes = _parse(equation, arrays)
    common = _common_dtype(tensors, inputs, output)
    arrays = [a.astype(common, copy=False) for a in arrays]
    # NumPy's einsum broadcasts only the dimensions of an ellipsis: size-1 dimensions are
    # broadcast here (views, no copy).
    wide = [
        np.broadcast_to(a, tuple(sizes[c] for c in subs))
        for subs, a in zip(inputs, arrays, strict=True)
    ]
    out = np.asarray(np.einsum(",".join(inputs) + "->" + output, *wide))

    backward = partial(_einsum_backward, tensors, inputs, output, wide, sizes)
    return record(out, tensors, "EinsumBackward", backward)


def _einsum_backward(
    tensors: tuple[Tensor, ...],
    inputs: list[str],
    output: str,
    arrays: list[np.ndarray],
    sizes: dict[str, int],
    g: np.ndarray,
) -> tuple[np.ndarray | None, ...]:
    # An operand's gradient is the einsum of the output's gradient with the other operands, over
    # the operand's distinct subscripts; a repeated subscript takes it onto that diagonal.
    grads: list[np.ndarray | None] = []
    for i, (t, subs) in enumerate(zip(tensors, inputs, strict=True)):
        if not t.requires_grad:
            grads.append(None)
            continue
        distinct = "".join(dict.fromkeys(subs))
        others = [(s, a) for j, (s, a) in enumerate(zip(inputs, arrays, strict=True)) if j != i]
        available = set(output).union(*(s for s, _ in others))
        kept = "".join(c for c in distinct if c in available)
        spec = ",".join([output, *(s for s, _ in others)]) + "->" + kept
        part = np.einsum(spec, g, *(a for _, a in others))
        # Letters only this operand has were summed away: the gradient is constant along them.
        for axis, c in enumerate(distinct):
            if c not in available:
                part = np.expand_dims(part, axis)
        part = np.broadcast_to(part, tuple(sizes[c] for c in distinct))
        if distinct != subs:
            onto = np.zeros(arrays[i].shape, dtype=g.dtype)
            np.einsum(f"{subs}->{distinct}", onto)[...] = part  # a writable view of the diagonal
            part = onto
        grads.append(unbroadcast(part, t._data.shape).astype(t._data.dtype, copy=False))
    return tuple(grads)
