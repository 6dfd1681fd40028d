"""One place written two ways in a grouping column (浙江 and 浙江省, 深圳 and 深圳市): every
comparison by that column warns, naming the labels and the line that gives them one label;
nothing is merged (audit s45: a researcher's table mixed 浙江 and 浙江省). A province and a
city of the same name (吉林省, 吉林市) are two places and are not named."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt
from bri_text._grouping import _same_places
from bri_text._lexicons import load_provinces, place_unit

DATA = Path(__file__).parent / "data"
SAME = "name the same place"


def _said(record) -> list[str]:
    return [str(w.message) for w in record if SAME in str(w.message)]


def _replacement(message: str) -> dict:
    """The mapping the warning's line passes to .replace(...)."""
    return eval(re.search(r"\.replace\((\{.*?\})\)", message).group(1))  # noqa: S307


def test_gazetteer_forms_of_one_place():
    assert place_unit("浙江") == place_unit("浙江省") == place_unit("浙")
    assert place_unit("广西") == place_unit("广西壮族自治区") == place_unit("广西自治区")
    assert place_unit("内蒙古") == place_unit("内蒙古自治区")
    assert place_unit("北京") == place_unit("北京市")
    assert place_unit("深圳") == place_unit("深圳市")
    assert place_unit("延边") == place_unit("延边朝鲜族自治州")
    assert place_unit("博州") == place_unit("博尔塔拉蒙古自治州")
    # a province and a city (or prefecture) of the same name are two places
    assert place_unit("吉林") == place_unit("吉林省") != place_unit("吉林市")
    assert place_unit("海南") != place_unit("海南州")          # 青海's 海南藏族自治州
    assert place_unit("广东") != place_unit("深圳")              # a province and its city
    assert place_unit("全国") is None and place_unit(2017) is None


def test_every_short_prefecture_name_finds_its_full_name():
    """provinces.tsv lists 延边 after 延边朝鲜族自治州, 湘西州 after 湘西土家族苗族自治州 …:
    each short form is the same place as one full name of its province."""
    p = load_provinces()
    pref = p[p["kind"] == "prefecture"]
    full = pref[pref["name"].str.endswith(("自治州", "盟", "地区"))]
    short = pref[~pref["name"].isin(full["name"])]
    assert len(short) == 37
    for name, province in zip(short["name"], short["province"]):
        same = [f for f in full.loc[full["province"] == province, "name"]
                if place_unit(f) == place_unit(name)]
        assert len(same) == 1, name


def test_same_places_sets():
    labels = ["浙江", "广东", "浙江省", "吉林省", "吉林市", "深圳市", "深圳", "全国"]
    assert [[labels[i] for i in s] for s in _same_places(labels)] == [
        ["浙江", "浙江省"], ["深圳市", "深圳"]]


@pytest.fixture(scope="module")
def digital_tokens():
    """tests/data/digital_economy_policies.csv (4 national, 2 浙江, 1 广东, 1 贵州 plans)
    with de03's 浙江 rewritten to 浙江省, as a researcher's table may write it."""
    d = pd.read_csv(DATA / "digital_economy_policies.csv")
    assert d["region"].value_counts().to_dict() == {"浙江": 2, "广东": 1, "贵州": 1}
    d.loc[d["doc_id"] == "de03", "region"] = "浙江省"
    corpus = bt.Corpus.from_dataframe(d, doc_id="doc_id")
    return corpus, bt.tokenize(corpus)


def test_keyness_and_profile_name_the_pair_and_harmonising_adds_up(digital_tokens):
    corpus, tokens = digital_tokens
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        bt.keyness(tokens, by="region")
        before = bt.profile(tokens, by="region")
    said = _said(rec)
    assert len(said) == 2                                   # keyness, profile
    assert said[0].startswith("keyness: labels of 'region'")
    assert said[1].startswith("profile: labels of 'region'")
    assert "浙江省 (1 document) and 浙江 (1 document)" in said[0]
    assert "吉林" in said[0]              # says which names are not one place
    # nothing merged: the two labels are two groups of one document each
    n_docs = before.drop_duplicates("group").set_index("group")["n_docs"]
    assert n_docs.to_dict() == {"浙江省": 1, "广东": 1, "贵州": 1, "浙江": 1}

    mapping = _replacement(said[0])
    assert mapping == {"浙江省": "浙江"}            # a tie: the shorter label
    corpus.docs["region"] = corpus.docs["region"].replace(mapping)   # the warning's line
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        after = bt.profile(bt.tokenize(corpus), by="region")
    assert _said(rec) == []
    n_after = after.drop_duplicates("group").set_index("group")["n_docs"]
    assert n_after.to_dict() == {"浙江": 2, "广东": 1, "贵州": 1}
    assert n_after.sum() == n_docs.sum() == 4             # the local plans, none lost
    tokens_zj = after.loc[after["group"] == "浙江", "n_tokens"].iloc[0]
    assert tokens_zj == before.loc[before["group"].isin(["浙江", "浙江省"])].drop_duplicates(
        "group")["n_tokens"].sum()


def test_province_and_city_of_one_name_are_not_warned():
    """provincial_reports_2026.csv: 10 regional work reports, each province once; two of
    them relabelled 吉林省 and 吉林市 (a province and its city), and a third 广西 (the short
    form of gx's 广西壮族自治区)."""
    d = pd.read_csv(DATA / "provincial_reports_2026.csv")
    assert d["province"].is_unique
    d.loc[d["doc_id"] == "gd", "province"] = "吉林省"
    d.loc[d["doc_id"] == "zj", "province"] = "吉林市"
    corpus = bt.Corpus.from_dataframe(d, doc_id="doc_id")
    tokens = bt.tokenize(corpus)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        bt.profile(tokens, by="province", dictionary="sectors")
    assert _said(rec) == []
    tokens.docs.loc[tokens.docs["doc_id"] == "xj", "province"] = "广西"
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        t = bt.profile(tokens, by="province", dictionary="sectors")
    said = _said(rec)
    assert len(said) == 1 and "广西壮族自治区 (1 document) and 广西 (1 document)" in said[0]
    assert "吉林" not in said[0].split("(bri_text")[0]        # only the 广西 pair is named
    assert _replacement(said[0]) == {"广西壮族自治区": "广西"}
    assert t["group"].nunique() == 10                      # still ten groups: not merged


def test_instrument_shares_by_region_names_the_pair():
    """The built-in coded clauses (load_instrument_codes: 浙江's bri04, 15 clauses, and
    bri15, 1) with bri04's clauses relabelled 浙江省."""
    coded = bt.load_instrument_codes().rename(columns={"coder_a": "code"})
    assert coded.loc[coded["region"] == "浙江", "parent_id"].value_counts().to_dict() == {
        "bri04": 15, "bri15": 1}
    coded.loc[coded["parent_id"] == "bri04", "region"] = "浙江省"
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        t = bt.instrument_shares(coded, by="region")
    said = _said(rec)
    assert len(said) == 1 and said[0].startswith("instrument_shares: labels of 'region'")
    n = t.drop_duplicates("group").set_index("group")["n_units"]    # coded clauses
    assert f"浙江省 ({n['浙江省']} units) and 浙江 ({n['浙江']} unit)" in said[0]
    assert _replacement(said[0]) == {"浙江": "浙江省"}       # the label of most clauses


def test_diffusion_names_the_jurisdictions():
    """tests/data/diffusion_digital_gov with anhui's region written 浙江省 (zhejiang's is
    浙江; anhui.txt is read first): two jurisdictions, and the warning says so."""
    folder = DATA / "diffusion_digital_gov"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = bt.read_folder(folder, pattern="*.txt", metadata=folder / "metadata.csv")
    corpus.docs.loc[corpus.docs["region"] == "安徽", "region"] = "浙江省"
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        r = bt.diffusion(corpus, source=["central"])
    said = _said(rec)
    assert len(said) == 1 and said[0].startswith("diffusion: labels of 'region'")
    assert "浙江省 (1 document) and 浙江 (1 document)" in said[0]
    assert {"浙江", "浙江省"} <= set(r.adoptions["jurisdiction"])      # not merged


def test_report_compare_notes_a_value_outside_the_group():
    from bri_text.report._inputs import _resolve_groups

    d = pd.DataFrame({"province": ["浙江", "浙江省", "浙江", "广东省"]})
    with pytest.warns(UserWarning, match="浙江省.*same place"):
        groups, notes = _resolve_groups(d, "province", ["浙江", "广东"])
    assert groups == ["浙江", "广东省"]
    assert "the documents of 浙江省 are not in the compared group" in notes[-1]
    assert "replace({'浙江省': '浙江'})" in notes[-1]       # 浙江: 2 documents


def test_builtin_corpora_do_not_warn():
    corpus = bt.load_bri_policies()
    tokens = bt.tokenize(corpus)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=f".*{SAME}")
        warnings.filterwarnings("ignore", message="(?!.*name the same place)")
        bt.keyness(tokens, by="region")
        bt.profile(tokens, by="region")
        bt.profile(tokens, by="city")
        bt.instrument_shares(bt.load_instrument_codes().rename(columns={"coder_a": "code"}),
                             by="region")
    assert corpus.docs["region"].nunique() == 12


def test_topic_prevalence_and_difference_name_the_pair():
    """tests/data/digital_economy_topics/policies.xlsx (6 provinces x 5 documents), one of
    浙江's documents relabelled 浙江省: prevalence has 7 groups, and both say why."""
    corpus = bt.read_excel(DATA / "digital_economy_topics" / "policies.xlsx", text="正文")
    assert corpus.docs.groupby("province").size().to_dict()["浙江"] == 5
    first = corpus.docs.index[corpus.docs["province"] == "浙江"][0]
    corpus.docs.loc[first, "province"] = "浙江省"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = bt.TopicModel(2, random_state=1, iterations=30).fit(bt.tokenize(corpus))
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        p = model.prevalence(by="province", n_boot=0)
        model.difference(by="province", a="浙江", b="广东", n_boot=0)
    said = _said(rec)
    assert [s.split(":")[0] for s in said] == ["prevalence", "difference"]
    assert "浙江 (" in said[0] and "浙江省 (" in said[0]
    assert _replacement(said[0]) == {"浙江省": "浙江"}        # 4 documents to 1
    assert p["group"].nunique() == 7                           # not merged
