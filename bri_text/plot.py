"""Plots of bri_text results, with Chinese labels that render on any machine.

Every function takes the DataFrame a bri_text function returned, an optional matplotlib
``ax`` (a new figure when None), and returns the Axes (the Figure for multi-panel plots).
None calls ``plt.show()``. Chinese text uses the font bundled with the package (a subset
of Noto Sans CJK SC, see ``bri_text/fonts/README.md``), so no set-up is needed.

>>> import bri_text as bt
>>> from bri_text import plot
>>> table = bt.keyness(matrix, target={"region": "广西"}, reference={"region": "甘肃"})  # doctest: +SKIP
>>> ax = plot.keyness(table, top_n=15)                                                 # doctest: +SKIP
>>> ax.figure.savefig("guangxi_vs_gansu.png", dpi=150)                                 # doctest: +SKIP
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .errors import MetadataError, ParameterError

__all__ = ["keyness", "orientation", "profile", "topic_prevalence", "topic_trends",
           "select_k", "font_family", "chinese_font"]

_FONT_FILE = "BriTextSansSC-Regular.otf"
FONT_FAMILY = "BriText Sans SC"


@lru_cache(maxsize=1)
def font_family() -> str:
    """Register the bundled CJK font with matplotlib and return its family name.

    The font is appended to ``rcParams["font.family"]``: matplotlib (>= 3.6) falls back
    along that list glyph by glyph, so Latin text keeps the user's font and Chinese text
    gets ours, also in tick labels drawn later. Called by every plot function; call it yourself
    to use the font in your own matplotlib figures.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    path = resources.files("bri_text") / "fonts" / _FONT_FILE
    with resources.as_file(path) as p:
        font_manager.fontManager.addfont(str(p))
    if FONT_FAMILY not in mpl.rcParams["font.family"]:
        mpl.rcParams["font.family"] = list(mpl.rcParams["font.family"]) + [FONT_FAMILY]
    return FONT_FAMILY


@contextmanager
def chinese_font():
    """Context manager form of :func:`font_family`, for your own matplotlib code.

    >>> with chinese_font():                  # doctest: +SKIP
    ...     plt.title("广西 vs 甘肃")
    """
    font_family()
    yield


def _new_ax(ax, figsize):
    import matplotlib.pyplot as plt

    font_family()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _require(df: pd.DataFrame, columns, what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"{what} expects a DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MetadataError(f"{what}: the table lacks column(s) {missing}; columns present: "
                            f"{list(df.columns)}. Pass the DataFrame returned by bri_text.")


def _pick_group(df: pd.DataFrame, group, what: str) -> pd.DataFrame:
    if "group" not in df.columns:
        return df
    groups = list(dict.fromkeys(df["group"]))
    if group is None:
        if len(groups) == 1:
            return df
        raise ParameterError(f"{what}: the table has {len(groups)} groups; choose one with "
                             f"group=, one of {groups[:10]}")
    if group not in groups:
        raise MetadataError(f"{what}: group {group!r} not in the table; groups: {groups[:10]}")
    return df[df["group"] == group]


# ---------------------------------------------------------------------- comparison
def keyness(table: pd.DataFrame, *, top_n: int = 15, group=None, ax=None,
            labels=("target", "reference")):
    """Diverging bar chart of the ``top_n`` most over- and under-used terms.

    ``table`` is what :func:`bri_text.keyness` returns (``term``, ``score``); with a
    one-vs-rest table (``by=``) choose the group with ``group=``.
    """
    _require(table, ["term", "score"], "plot.keyness")
    df = _pick_group(table, group, "plot.keyness")
    if top_n < 1:
        raise ParameterError(f"top_n must be >= 1, got {top_n}")
    df = df.dropna(subset=["score"]).sort_values("score", ascending=False)
    top = df[df["score"] > 0].head(top_n)
    bottom = df[df["score"] < 0].tail(top_n)
    show = pd.concat([top, bottom]).sort_values("score")
    measure = table.attrs.get("measure", "score")
    ax = _new_ax(ax, (7, max(3, 0.28 * len(show) + 1)))
    colors = np.where(show["score"] > 0, "#c0392b", "#2c7fb8")
    ax.barh(show["term"], show["score"], color=colors)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(f"{measure} (> 0: more in {labels[0]}; < 0: more in {labels[1]})")
    title = f"Keyness: {group}" if group is not None else "Keyness"
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=9)
    return ax


def _heatmap(matrix: pd.DataFrame, ax, title: str, fmt: str, cbar_label: str):
    ax = _new_ax(ax, (1.2 + 0.7 * matrix.shape[1], 1.0 + 0.45 * matrix.shape[0]))
    im = ax.imshow(matrix.to_numpy(dtype=float), aspect="auto", cmap="YlOrRd")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=45,
                  ha="right")
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index])
    values = matrix.to_numpy(dtype=float)
    top = np.nanmax(values) if np.isfinite(values).any() else 0
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=8,
                    color="white" if top and v > 0.6 * top else "black")
    ax.figure.colorbar(im, ax=ax, label=cbar_label, shrink=0.8)
    ax.set_title(title)
    return ax


def orientation(table: pd.DataFrame, *, level=None, ax=None):
    """Heatmap of each group's shares of place mentions per world region (or corridor).

    ``table`` is what :func:`bri_text.orientation` returns.
    """
    level = level or next((c for c in ("world_region", "continent", "corridor")
                           if c in table.columns), None)
    if level is None:
        raise MetadataError("plot.orientation: the table has none of the columns "
                            "world_region, continent, corridor")
    _require(table, ["group", level, "share"], "plot.orientation")
    m = table.pivot_table(index="group", columns=level, values="share", aggfunc="sum",
                          sort=False, dropna=False)
    m = m.reindex(list(dict.fromkeys(table["group"])))
    has_data = table.groupby("group", sort=False)["share"].apply(lambda s: s.notna().any())
    m.loc[has_data[has_data].index] = m.loc[has_data[has_data].index].fillna(0.0)
    m = m[m.sum().sort_values(ascending=False).index]  # groups without mentions stay blank
    return _heatmap(m, ax, f"Geographic orientation ({level})", ".2f", "share of mentions")


def profile(table: pd.DataFrame, *, value=None, ax=None):
    """Heatmap of a dictionary profile (groups or units × categories).

    ``table`` is what :func:`bri_text.profile` returns; ``value`` chooses the column to
    show (default: ``per_10k`` or ``share``, whichever is present).
    """
    index = "group" if "group" in table.columns else "doc_id"
    value = value or next((c for c in ("per_10k", "share", "count") if c in table.columns), None)
    _require(table, [index, "category", value or "per_10k"], "plot.profile")
    m = table.pivot_table(index=index, columns="category", values=value, aggfunc="sum",
                          sort=False).fillna(0.0)
    return _heatmap(m, ax, "Dictionary profile", ".1f" if value == "per_10k" else ".2f",
                    value)


# ---------------------------------------------------------------------- topics
def _topic_labels(df: pd.DataFrame) -> pd.Series:
    if "label" in df.columns:
        return df["topic"].astype(str) + " " + df["label"].astype(str)
    return "topic " + df["topic"].astype(str)


def topic_prevalence(table: pd.DataFrame, *, ax=None):
    """Heatmap of topic shares per group (what ``TopicModel.prevalence`` returns)."""
    _require(table, ["group", "topic", "share"], "plot.topic_prevalence")
    df = table.assign(topic_label=_topic_labels(table))
    m = df.pivot_table(index="topic_label", columns="group", values="share", aggfunc="first",
                       sort=False)
    return _heatmap(m, ax, "Topic prevalence", ".2f", "share of tokens")


def topic_trends(table: pd.DataFrame, *, topics=None, ax=None):
    """Topic shares over time with their bootstrap intervals (``TopicModel.trends``).

    Years without documents are gaps in the lines; ``topics`` selects topic numbers.
    """
    _require(table, ["group", "topic", "share"], "plot.topic_trends")
    df = table if topics is None else table[table["topic"].isin(list(topics))]
    if df.empty:
        raise ParameterError(f"plot.topic_trends: none of the topics {topics} is in the table")
    ax = _new_ax(ax, (8, 4.5))
    for label, part in df.assign(_label=_topic_labels(df)).groupby("_label", sort=False):
        part = part.sort_values("group")
        line, = ax.plot(part["group"], part["share"], marker="o", label=label)
        if {"lower", "upper"} <= set(part.columns):
            ax.fill_between(part["group"], part["lower"].astype(float),
                            part["upper"].astype(float), color=line.get_color(), alpha=0.15)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year")
    ax.set_ylabel("share of tokens")
    ax.set_title("Topic trends")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def select_k(table: pd.DataFrame, *, metrics=None):
    """One panel per metric (mean ± sd across seeds) against K (what ``select_k`` returns)."""
    _require(table, ["k"], "plot.select_k")
    if metrics is None:
        metrics = [c[:-5] for c in table.columns if c.endswith("_mean")]
    if not metrics:
        raise MetadataError("plot.select_k: no '<metric>_mean' columns in the table")
    import matplotlib.pyplot as plt

    font_family()
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.2 * len(metrics), 3),
                             layout="constrained", squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        sd = table.get(f"{metric}_sd")
        ax.errorbar(table["k"], table[f"{metric}_mean"], yerr=sd, marker="o", capsize=3)
        ax.set_xlabel("K (number of topics)")
        ax.set_title(metric)
    fig.suptitle("Choosing K")
    return fig


def _missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that the bundled font cannot draw (for warnings and tests)."""
    cmap = _font_cmap()
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}


@lru_cache(maxsize=1)
def _font_cmap() -> frozenset:
    from fontTools.ttLib import TTFont

    path = resources.files("bri_text") / "fonts" / _FONT_FILE
    with resources.as_file(path) as p:
        return frozenset(TTFont(str(p), lazy=True).getBestCmap())


def warn_missing_glyphs(ax) -> set[str]:
    """Warn (and return the characters) if any text on ``ax`` has no glyph in the font."""
    texts = [t.get_text() for t in ax.findobj(lambda o: hasattr(o, "get_text"))]
    missing = set().union(*(_missing_glyphs(t) for t in texts if t)) if texts else set()
    if missing:
        warnings.warn(f"characters without a glyph in the bundled font: {sorted(missing)[:20]}",
                      stacklevel=2)
    return missing
