"""Chapter 03's exercise: a TenseMLP for a twenty-first verb that keeps the trained weights."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from .. import nn
from ..autograd import no_grad
from ..creation import tensor
from ..datasets import PERSONS, VERBS, grammar_grid_tensors
from ._core import Wrong, run_reader, says

# traer joins VERBS after the other twenty: its one-hot column is 20, and the persons' columns,
# which follow the verbs', move from 20-22 to 21-23.
NEW_COLUMN = len(VERBS)
_SHAPES = {"fc1.weight": (16, 24), "fc1.bias": (16,), "fc2.weight": (5, 16), "fc2.bias": (5,)}


class _Trained(nn.Module):
    """Chapter 03's TenseMLP, as the reader's ``widen`` receives it."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(23, 16)
        self.fc2 = nn.Linear(16, 5)

    def forward(self, x: Any) -> Any:
        return self.fc2(self.fc1(x).relu())


def _column(c: int) -> tuple[str, str]:
    """What column ``c`` of the wider input stands for, in each language."""
    if c < NEW_COLUMN:
        return f"the verb {VERBS[c]}", f"el verbo {VERBS[c]}"
    if c == NEW_COLUMN:
        return "the new verb, traer", "el verbo nuevo, traer"
    person = PERSONS[c - NEW_COLUMN - 1]
    return f"the person {person}", f"la persona {person}"


def _arrays(model: nn.Module) -> dict[str, np.ndarray]:
    return {name: p.detach().numpy().copy() for name, p in model.named_parameters()}


def _check_shapes(wide: Any) -> dict[str, Any]:
    if not isinstance(wide, nn.Module):
        raise Wrong(
            f"widen(model) returned {type(wide).__name__}, expected a module (a TenseMLP)",
            f"widen(model) devolvió {type(wide).__name__}; se esperaba un módulo (un TenseMLP)",
        )
    params = dict(wide.named_parameters())
    shapes = {name: tuple(p.shape) for name, p in params.items()}
    if shapes != _SHAPES:
        hint_en, hint_es = "", ""
        if shapes.get("fc1.weight") == (24, 16):
            hint_en = ": nn.Linear takes (in_features, out_features), so fc1 is nn.Linear(24, 16)"
            hint_es = (
                ": nn.Linear recibe (in_features, out_features), así que fc1 es nn.Linear(24, 16)"
            )
        elif shapes.get("fc1.weight") == (16, 23):
            hint_en = ": fc1 still reads 23 inputs; the new verb adds a 24th"
            hint_es = ": fc1 sigue leyendo 23 entradas; el verbo nuevo añade la 24.ª"
        raise Wrong(
            f"the wider model registers {shapes}, expected {_SHAPES}{hint_en}",
            f"el modelo ancho registra {shapes}; se esperaba {_SHAPES}{hint_es}",
        )
    return params


def check_widen(widen: Any) -> dict[str, str]:
    """The reader's ``widen(model)`` returns a 24-input TenseMLP that answers as ``model`` does."""
    if not callable(widen) or isinstance(widen, type):
        raise Wrong(
            f"expected the function widen(model), but got {type(widen).__name__}",
            f"se esperaba la función widen(model), pero se recibió {type(widen).__name__}",
        )
    trained = _Trained()
    before = _arrays(trained)
    wide = run_reader("widen(model)", "widen(model)", partial(widen, trained))
    after = _arrays(trained)
    changed = [n for n in before if n not in after or not np.array_equal(after[n], before[n])]
    if changed:
        raise Wrong(
            f"widen(model) changed the trained model's {changed[0]}: copy from it, never into it",
            f"widen(model) cambió el {changed[0]} del modelo entrenado: copia desde él, nunca "
            f"hacia él",
        )
    params = _check_shapes(wide)
    trained_params = dict(trained.named_parameters())
    for name, p in params.items():
        if any(p is q for q in trained_params.values()):
            raise Wrong(
                f"the wider model's {name} is the trained model's own parameter, so training "
                f"one would change the other: copy the values (copy_() under no_grad())",
                f"el {name} del modelo ancho es el propio parámetro del modelo entrenado, así que "
                f"entrenar uno cambiaría el otro: copia los valores (copy_() dentro de no_grad())",
            )
    new, old = _arrays(wide), before
    for c in range(NEW_COLUMN + 1 + len(PERSONS)):
        if c == NEW_COLUMN:
            continue  # traer's column keeps its initialization: no trained value exists for it
        source = c if c < NEW_COLUMN else c - 1
        if not np.array_equal(new["fc1.weight"][:, c], old["fc1.weight"][:, source]):
            stands_en, stands_es = _column(c)
            raise Wrong(
                f"column {c} of fc1.weight, which reads {stands_en}, should hold the trained "
                f"model's column {source}, and does not (the persons' columns come after the "
                f"verbs', so they move one place to the right)",
                f"la columna {c} de fc1.weight, que lee {stands_es}, debería contener la columna "
                f"{source} del modelo entrenado, y no la contiene (las columnas de las personas "
                f"van después de las de los verbos, así que se desplazan un lugar a la derecha)",
            )
    for name in ("fc1.bias", "fc2.weight", "fc2.bias"):
        if not np.array_equal(new[name], old[name]):
            raise Wrong(
                f"{name} differs from the trained model's: copy it too",
                f"{name} no coincide con el del modelo entrenado: cópialo también",
            )
    X, _ = grammar_grid_tensors()
    rows = tensor(np.insert(X.numpy(), NEW_COLUMN, 0.0, axis=1))  # traer's column: all zeros
    with no_grad():
        got = run_reader("wider(x)", "wider(x)", partial(wide, rows))
        expected = trained(X).numpy()
    if tuple(got.shape) != expected.shape or not np.allclose(got.numpy(), expected, atol=1e-6):
        raise Wrong(
            "the wider model holds the trained weights, but its outputs on the 60 old rows "
            "differ from the trained model's: its forward must be TenseMLP's",
            "el modelo ancho contiene los pesos entrenados, pero sus salidas sobre las 60 filas "
            "antiguas no coinciden con las del modelo entrenado: su forward debe ser el de "
            "TenseMLP",
        )
    return says(
        "The wider model holds the trained weights, persons' columns moved one place, its own "
        "parameters, and answers as the trained model on the 60 old rows.",
        "El modelo ancho contiene los pesos entrenados, con las columnas de las personas "
        "desplazadas un lugar, parámetros propios, y responde como el modelo entrenado sobre "
        "las 60 filas antiguas.",
    )
