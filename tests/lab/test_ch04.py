"""Chapter 04's checks pass the book's ports and its .npz file, and explain wrong ones."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from book_solutions import run_block
from lab_testing import assert_fails

import minimodel as mm
from minimodel import nn
from minimodel.lab import check

PAGE = "04-port-drill.md"


class TenseMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(23, 16)
        self.fc2 = nn.Linear(16, 5)


def test_npz_passes_the_file_the_book_writes():
    saved = run_block(PAGE, "port-npz", until="np.savez", model=TenseMLP(), np=np, mm=mm)
    assert check("04-npz", saved.path).startswith("04-npz: passed.")
    assert check("04-npz", str(saved.path), lang="es").startswith("04-npz: superado.")


def test_npz_refuses_a_pickle_unnamed_arrays_and_float64(tmp_path):
    state = TenseMLP().state_dict()
    pickled = tmp_path / "tense_mlp.pt"
    mm.save(state, pickled)
    assert_fails(
        "04-npz",
        pickled,
        r"tense_mlp\.pt was written by mm\.save, .* PyTorch does not",
        r"tense_mlp\.pt lo escribió mm\.save, .* PyTorch no lee",
    )
    plain_pickle = tmp_path / "state.pkl"
    plain_pickle.write_bytes(pickle.dumps({k: v.numpy() for k, v in state.items()}))
    assert_fails(
        "04-npz",
        plain_pickle,
        r"state\.pkl is not an \.npz archive \(a pickle\?\)",
        r"state\.pkl no es un archivo \.npz \(¿un pickle\?\)",
    )
    unnamed = tmp_path / "unnamed.npz"
    np.savez(unnamed, *[value.numpy() for value in state.values()])
    assert_fails(
        "04-npz",
        unnamed,
        r"holds the arrays \['arr_0', .* expected the state dict's",
        r"contiene los arrays \['arr_0', .* se esperaban los nombres",
    )
    doubles = tmp_path / "doubles.npz"
    np.savez(doubles, **{k: v.numpy().astype(np.float64) for k, v in state.items()})
    assert_fails(
        "04-npz",
        doubles,
        r"fc1\.weight is saved with .* dtype float64, expected",
        r"fc1\.weight está guardado con .* tipo de dato float64; se esperaba",
    )
    assert_fails(
        "04-npz",
        tmp_path / "missing.npz",
        r"there is no file at .*missing\.npz",
        r"no hay ningún archivo en .*missing\.npz",
    )


def test_npz_refuses_torch_save(tmp_path):
    torch = pytest.importorskip("torch")
    path = tmp_path / "torch_state.pt"
    torch.save({"fc1.weight": torch.zeros(16, 23)}, path)
    assert_fails(
        "04-npz",
        path,
        r"holds a pickle \(torch\.save's format\)",
        r"contiene un pickle \(el formato de torch\.save\)",
    )
