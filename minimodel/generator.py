"""``Generator``: a random number generator of its own, for ``DataLoader`` and ``random_split``.

PyTorch code passes ``generator=torch.Generator().manual_seed(42)`` to make shuffling
reproducible without touching the global seed; ``minimodel.Generator`` does the same. Like
:func:`minimodel.manual_seed`, it does not reproduce PyTorch's random numbers.
"""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np

from .device import check_device

__all__ = ["Generator"]


class Generator:
    """A random number generator, seeded with :meth:`manual_seed`.

    Args:
        device: accepted for compatibility; only ``"cpu"`` (or None).

    Example::

        >>> g = minimodel.Generator().manual_seed(42)
        >>> g.initial_seed()
        42
    """

    def __init__(self, device: Any = "cpu") -> None:
        check_device(device)
        # Fresh entropy, as np.random.SeedSequence() draws it.
        self._seed = secrets.randbits(63)
        self.rng = np.random.default_rng(self._seed)

    @property
    def device(self) -> Any:
        """Always the CPU."""
        from .device import CPU

        return CPU

    def manual_seed(self, seed: int) -> Generator:
        """Seed this generator and return it (so it can be built and seeded in one line).

        Args:
            seed: an integer.
        """
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        # PyTorch keeps the seed as an unsigned 64-bit number: -1 becomes 2**64 - 1.
        self._seed = int(seed) % 2**64
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._seed
