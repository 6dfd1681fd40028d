"""PMC index (bri_text/instruments/_pmc.py, _pmc_index.py; plot/_pmc.py): a worked example
computed by hand, and sheets pre-filled from the built-in plans that a reader can check."""
from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import bri_text as bt  # noqa: E402
from bri_text import plot  # noqa: E402
from bri_text.errors import InputError, MetadataError, ParameterError  # noqa: E402
from bri_text.instruments._pmc import load_indicators  # noqa: E402

DATA = Path(__file__).parent / "data"
WORKED = DATA / "pmc_worked_example.csv"


# --------------------------------------------------------------------------- worked example

def test_worked_example_by_hand():
    """tests/data/pmc_worked_example.csv: three invented plans scored on the built-in
    system (X1 5 sub-variables, X2 3, X3 3, X4 5, X5 5, X6 5, X7 5, X8 3, X9 5; X10 1, not
    counted). Main variable = ones / sub-variables; in fifteenths:

    ======  ==  ==  ==  ==  ==  ==  ==  ==  ==  =========  ============
    plan    X1  X2  X3  X4  X5  X6  X7  X8  X9  PMC        grade (9)
    ======  ==  ==  ==  ==  ==  ==  ==  ==  ==  =========  ============
    planA   12   5   5  12  15  15  12  15  15  106/15 = 7.0667  perfect (≥ 7)
    planB    9   5   5   9  15   6   6  10   9   74/15 = 4.9333  acceptable (3–4.99)
    planC    9   5   5  15   6   3   9   5   9   66/15 = 4.4000  acceptable
    ======  ==  ==  ==  ==  ==  ==  ==  ==  ==  =========  ============

    Concavity = 9 − PMC: 29/15, 61/15, 69/15. Ranks A 1, B 2, C 3.
    Dropping X5 (B 15, C 6): B 59/15 < C 60/15, so B and C swap, Spearman ρ = 1 − 6·2/24
    = 0.5; dropping any other variable keeps the order (e.g. X8: 91, 64, 61).
    With X10 counted too (10 variables, 10-variable bands): A 121/15 = 8.0667 excellent
    (7–8.99), B 89/15 = 5.9333 acceptable (5–6.99), C 81/15 = 5.4 acceptable.
    One cell was corrected by the coder (planC X2:3, auto 0 → 1).
    """
    result = bt.pmc_index(WORKED)
    s = result.scores.set_index("doc_id")
    assert s["pmc"].tolist() == pytest.approx([106 / 15, 74 / 15, 66 / 15])
    assert s["grade"].tolist() == ["perfect", "acceptable", "acceptable"]
    assert s["grade_zh"].tolist() == ["完美", "可接受", "可接受"]
    assert s["concavity"].tolist() == pytest.approx([29 / 15, 61 / 15, 69 / 15])
    assert s["rank"].tolist() == [1, 2, 3]
    assert s.loc["planB", "X8"] == pytest.approx(2 / 3)
    assert s.loc["planC", "X6"] == pytest.approx(0.2)
    assert result.attrs["counted"] == [f"X{i}" for i in range(1, 10)]
    assert result.variables.set_index("main").loc["X10", "counted"] == False  # noqa: E712
    over = result.attrs["overridden"]
    assert over[["doc_id", "sub", "auto_score", "score"]].values.tolist() == \
        [["planC", "X2:3", 0, 1]]

    sens = result.sensitivity().set_index("dropped")
    assert sens.loc["X5", "holds"] == False  # noqa: E712
    assert sens.loc["X5", "spearman"] == pytest.approx(0.5)
    assert sens.loc["X5", "moved"] == "planB: 2→3; planC: 3→2"
    assert sens.drop(index="X5")["holds"].all()
    assert sens.attrs["holds"] is False
    assert (sens.drop(index="X5")["spearman"] == 1).all()
    assert "X10" not in sens.index

    ten = bt.pmc_index(WORKED, counted=[f"X{i}" for i in range(1, 11)]).scores
    assert ten["pmc"].tolist() == pytest.approx([121 / 15, 89 / 15, 81 / 15])
    assert ten["grade"].tolist() == ["excellent", "acceptable", "acceptable"]
    assert ten["concavity"].tolist() == pytest.approx([10 - 121 / 15, 10 - 89 / 15,
                                                      10 - 81 / 15])


def test_matrix_is_x1_to_x9_in_rows_of_three():
    m = bt.pmc_index(WORKED).matrix("planB")
    assert m.attrs["labels"] == [["X1", "X2", "X3"], ["X4", "X5", "X6"], ["X7", "X8", "X9"]]
    assert m.to_numpy().ravel().tolist() == pytest.approx([0.6, 1 / 3, 1 / 3, 0.6, 1.0, 0.4,
                                                           0.4, 2 / 3, 0.6])
    assert m.attrs["names"][1][1] == "政策评价"
    with pytest.raises(MetadataError, match="planZ"):
        bt.pmc_index(WORKED).matrix("planZ")


def test_band_boundary_is_not_lost_to_rounding():
    """Nine variables of 7 ones out of 9: 9 × 7/9 is 7 (float sum 6.999…), graded perfect."""
    rows = [("d", f"X{i}", f"X{i}:{j}", int(j <= 7)) for i in range(1, 10)
            for j in range(1, 10)]
    s = bt.pmc_index(pd.DataFrame(rows, columns=["doc_id", "main", "sub", "score"])).scores
    assert s.loc[0, "pmc"] == pytest.approx(7.0)
    assert s.loc[0, "grade"] == "perfect"


def test_own_bands_and_scaled_bands():
    sheet = pd.read_csv(WORKED)
    own = bt.pmc_index(sheet, bands=[(6, "high", "高"), (0, "low", "低")]).scores
    assert own["grade"].tolist() == ["high", "low", "low"]
    # 8 counted variables: the nine-variable cut points scaled by 8/9 (7 -> 6.22, 5 -> 4.44)
    eight = bt.pmc_index(sheet, counted=[f"X{i}" for i in range(1, 9)]).scores
    assert eight["pmc"].tolist() == pytest.approx([91 / 15, 65 / 15, 57 / 15])
    assert eight["grade"].tolist() == ["excellent", "acceptable", "acceptable"]
    with pytest.raises(ParameterError, match="start at 0"):
        bt.pmc_index(sheet, bands=[(5, "good")])
    with pytest.raises(ParameterError, match="X11"):
        bt.pmc_index(sheet, counted=["X1", "X11"])


def test_bad_sheets_name_the_cells():
    sheet = pd.read_csv(WORKED)
    bad = sheet.astype({"score": object})
    bad.loc[(bad.doc_id == "planB") & (bad["sub"] == "X6:2"), "score"] = "x"
    with pytest.raises(MetadataError, match=r"planB X6:2 \('x'\)"):
        bt.pmc_index(bad)
    blank = sheet.copy()
    blank.loc[3, "score"] = None
    with pytest.raises(MetadataError, match="0 or 1"):
        bt.pmc_index(blank)
    with pytest.raises(MetadataError, match="planC lacks sub-variable"):
        bt.pmc_index(sheet.drop(index=sheet.index[(sheet.doc_id == "planC")
                                                   & (sheet["sub"] == "X4:5")]))
    with pytest.raises(MetadataError, match="repeat"):
        bt.pmc_index(pd.concat([sheet, sheet.head(1)]))
    with pytest.raises(MetadataError, match="score"):
        bt.pmc_index(sheet.drop(columns="score"))
    with pytest.raises(InputError, match="no_such.xlsx"):
        bt.pmc_index("no_such.xlsx")
    with pytest.raises(ParameterError, match="at least 2"):
        bt.pmc_index(sheet[sheet.doc_id == "planA"]).sensitivity()


# --------------------------------------------------------------------------- indicator file

def test_builtin_indicator_system():
    ind = load_indicators()
    sizes = ind.groupby("main", sort=False).size()
    assert list(sizes.index) == [f"X{i}" for i in range(1, 11)]
    assert sizes.to_dict() == {"X1": 5, "X2": 3, "X3": 3, "X4": 5, "X5": 5, "X6": 5,
                               "X7": 5, "X8": 3, "X9": 5, "X10": 1}
    assert ind.loc[ind["counted"] == 0, "main"].tolist() == ["X10"]
    rules = ind.set_index("sub")["rule"]
    assert rules["X8:1"].codes == ("S_*",)
    assert rules["X3:1"].metadata == (("level", "=", ("national",)),)


def test_bad_indicator_file_names_file_and_row(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("main,main_name,sub,sub_name,phrases,codes,metadata,counted\n"
                    "X1,性质,X1:1,预测,预计,,,1\n"
                    "X1,性质,X2:1,建议,建议,,,1\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"mine.csv: row 3 .*X1:<number>"):
        bt.pmc_sheet(bt.load_bri_policies().subset(doc_id=["bri23"]), indicators=path)
    path.write_text("main,main_name,sub,sub_name,phrases,codes,metadata,counted\n"
                    "X1,性质,X1:1,预测,,,,1\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="phrases, codes or a metadata rule"):
        load_indicators(path)


def test_own_indicator_file_with_masks_and_headings(tmp_path):
    path = tmp_path / "mine.csv"
    head = "main,main_name,sub,sub_name,phrases,codes,metadata,counted\n"
    path.write_text(head + "X1,评价,X1:1,任务,重点任务|@headings,,,1\n"
                    "X1,评价,X1:2,引导,指导|!指导思想,,,1\n", encoding="utf-8")
    docs = bt.load_bri_policies().subset(doc_id=["bri26"])
    cells = bt.pmc_sheet(docs, indicators=path).set_index("sub")
    assert cells.loc["X1:1", "evidence"] == "二、重点任务"        # a heading, @headings
    assert cells.loc["X1:2", "rule"] == "phrases: 指导; not in: 指导思想"
    path.write_text(head + "X1,评价,X1:1,任务,重点任务|@heading,,,1\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"mine.csv: row 2 \(X1:1\): '@heading' .*@headings"):
        load_indicators(path)
    path.write_text(head + "X1,评价,X1:1,任务,!指导思想,,,1\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="give phrases too"):
        load_indicators(path)


def test_own_indicator_file_with_title_and_year_rules(tmp_path):
    """A user's three-variable system: phrases, a title rule and a metadata value."""
    path = tmp_path / "three.csv"
    path.write_text("# my system\n"
                    "main,main_name,sub,sub_name,phrases,codes,metadata,counted\n"
                    "X1,对象,X1:1,高校,高校|科研院所,,,1\n"
                    "X1,对象,X1:2,华侨,华侨|侨胞,,,1\n"
                    "X2,文种,X2:1,行动计划,,,title~行动计划|行动方案,1\n"
                    "X3,年份,X3:1,2016年,,,year=2016,0\n", encoding="utf-8")
    docs = bt.load_bri_policies().subset(doc_id=["bri17", "bri21"])
    sheet = bt.pmc_sheet(docs, indicators=path).set_index(["doc_id", "sub"])
    assert sheet.loc[("bri17", "X2:1"), "matched"] == "行动计划"
    assert sheet.loc[("bri21", "X2:1"), "evidence"] == "title: 西安市“一带一路”建设2016年行动计划"
    assert sheet.loc[("bri17", "X1:1"), "score"] == 1          # 河北's education plan
    assert sheet.loc[("bri21", "X3:1"), "score"] == 1
    result = bt.pmc_index(sheet.reset_index())
    assert result.attrs["counted"] == ["X1", "X2"]
    assert result.scores["pmc"].between(0, 2).all()
    with pytest.raises(ParameterError, match="needs 9 main variables"):
        result.matrix("bri17")


# --------------------------------------------------------------------------- built-in corpus

@pytest.fixture(scope="module")
def plans():
    return bt.load_bri_policies().subset(doc_id=["bri12", "bri13", "bri18", "bri21",
                                                 "bri23", "bri24"])


@pytest.fixture(scope="module")
def sheet(plans):
    return bt.pmc_sheet(plans)


def test_sheet_shape_and_quoted_evidence(sheet, plans):
    assert len(sheet) == 6 * 40
    assert list(sheet.columns[:9]) == ["doc_id", "title", "main", "main_name", "sub",
                                       "sub_name", "counted", "auto_score", "score"]
    units = dict(zip(*plans.reshape("clause").docs[["doc_id", "text"]].T.values))
    phrase_rows = sheet[(sheet["score"] == 1) & sheet["unit_id"].isin(units)]
    assert len(phrase_rows) > 100
    for row in phrase_rows.itertuples():
        assert row.unit_id.startswith(row.doc_id + "#")
        if "年 (" in str(row.matched) or str(row.matched).startswith("code "):
            continue                    # a period found in the text; an instrument code
        assert row.matched in row.evidence, (row.doc_id, row.sub)
        assert row.evidence.strip("…") in units[row.unit_id]
        assert row.unit_id.startswith(row.doc_id + "#")
    assert (sheet.loc[sheet["score"] == 0, "unit_id"].isna()).all()
    # a cell a reader can check: 广西's plan names enterprises (X7:1) in a quoted clause
    cell = sheet.set_index(["doc_id", "sub"]).loc[("bri18", "X7:1")]
    assert cell["score"] == 1 and "企业" in cell["evidence"] and cell["n_units"] > 5


def test_cover_notice_is_not_evidence(sheet, plans):
    # bri12 and bri13 are notices that forward a plan: the addressee line and the purpose
    # line 为深入贯彻…现将《…》印发给你们，请结合…贯彻执行 are the cover, not the plan
    assert sheet.attrs["cover_notice"] == {"bri12": ["bri12#c0", "bri12#c1"],
                                           "bri13": ["bri13#c0", "bri13#c1"]}
    units = plans.reshape("clause").docs.set_index("doc_id")["text"]
    assert units["bri12#c1"].endswith("现将《天津市“一带一路”科技创新合作行动计划（2017—2020年）》"
                                      "印发给你们，请结合本部门、本地区实际情况贯彻执行。")
    assert not sheet["unit_id"].isin(["bri12#c0", "bri12#c1", "bri13#c0", "bri13#c1"]).any()
    # the cell the purpose line filled before is filled by a measure of the plan now (not
    # by its title line c3, nor by its own statement of purpose c4:
    # test_aims_are_not_instruments)
    cell = sheet.set_index(["doc_id", "sub"]).loc[("bri12", "X8:1")]
    assert (cell["score"], cell["unit_id"]) == (1, "bri12#c16")
    assert sheet["note"].isna().all()       # every such cell has evidence in the plan


def test_a_title_line_is_not_evidence(sheet, plans):
    # bri12#c3 is the plan's title 天津市“一带一路”科技创新合作行动计划（2017—2020年） alone; it
    # filled X4:4 (科技), X8:1 (S_technology) and X9:3 (科技创新): the plan's clauses do now
    units = plans.reshape("clause").docs.set_index("doc_id")["text"]
    assert units["bri12#c3"] == "天津市“一带一路”科技创新合作行动计划（2017—2020年）"
    assert units["bri13#c4"] == "郑州—卢森堡“空中丝绸之路”建设专项规划（2017—2025年）"
    assert sheet.attrs["title_lines"] == {"bri12": ["bri12#c3"], "bri13": ["bri13#c4"]}
    assert not sheet["unit_id"].isin(["bri12#c3", "bri13#c4"]).any()
    cells = sheet.set_index(["doc_id", "sub"])
    assert cells.loc[[("bri12", "X4:4"), ("bri12", "X9:3")], "unit_id"].tolist() == \
        ["bri12#c4", "bri12#c4"]
    # the title's years still give the plan period (metadata, not a provision)
    assert cells.loc[("bri12", "X2:2"), "evidence"] == units["bri12#c3"]
    # a cell only a title line fills is 0 with a note: bri02's 附件：<title> line alone
    # names 贸易 (促进贸易投资便利化); the dictionary codes it none (an attachment line lists
    # titles), so X8:3 (demand) is 0 with no note
    notice = bt.pmc_sheet(bt.load_bri_policies().subset(doc_id=["bri02"]))
    assert notice.attrs["title_lines"] == {"bri02": ["bri02#c1"]}
    cells = notice.set_index("sub")
    assert cells.loc["X4:1", "score"] == 0 and cells.loc["X4:1", "note"] == (
        "only a title line names it (bri02#c1: 贸易), not a provision: not counted")
    assert cells.loc["X8:3", "score"] == 0 and pd.isna(cells.loc["X8:3", "note"])


def test_aims_are_not_instruments(sheet, plans):
    """X8:1 is supply-side instruments (S_*: the government supplies talent, money,
    technology, infrastructure). bri12#c4 为深入贯彻…切实发挥科技创新在推进“一带一路”建设中的
    支撑和引领作用…特制定以下行动计划 states the plan's purpose: the dictionary reads 科技创新
    as S_technology, but it is an aim, not a measure, and the instrument gold codes such a
    statement none (bri24#c0 为贯彻落实…制定本方案). The guiding-principles paragraph c6
    (一、指导思想) is E_goals in the gold, not supply or demand."""
    units = plans.reshape("clause").docs.set_index("doc_id")["text"]
    assert units["bri12#c4"].startswith("为深入贯彻习近平总书记2017年")
    assert units["bri12#c4"].endswith("特制定以下行动计划。")
    assert sheet.attrs["purpose"]["bri12"] == ["bri12#c4"]
    assert sheet.attrs["purpose"]["bri24"] == ["bri24#c0"]
    gold = bt.load_instrument_codes("clause")
    assert gold.loc["bri24#c0", ["coder_a", "coder_b"]].tolist() == ["none", "none"]
    assert gold.loc["bri12#c6", ["coder_a", "coder_b"]].tolist() == ["E_goals", "E_goals"]
    cells = sheet.set_index(["doc_id", "sub"])
    x8 = cells.loc["bri12"].loc[["X8:1", "X8:2", "X8:3"]]
    assert not x8["unit_id"].isin(["bri12#c4", "bri12#c6"]).any()
    # X8:1 quotes a supply measure under 三、重点任务: training courses for foreign researchers
    assert "举办适用技术及科技管理培训班" in x8.loc["X8:1", "evidence"]
    assert x8.loc["X8:1", "matched"].startswith("code S_talent (")
    # the statement of purpose still states the plan's basis (X5:1 reads phrases in it)
    assert cells.loc[("bri24", "X5:1"), "unit_id"] == "bri24#c0"
    # 河南's （一）重大意义 (background; gold none for 江西's and 福建's) fills no X8 cell
    # (its 对外开放 still fills X9:1, a phrase)
    assert units["bri24#c2"].startswith("(一)重大意义。")
    assert cells.loc[("bri24", "X8:1"), "unit_id"] == "bri24#c10"
    assert not cells.loc["bri24"].loc[["X8:1", "X8:2", "X8:3"], "unit_id"].isin(
        ["bri24#c0", "bri24#c2"]).any()
    assert cells.loc[("bri24", "X9:1"), "unit_id"] == "bri24#c2"


def test_headings_are_evidence_only_of_sections():
    """一、指导思想 is a heading, not evidence that the policy guides (X1:5); 指导 in
    指导思想 / 指导意见 / 以…为指导 is masked. A heading is evidence only for the rows marked
    @headings, whose question is a section (X5:2 goals, X5:3 tasks, X5:4 safeguards)."""
    docs = bt.load_bri_policies().subset(doc_id=["bri17", "bri24", "bri26"])
    units = docs.reshape("clause").docs.set_index("doc_id")
    assert units.loc["bri26#c7", "text"] == "一、指导思想" and units.loc["bri26#c7", "is_heading"]
    sheet = bt.pmc_sheet(docs)
    cells = sheet.set_index(["doc_id", "sub"])
    assert "bri26#c7" in sheet.attrs["headings"]["bri26"]
    # 广东's X1:5 quotes a provision that guides firms now, not its heading
    x15 = cells.loc[("bri26", "X1:5")]
    assert (x15["unit_id"], x15["matched"]) == ("bri26#c12", "引导")
    assert "努力引导走出去企业实施本地化战略" in x15["evidence"]
    # 河北's plan has 指导 only in 一、指导思想 and 以…为指导: 0, with a note naming the unit
    x15 = cells.loc[("bri17", "X1:5")]
    assert units.loc["bri17#c9", "text"] == "一、指导思想"
    assert x15["score"] == 0 and x15["note"].startswith("指导 only in a title in 《》") \
        and "(bri17#c9)" in x15["note"]
    # a section heading still fills a section row: 河南's 三、重点任务, 广东's 二、重点任务
    for doc_id, uid, text in (("bri24", "bri24#c22", "三、重点任务"),
                              ("bri26", "bri26#c9", "二、重点任务")):
        assert (cells.loc[(doc_id, "X5:3"), "unit_id"],
                cells.loc[(doc_id, "X5:3"), "evidence"]) == (uid, text)
    rules = load_indicators().set_index("sub")["rule"]
    assert [s for s, r in rules.items() if r.headings] == ["X5:2", "X5:3", "X5:4"]
    assert "指导思想" in rules["X1:5"].masks
    assert cells.loc[("bri24", "X5:3"), "rule"].endswith("(headings too)")


def test_cited_titles_and_names_of_bodies_are_not_evidence():
    """科技 in 省科技厅 (a list of the bodies that help) is no evidence of the science
    field, 指导 in 《外商投资产业指导目录（2017年修订）》 none of guidance: cited documents and
    government bodies name their own field, not this policy's."""
    docs = bt.load_bri_policies().subset(doc_id=["bri01", "bri25"])
    units = docs.reshape("clause").docs.set_index("doc_id")["text"]
    cells = bt.pmc_sheet(docs).set_index(["doc_id", "sub"])
    assert "省科技厅" in units["bri25#c21"]
    x44 = cells.loc[("bri25", "X4:4")]
    assert x44["score"] == 0 and x44["note"] == (
        "科技 only in a title in 《》, a body's name or a masked phrase (bri25#c21), not this "
        "policy's: not counted")
    assert "《外商投资产业指导目录（2017年修订）》" in units["bri01#c1"]
    assert cells.loc[("bri01", "X1:5"), "score"] == 0
    # the same phrase outside a title or a name counts: 湖南's 省科技厅 aside, 发展 fields hold
    assert cells.loc[("bri25", "X4:1"), "score"] == 1


def test_bodies_listed_inside_a_sentence_are_not_evidence(tmp_path):
    """bri04 (the Zhejiang FTZ regulation) lists 海关、检验检疫、海事、边检、税务、外汇管理等监管部门
    (c27) and 协调海关、…、国家税务等部门 (c14): the departments' names are no evidence of a
    row on tax or customs; its own measures are (c61 税务服务体系, c28 海关特殊监管区域)."""
    path = tmp_path / "fields.csv"
    path.write_text("main,main_name,sub,sub_name,phrases,codes,metadata,counted\n"
                    "X1,领域,X1:1,税务,税务,,,1\nX1,领域,X1:2,海关,海关,,,1\n", encoding="utf-8")
    docs = bt.load_bri_policies().subset(doc_id=["bri04"])
    units = docs.reshape("clause").docs.set_index("doc_id")["text"]
    assert "海关、检验检疫、海事、边检、税务、外汇管理等监管部门" in units["bri04#c27"]
    assert units["bri04#c14"].startswith("（四）协调海关、检验检疫")
    cells = bt.pmc_sheet(docs, indicators=path).set_index("sub")
    assert cells.loc["X1:1", ["score", "unit_id"]].tolist() == [1, "bri04#c61"]
    assert "建立便捷的税务服务体系" in units["bri04#c61"]
    assert cells.loc["X1:2", ["score", "unit_id"]].tolist() == [1, "bri04#c28"]
    assert "自贸试验区海关特殊监管区域与境外之间的管理为一线管理" in units["bri04#c28"]


def test_a_notice_without_its_plan_is_named():
    # bri05 is the cover notice alone (the 指导意见 is an attachment not in the text): its
    # cells are not filled from the cover; a warning names it, a note names each cell
    notice = bt.load_bri_policies().subset(doc_id=["bri05", "bri12"])
    with pytest.warns(UserWarning, match=r"1 document\(s\) hold little more than a notice "
                                         r"that forwards a plan \(bri05\)"):
        sheet = bt.pmc_sheet(notice)
    cells = sheet[sheet["doc_id"] == "bri05"].set_index("sub")
    assert sheet.attrs["cover_notice"]["bri05"] == ["bri05#c0", "bri05#c1", "bri05#c6"]
    assert cells.loc["X5:1", "note"] == ("only the cover notice names it (bri05#c1: 为贯彻), "
                                         "not the plan: not counted")
    # its 对外开放 is in a cited title 《关于扩大对外开放积极利用外资若干措施的通知》: no note
    assert cells.loc["X9:1", "score"] == 0 and pd.isna(cells.loc["X9:1", "note"])
    assert cells.loc["X7:4", "note"].startswith("only the cover notice names it (bri05#c0: "
                                                "行业协会)")
    # only the metadata rules (issuer level X3:1, openness X10:1) fill a cell
    assert cells.index[cells["score"] == 1].tolist() == ["X3:1", "X10:1"]
    assert (cells.loc[["X3:1", "X10:1"], "unit_id"] == "bri05").all()
    assert bt.pmc_index(sheet).scores.set_index("doc_id").loc["bri05", "pmc"] == \
        pytest.approx(1 / 3)


def test_budget_money_is_rewards_and_subsidies_not_finance():
    # bri07 第二条 国家重点研发计划由中央财政资金设立…重点资助… is a grant (S_funding): it fills
    # X6:1 奖励补贴, and no longer X6:3 金融支持, which is loans and guarantees (E_finance)
    sheet = bt.pmc_sheet(bt.load_bri_policies().subset(doc_id=["bri07"])).set_index("sub")
    assert sheet.loc["X6:3", "sub_name"] == "金融支持 (finance: loans and guarantees)"
    assert sheet.loc["X6:3", "score"] == 0
    x61 = sheet.loc["X6:1"]
    assert (x61["score"], x61["unit_id"]) == (1, "bri07#c7")
    assert x61["evidence"].startswith("第二条 国家重点研发计划由中央财政资金设立")
    assert x61["matched"].startswith("code S_funding (")
    rules = load_indicators().set_index("sub")["rule"]
    assert rules["X6:1"].codes == ("S_funding",) and "贴息" in rules["X6:1"].phrases
    assert rules["X6:3"].codes == ("E_finance",) and "贴息" not in rules["X6:3"].phrases


def test_timeliness_from_the_plan_period(sheet):
    x2 = sheet[sheet["main"] == "X2"].set_index(["doc_id", "sub"])
    ones = x2[x2["score"] == 1].reset_index().groupby("doc_id")["sub"].agg(list).to_dict()
    assert ones["bri12"] == ["X2:2"]          # （2017—2020年）: 4 years, medium
    assert ones["bri13"] == ["X2:1"]          # （2017—2025年）: 9 years, long
    assert ones["bri21"] == ["X2:3"]          # 2016年行动计划: 1 year, short
    assert x2.loc[("bri13", "X2:1"), "evidence"] == plans_title("bri13")
    # 河南 (bri24, issued 2016) has no period in its title; its text aims 到2025年: long
    henan = x2.loc[("bri24", "X2:1")]
    assert henan["unit_id"].startswith("bri24#") and "到2025年" in henan["evidence"]
    assert henan["matched"].startswith("到2025年 (9 years")
    # 甘肃 (bri23) states no period: every X2 cell is 0, for the reader to fill
    assert "bri23" not in ones


def test_timeliness_of_national_documents():
    """十三五 in a title is five years; a validity range in the text counts both years."""
    docs = bt.load_bri_policies().subset(doc_id=["bri08", "bri10"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x2 = bt.pmc_sheet(docs).query("main == 'X2' and score == 1").set_index("doc_id")
    assert x2.loc["bri08", "sub"] == "X2:2" and x2.loc["bri08", "matched"].startswith("“十三五”")
    # 财税〔2017〕34号: deductions from 2017年1月1日 to 2019年12月31日, three tax years
    assert x2.loc["bri10", "sub"] == "X2:2"
    assert x2.loc["bri10", "matched"].startswith("2017年1月1日至2019年 (3 years")
    assert "2017年1月1日至2019年12月31日" in x2.loc["bri10", "evidence"]


def plans_title(doc_id):
    return bt.load_bri_policies().docs.set_index("doc_id").loc[doc_id, "title"]


def test_issuer_level_and_index_of_the_plans(sheet):
    cell = sheet.set_index(["doc_id", "sub"]).loc[("bri23", "X3:2")]
    assert cell["score"] == 1 and cell["evidence"] == "level: provincial"
    assert sheet.set_index(["doc_id", "sub"]).loc[("bri21", "X3:3"), "score"] == 1
    result = bt.pmc_index(sheet)
    s = result.scores.set_index("doc_id")
    assert s["X3"].tolist() == pytest.approx([1 / 3] * 6)    # one level per document
    assert s.loc["bri23", "X2"] == 0
    assert set(s["grade"]) <= {"perfect", "excellent", "acceptable", "poor"}
    assert s["pmc"].between(0, 9).all()
    assert (s.sort_values("pmc", ascending=False)["rank"].diff().dropna() >= 0).all()
    sens = result.sensitivity()
    assert list(sens["dropped"]) == [f"X{i}" for i in range(1, 10)]
    assert sens["spearman"].between(-1, 1).all()


def test_round_trip_through_excel_and_csv(sheet, tmp_path):
    """The coder reads 甘肃's plan, finds its period (to 2020: medium) and corrects X2:2."""
    path = tmp_path / "pmc.xlsx"
    sheet.to_excel(path, index=False)
    edited = pd.read_excel(path)
    mask = (edited["doc_id"] == "bri23") & (edited["sub"] == "X2:2")
    edited.loc[mask, "score"] = 1
    edited.to_excel(path, index=False)
    result = bt.pmc_index(path)
    before = bt.pmc_index(sheet).scores.set_index("doc_id")
    after = result.scores.set_index("doc_id")
    assert after.loc["bri23", "X2"] == pytest.approx(1 / 3)
    assert after.loc["bri23", "pmc"] == pytest.approx(before.loc["bri23", "pmc"] + 1 / 3)
    assert result.attrs["overridden"][["doc_id", "sub"]].values.tolist() == \
        [["bri23", "X2:2"]]
    csv_path = tmp_path / "pmc.csv"
    sheet.to_csv(csv_path, index=False)
    assert bt.pmc_index(csv_path).scores["pmc"].tolist() == \
        pytest.approx(before["pmc"].tolist())


def test_instrument_codes_fill_x8(plans):
    units = plans.subset(doc_id=["bri23"]).reshape("clause").docs
    target = units.loc[units["text"].str.contains("口岸"), "doc_id"].iloc[0]
    codes = pd.DataFrame({"doc_id": [target], "code": ["D_trade; E_tax"],
                          "evidence": ["口岸"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # codes given: no warning
        sheet = bt.pmc_sheet(plans.subset(doc_id=["bri23"]), codes=codes)
    x8 = sheet[sheet["main"] == "X8"].set_index("sub")
    assert x8.loc["X8:3", "score"] == 1 and x8.loc["X8:3", "unit_id"] == target
    assert x8.loc["X8:3", "matched"] == "code D_trade (口岸)"
    assert "口岸" in x8.loc["X8:3", "evidence"]
    assert x8.loc["X8:2", "matched"] == "code E_tax (口岸)"     # two codes in one cell
    x6 = sheet[sheet["main"] == "X6"].set_index("sub")
    assert x6.loc["X6:2", "score"] == 1 and x6.loc["X6:2", "unit_id"] == target
    with pytest.raises(MetadataError, match="not units of the corpus"):
        bt.pmc_sheet(plans.subset(doc_id=["bri23"]),
                     codes=pd.DataFrame({"doc_id": ["bri99#p1"], "code": ["S_talent"]}))


def test_sheet_on_units_already_cut(plans):
    paragraphs = plans.subset(doc_id=["bri21"]).reshape("paragraph")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = bt.pmc_sheet(paragraphs)
        b = bt.pmc_sheet(plans.subset(doc_id=["bri21"]))
    assert a["doc_id"].unique().tolist() == ["bri21"]
    assert a["score"].sum() > 0
    if "clause" not in b.columns:                 # same units where no clause splitter
        assert a["score"].tolist() == b["score"].tolist()
    with pytest.raises(ParameterError, match="Corpus"):
        bt.pmc_sheet(paragraphs.docs)


# --------------------------------------------------------------------------- plots

from support import render_without_missing_glyphs as _render  # noqa: E402


def test_pmc_surface_and_bars_render_chinese():
    import matplotlib.pyplot as plt

    result = bt.pmc_index(WORKED)
    ax = plot.pmc_surface(result, "planA")
    assert ax.name == "3d"
    assert ax.bri_data.to_numpy().tolist() == result.matrix("planA").to_numpy().tolist()
    assert "完美" in ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    assert "X5 1.00" in texts and any("X9 政策功能" in t for t in texts)
    assert plot.warn_missing_glyphs(ax) == set()
    _render(ax.figure)
    plt.close(ax.figure)
    ax = plot.pmc_variables(result, doc_ids=["planB", "planC"])
    assert len(ax.patches) == 2 * 10
    assert ax.bri_data.set_index(["doc_id", "main"]).loc[("planC", "X4"), "score"] == 1
    assert "X10 政策公开\n(not counted)" in [t.get_text() for t in ax.get_xticklabels()]
    _render(ax.figure)
    plt.close(ax.figure)
    fig, flat = plt.subplots()
    with pytest.raises(ParameterError, match="3D"):
        plot.pmc_surface(result, "planA", ax=flat)
    with pytest.raises(ParameterError, match="pmc_index"):
        plot.pmc_surface(result.scores, "planA")
    plt.close(fig)


def test_guidance_and_goals_quote_what_they_ask_for():
    """X1:5 (guides) no longer reads 引领 (创新是引领发展的第一动力, bri08) nor 指导 in a
    leader's 调研指导河南工作 (bri24#c3); X5:2 (states its goals) quotes a unit that states
    one (到2020年…) rather than the first paragraph the dictionary reads as E_goals."""
    docs = bt.load_bri_policies().subset(doc_id=["bri08", "bri13", "bri20", "bri22", "bri24"])
    units = docs.reshape("clause").docs.set_index("doc_id")["text"]
    cells = bt.pmc_sheet(docs).set_index(["doc_id", "sub"])
    assert "调研指导河南工作" in units["bri24#c3"]
    assert cells.loc[("bri24", "X1:5"), ["score", "unit_id", "matched"]].tolist() == \
        [1, "bri24#c8", "引导"]                     # 坚持市场运作、政府引导
    assert cells.loc[("bri08", "X1:5"), ["unit_id", "matched"]].tolist() == ["bri08#c59", "引导"]
    x52 = cells.xs("X5:2", level="sub")
    assert x52.loc[["bri13", "bri22", "bri24"], "unit_id"].tolist() == \
        ["bri13#c26", "bri22#c3", "bri24#c14"]
    assert units["bri13#c26"].startswith("1.近期目标。到2020年")
    assert units["bri22#c3"].startswith("（二）主要目标。到2018年")
    assert units["bri24#c14"].startswith("近期目标。用5年左右时间")
    # bri20's （三）功能定位 states aims (gold E_goals: bri20#c14, c16): X8:3 (demand) quotes
    # the 先行区 pilot zone of Quanzhou, not the 功能定位 paragraph's 示范
    assert cells.loc[("bri20", "X8:3"), "unit_id"] == "bri20#c23"
    assert "先行区" in units["bri20#c23"]


# ---------------------------------------------------------------------- audit s45
def test_a_sheet_edited_in_excel_reads_full_width_digits_and_names_its_blank_rows(tmp_path):
    """The student checks the PMC sheet of her first document (tests/data/
    digital_economy_policies.csv, de01) in Excel with a Chinese input method: she types
    １ (full-width) in X1:1 and leaves X1:3 blank. The １ was 'not 0 or 1' and the error
    said only 'sheet: ... de01 X1:3 (nan)'; now １ is 1 and the error names the file and
    the row of the blank cell."""
    from openpyxl import load_workbook

    plans = bt.read_csv(Path(__file__).parent / "data" / "digital_economy_policies.csv")
    sheet = bt.pmc_sheet(plans.subset(doc_id="de01"))
    x1 = sheet[sheet["main"] == "X1"].set_index("sub")["score"]
    assert x1.tolist() == [0, 1, 0, 0, 0]           # 建议 (鼓励企业…) only: X1 = 1/5
    path = tmp_path / "pmc.xlsx"
    sheet.to_excel(path, index=False)
    wb = load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, header.index("sub") + 1).value: r for r in range(2, ws.max_row + 1)}
    score = header.index("score") + 1
    ws.cell(rows["X1:1"], score).value = "１"
    ws.cell(rows["X1:3"], score).value = None
    wb.save(path)
    with pytest.raises(MetadataError, match=rf"sheet .*pmc.xlsx: score must be 0 or 1 in "
                                            rf"every row; 1 cell\(s\) are not: row "
                                            rf"{rows['X1:3']}: de01 X1:3 \(blank\)"):
        bt.pmc_index(path)
    ws.cell(rows["X1:3"], score).value = 0
    wb.save(path)
    by_hand = sheet.assign(score=sheet["score"].where(sheet["sub"] != "X1:1", 1)
                           .where(sheet["sub"] != "X1:3", 0))
    edited = bt.pmc_index(path).scores["pmc"].iloc[0]
    assert edited == pytest.approx(bt.pmc_index(by_hand).scores["pmc"].iloc[0])
    # X1 rises from 1/5 to 2/5: the PMC by 0.2
    assert edited == pytest.approx(bt.pmc_index(sheet).scores["pmc"].iloc[0] + 0.2)
