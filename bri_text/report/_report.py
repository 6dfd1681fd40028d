"""The comparative report: run the analyses, write tables, figures, manifest and one page."""
from __future__ import annotations

import hashlib
import inspect
import json
import shlex
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from .._util import progress_bar
from ..errors import BriTextError, InputError, MetadataError, ParameterError
from ._figures import save_figure
from ._manifest import corpus_fingerprint, manifest

#: Mentions below which a group's geographic shares are flagged as resting on few mentions.
FEW_MENTIONS = 20
#: Top key terms per direction that get KWIC evidence, and contexts per term.
KWIC_TERMS, KWIC_CONTEXTS = 5, 3


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
    raised while the report ran, also listed on the page)."""
    out: Path
    index: Path
    tables: dict
    figures: list
    manifest: dict
    sections: dict
    warnings: list

    def __repr__(self) -> str:
        return (f"Report({str(self.index)!r}: {len(self.sections)} sections, "
                f"{len(self.tables)} tables, {len(self.figures)} figures)")


# ---------------------------------------------------------------------------- helpers
def _accepts(fn, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _load(corpus, metadata):
    import bri_text as bt

    if corpus is None:
        return bt.load_bri_policies(), "built-in: bri_text.load_bri_policies()"
    if isinstance(corpus, bt.Corpus):
        return corpus, getattr(corpus, "name", None) or "Corpus given in Python"
    path = Path(corpus)
    if path.is_dir():
        return bt.read_folder(path, metadata=metadata), str(path)
    if metadata is not None:
        raise ParameterError(f"metadata= is for a folder of files; {path} is a file (put the "
                             "metadata in its columns)")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return bt.read_csv(path), str(path)
    if suffix in (".jsonl", ".json", ".ndjson"):
        return bt.read_jsonl(path), str(path)
    if not path.exists():
        raise InputError(f"corpus={str(path)!r}: no such file or folder")
    raise InputError(f"corpus={str(path)!r}: give a folder of .txt/.html/... files, a .csv or "
                     "a .jsonl file")


def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def _table_block(df: pd.DataFrame, name: str | None = None, caption: str = "",
                 max_rows: int = 30) -> dict:
    shown = df.head(max_rows)
    return {"kind": "table", "name": name, "caption": caption,
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

    def table(self, name: str, df: pd.DataFrame, caption: str = "", max_rows: int = 30) -> dict:
        df = df.reset_index(drop=True)
        self.tables[name] = df
        df.to_csv(self.out / "tables" / f"{name}.csv", index=False, encoding="utf-8",
                  lineterminator="\n", float_format="%.10g")
        return _table_block(df, name, caption, max_rows)

    def figure(self, name: str, obj, caption: str = "") -> dict:
        from .. import plot

        fig = getattr(obj, "figure", obj)
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


# --------------------------------------------------------------------------- sections
class _Run:
    """State shared by the report's steps."""

    def __init__(self, corpus, source, compare, by, topics, seed, top_n, n_boot, writer,
                 progress=None):
        self.corpus, self.source = corpus, source
        self.compare, self.by, self.k = list(compare), by, topics
        self.seed, self.top_n, self.n_boot = seed, top_n, n_boot
        self.w = writer
        self.sections: list[Section] = []
        self.findings: list[str] = []
        self.resample = None
        # inner progress bars (segmenting, topic model, reuse) follow the report's
        self.pkw = {} if progress is None else {"progress": bool(progress)}

    # -- step 0
    def prepare(self):
        import bri_text as bt

        docs = self.corpus.docs
        self.tokenizer = bt.Tokenizer(stopwords=("general", "policy"), min_length=2)
        self.units = self.corpus.reshape("paragraph")
        self.tokens = bt.tokenize(self.units, tokenizer=self.tokenizer, **self.pkw)
        col = self.tokens.docs[self.by]
        self.in_compare = col.astype("string").isin(self.compare).fillna(False).to_numpy(bool)
        self.sub = self.tokens.subset(self.in_compare)
        n_docs = docs[docs[self.by].astype("string").isin(self.compare).fillna(False)] \
            .groupby(self.by)["doc_id"].nunique()
        self.n_docs = {g: int(n_docs.get(g, 0)) for g in self.compare}
        # one document per group: intervals can only resample its paragraphs
        if min(self.n_docs.values()) < 2:
            self.resample = "unit"

    def _boot_kw(self, fn) -> dict:
        return {"resample": self.resample} if self.resample and _accepts(fn, "resample") else {}

    # -- 1
    def overview(self):
        docs = self.corpus.docs
        tdocs = self.tokens.docs.assign(n_tokens=[len(t) for t in self.tokens.tokens])
        rows = []
        for g in self.compare + [None]:
            d = docs if g is None else docs[docs[self.by].astype("string") == g]
            u = tdocs if g is None else tdocs[tdocs[self.by].astype("string") == g]
            years = sorted(pd.to_numeric(d["year"], errors="coerce").dropna().astype(int)
                           .unique()) if "year" in d.columns else []
            rows.append({"group": "(whole corpus)" if g is None else g,
                         "documents": len(d), "paragraphs": len(u),
                         "characters": int(d["text"].str.len().sum()),
                         "tokens": int(u["n_tokens"].sum()),
                         "years": (f"{years[0]}–{years[-1]}" if len(years) > 1 else
                                   str(years[0]) if years else "")})
        counts = pd.DataFrame(rows)
        cols = [c for c in ("doc_id", self.by, "city", "level", "date", "title")
                if c in docs.columns]
        cols = list(dict.fromkeys(cols))
        listed = docs[docs[self.by].astype("string").isin(self.compare).fillna(False)]
        listed = listed[cols].assign(characters=listed["text"].str.len())
        s = Section("overview", "Corpus overview",
                    f"{len(docs)} documents from {self.source}; compared by "
                    f"“{self.by}”: {' · '.join(self.compare)}. Paragraphs are the units of "
                    "analysis; results are aggregated to groups.")
        s.blocks.append(self.w.table("overview", counts, "Size of each compared group"))
        s.blocks.append(self.w.table("documents", listed, "The compared groups' documents",
                                     max_rows=50))
        few = [g for g, n in self.n_docs.items() if n == 1]
        if few:
            s.blocks.append({"kind": "note", "text":
                             f"{'、'.join(few)}: a single document each. Differences describe "
                             "these texts, not the typical document of the group; intervals "
                             "below resample paragraphs within the document."})
        self.sections.append(s)

    # -- 2, 3
    def keyness(self):
        import bri_text as bt
        from .. import plot

        self.matrix = bt.dtm(self.tokens)
        s = Section("keyness", "Distinctive terms (keyness)",
                    "Log-odds ratio with an informative Dirichlet prior (whole corpus), "
                    "z-scores; each group against the other compared group(s), both ways. "
                    f"Stability: share of {self.n_boot} bootstrap replicates in which the "
                    f"term stays among the top {self.top_n}.")
        kw = self._boot_kw(bt.keyness)
        self.key_terms = {}
        for i, g in enumerate(self.compare):
            others = [o for o in self.compare if o != g]
            ref = {self.by: others} if others else None
            ref_label = "、".join(others) if others else "all other documents"
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*left out.*")
                t = bt.keyness(self.matrix, target={self.by: g}, reference=ref,
                               bootstrap=self.n_boot, top_n=self.top_n,
                               random_state=self.seed, **kw)
            name = f"keyness_{g}_vs_{'_'.join(others) or 'rest'}"
            pos = t[t["score"] > 0].sort_values("score", ascending=False, kind="stable")
            self.key_terms[g] = pos["term"].head(KWIC_TERMS).tolist()
            self.findings.append(f"{g} vs {ref_label}: most distinctive terms "
                                 f"{'、'.join(pos['term'].head(8))}.")
            s.blocks.append({"kind": "h3", "text": f"{g} vs {ref_label}"})
            if not (len(self.compare) == 2 and i == 1):
                ax = plot.keyness(t, top_n=self.top_n, labels=(g, ref_label))
                ax.set_title(f"Distinctive terms: {g} vs {ref_label}")
                s.blocks.append(self.w.figure(f"keyness_{i + 1}", ax,
                                              f"Bars right: more in {g}; left: more in "
                                              f"{ref_label}."))
            cols = [c for c in ("term", "score", "p_value", "count_target", "count_reference",
                                "log_ratio", "stability") if c in t.columns]
            s.blocks.append(self.w.table(name, t[cols], f"Terms over-used in {g} (score > 0) "
                                         f"and in {ref_label} (score < 0)", max_rows=2 * self.top_n))
        self.sections.append(s)

    def kwic(self):
        import bri_text as bt

        s = Section("kwic", "Evidence: key terms in context",
                    f"The first {KWIC_CONTEXTS} contexts of each group's top {KWIC_TERMS} key "
                    "terms, in the group's own documents, so a reader sees why a term is key.")
        rows = []
        for g, terms in self.key_terms.items():
            toks = self.tokens.subset(self.tokens.docs[self.by].astype("string").eq(g)
                                      .fillna(False).to_numpy(bool))
            for term in terms:
                k = bt.kwic(toks, term, window=10)
                for r in k.head(KWIC_CONTEXTS).itertuples(index=False):
                    rows.append({"group": g, "term": term, "doc_id": r.doc_id,
                                 "left": r.left, "keyword": r.keyword, "right": r.right})
        table = pd.DataFrame(rows, columns=["group", "term", "doc_id", "left", "keyword",
                                            "right"])
        self.w.table("kwic", table)
        s.blocks.append({"kind": "kwic", "rows": table.to_dict("records")})
        self.sections.append(s)

    # -- 4
    def profile(self):
        import bri_text as bt
        from .. import plot

        p = bt.profile(self.sub, "five_connectivities", by=self.by, n_boot=self.n_boot,
                       random_state=self.seed, **self._boot_kw(bt.profile))
        s = Section("profile", "Dictionary profile: the five connectivities",
                    "Matches of each category's vocabulary per 10,000 tokens (政策沟通, "
                    "设施联通, 贸易畅通, 资金融通, 民心相通), with bootstrap intervals.")
        s.blocks.append(self.w.figure("profile", plot.profile(p)))
        s.blocks.append(self.w.table("profile_five_connectivities", p))
        self.sections.append(s)

    # -- 5
    def orientation(self):
        import bri_text as bt
        from .. import plot

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*no place names.*")
            o = bt.orientation(self.sub, by=self.by, n_boot=self.n_boot,
                               random_state=self.seed, **self._boot_kw(bt.orientation))
        s = Section("orientation", "Geographic orientation",
                    "Shares of place mentions (countries, groupings, cities, ports of the "
                    "gazetteer) per world region; n = the mentions each row rests on.")
        for g, part in o.groupby("group", sort=False):
            n = int(part["n_mentions"].iloc[0])
            if n == 0:
                text = f"{g}: no place mentions."
            else:
                lead = part.iloc[0]
                text = (f"{g}: {lead['world_region']} {lead['share']:.0%} of {n} place "
                        "mentions")
                text += " (few mentions: read with caution)." if n < FEW_MENTIONS else "."
            self.findings.append(text)
            s.blocks.append({"kind": "note", "text": text})
        level = "world_region"
        seen = o.loc[o["count"] > 0, level].unique()
        shown = o[o[level].isin(seen)] if len(seen) else o
        s.blocks.append(self.w.figure("orientation", plot.orientation(shown),
                                      "World regions mentioned at least once by a compared "
                                      "group; hatched rows: no mentions."))
        s.blocks.append(self.w.table("orientation", o[o["count"] > 0] if o["count"].any()
                                     else o, "Regions mentioned at least once"))
        self.sections.append(s)

    # -- 6
    def topics(self):
        import bri_text as bt
        from .. import plot

        if not self.k:
            self.sections.append(Section("topics", "Topics", skipped="skipped: --topics 0"))
            return
        model = bt.TopicModel(self.k, random_state=self.seed, **self.pkw).fit(self.tokens)
        s = Section("topics", f"Topics (LDA, K = {self.k}, whole corpus)",
                    f"Fitted on {getattr(model, 'provenance_', {}).get('fitted_on', 'the paragraphs of all documents')}"
                    f"; random_state={self.seed}. Labels: top FREX terms.")
        top = model.topics(10)
        words = top.groupby("topic")["term"].apply(lambda x: "、".join(x)).reset_index()
        labels = model.label_topics()
        words.insert(1, "label", [labels[t] for t in words["topic"]])
        s.blocks.append(self.w.table("topics", words, "Top terms by weight"))
        self.w.table("topic_terms", top)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*left out.*")
            prev = model.prevalence(by=self.by, n_boot=self.n_boot, random_state=self.seed,
                                    **self._boot_kw(model.prevalence))
        prev = prev[prev["group"].astype(str).isin(self.compare)]
        s.blocks.append(self.w.figure("topic_prevalence", plot.topic_prevalence(prev)))
        s.blocks.append(self.w.table("topic_prevalence", prev, max_rows=3 * self.k))
        lead = prev.sort_values("share", ascending=False, kind="stable").groupby(
            "group", sort=False).head(1)
        for r in lead.itertuples():
            self.findings.append(f"{r.group}: largest topic {r.topic} “{r.label}” "
                                 f"({r.share:.0%} of tokens).")
        docs = self.corpus.docs
        if "year" in docs.columns and docs["year"].notna().sum() >= 2:
            tr = model.trends(by="year", n_boot=self.n_boot, random_state=self.seed)
            show = prev.groupby("topic")["share"].max().sort_values(
                ascending=False, kind="stable").index[:4].tolist()
            s.blocks.append({"kind": "h3", "text": "Over time (all documents)"})
            s.blocks.append(self.w.figure("topic_trends", plot.topic_trends(tr, topics=show),
                                          "The compared groups' four largest topics; "
                                          "documents resampled per year."))
            s.blocks.append(self.w.table("topic_trends", tr, max_rows=4 * self.k))
        else:
            s.blocks.append({"kind": "note", "text": "Trends skipped: the corpus has no "
                             "'year' column (add one to the metadata)."})
        self.sections.append(s)

    # -- 7
    def similarity(self):
        import bri_text as bt
        from .. import plot

        sim_fn = getattr(bt, "similarity_matrix", None)
        heat = getattr(plot, "similarity_heatmap", None)
        if sim_fn is None:
            self.sections.append(Section("similarity", "Document similarity",
                                         skipped="skipped: this version of bri_text has no "
                                         "similarity_matrix"))
            return
        tfidf = bt.dtm(self.tokens, "tfidf")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*empty.*")
            sim = sim_fn(tfidf, level="document")
        s = Section("similarity", "Document similarity",
                    "Cosine similarity of tf-idf vectors of whole documents.")
        if heat is not None:
            s.blocks.append(self.w.figure("similarity", heat(sim)))
        ids = [str(i) for i in sim.index]
        docs = self.corpus.docs.set_index("doc_id")
        mine = set(docs.index[docs[self.by].astype("string").isin(self.compare).fillna(False)])
        rows = []
        for i, a in enumerate(ids):
            for j in range(i + 1, len(ids)):
                b = ids[j]
                if a in mine or b in mine:
                    rows.append({"doc_a": a, "doc_b": b, "cosine": float(sim.iat[i, j])})
        pairs = pd.DataFrame(rows, columns=["doc_a", "doc_b", "cosine"]).dropna()
        pairs = pairs.sort_values("cosine", ascending=False, kind="stable").head(15)
        for c in ("a", "b"):
            pairs[f"{self.by}_{c}"] = [docs[self.by].get(d) for d in pairs[f"doc_{c}"]]
            if "title" in docs.columns:
                pairs[f"title_{c}"] = [docs["title"].get(d) for d in pairs[f"doc_{c}"]]
        self.w.table("similarity_matrix", sim.reset_index())
        s.blocks.append(self.w.table("similarity_top_pairs", pairs,
                                     "Most similar pairs involving a compared document"))
        self.sections.append(s)

    # -- 8
    def reuse(self):
        import bri_text as bt
        from .. import plot

        if getattr(bt, "text_reuse", None) is None:
            self.sections.append(Section("reuse", "Text reuse", skipped="skipped: this "
                                         "version of bri_text has no text_reuse"))
            return
        docs = self.corpus.docs
        mine = docs[self.by].astype("string").isin(self.compare).fillna(False).to_numpy(bool)
        s = Section("reuse", "Text reuse",
                    "Passages shared character for character (near-verbatim, at least 30 "
                    "characters), formulaic passages flagged.")
        drawn = False
        if mine.sum() >= 2:
            part = self.corpus.subset(mine)
            t = bt.text_reuse(part, **self.pkw)
            summ = bt.reuse_summary(t, part)
            s.blocks.append({"kind": "h3", "text": "Among the compared groups' documents"})
            s.blocks.append(self.w.table("reuse_between", t, f"{len(t)} shared passages"))
            s.blocks.append(self.w.table("reuse_between_summary", summ))
            if len(t):
                s.blocks.append(self.w.figure("reuse_between", plot.text_reuse(t, part)))
                drawn = True
        else:
            s.blocks.append({"kind": "note", "text": "One document in the compared groups: "
                             "no pair to compare among them."})
        national = (docs["level"] == "national").fillna(False).to_numpy(bool) \
            if "level" in docs.columns else None
        if national is not None and national.any() and (mine & ~national).any():
            part = self.corpus.subset(mine | national)
            t = bt.text_reuse(part, reference={"level": "national"}, **self.pkw)
            summ = bt.reuse_summary(t, part)
            s.blocks.append({"kind": "h3", "text": "From national documents"})
            s.blocks.append(self.w.table("reuse_national", t, f"{len(t)} passages traced "
                                         "from national documents"))
            s.blocks.append(self.w.table("reuse_national_summary", summ))
            if len(t) and not drawn:
                s.blocks.append(self.w.figure("reuse_national", plot.text_reuse(t, part)))
        else:
            s.blocks.append({"kind": "note", "text": "Reuse of national documents skipped: "
                             "the corpus has no documents with level = national."})
        self.sections.append(s)


# ------------------------------------------------------------------------------- main
def _check_groups(corpus, by: str, compare: list) -> None:
    docs = corpus.docs
    if by not in docs.columns:
        raise MetadataError(f"by={by!r}: no such metadata column; columns: "
                            f"{[c for c in docs.columns if c != 'text']}")
    present = set(docs[by].dropna().astype(str))
    absent = [g for g in compare if g not in present]
    if absent:
        raise MetadataError(f"compare={absent}: not values of {by!r}; values present: "
                            f"{sorted(present)[:20]}")


def _command(compare, by, topics, seed, out, corpus, metadata, top_n, n_boot) -> str:
    args = [f"compare={list(compare)!r}", f"by={by!r}", f"topics={topics}", f"seed={seed}",
            f"out={str(out)!r}"]
    if corpus is not None:
        args.append(f"corpus={str(corpus)!r}")
    if metadata is not None:
        args.append(f"metadata={str(metadata)!r}")
    args += [f"top_n={top_n}", f"n_boot={n_boot}"]
    return f"bri_text.report.report({', '.join(args)})"


def report(compare=("广西", "甘肃"), *, out="report", corpus=None, metadata=None,
           by: str = "region", topics: int = 8, seed: int = 1, top_n: int = 15,
           n_boot: int = 200, progress=None, command: str | None = None) -> Report:
    """Write a comparative report of the groups ``compare`` (values of the metadata column
    ``by``) into the folder ``out``; return a :class:`Report`.

    ``corpus``: None (the built-in corpus), a Corpus, a folder of documents (with
    ``metadata``: a CSV with a ``file`` column), or a ``.csv`` / ``.jsonl`` file.
    ``topics``: K of the topic model (0 skips topics). ``seed``: random_state of every
    bootstrap and of the topic model. ``top_n``: key terms shown per direction; ``n_boot``:
    bootstrap replicates. ``progress``: a progress bar over the steps (default: on a
    terminal only). ``command``: the command line to record (the CLI passes its own).

    Sections: corpus overview; keyness both ways with stability; KWIC evidence; dictionary
    profile (five connectivities) with intervals; geographic orientation with the number
    of mentions; topics (FREX labels, prevalence with intervals, trends by year); document
    similarity; text reuse among the groups and from national documents. A section whose
    input is missing (no ``year``, no national documents) or whose function this version
    lacks is replaced by a short note.
    """
    for name, v, lo in (("topics", topics, 0), ("top_n", top_n, 1), ("n_boot", n_boot, 0),
                        ("seed", seed, 0)):
        if isinstance(v, bool) or not isinstance(v, int) or v < lo:
            raise ParameterError(f"{name} must be an int >= {lo}, got {v!r}")
    if topics == 1:
        raise ParameterError("topics must be 0 (skip) or >= 2, got 1")
    if isinstance(compare, str):
        compare = [compare]
    compare = [str(c) for c in compare]
    if len(set(compare)) != len(compare) or not compare:
        raise ParameterError(f"compare must name distinct groups, got {compare}")
    out = Path(out)
    params = {"compare": compare, "by": by, "topics": topics, "top_n": top_n,
              "n_boot": n_boot, "corpus": None if corpus is None else str(corpus),
              "metadata": None if metadata is None else str(metadata),
              "tokenizer": "Tokenizer(stopwords=('general', 'policy'), min_length=2)",
              "units": "paragraph"}
    cmd = command or _command(compare, by, topics, seed, out, corpus, metadata, top_n, n_boot)
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
        loaded, source = _load(corpus, metadata)
        _check_groups(loaded, by, compare)       # before anything is written
        out.mkdir(parents=True, exist_ok=True)
        writer = _Writer(out)
        run = _Run(loaded, source, compare, by, topics, seed, top_n, n_boot, writer,
                   progress)
        steps = [("segmenting", run.prepare), ("overview", run.overview),
                 ("keyness", run.keyness), ("kwic", run.kwic), ("profile", run.profile),
                 ("orientation", run.orientation), ("topics", run.topics),
                 ("similarity", run.similarity), ("reuse", run.reuse)]
        bar = progress_bar(steps, total=len(steps), desc="report", progress=progress)
        for name, step in bar:
            if hasattr(bar, "set_postfix_str"):
                bar.set_postfix_str(name)
            if name in ("segmenting", "overview", "keyness"):
                step()                 # the report's core: errors propagate
                continue
            try:
                step()
            except BriTextError as exc:   # a section that cannot run on this input: say why
                run.sections.append(Section(name, name.capitalize(),
                                            skipped=f"skipped: {exc}"))
        for w in record:
            msg = f"{w.category.__name__}: {w.message}"
            if msg not in caught:
                caught.append(msg)
    params["resample"] = run.resample or "library default"
    man = manifest(loaded, parameters=params, seed=seed, command=cmd)
    man["corpus"]["source"] = source
    man["corpus"]["fingerprint_compared"] = corpus_fingerprint(run.sub)
    man["tables"] = {n: hashlib.sha256((out / "tables" / f"{n}.csv").read_bytes())
                     .hexdigest()[:16] for n in writer.tables}
    man["figures"] = writer.figures
    man["warnings"] = caught
    (out / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    index = out / "index.html"
    index.write_text(_render(run, man, caught), encoding="utf-8")
    return Report(out=out, index=index, tables=writer.tables, figures=writer.figures,
                  manifest=man, warnings=caught,
                  sections={s.id: (s.skipped or s.title) for s in run.sections})


def _render(run: _Run, man: dict, caught: list[str]) -> str:
    import jinja2

    src = (resources.files("bri_text.report") / "templates" / "report.html.j2").read_text(
        encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    for s in run.sections:
        for b in s.blocks:
            if b["kind"] == "figure":
                b["svg_markup"] = jinja2.utils.markupsafe.Markup(b["svg"])
    html = env.from_string(src).render(
        title=" vs ".join(run.compare), by=run.by, sections=run.sections,
        findings=run.findings, manifest=man, manifest_json=json.dumps(
            {k: v for k, v in man.items() if k not in ("tables",)}, ensure_ascii=False,
            indent=2),
        warnings=caught, command=man["command"])
    from ._figures import font_face_css

    # the page's own text (figures are paths) in the bundled font, embedded
    import re

    page_text = re.sub(r"<svg.*?</svg>|<[^>]+>", "", html, flags=re.S)
    return html.replace("/*@FONT_FACE@*/", font_face_css(page_text), 1)


def cli_command(argv) -> str:
    """The command line as typed, for the manifest."""
    import re

    safe = re.compile(r"[\w@%+=:,./-]+")          # \w: Chinese group names need no quotes
    return " ".join(["python -m bri_text"] + [a if safe.fullmatch(a) else shlex.quote(a)
                                               for a in argv])
