"""trend_test (Mann-Kendall over documents, Theil-Sen, Pettitt) and the intervals of zero
counts (term_trends, instrument_shares) on the government work reports 1954-2025 and the
built-in instrument codes: the figures are str.count / token counts a reader can redo."""
from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
from scipy import stats

import bri_text as bt
from bri_text.errors import ParameterError


@pytest.fixture(scope="module")
def since_1992(work_tokens):
    with pytest.warns(UserWarning, match=r"计划经济 \(3 of 19\) mentions were split"):
        return bt.trend_test(work_tokens, ["改革开放", "计划经济", "阶级斗争"], span=(1992, 2025),
                             n_perm=999)


def test_reform_and_opening_falls_after_1992(since_1992, work_tokens, work_reports):
    """Every report from 1992 on says 改革开放 (32 reports), less and less per 10k tokens
    (tau -0.49, Kendall's tau of year and each report's rate, redone below from the token
    counts); the biggest break is 2013 (17.4 per 10k before, 8.5 after). 计划经济 is in 5
    reports, the last in 2005: falling, change point 2006. 阶级斗争 is in none: no test."""
    t = since_1992.set_index("term")
    reform = t.loc["改革开放"]
    assert (reform["n_docs"], reform["n_mentioning"]) == (32, 32)
    assert reform["trend"] == "falling" and reform["p_value"] < 0.01
    m = bt.dtm(work_tokens)
    years = m.docs["year"].to_numpy()
    keep = years >= 1992
    n_tok = np.asarray(m.counts.sum(axis=1)).ravel()[keep]
    counts = work_reports.docs["text"].str.count("改革开放").to_numpy()[keep]   # str.count
    assert reform["tau"] == pytest.approx(stats.kendalltau(years[keep], counts / n_tok).statistic)
    assert round(reform["tau"], 2) == -0.49
    assert reform["change_year"] == 2013 and reform["change_p"] < 0.05
    before = (counts / n_tok * 1e4)[years[keep] < 2013].mean()
    assert reform["before"] == pytest.approx(before) and round(before, 1) == 17.4
    assert reform["slope_low"] <= reform["slope"] <= reform["slope_high"] < 0
    assert reform["slope_note"] is None
    plan = t.loc["计划经济"]
    assert plan["n_mentioning"] == 5 and plan["trend"] == "falling"
    # 27 reports without it: 351 of the 496 pairs of reports are two zeros, so Theil-Sen's
    # median would be 0 by ties: no slope, and the note says why
    plan_counts = work_reports.docs["text"].str.count("计划经济").to_numpy()[keep]
    assert (plan_counts == 0).sum() == 27
    assert plan[["slope", "slope_low", "slope_high"]].isna().all()
    assert plan["slope_note"].startswith("not estimated: 351 of 496 pairs")
    assert "27 of 32 documents without a mention" in plan["slope_note"]
    assert plan["change_year"] == 2006 and plan["after"] == 0
    assert t.loc["阶级斗争", "trend"] == "constant: no test"
    assert np.isnan(t.loc["阶级斗争", "p_value"])


@pytest.mark.slow   # tokenizes 32 reports by paragraph
def test_documents_are_the_units(work_reports, since_1992):
    """The same reports tokenized by paragraph give the same test: paragraphs are added up
    to their report, each report one value (a long report is one document)."""
    years = [y for y in work_reports.docs["year"] if y >= 1992]
    paragraphs = bt.tokenize(work_reports.subset(year=years).reshape("paragraph"), progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = bt.trend_test(paragraphs, ["改革开放", "计划经济", "阶级斗争"], n_perm=999)
    cols = ["n_docs", "tau", "p_value", "slope", "change_year", "change_p", "before"]
    assert t[cols].equals(since_1992[cols])
    assert t.attrs["unit"].startswith("document")


@pytest.mark.slow   # two tests over 52 reports
def test_over_seventy_years_and_presence(work_tokens):
    """1954-2025: 阶级斗争 falls (in 8 reports, the last 1980s), 创新 rises (tau 0.80);
    一带一路 enters in 2015: as presence (share of reports), its change point is 2015, all
    reports after it and none before."""
    t = bt.trend_test(work_tokens, ["阶级斗争", "创新"], n_perm=999).set_index("term")
    assert t.loc["阶级斗争", "trend"] == "falling" and t.loc["创新", "trend"] == "rising"
    assert round(t.loc["创新", "tau"], 2) == 0.80
    p = bt.trend_test(work_tokens, {"一带一路": ["一带一路"]}, measure="presence",
                      n_perm=999).iloc[0]
    assert p["change_year"] == 2015 and (p["before"], p["after"]) == (0.0, 1.0)
    assert p["n_mentioning"] == 10 and p["measure"] == "share of documents"
    # presence is 0/1: 906 of 1,326 pairs tie (42 reports without, 10 with): no slope
    assert np.isnan(p["slope"]) and "906 of 1326 pairs" in p["slope_note"]


@pytest.mark.slow   # three tests over 43 reports
def test_seeded_and_recorded(work_tokens):
    a = bt.trend_test(work_tokens, ["对外开放"], span=(1978, 2025), n_perm=499, random_state=3)
    b = bt.trend_test(work_tokens, ["对外开放"], span=(1978, 2025), n_perm=499, random_state=3)
    c = bt.trend_test(work_tokens, ["对外开放"], span=(1978, 2025), n_perm=499, random_state=4)
    assert c.loc[0, "tau"] == a.loc[0, "tau"]       # only the permutations change
    assert a.attrs["block"] == 1 and "blocks" not in a.attrs["test"]
    assert a.equals(b)
    assert a.attrs["span"] == [1978.0, 2025.0] and a.attrs["n_perm"] == 499
    assert a.attrs["random_state"] == 3 and a.attrs["tokens_fingerprint"]
    assert a.loc[0, "n_docs"] == 43                 # 1978-2025 has 43 reports
    # p-values are (1 + permutations at least as extreme) / (n_perm + 1)
    assert (a.loc[0, "p_value"] * 500) == pytest.approx(round(a.loc[0, "p_value"] * 500))


def test_block_permutation(since_1992, work_tokens):
    """block=5 permutes runs of 5 consecutive reports: the same tau and slope, a p-value
    from other permutations (改革开放 1992-2025 still falls), recorded in attrs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b = bt.trend_test(work_tokens, ["改革开放", "计划经济", "阶级斗争"], span=(1992, 2025),
                          n_perm=999, block=5)
    assert b["tau"].equals(since_1992["tau"]) and b["slope"].equals(since_1992["slope"])
    assert b.loc[0, "trend"] == "falling" and b.loc[0, "p_value"] < 0.05
    assert b.attrs["block"] == 5 and "blocks of 5" in b.attrs["test"]


def test_few_documents_and_bad_input(work_tokens):
    with pytest.warns(UserWarning, match="3 document"):
        t = bt.trend_test(work_tokens, ["改革开放"], span=(2023, 2025), n_perm=99)
    assert t.loc[0, "trend"] == "no test" and np.isnan(t.loc[0, "p_value"])
    for kwargs, match in [({"measure": "share"}, "measure must be"),
                          ({"span": (2025, 1978)}, "after the last"),
                          ({"span": 1978}, "span must be"),
                          ({"n_perm": 10}, "n_perm"),
                          ({"block": 0}, "block"),
                          ]:
        with pytest.raises(ParameterError, match=match):
            bt.trend_test(work_tokens, ["改革开放"], **kwargs)
    with pytest.raises(ParameterError, match="by='speaker' holds no years"):
        bt.trend_test(work_tokens, ["改革开放"], by="speaker", n_perm=99)


# ----------------------------------------------------------------------- zero intervals
def test_a_year_without_a_mention_is_not_known_to_be_zero(work_reports):
    """2013 has no 一带一路 (first in 2015, once): the within-document interval was [0, 0];
    now [0, upper], upper the Clopper-Pearson bound for 0 of the report's 79 paragraphs
    (the units the bootstrap draws), 1 - 0.025 ** (1 / 79), times 79 paragraphs and the
    term's mentions per mentioning paragraph in the table (1: its one mention), 3.60
    mentions: 7.0 per 10k of the 2013 report's 5,152 counted tokens (n_units, n_tokens).
    The one mention of 2015 reaches the exact Poisson upper bound of 1, 5.57 mentions (the
    paragraph bootstrap's 97.5% quantile would be 3 or 4 mentions), 9.1 per 10k."""
    par = bt.tokenize(work_reports.subset(year=[2013, 2014, 2015]).reshape("paragraph"),
                      progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tt = bt.term_trends(par, ["一带一路"], resample="unit", n_boot=200)
    assert tt.attrs["burst"] == {"一带一路": 1.0}
    row = tt[tt["group"] == 2013].iloc[0]
    assert row["count"] == 0 and row["ci_low"] == 0
    n, T = row["n_units"], row["n_tokens"]
    assert (n, T) == (79, 5152)
    assert row["ci_high"] == pytest.approx((1 - 0.025 ** (1 / n)) * n / T * 1e4)
    assert round(row["ci_high"], 1) == 7.0
    seen = tt[tt["group"] == 2015].iloc[0]
    assert seen["count"] == 1 and seen["ci_low"] < seen["per_10k"] < seen["ci_high"]
    T = seen["n_tokens"]
    assert seen["ci_low"] == 0          # the bootstrap's low end (0 mentions) is lower
    assert seen["ci_high"] == pytest.approx(stats.gamma.ppf(0.975, 2) / T * 1e4)
    assert round(stats.gamma.ppf(0.975, 2), 2) == 5.57 and round(seen["ci_high"], 1) == 9.1
    assert "Clopper-Pearson" in tt.attrs["zero_interval"]
    assert "paragraphs" in tt.attrs["zero_interval"]
    assert "Garwood" in tt.attrs["small_counts"]


def test_a_code_no_document_of_a_group_uses(tmp_path):
    """Coder A's codes by level: the 7 national documents (67 instrument paragraphs) have
    no D_demonstration paragraph. Between documents the share's interval is [0, 0.41]
    (1 - 0.025 ** (1/7): a share of clauses is at most the share of documents using the
    code); within documents (paragraphs as units) [0, 0.054] (1 - 0.025 ** (1/67))."""
    coded = bt.load_instrument_codes().reset_index()
    coded = coded.assign(code=coded["coder_a"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = bt.instrument_shares(coded, by="level", n_boot=200)
        u = bt.instrument_shares(coded, by="level", n_boot=200, resample="unit")
    row = t[(t["group"] == "national") & (t["code"] == "D_demonstration")].iloc[0]
    assert (row["count"], row["n_docs"], row["n_units"]) == (0, 7, 67)
    assert row["ci_low"] == 0 and row["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 7))
    assert round(row["ci_high"], 2) == 0.41
    row = u[(u["group"] == "national") & (u["code"] == "D_demonstration")].iloc[0]
    assert row["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 67))
    used = t[t["count"] > 0]                        # non-zero shares keep their bootstrap
    assert (used["ci_high"] > used["ci_low"]).all()
    assert "documents" in t.attrs["zero_interval"] and "clauses" in u.attrs["zero_interval"]


@pytest.mark.slow
def test_many_terms_get_q_values_and_a_warning_for_trends_that_do_not_survive(work_tokens):
    """Twenty common words of the 21 reports of 2004-2025 (audit44b): twelve are "rising" or
    "falling" at p < .05 on their own; over the twenty (Benjamini-Hochberg, q_value) those
    of 市场, 国防, 外交 and 卫生 (p .038-.049) are not, and one warning names them.
    民生, rising (tau 0.68), and 农村, falling (tau -0.78), stay at q < .01."""
    terms = ["改革开放", "创新", "农业", "工业", "教育", "科技", "就业", "环境", "安全", "民生",
             "法治", "市场", "企业", "农村", "城市", "人民", "国防", "外交", "文化", "卫生"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = bt.trend_test(work_tokens, terms, span=(2004, 2025), n_perm=999, random_state=1)
    t = t.set_index("term")
    assert t["n_docs"].eq(21).all()
    called = t["trend"].isin(["rising", "falling"])
    # measured: 12 called, 4 of them (p .038-.049) weak; the permutation p-values near .05
    # move with the random stream, so the test holds the structure, not the four names
    assert called.sum() >= 10
    weak = t.index[called & (t["q_value"] >= 0.05)].tolist()
    assert 1 <= len(weak) < called.sum()
    # BH keeps the order of the p-values: every weak trend has a larger p than every kept one
    kept = t.index[called & (t["q_value"] < 0.05)]
    assert t.loc[kept, "p_value"].max() < t.loc[weak, "p_value"].min()
    assert t.loc["民生", "trend"] == "rising" and t.loc["民生", "q_value"] < 0.01
    assert t.loc["农村", "trend"] == "falling" and t.loc["农村", "q_value"] < 0.01
    said = [str(w.message) for w in caught if "Benjamini-Hochberg" in str(w.message)]
    assert len(said) == 1
    assert said[0].startswith(f"trend_test: 20 terms tested; {len(weak)} of the "
                              f"{int(called.sum())} trends called at p < 0.05 have q >= 0.05")
    assert str(weak) in said[0]
    # the adjustment is scipy's BH of the table's own p-values
    assert np.allclose(t["q_value"], stats.false_discovery_control(t["p_value"]))


def test_q_value_sits_beside_p_value(since_1992):
    t = since_1992.set_index("term")
    assert list(since_1992.columns[since_1992.columns.get_loc("p_value"):][:2]) == [
        "p_value", "q_value"]
    assert np.isnan(t.loc["阶级斗争", "q_value"])              # no test, no q
    p = t["p_value"].dropna()
    assert np.allclose(t.loc[p.index, "q_value"], stats.false_discovery_control(p))


def test_a_report_whose_paragraphs_have_two_years_is_warned_about_once(work_reports):
    """The 2012-2019 reports by paragraph, the last paragraph of the 2015 report given the
    year 2016 (a slip in a table): trend_test adds up each report and gives it the year of
    its first paragraph (2015), so its figures are those of the report as it is, and one
    warning names the report and its units per year; term_trends counts the report in both
    years and says so (the shared check of keyness and profile)."""
    paragraphs = bt.tokenize(work_reports.subset(year=list(range(2012, 2020))).reshape("paragraph"),
                             progress=False)
    docs = paragraphs.docs
    of_2015 = docs.index[docs["parent_id"] == "wr2015"]
    slip = copy.copy(paragraphs)
    slip.docs = docs.assign(year=docs["year"].where(docs.index != of_2015[-1], 2016))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = bt.trend_test(slip, ["改革"], n_perm=99)
        bt.term_trends(slip, ["改革"], n_boot=0)
    said = [str(w.message) for w in caught if "more than one group" in str(w.message)]
    assert len(said) == 2
    assert said[0].startswith(
        f"trend_test: 1 document has units in more than one group of 'year' (wr2015: 2015 "
        f"{len(of_2015) - 1} units, 2016 1 unit); trend_test adds up each document's units "
        "and gives the document the year of its first unit")
    assert said[1].startswith("term_trends: 1 document has units in more than one group of "
                              f"'year' (wr2015: 2015 {len(of_2015) - 1} units, 2016 1 unit)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        as_is = bt.trend_test(paragraphs, ["改革"], n_perm=99)
    cols = ["n_docs", "first_year", "last_year", "n_mentioning", "tau", "p_value"]
    assert got[cols].values.tolist() == as_is[cols].values.tolist()
    assert got["n_docs"].item() == 8
    # the reports as they are: every paragraph has its report's year, nothing to say
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bt.trend_test(paragraphs, ["改革"], n_perm=99)
    assert not [w for w in caught if "more than one group" in str(w.message)]
