"""``Tensor``: an n-dimensional array that records the operations applied to it.

The value lives in a NumPy array. The operations are methods of the mixins in ``minimodel/ops/``
that Tensor inherits (``ArithMixin``, ``PointwiseMixin``, ...), so that ``a + b``, ``a.exp()``
and ``minimodel.exp(a)`` are defined once, where type checkers and the reference see them.
"""

from __future__ import annotations

import builtins
import warnings
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from numbers import Number
from typing import Any, Literal, cast, overload

import numpy as np

from . import _backward, _overlap, _scalar, autograd
from . import dtype as _dtypes
from ._printing import tensor_repr
from .autograd import (
    Node,
    ViewOf,
    _grad_mode,
    bump_version,
    copy_slices,
    refresh_views,
    set_grad_fn,
)
from .device import CPU, check_device, device, no_gpu
from .ops import _util
from .ops import arith as _arith
from .ops import compare as _compare
from .ops import indexing as _indexing
from .ops import join as _join
from .ops import pointwise as _pointwise
from .ops import reduction as _reduction
from .ops import shape as _shape
from .ops import softmax as _softmax
from .ops.arith import ArithMixin
from .ops.compare import CompareMixin
from .ops.indexing import IndexingMixin, _overwrite
from .ops.join import JoinMixin
from .ops.pointwise import PointwiseMixin
from .ops.reduction import ReductionMixin
from .ops.shape import ShapeMixin
from .ops.softmax import SoftmaxMixin
from .size import Size

_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)


class Tensor(
    ArithMixin,
    CompareMixin,
    PointwiseMixin,
    ReductionMixin,
    ShapeMixin,
    IndexingMixin,
    JoinMixin,
    SoftmaxMixin,
):
    """A multi-dimensional array of one dtype, with reverse-mode automatic differentiation.

    Build tensors with :func:`minimodel.tensor` or the factories (``zeros``, ``randn``, ...).
    Like ``torch.Tensor(data)``, the constructor turns ``data`` into float32.

    When ``requires_grad`` is True, every operation on the tensor is recorded, and
    :meth:`backward` fills ``.grad`` of the leaf tensors with the gradient.

    Views (slices, ``view``, ``transpose``, ...) share their base's memory and version counter,
    and in-place operations write through them and are recorded as PyTorch records them (see
    ``_write``). Differences from PyTorch: arithmetic on bool tensors that PyTorch refuses (``-``,
    ``**``) is computed as NumPy does; a view made under ``no_grad`` (or by ``split``,
    ``chunk``, ``unbind``) whose memory is then changed in place raises PyTorch's error when
    ``backward`` reaches it, not as soon as it is used; the check that an in-place operand does
    not partly overlap the result compares NumPy's strides, which for dimensions of size 1 may
    differ from PyTorch's; and an in-place operation whose operand shares elements with the
    tensor it writes, where PyTorch cannot check their memory (``x[::2].add_(x[0])``), raises a
    RuntimeError: PyTorch reads elements it has already written, NumPy reads them all first.

    Example::

        >>> x = minimodel.tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> y = (x * x).sum()
        >>> y.backward()
        >>> x.grad
        tensor([2., 4., 6.])
    """

    # ``_version_counter``: ``[version, weakref to each view, ...]``, one list shared by a
    # tensor, its views and its ``detach()`` results (None until first needed: version 0).
    # ``_view``: None, or for a view an ``autograd.ViewOf``: its root base, how to make it from
    # an array of the base's shape, and how it was made.
    # A dict, so that the public fields have docstrings (``help(Tensor.grad_fn)``).
    __slots__ = {
        "__weakref__": None,
        "_data": None,
        "_grad": None,
        "_version_counter": None,
        "_view": None,
        "grad_fn": """The node of the operation that made this tensor; None for a leaf.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0], requires_grad=True)
            >>> print(x.grad_fn)
            None
            >>> (x * 2).grad_fn.name()
            'MulBackward0'
        """,
        "requires_grad": """True if operations on this tensor are recorded for backward.

        Example::

            >>> minimodel.zeros(2).requires_grad
            False
            >>> x = minimodel.zeros(2, requires_grad=True)
            >>> x.requires_grad, (x + 1).requires_grad
            (True, True)
            >>> with minimodel.no_grad():
            ...     (x + 1).requires_grad
            False
        """,
    }
    # NumPy defers to Tensor's reflected operators (``array + tensor`` is a tensor).
    __array_ufunc__ = None

    _data: np.ndarray
    _grad: Tensor | None
    _version_counter: list | None
    _view: ViewOf | None
    grad_fn: Node | None
    requires_grad: bool

    def __init__(self, *args: Any) -> None:
        if len(args) == 1 and not isinstance(args[0], int):
            data = np.array(_to_array(args[0]), dtype=np.float32)
        else:
            data = np.zeros(tuple(args[0]) if len(args) == 1 else args, dtype=np.float32)
        self._data = data
        self._grad = None
        self._version_counter = None
        self._view = None
        self.grad_fn = None
        self.requires_grad = False

    @classmethod
    def _wrap(cls, data: np.ndarray) -> Tensor:
        """A tensor around ``data`` (no copy), not requiring grad. For library code."""
        t = cls.__new__(cls)
        t._data = data
        t._grad = None
        t._version_counter = None
        t._view = None
        t.grad_fn = None
        t.requires_grad = False
        return t

    def _alias(self) -> Tensor:
        """A new tensor object with this one's value and autograd history, but its own version
        counter: what stands for the old value in the graph of an in-place operation."""
        t = Tensor._wrap(self._data)
        t.grad_fn = self.grad_fn
        t.requires_grad = self.requires_grad
        return t

    # ----------------------------------------------------------------- properties
    @property
    def shape(self) -> Size:
        """The size of each dimension, as a :class:`minimodel.Size`.

        Example::

            >>> minimodel.zeros(2, 3).shape
            minimodel.Size([2, 3])
        """
        return Size(self._data.shape)

    @property
    def dtype(self) -> _dtypes.dtype:
        """The element type, such as ``minimodel.float32``.

        Example::

            >>> minimodel.tensor([1.0, 2.0]).dtype
            minimodel.float32
            >>> minimodel.tensor([1, 2]).dtype
            minimodel.int64
        """
        return _dtypes.from_numpy_dtype(self._data.dtype)

    @property
    def ndim(self) -> int:
        """The number of dimensions.

        Example::

            >>> minimodel.zeros(2, 3).ndim
            2
        """
        return self._data.ndim

    @property
    def device(self) -> device:
        """Always the CPU (``device(type='cpu')``): minimodel runs on NumPy.

        Example::

            >>> minimodel.zeros(2).device
            device(type='cpu')
        """
        return CPU

    @property
    def is_cuda(self) -> bool:
        """False: minimodel's tensors are on the CPU.

        Example::

            >>> minimodel.zeros(2).is_cuda
            False
        """
        return False

    @property
    def is_cpu(self) -> bool:
        """True: minimodel's tensors are on the CPU.

        Example::

            >>> minimodel.zeros(2).is_cpu
            True
        """
        return True

    def get_device(self) -> int:
        """-1, PyTorch's answer for a CPU tensor (a GPU tensor would give its GPU's index).

        Example::

            >>> minimodel.zeros(2).get_device()
            -1
        """
        return -1

    @property
    def _version(self) -> int:
        """How many in-place changes this tensor's memory has had (through any view of it)."""
        counter = self._version_counter
        return 0 if counter is None else counter[0]

    @property
    def _base(self) -> Tensor | None:
        """For a view, the tensor whose memory it shows (never itself a view); else None."""
        return None if self._view is None else self._view.base

    def _is_view(self) -> bool:
        """True if this tensor is a view of another one's memory."""
        return self._view is not None

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (and for results of untracked operations).

        Example::

            >>> a = minimodel.tensor([1.0, 2.0], requires_grad=True)
            >>> a.is_leaf
            True
            >>> (a * 2).is_leaf
            False
        """
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by :meth:`backward`; None until then (and for non-leaves).

        Example::

            >>> w = minimodel.tensor([1.0, 2.0], requires_grad=True)
            >>> print(w.grad)
            None
            >>> (3 * w).sum().backward()
            >>> w.grad
            tensor([3., 3.])
        """
        if self._grad is None and self.grad_fn is not None and self.grad_fn.retained is None:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype "
                    f"'{_util.torch_dtype_name(value._data.dtype)}' to a tensor with grad_dtype "
                    f"'{_util.scalar_type_name(self._data.dtype)}'. The gradient must match the "
                    "tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
                    "tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                    "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its "
                    "gradient may break downstream systems that assume they match."
                )
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._data.shape)}' to a "
                    f"tensor of size '{list(self._data.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size"
                )
        self._grad = value

    @property
    def data(self) -> Tensor:
        """The same values as a tensor with no history; writing to it changes this tensor.

        Example::

            >>> w = minimodel.tensor([1.0, 2.0], requires_grad=True)
            >>> w.data
            tensor([1., 2.])
            >>> w.data.mul_(10)
            tensor([10., 20.])
            >>> w
            tensor([10., 20.], requires_grad=True)
        """
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = value._data

    # ------------------------------------------------------------------ queries
    def dim(self) -> int:
        """The number of dimensions.

        Example::

            >>> minimodel.zeros(2, 3).dim()
            2
        """
        return self._data.ndim

    @overload
    def size(self, dim: None = None) -> Size: ...
    @overload
    def size(self, dim: builtins.int) -> builtins.int: ...
    def size(self, dim: builtins.int | None = None) -> Size | builtins.int:
        """The shape, or the size of dimension ``dim``.

        Args:
            dim: the dimension whose size to return (negative counts from the end); all when None.

        Example::

            >>> x = minimodel.zeros(2, 3)
            >>> x.size()
            minimodel.Size([2, 3])
            >>> x.size(-1)
            3
        """
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_check_dim(dim, self._data.ndim)]

    def numel(self) -> int:
        """The number of elements.

        Example::

            >>> minimodel.zeros(2, 3).numel()
            6
        """
        return self._data.size

    def element_size(self) -> int:
        """Bytes per element.

        Example::

            >>> minimodel.zeros(2).element_size()
            4
            >>> minimodel.zeros(2, dtype=minimodel.float64).element_size()
            8
        """
        return self._data.itemsize

    def is_floating_point(self) -> bool:
        """True for float16, float32 and float64 tensors.

        Example::

            >>> minimodel.tensor([1.0]).is_floating_point()
            True
            >>> minimodel.tensor([1]).is_floating_point()
            False
        """
        return self._data.dtype.kind == "f"

    # ------------------------------------------------------------ conversions
    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number.

        Example::

            >>> minimodel.tensor([2.5]).item()
            2.5
            >>> minimodel.tensor([[1, 2]]).sum().item()
            3
        """
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists of numbers.

        Example::

            >>> minimodel.tensor([[1, 2], [3, 4]]).tolist()
            [[1, 2], [3, 4]]
        """
        return self._data.tolist()

    def numpy(self) -> np.ndarray:
        """The values as a NumPy array that shares memory with this tensor.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0])
            >>> a = x.numpy()
            >>> a
            array([1., 2.], dtype=float32)
            >>> a[0] = 5.0
            >>> x
            tensor([5., 2.])
        """
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype, copy=False)

    def detach(self) -> Tensor:
        """A tensor sharing this one's values and version counter, cut from the graph.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0], requires_grad=True)
            >>> y = (x * 2).detach()
            >>> y
            tensor([2., 4.])
            >>> y.requires_grad
            False
        """
        t = Tensor._wrap(self._data)
        t._version_counter = autograd.counter_of(self)
        return t

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph, in place.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0], requires_grad=True)
            >>> y = x * 2
            >>> y.detach_()
            tensor([2., 4.])
            >>> y.requires_grad, y.is_leaf
            (False, True)
        """
        if self._view is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self.grad_fn = None
        self.requires_grad = False
        self._views_follow()
        return self

    def clone(self) -> Tensor:
        """A copy with its own memory; gradients flow back to the original.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0], requires_grad=True)
            >>> y = x.clone()
            >>> y
            tensor([1., 2.], grad_fn=<CloneBackward0>)
            >>> (y * 3).sum().backward()
            >>> x.grad
            tensor([3., 3.])
        """
        return autograd.record(self._data.copy(), (self,), "CloneBackward0", _pass_backward, False)

    def contiguous(self) -> Tensor:
        """This tensor if its elements are laid out in row-major order, else such a copy.

        Example::

            >>> x = minimodel.tensor([[1, 2], [3, 4]]).t()
            >>> x.is_contiguous()
            False
            >>> x.contiguous().is_contiguous()
            True
        """
        if self._data.flags.c_contiguous:
            return self
        return autograd.record(
            np.ascontiguousarray(self._data), (self,), "CloneBackward0", _pass_backward, False
        )

    def is_contiguous(self) -> bool:
        """True if the elements are laid out in row-major order (see :meth:`view`).

        Example::

            >>> x = minimodel.zeros(2, 3)
            >>> x.is_contiguous()
            True
            >>> x.t().is_contiguous()
            False
        """
        return self._data.flags.c_contiguous

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """Convert to another dtype: ``t.to(minimodel.float64)``, ``t.to("cpu", dtype)``.

        A device (a string, a :class:`~minimodel.device` or an index) must name the CPU, as
        :func:`minimodel.device.check_device` checks; every other device raises RuntimeError.

        Example::

            >>> t = minimodel.tensor([1, 2])
            >>> t.to(minimodel.float64)
            tensor([1., 2.], dtype=minimodel.float64)
            >>> t.to("cpu") is t
            True
            >>> t.to(minimodel.zeros(1)).dtype
            minimodel.float32
        """
        target = kwargs.get("dtype")
        for arg in args:
            if isinstance(arg, _dtypes.dtype):
                target = arg
            elif isinstance(arg, Tensor):
                target = arg.dtype
            else:
                check_device(arg)
        check_device(kwargs.get("device"))
        if target is None or target.np == self._data.dtype:
            return self
        backward = partial(_to_backward, self._data.dtype)
        return autograd.record(
            self._data.astype(target.np), (self,), "ToCopyBackward0", backward, False
        )

    def float(self) -> Tensor:
        """Convert to float32.

        Example::

            >>> minimodel.tensor([1, 2]).float()
            tensor([1., 2.])
        """
        return self.to(_dtypes.float32)

    def double(self) -> Tensor:
        """Convert to float64.

        Example::

            >>> minimodel.tensor([1, 2]).double()
            tensor([1., 2.], dtype=minimodel.float64)
        """
        return self.to(_dtypes.float64)

    def long(self) -> Tensor:
        """Convert to int64.

        Example::

            >>> minimodel.tensor([1.7, -2.7]).long()
            tensor([ 1, -2])
        """
        return self.to(_dtypes.int64)

    def int(self) -> Tensor:
        """Convert to int32.

        Example::

            >>> minimodel.tensor([1.7, -2.7]).int()
            tensor([ 1, -2], dtype=minimodel.int32)
        """
        return self.to(_dtypes.int32)

    def bool(self) -> Tensor:
        """Convert to bool.

        Example::

            >>> minimodel.tensor([0.0, 2.0]).bool()
            tensor([False,  True])
        """
        return self.to(_dtypes.bool)

    def cpu(self) -> Tensor:
        """This tensor: minimodel runs on the CPU only.

        Example::

            >>> x = minimodel.zeros(2)
            >>> x.cpu() is x
            True
        """
        return self

    def cuda(self, device: Any = None, non_blocking: builtins.bool = False) -> Tensor:
        """Raise RuntimeError: minimodel runs on the CPU only.

        Args:
            device: the GPU PyTorch would copy to.
            non_blocking: PyTorch's asynchronous-copy flag.

        Example::

            >>> minimodel.zeros(2).cuda()
            Traceback (most recent call last):
                ...
            RuntimeError: minimodel runs on the CPU only, got device 'cuda'
        """
        raise no_gpu()

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor converted to ``other``'s dtype.

        Example::

            >>> minimodel.tensor([1, 2]).type_as(minimodel.zeros(1))
            tensor([1., 2.])
        """
        return self.to(other.dtype)

    # ---------------------------------------------------------------- new tensors
    def new_full(
        self,
        size: Sequence[builtins.int],
        fill_value: builtins.float,
        *,
        dtype: _dtypes.dtype | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """A tensor of ``size`` filled with ``fill_value``, of this tensor's dtype by default.

        Example::

            >>> minimodel.tensor([1, 2]).new_full((2,), 7)
            tensor([7, 7])
        """
        return self._new(tuple(size), fill_value, dtype, device, requires_grad)

    def new_zeros(
        self,
        *size: builtins.int | Sequence[builtins.int],
        dtype: _dtypes.dtype | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """A tensor of zeros of ``size``, of this tensor's dtype by default.

        Example::

            >>> minimodel.tensor([1.5]).new_zeros(2, 2)
            tensor([[0., 0.],
                    [0., 0.]])
        """
        return self._new(_sizes(size), 0, dtype, device, requires_grad)

    def new_ones(
        self,
        *size: builtins.int | Sequence[builtins.int],
        dtype: _dtypes.dtype | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """A tensor of ones of ``size``, of this tensor's dtype by default.

        Example::

            >>> minimodel.tensor([1, 2]).new_ones(3)
            tensor([1, 1, 1])
        """
        return self._new(_sizes(size), 1, dtype, device, requires_grad)

    def new_empty(
        self,
        *size: builtins.int | Sequence[builtins.int],
        dtype: _dtypes.dtype | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """An uninitialized tensor of ``size`` (minimodel fills it with zeros), of this tensor's
        dtype by default.

        Example::

            >>> minimodel.zeros(1).new_empty(2).shape
            minimodel.Size([2])
        """
        return self._new(_sizes(size), 0, dtype, device, requires_grad)

    def new_tensor(
        self,
        data: Any,
        *,
        dtype: _dtypes.dtype | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """A tensor of ``data`` (copied), of this tensor's dtype by default.

        Example::

            >>> minimodel.zeros(1, dtype=minimodel.float64).new_tensor([1, 2]).dtype
            minimodel.float64
        """
        from .creation import tensor

        check_device(device)
        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def _new(
        self,
        size: tuple[builtins.int, ...],
        fill: builtins.float,
        dtype: _dtypes.dtype | None,
        device: Any,
        requires_grad: builtins.bool,
    ) -> Tensor:
        from .creation import full  # creation builds on this module

        check_device(device)
        return full(size, fill, dtype=dtype or self.dtype, requires_grad=requires_grad)

    # ---------------------------------------------------------------- autograd
    def requires_grad_(self, requires_grad: builtins.bool = True) -> Tensor:
        """Turn gradient recording for this leaf tensor on or off, in place.

        Args:
            requires_grad: whether operations on this tensor are recorded for backward.

        Example::

            >>> w = minimodel.zeros(2)
            >>> w.requires_grad
            False
            >>> w.requires_grad_()
            tensor([0., 0.], requires_grad=True)
        """
        if not isinstance(requires_grad, builtins.bool):
            kind = type(requires_grad)
            name = (
                kind.__name__
                if kind.__module__ == "builtins"
                else f"{kind.__module__}.{kind.__name__}"
            )
            raise TypeError(
                f"requires_grad_(): argument 'requires_grad' (position 1) must be bool, not {name}"
            )
        if self.grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        flag = builtins.bool(requires_grad)
        view = self._view
        if view is None:
            self.requires_grad = flag
        else:
            # A view of its own: its gradient is kept in .grad. It still requires grad while
            # its base does, as PyTorch's views do.
            view.leaf = flag
            self.requires_grad = flag or view.base.requires_grad
        self._views_follow()
        return self

    def _views_follow(self) -> None:
        """After ``requires_grad`` changed: the views of this tensor without a grad_fn that are
        no leaves of their own require grad as it does (PyTorch asks the base each time); those
        made before an in-place change of the memory take a grad_fn from it."""
        counter = self._version_counter
        if counter is None or len(counter) == 1:
            return
        for ref in counter[1:]:
            v = ref()
            if v is not None and v._view.base is self and v.grad_fn is None:
                v.requires_grad = self.requires_grad or v._view.leaf
                if v._view.version != counter[0]:
                    autograd.refresh_view(v, counter[0])

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor during :meth:`backward`.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0], requires_grad=True)
            >>> y = x * x
            >>> y.retain_grad()
            >>> y.sum().backward()
            >>> y.grad
            tensor([1., 1.])
        """
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self.grad_fn.retained = self

    @property
    def retains_grad(self) -> builtins.bool:
        """True if :meth:`retain_grad` was called on this non-leaf tensor.

        Example::

            >>> y = minimodel.tensor([1.0], requires_grad=True) * 2
            >>> y.retains_grad
            False
            >>> y.retain_grad()
            >>> y.retains_grad
            True
        """
        return self.grad_fn is not None and self.grad_fn.retained is self

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: builtins.bool | None = None,
        create_graph: builtins.bool = False,
        inputs: Tensor | Sequence[Tensor] | dict[str, Tensor] | None = None,
    ) -> None:
        """Compute the gradient of this tensor w.r.t. the graph leaves; add it to their ``.grad``.

        Args:
            gradient: the gradient w.r.t. this tensor; may be omitted only for a one-element tensor.
            retain_graph: keep the graph so that ``backward`` can go through it again; by default
                the operations that saved tensors are freed, as in PyTorch.
            create_graph: not supported (no higher-order gradients).
            inputs: the tensors whose ``.grad`` takes the gradient, instead of every leaf (see
                :func:`minimodel.autograd.backward`).

        Gradients accumulate: call ``zero_grad()`` (or set ``.grad = None``) between steps.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0, 3.0], requires_grad=True)
            >>> (x ** 2).sum().backward()
            >>> x.grad
            tensor([2., 4., 6.])
            >>> (2 * x).backward(minimodel.tensor([1.0, 0.0, 1.0]))
            >>> x.grad
            tensor([4., 4., 8.])
        """
        _backward.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # ------------------------------------------------------------ in-place ops
    def _write(
        self,
        compute: Any,
        other: Any = None,
        casting: Literal["same_kind", "unsafe"] = "same_kind",
        expand: builtins.bool = False,
        overlap: builtins.bool = True,
        write: Callable[[np.ndarray, np.ndarray], None] | None = None,
    ) -> Tensor:
        """Run an in-place operation: write ``compute(old)``, its out-of-place result, into memory.

        ``compute`` gets a tensor standing for the old value (a private copy when the operation
        is recorded, as the operation may save it) and returns the result, recorded as usual;
        ``other`` is the operation's other operand, if any (``expand``: broadcast to this tensor's
        shape first, as ``__setitem__`` does, before their memory is compared). ``overlap``:
        check the memory written as PyTorch's element-wise operations do (see
        :mod:`minimodel._overlap`); False for an operation that writes one number everywhere
        (``zero_``, ``fill_``), which PyTorch allows on an expand, and for the operations that
        check by rules of their own (``index_put_``, ``masked_fill_``). Those that write into an
        expand give ``write(memory, result)``: their own writes into such memory, in their order
        (copying every element of the result would leave the last copy of each repeated
        element). The result is
        copied into this tensor's memory, so its base and every view of it see the change, and
        the shared version counter goes up. When recorded, this tensor takes the result's
        ``grad_fn``; if it is a view, its base gets a ``CopySlices`` node and the view an
        ``AsStridedBackward0`` from the base, as in PyTorch (and so do the other views of that
        base).
        """
        view = self._view
        recorded = _grad_mode.enabled and (
            self.requires_grad or (isinstance(other, Tensor) and other.requires_grad)
        )
        if recorded:
            _check_recordable(self, view)
        if overlap:
            src = other._data if isinstance(other, Tensor) else None
            _overlap.check(self._data, src, expand, casting == "unsafe")
        if recorded:
            old = self._alias()
            old._data = self._data.copy()
            result = compute(old)
        else:
            result = compute(Tensor._wrap(self._data))
        data = result._data
        if data.shape != self._data.shape:
            raise _shape_error(self._data.shape, data.shape)
        if casting == "same_kind":
            _check_cast(data.dtype, self._data.dtype)
        if write is not None and _overlap.repeats(self._data):
            write(self._data, data)
        else:
            # PyTorch's casting rules were checked above; NumPy's "same_kind" refuses more
            # (int16 into uint8).
            np.copyto(self._data, data, casting="unsafe")
        counter = autograd.counter_of(self)
        counter[0] += 1
        if not recorded:
            if len(counter) > 1:
                refresh_views(counter)
            return self
        node = result.grad_fn
        versions = node.versions
        if versions:  # what the node saved of its result is now this memory, at this version
            node.versions = tuple(
                x
                for i in range(0, len(versions), 3)
                for x in (
                    (self._data, counter, counter[0])
                    if versions[i] is data
                    else versions[i : i + 3]
                )
            )
        if view is None:
            base = self
            set_grad_fn(self, node)
        else:
            base = view.base
            set_grad_fn(base, copy_slices(base, view.replay, node))
        base.requires_grad = True
        refresh_views(counter)
        return self

    def _inplace(self, other: Any, op: Any, ufunc: Callable[..., Any]) -> Tensor:
        """``self = op(self, other)`` in place; ``ufunc`` does it without a copy when no
        gradient is recorded."""
        if _grad_mode.enabled and (
            self.requires_grad or (isinstance(other, Tensor) and other.requires_grad)
        ):
            return self._write(lambda old: op(old, other), other)
        b = other._data if isinstance(other, Tensor) else other
        _overlap.check(self._data, b if isinstance(other, Tensor) else None)
        b_shape = b.shape if isinstance(b, np.ndarray) else ()
        if b_shape != self._data.shape:  # PyTorch checks the shapes before the dtypes
            try:
                shape = np.broadcast_shapes(self._data.shape, b_shape)
            except ValueError:
                raise _arith._broadcast_error(self._data.shape, b_shape) from None
            if shape != self._data.shape:
                raise RuntimeError(
                    f"output with shape {list(self._data.shape)} doesn't match the broadcast "
                    f"shape {list(shape)}"
                )
        result_dtype = _util.result_type(self._data, b)
        if ufunc is np.true_divide and result_dtype.kind != "f":
            result_dtype = np.dtype(np.float32)
        _check_cast(result_dtype, self._data.dtype)
        operand = _util.wrap_int(self._data, b)
        try:
            if isinstance(ufunc, np.ufunc) and not (
                type(operand) is np.ndarray and operand.dtype is self._data.dtype
            ):
                # Computed in PyTorch's dtype, then stored: "unsafe", as integers of another sign
                # or width wrap around in PyTorch.
                out = _util.compute_promoted(ufunc, self._data, operand)[0]
                np.copyto(self._data, out, casting="unsafe")
            else:
                ufunc(self._data, operand, out=self._data, casting="unsafe")
        except ValueError:
            raise _shape_error(self._data.shape, np.shape(b)) from None
        bump_version(self)
        return self

    def zero_(self) -> Tensor:
        """Set every element to 0, in place.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0])
            >>> x.zero_()
            tensor([0., 0.])
        """
        return self._write(
            lambda old: _overwrite(old, np.zeros_like(old._data), "ZeroBackward0"), overlap=False
        )

    def fill_(self, value: builtins.float | Tensor) -> Tensor:
        """Set every element to ``value`` (a number or a 0-d tensor), in place.

        Args:
            value: the number (or 0-d tensor) written to every element.

        Example::

            >>> x = minimodel.zeros(3, dtype=minimodel.int64)
            >>> x.fill_(7)
            tensor([7, 7, 7])
        """
        if not isinstance(value, Tensor):
            # PyTorch's checks of a Python number (300 does not fit int8); float16 is checked
            # unless one element is filled.
            number = _scalar.fill(value, self._data.dtype, self._data.size != 1)
            return self._write(
                lambda old: _overwrite(old, np.full_like(old._data, number), "FillBackward2"),
                casting="unsafe",
                overlap=False,
            )
        if value._data.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )

        def fill(old: Tensor) -> Tensor:
            # PyTorch copies a value that shares this tensor's memory before it fills: only an
            # expand, which it copies into, is refused.
            _overlap.check_repeats(self._data)
            return _overwrite(old, np.full_like(old._data, value._data), "FillBackward3", value)

        return self._write(fill, value, "unsafe", overlap=False)

    def copy_(self, src: Tensor) -> Tensor:
        """Copy ``src``'s values (broadcast to this shape) into this tensor, in place.

        Args:
            src: the tensor (or array-like) to copy from; converted to this tensor's dtype.

        Example::

            >>> x = minimodel.zeros(2, 2)
            >>> x.copy_(minimodel.tensor([1.0, 2.0]))
            tensor([[1., 2.],
                    [1., 2.]])
        """
        if not isinstance(src, Tensor):
            src = Tensor._wrap(np.asarray(src))

        def compute(old: Tensor) -> Tensor:
            try:
                data = np.broadcast_to(src._data, old._data.shape).astype(old._data.dtype)
            except ValueError:
                raise _shape_error(old._data.shape, src._data.shape) from None
            return _overwrite(old, data, "torch::autograd::CopyBackwards", src)

        return self._write(compute, src, "unsafe")

    def uniform_(self, a: builtins.float = 0.0, b: builtins.float = 1.0) -> Tensor:
        """Fill with numbers drawn uniformly from ``[a, b)``, in place.

        Args:
            a: the lower bound.
            b: the upper bound (excluded).

        Example::

            >>> _ = minimodel.manual_seed(0)
            >>> x = minimodel.empty(1000).uniform_(-2.0, 3.0)
            >>> bool((x >= -2.0).all() and (x < 3.0).all())
            True
        """
        from .random import check_uniform_bounds, generator

        check_uniform_bounds(a, b, self._data.dtype)
        return self._write(
            lambda old: _overwrite(
                old, generator().uniform(a, b, old._data.shape), "UniformBackward0"
            ),
            casting="unsafe",
        )

    def normal_(self, mean: builtins.float = 0.0, std: builtins.float = 1.0) -> Tensor:
        """Fill with numbers drawn from a normal distribution, in place.

        Args:
            mean: the mean of the distribution.
            std: its standard deviation (not negative).

        Example::

            >>> _ = minimodel.manual_seed(0)
            >>> x = minimodel.empty(10000).normal_(mean=5.0, std=0.1)
            >>> bool(abs(x.mean() - 5.0) < 0.01 and abs(x.std() - 0.1) < 0.01)
            True
        """
        from .random import check_normal_std, generator

        check_normal_std(std, self._data)
        return self._write(
            lambda old: _overwrite(
                old, generator().normal(mean, std, old._data.shape), "NormalBackward0"
            ),
            casting="unsafe",
        )

    # ------------------------------------------------------------ python protocol
    def __repr__(self) -> str:
        return tensor_repr(self)

    def __len__(self) -> builtins.int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __contains__(self, element: Any) -> builtins.bool:
        if isinstance(element, Tensor | Number):
            # eq takes any number (numbers.Number is wider than its annotation says).
            return builtins.bool(self.eq(cast(Any, element)).any().item())
        raise RuntimeError(
            "Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
            f"{type(element)}."
        )

    def __bool__(self) -> builtins.bool:
        if self._data.size != 1:
            amount = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
        return bool(self._data.item())

    def __float__(self) -> builtins.float:
        return float(self._scalar())

    def __int__(self) -> builtins.int:
        return int(self._scalar())

    def _scalar(self) -> builtins.float | builtins.int | builtins.bool:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.item()

    def __index__(self) -> builtins.int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        return format(repr(self), spec)

    def __hash__(self) -> builtins.int:
        return id(self)

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError(
            "minimodel tensors are not pickled; use minimodel.save / minimodel.load on state dicts"
        )

    def __deepcopy__(self, memo: dict) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                "because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        new = type(self).__new__(type(self))
        new._data = self._data.copy()
        new._version_counter = None
        new._view = None
        new._grad = None if self._grad is None else Tensor._wrap(self._grad._data.copy())
        new.grad_fn = None
        new.requires_grad = self.requires_grad
        memo[id(self)] = new
        return new


def _check_recordable(t: Tensor, view: ViewOf | None) -> None:
    """PyTorch's errors for in-place operations that autograd cannot record."""
    if view is not None and view.creation is not autograd.DEFAULT:
        raise RuntimeError(autograd.view_error(view, "is being"))
    base = t if view is None else view.base
    if t.requires_grad and base.grad_fn is None:
        raise RuntimeError(
            ("" if view is None else "a view of ")
            + "a leaf Variable that requires grad is being used in an in-place operation."
        )


def _shape_error(shape: tuple[int, ...], other: tuple[int, ...]) -> RuntimeError:
    """PyTorch's error for an in-place operation whose operand does not fit its tensor."""
    try:
        joint = np.broadcast_shapes(shape, other)
    except ValueError:
        return _arith._broadcast_error(shape, other)
    return RuntimeError(
        f"output with shape {list(shape)} doesn't match the broadcast shape {list(joint)}"
    )


def _check_cast(result: np.dtype, out: np.dtype) -> None:
    if not _util.can_cast(result, out):
        raise RuntimeError(
            f"result type {_util.scalar_type_name(result)} can't be cast to the desired "
            f"output type {_util.scalar_type_name(out)}"
        )


def _pass_backward(g: np.ndarray) -> tuple[np.ndarray]:
    # The derivative of a copy (clone, contiguous).
    return (g,)


def _to_backward(dtype: np.dtype, g: np.ndarray) -> tuple[np.ndarray]:
    # The derivative of a cast: the gradient cast back.
    return (g.astype(dtype),)


def _sizes(size: tuple[Any, ...]) -> tuple[int, ...]:
    """``new_zeros(2, 3)`` and ``new_zeros((2, 3))`` alike."""
    return tuple(size[0]) if len(size) == 1 and isinstance(size[0], tuple | list) else size


def _to_array(data: Any) -> Any:
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, list | tuple) and any(isinstance(x, Tensor) for x in data):
        return [_to_array(x) for x in data]
    return data


def _check_dim(dim: int, ndim: int) -> int:
    return _util.check_dim(dim, ndim)


# NumPy warns about overflow, division by zero and invalid values (exp(1000), 1 / 0, log(-1));
# PyTorch quietly gives inf or nan. Silence those warnings for minimodel's own computations only.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minimodel(\.|$)")


# The operation modules name Tensor at run time (isinstance, Tensor._wrap) but cannot import it:
# Tensor inherits their mixins, so they are imported first and given the class here.
autograd._tensor_class = Tensor
for _module in (
    _util,
    _arith,
    _compare,
    _indexing,
    _join,
    _pointwise,
    _reduction,
    _shape,
    _softmax,
):
    setattr(_module, "Tensor", Tensor)  # noqa: B010 (a module global, not an attribute)
