"""Tests for bri_text.compare: keyness (against scipy and a direct implementation of
Monroe, Colaresi & Quinn 2008), dictionary profiles and geographic orientation."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, norm

import bri_text as bt
from bri_text.compare import KEYNESS_COLUMNS, keyness, orientation, profile
from bri_text.compare._keyness import (DOC_RATE_COLUMNS, bootstrap_test, permutation_test,
                                       q_values)
from bri_text._stats import FEW_DOCS
from bri_text.errors import MetadataError, ParameterError
from bri_text.features import DocumentTermMatrix, dtm

TOL = dict(rtol=1e-9, atol=1e-9)


def hand_matrix() -> DocumentTermMatrix:
    """5 units x 6 terms; target = 广西 (units 0-2), reference = 甘肃 (units 3-4)."""
    counts = np.array([[12, 3, 0, 5, 1, 0],
                       [7, 0, 4, 6, 0, 2],
                       [9, 1, 0, 4, 2, 0],
                       [1, 0, 2, 9, 8, 3],
                       [0, 2, 1, 11, 5, 0]])
    docs = pd.DataFrame({"doc_id": list("abcde"),
                         "region": ["广西", "广西", "广西", "甘肃", "甘肃"],
                         "level": ["provincial"] * 4 + ["national"]})
    from scipy import sparse
    return DocumentTermMatrix(sparse.csr_matrix(counts), ["东盟", "北部湾", "中亚", "合作",
                                                         "向西开放", "敦煌"], docs)


# --------------------------------------------------------------------------- references
def reference_tables(m, t, r):
    c = m.counts.toarray()
    a, b = c[t].sum(axis=0), c[r].sum(axis=0)
    keep = (a + b) > 0
    return m.terms[keep], a[keep], b[keep], a.sum(), b.sum(), c.sum(axis=0)[keep], c.sum()


def scipy_scores(terms, a, b, n_t, n_r, measure, yates=True):
    out = {}
    for w, x, y in zip(terms, a, b):
        table = np.array([[x, y], [n_t - x, n_r - y]])
        if measure == "chi2":
            stat, p, _, _ = chi2_contingency(table, correction=yates)
        else:
            stat, p, _, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
        sign = 1 if x / n_t > y / n_r else (-1 if x / n_t < y / n_r else 0)
        out[w] = (sign * stat, p)
    return out


def monroe(a, b, n_t, n_r, share, alpha0):
    """Fightin' Words, Monroe et al. (2008) eqs. 16 (delta), 18 (variance), 19 (z),
    written out term by term in plain Python, with the prior's total ``alpha0`` split
    between the sides in proportion to their tokens (docs/STATISTICS.md): the target's
    prior is alpha0 * n_t / (n_t + n_r) * share, the reference's alpha0 * n_r / (...)."""
    at0, ar0 = alpha0 * n_t / (n_t + n_r), alpha0 * n_r / (n_t + n_r)
    z = []
    for yi, yj, s in zip(a, b, share):
        ai, aj = at0 * s, ar0 * s
        delta = (math.log((yi + ai) / (n_t + at0 - yi - ai))
                 - math.log((yj + aj) / (n_r + ar0 - yj - aj)))
        z.append(delta / math.sqrt(1 / (yi + ai) + 1 / (yj + aj)))
    return np.array(z)


def check_all_measures(m, target, reference, t, r):
    terms, a, b, n_t, n_r, _, _ = reference_tables(m, t, r)
    full = m.counts.toarray()
    for measure in ("chi2", "g2"):
        for yates in ((True, False) if measure == "chi2" else (None,)):
            got = keyness(m, target, reference, measure, yates=yates).set_index("term")
            ref = scipy_scores(terms, a, b, n_t, n_r, measure, bool(yates))
            exp = np.array([ref[w] for w in got.index])
            np.testing.assert_allclose(got["score"], exp[:, 0], **TOL)
            np.testing.assert_allclose(got["p_value"], exp[:, 1], **TOL)
    got = keyness(m, target, reference, "log_odds").set_index("term").loc[terms]
    # the prior: every term's share of the units compared, alpha_0 = the tokens compared
    compared = n_t + n_r
    share = (a + b) / compared
    z = monroe(a, b, n_t, n_r, share, compared)
    assert got.attrs["alpha_0"] == compared
    assert got.attrs["alpha_0_target"] == n_t and got.attrs["alpha_0_reference"] == n_r
    assert got.attrs["alpha_0_rule"] == "tokens compared"
    np.testing.assert_allclose(got["score"], z, **TOL)
    # alpha_0 = the prior's own count: here the same tokens
    old = keyness(m, target, reference, "log_odds", prior_scale="prior")
    np.testing.assert_allclose(old.set_index("term").loc[terms, "score"], z, **TOL)
    # the whole matrix as prior (pass it as prior=): shares of every unit, 0.01 per term
    whole = keyness(m, target, reference, "log_odds", prior=m).set_index("term").loc[terms]
    allc = full.sum(axis=0) + 0.01
    keep = (full[t].sum(0) + full[r].sum(0)) > 0
    np.testing.assert_allclose(whole["score"],
                               monroe(a, b, n_t, n_r, allc[keep] / allc.sum(), compared), **TOL)
    np.testing.assert_allclose(got["p_value"], 2 * norm.sf(np.abs(z)), **TOL)
    pseudo = 1 / (n_t + n_r)   # 0.5 pseudo-counts each when the sides are the same size
    lr = np.log2((a / n_t + pseudo) / (b / n_r + pseudo))
    np.testing.assert_allclose(got["log_ratio"], lr, **TOL)
    np.testing.assert_allclose(got["rate_target"], a / n_t * 1e4, **TOL)
    assert (got["count_reference"].to_numpy() == b).all()
    got = keyness(m, target, reference, "log_ratio").set_index("term").loc[terms]
    np.testing.assert_allclose(got["score"], lr, **TOL)


# --------------------------------------------------------------------------- keyness maths
def test_every_measure_matches_independent_calculation_on_hand_table():
    m = hand_matrix()
    t = np.array([1, 1, 1, 0, 0], bool)
    check_all_measures(m, {"region": "广西"}, {"region": "甘肃"}, t, ~t)
    # a reference that is not "all the others"
    r = np.array([0, 0, 0, 1, 0], bool)
    check_all_measures(m, t, r, t, r)


@pytest.mark.slow   # > 3 s: in .ci/run's slow stage, keeps the quick suite near 3 min
def test_every_measure_matches_independent_calculation_on_real_corpus(matrix):
    reg = matrix.docs["region"]
    t, r = (reg == "广西").to_numpy(), (reg == "甘肃").to_numpy()
    check_all_measures(matrix, {"region": "广西"}, {"region": "甘肃"}, t, r)
    check_all_measures(matrix, {"region": "甘肃"}, None, r, ~r)


def test_yates_uses_min_half_correction_like_scipy():
    m = hand_matrix()
    k = keyness(m, {"region": "广西"}, measure="chi2").set_index("term")
    assert k.loc["北部湾", "score"] >= 0
    # 敦煌 in units a-b: O = 2, E = 40 * 5 / 98 = 2.04, so |O - E| < 0.5. scipy moves each
    # cell by |O - E| only, so chi2 is 0 (a plain 0.5 shift would give 0.184)
    target = {"doc_id": ["a", "b"]}
    row = keyness(m, target, measure="chi2").set_index("term").loc["敦煌"]
    assert (row["count_target"], row["count_reference"]) == (2, 3)
    assert row["score"] == 0 and row["p_value"] == 1
    assert chi2_contingency([[2, 3], [38, 55]], correction=True)[0] == 0
    plain = keyness(m, target, measure="chi2", yates=False).set_index("term").loc["敦煌"]
    assert plain["score"] < 0                             # 2/40 < 3/58: under-used


def test_schema_sorting_top_n_and_direction():
    m = hand_matrix()
    k = keyness(m, target={"region": "广西"})
    assert list(k.columns) == KEYNESS_COLUMNS
    assert k["score"].is_monotonic_decreasing
    assert k["term"].iloc[0] == "东盟" and k["term"].iloc[-1] == "向西开放"
    k2 = keyness(m, target={"region": "广西"}, top_n=2)
    assert len(k2) == 4 and k2["term"].tolist() == k["term"].iloc[[0, 1, -2, -1]].tolist()
    # swapping target and reference flips the sign, same magnitude
    rev = keyness(m, target={"region": "甘肃"}, reference={"region": "广西"}).set_index("term")
    np.testing.assert_allclose(rev.loc[k.term, "score"], -k["score"].to_numpy(), **TOL)


def test_by_group_equals_one_vs_rest_calls(matrix):
    # the library-wide rule: units with no region (national documents) are left out, with
    # one warning, so "the rest" is every other region
    with pytest.warns(UserWarning, match=r"keyness: \d+ units of 11 documents have "
                      r"no value in 'region' and are left out"):
        long = keyness(matrix, by="region", measure="g2")
    assert list(long.columns) == ["group"] + KEYNESS_COLUMNS
    assert set(long["group"]) == set(matrix.docs["region"].dropna())
    region = matrix.docs["region"]
    for g in ("广西", "甘肃"):
        rest = (region.notna() & (region != g)).to_numpy()
        single = keyness(matrix, target={"region": g}, reference=rest, measure="g2")
        part = long[long.group == g].drop(columns="group").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, single, check_exact=False, rtol=1e-12)


def test_prior_from_subset_and_scale():
    m = hand_matrix()
    t = np.array([1, 1, 1, 0, 0], bool)
    terms, a, b, n_t, n_r, _, _ = reference_tables(m, t, ~t)
    national = m.counts.toarray()[4] + 0.01                # subset prior, 0.01 per term
    compared = n_t + n_r                                   # alpha_0 = tokens compared
    k = keyness(m, {"region": "广西"}, prior={"level": "national"}).set_index("term")
    np.testing.assert_allclose(k.loc[terms, "score"],
                               monroe(a, b, n_t, n_r, national / national.sum(), compared),
                               **TOL)
    assert k.attrs["alpha_0"] == compared and "0.01 added per term" in k.attrs["prior"]
    assert "in proportion to their counted tokens" in k.attrs["prior_weighting"]
    k = keyness(m, {"region": "广西"}, prior_scale=50).set_index("term")
    np.testing.assert_allclose(k.loc[terms, "score"],
                               monroe(a, b, n_t, n_r, (a + b) / compared, 50), **TOL)
    k = keyness(m, {"region": "广西"}, prior=0.01).set_index("term")  # uninformative
    np.testing.assert_allclose(k.loc[terms, "score"],
                               monroe(a, b, n_t, n_r, np.full(len(terms), 1 / 6), 0.06),
                               **TOL)
    other = m.subset(level="national")                     # another matrix, aligned by term
    k = keyness(m, {"region": "广西"}, prior=other).set_index("term")
    np.testing.assert_allclose(k.loc[terms, "score"],
                               monroe(a, b, n_t, n_r, national / national.sum(), compared),
                               **TOL)


def test_bootstrap_stability_flags_a_term_repeated_in_one_unit():
    rng = np.random.default_rng(0)
    n_t, n_r = 20, 20
    counts = rng.poisson(3, size=(n_t + n_r, 30))
    counts[:, 0] = 0
    counts[:, 1] = 0
    counts[3, 0] = 40                     # key only because one paragraph repeats it
    counts[:n_t, 1] = 2                   # used evenly across the target
    docs = pd.DataFrame({"doc_id": [f"u{i}" for i in range(n_t + n_r)],
                         "g": ["t"] * n_t + ["r"] * n_r})
    m = DocumentTermMatrix(counts, [f"w{i}" for i in range(30)], docs)
    k = keyness(m, {"g": "t"}, n_boot=200, top_n=3, random_state=7).set_index("term")
    assert k.loc["w1", "stability"] > 0.95
    assert k.loc["w0", "stability"] < 0.9
    assert k.loc["w0", "score"] > 0 and k.loc["w1", "score"] > 0
    again = keyness(m, {"g": "t"}, n_boot=200, top_n=3, random_state=7).set_index("term")
    pd.testing.assert_series_equal(k["stability"], again["stability"])


# --------------------------------------------------------------------------- keyness, real data
def test_guangxi_vs_gansu_log_odds(matrix):
    gx = keyness(matrix, {"region": "广西"}, {"region": "甘肃"})
    top_gx = gx["term"].head(20).tolist()
    assert "东盟" in top_gx and "北部湾" in top_gx
    gs = keyness(matrix, {"region": "甘肃"}, {"region": "广西"})
    # Gansu's distinctive vocabulary is first its own geography (敦煌, 兰州, 甘肃 ...)
    assert gs["term"].head(2).tolist() == ["敦煌", "兰州"]
    assert "甘肃" in gs["term"].head(10).tolist()
    row = gs.set_index("term").loc["向西开放"]
    assert row["count_target"] == 2 and row["count_reference"] == 0 and row["score"] > 0
    # the prior weighs as much as the 3,623 tokens compared, split 2,843 : 780 (3,629 and
    # 2,848 : 781 before session 39 made 大宗商品, 先行先试 … whole; docs/STATISTICS.md): 32
    # terms reach p < .05, 2 after Benjamini-Hochberg
    assert gx.attrs["alpha_0"] == 3623 == gx.attrs["n_tokens_target"] + gx.attrs[
        "n_tokens_reference"]
    assert gx.attrs["alpha_0_target"] == gx.attrs["n_tokens_target"]
    assert (gx["p_value"] < 0.05).sum() == 32 and (gx["q_value"] < 0.05).sum() == 2
    assert (gx["q_value"] >= gx["p_value"]).all()
    # unrelated documents in the matrix change nothing: the prior is the units compared
    sub = matrix.subset(region=["广西", "甘肃"])
    alone = keyness(sub, {"region": "广西"}, {"region": "甘肃"}).set_index("term")
    np.testing.assert_allclose(alone.loc[gx["term"], "score"], gx["score"], rtol=1e-12)


def test_guangxi_vs_gansu_with_policy_stopwords():
    """As a researcher runs it: boilerplate stopwords and no single characters. The
    compendium's Gansu text is a short summary that says 向西开放 twice; two mentions
    against none in 781 tokens are no evidence at the 5% level."""
    tok = bt.Tokenizer(stopwords=("general", "policy"), min_length=2)
    m = dtm(bt.tokenize(bt.load_bri_policies().reshape("paragraph"), tokenizer=tok))
    top_gx = keyness(m, {"region": "广西"}, {"region": "甘肃"})["term"].head(20).tolist()
    top_gs = keyness(m, {"region": "甘肃"}, {"region": "广西"})["term"].head(20).tolist()
    assert {"东盟", "北部湾", "中国—东盟"} <= set(top_gx)
    assert "中亚" not in top_gx and "向西开放" not in top_gx
    assert top_gs[:2] == ["敦煌", "兰州"] and "甘肃" in top_gs[:10]
    row = keyness(m, {"region": "甘肃"}, {"region": "广西"}).set_index("term").loc["向西开放"]
    assert row["score"] > 0 and row["p_value"] > 0.05


PRIORS = {"none (the units compared)": None, "whole corpus": "matrix",
          "national documents": {"level": "national"}, "user's counts": "other",
          "uniform": 0.5}


def _sign_violations(k, measure):
    """Rows whose score has the opposite sign of the rates' difference (the invariant of
    docs/STATISTICS.md): per-document mean rates for welch / bootstrap_test, pooled rates
    otherwise; for wilcoxon (ranks, not means) only the zero-count rule."""
    score = k["score"].fillna(0).to_numpy()
    s = np.where(np.abs(score) < 1e-9, 0, np.sign(score))     # equal rates: 0 up to rounding
    if measure == "wilcoxon":
        return k[((k["count_target"] == 0) & (s > 0)) | ((k["count_reference"] == 0) & (s < 0))]
    cols = (("doc_rate_target", "doc_rate_reference") if measure in ("welch", "bootstrap_test",
                                                                       "permutation")
            else ("rate_target", "rate_reference"))
    d = np.sign(k[cols[0]].to_numpy() - k[cols[1]].to_numpy())
    bad = (s != 0) & (s != d)
    lr = np.sign(k["log_ratio"].to_numpy())
    pooled = np.sign(k["rate_target"].to_numpy() - k["rate_reference"].to_numpy())
    return k[bad | ((lr != 0) & (lr != pooled))]


def test_a_prior_shrinks_but_never_reverses(matrix):
    """Issue 19: with the national documents as prior, Zhejiang's top term used to be
    科技人才, which Zhejiang never uses (score +5.73, count 0). For every measure and
    every prior option, on the real corpus: the sign of a score is 0 or the sign of
    rate_target - rate_reference, so a term the target never uses is never its keyword."""
    other = matrix.subset(level="national")
    comparisons = [({"region": "浙江"}, None), ({"region": "广西"}, {"region": "甘肃"}),
                   ({"region": ["河南", "湖南", "陕西", "浙江"]}, {"level": "national"})]
    for measure in ("log_odds", "chi2", "g2", "log_ratio", "welch", "wilcoxon",
                    "bootstrap_test", "permutation"):
        priors = PRIORS.items() if measure == "log_odds" else [("-", None)]
        for label, prior in priors:
            prior = matrix if prior == "matrix" else other if prior == "other" else prior
            for scale in ((None, "prior", 10.0) if measure == "log_odds" else (None,)):
                kw = dict(prior=prior, prior_scale=scale) if measure == "log_odds" else {}
                for target, reference in comparisons:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", UserWarning)
                        k = keyness(matrix, target, reference, measure, n_boot=50 if
                                    measure in ("bootstrap_test", "permutation") else None,
                                    random_state=0, **kw)
                    bad = _sign_violations(k, measure)
                    assert bad.empty, (measure, label, scale, target, bad.head())
    zj = keyness(matrix, {"region": "浙江"}, prior={"level": "national"})
    assert (zj.loc[zj["count_target"] == 0, "score"] < 0).all()
    assert zj["term"].iloc[0] != "科技人才" and zj["count_target"].head(20).min() > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        by = keyness(matrix, by="region", prior={"level": "national"})
    assert _sign_violations(by, "log_odds").empty
    top = by.groupby("group").head(1)
    assert (top["count_target"] > 0).all()
    assert "科技人才" not in set(top["term"])


# --------------------------------------------------------------------------- keyness, errors
def test_a_short_group_name_gets_the_value_it_stands_for(bri_corpus):
    """The report's --compare takes 陕 for 陕西; a condition wants the value, and its error
    names the one value that begins so (none when several do: 广西, 广东)."""
    m = dtm(bt.tokenize(bri_corpus.subset(region=["陕西", "广西", "广东"]).reshape("paragraph")))
    with pytest.raises(MetadataError, match=r"did you mean \{'region': '陕西'\}\?"):
        keyness(m, {"region": "陕"})
    with pytest.raises(MetadataError) as err:
        keyness(m, {"region": "广"})
    assert "did you mean" not in str(err.value) and "'广西'" in str(err.value)


def test_keyness_bad_input():
    m = hand_matrix()
    with pytest.raises(MetadataError, match=r"target \{'region': '西藏'\} matches no units.*广西"):
        keyness(m, {"region": "西藏"})
    with pytest.raises(MetadataError, match="matches every unit"):
        keyness(m, {"level": ["provincial", "national"]})
    with pytest.raises(MetadataError, match="'province'"):
        keyness(m, {"province": "广西"})
    with pytest.raises(MetadataError, match="'province'"):
        keyness(m, by="province")
    with pytest.raises(ParameterError, match="share 2 unit"):
        keyness(m, {"region": "广西"}, {"doc_id": ["a", "b", "d"]})
    with pytest.raises(ParameterError, match="yates"):
        keyness(m, {"region": "广西"}, measure="g2", yates=False)
    with pytest.raises(ParameterError, match="measure"):
        keyness(m, {"region": "广西"}, measure="pmi")
    with pytest.raises(ParameterError, match="either by"):
        keyness(m, {"region": "广西"}, by="region")
    with pytest.raises(ParameterError, match="mask"):
        keyness(m, [True, False])


# --------------------------------------------------------------------------- profile
def test_profile_matches_multi_token_entries_and_rejects_overlaps():
    toks = [["推进", "跨境", "电商", "发展", "跨境电商"], ["铁路", "港口", "电商"]]
    d = {"trade": ["跨境电商", "贸易"], "transport": ["铁路", "港口"], "digital": ["电商"]}
    p = profile(toks, d).set_index(["doc_id", "category"])
    assert p.loc[("doc0", "trade"), "count"] == 2          # split entry matched, once
    assert p.loc[("doc0", "digital"), "count"] == 0        # its tokens not counted again
    assert p.loc[("doc1", "digital"), "count"] == 1
    assert p.loc[("doc1", "transport"), "per_10k"] == pytest.approx(2 / 3 * 1e4)
    share = profile(toks, d, normalize="share")
    assert share.groupby("doc_id")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    with pytest.raises(MetadataError, match="'电商' is listed under both 'trade' and 'digital'"):
        profile(toks, {"trade": ["电商"], "digital": ["电商"]})
    with pytest.raises(ParameterError, match="n_boot needs by"):
        profile(toks, d, n_boot=10)
    with pytest.raises(ParameterError, match="normalize"):
        profile(toks, d, normalize="percent")


def test_profile_does_not_join_tokens_across_removed_text(tokens):
    # the real tokens carry offsets: a run must be adjacent in the text
    i = next(i for i, t in enumerate(tokens.tokens) if len(t) > 5)
    toks, sp, text = tokens.tokens[i], tokens.spans[i], tokens.docs["text"][i]
    j = next(j for j in range(len(toks) - 1) if sp[j, 1] < sp[j + 1, 0]
             and text[sp[j, 1]:sp[j + 1, 0]].strip())
    joined = toks[j] + toks[j + 1]
    p = profile(tokens.subset(np.arange(len(tokens)) == i), {"x": [joined]})
    assert p["count"].sum() == text.count(joined)


def test_profile_real_corpus_with_bootstrap(tokens):
    d = {"asean": ["东盟", "东盟国家"], "west": ["向西开放", "中亚", "西亚"]}
    sub = tokens.subset(region=["广西", "甘肃"])
    # one document each: the default two-stage bootstrap gives no interval, with a warning
    with pytest.warns(UserWarning, match=r"\['广西', '甘肃'\] have a single document"):
        p = profile(sub, d, by="region", n_boot=50, random_state=1)
    assert p["ci_low"].isna().all() and (p["interval"] == "none: one document").all()
    assert (p["n_docs"] == 1).all() and p.attrs["resample"] == "two-stage"
    # paragraphs resampled: a within-document interval, labelled as such
    p = profile(sub, d, by="region", n_boot=300, random_state=1, resample="unit")
    assert (p["interval"] == "within-document").all() and p.attrs["resample"] == "unit"
    gx = p[(p.group == "广西") & (p.category == "asean")].iloc[0]
    assert gx["n_units"] == 81 and gx["n_docs"] == 1 and gx["n_failed"] == 0
    # every mention counts, also inside longer lexicon tokens (中国—东盟博览会 is one
    # token): as 东盟国家 contains 东盟, the count is the number of 东盟 in the text
    n_gx = sum(text.count("东盟") for text in sub.subset(region="广西").docs["text"])
    assert gx["count"] == n_gx == 126
    assert gx["ci_low"] <= gx["per_10k"] <= gx["ci_high"] and gx["ci_low"] > 0
    p2 = profile(sub, d, by="region", n_boot=300, random_state=1, resample="unit")
    pd.testing.assert_frame_equal(p, p2)


def test_profile_builtin_dictionaries(tokens):
    from bri_text._lexicons import FIVE_CONNECTIVITIES, load_dictionary

    assert len(load_dictionary("five_connectivities")) == 5
    with pytest.warns(UserWarning, match="no value in 'region'"):
        p = profile(tokens, "five_connectivities", by="region")
    assert set(p["category"]) == set(FIVE_CONNECTIVITIES)
    assert (p.groupby("group")["count"].sum() > 0).all()


# --------------------------------------------------------------------------- orientation
def _leader(table, group, level):
    rows = table[table.group == group]
    return rows.iloc[0][level]


def test_orientation_real_data(tokens):
    by_doc = tokens.docs["parent_id"]
    with pytest.warns(UserWarning, match="no place names found for group"):
        wr = orientation(tokens, by=by_doc, n_boot=200, random_state=0, resample="unit")
    assert _leader(wr, "bri18", "world_region") == "东南亚"        # Guangxi
    assert _leader(wr, "bri23", "world_region") in {"中亚", "西亚"}  # Gansu
    docs = bt.load_bri_policies().docs
    lux = docs.loc[docs.title.str.contains("卢森堡"), "doc_id"].item()
    assert docs.set_index("doc_id").loc[lux, "region"] == "河南"
    assert _leader(wr, lux, "world_region") in {"西欧", "欧洲"}
    with pytest.warns(UserWarning, match="no place names found for group"):
        ct = orientation(tokens, by=by_doc, geography="continent")
    assert _leader(ct, lux, "continent") == "欧洲"
    gx = wr[wr.group == "bri18"].iloc[0]
    assert gx["share"] > 0.9 and gx["ci_low"] <= gx["share"] <= gx["ci_high"]
    named = wr[wr.n_mentions > 0]
    assert named.groupby("group")["share"].sum().round(12).eq(1).all()


def test_orientation_by_region_and_corridor(tokens):
    with pytest.warns(UserWarning, match="no value in 'region'"), \
            pytest.warns(UserWarning, match="no place names found for group"):
        ori = orientation(tokens, by="region")
    assert _leader(ori, "广西", "world_region") == "东南亚"
    cor = orientation(tokens.subset(region="广西"), by="region", geography="corridor")
    assert _leader(cor, "广西", "corridor") == "中国—中南半岛经济走廊"
    with pytest.raises(ParameterError, match="geography"):
        orientation(tokens, by="region", geography="country")
    with pytest.raises(ParameterError, match=r"orientation: parameter level= was renamed "
                                             r"geography= in bri_text 0.4.0 and removed in 0.5.0"):
        orientation(tokens.subset(region="广西"), by="region", level="corridor")
    with pytest.raises(MetadataError, match="'province'"):
        orientation(tokens, by="province")


def test_orientation_counts_are_independent_mentions():
    toks = [["越南", "泰国", "合作"], ["哈萨克斯坦", "越南"], ["卢森堡"]]
    docs_by = ["a", "a", "b"]
    o = orientation(toks, by=docs_by)
    a = o[o.group == "a"].set_index("world_region")
    assert a.loc["东南亚", "count"] == 3 and a.loc["中亚", "count"] == 1
    assert a.loc["东南亚", "share"] == pytest.approx(0.75)
    assert _leader(o, "b", "world_region") == "西欧"


def test_dash_compounds_count_their_places():
    """中国—东盟 is one token, yet it is a mention of ASEAN; a corridor name stays whole."""
    toks = bt.tokenize(["深化中国-东盟合作，共建中国—中亚—西亚经济走廊，开通郑州—卢森堡航线。"])
    assert "中国—东盟" in toks[0] and "郑州—卢森堡" in toks[0]
    regions = orientation(toks, by=None).set_index("world_region")["count"]
    assert regions["东南亚"] == 1 and regions["西欧"] == 1 and regions["中亚"] == 1
    corridors = orientation(toks, by=None, geography="corridor").set_index("corridor")["count"]
    assert corridors["中国—中亚—西亚经济走廊"] == 1


def test_profile_defaults_to_the_five_connectivities(tokens):
    with pytest.warns(UserWarning, match="have no value in 'region'"):
        table = profile(tokens, by="region")
    from bri_text._lexicons import FIVE_CONNECTIVITIES

    assert set(table["category"]) == set(FIVE_CONNECTIVITIES)
    assert "广西" in set(table["group"]) and table["group"].notna().all()


# --------------------------------------------------------------------------- uncertainty level
def _first(table, group):
    return table[table.group == group].iloc[0]


def test_orientation_intervals_at_the_document_level(tokens):
    """Issue 15: a province of one plan gets no between-document interval; nor, since
    issue 31, Henan (two plans: no interval reaches its nominal coverage with a useful
    width); the unit scheme is labelled within-document."""
    with pytest.warns(UserWarning) as rec:
        ori = orientation(tokens, by="region", n_boot=300, random_state=0)
    msgs = [str(w.message) for w in rec]
    single = [m for m in msgs if "have a single document" in m]
    assert len(single) == 1 and "'广西'" in single[0] and "'广东'" in single[0]
    assert ori.attrs["resample"] == "two-stage"
    assert ori.attrs["interval_method"].startswith("expanded percentile over documents")
    gx = _first(ori, "广西")
    assert (gx["world_region"], gx["n_units"], gx["n_docs"]) == ("东南亚", 81, 1)
    assert np.isnan(gx["ci_low"]) and gx["interval"] == "none: one document"
    assert gx["share"] == pytest.approx(183 / 188)  # mentions inside 中国—东盟博览会 … count
    henan = _first(ori, "河南")
    assert (henan["world_region"], henan["n_docs"]) == ("西欧", 2)
    # two documents: no interval, labelled, one warning naming the two-plan provinces
    assert henan["interval"] == FEW_DOCS and FEW_DOCS.startswith("none: two documents")
    assert np.isnan(henan["ci_low"]) and np.isnan(henan["ci_high"])
    two = [m for m in msgs if "have two documents" in m]
    assert len(two) == 1 and "'河南'" in two[0]
    with pytest.warns(UserWarning) as rec:
        unit = orientation(tokens, by="region", n_boot=300, random_state=0, resample="unit")
    gx = _first(unit, "广西")
    assert gx["interval"] == "within-document" and gx["n_docs"] == 1
    assert 0.94 < gx["ci_low"] < gx["share"] < gx["ci_high"] <= 1
    # Guangdong: its five place mentions sit in two of 15 paragraphs (4 + 1), so about one
    # paragraph replicate in eight draws none. Counted, and no degenerate "interval"
    gd = _first(unit, "广东")
    assert gd["n_mentions"] == 5 and gd["share"] == 0.6
    assert 0.1 * 300 < gd["n_failed"] < 0.2 * 300
    assert np.isnan(gd["ci_low"]) and gd["interval"].startswith("none: failed replicates (over 10%")
    failed = [str(w.message) for w in rec if "could not be computed" in str(w.message)]
    assert len(failed) == 1 and "广东 (" in failed[0]


def test_profile_henan_two_stage_interval(tokens):
    henan = tokens.subset(region="河南")
    with pytest.warns(UserWarning, match="two documents"):
        p = profile(henan, by="region", n_boot=300, random_state=2)
    assert (p["n_docs"] == 2).all() and (p["interval"] == FEW_DOCS).all()
    assert p["ci_low"].isna().all()
    # within the two texts (paragraphs as if independent) there is an interval
    u = profile(henan, by="region", n_boot=300, random_state=2, resample="unit")
    ok = u.dropna(subset=["ci_low"])
    assert len(ok) >= 3 and (ok["interval"] == "within-document").all()
    assert ((ok["ci_low"] <= ok["per_10k"]) & (ok["per_10k"] <= ok["ci_high"])).all()
    with pytest.raises(ParameterError, match="resample"):
        profile(henan, by="region", n_boot=10, resample="paragraph")


def test_three_document_interval_is_the_same_for_any_n_boot(tokens):
    """Issue 31: the municipal plans (3 documents) had an expanded percentile interval
    that was the replicates' min-max and widened with n_boot; now a t interval over the
    documents from the exact document bootstrap, identical at 1,000 and 5,000."""
    from bri_text._stats import THREE_DOCS

    a, b = (profile(tokens, by="level", n_boot=n, random_state=n).set_index(
        ["group", "category"]).loc["municipal"] for n in (1000, 5000))
    assert (a["n_docs"] == 3).all() and (a["interval"] == THREE_DOCS).all()
    pd.testing.assert_frame_equal(a[["ci_low", "ci_high"]], b[["ci_low", "ci_high"]])
    ok = a.dropna(subset=["ci_low"])
    assert len(ok) >= 3 and (ok["ci_low"] >= 0).all()
    assert ((ok["ci_low"] <= ok["per_10k"]) & (ok["per_10k"] <= ok["ci_high"])).all()


def _doc_rates(m, mask):
    """Per-document relative frequencies (documents = parent_id), by hand with pandas."""
    c = pd.DataFrame(m.counts[mask].toarray(), columns=m.terms)
    c["_doc"] = m.docs["parent_id"].to_numpy()[mask]
    per_doc = c.groupby("_doc", sort=False).sum()
    return per_doc.div(per_doc.sum(axis=1), axis=0)


def test_document_level_keyness_matches_scipy(matrix):
    from scipy.stats import mannwhitneyu, ttest_ind

    # documents of Henan, Hunan, Shaanxi, Zhejiang (two each) against the national ones
    prov = {"region": ["河南", "湖南", "陕西", "浙江"]}
    nat = {"level": "national"}
    t = condition_mask_of(matrix, prov)
    r = condition_mask_of(matrix, nat)
    ft, fr = _doc_rates(matrix, t), _doc_rates(matrix, r)
    assert (len(ft), len(fr)) == (8, 11)
    for term in ("东盟", "中欧班列", "合作", "卢森堡"):
        w = keyness(matrix, prov, nat, "welch").set_index("term").loc[term]
        ref = ttest_ind(ft[term], fr[term], equal_var=False)
        assert w["score"] == pytest.approx(ref.statistic, rel=1e-9)
        assert w["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
        u = keyness(matrix, prov, nat, "wilcoxon").set_index("term").loc[term]
        ref = mannwhitneyu(ft[term], fr[term], alternative="two-sided")
        assert u["score"] == pytest.approx(2 * ref.statistic / (8 * 11) - 1, rel=1e-9)
        assert u["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    k = keyness(matrix, prov, nat, "welch")
    assert list(k.columns) == KEYNESS_COLUMNS + DOC_RATE_COLUMNS
    assert k.attrs["test"].startswith("document-level")
    row = k.set_index("term").loc["中欧班列"]
    assert row["doc_rate_target"] == pytest.approx(ft["中欧班列"].mean() * 1e4, rel=1e-9)
    assert row["doc_rate_reference"] == pytest.approx(fr["中欧班列"].mean() * 1e4, rel=1e-9)
    assert k.attrs["n_docs_target"] == 8 and k.attrs["n_docs_reference"] == 11
    # the bootstrap test: a term only Henan's Luxembourg plan uses is no evidence about
    # provinces, though token-level G2 calls it overwhelming
    b = keyness(matrix, prov, nat, "bootstrap_test", n_boot=400, random_state=0)
    b = b.set_index("term")
    g = keyness(matrix, prov, nat, "g2").set_index("term")
    assert g.loc["卢森堡", "p_value"] < 1e-10
    assert b.loc["卢森堡", "p_value"] > 0.05 and b.loc["卢森堡", "score"] > 0
    assert 0 < b["p_value"].min() and b["p_value"].max() <= 1
    again = keyness(matrix, prov, nat, "bootstrap_test", n_boot=400, random_state=0)
    pd.testing.assert_series_equal(b["p_value"], again.set_index("term")["p_value"])


PROVINCES = __import__("pathlib").Path(__file__).parent / "data" / "provincial_reports_2026.csv"


def test_welch_warns_when_its_p_is_below_what_relabelling_the_documents_allows(matrix):
    """Audit41: 5 autonomous-region reports against 5 provincial ones (ten documents split
    252 ways). 全省 is once in each provincial report and in no other: Welch's t rests on
    one side's spread alone and gives p = 4e-06 (2e-05 before the work-report stopwords of
    session 42); the permutation test with the same statistic gives each perfectly
    separated term p = 2/252 exactly. Welch now warns. (With the 74 terms tested before
    session 42 the 11 terms at 2/252 had q = 0.053; the genre's formulae are stopwords now,
    48 terms are tested and they have q = 2/252 * 48 / 11 = 0.035.)"""
    m = dtm(bt.tokenize(bt.read_csv(PROVINCES).reshape("paragraph"),
                        tokenizer=bt.Tokenizer(stopwords=("general", "policy"), min_length=2)))
    sides = dict(target={"region_type": "省"}, reference={"region_type": "自治区"}, min_docs=3)
    with pytest.warns(UserWarning, match=r"below the smallest p that any relabelling.*"
                      r"\(5 vs 5 documents\): 11 terms, e.g. 全省 p = 4.2e-06 \(its 5 "
                      r"documents are all on one side, so no split gives it under 0.0079\)"):
        w = keyness(m, measure="welch", **sides).set_index("term")
    # the 11: the terms in k of one side's documents and none of the other's whose p is
    # under .05 and below 2 x C(10 - k, 5 - k) / 252 (the splits that put its k documents
    # on one side: 2/252 = 0.0079 for k = 5, 12/252 for k = 4, 42/252 for k = 3)
    from math import comb

    zero = w[(w["docs_target"] == 0) | (w["docs_reference"] == 0)]
    k = zero["docs_target"] + zero["docs_reference"]
    bound = np.array([2 * comb(10 - x, 5 - x) / 252 for x in k])
    below = (zero["p_value"].to_numpy() < bound) & (zero["p_value"].to_numpy() < 0.05)
    assert len(zero) == 13 and below.sum() == 11
    assert w.loc["全省", "p_value"] < 1e-4 and (w["q_value"] < 0.05).sum() == 11
    p = keyness(m, measure="permutation", n_boot=1000, **sides).set_index("term")
    assert p.attrs["p_exact"] and p.loc["全省", "p_value"] == pytest.approx(2 / 252)
    assert p.loc["全省", "score"] == pytest.approx(w.loc["全省", "score"])
    assert p.attrs["n_terms_tested"] == 48 and (p["p_value"] == p["p_value"].min()).sum() == 11
    assert p["q_value"].min() == pytest.approx(2 / 252 * 48 / 11)
    # national (11) vs local (16) plans split C(27, 11) = 13,037,895 ways: Welch's smallest
    # p (2e-06) is above 1 / 13,037,895, but 加工 is in 9 local plans and no national one;
    # C(18, 7) = 31,824 splits put those 9 on the local side, so no relabelling gives it
    # less than 31,824 / 13,037,895 = 0.0024, and Welch gives 0.00096 (session 42)
    from math import comb

    assert round(comb(18, 7) / comb(27, 11), 4) == 0.0024
    with pytest.warns(UserWarning, match=r"\(11 vs 16 documents\): \d+ terms, e.g. 加工 "
                      r"p = 0.00096 \(its 9 documents are all on one side, so no split "
                      r"gives it under 0.0024\)"):
        w = keyness(matrix, {"level": "national"}, None, "welch").set_index("term")
    assert w["p_value"].min() > 1e-6 > 1 / comb(27, 11)
    assert (w.loc["加工", "docs_target"], w.loc["加工", "docs_reference"]) == (0, 9)


def test_keyness_says_in_how_many_documents_of_each_side_a_term_is():
    """Audit41: the west's 7 reports against the east's 2 (Guangdong, Zhejiang). 线上 ranks
    first by token-level log-odds from one passage, 线上申报、线上结算、线上监管, that only
    Guangxi's and Xinjiang's reports hold; 中华民族共同体意识, next, is in 5 of the 7."""
    docs = bt.read_csv(PROVINCES).docs
    docs["area"] = np.where(docs["doc_id"].isin(["gd", "zj"]), "east",
                            np.where(docs["doc_id"].eq("hn"), "central", "west"))
    m = dtm(bt.tokenize(bt.Corpus.from_dataframe(docs).reshape("paragraph")))
    k = keyness(m, {"area": "west"}, {"area": "east"}).set_index("term")
    assert k.index[0] == "线上" and k.loc["线上", "count_target"] == 6
    assert k.loc["线上", ["docs_target", "docs_reference"]].tolist() == [2, 0]
    assert k.loc["中华民族共同体意识", ["docs_target", "docs_reference"]].tolist() == [5, 0]
    # 数字经济: Guangxi's and Xinjiang's reports, and both eastern ones (Zhejiang's twice)
    assert k.loc["数字经济", ["count_reference", "docs_target", "docs_reference"]].tolist() \
        == [3, 2, 2]
    for term in ("线上", "数字经济", "民族"):
        has = docs["text"].str.contains(term, regex=False)
        assert k.loc[term, "docs_target"] == (has & docs["area"].eq("west")).sum()


def test_profile_names_own_categories_that_no_text_matches():
    """Audit41: a researcher's categories 新质生产力, 房地产 and 债务 occur in none of the ten
    2026 provincial reports of tests/data; their 0 is said, once, with the categories."""
    tokens = bt.tokenize(bt.read_csv(PROVINCES))
    own = {"新质生产力": ["新质生产力"], "数字": ["人工智能", "算力", "数字经济"],
           "房地产": ["房地产", "保交房"], "债务": ["债务", "化债", "专项债"]}
    with pytest.warns(UserWarning, match=r"no entry of 3 of the 4 categories \(新质生产力、房地产、"
                      r"债务\) occurs in any of the 10 units"):
        p = profile(tokens, own, by="province")
    counts = p.groupby("category")["count"].sum()
    assert counts.to_dict() == {"债务": 0, "房地产": 0, "数字": 11, "新质生产力": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        profile(tokens, {"数字": ["人工智能", "算力", "数字经济"]})


def condition_mask_of(m, cond):
    from bri_text._grouping import condition_mask

    return condition_mask(m.docs, cond, "test")


def test_document_level_keyness_needs_two_documents_a_side(matrix):
    with pytest.warns(UserWarning, match=r"at least two documents on each side.*1 vs 1 "
                      r"documents"):
        k = keyness(matrix, {"region": "广西"}, {"region": "甘肃"}, "welch")
    assert k["score"].isna().all() and k["p_value"].isna().all()
    with pytest.warns(UserWarning) as rec:
        by = keyness(matrix, by="region", measure="wilcoxon")
    few = [str(w.message) for w in rec if "at least two documents" in str(w.message)]
    assert len(few) == 1 and "group '广西' (1 vs " in few[0] and "'河南'" not in few[0]
    henan = by[by.group == "河南"]
    assert henan["p_value"].notna().all()
    with pytest.raises(ParameterError, match="token-level"):
        keyness(matrix, {"region": "河南"}, measure="welch", n_boot=10)


def test_stability_resamples_documents_and_counts_skipped_replicates(matrix):
    with pytest.warns(UserWarning, match=r"stability is NaN for \['target vs reference'\]"):
        k = keyness(matrix, {"region": "广西"}, {"region": "甘肃"}, n_boot=20,
                    random_state=0)
    assert k["stability"].isna().all() and k.attrs["resample"] == "two-stage"
    k = keyness(matrix, {"region": "河南"}, {"region": "湖南"}, n_boot=40, top_n=10,
                random_state=0)
    assert k["stability"].between(0, 1).all() and k.attrs["stability_skipped"] == 0
    assert k.attrs["n_docs_target"] == 2
    # 2 documents of 5 and 2 units: a replicate that draws only the empty unit is skipped,
    # and stability divides by the valid replicates
    counts = np.array([[5, 0, 1], [0, 0, 0], [0, 4, 1], [3, 3, 3]])
    docs = pd.DataFrame({"doc_id": list("abcd"), "parent_id": ["A", "A", "B", "B"],
                         "g": ["t", "t", "r", "r"]})
    m = DocumentTermMatrix(counts, ["x", "y", "z"], docs)
    with pytest.warns(UserWarning, match=r"were skipped.*target vs reference \(\d+ of 400\)"):
        k = keyness(m, {"g": "t"}, n_boot=400, top_n=1, random_state=0, resample="unit",
                    measure="g2")
    skipped = k.attrs["stability_skipped"]
    assert 50 < skipped < 150                        # ~1/4 of replicates draw unit 1 twice
    assert k.set_index("term").loc["x", "stability"] == 1.0   # every valid replicate


def test_bootstrap_test_worked_example():
    """Lijffijt et al. (2016) by hand. Target documents with relative frequencies 3/4 and
    1/4, reference 1/2, 0, 0; N = min(2, 3) = 2 documents drawn from each side. Target
    means: 3/4, 1/2, 1/4 with probabilities 1/4, 1/2, 1/4; reference means: 1/2, 1/4, 0
    with 1/9, 4/9, 4/9. P(difference > 0) = 1/4 + 1/2 * 8/9 + 1/4 * 4/9 = 29/36,
    P(= 0) = 1/2 * 1/9 + 1/4 * 4/9 = 6/36, so p1 = 29/36 + 6/72 = 8/9 and the two-sided
    p = (1 + 2N min(p1, 1 - p1)) / (N + 1) -> 2/9. Monte Carlo error of p at 20,000
    replicates: sd <= 2 * sqrt(0.25 / 20000) = 0.007; tolerance 0.02."""
    ft, fr = np.array([[0.75], [0.25]]), np.array([[0.5], [0.0], [0.0]])
    score, p = bootstrap_test(ft, fr, 20000, np.random.default_rng(1))
    assert p[0] == pytest.approx(2 / 9, abs=0.02) and score[0] > 0
    # every replicate on one side: p = 1 / (N + 1), the smallest attainable
    score, p = bootstrap_test(np.array([[0.5], [0.6]]), np.array([[0.1], [0.2]]), 99,
                              np.random.default_rng(0))
    assert p[0] == pytest.approx(1 / 100) and score[0] > 0
    # through keyness: documents of 4 tokens each (x = the term), paragraphs summed first
    rows = [[3, 1], [1, 3], [2, 2], [0, 4], [0, 2], [0, 2]]
    docs = pd.DataFrame({"doc_id": [f"u{i}" for i in range(6)],
                         "parent_id": ["A", "B", "C", "D", "E", "E"],
                         "g": ["t", "t", "r", "r", "r", "r"]})
    m = DocumentTermMatrix(np.array(rows), ["x", "y"], docs)
    k = keyness(m, {"g": "t"}, measure="bootstrap_test", n_boot=20000,
                random_state=2).set_index("term")
    assert k.loc["x", "p_value"] == pytest.approx(2 / 9, abs=0.02)
    assert k.loc["x", "doc_rate_target"] == pytest.approx(5000)        # (3/4 + 1/4) / 2
    assert k.loc["x", "doc_rate_reference"] == pytest.approx(10000 / 6)  # (1/2+0+0) / 3
    assert k.attrs["n_boot"] == 20000 and "min(n_target, n_reference)" in k.attrs[
        "test_resampling"]


def test_q_values_are_benjamini_hochberg(matrix):
    """q_value beside every p_value: Benjamini-Hochberg by hand (sorted p * m / rank,
    cumulative minimum from the largest), per comparison, before top_n."""
    p = np.array([0.001, 0.04, 0.03, 0.5, np.nan])
    order = np.argsort(p[:4])
    ranked = p[:4][order] * 4 / np.arange(1, 5)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    exp = np.empty(4); exp[order] = q
    np.testing.assert_allclose(q_values(p)[:4], exp)
    assert np.isnan(q_values(p)[4])
    k = keyness(matrix, {"region": "广西"}, {"region": "甘肃"}, "g2")
    np.testing.assert_allclose(k["q_value"], q_values(k["p_value"]))
    top = keyness(matrix, {"region": "广西"}, {"region": "甘肃"}, "g2", top_n=5)
    np.testing.assert_allclose(top["q_value"],
                               k.set_index("term").loc[top["term"], "q_value"], rtol=1e-12)
    # national vs local, welch: many terms at p < .05, almost none survive the correction
    w = keyness(matrix, {"level": "national"}, measure="welch")
    assert (w["p_value"] < 0.05).sum() > 100 > 5 > (w["q_value"] < 0.05).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        by = keyness(matrix, by="region", measure="g2")
    for g, part in by.groupby("group"):
        np.testing.assert_allclose(part["q_value"], q_values(part["p_value"]))


def test_n_boot_is_the_one_name_for_replicates(matrix):
    # the old name, deprecated in 0.2.0, is gone in 0.3.0: the error names the new one
    with pytest.raises(ParameterError, match="bootstrap= was renamed n_boot=.*removed in 0.3.0"):
        keyness(matrix, {"region": "河南"}, {"region": "湖南"}, bootstrap=20, top_n=5,
                random_state=0)
    new = keyness(matrix, {"region": "河南"}, {"region": "湖南"}, n_boot=20, top_n=5,
                  random_state=0)
    assert new.attrs["n_boot"] == 20 and new.attrs["stability_resampling"].startswith(
        "two-stage")
    assert "stability" not in keyness(matrix, {"region": "河南"}).columns
    with pytest.raises(ParameterError, match="n_boot"):
        keyness(matrix, {"region": "河南"}, measure="bootstrap_test", n_boot=0)


def test_orientation_marks_shares_from_few_mentions(tokens):
    """Gansu's shares rest on 6 place mentions, Guangxi's on 188 (min_mentions=20)."""
    from bri_text import plot

    sub = tokens.subset(region=["广西", "甘肃"])
    with pytest.warns(UserWarning, match=r"\['甘肃 \(n=6\)'\] rest on fewer than "
                      r"min_mentions=20"):
        o = orientation(sub, by="region")
    few = o.groupby("group")["few_mentions"].first()
    assert few["甘肃"] and not few["广西"] and o.attrs["min_mentions"] == 20
    assert not orientation(sub, by="region", min_mentions=5)["few_mentions"].any()
    with pytest.raises(ParameterError, match="min_mentions"):
        orientation(sub, by="region", min_mentions=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ax = plot.orientation(o)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "甘肃 (n=6, few mentions, 1 doc)" in labels and "广西 (n=188, 1 doc)" in labels
    hatched = [p for p in ax.patches if p.get_hatch() == ".."]
    assert len(hatched) == 1 and hatched[0].get_y() == pytest.approx(labels.index(
        "甘肃 (n=6, few mentions, 1 doc)") - 0.5)
    assert ax.bri_data.loc["甘肃", "few_mentions"]


def test_keyness_plot_marks_terms_by_q(matrix):
    from bri_text import plot

    k = keyness(matrix, {"region": "广西"}, {"region": "甘肃"})
    ax = plot.keyness(k, top_n=10)
    shown = ax.bri_data
    assert shown["significant"].tolist() == (shown["q_value"] < 0.05).tolist()
    assert 0 < shown["significant"].sum() < len(shown)         # 2 of 32 p < .05 survive
    pale = [b for b in ax.patches if b.get_hatch() == "///"]
    assert len(pale) == (~shown["significant"]).sum()
    assert "Benjamini-Hochberg" in ax.get_xlabel() and "token-level" in ax.get_xlabel()
    with pytest.raises(ParameterError, match="q must be"):
        plot.keyness(k, q=5)


def test_false_positives_under_random_relabelling(matrix):
    """A small version of benchmarks/sim_keyness.py (docs/STATISTICS.md): the documents are
    split at random, 11 vs 16, so no term truly differs. Among terms used at least 10
    times, Welch's t calls about 2% significant at p < .05 (100 relabellings: 0.023),
    G2 about 45% (0.454), the published bootstrap test about 7% (0.072). Twelve
    relabellings, seeded; bounds far outside their spread across relabellings."""
    docs = matrix.docs["parent_id"].to_numpy()
    ids = np.unique(docs)
    total = np.asarray(matrix.counts.sum(axis=0)).ravel()
    frequent = set(np.asarray(matrix.terms)[total >= 10])
    rng = np.random.default_rng(0)
    rates = {"welch": [], "g2": [], "bootstrap_test": []}
    for _ in range(12):
        perm = rng.permutation(ids)
        t, r = np.isin(docs, perm[:11]), np.isin(docs, perm[11:])
        for measure in rates:
            k = keyness(matrix, t, r, measure, random_state=rng,
                        n_boot=300 if measure == "bootstrap_test" else None)
            freq = k["term"].isin(frequent).to_numpy()
            rates[measure].append(np.mean(k["p_value"].to_numpy()[freq] < 0.05))
    welch, g2, boot = (np.mean(rates[m]) for m in ("welch", "g2", "bootstrap_test"))
    assert welch < 0.06 and boot < 0.15 and g2 > 0.25, rates
    assert g2 > 4 * max(welch, boot)


def test_permutation_test_is_exact_on_a_hand_enumerated_2_vs_2():
    """Issue 31: 2 vs 2 documents can be split in C(4, 2) = 6 ways; the exact p is the share
    of splits whose |Welch t| reaches the observed one (scipy's t for each, by hand)."""
    from itertools import combinations

    from scipy.stats import ttest_ind

    f = np.array([[0.30, 0.10], [0.22, 0.10], [0.05, 0.12], [0.20, 0.08]])
    t, p, min_p, exact = permutation_test(f[:2], f[2:], 1000, None)
    assert exact and min_p == pytest.approx(2 / 6)
    for j in range(2):
        ts = [abs(ttest_ind(f[list(g), j], f[[i for i in range(4) if i not in g], j],
                            equal_var=False).statistic) for g in combinations(range(4), 2)]
        obs = ttest_ind(f[:2, j], f[2:, j], equal_var=False).statistic
        assert t[j] == pytest.approx(obs)
        assert p[j] == pytest.approx(np.mean(np.array(ts) >= abs(obs) - 1e-12))
    assert p[0] == pytest.approx(2 / 6)            # the observed split and its mirror
    # more splits than max(n_boot, exact_max): Monte Carlo, p >= 1 / (n_boot + 1),
    # deterministic per seed (7 vs 7 split 3,432 ways, enumerated unless exact_max=0)
    g = np.random.default_rng(0).gamma(2.0, 0.01, (14, 3))
    t1, p1, mp1, ex1 = permutation_test(g[:7], g[7:], 200, np.random.default_rng(1),
                                        exact_max=0)
    t2, p2, _, _ = permutation_test(g[:7], g[7:], 200, np.random.default_rng(1), exact_max=0)
    assert not ex1 and mp1 == pytest.approx(1 / 201) and (p1 >= 1 / 201).all()
    np.testing.assert_array_equal(p1, p2)


def test_permutation_test_stops_a_term_once_100_relabellings_reach_it():
    """Session 42 (Besag & Clifford 1991): beyond the enumerable splits a term is relabelled
    until 100 random splits reach its |t|, and p = 100 / the splits drawn. Column 0 has the
    same values on both sides (t = 0): every split reaches it, so it stops after exactly
    100 and p = 100 / 100 = 1. Column 1 separates the sides completely (1-7 against
    0.01-0.07): 7 vs 7 documents split 3,432 ways and 2 of them (this and its mirror)
    reach its |t|, so in 1,000 draws it gets (1 + about 0.6) / 1,001, never stopping; with
    stop_hits=None every column gets all 1,000 draws (exact_max=0: random splits, though
    3,432 are few enough to enumerate by default)."""
    x = np.arange(1, 8, dtype=float)
    ft = np.column_stack([x, x])
    fr = np.column_stack([x, x / 100])
    t, p, min_p, exact = permutation_test(ft, fr, 1000, np.random.default_rng(0), exact_max=0)
    assert not exact and min_p == pytest.approx(1 / 1001)
    assert t[0] == 0 and p[0] == 1.0
    assert p[1] <= 4 / 1001
    t2, p2, _, _ = permutation_test(ft, fr, 1000, np.random.default_rng(0), stop_hits=None,
                                    exact_max=0)
    assert p2[0] == 1.0 and p2[1] <= 4 / 1001


def test_the_fast_exceedance_decides_as_welch_t_on_every_split():
    """Session 42: the random-relabelling loop decides |t| >= |t_observed| from column-
    centred sums (A a^2 + D b >= E) instead of computing Welch's t. On the ten provincial
    reports (tests/data/provincial_reports_2026.csv), split 5 vs 5 (252 ways) and 4 vs 6
    (210 ways), every split and every term in 3 or more reports: the same decision as
    Welch's t itself, and the observed split always counts."""
    from itertools import combinations

    from bri_text.compare._doc_tests import _exceedance_form, _welch_t

    m = dtm(bt.tokenize(bt.read_csv(PROVINCES).reshape("paragraph"),
                        tokenizer=bt.Tokenizer(stopwords=("general", "policy"), min_length=2)))
    counts = np.asarray(m.counts.todense())
    doc = m.docs["parent_id"].to_numpy()
    ids = list(dict.fromkeys(doc))
    per_doc = np.vstack([counts[doc == d].sum(axis=0) for d in ids])
    F = per_doc[:, (per_doc > 0).sum(axis=0) >= 3] / per_doc.sum(axis=1, keepdims=True)
    S, Q = F.sum(0), (F * F).sum(0)
    for n1 in (5, 4):
        L = np.zeros((len(list(combinations(range(10), n1))), 10))
        for i, g in enumerate(combinations(range(10), n1)):
            L[i, list(g)] = 1.0
        obs = _welch_t(F[:n1].sum(0), (F[:n1] ** 2).sum(0), n1, S, Q, 10)
        th = np.abs(obs) * (1 - 1e-9)
        ok = np.isfinite(th) & (th > 0)
        Fc, A, D, E = _exceedance_form(F[:, ok], n1, th[ok])
        a = L @ Fc
        fast = A * a * a + D * (L @ (Fc * Fc)) >= E
        slow = np.abs(_welch_t(L @ F, L @ (F * F), n1, S, Q, 10))[:, ok] >= th[ok]
        assert L.shape[0] == (252 if n1 == 5 else 210) and F.shape[1] == 48
        assert (fast == slow).all() and fast[0].all()


def test_permutation_test_stops_at_2000_when_they_settle_benjamini_hochberg():
    """Session 42: asked for 50,000 relabellings, the test first draws 2,000 (PILOT). Ten
    documents against ten split 184,756 ways; a column that separates the sides is reached
    only by itself and its mirror, so it is almost never reached in 2,000 draws and gets
    p = 1 / 2,001. With 600 such columns among 700, their q is about (1 / 2,001) x 700 /
    600 = 0.0006 <= 0.01: more relabellings cannot change which terms pass q < .05, and the
    test stops at 2,000 (smallest p 1 / 2,001). With 5 of them among 700 their q would be
    0.07, so it draws on to 50,000 (smallest p 1 / 50,001)."""
    from bri_text.compare._doc_tests import PILOT, n_relabellings

    assert PILOT == 2000 and n_relabellings(10, 10) == 184_756
    rng = np.random.default_rng(5)
    for n_sep, settled in ((600, True), (5, False)):
        null = rng.gamma(2.0, 0.01, (20, 700 - n_sep))
        sep = np.vstack([rng.uniform(1, 2, (10, n_sep)), rng.uniform(0, 0.5, (10, n_sep))])
        f = np.hstack([sep, null])
        t, p, min_p, exact = permutation_test(f[:10], f[10:], 50_000, np.random.default_rng(0))
        assert not exact
        assert min_p == pytest.approx(1 / 2001 if settled else 1 / 50_001)
        if settled:
            assert round(float(q_values(p)[:n_sep].max()), 3) <= 0.01
            assert (p[:n_sep] <= 3 / 2001).all() and np.mean(p[:n_sep] == 1 / 2001) > 0.9
        else:
            assert (p[:n_sep] <= 3 / 50_001).all()


def test_permutation_keyness_reports_its_floor(matrix):
    """National (11 documents) vs local (16): the permutation test's p-values are never
    below attrs["min_p"] = 1 / (n_boot + 1); with 200 relabellings and thousands of terms,
    the terms at that floor cannot reach q < .05 and a warning says how many relabellings
    would let them."""
    nat = {"level": "national"}
    with pytest.warns(UserWarning, match="smallest p-value the test can give") as rec:
        k = keyness(matrix, nat, None, "permutation", n_boot=200, random_state=0)
    assert k.attrs["min_p"] == pytest.approx(1 / 201) and k.attrs["p_exact"] is False
    assert (k["p_value"] >= 1 / 201 - 1e-12).all() and (k["q_value"] >= 0.05).all()
    assert "n_boot >=" in str(rec[0].message)
    welch = keyness(matrix, nat, None, "welch")
    assert welch.attrs["min_p"] is None
    # the score is Welch's t, as measure="welch" gives it
    both = k.merge(welch, on="term", suffixes=("", "_w"))
    np.testing.assert_allclose(both["score"], both["score_w"], rtol=1e-8, atol=1e-12)
    # the log-odds z says where it is shown that it is conservative as a test
    assert "sqrt(2)" in keyness(matrix, nat).attrs["z_note"]


def test_orientation_default_by_is_none_since_0_3_0(bri_corpus):
    """0.1.0's default was by="region" (deprecated in 0.2.0); since 0.3.0 it is None, one
    group per unit, as in profile: here one group per paragraph that names a place."""
    import warnings

    import bri_text as bt

    tokens = bt.tokenize(bri_corpus.subset(region=["广西", "甘肃"]).reshape("paragraph"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)      # paragraphs with few mentions
        default = bt.orientation(tokens)
        explicit = bt.orientation(tokens, by=None)
        by_region = bt.orientation(tokens, by="region")
    assert default.equals(explicit)
    assert set(default["group"]) <= set(tokens.docs["doc_id"])
    assert set(by_region["group"]) == {"广西", "甘肃"}
    assert default["count"].sum() == by_region["count"].sum()


def test_the_default_dictionary_warns_where_it_hardly_covers_the_corpus():
    # the five connectivities match the work reports as any economic text (about 230 per
    # 10,000 tokens), the Belt and Road documents at about 750: one warning, for the former
    reports = bt.tokenize(bt.load_work_reports().subset(year=[1978, 1998, 2018]))
    with pytest.warns(UserWarning, match=r"profile: the default dictionary.*matches \d+ per "
                                         r"10,000 tokens.*dictionary='sectors'"):
        p = bt.profile(reports)
    assert p.attrs["dictionary"] == "five_connectivities"
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # no warning on the built-in corpus
        bt.profile(bt.tokenize(bt.load_bri_policies().subset(region="广西")))
        bt.profile(reports, dictionary="sectors")       # nor with a dictionary one named


def test_year_groups_come_in_order_of_years(tokens, bri_corpus):
    # the built-in plans are listed 2017, 2018, 2013 … by document; a profile by year reads
    # in order of years, a profile by region in order of first appearance
    first_seen = list(dict.fromkeys(int(y) for y in bri_corpus.docs["year"].dropna()))
    assert first_seen != sorted(first_seen)
    p = bt.profile(tokens, by="year")
    years = list(dict.fromkeys(int(y) for y in p["group"]))
    assert years == sorted(first_seen)
    regions = list(dict.fromkeys(bt.profile(tokens, by="region")["group"]))
    assert regions == list(dict.fromkeys(bri_corpus.docs["region"].dropna()))


def test_token_level_p_values_warn_when_both_sides_have_several_documents(matrix):
    """Audit s36, finding 6: national (11 documents) vs local (16) with the default
    log-odds: one warning that the p-values treat tokens as independent, naming the sizes,
    the measured null rate and the document-level measure to use; the scores are those of
    the log-odds (unchanged). One document on a side (广西 has one plan): no warning, the
    p-values describe that text."""
    nat = {"level": "national"}
    with pytest.warns(UserWarning, match=r"treat every token as an independent draw") as rec:
        k = keyness(matrix, nat)
    msgs = [str(w.message) for w in rec if "independent draw" in str(w.message)]
    assert len(msgs) == 1
    assert "11 vs 16 documents" in msgs[0] and "measure='permutation'" in msgs[0]
    assert "of frequent terms have p < .05" in msgs[0] and "sim_tests.py" in msgs[0]
    # the z_note no longer calls the test conservative for documents
    note = k.attrs["z_note"]
    assert "overstate" in note and not note.startswith("z is conservative")
    with pytest.warns(UserWarning, match="measure='chi2' treat every token"):
        keyness(matrix, nat, measure="chi2")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        one = keyness(matrix, {"region": "广西"}, nat)
    assert one.attrs["n_docs_target"] == 1
    # by=: one warning for all the groups, naming them
    with pytest.warns(UserWarning, match="treat every token") as rec:
        keyness(matrix, by="level")
    token = [str(w.message) for w in rec if "independent draw" in str(w.message)]
    assert len(token) == 1 and "group 'national'" in token[0]


def test_min_docs_tests_only_terms_in_enough_documents(matrix, bri_corpus):
    """keyness(min_docs=3): only terms found in at least 3 of the compared documents are
    tested, whichever side they are on; the others are left out, and q is computed over the
    rest."""
    nat = {"level": "national"}
    every = keyness(matrix, nat, None, "welch")
    kept = keyness(matrix, nat, None, "welch", min_docs=3)
    assert kept.attrs["min_docs"] == 3 and kept.attrs["n_terms_tested"] == len(kept)
    assert len(kept) < len(every)
    texts = bri_corpus.docs["text"]
    for term in kept["term"].tail(3).tolist() + ["中欧班列"]:
        assert texts.str.contains(term, regex=False).sum() >= 3, term
    left = sorted(set(every["term"]) - set(kept["term"]))
    assert "卢森堡" in left                     # only one Henan plan uses it
    both = kept.merge(every, on="term", suffixes=("", "_all"))
    np.testing.assert_allclose(both["p_value"], both["p_value_all"])
    # Benjamini-Hochberg over the terms tested only: the smallest q falls
    from bri_text.compare._keyness import q_values
    np.testing.assert_allclose(kept["q_value"], q_values(kept["p_value"]))
    assert kept["q_value"].min() < every["q_value"].min()
    with pytest.raises(ParameterError, match="min_docs applies to the document-level"):
        keyness(matrix, nat, min_docs=3)


def test_keyness_records_the_fingerprint_of_the_tokens_counted(bri_corpus, monkeypatch):
    """Audit s38 leftover: a keyness table did not say which tokens it counted. It records
    Tokens.fingerprint (what a topic model and the report record), read from the matrix:
    the same tokens give the same fingerprint, other documents or another tokenizer
    another one, and the texts are hashed once however many tables record it."""
    from bri_text import _util

    def plans(*regions):
        return bri_corpus.subset(region=list(regions)).reshape("paragraph")

    a = bt.tokenize(plans("广西", "甘肃"))
    again = bt.tokenize(plans("广西", "甘肃"))        # re-made: equal, not the same object
    other = bt.tokenize(plans("河南", "湖南"))
    stricter = bt.tokenize(plans("广西", "甘肃"), stopwords="all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")           # token-level p-values: not read here

        def fp(tokens, **kw):
            return keyness(dtm(tokens), **kw).attrs["tokens_fingerprint"]

        assert fp(a, by="region") == a.fingerprint and len(a.fingerprint) == 16
        assert fp(again, by="region") == fp(a, target={"region": "广西"}) == a.fingerprint
        assert fp(other, by="region") == other.fingerprint != a.fingerprint
        assert fp(stricter, by="region") not in (a.fingerprint, other.fingerprint)
        # the permutation test records it too
        assert fp(a, target={"region": "广西"}, measure="permutation", n_boot=20) == \
            a.fingerprint
    # a subset of the units counted is other tokens: a print derived from the parent's and
    # the doc_ids kept, the same however the subset is asked for
    m = dtm(a)
    guangxi = m.subset(region="广西")
    assert guangxi.tokens_fingerprint == \
        m.subset((m.docs["region"] == "广西").to_numpy()).tokens_fingerprint
    assert guangxi.tokens_fingerprint not in (a.fingerprint, None)
    assert m.subset(np.ones(len(m), dtype=bool)).tokens_fingerprint == a.fingerprint
    assert m.group("region").tokens_fingerprint == a.fingerprint   # the same tokens summed
    assert dtm([["东盟", "合作"]]).tokens_fingerprint == dtm([["东盟", "合作"]]).tokens_fingerprint
    assert dtm([["东盟", "合作"]]).tokens_fingerprint != dtm([["东盟"]]).tokens_fingerprint
    hand = DocumentTermMatrix(np.array([[1, 0], [0, 1]]), ["东盟", "中亚"])
    assert keyness(hand, target=[True, False]).attrs["tokens_fingerprint"] is None
    # hashed once per Tokens object: dtm, keyness and similarity read the cached value
    fresh = bt.tokenize(plans("广西", "甘肃"))
    calls = []
    real = _util.units_fingerprint
    monkeypatch.setattr(_util, "units_fingerprint",
                        lambda *x, **k: calls.append(1) or real(*x, **k))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keyness(dtm(fresh), by="region")
        keyness(dtm(fresh), by="region")
        bt.similarity_matrix(fresh)
    assert len(calls) == 1 and fresh.fingerprint == a.fingerprint


def test_work_report_formulae_are_no_key_terms_nor_topic_words():
    """Session 42: the ten 2026 provincial reports share the formulae of the genre, 各位代表
    (in all 10: the opening address or the closing), 过去一年 (10), 一年来 (8), 深刻领悟…的
    决定性意义 (8) and 新的征程催人奋进…奋力谱写…篇章 (8). Their words were among the terms keyness
    tested and the words of a topic; the policy stopwords now hold them. The political
    formulae themselves (两个确立, 中国式现代化) are content and stay."""
    from bri_text._lexicons import load_stopwords

    docs = bt.read_csv(PROVINCES).docs
    for phrase, n in (("各位代表", 10), ("过去一年", 10), ("一年来", 8), ("决定性意义", 8),
                      ("催人奋进", 8), ("真抓实干", 8)):
        assert docs["text"].str.contains(phrase, regex=False).sum() == n, phrase
    genre = {"各位", "代表", "请予", "审议", "列席", "政协委员", "过去", "一年", "深刻", "领悟",
             "决定性", "意义", "做到", "坚定", "提出", "征程", "催人奋进", "更加", "紧密",
             "同志", "周围", "真抓实干", "奋发有为", "奋力", "谱写", "篇章"}
    assert genre <= load_stopwords("policy")
    tokens = bt.tokenize(bt.read_csv(PROVINCES).reshape("paragraph"), tokenizer=bt.Tokenizer(
        stopwords=("general", "policy"), min_length=2))
    k = keyness(dtm(tokens), {"region_type": "自治区"}, {"region_type": "省"},
                measure="permutation", min_docs=3, exclude="own_names")
    assert not genre & set(k["term"])
    assert {"两个确立", "中国式现代化", "中华民族共同体意识"} <= set(k["term"])
    assert k["term"].iloc[0] == "中华民族共同体意识"
    model = bt.TopicModel(n_topics=3, random_state=1, min_df=2).fit(tokens)
    words = set(model.top_terms(10)["term"])
    assert not genre & words and {"两个确立", "民族团结"} <= words
