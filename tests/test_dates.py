"""Dates in Chinese numerals (二〇一九年十二月三十一日), read wherever dates are parsed: metadata
columns, bylines, datelines and adoption notes (bri_text/_dates.py)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import bri_text as bt
from bri_text._dates import _CN_DATE, _iso_value, _parse_date


@pytest.mark.parametrize("text, iso", [
    ("二〇一九年十二月三十一日", "2019-12-31"),   # 〇 U+3007
    ("二○一九年十二月三十一日", "2019-12-31"),   # ○ U+25CB, as many typists write it
    ("二零二〇年一月一日", "2020-01-01"),
    ("二O一八年十月十日", "2018-10-10"),          # the letter O
    ("一九九四年十二月二十九日", "1994-12-29"),
    ("一九九四年十二月廿九日", "1994-12-29"),
    ("二〇一九年三月卅一日", "2019-03-31"),
    ("二〇二〇年二月二十九日", "2020-02-29"),     # a leap year
    ("二〇一九年十月二十日", "2019-10-20"),
    ("二〇一九年一月十一号", "2019-01-11"),
    ("2019年十二月三十一日", "2019-12-31"),
    ("2020年8月5日", "2020-08-05"),               # Arabic, as before
])
def test_dates_in_chinese_numerals(text, iso):
    assert _parse_date(text) == iso
    assert re.fullmatch(_CN_DATE, text) or text == "2020年8月5日"


@pytest.mark.parametrize("text", ["二〇一九年二月三十日", "二〇一九年二月二十九日", "二〇一九年四月三十一日",
                                  "二〇一九年十三月一日", "二〇一九年十二月三十二日", "二〇一九年零月一日",
                                  "十二月三十一日", "二〇一九年"])
def test_invalid_or_partial_dates_in_chinese_numerals_are_none(text):
    assert _parse_date(text) is None


def test_the_dates_the_work_reports_write_in_chinese_numerals():
    # the 1950s-1970s reports write dates in Chinese numerals, inside their sentences
    docs = bt.load_work_reports().docs.set_index("doc_id")
    found = {m.group() for d in ("wr1954", "wr1964", "wr1978")
             for m in re.finditer(_CN_DATE, docs.loc[d, "text"])}
    assert {"一九四九年十月一日", "一九六四年十月十六日", "一九七六年十月六日"} <= found
    assert [_parse_date(d) for d in ("一九四九年十月一日", "一九六四年十月十六日", "一九七六年十月六日")] == [
        "1949-10-01", "1964-10-16", "1976-10-06"]
    assert all(_parse_date(d) for d in found)


def test_a_metadata_column_in_chinese_numerals():
    assert [_iso_value(v) for v in ("二〇一九年", "二〇一九年十二月", "二〇一九年十二月三十一日")] == [
        "2019", "2019-12", "2019-12-31"]
    df = pd.DataFrame({"成文日期": ["二〇一九年十二月三十一日", "一九九四年十二月二十九日", "2020年8月5日"],
                       "text": ["甲。", "乙。", "丙。"]})
    c = bt.Corpus.from_dataframe(df)
    assert c.docs["date"].tolist() == ["2019-12-31", "1994-12-29", "2020-08-05"]
    assert c.docs["year"].tolist() == [2019, 1994, 2020]
    # an impossible date is no date: warned about, its document undated
    df.loc[0, "成文日期"] = "二〇一九年二月三十日"
    with pytest.warns(UserWarning, match="1 of 3 value"):
        c = bt.Corpus.from_dataframe(df, date="成文日期")
    assert c.docs["date"].tolist() == [None, "1994-12-29", "2020-08-05"]


def test_bylines_datelines_and_adoption_notes_in_chinese_numerals():
    from bri_text.io._files import _text_metadata

    body = "会议强调，要扎实推进各项工作。"
    meta = _text_metadata(f"宁夏召开会议部署工作\n发布时间：二〇一九年十二月三十一日\n{body}")
    assert (meta["date"], meta["date_source"]) == ("2019-12-31", "byline")
    meta = _text_metadata("政府工作报告\n——一九五七年六月二十六日在第一届全国人民代表大会第四次会议上\n"
                          "周恩来\n各位代表：\n" + body)
    assert (meta["date"], meta["date_source"], meta["author"]) == ("1957-06-26", "dateline", "周恩来")
    note = "（一九九四年十二月二十九日第八届全国人民代表大会常务委员会第十一次会议通过）"
    meta = _text_metadata(f"中华人民共和国监狱法\n{note}\n第一章 总则\n第一条 为了正确执行刑罚，制定本法。")
    assert (meta["date"], meta["date_source"]) == ("1994-12-29", "adopted")
    # an impossible date dates nothing
    assert "date" not in _text_metadata(f"中华人民共和国监狱法\n{note.replace('二十九', '三十二')}\n"
                                        "第一条 为了正确执行刑罚，制定本法。")
