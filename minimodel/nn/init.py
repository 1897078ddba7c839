"""``minimodel.nn.init``: fill a tensor in place with the initial values of a weight.

Every function works under ``no_grad`` (so it may be applied to a Parameter), writes into the
tensor's own array (so an optimizer holding the tensor sees the new values) and returns the
tensor. The formulas and defaults are PyTorch's.

Difference from PyTorch: the numbers come from minimodel's generator (seeded by
``minimodel.manual_seed``), so they are not the numbers PyTorch draws for the same seed. The
optional ``generator`` argument takes a :class:`minimodel.Generator` (or a
``numpy.random.Generator``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..autograd import bump_version, no_grad
from ..generator import Generator
from ..random import check_normal_std, check_uniform_bounds
from ..random import generator as _global_generator
from ..tensor import Tensor

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR_FNS = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)


def _fill(tensor: Tensor, values: np.ndarray | float) -> Tensor:
    # Assigning into the existing array casts to its dtype and keeps every alias valid.
    tensor._data[...] = values
    bump_version(tensor)  # as PyTorch's in-place fill does, under no_grad too
    return tensor


def _rng(generator: Generator | np.random.Generator | None) -> np.random.Generator:
    if generator is None:
        return _global_generator()
    return generator.rng if isinstance(generator, Generator) else generator


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""Return the recommended gain value for the given nonlinearity function.

    ============ ==========================================
    nonlinearity gain
    ============ ==========================================
    Linear/Conv  :math:`1`
    Sigmoid      :math:`1`
    Tanh         :math:`\frac{5}{3}`
    ReLU         :math:`\sqrt{2}`
    Leaky Relu   :math:`\sqrt{\frac{2}{1 + \text{negative\_slope}^2}}`
    SELU         :math:`\frac{3}{4}`
    ============ ==========================================

    Args:
        nonlinearity: the name of the non-linear function.
        param: optional parameter of the function (the negative slope of leaky_relu).

    Example::

        >>> calculate_gain("relu")
        1.4142135623730951
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def uniform_(
    tensor: Tensor,
    a: float = 0.0,
    b: float = 1.0,
    generator: Generator | np.random.Generator | None = None,
) -> Tensor:
    r"""Fill ``tensor`` with values drawn from the uniform distribution :math:`\mathcal{U}(a, b)`.

    Example::

        >>> w = minimodel.empty(3, 5)
        >>> _ = uniform_(w, -0.1, 0.1)
    """
    check_uniform_bounds(a, b, tensor._data.dtype)
    return _fill(tensor, _rng(generator).uniform(a, b, tensor._data.shape))


def normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    generator: Generator | np.random.Generator | None = None,
) -> Tensor:
    r"""Fill ``tensor`` with values drawn from :math:`\mathcal{N}(\text{mean}, \text{std}^2)`.

    Example::

        >>> w = minimodel.empty(3, 5)
        >>> _ = normal_(w, std=0.02)
    """
    check_normal_std(std, tensor._data)
    return _fill(tensor, _rng(generator).normal(mean, std, tensor._data.shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    r"""Fill ``tensor`` with the value ``val`` (checked as ``fill_`` checks it: a value the
    dtype cannot hold raises PyTorch's error)."""
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    r"""Fill ``tensor`` with ones."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    r"""Fill ``tensor`` with zeros."""
    with no_grad():
        return tensor.zero_()


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    # fan_in of a weight (out, in, *kernel) is in * prod(kernel); fan_out is out * prod(kernel).
    if tensor.ndim < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    shape = tensor._data.shape
    receptive_field_size = math.prod(shape[2:])
    return shape[1] * receptive_field_size, shape[0] * receptive_field_size


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: Generator | np.random.Generator | None = None
) -> Tensor:
    r"""Fill ``tensor`` with Glorot uniform values: :math:`\mathcal{U}(-a, a)`.

    :math:`a = \text{gain} \times \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}`.

    Example::

        >>> w = minimodel.empty(3, 5)
        >>> _ = xavier_uniform_(w, gain=calculate_gain("relu"))
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(
    tensor: Tensor, gain: float = 1.0, generator: Generator | np.random.Generator | None = None
) -> Tensor:
    r"""Fill ``tensor`` with Glorot normal values: :math:`\mathcal{N}(0, \text{std}^2)`.

    :math:`\text{std} = \text{gain} \times \sqrt{2 / (\text{fan\_in} + \text{fan\_out})}`.
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _is_empty(tensor: Tensor) -> bool:
    """Whether ``tensor`` has no elements; then, as PyTorch does, warn that init leaves it be."""
    if 0 in tensor._data.shape:
        # stacklevel=3: the warning names the line that called kaiming_*_, not this helper.
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | np.random.Generator | None = None,
) -> Tensor:
    r"""Fill ``tensor`` with He uniform values: :math:`\mathcal{U}(-\text{bound}, \text{bound})`.

    :math:`\text{bound} = \text{gain} \times \sqrt{3 / \text{fan\_mode}}`. ``Linear`` uses
    ``a=sqrt(5)``, which makes the bound ``1 / sqrt(in_features)``.

    Args:
        tensor: an n-dimensional tensor, n >= 2.
        a: the negative slope of the rectifier after this layer (for ``leaky_relu``).
        mode: ``'fan_in'`` (default) keeps the variance of the forward pass, ``'fan_out'``
            that of the backward pass.
        nonlinearity: the function after this layer, ``'relu'`` or ``'leaky_relu'`` (default).
        generator: optional ``numpy.random.Generator`` to draw from.

    Example::

        >>> w = minimodel.empty(3, 5)
        >>> _ = kaiming_uniform_(w, mode="fan_in", nonlinearity="relu")
    """
    if _is_empty(tensor):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | np.random.Generator | None = None,
) -> Tensor:
    r"""Fill ``tensor`` with He normal values: :math:`\mathcal{N}(0, \text{std}^2)`.

    :math:`\text{std} = \text{gain} / \sqrt{\text{fan\_mode}}`; arguments as in
    :func:`kaiming_uniform_`.
    """
    if _is_empty(tensor):
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)
