"""Figures of the comparison stage: keyness, geographic orientation, dictionary profiles."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import MetadataError, ParameterError
from ._base import _heatmap, _new_ax, _pick_group, _require

#: Suffix of a group label whose figures come from a single document.
SINGLE_DOC = " (1 doc)"


def _mark_single(m: pd.DataFrame, table: pd.DataFrame, key: str = "group",
                 axis: str = "index") -> pd.DataFrame:
    """Append " (1 doc)" to the labels of groups with one document (``n_docs`` column), so
    that a reader sees which rows compare single texts."""
    if "n_docs" not in table.columns or key not in table.columns:
        return m
    single = set(table.loc[table["n_docs"] == 1, key])
    if not single:
        return m
    rename = {g: f"{g}{SINGLE_DOC}" for g in single}
    return m.rename(index=rename) if axis == "index" else m.rename(columns=rename)


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


def orientation(table: pd.DataFrame, *, level=None, ax=None):
    """Heatmap of each group's shares of place mentions per world region (or corridor).

    ``table`` is what :func:`bri_text.orientation` returns. Groups with a single document
    are labelled "(1 doc)": their shares describe one text.
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
    m = _mark_single(m, table)
    return _heatmap(m, ax, f"Geographic orientation ({level})", ".2f", "share of mentions")


def profile(table: pd.DataFrame, *, value=None, ax=None):
    """Heatmap of a dictionary profile (groups or units × categories).

    ``table`` is what :func:`bri_text.profile` returns; ``value`` chooses the column to
    show (default: ``per_10k`` or ``share``, whichever is present). Groups with a single
    document are labelled "(1 doc)".
    """
    index = "group" if "group" in table.columns else "doc_id"
    value = value or next((c for c in ("per_10k", "share", "count") if c in table.columns), None)
    _require(table, [index, "category", value or "per_10k"], "plot.profile")
    m = table.pivot_table(index=index, columns="category", values=value, aggfunc="sum",
                          sort=False).fillna(0.0)
    m = _mark_single(m, table, index)
    return _heatmap(m, ax, "Dictionary profile", ".1f" if value == "per_10k" else ".2f",
                    value)
