"""MkDocs hooks that give each chapter page its notebook (``hooks:`` in mkdocs.yml).

Each home page also gets a marker where scripts/build_pdf.py, run after the build, links the
book's PDF; a site built without it shows no dead link.

Kept apart from docs_support/mkdocs_hooks.py; :mod:`docs_support.notebooks` does the work. Each
chapter page (a name starting with two digits) gets a download link under its title, and the
build writes the notebook next to the page's HTML, with the outputs its blocks just printed.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path


def _chapter(page) -> str | None:
    from docs_support.notebook_run import is_chapter

    source = Path(page.file.src_uri)
    return source.stem if is_chapter(source) else None


def on_page_markdown(markdown, page, config, files):
    from docs_support import notebooks

    stem = _chapter(page)
    source = Path(page.file.src_uri)
    if source.name == "index.md" and source.parent.name in ("", "en", "es"):
        # Where scripts/build_pdf.py links the PDF it prints (docs_support.pdf.PDF_MARKER).
        return f"{markdown}\n\n<!-- book-pdf -->\n"
    if stem is None:
        return markdown
    title, _, rest = markdown.partition("\n")
    lang = config.theme.get("language", "en")
    return f"{title}\n\n{notebooks.link(stem + '.ipynb', lang)}\n{rest}"


# on_page_content runs right after the page's blocks ran (MkDocs renders every page's Markdown
# before writing any page), so the current page of docs_support.blocks is this one, and its
# outputs (or, under `mkdocs serve`, the recorded ones it printed again) are what the page shows.
def on_page_content(html, page, config, files):
    from docs_support import blocks, notebooks, wheel

    stem = _chapter(page)
    if stem is not None:
        lang = config.theme.get("language", "en")
        source = Path(page.file.abs_src_path)
        ran = blocks.current_page()
        printed = {}
        if ran is not None and ran.path.resolve() == source.resolve():
            printed = ran.outputs or ran.recorded or {}
        by_code = notebooks.outputs_by_code(ran.fences if ran is not None else [], printed)
        text = source.read_text(encoding="utf-8")
        key = (text, lang, config.site_url, stem, json.dumps(by_code), wheel.wheel_name())
        notebook = _notebook(*key)
        built = Path(config.site_dir) / page.file.dest_uri
        notebooks.write(notebook, built.parent / f"{stem}.ipynb")
    return html


# `mkdocs serve` rebuilds every page: make again only the notebooks whose page or outputs changed
# (notebooks.build reads nothing else but the wheel's name, the last argument).
@functools.lru_cache(maxsize=32)
def _notebook(text: str, lang: str, site_url: str, stem: str, by_code: str, _wheel: str) -> dict:
    from docs_support import notebooks

    return notebooks.build(text, lang, site_url, stem, json.loads(by_code))
