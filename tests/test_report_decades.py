"""The report grouped by decade (``--by decade``) on a corpus with years and no decade
column, session 45: the page's calls must run as printed on the corpus read as the
command reads it, and give the page's tables."""
from __future__ import annotations

import html as html_lib
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import bri_text as bt  # noqa: E402
from bri_text.report import report  # noqa: E402


@pytest.mark.slow   # one page of 16 work reports (about 10 s)
def test_decade_calls_of_the_page_run_as_printed(tmp_path, work_reports):
    """report45: the page printed keyness(target={'decade': '1950'}) and a kwic call on
    tokens.docs['decade'], but a corpus read from the CSV has no decade column (the report
    added it, as text) and the library's by="decade" labels are ints: the keyness call
    raised "matches no units", the kwic call a KeyError. The page now prints the line
    that adds the decades, and its calls give its tables."""
    docs = work_reports.docs
    docs = docs[docs["year"].between(1954, 1959) | docs["year"].between(2010, 2019)]
    docs.drop(columns="date").to_csv(tmp_path / "wr.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        built = report(["1950", "2010"], corpus=str(tmp_path / "wr.csv"), by="decade",
                       out=tmp_path / "out", n_topics=0, n_boot=20, progress=False,
                       timestamp=False)
    page = built.index.read_text(encoding="utf-8")
    blocks = [html_lib.unescape(b) for b in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)]
    code = next(b for b in blocks if "tokens = bt.tokenize(" in b)
    assert 'corpus.docs["decade"] = corpus.docs[\'year\'].map(' in code
    ns = {"bt": bt, "corpus": bt.read_csv(tmp_path / "wr.csv")}
    exec(code, ns)
    by_doc = ns["corpus"].docs.set_index("doc_id")["decade"]
    assert by_doc["wr1954"] == by_doc["wr1959"] == "1950" and by_doc["wr2019"] == "2010"
    tokens = ns["tokens"]
    assert tokens.fingerprint == built.manifest["corpus"]["tokens_fingerprint"]
    calls = [html_lib.unescape(c) for c in re.findall(r"<code>(bt\.keyness\(.*?)</code>",
                                                      page, re.S)]
    assert len(calls) == 2 and "target={'decade': '1950'}" in calls[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = eval(calls[0], ns)
    table = pd.read_csv(tmp_path / "out" / "tables" / "keyness_1950_vs_2010.csv")
    assert got["term"].tolist() == table["term"].tolist()
    assert got["p_value"].round(6).tolist() == table["p_value"].round(6).tolist()
    # 6 reports of the 1950s against 10 of the 2010s: 8,008 splits, smallest p 1/8008
    assert got.attrs["min_p"] == pytest.approx(1 / 8008)
    kwic = next(html_lib.unescape(c) for c in re.findall(r"<code>(bt\.kwic\(.*?)</code>",
                                                          page, re.S))
    first = table["term"].iloc[0]
    ns.update(group="1950", term=first)
    lines = eval(kwic, ns)
    assert set(lines["doc_id"].str.split("#").str[0]) <= {f"wr{y}" for y in range(1954, 1960)}
    assert len(lines) > 0
