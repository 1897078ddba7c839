"""Run the scripts of ``tests/tutorial_scripts/`` under PyTorch or, ported, under minimodel.

Each script is written once, against ``torch``, as a learner would write it. Porting it to
minimodel rewrites its import lines and nothing else (``import torch`` becomes
``import minimodel as torch``, ``from torch import nn`` becomes ``from minimodel import nn``), which
is the promise the project makes: a script moves between the two by changing its imports.

A script runs as ``python script.py`` would run it, in a fresh namespace, with its printed output
captured. It leaves its per-step losses in a list named ``losses``; the tests read that list and
the printed text.

The scripts start from weights drawn from a NumPy generator, not from ``torch.manual_seed``: the
two libraries' random streams differ (a documented difference), and the comparisons need both
runs to start from the same numbers.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPTS_DIR = Path(__file__).parent / "tutorial_scripts"
SCRIPTS = sorted(path.name for path in SCRIPTS_DIR.glob("*.py"))

# The forms a script may import torch with; anything else (`import torch.nn` without `as`, which
# binds the name `torch`) is refused rather than ported approximately.
_IMPORT_TORCH = re.compile(r"import torch")
_IMPORT_TORCH_SUBMODULE_AS = re.compile(r"import torch(?P<sub>(\.\w+)+) as (?P<alias>\w+)")
_FROM_TORCH_IMPORT = re.compile(r"from torch(?P<sub>(\.\w+)*) import (?P<names>.+)")
_MENTIONS_TORCH_IMPORT = re.compile(r"^\s*(import|from)\s+torch\b", re.MULTILINE)


def is_torch_import(line: str) -> bool:
    """Whether ``line`` is a top-level import of torch or of one of its submodules."""
    return _MENTIONS_TORCH_IMPORT.match(line) is not None


def port_line(line: str) -> str:
    """The line as it reads under minimodel: imports of torch renamed, every other line as is."""
    if not is_torch_import(line):
        return line
    if _IMPORT_TORCH.fullmatch(line):
        return "import minimodel as torch"
    if m := _IMPORT_TORCH_SUBMODULE_AS.fullmatch(line):
        return f"import minimodel{m['sub']} as {m['alias']}"
    if m := _FROM_TORCH_IMPORT.fullmatch(line):
        return f"from minimodel{m['sub']} import {m['names']}"
    raise ValueError(f"cannot port this import of torch: {line!r}")


def port_to_minimodel(source: str) -> str:
    """The script ``source`` with its imports of torch rewritten to minimodel's."""
    return "".join(port_line(line.rstrip("\n")) + "\n" for line in source.splitlines())


def source_of(script: str) -> str:
    return (SCRIPTS_DIR / script).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Run:
    """What a script left behind: its module namespace and everything it printed."""

    namespace: dict[str, Any]
    stdout: str

    @property
    def losses(self) -> list[float]:
        return self.namespace["losses"]


def run_source(source: str, filename: str) -> Run:
    """Execute ``source`` as a ``__main__`` script would run, capturing what it prints."""
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": filename}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, filename, "exec"), namespace)
    return Run(namespace, out.getvalue())


@functools.cache
def run_script(script: str, library: str) -> Run:
    """Run ``script`` under ``library`` ("torch" as written, "minimodel" ported), once per session.

    Several tests read the same run; a run of every script under both libraries takes seconds,
    so it is not repeated for each.
    """
    source = source_of(script)
    filename = str(SCRIPTS_DIR / script)
    if library == "minimodel":
        return run_source(port_to_minimodel(source), filename)
    if library != "torch":
        raise ValueError(f"unknown library {library!r}")
    import torch

    # The scripts' tensors are far too small to gain from threads, and on a busy machine
    # PyTorch's threads wait on each other: one thread makes a run both fast and steady.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return run_source(source, filename)
    finally:
        torch.set_num_threads(threads)


def imported_modules(namespace: dict[str, Any]) -> set[str]:
    """The top-level packages of the modules bound in ``namespace`` (``torch``, ``nn``, ...)."""
    return {
        value.__name__.partition(".")[0]
        for value in namespace.values()
        if isinstance(value, types.ModuleType)
    }


# A number as Python prints a float or an int (3, -0.5, 8.81e-07, 98.33).
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def split_numbers(text: str) -> tuple[list[str], list[str]]:
    """``text`` cut into the words between its numbers, and the numbers as printed."""
    return _NUMBER.split(text), _NUMBER.findall(text)


def last_place(number: str) -> float:
    """The value of one unit in the last printed digit of ``number`` (0.01 for "98.33")."""
    mantissa, _, exponent = number.lower().partition("e")
    return 10.0 ** (int(exponent or 0) - len(mantissa.partition(".")[2]))
