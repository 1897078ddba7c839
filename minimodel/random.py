"""The global random generator behind ``randn``, ``rand`` and ``nn.init``.

``minimodel.manual_seed(s)`` makes every later random draw reproducible within minimodel. It does
not reproduce PyTorch's numbers: the two libraries use different generators.
"""

from __future__ import annotations

import secrets

import numpy as np

from .dtype import scalar_type_name


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


def _require_float(dtype: np.dtype, kernel: str) -> None:
    if dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dtype)}'")


_CPP_NAMES = {"float16": "c10::Half", "float32": "float", "float64": "double"}


def check_uniform_bounds(a: float, b: float, dtype: np.dtype) -> None:
    """PyTorch's errors for a uniform fill of a tensor of ``dtype``: a floating-point one, bounds
    it can hold (NaN cannot), a range ``[a, b)`` not the wrong way round, and not wider than
    the dtype's largest number."""
    _require_float(dtype, "check_uniform_bounds")
    info = np.finfo(dtype)
    for name, bound in (("from", a), ("to", b)):
        if not float(info.min) <= bound <= float(info.max):
            raise RuntimeError(f"{name} is out of bounds for {_CPP_NAMES[dtype.name]}")
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}"
        )
    if b - a > float(info.max):
        raise RuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{scalar_type_name(dtype)}>::max(), "
            f"but found to={b:g} and from={a:g} which result in to-from to exceed the limit"
        )


def check_normal_std(std: float, data: np.ndarray) -> None:
    """PyTorch's errors for a normal fill of ``data``: a standard deviation not negative, then
    a floating-point dtype (its kernel, which checks it, never runs for an empty tensor)."""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    if data.size:
        _require_float(data.dtype, "normal_kernel_cpu")
