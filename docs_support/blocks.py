"""Run the executed blocks of a page exactly as the build does, in the build and under pytest.

Both sides go through markdown-exec's own Python runner, so a block sees the same globals, the
same ``print``, the same ``__name__`` and the same session sharing in both. This module adds
what markdown-exec lacks:

- every page starts clean (markdown-exec keeps its sessions for the whole process, so without
  this a Spanish page would see the English page's variables; upstream issue #77), and so do
  the modules of this repository, so an edited ``minimodel`` is re-imported;
- a failing block's traceback names the page and its line (``docs/es/02-optim.md``, line 57),
  where markdown-exec would name only ``<code block: session optim; n3>``.

It relies on markdown-exec internals (``_sessions_globals``, ``_run_python``, ``exec_python``):
markdown-exec is pinned to 1.12.* and tests/docs checks that failures still name page and line.
"""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

from markdown_exec._internal import rendering as _mx_rendering
from markdown_exec._internal.formatters import python as _mx_python

from docs_support.fences import Fence, fences_that_run

# Modules imported by pages that must be re-imported for each page: the package being taught
# (so `mkdocs serve` sees edits, and each page starts with a fresh random generator) and the
# plotting helper.
FRESH_MODULES = ("minimodel", "docs_support.plots")
# markdown-exec registers an empty module per block under a name derived from this prefix.
_MX_MODULE_PREFIX = "_code_block_"

ExecutionError = _mx_python.ExecutionError


def _is_fresh(name: str, prefixes: tuple[str, ...] = FRESH_MODULES) -> bool:
    return name in prefixes or name.startswith(tuple(p + "." for p in prefixes))


def forget_modules(prefixes: tuple[str, ...] = FRESH_MODULES) -> None:
    """Drop the packages ``prefixes`` and their submodules from ``sys.modules``."""
    for name in [n for n in sys.modules if _is_fresh(n, prefixes)]:
        del sys.modules[name]


class Page:
    """The fences of one Markdown page that run, matched to the blocks markdown-exec runs.

    ``fences`` are the blocks the doc tests run: the executed ones, which the build runs too,
    and the PyTorch blocks (:mod:`docs_support.torch_blocks`), which only the doc tests run.

    Args:
        path: the page's file.
        name: how tracebacks name the page (``docs/en/index.md``).
    """

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self.fences = fences_that_run(path)
        # The blocks the build will hand to markdown-exec, in order.
        self._pending = [fence for fence in self.fences if fence.executed]
        self._next: Fence | None = None
        text = path.read_text(encoding="utf-8")
        # Tracebacks then show the page's lines whatever the working directory; mtime None keeps
        # linecache.checkcache from dropping the entry.
        linecache.cache[name] = (len(text), None, text.splitlines(keepends=True), name)

    def fence_at(self, line: int) -> Fence:
        """The executed or PyTorch fence whose opening line is ``line``."""
        return next(fence for fence in self.fences if fence.line == line)

    def claim(self, code: str) -> Fence | None:
        """The fence about to run: the one given to :meth:`run`, else the next with this code."""
        if self._next is not None and self._next.code.strip() == code.strip():
            fence, self._next = self._next, None
        else:
            fence = next((f for f in self._pending if f.code.strip() == code.strip()), None)
        if fence in self._pending:
            self._pending.remove(fence)
        return fence

    def run(self, fence: Fence) -> str:
        """Run ``fence`` through markdown-exec's runner; return what it printed.

        Raises:
            ExecutionError: the block raised; the message is the traceback, naming page and line.
        """
        self._next = fence
        options = fence.options
        return _mx_python._run_python(
            fence.code,
            session=fence.session or None,
            id=options.get("id") or None,
            **({"title": options["title"]} if "title" in options else {}),
        )


_current: Page | None = None
_set_aside: dict = {}


def _clear_markdown_exec_state() -> None:
    _mx_python._sessions_globals.clear()
    _mx_python._sessions_counter.clear()
    _mx_python._code_blocks.clear()
    # markdown-exec numbers the HTML ids of its outputs with a process-wide counter: restart it so
    # a page's HTML does not depend on the pages built before it.
    _mx_rendering.MarkdownConverter.counter = 0
    for module in [m for m in sys.modules if m.startswith(_MX_MODULE_PREFIX)]:
        del sys.modules[module]


def start_page(path: Path | str, root: Path | str) -> Page:
    """Forget every block run so far and make ``path`` the page whose blocks run next.

    Tracebacks name the page by its path relative to ``root`` (the repository). The modules of
    :data:`FRESH_MODULES` are set aside, so the page imports its own copy; :func:`end_page` puts
    them back.
    """
    global _current
    if _current is not None:
        end_page()
    _clear_markdown_exec_state()
    _set_aside.update({n: m for n, m in sys.modules.items() if _is_fresh(n)})
    forget_modules()
    path, root = Path(path).resolve(), Path(root).resolve()
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    _current = Page(path, name)
    return _current


def end_page() -> None:
    """Forget the current page's blocks and imports, and put back the modules set aside.

    pytest runs unit tests in the same process: their modules hold the ``minimodel`` they
    imported, which must stay the one in ``sys.modules``.
    """
    global _current
    if _current is None:
        return
    _clear_markdown_exec_state()
    forget_modules()
    sys.modules.update(_set_aside)
    _set_aside.clear()
    _current = None


def current_page() -> Page | None:
    """The page given to the last :func:`start_page`."""
    return _current


def _exec_at_page_line(code: str, filename: str, exec_globals: dict | None = None) -> None:
    fence = _current.claim(code) if _current is not None else None
    if fence is None:  # not a block of the current page: keep markdown-exec's own naming
        _original_exec_python(code, filename, exec_globals)
        return
    # Blank lines before the code put every statement on its line number in the page.
    padded = "\n" * (fence.first_code_line - 1) + code
    exec(compile(padded, _current.name, "exec", dont_inherit=True), exec_globals)


_original_exec_python = getattr(_mx_python.exec_python, "original", _mx_python.exec_python)
_exec_at_page_line.original = _original_exec_python  # type: ignore[attr-defined]
_mx_python.exec_python = _exec_at_page_line
