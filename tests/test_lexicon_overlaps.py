"""Overlapping lexicon terms (the earlier one stays whole) and the business-environment terms
of lexicons/policy_terms.tsv, on the work reports (counts a reader can check with str.count)."""
from __future__ import annotations

import collections
import re

import pytest

import bri_text
from bri_text._lexicons import load_lexicon
from bri_text.segment import Tokenizer, fold_variants
from bri_text.segment._resources import _overlaps

ENGINES = ["rjieba", "jieba"]


@pytest.fixture(scope="module")
def reports():
    """(text of the 52 work reports joined, Counter of their tokens, their pieces with spans)."""
    corpus = bri_text.load_work_reports()
    text = "\n".join(corpus.docs.text)
    tok = Tokenizer(stopwords=None)
    pieces = tok.segment(text)
    return text, collections.Counter(w for w, _, _ in pieces), pieces


@pytest.mark.parametrize("engine", ENGINES)
def test_the_earlier_of_two_overlapping_terms_stays_whole(engine):
    """数据要素 and 要素市场化配置 are both in policy_terms.tsv; the engine chose
    数据 / 要素市场化配置 (a near-tie of the frequencies the tokenizer gave both), so a third
    of the 数据要素 in a business-environment corpus were lost. The earlier term wins."""
    text = "加快培育数据要素市场，推进数据要素市场化配置改革"
    assert Tokenizer(engine=engine)(text) == [
        "加快", "培育", "数据要素", "市场", "推进", "数据要素", "市场化", "配置", "改革"]
    tagged = Tokenizer(engine=engine, pos={"nz"})(text)
    assert tagged == ["数据要素", "数据要素"]                 # the lexicon's tag
    # the pieces still cover the text exactly
    pieces = Tokenizer(engine=engine, stopwords=None).segment(text)
    assert "".join(w for w, _, _ in pieces) == text
    assert all(text[s:e] == w for w, s, e in pieces)
    # a term beginning inside a word of the engine's path does not break it: 农村土地 is one
    # word, so 土地确权 (from its 土) never takes its place
    assert Tokenizer(engine=engine)("推进农村土地确权登记颁证") == [
        "推进", "农村土地", "确权登记颁证"]
    # the later term stays whole where no earlier term overlaps it
    assert Tokenizer(engine=engine)("推动数字化转型") == ["推动", "数字化转型"]


def test_a_word_with_its_own_frequency_is_left_to_it(tmp_path):
    """A user file's frequency decides (the rule is for frequencies the tokenizer chose)."""
    assert _overlaps({"数据要素": "nz", "要素市场化配置": "nz"}) == (
        {"要素市场化配置": (("数据要素", 2),)}, {"数据要素": "nz"})
    f = tmp_path / "words.txt"
    f.write_text("要素市场化配置 1000000\n", encoding="utf-8")
    assert Tokenizer(user_dict=f)("数据要素市场化配置") == ["数据", "要素市场化配置"]
    # a set of words is asked for whole, with no frequency of its own: the rule applies
    assert Tokenizer(user_dict={"要素市场化配置"})("数据要素市场化配置")[0] == "数据要素"


def test_every_overlap_in_the_work_reports_goes_to_the_earlier_term(reports):
    """Every place in the work reports where two shipped terms overlap (a proper suffix of
    one begins the other, both read on piece boundaries as the engine left them) gives the
    earlier term as one token: 产业数字化 / 转型 (twice), 土地确权 / 登记 / 颁证 (twice),
    改革开放 / 高地, 人民币汇率 / 市场化, 境外风险 / 防控, 广义货币 / 供应量, 结构性减税 / 降费."""
    text, counts, pieces = reports
    assert text.count("产业数字化转型") == 2 and counts["产业数字化"] == text.count("产业数字化")
    assert text.count("土地确权登记颁证") == 3                  # one is 农村土地确权登记颁证
    assert counts["土地确权"] == 1 + 2
    for term, n in (("改革开放高地", 1), ("人民币汇率市场化", 1), ("境外风险防控", 1),
                    ("广义货币供应量", 1), ("结构性减税降费", 1)):
        assert text.count(term) == n
    starts = {s: w for w, s, _ in pieces}
    for a, b in (("产业数字化", "转型"), ("改革开放", "高地"), ("人民币汇率", "市场化"),
                 ("境外风险", "防控"), ("广义货币", "供应量"), ("结构性减税", "降费")):
        for m in re.finditer(a + b, text):
            assert starts[m.start()] == a and starts[m.start() + len(a)] == b


def test_data_elements_counts_every_mention_in_the_work_reports(reports):
    """数据要素 (policy_terms.tsv): as many tokens as str.count finds (2: 数据要素市场,
    数据要素潜力), and no token holds it inside a longer one."""
    text, counts, _ = reports
    assert text.count("数据要素") == 2 == counts["数据要素"]
    assert not [w for w in counts if "数据要素" in w and w != "数据要素"]


# the terms of administrative reform and the business environment added in session 38
NEW_TERMS = ("授权运营 数据基础制度 数据资产 电子证照 涉企收费 数字化改革 不见面审批 双随机、一公开 "
             "事中事后监管 包容审慎 信用监管 信用修复 拿地即开工 先照后证 照后减证 多证合一 一业一证 "
             "一窗受理 容缺受理 免申即享 非禁即入 减证便民 简易注销 准入不准营 首违不罚 "
             "一网统管").split()


def test_business_environment_terms_are_in_the_lexicon_and_were_split():
    lex = load_lexicon().set_index("term")["category"]
    assert set(NEW_TERMS) <= set(lex.index)
    bare = Tokenizer(lexicon=False, stopwords=None)
    assert [t for t in NEW_TERMS if len(bare(t)) == 1] == []      # jieba cuts every one


def test_business_environment_terms_whole_in_the_work_reports(reports):
    """Each term of the field that the work reports use is one token at every mention (the
    count str.count gives: 事中事后监管 9, 双随机、一公开 8, 涉企收费 5, 包容审慎 3 ...)."""
    text, counts, _ = reports
    found = {t: text.count(t) for t in NEW_TERMS if t in text}
    assert found == {"数据基础制度": 2, "电子证照": 2, "涉企收费": 5, "双随机、一公开": 8,
                     "事中事后监管": 9, "包容审慎": 3, "信用监管": 1, "信用修复": 1,
                     "先照后证": 1, "照后减证": 1, "多证合一": 1, "一窗受理": 1, "非禁即入": 1,
                     "减证便民": 1, "简易注销": 2, "准入不准营": 1}
    assert {t: counts[t] for t in found} == found
    # and in each sentence of the reports that uses it, segmented alone
    tok = Tokenizer()
    for sentence in re.split("[。；\n]", text):
        for term in found:
            if term in sentence:
                assert term in tok(sentence), (term, sentence)


@pytest.mark.parametrize("engine", ENGINES)
def test_business_environment_terms_whole_in_context(engine):
    """The field's terms the package's documents do not use, in the phrasing of provincial
    business-environment documents (浙江 数字化改革, 江苏 不见面审批 ...)."""
    tok = Tokenizer(engine=engine)
    text = ("全面推进数字化改革，深化不见面审批和拿地即开工改革，推行一业一证、容缺受理、"
            "免申即享，落实首违不罚清单，探索公共数据授权运营，推动数据资产入表，实现一网统管")
    got = tok(text)
    for term in ("数字化改革", "不见面审批", "拿地即开工", "一业一证", "容缺受理", "免申即享",
                 "首违不罚", "授权运营", "数据资产", "一网统管"):
        assert term in got, term
    # the work reports write 双随机、一公开 with the 顿号; folding synonyms joins both spellings
    fold = Tokenizer(engine=engine, fold_synonyms=True)
    assert fold("推行双随机一公开监管") == fold("推行“双随机、一公开”监管") == [
        "推行", "双随机、一公开", "监管"]


def test_overlap_heads_and_tails_of_the_shipped_lexicon():
    """The pairs the rule watches are computed from the lexicon, not listed by hand."""
    words = {fold_variants(t): "nz" for t in load_lexicon()["term"]}
    heads, tails = _overlaps(words)
    assert "要素市场化配置" in heads and "数据要素" in tails
    assert "数字化转型" in heads and "产业数字化" in tails


# the era terms of the work reports and plans added in session 39 (lexicons/README.md)
ERA_TERMS = ("第一个五年计划 第二个五年计划 第三个五年计划 第四个五年计划 第五个五年计划 第六个五年计划 "
             "第七个五年计划 第八个五年计划 第九个五年计划 第十个五年计划 第十一个五年规划 第十二个五年规划 "
             "第十三个五年规划 第十四个五年规划 第十五个五年规划 六五计划 全民所有制 大宗商品 工业学大庆 "
             "政治体制改革 先行先试 再就业 社会治安综合治理 基本医疗保险 中外合作办学 农业生产合作社 "
             "农业学大寨 融资租赁 技术转移 社会主义改造 社会主义革命 三大改造 社会主义教育运动 无产阶级专政 "
             "资产阶级自由化 人民内部矛盾 民族区域自治").split()


def test_era_terms_are_in_the_lexicon_and_were_split():
    lex = load_lexicon().set_index("term")["category"]
    assert set(ERA_TERMS) <= set(lex.index) and len(set(ERA_TERMS)) == 37
    bare = Tokenizer(lexicon=False, stopwords=None)
    assert [t for t in ERA_TERMS if len(bare(t)) == 1] == []      # jieba cuts every one
    # 可持续发展, 现代化建设, 社会主义建设 and 农业现代化 stay out: PKU splits them (F1)
    assert not {"可持续发展", "现代化建设", "社会主义建设", "农业现代化"} & set(lex.index)


def test_era_terms_whole_at_every_mention_in_the_work_reports(reports):
    """Each era term is one token as often as str.count finds it (第一个五年计划 129, 社会主义改造
    82, 社会主义革命 77, 再就业 67 ...), except where a longer lexicon term holds it:
    民族区域自治 in 民族区域自治制度 (27 of 46), 基本医疗保险 in 城镇职工基本医疗保险 (10 of 34),
    which the counts of nested mentions find."""
    text, counts, _ = reports
    found = {t: text.count(t) for t in ERA_TERMS if t in text}
    assert found["第一个五年计划"] == 129 and found["社会主义改造"] == 82
    assert found["再就业"] == 67 and found["无产阶级专政"] == 34 and found["六五计划"] == 15
    assert len(found) == 35                      # 技术转移, 第十五个五年规划: not in the reports
    hosts = {"民族区域自治": "民族区域自治制度", "基本医疗保险": "城镇职工基本医疗保险"}
    lex = set(load_lexicon()["term"])
    for term, n in found.items():
        longer = {w: c for w, c in counts.items() if term in w and w != term}
        assert counts[term] + sum(c * w.count(term) for w, c in longer.items()) == n, term
        assert set(longer) <= {hosts.get(term)} and set(longer) <= lex, (term, longer)
    assert counts["民族区域自治"] == 46 - 27 and counts["基本医疗保险"] == 34 - 10


def test_era_terms_whole_in_the_belt_and_road_policies():
    """技术转移 23, 大宗商品 20, 融资租赁 9, 中外合作办学 8, 先行先试 7: every mention one token."""
    text = "\n".join(bri_text.load_bri_policies().docs.text)
    counts = collections.Counter(Tokenizer(stopwords=None)(text))
    found = {t: text.count(t) for t in ERA_TERMS if t in text}
    assert found == {"技术转移": 23, "大宗商品": 20, "融资租赁": 9, "中外合作办学": 8, "先行先试": 7}
    assert {t: counts[t] for t in found} == found


@pytest.mark.parametrize("engine", ENGINES)
def test_era_terms_take_no_character_from_a_neighbour(engine):
    """The places where a term meets a word of the default segmentation: the term is whole and
    the neighbour keeps the rest (第十一个五年/规划 was a piece before)."""
    tok = Tokenizer(engine=engine, stopwords=None)
    assert tok("实施第十一个五年规划") == ["实施", "第十一个五年规划"]
    assert tok("取得社会主义革命胜利") == ["取得", "社会主义革命", "胜利"]
    assert tok("贯彻民族区域自治法") == ["贯彻", "民族区域自治", "法"]
    assert tok("推动融资租赁业健康发展") == ["推动", "融资租赁", "业", "健康", "发展"]
    assert tok("大宗商品价格") == ["大宗商品", "价格"]
    assert tok("一九五八年农业学大寨")[-1] == "农业学大寨"
