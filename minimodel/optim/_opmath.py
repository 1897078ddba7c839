"""The precision PyTorch's optimizer kernels compute in: float32 for float16 tensors.

PyTorch stores a float16 tensor in float16 but computes each kernel (``mul_``, ``addcmul_``,
``lerp_``, ``add_`` with ``alpha``...) in float32, its "opmath" type, with the kernel's Python
numbers (learning rate, betas, eps) as float32, and rounds the kernel's result to float16 once.
NumPy, left alone, rounds those numbers to float16 first (a learning rate of 1e-8 becomes 0) and
rounds after every operation. These three helpers let one update rule, written once, do either:

* :func:`scalar` gives a hyperparameter the opmath type of the array it meets, so that NumPy
  promotes the expression to float32; :func:`add_alpha` does so for the ``alpha`` of ``add``, which
  PyTorch rounds to float16 first;
* :func:`widened` does the same for an array operand whose kernel has no number in it;
* an in-place update of a float16 array (``buf *= ...``, ``np.add(..., out=buf)``) then rounds
  the float32 result once, as PyTorch's kernel does, and :func:`rounded` rounds an out-of-place
  kernel's result (a new gradient, a denominator) where PyTorch's would be a float16 tensor.

For float32 and float64 arrays each is the identity: NumPy computes in the array's own dtype,
as PyTorch does (up to its fused multiply-adds, which round once where NumPy rounds twice).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["add_alpha", "rounded", "scalar", "sqrt", "widened"]

_HALF = np.dtype(np.float16)


def scalar(value: Any, like: np.ndarray | np.generic) -> Any:
    """``value`` as PyTorch's kernels on ``like`` use it: float32 for float16 arrays."""
    return np.float32(value) if like.dtype == _HALF else value


def add_alpha(value: Any, like: np.ndarray | np.generic) -> Any:
    """The ``alpha`` of ``torch.add`` (``a + alpha * b``, one kernel) on ``like``.

    For float16, PyTorch's vectorized loop rounds ``alpha`` to float16, then computes in
    float32 and rounds once. Its scalar loop, which takes the last ``numel % 32`` elements of a
    tensor (all of a tensor under 32 elements), computes in float16 instead, rounding
    ``alpha * b`` too: minimodel follows the vectorized loop everywhere (README).
    """
    return np.float32(np.float16(value)) if like.dtype == _HALF else value


def widened(array: Any) -> Any:
    """``array`` in its kernel's compute dtype: float32 for float16, else itself."""
    return array.astype(np.float32) if array.dtype == _HALF else array


def rounded(result: Any, like: np.ndarray | np.generic) -> Any:
    """A kernel's ``result`` stored in ``like``'s dtype (rounded once, from float32)."""
    return result.astype(_HALF) if like.dtype == _HALF else result


def sqrt(array: np.ndarray) -> np.ndarray:
    """``np.sqrt(array)`` as an array even when ``array`` is 0-d (NumPy would return a scalar),
    so that the in-place kernels that follow round into its dtype instead of rebinding."""
    root = np.sqrt(array)
    return root if type(root) is np.ndarray else np.array(root)
