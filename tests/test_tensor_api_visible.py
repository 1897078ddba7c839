"""Tensor's API is written where tools can read it: every attribute of Tensor (and of the mixins
it inherits its operations from) is defined in a class body, so that type checkers and the
reference (griffe reads the source, not the live class) see it; never attached afterwards with
``Tensor.foo = ...`` or ``setattr``. Every public method and property, its own and its
mixins', has a docstring with an example that runs, and ``minimodel.exp`` is ``Tensor.exp`` (or
a check of its arguments around it).
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import textwrap

import pytest

import minimodel
from minimodel import Tensor

# What Python itself puts in a class's __dict__, and the slots of Tensor's fields.
_IMPLICIT = {
    "__module__",
    "__qualname__",
    "__doc__",
    "__dict__",
    "__weakref__",
    "__slots__",
    "__annotations__",
    "__static_attributes__",
    "__firstlineno__",
    *Tensor.__slots__,
}
_CLASSES = [cls for cls in Tensor.__mro__ if cls is not object]


def _names_bound_in_body(cls: type) -> set[str]:
    """The names that ``cls``'s class statement binds, read from its source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0]
    assert isinstance(body, ast.ClassDef)
    names = set()
    for node in body.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            names.add(ast.unparse(node.target))
    return names


@pytest.mark.parametrize("cls", _CLASSES, ids=lambda cls: cls.__name__)
def test_every_attribute_of_tensor_and_its_mixins_is_defined_in_the_class_body(
    cls: type,
) -> None:
    in_body = _names_bound_in_body(cls)
    attached = sorted(
        name
        for name, value in vars(cls).items()
        if name not in _IMPLICIT
        and name not in in_body
        # A class that defines __eq__ gets __hash__ = None from Python.
        and not (name == "__hash__" and value is None and "__eq__" in in_body)
    )
    assert not attached, f"{cls.__name__} gets these after its class body: {attached}"


def test_tensor_inherits_its_operations_from_the_ops_mixins() -> None:
    mixins = {cls.__name__ for cls in Tensor.__mro__ if cls.__module__.startswith("minimodel.ops")}
    assert {"ArithMixin", "PointwiseMixin", "ReductionMixin", "ShapeMixin"} <= mixins
    for name in ("exp", "sum", "reshape", "__mul__", "__getitem__", "__eq__", "softmax"):
        owner = next(cls for cls in Tensor.__mro__ if name in vars(cls))
        assert owner.__module__.startswith("minimodel.ops."), (name, owner)


def _public_names() -> list[str]:
    return sorted(name for name in dir(Tensor) if not name.startswith("_"))


def _doc(name: str, cls: type = Tensor) -> str:
    value = inspect.getattr_static(cls, name)
    if isinstance(value, property):
        value = value.fget
    return inspect.getdoc(value) or ""


def _has_example(name: str, cls: type = Tensor) -> bool:
    """Whether ``cls.name``'s docstring has an ``Example::`` section with ``>>>`` lines."""
    _, found, example = _doc(name, cls).partition("Example::")
    return bool(found) and ">>> " in example


def test_the_public_names_are_tensors_own_its_mixins_and_its_fields() -> None:
    # Guards the parametrizations below against a list that misses a kind of name.
    assert {"shape", "backward", "uniform_", "exp", "exp_", "sum", "grad_fn"} <= set(
        _public_names()
    )


@pytest.mark.parametrize("name", _public_names())
def test_every_public_tensor_method_and_property_has_a_docstring(name: str) -> None:
    assert _doc(name).strip(), f"Tensor.{name} has no docstring"


@pytest.mark.parametrize("name", _public_names())
def test_every_public_tensor_method_and_property_has_an_example(name: str) -> None:
    assert _has_example(name), f"Tensor.{name}'s docstring has no Example:: with >>> lines"


def test_a_method_property_or_field_without_an_example_is_caught() -> None:
    class Probe:
        __slots__ = {
            "field": "A field, no example.",
            "shown": "A field.\n\nExample::\n\n >>> 1\n 1",
        }

        def method(self) -> None:
            """A method.

            Example::

                >>> 1
                1
            """

        def bare(self) -> None:
            """A method, no example."""

        @property
        def prop(self) -> int:
            """A property; the word Example:: alone is not one."""
            return 1

    assert _has_example("method", Probe) and _has_example("shown", Probe)
    assert not any(_has_example(name, Probe) for name in ("field", "bare", "prop"))


_MODULES = sorted({cls.__module__ for cls in _CLASSES})


def test_the_modules_whose_examples_run_are_tensors_and_its_mixins() -> None:
    assert "minimodel.tensor" in _MODULES
    assert "minimodel.ops.pointwise" in _MODULES


@pytest.mark.parametrize("name", _MODULES)
def test_the_examples_of_tensor_and_its_operations_run(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    extra = {"minimodel": minimodel, "F": minimodel.nn.functional}
    tests = doctest.DocTestFinder().find(module, globs={**vars(module), **extra})
    assert sum(len(t.examples) for t in tests) > 0, f"{name} has no examples"
    for test in tests:
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) of {name} failed (see output)"


def _fields() -> list[str]:
    """Tensor's public slots (``grad_fn``, ``requires_grad``): doctest's finder skips their
    docstrings, so their examples run here."""
    return sorted(name for name in Tensor.__slots__ if not name.startswith("_"))


def test_the_fields_are_grad_fn_and_requires_grad() -> None:
    assert _fields() == ["grad_fn", "requires_grad"]


@pytest.mark.parametrize("name", _fields())
def test_the_examples_of_tensors_fields_run(name: str) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(_doc(name), {"minimodel": minimodel}, f"Tensor.{name}", None, 0)
    assert test.examples, f"Tensor.{name} has no examples"
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) of Tensor.{name} failed"


@pytest.mark.parametrize("name", [n for n in _public_names() if n.endswith("_")])
def test_every_in_place_method_names_its_out_of_place_form(name: str) -> None:
    doc = _doc(name)
    base = name[:-1]
    if hasattr(Tensor, base):
        assert f":meth:`{base}`" in doc or "in place" in doc.lower(), doc


def _functional_forms() -> list[str]:
    return sorted(
        name
        for name in minimodel.__all__
        if inspect.isfunction(getattr(minimodel, name)) and hasattr(Tensor, name)
    )


def test_the_functional_forms_that_are_also_methods_are_many() -> None:
    # Guards the parametrization below against an empty list (which would pass vacuously).
    assert {"exp", "sum", "reshape", "add", "matmul", "std", "gather"} <= set(_functional_forms())


@pytest.mark.parametrize("name", _functional_forms())
def test_functional_form_is_the_method_or_checks_its_arguments_around_it(name: str) -> None:
    function = getattr(minimodel, name)
    method = inspect.getattr_static(Tensor, name)
    # minimodel.exp(3.0) raises PyTorch's TypeError naming position 1, where Tensor.exp would
    # fail on 3.0._data; t.add('a') names position 1 and minimodel.add(t, 'a') position 2: a
    # check of the arguments wraps the method (functools.wraps sets __wrapped__).
    assert function is method or function.__wrapped__ is method, (function, method)


def test_reintroducing_an_attachment_after_the_class_is_caught() -> None:
    """The check above reads the class body: an attribute set afterwards is reported."""

    class Probe:
        def kept(self) -> None:
            """Defined in the body."""

    Probe.attached = lambda self: None  # type: ignore[attr-defined]
    in_body = _names_bound_in_body(Probe)
    assert "kept" in in_body
    assert "attached" in vars(Probe)
    assert "attached" not in in_body
