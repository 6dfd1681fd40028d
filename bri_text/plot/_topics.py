"""Figures of the topic stage: prevalence by group, trends by year, choosing K."""
from __future__ import annotations

import pandas as pd

from ..errors import MetadataError, ParameterError
from ._base import _heatmap, _new_ax, _require, font_family
from ._compare import _mark_single


def _topic_labels(df: pd.DataFrame) -> pd.Series:
    if "label" in df.columns:
        return df["topic"].astype(str) + " " + df["label"].astype(str)
    return "topic " + df["topic"].astype(str)


def topic_prevalence(table: pd.DataFrame, *, ax=None):
    """Heatmap of topic shares per group (what ``TopicModel.prevalence`` returns); groups
    with a single document are labelled "(1 doc)"."""
    _require(table, ["group", "topic", "share"], "plot.topic_prevalence")
    df = table.assign(topic_label=_topic_labels(table))
    m = df.pivot_table(index="topic_label", columns="group", values="share", aggfunc="first",
                       sort=False)
    m = _mark_single(m, table, axis="columns")
    return _heatmap(m, ax, "Topic prevalence", ".2f", "share of tokens")


def topic_trends(table: pd.DataFrame, *, topics=None, ax=None):
    """Topic shares over time with their bootstrap intervals (``TopicModel.trends``).

    Years without documents are gaps in the lines; years with a single document have a
    hollow marker (and no interval under two-stage resampling); ``topics`` selects topic
    numbers.
    """
    _require(table, ["group", "topic", "share"], "plot.topic_trends")
    df = table if topics is None else table[table["topic"].isin(list(topics))]
    if df.empty:
        raise ParameterError(f"plot.topic_trends: none of the topics {topics} is in the table")
    ax = _new_ax(ax, (8, 4.5))
    for label, part in df.assign(_label=_topic_labels(df)).groupby("_label", sort=False):
        part = part.sort_values("group")
        line, = ax.plot(part["group"], part["share"], marker="o", label=label)
        if "n_docs" in part.columns:               # a year of one document: hollow marker
            one = part[part["n_docs"] == 1]
            ax.plot(one["group"], one["share"], ls="none", marker="o", ms=9,
                    mfc="white", mec=line.get_color(), mew=1.5)
        if {"lower", "upper"} <= set(part.columns):
            ax.fill_between(part["group"], part["lower"].astype(float),
                            part["upper"].astype(float), color=line.get_color(), alpha=0.15)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year")
    ax.set_ylabel("share of tokens")
    ax.set_title("Topic trends" + (" (hollow: a single document)" if "n_docs" in df.columns
                                   and (df["n_docs"] == 1).any() else ""))
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
