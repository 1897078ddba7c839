"""minimodel is typed for its users: the wheel ships ``py.typed``, and a user's script that
trains a model type-checks against the package as installed, with mypy in strict mode.

The package is installed as pip installs a pure-Python wheel: its files unpacked into a folder
of ``sys.path`` (``PYTHONPATH``), away from this checkout; mypy then reads it as an installed
library, which it type-checks through only when it carries ``py.typed`` (PEP 561).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from docs_support.wheel import build_wheel

USER_SCRIPT = """\
from typing import assert_type

import minimodel as mm
import minimodel.nn.functional as F
from minimodel import nn, optim
from minimodel.utils.data import DataLoader, TensorDataset

x = mm.ones(3) * 2
assert_type(x, mm.Tensor)
assert_type((x.exp() - 1).sum(), mm.Tensor)
assert_type(x.shape, mm.Size)
assert_type(x.size(0), int)


class TenseMLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 2)

    def forward(self, x: mm.Tensor) -> mm.Tensor:
        return self.fc2(F.relu(self.fc1(x)))


mm.manual_seed(0)
model = TenseMLP()
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
data = TensorDataset(mm.randn(8, 3), mm.randint(0, 2, (8,)))
loader = DataLoader(data, batch_size=4, shuffle=True, generator=mm.Generator().manual_seed(1))
for inputs, targets in loader:
    optimizer.zero_grad()
    loss = F.cross_entropy(model(inputs), targets)
    loss.backward()
    optimizer.step()
    scheduler.step()
assert_type(loss, mm.Tensor)

mm.save(model.state_dict(), "model.pt")
print(model.load_state_dict(mm.load("model.pt")))
with mm.no_grad():
    value: float = F.mse_loss(model(mm.ones(1, 3)), mm.zeros(1, 2)).item()
print(f"{value:.4f}")
"""

# Strict, but for returning Any: a module's output is Any (Module.__call__ returns Any, as
# PyTorch's does), and a forward that returns it as a Tensor is flagged with PyTorch too.
CONFIG = """\
[mypy]
strict = True
warn_return_any = False
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding minimodel as its wheel installs it."""
    root = tmp_path_factory.mktemp("typing")
    with zipfile.ZipFile(build_wheel(root / "downloads")) as wheel:
        wheel.extractall(root / "site-packages")
    return root / "site-packages"


def run(program: list[str], site: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python program`` in ``folder``, where only ``site`` provides minimodel."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    env["PYTHONPATH"] = str(site)
    return subprocess.run(
        [sys.executable, *program], cwd=folder, capture_output=True, text=True, env=env
    )


def mypy(script: str, site: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """mypy's verdict on ``script`` in strict mode, where ``site`` provides minimodel."""
    folder.mkdir()
    (folder / "script.py").write_text(script, encoding="utf-8")
    (folder / "mypy.ini").write_text(CONFIG, encoding="utf-8")
    # One cache for the module's runs (mypy checks it against the files): the standard
    # library's stubs are read once.
    options = ["--config-file", "mypy.ini", "--cache-dir", str(site.parent / ".mypy_cache")]
    return run(["-m", "mypy", *options, "script.py"], site, folder)


def test_the_wheel_ships_py_typed(installed: Path) -> None:
    assert (installed / "minimodel" / "py.typed").is_file()


def test_the_user_script_runs_against_the_installed_package(
    installed: Path, tmp_path: Path
) -> None:
    (tmp_path / "script.py").write_text(USER_SCRIPT, encoding="utf-8")
    result = run(["script.py"], installed, tmp_path)
    assert result.returncode == 0, result.stderr
    keys, loss = result.stdout.splitlines()
    assert keys == "<All keys matched successfully>"
    assert float(loss) >= 0


def test_a_user_script_type_checks_in_strict_mode(installed: Path, tmp_path: Path) -> None:
    result = mypy(USER_SCRIPT, installed, tmp_path / "user")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found in 1 source file")


def test_a_type_error_in_a_user_script_is_reported(installed: Path, tmp_path: Path) -> None:
    script = "from minimodel import nn\n\nlayer = nn.Linear('3', 4)\n"
    result = mypy(script, installed, tmp_path / "user")
    assert result.returncode == 1
    assert 'Argument 1 to "Linear" has incompatible type "str"; expected "int"' in result.stdout


def test_without_py_typed_mypy_does_not_read_the_package(installed: Path, tmp_path: Path) -> None:
    # The control: the marker is what makes mypy check calls against minimodel's annotations.
    untyped = tmp_path / "site-packages"
    shutil.copytree(installed, untyped, ignore=shutil.ignore_patterns("py.typed"))
    result = mypy("import minimodel\n", untyped, tmp_path / "user")
    assert result.returncode == 1
    assert "module is installed, but missing library stubs or py.typed marker" in result.stdout
