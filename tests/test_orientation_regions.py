"""An international-relations researcher's own corpus and dictionary (audit s40 compare40):
15 provincial documents on opening up (广西, 云南, 新疆, 黑龙江, 河南; 2018-2024; own
wording) in ``tests/data/orientation_regions/`` with ``metadata.csv`` (``province`` holds
full names, ``片区`` groups the provinces) and her dictionary of world regions and partners
(``regions.tsv``, term<TAB>category; ``regions.csv`` the same as a comma-separated file).

Values asserted here can be checked by reading the documents: Heilongjiang's three texts
write 对俄 15 times, 中俄 8 times and 俄罗斯 12 times (3 of them in 俄罗斯远东地区).
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bri_text as bt
from bri_text.errors import MetadataError, ParameterError
from support import regions_corpus

DATA = Path(__file__).parent / "data" / "orientation_regions"
REGIONS = DATA / "regions.tsv"


@pytest.fixture(scope="module")
def corpus():
    return regions_corpus()


@pytest.fixture(scope="module")
def tokens(corpus):
    return bt.tokenize(corpus.reshape("paragraph"))


def _dictionary() -> dict[str, str]:
    out = {}
    for line in REGIONS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("term\t"):
            term, category = line.split("\t")
            out[term] = category
    return out


def _text_counts(corpus, by="province") -> dict[tuple[str, str], int]:
    """Reference counts read off the cleaned texts: every dictionary term, longest first,
    never overlapping (中亚五国 is one mention, not 中亚 too), but for place names inside
    longer place names (印度 in 印度尼西亚, 西亚 in 马来西亚, 南亚 in 东南亚), which are none."""
    d = _dictionary()
    pattern = re.compile("|".join(map(re.escape, sorted(d, key=len, reverse=True))))
    out: dict[tuple[str, str], int] = {}
    for _, row in corpus.docs.iterrows():
        for m in pattern.finditer(row["text"]):
            key = (row[by], d[m.group()])
            out[key] = out.get(key, 0) + 1
    return out


def test_the_fixture_reads_as_written(corpus):
    assert len(corpus.docs) == 15
    assert corpus.docs["province"].value_counts().to_dict() == {
        "广西壮族自治区": 3, "云南省": 3, "新疆维吾尔自治区": 3, "黑龙江省": 3, "河南省": 3}
    assert corpus.dropped.empty
    hlj = "".join(corpus.docs.loc[corpus.docs["province"] == "黑龙江省", "text"])
    assert (hlj.count("对俄"), hlj.count("中俄"), hlj.count("俄罗斯")) == (15, 8, 12)


def test_share_intervals_stay_within_0_and_1(tokens):
    """Three documents a province: the t interval over documents was symmetric and its
    high end unbounded, so Guangxi's share of 东盟 read 0.94 (0.79-1.09) and the report's
    key finding "东南亚 89% (interval 55%–123%)"."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prof = bt.profile(tokens, dictionary=REGIONS, by="province", normalize="share",
                          n_boot=200)
        ori = bt.orientation(tokens, by="province", n_boot=200)
    for table in (prof, ori):
        assert (table["ci_high"].dropna() <= 1.0).all()
        assert (table["ci_low"].dropna() >= 0.0).all()
    gx = prof.query("group == '广西壮族自治区' and category == '东盟'").iloc[0]
    assert gx["n_docs"] == 3 and gx["share"] > 0.9
    assert gx["ci_low"] < gx["share"] < gx["ci_high"] == 1.0
    lead = ori.groupby("group").head(1).set_index("group")["world_region"].to_dict()
    assert lead["广西壮族自治区"] == "东南亚" and lead["新疆维吾尔自治区"] == "中亚"
    assert ori.query("group == '广西壮族自治区'").iloc[0]["ci_high"] == 1.0


def test_her_split_terms_are_found(tokens):
    """Terms of her dictionary the default segmenter does not keep whole still count:
    对俄 is cut to 俄 (对 dropped as a stopword), 中亚国家 and 湄公河国家 to two words."""
    tok = bt.Tokenizer()
    assert tok("扩大对俄贸易") == ["扩大", "俄", "贸易"]
    assert tok("湄公河国家") == ["湄公河", "国家"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prof = bt.profile(tokens, dictionary=REGIONS, by="province", normalize=None)
        alone = bt.profile(tokens, dictionary={"俄": ["对俄"]}, by="province", normalize=None)
    split = prof.attrs["split"]
    assert split["中亚国家"] == 4 and split["湄公河国家"] == 2
    # 对俄: 15 in Heilongjiang's texts, every one a mention, also where the character
    # before 对 was dropped too (在对俄贸易, 2022年对俄) or 中 of 中俄 opens a paragraph
    assert alone.query("group == '黑龙江省'")["count"].item() == 15
    assert split["对俄"] == 15


def test_a_dropped_stopword_before_a_split_term_is_a_boundary():
    for text, term in [("中俄铁路大桥建成", "中俄"), ("在对俄贸易中遇到问题", "对俄"),
                       ("到2022年对俄贸易额突破", "对俄")]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = bt.profile(bt.tokenize([text]), {"x": [term]}, normalize=None)
        assert got["count"].tolist() == [1], text
    # a chance string across words is still none: 美国 in 完美/国家
    got = bt.profile(bt.tokenize(["完美国家"]), {"x": ["美国"]}, normalize=None)
    assert got["count"].tolist() == [0]


def test_terms_inside_general_words_are_named_not_lost(tokens, corpus):
    """俄罗斯远东地区 is one word of the general dictionary: her 俄罗斯 and 远东 inside it are
    not counted (the rule of term_trends), and profile said nothing; now a warning names
    the word and attrs["in_words"] counts it."""
    with pytest.warns(UserWarning, match=r"俄罗斯 \(3 of 15: 俄罗斯远东地区 3\); 远东 \(3 of 3"):
        prof = bt.profile(tokens, dictionary=REGIONS, by="province", normalize=None)
    assert prof.attrs["in_words"]["远东"] == {"俄罗斯远东地区": 3}
    with pytest.warns(UserWarning, match=r"orientation: .*俄罗斯 \(3 of 15: 俄罗斯远东地区 3\)"):
        ori = bt.orientation(tokens, by="province", compounds=False)
    assert ori.attrs["in_words"]["俄罗斯"] == {"俄罗斯远东地区": 3}
    # whole tokens only (session 42): not inside the lexicon's terms either (澜湄合作)
    assert ori.attrs["in_words"]["澜湄"] == {"澜湄合作": 7}
    # the gazetteer counts an entry at either end of a word (session 40, compounds=True);
    # her dictionary still warns, and counts them when asked
    ori = _quiet(bt.orientation, tokens, by="province")
    assert ori.attrs["in_compounds"]["俄罗斯"] == {"俄罗斯远东地区": 3}
    assert "俄罗斯" not in ori.attrs["in_words"]
    ends = _quiet(bt.profile, tokens, REGIONS, by="province", normalize=None,
                  compounds="ends")
    assert ends["count"].sum() == prof["count"].sum() + 3      # 俄罗斯 x3 (远东 in the middle)
    # compounds=True is profile's rule for the built-in lists: the middle counts too (s41)
    asked = _quiet(bt.profile, tokens, REGIONS, by="province", normalize=None, compounds=True)
    assert asked["count"].sum() == prof["count"].sum() + 6     # and 远东 x3
    assert asked.attrs["mid_word"]["远东"] == {"俄罗斯远东地区": 3}
    # the rest are names the tokenizer keeps whole, cut into the places they hold and
    # counted by every rule (中国—东盟博览会; listed since session 43)
    assert all("—" in w for e, words in asked.attrs["mid_word"].items() if e != "远东"
               for w in words)
    # her dictionary against the texts: every occurrence is counted or named
    ref = _text_counts(corpus)
    got = prof.set_index(["group", "category"])["count"].to_dict()
    differ = {k: (got.get(k, 0), n) for k, n in ref.items() if got.get(k, 0) != n}
    # Heilongjiang's Russia: 俄罗斯远东地区 x3 holds 俄罗斯 and 远东 (6), and the tokenizer
    # cuts 同江中俄 as 同/江中/俄 (1)
    assert differ == {("黑龙江省", "俄罗斯"): (got[("黑龙江省", "俄罗斯")], got[("黑龙江省", "俄罗斯")] + 7)}
    lead = (prof.sort_values("count", ascending=False).groupby("group").head(1)
            .set_index("group")["category"].to_dict())
    assert lead == {"广西壮族自治区": "东盟", "云南省": "东盟", "新疆维吾尔自治区": "中亚",
                    "黑龙江省": "俄罗斯", "河南省": "欧洲"}


def test_report_without_metadata_says_how_to_name_it(tmp_path):
    """The folder holds metadata.csv, but a folder's metadata is read only when named: the
    error said "no such metadata column" and nothing about --metadata."""
    from bri_text.errors import MetadataError
    from bri_text.report import report

    with pytest.raises(MetadataError, match=r"by='province'.*--metadata FOLDER/metadata\.csv"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report(["广西", "河南"], corpus=DATA, by="province", out=tmp_path / "r",
                   n_topics=0)


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def test_orientation_by_her_own_places(tokens, corpus):
    """orientation(places=) counts her regions, not the gazetteer's: the shares are those
    of profile(normalize="share") with the same list, and Heilongjiang's leading region is
    her 俄罗斯 with every mention the texts hold but the 7 explained in
    test_terms_inside_general_words_are_named_not_lost (3 x 俄罗斯远东地区 x 2, 同江中俄)."""
    ori = _quiet(bt.orientation, tokens, by="province", places=REGIONS)
    assert "region" in ori.columns and "world_region" not in ori.columns
    assert ori.attrs["places"] == str(REGIONS) and ori.attrs["geography"] == "region"
    prof = _quiet(bt.profile, tokens, dictionary=REGIONS, by="province", normalize="share")
    merged = ori.merge(prof, left_on=["group", "region"], right_on=["group", "category"])
    assert len(merged) == 5 * 7
    assert (merged["count_x"] == merged["count_y"]).all()
    assert merged["share_x"].round(12).equals(merged["share_y"].round(12))
    ref = _text_counts(corpus)
    hlj = ori[ori["group"] == "黑龙江省"].iloc[0]
    assert hlj["region"] == "俄罗斯" and hlj["count"] == ref[("黑龙江省", "俄罗斯")] - 7
    assert hlj["n_mentions"] == sum(n for (g, _), n in ref.items() if g == "黑龙江省") - 7
    assert hlj["share"] > 0.8 and not hlj["few_mentions"]
    lead = ori.groupby("group").head(1).set_index("group")["region"].to_dict()
    assert lead == {"广西壮族自治区": "东盟", "云南省": "东盟", "新疆维吾尔自治区": "中亚",
                    "黑龙江省": "俄罗斯", "河南省": "欧洲"}
    # the same list as a .csv, a table or a dict gives the same table
    table = pd.DataFrame([(t, c) for t, c in _dictionary().items()],
                         columns=["term", "category"])
    as_dict: dict = {}
    for t, c in _dictionary().items():
        as_dict.setdefault(c, []).append(t)
    for other in (DATA / "regions.csv", table, as_dict):
        again = _quiet(bt.orientation, tokens, by="province", places=other)
        assert again[["group", "region", "count"]].equals(ori[["group", "region", "count"]])
    with pytest.raises(ParameterError, match="geography='continent'.*places="):
        bt.orientation(tokens, by="province", places=REGIONS, geography="continent")


def test_the_gazetteer_counts_abbreviations_of_russia(tokens):
    """中俄, 对俄 and 俄方 name Russia: Heilongjiang's texts write 对俄 15 times, 中俄 8 (the
    tokenizer cuts one, 同江中俄, as 同/江中/俄) and 俄方 once; the gazetteer lacked them and
    gave Heilongjiang 52% Russia where her list gives over 80%."""
    ori = _quiet(bt.orientation, tokens, by="province")
    hlj = ori[ori["group"] == "黑龙江省"].iloc[0]
    assert hlj["world_region"] == "俄罗斯及独联体"
    alone = _quiet(bt.profile, tokens, {t: [t] for t in ("对俄", "中俄", "俄方")},
                   by="province", normalize=None)
    assert alone.query("group == '黑龙江省'")["count"].tolist() == [15, 7, 1]
    assert alone.query("group != '黑龙江省'")["count"].sum() == 0
    from bri_text._lexicons import load_gazetteer

    without = _quiet(bt.orientation, tokens, by="province", compounds=True, places={
        "r": [t for t in load_gazetteer().query("world_region == '俄罗斯及独联体'")["term"]
              if t not in ("对俄", "中俄", "俄方")]})
    before = without.set_index("group").loc["黑龙江省", "count"]
    assert hlj["count"] == before + 23
    assert hlj["share"] > 0.7 > before / (hlj["n_mentions"] - 23)


def test_a_dictionary_may_be_a_csv_in_gbk_or_with_a_bom(tokens, tmp_path):
    """Her comma-separated copy was refused ("expected 2 tab-separated columns"); it is
    read by the codebooks' reader: UTF-8 with or without a BOM, or GBK as Excel saves it."""
    want = _quiet(bt.profile, tokens, dictionary=REGIONS, by="province")
    text = (DATA / "regions.csv").read_text(encoding="utf-8")
    (tmp_path / "gbk.csv").write_bytes(text.encode("gbk"))
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for path in (DATA / "regions.csv", tmp_path / "gbk.csv", tmp_path / "bom.csv"):
        got = _quiet(bt.profile, tokens, dictionary=path, by="province")
        assert got[["group", "category", "count"]].equals(want[["group", "category", "count"]])
        assert len(_load(path)) == 7
    # commas in a file not named .csv: the error says how it is read
    (tmp_path / "regions.txt").write_text(text, encoding="utf-8")
    with pytest.raises(MetadataError, match=r"regions\.txt:1: .*tab-separated.*ends in \.csv"):
        bt.profile(tokens, dictionary=tmp_path / "regions.txt")
    with pytest.raises(ParameterError, match="^dictionary must be"):
        bt.profile(tokens, dictionary="regions")



def test_her_places_file_saved_as_gbk(tokens, corpus, tmp_path):
    """places= FILE saved by Notepad on Chinese Windows (GBK) is read as her UTF-8 list
    is (UTF-8, else GBK / GB18030, not guessed: her 磨憨 in GBK is valid Big5 as well),
    and an unreadable file is named as a places file."""
    text = REGIONS.read_text(encoding="utf-8") + "磨憨\t东盟\n"
    utf8, gbk = tmp_path / "places_utf8.tsv", tmp_path / "places_gbk.tsv"
    utf8.write_text(text, encoding="utf-8")
    gbk.write_bytes(text.encode("gbk"))
    assert "磨憨".encode("gbk").decode("big5") != "磨憨"
    assert "磨憨" in _load(gbk)["东盟"]
    want = _quiet(bt.orientation, tokens, by="province", places=utf8)
    got = _quiet(bt.orientation, tokens, by="province", places=gbk)
    assert got[["group", "region", "count"]].equals(want[["group", "region", "count"]])
    assert got.attrs["places"] == str(gbk)
    hlj = got[got["group"] == "黑龙江省"].iloc[0]      # as test_orientation_by_her_own_places
    assert hlj["region"] == "俄罗斯" and hlj["count"] == _text_counts(corpus)[
        ("黑龙江省", "俄罗斯")] - 7
    gbk.write_bytes("磨憨\t".encode("gbk") + b"\x80\x80\n")
    with pytest.raises(bt.BriTextError, match=re.escape(f"{gbk}: the places file is not "
                                                        "UTF-8")):
        bt.orientation(tokens, by="province", places=gbk)


def _load(path):
    from bri_text.compare import load_dictionary

    return load_dictionary(path)


@pytest.mark.slow
def test_the_report_uses_her_places_and_leaves_out_topics_too_small(tmp_path):
    """report(places=) / --places FILE: the orientation section and its key findings use her
    list, and the page says so; the 8-topic model (43 tokens of its vocabulary for Guangxi,
    44 for Heilongjiang) is left out with the reason, as other sections are."""
    import json

    from bri_text.report import report
    from bri_text.report._rules import MIN_TOPIC_TOKENS

    r = _quiet(report, ["广西", "黑龙江"], corpus=DATA, metadata=DATA / "metadata.csv",
               by="province", places=DATA / "regions.csv", n_boot=50, out=tmp_path / "r",
               progress=False, timestamp=False)
    table = pd.read_csv(tmp_path / "r" / "tables" / "orientation.csv")
    hlj = table[table["group"] == "黑龙江省"].iloc[0]
    assert hlj["region"] == "俄罗斯" and hlj["share"] > 0.8
    line = (f"黑龙江省: 俄罗斯 {hlj['share']:.0%} (interval {hlj['ci_low']:.0%}–"
            f"{hlj['ci_high']:.0%}) of {hlj['n_mentions']} mentions of regions.csv.")
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert line in page
    # the table has the heatmap's rows: Guangxi's 0 mentions of 俄罗斯 with the bound for
    # 0 of its 3 documents, not 0-0 (s41)
    gx = table.set_index(["group", "region"]).loc[("广西壮族自治区", "俄罗斯")]
    assert (gx["count"], gx["n_docs"], gx["ci_low"]) == (0, 3, 0)
    assert gx["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 3))
    assert "a 0 has the interval [0, bound for 0 of the group&#39;s documents]" in page
    assert "your own list of places, regions.csv (80 terms in 7 regions), not the built-in" \
        in page
    man = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert man["input_files"]["places"]["path"].endswith("regions.csv")
    assert "places=" in man["command"]
    # topics: each group needs 20 tokens a topic (160 at K = 8); the page names theirs
    topics = r.sections["topics"]
    assert topics.startswith("Left out: the compared groups are too small for 8 topics")
    n = {g: int(x) for g, x in re.findall(r"(\S+) (\d+)[,.]", topics.split("they have ")[1])}
    assert set(n) == {"广西壮族自治区", "黑龙江省"} and max(n.values()) < 8 * MIN_TOPIC_TOKENS
    assert f"--topics {min(n.values()) // MIN_TOPIC_TOKENS} " in topics
    assert man["parameters"]["topic_model"] is None


def test_the_keyness_figure_names_her_groups(tokens):
    """plot.keyness said "more in target / more in reference" and "Keyness" for a table
    made with target={"片区": "西南沿边"}: the names are in the table, the figure uses them."""
    import matplotlib

    matplotlib.use("Agg")
    matrix = bt.dtm(tokens)
    k = _quiet(bt.keyness, matrix, target={"片区": "西南沿边"},
               reference={"片区": "西北东北沿边"}, measure="permutation", n_boot=500)
    ax = bt.plot.keyness(k)
    assert ax.get_title() == "Keyness: 西南沿边 vs 西北东北沿边"
    assert "> 0: more in 西南沿边; < 0: more in 西北东北沿边" in ax.get_xlabel()
    k = _quiet(bt.keyness, matrix, target={"province": ["广西壮族自治区", "云南省"]})
    ax = bt.plot.keyness(k)
    assert ax.get_title() == "Keyness: 广西壮族自治区、云南省 vs rest"
    # a mask names no group: the generic words stay
    ax = bt.plot.keyness(_quiet(bt.keyness, matrix, target=(tokens.docs["片区"] == "中部内陆")
                                .to_numpy()))
    assert ax.get_title() == "Keyness" and "more in target" in ax.get_xlabel()
    import matplotlib.pyplot as plt

    plt.close("all")


def test_a_short_gbk_word_list_is_read_as_gbk_not_guessed(tmp_path):
    """A dictionary of a few rare words saved by Notepad on Chinese Windows (GBK) is read
    as GBK: guessed, 磨憨 in GBK bytes reads as Big5 艦漫 and would count nothing."""
    assert "磨憨".encode("gbk").decode("big5") == "艦漫"
    path = tmp_path / "ports.tsv"
    path.write_bytes("磨憨\t口岸\n瑞丽\t口岸\n".encode("gbk"))
    tokens = bt.tokenize(["推进磨憨、瑞丽口岸建设，磨憨铁路口岸通关便利化。"])
    p = bt.profile(tokens, dictionary=path, normalize=None)
    assert p["category"].tolist() == ["口岸"] and p["count"].tolist() == [3]


# ------------------------------------------------------------------ zero shares (s41)
def _no_zero_rule(monkeypatch):
    """The intervals as they were before the zero rule: the bootstrap's own."""
    from bri_text import _stats

    monkeypatch.setattr(_stats.Intervals, "zero_counts",
                        lambda self, count, low, high, *a, **k: (low, high))


def _docs_with_mentions(tokens, by) -> dict:
    """Per group: its documents with at least one counted place mention, read off the
    per-paragraph table (by=None)."""
    units = _quiet(bt.orientation, tokens).groupby("group")["count"].sum()
    meta = tokens.docs.set_index("doc_id").loc[units[units > 0].index]
    return meta.groupby(by)["parent_id"].nunique().to_dict()


def test_a_region_a_group_never_names_gets_a_bound_over_its_documents(tokens, monkeypatch):
    """By 片区 (6, 6 and 3 documents, every one naming some place): 西南沿边 (Guangxi and
    Yunnan) never names 俄罗斯及独联体 in 114 place mentions. Its interval was 0.00-0.00;
    now [0, 1 - 0.025 ** (1/6)] = [0, 0.46], the Clopper-Pearson bound for 0 of its 6
    documents (中部内陆, 3 documents: 0.71). Non-zero shares keep their intervals."""
    from bri_text._stats import zero_upper

    ori = _quiet(bt.orientation, tokens, by="片区", n_boot=200)
    n = _docs_with_mentions(tokens, "片区")
    assert n == {"西南沿边": 6, "西北东北沿边": 6, "中部内陆": 3}
    row = ori.query("group == '西南沿边' and world_region == '俄罗斯及独联体'").iloc[0]
    assert (row["count"], row["n_mentions"], row["n_docs"]) == (0, 114, 6)
    assert row["ci_low"] == 0 and row["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 6))
    assert round(row["ci_high"], 2) == 0.46
    zero = ori[ori["count"] == 0]
    assert len(zero) == 17 and (zero["ci_low"] == 0).all()
    expected = zero["group"].map(lambda g: float(zero_upper(n[g])))
    assert zero["ci_high"].to_numpy() == pytest.approx(expected.to_numpy())
    assert round(zero.loc[zero["group"] == "中部内陆", "ci_high"].iloc[0], 2) == 0.71
    assert ori.attrs["n_zero_intervals"] == 17
    assert "documents" in ori.attrs["zero_interval"]
    # before: [0, 0] for every zero; every other row is what it was
    _no_zero_rule(monkeypatch)
    before = _quiet(bt.orientation, tokens, by="片区", n_boot=200)
    was = before[before["count"] == 0]
    assert (was["ci_low"] == 0).all() and (was["ci_high"] == 0).all()
    used = ori["count"] > 0
    pd.testing.assert_frame_equal(ori[used], before[used])


def test_zero_shares_within_documents_and_rates_take_their_own_n(tokens):
    """resample="unit" (paragraphs as if independent): the bound is over the group's
    paragraphs with a mention of her regions (Guangxi: 23, [0, 0.148]); a rate (per 10k)
    over the group's tokens, the rule of term_trends (about 3.7 mentions)."""
    from bri_text._stats import zero_upper

    unit = _quiet(bt.profile, tokens, dictionary=REGIONS, by="province", normalize="share",
                  n_boot=200, resample="unit")
    per = _quiet(bt.profile, tokens, dictionary=REGIONS, normalize=None)
    hit = per.groupby("doc_id")["count"].sum() > 0
    province = tokens.docs.set_index("doc_id")["province"]
    n_units = province[hit[hit].index].value_counts().to_dict()
    assert n_units["广西壮族自治区"] == 23
    row = unit.query("group == '广西壮族自治区' and category == '俄罗斯'").iloc[0]
    assert row["count"] == 0 and row["ci_low"] == 0
    assert row["ci_high"] == pytest.approx(float(zero_upper(23)))
    assert "units" in unit.attrs["zero_interval"]
    rate = _quiet(bt.profile, tokens, dictionary=REGIONS, by="province", n_boot=200)
    row = rate.query("group == '广西壮族自治区' and category == '俄罗斯'").iloc[0]
    assert row["count"] == 0 and row["ci_low"] == 0
    assert row["ci_high"] == pytest.approx(float(zero_upper(row["n_tokens"])) * 1e4)
    assert round(row["ci_high"] * row["n_tokens"] / 1e4, 1) == 3.7      # mentions
    assert "tokens" in rate.attrs["zero_interval"]


def test_the_heatmap_says_what_a_zero_interval_is(tokens):
    import matplotlib

    matplotlib.use("Agg")
    ori = _quiet(bt.orientation, tokens, by="片区", n_boot=50)
    ax = bt.plot.orientation(ori)
    assert "a 0: [0, bound for 0 in the group's documents]" in ax.get_xlabel()
    texts = [t.get_text() for t in ax.texts]
    assert "0.00–0.46" in texts and "0.00–0.00" not in texts


def test_a_region_named_once_or_twice_is_no_narrower_than_its_effective_sample(tokens):
    """By 片区: 西北东北沿边 (6 documents, 95 place mentions) names 西欧 once, 东南亚 once;
    西南沿边 (114) names 东北亚 twice. The bootstrap over documents can vary no more than
    the one or two documents holding them; the floor is Clopper-Pearson on the effective
    sample (Korn-Graubard): c / deff of N / deff, deff = max(1, the group's, the region's
    over the table). 西欧's mentions are spread evenly (deff 1 over the table: 21 of 47 in
    中部内陆's three texts, about a third in each), so 1 of 95 gets the exact binomial
    upper bound, the 97.5% quantile of beta(2, 94) = 0.0573 (it was 0.045). Shares seen
    over 20 times (西南沿边's 东南亚, 90 of 114) keep the bootstrap's interval."""
    from scipy import stats as st

    from bri_text import _stats

    ori = _quiet(bt.orientation, tokens, by="片区", n_boot=200, random_state=1)
    assert ori.attrs["small_counts"] == _stats.SMALL_SHARE_RULE
    assert ori.attrs["n_small_intervals"] >= 1
    row = ori.query("group == '西北东北沿边' and world_region == '西欧'").iloc[0]
    assert (row["count"], row["n_mentions"], row["n_docs"]) == (1, 95, 6)
    floor = st.beta.ppf(0.975, 2, 94)                   # deff 1: exact 1 of 95
    assert round(floor, 4) == 0.0573
    assert row["ci_low"] == 0 and row["ci_high"] >= floor - 1e-12
    # every row seen 1-2 times: no narrower than its floor with deff >= 1 (the narrowest)
    few = ori[ori["count"].between(1, 2)]
    assert len(few) >= 5
    plain = st.beta.ppf(0.975, few["count"] + 1, few["n_mentions"] - few["count"])
    assert (few["ci_high"].to_numpy() >= np.asarray(plain) - 1e-12).all()
    # a large count: the same interval as without the floor
    big = ori.query("group == '西南沿边' and world_region == '东南亚'").iloc[0]
    assert (big["count"], big["n_mentions"]) == (90, 114)
    saved = _stats.SMALL_SHARE_MAX
    try:
        _stats.SMALL_SHARE_MAX = 0                     # no floor anywhere
        before = _quiet(bt.orientation, tokens, by="片区", n_boot=200, random_state=1)
    finally:
        _stats.SMALL_SHARE_MAX = saved
    old = before.query("group == '西南沿边' and world_region == '东南亚'").iloc[0]
    assert (big["ci_low"], big["ci_high"]) == (old["ci_low"], old["ci_high"])
    many = ori["count"] > _stats.SMALL_SHARE_MAX
    pd.testing.assert_frame_equal(ori[many], before[many])
    # the floor never narrows: every row at least as wide as before
    assert ((ori["ci_high"] - ori["ci_low"])
            >= (before["ci_high"] - before["ci_low"]) - 1e-12).all()
    wider = (ori["ci_high"] - ori["ci_low"]) > (before["ci_high"] - before["ci_low"]) + 1e-9
    assert wider.sum() == ori.attrs["n_small_intervals"]


def test_a_region_named_once_is_no_better_known_than_one_never_named(tokens):
    """Session 42: 西北东北沿边's six documents (95 place mentions) never name 北美 and name
    西欧 once. The 0 gets [0, 1 - 0.025^(1/6)] = [0, 0.459] (0 of the 6 documents with a
    mention); session 41's floor gave the 1 the Clopper-Pearson bound of 1 of 95, 0.057: a
    region seen once looked better known than one never seen. Seeing it once is no stronger
    evidence of a small share than never seeing it, so its upper end is now the group's
    zero bound too. In every group every share seen 1-20 times reaches at least that
    group's zero bound (中部内陆, three documents: 1 - 0.025^(1/3) = 0.708); 西南沿边's
    东南亚 (90 of 114) keeps its bootstrap interval, above it."""
    from bri_text import _stats

    ori = _quiet(bt.orientation, tokens, by="片区", n_boot=200, random_state=1)
    g = ori[ori["group"] == "西北东北沿边"].set_index("world_region")
    assert (g.loc["北美", "count"], g.loc["西欧", "count"], g.loc["西欧", "n_docs"]) == (0, 1, 6)
    bound = 1 - 0.025 ** (1 / 6)
    assert round(bound, 3) == 0.459
    assert g.loc["北美", "ci_high"] == pytest.approx(bound)
    assert g.loc["西欧", "ci_high"] == pytest.approx(bound)
    for group, rows in ori.groupby("group"):
        zero = rows.loc[rows["count"] == 0, "ci_high"]
        few = rows.loc[rows["count"].between(1, _stats.SMALL_SHARE_MAX), "ci_high"]
        assert len(zero) and len(few)
        assert (few >= zero.max() - 1e-12).all(), group
    assert round(float(ori.query("group == '中部内陆' and count == 0")["ci_high"].iloc[0]),
                 3) == round(1 - 0.025 ** (1 / 3), 3) == 0.708
    big = ori.query("group == '西南沿边' and world_region == '东南亚'").iloc[0]
    assert big["count"] == 90 and big["ci_high"] > bound


def test_the_heatmap_footnote_names_the_few_count_floor(tokens):
    import matplotlib

    matplotlib.use("Agg")
    ori = _quiet(bt.orientation, tokens, by="片区", n_boot=50)
    assert ori.attrs["n_small_intervals"] > 0
    label = bt.plot.orientation(ori).get_xlabel()
    assert label.splitlines()[1] == ("seen 1–20 times: widened, as so few cannot show their "
                                     "spread; upper end at least a 0's")
