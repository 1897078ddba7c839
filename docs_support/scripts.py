"""Whole scripts shown on a page, run from the page itself.

A page may show a script as an ordinary fence with a ``title`` (its file name), for instance in
a tab, where executed fences cannot stand:

````markdown
=== "minimodel"

    ```python title="tense_mlp_minimodel.py"
    ...
    ```
````

A block of the same page then runs what the reader sees, read from the page at that moment::

    printed, script = run_shown("tense_mlp_minimodel.py")
    print(printed)
    print(script.model)  # the script's globals, as after `python -i tense_mlp_minimodel.py`

so the code shown and the code run cannot drift apart. :func:`without_imports` and
:func:`number_mismatches` compare two such scripts and what they printed, for the port drill:
the same script on minimodel and on PyTorch differs only in its imports and prints the same
numbers.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path
from types import SimpleNamespace

from docs_support import blocks
from docs_support.fences import HIDE_MARKER, Fence, read_fences, shown
from minimodel.lab.scripts import run_script

# A printed number: an optional sign, digits with an optional fraction, an optional exponent.
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def shown_fence(title: str, page: Path | str | None = None) -> Fence:
    """The fence titled ``title`` on ``page``, by default the page whose blocks are running.

    Raises:
        LookupError: no fence, or more than one, has this title.
    """
    if page is None:
        if blocks.current_page() is None:
            raise LookupError("no page is running: give the page whose fence to read")
        page = blocks.current_page().path
    found = [fence for fence in read_fences(page) if fence.options.get("title") == title]
    if len(found) != 1:
        raise LookupError(f"{shown(Path(page))}: {len(found)} fences titled {title!r}, not one")
    return found[0]


def shown_code(title: str, page: Path | str | None = None) -> str:
    """The code of the fence titled ``title`` (see :func:`shown_fence`), as the reader sees it.

    That is without the fence's indentation and, for a block the build executes or a PyTorch
    block, without its ``# markdown-exec: hide`` lines.
    """
    fence = shown_fence(title, page)
    if not fence.tested:
        return fence.code
    return "\n".join(line for line in fence.code.splitlines() if HIDE_MARKER not in line)


def run_shown(title: str, changes: dict[str, str] | None = None) -> tuple[str, SimpleNamespace]:
    """Run the script titled ``title`` on the current page; return what it printed and its globals.

    The script runs as ``python script.py`` would run it: in a namespace of its own, named
    ``__main__``. A traceback names the page and the script's line in it.

    Args:
        title: the title of the script's fence.
        changes: text to replace before running, ``{old: new}``, to run a variant of the
            script (with its random draws turned off, say). Each ``old`` must occur exactly
            once in the script and lie within one line, so line numbers stay the page's.

    Raises:
        ValueError: an ``old`` text occurs in the script zero times or more than once, or
            spans lines.
    """
    fence = shown_fence(title)
    page = blocks.current_page()
    assert page is not None  # shown_fence found the fence on it
    code = fence.code
    for old, new in (changes or {}).items():
        if code.count(old) != 1 or "\n" in old + new:
            raise ValueError(
                f"{title}: a change must replace text that occurs exactly once, within one "
                f"line, by text of one line; {old!r} occurs {code.count(old)} times"
            )
        code = code.replace(old, new)
    return run_script("\n" * (fence.first_code_line - 1) + code, page.name)


def without_imports(code: str) -> str:
    """``code`` without its import statements (every line of each), other lines untouched."""
    lines = code.splitlines()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for number in range(node.lineno - 1, node.end_lineno):
                lines[number] = None
    return "\n".join(line for line in lines if line is not None)


def number_mismatches(
    expected: str, actual: str, rel_tol: float = 1e-4, abs_tol: float = 1e-5
) -> list[str]:
    """Where two printed outputs differ: in their text, or in a number beyond the tolerances.

    The outputs must be the same once every number is blanked out, and each pair of numbers
    must satisfy ``math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)``. Returns the
    differences, one per line of output; an empty list means the outputs agree.
    """
    expected_lines, actual_lines = expected.splitlines(), actual.splitlines()
    if len(expected_lines) != len(actual_lines):
        return [f"{len(expected_lines)} lines printed vs {len(actual_lines)}"]
    problems = []
    for number, (line_a, line_b) in enumerate(zip(expected_lines, actual_lines, strict=True), 1):
        if _NUMBER.sub("#", line_a) != _NUMBER.sub("#", line_b):
            problems.append(f"line {number}: {line_a!r} vs {line_b!r}")
            continue
        pairs = zip(_NUMBER.findall(line_a), _NUMBER.findall(line_b), strict=True)
        if not all(
            math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=abs_tol) for a, b in pairs
        ):
            problems.append(f"line {number}: {line_a!r} vs {line_b!r}")
    return problems
