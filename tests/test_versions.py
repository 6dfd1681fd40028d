"""compare_versions / reinvention / versions_html (bri_text/reuse/_versions.py).

The own-wording pair in tests/data (versions_central.txt, versions_local.txt, written for
these tests) plants every status: the local version moves clause 五 to the front and clause
六 to the end, edits clause 二 (two insertions, one replacement), drops clause 三 and adds
two local clauses (四, 九), renumbering everything.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import bri_text as bt
from bri_text.errors import EmptyDocumentError, MetadataError, ParameterError
from bri_text.reuse import REINVENTION_COLUMNS, VERSIONS_COLUMNS

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def pair():
    return ((DATA / "versions_central.txt").read_text(encoding="utf-8"),
            (DATA / "versions_local.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def table(pair):
    return bt.compare_versions(*pair)


@pytest.fixture(scope="module")
def corpus():
    return bt.load_bri_policies()


def _row(table, label):
    return table[table.source_clause == label].iloc[0]


def test_every_planted_status(table):
    assert list(table.columns) == VERSIONS_COLUMNS
    # source clauses in source order (the title line first), then the added local clauses
    assert table.source_clause.tolist()[:9] == ["", "一、", "二、", "三、", "四、", "五、",
                                                "六、", "七、", "八、"]
    status = dict(zip(table.source_clause[:9], table.status[:9]))
    assert status == {"": "kept", "一、": "kept", "二、": "changed", "三、": "dropped",
                      "四、": "kept", "五、": "kept", "六、": "kept", "七、": "kept",
                      "八、": "kept"}
    added = table[table.status == "added"]
    assert added.local_clause.tolist() == ["四、", "九、"]
    assert added.local_text.str.startswith("依托本省港口优势").tolist() == [True, False]
    assert table.attrs["dropped"] == 1 and table.attrs["added"] == 2
    assert table.attrs["n_source"] == 9 and table.attrs["n_local"] == 10


def test_renumbered_clauses_pair_by_text_not_number(table):
    # 五 went to the front (local 一), 六 to the end (local 八): found where they went
    assert _row(table, "五、").local_clause == "一、"
    assert _row(table, "六、").local_clause == "八、"
    assert _row(table, "八、").local_clause == "七、"
    # the fewest moves that explain the new order: 五 and 六 moved, the rest kept in order
    assert table.loc[table.moved, "source_clause"].tolist() == ["五、", "六、"]


def test_changed_clause_similarity_and_diff(table):
    row = _row(table, "二、")
    assert row.local_clause == "三、"
    assert 0.8 < row.similarity < 0.95
    assert "{+省内+}" in row.char_diff and "{+钢铁、+}" in row.char_diff
    assert "[-和建材-]" in row.char_diff
    assert (table.loc[table.status == "kept", "char_diff"] == "").all()


def test_stock_phrasing_does_not_make_clauses_match():
    # the two clauses share only a political formula of the lexicon (formulaic.tsv)
    src = "一、全面贯彻落实党的十九大精神，加快发展跨境电子商务。"
    loc = "一、全面贯彻落实党的十九大精神，大力推动乡村振兴。"
    assert bt.compare_versions(src, loc).status.tolist() == ["dropped", "added"]
    # the same with a phrase given as stock=
    src = "一、各地区各部门要高度重视，狠抓工作落实，加快发展跨境电子商务。"
    loc = "一、各地区各部门要高度重视，狠抓工作落实，大力推动乡村振兴。"
    assert bt.compare_versions(src, loc).status.tolist() == ["changed"]
    statuses = bt.compare_versions(src, loc, stock=["各地区各部门要高度重视，狠抓工作落实"]).status
    assert statuses.tolist() == ["dropped", "added"]


def test_split_clause_is_one_to_many():
    src = ("一、加快建设面向中亚的国际物流通道，推动中欧班列开行常态化，完善沿线站点集疏运体系，"
           "建设一批海外仓和跨境电商物流园区。")
    loc = ("一、加快建设面向中亚的国际物流通道，推动中欧班列开行常态化。\n"
           "二、完善沿线站点集疏运体系，建设一批海外仓和跨境电商物流园区。")
    t = bt.compare_versions(src, loc)
    assert len(t) == 1
    assert t.local_indices[0] == (0, 1) and t.match[0] == "1:n"
    assert t.status[0] == "kept"


def test_merged_clauses_are_many_to_one():
    src = ("一、加快建设面向中亚的国际物流通道，推动中欧班列开行常态化。\n"
           "二、完善沿线站点集疏运体系，建设一批海外仓和跨境电商物流园区。\n"
           "三、扩大与沿线国家的农产品贸易，建设农业对外合作示范基地。")
    loc = ("一、加快建设面向中亚的国际物流通道，推动中欧班列开行常态化，完善沿线站点集疏运体系，"
           "建设一批海外仓和跨境电商物流园区。")
    t = bt.compare_versions(src, loc)
    assert t.status.tolist() == ["kept", "kept", "dropped"]
    assert t.match.tolist()[:2] == ["n:1", "n:1"] and t.local_index.tolist()[:2] == [0, 0]


def test_built_in_henan_plan_rewrites_jiangxi_sentence(corpus):
    # Henan's 2016 plan (bri24) takes the opening argument of Jiangxi's 2015 plan (bri14)
    # and rewrites it ("积极应对全球形势深刻变化" -> "深刻把握全球发展大势")
    t = bt.compare_versions("bri14", "bri24", corpus, unit="sentence")
    assert t.attrs["local_title"] == "河南省参与建设“一带一路”实施方案"
    row = t[t.source_text.str.startswith("推进“一带一路”建设，是党中央、国务院积极应对")].iloc[0]
    assert row.status == "changed" and 0.7 < row.similarity < 0.95
    assert "深刻把握全球发展大势" in row.local_text
    assert "[-积极应对-]{+深刻把握+}全球" in row.char_diff
    # most of two different provinces' plans is their own
    a = t.attrs      # counts over the sentences of substance
    assert a["dropped"] > 0.9 * (a["kept"] + a["changed"] + a["dropped"])
    # the Zhengzhou-Luxembourg air plan (bri13) rewrites a sentence of bri24 on universities
    t = bt.compare_versions("bri24", "bri13", corpus, unit="sentence")
    row = t[t.source_text.str.startswith("鼓励省内高校与沿线国家高水平大学")].iloc[0]
    assert row.status == "changed" and "欧美高水平大学" in row.local_text


def test_dates_and_attachment_lines_are_not_kept_versions(corpus):
    """The 质检总局 metrology notice (bri11) and 天津's science-park plan (bri12): a signature
    date and a bare 附件 line are no evidence that one is a version of the other."""
    t = bt.compare_versions("bri11", "bri12", corpus, unit="sentence")
    date = t[t.source_text == "2016年6月21日"].iloc[0]
    assert date.status == "dropped" and not date.substance
    annex = t[t.source_text.str.startswith("附件")].iloc[0]
    assert annex.status == "dropped"
    assert t.attrs["kept"] == 0 and t.attrs["min_wording"] == bt.reuse._versions.MIN_WORDING
    # a date matches its exact twin only, digit for digit
    same = bt.compare_versions("特此公告。\n2016年6月21日", "2016年6月21日\n特此公告。")
    other = bt.compare_versions("特此公告。\n2016年6月21日", "2017年11月2日\n特此公告。")
    assert same.status.tolist() == ["kept", "kept"]
    assert other.status.tolist() == ["kept", "dropped", "added"]
    r = bt.reinvention(corpus, source={"level": "national"}, by="region", unit="sentence")
    assert "天津" not in r["region"].tolist()


def test_headings_are_marked_and_not_counted(corpus):
    """河南 (bri24) 'keeps' of 江西's plan (bri14) three bare headings (重大意义。指导思想。
    发展目标。) and the run-in heading 促进投资贸易便利化。: marked, not counted."""
    t = bt.compare_versions("bri14", "bri24", corpus, unit="sentence")
    kept = t[t.status == "kept"]
    assert kept.source_text.tolist() == ["重大意义。", "指导思想。", "发展目标。",
                                         "促进投资贸易便利化。"]
    assert not kept.substance.any()
    assert t.attrs["kept"] == 0 and t.attrs["changed"] == \
        int(((t.status == "changed") & t.substance).sum()) >= 3
    assert t.attrs["without_substance"] == int((~t.substance).sum())
    # the rewritten opening argument is a sentence of substance
    row = t[t.source_text.str.startswith("推进“一带一路”建设，是党中央")].iloc[0]
    assert row.status == "changed" and row.substance
    # clause unit: the splitter's headings (一、总体要求) are not of substance
    c = bt.compare_versions("bri14", "bri24", corpus)
    assert not c.loc[c.source_text.str.fullmatch(r"\s*重大意义和总体要求\s*"), "substance"].any()


def test_reinvention_rates(corpus):
    t = bt.reinvention(corpus, source="bri27", min_share=0.05, unit="sentence", by="region")
    assert list(t.columns) == ["source", "region", "local_doc", "versions"] + \
        REINVENTION_COLUMNS[2:]
    # of the Shaanxi provincial plan's sentences, Xi'an's plan (Shaanxi) carries the most
    assert "陕西" in t.region.tolist()
    row = t.loc[(t.kept + t.changed).idxmax()]
    assert row.region == "陕西" and row.local_doc == "bri21"
    assert row.kept_rate + row.changed_rate + row.dropped_rate == pytest.approx(1)
    assert row.kept + row.changed + row.dropped == row.n_source == 38   # of substance
    assert 0.5 <= row.changed_similarity < 0.95
    # the earlier documents are never versions of it
    assert t.attrs["dated_before_source"] > 0


def test_versions_html_escapes_and_marks(pair, tmp_path):
    src, loc = pair
    t = bt.compare_versions(src.replace("“单一窗口”", "<单一窗口>"),
                            loc.replace("“单一窗口”", "<单一窗口>"))
    page = bt.versions_html(t, tmp_path / "v.html")
    assert (tmp_path / "v.html").read_text(encoding="utf-8") == page
    assert "&lt;单一窗口&gt;" in page and "<单一窗口>" not in page
    assert "<ins>省内</ins>" in page and "<del>和建材</del>" in page
    assert page.count('<tr class="dropped">') == 1 and page.count('<tr class="added">') == 2
    # two rows, the summary and the legend
    assert page.count('class="tag moved">moved</span>') == 2 + 1 + 1
    assert "http" not in page and "<script" not in page  # self-contained


def test_versions_html_legend_says_what_the_page_shows(corpus):
    """The page names every status with the thresholds and the unit, says the numbers are
    similarities with digits and punctuation ignored, and greys the headings."""
    import re

    t = bt.compare_versions("bri14", "bri24", corpus, unit="sentence")
    page = bt.versions_html(t, embed_font=False)
    legend = re.search(r'<div class="legend">(.*?)</div>', page, re.S).group(1)
    for status in ("kept", "changed", "dropped", "added", "moved"):
        assert f'<span class="tag {status}">{status}</span></dt>' in legend
    assert "0.95" in legend and "0.5" in legend and "sentence" in legend
    assert "similarity" in legend and "digits ignored" in legend.replace(
        "the values of digits ignored", "digits ignored")
    assert page.count('<tr class="kept minor">') == 4     # 重大意义。指导思想。发展目标。…
    assert 'title="similarity"' in page


def test_versions_html_embedded_font_keeps_the_fonts_own_date(pair):
    """The embedded font subset carries the bundled font's date, not the time of the call,
    so one table gives one page, byte for byte, whenever it is written."""
    import base64
    import io
    import re
    from importlib import resources

    from fontTools.ttLib import TTFont

    page = bt.versions_html(bt.compare_versions(*pair))
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", page).group(1)
    embedded = TTFont(io.BytesIO(base64.b64decode(data)))
    with resources.as_file(resources.files("bri_text") / "fonts"
                           / "BriTextSansSC-Regular.otf") as fp:
        bundled = TTFont(str(fp), lazy=True)
        assert embedded["head"].modified == bundled["head"].modified
    assert "单" in "".join(chr(c) for c in embedded.getBestCmap())  # a subset of the page

@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed: "
                    "the side-by-side page is not rendered")
def test_versions_html_renders_in_chromium(table, tmp_path):
    page = tmp_path / "v.html"
    bt.versions_html(table, page)
    shot = tmp_path / "v.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    f"--screenshot={shot}", "--window-size=1200,900", page.as_uri()],
                   check=True, capture_output=True, timeout=60)
    assert shot.stat().st_size > 10_000


def test_bad_input(pair, corpus):
    with pytest.raises(MetadataError, match="bri99"):
        bt.compare_versions("bri14", "bri99", corpus)
    with pytest.raises(ParameterError, match="unit"):
        bt.compare_versions(*pair, unit="chapter")
    with pytest.raises(ParameterError, match="changed"):
        bt.compare_versions(*pair, kept=0.6, changed=0.8)
    with pytest.raises(ParameterError, match="local must be a text"):
        bt.compare_versions(pair[0], 3)
    with pytest.raises(EmptyDocumentError, match="local"):
        bt.compare_versions(pair[0], "  \n")
    with pytest.raises(MetadataError, match="matches no document"):
        bt.reinvention(corpus, source={"level": "county"})
    with pytest.raises(MetadataError, match="every document"):
        bt.reinvention(corpus.subset(level="national"), source={"level": "national"})
    with pytest.raises(ParameterError, match="compare_versions table"):
        bt.versions_html(pd.DataFrame({"a": [1]}))

_CLAUSE = st.text(alphabet=st.sampled_from(list("加强合作建设物流通道推进贸易便利化，。、一二三（）\n <>&")),
                  min_size=1, max_size=60)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(_CLAUSE, min_size=1, max_size=6), st.lists(_CLAUSE, min_size=1, max_size=6))
def test_every_clause_accounted_for_once(src_parts, loc_parts):
    """Any texts: one row per source clause, each local clause once (matched or added)."""
    src, loc = "\n".join(src_parts), "\n".join(loc_parts)
    if not src.strip() or not loc.strip():
        return
    t = bt.compare_versions(src, loc)
    n_src, n_loc = t.attrs["n_source"], t.attrs["n_local"]
    assert t.source_index.dropna().tolist() == list(range(n_src))
    matched = t.status.isin(["kept", "changed"])
    in_pairs = [i for ix in t.local_indices[matched].drop_duplicates() for i in ix]
    added = t.local_index[t.status == "added"].tolist()
    assert sorted(in_pairs + added) == list(range(n_loc))
    assert (t.similarity[matched] >= 0).all() and t.similarity[~matched].isna().all()
    bt.versions_html(t, embed_font=False)


def test_the_title_line_is_no_clause_of_substance():
    """diff45: 山东's implementing opinion retitles the central one (国务院关于深化数字政府
    建设提升政务服务效能的意见 -> 山东省人民政府关于加快推进数字政府建设的实施意见). The title
    lines pair as 'changed' (0.5 alike), and were counted as a rewritten clause of
    substance: 2 changed where the text rewrites 1 (（十六）, 法规规章 -> 地方性法规和政府规章:
    ground_truth.csv; its figure changes read as kept). diffusion already leaves the title
    line out (its `title` metadata); compare_versions and reinvention now do too."""
    import warnings

    folder = DATA / "diffusion_digital_gov"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = bt.read_folder(folder, pattern="*.txt", metadata=folder / "metadata.csv")
    t = bt.compare_versions("central", "shandong", corpus)
    title = t.iloc[0]
    assert title.source_text == "国务院关于深化数字政府建设提升政务服务效能的意见（示例）"
    assert (title.status, bool(title.substance)) == ("changed", False)
    assert t.attrs["changed"] == 1 and t.attrs["kept"] == 8
    assert t.attrs["without_substance"] == 5
    # reinvention counts the same: 山东 changed 1 of the central's 21 clauses of substance
    r = bt.reinvention(corpus, source="central", by="region").set_index("region")
    assert (r.loc["山东", "changed"], r.loc["山东", "n_source"]) == (1, 21)
    # a text without a corpus has no title metadata: its first line counts as before
    plain = bt.compare_versions(*(corpus.docs.set_index("doc_id").loc[["central", "shandong"],
                                                                      "text"]))
    assert bool(plain.iloc[0].substance)
