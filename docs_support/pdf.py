"""The whole book in one PDF per language, printed from the built site by Chromium.

:func:`print_book` reads each chapter's article from the built HTML (plots are inline SVG, so
they come along), opens every folded solution, and prints the chapters, after a table of
contents, with the site's own stylesheets and a few print rules: each chapter starts a page,
code wraps instead of running off the right margin, a code block or a plot is not split across
pages when it fits on one. Chromium is Debian's, driven by Playwright, as in the browser tests.
Nothing is fetched from another host: the pages and their assets are read from the site folder.

The outline (bookmarks) is written here, with pypdf, from the PDF's own link destinations, not
by Chromium. Chromium's outline (``page.pdf(outline=True)``) is built from the tagged-PDF
structure, a snapshot of the page's accessibility tree taken while printing, not from the
printed pages; it is what came out short on this busy machine (the first three chapters'
headings only), while the pages are painted whole. Each heading the table of contents links to
gets a named destination when Chromium paints it, so the outline follows what was printed, and
a chapter missing from the pages is an error, never a retry.
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


# A4 is 210 mm wide; less PRINT_CSS's margins of 14 mm each side, at CSS's 96 px to the inch.
_TEXT_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)
_TOO_WIDE = """() => [...document.querySelectorAll("article pre, article table, article svg")]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                   || e.scrollWidth > e.clientWidth + 1)
    .map((e) => `${e.tagName.toLowerCase()} in ${e.closest(".chapter")?.id}: `
                + e.textContent.trim().slice(0, 60))"""

# A plot's glyphs (<use href="#...">) and a link inside the book must find their element, or a
# plot prints without its text and a link leads nowhere.
_DANGLING = """() => [...document.querySelectorAll("use, a[href^='#']")]
    .map((e) => e.getAttribute("href") || e.getAttribute("xlink:href") || "")
    .filter((ref) => ref.startsWith("#") && !document.getElementById(ref.slice(1)))"""

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


# Every id outside a plot gets its chapter's prefix (chapters reuse ids: "exercises", the tabs'
# "__tabbed_1_1"), and each link to a chapter of the book, this one or another, points inside
# the PDF.
_READ_ARTICLE = """([number, slugs]) => {
    const article = document.querySelector("article.md-content__inner");
    article.querySelectorAll("details").forEach((d) => d.setAttribute("open", ""));
    // The permalink signs would end every heading of the outline.
    article.querySelectorAll(".headerlink").forEach((link) => link.remove());
    // A plot's ids stay: its glyphs are <use href="#..."> of them, salted by the plot's alt text.
    article.querySelectorAll("[id]").forEach((e) => {
        if (!e.closest("svg")) e.id = `c${number}-${e.id}`;
    });
    article.querySelectorAll("label[for]").forEach((l) => {
        l.htmlFor = `c${number}-${l.htmlFor}`;
    });
    const here = location.pathname.replace(/index\\.html$/, "");
    article.querySelectorAll("a[href]").forEach((a) => {
        const url = new URL(a.getAttribute("href"), location.href);
        const path = url.pathname.replace(/index\\.html$/, "");
        const target = url.origin === location.origin && path === here ? number
            : slugs.findIndex((slug) => path.endsWith(`/${slug}/`));
        if (url.origin !== location.origin || target < 0) return;
        const id = url.hash.slice(1);
        a.setAttribute("href", id ? `#c${target}-${decodeURIComponent(id)}` : `#chapter-${target}`);
    });
    const styles = [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.href);
    const sections = [...article.querySelectorAll("h2[id]")].map(
        (h) => ({id: h.id, title: h.textContent.trim()}));
    return {title: article.querySelector("h1").textContent.trim(), body: article.innerHTML,
            styles, sections};
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


def print_book(site: Path, base_url: str, lang: str, out: Path, browser) -> list[str]:
    """Print the chapters of ``lang`` in ``site``, served at ``base_url``, to ``out``.

    Returns the problems seen: a console error, an uncaught exception or a failed request while
    the pages load, or a chapter or section the printed PDF does not hold.
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
    paths = chapters(site, lang)
    slugs = [path.parent.name for path in paths]
    parts, styles, toc, outline = [], [], [], []
    for number, path in enumerate(paths):
        page.goto(base_url + path.relative_to(site).as_posix(), wait_until="networkidle")
        article = page.evaluate(_READ_ARTICLE, [number, slugs])
        styles = styles or article["styles"]
        anchor = f"chapter-{number}"
        sections = [(s["title"], s["id"]) for s in article["sections"]]
        outline.append((article["title"], anchor, sections))
        items = "".join(f'<li><a href="#{i}">{html.escape(t)}</a></li>' for t, i in sections)
        toc.append(
            f'<li><a href="#{anchor}">{html.escape(article["title"])}</a><ol>{items}</ol></li>'
        )
        parts.append(f'<section class="chapter" id="{anchor}">{article["body"]}</section>')
    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in styles)
    document = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{links}'
        f"<style>{PRINT_CSS}</style><title>minimodel</title></head>"
        f'<body><article class="md-typeset"><h1>minimodel</h1><h2>{CONTENTS[lang]}</h2>'
        f'<ol class="toc">{"".join(toc)}</ol>{"".join(parts)}</article></body></html>'
    )
    # Written inside the site, so that its stylesheets load from the same folder tree.
    sheet = site / LANGS[lang] / f".print-{lang}.html" if LANGS[lang] else site / ".print-en.html"
    sheet.write_text(document, encoding="utf-8")
    try:
        page.goto(base_url + sheet.relative_to(site).as_posix(), wait_until="networkidle")
        page.evaluate("() => document.fonts.ready.then(() => undefined)")
        page.emulate_media(media="print")
        # Laid out as wide as the printed page's text, nothing may stick out on the right.
        page.set_viewport_size({"width": _TEXT_WIDTH_PX, "height": 1000})
        problems += [f"wider than the page: {what}" for what in page.evaluate(_TOO_WIDE)]
        problems += [f"points at no element: {ref}" for ref in page.evaluate(_DANGLING)]
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(out), format="A4", outline=False, tagged=True, print_background=True)
    finally:
        sheet.unlink()
        page.close()
    return problems + write_outline(out, outline)


def write_outline(path: Path, chapters: list[tuple[str, str, list[tuple[str, str]]]]) -> list[str]:
    """Give the PDF at ``path`` an outline: each chapter, with its sections under it.

    Args:
        chapters: ``(title, anchor, [(section title, section anchor), ...])`` for each chapter;
            an anchor is the id the table of contents links to, so the PDF names its place.

    Returns:
        The chapters and sections the PDF has no place for (they were not printed).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    reader = PdfReader(path)
    places = reader.named_destinations
    writer = PdfWriter(clone_from=reader)
    missing = []

    def add(title: str, anchor: str, parent=None):
        # Chromium names its places with PDF names (/chapter-0), other writers with strings.
        place = places.get(f"/{anchor}", places.get(anchor))
        if place is None:
            missing.append(f"{title!r} (#{anchor}) is not in {path.name}")
            return None
        page = reader.get_destination_page_number(place)
        return writer.add_outline_item(
            title=title, page_number=page, parent=parent, fit=Fit.xyz(place.left, place.top)
        )

    for title, anchor, sections in chapters:
        chapter = add(title, anchor)
        for section, section_anchor in sections:
            add(section, section_anchor, parent=chapter)
    writer.write(path)
    return missing
