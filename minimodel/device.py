"""``device``: where tensors live. In minimodel that is always the CPU.

PyTorch code passes devices around (``x.to(device)``, ``torch.zeros(3, device=x.device)``); so
that such code ports unchanged, ``minimodel.device`` parses device strings and indices exactly as
``torch.device`` does (same accepted forms, same errors for malformed ones), and everywhere a
tensor or a parameter would be placed on a device (factories, ``Tensor.to``, ``Module.to``,
``set_default_device``) the CPU is accepted, with or without an index (``"cpu"``, ``"cpu:0"``,
``device("cpu", 1)``), and every other device raises one error, :data:`NOT_ON_CPU`.

Differences from PyTorch, on purpose: PyTorch stores a device index in 8 bits, so it wraps
indices from 128 up (``torch.device("cpu:128")`` has index 65408); minimodel keeps them as given.
For a device it cannot use, PyTorch raises whatever its backend raises (an ``AssertionError``
naming CUDA's build, a ``NotImplementedError`` listing dispatch keys, ...); minimodel raises the
one ``RuntimeError`` above, and raises it in ``set_default_device`` already, where PyTorch waits
for the first tensor made.
"""

from __future__ import annotations

from typing import Any

# The device types torch.device knows, in the order its error message lists them.
DEVICE_TYPES = (
    "cpu",
    "cuda",
    "ipu",
    "xpu",
    "mkldnn",
    "opengl",
    "opencl",
    "ideep",
    "hip",
    "ve",
    "fpga",
    "maia",
    "xla",
    "lazy",
    "vulkan",
    "mps",
    "meta",
    "hpu",
    "mtia",
    "privateuseone",
)

NOT_ON_CPU = "minimodel runs on the CPU only, got device '{}'"
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1
_ONE_ARGUMENT: Any = object()  # device(0) is an accelerator index; device(0, None) is an error


def no_gpu() -> RuntimeError:
    """The error for every CUDA-only call (``x.cuda()``, ``minimodel.cuda.synchronize()``)."""
    return RuntimeError(NOT_ON_CPU.format("cuda"))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse(text: str) -> tuple[str, int | None]:
    """Split ``"type:index"`` as c10's ``Device(std::string)`` does, with its errors."""
    if not text:
        raise RuntimeError("Device string must not be empty")
    name, sep, digits = text.partition(":")
    valid_name = name and all(c.isascii() and (c.isalpha() or c == "_") for c in name)
    valid_index = not sep or (
        digits.isascii() and digits.isdigit() and (digits == "0" or digits[0] != "0")
    )
    if not (valid_name and valid_index):
        raise RuntimeError(f"Invalid device string: '{text}'")
    if sep and int(digits) > _INT32_MAX:
        raise RuntimeError(f"Could not parse device index '{digits}' in device string '{text}'")
    if name not in DEVICE_TYPES:
        raise RuntimeError(
            f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of device string: "
            f"{name}"
        )
    return name, int(digits) if sep else None


class device:
    """A device, as ``torch.device`` spells it: ``device("cpu")``, ``device("cpu:0")``,
    ``device("cpu", 0)``, ``device("cuda")``...

    Any device PyTorch can name can be named, so that ``device("cuda" if ... else "cpu")``
    runs; only the CPU can hold tensors (see :func:`check_device`). A tensor's device is
    always ``device(type='cpu')``.

    Args:
        type: ``"cpu"``, ``"cpu:1"``, another device type PyTorch knows, or a device.
        index: the device's index, a non-negative int; only with a type without one.

    Example::

        >>> minimodel.zeros(2).device
        device(type='cpu')
        >>> minimodel.device("cpu", 1)
        device(type='cpu', index=1)
        >>> minimodel.zeros(2).device == minimodel.device("cpu")
        True
    """

    __slots__ = ("_index", "_type")
    _type: str
    _index: int | None

    def __init__(self, type: Any, index: Any = _ONE_ARGUMENT) -> None:
        # The checks run in PyTorch's order, so that the first error is PyTorch's.
        explicit = index is not _ONE_ARGUMENT  # even None: device("cpu:0", None) is an error
        if not explicit:
            if isinstance(type, device):
                self._type, self._index = type._type, type._index
                return
            if _is_int(type):
                raise RuntimeError(
                    NO_ACCELERATOR if type >= 0 else "Device index must not be negative"
                )
            if not isinstance(type, str):
                raise TypeError(_invalid_combination(type))
            index = None
        if not isinstance(type, str):
            raise TypeError(
                f"device(): argument 'type' (position 1) must be str, not {_type_name(type)}"
            )
        if index is not None and not _is_int(index):
            raise TypeError(
                f"device(): argument 'index' (position 2) must be int, not {_type_name(index)}"
            )
        self._type, self._index = _parse(type)
        if explicit and ":" in type:
            raise RuntimeError(
                "type (string) must not include an index because index was passed "
                f"explicitly: {type}"
            )
        if index is not None:
            if index > _INT64_MAX:
                raise ValueError("Overflow when unpacking long long")
            if index < 0:
                raise RuntimeError("Device index must not be negative")
            self._index = index

    @property
    def type(self) -> str:
        """The device type: ``"cpu"``, ``"cuda"``, ..."""
        return self._type

    @property
    def index(self) -> int | None:
        """The device index, or None when none was given."""
        return self._index

    def __repr__(self) -> str:
        if self._index is None:
            return f"device(type='{self._type}')"
        return f"device(type='{self._type}', index={self._index})"

    def __str__(self) -> str:
        return self._type if self._index is None else f"{self._type}:{self._index}"

    # Like torch.device: equal to devices of the same type and index only, never to strings.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return (self._type, self._index) == (other._type, other._index)

    def __hash__(self) -> int:
        return hash((self._type, self._index))


def _invalid_combination(value: Any) -> str:
    """torch.device(value)'s TypeError for one argument that is neither a string nor an int."""
    kind = _type_name(value)
    return (
        f"device() received an invalid combination of arguments - got ({kind}), but expected "
        "one of:\n * (minimodel.device device)\n      didn't match because some of the "
        f"arguments have invalid types: (!{kind}!)\n * (str type, int index = -1)\n"
    )


def _type_name(value: Any) -> str:
    return "minimodel.device" if isinstance(value, device) else type(value).__name__


def check_device(value: Any, function: str | None = None) -> device:
    """The CPU device ``value`` names; raise for anything else.

    Args:
        value: None (the CPU), a device, a device string or an int (an accelerator index).
        function: the name of the factory receiving ``value``, for PyTorch's TypeError.

    Raises:
        RuntimeError: a malformed device, or one other than the CPU (:data:`NOT_ON_CPU`).
        TypeError: ``value`` is not a device, a string or an int.
    """
    if value is None:
        return CPU
    if not isinstance(value, device | str | int) or isinstance(value, bool):
        prefix = f"{function}(): " if function else ""
        raise TypeError(
            f"{prefix}argument 'device' must be minimodel.device, not {_type_name(value)}"
        )
    parsed = device(value)
    if parsed.type != "cpu":
        raise RuntimeError(NOT_ON_CPU.format(value))
    return parsed


CPU = device("cpu")
_Device = device  # for set_default_device, whose argument is named like PyTorch's: device


class _Default:
    device = CPU


def set_default_device(device: Any) -> None:
    """Set the device the factories use when given none: only the CPU can be chosen.

    ``set_default_device("cpu")`` and ``set_default_device(None)`` are accepted (so PyTorch's
    ``torch.set_default_device(device)`` line runs); other devices raise at once, where PyTorch
    raises at the first tensor made.

    Args:
        device: None, ``"cpu"``, ``"cpu:N"`` or a CPU device.

    Example::

        >>> minimodel.set_default_device("cpu")
        >>> minimodel.get_default_device()
        device(type='cpu')
    """
    _Default.device = CPU if device is None else check_device(_Device(device))


def get_default_device() -> device:
    """The device :func:`set_default_device` chose: the CPU, with the index it was given.

    Example::

        >>> minimodel.get_default_device()
        device(type='cpu')
    """
    return _Default.device
