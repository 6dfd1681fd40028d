"""Tests for the built-in lexicons (bri_text/lexicons/) and their loader bri_text._lexicons."""
from __future__ import annotations


import pandas as pd
import pytest

from bri_text import _lexicons as lx
from bri_text.errors import InputError, MetadataError, ParameterError

from support import compendium_text

PROVINCES_34 = (
    "北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 "
    "湖北 湖南 广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门"
).split()


# --------------------------------------------------------------------------- bri_lexicon.tsv

def test_lexicon_size_categories_and_dtypes():
    lex = lx.load_lexicon()
    assert list(lex.columns) == ["term", "category", "freq"]
    assert lex["term"].is_unique
    assert lex["term"].nunique() >= 400
    assert set(lex["category"]) == set(lx.LEXICON_CATEGORIES) | set(lx.POLICY_CATEGORIES)
    # the general policy terms: none also in the Belt and Road file
    general = lx.general_policy_terms()
    assert len(general) >= 600 and {"大数据", "新常态", "三去一降一补"} <= general
    assert set(lex.loc[lex["term"].isin(general), "category"]) == set(lx.POLICY_CATEGORIES)
    assert str(lex["freq"].dtype) == "Int64"
    # terms are multi-character words a segmenter should keep whole
    assert (lex["term"].str.len() >= 2).all()
    assert not lex["term"].str.contains(r"\s").any()


def test_lexicon_has_corridors_connectivities_and_key_terms():
    cat = lx.load_lexicon().set_index("term")["category"]
    for corridor in lx.CORRIDORS:
        assert cat[corridor] == "corridor"
    for name in lx.FIVE_CONNECTIVITIES.values():
        assert cat[name] == "connectivity"
    assert cat["一带一路"] == "initiative"
    assert cat["21世纪海上丝绸之路"] == "initiative"
    assert cat["中欧班列"] == "logistics"
    assert cat["西部陆海新通道"] == "logistics"
    assert cat["亚投行"] == "institution"
    assert cat["中国—东盟自由贸易区"] == "institution"
    assert cat["跨境电商"] == "instrument"
    assert cat["瓜达尔港"] == "place"
    assert cat["人类命运共同体"] == "policy"


def test_lexicon_dash_variants_use_em_dash():
    terms = lx.load_lexicon()["term"]
    assert not terms.str.contains("[-－–―]").any()
    assert "中国—中亚—西亚经济走廊" in set(terms)


def test_lexicon_returns_independent_copies():
    a = lx.load_lexicon()
    a.loc[0, "category"] = "changed"
    assert "changed" not in set(lx.load_lexicon()["category"])


def test_lexicon_user_tsv_overrides_and_adds(tmp_path):
    f = tmp_path / "mine.tsv"
    f.write_text("term\tcategory\tfreq\n# my terms\n中欧班列\tmy_cat\t900\n"
                 "义新欧班列\tlogistics\t\n\n", encoding="utf-8")
    lex = lx.load_lexicon(f).set_index("term")
    assert lex.loc["中欧班列", "category"] == "my_cat"
    assert lex.loc["中欧班列", "freq"] == 900
    assert lex.loc["义新欧班列", "category"] == "logistics"
    assert pd.isna(lex.loc["义新欧班列", "freq"])
    assert len(lex) == len(lx.load_lexicon()) + 1


def test_lexicon_user_jieba_style(tmp_path):
    f = tmp_path / "user_dict.txt"
    f.write_text("陆海新通道运营公司 20 logistics\n长江黄金水道 5\n海丝港口联盟\n"
                 "丝路驿站 institution\n", encoding="utf-8")
    lex = lx.load_lexicon(f).set_index("term")
    assert lex.loc["陆海新通道运营公司", "freq"] == 20
    assert lex.loc["陆海新通道运营公司", "category"] == "logistics"
    assert lex.loc["长江黄金水道", "freq"] == 5
    assert lex.loc["长江黄金水道", "category"] == "user"
    assert lex.loc["海丝港口联盟", "category"] == "user"
    assert lex.loc["丝路驿站", "category"] == "institution"


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("中欧班列\tlogistics\t12\textra\n", ":1: expected at most 3"),
        ("\n# c\n中欧班列\tlogistics\tmany\n", ":3: freq 'many'"),
        ("\tlogistics\t\n", ":1: empty term"),
        ("中欧班列\tlogistics\n中欧班列\tinstitution\n", ":2: term '中欧班列' is already on line 1"),
        ("a b c d\n", ":1: expected 'term [freq] [category]'"),
    ],
)
def test_lexicon_bad_user_file_names_file_and_line(tmp_path, content, fragment):
    f = tmp_path / "bad.tsv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(MetadataError) as exc:
        lx.load_lexicon(f)
    assert str(f) in str(exc.value)
    assert fragment in str(exc.value)


def test_missing_or_undecodable_user_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        lx.load_lexicon(tmp_path / "nope.tsv")
    with pytest.raises(InputError, match="folder"):
        lx.load_gazetteer(tmp_path)
    gbk = tmp_path / "gbk.txt"  # Notepad on Chinese Windows: read as GBK, not guessed
    gbk.write_bytes("中欧班列\n".encode("gbk"))
    assert lx.load_stopwords(gbk) == {"中欧班列"}
    gbk.write_bytes("中欧班列\t中欧铁路班列\n".encode("gbk"))
    assert lx.load_synonyms(gbk)["中欧班列"] == "中欧铁路班列"
    gbk.write_bytes("中欧班列\n".encode("gbk") + b"\x80\x80\n")
    with pytest.raises(InputError, match="gbk.txt.*stopword file is not UTF-8.*neither"):
        lx.load_stopwords(gbk)


# --------------------------------------------------------------------------- synonyms.tsv

def test_synonyms_builtin():
    syn = lx.load_synonyms()
    assert len(syn) >= 30
    assert syn["亚洲基础设施投资银行"] == "亚投行"
    assert syn["上海合作组织"] == "上合组织"
    assert syn["自由贸易试验区"] == "自贸试验区"
    assert syn["区域全面经济伙伴关系协定"] == "RCEP"
    assert syn["21世纪海上丝绸之路"] == "海上丝绸之路"
    assert syn["中国（广西）自由贸易试验区"] == "广西自贸试验区"
    assert syn["中国(河南)自由贸易试验区"] == "河南自贸试验区"
    # fully resolved: no canonical form is itself a variant
    assert not set(syn.values()) & set(syn)
    syn["x"] = "y"
    assert "x" not in lx.load_synonyms()


def test_synonyms_user_file_overrides_and_chains(tmp_path):
    f = tmp_path / "syn.tsv"
    # make the long form canonical instead of the abbreviation, and add a chain
    f.write_text("亚投行\t亚洲基础设施投资银行\nAIIB\t亚投行\n", encoding="utf-8")
    syn = lx.load_synonyms(f)
    assert syn["亚投行"] == "亚洲基础设施投资银行"
    assert syn["AIIB"] == "亚洲基础设施投资银行"
    assert "亚洲基础设施投资银行" not in syn
    bad = tmp_path / "bad.tsv"
    bad.write_text("variant\tcanonical\n甲\t乙\t丙\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"bad.tsv:2: expected 2"):
        lx.load_synonyms(bad)
    cyc = tmp_path / "cycle.tsv"
    cyc.write_text("甲\t乙\n乙\t丙\n丙\t甲\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="cycle"):
        lx.load_synonyms(cyc)


# --------------------------------------------------------------------------- stopwords

def test_stopwords_lists():
    general = lx.load_stopwords("general")
    policy = lx.load_stopwords("policy")
    assert isinstance(general, frozenset)
    assert 400 <= len(general) <= 800 and 150 <= len(policy) <= 360
    assert {"的", "了", "和", "与", "及", "在", "对", "等", "是", "把", "被", "其", "之"} <= general
    assert {"加强", "推进", "推动", "积极", "进一步", "深化", "加快", "落实", "各级"} <= policy
    # content words researchers compare on are never stopwords
    for word in ("东盟", "港口", "能源", "开放", "合作", "铁路", "金融", "文化"):
        assert word not in general | policy
    assert lx.load_stopwords("all") == general | policy


def test_stopwords_disjoint_from_lexicon_gazetteer_and_dictionaries():
    stop = lx.load_stopwords("all")
    assert not stop & set(lx.load_lexicon()["term"])
    assert not stop & set(lx.load_gazetteer()["term"])
    for name in ("five_connectivities", "sectors"):
        terms = {t for ts in lx.load_dictionary(name).values() for t in ts}
        assert not stop & terms, name


def test_stopwords_user_file_and_bad_kind(tmp_path):
    f = tmp_path / "stop.txt"
    f.write_text("# mine\n本市\n\n我省\n", encoding="utf-8")
    assert lx.load_stopwords(f) == {"本市", "我省"}
    with pytest.raises(ParameterError, match="kind must be"):
        lx.load_stopwords("generall")
    f.write_text("本市 我省\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"stop.txt:1: one word per line"):
        lx.load_stopwords(f)


# --------------------------------------------------------------------------- gazetteer.tsv

def test_gazetteer_values_are_from_allowed_lists():
    g = lx.load_gazetteer()
    assert list(g.columns) == ["term", "place", "type", "world_region", "continent", "corridor"]
    assert g["term"].is_unique
    assert set(g["type"]) <= set(lx.GAZETTEER_TYPES)
    assert set(g["world_region"]) <= set(lx.WORLD_REGIONS)
    assert set(g["continent"]) <= set(lx.CONTINENTS) | {""}
    assert set(g["corridor"]) <= set(lx.CORRIDORS) | {""}
    assert set(g["corridor"]) - {""} == set(lx.CORRIDORS)
    assert (g["type"] == "country").groupby(g["place"]).any().sum() >= 150


def test_gazetteer_known_places():
    g = lx.load_gazetteer().set_index("term")
    assert g.loc["哈萨克斯坦", "world_region"] == "中亚"
    assert g.loc["哈萨克斯坦", "corridor"] == "中国—中亚—西亚经济走廊"
    assert g.loc["老挝", "world_region"] == "东南亚"
    assert g.loc["卢森堡", "continent"] == "欧洲"
    assert g.loc["东盟", "world_region"] == "东南亚"
    assert g.loc["东盟", "type"] == "grouping"
    assert g.loc["沙特", "place"] == "沙特阿拉伯"
    assert g.loc["瓜达尔港", ["place", "type", "corridor"]].tolist() == [
        "巴基斯坦", "port", "中巴经济走廊"]
    assert g.loc["杜伊斯堡", "corridor"] == "新亚欧大陆桥经济走廊"
    assert g.loc["蒙古国", "corridor"] == "中蒙俄经济走廊"
    assert g.loc["埃及", "world_region"] == "非洲"
    assert g.loc["土耳其", "world_region"] == "西亚"
    # deliberately absent: domestic or ambiguous terms
    for term in ("中非", "北部湾", "俄", "亚欧", "广西"):
        assert term not in g.index


def test_gazetteer_has_no_chinese_domestic_places():
    domestic = set(lx.load_provinces()["name"])
    assert not domestic & set(lx.load_gazetteer()["term"])


def test_gazetteer_user_file(tmp_path):
    f = tmp_path / "gaz.tsv"
    f.write_text("钱凯\t秘鲁\tport\t拉美\t美洲\t\n瓦希德\t阿富汗\tregion\t南亚\n", encoding="utf-8")
    g = lx.load_gazetteer(f).set_index("term")
    assert g.loc["钱凯", "world_region"] == "拉美"
    assert g.loc["瓦希德", "continent"] == ""
    f.write_text("钱凯\t秘鲁\tport\t南美洲\t美洲\t\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"gaz.tsv:1: world_region '南美洲' is not allowed"):
        lx.load_gazetteer(f)



def test_gazetteer_provinces_and_formulaic_files_saved_as_gbk(tmp_path):
    """The user tables of places, provinces and set phrases follow every other user
    table's rule: UTF-8, else GBK / GB18030 (as Notepad and Excel on Chinese Windows save
    them), never guessed: 磨憨 saved as GBK is also valid Big5 (another text), so a
    guesser could read it as that."""
    assert "磨憨".encode("gbk").decode("big5") != "磨憨"
    gaz = tmp_path / "gaz.tsv"
    gaz.write_bytes("磨憨\t老挝\tport\t东南亚\t亚洲\t中国—中南半岛经济走廊\n".encode("gbk"))
    g = lx.load_gazetteer(gaz).set_index("term")
    assert g.loc["磨憨", "place"] == "老挝"
    assert g.loc["磨憨", "corridor"] == "中国—中南半岛经济走廊"
    prov = tmp_path / "prov.tsv"
    prov.write_bytes("磨憨口岸\t云南\tport\n".encode("gbk"))
    assert lx.load_provinces(prov).set_index("name").loc["磨憨口岸", "province"] == "云南"
    form = tmp_path / "form.tsv"
    form.write_bytes("推进磨憨口岸建设\tpolitical\n".encode("gbk"))
    f = lx.load_formulaic(form)
    assert f.iloc[-1].tolist() == ["推进磨憨口岸建设", "political"]
    # neither encoding: the error names the kind of file and its path
    for path, load, kind in ((gaz, lx.load_gazetteer, "gazetteer file"),
                             (prov, lx.load_provinces, "provinces file"),
                             (form, lx.load_formulaic, "formulaic-phrase file")):
        path.write_bytes("磨憨\t".encode("gbk") + b"\x80\x80\n")
        with pytest.raises(InputError) as exc:
            load(path)
        assert str(exc.value).startswith(f"{path}: the {kind} is not UTF-8")
        assert "neither UTF-8 nor GBK / GB18030" in str(exc.value)
        with pytest.raises(InputError, match=f"{kind} .*does not exist"):
            load(tmp_path / "nope.tsv")


# --------------------------------------------------------------------------- provinces.tsv

def test_provinces_short_names_once_each():
    p = lx.load_provinces()
    assert list(p.columns) == ["name", "province", "kind"]
    assert p["name"].is_unique
    short = p[p["kind"] == "short"]
    assert sorted(short["name"]) == sorted(PROVINCES_34)
    assert (short["name"] == short["province"]).all()
    assert set(p["province"]) == set(PROVINCES_34)
    assert set(p["kind"]) <= set(lx.PROVINCE_KINDS)


def test_provinces_cities_and_full_names():
    prov = lx.load_provinces().set_index("name")["province"]
    expected = {
        "西安": "陕西", "西安市": "陕西", "成都": "四川", "宁波": "浙江", "厦门": "福建",
        "郑州": "河南", "兰州": "甘肃", "南宁": "广西", "长沙": "湖南", "南昌": "江西",
        "广西壮族自治区": "广西", "内蒙古自治区": "内蒙古", "新疆维吾尔自治区": "新疆",
        "香港特别行政区": "香港", "河南省": "河南", "天津市": "天津", "豫": "河南",
        "陇": "甘肃", "桂": "广西", "钦州": "广西", "喀什地区": "新疆", "西双版纳": "云南",
        "霍尔果斯": "新疆",
    }
    for name, province in expected.items():
        assert prov[name] == province, name
    # ambiguous short forms are only listed with 市
    for name in ("中山", "来宾", "长治", "吉林市"):
        assert (name in prov.index) == (name == "吉林市"), name


# --------------------------------------------------------------------------- dictionaries

def test_five_connectivities_dictionary():
    d = lx.load_dictionary("five_connectivities")
    assert set(d) == set(lx.FIVE_CONNECTIVITIES)
    for key, name in lx.FIVE_CONNECTIVITIES.items():
        assert name in d[key]
        assert 25 <= len(d[key]) <= 45
    assert "铁路" in d["facilities_connectivity"]
    assert "人民币" in d["financial_integration"]
    terms = [t for ts in d.values() for t in ts]
    assert len(terms) == len(set(terms))


def test_sectors_dictionary():
    d = lx.load_dictionary("sectors")
    assert set(d) == set(lx.SECTORS)
    assert all(20 <= len(ts) <= 35 for ts in d.values())
    assert "光伏" in d["energy"] and "中医药" in d["health"]
    d["energy"].append("x")
    assert "x" not in lx.load_dictionary("sectors")["energy"]


def test_user_dictionary_and_conflicting_category(tmp_path):
    f = tmp_path / "dict.tsv"
    f.write_text("term\tcategory\n港口\tsea\n机场\tair\n港口\tsea\n", encoding="utf-8")
    assert lx.load_dictionary(f) == {"sea": ["港口"], "air": ["机场"]}
    f.write_text("港口\tsea\n机场\tair\n港口\tair\n", encoding="utf-8")
    with pytest.raises(MetadataError) as exc:
        lx.load_dictionary(f)
    assert f"{f}:3" in str(exc.value) and "'港口'" in str(exc.value)
    with pytest.raises(ParameterError, match="name_or_path"):
        lx.load_dictionary("sector")


# --------------------------------------------------------------------------- real corpus

def test_entries_occur_in_real_compendium():
    text = compendium_text()
    text = "".join(line.strip() for line in text.splitlines())  # undo PDF line breaks
    g = lx.load_gazetteer().set_index("term")
    assert text.count("东盟") >= 100 and g.loc["东盟", "world_region"] == "东南亚"
    assert text.count("哈萨克斯坦") >= 1 and g.loc["哈萨克斯坦", "world_region"] == "中亚"
    # Henan's 'air silk road' Zhengzhou–Luxembourg makes 卢森堡 a frequent foreign place
    assert text.count("卢森堡") >= 50
    lex = lx.load_lexicon()
    present = [t for t in lex["term"] if t in text]
    assert len(present) >= 300
    for term in ("一带一路", "丝绸之路经济带", "中欧班列", "自贸试验区", "互联互通"):
        assert term in present
    # the 15 local plans name their provinces
    prov = lx.load_provinces()
    short = prov.loc[prov["kind"] == "short", "name"]
    assert {"广西", "甘肃", "河南", "湖南", "江西", "福建", "广东", "陕西", "河北"} <= {
        s for s in short if s in text}


def test_user_file_dash_variants_are_read_as_em_dash(tmp_path):
    f = tmp_path / "dash.tsv"
    f.write_text("中国-东盟数字经济合作年\tpolicy\t\n中国－中亚合作论坛\tinstitution\t\n"
                 "RCEP-2\tinstitution\t\n", encoding="utf-8")
    terms = set(lx.load_lexicon(f)["term"])
    assert {"中国—东盟数字经济合作年", "中国—中亚合作论坛", "RCEP-2"} <= terms


def test_provinces_user_file(tmp_path):
    f = tmp_path / "prov.tsv"
    f.write_text("name\tprovince\tkind\n西部科学城\t重庆\tzone\n", encoding="utf-8")
    prov = lx.load_provinces(f).set_index("name")["province"]
    assert prov["西部科学城"] == "重庆" and prov["西安"] == "陕西"
    f.write_text("西部科学城\t重庆\tdistrict\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"prov.tsv:1: kind 'district' is not allowed"):
        lx.load_provinces(f)
