"""Chapter 02's exercise: RMSprop as a subclass of the page's ``Optimizer``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd import no_grad
from ..creation import tensor
from ..optim import RMSprop
from ._core import Wrong, run_reader, says

# Defaults first (the exercise fixes them), then the options the page's solution tries.
# With the scale of the gradients: near 1e-8, eps weighs as much as the root, so a wrong eps
# (or eps added inside the root) shows; at scale 1 it hides below float32 rounding.
_OPTIONS: tuple[tuple[dict[str, float], float], ...] = (
    ({}, 1.0),
    ({"lr": 0.1}, 1.0),
    ({"lr": 0.01, "alpha": 0.9, "weight_decay": 1e-3}, 1.0),
    ({"eps": 1e-3}, 1.0),
    ({}, 1e-8),
)
_STEPS = 6


def _run(cls: type, options: dict, scale: float, who: tuple[str, str]) -> tuple[list, Any, list]:
    """Six steps on three tensors (the third never gets a gradient); the values after each."""
    rng = np.random.default_rng(0)
    params = [
        tensor(rng.standard_normal(3).astype(np.float32), requires_grad=True),
        tensor(rng.standard_normal((2, 2)).astype(np.float32), requires_grad=True),
        tensor([0.5, -0.5], requires_grad=True),
    ]
    args = ", ".join(f"{k}={v}" for k, v in options.items())
    optimizer = run_reader(
        f"{who[0]}(params{', ' * bool(args)}{args})",
        f"{who[1]}(params{', ' * bool(args)}{args})",
        lambda: cls(params, **options),
    )
    trajectory = []
    for _ in range(_STEPS):
        for p in params[:2]:
            p.grad = tensor((scale * rng.standard_normal(p.shape)).astype(np.float32))
        run_reader(f"{who[0]}.step()", f"{who[1]}.step()", optimizer.step)
        with no_grad():
            trajectory.append([p.detach().numpy().copy() for p in params])
    return trajectory, optimizer, params


def _array(value: Any) -> np.ndarray:
    return value.detach().numpy() if hasattr(value, "detach") else np.asarray(value)


def _closeness(a: Any, b: Any) -> np.ndarray:
    # float32 rounding of the same rule written in another order stays far below this.
    return np.isclose(
        np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), rtol=1e-5, atol=1e-7
    )


def _close(a: Any, b: Any) -> bool:
    return bool(_closeness(a, b).all())


def check_rmsprop(cls: Any) -> dict[str, str]:
    """The reader's RMSprop class follows ``optim.RMSprop`` step for step, state included."""
    if not isinstance(cls, type):
        raise Wrong(
            f"expected the RMSprop class, but got {type(cls).__name__}",
            f"se esperaba la clase RMSprop, pero se recibió {type(cls).__name__}",
        )
    for options, scale in _OPTIONS:
        said = ", ".join(f"{k}={v}" for k, v in options.items()) or "the defaults"
        dicho = ", ".join(f"{k}={v}" for k, v in options.items()) or "los valores por defecto"
        if scale != 1:
            said += f" and gradients near {scale:g}, where eps matters"
            dicho += f" y gradientes cercanos a {scale:g}, donde eps cuenta"
        theirs, optimizer, params = _run(cls, options, scale, (cls.__name__, cls.__name__))
        library, reference, _ = _run(RMSprop, options, scale, ("optim.RMSprop", "optim.RMSprop"))
        for step, (got, expected) in enumerate(zip(theirs, library, strict=True), start=1):
            for i, (a, b) in enumerate(zip(got, expected, strict=True)):
                if _close(a, b):
                    continue
                if i == 2:
                    raise Wrong(
                        f"with {said}, a parameter whose .grad is None moved at step {step}: "
                        f"skip it, as optim.RMSprop does",
                        f"con {dicho}, un parámetro cuyo .grad es None se movió en el paso "
                        f"{step}: sáltalo, como hace optim.RMSprop",
                    )
                where = tuple(int(k) for k in np.argwhere(~_closeness(a, b))[0])
                at = where if len(where) > 1 else where[0]
                got_v, want_v = float(a[where]), float(b[where])
                raise Wrong(
                    f"with {said}, parameter {i} diverges from optim.RMSprop at step {step}: its "
                    f"element {at} is {got_v:.7g}, expected {want_v:.7g}",
                    f"con {dicho}, el parámetro {i} se aparta de optim.RMSprop en el paso {step}: "
                    f"su elemento {at} vale {got_v:.7g}, se esperaba {want_v:.7g}",
                )
        state = optimizer.state[params[0]]
        if "square_avg" not in state:
            raise Wrong(
                f"the state of a parameter holds {sorted(state)}; keep s under PyTorch's name, "
                f"'square_avg'",
                f"el estado de un parámetro contiene {sorted(state)}; guarda s con el nombre de "
                f"PyTorch, 'square_avg'",
            )
        expected_avg = reference.state[reference.param_groups[0]["params"][0]]["square_avg"]
        if not _close(_array(state["square_avg"]), expected_avg.numpy()):
            raise Wrong(
                f"with {said}, state['square_avg'] differs from optim.RMSprop's after {_STEPS} "
                f"steps",
                f"con {dicho}, state['square_avg'] no coincide con el de optim.RMSprop tras "
                f"{_STEPS} pasos",
            )
        if "step" not in state or float(state["step"]) != _STEPS:
            got_step = state.get("step", "nothing")
            raise Wrong(
                f"after {_STEPS} steps, state['step'] is {got_step}; count the steps there",
                f"tras {_STEPS} pasos, state['step'] vale {got_step}; cuenta ahí los pasos",
            )
        if optimizer.state.get(params[2]):
            raise Wrong(
                "a parameter that never had a gradient got a state; optim.RMSprop gives it none",
                "un parámetro que nunca tuvo gradiente recibió un estado; optim.RMSprop no le "
                "da ninguno",
            )
    return says(
        f"Same values as optim.RMSprop at each of {_STEPS} steps, for the defaults and three "
        f"sets of options; square_avg and step kept in the state.",
        f"Los mismos valores que optim.RMSprop en cada uno de {_STEPS} pasos, con los valores "
        f"por defecto y tres juegos de opciones; square_avg y step guardados en el estado.",
    )
