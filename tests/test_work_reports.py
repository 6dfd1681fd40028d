"""The built-in government work reports: rebuilt byte for byte from the raw Wikisource
records in tests/data, cleaned without losing a sentence, fields checked against the texts."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import bri_text as bt
from bri_text.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Wikisource's licence footer, the one part of a record deliberately dropped
FOOTER = re.compile(r"\n\s*本作品(?:是|来自)\s*中华人民共和国")
#: years 1954-2025 without a report in the source (its README and the issue)
MISSING = {1961, 1962, 1963, *range(1965, 1975), 1976, 1977, 1989, 1990, 1991, 1996, 2020}


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location(
        "build_work_reports", ROOT / "scripts" / "build_work_reports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def raw(build):
    return build.read_raw(build.DEFAULT_RAW)


@pytest.fixture(scope="module")
def everything():
    return bt.load_work_reports(kind="all").docs.set_index("doc_id")


@pytest.fixture(scope="module")
def t2s(build):
    """Traditional -> Simplified as the build does it: OpenCC t2s, then the variant forms
    t2s leaves (衞, 擧, 汚 ...)."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    return lambda text: convert(text).translate(build.VARIANTS)


def raw_record(raw, title):
    return next(r for r in raw if r["title"] == title)


def test_rebuild_is_byte_identical(build, raw):
    """scripts/build_work_reports.py on tests/data/government_work_reports.jsonl.gz gives
    the shipped bri_text/data/work_reports.jsonl byte for byte."""
    assert build.DEFAULT_RAW.is_file() and len(raw) == 72
    shipped = (ROOT / "bri_text" / "data" / "work_reports.jsonl").read_bytes()
    assert build.to_jsonl(build.build(raw)).encode("utf-8") == shipped


def test_years_kinds_and_loading(everything):
    reports = bt.load_work_reports()
    assert len(reports) == 52 and set(reports.docs["kind"]) == {"report"}
    years = set(reports.docs["year"])
    assert years == set(range(1954, 2026)) - MISSING
    resolutions = bt.load_work_reports(kind="resolution").docs
    assert len(resolutions) == 20 and resolutions["speaker"].isna().all()
    assert sorted(resolutions["year"]) == [1962, *range(2007, 2026)]
    assert len(everything) == 72 and everything.index.is_unique
    assert list(reports.docs.columns[:9]) == ["doc_id", "year", "date", "title", "congress",
                                              "session", "speaker", "kind", "source_url"]
    assert everything["source_url"].str.startswith("https://zh.wikisource.org/").all()
    with pytest.raises(ParameterError, match="kind"):
        bt.load_work_reports(kind="reports")


def test_no_sentence_lost(raw, everything, t2s):
    """Every sentence of the raw records (>= 10 CJK characters ending in 。！？；, within a
    paragraph), outside Wikisource's licence footer, is in the cleaned text: CJK characters
    compared after Traditional -> Simplified."""
    by_url = {(r["source_url"], r["kind"]): r["text"] for r in everything.to_dict("records")}
    checked, lost, footers = 0, [], 0
    for rec in raw:
        kind = "report" if rec["year"] is not None else "resolution"
        clean = "".join(CJK.findall(t2s(by_url[rec["url"], kind])))
        content = rec["content"]
        m = FOOTER.search(content)
        body = content[:m.start()] if m else content
        footers += bool(m) and "公有领域" in content[m.start():]
        blocks = re.split(r"\n[ \t\u3000]*\n", body)            # paragraphs (blank lines)
        for sentence in (s for b in blocks for s in re.findall(r"[^。！？；]+[。！？；]", b)):
            chars = "".join(CJK.findall(t2s(sentence)))
            if len(chars) >= 10:
                checked += 1
                if chars not in clean:
                    lost.append((rec["title"], sentence[:40]))
    assert lost == [] and checked > 20_000 and footers >= 60


def test_traditional_characters_are_converted(raw, everything, t2s):
    """1954 is mostly Traditional (我們...會議, 劉少奇同志\\n關於憲法草案的報告\\n並進行),
    1957 partly (第四次會議上, 閉幕); every cleaned text is Simplified throughout."""
    assert "我們第一届全國人民代表大會第一次會議" in raw_record(
        raw, "1954年中华人民共和国国务院政府工作报告")["content"].replace("\n", "")
    assert everything.loc["wr1954", "text"].startswith(
        "各位代表：\n我们第一届全国人民代表大会第一次会议，在听了刘少奇同志关于宪法草案的报告并进行了")
    assert "会議閉幕" in raw_record(raw, "1957年中华人民共和国国务院政府工作报告")["content"]
    assert "从第一届全国人民代表大会第三次会议闭幕以来" in everything.loc["wr1957", "text"]
    assert [d for d, text in everything["text"].items() if t2s(text) != text] == []


def test_digits_widths_and_spaces(raw, everything):
    """Full-width digits (１９９６年) and letter-spaced ones (1 9 9 3 年3 月, 1 7 个) are
    plain digits; ideographic-space indentation and zero-width characters are gone."""
    r1997 = raw_record(raw, "1997年中华人民共和国国务院政府工作报告")["content"]
    assert "一、１９９６年国内工作的回顾" in r1997
    assert "\n一、1996年国内工作的回顾\n" in everything.loc["wr1997", "text"]
    r1998 = raw_record(raw, "1998年中华人民共和国国务院政府工作报告")["content"]
    assert "本届政府从1 9 9 3 年3 月就职" in r1998 and "加入1 7 个国际人权公约" in r1998
    assert "本届政府从1993年3月就职" in everything.loc["wr1998", "text"]
    assert "已经加入17个国际人权公约" in everything.loc["wr1998", "text"]
    text = "\n".join(everything["text"])
    assert re.search(r"[０-９Ａ-Ｚａ-ｚ]", text) is None
    assert re.search(r"\d \d", text) is None
    assert re.search("[\u200b\u200c\u200d\u2060\ufeff\u3000\t]", text) is None
    assert all(line == line.strip() and line for line in text.split("\n"))


def test_lines_broken_by_the_wiki_are_joined(raw, everything):
    """A link or a zero-width line inside a sentence (所作的\\n政府工作报告\\n。, 期\\n\\u200b\\n待)
    does not break it; the title block (政府工作报\\n告, ——date, speaker) leaves the text."""
    res = raw_record(raw, "第十四届全国人民代表大会第三次会议关于政府工作报告的决议")["content"]
    assert "国务院总理李强所作的\n政府工作报告\n。会议" in res
    assert everything.loc["res2025", "text"].startswith(
        "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的政府工作报告。会议")
    r2017 = raw_record(raw, "2017年中华人民共和国国务院政府工作报告")["content"]
    assert "期\n\u200b\n待迫切" in r2017 and r2017.lstrip("\u200b\n").startswith("政府工作报\n告")
    assert "对群众反映强烈、期待迫切的问题" in everything.loc["wr2017", "text"]
    reports = everything[everything["kind"] == "report"]
    starts = reports["text"].str.startswith("各位代表")
    assert list(reports.index[~starts]) == ["wr1964"]             # the summary: 五年来，...
    assert not everything["text"].str.contains("政府工作报告\n|本作品|Public domain|字库").any()


def test_dates_and_speakers_from_the_title_blocks(everything):
    """Date of delivery only where the text gives it (——2021年3月5日在第十三届...上; the
    resolutions' （...通过）); the speaker named there agrees with the record of office."""
    dated = everything["date"].dropna()
    assert dated.to_dict() == {
        "wr1957": "1957-06-26", "wr2017": "2017-03-05", "res2020": "2020-05-28",
        "wr2021": "2021-03-05", "res2021": "2021-03-11", "wr2022": "2022-03-05",
        "res2022": "2022-03-11", "wr2023": "2023-03-05", "res2023": "2023-03-13",
        "wr2024": "2024-03-05"}
    assert everything.loc[["wr1957", "wr2021", "wr2023", "wr2024"], "speaker"].tolist() == \
        ["周恩来", "李克强", "李克强", "李强"]


def test_speakers_and_sessions_agree_with_the_texts(build, everything):
    """Each resolution names who delivered the report (国务院总理李克强所作, 周恩来总理代表
    国务院所作): the same person as the table of office holders for that year; and a
    report that names its session in its first sentences names the recorded one."""
    for doc_id, row in everything[everything["kind"] == "resolution"].iterrows():
        first = row["text"].split("\n")[0]
        m = re.search(r"(?:国务院总理)?([\u4e00-\u9fff]{2,3}?)(?:总理)?(?:代表国务院)?所作", first)
        assert m.group(1) == build.SESSIONS[row["year"]][2], doc_id
        m = re.match(build._SESSION.pattern, first)
        assert (build.chinese_number(m.group(1)), build.chinese_number(m.group(2))) == \
            (row["congress"], row["session"]), doc_id
    named = 0
    for doc_id, row in everything[everything["kind"] == "report"].iterrows():
        opening = "".join(row["text"].split("\n")[:2])
        m = re.search(r"向" + build._SESSION.pattern, opening)
        if m:
            named += 1
            assert (build.chinese_number(m.group(1)), build.chinese_number(m.group(2))) == \
                (row["congress"], row["session"]), doc_id
    assert named >= 6
    reports = everything[everything["kind"] == "report"]
    assert reports["speaker"].notna().all()
    assert reports.groupby("speaker").size()["李克强"] == 9   # 2014-2023 without 2020


def test_variant_forms_become_standard_characters(everything):
    """衞生 (1954) is 卫生 and 选擧 is 选举; no character outside GB 2312 is left but 洺
    (洺河, a standard character)."""
    from bri_text.io._files import _gb2312_chars

    gb = set(_gb2312_chars())
    odd = {c for t in everything["text"] for c in t if "\u4e00" <= c <= "\u9fff" and c not in gb}
    assert odd == {"洺"}
    assert "卫生" in everything.loc["wr1954", "text"] and "选举" in everything.loc["wr1954", "text"]
