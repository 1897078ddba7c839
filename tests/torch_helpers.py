"""Shared helper for the parity tests against real PyTorch."""

from __future__ import annotations

import os
import types

import pytest


def require_torch() -> types.ModuleType:
    """Import torch; skip the calling test module without it, unless MINIMODEL_REQUIRE_TORCH=1.

    With ``MINIMODEL_REQUIRE_TORCH=1`` (set by ``.ci/run``) a missing torch is an error, so the
    parity tests can never be skipped silently there.
    """
    if os.environ.get("MINIMODEL_REQUIRE_TORCH") == "1":
        import torch

        return torch
    return pytest.importorskip("torch")
