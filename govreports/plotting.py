"""Chinese-capable matplotlib setup and the few chart helpers the notebooks share.

Importing this module registers the Noto Sans CJK SC font shipped by the ``mplfonts`` wheel, so
Chinese labels render on any machine with the package installed (no system fonts, no tofu boxes).
"""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FORMAT_CHANGE_YEAR = 2021  # first report year under 国办公开办函〔2021〕30号
GREY = "#9a9a9a"
PALETTE = ["#2b6cb0", "#63b3ed", "#e53e3e", "#ed8936", "#a0aec0", "#805ad5", "#38a169", "#d69e2e",
           "#319795", "#b83280", "#4a5568"]


def font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font inside the mplfonts package."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: mplfonts is installed but has no {FONT_FILE}; reinstall mplfonts")
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
               highlight: str | None = None, ax: Axes | None = None) -> Axes:
    """Horizontal bars ranked from highest to lowest. Units whose value is NaN get no bar but a grey
    note (``notes``, e.g. '分母不足 20，不计算') below the ranked ones, so small samples are never ranked."""
    ranked = values.dropna().sort_values(ascending=True)
    unranked = values[values.isna()]
    labels = [*unranked.index, *ranked.index]
    ax = _axes(ax, 1.0 + 0.38 * max(len(labels), 1))
    y = np.arange(len(labels))
    colors = [PALETTE[2] if lab == highlight else PALETTE[0] for lab in ranked.index]
    ax.barh(y[len(unranked):], ranked.values, color=colors)
    vmax = float(ranked.max()) if len(ranked) else 1.0
    for yi, v in zip(y[len(unranked):], ranked.values):
        ax.text(v + vmax * 0.01, yi, _fmt(v, unit), va="center", fontsize=9)
    for yi, lab in zip(y[:len(unranked)], unranked.index):
        note = notes.get(lab, "") if notes is not None else ""
        ax.text(0, yi, f"  {note or '无数据'}", va="center", color=GREY, fontsize=9)
    ax.set_yticks(y, labels)
    if len(ranked) and all(float(v).is_integer() for v in ranked.values):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlim(0, vmax * 1.15 if vmax > 0 else 1)
    ax.set_xlabel(unit)
    ax.set_title(title)
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
        ax.barh(y, vals, left=left, color=PALETTE[k % len(PALETTE)], label=col)
        for yi, (lv, v) in enumerate(zip(left, vals)):
            if v >= 6:
                ax.text(lv + v / 2, yi, f"{v:.0f}%", ha="center", va="center", fontsize=8, color="white")
        left += vals
    for yi, (idx, total) in enumerate(zip(shares.index, left)):
        if noted[yi]:
            ax.text(1, yi, notes.get(idx), va="center", color=GREY, fontsize=9)
        elif abs(total - 100) > 0.5 and total > 0:
            ax.text(total + 1, yi, f"合计 {total:.1f}%", va="center", color=PALETTE[2], fontsize=9)
    ax.set_yticks(y, list(shares.index))
    ax.invert_yaxis()
    ax.set_xlim(0, max(100.0, float(left.max()) if len(left) else 0) + 16)
    ax.set_xlabel("%")
    ax.set_title(title)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
    return ax


def mark_format_change(ax: Axes, year: int = FORMAT_CHANGE_YEAR) -> None:
    """A dashed vertical line between the last V2019-format year and the first V2021-format year."""
    ax.axvline(year - 0.5, color=GREY, linestyle="--", linewidth=1)
    ax.text(year - 0.45, 1.0, "2021年起新格式\n（国办公开办函〔2021〕30号）", transform=ax.get_xaxis_transform(),
            va="top", ha="left", fontsize=8, color=GREY)


def annotate_small_n(ax: Axes, x: float, text: str) -> None:
    """Mark, at the bottom of the axes, a year whose value is not shown (e.g. 'n<20', '不可比')."""
    ax.text(x, 0.02, text, transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=8, color=GREY)


def trend_lines(frame: pd.DataFrame, *, title: str, unit: str = "%", ax: Axes | None = None) -> Axes:
    """Lines of ``value`` over ``year``, one per ``series``, with the 2021 format change marked.

    ``frame`` columns: series, year, value, and optional note (shown where value is NaN, e.g. 'n<20')
    and approx (bool: drawn as a hollow marker, a V2019 near-equivalent)."""
    ax = _axes(ax, 3.6)
    years = sorted(frame["year"].dropna().unique())
    approx_any = False
    for k, (name, g) in enumerate(frame.sort_values("year").groupby("series", sort=False)):
        color = PALETTE[k % len(PALETTE)]
        ax.plot(g["year"], g["value"], marker="o", color=color, label=name)
        if "approx" in g:
            ap = g[g["approx"].fillna(False).astype(bool) & g["value"].notna()]
            approx_any |= len(ap) > 0
            ax.scatter(ap["year"], ap["value"], s=60, facecolors="white", edgecolors=color, zorder=3)
        if "note" in g:
            for _, r in g[g["value"].isna() & g["note"].fillna("").ne("")].iterrows():
                annotate_small_n(ax, r["year"], r["note"])
    if years and min(years) < FORMAT_CHANGE_YEAR <= max(years):
        mark_format_change(ax)
    ax.set_xticks(years, [str(int(y)) for y in years])
    if years:
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    top = float(np.nanmax(frame["value"])) if frame["value"].notna().any() else 1.0
    ax.set_ylim(0, top * 1.3 if top > 0 else 1)  # room above the lines for the format-change label
    ax.set_title(f"{title}" if unit in title else f"{title}（{unit}）")
    handles, names = ax.get_legend_handles_labels()
    if approx_any:
        handles.append(ax.scatter([], [], s=60, facecolors="white", edgecolors=GREY))
        names.append("空心点：V2019 格式近似口径")
    if frame["series"].nunique() > 1 or approx_any:
        ax.legend(handles, names, frameon=False, fontsize=9, loc="upper right")
    return ax


def versus_median(values: pd.Series, medians: pd.Series, *, title: str, notes: pd.Series | None = None,
                  ax: Axes | None = None) -> Axes:
    """Bars for one report's values with the corpus median as a black tick, one row per indicator."""
    ax = _axes(ax, 1.0 + 0.42 * max(len(values), 1))
    y = np.arange(len(values))
    ax.barh(y, values.fillna(0).values, color=PALETTE[1], label="本报告")
    ax.scatter(medians.values, y, marker="|", s=300, color="black", label="语料中位数", zorder=3)
    vmax = float(np.nanmax([values.max(), medians.max(), 1]))
    for yi, (lab, v) in enumerate(values.items()):
        text = f"{v:.1f}%" if pd.notna(v) else (notes.get(lab, "") if notes is not None else "")
        x = np.nanmax([v if pd.notna(v) else 0, medians.get(lab, 0)])
        ax.text(x + vmax * 0.02, yi, text, va="center", fontsize=9, color="black" if pd.notna(v) else GREY)
    ax.set_yticks(y, list(values.index))
    ax.invert_yaxis()
    ax.set_xlim(0, vmax * 1.2)
    ax.set_xlabel("%")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=9, loc="lower right")
    return ax
