"""The ``>>>`` examples of the docstrings run and print what they show (doctest).

Every module of ``minimodel`` is found by walking the package, so a new module's examples run
without an edit here. The examples of a module run top to bottom in one namespace, as the
reference page shows them (``Module``'s docstring defines the ``TenseMLP`` its methods' examples
use), which starts with the module's globals, its package's public names, ``minimodel``, ``nn``,
``F`` and ``np``.
"""

from __future__ import annotations

import builtins
import doctest
import importlib
from pathlib import Path

import numpy as np
import pytest

import minimodel


def _modules() -> list[str]:
    # Every file, not pkgutil's walk: that one skips a folder without __init__.py.
    root = Path(minimodel.__file__).parent
    names = {
        ".".join(("minimodel", *path.relative_to(root).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for path in root.rglob("*.py")
    }
    return sorted(names)


MODULES = _modules()


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    package = (
        module if hasattr(module, "__path__") else importlib.import_module(name.rpartition(".")[0])
    )
    # minimodel's bool, float, int, sum, max... would hide Python's own in the examples.
    public = {
        k: v for k, v in vars(package).items() if not k.startswith("_") and k not in vars(builtins)
    }
    extra = {"minimodel": minimodel, "nn": minimodel.nn, "F": minimodel.nn.functional, "np": np}
    # Only the docstrings written in this module: an object imported from another module is
    # tested there.
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = [t for t in finder.find(module) if t.examples]
    namespace = {**public, **vars(module), **extra}
    for test in tests:
        test.globs = namespace
    return sorted(tests, key=lambda t: t.lineno or 0)


def test_every_module_is_walked():
    assert {
        "minimodel",
        "minimodel.random",
        "minimodel.nn.functional",
        "minimodel.lab.ch02",
    } <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Examples that save a file (``minimodel.save(..., "model.pt")``) write it here.
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for test in _examples(name):
        runner.run(test, clear_globs=False)
    assert runner.failures == 0, f"{runner.failures} example(s) of {name} failed (see output)"
