"""The strict build succeeds, is reproducible, and loads nothing from another host.

Reproducible, byte for byte, in two halves, so that one run of the test command executes the
book twice only (the build and the doc tests):

- the same block outputs give the same site: here, two rebuilds in one process (as
  ``mkdocs serve`` rebuilds) print the outputs the first build recorded, without running any
  block, and must give the first build's bytes, then each other's;
- the blocks print the same outputs every time they run: the doc tests run every block again
  and fail on any output that differs from the build's record (root ``conftest.py``).
"""

import re
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from site_helpers import ROOT, blocks_run, html_reused, rebuild_in_one_process, tree_digest

from docs_support import checks

SITE_HOST = urlsplit(checks.load_mkdocs_config(ROOT / "mkdocs.yml")["site_url"]).netloc


@pytest.fixture(scope="module")
def sites(first_build, tmp_path_factory):
    """The strict build, and two rebuilds from its record in one process, as `mkdocs serve` does.

    The strict build is the tests' shared one (``first_build``: scripts/test.sh's when it passes
    its folder, else one made once for all the tests that read the site).
    """
    tmp = tmp_path_factory.mktemp("sites")
    again = [tmp / "again", tmp / "once-more"]
    rebuilt = rebuild_in_one_process(ROOT, tmp / "served", *again)
    return SimpleNamespace(
        first=first_build.result, first_dir=first_build.dir, rebuilt=rebuilt, again=again
    )


def test_strict_build_succeeds_without_warnings(sites):
    if sites.first is None:
        pytest.skip("MINIMODEL_SITE_DIR: scripts/test.sh's strict build step checked it")
    assert sites.first.returncode == 0, sites.first.stderr
    assert "WARNING" not in sites.first.stderr
    assert "Traceback" not in sites.first.stderr


def test_rebuilds_print_the_recorded_outputs_without_running_a_block(sites):
    assert sites.rebuilt.returncode == 0, sites.rebuilt.stderr
    # Two rebuilds, each of both languages.
    assert blocks_run(sites.rebuilt.stderr) == [0, 0, 0, 0], sites.rebuilt.stderr


def test_a_rebuild_reuses_the_html_of_every_unchanged_page_api_reference_included(sites):
    assert sites.rebuilt.returncode == 0, sites.rebuilt.stderr
    pages = {lang: len(checks.pages(ROOT / "docs", lang)) for lang in checks.LANGUAGES}
    assert any(
        ":::" in (ROOT / "docs" / "en" / page).read_text(encoding="utf-8")
        for page in checks.pages(ROOT / "docs", "en")
    )
    # The first rebuild of the process converts every page; the second none. The same site
    # (tests below) shows that what a kept page registers with autorefs and mkdocstrings'
    # inventory is registered again.
    assert html_reused(sites.rebuilt.stderr) == [0, 0, *pages.values()], sites.rebuilt.stderr


def test_the_same_outputs_give_the_same_site(sites):
    assert sites.rebuilt.returncode == 0, sites.rebuilt.stderr
    assert tree_digest(sites.first_dir) == tree_digest(sites.again[0])


def test_rebuilding_in_one_process_gives_the_same_site(sites):
    # `mkdocs serve` rebuilds in one process: leftovers of a build must not change the next.
    assert tree_digest(sites.again[0]) == tree_digest(sites.again[1])


def test_every_page_is_built_in_both_languages(sites):
    for language in checks.LANGUAGES:
        prefix = "" if language == checks.DEFAULT_LANGUAGE else f"{language}/"
        for page in checks.pages(ROOT / "docs", language):
            html = page.removesuffix(".md") + ".html"
            built = (
                html if html.endswith("index.html") else html.removesuffix(".html") + "/index.html"
            )
            text = (sites.first_dir / prefix / built).read_text(encoding="utf-8")
            assert f'<html lang="{language}"' in text, built


class _Resources(HTMLParser):
    """Collects the URLs a page makes the browser load."""

    LOADING: ClassVar[dict[str, str]] = {
        "link": "href",
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
    }

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.LOADING and attrs.get(self.LOADING[tag]):
            self.urls.append(attrs[self.LOADING[tag]])
        if attrs.get("srcset"):
            self.urls += [part.split()[0] for part in attrs["srcset"].split(",")]


def test_pages_load_nothing_from_another_host(sites):
    foreign = []
    for page in sorted(sites.first_dir.rglob("*.html")):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        foreign += [
            (page.name, u) for u in parser.urls if urlsplit(u).netloc not in ("", SITE_HOST)
        ]
    for stylesheet in sorted(sites.first_dir.rglob("*.css")):
        text = stylesheet.read_text(encoding="utf-8")
        foreign += [
            (stylesheet.name, u)
            for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", text)
        ]
        foreign += [
            (stylesheet.name, u)
            for u in re.findall(r"@import\s+['\"]((?:https?:)?//[^'\"]+)", text)
        ]
    assert foreign == []


def test_the_root_404_page_speaks_both_languages(sites):
    # Most static hosts serve the root 404.html for any missing path.
    text = (sites.first_dir / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in text
    assert "This page does not exist" in text and "Esta página no existe" in text
    site_url = checks.load_mkdocs_config(ROOT / "mkdocs.yml")["site_url"]
    assert f'href="{site_url}"' in text and f'href="{site_url}es/"' in text


def test_the_spanish_404_page_speaks_spanish(sites):
    text = (sites.first_dir / "es" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in text
    assert "Esta página no existe" in text and "This page does not exist" not in text


def test_pages_link_each_stylesheet_and_script_once(sites):
    for page in sorted(sites.first_dir.rglob("*.html")):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        duplicated = {url for url in parser.urls if parser.urls.count(url) > 1}
        assert not duplicated, page.relative_to(sites.first_dir)


def test_spanish_pages_show_the_spanish_site_name_and_nav_titles(sites):
    config = checks.load_mkdocs_config(ROOT / "mkdocs.yml")
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    spanish = next(language for language in i18n["languages"] if language["locale"] == "es")
    english_page = (sites.first_dir / "index.html").read_text(encoding="utf-8")
    spanish_page = (sites.first_dir / "es" / "index.html").read_text(encoding="utf-8")
    assert f"{config['site_name']}</title>" in english_page
    assert f"{spanish['site_name']}</title>" in spanish_page
    for english, translated in spanish["nav_translations"].items():
        assert english in english_page and translated in spanish_page
        assert translated not in english_page


def test_heading_anchors_have_a_tooltip_in_the_page_language(sites):
    english = (sites.first_dir / "01-parameter-and-module" / "index.html").read_text("utf-8")
    spanish = (sites.first_dir / "es" / "01-parameter-and-module" / "index.html").read_text("utf-8")
    assert 'title="Permanent link"' in english and "Enlace permanente" not in english
    assert 'title="Enlace permanente"' in spanish and "Permanent link" not in spanish
