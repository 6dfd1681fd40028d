"""bt.diffusion: who adopted which source document, when; panel, durations, horizontal
passages, plots. Facts of the built-in corpus a reader can check, and a planted corpus."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt
from bri_text.errors import MetadataError, ParameterError


@pytest.fixture(scope="module")
def corpus():
    return bt.load_bri_policies()


#: a whole clause of 甘肃's plan (bri23, clause 18 of 32: 111 of its 2,359 characters, 4.7%)
#: and one of 江西's (bri14, clause 50 of 163: 165 of 14,229 characters)
GANSU_CLAUSE, JIANGXI_CLAUSE = 17, 49


def _echo(corpus, quoting=("bri22", "bri18", "bri20")):
    """The built-in corpus in which the plans ``quoting`` (of 四川 bri22, 广西 bri18, 福建
    bri20) each quote a whole clause of 甘肃's plan of 2015-12-09 (bri23), and 河南's
    (bri24) one of 江西's (bri14), as a paragraph at their end: real source text, planted
    because the corpus has no adoption (its plans rewrite each other; the longest text
    they share verbatim cites the national 《愿景与行动》, which is no adoption)."""
    from bri_text.reuse._diffusion import _clause_bounds

    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))

    def clause(doc, i):
        s, e = _clause_bounds(texts[doc])[0][i]
        return texts[doc][s:e]

    add = {d: clause("bri23", GANSU_CLAUSE) for d in quoting}
    add["bri24"] = clause("bri14", JIANGXI_CLAUSE)
    docs = corpus.docs.copy()
    docs["text"] = [t + "\n" + add[d] if d in add else t
                    for d, t in zip(docs["doc_id"], docs["text"])]
    return bt.Corpus(docs)


@pytest.fixture(scope="module")
def echo(corpus):
    return _echo(corpus)


@pytest.fixture(scope="module")
def echo_fujian(corpus):
    """Only 福建's plan quotes 甘肃's."""
    return _echo(corpus, ("bri20",))


@pytest.fixture(scope="module")
def gansu(echo):
    """甘肃's plan as the source, traced into the corpus where three plans quote it."""
    return bt.diffusion(echo, source=["bri23"], threshold=0.005)


def _redated(corpus, **dates):
    """``corpus`` with new dates; None: undated, no year either (a year alone dates a
    document by its year)."""
    docs = corpus.docs.copy()
    for doc_id, d in dates.items():
        docs.loc[docs["doc_id"] == doc_id, "date"] = d
        if d is None:
            docs.loc[docs["doc_id"] == doc_id, "year"] = None
    return bt.Corpus(docs)


def _row(result, jurisdiction, source="bri23"):
    a = result.adoptions
    return a[(a["source"] == source) & (a["jurisdiction"] == jurisdiction)].iloc[0]


# ---------------------------------------------------------------------- the built-in corpus
def test_a_shared_citation_of_the_vision_and_actions_is_no_adoption(corpus):
    """福建's plan (bri20) shares with 甘肃's (bri23) one 61-character sentence: both cite
    the national 《愿景与行动》 (a title in 5 of the 27 documents). That is no adoption of
    甘肃's plan, and the table says why."""
    r = bt.diffusion(corpus, source=["bri14", "bri23", "bri25", "bri26"], threshold=0.02)
    a = r.adoptions
    assert (a["status"] == "adopted").sum() == 0
    fujian = _row(r, "福建")
    assert fujian.status == "not adopted" and fujian.share == 0 and fujian.clauses == 0
    assert "cited titles" in fujian.reason
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    assert sum("愿景与行动》" in t for t in texts.values()) == 5
    t = bt.text_reuse(corpus.subset(doc_id=["bri20", "bri23"]))
    cite = t[t["passage_b"].str.contains("愿景与行动")]
    assert cite["kind"].tolist() == ["citation"]
    # every jurisdiction of every source has a reason
    assert a["reason"].str.len().gt(0).all()


def test_provinces_that_quote_the_gansu_plan(echo, gansu):
    a = gansu.adoptions
    adopted = a[a["status"] == "adopted"]
    assert adopted[["jurisdiction", "doc_id", "date", "lag_days"]].values.tolist() == [
        ["四川", "bri22", "2016-10-19", 315], ["广西", "bri18", "2016-10-19", 315],
        ["福建", "bri20", "2016-12-01", 358]]
    assert (adopted["clauses"] == 1).all() and adopted["reason"].str.contains(
        "1 of its 27 clauses, 3[15][58] days after it").all()
    # of the plan's 32 units, its 5 headings (一大构想, 六大窗口 ...) are not counted
    c = gansu.clauses
    heads = c.loc[~c["substance"], "clause_text"].drop_duplicates().tolist()
    assert heads == ["一大构想", "六大窗口", "八大节点城市", "三大平台", "五大重点工程"]
    assert gansu.sources.iloc[0].n_clauses == 27
    # every other province with a plan is counted, none lost: 11 jurisdictions, 甘肃 is the
    # source's own
    assert set(a["jurisdiction"]) == set(echo.docs["region"].dropna()) - {"甘肃"}
    s = gansu.sources.iloc[0]
    assert (s.adopted, s.not_adopted, s.order_unknown, s.undated, s.earlier) == (3, 8, 0, 0, 0)
    assert s.median_lag_adopters_days == 315
    assert "3 adopted" in repr(gansu)
    c = gansu.clauses
    assert set(c.loc[c["status"] == "adopted", "clause"]) == {GANSU_CLAUSE + 1}


def test_threshold_is_a_share_of_the_source(echo):
    """The quoted clause is 111 of the source's 2,359 characters (4.7%)."""
    r = bt.diffusion(echo, source=["bri23"], threshold=0.02)
    assert r.adoptions.query("status == 'adopted'")["jurisdiction"].tolist() == \
        ["四川", "广西", "福建"]
    fujian = _row(r, "福建")
    assert 0.04 < fujian.share < 0.05
    r = bt.diffusion(echo, source=["bri23"])            # threshold 5%
    fujian = _row(r, "福建")
    assert fujian.status == "not adopted" and "below the threshold" in fujian.reason


def test_scattered_phrases_without_a_whole_clause_are_no_adoption(corpus):
    """河南's plan (bri24) shares with 江西's (bri14) its opening argument and a few phrases,
    0.9% of the source's characters but no clause whole: not an adoption, however low the
    threshold."""
    r = bt.diffusion(corpus, source=["bri14"], threshold=0.005)
    henan = _row(r, "河南", "bri14")
    assert henan.status == "not adopted" and henan.share >= 0.005 and henan.clauses == 0
    assert "no clause carried" in henan.reason


def test_national_documents_are_not_adopted_nor_echoed(corpus):
    """No provincial plan of the corpus carries a national document of the corpus. The
    insurance regulator's guidance of 2017-04-27 (bri09) shares with the 广西 plan of
    2016-10-19 a principle of the Vision and Actions (坚持市场运作 ...), a phrase and no
    clause: neither adoption nor "earlier". Its opening sentence on the Belt and Road is in
    five plans dated before it; a phrase that several earlier documents share is what was
    there before, and counts for none of them."""
    r = bt.diffusion(corpus, threshold=0.005)          # source: level national
    assert set(r.adoptions["status"]) == {"not adopted"}
    row = _row(r, "广西", "bri09")
    assert row.share >= 0.005 and "no clause carried" in row.reason
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    assert "坚持市场运作" in texts["bri18"] and "坚持市场运作" in texts["bri09"]
    assert r.adoptions.attrs["n_sources"] == 11
    assert r.sources.set_index("source").loc["bri09", "preexisting"] > 0


def test_dates_that_cannot_order_give_no_direction(echo_fujian):
    # 福建's plan re-dated: the same day as the source, a year-only date overlapping it,
    # a date before it, no date at all
    for new, status in [("2015-12-09", "order unknown"), ("2015", "order unknown"),
                        ("2015-06-01", "earlier"), (None, "undated")]:
        r = bt.diffusion(_redated(echo_fujian, bri20=new), source=["bri23"], threshold=0.02)
        row = _row(r, "福建")
        assert row.status == status, new
        assert pd.isna(row.lag_days)
        assert r.sources.iloc[0]["adopted"] == 0
    assert r.adoptions.attrs["undated_documents"] == 1


def test_a_quote_dated_before_the_source_is_earlier_however_many_quote_it(echo):
    """甘肃's clause (111 of its 2,359 characters) quoted by 四川, 广西 and 福建: with 福建's
    plan re-dated before 甘肃's, the clause was there before it (in 4 of the 16 provincial
    documents, more than 3, it was not looked for in 福建's: 'not adopted', preexisting 0)."""
    r = bt.diffusion(_redated(echo, bri20="2015-06-01"), source=["bri23"], threshold=0.02)
    assert (_row(r, "福建").status, _row(r, "福建").share) == ("earlier", round(111 / 2359, 4))
    assert r.sources.iloc[0]["preexisting"] == round(111 / 2359, 4)


def test_a_quote_in_many_earlier_documents_is_preexisting(corpus):
    """s42: 甘肃's clause (111 of its 2,359 characters) quoted by four plans (四川, 广西,
    福建, 西安), all re-dated before 甘肃's: in 4 of the 5 documents dated before it, more
    than the 3 whose shingles pick an earlier document to align, it was not looked for, and
    preexisting was 0 (with 3 quoting it, 0.0471). Every shingle a source shares with an
    earlier document is now a seed over the text left: the clause was there before."""
    quoting = ("bri22", "bri18", "bri20", "bri21")
    echo4 = _redated(_echo(corpus, quoting), **{d: "2015-06-01" for d in quoting})
    r = bt.diffusion(echo4, source=["bri23"], threshold=0.02)
    assert r.sources.iloc[0]["preexisting"] == round(111 / 2359, 4)
    # held by four earlier documents, it counts for none of them
    assert set(r.adoptions["status"]) == {"not adopted"}
    assert {_row(r, j).share for j in ("四川", "广西", "福建", "陕西")} == {0.0}


def test_an_undated_source_orders_nothing(echo_fujian):
    r = bt.diffusion(_redated(echo_fujian, bri23=None), source=["bri23"], threshold=0.02)
    assert _row(r, "福建").status == "undated"
    assert r.sources.iloc[0][["adopted", "undated"]].tolist() == [0, 1]
    assert r.panel().empty and r.durations().attrs["left_out"] == {"not adopted": 10,
                                                                   "undated": 1}


def test_a_year_only_source_date_gives_adoption_without_a_lag(echo):
    """江西's plan is dated "2015" only; 河南's of 2016-10-09 is later whatever the day."""
    r = bt.diffusion(echo, source=["bri14"], threshold=0.005)
    henan = _row(r, "河南", "bri14")
    assert (henan.status, henan.doc_id) == ("adopted", "bri24")
    assert pd.isna(henan.lag_days)
    assert r.durations().empty                       # no exact day to count from
    assert r.durations().attrs["left_out"] == {"adopted, no exact date": 1,
                                                 "not adopted": 10}


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
    # every unit of the source has a row (32 x 11 jurisdictions); n_clauses counts those
    # of substance (not the 5 headings)
    assert len(c) == 32 * 11
    assert c["substance"].sum() == gansu.sources.iloc[0]["n_clauses"] * 11 == 27 * 11
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
        bt.diffusion(bt.Corpus(corpus.docs.assign(date=None, year=None)))
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



def test_planted_horizontal_passage_shows_words_inserted():
    """``horizontal["inserted"]``: the words the later document (``doc_to``) inserted inside
    a passage it took from an earlier one, as text_reuse's ``inserted``: the later province
    writes 由两省海关和边检部门共同派驻 for 由两省海关共同派驻 (5 characters inside)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from planted_diffusion import make_planted

    p = make_planted(n_sources=1, n_jurisdictions=8, seed=2)
    docs = p.corpus.docs.copy()
    target = p.adoptions[p.adoptions["adopted"]].sort_values("date").iloc[-1]
    own = docs[(docs["doc_id"].str.startswith("own_")) & (docs["region"] != target["region"])
               & (docs["date"] < target["date"])].iloc[0]
    sentence = "建立沿边口岸冷链查验互认试点，由两省海关共同派驻查验专员并轮值主持联席会议。"
    for doc_id, text in [(own["doc_id"], sentence),
                         (target["doc_id"], sentence.replace("海关", "海关和边检部门"))]:
        i = docs.index[docs["doc_id"] == doc_id][0]
        docs.loc[i, "text"] = docs.loc[i, "text"] + "\n" + text
    h = bt.diffusion(bt.Corpus(docs)).horizontal
    row = h[(h["doc_from"] == own["doc_id"]) & (h["doc_to"] == target["doc_id"])].iloc[0]
    assert "和边检部门" in row.passage_to and "和边检部门" not in row.passage_from
    assert row.inserted == "和边检部门"
    assert (h.drop(row.name)["inserted"] == "").all()

# ---------------------------------------------------------------------- a digital-government corpus
# tests/data/diffusion_digital_gov: a central opinion of 20 numbered clauses and ten local
# documents written so that the truth is known (its README; ground_truth.csv); audit s39
@pytest.fixture(scope="module")
def digital():
    import warnings
    from pathlib import Path

    folder = Path(__file__).parent / "data" / "diffusion_digital_gov"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = bt.read_folder(folder, pattern="*.txt", metadata=folder / "metadata.csv")
    return corpus, bt.diffusion(corpus, source=["central"])


def _labels(clauses) -> list:
    return clauses["clause_text"].str.extract(r"^（([一二三四五六七八九十]+)）")[0].tolist()


def test_headings_and_title_are_no_adopted_clauses(digital):
    corpus, r = digital
    c = r.clauses[r.clauses["jurisdiction"] == "山东"]
    # the source's 25 units: its title, the preamble, 3 headings (一、总体要求 …) and 20 clauses
    off = c.loc[~c["substance"], "clause_text"].tolist()
    assert off == ["国务院关于深化数字政府建设提升政务服务效能的意见（示例）", "一、总体要求",
                   "二、重点任务", "三、保障措施"]
    assert r.sources.iloc[0].n_clauses == 21            # 20 clauses and the preamble
    # 山东 repeats the headings 二、重点任务 and 三、保障措施 word for word: not counted;
    # it carries the nine clauses of ground_truth.csv, （十四） (江苏's, with the centre's
    # figure, audit 7) among them
    carried = _labels(c[c["substance"] & (c["status"] == "adopted")])
    assert carried == ["二", "四", "七", "八", "十四", "十五", "十六", "十七", "十九"]
    truth = pd.read_csv(Path(__file__).parent / "data" / "diffusion_digital_gov" / "ground_truth.csv")
    assert len(truth[truth["doc"] == "shandong"]) == 9
    row = r.adoptions.set_index("jurisdiction").loc["山东"]
    assert row.clauses == 9 and "9 of its 21 clauses" in row.reason


def test_set_phrasing_of_the_new_era_adopts_nothing(digital):
    corpus, r = digital
    a = r.adoptions.set_index("jurisdiction")
    # 甘肃 (a rural-revitalisation opinion) and 河南 (business environment) share with the
    # centre only 以习近平新时代…为指导，坚持以人民为中心，完整、准确、全面贯彻新发展理念，
    # 统筹发展和安全 … 各地区各部门要结合实际认真贯彻落实 and a heading 一、总体要求
    for j in ("甘肃", "河南"):
        assert a.loc[j, "status"] == "not adopted" and a.loc[j, "share"] == 0
        assert a.loc[j, "clauses"] == 0
    t = bt.text_reuse(corpus.subset(doc_id=["central", "gansu"]))
    guiding = t[t["passage_b"].str.contains("坚持以人民为中心")]
    assert len(guiding) == 1 and guiding["kind"].tolist() == ["formulaic"]


def test_order_unknown_counts_its_clauses(digital):
    corpus, r = digital
    row = r.adoptions.set_index("jurisdiction").loc["湖北"]   # 武汉, dated "2022" only
    assert row.status == "order unknown" and pd.isna(row.lag_days)
    # it carries （十）（十一）; the count agrees with the reason
    assert row.clauses == 2 and "2 of its 21 clauses" in row.reason
    c = r.clauses[(r.clauses["jurisdiction"] == "湖北") & (r.clauses["status"] == "order unknown")]
    assert _labels(c) == ["十", "十一"]


def test_dates_as_written_in_chinese_and_unreadable_dates(digital):
    corpus, _ = digital
    docs = corpus.docs.copy()
    # 浙江's opinion dated by its month, as Chinese documents write it: after 2022-06-20
    docs.loc[docs["doc_id"] == "zhejiang", "date"] = "2022年9月"
    # 广东's date in a form that could be 2015-09-22 or 2022-09-15: undated, and named
    docs.loc[docs["doc_id"] == "guangdong", "date"] = "22/9/15"
    with pytest.warns(UserWarning, match=r"guangdong: '22/9/15'"):
        r = bt.diffusion(bt.Corpus(docs), source=["central"])
    a = r.adoptions.set_index("jurisdiction")
    assert a.loc["浙江", "status"] == "adopted" and pd.isna(a.loc["浙江", "lag_days"])
    assert a.loc["广东", "status"] == "undated"       # was "earlier": a guessed 2015


def test_median_lag_among_adopters_and_kaplan_meier_median(digital):
    """stat39 (d): the median lag of the adopters leaves out those not yet adopted; the
    Kaplan-Meier median of durations() is the time to adoption."""
    corpus, r = digital
    s = r.sources.iloc[0]
    # 山东 46, 浙江 87, 广东 130, 成都 153 days after 2022-06-20: median of the four 108.5
    assert s.median_lag_adopters_days == 108.5
    # at risk: those four and the five not adopted by 2023-02-15 (湖北, year-only, is out);
    # 4 of 9 is fewer than half: the median time to adoption is not reached
    assert s.at_risk == 9 and pd.isna(s.km_median_days)
    assert "median time to adoption not reached: fewer than half of the 9" in repr(r)
    # at threshold 2%, 安徽 (2023-02-15, 240 days) adopts and 江苏 (2021) is earlier: of 8
    # at risk, half have adopted at 153 days (成都) - the adopters' own median is 130
    r2 = bt.diffusion(corpus, source=["central"], threshold=0.02)
    s2 = r2.sources.iloc[0]
    assert (s2.adopted, s2.earlier, s2.at_risk) == (5, 1, 8)
    assert s2.median_lag_adopters_days == 130 and s2.km_median_days == 153
    d = r2.durations()
    assert d["duration"].tolist() == [46, 87, 130, 153, 240, 240, 240, 240]
    assert "median time to adoption 153 days (Kaplan-Meier, 8" in repr(r2)


def test_an_adoption_dated_by_its_month_in_durations_and_panel(digital):
    """浙江 dated 2022年9月: adopted, no lag in days; durations() leaves it out (it raised),
    the monthly panel ends its rows in 2022-09."""
    corpus, _ = digital
    docs = corpus.docs.copy()
    docs.loc[docs["doc_id"] == "zhejiang", "date"] = "2022年9月"
    docs.loc[docs["doc_id"] == "central", "date"] = "2022年6月20日"
    r = bt.diffusion(bt.Corpus(docs), source=["central"])
    d = r.durations()
    assert "浙江" not in set(d["jurisdiction"])
    assert d.attrs["left_out"] == {"adopted, no exact date": 1, "order unknown": 1}
    assert d.loc[d["jurisdiction"] == "山东", "duration"].tolist() == [46]
    p = r.panel("month")
    zj = p[p["jurisdiction"] == "浙江"]
    assert zj["period"].astype(str).tolist() == ["2022-06", "2022-07", "2022-08", "2022-09"]
    assert zj["adopted"].tolist() == [0, 0, 0, 1]
    assert p.attrs["left_out"] == {"order unknown": 1}


def test_share_is_of_the_text_the_source_wrote_itself(digital):
    """stat39 (d): text the source shares with an earlier document is not its own, and a
    later document's share is of the rest (test_preexisting_text_is_found_...). audit 7:
    the centre took 江苏's 2021 政务云 sentence (61 characters of （十四）) and made its 80%
    90%. 59 of the 61 characters are 江苏's: the sentence is text that was there before
    the centre (`preexisting`, out of the shares). Its figure tells which version a later
    document took: 山东 states 90%, so it took （十四） from the centre and carries the
    clause; a 山东 stating 80% does not."""
    corpus, r = digital
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    sentence = "推进各级政务云资源整合和集约化建设，原则上不再新建分散的政务机房，电子政务外网实现乡镇全覆盖、行政村覆盖率达到{}%以上。"
    assert len(sentence.format(90)) == 61 and sentence.format(80) in texts["jiangsu"]
    assert sentence.format(90) in texts["central"] and sentence.format(90) in texts["shandong"]
    s = r.sources.iloc[0]
    assert s.chars == 1821 and s.preexisting == round(61 / 1821, 4)
    a = r.adoptions.set_index("jurisdiction")
    assert a.loc["山东", "share"] == round(684 / (1821 - 61), 4)
    assert "38.9% of the source's own text" in a.loc["山东", "reason"]
    c = r.clauses[r.clauses["clause_text"].str.startswith("（十四）")].set_index("jurisdiction")
    assert (c.loc["山东", "status"], c.loc["山东", "share"]) == ("adopted", 0.95)   # 76 of 80
    # 江苏, dated before the centre, holds the 61 characters in its own version: the centre
    # shares 3.3% of its text with it (it is where the centre found the sentence)
    assert a.loc["江苏", "share"] == round(61 / 1821, 4)
    assert a.loc["江苏", "reason"].startswith(
        "jiangsu is dated before the source, which shares 1 of its 21 clauses whole and 3.3% "
        "of its text with it")
    # a later document with 江苏's figure does not carry （十四）: it may have it from 江苏
    later = corpus.docs.copy()
    later.loc[later["doc_id"] == "shandong", "text"] = texts["shandong"].replace(
        sentence.format(90), sentence.format(80))
    r2 = bt.diffusion(bt.Corpus(later), source=["central"])
    a2 = r2.adoptions.set_index("jurisdiction")
    assert a2.loc["山东", "share"] == round(684 / (1821 - 61), 4) and a2.loc["山东", "clauses"] == 8
    c2 = r2.clauses[r2.clauses["clause_text"].str.startswith("（十四）")].set_index("jurisdiction")
    assert c2.loc["山东", "status"] == "not adopted"


def test_an_earlier_document_citing_the_sources_title_adds_no_text_there_before(digital):
    """浙江's opinion opens 为深入贯彻落实党中央、国务院决策部署和《国务院关于深化数字政府建设提升
    政务服务效能的意见》精神…: the centre's title. Planted at the end of 江苏's plan, dated
    2021-03-10, before the centre (2022-06-20), the preexisting step (with min_chars=20,
    the title being 24 characters) took the centre's title line for text that was there
    before it: preexisting 85 of 1,821 characters (61 + 24) instead of 61 (session 43).
    A citation of the other document's title is blanked as text_reuse blanks it."""
    corpus, r = digital
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    title = "国务院关于深化数字政府建设提升政务服务效能的意见"
    cite = next(line for line in texts["zhejiang"].splitlines() if f"《{title}》" in line)
    assert len(title) == 24 and texts["central"].startswith(title + "（示例）")
    docs = corpus.docs.copy()
    docs["text"] = [t + "\n" + cite if d == "jiangsu" else t
                    for d, t in zip(docs["doc_id"], docs["text"])]
    planted = bt.diffusion(bt.Corpus(docs), source=["central"], min_chars=20)
    assert r.sources.iloc[0]["preexisting"] == round(61 / 1821, 4)       # min_chars=30
    assert planted.sources.iloc[0]["preexisting"] == round(61 / 1821, 4)
    a = planted.adoptions.set_index("jurisdiction")
    assert (a.loc["江苏", "status"], a.loc["江苏", "share"]) == ("not adopted",
                                                              round(61 / 1821, 4))


def test_a_local_document_citing_the_source_by_its_title_cites_it(digital):
    """audit 8: 浙江 opens 为深入贯彻落实党中央、国务院决策部署和《国务院关于深化数字政府建设
    提升政务服务效能的意见》精神: the cited title (the source's, without （示例）) is a
    citation, so the centre's preamble (为深入贯彻落实党中央、国务院决策部署，加快推进数字政府
    建设，提升政务服务效能，现提出如下意见。) is not carried: only its opening phrase
    为深入贯彻落实党中央、国务院决策部署， (19 of 47 characters) is shared."""
    corpus, r = digital
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    assert "和《国务院关于深化数字政府建设提升政务服务效能的意见》精神" in texts["zhejiang"]
    c = r.clauses[r.clauses["jurisdiction"] == "浙江"]
    preamble = c[c["clause_text"].str.startswith("为深入贯彻落实")].iloc[0]
    assert preamble.status == "not adopted" and preamble.share == round(19 / 47, 4)
    # the four clauses 浙江 copies (ground_truth.csv), and no other
    assert _labels(c[c["substance"] & (c["status"] == "adopted")]) == ["三", "四", "七", "九"]
    row = r.adoptions.set_index("jurisdiction").loc["浙江"]
    assert row.clauses == 4 and "4 of its 21 clauses" in row.reason


def test_a_whole_clause_below_the_threshold_says_so(digital):
    """audit 9: 安徽 copies central （九） word for word, 86 of the centre's 1,760 own
    characters (4.9%, threshold 5%; the other 61 are 江苏's sentence): the reason says a
    clause is carried whole and which threshold= counts it; 江苏's clause is dated before
    the centre."""
    corpus, r = digital
    a = r.adoptions.set_index("jurisdiction")
    assert a.loc["安徽", "status"] == "not adopted" and a.loc["安徽", "share"] == round(86 / 1760, 4)
    assert a.loc["安徽", "reason"] == (
        "anhui carries 1 of its 21 clauses whole but 4.9% of the source's own text, below "
        "the threshold 5.0%; see threshold= (at threshold=0.04 it carries the source)")
    assert "is dated before the source" in a.loc["江苏", "reason"]
    r4 = bt.diffusion(corpus, source=["central"], threshold=0.04)
    row = r4.adoptions.set_index("jurisdiction").loc["安徽"]
    assert (row.status, row.doc_id, row.lag_days) == ("adopted", "anhui", 240)


def test_the_heatmap_caption_explains_its_marks(digital):
    """audit 11: 湖北 (武汉, dated "2022") is marked "?"; the caption says what "?" means."""
    import matplotlib.pyplot as plt

    from bri_text import plot

    _, r = digital
    ax = plot.adoption_heatmap(r)
    marks = {t.get_text() for t in ax.texts if not t.get_text().replace(".", "").isdigit()}
    assert "?" in marks
    assert ax.get_xlabel() == ("source (blank: not adopted;\n?: carried, order unknown (same "
                               "day or a year-only date))")
    assert ax.bri_data.loc["山东", "central"] == 46
    plt.close(ax.figure)


def test_tracing_a_reference_does_not_hide_its_most_taken_clauses(digital):
    """audit 10: central （四） 推行政务服务“一网通办” is in 4 of the 11 documents (the centre,
    浙江, 成都, 山东): traced from the centre it is a copy in each, not `widespread` (with
    max_df 0.2, 3 documents, 山东's was widespread and formulaic). Between peers frequency
    still marks stock wording (max_df 0.2)."""
    corpus, _ = digital
    t = bt.text_reuse(corpus, reference={"level": "national"})
    assert (t.attrs["max_df"], t.attrs["max_df_documents"]) == (1.0, 11)
    four = t[t["passage_a"].str.contains("推行政务服务“一网通办”")]   # 浙江: with （三）
    assert sorted(four["doc_b"]) == ["chengdu", "shandong", "zhejiang"]
    assert set(four["kind"]) == {"copy"} and not four["formulaic"].any()
    assert four.loc[four["doc_b"] == "shandong", "documents"].tolist() == [4]
    old = bt.text_reuse(corpus, reference={"level": "national"}, max_df=0.2)
    assert old.loc[old["passage_a"].str.startswith("推行政务服务“一网通办”") &
                   (old["doc_b"] == "shandong"), "kind"].tolist() == ["widespread"]
    assert bt.text_reuse(corpus.subset(doc_id=["central", "gansu"])).attrs["max_df"] == 0.2


def _with_copies(corpus, n_copies):
    """The digital-government corpus plus 西藏 (2021-05-01), holding central （三）…（十）
    word for word (the centre took them: 40% of it), and ``n_copies`` later documents
    (2022-12) copying the centre's （三）…（二十）."""
    import re

    docs = corpus.docs
    lines = docs.set_index("doc_id").loc["central", "text"].splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("（三）"))
    end = next(i for i, x in enumerate(lines) if x.startswith("（十一）"))
    last = next(i for i, x in enumerate(lines) if x.startswith("（二十）"))
    assert all(re.match(r"（[三四五六七八九十]）", x) for x in lines[start:end])
    rows = [{"doc_id": "xizang", "text": "西藏自治区数字政府建设规划（示例）\n"
             + "\n".join(lines[start:end]), "title": "西藏", "region": "西藏",
             "level": "provincial", "date": "2021-05-01"}]
    for k, region in enumerate(["青海", "宁夏", "新疆", "云南"][:n_copies]):
        rows.append({"doc_id": f"copy{k}", "text": f"{region}贯彻落实数字政府建设意见的实施"
                     "方案（示例）\n" + "\n".join(lines[start:last + 1]), "title": region,
                     "region": region, "level": "provincial", "date": f"2022-12-0{k + 1}"})
    return bt.Corpus(pd.concat([docs, pd.DataFrame(rows)], ignore_index=True)), \
        len("\n".join(lines[start:end]))


def test_preexisting_text_is_found_however_many_later_documents_copy_it(digital):
    """diff39b: an earlier document was aligned only near the source's shingles in at most 3
    documents, so text the centre took from it stopped counting as there before the centre
    once later documents copied it: with one copy preexisting was 0 (西藏's passage, aligned
    in part, was not near-verbatim). The shingles are now counted among the documents dated
    before the source only. 西藏's 756 characters (（三）…（十）, with their line breaks) are
    the centre's earlier text with 1 or 4 later copies, beside 江苏's 61 (whose figure the
    centre changed: test_share_is_of_the_text_the_source_wrote_itself)."""
    corpus, _ = digital
    for n_copies in (1, 4):
        more, chars = _with_copies(corpus, n_copies)
        assert chars == 756
        r = bt.diffusion(more, source=["central"])
        assert r.sources.iloc[0]["preexisting"] == round((756 + 61) / 1821, 4), n_copies
        a = r.adoptions.set_index("jurisdiction")
        # 西藏 carries all it holds, of the 1,821 characters less 江苏's 61
        assert (a.loc["西藏", "status"], a.loc["西藏", "share"]) == \
            ("earlier", round(756 / (1821 - 61), 4))
        # a copy carries the centre's own text of （十一）…（二十）, 768 - 61 of the 1,821 - 817
        # characters the centre wrote itself, and their ten clauses (（十四） with the
        # centre's 90%)
        assert (a.loc["青海", "status"], a.loc["青海", "lag_days"], a.loc["青海", "share"]) \
            == ("adopted", 164, round((768 - 61) / (1821 - 817), 4))
        c = r.clauses[(r.clauses["jurisdiction"] == "青海") & r.clauses["substance"]]
        assert _labels(c[c["status"] == "adopted"]) == [
            "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"]


def test_horizontal_passages_hold_no_source_text(digital):
    """audit 6: 安徽 takes two of 浙江's own clauses (its 浙里办 clause, with 皖事通 for
    浙里办, and its 大综合一体化 clause) around central （九）, which both hold. Aligned with
    the source text blanked out, the two clauses were one passage running over 浙江's （五）
    (电子证照, which 安徽 lacks) and （六） (central （九）), similarity 0.9679 of the blanked
    texts. They are two passages now, neither holding source text, and each similarity is
    that of the text reported."""
    import re

    from rapidfuzz.distance import Indel

    corpus, r = digital
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    h = r.horizontal
    h = h[(h["doc_from"] == "zhejiang") & (h["doc_to"] == "anhui")]
    assert len(h) == 2
    brand, law = h.iloc[0], h.iloc[1]
    clause = "全面迭代“{}”应用，推动省市县三级移动端服务统一汇聚，实现企业群众办事“一端通办”"
    assert brand.passage_from.startswith("掌上服务总门户。") and clause.format("浙里办") in \
        brand.passage_from and brand.passage_from.endswith("不少于两轮用户体验测评。")
    assert clause.format("皖事通") in brand.passage_to
    assert law.passage_from == law.passage_to and law.passage_from.startswith(
        "建立“大综合一体化”行政执法数字平台。") and law.similarity == 1.0
    central = texts["central"]
    for x in (brand, law):
        assert texts["zhejiang"][x.start_from:x.end_from] == x.passage_from
        assert texts["anhui"][x.start_to:x.end_to] == x.passage_to
        assert "电子证照" not in x.passage_from and "提升数字化决策能力" not in x.passage_to
        assert not any(s in central for s in re.split(r"[，。]", x.passage_from) if len(s) > 8)
    # 浙里办 -> 皖事通: 3 of the 74 characters that count (punctuation aside) substituted,
    # 6 insertions and deletions out of 148
    kept = [re.sub(r"[^\w]", "", x) for x in (brand.passage_from, brand.passage_to)]
    assert len(kept[0]) == len(kept[1]) == 74
    assert brand.similarity == round(1 - 6 / 148, 4) == round(Indel.normalized_similarity(*kept), 4)
    assert (brand.chars, law.chars) == (84, 91)


def test_pairwise_reuse_reads_a_cited_title_as_diffusion_does(digital):
    """浙江 opens 为深入贯彻落实党中央、国务院决策部署和《国务院关于深化数字政府建设提升政务服务
    效能的意见》精神: between all pairs, text_reuse aligned the cited title with the centre's
    title line and preamble, a 65-character `copy` ending in the citation. The title of the
    other document of the pair cited in 《》 is blanked for that pair, as diffusion does for
    its sources: what is left is what 成都, which cites nothing, shares with the centre too
    (the title lines and the opening set phrase)."""
    corpus, _ = digital
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    cited = "和《国务院关于深化数字政府建设提升政务服务效能的意见》精神"
    rows = {}
    for d in ("zhejiang", "chengdu"):
        t = bt.text_reuse(corpus.subset(doc_id=["central", d]))
        rows[d] = t[t["start_a"] < 100].iloc[0]
    zj, cd = rows["zhejiang"], rows["chengdu"]
    assert zj.passage_a == cd.passage_a == ("关于深化数字政府建设提升政务服务效能的意见（示例）\n"
                                            "为深入贯彻落实党中央、国务院决策部署，")
    assert zj.passage_b == cd.passage_b == ("关于深化数字政府建设的实施意见（示例）\n"
                                            "为深入贯彻落实党中央、国务院决策部署")
    assert "《" not in zj.passage_b and texts["zhejiang"][zj.end_b:].startswith(cited)
    assert (zj.chars, zj.similarity) == (cd.chars, cd.similarity) == (45, 0.8649)
    # between all the documents the same rows, widespread (the title lines of 6 documents)
    t = bt.text_reuse(corpus)
    top = t[(t["doc_a"] == "central") & t["doc_b"].isin(["zhejiang", "chengdu"]) &
            (t["start_a"] < 100)]
    assert top["kind"].tolist() == ["widespread", "widespread"]
    assert not top["passage_b"].str.contains("《").any()
    # a title cited inside another one's is another document: 河北's 推进共建“一带一路”教育
    # 行动计划 does not make the ministry's 《推进共建“一带一路”教育行动》 a citation of it
    hebei = bt.Corpus(pd.DataFrame({
        "doc_id": ["hebei", "other"],
        "title": ["河北省推进共建“一带一路”教育行动计划", "某省教育对外开放工作要点"],
        "text": ["河北省推进共建“一带一路”教育行动计划\n为贯彻落实教育部推进共建“一带一路”教育行动，"
                 "促进我省与沿线国家教育交流合作，制定本计划。",
                 "某省教育对外开放工作要点\n为贯彻落实教育部《推进共建“一带一路”教育行动》，"
                 "促进我省与沿线国家教育交流合作，制定本要点。"]}))
    shared = bt.text_reuse(hebei, min_chars=20)
    assert len(shared) == 1 and shared["kind"].iloc[0] == "copy"
    assert "《推进共建“一带一路”教育行动》" in shared["passage_b"].iloc[0]


#: a sentence of 浙江's own (89 characters) that 浙江 puts inside a clause it takes from the
#: centre, and that 安徽, later, takes from 浙江 as a clause of its own
ZHEJIANG_OWN = ("推行公共数据首席代表制度，由各设区市政府分管负责人担任本地首席数据代表，统筹协调数据"
                "归集、质量治理和开放应用中的跨部门问题，每季度向省大数据发展管理局报送数据供需清单"
                "和问题清单。")


def test_traced_passages_hold_only_text_that_aligns(digital, monkeypatch):
    """A passage traced from the source is aligned with the local text far from the
    source's shingles blanked out: 浙江's own sentence, put in the middle of the centre's
    （九） clause 建立政务数据目录动态更新机制，… , was skipped, and the two halves of the
    clause were one passage over it, its similarity that of the blanked text. The sentence
    counted as source text, so the horizontal passage 浙江→安徽 of it was never found. Now
    the passage is aligned again on the original texts (split at the sentence), and
    浙江→安徽 reports the sentence, verbatim."""
    import re

    from rapidfuzz.distance import Indel

    import bri_text.reuse._diffusion as diffusion_module

    corpus, _ = digital
    after = "建立政务数据目录动态更新机制，"
    edits = {"zhejiang": (after, after + ZHEJIANG_OWN),
             "anhui": ("二、保障措施", "（五）推行公共数据首席代表制度。" + ZHEJIANG_OWN + "\n二、保障措施")}
    docs = corpus.docs.copy()
    docs["text"] = [t.replace(*edits[d]) if d in edits else t
                    for d, t in zip(docs["doc_id"], docs["text"])]
    assert all(t.count(ZHEJIANG_OWN) == (d in edits) for d, t in zip(docs["doc_id"], docs["text"]))
    traced = []
    found = diffusion_module._traced
    monkeypatch.setattr(diffusion_module, "_traced",
                        lambda *a, **k: traced.append(found(*a, **k)) or traced[-1])
    r = bt.diffusion(bt.Corpus(docs), source=["central"])
    texts = dict(zip(docs["doc_id"], docs["text"]))
    zhejiang = texts["zhejiang"]
    at = zhejiang.index(ZHEJIANG_OWN)
    t = traced[0]
    for x in t[t["doc_b"] == "zhejiang"].itertuples():
        assert not (x.start_b < at + len(ZHEJIANG_OWN) and x.end_b > at)  # none holds it
        assert zhejiang[x.start_b:x.end_b] == x.passage_b
        plain = [re.sub(r"[^\w]", "", p) for p in (x.passage_a, x.passage_b)]
        assert x.similarity == round(Indel.normalized_similarity(*plain), 4)
    h = r.horizontal
    row = h[(h["doc_from"] == "zhejiang") & (h["doc_to"] == "anhui") &
            (h["passage_from"] == ZHEJIANG_OWN)]
    assert len(row) == 1 and row.iloc[0].passage_to == ZHEJIANG_OWN
    assert (row.iloc[0].similarity, row.iloc[0].chars) == (1.0, 89)
    assert row.iloc[0].start_from == at
    # shares are of the source's characters: 浙江 carries what it carried before
    assert _row(r, "浙江", "central").share == _row(digital[1], "浙江", "central").share == 0.2364


def test_text_there_before_with_local_words_inside_is_preexisting(digital):
    """s41: the centre's （九） (89 characters) was in an earlier 江苏 document word for word
    but for a sentence of 江苏's own inside it (29 characters): one passage 0.85 alike,
    under the 0.9 that makes text there before the source, so until s41 the whole clause
    counted as the centre's own (preexisting 0, and 浙江, copying it, carried 4 clauses).
    Its near-verbatim stretches of 30 characters or more now count: the whole clause."""
    corpus, _ = digital
    docs = corpus.docs.set_index("doc_id")
    central = docs.loc["central", "text"]
    clause = next(x for x in central.splitlines() if x.startswith("（九）"))
    cut = clause.index("开展宏观")
    own = "本省将于年内组织专家开展专题调研，形成全省统一的建设导则。"
    jiangsu = "江苏省数字政府建设工作要点（示例）\n" + clause[:cut] + own + clause[cut:] + "\n"
    frame = docs.loc[["central", "zhejiang"]].reset_index()
    frame = pd.concat([frame, pd.DataFrame([{
        "doc_id": "js2021", "title": "江苏省数字政府建设工作要点（示例）", "text": jiangsu,
        "region": "江苏", "level": "provincial", "date": "2021-11-30"}])], ignore_index=True)
    c = bt.Corpus(frame)
    t = bt.text_reuse(c, reference={"level": "national"}, date=None)
    row = t[t["doc_b"] == "js2021"].iloc[0]
    assert row.passage_a == clause and 0.8 < row.similarity < 0.9
    assert row.inserted == own[:-1]                     # the sentence, without its 。
    r = bt.diffusion(c)
    assert (len(clause), len(central)) == (89, 1821)
    assert r.sources.iloc[0]["preexisting"] == round(89 / 1821, 4)
    a = r.adoptions.set_index("jurisdiction")
    # 江苏's document is dated before the centre: it shares 89 of the 1,821 characters,
    # under the threshold 5%
    assert (a.loc["江苏", "status"], a.loc["江苏", "share"]) == ("not adopted",
                                                              round(89 / 1821, 4))
    assert a.loc["浙江", "clauses"] == 3                 # （九） is no clause the centre wrote
    ninth = r.clauses[(r.clauses["jurisdiction"] == "浙江") &
                      r.clauses["clause_text"].str.startswith("（九）")]
    assert ninth["status"].tolist() == ["not adopted"]


def _with_guangdong(docs, text):
    """Diffusion of the centre into 浙江 and a 2023 广东 document of ``text``: the result
    and 广东's adopted clause rows."""
    frame = pd.concat([docs.loc[["central", "zhejiang"]].reset_index(), pd.DataFrame([{
        "doc_id": "gd2023", "title": "广东省深化数字政府建设行动方案（示例）", "text": text,
        "region": "广东", "level": "provincial", "date": "2023-03-01"}])], ignore_index=True)
    r = bt.diffusion(bt.Corpus(frame))
    return r, r.clauses[(r.clauses["jurisdiction"] == "广东")
                        & (r.clauses["status"] == "adopted")]


def test_clauses_show_the_words_a_jurisdiction_inserted(digital):
    """s41: a 2023 广东 document takes the centre's （五） and （十） whole, with 14 words
    of its own inside （五）: both clauses adopted, and （五）'s row shows the words."""
    corpus, _ = digital
    docs = corpus.docs.set_index("doc_id")
    central = docs.loc["central", "text"]
    five, ten = (next(x for x in central.splitlines() if x.startswith(h))
                 for h in ("（五）", "（十）"))
    words = "面向粤港澳大湾区和东盟国家"
    cut = five.index("梳理形成")
    text = ("广东省深化数字政府建设行动方案（示例）\n" + "（一）" + five[3:cut] + words
            + five[cut:] + "\n（二）" + ten[3:] + "\n")
    r, c = _with_guangdong(docs, text)
    assert _labels(c) == ["五", "十"]
    assert c["inserted"].tolist() == [words, ""]
    assert c["doc_id"].tolist() == ["gd2023", "gd2023"]
    # 浙江 copies its four clauses word for word: nothing inserted
    assert (r.clauses.loc[r.clauses["jurisdiction"] == "浙江", "inserted"] == "").all()


def test_clauses_show_the_words_a_jurisdiction_left_out(digital):
    """s42: a 2023 广东 document takes the centre's （五） without 代收代办、 (of
    建立代收代办、多地联办的工作协同机制) and （十） without 分级处置、 (of 实现事件统一受理、
    分级处置、闭环管理): both clauses adopted, and each row's ``deleted`` shows the
    centre's words left out (without their 、); nothing inserted."""
    corpus, _ = digital
    docs = corpus.docs.set_index("doc_id")
    central = docs.loc["central", "text"]
    five, ten = (next(x for x in central.splitlines() if x.startswith(h))
                 for h in ("（五）", "（十）"))
    assert "代收代办、多地联办" in five and "统一受理、分级处置、闭环管理" in ten
    text = ("广东省深化数字政府建设行动方案（示例）\n" + "（一）" + five[3:].replace("代收代办、", "")
            + "\n（二）" + ten[3:].replace("分级处置、", "") + "\n")
    r, c = _with_guangdong(docs, text)
    assert _labels(c) == ["五", "十"]
    assert c["deleted"].tolist() == ["代收代办", "分级处置"]
    assert c["inserted"].tolist() == ["", ""]
    # 浙江 copies its four clauses word for word: nothing left out; its title line
    # 关于深化数字政府建设的实施意见 leaves out 提升政务服务效能的 of the centre's
    # 关于深化数字政府建设提升政务服务效能的意见 (a row of no substance)
    z = r.clauses[r.clauses["jurisdiction"] == "浙江"]
    assert (z.loc[z["substance"], "deleted"] == "").all()
    assert z.loc[z["deleted"] != "", ["clause", "substance", "deleted"]].values.tolist() == \
        [[1, False, "提升政务服务效能的"]]
    assert "关于深化数字政府建设的实施意见" in docs.loc["zhejiang", "text"]
    assert list(r.clauses.columns[-2:]) == ["inserted", "deleted"]


def test_a_work_report_with_a_year_and_no_date_is_dated_by_its_year():
    """46 of the 52 work reports have a year and no date (the text states no day): the 2019
    report, a source, was "undated", and so was every document carrying it, the reason
    blaming the carrying document: "wr2024 ... but is undated", of the report of
    2024-03-05 (audit44b). Dated by its year, 2019, the 2024 report is later: 李强's
    jurisdiction adopts it at threshold 2% (no lag: the source has no day), and the 2018
    report (李克强's, also year-only) is before it, so their shared text is the source's
    preexisting text, not its own."""
    reports = bt.load_work_reports().subset(year=[2018, 2019, 2021, 2022, 2024])
    assert reports.docs.set_index("doc_id")["date"].isna().to_dict() == {
        "wr2018": True, "wr2019": True, "wr2021": False, "wr2022": False, "wr2024": False}
    with pytest.warns(UserWarning, match=r"2 document\(s\) have no date but a year "
                                         r"\(wr2018 \(2018\), wr2019 \(2019\)\)"):
        r = bt.diffusion(reports, source=["wr2019"], by="speaker", threshold=0.02)
    row = r.adoptions.set_index("jurisdiction").loc["李强"]
    assert (row.status, row.doc_id, row.date) == ("adopted", "wr2024", "2024-03-05")
    assert pd.isna(row.lag_days)
    assert r.sources.iloc[0]["date"] == "2019"
    assert r.sources.iloc[0]["preexisting"] > 0


def test_an_undated_source_is_named_as_the_undated_one(echo_fujian):
    r = bt.diffusion(_redated(echo_fujian, bri23=None), source=["bri23"], threshold=0.02)
    assert _row(r, "福建").reason.endswith(", but the source is undated")


def test_tables_record_the_corpus_fingerprint_and_parameters(corpus, echo, gansu):
    plain = bt.diffusion(corpus, source=["bri23"], threshold=0.005)
    # the built-in corpus: its fingerprint, as a manifest records it, on every table
    for t in (plain.sources, plain.adoptions, plain.clauses, plain.durations(),
              plain.panel("year")):
        assert t.attrs["corpus_fingerprint"] == corpus.fingerprint
        assert (t.attrs["source"], t.attrs["threshold"], t.attrs["by"]) == \
            (["bri23"], 0.005, "region")
    assert corpus.fingerprint == bt.manifest(corpus)["corpus"]["fingerprint"]
    # three plans given a clause of 甘肃's: another fingerprint, and 四川 adopted it there
    assert gansu.adoptions.attrs["corpus_fingerprint"] == echo.fingerprint != corpus.fingerprint
    assert gansu.horizontal.attrs["corpus_fingerprint"] == echo.fingerprint
    assert (_row(plain, "四川").status, _row(gansu, "四川").status) == \
        ("not adopted", "adopted")
    # the dates are metadata, outside the fingerprint (documented): a redated plan keeps it
    assert _redated(corpus, bri22="2014-01-01").fingerprint == corpus.fingerprint


def _central_and_provinces():
    """The State Council's work report of 2025 (built-in wr2025, given the date it was
    delivered, 2025-03-05) and the ten provincial work reports of 2026
    (tests/data/provincial_reports_2026.csv), which take nothing from it: they open with the
    same set lines as every work report (各位代表：现在，我代表……向大会报告政府工作，请予审议，
    并请……提出意见).
    """
    central = bt.load_work_reports().docs
    central = central[central["doc_id"] == "wr2025"][["doc_id", "text"]].assign(
        date="2025-03-05", level="national", region=None)
    prov = pd.read_csv(Path(__file__).parent / "data" / "provincial_reports_2026.csv")
    prov = prov.rename(columns={"publish_date": "date"}).assign(
        level="provincial", region=prov["province"])[["doc_id", "text", "date", "level",
                                                        "region"]]
    return bt.Corpus(pd.concat([central, prov], ignore_index=True))


def test_the_opening_line_of_a_work_report_is_set_phrasing_not_a_carried_clause():
    """diff45: the lexicon's pattern for the opening line wanted a word between 我代表 and
    国务院, so the State Council's own 我代表国务院，向大会报告政府工作，请予审议 was not set
    phrasing: four provinces "carried 2 of its 273 clauses whole" (各位代表： and that line)."""
    corpus = _central_and_provinces()
    r = bt.diffusion(corpus, source={"level": "national"}, by="region")
    a = r.adoptions.set_index("jurisdiction")
    assert len(a) == 10 and set(a["status"]) == {"not adopted"}
    assert a.loc["广东省", ["share", "clauses"]].tolist() == [0.0, 0]
    assert int(a["clauses"].sum()) == 0
    opening = r.clauses[r.clauses["clause_text"].str.startswith("现在，我代表国务院")]
    assert len(opening) == 10 and (opening["share"] == 0).all()
    # pairwise, traced from the central report: the opening passage is formulaic
    t = bt.text_reuse(corpus.subset(level="provincial"), reference=bt.Corpus(
        corpus.docs[corpus.docs["doc_id"] == "wr2025"].assign(doc_id="central")))
    opening = t[t["passage_a"].str.contains("我代表国务院")]
    assert set(opening["doc_b"]) == {"gd", "zj", "sc", "gz"}
    assert set(opening["kind"]) == {"formulaic"}


def test_a_reprint_of_the_source_is_named_not_silently_counted_twice(digital):
    """diff45: the central opinion reprinted the same day (gov.cn's copy, with its own
    source line and no document number) is a second national document: traced as a source
    of its own, every adopter of the opinion counts twice. diffusion names the pair."""
    corpus, result = digital
    docs = corpus.docs
    central = docs[docs["doc_id"] == "central"].iloc[0]
    reprint = central.copy()
    reprint["doc_id"] = "central_govcn"
    reprint["text"] = "来源：中国政府网\n" + central["text"].replace("国发〔2022〕21号\n", "")
    twice = bt.Corpus(pd.concat([docs, reprint.to_frame().T], ignore_index=True))
    with pytest.warns(UserWarning, match=r"diffusion: 1 source document\(s\) repeat another "
                                         r"source \(central_govcn = central\)"):
        r = bt.diffusion(twice, source={"level": "national"})
    # what it warns about: the same four adopters under each of the two sources
    adopted = r.sources.set_index("source")["adopted"]
    assert adopted.to_dict() == {"central": 4, "central_govcn": 4}
    assert result.sources.set_index("source").loc["central", "adopted"] == 4
    # one source of each text: no warning
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bt.diffusion(corpus, source={"level": "national"})
