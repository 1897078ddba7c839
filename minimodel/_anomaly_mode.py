"""Anomaly detection for autograd: ``detect_anomaly`` and ``set_detect_anomaly``.

While it is on, every recorded operation keeps the Python stack of the call that made it, and
the backward pass (:func:`minimodel.autograd.run_backward`) checks each node's gradients: when a
node's backward raises, or returns NaN (unless ``check_nan=False``), a ``UserWarning`` shows
where in the user's code that node's forward operation ran. PyTorch's error for an in-place
change of a saved tensor suggests exactly this.
"""

from __future__ import annotations

import os
import traceback
import warnings
from typing import Any

import numpy as np

# One switch for the process, as PyTorch's AnomalyMode is.
_mode = {"enabled": False, "check_nan": True}
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def is_anomaly_enabled() -> bool:
    """Whether anomaly detection is on.

    Example::

        >>> minimodel.is_anomaly_enabled()
        False
    """
    return _mode["enabled"]


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly detection, when on, checks the gradients for NaN.

    Example::

        >>> minimodel.is_anomaly_check_nan_enabled()
        True
    """
    return _mode["check_nan"]


class _AnomalyModeContext:
    """Sets the mode on entering; puts back, on leaving, the one there was when it was made."""

    def __init__(self, enabled: bool, check_nan: bool) -> None:
        self._previous = dict(_mode)
        self._wanted = {"enabled": enabled, "check_nan": check_nan}

    def __enter__(self) -> None:
        _mode.update(self._wanted)

    def __exit__(self, *exc: object) -> None:
        _mode.update(self._previous)


class detect_anomaly(_AnomalyModeContext):
    """Context manager that turns anomaly detection on.

    Inside it, a backward pass that fails, or (``check_nan=True``) in which an operation's
    backward returns NaN, also warns with the stack of the forward call that made that
    operation. It slows every operation down: turn it on to debug only.

    Args:
        check_nan: also raise when a backward returns NaN values (default True).

    Example::

        >>> import warnings
        >>> x = minimodel.tensor([-1.0, 4.0], requires_grad=True)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     with minimodel.autograd.detect_anomaly():
        ...         x.sqrt().sum().backward()
        Traceback (most recent call last):
        RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.
    """

    def __init__(self, check_nan: bool = True) -> None:
        super().__init__(True, check_nan)
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging.",
            stacklevel=2,
        )


class set_detect_anomaly(_AnomalyModeContext):
    """Turn anomaly detection on or off: at once when called, or for a ``with`` block.

    Args:
        mode: True to turn it on, False to turn it off.
        check_nan: also raise when a backward returns NaN values (default True).

    Example::

        >>> with minimodel.autograd.set_detect_anomaly(True, check_nan=False):
        ...     minimodel.is_anomaly_enabled(), minimodel.is_anomaly_check_nan_enabled()
        (True, False)
        >>> minimodel.is_anomaly_enabled()
        False
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        super().__init__(mode, check_nan)
        _mode.update(self._wanted)


def forward_stack() -> list[str]:
    """The stack of the current call, without minimodel's own frames: kept by each recorded
    operation while anomaly detection is on."""
    frames = traceback.extract_stack()[:-1]
    mine = [f for f in frames if not os.path.abspath(f.filename).startswith(_PACKAGE)]
    return traceback.format_list(mine)


def warn_forward_stack(name: str, stack: list[str] | None) -> None:
    """Say where the forward operation of the node ``name``, whose backward failed, ran."""
    if stack is not None:
        warnings.warn(
            f"Error detected in {name}. Traceback of forward call that caused the error:\n"
            + "".join(stack),
            stacklevel=2,
        )


def check_nan(name: str, grads: Any) -> None:
    """Raise PyTorch's error if one of a node's gradients holds a NaN."""
    for i, g in enumerate(grads):
        if g is not None and g.dtype.kind == "f" and np.isnan(g).any():
            raise RuntimeError(f"Function '{name}' returned nan values in its {i}th output.")
