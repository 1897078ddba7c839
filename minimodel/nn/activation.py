"""Activation layers: ``ReLU``, ``Sigmoid``, ``Tanh``, ``Softmax``, ``LogSoftmax``, ``LeakyReLU``,
``GELU``, ``Softplus``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["GELU", "LeakyReLU", "LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Softplus", "Tanh"]


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


class LeakyReLU(Module):
    r"""Apply :math:`\max(0, x) + \text{negative\_slope} \cdot \min(0, x)` elementwise.

    Args:
        negative_slope: the slope for negative inputs. Default: 0.01.
        inplace: overwrite the input with the result. Default: ``False``.

    Example::

        >>> LeakyReLU(0.1)(minimodel.tensor([-1.0, 2.0]))
        tensor([-0.1000,  2.0000])
    """

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"negative_slope={self.negative_slope}{inplace}"


class GELU(Module):
    r"""Apply the Gaussian Error Linear Unit :math:`x \cdot \Phi(x)` elementwise.

    Args:
        approximate: ``'none'`` (the exact CDF, default) or ``'tanh'`` (the tanh approximation);
            see :func:`minimodel.nn.functional.gelu`.

    Example::

        >>> GELU()(minimodel.tensor([1.0]))
        tensor([0.8413])
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    r"""Apply :math:`\log(1 + e^{\beta x}) / \beta` elementwise (the identity where
    :math:`\beta x` exceeds ``threshold``).

    Args:
        beta: the :math:`\beta` of the formula. Default: 1.
        threshold: above it the function is linear. Default: 20.

    Example::

        >>> Softplus()(minimodel.tensor([0.0]))
        tensor([0.6931])
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"
