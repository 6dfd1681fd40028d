"""The built-in dataset's own dates, kinds and Belt-and-Road flag, checked against the texts.

Every expected value below can be read in the document: the signature block under a cover
notice, the document number, the opening sentence (see bri_text/data/README.md).
"""
from __future__ import annotations

import re

import pytest

import bri_text as bt
from bri_text.io import split_compendium
from support import compendium_text


@pytest.fixture(scope="module")
def docs():
    return bt.load_bri_policies().docs.set_index("doc_id")


def _lines(docs, doc_id):
    return [line.strip() for line in docs.loc[doc_id, "text"].split("\n")]


def test_signature_dates_are_read_from_the_signature_block(docs):
    # bri13: the cover notice is signed 河南省人民政府 / 2017年9月18日; 2017年6月14日, a later
    # date in the text, is in the body and is not the document's date
    lines = _lines(docs, "bri13")
    assert lines[2:4] == ["河南省人民政府", "2017年9月18日"]
    assert "2017年6月14日" in docs.loc["bri13", "text"]
    assert docs.loc["bri13", ["date", "date_posted", "date_source"]].tolist() == [
        "2017-09-18", "2017-09-28", "signature"]
    # bri12: the notice's body, then its date line 2017年11月2日; listed 2017-12-22
    lines = _lines(docs, "bri12")
    assert lines[1].endswith("贯彻执行。") and lines[2] == "2017年11月2日"
    assert docs.loc["bri12", ["date", "date_posted", "date_source"]].tolist() == [
        "2017-11-02", "2017-12-22", "signature"]
    # bri25: 湖南省人民政府办公厅 / 2015年8月19日; listed with a batch on 2016-10-09
    assert _lines(docs, "bri25")[2:4] == ["湖南省人民政府办公厅", "2015年8月19日"]
    assert docs.loc["bri25", ["date", "date_posted", "date_source", "year"]].tolist() == [
        "2015-08-19", "2016-10-09", "signature", 2015]


def test_document_number_year_when_the_text_gives_no_date(docs):
    # bri14 (Jiangxi): no signature or date in the text, 赣府发〔2015〕26号
    assert docs.loc["bri14", "doc_number"] == "赣府发〔2015〕26号"
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", docs.loc["bri14", "text"])
    assert docs.loc["bri14", ["date", "date_posted", "date_source", "year"]].tolist() == [
        "2015", "2016-10-09", "document_number", 2015]


def test_a_date_in_the_body_is_not_a_signature(docs):
    # Guangxi's only full date, 2015年3月8日, is in a sentence of its body
    assert "2015年3月8日" in docs.loc["bri18", "text"]
    assert docs.loc["bri18", ["date", "date_source"]].tolist() == ["2016-10-19", "posted"]


def test_date_posted_is_the_listing_date_and_year_follows_date(docs):
    listed = split_compendium(compendium_text()).docs.set_index("doc_id")
    assert docs["date_posted"].tolist() == listed["date"].tolist()
    assert (docs["year"] == docs["date"].str[:4].astype(int)).all()
    assert set(docs["date_source"]) == {"signature", "adopted", "stated", "document_number",
                                        "posted"}
    posted = docs["date_source"] == "posted"
    assert (docs.loc[posted, "date"] == docs.loc[posted, "date_posted"]).all()
    # a document is never dated after it was listed
    assert (docs["date"].str[:10] <= docs["date_posted"]).all()


def test_notices_summaries_and_plans(docs):
    # cover notices and announcements whose document is not in the text
    for doc_id in ["bri02", "bri11", "bri15", "bri19"]:
        assert docs.loc[doc_id, "kind"] == "notice", doc_id
        assert len(docs.loc[doc_id, "text"]) < 400
    assert "附件：《宁波“一带一路”建设综合试验区总体方案》" in docs.loc["bri15", "text"]
    # Gansu's "plan" is a news-style summary of it
    assert "于近日制定出台" in docs.loc["bri23", "text"].split("\n")[0]
    assert docs.loc["bri23", "kind"] == "summary"
    assert docs.loc["bri27", "kind"] == "summary"   # 陕西省…行动计划提出，将从…
    # the full provincial plans
    for doc_id in ["bri13", "bri14", "bri18", "bri20", "bri24", "bri25"]:
        assert docs.loc[doc_id, "kind"] == "plan", doc_id
    assert set(docs["kind"]) <= {"plan", "guidance", "regulation", "notice", "summary",
                                 "compilation"}


def test_bri_specific(docs):
    # R&D tax deduction and free-trade-zone rules are not about the Belt and Road
    assert not docs.loc["bri10", "bri_specific"] and not docs.loc["bri01", "bri_specific"]
    assert not docs.loc["bri04", "bri_specific"]
    assert docs.loc["bri09", "bri_specific"] and docs.loc["bri18", "bri_specific"]
    assert docs["bri_specific"].dtype == bool


def test_readme_lists_every_document(docs):
    """bri_text/data/README.md has one row per document with the shipped date and kind."""
    from pathlib import Path

    readme = (Path(bt.__file__).parent / "data" / "README.md").read_text(encoding="utf-8")
    for doc_id, row in docs.iterrows():
        m = re.search(rf"^\| {doc_id} \|(.*)$", readme, re.MULTILINE)
        assert m, doc_id
        cells = [c.strip() for c in m.group(1).split("|")]
        assert row["date"] in cells and row["date_posted"] in cells, doc_id
        assert row["date_source"] in cells and row["kind"] in cells, doc_id


def test_table_of_contents_is_not_read_as_sections():
    """Guangxi's plan opens with a contents list (前言, 一、…七、) that repeats its headings;
    the regulation bri04 has one under 目 录. Each is one section headed 目录, and every
    real heading is one section."""
    sections = bt.load_bri_policies().subset(region="广西").reshape("section").docs
    assert sections["heading"].tolist() == [
        "", "目录", "前 言", "一、时代背景", "二、建设原则", "三、框架思路", "四、重点合作领域",
        "五、完善合作机制平台", "六、广西积极行动", "七、共建共享创造美好未来"]
    assert not sections["heading_path"].duplicated().any()
    toc = sections.set_index("heading").loc["目录"]
    assert toc["heading_level"] == 0 and toc["text"].split("\n")[-1] == "七、共建共享创造美好未来"
    key_areas = sections.set_index("heading").loc["四、重点合作领域", "text"]
    assert len(key_areas) > 4000 and "建设面向东盟的国际大通道" in key_areas
    fta = bt.load_bri_policies().subset(doc_id="bri04").reshape("section").docs
    chapters = fta[fta["heading_level"] == 1]["heading"].tolist()
    assert len(chapters) == 8 and len(set(chapters)) == 8 and chapters[0] == "第一章 总 则"
    assert fta[fta["heading"] == "目录"]["text"].iloc[0].startswith("目 录\n第一章 总 则")


def test_build_script_rules_doctests():
    """The examples in scripts/build_dataset.py's rules (signature block, kinds) hold."""
    import doctest
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_dataset.py"
    spec = importlib.util.spec_from_file_location("build_dataset", path)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    result = doctest.testmod(build)
    assert result.attempted >= 4 and result.failed == 0
