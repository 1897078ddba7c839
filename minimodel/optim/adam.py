"""Adam: adaptive moment estimation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ..tensor import Tensor
from .optimizer import (
    Optimizer,
    ParamsT,
    _check_not_differentiable,
    _evaluate_closure,
    _lerp_,
    _new_step_count,
)

__all__ = ["Adam"]


class Adam(Optimizer):
    r"""Implements the Adam algorithm.

    For each parameter :math:`\theta` with gradient :math:`g`, step number :math:`t`
    (counting from 1) does::

        g = -g if maximize else g
        theta = theta * (1 - lr * weight_decay)          (if decoupled_weight_decay, AdamW)
        g = g + weight_decay * theta                     (otherwise, if weight_decay != 0)
        m = beta1 * m + (1 - beta1) * g                  (first moment)
        v = beta2 * v + (1 - beta2) * g * g              (second moment)
        v_max = max(v_max, v); use v_max for v           (if amsgrad)
        theta = theta - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    The state of each parameter holds ``step`` (a float32 scalar tensor, as in PyTorch),
    ``exp_avg`` (m), ``exp_avg_sq`` (v) and, with ``amsgrad``, ``max_exp_avg_sq``.

    Args:
        params: the tensors to optimize, or dicts defining parameter groups.
        lr: learning rate (default: 1e-3).
        betas: coefficients of the running averages of the gradient and of its square
            (default: (0.9, 0.999)). Both must be floats.
        eps: term added to the denominator for numerical stability (default: 1e-8).
        weight_decay: weight decay, an L2 penalty (default: 0).
        amsgrad: use the AMSGrad variant (default: False).
        foreach: accepted for compatibility with PyTorch and stored in the groups; minimodel has
            a single implementation, so it changes nothing.
        maximize: maximize the objective instead of minimizing it (default: False).
        capturable: only ``False`` is supported (CUDA graph capture does not apply to NumPy).
        differentiable: only ``False`` is supported.
        fused: accepted and stored like ``foreach``; changes nothing.
        decoupled_weight_decay: decay the weights directly instead of adding the decay to the
            gradient, which makes this AdamW (default: False).

    Example::

        >>> w = minimodel.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = minimodel.optim.Adam([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    _group_fallbacks: ClassVar[dict[str, Any]] = {
        "amsgrad": False,
        "maximize": False,
        "foreach": None,
        "capturable": False,
        "differentiable": False,
        "decoupled_weight_decay": False,
        "fused": None,
    }

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        # `not x >= 0.0` rather than `x < 0.0`: NaN is rejected too, as in PyTorch.
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor):
            raise NotImplementedError("minimodel's Adam takes betas as floats, not Tensors")
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            raise ValueError("betas must be either both floats or both Tensors")
        _check_not_differentiable(differentiable)
        if capturable:
            raise NotImplementedError("minimodel optimizers do not support capturable=True")

        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step.

        Args:
            closure: a function that re-evaluates the model and returns the loss (optional).
        """
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            amsgrad = group["amsgrad"]
            maximize = group["maximize"]
            decoupled = group["decoupled_weight_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                grad = p._grad._data
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step_count()
                    state["exp_avg"] = Tensor._wrap(np.zeros_like(param))
                    state["exp_avg_sq"] = Tensor._wrap(np.zeros_like(param))
                    if amsgrad:
                        state["max_exp_avg_sq"] = Tensor._wrap(np.zeros_like(param))
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                step_count = state["step"]._data
                step_count += 1
                step = float(step_count)

                if maximize:
                    grad = -grad
                if weight_decay != 0:
                    if decoupled:
                        param *= 1 - lr * weight_decay
                    else:
                        grad = grad + weight_decay * param

                _lerp_(exp_avg, grad, 1 - beta1)
                exp_avg_sq *= beta2
                exp_avg_sq += (1 - beta2) * grad * grad

                bias_correction1 = 1 - beta1**step
                bias_correction2_sqrt = (1 - beta2**step) ** 0.5
                if amsgrad:
                    max_exp_avg_sq = state["max_exp_avg_sq"]._data
                    np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
                    denom = np.sqrt(max_exp_avg_sq)
                else:
                    denom = np.sqrt(exp_avg_sq)
                denom /= bias_correction2_sqrt
                denom += eps
                param -= (lr / bias_correction1) * exp_avg / denom
        return loss
