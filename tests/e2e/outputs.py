"""What each executed block of the book prints, to look for on the rendered pages.

The blocks are run again, in a subprocess, through :mod:`docs_support.blocks` (the runner the
build and the doc tests share), so what is found here is what the build printed into the page:
the book's builds are reproducible. A subprocess keeps the pages' imports out of this process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from site_helpers import ENV, ROOT

_RUN_ALL = """
import json, sys, traceback
from pathlib import Path
root = Path(sys.argv[1])
sys.path.insert(0, str(root))
from docs_support import blocks
result = {}
for path in sorted((root / "docs").rglob("*.md")):
    name = path.relative_to(root).as_posix()
    page = blocks.start_page(path, root)
    try:
        # Only the blocks the build runs (the doc tests also run PyTorch blocks).
        result[name] = [
            {"line": fence.line, "options": fence.options, "output": page.run(fence)}
            for fence in page.fences
            if fence.executed
        ]
    except Exception:
        result[name] = traceback.format_exc()
    blocks.end_page()
json.dump(result, sys.stdout)
"""


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


class BlockRun:
    """Runs every executed block of the book in a subprocess, started at once: the browser tests
    go on meanwhile, and :meth:`outputs` waits for it."""

    def __init__(self, root: Path = ROOT) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _RUN_ALL, str(root)],
            cwd=root,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._result: dict[str, list[Output] | str] | None = None

    def outputs(self) -> dict[str, list[Output] | str]:
        """Page source (``docs/es/02-optim.md``) -> what its blocks print, in page order; or the
        traceback of the block that raised."""
        if self._result is None:
            stdout, stderr = self._process.communicate()
            if self._process.returncode != 0:
                raise RuntimeError(f"running the book's blocks failed:\n{stderr}")
            self._result = {
                page: found
                if isinstance(found, str)
                else [Output(page, b["line"], b["options"], b["output"]) for b in found]
                for page, found in json.loads(stdout).items()
            }
        return self._result

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()


def source_of(docs: Path, lang: str, rel: str) -> Path | None:
    """The Markdown file of the page ``rel`` (``02-optim/``) of ``lang``, if any."""
    stem = rel.strip("/")
    candidates = [docs / lang / "index.md"] if not stem else []
    candidates += [docs / lang / f"{stem}.md", docs / lang / stem / "index.md"]
    return next((path for path in candidates if path.is_file()), None)
