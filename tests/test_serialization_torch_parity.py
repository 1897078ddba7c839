"""save/load against real PyTorch: torch files are refused clearly; state dicts move across."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest
from torch_helpers import require_torch

import minimodel as mm
from minimodel.serialization import SerializationError

torch = require_torch()


@pytest.mark.parametrize("zipfile_format", [True, False])
def test_a_torch_save_file_is_refused_with_a_clear_error(
    zipfile_format: bool, tmp_path: Path
) -> None:
    path = tmp_path / "torch.pt"
    torch.save({"w": torch.ones(2)}, path, _use_new_zipfile_serialization=zipfile_format)
    with pytest.raises(SerializationError) as info:
        mm.load(path)
    message = str(info.value)
    assert repr(str(path)) in message
    assert ("written by torch.save" if zipfile_format else "pickle") in message


def test_a_minimodel_state_dict_loads_into_torch_and_back(tmp_path: Path) -> None:
    model = mm.nn.Sequential(mm.nn.Linear(4, 3), mm.nn.ReLU(), mm.nn.Linear(3, 2))
    mm.save(model.state_dict(), tmp_path / "model.pt")
    loaded = mm.load(tmp_path / "model.pt")

    torch_model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    torch_sd = OrderedDict((k, torch.from_numpy(v.numpy())) for k, v in loaded.items())
    torch_model.load_state_dict(torch_sd)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    expected = model(mm.tensor(x)).detach().numpy()
    np.testing.assert_allclose(
        torch_model(torch.from_numpy(x)).detach().numpy(), expected, rtol=1e-6, atol=1e-7
    )

    # And back: torch's state dict, saved by minimodel, loads into a fresh minimodel model.
    back = OrderedDict((k, mm.tensor(v.numpy())) for k, v in torch_model.state_dict().items())
    mm.save(back, tmp_path / "back.pt")
    fresh = mm.nn.Sequential(mm.nn.Linear(4, 3), mm.nn.ReLU(), mm.nn.Linear(3, 2))
    fresh.load_state_dict(mm.load(tmp_path / "back.pt"))
    np.testing.assert_array_equal(fresh(mm.tensor(x)).detach().numpy(), expected)


@pytest.mark.parametrize("name", ["{dir}", "{dir}/", "{dir}/missing/"])
def test_saving_to_a_directory_raises_runtime_error_as_torch_does(
    name: str, tmp_path: Path
) -> None:
    path = name.format(dir=tmp_path)
    with pytest.raises(RuntimeError, match="inline_container"):
        torch.save({}, path)
    with pytest.raises(RuntimeError, match=f"{tmp_path}") as info:
        mm.save({}, path)
    assert type(info.value) is RuntimeError
    assert list(tmp_path.iterdir()) == []
