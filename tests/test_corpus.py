"""Corpus construction, subsetting and reshaping (documents, paragraphs, sentences, sections)."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

import bri_text as bt
from bri_text import Corpus
from bri_text.errors import EmptyDocumentError, MetadataError, ParameterError
from support import DATA, raw_reports_with_title_block


def test_from_dataframe_and_errors():
    df = pd.DataFrame({"body": ["推进合作。", "  ", "深化交流。"], "id": ["a", "b", "c"]})
    with pytest.warns(UserWarning, match="dropped 1 empty"):
        c = Corpus.from_dataframe(df, text="body", doc_id="id")
    assert c.doc_ids == ["a", "c"] and list(c.dropped["doc_id"]) == ["b"]
    with pytest.raises(EmptyDocumentError, match="'b'"):
        Corpus.from_dataframe(df, text="body", doc_id="id", drop_empty=False)
    with pytest.raises(MetadataError, match="text column 'text' not found"):
        Corpus.from_dataframe(df)
    dup = pd.DataFrame({"text": ["甲", "乙"], "id": ["x", "x"]})
    with pytest.raises(MetadataError, match="unique.*'x'"):
        Corpus.from_dataframe(dup, doc_id="id")


def test_builtin_corpus_shape_and_repr(bri_corpus):
    assert len(bri_corpus) == 27
    assert "27 documents" in repr(bri_corpus)
    assert "<table" in bri_corpus._repr_html_()
    for col in ["doc_id", "text", "title", "date", "year", "source", "doc_number", "region",
                "level", "section"]:
        assert col in bri_corpus.docs.columns
    first = next(iter(bri_corpus))
    assert first.doc_id == "bri01" and first.meta["doc_number"] == "国发〔2017〕57号"
    assert bri_corpus["bri18"].meta["region"] == "广西"


def test_subset(bri_corpus):
    assert len(bri_corpus.subset(region=["广西", "甘肃"])) == 2
    assert len(bri_corpus.subset(level="municipal")) == 3
    # issued in 2015: Jiangxi (赣府发〔2015〕), Gansu (as summarised), Hunan (signed 2015年8月19日)
    assert bri_corpus.subset(bri_corpus.docs["year"] == 2015).doc_ids == ["bri14", "bri23",
                                                                          "bri25"]
    with pytest.raises(MetadataError, match="province"):
        bri_corpus.subset(province="广西")


def test_reshape_paragraph_keeps_parent_metadata(bri_corpus):
    gx = bri_corpus.subset(region="广西")
    paras = gx.reshape("paragraph")
    assert len(paras) > 50
    assert set(paras.docs["parent_id"]) == {"bri18"}
    assert (paras.docs["region"] == "广西").all() and (paras.docs["date"] == "2016-10-19").all()
    parent = gx.texts[0]
    for row in paras.docs.itertuples():
        assert parent[row.start:row.end] == row.text
    assert paras.docs["doc_id"].iloc[0] == "bri18#p0"


def test_reshape_sentence(bri_corpus):
    sents = bri_corpus.subset(region="甘肃").reshape("sentence")
    assert len(sents) > len(bri_corpus.subset(region="甘肃").reshape("paragraph"))
    assert all(t.strip() for t in sents.texts)
    # a sentence never ends in the middle of 。
    assert sum(t.endswith(("。", "；")) for t in sents.texts) / len(sents) > 0.5


def test_sections_of_guangxi_plan(bri_corpus):
    s = bri_corpus.subset(region="广西").reshape("section").docs
    paths = s["heading_path"].tolist()
    for heading in ["一、时代背景", "二、建设原则", "三、框架思路", "四、重点合作领域",
                    "五、完善合作机制平台", "六、广西积极行动", "七、共建共享创造美好未来"]:
        assert heading in paths
    key = s[s["heading"] == "四、重点合作领域"].iloc[-1]
    assert "建设面向东盟的国际大通道" in key["text"]
    assert key["heading_level"] == 1


def test_sections_of_gansu_plan(bri_corpus):
    s = bri_corpus.subset(region="甘肃").reshape("section").docs
    headings = s["heading"].tolist()
    for heading in ["一大构想", "六大窗口", "八大节点城市", "三大平台", "五大重点工程"]:
        assert heading in headings
    windows = s[s["heading"] == "六大窗口"].iloc[0]
    assert "中蒙俄经济走廊" in windows["text"]


def test_heading_paths_nest():
    text = "三、重点任务\n（一）政策沟通\n加强对接。\n（二）设施联通\n1. 铁路\n建设中欧班列。\n四、保障措施\n落实。"
    c = Corpus.from_dataframe(pd.DataFrame({"text": [text]}))
    s = c.reshape("section").docs.set_index("heading")
    assert s.loc["1. 铁路", "heading_path"] == "三、重点任务 > （二）设施联通 > 1. 铁路"
    assert s.loc["四、保障措施", "heading_path"] == "四、保障措施"
    assert "建设中欧班列" in s.loc["1. 铁路", "text"]


def test_reshape_bad_unit(bri_corpus):
    with pytest.raises(ParameterError, match="unit must be one of"):
        bri_corpus.reshape("page")
    with pytest.raises(ParameterError, match="already reshaped"):
        bri_corpus.reshape("paragraph").reshape("sentence")


def test_clean_report_and_dropping():
    df = pd.DataFrame({"text": ["<p>２０１５ 年，共建“一带一路”</p>", "<div><script>x</script></div>"]})
    with pytest.warns(UserWarning, match="empty"):
        c = Corpus.from_dataframe(df).clean()
    assert c.texts == ["2015年，共建“一带一路”"]
    assert list(c.dropped["doc_id"]) == ["doc1"]
    rep = c.cleaning_report
    assert set(rep["doc_id"]) == {"doc0", "doc1"}
    assert rep.groupby("doc_id")["chars_removed"].sum()["doc1"] == len(df["text"][1])


from hypothesis import given, settings, strategies as st  # noqa: E402

from bri_text._units import paragraph_bounds, sentence_bounds  # noqa: E402


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list("一带路。！？；\n 　a1”）")), max_size=80) | st.text())
def test_unit_bounds_cover_all_non_space_text(text):
    for bounds in (paragraph_bounds(text), sentence_bounds(text)):
        covered = [False] * len(text)
        last_end = 0
        for s, e in bounds:
            assert last_end <= s < e <= len(text)
            assert text[s:e].strip() == text[s:e]  # no leading/trailing whitespace
            covered[s:e] = [True] * (e - s)
            last_end = e
        # whatever is outside the units is whitespace only: nothing is lost
        assert all(c or text[i].isspace() for i, c in enumerate(covered))


def test_old_reading_methods_are_errors_naming_the_readers(tmp_path):
    """Reading lives in bri_text.io; Corpus.from_folder / from_files, deprecated aliases of
    bt.read_folder / bt.read_files in 0.4.0, were removed in 0.5.0: the error names the
    reader that replaces each, which reads the folder."""
    (tmp_path / "a.txt").write_text("面向东盟。", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"Corpus.from_folder .* removed in 0.5.0: use "
                                             r"bt.read_folder"):
        Corpus.from_folder(tmp_path)
    with pytest.raises(ParameterError, match=r"Corpus.from_files .* use bt.read_files"):
        Corpus.from_files([tmp_path / "a.txt"])
    assert bt.read_folder(tmp_path).texts == ["面向东盟。"]


def test_all_chrome_file_is_dropped_with_the_reason(tmp_path):
    from bri_text import read_folder

    (tmp_path / "chrome.txt").write_text("首页 > 要闻\n下载\n打印\n【字号：大 中 小】\n扫一扫在手机打开当前页\n"
                                         "主办：某某省人民政府办公厅 网站标识码：5300000000", encoding="utf-8")
    (tmp_path / "plan.txt").write_text("推进一带一路建设，深化务实合作。", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"empty after cleaning.*\['chrome'\]"):
        c = read_folder(tmp_path)
    assert c.doc_ids == ["plan"]
    assert c.dropped.set_index("doc_id").loc["chrome", "reason"].startswith("empty after cleaning")
    # what went is listed, so the researcher can see it was all page chrome
    gone = c.removed.query("doc_id == 'chrome'")["text"].tolist()
    assert gone[:3] == ["首页 > 要闻", "下载", "打印"] and "扫一扫在手机打开当前页" in gone


def test_lines_repeated_across_documents_are_removed_and_reported():
    site = "本网站由某某中心维护 未经许可不得复制"
    texts = [f"第{n}份文件\n{site}\n推进第{n}项合作，深化交流。\n各位代表：\n一、总体要求"
             for n in "一二三四"]
    c = Corpus.from_dataframe(pd.DataFrame({"text": texts}))
    out = c.clean()
    # the templated line goes from every document; the shared salutation and heading stay
    assert all(site not in t for t in out.texts)
    assert all("各位代表：" in t and "一、总体要求" in t for t in out.texts)
    rep = out.cleaning_report.query("step == 'remove_repeated_lines'")
    assert rep["lines_removed"].tolist() == [1, 1, 1, 1]
    assert out.removed.query("step == 'remove_repeated_lines'")["text"].nunique() == 1
    # the threshold is a parameter: 5 documents (or 100%) are more than these four have
    assert c.clean(boilerplate_min_df=5).texts == c.clean(boilerplate_min_df=None).texts
    assert site.split()[0] in c.clean(boilerplate_min_df=5).texts[0]
    assert c.clean(boilerplate_min_df=1.0).texts == out.texts
    with pytest.raises(ParameterError, match="boilerplate_min_df must be >= 2"):
        c.clean(boilerplate_min_df=1)
    with pytest.raises(ParameterError, match="boilerplate_min_df must be an int"):
        c.clean(boilerplate_min_df="3")


def test_a_sentence_shared_by_documents_is_never_removed():
    shared = "坚持共商共建共享原则，推动共建一带一路高质量发展。"
    c = Corpus.from_dataframe(pd.DataFrame({"text": [f"文件{n}\n{shared}" for n in range(5)]}))
    assert all(shared in t for t in c.clean(boilerplate_min_df=2).texts)


def test_builtin_corpus_loses_nothing_to_the_corpus_step(bri_corpus):
    # the 27 plans share no templated line: the corpus-level step removes nothing
    assert bri_corpus.clean(keep_apparatus=True).texts == bri_corpus.texts


def test_builtin_corpus_loses_only_its_apparatus_when_recleaned(bri_corpus):
    """The dataset keeps its documents' addressees and signatures (its numbers are
    metadata); cleaning it again removes those lines and nothing else: 35 lines of 12
    documents (benchmarks/CLEAN.md), none a sentence, each text otherwise unchanged."""
    out = bri_corpus.clean()
    gone = out.removed[out.removed["step"] == "remove_document_apparatus"]
    assert set(out.removed["step"]) == {"remove_document_apparatus"}
    assert (len(gone), gone["doc_id"].nunique()) == (35, 12)
    assert not gone["text"].str.contains("[。！？；]").any()
    bri01 = gone[gone["doc_id"] == "bri01"]["text"].tolist()
    assert bri01 == ["各省、自治区、直辖市人民政府，国务院各部委、各直属机构：", "国务院", "2017年12月25日"]
    for doc_id, before, after in zip(bri_corpus.doc_ids, bri_corpus.texts, out.texts):
        lines = gone[gone["doc_id"] == doc_id]["text"].tolist()
        assert after.split("\n") == [line for line in before.split("\n")
                                     if line.strip() not in lines], doc_id


TABLE_PLANS = DATA / "table_plans"
#: the city site's template that the chrome vocabulary does not know (the toolbar,
#: breadcrumb and byline of each page go in the per-document steps)
SITE_CHROME = ["某某市商务局", "机构概况", "政务公开", "政策文件", "通知公告", "图文解读 原文下载",
               "本网站由某某市商务局主办", "未经授权不得转载", "办公地址：某某市人民路8号",
               "联系电话：0000-0000000"]


def _expected(doc_id: str) -> str:
    return (TABLE_PLANS / "expected" / f"{doc_id}.txt").read_text(encoding="utf-8").strip()


def test_table_cells_repeated_across_plans_stay_and_the_site_template_goes():
    c = bt.read_folder(TABLE_PLANS, pattern="*.txt")
    assert c.doc_ids == ["plan_ecommerce", "plan_expo", "plan_services", "plan_trade"]
    # the header cells and the totals row are repeated in all four plans...
    cells = {"序号", "项目", "牵头单位", "完成时限", "合计", "1", "2", "市商务局"}
    assert cells <= bt.cleaning.repeated_lines(bt.read_folder(TABLE_PLANS, pattern="*.txt",
                                                              boilerplate_min_df=None).texts)
    # ...yet every cell stays (one a line, in order) and every chrome line goes
    for doc_id, text in zip(c.doc_ids, c.texts):
        assert text == _expected(doc_id), doc_id
    gone = c.removed.query("step == 'remove_repeated_lines'").groupby("doc_id")["text"]
    assert gone.apply(list).to_dict() == {d: SITE_CHROME for d in c.doc_ids}
    # a table whose last row (市商务局 / 2026年底前, both repeated) runs straight into the
    # footer keeps it: those cells sit among other cells on the other pages
    pages = {p.stem: p.read_text(encoding="utf-8") for p in sorted(TABLE_PLANS.glob("*.txt"))}
    short = _clean_pages({**pages, "plan_services": pages["plan_services"].replace("合计\n4项\n", "")})
    assert short["plan_services"] == _expected("plan_services").replace("\n合计\n4项", "")
    assert short["plan_services"].endswith("举办服务贸易洽谈会\n市商务局\n2026年底前")
    # a sentence in the footer (kept: never a sentence) does not shield the lines above it
    welcome = "欢迎对本网站的工作提出意见和建议。"
    footer = _clean_pages({d: p.replace("未经授权不得转载\n", f"未经授权不得转载\n{welcome}\n")
                           for d, p in pages.items()})
    assert footer == {d: _expected(d) + "\n" + welcome for d in pages}


def _slices(doc_id: str, size: int = 6, stride: int = 3) -> dict:
    """A built-in document as a file, with its overlapping slices ``{doc_id}_s000`` ... of
    ``size`` lines (stride ``stride``), each titled ``{title}（节选k）``, as a researcher
    splits a long document (the s38 Dask audit's folder)."""
    doc = bt.load_bri_policies().docs.set_index("doc_id").loc[doc_id]
    body = [line for line in doc["text"].split("\n") if line.strip()]
    files = {doc_id: doc["title"] + "\n" + "\n".join(body)}
    for k, start in enumerate(range(0, len(body) - stride, stride)):
        files[f"{doc_id}_s{k:03d}"] = "\n".join([f"{doc['title']}（节选{k + 1}）"]
                                                + body[start:start + size])
    return files


def test_table_cells_of_sliced_files_stay_and_a_template_around_them_goes(tmp_path):
    """A document whose table ends it (bri03, the compendium of investment policies: 80
    cells, 发文单位 / 发文日期 / 文件, one a line), read with its overlapping slices: every
    cell is in 3 files (the document and two slices), and a slice of the table alone is its
    title and cells. The corpus step took the cells as a site's footer (a run of repeated
    lines reaching the end of every file that has them): 150 lines of 26 of the 28 files
    went (商务部 ×16), 24 slices kept their title alone. A site's template line sits at the same place of every
    page (the same line from its top or its bottom); a cell sits at a different line in
    each slice: the cells now stay, and a template around the same slices still goes."""
    def read_folder(folder, **kw):      # 4 slices of the table hold no date: warned
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*have no year")
            return bt.read_folder(folder, **kw)

    files = _slices("bri03")
    assert len(files) == 28
    assert files["bri03_s003"].split("\n") == [
        "企业对外投资政策文件汇编（节选4）", "《关于进一步引导和规范境外投资方向的指导意见》", "商务部",
        "2017年10月26日", "《对外投资合作“双随机一公开”监管工作细则（试行）》", "财政部、税务总局、发改委、商务部",
        "2017年12月21日"]
    plain = tmp_path / "plain"
    plain.mkdir()
    for name, text in files.items():
        (plain / f"{name}.txt").write_text(text, encoding="utf-8")
    c = read_folder(plain)
    assert "商务部" in bt.cleaning.repeated_lines(read_folder(plain, boilerplate_min_df=None).texts)
    assert c.removed.query("step == 'remove_repeated_lines'").empty
    assert dict(zip(c.doc_ids, c.texts)) == files
    # the same slices as pages of the city site: its template goes, every cell stays
    top = "\n".join(SITE_CHROME[:5]) + "\n"
    bottom = "\n" + "\n".join(SITE_CHROME[6:])
    paged = tmp_path / "paged"
    paged.mkdir()
    for name, text in files.items():
        (paged / f"{name}.txt").write_text(top + text + bottom, encoding="utf-8")
    c = read_folder(paged)
    assert dict(zip(c.doc_ids, c.texts)) == files
    gone = c.removed.query("step == 'remove_repeated_lines'").groupby("doc_id")["text"]
    assert gone.apply(list).to_dict() == {d: SITE_CHROME[:5] + SITE_CHROME[6:] for d in files}


def _clean_pages(pages: dict) -> dict:
    df = pd.DataFrame({"doc_id": list(pages), "text": list(pages.values())})
    out = Corpus.from_dataframe(df, doc_id="doc_id").clean()
    return dict(zip(out.doc_ids, out.texts))


def test_a_reports_title_line_stays_where_the_sites_chrome_goes():
    # three real reports (the raw Wikisource text of 2022-2024: 政府工作报告, the dateline,
    # the premier, the report) as gov.cn-style pages: the site's name and a navigation line
    # above, a toolbar and a copyright footer below. Every chrome line is repeated in the
    # three pages, and so is the title line
    from bri_text.cleaning import remove_repeated_lines

    raw = raw_reports_with_title_block()
    top = "中华人民共和国中央人民政府\n首页 > 政策 > 解读\n"
    bottom = "\n打印本页 关闭窗口\n版权所有：中国政府网 | 中文域名：中国政府网.政务\n"
    pages = [top + raw[y][:raw[y].index("本作品是中华人民共和国的")] + bottom
             for y in (2022, 2023, 2024)]
    out, gone = remove_repeated_lines(pages, 3)
    chrome = ["中华人民共和国中央人民政府", "首页 > 政策 > 解读", "打印本页 关闭窗口",
              "版权所有：中国政府网 | 中文域名：中国政府网.政务"]
    assert gone == [chrome] * 3
    assert [[line for line in t.split("\n") if line.strip()][:2] for t in out] == [
        ["政府工作报告", "——2022年3月5日在第十三届全国人民代表大会第五次会议上"],
        ["政府工作报告", "——2023年3月5日在第十四届全国人民代表大会第一次会议上"],
        ["政府工作报告", "——2024年3月5日在第十四届全国人民代表大会第二次会议上"]]
    # a menu label (通知公告) on the first line is no title: it goes
    menu = [page.replace(top, "通知公告\n") for page in pages]
    assert [g[0] for g in remove_repeated_lines(menu, 3)[1]] == ["通知公告"] * 3
    # only the first line is the title: the same words as a link in every page's footer go
    linked = [page + "政府工作报告\n" for page in pages]
    assert [g[-1] for g in remove_repeated_lines(linked, 3)[1]] == ["政府工作报告"] * 3
    assert all(t.startswith("政府工作报告\n") for t in remove_repeated_lines(linked, 3)[0])


def test_a_reports_speaker_stays_under_its_title_and_goes_above_it():
    # four real reports given by 李克强 (the raw Wikisource text of 2017 and 2021-2023:
    # 政府工作报告, the dateline, 国务院总理 / 李克强, the report) as pages of a site whose
    # header names the premier too: the speaker's two lines are in every page twice
    from bri_text.cleaning import remove_repeated_lines

    raw = raw_reports_with_title_block()
    top = "中华人民共和国中央人民政府\n国务院总理\n李克强\n首页 > 政策 > 解读\n"
    bottom = "\n打印本页 关闭窗口\n"
    years = (2017, 2021, 2022, 2023)
    # each page cleaned on its own first, as Corpus.clean() does before the corpus step
    # (2017's and 2021's title, broken as 政府工作报 / 告 on Wikisource, set on one line)
    pages = [bt.clean(top + raw[y][:raw[y].index("本作品是中华人民共和国的")]
                      .replace("政府工作报\n告", "政府工作报告") + bottom) for y in years]
    out, gone = remove_repeated_lines(pages, 3)
    # the header's lines go, the title block's stay: its title, dateline and speaker
    assert gone == [["中华人民共和国中央人民政府", "国务院总理", "李克强"]] * 4
    assert [t.split("\n")[:5] for t in out] == [
        ["政府工作报告", f"——{y}年3月5日在第十{'二' if y == 2017 else '三' if y < 2023 else '四'}"
         f"届全国人民代表大会第{n}次会议上", "国务院总理", "李克强", "各位代表："]
        for y, n in zip(years, "五四五一")]
    # a speaker line is spared only under the title and its dateline: below a line that
    # is neither (a section's headline), the same lines go
    headed = [p.replace("国务院总理\n李克强\n各位代表", "学习贯彻\n国务院总理\n李克强\n各位代表")
              for p in pages]
    assert [g.count("国务院总理") for g in remove_repeated_lines(headed, 3)[1]] == [2] * 4


def test_work_reports_keep_their_closing_heading():
    # 结束语 closes 17 reports and is a repeated line, but it sits between paragraphs:
    # re-cleaning the built-in reports removes nothing at the corpus step
    reports = bt.load_work_reports("all")
    assert sum("\n结束语\n" in t for t in reports.texts) == 17
    assert "结束语" in bt.cleaning.repeated_lines(reports.texts)
    out = reports.clean()
    assert out.removed.query("step == 'remove_repeated_lines'").empty
    assert out.texts == reports.texts


def _openings(first: int, last: int) -> pd.DataFrame:
    """The opening line of each work report (before 一、), a row of its own with the
    report's title and year, as whole documents (no document=)."""
    import re
    reports = bt.load_work_reports().docs
    reports = reports[reports["year"].between(first, last)].sort_values("year")
    return pd.DataFrame({
        "doc_id": [f"open{y}" for y in reports["year"]],
        "title": [f"{y}年政府工作报告（开头）" for y in reports["year"]],
        "year": reports["year"].to_numpy(),
        "text": [re.split(r"\n(?=一、)", t)[0] for t in reports["text"]]})


def test_short_texts_are_near_copies_only_when_the_same_punctuation_aside():
    """audit44 finding 10: the openings of 2015-2025 (各位代表：现在，我代表国务院…, 44-58
    characters) were dropped as near copies of 2015's, each of another year and title.
    Exact copies (2016 and 2017 repeat 2015; 2021, 2022, 2024, 2025 repeat 2019) still are
    dropped and named, each with its other title and year (session 45: the same text
    under another date may be a reissue, not a copy); 2019 (全国政协委员) differs from 2015 (全国政协各位委员) by two
    characters, 0.74 of its 5-character pieces shared, but under 200 characters that is no
    near copy."""
    from bri_text.corpus import NEAR_MIN_CHARS

    table = _openings(2015, 2025)
    texts = dict(zip(table["doc_id"], table["text"]))
    assert texts["open2019"].replace("全国政协委员", "全国政协各位委员") == texts["open2015"]
    assert all(len(t) < NEAR_MIN_CHARS for t in texts.values())
    corpus = Corpus.from_dataframe(table, doc_id="doc_id")
    with pytest.warns(UserWarning, match=r"dropped 6 repeated document\(s\).*6 of them "
                                         r"have another title or date"):
        kept = corpus.drop_duplicates()
    kept_of = {2016: 2015, 2017: 2015, 2021: 2019, 2022: 2019, 2024: 2019, 2025: 2019}
    assert dict(zip(kept.dropped["doc_id"], kept.dropped["reason"])) == {
        f"open{y}": f"duplicate of open{k} (exact); another title: {y}年政府工作报告（开头） "
                    f"(open{k}: {k}年政府工作报告（开头）); another year: {y} (open{k}: {k})"
        for y, k in kept_of.items()}
    assert kept.doc_ids == ["open2015", "open2018", "open2019", "open2023"]
    # the same short text with other punctuation and spacing is still a copy (similarity 1.0)
    respaced = texts["open2015"].replace("，", ", ").replace("。", ". ")
    two = Corpus.from_dataframe(pd.DataFrame({"text": [texts["open2015"], respaced]}))
    assert two.duplicates().values.tolist() == [["doc1", "doc0", 1.0, "near"]]


def test_long_texts_differing_by_the_same_two_characters_are_near_copies():
    """The 2019 report whole (thousands of characters) with 2015's wording of its opening
    (全国政协各位委员) is still a near copy of it: the minimum length concerns short texts."""
    report = bt.load_work_reports().docs.set_index("year").loc[2019, "text"]
    changed = report.replace("全国政协委员", "全国政协各位委员", 1)
    assert changed != report
    corpus = Corpus.from_dataframe(pd.DataFrame({"text": [report, changed]}))
    (row,) = corpus.duplicates().values.tolist()
    assert row[:2] == ["doc1", "doc0"] and row[3] == "near" and 0.99 < row[2] < 1.0
def test_subset_by_years_without_a_report_names_them_with_no_digit_lookalikes():
    """The work reports of 1978-2003 by range: 1989-1991 and 1996 have no report in the
    dataset. The warning names them and suggests no year 'close' by its digits (audit44b:
    "did you mean ['1999', '1998', '1997']?" for 1989)."""
    reports = bt.load_work_reports()
    with pytest.warns(UserWarning, match=r"year values \[1989, 1990, 1991, 1996\] occur "
                                         r"in no unit; Values of 'year'") as caught:
        sub = reports.subset(year=list(range(1978, 2004)))
    assert "did you mean" not in str(caught[0].message)
    assert len(sub) == 22 and sub.docs["year"].min() == 1978
    with pytest.raises(MetadataError, match=r"no unit has year=1989; Values of 'year'"):
        reports.subset(year=1989)


def test_a_partly_filled_year_column_takes_its_gaps_from_the_date_and_says_so():
    """audit44b finding 9: the national reports of 2023-2025 (``year``; a ``date`` for
    2023 and 2024 only) joined with the 10 provincial reports of 2026 (``date`` only). The
    warning said "10 of 13 documents have no year (column 'date' dates 12)" and left the
    provinces out of every result by year; now their year comes from their date."""
    national = bt.load_work_reports().subset(year=[2023, 2024, 2025]).docs
    provinces = pd.read_csv(DATA / "provincial_reports_2026.csv").rename(
        columns={"publish_date": "date"})
    table = pd.concat([national, provinces], ignore_index=True)
    n_empty = int(table["year"].isna().sum())
    n_dated = int(table["date"].notna().sum())
    assert (len(table), n_empty, n_dated) == (13, 10, 12)    # wr2025 has no date
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = Corpus.from_dataframe(table)
    said = [str(w.message) for w in caught if "year" in str(w.message)]
    assert len(said) == 1 and "have no year" not in said[0]
    assert "'year' column is empty for 10 of 13 documents" in said[0]
    assert "10 from 'date', 3 from 'year'" in said[0]
    assert c.derived["year"] == "column 'year' for 3 document(s), from column 'date' for 10"
    years = c.docs.set_index("doc_id")["year"]
    assert years[provinces["doc_id"]].tolist() == [2026] * 10
    assert years[["wr2023", "wr2024", "wr2025"]].tolist() == [2023, 2024, 2025]
    # a province with no date either stays without a year, in a warning of its own
    table.loc[table["doc_id"] == "gx", "date"] = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = Corpus.from_dataframe(table)
    said = [str(w.message) for w in caught if "year" in str(w.message)]
    assert "9 of them take their year from column 'date'" in said[0]
    assert "9 from 'date', 3 from 'year'" in said[0]
    assert "1 of 13 documents have no year" in said[1]
    assert pd.isna(c.docs.set_index("doc_id").loc["gx", "year"])
