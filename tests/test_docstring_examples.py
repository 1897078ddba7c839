"""The ``Example::`` blocks of the docstrings run and print what they show (doctest).

Listed here are the modules whose examples are written to run on their own; each example sees
its module's globals, its package's public names, ``minimodel``, ``nn``, ``F`` and ``np``.
"""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest

import minimodel

MODULES = [
    "minimodel._function",
    "minimodel._functions_more",
    "minimodel._inference_mode",
    "minimodel.ops.einsum",
    "minimodel.nn._activation_functional",
    "minimodel.nn._layer_functional",
    "minimodel.nn._loss_functional",
    "minimodel.nn.activation",
    "minimodel.nn.container",
    "minimodel.nn.dropout",
    "minimodel.nn.embedding",
    "minimodel.nn.loss",
    "minimodel.nn.normalization",
    "minimodel.generator",
    "minimodel.optim.adamw",
    "minimodel.optim.lr_scheduler",
    "minimodel.utils.data._collate",
    "minimodel.utils.data.dataloader",
    "minimodel.utils.data.dataset",
    "minimodel.utils.data.sampler",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    package = importlib.import_module(name.rpartition(".")[0].replace("._", "."))
    extra = {"minimodel": minimodel, "nn": minimodel.nn, "F": minimodel.nn.functional, "np": np}
    tests = finder.find(module, globs={**vars(package), **vars(module), **extra})
    assert any(t.examples for t in tests), f"{name} has no examples"
    for test in tests:
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) of {name} failed (see output)"
