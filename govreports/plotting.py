"""Chinese-capable matplotlib setup and the few chart helpers the notebooks share.

Importing this module registers the Noto Sans CJK SC font shipped by the ``mplfonts`` wheel, so
Chinese labels render on any machine with the package installed (no system fonts, no tofu boxes). Every
text a chart draws (title, axis label, legend, tick label, note) is given in Chinese and drawn in the
page's language (``english.plain``: English only under ``--lang en``).
"""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from govreports import longrun
from govreports.analysis.english import plain
from govreports.fonts import FONT_FILE, cjk_font_path

FORMAT_CHANGE_YEAR = 2021  # first report year under 国办公开办函〔2021〕30号
GREY = "#9a9a9a"
PALETTE = ["#2b6cb0", "#63b3ed", "#e53e3e", "#ed8936", "#a0aec0", "#805ad5", "#38a169", "#d69e2e",
           "#319795", "#b83280", "#4a5568"]


def font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font inside the mplfonts package (the one pdfium is given too)."""
    path = cjk_font_path()
    if path is None:
        raise FileNotFoundError(f"mplfonts is missing or has no {FONT_FILE}; reinstall mplfonts")
    return path


def register_cjk_font() -> str:
    """Register the bundled CJK font with matplotlib and make it the default; returns its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = [family, *[f for f in plt.rcParams["font.sans-serif"] if f != family]]
    plt.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 glyph
    plt.rcParams["figure.dpi"] = 110
    plt.rcParams["axes.spines.top"] = False
    plt.rcParams["axes.spines.right"] = False
    return family


FONT_FAMILY = register_cjk_font()


def _axes(ax: Axes | None, height: float, width: float = 9.0) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return ax


def _fmt(v: float, unit: str) -> str:
    if unit == "%":
        return f"{v:.1f}%"
    return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 100 else f"{v:,.2f}"


def ranked_bar(values: pd.Series, *, title: str, unit: str = "%", notes: pd.Series | None = None,
               highlight: str | None = None, lo: pd.Series | None = None, hi: pd.Series | None = None,
               ax: Axes | None = None) -> Axes:
    """Horizontal bars ranked from highest to lowest, with the 95% interval as a black whisker where
    ``lo``/``hi`` are given. Units whose value is NaN get no bar but a grey note (``notes``, e.g.
    '分母不足 5，不计算') below the ranked ones, so small samples are never ranked."""
    ranked = values.dropna().sort_values(ascending=True)
    unranked = values[values.isna()]
    labels = [*unranked.index, *ranked.index]
    ax = _axes(ax, 1.0 + 0.38 * max(len(labels), 1))
    y = np.arange(len(labels))
    colors = [PALETTE[2] if lab == highlight else PALETTE[0] for lab in ranked.index]
    ax.barh(y[len(unranked):], ranked.values, color=colors)
    low = lo.reindex(ranked.index).to_numpy(dtype=float) if lo is not None else np.full(len(ranked), np.nan)
    high = hi.reindex(ranked.index).to_numpy(dtype=float) if hi is not None else np.full(len(ranked), np.nan)
    whisker = ~(np.isnan(low) | np.isnan(high))
    if whisker.any():
        v = ranked.to_numpy(dtype=float)
        ax.errorbar(v[whisker], y[len(unranked):][whisker], capsize=3, fmt="none", ecolor="black", linewidth=1,
                    xerr=[v[whisker] - low[whisker], high[whisker] - v[whisker]], label=plain("95% 置信区间"))
        ax.legend(frameon=False, fontsize=8, loc="lower right")
    vmax = float(np.nanmax([ranked.max() if len(ranked) else 1.0, *high[whisker]]))
    for yi, v, h in zip(y[len(unranked):], ranked.values, high):
        ax.text((h if not np.isnan(h) else v) + vmax * 0.01, yi, _fmt(v, unit), va="center", fontsize=9)
    for yi, lab in zip(y[:len(unranked)], unranked.index):
        note = notes.get(lab, "") if notes is not None else ""
        ax.text(0, yi, f"  {plain(note or '无数据')}", va="center", color=GREY, fontsize=9)
    ax.set_yticks(y, [plain(lab) for lab in labels])
    if len(ranked) and all(float(v).is_integer() for v in ranked.values):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlim(0, vmax * 1.15 if vmax > 0 else 1)
    ax.set_xlabel(plain(unit))
    ax.set_title(plain(title))
    return ax


def stacked_shares(shares: pd.DataFrame, *, title: str, notes: pd.Series | None = None,
                   ax: Axes | None = None) -> Axes:
    """One horizontal bar per row, split into the columns' shares (in %). Rows with a note (e.g. a
    sample too small) are drawn empty with the note; rows whose shares do not add up to 100 % (a
    failed identity) are labelled with their sum instead of being silently rescaled."""
    ax = _axes(ax, 1.6 + 0.42 * max(len(shares), 1), width=10)
    y = np.arange(len(shares))
    left = np.zeros(len(shares))
    noted = np.array([bool(notes is not None and notes.get(i)) for i in shares.index])
    for k, col in enumerate(shares.columns):
        vals = np.where(noted, 0, shares[col].fillna(0).to_numpy(dtype=float))
        ax.barh(y, vals, left=left, color=PALETTE[k % len(PALETTE)], label=plain(col))
        for yi, (lv, v) in enumerate(zip(left, vals)):
            if v >= 6:
                ax.text(lv + v / 2, yi, f"{v:.0f}%", ha="center", va="center", fontsize=8, color="white")
        left += vals
    for yi, (idx, total) in enumerate(zip(shares.index, left)):
        if noted[yi]:
            ax.text(1, yi, plain(notes.get(idx)), va="center", color=GREY, fontsize=9)
        elif abs(total - 100) > 0.5 and total > 0:
            ax.text(total + 1, yi, plain(f"合计 {total:.1f}%"), va="center", color=PALETTE[2], fontsize=9)
    ax.set_yticks(y, [plain(i) for i in shares.index])
    ax.invert_yaxis()
    ax.set_xlim(0, max(100.0, float(left.max()) if len(left) else 0) + 16)
    ax.set_xlabel("%")
    ax.set_title(plain(title))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
    return ax


def mark_format_change(ax: Axes, year: int = FORMAT_CHANGE_YEAR) -> None:
    """A dashed vertical line between the last V2019-format year and the first V2021-format year, labelled
    as the long-run crosswalk names that break."""
    label = next(b.zh for b in longrun.crosswalk().breaks if b.year == year)
    ax.axvline(year - 0.5, color=GREY, linestyle="--", linewidth=1)
    ax.text(year - 0.45, 1.0, plain(label).replace("（", "\n（", 1), transform=ax.get_xaxis_transform(),
            va="top", ha="left", fontsize=8, color=GREY)


def annotate_small_n(ax: Axes, x: float, text: str) -> None:
    """Mark, at the bottom of the axes, a year whose value is not shown (e.g. 'n<20', '不可比')."""
    ax.text(x, 0.02, plain(text), transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=8, color=GREY)


def trend_lines(frame: pd.DataFrame, *, title: str, unit: str = "%", ax: Axes | None = None) -> Axes:
    """Lines of ``value`` over ``year``, one per ``series``, with the 2021 format change marked.

    ``frame`` columns: series, year, value, and optional note (shown where value is NaN, e.g. 'n<20'),
    approx (bool: drawn as a hollow marker, a V2019 near-equivalent) and check_failed (bool: a † beside
    the point, whose inputs fail one of the report's identities)."""
    ax = _axes(ax, 3.6)
    years = sorted(frame["year"].dropna().unique())
    approx_any = interval_any = dagger_any = False
    for k, (name, g) in enumerate(frame.sort_values("year").groupby("series", sort=False)):
        color = PALETTE[k % len(PALETTE)]
        ax.plot(g["year"], g["value"], marker="o", color=color, label=plain(name))
        if {"lo", "hi"} <= set(g.columns) and g["lo"].notna().any():
            band = g[g["lo"].notna() & g["hi"].notna()]
            ax.fill_between(band["year"], band["lo"], band["hi"], color=color, alpha=0.15, linewidth=0)
            interval_any = True
        if "approx" in g:
            ap = g[g["approx"].fillna(False).astype(bool) & g["value"].notna()]
            approx_any |= len(ap) > 0
            ax.scatter(ap["year"], ap["value"], s=60, facecolors="white", edgecolors=color, zorder=3)
        if "check_failed" in g:
            bad = g[g["check_failed"].fillna(False).astype(bool) & g["value"].notna()]
            dagger_any |= len(bad) > 0
            for _, r in bad.iterrows():
                ax.annotate("†", (r["year"], r["value"]), xytext=(4, 4), textcoords="offset points", color=color,
                            fontsize=12)
        if "note" in g:
            for _, r in g[g["value"].isna() & g["note"].fillna("").ne("")].iterrows():
                annotate_small_n(ax, r["year"], r["note"])
    if years and min(years) < FORMAT_CHANGE_YEAR <= max(years):
        mark_format_change(ax)
    ax.set_xticks(years, [str(int(y)) for y in years])
    if years:
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    tops = frame[["value", "hi"]] if "hi" in frame else frame[["value"]]
    top = float(np.nanmax(tops.to_numpy(dtype=float))) if tops.notna().any().any() else 1.0
    ax.set_ylim(0, top * 1.3 if top > 0 else 1)  # room above the lines for the format-change label
    ax.set_title(plain(f"{title}" if unit in title else f"{title}（{unit}）"))
    handles, names = ax.get_legend_handles_labels()
    if approx_any:
        handles.append(ax.scatter([], [], s=60, facecolors="white", edgecolors=GREY))
        names.append(plain("空心点：V2019 格式近似口径"))
    if interval_any:
        handles.append(ax.fill_between([], [], [], color=GREY, alpha=0.3, linewidth=0))
        names.append(plain("阴影：95% 置信区间"))
    if dagger_any:
        handles.append(ax.scatter([], [], marker="$†$", s=80, color=GREY))
        names.append(plain("†：所用数字未通过勾稽关系"))
    if frame["series"].nunique() > 1 or approx_any or interval_any or dagger_any:
        ax.legend(handles, names, frameon=False, fontsize=9, loc="upper right")
    return ax


def versus_median(values: pd.Series, medians: pd.Series, *, title: str, notes: pd.Series | None = None,
                  ax: Axes | None = None) -> Axes:
    """Bars for one report's values with the corpus median as a black tick, one row per indicator."""
    ax = _axes(ax, 1.0 + 0.42 * max(len(values), 1))
    y = np.arange(len(values))
    ax.barh(y, values.fillna(0).values, color=PALETTE[1], label=plain("本报告"))
    ax.scatter(medians.values, y, marker="|", s=300, color="black", label=plain("语料中位数"), zorder=3)
    vmax = float(np.nanmax([values.max(), medians.max(), 1]))
    for yi, (lab, v) in enumerate(values.items()):
        text = f"{v:.1f}%" if pd.notna(v) else (notes.get(lab, "") if notes is not None else "")
        x = np.nanmax([v if pd.notna(v) else 0, medians.get(lab, 0)])
        ax.text(x + vmax * 0.02, yi, plain(text), va="center", fontsize=9, color="black" if pd.notna(v) else GREY)
    ax.set_yticks(y, [plain(lab) for lab in values.index])
    ax.invert_yaxis()
    ax.set_xlim(0, vmax * 1.2)
    ax.set_xlabel("%")
    ax.set_title(plain(title))
    ax.legend(frameon=False, fontsize=9, loc="lower right")
    return ax


def paired_bars(frame: pd.DataFrame, *, title: str, ax: Axes | None = None) -> Axes:
    """Grouped horizontal bars: one group per row of ``frame``, one bar per column (e.g. two years),
    each labelled with its value; empty cells get no bar."""
    ax = _axes(ax, 1.2 + 0.55 * max(len(frame), 1))
    y = np.arange(len(frame))
    width = 0.8 / max(len(frame.columns), 1)
    vmax = float(np.nanmax(frame.to_numpy(dtype=float))) if frame.notna().any().any() else 1.0
    for k, col in enumerate(frame.columns):
        pos = y + (k - (len(frame.columns) - 1) / 2) * width
        vals = frame[col].to_numpy(dtype=float)
        ax.barh(pos, np.nan_to_num(vals), height=width, color=PALETTE[k % len(PALETTE)], label=plain(str(col)))
        for p, v in zip(pos, vals):
            if not np.isnan(v):
                ax.text(v + vmax * 0.01, p, _fmt(v, ""), va="center", fontsize=8)
    ax.set_yticks(y, [plain(lab) for lab in frame.index])
    ax.invert_yaxis()
    ax.set_xlim(0, vmax * 1.15 if vmax > 0 else 1)
    ax.set_title(plain(title))
    ax.legend(frameon=False, fontsize=9, loc="lower right")
    return ax


def choropleth(values: pd.Series, shapes: dict[str, tuple[np.ndarray, ...]], groups: dict[str, list[str]], *,
               title: str, unit: str = "%", labels: pd.Series | None = None, panel_titles: dict[str, str] | None = None,
               cmap: str = "YlGnBu", marks: pd.Series | None = None, vmin: float | None = None,
               vmax: float | None = None, note: str = "") -> plt.Figure:
    """One map panel per group (e.g. per prefecture): context divisions in light grey, divisions with a
    value coloured on one shared scale (with a colour bar), divisions whose value is NaN hatched grey.

    ``shapes`` maps a division code to its rings (lon, lat arrays); ``groups`` a panel to its codes.
    ``marks`` (per code) are printed after the value ('†'); ``vmin``/``vmax`` fix the scale (default:
    the values' range); ``note`` explains the marks under the maps."""
    from matplotlib import colormaps
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon

    n = max(len(groups), 1)
    cols = min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols + 1.2, 4.2 * rows + 0.6), layout="constrained", squeeze=False)
    finite = values.dropna()
    norm = Normalize(vmin=vmin if vmin is not None else float(finite.min()) if len(finite) else 0,
                     vmax=vmax if vmax is not None else float(finite.max()) if len(finite) else 1)
    if norm.vmin == norm.vmax:
        norm = Normalize(vmin=norm.vmin - 1, vmax=norm.vmax + 1)
    colours = colormaps[cmap]
    for ax, (panel, codes) in zip(axes.flat, groups.items()):
        lat = []
        for code in codes:
            rings = shapes.get(code)
            if not rings:
                continue
            if code in values.index and pd.notna(values[code]):
                face, hatch, edge = colours(norm(values[code])), None, "black"
            elif code in values.index:
                face, hatch, edge = "#eeeeee", "///", "black"
            else:
                face, hatch, edge = "#e2e2e2", None, "white"
            patches = [Polygon(r, closed=True) for r in rings]
            ax.add_collection(PatchCollection(patches, facecolor=face, edgecolor=edge, linewidth=0.6, hatch=hatch))
            lat += [r[:, 1].mean() for r in rings]
            if code in values.index:
                x, y = max(rings, key=len).mean(axis=0)
                text = plain(labels.get(code, code) if labels is not None else code)
                value = plain("n 太小") if pd.isna(values[code]) else _fmt(values[code], unit)
                value += plain(str(marks.get(code, ""))) if marks is not None else ""
                ax.annotate(f"{text}\n{value}", (x, y), ha="center", va="center", fontsize=8,
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
        ax.autoscale_view()
        ax.set_aspect(1 / np.cos(np.radians(np.mean(lat) if lat else 30)))
        ax.set_axis_off()
        ax.set_title(plain((panel_titles or {}).get(panel, panel)), fontsize=10)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_axis_off()
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=colours), ax=axes, shrink=0.6, label=plain(unit))
    bar.outline.set_visible(False)
    fig.suptitle(plain(title))
    if note:
        fig.supxlabel(plain(note), fontsize=9, color=GREY)
    return fig


def longrun_lines(frame: pd.DataFrame, *, title: str, breaks: list[tuple[int, str]], unit: str = "件",
                  ax: Axes | None = None) -> Axes:
    """A long-run series (2008 to today) with each format break drawn as a labelled vertical line.

    ``frame`` as :func:`govreports.analysis.trends.longrun_trend` returns it: a line runs only between
    points marked ``joined``; a point whose era counts the indicator slightly differently from today
    (comparability ``close``) is hollow, one that is not comparable with today is grey; a year without
    a value shows its ``note`` (未列, 无此项) at the bottom."""
    ax = _axes(ax, 4.0, width=10.0)
    years = sorted(frame["year"].dropna().unique())
    for k, (name, g) in enumerate(frame.sort_values("year").groupby("series", sort=False)):
        color = PALETTE[k % len(PALETTE)]
        rows = list(g.itertuples(index=False))
        for prev, curr in zip(rows, rows[1:]):
            if curr.joined:
                ax.plot([prev.year, curr.year], [prev.value, curr.value], color=color, linewidth=1.6)
        for r in rows:
            if pd.isna(r.value):
                if r.note:
                    annotate_small_n(ax, r.year, r.note)
                continue
            edge = GREY if r.comparability == "not_comparable" else color
            face = "white" if r.comparability == "close" else edge
            ax.scatter([r.year], [r.value], s=42, facecolors=face, edgecolors=edge, linewidths=1.4, zorder=3)
        ax.plot([], [], color=color, marker="o", label=plain(name))
    shown = [(y, label) for y, label in breaks if years and min(years) < y <= max(years)]
    for k, (year, label) in enumerate(shown):
        ax.axvline(year - 0.5, color=GREY, linestyle="--", linewidth=1)
        # staggered, on white: labels of breaks two years apart stay readable
        ax.text(year - 0.45, 1.0 - 0.13 * k, plain(label).replace("（", "\n（", 1), transform=ax.get_xaxis_transform(),
                va="top", ha="left", fontsize=8, color=GREY, bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1})
    ax.set_xticks(years, [str(int(y)) for y in years])
    if years:
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    top = float(np.nanmax(frame["value"].to_numpy(dtype=float))) if frame["value"].notna().any() else 1.0
    ax.set_ylim(0, top * 1.7 if top > 0 else 1)  # room above the lines for the break labels
    ax.set_title(plain(title if unit in title else f"{title}（{unit}）"))
    handles, names = ax.get_legend_handles_labels()
    if (frame["comparability"] == "close").any():
        handles.append(ax.scatter([], [], s=42, facecolors="white", edgecolors=GREY))
        names.append(plain("空心点：口径相近（与今不完全相同）"))
    if (frame["comparability"] == "not_comparable").any() and frame["value"].notna().any():
        handles.append(ax.scatter([], [], s=42, facecolors=GREY, edgecolors=GREY))
        names.append(plain("灰点：与今口径不可比"))
    ax.legend(handles, names, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax
