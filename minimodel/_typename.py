"""``typename``: the type names PyTorch prints in its error messages, with ``minimodel.``."""

from __future__ import annotations

from .dtype import legacy_tensor_type
from .tensor import Tensor


def typename(obj: object) -> str:
    """Return what ``torch.typename(obj)`` returns, with ``minimodel.`` in place of ``torch.``.

    Example::

        >>> typename(minimodel.zeros(2)), typename(3), typename(np.zeros(2))
        ('minimodel.FloatTensor', 'int', 'numpy.ndarray')
    """
    if isinstance(obj, Tensor):
        # PyTorch names a tensor by its legacy type ("torch.FloatTensor").
        return "minimodel." + legacy_tensor_type(obj._data.dtype)
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
