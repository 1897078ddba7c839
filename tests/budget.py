"""Example budgets of the generated (hypothesis) suites.

By default every generated suite runs a fixed number of examples from a derandomized seed: the
same cases at every run, so CI is repeatable and stays within its time. To hunt for bugs, set
``MINIMODEL_HUNT=N``: each budget is multiplied by N and the examples are drawn at random (a
failure prints the ``@reproduce_failure`` blob to pin it).

    MINIMODEL_HUNT=50 .venv/bin/python -m pytest tests/test_views_torch_parity.py
"""

from __future__ import annotations

import os

HUNT = int(os.environ.get("MINIMODEL_HUNT", "0") or 0)


def examples(n: int) -> int:
    """The number of examples a suite whose CI budget is ``n`` runs now."""
    return n * HUNT if HUNT > 0 else n
