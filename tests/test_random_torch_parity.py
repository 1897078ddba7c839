"""``manual_seed`` and ``initial_seed`` take and report seeds as PyTorch's do.

The random streams themselves differ (README): only the seeds are compared.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

seeds = st.one_of(
    st.integers(-(2**63) - 3, 2**64 + 3),
    st.sampled_from([-(2**63), -(2**63) - 1, 2**64 - 1, 2**64, -1, 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.integers(-(2**70), 2**70).map(str),
    st.text(max_size=4),
    st.none(),
    st.builds(np.int64, st.integers(-(2**63), 2**63 - 1)),
    st.builds(np.uint64, st.integers(0, 2**64 - 1)),
)


def _outcome(lib: Any, seed: Any) -> tuple[str, Any]:
    try:
        lib.manual_seed(seed)
    except Exception as error:  # the error is the outcome compared
        return type(error).__name__, str(error)
    return "seeded", lib.initial_seed()


@settings(max_examples=examples(300))
@given(seed=seeds)
def test_manual_seed_accepts_refuses_and_reports_seeds_as_torch(seed: Any) -> None:
    assert _outcome(mm, seed) == _outcome(torch, seed)


def test_same_seed_same_stream_whatever_its_spelling() -> None:
    for spellings in ((3, 3.9, "3", np.int64(3)), (-1, 2**64 - 1, np.uint64(2**64 - 1))):
        draws = []
        for seed in spellings:
            mm.manual_seed(seed)
            draws.append(mm.randn(4).tolist())
        assert all(d == draws[0] for d in draws)
    mm.manual_seed(4)
    assert mm.randn(4).tolist() != draws[0]
