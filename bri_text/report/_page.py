"""The report's page: sections, tables and figures written to the folder."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import plot
from ._figures import save_figure
from ._rules import LONG_PASSAGE


@dataclass
class Section:
    id: str
    title: str
    intro: str = ""
    blocks: list = field(default_factory=list)
    skipped: str | None = None     # why the section is not there


@dataclass
class Report:
    """What :func:`report` wrote: ``out`` (folder), ``index`` (the HTML page), ``tables``
    (name -> DataFrame, each also in ``tables/<name>.csv``), ``figures`` (names of the
    figures in ``figures/``), ``manifest`` (dict, also ``manifest.json``), ``sections``
    (id -> title, or the note saying why it was skipped), ``warnings`` (library warnings
    raised while the report ran, also listed on the page), ``topics_cache`` (the cache entry
    the topic model was read from, None when it was fitted or there is none: not in the
    page or manifest, so that a run from the cache writes the files a fresh run writes;
    ``python -m bri_text report`` says it in its summary).

    >>> from bri_text.report import report                                    # doctest: +SKIP
    >>> result = report(compare=["广西", "甘肃"], out="report/", random_state=1)  # doctest: +SKIP
    >>> result.index, result.sections["keyness"]                              # doctest: +SKIP
    (PosixPath('report/index.html'), 'Distinctive terms (keyness)')
    """
    out: Path
    index: Path
    tables: dict
    figures: list
    manifest: dict
    sections: dict
    warnings: list
    topics_cache: str | None = None

    def __repr__(self) -> str:
        return (f"Report({str(self.index)!r}: {len(self.sections)} sections, "
                f"{len(self.tables)} tables, {len(self.figures)} figures)")


def _fmt(v):
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    s = str(v)
    if len(s) > LONG_PASSAGE:            # shortened on the page, in full one click away
        return {"short": s[:LONG_PASSAGE // 2] + "…", "full": s, "n": len(s)}
    return s


def _table_block(df: pd.DataFrame, name: str | None = None, caption: str = "",
                 max_rows: int = 30, call: str | None = None) -> dict:
    shown = df.head(max_rows)
    return {"kind": "table", "name": name, "caption": caption, "call": call,
            "columns": [str(c) for c in shown.columns],
            "rows": [[_fmt(v) for v in row] for row in shown.itertuples(index=False)],
            "more": max(0, len(df) - len(shown))}


class _Writer:
    """Collects tables and figures and writes them (CSV: UTF-8, '\\n', fixed float format)."""

    def __init__(self, out: Path):
        self.out = out
        self.tables: dict[str, pd.DataFrame] = {}
        self.figures: list[str] = []
        (out / "tables").mkdir(parents=True, exist_ok=True)
        (out / "figures").mkdir(parents=True, exist_ok=True)

    def files(self) -> list[str]:
        """Every file written, relative to the folder (recorded in the manifest)."""
        return ([f"tables/{n}.csv" for n in self.tables]
                + [f"figures/{n}.{e}" for n in self.figures for e in ("png", "svg")]
                + ["index.html", "manifest.json"])

    def table(self, name: str, df: pd.DataFrame, caption: str = "", max_rows: int = 30,
              call: str | None = None, empty: str | None = None,
              page: bool = True, show: list | None = None) -> dict | None:
        """Write ``tables/<name>.csv``; the page block: the table, or the sentence ``empty``
        (default: the caption and "none") when it has no rows."""
        df = df.reset_index(drop=True)
        self.tables[name] = df
        df.to_csv(self.out / "tables" / f"{name}.csv", index=False, encoding="utf-8",
                  lineterminator="\n", float_format="%.10g")
        if not page:                     # CSV only
            return None
        if df.empty:
            return {"kind": "note", "text": empty or f"{caption or name}: none.",
                    "name": name}
        return _table_block(df if show is None else df[show], name, caption, max_rows, call)

    def figure(self, name: str, obj, caption: str = "") -> dict:
        fig = getattr(obj, "figure", obj)
        small = [t for ax in fig.axes for t in ax.texts if t.get_fontsize() < 7]
        if small:                  # interval figures inside heatmap cells: make them legible
            for t in small:
                t.set_fontsize(7.5)
            w, h = fig.get_size_inches()
            fig.set_size_inches(w * 1.2, h * 1.1)
        for ax in fig.axes:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                missing = plot.warn_missing_glyphs(ax)
            if missing:
                warnings.warn(f"figure {name}: characters without a glyph in the bundled "
                              f"font: {sorted(missing)[:10]}", stacklevel=2)
        svg = save_figure(fig, self.out / "figures", name, len(self.figures))
        self.figures.append(name)
        return {"kind": "figure", "name": name, "svg": svg, "caption": caption}
