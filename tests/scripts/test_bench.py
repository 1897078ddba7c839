"""Smoke test of ``scripts/bench.py``: tiny step counts, and the implementations must agree.

It runs the script as a user does (``--quick --skip-docs --json``) and checks the loss curves it
reports, step by step, against the hand-written NumPy floor. Nothing here looks at the times.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from torch_helpers import require_torch

REPO = Path(__file__).resolve().parents[2]
WORKLOADS = ("tense_mlp", "mlp", "chain")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    command = [sys.executable, str(REPO / "scripts" / "bench.py"), "--quick", "--skip-docs"]
    done = subprocess.run(
        [*command, "--json", str(out)], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done, json.loads(out.read_text(encoding="utf-8"))


def _assert_curve_matches_floor(result: dict, impl: str) -> None:
    tolerance = result["tolerance"]
    for workload in WORKLOADS:
        floor = result["losses"][workload]["numpy"]
        curve = result["losses"][workload][impl]
        assert len(curve) == len(floor) == result["steps"][workload]
        np.testing.assert_allclose(
            curve, floor, rtol=tolerance["rtol"], atol=tolerance["atol"], err_msg=workload
        )
        assert result["agreement"][workload][impl]["ok"]


def test_quick_run_prints_the_table_and_the_settings(quick_run):
    done, _ = quick_run
    assert "| workload | runs | NumPy floor | PyTorch | minimodel |" in done.stdout
    assert "Noise:" in done.stdout
    assert "threads: 1" in done.stdout


def test_minimodel_loss_curves_match_the_numpy_floor(quick_run):
    _, result = quick_run
    _assert_curve_matches_floor(result, "minimodel")


def test_pytorch_loss_curves_match_the_numpy_floor(quick_run):
    require_torch()
    _, result = quick_run
    _assert_curve_matches_floor(result, "torch")


def test_the_loss_curves_move(quick_run):
    # A curve that stayed flat would agree with a broken floor that never updated anything.
    _, result = quick_run
    for workload in WORKLOADS:
        floor = result["losses"][workload]["numpy"]
        assert floor[-1] < floor[0], workload


def test_agreement_check_rejects_a_wrong_curve(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    from benchmarks.report import compare_curves

    floor = [0.7, 0.6, 0.5]
    assert compare_curves([0.7, 0.6, 0.5 + 1e-7], floor)["ok"]
    verdict = compare_curves([0.7, 0.61, 0.5], floor)
    assert not verdict["ok"] and verdict["first_bad_step"] == 2
    assert not compare_curves([0.7, float("nan"), 0.5], floor)["ok"]
    assert not compare_curves([0.7, 0.6], floor)["ok"]
