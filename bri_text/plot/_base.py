"""Shared pieces of the plots: the bundled CJK font, axes creation, input checks."""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ..errors import MetadataError, ParameterError

_FONT_FILE = "BriTextSansSC-Regular.otf"
FONT_FAMILY = "BriText Sans SC"


@lru_cache(maxsize=1)
def font_family() -> str:
    """Register the bundled CJK font with matplotlib and return its family name.

    The font is appended to ``rcParams["font.family"]``: matplotlib (>= 3.6) falls back
    along that list glyph by glyph, so Latin text keeps the user's font and Chinese text
    gets ours, also in tick labels drawn later. Called by every plot function; call it yourself
    to use the font in your own matplotlib figures.

    >>> import matplotlib.pyplot as plt
    >>> from bri_text import plot
    >>> family = plot.font_family()
    >>> family, family in plt.rcParams["font.family"]
    ('BriText Sans SC', True)
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

    >>> import matplotlib.pyplot as plt
    >>> with chinese_font():
    ...     fig, ax = plt.subplots()
    ...     _ = ax.set_title("广西 vs 甘肃")
    >>> FONT_FAMILY in plt.rcParams["font.family"]
    True
    >>> plt.close(fig)
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


def _attach(obj, data: pd.DataFrame):
    """Keep the plotted data on the returned object (``obj.bri_data``; for an Axes also on
    its figure, ``ax.figure.bri_data``)."""
    data = data.copy()
    obj.bri_data = data
    fig = getattr(obj, "figure", None)
    if fig is not None and fig is not obj:
        fig.bri_data = data
    return obj


def _heatmap(matrix: pd.DataFrame, ax, title: str, fmt: str, cbar_label: str, *,
             low: pd.DataFrame | None = None, high: pd.DataFrame | None = None,
             row_labels=None, missing_rows=(), missing_text: str = "no data",
             zero_note: str | None = None):
    """Annotated heatmap. ``low``/``high`` (same shape): interval under each value.
    ``row_labels``: tick labels for the rows. ``missing_rows``: row positions drawn hatched
    and labelled ``missing_text`` (not as zeros). ``zero_note``: what the interval of a
    0 is (:func:`zero_note`), added to the axis label."""
    intervals = low is not None and high is not None
    cell_w = 1.05 if intervals else 0.7
    labels = [str(i) for i in (row_labels if row_labels is not None else matrix.index)]
    left = 0.09 * max((len(s) for s in labels), default=4)
    ax = _new_ax(ax, (1.4 + left + cell_w * matrix.shape[1],
                      max(2.8, 1.3 + (0.6 if intervals else 0.45) * matrix.shape[0])))
    values = matrix.to_numpy(dtype=float)
    im = ax.imshow(values, aspect="auto", cmap="YlOrRd")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=45,
                  ha="right")
    ax.set_yticks(range(matrix.shape[0]), labels)
    top = np.nanmax(values) if np.isfinite(values).any() else 0
    lo = low.to_numpy(dtype=float) if intervals else None
    hi = high.to_numpy(dtype=float) if intervals else None
    for (i, j), v in np.ndenumerate(values):
        if not np.isfinite(v):
            continue
        color = "white" if top and v > 0.6 * top else "black"
        if intervals and np.isfinite(lo[i, j]) and np.isfinite(hi[i, j]):
            ax.text(j, i - 0.12, format(v, fmt), ha="center", va="center", fontsize=8,
                    color=color)
            ax.text(j, i + 0.22, f"{format(lo[i, j], fmt)}–{format(hi[i, j], fmt)}",
                    ha="center", va="center", fontsize=5.5, color=color)
        else:
            ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=8, color=color)
    from matplotlib.patches import Rectangle

    for i in missing_rows:
        ax.add_patch(Rectangle((-0.5, i - 0.5), matrix.shape[1], 1, facecolor="#f4f4f4",
                               edgecolor="#999999", hatch="///", lw=0.5, zorder=2))
        ax.text((matrix.shape[1] - 1) / 2, i, missing_text, ha="center", va="center",
                fontsize=9, color="#444444", zorder=3,
                bbox=dict(facecolor="white", edgecolor="none", pad=1.5))
    ax.figure.colorbar(im, ax=ax, label=cbar_label, shrink=0.8)
    ax.set_title(title)
    if intervals:
        ax.set_xlabel("small figures: bootstrap interval" + (f"; {zero_note}" if zero_note
                                                              else ""),
                      fontsize=8, color="#555555")
    return ax


def zero_note(table: pd.DataFrame) -> str | None:
    """What the axis label says of the interval of a 0 when the table gave some zero its
    [0, Clopper-Pearson bound] (``attrs["n_zero_intervals"]``), else None; when shares seen
    1-20 times were widened (``attrs["n_small_intervals"]``, the few-count floor), a second
    line says so.

    >>> t = pd.DataFrame(); t.attrs.update(n_zero_intervals=3, zero_interval="..., n = "
    ...                                    "the group's documents with a match")
    >>> zero_note(t)
    "a 0: [0, bound for 0 in the group's documents]"
    """
    import re

    if not table.attrs.get("n_zero_intervals"):
        return None
    what = re.search(r"n = the group's (\w+)", str(table.attrs.get("zero_interval", "")))
    note = f"a 0: [0, bound for 0 in the group's {what.group(1) if what else 'documents'}]"
    if table.attrs.get("n_small_intervals"):
        note += ("\nseen 1–20 times: widened, as so few cannot show their spread; "
                 "upper end at least a 0's")
    return note


def _missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that the bundled font cannot draw (for warnings and tests)."""
    cmap = _font_cmap()
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}


@lru_cache(maxsize=1)
def _font_cmap() -> frozenset:
    from fontTools.ttLib import TTFont

    path = resources.files("bri_text") / "fonts" / _FONT_FILE
    with resources.as_file(path) as p:
        with TTFont(str(p), lazy=True) as font:   # closes the file (no ResourceWarning)
            return frozenset(font.getBestCmap())


def warn_missing_glyphs(ax) -> set[str]:
    """Warn (and return the characters) if any text on ``ax`` has no glyph in the font.

    >>> import warnings
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("一带一路 𪚥")              # 𪚥 (zhé) is not in the bundled font
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     warn_missing_glyphs(ax)
    {'𪚥'}
    >>> plt.close(fig)
    """
    texts = [t.get_text() for t in ax.findobj(lambda o: hasattr(o, "get_text"))]
    missing = set().union(*(_missing_glyphs(t) for t in texts if t)) if texts else set()
    if missing:
        warnings.warn(f"characters without a glyph in the bundled font: {sorted(missing)[:20]}",
                      stacklevel=2)
    return missing


def _band(ax, x, lo, hi, color, alpha: float) -> None:
    """An interval band over ``x``, and a vertical bar where a point has an interval but
    neither neighbour has one (a band needs two adjacent points: the 1950s' interval
    between the 1960s' two reports, which have none, would not show).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _band(ax, [1950, 1960, 1970], [1.0, np.nan, 2.0], [3.0, np.nan, 4.0], "C0", 0.2)
    >>> [len(c.get_segments()) for c in ax.collections if c.get_gid() == "interval alone"]
    [2]
    >>> plt.close(fig)
    """
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    ax.fill_between(x, lo, hi, color=color, alpha=alpha, lw=0)
    x = np.asarray(x, dtype=object)
    ok = np.isfinite(lo) & np.isfinite(hi)
    before = np.r_[False, ok[:-1]]
    after = np.r_[ok[1:], False]
    alone = ok & ~before & ~after
    if alone.any():
        ax.vlines(x[alone], lo[alone], hi[alone], color=color, alpha=min(1.0, alpha * 3),
                  lw=4, gid="interval alone")


def _band_note(df: pd.DataFrame) -> str:
    """What the drawn band is: within-document (units resampled in one text) or over
    documents, from the table's ``interval`` labels."""
    kinds = set(df.loc[df["ci_low"].notna(), "interval"]) if "interval" in df.columns else set()
    if kinds and all(str(k).startswith("within") for k in kinds):
        return "band: within-document interval (units of each text resampled)"
    # groups of 3 documents get a t interval over documents (the interval column says so;
    # audit s40: the title said "bootstrap interval" of 2020 and 2022, 3 policies each)
    t_rows = df.loc[df["ci_low"].notna(), "interval"].astype(str).str.contains(
        "t interval") if "interval" in df.columns else pd.Series(dtype=bool)
    if not t_rows.any():
        return "band: bootstrap interval"
    rows = df.loc[t_rows[t_rows].index]
    groups = rows["group"] if "group" in rows.columns else rows.index.to_series()
    names = [_group_name(g) for g in pd.unique(groups)]
    listed = ", ".join(names[:6]) + (" …" if len(names) > 6 else "")
    if len(names) == len(pd.unique(df["group"] if "group" in df.columns else df.index)):
        return "band: t interval over 3 documents"
    return f"band: bootstrap interval; {listed}: t interval over 3 documents"


def _group_name(g) -> str:
    """A group as the title names it: 2020, not 2020.0."""
    if isinstance(g, float) and g.is_integer():
        return str(int(g))
    return str(g)
