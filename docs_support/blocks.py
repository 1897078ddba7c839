"""Run the executed blocks of a page exactly as the build does, in the build and under pytest.

The build runs a block through markdown-exec's Python formatter, which this module replaces
through markdown-exec's public API (:func:`register`: ``markdown_exec.formatters`` and
``markdown_exec.base_format``); the doc tests call :meth:`Page.run`. Both end in the same
function, so a block sees the same globals, the same ``print`` (which, as markdown-exec's,
ignores ``sep=`` and ``file=``) and the same session sharing in both. What this adds to
markdown-exec:

- every page starts clean: its sessions belong to it (markdown-exec keeps its own for the
  whole process, so a Spanish page would see the English page's variables; upstream issue
  #77), and it imports its own ``minimodel`` (:mod:`docs_support.fresh_imports`);
- a failing block's traceback names the page and its line (``docs/es/02-optim.md``, line 57),
  where markdown-exec would name only ``<code block: session optim; n3>``;
- the build records what each page's blocks printed (:mod:`docs_support.record`) and, when
  reuse is on (``mkdocs serve``), prints the recorded output of a page whose page text and
  sources are unchanged instead of running it again.
"""

from __future__ import annotations

import linecache
import sys
import traceback
from collections import Counter
from functools import partial
from io import StringIO
from pathlib import Path
from types import ModuleType
from typing import Any

import markdown_exec

from docs_support import executions, prerun, record
from docs_support.fences import Fence, fences_that_run
from docs_support.fresh_imports import forget_modules, install, is_fresh

ExecutionError = markdown_exec.ExecutionError
# The name of the module a block runs in (``__name__``), numbered per page.
_MODULE_PREFIX = "_book_block_"


class Settings:
    """What the build does with the record; the doc tests leave both off.

    Attributes:
        record: write each page's outputs once its blocks all ran without error.
        reuse: print the recorded outputs of unchanged pages instead of running them.
        execute: run the blocks; off only to time the build without them (every output empty).
    """

    record = False
    reuse = False
    execute = True


# Pages whose blocks ran, and pages whose recorded outputs were printed instead, since cleared.
tally: Counter[str] = Counter()


class Page:
    """The fences of one Markdown page that run, matched to the blocks markdown-exec runs.

    ``fences`` are the blocks the doc tests run: the executed ones, which the build runs too,
    and the PyTorch blocks (:mod:`docs_support.torch_blocks`), which only the doc tests run.

    Args:
        path: the page's file.
        name: how tracebacks and the record name the page (``docs/en/index.md``).
        root: the repository, where the record lives.
    """

    def __init__(self, path: Path, name: str, root: Path) -> None:
        self.path = path
        self.name = name
        self.root = root
        self.fences = fences_that_run(path)
        # The blocks the build will hand to markdown-exec, in order.
        self._pending = [fence for fence in self.fences if fence.executed]
        self._next: Fence | None = None
        self._sessions: dict[str, dict[str, Any]] = {}
        self.outputs: dict[int, str] = {}
        self.failed = False
        self.reused = False
        text = path.read_text(encoding="utf-8")
        self.key = record.page_key(name, text, record.sources_digest(root))
        # What the last build of these same sources printed, if it was recorded.
        self.recorded = record.load(root, name, self.key)
        # What this build's second process printed running this page (docs_support.prerun).
        self.prerun = prerun.take(name)
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
        """Run ``fence`` as the build runs it; return what it printed.

        Raises:
            ExecutionError: the block raised; the message is the traceback, naming page and line.
        """
        self._next = fence
        options = fence.options
        title = {"title": options["title"]} if "title" in options else {}
        return _run_block(fence.code, session=fence.session or None, **title)

    @property
    def complete(self) -> bool:
        """Whether every executed block ran, none of them failing."""
        return not self._pending and not self.failed

    def execute(self, fence: Fence, code: str, **extra: str) -> str:
        """Run ``code``, the code of ``fence``, in its session; return what it printed."""
        namespace = self._sessions.setdefault(fence.session, {}) if fence.session else {}
        if not self.outputs and not self.failed:  # the page's first block to run
            executions.log("blocks", self.path)
        try:
            printed = _execute(code, self.name, fence.first_code_line, namespace, extra)
        except ExecutionError:
            self.failed = True
            raise
        self.outputs[fence.line] = printed
        return printed


def _execute(code: str, filename: str, first_line: int, namespace: dict, extra: dict) -> str:
    """Run ``code`` in ``namespace`` as lines ``first_line``... of ``filename``; return what it
    printed.

    Raises:
        ExecutionError: the code raised; the message is the traceback (markdown-exec's format).
    """
    # Libraries expect a function's module to exist (dataclasses, pickle): as markdown-exec
    # does, give the block a module of its own.
    module = f"{_MODULE_PREFIX}{first_line - 1}"  # the fence's line: the same in both runs
    namespace["__name__"] = module
    sys.modules[module] = ModuleType(module)
    printed = StringIO()
    namespace["print"] = partial(_print_into, printed)
    # Blank lines before the code put every statement on its line number in the page.
    padded = "\n" * (first_line - 1) + code
    try:
        exec(compile(padded, filename, "exec", dont_inherit=True), namespace)
    except Exception as error:
        # Leave out this function's frame: the traceback starts in the page.
        trace = traceback.format_exception(error.with_traceback(error.__traceback__.tb_next))
        raise ExecutionError(markdown_exec.code_block("python", "".join(trace), **extra)) from error
    return printed.getvalue()


def _print_into(buffer: StringIO, *texts: object, end: str = "\n", **_: object) -> None:
    buffer.write(" ".join(str(text) for text in texts) + end)


def _run_block(code: str, returncode: int = 0, session: str | None = None, **extra: str) -> str:
    """markdown-exec's ``run`` callable: the code of a block of the current page -> its output."""
    extra.pop("id", None)
    page = _current
    fence = page.claim(code) if page is not None else None
    if fence is None:
        # Not a block of a started page: run it alone, as markdown-exec would.
        return _execute(code, "<code block>", 1, {}, extra)
    if page.prerun is not None and fence.line in page.prerun:
        page.outputs[fence.line] = page.prerun[fence.line]
        return page.outputs[fence.line]
    if Settings.reuse and page.recorded is not None and fence.line in page.recorded:
        page.reused = True
        return page.recorded[fence.line]
    if not Settings.execute:
        return ""
    return page.execute(fence, code, **extra)


def format_python(**options: Any) -> str:
    """markdown-exec's formatter for ``python exec="on"`` fences, running them through
    :func:`_run_block`."""
    return markdown_exec.base_format(language="python", run=_run_block, **options)


def register() -> None:
    """Make markdown-exec run Python fences with :func:`format_python` (its public API)."""
    markdown_exec.formatters["python"] = format_python


_current: Page | None = None
_set_aside: dict = {}


def _forget_blocks() -> None:
    # markdown-exec numbers the HTML ids of its outputs with a process-wide counter: restart it so
    # a page's HTML does not depend on the pages built before it.
    markdown_exec.MarkdownConverter.counter = 0
    for module in [m for m in sys.modules if m.startswith(_MODULE_PREFIX)]:
        del sys.modules[module]


def start_page(path: Path | str, root: Path | str) -> Page:
    """Forget every block run so far and make ``path`` the page whose blocks run next.

    Tracebacks name the page by its path relative to ``root`` (the repository). The modules of
    :data:`~docs_support.fresh_imports.FRESH_MODULES` are set aside, so the page imports its
    own copy; :func:`end_page` puts them back.
    """
    global _current
    if _current is not None:
        end_page()
    install()
    _forget_blocks()
    _set_aside.update({n: m for n, m in sys.modules.items() if is_fresh(n)})
    forget_modules()
    path, root = Path(path).resolve(), Path(root).resolve()
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    _current = Page(path, name, root)
    return _current


def end_page() -> None:
    """Record the current page's outputs (if the build records), forget its blocks and imports,
    and put back the modules set aside.

    pytest runs unit tests in the same process: their modules hold the ``minimodel`` they
    imported, which must stay the one in ``sys.modules``.
    """
    global _current
    if _current is None:
        return
    page, _current = _current, None
    tally.update(["run"] * bool(page.outputs or page.failed) + ["reused"] * page.reused)
    if Settings.record and page.complete and page.outputs:
        record.save(page.root, page.name, page.key, page.outputs)
    _forget_blocks()
    forget_modules()
    sys.modules.update(_set_aside)
    _set_aside.clear()


def current_page() -> Page | None:
    """The page given to the last :func:`start_page`."""
    return _current


def output_differences(recorded: dict[int, str] | None, fence: Fence, printed: str) -> str | None:
    """How ``printed`` differs from what the build recorded for ``fence`` (``recorded``: the
    page's record), or None if equal (or if the build recorded nothing for these sources)."""
    if recorded is None or fence.line not in recorded:
        return None
    expected = recorded[fence.line]
    if printed == expected:
        return None
    ours, theirs = printed.splitlines(), expected.splitlines()
    index = next(
        (i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
        min(len(ours), len(theirs)),
    )
    here = ours[index] if index < len(ours) else "(end of output)"
    there = theirs[index] if index < len(theirs) else "(end of output)"
    return (
        f"printed line {index + 1} differs from the build's: {here!r} here, {there!r} in the "
        "build (seed every random draw; print nothing that depends on time or on the process)"
    )
