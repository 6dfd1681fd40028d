"""Figure of the reuse stage: where in two documents their shared passages sit."""
from __future__ import annotations

import pandas as pd

from ..errors import MetadataError, ParameterError
from ._base import _attach, _new_ax, _require


def _label(meta: pd.DataFrame, doc_id: str) -> str:
    row = meta.loc[meta["doc_id"] == doc_id]
    if row.empty:
        return doc_id
    r = row.iloc[0]
    bits = [doc_id]
    for col in ("city", "region"):
        v = r.get(col)
        if isinstance(v, str) and v:
            bits.append(v)
            break
    if isinstance(r.get("date"), str) and r.get("date"):
        bits.append(r["date"][:7])
    return " ".join(bits)


def text_reuse(table: pd.DataFrame, corpus, *, pair=None, ax=None):
    """Two horizontal bars, one per document (its whole length in characters, light grey),
    with each shared passage drawn on both and joined by a band, coloured by its ``kind``:
    red copy, orange template (same frame, other figures), blue citation (a title both
    cite in 《》), grey widespread (text common to many documents), dark grey formulaic.

    ``table`` is what :func:`bri_text.text_reuse` returned, ``corpus`` the Corpus it was
    made from (for document lengths and labels); ``pair=(doc_a, doc_b)`` chooses the pair
    (in either order) when the table holds several (default: the pair sharing most
    characters outside formulaic and widespread passages, when any pair shares such text;
    else the pair sharing most characters). Returns the
    Axes; the rows drawn are in ``ax.bri_data`` (and ``ax.figure.bri_data``).

    >>> import bri_text as bt
    >>> from bri_text import plot
    >>> corpus = bt.load_bri_policies()
    >>> ax = plot.text_reuse(bt.text_reuse(corpus.subset(region="陕西"), min_chars=20), corpus)
    >>> len(ax.bri_data)
    4
    """
    from matplotlib.patches import Polygon, Rectangle

    _require(table, ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "chars",
                     "formulaic"], "plot.text_reuse")
    if table.empty:
        raise ParameterError("plot.text_reuse: the table has no passages to draw")
    if pair is None:
        # the pair sharing most characters of its own: stock phrasing (formulaic) and text
        # most documents share (widespread) count only when no pair shares anything else
        stock = table["formulaic"].astype(bool)
        if "kind" in table.columns:
            stock |= table["kind"].isin(["formulaic", "widespread"])
        chosen = table[~stock] if (~stock).any() else table
        pair = tuple(chosen.groupby(["doc_a", "doc_b"])["chars"].sum().sort_values(
            ascending=False, kind="stable").index[0])
    a, b = pair
    rows = table[(table["doc_a"] == a) & (table["doc_b"] == b)]
    if rows.empty and not table[(table["doc_a"] == b) & (table["doc_b"] == a)].empty:
        a, b = b, a                                   # the pair in the table's order
        rows = table[(table["doc_a"] == a) & (table["doc_b"] == b)]
    if rows.empty:
        raise MetadataError(f"plot.text_reuse: no passages for pair={pair!r}")
    meta = corpus.docs
    lengths = dict(zip(meta["doc_id"], meta["text"].str.len()))
    if a not in lengths or b not in lengths:
        raise MetadataError(f"plot.text_reuse: {pair!r} not in corpus; pass the corpus the "
                            "table was made from")
    ax = _new_ax(ax, (9, 2.8))
    la, lb = lengths[a], lengths[b]
    ya, yb, h = 1.0, 0.0, 0.25
    ax.add_patch(Rectangle((0, ya - h / 2), la, h, facecolor="#f0f0f0", edgecolor="#bbbbbb",
                           lw=0.5))
    ax.add_patch(Rectangle((0, yb - h / 2), lb, h, facecolor="#f0f0f0", edgecolor="#bbbbbb",
                           lw=0.5))
    colors = {"copy": "#c0392b", "template": "#e67e22", "citation": "#2e86c1",
              "widespread": "#999999", "formulaic": "#555555"}
    for r in rows.itertuples():
        kind = getattr(r, "kind", None) or ("formulaic" if r.formulaic else "copy")
        color = colors.get(kind, "#c0392b")
        ax.add_patch(Rectangle((r.start_a, ya - h / 2), r.end_a - r.start_a, h, color=color))
        ax.add_patch(Rectangle((r.start_b, yb - h / 2), r.end_b - r.start_b, h, color=color))
        ax.add_patch(Polygon([(r.start_a, ya - h / 2), (r.end_a, ya - h / 2),
                              (r.end_b, yb + h / 2), (r.start_b, yb + h / 2)],
                             closed=True, color=color, alpha=0.35, lw=0))
    ax.set_xlim(0, max(la, lb) * 1.01)
    ax.set_ylim(-0.5, 1.5)
    ax.set_yticks([ya, yb], [_label(meta, a), _label(meta, b)])
    ax.set_xlabel("character offset (light bar: the whole document; red: copy; orange: "
                  "template; blue: citation; grey: widespread; dark grey: formulaic)")
    n = len(rows)
    pairs = len(table[["doc_a", "doc_b"]].drop_duplicates())
    of = (f" (one of {pairs} pairs; the table has {len(table)} passages)"
          if pairs > 1 else "")
    ax.set_title(f"This pair shares {n} passage{'s' if n != 1 else ''}, "
                 f"{int(rows['chars'].sum()):,} characters{of}")
    return _attach(ax, rows.reset_index(drop=True))
