"""Chapter 04's exercise: a state dict saved without pickle."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ._core import Wrong, says

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
