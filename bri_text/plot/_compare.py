"""Figures of the comparison stage: keyness, geographic orientation, dictionary profiles."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._util import check_scalar, renamed_parameters
from ..errors import MetadataError
from ._base import _attach, _heatmap, _new_ax, _pick_group, _require, zero_note

#: Suffix of a group label whose figures come from a single document.
SINGLE_DOC = " (1 doc)"


def _single_groups(table: pd.DataFrame, key: str = "group") -> set:
    """Groups with a single document (``n_docs`` column), empty without that column."""
    if "n_docs" not in table.columns or key not in table.columns:
        return set()
    return set(table.loc[table["n_docs"] == 1, key])


def _mark_single(m: pd.DataFrame, table: pd.DataFrame, key: str = "group",
                 axis: str = "index") -> pd.DataFrame:
    """Append " (1 doc)" to the labels of groups with one document (``n_docs`` column), so
    that a reader sees which rows compare single texts."""
    single = _single_groups(table, key)
    if not single or m is None:
        return m
    rename = {g: f"{g}{SINGLE_DOC}" for g in single}
    return m.rename(index=rename) if axis == "index" else m.rename(columns=rename)


#: What the ``score`` of each keyness measure is, for the axis label: the bars of log-odds
#: are z-scores (0.8 for a term 6 times against 0), not log-odds ratios.
_SCORE_NAMES = {"log_odds": "log-odds z-score", "chi2": "signed chi²", "g2": "signed G²",
                "log_ratio": "log ratio (log2)", "welch": "Welch's t",
                "permutation": "Welch's t (permutation test)",
                "wilcoxon": "rank-biserial correlation",
                "bootstrap_test": "difference / bootstrap SD"}


def keyness(table: pd.DataFrame, *, top_n: int = 15, group=None, ax=None,
            labels=None, q: float = 0.05):
    """Diverging bar chart of the ``top_n`` most over- and under-used terms.

    ``table`` is what :func:`bri_text.keyness` returns (``term``, ``score``); with a
    one-vs-rest table (``by=``) choose the group with ``group=``. ``labels``: the names of
    the two sides in the axis label and title; by default the values the table was made
    with (``target={"片区": "西南沿边"}`` gives 西南沿边, a ``by=`` group against "rest"),
    "target" / "reference" for masks. Terms are marked by their
    Benjamini-Hochberg ``q_value``, not the raw p-value: solid bars have q < ``q``, pale
    hatched bars do not (a difference these data cannot tell from the many terms tested).
    Each side is drawn in the order of its ranking, by score and then by term: the
    target's first term at the top, the reference's at the bottom.
    The axis label says whether the test was token- or document-level. A single character
    that keyness flags in ``fragment_of`` is labelled with its string: "磨 (piece of 磨憨)".

    >>> from bri_text import plot
    >>> table = bt.keyness(bt.dtm(tokens), target={"region": "广西"}, reference={"region": "甘肃"})
    >>> ax = plot.keyness(table, top_n=5)
    >>> len(ax.patches), ax.get_title()
    (10, 'Keyness: 广西 vs 甘肃')
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _require(table, ["term", "score"], "plot.keyness")
    df = _pick_group(table, group, "plot.keyness")
    check_scalar(top_n, "top_n", min_val=1)
    check_scalar(q, "q", "real", min_val=0, max_val=1, include_min=False, include_max=False)
    df = df.dropna(subset=["score"])
    # each side in the order of its own ranking, by |score| then by term (ties, e.g. two
    # terms of the same counts, in the order keyness and the report's findings list them):
    # the target's first term at the top, the reference's first at the bottom
    top = df[df["score"] > 0].sort_values(["score", "term"], ascending=[False, True],
                                          kind="stable").head(top_n)
    bottom = df[df["score"] < 0].sort_values(["score", "term"], ascending=[True, True],
                                             kind="stable").head(top_n)
    show = pd.concat([bottom, top.iloc[::-1]])     # barh draws the first row at the bottom
    measure = table.attrs.get("measure", "score")
    ax = _new_ax(ax, (7, max(3, 0.28 * len(show) + 1)))
    colors = np.where(show["score"] > 0, "#c0392b", "#2c7fb8")
    if "q_value" in show.columns:
        sig = (show["q_value"] < q).to_numpy()
        show = show.assign(significant=sig)
    else:
        sig = np.ones(len(show), dtype=bool)
    names = show["term"].astype(str)
    if "fragment_of" in show.columns:
        # a single character cut from a longer string (keyness's fragment_of) says so
        frag = show["fragment_of"].fillna("").astype(str)
        names = names.where(frag == "", names + " (piece of " + frag + ")")
    bars = ax.barh(names.to_numpy(), show["score"], color=colors)
    for bar, s_ in zip(bars, sig):
        if not s_:
            bar.set_alpha(0.35)
            bar.set_hatch("///")
    ax.axvline(0, color="black", lw=0.8)
    known = table.attrs.get("labels") or (None, None)
    if group is not None:
        known = (group, "rest")
    if labels is None:
        labels = (known[0] or "target", known[1] or "reference")
    named = labels[0] != "target"
    kind = str(table.attrs.get("test", "")).split(" (")[0]
    xlabel = (f"{_SCORE_NAMES.get(measure, measure)} (> 0: more in {labels[0]}; < 0: more "
              f"in {labels[1]})")
    if "q_value" in show.columns:
        xlabel += f"\nsolid: q < {q} (Benjamini-Hochberg); pale: q >= {q}"
    if kind:
        xlabel += f"; {kind} test"
    ax.set_xlabel(xlabel)
    title = (f"Keyness: {labels[0]} vs {labels[1]}" if named else
             f"Keyness: {group}" if group is not None else "Keyness")
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=9)
    return _attach(ax, show)


def _interval_columns(table: pd.DataFrame):
    """``("ci_low", "ci_high")`` when the table has an interval to draw, else None."""
    if {"ci_low", "ci_high"} <= set(table.columns) and table["ci_low"].notna().any():
        return "ci_low", "ci_high"
    return None


def _orientation_matrix(table: pd.DataFrame, level: str, groups: list):
    """(groups × regions shares, whether each group has any mention): undefined rows stay NaN."""
    m = table.pivot_table(index="group", columns=level, values="share", aggfunc="sum",
                          sort=False, dropna=False).reindex(groups)
    has_data = table.groupby("group", sort=False)["share"].apply(lambda s: s.notna().any())
    has_data = has_data.reindex(groups).fillna(False).astype(bool)
    m.loc[has_data[has_data].index] = m.loc[has_data[has_data].index].fillna(0.0)
    m.loc[~has_data.to_numpy()] = np.nan      # no mentions: undefined, never drawn as 0
    m = m[m.fillna(0).sum().sort_values(ascending=False, kind="stable").index]
    return m, has_data


def _mention_counts(table: pd.DataFrame, groups: list):
    """The number of place mentions of each group (``n_mentions`` or summed ``count``), or None."""
    if "n_mentions" in table.columns:
        return table.groupby("group", sort=False)["n_mentions"].first().reindex(groups)
    if "count" in table.columns:
        return table.groupby("group", sort=False)["count"].sum().reindex(groups)
    return None


def _orientation_labels(groups: list, n, few: set, single: set, has_data) -> list[str]:
    """Row labels: each group with its number of mentions, "few mentions", "1 doc"."""
    labels = []
    for g in groups:
        notes = [f"n={int(n[g])}"] if n is not None and pd.notna(n[g]) else []
        notes += ["few mentions"] if g in few and has_data[g] else []
        notes += [SINGLE_DOC.strip(" ()")] if g in single else []
        labels.append(f"{g} ({', '.join(notes)})" if notes else str(g))
    return labels


def _orientation_intervals(table: pd.DataFrame, level: str, m: pd.DataFrame):
    """(low, high) matrices aligned with ``m``, or (None, None) without intervals."""
    ci = _interval_columns(table)
    if ci is None:
        return None, None
    # "first", not "sum": an interval that could not be computed stays NaN (drawn as
    # nothing), never 0.00-0.00
    return tuple(table.pivot_table(index="group", columns=level, values=c, aggfunc="first",
                                   sort=False, dropna=False).reindex(index=m.index,
                                                                      columns=m.columns)
                 for c in ci)


@renamed_parameters("0.4.0", level="geography")
def orientation(table: pd.DataFrame, *, geography=None, ax=None):
    """Heatmap of each group's shares of place mentions per world region (or corridor).

    ``table`` is what :func:`bri_text.orientation` returns (with ``places=``, the regions of
    your list, its file named in the title). Each row is labelled with the
    number of place mentions its shares rest on (``甘肃 (n=4)``); a group with no mentions at
    all is hatched and labelled "no mentions" (its shares are undefined, not zero); a group
    whose shares rest on fewer than ``min_mentions`` mentions (``few_mentions`` column) is
    drawn with a dotted hatch over its row and labelled "few mentions". When the
    table has intervals (``n_boot > 0``), each cell shows the interval under the share.
    Groups with a single document are labelled "1 doc": their shares describe one text.
    ``ax.bri_data`` holds the drawn table (groups × regions, with ``n_mentions``).

    >>> from bri_text import plot
    >>> ax = plot.orientation(bt.orientation(tokens, by="region", n_boot=0))
    >>> ax.bri_data["n_mentions"].to_dict()       # 甘肃: too few mentions to say
    {'河南': 174, '广西': 188, '甘肃': 6}
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    level = geography or next((c for c in ("world_region", "continent", "corridor",
                                           "region") if c in table.columns), None)
    if level is None:
        raise MetadataError("plot.orientation: the table has none of the columns "
                            "world_region, continent, corridor, region")
    _require(table, ["group", level, "share"], "plot.orientation")
    groups = list(dict.fromkeys(table["group"]))
    m, has_data = _orientation_matrix(table, level, groups)
    n = _mention_counts(table, groups)
    single = _single_groups(table)
    few = (set(table.loc[table["few_mentions"].astype(bool), "group"])
           if "few_mentions" in table.columns else set())
    labels = _orientation_labels(groups, n, few, single, has_data)
    low, high = _orientation_intervals(table, level, m)
    missing = [i for i, g in enumerate(groups) if not has_data[g]]
    places = table.attrs.get("places")
    what = (f"region of {Path(places).name}" if level == "region" and places
            and places != "gazetteer" and not places.startswith("own list") else level)
    ax = _heatmap(m, ax, f"Geographic orientation ({what}); n = place mentions", ".2f",
                  "share of mentions", low=low, high=high, row_labels=labels,
                  missing_rows=missing, missing_text="no mentions",
                  zero_note=zero_note(table))
    from matplotlib.patches import Rectangle

    few_rows = [i for i, g in enumerate(groups) if g in few and has_data[g]]
    for i in few_rows:
        ax.add_patch(Rectangle((-0.5, i - 0.5), m.shape[1], 1, fill=False,
                               edgecolor="#555555", hatch="..", lw=0.8, zorder=2))
    drawn = m.copy()
    if n is not None:
        drawn.insert(0, "n_mentions", n.to_numpy())
    if few:
        drawn.insert(1 if n is not None else 0, "few_mentions",
                     [g in few for g in drawn.index])
    return _attach(ax, drawn)


def profile(table: pd.DataFrame, *, value=None, ax=None):
    """Heatmap of a dictionary profile (groups or units × categories).

    ``table`` is what :func:`bri_text.profile` returns; ``value`` chooses the column to
    show (default: ``per_10k`` or ``share``, whichever is present). With intervals
    (``n_boot > 0``) each cell shows its interval under the value. Groups with a single
    document are labelled "(1 doc)". ``ax.bri_data`` holds the drawn matrix.

    >>> from bri_text import plot
    >>> ax = plot.profile(bt.profile(tokens, by="region", n_boot=0))
    >>> ax.bri_data["facilities_connectivity"].round(1).to_dict()
    {'河南': 689.2, '广西 (1 doc)': 401.0, '甘肃 (1 doc)': 359.0}
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    index = "group" if "group" in table.columns else "doc_id"
    value = value or next((c for c in ("per_10k", "share", "count") if c in table.columns), None)
    _require(table, [index, "category", value or "per_10k"], "plot.profile")
    m = table.pivot_table(index=index, columns="category", values=value, aggfunc="sum",
                          sort=False).fillna(0.0)
    ci = _interval_columns(table)
    low = high = None
    if ci is not None:
        low, high = (table.pivot_table(index=index, columns="category", values=c,
                                       aggfunc="first", sort=False, dropna=False)
                     .reindex_like(m)
                     for c in ci)
    m, low, high = (_mark_single(x, table, index) for x in (m, low, high))
    ax = _heatmap(m, ax, "Dictionary profile", ".1f" if value == "per_10k" else ".2f",
                  value, low=low, high=high, zero_note=zero_note(table))
    return _attach(ax, m)
