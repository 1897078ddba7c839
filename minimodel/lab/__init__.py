"""Checks for the book's exercises: run the reader's code against minimodel's own behaviour.

Each exercise of the book that asks the reader to write code has a check, named after its
chapter (``"02-rmsprop"``). The check runs the reader's function, class, model, file or script
and says in the reader's language what is wrong: the parameter that kept its gradient, the step
at which an update diverges, the module listed twice, the file that is a pickle, the line a
port prints differently.

Example::

    >>> import minimodel as mm
    >>> from minimodel.lab import check
    >>> def zero_grad(self):
    ...     for param in self.parameters():
    ...         param.grad = None
    >>> print(check("00-zero-grad", zero_grad))
    00-zero-grad: passed. Every gradient is None after zero_grad(), submodules included.
    >>> def zero_grad(self):
    ...     for param in self._parameters.values():
    ...         param.grad = None
    >>> check("00-zero-grad", zero_grad, lang="es")
    Traceback (most recent call last):
    ...
    minimodel.lab.CheckFailed: 00-zero-grad: ...

The language is ``lang`` if given, else the ``MINIMODEL_LANG`` environment variable (the book's
Spanish notebooks set it to ``es``), else English. A check never changes minimodel's global
random state: it seeds its own draws and restores the generator afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ._core import LANGUAGES, CheckFailed, Passed, Wrong, keep_random_state
from .ch00 import check_layers, check_zero_grad
from .ch01 import check_named_modules
from .ch02 import check_rmsprop
from .ch03 import check_widen
from .ch04 import check_npz
from .ch04_drill import check_drill

__all__ = ["CHECKS", "CheckFailed", "Passed", "check"]

# Each check returns what it verified, in each language, or raises Wrong saying what is not right.
CHECKS: dict[str, Callable[[Any], dict[str, str]]] = {
    "00-zero-grad": check_zero_grad,
    "00-layers": check_layers,
    "01-named-modules": check_named_modules,
    "02-rmsprop": check_rmsprop,
    "03-widen": check_widen,
    "04-drill": check_drill,
    "04-npz": check_npz,
}


def _language(lang: str | None) -> str:
    lang = lang if lang is not None else os.environ.get("MINIMODEL_LANG") or "en"
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, but got {lang!r}")
    return lang


def check(name: str, thing: Any, lang: str | None = None) -> Passed:
    """Check the reader's answer to the exercise ``name``.

    Args:
        name: the exercise, as the book names it after its check (``"02-rmsprop"``); ``CHECKS``
            lists them all.
        thing: what the exercise asks for: a function, a class, a trained model or a file path.
        lang: ``"en"`` or ``"es"``, the language of the answer (default: ``MINIMODEL_LANG``, else
            ``"en"``).

    Returns:
        A :class:`Passed` message (a ``str``) saying what was checked.

    Raises:
        CheckFailed: the answer does not behave as the exercise asks; the message says how.
        ValueError: ``name`` or ``lang`` is not one the lab knows.

    Example::

        >>> from minimodel.lab import CHECKS
        >>> "02-rmsprop" in CHECKS
        True
    """
    lang = _language(lang)
    if name not in CHECKS:
        raise ValueError(f"no check named {name!r}; the checks are: {', '.join(CHECKS)}")
    try:
        with keep_random_state():
            passed = CHECKS[name](thing)
    except Wrong as wrong:
        raise CheckFailed(f"{name}: {wrong.text[lang]}") from wrong.__cause__
    word = {"en": "passed", "es": "superado"}[lang]
    return Passed(f"{name}: {word}. {passed[lang]}")
