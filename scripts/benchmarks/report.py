"""Statistics over repetitions, agreement of loss curves, and the printed tables."""

from __future__ import annotations

from typing import Any

import numpy as np

from .workloads import ATOL, RTOL

NAMES = {"numpy": "NumPy floor", "torch": "PyTorch", "minimodel": "minimodel"}
# A row whose interquartile range is above this share of its median is flagged as noisy.
NOISY = 0.05


def summarize(samples: list[float]) -> dict[str, float]:
    """Median, quartiles, extremes and the relative interquartile range of ``samples``."""
    q1, median, q3 = np.percentile(samples, [25, 50, 75])
    return {
        "median": float(median),
        "q1": float(q1),
        "q3": float(q3),
        "min": float(min(samples)),
        "max": float(max(samples)),
        "iqr_rel": float((q3 - q1) / median) if median else 0.0,
        "n": len(samples),
    }


def compare_curves(curve: list[float], reference: list[float]) -> dict[str, Any]:
    """Whether ``curve`` equals ``reference`` elementwise within ATOL + RTOL * |reference|."""
    a, ref = np.asarray(curve, np.float64), np.asarray(reference, np.float64)
    if a.shape != ref.shape:
        return {"ok": False, "why": f"{a.size} losses against {ref.size}"}
    diff = np.abs(a - ref)
    bad = np.flatnonzero(~(diff <= ATOL + RTOL * np.abs(ref)))  # NaN counts as bad
    return {
        "ok": bad.size == 0,
        "max_abs_diff": float(diff.max()) if diff.size else 0.0,
        "max_rel_diff": float((diff / np.maximum(np.abs(ref), 1e-30)).max()) if diff.size else 0.0,
        "first_bad_step": int(bad[0]) + 1 if bad.size else None,
        "first": [float(ref[0]), float(a[0])] if a.size else None,
        "last": [float(ref[-1]), float(a[-1])] if a.size else None,
    }


def format_seconds(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def _cell(stats: dict[str, float] | None) -> str:
    if stats is None:
        return "—"
    return f"{format_seconds(stats['median'])} ({stats['iqr_rel']:.0%})"


def _ratio(results: dict[str, dict], top: str, bottom: str) -> str:
    if top not in results or bottom not in results:
        return "—"
    return f"{results[top]['median'] / results[bottom]['median']:.2f}"


def table(rows: list[dict[str, Any]]) -> str:
    """The Markdown table: one row per workload, a column per implementation, then the ratios.

    Each row is ``{"title", "runs", "stats": {impl: summary}}``.
    """
    header = [
        "workload",
        "runs",
        NAMES["numpy"],
        NAMES["torch"],
        NAMES["minimodel"],
        "minimodel / PyTorch",
        "minimodel / NumPy",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        stats = row["stats"]
        cells = [
            row["title"],
            row["runs"],
            *(_cell(stats.get(impl)) for impl in ("numpy", "torch", "minimodel")),
            _ratio(stats, "minimodel", "torch"),
            _ratio(stats, "minimodel", "numpy"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def noise_summary(rows: list[dict[str, Any]]) -> str:
    """One paragraph saying how noisy the numbers were, naming the noisiest row."""
    worst = max(
        ((s["iqr_rel"], f"{row['title']}, {NAMES.get(impl, impl)}", s)
         for row in rows for impl, s in row["stats"].items()),
        default=None,
    )  # fmt: skip
    if worst is None:
        return "No timings."
    rel, where, stats = worst
    spread = stats["max"] / stats["min"] - 1 if stats["min"] else 0.0
    noisy = [
        f"{row['title']} ({NAMES.get(impl, impl)})"
        for row in rows
        for impl, s in row["stats"].items()
        if s["iqr_rel"] > NOISY
    ]
    text = (
        f"Noise: the widest interquartile range is {rel:.1%} of its median ({where}; its "
        f"slowest repetition is {spread:.0%} above its fastest). "
    )
    if noisy:
        text += (
            f"Rows with an IQR above {NOISY:.0%} of the median: {'; '.join(noisy)}. Treat their "
            "ratios as rough."
        )
    else:
        text += (
            f"Every row's IQR is within {NOISY:.0%} of its median, so ratios that differ from 1 by "
            "more than about twice that are real on this machine."
        )
    return text
