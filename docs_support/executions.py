"""Count how many times the book's pages run, to hold the test command to two runs a page.

With ``MINIMODEL_BOOK_EXECUTION_LOG=FILE`` in the environment, every run of a page's code
appends one line to ``FILE``: how it ran and the page's absolute path. The build and the
in-process doc tests log when the first block of a page runs (:mod:`docs_support.blocks`), the
doc tests of a chapter when its notebook's kernel starts (:mod:`docs_support.notebook_run`).
Pages whose recorded outputs are printed again (``mkdocs serve``) run nothing and log nothing.

scripts/test.sh sets the variable and, after the tests, runs ``python -m docs_support.executions
FILE``, which prints the runs of every page of the book and fails if one ran more than twice.
Copies of the project built by the tests log under their own paths, which are not counted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

VARIABLE = "MINIMODEL_BOOK_EXECUTION_LOG"
ROOT = Path(__file__).resolve().parents[1]
# The build, and the doc tests: the most runs of a page in one run of the test command.
AT_MOST = 2


def log(kind: str, page: Path) -> None:
    """Note that ``page``'s code runs now, as ``kind`` (``blocks`` or ``notebook``)."""
    target = os.environ.get(VARIABLE)
    if target:
        with open(target, "a", encoding="utf-8") as file:
            file.write(f"{kind}\t{Path(page).resolve()}\n")


def runs(log_file: Path, docs: Path) -> dict[str, Counter[str]]:
    """Page (relative to ``docs``) -> how many times it ran, by kind, of the pages in ``docs``."""
    found: dict[str, Counter[str]] = {
        page.relative_to(docs).as_posix(): Counter() for page in sorted(docs.rglob("*.md"))
    }
    text = log_file.read_text(encoding="utf-8") if log_file.is_file() else ""
    for line in text.splitlines():
        kind, _, path = line.partition("\t")
        page = Path(path)
        if page.is_relative_to(docs) and page.relative_to(docs).as_posix() in found:
            found[page.relative_to(docs).as_posix()][kind] += 1
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path, help="the file MINIMODEL_BOOK_EXECUTION_LOG named")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--at-most", type=int, default=AT_MOST)
    args = parser.parse_args(argv)
    counted = runs(args.log, args.docs.resolve())
    too_many = []
    for page, kinds in counted.items():
        if not kinds:
            continue  # a page without executed blocks (the API reference)
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        print(f"{page}: ran {kinds.total()} times ({detail})")
        if kinds.total() > args.at_most:
            too_many.append(page)
    if too_many:
        print(f"ran more than {args.at_most} times: {', '.join(too_many)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
