"""Gradient clipping: scale or clamp the gradients of parameters in place, as PyTorch does.

Written with minimodel's own operations (``norm``, ``stack``, in-place ``mul_`` and
``clamp_``), as PyTorch's are with its own: gradients keep their dtypes and version counters.
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Iterable

import numpy as np

from ...autograd import no_grad
from ...creation import tensor
from ...ops.join import stack
from ...tensor import Tensor

__all__ = [
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "get_total_norm",
]

TensorOrTensors = Tensor | Iterable[Tensor]


def get_total_norm(
    tensors: TensorOrTensors,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """The norm of all ``tensors`` together, as if they were concatenated into one vector.

    Args:
        tensors: a tensor or an iterable of tensors (usually gradients).
        norm_type: the ``p`` of the p-norm; ``float("inf")`` for the largest absolute value.
        error_if_nonfinite: raise if the total norm is ``nan``, ``inf`` or ``-inf``.
        foreach: accepted for compatibility; changes nothing.

    Example::

        >>> minimodel.nn.utils.get_total_norm([minimodel.tensor([3.0]), minimodel.tensor([4.0])])
        tensor(5.)
    """
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return tensor(0.0)
    # As PyTorch's: the norm of each tensor, then the norm of those norms stacked (which
    # promotes them to one dtype).
    with no_grad():
        total = stack([t.norm(norm_type) for t in tensors]).norm(norm_type)
    if error_if_nonfinite and not np.isfinite(total._data):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
            "by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    return total


def clip_grads_with_norm_(
    parameters: TensorOrTensors, max_norm: float, total_norm: Tensor, foreach: bool | None = None
) -> None:
    """Scale the gradients by ``min(max_norm / (total_norm + 1e-6), 1)``, in place.

    Args:
        parameters: a tensor or an iterable of tensors whose ``.grad`` is scaled.
        max_norm: the largest norm the gradients may have.
        total_norm: their norm, from :func:`get_total_norm`.
        foreach: accepted for compatibility; changes nothing.
    """
    parameters = [parameters] if isinstance(parameters, Tensor) else parameters
    grads = [p.grad for p in parameters if p.grad is not None]
    max_norm = float(max_norm)
    if not grads:
        return
    with no_grad():
        coefficient = (max_norm / (total_norm + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coefficient)


def clip_grad_norm_(
    parameters: TensorOrTensors,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Clip the gradients of ``parameters`` so that their norm together is at most ``max_norm``.

    The norm is taken over all the gradients as if they were one vector; every gradient is
    multiplied in place by ``min(max_norm / (norm + 1e-6), 1)``, so gradients that are already
    small enough are left as they are.

    Args:
        parameters: a tensor or an iterable of tensors (such as ``model.parameters()``).
        max_norm: the largest norm the gradients may have.
        norm_type: the ``p`` of the p-norm; ``float("inf")`` for the largest absolute value.
        error_if_nonfinite: raise if the norm is ``nan``, ``inf`` or ``-inf``.
        foreach: accepted for compatibility; changes nothing.

    Returns:
        The norm of the gradients before clipping.

    Example::

        >>> w = minimodel.zeros(2, requires_grad=True)
        >>> w.grad = minimodel.tensor([3.0, 4.0])
        >>> minimodel.nn.utils.clip_grad_norm_([w], max_norm=1.0)
        tensor(5.)
        >>> w.grad
        tensor([0.6000, 0.8000])
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and not parameters:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.",
                stacklevel=2,
            )
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(
    parameters: TensorOrTensors,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Deprecated name of :func:`clip_grad_norm_` (it warns, as PyTorch's does)."""
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
        "`torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(
    parameters: TensorOrTensors, clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every gradient of ``parameters`` into ``[-clip_value, clip_value]``, in place.

    Args:
        parameters: a tensor or an iterable of tensors (such as ``model.parameters()``).
        clip_value: the largest absolute value a gradient element may have.
        foreach: accepted for compatibility; changes nothing.

    Example::

        >>> w = minimodel.zeros(3, requires_grad=True)
        >>> w.grad = minimodel.tensor([-2.0, 0.5, 3.0])
        >>> minimodel.nn.utils.clip_grad_value_(w, clip_value=1.0)
        >>> w.grad
        tensor([-1.0000,  0.5000,  1.0000])
    """
    parameters = [parameters] if isinstance(parameters, Tensor) else parameters
    clip_value = float(clip_value)
    with no_grad():
        for p in parameters:
            if p.grad is not None:
                p.grad.clamp_(min=-clip_value, max=clip_value)
