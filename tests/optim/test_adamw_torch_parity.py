"""AdamW against torch.optim.AdamW: trajectories for its options, defaults, repr, state dicts."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from optim_testing import make_params, train
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

CONFIGS = [
    dict(zip(("weight_decay", "amsgrad", "maximize"), values, strict=True))
    for values in itertools.product([0.01, 0.3, 0], [False, True], [False, True])
]


@pytest.mark.parametrize("options", CONFIGS, ids=str)
def test_trajectory_matches_torch(options: dict[str, Any]) -> None:
    trajectories = []
    for lib in (mm, torch):
        w, b = make_params(lib)
        opt = lib.optim.AdamW([w, b], lr=0.05, **options)
        trajectories.append(train(opt, w, b, 50, lib, options["maximize"]))
    for ours, theirs in zip(*trajectories, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_defaults_and_repr_match_torch() -> None:
    ours = mm.optim.AdamW([mm.zeros(2, requires_grad=True)])
    theirs = torch.optim.AdamW([torch.zeros(2, requires_grad=True)])
    assert repr(ours) == repr(theirs)
    assert ours.state_dict()["param_groups"] == theirs.state_dict()["param_groups"]


def test_a_loaded_state_keeps_decoupled_weight_decay_as_torch() -> None:
    for lib in (mm, torch):
        w = lib.zeros(2, requires_grad=True)
        state = lib.optim.Adam([w]).state_dict()  # decoupled_weight_decay=False
        opt = lib.optim.AdamW([w])
        opt.load_state_dict(state)
        assert opt.param_groups[0]["decoupled_weight_decay"] is True
