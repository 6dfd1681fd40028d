"""The comparative report (bri_text.report): one command, offline HTML, CSV, manifest."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import bri_text as bt  # noqa: E402
from bri_text.__main__ import main  # noqa: E402
from bri_text.errors import MetadataError, ParameterError  # noqa: E402
from bri_text.report import report  # noqa: E402
from support import files_of  # noqa: E402

PARAMS = dict(compare=["广西", "甘肃"], random_state=3, n_boot=50, n_topics=4, progress=False,
              codebook="default")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return report(out=tmp_path_factory.mktemp("report") / "a", **PARAMS)


@pytest.fixture(scope="module")
def html(built):
    return built.index.read_text(encoding="utf-8")


def test_documents_outside_the_compared_groups_are_named_and_counted(built, html):
    """The built-in corpus: 27 documents, 11 national ones without a region, 广西 and 甘肃
    one each, 14 of other provinces: the overview says so, the manifest lists them, and the
    library's one warning for missing by= values is among the manifest's warnings."""
    import html as html_lib

    docs = bt.load_bri_policies().docs
    national = docs.loc[docs["region"].isna(), "doc_id"].tolist()
    assert len(national) == 11
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", html))
    assert "Outside the compared groups: 25 of 27 documents." in text
    assert "11 documents with no value in “region”, left out of the comparison: " \
        + "、".join(national) in text
    assert "14 documents of other groups: " in text
    outside = built.manifest["corpus"]["outside_compared_groups"]
    assert outside["no_value"] == national
    assert sum(outside["other_groups"].values()) == 14 and outside["other_groups"]["河南"] == 2
    # the report's rows are whole documents: counted as documents, not as units of them
    left_out = [w for w in built.manifest["warnings"] if "no value in 'region'" in w]
    assert len(left_out) == 1 and left_out[0].startswith(
        "UserWarning: report: 11 documents have no value in 'region' and are left out "
        f"(e.g. {national[:3]}); to include them, give them a value")


def test_page_has_every_section_and_both_provinces(built, html):
    assert "<h1>Comparative report: 广西 vs 甘肃</h1>" in html
    for section in ("overview", "keyness", "kwic", "profile", "orientation", "instruments",
                    "topics", "similarity", "reuse", "diffusion", "reproduce"):
        assert f'<section id="{section}">' in html, section
    assert "<h3>广西 vs 甘肃</h3>" in html and "<h3>甘肃 vs 广西</h3>" in html
    # a table's first column (a term: 中华民族共同体意识) on one line, not a character a line
    assert "td:first-child { white-space: nowrap; }" in html
    assert "广西: 东南亚 9" in html                      # leading region with its mentions
    # Gansu: a handful of mentions, so no share is stated as a finding, and its interval
    # stands beside the count
    o = built.tables["orientation"]
    n = int(o.loc[o["group"] == "甘肃", "n_mentions"].iloc[0])
    assert n < 20
    assert re.search(rf"甘肃: only {n} place mentions, too few to say where it looks "
                     rf"\(most: \S+, \d+ of {n} \(interval \d+%–\d+% within one document\)\)", html)
    assert built.sections["topics"].startswith("Topics (LDA, K = 4")
    if hasattr(bt, "similarity_matrix"):
        # the direct pair, and each province's own neighbours (Gansu's too)
        pairs = built.tables["similarity_between"]
        assert set(pairs["doc_a"]) == {"bri18"} and set(pairs["doc_b"]) == {"bri23"}
        gansu = built.tables["similarity_neighbours_甘肃"]
        assert set(gansu["doc"]) == {"bri23"} and len(gansu) == 5
        assert gansu["cosine"].is_monotonic_decreasing and "similarity" in built.figures


def test_instruments_are_the_clauses_pre_coded_and_said_to_be_suggestions(built, html):
    types = built.tables["instrument_types"]
    clauses = bt.load_bri_policies().subset(doc_id=["bri18", "bri23"]).reshape("clause")
    clauses = clauses.subset(~clauses.docs["is_heading"].to_numpy(bool))
    coded = bt.code_clauses(clauses)
    # provisions only: Guangxi's table of contents (bri18#c1, coded E_strategic) is none
    assert coded.loc["bri18#c1", "clause_kind"] == "contents"
    coded = coded[coded["clause_kind"] != "contents"]
    for g, doc in (("广西", "bri18"), ("甘肃", "bri23")):
        own = coded[(coded["parent_id"] == doc) & (coded["code"] != "none")]
        t = types[types["group"] == g].set_index("code")
        assert t["count"].to_dict() == own["type"].value_counts().reindex(t.index,
                                                                           fill_value=0).to_dict()
        assert (t["interval"] == "within-document").all()     # one plan each
    assert "machine suggestions, not hand codes" in html
    # diffusion: the eleven national documents traced, none carried by Guangxi or Gansu
    sources = built.tables["diffusion_sources"]
    assert len(sources) == 11 and sources["adopted"].sum() == 0
    assert "None of the 11 national documents is carried by a document of 广西 or 甘肃" in html
    assert "codebook=" in built.manifest["command"]
    assert any(f.startswith("Instruments (dictionary pre-coding)") for f in
               re.findall(r"<li>(.*?)</li>", html))


def test_counts_agree_and_findings_name_the_separating_topic(built, html):
    over = built.tables["overview"].set_index("group")
    prof = built.tables["profile_five_connectivities"]
    for g in ("广西", "甘肃"):        # the profile's tokens are the overview's tokens
        n = over.loc[g, "tokens_after_stopwords"]
        assert (prof.loc[prof["group"] == g, "n_tokens"] == n).all()
    assert set(prof["category_zh"]) == {"政策沟通", "设施联通", "贸易畅通", "资金融通", "民心相通"}
    total = int(over.loc["(whole corpus)", "paragraphs"])
    fit = re.search(r"Fitted on ([\d,]+) of the ([\d,]+) paragraphs", html)
    assert fit and int(fit.group(2).replace(",", "")) == total
    assert int(fit.group(1).replace(",", "")) < total
    # key findings: a topic sets a group apart only by the stated rule (share >= 5%, lead
    # >= 2 points, intervals apart), else "no clear difference"
    prev = built.tables["topic_prevalence"]
    piv = {c: prev.pivot(index="topic", columns="group", values=c)
           for c in ("share", "ci_low", "ci_high")}
    for g, o in (("广西", "甘肃"), ("甘肃", "广西")):
        s, lo, hi = piv["share"], piv["ci_low"], piv["ci_high"]
        apart = (s[g] >= 0.05) & (s[g] - s[o] >= 0.02) & (lo[g] > hi[o])
        if apart.any():
            t = (s[g] - s[o]).where(apart).idxmax()
            assert f"Topics: {g} stands apart from {o} on topic {t} " in html
        else:
            assert f"Topics: no clear difference of {g} from {o} by the rule" in html
    assert "1 shared passages" not in html


def test_page_is_one_offline_file(built, html):
    assert "<script" not in html and "<link" not in html
    assert 'src="http' not in html and "url(http" not in html
    assert html.count("<svg") == len(built.figures) >= 6      # figures inline
    assert "@font-face" in html and "base64," in html          # Chinese without a CJK font
    for name in built.figures:
        assert (built.out / "figures" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert (built.out / "figures" / f"{name}.svg").read_text(encoding="utf-8") \
            .lstrip().startswith("<?xml")


def test_guangxi_key_terms_are_asean_and_gansu_its_cities(built):
    gx = pd.read_csv(built.out / "tables" / "keyness_广西_vs_甘肃.csv", encoding="utf-8")
    gs = pd.read_csv(built.out / "tables" / "keyness_甘肃_vs_广西.csv", encoding="utf-8")
    # ASEAN first: the provinces' own names are left out (广西 led before session 42)
    assert set(gx["term"].iloc[:2]) == {"东盟", "中国—东盟"}
    assert not {"广西", "甘肃", "广西壮族自治区", "甘肃省"} & (set(gx["term"]) | set(gs["term"]))
    assert {"敦煌", "兰州"} <= set(gs["term"].head(3))
    assert gx["stability"].between(0, 1).all()
    # q-values beside p-values: Gansu's 敦煌 and 兰州 (absent from Guangxi's long plan) are
    # the only terms below q = 0.05; no Guangxi term is
    assert (gx["q_value"] >= gx["p_value"] - 1e-12).all()
    assert set(gs.loc[gs["q_value"] < 0.05, "term"]) == {"敦煌", "兰州"}
    kwic = pd.read_csv(built.out / "tables" / "kwic.csv", encoding="utf-8")
    asean = kwic[(kwic["group"] == "广西") & (kwic["term"] == "东盟")]
    assert len(asean) == 3 and asean["doc_id"].str.startswith("bri18").all()
    assert (asean["keyword"] == "东盟").all()


def test_orientation_table_keeps_the_mentions(built):
    o = pd.read_csv(built.out / "tables" / "orientation.csv", encoding="utf-8")
    lead = o.groupby("group").head(1).set_index("group")
    assert lead.loc["广西", "world_region"] == "东南亚" and lead.loc["广西", "n_mentions"] > 150
    assert lead.loc["甘肃", "n_mentions"] < 20
    assert {"ci_low", "ci_high"} <= set(o.columns)


def test_manifest_records_seed_fingerprint_versions(built):
    man = json.loads((built.out / "manifest.json").read_text(encoding="utf-8"))
    corpus = bt.load_bri_policies()
    assert man["seed"] == 3
    assert man["corpus"]["fingerprint"] == bt.manifest(corpus)["corpus"]["fingerprint"]
    assert man["corpus"]["n_documents"] == 27
    assert man["parameters"]["compare"] == ["广西", "甘肃"]
    assert man["parameters"]["n_topics"] == 4
    # the topic model's own settings, defaults included: a replicator refits from these
    topic_model = man["parameters"]["topic_model"]
    assert topic_model["n_topics"] == 4 and topic_model["random_state"] == 3
    assert {"min_df", "alpha", "eta", "init", "iterations"} <= set(topic_model)
    assert topic_model["iterations"] == man["parameters"]["topic_iterations"]
    assert man["versions"]["bri_text"] and man["versions"]["jinja2"]
    assert "bri_text.report.report(compare=['广西', '甘肃']" in man["command"]
    assert man["created"].endswith("+00:00")
    assert set(man["tables"]) == set(built.tables)


def test_manifest_fingerprint_is_the_corpus_fingerprint_two_level(built):
    """Session 43: results hash their units in two levels (Tokens.fingerprint: a SHA-256
    over the settings and each unit's SHA-256), the manifest still hashed the documents in
    one. It now records Corpus.fingerprint, the same two-level hash over the doc_ids and
    each text's SHA-256, which a reader can recompute with hashlib."""
    import hashlib

    man = json.loads((built.out / "manifest.json").read_text(encoding="utf-8"))
    corpus = bt.load_bri_policies()
    assert man["corpus"]["fingerprint"] == corpus.fingerprint
    ids = "\x1f".join(corpus.docs["doc_id"]).encode("utf-8")
    h = hashlib.sha256(len(ids).to_bytes(8, "little") + ids)
    for text in corpus.docs["text"]:
        h.update(hashlib.sha256(text.encode("utf-8")).digest())
    assert corpus.fingerprint == h.hexdigest()[:16]
    # the compared documents' paragraphs, as the units of the tokens (ids and texts)
    units = corpus.reshape("paragraph")
    compared = units.subset(units.docs["region"].isin(["广西", "甘肃"]).to_numpy())
    assert man["corpus"]["fingerprint_compared"] == compared.fingerprint
    # one text changed: another print
    other = bt.Corpus.from_dataframe(corpus.docs.assign(
        text=corpus.docs["text"].where(corpus.docs["doc_id"] != "bri18", "广西")))
    assert other.fingerprint != corpus.fingerprint


@pytest.mark.slow  # a second full report (6 s); .ci/run runs the slow tests
def test_same_seed_gives_byte_identical_tables(built, tmp_path):
    again = report(out=tmp_path / "b", **PARAMS)
    names = sorted(p.name for p in (built.out / "tables").glob("*.csv"))
    assert names == sorted(p.name for p in (again.out / "tables").glob("*.csv"))
    assert len(names) >= 12
    for name in names:
        assert (built.out / "tables" / name).read_bytes() == \
            (again.out / "tables" / name).read_bytes(), name
    for name in built.figures:              # SVGs too: fixed hash salt, no date
        assert (built.out / "figures" / f"{name}.svg").read_bytes() == \
            (again.out / "figures" / f"{name}.svg").read_bytes(), name


def test_overview_shows_the_years_present_not_a_range(built, html):
    """Audit s38 leftover: "2013–2018" read as coverage of six years. The built-in corpus
    has documents of 2013, 2015 (3), 2016 (9), 2017 (13) and 2018 (1), none of 2014;
    广西's one plan is of 2016, 甘肃's of 2015."""
    over = built.tables["overview"].set_index("group")
    assert over.loc["(whole corpus)", "years"] == "2013, 2015–2018"
    assert over.loc["(whole corpus)", "n_years"] == 5
    assert over.loc["(whole corpus)", "undated"] == 0
    assert (over.loc["广西", "years"], over.loc["甘肃", "years"]) == ("2016", "2015")
    assert "<td>2013, 2015–2018</td>" in html and "<td>2013–2018</td>" not in html
    years = built.manifest["corpus"]["years"]
    assert years["(whole corpus)"]["documents_per_year"] == {
        "2013": 1, "2015": 3, "2016": 9, "2017": 13, "2018": 1}
    assert years["广西"] == {"years": "2016", "n_years": 1, "undated": 0,
                             "documents_per_year": {"2016": 1}}
    docs = bt.load_bri_policies().docs         # the counts are the corpus's
    assert sum(years["(whole corpus)"]["documents_per_year"].values()) == len(docs)


def test_source_date_epoch_stands_for_now_and_a_bad_one_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    m = bt.manifest(seed=1)
    assert m["created"] == "2023-11-14T22:13:20+00:00"
    assert m["created_from"] == "SOURCE_DATE_EPOCH"
    assert m == bt.manifest(seed=1)           # the same dict: no clock read
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    now = bt.manifest(seed=1)
    assert "created_from" not in now and now["created"] != m["created"]
    assert bt.manifest_diff(m, now).empty     # run-time keys, left out by default
    assert set(bt.manifest_diff(m, now, timing=True)["key"]) == {"created", "created_from"}
    assert "created" not in bt.manifest(seed=1, timestamp=False)
    for bad in ("1.7e9", "-5", "yesterday"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        with pytest.raises(ParameterError, match=f"SOURCE_DATE_EPOCH='{bad}' is not a "
                                                 "whole number of seconds"):
            bt.manifest(seed=1)
        with pytest.raises(ParameterError, match="SOURCE_DATE_EPOCH"):   # before any work
            report(["广西", "甘肃"], out=tmp_path / "r", progress=False)
        assert not (tmp_path / "r").exists()
        assert "created" not in bt.manifest(seed=1, timestamp=False)    # not read then


def test_no_timestamp_reaches_the_report_and_its_recorded_call(monkeypatch, tmp_path):
    import bri_text.report as report_package

    seen = {}
    monkeypatch.setattr(report_package, "report", lambda *a, **kw: seen.update(kw))
    assert main(["report", "--compare", "广西", "甘肃", "--quiet", "--no-timestamp"]) == 0
    assert seen["timestamp"] is False
    assert main(["report", "--compare", "广西", "甘肃", "--quiet"]) == 0
    assert seen["timestamp"] is True
    from bri_text.report._report import _command

    call = _command(["广西", "甘肃"], "region", 0, 1, "r", None, None, 15, 200, "raise",
                    None, timestamp=False)
    assert call.endswith(", timestamp=False)")
    with pytest.raises(ParameterError, match="timestamp must be True or False"):
        report(["广西", "甘肃"], timestamp="no", out=tmp_path / "r")


@pytest.mark.slow   # two reports (about 4 s each, warm)
def test_no_timestamp_makes_two_runs_byte_identical(tmp_path, monkeypatch):
    """The same command, seed and inputs run twice (from two folders, so the same --out
    path): every file written -- page, manifest, tables, PNG and SVG figures -- has the
    same bytes. 湖南 (2015, 2017) and 河南 (2016, 2017): the overview's years show
    湖南's gap."""
    args = ["report", "--compare", "湖南", "河南", "--out", "r", "--topics", "0",
            "--n-boot", "10", "--orientation", "off", "--quiet", "--no-timestamp"]
    runs = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        assert main(args) == 0
        out = tmp_path / name / "r"
        runs.append(files_of(out))
    first, second = runs
    assert sorted(first) == sorted(second)
    assert {"index.html", "manifest.json", "tables/overview.csv",
            "figures/similarity.png"} <= set(first)
    assert [f for f in first if first[f] != second[f]] == []
    man = json.loads(first["manifest.json"])
    assert "created" not in man and man["command"].endswith("--quiet --no-timestamp")
    assert sorted(man["files"]) == sorted(first)        # nothing else was written
    page = first["index.html"].decode("utf-8")
    assert "· seed 1</p>" in page
    assert man["corpus"]["years"]["湖南"]["years"] == "2015, 2017"
    assert man["corpus"]["years"]["河南"]["years"] == "2016–2017"
    assert "<td>2015, 2017</td>" in page


@pytest.fixture(scope="module")
def own_csv(tmp_path_factory):
    """Three provinces' plans as a user's CSV: no year, no level, a script in a title."""
    docs = bt.load_bri_policies().docs
    docs = docs[docs["region"].isin(["广西", "甘肃", "陕西"])][["doc_id", "title", "region",
                                                                 "text"]].copy()
    first = docs.index[0]
    docs.loc[first, "title"] = "<script>alert('x')</script>" + docs.loc[first, "title"]
    docs.loc[first, "text"] = docs.loc[first, "text"].replace(
        "东盟", "东盟<b onclick=x>", 1)
    path = tmp_path_factory.mktemp("own") / "plans.csv"
    docs.to_csv(path, index=False, encoding="utf-8")
    return path


@pytest.mark.slow   # > 3 s: in .ci/run's slow stage, keeps the quick suite near 3 min
def test_cli_on_own_csv_escapes_text_and_skips_what_is_missing(own_csv, tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["report", "--corpus", str(own_csv), "--compare", "广西", "陕西", "--out",
                 str(out), "--topics", "0", "--seed", "2", "--n-boot", "20", "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b onclick" not in page
    assert "skipped: --topics 0" in page
    # no level column: said so, not "no documents with level = national" (audit44 #11)
    assert ("Reuse of national documents skipped: the corpus has no “level” column, by which "
            "national documents are found (level = national)") in page
    assert "no documents with level = national" not in page
    assert "Left out: no codebook given. Pass --codebook default" in page
    assert "Left out: the corpus has no “level” column" in page
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["command"].startswith("python -m bri_text report --corpus")
    assert man["seed"] == 2 and man["corpus"]["n_documents"] == 4


@pytest.mark.slow   # two reports
def test_manifest_records_the_groups_files_and_tokenizer(own_csv, tmp_path):
    # audit s38 item 2: two documents swapping groups, or an edited dictionary file, left
    # the manifest's fingerprints, paths and parameters unchanged
    df = pd.read_csv(own_csv, encoding="utf-8")
    gx, sx = df.index[df["region"] == "广西"][0], df.index[df["region"] == "陕西"][0]
    swapped = df.copy()
    swapped.loc[[gx, sx], "region"] = ["陕西", "广西"]
    dic = tmp_path / "dict.tsv"
    runs = {}
    for name, table, words in (("a", df, "港口\ttransport\n"),
                               ("b", swapped, "港口\ttransport\n铁路\ttransport\n")):
        folder = tmp_path / name
        folder.mkdir()
        table.to_csv(folder / "plans.csv", index=False, encoding="utf-8")
        dic.write_text(words, encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runs[name] = report(["广西", "陕西"], corpus=folder / "plans.csv", n_topics=0,
                                n_boot=20, dictionary=dic, out=tmp_path / f"out_{name}",
                                progress=False).manifest
    a, b = runs["a"], runs["b"]
    assert a["corpus"]["group_documents"] == {
        g: df.loc[df["region"] == g, "doc_id"].tolist() for g in ("广西", "陕西")}
    assert b["corpus"]["group_documents"]["广西"][0] == df.loc[sx, "doc_id"]
    assert a["corpus"]["fingerprint"] == b["corpus"]["fingerprint"]   # texts and ids alike
    files = a["input_files"]
    assert set(files) == {"corpus", "dictionary"}
    assert files["dictionary"] == {"path": str(dic), "sha256": hashlib.sha256(
        b"\xe6\xb8\xaf\xe5\x8f\xa3\ttransport\n").hexdigest()}
    keys = bt.manifest_diff(a, b)["key"].tolist()
    assert "corpus.group_documents.广西" in keys and "corpus.group_documents.陕西" in keys
    assert "input_files.dictionary.sha256" in keys and "input_files.corpus.sha256" in keys
    # the tokenizer as it ran, with the digest of its lexicon and stopwords
    tok = a["parameters"]["tokenizer"]
    ran = bt.Tokenizer(stopwords=("general", "policy"), min_length=2)
    assert tok["resources"] == ran.config["resources"] and tok["config_key"] == ran.config_key
    assert tok["call"].startswith("bt.Tokenizer(") and tok["lexicon_size"] > 1000
    assert len(a["corpus"]["tokens_fingerprint"]) == 16


def test_bad_input_is_named(own_csv, tmp_path, capsys):
    assert main(["report", "--corpus", str(own_csv), "--compare", "广西", "上海",
                 "--out", str(tmp_path / "x"), "--quiet"]) == 2
    assert "上海" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()              # nothing written for a bad command
    with pytest.raises(MetadataError, match="by='province'"):
        report(["广西"], corpus=own_csv, by="province", out=tmp_path / "y", progress=False)
    with pytest.raises(ParameterError, match="topics"):
        report(["广西"], n_topics=1, out=tmp_path / "z")


@pytest.mark.slow   # one report (about 4 s)
def test_keep_apparatus_reaches_the_reader_and_the_manifest(tmp_path):
    """河南's and 湖南's plans as a user's CSV, two of them notices signed by the provincial
    government (bri13: 河南省人民政府 / 2017年9月18日): the report's reader takes the
    signature out by default, keeps it with --keep-apparatus, and the manifest says so."""
    from bri_text.report._inputs import _load
    from bri_text.report._manifest import corpus_fingerprint

    docs = bt.load_bri_policies().docs
    docs = docs[docs["region"].isin(["河南", "湖南"])]
    path = tmp_path / "plans.csv"
    docs.assign(text=docs["title"] + "\n" + docs["text"])[["doc_id", "region", "text"]].to_csv(
        path, index=False, encoding="utf-8")
    cut, kept = (_load(str(path), None, keep_apparatus=k)[0].docs.set_index("doc_id")
                 for k in (False, True))
    signature = "河南省人民政府\n2017年9月18日"
    assert signature in kept.loc["bri13", "text"] and signature not in cut.loc["bri13", "text"]
    out = tmp_path / "r"
    assert main(["report", "--corpus", str(path), "--compare", "河南", "湖南", "--out", str(out),
                 "--topics", "0", "--n-boot", "10", "--keep-apparatus", "--quiet"]) == 0
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["parameters"]["keep_apparatus"] is True
    assert man["command"].endswith("--keep-apparatus --quiet")
    assert man["corpus"]["fingerprint"] == corpus_fingerprint(bt.read_csv(path,
                                                                          keep_apparatus=True))
    assert man["corpus"]["fingerprint"] != corpus_fingerprint(bt.read_csv(path))


def test_keep_apparatus_is_an_error_where_the_report_reads_nothing(tmp_path):
    from bri_text.report._report import _command

    assert _command(["河南"], "region", 0, 1, "r", "plans.csv", None, 15, 200, "raise", None,
                    keep_apparatus=True).endswith("keep_apparatus=True)")
    # the built-in corpus and a Corpus given are used as they are: the switch is an error
    with pytest.raises(ParameterError, match="keep_apparatus=True.*built-in corpus"):
        report(["广西", "甘肃"], keep_apparatus=True, out=tmp_path / "b")
    with pytest.raises(ParameterError, match="keep_apparatus=True.*Corpus given"):
        report(["广西", "甘肃"], corpus=bt.load_bri_policies(), keep_apparatus=True,
               out=tmp_path / "c")
    with pytest.raises(ParameterError, match="keep_apparatus must be True or False"):
        report(["广西", "甘肃"], keep_apparatus="yes", out=tmp_path / "d")
    assert not any((tmp_path / d).exists() for d in "bcd")


def test_main_job_without_subcommand_is_unchanged(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "python -m bri_text report --compare" in capsys.readouterr().out


def test_n_boot_help_says_what_it_does_not_govern(capsys):
    # audit s38 item 7: --n-boot 200 ran a permutation test of 2000 relabellings, while the
    # help said only "bootstrap replicates"
    from bri_text.report._rules import EXACT_SPLITS, PERMUTATIONS, PERMUTATIONS_PER_TERM

    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    start = text.index("--n-boot N", text.index("options:"))
    helptext = text[start:text.index("--test TEST", start)]
    assert "permutation test" in helptext and "not" in helptext
    assert f"{EXACT_SPLITS:,}" in helptext
    assert f"max({PERMUTATIONS}, N, {PERMUTATIONS_PER_TERM} x the terms tested)" in helptext
    assert "keyness_tests" in helptext         # where the number used is recorded


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser") or \
        shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="no chromium/chrome on PATH (apt-get install "
                    "chromium) to render the page in a real browser")
def test_a_real_browser_renders_the_page(built):
    profile = tempfile.mkdtemp()
    try:
        out = subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", built.index.resolve().as_uri()],
            capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    dom = out.stdout
    assert "<h1>Comparative report: 广西 vs 甘肃</h1>" in dom
    assert dom.count("<svg") == len(built.figures)
    assert "Distinctive terms (keyness)" in dom


# ------------------------------------------------------------------ a folder of web pages
_NAV = "首页 | 政务公开 | 政策文件 | 互动交流"
# passages written for this test (not taken from any document)
_P_NATIONAL = ("推动沿边地区建设面向周边国家的国际物流枢纽，完善铁路、公路和航空口岸设施，"
               "提高通关便利化水平，支持边境贸易创新发展。")
_P_LATE = ("鼓励企业在共建国家设立研发中心和售后服务网点，培育一批具有国际竞争力的跨国经营"
           "企业，带动装备、技术和标准走出去。")
_P_COPIED = ("在口岸城市建设跨境电子商务综合试验区，发展保税仓储、国际分拨和冷链物流，"
             "打造辐射南亚东南亚和中亚的商品集散中心。")
_S_YUNNAN = ("全年全省地区生产总值31234亿元，比上年增长4.8%；货物进出口总额2750亿元，"
             "增长7.1%；实际使用外资18.6亿美元。")
_S_XINJIANG = ("全年全区地区生产总值19125亿元，比上年增长6.2%；货物进出口总额3468亿元，"
               "增长12.4%；实际使用外资5.3亿美元。")


def _page(title, date, source, paragraphs):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='nav'>{_NAV}</div><h1>{title}</h1>"
            f"<div class='info'>发布时间：{date} 来源：{source}</div>{body}"
            "<div class='footer'>主办单位：政府办公厅 版权所有</div></body></html>")


_WORDS = ("口岸", "物流", "园区", "产业", "贸易", "金融", "人才", "科技", "旅游", "文化", "能源",
          "农业", "医疗", "教育", "交通", "港口", "铁路", "航空", "电商", "仓储", "标准", "服务",
          "市场", "企业", "项目", "平台", "通道", "枢纽", "城市", "乡村", "生态", "环境", "数据",
          "网络", "海关", "检验", "边境", "会展", "博览", "论坛", "友城", "留学", "考古", "医药",
          "茶叶", "水果", "棉花", "石油", "天然气", "电力", "光伏", "风电", "钢铁", "建材", "机械",
          "汽车", "纺织", "食品", "药材", "咖啡", "橡胶", "木材", "矿产", "冷链", "快递", "邮政")


def _filler(seed, n=4):
    """Paragraphs of shuffled policy words: text no two documents share by chance (two of
    them keep planted passages further apart than text_reuse's max_gap)."""
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(_WORDS, 18)) + "。" for _ in range(n)]


@pytest.fixture()
def pages(tmp_path):
    return _write_pages(tmp_path / "pages")


def _write_pages(folder):
    """Six web pages (two national, two each of 云南 and 新疆), an unreadable file and the
    metadata, in ``folder``."""
    folder.mkdir(parents=True)
    docs = {
        "nat_a.html": ("关于推进沿边开放的指导意见", "2025-03-01", "国务院办公厅",
                       [_P_NATIONAL] + _filler(1)),
        "nat_b.html": ("关于支持企业走出去的若干措施", "2026-02-01", "商务部",
                       [_P_LATE] + _filler(2)),
        "yn_a.html": ("云南省建设面向南亚东南亚辐射中心实施方案", "2025-06-10", "云南省人民政府",
                      [_P_NATIONAL, *_filler(3, 2), _P_LATE, *_filler(4, 2), _P_COPIED,
                       *_filler(5, 2), _S_YUNNAN] + _filler(6)),
        "yn_b.html": ("云南省口岸经济发展规划", "2025-09-01", "云南省发展改革委",
                      _filler(7, 6)),
        "xj_a.html": ("新疆维吾尔自治区丝绸之路经济带核心区建设方案", "2025-08-20",
                      "新疆维吾尔自治区人民政府",
                      [_P_COPIED, *_filler(8, 2), _S_XINJIANG] + _filler(9)),
        "xj_b.html": ("乌鲁木齐国际陆港区建设方案", "2025-11-05", "乌鲁木齐市人民政府",
                      _filler(10, 6)),
    }
    for name, (title, date, source, paras) in docs.items():
        (folder / name).write_text(_page(title, date, source, paras), encoding="utf-8")
    (folder / "broken.html").write_bytes(b"\x00\x01\x02\xff\xfe" * 50)   # unreadable
    (folder / "meta.csv").write_text(
        "file,region,level\nnat_a.html,,national\nnat_b.html,,national\n"
        "yn_a.html,云南,provincial\nyn_b.html,云南,provincial\n"
        "xj_a.html,新疆,provincial\nxj_b.html,新疆,provincial\n", encoding="utf-8")
    return folder


def _run(folder, out, *extra):
    return main(["report", "--corpus", str(folder), "--metadata", str(folder / "meta.csv"),
                 "--compare", "云南", "新疆", "--out", str(out), "--n-boot", "20", "--quiet",
                 *extra])


@pytest.mark.slow  # three reports in a row (5 s)
def test_report_on_web_pages_out_folder_and_reruns(pages, tmp_path, capsys):
    # --out inside the corpus folder: refused before anything is written
    assert _run(pages, pages / "report", "--errors", "skip") == 2
    assert "inside the corpus folder" in capsys.readouterr().err
    assert not (pages / "report").exists()
    # --out naming an existing file: a clear error, no traceback
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    assert _run(pages, tmp_path / "taken", "--errors", "skip") == 2
    assert "is an existing file" in capsys.readouterr().err
    # one unreadable file stops the report unless --errors skip
    assert _run(pages, tmp_path / "r0") == 2
    assert "broken.html" in capsys.readouterr().err

    out = tmp_path / "r"
    assert _run(pages, out, "--errors", "skip", "--topics", "3") == 0
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [f["doc_id"] for f in man["corpus"]["skipped_files"]] == ["broken"]
    assert "broken.html" in man["corpus"]["skipped_files"][0]["reason"]
    assert man["corpus"]["n_documents"] == 6
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "broken.html" in page and "(skipped (--errors skip))</li>" in page
    assert (out / "tables" / "topics.csv").exists()
    _check_reuse(out, page)

    # a stray file of the user's in the output folder is never removed
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    # the old page copied into the corpus folder is not read as a seventh document
    shutil.copy(out / "index.html", pages / "old_report.html")
    assert _run(pages, out, "--errors", "skip", "--topics", "0", "--seed", "2") == 0
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["corpus"]["n_documents"] == 6
    assert man["corpus"]["left_out_report_output"] == ["old_report.html"]
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(man["files"] + ["notes.txt"])      # no stale topics.csv
    assert not (out / "tables" / "topics.csv").exists()
    assert "tables/topics.csv" in man["removed_from_earlier_run"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "old_report.html" in page
    _check_reuse(out, page)


def _check_reuse(out, page):
    """The page's reuse headings say what the tables hold."""
    docs = pd.read_csv(out / "tables" / "documents.csv", encoding="utf-8")
    level = {"nat_a": "national", "nat_b": "national"}
    summ = pd.read_csv(out / "tables" / "reuse_national_summary.csv", encoding="utf-8")
    assert "Traced from national documents" in page
    assert "source: a national document dated no later than its target" in page
    assert len(summ) and summ["source"].map(level).eq("national").all()
    assert (pd.to_datetime(summ["date_source"]) <= pd.to_datetime(summ["date_target"])).all()
    # nat_b (2026) shares a passage with yn_a (2025) but is never named as its source
    assert "nat_b" not in set(summ["source"])
    assert "1 national–local pair not traced" in page
    between = pd.read_csv(out / "tables" / "reuse_between_summary.csv", encoding="utf-8")
    assert (pd.to_datetime(between["date_source"]) <= pd.to_datetime(between["date_target"])).all()
    assert "(in the summary, source = the earlier-dated document)" in page
    assert "order of publication" in page and "when the page was posted" in page
    kinds = pd.read_csv(out / "tables" / "reuse_between.csv", encoding="utf-8")
    assert set(kinds["kind"]) >= {"copy", "template"}
    n = len(kinds)
    assert f"{n} shared passage{'s' if n != 1 else ''} (" in page
    assert set(docs["doc_id"]) == {"yn_a", "yn_b", "xj_a", "xj_b"}


@pytest.mark.slow   # > 3 s: in .ci/run's slow stage, keeps the quick suite near 3 min
def test_text_column_of_a_csv(own_csv, tmp_path, capsys):
    df = pd.read_csv(own_csv, encoding="utf-8").rename(columns={"text": "正文"})
    path = tmp_path / "renamed.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    args = ["report", "--corpus", str(path), "--compare", "广西", "陕西", "--topics", "0",
            "--n-boot", "10", "--quiet"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 2        # no 'text' column
    assert "'text'" in capsys.readouterr().err
    assert main(args + ["--out", str(tmp_path / "b"), "--text-column", "正文"]) == 0
    man = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert man["parameters"]["text_column"] == "正文" and man["corpus"]["n_documents"] == 4
    with pytest.raises(ParameterError, match="text_column"):
        report(["广西"], corpus=tmp_path, text_column="正文", out=tmp_path.parent / "c",
               progress=False)


def test_id_column_names_the_documents_of_a_csv(own_csv, tmp_path):
    """--id-column: the table's own ids (here 编号) name the documents, not doc0, doc1, ..."""
    from bri_text.report._inputs import _load
    from bri_text.report._report import _command

    df = pd.read_csv(own_csv, encoding="utf-8").rename(columns={"doc_id": "编号"})
    path = tmp_path / "ids.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    plain, _, _ = _load(str(path), None)
    assert plain.doc_ids[0] == "doc0"
    named, _, _ = _load(str(path), None, id_column="编号")
    assert named.doc_ids == df["编号"].tolist() and named.doc_ids[0].startswith("bri")
    with pytest.raises(MetadataError, match="'编码'"):
        _load(str(path), None, id_column="编码")
    with pytest.raises(ParameterError, match="id_column='编号' is for a .csv"):
        _load(str(tmp_path), None, id_column="编号")                  # a folder
    with pytest.raises(ParameterError, match="id_column='编号' is for a .csv"):
        _load(None, None, id_column="编号")                           # the built-in corpus
    assert "id_column='编号'" in _command(["广西"], "region", 0, 1, "r", str(path), None, 15,
                                           200, "raise", None, id_column="编号")


# ------------------------------------------------ a corpus that is not the built-in one
# tests/data/provincial_reports_2026.csv: ten short own-wording "provincial government work
# reports" of 2026 (not real texts): full province names, dates in `publish_date`, one year,
# no Belt and Road plans; stock sentences (the opening 各位代表…向大会报告政府工作, the
# “两个确立” formula, a closing line) in most of them, and one passage on border-trade
# digitisation written only into Guangxi's and Xinjiang's.
PROVINCES = pytest.importorskip("pathlib").Path(__file__).parent / "data" / \
    "provincial_reports_2026.csv"


@pytest.fixture(scope="module")
def provinces(tmp_path_factory):
    out = tmp_path_factory.mktemp("prov") / "r"
    assert main(["report", "--corpus", str(PROVINCES), "--by", "province", "--compare",
                 "广西", "新疆", "--out", str(out), "--topics", "2", "--n-boot", "20",
                 "--quiet"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    tables = {p.stem: pd.read_csv(p, encoding="utf-8") for p in (out / "tables").glob("*.csv")
              if p.stat().st_size > 1}
    return out, page, tables


def test_tokens_without_names_of_a_csv_are_the_pages_drop_call(provinces):
    """Session 44: the page's code, run on the CSV read as the command reads it, gives
    the manifest's tokens_without_names_fingerprint, by dropping the own names from the
    tokens; token for token what a second segmentation with them as stopwords gives."""
    out, page, _ = provinces
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    corpus = bt.read_csv(PROVINCES)
    ns = _run_page_code(page, "tokens_without_names = ", corpus=corpus)
    names, without = ns["OWN_NAMES"], ns["tokens_without_names"]
    assert names == set(man["parameters"]["own_names"]["counts"])
    # the texts write 广西自治区 and 新疆自治区 (once each), 全区 in every autonomous region's
    assert {"广西", "广西自治区", "新疆", "新疆自治区", "全区", "全省"} <= names
    counted = without.dropped.set_index("word")["count"]
    assert counted["广西自治区"] == counted["新疆自治区"] == 1 and counted["全区"] == 5
    assert ns["tokens"].fingerprint == man["corpus"]["tokens_fingerprint"]
    assert without.fingerprint == man["corpus"]["tokens_without_names_fingerprint"]
    assert without.config["drop_words"] == [sorted(names)]
    assert without.dropped["count"].sum() == sum(
        sum(c) for c in man["parameters"]["own_names"]["counts"].values())
    again = bt.tokenize(corpus.reshape("paragraph"), tokenizer=bt.Tokenizer(
        stopwords=("general", "policy", frozenset(names)), min_length=2), progress=False)
    assert again.tokens == without.tokens
    assert all((a == b).all() for a, b in zip(again.spans, without.spans))


@pytest.mark.slow
def test_sections_left_out_for_a_rare_vocabulary_say_it_is_rare(tmp_path):
    """Zhejiang's and Henan's reports name no place abroad and hold 4 words of the five
    connectivities in 137 tokens: there the vocabulary is rare, and the page says that."""
    r = report(["浙江", "河南"], corpus=PROVINCES, by="province", n_topics=0, n_boot=0,
               out=tmp_path / "r", progress=False)
    page = r.index.read_text(encoding="utf-8")
    assert ("Left out: the five connectivities&#39; vocabulary covers these documents no "
            "more than it covers any economic text. Five connectivities: 4 matches") in page
    assert ("Left out: places abroad are rare in these documents. Place names of the "
            "gazetteer: 0 matches") in page


def test_compare_accepts_a_unique_prefix_and_says_what_it_matched(provinces, tmp_path,
                                                                  capsys):
    out, page, tables = provinces
    assert "“广西” stands for province = “广西壮族自治区”" in page
    assert "<h1>Comparative report: 广西壮族自治区 vs 新疆维吾尔自治区</h1>" in page
    assert set(tables["overview"]["group"]) == {"广西壮族自治区", "新疆维吾尔自治区",
                                                "(whole corpus)"}
    # 广: Guangxi and Guangdong: an error listing the values and the closest ones
    assert main(["report", "--corpus", str(PROVINCES), "--by", "province", "--compare", "广",
                 "新疆", "--out", str(tmp_path / "x"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "compare='广' is part of 2 values of 'province'" in err
    assert "closest: 广东省、广西壮族自治区" in err and "贵州省" in err
    assert not (tmp_path / "x").exists()
    # without --by (default region, a column this CSV lacks): the column holding the names
    assert main(["report", "--corpus", str(PROVINCES), "--compare", "广西", "新疆", "--out",
                 str(tmp_path / "y"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "by='region': no such metadata column" in err
    assert "广西、新疆 are values of 'province': pass --by province" in err


def test_the_error_names_the_column_holding_the_compared_names(tmp_path, capsys):
    """Session 42, from the command line as the README shows it (--by defaults to region):
    the hint of session 41 came only when the CSV had no `region` column. A CSV whose
    `region` holds macro-regions (西部, 东部) got "compare='广西' is not a value of 'region'"
    and no word of the `province` column holding 广西壮族自治区; a name of no column left
    the others without a hint."""
    docs = bt.read_csv(PROVINCES).docs.drop(columns=["date", "year"])
    east = docs["doc_id"].isin(["gd", "zj"])
    docs["region"] = np.where(east, "东部", "西部")
    docs["text"] = pd.read_csv(PROVINCES)["text"]
    csv = tmp_path / "macro.csv"
    docs.to_csv(csv, index=False)
    assert main(["report", "--corpus", str(csv), "--compare", "广西", "新疆", "--out",
                 str(tmp_path / "a"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "compare='广西' is not a value of 'region'" in err and "values of 'region': 东部、西部" in err
    assert "广西、新疆 are values of 'province': pass --by province" in err
    # following the hint works: Guangxi's and Xinjiang's reports, one a side
    assert main(["report", "--corpus", str(csv), "--compare", "广西", "新疆", "--by",
                 "province", "--out", str(tmp_path / "b"), "--quiet", "--topics", "0",
                 "--n-boot", "0"]) == 0
    man = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert man["corpus"]["group_documents"] == {"广西壮族自治区": ["gx"],
                                               "新疆维吾尔自治区": ["xj"]}
    # no region column, and 甘肃 in no report: the column of the name that is there
    assert main(["report", "--corpus", str(PROVINCES), "--compare", "广西", "甘肃", "--out",
                 str(tmp_path / "c"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "广西 is a value of 'province' (pass --by province), 甘肃 of no column" in err
    assert not (tmp_path / "a").exists() and not (tmp_path / "c").exists()


def test_stock_phrases_are_formulaic_by_their_frequency_in_the_whole_corpus(provinces):
    out, page, tables = provinces
    t = tables["reuse_between"]
    corpus = bt.read_csv(PROVINCES)
    n_holding = lambda s: int(corpus.docs["text"].str.contains(s, regex=False).sum())  # noqa
    opening = t[t["passage_a"].str.contains("向大会报告政府工作")].iloc[0]
    formula = t[t["passage_a"].str.contains("两个确立")].iloc[0]
    shared = t[t["passage_a"].str.contains("边民互市贸易")].iloc[0]
    # the two compared reports alone cannot tell a stock phrase: the whole corpus can
    assert opening["kind"] == formula["kind"] == "formulaic"
    assert opening["documents"] == n_holding("向大会报告政府工作") == 9
    assert formula["documents"] == n_holding("两个确立") == 8
    assert shared["kind"] == "copy" and shared["documents"] == n_holding("边民互市贸易") == 2
    assert "documents" in page and "each in " in page



def test_reuse_table_shows_the_words_inserted(provinces):
    """The page's reuse table has text_reuse's ``inserted`` column (words doc_b inserted
    inside a passage it shares with doc_a), each run in passage_b and not in passage_a;
    and ``deleted`` (s42: words of passage_a that passage_b left out), the converse."""
    out, page, tables = provinces
    t = tables["reuse_between"]
    assert "inserted" in t.columns and "deleted" in t.columns
    assert ">inserted<" in page and ">deleted<" in page
    for column, (mine, other) in (("inserted", ("passage_b", "passage_a")),
                                  ("deleted", ("passage_a", "passage_b"))):
        words = t[column].fillna("").astype(str)
        runs = [(a, b, w) for a, b, x in zip(t[mine], t[other], words)
                for w in x.split(" | ") if w]
        assert all(w in a and w not in b for a, b, w in runs), column

def test_dates_are_found_under_another_column_name(provinces):
    out, page, tables = provinces
    assert "The documents have no dates" not in page
    assert "Dates: the corpus&#39;s column “publish_date”" in page
    assert "(in the summary, source = the earlier-dated document)" in page
    summ = tables["reuse_between_summary"]
    assert summ["dated_by"].eq("date").all()
    # Guangxi's report (23 January) is earlier than Xinjiang's (26 January)
    assert summ[["source", "target"]].values.tolist() == [["gx", "xj"]]


def test_sections_that_do_not_apply_are_a_sentence(provinces):
    out, page, tables = provinces
    # dense but too few a group: one sentence each, and it says so (audit41: the page said
    # the vocabulary was rare while its rate, 921 per 10,000, passed the 500 asked for)
    assert ("Left out: the five connectivities&#39; words are frequent enough here, but no "
            "compared group has 20 matches") in page
    assert ("22 matches in the compared documents, 1236 per 10,000 tokens (广西壮族自治区 13, "
            "新疆维吾尔自治区 9); shown when at least 500 per 10,000 tokens and 20 in a group"
            in page)
    # 东盟 six times in Guangxi's report, 中亚 twice in Xinjiang's
    assert ("Left out: place names are frequent enough here, but no compared group has 20 "
            "mentions") in page
    assert "8 matches in the compared documents, 449 per 10,000 tokens (广西壮族自治区 6, " \
        "新疆维吾尔自治区 2)" in page
    assert "places abroad are rare" not in page and "no more than it covers" not in page
    assert "profile_five_connectivities" not in tables and "orientation" not in tables
    assert not any("北美" in f for f in re.findall(r"<li>(.*?)</li>", page))
    # no topics, hence no figure over time either: since the genre's formulae are
    # stopwords (session 42) one term is in 10 paragraphs (the model's min_df), before
    # several were, with 9 tokens a province (20 a topic needed)
    assert "topic_trends" not in tables and "topic_prevalence" not in tables
    assert ("Left out: this corpus is too small for 2 topics (n_topics=2 is larger than the "
            "vocabulary (1 terms in at least min_df=10 units)") in page
    # no --topics would do: the page does not send the reader to try fewer
    assert ("No number of topics fits so few terms (the smallest model has 2); --topics 0 "
            "leaves the section out.") in page and "Pass --topics with fewer" not in page
    assert "national" not in tables["documents"].columns
    assert "the corpus has no “level” column, by which national documents are found" in page


def test_diffusion_by_a_grouping_without_jurisdictions_is_one_sentence():
    """By level (the column that picks the national sources) or with one jurisdiction
    besides the sources, the diffusion section is one sentence saying why and what to do,
    not the library's error; by region it is traced (the built report above). Only the
    diffusion step runs."""
    from bri_text.report._sections import _Run

    corpus = bt.load_bri_policies()

    def section(corpus, by, compare):
        run = _Run(corpus, "built-in", compare, by, 0, 1, 15, 0, writer=None)
        run.diffusion()
        (s,) = run.sections
        return s

    by_level = section(corpus, "level", ["provincial", "municipal"])
    assert by_level.title == "Diffusion of national documents" and not by_level.blocks
    assert by_level.skipped == (
        "Left out: diffusion traces the national documents into the jurisdictions that take "
        "them over, and --by level groups documents by tier of government, not by "
        "jurisdiction; trace by province or region instead: --by region (by='region' in "
        "Python).")
    # national documents and Guangxi's only: bt.diffusion raises, the page says why
    guangxi = corpus.subset(corpus.docs["region"].isin(["广西"]).to_numpy()
                            | (corpus.docs["level"] == "national").to_numpy())
    with pytest.raises(ParameterError, match="diffusion compares jurisdictions"):
        bt.diffusion(guangxi, source={"level": "national"}, by="region")
    one = section(guangxi, "region", ["广西", "甘肃"]).skipped
    assert one.startswith("Left out: diffusion needs at least two jurisdictions to trace "
                          "the national documents into, and the other documents have only "
                          "广西 in 'region'; add documents of other jurisdictions")
    for text in (by_level.skipped, one):
        assert "skipped:" not in text and "diffusion compares jurisdictions" not in text
    assert _Run(corpus, "built-in", ["广西", "甘肃"], "region", 0, 1, 15, 0,
                None)._diffusion_left_out() is None


def test_token_level_wording_for_one_document_a_side(provinces):
    out, page, tables = provinces
    assert "Differences between these texts — 广西壮族自治区 (1 document)" in page
    assert "token-level" in page and "chosen because a side has fewer than 5 documents" in page
    # every table says which call reproduces it
    assert ("bt.keyness(bt.dtm(tokens), target={&#39;province&#39;: &#39;广西壮族自治区&#39;}"
            in page)
    assert 'tokens = bt.tokenize(corpus.reshape(&#34;paragraph&#34;)' in page


def test_the_call_shown_reproduces_the_keyness_table(provinces):
    out, page, tables = provinces
    corpus = bt.read_csv(PROVINCES)
    tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer=bt.Tokenizer(
        stopwords=("general", "policy"), min_length=2))
    k = bt.keyness(bt.dtm(tokens), target={"province": "广西壮族自治区"},
                   reference={"province": ["新疆维吾尔自治区"]}, measure="log_odds",
                   n_boot=20, random_state=1, resample="unit", exclude="own_names",
                   top_n=15)
    shown = tables["keyness_广西壮族自治区_vs_新疆维吾尔自治区"]
    assert shown["term"].tolist() == k["term"].tolist()
    # how many documents a side hold each term (one a side here)
    assert shown.set_index("term").loc["东盟", ["docs_target", "docs_reference"]].tolist() \
        == [1, 0]
    assert np.allclose(shown["score"], k["score"])


@pytest.mark.slow   # a report (about 8 s)
def test_national_documents_keep_their_self_references_and_the_page_says_so(tmp_path):
    """Session 45: on national documents the self-references (全省, 自治区 …) are content
    (各省、自治区、直辖市) and kept, but the page still said it left out "the compared
    documents' own names and self-references". The 2012-2015 work reports by premier
    (温家宝 2012-2013, 李克强 2014-2015; no place column, no level; 自治区 in their text):
    nothing is left out, no OWN_NAMES set is printed, and the note says own names only
    and that the self-references are kept."""
    reports = bt.load_work_reports().subset(year=[2012, 2013, 2014, 2015])
    assert reports.docs.groupby("speaker")["year"].apply(list).to_dict() == {
        "李克强": [2014, 2015], "温家宝": [2012, 2013]}
    assert reports.docs["text"].str.count("自治区").sum() > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = report(["李克强", "温家宝"], corpus=reports, by="speaker", n_topics=0,
                   n_boot=0, out=tmp_path / "r", progress=False)
    import html as html_lib

    page = html_lib.unescape(re.sub(r"<[^>]+>", "", r.index.read_text(encoding="utf-8")))
    assert "own names and self-references" not in page
    assert ("Left out of the key terms, the topics and the similarity: the compared "
            "documents' own names, which say which government wrote a document") in page
    assert ("not the self-references of lexicons/self_references.txt (全省, 自治区 …), kept: "
            "no compared document is sub-national") in page
    man = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert man["parameters"]["own_names"]["counts"] == {}
    assert "OWN_NAMES = " not in page and "tokens_without_names" not in page.split(
        "Left out of the key terms")[0]


def test_key_terms_leave_out_the_documents_own_names_and_say_which(provinces):
    """Session 42: Guangxi's report names itself 广西 twice and 广西自治区 once (我代表广西
    自治区人民政府, 广西政协委员, 广西篇章), Xinjiang's 新疆 and 新疆自治区 alike, and both
    write 过去一年，全区…; these led the key terms. The report leaves them out by default and
    says which, with their counts; keyness(exclude=None), as --keep-names, keeps them."""
    out, page, tables = provinces
    shown = tables["keyness_广西壮族自治区_vs_新疆维吾尔自治区"]
    names = {"广西", "广西自治区", "广西壮族自治区", "新疆", "新疆自治区", "全区"}
    assert not names & set(shown["term"])
    assert shown["term"].iloc[0] == "东盟"
    assert ("Left out of the key terms, the topics and the similarity: the compared "
            "documents&#39; own names and self-references") in page
    # listed once (session 43), with the counts in the other documents, where the topics
    # and the similarity leave them out too: 全区 opens every autonomous region's second
    # paragraph (3 more), 全省 every province's (5)
    assert ("count in 广西壮族自治区 / 新疆维吾尔自治区 / the other 8 documents: 全区 1/1/3, "
            "全省 0/0/5, 广西 2/0/0, 新疆 0/2/0, 广西自治区 1/0/0, 新疆自治区 0/1/0.") in page
    assert page.count("count in 广西壮族自治区 / 新疆维吾尔自治区") == 1
    texts = bt.read_csv(PROVINCES).docs.set_index("doc_id")["text"]
    assert texts.drop(["gx", "xj"]).str.count("全区").sum() == 3
    assert texts.drop(["gx", "xj"]).str.count("全省").sum() == 5
    excluded = json.loads((out / "manifest.json").read_text(encoding="utf-8"))[
        "parameters"]["keyness_tests"]["广西壮族自治区"]["excluded"]
    assert excluded == {"广西": [2, 0], "新疆": [0, 2], "全区": [1, 1],
                        "广西自治区": [1, 0], "新疆自治区": [0, 1]}
    # the counts are the texts': 广西 twice and 广西自治区 once in Guangxi's report
    gx = bt.read_csv(PROVINCES).docs.set_index("doc_id").loc["gx", "text"]
    assert gx.count("广西自治区") == 1 and gx.count("广西") - gx.count("广西自治区") == 2
    # kept when asked (--keep-names): 广西 is among Guangxi's key terms again
    tokens = bt.tokenize(bt.read_csv(PROVINCES).reshape("paragraph"), tokenizer=bt.Tokenizer(
        stopwords=("general", "policy"), min_length=2))
    kept = bt.keyness(bt.dtm(tokens), target={"province": "广西壮族自治区"},
                      reference={"province": "新疆维吾尔自治区"}).set_index("term")
    assert kept.loc["广西", ["count_target", "count_reference"]].tolist() == [2, 0]
    assert kept.index.get_loc("广西") < 5
    assert "--keep-names" in _help_text()
    # autonomous regions against provinces: 全区 opens each region's second paragraph
    # (过去一年，全区…), 全省 each province's; left out, they are in attrs["excluded"]
    k = bt.keyness(bt.dtm(tokens), {"region_type": "自治区"}, {"region_type": "省"},
                   measure="permutation", min_docs=3, exclude="own_names")
    assert not {"全区", "全省"} & set(k["term"])
    assert k.attrs["excluded"]["全区"] == [5, 0] and k.attrs["excluded"]["全省"] == [0, 5]
    assert "metadata columns ['province']" in k.attrs["exclude"]
    with pytest.raises(ParameterError, match="exclude must be None, 'own_names' or a"):
        bt.keyness(bt.dtm(tokens), {"region_type": "自治区"}, exclude="names")


def test_findings_name_tied_key_terms_in_the_figures_order(provinces):
    """Session 43: terms of the same counts (中国—东盟, 中国—东盟信息港, 中心 ... once in
    Guangxi's report, never in Xinjiang's) have the same score; the findings listed them by
    term, the figure in another order. Both now follow the ranking, by score then by term:
    the figure's top rows are the target's findings, its bottom rows the reference's."""
    out, page, tables = provinces
    table = tables["keyness_广西壮族自治区_vs_新疆维吾尔自治区"]
    svg = (out / "figures" / "keyness_1.svg").read_text(encoding="utf-8")
    # the figure's tick labels, bottom first, as the SVG's comments name them
    drawn = [t for t in re.findall(r"<!-- (.+?) -->", svg) if t in set(table["term"])][::-1]

    def finding(group):
        said = re.search(rf"{group}&#39;s most distinctive terms (\S+) \(", page).group(1)
        return said.split("、")

    assert drawn[:8] == finding("广西壮族自治区")
    assert drawn[::-1][:8] == finding("新疆维吾尔自治区")
    assert drawn[:4] == ["东盟", "北部湾港", "中国—东盟", "中国—东盟信息港"]
    tied = table.set_index("term").loc[["中国—东盟", "中国—东盟信息港"]]
    assert tied["count_target"].tolist() == [1, 1] and tied["count_reference"].tolist() == [0, 0]
    assert tied["score"].nunique() == 1


def _help_text() -> str:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit):
        main(["report", "--help"])
    return buf.getvalue()


def test_similarity_shows_both_groups_neighbours_and_the_direct_pair(provinces):
    out, page, tables = provinces
    between = tables["similarity_between"]
    assert between[["doc_a", "doc_b"]].values.tolist() == [["gx", "xj"]]
    for g, doc in (("广西壮族自治区", "gx"), ("新疆维吾尔自治区", "xj")):
        nb = tables[f"similarity_neighbours_{g}"]
        assert set(nb["doc"]) == {doc} and len(nb) == 5
        assert nb["title_neighbour"].str.endswith("（示例文本）").all()   # titles not cut
    # labels follow --by
    assert "province_neighbour" in tables["similarity_neighbours_广西壮族自治区"].columns


@pytest.mark.slow
def test_document_level_test_when_both_sides_have_five_documents(tmp_path):
    r = report(["自治区", "省"], corpus=PROVINCES, by="region_type", n_topics=0, n_boot=20,
               out=tmp_path / "r", progress=False)
    page = r.index.read_text(encoding="utf-8")
    # 5 vs 5 documents split 252 ways: the exact permutation test, not Welch's t (audit41)
    tests = r.manifest["parameters"]["keyness_tests"]["自治区"]
    assert tests["measure"] == "permutation" and tests["min_p"] == pytest.approx(2 / 252)
    assert ("so few (5 and 5 documents) that they can be split into groups of these sizes "
            "in only 252 ways" in page)
    assert "(5 vs 5 documents, document-level permutation test)" in page
    # every split enumerated: the page counts the 252 splits, not the 2,000 relabellings
    # the test was allowed (it said "all the 2,000 splits" before session 42)
    assert "p: the share of all the 252 splits of the documents" in page
    assert "2,000 splits" not in page
    k = r.tables["keyness_自治区_vs_省"]
    assert {"doc_rate_target", "doc_rate_reference"} <= set(k.columns)
    # the strongest terms (中华民族共同体意识, 交融, 民族团结 ...: 铸牢中华民族共同体意识，深化
    # 民族团结进步创建，促进各民族广泛交往交流交融) are in every autonomous region's report
    # and in no province's: the best split there is, p = 2/252 exactly. Before session 42
    # 74 terms were tested and none reached q < .05; with the genre's formulae stopwords
    # and the own names (全区, 全省, 广西 ...) left out, 46 are, and these 9 have
    # q = 2/252 * 46 / 9 = 0.041
    docs = bt.read_csv(PROVINCES).docs
    auto = docs["region_type"].eq("自治区")
    for term in k["term"].head(9):
        has = docs["text"].str.contains(term, regex=False)
        assert has[auto].all() and not has[~auto].any(), term
    assert np.allclose(k["p_value"].head(9), 2 / 252)
    assert tests["terms_tested"] == 46
    assert np.allclose(k["q_value"].head(9), 2 / 252 * 46 / 9)
    assert (k["q_value"].iloc[9:] >= 0.05).all()
    assert ("9 terms more frequent in 自治区&#39;s documents at q &lt; .05; of these the "
            "largest differences in rate: 中华民族共同体意识、") in page
    # KWIC lines come from as many documents as there are lines
    kw = r.tables["kwic"]
    for (g, term), lines in kw.groupby(["group", "term"]):
        held = int(lines["documents"].iloc[0].split(" of ")[0])
        assert lines["doc_id"].nunique() == min(len(lines), held), (g, term)
    # asked for token-level: it is what the page says
    t = report(["自治区", "省"], corpus=PROVINCES, by="region_type", n_topics=0, n_boot=0,
               test="token", out=tmp_path / "t", progress=False)
    assert t.manifest["parameters"]["keyness_tests"]["省"]["measure"] == "log_odds"
    with pytest.raises(ParameterError, match="test must be"):
        report(["自治区", "省"], corpus=PROVINCES, by="region_type", test="tokens",
               out=tmp_path / "u", progress=False)


def test_own_dictionary_is_shown_when_asked(tmp_path):
    cats = tmp_path / "energy_digital.tsv"
    cats.write_text("term\tcategory\n风电\t能源\n光伏\t能源\n清洁能源\t能源\n算力\t数字\n"
                    "数据中心\t数字\n数字经济\t数字\n房地产\t房地产\n化债\t债务\n",
                    encoding="utf-8")
    r = report(["新疆", "广西"], corpus=PROVINCES, by="province", n_topics=0, n_boot=0,
               dictionary=cats, out=tmp_path / "r", progress=False)
    p = r.tables["profile"].set_index(["group", "category"])["count"]
    assert p[("新疆维吾尔自治区", "能源")] > p[("广西壮族自治区", "能源")]
    assert p[("广西壮族自治区", "数字")] >= 1
    page = r.index.read_text(encoding="utf-8")
    assert "Dictionary profile: energy_digital.tsv" in page
    # no report of the ten names 房地产 or 化债 (audit41): the page says their 0 is the texts'
    assert not bt.read_csv(PROVINCES).docs["text"].str.contains("房地产|化债").any()
    assert "; no entry of 房地产、债务 occurs in them: 0 is what they say, or an entry is " \
        "misspelt" in page
    assert "dictionary=" in r.manifest["command"]


def test_helpers_dates_empty_tables_long_passages_and_topic_rule(tmp_path):
    from bri_text.report._inputs import _date_column
    from bri_text.report._page import _table_block, _Writer
    from bri_text.report._rules import _interval_words, _separating_topics

    docs = pd.DataFrame({"doc_id": ["a", "b"], "标题": ["x", "y"],
                         "发布时间": ["2026年1月2日", "2026-02-03"]})
    assert _date_column(docs) == "发布时间"
    with pytest.raises(MetadataError, match="date_column='when'"):
        _date_column(docs, "when")
    block = _Writer(tmp_path).table("empty", pd.DataFrame(columns=["a"]), "Shared passages",
                                    empty="No passage is shared.")
    assert block == {"kind": "note", "text": "No passage is shared.", "name": "empty"}
    long = "各位代表" * 100
    cell = _table_block(pd.DataFrame({"passage": [long]}))["rows"][0][0]
    assert cell["full"] == long and len(cell["short"]) < 100 and cell["n"] == 400
    prev = pd.DataFrame({"group": ["A", "A", "B", "B"], "topic": [0, 1, 0, 1],
                         "share": [0.6, 0.4, 0.3, 0.7], "ci_low": [0.5, 0.1, 0.2, 0.3],
                         "ci_high": [0.7, 0.6, 0.4, 0.8]})
    found = _separating_topics(prev, ["A", "B"])
    assert found[0].startswith("Topics: A stands apart from B on topic 0: A 60% (50%–70%)")
    # B leads on topic 1 by 30 points, but the intervals overlap: no clear difference
    assert found[1].startswith("Topics: no clear difference of B from A by the rule")
    # a topic of stock words (preambles, safeguards) is no finding: passed over, and said
    found = _separating_topics(prev, ["A", "B"], stock=[0])
    assert found[0].startswith("Topics: no clear difference of A from B by the rule")
    assert "stock-word topic 0 passed over" in found[0] and "topic 0:" not in found[0]
    # an interval that could not be computed says why beside the number
    from bri_text._stats import NO_FAILED

    row = pd.Series({"share": 0.9, "ci_low": np.nan, "ci_high": np.nan,
                     "interval": NO_FAILED, "n_failed": 31})
    assert _interval_words(row, 200) == (" (no interval: failed replicates (over 10% of the "
                                         "bootstrap resamples drew nothing to compute the "
                                         "figure from); 31 of 200 replicates drew no mention)")


@pytest.mark.skipif(_chromium() is None, reason="no chromium/chrome on PATH (apt-get install "
                    "chromium) to render the page in a real browser")
def test_a_real_browser_draws_the_page_of_another_corpus(provinces, tmp_path):
    out, page, tables = provinces
    shot = tmp_path / "page.png"
    profile = tempfile.mkdtemp()
    try:
        subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1400,2000",
             (out / "index.html").resolve().as_uri()],
            capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    from PIL import Image

    img = np.asarray(Image.open(shot).convert("L"))
    assert img.shape == (2000, 1400)
    # text all the way down the first screen (title, findings, overview), on a white page
    ink = (img < 128).mean(axis=1)
    assert (ink[:1900].reshape(19, 100).max(axis=1) > 0).all()
    assert np.median(img) > 240


def test_old_parameter_names_are_errors(tmp_path):
    """report(seed=, topics=) were renamed random_state=, n_topics= in 0.4.0 (one name per
    idea across the library) and removed in 0.5.0: the error names the new name, before
    anything is written."""
    with pytest.raises(ParameterError, match=r"topics= was renamed n_topics= .* removed in "
                                             r"0.5.0; use n_topics= instead"):
        report(["广西", "甘肃"], topics=1, out=tmp_path / "z")
    with pytest.raises(ParameterError, match=r"seed= was renamed random_state="):
        report(["广西", "甘肃"], seed=1, out=tmp_path / "z")
    assert not (tmp_path / "z").exists()


def test_a_corpus_too_small_for_k_topics_gets_a_sentence(tmp_path):
    """Ten short reports give fewer model terms than the default 8 topics: the section says
    so instead of the report failing with scikit-learn's NMF error."""
    r = report(["广西", "新疆"], corpus=PROVINCES, by="province", n_boot=0,
               out=tmp_path / "small", progress=False)
    assert r.sections["topics"].startswith("Left out: this corpus is too small for 8 topics")
    assert "n_topics=8 is larger than" in r.sections["topics"]
    # no advice the command line cannot follow (min_df), and what the failed fit warned
    # about is not among the page's warnings (audit41)
    assert "min_df" not in r.sections["topics"].split(")")[-1]
    assert "in at least 10 paragraphs" in r.sections["topics"]
    assert not any("TopicModel" in w for w in r.manifest["warnings"])


def test_key_findings_name_the_largest_differences_not_the_most_consistent():
    # five reports of the 1950s against five of the 2020s, document-level Welch t: a term
    # used a few times in every recent report and never before has a large t; the findings
    # name the significant terms with the largest difference in rate instead
    from bri_text.report._sections import _largest

    c = bt.load_work_reports()
    years = c.docs["year"].astype(int)
    c = c.subset((years <= 1958) | (years >= 2021))
    c.docs["period"] = ["1950s" if y <= 1958 else "2020s" for y in c.docs["year"]]
    m = bt.dtm(bt.tokenize(c))
    k = bt.keyness(m, target={"period": "2020s"}, reference={"period": "1950s"},
                   measure="welch")
    sig = k[(k["score"] > 0) & (k["q_value"] < 0.05)]
    diff = (sig["doc_rate_target"] - sig["doc_rate_reference"]).to_numpy()
    named = _largest(k, 5)
    assert named == sig["term"].to_numpy()[np.argsort(-diff, kind="stable")][:5].tolist()
    by_t = sig.sort_values("score", ascending=False)["term"].head(5).tolist()
    assert named != by_t
    # the first named term differs more than the term with the largest t
    rate = sig.set_index("term")
    gap = rate["doc_rate_target"] - rate["doc_rate_reference"]
    assert gap[named[0]] > 2 * gap[by_t[0]]


# ------------------------------------------------ exact duplicates (a file saved twice)
@pytest.fixture(scope="module")
def plans_with_a_copy(tmp_path_factory):
    """Six built-in plans (河南, 陕西, 广西, 甘肃) as a user's CSV, with 河南's first plan
    written twice: once more under another id, in the 陕西 rows (the copy comes later)."""
    docs = bt.load_bri_policies().docs
    docs = docs[docs["region"].isin(["河南", "陕西", "广西", "甘肃"])][
        ["doc_id", "title", "region", "date", "text"]]
    henan = docs[docs["region"] == "河南"].iloc[0]
    copy = henan.to_frame().T.assign(doc_id="河南方案_副本", region="陕西")
    path = tmp_path_factory.mktemp("dup") / "plans.csv"
    pd.concat([docs, copy]).to_csv(path, index=False, encoding="utf-8")
    return path, henan["doc_id"]


@pytest.mark.slow   # two reports (about 6 s)
def test_exact_duplicates_are_left_out_and_named_or_kept_when_asked(plans_with_a_copy,
                                                                     tmp_path, capsys):
    path, original = plans_with_a_copy
    args = ["report", "--corpus", str(path), "--compare", "河南", "陕西", "--topics", "0",
            "--n-boot", "10"]
    out = tmp_path / "r"
    assert main(args + ["--out", str(out)]) == 0
    assert f"exact duplicate left out: 河南方案_副本 = {original}" in capsys.readouterr().out
    docs = pd.read_csv(out / "tables" / "documents.csv", encoding="utf-8")
    assert "河南方案_副本" not in set(docs["doc_id"]) and original in set(docs["doc_id"])
    overview = pd.read_csv(out / "tables" / "overview.csv", encoding="utf-8").set_index("group")
    assert overview.loc["陕西", "documents"] == 2 and overview.loc["(whole corpus)",
                                                                   "documents"] == 6
    # the copy is in no table or figure: only the page and the manifest name it
    naming = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                    if p.is_file() and "河南方案_副本".encode() in p.read_bytes())
    assert naming == ["index.html", "manifest.json"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<h2 id=\"duplicates\">Duplicates left out</h2>" in page
    assert f"<li>河南方案_副本: exact duplicate of {original} (region: 陕西 vs 河南)</li>" in page
    assert "corpus = corpus.drop_duplicates(threshold=0.7)" in page
    assert "drop them with corpus = corpus.drop_duplicates()" not in page  # done here
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["corpus"]["duplicates"] == [
        {"doc_id": "河南方案_副本", "duplicate_of": original, "kind": "exact",
         "similarity": 1.0, "group": "陕西", "group_of_duplicate_of": "河南",
         "left_out": True}]
    assert (man["corpus"]["n_documents"], man["corpus"]["n_documents_read"]) == (6, 7)
    assert man["parameters"]["keep_duplicates"] is False

    assert main(args + ["--out", str(tmp_path / "k"), "--keep-duplicates", "--quiet"]) == 0
    kept = tmp_path / "k"
    docs = pd.read_csv(kept / "tables" / "documents.csv", encoding="utf-8")
    assert "河南方案_副本" in set(docs["doc_id"])
    man = json.loads((kept / "manifest.json").read_text(encoding="utf-8"))
    assert man["command"].endswith("--keep-duplicates --quiet")
    assert man["parameters"]["keep_duplicates"] is True
    assert man["corpus"]["duplicates"][0]["left_out"] is False
    page = (kept / "index.html").read_text(encoding="utf-8")
    assert "Duplicates kept" in page
    # the copy (陕西) and its original (河南) are the closest pair: named as a duplicate
    assert "cosine 1.00" not in _findings(page)
    assert f"passed over here: 河南方案_副本 is an exact duplicate of {original}." in \
        _findings(page)


def test_a_group_made_only_of_copies_is_an_error_naming_keep_duplicates(plans_with_a_copy,
                                                                        tmp_path):
    from bri_text.report._inputs import _load, _without_duplicates

    path, original = plans_with_a_copy
    with pytest.warns(UserWarning, match="repeat another one word for word"):
        corpus = _load(str(path), None)[0]
    corpus.docs.loc[corpus.docs["doc_id"] == "河南方案_副本", "region"] = "新疆"
    kept, copies = _without_duplicates(corpus, "region", ["河南", "新疆"], keep=True)
    assert len(kept) == 7 and copies[0]["group"] == "新疆"
    with pytest.raises(ParameterError, match="keep_duplicates=True"):
        _without_duplicates(corpus, "region", ["河南", "新疆"])
    from bri_text.report._report import _command

    assert _command(["河南"], "region", 0, 1, "r", str(path), None, 15, 200, "raise", None,
                    keep_duplicates=True).endswith("keep_duplicates=True)")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_of_a_file_saved_twice_the_original_is_kept_with_its_metadata(tmp_path):
    """报告(1).txt sorts before 报告.txt ('(' < '.'): the original, which metadata.csv names,
    is kept, the (1) copy dropped and named -- by the API and by the report alike."""
    from bri_text.report._inputs import _load, _without_duplicates

    docs = bt.load_bri_policies().docs.set_index("doc_id")
    folder = tmp_path / "plans"
    folder.mkdir()
    for name, doc in [("甘肃方案", "bri23"), ("陕西计划", "bri27"), ("甘肃方案(1)", "bri23")]:
        (folder / f"{name}.txt").write_text(docs.loc[doc, "text"], encoding="utf-8")
    meta = tmp_path / "metadata.csv"
    pd.DataFrame({"file": ["甘肃方案.txt", "陕西计划.txt"], "region": ["甘肃", "陕西"]}).to_csv(
        meta, index=False, encoding="utf-8")
    corpus = bt.read_folder(folder, metadata=meta)
    assert corpus.doc_ids == ["甘肃方案(1)", "甘肃方案", "陕西计划"]  # the copy comes first
    assert corpus.duplicates().values.tolist() == [["甘肃方案(1)", "甘肃方案", 1.0, "exact"]]
    kept = corpus.drop_duplicates()
    assert kept.doc_ids == ["甘肃方案", "陕西计划"]
    assert kept.docs["region"].tolist() == ["甘肃", "陕西"]
    assert kept.dropped.values.tolist() == [["甘肃方案(1)", "duplicate of 甘肃方案 (exact)"]]
    report_kept, copies = _without_duplicates(_load(str(folder), str(meta))[0], "region",
                                              ["甘肃", "陕西"])
    assert report_kept.doc_ids == ["甘肃方案", "陕西计划"]
    assert [(c["doc_id"], c["duplicate_of"], c["group"], c["group_of_duplicate_of"])
            for c in copies] == [("甘肃方案(1)", "甘肃方案", None, "甘肃")]
    # without metadata the name decides: 甘肃方案(1) looks like a copy, 甘肃方案 does not
    assert bt.read_folder(folder).drop_duplicates().doc_ids == ["甘肃方案", "陕西计划"]
    # metadata first: a copy that alone has a region is the one kept
    pd.DataFrame({"file": ["甘肃方案(1).txt", "陕西计划.txt"], "region": ["甘肃", "陕西"]}).to_csv(
        meta, index=False, encoding="utf-8")
    assert bt.read_folder(folder, metadata=meta).drop_duplicates().doc_ids == [
        "甘肃方案(1)", "陕西计划"]


# ------------------------------------- near duplicates (one text scraped from two sites)
def _findings(page: str) -> str:
    """The key findings of a report page, as text."""
    import html

    part = page[page.index('id="findings"'):]
    return html.unescape(re.sub(r"<[^>]+>", "", part[:part.index("</section>")]))


@pytest.fixture(scope="module")
def folder_with_a_near_copy(tmp_path_factory):
    """Gansu's and Shaanxi's built-in plans (bri23, bri27) as a user's folder, Gansu's with
    the byline of the provincial site; and the same Gansu plan as a national portal
    republished it: another byline, re-spaced (blank lines, full-width indents), half-width
    commas, an attachment line, filed under 陕西 (the scraper's label). Files by name:
    甘肃方案 < 转载_甘肃方案 < 陕西计划, so the Gansu site's copy comes first and is kept."""
    docs = bt.load_bri_policies().docs.set_index("doc_id")
    gansu, shaanxi = docs.loc["bri23"], docs.loc["bri27"]
    folder = tmp_path_factory.mktemp("near") / "plans"
    folder.mkdir()
    (folder / "甘肃方案.txt").write_text("来源：甘肃省人民政府网　发布时间：2015-12-09\n"
                                       + gansu["text"], encoding="utf-8")
    (folder / "陕西计划.txt").write_text("发布时间：2016-06-16\n" + shaanxi["text"],
                                       encoding="utf-8")
    copy = gansu["text"].replace("\n", "\n\n　　").replace("，", ", ")
    (folder / "转载_甘肃方案.txt").write_text(
        "来源：中国一带一路网　　作者：网站编辑　　发布时间：2015年12月11日\n\n　　" + copy
        + "\n附件：重点任务分工表", encoding="utf-8")
    meta = folder.parent / "meta.csv"
    pd.DataFrame({"file": ["甘肃方案.txt", "陕西计划.txt", "转载_甘肃方案.txt"],
                  "region": ["甘肃", "陕西", "陕西"],
                  "title": [gansu["title"], shaanxi["title"], gansu["title"]]}).to_csv(
        meta, index=False, encoding="utf-8")
    return folder, meta


def test_a_near_copy_is_found_and_left_out_the_distinct_plans_kept(folder_with_a_near_copy):
    from bri_text.report._inputs import _load, _without_duplicates

    folder, meta = folder_with_a_near_copy
    corpus = _load(str(folder), str(meta))[0]
    assert corpus.doc_ids == ["甘肃方案", "转载_甘肃方案", "陕西计划"]
    kept, copies = _without_duplicates(corpus, "region", ["甘肃", "陕西"])
    assert kept.doc_ids == ["甘肃方案", "陕西计划"]
    assert [(c["doc_id"], c["duplicate_of"], c["kind"], c["group"], c["group_of_duplicate_of"])
            for c in copies] == [("转载_甘肃方案", "甘肃方案", "near", "陕西", "甘肃")]
    # not word for word (commas and the attachment line differ), nearly all shingles shared
    assert 0.95 <= copies[0]["similarity"] < 1.0
    assert corpus.duplicates(threshold=None).empty
    same, listed = _without_duplicates(corpus, "region", ["甘肃", "陕西"], keep=True)
    assert len(same) == 3 and listed == copies


def test_findings_pass_over_a_kept_duplicate_pair(folder_with_a_near_copy):
    """(b): with the copy kept, its cosine of 1.00 with the original is the duplicate, not a
    finding: the similarity finding names the distinct pair and says what the copy is."""
    from bri_text.report._inputs import _load
    from bri_text.report._model_sections import _Similarities
    from bri_text.report._rules import _Copies

    folder, meta = folder_with_a_near_copy
    corpus = _load(str(folder), str(meta))[0]
    copies = _Copies(corpus.duplicates().to_dict("records"))
    sim = bt.similarity_matrix(bt.dtm(bt.tokenize(corpus), "tfidf"), level="document")
    assert sim.loc["甘肃方案", "转载_甘肃方案"] > 0.99
    v = _Similarities.of(sim, corpus.docs.set_index("doc_id"), "region", ["甘肃", "陕西"])
    pairs = v.between(["甘肃", "陕西"], "region")
    assert pairs.iloc[0][["doc_a", "doc_b"]].tolist() == ["甘肃方案", "转载_甘肃方案"]
    text = v.finding(pairs, ["甘肃", "陕西"], "region", copies)
    distinct = sim.loc["甘肃方案", "陕西计划"]
    assert text.startswith("Similarity: the pair between the groups other than duplicates, "
                           "甘肃方案 《甘肃省参与“一带一路”建设实施方案》 (甘肃) and 陕西计划 ")
    assert f"has cosine {distinct:.2f};" in text and "cosine 1.00" not in text
    assert text.endswith("passed over here: 转载_甘肃方案 is a near-duplicate of 甘肃方案 "
                         f"(similarity {copies.rows['转载_甘肃方案']['similarity']:.2f}).")
    # without copies the same pairs give the duplicate as the finding (the audit's case)
    assert "has cosine 1.00" in v.finding(pairs, ["甘肃", "陕西"], "region", _Copies())


@pytest.mark.slow   # two reports (about 8 s)
def test_a_near_copy_is_left_out_of_the_report_named_and_kept_when_asked(
        folder_with_a_near_copy, tmp_path):
    folder, meta = folder_with_a_near_copy
    kw = dict(corpus=folder, metadata=meta, by="region", n_topics=0, n_boot=10,
              progress=False)
    r = report(["甘肃", "陕西"], out=tmp_path / "r", **kw)
    docs = pd.read_csv(r.out / "tables" / "documents.csv", encoding="utf-8")
    assert docs["doc_id"].tolist() == ["甘肃方案", "陕西计划"]
    overview = pd.read_csv(r.out / "tables" / "overview.csv", encoding="utf-8")
    assert overview.set_index("group").loc["(whole corpus)", "documents"] == 2
    naming = sorted(p.relative_to(r.out).as_posix() for p in r.out.rglob("*")
                    if p.is_file() and "转载_甘肃方案".encode() in p.read_bytes())
    assert naming == ["index.html", "manifest.json"]
    (dup,) = r.manifest["corpus"]["duplicates"]
    assert (dup["doc_id"], dup["duplicate_of"], dup["kind"], dup["left_out"]) == (
        "转载_甘肃方案", "甘肃方案", "near", True)
    assert r.manifest["parameters"]["near_duplicate_threshold"] == 0.7
    assert r.manifest["corpus"]["n_documents_read"] == 3
    page = (r.out / "index.html").read_text(encoding="utf-8")
    assert "<h2 id=\"duplicates\">Duplicates left out</h2>" in page
    assert (f"<li>转载_甘肃方案: near-duplicate of 甘肃方案 (similarity "
            f"{dup['similarity']:.2f}) (region: 陕西 vs 甘肃)</li>") in page
    assert "陕西计划" in _findings(page) and "转载_甘肃方案" not in _findings(page)

    k = report(["甘肃", "陕西"], out=tmp_path / "k", keep_duplicates=True, **kw)
    docs = pd.read_csv(k.out / "tables" / "documents.csv", encoding="utf-8")
    assert "转载_甘肃方案" in set(docs["doc_id"])
    assert k.manifest["corpus"]["duplicates"][0]["left_out"] is False
    between = pd.read_csv(k.out / "tables" / "similarity_between.csv", encoding="utf-8")
    assert between.iloc[0][["doc_a", "doc_b"]].tolist() == ["甘肃方案", "转载_甘肃方案"]
    assert between.iloc[0]["cosine"] > 0.99          # in the table, as measured ...
    found = _findings((k.out / "index.html").read_text(encoding="utf-8"))
    assert "cosine 1.00" not in found                 # ... but never a finding of similarity
    assert "the pair between the groups other than duplicates, 甘肃方案" in found
    assert "passed over here: 转载_甘肃方案 is a near-duplicate of 甘肃方案" in found
    assert "Reuse among the compared documents: 0 shared passages (duplicates left out: " \
           "转载_甘肃方案 is a near-duplicate of 甘肃方案" in found


def test_auto_test_is_the_permutation_test_at_every_size():
    """Audit s36, finding 1: Welch's t on 5 vs 47 documents rejects far more than 5% when
    nothing differs; session 42: on groups of the same size (8 vs 8 and more) its p is too
    small for terms absent from one side. "auto" uses the permutation test whenever both
    sides have 5 documents, exact when they split at most 10,000 ways, and says why."""
    from bri_text.report._rules import _choose_test

    measure, why = _choose_test("auto", 5, 47)
    assert measure == "permutation"
    assert "5 and 47 documents" in why and "Welch's t does not" in why
    for sizes in ((47, 5), (11, 13), (8, 8), (12, 12), (20, 20), (5, 5), (7, 8)):
        assert _choose_test("auto", *sizes)[0] == "permutation", sizes
    # few documents: every split is enumerated, the exact permutation test (audit41)
    assert "only 252 ways" in _choose_test("auto", 5, 5)[1]
    assert "absent from every document of one side" in _choose_test("auto", 8, 8)[1]
    assert _choose_test("auto", 4, 47)[0] == "log_odds"
    assert _choose_test("document", 10, 10)[0] == "permutation"
    assert _choose_test("welch", 10, 10)[0] == "welch"          # as asked


@pytest.mark.slow
def test_on_a_random_unbalanced_split_the_reports_test_finds_nothing():
    """The 52 work reports, 5 drawn at random against the other 47 (nothing differs):
    Welch's t (the former automatic test) calls many terms significant at q < .05, the
    test the report now chooses, called as the report calls it, none."""
    from bri_text.report._rules import PERMUTATIONS, TEST_MIN_DOCS, _choose_test

    m = bt.dtm(bt.tokenize(bt.load_work_reports()))
    ids = m.docs["doc_id"].to_numpy()
    drawn = np.random.default_rng(3).choice(ids, 5, replace=False)
    m.docs["grp"] = np.where(np.isin(ids, drawn), "drawn", "rest")
    measure, _ = _choose_test("auto", 5, 47)
    kw = dict(target={"grp": "drawn"}, reference={"grp": "rest"}, min_docs=TEST_MIN_DOCS)
    welch = bt.keyness(m, measure="welch", **kw)
    now = bt.keyness(m, measure=measure, n_boot=PERMUTATIONS, random_state=1, **kw)
    assert (welch["q_value"] < 0.05).sum() >= 20
    assert (now["q_value"] < 0.05).sum() == 0
    assert (now["p_value"] < 0.05).mean() < 0.05 < (welch["p_value"] < 0.05).mean()


@pytest.mark.slow
def test_a_term_absent_from_one_side_gets_no_p_below_what_relabelling_allows():
    """Session 42: eight built-in plans against eight others (bri03 05 07 11 12 20 26 27 vs
    bri01 04 09 13 17 21 22 24: a random split, nothing differs). 空间 is in five of the
    sixteen, all on the second side. Of the C(16, 8) = 12,870 splits of the documents,
    2 x C(11, 3) = 330 put all five on one side, and each gives the same |t|, so no test
    that relabels the documents can give 空间 p below 330 / 12,870 = 0.0256; 资本 (four
    documents, all on one side) not below 2 x C(12, 4) / 12,870 = 0.0769. Welch's t, which
    the report's auto test chose at 8 vs 8 before, gives 0.018 and 0.040; the report's test
    now (the permutation test, here every split) gives them exactly those bounds."""
    from math import comb

    from bri_text.report._rules import TEST_MIN_DOCS, _choose_test
    from bri_text.report._sections import _permutations

    c = bt.load_bri_policies()
    tok = bt.Tokenizer(stopwords=("general", "policy"), min_length=2)
    m = bt.dtm(bt.tokenize(c.reshape("paragraph"), tokenizer=tok, progress=False))
    a = [f"bri{i:02d}" for i in (3, 5, 7, 11, 12, 20, 26, 27)]
    b = [f"bri{i:02d}" for i in (1, 4, 9, 13, 17, 21, 22, 24)]
    m.docs["side"] = np.where(m.docs["parent_id"].isin(a), "a",
                              np.where(m.docs["parent_id"].isin(b), "b", "-"))
    kw = dict(target={"side": "a"}, reference={"side": "b"}, min_docs=TEST_MIN_DOCS)
    measure, _ = _choose_test("auto", 8, 8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        welch = bt.keyness(m, measure="welch", **kw).set_index("term")
        n_boot = _permutations(8, 8, 200, welch.attrs["n_terms_tested"])
        now = bt.keyness(m, measure=measure, n_boot=n_boot, random_state=1,
                         **kw).set_index("term")
    assert comb(16, 8) == 12_870 and n_boot >= 12_870 and now.attrs["p_exact"]
    for term, k, p_welch in (("空间", 5, 0.018), ("资本", 4, 0.040)):
        assert (welch.loc[term, "docs_target"], welch.loc[term, "docs_reference"]) == (0, k)
        bound = 2 * comb(16 - k, 8 - k) / comb(16, 8)
        assert round(welch.loc[term, "p_value"], 3) == p_welch < bound
        assert now.loc[term, "p_value"] == pytest.approx(bound)
    assert round(2 * comb(11, 3) / 12_870, 4) == 0.0256
    # every term absent from one side: Welch's p below the bound for most, the test's never
    zero = (now["docs_target"] == 0) | (now["docs_reference"] == 0)
    k = (now["docs_target"] + now["docs_reference"])[zero]
    bounds = np.array([2 * comb(16 - x, 8 - x) / comb(16, 8) for x in k])
    assert (now.loc[zero, "p_value"].to_numpy() >= bounds * (1 - 1e-9)).all()
    assert (welch.loc[k.index, "p_value"].to_numpy() < bounds).mean() > 0.5


def test_the_page_says_what_the_permutation_test_tested():
    """The note beside a permutation-test table names the terms tested (min_docs), the
    relabellings, the smallest p they allow and, when that floor keeps the terms at it from
    q < .05, how many relabellings would not: national (11 plans) against the rest (16)."""
    from bri_text.report._sections import _permutations, _tested_words

    m = bt.dtm(bt.tokenize(bt.load_bri_policies()))
    words = {}
    for n in (200, 2000):
        k = bt.keyness(m, {"level": "national"}, None, "permutation", n_boot=n, min_docs=3,
                       random_state=0)
        words[n] = _tested_words(k, "permutation", n)
        assert f"the {len(k):,} terms found in at least 3 of the compared documents" in words[n]
        assert f"random relabellings of the documents, at most {n:,}" in words[n]
        assert f"smallest p possible is {1 / (n + 1):.2g}" in words[n]
    assert "more relabellings (--n-boot" in words[200]
    # the report never runs fewer than 2,000; every split when there are few enough
    assert _permutations(11, 16, 0) == 2000 and _permutations(5, 8, 0) == 2000
    assert _permutations(5, 11, 0) == 4368
    # beyond 10,000 splits: 20 relabellings per term tested, so that a term no relabelling
    # reaches (p = 1 / 140,001 with 7,000 terms) can reach q = 7,000 / 140,001 < .05 alone
    assert _permutations(11, 16, 0, n_terms=7000) == 140_000
    assert 7000 / 140_001 < 0.05
    # the page says how the p of random relabellings was found
    k = bt.keyness(m, {"level": "national"}, None, "permutation", n_boot=20_000,
                   min_docs=3, random_state=0)
    assert k.attrs["stop_hits"] == 100 and not k.attrs["p_exact"]
    text = _tested_words(k, "permutation", 20_000)
    assert "at most 20,000; a term's stop once 100 of them reach its |t|" in text
    assert "smallest p possible is 5e-05" in text
    # a term stopped early has p = 100 / the relabellings drawn: at least 100 / 20,000
    stopped = k["p_value"] > 101 / 20_001
    assert (k.loc[stopped, "p_value"] >= 100 / 20_000 - 1e-12).all()


@pytest.mark.slow   # a keyness step with its figure (about 1 s); _other_way's doctest is quick
def test_two_groups_permutation_test_runs_once_for_both_directions(tmp_path, monkeypatch):
    """Session 43: the report ran the permutation test once per direction, with other
    random relabellings, so a term could have two p-values. It now runs it once and reads
    the second direction from the first: 5 autonomous regions' against 5 provinces' 2026
    reports, the 9 terms of every region's report and no province's (中华民族共同体意识,
    交往 …, p = 2/252 exact) have the same p in both tables and are counted on the regions'
    side only."""
    import bri_text.report._sections as sections
    from bri_text.report._page import _Writer

    calls = []
    real = sections._keyness

    def counted(m, **kw):
        calls.append(kw["measure"])
        return real(m, **kw)

    monkeypatch.setattr(sections, "_keyness", counted)
    (tmp_path / "tables").mkdir()
    run = sections._Run(bt.read_csv(PROVINCES), "test", ["自治区", "省"], "region_type", 0, 1,
                        15, 0, _Writer(tmp_path), progress=False)
    run.prepare()
    run.keyness()
    assert calls == ["permutation"]
    assert run.tests["省"]["same_test_as"] == "自治区" and run.tests["自治区"]["same_test_as"] is None
    a = run.w.tables["keyness_自治区_vs_省"].set_index("term")
    b = run.w.tables["keyness_省_vs_自治区"].set_index("term")
    both = a.index.intersection(b.index)
    assert len(both) == len(a) == 30
    assert np.allclose(a.loc[both, "p_value"], b.loc[both, "p_value"])
    assert np.allclose(a.loc[both, "score"], -b.loc[both, "score"])
    assert (a.loc[both, "count_target"] == b.loc[both, "count_reference"]).all()
    sig = a.index[a["q_value"] < 0.05]
    assert len(sig) == 9 and (a.loc[sig, "score"] > 0).all() and (b.loc[sig, "score"] < 0).all()
    assert np.allclose(b.loc[sig, "q_value"], a.loc[sig, "q_value"])
    assert not ((b["score"] > 0) & (b["q_value"] < 0.05)).any()
    docs = bt.read_csv(PROVINCES).docs
    region = docs["region_type"].eq("自治区")
    for term in sig:
        has = docs["text"].str.contains(term, regex=False)
        assert has[region].all() and not has[~region].any(), term
    assert np.allclose(a.loc[sig, "p_value"], 2 / 252)
    assert sum("9 terms more frequent in 自治区" in f for f in run.findings) == 1
    assert sum("no term is more frequent in 省" in f for f in run.findings) == 1
    # the second table is the first read the other way: its note says so
    note = [bl["text"] for bl in run.sections[-1].blocks if bl["kind"] == "note"]
    assert sum("The test of 自治区 vs 省 above, read the other way" in t for t in note) == 1


def _run_page_code(page: str, marker: str, corpus) -> dict:
    """Run the page's code block holding ``marker`` (after ``import bri_text as bt`` and
    ``corpus = ...``, as the page says); its names, and the code under ``"code"``."""
    import html as html_lib

    blocks = [html_lib.unescape(b) for b in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)]
    code = next(b for b in blocks if marker in b)
    ns = {"bt": bt, "corpus": corpus}
    exec(code, ns)
    ns["code"] = code
    return ns


def test_keyness_and_similarity_tables_name_the_manifests_tokens(built):
    """The report's tables carry the fingerprint of the tokens they were computed from,
    the one its manifest records (corpus.tokens_fingerprint)."""
    fp = built.manifest["corpus"]["tokens_fingerprint"]
    assert len(fp) == 16
    for name in ("keyness_广西_vs_甘肃", "keyness_甘肃_vs_广西"):
        assert built.tables[name].attrs.get("tokens_fingerprint") == fp, name
    # similarity: the same tokens without the own names (session 43)
    assert built.tables["similarity_matrix"].attrs.get("tokens_fingerprint") == \
        built.manifest["corpus"]["tokens_without_names_fingerprint"] != fp


def test_topics_and_similarity_leave_out_the_own_names_too(built, html):
    """Session 43: the own names and self-references left out of the key terms were still
    in the topics and the similarity (我省 among the top words of a topic of the README's
    report). Their tokens are now those of every section with these words as stopwords,
    as the page's code says; the words are listed once, under the key terms."""
    man = built.manifest
    own = man["parameters"]["own_names"]
    assert own["left_out_of"] == ["keyness", "topics", "similarity"]
    assert own["count_columns"] == ["广西", "甘肃", "other documents"]
    counts = own["counts"]
    # 广西: 51 times in Guangxi's plan, 4 in the others' (bri14 of 江西 3, bri20 of 福建 1);
    # 我省: 6 times in Gansu's plan
    docs = bt.load_bri_policies().docs.set_index("doc_id")
    assert counts["广西"] == [51, 0, 4]
    assert docs.drop("bri18")["text"].str.count("广西").sum() == 4
    assert counts["我省"][:2] == [0, 6] and docs.loc["bri23", "text"].count("我省") == 6
    assert html.count("count in 广西 / 甘肃 / the other 25 documents: 我省 0/6/124") == 1
    names = frozenset(counts)
    code = "OWN_NAMES = {" + ", ".join(f"&#39;{n}&#39;" for n in sorted(names)) + "}"
    assert code in html
    # the page's tokens_without_names are the tokens of the topic model and similarity:
    # its code, run, gives the manifest's fingerprints (session 44: tokens.drop_words)
    ns = _run_page_code(html, "tokens_without_names = ", corpus=bt.load_bri_policies())
    assert "tokens_without_names = tokens.drop_words(OWN_NAMES)" in ns["code"]
    tokens = ns["tokens_without_names"]
    assert ns["tokens"].fingerprint == man["corpus"]["tokens_fingerprint"]
    assert tokens.fingerprint == man["corpus"]["tokens_without_names_fingerprint"]
    assert not any(names & set(t) for t in tokens.tokens)
    # what went: the own names' counts of the manifest, word by word
    assert tokens.dropped.set_index("word")["count"].to_dict() == \
        {w: sum(c) for w, c in counts.items()}
    # token for token the tokens of a second segmentation with the names as stopwords
    # (the report's tokens_without_names before session 44)
    again = bt.tokenize(bt.load_bri_policies().reshape("paragraph"), tokenizer=bt.Tokenizer(
        stopwords=("general", "policy", names), min_length=2), progress=False)
    assert again.tokens == tokens.tokens and again.doc_ids == tokens.doc_ids
    assert all((a == b).all() for a, b in zip(again.spans, tokens.spans))
    assert ".fit(tokens_without_names, stock_tokens=" in html
    assert html.count("Tokens: tokens_without_names, those of every section without") == 2
    assert not names & set(built.tables["topic_terms"]["term"])


@pytest.mark.slow   # > 3 s
def test_reuse_summary_puts_each_pair_in_date_order_whatever_the_order_of_compare(tmp_path):
    """Session 44 (audit44): the summary of passages shared between the compared groups
    said "source = the earlier-dated document" but kept the first group of --compare as
    source: compared as 新疆 then 广西, Xinjiang's report (26 January) was the source of
    Guangxi's (23 January), "later→earlier" (on 李克强 vs 温家宝's work reports, every row)."""
    r = report(["新疆", "广西"], corpus=PROVINCES, by="province", n_topics=0, n_boot=0,
               out=tmp_path / "r", progress=False)
    page = r.index.read_text(encoding="utf-8")
    assert "(in the summary, source = the earlier-dated document)" in page
    summ = pd.read_csv(tmp_path / "r" / "tables" / "reuse_between_summary.csv",
                       encoding="utf-8")
    assert summ[["source", "target", "date_source", "date_target", "direction"]] \
        .values.tolist() == [["gx", "xj", "2026-01-23", "2026-01-26", "earlier→later"]]


@pytest.mark.slow   # > 3 s
def test_five_connectivities_are_left_out_of_documents_that_do_not_name_the_belt_and_road(
        tmp_path):
    """Session 44 (audit44): autonomous regions against provinces in the 2026 reports: the
    five connectivities' words reach 743 per 10,000 tokens (34 and 11 matches: 交往交流交融
    as 民心相通), above the 500 asked, but only Guangxi's report names the Belt and Road.
    The section was shown as a finding; it is left out, with the figures and the way to
    show it. The built-in plans keep it (test_page_has_every_section_and_both_provinces)."""
    r = report(["自治区", "省"], corpus=PROVINCES, by="region_type", n_topics=0, n_boot=0,
               out=tmp_path / "r", progress=False)
    page = r.index.read_text(encoding="utf-8")
    assert ("Left out: the five connectivities are the Belt and Road&#39;s categories, and "
            "only 1 of the 10 compared documents names the Belt and Road") in page
    assert "743 per 10,000 tokens (自治区 34, 省 11)" in page
    assert not (tmp_path / "r" / "tables" / "profile_five_connectivities.csv").exists()
    r = report(["自治区", "省"], corpus=PROVINCES, by="region_type", n_topics=0, n_boot=0,
               dictionary="five_connectivities", out=tmp_path / "r2", progress=False)
    profile = pd.read_csv(tmp_path / "r2" / "tables" / "profile_five_connectivities.csv",
                          encoding="utf-8")
    assert profile.groupby("group")["count"].sum().to_dict() == {"省": 11, "自治区": 34}


@pytest.mark.slow   # > 3 s
def test_an_empty_row_of_a_table_is_left_out_not_said_to_be_skipped_by_errors(tmp_path,
                                                                                 capsys):
    """Session 44 (audit44): a table's row without text is always left out; the page listed
    it under "Files not read" as "(skipped: errors="skip")" and the command line as "file
    skipped (--errors skip)", though the row is no file and --errors was not given."""
    df = pd.read_csv(PROVINCES, encoding="utf-8")
    df = pd.concat([df, pd.DataFrame([{"doc_id": "blank", "province": "云南省",
                                       "publish_date": "2026-01-28", "text": ""}])])
    path = tmp_path / "reports.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    out = tmp_path / "r"
    assert main(["report", "--corpus", str(path), "--by", "province", "--compare", "广西",
                 "新疆", "--out", str(out), "--topics", "0", "--n-boot", "0"]) == 0
    printed = capsys.readouterr().out
    assert "  blank: empty text (left out: no text)" in printed
    assert "--errors skip" not in printed
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<h2>Documents not read</h2>" in page
    assert "<li>blank: empty text (left out: no text)</li>" in page
    assert 'errors="skip"' not in page and "errors=&#34;skip&#34;" not in page


# ---------------------------------------------------------------------- audit s45
@pytest.mark.slow   # two reports of 18 short documents (about 4 s each)
def test_instruments_of_her_own_codebook_are_reproduced_by_the_call_on_the_page(tmp_path):
    """A student's corpus (the 8 digital-economy documents and the 10 work reports of
    tests/data) with her own codebook (tests/data/codebook_digital_chain.csv). The page's
    call for the instrument table was bt.code_clauses(units), the default codebook, with
    units undefined: run as written it coded her clauses with Rothwell & Zegveld's BRI
    codes. Now the call names her file and reproduces the table. When her phrases code
    too few clauses, the page says how many of each group (national 9, provincial 9)
    and does not tell her to pass a codebook of her own: she did."""
    import html as html_lib
    from pathlib import Path

    data = Path(__file__).parent / "data"
    policies = pd.read_csv(data / "digital_economy_policies.csv").assign(kind="policy")
    reports = pd.read_csv(data / "provincial_reports_2026.csv").rename(
        columns={"publish_date": "date"}).assign(kind="report", level="report")
    cols = ["doc_id", "title", "date", "level", "kind", "text"]
    pd.concat([policies[cols], reports[cols]]).to_csv(tmp_path / "her.csv", index=False)
    shutil.copy(data / "codebook_digital_chain.csv", tmp_path / "book.csv")
    kw = dict(corpus=str(tmp_path / "her.csv"), codebook=str(tmp_path / "book.csv"),
              n_topics=0, n_boot=50, random_state=1, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        built = report(["policy", "report"], by="kind", out=tmp_path / "a", **kw)
        page = html_lib.unescape(built.index.read_text(encoding="utf-8"))
        call = re.search(r"units = corpus[^<]*", page).group(0)
        assert "bt.read_codebook(" in call and "book.csv" in call
        ns = {"bt": bt, "corpus": bt.read_csv(tmp_path / "her.csv")}
        *steps, last = call.split("; ")
        for step in steps:
            exec(step, ns)
        again = eval(last, ns)
    table = built.tables["instrument_types"]
    assert table["code"].tolist() == ["S", "E", "D"] * 2          # her types, not supply…
    assert table[["count", "n_units"]].values.tolist() == again[["count", "n_units"]] \
        .values.tolist() == [[7, 18], [5, 18], [6, 18], [7, 12], [2, 12], [3, 12]]
    np.testing.assert_allclose(table["ci_low"], again["ci_low"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        few = report(["national", "provincial"], by="level", out=tmp_path / "b", **kw)
    text = few.index.read_text(encoding="utf-8")
    assert "fewer than 10 clauses of national (9), provincial (9)" in text
    assert "--codebook FILE for your own" not in text
