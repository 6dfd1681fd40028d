"""Figures of policy diffusion: adoption curves, lags, and the jurisdiction x source lags."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import MetadataError, ParameterError
from ._base import _attach, _heatmap, _new_ax, _require

_COLUMNS = ["source", "source_date", "jurisdiction", "status", "date", "lag_days"]
#: how the heatmap marks a jurisdiction that carries the source but cannot be placed
_MARKS = {"order unknown": "?", "undated": "n.d.", "earlier": "earlier"}
#: what each mark means, in the heatmap's caption
_MARK_WORDS = {"order unknown": "?: carried, order unknown (same day or a year-only date)",
               "undated": "n.d.: carried by an undated document",
               "earlier": "earlier: carried by a document dated before the source"}


def _adoptions(result, what: str) -> pd.DataFrame:
    """The adoption table of a :func:`bri_text.diffusion` result (or the table itself)."""
    table = getattr(result, "adoptions", result)
    _require(table, _COLUMNS, what)
    if table.empty:
        raise ParameterError(f"{what}: the adoption table is empty")
    return table


def adoption_curve(result, source=None, *, ax=None):
    """Cumulative share of jurisdictions that adopted each source, over time (a step line
    per source, starting at 0 on the source's date). The share's denominator is every
    jurisdiction of the source's rows (adopters, non-adopters and those whose order is
    unknown or undated); the legend says how many. ``result`` is what
    :func:`bri_text.diffusion` returned, or its ``adoptions`` table; ``source`` one source
    (or a list) to draw. Returns the Axes; the points drawn are in ``ax.bri_data``.

    >>> import bri_text as bt
    >>> from bri_text import plot
    >>> corpus = bt.load_bri_policies()       # its plans adopt no other province's plan, so
    >>> docs = corpus.docs.copy()             # here three quote a paragraph of Gansu's
    >>> quote = corpus.docs.set_index("doc_id").loc["bri23", "text"].splitlines()[18]
    >>> docs.loc[docs["doc_id"].isin(["bri18", "bri20", "bri22"]), "text"] += "。" + quote
    >>> planted = bt.Corpus(docs)
    >>> r = bt.diffusion(planted, source=["bri23"], threshold=0.005)
    >>> ax = plot.adoption_curve(r)
    >>> ax.bri_data[["date", "adopted", "share"]].values.tolist()[-1]
    [Timestamp('2016-12-01 00:00:00'), 3, 0.2727]
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    table = _pick(_adoptions(result, "plot.adoption_curve"), source, "plot.adoption_curve")
    ax = _new_ax(ax, (7.5, 4))
    end = pd.to_datetime(table.attrs.get("end"), errors="coerce")
    rows = []
    for src, g in table.groupby("source", sort=False):
        start = pd.to_datetime(g["source_date"].iloc[0], errors="coerce")
        n = len(g)
        dates = pd.to_datetime(g.loc[g["status"] == "adopted", "date"], errors="coerce")
        dates = dates.dropna().sort_values()
        if pd.isna(start):
            start = dates.min() if len(dates) else pd.NaT
        xs = [start] + list(dates)
        counts = list(range(len(xs)))
        rows += [(src, x, c, round(c / n, 4), n) for x, c in zip(xs, counts)]
        if pd.isna(start):
            continue
        line, = ax.step(xs, [c / n for c in counts], where="post", marker="o", ms=3,
                        label=f"{src} ({len(dates)} of {n})")
        if pd.notna(end) and end > xs[-1]:          # observed until the end, no adoption
            ax.plot([xs[-1], end], [counts[-1] / n] * 2, color=line.get_color(), lw=1,
                    ls=":")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("share of jurisdictions adopted")
    ax.set_xlabel("date of the first adopting document (dotted: observed, no adoption)")
    ax.set_title("Cumulative adoption")
    ax.legend(fontsize=8, title="source (adopted of jurisdictions)", title_fontsize=8)
    ax.figure.autofmt_xdate()
    data = pd.DataFrame(rows, columns=["source", "date", "adopted", "share", "jurisdictions"])
    return _attach(ax, data)


def adoption_lags(result, *, ax=None):
    """Lags from each source's date to each jurisdiction's first adopting document, in
    days: a dot per adopting jurisdiction on the source's row, a bar at their median (the
    median among the adopters: it leaves out the jurisdictions that had not adopted, so it
    is no time to adoption; ``result.sources["km_median_days"]`` is).
    Adoptions without an exact-day lag (a year-only date) are left out and counted in the
    title. ``result`` as for :func:`adoption_curve`. Returns the Axes (rows drawn in
    ``ax.bri_data``).

    >>> import bri_text as bt
    >>> from bri_text import plot
    >>> # planted: the built-in corpus with three plans quoting Gansu's (adoption_curve's example)
    >>> r = bt.diffusion(planted, source=["bri23"], threshold=0.005)
    >>> ax = plot.adoption_lags(r)
    >>> sorted(ax.bri_data["lag_days"].tolist())
    [315, 315, 358]
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    table = _adoptions(result, "plot.adoption_lags")
    adopted = table[table["status"] == "adopted"]
    data = adopted[adopted["lag_days"].notna()][["source", "jurisdiction", "lag_days"]]
    if data.empty:
        raise ParameterError("plot.adoption_lags: no adoption has a lag in days to draw")
    sources = list(dict.fromkeys(data["source"]))
    ax = _new_ax(ax, (7.5, 1.2 + 0.5 * len(sources)))
    rng = np.random.default_rng(0)
    for i, src in enumerate(sources):
        lags = data.loc[data["source"] == src, "lag_days"].astype(float).to_numpy()
        ax.scatter(lags, i + rng.uniform(-0.15, 0.15, len(lags)), s=18, alpha=0.7,
                   color="#2c7fb8")
        ax.plot([np.median(lags)] * 2, [i - 0.3, i + 0.3], color="#c0392b", lw=2)
    ax.set_xlim(left=0)
    ax.set_yticks(range(len(sources)), sources)
    ax.set_ylim(len(sources) - 0.5, -0.5)
    ax.set_xlabel("days from the source to the first adopting document (red: median among adopters)")
    missing = len(adopted) - len(data)
    ax.set_title(f"Adoption lags, {len(data)} adoptions"
                 + (f" ({missing} without an exact date not shown)" if missing else ""))
    data = data.assign(lag_days=data["lag_days"].astype("int64"))
    return _attach(ax, data.reset_index(drop=True))


def adoption_heatmap(result, *, ax=None):
    """Jurisdictions (rows) x sources (columns), each cell the lag in days of the
    jurisdiction's first adopting document; blank where it did not adopt, ``?`` where the
    order is unknown (same day or a year-only date), ``n.d.`` undated, ``earlier`` where it
    carries the source in a document dated before it; the caption explains each mark
    shown. Rows are ordered by their first adoption. ``result`` as for
    :func:`adoption_curve`. Returns the Axes (the matrix in ``ax.bri_data``).

    >>> import bri_text as bt
    >>> from bri_text import plot
    >>> # planted: the built-in corpus with three plans quoting Gansu's (adoption_curve's example)
    >>> r = bt.diffusion(planted, source=["bri23", "bri24"], threshold=0.005)
    >>> ax = plot.adoption_heatmap(r)
    >>> ax.bri_data.loc[["福建", "江西"]].values.tolist()    # 江西: "earlier" for bri24
    [[358.0, nan], [nan, nan]]
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    table = _adoptions(result, "plot.adoption_heatmap")
    lag = table["lag_days"].astype("Float64").where(table["status"] == "adopted")
    matrix = table.assign(lag=lag.astype(float)).pivot_table(
        index="jurisdiction", columns="source", values="lag", aggfunc="first", dropna=False)
    status = table.pivot_table(index="jurisdiction", columns="source", values="status",
                               aggfunc="first", dropna=False)
    order = matrix.min(axis=1).sort_values(kind="stable", na_position="last").index
    matrix, status = matrix.loc[order], status.reindex(index=order, columns=matrix.columns)
    ax = _heatmap(matrix, ax, "Adoption lag (days)", ".0f", "days to first adoption")
    if np.isfinite(matrix.to_numpy(dtype=float)).any():  # colours from 0 days (the text
        ax.images[0].set_clim(0, np.nanmax(matrix.to_numpy(dtype=float)))  # colour agrees)
    shown = set()
    for (i, j), s in np.ndenumerate(status.to_numpy(dtype=object)):
        if s in _MARKS:
            ax.text(j, i, _MARKS[s], ha="center", va="center", fontsize=8, color="#444444")
            shown.add(s)
    marks = [_MARK_WORDS[s] for s in _MARKS if s in shown]   # the caption explains each mark
    ax.set_xlabel("source (blank: not adopted" + "".join(f";\n{m}" for m in marks) + ")")
    return _attach(ax, matrix)


def _pick(table: pd.DataFrame, source, what: str) -> pd.DataFrame:
    if source is None:
        return table
    wanted = [source] if isinstance(source, str) else list(source)
    unknown = [s for s in wanted if s not in set(table["source"])]
    if unknown:
        raise MetadataError(f"{what}: source {unknown} not in the table; sources: "
                            f"{list(dict.fromkeys(table['source']))[:10]}")
    return table[table["source"].isin(wanted)]
