"""Containers: ``Sequential`` (modules called in order), ``ModuleList`` and ``ModuleDict``
(registered lists and dicts of modules), ``ParameterList`` and ``ParameterDict``."""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from itertools import chain, islice
from typing import Any, Protocol, TypeVar, cast, overload

from ..dtype import legacy_tensor_type
from ..tensor import Tensor
from .module import Module, _addindent
from .parameter import Parameter

__all__ = ["ModuleDict", "ModuleList", "ParameterDict", "ParameterList", "Sequential"]

_V = TypeVar("_V")


def _absolute_index(idx: int, size: int) -> int:
    """``idx``, possibly negative, as a position in ``range(size)``; PyTorch's IndexError if out."""
    idx = operator.index(idx)  # any integer-like (NumPy ints too), but not floats or slices
    if not -size <= idx < size:
        raise IndexError(f"index {idx} is out of range")
    return idx % size


def _renumber(module: Module) -> None:
    # After a deletion the keys run "0", "1", ... again, as in PyTorch.
    str_indices = [str(i) for i in range(len(module._modules))]
    object.__setattr__(
        module, "_modules", OrderedDict(zip(str_indices, module._modules.values(), strict=True))
    )


class Sequential(Module):
    r"""A sequential container: its modules are called in order, each on the previous output.

    Modules are passed to the constructor in order, or as an ``OrderedDict`` of named modules.
    Indexing with an int gives a module (negative ints count from the end); slicing gives a new
    Sequential holding the same modules under their original names.

    Example::

        >>> model = Sequential(Linear(3, 1), Flatten(0, 1))
        >>> model
        Sequential(
          (0): Linear(in_features=3, out_features=1, bias=True)
          (1): Flatten(start_dim=0, end_dim=1)
        )
        >>> model[-1]
        Flatten(start_dim=0, end_dim=1)
    """

    # Never None here, unlike a Module's children (a mutable attribute may not narrow its type).
    _modules: dict[str, Module]  # type: ignore[assignment]

    @overload
    def __init__(self, *args: Module) -> None: ...

    @overload
    def __init__(self, arg: OrderedDict[str, Module], /) -> None: ...

    def __init__(self, *args: Any) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for idx, module in enumerate(args):
                self.add_module(str(idx), module)

    def _get_item_by_idx(self, iterator: Iterable[_V], idx: int) -> _V:
        return next(islice(iterator, _absolute_index(idx, len(self)), None))

    @overload
    def __getitem__(self, idx: slice) -> Sequential: ...

    @overload
    def __getitem__(self, idx: int) -> Module: ...

    def __getitem__(self, idx: slice | int) -> Sequential | Module:
        if isinstance(idx, slice):
            return self.__class__(OrderedDict(list(self._modules.items())[idx]))
        return self._get_item_by_idx(self._modules.values(), idx)

    def __setitem__(self, idx: int, module: Module) -> None:
        key: str = self._get_item_by_idx(self._modules.keys(), idx)
        setattr(self, key, module)

    def __delitem__(self, idx: slice | int) -> None:
        if isinstance(idx, slice):
            for key in list(self._modules.keys())[idx]:
                delattr(self, key)
        else:
            delattr(self, self._get_item_by_idx(self._modules.keys(), idx))
        _renumber(self)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __add__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(
                "add operator supports only objects "
                f"of Sequential class, but {type(other)!s} is given."
            )
        ret = Sequential()
        for layer in chain(self, other):
            ret.append(layer)
        return ret

    def __iadd__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(
                "add operator supports only objects "
                f"of Sequential class, but {type(other)!s} is given."
            )
        offset = len(self)
        for i, module in enumerate(other):
            self.add_module(str(i + offset), module)
        return self

    def _check_factor(self, other: object) -> int:
        if not isinstance(other, int):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(other)}")
        if other <= 0:
            raise ValueError(f"Non-positive multiplication factor {other} for {type(self)}")
        return other

    def __mul__(self, other: int) -> Sequential:
        """The modules ``other`` times over, the same objects (their parameters shared)."""
        combined = Sequential()
        for offset, module in enumerate([*self] * self._check_factor(other)):
            combined.add_module(str(offset), module)
        return combined

    def __rmul__(self, other: int) -> Sequential:
        return self.__mul__(other)

    def __imul__(self, other: int) -> Sequential:
        times = self._check_factor(other)
        n = len(self)
        # As PyTorch: the repeats are looked up by the keys "0", "1", ... (a KeyError for a
        # Sequential built from an OrderedDict with other names).
        for repeat in range(1, times):
            for i in range(n):
                self.add_module(str(i + repeat * n), self._modules[str(i)])
        return self

    def __dir__(self) -> list[str]:
        return [key for key in super().__dir__() if not key.isdigit()]

    def forward(self, input: Any) -> Any:
        for module in self:
            input = module(input)
        return input

    def append(self, module: Module) -> Sequential:
        r"""Append ``module`` to the end and return self."""
        self.add_module(str(len(self)), module)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        r"""Insert ``module`` before position ``index`` and return self."""
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        n = len(self._modules)
        if not (-n <= index <= n):
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += n
        for i in range(n, index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module
        return self

    def extend(self, sequential: Iterable[Module]) -> Sequential:
        r"""Append every module of ``sequential`` (any iterable of modules) and return self."""
        for layer in sequential:
            self.append(layer)
        return self

    def pop(self, key: int | slice) -> Module:
        r"""Remove the module at ``key`` and return it."""
        v = self[key]
        del self[key]
        return v


class ModuleList(Module):
    r"""Hold submodules in a list, registered so that ``parameters()`` and friends see them.

    Index it like a list; it has no ``forward`` (iterate over it in yours).

    Args:
        modules: an optional iterable of modules to add.

    Example::

        >>> layers = ModuleList([Linear(4, 4) for _ in range(3)])
        >>> len(list(layers.parameters()))
        6
    """

    # Never None here, unlike a Module's children (a mutable attribute may not narrow its type).
    _modules: dict[str, Module]  # type: ignore[assignment]

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self += modules

    def _get_abs_string_index(self, idx: int) -> str:
        return str(_absolute_index(idx, len(self)))

    @overload
    def __getitem__(self, idx: slice) -> ModuleList: ...

    @overload
    def __getitem__(self, idx: int) -> Module: ...

    def __getitem__(self, idx: int | slice) -> Module | ModuleList:
        if isinstance(idx, slice):
            return self.__class__(list(self._modules.values())[idx])
        return self._modules[self._get_abs_string_index(idx)]

    def __setitem__(self, idx: int, module: Module) -> None:
        setattr(self, self._get_abs_string_index(idx), module)

    def __delitem__(self, idx: int | slice) -> None:
        if isinstance(idx, slice):
            for k in range(len(self._modules))[idx]:
                delattr(self, str(k))
        else:
            delattr(self, self._get_abs_string_index(idx))
        _renumber(self)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        combined = ModuleList()
        for i, module in enumerate(chain(self, other)):
            combined.add_module(str(i), module)
        return combined

    def __repr__(self) -> str:
        # Runs of identical modules print once, as "(0-2): 3 x Linear(...)".
        list_of_reprs = [repr(item) for item in self]
        if len(list_of_reprs) == 0:
            return self._get_name() + "()"
        start_end_indices = [[0, 0]]
        repeated_blocks = [list_of_reprs[0]]
        for i, r in enumerate(list_of_reprs[1:], 1):
            if r == repeated_blocks[-1]:
                start_end_indices[-1][1] += 1
                continue
            start_end_indices.append([i, i])
            repeated_blocks.append(r)
        lines = []
        for (start_id, end_id), b in zip(start_end_indices, repeated_blocks, strict=True):
            local_repr = f"({start_id}): {b}"
            if start_id != end_id:
                n = end_id - start_id + 1
                local_repr = f"({start_id}-{end_id}): {n} x {b}"
            lines.append(_addindent(local_repr, 2))
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self) -> list[str]:
        return [key for key in super().__dir__() if not key.isdigit()]

    def insert(self, index: int, module: Module) -> None:
        r"""Insert ``module`` before position ``index``."""
        for i in range(len(self._modules), index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module

    def append(self, module: Module) -> ModuleList:
        r"""Append ``module`` to the end and return self."""
        self.add_module(str(len(self)), module)
        return self

    def pop(self, key: int | slice) -> Module:
        r"""Remove the module at ``key`` and return it."""
        v = self[key]
        del self[key]
        return v

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        r"""Append every module of the iterable ``modules`` and return self."""
        if not isinstance(modules, Iterable):
            raise TypeError(
                "ModuleList.extend should be called with an iterable, but got "
                + type(modules).__name__
            )
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self


class ModuleDict(Module):
    r"""Hold submodules in a dict, registered so that ``parameters()`` and friends see them.

    It keeps the order of insertion, like a Python dict, and has no ``forward``.

    Args:
        modules: an optional mapping (or iterable of ``(name, module)`` pairs) to add.

    Example::

        >>> layers = ModuleDict({"hidden": Linear(2, 3), "out": Linear(3, 1)})
        >>> list(layers), [name for name, _ in layers.named_parameters()][:2]
        (['hidden', 'out'], ['hidden.weight', 'hidden.bias'])
    """

    # Never None here, unlike a Module's children (a mutable attribute may not narrow its type).
    _modules: dict[str, Module]  # type: ignore[assignment]

    def __init__(self, modules: Mapping[str, Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def pop(self, key: str) -> Module:
        """Remove the module under ``key`` and return it."""
        v = self[key]
        del self[key]
        return v

    def keys(self) -> KeysView[str]:
        """The names of the modules."""
        return self._modules.keys()

    def items(self) -> ItemsView[str, Module]:
        """The ``(name, module)`` pairs."""
        return self._modules.items()

    def values(self) -> ValuesView[Module]:
        """The modules."""
        return self._modules.values()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add (or replace) modules from a mapping or an iterable of ``(name, module)`` pairs."""
        _update_pairs(self, "ModuleDict", modules)


class _Settable(Protocol):
    def __setitem__(self, key: Any, value: Any, /) -> None: ...


def _update_pairs(container: _Settable, kind: str, pairs: Any, method: str | None = None) -> None:
    """``container[key] = value`` for each pair of a mapping or an iterable of pairs, checked
    as PyTorch checks them (``method`` names ``update`` in one message, where PyTorch spells
    ParameterDict's "ParametersDict")."""
    if not isinstance(pairs, Iterable):
        raise TypeError(
            f"{method or kind}.update should be called with an iterable of key/value pairs, "
            f"but got {type(pairs).__name__}"
        )
    if isinstance(pairs, Mapping):
        for key, value in pairs.items():
            container[key] = value
        return
    for j, pair in enumerate(pairs):
        if not isinstance(pair, Iterable):
            raise TypeError(
                f"{kind} update sequence element #{j} should be Iterable; is" + type(pair).__name__
            )
        # Only an iterable was checked, as in PyTorch: len() raises for one without a length.
        pair = cast("Sequence[Any]", pair)
        if not len(pair) == 2:
            raise ValueError(
                f"{kind} update sequence element #{j} has length {len(pair)}; 2 is required"
            )
        container[pair[0]] = pair[1]


def _as_parameter(value: Any) -> Any:
    # A plain tensor put into a ParameterList or ParameterDict becomes a Parameter, as in PyTorch.
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


def _parameter_line(value: Any, type_name: Callable[[Tensor], str]) -> str:
    if isinstance(value, Tensor):
        size = "x".join(str(n) for n in value.shape)
        return f"Parameter containing: [{type_name(value)} of size {size}]"
    return f"Object of type: {type(value).__name__}"


class ParameterList(Module):
    r"""Hold parameters in a list, registered so that ``parameters()`` sees them.

    Plain tensors put in it become :class:`Parameter`\ s; other objects are kept as they are.

    Args:
        values: an optional iterable of values to add.

    Example::

        >>> weights = ParameterList([minimodel.zeros(2), minimodel.ones(3)])
        >>> [name for name, _ in weights.named_parameters()]
        ['0', '1']
        >>> weights
        ParameterList(
            (0): Parameter containing: [minimodel.float32 of size 2]
            (1): Parameter containing: [minimodel.float32 of size 3]
        )
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def _get_abs_string_index(self, idx: int) -> str:
        return str(_absolute_index(idx, len(self)))

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return self.__class__([self[i] for i in range(len(self))[idx]])
        return getattr(self, self._get_abs_string_index(idx))

    def __setitem__(self, idx: int, param: Any) -> None:
        setattr(self, self._get_abs_string_index(idx), _as_parameter(param))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return iter(self[i] for i in range(len(self)))

    def __iadd__(self, parameters: Iterable[Any]) -> ParameterList:
        return self.extend(parameters)

    def __dir__(self) -> list[str]:
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, value: Any) -> ParameterList:
        """Append ``value`` to the end and return self."""
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Append every value of the iterable ``values`` and return self."""
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(
                "ParameterList.extend should be called with an iterable, but got "
                + type(values).__name__
            )
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return _indented(
            f"({i}): {_parameter_line(p, lambda t: repr(t.dtype))}" for i, p in enumerate(self)
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterList should not be called.")


def _indented(lines: Iterable[str]) -> str:
    # As PyTorch writes them: each entry indented by two spaces, to which Module's repr adds two
    # more (and a single entry stays on the first line, after two spaces).
    return "\n".join("  " + line for line in lines)


class ParameterDict(Module):
    r"""Hold parameters in a dict, registered so that ``parameters()`` sees them.

    Plain tensors put in it become :class:`Parameter`\ s; it keeps the order of insertion,
    except that a plain ``dict`` (not an ``OrderedDict``) is added in the order of its sorted
    keys, as in PyTorch.

    Args:
        parameters: an optional mapping (or iterable of ``(name, value)`` pairs) to add.

    Example::

        >>> scales = ParameterDict({"a": minimodel.ones(2)})
        >>> scales["b"] = minimodel.zeros(1)
        >>> list(scales), [name for name, _ in scales.named_parameters()]
        (['a', 'b'], ['a', 'b'])
    """

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        self._keys: dict[str, None] = {}
        if parameters is not None:
            self.update(parameters)

    def _key_to_attr(self, key: str) -> str:
        if not isinstance(key, str):
            raise TypeError(
                "Index given to ParameterDict cannot be used as a key as it is not a string "
                f"(type is '{type(key).__name__}'). Open an issue on github if you need "
                "non-string keys."
            )
        return key

    def __getitem__(self, key: str) -> Any:
        return getattr(self, self._key_to_attr(key))

    def __setitem__(self, key: str, value: Any) -> None:
        # As PyTorch: the key is recorded before it is checked (a refused key stays listed).
        self._keys[key] = None
        setattr(self, self._key_to_attr(key), _as_parameter(value))

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, self._key_to_attr(key))

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._keys)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def __or__(self, other: ParameterDict) -> ParameterDict:
        copy = self.copy()
        copy.update(other)
        return copy

    def __ror__(self, other: ParameterDict) -> ParameterDict:
        copy = other.copy()
        copy.update(self)
        return copy

    def __ior__(self, other: ParameterDict) -> ParameterDict:
        self.update(other)
        return self

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same parameters, in the same order."""
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> ParameterDict:
        """A new ParameterDict with each of ``keys`` set to ``default``."""
        return ParameterDict((k, default) for k in keys)

    def keys(self) -> KeysView[str]:
        """The names of the parameters."""
        return self._keys.keys()

    def items(self) -> Iterator[tuple[str, Any]]:
        """The ``(name, parameter)`` pairs."""
        return ((k, self[k]) for k in self._keys)

    def values(self) -> Iterator[Any]:
        """The parameters."""
        return (self[k] for k in self._keys)

    def get(self, key: str, default: Any = None) -> Any:
        """The parameter under ``key``, or ``default`` if there is none."""
        return self[key] if key in self._keys else default

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The parameter under ``key``, set to ``default`` first if there is none."""
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: str) -> Any:
        """Remove the parameter under ``key`` and return it."""
        v = self[key]
        del self[key]
        return v

    def popitem(self) -> tuple[str, Any]:
        """Remove the last ``(name, parameter)`` pair added and return it."""
        if not self._keys:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def clear(self) -> None:
        """Remove every parameter."""
        for k in list(self._keys):
            del self[k]

    def update(self, parameters: Any) -> None:
        """Add (or replace) parameters from a mapping or an iterable of ``(name, value)`` pairs.

        The order of an ``OrderedDict``, a ParameterDict or an iterable of pairs is kept; a
        plain mapping's keys are added in sorted order, as in PyTorch.
        """
        if isinstance(parameters, ParameterDict):
            parameters = OrderedDict(parameters.items())
        elif isinstance(parameters, Mapping) and not isinstance(parameters, OrderedDict):
            parameters = OrderedDict(sorted(parameters.items()))
        _update_pairs(self, "ParameterDict", parameters, "ParametersDict")

    def extra_repr(self) -> str:
        return _indented(f"({k}): {_parameter_line(p, _legacy_type_name)}" for k, p in self.items())

    def __call__(self, input: Any) -> Any:
        raise RuntimeError("ParameterDict should not be called.")


def _legacy_type_name(t: Tensor) -> str:
    # ParameterDict prints PyTorch's legacy tensor type names (FloatTensor, DoubleTensor).
    return f"minimodel.{legacy_tensor_type(t._data.dtype)}"
