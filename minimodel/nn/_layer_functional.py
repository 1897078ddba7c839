"""The functional forms of two layers: ``embedding`` (a table lookup) and ``layer_norm``;
:mod:`minimodel.nn.functional` exposes them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import numpy as np

from ..autograd import bump_version, record
from ..dtype import legacy_tensor_type, scalar_type_name
from ..ops._util import accumulated
from ..tensor import Tensor
from .functional import _require_tensor

__all__ = ["embedding", "layer_norm"]


def _padding_index(padding_idx: int | None, num_embeddings: int) -> int | None:
    if padding_idx is None:
        return None
    # PyTorch's two checks: 0 passes even when there are no rows.
    if (padding_idx > 0 and padding_idx >= num_embeddings) or (
        padding_idx < 0 and padding_idx < -num_embeddings
    ):
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx + num_embeddings if padding_idx < 0 else padding_idx


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    r"""Look up rows of ``weight``: ``weight[input]``, of shape ``(*input.shape, dim)``.

    Args:
        input: integer (int64 or int32) indices into the rows of ``weight``.
        weight: the embedding matrix, of shape ``(num_embeddings, embedding_dim)``.
        padding_idx: a row that gets no gradient (it stays as it is during training).
        max_norm: rows looked up whose ``norm_type``-norm exceeds it are rescaled to it, in
            place in ``weight``, as in PyTorch.
        norm_type: the p of the p-norm for ``max_norm``. Default: 2.
        scale_grad_by_freq: divide each row's gradient by how often the row occurs in
            ``input``.
        sparse: sparse gradients; minimodel has none (NotImplementedError if True).

    Example::

        >>> weight = minimodel.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
        >>> F.embedding(minimodel.tensor([[2, 1]]), weight)
        tensor([[[3., 4.],
                 [1., 2.]]])
    """
    _require_tensor(input, "embedding", "input", 1)
    _require_tensor(weight, "embedding", "weight", 2)
    if sparse:
        raise NotImplementedError("minimodel has no sparse tensors: use sparse=False")
    idx, w = input._data, weight._data
    # PyTorch's order: the padding index (Python), the renormalization (its own checks), then
    # the lookup's checks.
    padding = _padding_index(padding_idx, w.shape[0] if w.ndim else 0)
    if max_norm is not None:
        _renorm_rows(weight, idx, max_norm, norm_type)
    _check_indices(idx, 1, "embedding")
    if w.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    rows = w.shape[0]
    if idx.size:
        if rows == 0:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        bad = (idx < 0) | (idx >= rows)
        if bad.any() and w.size == 0:  # PyTorch's index_select of an empty table says this
            raise RuntimeError(
                f"INDICES element is out of DATA bounds, id={idx[bad].flat[0]} axis_dim={rows}"
            )
        if bad.any():
            raise IndexError("index out of range in self")
    out = w[idx]
    backward = partial(_embedding_backward, idx, w, padding, scale_grad_by_freq)
    return record(out, (input, weight), "EmbeddingBackward0", backward)


def _embedding_backward(
    idx: np.ndarray,
    w: np.ndarray,
    padding: int | None,
    scale_grad_by_freq: bool,
    g: np.ndarray,
) -> tuple[None, np.ndarray]:
    grad = np.zeros_like(w)
    rows = idx.reshape(-1)
    flat = g.reshape(len(rows), w.shape[1])
    if scale_grad_by_freq:
        counts = np.bincount(rows, minlength=w.shape[0])
        flat = flat / counts[rows, None].astype(w.dtype)
    np.add.at(grad, rows, flat)
    if padding is not None:
        grad[padding] = 0
    return None, grad


def _check_indices(idx: np.ndarray, position: int, fn: str) -> None:
    if idx.dtype not in (np.int64, np.int32):
        # PyTorch has no legacy tensor type name for bool: it prints the backend's.
        name = "CPUBoolType" if idx.dtype == np.bool_ else f"torch.{legacy_tensor_type(idx.dtype)}"
        raise RuntimeError(
            f"Expected tensor for argument #{position} 'indices' to have one of the following "
            f"scalar types: Long, Int; but got {name} instead (while checking arguments for {fn})"
        )


def _renorm_rows(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """PyTorch's ``embedding_renorm_``: each row looked up (in sorted order, each value once)
    whose norm exceeds ``max_norm`` is scaled to it in place; an index out of range raises
    when its turn comes, after the rows before it were scaled."""
    w = weight._data
    if w.ndim != 2:
        raise RuntimeError(
            f"Expected 2-dimensional tensor, but got {w.ndim}-dimensional tensor for argument #1 "
            "'self' (while checking arguments for embedding_renorm_)"
        )
    _check_indices(idx, 2, "embedding_renorm_")
    rows = w.shape[0]
    for i in np.unique(idx).tolist():
        if not -rows <= i < rows:
            raise IndexError(
                f"select(): index {i} out of range for tensor of size {list(w.shape)} at "
                "dimension 0"
            )
        if w.dtype.kind != "f":
            raise RuntimeError(
                "norm(): input dtype should be either floating point or complex. Got "
                f"{scalar_type_name(w.dtype)} instead."
            )
        row = accumulated(w[i])
        if not row.size and math.isinf(norm_type):
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {norm_type} norm on an empty tensor "
                "because the operation does not have an identity"
            )
        # The norm in the row's dtype, then a double, as PyTorch's .item<double>() reads it.
        norm = float(np.linalg.norm(row, ord=norm_type).astype(w.dtype))
        if norm > max_norm:
            w[i] = row * row.dtype.type(max_norm / (norm + 1e-7))
            bump_version(weight)  # in place, as PyTorch's row *= scale


def layer_norm(
    input: Tensor,
    normalized_shape: Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    r"""Normalize over the last ``len(normalized_shape)`` dimensions to mean 0 and variance 1,
    then scale by ``weight`` and shift by ``bias``:
    ``(x - mean) / sqrt(var + eps) * weight + bias``, with the biased variance.

    Args:
        input: a tensor whose trailing dimensions are ``normalized_shape``.
        normalized_shape: the shape of the trailing dimensions normalized together.
        weight: optional elementwise scale, of shape ``normalized_shape``.
        bias: optional elementwise shift, of shape ``normalized_shape``.
        eps: added to the variance for numerical stability. Default: 1e-5.

    Example::

        >>> F.layer_norm(minimodel.tensor([[1.0, 3.0]]), (2,))
        tensor([[-1.0000,  1.0000]])
    """
    _require_tensor(input, "layer_norm", "input", 1)
    if isinstance(normalized_shape, int):
        raise TypeError(
            "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int"
        )
    shape = tuple(normalized_shape)
    x = input._data
    n = len(shape)
    # PyTorch's CPU kernel checks mixed dtypes first, then the shapes, then its own dtype.
    mixed = _mixed_layer_norm(x.dtype, weight, bias)
    if not n:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
            "one element, but got normalized_shape = []"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {list(t.shape)} and normalized_shape = {list(shape)}"
            )
    if x.ndim < n or x.shape[x.ndim - n :] != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(str(s) for s in shape)}], but got input of size{list(x.shape)}"
        )
    if not mixed:
        _check_layer_norm_kernel(x.dtype, weight, bias)
    axes = tuple(range(x.ndim - n, x.ndim))
    # PyTorch's kernel, formula for formula, so that inf and NaN spread as they do there; float16
    # computed in float32 and rounded once at the end, as there.
    dtype = x.dtype
    x = accumulated(x)
    count = x.dtype.type(np.prod(shape, dtype=np.int64))
    mean = np.add.reduce(x, axis=axes, keepdims=True) / count
    centered = x - mean
    var = np.add.reduce(centered * centered, axis=axes, keepdims=True) / count
    rstd = 1 / np.sqrt(var + x.dtype.type(eps))
    xhat = x * rstd + (-rstd * mean)
    out = xhat if weight is None else xhat * weight._data
    if bias is not None:
        out = out + bias._data
    out = out.astype(dtype, copy=False)
    inputs = tuple(t for t in (input, weight, bias) if t is not None)
    gamma = None if weight is None else weight._data
    # PyTorch saves the mean and rstd in the input's dtype (float16 ones for its backward), in
    # float32 when float16 input meets float32 parameters.
    saved = x.dtype if mixed else dtype
    saved_mean, saved_rstd = (m.astype(saved).astype(x.dtype, copy=False) for m in (mean, rstd))
    bias_dtype = None if bias is None else bias._data.dtype
    # PyTorch's backward of float16 with a float32 bias but no weight refuses the mix.
    rows = math.prod(x.shape[: x.ndim - n])  # (it returns at once when there are none)
    refused = mixed and weight is None and rows > 0
    backward = partial(
        _layer_norm_backward, refused, x, saved_mean, saved_rstd, gamma, axes, bias_dtype
    )
    return record(out, inputs, "NativeLayerNormBackward0", backward)


def _mixed_layer_norm(dtype: np.dtype, weight: Tensor | None, bias: Tensor | None) -> bool:
    """Whether the parameters' dtype differs from the input's (the first parameter decides):
    PyTorch's CPU kernel allows that for a float16 input with float32 parameters only."""
    params = [t._data.dtype for t in (weight, bias) if t is not None]
    if not params or params[0] == dtype:
        return False
    if any(p != np.float32 for p in params):
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    if dtype != np.float16:
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    return True


def _check_layer_norm_kernel(dtype: np.dtype, weight: Tensor | None, bias: Tensor | None) -> None:
    """The kernel's checks when the dtypes are not mixed: a floating-point input, and
    parameters of its dtype."""
    if dtype.kind != "f":
        raise NotImplementedError(
            f"\"LayerNormKernelImpl\" not implemented for '{scalar_type_name(dtype)}'"
        )
    for t in (weight, bias):
        if t is not None and t._data.dtype != dtype:
            raise RuntimeError(
                f"expected scalar type {scalar_type_name(dtype)} but found "
                f"{scalar_type_name(t._data.dtype)}"
            )


def _layer_norm_backward(
    refused: bool,
    x: np.ndarray,
    mean: np.ndarray,
    rstd: np.ndarray,
    gamma: np.ndarray | None,
    axes: tuple[int, ...],
    bias_dtype: np.dtype | None,
    g: np.ndarray,
) -> tuple[np.ndarray | None, ...]:
    if refused:
        raise RuntimeError("expected scalar type Half but found Float")
    # PyTorch's LayerNormBackwardKernel: dx = a * g * gamma + b * x + c per row, with
    # a = rstd, b = (db * mean - ds) * rstd**3 / N, c = -b * mean - db * rstd / N.
    scale = 1 / x.dtype.type(np.prod([x.shape[i] for i in axes], dtype=np.int64))
    dtype = g.dtype
    g = g.astype(x.dtype, copy=False)  # float16 in float32, as x is
    gw = g if gamma is None else g * gamma.astype(x.dtype, copy=False)
    ds = np.add.reduce(gw * x, axis=axes, keepdims=True)
    db = np.add.reduce(gw, axis=axes, keepdims=True)
    b = (db * mean - ds) * rstd * rstd * rstd * scale
    c = -b * mean - db * rstd * scale
    grads: list[np.ndarray | None] = [(rstd * gw + b * x + c).astype(dtype, copy=False)]
    batch_axes = tuple(range(x.ndim - len(axes)))
    if gamma is not None:
        dgamma = np.add.reduce(g * (x * rstd + (-rstd * mean)), axis=batch_axes)
        grads.append(dgamma.astype(gamma.dtype, copy=False))
    if bias_dtype is not None:
        grads.append(np.add.reduce(g, axis=batch_axes).astype(bias_dtype, copy=False))
    return tuple(grads)
