"""``minimodel.cuda``: the part of ``torch.cuda`` a script calls before it picks a device.

minimodel runs on the CPU only, so it answers as PyTorch does on a machine without a GPU:

* :func:`is_available` is False, :func:`device_count` is 0, :func:`is_initialized` is False.
* Seeding and freeing memory do nothing, as in a CPU build of PyTorch: :func:`manual_seed`,
  :func:`manual_seed_all`, :func:`seed`, :func:`seed_all`, :func:`empty_cache`. A script that
  seeds "every generator" runs unchanged.
* What needs a GPU raises the RuntimeError every other device raises (``minimodel runs on the
  CPU only, got device 'cuda'``): :func:`synchronize`, :func:`current_device`,
  :func:`get_device_name`, :func:`set_device`. PyTorch raises ``AssertionError: Torch not
  compiled with CUDA enabled`` there.

Example::

    >>> device = "cuda" if minimodel.cuda.is_available() else "cpu"
    >>> device
    'cpu'
"""

from __future__ import annotations

from typing import Any

from .device import no_gpu

__all__ = [
    "current_device",
    "device_count",
    "empty_cache",
    "get_device_name",
    "is_available",
    "is_initialized",
    "manual_seed",
    "manual_seed_all",
    "seed",
    "seed_all",
    "set_device",
    "synchronize",
]


def is_available() -> bool:
    """False: minimodel has no GPU."""
    return False


def device_count() -> int:
    """0: minimodel sees no GPU."""
    return 0


def is_initialized() -> bool:
    """False: there is no CUDA state to initialize."""
    return False


def manual_seed(seed: Any) -> None:
    """Do nothing, as PyTorch without a GPU (``int(seed)`` must still work).

    Args:
        seed: the seed PyTorch would give the current GPU's generator.
    """
    int(seed)


def manual_seed_all(seed: Any) -> None:
    """Do nothing, as PyTorch without a GPU (``int(seed)`` must still work).

    Args:
        seed: the seed PyTorch would give every GPU's generator.
    """
    int(seed)


def seed() -> None:
    """Do nothing, as PyTorch without a GPU."""


def seed_all() -> None:
    """Do nothing, as PyTorch without a GPU."""


def empty_cache() -> None:
    """Do nothing: there is no GPU memory to free."""


def synchronize(device: Any = None) -> None:
    """Raise RuntimeError: there is no GPU to wait for.

    Args:
        device: the GPU PyTorch would wait for.
    """
    raise no_gpu()


def current_device() -> int:
    """Raise RuntimeError: there is no current GPU."""
    raise no_gpu()


def get_device_name(device: Any = None) -> str:
    """Raise RuntimeError: there is no GPU to name.

    Args:
        device: the GPU PyTorch would name.
    """
    raise no_gpu()


def set_device(device: Any) -> None:
    """Raise RuntimeError: there is no GPU to select.

    Args:
        device: the GPU PyTorch would select.
    """
    raise no_gpu()
