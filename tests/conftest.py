"""Settings shared by the unit and parity tests (the book's doc tests use the root conftest.py)."""

import pytest
from budget import HUNT
from hypothesis import settings

from minimodel._numpy_warnings import silence_numpy_warnings

# Loaded before any test module builds its own `settings(...)`, which inherit from it: a fixed seed
# unless hunting (see tests/budget.py), and no deadline (a 2-core CI machine is slow and noisy).
settings.register_profile("minimodel", derandomize=HUNT == 0, deadline=None, print_blob=True)
settings.load_profile("minimodel")


@pytest.fixture(autouse=True)
def _minimodel_warning_filters():
    """The warning filters a user's process has after ``import minimodel``.

    pytest restores the filters it found before collecting, which drops the one minimodel
    installs on import (minimodel/_numpy_warnings.py); put it back for each test.
    """
    silence_numpy_warnings()
