"""``Linear``: the affine layer ``y = x @ W.T + b``."""

from __future__ import annotations

import math
from typing import Any

from ..creation import empty
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter

__all__ = ["Linear"]


class Linear(Module):
    r"""Apply an affine linear transformation to the incoming data: :math:`y = xW^T + b`.

    Args:
        in_features: size of each input sample.
        out_features: size of each output sample.
        bias: if ``False``, the layer will not learn an additive bias. Default: ``True``.
        device: only ``None`` or ``"cpu"``.
        dtype: the dtype of the parameters. Default: ``minimodel.float32``.

    Shape:
        - Input: :math:`(*, H_{in})` where :math:`H_{in} = \text{in\_features}`.
        - Output: :math:`(*, H_{out})` where :math:`H_{out} = \text{out\_features}`.

    Attributes:
        weight: the learnable weights of shape ``(out_features, in_features)``, initialized
            from :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})` with :math:`k = 1 / \text{in\_features}`.
        bias: the learnable bias of shape ``(out_features)``, initialized the same way.

    Example::

        >>> m = Linear(23, 16)
        >>> m(minimodel.randn(300, 23)).shape
        minimodel.Size([300, 16])
        >>> m
        Linear(in_features=23, out_features=16, bias=True)
    """

    in_features: int
    out_features: int
    weight: Parameter
    bias: Parameter | None

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        # PyTorch's Linear makes its weight with empty(): its checks and errors (a negative or
        # non-integer size, a device, a dtype).
        self.weight = Parameter(empty((out_features, in_features), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new weights and bias from PyTorch's default distribution, in place."""
        # a=sqrt(5) makes kaiming_uniform_'s bound exactly 1 / sqrt(in_features).
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
