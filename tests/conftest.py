"""Settings shared by the unit and parity tests (the book's doc tests use the root conftest.py)."""

from budget import HUNT
from hypothesis import settings

# Loaded before any test module builds its own `settings(...)`, which inherit from it: a fixed seed
# unless hunting (see tests/budget.py), and no deadline (a 2-core CI machine is slow and noisy).
settings.register_profile("minimodel", derandomize=HUNT == 0, deadline=None, print_blob=True)
settings.load_profile("minimodel")
