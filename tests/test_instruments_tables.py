"""Instrument tables on real codes: 330 paragraphs of the built-in corpus coded twice, by two
coders who did not see each other's codes (Rothwell-Zegveld subtypes,
bt.load_instrument_codes()); the agreed codes are the data. Every count is recomputed here
by hand from the codes (pandas crosstab), independently of the library."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bri_text as bt
from bri_text._clauses import _is_fragment
from bri_text.errors import MetadataError, ParameterError

TYPES = {"S": "supply", "E": "environment", "D": "demand"}


@pytest.fixture(scope="module")
def coded():
    gold = bt.load_instrument_codes().reset_index()
    agreed = gold[gold["coder_a"] == gold["coder_b"]].rename(columns={"doc_id": "unit_id"})
    units = bt.load_bri_policies().reshape("paragraph").docs.drop(columns="text")
    out = units.merge(agreed.rename(columns={"unit_id": "doc_id", "coder_a": "code"})
                      [["doc_id", "code"]], on="doc_id")
    out["type"] = out["code"].str[0].map(TYPES).fillna("none")
    return out


def test_the_gold_codes_are_two_independent_passes():
    gold = bt.load_instrument_codes()
    assert len(gold) == 330 and gold.index.is_unique
    agree = (gold["coder_a"] == gold["coder_b"]).mean()
    assert 0.8 < agree < 1.0          # they disagree on some: not one pass copied


def test_shares_by_level_match_a_hand_count(coded):
    t = bt.instrument_shares(coded, by="level", level="type")
    instr = coded[coded["code"] != "none"]
    hand = pd.crosstab(instr["level"], instr["type"])
    for row in t.itertuples():
        assert row.count == hand.loc[row.group, row.code]
        assert row.n_units == hand.loc[row.group].sum()
        assert row.share == pytest.approx(row.count / row.n_units)
    assert t.attrs["n_none"] == int((coded["code"] == "none").sum())
    # national documents (regulations, notices) are environment instruments, mostly rules;
    # provincial plans turn to supply and demand
    share = t.set_index(["group", "code"])["share"]
    assert share["national", "environment"] > 0.7 > share["provincial", "environment"]
    assert share["provincial", "demand"] > 2 * share["national", "demand"]
    sub = bt.instrument_shares(coded, by="level")
    top = sub[sub["group"] == "national"].sort_values("count").iloc[-1]
    assert top["code"] == "E_regulation"


def test_intervals_stay_in_zero_one_and_follow_the_document_rule(coded):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = bt.instrument_shares(coded, by="level", level="type", n_boot=200,
                                 random_state=0)
        again = bt.instrument_shares(coded, by="level", level="type", n_boot=200,
                                     random_state=0)
    pd.testing.assert_frame_equal(t, again)
    ok = t["ci_low"].notna()
    assert ok.all()
    assert ((t["ci_low"] >= 0) & (t["ci_high"] <= 1)).all()
    assert ((t["ci_low"] <= t["share"] + 1e-12) & (t["share"] <= t["ci_high"] + 1e-12)).all()
    municipal = t[t["group"] == "municipal"]
    assert municipal["interval"].str.contains("3 documents").all()
    # one document per province: no between-document interval, one warning says so
    with pytest.warns(UserWarning, match="single document"):
        one = bt.instrument_shares(coded[coded["region"].isin(["广西", "甘肃"])], by="region",
                                   level="type", n_boot=100, random_state=0)
    assert one["ci_low"].isna().all()


def test_matrix_and_keyness_on_instrument_profiles(coded):
    m = bt.instrument_matrix(coded, rows="type", columns="level")
    instr = coded[coded["code"] != "none"]
    assert m.loc["environment", "national"] == ((instr["type"] == "environment")
                                                & (instr["level"] == "national")).sum()
    assert m.attrs["n_left_out"] == int((coded["code"] == "none").sum())
    shares = bt.instrument_matrix(coded, rows="type", columns="level", normalize="index")
    assert np.allclose(shares.sum(axis=1), 1.0)
    multi = pd.DataFrame({"type": ["supply", "demand"], "target": ["设施联通|贸易畅通", "贸易畅通"]})
    assert bt.instrument_matrix(multi).loc["supply"].tolist() == [1, 1]
    dtm = bt.instrument_dtm(coded)
    assert dtm.counts.sum() == len(instr)
    k = bt.keyness(dtm, target={"level": "provincial"}, reference={"level": "national"},
                   measure="permutation", n_boot=999, random_state=0)
    assert k.iloc[-1]["term"] == "E_regulation"       # the national documents' instrument
    assert k.set_index("term").loc["D_overseas", "count_reference"] == 0


def test_plots_show_the_shares(coded):
    t = bt.instrument_shares(coded, by="level", level="type")
    ax = bt.plot.instrument_shares(t)
    assert np.allclose(ax.bri_data.sum(axis=1), 1.0)
    assert not bt.plot.warn_missing_glyphs(ax)
    years = bt.instrument_shares(coded, by="year", level="type")
    ax = bt.plot.instrument_shares(years, kind="lines")
    assert list(ax.bri_data.index) == list(dict.fromkeys(years["group"]))
    ax = bt.plot.instrument_matrix(bt.instrument_matrix(coded, rows="type", columns="region"))
    assert not bt.plot.warn_missing_glyphs(ax)
    import matplotlib.pyplot as plt

    plt.close("all")


def test_bad_input_is_named(coded):
    with pytest.raises(ParameterError, match="level must be"):
        bt.instrument_shares(coded, level="code")
    with pytest.raises(MetadataError, match="no clause has an instrument code"):
        bt.instrument_shares(coded.assign(code="none"))
    with pytest.raises(ParameterError, match="n_boot needs by="):
        bt.instrument_shares(coded, n_boot=10)
    with pytest.raises(MetadataError):
        bt.instrument_shares(coded, by="province")


def test_the_clause_gold_set_is_held_out_and_read_from_the_corpora():
    """The second coded set: 482 clauses, its text read from the built-in corpora by id (the
    file keeps the first characters as a check), none inside a coded paragraph."""
    gold = bt.load_instrument_codes(units="clause")
    assert len(gold) == 482 and gold.index.is_unique
    assert gold["part"].value_counts().to_dict() == {"random": 260, "rare": 222}
    assert set(gold["corpus"]) == {"bri", "reports"}
    # a clause of the Zhejiang FTZ regulation: the 53rd article, on the credit system
    row = gold.loc["bri04#c69"]
    assert row["text"].startswith("第五十三条") and "信用" in row["text"]
    assert row["coder_a"] == row["coder_b"] == "E_regulation"
    # 2022's report halves the income tax of small firms: a tax instrument to both coders
    assert "减半征收企业所得税" in gold.loc["wr2022#c60", "text"]
    assert gold.loc["wr2022#c60", ["coder_a", "coder_b"]].tolist() == ["E_tax", "E_tax"]
    paragraphs = bt.load_instrument_codes()["text"].str.strip().tolist()
    assert not any(c.strip() in p for c in gold["text"] for p in paragraphs)
    agree = (gold["coder_a"] == gold["coder_b"]).mean()
    assert 0.8 < agree < 1.0
    with pytest.raises(ParameterError, match="units"):
        bt.load_instrument_codes(units="sentence")


def test_all_coded_units_in_one_table():
    """units="all": the paragraphs, the clause set and the third to fifth clause sets,
    each unit once, with the set it belongs to; the agreed units are the classifier's
    built-in reference."""
    every = bt.load_instrument_codes(units="all")
    assert every.index.is_unique and len(every) == 1845
    assert every["set"].value_counts().to_dict() == {"clauses": 482, "third": 345,
                                                     "fourth": 344, "fifth": 344,
                                                     "paragraphs": 330}
    agreed = every[every["coder_a"] == every["coder_b"]]
    assert agreed["set"].value_counts().to_dict() == {"clauses": 426, "fifth": 314,
                                                      "third": 309, "paragraphs": 293,
                                                      "fourth": 295}
    # a third-set clause of a BRI plan: information services, to both coders
    row = every.loc["bri22#c29"]
    assert row["text"].startswith("1.完善信息服务机制")
    assert row[["set", "coder_a", "coder_b"]].tolist() == ["third", "S_information",
                                                          "S_information"]
    assert (every.loc[every["set"] == "paragraphs", "heading_path"] == "").all()
    assert every.loc[every["set"] != "paragraphs", "heading_path"].ne("").mean() > 0.9


# --------------------------------------------------------------- audit 2 (P6-P8)
@pytest.fixture(scope="module")
def dictionary_coded():
    """The built-in corpus's clauses, dictionary-coded (headings and all)."""
    return bt.code_clauses(bt.load_bri_policies().reshape("clause"))


def test_year_groups_come_in_order_in_the_table_and_the_plot(dictionary_coded):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = bt.instrument_shares(dictionary_coded, by="year", level="type", n_boot=50,
                                 random_state=0)
    years = list(dict.fromkeys(t["group"]))
    assert years == sorted(years) and years[0] == 2013 and years[-1] == 2018
    ax = bt.plot.instrument_shares(t)
    assert list(ax.bri_data.index) == years
    # regions (not ordinal) keep the corpus's order of appearance
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # national documents have no region
        r = bt.instrument_shares(dictionary_coded, by="region", level="type")
    first = dictionary_coded.dropna(subset=["region"])["region"]
    first = first[~(dictionary_coded.loc[first.index, "is_heading"])]
    assert list(dict.fromkeys(r["group"]))[:3] == list(dict.fromkeys(first))[:3]
    import matplotlib.pyplot as plt

    plt.close("all")


def test_headings_are_left_out_of_the_shares_unless_asked(dictionary_coded):
    c = dictionary_coded
    heading = c.loc["bri20#c7"]               # （二）基本原则: a title, coded by its phrases
    assert heading["is_heading"] and heading["text"].startswith("（二）基本原则")
    assert heading["code"] != "none"
    titles = ["bri02#c1", "bri06#c1", "bri18#c0"]     # the documents' title lines
    # unnumbered fragments: a table's cells, agencies, dates, cited titles
    fragments = c["clause_kind"].isin(["paragraph", "sentence"]) & c["text"].map(_is_fragment)
    assert c.loc["bri03#c13", "text"] == "财政部、税务总局、发改委、商务部"   # a table's cell
    # a list of bodies: 税务 in 税务总局 is no tax measure (coded E_tax before session 41)
    assert fragments["bri03#c13"] and c.loc["bri03#c13", "code"] == "none"
    assert c.loc["bri01#c53", "text"] == "限制外商投资产业目录" and fragments["bri01#c53"]
    provisions = c[~c["is_heading"] & (c["clause_kind"] != "contents")
                   & ~fragments].drop(index=titles)
    t = bt.instrument_shares(c, level="type")
    assert t["n_units"].iloc[0] == (provisions["code"] != "none").sum()
    assert t.attrs["n_headings"] == len(c) - len(provisions)
    both = bt.instrument_shares(c, level="type", include_headings=True)
    assert both["n_units"].iloc[0] == (c["code"] != "none").sum() > t["n_units"].iloc[0]
    # the matrix and the keyness matrix count the same provisions
    m = bt.instrument_matrix(c, rows="type", columns="target")
    with_h = bt.instrument_matrix(c, rows="type", columns="target", include_headings=True)
    assert m.to_numpy().sum() < with_h.to_numpy().sum()
    assert m.attrs["n_headings"] == t.attrs["n_headings"]
    assert bt.instrument_dtm(c).counts.sum() == t["count"].sum()


def test_plot_says_which_groups_have_no_interval(dictionary_coded):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        region = bt.instrument_shares(dictionary_coded, by="region", level="type",
                                      n_boot=50, random_state=0)
        year = bt.instrument_shares(dictionary_coded, by="year", level="type", n_boot=50,
                                    random_state=0)
    n_docs = region.groupby("group")["n_docs"].first()
    ax = bt.plot.instrument_shares(region, kind="bars")
    title = ax.get_title()
    assert "between-document" not in title    # no region has 3+ documents here
    one = title.split("no interval: ")[1]
    for g in n_docs[n_docs == 1].index:
        assert g in one.split("(two documents)")[-1]
    assert "(one document)" in one and "(two documents)" in one
    # no error bar (cap) is drawn: no group has an interval
    assert not ax.containers or all(not hasattr(c, "has_yerr") or not c.has_yerr
                                    for c in ax.containers)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert all("no interval" in x for x in labels)
    colours = {tuple(c.patches[0].get_facecolor()) for c in ax.containers}
    assert len(colours) == len(n_docs) == 12          # 12 regions, 12 colours
    assert not bt.plot.warn_missing_glyphs(ax)
    # years: 2015-2017 have intervals; 2013 and 2018 (one document each) have none
    ax = bt.plot.instrument_shares(year, kind="bars")
    title = ax.get_title()
    assert "intervals: between-document" in title and "2013, 2018 (one document)" in title
    bars = [c for c in ax.containers if getattr(c, "has_yerr", False)]
    assert len(bars) == 3                            # 2015, 2016, 2017
    stacked = bt.plot.instrument_shares(year).get_title()
    assert "not drawn" in stacked
    import matplotlib.pyplot as plt

    plt.close("all")


# ---------------------------------------------------------------------- audit s39
def _hand_codes(with_parent: bool):
    """Six documents of ten clauses, ids doc#cK; documents 0, 2, 4 code 1 clause supply,
    1, 3, 5 code 8: the share of supply is (3 + 24) / 60 = 0.45, but the documents
    disagree (0.1 against 0.8)."""
    rows = [(f"doc{d}#c{k}", f"doc{d}", "g",
             "S_talent" if k < (1 if d % 2 == 0 else 8) else "D_trade")
            for d in range(6) for k in range(10)]
    df = pd.DataFrame(rows, columns=["doc_id", "parent_id", "grp", "code"])
    return df if with_parent else df.drop(columns="parent_id")


def test_clause_ids_give_the_documents_when_parent_id_is_missing():
    """Hand codes without parent_id: the clauses' ids (doc3#c7) say their document, so
    the interval resamples the 6 documents, not 60 'documents' of one clause each (which
    gave [0.33, 0.57] labelled between-document before; now [0.08, 0.87])."""
    given = bt.instrument_shares(_hand_codes(True), by="grp", n_boot=300)
    inferred = bt.instrument_shares(_hand_codes(False), by="grp", n_boot=300)
    pd.testing.assert_frame_equal(given, inferred)
    row = inferred.set_index("code").loc["S_talent"]
    assert row["share"] == pytest.approx(0.45) and row["n_docs"] == 6
    assert row["ci_high"] - row["ci_low"] > 0.5
    assert (given.attrs["documents"], inferred.attrs["documents"]) == \
        ("parent_id", "doc_id before '#'")
    # ids without '#': every row its own document, said in a warning
    bare = _hand_codes(False).assign(doc_id=[f"u{i}" for i in range(60)])
    with pytest.warns(UserWarning, match="no parent_id"):
        rows = bt.instrument_shares(bare, by="grp", n_boot=300)
    assert rows.attrs["documents"] == "doc_id (each row its own document)"
    assert rows.set_index("code").loc["S_talent", "n_docs"] == 60
    # the clause x code matrix keeps the documents for a document-level keyness test
    m = bt.instrument_dtm(_hand_codes(False))
    assert m.docs["parent_id"].nunique() == 6


# ---------------------------------------------------------------------- audit s45
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def her_reports():
    """The ten 2026 work reports cut into clauses and pre-coded with a student's own
    codebook (tests/data/codebook_digital_chain.csv)."""
    book = bt.read_codebook(DATA / "codebook_digital_chain.csv")
    clauses = bt.read_csv(DATA / "provincial_reports_2026.csv").reshape("clause")
    return bt.code_clauses(clauses, book)


def test_a_group_without_instrument_clauses_is_named_not_dropped_silently(her_reports):
    """Henan's report (5 provisions: 粮食, 种业, 郑州, 新能源汽车, the closing call) matches
    none of the codebook's phrases, nor do those of Inner Mongolia, Guangdong and Sichuan:
    the table by province had 6 provinces of 10 and said nothing; now a warning and
    attrs name the 4 others, and the documents behind a group's n_docs."""
    with pytest.warns(UserWarning, match=r"内蒙古自治区.*广东省.*四川省.*河南省.*no shares"):
        by_province = bt.instrument_shares(her_reports, by="province")
    assert by_province["group"].nunique() == 6
    assert by_province.attrs["groups_without_instruments"] == {
        "内蒙古自治区": 7, "广东省": 6, "四川省": 6, "河南省": 5}
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # one group, not empty: no warning
        one = bt.instrument_shares(her_reports.assign(kind="report"), by="kind")
    # 10 reports, 6 with an instrument clause: n_docs counts those, attrs the others
    assert one["n_docs"].iloc[0] == 6
    assert one.attrs["docs_without_instruments"] == {"report": ["gd", "hn", "nmg", "sc"]}
    ax = bt.plot.instrument_shares(one)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["report (6 of 10 docs)"]
    import matplotlib.pyplot as plt

    plt.close("all")


def test_the_matrix_names_her_second_dimension_when_target_is_absent(her_reports):
    """instrument_matrix(coded) defaults to columns='target', the default codebook's
    second dimension; on codes of the student's codebook the error listed 24 columns.
    Now it names hers, 产业链环节, and with it the matrix counts Ningxia's 算力网络国家枢纽
    节点 (nx#c4: S_infra, SUP) among supply x support."""
    with pytest.raises(MetadataError, match=r"second dimension is in column '产业链环节': "
                                            r"instrument_matrix\(coded, columns='产业链环节'\)"):
        bt.instrument_matrix(her_reports)
    assert her_reports.loc["nx#c4", ["type", "产业链环节"]].tolist() == ["S", "SUP"]
    m = bt.instrument_matrix(her_reports, columns="产业链环节")
    both = her_reports[~her_reports["is_heading"]
                       & (her_reports["type"] == "S") & (her_reports["产业链环节"] == "SUP")]
    assert m.loc["S", "SUP"] == len(both) >= 1
