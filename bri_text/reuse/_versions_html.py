"""The side-by-side page of a :func:`~bri_text.compare_versions` table
(:func:`versions_html`)."""
from __future__ import annotations

import html

import pandas as pd

from ..errors import ParameterError
from ._versions import VERSIONS_COLUMNS, _opcodes

_CSS = """
body{font-family:"BriText Sans SC","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #ccc;padding:.4em .6em;vertical-align:top;line-height:1.6}
th{background:#f0f0f0;text-align:left}
td.n{width:4.5em;color:#666;font-size:.85em;text-align:center}
tr.dropped td.src{background:#fde8e8}tr.added td.loc{background:#e6f6e6}
tr.dropped td.loc,tr.added td.src{background:#f7f7f7}
del{background:#f9c0c0;text-decoration:line-through}ins{background:#b8ecb8;text-decoration:none}
.tag{display:inline-block;font-size:.75em;padding:0 .4em;border-radius:.3em;margin-right:.3em}
.tag.kept{background:#e0e0e0}.tag.changed{background:#ffe08a}.tag.dropped{background:#f4a6a6}
.tag.added{background:#9fdc9f}.tag.moved{background:#a9c8f5}.sim{font-size:.8em;color:#555}
.label{color:#666;margin-right:.3em}
.legend{font-size:.85em;color:#444;max-width:60em}.legend dt{float:left;clear:left;width:5.5em}
.legend dd{margin:0 0 .2em 6em}tr.minor td{color:#888}
mark.fig{display:inline-block;background:#ffd24d;color:#000;font-weight:bold;padding:0 .15em;
border-radius:.2em;outline:2px solid #e0a800}.tag.figures{background:#ffd24d}
.figs{font-size:.85em;margin-top:.2em}
"""


def _legend(table: pd.DataFrame) -> str:
    """What the statuses, the numbers and the thresholds of the page mean."""
    a = table.attrs
    kept, changed = a.get("kept_threshold", 0.95), a.get("changed_threshold", 0.5)
    unit = a.get("unit", "clause")
    items = [
        ("kept", f"paired with a local {unit} at least {kept:g} alike (or identical)"),
        ("changed", f"paired, {changed:g} to {kept:g} alike; deletions struck through, "
                    "insertions in green"),
        ("dropped", f"no local {unit} at least {changed:g} alike"),
        ("added", f"a local {unit} paired with no source {unit}"),
        ("moved", "the pair is out of the source's order (off the longest run of pairs "
                  "that keep it)"),
        ("figures", "the pair states different figures (a number with its unit and "
                    "qualifiers: 95%以上, 2030年, 140项, 两次; a figure moved within the "
                    "clause is no change), highlighted in yellow and listed source→local "
                    "under the clause, whatever the status: similarity ignores digit "
                    "values, so a clause whose targets were rewritten can be kept"),
    ]
    dl = "".join(f'<dt><span class="tag {s}">{s}</span></dt><dd>{html.escape(t)}</dd>'
                 for s, t in items)
    return (
        f'<div class="legend"><p>One row per source {unit} (left, in source order), then '
        f"the added local ones; # = the {unit}'s position (from 0) in each text. The "
        "number after a status is the similarity of the pair (0-1, Indel, with "
        "punctuation, whitespace and the values of digits ignored: 2016年 and 2017年 "
        "read alike; a date, figure or bare 附件 line matches only its exact twin). "
        "Stock phrasing (set phrases of the genre) is not evidence of a pair. Grey rows "
        "are headings and lines without substance (<i>substance</i> False), not counted "
        f"above.</p><dl>{dl}</dl></div>")



def _marked(a: str, b: str, marks: tuple = ((), ())) -> tuple[str, str]:
    """``a`` with deletions in ``<del>`` and ``b`` with insertions in ``<ins>``, escaped;
    the spans of ``marks`` (a list of (start, end) per side: the changed figures) each in
    a ``<mark class="fig">``, compared whole (95% and 98% differ as figures, not in a
    digit)."""
    sides, found = [], {}
    for text, spans in zip((a, b), marks):
        out, last = [], 0
        for s, e in sorted(spans):
            token = chr(0xE000 + len(found))         # a private-use stand-in per figure
            found[token] = f'<mark class="fig">{html.escape(text[s:e])}</mark>'
            out += [text[last:s], token]
            last = e
        sides.append("".join(out) + text[last:])
    a, b = sides
    left, right = [], []
    for tag, a0, a1, b0, b1 in _opcodes(a, b):
        x, y = html.escape(a[a0:a1]), html.escape(b[b0:b1])
        if tag == "equal":
            left.append(x)
            right.append(y)
            continue
        if x:
            left.append(f"<del>{x}</del>")
        if y:
            right.append(f"<ins>{y}</ins>")
    left, right = "".join(left), "".join(right)
    for token, markup in found.items():
        left, right = left.replace(token, markup), right.replace(token, markup)
    return left, right


def versions_html(table: pd.DataFrame, path=None, *, title: str | None = None,
                  embed_font: bool = True) -> str:
    """A side-by-side page of a :func:`compare_versions` table: source on the left, local
    version on the right, one aligned row per clause; deletions ``<del>`` and insertions
    ``<ins>`` highlighted in changed clauses, changed figures (``figures_changed``: 95%以上
    -> 98%以上, whatever the status) marked whole on both sides and listed under the
    clause, moved clauses tagged, dropped and added rows
    shaded; a legend says what each status and number means, with the thresholds and the
    unit of the table, and rows without substance are greyed. Self-contained (inline CSS,
    no scripts or external files), every text escaped;
    ``embed_font`` embeds the package's Chinese font cut down to the page's characters, so
    the page reads the same on a machine without Chinese fonts. Returns the HTML; with
    ``path`` also writes it there (UTF-8).

    >>> from bri_text import compare_versions
    >>> t = compare_versions("一、扩大<经贸>合作，建设物流园区。\\n二、加强人文交流。",
    ...                      "一、加强人文交流。\\n二、扩大<经贸>合作，建设物流园区，发展电商。")
    >>> page = versions_html(t, embed_font=False)
    >>> "&lt;经贸&gt;" in page, "<ins>，发展电商</ins>" in page, 'class="tag moved"' in page
    (True, True, True)
    """
    missing = [c for c in VERSIONS_COLUMNS if c not in getattr(table, "columns", [])]
    if not isinstance(table, pd.DataFrame) or missing:
        raise ParameterError(f"table must be a compare_versions table; missing columns "
                             f"{missing}")
    a, b = table.attrs.get("source", "source"), table.attrs.get("local", "local")
    heads = [f"{html.escape(str(x))}<br><small>{html.escape(t)}</small>" if t
             else html.escape(str(x)) for x, t in ((a, table.attrs.get("source_title", "")),
                                                  (b, table.attrs.get("local_title", "")))]
    title = title or f"{a} → {b}"
    sub = table[table["substance"]] if "substance" in table.columns else table
    counts = sub.status.value_counts()
    summary = " · ".join(f'<span class="tag {s}">{s}</span>{int(counts.get(s, 0))}'
                         for s in ("kept", "changed", "dropped", "added"))
    moved = int(sub.moved.sum())
    figs = int(sub.figures_changed.sum()) if "figures_changed" in sub.columns else 0
    body = "\n".join(_html_row(r) for r in table.itertuples(index=False))
    css = _CSS
    if embed_font:
        from .._util import font_face_css

        css = font_face_css(title + "".join(heads) + body + _legend(table)) + css
    page = (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{css}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{summary} · "
        f'<span class="tag moved">moved</span>{moved} · '
        f'<span class="tag figures">figures</span>{figs} (of {len(sub)} rows of substance; '
        f"{len(table) - len(sub)} more without)</p>{_legend(table)}"
        '<table><colgroup><col style="width:4.5em"><col><col><col style="width:4.5em">'
        f"</colgroup><thead><tr><th>#</th><th>{heads[0]}</th>"
        f"<th>{heads[1]}</th><th>#</th></tr></thead><tbody>"
        + body + "</tbody></table></body></html>\n")
    if path is not None:
        from pathlib import Path

        Path(path).write_text(page, encoding="utf-8")
    return page


def _tags(r) -> str:
    """The tags of a row: its status and similarity, moved, split or merged."""
    tags = f'<span class="tag {r.status}">{r.status}</span>'
    if r.status in ("kept", "changed"):
        tags += f'<span class="sim" title="similarity">{r.similarity:.2f}</span> '
    if r.moved:
        tags += '<span class="tag moved">moved</span>'
    if r.match in ("1:n", "n:1"):
        tags += f'<span class="tag">{"split" if r.match == "1:n" else "merged"}</span>'
    if getattr(r, "figures_changed", False):
        tags += (f'<span class="tag figures">figures {r.n_figures_changed}</span>'
                 f'<div class="figs">{html.escape(r.figures)}'
                 + (f" ({html.escape(r.figures_direction)})" if r.figures_direction else "")
                 + "</div>")
    return tags


def _html_row(r) -> str:
    """One table row of the page: a compare_versions row ``r`` side by side."""
    src, loc = html.escape(r.source_text), html.escape(r.local_text).replace("\n", "<br>")
    if r.status in ("kept", "changed") and r.source_text != r.local_text.replace("\n", ""):
        marks = ((), ())
        if getattr(r, "figures_changed", False):
            from ._figures import figure_changes

            _, _, gone, new = figure_changes(r.source_text, r.local_text.replace("\n", ""))
            marks = ([(f.start, f.end) for f in gone], [(f.start, f.end) for f in new])
        src, loc = _marked(r.source_text, r.local_text.replace("\n", ""), marks)
    sn = "" if pd.isna(r.source_index) else f"{r.source_index}"
    ln = ", ".join(str(i) for i in r.local_indices)
    sl = f'<span class="label">{html.escape(r.source_clause)}</span>' \
        if r.source_clause else ""
    ll = f'<span class="label">{html.escape(r.local_clause)}</span>' \
        if r.local_clause else ""
    minor = "" if getattr(r, "substance", True) else " minor"
    return (f'<tr class="{r.status}{minor}"><td class="n">{sn}</td>'
            f'<td class="src">{sl}{src}</td><td class="loc">{ll}{loc}'
            f'<div>{_tags(r)}</div></td><td class="n">{ln}</td></tr>')
