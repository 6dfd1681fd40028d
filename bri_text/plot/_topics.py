"""Figures of the topic stage: prevalence by group, trends by year, covariate effects,
choosing K."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._util import check_scalar, renamed_parameters
from ..errors import MetadataError, ParameterError
from ._base import (_attach, _band, _band_note, _heatmap, _new_ax, _require, font_family,
                    zero_note)
from ._compare import _mark_single


def _topic_labels(df: pd.DataFrame) -> pd.Series:
    if "label" in df.columns:
        return df["topic"].astype(str) + " " + df["label"].astype(str)
    return "topic " + df["topic"].astype(str)


def _ci_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The table with interval columns named ``ci_low``/``ci_high`` (tables written before
    0.2.0 called them ``lower``/``upper``)."""
    if not {"ci_low", "ci_high"} <= set(table.columns) and {"lower", "upper"} <= set(
            table.columns):
        return table.rename(columns={"lower": "ci_low", "upper": "ci_high"})
    return table


def topic_prevalence(table: pd.DataFrame, *, ax=None):
    """Heatmap of topic shares per group (what ``TopicModel.prevalence`` returns), with
    the interval under each share when the table has ``ci_low``/``ci_high``; groups with a
    single document are labelled "(1 doc)". ``ax.bri_data`` holds the drawn matrix (topics × groups).

    >>> from bri_text import plot
    >>> ax = plot.topic_prevalence(model.prevalence(by="region", n_boot=0))
    >>> ax.bri_data.columns.tolist()
    ['广西 (1 doc)', '河南', '甘肃 (1 doc)']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _require(table, ["group", "topic", "share"], "plot.topic_prevalence")
    table = _ci_columns(table)
    df = table.assign(topic_label=_topic_labels(table))
    m = df.pivot_table(index="topic_label", columns="group", values="share", aggfunc="first",
                       sort=False)
    low = high = None
    if {"ci_low", "ci_high"} <= set(df.columns) and df["ci_low"].notna().any():
        low, high = (df.pivot_table(index="topic_label", columns="group", values=c,
                                    aggfunc="first", sort=False, dropna=False).reindex_like(m)
                     for c in ("ci_low", "ci_high"))
    m, low, high = (_mark_single(x, table, axis="columns") for x in (m, low, high))
    ax = _heatmap(m, ax, "Topic prevalence", ".2f", "share of tokens", low=low, high=high,
                  zero_note=zero_note(table))
    return _attach(ax, m)


_MAX_YEAR_LABELS = 12   # more years than this: ticks without counts, counts in the axis label


def _docs_per_year(n_docs: pd.Series) -> str:
    """The documents per year in words, for an axis of too many years to label each.

    >>> _docs_per_year(pd.Series([1, 1, 0, 2, 0], index=[1954, 1955, 1956, 1957, 1958]))
    '1–2 documents a year; 2 years without any are gaps'
    """
    some = n_docs[n_docs > 0]
    lo, hi = int(some.min()), int(some.max())
    text = (f"{lo} document{'s' if lo != 1 else ''} a year" if lo == hi else
            f"{lo}–{hi} documents a year")
    empty = int((n_docs == 0).sum())
    if empty:
        text += f"; {empty} year{'s' if empty != 1 else ''} without any {'are' if empty != 1 else 'is a'} gap{'s' if empty != 1 else ''}"
    return text


def topic_trends(table: pd.DataFrame, *, topics=None, ax=None):
    """Topic shares over time with their intervals (``TopicModel.trends``).

    The title says what the band is, as the table's ``interval`` column does: a bootstrap
    interval between documents, and the years of 3 documents where it is a t interval over
    them (e.g. "band: bootstrap interval; 2020, 2022: t interval over 3 documents").

    Years without documents are gaps in the lines and grey bands, also for a table of
    ``prevalence(by="year")`` that has no rows for them (the years between the first and
    the last are filled). A point without an interval (a single document under two-stage
    resampling, ``n_boot=0``) is drawn with a hollow marker and no band, and the title and
    legend say so; a within-document interval (``resample="unit"``) is drawn and named as
    such. With an ``n_docs`` column the year labels give the number of
    documents (past 12 years, the axis label gives their range and the years without any). ``topics`` selects topic numbers. ``ax.bri_data`` holds the rows drawn.

    >>> from bri_text import plot
    >>> ax = plot.topic_trends(model.trends(n_boot=0), topics=[1])   # the ASEAN topic
    >>> ax.bri_data[["group", "share"]].round(2).values.tolist()
    [[2015.0, 0.31], [2016.0, 0.35], [2017.0, 0.06]]
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    from .._grouping import DECADE, _time_grid
    from ._trends import _runs

    _require(table, ["group", "topic", "share"], "plot.topic_trends")
    table = _ci_columns(table)
    df = table if topics is None else table[table["topic"].isin(list(topics))]
    if df.empty:
        raise ParameterError(f"plot.topic_trends: none of the topics {topics} is in the table")
    ax = _new_ax(ax, (8.5, 4.5))
    has_ci = {"ci_low", "ci_high"} <= set(df.columns)
    years = sorted(pd.unique(df["group"]))
    numeric = all(isinstance(y, (int, float, np.integer)) and not isinstance(y, bool)
                  and float(y).is_integer() for y in years)
    grid, gaps = None, []
    decades = table.attrs.get("freq") == DECADE          # model.trends(by="decade")
    step = 10 if decades else 1
    if numeric and years:
        grid = [int(y) for y in (_time_grid(years, DECADE if decades else None,
                                            "plot.topic_trends") or years)]
        with_docs = set(int(y) for y in (df.loc[df["n_docs"] > 0, "group"]
                                         if "n_docs" in df.columns else years))
        gaps = [y for y in grid if y not in with_docs]
        for a, b in _runs(gaps, step):
            ax.axvspan(a - step / 2, b + step / 2, color="0.9", zorder=0, lw=0,
                       gid="no document")
    open_any = single_open = False
    for label, part in df.assign(_label=_topic_labels(df)).groupby("_label", sort=False):
        part = part.sort_values("group")
        if grid is not None:          # missing years are NaN: the line breaks there
            part = (part.assign(group=part["group"].astype(int)).set_index("group")
                    .reindex(grid).rename_axis("group").reset_index())
            part.loc[part["group"].isin(gaps), "share"] = np.nan
        line, = ax.plot(part["group"], part["share"], marker="o", label=label)
        one_doc = (part["n_docs"] == 1) if "n_docs" in part.columns else \
            pd.Series(False, index=part.index)
        if has_ci:
            lo, hi = part["ci_low"].astype(float), part["ci_high"].astype(float)
            _band(ax, part["group"], lo, hi, line.get_color(), 0.15)
            hollow = lo.isna() | hi.isna()
        else:
            hollow = one_doc.copy()
        no_ci = part[hollow & part["share"].notna()]
        if len(no_ci):
            open_any = True
            single_open |= bool(one_doc[no_ci.index].any())
            ax.plot(no_ci["group"], no_ci["share"], ls="none", marker="o", ms=8,
                    color=line.get_color(), mfc="white", mec=line.get_color(), mew=1.5,
                    zorder=3)
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, MaxNLocator

    xlabel = "decade" if decades else "year"
    if "n_docs" in df.columns and numeric and len(years) <= _MAX_YEAR_LABELS:
        nd = df.groupby("group")["n_docs"].first()
        ax.xaxis.set_major_locator(FixedLocator(years))
        ax.set_xticklabels([f"{int(y)}\n({int(nd[y])} doc{'s' if nd[y] != 1 else ''})"
                            for y in years], fontsize=8)
    else:                    # too many years to label each with its documents
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=_MAX_YEAR_LABELS))
        if "n_docs" in df.columns and numeric:
            per_year = df.groupby("group")["n_docs"].first()
            per_year.index = per_year.index.astype(int)
            xlabel = f"year ({_docs_per_year(per_year.reindex(grid, fill_value=0))})"
    ax.set_xlabel(xlabel)
    ax.set_ylabel("share of tokens")
    drawn_ci = has_ci and df["ci_low"].notna().any()
    hollow_note = ("hollow: a single document or no interval" if single_open
                   else "hollow: no interval")
    notes = ([_band_note(df)] if drawn_ci else []) + ([hollow_note] if open_any else []) + \
        (["grey: no document"] if gaps else [])
    ax.set_title("Topic trends" + (f" ({'; '.join(notes)})" if notes else ""))
    handles, _ = ax.get_legend_handles_labels()
    if open_any:
        handles.append(Line2D([], [], ls="none", marker="o", ms=8, mfc="white", mec="black",
                              label=("hollow: one document,\nno interval" if single_open
                                     else "hollow: no interval")))
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _attach(ax, df.reset_index(drop=True))


#: Panel titles of plot.select_k: what a high value means (audit s36, finding 7).
_SELECT_K_TITLES = {
    "term_overlap": "term_overlap\n(top terms shared by split halves)",
    "resample_stability": "resample_stability\n(1 - JS of split halves' topics)",
    "stability": "stability across seeds\n(same documents: high by construction)",
    "heldout_loglik": "heldout_loglik\n(per token, held-out halves)",
}


#: The chance-line column of each select_k measure (as in topics.choose_k).
_SELECT_K_CHANCE = {"term_overlap": "term_overlap_chance",
                    "resample_stability": "resample_chance",
                    "stability": "stability_chance"}


@renamed_parameters("0.4.0", metrics="measures")
def select_k(table: pd.DataFrame, *, measures=None, ncols: int = 3):
    """One panel per metric (mean ± sd across seeds) against K (what ``select_k`` returns),
    in a grid of at most ``ncols`` panels per row; where the table has a metric's chance
    line (``term_overlap_chance``, ``resample_chance``, ``stability_chance``: the same
    measure on shuffled text) it is drawn dashed with its ± sd band, so the margin
    ``choose_k`` reads is visible. Cross-seed ``stability`` is titled for what it is: the
    same documents fitted from the same start agree by construction, so a high value is
    no evidence for a K. Returns the Figure; ``fig.bri_data`` holds the table drawn.

    >>> import pandas as pd
    >>> grid = pd.DataFrame({"k": [5, 10, 15], "term_overlap_mean": [0.10, 0.16, 0.17],
    ...                      "term_overlap_sd": [0.02, 0.02, 0.02],
    ...                      "term_overlap_chance": [0.11, 0.10, 0.09],
    ...                      "term_overlap_chance_sd": [0.01, 0.01, 0.01]})
    >>> fig = select_k(grid)                         # one metric: one panel
    >>> len(fig.axes), fig.bri_data["k"].tolist()
    (1, [5, 10, 15])
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    _require(table, ["k"], "plot.select_k")
    if measures is None:
        measures = [c[:-5] for c in table.columns if c.endswith("_mean")]
    if not measures:
        raise MetadataError("plot.select_k: no '<metric>_mean' columns in the table")
    check_scalar(ncols, "ncols", min_val=1)
    import matplotlib.pyplot as plt

    font_family()
    nc = min(ncols, len(measures))
    nr = -(-len(measures) // nc)
    fig, axes = plt.subplots(nr, nc, figsize=(3.4 * nc, 2.9 * nr), layout="constrained",
                             squeeze=False)
    flat = axes.ravel()
    for ax, metric in zip(flat, measures):
        sd = table.get(f"{metric}_sd")
        ax.errorbar(table["k"], table[f"{metric}_mean"], yerr=sd, marker="o", capsize=3,
                    label="mean ± sd")
        chance = _SELECT_K_CHANCE.get(metric)
        if chance in table.columns and table[chance].notna().any():
            line = table[chance].astype(float)
            band = table.get(f"{chance}_sd", pd.Series(0.0, index=table.index)).fillna(0)
            ax.plot(table["k"], line, ls="--", color="0.4", label="chance ± sd (shuffled text)")
            ax.fill_between(table["k"], line - band, line + band, color="0.4", alpha=0.15)
            ax.legend(fontsize="x-small", loc="best")
        ax.set_xlabel("K (number of topics)")
        ax.set_title(_SELECT_K_TITLES.get(metric, metric), fontsize="medium")
    for ax in flat[len(measures):]:
        ax.set_visible(False)
    fig.suptitle("Choosing K (mean ± sd across seeds; dashed: chance)")
    return _attach(fig, table.reset_index(drop=True))


def _effects_table(source, covariate: str, topics, values, points: bool):
    """(table, numeric, held, points): the predictions to draw and how to draw them."""
    if hasattr(source, "predict") and hasattr(source, "data"):
        if covariate not in source.variables:
            raise ParameterError(f"plot.effects: covariate {covariate!r} is not in the "
                                 f"formula {source.formula!r} (covariates: {source.variables})")
        obs = source.data[covariate]
        numeric = pd.api.types.is_numeric_dtype(obs) and not pd.api.types.is_bool_dtype(obs)
        if values is None:
            values = (np.linspace(float(obs.min()), float(obs.max()), 100) if numeric
                      else sorted(obs.dropna().unique(), key=str))
        table = source.predict(topics=topics, **{covariate: list(values)})
        return table, numeric, table.attrs.get("held", {}), points
    _require(source, [covariate, "topic", "prevalence"], "plot.effects")
    table = source if topics is None else source[source["topic"].isin(list(topics))]
    numeric = pd.api.types.is_numeric_dtype(table[covariate])
    return table, numeric, table.attrs.get("held", {}), False


def _draw_line(ax, part: pd.DataFrame, covariate: str, label: str, has_ci: bool) -> str:
    """One topic's predictions over a numeric covariate as a line with its band; its colour."""
    part = part.sort_values(covariate)
    line, = ax.plot(part[covariate], part["prevalence"], label=label)
    if has_ci:
        ax.fill_between(part[covariate], part["ci_low"].astype(float),
                        part["ci_high"].astype(float), color=line.get_color(), alpha=0.2)
    return line.get_color()


def _draw_points(ax, part: pd.DataFrame, covariate: str, label: str, has_ci: bool,
                 cats: list, j: int, n_parts: int) -> str:
    """One topic's predictions per level as points with error bars, dodged; their colour."""
    x = np.array([cats.index(v) for v in part[covariate]], float)
    x += (j - (n_parts - 1) / 2) * 0.8 / max(n_parts, 1)
    err = None
    if has_ci:
        err = np.vstack([part["prevalence"] - part["ci_low"],
                         part["ci_high"] - part["prevalence"]]).clip(min=0)
    cont = ax.errorbar(x, part["prevalence"], yerr=err, fmt="o", capsize=3, label=label)
    return cont[0].get_color()


def _value_gaps(values) -> list[int]:
    """Whole numbers inside the observed range that no document has, when the observed
    values are whole numbers covering at least half of it (years): where a fitted curve
    only interpolates (1965-1974 in the work reports).

    >>> _value_gaps([1960, 1961, 1964, 1965])
    [1962, 1963]
    """
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if v.empty or not np.all(np.mod(v, 1) == 0):
        return []
    seen = set(v.astype(np.int64).tolist())
    lo, hi = min(seen), max(seen)
    if hi - lo + 1 > 2 * len(seen):
        return []
    return [x for x in range(lo, hi + 1) if x not in seen]


def _effects_title(covariate: str, table: pd.DataFrame, has_ci: bool, held: dict,
                   gaps: bool = False) -> str:
    """The title: the covariate, the interval level and the values others are held at."""
    notes = []
    if has_ci:
        ci = table.attrs.get("ci", 0.95)
        notes.append(f"{ci:.0%} interval")
    if held:
        notes.append("others at " + ", ".join(f"{k}={v:g}" if isinstance(v, float) else
                                               f"{k}={v}" for k, v in held.items()))
    if gaps:
        notes.append("grey: no document, the curve interpolates")
    return "Topic prevalence by " + covariate + (f" ({'; '.join(notes)})" if notes else "")


def _labels_crowd(ax, labels: list[str]) -> bool:
    """Whether ``labels`` under the categories of ``ax`` would run into each other if
    written level: the widest label (a CJK character 1 em, other characters 0.6) against the width
    each category has (audit44b: the 13 premiers of the work reports, 3 characters each,
    overlapped on a 7.5-inch figure).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(7.5, 4.2))
    >>> _labels_crowd(ax, ["广西", "河南", "甘肃"]), _labels_crowd(ax, ["周恩来"] * 13)
    (False, True)
    >>> plt.close(fig)
    """
    if not labels:
        return False
    size = float(ax.xaxis.get_ticklabels()[0].get_fontsize()) if ax.xaxis.get_ticklabels() \
        else 10.0
    em = max(sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in str(t)) for t in labels)
    width = ax.get_position().width * ax.figure.get_size_inches()[0] * 72   # points
    return bool(em * size > 0.9 * width / len(labels))


def effects(effects, covariate: str, *, topics=None, values=None, points: bool = True,
            ax=None):
    """Predicted topic prevalence against one covariate with its interval band (what
    ``TopicModel.effects`` estimates; R's ``plot.estimateEffect``).

    ``effects``: the :class:`bri_text.topics.TopicEffects` (predicted here over
    ``values``, default 100 points across the observed range of a numeric covariate or
    every level of a categorical one; other covariates held at their median or most common
    value, said in the title), or a table from ``TopicEffects.predict``. A numeric
    covariate is drawn as a line with a band, a categorical one as points with error bars.
    With ``points`` the documents' own shares are drawn as dots. ``topics`` selects topic
    numbers. ``ax.bri_data`` holds the predictions drawn. Along a covariate of whole
    numbers such as the year, the values no document has (the work reports' 1965-1974)
    are shaded grey: the curve there is the model's interpolation, not data.

    >>> eff = model.effects("~ region", n_boot=100, random_state=0)
    >>> ax = bt.plot.effects(eff, "region", topics=[1])
    >>> ax.bri_data["region"].tolist()
    ['广西', '河南', '甘肃']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    source = effects
    table, numeric, held, points = _effects_table(source, covariate, topics, values, points)
    if table.empty:
        raise ParameterError(f"plot.effects: none of the topics {topics} is in the table")
    table = _ci_columns(table)
    ax = _new_ax(ax, (7.5, 4.2))
    has_ci = {"ci_low", "ci_high"} <= set(table.columns) and table["ci_low"].notna().any()
    parts = list(table.assign(_label=_topic_labels(table)).groupby("_label", sort=False))
    cats = None if numeric else list(pd.unique(table[covariate]))
    gaps = _value_gaps(source.data[covariate]) if numeric and hasattr(source, "data") else []
    if gaps:
        from ._trends import _runs

        for a, b in _runs(gaps):
            ax.axvspan(a - 0.5, b + 0.5, color="0.9", zorder=0, lw=0, gid="no document")
    for j, (label, part) in enumerate(parts):
        color = (_draw_line(ax, part, covariate, label, has_ci) if numeric else
                 _draw_points(ax, part, covariate, label, has_ci, cats, j, len(parts)))
        if points:
            k = int(part["topic"].iloc[0])
            d = source.data
            xs = d[covariate] if numeric else d[covariate].map(
                {v: i for i, v in enumerate(cats)})
            ax.plot(xs, d[f"topic_{k}"], ls="none", marker=".", ms=4, alpha=0.5,
                    color=color)
    if not numeric:
        labels = [str(c) for c in cats]
        turn = _labels_crowd(ax, labels)
        ax.set_xticks(range(len(cats)))
        ax.set_xticklabels(labels, rotation=45 if turn else 0, ha="right" if turn else "center",
                           rotation_mode="anchor" if turn else "default")
    ax.set_xlabel(covariate)
    ax.set_ylabel("expected topic share")
    ax.set_title(_effects_title(covariate, table, has_ci, held, bool(gaps)), fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _attach(ax, table.reset_index(drop=True))
