"""Plots of policy instruments: shares by group (stacked, side by side, or over years) and
the two-dimensional instrument matrix."""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._base import _attach, _heatmap, _new_ax, _require

_KINDS = ("stacked", "bars", "lines")


def instrument_shares(table: pd.DataFrame, *, kind: str = "stacked", ax=None):
    """Instrument shares per group, as papers print them.

    ``table`` is what :func:`bri_text.instrument_shares` returns. ``kind``:
    ``"stacked"`` one bar per group, its instruments stacked to 100% (intervals are not
    drawn; the title says so); ``"bars"`` the instruments side by side per group, with the
    intervals as error bars where the table has them; ``"lines"`` one line per instrument
    over the groups in order (use with ``by="year"``), intervals as bands. The title says
    which kind of interval is drawn, and a group with none (one or two documents, see the
    table's ``interval`` column) is marked ``no interval`` in its label; no error bar is
    drawn where there is no interval. Up to 20 groups or codes get distinct colours; past
    that the title says colours repeat; the codes come in the table's order (the
    codebook's), the no-instrument code grey, and a figure made here is tall enough for
    its legend (a plain ``savefig`` keeps every entry). A group's label counts its
    documents, ``6 of 10 docs`` when 4 of them have no instrument clause (the table's
    ``attrs["docs_without_instruments"]``). ``ax.bri_data`` holds the drawn groups x codes
    shares.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"group": ["广西", "广西", "甘肃", "甘肃"],
    ...                   "code": ["supply", "demand"] * 2, "share": [0.4, 0.6, 0.7, 0.3]})
    >>> ax = instrument_shares(t)
    >>> float(ax.bri_data.loc["甘肃", "supply"])
    0.7
    """
    _require(table, ["group", "code", "share"], "plot.instrument_shares")
    if kind not in _KINDS:
        raise ParameterError(f"kind must be one of {_KINDS}, got {kind!r}")
    m = table.pivot_table(index="group", columns="code", values="share", aggfunc="first",
                          sort=False).fillna(0.0)
    # the codes in the table's order (the codebook's), not sorted by their characters
    m = m[[c for c in dict.fromkeys(table["code"]) if c in m.columns]]
    own_figure = ax is None
    has_ci = {"ci_low", "ci_high"} <= set(table.columns)
    lo = hi = None
    if has_ci:
        lo, hi = (table.pivot_table(index="group", columns="code", values=c, aggfunc="first",
                                    sort=False, dropna=False).reindex_like(m)
                  for c in ("ci_low", "ci_high"))
    no_iv = _without_interval(table, m.index) if has_ci else {}
    n_docs = table.groupby("group", sort=False)["n_docs"].first() \
        if "n_docs" in table.columns else None
    # documents whose provisions are all no-instrument add nothing to the shares:
    # "6 of 10 docs" says the group has 10 documents, 6 of them with an instrument clause
    without = table.attrs.get("docs_without_instruments") or {}
    labels = []
    for g in m.index:
        k = len(without.get(g, ()))
        notes = [(f"{int(n_docs[g])} of {int(n_docs[g]) + k} docs" if k else
                  f"{int(n_docs[g])} doc{'s' if n_docs[g] != 1 else ''}")] \
            if n_docs is not None else []
        if g in no_iv and kind != "stacked":
            notes.append("no interval")
        labels.append(f"{g} ({', '.join(notes)})" if notes else str(g))
    colors = _colors(list(m.columns), table.attrs.get("none_codes", ("none",)))
    repeat = []
    if kind == "stacked":
        ax = _new_ax(ax, (7.5, 0.9 + 0.45 * len(m)))
        left = np.zeros(len(m))
        for code in m.columns:
            ax.barh(range(len(m)), m[code], left=left, color=colors[code], label=str(code),
                    edgecolor="white", lw=0.5)
            for i, (x, w) in enumerate(zip(left, m[code])):
                if w >= 0.06:
                    ax.text(x + w / 2, i, f"{w:.0%}", ha="center", va="center", fontsize=7)
            left = left + m[code].to_numpy()
        ax.set_yticks(range(len(m)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of instrument clauses")
    elif kind == "bars":
        ax = _new_ax(ax, (1.5 + 0.35 * m.size, 4.2))
        width = 0.8 / max(len(m), 1)
        x = np.arange(len(m.columns))
        palette = _palette(len(m))
        if len(m) > len(set(palette)):
            repeat.append("groups")
        for i, g in enumerate(m.index):
            xs = x + (i - (len(m) - 1) / 2) * width
            ax.bar(xs, m.loc[g], width, label=labels[i], color=palette[i])
            if has_ci:
                low, high = lo.loc[g].to_numpy(float), hi.loc[g].to_numpy(float)
                ok = np.isfinite(low) & np.isfinite(high)    # no cap where no interval
                if ok.any():
                    y = m.loc[g].to_numpy(float)[ok]
                    err = np.vstack([y - low[ok], high[ok] - y]).clip(min=0)
                    ax.errorbar(xs[ok], y, yerr=err, fmt="none", ecolor="black",
                                capsize=2, lw=0.8)
        ax.set_xticks(x, [str(c) for c in m.columns], rotation=45, ha="right")
        ax.set_ylabel("share of instrument clauses")
    else:
        ax = _new_ax(ax, (7.5, 4.2))
        xs = np.arange(len(m))
        for code in m.columns:
            ax.plot(xs, m[code], marker="o", ms=3, color=colors[code], label=str(code))
            if has_ci:
                ok = np.isfinite(lo[code].to_numpy(dtype=float))
                ax.fill_between(xs[ok], lo[code][ok], hi[code][ok], color=colors[code],
                                alpha=0.15, lw=0)
        ax.set_xticks(xs, labels, rotation=45 if len(m) > 4 else 0,
                      ha="right" if len(m) > 4 else "center")
        ax.set_ylabel("share of instrument clauses")
    if len(set(map(_hashable, colors.values()))) < len(colors):
        repeat.append("codes")
    legend = ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1),
                       frameon=False)
    notes = [_interval_note(table, no_iv, kind)] if has_ci else []
    if repeat:
        notes.append(f"colours repeat among the {' and '.join(repeat)} (over 20)")
    # long notes wrapped so that the title stays inside the figure's width
    lines = [ln for n in notes if n for ln in textwrap.wrap(n, _TITLE_WIDTH)]
    ax.set_title("\n".join(["Policy instruments", *lines]), fontsize=10)
    if own_figure:
        _fit_legend(ax.figure, len(legend.get_texts()), len(lines))
    return _attach(ax, m)


#: characters of a title line (fontsize 10 in a 7.5-inch figure)
_TITLE_WIDTH = 95


def _fit_legend(fig, n_entries: int, n_notes: int) -> None:
    """Make the figure tall enough for a legend of ``n_entries`` beside the axes (7-point
    entries, about 0.15 inch each) and the title's note lines, so that a plain
    ``savefig`` keeps every entry (17 codes in a 2.25-inch figure lost half of them)."""
    width, height = fig.get_size_inches()
    needed = 0.6 + 0.155 * n_entries + 0.18 * n_notes
    if needed > height:
        fig.set_size_inches(width, needed)


def _hashable(color):
    return tuple(color) if not isinstance(color, str) else color


def _without_interval(table: pd.DataFrame, groups) -> dict:
    """{group: why it has no interval} for the groups whose intervals are all NaN (the
    reason: the table's ``interval`` label, e.g. ``one document``)."""
    out = {}
    for g, rows in table.groupby("group", sort=False):
        if rows[["ci_low", "ci_high"]].notna().all(axis=1).any():
            continue
        why = str(rows["interval"].iloc[0]).split(" (")[0] if "interval" in rows else ""
        out[g] = why.removeprefix("none: ") or "no interval"
    return {g: out[g] for g in groups if g in out}


def _interval_note(table: pd.DataFrame, no_iv: dict, kind: str) -> str:
    """What the intervals are (per the ``interval`` labels of the groups that have one)
    and which groups have none and why."""
    level = table.attrs.get("ci")
    pct = f"{level:.0%} " if isinstance(level, float) else ""
    with_iv = table[~table["group"].isin(list(no_iv))]
    kinds = sorted({str(v).split(" (")[0] for v in with_iv.get("interval", pd.Series())
                    if isinstance(v, str)})
    if kind == "stacked":
        head = "intervals not drawn (kind='bars' or 'lines' draws them)" if kinds else ""
    elif kinds:
        head = f"{pct}intervals: {', '.join(kinds)}"
    else:
        head = ""
    if not no_iv:
        return head
    why: dict = {}
    for g, reason in no_iv.items():
        why.setdefault(reason, []).append(str(g))
    parts = []
    for reason, gs in why.items():
        names = ", ".join(gs[:8]) + (f" +{len(gs) - 8} more" if len(gs) > 8 else "")
        parts.append(f"{names} ({reason})")
    return (head + "; no interval: " if head else "no interval: ") + "; ".join(parts)


def _palette(n: int) -> list:
    """``n`` colours: distinct up to 20 (tab10, then tab20), repeating after that."""
    import matplotlib

    cmap = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(k % cmap.N) for k in range(n)]


def _colors(codes: list, none=("none",)) -> dict:
    """One colour per code; subtypes of one type (``S_…``, ``E_…``, ``D_…``) share a hue;
    other codes get distinct colours (up to 20), the no-instrument codes (``none``, or
    the codebook's, e.g. 无) grey."""
    families = {"S": "Blues", "E": "Greens", "D": "Oranges", "supply": "Blues",
                "environment": "Greens", "demand": "Oranges"}
    import matplotlib

    out, seen = {}, {}
    for c in codes:
        fam = families.get(str(c).split("_")[0]) if "_" in str(c) else families.get(str(c))
        if fam is None:
            continue
        seen.setdefault(fam, []).append(c)
    for fam, members in seen.items():
        cmap = matplotlib.colormaps[fam]
        for k, c in enumerate(members):
            out[c] = cmap(0.75 if len(members) == 1 else 0.35 + 0.55 * k / (len(members) - 1))
    rest = [c for c in codes if c not in out and c not in none]
    out.update(zip(rest, _palette(len(rest))))
    out.update({c: "#bbbbbb" for c in codes if c in none})
    return out


def instrument_matrix(matrix: pd.DataFrame, *, ax=None):
    """Heatmap of the instrument x second-dimension table of
    :func:`bri_text.instrument_matrix` (counts or shares, annotated).

    >>> import pandas as pd, bri_text as bt
    >>> from bri_text import plot
    >>> coded = pd.DataFrame({"type": ["supply", "supply", "demand"],
    ...                       "target": ["设施联通", "设施联通|贸易畅通", "贸易畅通"]})
    >>> ax = plot.instrument_matrix(bt.instrument_matrix(coded))
    >>> [t.get_text() for t in ax.texts]             # demand row, then supply
    ['0', '1', '2', '1']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    if not isinstance(matrix, pd.DataFrame):
        raise ParameterError(f"plot.instrument_matrix expects a DataFrame, got "
                             f"{type(matrix).__name__}")
    shares = matrix.attrs.get("normalize") is not None
    title = f"Instruments by {matrix.columns.name or 'target'}"   # the second dimension
    ax = _heatmap(matrix.astype(float), ax, title, ".2f" if shares else ".0f",
                  "share of clauses" if shares else "clauses")
    return _attach(ax, matrix)
