"""Cleaning steps on the real compendium, our press-article fixtures and (extra checks)
the press seeds."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from bri_text.cleaning import (DEFAULT_STEPS, byline_lines, clean, normalize_whitespace,
                            normalize_width, rejoin_lines, remove_bylines, remove_pdf_artifacts,
                            remove_web_boilerplate, strip_html, to_simplified)
from bri_text.errors import ParameterError


@pytest.fixture(scope="module")
def compendium(seed_text):
    raw = seed_text("001")
    return raw, clean(raw)


def test_compendium_has_no_page_numbers_headers_or_urls(compendium):
    raw, out = compendium
    assert raw.count("科技信息参考一带一路增刊") == 5
    assert "科技信息参考" not in out
    assert "http" not in out and "www." not in out
    # page numbers in the raw file are padded lines such as " 92 "
    assert re.search(r"^ 92 $", raw, re.M)
    assert not re.search(r"^\s*92\s*$", out, re.M)


def test_compendium_sentence_broken_by_page_break_is_rejoined(compendium):
    _, out = compendium
    # raw: "...2015 年 3 月 8" / page number 92 / running header / "日，中国国家主席..."
    assert "2015年3月8日，中国国家主席习近平参加全国人民代表大会广西代表团审议时" in out


def test_compendium_domain_terms_intact(compendium):
    raw, out = compendium
    # the running header 科技信息参考一带一路增刊 is removed on purpose
    joined_raw = re.sub(r"\s+", "", raw).replace("科技信息参考一带一路增刊", "")
    for term in ["丝绸之路经济带", "21世纪海上丝绸之路", "一带一路", "自由贸易试验区", "中欧班列",
                 "互联互通", "基础设施", "国际产能合作", "人文交流", "沿线国家"]:
        # every occurrence in the whitespace-free raw text survives intact after cleaning
        assert out.count(term) == joined_raw.count(term), term


def test_compendium_words_not_split_across_lines(compendium):
    """No frequent domain term is split by a line break in the cleaned text."""
    _, out = compendium
    terms = ["一带一路", "丝绸之路经济带", "21世纪海上丝绸之路", "沿线国家", "自由贸易试验区",
             "基础设施", "互联互通", "国际合作", "对外开放", "中欧班列", "人文交流", "产能合作",
             "走出去", "跨境电子商务", "经贸合作", "合作机制", "科技创新", "境外投资",
             "海上丝绸之路", "丝绸之路"]
    for term in terms:
        for cut in range(1, len(term)):
            assert term[:cut] + "\n" + term[cut:] not in out, term


def test_compendium_keeps_headings_on_their_own_lines(compendium):
    _, out = compendium
    lines = out.split("\n")
    assert "二、建设原则" in lines
    assert "发布时间：2016-10-19" in lines
    assert "广西建设丝绸之路经济带和21世纪海上丝绸之路的思路与行动" in lines


def test_report_accounts_for_removed_text(seed_text):
    raw = seed_text("001")
    out, report = clean(raw, report=True)
    df = report.to_dataframe()
    assert list(df["step"]) == list(DEFAULT_STEPS)
    assert df["chars_removed"].sum() == len(raw) - len(out)
    pdf = df.set_index("step").loc["remove_pdf_artifacts"]
    assert pdf["lines_removed"] >= 15  # 10 page numbers, 5 running headers, URL lines


def test_html_fixture_has_no_markup(fixture_text):
    from bri_text.io import split_front_matter

    _, body = split_front_matter(fixture_text("002"))
    out = clean(body)
    assert "<" not in out and ">" not in out
    assert "&#123;" not in out and "{" not in out and "adSlot" not in out  # <script>
    assert "text-align" not in out and "font-size" not in out
    assert "并借助丝绸之路博览会平台深化" in out  # inline <a> inside a sentence is not broken
    assert "尽在丝路财经APP" not in out  # an app-promotion line, matched as a whole
    # a complete sentence is never removed for a word in it (理财券, 抢购): the advert stays
    # unless a corpus repeats it (Corpus.clean removes lines repeated across documents)
    assert "限时福利！新客专享理财券抢购中，名额有限，先到先得！" in out.split("\n")
    assert "责任编辑" not in out and "丝路日报记者 周宁" not in out
    assert out.split("\n")[-2] == "在优化营商环境方面，西安将推进通关便利化改革，推广“一单制”多式联运，降低企业物流成本。"


def test_traditional_fixture_reads_as_simplified(fixture_text):
    raw = fixture_text("000")
    out, report = clean(raw, report=True)
    assert "絲路產經網" in raw and "一帶一路" in raw
    assert "一帶一路" not in out and out.count("一带一路") == raw.count("一帶一路") == 2
    assert "版权" not in out and "延伸阅读" not in out and "ICP" not in out
    assert out.startswith("畅通陆海通道 提升开放能级")  # the bullet "• " is gone
    steps = report.to_dataframe().set_index("step")
    # the report counts the characters converted, not only those removed
    assert steps.loc["to_simplified", "chars_converted"] == 128
    assert steps.loc["to_simplified", "chars_removed"] == 0
    assert steps.loc["remove_bylines", "lines_removed"] == 2  # 时间: line, 转自: line


def test_simplified_fixture_is_not_altered_by_script_step(fixture_text):
    raw = fixture_text("004")
    assert to_simplified(raw) == raw
    _, report = clean(raw, report=True)
    assert report.to_dataframe().set_index("step").loc["to_simplified", "chars_converted"] == 0


def test_navigation_menu_masthead_and_copyright_removed_fixture(fixture_text):
    out = clean(fixture_text("003"))
    lines = out.split("\n")
    for menu_item in ["时政要闻", "党的建设", "经济社会", "科技前沿", "读书治学", "|",
                      "观点 专栏 访谈"]:
        assert menu_item not in lines
    assert lines[0] == "推动西部陆海新通道开放合作走深走实"
    assert "版权声明" not in out and "责编" not in out and "主管" not in out
    assert lines[-1] == "(作者系某省社会科学院研究员)"
    assert len(lines) == 6


PRESS_LINES = ["新京报记者 徐美慧", "来源:学习时报 作者:王雯2025-10-10 07:50", "转自:国际商报",
               "中国产业经济信息网 时间:2026-02-12", "責任編輯：王翔", "编辑：李华",
               "本报记者 王某 通讯员 李某", "（记者 李可）", "轉自:國際商報"]


@pytest.mark.parametrize("line", PRESS_LINES)
def test_remove_bylines_removes_press_lines(line):
    assert remove_bylines(f"标题\n{line}\n正文。") == "标题\n正文。"


def test_remove_bylines_masthead_only_at_the_edges():
    text = "中共中央党校(国家行政学院)主管\n标题\n甲。\n乙。\n由省商务厅主办\n丙。\n丁。\n戊。"
    assert remove_bylines(text) == text.split("\n", 1)[1]


@pytest.mark.parametrize("line", [
    "近期地方两会密集召开,记者梳理多地发布的2026年政府工作报告发现,各地部署了重点工作。",
    "(作者系重庆市人民政府外事办公室主任)",
    "原标题：北京：打造共建“一带一路”高标准建设的试验示范",
    "一、来源：统计局",
    "经济学家在接受国际商报记者采访时表示,各地因地制宜推进合作。(记者 李可)",
    "重庆市江津区委书记 李应兰",
])
def test_remove_bylines_keeps_body_sentences(line):
    text = f"标题\n{line}\n正文。"
    assert remove_bylines(text) == text


def test_remove_bylines_removes_nothing_from_builtin_documents(bri_corpus):
    for doc in bri_corpus:
        assert byline_lines(doc.text) == [], doc.doc_id
        assert remove_bylines(doc.text) == doc.text


#: gov.cn's page of a State Council document as text: the 信息公开 table, the page's heading,
#: the byline, the document's own title line, its number and its first sentences
GOV_CN_PAGE = """索引号：000014349/2020-00123
主题分类：商贸、海关、旅游\\对外经贸合作
发文机关：国务院办公厅
成文日期：2020年08月05日
标题：国务院办公厅关于进一步做好稳外贸稳外资工作的意见
发文字号：国办发〔2020〕28号
发布日期：2020年08月12日
国务院办公厅关于进一步做好稳外贸稳外资工作的意见
来源：中国政府网　　2020-08-12 16:10
国务院办公厅关于进一步做好稳外贸稳外资工作的意见
国办发〔2020〕28号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为应对新冠肺炎疫情影响，进一步做好稳外贸稳外资工作，经国务院同意，现提出以下意见。
一、加大对外贸企业的支持力度。"""


def test_a_field_table_and_a_repeated_title_are_a_step_of_their_own():
    """remove_field_table takes the table's seven lines and the heading repeated over the
    title line; remove_bylines takes the byline alone; preview_clean and the report name
    each step; the title stays once."""
    from bri_text.cleaning import STEPS, remove_field_table

    assert DEFAULT_STEPS.index("remove_field_table") + 1 == DEFAULT_STEPS.index("remove_bylines")
    lines = GOV_CN_PAGE.split("\n")
    # the table, and the title line under the heading and the byline (kept once: the first)
    assert remove_field_table(GOV_CN_PAGE).split("\n") == lines[7:9] + lines[10:]
    assert remove_bylines(GOV_CN_PAGE).split("\n") == lines[:8] + lines[9:]
    assert STEPS["remove_field_table"] is remove_field_table
    gone = preview_clean(GOV_CN_PAGE)
    assert gone.values.tolist() == [["remove_field_table", line]
                                    for line in lines[:7] + [lines[9]]] + [
        ["remove_bylines", "来源：中国政府网2020-08-12 16:10"],
        ["remove_document_apparatus", "国办发〔2020〕28号"],
        ["remove_document_apparatus", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："]]
    out, report = clean(GOV_CN_PAGE, report=True)
    assert out.split("\n") == [lines[7], lines[12], lines[13]]
    steps = report.to_dataframe().set_index("step")
    assert steps.loc["remove_field_table", "lines_removed"] == 8
    assert steps.loc["remove_bylines", "lines_removed"] == 1
    # two labelled lines, or labelled lines under the first sentence, are no table
    for text in ["标题\n联系人：张三\n电话：12345\n正文。",
                 "标题\n正文。\n联系人：张三\n电话：12345\n地址：某路1号"]:
        assert remove_field_table(text) == text


def test_remove_bylines_on_the_raw_compendium_takes_only_its_first_header(compendium):
    """Only the head and tail of a text are searched: on the whole compendium (which
    split_compendium cleans without these steps) the steps take the first document's
    发布时间：, 来源： and 文件名称： lines and nothing else: with 文件名称：, three labelled
    lines, a table of the document's fields (remove_field_table, the step before the
    bylines, which would take 发布时间： and 来源： alone)."""
    raw, out = compendium
    pre = clean(raw, [s for s in DEFAULT_STEPS if s not in ("remove_field_table",
                                                             "remove_bylines")])
    header = ["发布时间：2018-1-10", "来源：中国政府网", "文件名称：国发〔2017〕57号"]
    assert byline_lines(pre)[:2] == header[:2] and len(byline_lines(pre)) == 2
    gone = preview_clean(pre, ["remove_field_table", "remove_bylines"])
    assert gone.values.tolist() == [["remove_field_table", line] for line in header]
    assert len(pre.split("\n")) - len(out.split("\n")) == 3


@pytest.mark.press_seeds
def test_html_seed_has_no_markup(seed_text):
    out = clean(seed_text("002"))
    assert "<" not in out and ">" not in out
    assert "&#123;" not in out and "{" not in out
    assert "text-align" not in out and "font-size" not in out
    assert "借助金融街论坛" in out  # inline <a> inside a sentence is not broken
    assert "尽在新浪财经APP" not in out  # app promotion, matched as a whole line
    # the advert is a sentence: kept (see test_html_fixture_has_no_markup)
    assert "责任编辑" not in out and "新京报记者 徐美慧" not in out


@pytest.mark.press_seeds
def test_traditional_seed_reads_as_simplified(seed_text):
    raw = seed_text("000")
    out = clean(raw)
    assert "中國產業經濟信息網" in raw
    assert "接受国际商报记者采访时" in out
    assert "中国产业经济信息网" not in out  # its site line went to the metadata
    assert "一帶一路" not in out and out.count("一带一路") == raw.count("一帶一路")
    assert "版权所有" not in out and "免责声明" not in out
    assert out.startswith("完善海综服体系") and "时间:2026-02-12" not in out
    assert "转自:国际商报" not in out


@pytest.mark.press_seeds
def test_simplified_text_is_not_altered_by_script_step(seed_text):
    raw = seed_text("004")
    assert to_simplified(raw) == raw


@pytest.mark.press_seeds
def test_navigation_menu_and_copyright_removed(seed_text):
    out = clean(seed_text("003"))
    lines = out.split("\n")
    for menu_item in ["思想理论", "党的建设", "民主法治", "科技前沿", "文史参阅"]:
        assert menu_item not in lines
    assert "构建西部陆海新通道国际合作新格局" in lines
    assert "版权声明" not in out and "责编" not in out
    assert lines[-1] == "(作者系重庆市人民政府外事办公室主任)"
    assert lines[0] == "构建西部陆海新通道国际合作新格局"  # masthead and byline line gone
    assert "来源:学习时报" not in out and "中共中央党校(国家行政学院)主管" not in out


def test_width_and_spacing():
    assert normalize_width("２０１５ 年 3 月") == "2015年3月"
    assert normalize_width("第 10 项至第 16 项") == "第10项至第16项"
    assert normalize_width("财政部 税务总局") == "财政部 税务总局"
    assert normalize_width("ＲＣＥＰ，（一）") == "RCEP，（一）"


def test_rejoin_keeps_paragraphs_without_signal():
    text = "短行一。\n短行二。"
    assert rejoin_lines(text) == text


def test_unknown_step_is_named():
    with pytest.raises(ParameterError, match="no_such_step"):
        clean("文本", steps=["no_such_step"])


def test_steps_usable_alone():
    assert strip_html("<div>甲<span>乙</span></div><script>var x=1;</script>") == "\n甲乙"
    assert remove_web_boilerplate("正文。\n责任编辑：王翔") == "正文。"
    assert normalize_whitespace(" a \n\n b ") == "a\nb"
    assert remove_pdf_artifacts("正文 \nhttp://www.example.com/a.htm\n续") == "正文 \n\n续"


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text())
def test_clean_never_crashes_and_is_idempotent(text):
    once = clean(text)
    assert isinstance(once, str)
    assert clean(once) == once


def test_clean_is_idempotent_on_fixtures(fixture_text, seed_text):
    for text in [fixture_text(p) for p in ("000", "002", "003", "004")] + [seed_text("001")]:
        once = clean(text)
        assert clean(once) == once


@pytest.mark.press_seeds
def test_clean_is_idempotent_on_seeds(seed_text):
    for prefix in ["000", "001", "002", "003", "004"]:
        once = clean(seed_text(prefix))
        assert clean(once) == once, prefix


# ---------------------------------------------------------------------- nothing of content lost
# (issue 18) cleaning never removes a sentence of content: for every input of the test data,
# every sentence of at least 10 CJK characters ending in 。！？； is in the cleaned text,
# compared on CJK characters only (width, spacing and punctuation normalisation are not
# losses). A one-line variant (lines joined by a space, as scrapers write pages) and a glued
# variant (joined with nothing) of each input must keep the same sentences.
import gzip  # noqa: E402

from support import COMPENDIUM_GZ, DATA  # noqa: E402

from bri_text.cleaning import looks_traditional, preview_clean  # noqa: E402

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _cjk(text: str) -> str:
    return "".join(_CJK.findall(text))


def _sentences(text: str) -> list[str]:
    return [s.strip() for line in text.split("\n") for s in re.findall(r"[^。！？；]*[。！？；]", line)
            if len(_CJK.findall(s)) >= 10]


def _lost(original: str, cleaned: str) -> list[str]:
    """Sentences of ``original`` whose CJK characters are not in ``cleaned``."""
    kept = _cjk(cleaned)
    trad = looks_traditional(original)
    return [s for s in _sentences(original)
            if _cjk(to_simplified(s, force=True) if trad else s) not in kept]


def _inputs() -> dict[str, str]:
    from bri_text import load_bri_policies

    out = {p.stem: p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))
           if not p.name.endswith(".expected.txt")}
    with gzip.open(COMPENDIUM_GZ, "rt", encoding="utf-8") as f:
        out["compendium_001"] = f.read()
    out.update({d.doc_id: d.text for d in load_bri_policies()})
    return out


#: sentences the pipeline removes on purpose: copyright notices, recognised by the label
#: that opens their line (【版权声明】), never by a word inside a sentence
_NOTICES = {
    "press_menu": ["【版权声明】本网刊发的文章,未经授权请勿转载;经授权转载的,须标明作者和出处。"],
    "press_traditional": ["【版權說明】本站原創稿件未經書面許可不得轉載或改編;轉載稿件的觀點由原作者負責,與本站無關。"],
}


def test_every_input_of_the_test_data_is_covered():
    names = set(_inputs())
    assert {"gov_provincial_lines", "gov_provincial_inline", "gov_national_policy",
            "press_menu", "compendium_001", "bri01", "bri27"} <= names
    assert {"web_framework_table", "web_report_breadcrumb"} <= names  # issue 30's pages
    assert len(names) == 11 + 1 + 27  # our 11 fixtures, the compendium, the built-in corpus


@pytest.mark.parametrize("form", ["lines", "one_line", "glued"])
def test_cleaning_keeps_every_sentence(form):
    lost = {}
    for name, raw in _inputs().items():
        text = {"lines": raw, "one_line": " ".join(raw.split("\n")),
                "glued": "".join(raw.split("\n"))}[form]
        gone = _lost(raw, clean(text))
        if gone:
            lost[name] = gone
    expected = _NOTICES if form == "lines" else {}  # a notice inside a line is kept
    assert lost == expected


GOV_FIXTURES = ["gov_provincial_lines", "gov_provincial_inline", "gov_national_policy"]


@pytest.mark.parametrize("name", GOV_FIXTURES)
def test_government_page_cleans_to_its_content(name):
    """Our fixtures reproduce provincial and national government pages (toolbar before and
    after the title, breadcrumb, share links, QR captions, 来源/时间 lines, related links,
    footer with 主办/承办/网站标识码/ICP备); the expected file is the page's content."""
    raw = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    expected = (DATA / f"{name}.expected.txt").read_text(encoding="utf-8").strip()
    assert clean(raw) == expected  # no chrome line left, no content line lost
    # saved as one line: the same characters are left (chrome left: 0)
    assert _cjk(clean(" ".join(raw.split("\n")))) == _cjk(expected)


def test_keyword_inside_a_sentence_removes_nothing():
    text = ("（二）深化法治建设。全面推行“扫码入企”，规范涉企行政检查，持续优化营商环境。\n下载\n打印\n"
            "【字号：\n加大\n正文第二段，推进高水平对外开放。")
    assert clean(text) == ("（二）深化法治建设。全面推行“扫码入企”，规范涉企行政检查，持续优化营商环境。\n"
                           "正文第二段，推进高水平对外开放。")
    for sentence in ["扫码关注政务公众号，可以在线查询办理进度。", "加大二维码支付在口岸的推广力度。",
                     "分享到各地的经验表明，责编制度需要完善。", "首页设计应当简洁明了，方便群众办事。"]:
        assert clean(sentence) == sentence


def test_chrome_one_line_or_one_item_a_line():
    toolbar = ["下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】"]
    body = "正文，推进高水平对外开放。"
    for sep in ["\n", " ", ""]:
        assert clean(sep.join(toolbar) + "\n标题\n" + body) == "标题\n" + body, repr(sep)
    assert clean("首页 > 要闻 > 云南要闻\n" + body) == body
    assert clean("扫一扫在手机打开当前页\n" + body + "\n分享到：\n微信\n微博") == body


def test_title_source_and_date_of_a_government_page(tmp_path):
    from bri_text import read_folder

    for name in GOV_FIXTURES:
        raw = (DATA / f"{name}.txt").read_text(encoding="utf-8")
        (tmp_path / f"{name}.txt").write_text(raw, encoding="utf-8")
        (tmp_path / f"{name}_one_line.txt").write_text(" ".join(raw.split("\n")),
                                                         encoding="utf-8")
    meta = read_folder(tmp_path).docs.set_index("doc_id")[["title", "source", "date",
                                                          "date_posted"]]
    for suffix in ["", "_one_line"]:
        # the report's dateline (delivered 26 January) before the byline (posted 9 February);
        # saved as one line, the dateline runs on into the speech: no dateline, the byline's
        assert meta.loc[f"gov_provincial_lines{suffix}"].tolist() == [
            "2026年某某省政府工作报告", "某某日报", "2026-02-09" if suffix else "2026-01-26",
            "2026-02-09"]
        assert meta.loc[f"gov_provincial_inline{suffix}"].tolist() == [
            "政府工作报告", "某某日报", "2026-01-30" if suffix else "2026-01-24", "2026-01-30"]
        assert meta.loc[f"gov_national_policy{suffix}"].tolist()[:3] == [
            "某部关于推进跨境物流通道建设的指导意见", "某部网站", "2026-03-02"]


def test_preview_and_report_show_the_removed_text():
    raw = (DATA / "gov_provincial_lines.txt").read_text(encoding="utf-8")
    preview = preview_clean(raw)
    assert preview.attrs["kept"] == clean(raw)
    by_step = preview.groupby("step")["text"].apply(list)
    assert by_step["remove_bylines"] == ["来源：某某日报", "时间：2026-02-09"]
    web = by_step["remove_web_boilerplate"]
    assert "当前位置：首页 > 要闻 > 某某要闻" in web and "某ICP备05000001号" in web
    assert "省政府常务会议研究部署口岸建设" in web  # a related-links headline
    # every removed line of the page is listed, and nothing of the content
    content = set(clean(raw).split("\n"))
    raw_lines = {line.strip() for line in raw.split("\n")}
    assert set(preview["text"]) <= raw_lines and not set(preview["text"]) & content
    _, report = clean(raw, report=True)
    assert report.removed == preview.to_dict("records")


def test_notebook_cleaning_demo_rejoins_the_broken_word():
    """Notebook 01's example: an HTML page whose <p> breaks 丝绸之路经/济带 (issue 23)."""
    raw = "<div><p>推进丝绸之路经</p></div>\n<p>济带建设，２０１５ 年 3 月发布。</p>\n<p>責任編輯：王某</p>"
    out, report = clean(raw, report=True)
    assert out == "推进丝绸之路经济带建设，2015年3月发布。"
    assert report.to_dataframe().set_index("step").loc["rejoin_lines", "lines_removed"] == 1
    # a title followed by its text is not a broken word: no term spans the break
    assert rejoin_lines("丝绸之路经济带建设方案\n一、总体要求") == "丝绸之路经济带建设方案\n一、总体要求"
    assert rejoin_lines("推进海上丝绸之\n路建设。") == "推进海上丝绸之路建设。"


def test_five_megabyte_single_line_page_is_cleaned_whole():
    import time

    from bri_text import load_bri_policies

    body = " ".join(load_bri_policies().texts).replace("\n", " ")
    chrome = "首页 > 要闻 下载 打印 【字号：大 中 小】 分享到： 微信 微博 "
    copies = 5_000_000 // len(body.encode("utf-8")) + 1
    text = chrome + (body + " ") * copies
    assert len(text.encode("utf-8")) > 5_000_000 and "\n" not in text
    start = time.perf_counter()
    out = clean(text)
    assert time.perf_counter() - start < 60  # about 3 s on a loaded two-core machine
    assert _cjk(out) == _cjk(body) * copies  # the chrome went, every character of the text kept


_CONTENT_SENTENCES = None


def _content_sentences():
    global _CONTENT_SENTENCES
    if _CONTENT_SENTENCES is None:
        from bri_text import load_bri_policies

        from bri_text.cleaning._chrome import _HINT

        every = sorted({s for t in load_bri_policies().texts for s in _sentences(t)})
        # sentences holding chrome words (加大, 审核, 分享, 主办...) first: they must survive
        _CONTENT_SENTENCES = ([s for s in every if _HINT.search(s)]
                              + [s for s in every if not _HINT.search(s)])[:400]
    return _CONTENT_SENTENCES


_CHROME_PIECES = ["下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】", "分享到：",
                  "微信", "微博", "扫一扫在手机打开当前页", "相关报道：", "首页 > 要闻 > 本省要闻",
                  "来源：某某日报", "时间：2026-02-09", "主办：某某省人民政府办公厅",
                  "网站标识码：5300000000", "某ICP备05000001号", "【打印本页】", "【关闭窗口】",
                  "网站地图", "联系我们", "返回顶部", "（责编：某某）"]


# Separators as pages have them (a line, a space, a bar). Chrome glued to a sentence with
# nothing between (下载加大力度…) is ambiguous: there the rule is that the item touching the
# text stays (tested on the glued fixtures and in test_glued_item_touching_a_sentence_stays).
# derandomize: CI runs the same examples every time (3,000 examples passed when written).
@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.integers(0, 399).map(lambda i: ("content", i)),
                          st.sampled_from(_CHROME_PIECES).map(lambda c: ("chrome", c))),
                min_size=1, max_size=25),
       st.sampled_from(["\n", " ", "\n\n", " | "]))
def test_property_content_sentences_survive_any_chrome(pieces, sep):
    sentences = _content_sentences()
    parts = [sentences[p % len(sentences)] if kind == "content" else p for kind, p in pieces]
    text = sep.join(parts)
    out = clean(text)
    kept = _cjk(out)
    for kind, p in pieces:
        if kind == "content":
            assert _cjk(sentences[p % len(sentences)]) in kept


def test_a_navigation_bar_of_labels_goes_but_a_short_list_stays():
    text = ("网站首页 | 新闻中心 | 信息公开 | 办事服务 | 走进广西\n"
            "新闻中心｜信息公开｜办事服务｜互动交流\n"
            "一带一路 | 东盟\n"
            "推进与东盟国家的互联互通，深化经贸合作。")
    from bri_text.cleaning import preview_clean

    kept = clean(text)
    assert kept == "一带一路 | 东盟\n推进与东盟国家的互联互通，深化经贸合作。"
    removed = preview_clean(text)["text"].tolist()
    assert "网站首页 | 新闻中心 | 信息公开 | 办事服务 | 走进广西" in removed


def test_glued_item_touching_a_sentence_stays():
    """A toolbar glued to a sentence: the run goes only while what is left is still a run
    of two or more items; the item touching the text may be its first word, so it stays."""
    assert clean("打印加大力度推进合作。") == "打印加大力度推进合作。"
    assert clean("下载打印全屏收藏各位代表：现在我代表省政府报告工作。") == \
        "收藏各位代表：现在我代表省政府报告工作。"
    assert clean("分享到：第三十一条 专业机构根据指南要求提出方案。").endswith(
        "第三十一条 专业机构根据指南要求提出方案。")
    assert clean("扫一扫在手机打开当前页第三十一条 专业机构审核。").endswith("第三十一条 专业机构审核。")


def test_title_broken_before_its_kind_of_document_rejoins_only_then():
    """政府工作报 / 告 at the top of a work report joins; a speaker's name under a whole
    title, or a heading, does not."""
    import bri_text as bt
    from bri_text.cleaning import rejoin_lines

    body = bt.load_work_reports().docs.set_index("year").loc[2017, "text"][:200]
    assert rejoin_lines("?\n\n政府工作报\n告\n\n" + body) == "?\n\n政府工作报告\n\n" + body
    assert rejoin_lines("关于印发实施方案的通\n知\n" + body).startswith("关于印发实施方案的通知\n各位代表")
    for kept in ("1988年政府工作报告\n李鹏\n" + body, "政府工作报\n一、回顾\n" + body,
                 "政府工作报告（摘要）\n告\n" + body):
        assert rejoin_lines(kept) == kept
