import re

from docs_support.plots import SERIES_COLORS, figure, line_plot, to_svg


def plot(alt="Loss of SGD and Adam", **labels):
    series = {"SGD": [3.0, 2.0, 1.5, 1.2], "Adam": [3.0, 1.0, 0.5, 0.2]}
    labels = {"xlabel": "step", "ylabel": "loss", **labels}
    return line_plot(series, alt=alt, **labels)


def test_the_same_plot_gives_the_same_svg():
    assert plot() == plot()


def test_svg_is_an_inline_element_without_prologue_date_or_metadata():
    svg = plot()
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    assert "<metadata" not in svg and "dc:date" not in svg


def test_text_and_axes_follow_the_page_colour_and_the_background_is_transparent():
    svg = plot()
    colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", svg)}
    assert colours <= {c.lower() for c in SERIES_COLORS}  # no black, white or grey
    assert "currentColor" in svg
    assert not re.search(r"fill:\s*#ffffff", svg, re.IGNORECASE)


def test_labels_come_from_the_page_and_the_alt_text_is_escaped():
    svg = plot(alt='Pérdida de "SGD" & Adam', xlabel="paso", ylabel="pérdida")
    assert "<title>Pérdida de &quot;SGD&quot; &amp; Adam</title>" in svg
    assert 'aria-label="Pérdida de &quot;SGD&quot; &amp; Adam"' in svg
    # Text is drawn as paths: the labels' glyphs differ between languages.
    assert svg != plot(alt='Pérdida de "SGD" & Adam')


def test_two_plots_of_a_page_share_no_id():
    ids_of = lambda svg: set(re.findall(r'id="([^"]+)"', svg))  # noqa: E731
    assert not ids_of(plot(alt="first")) & ids_of(plot(alt="second"))


def test_references_inside_the_svg_follow_the_renamed_ids():
    svg = plot()
    ids = set(re.findall(r'id="([^"]+)"', svg))
    refs = set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg))
    assert refs and refs <= ids


def test_custom_figures_use_the_style():
    with figure() as (fig, ax):
        ax.plot([0, 1], [1, 0], label="a")
        ax.legend()
    svg = to_svg(fig, alt="custom")
    assert SERIES_COLORS[0].lower() in svg.lower() and "currentColor" in svg
