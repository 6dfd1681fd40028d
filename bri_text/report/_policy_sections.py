"""The report's sections on policy instruments and diffusion (a mixin of the sections'
runner, ``_sections._Run``): shown when asked for (``codebook=``) or when the corpus has
what they need (national source documents and dates)."""
from __future__ import annotations

import warnings

import pandas as pd

from .. import plot
from ..instruments import code_clauses, instrument_shares, read_codebook
from ..reuse import diffusion as _diffusion
from ._page import Section
from ._rules import _no_national, _plural

#: instrument clauses a group needs before its shares are shown
MIN_INSTRUMENT_CLAUSES = 10


class _PolicySections:
    """Instruments and diffusion of a report run (``_Run``'s attributes)."""

    def instruments(self):
        if self.codebook is None:
            self.sections.append(Section("instruments", "Policy instruments", skipped=(
                "Left out: no codebook given. Pass --codebook default (Rothwell & "
                "Zegveld's supply / environment / demand instruments) or --codebook FILE "
                "(your own scheme, bri_text/lexicons/README.md) to pre-code the clauses.")))
            return
        book = read_codebook(None if self.codebook == "default" else self.codebook)
        units = self.corpus.subset(self._in(self.corpus.docs).to_numpy(bool)) \
            .reshape("clause")
        units = units.subset(~units.docs["is_heading"].to_numpy(bool))
        coded = code_clauses(units, book, dimensions=book.dimensions[:1])   # the codes only
        coded[self.by] = coded[self.by].astype("string")
        none = list(book.none_codes)          # none, or the code the codebook marks (无)
        n_coded = coded.groupby(self.by)["code"].apply(lambda c: int((~c.isin(none)).sum()))
        few = [g for g in self.compare if n_coded.get(g, 0) < MIN_INSTRUMENT_CLAUSES]
        if few:
            own = self.codebook != "default"
            self.sections.append(Section("instruments", "Policy instruments", skipped=(
                f"Left out: the codebook's phrases code fewer than {MIN_INSTRUMENT_CLAUSES} "
                "clauses of " + ", ".join(f"{g} ({n_coded.get(g, 0)})" for g in few)
                + f" ({book.source}), too few for shares: the documents are short, or the "
                "scheme does not fit them ("
                + ("more phrases in your codebook's phrases column" if own else
                   "--codebook FILE for your own") + ").")))
            return
        kw = dict(by=self.by, codebook=book, resample=self.resample,
                  random_state=self.seed)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*single document.*")
            types = instrument_shares(coded, level="type", n_boot=self.n_boot, **kw)
            subtypes = instrument_shares(coded, level="subtype", n_boot=0, **kw)
        share_coded = {g: n_coded.get(g, 0) / max(1, int((coded[self.by] == g).sum()))
                       for g in self.compare}
        s = Section("instruments", "Policy instruments (dictionary pre-coding)",
                    f"Clauses (corpus.reshape(\"clause\"), headings left out) coded by the "
                    f"phrases of {book.source}: each clause gets the instrument whose phrases "
                    "it matches most; clauses no phrase matches are not counted. These are "
                    "machine suggestions, not hand codes: export them with "
                    "bt.write_coding_sheet, have them checked by two coders and report "
                    "bt.reliability before citing the shares. Clauses coded: "
                    + ", ".join(f"{g} {share_coded[g]:.0%} of "
                                f"{_plural(int((coded[self.by] == g).sum()), 'clause')}"
                                for g in self.compare) + ".")
        s.blocks.append(self.w.figure("instrument_types",
                                      plot.instrument_shares(types, kind="bars")))
        # the call that reproduces the table from `corpus`: the same clauses, the same
        # codebook (its file, not the default), the same first dimension
        read = "bt.read_codebook()" if self.codebook == "default" else \
            f"bt.read_codebook({str(self.codebook)!r})"
        s.blocks.append(self.w.table(
            "instrument_types", types,
            call=f"units = corpus.subset(corpus.docs[{self.by!r}].astype('string')"
                 f".isin({list(self.compare)!r}).to_numpy()).reshape('clause'); "
                 f"book = {read}; "
                 f"bt.instrument_shares(bt.code_clauses(units, book, "
                 f"dimensions=book.dimensions[:1]), by={self.by!r}, codebook=book, "
                 f"level='type', n_boot={self.n_boot}, random_state={self.seed}, "
                 f"resample={self.resample!r})"))
        s.blocks.append(self.w.figure("instrument_subtypes",
                                      plot.instrument_shares(subtypes)))
        s.blocks.append(self.w.table("instrument_subtypes", subtypes))
        lead = types.loc[types.groupby("group")["share"].idxmax()]
        self.findings.append("Instruments (dictionary pre-coding): " + "; ".join(
            f"{r.group} leans on {r.code} ({r.share:.0%} of coded clauses)"
            for r in lead.itertuples()) + ".")
        self.sections.append(s)

    def _diffusion_left_out(self) -> str | None:
        """Why the national documents cannot be traced into groups of ``self.by`` (None:
        they can): no national documents; ``by="level"``, the column that picks them; or
        fewer than two jurisdictions (values of ``by``) among the other documents."""
        docs = self.corpus.docs
        level = docs["level"].astype("string") if "level" in docs.columns else None
        if level is None or not (level == "national").any():
            return f"Left out: {_no_national(docs)}; nothing to trace into the groups."
        local = docs.loc[(level != "national").fillna(True).to_numpy(bool)]

        def places(col):
            v = local[col].astype("string").str.strip() if col in local.columns else None
            return [] if v is None else list(dict.fromkeys(v[v.fillna("") != ""]))

        instead = ("trace by province or region instead: --by region (by='region' in "
                   "Python)" if self.by != "region" and len(places("region")) >= 2 else
                   "trace by a column that names each document's province or city "
                   "(--by COLUMN)")
        if self.by == "level":
            return ("Left out: diffusion traces the national documents into the "
                    "jurisdictions that take them over, and --by level groups documents by "
                    f"tier of government, not by jurisdiction; {instead}.")
        found = places(self.by)
        if len(found) < 2:
            held = f"only {found[0]}" if found else "no value"
            return ("Left out: diffusion needs at least two jurisdictions to trace the "
                    f"national documents into, and the other documents have {held} in "
                    f"{self.by!r}; add documents of other jurisdictions or {instead}.")
        return None

    def diffusion(self):
        why = self._diffusion_left_out()
        if why:
            self.sections.append(Section("diffusion", "Diffusion of national documents",
                                         skipped=why))
            return
        result = _diffusion(self.corpus, {"level": "national"}, by=self.by,
                            date=self.date_col or "date")
        a = result.adoptions
        a = a[a["jurisdiction"].astype("string").isin(self.compare)]
        carried = a[a["status"] != "not adopted"]
        threshold = result.adoptions.attrs.get("threshold", 0.1)
        s = Section("diffusion", "Diffusion of national documents",
                    f"Each national document (source) is adopted by a group when one of the "
                    f"group's documents, dated after it, carries at least {threshold:.0%} of "
                    "its characters in passages that are not set phrasing (bt.diffusion); "
                    "lag_days counts from the source's own date. A carrying document dated "
                    "before the source is 'earlier', one whose date overlaps it 'order "
                    "unknown'.")
        s.blocks.append(self.w.table(
            "diffusion_sources", result.sources,
            call=f"bt.diffusion(corpus, source={{'level': 'national'}}, by={self.by!r})"))
        if carried.empty:
            s.blocks.append({"kind": "note", "text": (
                f"None of the {len(result.sources)} national documents is carried by a "
                f"document of {' or '.join(self.compare)} at that share: the groups do not "
                "take these texts over (shorter shared passages are in the text reuse "
                "section).")})
        else:
            s.blocks.append(self.w.table("diffusion_adoptions", carried))
            s.blocks.append(self.w.figure("diffusion_lags", plot.adoption_heatmap(result)))
            # a duplicate of the source kept as asked carries it whole: not an adoption
            dup = carried.apply(lambda r: self.copies.same(r["source"], r["doc_id"]), axis=1)
            words = "; ".join(self.copies.words(a, b) for a, b in self.copies.among(
                zip(carried.loc[dup, "source"], carried.loc[dup, "doc_id"])))
            if words:
                s.blocks.append({"kind": "note", "text": (
                    f"Duplicates kept as asked (--keep-duplicates): {words}. A duplicate of a "
                    "national document carries it whole: the key findings do not call it an "
                    "adoption.")})
            self.findings.append("Diffusion: " + ("; ".join(
                f"{r.jurisdiction} {r.status} {r.source}"
                + (f" after {int(r.lag_days)} days" if pd.notna(r.lag_days) else "")
                for r in carried[~dup].itertuples()) or "no adoption other than by duplicates")
                + (f" (duplicates left out: {words})" if words else "") + ".")
        self.sections.append(s)
