"""What the report decides and how it words it: thresholds, the test for key terms,
evidence drawn across documents, intervals in words."""
from __future__ import annotations


import pandas as pd

from .._lexicons import FIVE_CONNECTIVITIES_COVERAGE
from ..compare import EXACT_SPLITS
from ..errors import ParameterError

#: the generator tag of the report's page: a folder's own report is never read as a document
GENERATOR = "bri_text report"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"




def skip_note(reason: str) -> str:
    """Why an input document is not in the report, from its ``corpus.dropped`` reason: an
    unsupported file is not read, an empty file or table row has no text and a folder's
    README is no document (both left out whatever ``--errors`` says), any other was
    skipped because ``--errors skip`` asked.

    >>> skip_note("empty text"), skip_note("unsupported format .doc: save it as .docx")
    ('left out: no text', 'not read')
    >>> skip_note("cannot decode: neither UTF-8, GB18030 nor Big5")
    'skipped (--errors skip)'
    >>> skip_note("notes/README.md: not a document: README (the folder's notes; ...)")
    'left out: not a document'
    """
    if "unsupported format" in reason:
        return "not read"
    if "not a document" in reason:     # README, LICENSE, Thumbs.db: whatever --errors says
        return "left out: not a document"
    if reason == "empty text":
        return "left out: no text"
    return "skipped (--errors skip)"


#: Mentions below which a group's geographic shares are flagged as resting on few mentions.
FEW_MENTIONS = 20
#: A built-in dictionary section is shown when the compared documents together reach this
#: many matches per 10,000 tokens (and one compared group has FEW_MENTIONS matches or more):
#: the five connectivities' vocabulary has general economic words (交通, 贸易, 金融) that any
#: economic text matches at 2-4% of its tokens (the national work reports: 220-410 per 10k),
#: Belt and Road plans at 8-16% (the built-in corpus: 830-1,640 per 10k, provinces with one
#: short text aside); place names: 250-840 per 10k in the plans, 6-60 in the work reports.
COVERAGE_PER_10K = {"five_connectivities": FIVE_CONNECTIVITIES_COVERAGE, "orientation": 50.0}
#: A topic is named as what sets a group apart only when the group's share is at least
#: MIN_TOPIC_SHARE, its lead over the other groups at least MIN_TOPIC_LEAD (shares of
#: tokens), and its interval above theirs.
MIN_TOPIC_SHARE, MIN_TOPIC_LEAD = 0.05, 0.02
#: Tokens of the topic model's vocabulary that each compared group needs per topic (K x
#: this in all) for the topics section: with fewer, one token moves a group's topic share
#: by more than a third of MIN_TOPIC_LEAD (at K = 8 and 20 a topic, 1/160 = 0.6 points).
#: Measured (benchmarks/bench_topic_size.py, benchmarks/TOPICS.md): the audit corpus of 15
#: short documents gives its provinces 20-44 tokens, 3-5 a topic at K = 8, and prevalence
#: intervals 24-69 points wide on average (the widest 56-100); the built-in plans'
#: smallest groups, 41 a topic (甘肃, 广东), 13-15 points.
MIN_TOPIC_TOKENS = 20
#: Top key terms per direction that get KWIC evidence, and contexts per term.
KWIC_TERMS, KWIC_CONTEXTS = 5, 3
#: Documents a side from which a document-level test is chosen (docs/STATISTICS.md).
MIN_DOCS_DOCUMENT_TEST = 5
#: Until session 42 "auto" used Welch's t when the larger side had at most 1.5 times the
#: documents of the smaller (on random splits of the 52 work reports it kept its level for
#: frequent terms there, and gave p < .05 to 6.5-21% of them at 5 vs 15 to 5 vs 47); it now
#: uses the permutation test at every size, as Welch's p is too small for terms absent
#: from one side (benchmarks/COMPARE.md, "Terms absent from one side").
#: What --test accepts: auto, document (the permutation test), token (log-odds z), or a
#: keyness measure.
TESTS = {"document": "permutation", "token": "log_odds"}
#: Relabellings of the report's permutation test (at least; more with a larger --n-boot):
#: the smallest p it can give is 1 / 2,001, so that Benjamini-Hochberg over a few thousand
#: terms can bring a clear difference below q = .05 (at 1,000 it often cannot).
PERMUTATIONS = 2000
#: Random relabellings per term tested (session 42): beyond EXACT_SPLITS the report draws
#: up to max(PERMUTATIONS, --n-boot, this x the terms tested), so that a term no
#: relabelling reaches gets q < .05 even alone (p = 1 / (N + 1), q about p x terms);
#: each term stops once STOP_HITS relabellings reach its |t| (Besag-Clifford), so the
#: terms far from significant cost about a thousand relabellings whatever N
#: (benchmarks/COMPARE.md, "Terms absent from one side").
PERMUTATIONS_PER_TERM = 20
#: When the documents can be split into groups of the compared sizes in at most
#: EXACT_SPLITS ways (keyness's own bound), the report enumerates them all (exact p,
#: smallest p 1 / the number of splits): 5 vs 10 work reports have 3,003 splits, and with
#: them 96 terms of the 2020s reach q < .05 against the 2010s, with 2,000 random
#: relabellings none.
#: The report's document-level test is run on the terms in at least this many of the
#: compared documents (keyness(min_docs=)): rarer terms cannot reach a small p, and
#: testing them only raises every q (10 vs 42 work reports, 2,000 relabellings: 0 terms at
#: q < .05 over all 19,843 terms, 275 over the 8,528 in 3 documents or more).
TEST_MIN_DOCS = 3
#: Sweeps of the report's topic model (TopicModel's default is 1,000): the NMF start makes
#: the chain settle early; 300 sweeps keep the report under its time budget.
TOPIC_ITERATIONS = 300
#: Passages longer than this (characters) are shortened on the page, in full one click away.
LONG_PASSAGE = 160
#: Heatmaps of more documents than this are not drawn (unreadable, and slow to draw).
MAX_HEATMAP_DOCS = 40
#: the tokenizer of every section, as the call a reader can run (without --user-dict)
TOKENIZER_CALL = 'bt.Tokenizer(stopwords=("general", "policy"), min_length=2)'
TOKENS_CALL = f'tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer={TOKENIZER_CALL})'


def _user_dict_text(user_dict) -> str:
    """``user_dict`` as Python source: a file's path as given, words as a sorted set, a
    list of these as a list.

    >>> _user_dict_text("words.txt"), _user_dict_text(frozenset({"瑞丽", "磨憨"}))
    ("'words.txt'", "{'瑞丽', '磨憨'}")
    >>> _user_dict_text(["words.txt", {"磨憨"}])
    "['words.txt', {'磨憨'}]"
    """
    if isinstance(user_dict, list):
        return "[" + ", ".join(_user_dict_text(u) for u in user_dict) + "]"
    if isinstance(user_dict, (set, frozenset)):
        return "{" + ", ".join(repr(w) for w in sorted(user_dict)) + "}"
    return repr(str(user_dict))


def _tokenizer_call(user_dict=None) -> str:
    """The report's tokenizer as a call a reader can run: :data:`TOKENIZER_CALL`, with
    ``user_dict=`` when the report was given words of the researcher's own
    (``--user-dict FILE``: the file's path as given; words from Python: the set).

    >>> print(_tokenizer_call("words.txt"))
    bt.Tokenizer(stopwords=("general", "policy"), min_length=2, user_dict='words.txt')
    """
    if user_dict is None:
        return TOKENIZER_CALL
    return f"{TOKENIZER_CALL[:-1]}, user_dict={_user_dict_text(user_dict)})"


def _names_set(names) -> str:
    """A set of words as Python code, in a fixed order.

    >>> _names_set(["全区", "广西"])
    "{'全区', '广西'}"
    """
    return "{" + ", ".join(repr(str(n)) for n in sorted(names)) + "}"


def _stock_tokens_call(user_dict=None, names=()) -> str:
    """The tokens the report's topic model counts the stock words back from
    (``TopicModel.fit(..., stock_tokens=)``): :func:`_tokens_call`'s tokenizer keeping
    the stock words of government documents (``stopwords="general"``), without the own
    ``names`` left out of the model's tokens (:func:`_without_names_call`).

    >>> print(_stock_tokens_call())
    bt.tokenize(corpus.reshape("paragraph"), tokenizer=bt.Tokenizer(stopwords="general", min_length=2))
    >>> print(_stock_tokens_call(names=["全区"]))
    bt.tokenize(corpus.reshape("paragraph"), tokenizer=bt.Tokenizer(stopwords=("general", OWN_NAMES), min_length=2))
    """
    stop = f'("general", {OWN_NAMES})' if names else '"general"'
    call = _tokenizer_call(user_dict).replace('stopwords=("general", "policy")',
                                              f"stopwords={stop}", 1)
    return f'bt.tokenize(corpus.reshape("paragraph"), tokenizer={call})'


#: the name the page's code gives the set of own names left out (:func:`_without_names_call`)
OWN_NAMES = "OWN_NAMES"


def own_names_what(self_references: bool) -> str:
    """What the report leaves out as own names: the compared documents' own names, and
    their self-references only when some compared document is sub-national (national
    documents keep 全省, 自治区 …: :func:`bri_text.compare.own_names`).

    >>> own_names_what(True), own_names_what(False)
    ('own names and self-references', 'own names')
    """
    return "own names and self-references" if self_references else "own names"


def _without_names_call(names=(), self_references: bool = True) -> str:
    """The tokens of the topics and similarity sections as code: the tokens of every
    section (:func:`_tokens_call`) without the compared documents' own names (and
    self-references, when they are left out: :func:`own_names_what`) (``names``),
    dropped from them (:meth:`bri_text.Tokens.drop_words`: no second segmentation, so
    the words of ``--user-dict`` are those of ``tokens``).

    >>> print(_without_names_call(names=["全区", "广西"]))
    OWN_NAMES = {'全区', '广西'}   # own names and self-references, left out of key terms, topics, similarity
    tokens_without_names = tokens.drop_words(OWN_NAMES)
    >>> _without_names_call(names=["西藏"], self_references=False).split("# ")[1].split(",")[0]
    'own names'
    """
    return (f"{OWN_NAMES} = {_names_set(names)}   # {own_names_what(self_references)}, left "
            "out of key terms, topics, similarity\n"
            f"tokens_without_names = tokens.drop_words({OWN_NAMES})")


def _tokens_call(user_dict=None) -> str:
    """:data:`TOKENS_CALL` with :func:`_tokenizer_call`."""
    return (f'tokens = bt.tokenize(corpus.reshape("paragraph"), '
            f"tokenizer={_tokenizer_call(user_dict)})")


def _top(k: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The first and last ``top_n`` rows of a keyness table (sorted by score), as
    keyness(top_n=) cuts it (:func:`bri_text.compare.top_rows`)."""
    from ..compare import top_rows

    if len(k) <= 2 * top_n:
        return k
    out = top_rows(k, top_n)
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
               "bootstrap_test": "bootstrap test", "permutation": "permutation test"}


#: reuse columns on the page (the CSV has the offsets and the formulaic flag too)
_REUSE_SHOWN = ["doc_a", "doc_b", "kind", "documents", "chars", "similarity", "passage_a",
                "passage_b", "inserted", "deleted"]


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


def _nearest(vals, ids, pos, members, group_of, name=str, copies=None) -> str:
    """The most similar pair of a compared document (of ``members``) and any other, in
    words; a pair of ``copies`` (:class:`_Copies`) is not a similarity and is passed over."""
    best = None
    for d in members:
        row = vals[pos[d]].copy()
        row[pos[d]] = float("nan")
        if copies is not None:
            for j, n in enumerate(ids):
                if copies.same(d, n):
                    row[j] = float("nan")
        if pd.isna(row).all():
            continue
        j = int(pd.Series(row).idxmax())
        if best is None or row[j] > best[2]:
            best = (d, ids[j], float(row[j]))
    if best is None:
        return "none"
    return (f"{name(best[1])} ({group_of.get(best[1], '–')}, cosine {best[2]:.2f} with "
            f"{name(best[0])})")


def _copy_words(c: dict) -> str:
    """How a duplicate the report found is named: ``exact duplicate of X`` or
    ``near-duplicate of X (similarity 0.93)``.

    >>> _copy_words({"duplicate_of": "a", "kind": "near", "similarity": 0.934})
    'near-duplicate of a (similarity 0.93)'
    """
    if c["kind"] == "exact":
        return f"exact duplicate of {c['duplicate_of']}"
    return f"near-duplicate of {c['duplicate_of']} (similarity {c['similarity']:.2f})"


class _Copies:
    """The duplicates a report found (:meth:`bri_text.Corpus.duplicates` rows as dicts), as
    its findings read them: two documents are copies when one repeats the other or both
    repeat the same kept one.

    >>> c = _Copies([{"doc_id": "b", "duplicate_of": "a", "kind": "near", "similarity": 0.9},
    ...              {"doc_id": "c", "duplicate_of": "a", "kind": "exact", "similarity": 1.0}])
    >>> c.same("a", "b"), c.same("b", "c"), c.same("a", "d")
    (True, True, False)
    >>> c.words("a", "b")
    'b is a near-duplicate of a (similarity 0.90)'
    >>> c.words("b", "c")  # doctest: +NORMALIZE_WHITESPACE
    'b and c both repeat a (b: near-duplicate of a (similarity 0.90);
     c: exact duplicate of a)'
    """

    def __init__(self, copies=()):
        self.rows = {c["doc_id"]: c for c in copies}

    def root(self, d):
        return self.rows[d]["duplicate_of"] if d in self.rows else d

    def same(self, a, b) -> bool:
        return bool(self.rows) and a != b and self.root(a) == self.root(b)

    def words(self, a, b) -> str:
        """Which of ``a`` and ``b`` repeats which, in words."""
        for x, y in ((b, a), (a, b)):
            if x in self.rows and self.rows[x]["duplicate_of"] == y:
                w = _copy_words(self.rows[x])
                return f"{x} is {'an' if w.startswith('exact') else 'a'} {w}"
        return (f"{a} and {b} both repeat {self.root(a)} ("
                + "; ".join(f"{d}: {_copy_words(self.rows[d])}" for d in (a, b)) + ")")

    def among(self, pairs) -> list[tuple]:
        """The pairs (doc, doc) of ``pairs`` that are copies, each once, in order."""
        seen = []
        for a, b in pairs:
            if self.same(a, b) and (a, b) not in seen and (b, a) not in seen:
                seen.append((a, b))
        return seen


def _formulaic_words(t: pd.DataFrame, n: int) -> str:
    """How widely the set phrasing and the widespread passages occur, in words.

    >>> t = pd.DataFrame({"kind": ["copy", "formulaic", "widespread"], "documents": [2, 3, 9]})
    >>> _formulaic_words(t, 26)
    "the formulaic and widespread ones are each in 3–9 of the corpus's 26 documents"
    >>> _formulaic_words(t.iloc[:2], 26)
    "the formulaic ones are each in 3 of the corpus's 26 documents"
    """
    kinds = [k for k in ("formulaic", "widespread") if (t["kind"] == k).any()]
    if not kinds:
        return "none formulaic"
    docs = t.loc[t["kind"].isin(kinds), "documents"]
    lo, hi = int(docs.min()), int(docs.max())
    return (f"the {' and '.join(kinds)} ones are each in {lo if lo == hi else f'{lo}–{hi}'} "
            f"of the corpus's {n} documents")


def _passages_caption(t: pd.DataFrame) -> str:
    kinds = t["kind"].value_counts() if len(t) else {}
    parts = [f"{k} {int(kinds[k])}" for k in ("copy", "template", "widespread", "formulaic")
             if k in kinds]
    return _plural(len(t), "shared passage") + (f" ({', '.join(parts)})" if parts else "")


def _separating_topics(prev: pd.DataFrame, compare: list, stock=()) -> list[str]:
    """For each group, the topic that sets it apart from the other groups, by a stated
    rule: the group's share at least MIN_TOPIC_SHARE, a lead of MIN_TOPIC_LEAD (points of
    the groups' tokens) or more over the other groups' mean, and (where there are
    intervals) its interval above each other group's. Otherwise: no clear difference.
    Topics in ``stock`` (``model.stock_topics_``: the documents' form, preambles and
    safeguards) are passed over, and the findings say so, as copies are."""
    stock = [t for t in stock if t in set(prev["topic"])]
    if stock:
        prev = prev[~prev["topic"].isin(stock)]
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
            "intervals not overlapping" + (
                f"; stock-word topic{'s' if len(stock) > 1 else ''} "
                f"{', '.join(str(t) for t in stock)} passed over" if stock else ""))
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




def _choose_test(test: str, n_target: int, n_reference: int) -> tuple[str, str]:
    """(keyness measure, why, in words) for ``test``: "auto" is document-level when both
    sides have MIN_DOCS_DOCUMENT_TEST documents or more: the permutation test over
    document labels, which holds its level at every size (exact when the documents split
    at most EXACT_SPLITS ways); token-level (log-odds z) otherwise; "document" (the
    permutation test), "token" or a measure of :func:`bri_text.keyness` as asked. Welch's
    t is no longer chosen (session 42): its p for terms absent from one side is too small.

    >>> [_choose_test("auto", *n)[0] for n in ((5, 47), (11, 13), (5, 5), (1, 1))]
    ['permutation', 'permutation', 'permutation', 'log_odds']
    """
    from ..compare import DOC_MEASURES as _DOC_MEASURES, MEASURES as _MEASURES
    from ..compare import n_relabellings as _n_relabellings

    sizes = f"{n_target} and {n_reference} documents"
    if test == "auto":
        small = min(n_target, n_reference)
        splits = _n_relabellings(n_target, n_reference)
        if small >= MIN_DOCS_DOCUMENT_TEST and splits <= EXACT_SPLITS:
            floor = (2 if n_target == n_reference else 1) / splits
            return "permutation", (
                f"chosen because both sides have at least {MIN_DOCS_DOCUMENT_TEST} documents "
                f"and so few ({sizes}) that they can be split into groups of these sizes in "
                f"only {splits:,} ways: the permutation test enumerates them all, so its "
                f"p-values are exact, the smallest {floor:.2g}. Welch's t would give far "
                "smaller p to a term found in every document of one side and in none of the "
                "other (its t then rests on one side's spread alone: p = 4e-06 for a term "
                "once in each of 5 documents against 5 without it, where no relabelling of "
                "the ten gives less than 0.008) and count such terms as discoveries at "
                "q < .05; --test welch gives it anyway, --test token the token-level "
                "log-odds")
        if small >= MIN_DOCS_DOCUMENT_TEST:
            return "permutation", (
                f"chosen because both sides have at least {MIN_DOCS_DOCUMENT_TEST} documents "
                f"({sizes}). It relabels the documents, so its p-values hold their "
                "level at every size. Welch's t does not for terms absent from every "
                "document of one side (its t then rests on the other side's spread alone): "
                "on random splits of the 52 work reports, 8 vs 8 to 20 vs 20 documents, it "
                "gives p < .05 to 14-18% of them, where the permutation test gives 5-8%, "
                "and on unequal groups (5 vs 15 to 5 vs 47) to 6-21% of frequent terms "
                "(benchmarks/COMPARE.md); --test welch gives it anyway, --test token the "
                "token-level log-odds")
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


def _no_national(docs, mine=None) -> str:
    """Why no national document can be traced, in words (audit44 finding 11): no
    ``level`` column (said of a corpus of State Council reports, "no documents with level =
    national" misled), none with level = national (the levels present), or the compared
    documents (``mine``) are all national.

    >>> import pandas as pd
    >>> _no_national(pd.DataFrame({"doc_id": ["a"]}))
    'the corpus has no “level” column, by which national documents are found (level = national): add one to the table or to metadata.csv to trace them'
    >>> _no_national(pd.DataFrame({"level": ["provincial", "provincial", None]}))
    'the corpus has no documents with level = national (level: provincial 2, none 1)'
    """
    if "level" not in docs.columns:
        return ("the corpus has no “level” column, by which national documents are found "
                "(level = national): add one to the table or to metadata.csv to trace them")
    level = docs["level"].astype("string")
    national = (level == "national").fillna(False).to_numpy(bool)
    if national.any() and mine is not None and not (mine & ~national).any():
        return "every compared document is national (level = national): nothing to trace them into"
    counts = level.fillna("none").value_counts()
    return ("the corpus has no documents with level = national (level: "
            + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")

