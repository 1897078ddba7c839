"""WCAG 2.1 AA in Chromium: axe-core on every page, language and palette; plots' text
alternatives in the page's language; the keyboard reaches every control with a visible ring.

The contrast and link fixes live in overrides/assets/stylesheets/accessibility.css.
"""

from __future__ import annotations

import re

import pytest
import yaml

pytestmark = pytest.mark.e2e

SCHEMES = ("default", "slate")
# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA, all of them.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
# Elements named per page and rule in a failure; the rest are counted.
SHOWN = 5


def axe_results(axe, tab) -> dict:
    return axe.run(tab.page, options=AXE_OPTIONS).response


def rules_run(results: dict) -> set[str]:
    return {
        rule["id"]
        for outcome in ("violations", "passes", "incomplete", "inapplicable")
        for rule in results[outcome]
    }


def violations(results: dict, where: str) -> list[str]:
    """One line per serious or critical violation: page, rule, element and axe's message."""
    problems = []
    for rule in results["violations"]:
        if rule["impact"] not in BLOCKING:
            continue
        for node in rule["nodes"][:SHOWN]:
            checks = node["any"] + node["all"] + node["none"]
            message = checks[0]["message"] if checks else rule["help"]
            problems.append(
                f"{where} {rule['id']} ({rule['impact']}): {' '.join(node['target'])}: "
                f"{node['html'][:120]}: {message}"
            )
        if len(rule["nodes"]) > SHOWN:
            problems.append(f"{where} {rule['id']}: {len(rule['nodes']) - SHOWN} more element(s)")
    return problems


def in_the_current_scheme_first(tab, schemes=SCHEMES) -> list[str]:
    """The schemes, the one the tab shows first: one toggle a page instead of two."""
    return sorted(schemes, key=lambda scheme: scheme != tab.scheme())


def checked_schemes(site) -> list[tuple[str, tuple[str, ...]]]:
    """Each page with the palettes axe checks it in: both, but for the API reference's pages.

    Those (``reference/``) are generated from the docstrings by one set of templates, and their
    two languages differ only in the section titles; axe takes seconds on each of their long
    tables, four times a page in both languages and palettes. So each reference page is checked
    once, in a (language, palette) that rotates from page to page: every combination still runs
    on reference markup at every run.
    """
    references = sorted({page.rel for page in site.pages if page.rel.startswith("reference/")})
    rotation = [(lang, scheme) for scheme in SCHEMES for lang in site.languages]
    checked = []
    for page in site.pages:
        if page.rel not in references:
            checked.append((page.url, SCHEMES))
            continue
        lang, scheme = rotation[references.index(page.rel) % len(rotation)]
        if page.lang == lang:
            checked.append((page.url, (scheme,)))
    return checked


def test_every_page_meets_wcag_2_1_aa_in_both_palettes(site, tab, axe):
    problems = []
    # Every page, and the 404 page a missing one shows.
    for url, schemes in [*checked_schemes(site), ("/no-such-page/", SCHEMES)]:
        tab.open(url)
        for scheme in in_the_current_scheme_first(tab, schemes):
            tab.use_scheme(scheme)
            results = axe_results(axe, tab)
            # A misspelt tag would run no rule and find nothing.
            assert {"color-contrast", "link-in-text-block"} <= rules_run(results), url
            problems += violations(results, f"{url} [{scheme}]")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_without_the_stylesheet_axe_finds_materials_contrast_and_link_problems(site, tab, axe):
    # The check above can fail: Material's own colours fail it, in both palettes.
    tab.open(site.prefixes[site.languages[0]])
    tab.page.evaluate("document.querySelector('link[href$=\"accessibility.css\"]').disabled = true")
    for scheme in in_the_current_scheme_first(tab):
        tab.use_scheme(scheme)
        found = {rule["id"] for rule in axe_results(axe, tab)["violations"]}
        assert {"color-contrast", "link-in-text-block"} <= found, (scheme, found)


# The contrast of the first copy button's icon with the code block under it (WCAG 1.4.11 asks
# 3:1 of a control); colours are blended over the block's background as the page paints them.
COPY_BUTTON_CONTRAST = """
async () => {
    const button = document.querySelector(
        "article pre > nav > .md-code__button[data-md-type=copy]");
    // Material fades the button's colour: measure where the fade ends.
    await Promise.all(button.getAnimations().map(animation => animation.finished));
    const rgba = text => {
        const [r, g, b, a = 1] = text.match(/[\\d.]+/g).map(Number);
        return {r, g, b, a};
    };
    const over = (top, under) => ({
        r: top.r * top.a + under.r * (1 - top.a),
        g: top.g * top.a + under.g * (1 - top.a),
        b: top.b * top.a + under.b * (1 - top.a),
        a: 1,
    });
    const luminance = ({r, g, b}) => {
        const [R, G, B] = [r, g, b].map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const page = rgba(getComputedStyle(document.body).backgroundColor);
    const code = over(rgba(getComputedStyle(button.closest("pre")).backgroundColor), page);
    const back = over(rgba(getComputedStyle(button.parentElement).backgroundColor), code);
    const icon = over(rgba(getComputedStyle(button).color), back);
    const [light, dark] = [luminance(icon), luminance(back)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
}
"""


def test_copy_buttons_contrast_with_the_code_in_both_palettes(site, tab):
    page = next(page for page in site.pages if page.is_chapter)
    tab.open(page.url)
    for scheme in in_the_current_scheme_first(tab):
        tab.use_scheme(scheme)
        tab.page.mouse.move(0, 0)  # no hover: the button as a reader first sees it
        ratio = tab.page.evaluate(COPY_BUTTON_CONTRAST)
        assert ratio >= 3, f"{page} [{scheme}]: copy button at {ratio:.2f}:1 on the code"


# Words only one of the book's languages writes: a text alternative in the page's language uses
# more of its own than of the other's.
FUNCTION_WORDS = {
    "en": {"the", "of", "and", "with", "over", "from", "by", "on", "to", "at", "below", "each"},
    "es": {"de", "del", "la", "el", "los", "las", "con", "en", "y", "por", "para", "un", "una"},
}


def language_scores(text: str) -> dict[str, int]:
    words = re.findall(r"\w+", text.lower())
    return {
        lang: sum(word in vocabulary for word in words)
        for lang, vocabulary in FUNCTION_WORDS.items()
    }


def plot_names(tab) -> list[str]:
    """The accessible name Chromium computes for each plot of the page ('' if it has none)."""
    names = []
    plots = tab.page.locator("article svg.minimodel-plot")
    for index in range(plots.count()):
        # A plot in a folded solution is out of the accessibility tree until the reader opens it.
        tab.reveal(plots.nth(index))
        # A YAML list: `- img "Training loss of ..."`, quoted when the name holds ": ".
        (node,) = yaml.safe_load(plots.nth(index).aria_snapshot())
        found = re.fullmatch(r'img "(.*)"', node if isinstance(node, str) else next(iter(node)))
        names.append(found[1] if found else "")
    return names


def test_plots_have_a_text_alternative_in_the_pages_language(site, tab):
    problems = []
    names: dict[str, list[str]] = {}
    for page in (page for page in site.pages if page.plots):
        tab.open(page.url)
        lang = tab.page.evaluate("document.documentElement.lang")
        names[page.url] = plot_names(tab)
        if len(names[page.url]) != page.plots:
            problems.append(
                f"{page}: {page.plots} plot(s) in the HTML, {len(names[page.url])} shown"
            )
        for index, name in enumerate(names[page.url]):
            scores = language_scores(name)
            if not name:
                problems.append(f"{page}: plot {index + 1} has no accessible name")
            elif lang not in scores or scores[lang] <= max(
                score for other, score in scores.items() if other != lang
            ):
                problems.append(
                    f"{page} (lang={lang}): plot {index + 1} is named {name!r} {scores}"
                )
    for page in (page for page in site.pages if page.plots):
        for other in site.languages:
            there = site.counterpart(page, other)
            if other != page.lang and set(names[page.url]) & set(names.get(there, [])):
                problems.append(f"{page} and {there} give a plot the same name")
    assert names, "no page has a plot"
    assert not problems, "\n".join(problems)


# What the keyboard must reach on a chapter, by CSS selector of the focused element.
KEYBOARD_TARGETS = {
    "palette toggle": "form[data-md-component=palette] input.md-option",
    "language switcher": ".md-select > button",
    "language menu link": ".md-select__link",
    "search": "input.md-search__input",
    "copy button": "button.md-code__button[data-md-type=copy]",
    "folded solution": "article details:not([open]) > summary",
}

# The focused element, what it matches of `targets`, and whether a ring shows on it or, for a
# hidden radio button (the palette toggle), on a label of its group: an element that is shown,
# with an outline or a box-shadow.
FOCUSED = """
targets => {
    const focused = document.activeElement;
    const group = focused.type === "radio" && focused.form ?
        [...focused.form.querySelectorAll("label")] : [];
    const ringed = element => {
        if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) {
            return false;
        }
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 &&
            !/rgba\\(.*, 0\\)$|transparent/.test(style.outlineColor);
        return box.width > 0 && box.height > 0 && (outline || style.boxShadow !== "none");
    };
    return {
        element: focused.outerHTML.slice(0, 100),
        kinds: Object.keys(targets).filter(kind => focused.matches(targets[kind])),
        ring: [focused, ...group].some(ringed),
        body: focused === document.body,
    };
}
"""


def tab_through(tab, until: set[str], limit: int = 400) -> tuple[list[str], list[str]]:
    """Press Tab from where the focus is until every kind in ``until`` had the focus, or the focus
    went round the page; return the kinds in the order reached and a line for each focused
    element without a visible ring."""
    reached: list[str] = []
    without_ring: list[str] = []
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate(FOCUSED, KEYBOARD_TARGETS)
        if focused["body"]:
            break
        if not focused["ring"]:
            without_ring.append(focused["element"])
        reached += [kind for kind in focused["kinds"] if kind not in reached]
        if until <= set(reached):
            break
    return reached, without_ring


def chapters_with_solutions(site) -> list:
    """The first chapter of each language that folds a solution."""
    return [
        next(
            page
            for page in site.pages_in(lang)
            if page.is_chapter and "<details" in page.file.read_text(encoding="utf-8")
        )
        for lang in site.languages
    ]


def test_the_keyboard_reaches_every_control_with_a_visible_focus_ring(site, tab):
    problems = []
    for page in chapters_with_solutions(site):
        tab.open(page.url)
        for scheme in in_the_current_scheme_first(tab):
            tab.use_scheme(scheme)
            # Opened again (the palette is kept): Tab starts from the top, not from the toggle
            # that was just clicked.
            tab.open(page.url)
            reached, without_ring = tab_through(tab, set(KEYBOARD_TARGETS))
            problems += [
                f"{page} [{scheme}]: Tab never reaches the {kind}"
                for kind in KEYBOARD_TARGETS
                if kind not in reached
            ]
            problems += [f"{page} [{scheme}]: no visible focus ring on {e}" for e in without_ring]
    assert not problems, "\n".join(problems)


def press_tab_until(tab, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{tab.path()}: {limit} presses of Tab never reach {selector}")


def test_the_keyboard_toggles_the_palette_opens_a_solution_and_switches_language(site, tab):
    for page in chapters_with_solutions(site):
        tab.open(page.url)
        before = tab.scheme()
        press_tab_until(tab, KEYBOARD_TARGETS["palette toggle"])
        tab.page.keyboard.press("Enter")
        tab.page.wait_for_function(
            "before => document.body.getAttribute('data-md-color-scheme') !== before", arg=before
        )
        press_tab_until(tab, KEYBOARD_TARGETS["folded solution"])
        summary = tab.page.evaluate_handle("document.activeElement")
        tab.page.keyboard.press("Enter")
        assert summary.evaluate("summary => summary.parentElement.open"), page
        other = next(lang for lang in site.languages if lang != page.lang)
        tab.open(page.url)
        press_tab_until(tab, f".md-select__link[hreflang='{other}']")
        with tab.page.expect_navigation():
            tab.page.keyboard.press("Enter")
        tab.settle()
        assert tab.path() == site.counterpart(page, other)
