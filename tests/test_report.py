"""The comparative report (bri_text.report): one command, offline HTML, CSV, manifest."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import bri_text as bt  # noqa: E402
from bri_text.__main__ import main  # noqa: E402
from bri_text.errors import MetadataError, ParameterError  # noqa: E402
from bri_text.report import report  # noqa: E402

PARAMS = dict(compare=["广西", "甘肃"], seed=3, n_boot=50, topics=4, progress=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return report(out=tmp_path_factory.mktemp("report") / "a", **PARAMS)


@pytest.fixture(scope="module")
def html(built):
    return built.index.read_text(encoding="utf-8")


def test_page_has_every_section_and_both_provinces(built, html):
    assert "<h1>Comparative report: 广西 vs 甘肃</h1>" in html
    for section in ("overview", "keyness", "kwic", "profile", "orientation", "topics",
                    "similarity", "reuse", "reproduce"):
        assert f'<section id="{section}">' in html, section
    assert "<h3>广西 vs 甘肃</h3>" in html and "<h3>甘肃 vs 广西</h3>" in html
    assert "广西: 东南亚 9" in html                      # leading region with its mentions
    assert "place mentions (few mentions: read with caution)" in html   # Gansu: 6 mentions
    assert built.sections["topics"].startswith("Topics (LDA, K = 4")
    if hasattr(bt, "similarity_matrix"):
        pairs = built.tables["similarity_top_pairs"]
        assert (pairs["doc_a"].isin(["bri18", "bri23"]) | pairs["doc_b"].isin(["bri18", "bri23"])).all()
        assert pairs["cosine"].is_monotonic_decreasing and "similarity" in built.figures


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
    assert gx["term"].iloc[0] == "广西"                 # the province's own name, then ASEAN
    assert set(gx["term"].iloc[1:3]) == {"东盟", "中国—东盟"}
    assert {"敦煌", "兰州"} <= set(gs["term"].head(3))
    assert gx["stability"].between(0, 1).all()
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
    assert man["parameters"]["topics"] == 4
    assert man["versions"]["bri_text"] and man["versions"]["jinja2"]
    assert "bri_text.report.report(compare=['广西', '甘肃']" in man["command"]
    assert man["created"].endswith("+00:00")
    assert set(man["tables"]) == set(built.tables)


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


def test_cli_on_own_csv_escapes_text_and_skips_what_is_missing(own_csv, tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["report", "--corpus", str(own_csv), "--compare", "广西", "陕西", "--out",
                 str(out), "--topics", "0", "--seed", "2", "--n-boot", "20", "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b onclick" not in page
    assert "skipped: --topics 0" in page
    assert "no documents with level = national" in page
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["command"].startswith("python -m bri_text report --corpus")
    assert man["seed"] == 2 and man["corpus"]["n_documents"] == 4


def test_bad_input_is_named(own_csv, tmp_path, capsys):
    assert main(["report", "--corpus", str(own_csv), "--compare", "广西", "上海",
                 "--out", str(tmp_path / "x"), "--quiet"]) == 2
    assert "上海" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()              # nothing written for a bad command
    with pytest.raises(MetadataError, match="by='province'"):
        report(["广西"], corpus=own_csv, by="province", out=tmp_path / "y", progress=False)
    with pytest.raises(ParameterError, match="topics"):
        report(["广西"], topics=1, out=tmp_path / "z")


def test_main_job_without_subcommand_is_unchanged(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "python -m bri_text report --compare" in capsys.readouterr().out


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
