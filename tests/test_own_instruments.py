"""The instruments workflow on a researcher's own corpus and codebook (tests/data/
own_instruments: ten provincial documents of 2020-2024 written for these tests in the
layouts real ones have, a .docx and a GBK .txt among them, and a two-dimension codebook
of Chinese codes, instrument x industry-chain stage)."""
from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt

DATA = Path(__file__).parent / "data" / "own_instruments"

# twelve of her clauses coded by hand (types of her own codebook; 无 = no instrument)
HAND_IDS = ["sc_2021_nev_opinions#c2", "sc_2021_nev_opinions#c4", "sc_2021_nev_opinions#c9",
            "sc_2022_sme_notice#c2", "sc_2022_sme_notice#c4", "sc_2022_sme_notice#c6",
            "hn_2024_sme_measures#c3", "hn_2024_sme_measures#c14", "hn_2024_sme_measures#c7",
            "zj_2021_digital_regulation#c22", "hn_2022_digital_regulation#c15",
            "sc_2021_nev_opinions#c11"]
HAND_CODES = ["供给-资金", "需求-政府采购", "环境-金融支持", "环境-税收优惠", "需求-政府采购",
              "供给-资金", "供给-资金", "需求-政府采购", "环境-金融支持", "无", "无", "无"]


@pytest.fixture(scope="module")
def corpus():
    return bt.read_folder(DATA / "corpus", metadata=DATA / "corpus" / "metadata.csv")


@pytest.fixture(scope="module")
def clauses(corpus):
    return corpus.reshape("clause")


@pytest.fixture(scope="module")
def book():
    return bt.read_codebook(DATA / "codebook_chain.csv")


def test_codebook_codes_stay_as_written(book):
    # the file writes 供给-资金 with a hyphen: that is the code coders type and tables show
    assert "供给-资金" in book.codes()
    assert book.type_of("供给-资金") == "供给型"
    assert book.dimensions == ["工具", "产业链"]


def test_classifier_type_level_without_none_code(clauses, book):
    # a codebook without a code named none: the dictionary's 'none' (no phrase matched)
    # folds to itself at type level instead of failing
    docs = clauses.docs.set_index("doc_id")
    ids, codes = HAND_IDS, pd.Series(HAND_CODES, index=HAND_IDS)
    assert docs.loc["sc_2021_nev_opinions#c9", "text"].startswith("第八，强化金融服务")
    units = clauses.subset(doc_id=ids)
    clf = bt.ClauseClassifier(codebook=book, level="type", reference=None, random_state=0)
    scores = clf.cross_validate(units, codes, n_splits=3)
    assert len(scores) == 3
    assert set(scores.attrs["per_code"].index) == {"供给型", "环境型", "需求型", "无"}
    assert bt.read_codebook().type_of("none") == "none"
    assert book.type_of("none") == "none"


def test_last_list_item_before_closing_paragraph_is_a_provision(clauses):
    docs = clauses.docs.set_index("doc_id")
    # 五、优化公共服务 ends with 二是…培训1万人次。 and then 本措施自印发之日起施行…
    last = docs.loc["hn_2024_sme_measures#c19"]
    assert last["text"] == "二是每年组织中小企业经营管理人才培训1万人次。"
    assert not last["is_heading"]
    closing = docs.loc["hn_2024_sme_measures#c20"]
    assert closing["text"].startswith("本措施自印发之日起施行")
    assert "二是" not in closing["heading_path"]
    # the same in the .docx: （二）组织中小企业参加广交会… above 本措施自2023年4月1日起施行。
    item = docs[docs["text"].str.startswith("（二）组织中小企业参加广交会")].iloc[0]
    assert not item["is_heading"]
    # a real heading over paragraphs stays one: （一）加快新型基础设施建设。 over 1、 items
    head = docs[docs["text"] == "（一）加快新型基础设施建设。"].iloc[0]
    assert head["is_heading"]
    # 五、优化公共服务 has two provisions, both counted in the shares
    five = docs[docs["heading_path"].str.startswith("五、优化公共服务 >")]
    assert (~five["is_heading"]).sum() == 2


def test_half_parenthesis_numbers(clauses):
    docs = clauses.docs
    doc = docs[docs["parent_id"] == "zj_2024_digital_measures"]
    items = doc[doc["clause_kind"] == "arabic_paren"]
    # 1) 2) under （一）（二）（三）, 1) under （四）: seven items, each under its heading
    assert items["clause"].tolist() == ["1)", "2)", "1)", "2)", "1)", "2)", "1)"]
    assert items["heading_path"].iloc[2].startswith("（二）支持数据要素流通 > 1)建设省级数据交易场所")
    assert doc["is_heading"].sum() == 4


def _filled_sheets(clauses, book, folder):
    """Two coders' sheets as they come back from Excel: the drop-down codes (the second
    coder differs on two rows), blanks, a notes column, rows sorted, a sheet renamed."""
    from openpyxl import load_workbook

    ids = ["sc_2021_nev_opinions#c2", "sc_2021_nev_opinions#c4", "sc_2021_nev_opinions#c9",
           "sc_2022_sme_notice#c2", "sc_2022_sme_notice#c4", "hn_2024_sme_measures#c20"]
    codes = {"sc_2021_nev_opinions#c2": "供给-资金", "sc_2021_nev_opinions#c4": "需求-政府采购",
             "sc_2021_nev_opinions#c9": "环境-金融支持", "sc_2022_sme_notice#c2": "环境-税收优惠",
             "sc_2022_sme_notice#c4": "需求-政府采购", "hn_2024_sme_measures#c20": "无"}
    sample = clauses.subset(doc_id=ids)
    paths = []
    for coder in ("zhang", "liu"):
        path = bt.write_coding_sheet(sample, folder / f"{coder}.xlsx", book, coders=(coder,),
                                     context_from=clauses)
        wb = load_workbook(path)
        ws = wb["coding"]
        header = [c.value for c in ws[1]]
        ic, cc = header.index("doc_id") + 1, header.index(coder) + 1
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        for row in rows:
            row[cc - 1] = codes[row[ic - 1]]
        if coder == "liu":
            rows.sort(key=lambda r: r[ic - 1], reverse=True)
            by_id = {r[ic - 1]: r for r in rows}
            by_id["hn_2024_sme_measures#c20"][cc - 1] = "供给-资金"   # zhang: 无
            ws.title = "编码"
        else:
            by_id = {r[ic - 1]: r for r in rows}
            by_id["sc_2022_sme_notice#c4"][cc - 1] = None             # not coded yet
            ws.cell(1, cc + 1).value = "备注"
            by_id["sc_2021_nev_opinions#c9"].append("拿不准，讨论")
        for i, row in enumerate(rows, start=2):
            for j, v in enumerate(row, start=1):
                ws.cell(i, j).value = v
        wb.save(path)
        paths.append(path)
    return paths


def test_coding_sheets_round_trip(clauses, book, tmp_path):
    paths = _filled_sheets(clauses, book, tmp_path)
    with pytest.warns(UserWarning, match=r"\['备注'\] hold no code"):
        codes = bt.read_coding_sheet(paths)
    assert codes.attrs["coders"] == ["zhang", "liu"]
    assert codes.loc["sc_2021_nev_opinions#c2", ["zhang", "liu"]].tolist() == ["供给-资金"] * 2
    assert codes.loc["hn_2024_sme_measures#c20", ["zhang", "liu"]].tolist() == ["无", "供给-资金"]
    assert codes["zhang"].isna().sum() == 1
    # naming the coders reads each from the file that has them
    named = bt.read_coding_sheet(paths, coders=["zhang", "liu"])
    assert named[["zhang", "liu"]].equals(codes[["zhang", "liu"]])
    with pytest.raises(bt.errors.InputError, match=r"liu.xlsx, sheet '编码': none of the coder"):
        bt.read_coding_sheet(paths, coders=["zhang", "wang"])
    with pytest.raises(bt.errors.InputError, match=r"no column for coder\(s\) \['wang'\]"):
        bt.read_coding_sheet(paths, coders=["zhang", "liu", "wang"])
    table = bt.reliability(codes, n_boot=0)
    assert table.loc[("(all)", "agreement"), "estimate"] == pytest.approx(4 / 5)


def test_docx_keeps_automatic_numbers_and_tables(corpus, clauses):
    text = corpus.docs.set_index("doc_id").loc["zj_2023_sme_measures", "text"]
    # Word's List Number paragraphs: the number is drawn by Word, not in the text
    assert "\n1.支持中小企业与高校院所共建研发机构" in text
    assert "\n3.实施中小企业人才培育计划" in text
    # the table's cells are lines of their own, in place (before the closing line)
    assert text.index("一次性奖励50万元") < text.index("本措施自2023年4月1日起施行")
    assert "担保费率不超过1%" in text
    docs = clauses.docs
    items = docs[(docs["parent_id"] == "zj_2023_sme_measures") & (docs["clause_kind"] == "arabic")]
    assert items["clause"].tolist() == ["1.", "2.", "3."]
    assert items["heading_path"].str.startswith("二、提升创新能力 > ").all()


def test_matrix_in_codebook_order(clauses, book):
    import matplotlib

    matplotlib.use("Agg")
    coded = bt.code_clauses(clauses, book)
    m = bt.instrument_matrix(coded, rows="type", columns="产业链", codebook=book)
    # the industry chain in the file's order, not sorted by character codes
    assert m.columns.tolist() == ["研发设计", "生产制造", "应用推广", "配套支撑"]
    assert m.index.tolist() == ["供给型", "环境型", "需求型", "无"][:len(m.index)]
    # 需求-政府采购 clauses such as 政府机关…优先采购新能源汽车 fall in 应用推广 (采购)
    assert m.loc["需求型", "应用推广"] == bt.instrument_matrix(coded, "type", "产业链").loc[
        "需求型", "应用推广"] > 0
    ax = bt.plot.instrument_matrix(m)
    assert ax.get_title() == "Instruments by 产业链"


@pytest.fixture(scope="module")
def book_none():
    # her codebook with the column she adds in Excel: none = 1 on the row of 无
    return bt.read_codebook(DATA / "codebook_chain_none.csv")


def test_codebook_marks_its_no_instrument_code(book, book_none, tmp_path):
    assert book_none.none_code() == "无"
    assert book_none.none_code("产业链") == "none"        # no such code in the second one
    assert book_none.none_codes == {"无", "none"}
    assert book.none_code() == "none"                    # unmarked: 无 is a code like others
    assert bt.read_codebook().none_code() == "none"      # the default: a code named none
    # 无's phrases (施行, 有效期 …) become masks, weight 0
    p = book_none.phrases().set_index("phrase")
    assert p.loc["施行", "weight"] == 0 and p.loc["补贴", "weight"] == 1
    # written back and read again, as CSV (with the column) and as YAML (none: true)
    book_none.to_csv(tmp_path / "b.csv")
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").splitlines()[4].endswith(",1")
    book_none.to_yaml(tmp_path / "b.yaml")
    assert "none: true" in (tmp_path / "b.yaml").read_text(encoding="utf-8")
    for back in (bt.read_codebook(tmp_path / "b.csv"), bt.read_codebook(tmp_path / "b.yaml")):
        pd.testing.assert_frame_equal(back.table, book_none.table)
    # one no-instrument code per dimension, without a parent
    text = (DATA / "codebook_chain_none.csv").read_text(encoding="utf-8")
    two = tmp_path / "two.csv"
    two.write_text(text.replace("供给型,工具,财政专项资金、补助、奖励、贴息,专项资金|补助|奖励|资助|补贴|贴息,"
                                "省级财政每年安排专项资金10亿元。,", "供给型,工具,财政专项资金、补助、奖励、贴息,"
                                "专项资金|补助|奖励|资助|补贴|贴息,省级财政每年安排专项资金10亿元。,1"),
                   encoding="utf-8")
    with pytest.raises(bt.errors.MetadataError, match=r"two.csv:6: the no-instrument code "
                                                       r"'供给-资金' has no parent"):
        bt.read_codebook(two)
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace(",1\n", ",maybe\n"), encoding="utf-8")
    with pytest.raises(bt.errors.MetadataError, match=r"bad.csv:5: none of '无' must be 1"):
        bt.read_codebook(bad)


def test_no_instrument_code_left_out_everywhere(clauses, book, book_none):
    coded = bt.code_clauses(clauses, book_none)
    # an unmatched unit gets 无, not 'none'; the closing clause's 施行 is a mask, no evidence
    assert coded.loc["zj_2021_digital_regulation#c3", "code"] == "无"    # 第一条 为了促进…
    close = coded.loc["zj_2021_digital_regulation#c22"]
    assert close["text"] == "第十六条 本办法自2021年5月1日起施行。"
    assert (close["code"], close["confidence"], close["evidence"]) == ("无", 0.0, "")
    assert coded["产业链"].eq("none").any() and not coded["code"].eq("none").any()
    shares = bt.instrument_shares(coded, by="province", level="type")
    zj = shares[shares["group"] == "浙江"].set_index("code")
    assert zj.index.tolist() == ["供给型", "环境型", "需求型"]       # no 无 among instruments
    assert zj["count"].tolist() == [16, 12, 8]
    assert zj.loc["供给型", "share"] == pytest.approx(16 / 36)
    assert shares.attrs["n_none"] == 27 and shares.attrs["none_codes"] == ["none", "无"]
    # hand codes (no attrs): the codebook, or its file, says which code is no instrument
    hand = clauses.docs.set_index("doc_id").loc[
        ["zj_2021_digital_regulation#c22", "zj_2023_sme_measures#c19", "zj_2023_sme_measures#c3",
         "zj_2023_sme_measures#c4", "zj_2022_nev_opinions#c14"]].reset_index()
    hand["code"] = ["无", "无", "供给-资金", "环境-金融支持", "需求-政府采购"]
    t = bt.instrument_shares(hand, codebook=DATA / "codebook_chain_none.csv", level="type")
    assert t["code"].tolist() == ["供给型", "环境型", "需求型"]
    assert t["share"].tolist() == pytest.approx([1 / 3] * 3) and t.attrs["n_none"] == 2
    # her file without the column: 无 is an instrument (2 of 5), as the file says
    assert bt.instrument_shares(hand, codebook=book, level="type").set_index("code").loc[
        "无", "share"] == pytest.approx(2 / 5)
    with_none = bt.instrument_shares(hand, codebook=book_none, include_none=True)
    assert with_none.set_index("code").loc["无", "count"] == 2
    # the matrix and the clause x code matrix leave 无 out too
    hand["产业链"] = ["配套支撑", "配套支撑", "研发设计", "配套支撑", "应用推广"]
    hand["type"] = hand["code"].map(book_none.type_of)
    m = bt.instrument_matrix(hand, "type", "产业链", codebook=book_none)
    assert m.index.tolist() == ["供给型", "环境型", "需求型"] and m.attrs["n_left_out"] == 2
    dtm = bt.instrument_dtm(coded, codebook=book_none)
    assert "无" not in list(dtm.terms) and len(dtm.terms) == 13


def test_classifier_reads_the_no_instrument_code(clauses, book_none):
    ids, codes = HAND_IDS, pd.Series(HAND_CODES, index=HAND_IDS)
    clf = bt.ClauseClassifier(codebook=book_none, level="type", reference=None, random_state=0)
    scores = clf.cross_validate(clauses.subset(doc_id=ids), codes, n_splits=3)
    dictionary = scores.attrs["predictions"]["dictionary"]
    # the three closing clauses: the dictionary says 无 (its phrases mask 施行), not 'none'
    assert dictionary[ids[-3:]].tolist() == ["无"] * 3
    assert "none" not in set(dictionary)
    assert scores.attrs["per_code"].loc["无", "dictionary_f1"] == 1.0
    # 无's phrases are masks, not training rows; its example is one
    rows = clf.fit(clauses.subset(doc_id=ids), codes)._codebook_rows(book_none)
    assert rows[rows == "无"].index.tolist() == ["本办法自2021年5月1日起施行。"]


def test_plot_greys_the_no_instrument_code(clauses, book_none):
    import matplotlib

    matplotlib.use("Agg")
    coded = bt.code_clauses(clauses, book_none)
    shares = bt.instrument_shares(coded, by="province", level="type", include_none=True)
    ax = bt.plot.instrument_shares(shares)
    bars = {c.get_label(): c for c in ax.containers}
    assert matplotlib.colors.to_hex(bars["无"].patches[0].get_facecolor()) == "#bbbbbb"


def test_codebook_saved_as_gbk_by_excel(book, tmp_path):
    # Excel on Chinese Windows: "CSV (逗号分隔)" is GBK; the same file as her UTF-8 one
    gbk = DATA / "codebook_chain_gbk.csv"
    assert gbk.read_bytes().startswith("code,name".encode()) and b"\xce\xde" in gbk.read_bytes()
    pd.testing.assert_frame_equal(bt.read_codebook(gbk).table, book.table)
    assert bt.read_codebook(gbk).codes()[:2] == ["无", "供给-资金"]
    # bytes no Chinese encoding decodes: an error naming the codebook and what to do
    bad = tmp_path / "mybook.csv"
    bad.write_bytes(gbk.read_bytes() + b"\x80\xff\xfe\n")
    with pytest.raises(bt.errors.EncodingError,
                       match=r"mybook.csv: the codebook file is not UTF-8 .*CSV UTF-8"):
        bt.read_codebook(bad)
    # a coding sheet saved as CSV (GBK too) is read, its codes from the codebook given
    # (session 45: it was "save it as an Excel workbook"); alone, the error says why
    sheet = tmp_path / "coding.csv"
    sheet.write_bytes("doc_id,text,zhang\nzj#c1,文本,供给-资金\n".encode("gbk"))
    assert bt.read_coding_sheet(sheet, codes=book)["zhang"].tolist() == ["供给-资金"]
    with pytest.raises(bt.errors.InputError, match=r"coding.csv: a sheet saved as CSV keeps "
                                                   r"no codebook sheet"):
        bt.read_coding_sheet(sheet)


def test_coding_sheet_lists_every_unknown_code(clauses, book, tmp_path):
    from openpyxl import load_workbook

    docs = clauses.docs
    ids = docs.loc[(docs["parent_id"] == "zj_2022_nev_opinions") & ~docs["is_heading"],
                   "doc_id"].tolist()[:14]
    path = bt.write_coding_sheet(clauses.subset(doc_id=ids), tmp_path / "zhang.xlsx", book,
                                 coders=("zhang",))
    wb = load_workbook(path)
    ws = wb["coding"]
    col = [c.value for c in ws[1]].index("zhang") + 1
    # typed by hand: an em dash, a missing hyphen, a type's short name; 12 wrong in all
    typed = ["供给—资金", "需求政府采购", "供给", "供给-资金"] + ["环境-金融"] * 10
    for row, value in enumerate(typed, start=2):
        ws.cell(row, col).value = value
    wb.save(path)
    with pytest.raises(bt.errors.InputError) as err:
        bt.read_coding_sheet(path)
    msg = str(err.value)
    assert "13 cells hold no code of the codebook" in msg
    assert f"row 2 (doc_id {ids[0]!r}), coder 'zhang': '供给—资金'" in msg
    assert f"row 3 (doc_id {ids[1]!r}), coder 'zhang': '需求政府采购'" in msg
    assert "row 5 " not in msg                              # 供给-资金 is a code
    assert msg.count("'环境-金融'") == 7 and "and 3 more" in msg


def test_stacked_plot_holds_its_legend(clauses, book_none, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    coded = bt.code_clauses(clauses, book_none)
    shares = bt.instrument_shares(coded, by="province", codebook=book_none, include_none=True)
    ax = bt.plot.instrument_shares(shares, kind="stacked")
    fig = ax.figure
    fig.savefig(tmp_path / "stacked.png", dpi=80)           # a plain savefig, no bbox_inches
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    # 14 codes in the codebook's order (无 last, grey), three provinces
    assert labels[:3] == ["供给-资金", "供给-人才", "供给-技术"] and labels[-1] == "无"
    assert len(labels) == 14
    assert fig.get_size_inches()[1] > 0.9 + 0.45 * 3       # taller than three bars need
    box, page = legend.get_window_extent(), fig.bbox
    assert box.y0 >= page.y0 and box.y1 <= page.y1 and box.x1 <= page.x1
    # a long interval note is wrapped inside the figure's width
    lines = bt.plot.instrument_shares(
        bt.instrument_shares(coded, by="year", n_boot=20, random_state=0), kind="lines")
    title = lines.get_title().split("\n")
    assert title[0] == "Policy instruments" and max(map(len, title)) <= 95
    lines.figure.savefig(tmp_path / "lines.png", dpi=80)
    assert lines.title.get_window_extent().x1 <= lines.figure.bbox.x1


def test_lead_in_with_sub_items_is_a_heading_and_can_be_counted(clauses, book_none):
    coded = bt.code_clauses(clauses, book_none)
    lead = coded.loc["zj_2022_nev_opinions#c18"]
    assert lead["text"] == "2.引导银行业金融机构加大信贷投放，开展融资租赁业务。"
    assert lead["is_heading"] and lead["code"] == "环境-金融支持"
    # its items are provisions under it
    items = coded.loc[["zj_2022_nev_opinions#c19", "zj_2022_nev_opinions#c20"]]
    assert items["text"].str[:3].tolist() == ["（1）", "（2）"] and not items["is_heading"].any()
    assert items["heading_path"].str.contains("> 2.引导银行业").all()
    # the documented recipe: the headings with a comma are the lead-ins, here only this one
    lead_in = coded["is_heading"] & coded["text"].str.contains("，")
    assert coded.index[lead_in].tolist() == ["zj_2022_nev_opinions#c18"]
    before = bt.instrument_shares(coded, by="province", codebook=book_none)
    after = bt.instrument_shares(coded.assign(is_heading=coded["is_heading"] & ~lead_in),
                                 by="province", codebook=book_none)
    count = {t: s[s["group"] == "浙江"].set_index("code").loc["环境-金融支持", "count"]
             for t, s in (("before", before), ("after", after))}
    assert (count["before"], count["after"]) == (3, 4)
    assert before.attrs["n_headings"] - after.attrs["n_headings"] == 1


def test_default_targets_warn_on_documents_that_are_not_bri(clauses, book):
    import warnings

    with pytest.warns(UserWarning, match=r"second dimension 'target' codes the Belt and Road's "
                                         r"five connectivities.* only 1 of the 10 documents"):
        coded = bt.code_clauses(clauses)
    # what misled her: 政府机关…优先采购新能源汽车 as trade connectivity
    buy = coded.loc["sc_2021_nev_opinions#c5"]
    assert "优先采购" in buy["text"] and buy["target"] == "unimpeded_trade"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        only = bt.code_clauses(clauses, dimensions=["instrument"])     # instruments only
        asked = bt.code_clauses(clauses, dimensions=["instrument", "target"])
        bt.code_clauses(clauses, book)                                 # her own second dimension
        bt.code_clauses(bt.load_bri_policies().reshape("clause"))      # BRI texts: 22 of 27
    assert "target" not in only.columns and only["code"].equals(coded["code"])
    assert only.attrs["dimensions"] == ["instrument"]
    assert asked["target"].equals(coded["target"])
    with pytest.raises(bt.errors.ParameterError, match=r"must include the primary dimension "
                                                       r"'instrument'"):
        bt.code_clauses(clauses, dimensions=["target"])
    with pytest.raises(bt.errors.ParameterError, match=r"\['产业链'\] are not dimensions"):
        bt.code_clauses(clauses, dimensions=["instrument", "产业链"])


def test_regulation_phrases_in_formulas_and_title_lines(clauses):
    coded = bt.code_clauses(clauses, dimensions=["instrument"])
    # 条例 in the 施行 clause and in the purpose clause (制定本条例, 根据有关法律、行政法规)
    # is a formula, masked: no instrument
    for uid, start in (("hn_2022_digital_regulation#c15", "第十一条 本条例自2022年3月1日起施行"),
                       ("hn_2022_digital_regulation#c2", "第一条 为了促进数字经济发展")):
        row = coded.loc[uid]
        assert row["text"].startswith(start) and (row["code"], row["evidence"]) == ("none", "")
    # 应当 stays a phrase of E_regulation: a duty laid on builders is regulation
    duty = coded.loc["zj_2021_digital_regulation#c8"]
    assert "应当按照标准" in duty["text"] and duty["code"] == "E_regulation"
    # the title line with its adoption note is not a provision (counted in n_headings)
    title = coded.loc["hn_2022_digital_regulation#c0"]
    assert title["text"].startswith("河南省数字经济促进条例 （2021年12月28日")
    shares = bt.instrument_shares(coded[coded["parent_id"] == "hn_2022_digital_regulation"])
    assert shares.attrs["n_headings"] == 5                  # the title and 4 chapter headings
    assert "E_regulation" not in set(shares["code"])


def test_pmc_sheet_reads_her_codes_through_a_map(clauses, book_none):
    coded = bt.code_clauses(clauses, book_none)
    units = clauses.subset(clauses.docs["parent_id"].eq("sc_2021_nev_opinions").to_numpy())
    codes = coded.loc[units.docs["doc_id"]]
    mapping = {"供给-资金": "S_funding", "环境-税收优惠": "E_tax", "环境-金融支持": "E_finance",
               "需求-政府采购": "D_procurement"}
    plain = bt.pmc_sheet(units, codes=codes).set_index("sub")
    mapped = bt.pmc_sheet(units, codes=codes, code_map=mapping).set_index("sub")
    # her codes name no rule of the built-in indicators: X6:3 (E_finance) stays 0, X6:1
    # is filled by its phrase 补助 only
    assert plain.loc["X6:3", "score"] == 0 and plain.loc["X6:1", "matched"] == "补助"
    # through the map, 第一，加大财政资金支持 (her 供给-资金) fills X6:1 rewards and subsidies
    # and X8:1 (S_*); X6:3 finance is 第八，强化金融服务。设立…产业投资基金 (her 环境-金融支持),
    # not the budget's money
    x63 = mapped.loc["X6:3"]
    assert (x63["unit_id"], x63["evidence"][:20]) == ("sc_2021_nev_opinions#c9",
                                                       "第八，强化金融服务。设立新能源汽车产业投")
    assert x63["matched"].startswith("code E_finance (your 环境-金融支持: 基金")
    for sub in ("X6:1", "X8:1"):
        row = mapped.loc[sub]
        assert (row["score"], row["unit_id"]) == (1, "sc_2021_nev_opinions#c2")
        assert row["matched"].startswith("code S_funding (your 供给-资金: 专项资金 (供给-资金)")
    # 政府机关公务用车优先采购新能源汽车 fills X8:3 (D_*) as D_procurement
    assert mapped.loc["X8:3", "unit_id"] == "sc_2021_nev_opinions#c5"
    assert mapped.loc["X8:3", "matched"].startswith("code D_procurement (your 需求-政府采购")
    with pytest.raises(bt.errors.ParameterError, match="code_map must be a dict"):
        bt.pmc_sheet(units, codes=codes, code_map=[("供给-资金", "S_funding")])


def test_wrong_paths_name_the_file_and_its_kind(clauses, tmp_path, monkeypatch):
    # a typo in a path says which file the call wanted (not "lexicon file") and where
    # it looked; a folder is named as a folder
    monkeypatch.chdir(tmp_path)
    units = clauses.subset(clauses.docs["parent_id"].eq("sc_2021_nev_opinions").to_numpy())
    looked = f"(looked in the working folder {tmp_path})"
    cases = [
        (lambda: bt.code_clauses(units, codebook="codbook.csv"),
         f"codebook file 'codbook.csv' does not exist {looked}; check the path"),
        (lambda: bt.read_codebook("missing.csv"),
         f"codebook file 'missing.csv' does not exist {looked}; check the path"),
        (lambda: bt.read_codebook(tmp_path), f"'{tmp_path}' is a folder; give the path of "
                                             "one codebook file"),
        (lambda: bt.pmc_sheet(units, indicators="pmc.csv"),
         f"indicators: PMC indicator file 'pmc.csv' does not exist {looked}; check the path"),
        (lambda: bt.pmc_index("scores.csv"),
         f"sheet: PMC scoring sheet 'scores.csv' does not exist {looked}; check the path"),
        (lambda: bt.pmc_index(tmp_path), f"sheet: '{tmp_path}' is a folder; give the path "
                                         "of one PMC scoring sheet"),
        (lambda: bt.read_coding_sheet("zhang.xlsx"), "read_coding_sheet: coding sheet "
         f"'zhang.xlsx' does not exist {looked}; check the path"),
    ]
    for call, message in cases:
        with pytest.raises(bt.errors.InputError) as err:
            call()
        assert str(err.value) == message


@pytest.mark.filterwarnings("ignore:pmc_sheet. the corpus has no column")
def test_pmc_files_saved_by_excel_on_chinese_windows(clauses, tmp_path):
    # her indicator file and her corrected scoring sheet, saved by Excel as "CSV (逗号分隔)"
    # (GBK) or "CSV UTF-8" (BOM), read as the UTF-8 ones are (the codebook's reader)
    from importlib import resources

    text = (resources.files("bri_text") / "lexicons" / "pmc_indicators.csv").read_text(
        encoding="utf-8")
    units = clauses.subset(clauses.docs["parent_id"].eq("sc_2021_nev_opinions").to_numpy())
    plain = bt.pmc_sheet(units)
    for enc in ("gbk", "utf-8-sig"):
        path = tmp_path / f"pmc_{enc}.csv"
        path.write_bytes(text.encode(enc))
        assert path.read_bytes()[:3] == (b"\xef\xbb\xbf" if enc == "utf-8-sig" else b"# P")
        sheet = bt.pmc_sheet(units, indicators=path)
        pd.testing.assert_frame_equal(sheet, plain)
        assert sheet.set_index("sub").loc["X6:3", "sub_name"].startswith("金融支持")
        saved = tmp_path / f"sheet_{enc}.csv"
        sheet.to_csv(saved, index=False, encoding=enc)
        scores = bt.pmc_index(saved).scores
        pd.testing.assert_frame_equal(scores, bt.pmc_index(plain).scores)
        assert scores.loc[0, "title"] == "四川省促进新能源汽车产业发展的若干政策措施"
    # bytes no encoding explains: the error names the indicator file
    bad = tmp_path / "pmc_bad.csv"
    bad.write_bytes(text.encode("gbk") + b"\x80\xff\xfe\n")
    with pytest.raises(bt.errors.EncodingError,
                       match=r"pmc_bad.csv: the PMC indicator file is not UTF-8 .*CSV UTF-8"):
        bt.pmc_sheet(units, indicators=bad)


def test_definition_articles_are_no_instrument(clauses, book_none, tmp_path):
    # 第二条 本条例所称数字经济，是指…以现代信息网络为主要载体… was S_information by the 信息网
    # of 信息网络: a definition uses no instrument (the default codebook's none lists
    # @definitions)
    assert bt.read_codebook().masks_definitions()
    unit = clauses.subset(doc_id=["hn_2022_digital_regulation#c3"])
    assert unit.docs["text"].iat[0].startswith("第二条 本条例所称数字经济，是指")
    coded = bt.code_clauses(unit, dimensions=["instrument"])
    assert (coded["code"].iat[0], coded["evidence"].iat[0]) == ("none", "")
    texts = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": [
        # text before the formula is coded, the definition after it is not (信息系统)
        "第三条 县级以上人民政府应当建立数据共享机制。本条例所称公共数据，是指国家机关在履行职责中产生的"
        "数据，纳入信息系统管理。",
        # an item of 下列用语的含义：
        "（一）数字经济核心产业，是指为产业数字化发展提供数字技术、产品、服务、基础设施和解决方案的产业。",
        "有一部分指标是指令性的，下达到企业，必须执行。",        # 指令性 is no definition
        "（三）中小企业专项资金，是指省级财政安排的用于支持中小企业发展的资金。"]})
    coded = bt.code_clauses(texts, dimensions=["instrument"])
    assert coded.loc["a", "evidence"] == "应当 (E_regulation); 数据共享 (S_information)"
    assert coded.loc["b", "code"] == "none"
    assert (coded.loc["d", "code"], coded.loc["c", "evidence"]) == ("none", "达到 (E_goals)")
    # her codebook: 无 does not list @definitions, so the definition of 专项资金 is 供给-资金;
    # listed, it is 无
    assert not book_none.masks_definitions()
    assert bt.code_clauses(texts, book_none).loc["d", "code"] == "供给-资金"
    text = (DATA / "codebook_chain_none.csv").read_text(encoding="utf-8")
    path = tmp_path / "mybook.csv"
    path.write_text(text.replace("施行|有效期,", "施行|有效期|@definitions,"), encoding="utf-8")
    mine = bt.read_codebook(path)
    assert mine.masks_definitions() and "@definitions" not in set(mine.phrases()["phrase"])
    assert bt.code_clauses(texts, mine).loc["d", "code"] == "无"
    # on a code that is not the no-instrument code it is an error naming the row
    path.write_text(text.replace("补贴|贴息,", "补贴|贴息|@definitions,"), encoding="utf-8")
    with pytest.raises(bt.errors.MetadataError,
                       match=r"mybook.csv:6: '@definitions' masks definitions and belongs to "
                             r"the no-instrument code .* not to '供给-资金'"):
        bt.read_codebook(path)


def test_files_saved_as_unicode_text_by_excel(book, tmp_path):
    """Excel's "Unicode 文本 (*.txt)" (and Notepad's "Unicode") is UTF-16 with a byte-order
    mark, little-endian (big-endian from some editors): the codebook, a coding sheet, a
    word list and a corpus file saved so read as their UTF-8 originals (session 45: they
    gave "no doc_id column (found [garbled])" or a mis-decoded file)."""
    text = (DATA / "codebook_chain.csv").read_text(encoding="utf-8")
    le, be = tmp_path / "book_le.csv", tmp_path / "book_be.csv"
    le.write_text(text, encoding="utf-16")                  # BOM + little-endian
    be.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    assert le.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in le.read_bytes()
    for path in (le, be):
        got = bt.read_codebook(path)
        pd.testing.assert_frame_equal(got.table, book.table)
        assert got.codes()[:2] == ["无", "供给-资金"]
    # a coding sheet saved as Unicode text: tab-separated UTF-16, as Excel writes it
    sheet = tmp_path / "zhang.txt"
    sheet.write_text("doc_id\ttext\tzhang\r\nzj#c1\t设立专项资金。\t供给-资金\r\n"
                     "zj#c2\t政府采购。\t需求-政府采购\r\n", encoding="utf-16")
    codes = bt.read_coding_sheet(sheet, codes=book)
    assert codes["zhang"].tolist() == ["供给-资金", "需求-政府采购"]
    assert codes.index.tolist() == ["zj#c1", "zj#c2"]
    # the tokenizer's word list
    words = tmp_path / "words.txt"
    words.write_text("磨憨\n瑞丽\n", encoding="utf-16")
    assert sorted(bt.segment.read_user_dict(words)) == ["瑞丽", "磨憨"]
    # a corpus file (bri_text.io.decode_bytes)
    folder = tmp_path / "docs"
    folder.mkdir()
    original = (DATA / "corpus" / "zj_2021_digital_regulation.txt").read_text(encoding="utf-8")
    (folder / "zj.txt").write_text(original, encoding="utf-16")
    assert bt.read_folder(folder).texts == bt.read_folder(
        DATA / "corpus", pattern="zj_2021_digital_regulation.txt").texts
    # a file with the mark that is not UTF-16 after it: an error naming the file
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe" + "编码".encode("utf-16-le") + b"\x00")
    with pytest.raises(bt.errors.EncodingError, match=r"bad.csv: the codebook file begins "
                                                      r"with a UTF-16 byte-order mark"):
        bt.read_codebook(bad)
