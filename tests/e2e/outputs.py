"""What each executed block of the book printed at the build, to look for on the rendered pages.

The build records each page's outputs (:mod:`docs_support.record`), keyed on the page's text and
the sources it ran: the outputs read here are those the build printed into the pages, and no
block runs again for the browser tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from site_helpers import ROOT

from docs_support import record
from docs_support.fences import executed_fences


def recorded_outputs(root: Path = ROOT) -> dict[str, list[Output] | str]:
    """Page source (``docs/es/02-optim.md``) -> what its executed blocks printed at the last
    build, in page order; or why there is no record of the page as it is now."""
    found: dict[str, list[Output] | str] = {}
    for path in sorted((root / "docs").rglob("*.md")):
        name = path.relative_to(root).as_posix()
        fences = executed_fences(path)
        outputs = record.load_page(root, path) if fences else {}
        if outputs is None or set(outputs) != {fence.line for fence in fences}:
            found[name] = "the build recorded no output for this page as it is now: build again"
            continue
        found[name] = [Output(name, f.line, f.options, outputs[f.line]) for f in fences]
    return found


@dataclass(frozen=True)
class Output:
    """What one executed fence printed, and how markdown-exec renders it."""

    page: str
    line: int
    options: dict
    text: str

    @property
    def is_html(self) -> bool:
        return self.options.get("html", "").lower() in {"1", "true", "yes", "on"}

    @property
    def plots(self) -> int:
        """How many of the book's plots (``docs_support.plots``) the block printed."""
        return self.text.count('class="minimodel-plot"') if self.is_html else 0

    @property
    def is_code(self) -> bool:
        """Shown as a code block (``result="text"``...), not as Markdown or HTML."""
        return "result" in self.options and not self.is_html

    @property
    def visible_text(self) -> str:
        """The text a reader sees. Markdown expands tabs (4 columns) in a code block; Markdown
        and HTML outputs are reduced to their text, plots left out."""
        if self.is_code:
            return self.text.expandtabs(4)
        reader = _TextOutsideSvg()
        reader.feed(self.text)
        return "".join(reader.parts)

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


class _TextOutsideSvg(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.svg_depth += tag == "svg"

    def handle_endtag(self, tag: str) -> None:
        self.svg_depth -= tag == "svg"

    def handle_data(self, data: str) -> None:
        if not self.svg_depth:
            self.parts.append(data)


def source_of(docs: Path, lang: str, rel: str) -> Path | None:
    """The Markdown file of the page ``rel`` (``02-optim/``) of ``lang``, if any."""
    stem = rel.strip("/")
    candidates = [docs / lang / "index.md"] if not stem else []
    candidates += [docs / lang / f"{stem}.md", docs / lang / stem / "index.md"]
    return next((path for path in candidates if path.is_file()), None)
