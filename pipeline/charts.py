"""The report's charts: matplotlib figures (Agg backend, no display) as data URIs for <img>.

Each function takes the rows of one sql/report/ query and returns `data:image/...;base64,...`,
so the page carries its charts inside and needs no network to view. Line and dot charts are
SVG (text drawn as paths: no font to fetch); the heatmap is PNG (an image of cells either way).
The files are deterministic: no date in the metadata, a fixed salt for SVG ids.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")

from matplotlib import colormaps  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

RC = {"svg.hashsalt": "ictp", "font.size": 9, "axes.titlesize": 10, "axes.spines.top": False}
PALETTE = colormaps["tab10"].colors


def coverage_heatmap(rows: list[dict]) -> str:
    """Economies with a value, by series (rows) and year (columns)."""
    series = sorted({r["series"] for r in rows})
    years = list(range(min(r["year"] for r in rows), max(r["year"] for r in rows) + 1))
    grid = [[0] * len(years) for _ in series]
    for r in rows:
        grid[series.index(r["series"])][r["year"] - years[0]] = r["economies"]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(11, 0.22 * len(series) + 1.6), layout="constrained")
        ax = fig.add_subplot()
        im = ax.imshow(grid, aspect="auto", cmap="viridis", interpolation="nearest", vmin=0)
        ax.set_yticks(range(len(series)), series, fontsize=7)
        ticks = [i for i, y in enumerate(years) if y % 5 == 0] or [0]
        ax.set_xticks(ticks, [str(years[i]) for i in ticks], fontsize=7)
        ax.set_xlabel("year")
        fig.colorbar(im, ax=ax, label="economies with data", shrink=0.8)
        return _uri(fig, "png")


def trend_panels(rows: list[dict], group_types: list[str], title: str, unit: str) -> str:
    """One panel per group type: each group's line in its colour, ours solid and each
    provider's dashed (World Bank) or dotted (ITU)."""
    by_type: dict[str, dict] = {t: defaultdict(list) for t in group_types}
    for r in rows:
        by_type[r["group_type"]][(r["group_code"], r["group_name"], r["source"])].append(
            (r["year"], r["value"])
        )
    sources = sorted({r["source"] for r in rows} - {"ictp"})
    styles = {"ictp": "-", **{s: (":" if i % 2 else "--") for i, s in enumerate(sources)}}
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(11, 3.4), layout="constrained")
        axes = fig.subplots(1, len(group_types), sharey=True, squeeze=False)[0]
        for ax, gtype in zip(axes, group_types, strict=True):
            lines = by_type[gtype]
            groups = sorted({(code, name) for code, name, _s in lines})
            colour = {code: PALETTE[i % len(PALETTE)] for i, (code, _n) in enumerate(groups)}
            for (code, _name, source), points in sorted(lines.items()):
                points.sort()
                ax.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    styles[source],
                    color=colour[code],
                    linewidth=1.6 if source == "ictp" else 1.2,
                )
            ax.set_title(gtype.replace("_", " "))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(alpha=0.3)
            if not lines:
                ax.text(0.5, 0.5, "no aggregates", ha="center", va="center", transform=ax.transAxes)
                ax.set_xticks([])
            handles = [Line2D([], [], color=colour[c], label=n[:22]) for c, n in groups]
            if handles:
                ax.legend(handles=handles, fontsize=6, loc="upper left", frameon=False)
        axes[0].set_ylabel(unit)
        keys = [Line2D([], [], color="#444", linestyle=styles[s], label=_side(s)) for s in styles]
        fig.legend(handles=keys, loc="outside lower center", ncols=len(keys), frameon=False)
        fig.suptitle(title)
        return _uri(fig, "svg")


def rank_intervals(rows: list[dict], title: str) -> str:
    """Each economy's nominal rank (dot), median rank (tick) and 5th-95th percentile interval."""
    rows = sorted(rows, key=lambda r: r["rank"])
    ys = list(range(len(rows)))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7, 0.2 * len(rows) + 1.2), layout="constrained")
        ax = fig.add_subplot()
        for y, r in zip(ys, rows, strict=True):
            if r["rank_p05"] is not None:
                ax.plot([r["rank_p05"], r["rank_p95"]], [y, y], color="#9ab", linewidth=3)
                ax.plot([r["median_rank"]], [y], "|", color="#345", markersize=9)
        ax.plot([r["rank"] for r in rows], ys, "o", color=PALETTE[3], markersize=4)
        ax.set_yticks(ys, [r["economy_name"][:28] for r in rows], fontsize=7)
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("rank (dot: nominal; bar: 5th-95th percentile; tick: median)")
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(title)
        return _uri(fig, "svg")


def revision_counts(rows: list[dict]) -> str:
    """Values added, removed and revised since the previous vintage, per series and source."""
    labels = [f"{r['series']} ({r['source']})" for r in rows]
    ys = list(range(len(rows)))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(9, 0.3 * len(rows) + 1.6), layout="constrained")
        ax = fig.add_subplot()
        left = [0] * len(rows)
        for i, kind in enumerate(("revised", "added", "removed")):
            values = [r[kind] for r in rows]
            ax.barh(ys, values, left=left, color=PALETTE[i], label=kind)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(ys, labels, fontsize=7)
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("values")
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        return _uri(fig, "svg")


def _side(source: str) -> str:
    return "ours (ictp)" if source == "ictp" else f"{source}'s own aggregate"


def _uri(fig: Figure, fmt: str) -> str:
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, dpi=110, metadata=metadata)
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"
