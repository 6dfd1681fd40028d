"""Entries of the built-in dictionaries at either end of a longer word (audit s40 compare40,
finding 9; benchmarks/DICTIONARY_WORDS.md): 国际贸易 is a mention of trade, 保险业 of
insurance, for the five connectivities, the sectors and the gazetteer; a user's own
dictionary counts whole words unless asked (compounds=True)."""
import warnings

import pytest

import bri_text as bt
from bri_text._lexicons import load_compound_exceptions, load_dictionary


def _one(corpus, doc_id):
    plans = corpus.subset(doc_id=[doc_id])
    return bt.tokenize(plans.reshape("paragraph"))


def _text(corpus, doc_id):
    return corpus.texts[list(corpus.docs["doc_id"]).index(doc_id)]


@pytest.fixture(scope="module")
def henan(bri_corpus):
    return _one(bri_corpus, "bri13")


def test_international_trade_counts_for_trade(bri_corpus, henan):
    """Henan's air silk road plan (bri13) writes 国际贸易 three times: 国际贸易“单一窗口”
    and 拓展国际贸易 are the token 国际贸易, now one mention of unimpeded_trade (贸易) each;
    提高国际贸易便利化 was already counted, as 国际 / 贸易便利化 (an entry)."""
    text = _text(bri_corpus, "bri13")
    assert text.count("国际贸易") == 3 and text.count("国际贸易便利化") == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        new = bt.profile(henan, normalize=None)
        # the rule before session 40: whole tokens and entries inside lexicon terms (the
        # default for a dictionary of one's own; compounds=False leaves out both kinds)
        old = bt.profile(henan, load_dictionary("five_connectivities"), normalize=None)
    assert new.attrs["compounds"] and not old.attrs["compounds"]
    assert new.attrs["in_compounds"]["贸易"]["国际贸易"] == 2
    assert "国际贸易" in old.attrs["in_words"]["贸易"]
    assert "国际贸易" not in new.attrs["in_words"].get("贸易", {})
    trade = load_dictionary("five_connectivities")["unimpeded_trade"]
    # the words the old rule left out (its in_words) are what the new one adds; in_compounds
    # also lists the lexicon terms cut into entries, counted by both (session 43):
    # 亚洲基础设施投资银行 (Henan writes it once) for 投资
    assert new.attrs["in_compounds"]["投资"]["亚洲基础设施投资银行"] == 1
    assert "亚洲基础设施投资银行" not in old.attrs["in_words"].get("投资", {})
    added = sum(n for e in trade for w, n in new.attrs["in_compounds"].get(e, {}).items()
                if w in old.attrs["in_words"].get(e, {}))
    gain = (new.groupby("category")["count"].sum() - old.groupby("category")["count"].sum())
    assert gain["unimpeded_trade"] == added >= 2
    assert (gain >= 0).all()


def test_insurance_circular_counts_its_insurance_industry(bri_corpus):
    """The insurance regulator's circular (bri09) writes 保险业 27 times (2 of them in
    保险业务) and 保险机构 19: its financial_integration count goes from 72 to 139."""
    text = _text(bri_corpus, "bri09")
    assert (text.count("保险业"), text.count("保险业务"), text.count("保险机构")) == (27, 2, 19)
    tokens = _one(bri_corpus, "bri09")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        new = bt.profile(tokens, normalize=None).groupby("category")["count"].sum()
        old = bt.profile(tokens, load_dictionary("five_connectivities"),
                         normalize=None).groupby("category")["count"].sum()
        whole = bt.profile(tokens, normalize=None, compounds=False)
    assert (old["financial_integration"], new["financial_integration"]) == (72, 139)
    # whole tokens only: not the 银行 of the lexicon term 亚洲基础设施投资银行 either
    assert whole.groupby("category")["count"].sum()["financial_integration"] == 71
    assert whole.attrs["in_words"]["银行"]["亚洲基础设施投资银行"] == 1


def test_exceptions_are_not_counted():
    """养老保险 is social insurance (no mention of 保险 in financial_integration); 内蒙古 is
    no mention of 蒙古; a negation joined to an entry (非金融) is none either."""
    assert {("养老保险", "保险"), ("内蒙古", "蒙古")} <= load_compound_exceptions()
    toks = [["养老保险", "保险业", "非金融", "金融市场", "国际贸易"]]
    p = bt.profile(toks, normalize=None).set_index("category")["count"]
    assert p["financial_integration"] == 2 and p["unimpeded_trade"] == 1  # 保险业, 金融市场
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        o = bt.orientation([["内蒙古", "美国政府", "印度洋"]])
    assert o["count"].sum() == 1 and o.attrs["in_compounds"] == {"美国": {"美国政府": 1}}


def test_no_warning_for_words_judged_no_mention(tmp_path):
    """Audit41: Inner Mongolia's work report (tests/data/provincial_reports_2026.csv) writes
    内蒙古 twice and 内蒙古自治区 once (before 人民政府, a token of its own since session 42:
    the tokenizer no longer glues a province's name to the organ after it). The exception
    list says 内蒙古 is no mention of
    蒙古 (Mongolia); orientation warned about these three "occurrences inside longer words"
    all the same, on every provincial corpus with Inner Mongolia. They stay listed in
    attrs["in_words"]; only a word the list does not judge is warned about."""
    from pathlib import Path

    corpus = bt.read_csv(Path(__file__).parent / "data" / "provincial_reports_2026.csv")
    tokens = bt.tokenize(corpus.subset(doc_id="nmg"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        o = bt.orientation(tokens, by="doc_id")
    said = [str(w.message) for w in caught]
    assert said == ["orientation: no place names found for group(s) ['nmg']; their shares "
                    "are NaN"]
    assert o["n_mentions"].max() == 0
    assert o.attrs["in_words"]["蒙古"] == {"内蒙古": 2, "内蒙古自治区": 1}
    # a word not on the list is still named
    with pytest.warns(UserWarning, match=r"蒙古 \(1 of 1: 全蒙古人 1\)"):
        bt.orientation([["全蒙古人"]])


def test_own_dictionary_counts_whole_words_unless_asked():
    """A user's dictionary keeps its rule (whole words, split mentions, the in_words
    warning); compounds=True applies the built-in rule (with the exception list)."""
    toks = [["国际贸易", "贸易", "养老保险"]]
    own = {"trade": ["贸易"], "insurance": ["保险"]}
    with pytest.warns(UserWarning, match="国际贸易"):
        plain = bt.profile(toks, own, normalize=None)
    assert plain["count"].tolist() == [1, 0]
    asked = bt.profile(toks, own, normalize=None, compounds=True)
    assert asked["count"].tolist() == [2, 0]
    with pytest.raises(bt.errors.ParameterError, match="compounds"):
        bt.profile(toks, own, compounds="yes")


def test_free_trade_zone_counts_for_trade_mid_word(bri_corpus):
    """Zhejiang's free-trade-zone regulation (bri04) names 中国（浙江）自由贸易试验区 five
    times, one token each: 贸易 sits in its middle, so session 40's rule (the ends only,
    compounds="ends") did not count it; the default for the built-in dictionaries now does
    (compounds="inside"), and attrs["mid_word"] says where."""
    text = _text(bri_corpus, "bri04")
    assert text.count("中国（浙江）自由贸易试验区") == 5
    tokens = _one(bri_corpus, "bri04")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        new = bt.profile(tokens, normalize=None)
        ends = bt.profile(tokens, normalize=None, compounds="ends")
    assert (new.attrs["compounds"], ends.attrs["compounds"]) == ("inside", "ends")
    # 自由贸易港 (once) is a lexicon term cut into 自由/贸易/港, counted by both rules
    assert text.count("自由贸易港") == 1
    assert new.attrs["mid_word"] == {"贸易": {"中国（浙江）自由贸易试验区": 5, "自由贸易港": 1}}
    assert ends.attrs["mid_word"] == {"贸易": {"自由贸易港": 1}}
    assert "中国（浙江）自由贸易试验区" in ends.attrs["in_words"]["贸易"]
    gain = (new.groupby("category")["count"].sum()
            - ends.groupby("category")["count"].sum())
    assert gain["unimpeded_trade"] == 5 and gain.drop("unimpeded_trade").eq(0).all()


@pytest.fixture(scope="module")
def report_1954():
    reports = bt.load_work_reports()
    return reports, bt.tokenize(reports.subset(doc_id=["wr1954"]).reshape("paragraph"))


def test_mid_word_exceptions_in_a_work_report(report_1954):
    """The 1954 work report writes 交通运输业 six times (运输 in the middle: a second
    facilities mention, as 交通运输 counts both) and 中国人民政治协商会议 once: 协商 in its
    middle is the CPPCC, a domestic body (the exception 政治协商), no policy coordination."""
    reports, tokens = report_1954
    text = reports.texts[list(reports.docs["doc_id"]).index("wr1954")]
    assert (text.count("交通运输业"), text.count("中国人民政治协商会议")) == (6, 1)
    assert ("政治协商", "协商") in load_compound_exceptions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        new = bt.profile(tokens, normalize=None)
        ends = bt.profile(tokens, normalize=None, compounds="ends")
    # and 爱国卫生运动 (once), a lexicon term cut into 爱国/卫生/运动, counted by both rules
    assert text.count("爱国卫生运动") == 1
    assert new.attrs["mid_word"] == {"运输": {"交通运输业": 6}, "卫生": {"爱国卫生运动": 1}}
    assert ends.attrs["mid_word"] == {"卫生": {"爱国卫生运动": 1}}
    assert new.attrs["in_words"]["协商"] == {"中国人民政治协商会议": 1}
    gain = (new.groupby("category")["count"].sum()
            - ends.groupby("category")["count"].sum())
    assert gain.to_dict() == {"facilities_connectivity": 6, "financial_integration": 0,
                              "people_to_people": 0, "policy_coordination": 0,
                              "unimpeded_trade": 0}


def test_exceptions_hold_inside_longer_words():
    """An exception word inside a longer token still rules the entry out (养老保险 in
    养老保险金: neither 养老 nor 保险), at the ends too (基本养老保险, a lexicon term the
    matcher cut into 养老 and 保险 before; 失业保险, an exception of its own); a token that begins with a joined negation of
    two characters (没有市场) counts nothing."""
    toks = [["养老保险金", "基本养老保险", "失业保险", "没有市场", "三峡水利枢纽工程", "保险业"]]
    p = bt.profile(toks, "sectors", normalize=None)
    assert p.attrs["in_compounds"] == {"保险": {"保险业": 1}}
    assert p["count"].sum() == 1


def test_orientation_keeps_the_ends_rule():
    """Place names in the middle of a word were never mentions in the judged reports
    (内蒙古自治区, 西南非洲): orientation's default stays "ends"; "inside" can be asked."""
    toks = [["内蒙古自治区", "美国政府", "捷克斯洛伐克共和国"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        o = bt.orientation(toks)
        inside = bt.orientation(toks, compounds="inside")
    assert o.attrs["compounds"] == "ends" and inside.attrs["compounds"] == "inside"
    assert o.attrs["mid_word"] == {}
    assert inside.attrs["mid_word"] == {"斯洛伐克": {"捷克斯洛伐克共和国": 1}}
    assert inside["count"].sum() == o["count"].sum() + 1


def test_compounds_false_counts_whole_tokens_only(bri_corpus):
    """Guangxi's plan names 东盟 126 times, 14 of them inside names the tokenizer keeps whole
    (中国—东盟博览会 7, 东盟信息港 3, …). Her own dictionary counts them by default (inside a
    lexicon term); compounds=False, whole words only, no longer does (session 42: they were
    counted although she asked for whole words) and names the words instead; the dash of
    郑州—卢森堡 still separates two words."""
    gx = bri_corpus.subset(region=["广西"])
    text = "".join(gx.texts)
    assert text.count("东盟") == 126 and text.count("东盟信息港") == 3
    tokens = bt.tokenize(gx.reshape("paragraph"))
    d = {"asean": ["东盟", "东盟国家"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        default = bt.profile(tokens, d, normalize=None)
        with pytest.warns(UserWarning, match=r"东盟 \(14 of 109: 东盟博览会 7"):
            whole = bt.profile(tokens, d, normalize=None, compounds=False)
    # 109 in the warning: 95 whole tokens 东盟 and these 14 (东盟国家 is an entry of its own)
    assert default["count"].sum() == 126 and whole["count"].sum() == 112
    assert whole.attrs["in_words"]["东盟"] == {"东盟博览会": 7, "东盟信息港": 3,
                                             "东盟自贸区升级版": 2, "东盟商务与投资峰会": 1,
                                             "东盟自贸区": 1}
    assert default.attrs["compounds"] is False and whole.attrs["compounds"] is False
    henan = bt.tokenize(bri_corpus.subset(doc_id=["bri13"]).reshape("paragraph"))
    assert "郑州—卢森堡" in henan.tokens[0] or any("郑州—卢森堡" in t for t in henan.tokens)
    lux = bt.profile(henan, {"europe": ["卢森堡"]}, normalize=None, compounds=False)
    assert lux["count"].sum() == _text(bri_corpus, "bri13").count("卢森堡")


def test_entries_cut_out_of_lexicon_terms_are_listed_in_compounds(bri_corpus, henan):
    """The tokenizer keeps 郑州—卢森堡 (Henan, bri13: 26 times) and 中国—东盟博览会 (Guangxi,
    bri18: 6 times so and once as 中国－东盟博览会) whole; the entries inside them (卢森堡,
    东盟) were counted but not listed in attrs["in_compounds"] (session 43); now they are,
    and 中国—东盟博览会, with 东盟 in its middle, in attrs["mid_word"] as well."""
    assert _text(bri_corpus, "bri13").count("郑州—卢森堡") == 26
    gx = _text(bri_corpus, "bri18")
    assert (gx.count("中国—东盟博览会"), gx.count("中国－东盟博览会")) == (6, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        henan_o = bt.orientation(henan)
        gx_o = bt.orientation(_one(bri_corpus, "bri18"))
        whole = bt.orientation(henan, compounds=False)
    assert henan_o.attrs["in_compounds"]["卢森堡"] == {"郑州—卢森堡": 26}
    assert "卢森堡" not in henan_o.attrs["mid_word"]                 # at the end
    assert gx_o.attrs["in_compounds"]["东盟"]["中国—东盟博览会"] == 7
    assert gx_o.attrs["mid_word"]["东盟"]["中国—东盟博览会"] == 7
    # compounds=False: 卢森堡 still counts (the dash separates words), no compound listed
    assert whole.attrs["in_compounds"] == {}
    assert (whole.groupby("world_region")["count"].sum()["西欧"]
            == henan_o.groupby("world_region")["count"].sum()["西欧"] > 26)


def test_an_exception_can_hold_for_one_dictionary():
    """文化素质 (a population's educational level: wr1987, wr1998, wr2003 write it once each)
    is a mention of people-to-people bonds, whose category holds education, but none of the
    sectors' culture (DICTIONARY_WORDS.md); until session 42 the one exception list held for
    every dictionary, and the sectors counted it."""
    reports = bt.load_work_reports().subset(doc_id=["wr1987", "wr1998", "wr2003"])
    assert [t.count("文化素质") for t in reports.texts] == [1, 1, 1]
    assert ("文化素质", "文化") in load_compound_exceptions("sectors")
    assert ("文化素质", "文化") not in load_compound_exceptions("five_connectivities")
    assert ("文化素质", "文化") not in load_compound_exceptions()      # a dictionary of your own
    tokens = bt.tokenize(reports.reshape("paragraph"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        conn = bt.profile(tokens, normalize=None)
        sectors = bt.profile(tokens, "sectors", normalize=None)
        # the sectors' entries as a dictionary of your own: the exceptions of every list
        own = bt.profile(tokens, load_dictionary("sectors"), normalize=None, compounds=True)
    assert conn.attrs["in_compounds"]["文化"]["文化素质"] == 3
    assert "文化素质" not in sectors.attrs["in_compounds"]["文化"]
    assert own.attrs["in_compounds"]["文化"]["文化素质"] == 3
    gap = (own.groupby("category")["count"].sum()
           - sectors.groupby("category")["count"].sum())
    assert gap["culture_tourism"] == 3 and gap.drop("culture_tourism").eq(0).all()
