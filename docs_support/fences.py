"""Read the code fences of a Markdown page, independently of any Markdown library.

The book's checks compare what this module finds with what the build executes and what pytest
collects, so it deliberately does not share a parser with either: it sees every fence, at any
indentation, including the ones nested in admonitions or tabs that pytest-markdown-docs skips.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

_OPENING = re.compile(r"^(?P<indent> *)(?P<marks>`{3,}|~{3,})(?P<info>.*)$")
# `key="value"`, `key='value'` or `key=value`, as pymdownx.superfences reads fence options.
_OPTION = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
# markdown-exec's truth test for exec="...": everything but these values turns execution on.
_FALSE_VALUES = {"", "no", "off", "false", "0"}
# The only fence language markdown-exec runs (mkdocs.yml: markdown-exec languages: [python]).
EXECUTED_LANGUAGE = "python"
# A line of an executed block holding this runs but is not shown (markdown-exec's rule).
HIDE_MARKER = "markdown-exec: hide"
# The options of a PyTorch block (``python torch="on"``, see docs_support.torch_blocks).
TORCH_OPTIONS = {"torch", "session", "id", "title"}


@dataclass(frozen=True)
class Fence:
    """One fenced code block of a Markdown file.

    Args:
        path: the Markdown file.
        line: 1-based line number of the opening fence; the code starts on the next line.
        indent: spaces before the opening fence (0 for a top-level fence).
        language: the first word of the info string (``python``, ``text``...), or ``""``.
        options: the ``key="value"`` options of the info string.
        words: the other words of the info string.
        code: the fenced lines, without the fence's own indentation.
    """

    path: Path
    line: int
    indent: int
    language: str
    options: dict[str, str] = field(hash=False)
    words: tuple[str, ...]
    code: str

    @property
    def executed(self) -> bool:
        """Whether markdown-exec runs this fence when the site is built."""
        exec_value = self.options.get("exec", "")
        return self.language == EXECUTED_LANGUAGE and exec_value.lower() not in _FALSE_VALUES

    @property
    def needs_torch(self) -> bool:
        """Whether this is a PyTorch block (``python torch="on"``): the build shows it without
        running it, the doc tests run it (see :mod:`docs_support.torch_blocks`)."""
        return (
            self.language == EXECUTED_LANGUAGE
            and not self.executed
            and self.options.get("torch", "").lower() not in _FALSE_VALUES
        )

    @property
    def tested(self) -> bool:
        """Whether the doc tests run this fence: executed blocks and PyTorch blocks."""
        return self.executed or self.needs_torch

    @property
    def session(self) -> str:
        """The markdown-exec session name; ``""`` means the block runs alone."""
        return self.options.get("session", "")

    @property
    def first_code_line(self) -> int:
        """1-based line number, in the page, of the fence's first line of code."""
        return self.line + 1

    @property
    def where(self) -> str:
        """``path:line`` of the opening fence, for messages."""
        return f"{shown(self.path)}:{self.line}"


def shown(path: Path) -> str:
    """``path`` as messages show it: relative to the working directory when inside it."""
    path = Path(path)
    return path.relative_to(Path.cwd()).as_posix() if path.is_relative_to(Path.cwd()) else str(path)


def parse_info(info: str) -> tuple[str, dict[str, str], tuple[str, ...]]:
    """Split a fence info string into its language, its options and its other words.

    Both ``python exec="on"`` and the brace form ``{.python exec="on"}`` are understood.
    """
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        info = info[1:-1].strip()
        parts = info.split()
        dotted = next((p for p in parts if p.startswith(".")), "")
        info = " ".join([dotted[1:]] + [p for p in parts if p != dotted]) if dotted else info
    options = {
        m[1]: next(v for v in m.groups()[1:] if v is not None) for m in _OPTION.finditer(info)
    }
    first = info.split(maxsplit=1)[0] if info else ""
    language = "" if "=" in first else first
    words = _OPTION.sub(" ", info).split()
    return language, options, tuple(words[1:] if language else words)


def parse_fences(text: str, path: Path | str = "<string>") -> list[Fence]:
    """Return every fenced code block of ``text``, nested or not, in document order."""
    path = Path(path)
    lines = text.splitlines()
    fences: list[Fence] = []
    i = 0
    while i < len(lines):
        opening = _OPENING.match(lines[i])
        if not opening or (opening["marks"][0] == "`" and "`" in opening["info"]):
            i += 1
            continue
        indent, marks = len(opening["indent"]), opening["marks"]
        # CommonMark: a closing fence is indented at most 3 spaces more than its container.
        closing = re.compile(rf"^ {{0,{indent + 3}}}{re.escape(marks[0])}{{{len(marks)},}}\s*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            # Remove at most the fence's own indentation, as CommonMark does.
            body.append(re.sub(rf"^ {{0,{indent}}}", "", lines[j]))
            j += 1
        language, options, words = parse_info(opening["info"])
        fences.append(Fence(path, i + 1, indent, language, options, words, "\n".join(body)))
        i = j + 1
    return fences


def read_fences(path: Path | str) -> list[Fence]:
    """Return the fences of the Markdown file at ``path``."""
    return parse_fences(Path(path).read_text(encoding="utf-8"), path)


def executed_fences(path: Path | str) -> list[Fence]:
    """Return the fences of ``path`` that the build executes, in document order."""
    return [fence for fence in read_fences(path) if fence.executed]


def fences_that_run(path: Path | str) -> list[Fence]:
    """Return the fences of ``path`` that the doc tests run (executed and PyTorch blocks)."""
    return [fence for fence in read_fences(path) if fence.tested]


_IGNORED_TOKENS = {
    tokenize.COMMENT,
    tokenize.STRING,
    tokenize.NL,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
    # Python 3.12+ splits f-strings; their literal parts may differ, their expressions may not.
    *(
        getattr(tokenize, name)
        for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
        if hasattr(tokenize, name)
    ),
}


def code_signature(code: str) -> list[tuple[int, str]]:
    """The tokens of ``code`` that must match between languages: all but comments and strings.

    Two translations of a block have the same signature when only their comments, string
    literals (labels, messages, docstrings) and blank lines differ.
    """
    tokens = tokenize.generate_tokens(io.StringIO(code + "\n").readline)
    return [(tok.type, tok.string) for tok in tokens if tok.type not in _IGNORED_TOKENS]
