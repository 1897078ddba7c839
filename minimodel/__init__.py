"""minimodel: a small deep-learning framework on NumPy whose API follows PyTorch's.

Example::

    >>> import minimodel as mm
    >>> x = mm.tensor([1.0, 2.0], requires_grad=True)
    >>> (x ** 2).sum().backward()
    >>> x.grad
    tensor([2., 4.])
"""

from . import dtype as _dtype_module
from ._anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled
from ._functions_more import *  # noqa: F403
from ._functions_more import __all__ as _more_function_names
from ._numpy_warnings import silence_numpy_warnings
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .device import device, get_default_device, set_default_device
from .dtype import (
    bool,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    uint8,
)
from .functions import *  # noqa: F403
from .functions import __all__ as _function_names
from .generator import Generator
from .random import initial_seed, manual_seed
from .serialization import SerializationError, load, save
from .size import Size
from .tensor import Tensor

# Imported last: these subpackages build on everything above.
from . import autograd, cuda, nn, optim  # isort: skip
from . import utils  # isort: skip

__version__ = "0.1.0"

__all__ = [
    "Generator",
    "SerializationError",
    "Size",
    "Tensor",
    "arange",
    "as_tensor",
    "autograd",
    "bool",
    "cuda",
    "device",
    "double",
    "dtype",
    "empty",
    "empty_like",
    "enable_grad",
    "eye",
    "float",
    "float16",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "full_like",
    "get_default_device",
    "half",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "linspace",
    "load",
    "long",
    "initial_seed",
    "manual_seed",
    "nn",
    "no_grad",
    "ones",
    "ones_like",
    "optim",
    "rand",
    "randint",
    "randn",
    "randperm",
    "save",
    "set_default_device",
    "set_grad_enabled",
    "tensor",
    "uint8",
    "utils",
    "zeros",
    "zeros_like",
    *_function_names,
    *_more_function_names,
]

del _dtype_module

silence_numpy_warnings()
