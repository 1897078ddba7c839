"""Chapter 04's exercises: the drills ported to minimodel, a state dict saved without pickle."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .. import nn
from ..autograd import no_grad
from ..creation import linspace, tensor
from ._core import Wrong, run_reader, says


def _minimodel_model(model: Any) -> None:
    if type(model).__module__.split(".")[0] == "torch":
        raise Wrong(
            "this is a PyTorch model: the exercise asks for the script ported to minimodel "
            "(import minimodel as torch, from minimodel import nn)",
            "este es un modelo de PyTorch: el ejercicio pide el script portado a minimodel "
            "(import minimodel as torch, from minimodel import nn)",
        )
    if not isinstance(model, nn.Module):
        raise Wrong(
            f"expected the trained model, a minimodel nn.Module, but got {type(model).__name__}",
            f"se esperaba el modelo entrenado, un nn.Module de minimodel, pero se recibió "
            f"{type(model).__name__}",
        )


def _outputs(model: Any, x: Any, shape: tuple[int, ...]) -> np.ndarray:
    with no_grad():
        out = run_reader("model(x)", "model(x)", lambda: model(x))
    if tuple(out.shape) != shape:
        raise Wrong(
            f"the model maps x of shape {tuple(x.shape)} to shape {tuple(out.shape)}, expected "
            f"{shape}",
            f"el modelo convierte x de forma {tuple(x.shape)} en forma {tuple(out.shape)}; se "
            f"esperaba {shape}",
        )
    return out.numpy()


def check_sine(model: Any) -> dict[str, str]:
    """The ported sine drill: the trained model fits sin on [-3, 3] with a loss below 0.001."""
    _minimodel_model(model)
    x = linspace(-3, 3, 200).unsqueeze(1)
    out = _outputs(model, x, (200, 1))
    loss = float(np.mean((out - np.sin(x.numpy())) ** 2))
    if not loss < 1e-3:
        raise Wrong(
            f"the model's mean squared error against sin(x) is {loss:.5f}, not below 0.001: was "
            f"it trained for 500 steps, with zero_grad() before each backward()?",
            f"el error cuadrático medio del modelo frente a sin(x) es {loss:.5f}, no menor que "
            f"0.001: ¿lo entrenaste 500 pasos, con zero_grad() antes de cada backward()?",
        )
    return says(
        f"A minimodel model that fits sin(x) on [-3, 3]: loss {loss:.5f}.",
        f"Un modelo de minimodel que se ajusta a sin(x) en [-3, 3]: pérdida {loss:.5f}.",
    )


def check_signs(model: Any) -> dict[str, str]:
    """The ported signs drill: the trained model tells where both signs agree."""
    _minimodel_model(model)
    # A grid of its own, away from the axes where the answer flips, instead of the page's draws.
    side = np.concatenate([np.linspace(-0.95, -0.2, 8), np.linspace(0.2, 0.95, 8)])
    points = np.array([(a, b) for a in side for b in side], dtype=np.float32)
    labels = points[:, 0] * points[:, 1] > 0
    out = _outputs(model, tensor(points), (len(points), 2))
    accuracy = float(np.mean(out.argmax(axis=1) == labels))
    if not accuracy > 0.9:
        raise Wrong(
            f"the model is right on {accuracy:.0%} of a grid of points away from the axes, "
            f"expected above 90%: was it trained, 300 steps of Adam?",
            f"el modelo acierta en el {accuracy:.0%} de una rejilla de puntos lejos de los ejes; "
            f"se esperaba más del 90%: ¿lo entrenaste 300 pasos con Adam?",
        )
    return says(
        f"A minimodel model that tells where both signs agree: {accuracy:.0%} right on a grid.",
        f"Un modelo de minimodel que distingue dónde coinciden los signos: acierta en el "
        f"{accuracy:.0%} de una rejilla.",
    )


# Chapter 03's TenseMLP: fc1 = Linear(23, 16), fc2 = Linear(16, 5).
_TENSE_MLP = {"fc1.weight": (16, 23), "fc1.bias": (16,), "fc2.weight": (5, 16), "fc2.bias": (5,)}


def check_npz(path: Any) -> dict[str, str]:
    """The saved file holds the TenseMLP state dict as named arrays that load without pickle."""
    path = Path(path)
    if not path.is_file():
        raise Wrong(f"there is no file at {path}", f"no hay ningún archivo en {path}")
    if not zipfile.is_zipfile(path):
        raise Wrong(
            f"{path.name} is not an .npz archive (a pickle?): save with np.savez, one named "
            f"array per entry of the state dict",
            f"{path.name} no es un archivo .npz (¿un pickle?): guarda con np.savez, un array con "
            f"nombre por entrada del diccionario de estado",
        )
    with zipfile.ZipFile(path) as archive:
        members = archive.namelist()
    if "minimodel.json" in members:
        raise Wrong(
            f"{path.name} was written by mm.save, minimodel's own format, which PyTorch does not "
            f"read: save with np.savez, one named array per entry of the state dict",
            f"{path.name} lo escribió mm.save, el formato propio de minimodel, que PyTorch no "
            f"lee: guarda con np.savez, un array con nombre por entrada del diccionario de estado",
        )
    if any(member.endswith(".pkl") for member in members):
        raise Wrong(
            f"{path.name} holds a pickle (torch.save's format): save with np.savez, one named "
            f"array per entry of the state dict",
            f"{path.name} contiene un pickle (el formato de torch.save): guarda con np.savez, un "
            f"array con nombre por entrada del diccionario de estado",
        )
    try:
        with np.load(path, allow_pickle=False) as arrays:
            saved = {name: arrays[name] for name in arrays.files}
    except ValueError as error:
        raise Wrong(
            f"{path.name} holds pickled objects ({error}); save plain arrays (value.numpy())",
            f"{path.name} contiene objetos en pickle ({error}); guarda arrays simples "
            f"(value.numpy())",
        ) from error
    if sorted(saved) != sorted(_TENSE_MLP):
        raise Wrong(
            f"{path.name} holds the arrays {sorted(saved)}, expected the state dict's names "
            f"{sorted(_TENSE_MLP)}: np.savez(path, **{{name: value.numpy() for ...}})",
            f"{path.name} contiene los arrays {sorted(saved)}; se esperaban los nombres del "
            f"diccionario de estado {sorted(_TENSE_MLP)}: np.savez(path, **{{name: value.numpy() "
            f"for ...}})",
        )
    for name, shape in _TENSE_MLP.items():
        if saved[name].shape != shape or saved[name].dtype != np.float32:
            raise Wrong(
                f"{name} is saved with shape {saved[name].shape} and dtype {saved[name].dtype}, "
                f"expected {shape} and float32",
                f"{name} está guardado con forma {saved[name].shape} y tipo de dato "
                f"{saved[name].dtype}; se esperaba {shape} y float32",
            )
    return says(
        f"{path.name} holds the TenseMLP state dict as named float32 arrays, no pickle.",
        f"{path.name} contiene el diccionario de estado de TenseMLP como arrays float32 con "
        f"nombre, sin pickle.",
    )
