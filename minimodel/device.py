"""``device``: where tensors live. In minimodel that is always the CPU.

PyTorch code passes devices around (``x.to(device)``, ``torch.zeros(3, device=x.device)``); so
that such code ports unchanged, minimodel accepts ``"cpu"`` (or ``device("cpu")``) everywhere
PyTorch takes a device and rejects every other one with one clear error.
"""

from __future__ import annotations

from typing import Any


class device:
    """The device of a tensor: ``minimodel.device("cpu")``, printed like PyTorch's.

    Args:
        type: ``"cpu"``; any other device raises RuntimeError.

    Example::

        >>> minimodel.zeros(2).device
        device(type='cpu')
        >>> minimodel.zeros(2).device == "cpu"
        True
    """

    __slots__ = ()
    type = "cpu"

    def __init__(self, type: Any = "cpu") -> None:
        check_device(type)

    def __repr__(self) -> str:
        return "device(type='cpu')"

    def __str__(self) -> str:
        return "cpu"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) or other == "cpu"

    def __hash__(self) -> int:
        return hash("cpu")


def check_device(value: Any) -> None:
    """Accept None, ``"cpu"`` or ``device("cpu")``; raise RuntimeError for any other device."""
    if value is None or isinstance(value, device) or str(value) in ("cpu", "cpu:0"):
        return
    raise RuntimeError(f"minimodel runs on the CPU only, got device '{value}'")


CPU = device()
