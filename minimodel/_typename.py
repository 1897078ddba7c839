"""``typename``: the type names PyTorch prints in its error messages, with ``minimodel.``."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor

# PyTorch names a tensor by its legacy type ("torch.FloatTensor") in some messages.
_LEGACY_TENSOR_NAMES = {
    np.dtype(np.float32): "FloatTensor",
    np.dtype(np.float64): "DoubleTensor",
    np.dtype(np.float16): "HalfTensor",
    np.dtype(np.int64): "LongTensor",
    np.dtype(np.int32): "IntTensor",
    np.dtype(np.int16): "ShortTensor",
    np.dtype(np.int8): "CharTensor",
    np.dtype(np.uint8): "ByteTensor",
    np.dtype(np.bool_): "BoolTensor",
}


def typename(obj: object) -> str:
    """Return what ``torch.typename(obj)`` returns, with ``minimodel.`` in place of ``torch.``.

    Example::

        >>> typename(minimodel.zeros(2)), typename(3), typename(np.zeros(2))
        ('minimodel.FloatTensor', 'int', 'numpy.ndarray')
    """
    if isinstance(obj, Tensor):
        return "minimodel." + _LEGACY_TENSOR_NAMES.get(obj._data.dtype, "Tensor")
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = type(obj).__module__ or ""
        qualname = type(obj).__qualname__
    if module in ("", "builtins"):
        return qualname
    return f"{module}.{qualname}"
