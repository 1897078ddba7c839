"""The light/dark toggle, and plots that stay readable in both palettes."""

import pytest

from e2e.dom import PLOT_CONTRASTS

pytestmark = pytest.mark.e2e

# WCAG 2.1: text 4.5:1; lines and shapes a reader needs (axes, ticks, data series) 3:1.
MINIMUM_RATIO = {"text": 4.5, "patch": 3.0, "line": 3.0, "other": 3.0}
# Parts drawn fainter on purpose (the grid) are left out.
DECORATIVE_ALPHA = 0.5


def test_the_toggle_switches_between_light_and_dark_and_back(site, tab):
    for lang in site.languages:
        tab.open(site.prefixes[lang])
        assert tab.scheme() == "default"
        light = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert tab.toggle_palette() == "slate"
        dark = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert dark != light
        assert tab.toggle_palette() == "default"


def unreadable_parts(tab, page, scheme: str) -> list[str]:
    """One line per plot and kind of part (text, line, patch) whose worst contrast is too low."""
    problems = []
    plots = tab.page.locator("article svg.minimodel-plot")
    for index in range(plots.count()):
        measured = plots.nth(index).evaluate(PLOT_CONTRASTS)
        if not measured["parts"]:
            problems.append(f"{page} [{scheme}] plot {index + 1}: nothing painted")
        too_faint: dict[str, list[dict]] = {}
        for part in measured["parts"]:
            if part["alpha"] < DECORATIVE_ALPHA and part["kind"] != "text":
                continue
            if part["ratio"] < MINIMUM_RATIO[part["kind"]]:
                too_faint.setdefault(part["kind"], []).append(part)
        for kind, parts in sorted(too_faint.items()):
            worst = min(parts, key=lambda part: part["ratio"])
            problems.append(
                f"{page} [{scheme}] plot {index + 1}: {len(parts)} {kind} part(s) below "
                f"{MINIMUM_RATIO[kind]}:1 on {measured['background']}; worst "
                f"{worst['ratio']:.2f}:1, {worst['color']} (alpha {worst['alpha']:.2f}) "
                f"in {worst['id']}"
            )
    return problems


def test_plots_contrast_with_the_background_in_both_palettes(site, tab):
    problems = []
    measured = 0
    for page in (page for page in site.pages if page.plots):
        tab.open(page.url)
        for scheme in ("default", "slate"):
            tab.use_scheme(scheme)
            problems += unreadable_parts(tab, page, scheme)
            measured += 1
        tab.use_scheme("default")
    assert not problems, "\n" + "\n".join(problems)
    if not measured:
        pytest.skip("no page has a plot yet")
