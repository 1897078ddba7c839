"""The functional forms of two layers: ``embedding`` (a table lookup) and ``layer_norm``;
:mod:`minimodel.nn.functional` exposes them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np

from ..autograd import no_grad, record
from ..dtype import legacy_tensor_type
from ..ops._util import accumulated, scalar_type_name
from ..tensor import Tensor
from .functional import _require_tensor

__all__ = ["embedding", "layer_norm"]


def _padding_index(padding_idx: int | None, num_embeddings: int) -> int | None:
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx % num_embeddings


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
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {_tensor_type(idx)} instead (while checking arguments "
            "for embedding)"
        )
    if w.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if idx.size and (idx.min() < 0 or idx.max() >= w.shape[0]):
        raise IndexError("index out of range in self")
    padding = _padding_index(padding_idx, w.shape[0])
    if max_norm is not None:
        _renorm_rows(weight, np.unique(idx), max_norm, norm_type)
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


def _tensor_type(array: np.ndarray) -> str:
    return f"minimodel.{legacy_tensor_type(array.dtype)}"


def _renorm_rows(weight: Tensor, rows: np.ndarray, max_norm: float, norm_type: float) -> None:
    with no_grad():
        w = weight._data
        norms = np.linalg.norm(w[rows].astype(np.float64), ord=norm_type, axis=1)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        w[rows] = (w[rows] * scale[:, None]).astype(w.dtype)


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
    shape = tuple(normalized_shape)
    x = input._data
    n = len(shape)
    if not n:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
            "one element, but got normalized_shape = []"
        )
    if x.ndim < n or x.shape[x.ndim - n :] != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(str(s) for s in shape)}], but got input of size{list(x.shape)}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {list(t.shape)} and normalized_shape = {list(shape)}"
            )
    if x.dtype.kind != "f":
        raise NotImplementedError(
            f"\"LayerNormKernelImpl\" not implemented for '{scalar_type_name(x.dtype)}'"
        )
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
    # PyTorch saves the mean and rstd in the input's dtype: float16 ones for its backward.
    saved_mean, saved_rstd = (m.astype(dtype).astype(x.dtype, copy=False) for m in (mean, rstd))
    backward = partial(
        _layer_norm_backward, x, saved_mean, saved_rstd, gamma, axes, bias is not None
    )
    return record(out, inputs, "NativeLayerNormBackward0", backward)


def _layer_norm_backward(
    x: np.ndarray,
    mean: np.ndarray,
    rstd: np.ndarray,
    gamma: np.ndarray | None,
    axes: tuple[int, ...],
    has_bias: bool,
    g: np.ndarray,
) -> tuple[np.ndarray | None, ...]:
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
    if has_bias:
        grads.append(np.add.reduce(g, axis=batch_axes).astype(dtype, copy=False))
    return tuple(grads)
