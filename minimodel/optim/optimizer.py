"""The base class of every optimizer: parameter groups, per-parameter state, and state dicts."""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from copy import deepcopy
from itertools import chain
from typing import Any, ClassVar, TypeAlias

import numpy as np

from .._typename import typename as _typename
from ..autograd import enable_grad
from ..tensor import Tensor
from ._opmath import add_alpha, rounded, widened

__all__ = ["Optimizer", "ParamsT", "required"]

ParamsT: TypeAlias = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]
StateDict: TypeAlias = dict[str, Any]


class _RequiredParameter:
    """Marks an option that every parameter group must set (no default), as in PyTorch."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def _evaluate_closure(closure: Callable[[], Any] | None) -> Any:
    """Run the closure of ``step(closure)`` with gradients on, returning the loss it returns."""
    if closure is None:
        return None
    with enable_grad():
        return closure()


def _new_state(state: dict[str, Any], p: Tensor, buffers: tuple[str, ...]) -> None:
    """Fill the empty ``state`` of ``p`` as PyTorch's optimizers do at its first step: the step
    count, then a zero buffer of ``p``'s shape and dtype for each name of ``buffers``, in order
    (the order of the state dict)."""
    # PyTorch keeps the step count as a float32 scalar tensor so that state dicts hold tensors.
    state["step"] = Tensor._wrap(np.zeros((), dtype=np.float32))
    for name in buffers:
        state[name] = Tensor._wrap(np.zeros_like(p._data))


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """``start += weight * (end - start)`` in place, rounded as ``torch.Tensor.lerp_`` rounds
    (for float16, computed in float32 and rounded once; see _opmath.py)."""
    s, e = widened(start), widened(end)
    weight = s.dtype.type(weight)
    if abs(weight) < 0.5:
        np.add(s, weight * (e - s), out=start)
    else:
        # For large weights PyTorch computes from ``end`` so that weight=1 gives exactly ``end``.
        np.subtract(e, (e - s) * (1 - weight), out=start)


def _grad_with_weight_decay(
    grad: np.ndarray, param: np.ndarray | None, weight_decay: float, maximize: bool
) -> np.ndarray:
    """The gradient every update rule starts from: negated to maximize, plus the L2 penalty's
    (``grad.add(param, alpha=weight_decay)``, one kernel).

    It returns a new array whenever it changes anything, so ``p.grad`` itself stays as it was.
    ``param`` is read for the penalty only, and may be None without one.
    """
    if maximize:
        grad = -grad
    if weight_decay != 0:
        assert param is not None, "the L2 penalty reads the parameter"
        grad = rounded(grad + add_alpha(weight_decay, param) * param, grad)
    return grad


def _number(value: Any) -> Any:
    """A hyperparameter for arithmetic. PyTorch accepts one-element tensors for any of them
    (``lr``, ``momentum``, ``eps``...) and computes with them in their dtype: a tensor's value
    becomes a NumPy scalar of that dtype, so that ``1 - alpha`` is rounded to float32 as
    PyTorch's tensor arithmetic rounds it, and then multiplies an array as that number."""
    return value._data.reshape(())[()] if isinstance(value, Tensor) else value


def _require(state: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Raise PyTorch's ``KeyError`` for the first of ``keys`` missing from a parameter's state
    (one saved by another optimizer, or made before an option that needs more was turned on)."""
    for key in keys:
        if key not in state:
            raise KeyError(key)


def _check_tensor_lr(lr: float | Tensor) -> None:
    # PyTorch takes a learning rate held in a tensor, as long as it is a single number.
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")


def _check_implementation(
    fused: bool | None, foreach: bool | None, differentiable: bool, capturable: bool = False
) -> None:
    """Reject, after the parameters are checked (PyTorch's order), the options PyTorch rejects
    together and those that minimodel's NumPy steps cannot honour."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        # Both name PyTorch implementations minimodel lacks (so each alone changes nothing), but
        # PyTorch rejects asking for both, and so does minimodel.
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    # differentiable=True makes PyTorch record the update itself in the autograd graph.
    if differentiable:
        raise NotImplementedError(
            "minimodel optimizers do not support differentiable=True: "
            "their steps are never recorded by autograd"
        )
    # capturable=True keeps the step count on the GPU for CUDA graphs; nothing to capture here.
    if capturable:
        raise NotImplementedError("minimodel optimizers do not support capturable=True")


class Optimizer:
    r"""Base class for all optimizers.

    An optimizer holds the tensors it updates in :attr:`param_groups`, a list of dicts, each
    with a ``"params"`` list and that group's options (learning rate and so on), and any
    per-parameter running values (momentum buffers, averages) in :attr:`state`, a dict keyed by
    the parameter tensor itself.

    Subclasses implement :meth:`step`, which reads each parameter's ``.grad`` and updates the
    parameter's values in place.

    Args:
        params: an iterable of tensors (such as ``model.parameters()``), of ``(name, tensor)``
            pairs (such as ``model.named_parameters()``), or of dicts, each one a parameter group
            with a ``"params"`` entry and any options that override ``defaults`` for that group.
        defaults: the options of the optimizer and their default values, used by every group
            that does not set them.

    The built-in optimizers follow PyTorch's single-tensor update formulas operation by
    operation, so trajectories agree with PyTorch's to float rounding (PyTorch's kernels use
    fused multiply-adds, which round some results differently in the last bit). For float16
    parameters each kernel is computed in float32 and rounded once, as PyTorch does. Any
    number among the options may be a one-element tensor, as in PyTorch.

    Differences from PyTorch, on purpose: :meth:`load_state_dict` copies the loaded tensors
    (PyTorch keeps a reference to same-dtype tensors), and it validates everything before it
    changes anything. There are no hooks.

    Example::

        >>> w = minimodel.ones(2, requires_grad=True)
        >>> b = minimodel.zeros(1, requires_grad=True)
        >>> opt = minimodel.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
        >>> [group["lr"] for group in opt.param_groups]
        [0.1, 0.5]
    """

    # Options that state dicts written by older PyTorch versions may lack; PyTorch fills them in
    # when it loads such a dict (in each optimizer's ``__setstate__``), and so does minimodel.
    _group_fallbacks: ClassVar[dict[str, Any]] = {}
    # Whether a step count saved as a number is loaded as a tensor (each __setstate__ in PyTorch).
    _tensor_step: ClassVar[bool] = False

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be "
                "an iterable of Tensors or dicts, but got " + _typename(params)
            )
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []

        # Tensors, (name, tensor) pairs or group dicts: add_param_group checks each.
        param_groups: list[Any] = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __repr__(self) -> str:
        lines = [self.__class__.__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            if i > 0:
                lines.append("")
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
        return "\n".join(lines) + "\n)"

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a parameter group to :attr:`param_groups`.

        Useful when fine-tuning: layers that were frozen can be made trainable and handed to the
        optimizer as training goes on. Options the group does not set take the optimizer's
        defaults.

        Args:
            param_group: a dict with a ``"params"`` entry (a tensor or an iterable of tensors or
                of ``(name, tensor)`` pairs) and any group-specific options.

        Example::

            >>> w, b = minimodel.ones(2, requires_grad=True), minimodel.zeros(1, requires_grad=True)
            >>> opt = minimodel.optim.SGD([w], lr=0.1)
            >>> opt.add_param_group({"params": b, "lr": 0.01})
            >>> len(opt.param_groups)
            2
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")

        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but "
                "the ordering of tensors in sets will change between runs. "
                "Please use a list instead."
            )
        else:
            params = list(params)

        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError(
                    "all optimizer params should be with/without names. "
                    "Some param names are missing"
                )
            param_group["param_names"] = names

        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, "
                    "but one of the params is " + _typename(param)
                )
            # A non-leaf tensor that retains its gradient has a .grad to step with.
            if not self.defaults.get("differentiable", None) and not (
                param.is_leaf or param.retains_grad
            ):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            param_group.setdefault(name, default)

        # Tensors hash by identity, so sets of them compare objects, never values.
        if len(params) != len(set(params)):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; "
                "in future, this will cause an error; "
                "see github.com/pytorch/pytorch/issues/40967 for more information",
                stacklevel=3,
            )

        param_set: set[Tensor] = set()
        for group in self.param_groups:
            param_set.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                current_group_txt = (
                    "with names" if "param_names" in param_group else "without names"
                )
                raise ValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {current_group_txt} to the optimizer"
                )
        if not param_set.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group")

        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimized tensors.

        Args:
            set_to_none: instead of filling the gradients with zeros, set ``.grad`` to ``None``
                (the default). Optimizers skip parameters whose ``.grad`` is ``None`` but do
                take a step (with weight decay, momentum...) for a gradient of zeros.

        Example::

            >>> w = minimodel.ones(2, requires_grad=True)
            >>> opt = minimodel.optim.SGD([w], lr=0.1)
            >>> (w * w).sum().backward()
            >>> opt.zero_grad()
            >>> w.grad is None
            True
        """
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    # Detach in place, as PyTorch does, so the zeroed gradient is a plain leaf.
                    grad.grad_fn = None
                    grad.requires_grad = False
                    grad._data.fill(0)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step, updating the parameters from their ``.grad``.

        Args:
            closure: a function that recomputes the model's loss (calling ``backward``) and
                returns it. Optional for most optimizers.

        Returns:
            The loss the closure returned, or ``None`` without a closure.
        """
        raise NotImplementedError

    def state_dict(self) -> StateDict:
        """Return the optimizer's state as a dict, in PyTorch's layout.

        It has two entries:

        * ``"state"``: a dict from parameter index to that parameter's state (a dict such as
          ``{"momentum_buffer": tensor(...)}``). Parameters that have no state yet are absent.
        * ``"param_groups"``: a list of dicts, one per group, holding the group's options and
          ``"params"``, the list of its parameters' indices.

        Indices count the parameters across all groups in order, so the dict holds no
        parameter itself. As in PyTorch, the state tensors are the optimizer's own (not copies):
        save the dict, or ``copy.deepcopy`` it, to keep a snapshot.

        Example::

            >>> w = minimodel.ones(2, requires_grad=True)
            >>> opt = minimodel.optim.SGD([w], lr=0.1, momentum=0.9)
            >>> (w * w).sum().backward()
            >>> opt.step()
            >>> opt.state_dict()["state"]
            {0: {'momentum_buffer': tensor([2., 2.])}}
        """
        param_mappings: dict[int, int] = {}
        start_index = 0

        def pack_group(group: dict[str, Any]) -> dict[str, Any]:
            nonlocal start_index
            packed = {k: v for k, v in group.items() if k != "params"}
            # PyTorch's mapping: a parameter new to it, listed twice in this group, is numbered
            # by its last place (each place is checked before any is added).
            param_mappings.update(
                {
                    id(p): i
                    for i, p in enumerate(group["params"], start_index)
                    if id(p) not in param_mappings
                }
            )
            packed["params"] = [param_mappings[id(p)] for p in group["params"]]
            start_index += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {
            (param_mappings[id(k)] if isinstance(k, Tensor) else k): v
            for k, v in self.state.items()
        }
        return {"state": packed_state, "param_groups": param_groups}

    def load_state_dict(self, state_dict: StateDict) -> None:
        """Load optimizer state from a dict returned by :meth:`state_dict`.

        The saved parameter indices are matched to this optimizer's parameters by position,
        group by group, so the optimizer must have been built with the same parameter groups
        of the same sizes. State tensors are copied and, for floating-point parameters, cast to
        the parameter's dtype (except ``"step"``).

        Args:
            state_dict: the optimizer state, e.g. from :meth:`state_dict` or ``minimodel.load``.

        Raises:
            ValueError: if the number of groups or the size of a group differs. Unlike PyTorch,
                nothing is changed when loading fails.

        Example::

            >>> w = minimodel.ones(2, requires_grad=True)
            >>> opt = minimodel.optim.Adam([w], lr=0.1)
            >>> saved = opt.state_dict()
            >>> opt2 = minimodel.optim.Adam([w])
            >>> opt2.load_state_dict(saved)
            >>> opt2.param_groups[0]["lr"]
            0.1
        """
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])

        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(
            len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups, strict=True)
        ):
            raise ValueError(
                "loaded state dict contains a parameter group "
                "that doesn't match the size of optimizer's group"
            )

        id_map = dict(
            zip(
                chain.from_iterable(g["params"] for g in saved_groups),
                chain.from_iterable(g["params"] for g in groups),
                strict=True,
            )
        )

        # Build everything first and assign at the end, so a failure leaves self untouched.
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = _cast(param, v)
                entry = state[param]
                if self._tensor_step and len(entry) != 0 and not isinstance(entry["step"], Tensor):
                    # PyTorch before 1.12 saved the step count as a number; Adam and RMSprop
                    # (not SGD, which keeps no step) turn it into a tensor as torch's do, with
                    # the same errors for a state without one.
                    entry["step"] = Tensor._wrap(np.array(float(entry["step"]), dtype=np.float32))
            else:
                state[k] = v

        param_groups = []
        for group, new_group in zip(groups, saved_groups, strict=True):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            for key, value in self._group_fallbacks.items():
                new_group.setdefault(key, value)
            param_groups.append(new_group)

        self.state = state
        self.param_groups = param_groups


def _cast(param: Tensor, value: Any, key: Any = None) -> Any:
    """Deep-copy ``value``, giving its float tensors ``param``'s dtype (except the step count)."""
    if isinstance(value, Tensor):
        data = value._data
        if key != "step" and param._data.dtype.kind == "f":
            data = data.astype(param._data.dtype)  # astype copies even when the dtype matches
        else:
            data = data.copy()
        return Tensor._wrap(data)
    if isinstance(value, dict):
        return {k: _cast(param, v, key=k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_cast(param, v) for v in value)
    return value
