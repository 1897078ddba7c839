"""Matplotlib figures as inline SVG that read well in the light and in the dark palette.

A page prints the SVG from a block with ``html="true"``; every label comes from the page, in
its language::

    from docs_support.plots import line_plot

    print(line_plot({"SGD": sgd_losses, "Adam": adam_losses}, xlabel="step", ylabel="loss",
                    alt="Loss of SGD and Adam over 100 steps"))

For another kind of plot, draw inside :func:`figure` and print :func:`to_svg`::

    with figure() as (fig, ax):
        ax.scatter(xs, ys, label="data")
        ax.legend()
    print(to_svg(fig, alt="..."))

Text, axes and ticks are drawn in CSS ``currentColor``, so they take the colour of the page's
text in either palette; the background is transparent; series colours (Okabe–Ito, without the
two that vanish on white or on slate) and line styles stay apart on both backgrounds and in
greyscale. The SVG is reproducible: no date, no XML prologue, ids salted by the alt text, text
drawn as paths (no dependence on the reader's fonts).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import matplotlib as mpl
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# Drawn in this colour, replaced by `currentColor` in the SVG: an unlikely colour, so that a
# series coloured on purpose is never rewritten.
_INK = "#010203"
# Orange, blue, green, vermilion, purple: each at least 3:1 against both Material's white and
# its dark "slate" background (WCAG's minimum for graphics), so one palette serves both schemes.
SERIES_COLORS = ("#C77700", "#2E86C1", "#009E73", "#D55E00", "#B8509A")
SERIES_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)))

STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "savefig.bbox": "tight",
    "text.color": _INK,
    "axes.edgecolor": _INK,
    "axes.labelcolor": _INK,
    "axes.titlecolor": _INK,
    "xtick.color": _INK,
    "ytick.color": _INK,
    "grid.color": _INK,
    "grid.alpha": 0.15,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=SERIES_COLORS) + cycler(linestyle=SERIES_STYLES),
    "lines.linewidth": 2.0,
    "legend.frameon": False,
    "svg.fonttype": "path",
}


@contextmanager
def figure(**subplots: object) -> Iterator[tuple[Figure, Axes]]:
    """Yield a figure and its axes drawn in the book's style.

    Create every artist (lines, labels, legend) inside the ``with`` block: matplotlib reads the
    style when an artist is made. ``subplots`` go to :meth:`Figure.subplots`.
    """
    with mpl.rc_context(STYLE):
        fig = Figure()
        yield fig, fig.subplots(**subplots)


def to_svg(fig: Figure, *, alt: str) -> str:
    """Return ``fig`` as an ``<svg>`` element to print into a page (``html="true"``).

    Args:
        fig: a figure made with :func:`figure`.
        alt: what the plot shows, in the page's language: read by screen readers, shown as the
            SVG's title, and the salt of its ids (two plots of a page need two different alts).
    """
    buffer = io.StringIO()
    with mpl.rc_context({**STYLE, "svg.hashsalt": alt}):
        fig.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration, the doctype and comments
    svg = re.sub(re.escape(_INK), "currentColor", svg, flags=re.IGNORECASE)
    # matplotlib numbers its ids per figure (figure_1, axes_1...): prefix them so that two plots
    # of one page do not share ids.
    prefix = "plot-" + hashlib.sha1(alt.encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'(id="|href="#|url\(#)', rf"\g<1>{prefix}", svg)
    label = html.escape(alt)
    return re.sub(
        r"<svg ([^>]*)>",
        lambda m: (
            f'<svg {m[1]} role="img" aria-label="{label}" class="minimodel-plot" '
            f'style="max-width:100%;height:auto">\n<title>{label}</title>'
        ),
        svg,
        count=1,
    ).strip()


def line_plot(
    series: Mapping[str, Sequence[float]],
    *,
    xlabel: str,
    ylabel: str,
    alt: str,
    title: str | None = None,
    x: Sequence[float] | None = None,
    logy: bool = False,
) -> str:
    """Plot one line per entry of ``series`` (legend label -> y values); return the SVG.

    Args:
        series: legend label -> values; x defaults to 0, 1, 2...
        xlabel: label of the x axis.
        ylabel: label of the y axis.
        alt: what the plot shows (see :func:`to_svg`).
        title: shown above the plot.
        x: shared x values.
        logy: logarithmic y axis (losses that fall by orders of magnitude).
    """
    with figure() as (fig, ax):
        for label, ys in series.items():
            ax.plot(range(len(ys)) if x is None else x, ys, label=label)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
        if logy:
            ax.set_yscale("log")
        if len(series) > 1:
            ax.legend()
    return to_svg(fig, alt=alt)
