"""The global random generator behind ``randn``, ``rand`` and ``nn.init``.

``minimodel.manual_seed(s)`` makes every later random draw reproducible within minimodel. It does
not reproduce PyTorch's numbers: the two libraries use different generators.
"""

from __future__ import annotations

import numpy as np


class _State:
    rng = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the generator used by minimodel's random functions.

    Args:
        seed: a non-negative integer.

    Example::

        >>> minimodel.manual_seed(0)
        >>> a = minimodel.randn(3)
        >>> minimodel.manual_seed(0)
        >>> bool((a == minimodel.randn(3)).all())
        True
    """
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool):
        raise TypeError(f"manual_seed expected an int seed, but got {type(seed).__name__}")
    _State.rng = np.random.default_rng(int(seed))
    return _State.rng


def generator() -> np.random.Generator:
    """Return the global generator (re-created by every :func:`manual_seed`)."""
    return _State.rng


def check_uniform_bounds(a: float, b: float) -> None:
    """PyTorch's error for a uniform range ``[a, b)`` that is empty the wrong way round."""
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}"
        )


def check_normal_std(std: float) -> None:
    """PyTorch's error for a negative standard deviation."""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
