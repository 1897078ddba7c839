"""What the prose of a page says, section by section, so that two translations can be compared.

:func:`docs_support.checks.code_differences` compares the code of two translations; this module
compares their prose: the same headings (count and levels), the same admonitions, folded
solutions and exercises in the same order, and, section by section, the same link targets, the
same identifiers in inline code and the same numbers. The words may differ; what a reader can
check or click may not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docs_support.checks import DEFAULT_LANGUAGE, LANGUAGES, pages
from docs_support.fences import shown

_FENCE = re.compile(r"^ *(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6}) +(.*?)(?: +\{[^}]*\})? *$")
# `!!! note "Title"`, `??? tip`, `???+ warning`: admonitions, fixed, folded or unfolded.
_ADMONITION = re.compile(r"^ *(!!!|\?\?\?\+?) *([\w-]+)")
# `/// details | Summary` or `/// note | Title`, with `    type: tip` and `    open: True` below.
_BLOCK = re.compile(r"^///\s*([\w-]+)")
_BLOCK_OPTION = re.compile(r"^ +(type|open): *(\S+)")
# `**2. The scale of the gradients.**`: an exercise of the chapter's last section.
_EXERCISE = re.compile(r"^\*\*(\d+)\.")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# `[text](target)`, `[text][target]`, and `[target][]`.
_LINK = re.compile(r"\]\(([^)\s]+)[^)]*\)|\]\[([^\]]+)\]")
_EMPTY_REFERENCE = re.compile(r"\[([^\]]+)\]\[\]")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Numbers as the prose writes them; a thousands separator or a decimal comma would be read as
# two numbers, so both languages must write `1000` and `0.37`.
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")
_HTML_TAG = re.compile(r"<[^>]+>")


@dataclass
class Section:
    """What one section of a page (from one heading to the next) lets a reader check.

    Args:
        level: the heading's level (1 for ``#``).
        title: the heading's text.
        line: the heading's line, 1-based.
        blocks: admonitions, details blocks and exercises in page order, as
            ``"kind (state)"`` or ``"exercise N"``.
        links: the link targets.
        identifiers: the identifiers written in inline code, string literals left out.
        numbers: the numbers written in the prose, outside code.
    """

    level: int
    title: str
    line: int
    blocks: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)


def prose_lines(text: str):
    """The lines outside code fences, with their 1-based numbers."""
    closing = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if closing:
            # A fence closes on a line of the same character, at least as long, and nothing else.
            if match and match.group(1).startswith(closing) and not line.strip().strip(closing[0]):
                closing = None
            continue
        if match:
            closing = match.group(1)
            continue
        yield number, line


def sections(text: str) -> list[Section]:
    """The sections of a page; text above the first heading forms a section of level 0."""
    found = [Section(level=0, title="(above the first heading)", line=1)]
    lines = list(prose_lines(text))
    for index, (number, line) in enumerate(lines):
        section = found[-1]
        heading = _HEADING.match(line)
        if heading:
            found.append(Section(len(heading.group(1)), heading.group(2), number))
            continue
        admonition = _ADMONITION.match(line)
        if admonition:
            mark, kind = admonition.groups()
            state = {"!!!": "not foldable", "???": "folded", "???+": "unfolded"}[mark]
            section.blocks.append(f"{kind} ({state})")
            continue
        block = _BLOCK.match(line)
        if block:
            section.blocks.append(_block_kind(block.group(1), lines[index + 1 :]))
            continue
        exercise = _EXERCISE.match(line)
        if exercise:
            section.blocks.append(f"exercise {exercise.group(1)}")
        _read_prose(line, section)
    if len(found) > 1 and not (found[0].blocks or found[0].links or found[0].numbers):
        found.pop(0)
    return found


def _block_kind(name: str, following: list[tuple[int, str]]) -> str:
    """``/// details`` is folded unless ``open: True``; ``/// note`` and the like are not."""
    options = {}
    for _, line in following:
        option = _BLOCK_OPTION.match(line)
        if not option:
            break
        options[option.group(1)] = option.group(2)
    if name == "details":
        kind = f"details {options.get('type', 'note')}"
        state = "unfolded" if options.get("open", "").lower() in {"true", "1"} else "folded"
        return f"{kind} ({state})"
    return f"{options.get('type', name)} (not foldable)"


def _read_prose(line: str, section: Section) -> None:
    spans = [match.group(2) for match in _CODE_SPAN.finditer(line)]
    for span in spans:
        section.identifiers.update(_IDENTIFIER.findall(_QUOTED.sub(" ", span)))
    prose = _CODE_SPAN.sub(" ", line)
    for match in _LINK.finditer(prose):
        section.links.add(match.group(1) or match.group(2))
    for match in _EMPTY_REFERENCE.finditer(line):
        section.links.add(match.group(1).strip("`"))
    prose = _HTML_TAG.sub(" ", _LINK.sub("] ", prose))
    prose = re.sub(r"\{[^}]*\}", " ", prose)
    section.numbers.update(_NUMBER.findall(prose))


def _difference(kind: str, first: set[str], second: set[str], languages: tuple[str, str]) -> str:
    parts = []
    for language, only in ((languages[0], first - second), (languages[1], second - first)):
        if only:
            parts.append(f"only in {language}: {', '.join(sorted(only))}")
    return f"{kind} differ ({'; '.join(parts)})"


def structure_differences(
    first: str, second: str, where: str, languages: tuple[str, str] = ("en", "es")
) -> list[str]:
    """How the prose of two translations of a page differs in what a reader can check.

    Args:
        first: the page in the reference language.
        second: its translation.
        where: how to name the translation in the problems (its path).
        languages: the names of the two languages, for the messages.
    """
    ours, theirs = sections(first), sections(second)
    levels = [(s.level, s.title) for s in ours], [(s.level, s.title) for s in theirs]
    if [level for level, _ in levels[0]] != [level for level, _ in levels[1]]:
        index = next(
            (
                i
                for i, (a, b) in enumerate(zip(*levels, strict=False))
                if a[0] != b[0] or (a[0] == 0) != (b[0] == 0)
            ),
            min(len(ours), len(theirs)),
        )
        near = [
            f"{'#' * s[index][0]} {s[index][1]}" if index < len(s) else "(no more headings)"
            for s in levels
        ]
        return [
            f"{where}: headings differ: {len(ours) - (ours[0].level == 0)} in {languages[0]}, "
            f"{len(theirs) - (theirs[0].level == 0)} in {languages[1]}; heading "
            f"{index + 1} is {near[0]!r} in {languages[0]} but {near[1]!r} in {languages[1]}"
        ]
    problems = []
    for a, b in zip(ours, theirs, strict=True):
        name = f"{where}:{b.line}: section {b.title!r} ({languages[0]}: {a.title!r})"
        if a.blocks != b.blocks:
            problems.append(
                f"{name}: admonitions and exercises differ: {languages[0]} has "
                f"{a.blocks or 'none'}, {languages[1]} has {b.blocks or 'none'}"
            )
        for kind, x, y in (
            ("link targets", a.links, b.links),
            ("inline-code identifiers", a.identifiers, b.identifiers),
            ("numbers in the prose", a.numbers, b.numbers),
        ):
            if x != y:
                problems.append(f"{name}: {_difference(kind, x, y, languages)}")
    return problems


def translation_structure_differences(docs: Path) -> list[str]:
    """:func:`structure_differences` for every page present in all languages."""
    shared = set.intersection(*(set(pages(docs, language)) for language in LANGUAGES))
    problems = []
    for page in sorted(shared):
        reference = (docs / DEFAULT_LANGUAGE / page).read_text(encoding="utf-8")
        for language in LANGUAGES:
            if language != DEFAULT_LANGUAGE:
                path = docs / language / page
                problems += structure_differences(
                    reference,
                    path.read_text(encoding="utf-8"),
                    shown(path),
                    (DEFAULT_LANGUAGE, language),
                )
    return problems
