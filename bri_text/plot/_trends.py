"""Terms over time (``bri_text.term_trends``) on a real year axis."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._grouping import DECADE, _time_grid
from ..errors import MetadataError, ParameterError
from ._base import _attach, _band, _band_note, _new_ax, _require


def _runs(years: list[int], step: int = 1) -> list[tuple[int, int]]:
    """Consecutive runs of sorted ints (``step`` apart: 10 for decades): [1961, 1962, 1963,
    1996] -> [(1961, 1963), (1996, 1996)]."""
    out: list[tuple[int, int]] = []
    for y in years:
        if out and y == out[-1][1] + step:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


def _censored(part: pd.DataFrame) -> str:
    """The legend's note on a first year that may be late (``first_seen_censored``)."""
    if "first_seen_censored" not in part or part["first_seen_censored"].dropna().empty:
        return ""
    if not bool(part["first_seen_censored"].dropna().iloc[0]):
        return ""
    after = part["first_seen_after"].dropna() if "first_seen_after" in part else []
    return ", after a gap" if len(after) else " or earlier"


def term_trends(table: pd.DataFrame, *, terms=None, ax=None, band: bool = True):
    """Rate per 10,000 tokens of each term against year, from :func:`bri_text.term_trends`.

    The x axis is the year itself: a year without documents (a gap in the data: for the work
    reports 1961-63, 1965-74, 1976-77, 1989-91, 1996, 2020) is a break in the line and a
    grey band, never a line drawn across it. Intervals (``ci_low``/``ci_high``) are drawn as
    bands where the table has them (the title says whether they are within-document,
    ``resample="unit"``, or over documents); the legend gives each term's first year
    ("from 1978, after a gap" when the years before it have no document, "or earlier" when
    it is the first year of the data: ``first_seen_censored``). ``terms``
    selects terms. ``ax.bri_data`` holds the rows drawn, every year between the first and
    the last.

    >>> import bri_text as bt
    >>> tr = bt.term_trends(bt.tokenize(bt.load_work_reports().subset(year=[1992, 1993, 1995])),
    ...                     terms=["改革开放"], n_boot=0)
    >>> ax = bt.plot.term_trends(tr)
    >>> ax.get_lines()[0].get_xdata().tolist()
    [1992, 1993, 1994, 1995]
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _require(table, ["group", "term", "per_10k"], "plot.term_trends")
    df = table
    if terms is not None:
        terms = [terms] if isinstance(terms, str) else list(terms)
        absent = [t for t in terms if t not in set(df["term"])]
        if absent:
            raise ParameterError(f"plot.term_trends: terms {absent} are not in the table; "
                                 f"terms: {list(dict.fromkeys(df['term']))[:10]}")
        df = df[df["term"].isin(terms)]
    else:
        terms = list(dict.fromkeys(df["term"]))
    try:
        groups = np.asarray(pd.unique(df["group"]), dtype=float)
    except (TypeError, ValueError):
        groups = None
    if groups is None or not len(groups) or not np.all(groups == np.round(groups)):
        raise MetadataError("plot.term_trends: the groups are not years (whole numbers); "
                            "use term_trends(by='year') or a numeric column")
    decades = table.attrs.get("freq") == DECADE          # term_trends(by="decade")
    step = 10 if decades else 1
    years = _time_grid(groups, DECADE if decades else None,
                       "plot.term_trends")  # bounded: at most 1,000 years
    df = df.assign(group=df["group"].astype(int))
    ax = _new_ax(ax, (9, 4.5))
    has_docs = set(df.loc[df.get("n_docs", pd.Series(1, index=df.index)) > 0, "group"])
    gaps = [y for y in years if y not in has_docs]
    for a, b in _runs(gaps, step):
        ax.axvspan(a - step / 2, b + step / 2, color="0.9", zorder=0, lw=0, gid="no report")
    has_ci = band and {"ci_low", "ci_high"} <= set(df.columns)
    drawn = []
    for term in terms:
        part = df[df["term"] == term].set_index("group").reindex(years)
        part.loc[part.index.isin(gaps), "per_10k"] = np.nan
        first = part["first_seen"].dropna().iloc[0] if "first_seen" in part and \
            part["first_seen"].notna().any() else None
        label = term if first is None else f"{term} (from {int(first)}{_censored(part)})"
        line, = ax.plot(years, part["per_10k"].to_numpy(dtype=float), marker="o", ms=3,
                        lw=1.4, label=label)
        if has_ci:
            _band(ax, years, part["ci_low"], part["ci_high"], line.get_color(), 0.18)
        drawn.append(part.assign(term=term).reset_index(names="group"))
    ax.set_xlim(years[0] - step / 2, years[-1] + step / 2)
    ax.set_xlabel("decade" if decades else "year")
    ax.set_ylabel("mentions per 10,000 tokens")
    notes = ["grey: no document"] if gaps else []
    if has_ci and df["ci_low"].notna().any():
        notes.append(_band_note(df))
    ax.set_title("Terms over time" + (f" ({'; '.join(notes)})" if notes else ""))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _attach(ax, pd.concat(drawn, ignore_index=True))
