"""The rules every page of the book follows, as functions that list what breaks them.

tests/docs runs them on docs/ and on small pages made to break them; CONTRIBUTING.md states
them for writers. Each function returns human-readable problems, ``path:line: what``; an empty
list means the rule holds.
"""

from __future__ import annotations

import ast
import io
import symtable
import tokenize
from pathlib import Path

import yaml

from docs_support.fences import (
    HIDE_MARKER,
    TORCH_OPTIONS,
    Fence,
    code_signature,
    read_fences,
    shown,
)

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"

# Options of an executed fence that the build and the tests both honour. `workdir`, `width` or
# `returncode` would make the build run a block differently from pytest.
ALLOWED_OPTIONS = {"exec", "session", "source", "result", "html", "id", "title", "tabs"}
# Options that may differ between the two languages of a page: they only label what is shown.
TRANSLATABLE_OPTIONS = {"title", "tabs"}
# Fence languages that hold Python, run or not.
PYTHON_LANGUAGES = {"python", "py"}


def pages(docs: Path, language: str) -> list[str]:
    """The Markdown pages of one language, as paths relative to its folder."""
    root = docs / language
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))


def missing_translations(docs: Path) -> list[str]:
    """Pages that exist in some languages but not in all."""
    by_language = {language: set(pages(docs, language)) for language in LANGUAGES}
    everywhere = set.intersection(*by_language.values())
    return [
        f"{shown(docs / lang / page)}: missing in {'/'.join(sorted(set(LANGUAGES) - {lang}))}"
        for lang, found in by_language.items()
        for page in sorted(found - everywhere)
    ]


def nested_executed_fences(fences: list[Fence]) -> list[str]:
    """Executed or PyTorch fences inside an admonition, a tab or a list: pytest-markdown-docs
    skips the first two silently, so every fence that runs must start at column 0."""
    return [
        f"{fence.where}: {'PyTorch' if fence.needs_torch else 'executed'} fence indented by "
        f"{fence.indent} spaces (in an admonition, a tab or a list?); put it at column 0, e.g. in "
        "a `/// details` block"
        for fence in fences
        if fence.tested and fence.indent
    ]


def bad_fence_options(fences: list[Fence]) -> list[str]:
    """Executed fences with options the tests would not honour, and fences that look executed
    but are not (``py exec="on"``, ``exec="yes"``)."""
    problems = []
    for fence in fences:
        if "exec" in fence.options and fence.language != "python":
            problems.append(f"{fence.where}: exec on a `{fence.language}` fence; use ```python")
        if "torch" in fence.options:
            problems += _bad_torch_options(fence)
        if not fence.executed:
            continue
        if fence.options["exec"] != "on":
            problems.append(f'{fence.where}: write exec="on", not exec="{fence.options["exec"]}"')
        unknown = sorted(set(fence.options) - ALLOWED_OPTIONS)
        if unknown:
            problems.append(f"{fence.where}: unsupported option(s) {', '.join(unknown)}")
        if fence.words:
            # `notest`, `continuation`, `fixture:x`... change what pytest runs, or make
            # markdown-exec show the block without running it.
            problems.append(f"{fence.where}: unexpected word(s) {' '.join(fence.words)}")
    return problems


def _bad_torch_options(fence: Fence) -> list[str]:
    """A PyTorch block is ``python torch="on"`` with a few options, and is never executed."""
    if fence.language != "python" or fence.options["torch"] != "on" or "exec" in fence.options:
        return [f'{fence.where}: a PyTorch block is ```python torch="on"```, without exec']
    problems = []
    unknown = sorted(set(fence.options) - TORCH_OPTIONS)
    if unknown:
        problems.append(f"{fence.where}: unsupported option(s) {', '.join(unknown)}")
    if fence.words:
        problems.append(f"{fence.where}: unexpected word(s) {' '.join(fence.words)}")
    return problems


def uncompilable_illustrations(fences: list[Fence]) -> list[str]:
    """Python fences shown without being run must at least be valid Python."""
    problems = []
    for fence in fences:
        if fence.language in PYTHON_LANGUAGES and not fence.executed:
            try:
                ast.parse(fence.code)
            except SyntaxError as error:
                line = fence.first_code_line + (error.lineno or 1) - 1
                problems.append(
                    f"{shown(fence.path)}:{line}: illustrative fence is not Python: {error.msg}"
                )
    return problems


def partly_hidden_statements(fences: list[Fence]) -> list[str]:
    """Statements of executed or PyTorch blocks hidden on some of their lines only.

    markdown-exec hides line by line: a statement split over several lines, or a hidden ``if``
    whose body is not hidden, would show the reader a fragment.
    """
    problems = []
    for fence in fences:
        if not fence.tested or HIDE_MARKER not in fence.code:
            continue
        lines = fence.code.splitlines()
        hidden = [HIDE_MARKER in line for line in lines]
        start = None
        for token in tokenize.generate_tokens(io.StringIO(fence.code + "\n").readline):
            if start is None and token.type not in (
                tokenize.NL,
                tokenize.COMMENT,
                tokenize.INDENT,
                tokenize.DEDENT,
                tokenize.ENCODING,
            ):
                start = token.start[0]
            if token.type == tokenize.NEWLINE and start is not None:
                statement = hidden[start - 1 : token.start[0]]
                if any(statement) and not all(statement):
                    problems.append(
                        f"{shown(fence.path)}:{fence.first_code_line + start - 1}: statement "
                        "hidden on some of its lines only: mark every line, or none"
                    )
                start = None
        for number, line in enumerate(lines):
            code = line.split("#", 1)[0].rstrip()
            if not (hidden[number] and code.endswith(":")):
                continue
            indent = len(line) - len(line.lstrip())
            for inner, body in enumerate(lines[number + 1 :], number + 1):
                if body.strip() and len(body) - len(body.lstrip()) <= indent:
                    break
                if body.strip() and not hidden[inner]:
                    problems.append(
                        f"{shown(fence.path)}:{fence.first_code_line + inner}: shown line in "
                        "the body of a hidden statement"
                    )
    return problems


def _global_names(code: str) -> tuple[set[str], set[str]]:
    """The global names a block binds, and those it reads without binding them itself."""
    top = symtable.symtable(code, "<block>", "exec")
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    read: set[str] = set()
    tables = [top]
    while tables:
        table = tables.pop()
        tables += table.get_children()
        read |= {
            symbol.get_name()
            for symbol in table.get_symbols()
            if symbol.is_referenced() and (table is top or symbol.is_global())
        }
    return bound, read - bound


def _unconditionally_bound(code: str) -> set[str]:
    """Names the block's top-level statements always bind (not inside an ``if`` or a loop)."""
    names: set[str] = set()
    for node in ast.parse(code).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def names_rebound_by_torch_blocks(fences: list[Fence]) -> list[str]:
    """Names a later executed block reads from a PyTorch block of its session.

    The build never runs PyTorch blocks and the doc tests do, so such a name would hold a torch
    object (or anything else) in the doc tests and another value, or none, in the build: the two
    would no longer run the same code. Name what PyTorch blocks make ``torch_model``, not
    ``model``. An executed block that binds the name again, unconditionally, makes it safe to
    read after it: both runs see that block's value (chapter 04's ported scripts rebind the
    names of the PyTorch scripts they port).
    """
    problems = []
    bound: dict[tuple[str, str], Fence] = {}  # (session, name) -> the PyTorch block binding it
    for fence in fences:
        if not fence.session or not fence.tested:
            continue  # a block without a session shares nothing
        try:
            binds, reads = _global_names(fence.code)
        except SyntaxError:
            continue  # reported by the build and the tests
        if fence.needs_torch:
            bound.update({(fence.session, name): fence for name in binds})
            continue
        for name in sorted(reads):
            if (fence.session, name) in bound:
                problems.append(
                    f"{fence.where}: reads {name!r}, which the PyTorch block at "
                    f"{bound[fence.session, name].where} binds: only the doc tests run that block"
                )
        for name in _unconditionally_bound(fence.code):
            bound.pop((fence.session, name), None)
    return problems


def code_differences(first: list[Fence], second: list[Fence]) -> list[str]:
    """Differences between the Python code of two translations of a page.

    Every Python fence counts: executed, PyTorch and illustrative ones (such as the scripts that
    :mod:`docs_support.scripts` runs from the page). Comments, string literals and the options in
    :data:`TRANSLATABLE_OPTIONS` may differ; the number of blocks, their other options and every
    other token may not.
    """
    first = [f for f in first if f.language in PYTHON_LANGUAGES]
    second = [f for f in second if f.language in PYTHON_LANGUAGES]
    if len(first) != len(second):
        where = " vs ".join(shown(f[0].path) if f else "(no block)" for f in (first, second))
        return [f"{where}: {len(first)} Python blocks vs {len(second)}"]
    problems = []
    for a, b in zip(first, second, strict=True):
        options_a = {k: v for k, v in a.options.items() if k not in TRANSLATABLE_OPTIONS}
        options_b = {k: v for k, v in b.options.items() if k not in TRANSLATABLE_OPTIONS}
        if options_a != options_b:
            problems.append(f"{a.where} vs {b.where}: options differ: {options_a} vs {options_b}")
        tokens_a, tokens_b = code_signature(a.code), code_signature(b.code)
        if tokens_a != tokens_b:
            index = next(
                (i for i, (x, y) in enumerate(zip(tokens_a, tokens_b, strict=False)) if x != y),
                min(len(tokens_a), len(tokens_b)),
            )
            near_a = " ".join(t for _, t in tokens_a[index : index + 6]) or "(end of block)"
            near_b = " ".join(t for _, t in tokens_b[index : index + 6]) or "(end of block)"
            problems.append(f"{a.where} vs {b.where}: code differs at {near_a!r} vs {near_b!r}")
    return problems


def translation_differences(docs: Path) -> list[str]:
    """:func:`code_differences` for every page present in all languages."""
    shared = set.intersection(*(set(pages(docs, language)) for language in LANGUAGES))
    problems = []
    for page in sorted(shared):
        reference = read_fences(docs / DEFAULT_LANGUAGE / page)
        for language in LANGUAGES:
            if language != DEFAULT_LANGUAGE:
                problems += code_differences(reference, read_fences(docs / language / page))
    return problems


def load_mkdocs_config(path: Path) -> dict:
    """mkdocs.yml as plain data (its ``!!python/name`` tags are read as strings)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def nav_titles(nav: list) -> list[str]:
    """The explicit titles of a MkDocs ``nav`` (sections and titled pages), in order."""
    titles = []
    for entry in nav:
        if isinstance(entry, dict):
            for title, value in entry.items():
                titles.append(title)
                if isinstance(value, list):
                    titles += nav_titles(value)
    return titles


def nav_pages(nav: list) -> list[str]:
    """The page paths of a MkDocs ``nav``, in order."""
    found = []
    for entry in nav:
        values = entry.values() if isinstance(entry, dict) else [entry]
        for value in values:
            found += nav_pages(value) if isinstance(value, list) else [value]
    return found


def untranslated_nav(config: dict) -> list[str]:
    """Explicit nav titles without a translation, and translations of titles not in the nav."""
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    titles = set(nav_titles(config["nav"]))
    problems = []
    for language in i18n["languages"]:
        if language.get("default"):
            continue
        translations = language.get("nav_translations") or {}
        for title in sorted(titles - set(translations)):
            problems.append(
                f"mkdocs.yml: nav title {title!r} has no {language['locale']} translation"
            )
        for title in sorted(set(translations) - titles):
            problems.append(
                f"mkdocs.yml: {language['locale']} translates {title!r}, not in the nav"
            )
    return problems


def untitled_pages(docs: Path, config: dict) -> list[str]:
    """Nav pages without their own title (their nav label) in some language."""
    problems = []
    for page in nav_pages(config["nav"]):
        for language in LANGUAGES:
            path = docs / language / page
            if not path.exists():
                problems.append(f"{shown(path)}: listed in the nav but missing")
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            if not lines or not lines[0].startswith("# "):
                problems.append(f"{shown(path)}:1: a page starts with its title, `# Title`")
    return problems
