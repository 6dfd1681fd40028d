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
