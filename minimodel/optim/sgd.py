"""Stochastic gradient descent, optionally with momentum, weight decay and Nesterov momentum."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ..autograd import bump_version
from ..tensor import Tensor
from ._opmath import add_alpha, rounded, scalar
from .optimizer import (
    Optimizer,
    ParamsT,
    _check_implementation,
    _check_tensor_lr,
    _evaluate_closure,
    _grad_with_weight_decay,
    _number,
)

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Implements stochastic gradient descent (optionally with momentum).

    For each parameter :math:`\theta` with gradient :math:`g`, one step does::

        g = -g if maximize else g
        g = g + weight_decay * theta                      (if weight_decay != 0)
        b = g on the first step, else momentum * b + (1 - dampening) * g   (if momentum != 0)
        g = g + momentum * b if nesterov else b           (if momentum != 0)
        theta = theta - lr * g

    The momentum buffer ``b`` is kept in ``state[p]["momentum_buffer"]``.

    Args:
        params: the tensors to optimize, or dicts defining parameter groups.
        lr: learning rate (default: 1e-3).
        momentum: momentum factor (default: 0).
        dampening: dampening for momentum (default: 0).
        weight_decay: weight decay, an L2 penalty (default: 0).
        nesterov: enables Nesterov momentum; needs ``momentum > 0`` and zero dampening
            (default: False).
        maximize: maximize the objective instead of minimizing it (default: False).
        foreach: accepted for compatibility with PyTorch and stored in the groups; minimodel has
            a single implementation, so it changes nothing.
        differentiable: only ``False`` is supported (minimodel does not record the step in the
            autograd graph).
        fused: accepted and stored like ``foreach``; changes nothing.

    Example::

        >>> w = minimodel.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = minimodel.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> opt.zero_grad()
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    _group_fallbacks: ClassVar[dict[str, Any]] = {
        "nesterov": False,
        "maximize": False,
        "foreach": None,
        "differentiable": False,
        "fused": False,
    }

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check_tensor_lr(lr)
        # `x < 0.0` lets NaN through, as PyTorch's SGD does (its Adam and RMSprop reject NaN).
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")

        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _check_implementation(fused, foreach, differentiable)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step.

        Args:
            closure: a function that re-evaluates the model and returns the loss (optional).
        """
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            momentum = _number(group["momentum"])
            dampening = _number(group["dampening"])
            weight_decay = _number(group["weight_decay"])
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            params = [p for p in group["params"] if p._grad is not None]
            # As in PyTorch, every buffer is read before the first update and the new ones stored
            # after the last, so a parameter listed twice in a group is updated twice, its first
            # step (and only it) starting two buffers of which the second is kept.
            buffers = [self.state[p].get("momentum_buffer") for p in params] if momentum else []
            started = []
            for i, p in enumerate(params):
                param = p._data
                grad = _grad_with_weight_decay(p._grad._data, param, weight_decay, maximize)

                if momentum != 0:
                    buf_tensor = buffers[i]
                    if buf_tensor is None:
                        # np.array, not grad.copy(): for a 0-d parameter ``grad`` may be a NumPy
                        # scalar, whose copy the in-place updates below would only rebind.
                        buf = np.array(grad)
                        started.append((p, Tensor._wrap(buf)))
                    else:
                        buf = buf_tensor._data
                        buf *= scalar(momentum, buf)
                        buf += add_alpha(1 - dampening, buf) * grad
                    grad = rounded(grad + add_alpha(momentum, buf) * buf, grad) if nesterov else buf

                param -= add_alpha(lr, param) * grad
                bump_version(p)
            for p, buffer in started:
                self.state[p]["momentum_buffer"] = buffer
        return loss
