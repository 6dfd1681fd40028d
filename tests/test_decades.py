"""by="decade" everywhere by= names a column of the documents (session 45), on the government
work reports 1954-2025: one rule (bri_text._grouping._decades), a decade column wins, else the
decade of year; no year: left out with the usual warning; neither column: an error naming both."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import bri_text as bt
from bri_text.errors import MetadataError, ParameterError

DECADES = [1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020]


@pytest.fixture(scope="module")
def per_decade(work_reports):
    """Reports per decade, counted from the year column."""
    return (work_reports.docs["year"].astype(int) // 10 * 10).value_counts().sort_index()


@pytest.fixture(scope="module")
def no_seventies(work_reports):
    """The reports without 1975, 1978 and 1979: the 1970s have no document."""
    years = [int(y) for y in work_reports.docs["year"] if not 1970 <= y < 1980]
    return bt.tokenize(work_reports.subset(year=years), progress=False)


def _corpus(work_reports, **columns):
    """The reports as a new corpus with columns replaced (None: dropped)."""
    docs = work_reports.docs.copy()
    for name, values in columns.items():
        if values is None:
            docs = docs.drop(columns=name)
        else:
            docs[name] = values
    return bt.Corpus.from_dataframe(docs)


def _quiet(f, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args, **kw)


def test_term_trends_by_decade(work_tokens, per_decade):
    """市场 per decade: the decades in time order as ints, each decade's count the sum of its
    years', its reports all there, and the 1990s rate (the socialist market economy) far
    above the 1960s' (one mention)."""
    tr = _quiet(bt.term_trends, work_tokens, ["市场"], by="decade", n_boot=0)
    assert tr["group"].tolist() == DECADES
    by_year = _quiet(bt.term_trends, work_tokens, ["市场"], by="year", n_boot=0, fill_years=False)
    sums = by_year.groupby(by_year["group"] // 10 * 10)["count"].sum()
    assert tr.set_index("group")["count"].astype(int).to_dict() == sums.to_dict()
    assert tr.set_index("group")["n_docs"].to_dict() == per_decade.to_dict()
    rate = tr.set_index("group")["per_10k"]
    assert rate[1990] > 10 * rate[1960]
    assert rate.idxmax() == 1990 and rate.idxmin() == 1960
    assert tr.attrs["freq"] == "decade" and tr.attrs["by"] == "decade"


def test_term_trends_fills_an_empty_decade(no_seventies):
    """Without the 1970s' reports, the 1970s are a row (no document, count <NA>), as a
    missing year is; 改革开放 is first seen in the 1980s, after a decade with no report."""
    with pytest.warns(UserWarning, match="改革开放 first seen 1980, after 1970 with no document"):
        tr = _quiet_but_gaps(no_seventies)
    seventies = tr[tr["group"] == 1970]
    assert len(seventies) == 2 and (seventies["n_docs"] == 0).all()
    assert seventies["count"].isna().all()
    assert (seventies["interval"] == "none: no document").all()
    assert tr["group"].drop_duplicates().tolist() == DECADES
    reform = tr[tr["term"] == "改革开放"].iloc[0]
    assert (reform["first_seen"], reform["first_seen_after"]) == (1980, 1960)
    assert reform["first_seen_censored"]
    unfilled = _quiet(bt.term_trends, no_seventies, ["市场"], by="decade", n_boot=0,
                      fill_years=False)
    assert 1970 not in unfilled["group"].tolist()


def _quiet_but_gaps(work_tokens):
    """term_trends by decade, letting only the first-seen-after-a-gap warning through."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*occur inside longer words")
        return bt.term_trends(work_tokens, ["市场", "改革开放"], by="decade", n_boot=0)


def test_keyness_by_decade_ranks_the_first_five_year_plan(work_tokens):
    """The 1950s against the other decades: 第一个五年计划 (1953-57) among the first five,
    社会主义改造 (completed 1956) among the first twenty, each mostly of the 1950s; 新常态
    (2014) only in the 2010s' reports."""
    k = _quiet(bt.keyness, work_tokens, by="decade")
    assert k["group"].drop_duplicates().tolist() == DECADES
    fifties = k[k["group"] == 1950].reset_index(drop=True)
    rank = {t: int(i) + 1 for i, t in fifties["term"].items()}
    assert rank["第一个五年计划"] <= 5 and rank["社会主义改造"] <= 20
    row = fifties.set_index("term").loc["社会主义改造"]
    assert row["count_target"] > 5 * row["count_reference"]
    tens = k[k["group"] == 2010].set_index("term")
    assert tens.loc["新常态", "count_reference"] == 0 and tens.loc["新常态", "count_target"] > 0
    later = k[k["group"] == 2010].reset_index(drop=True)
    assert later.index[later["term"] == "新常态"][0] < later.index[
        later["term"] == "第一个五年计划"][0]


def test_a_decade_column_of_ones_own_is_the_same(work_reports, work_tokens):
    """A hand-made decade column gives the same keyness table; a decade column wins over
    year (its labels are the groups)."""
    decade = work_reports.docs["year"].astype(int) // 10 * 10
    own = bt.tokenize(_corpus(work_reports, decade=decade), progress=False)
    a = _quiet(bt.keyness, work_tokens, by="decade", top_n=10)
    b = _quiet(bt.keyness, own, by="decade", top_n=10)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    eras = np.where(work_reports.docs["year"] < 1978, "改革开放前", "改革开放后")
    mine = bt.tokenize(_corpus(work_reports, decade=eras), progress=False)
    f = bt.frequencies(mine, by="decade", terms=["市场"])
    assert sorted(f["group"]) == ["改革开放前", "改革开放后"]


@pytest.mark.slow
def test_profile_and_orientation_by_decade(work_tokens, per_decade):
    """profile and orientation: the decades, each with its reports."""
    prof = _quiet(bt.profile, work_tokens, by="decade")
    assert prof["group"].drop_duplicates().tolist() == DECADES
    assert prof.drop_duplicates("group").set_index("group")["n_docs"].to_dict() == \
        per_decade.to_dict()
    ori = _quiet(bt.orientation, work_tokens, by="decade")
    assert ori["group"].drop_duplicates().tolist() == DECADES


def test_grouped_tables_by_decade(work_tokens, per_decade):
    """frequencies, a matrix's group and similarity_matrix: the same decades, each with its
    reports; neighbouring decades are more alike than distant."""
    freq = bt.frequencies(work_tokens, by="decade", terms=["市场"])
    assert freq["group"].tolist() == DECADES
    grouped = bt.dtm(work_tokens).group("decade")
    assert grouped.docs["decade"].tolist() == DECADES
    assert grouped.docs["n_units"].tolist() == per_decade.tolist()
    sim = bt.similarity_matrix(bt.dtm(work_tokens), by="decade")
    assert sim.index.tolist() == [str(d) for d in DECADES]
    assert sim.loc["2010", "2020"] > sim.loc["1950", "2020"]
    assert sim.loc["1990", "2000"] > sim.loc["1960", "2000"]


def test_trend_test_by_decade(work_tokens):
    """Each report with its decade: 市场 rises from the 1950s to the 2020s."""
    t = _quiet(bt.trend_test, work_tokens, ["市场"], by="decade", n_perm=999)
    row = t.iloc[0]
    assert (row["first_year"], row["last_year"]) == (1950, 2020)
    assert row["n_docs"] == 52 and row["trend"] == "rising"


def test_year_like_strings_and_missing_years(work_reports):
    """Years written as text ("1954年") give the same decades; a report with no year is
    left out with the library's warning, which names year."""
    years = [f"{int(y)}年" for y in work_reports.docs["year"]]
    years[0] = None                                   # wr1954: no year
    text = bt.tokenize(_corpus(work_reports, year=years, date=None), progress=False)
    with pytest.warns(UserWarning, match=r"1 document has no value in 'year'.*wr1954"):
        f = bt.frequencies(text, by="decade", terms=["市场"])
    assert f["group"].tolist() == DECADES
    full = bt.frequencies(bt.tokenize(work_reports, progress=False), by="decade", terms=["市场"])
    assert (f["count"].to_numpy() <= full["count"].to_numpy()).all()
    assert f.loc[f["group"] == 1990, "count"].item() == \
        full.loc[full["group"] == 1990, "count"].item()
    bad = bt.tokenize(_corpus(work_reports, year=["约1954"] + years[1:], date=None),
                      progress=False)
    with pytest.raises(ParameterError, match=r"not years.*约1954"):
        bt.frequencies(bad, by="decade")


def test_a_date_column_when_there_is_no_year():
    """No year column: the decades of the date column (ISO dates or datetimes)."""
    coded = pd.DataFrame({"doc_id": ["a#c0", "b#c0", "c#c0"], "parent_id": ["a", "b", "c"],
                          "date": ["1957-06-26", "1964-12-21", "2013-03-05"],
                          "code": ["D_trade", "S_talent", "D_trade"]})
    t = bt.instrument_shares(coded, by="decade")
    assert t["group"].drop_duplicates().tolist() == [1950, 1960, 2010]
    dated = coded.assign(date=pd.to_datetime(coded["date"]))
    assert bt.instrument_shares(dated, by="decade").equals(t)


def test_no_year_and_no_decade_is_an_error_naming_both(work_reports):
    some = work_reports.subset(year=[2013, 2014, 2015])
    undated = bt.tokenize(_corpus(some, year=None, date=None), progress=False)
    for call in (lambda: bt.term_trends(undated, ["市场"], by="decade", n_boot=0),
                 lambda: bt.keyness(undated, by="decade"),
                 lambda: bt.profile(undated, by="decade"),
                 lambda: bt.trend_test(undated, ["市场"], by="decade"),
                 lambda: bt.term_company(undated, "市场")):
        with pytest.raises(MetadataError, match=r"by='decade'.*'decade'.*'year'"):
            call()
    with pytest.raises(ParameterError, match="freq='quarter'.*decade"):
        bt.term_trends(bt.tokenize(some, progress=False), ["市场"], by="decade",
                       freq="quarter", n_boot=0)


def test_instrument_shares_by_decade():
    """Clauses grouped by the decade of their document's year; a clause with no year is
    left out with the warning naming year."""
    coded = pd.DataFrame({"doc_id": ["a#c0", "a#c1", "b#c0", "c#c0", "d#c0"],
                          "parent_id": ["a", "a", "b", "c", "d"],
                          "year": [1995, 1995, "2003年", 2009, None],
                          "code": ["D_trade", "S_talent", "D_trade", "S_talent", "D_trade"]})
    with pytest.warns(UserWarning, match=r"no value in 'year'.*\['d'\]"):
        t = bt.instrument_shares(coded, by="decade")
    assert t[["group", "code", "count"]].values.tolist() == [
        [1990, "D_trade", 1], [1990, "S_talent", 1], [2000, "D_trade", 1],
        [2000, "S_talent", 1]]
    assert t.loc[t["group"] == 2000, "n_docs"].tolist() == [2, 2]


def test_plot_term_trends_by_decade(no_seventies):
    """A decade table is drawn on a decade axis: the empty 1970s a gap, not nine years."""
    import matplotlib.pyplot as plt

    tr = _quiet(bt.term_trends, no_seventies, ["市场"], by="decade", n_boot=0)
    ax = bt.plot.term_trends(tr)
    line = ax.get_lines()[0]
    assert line.get_xdata().tolist() == DECADES
    assert np.isnan(line.get_ydata()[DECADES.index(1970)])
    assert ax.get_xlabel() == "decade" and len(ax.patches) == 1
    plt.close(ax.figure)


def test_an_interval_between_decades_without_one_is_drawn(work_tokens):
    """The 1950s (6 reports) have an interval, the 1960s (2 reports) none: a band needs two
    adjacent points, so the 1950s' interval was not drawn at all; it is now a bar from
    ci_low to ci_high, and only there."""
    import matplotlib.pyplot as plt

    tr = _quiet(bt.term_trends, work_tokens, ["市场"], by="decade", n_boot=200)
    row = tr.set_index("group").loc[1950]
    assert np.isfinite(row["ci_low"]) and np.isnan(tr.set_index("group").loc[1960, "ci_low"])
    ax = bt.plot.term_trends(tr)
    bars = [c for c in ax.collections if c.get_gid() == "interval alone"]
    assert len(bars) == 1
    (seg,) = bars[0].get_segments()
    assert seg.tolist() == [[1950, row["ci_low"]], [1950, row["ci_high"]]]
    plt.close(ax.figure)


@pytest.mark.slow
def test_topic_trends_by_decade(no_seventies):
    """A topic model's trends by decade fill the empty 1970s; difference takes decades."""
    from bri_text.topics import TopicModel

    model = TopicModel(4, random_state=1, iterations=30).fit(no_seventies)
    tr = _quiet(model.trends, by="decade", n_boot=0)
    assert tr["group"].drop_duplicates().tolist() == DECADES
    assert (tr.loc[tr["group"] == 1970, "n_docs"] == 0).all()
    assert tr.loc[tr["group"] == 1970, "share"].isna().all()
    d = model.difference(by="decade", a=1950, b=2010, n_boot=0)
    assert d["n_docs_b"].iloc[0] == 10
    import matplotlib.pyplot as plt

    ax = bt.plot.topic_trends(tr, topics=[0])
    assert ax.get_lines()[0].get_xdata().tolist() == DECADES
    assert ax.get_xlabel() == "decade" and len(ax.patches) == 1
    plt.close(ax.figure)


# ------------------------------------------------- session 45 (tail45): conditions, report, Dask
def test_a_decade_condition_is_the_decade_group(work_reports, work_tokens):
    """keyness(target={"decade": 1950}) is the 1950s against every other report, the same
    table as the 1950 rows of keyness(by="decade"); 第一个五年计划's count is its count in
    the six reports of 1954-1959. subset(decade=1950) keeps those six."""
    one = _quiet(bt.keyness, work_tokens, target={"decade": 1950}, top_n=20).head(20)
    by = _quiet(bt.keyness, work_tokens, by="decade")
    fifties = by[by["group"] == 1950].head(20).reset_index(drop=True)
    assert one["term"].tolist() == fifties["term"].tolist()
    assert one["count_target"].tolist() == fifties["count_target"].tolist()
    years = work_reports.subset(decade=1950).docs["year"].astype(int).tolist()
    assert sorted(years) == [1954, 1955, 1956, 1957, 1958, 1959]
    in_fifties = work_tokens.docs["year"].astype(int).between(1950, 1959).to_numpy()
    counted = sum(t.count("第一个五年计划")
                  for t, keep in zip(work_tokens.tokens, in_fifties) if keep)
    row = one.set_index("term").loc["第一个五年计划"]
    assert row["count_target"] == counted
    assert row["docs_target"] == 6 - sum(                      # reports that never say it
        not any("第一个五年计划" in t for t, y in zip(work_tokens.tokens, work_tokens.docs["year"])
                if int(y) == year) for year in years)
    with pytest.raises(MetadataError, match=r"matches no units; values of 'decade': "
                                            r"\[1950, 1960"):
        bt.keyness(work_tokens, target={"decade": "1950s"})


def test_a_decade_condition_without_years_is_the_error_naming_both(work_reports):
    undated = _corpus(work_reports.subset(year=[2013, 2014]), year=None, date=None)
    with pytest.raises(MetadataError, match=r"target='decade' needs a column 'decade' or "
                                            r"a column 'year'"):
        bt.keyness(bt.tokenize(undated, progress=False), target={"decade": 2010})


def test_report_groups_by_decade(work_reports):
    """report(by="decade") (--by decade) compares decades of the year, by the same rule:
    a decade that is not there is named with the decades that are (before anything is
    written), not 'no such metadata column'."""
    from bri_text.report import report

    some = work_reports.subset(year=[1954, 1955, 1994, 2013, 2014])
    with pytest.raises(MetadataError, match=r"compare='1970' is not a value of 'decade'.*"
                                            r"values of 'decade': 1950、1990、2010"):
        report(compare=["1950", "1970"], by="decade", corpus=some, out="never-written")
    from bri_text.report._inputs import _resolve_groups, _with_decades

    dec = _with_decades(some, "decade")
    assert dec.docs["decade"].tolist() == ["1950", "1950", "1990", "2010", "2010"]
    assert _resolve_groups(dec.docs, "decade", ["1950", "2010"]) == (["1950", "2010"], [])
    assert "decade" not in some.docs.columns                 # the reader's corpus untouched


@pytest.mark.slow   # a report (about 8 s)
def test_report_cli_by_decade(work_reports, tmp_path):
    """python -m bri_text report --by decade: the 1950s' key terms against the 2010s'."""
    import json
    import subprocess
    import sys

    some = work_reports.subset(year=[1954, 1955, 1956, 2013, 2014, 2015])
    path = tmp_path / "reports.csv"
    some.docs.assign(text=some.texts).to_csv(path, index=False)
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "bri_text", "report", "--corpus", str(path),
                    "--by", "decade", "--compare", "1950", "2010", "--topics", "2",
                    "--out", str(out)], check=True, capture_output=True)
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["parameters"]["groups"] == ["1950", "2010"]
    docs = pd.read_csv(out / "tables" / "documents.csv")
    assert docs.groupby("decade")["doc_id"].apply(list).to_dict() == {
        1950: ["wr1954", "wr1955", "wr1956"], 2010: ["wr2013", "wr2014", "wr2015"]}
    key = pd.read_csv(out / "tables" / "keyness_1950_vs_2010.csv")
    assert (key["count_target"] > key["count_reference"]).head(5).all()


def test_dask_group_counts_by_decade():
    """btd.group_counts / group_profile by="decade": the in-memory groups, by the same rule
    (a report with no year left out with the warning naming year)."""
    pytest.importorskip("dask.dataframe")
    from bri_text import distributed as btd

    wr = bt.load_work_reports()
    some = wr.subset(year=[1954, 1957, 1964, 1988, 1994, 2015])
    docs = some.docs.astype({"year": object})
    docs.loc[docs["year"] == 1964, "year"] = None
    some = bt.Corpus(docs)
    frame = btd.from_corpus(some, npartitions=3)
    with pytest.warns(UserWarning, match=r"1 document has no value in 'year'.*wr1964"):
        got = btd.group_counts(frame, by="decade")
    want = _quiet(bt.dtm(bt.tokenize(some, progress=False)).group, "decade")
    assert got.docs["decade"].tolist() == [1950, 1980, 1990, 2010]
    assert got.docs["n_units"].tolist() == [2, 1, 1, 1]
    assert got.terms.tolist() == want.terms.tolist() and (got.counts != want.counts).nnz == 0
    pd.testing.assert_frame_equal(got.docs, want.docs)
    prof = _quiet(btd.group_profile, frame, "five_connectivities", by="decade")
    assert prof["group"].drop_duplicates().tolist() == [1950, 1980, 1990, 2010]
    with pytest.raises(MetadataError, match=r"'decade'.*'year'"):
        btd.group_counts(frame.drop(columns=["year", "date"]), by="decade")


def _decade_years(work_reports, decade):
    return [int(y) for y in work_reports.docs["year"] if decade <= y < decade + 10]


def test_permutation_keyness_1950s_vs_2010s_enumerates_every_split(work_reports, work_tokens):
    """Session 45 (stats45, section 2): the 6 reports of the 1950s against the 10 of the
    2010s split C(16, 6) = 8,008 ways, few enough to enumerate (EXACT_SPLITS = 10,000)
    though n_boot is 1,000: p is exact, its floor 1/8008 (was 1/1001 with random
    relabellings), and the same whatever random_state. The order (by Welch's t) is what
    measure="welch" gives; the top term is reached by no split but the observed one."""
    from math import comb

    from bri_text.compare._doc_tests import EXACT_SPLITS

    fifties = {"year": _decade_years(work_reports, 1950)}
    tens = {"year": _decade_years(work_reports, 2010)}
    assert comb(16, 6) == 8008 <= EXACT_SPLITS
    k = _quiet(bt.keyness, work_tokens, fifties, tens, "permutation", min_docs=3)
    again = _quiet(bt.keyness, work_tokens, fifties, tens, "permutation", min_docs=3,
                   random_state=7)
    a = k.attrs
    assert (a["n_docs_target"], a["n_docs_reference"]) == (6, 10)
    assert a["p_exact"] is True and a["min_p"] == 1 / 8008 and a["stop_hits"] is None
    np.testing.assert_array_equal(k["p_value"].to_numpy(), again["p_value"].to_numpy())
    welch = _quiet(bt.keyness, work_tokens, fifties, tens, "welch", min_docs=3)
    assert k["term"].iloc[0] == welch["term"].iloc[0]
    assert k["p_value"].iloc[0] == 1 / 8008
    # every p is a count of splits over 8,008
    hits = k["p_value"].to_numpy() * 8008
    np.testing.assert_allclose(hits, np.round(hits), atol=1e-6)
    assert (hits >= 1).all()


@pytest.mark.slow    # 20,000 random relabellings of 4,500 terms (about 3 s)
def test_exact_and_monte_carlo_permutation_p_agree(work_reports, work_tokens):
    """The exact p (every one of the 8,008 splits of the 1950s' 6 reports and the 2010s'
    10) and the Monte Carlo p of 20,000 random splits (exact_max=0, no early stop) estimate
    the same share: within 3 Monte Carlo standard errors sqrt(p (1 - p) / 20,000) for all
    but about 0.3% of the terms, and within 5 for every term."""
    from bri_text.compare._doc_tests import permutation_test
    from bri_text.compare._keyness import _document_counts

    m = bt.dtm(work_tokens)
    year = m.docs["year"].to_numpy().astype(int)
    t, r = (year >= 1950) & (year < 1960), (year >= 2010) & (year < 2020)
    keep = np.arange(len(m.terms))
    ct, tt = _document_counts(m, t, keep)
    cr, tr = _document_counts(m, r, keep)
    used = (np.vstack([ct, cr]) > 0).sum(axis=0) >= 3
    ft, fr = (ct / tt[:, None])[:, used], (cr / tr[:, None])[:, used]
    _, exact_p, min_p, exact = permutation_test(ft, fr, 1000, None)
    assert exact and min_p == 1 / 8008
    _, mc_p, mc_min, mc_exact = permutation_test(ft, fr, 20_000, np.random.default_rng(3),
                                                 stop_hits=None, exact_max=0)
    assert not mc_exact and mc_min == 1 / 20_001
    se = np.sqrt(np.maximum(exact_p * (1 - exact_p), 1 / 8008) / 20_000)
    z = np.abs(mc_p - exact_p) / se
    assert len(z) > 4000 and np.mean(z > 3) < 0.01 and z.max() < 5


def test_keyness_warns_when_a_decade_has_two_reports(work_tokens):
    """The 1960s have two reports (1960, 1964): against the other 50 they split C(52, 2) =
    1,326 ways, enumerated, so the smallest p is 1/1326; one warning names that group and
    its smallest attainable p and says document-level inference needs more documents. The
    1970s (3 reports) are not named."""
    with pytest.warns(UserWarning, match="fewer than 3 documents") as rec:
        k = bt.keyness(work_tokens, by="decade", measure="permutation", min_docs=3)
    msgs = [str(w.message) for w in rec if "fewer than 3 documents" in str(w.message)]
    assert len(msgs) == 1
    assert "group 1960 (2 vs 50 documents: smallest attainable p 0.00075 = 1/1,326)" in msgs[0]
    assert "group 1970" not in msgs[0] and "needs" in msgs[0]
    sixties = k.attrs["groups"][1960]
    assert sixties["p_exact"] is True and sixties["min_p"] == 1 / 1326
    assert (k.loc[k["group"] == 1960, "docs_target"] <= 2).all()
    # Welch's t has no relabelling floor of its own: the warning gives the permutation's
    with pytest.warns(UserWarning, match=r"2 vs 50 documents: smallest attainable p 0\.00075"):
        bt.keyness(work_tokens, by="decade", measure="welch", min_docs=3)
