"""Adam: adaptive moment estimation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ..autograd import bump_version
from ..tensor import Tensor
from ._flat import flat_state
from .optimizer import (
    Optimizer,
    ParamsT,
    _check_fused_and_foreach,
    _check_supported,
    _check_tensor_lr,
    _evaluate_closure,
    _grad_with_weight_decay,
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

    _tensor_step: ClassVar[bool] = True
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
        _check_tensor_lr(lr)
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
        _check_supported(differentiable, capturable)

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
        _check_fused_and_foreach(fused, foreach)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step.

        Args:
            closure: a function that re-evaluates the model and returns the loss (optional).
        """
        loss = _evaluate_closure(closure)
        cache = self.__dict__.setdefault("_flat_cache", {})
        for group in self.param_groups:
            lr = float(group["lr"])
            weight_decay = group["weight_decay"]
            amsgrad = group["amsgrad"]
            decoupled = group["decoupled_weight_decay"]
            keys = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if amsgrad else _MOMENTS
            params = [p for p in group["params"] if p._grad is not None]
            states, steps = [], set()
            for p in params:
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step_count()
                    for k in keys:
                        state[k] = Tensor._wrap(np.zeros_like(p._data))
                step_count = state["step"]._data
                # fill() rather than += 1: the same float32 value, without a NumPy ufunc call on a
                # 0-d array, which costs a microsecond per parameter and step.
                step_count.fill(step_count.item() + 1)
                steps.add(float(step_count))
                states.append(state)
                if weight_decay != 0 and decoupled:
                    p._data *= 1 - lr * weight_decay
                    bump_version(p)

            # Fast path: one pass over the whole group (see _flat.py) when every parameter is at
            # the same step and the gradients have the state's dtype (concatenating mixed dtypes
            # would round differently).
            flat = flat_state(cache, group, params, states, keys) if len(steps) == 1 else None
            if flat is not None:
                moments = [flat.arrays[k] for k in keys]
                grad = flat.gather([p._grad._data for p in params])
                if grad.dtype == moments[0].dtype:
                    coupled_decay = weight_decay != 0 and not decoupled
                    param = flat.gather([p._data for p in params]) if coupled_decay else None
                    flat.subtract(_update(group, lr, steps.pop(), param, grad, *moments))
                    continue
            for p, state in zip(params, states, strict=True):
                moments = [state[k]._data for k in keys]
                step = float(state["step"]._data)
                p._data -= _update(group, lr, step, p._data, p._grad._data, *moments)
                bump_version(p)
        return loss


_MOMENTS = ("exp_avg", "exp_avg_sq")


def _update(
    group: dict[str, Any],
    lr: float,
    step: float,
    param: np.ndarray | None,
    grad: np.ndarray,
    exp_avg: np.ndarray,
    exp_avg_sq: np.ndarray,
    max_exp_avg_sq: np.ndarray | None = None,
) -> np.ndarray:
    """Update the moments in place and return what to subtract from the parameter.

    ``param`` is read only for (non-decoupled) weight decay; ``max_exp_avg_sq`` only with amsgrad.
    """
    beta1, beta2 = group["betas"]
    # Decoupled decay (AdamW) has already scaled the parameter itself, in step().
    coupled_decay = 0 if group["decoupled_weight_decay"] else group["weight_decay"]
    grad = _grad_with_weight_decay(grad, param, coupled_decay, group["maximize"])

    _lerp_(exp_avg, grad, 1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad

    bias_correction1 = 1 - beta1**step
    bias_correction2_sqrt = (1 - beta2**step) ** 0.5
    if max_exp_avg_sq is not None:
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        denom = np.sqrt(max_exp_avg_sq)
    else:
        denom = np.sqrt(exp_avg_sq)
    denom /= bias_correction2_sqrt
    denom += group["eps"]
    return (lr / bias_correction1) * exp_avg / denom
