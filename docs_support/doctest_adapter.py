"""The only module that reaches into pytest-markdown-docs' internals.

pytest-markdown-docs is the book's doc-test runner (root ``conftest.py``). The book needs two
things it has no public API for, so they live here, and nowhere else:

- which fences become tests: its collector of a Markdown file
  (``pytest_markdown_docs.plugin.MarkdownTextFile``) is narrowed to the fences the book runs,
  and its collector of docstrings (``MarkdownDocstringCodeModule``) is dropped;
- how a fence runs: its default runner (``pytest_markdown_docs._runners``) is replaced.

pyproject.toml pins the version these were written against (``pytest-markdown-docs==0.9.2``).
An upgrade that moves them fails loudly, not silently: tests/docs/test_docs_collection.py
checks that exactly the book's blocks are collected, test_docs_failures.py and
test_docs_torch_blocks.py that they run in their page's sessions and that a failure names page
and line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

try:
    from pytest_markdown_docs import _runners
    from pytest_markdown_docs.plugin import MarkdownDocstringCodeModule, MarkdownTextFile
except ImportError:  # the docs extras are not installed: unit tests still run
    AVAILABLE = False
else:
    AVAILABLE = True

# What the book does with a fence: run(page, line), and describe(page, line, excinfo) -> the
# failure's text, or None for pytest's own.
Run = Callable[[Path, int], None]
Describe = Callable[[Path, int, pytest.ExceptionInfo], str | None]


def book_collectors(
    collectors: list[pytest.Collector],
    file_path: Path,
    parent: pytest.Collector,
    docs: Path,
    lines_that_run: Callable[[Path], set[int]],
) -> list[pytest.Collector]:
    """pytest-markdown-docs' ``collectors`` of ``file_path``, keeping only pages under ``docs``
    and, of a page, only the fences that open on ``lines_that_run(page)``."""

    class BookPage(MarkdownTextFile):
        def collect(self):
            tested = lines_that_run(self.path)
            # pytest-markdown-docs' start_line is the 1-based line of the opening fence.
            return [item for item in super().collect() if item.start_line in tested]

    kept = []
    for collector in collectors:
        if isinstance(collector, MarkdownDocstringCodeModule):
            continue  # docstrings hold `>>>` examples, not book pages
        if isinstance(collector, MarkdownTextFile):
            if not file_path.resolve().is_relative_to(docs):
                continue  # only pages the build executes
            collector = BookPage.from_parent(parent, path=file_path)
        kept.append(collector)
    return kept


def use_runner(run: Run, describe: Describe) -> None:
    """Run every collected fence with ``run`` and report its failures with ``describe``."""

    @_runners.register_runner(default=True)
    class BookRunner(_runners.DefaultRunner):
        def runtest(self, test, args, **_):
            run(Path(test.source_path), test.start_line)

        def repr_failure(self, test, excinfo, style=None):
            described = describe(Path(test.source_path), test.start_line, excinfo)
            return described or super().repr_failure(test, excinfo, style)
