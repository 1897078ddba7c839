"""Every page of every language, opened in Chromium as a reader would."""

from __future__ import annotations

import pytest
from site_helpers import DOCS, ROOT

from e2e.dom import COPY_EVERY_BLOCK, MARK_OUTPUTS
from e2e.outputs import source_of

pytestmark = pytest.mark.e2e


def report(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def outputs_of(page, block_outputs) -> list | str:
    """What the blocks of ``page`` print (none for a page without a Markdown source)."""
    source = source_of(DOCS, page.lang, page.rel)
    return block_outputs.get(source.relative_to(ROOT).as_posix(), []) if source else []


def test_every_page_loads_cleanly_in_its_language_and_only_from_localhost(site, tab):
    problems = []
    for page in site.pages:
        problems += tab.open(page.url).problems()
        lang = tab.page.evaluate("document.documentElement.lang")
        if lang != page.lang:
            problems.append(f"{page}: <html lang={lang!r}>, expected {page.lang!r}")
    report(problems)


def test_a_missing_page_shows_the_404_page_and_nothing_else_fails(site, tab):
    for lang in site.languages:
        visit = tab.open(site.prefixes[lang] + "no-such-page/")
        # The page itself answers 404; nothing it loads may fail.
        visit.failed_requests = [r for r in visit.failed_requests if "/no-such-page/" not in r]
        visit.console_errors = [e for e in visit.console_errors if "/no-such-page/" not in e]
        report(visit.problems())
        assert tab.page.locator("article h1").inner_text().strip() == "404"
        # The language's own 404 page: its chrome and its search in the reader's language.
        assert tab.page.evaluate("document.documentElement.lang") == lang


def test_every_executed_output_is_on_its_page_and_visible(site, tab, block_outputs):
    problems = []
    checked = 0
    for page in site.pages:
        outputs = outputs_of(page, block_outputs)
        if isinstance(outputs, str):
            problems.append(f"{page}: {outputs}")
            continue
        shown = [output for output in outputs if output.visible_text.strip()]
        if not shown:
            continue
        tab.open(page.url)
        expected = [{"code": o.is_code, "text": o.visible_text} for o in shown]
        missing = set(tab.page.evaluate(MARK_OUTPUTS, expected))
        for index, output in enumerate(shown):
            if index in missing:
                problems.append(
                    f"{page}: output of {output.where} not found: {output.text[:200]!r}"
                )
                continue
            element = tab.page.locator(f'[data-e2e-output="{index}"]')
            tab.reveal(element)
            if not element.is_visible():
                problems.append(f"{page}: output of {output.where} is on the page but not visible")
            checked += 1
    report(problems)
    assert checked, "no executed block printed anything on any page"


def test_every_plot_is_on_its_page_and_visible(site, tab, block_outputs):
    problems = []
    for page in site.pages:
        outputs = outputs_of(page, block_outputs)
        if isinstance(outputs, str):
            problems.append(f"{page}: {outputs}")
            continue
        expected = sum(output.plots for output in outputs)
        if page.plots != expected:
            problems.append(f"{page}: {page.plots} plots in its HTML, its blocks print {expected}")
        if not page.plots:
            continue
        tab.open(page.url)
        plots = tab.page.locator("article svg.minimodel-plot")
        if plots.count() != page.plots:
            problems.append(f"{page}: {plots.count()} plots shown of the {page.plots} in its HTML")
        for index in range(plots.count()):
            plot = plots.nth(index)
            tab.reveal(plot)
            box = plot.bounding_box()
            if not plot.is_visible() or box is None or box["width"] < 200 or box["height"] < 100:
                problems.append(
                    f"{page}: plot {index + 1} is not visible at a readable size: {box}"
                )
            if not plot.get_attribute("aria-label"):
                problems.append(f"{page}: plot {index + 1} has no aria-label")
    report(problems)


def normalized(code: str) -> str:
    return "\n".join(line.rstrip() for line in code.splitlines()).strip()


COPY_SLICE = 25  # blocks copied after one real click (the Tensor reference page has 300)


def test_every_code_block_has_a_working_copy_button(site, tab):
    problems = []
    copied = 0
    for page in site.pages:
        tab.open(page.url)
        # One real click with the mouse, on the first code block in view...
        first = tab.page.locator("article pre:has(> code)").first
        if first.count() and first.is_visible():
            tab.page.evaluate("navigator.clipboard.writeText('nothing copied yet')")
            first.hover()
            first.locator(".md-code__button[data-md-type=copy]").click()
            if normalized(tab.page.evaluate("navigator.clipboard.readText()")) != normalized(
                first.locator("code").text_content()
            ):
                problems.append(f"{page}: clicking the first copy button copies something else")
        # ...then every block's button, clicked from the page's script (much faster), in slices:
        # a real click before each renews the few seconds in which the browser lets a page copy.
        index, total = 0, 1
        while index < total:
            tab.page.locator("article h1").first.click()
            result = tab.page.evaluate(COPY_EVERY_BLOCK, [index, COPY_SLICE])
            total = result["total"]
            for code, clipboard in result["copies"]:
                index += 1
                if clipboard is None:
                    problems.append(f"{page}: code block {index} has no copy button")
                elif normalized(clipboard) != normalized(code):
                    problems.append(
                        f"{page}: code block {index} copied {clipboard[:80]!r}, shows {code[:80]!r}"
                    )
                copied += 1
            if not result["copies"]:
                break
    report(problems)
    assert copied, "no page has a code block"
