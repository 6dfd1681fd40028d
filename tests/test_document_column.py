"""A table with one row per section of a report: ``document=`` (``--document-column``)
names each row's document, so that document-level tests, intervals and counts count whole
reports (session 44, audit44 finding 7). The sections are those of the built-in work
reports, split at their top-level headings (一、二、三…) as a researcher's workbook splits
them."""
from __future__ import annotations

import copy
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt
from bri_text.errors import MetadataError, ParameterError

DATA = Path(__file__).resolve().parent / "data"
HEADING = re.compile(r"\n(?=[一二三四五六七八九十]+、)")


def sectioned(first: int, last: int, split_from: int) -> pd.DataFrame:
    """The work reports of ``first``..``last`` as a workbook keeps them: those of
    ``split_from`` on one row per section (title 2015年政府工作报告（一、…）), the others
    whole; columns 标题, 年份 ("2019年"), 总理, 正文."""
    reports = bt.load_work_reports().docs
    reports = reports[reports["year"].between(first, last)].sort_values("year")
    rows = []
    for r in reports.itertuples():
        parts = HEADING.split(r.text) if r.year >= split_from else [r.text]
        for i, part in enumerate(parts):
            head = part.split("\n", 1)[0][:20] if i else "开头"
            title = f"{r.year}年政府工作报告" + (f"（{head}）" if len(parts) > 1 else "")
            rows.append({"标题": title, "年份": f"{r.year}年", "总理": r.speaker, "正文": part})
    return pd.DataFrame(rows)


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.fixture(scope="module")
def audit_table():
    """2004-2023 (温家宝's reports whole, 李克强's from 2015 on in sections), as audit44's
    workbook."""
    return sectioned(2004, 2023, 2015)


@pytest.fixture(scope="module")
def tokens(audit_table):
    """(tokens with parent_id = the report, the same tokens with each row a document):
    one segmentation, the second only without parent_id."""
    corpus = bt.Corpus.from_dataframe(audit_table, text="正文", document="年份")
    by_report = bt.tokenize(corpus)
    by_row = copy.copy(by_report)
    by_row.docs = by_report.docs.drop(columns="parent_id")
    return by_report, by_row


@pytest.fixture(scope="module")
def matrices(tokens):
    by_report = bt.dtm(tokens[0])
    by_row = copy.copy(by_report)
    by_row.docs = by_report.docs.drop(columns="parent_id")
    return by_report, by_row


# ------------------------------------------------------------------------ reading
def test_document_column_sets_parent_id_and_says_so(tmp_path, audit_table):
    path = tmp_path / "reports.xlsx"
    audit_table.to_excel(path, index=False, sheet_name="国务院")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        corpus = bt.read_excel(path, text="正文", document="年份")
    # named: no warning about sections (the openings 各位代表：… repeat word for word)
    assert not [w for w in record if "look like parts" in str(w.message)]
    n_reports = audit_table["年份"].nunique()
    assert corpus.docs["parent_id"].nunique() == n_reports == 19
    assert len(corpus) == len(audit_table)
    # the rows of one report share its year as parent_id, in the reader's column order
    assert list(corpus.docs.columns[:3]) == ["doc_id", "text", "parent_id"]
    rows_2019 = corpus.docs[corpus.docs["年份"] == "2019年"]
    assert set(rows_2019["parent_id"]) == {"2019年"}
    assert len(rows_2019) == len(HEADING.split(
        bt.load_work_reports().subset(year=2019).texts[0]))
    assert corpus.derived["parent_id"] == (f"from column '年份' ({len(audit_table)} rows of "
                                           f"{n_reports} documents)")
    assert repr(corpus).startswith(f"<Corpus: {len(audit_table)} rows of {n_reports} "
                                   "documents, ")
    # CSV and a DataFrame: the same documents
    audit_table.to_csv(tmp_path / "reports.csv", index=False)
    from_csv = _quiet(bt.read_csv, tmp_path / "reports.csv", text="正文", document="年份")
    assert from_csv.docs["parent_id"].tolist() == corpus.docs["parent_id"].tolist()


def test_document_column_errors_name_the_table_and_the_column(tmp_path):
    table = pd.DataFrame({"报告": ["a", "a"], "text": ["一、甲。", "二、乙。"]})
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)
    with pytest.raises(MetadataError, match=r"t\.csv: document column '年份' not found.*'报告'"):
        bt.read_csv(path, document="年份")
    with pytest.raises(MetadataError, match="has a 'parent_id' column already"):
        bt.Corpus.from_dataframe(table.assign(parent_id=["x", "y"]), document="报告")
    # a row without a value: a document of its own (its doc_id), counted in derived
    alone = bt.Corpus.from_dataframe(table.assign(报告=["a", None]), document="报告")
    assert alone.docs["parent_id"].tolist() == ["a", "doc1"]
    assert "1 row(s) without a value" in alone.derived["parent_id"]


def test_reshape_keeps_the_document_of_each_row():
    table = sectioned(2018, 2019, 2018)
    corpus = bt.Corpus.from_dataframe(table, text="正文", document="年份")
    paragraphs = corpus.reshape("paragraph")
    assert set(paragraphs.docs["parent_id"]) == {"2018年", "2019年"}
    # every paragraph of every section, offsets into its row's text
    first = paragraphs.docs.iloc[0]
    assert first["doc_id"] == "doc0#p0"
    assert corpus.texts[0][first["start"]:first["end"]] == first["text"]
    assert len(paragraphs) == sum(len(corpus.subset(corpus.docs["doc_id"] == d)
                                      .reshape("paragraph")) for d in corpus.doc_ids)
    with pytest.raises(ParameterError, match="already reshaped"):
        paragraphs.reshape("sentence")
    # tokens reshaped too (the topic model's paragraphs): the document, not the row
    units = bt.tokenize(corpus).reshape("paragraph")
    assert set(units.docs["parent_id"]) == {"2018年", "2019年"}
    # the fingerprint is of ids and texts: the same with or without document=
    plain = _quiet(bt.Corpus.from_dataframe, table, text="正文")
    assert plain.fingerprint == corpus.fingerprint


def test_a_section_repeated_in_another_report_is_no_duplicate(audit_table):
    # the openings (各位代表：现在，我代表国务院，向大会报告政府工作…) repeat word for word
    openings = audit_table[audit_table["标题"].str.endswith("（开头）")]
    repeated = openings[openings["正文"].duplicated()]
    assert len(repeated) >= 2
    rows = _quiet(bt.Corpus.from_dataframe, audit_table, text="正文")
    assert set(repeated.index) <= {int(i[3:]) for i in rows.duplicates()["doc_id"]}
    corpus = bt.Corpus.from_dataframe(audit_table, text="正文", document="年份")
    assert corpus.duplicates().empty       # each report keeps its opening
    # a section repeated inside its own report still is a duplicate
    twice = pd.concat([audit_table, audit_table.iloc[[-1]]], ignore_index=True)
    copies = _quiet(bt.Corpus.from_dataframe, twice, text="正文", document="年份").duplicates()
    assert copies.values.tolist() == [[f"doc{len(audit_table)}", f"doc{len(audit_table) - 1}",
                                       1.0, "exact"]]


# ------------------------------------------------------------------------ the warning
def test_rows_that_look_like_sections_are_warned_about_once_naming_a_column(audit_table):
    with pytest.warns(UserWarning) as record:
        bt.Corpus.from_dataframe(audit_table, text="正文")
    said = [str(w.message) for w in record if "look like parts" in str(w.message)]
    assert len(said) == 1
    n_split = int((audit_table["年份"].str[:4].astype(int) >= 2015).sum())
    n_reports = audit_table.loc[audit_table["年份"].str[:4].astype(int) >= 2015,
                                "年份"].nunique()
    assert f"{n_split} of {len(audit_table)} rows look like parts of {n_reports} documents" \
        in said[0]
    assert "2015年政府工作报告 · 2015年" in said[0]
    assert "document='年份'" in said[0] and "--document-column 年份" in said[0]


def test_whole_documents_are_not_warned_about(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for corpus in (bt.load_work_reports(), bt.load_bri_policies()):
            bt.Corpus.from_dataframe(corpus.docs)
        bt.read_csv(DATA / "provincial_reports_2026.csv")
        bt.read_csv(DATA / "digital_economy_policies.csv")
        bt.read_csv(DATA / "instrument_clauses.csv")
        # a table whose reports all have the same title, each of another year
        reports = bt.load_work_reports().docs
        bt.Corpus.from_dataframe(reports.assign(title="政府工作报告"))


def test_rows_beginning_with_later_headings_are_warned_about_without_titles():
    table = sectioned(2017, 2019, 2017).drop(columns=["标题"])
    with pytest.warns(UserWarning, match=r"rows begin with a later heading \(such as 二、") \
            as record:
        bt.Corpus.from_dataframe(table, text="正文")
    said = [str(w.message) for w in record if "later heading" in str(w.message)]
    assert len(said) == 1 and "document='COLUMN'" in said[0]


# ------------------------------------------------------------------------ the tests
def test_permutation_keyness_counts_whole_reports(audit_table, tokens, matrices):
    by_report, by_row = matrices
    kw = dict(target={"总理": "温家宝"}, reference={"总理": "李克强"},
              measure="permutation", n_boot=2000, random_state=1, min_docs=3)
    k_report = bt.keyness(by_report, **kw).set_index("term")
    k_row = bt.keyness(by_row, **kw).set_index("term")
    speaker = audit_table.drop_duplicates("年份")["总理"]
    rows = audit_table["总理"]
    # documents: the reports of each premier, not the rows
    assert k_report.attrs["n_docs_target"] == int((speaker == "温家宝").sum()) == 10
    assert k_report.attrs["n_docs_reference"] == int((speaker == "李克强").sum()) == 9
    assert k_row.attrs["n_docs_reference"] == int((rows == "李克强").sum()) > 9
    # 生产 (the token): in every report of both premiers ...
    has = pd.Series(["生产" in t for t in tokens[0].tokens], index=audit_table.index)
    per_report = has.groupby(audit_table["年份"]).any()
    assert per_report.all() and len(per_report) == 19
    li_sections = int(has[rows == "李克强"].sum())
    assert k_report.loc["生产", "docs_target"] == 10
    assert k_report.loc["生产", "docs_reference"] == 9
    assert k_row.loc["生产", "docs_reference"] == li_sections < int((rows == "李克强").sum())
    # ... "key" for 温家宝 when the sections of 李克强's reports count as documents, not
    # when the reports do
    assert k_row.loc["生产", "p_value"] < 0.05 < k_report.loc["生产", "p_value"]
    # and fewer terms more frequent in 温家宝's reports at q < .05 report by report
    sig_report = int(((k_report["score"] > 0) & (k_report["q_value"] < 0.05)).sum())
    sig_row = int(((k_row["score"] > 0) & (k_row["q_value"] < 0.05)).sum())
    assert 0 < sig_report < sig_row / 2


def test_bootstrap_intervals_resample_reports(audit_table, tokens):
    by_report, by_row = tokens
    kw = dict(by="总理", n_boot=50, random_state=1)
    p_report = _quiet(bt.profile, by_report, **kw).set_index(["group", "category"])
    p_row = _quiet(bt.profile, by_row, **kw).set_index(["group", "category"])
    li = audit_table[audit_table["总理"] == "李克强"]
    assert set(p_report.loc["李克强", "n_docs"]) == {li["年份"].nunique()} == {9}
    assert set(p_row.loc["李克强", "n_docs"]) == {len(li)}
    # the same rates; resampling 9 reports, not their sections as independent documents,
    # gives wider intervals of 李克强's rates
    assert (p_report["per_10k"] == p_row["per_10k"]).all()
    width = lambda p: (p.loc["李克强", "ci_high"] - p.loc["李克强", "ci_low"]).mean()  # noqa: E731
    assert width(p_report) > width(p_row)


def _said(fn, *args, **kwargs) -> list[str]:
    """The messages of the warnings about documents split between groups."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fn(*args, **kwargs)
    return [str(w.message) for w in record if "more than one" in str(w.message)]


def test_a_report_split_between_groups_is_warned_about_once_by_name(audit_table, tokens,
                                                                     matrices):
    # one section of 李克强's 2019 report coded 温家宝 (a slip in the workbook's column)
    rows_2019 = audit_table.index[audit_table["年份"] == "2019年"]
    slip = audit_table["总理"].copy()
    slip[rows_2019[2]] = "温家宝"
    m = copy.copy(matrices[0])
    m.docs = m.docs.assign(总理=slip.to_numpy())
    said = _said(bt.keyness, m, by="总理")
    assert len(said) == 1                       # once per call, not once per group
    n_li = len(rows_2019) - 1
    # the groups in the order of the by column (温家宝's reports come first)
    assert (f"keyness: 1 document has units in more than one group of '总理' (2019年: "
            f"温家宝 1 unit, 李克强 {n_li} units)") in said[0]
    assert "same value of '总理'" in said[0] and "document=COLUMN" in said[0]
    # target= / reference=: the same check, the same report
    said = _said(bt.keyness, m, target={"总理": "温家宝"}, reference={"总理": "李克强"})
    assert len(said) == 1 and f"(2019年: target 1 unit, reference {n_li} units)" in said[0]
    # profile (its intervals resample the reports) says so too
    t = copy.copy(tokens[0])
    t.docs = t.docs.assign(总理=slip.to_numpy())
    said = _said(bt.profile, t, by="总理")
    assert len(said) == 1 and "profile: 1 document" in said[0] and "2019年:" in said[0]
    # the workbook as it is: every report has one premier, nothing to say
    assert audit_table.groupby("年份")["总理"].nunique().max() == 1
    assert not _said(bt.keyness, matrices[0], by="总理")
    assert not _said(bt.profile, tokens[0], by="总理")
    # each row its own document (no document column): the slip splits no document
    rows = copy.copy(matrices[1])
    rows.docs = rows.docs.assign(总理=slip.to_numpy())
    assert not _said(bt.keyness, rows, by="总理")


# ------------------------------------------------------------------------ the report
@pytest.mark.slow   # a report (about 6 s)
def test_report_document_column_counts_reports_not_rows(tmp_path, capsys):
    from bri_text.__main__ import main

    table = sectioned(2008, 2019, 2014)
    path = tmp_path / "reports.xlsx"
    table.to_excel(path, index=False, sheet_name="国务院")
    out = tmp_path / "r"
    assert main(["report", "--corpus", str(path), "--text-column", "正文", "--by", "总理",
                 "--compare", "李克强", "温家宝", "--document-column", "年份", "--topics",
                 "0", "--n-boot", "20", "--out", str(out), "--quiet", "--no-timestamp"]) == 0
    import json

    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reports = table.drop_duplicates("年份")["总理"].value_counts()
    rows = table["总理"].value_counts()
    assert rows["李克强"] > reports["李克强"] == 6
    tests = man["parameters"]["keyness_tests"]
    assert tests["李克强"]["documents"] == [reports["李克强"], reports["温家宝"]]
    assert tests["李克强"]["measure"] == "permutation"
    assert man["parameters"]["document_column"] == "年份"
    assert "--document-column 年份" in man["command"] or "document_column='年份'" in json.dumps(
        man, ensure_ascii=False)
    overview = pd.read_csv(out / "tables" / "overview.csv").set_index("group")
    assert overview.loc["李克强", "documents"] == reports["李克强"]
    assert overview.loc["李克强", "rows"] == rows["李克强"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "each a part of the document its column “年份” names" in page
    assert "look like parts" not in page


def test_report_document_column_is_for_a_table():
    from bri_text.report import report

    with pytest.raises(ParameterError, match="document_column='年份' is for a .csv, .xlsx"):
        report(["广西", "甘肃"], document_column="年份", out="unused")


# ------------------------------------------------------------------------ audit44 finding 8
@pytest.mark.slow   # a topic model (about 5 s)
def test_effects_on_years_written_as_text_points_to_year(audit_table):
    # the audit's workbook: 年份 "2019年", each row a document (as the audit ran it)
    corpus = _quiet(bt.Corpus.from_dataframe, audit_table, text="正文")
    assert corpus.derived["year"] == "from date"        # the reader made year of 年份
    model = _quiet(bt.TopicModel(n_topics=3, random_state=1, iterations=50).fit,
                   bt.tokenize(corpus))
    n_years = audit_table["年份"].nunique()
    with pytest.warns(UserWarning, match="years written as text") as record:
        text = model.effects("~ 年份", n_boot=0)
    said = [str(w.message) for w in record if "years written as text" in str(w.message)]
    assert len(said) == 1
    assert f"each of its {n_years} years is a category of its own" in said[0]
    assert "'~ year'" in said[0]
    # one coefficient a year (all but the first) against one slope with year
    assert len([t for t in text.terms if t.startswith("年份")]) == n_years - 1
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        numeric = model.effects("~ year", n_boot=0)
    assert not [w for w in record if "years written as text" in str(w.message)]
    assert numeric.terms == ["Intercept", "year"]


# ------------------------------------------------------------------------ cleaning
FOOTER = "人民网 全国两会专题"


def _with_footer(table: pd.DataFrame, rows) -> pd.DataFrame:
    """``table`` with a site's footer line (not a sentence, not a 版权所有 line, which the
    per-document step removes) below the text of the ``rows`` (a boolean mask)."""
    out = table.copy()
    out.loc[rows, "正文"] = out.loc[rows, "正文"] + "\n" + FOOTER
    return out


def test_boilerplate_min_df_counts_documents_not_sections():
    """``clean(boilerplate_min_df=...)`` counts the documents a line is in (``parent_id``
    from ``document=``), not the rows: the 2015-2025 reports in sections (10 reports, 2020
    not held), a site's footer below the last section of each."""
    table = sectioned(2015, 2025, 2015)
    n_reports = table["年份"].nunique()
    last = (~table["年份"].duplicated(keep="last")).to_numpy()
    assert last.sum() == n_reports and len(table) > 4 * n_reports

    def removed(t, document, min_df):
        corpus = _quiet(bt.Corpus.from_dataframe, t, text="正文", document=document)
        gone = _quiet(corpus.clean, boilerplate_min_df=min_df).removed
        return gone.loc[gone["step"] == "remove_repeated_lines", "text"].tolist()

    footers = _with_footer(table, last)
    # in every report: at least half of the documents (a share counts documents) ...
    assert removed(footers, "年份", 0.5) == [FOOTER] * n_reports
    # ... but in 10 of 42 rows, under half of the rows: kept when each row is a document
    assert removed(footers, None, 0.5) == []
    # a line below each section of one report (2019) is in one document: under min_df=3
    in_2019 = (table["年份"] == "2019年").to_numpy()
    assert in_2019.sum() >= 3
    one_report = _with_footer(table, in_2019)
    assert removed(one_report, "年份", 3) == []
    assert removed(one_report, None, 3) == [FOOTER] * int(in_2019.sum())
