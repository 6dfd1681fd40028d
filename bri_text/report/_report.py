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

import numpy as np
import pandas as pd

from .. import plot
from .._dates import _date_source, _parse_date
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
#: A built-in dictionary section is shown when the compared documents together reach this
#: many matches per 10,000 tokens (and one compared group has FEW_MENTIONS matches or more):
#: the five connectivities' vocabulary has general economic words (交通, 贸易, 金融) that any
#: economic text matches at 2-4% of its tokens (the national work reports: 220-410 per 10k),
#: Belt and Road plans at 8-16% (the built-in corpus: 830-1,640 per 10k, provinces with one
#: short text aside); place names: 250-840 per 10k in the plans, 6-60 in the work reports.
COVERAGE_PER_10K = {"five_connectivities": 500.0, "orientation": 50.0}
#: A topic is named as what sets a group apart only when the group's share is at least
#: MIN_TOPIC_SHARE, its lead over the other groups at least MIN_TOPIC_LEAD (shares of
#: tokens), and its interval above theirs.
MIN_TOPIC_SHARE, MIN_TOPIC_LEAD = 0.05, 0.02
#: Top key terms per direction that get KWIC evidence, and contexts per term.
KWIC_TERMS, KWIC_CONTEXTS = 5, 3
#: Documents a side from which a document-level test is chosen (docs/STATISTICS.md).
MIN_DOCS_DOCUMENT_TEST = 5
#: What --test accepts: auto, document (Welch's t), token (log-odds z), or a keyness measure.
TESTS = {"document": "welch", "token": "log_odds"}
#: Sweeps of the report's topic model (TopicModel's default is 1,000): the NMF start makes
#: the chain settle early; 300 sweeps keep the report under its time budget.
TOPIC_ITERATIONS = 300
#: Passages longer than this (characters) are shortened on the page, in full one click away.
LONG_PASSAGE = 160
#: Heatmaps of more documents than this are not drawn (unreadable, and slow to draw).
MAX_HEATMAP_DOCS = 40
#: the tokenizer of every section, as the call a reader can run
TOKENIZER_CALL = 'bt.Tokenizer(stopwords=("general", "policy"), min_length=2)'
TOKENS_CALL = f'tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer={TOKENIZER_CALL})'


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


def _date_note(corpus, source: str, date_col: str | None = None) -> str:
    """Where the documents' dates come from, in words, for the reuse section."""
    docs = corpus.docs
    if date_col is None or date_col not in docs.columns or docs[date_col].isna().all():
        return ("The documents have no dates (no date column found: name one with "
                "--date-column), so no order of publication is given.")
    origin = getattr(corpus, "date_from", date_col)
    read = re.match(r"from column '(.+?)'", getattr(corpus, "derived", {}).get("date", ""))
    if origin == "date" and read:          # reading derived `date` from another column
        origin = read.group(1)
    missing = int(docs[date_col].isna().sum())
    gaps = f" ({_plural(missing, 'document')} undated)" if missing else ""
    if origin != "date":
        return (f"Dates: the corpus's column “{origin}”{gaps}, found by its name "
                "(--date-column chooses another).")
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
    return f"Dates: the corpus's own column “date”{gaps}."


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


# --------------------------------------------------------------------------- sections
class _Run:
    """State shared by the report's steps."""

    def __init__(self, corpus, source, compare, by, topics, seed, top_n, n_boot, writer,
                 progress=None, test="auto", dictionary=None, orientation=None,
                 date_column=None, group_notes=()):
        self.corpus, self.source = corpus, source
        self.compare, self.by, self.k = list(compare), by, topics
        self.seed, self.top_n, self.n_boot = seed, top_n, n_boot
        self.test, self.dictionary, self.want_orientation = test, dictionary, orientation
        self.date_col, self.group_notes = date_column, list(group_notes)
        self.w = writer
        self.sections: list[Section] = []
        self.findings: list[str] = []
        self.tests: dict = {}
        self.resample = "two-stage"
        # inner progress bars (segmenting, topic model, reuse) follow the report's
        self.pkw = {} if progress is None else {"progress": bool(progress)}

    def _in(self, docs) -> "pd.Series":
        return docs[self.by].astype("string").isin(self.compare).fillna(False)

    def _compared_call(self) -> str:
        return (f"tokens.subset(tokens.docs[{self.by!r}].isin({self.compare!r})"
                ".to_numpy())")

    def _is(self, docs, g) -> "np.ndarray":
        return docs[self.by].astype("string").eq(g).fillna(False).to_numpy(bool)

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
        self.n_tokens = {g: int(lengths[self._is(self.tokens.docs, g)].sum())
                         for g in self.compare}

    # -- 1
    def overview(self):
        docs = self.corpus.docs
        tdocs = self.tokens.docs.assign(n_tokens=[len(t) for t in self.tokens.tokens])
        rows = []
        for g in self.compare + [None]:
            d = docs if g is None else docs[self._is(docs, g)]
            u = tdocs if g is None else tdocs[self._is(tdocs, g)]
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
                    "analysis; results are aggregated to groups. Every section counts the "
                    "same tokens: the paragraphs segmented with general and policy "
                    "stopwords removed and single characters left out (the topic model "
                    "then keeps only the words of its vocabulary). Each table names the "
                    "call that reproduces it from these tokens, after "
                    "import bri_text as bt and corpus = the corpus read as in the command "
                    "at the end of the page:")
        s.blocks.append({"kind": "code", "text": TOKENS_CALL})
        for note in self.group_notes:
            s.blocks.append({"kind": "note", "text": f"--compare: {note}."})
        s.blocks.append(self.w.table("overview", counts, "Size of each compared group",
                                     call="[len(t) for t in tokens.tokens]  # tokens per "
                                          "paragraph, summed per group"))
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
        s = Section("keyness", "Distinctive terms (keyness)", "")
        self.key_terms = {}
        intro = []
        for i, g in enumerate(self.compare):
            others = [o for o in self.compare if o != g]
            ref = {self.by: others} if others else None
            ref_label = "、".join(others) if others else "all other documents"
            docs = self.corpus.docs
            n_t = int(self._is(docs, g).sum())
            n_r = int(self._in(docs).sum() - n_t) if others else len(docs) - n_t
            measure, why = _choose_test(self.test, n_t, n_r)
            doc_level = measure in ("welch", "wilcoxon", "bootstrap_test")
            n_boot = (self.n_boot or None) if measure not in ("welch", "wilcoxon") else None
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*left out.*")
                kw = dict(target={self.by: g}, reference=ref, measure=measure,
                          random_state=self.seed, resample=self.resample)
                # every term tested (the table keeps top_n a side): what q < .05 counts
                every = _keyness(self.matrix, n_boot=None if measure != "bootstrap_test"
                                 else n_boot, **kw)
                t = _keyness(self.matrix, n_boot=n_boot, top_n=self.top_n, **kw) \
                    if n_boot and measure != "bootstrap_test" else _top(every, self.top_n)
            self.tests[g] = {"measure": measure, "test": t.attrs.get("test"),
                             "documents": [n_t, n_r], "why": why}
            call = (f"bt.keyness(bt.dtm(tokens), target={{{self.by!r}: {g!r}}}, "
                    f"reference={ref!r}, measure={measure!r}"
                    + (f", n_boot={n_boot}, random_state={self.seed}, "
                       f"resample={self.resample!r}" if n_boot else "")
                    + f", top_n={self.top_n})")
            name = f"keyness_{g}_vs_{'_'.join(others) or 'rest'}"
            pos = t[t["score"] > 0].sort_values("score", ascending=False, kind="stable")
            n_q = int(((every["score"] > 0) & (every["q_value"] < 0.05)).sum())
            sig = pos[pos["q_value"] < 0.05] if doc_level else pos
            self.key_terms[g] = (sig if doc_level and len(sig) else pos)["term"].head(
                KWIC_TERMS).tolist()
            words = "、".join(pos["term"].head(8))
            if doc_level:
                self.findings.append(
                    f"{g} vs {ref_label} ({n_t} vs {n_r} documents, document-level "
                    f"{_TEST_NAMES.get(measure, measure)}): " + (
                        f"{n_q} terms more frequent in {g}'s documents at q < .05; the "
                        f"strongest {'、'.join(sig['term'].head(8))}." if n_q else
                        f"no term is more frequent in {g}'s documents at q < .05 (the "
                        f"largest differences: {words})."))
                what = ("Document-level test (documents are the observations: a statement "
                        f"about the groups the documents come from): {measure}, {why}. "
                        "Score: t of the per-document relative frequencies (count / the "
                        "document's tokens).")
            else:
                self.findings.append(
                    f"Differences between these texts — {g} ({_plural(n_t, 'document')}) "
                    f"vs {ref_label} ({_plural(n_r, 'document')}): {g}'s most distinctive "
                    f"terms {words} (token-level log-odds; {n_q} at q < .05 treating every "
                    "token as independent, so not evidence about the groups).")
                what = ("Token-level test (every token an independent draw: it says how "
                        f"these texts differ, not how the groups do): {measure}, {why}. "
                        "Log-odds ratio with an informative Dirichlet prior (the compared "
                        "groups' pooled counts, split between them by size: it shrinks a "
                        "difference, never reverses it), z-scores."
                        + (f" Stability: share of {n_boot} bootstrap replicates in which "
                           f"the term stays among the top {self.top_n}." if n_boot else ""))
            intro.append(what)
            s.blocks.append({"kind": "h3", "text": f"{g} vs {ref_label}"})
            s.blocks.append({"kind": "note", "text": what})
            if not (len(self.compare) == 2 and i == 1) and t["score"].notna().any():
                ax = plot.keyness(t, top_n=self.top_n, labels=(g, ref_label))
                ax.set_title(f"Distinctive terms: {g} vs {ref_label}")
                s.blocks.append(self.w.figure(f"keyness_{i + 1}", ax,
                                              f"Bars right: more in {g}; left: more in "
                                              f"{ref_label}; q-values ≥ 0.05 pale."))
            cols = [c for c in ("term", "score", "p_value", "q_value", "count_target",
                                "count_reference", "doc_rate_target", "doc_rate_reference",
                                "log_ratio", "stability") if c in t.columns]
            s.blocks.append(self.w.table(name, t[cols], f"Terms over-used in {g} (score > 0) "
                                         f"and in {ref_label} (score < 0); q: Benjamini-"
                                         "Hochberg over every term tested",
                                         max_rows=2 * self.top_n, call=call))
        self.sections.append(s)

    def kwic(self):
        s = Section("kwic", "Evidence: key terms in context",
                    f"Up to {KWIC_CONTEXTS} contexts of each group's top {KWIC_TERMS} key "
                    "terms, in the group's own documents, drawn from as many documents as "
                    f"there are lines (random_state={self.seed}); “documents” says how many "
                    "of the group's documents hold the term.")
        rows = []
        # tokens (canonical forms) of each paragraph, joined: a term is found in them as
        # kwic finds it, also inside a longer token
        joined = pd.Series(["\x1f".join(t) for t in self.tokens.tokens])
        for g, terms in self.key_terms.items():
            mask = self._is(self.tokens.docs, g)
            n_g = self.n_docs.get(g, 0)
            for j, term in enumerate(terms):
                # only the paragraphs holding the term (kwic finds the same lines, faster)
                has = mask & joined.str.contains(term, regex=False).to_numpy()
                if not has.any():
                    continue
                k = _kwic(self.tokens.subset(has), term, window=10)
                if k.empty:
                    continue
                parent = k["parent_id"] if "parent_id" in k.columns else k["doc_id"]
                picked = _spread(parent, KWIC_CONTEXTS, self.seed + j)
                n_with = int(parent.nunique())
                for idx in picked:
                    r = k.loc[idx]
                    rows.append({"group": g, "term": term,
                                 "documents": f"{n_with} of {n_g}", "doc_id": parent[idx],
                                 "left": r["left"], "keyword": r["keyword"],
                                 "right": r["right"]})
        table = pd.DataFrame(rows, columns=["group", "term", "documents", "doc_id", "left",
                                            "keyword", "right"])
        self.w.table("kwic", table, page=False)
        if table.empty:
            s.blocks.append({"kind": "note", "text": "No key term to show in context."})
        else:
            s.blocks.append({"kind": "kwic", "rows": table.to_dict("records"),
                             "call": f"bt.kwic(tokens.subset(tokens.docs[{self.by!r}]"
                                     ".eq(group).to_numpy()), term, window=10)"})
        self.sections.append(s)

    # -- 4
    def _coverage(self, counts: dict, key: str, what: str) -> tuple[bool, str]:
        """Whether a dictionary covers the compared documents, and the sentence saying so."""
        total = sum(counts.values())
        tokens = sum(self.n_tokens.values()) or 1
        rate = total / tokens * 1e4
        need = COVERAGE_PER_10K[key]
        each = ", ".join(f"{g} {counts[g]:,}" for g in self.compare)
        ok = rate >= need and max(counts.values()) >= FEW_MENTIONS
        return ok, (f"{what}: {total:,} matches in the compared documents, {rate:.0f} per "
                    f"10,000 tokens ({each}); shown when at least {need:.0f} per 10,000 "
                    f"tokens and {FEW_MENTIONS} in a group")

    def profile(self):
        d = self.dictionary
        builtin = d is None or d == "five_connectivities"
        kw = dict(by=self.by, random_state=self.seed, resample=self.resample)
        name = "five_connectivities" if d is None else d
        p = _profile(self.sub, name, n_boot=0, **kw)       # counts first: is it shown?
        counts = {g: int(p.loc[p["group"].astype(str) == g, "count"].sum())
                  for g in self.compare}
        title = ("Dictionary profile: the five connectivities" if builtin else
                 f"Dictionary profile: {Path(str(d)).name if isinstance(d, (str, Path)) else 'own categories'}")
        ok, why = self._coverage(counts, "five_connectivities", "Five connectivities") \
            if builtin else (True, f"Categories from {d!s} ({sum(counts.values()):,} "
                                   "matches in the compared documents)")
        if d is None and not ok:
            self.sections.append(Section(
                "profile", "Dictionary profile", skipped=(
                    "Left out: the five connectivities' vocabulary covers these documents "
                    f"no more than it covers any economic text. {why} (words such as 交通, "
                    "贸易, 金融 give general economic texts 200–400 per 10,000 tokens; Belt "
                    "and Road plans reach 800 or more). Pass --dictionary "
                    "five_connectivities to show it anyway, or --dictionary FILE "
                    "(term<TAB>category) for your own categories.")))
            return
        if self.n_boot:
            p = _profile(self.sub, name, n_boot=self.n_boot, **kw)
        s = Section("profile", title,
                    "Matches of each category's vocabulary per 10,000 tokens, with bootstrap "
                    f"intervals (small figures under each value). {why}.")
        if builtin:
            named = p.assign(category=p["category"].map(FIVE_CONNECTIVITIES)
                             .fillna(p["category"]))
        else:
            named = p
        s.blocks.append(self.w.figure("profile", plot.profile(named)))
        s.blocks.append(self.w.table(
            "profile_five_connectivities" if builtin else "profile",
            p.assign(category_zh=named["category"]) if builtin else p,
            call=f"bt.profile({self._compared_call()}, {str(d or 'five_connectivities')!r}, "
                 f"by={self.by!r}, n_boot={self.n_boot}, random_state={self.seed}, "
                 f"resample={self.resample!r})"))
        self.sections.append(s)

    # -- 5
    def orientation(self):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*no place names.*")
            warnings.filterwarnings("ignore", message=".*fewer than min_mentions.*")
            kw = dict(by=self.by, random_state=self.seed, resample=self.resample)
            o = _orientation(self.sub, n_boot=0, **kw)     # counts first: is it shown?
        counts = {g: int(o.loc[o["group"].astype(str) == g, "n_mentions"].max())
                  if (o["group"].astype(str) == g).any() else 0 for g in self.compare}
        ok, why = self._coverage(counts, "orientation", "Place names of the gazetteer")
        show = self.want_orientation is True or (self.want_orientation is None and ok)
        if show and self.n_boot:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*no place names.*")
                warnings.filterwarnings("ignore", message=".*fewer than min_mentions.*")
                o = _orientation(self.sub, n_boot=self.n_boot, **kw)
        if not show:
            reason = ("--orientation off" if self.want_orientation is False else
                      f"places abroad are rare in these documents. {why}. Pass --orientation "
                      "on to show it anyway")
            self.sections.append(Section("orientation", "Geographic orientation",
                                         skipped=f"Left out: {reason}."))
            return
        s = Section("orientation", "Geographic orientation",
                    "Shares of place mentions (countries, groupings, cities, ports of the "
                    "gazetteer) per world region; n = the mentions each row rests on. "
                    f"Below {FEW_MENTIONS} mentions a share is not stated as a finding. "
                    f"{why}.")
        for g, part in o.groupby("group", sort=False):
            n = int(part["n_mentions"].iloc[0])
            if n == 0:
                text = f"{g}: no place mentions."
            else:
                lead = part.sort_values("share", ascending=False, kind="stable").iloc[0]
                ci = _interval_words(lead, self.n_boot)
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
        s.blocks.append(self.w.table(
            "orientation", o[o["count"] > 0] if o["count"].any() else o,
            "Regions mentioned at least once",
            call=f"bt.orientation({self._compared_call()}, by={self.by!r}, "
                 f"n_boot={self.n_boot}, random_state={self.seed}, "
                 f"resample={self.resample!r})"))
        self.sections.append(s)

    # -- 6
    def topics(self):
        if not self.k:
            self.sections.append(Section("topics", "Topics", skipped="skipped: --topics 0"))
            return
        model = TopicModel(self.k, random_state=self.seed, iterations=TOPIC_ITERATIONS,
                           **self.pkw).fit(self.tokens)
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
                    f"{basis}; random_state={self.seed}, {TOPIC_ITERATIONS} sweeps. Labels: "
                    "top FREX terms. Shares count only the words of the model's vocabulary "
                    "(n_tokens in the table), fewer than the tokens of the overview. A topic "
                    "is named as what sets a group apart only when its share of the group's "
                    f"tokens is at least {MIN_TOPIC_SHARE:.0%}, leads the other groups' by "
                    f"{MIN_TOPIC_LEAD:.0%} or more, and its interval lies above theirs.")
        top = model.topics(10)
        words = top.groupby("topic")["term"].apply(lambda x: "、".join(x)).reset_index()
        labels = model.label_topics()
        words.insert(1, "label", [labels[t] for t in words["topic"]])
        call = (f"model = bt.TopicModel({self.k}, random_state={self.seed}, "
                f"iterations={TOPIC_ITERATIONS}).fit(tokens)")
        s.blocks.append(self.w.table("topics", words, "Top terms by weight",
                                     call=call + "; model.topics(10)"))
        self.w.table("topic_terms", top, page=False)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*left out.*")
            prev = model.prevalence(by=self.by, n_boot=self.n_boot, random_state=self.seed,
                                    resample=self.resample)
        prev = prev[prev["group"].astype(str).isin(self.compare)]
        s.blocks.append(self.w.figure("topic_prevalence", plot.topic_prevalence(prev)))
        s.blocks.append(self.w.table("topic_prevalence", prev, "Share of each group's tokens "
                                     "(in the model's vocabulary) per topic, with intervals",
                                     max_rows=3 * self.k,
                                     call=f"model.prevalence(by={self.by!r}, n_boot="
                                          f"{self.n_boot}, random_state={self.seed}, "
                                          f"resample={self.resample!r})"))
        self.findings += _separating_topics(prev, self.compare)
        docs = self.corpus.docs
        years = pd.to_numeric(docs["year"], errors="coerce").dropna().nunique() \
            if "year" in docs.columns else 0
        if years >= 3:
            tr = model.trends(by="year", n_boot=self.n_boot, random_state=self.seed)
            show = prev.groupby("topic")["share"].max().sort_values(
                ascending=False, kind="stable").index[:4].tolist()
            s.blocks.append({"kind": "h3", "text": "Over time (all documents)"})
            fig = plot.topic_trends(tr, topics=show)
            for ax in ([fig] if hasattr(fig, "get_xticklabels") else fig.axes):
                _thin_ticks(ax)
            s.blocks.append(self.w.figure("topic_trends", fig,
                                          "The compared groups' four largest topics; "
                                          "documents resampled per year."))
            s.blocks.append(self.w.table("topic_trends", tr, max_rows=4 * self.k,
                                         call=f"model.trends(by='year', n_boot={self.n_boot}"
                                              f", random_state={self.seed})"))
        else:
            s.blocks.append({"kind": "note", "text": (
                "No trend over time: the corpus has no 'year' or date column."
                if not years else f"No trend over time: the corpus spans "
                f"{_plural(int(years), 'year')} (a trend needs at least 3).")})
        self.sections.append(s)

    # -- 7
    def similarity(self):
        tfidf = dtm(self.tokens, "tfidf")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*empty.*")
            sim = similarity_matrix(tfidf, level="document")
        s = Section("similarity", "Document similarity",
                    "Cosine similarity of tf-idf vectors of whole documents (the tokens "
                    "above, over the whole corpus).")
        ids = [str(i) for i in sim.index]
        docs = self.corpus.docs.set_index("doc_id")
        group_of = {str(d): str(v) for d, v in docs[self.by].items() if pd.notna(v)}
        title = ({str(d): v for d, v in docs["title"].items()}
                 if "title" in docs.columns else None)

        def label(d):
            t = "" if title is None or pd.isna(title.get(d)) else f" {title[d]}"
            return f"{group_of.get(d, '–')} · {d}{t}"

        vals = sim.to_numpy(dtype=float)
        pos = {d: i for i, d in enumerate(ids)}
        members = {g: [d for d in ids if group_of.get(d) == g] for g in self.compare}
        self.w.table("similarity_matrix", sim.reset_index(), page=False)
        # the compared documents and their nearest neighbours, when few enough to draw
        near = []
        for g in self.compare:
            for d in members[g]:
                row = np.nan_to_num(vals[pos[d]], nan=-2.0)   # empty documents last
                row[pos[d]] = -2.0
                near += [ids[j] for j in (-row).argsort(kind="stable")[:3] if row[j] > -2]
        drawn = list(dict.fromkeys([d for g in self.compare for d in members[g]] + near))
        if len(drawn) <= MAX_HEATMAP_DOCS:
            sub = sim.loc[[i for i in sim.index if str(i) in set(drawn)],
                          [c for c in sim.columns if str(c) in set(drawn)]]
            short = {d: (label(d) if len(label(d)) <= 28 else label(d)[:27] + "…")
                     for d in drawn}
            ax = plot.similarity_heatmap(sub, labels=short)
            ax.set_xticks(ax.get_xticks(), [str(c) for c in ax.bri_data.columns],
                          rotation=90)          # columns: doc_id only, rows say the rest
            s.blocks.append(self.w.figure("similarity", ax, (
                f"The compared documents and their three nearest neighbours each; rows: "
                f"{self.by} · doc_id title (full titles in the tables), columns: doc_id.")))
        else:
            s.blocks.append({"kind": "note", "text": (
                f"No heatmap: the compared documents and their neighbours are {len(drawn)} "
                f"documents (drawn up to {MAX_HEATMAP_DOCS}); the group means below "
                "summarise them, tables/similarity_matrix.csv holds every pair.")})
        # within and between the compared groups
        rows = []
        for i, g in enumerate(self.compare):
            for h in self.compare[i:]:
                a = [pos[d] for d in members[g]]
                b = [pos[d] for d in members[h]]
                block = vals[np.ix_(a, b)]
                if g == h:
                    iu = np.triu_indices(len(a), 1)
                    block = block[iu]
                block = block[~pd.isna(block)] if block.size else block
                rows.append({"group_a": g, "group_b": h, "pairs": int(block.size),
                             "mean_cosine": float(block.mean()) if block.size else None,
                             "max_cosine": float(block.max()) if block.size else None})
        means = pd.DataFrame(rows)
        means = means[means["pairs"] > 0]
        s.blocks.append(self.w.table("similarity_groups", means, "Mean similarity within "
                                     "and between the compared groups (pairs of documents)"))
        # each group's nearest neighbours, and the direct pairs between the groups
        cols = ["doc", f"{self.by}", "title", "neighbour", f"{self.by}_neighbour",
                "title_neighbour", "cosine", "rank"]
        for g in self.compare:
            nrows = []
            for d in members[g]:
                row = vals[pos[d]].copy()
                row[pos[d]] = float("nan")
                order = [j for j in (-np.nan_to_num(row, nan=-2)).argsort(
                    kind="stable")[:5] if not pd.isna(row[j])]
                for r, j in enumerate(order, 1):
                    n = ids[j]
                    nrows.append({"doc": d, self.by: g, "title": None if title is None
                                  else title.get(d), "neighbour": n,
                                  f"{self.by}_neighbour": group_of.get(n),
                                  "title_neighbour": None if title is None else title.get(n),
                                  "cosine": float(row[j]), "rank": r})
            t = pd.DataFrame(nrows, columns=cols)
            if len(members[g]) > 3:
                t = t.sort_values(["cosine"], ascending=False, kind="stable")
            s.blocks.append(self.w.table(
                f"similarity_neighbours_{g}", t.drop(columns=[] if title is not None
                                                     else ["title", "title_neighbour"]),
                f"Nearest neighbours of {g}'s documents (five each, whole corpus)",
                max_rows=15))
        if len(self.compare) >= 2:
            prs = []
            for i, g in enumerate(self.compare):
                for h in self.compare[i + 1:]:
                    for a in members[g]:
                        for b in members[h]:
                            prs.append({"doc_a": a, f"{self.by}_a": g, "doc_b": b,
                                        f"{self.by}_b": h,
                                        "cosine": float(vals[pos[a], pos[b]]),
                                        "title_a": None if title is None else title.get(a),
                                        "title_b": None if title is None else title.get(b)})
            pairs = pd.DataFrame(prs).sort_values("cosine", ascending=False, kind="stable")
            if title is None:
                pairs = pairs.drop(columns=["title_a", "title_b"])
            s.blocks.append(self.w.table("similarity_between", pairs, "Direct pairs between "
                                         "the compared groups, most similar first",
                                         max_rows=15))
            best = pairs.iloc[0]
            self.findings.append(
                f"Similarity: {'the' if len(pairs) == 1 else 'the most similar'} pair "
                f"between the groups, {best['doc_a']} ({best[f'{self.by}_a']}) and "
                f"{best['doc_b']} ({best[f'{self.by}_b']}), has cosine {best['cosine']:.2f}"
                + "; " + "; ".join(
                    f"{g}'s nearest document: {_nearest(vals, ids, pos, members[g], group_of)}"
                    for g in self.compare) + ".")
        self.sections.append(s)

    # -- 8
    def _reuse_table(self, t: pd.DataFrame) -> pd.DataFrame:
        """``t`` with ``documents`` (how many documents of the whole corpus hold the
        passage) and formulaic judged over the whole corpus, as text_reuse does there."""
        if t.empty:
            return t.assign(documents=pd.Series(dtype="int64"))
        counts, formulaic = _passage_document_counts(
            t["passage_a"].tolist(), self.corpus, t.attrs.get("ngram", 5),
            t.attrs.get("formulaic_share", 0.5), t.attrs.get("max_df", 0.2))
        f = t["formulaic"].to_numpy(bool) | pd.Series(formulaic).to_numpy(bool)
        out = t.assign(formulaic=f, kind=t["kind"].where(~f, "formulaic"),
                       documents=counts)
        cols = ["doc_a", "doc_b", "kind", "documents", "chars", "similarity", "passage_a",
                "passage_b", "start_a", "end_a", "start_b", "end_b", "formulaic"]
        rank = out["kind"].map({"copy": 0, "template": 1, "formulaic": 2}).fillna(3)
        out = out.assign(_rank=rank, _neg=-out["chars"]).sort_values(
            ["_rank", "_neg", "doc_a", "doc_b", "start_a"], kind="stable")[cols]
        out = out.reset_index(drop=True)     # copies first, longest first: what to read
        out.attrs.update(t.attrs)
        return out

    def _between(self, part: Corpus, date) -> pd.DataFrame:
        """Passages shared by documents of two different compared groups (with one group:
        among its documents), one text_reuse per pair of groups."""
        if len(self.compare) == 1:
            return text_reuse(part, date=date, **self.pkw)
        tables = []
        for i, g in enumerate(self.compare):
            for h in self.compare[i + 1:]:
                pair = part.subset(self._is(part.docs, g) | self._is(part.docs, h))
                if len(pair) < 2 or not self._is(pair.docs, h).any() \
                        or not self._is(pair.docs, g).any():
                    continue
                tables.append(text_reuse(pair, reference=self._is(pair.docs, g), date=None,
                                         best_source=False, **self.pkw))
        t = pd.concat(tables, ignore_index=True) if tables else \
            text_reuse(part, date=date, **self.pkw).iloc[:0]
        if tables:
            t.attrs.update(tables[0].attrs)
        return t

    def reuse(self):
        docs = self.corpus.docs
        mine = self._in(docs).to_numpy(bool)
        dated = self.date_col is not None and docs[self.date_col].notna().any()
        n = len(docs)
        s = Section("reuse", "Text reuse",
                    "Passages the documents share near-verbatim (at least 30 characters; "
                    "punctuation, spacing and the values of numbers ignored). kind: copy = "
                    "the same wording; template = the same sentence frame with different "
                    "figures; formulaic = set phrasing: a curated list of political formulas, "
                    "agency lists and closing lines, or a passage most of whose wording "
                    f"occurs in more than 20% of the corpus's {n} documents (at least 3). "
                    f"“documents” = how many of the {n} documents hold the passage (half or "
                    "more of its 5-character shingles), so a stock phrase shows as such "
                    "however few documents are compared. "
                    + ("Pairs are put in order of their dates: the order of publication, a "
                       "hypothesis about direction, not evidence that one document copied "
                       "the other. " if dated else "")
                    + _date_note(self.corpus, self.source, self.date_col))
        self.reuse_heading = None
        drawn = False
        date = self.date_col if dated else None
        if mine.sum() >= 2:
            part = self.corpus.subset(mine)
            t = self._reuse_table(self._between(part, date))
            summ = reuse_summary(t, part, date=date)
            where = ("Between the compared groups' documents" if len(self.compare) > 1
                     else f"Among {self.compare[0]}'s documents")
            self.reuse_heading = (f"{where} (in the summary, source = the earlier-dated "
                                  "document)" if dated else
                                  f"{where} (undated: no direction implied)")
            s.blocks.append({"kind": "h3", "text": self.reuse_heading})
            if len(self.compare) > 1:
                s.blocks.append({"kind": "note", "text": (
                    "Pairs of documents from two different compared groups; pairs within a "
                    "group are not compared here (bt.text_reuse on that group's documents "
                    "does).")})
            s.blocks.append(self.w.table(
                "reuse_between", t, _passages_caption(t), show=_REUSE_SHOWN,
                call=(f"bt.text_reuse(corpus.subset({self.by}=[{self.compare[0]!r}, "
                      f"{self.compare[1]!r}]), reference={{{self.by!r}: "
                      f"{self.compare[0]!r}}}, date=None, best_source=False)"
                      + (" (each pair of groups)" if len(self.compare) > 2 else "")
                      + "; then documents and formulaic over the whole corpus (above)"
                      if len(self.compare) > 1 else
                      f"bt.text_reuse(corpus.subset({self.by}={self.compare[0]!r}))"),
                empty="No passage of 30 characters or more is shared among the compared "
                      "groups' documents."))
            if len(summ):
                s.blocks.append(self.w.table(
                    "reuse_between_summary", summ,
                    "Per pair, copies and templates (formulaic passages left out), in order "
                    f"of publication (dated by “{summ.attrs['date']}”)"
                    if summ.attrs.get("date") else
                    "Per pair, copies and templates (formulaic passages left out; undated)"))
            else:
                self.w.table("reuse_between_summary", summ)
                if len(t):
                    s.blocks.append({"kind": "note", "text": "Every shared passage is "
                                     "formulaic: no pair shares copies or templates."})
            if len(t) and len(t) <= 300:
                s.blocks.append(self.w.figure("reuse_between", plot.text_reuse(t, part)))
                drawn = True
            self.findings.append(f"Reuse among the compared documents: {_passages_caption(t)}"
                                 + (f"; {_formulaic_words(t, n)}" if len(t) else "") + ".")
        else:
            s.blocks.append({"kind": "note", "text": "One document in the compared groups: "
                             "no pair to compare among them."})
        national = (docs["level"] == "national").fillna(False).to_numpy(bool) \
            if "level" in docs.columns else None
        if national is not None and national.any() and (mine & ~national).any():
            part = self.corpus.subset(mine | national)
            t = self._reuse_table(text_reuse(part, reference={"level": "national"},
                                             date=date, **self.pkw))
            summ = reuse_summary(t, part, date=date)
            heading = ("Traced from national documents into the compared groups' documents "
                       + ("(source: a national document dated no later than its target)"
                          if dated else "(undated: every national document may be a "
                          "source)"))
            s.blocks.append({"kind": "h3", "text": heading})
            skipped = t.attrs.get("later_sources_skipped", 0)
            if skipped:
                s.blocks.append({"kind": "note", "text": (
                    f"{_plural(skipped, 'national–local pair')} not traced: the national "
                    f"document is dated after the local one (by “{t.attrs['date']}”).")})
            s.blocks.append(self.w.table(
                "reuse_national", t, _passages_caption(t), show=_REUSE_SHOWN,
                empty="No passage of a national document is found in the compared groups' "
                      "documents."))
            s.blocks.append(self.w.table(
                "reuse_national_summary", summ, "Per pair, without formulaic passages: "
                "source = the national document",
                empty="No copies or templates from national documents (formulaic passages "
                      "left out)."))
            if len(t) and not drawn and len(t) <= 300:
                s.blocks.append(self.w.figure("reuse_national", plot.text_reuse(t, part)))
        else:
            s.blocks.append({"kind": "note", "text": "Reuse of national documents skipped: "
                             "the corpus has no documents with level = national."})
        self.sections.append(s)


def _top(k: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The first and last ``top_n`` rows of a keyness table (sorted by score), as
    keyness(top_n=) cuts it."""
    if len(k) <= 2 * top_n:
        return k
    out = pd.concat([k.iloc[:top_n], k.iloc[-top_n:]], ignore_index=True)
    out.attrs.update(k.attrs)
    return out


def _thin_ticks(ax, most: int = 14) -> None:
    """At most ``most`` labelled ticks on the x axis (52 years' labels overprint)."""
    labels = [t.get_text() for t in ax.get_xticklabels()]
    if len(labels) <= most:
        return
    step = -(-len(labels) // most)
    ax.set_xticks(ax.get_xticks(), [lab if i % step == 0 else ""
                                    for i, lab in enumerate(labels)])


_TEST_NAMES = {"welch": "Welch t-test", "wilcoxon": "Mann-Whitney U test",
               "bootstrap_test": "bootstrap test"}


#: reuse columns on the page (the CSV has the offsets and the formulaic flag too)
_REUSE_SHOWN = ["doc_a", "doc_b", "kind", "documents", "chars", "similarity", "passage_a",
                "passage_b"]


def _spread(parent: pd.Series, n: int, seed: int) -> list:
    """Indices of up to ``n`` rows, from as many different documents (``parent``) as
    possible: documents in a random order, one row each, then a second row each ...
    (deterministic for ``seed``).

    >>> _spread(pd.Series(["a", "a", "a", "b"]), 2, 0)[:2] != [0, 1]
    True
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    order = rng.permutation(len(parent))
    frame = pd.DataFrame({"parent": parent.to_numpy()[order], "idx": parent.index[order]})
    frame["round"] = frame.groupby("parent", sort=False).cumcount()
    return frame.sort_values("round", kind="stable")["idx"].head(n).tolist()


def _interval_words(row, n_boot: int | None = None) -> str:
    """The interval beside a share, or, where there is none, why (from the table's
    ``interval`` and ``n_failed`` columns), so the reason stands by the number.

    >>> _interval_words(pd.Series({"ci_low": float("nan"), "ci_high": float("nan"),
    ...     "interval": "none: one document", "n_failed": 0}))
    ' (no interval: one document)'
    """
    if "ci_low" not in row.index:
        return ""
    kind = str(row.get("interval", "") or "")
    kind = "" if kind == "nan" else kind
    if pd.notna(row["ci_low"]):
        what = " within one document" if kind.startswith("within") else ""
        return f" (interval {row['ci_low']:.0%}–{row['ci_high']:.0%}{what})"
    reason = kind.removeprefix("none: ") or "not computed"
    failed = row.get("n_failed")
    if failed is not None and pd.notna(failed) and int(failed) and n_boot:
        reason += f"; {int(failed)} of {n_boot} replicates drew no mention"
    return f" (no interval: {reason})"


def _nearest(vals, ids, pos, members, group_of) -> str:
    best = None
    for d in members:
        row = vals[pos[d]].copy()
        row[pos[d]] = float("nan")
        if pd.isna(row).all():
            continue
        j = int(pd.Series(row).idxmax())
        if best is None or row[j] > best[2]:
            best = (d, ids[j], float(row[j]))
    if best is None:
        return "none"
    return f"{best[1]} ({group_of.get(best[1], '–')}, cosine {best[2]:.2f} with {best[0]})"


def _formulaic_words(t: pd.DataFrame, n: int) -> str:
    f = t[t["kind"] == "formulaic"]
    if f.empty:
        return "none formulaic"
    return (f"the formulaic ones are each in {int(f['documents'].min())}–"
            f"{int(f['documents'].max())} of the corpus's {n} documents")


def _passages_caption(t: pd.DataFrame) -> str:
    kinds = t["kind"].value_counts() if len(t) else {}
    parts = [f"{k} {int(kinds[k])}" for k in ("copy", "template", "formulaic") if k in kinds]
    return _plural(len(t), "shared passage") + (f" ({', '.join(parts)})" if parts else "")


def _separating_topics(prev: pd.DataFrame, compare: list) -> list[str]:
    """For each group, the topic that sets it apart from the other groups, by a stated
    rule: the group's share at least MIN_TOPIC_SHARE, a lead of MIN_TOPIC_LEAD (points of
    the groups' tokens) or more over the other groups' mean, and (where there are
    intervals) its interval above each other group's. Otherwise: no clear difference."""
    share = prev.pivot_table(index="topic", columns="group", values="share", aggfunc="first")
    lo = hi = None
    if {"ci_low", "ci_high"} <= set(prev.columns):
        lo, hi = (prev.pivot_table(index="topic", columns="group", values=c, aggfunc="first",
                                   dropna=False).reindex_like(share)
                  for c in ("ci_low", "ci_high"))
    labels = prev.groupby("topic")["label"].first() if "label" in prev.columns else None
    out = []

    def fmt(g, t):
        v = f"{share.at[t, g]:.0%}"
        if lo is not None and pd.notna(lo.at[t, g]):
            v += f" ({lo.at[t, g]:.0%}–{hi.at[t, g]:.0%})"
        return f"{g} {v}"

    rule = (f"share ≥ {MIN_TOPIC_SHARE:.0%}, lead ≥ {MIN_TOPIC_LEAD:.0%} of tokens, "
            "intervals not overlapping")
    for g in compare:
        others = [o for o in compare if o != g and o in share.columns]
        if g not in share.columns or not others:
            continue
        gap = share[g] - share[others].mean(axis=1)
        apart = (share[g] >= MIN_TOPIC_SHARE) & (gap >= MIN_TOPIC_LEAD)
        if lo is not None:
            for o in others:
                apart &= (lo[g] > hi[o]).fillna(False)
        if apart.any():
            t = gap.where(apart).idxmax()
            name = f"topic {t}" + (f" “{labels[t]}”" if labels is not None else "")
            out.append(f"Topics: {g} stands apart from {'、'.join(others)} on {name}: "
                       f"{fmt(g, t)} vs " + ", ".join(fmt(o, t) for o in others)
                       + f" of tokens ({rule}).")
        else:
            t = gap.fillna(-float("inf")).idxmax()
            out.append(f"Topics: no clear difference of {g} from {'、'.join(others)} by the "
                       f"rule ({rule}); its largest lead, topic {t}: {fmt(g, t)} vs "
                       + ", ".join(fmt(o, t) for o in others) + ".")
    return out


def _date_column(docs: pd.DataFrame, date_column: str | None = None) -> str | None:
    """The metadata column holding the documents' dates: ``date_column`` when given, else
    the column reading finds (``bri_text._dates``: ``date``, else one named like a date,
    ``publish_date``, ``Release Time``, ``发布时间`` ..., whose values are mostly dates); a
    ``date`` column with no value does not count.

    >>> import pandas as pd
    >>> _date_column(pd.DataFrame({"doc_id": ["a"], "Release Time": ["2026年1月23日"]}))
    'Release Time'
    >>> _date_column(pd.DataFrame({"doc_id": ["a"], "date": [None]})) is None
    True
    """
    if date_column is not None and date_column not in docs.columns:
        raise MetadataError(f"date_column={date_column!r}: no such metadata column; "
                            f"columns: {[c for c in docs.columns if c != 'text']}")
    meta = docs.drop(columns="text", errors="ignore")
    if date_column != "date" and "date" in meta.columns and meta["date"].isna().all():
        meta = meta.drop(columns="date")
    return _date_source(meta, date_column, "report")


def _with_dates(corpus: Corpus, date_column: str | None) -> tuple[Corpus, str | None]:
    """(corpus, date column used): dates read as ISO into ``date`` when the column found
    is another one and the corpus has no ``date`` of its own; ``year`` from them when the
    corpus has no years."""
    docs = corpus.docs
    col = _date_column(docs, date_column)
    if col is None:
        return corpus, None
    iso = docs[col].map(lambda v: None if pd.isna(v) else _parse_date(v))
    add = {}
    use = col
    if col != "date" and ("date" not in docs.columns or docs["date"].isna().all()):
        add["date"], use = iso, "date"
    if "year" not in docs.columns or docs["year"].isna().all():
        add["year"] = pd.to_numeric(iso.str[:4], errors="coerce").astype("Int64")
    if not add:
        return corpus, col
    out = Corpus(docs.assign(**add), dropped=corpus.dropped, name=corpus.name,
                 cleaning_report=corpus.cleaning_report, removed=corpus.removed,
                 derived=corpus.derived)
    out.date_from = col                    # the column the dates were read from
    return out, use


def _by_as_text(corpus: Corpus, by: str) -> Corpus:
    """The corpus with the values of ``by`` as text (2024, not 2024.0), so that the groups
    named on the command line match them."""
    col = corpus.docs[by]
    if col.dtype == object or str(col.dtype).startswith("string"):
        return corpus
    as_text = col.map(lambda v: None if pd.isna(v) else
                      str(int(v)) if isinstance(v, float) and float(v).is_integer() else str(v))
    out = Corpus(corpus.docs.assign(**{by: as_text}), dropped=corpus.dropped, name=corpus.name,
                 cleaning_report=corpus.cleaning_report, removed=corpus.removed,
                 derived=corpus.derived)
    if hasattr(corpus, "date_from"):
        out.date_from = corpus.date_from
    return out


def _resolve_groups(docs: pd.DataFrame, by: str, compare: list) -> tuple[list, list]:
    """(values of ``by`` compared, notes): a name that is not a value itself stands for
    the one value that starts with it (else contains it), e.g. 广西 for 广西壮族自治区;
    otherwise MetadataError listing the values and the closest matches.

    >>> import pandas as pd
    >>> d = pd.DataFrame({"province": ["广西壮族自治区", "新疆维吾尔自治区", "广东省"]})
    >>> _resolve_groups(d, "province", ["广西", "新疆维吾尔自治区"])[0]
    ['广西壮族自治区', '新疆维吾尔自治区']
    """
    import difflib

    if by not in docs.columns:
        raise MetadataError(f"by={by!r}: no such metadata column; columns: "
                            f"{[c for c in docs.columns if c != 'text']}")
    values = sorted({str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
                     for v in docs[by].dropna()})
    out, notes = [], []
    for g in compare:
        if g in values:
            out.append(g)
            continue
        hits = [v for v in values if v.startswith(g)] or [v for v in values if g in v]
        if len(hits) == 1:
            out.append(hits[0])
            notes.append(f"“{g}” stands for {by} = “{hits[0]}”")
            continue
        shown = values[:40]
        listing = "、".join(shown) + (f" and {len(values) - len(shown)} more"
                                     if len(values) > len(shown) else "")
        close = hits or difflib.get_close_matches(g, values, n=5, cutoff=0.3)
        what = (f"is part of {len(hits)} values" if hits else "is not a value")
        raise MetadataError(f"compare={g!r} {what} of {by!r}"
                            + (f"; closest: {'、'.join(close[:10])}" if close else "")
                            + f"; values of {by!r}: {listing}")
    if len(set(out)) != len(out):
        raise ParameterError(f"compare names the same group twice: {compare} -> {out}")
    return out, notes


def _choose_test(test: str, n_target: int, n_reference: int) -> tuple[str, str]:
    """(keyness measure, why, in words) for ``test``: "auto" is document-level (Welch's t)
    when both sides have MIN_DOCS_DOCUMENT_TEST documents or more, token-level (log-odds
    z) otherwise; "document", "token" or a measure of :func:`bri_text.keyness` as asked.

    >>> _choose_test("auto", 55, 166)[0], _choose_test("auto", 1, 1)[0]
    ('welch', 'log_odds')
    """
    from ..compare import DOC_MEASURES as _DOC_MEASURES, MEASURES as _MEASURES

    sizes = f"{n_target} and {n_reference} documents"
    if test == "auto":
        if min(n_target, n_reference) >= MIN_DOCS_DOCUMENT_TEST:
            return "welch", (f"chosen because both sides have at least "
                             f"{MIN_DOCS_DOCUMENT_TEST} documents ({sizes}); --test token "
                             "gives the token-level log-odds instead")
        return "log_odds", (f"chosen because a side has fewer than {MIN_DOCS_DOCUMENT_TEST} "
                            f"documents ({sizes}): no test of the groups is reliable, so "
                            "the p-values describe these texts")
    measure = TESTS.get(test, test)
    if measure not in _MEASURES:
        raise ParameterError(f"test must be 'auto', 'document', 'token' or one of "
                             f"{_MEASURES}, got {test!r}")
    if measure in _DOC_MEASURES and min(n_target, n_reference) < 2:
        raise ParameterError(f"test={test!r} (document-level) needs at least 2 documents on "
                             f"each side; here {sizes}: use test='token'")
    return measure, f"as asked (test={test!r}; {sizes})"


def _passage_document_counts(passages, corpus: Corpus, ngram: int, share: float,
                             max_df: float) -> tuple[list, list]:
    """For each passage: (documents of ``corpus`` holding it, formulaic over ``corpus``).
    A document holds a passage when it has at least ``share`` of the passage's ``ngram``-
    character shingles (normalised as :func:`bri_text.text_reuse` does); a passage is
    formulaic, as text_reuse's rule on the whole corpus, when at least ``share`` of its
    shingles are in more than ``max_df`` of the documents (at least 3)."""
    import math

    from ..reuse import _Norm

    from scipy import sparse

    n = len(corpus)
    limit = max(2, min(max(3, int(math.floor(max_df * n))), n))
    hashes = [np.unique(_Norm(p, ngram).hashes) for p in passages]
    if not passages:
        return [], []
    wanted = np.unique(np.concatenate(hashes))
    rows, cols = [], []                      # documents x wanted shingles
    for d, text in enumerate(corpus.texts):
        h = np.unique(_Norm(text, ngram).hashes)
        hit = np.searchsorted(wanted, h[np.isin(h, wanted, assume_unique=True)])
        rows.append(np.full(len(hit), d))
        cols.append(hit)
    X = sparse.csr_matrix((np.ones(sum(map(len, cols)), dtype=np.int32),
                           (np.concatenate(rows), np.concatenate(cols))),
                          shape=(n, len(wanted)))
    df = np.asarray(X.sum(axis=0)).ravel()  # documents holding each shingle
    P = sparse.csr_matrix((np.ones(sum(map(len, hashes)), dtype=np.int32),
                           (np.repeat(np.arange(len(hashes)), [len(h) for h in hashes]),
                            np.searchsorted(wanted, np.concatenate(hashes)))),
                          shape=(len(hashes), len(wanted)))
    held = (P @ X.T).toarray()               # passages x documents: shingles in common
    sizes = np.array([len(h) for h in hashes])
    # the pair itself holds the passage even where edits leave it under ``share``
    counts = [max(2, int(c)) for c in (held >= share * np.maximum(sizes, 1)[:, None])
              .sum(axis=1)]
    formulaic = [bool(len(h) and (df[np.searchsorted(wanted, h)] > limit).mean() >= share)
                 for h in hashes]
    return counts, formulaic


# ------------------------------------------------------------------------------- main
def _command(compare, by, topics, seed, out, corpus, metadata, top_n, n_boot, errors,
             text_column, test="auto", dictionary=None, orientation=None,
             date_column=None) -> str:
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
    for name, value, default in (("test", test, "auto"), ("dictionary", dictionary, None),
                                 ("orientation", orientation, None),
                                 ("date_column", date_column, None)):
        if value != default:
            args.append(f"{name}={str(value) if isinstance(value, Path) else value!r}")
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
           test: str = "auto", dictionary=None, orientation: bool | None = None,
           date_column: str | None = None, progress=None,
           command: str | None = None) -> Report:
    """Write a comparative report of the groups ``compare`` (values of the metadata column
    ``by``) into the folder ``out``; return a :class:`Report`.

    ``corpus``: None (the built-in corpus), a Corpus, a folder of documents (with
    ``metadata``: a CSV with a ``file`` column), or a ``.csv`` / ``.jsonl`` file (its text
    in the column ``text_column``, default ``text``). ``errors="skip"``: files of a folder
    that cannot be read are left out (listed on the page and in the manifest) instead of
    stopping the report. ``topics``: K of the topic model (0 skips topics). ``seed``:
    random_state of every bootstrap and of the topic model. ``top_n``: key terms shown per
    direction; ``n_boot``: bootstrap replicates. ``test``: the keyness test, ``"auto"``
    (document-level, Welch's t, when both sides have at least 5 documents; token-level
    log-odds otherwise, worded as differences between these texts), ``"document"``,
    ``"token"`` or a measure of :func:`bri_text.keyness`; the page says which and why.
    ``dictionary``: the profile's categories, a ``term<TAB>category`` file or a dict as
    :func:`bri_text.profile` accepts (always shown), or ``"five_connectivities"`` (shown
    even when it hardly occurs); None shows the five connectivities only when they cover
    the compared documents (:data:`COVERAGE_PER_10K`), else one sentence says why not.
    ``orientation``: None (shown when place names cover the documents), True or False.
    ``date_column``: the metadata column of the documents' dates (default: found by name,
    ``bri_text._dates``). A name in ``compare`` that is not a value of ``by`` stands for
    the one value starting with (else containing) it, e.g. 广西 for 广西壮族自治区; the page
    says which. ``progress``: a progress bar over the
    steps (default: on a terminal only). ``command``: the command line to record (the CLI
    passes its own).

    ``out`` must not be inside the corpus folder, and a folder's own report output (a page
    this function wrote, files an earlier report's manifest lists) is never read as a
    document. Rerunning into the same ``out`` first removes the files the earlier report
    listed in its manifest (never anything else), so the folder holds this run's files.

    Sections: corpus overview; keyness both ways with stability; KWIC evidence; dictionary
    profile (five connectivities) with intervals; geographic orientation with the number
    of mentions; topics (FREX labels, prevalence with intervals, trends by year); document
    similarity (each group's nearest neighbours and the direct pairs between the groups);
    text reuse among the groups and from national documents, each passage with the number
    of the corpus's documents holding it (formulaic judged over the whole corpus). A
    section whose input is missing (fewer than 3 years, no national documents, a
    dictionary that does not cover the corpus) is replaced by a sentence saying why.
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
    if test != "auto":
        _choose_test(test, 2, 2)                 # a name it does not know: raise now
    if orientation not in (None, True, False):
        raise ParameterError(f"orientation must be None, True or False, got {orientation!r}")
    out = Path(out)
    _check_out(out, corpus)
    params = {"compare": compare, "by": by, "topics": topics, "top_n": top_n,
              "n_boot": n_boot, "corpus": None if corpus is None else str(corpus),
              "metadata": None if metadata is None else str(metadata),
              "errors": errors, "text_column": text_column,
              "tokenizer": "Tokenizer(stopwords=('general', 'policy'), min_length=2)",
              "units": "paragraph", "test": test,
              "dictionary": None if dictionary is None else str(dictionary),
              "orientation": orientation, "date_column": date_column,
              "topic_iterations": TOPIC_ITERATIONS}
    cmd = command or _command(compare, by, topics, seed, out, corpus, metadata, top_n, n_boot,
                              errors, text_column, test, dictionary, orientation, date_column)
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
        loaded, source, left_out = _load(corpus, metadata, errors, text_column)
        groups, notes = _resolve_groups(loaded.docs, by, compare)  # before anything is written
        dated, date_col = _with_dates(loaded, date_column)
        dated = _by_as_text(dated, by)
        out.mkdir(parents=True, exist_ok=True)
        removed = _clear_earlier(out)
        writer = _Writer(out)
        run = _Run(dated, source, groups, by, topics, seed, top_n, n_boot, writer,
                   progress, test=test, dictionary=dictionary, orientation=orientation,
                   date_column=date_col, group_notes=notes)
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
    params["groups"] = groups
    params["date_column_used"] = getattr(dated, "date_from", date_col)
    params["keyness_tests"] = run.tests
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
