"""The comparative report: run the analyses, write tables, figures, manifest and one page."""
from __future__ import annotations

import hashlib
import json
import re
import shlex
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from .. import plot
from .._lexicons import FIVE_CONNECTIVITIES
from .._util import check_scalar, progress_bar
from ..compare import keyness as _keyness, orientation as _orientation, profile as _profile
from ..corpus import Corpus
from ..datasets import load_bri_policies
from ..errors import BriTextError, InputError, MetadataError, ParameterError
from ..features import dtm, kwic as _kwic
from ..io import list_folder, read_csv, read_excel, read_files, read_jsonl
from ..reuse import reuse_summary, text_reuse
from ..segment import Tokenizer, tokenize
from ..similarity import similarity_matrix
from ..topics import TopicModel
from ._figures import save_figure
from ._manifest import corpus_fingerprint, manifest

#: Mentions below which a group's geographic shares are flagged as resting on few mentions.
FEW_MENTIONS = 20
#: Smallest lead (share of tokens) of a topic over the other groups stated as a finding.
MIN_TOPIC_LEAD = 0.02
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
#: the generator tag of the report's page: a folder's own report is never read as a document
GENERATOR = "bri_text report"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _earlier_outputs(folder: Path) -> set[Path]:
    """Files that an earlier report wrote into ``folder`` (listed in its manifest.json)."""
    man_path = folder / "manifest.json"
    if not man_path.is_file():
        return set()
    try:
        man = json.loads(man_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(man, dict) or "bri_text" not in man or "tables" not in man:
        return set()                      # not a bri_text report's manifest
    names = list(man.get("files") or [])
    names += [f"tables/{n}.csv" for n in man.get("tables") or {}]
    names += [f"figures/{n}.{ext}" for n in man.get("figures") or [] for ext in ("png", "svg")]
    names += ["index.html", "manifest.json"]
    root = folder.resolve()
    out = set()
    for n in names:
        p = (folder / str(n)).resolve()
        if root in p.parents and p.is_file():    # never anything outside the folder
            out.add(p)
    return out


def _is_report_page(path: Path) -> bool:
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        head = path.read_bytes()[:2048].decode("utf-8", "ignore")
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}' in head


def _load(corpus, metadata, errors="raise", text_column=None):
    """(Corpus, source description, files left out as a report's own output)."""
    if corpus is None:
        return load_bri_policies(), "built-in: bri_text.load_bri_policies()", []
    if isinstance(corpus, Corpus):
        return corpus, getattr(corpus, "name", None) or "Corpus given in Python", []
    path = Path(corpus)
    if path.is_dir():
        if text_column is not None:
            raise ParameterError(f"text_column={text_column!r} is for a .csv or .jsonl "
                                 f"file; {path} is a folder (one document per file)")
        own = _earlier_outputs(path)
        files, left_out = [], []
        for f in list_folder(path):
            if f.resolve() in own or _is_report_page(f):
                left_out.append(f.name)
            else:
                files.append(f)
        if not files:
            raise InputError(f"corpus={str(path)!r}: the folder holds only a report's own "
                             f"output ({', '.join(left_out)}), no documents")
        return read_files(files, metadata=metadata, errors=errors), str(path), left_out
    if metadata is not None:
        raise ParameterError(f"metadata= is for a folder of files; {path} is a file (put the "
                             "metadata in its columns)")
    suffix = path.suffix.lower()
    text = "text" if text_column is None else text_column
    if suffix == ".csv":
        return read_csv(path, text=text), str(path), []
    if suffix in (".jsonl", ".json", ".ndjson"):
        return read_jsonl(path, text=text), str(path), []
    if suffix in (".xlsx", ".xlsm"):  # every sheet, with a 'sheet' column
        return read_excel(path, text=text), str(path), []
    if not path.exists():
        raise InputError(f"corpus={str(path)!r}: no such file or folder")
    raise InputError(f"corpus={str(path)!r}: give a folder of .txt/.html/... files, a .csv, "
                     "an .xlsx or a .jsonl file")


def _date_note(corpus, source: str) -> str:
    """What the ``date`` column holds, in words, for the reuse section."""
    docs = corpus.docs
    if "date" not in docs.columns or docs["date"].isna().all():
        return "The documents have no dates, so no order is given."
    if "date_source" in docs.columns:
        counts = docs["date_source"].fillna("unknown").astype(str).value_counts()
        what = ", ".join(f"{k}: {v}" for k, v in counts.items())
        return (f"Dates: the documents' own dates where the text gives them, else the date "
                f"they were posted (date_source — {what}).")
    if source.startswith("built-in"):
        return ("Dates: the dates under which the source compendium lists the documents, "
                "i.e. when they were posted, which can be later than when they were issued.")
    if Path(source).is_dir():
        return ("Dates: as read from each file (front matter or the page's byline). For web "
                "pages this is when the page was posted, not when the document was issued.")
    return "Dates: the corpus's own date column, as given."


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

    def files(self) -> list[str]:
        """Every file written, relative to the folder (recorded in the manifest)."""
        return ([f"tables/{n}.csv" for n in self.tables]
                + [f"figures/{n}.{e}" for n in self.figures for e in ("png", "svg")]
                + ["index.html", "manifest.json"])

    def table(self, name: str, df: pd.DataFrame, caption: str = "", max_rows: int = 30) -> dict:
        df = df.reset_index(drop=True)
        self.tables[name] = df
        df.to_csv(self.out / "tables" / f"{name}.csv", index=False, encoding="utf-8",
                  lineterminator="\n", float_format="%.10g")
        return _table_block(df, name, caption, max_rows)

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
        self.resample = "two-stage"
        # inner progress bars (segmenting, topic model, reuse) follow the report's
        self.pkw = {} if progress is None else {"progress": bool(progress)}

    def _in(self, docs) -> "pd.Series":
        return docs[self.by].astype("string").isin(self.compare).fillna(False)

    # -- step 0
    def prepare(self):
        docs = self.corpus.docs
        self.tokenizer = Tokenizer(stopwords=("general", "policy"), min_length=2)
        self.units = self.corpus.reshape("paragraph")
        self.tokens = tokenize(self.units, tokenizer=self.tokenizer, **self.pkw)
        self.in_compare = self._in(self.tokens.docs).to_numpy(bool)
        self.sub = self.tokens.subset(self.in_compare)
        n_docs = docs[self._in(docs)].groupby(self.by)["doc_id"].nunique()
        self.n_docs = {g: int(n_docs.get(g, 0)) for g in self.compare}
        # one document per group: intervals can only resample its paragraphs
        if min(self.n_docs.values()) < 2:
            self.resample = "unit"
        lengths = pd.Series([len(t) for t in self.tokens.tokens])
        self.n_tokens = {g: int(lengths[(self.tokens.docs[self.by].astype("string") == g)
                                        .fillna(False).to_numpy(bool)].sum())
                         for g in self.compare}

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
                         "tokens_after_stopwords": int(u["n_tokens"].sum()),
                         "years": (f"{years[0]}–{years[-1]}" if len(years) > 1 else
                                   str(years[0]) if years else "")})
        counts = pd.DataFrame(rows)
        cols = [c for c in ("doc_id", self.by, "city", "level", "kind", "date", "title")
                if c in docs.columns]
        cols = list(dict.fromkeys(cols))
        listed = docs[self._in(docs)]
        listed = listed[cols].assign(characters=listed["text"].str.len())
        s = Section("overview", "Corpus overview",
                    f"{_plural(len(docs), 'document')} from {self.source}; compared by "
                    f"“{self.by}”: {' · '.join(self.compare)}. Paragraphs are the units of "
                    "analysis; results are aggregated to groups. Tokens are counted after "
                    "general and policy stopwords are removed (the profile uses the same "
                    "count; the topic model counts only the words of its vocabulary).")
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
        self.matrix = dtm(self.tokens)
        s = Section("keyness", "Distinctive terms (keyness)",
                    "Log-odds ratio with an informative Dirichlet prior (the compared groups' "
                    "pooled counts, split between them by size: it shrinks a difference, never "
                    "reverses it), z-scores; each group against the other compared group(s), "
                    "both ways. p-values are token-level (every token an independent draw: a "
                    "statement about these texts); q-values correct them for testing every "
                    "term (Benjamini-Hochberg), and the figures draw terms with q >= 0.05 "
                    f"pale. Stability: share of {self.n_boot} bootstrap replicates in which "
                    f"the term stays among the top {self.top_n}.")
        self.key_terms = {}
        for i, g in enumerate(self.compare):
            others = [o for o in self.compare if o != g]
            ref = {self.by: others} if others else None
            ref_label = "、".join(others) if others else "all other documents"
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*left out.*")
                t = _keyness(self.matrix, target={self.by: g}, reference=ref,
                             n_boot=self.n_boot, top_n=self.top_n,
                             random_state=self.seed, resample=self.resample)
            name = f"keyness_{g}_vs_{'_'.join(others) or 'rest'}"
            pos = t[t["score"] > 0].sort_values("score", ascending=False, kind="stable")
            self.key_terms[g] = pos["term"].head(KWIC_TERMS).tolist()
            n_q = int((pos["q_value"] < 0.05).sum()) if "q_value" in pos else 0
            self.findings.append(f"{g} vs {ref_label}: most distinctive terms "
                                 f"{'、'.join(pos['term'].head(8))} ({n_q} of its terms at "
                                 f"q < 0.05).")
            s.blocks.append({"kind": "h3", "text": f"{g} vs {ref_label}"})
            if not (len(self.compare) == 2 and i == 1):
                ax = plot.keyness(t, top_n=self.top_n, labels=(g, ref_label))
                ax.set_title(f"Distinctive terms: {g} vs {ref_label}")
                s.blocks.append(self.w.figure(f"keyness_{i + 1}", ax,
                                              f"Bars right: more in {g}; left: more in "
                                              f"{ref_label}."))
            cols = [c for c in ("term", "score", "p_value", "q_value", "count_target",
                                "count_reference",
                                "log_ratio", "stability") if c in t.columns]
            s.blocks.append(self.w.table(name, t[cols], f"Terms over-used in {g} (score > 0) "
                                         f"and in {ref_label} (score < 0)",
                                         max_rows=2 * self.top_n))
        self.sections.append(s)

    def kwic(self):
        s = Section("kwic", "Evidence: key terms in context",
                    f"The first {KWIC_CONTEXTS} contexts of each group's top {KWIC_TERMS} key "
                    "terms, in the group's own documents, so a reader sees why a term is key.")
        rows = []
        for g, terms in self.key_terms.items():
            toks = self.tokens.subset(self.tokens.docs[self.by].astype("string").eq(g)
                                      .fillna(False).to_numpy(bool))
            for term in terms:
                k = _kwic(toks, term, window=10)
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
        p = _profile(self.sub, "five_connectivities", by=self.by, n_boot=self.n_boot,
                     random_state=self.seed, resample=self.resample)
        s = Section("profile", "Dictionary profile: the five connectivities",
                    "Matches of each category's vocabulary per 10,000 tokens (tokens after "
                    "stopwords, as in the overview), with bootstrap intervals (small figures "
                    "under each value).")
        named = p.assign(category=p["category"].map(FIVE_CONNECTIVITIES).fillna(p["category"]))
        s.blocks.append(self.w.figure("profile", plot.profile(named)))
        s.blocks.append(self.w.table("profile_five_connectivities", p.assign(
            category_zh=named["category"])))
        self.sections.append(s)

    # -- 5
    def orientation(self):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*no place names.*")
            o = _orientation(self.sub, by=self.by, n_boot=self.n_boot,
                             random_state=self.seed, resample=self.resample)
        s = Section("orientation", "Geographic orientation",
                    "Shares of place mentions (countries, groupings, cities, ports of the "
                    "gazetteer) per world region; n = the mentions each row rests on. "
                    f"Below {FEW_MENTIONS} mentions a share is not stated as a finding.")
        for g, part in o.groupby("group", sort=False):
            n = int(part["n_mentions"].iloc[0])
            if n == 0:
                text = f"{g}: no place mentions."
            else:
                lead = part.sort_values("share", ascending=False, kind="stable").iloc[0]
                ci = ""
                if "ci_low" in part.columns and pd.notna(lead["ci_low"]):
                    ci = f" (interval {lead['ci_low']:.0%}–{lead['ci_high']:.0%})"
                if n < FEW_MENTIONS:
                    text = (f"{g}: only {_plural(n, 'place mention')}, too few to say where "
                            f"it looks (most: {lead['world_region']}, {int(lead['count'])} "
                            f"of {n}{ci}).")
                else:
                    text = (f"{g}: {lead['world_region']} {lead['share']:.0%}{ci} of {n} "
                            "place mentions.")
            self.findings.append(text)
            s.blocks.append({"kind": "note", "text": text})
        level = "world_region"
        seen = o.loc[o["count"] > 0, level].unique()
        shown = o[o[level].isin(seen)] if len(seen) else o
        s.blocks.append(self.w.figure("orientation", plot.orientation(shown),
                                      "World regions mentioned at least once by a compared "
                                      "group; dotted rows: fewer than 20 place mentions, too "
                                      "few to say where a group looks; hatched rows: no "
                                      "mentions."))
        s.blocks.append(self.w.table("orientation", o[o["count"] > 0] if o["count"].any()
                                     else o, "Regions mentioned at least once"))
        self.sections.append(s)

    # -- 6
    def topics(self):
        if not self.k:
            self.sections.append(Section("topics", "Topics", skipped="skipped: --topics 0"))
            return
        model = TopicModel(self.k, random_state=self.seed, **self.pkw).fit(self.tokens)
        n_units = len(self.tokens.docs)
        fitted = getattr(model, "provenance_", {}).get("n_units")
        fitted_on = getattr(model, "provenance_", {}).get("fitted_on", "")
        m = re.match(r"\s*([\d,]+) paragraphs", fitted_on or "")
        n_fit = fitted if isinstance(fitted, int) else (int(m.group(1).replace(",", ""))
                                                         if m else None)
        basis = (f"Fitted on {n_fit:,} of the {n_units:,} paragraphs (the other "
                 f"{n_units - n_fit:,} have no word of the model's vocabulary)"
                 if n_fit is not None else f"Fitted on {fitted_on or 'the paragraphs'}")
        s = Section("topics", f"Topics (LDA, K = {self.k}, whole corpus)",
                    f"{basis}; random_state={self.seed}. Labels: top FREX terms. Shares count "
                    "only the words of the model's vocabulary (n_tokens in the table), fewer "
                    "than the tokens of the overview.")
        top = model.topics(10)
        words = top.groupby("topic")["term"].apply(lambda x: "、".join(x)).reset_index()
        labels = model.label_topics()
        words.insert(1, "label", [labels[t] for t in words["topic"]])
        s.blocks.append(self.w.table("topics", words, "Top terms by weight"))
        self.w.table("topic_terms", top)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*left out.*")
            prev = model.prevalence(by=self.by, n_boot=self.n_boot, random_state=self.seed,
                                    resample=self.resample)
        prev = prev[prev["group"].astype(str).isin(self.compare)]
        s.blocks.append(self.w.figure("topic_prevalence", plot.topic_prevalence(prev)))
        s.blocks.append(self.w.table("topic_prevalence", prev, "Share of each group's tokens "
                                     "(in the model's vocabulary) per topic, with intervals",
                                     max_rows=3 * self.k))
        self.findings += _separating_topics(prev, self.compare)
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
        tfidf = dtm(self.tokens, "tfidf")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*empty.*")
            sim = similarity_matrix(tfidf, level="document")
        s = Section("similarity", "Document similarity",
                    "Cosine similarity of tf-idf vectors of whole documents.")
        s.blocks.append(self.w.figure("similarity", plot.similarity_heatmap(sim)))
        ids = [str(i) for i in sim.index]
        docs = self.corpus.docs.set_index("doc_id")
        mine = set(docs.index[self._in(docs)])
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
        docs = self.corpus.docs
        mine = self._in(docs).to_numpy(bool)
        s = Section("reuse", "Text reuse",
                    "Passages the documents share near-verbatim (at least 30 characters; "
                    "punctuation, spacing and the values of numbers ignored). kind: copy = "
                    "the same wording; template = the same sentence frame with different "
                    "figures; formulaic = set phrasing (political formulas, lists of "
                    "agencies, closing lines: a curated list and phrases common to many "
                    "documents). Pairs are put in order of their dates: that is the order "
                    "of publication, a hypothesis about direction, not evidence that one "
                    "document copied the other. " + _date_note(self.corpus, self.source))
        self.reuse_heading = None
        drawn = False
        if mine.sum() >= 2:
            part = self.corpus.subset(mine)
            t = text_reuse(part, **self.pkw)
            summ = reuse_summary(t, part)
            s.blocks.append({"kind": "h3", "text": "Among the compared groups' documents "
                             "(source: the earlier-dated document)"})
            s.blocks.append(self.w.table("reuse_between", t, _passages_caption(t)))
            s.blocks.append(self.w.table("reuse_between_summary", summ,
                                         "Per pair, copies and templates (formulaic passages "
                                         "left out), in order of publication (dated by "
                                         f"“{summ.attrs['date']}”)"
                                         if summ.attrs.get("date") else
                                         "Per pair, copies and templates (formulaic passages "
                                         "left out; undated)"))
            if len(t):
                s.blocks.append(self.w.figure("reuse_between", plot.text_reuse(t, part)))
                drawn = True
            self.findings.append(f"Reuse among the compared documents: {_passages_caption(t)}.")
        else:
            s.blocks.append({"kind": "note", "text": "One document in the compared groups: "
                             "no pair to compare among them."})
        national = (docs["level"] == "national").fillna(False).to_numpy(bool) \
            if "level" in docs.columns else None
        if national is not None and national.any() and (mine & ~national).any():
            part = self.corpus.subset(mine | national)
            t = text_reuse(part, reference={"level": "national"}, **self.pkw)
            summ = reuse_summary(t, part)
            self.reuse_heading = ("Traced from national documents into the compared groups' "
                                  "documents (source: a national document dated no later "
                                  "than its target)")
            s.blocks.append({"kind": "h3", "text": self.reuse_heading})
            skipped = t.attrs.get("later_sources_skipped", 0)
            if skipped:
                s.blocks.append({"kind": "note", "text": (
                    f"{_plural(skipped, 'national–local pair')} not traced: the national "
                    f"document is dated after the local one (by “{t.attrs['date']}”).")})
            s.blocks.append(self.w.table("reuse_national", t, _passages_caption(t)))
            s.blocks.append(self.w.table("reuse_national_summary", summ,
                                         "Per pair, without formulaic passages: source = the "
                                         "national document"))
            if len(t) and not drawn:
                s.blocks.append(self.w.figure("reuse_national", plot.text_reuse(t, part)))
        else:
            s.blocks.append({"kind": "note", "text": "Reuse of national documents skipped: "
                             "the corpus has no documents with level = national."})
        self.sections.append(s)


def _passages_caption(t: pd.DataFrame) -> str:
    kinds = t["kind"].value_counts() if len(t) else {}
    parts = [f"{k} {int(kinds[k])}" for k in ("copy", "template", "formulaic") if k in kinds]
    return _plural(len(t), "shared passage") + (f" ({', '.join(parts)})" if parts else "")


def _separating_topics(prev: pd.DataFrame, compare: list) -> list[str]:
    """For each group, the topic whose share most exceeds the other groups' (with both
    intervals): what sets the group apart, not its largest (often catch-all) topic. The
    difference is in percentage points of the groups' tokens (a ratio would favour tiny
    topics); whether the intervals overlap is said beside it."""
    share = prev.pivot_table(index="topic", columns="group", values="share", aggfunc="first")
    lo = hi = None
    if {"lower", "upper"} <= set(prev.columns):
        lo, hi = (prev.pivot_table(index="topic", columns="group", values=c, aggfunc="first",
                                   dropna=False).reindex_like(share)
                  for c in ("lower", "upper"))
    labels = prev.groupby("topic")["label"].first() if "label" in prev.columns else None
    out = []

    def fmt(g, t):
        v = f"{share.at[t, g]:.0%}"
        if lo is not None and pd.notna(lo.at[t, g]):
            v += f" ({lo.at[t, g]:.0%}–{hi.at[t, g]:.0%})"
        return f"{g} {v}"

    for g in compare:
        others = [o for o in compare if o != g and o in share.columns]
        if g not in share.columns or not others:
            continue
        gap = share[g] - share[others].mean(axis=1)
        t = gap.fillna(-float("inf")).idxmax()
        if not gap[t] >= MIN_TOPIC_LEAD:
            out.append(f"{g}: no topic's share exceeds {'、'.join(others)}'s by "
                       f"{MIN_TOPIC_LEAD:.0%} of tokens or more.")
            continue
        name = f"topic {t}" + (f" “{labels[t]}”" if labels is not None else "")
        sep = ""
        if lo is not None and all(pd.notna(hi.at[t, o]) and pd.notna(lo.at[t, g])
                                  for o in others):
            sep = ("; the intervals do not overlap" if all(lo.at[t, g] > hi.at[t, o]
                                                          for o in others)
                   else "; the intervals overlap: a tendency, not a clear difference")
        out.append(f"{g}: the topic with the largest lead over "
                   f"{'、'.join(others)} is {name}: {fmt(g, t)} vs "
                   + ", ".join(fmt(o, t) for o in others) + f" of tokens{sep}.")
    return out


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


def _command(compare, by, topics, seed, out, corpus, metadata, top_n, n_boot, errors,
             text_column) -> str:
    args = [f"compare={list(compare)!r}", f"by={by!r}", f"topics={topics}", f"seed={seed}",
            f"out={str(out)!r}"]
    if corpus is not None:
        args.append(f"corpus={str(corpus)!r}")
    if metadata is not None:
        args.append(f"metadata={str(metadata)!r}")
    if errors != "raise":
        args.append(f"errors={errors!r}")
    if text_column is not None:
        args.append(f"text_column={text_column!r}")
    args += [f"top_n={top_n}", f"n_boot={n_boot}"]
    return f"bri_text.report.report({', '.join(args)})"


def _check_out(out: Path, corpus) -> None:
    """``out`` must be a folder (or not exist yet) outside the corpus folder."""
    if out.exists() and not out.is_dir():
        raise ParameterError(f"out={str(out)!r} is an existing file; give the name of a "
                             "folder for the report")
    if corpus is None or isinstance(corpus, Corpus):
        return
    src = Path(corpus).resolve()
    dest = out.resolve()
    if src.is_dir() and (dest == src or src in dest.parents):
        raise ParameterError(f"out={str(out)!r} is inside the corpus folder {str(corpus)!r}: "
                             "a later run would read the report as a document; write the "
                             "report to a folder outside the corpus")


def _clear_earlier(out: Path) -> list[str]:
    """Remove the files an earlier report listed in ``out/manifest.json`` (nothing else)."""
    removed = []
    for p in sorted(_earlier_outputs(out)):
        p.unlink()
        removed.append(p.relative_to(out.resolve()).as_posix())
    for sub in ("tables", "figures"):
        d = out / sub
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    return removed


def report(compare=("广西", "甘肃"), *, out="report", corpus=None, metadata=None,
           by: str = "region", topics: int = 8, seed: int = 1, top_n: int = 15,
           n_boot: int = 200, errors: str = "raise", text_column: str | None = None,
           progress=None, command: str | None = None) -> Report:
    """Write a comparative report of the groups ``compare`` (values of the metadata column
    ``by``) into the folder ``out``; return a :class:`Report`.

    ``corpus``: None (the built-in corpus), a Corpus, a folder of documents (with
    ``metadata``: a CSV with a ``file`` column), or a ``.csv`` / ``.jsonl`` file (its text
    in the column ``text_column``, default ``text``). ``errors="skip"``: files of a folder
    that cannot be read are left out (listed on the page and in the manifest) instead of
    stopping the report. ``topics``: K of the topic model (0 skips topics). ``seed``:
    random_state of every bootstrap and of the topic model. ``top_n``: key terms shown per
    direction; ``n_boot``: bootstrap replicates. ``progress``: a progress bar over the
    steps (default: on a terminal only). ``command``: the command line to record (the CLI
    passes its own).

    ``out`` must not be inside the corpus folder, and a folder's own report output (a page
    this function wrote, files an earlier report's manifest lists) is never read as a
    document. Rerunning into the same ``out`` first removes the files the earlier report
    listed in its manifest (never anything else), so the folder holds this run's files.

    Sections: corpus overview; keyness both ways with stability; KWIC evidence; dictionary
    profile (five connectivities) with intervals; geographic orientation with the number
    of mentions; topics (FREX labels, prevalence with intervals, trends by year); document
    similarity; text reuse among the groups and from national documents. A section whose
    input is missing (no ``year``, no national documents) is replaced by a short note.
    """
    check_scalar(topics, "topics", min_val=0)
    check_scalar(top_n, "top_n", min_val=1)
    check_scalar(n_boot, "n_boot", min_val=0)
    check_scalar(seed, "seed", min_val=0)
    if topics == 1:
        raise ParameterError("topics must be 0 (skip) or >= 2, got 1")
    if errors not in ("raise", "skip"):
        raise ParameterError(f"errors must be 'raise' or 'skip', got {errors!r}")
    if isinstance(compare, str):
        compare = [compare]
    compare = [str(c) for c in compare]
    if len(set(compare)) != len(compare) or not compare:
        raise ParameterError(f"compare must name distinct groups, got {compare}")
    out = Path(out)
    _check_out(out, corpus)
    params = {"compare": compare, "by": by, "topics": topics, "top_n": top_n,
              "n_boot": n_boot, "corpus": None if corpus is None else str(corpus),
              "metadata": None if metadata is None else str(metadata),
              "errors": errors, "text_column": text_column,
              "tokenizer": "Tokenizer(stopwords=('general', 'policy'), min_length=2)",
              "units": "paragraph"}
    cmd = command or _command(compare, by, topics, seed, out, corpus, metadata, top_n, n_boot,
                              errors, text_column)
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
        loaded, source, left_out = _load(corpus, metadata, errors, text_column)
        _check_groups(loaded, by, compare)       # before anything is written
        out.mkdir(parents=True, exist_ok=True)
        removed = _clear_earlier(out)
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
    dropped = getattr(loaded, "dropped", None)
    skipped_files = [] if dropped is None or dropped.empty else [
        {k: str(v) for k, v in r.items()} for r in dropped.to_dict("records")]
    params["resample"] = run.resample
    man = manifest(loaded, parameters=params, seed=seed, command=cmd)
    man["corpus"]["source"] = source
    man["corpus"]["fingerprint_compared"] = corpus_fingerprint(run.sub)
    man["corpus"]["skipped_files"] = skipped_files
    man["corpus"]["left_out_report_output"] = left_out
    man["tables"] = {n: hashlib.sha256((out / "tables" / f"{n}.csv").read_bytes())
                     .hexdigest()[:16] for n in writer.tables}
    man["figures"] = writer.figures
    man["files"] = writer.files()
    man["removed_from_earlier_run"] = removed
    man["warnings"] = caught
    (out / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    index = out / "index.html"
    index.write_text(_render(run, man, caught, skipped_files, left_out), encoding="utf-8")
    return Report(out=out, index=index, tables=writer.tables, figures=writer.figures,
                  manifest=man, warnings=caught,
                  sections={s.id: (s.skipped or s.title) for s in run.sections})


def _render(run: _Run, man: dict, caught: list[str], skipped_files=(), left_out=()) -> str:
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
        findings=run.findings, manifest=man, generator=GENERATOR, manifest_json=json.dumps(
            {k: v for k, v in man.items() if k not in ("tables", "files")},
            ensure_ascii=False, indent=2),
        warnings=caught, command=man["command"], skipped_files=list(skipped_files),
        left_out=list(left_out))
    from ._figures import font_face_css

    # the page's own text (figures are paths) in the bundled font, embedded
    page_text = re.sub(r"<svg.*?</svg>|<[^>]+>", "", html, flags=re.S)
    return html.replace("/*@FONT_FACE@*/", font_face_css(page_text), 1)


def cli_command(argv) -> str:
    """The command line as typed, for the manifest."""
    safe = re.compile(r"[\w@%+=:,./-]+")          # \w: Chinese group names need no quotes
    return " ".join(["python -m bri_text"] + [a if safe.fullmatch(a) else shlex.quote(a)
                                               for a in argv])
