"""The facts notebooks/07_seventy_years.ipynb states in its prose, computed with the library
directly (the notebook itself is executed by tests/test_notebooks.py).

The topic model is the notebook's: K=10, 500 sweeps, random_state=1, on the paragraphs of the
52 work reports. Facts that depend on the model's values are asserted as orders, signs and
bounds; the margins were measured over seeds 1-4 (``BRI_TEXT_NB07_SEED=2 pytest ...``) and
with ``TOMOTOPY_ISA=avx2`` and ``sse2`` for seed 1 (2026-12-04), and are stated in each test.
"""
from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
import pytest

import bri_text as bt

# fits several topic models of the 52 work reports (about a minute): run with `pytest -m slow`
pytestmark = pytest.mark.slow

SEED = int(os.environ.get("BRI_TEXT_NB07_SEED", "1"))  # to re-measure the margins
PREMIERS = {"周恩来", "华国锋", "赵紫阳", "李鹏", "朱镕基", "温家宝", "李克强", "李强"}
TERMS = ["对外开放", "改革开放", "丝绸之路经济带", "一带一路"]


@pytest.fixture(scope="module")
def reports():
    return bt.load_work_reports()


@pytest.fixture(scope="module")
def model(reports):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="TopicModel.fit: .* no tokens",
                                category=UserWarning)
        return bt.TopicModel(10, random_state=SEED, iterations=500).fit(bt.tokenize(reports))


@pytest.fixture(scope="module")
def topics(model):
    return {"production": model.find_topic(["万吨", "产量", "总产值"], top_n=200),
            "struggle": model.find_topic(["资产阶级", "四人帮", "阶级斗争"], top_n=200),
            "innovation": model.find_topic(["研发", "创新", "服务业"], top_n=200)}


@pytest.fixture(scope="module")
def era(model):
    eff = model.effects("~ bs(year, df=5)", n_boot=200, random_state=1)
    return eff.predict(year=range(1954, 2026)).pivot(index="year", columns="topic",
                                                    values="prevalence")


def test_three_topics_are_distinct(topics):
    assert len(set(topics.values())) == 3


def test_production_topic_leads_in_1954_and_vanishes(era, topics):
    """Production statistics (万吨, 产量, 总产值) are one of the two largest topics of the
    1954 fit and below 0.05 from 2008 on. Measured with the 0.3.0 defaults (NMF start; the
    topic is topic 3 on seeds 1-4): 1954 0.47-0.54, the largest, 2008-2025 at most
    0.032-0.036. With 0.5.0's tokens (general policy terms whole): 1954 0.35-0.39 on seeds
    1-4, the largest on seeds 1 and 3, a close second to the economic-management topic
    (浪费, 经济效益) on seeds 2 (0.3913 against 0.3914) and 4 (0.355 against 0.376)."""
    t = topics["production"]
    assert t in era.loc[1954].nlargest(2).index and era.loc[1954, t] > 0.3
    assert era.loc[2008:, t].max() < 0.05


def test_struggle_topic_peaks_before_reform(era, topics):
    """The class-struggle topic (资产阶级, 四人帮) peaks between 1960 and 1980 and is small
    from 2008 on. Measured with the 0.3.0 defaults, seeds 1-4: peak 0.48-0.53 in 1967, 2008-
    at most 0.027-0.062 (0.2.2, random starts: 0.38-0.56 and 0.02-0.06); asserted peak > 0.3
    and 2008- < 0.1."""
    t = topics["struggle"]
    assert 1960 <= era[t].idxmax() <= 1980
    assert era[t].max() > 0.3
    assert era.loc[2008:, t].max() < 0.1


def test_innovation_topic_rises_to_first_place(era, topics):
    """The development/innovation topic (创新, 研发) is below 0.05 in 1954 and the largest
    topic in 2025. Measured with the 0.3.0 defaults, seeds 1-4: 0.00 -> 0.33-0.34, largest
    in 2025 on every seed."""
    t = topics["innovation"]
    assert era.loc[1954, t] < 0.05
    assert era.loc[2025].idxmax() == t


def test_minister_reports_carry_production_premier_reports_struggle(reports, model, topics):
    """``~ delivered_by + bs(year, df=5)``: a premier's report has less of the production
    topic (0.3.0 defaults, seed 1: -0.28, interval -0.37 to -0.15; seeds 1-4: -0.26 to
    -0.28) and more of the struggle topic (+0.20 to +0.21, lower bound 0.10-0.12) than a
    minister's of the same era; intervals exclude 0. Since 0.3.1 (issue 31) ``estimate``
    is the fractional logit's average marginal effect over all 52 reports, most of them
    from eras where the struggle topic is near 0, so it is smaller than the least-squares
    contrast (seed 1: struggle +0.0996); the signs and intervals are the finding. Since
    0.5.0 the tokens keep general policy terms whole and the minister level (5 documents)
    gets a t interval on its own 4 degrees of freedom (audit s36): seed 1 production -0.098
    (-0.177 to -0.019), struggle +0.091 (0.031 to 0.151), peace +0.100 (0.062 to 0.138);
    the agriculture topic's interval now includes 0 (-0.133, -0.337 to 0.072)."""
    role = reports.docs[["doc_id"]].assign(
        delivered_by=np.where(reports.docs["speaker"].isin(PREMIERS), "premier", "minister"))
    assert (role["delivered_by"] == "minister").sum() == 5
    coef = model.effects("~ delivered_by + bs(year, df=5)", data=role, n_boot=200,
                         random_state=1).coefficients
    coef = coef[coef["term"] == "delivered_by[T.premier]"].set_index("topic")
    prod, strug = coef.loc[topics["production"]], coef.loc[topics["struggle"]]
    assert -0.45 < prod["estimate"] < -0.05 and prod["ci_high"] < 0   # the sign is the
    # finding (seed 1: -0.28 with 0.3.0, -0.20 after variants were normalised, -0.10 now)
    assert strug["estimate"] > 0.05 and strug["ci_low"] > 0 and strug["log_odds_low"] > 0
    # 'also more of the topic of peace and foreign relations (和平, 世界); the agriculture
    # topic (农业, 粮食) … its interval includes zero …, and other topics' intervals exclude
    # zero'
    peace = coef.loc[model.find_topic(["和平", "世界", "各国"], top_n=200)]
    farming = coef.loc[model.find_topic(["农业", "粮食", "农民"], top_n=200)]
    assert peace["ci_low"] > 0 and farming["estimate"] < 0
    assert farming["ci_low"] < 0 < farming["ci_high"]
    named = {topics["production"], topics["struggle"], peace.name, farming.name}
    others = coef.drop(index=list(named))
    # "two other topics' intervals exclude zero" (seed 1: 2; seed 3: 1)
    assert ((others["ci_low"] > 0) | (others["ci_high"] < 0)).sum() >= 1


def test_speakers(model, topics):
    """``~ speaker``: the production topic is largest in a minister's report of the 1950s
    (0.3.0 defaults, seeds 1-4: 李先念, 1956, 0.70-0.74), the struggle topic under 华国锋
    and 周恩来, and the innovation topic rises from 赵紫阳 (0.04) to 李强 (0.35-0.36), its
    largest under 李强."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="effects: .* one document",
                                category=UserWarning)
        eff = model.effects("~ speaker", n_boot=50, random_state=1)
    pred = eff.predict(speaker=sorted(model.units_["speaker"].unique()))
    pred = pred.pivot(index="speaker", columns="topic", values="prevalence")
    assert pred[topics["production"]].idxmax() in {"李富春", "李先念", "薄一波", "谭震林"}
    assert pred[topics["innovation"]].idxmax() == "李强"
    assert pred[topics["struggle"]].nlargest(2).index.isin(["周恩来", "华国锋"]).all()
    since_zhao = pred.loc[["赵紫阳", "李鹏", "朱镕基", "温家宝", "李克强", "李强"],
                          topics["innovation"]]
    assert since_zhao.iloc[-1] - since_zhao.iloc[0] > 0.15


@pytest.fixture(scope="module")
def term_table(reports):
    return bt.term_trends(bt.tokenize(reports.reshape("paragraph")), terms=TERMS, n_boot=0)


def test_first_years_of_terms(reports, term_table):
    """term_trends: 对外开放 from 1981, 改革开放 from 1988, 丝绸之路经济带 from 2014, 一带一路
    from 2015; checked against the raw texts. 丝绸之路经济带: two mentions in 2014 and in 2015,
none later; 一带一路: one in 2015, three to six in every report from 2016."""
    tt = term_table
    first = tt.groupby("term")["first_seen"].first().to_dict()
    assert first == {"对外开放": 1981, "改革开放": 1988, "丝绸之路经济带": 2014, "一带一路": 2015}
    docs = reports.docs
    for term, year in first.items():
        with_term = docs.loc[docs["text"].str.contains(term), "year"]
        assert with_term.min() == year
    counts = tt[tt["n_docs"] > 0].pivot(index="group", columns="term", values="count")
    assert counts.loc[[2014, 2015], "丝绸之路经济带"].tolist() == [2, 2]
    assert counts.loc[2016:, "丝绸之路经济带"].sum() == 0
    assert counts.loc[2015, "一带一路"] == 1
    assert counts.loc[2016:, "一带一路"].between(3, 6).all()


def test_peaks_of_the_opening_terms(term_table):
    """改革开放 is at its highest rate in 1992 (about 52 per 10,000 tokens) and between 4 and
    20 from 1997; 对外开放 is about 18 per 10,000 tokens in 1987, a rate it reaches again only
in 1998 (19; exact counts: no model)."""
    tt = term_table
    rate = tt.pivot(index="group", columns="term", values="per_10k")
    assert rate["改革开放"].idxmax() == 1992 and 45 < rate.loc[1992, "改革开放"] < 60
    later = rate.loc[1997:, "改革开放"].dropna()
    assert later.between(4, 20).all()
    assert 15 < rate.loc[1987, "对外开放"] < 21
    between = rate.loc[1988:1997, "对外开放"].dropna()
    assert between.max() < rate.loc[1987, "对外开放"] <= rate.loc[1998, "对外开放"] + 1
    assert (rate.loc[[1978, 1979], ["对外开放", "改革开放"]] == 0).all(axis=None)


def test_market_company_per_decade(reports):
    """term_company: 市场 keeps company with 稳定, 物价, 商业部门 in the 1950s, with 建立, 开拓,
    竞争能力 in the 1990s and with 房地产, 调控, 活力 in the 2010s (each the decade's top
    three, in that order); the 1960s and 1970s mention it once and five times, and no word
    passes there (exact counts: no model)."""
    company = bt.term_company(bt.tokenize(reports), "市场", by="decade")
    top = company.pivot(index="rank", columns="group", values="word")
    assert top.loc[1:3, [1950, 1990, 2010]].T.values.tolist() == [
        ["稳定", "物价", "商业部门"], ["建立", "开拓", "竞争能力"], ["房地产", "调控", "活力"]]
    periods = company.attrs["periods"].set_index("group")
    assert periods.loc[[1960, 1970], ["mentions", "n_words"]].values.tolist() == \
        [[1, 0], [5, 0]]
    assert not company["group"].isin([1960, 1970]).any()


@pytest.fixture(scope="module")
def plans_vs_reports(reports):
    policies = bt.load_bri_policies()
    d = policies.docs
    plans = d[(d["level"] == "provincial") & (d["kind"] == "plan")]
    recent = reports.subset(year=[2015, 2016, 2017, 2018]).docs
    both = bt.Corpus.from_dataframe(pd.concat(
        [plans[["doc_id", "year", "region", "text"]],
         recent[["doc_id", "year", "text"]].assign(region="national")], ignore_index=True))
    sim = bt.similarity_matrix(bt.dtm(bt.tokenize(both), "tfidf"))
    return plans, sim, plans["doc_id"].tolist(), recent["doc_id"].tolist()


def test_plans_closer_to_each_other_than_to_the_reports(plans_vs_reports):
    """tf-idf cosine: each of the 10 provincial plans is about equally close to the four
    reports (spread at most 0.034), closer to another plan (0.39-0.60) than to any report
    (0.12-0.32), none more to the report of its own year; the reports are close to one
    another (above 0.8); Hunan's 2015 plan is the farthest. No topic model: exact."""
    plans, sim, plan_ids, report_ids = plans_vs_reports
    assert len(plan_ids) == 10
    to_reports = sim.loc[plan_ids, report_ids]
    to_plans = sim.loc[plan_ids, plan_ids].where(~np.eye(len(plan_ids), dtype=bool))
    assert (to_reports.max(axis=1) - to_reports.min(axis=1)).max() < 0.04
    assert (to_plans.max(axis=1) > to_reports.max(axis=1)).all()
    assert to_reports.max(axis=None) < 0.35 and to_plans.max(axis=1).min() > 0.35
    rr = sim.loc[report_ids, report_ids].where(~np.eye(4, dtype=bool))
    assert rr.min(axis=None) > 0.8
    assert to_reports.max(axis=1).idxmin() == "bri25"          # Hunan 2015: 0.12-0.13
    # no plan stands out towards the report of its own year (largest margin 0.005)
    years = plans.set_index("doc_id")["year"]
    for d in plan_ids:
        own = f"wr{years[d]}"
        assert to_reports.loc[d, own] - to_reports.loc[d].drop(own).max() < 0.01


def test_plans_concentrate_on_the_innovation_topic(model, topics, plans_vs_reports):
    """transform: the innovation/opening topic is the plans' largest and its share in the
    plans is well above its share in the 2015-2018 reports. Measured with the 0.3.0
    defaults, seeds 1-4: plans 0.54-0.55 against reports 0.25-0.26, 2.1-2.2x; with 0.5.0's
    shares (all tokens, smoothing out, in transform and doc_topics alike): plans
    0.561-0.568 against reports 0.252-0.256, 2.21-2.26x; with 0.5.0's tokens (general
    policy terms whole), seed 1: plans 0.348 against reports 0.274, 1.27x; asserted
    > 1.15x and > 0.3."""
    plans, _, _, report_ids = plans_vs_reports
    k = list(range(model.n_topics))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="transform: .* no term", category=UserWarning)
        shares = model.transform(bt.tokenize(bt.Corpus.from_dataframe(plans))).dropna(subset=k)
    per_plan = shares[k].mul(shares["n_tokens"], axis=0).groupby(shares["parent_id"]).sum()
    in_plans = per_plan.div(per_plan.sum(axis=1), axis=0).mean()
    in_reports = model.doc_topics(level="document").set_index("doc_id").loc[report_ids, k].mean()
    t = topics["innovation"]
    assert in_plans.idxmax() == t
    assert in_plans[t] > 1.15 * in_reports[t] and in_plans[t] > 0.3
    # "... and little into monetary and fiscal policy" (seed 1: 0.03 against 0.17; with
    # 0.5.0's shares seeds 1-4: 0.038-0.043 against 0.175-0.180; with 0.5.0's tokens seed 1
    # 0.02 against 0.13, seeds 2-3 pass, seed 4 0.141 against 0.215: the money topic found
    # by these words is then a broader one, and this line fails on seed 4)
    money = model.find_topic(["货币政策", "财政赤字", "稳健"], top_n=200)
    assert in_plans[money] < 0.5 * in_reports[money]


def test_common_terms_and_the_long_reports_setting(reports, model):
    """发展 is in almost half of the paragraphs (0.46) and dozens of terms in more than 10%
    (42); the default model leaves out 发展 and 建设 (over 30%) but keeps 加强, which is among
    the 8 most probable terms of 5 topics on each of seeds 1-4 (经济: 4); with max_df=0.1,
    eta=0.1 they are out and the mean NPMI is higher (measured at 500 sweeps with the 0.3.0
    defaults: seed 1 0.065 vs 0.054, seed 2 0.067 vs 0.051, seed 3 0.072 vs 0.053, seed 4
    0.072 vs 0.053)."""
    from collections import Counter

    paragraphs = [t for t in bt.tokenize(reports).reshape("paragraph").tokens if len(t)]
    share = pd.Series(Counter(w for t in paragraphs for w in set(t))) / len(paragraphs)
    assert share.idxmax() == "发展" and 0.4 < share.max() < 0.5
    assert 30 <= (share > 0.1).sum() <= 60
    top = model.topics(top_n=8)
    assert model.provenance_["widespread_terms"] == {"发展": 0.459, "建设": 0.338}
    assert not {"发展", "建设"} & set(model.vocabulary_)
    assert top.loc[top["term"] == "加强", "topic"].nunique() >= 4
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="TopicModel.fit: .* no tokens",
                                category=UserWarning)
        long_model = bt.TopicModel(10, random_state=SEED, iterations=500, max_df=0.1,
                                   eta=0.1).fit(bt.tokenize(reports))
    assert not {"发展", "建设", "加强"} & set(long_model.vocabulary_)
    assert long_model.coherence() > model.coherence()
    # 'the fit with the settings for long reports … gives class struggle a topic of its
    # own': the topic holding 资产阶级 / 四人帮 is not the one holding 和平 / 各国 (in the
    # default fit, since the era terms of session 39, they are one topic)
    struggle = long_model.find_topic(["资产阶级", "四人帮", "阶级斗争"], top_n=200)
    assert struggle != long_model.find_topic(["和平", "各国", "世界"], top_n=200)
    assert {"资产阶级", "四人帮"} <= set(long_model.topics(top_n=30).query(
        "topic == @struggle")["term"])


def test_trend_tests_of_the_opening_concepts(reports):
    """Notebook 07's trend tests (1992-2025, 32 reports): 改革开放 and 对外开放 fall, the Belt
    and Road rises, p < 0.05 with single reports and with blocks of five; the breaks are
    2013 / 2007 / 2014, and only 改革开放's break loses its significance with blocks of five
    (p 0.118 at 9,999 permutations, seed 1; the other breaks p <= 0.018)."""
    concepts = {"改革开放": ["改革开放", "改革和开放", "改革、开放"], "对外开放": ["对外开放"],
                "一带一路": ["一带一路", "丝绸之路经济带"]}
    paragraphs = bt.tokenize(reports.reshape("paragraph"))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="trend_test: .* split by the tokenizer")
        one, five = (bt.trend_test(paragraphs, concepts, span=(1992, 2025), block=b,
                                   random_state=1).set_index("term") for b in (1, 5))
    assert (one["n_docs"] == 32).all()
    assert one["trend"].to_dict() == {"改革开放": "falling", "对外开放": "falling",
                                      "一带一路": "rising"}
    assert (five["p_value"] < 0.05).all() and (one["p_value"] < 0.05).all()
    assert -0.55 < one.loc["改革开放", "tau"] < -0.43 and -0.5 < one.loc["对外开放", "tau"] < -0.4
    assert one["change_year"].to_dict() == {"改革开放": 2013, "对外开放": 2007, "一带一路": 2014}
    assert 16 < one.loc["改革开放", "before"] < 19 and 8 < one.loc["改革开放", "after"] < 9.5
    assert 10 < one.loc["对外开放", "before"] < 12 and 4 < one.loc["对外开放", "after"] < 5.5
    assert five.loc["改革开放", "change_p"] > 0.05
    assert (five.loc[["对外开放", "一带一路"], "change_p"] < 0.05).all()


def test_innovation_topic_is_flagged_for_its_stock_verbs(model, topics):
    """'fit warns that this topic [innovation] is mostly stock words of government
    documents (in this fit a topic of livelihood and social security too: 就业, 保障,
    农民工), and its label ends in "(stock words)": its most probable words are the verbs
    of the recent reports' style (加快, 推进, 实施 …)'. Seeds 1-4 (measured 2026-12-07,
    session 42, after the work-report genre stopwords): innovation flagged on all four,
    livelihood on 1, 3 and 4, no other topic."""
    livelihood = model.find_topic(["就业", "保障", "农民工"], top_n=200)
    assert topics["innovation"] in model.stock_topics_
    assert set(model.stock_topics_) <= {topics["innovation"], livelihood}
    if SEED == 1:
        assert model.stock_topics_ == sorted([topics["innovation"], livelihood])
    assert model.label_topics()[topics["innovation"]].endswith("(stock words)")
    top = model.topics(top_n=6).query(f"topic == {topics['innovation']}")["term"].tolist()
    assert {"加快", "推进", "实施"} <= set(top)
