"""Whole scripts, run as ``python script.py`` would run them."""

from __future__ import annotations

import contextlib
import io
from types import SimpleNamespace


def run_script(code: str, filename: str) -> tuple[str, SimpleNamespace]:
    """Run ``code`` in a namespace of its own, named ``__main__``.

    Returns what it printed and its globals. A traceback names ``filename`` and the line in it.

    Example::

        >>> printed, script = run_script("x = 6 * 7\\nprint(x)", "answer.py")
        >>> printed, script.x
        ('42\\n', 42)
    """
    names: dict = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, filename, "exec", dont_inherit=True), names)
    return printed.getvalue(), SimpleNamespace(**names)
