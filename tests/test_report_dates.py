"""The report's dates on the work reports exported to CSV as the README says (session 45):
``date`` dates 6 of the 52 reports, ``year`` all of them. The report (and bt.diffusion)
date a document its date column leaves undated by its year, year only."""
from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import bri_text as bt
from bri_text.__main__ import main
from bri_text.report._inputs import _date_note, _with_dates
from bri_text.reuse._diffusion import _years_as_dates as diffusion_dates


@pytest.fixture()
def exported(tmp_path, work_reports):
    path = tmp_path / "work_reports.csv"
    work_reports.docs.to_csv(path, index=False)     # the README's route
    return path


def test_the_reports_undated_by_date_are_dated_by_their_year(exported, work_reports):
    """dates45: the page said "the corpus's own column 'date' (46 documents undated)"."""
    corpus = bt.read_csv(exported)
    docs = corpus.docs.set_index("doc_id")
    n_days = int(work_reports.docs["date"].notna().sum())
    assert n_days == 6 and docs["year"].notna().all() and len(docs) == 52
    dated, col = _with_dates(corpus, None)
    got = dated.docs.set_index("doc_id")["date"]
    assert col == "date" and dated.years_as_dates == 52 - n_days
    assert got.notna().all()
    assert got["wr1957"] == "1957-06-26"         # a date given stays as given
    assert got["wr1954"] == "1954"               # the year, year only
    note = _date_note(dated, str(exported), col)
    assert "undated)" not in note
    assert "column “date” for 6 documents, and for the 46 it leaves undated their " \
        "column “year” (a year-only date" in note
    # the one rule of bt.diffusion, which dates them so too (with its warning)
    with pytest.warns(UserWarning, match="46 document\\(s\\) have no date but a year"):
        by_diffusion = diffusion_dates(corpus.docs, "date")
    assert by_diffusion["date"].tolist() == dated.docs["date"].tolist()


def test_years_alone_date_the_documents_and_a_named_column_wins(exported):
    """A corpus with years and no date column is dated by them; --date-column still
    chooses (here the partial date column: its gaps take the year)."""
    without = bt.Corpus.from_dataframe(pd.read_csv(exported).drop(columns="date"))
    dated, col = _with_dates(without, None)
    assert col == "date" and dated.date_from == "year" and dated.years_as_dates == 52
    assert dated.docs["date"].tolist() == [str(y) for y in without.docs["year"]]
    assert _date_note(dated, str(exported), col) == (
        "Dates: the corpus's column “year” (year-only dates), found by its name "
        "(--date-column chooses another).")
    named, col = _with_dates(bt.read_csv(exported), "year")
    assert named.docs["date"].str.len().eq(4).all() and named.years_as_dates == 0
    # a corpus dated throughout is left as it is
    full = bt.Corpus.from_dataframe(pd.DataFrame({"text": ["甲。", "乙。"],
                                                  "date": ["2020-01-02", "2021-03-04"]}))
    assert _with_dates(full, None) == (full, "date")


def test_built_in_corpus_names_are_read_and_a_wrong_name_says_them(tmp_path, monkeypatch):
    """dates45: ``--corpus work_reports`` said "no such file or folder"."""
    from bri_text.errors import InputError, ParameterError
    from bri_text.report._inputs import _load

    monkeypatch.chdir(tmp_path)
    corpus, source, left_out = _load("work_reports", None)
    assert len(corpus) == 52 and source == "built-in: bri_text.load_work_reports()"
    assert corpus.docs["doc_id"].iloc[0] == "wr1954" and left_out == []
    assert _load(None, None)[1] == _load("bri_policies", None)[1] \
        == "built-in: bri_text.load_bri_policies()"
    with pytest.raises(InputError, match=r"corpus='work_report': no such file or folder, "
                                         r"nor the name of a built-in corpus "
                                         r"\(bri_policies, work_reports;.*to_csv"):
        _load("work_report", None)
    with pytest.raises(ParameterError, match="text_column='正文' is for a .csv"):
        _load("work_reports", None, text_column="正文")
    with pytest.raises(ParameterError, match="corpus='work_reports' is a built-in corpus"):
        _load("work_reports", "metadata.csv")
    # a folder of one's own of that name is a folder
    (tmp_path / "work_reports").mkdir()
    (tmp_path / "work_reports" / "a.txt").write_text("推进数字经济发展。", encoding="utf-8")
    corpus, source, _ = _load("work_reports", None)
    assert corpus.doc_ids == ["a"] and source == "work_reports"


@pytest.mark.slow   # two reports of the 52 work reports (about 10 s each)
def test_the_page_and_manifest_date_every_report(exported, tmp_path, monkeypatch):
    """The export read as a CSV and the built-in corpus named (--corpus work_reports): the
    page dates all 52 reports, and both give the same tables."""
    monkeypatch.chdir(tmp_path)
    args = ["report", "--by", "decade", "--compare", "1950", "2010", "--topics", "0",
            "--n-boot", "20", "--orientation", "off", "--quiet", "--no-timestamp"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(args + ["--corpus", str(exported), "--out", "csv"]) == 0
        assert main(args + ["--corpus", "work_reports", "--out", "named"]) == 0
    for out in ("csv", "named"):
        page = (tmp_path / out / "index.html").read_text(encoding="utf-8")
        assert "undated)" not in page
        assert "Dates: the corpus&#39;s own column “date” for 6 documents, and for the 46 " \
            "it leaves undated their column “year”" in page
        man = json.loads((tmp_path / out / "manifest.json").read_text(encoding="utf-8"))
        assert man["parameters"]["date_column_used"] == "date"
        assert man["parameters"]["dates_from_year"] == 46
        assert man["corpus"]["years"]["1950"]["years"] == "1954–1959"
    assert man["corpus"]["source"] == "built-in: bri_text.load_work_reports()"
    tables = sorted(p.name for p in (tmp_path / "csv" / "tables").iterdir())
    assert "keyness_1950_vs_2010.csv" in tables
    assert tables == sorted(p.name for p in (tmp_path / "named" / "tables").iterdir())
    for name in tables:
        assert (tmp_path / "csv" / "tables" / name).read_bytes() == \
            (tmp_path / "named" / "tables" / name).read_bytes(), name
