"""Numbered clauses (bri_text._clauses.clause_spans, Corpus.reshape("clause")) on the built-in
documents and on own-wording texts."""
import re

import pandas as pd
import pytest

import bri_text as bt
from bri_text import Corpus
from bri_text._clauses import SENTENCE_SPLIT, clause_spans, section_spans
from bri_text._units import paragraph_bounds
from bri_text.errors import ParameterError


def _cn(n: int) -> str:
    """1..99 in Chinese numerals (一, 十, 十一, 二十, 五十九)."""
    d = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else d[tens - 1] + "十")) + \
        (d[ones - 1] if ones else "")


@pytest.fixture(scope="module")
def policies():
    return bt.load_bri_policies()


@pytest.fixture(scope="module")
def clauses(policies):
    return policies.reshape("clause").docs


def _of(clauses, doc_id):
    return clauses[clauses["parent_id"] == doc_id]


# ---------------------------------------------------------------- regulations: articles
@pytest.mark.parametrize("doc_id, n_articles, n_chapters", [("bri04", 59, 8), ("bri07", 73, 8)])
def test_every_article_of_a_regulation_is_one_clause(clauses, doc_id, n_articles, n_chapters):
    # bri04 (Zhejiang FTZ regulation) runs 第一条 … 第五十九条 in eight chapters, bri07 (national
    # key R&D programme measures) 第一条 … 第七十三条, every article at the start of a line
    doc = _of(clauses, doc_id)
    articles = doc[doc["clause_kind"] == "article"]
    assert articles["clause"].tolist() == [f"第{_cn(n)}条" for n in range(1, n_articles + 1)]
    chapters = doc[doc["clause_kind"] == "chapter"]
    assert chapters["clause"].tolist() == [f"第{_cn(n)}章" for n in range(1, n_chapters + 1)]
    assert chapters["is_heading"].all()
    # an article is a heading only when it just leads in to its items (…履行下列职责：)
    lead_ins = articles.index[articles["is_heading"]]
    assert len(lead_ins) >= 1 and doc.loc[lead_ins, "text"].str.endswith("：").mean() > 0.8
    assert (doc.loc[lead_ins + 1, "clause_kind"] == "cn_paren").all()
    assert set(articles["clause_depth"]) == {2} and set(chapters["clause_depth"]) == {1}


def test_an_article_keeps_its_further_paragraphs(clauses):
    bri04 = _of(clauses, "bri04").set_index("clause")
    # 第二条 has a second paragraph (款) on the next line; 第七条's items are clauses of their own
    assert "根据自贸试验区建设与发展的需要" in bri04.loc["第二条", "text"]
    assert bri04.loc["第七条", "text"].endswith("履行下列职责：")
    assert bri04.loc["第五十九条", "heading_path"] == "第八章 附 则 > 第五十九条 本条例自2018年1月1日起施行"


def test_the_contents_list_is_one_unit_not_chapters(clauses, policies):
    doc = _of(clauses, "bri04")
    contents = doc[doc["clause_kind"] == "contents"]
    assert len(contents) == 1 and contents["text"].iloc[0].startswith("目 录")
    assert "第八章 附 则" in contents["text"].iloc[0]
    assert contents["clause_depth"].iloc[0] == 0


def test_measures_numbered_without_articles(clauses):
    # bri06 (bad-credit-record measures) numbers its provisions 一、 … 九、, not 第X条
    doc = _of(clauses, "bri06")
    assert (doc["clause_kind"] == "article").sum() == 0
    top = doc[doc["clause_depth"] == 1]
    assert top["clause"].tolist() == [f"{_cn(n)}、" for n in range(1, 10)]
    # four levels: 四、 > （一） > 1、 > （1）
    item = doc[doc["text"].str.startswith("（2）不尊重当地风俗习惯")].iloc[0]
    assert (item["clause"], item["clause_kind"], item["clause_depth"]) == ("（2）", "arabic_paren", 4)
    assert item["heading_path"] == ("四、下列行为应当列入对外投资合作不良信用记录 > （一）对外投资 > "
                                    "1、经核准开展境外投资业务企业的下列行为 > （2）不尊重当地风俗习惯、"
                                    "宗教信仰和生活习惯，导致与当地民众发生冲突")
    # 四、 and 1、 only lead in to the items under them: headings, not provisions to code
    heads = doc[doc["is_heading"]]["clause"].tolist()
    assert heads[:3] == ["四、", "（一）", "1、"]


# ---------------------------------------------------------------- plans: hierarchy
def test_heading_path_of_a_plan(clauses):
    # bri24 (Henan): 三、重点任务 > (一)促进基础设施互联互通 > 1、交通基础设施互联互通。, and the
    # paragraphs under the bare heading 1、 are clauses of their own under its path
    doc = _of(clauses, "bri24")
    head = doc[doc["text"] == "1、交通基础设施互联互通。"].iloc[0]
    path = "三、重点任务 > (一)促进基础设施互联互通 > 1、交通基础设施互联互通"
    assert (head["clause"], head["clause_depth"], head["is_heading"], head["heading_path"]) == \
        ("1、", 3, True, path)
    body = doc[doc["text"].str.startswith("畅通陆路通道。")].iloc[0]
    assert (body["clause"], body["clause_kind"], body["clause_depth"], body["heading_path"]) == \
        ("", "paragraph", 0, path)
    # 一是 … 四是 run on inside one paragraph, after "必须把握以下原则:"
    ordinals = doc[doc["clause_kind"] == "ordinal"]
    assert ordinals["clause"].tolist() == ["一是", "二是", "三是", "四是"]
    assert ordinals["text"].iloc[1].startswith("二是突出特色、长短结合。")


def test_line_clauses_share_the_section_paths(policies):
    # a clause that begins a line sits in the section reshape("section") gives it
    for doc in policies:
        sections = section_spans(doc.text)
        starts = [s for s, _, _ in sections]
        lines = {s for s, _ in paragraph_bounds(doc.text)}
        for s, _, info in clause_spans(doc.text):
            if s in lines and info["clause_kind"] not in ("contents", "ordinal"):
                k = max(i for i, x in enumerate(starts) if x <= s) if starts[0] <= s else None
                want = sections[k][2]["heading_path"] if k is not None else ""
                assert info["heading_path"] == want, (doc.doc_id, doc.text[s:s + 20])


def test_plan_with_counted_headings_and_long_paragraphs(clauses):
    # bri23 (Gansu): 一大构想 / 六大窗口 ... are headings; a paragraph of its own over 300
    # characters without numbering is cut into sentences; the lone 三是 is no clause
    doc = _of(clauses, "bri23")
    heads = doc[doc["clause_kind"] == "cn_count"]
    assert heads["text"].tolist() == ["一大构想", "六大窗口", "八大节点城市", "三大平台", "五大重点工程"]
    assert heads["is_heading"].all()
    goals = doc[doc["heading_path"] == "一大构想"]
    assert goals["clause_kind"].tolist() == ["cn_count", "paragraph"] + ["sentence"] * 4
    assert goals["text"].iloc[3].startswith("近期目标(2015—2020年)")
    assert not doc["text"].str.startswith("三是").any()


# ---------------------------------------------------------------- lossless
@pytest.mark.parametrize("load", [bt.load_bri_policies, lambda: bt.load_work_reports(kind="all")])
def test_clauses_give_the_text_back(load):
    for doc in load():
        spans = clause_spans(doc.text)
        assert all(s < e for s, e, _ in spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # in order, no overlap
        joined = "".join(doc.text[s:e] for s, e, _ in spans)
        assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", doc.text), doc.doc_id


# ---------------------------------------------------------------- one line, no numbering
def test_one_line_document():
    text = ("为推进合作，制定本方案。一、总体要求。坚持开放合作。二、重点任务（一）设施联通。加快建设"
            "通道。（二）贸易畅通。1.跨境电商。发展电商。2.服务贸易。扩大服务出口。三、保障措施。加强领导。")
    spans = clause_spans(text)
    assert [i["clause"] for _, _, i in spans] == \
        ["", "一、", "二、", "（一）", "（二）", "1.", "2.", "三、"]
    assert [i["clause_depth"] for _, _, i in spans] == [0, 1, 1, 2, 2, 3, 3, 1]
    assert text[spans[2][0]:spans[2][1]] == "二、重点任务"
    assert spans[2][2]["is_heading"] and not spans[1][2]["is_heading"]
    assert spans[6][2]["heading_path"] == "二、重点任务 > （二）贸易畅通 > 2.服务贸易"
    assert spans[7][2]["heading_path"] == "三、保障措施"


def test_a_plan_on_one_line_has_the_clauses_of_its_lines(policies):
    # bri25 (Hunan) with its line breaks removed: the same numbered clauses, in the same order
    text = policies["bri25"].text
    lined = [i["clause"] for _, _, i in clause_spans(text) if i["clause"]]
    flat = [i["clause"] for _, _, i in clause_spans(text.replace("\n", ""))]
    assert [c for c in flat if c] == lined
    assert lined == ["一、", "二、", "三、", "1.", "2.", "3.", "4.", "四、", "1.", "2.", "3.",
                     "五、", "1.", "2.", "3.", "4.", "5.", "6.", "7."]


def test_unnumbered_text_falls_back_to_paragraphs_and_sentences(policies):
    # res2024 (NPC resolution): a short paragraph, then one long sentence of 414 characters
    res = bt.load_work_reports(kind="resolution")["res2024"].text
    spans = clause_spans(res)
    assert [(i["clause"], i["clause_kind"], i["clause_depth"]) for _, _, i in spans] == \
        [("", "paragraph", 0), ("", "sentence", 0)]
    short = "推进数字经济发展。" * (SENTENCE_SPLIT // 9)  # 297 characters: one paragraph
    long = "加强合作交流；" * (SENTENCE_SPLIT // 7 + 1)   # 301 characters: its sentences
    spans = clause_spans(short + "\n" + long)
    assert [i["clause_kind"] for _, _, i in spans] == ["paragraph"] + ["sentence"] * 43
    # bri27 (Shaanxi summary) has no numbering: one paragraph per line
    text = policies["bri27"].text
    assert [(s, e) for s, e, _ in clause_spans(text)] == paragraph_bounds(text)


def test_numbers_inside_sentences_are_no_clauses():
    text = ("依照本办法第十条规定执行。调整结构势在必行，第一、第二、第三产业协调发展。"
            "主要问题有三：一是投入不足。三是机制不活。第一，加强领导。第二，强化考核。"
            "抓紧本年度最后时机！8.xx%理财券。")
    spans = clause_spans(text)
    assert [i["clause"] for _, _, i in spans] == ["", "一是", "第一", "第二"]
    assert text[spans[1][0]:spans[1][1]] == "一是投入不足。三是机制不活。"


# ---------------------------------------------------------------- Corpus.reshape("clause")
def test_reshape_clause_columns(policies, clauses):
    assert list(clauses.columns[:12]) == ["doc_id", "text", "parent_id", "unit", "unit_index",
                                         "start", "end", "clause", "clause_kind", "clause_depth",
                                         "heading_path", "is_heading"]
    assert {"region", "year", "level"} <= set(clauses.columns)
    row = clauses[clauses["doc_id"] == "bri04#c2"].iloc[0]
    assert (row["parent_id"], row["unit"], row["unit_index"], row["clause"]) == \
        ("bri04", "clause", 2, "第一章")
    assert policies["bri04"].text[row["start"]:row["end"]] == row["text"]
    assert (clauses["region"][clauses["parent_id"] == "bri18"] == "广西").all()
    with pytest.raises(ParameterError, match="already reshaped"):
        policies.reshape("clause").reshape("clause")


def test_reshape_clause_of_an_own_corpus():
    c = Corpus.from_dataframe(pd.DataFrame({"text": ["第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。",
                                                     "没有编号的一段话。"], "year": [2020, 2021]}))
    d = c.reshape("clause").docs
    assert d[["doc_id", "clause", "year"]].values.tolist() == \
        [["doc0#c0", "第一条", 2020], ["doc0#c1", "第二条", 2020], ["doc1#c0", "", 2021]]
