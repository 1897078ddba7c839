"""``LayerNorm``: normalize the trailing dimensions of each sample, then scale and shift."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..creation import empty
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter

__all__ = ["LayerNorm"]


class LayerNorm(Module):
    r"""Layer normalization: over the last dimensions (``normalized_shape``) of each sample,
    ``(x - mean) / sqrt(var + eps) * weight + bias`` (see
    :func:`minimodel.nn.functional.layer_norm`).

    It keeps no running statistics, so ``train()`` and ``eval()`` give the same results.

    Args:
        normalized_shape: the trailing shape to normalize over (an int for the last dimension).
        eps: added to the variance for numerical stability. Default: 1e-5.
        elementwise_affine: learn ``weight`` (ones at first) and ``bias`` (zeros). Default: True.
        bias: learn the ``bias`` too (with ``elementwise_affine``). Default: True.
        device: accepted for compatibility; only ``"cpu"`` (or None).
        dtype: the parameters' dtype (float32 by default).

    Example::

        >>> ln = LayerNorm(2)
        >>> ln
        LayerNorm((2,), eps=1e-05, elementwise_affine=True, bias=True)
        >>> ln(minimodel.tensor([[1.0, 3.0], [0.0, -2.0]]))
        tensor([[-1.0000,  1.0000],
                [ 1.0000, -1.0000]], grad_fn=<NativeLayerNormBackward0>)
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(empty(self.normalized_shape, device=device, dtype=dtype))
            if bias:
                self.bias = Parameter(empty(self.normalized_shape, device=device, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Set the weight to ones and the bias to zeros."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
