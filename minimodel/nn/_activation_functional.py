"""The functional activations ``leaky_relu``, ``gelu``, ``softplus`` and ``dropout``.

Each is one operation with its derivative written next to it; :mod:`minimodel.nn.functional`
exposes them. Like PyTorch, they refuse integer tensors.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from ..autograd import record
from ..dtype import scalar_type_name
from ..ops._util import accumulated
from ..random import generator
from ..tensor import Tensor

__all__ = ["dropout", "gelu", "leaky_relu", "softplus"]


def _require_float(input: Tensor, kernel: str) -> np.ndarray:
    x = input._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(x.dtype)}'")
    return x


def _write_in_place(input: Tensor, out: Tensor) -> Tensor:
    """Make ``input`` hold ``out`` (values and history), as PyTorch's in-place activations do:
    through :meth:`Tensor._write`, so views of ``input`` and its version counter see the change."""
    return input._write(lambda old: out)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    r"""Apply ``max(0, x) + negative_slope * min(0, x)`` elementwise.

    Args:
        input: a floating-point tensor.
        negative_slope: the slope for negative inputs. Default: 0.01.
        inplace: overwrite ``input`` with the result (and return it).

    Example::

        >>> F.leaky_relu(minimodel.tensor([-2.0, 3.0]), 0.1)
        tensor([-0.2000,  3.0000])
    """
    x = _require_float(input, "leaky_relu_cpu")
    slope = x.dtype.type(negative_slope)
    positive = x > 0
    out = np.where(positive, x, x * slope)
    # PyTorch names the in-place version's node LeakyReluBackward1.
    name = "LeakyReluBackward1" if inplace else "LeakyReluBackward0"
    # Its backward reads a mask of its own, never the input: changing the input later is fine.
    backward = partial(_leaky_relu_backward, inplace, positive, slope)
    result = record(out, (input,), name, backward, ())
    return _write_in_place(input, result) if inplace else result


def _leaky_relu_backward(
    inplace: bool, positive: np.ndarray, slope: np.floating, g: np.ndarray
) -> tuple[np.ndarray]:
    if inplace and slope < 0:
        # PyTorch's in-place backward reads the result, whose sign a negative slope flipped.
        raise RuntimeError(
            "In-place leakyReLu backward calculation is triggered with a negative slope which is "
            "not supported. This is caused by calling in-place forward function with a negative "
            "slope, please call out-of-place version instead. File an issue at "
            "https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu "
            "backward calculation with negative slope"
        )
    # The slope at 0 is negative_slope, as in PyTorch (x > 0 picks the identity).
    return (np.where(positive, g, g * slope),)


_SQRT_HALF = 1 / math.sqrt(2)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_erf = np.vectorize(math.erf, otypes=[np.float64])


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Apply the Gaussian Error Linear Unit ``x * Phi(x)`` elementwise.

    With ``approximate='none'``, ``Phi`` is the normal distribution's CDF,
    ``0.5 * (1 + erf(x / sqrt(2)))`` (computed with :func:`math.erf` in float64, element by
    element: exact, and slower than the rest of minimodel's elementwise functions). With
    ``approximate='tanh'``: ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))``.

    Difference from PyTorch: its float32 kernel approximates ``erf`` (a few 1e-7 off), so the
    two agree to about 2e-6 there; in the far negative tail PyTorch's result is that
    approximation's error (0 below -5.54), minimodel's the true value.

    Args:
        input: a floating-point tensor.
        approximate: ``'none'`` (default) or ``'tanh'``.

    Example::

        >>> F.gelu(minimodel.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.0000,  0.8413])
        >>> F.gelu(minimodel.tensor([1.0]), approximate="tanh")
        tensor([0.8412])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    x = _require_float(input, "GeluKernelImpl")
    x64 = x.astype(np.float64)
    if approximate == "none":
        # phi: the normal distribution's CDF at x.
        phi = 0.5 * (1 + _erf(x64 * _SQRT_HALF))
        out = x64 * phi
        if x.dtype == np.float32 and x.size > 1 and input.is_contiguous():
            # PyTorch's vectorized float32 loop (contiguous, more than one element) approximates
            # erf, and its approximation is NaN at +inf; its one-element loop gives inf.
            out = np.where(np.isposinf(x64), np.nan, out)
    else:
        # phi: the tanh of the approximation's inner term.
        inner = _SQRT_2_OVER_PI * (x64 + 0.044715 * x64**3)
        phi = np.tanh(inner)
        out = 0.5 * x64 * (1 + phi)
    backward = partial(_gelu_backward, x, x64, phi, approximate)
    return record(out.astype(x.dtype), (input,), "GeluBackward0", backward)


def _gelu_backward(
    x: np.ndarray, x64: np.ndarray, phi: np.ndarray, approximate: str, g: np.ndarray
) -> tuple[np.ndarray]:
    if approximate == "none":
        derivative = phi + x64 * np.exp(-0.5 * x64 * x64) * _INV_SQRT_2PI
    else:
        d_inner = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x64 * x64)
        derivative = 0.5 * (1 + phi) + 0.5 * x64 * (1 - phi * phi) * d_inner
    return ((g * derivative).astype(x.dtype),)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""Apply ``log(1 + exp(beta * x)) / beta`` elementwise; ``x`` itself where
    ``beta * x > threshold`` (for numerical stability).

    Args:
        input: a floating-point tensor.
        beta: the ``beta`` of the formula. Default: 1.
        threshold: above it (``beta * x``) the function is the identity. Default: 20.

    Example::

        >>> F.softplus(minimodel.tensor([0.0, 30.0]))
        tensor([ 0.6931, 30.0000])
    """
    x = _require_float(input, "softplus_cpu")
    # float16 in float32, rounded once, as PyTorch's kernel: exp(20) overflows float16.
    xa = accumulated(x)
    beta_ = xa.dtype.type(beta)
    scaled = xa * beta_
    linear = scaled > threshold
    out = np.where(linear, xa, np.log1p(np.exp(scaled)) / beta_).astype(x.dtype, copy=False)
    backward = partial(_softplus_backward, scaled, linear)
    return record(out, (input,), "SoftplusBackward0", backward)


def _softplus_backward(scaled: np.ndarray, linear: np.ndarray, g: np.ndarray) -> tuple[np.ndarray]:
    z = np.exp(scaled)
    ga = accumulated(g)
    return (np.where(linear, ga, ga * z / (z + 1)).astype(g.dtype, copy=False),)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    r"""Zero each element with probability ``p``, and scale the others by ``1 / (1 - p)``.

    The mask is drawn from minimodel's global generator (see :func:`minimodel.manual_seed`), so
    it differs from PyTorch's for the same seed. Outside training (``training=False``), and for
    ``p = 0``, the input itself is returned.

    Args:
        input: a floating-point tensor.
        p: the probability of zeroing an element. Default: 0.5.
        training: apply dropout only if True. Default: True.
        inplace: overwrite ``input`` with the result (and return it).

    Example::

        >>> _ = minimodel.manual_seed(0)
        >>> y = F.dropout(minimodel.ones(1000), p=0.2)
        >>> sorted(set(y.tolist()))
        [0.0, 1.25]
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0 or input.numel() == 0:
        return input
    x = input._data
    if x.dtype.kind != "f" and p < 1:  # p = 1 is a product by 0, of any dtype
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type "
            f"{scalar_type_name(x.dtype)}"
        )
    # PyTorch draws a keep-mask with probability 1 - p and divides it by 1 - p in the input's
    # dtype; the product with that noise is the result (MulBackward0).
    if p == 1:  # no mask drawn: PyTorch multiplies by a 0-d zero
        noise = np.zeros((), x.dtype)
    else:
        noise = (generator().random(x.shape) < 1 - p).astype(x.dtype)
        noise /= x.dtype.type(1 - p)
    out = x * noise
    result = record(out, (input,), "MulBackward0", partial(_dropout_backward, noise), ())
    return _write_in_place(input, result) if inplace else result


def _dropout_backward(noise: np.ndarray, g: np.ndarray) -> tuple[np.ndarray]:
    return (g * noise,)
