"""The report's sections on models: topics, similarity, text reuse (a mixin of the
sections' runner, ``_sections._Run``)."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from .. import plot
from ..corpus import Corpus
from ..features import dtm
from ..reuse import passage_document_counts, reuse_summary, text_reuse
from ..similarity import similarity_matrix
from ..errors import ParameterError
from ..segment import Tokenizer, tokenize
from ..topics import TopicModel
from ._inputs import _date_note
from ._page import Section
from ._rules import (MAX_HEATMAP_DOCS, MIN_TOPIC_LEAD, MIN_TOPIC_SHARE, MIN_TOPIC_TOKENS,
                     TOPIC_ITERATIONS,
                     _REUSE_SHOWN, _Copies, _formulaic_words, _nearest, _passages_caption,
                     _no_national, _plural, _separating_topics, _stock_tokens_call,
                     _thin_ticks, own_names_what)


def _stock_topics_note(stock: list, labels) -> str:
    """What a topic labelled "(stock words)" means, naming the topics ``stock``.

    >>> _stock_topics_note([2], {2: "数字经济·实际·各项任务 (stock words)"})[:51]
    'Topic 2 (数字经济·实际·各项任务) is labelled “(stock words)”:'
    """
    which = ", ".join(f"{k} ({str(labels[k]).removesuffix(' (stock words)')})"
                      for k in stock)
    one = len(stock) == 1
    return (f"Topic{'' if one else 's'} {which} {'is' if one else 'are'} labelled "
            "“(stock words)”: with the stock words of government documents (加强, 保障, "
            "意见, 制定 …, lexicons/stopwords_policy.txt), which the tokenizer leaves out of "
            "every section, counted back from "
            f"{'its' if one else 'their'} paragraphs, most of the weight of "
            f"{'its' if one else 'their'} top 10 terms falls on such words "
            "(model.stock_topics_). Such a topic gathers the documents' form (preambles "
            "such as 为贯彻落实…，结合本省实际，制定本方案, closing safeguards such as "
            "加强组织领导) more than a theme: read its paragraphs "
            f"(model.representative_docs({stock[0]})) before reading its share as a "
            "finding.")


class _Similarities:
    """A similarity matrix as the report reads it: rows by doc_id, groups, titles."""

    def __init__(self, ids, vals, group_of, title, members):
        self.ids, self.vals, self.group_of, self.title = ids, vals, group_of, title
        self.pos = {d: i for i, d in enumerate(ids)}
        self.members = members

    @classmethod
    def of(cls, sim: pd.DataFrame, docs: pd.DataFrame, by: str, compare) -> "_Similarities":
        """The matrix ``sim`` with the groups (column ``by``) and titles of ``docs``."""
        ids = [str(i) for i in sim.index]
        group_of = {str(d): str(v) for d, v in docs[by].items() if pd.notna(v)}
        title = ({str(d): v for d, v in docs["title"].items()}
                 if "title" in docs.columns else None)
        members = {g: [d for d in ids if group_of.get(d) == g] for g in compare}
        return cls(ids, sim.to_numpy(dtype=float), group_of, title, members)

    def title_of(self, d):
        """The title of document ``d``, None without titles."""
        return None if self.title is None else self.title.get(d)

    def named(self, d: str) -> str:
        """``doc_id 《title》`` of document ``d`` (the title cut at 40 characters), or its id."""
        t = self.title_of(d)
        if t is None or pd.isna(t) or not str(t).strip():
            return str(d)
        t = str(t).strip()
        return f"{d} 《{t[:40]}{'…' if len(t) > 40 else ''}》"

    def label(self, d: str) -> str:
        """``group · doc_id title`` of document ``d``."""
        t = "" if self.title is None or pd.isna(self.title.get(d)) else f" {self.title[d]}"
        return f"{self.group_of.get(d, '–')} · {d}{t}"

    def drawn(self, compare) -> list[str]:
        """The compared documents and the three nearest neighbours of each."""
        near = []
        for g in compare:
            for d in self.members[g]:
                row = np.nan_to_num(self.vals[self.pos[d]], nan=-2.0)   # empty documents last
                row[self.pos[d]] = -2.0
                near += [self.ids[j] for j in (-row).argsort(kind="stable")[:3]
                         if row[j] > -2]
        return list(dict.fromkeys([d for g in compare for d in self.members[g]] + near))

    def group_means(self, compare) -> pd.DataFrame:
        """Mean and max cosine within and between the compared groups (pairs of documents)."""
        rows = []
        for i, g in enumerate(compare):
            for h in compare[i:]:
                a = [self.pos[d] for d in self.members[g]]
                b = [self.pos[d] for d in self.members[h]]
                block = self.vals[np.ix_(a, b)]
                if g == h:
                    iu = np.triu_indices(len(a), 1)
                    block = block[iu]
                block = block[~pd.isna(block)] if block.size else block
                rows.append({"group_a": g, "group_b": h, "pairs": int(block.size),
                             "mean_cosine": float(block.mean()) if block.size else None,
                             "max_cosine": float(block.max()) if block.size else None})
        means = pd.DataFrame(rows)
        return means[means["pairs"] > 0]

    def neighbours(self, g: str, by: str) -> pd.DataFrame:
        """The five nearest documents of each document of group ``g``."""
        cols = ["doc", f"{by}", "title", "neighbour", f"{by}_neighbour",
                "title_neighbour", "cosine", "rank"]
        nrows = []
        for d in self.members[g]:
            row = self.vals[self.pos[d]].copy()
            row[self.pos[d]] = float("nan")
            order = [j for j in (-np.nan_to_num(row, nan=-2)).argsort(
                kind="stable")[:5] if not pd.isna(row[j])]
            for r, j in enumerate(order, 1):
                n = self.ids[j]
                nrows.append({"doc": d, by: g, "title": self.title_of(d), "neighbour": n,
                              f"{by}_neighbour": self.group_of.get(n),
                              "title_neighbour": self.title_of(n),
                              "cosine": float(row[j]), "rank": r})
        t = pd.DataFrame(nrows, columns=cols)
        if len(self.members[g]) > 3:
            t = t.sort_values(["cosine"], ascending=False, kind="stable")
        return t

    def between(self, compare, by: str) -> pd.DataFrame:
        """Every pair of documents of two different compared groups, most similar first."""
        prs = []
        for i, g in enumerate(compare):
            for h in compare[i + 1:]:
                for a in self.members[g]:
                    for b in self.members[h]:
                        prs.append({"doc_a": a, f"{by}_a": g, "doc_b": b, f"{by}_b": h,
                                    "cosine": float(self.vals[self.pos[a], self.pos[b]]),
                                    "title_a": self.title_of(a), "title_b": self.title_of(b)})
        pairs = pd.DataFrame(prs).sort_values("cosine", ascending=False, kind="stable")
        if self.title is None:
            pairs = pairs.drop(columns=["title_a", "title_b"])
        return pairs

    def finding(self, pairs: pd.DataFrame, compare, by: str, copies: _Copies) -> str:
        """The finding: the most similar pair between the groups, each group's nearest
        document; copies (duplicates kept as asked) are named as copies, not similarity."""
        real = pairs[[not copies.same(a, b) for a, b in zip(pairs["doc_a"], pairs["doc_b"])]]
        if len(real):
            best = real.iloc[0]
            first = (f"{'the' if len(real) == 1 else 'the most similar'} pair between the "
                     f"groups{' other than duplicates' if len(real) < len(pairs) else ''}, "
                     f"{self.named(best['doc_a'])} ({best[f'{by}_a']}) and "
                     f"{self.named(best['doc_b'])} ({best[f'{by}_b']}), has cosine "
                     f"{best['cosine']:.2f}")
        else:
            first = "every pair between the groups is a pair of duplicates"
        return f"Similarity: {first}; " + "; ".join(
            f"{g}'s nearest document: "
            + _nearest(self.vals, self.ids, self.pos, self.members[g], self.group_of,
                       self.named, copies)
            for g in compare) + "." + _copies_sentence(self.copy_pairs(copies, compare),
                                                     copies)

    def copy_pairs(self, copies: _Copies, compare) -> list[tuple]:
        """The pairs of copies (duplicates kept as asked) of which one is compared."""
        mine = {d for g in compare for d in self.members[g]}
        return [(c["duplicate_of"], d) for d, c in copies.rows.items()
                if d in self.pos and c["duplicate_of"] in self.pos
                and (d in mine or c["duplicate_of"] in mine)]


def _copies_sentence(pairs: list, copies: _Copies) -> str:
    """`` Not similarity but duplicates, kept as asked ...: b is a near-duplicate of a
    (similarity 0.93).`` or ""."""
    if not pairs:
        return ""
    return (" Not similarity but duplicates, kept as asked (--keep-duplicates) and passed "
            "over here: " + "; ".join(copies.words(a, b) for a, b in pairs) + ".")


class _ModelSections:
    """Topics, similarity and text reuse of a report run (``_Run``'s attributes)."""

    def _names_note(self) -> str:
        """The sentence of the topics and similarity sections on the own names left out
        of their tokens; "" when none is (--keep-names, or none occurs)."""
        if not self.own_names:
            return ""
        n = sum(map(sum, self.own_name_counts.values()))
        return (f" Tokens: tokens_without_names, those of every section without the "
                f"compared documents' {own_names_what(self.self_references)} "
                f"({_plural(n, 'token')} "
                f"of {_plural(len(self.own_names), 'term')} in the whole corpus, listed "
                "under the key terms; --keep-names keeps them).")

    def _too_small_for_topics(self, model) -> bool:
        """Leave the topics section out, saying why, when a compared group has fewer than
        MIN_TOPIC_TOKENS tokens of the model's vocabulary per topic (the page names the
        groups' tokens and the largest K the rule allows)."""
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*left out.*")
            prev = model.prevalence(by=self.by, n_boot=0)
        n = prev.groupby(prev["group"].astype(str), sort=False)["n_tokens"].first()
        n = {g: int(n.get(g, 0)) for g in self.compare}
        need = MIN_TOPIC_TOKENS * self.k
        if min(n.values()) >= need:
            return False
        fits = min(n.values()) // MIN_TOPIC_TOKENS
        each = ", ".join(f"{g} {v:,}" for g, v in n.items())
        self.topic_model = None          # the manifest: no model behind the page
        self.sections.append(Section("topics", "Topics", skipped=(
            f"Left out: the compared groups are too small for {self.k} topics. Each group "
            f"needs {MIN_TOPIC_TOKENS} tokens of the model's vocabulary per topic "
            f"({need:,} for K = {self.k}); they have {each}. With fewer, one token moves a "
            "group's topic share by more than a third of the lead the findings ask for "
            f"({MIN_TOPIC_LEAD:.0%} of tokens), and the intervals span tens of points. "
            + (f"--topics {fits} (n_topics={fits}) would meet the rule."
               if fits >= 2 else "No K of 2 or more meets it: add documents, or read "
               "the key terms and the dictionary sections."))))
        return True

    def topics(self):
        if not self.k:
            self.sections.append(Section("topics", "Topics", skipped="skipped: --topics 0"))
            return
        # the paragraphs with the stock words the tokenizer left out (加强, 意见, 制定 ...),
        # from which stock_topics_ counts them back: the fit reads the tokens only, those
        # without the compared documents' own names (model_tokens), and so do these
        names = frozenset(self.own_names)
        keep_stock = Tokenizer(**{**self.tokenizer.get_params(),
                                  "stopwords": ("general", names) if names else "general"})
        stock_tokens = tokenize(self.units, tokenizer=keep_stock, **self.pkw)
        try:
            # what a fit that fails warned about is not said on the page (its model is none)
            with warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                model = TopicModel(self.k, random_state=self.seed, iterations=TOPIC_ITERATIONS,
                                   **self.pkw).fit(self.model_tokens,
                                                   stock_tokens=stock_tokens)
            for w in said:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            self.topic_model = model           # its parameters go to the manifest
        except ParameterError as exc:        # a corpus too small for K topics
            why = str(exc).split("; choose fewer topics")[0]
            vocab = re.search(r"larger than the vocabulary \((\d+) terms", why)
            # a model needs 2 topics at least: with fewer terms no --topics would do
            advice = ("No number of topics fits so few terms (the smallest model has 2); "
                      "--topics 0 leaves the section out." if vocab and int(vocab.group(1)) < 2
                      else "Pass --topics with fewer topics (n_topics= in Python); with so "
                      "small a vocabulary each compared group must still hold "
                      f"{MIN_TOPIC_TOKENS} of its tokens a topic, or the section is left "
                      "out, saying so.")
            self.sections.append(Section("topics", "Topics", skipped=(
                f"Left out: this corpus is too small for {self.k} topics ({why}: the report's "
                "model keeps the terms found in at least 10 paragraphs). " + advice)))
            return
        if self._too_small_for_topics(model):
            return
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
                    f"{MIN_TOPIC_LEAD:.0%} or more, and its interval lies above theirs."
                    + self._names_note())
        top = model.topics(10)
        words = top.groupby("topic")["term"].apply(lambda x: "、".join(x)).reset_index()
        labels = model.label_topics()
        words.insert(1, "label", [labels[t] for t in words["topic"]])
        call = (f"model = bt.TopicModel({self.k}, random_state={self.seed}, "
                f"iterations={TOPIC_ITERATIONS}).fit("
                f"{'tokens_without_names' if self.own_names else 'tokens'}, stock_tokens="
                f"{_stock_tokens_call(self.user_dict, self.own_names)})")
        s.blocks.append(self.w.table("topics", words, "Top terms by weight",
                                     call=call + "; model.topics(10)"))
        stock = model.stock_topics_
        if stock:
            s.blocks.append({"kind": "note", "text": _stock_topics_note(stock, labels)})
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
        self.findings += _separating_topics(prev, self.compare, model.stock_topics_)
        docs = self.corpus.docs
        years = pd.to_numeric(docs["year"], errors="coerce").dropna().nunique() \
            if "year" in docs.columns else 0
        if years >= 3:
            tr = model.trends(by="year", n_boot=self.n_boot, random_state=self.seed)
            show = prev.groupby("topic")["share"].max().sort_values(
                ascending=False, kind="stable").index[:4].tolist()
            n_dated = int(pd.to_numeric(docs["year"], errors="coerce").notna().sum())
            s.blocks.append({"kind": "h3", "text": "Over time (all documents)" if n_dated ==
                             len(docs) else f"Over time ({n_dated} dated documents of "
                             f"{len(docs)}; the {len(docs) - n_dated} without a year are "
                             "left out)"})
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
        """Section 7: cosine similarity of whole documents, within and between the groups."""
        tfidf = dtm(self.model_tokens, "tfidf")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*empty.*")
            sim = similarity_matrix(tfidf, level="document")
        s = Section("similarity", "Document similarity",
                    "Cosine similarity of tf-idf vectors of whole documents ("
                    + ("" if self.own_names else "the tokens above, ")
                    + "over the whole corpus)." + self._names_note())
        v = _Similarities.of(sim, self.corpus.docs.set_index("doc_id"), self.by, self.compare)
        self.w.table("similarity_matrix", sim.reset_index(), page=False)
        kept = v.copy_pairs(self.copies, self.compare)
        if kept:
            s.blocks.append({"kind": "note", "text": (
                "Duplicates kept as asked (--keep-duplicates): " + "; ".join(
                    f"{self.copies.words(a, b)}, cosine "
                    f"{v.vals[v.pos[a], v.pos[b]]:.2f}" for a, b in kept)
                + ". Their cosine measures the duplicate, not a similarity between "
                "documents; the tables list them, the key findings pass them over.")})
        s.blocks.append(self._similarity_figure(sim, v))
        s.blocks.append(self.w.table("similarity_groups", v.group_means(self.compare),
                                     "Mean similarity within and between the compared "
                                     "groups (pairs of documents)"))
        # each group's nearest neighbours, and the direct pairs between the groups
        for g in self.compare:
            t = v.neighbours(g, self.by)
            s.blocks.append(self.w.table(
                f"similarity_neighbours_{g}", t.drop(columns=[] if v.title is not None
                                                     else ["title", "title_neighbour"]),
                f"Nearest neighbours of {g}'s documents (five each, whole corpus)",
                max_rows=15))
        if len(self.compare) >= 2:
            pairs = v.between(self.compare, self.by)
            s.blocks.append(self.w.table("similarity_between", pairs, "Direct pairs between "
                                         "the compared groups, most similar first",
                                         max_rows=15))
            self.findings.append(v.finding(pairs, self.compare, self.by, self.copies))
        self.sections.append(s)

    def _similarity_figure(self, sim: pd.DataFrame, v: _Similarities) -> dict:
        """The heatmap of the compared documents and their neighbours, or why there is none."""
        drawn = v.drawn(self.compare)
        if len(drawn) > MAX_HEATMAP_DOCS:
            return {"kind": "note", "text": (
                f"No heatmap: the compared documents and their neighbours are {len(drawn)} "
                f"documents (drawn up to {MAX_HEATMAP_DOCS}); the group means below "
                "summarise them, tables/similarity_matrix.csv holds every pair.")}
        sub = sim.loc[[i for i in sim.index if str(i) in set(drawn)],
                      [c for c in sim.columns if str(c) in set(drawn)]]
        short = {d: (v.label(d) if len(v.label(d)) <= 28 else v.label(d)[:27] + "…")
                 for d in drawn}
        ax = plot.similarity_heatmap(sub, labels=short)
        ax.set_xticks(ax.get_xticks(), [str(c) for c in ax.bri_data.columns],
                      rotation=90)          # columns: doc_id only, rows say the rest
        return self.w.figure("similarity", ax, (
            f"The compared documents and their three nearest neighbours each; rows: "
            f"{self.by} · doc_id title (full titles in the tables), columns: doc_id."))

    # -- 8
    def _reuse_table(self, t: pd.DataFrame) -> pd.DataFrame:
        """``t`` with ``documents`` (how many documents of the whole corpus hold the
        passage) and formulaic judged over the whole corpus, as text_reuse does there."""
        if t.empty:
            return t.assign(documents=pd.Series(dtype="int64"))
        counts, formulaic = passage_document_counts(
            t["passage_a"].tolist(), self.corpus, t.attrs.get("ngram", 5),
            t.attrs.get("formulaic_share", 0.5), t.attrs.get("max_df", 0.2))
        f = t["formulaic"].to_numpy(bool) | pd.Series(formulaic).to_numpy(bool)
        # common over the whole corpus, not set phrasing (text_reuse applied the lexicon)
        common = f & t["kind"].isin(["copy", "template"]).to_numpy()
        out = t.assign(formulaic=f, kind=t["kind"].where(~common, "widespread"),
                       documents=counts)
        cols = ["doc_a", "doc_b", "kind", "documents", "chars", "similarity", "passage_a",
                "passage_b", "start_a", "end_a", "start_b", "end_b", "formulaic"] + \
            [c for c in ("figures_changed", "inserted", "deleted") if c in t.columns]
        rank = out["kind"].map({"copy": 0, "template": 1, "citation": 2, "widespread": 3,
                                "formulaic": 3}).fillna(4)
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
                # peers compared (reference= only pairs the groups): stock wording by
                # frequency as between any two documents
                tables.append(text_reuse(pair, reference=self._is(pair.docs, g), date=None,
                                         best_source=False, max_df=0.2, **self.pkw))
        t = pd.concat(tables, ignore_index=True) if tables else \
            text_reuse(part, date=date, **self.pkw).iloc[:0]
        if tables:
            t.attrs.update(tables[0].attrs)
        return t

    def reuse(self):
        """Section 8: passages shared among the compared documents and from national ones."""
        docs = self.corpus.docs
        mine = self._in(docs).to_numpy(bool)
        dated = self.date_col is not None and docs[self.date_col].notna().any()
        s = Section("reuse", "Text reuse", _reuse_intro(len(docs), dated)
                    + _date_note(self.corpus, self.source, self.date_col))
        self.reuse_heading = None
        date = self.date_col if dated else None
        drawn = False
        if mine.sum() >= 2:
            drawn = self._reuse_among(s, mine, date, dated)
        else:
            s.blocks.append({"kind": "note", "text": "One document in the compared groups: "
                             "no pair to compare among them."})
        national = (docs["level"] == "national").fillna(False).to_numpy(bool) \
            if "level" in docs.columns else None
        if national is not None and national.any() and (mine & ~national).any():
            self._reuse_national(s, mine | national, date, dated, drawn)
        else:
            s.blocks.append({"kind": "note", "text": "Reuse of national documents skipped: "
                             + _no_national(docs, mine) + "."})
        self.sections.append(s)

    def _reuse_call(self) -> str:
        """The call that finds the passages shared among the compared groups."""
        if len(self.compare) == 1:
            return f"bt.text_reuse(corpus.subset({self.by}={self.compare[0]!r}))"
        return (f"bt.text_reuse(corpus.subset({self.by}=[{self.compare[0]!r}, "
                f"{self.compare[1]!r}]), reference={{{self.by!r}: "
                f"{self.compare[0]!r}}}, date=None, best_source=False)"
                + (" (each pair of groups)" if len(self.compare) > 2 else "")
                + "; then documents and formulaic over the whole corpus (above)")

    def _reuse_among(self, s: Section, mine, date, dated: bool) -> bool:
        """Add the passages shared among the compared documents to ``s``; True if drawn."""
        n = len(self.corpus.docs)
        part = self.corpus.subset(mine)
        t = self._reuse_table(self._between(part, date))
        # the groups are peers: _between's reference= only pairs them, so the summary puts
        # each pair in order of its dates (source = the earlier), not the first group first
        peers = t.copy()
        peers.attrs = {**t.attrs, "reference": None}
        summ = reuse_summary(peers, part, date=date)
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
            "reuse_between", t, _passages_caption(t), show=_REUSE_SHOWN, call=self._reuse_call(),
            empty="No passage of 30 characters or more is shared among the compared "
                  "groups' documents."))
        self._reuse_summary(s, t, summ)
        drawn = False
        if len(t) and len(t) <= 300:
            s.blocks.append(self.w.figure("reuse_between", plot.text_reuse(t, part)))
            drawn = True
        dup = self.copies.among(zip(t["doc_a"], t["doc_b"]))
        if dup:
            copied = np.array([self.copies.same(a, b) for a, b in zip(t["doc_a"], t["doc_b"])])
            words = "; ".join(self.copies.words(a, b) for a, b in dup)
            s.blocks.append({"kind": "note", "text": (
                f"Duplicates kept as asked (--keep-duplicates): {words}. The "
                f"{_plural(int(copied.sum()), 'shared passage')} between them above "
                f"{'is' if copied.sum() == 1 else 'are'} the duplicate itself, not reuse; "
                "the key findings leave them out.")})
            t = t[~copied]
        self.findings.append(f"Reuse among the compared documents: {_passages_caption(t)}"
                             + (f"; {_formulaic_words(t, n)}" if len(t) else "")
                             + (f" (duplicates left out: {words})" if dup else "") + ".")
        return drawn

    def _reuse_summary(self, s: Section, t: pd.DataFrame, summ: pd.DataFrame) -> None:
        """Add the per-pair summary of the passages ``t`` to ``s`` (or say all are formulaic)."""
        if len(summ):
            s.blocks.append(self.w.table(
                "reuse_between_summary", summ,
                "Per pair, copies and templates (formulaic passages left out), in order "
                f"of publication (dated by “{summ.attrs['date']}”)"
                if summ.attrs.get("date") else
                "Per pair, copies and templates (formulaic passages left out; undated)"))
            return
        self.w.table("reuse_between_summary", summ)
        if len(t):
            s.blocks.append({"kind": "note", "text": "Every shared passage is "
                             "formulaic: no pair shares copies or templates."})

    def _reuse_national(self, s: Section, rows, date, dated: bool, drawn: bool) -> None:
        """Add the passages traced from national documents into the compared ones to ``s``."""
        part = self.corpus.subset(rows)
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


def _reuse_intro(n: int, dated: bool) -> str:
    """The text reuse section's introduction for a corpus of ``n`` documents."""
    return ("Passages the documents share near-verbatim (at least 30 characters; "
            "punctuation, spacing and the values of numbers ignored). kind: copy = "
            "the same wording; template = the same sentence frame with different "
            "figures; citation = little shared but the title of a document both cite "
            "in 《》 (not copying); formulaic = set phrasing: a curated list of political "
            "formulas, "
            "agency lists and closing lines; widespread = a passage most of whose wording "
            f"occurs in more than 20% of the corpus's {n} documents (at least 3) that the "
            "list does not know: stock wording, or a passage many documents took from one "
            "source (formulaic and widespread passages are left out of the per-pair "
            "summaries). "
            f"“documents” = how many of the {n} documents hold the passage (half or "
            "more of its 5-character shingles), so a stock phrase shows as such "
            "however few documents are compared. "
            + ("Pairs are put in order of their dates: the order of publication, a "
               "hypothesis about direction, not evidence that one document copied "
               "the other. " if dated else ""))
