"""Free functions added for issue 12 (``minimodel.std(t)``, ``minimodel.einsum(...)``, ...) and
``randn_like`` / ``rand_like``."""

from __future__ import annotations

from typing import Any

from ._inference_mode import inference_mode, is_inference_mode_enabled
from .creation import rand, randn
from .dtype import int16 as short  # PyTorch's alias, next to float, double, long...
from .ops.arith import bmm, floor_divide, remainder
from .ops.einsum import einsum
from .ops.indexing import gather, index_select, masked_fill
from .ops.pointwise import ceil, expm1, floor, isfinite, isinf, isnan, log1p, round, sign, square
from .ops.reduction import norm, prod, std, var
from .ops.shape import chunk, split, unbind
from .tensor import Tensor


def randn_like(
    input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Draws from the standard normal distribution, in ``input``'s shape and dtype.

    Example::

        >>> minimodel.randn_like(minimodel.zeros(2, 3)).shape
        minimodel.Size([2, 3])
    """
    return randn(
        *input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad
    )


def rand_like(
    input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Draws from the uniform distribution on [0, 1), in ``input``'s shape and dtype.

    Example::

        >>> minimodel.rand_like(minimodel.zeros(2, dtype=minimodel.float64)).dtype
        minimodel.float64
    """
    return rand(
        *input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad
    )


__all__ = [
    "bmm",
    "ceil",
    "chunk",
    "einsum",
    "expm1",
    "floor",
    "floor_divide",
    "gather",
    "index_select",
    "inference_mode",
    "is_inference_mode_enabled",
    "isfinite",
    "isinf",
    "isnan",
    "log1p",
    "masked_fill",
    "norm",
    "prod",
    "rand_like",
    "randn_like",
    "remainder",
    "round",
    "short",
    "sign",
    "split",
    "square",
    "std",
    "unbind",
    "var",
]
