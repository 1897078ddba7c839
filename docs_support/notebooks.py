"""Each chapter as a Jupyter notebook in its language, written at build time from the page itself.

The notebook holds the page's prose and admonitions as Markdown (links pointing at the site), its
executed blocks as code cells and its PyTorch blocks as code cells tagged ``needs-pytorch``. The
hidden lines of a block are dropped when they are asserts or use the book's machinery
(``docs_support``); its other hidden lines are set-up the code needs, so they stay, as plain
lines. Visible uses of the machinery (``line_plot``, ``run_shown``...) are given plain
definitions in a helper cell at the top. The first cell says how to install minimodel from the
site. Exercises are left for the reader: each solution becomes an empty cell, with the solution
folded in the Markdown above it and kept in the cell's metadata, and the check call stays after it.
A script the reader writes (a fence titled with its file name, in a solution) becomes a cell that
writes that file (``%%writefile``), which the plain ``shown_code`` of the helper cell then reads.

Outputs. Each code cell holds what its block printed at the build: the outputs that
:mod:`docs_support.blocks` keeps for the page (the ones it ran, or under ``mkdocs serve`` the
recorded ones it printed again, :mod:`docs_support.record`), so the notebook opens showing the
page's outputs. The doc tests of a chapter page run this notebook, top to bottom in a Jupyter
kernel, and compare each cell's output with the page's (:mod:`docs_support.notebook_run`): the
notebook's run and the page's doc tests are one run of the chapter's code.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docs_support import scripts, wheel
from docs_support.fences import HIDE_MARKER, Fence, parse_fences

TORCH_TAG = "needs-pytorch"
EXERCISE_TAG = "exercise"
# The metadata of a cell made from a block: the line of the page where the block opens (the doc
# tests run the notebook, block by block: docs_support.notebook_run).
PAGE_LINE = "page_line"
_WORDS = {
    "en": {
        "install": "Install minimodel first: download its wheel from the book's site and install "
        "it with pip, as below (never by its bare name from the package index: that name there "
        "belongs to another project). The cells marked as needing PyTorch also need "
        "`pip install torch`.",
        "page": "This notebook is chapter **{title}** of the minimodel book; the page is at {url}.",
        "torch": "# Needs PyTorch (pip install torch).",
        "yours": "# Your answer here (the book's solution is folded above).",
        "solution": "Solution",
        "helpers": "# Plain versions of the book's helpers used below.",
        "session": "# The next cells run in the page's session {name!r}, apart from the others.",
    },
    "es": {
        "install": "Instala minimodel primero: descarga su wheel del sitio del libro e instálalo "
        "con pip, como abajo (nunca solo por su nombre desde el índice de paquetes: allí ese "
        "nombre pertenece a otro proyecto). Las celdas marcadas como necesitadas de PyTorch "
        "necesitan también `pip install torch`.",
        "page": "Este cuaderno es el capítulo **{title}** del libro de minimodel; la página está "
        "en {url}.",
        "torch": "# Necesita PyTorch (pip install torch).",
        "yours": "# Tu respuesta aquí (la solución del libro está plegada arriba).",
        "solution": "Solución",
        "helpers": "# Versiones sencillas de las utilidades del libro que se usan abajo.",
        "session": "# Las celdas siguientes se ejecutan aparte, en la sesión {name!r} de la "
        "página.",
    },
}

# --- The notebook ----------------------------------------------------------------------------

_OPEN_BLOCK = re.compile(r"^/// (\w+)(?: \| (.*))?$")
_ADMONITION = re.compile(r'^(!!!|\?\?\?\+?) (\w+)(?: "(.*)")?\s*$')
_TAB = re.compile(r'^=== "(.*)"\s*$')
_PAGE_LINK = re.compile(r"\]\((?!https?:|#)([\w./-]*?)\.md(#[\w-]+)?\)")
_API_LINK = re.compile(r"\[([^\]]+)\]\[[\w.]+\]")
_ATTRIBUTES = re.compile(r"\s*\{#[\w-]+\}")


def _markdown(lines: list[str], page_url: str, site_page: Callable[[str], str]) -> str:
    """Page Markdown as Jupyter shows it: admonitions, tabs, blocks flattened; links to the site."""
    out: list[str] = []
    indented = None  # the prefix of an admonition's indented content
    for line in lines:
        if indented is not None:
            if line.startswith("    ") or not line.strip():
                out.append(indented + line[4:] if line.strip() else indented.rstrip())
                continue
            indented = None
        if m := _OPEN_BLOCK.match(line):
            if m[1] != "details":  # a solution's code is folded in <details> of its own
                out.append(f"**{m[2] or m[1].capitalize()}**")
            continue
        if line == "///" or line.startswith("    type: "):
            continue
        if m := _ADMONITION.match(line):
            out.append(f"> **{m[3] or m[2].capitalize()}**")
            indented = "> "
            continue
        if m := _TAB.match(line):
            out.append(f"**{m[1]}**")
            indented = ""
            continue
        out.append(line)
    text = "\n".join(out)
    text = _PAGE_LINK.sub(lambda m: f"]({site_page(m[1])}{m[2] or ''})", text)
    text = re.sub(r"\]\(#", f"]({page_url}#", text)
    text = _API_LINK.sub(r"\1", text)
    return _ATTRIBUTES.sub("", text).strip("\n")


def is_machinery(node: ast.AST) -> bool:
    return isinstance(node, ast.ImportFrom) and (node.module or "").startswith("docs_support")


def notebook_code(fence: Fence) -> str:
    """A block's code for the notebook: hidden asserts and uses of the machinery dropped."""
    lines = fence.code.splitlines()
    hidden = {i for i, line in enumerate(lines, start=1) if HIDE_MARKER in line}
    drop: set[int] = set()
    nodes = [n for n in ast.walk(ast.parse(fence.code)) if isinstance(n, ast.stmt)]
    for node in nodes:
        span = set(range(node.lineno, node.end_lineno + 1))
        if is_machinery(node) or (isinstance(node, ast.Assert) and span <= hidden):
            drop |= span  # a visible import of the machinery: the helper cell defines the names
    # A hidden compound statement (a loop of hidden asserts) goes when its whole body went.
    for node in sorted(nodes, key=lambda n: -n.lineno):
        span = set(range(node.lineno, node.end_lineno + 1))
        body = getattr(node, "body", None)
        if body and span <= hidden and all(child.lineno in drop for child in body):
            drop |= span
    kept = [
        re.sub(r"\s*# markdown-exec: hide$", "", line)
        for i, line in enumerate(lines, start=1)
        if i not in drop
    ]
    return "\n".join(kept).strip("\n")


def _helpers(fences: list[Fence], lang: str) -> str:
    """Plain definitions of the machinery the page's visible code uses, or ``""``."""
    sessions = {f.session for f in fences if f.tested and not f.indent}
    many = len(sessions) > 1 or "" in sessions
    used = {
        alias.name
        for fence in fences
        if fence.tested
        for node in ast.walk(ast.parse(fence.code))
        if is_machinery(node)
        for alias in node.names
    }
    if not used and not many:
        return ""
    parts = [_WORDS[lang]["helpers"], "import ast, contextlib, io, math, os, re", ""]
    titled = {
        f.options["title"]: f.code
        for f in fences
        # text: a printed output that a hidden assert compares with (the doc tests run those)
        if "title" in f.options and f.language in ("python", "text")
    }
    if used & {"run_shown", "shown_code"}:
        parts.append(f"SCRIPTS = {json.dumps(titled, ensure_ascii=False, indent=1)}")
        parts.append(_PLAIN_SCRIPTS)
    if "number_mismatches" in used:
        parts.append(f"_NUMBER = re.compile({scripts._NUMBER.pattern!r})")
    for name in ("without_imports", "number_mismatches"):
        if name in used:
            parts.append(inspect.getsource(getattr(scripts, name)))
    if "line_plot" in used:
        parts.append(_PLAIN_LINE_PLOT)
    if many:
        parts.append(_SESSION_SWITCH)
    return "\n".join(parts).strip() + "\n"


_PLAIN_SCRIPTS = """
from types import SimpleNamespace


def shown_code(title):
    if os.path.isfile(title):  # the reader's own script, written by an exercise cell
        with open(title, encoding="utf-8") as file:
            return file.read()
    lines = SCRIPTS[title].splitlines()
    return "\\n".join(line for line in lines if "markdown-exec: hide" not in line)


def run_shown(title, changes=None):
    code = SCRIPTS[title]
    for old, new in (changes or {}).items():
        code = code.replace(old, new)
    names = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, title, "exec"), names)
    return printed.getvalue(), SimpleNamespace(**names)
"""

# Blocks of different sessions of a page do not see each other's variables; a notebook has one
# namespace, so use_session() sets aside the variables of one session and brings back another's.
_SESSION_SWITCH = """
_SESSIONS, _CURRENT = {}, [None]


def use_session(name):
    user = globals()
    mine = {k: user.pop(k) for k in list(user) if k not in _BASE and not k.startswith("_")}
    if _CURRENT[0] is not None:
        _SESSIONS[_CURRENT[0]] = mine
    user.update(_SESSIONS.get(name, {}))
    _CURRENT[0] = name


_BASE = set(globals())
"""

_PLAIN_LINE_PLOT = """
def line_plot(series, x=None, xlabel="", ylabel="", logy=False, alt=""):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    for label, values in series.items():
        ax.plot(list(x) if x is not None else range(len(values)), values, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=alt)
    if logy:
        ax.set_yscale("log")
    ax.legend()
    plt.show()
    return ""
"""


def _is_script(fence: Fence) -> bool:
    """A whole script shown, not run, by the page: a Python fence titled with a file name."""
    return fence.language == "python" and fence.options.get("title", "").endswith(".py")


def _in_solution(lines: list[str], in_solution: bool) -> bool:
    """Whether a folded solution is open after ``lines``, given whether it was before them."""
    for text_line in lines:
        if m := _OPEN_BLOCK.match(text_line):
            in_solution = m[1] == "details" and m[2] in ("Solution", "Solución")
        elif text_line == "///":
            in_solution = False
    return in_solution


def _cell(kind: str, source: str, index: int, **metadata: Any) -> dict:
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": f"cell-{index}",
        "metadata": metadata,
        "source": source,
    }
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _outputs(fence: Fence, recorded: dict[str, list[str]]) -> list[dict]:
    printed = recorded.get(fence.code)
    if not printed or not printed[0]:
        return []
    text = printed.pop(0)
    if fence.options.get("html"):
        return [{"output_type": "display_data", "data": {"text/html": text}, "metadata": {}}]
    return [{"output_type": "stream", "name": "stdout", "text": text}]


def outputs_by_code(fences: list[Fence], printed: dict[int, str]) -> dict[str, list[str]]:
    """What each executed fence printed (``printed``: fence line -> output), by code in page
    order: the ``recorded`` argument of :func:`build`."""
    by_code: dict[str, list[str]] = {}
    for fence in fences:
        if fence.executed:
            by_code.setdefault(fence.code, []).append(printed.get(fence.line, ""))
    return by_code


def site_address(site_url: str, lang: str, stem: str) -> str:
    """The address of the page ``stem`` (``"02-optim"``, ``"index"``) in ``lang`` on the site."""
    base = site_url if lang == "en" else f"{site_url}{lang}/"
    return base if stem == "index" else f"{base}{stem}/"


def build(
    text: str,
    lang: str,
    site_url: str,
    stem: str,
    recorded: dict[str, list[str]] | None = None,
) -> dict:
    """The notebook (nbformat 4 JSON) of the page ``text`` in ``lang``.

    Args:
        text: the page's Markdown.
        lang: ``"en"`` or ``"es"``.
        site_url: the site's address, ending with ``/``.
        stem: the page's path without ``.md`` (``"02-optim"``).
        recorded: what the build printed for each executed block, by its code, in page order.
    """
    page_url = site_address(site_url, lang, stem)

    def site_page(target: str) -> str:
        return site_address(site_url, lang, target)

    recorded = {code: list(outs) for code, outs in (recorded or {}).items()}
    words = _WORDS[lang]
    lines = text.splitlines()
    fences = parse_fences(text)
    title = lines[0].lstrip("# ").strip()
    wheel_url = f"{site_url}{wheel.DOWNLOADS}/{wheel.wheel_name()}"
    install = f"{words['install']}\n\n```bash\npip install {wheel_url}\n```"
    cells = [
        _cell(
            "markdown",
            f"# {title}\n\n{words['page'].format(title=title, url=page_url)}\n\n{install}",
            0,
        )
    ]
    helpers = _helpers(fences, lang)
    if helpers:
        cells.append(_cell("code", helpers, len(cells)))
    prose: list[str] = []
    in_solution = False
    many_sessions = "use_session" in helpers
    session = None

    def flush() -> None:
        body = _markdown(prose, page_url, site_page)
        if body:
            cells.append(_cell("markdown", body, len(cells)))
        prose.clear()

    line = 2  # the next page line not yet placed (line 1, the title, is in the first cell)
    for fence in fences:
        if fence.indent or not (fence.tested or _is_script(fence)):
            continue
        before = lines[line - 1 : fence.line - 1]
        now_in_solution = _in_solution(before, in_solution)
        if not fence.tested and not now_in_solution:
            continue  # a script shown as the problem stays in the prose, as on the page
        in_solution = now_in_solution
        prose.extend(before)
        line = fence.line + fence.code.count("\n") + 3  # past the closing fence
        code = notebook_code(fence)
        flush_needed = many_sessions and (fence.session or f"block-{fence.line}") != session
        if flush_needed:
            session = fence.session or f"block-{fence.line}"
            flush()
            switch = f"{words['session'].format(name=session)}\nuse_session({session!r})"
            cells.append(_cell("code", switch, len(cells)))
        is_check = "lab import check" in fence.code
        if in_solution and not is_check and (fence.executed or not fence.tested):
            prose.append(f"<details><summary>{words['solution']}</summary>\n")
            prose.extend(["```python", code, "```", "</details>"])
            flush()
            # A script is answered in a file of its name, which the check after it reads.
            magic = "" if fence.tested else f"%%writefile {fence.options['title']}\n"
            cells.append(
                _cell(
                    "code",
                    magic + words["yours"],
                    len(cells),
                    tags=[EXERCISE_TAG],
                    solution=magic + code,
                    **{PAGE_LINE: fence.line},
                )
            )
            continue
        flush()
        if fence.needs_torch:
            cell = _cell(
                "code",
                f"{words['torch']}\n{code}",
                len(cells),
                tags=[TORCH_TAG],
                **{PAGE_LINE: fence.line},
            )
        else:
            cell = _cell("code", code, len(cells), **{PAGE_LINE: fence.line})
            cell["outputs"] = _outputs(fence, recorded)
        cells.append(cell)
    prose.extend(lines[line - 1 :])
    flush()
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write(notebook: dict, path: Path) -> None:
    """Write ``notebook`` to ``path``, byte for byte the same at every build."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def link(name: str, lang: str) -> str:
    """The download link a chapter page shows for its notebook ``name``, as HTML."""
    words = {
        "en": "Run this chapter yourself: download it as a Jupyter notebook,",
        "es": "Ejecuta tú mismo este capítulo: descárgalo como cuaderno de Jupyter,",
    }[lang]
    return f'<p class="lab-notebook">{words} <a href="{name}" download><code>{name}</code></a>.</p>'
