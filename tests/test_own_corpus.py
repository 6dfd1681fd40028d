"""A researcher's own corpus read as it comes (issue 29 §3, issue 30): spreadsheets with
sheets and columns of any names, date columns, saved web pages with tables, breadcrumbs
and photo credits, duplicates, typos in subset, dates over time.

Fixtures are own wording: tables built here in ``tmp_path``; the two saved pages are
``tests/data/web_framework_table.txt`` and ``tests/data/web_report_breadcrumb.txt``.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt
from bri_text.errors import InputError, MetadataError, ParameterError

DATA = Path(__file__).parent / "data"

#: own-wording policy texts (digital economy), two paragraphs each
NATIONAL = [
    "加快数字经济发展，推动数字技术和实体经济深度融合。\n建设全国一体化算力网络，统筹布局数据中心。",
    "推进工业互联网创新发展，培育一批工业互联网平台。\n加强数据安全保护，完善数据分类分级制度。",
    "发展数字政府，推进政务服务一网通办。\n加快建设数字乡村，缩小城乡数字鸿沟。",
]
LOCAL = [
    "本省加快建设数据中心集群，打造算力枢纽节点。\n推动数字经济核心产业增加值持续增长。",
    "本市推进智能制造，建设一批数字化车间和智能工厂。\n支持中小企业上云用数赋智。",
]


def _workbook(path: Path) -> Path:
    """Two sheets as a researcher's spreadsheet has them: columns ``No.``,
    ``Release Time`` (datetimes in one sheet, Chinese dates in the other),
    ``Policy Title``, ``Policy Content``; and an empty notes sheet."""
    national = pd.DataFrame({
        "No.": [1, 2, 3],
        "Release Time": pd.to_datetime(["2021-03-08", "2022-11-30", "2023-06-01"]),
        "Policy Title": ["数字经济规划", "工业互联网行动", "数字政府意见"],
        "Policy Content": NATIONAL})
    local = pd.DataFrame({
        "No.": [1, 2],
        "Release Time": ["2022年5月6日", "2024/1/15"],
        "Policy Title": ["算力枢纽方案", "智能制造计划"],
        "Policy Content": LOCAL})
    with pd.ExcelWriter(path) as w:
        national.to_excel(w, sheet_name="国家政策", index=False)
        local.to_excel(w, sheet_name="地方政策", index=False)
        pd.DataFrame().to_excel(w, sheet_name="说明", index=False)
    return path


# ---------------------------------------------------------------------- 1. Excel
def test_read_excel_all_sheets_into_one_corpus_with_sheet_and_dates(tmp_path):
    book = _workbook(tmp_path / "policies.xlsx")
    with pytest.warns(UserWarning, match="sheet '说明' is empty; skipped"):
        c = bt.read_excel(book, text="Policy Content")
    assert len(c) == 5
    assert c.docs["sheet"].tolist() == ["国家政策"] * 3 + ["地方政策"] * 2
    assert c.docs["date"].tolist() == ["2021-03-08", "2022-11-30", "2023-06-01",
                                       "2022-05-06", "2024-01-15"]
    assert c.docs["year"].tolist() == [2021, 2022, 2023, 2022, 2024]
    assert c.docs["Release Time"].iloc[3] == "2022年5月6日"  # the user's column is kept
    assert "Release Time" in c.derived["date"] and c.derived["year"] == "from date"
    assert c.docs.set_index("Policy Title").loc["算力枢纽方案", "text"] == LOCAL[0]


def test_read_excel_one_sheet_by_name_or_index(tmp_path):
    book = _workbook(tmp_path / "policies.xlsx")
    by_name = bt.read_excel(book, sheet_name="地方政策", text="Policy Content")
    by_index = bt.read_excel(book, sheet_name=1, text="Policy Content")
    assert by_name.docs["Policy Title"].tolist() == ["算力枢纽方案", "智能制造计划"]
    assert by_name.docs.equals(by_index.docs)
    assert "sheet" not in by_name.docs.columns  # one sheet: no sheet column


def test_read_excel_errors_name_the_file_and_what_is_there(tmp_path):
    book = _workbook(tmp_path / "policies.xlsx")
    with pytest.raises(InputError, match=r"no sheet '地方'.*'国家政策', '地方政策', '说明'.*"
                                         r"did you mean \['地方政策'\]"):
        bt.read_excel(book, sheet_name="地方", text="Policy Content")
    with pytest.raises(InputError, match="no sheet number 5"):
        bt.read_excel(book, sheet_name=5, text="Policy Content")
    with pytest.raises(MetadataError, match=r"policies.xlsx, sheet '国家政策': text column "
                                            r"'text' not found.*'Policy Content'"):
        bt.read_excel(book)
    with pytest.raises(InputError, match="sheet '说明': the sheet is empty"):
        bt.read_excel(book, sheet_name="说明", text="Policy Content")
    fake = tmp_path / "notes.xlsx"
    fake.write_text("这不是电子表格。", encoding="utf-8")
    with pytest.raises(InputError, match="notes.xlsx: not an Excel workbook"):
        bt.read_excel(fake)
    with pytest.raises(InputError, match="no such file"):
        bt.read_excel(tmp_path / "missing.xlsx")
    with pytest.raises(MetadataError, match=r"column 'No.' has duplicate values \['1', '2'\].*"
                                            "numbers restart in each sheet"):
        bt.read_excel(book, text="Policy Content", doc_id="No.")


# ---------------------------------------------------------------------- 2. column names
ODD_COLUMNS = {"No.": [1, 2, 3, 4, 5], "Release Time": ["2021-03-08", "2022-11-30",
                                                      "2023-06-01", "2022-05-06", "2024-01-15"],
               "1级 分类": ["国家", "国家", "国家", "地方", "地方"],
               "Policy Title": ["甲", "乙", "丙", "丁", "戊"]}


def test_columns_of_any_name_go_through_the_whole_pipeline(tmp_path):
    table = tmp_path / "export.csv"
    pd.DataFrame({**ODD_COLUMNS, "政策 内容": NATIONAL + LOCAL}).to_csv(
        table, index=False, encoding="utf-8-sig")
    c = bt.read_csv(table, text="政策 内容")
    first = next(iter(c))
    assert first.meta["No."] == 1 and first.meta["1级 分类"] == "国家"
    paragraphs = c.reshape("paragraph")  # raised KeyError: 'No.' before 0.3.1
    assert len(paragraphs) == 10
    assert paragraphs.docs.loc[9, ["parent_id", "No.", "Release Time"]].tolist() == \
        ["doc4", 5, "2024-01-15"]
    tokens = bt.tokenize(paragraphs)
    m = bt.dtm(tokens)
    key = bt.keyness(m, by="1级 分类", n_boot=0)
    assert set(key["group"]) == {"国家", "地方"}
    top_local = key[key["group"] == "地方"].sort_values("score", ascending=False)["term"]
    first = top_local.iloc[0]  # a term of the local documents only
    assert any(first in t for t in LOCAL) and not any(first in t for t in NATIONAL)
    prof = bt.profile(tokens, by="1级 分类")
    assert set(prof["group"]) == {"国家", "地方"}
    assert bt.term_trends(tokens, "数据中心", by="Release Time", n_boot=0)[
        "group"].tolist() == [2021, 2022, 2023, 2024]


# ---------------------------------------------------------------------- 3. dates
def test_date_columns_are_recognised_by_name_or_named():
    df = pd.DataFrame({"发文日期": ["2021年3月8日", "2022.11.30"], "text": LOCAL})
    c = bt.Corpus.from_dataframe(df)
    assert c.docs[["date", "year"]].values.tolist() == [["2021-03-08", 2021],
                                                         ["2022-11-30", 2022]]
    named = bt.Corpus.from_dataframe(df.rename(columns={"发文日期": "签发"}), date="签发")
    assert named.docs["date"].tolist() == ["2021-03-08", "2022-11-30"]
    with pytest.raises(MetadataError, match="date column 'when' not found.*'签发'"):
        bt.Corpus.from_dataframe(df.rename(columns={"发文日期": "签发"}), date="when")


def test_dates_never_overwrite_a_users_column_silently():
    # the table's own year stays (a fiscal year, say); date is still derived
    df = pd.DataFrame({"publish_date": ["2021-12-30", "2022-01-02"], "year": [2022, 2022],
                       "text": LOCAL})
    c = bt.Corpus.from_dataframe(df)
    assert c.docs["year"].tolist() == [2022, 2022]
    assert c.docs["date"].tolist() == ["2021-12-30", "2022-01-02"]
    assert "year" not in c.derived
    # a date column and another named by date=: refused, not overwritten
    both = df.assign(date=["甲", "乙"])
    with pytest.raises(MetadataError, match="has one already"):
        bt.Corpus.from_dataframe(both, date="publish_date")
    # a date column with values that are no date: left as it is, with a warning
    with pytest.warns(UserWarning, match=r"1 value\(s\) of the 'date' column are no date"):
        kept = bt.Corpus.from_dataframe(pd.DataFrame({"date": ["2021-12-30", "待定"],
                                                      "text": LOCAL}))
    assert kept.docs["date"].tolist() == ["2021-12-30", "待定"] and "year" not in kept.docs
    # a column with a date-like name whose values are no dates is not taken for dates
    c = bt.Corpus.from_dataframe(pd.DataFrame({"时间": ["上午", "下午"], "text": LOCAL}))
    assert "date" not in c.docs.columns and c.derived == {}


def test_built_in_corpus_dates_unchanged():
    c = bt.load_bri_policies()
    again = bt.Corpus.from_dataframe(c.docs)
    assert again.derived == {}
    assert again.docs["date"].tolist() == c.docs["date"].tolist()


# ---------------------------------------------------------------------- 4. time grids
def _dated_tokens():
    df = pd.DataFrame({"text": NATIONAL + LOCAL, "when": pd.to_datetime(
        ["2019-03-08 09:30", "2019-11-30", "2021-06-01", "2021-05-06", "2022-01-15"],
        format="ISO8601")})
    return bt.tokenize(bt.Corpus.from_dataframe(df, date=None))


def test_term_trends_bins_a_datetime_column_and_fills_years():
    tr = bt.term_trends(_dated_tokens(), "数据中心", by="when", n_boot=0)
    assert tr["group"].tolist() == [2019, 2020, 2021, 2022]
    assert tr["n_docs"].tolist() == [2, 0, 2, 1]
    assert tr.attrs["freq"] == "year"
    q = bt.term_trends(_dated_tokens(), "数据中心", by="when", n_boot=0, freq="quarter")
    assert q["group"].iloc[0] == "2019Q1" and q["group"].iloc[-1] == "2022Q1"
    assert len(q) == 13  # every quarter from 2019Q1 to 2022Q1
    assert q.set_index("group").loc["2019Q4", "n_docs"] == 1


def test_every_filled_grid_is_bounded():
    df = pd.DataFrame({"text": NATIONAL[:2], "year": [1, 2021]})  # a typo: year 1
    tokens = bt.tokenize(bt.Corpus.from_dataframe(df))
    with pytest.raises(ParameterError, match="2,021 year periods to fill.*bin the dates"):
        bt.term_trends(tokens, "数据", n_boot=0)
    assert len(bt.term_trends(tokens, "数据", n_boot=0, fill_years=False)) == 2
    with pytest.raises(ParameterError, match="freq must be one of"):
        bt.term_trends(_dated_tokens(), "数据", by="when", freq="week")
    with pytest.raises(ParameterError, match="freq='month' bins a date column"):
        bt.term_trends(tokens, "数据", by="year", freq="month", n_boot=0)


# ---------------------------------------------------------------------- 5. cleaning
def test_a_documents_table_of_short_cells_survives_cleaning_and_chrome_goes():
    page = DATA / "web_framework_table.txt"
    c = bt.read_files([page])
    text = c.texts[0]
    cells = ["A基础共性", "AA术语定义", "AE评价", "B关键技术", "CFA设备远程运维", "CFB预测性维护",
             "工业互联网", "附表", "序号", "标准名称", "状态", "1", "数据字典", "在研", "已发布"]
    lines = text.split("\n")
    assert [cell for cell in cells if cell not in lines] == []
    removed = c.removed["text"].tolist()
    for chrome in ["首页 > 政策文件 > 数字经济", "打印", "分享到：", "微信",
                   "扫一扫在手机打开当前页", "主办：某省工业和信息化厅", "网站标识码：1234000001"]:
        assert chrome in removed and chrome not in lines
    assert c.docs.loc[0, "title"] == "工业数字化转型标准体系建设指南（示例）"
    assert c.docs.loc[0, "date"] == "2026-01-28"  # from 发布时间：2026-01-28 10:00
    assert not any(line.startswith("发布时间") for line in lines)


def test_breadcrumb_timestamp_and_photo_credits_are_metadata_not_text():
    c = bt.read_files([DATA / "web_report_breadcrumb.txt"])
    meta = c.docs.iloc[0]
    assert meta["title"] == "某自治区2026年政府工作报告摘要"  # the breadcrumb is skipped
    assert (meta["date"], meta["source"]) == ("2026-02-07", "某自治区人民政府网")
    lines = c.texts[0].split("\n")
    assert lines[0] == "某自治区2026年政府工作报告摘要"
    assert "图为新建成的数据中心机房。" in lines  # the caption stays, its credit goes
    assert not [line for line in lines if "摄" in line or "位置" in line or "时间" in line]
    removed = c.removed.groupby("step")["text"].apply(list)
    assert {"记者 王五 摄", "本报记者 张三 摄", "（新华社记者 李四 摄）"} <= set(
        removed["remove_bylines"])
    assert "您的位置: 首页 > 政务信息 > 宁夏要闻" in removed["remove_web_boilerplate"]
    assert len(lines) == 6  # title and five sentences


@pytest.mark.parametrize("line", ["当前位置： 政务信息 / 宁夏要闻", "位置：首页 > 要闻",
                                  "您的位置: 首页 > 政务信息 > 宁夏要闻"])
def test_breadcrumbs_go_and_the_title_follows(line):
    from bri_text.io._files import _text_metadata

    text = f"{line}\n宁夏召开会议部署工作\n发布时间：2026-01-28 10:00\n会议强调，要扎实推进各项工作。"
    assert bt.clean(text).split("\n")[0] == "宁夏召开会议部署工作"
    assert _text_metadata(text) == {"title": "宁夏召开会议部署工作", "date": "2026-01-28",
                                    "year": 2026, "date_source": "byline",
                                    "date_posted": "2026-01-28"}


def test_words_like_credits_inside_sentences_stay():
    for sentence in ["他用相机拍摄了沿线风貌。", "地理位置：位于宁夏北部，交通便利。",
                     "本报记者 张三 报道：会议在银川召开。"]:
        assert bt.clean(sentence) == sentence


# ---------------------------------------------------------------------- 6. duplicates
def test_duplicates_exact_and_near_and_drop_them(tmp_path):
    reports = bt.load_work_reports().texts[:3]
    near = reports[1][:3000].replace("发展", "发达", 3)  # three words changed in 3,000
    texts = [reports[0][:3000], reports[1][:3000], reports[0][:3000], near, reports[2][:3000]]
    table = tmp_path / "with_copies.csv"
    pd.DataFrame({"编号": list("abcde"), "text": texts}).to_csv(table, index=False)
    with pytest.warns(UserWarning, match=r"1 document\(s\) repeat another one word for "
                                         r"word \(c = a\).*corpus.drop_duplicates\(\)"):
        c = bt.read_csv(table, doc_id="编号", clean=False)
    d = c.duplicates(threshold=0.9)
    assert d[["doc_id", "duplicate_of", "kind"]].values.tolist() == [
        ["c", "a", "exact"], ["d", "b", "near"]]
    assert d["similarity"].iloc[0] == 1.0 and 0.9 <= d["similarity"].iloc[1] < 1.0
    assert c.duplicates(threshold=None)["doc_id"].tolist() == ["c"]
    with pytest.warns(UserWarning, match="dropped 1 repeated"):
        kept = c.drop_duplicates(threshold=None)  # exact copies only
    assert kept.doc_ids == ["a", "b", "d", "e"]
    assert kept.dropped.values.tolist() == [["c", "duplicate of a (exact)"]]
    with pytest.warns(UserWarning, match="dropped 2 repeated"):
        assert c.drop_duplicates(threshold=0.9).doc_ids == ["a", "b", "e"]
    with pytest.warns(UserWarning, match="dropped 2 repeated"):  # the default: as duplicates()
        default = c.drop_duplicates()
    assert default.doc_ids == ["a", "b", "e"]
    assert default.dropped.values.tolist() == [["c", "duplicate of a (exact)"],
                                               ["d", "duplicate of b (near)"]]
    with pytest.raises(ParameterError, match="threshold"):
        c.duplicates(threshold=1.5)


def test_a_dropped_copy_with_another_date_or_title_is_named_and_counted():
    """Session 45: drop_duplicates said nothing when a dropped copy had another date or
    title than the kept document, though the same text under another date may be a
    reissue. The People's Bank notice bri02 (2018-01-06) posted again dated 2019-03-01,
    and the standards notice bri05 posted again under a shorter title, beside a plain
    copy of bri01: the three copies are dropped (the originals have the most metadata),
    the two that differ say how in .dropped, and the warning counts them (2 of 3)."""
    docs = bt.load_bri_policies().docs.set_index("doc_id").loc[["bri01", "bri02", "bri05"]]
    docs = docs.reset_index()[["doc_id", "text", "title", "date", "region"]]
    copies = docs.assign(doc_id=docs["doc_id"] + "_repost", region=None)
    copies.loc[1, "date"] = "2019-03-01"                      # reissued a year later
    copies.loc[2, "title"] = "外商投资企业参与我国标准化工作的指导意见"
    c = bt.Corpus.from_dataframe(pd.concat([docs, copies], ignore_index=True),
                                 doc_id="doc_id")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept = c.drop_duplicates()
    said = [str(w.message) for w in caught if "drop_duplicates" in str(w.message)]
    assert kept.doc_ids == ["bri01", "bri02", "bri05"]
    title = docs.set_index("doc_id").at["bri05", "title"]
    assert kept.dropped.values.tolist() == [
        ["bri01_repost", "duplicate of bri01 (exact)"],
        ["bri02_repost", "duplicate of bri02 (exact); another date: 2019-03-01 "
                         "(bri02: 2018-01-06)"],
        ["bri05_repost", "duplicate of bri05 (exact); another title: "
                         f"外商投资企业参与我国标准化工作的指导意见 (bri05: {title})"]]
    assert len(said) == 1
    assert ("dropped 3 repeated document(s): ['bri01_repost', 'bri02_repost', "
            "'bri05_repost'] (listed in .dropped); 2 of them have another title or date "
            "than the document kept (bri02_repost: another date: 2019-03-01 (bri02: "
            "2018-01-06) ...): the same text under another date or title may be a "
            "reissue") in said[0]


def test_near_duplicates_none_among_distinct_built_in_documents_planted_copies_found():
    """Near copies (threshold 0.7, benchmarks/bench_duplicates.py): no two of the built-in
    documents are called copies -- not the 27 Belt and Road documents, not the 52 work
    reports, not the 20 NPC resolutions (yearly, formulaic: the closest two share less than
    half their shingles) -- while a plan republished with half-width punctuation, re-spaced,
    or with another byline, an attachment line and 10 characters changed is found."""
    bri, reports = bt.load_bri_policies(), bt.load_work_reports()
    resolutions = bt.load_work_reports("resolution")
    for c in (bri, reports, resolutions):
        assert c.duplicates().empty, c.name
    closest = resolutions.duplicates(threshold=0.3)
    assert 0.3 <= closest["similarity"].max() < 0.5
    plan = bri.subset(doc_id="bri23").texts[0]           # 甘肃省参与“一带一路”建设实施方案
    han = [i for i, ch in enumerate(plan) if "\u4e00" <= ch <= "\u9fff"]
    edited = list(plan)
    for i in han[100::200][:10]:                          # 10 characters, spread out
        edited[i] = "某"
    copies = pd.DataFrame({"doc_id": ["plan", "half", "spaced", "edited", "other"], "text": [
        plan, plan.replace("，", ",").replace("：", ":").replace("；", ";"),
        plan.replace("\n", "\n\n　　").replace("。", "。 "),
        "来源：中国一带一路网　作者：编辑\n" + "".join(edited) + "\n附件：重点任务分工表",
        bri.subset(doc_id="bri27").texts[0]]})
    found = bt.Corpus.from_dataframe(copies).duplicates()
    assert found[["doc_id", "duplicate_of", "kind"]].values.tolist() == [
        ["half", "plan", "near"], ["spaced", "plan", "exact"], ["edited", "plan", "near"]]
    assert found["similarity"].tolist()[:2] == [1.0, 1.0]  # punctuation and spacing aside
    assert 0.7 <= found["similarity"].iloc[2] < 1.0


# ---------------------------------------------------------------------- 7. subset
def test_subset_on_a_value_not_in_the_column_names_what_is_there():
    c = bt.load_bri_policies()
    with pytest.raises(MetadataError, match=r"no unit has level='provinical'; did you mean "
                                            r"\['provincial'\]\? Values of 'level': "
                                            r"\['municipal', 'national', 'provincial'\]"):
        c.subset(level="provinical")
    # a province's short name, as the report's --compare takes it (audit41): difflib finds
    # nothing so short, the start of the full name does
    prov = bt.read_csv(Path(__file__).parent / "data" / "provincial_reports_2026.csv")
    with pytest.raises(MetadataError, match=r"no unit has province='广西'; did you mean "
                                            r"\['广西壮族自治区'\]\?"):
        prov.subset(province="广西")
    tokens = bt.tokenize(c.subset(region=["广西", "甘肃"]))
    with pytest.raises(MetadataError, match="did you mean"):
        tokens.subset(region="广 西")
    with pytest.raises(MetadataError, match="no unit has region"):
        bt.dtm(tokens).subset(region="河南")
    with pytest.warns(UserWarning, match=r"region values \['西藏'\] occur in no unit"):
        assert len(c.subset(region=["广西", "西藏"])) == 1


# ---------------------------------------------------------------------- the report
def test_report_reads_a_spreadsheet_with_odd_column_names(tmp_path):
    book = _workbook(tmp_path / "policies.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from bri_text.report import report

        r = report(["国家政策", "地方政策"], out=tmp_path / "out", corpus=book,
                      by="sheet", n_topics=0, n_boot=0, text_column="Policy Content",
                      progress=False)
    assert (tmp_path / "out" / "index.html").is_file()
    assert r.manifest["corpus"]["n_documents"] == 5


# ---------------------------------------------------------------------- a column of years
def _reports_table() -> pd.DataFrame:
    """The built-in work reports as a researcher's spreadsheet has them: 标题, 年份 (every
    report), 发布时间 (only where the source states the day of delivery), 正文."""
    docs = bt.load_work_reports().docs
    return pd.DataFrame({"编号": docs["doc_id"], "标题": docs["title"],
                         "年份": docs["year"].astype(int), "发布时间": docs["date"],
                         "正文": docs["text"]})


def test_a_column_of_years_dates_the_documents(tmp_path):
    table = _reports_table()
    n_days = int(table["发布时间"].notna().sum())
    assert 0 < n_days < len(table) == 52
    path = tmp_path / "reports.csv"
    table.to_csv(path, index=False, encoding="utf-8")
    # found by its name: of the two date-like columns, 年份 dates every report
    c = bt.read_csv(path, text="正文", doc_id="编号")
    assert c.derived["date"] == "from column '年份' (52 of 52 documents dated)"
    assert c.docs.set_index("doc_id").loc["wr1978", "year"] == 1978
    assert c.docs["year"].tolist() == table["年份"].tolist()
    assert c.docs.set_index("doc_id").loc["wr1954", "date"] == "1954"
    # named: the same from date="年份" (integers in the file), and 1981 is when 对外开放
    # first occurs, as on the built-in corpus
    named = bt.read_csv(path, text="正文", doc_id="编号", date="年份")
    assert named.docs["year"].tolist() == c.docs["year"].tolist()
    trends = bt.term_trends(bt.tokenize(named), ["对外开放"], n_boot=0)
    assert int(trends["first_seen"].iloc[0]) == 1981


def test_a_partly_empty_date_column_says_how_many_documents_it_leaves_undated(tmp_path):
    table = _reports_table()
    n_days = int(table["发布时间"].notna().sum())
    with pytest.warns(UserWarning, match=rf"{52 - n_days} of 52 documents have no year "
                                         rf"\(column '发布时间' dates {n_days}\).*date="):
        c = bt.Corpus.from_dataframe(table, text="正文", doc_id="编号", date="发布时间")
    assert c.derived["date"] == f"from column '发布时间' ({n_days} of 52 documents dated)"
    assert int(c.docs["year"].notna().sum()) == n_days
    # analyses by year name the fix that fits a year, not a value for national documents
    with pytest.warns(UserWarning, match=r"have no value in 'year'.*date=\.\.\.") as caught:
        bt.term_trends(bt.tokenize(c), ["对外开放"], n_boot=0)
    assert not any("全国" in str(w.message) for w in caught)


def test_the_report_takes_the_date_column_it_is_given():
    from bri_text.report._inputs import _date_note, _with_dates

    table = _reports_table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = bt.Corpus.from_dataframe(table, text="正文", doc_id="编号", date="发布时间")
    dated, col = _with_dates(c, "年份")          # --date-column 年份
    assert col == "date" and dated.docs["year"].notna().all()
    assert dated.docs.set_index("doc_id").loc["wr1958", "year"] == 1958
    assert "“年份”, named with --date-column" in _date_note(dated, "reports.csv", col)
    found, _ = _with_dates(c, None)             # what reading found stays
    assert int(found.docs["year"].notna().sum()) == int(table["发布时间"].notna().sum())


def test_excel_texts_cut_at_the_cell_limit_are_named(tmp_path):
    long_text = "\n".join(NATIONAL * 700)            # about 40,000 characters
    assert len(long_text) > 32767
    book = tmp_path / "long.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")             # pandas' own note that it cuts the cell
        pd.DataFrame({"标题": ["短", "长"], "正文": [LOCAL[0], long_text]}).to_excel(
            book, index=False)
    with pytest.warns(UserWarning, match=r"1 text\(s\) have exactly 32,767 characters.*"
                                         r"\(rows \[3\]\)"):
        c = bt.read_excel(book, text="正文", clean=False)
    assert c.docs["text"].str.len().tolist() == [len(LOCAL[0]), 32767]


def test_a_missing_text_column_names_the_column_of_long_texts(tmp_path):
    path = tmp_path / "policies.csv"
    pd.DataFrame({"编号": [1, 2], "标题": ["数字经济规划", "算力方案"],
                  "正文": NATIONAL[:2]}).to_csv(path, index=False)
    with pytest.raises(MetadataError, match=r"text='正文' \(on the command line: "
                                            r"--text-column 正文\)"):
        bt.read_csv(path)


def test_a_workbook_with_an_empty_row_counts_the_documents_it_keeps(tmp_path):
    """Session 44 (audit44): national work reports kept in a workbook with Chinese column
    names (标题, 年份 as "2019年", 正文) and an empty row. The empty row is dropped, and it
    was also counted as an undated document ("1 of 4 documents have no year", derived "3 of
    4 documents dated") of a corpus of 3, all dated; the warnings said "from_dataframe"
    instead of the file and sheet."""
    reports = bt.load_work_reports().docs.set_index("doc_id")
    rows = [{"标题": reports.loc[d, "title"], "年份": f"{reports.loc[d, 'year']}年",
             "正文": reports.loc[d, "text"]} for d in ("wr2019", "wr2021")]
    sheet = pd.DataFrame(rows[:1] + [{"标题": None, "年份": None, "正文": None}] + rows[1:]
                         + [{"标题": "2022年政府工作报告（附件）", "年份": "2022年", "正文": " "}])
    sheet.insert(0, "序号", range(1, 5))      # the empty row keeps its number
    path = tmp_path / "报告.xlsx"
    sheet.to_excel(path, sheet_name="国务院", index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = bt.read_excel(path, text="正文")
    said = [str(w.message) for w in caught]
    assert corpus.docs[["doc_id", "year"]].values.tolist() == [["doc0", 2019], ["doc2", 2021]]
    assert corpus.derived["date"] == "from column '年份' (2 of 2 documents dated)"
    assert not [m for m in said if "have no year" in m]
    assert f"{path}, sheet '国务院': dropped 2 empty document(s) (empty text): " \
        "['doc1', 'doc3']" in said
    assert corpus.dropped["doc_id"].tolist() == ["doc1", "doc3"]
    assert not [m for m in said if m.startswith("from_dataframe")]
