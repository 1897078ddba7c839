"""The whole book in one PDF per language, printed from the built site by Chromium.

:func:`print_book` reads each chapter's article from the built HTML (plots are inline SVG, so
they come along), opens every folded solution, and prints the chapters, after a table of
contents, with the site's own stylesheets and a few print rules: each chapter starts a page,
code wraps instead of running off the right margin, a code block or a plot is not split across
pages when it fits on one. Chromium is Debian's, driven by Playwright, as in the browser tests;
the PDF's outline (bookmarks) follows the headings. Nothing is fetched from another host: the
pages and their assets are read from the site folder.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from docs_support.chromium import CHROMIUM, CHROMIUM_ARGS

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "print_book", "served"]
LANGS = {"en": "", "es": "es/"}
CONTENTS = {"en": "Contents", "es": "Contenido"}
_CHAPTER = re.compile(r"^\d\d-")

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { margin: 0; }
.md-typeset { font-size: 10.5pt; }
.chapter { break-before: page; }
.md-typeset pre, .md-typeset pre > code { white-space: pre-wrap; overflow-wrap: anywhere; }
.md-typeset pre, .md-typeset svg, .md-typeset table { break-inside: avoid; }
.md-typeset h1, .md-typeset h2, .md-typeset h3 { break-after: avoid; }
.headerlink, .lab-notebook, .md-clipboard, .md-source-file { display: none !important; }
.md-typeset svg { max-width: 100%; height: auto; }
"""


PDF_MARKER = "<!-- book-pdf -->"
_LINK_WORDS = {
    "en": "The whole book in one PDF, to read offline:",
    "es": "El libro entero en un PDF, para leerlo sin conexión:",
}


def link_from_home(site: Path, lang: str, downloads: str) -> None:
    """Put the PDF's link in the built home page of ``lang``, where the build left its marker."""
    home = site / LANGS[lang] / "index.html" if LANGS[lang] else site / "index.html"
    href = f"{downloads}/{pdf_name(lang)}" if lang == "en" else f"../{downloads}/{pdf_name(lang)}"
    link = f'<p>{_LINK_WORDS[lang]} <a href="{href}" download><code>{pdf_name(lang)}</code></a></p>'
    text = home.read_text(encoding="utf-8")
    if PDF_MARKER not in text:
        raise LookupError(f"{home} has no {PDF_MARKER} marker: was it built by this checkout?")
    home.write_text(text.replace(PDF_MARKER, link), encoding="utf-8")


def pdf_name(lang: str) -> str:
    return f"minimodel-book-{lang}.pdf"


def chapters(site: Path, lang: str) -> list[Path]:
    """The built chapter pages of ``lang``, in order."""
    folder = site / LANGS[lang] if LANGS[lang] else site
    return sorted(p / "index.html" for p in folder.iterdir() if _CHAPTER.match(p.name))


_READ_ARTICLE = """() => {
    const article = document.querySelector("article.md-content__inner");
    article.querySelectorAll("details").forEach((d) => d.setAttribute("open", ""));
    // The permalink signs would end every heading of the outline.
    article.querySelectorAll(".headerlink").forEach((link) => link.remove());
    const styles = [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.href);
    const heading = article.querySelector("h1").cloneNode(true);
    heading.querySelectorAll(".headerlink").forEach((link) => link.remove());
    return {title: heading.textContent.trim(), body: article.innerHTML, styles};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the PDF's problems are what the browser reports, not each request


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve ``site`` on the loopback (the pages' scripts refuse ``file://``); yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def outline_titles(path: Path) -> list[str]:
    """Every title of the PDF's outline (bookmarks), at any depth."""
    from pypdf import PdfReader

    def walk(items: list) -> Iterator[str]:
        for item in items:
            yield from walk(item) if isinstance(item, list) else [item.title]

    return list(walk(PdfReader(path).outline))


def print_book(
    site: Path, base_url: str, lang: str, out: Path, browser, tries: int = 3
) -> list[str]:
    """:func:`print_once`, again while a chapter is missing from the PDF, up to ``tries`` times.

    Chromium, on this busy machine, sometimes ends a long print early (a PDF of the first
    chapters only); the outline shows it, since each chapter's title heads it.
    """
    for _ in range(tries):
        problems, titles = print_once(site, base_url, lang, out, browser)
        missing = [title for title in titles if title not in outline_titles(out)]
        if not missing:
            return problems
    return [*problems, f"chapters missing from {out.name} after {tries} tries: {missing}"]


def print_once(
    site: Path, base_url: str, lang: str, out: Path, browser
) -> tuple[list[str], list[str]]:
    """Print the chapters of ``lang`` in ``site``, served at ``base_url``, to ``out``.

    Returns the problems seen and the chapter titles.

    A problem is a console error, an uncaught exception or a failed request while the pages load.
    """
    problems: list[str] = []
    page = browser.new_page()

    def console(message) -> None:
        # A failed load is reported, with its address, by the response or the request below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    def failed(request) -> None:
        if request.failure != "net::ERR_ABORTED":  # loads cut short by the next page are fine
            problems.append(f"failed request: {request.url} ({request.failure})")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", failed)
    page.on(
        "response",
        lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"),
    )
    parts, styles, toc, titles = [], [], [], []
    for number, path in enumerate(chapters(site, lang)):
        page.goto(base_url + path.relative_to(site).as_posix(), wait_until="networkidle")
        article = page.evaluate(_READ_ARTICLE)
        styles = styles or article["styles"]
        anchor = f"chapter-{number}"
        titles.append(article["title"])
        toc.append(f'<li><a href="#{anchor}">{html.escape(article["title"])}</a></li>')
        parts.append(f'<section class="chapter" id="{anchor}">{article["body"]}</section>')
    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in styles)
    document = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{links}'
        f"<style>{PRINT_CSS}</style><title>minimodel</title></head>"
        f'<body><article class="md-typeset"><h1>minimodel</h1><h2>{CONTENTS[lang]}</h2>'
        f"<ol>{''.join(toc)}</ol>{''.join(parts)}</article></body></html>"
    )
    # Written inside the site, so that its stylesheets load from the same folder tree.
    sheet = site / LANGS[lang] / f".print-{lang}.html" if LANGS[lang] else site / ".print-en.html"
    sheet.write_text(document, encoding="utf-8")
    try:
        page.goto(base_url + sheet.relative_to(site).as_posix(), wait_until="networkidle")
        page.emulate_media(media="print")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(out), format="A4", outline=True, tagged=True, print_background=True)
    finally:
        sheet.unlink()
        page.close()
    return problems, titles
