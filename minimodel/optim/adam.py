"""Adam: adaptive moment estimation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ..autograd import bump_version
from ..tensor import Tensor
from ._flat import flat_state
from ._opmath import scalar, sqrt
from .optimizer import (
    Optimizer,
    ParamsT,
    _check_implementation,
    _check_tensor_lr,
    _evaluate_closure,
    _grad_with_weight_decay,
    _lerp_,
    _new_state,
    _number,
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
            (default: (0.9, 0.999)): both floats, or both one-element tensors (the bias
            corrections are then computed in their dtype, as PyTorch does).
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
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError(
                    "lr as a Tensor is not supported for capturable=False and foreach=True"
                )
            _check_tensor_lr(lr)
        # `not 0.0 <= x` rather than `x < 0.0`: NaN is rejected too, and a value that cannot be
        # compared raises PyTorch's TypeError, naming the operands in PyTorch's order.
        if not 0.0 <= lr:  # noqa: SIM300
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:  # noqa: SIM300
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:  # noqa: SIM300
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        tensors = all(isinstance(beta, Tensor) for beta in betas[:2])
        if not (all(isinstance(beta, float) for beta in betas[:2]) or tensors):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas[:2]):
            if isinstance(beta, Tensor):
                if not capturable and foreach:
                    raise ValueError(
                        f"betas[{i}] as a Tensor is not supported for capturable=False and "
                        "foreach=True"
                    )
                if beta.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")

        defaults = {
            "lr": lr,
            # As PyTorch's _to_scalar: a one-element tensor becomes 0-d.
            "betas": tuple(b.reshape(()) if isinstance(b, Tensor) else b for b in betas),
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
        _check_implementation(fused, foreach, differentiable, capturable)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step.

        Args:
            closure: a function that re-evaluates the model and returns the loss (optional).
        """
        loss = _evaluate_closure(closure)
        cache = self.__dict__.setdefault("_flat_cache", {})
        for group in self.param_groups:
            keys = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if group["amsgrad"] else _MOMENTS
            params, grads, states, moments_of = self._init_group(group, keys)
            lr, weight_decay = group["lr"], _number(group["weight_decay"])
            decoupled = weight_decay != 0 and group["decoupled_weight_decay"]

            # Fast path: one pass over the whole group (see _flat.py) when every parameter is at
            # the same step, appears once (a parameter listed twice is stepped twice, one step
            # after the other, as PyTorch does), and has gradients of the state's dtype
            # (concatenating mixed dtypes would round differently).
            steps = {s["step"]._data.item() for s in states}
            flat = None
            if len(steps) == 1 and len(set(params)) == len(params):
                flat = flat_state(cache, group, params, states, keys)
            dtype = None if flat is None else flat.arrays[keys[0]].dtype
            if flat is not None and all(g.dtype == dtype for g in grads):
                step = _count_step(states)
                if decoupled:
                    factor = scalar(_decay_factor(lr, weight_decay), params[0]._data)
                    for p in params:
                        p._data *= factor
                        bump_version(p)
                coupled = weight_decay != 0 and not decoupled
                param = flat.gather([p._data for p in params]) if coupled else None
                grad = flat.gather(grads)
                moments = [flat.arrays[k] for k in keys]
                flat.subtract(_update(group, lr, step, param, grad, *moments))
                continue
            for p, grad, state, tensors in zip(params, grads, states, moments_of, strict=True):
                step = _count_step([state])
                if decoupled:
                    p._data *= scalar(_decay_factor(lr, weight_decay), p._data)
                    bump_version(p)
                moments = [t._data for t in tensors]
                p._data -= _update(group, lr, step, p._data, grad, *moments)
                bump_version(p)
        return loss

    def _init_group(
        self, group: dict[str, Any], keys: tuple[str, ...]
    ) -> tuple[list[Tensor], list[np.ndarray], list[dict[str, Any]], list[list[Tensor]]]:
        """The group's parameters that have a gradient, their gradients, their states (made on
        the first step) and the moments in them. Like PyTorch's, it reads every state before
        any update, so that a state that lacks an entry (``amsgrad`` turned on after the first
        step) raises its ``KeyError``, in PyTorch's order, with the group unchanged."""
        tensor_lr = group["foreach"] and isinstance(group["lr"], Tensor) and not group["capturable"]
        params, grads, states, moments = [], [], [], []
        for p in group["params"]:
            if p._grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                _new_state(state, p, keys)
            moments.append([state[k] for k in keys])
            if tensor_lr:
                raise RuntimeError(
                    "lr as a Tensor is not supported for capturable=False and foreach=True"
                )
            state["step"]  # PyTorch reads it here, raising its KeyError
            params.append(p)
            grads.append(p._grad._data)
            states.append(state)
        return params, grads, states, moments


def _count_step(states: list[dict[str, Any]]) -> float:
    """Add one to the step count of each state (all at the same step); return the new count."""
    count = states[0]["step"]._data.item() + 1
    for state in states:
        # fill() rather than += 1: the same float32 value, without a NumPy ufunc call on a 0-d
        # array, which costs a microsecond per parameter and step.
        state["step"]._data.fill(count)
    # The float32 count, as PyTorch reads it (past 2**24 it is not count itself).
    return states[0]["step"]._data.item()


def _decay_factor(lr: float | Tensor, weight_decay: float) -> float:
    """AdamW's ``1 - lr * weight_decay``, computed in the learning rate's dtype as PyTorch does
    (in float32 for a float32 tensor ``lr``)."""
    return float(1 - _number(lr) * weight_decay)


_MOMENTS = ("exp_avg", "exp_avg_sq")


def _update(
    group: dict[str, Any],
    lr: float | Tensor,
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
    # Betas held in tensors (float32, say) are numbers of that dtype, and PyTorch computes the
    # bias corrections from them by tensor arithmetic, rounded to it.
    power = _tensor_power if isinstance(beta1, Tensor) else _power
    beta1, beta2 = _number(beta1), _number(beta2)
    # Decoupled decay (AdamW) has already scaled the parameter itself, in step().
    coupled_decay = 0 if group["decoupled_weight_decay"] else _number(group["weight_decay"])
    grad = _grad_with_weight_decay(grad, param, coupled_decay, group["maximize"])

    # One line a PyTorch kernel, each rounded once (see _opmath.py).
    _lerp_(exp_avg, grad, 1 - float(beta1))
    exp_avg_sq *= scalar(beta2, exp_avg_sq)
    exp_avg_sq += scalar(1 - beta2, exp_avg_sq) * grad * grad

    bias_correction1 = 1 - power(beta1, step)
    bias_correction2_sqrt = power(1 - power(beta2, step), 0.5)
    if max_exp_avg_sq is not None:
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        denom = sqrt(max_exp_avg_sq)
    else:
        denom = sqrt(exp_avg_sq)
    denom /= scalar(bias_correction2_sqrt, denom)
    denom += scalar(_number(group["eps"]), denom)
    # float(): a tensor lr's step size is rounded to its dtype, but then multiplies as a number.
    step_size = float(_divide(_number(lr), bias_correction1))
    return scalar(step_size, exp_avg) * exp_avg / denom


def _power(base: float, exponent: float) -> float:
    return base**exponent


def _tensor_power(base: Any, exponent: float) -> Any:
    """``base ** exponent`` for a NumPy scalar, as PyTorch's ``pow`` kernel computes a tensor's:
    with products and square roots for the exponents it special-cases, each rounded."""
    if exponent == 0.5:
        return np.sqrt(base)
    if exponent == 2:
        return base * base
    if exponent == 3:
        return base * base * base
    return base**exponent


def _divide(numerator: Any, denominator: Any) -> Any:
    """``numerator / denominator``, as PyTorch divides a number by a tensor's value: through
    ``tensor.reciprocal() * number``, two roundings in the tensor's dtype."""
    if isinstance(denominator, np.generic) and not isinstance(numerator, np.generic):
        return np.reciprocal(denominator) * numerator
    return numerator / denominator
