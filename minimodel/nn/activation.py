"""Activation layers: ``ReLU``, ``Sigmoid``, ``Tanh``, ``Softmax``, ``LogSoftmax``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Tanh"]


class ReLU(Module):
    r"""Apply the rectified linear unit elementwise: :math:`\text{ReLU}(x) = \max(0, x)`.

    Args:
        inplace: overwrite the input with the result. Default: ``False``.

    Example::

        >>> ReLU()(minimodel.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    r"""Apply the logistic function elementwise: :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Example::

        >>> Sigmoid()(minimodel.tensor([0.0]))
        tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    r"""Apply the hyperbolic tangent elementwise.

    Example::

        >>> Tanh()(minimodel.tensor([0.0]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class Softmax(Module):
    r"""Rescale the values along ``dim`` so they lie in [0, 1] and sum to 1.

    Args:
        dim: the dimension along which softmax is computed. ``None`` is deprecated (see
            :func:`minimodel.nn.functional.softmax`).

    Example::

        >>> Softmax(dim=1)(minimodel.zeros(1, 4))
        tensor([[0.2500, 0.2500, 0.2500, 0.2500]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim, _stacklevel=4)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    r"""Apply :math:`\log(\text{Softmax}(x))` along ``dim``, computed stably.

    Args:
        dim: the dimension along which log-softmax is computed.

    Example::

        >>> LogSoftmax(dim=1)(minimodel.zeros(1, 2))
        tensor([[-0.6931, -0.6931]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim, _stacklevel=4)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
