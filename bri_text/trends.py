"""Terms over time: how often chosen terms are used per group (year), with bootstrap
intervals, and the first group in which each appears (:func:`term_trends`); whether they
rise or fall (:func:`trend_test`); and the company each keeps per period
(:func:`term_company`).

>>> import bri_text as bt
>>> tokens = bt.tokenize(bt.load_work_reports().subset(year=[2013, 2014, 2015]))
>>> tr = bt.term_trends(tokens, terms=["一带一路", "丝绸之路经济带"], n_boot=0)
>>> tr.pivot(index="group", columns="term", values="count").values.tolist()
[[0, 0], [0, 2], [1, 2]]
>>> tr.groupby("term")["first_seen"].first().to_dict()
{'一带一路': 2015, '丝绸之路经济带': 2014}
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from . import _stats
from ._grouping import (DECADE, _decades, _group_codes, _noun, _time_bins, _time_grid,
                        _warn_same_places, _warn_split_documents)
from ._util import check_random_state, check_scalar, seed_record
from .errors import ParameterError
from .features import (check_concepts, concept_mentions, term_mentions, tokens_fingerprint,
                       warn_in_words, warn_missing_or_split)

__all__ = ["term_company", "term_trends", "trend_test"]

_COLUMNS = ["group", "term", "count", "nested", "split", "in_words", "n_tokens", "n_units",
            "n_docs", "per_10k", "ci_low", "ci_high", "n_failed", "interval", "first_seen",
            "first_seen_after", "first_seen_censored"]
NO_DOCUMENT = "none: no document"


def unit_counts(tokens, terms: list[str], nested: bool = True, variants=None) -> dict:
    """Mentions of ``terms`` per unit, as :func:`bri_text.features.term_mentions` counts
    them (tokens, the term inside longer lexicon tokens, and occurrences the tokenizer
    split, read from the text), with ``count`` (their sum) and ``n_tokens`` per unit.
    With ``variants`` (``{concept: [variants]}``, ``terms`` its keys) the concepts'
    mentions, each position once (:func:`bri_text.features.concept_mentions`)."""
    r = (concept_mentions(tokens, variants, nested) if variants is not None
         else term_mentions(tokens, terms, nested))
    r["count"] = r["own"] + r["nested"] + r["split"]
    r["n_tokens"] = np.asarray(r["dtm"].counts.sum(axis=1)).ravel().astype(np.int64)
    return r


def _order(labels: list, codes=None, docs=None) -> tuple[list[int], str]:
    """Group indices in time order, and the rule used: numbers (years) and periods
    ascending; other labels (eras, congresses written as text) by the earliest ``year`` of
    their units when the units have one (毛泽东时期 before 改革开放 before 新时代, not in the
    order of the characters), else by label, else as they come."""
    if not any(isinstance(x, str) for x in labels) or docs is None \
            or "year" not in getattr(docs, "columns", ()):
        try:
            return sorted(range(len(labels)), key=lambda g: labels[g]), "label"
        except TypeError:
            return list(range(len(labels))), "as they come"
    years = pd.to_numeric(docs["year"], errors="coerce").to_numpy(dtype=float)
    first = [np.nanmin(years[codes == g]) if np.isfinite(years[codes == g]).any()
             else np.inf for g in range(len(labels))]
    return (sorted(range(len(labels)), key=lambda g: (first[g], str(labels[g]))),
            "earliest year")


def term_trends(tokens, terms, by="year", *, nested: bool = True, n_boot: int = 1000,
                ci: float = 0.95, random_state=0, resample: str = "two-stage",
                fill_years: bool = True, freq: str | None = None) -> pd.DataFrame:
    """How often each of ``terms`` is used per group of ``by`` (default ``"year"``), per
    10,000 tokens, with a bootstrap interval and the first group in which it appears.

    A word's meaning may change while its count goes on as one series (市场 of the 1950s
    reports is not the 市场 of the 1990s): see :func:`term_company` for the words a term
    keeps company with in each period, and how much that company changes.

    Parameters
    ----------
    tokens : Tokens (or a Corpus, segmented with the default Tokenizer, or token lists)
    terms : str, list of str, or dict of concept -> list of variants
        Terms as the tokenizer writes them (canonical forms: 一带一路, 丝绸之路经济带).
        Every occurrence counts, whatever the tokenizer made of it: a token equal to the
        term; with ``nested=True`` the term inside a longer lexicon token (一带一路 in
        一带一路国际合作高峰论坛); and an occurrence the tokenizer split (大/数据, or
        大/数据分析), read from the text and counted in ``split``, with a warning that says
        how to keep the term whole for token-based analyses (see
        ``bri_text.segment._mentions`` for the rule). A term absent from the text gets zero
        counts and a "check the spelling" warning.
        A dict counts concepts written in several ways, one row per concept:
        ``{"四个现代化": ["四个现代化", "农业、工业、国防和科学技术的现代化"], "一带一路":
        ["一带一路"]}`` (1975 writes the Four Modernisations only in full). Each variant is
        found as a term is, and mentions of a concept's variants that overlap in the text
        count once (with variants 改革 and 改革开放, a mention of 改革开放 is one mention,
        not one of each); ``nested``/``split`` say how many of the concept's mentions lie
        inside a longer token / were split by the tokenizer. The warnings name the
        variants; ``attrs["variants"]`` records the dict (None for a list). Read a short
        variant in context before trusting it: 四化 is the Four Modernisations in 1980-86,
        but the cadres' 四化 (革命化、年轻化…) in 2002 and 四化同步 in 2014.
    by : str
        Metadata column of the groups (units with no value are left out, with a warning).
        A date column (datetimes, or ISO dates such as ``2021-03-08``) is binned by
        ``freq``. ``by="decade"``: decades of the ``year`` column (1950 for 1950-1959),
        unless there is a ``decade`` column (README, "Decades"); ``fill_years`` fills the
        decades with no document.
    freq : ``"year"`` (default for a date column), ``"quarter"`` or ``"month"``
        The periods a date column ``by`` is grouped into (groups ``2021``, ``"2021Q1"``,
        ``"2021-03"``); None for any other column.
    n_boot, ci, random_state, resample
        Bootstrap intervals of the rate (percentile, level ``ci``; ``n_boot=0``: none).
        ``resample="two-stage"`` (default) draws the group's documents, then units within
        them: the interval says how much the rate depends on which texts the group has, and
        a group of one document gets none (NaN, one warning). The work reports have one
        report a year: tokenize them by paragraph and use ``resample="unit"`` for
        within-document intervals (how much the year's rate depends on which paragraphs
        its report has, labelled "within-document"), or group years (``by="congress"``).
        ``random_state`` (default 0, recorded in ``attrs``): another int draws other
        resamples, None fresh randomness (docs/STATISTICS.md, "Seeds").
        The bootstrap draws units (paragraphs) under ``"unit"``, documents otherwise, and
        mentions come in clusters of them: the two rules below count those, not tokens
        (coverage in benchmarks/TRENDS.md, "Few mentions").
        A term not mentioned in a group whose interval could be computed gets [0, upper],
        not the [0, 0] every resample gives (a rate of 0 in one report is not known to
        be exactly 0): upper is the Clopper-Pearson bound for 0 of the group's n drawn
        units (1 - ((1 - ci) / 2) ** (1 / n): at most that share of them mentions the
        term) times n and the term's mentions per mentioning unit over the whole table
        (``attrs["burst"]``; 1 for a term never mentioned), per 10k of the group's
        tokens: about 3.7 x burst mentions. 2013 has no 一带一路, whose 40 mentions in
        the reports are in 35 paragraphs: [0, 3.5 x 40 / 35 mentions] in its 79
        paragraphs, 5,152 tokens: [0, 8.0] per 10k (``attrs["zero_interval"]``;
        ``attrs["n_zero_intervals"]`` counts the rows).
        A term mentioned a few times gets no narrower an interval than the exact Poisson
        (Garwood) interval of its count, on the effective count c / deff and scaled back
        (deff = max(1, the count's variance over the drawn units / c), Korn & Graubard):
        a bootstrap of 1 mention in one paragraph reaches 3 mentions at most, the exact
        bound 5.6 (``attrs["small_counts"]``). It matters below about 10 mentions
        (coverage at 4-8 expected mentions 0.80-0.94 before, 0.92-0.99 now); with 50-200
        mentions the interval is 6-12% wider than the bootstrap's alone, whose coverage
        there is 0.89-0.94 (now 0.93-0.96).
    fill_years : bool
        When the groups are whole numbers (years), add the missing ones between the first
        and the last, with ``n_docs`` 0, ``count``, ``nested``, ``split`` <NA> (nothing was
        counted: not 0 mentions), NaN rate and ``interval`` "none: no document", so that a
        plot shows the gaps (quarters and months likewise). A grid of more than 1,000
        groups raises :class:`~bri_text.errors.ParameterError`: bin the dates.

    Returns one row per group and term, groups in order: ``group``, ``term``, ``count``
    (mentions), ``nested`` (of which inside longer tokens), ``split`` (of which split by
    the tokenizer), ``in_words`` (occurrences inside longer words that are *not* counted:
    words of the general dictionary, 帝国主义 in 美帝国主义, 计划 in 五年计划, and joined
    negations, 现代化 in 没有现代化; a warning names the terms with 5% or more of their
    occurrences there, with the words: name those words as terms to count them, each in its
    own row), ``n_tokens``, ``n_units``,
    ``n_docs``, ``per_10k`` (count / n_tokens x 10,000), ``ci_low``, ``ci_high``,
    ``n_failed``, ``interval`` (as in :func:`bri_text.profile`), ``first_seen`` (the
    first group with a mention; None if none), ``first_seen_after`` (the last group before
    ``first_seen`` that has a document; None if none) and ``first_seen_censored`` (True
    when the period just before ``first_seen`` has no document - a year missing from the
    data, or ``first_seen`` is the first period - so the term may have appeared earlier:
    the work reports have no 2020 report, and 六保, introduced in it, is first seen in
    2021, after 2019). A warning names the terms first seen right after a gap. ``attrs``
    record the resampling.

    >>> import bri_text as bt
    >>> plans = bt.load_bri_policies().subset(region=["广西", "甘肃", "河南"])  # 2015-2017
    >>> tr = bt.term_trends(bt.tokenize(plans), ["东盟", "丝绸之路经济带"], n_boot=0)
    >>> tr.pivot(index="group", columns="term", values="count").values.tolist()  # 东盟, 丝绸...
    [[0, 6], [126, 12], [0, 0]]
    >>> tr.groupby("term")["first_seen"].first().to_dict()
    {'东盟': 2016, '丝绸之路经济带': 2015}
    """
    terms, variants = check_concepts(terms)
    n_boot = check_scalar(n_boot, "n_boot", min_val=0)
    _stats.check_interval_args(n_boot, ci, resample)
    if by is None or not isinstance(by, str):
        raise ParameterError(f"by must be a metadata column name (e.g. 'year'), got {by!r}")
    rng = check_random_state(random_state)
    r = unit_counts(tokens, terms, nested, variants)
    counts, inside, split, n_tok = r["count"], r["nested"], r["split"], r["n_tokens"]
    in_words = r["in_words"]
    if by == DECADE:        # decades (_decades, in _group_codes), filled by tens
        if freq is not None:
            raise ParameterError(f"term_trends: freq={freq!r} bins a date column; "
                                 "by='decade' groups by decade already: leave freq=None")
        docs, freq = r["dtm"].docs, DECADE
    else:
        docs, freq = _time_bins(r["dtm"].docs, by, freq, "term_trends")
    codes, labels, _ = _group_codes(docs, by, "term_trends")
    _warn_split_documents(docs, codes, labels, by, "term_trends")
    doc_of = _stats.document_ids(docs)
    iv = _stats.Intervals(resample, n_boot, ci, rng) if n_boot else None
    T = len(terms)
    # the units the bootstrap draws (paragraphs under "unit", else documents): a zero's
    # bound and a few mentions' design effect are over them, not over tokens
    cluster = np.arange(len(codes)) if resample == "unit" else doc_of
    burst = _burst_size(counts, codes, cluster) if iv is not None else None
    rows = []
    order, order_rule = _order(labels, codes, docs)
    for g in order:
        idx = np.flatnonzero(codes == g)
        c, t = counts[idx], n_tok[idx]
        total, ntot = c.sum(axis=0), int(t.sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = total / ntot * 1e4 if ntot else np.full(T, np.nan)
        n_docs = _stats.n_documents(doc_of[idx])
        if iv is None:
            lo = hi = np.full(T, np.nan)
            n_failed, interval = 0, "none: n_boot=0"
        else:
            def stat(w, c=c, t=t):
                with np.errstate(divide="ignore", invalid="ignore"):
                    bottom = (w @ t)[:, None]
                    return np.where(bottom > 0, (w @ c) / bottom * 1e4, np.nan)

            lo, hi, n_failed, interval = iv.run(labels[g], stat, doc_of[idx], rate)
            # no mention: not known to be exactly 0 (_stats.ZERO_RULE), bound over the
            # group's resampled units, each mentioning one the term's usual burst
            n_cl = _stats.n_documents(cluster[idx])
            if ntot:
                lo, hi = iv.zero_counts(total, lo, hi, n_cl, n_cl * burst / ntot * 1e4)
                # a few mentions: no narrower than their exact Poisson interval
                var = _stats.cluster_variance(c, t, cluster[idx])
                lo, hi, _ = _stats.small_count_intervals(total, var, lo, hi, ci, 1e4 / ntot)
        label = labels[g].item() if isinstance(labels[g], np.generic) else labels[g]
        for k in range(T):
            rows.append((label, terms[k], int(total[k]), int(inside[idx, k].sum()),
                         int(split[idx, k].sum()), int(in_words[idx, k].sum()), ntot,
                         len(idx), n_docs, rate[k], lo[k], hi[k], n_failed, interval))
    out = pd.DataFrame(rows, columns=_COLUMNS[:-3])
    if iv is not None:
        iv.warn("term_trends")
    if fill_years:
        out = _fill_years(out, terms, freq)
    seen = out[out["count"].fillna(0) > 0].groupby("term", sort=False)["group"].first()
    seen = {t: g.item() if isinstance(g, np.generic) else g for t, g in seen.items()}
    out["first_seen"] = pd.Series([seen.get(t) for t in out["term"]], index=out.index,
                                  dtype=object)     # years stay ints beside a None
    out = _first_seen_context(out, terms, freq)
    if variants is None:
        warn_missing_or_split("term_trends", terms, r)
    else:                                   # absent or split variants, by name
        warn_missing_or_split("term_trends", r["variants"], r["variant"])
    warn_in_words("term_trends", terms, r)
    out.attrs.update(iv.attrs() if iv is not None else {"n_boot": 0})
    if iv is not None:
        unit = "units (paragraphs)" if resample == "unit" else "documents"
        out.attrs["n_zero_intervals"] = iv.n_zero_rows
        out.attrs["zero_interval"] = (
            _stats.ZERO_RULE + f", n = the group's {unit}, times n and the term's mentions "
            f"per mentioning one of its {unit} over the table (attrs['burst'])")
        out.attrs["burst"] = {t: float(b) for t, b in zip(terms, burst)}
        out.attrs["small_counts"] = _stats.SMALL_COUNT_RULE
    out.attrs.update({"by": by, "nested": nested, "rate": "per 10,000 tokens", "freq": freq,
                      "terms": list(terms),
                      "variants": ({k: list(v) for k, v in variants.items()}
                                   if variants is not None else None),
                      "fill_years": fill_years,
                      "group_order": order_rule,
                      "tokens_fingerprint": tokens_fingerprint(r["dtm"]),
                      "random_state": seed_record(random_state) if n_boot else None})
    return out


def _burst_size(counts, codes, cluster) -> np.ndarray:
    """Per term, its mentions per mentioning cluster (unit or document) over the units
    that belong to a group; 1 for a term never mentioned.

    >>> _burst_size(np.array([[2, 0], [1, 0], [0, 0]]), np.array([0, 0, 1]),
    ...             np.array([0, 1, 2])).tolist()
    [1.5, 1.0]
    """
    keep = codes >= 0
    key = pd.factorize(pd.Series(list(zip(codes[keep], cluster[keep]))))[0]
    per = np.zeros((int(key.max()) + 1 if len(key) else 0, counts.shape[1]))
    np.add.at(per, key, counts[keep])
    used = (per > 0).sum(axis=0)
    return np.where(used > 0, per.sum(axis=0) / np.maximum(used, 1), 1.0)


def _fill_years(out: pd.DataFrame, terms: list[str], freq: str | None = None
                ) -> pd.DataFrame:
    grid = _time_grid(out["group"].unique(), freq, "term_trends")
    if grid is None:
        return out
    yearly = freq in (None, "year", DECADE)
    present = set(out["group"].astype(int) if yearly else out["group"])
    missing = [y for y in grid if y not in present]
    if not missing:
        return out
    # no document, no count: <NA>, not 0 (a pivot on count must not read "0 mentions")
    extra = pd.DataFrame([(y, t, pd.NA, pd.NA, pd.NA, pd.NA, 0, 0, 0, np.nan, np.nan, np.nan, 0,
                           NO_DOCUMENT)
                          for y in missing for t in terms], columns=out.columns)
    counts = {c: "Int64" for c in ("count", "nested", "split", "in_words")}
    if yearly:
        out = out.assign(group=out["group"].astype(int))
    out = pd.concat([out.astype(counts),
                     extra.astype(counts)], ignore_index=True)
    order = {t: k for k, t in enumerate(terms)}
    return (out.assign(_k=out["term"].map(order))
            .sort_values(["group", "_k"], kind="stable").drop(columns="_k")
            .reset_index(drop=True))


def _first_seen_context(out: pd.DataFrame, terms: list[str], freq: str | None
                        ) -> pd.DataFrame:
    """``first_seen_after`` and ``first_seen_censored`` (see :func:`term_trends`), over the
    full grid of periods when the groups are periods (so a missing year counts as a gap
    even with ``fill_years=False``), else over the groups in order; warns when a term is
    first seen right after a period with no document."""
    import warnings

    from .errors import ParameterError

    docs = out.groupby("group", sort=False)["n_docs"].max()
    try:
        grid = _time_grid(list(docs.index), freq, "term_trends")
    except ParameterError:
        grid = None
    grid = list(docs.index) if grid is None else grid
    covered = [bool(docs.get(g, 0) > 0) for g in grid]
    index = {g: k for k, g in enumerate(grid)}
    after, censored, gaps = {}, {}, []   # per term
    for term, first in out.drop_duplicates("term")[["term", "first_seen"]].values:
        if first is None or first not in index:
            after[term], censored[term] = None, None
            continue
        k = index[first]
        before = [grid[j] for j in range(k) if covered[j]]
        after[term] = before[-1] if before else None
        censored[term] = k == 0 or not covered[k - 1]
        if k > 0 and censored[term]:
            missing = grid[index[after[term]] + 1:k] if before else grid[:k]
            gaps.append(f"{term} first seen {first}, after "
                        + (f"{missing[0]}" if len(missing) == 1 else
                           f"{missing[0]}-{missing[-1]}") + " with no document")
    def column(values: dict) -> pd.Series:
        return pd.Series([_plain(values[t]) for t in out["term"]], index=out.index,
                         dtype=object)

    out = out.assign(first_seen_after=column(after), first_seen_censored=column(censored))
    if gaps:
        warnings.warn("term_trends: " + "; ".join(gaps) + ": the term may have appeared "
                      "in a missing period (first_seen_censored True; first_seen_after is "
                      "the last period with a document before it)", stacklevel=3)
    return out


def _plain(value):
    """A numpy scalar as the Python value (a year as int, a flag as bool)."""
    return value.item() if isinstance(value, np.generic) else value


# --------------------------------------------------------------------------- company
_COMPANY_COLUMNS = ["group", "rank", "word", "count", "n_docs", "word_count", "g2",
                    "log_ratio", "mentions", "jaccard", "cosine", "top_doc_share",
                    "split_jaccard", "split_cosine"]
#: Random halvings of a period's documents behind ``split_jaccard`` / ``split_cosine``
N_SPLITS = 20
#: A word is a term's company in a period only with G2 at least this (p < .05, 1 df)
MIN_G2 = 3.84


def _company_periods(docs: pd.DataFrame, by, where: str):
    """(the units' metadata with the period column, its name, code per unit, labels):
    ``by`` a metadata column (a date column binned to years), or ``"decade"`` (the
    library's rule, ``_grouping._decades``: 1950 for 1950-1959). Units with no period get
    code -1 and the library's warning.

    >>> d = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [1954, 1959, 1992]})
    >>> _company_periods(d, "decade", "example")[2:]
    (array([0, 0, 1]), [1950, 1990])
    """
    from ._util import check_column, warn_left_out

    if not isinstance(by, str):
        raise ParameterError(f"{where}: by must be a metadata column name or 'decade', "
                             f"got {by!r}")
    docs, source = _decades(docs, by, where)
    if source is None:
        check_column(docs, by, "by")
        docs, _ = _time_bins(docs, by, None, where)     # a date column: years
    codes, labels, _ = _group_codes(docs, by)
    labels = [_plain(x) for x in labels]
    warn_left_out(codes < 0, docs, source or by, where)
    if source is None:
        _warn_same_places(labels, np.bincount(codes[codes >= 0], minlength=len(labels)).tolist(),
                          by, where, _noun(docs))
    return docs, by, codes, labels


def _warn_few_documents(periods: pd.DataFrame, term: str, min_docs: int, empty: bool,
                        where: str) -> None:
    """One warning naming the periods that mention ``term`` in fewer than ``min_docs``
    documents (no word can be their company), and saying what to do when the table is
    empty because of it (one report a year: ``by="year"`` gives no company)."""
    short = periods[(periods["mentions"] > 0) & (periods["docs_mentioning"] < min_docs)]
    if not len(short):
        return
    import warnings

    named = ", ".join(f"{_plain(g)}: {d} document{'s' if d != 1 else ''}"
                      for g, d in short[["group", "docs_mentioning"]].values[:5])
    more = f" and {len(short) - 5} more" if len(short) > 5 else ""
    n_with = int((periods["mentions"] > 0).sum())
    fix = ("; the table is empty: group the periods (by='decade', or a column of eras) or "
           "pass min_docs=1 and read n_docs" if empty else "")
    warnings.warn(f"{where}: {term} is mentioned in fewer than min_docs={min_docs} "
                  f"documents in {len(short)} of the {n_with} periods that mention it "
                  f"({named}{more}), so no word is its company there "
                  f"(attrs['periods']){fix}", stacklevel=3)


def term_company(tokens, term: str, by="decade", *, window: int = 5, top_n: int = 10,
                 min_count: int = 3, min_docs: int = 2) -> pd.DataFrame:
    """The company a term keeps in each period: the words within ``window`` tokens of its
    mentions, ranked by how much more often they occur there than elsewhere in the same
    period, and how much that company changes from one period to the next. Read it beside
    :func:`term_trends`: the same mentions, per period.

    A word's count over decades (:func:`term_trends`) is one series even when its meaning
    changed: in the 1950s reports 市场 keeps company with 稳定, 物价, 商业部门 (keeping the
    market's prices stable), in the 1990s with 建立, 开拓, 培育 (building the socialist
    market economy, opening markets), in the 2010s with 房地产, 调控, 活力 (the housing
    market, the market's vitality). The mentions are those :func:`term_trends` counts
    (the term as a token; inside a longer lexicon token, 社会主义市场经济体制, whose
    neighbours are then its company; split by the tokenizer), as :func:`bri_text.kwic`
    finds them. The tokens within ``window`` positions on either side of a mention, in its
    unit (stopwords and punctuation are not tokens; tokenize ``corpus.reshape("paragraph")``
    to keep windows inside paragraphs), are the term's *window*; a token position counts
    once however many mentions it is near, and the mentions are no one's company.

    A word is ranked by the log-likelihood G2 of the 2x2 table of its count in the window
    against its count in the rest of the period's tokens: each period is measured against
    its own frequencies, so a word common everywhere (经济, 发展) is not company, and a
    small decade is ranked by its own frequencies (but its G2 are smaller: fewer words pass,
    15 for 市场 in the 1950s, 92 in the 2010s). Only words more frequent in the window
    than outside it with G2 >= 3.84 (``bri_text.trends.MIN_G2``) are company. That cut is
    a ranking threshold, not a test: G2 counts tokens as independent, but they cluster in
    documents (a report repeating a phrase), and hundreds of words are tried per period
    with no correction; G2 >= 3.84 is not "p < .05". ``log_ratio`` is log2 of the ratio
    of the word's rates in and outside the window (Hardie's Log Ratio). A word also needs
    ``min_count`` co-occurrences from ``min_docs`` documents (default 2); that does not
    stop one report from carrying it: ``top_doc_share`` is the share of its co-occurrences
    from the one document with most (农业 in the 1960s: 发展 56, 91% from one of the two
    reports). Read a word with a share near 1 as that report's, not the period's.

    ``by``: a metadata column (a date column is binned to years), or ``"decade"`` (the
    decade of the ``year`` column, labelled by its first year: 1950 for 1950-1959, when
    there is no column named ``decade``; README, "Decades"). Units with no period are left out, with a
    warning, and counted in ``attrs``. Periods are in time order (as in
    :func:`term_trends`). A period must have ``min_docs`` documents mentioning the term to
    have any company: with one report a year, ``by="year"`` gives none (a warning names
    the periods short of documents).

    Returns one row per period and ranked word: ``group``, ``rank``, ``word``, ``count``
    (in the term's window), ``n_docs`` (documents those co-occurrences come from),
    ``word_count`` (the word in the whole period), ``g2``, ``log_ratio``, ``mentions``
    (the term's in the period), and how much the company changed since the previous
    period that has any: ``jaccard``, the overlap of the two periods' top ``top_n`` words
    (shared / either: 1 the same company, 0 none in common), and ``cosine``, of the two
    periods' G2 over all their company (1 the same words in the same proportions; NaN for
    the first period); ``split_jaccard`` and ``split_cosine``, the same measures between
    two random halves of the period's own documents (the median of
    ``bri_text.trends.N_SPLITS`` = 20 halvings, each half with half the documents that
    mention the term; NaN with fewer than ``2 * min_docs`` of them): what *no change*
    looks like at half the period's size. Read ``jaccard`` against them, not against 1:
    on the work reports the halves of one decade share little of their top 10 (市场,
    1980s-2020s: ``split_jaccard`` 0.18-0.25; 改革 0.11-0.38), about as little as
    consecutive decades (市场's ``jaccard`` 0.11-0.25), so those changes are not shown to
    exceed a decade's own noise. The halves are half as large, so the baseline is a lower
    bound for two whole periods; a ``jaccard`` well under it is change. A period without
    a mention or without a word passing the thresholds has no rows; ``attrs["periods"]`` lists every period with documents:
    ``group``, ``n_docs``, ``n_tokens``, ``mentions``, ``docs_mentioning``,
    ``window_tokens``, ``n_words`` (words passing the thresholds),
    ``previous`` (the period compared with), ``jaccard``, ``cosine``, ``split_jaccard``,
    ``split_cosine``, ``kept`` and ``new``
    (top words shared with it / not in it). ``attrs`` also record the parameters,
    ``mentions`` (all), ``split`` and ``n_units_without_period`` /
    ``n_docs_without_period`` / ``mentions_without_period``. A term never mentioned
    raises :class:`~bri_text.errors.ParameterError`.

    >>> import bri_text as bt
    >>> tokens = bt.tokenize(bt.load_work_reports())
    >>> c = term_company(tokens, "市场", top_n=5)
    >>> top = c.pivot(index="group", columns="rank", values="word")
    >>> top.loc[[1950, 1990, 2010]].values.tolist()
    [['稳定', '物价', '商业部门', '国内', '保证'], ['建立', '开拓', '竞争能力', '多元化', '培育'], ['房地产', '调控', '活力', '创造力', '利率']]
    >>> c.attrs["periods"][["group", "mentions", "n_words", "previous", "jaccard"]].head(4)
       group  mentions  n_words previous   jaccard
    0   1950        34       15     None       NaN
    1   1960         1        0     None       NaN
    2   1970         5        0     None       NaN
    3   1980       141       58     1950  0.111111
    >>> c.attrs["periods"][["group", "jaccard", "split_jaccard"]].iloc[3:6].round(2)
       group  jaccard  split_jaccard
    3   1980     0.11           0.25
    4   1990     0.11           0.25
    5   2000     0.25           0.11
    """
    if not isinstance(term, str) or not term.strip():
        raise ParameterError(f"term_company: term must be a word (a string), got {term!r}")
    window = check_scalar(window, "window", min_val=1)
    top_n = check_scalar(top_n, "top_n", min_val=1)
    min_count = check_scalar(min_count, "min_count", min_val=1)
    min_docs = check_scalar(min_docs, "min_docs", min_val=1)
    where = "term_company"
    from .features import as_tokens, mention_positions

    tokens = as_tokens(tokens)
    token_lists, docs, at, n_split = mention_positions(tokens, term, where)
    docs, name, codes, labels = _company_periods(docs, by, where)
    if not len(at):
        raise ParameterError(f"{where}: {term!r} is not mentioned in the {len(docs)} units; "
                             "check the spelling (write the term as the tokenizer does, "
                             "e.g. 一带一路; a phrase of several tokens with spaces)")
    _warn_split_documents(docs, codes, labels, name, where)
    doc_code = pd.factorize(_stats.document_ids(docs))[0]
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64,
                          count=len(token_lists))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    flat = [w for t in token_lists for w in t]
    ids, words = pd.factorize(pd.Series(flat, dtype=object))
    ids = np.asarray(ids)
    words = np.asarray(words, dtype=object)
    hit = np.zeros(len(flat), dtype=bool)
    near = np.zeros(len(flat), dtype=bool)
    for u, first, last in at.tolist():
        n = int(lengths[u])
        last = min(last, n - 1)
        first = min(first, last)
        hit[starts[u] + first:starts[u] + last + 1] = True
        near[starts[u] + max(0, first - window):starts[u] + min(n, last + window + 1)] = True
    near &= ~hit
    unit_of = np.repeat(np.arange(len(token_lists)), lengths)
    period = codes[unit_of]
    valid = (period >= 0) & ~hit
    V = len(words)
    inside = near & (period >= 0)
    hit_unit = at[:, 0] if len(at) else np.zeros(0, dtype=np.int64)
    hit_period = codes[hit_unit]
    order, _ = _order(labels, codes, docs)
    rows, periods, prev_top, prev_label, prev_assoc = [], [], None, None, {}
    unit_win = sparse.csr_matrix((np.ones(int(inside.sum())),
                                  (unit_of[inside], ids[inside])), shape=(len(lengths), V))
    unit_all = sparse.csr_matrix((np.ones(int(valid.sum())), (unit_of[valid], ids[valid])),
                                 shape=(len(lengths), V))
    doc_ids = np.asarray(_stats.document_ids(docs), dtype=object)
    n_doc = int(doc_code.max()) + 1 if len(doc_code) else 0

    def company(units):
        """The company of ``units``: word ids passing, their G2, Log Ratio, ranked
        positions; the window counts, documents, all counts, window size, per document."""
        per_doc = sparse.csr_matrix((np.ones(len(units)), (doc_code[units],
                                                           np.arange(len(units)))),
                                    shape=(n_doc, len(units))) @ unit_win[units]
        a = np.asarray(per_doc.sum(axis=0)).ravel()
        c_all = np.asarray(unit_all[units].sum(axis=0)).ravel()
        nd = np.asarray((per_doc > 0).sum(axis=0)).ravel()
        n_win = int(a.sum())
        n_out = int(c_all.sum()) - n_win
        cand = np.flatnonzero((a >= min_count) & (nd >= min_docs))
        g2, _ = _stats.g2(a[cand], c_all[cand] - a[cand], n_win, n_out)
        lr = _stats.log_ratio(a[cand], c_all[cand] - a[cand], n_win, n_out)
        keep = g2 >= MIN_G2
        cand, g2, lr = cand[keep], g2[keep], lr[keep]
        ranked = sorted(range(len(cand)), key=lambda k: (-g2[k], -a[cand[k]],
                                                         words[cand[k]]))[:top_n]
        return cand, g2, lr, ranked, a, nd, c_all, n_win, per_doc

    def change(top, assoc, prev_top, prev_assoc):
        """(jaccard of two top lists, cosine of two {word: G2})."""
        jac = len(set(top) & set(prev_top)) / len(set(top) | set(prev_top))
        both = sorted(set(assoc) | set(prev_assoc))
        x = np.array([assoc.get(w, 0.0) for w in both])
        y = np.array([prev_assoc.get(w, 0.0) for w in both])
        return jac, float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    def split_half(units, mentioning):
        """Median jaccard and cosine between two random halves of the period's documents
        (N_SPLITS halvings, each half with half the documents mentioning the term):
        what "no change" looks like at half the period's size."""
        own = np.unique(doc_code[units])
        men = np.array(sorted(set(mentioning.tolist()), key=lambda d: str(doc_ids[d])))
        rest = np.array(sorted(set(own.tolist()) - set(men.tolist()),
                               key=lambda d: str(doc_ids[d])), dtype=np.int64)
        if len(men) < 2 * min_docs:
            return np.nan, np.nan
        rng = np.random.default_rng(0)
        jac, cos = [], []
        for _ in range(N_SPLITS):
            order = np.concatenate([rng.permutation(men), rng.permutation(rest)])
            halves = []
            for half in (order[0::2], order[1::2]):
                u = units[np.isin(doc_code[units], half)]
                cand, g2, _, ranked, *_ = company(u)
                halves.append(([words[cand[k]] for k in ranked],
                               dict(zip(cand.tolist(), g2.tolist()))))
            if halves[0][0] and halves[1][0]:
                j, c = change(halves[0][0], halves[0][1], halves[1][0], halves[1][1])
                jac.append(j)
                cos.append(c)
        if not jac:
            return np.nan, np.nan
        return float(np.median(jac)), float(np.median(cos))

    for g in order:
        units = np.flatnonzero(codes == g)
        cand, g2, lr, ranked, a, nd, c_all, n_win, per_doc = company(units)
        assoc = dict(zip(cand.tolist(), g2.tolist()))
        mentions = int((hit_period == g).sum())
        top = [words[cand[k]] for k in ranked]
        jac = cos = np.nan
        if top and prev_top is not None:
            jac, cos = change(top, assoc, prev_top, prev_assoc)
        mentioning = doc_code[hit_unit[hit_period == g]]
        s_jac, s_cos = split_half(units, mentioning) if top else (np.nan, np.nan)
        label = labels[g]
        for r, k in enumerate(ranked, start=1):
            w = cand[k]
            rows.append((label, r, words[w], int(a[w]), int(nd[w]), int(c_all[w]),
                         float(g2[k]), float(lr[k]), mentions, jac, cos,
                         float(per_doc[:, w].max() / a[w]),
                         s_jac, s_cos))
        periods.append({
            "group": label, "n_docs": _stats.n_documents(doc_code[units]),
            "n_tokens": int(lengths[units].sum()), "mentions": mentions,
            "docs_mentioning": len(set(doc_code[hit_unit[hit_period == g]].tolist())),
            "window_tokens": n_win, "n_words": len(cand),
            "previous": prev_label if top else None, "jaccard": jac, "cosine": cos,
            "split_jaccard": s_jac, "split_cosine": s_cos,
            "kept": [w for w in top if prev_top is not None and w in prev_top] if top else [],
            "new": [w for w in top if prev_top is None or w not in prev_top]})
        if top:
            prev_top, prev_label, prev_assoc = top, label, assoc
    out = pd.DataFrame(rows, columns=_COMPANY_COLUMNS)
    summary = pd.DataFrame(periods, columns=[
        "group", "n_docs", "n_tokens", "mentions", "docs_mentioning", "window_tokens",
        "n_words", "previous", "jaccard", "cosine", "split_jaccard", "split_cosine",
        "kept", "new"])
    summary["previous"] = pd.Series([p["previous"] for p in periods], index=summary.index,
                                    dtype=object)     # a year, or None (not 1950.0 / NaN)
    _warn_few_documents(summary, term, min_docs, len(out) == 0, where)
    missing = codes < 0
    out.attrs.update({
        "term": term, "by": name, "window": window, "top_n": top_n,
        "min_count": min_count, "min_docs": min_docs,
        "measure": "G2 of the word's count in the term's window against the rest of the "
                   "period (words more frequent in the window only)",
        "change": "jaccard: shared / either of the top_n words of the period and of the "
                  "previous period with any; cosine: of their G2 over all their company; "
                  "split_jaccard / split_cosine: the same between random halves of the "
                  "period's documents (median of N_SPLITS), the baseline of no change",
        "mentions": int(len(at)), "split": int(n_split),
        "n_units_without_period": int(missing.sum()),
        "n_docs_without_period": len(set(doc_code[missing].tolist())),
        "mentions_without_period": int((hit_period < 0).sum()),
        "periods": summary,
        "tokens_fingerprint": tokens_fingerprint(tokens)})
    return out


# --------------------------------------------------------------------------- trend test
_MEASURES = ("rate", "presence")
#: Fewer documents than this in the span: no test (NaN, with a warning).
MIN_DOCS_TEST = 5


def _warn_many_terms(out: pd.DataFrame, alpha: float) -> None:
    """One warning when, of several terms tested, a trend called on its own p-value
    does not survive Benjamini-Hochberg over the terms (audit44b: of 20 terms, one in
    20 is "rising" or "falling" at p < .05 with no trend at all)."""
    called = out["trend"].isin(["rising", "falling"])
    weak = out.loc[called & ~(out["q_value"] < alpha), "term"].tolist()
    n = int(out["p_value"].notna().sum())
    if n < 2 or not weak:
        return
    import warnings

    warnings.warn(f"trend_test: {n} terms tested; {len(weak)} of the {int(called.sum())} "
                  f"trends called at p < {alpha:g} have q >= {alpha:g} (Benjamini-Hochberg "
                  f"over the terms, q_value): {weak[:10]}{' ...' if len(weak) > 10 else ''}. "
                  f"Testing many terms, read q_value (or name the terms of a hypothesis "
                  f"fixed in advance)", stacklevel=3)


def trend_test(tokens, terms, by="year", *, span=None, measure: str = "rate",
               nested: bool = True, n_perm: int = 9999, block: int = 1, ci: float = 0.95,
               random_state=0) -> pd.DataFrame:
    """Is a term's use rising or falling over the years? A Mann-Kendall test with the
    documents as units, a Theil-Sen slope, and a change point (Pettitt).

    Each document gives one value: its mentions per 10,000 tokens (``measure="rate"``) or
    whether it mentions the term at all (``"presence"``); units of a reshaped corpus
    (paragraphs) are added up to their document first, which takes the year of its first
    unit (one warning names the documents whose units have different years). The tests
    rank these values, so a long report counts as one document, not as many tokens, and
    one report full of a term cannot make a trend alone.

    - ``tau``, ``p_value``: Kendall's tau between year and value (Mann-Kendall), p-value
      two-sided by permuting the values over the documents (``n_perm`` times; exact for
      ties and the many zeros of a rare term, where the normal approximation is not). The
      null hypothesis: the documents' values are exchangeable over the years.
    - ``slope``, ``slope_low``, ``slope_high``: Theil-Sen slope (median of the pairwise
      slopes: per 10k per year, or share of documents per year) with its distribution-free
      interval at level ``ci`` (scipy.stats.theilslopes). When more than half of the pairs
      of documents have the same value - a term most documents never use (pairs of
      zeros), and nearly always ``"presence"`` (0/1) - the median is 0 by these ties
      whatever the trend, so the three are NaN and ``slope_note`` says why (how many
      documents have no mention); read ``tau``, ``p_value``, the change point and
      ``before``/``after`` (the mean rates, or shares of documents, on either side) there.
      ``slope_note`` is None where the slope is reported.
    - ``q_value``: Benjamini-Hochberg over the terms of the table (since session 44):
      ``trend`` is read from each term's own ``p_value``, and one warning names the trends
      that do not reach q < 1 - ``ci`` when several terms are tested.
    - ``change_year``, ``change_p``, ``before``, ``after``: the split of the span that
      differs most (Pettitt's statistic), the first year after it, its permutation p-value
      (the same permutations), and the mean value of the documents before / after (each
      document weighs the same).

    The test assumes the documents are independent given the year: consecutive reports
    that share wording (a term that stays once introduced) are a trend by this test, and
    slow wandering of such a series raises the false-positive rate
    (benchmarks/TRENDS.md measures both). ``block=k`` permutes runs of k consecutive
    documents (in year order) instead of single ones, keeping each run's dependence (a
    block permutation): use it when neighbouring reports echo each other; it costs power.
    Use ``span=(first, last)`` to test a period. ``by="decade"``: each document has the
    decade of its ``year`` (1950 for 1950-1959), unless there is a ``decade`` column
    (README, "Decades"); a coarser test, the reports of a decade tied.

    Returns one row per term (a dict ``terms`` gives concepts, as in :func:`term_trends`):
    ``term``, ``n_docs``, ``first_year``, ``last_year``, ``n_mentioning`` (documents with a
    mention), ``measure``, ``tau``, ``p_value``, ``q_value``, ``slope``, ``slope_low``, ``slope_high``,
    ``slope_note``, ``trend`` ("rising" / "falling" where ``p_value < 1 - ci``, else "no trend shown";
    "constant: no test" when every document has the same value, e.g. no mention; "no
    test" with fewer than 5 documents),
    ``change_year``, ``change_p``, ``before``, ``after``; ``attrs`` record the method.

    >>> import bri_text as bt
    >>> tokens = bt.tokenize(bt.load_work_reports())
    >>> t = trend_test(tokens, ["改革开放", "创新"], span=(1992, 2025), n_perm=999)
    >>> t[["term", "n_docs", "trend", "change_year"]].values.tolist()
    [['改革开放', 32, 'falling', 2013], ['创新', 32, 'rising', 2006]]

    A rare term: 计划经济 is in 5 of the 32 reports since 1992 (the last in 2005); 351 of
    the 496 pairs of reports are two reports without it, so there is no slope, but the
    test and the change point speak:

    >>> r = trend_test(tokens, ["计划经济"], span=(1992, 2025), n_perm=999).iloc[0]
    >>> int(r["n_mentioning"]), r["trend"], int(r["change_year"]), bool(np.isnan(r["slope"]))
    (5, 'falling', 2006, True)
    >>> r["slope_note"][:60]
    'not estimated: 351 of 496 pairs of documents have the same v'
    """
    terms, variants = check_concepts(terms)
    n_perm = check_scalar(n_perm, "n_perm", min_val=99)
    block = check_scalar(block, "block", min_val=1)
    _stats.check_interval_args(0, ci, "two-stage")
    if measure not in _MEASURES:
        raise ParameterError(f"measure must be one of {_MEASURES}, got {measure!r}")
    if by is None or not isinstance(by, str):
        raise ParameterError(f"by must be a metadata column of years, got {by!r}")
    bounds = _span(span) if span is not None else None
    rng = check_random_state(random_state)
    r = unit_counts(tokens, terms, nested, variants)
    docs, source = _decades(r["dtm"].docs, by, "trend_test")
    if source is None:
        docs, _ = _time_bins(docs, by, None, "trend_test")
    if by not in docs.columns:
        raise ParameterError(f"trend_test: by={by!r} is not a metadata column; columns: "
                             f"{list(docs.columns)}")
    year = pd.to_numeric(docs[by], errors="coerce").to_numpy(dtype=float)
    if np.isnan(year).all():
        raise ParameterError(f"trend_test: by={by!r} holds no years (numbers or dates)")
    codes, labels, _ = _group_codes(docs, by)
    _warn_split_documents(docs, codes, labels, by, "trend_test", consequence=(
        "trend_test adds up each document's units and gives the document the "
        f"{by} of its first unit, so the units of another {by} are counted in that one"))
    doc_of = _stats.document_ids(docs)
    ids, first = np.unique(doc_of, return_index=True)
    _, code = np.unique(doc_of, return_inverse=True)
    counts = np.zeros((len(ids), len(terms)))
    np.add.at(counts, code, r["count"])
    n_tok = np.bincount(code, weights=r["n_tokens"], minlength=len(ids))
    years = year[first]
    keep = np.isfinite(years) & (n_tok > 0)
    if bounds is not None:
        keep &= (years >= bounds[0]) & (years <= bounds[1])
    if (~np.isfinite(years)).any():
        import warnings

        warnings.warn(f"trend_test: {int((~np.isfinite(years)).sum())} document(s) have no "
                      f"{source or by} and are left out", stacklevel=2)
    x, n_tok, counts = years[keep], n_tok[keep], counts[keep]
    values = counts / n_tok[:, None] * 1e4 if measure == "rate" else (counts > 0) * 1.0
    rows = [_one_trend(x, values[:, k], n_perm, ci, rng, block) for k in range(len(terms))]
    out = pd.DataFrame(rows)
    out["slope_note"] = pd.Series([r["slope_note"] for r in rows], index=out.index,
                                  dtype=object)       # None, not NaN, where reported
    out.insert(0, "term", terms)
    out.insert(4, "n_mentioning", (counts > 0).sum(axis=0))
    out.insert(5, "measure", "per 10,000 tokens" if measure == "rate" else "share of documents")
    out.insert(out.columns.get_loc("p_value") + 1, "q_value", _stats.q_values(out["p_value"]))
    _warn_many_terms(out, 1 - ci)
    if len(x) < MIN_DOCS_TEST:
        import warnings

        warnings.warn(f"trend_test: {len(x)} document(s) in the span; the test needs at "
                      f"least {MIN_DOCS_TEST} (NaN)", stacklevel=2)
    if variants is None:
        warn_missing_or_split("trend_test", terms, r)
    else:
        warn_missing_or_split("trend_test", r["variants"], r["variant"])
    out.attrs.update({
        "by": by, "span": None if bounds is None else list(bounds), "measure": measure,
        "unit": "document (its units added up)", "n_perm": n_perm, "block": block,
        "ci": ci,
        "test": "Mann-Kendall (Kendall's tau of year and document value), two-sided "
                "permutation p-value over documents"
                + (f" (blocks of {block} consecutive documents)" if block > 1 else ""),
        "slope": "Theil-Sen, interval from Kendall's S (scipy.stats.theilslopes)",
        "change_point": "Pettitt, permutation p-value", "nested": nested,
        "terms": list(terms),
        "variants": ({k: list(v) for k, v in variants.items()}
                     if variants is not None else None),
        "tokens_fingerprint": tokens_fingerprint(r["dtm"]),
        "random_state": seed_record(random_state)})
    return out


def _span(span) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in span)
    except (TypeError, ValueError):
        raise ParameterError(f"span must be (first year, last year), got {span!r}") from None
    if lo > hi:
        raise ParameterError(f"span: the first year {lo:g} is after the last {hi:g}")
    return lo, hi


def _permutations(n: int, n_perm: int, block: int, rng) -> np.ndarray:
    """``n_perm`` permutations of positions 0..n-1 (rows): of single positions, or of the
    runs of ``block`` consecutive positions (the last run may be shorter), each run kept
    in order.

    >>> _permutations(5, 2, 2, np.random.default_rng(0)).tolist()
    [[4, 2, 3, 0, 1], [0, 1, 2, 3, 4]]
    """
    if block <= 1:
        return np.argsort(rng.random((n_perm, n)), axis=1)
    runs = [np.arange(a, min(a + block, n)) for a in range(0, n, block)]
    order = np.argsort(rng.random((n_perm, len(runs))), axis=1)
    return np.array([np.concatenate([runs[b] for b in row]) for row in order])


def _one_trend(x, y, n_perm: int, ci: float, rng, block: int = 1) -> dict:
    """Mann-Kendall, Theil-Sen and Pettitt for one series (document years ``x``, values
    ``y``), p-values from one set of ``n_perm`` permutations of ``y`` (of runs of
    ``block`` documents in year order)."""
    from scipy import stats as st

    n = len(x)
    out = {"n_docs": n, "first_year": _year(x.min()) if n else None,
           "last_year": _year(x.max()) if n else None}
    nan = dict(tau=np.nan, p_value=np.nan, slope=np.nan, slope_low=np.nan,
               slope_high=np.nan, slope_note=None, trend="no test", change_year=None, change_p=np.nan,
               before=np.nan, after=np.nan)
    if n < MIN_DOCS_TEST or len(np.unique(x)) < 2:
        return {**out, **nan}
    if np.ptp(y) == 0:          # never mentioned (or in every document, for presence)
        return {**out, **nan, "slope": 0.0, "slope_low": 0.0, "slope_high": 0.0,
                "trend": "constant: no test", "before": y[0], "after": y[0]}
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    sx = (np.sign(x[None, :] - x[:, None]) * np.triu(np.ones((n, n)), 1)).astype(np.int8)
    cuts = np.flatnonzero(np.diff(x) > 0)         # Pettitt splits: after position t
    perms = _permutations(n, n_perm, block, rng)
    every = np.vstack([y[None, :], y[perms]])     # row 0: the observed order
    s, k = [], []
    step = max(1, 2_000_000 // (n * n))
    for a in range(0, n_perm + 1, step):
        ys = every[a:a + step]
        sy = np.sign(ys[:, None, :] - ys[:, :, None]).astype(np.int8)   # sign(y_j - y_i)
        s.append((sy * sx).sum(axis=(1, 2), dtype=np.int64))
        # U_t = sum_{i <= t < j} sign(y_j - y_i): prefix sums over i, suffix sums over j
        acc = np.cumsum(sy, axis=1, dtype=np.int32)
        acc = np.cumsum(acc[:, :, ::-1], axis=2)[:, :, ::-1]
        k.append(np.abs(acc[:, cuts, cuts + 1]))
    s, u = np.concatenate(s), np.concatenate(k)
    p = (1 + np.sum(np.abs(s[1:]) >= abs(s[0]))) / (n_perm + 1)
    tau = st.kendalltau(x, y).statistic
    k = u.max(axis=1)
    t = cuts[np.argmax(u[0])]
    change_p = (1 + np.sum(k[1:] >= k[0])) / (n_perm + 1)
    ts = st.theilslopes(y, x, alpha=ci)
    slope, low, high = ts.slope, ts.low_slope, ts.high_slope
    note = _slope_note(x, y)
    if note is not None:        # the median is a tie of equal values: not an estimate
        slope = low = high = np.nan
    alpha = 1 - ci
    trend = ("rising" if s[0] > 0 else "falling") if p < alpha else "no trend shown"
    return {**out, "tau": tau, "p_value": p, "slope": slope, "slope_low": low,
            "slope_high": high, "slope_note": note, "trend": trend, "change_year": _year(x[t + 1]),
            "change_p": change_p, "before": y[:t + 1].mean(), "after": y[t + 1:].mean()}


#: More than this share of the pairwise slopes exactly 0 (pairs of equal values): the
#: Theil-Sen median is 0 by ties, whatever the trend, and is not reported.
MAX_TIED_PAIRS = 0.5


def _slope_note(x, y) -> str | None:
    """None when Theil-Sen's slope estimates something; else why it is not reported: more
    than half of the pairs of documents (of different years) have the same value - for a
    rare term, pairs of documents without a mention - so the median pairwise slope is 0
    by ties.

    >>> print(_slope_note(np.arange(8.0), np.array([0, 0, 0, 0, 0, 2, 0, 3.0])))
    ... # doctest: +NORMALIZE_WHITESPACE
    not estimated: 15 of 28 pairs of documents have the same value (6 of 8 documents
    without a mention), so the median pairwise slope is 0 whatever the trend; read tau,
    p_value, change_year and before/after
    >>> _slope_note(np.arange(8.0), np.array([0, 1, 0, 3, 2, 2, 4, 3.0])) is None
    True
    """
    i, j = np.triu_indices(len(x), 1)
    pairs = x[i] != x[j]
    tied = int((y[i] == y[j])[pairs].sum())
    if tied <= MAX_TIED_PAIRS * pairs.sum():
        return None
    return (f"not estimated: {tied} of {int(pairs.sum())} pairs of documents have the same "
            f"value ({int((y == 0).sum())} of {len(y)} documents without a mention), so the "
            "median pairwise slope is 0 whatever the trend; read tau, p_value, change_year "
            "and before/after")


def _year(v):
    return int(v) if float(v).is_integer() else float(v)
