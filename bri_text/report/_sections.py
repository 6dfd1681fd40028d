"""The report's sections on terms: overview, key terms with their contexts, dictionary
profile and geographic orientation (the models' sections are in ``_model_sections``)."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .. import plot
from .._lexicons import BRI_SHARE, FIVE_CONNECTIVITIES, bri_documents, load_self_references
from ..compare import (DOC_MEASURES as _DOC_MEASURES, keyness as _keyness,
                       orientation as _orientation, own_names as _own_names,
                       profile as _profile)
from .._util import warn_left_out
from ..corpus import NEAR_DUPLICATE, NEAR_MIN_CHARS
from ..features import dtm, kwic as _kwic
from ..segment import Tokenizer, fragments as _fragments, tokenize
from ._inputs import _decades_call
from ._model_sections import _ModelSections
from ._page import Section
from ._policy_sections import _PolicySections
from ._rules import (_TEST_NAMES, COVERAGE_PER_10K, FEW_MENTIONS, KWIC_CONTEXTS, KWIC_TERMS,
                     EXACT_SPLITS, PERMUTATIONS, PERMUTATIONS_PER_TERM, TEST_MIN_DOCS, _choose_test, _interval_words,
                     _Copies, _copy_words, _plural, _spread, _tokenizer_call, _tokens_call,
                     _top, _without_names_call, own_names_what)

# --------------------------------------------------------------------------- sections
def _year_coverage(years) -> str:
    """The years present, consecutive ones as a range: a gap shows, where "first–last"
    would read as coverage.

    >>> _year_coverage([2017, 2013, 2015, 2016, 2018, 2017])
    '2013, 2015–2018'
    >>> _year_coverage([2015, 2017]), _year_coverage([2016]), _year_coverage([])
    ('2015, 2017', '2016', '')
    """
    runs: list[list[int]] = []
    for y in sorted({int(y) for y in years}):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _years_of(docs: pd.DataFrame) -> dict:
    """What the documents cover in time: ``years`` (:func:`_year_coverage`), ``n_years``
    (years with a document), ``undated`` (documents without a year) and
    ``documents_per_year`` ({year as text: documents})."""
    year = (pd.to_numeric(docs["year"], errors="coerce") if "year" in docs.columns
            else pd.Series(np.nan, index=docs.index))
    counts = year.dropna().astype(int).value_counts().sort_index()
    return {"years": _year_coverage(counts.index), "n_years": int(len(counts)),
            "undated": int(year.isna().sum()),
            "documents_per_year": {str(y): int(n) for y, n in counts.items()}}


def _permutations(n_target: int, n_reference: int, n_boot: int, n_terms: int = 0) -> int:
    """Relabellings of the report's permutation test: every split of the documents when
    they number at most EXACT_SPLITS (exact p), else at most max(PERMUTATIONS, ``n_boot``,
    PERMUTATIONS_PER_TERM x ``n_terms``, the terms tested), each term stopping once
    STOP_HITS of them reach its |t|.

    >>> _permutations(5, 10, 200), _permutations(5, 47, 200), _permutations(5, 47, 5000)
    (3003, 2000, 5000)
    >>> _permutations(8, 8, 200, n_terms=3500)          # 12,870 splits: 20 per term
    70000
    """
    from ..compare import n_relabellings

    splits = n_relabellings(n_target, n_reference)
    n = max(PERMUTATIONS, n_boot, PERMUTATIONS_PER_TERM * n_terms)
    return max(max(PERMUTATIONS, n_boot), splits) if splits <= EXACT_SPLITS else n


def _terms_in_documents(m, rows, min_docs: int) -> int:
    """How many terms of the matrix ``m`` are in at least ``min_docs`` of the documents
    (``parent_id``) of the units ``rows`` (mask): the terms keyness(min_docs=) tests."""
    from scipy import sparse

    idx = np.flatnonzero(rows)
    if not len(idx):
        return 0
    parent = m.docs["parent_id"] if "parent_id" in m.docs.columns else m.docs["doc_id"]
    codes, _ = pd.factorize(parent.to_numpy()[idx])
    ind = sparse.csr_matrix((np.ones(len(idx)), (codes, np.arange(len(idx)))),
                            shape=(int(codes.max()) + 1, len(idx)))
    per_doc = (ind @ sparse.csr_matrix(m.counts)[idx]).tocsc()
    per_doc.eliminate_zeros()
    return int((np.diff(per_doc.indptr) >= min_docs).sum())


def _absent_words(p: pd.DataFrame) -> str:
    """The categories of a profile that no compared document matches, in words: their 0
    is what the texts say, or a misspelt entry.

    >>> _absent_words(pd.DataFrame({"category": ["债务", "数字", "债务"], "count": [0, 3, 0]}))
    '; no entry of 债务 occurs in them: 0 is what they say, or an entry is misspelt'
    """
    total = p.groupby("category", sort=False)["count"].sum()
    absent = [str(c) for c, n in total.items() if n == 0]
    if not absent:
        return ""
    return (f"; no entry of {'、'.join(absent)} occurs in them: 0 is what they say, or an "
            "entry is misspelt")


def _few_documents_words(top: pd.DataFrame, group: str, n_docs: int) -> str:
    """The key terms that fewer than half of the group's documents hold, in words: a
    token-level ranking puts a passage repeated in one or two documents first.

    >>> _few_documents_words(pd.DataFrame({"term": ["线上", "民族"], "docs_target": [2, 5]}),
    ...                      "west", 7)
    "; of these, in fewer than half of west's 7 documents: 线上 (2)"
    """
    if n_docs < 3 or "docs_target" not in top.columns:
        return ""
    few = top[top["docs_target"] * 2 < n_docs]
    if few.empty:
        return ""
    return (f"; of these, in fewer than half of {group}'s {n_docs} documents: "
            + "、".join(f"{t} ({int(n)})" for t, n in zip(few["term"], few["docs_target"])))


def _own_names_words(counts: dict, groups: list, n_other: int,
                     self_references: bool = True) -> str:
    """The one sentence naming the own names and self-references left out of the key
    terms, the topics and the similarity, with their counts in each compared group and in
    the other documents (``counts``: {term: [n in each group..., n in the others]}).
    ``self_references``: whether the self-references were left out (some compared
    document sub-national); else the sentence says they were kept.

    >>> _own_names_words({"全区": [5, 0, 1], "全省": [0, 5, 2]}, ["自治区", "省"], 3).split("; ")[-1]
    'count in 自治区 / 省 / the other 3 documents: 全省 0/5/2, 全区 5/0/1.'
    >>> said = _own_names_words({}, ["李克强", "温家宝"], 0, self_references=False)
    >>> said[58:91], said.split("keeps them); ")[1][:59]
    ("the compared documents' own names", 'not the self-references of lexicons/self_references.txt (全省')
    """
    kept = ("" if self_references else
            "; not the self-references of lexicons/self_references.txt (全省, 自治区 …), "
            "kept: no compared document is sub-national (a level other than national, or a "
            "column naming a province or city), and in a national document these words "
            "are content")
    what = ("Left out of the key terms, the topics and the similarity: the compared "
            f"documents' {own_names_what(self_references)}, which say which government "
            "wrote a document, not what it says (keyness exclude='own_names', and the same "
            "words dropped from the tokens of the topics and similarity, "
            "tokens_without_names above; --keep-names keeps them)" + kept)
    if not counts:
        return what + ": none occurs in these documents."
    sides = " / ".join(groups) + (f" / the other {_plural(n_other, 'document')}"
                                  if n_other else "")
    order = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return (what + f"; count in {sides}: "
            + ", ".join(f"{t} {'/'.join(map(str, c if n_other else c[:-1]))}"
                        for t, c in order) + ".")


def _tested_words(every: pd.DataFrame, measure: str, n_boot) -> str:
    """What a document-level table tested: the terms (``min_docs``), the relabellings and
    the smallest p they allow, and whether that floor keeps terms from q < .05."""
    from ..compare import floor_binds as _floor_binds

    a = every.attrs
    out = (f"Tested: the {a.get('n_terms_tested', len(every)):,} terms found in at least "
           f"{a.get('min_docs') or 1} of the compared documents (rarer terms cannot reach a "
           "small p). ")
    if measure != "permutation" or a.get("min_p") is None:
        return out
    from ..compare import n_relabellings

    if a.get("p_exact"):
        # exact: every split was enumerated, however many relabellings were allowed (n_boot)
        splits = (n_relabellings(a["n_docs_target"], a["n_docs_reference"])
                  if "n_docs_target" in a and "n_docs_reference" in a else a.get("n_boot"))
        out += (f"p: the share of all the {splits:,} splits of the documents into "
                "groups of these sizes whose |t| is at least the observed one (exact)")
    elif a.get("stop_hits"):
        drawn = round(1 / a["min_p"]) - 1 if a.get("min_p") else n_boot
        out += (f"p: random relabellings of the documents, at most {n_boot:,}; a term's "
                f"stop once {a['stop_hits']} of them reach its |t|, and its p is "
                f"{a['stop_hits']} / the relabellings drawn (Besag & Clifford 1991), else "
                f"(1 + those reaching it) / {drawn + 1:,}")
        if drawn < n_boot:
            out += (f"; every term stopped at {drawn:,}, as the terms none of them reached "
                    "already had q <= .01, so more could not change which terms pass")
    else:
        out += (f"p: (1 + the relabellings whose |t| is at least the observed one) / "
                f"{n_boot + 1:,}, over {n_boot:,} random relabellings of the documents")
    out += f"; the smallest p possible is {a['min_p']:.2g}. "
    floor = _floor_binds(every["p_value"], a["min_p"], a.get("p_exact"), len(every))
    if floor:
        k, q, need = floor
        out += (f"{_plural(k, 'term')} at that smallest p {'has' if k == 1 else 'have'} "
                f"q = {q:.2f}: " + (f"more relabellings (--n-boot {need}) could bring "
                                    "them below .05. " if need else
                                    "only more documents could bring them below .05. "))
    return out


#: the keyness columns of one side and the other: swapped when a table is read the other way
_SIDES = (("count_target", "count_reference"), ("docs_target", "docs_reference"),
          ("rate_target", "rate_reference"), ("doc_rate_target", "doc_rate_reference"),
          ("n_units_target", "n_units_reference"), ("n_tokens_target", "n_tokens_reference"),
          ("n_docs_target", "n_docs_reference"))


def _other_way(every: pd.DataFrame) -> pd.DataFrame:
    """A keyness table of target against reference read the other way (reference against
    target): scores and log ratios negated, the sides' columns and attrs swapped, sorted as
    keyness sorts (score descending, ties by term). The p- and q-values stay: a two-sided
    test of |t| over relabellings of the documents asks the same of both directions, and
    one run of it answers both (the same relabellings, so a term has one p).

    >>> t = pd.DataFrame({"term": ["东盟", "中亚"], "score": [2.0, -1.0], "p_value": [.01, .2],
    ...                   "count_target": [5, 0], "count_reference": [0, 3]})
    >>> t.attrs["labels"] = ("广西", "新疆")
    >>> o = _other_way(t)
    >>> o[["term", "score", "p_value", "count_target"]].values.tolist(), o.attrs["labels"]
    ([['中亚', 1.0, 0.2, 3], ['东盟', -2.0, 0.01, 0]], ('新疆', '广西'))
    """
    out = every.copy()
    for a, b in _SIDES:
        if a in out.columns and b in out.columns:
            out[a], out[b] = every[b].to_numpy(), every[a].to_numpy()
    for c in ("score", "log_ratio"):
        if c in out.columns:
            out[c] = -every[c].to_numpy()
    order = np.lexsort((out["term"].to_numpy(), -out["score"].to_numpy()))
    out = out.iloc[order].reset_index(drop=True)
    attrs = dict(every.attrs)
    for a, b in _SIDES:
        if a in attrs and b in attrs:
            attrs[a], attrs[b] = attrs[b], attrs[a]
    if attrs.get("labels"):
        attrs["labels"] = tuple(attrs["labels"])[::-1]
    if attrs.get("excluded"):
        attrs["excluded"] = {t: [b, a] for t, (a, b) in attrs["excluded"].items()}
    out.attrs = attrs
    return out


def _largest(every: pd.DataFrame, n: int) -> list:
    """The terms more frequent in the target at q < .05 with the largest difference in mean
    per-document rate (the document-level tests' effect size), largest first."""
    sig = every[(every["score"] > 0) & (every["q_value"] < 0.05)]
    if "doc_rate_target" in sig.columns:
        diff = sig["doc_rate_target"] - sig["doc_rate_reference"]
        sig = sig.assign(_diff=diff).sort_values("_diff", ascending=False, kind="stable")
    return sig["term"].head(n).tolist()


class _Run(_ModelSections, _PolicySections):
    """State shared by the report's steps."""

    def __init__(self, corpus, source, compare, by, topics, seed, top_n, n_boot, writer,
                 progress=None, test="auto", dictionary=None, orientation=None,
                 date_column=None, group_notes=(), codebook=None, duplicates=(),
                 keep_duplicates=False, places=None, user_dict=None, user_words=(),
                 keep_names=False):
        self.corpus, self.source = corpus, source
        self.compare, self.by, self.k = list(compare), by, topics
        self.seed, self.top_n, self.n_boot = seed, top_n, n_boot
        self.test, self.dictionary, self.want_orientation = test, dictionary, orientation
        self.date_col, self.group_notes = date_column, list(group_notes)
        self.codebook, self.places = codebook, places
        # words of the researcher's own for the tokenizer (a file as given, or a frozenset)
        self.user_dict, self.user_words = user_dict, list(user_words)
        self.duplicates, self.keep_duplicates = list(duplicates), keep_duplicates
        # key terms without the documents' own names and self-references (keyness exclude=),
        # topics and similarity without them too (tokens_without_names)
        self.keep_names = keep_names
        self.exclude = None if keep_names else "own_names"
        self.copies = _Copies(self.duplicates if keep_duplicates else ())
        self.w = writer
        self.sections: list[Section] = []
        self.findings: list[str] = []
        self.tests: dict = {}
        self.resample = "two-stage"
        # inner progress bars (segmenting, topic model, reuse) follow the report's
        self.pkw = {} if progress is None else {"progress": bool(progress)}

    def _in(self, docs) -> "pd.Series":
        return docs[self.by].astype("string").isin(self.compare).fillna(False)

    @staticmethod
    def _documents(docs) -> "pd.Series":
        """The document of each row: ``parent_id`` when the rows are parts of documents
        (a table read with ``document_column``), else ``doc_id``."""
        return docs["parent_id"] if "parent_id" in docs.columns else docs["doc_id"]

    def _document_column(self) -> str:
        """The column that named each row's document, as the reader recorded it."""
        import re

        said = re.match(r"from column '(.+?)'", self.corpus.derived.get("parent_id", ""))
        return f"“{said.group(1)}”" if said else "“parent_id”"

    def _n_documents(self, docs, mask=None) -> int:
        ids = self._documents(docs)
        return int((ids if mask is None else ids[np.asarray(mask, dtype=bool)]).nunique())

    def _compared_call(self) -> str:
        return (f"tokens.subset(tokens.docs[{self.by!r}].isin({self.compare!r})"
                ".to_numpy())")

    def _is(self, docs, g) -> "np.ndarray":
        return docs[self.by].astype("string").eq(g).fillna(False).to_numpy(bool)

    # -- step 0
    def prepare(self):
        docs = self.corpus.docs
        self.tokenizer = Tokenizer(stopwords=("general", "policy"), min_length=2,
                                   user_dict=self.user_dict)
        self.units = self.corpus.reshape("paragraph")
        self.tokens = tokenize(self.units, tokenizer=self.tokenizer, **self.pkw)
        self.in_compare = self._in(self.tokens.docs).to_numpy(bool)
        self.sub = self.tokens.subset(self.in_compare)
        n_docs = self._documents(docs)[self._in(docs)].groupby(
            docs[self.by].astype("string")).nunique()
        self.n_docs = {g: int(n_docs.get(g, 0)) for g in self.compare}
        # one document per group: intervals can only resample its paragraphs
        if min(self.n_docs.values()) < 2:
            self.resample = "unit"
        lengths = pd.Series([len(t) for t in self.tokens.tokens])
        self.n_tokens = {g: int(lengths[self._is(self.tokens.docs, g)].sum())
                         for g in self.compare}
        self._without_names()

    def _without_names(self) -> None:
        """``own_names``: the compared documents' own names and self-references found in
        the tokens (:func:`bri_text.compare.own_names`; none with ``keep_names``),
        ``own_name_counts`` ({term: [count in each compared group..., in the other
        documents]}) and ``model_tokens``, the tokens of the topics and similarity: those of
        every section without these words (``tokens.drop_words``; ``tokens`` itself when
        none)."""
        self.own_names, self.own_name_counts = [], {}
        self.model_tokens = self.tokens
        self.self_references = False
        if self.keep_names:
            return
        docs = self.corpus.docs
        names, _ = _own_names(docs[self._in(docs)].drop(columns="text"))
        # own_names adds every self-reference when some compared document is sub-national
        self.self_references = load_self_references() <= names
        found: dict = {}
        in_group = {g: self._is(self.tokens.docs, g) for g in self.compare}
        for i, tokens in enumerate(self.tokens.tokens):
            hits = [t for t in tokens if t in names]
            if not hits:
                continue
            g = next((g for g, m in in_group.items() if m[i]), None)
            col = len(self.compare) if g is None else self.compare.index(g)
            for t in hits:
                found.setdefault(t, [0] * (len(self.compare) + 1))[col] += 1
        self.own_name_counts = dict(sorted(found.items(), key=lambda kv: (-sum(kv[1]), kv[0])))
        self.own_names = sorted(found)
        if found:     # these tokens less the names, not segmented again (session 44)
            self.model_tokens = self.tokens.drop_words(frozenset(found))

    # -- 1
    def overview(self):
        docs = self.corpus.docs
        tdocs = self.tokens.docs.assign(n_tokens=[len(t) for t in self.tokens.tokens])
        rows = []
        self.years = {}                 # for the manifest: documents per year, per group
        for g in self.compare + [None]:
            name = "(whole corpus)" if g is None else g
            d = docs if g is None else docs[self._is(docs, g)]
            u = tdocs if g is None else tdocs[self._is(tdocs, g)]
            self.years[name] = years = _years_of(d)
            rows.append({"group": name,
                         "documents": self._n_documents(d),
                         **({"rows": len(d)} if "parent_id" in d.columns else {}),
                         "paragraphs": len(u),
                         "characters": int(d["text"].str.len().sum()),
                         "tokens_after_stopwords": int(u["n_tokens"].sum()),
                         "years": years["years"], "n_years": years["n_years"],
                         "undated": years["undated"]})
        counts = pd.DataFrame(rows)
        cols = [c for c in ("doc_id", self.by, "city", "level", "kind", "date", "title")
                if c in docs.columns]
        cols = list(dict.fromkeys(cols))
        listed = docs[self._in(docs)]
        listed = listed[cols].assign(characters=listed["text"].str.len())
        s = Section("overview", "Corpus overview",
                    f"{_plural(self._n_documents(docs), 'document')}"
                    + (f" (in {_plural(len(docs), 'row')}, each a part of the document "
                       f"its column {self._document_column()} names; tests, intervals and "
                       "counts of documents count whole documents)"
                       if "parent_id" in docs.columns else "")
                    + f" from {self.source}; compared by "
                    f"“{self.by}”: {' · '.join(self.compare)}. Paragraphs are the units of "
                    "analysis; results are aggregated to groups. Every section counts the "
                    "same tokens: the paragraphs segmented with general and policy "
                    "stopwords removed and single characters left out"
                    + self._user_words_note() + " (the topic model "
                    "then keeps only the words of its vocabulary)"
                    + ("; the key terms, the topics and the similarity without the "
                       f"compared documents' {own_names_what(self.self_references)} "
                       "(listed under "
                       "the key terms; --keep-names keeps them)" if self.own_names else "")
                    + ". Each table names the "
                    "call that reproduces it from these tokens, after "
                    "import bri_text as bt and corpus = the corpus read as in the command "
                    "at the end of the page:")
        dropped = self.duplicates and not self.keep_duplicates
        decades = getattr(self.corpus, "decade_from", None)   # --by decade, derived
        s.blocks.append({"kind": "code", "text": (
            f"corpus = corpus.drop_duplicates(threshold={NEAR_DUPLICATE})   # exact and near "
            "duplicates left out, as here\n" if dropped else "")
            + (_decades_call(decades) + "\n" if decades else "") + _tokens_call(self.user_dict)
            + ("\n" + _without_names_call(self.own_names, self.self_references)
               if self.own_names else "")})
        if self.duplicates:
            s.blocks.append({"kind": "note", "text": self._duplicates_note()})
        for note in self.group_notes:
            s.blocks.append({"kind": "note", "text": f"--compare: {note}."})
        outside = self._outside_note()
        if outside:
            s.blocks.append({"kind": "note", "text": outside})
        s.blocks.append(self.w.table("overview", counts, "Size of each compared group; "
                                     "years: those with a document (a gap is a year "
                                     "without one), n_years: how many, undated: documents "
                                     "without a year",
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

    def _user_words_note(self) -> str:
        """The words the tokenizer was given (--user-dict), for the overview; "" if none."""
        if self.user_dict is None:
            return ""
        shown = "、".join(self.user_words[:10]) + (
            f" and {len(self.user_words) - 10} more" if len(self.user_words) > 10 else "")
        source = ("the words given (user_dict)" if isinstance(self.user_dict, frozenset)
                  else f"the words of {Path(str(self.user_dict)).name} (--user-dict)")
        return f", {source} kept whole: {shown}"

    def _outside_note(self) -> str:
        """The sentence on the documents outside the compared groups: those with no value
        of ``by`` named (the library's rule for ``by=``, with its one warning, which the
        manifest lists), those of other groups counted; "" when every document is compared.
        Sets ``self.outside`` for the manifest."""
        docs = self.corpus.docs
        value = docs[self.by].astype("string").str.strip()
        missing = value.isna() | value.eq("")
        missing = missing.fillna(True).to_numpy(bool)
        other = ~missing & ~self._in(docs).to_numpy(bool)
        no_value = docs["doc_id"][missing].tolist()
        groups = value[other].value_counts().to_dict()
        self.outside = {"no_value": no_value, "other_groups": {str(g): int(n) for g, n in
                                                               groups.items()}}
        if not no_value and not groups:
            return ""
        parts = []
        if no_value:
            warn_left_out(missing, docs, self.by, "report")
            parts.append(
                f"{_plural(len(no_value), 'document')} with no value in “{self.by}”, left "
                f"out of the comparison: {'、'.join(no_value)}; to compare them, give them "
                f"a value (a “{self.by}” column in the metadata file, or "
                f"corpus.docs[{self.by!r}] = corpus.docs[{self.by!r}].fillna(VALUE))")
        if groups:
            parts.append(f"{_plural(int(sum(groups.values())), 'document')} of other "
                         f"groups: " + ", ".join(f"{g} {n}" for g, n in groups.items()))
        n = len(no_value) + int(sum(groups.values()))
        return (f"Outside the compared groups: {n} of {_plural(len(docs), 'document')}. "
                + "; ".join(parts) + ". They count in the whole-corpus rows and in the "
                "sections on the whole corpus (similarity, topics), not in the comparison.")

    def _duplicates_note(self) -> str:
        """The sentence on the duplicates: left out (which, and by what rule) or kept."""
        pairs = "; ".join(f"{c['doc_id']}: {_copy_words(c)}" + (
            f" ({self.by}: {c['group'] or '–'} vs {c['group_of_duplicate_of'] or '–'})"
            if c["group"] != c["group_of_duplicate_of"] else "") for c in self.duplicates)
        n = _plural(len(self.duplicates), "document")
        if self.keep_duplicates:
            return (f"Duplicates kept as asked (--keep-duplicates): {n} repeating an earlier "
                    f"one word for word or nearly, counted twice in every table below (the "
                    f"key findings pass the pairs over): {pairs}.")
        return (f"Duplicates left out: {n} repeating another one word for word "
                "(whitespace aside) or nearly (near-duplicates: at least "
                f"{NEAR_DUPLICATE:.0%} of their 5-character pieces shared, Jaccard, once "
                "spacing, punctuation and character widths are set aside: the same text "
                "with another byline, an attachment line or a few characters changed; a text "
                f"under {NEAR_MIN_CHARS} characters only when the same but for spacing and "
                "punctuation); of "
                "each text the document with the most metadata is kept, then one whose name "
                "does not look like a copy (报告(1), 报告 - 副本), then the first in corpus "
                f"order (a folder's files by name, a table's rows in order): {pairs}. No count, similarity, topic or reuse "
                "frequency below includes them; --keep-duplicates (keep_duplicates=True) "
                "keeps them.")

    # -- 2, 3
    def keyness(self):
        self.matrix = dtm(self.tokens)
        s = Section("keyness", "Distinctive terms (keyness)", "")
        self.key_terms = {}
        intro = []
        first = None          # the first comparison's table of every term, its measure
        if self.exclude:
            docs = self.corpus.docs
            s.blocks.append({"kind": "note", "text": _own_names_words(
                self.own_name_counts, self.compare, int((~self._in(docs)).sum()),
                self.self_references)})
        for i, g in enumerate(self.compare):
            others = [o for o in self.compare if o != g]
            ref = {self.by: others} if others else None
            ref_label = "、".join(others) if others else "all other documents"
            docs = self.corpus.docs
            n_t = self._n_documents(docs, self._is(docs, g))
            n_r = (self._n_documents(docs, self._in(docs).to_numpy(bool) & ~self._is(docs, g))
                   if others else self._n_documents(docs, ~self._is(docs, g)))
            measure, why = _choose_test(self.test, n_t, n_r)
            doc_level = measure in _DOC_MEASURES
            resampled = measure in ("bootstrap_test", "permutation")
            n_terms = 0
            if measure == "permutation":
                # the terms keyness(min_docs=) will test: the relabellings scale with them
                rows = self._is(self.matrix.docs, g) | (
                    self._in(self.matrix.docs).to_numpy(bool) if others else True)
                n_terms = _terms_in_documents(self.matrix, rows, TEST_MIN_DOCS)
            n_boot = ((_permutations(n_t, n_r, self.n_boot, n_terms)
                       if measure == "permutation" else self.n_boot or None)
                      if resampled or not doc_level else None)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*left out.*")
                kw = dict(target={self.by: g}, reference=ref, measure=measure,
                          random_state=self.seed, exclude=self.exclude)
                if doc_level:
                    kw["min_docs"] = TEST_MIN_DOCS
                else:
                    kw["resample"] = self.resample
                # every term tested (the table keeps top_n a side): what q < .05 counts.
                # Two groups, the permutation test: the second direction is the first read
                # the other way (one run, the same relabellings: one p per term)
                mirror = (len(self.compare) == 2 and i == 1 and measure == "permutation"
                          and first is not None and first[1] == measure)
                every = (_other_way(first[0]) if mirror else
                         _keyness(self.matrix, n_boot=n_boot if resampled else None, **kw))
                first = (every, measure) if i == 0 else first
                t = _keyness(self.matrix, n_boot=n_boot, top_n=self.top_n, **kw) \
                    if n_boot and not resampled else _top(every, self.top_n)
            self.tests[g] = {"measure": measure, "test": t.attrs.get("test"),
                             "documents": [n_t, n_r], "why": why,
                             "n_boot": n_boot, "min_p": every.attrs.get("min_p"),
                             "min_docs": kw.get("min_docs"),
                             "terms_tested": every.attrs.get("n_terms_tested"),
                             "excluded": every.attrs.get("excluded"),
                             # the second direction: the first's test read the other way
                             "same_test_as": self.compare[0] if mirror else None}
            call = (f"bt.keyness(bt.dtm(tokens), target={{{self.by!r}: {g!r}}}, "
                    f"reference={ref!r}, measure={measure!r}"
                    + (f", n_boot={n_boot}, random_state={self.seed}" if n_boot else "")
                    + (f", resample={self.resample!r}" if n_boot and not doc_level else "")
                    + (f", min_docs={TEST_MIN_DOCS}" if doc_level else "")
                    + (f", exclude={self.exclude!r}" if self.exclude else "")
                    + f", top_n={self.top_n})")
            name = f"keyness_{g}_vs_{'_'.join(others) or 'rest'}"
            # by score, then by term: the order of the figure (plot.keyness)
            pos = t[t["score"] > 0].sort_values(["score", "term"], ascending=[False, True],
                                                kind="stable")
            n_q = int(((every["score"] > 0) & (every["q_value"] < 0.05)).sum())
            sig = pos[pos["q_value"] < 0.05] if doc_level else pos
            self.key_terms[g] = (sig if doc_level and len(sig) else pos)["term"].head(
                KWIC_TERMS).tolist()
            words = "、".join(pos["term"].head(8))
            if doc_level:
                self.findings.append(
                    f"{g} vs {ref_label} ({n_t} vs {n_r} documents, document-level "
                    f"{_TEST_NAMES.get(measure, measure)}): " + (
                        (f"1 term more frequent in {g}'s documents at q < .05: "
                         f"{_largest(every, 1)[0]}." if n_q == 1 else
                         f"{n_q} terms more frequent in {g}'s documents at q < .05; of these "
                         f"the largest differences in rate: {'、'.join(_largest(every, 8))}.")
                        if n_q else
                        f"no term is more frequent in {g}'s documents at q < .05 (highest "
                        f"scores, the most consistent differences across documents: {words}"
                        + (f"; no p can be below {every.attrs['min_p']:.2g} with {n_t} and "
                           f"{n_r} documents" if every.attrs.get("p_exact") else "") + ")."))
                what = ("Document-level test (documents are the observations: a statement "
                        f"about the groups the documents come from): "
                        f"{_TEST_NAMES.get(measure, measure)}, {why}. "
                        + _tested_words(every, measure, n_boot) +
                        "Score: t of the per-document relative frequencies (count / the "
                        "document's tokens). A large score means a consistent difference "
                        "across documents, not a large one: a rare term used once in every "
                        "document of one group and never in the other can lead; the key "
                        "findings name the significant terms with the largest differences "
                        "in rate (doc_rate_target − doc_rate_reference)."
                        + (f" The test of {self.compare[0]} vs {self.compare[1]} above, read "
                           "the other way: one run of the relabellings answers both "
                           "directions, so each term has one p and counts on one side only."
                           if mirror else ""))
            else:
                self.findings.append(
                    f"Differences between these texts — {g} ({_plural(n_t, 'document')}) "
                    f"vs {ref_label} ({_plural(n_r, 'document')}): {g}'s most distinctive "
                    f"terms {words} (token-level log-odds; {n_q} at q < .05 treating every "
                    "token as independent, so not evidence about the groups)"
                    + _few_documents_words(pos.head(8), g, n_t) + ".")
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
                                "count_reference", "docs_target", "docs_reference",
                                "doc_rate_target", "doc_rate_reference",
                                "log_ratio", "stability") if c in t.columns]
            s.blocks.append(self.w.table(name, t[cols], f"Terms over-used in {g} (score > 0) "
                                         f"and in {ref_label} (score < 0); q: Benjamini-"
                                         "Hochberg over every term tested",
                                         max_rows=2 * self.top_n, call=call))
        cut = self._fragments_note()
        if cut:
            s.blocks.append({"kind": "note", "text": cut})
        self.sections.append(s)

    def _fragments_note(self) -> str | None:
        """The sentence naming strings of the compared documents that the tokenizer cuts
        into single characters (磨憨 → 磨/憨, :func:`bri_text.segment.fragments`), which
        min_length=2 leaves out of every table, and how to keep them whole (--user-dict);
        None when there is none. The words given with --user-dict are kept whole here too."""
        whole = Tokenizer(stopwords=("general", "policy"), min_length=1,
                          user_dict=self.user_dict)
        found = _fragments(tokenize(self.units.subset(self.in_compare), tokenizer=whole,
                                    progress=False))
        if found.empty:
            return None
        runs = (found.drop_duplicates("fragment_of")
                .sort_values(["run_count", "fragment_of"], ascending=[False, True]))
        self.cut_terms = runs["fragment_of"].tolist()
        named = "; ".join(f"{r.fragment_of} ({r.split}, {_plural(r.run_count, 'time')} in "
                          f"{_plural(r.n_docs, 'document')})" for r in runs.head(10).itertuples())
        more = f" and {len(runs) - 10} more" if len(runs) > 10 else ""
        one = len(runs) == 1
        if self.user_dict is None:
            how = ("write " + ("it" if one else "them") + " in a text file, one word per "
                   "line (UTF-8 or GBK), and run the report again with --user-dict FILE "
                   "(report(..., user_dict=FILE))")
            given = frozenset(self.cut_terms)
        elif isinstance(self.user_dict, frozenset):
            how = (f"add {'it' if one else 'them'} to the words given "
                   "(report(..., user_dict=...)) and run the report again")
            given = self.user_dict | frozenset(self.cut_terms)
        else:
            how = (f"add {'it' if one else 'them'} to "
                   f"{Path(str(self.user_dict)).name}, one word per line, and run the "
                   "report again")
            given = [self.user_dict, frozenset(self.cut_terms)]   # the file and these
        call = _tokenizer_call(given)
        return (f"Counted nowhere on this page: the tokenizer cuts {named}{more} into single "
                "characters, which these tokens leave out (min_length=2). To count "
                f"{'it as a word' if one else 'them as words'}, {how}; in Python, tokenize "
                f"with {call} and run the calls below on those tokens. "
                "bt.discover_terms(corpus) proposes other terms of the corpus that the "
                "tokenizer splits.")

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
    def _coverage(self, counts: dict, key: str, what: str) -> tuple[bool, str, bool]:
        """Whether a dictionary covers the compared documents, the sentence saying so, and
        whether its matches are dense enough (per 10,000 tokens): a section left out for
        too few matches in every group is not one left out for a vocabulary that is rare."""
        total = sum(counts.values())
        tokens = sum(self.n_tokens.values()) or 1
        rate = total / tokens * 1e4
        need = COVERAGE_PER_10K[key]
        each = ", ".join(f"{g} {counts[g]:,}" for g in self.compare)
        dense = rate >= need
        ok = dense and max(counts.values()) >= FEW_MENTIONS
        return ok, (f"{what}: {total:,} matches in the compared documents, {rate:.0f} per "
                    f"10,000 tokens ({each}); shown when at least {need:.0f} per 10,000 "
                    f"tokens and {FEW_MENTIONS} in a group"), dense

    @staticmethod
    def _too_few(what: str, unit: str) -> str:
        """The reason a dense vocabulary's section is left out: no group has enough.

        >>> _Run._too_few("place names are", "mentions")[:60]
        'place names are frequent enough here, but no compared group '
        """
        return (f"{what} frequent enough here, but no compared group has {FEW_MENTIONS} "
                f"{unit}: with fewer, one more or less moves a group's figures by several "
                "points (groups of more documents would do)")

    def profile(self):
        d = self.dictionary
        builtin = d is None or d == "five_connectivities"
        kw = dict(by=self.by, random_state=self.seed, resample=self.resample)
        name = "five_connectivities" if d is None else d
        with warnings.catch_warnings():
            # the coverage is judged below, for the compared documents, in the page's words
            warnings.filterwarnings("ignore", message="profile: the default dictionary")
            p = _profile(self.sub, name, n_boot=0, **kw)   # counts first: is it shown?
        counts = {g: int(p.loc[p["group"].astype(str) == g, "count"].sum())
                  for g in self.compare}
        title = ("Dictionary profile: the five connectivities" if builtin else
                 f"Dictionary profile: {Path(str(d)).name if isinstance(d, (str, Path)) else 'own categories'}")
        ok, why, dense = self._coverage(counts, "five_connectivities", "Five connectivities") \
            if builtin else (True, f"Categories from {d!s} ({sum(counts.values()):,} "
                                   "matches in the compared documents"
                                   + _absent_words(p) + ")", True)
        if d is None and ok:
            named, n_docs = bri_documents(self.sub.docs)
            if named < BRI_SHARE * n_docs:
                # dense enough, but the five connectivities are the Belt and Road's own
                # categories: on work reports their general words (交通, 贸易, 教育, 文化)
                # pass the rate, counted on tokens without stopwords (code_clauses's rule)
                self.sections.append(Section(
                    "profile", "Dictionary profile", skipped=(
                        "Left out: the five connectivities are the Belt and Road's "
                        f"categories, and only {named} of the {n_docs} compared documents "
                        f"{'names' if named == 1 else 'name'} the Belt and Road (一带一路, 丝绸之路, 沿线国家 …): their words "
                        "(交通, 贸易, 金融, 教育, 文化) would count general economic and "
                        f"social text as connectivity. {why}. Pass --dictionary FILE "
                        "(term<TAB>category) for your own categories, or --dictionary "
                        "five_connectivities to show it anyway.")))
                return
        if d is None and not ok:
            rare = ("the five connectivities' vocabulary covers these documents no more "
                    f"than it covers any economic text. {why} (words such as 交通, 贸易, 金融 "
                    "give general economic texts 200–400 per 10,000 tokens; Belt and Road "
                    "plans reach 800 or more)" if not dense else
                    self._too_few("the five connectivities' words are", "matches") + f". {why}")
            self.sections.append(Section(
                "profile", "Dictionary profile", skipped=(
                    f"Left out: {rare}. Pass --dictionary five_connectivities to show it "
                    "anyway, or --dictionary FILE (term<TAB>category) for your own "
                    "categories.")))
            return
        if self.n_boot:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="profile: the default dictionary")
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
    def _places_words(self) -> tuple[str, str, str]:
        """(the list of places in words, its mentions' name, the region column) of the
        orientation section: the gazetteer's or ``--places FILE``'s."""
        if self.places is None:
            return ("the built-in gazetteer (bri_text/lexicons/gazetteer.tsv: countries, "
                    "groupings, cities, ports; --places FILE for your own list)",
                    "place mentions", "world_region")
        from ..compare import load_dictionary

        d = load_dictionary(self.places, "places")
        name = (Path(str(self.places)).name if isinstance(self.places, (str, Path))
                else "your own list")
        return (f"your own list of places, {name} ({_plural(sum(map(len, d.values())), 'term')} "
                f"in {_plural(len(d), 'region')}), not the built-in gazetteer",
                f"mentions of {name}", "region")

    def orientation(self):
        listed, mentions, level = self._places_words()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*no place names.*")
            warnings.filterwarnings("ignore", message=".*fewer than min_mentions.*")
            kw = dict(by=self.by, random_state=self.seed, resample=self.resample,
                      places=self.places)
            o = _orientation(self.sub, n_boot=0, **kw)     # counts first: is it shown?
        counts = {g: int(o.loc[o["group"].astype(str) == g, "n_mentions"].max())
                  if (o["group"].astype(str) == g).any() else 0 for g in self.compare}
        own = self.places is not None
        ok, why, dense = ((True, f"Places from {self.places!s} ({sum(counts.values()):,} "
                                 "mentions in the compared documents)", True) if own else
                          self._coverage(counts, "orientation", "Place names of the gazetteer"))
        show = self.want_orientation is True or (self.want_orientation is None and ok)
        if show and self.n_boot:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*no place names.*")
                warnings.filterwarnings("ignore", message=".*fewer than min_mentions.*")
                o = _orientation(self.sub, n_boot=self.n_boot, **kw)
        if not show:
            reason = ("--orientation off" if self.want_orientation is False else
                      ("places abroad are rare in these documents" if not dense else
                       self._too_few("place names are", "mentions")) +
                      f". {why}. Pass --orientation on to show it anyway")
            self.sections.append(Section("orientation", "Geographic orientation",
                                         skipped=f"Left out: {reason}."))
            return
        s = Section("orientation", "Geographic orientation" + (
                        f": {Path(str(self.places)).name}" if own else ""),
                    f"Places counted: {listed}. Shares of the {mentions} per "
                    f"{'region of the list' if own else 'world region'}; n = the mentions "
                    f"each row rests on. Below {FEW_MENTIONS} mentions a share is not "
                    f"stated as a finding. {why}.")
        for g, part in o.groupby("group", sort=False):
            n = int(part["n_mentions"].iloc[0])
            if n == 0:
                text = f"{g}: no place mentions."
            else:
                lead = part.sort_values("share", ascending=False, kind="stable").iloc[0]
                ci = _interval_words(lead, self.n_boot)
                if n < FEW_MENTIONS:
                    text = (f"{g}: only {n} {mentions}, too few to say where "
                            f"it looks (most: {lead[level]}, {int(lead['count'])} "
                            f"of {n}{ci}).")
                else:
                    text = (f"{g}: {lead[level]} {lead['share']:.0%}{ci} of {n} "
                            f"{mentions}.")
                    self.findings.append(text)
            s.blocks.append({"kind": "note", "text": text})
        seen = o.loc[o["count"] > 0, level].unique()
        shown = o[o[level].isin(seen)] if len(seen) else o
        s.blocks.append(self.w.figure("orientation", plot.orientation(shown),
                                      f"{'Regions' if own else 'World regions'} "
                                      "mentioned at least once by a compared group; dotted "
                                      f"rows: fewer than {FEW_MENTIONS} mentions, too few "
                                      "to say where a group looks; hatched rows: no "
                                      "mentions."))
        # the rows of the heatmap: a group's 0 beside the others' mentions, with its
        # interval (the bound for 0 of its documents, not [0, 0])
        s.blocks.append(self.w.table(
            "orientation", shown,
            "Regions mentioned at least once by a compared group" + (
                "; a 0 has the interval [0, bound for 0 of the group's documents]"
                if o.attrs.get("n_zero_intervals") else ""),
            call=f"bt.orientation({self._compared_call()}, by={self.by!r}, "
                 f"n_boot={self.n_boot}, random_state={self.seed}, "
                 f"resample={self.resample!r}"
                 + (f", places={str(self.places)!r}" if own else "") + ")"))
        self.sections.append(s)

    # -- 6
