"""bt.diffusion: who adopted which source document, when; panel, durations, horizontal
passages, plots. Facts of the built-in corpus a reader can check, and a planted corpus."""
from __future__ import annotations

import pandas as pd
import pytest

import bri_text as bt
from bri_text.errors import MetadataError, ParameterError


@pytest.fixture(scope="module")
def corpus():
    return bt.load_bri_policies()


@pytest.fixture(scope="module")
def gansu(corpus):
    """The 甘肃 plan of 2015-12-09 as the source: it quotes the title of the Vision and
    Actions (March 2015), which later plans quote in the same words."""
    return bt.diffusion(corpus, source=["bri23"], threshold=0.005)


def _redated(corpus, **dates):
    docs = corpus.docs.copy()
    for doc_id, d in dates.items():
        docs.loc[docs["doc_id"] == doc_id, "date"] = d
    return bt.Corpus(docs)


def _row(result, jurisdiction, source="bri23"):
    a = result.adoptions
    return a[(a["source"] == source) & (a["jurisdiction"] == jurisdiction)].iloc[0]


# ---------------------------------------------------------------------- the built-in corpus
def test_provinces_that_echo_the_gansu_plan(corpus, gansu):
    a = gansu.adoptions
    adopted = a[a["status"] == "adopted"]
    assert adopted[["jurisdiction", "doc_id", "date", "lag_days"]].values.tolist() == [
        ["四川", "bri22", "2016-10-19", 315], ["广西", "bri18", "2016-10-19", 315],
        ["福建", "bri20", "2016-12-01", 358]]
    # what they carry is the Vision and Actions' title, in the same words
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    for d in adopted["doc_id"]:
        assert "推动共建丝绸之路经济带和21世纪海上丝绸之路的愿景与行动" in texts[d]
    # every other province with a plan is counted, none lost: 11 jurisdictions, 甘肃 is the
    # source's own
    assert set(a["jurisdiction"]) == set(corpus.docs["region"].dropna()) - {"甘肃"}
    s = gansu.sources.iloc[0]
    assert (s.adopted, s.not_adopted, s.order_unknown, s.undated, s.earlier) == (3, 8, 0, 0, 0)
    assert s.median_lag_days == 315
    assert "3 adopted" in repr(gansu)


def test_threshold_is_a_share_of_the_source(corpus):
    """福建 carries the longest stretch (61 of the source's 2,359 characters: 2.6%)."""
    r = bt.diffusion(corpus, source=["bri23"], threshold=0.02)
    assert r.adoptions.query("status == 'adopted'")["jurisdiction"].tolist() == ["福建"]
    fujian = _row(r, "福建")
    assert 0.02 < fujian.share < 0.03


def test_national_documents_are_not_adopted_but_one_is_echoed_earlier(corpus):
    """No provincial plan of the corpus carries a national document of the corpus. The
    insurance regulator's guidance of 2017-04-27 (bri09) shares with the 广西 plan of
    2016-10-19 a principle of the Vision and Actions (坚持市场运作 ...): "earlier", not
    adoption. Its opening sentence on the Belt and Road is in five plans dated before it;
    a phrase that several earlier documents share is what was there before, and counts for
    none of them."""
    r = bt.diffusion(corpus, threshold=0.005)          # source: level national
    assert (r.adoptions["status"] == "adopted").sum() == 0
    earlier = r.adoptions[r.adoptions["status"] == "earlier"]
    bri09 = earlier[earlier["source"] == "bri09"]
    assert bri09[["jurisdiction", "doc_id", "date"]].values.tolist() == [
        ["广西", "bri18", "2016-10-19"]]
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    assert "坚持市场运作" in texts["bri18"] and "坚持市场运作" in texts["bri09"]
    assert r.adoptions.attrs["n_sources"] == 11
    assert r.sources.set_index("source").loc["bri09", "preexisting"] > 0


def test_dates_that_cannot_order_give_no_direction(corpus):
    # 福建's plan re-dated: the same day as the source, a year-only date overlapping it,
    # a date before it, no date at all
    for new, status in [("2015-12-09", "order unknown"), ("2015", "order unknown"),
                        ("2015-06-01", "earlier"), (None, "undated")]:
        r = bt.diffusion(_redated(corpus, bri20=new), source=["bri23"], threshold=0.02)
        row = _row(r, "福建")
        assert row.status == status, new
        assert pd.isna(row.lag_days)
        assert r.sources.iloc[0]["adopted"] == 0
    assert r.adoptions.attrs["undated_documents"] == 1


def test_an_undated_source_orders_nothing(corpus):
    r = bt.diffusion(_redated(corpus, bri23=None), source=["bri23"], threshold=0.02)
    assert _row(r, "福建").status == "undated"
    assert r.sources.iloc[0][["adopted", "undated"]].tolist() == [0, 1]
    assert r.panel().empty and r.durations().attrs["left_out"] == {"not adopted": 10,
                                                                   "undated": 1}


def test_a_year_only_source_date_gives_adoption_without_a_lag(corpus):
    """江西's plan is dated "2015" only; 河南's of 2016-10-09 is later whatever the day."""
    r = bt.diffusion(corpus, source=["bri14"], threshold=0.005)
    henan = _row(r, "河南", "bri14")
    assert (henan.status, henan.doc_id) == ("adopted", "bri24")
    assert pd.isna(henan.lag_days)
    assert r.durations().empty                       # no exact day to count from
    assert r.durations().attrs["left_out"] == {"adopted": 1, "not adopted": 10}


def test_panel_drops_rows_after_adoption(gansu):
    p = gansu.panel("year")
    fujian = p[p["jurisdiction"] == "福建"]
    assert fujian[["time", "adopted"]].values.tolist() == [[1, 0], [2, 1]]
    assert fujian["period"].astype(str).tolist() == ["2015", "2016"]
    henan = p[p["jurisdiction"] == "河南"]             # never adopts: censored at the end
    assert henan["period"].astype(str).tolist() == ["2015", "2016", "2017"]
    assert henan["adopted"].sum() == 0
    assert (p.groupby("jurisdiction")["adopted"].sum() <= 1).all()
    # each adopter's last row is its adoption
    last = p.groupby("jurisdiction").tail(1)
    assert set(last.loc[last["adopted"] == 1, "jurisdiction"]) == {"四川", "广西", "福建"}
    assert (p["at_risk"] == 1).all()
    m = gansu.panel("month")
    assert len(m[m["jurisdiction"] == "福建"]) == 13     # 2015-12 .. 2016-12


def test_panel_fits_a_discrete_time_hazard(gansu):
    smf = pytest.importorskip("statsmodels.formula.api")
    q = gansu.panel("quarter")
    fit = smf.logit("adopted ~ time", data=q).fit(disp=0)
    assert int(fit.nobs) == len(q)
    assert q["adopted"].sum() == 3


def test_durations(gansu):
    d = gansu.durations()
    assert d[["jurisdiction", "duration", "event"]].head(3).values.tolist() == [
        ["四川", 315, 1], ["广西", 315, 1], ["福建", 358, 1]]
    censored = d[d["event"] == 0]
    assert len(censored) == 8
    # censored at the corpus' last date (2017-12-27): 749 days after 2015-12-09
    assert set(censored["duration"]) == {749}
    assert gansu.durations("years")["duration"].max() == pytest.approx(749 / 365.25)


def test_covariates(corpus, gansu):
    with pytest.raises(MetadataError, match="level"):      # 浙江 has a city's plan too
        gansu.panel(covariates=["level"])
    cov = pd.DataFrame({"region": ["福建", "广西"], "coastal": [1, 1]})
    p = gansu.panel(covariates=cov)
    assert p.loc[p["jurisdiction"] == "福建", "coastal"].eq(1).all()
    assert p.loc[p["jurisdiction"] == "河南", "coastal"].isna().all()
    with pytest.raises(MetadataError, match="region"):
        gansu.panel(covariates=pd.DataFrame({"province": ["福建"], "x": [1]}))


def test_horizontal_pairs_leave_out_what_a_source_holds(corpus):
    """江西 (2015) and 河南 (2016-10-09) open with the same paragraph on the 'significance'
    of the initiative; the Vision and Actions' title travels from 甘肃 - when 甘肃's plan is
    the source, the 广西 → 福建 echo of the title is no horizontal passage."""
    r = bt.diffusion(corpus, source=["bri23"], threshold=0.02)
    h = r.horizontal
    row = h[(h["doc_from"] == "bri14") & (h["doc_to"] == "bri24")].iloc[0]
    assert "重大意义" in row.passage_to
    assert row.direction == "earlier→later" and pd.isna(row.lag_days)   # "2015": no day
    assert not ((h["doc_from"] == "bri18") & (h["doc_to"] == "bri20")).any()
    assert (h["jurisdiction_from"] != h["jurisdiction_to"]).all()
    # 河南 (2016-10-09) -> 福建 (2016-12-01): the closing call to "调动各方积极性", 53 days on
    henan = h[(h["doc_from"] == "bri24") & (h["doc_to"] == "bri20")].iloc[0]
    assert "调动各方积极性" in henan.passage_to and henan.lag_days == 53
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    for x in h.itertuples():
        assert texts[x.doc_from][x.start_from:x.end_from] == x.passage_from


def test_clauses_table(gansu):
    c = gansu.clauses
    assert len(c) == gansu.sources.iloc[0]["n_clauses"] * 11
    assert set(c["status"]) <= set(bt.reuse._diffusion.STATUSES)
    text = bt.load_bri_policies().docs.set_index("doc_id").loc["bri23", "text"]
    for x in c.head(30).itertuples():
        assert text[x.clause_start:x.clause_end] == x.clause_text


# ---------------------------------------------------------------------- bad input
def test_bad_inputs(corpus):
    with pytest.raises(MetadataError, match="by='province'"):
        bt.diffusion(corpus, by="province")
    with pytest.raises(MetadataError, match="source"):
        bt.diffusion(corpus, source={"level": "county"})
    with pytest.raises(MetadataError, match="bri99"):
        bt.diffusion(corpus, source=["bri23", "bri99"])
    with pytest.raises(ParameterError, match="by='region'.*1"):
        bt.diffusion(corpus.subset(region=["河南", None]))
    with pytest.raises(MetadataError, match="no document has a date"):
        bt.diffusion(bt.Corpus(corpus.docs.assign(date=None)))
    with pytest.raises(MetadataError, match="date='issued'"):
        bt.diffusion(corpus, date="issued")
    with pytest.raises(ParameterError, match="threshold"):
        bt.diffusion(corpus, threshold=1.5)
    with pytest.raises(ParameterError, match="freq"):
        bt.diffusion(corpus, source=["bri23"]).panel("week")


# ---------------------------------------------------------------------- plots
def test_plots(gansu):
    import matplotlib.pyplot as plt

    from bri_text import plot

    ax = plot.adoption_curve(gansu)
    assert ax.bri_data["share"].tolist() == [0.0, round(1 / 11, 4), round(2 / 11, 4),
                                             round(3 / 11, 4)]
    plt.close(ax.figure)
    ax = plot.adoption_lags(gansu.adoptions)
    assert sorted(ax.bri_data["lag_days"]) == [315, 315, 358]
    plt.close(ax.figure)
    ax = plot.adoption_heatmap(gansu)
    assert ax.bri_data["bri23"].notna().sum() == 3
    assert ax.bri_data.index[:3].tolist() == ["四川", "广西", "福建"]
    assert not plot.warn_missing_glyphs(ax)
    plt.close(ax.figure)
    with pytest.raises(MetadataError, match="bri99"):
        plot.adoption_curve(gansu, source="bri99")


# ---------------------------------------------------------------------- a planted corpus
@pytest.fixture(scope="module")
def planted():
    """The lead's planted diffusion corpus (benchmarks/planted_diffusion.py, importable from
    the repository root): one source, 8 provinces, reordered and edited local versions,
    stock phrases in every document."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from planted_diffusion import make_planted

    p = make_planted(n_sources=1, n_jurisdictions=8, seed=2)
    return p, bt.diffusion(p.corpus)


def test_planted_adopters_and_dates(planted):
    p, r = planted
    truth = p.adoptions.set_index("region")
    a = r.adoptions.set_index("jurisdiction")
    assert set(a.index) == set(truth.index)
    adopted = a["status"] == "adopted"
    assert adopted.to_dict() == truth["adopted"].astype(bool).to_dict()
    assert a.loc[adopted, "doc_id"].to_dict() == truth.loc[truth["adopted"], "doc_id"].to_dict()
    assert a.loc[adopted, "lag_days"].astype(int).to_dict() == \
        truth.loc[truth["adopted"], "lag_days"].astype(int).to_dict()
    # the stock phrases open and close every document, yet nobody adopts through them
    assert (a.loc[~adopted, "share"] < 0.05).all()


def test_planted_clauses_follow_the_plants(planted):
    """A kept clause is found carried; a dropped one is not (clauses numbered 一、二、...)."""
    p, r = planted
    c = r.clauses
    numbered = c[c["clause_text"].str.match(r"^[一二三四五六七八九十]+、")]
    src_text = p.corpus.docs.set_index("doc_id").loc["src01", "text"]
    heads = [t.split("、", 1)[0] for t in numbered["clause_text"]]
    order = {h: k for k, h in enumerate(dict.fromkeys(heads))}
    got = numbered.assign(source_clause=[order[h] for h in heads])
    truth = p.clauses.merge(p.adoptions[["doc_id", "region"]].rename(
        columns={"doc_id": "local_doc"}), on="local_doc")
    m = truth.dropna(subset=["source_clause"]).merge(
        got, left_on=["source_clause", "region"], right_on=["source_clause", "jurisdiction"])
    carried = m["status_y"] == "adopted"
    assert carried[m["status_x"] == "kept"].mean() >= 0.9
    assert carried[m["status_x"] == "dropped"].mean() <= 0.1
    assert len(src_text) == r.sources.iloc[0]["chars"]


def test_planted_panel(planted):
    p, r = planted
    panel = r.panel("quarter")
    for j, g in panel.groupby("jurisdiction"):
        adopted = bool(p.adoptions.set_index("region").loc[j, "adopted"])
        assert g["adopted"].sum() == int(adopted)
        assert g["time"].tolist() == list(range(1, len(g) + 1))
        if adopted:                       # the adoption is the last row at risk
            assert g["adopted"].iloc[-1] == 1


def test_planted_horizontal_passage():
    """A sentence in one province's own document, taken up (two characters changed) by a
    later document of another province, is a horizontal passage from the earlier one; what
    two adopters both took from the source is not."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from planted_diffusion import make_planted

    p = make_planted(n_sources=1, n_jurisdictions=8, seed=2)
    docs = p.corpus.docs.copy()
    adopters = p.adoptions[p.adoptions["adopted"]].sort_values("date")
    target = adopters.iloc[-1]
    own = docs[(docs["doc_id"].str.startswith("own_")) & (docs["region"] != target["region"])
               & (docs["date"] < target["date"])].iloc[0]
    sentence = "建立沿边口岸冷链查验互认试点，由两省海关共同派驻查验专员并轮值主持联席会议。"
    for doc_id, text in [(own["doc_id"], sentence),
                         (target["doc_id"], sentence.replace("两省", "双方"))]:
        i = docs.index[docs["doc_id"] == doc_id][0]
        docs.loc[i, "text"] = docs.loc[i, "text"] + "\n" + text
    h = bt.diffusion(bt.Corpus(docs)).horizontal
    row = h[(h["doc_from"] == own["doc_id"]) & (h["doc_to"] == target["doc_id"])]
    assert len(row) == 1
    row = row.iloc[0]
    assert row.direction == "earlier→later"
    assert row.lag_days == (pd.Timestamp(target["date"]) - pd.Timestamp(own["date"])).days
    assert "冷链查验互认试点" in row.passage_from
    # no horizontal passage between two adopters is text of the source
    src = docs.loc[docs["doc_id"] == "src01", "text"].iloc[0]
    assert not any(x.passage_from in src for x in h.itertuples())
