"""NumPy's floating-point warnings, silenced where minimodel calls NumPy.

PyTorch computes inf and NaN without a word; NumPy warns ("overflow encountered in exp").
A warnings filter limited to those messages and to minimodel's own modules costs nothing per
operation (``np.errstate`` around each would cost more than many operations themselves), and
leaves the warnings of the user's own NumPy code alone.
"""

from __future__ import annotations

import warnings

__all__ = ["silence_numpy_warnings"]


def silence_numpy_warnings() -> None:
    """Install the filter; called when minimodel is imported (again after a test framework
    restores the filters it found, as pytest does after collecting)."""
    warnings.filterwarnings(
        "ignore",
        message=r"(overflow|invalid value|divide by zero|underflow) encountered",
        category=RuntimeWarning,
        module=r"minimodel(\.|$)",
    )
