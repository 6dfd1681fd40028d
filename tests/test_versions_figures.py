"""Changed figures in compare_versions / reinvention / versions_html (bri_text/reuse/_figures.py).

The case is tests/data/diffusion_digital_gov (a central opinion on 数字政府建设 and its local
versions, written for the diffusion tests): its ground_truth.csv marks the clauses whose
figures a version changed (mode ``numbers_changed``): 山东 (二) 95%->98%, 50%->60%,
2030->2027 and (十七) 一次->两次, 广东 (十) 3分钟->5分钟, 成都 (五) 140->160 项. Similarity
ignores digit values, so 山东's (二) is ``kept`` 0.97; the figures columns say what changed.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt
from bri_text.reuse._figures import figure_changes, figures

FOLDER = Path(__file__).resolve().parent / "data" / "diffusion_digital_gov"
CN = "一二三四五六七八九十"


@pytest.fixture(scope="module")
def corpus():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bt.read_folder(FOLDER, pattern="*.txt", metadata=FOLDER / "metadata.csv")


@pytest.fixture(scope="module")
def shandong(corpus):
    return bt.compare_versions("central", "shandong", corpus)


def _label(n: int) -> str:
    """The central opinion's clause label of clause n: 2 -> （二）, 17 -> （十七）."""
    tens, ones = divmod(n, 10)
    return "（" + ("" if not tens else ("十" if tens == 1 else CN[tens - 1] + "十")) \
        + (CN[ones - 1] if ones else "") + "）"


def test_shandong_raises_its_targets_and_the_clause_stays_kept(shandong):
    row = shandong[shandong.source_clause == "（二）"].iloc[0]
    assert row.local_clause == "（一）"
    assert (row.status, round(row.similarity, 2)) == ("kept", 0.97)
    assert bool(row.figures_changed) and row.n_figures_changed == 3
    assert row.figures == "95%以上→98%以上; 50%→60%; 2030年→2027年"
    assert row.figures_direction == "percent up; date earlier"
    # its other figure change: the yearly training 一次 -> 两次 (a count: no direction told)
    row = shandong[shandong.source_clause == "（十七）"].iloc[0]
    assert (row.status, row.figures, row.figures_direction) == \
        ("kept", "不少于一次→不少于两次", "")
    assert shandong.attrs["figures_changed"] == 2
    assert shandong.figures_changed.sum() == 2


def test_figures_leave_the_similarity_as_it_was(corpus):
    """山东's text with the central's figures in digits put back: the same statuses and
    similarities (digit values were ignored before and still are), and only the
    (十七) change in Chinese numerals (一次 -> 两次) left."""
    text = dict(zip(corpus.doc_ids, corpus.texts))
    local = text["shandong"]
    for new, old in (("98%以上", "95%以上"), ("60%", "50%"), ("2027年", "2030年")):
        local = local.replace(new, old)
    as_is = bt.compare_versions(text["central"], text["shandong"])
    back = bt.compare_versions(text["central"], local)
    pd.testing.assert_series_equal(back.similarity, as_is.similarity)
    assert back.status.tolist() == as_is.status.tolist()
    assert as_is.figures_changed.sum() == 2
    assert back.loc[back.figures_changed, "figures"].tolist() == ["不少于一次→不少于两次"]


def test_the_figure_changes_are_those_the_case_planted(corpus):
    truth = pd.read_csv(FOLDER / "ground_truth.csv")
    planted = {(d, _label(int(c))) for d, c in
               truth.loc[truth["mode"] == "numbers_changed", ["doc", "central_clause"]]
               .itertuples(index=False)}
    assert planted == {("shandong", "（二）"), ("shandong", "（十七）"),
                       ("guangdong", "（十）"), ("chengdu", "（五）")}
    found, text = set(), {}
    for doc in ("zhejiang", "guangdong", "chengdu", "anhui", "shandong", "guizhou", "wuhan",
                "henan", "gansu"):
        t = bt.compare_versions("central", doc, corpus)
        for r in t[t.figures_changed].itertuples():
            found.add((doc, r.source_clause))
            text[doc, r.source_clause] = r.figures
    assert found == planted
    assert text["guangdong", "（十）"] == "3分钟→5分钟"
    assert text["chengdu", "（五）"] == "140项→160项"


def test_the_centre_raised_jiangsus_earlier_target(corpus):
    """江苏 (2021) predates the centre, which took its clause with 80% raised to 90%."""
    t = bt.compare_versions("jiangsu", "central", corpus)
    row = t[t.figures_changed].iloc[0]
    assert (row.figures, row.figures_direction) == ("80%以上→90%以上", "percent up")
    assert t.figures_changed.sum() == 1


def test_a_pair_with_the_same_figures_shows_none(shandong):
    # （十四）-> 山东（六）: 90%以上 on both sides; （七）-> （四）: 100%, 全国 -> 全省
    for label in ("（十四）", "（七）"):
        row = shandong[shandong.source_clause == label].iloc[0]
        assert row.status == "kept" and "%" in row.source_text
        assert (bool(row.figures_changed), row.n_figures_changed, row.figures) == \
            (False, 0, "")
    assert row.char_diff != ""          # 全国 -> 全省 rewritten, figures kept


def test_a_figure_moved_within_the_sentence_is_no_change(corpus):
    """山东's (二) with its two deadlines swapped in the sentence: the text is rewritten
    (changed), the figures are the same."""
    central = dict(zip(corpus.doc_ids, corpus.texts))["central"]
    clause = next(x for x in central.splitlines() if x.startswith("（二）"))
    first, second = clause[len("（二）主要目标。"):].rstrip("。").split("；")
    local = central.replace(clause, f"（二）主要目标。{second}；{first}。")
    t = bt.compare_versions(central, local)
    row = t[t.source_clause == "（二）"].iloc[0]
    assert row.char_diff != "" and row.local_text.startswith("主要目标。到2030年")
    assert (bool(row.figures_changed), row.figures) == (False, "")


def test_reinvention_counts_the_clauses_whose_figures_changed(corpus):
    r = bt.reinvention(corpus, source="central", by="region").set_index("region")
    assert r.columns[-1] == "figures_changed"
    assert r.loc["山东", "figures_changed"] == 2
    assert r.loc["广东", "figures_changed"] == 1
    assert r.loc["浙江", "figures_changed"] == 0


def test_versions_html_marks_the_changed_figures(shandong):
    page = bt.versions_html(shandong, embed_font=False)
    for fig in ("95%以上", "50%", "2030年", "98%以上", "60%", "2027年", "不少于一次",
                "不少于两次"):
        assert f'<mark class="fig">{fig}</mark>' in page
    assert page.count('<mark class="fig">') == 8
    assert "95%以上→98%以上; 50%→60%; 2030年→2027年 (percent up; date earlier)" in page
    assert '<span class="tag figures">figures</span>2 ' in page          # the summary
    assert page.count('class="tag figures">figures 1</span>') == 1


@pytest.mark.parametrize("text,found", [
    ("网上可办率达到95%以上", [("95%以上", "percent")]),
    ("增长3%-5%，用3至5年", [("3%-5%", "percent"), ("3至5年", "年")]),
    ("（2021—2025年）", [("2021—2025年", "date")]),
    ("地区生产总值2.15万亿元，新增100多家", [("2.15万亿元", "money"), ("100多家", "家")]),
    ("统一支付、一网通办、一次性告知、第三方", []),          # words, an ordinal: no figures
    ("每年不少于两次，省市县三级", [("不少于两次", "次"), ("三级", "级")]),
    ("“十四五”时期，比重达到百分之三十", [("十四五", "number"), ("百分之三十", "percent")]),
    ("二十国集团领导人峰会，粮食产量1.3万亿斤以上", [("1.3万亿斤以上", "斤")]),   # a name: none
])
def test_what_counts_as_a_figure(text, found):
    assert [(f.text, f.kind) for f in figures(text)] == found


def test_figures_written_differently_are_the_same_figure():
    assert figure_changes("每年两次，占３０％，二〇二五年", "每年2次，占30%，2025年")[1] == 0
    assert figure_changes("比重达到百分之三十", "比重达到30%")[1] == 0
    assert figure_changes("3%-5%", "3-5%")[1] == 0


def test_direction_only_where_it_is_clear():
    changes, n, _, _ = figure_changes("到2025年6月，覆盖率60%", "到2025年底，覆盖率55%")
    assert [tuple(c) for c in changes] == [("2025年6月", "2025年", ""), ("60%", "55%", "down")]
    # two percentages became one: listed together, no direction
    changes, n, _, _ = figure_changes("分别增长5%和8%", "增长10%")
    assert [tuple(c) for c in changes] == [("5%、8%", "10%", "")] and n == 2
    # a figure added on one side only
    changes, n, _, _ = figure_changes("建设物流园区", "建设物流园区3个")
    assert [tuple(c) for c in changes] == [("", "3个", "")] and n == 1


# --- the verb before a figure and its kind of limit (session 45, sign45) -------------------

@pytest.mark.parametrize("a,b,figs,direction,n", [
    # stats45's three cases: each was no change, "down" or "up" before the verb was read
    ("单位国内生产总值能耗下降5%", "单位国内生产总值能耗增长5%", "下降5%→增长5%", "sign flipped", 1),
    ("单位国内生产总值能耗下降5%", "单位国内生产总值能耗增长3%", "下降5%→增长3%", "sign flipped", 1),
    ("国内生产总值增长5%以上", "国内生产总值增长6%以内", "5%以上→6%以内", "floor→ceiling", 1),
    # the same verb: the number's move, as before (a larger fall is "up")
    ("能耗下降5%", "能耗下降8%", "5%→8%", "percent up", 1),
])
def test_the_verb_and_the_limit_are_part_of_a_figure(a, b, figs, direction, n):
    t = bt.compare_versions("一、" + a + "。", "一、" + b + "。")
    row = t.iloc[0]
    assert (row.figures, row.figures_direction, row.n_figures_changed) == (figs, direction, n)
    assert bool(row.figures_changed)


def test_the_same_figure_written_with_or_without_its_verb_or_in_other_words():
    assert figure_changes("国内生产总值增长5%左右", "国内生产总值5%左右")[1] == 0
    assert figure_changes("增长5%", "提高5%")[1] == 0                 # two words of a rise
    assert figure_changes("比例持续超过4%", "比例保持在4%以上")[1] == 0   # two words of a floor
    assert figure_changes("达到95%以上", "不低于95%")[1] == 0


def test_what_the_verb_and_the_limit_are():
    got = [(f.text, f.verb, f.sign, f.bound) for f in figures(
        "城镇化率提高到67%，能耗降低3%左右，失业率控制在5.5%，工业增加值30%，不超过2次")]
    assert got == [("67%", "提高到", "+", ""), ("3%左右", "降低", "-", "approximate"),
                   ("5.5%", "", "", "ceiling"), ("30%", "", "", ""),     # 增加值: a noun
                   ("不超过2次", "", "", "ceiling")]


@pytest.fixture(scope="module")
def work_reports():
    return bt.load_work_reports()


def _row(t, words):
    rows = t[t.source_text.str.contains(words, regex=False)]
    assert len(rows) == 1, words
    return rows.iloc[0]


def test_the_work_reports_2024_2025_targets(work_reports):
    t = bt.compare_versions("wr2024", "wr2025", work_reports, unit="sentence")
    # the GDP target, 增长5%左右 both years: no change
    row = _row(t, "国内生产总值增长5%左右")
    assert row.local_text == row.source_text and not row.figures_changed
    # prices, 涨幅 both years (a rise): the number's move
    row = _row(t, "居民消费价格涨幅3%左右")
    assert (row.figures, row.figures_direction) == ("3%左右→2%左右", "percent down")
    # 能耗降低 both years: a larger cut is "up" (the number's move, not a judgment)
    row = _row(t, "能耗降低2.5%左右")
    assert (row.figures, row.figures_direction) == ("2.5%左右→3%左右", "percent up")
    # 赤字率 3% -> 4%左右: an approximate figure states a point, so "up" is told
    row = _row(t, "赤字率拟按3%安排")
    assert row.figures.startswith("3%→4%左右;") and row.figures_direction == "percent up"
    # grain: a floor became an approximate target, no up/down
    row = _row(t, "粮食产量1.3万亿斤以上")
    assert (row.figures, row.figures_direction) == ("1.3万亿斤以上→1.4万亿斤左右",
                                                    "floor→approximate")


def test_the_work_reports_limits_that_changed(work_reports):
    t = bt.compare_versions("wr2021", "wr2022", work_reports, unit="sentence")
    row = _row(t, "国内生产总值增长6%以上")            # was "percent down"
    assert (row.figures, row.figures_direction) == ("6%以上→5.5%左右", "floor→approximate")
    row = _row(t, "城镇调查失业率5.5%左右")            # 全年控制在5.5%以内
    assert (row.figures, row.figures_direction) == ("5.5%左右→5.5%以内",
                                                    "approximate→ceiling")
    t = bt.compare_versions("wr2023", "wr2024", work_reports, unit="sentence")
    row = _row(t, "城镇新增就业1200万人左右")
    assert (row.figures, row.figures_direction) == ("1200万人左右→1200万人以上",
                                                    "approximate→floor")


def test_rises_pair_with_rises_and_falls_with_falls(work_reports):
    """wr2017 -> wr2018: 清洁能源 提高1.7, 煤炭 下降2 个百分点 became 煤炭 下降8.1, 清洁能源
    提高6.3 (the order swapped): paired by sign, no sign flipped."""
    t = bt.compare_versions("wr2017", "wr2018", work_reports, unit="sentence")
    row = _row(t, "清洁能源消费比重提高1.7个百分点")
    assert (row.figures, row.figures_direction) == ("1.7个百分点→6.3个百分点; 2个百分点→8.1个百分点",
                                                    "percent up")


def test_a_real_target_with_its_verb_turned(work_reports):
    text = dict(zip(work_reports.doc_ids, work_reports.texts))["wr2025"]
    sentence = "单位国内生产总值能耗降低3%左右"
    assert sentence in text
    t = bt.compare_versions(text, text.replace(sentence, sentence.replace("降低", "增长")),
                            unit="sentence")
    flagged = t[t.figures_changed]
    assert len(flagged) == 1
    assert (flagged.iloc[0].figures, flagged.iloc[0].figures_direction) == \
        ("降低3%左右→增长3%左右", "sign flipped")
