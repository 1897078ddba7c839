"""Tutorial scripts written for PyTorch run on minimodel with only their imports changed.

The scripts live in ``tests/tutorial_scripts/``; ``tutorial_harness`` ports and runs them. These
tests need no torch: the port touches import lines only, the ported script never reaches torch,
and it trains to a good fit. ``test_tutorial_scripts_torch_parity.py`` compares the runs with
PyTorch's.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from tutorial_harness import (
    SCRIPTS,
    imported_modules,
    is_torch_import,
    port_line,
    port_to_minimodel,
    run_script,
    source_of,
)

POLYNOMIAL_SCRIPTS = [script for script in SCRIPTS if script.startswith("polynomial_")]


def test_the_scripts_folder_holds_the_tutorials() -> None:
    assert SCRIPTS == [
        "adamw_scheduler.py",
        "dataloader_dropout.py",
        "dataset_minibatches.py",
        "dtype_device.py",
        "embedding_classifier.py",
        "legendre_custom_function.py",
        "polynomial_autograd.py",
        "polynomial_module.py",
        "polynomial_nn.py",
        "polynomial_optim.py",
        "spiral_classifier.py",
    ]


@pytest.mark.parametrize(
    ("line", "ported"),
    [
        ("import torch", "import minimodel as torch"),
        ("import torch.nn as nn", "import minimodel.nn as nn"),
        ("import torch.nn.functional as F", "import minimodel.nn.functional as F"),
        ("from torch import nn, optim", "from minimodel import nn, optim"),
        ("from torch.nn import functional as F", "from minimodel.nn import functional as F"),
        ("x = torch.linspace(-1, 1, 5)", "x = torch.linspace(-1, 1, 5)"),
        ("import torchvision", "import torchvision"),
        ("# import torch first", "# import torch first"),
    ],
)
def test_port_line_renames_torch_imports_only(line: str, ported: str) -> None:
    assert port_line(line) == ported


def test_port_line_refuses_an_import_it_cannot_rename_exactly() -> None:
    # `import torch.nn` binds the name `torch`: no single minimodel import does the same.
    with pytest.raises(ValueError, match="cannot port"):
        port_line("import torch.nn")


@pytest.mark.parametrize("script", SCRIPTS)
def test_ported_script_differs_from_the_original_only_in_torch_imports(script: str) -> None:
    original = source_of(script).splitlines()
    ported = port_to_minimodel(source_of(script)).splitlines()
    assert len(ported) == len(original)
    changed = [(old, new) for old, new in zip(original, ported, strict=True) if old != new]
    assert changed, "the script imports nothing from torch"
    assert all(is_torch_import(old) for old, _ in changed)
    assert not any(is_torch_import(line) for line in ported)


@pytest.mark.parametrize("script", SCRIPTS)
def test_ported_script_runs_on_minimodel_without_torch(script: str) -> None:
    run = run_script(script, "minimodel")
    modules = imported_modules(run.namespace)
    assert "minimodel" in modules
    assert "torch" not in modules
    assert run.losses
    assert all(math.isfinite(loss) for loss in run.losses)
    assert run.stdout.splitlines()[-1].startswith("Result: ")


def _least_squares_loss() -> float:
    """The smallest sum of squared errors any cubic reaches on the scripts' data, in float64."""
    x = np.linspace(-math.pi, math.pi, 2000)
    _, residuals, _, _ = np.linalg.lstsq(np.vander(x, 4), np.sin(x), rcond=None)
    return float(residuals[0])


@pytest.mark.parametrize("script", POLYNOMIAL_SCRIPTS)
def test_polynomial_script_on_minimodel_fits_nearly_as_well_as_least_squares(script: str) -> None:
    losses = run_script(script, "minimodel").losses
    best = _least_squares_loss()
    # From thousands (random coefficients) down to within 10% of the best cubic fit; never
    # below it by more than float32 rounding.
    assert losses[0] > 100 * best
    assert best * (1 - 1e-5) <= losses[-1] <= 1.1 * best


def test_spiral_classifier_on_minimodel_learns_the_training_set() -> None:
    run = run_script("spiral_classifier.py", "minimodel")
    assert run.losses[-1] < run.losses[0] / 10
    assert run.namespace["accuracy"] >= 0.95


@pytest.mark.parametrize("script", [s for s in SCRIPTS if not s.startswith("polynomial_")])
def test_script_on_minimodel_cuts_its_loss_tenfold(script: str) -> None:
    losses = run_script(script, "minimodel").losses
    assert losses[-1] < losses[0] / 10


def test_dropout_script_reaches_a_high_test_accuracy_in_eval_mode() -> None:
    run = run_script("dataloader_dropout.py", "minimodel")
    assert run.namespace["test_accuracy"] >= 0.95
    assert not run.namespace["model"].training  # evaluate() switched it to eval()


def test_embedding_script_keeps_the_padding_row_at_zero() -> None:
    weight = run_script("embedding_classifier.py", "minimodel").namespace["model"].embed.weight
    assert weight[0].abs().sum().item() == 0
