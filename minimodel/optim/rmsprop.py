"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ..autograd import bump_version
from ._opmath import add_alpha, rounded, scalar, sqrt, widened
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
    _require,
)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""Implements the RMSprop algorithm.

    For each parameter :math:`\theta` with gradient :math:`g`, one step does::

        g = -g if maximize else g
        g = g + weight_decay * theta                     (if weight_decay != 0)
        v = alpha * v + (1 - alpha) * g * g              (square_avg)
        avg = sqrt(v) + eps, or, if centered,
            m = alpha * m + (1 - alpha) * g              (grad_avg)
            avg = sqrt(v - m * m) + eps
        b = momentum * b + g / avg; theta = theta - lr * b   (if momentum > 0)
        theta = theta - lr * g / avg                         (otherwise)

    The state of each parameter holds ``step`` (a float32 scalar tensor, counted but not used,
    as in PyTorch), ``square_avg``, and ``momentum_buffer`` (if ``momentum > 0``) and
    ``grad_avg`` (if ``centered``).

    Args:
        params: the tensors to optimize, or dicts defining parameter groups.
        lr: learning rate (default: 1e-2).
        alpha: smoothing constant of the running averages (default: 0.99).
        eps: term added to the denominator for numerical stability (default: 1e-8).
        weight_decay: weight decay, an L2 penalty (default: 0).
        momentum: momentum factor (default: 0).
        centered: divide by an estimate of the gradient's variance instead of its uncentered
            second moment (default: False).
        capturable: only ``False`` is supported (CUDA graph capture does not apply to NumPy).
        foreach: accepted for compatibility with PyTorch and stored in the groups; minimodel has
            a single implementation, so it changes nothing.
        maximize: maximize the objective instead of minimizing it (default: False).
        differentiable: only ``False`` is supported.

    Example::

        >>> w = minimodel.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = minimodel.optim.RMSprop([w], lr=0.01)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    _tensor_step: ClassVar[bool] = True
    _group_fallbacks: ClassVar[dict[str, Any]] = {
        "momentum": 0,
        "centered": False,
        "foreach": None,
        "maximize": False,
        "differentiable": False,
        "capturable": False,
    }

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_tensor_lr(lr)
        # `not 0.0 <= x` rather than `x < 0.0`: NaN is rejected too, and a value that cannot be
        # compared raises PyTorch's TypeError, naming the operands in PyTorch's order.
        if not 0.0 <= lr:  # noqa: SIM300
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:  # noqa: SIM300
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:  # noqa: SIM300
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:  # noqa: SIM300
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:  # noqa: SIM300
            raise ValueError(f"Invalid alpha value: {alpha}")

        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)
        _check_implementation(None, foreach, differentiable, capturable)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step.

        Args:
            closure: a function that re-evaluates the model and returns the loss (optional).
        """
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            alpha = _number(group["alpha"])
            eps = _number(group["eps"])
            weight_decay = _number(group["weight_decay"])
            momentum = _number(group["momentum"])
            centered = group["centered"]
            maximize = group["maximize"]
            extra = (("momentum_buffer",) if momentum > 0 else ()) + (
                ("grad_avg",) if centered else ()
            )
            keys = ("square_avg", "step", *extra)
            params, states = [], []
            # Every state is made and read before the first update, as PyTorch does: a state that
            # lacks an entry (``centered`` turned on after the first step) raises PyTorch's
            # KeyError with the group unchanged.
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    _new_state(state, p, ("square_avg", *extra))
                _require(state, keys)
                params.append(p)
                states.append(state)
            for p, state in zip(params, states, strict=True):
                param = p._data
                grad = _grad_with_weight_decay(p._grad._data, param, weight_decay, maximize)
                square_avg = state["square_avg"]._data
                state["step"]._data += 1

                # One line a PyTorch kernel, each rounded once (see _opmath.py).
                square_avg *= scalar(alpha, square_avg)
                square_avg += scalar(1 - alpha, square_avg) * grad * grad
                if centered:
                    grad_avg = state["grad_avg"]._data
                    _lerp_(grad_avg, grad, 1 - alpha)
                    variance = square_avg - widened(grad_avg) * grad_avg
                    avg = sqrt(rounded(variance, square_avg))
                else:
                    avg = sqrt(square_avg)
                avg += scalar(eps, avg)

                if momentum > 0:
                    buf = state["momentum_buffer"]._data
                    buf *= scalar(momentum, buf)
                    buf += widened(grad) / avg
                    param -= add_alpha(lr, param) * buf
                else:
                    param -= scalar(lr, param) * grad / avg
                bump_version(p)
        return loss
