"""``Module``: the base class of every layer and model.

A Module registers its :class:`~minimodel.nn.Parameter` and sub-Module attributes as they are
assigned (``__setattr__``), so that :meth:`Module.parameters`, :meth:`Module.state_dict`,
``print(model)`` and friends can walk the whole tree without a hand-kept list.

Differences from PyTorch's ``torch.nn.Module`` (everything else keeps its names, defaults,
order and error messages):

* Messages name types with ``minimodel.`` where PyTorch writes ``torch.``
  (``'minimodel.FloatTensor'``, ``minimodel.nn.Parameter``, ``minimodel.Size([16, 23])``); a
  layer's class path is ``minimodel.nn.linear.Linear`` where PyTorch's is
  ``torch.nn.modules.linear.Linear``.

* No buffers, hooks or TorchScript: the methods that only exist for them are absent. Devices
  other than the CPU raise one RuntimeError (``to("cuda")``, ``cuda()``; see
  :mod:`minimodel.device`).
* :meth:`Module.load_state_dict` checks the whole state dict first and changes no weight when
  it raises; PyTorch copies every matching tensor before raising.
* ``state_dict()`` returns a plain ``OrderedDict`` without PyTorch's ``_metadata`` attribute.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import numpy as np

from .._typename import typename
from ..autograd import bump_version, no_grad
from ..device import check_device, no_gpu
from ..device import device as device_type
from ..dtype import float16, float32, float64, to_numpy_dtype
from ..tensor import Tensor
from .parameter import Parameter

__all__ = ["Module"]

T = TypeVar("T", bound="Module")


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What :meth:`Module.load_state_dict` returns: the keys it missed and the keys it skipped."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _as_assigned(value: Tensor, requires_grad: bool, dry_run: bool = False) -> Parameter:
    """What ``load_state_dict(assign=True)`` puts in place of a parameter: ``value`` itself if it
    is a Parameter (its ``requires_grad`` set to the old one's), else a Parameter of it. A dry
    run raises what that would raise, changing nothing (it works on a detached alias)."""
    target = value.detach() if dry_run else value
    if isinstance(value, Parameter):
        target.requires_grad_(requires_grad)
        return value
    return Parameter(target, requires_grad=requires_grad)


def _addindent(s_: str, num_spaces: int) -> str:
    # Indent every line but the first, leaving blank lines empty (PyTorch's layout).
    lines = s_.split("\n")
    if len(lines) == 1:
        return s_
    first = lines.pop(0)
    rest = [(num_spaces * " ") + line if line.strip() else "" for line in lines]
    return first + "\n" + "\n".join(rest)


def _forward_unimplemented(self: Module, *input: Any) -> None:
    r"""Define the computation performed at every call.

    Should be overridden by all subclasses.
    """
    raise NotImplementedError(
        f'Module [{type(self).__name__}] is missing the required "forward" function'
    )


class Module:
    r"""Base class for all neural network modules.

    Your models should also subclass this class. Modules can contain other Modules, allowing
    them to be nested in a tree structure. Assign submodules and parameters as regular
    attributes and they are registered (``TenseMLP`` below is the model the examples of the
    methods use).

    ``super().__init__()`` must be called before the first assignment of a Parameter or
    Module, since it creates the dictionaries they are registered in.

    Attributes:
        training (bool): whether this module is in training or evaluation mode.

    Example::

        >>> class TenseMLP(Module):
        ...     def __init__(self) -> None:
        ...         super().__init__()
        ...         self.fc1 = Linear(23, 16)
        ...         self.fc2 = Linear(16, 5)
        ...
        ...     def forward(self, x):
        ...         return self.fc2(self.fc1(x).relu())
        >>> model = TenseMLP()
        >>> [name for name, _ in model.named_parameters()]
        ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
    """

    training: bool
    _parameters: dict[str, Parameter | None]
    _modules: dict[str, Module | None]
    call_super_init: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.call_super_init is False and kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                f"'{next(iter(kwargs))}'"
            )
        if self.call_super_init is False and args:
            raise TypeError(
                f"{type(self).__name__}.__init__() takes 1 positional argument but "
                f"{len(args) + 1} were given"
            )
        # object.__setattr__ skips our own __setattr__, which needs these dicts to exist.
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    forward: Callable[..., Any] = _forward_unimplemented

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # ----------------------------------------------------------------- registration

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        r"""Add a parameter to the module.

        The parameter can be accessed as an attribute using the given name.

        Args:
            name (str): name of the parameter.
            param (Parameter or None): parameter to be added to the module. If ``None``, the
                name is reserved but the parameter is not included in :meth:`parameters` or
                :meth:`state_dict`.

        Example::

            >>> m = Module()
            >>> m.register_parameter("scale", Parameter(minimodel.ones(1)))
            >>> [name for name, _ in m.named_parameters()]
            ['scale']
        """
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        elif not isinstance(name, str):
            raise TypeError(f"parameter name should be a string. Got {typename(name)}")
        elif "." in name:
            raise KeyError('parameter name can\'t contain "."')
        elif name == "":
            raise KeyError('parameter name can\'t be empty string ""')
        elif hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")

        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{typename(param)}' object to parameter '{name}' "
                "(minimodel.nn.Parameter or None required)"
            )
        self._parameters[name] = param

    def add_module(self, name: str, module: Module | None) -> None:
        r"""Add a child module to the current module.

        The module can be accessed as an attribute using the given name.

        Args:
            name (str): name of the child module.
            module (Module or None): child module to be added to the module.

        Example::

            >>> net = Module()
            >>> net.add_module("hidden", Linear(2, 3))
            >>> net
            Module(
              (hidden): Linear(in_features=2, out_features=3, bias=True)
            )
        """
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{typename(module)} is not a Module subclass")
        elif not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {typename(name)}")
        elif hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        elif "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        elif name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    def register_module(self, name: str, module: Module | None) -> None:
        r"""Alias for :meth:`add_module`."""
        self.add_module(name, module)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: parameters and modules live in their dicts.
        d = self.__dict__
        if "_parameters" in d:
            params = d["_parameters"]
            if name in params:
                return params[name]
        if "_modules" in d:
            modules = d["_modules"]
            if name in modules:
                return modules[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self.__dict__.pop(name, None)
            self._modules.pop(name, None)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as parameter '{name}' "
                    "(minimodel.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        else:
            modules = self.__dict__.get("_modules")
            if isinstance(value, Module):
                if modules is None:
                    raise AttributeError("cannot assign module before Module.__init__() call")
                self.__dict__.pop(name, None)
                self._parameters.pop(name, None)
                modules[name] = value
            elif modules is not None and name in modules:
                if value is not None:
                    raise TypeError(
                        f"cannot assign '{typename(value)}' as child module '{name}' "
                        "(minimodel.nn.Module or None expected)"
                    )
                modules[name] = value
            else:
                object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        keys = dir(self.__class__) + list(self.__dict__) + list(self._parameters)
        keys += list(self._modules)
        # Drop names that are not legal Python identifiers (Sequential's "0", "1", ...).
        return sorted(key for key in keys if not key[0].isdigit())

    # ----------------------------------------------------------------- lookup

    def get_submodule(self, target: str) -> Module:
        """Return the submodule given by ``target`` (such as ``"net_b.linear"``).

        Args:
            target: the fully-qualified name of the submodule; ``""`` is the module itself.

        Raises:
            AttributeError: if a name on the path does not exist or is not a Module.

        Example::

            >>> TenseMLP().get_submodule("fc2")
            Linear(in_features=16, out_features=5, bias=True)
        """
        if target == "":
            return self
        mod: Module = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return mod

    def set_submodule(self, target: str, module: Module, strict: bool = False) -> None:
        """Set the submodule given by ``target`` (such as ``"net_b.linear"``) to ``module``.

        Args:
            target: the fully-qualified name of the submodule.
            module: the module to put there.
            strict: if ``True``, only replace an existing submodule; if ``False`` (default),
                also create a new one when its parent exists.

        Example::

            >>> model = TenseMLP()
            >>> model.set_submodule("fc2", Linear(16, 3))
            >>> model.fc2
            Linear(in_features=16, out_features=3, bias=True)
        """
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        atoms = target.split(".")
        if not isinstance(module, Module):
            raise ValueError("`" + "module" + f"` is not an nn.Module, found {type(module)}")
        parent = self if len(atoms) == 1 else self.get_submodule(".".join(atoms[:-1]))
        if strict and not hasattr(parent, atoms[-1]):
            raise AttributeError(parent._get_name() + " has no attribute `" + atoms[-1] + "`")
        if hasattr(parent, atoms[-1]) and not isinstance(getattr(parent, atoms[-1]), Module):
            raise AttributeError("`" + atoms[-1] + "` is not an nn.Module")
        setattr(parent, atoms[-1], module)

    def get_parameter(self, target: str) -> Parameter:
        """Return the parameter given by ``target`` (such as ``"fc1.weight"``).

        Raises:
            AttributeError: if the path does not exist or does not end at a Parameter.

        Example::

            >>> TenseMLP().get_parameter("fc1.bias").shape
            minimodel.Size([16])
        """
        module_path, _, param_name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, param_name):
            raise AttributeError(mod._get_name() + " has no attribute `" + param_name + "`")
        param = getattr(mod, param_name)
        if not isinstance(param, Parameter):
            raise AttributeError("`" + param_name + "` is not an nn.Parameter")
        return param

    # ----------------------------------------------------------------- iteration

    def _named_members(
        self,
        get_members_fn: Callable[[Module], Any],
        prefix: str = "",
        recurse: bool = True,
        remove_duplicate: bool = True,
    ) -> Iterator[tuple[str, Any]]:
        # Identity, not equality: tensors compare elementwise.
        memo: set[int] = set()
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for module_prefix, module in modules:
            for k, v in get_members_fn(module):
                if v is None or id(v) in memo:
                    continue
                if remove_duplicate:
                    memo.add(id(v))
                yield module_prefix + ("." if module_prefix else "") + k, v

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        r"""Return an iterator over module parameters, typically passed to an optimizer.

        Args:
            recurse (bool): if True, yield the parameters of this module and of all
                submodules; otherwise only those that are direct members of this module.

        Example::

            >>> [tuple(p.shape) for p in TenseMLP().parameters()]
            [(16, 23), (16,), (5, 16), (5,)]
        """
        for _name, param in self.named_parameters(recurse=recurse):
            yield param

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        r"""Return an iterator over module parameters, yielding both name and parameter.

        The module's own parameters come first, then those of each child in the order the
        children were assigned. A parameter shared by several modules is yielded once, under
        its first name, unless ``remove_duplicate`` is ``False``.

        Args:
            prefix (str): prefix to prepend to all parameter names.
            recurse (bool): if True, include the parameters of all submodules.
            remove_duplicate (bool): whether to yield a shared parameter only once.

        Example::

            >>> [name for name, _ in TenseMLP().named_parameters()]
            ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
        """
        yield from self._named_members(
            lambda module: module._parameters.items(),
            prefix=prefix,
            recurse=recurse,
            remove_duplicate=remove_duplicate,
        )

    def children(self) -> Iterator[Module]:
        r"""Return an iterator over immediate children modules."""
        for _name, module in self.named_children():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        r"""Return an iterator over immediate children modules, yielding name and module.

        Example::

            >>> [name for name, _ in TenseMLP().named_children()]
            ['fc1', 'fc2']
        """
        memo: set[Module] = set()
        for name, module in self._modules.items():
            if module is not None and module not in memo:
                memo.add(module)
                yield name, module

    def modules(self, remove_duplicate: bool = True) -> Iterator[Module]:
        r"""Return an iterator over all modules in the network, this one first.

        Example::

            >>> l = Linear(2, 2)
            >>> net = Sequential(l, l)
            >>> len(list(net.modules()))
            2
        """
        for _, module in self.named_modules(remove_duplicate=remove_duplicate):
            yield module

    def named_modules(
        self, memo: set[Module] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        r"""Return an iterator over all modules in the network, yielding name and module.

        Args:
            memo: a set of modules already yielded (and so skipped).
            prefix: a prefix added to the name of every module.
            remove_duplicate: whether to yield a module reachable by several paths only once.

        Example::

            >>> [name for name, _ in TenseMLP().named_modules()]
            ['', 'fc1', 'fc2']
        """
        if memo is None:
            memo = set()
        if self not in memo:
            if remove_duplicate:
                memo.add(self)
            yield prefix, self
            for name, module in self._modules.items():
                if module is None:
                    continue
                submodule_prefix = prefix + ("." if prefix else "") + name
                yield from module.named_modules(memo, submodule_prefix, remove_duplicate)

    # ----------------------------------------------------------------- modes and grads

    def train(self: T, mode: bool = True) -> T:
        r"""Set the module and all its descendants in training (or evaluation) mode.

        Only modules whose forward depends on the mode (dropout, batch norm) care.

        Args:
            mode (bool): ``True`` for training mode, ``False`` for evaluation mode.

        Returns:
            Module: self
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self: T) -> T:
        r"""Set the module in evaluation mode; the same as ``self.train(False)``.

        It does not turn off gradient recording: use :class:`minimodel.no_grad` for that.

        Returns:
            Module: self
        """
        return self.train(False)

    def requires_grad_(self: T, requires_grad: bool = True) -> T:
        r"""Set ``requires_grad`` of every parameter in this module (to freeze some layers).

        Returns:
            Module: self
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        r"""Reset the gradients of all parameters.

        Args:
            set_to_none (bool): set the grads to ``None`` (default) instead of filling them
                with zeros.
        """
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    if p.grad.grad_fn is not None:
                        p.grad.detach_()
                    else:
                        p.grad.requires_grad_(False)
                    p.grad._data.fill(0)

    def apply(self: T, fn: Callable[[Module], Any]) -> T:
        r"""Apply ``fn`` to every submodule (as returned by :meth:`children`), then to self.

        Typical use is initializing the parameters of a model.

        Args:
            fn (Module -> None): function applied to each submodule.

        Returns:
            Module: self

        Example::

            >>> def init_weights(m):
            ...     if type(m) is Linear:
            ...         init.ones_(m.weight)
            >>> net = Sequential(Linear(2, 2), Linear(2, 2)).apply(init_weights)
            >>> net[0].weight
            Parameter containing:
            tensor([[1., 1.],
                    [1., 1.]], requires_grad=True)
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ----------------------------------------------------------------- dtype

    def _cast_parameters(self: T, np_dtype: np.dtype, floating_only: bool) -> T:
        # Swap the arrays inside the existing Parameter objects, so that an optimizer holding
        # them keeps working (PyTorch does the same with ``param.data = ...``).
        for module in self.modules():
            for p in module._parameters.values():
                if p is None or (floating_only and p._data.dtype.kind != "f"):
                    continue
                p._data = p._data.astype(np_dtype, copy=False)
                if p._grad is not None:
                    p._grad._data = p._grad._data.astype(np_dtype, copy=False)
        return self

    def float(self: T) -> T:
        r"""Cast all floating point parameters to ``float32``, in place.

        Returns:
            Module: self
        """
        return self._cast_parameters(float32.np, floating_only=True)

    def double(self: T) -> T:
        r"""Cast all floating point parameters to ``float64``, in place.

        Returns:
            Module: self
        """
        return self._cast_parameters(float64.np, floating_only=True)

    def half(self: T) -> T:
        r"""Cast all floating point parameters to ``float16``, in place.

        Returns:
            Module: self
        """
        return self._cast_parameters(float16.np, floating_only=True)

    def type(self: T, dst_type: Any) -> T:
        r"""Cast all parameters to ``dst_type`` (a minimodel dtype), in place.

        Returns:
            Module: self
        """
        return self._cast_parameters(to_numpy_dtype(dst_type), floating_only=False)

    def to(self: T, *args: Any, **kwargs: Any) -> T:
        r"""Cast the floating point parameters to a dtype; devices other than the CPU fail.

        Accepts ``to(dtype)``, ``to(device)``, ``to(device, dtype)`` and the keyword forms,
        so that PyTorch code calling ``model.to(device)`` runs unchanged on the CPU. A device
        is a string, a :class:`~minimodel.device` or an index, checked as PyTorch parses it
        (``"cpu"``, ``"cpu:0"`` and ``device("cpu", 1)`` are the CPU); every other device
        raises RuntimeError, the same error as the factories and ``Tensor.to``.

        Returns:
            Module: self
        """
        device = kwargs.pop("device", None)
        dtype = kwargs.pop("dtype", None)
        kwargs.pop("non_blocking", None)
        kwargs.pop("memory_format", None)  # parameters have no layout to change
        if "copy" in kwargs:
            raise RuntimeError(".to() does not accept copy argument")
        if kwargs:
            raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
        for arg in args:
            if isinstance(arg, str | device_type | int) and not isinstance(arg, bool):
                device = arg
            elif isinstance(arg, Tensor):
                dtype = arg.dtype
            else:
                dtype = arg
        check_device(device)
        if dtype is None:
            return self
        np_dtype = to_numpy_dtype(dtype)
        if np_dtype.kind != "f":
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )
        return self._cast_parameters(np_dtype, floating_only=True)

    def cpu(self: T) -> T:
        r"""Return self: minimodel keeps everything on the CPU."""
        return self

    def cuda(self: T, device: Any = None) -> T:
        r"""Raise RuntimeError: minimodel runs on the CPU only.

        Args:
            device: the GPU PyTorch would move the parameters to.
        """
        raise no_gpu()

    # ----------------------------------------------------------------- state dicts

    def state_dict(
        self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> dict[str, Any]:
        r"""Return a dictionary of every parameter of the module, keyed by its dotted name.

        The order is that of :meth:`named_parameters` (own parameters, then each child's), but
        a parameter shared by two modules appears under both names. Parameters set to ``None``
        are left out. The tensors share their arrays with the parameters.

        Args:
            destination (dict, optional): a dict to fill and return. Default: a new
                ``OrderedDict``.
            prefix (str, optional): a prefix added to every key. Default: ``''``.
            keep_vars (bool, optional): return the Parameters themselves instead of detached
                tensors. Default: ``False``.

        Example::

            >>> list(TenseMLP().state_dict())
            ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
        """
        if args:
            warnings.warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html"
                "#torch.nn.Module.state_dict for details.",
                FutureWarning,
                stacklevel=2,
            )
            if destination is None:
                destination = args[0]
            if len(args) > 1 and prefix == "":
                prefix = args[1]
            if len(args) > 2 and keep_vars is False:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(
                    destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars
                )
        return destination

    def _check_state_dict(
        self,
        state_dict: Mapping[str, Any],
        prefix: str,
        missing_keys: list[str],
        unexpected_keys: list[str],
        error_msgs: list[str],
        copies: list[tuple[Module, str, Parameter, Tensor]],
        assign: bool = False,
    ) -> None:
        # PyTorch's _load_from_state_dict, minus the copy: it records what to copy instead.
        local_state = {k: v for k, v in self._parameters.items() if v is not None}
        for name, param in local_state.items():
            key = prefix + name
            if key not in state_dict:
                missing_keys.append(key)
                continue
            input_param = state_dict[key]
            if not isinstance(input_param, Tensor):
                error_msgs.append(
                    f'While copying the parameter named "{key}", expected minimodel.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(input_param)}"
                )
                continue
            # Backward compatibility kept by PyTorch: a 1-element 1-D tensor loads into a 0-D one.
            if param.ndim == 0 and input_param.ndim == 1 and input_param.shape[0] == 1:
                input_param = input_param[0]
            if input_param.shape != param.shape:
                error_msgs.append(
                    f"size mismatch for {key}: copying a param with shape {input_param.shape} "
                    f"from checkpoint, the shape in current model is {param.shape}."
                )
                continue
            if assign:
                # What PyTorch's assignment would raise, reported as PyTorch reports it, and
                # nothing changes.
                try:
                    _as_assigned(input_param, param.requires_grad, dry_run=True)
                except Exception as ex:  # any error of the assignment, as PyTorch catches it
                    error_msgs.append(
                        f'While copying the parameter named "{key}", whose dimensions in the model '
                        f"are {param.shape} and whose dimensions in the checkpoint are "
                        f"{input_param.shape}, an exception occurred : {ex.args}."
                    )
                    continue
            copies.append((self, name, param, input_param))
        for key in state_dict:
            if key.startswith(prefix):
                input_name = key[len(prefix) :].split(".", 1)
                # A dotted name must belong to a child; an undotted one to this module.
                if len(input_name) > 1:
                    if input_name[0] not in self._modules:
                        unexpected_keys.append(key)
                elif input_name[0] not in local_state:
                    unexpected_keys.append(key)

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> _IncompatibleKeys:
        r"""Copy parameters from ``state_dict`` into this module and its descendants.

        Values are copied into the existing Parameter objects (casting the dtype), so an
        optimizer built on ``model.parameters()`` keeps working after a load.

        Unlike PyTorch, the whole state dict is checked before anything is copied: when this
        raises, no parameter has changed. (PyTorch copies every matching tensor, then raises.)
        The error message is PyTorch's.

        Args:
            state_dict (dict): a dict of tensors, as returned by :meth:`state_dict`.
            strict (bool, optional): whether the keys of ``state_dict`` must match the keys
                returned by this module's :meth:`state_dict` exactly. Default: ``True``.
            assign (bool, optional): put the state dict's tensors themselves in the module
                (wrapped as Parameters, keeping each parameter's ``requires_grad``) instead of
                copying their values. Default: ``False``.

        Returns:
            A named tuple ``(missing_keys, unexpected_keys)`` of lists of str.

        Raises:
            RuntimeError: for a shape mismatch or a value that is not a tensor, and, if
                ``strict``, for missing or unexpected keys.

        Example::

            >>> model = TenseMLP()
            >>> model.load_state_dict(TenseMLP().state_dict())
            <All keys matched successfully>
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing_keys: list[str] = []
        unexpected_keys: list[str] = []
        error_msgs: list[str] = []
        copies: list[tuple[Module, str, Parameter, Tensor]] = []

        def check(module: Module, local_state_dict: Mapping[str, Any], prefix: str) -> None:
            module._check_state_dict(
                local_state_dict, prefix, missing_keys, unexpected_keys, error_msgs, copies, assign
            )
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    child_state_dict = {
                        k: v for k, v in local_state_dict.items() if k.startswith(child_prefix)
                    }
                    check(child, child_state_dict, child_prefix)

        check(self, OrderedDict(state_dict), "")

        if strict:
            if unexpected_keys:
                keys = ", ".join(f'"{k}"' for k in unexpected_keys)
                error_msgs.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing_keys:
                keys = ", ".join(f'"{k}"' for k in missing_keys)
                error_msgs.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if error_msgs:
            raise RuntimeError(
                "Error(s) in loading state_dict for {}:\n\t{}".format(
                    self.__class__.__name__, "\n\t".join(error_msgs)
                )
            )

        with no_grad():
            for module, name, param, input_param in copies:
                if assign:
                    setattr(module, name, _as_assigned(input_param, param.requires_grad))
                else:
                    np.copyto(
                        param._data,
                        input_param._data.reshape(param._data.shape),
                        casting="unsafe",
                    )
                    bump_version(param)  # PyTorch's param.copy_ counts as an in-place change
        return _IncompatibleKeys(missing_keys, unexpected_keys)

    # ----------------------------------------------------------------- printing

    def _get_name(self) -> str:
        return self.__class__.__name__

    def extra_repr(self) -> str:
        r"""Return the extra representation of the module, shown inside its parentheses.

        Re-implement it in your own modules; single-line and multi-line strings both work.
        """
        return ""

    def __repr__(self) -> str:
        # The extra repr is treated like the submodules: one item per line.
        extra_lines = []
        extra_repr = self.extra_repr()
        if extra_repr:
            extra_lines = extra_repr.split("\n")
        child_lines = []
        for key, module in self._modules.items():
            mod_str = _addindent(repr(module), 2)
            child_lines.append("(" + key + "): " + mod_str)
        lines = extra_lines + child_lines

        main_str = self._get_name() + "("
        if lines:
            # A single line of extra information and no children stays on one line.
            if len(extra_lines) == 1 and not child_lines:
                main_str += extra_lines[0]
            else:
                main_str += "\n  " + "\n  ".join(lines) + "\n"
        main_str += ")"
        return main_str
