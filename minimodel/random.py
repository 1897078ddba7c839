"""The global random generator behind ``randn``, ``rand`` and ``nn.init``.

``minimodel.manual_seed(s)`` makes every later random draw reproducible within minimodel. It does
not reproduce PyTorch's numbers: the two libraries use different generators.
"""

from __future__ import annotations

import secrets

import numpy as np


class _State:
    # Like PyTorch, a fresh 64-bit seed at start-up, which initial_seed() reports.
    seed = secrets.randbits(64)
    rng = np.random.default_rng(seed)


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the generator used by minimodel's random functions.

    Like ``torch.manual_seed``, it takes anything ``int()`` takes (``1.5`` seeds with 1, ``"3"``
    with 3) in the range of a signed or an unsigned 64-bit integer; a negative seed is read as
    its two's complement (``-1`` is ``2**64 - 1``).

    Args:
        seed: the seed, an integer from ``-2**63`` to ``2**64 - 1``.

    Returns:
        The seeded generator (a NumPy ``Generator``, where PyTorch returns a ``torch.Generator``).

    Example::

        >>> _ = minimodel.manual_seed(0)
        >>> a = minimodel.randn(3)
        >>> _ = minimodel.manual_seed(0)
        >>> bool((a == minimodel.randn(3)).all())
        True
        >>> _ = minimodel.manual_seed(-1)
        >>> minimodel.initial_seed() == 2**64 - 1
        True
    """
    seed = int(seed)
    if not -(2**63) <= seed < 2**64:
        raise ValueError("Overflow when unpacking long long")
    _State.seed = seed % 2**64
    _State.rng = np.random.default_rng(_State.seed)
    return _State.rng


def initial_seed() -> int:
    """The seed of the global generator, as an unsigned 64-bit integer.

    The one given to the last :func:`manual_seed`, or before any, the random one drawn at start-up.
    """
    return _State.seed


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
