"""Plots of policy instruments: shares by group (stacked, side by side, or over years) and
the two-dimensional instrument matrix."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._base import _attach, _heatmap, _new_ax, _require

_KINDS = ("stacked", "bars", "lines")


def instrument_shares(table: pd.DataFrame, *, kind: str = "stacked", ax=None):
    """Instrument shares per group, as papers print them.

    ``table`` is what :func:`bri_text.instrument_shares` returns. ``kind``:
    ``"stacked"`` one bar per group, its instruments stacked to 100%; ``"bars"`` the
    instruments side by side per group, with the intervals as error bars when the table
    has them; ``"lines"`` one line per instrument over the groups in order (use with
    ``by="year"``), intervals as bands. ``ax.bri_data`` holds the drawn groups x codes
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
    has_ci = {"ci_low", "ci_high"} <= set(table.columns)
    lo = hi = None
    if has_ci:
        lo, hi = (table.pivot_table(index="group", columns="code", values=c, aggfunc="first",
                                    sort=False, dropna=False).reindex_like(m)
                  for c in ("ci_low", "ci_high"))
    n_docs = table.groupby("group", sort=False)["n_docs"].first() \
        if "n_docs" in table.columns else None
    labels = [f"{g} ({int(n_docs[g])} doc{'s' if n_docs[g] != 1 else ''})"
              if n_docs is not None else str(g) for g in m.index]
    colors = _colors(list(m.columns))
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
        for i, g in enumerate(m.index):
            err = None
            if has_ci:
                err = np.vstack([m.loc[g] - lo.loc[g], hi.loc[g] - m.loc[g]]).clip(min=0)
                err = np.where(np.isfinite(err), err, 0)
            ax.bar(x + (i - (len(m) - 1) / 2) * width, m.loc[g], width, yerr=err,
                   capsize=2, label=labels[i], error_kw={"lw": 0.8})
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
        ax.set_xticks(xs, [str(g) for g in m.index], rotation=45 if len(m) > 8 else 0)
        ax.set_ylabel("share of instrument clauses")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    title = "Policy instruments"
    if has_ci:
        title += " (intervals: " + str(table["interval"].iloc[0]).split(" (")[0] + ")" \
            if "interval" in table.columns else ""
    ax.set_title(title)
    return _attach(ax, m)


def _colors(codes: list) -> dict:
    """One colour per code; subtypes of one type (``S_…``, ``E_…``, ``D_…``) share a hue."""
    import matplotlib

    families = {"S": "Blues", "E": "Greens", "D": "Oranges", "supply": "Blues",
                "environment": "Greens", "demand": "Oranges"}
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
    other = matplotlib.colormaps["tab10"]
    for k, c in enumerate(c for c in codes if c not in out):
        out[c] = "#bbbbbb" if c == "none" else other(k % 10)
    return out


def instrument_matrix(matrix: pd.DataFrame, *, ax=None):
    """Heatmap of the instrument x second-dimension table of
    :func:`bri_text.instrument_matrix` (counts or shares, annotated)."""
    if not isinstance(matrix, pd.DataFrame):
        raise ParameterError(f"plot.instrument_matrix expects a DataFrame, got "
                             f"{type(matrix).__name__}")
    shares = matrix.attrs.get("normalize") is not None
    ax = _heatmap(matrix.astype(float), ax, "Instruments by target", ".2f" if shares else ".0f",
                  "share of clauses" if shares else "clauses")
    return _attach(ax, matrix)
