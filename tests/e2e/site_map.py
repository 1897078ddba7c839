"""What a built site contains, read from its HTML files: languages, pages, links and anchors.

Nothing here knows the book's chapters: languages come from the home page's ``hreflang``
alternates, pages from the ``index.html`` files the build wrote, so the tests follow the book
as chapters are added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

# Folders the theme and the plugins write, not pages.
NOT_PAGES = ("assets", "search")
# A chapter's folder starts with its number: 00-motivation, 01-parameter-and-module...
CHAPTER = re.compile(r"^\d\d-")


class _Collector(HTMLParser):
    """Collects ids, links and the ``lang``/``hreflang`` facts of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.alternates: dict[str, str] = {}  # hreflang -> href, from <link rel="alternate">

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name])
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.alternates[values["hreflang"]] = values.get("href", "")
        for attribute in ("href", "src"):
            if attribute in values:
                self.links.append((tag, attribute, values[attribute]))


@dataclass(frozen=True)
class Document:
    """One HTML file of the site, parsed."""

    path: Path
    lang: str
    ids: frozenset[str]
    links: tuple[tuple[str, str, str], ...]
    alternates: dict[str, str] = field(hash=False)

    @classmethod
    def read(cls, path: Path) -> Document:
        collector = _Collector()
        collector.feed(path.read_text(encoding="utf-8"))
        return cls(
            path,
            collector.lang,
            frozenset(collector.ids),
            tuple(collector.links),
            collector.alternates,
        )


@dataclass(frozen=True)
class Page:
    """A page of one language.

    Args:
        url: path from the site root, ``/es/02-optim/``.
        lang: the language it is written in (``es``).
        rel: path inside its language, the same in every language (``02-optim/``; ``""`` for home).
        file: its ``index.html``.
    """

    url: str
    lang: str
    rel: str
    file: Path

    @property
    def is_home(self) -> bool:
        return self.rel == ""

    @property
    def is_chapter(self) -> bool:
        return bool(CHAPTER.match(self.rel))

    @property
    def plots(self) -> int:
        """How many of the book's plots (``docs_support.plots``) its HTML holds."""
        return self.file.read_text(encoding="utf-8").count('class="minimodel-plot"')

    @property
    def slug(self) -> str:
        """A name for files about this page: ``es-02-optim``, ``en-home``."""
        return f"{self.lang}-{self.rel.strip('/').replace('/', '-') or 'home'}"

    def __str__(self) -> str:
        return self.url


class Site:
    """A built site in ``root``, published at ``site_url``."""

    def __init__(self, root: Path, site_url: str) -> None:
        self.root = root
        self.site_url = site_url

    @cached_property
    def home(self) -> Document:
        return Document.read(self.root / "index.html")

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """language -> URL path of its home (``{"en": "/", "es": "/es/"}``), from the hreflangs."""
        return {lang: urlsplit(href).path for lang, href in self.home.alternates.items()}

    @property
    def languages(self) -> list[str]:
        return list(self.prefixes)

    def language_of(self, url: str) -> str:
        """The language whose home is the longest prefix of ``url``."""
        return max(
            (lang for lang, prefix in self.prefixes.items() if url.startswith(prefix)),
            key=lambda lang: len(self.prefixes[lang]),
        )

    def url_of(self, file: Path) -> str:
        relative = file.relative_to(self.root).as_posix()
        return "/" + relative.removesuffix("index.html")

    @cached_property
    def pages(self) -> list[Page]:
        """Every page of every language, in path order (the 404 page is not one)."""
        found = []
        for file in sorted(self.root.rglob("index.html")):
            if file.relative_to(self.root).parts[0] in NOT_PAGES:
                continue
            url = self.url_of(file)
            lang = self.language_of(url)
            found.append(Page(url, lang, url.removeprefix(self.prefixes[lang]), file))
        return found

    def pages_in(self, lang: str) -> list[Page]:
        return [page for page in self.pages if page.lang == lang]

    def counterpart(self, page: Page, lang: str) -> str:
        """The URL the same page has in ``lang``."""
        return self.prefixes[lang] + page.rel

    def html_files(self) -> list[Path]:
        return sorted(
            path
            for path in self.root.rglob("*.html")
            if path.relative_to(self.root).parts[0] not in NOT_PAGES
        )

    def file_for(self, path: str) -> Path | None:
        """The file served for the URL path ``path``, or None."""
        target = self.root / unquote(path).lstrip("/")
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def broken_links(self) -> list[str]:
        """Every internal ``href``/``src`` of every HTML file that resolves to no file or no anchor.

        Links to ``site_url`` (canonical links, the 404 page's links) count as internal. Links to
        other hosts are not followed; pages must not load anything from them (checked in the
        browser), but may link to them.
        """
        site = urlsplit(self.site_url)
        documents: dict[Path, Document] = {}

        def document(path: Path) -> Document:
            if path not in documents:
                documents[path] = Document.read(path)
            return documents[path]

        problems = []
        for file in self.html_files():
            base = "http://site" + self.url_of(file)
            if file.name != "index.html":
                base = "http://site/" + file.relative_to(self.root).as_posix()
            for tag, attribute, value in document(file).links:
                if not value or value.startswith(("mailto:", "data:", "javascript:")):
                    continue
                absolute = urlsplit(urljoin(base, value))
                if absolute.netloc == site.netloc and absolute.scheme == site.scheme:
                    path = "/" + str(PurePosixPath(absolute.path).relative_to(site.path or "/"))
                    path += "/" if absolute.path.endswith("/") and path != "/" else ""
                elif absolute.netloc == "site":
                    path = absolute.path
                else:
                    continue
                where = f"{file.relative_to(self.root)}: <{tag} {attribute}={value!r}>"
                target = self.file_for(path)
                if target is None:
                    problems.append(f"{where}: no file for {path}")
                elif absolute.fragment and target.suffix == ".html":
                    anchor = unquote(absolute.fragment)
                    if anchor not in document(target).ids:
                        problems.append(f"{where}: no id {anchor!r} in {path}")
        return problems
