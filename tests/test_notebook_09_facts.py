"""The facts notebook 09 (diffusion and reinvention) states, checked with the library
directly (scripts/notebook_cells/09_diffusion.py holds the cells)."""
from __future__ import annotations

import sys
from pathlib import Path

import bri_text as bt

ROOT = Path(__file__).resolve().parents[1]


def test_09_national_documents_sentence(bri_corpus):
    """'None of the eleven national documents is adopted by any of the twelve provinces …
    The largest share of a national document any province carries is under 1%'."""
    r = bt.diffusion(bri_corpus, source={"level": "national"}, by="region")
    assert len(r.sources) == 11 and (r.sources["jurisdictions"] == 12).all()
    assert r.sources["adopted"].sum() == 0
    assert r.adoptions["share"].max() < 0.01


def test_09_between_provinces_sentence(bri_corpus):
    """'no province adopted any of them. Fujian's plan of 2016-12-01 shares one 61-character
    sentence with Gansu's, but both only cite the national 《愿景与行动》 (a title in 5 of the
    27 documents) … one passage … Henan's plan has and Fujian's repeats 53 days later'."""
    r = bt.diffusion(bri_corpus, source=["bri14", "bri23", "bri25", "bri26"], by="region",
                     threshold=0.02)
    assert (r.adoptions["status"] == "adopted").sum() == 0
    assert sum("愿景与行动》" in t for t in bri_corpus.texts) == 5
    t = bt.text_reuse(bri_corpus.subset(doc_id=["bri20", "bri23"]))
    cite = t[t["kind"] == "citation"]
    assert len(cite) == 1 and cite["chars"].iloc[0] == 61
    h = r.horizontal
    assert h[["doc_from", "doc_to", "lag_days"]].values.tolist() == [["bri24", "bri20", 53]]
    assert "调动各方积极性" in h["passage_to"].iloc[0]


def test_09_rewritten_not_copied_sentence(bri_corpus):
    """'Of Jiangxi's 323 sentences, 232 say something … Henan's plan keeps none of them
    word for word and rewrites 4 … The four sentences it repeats exactly are headings'."""
    pair = bt.compare_versions("bri14", "bri24", bri_corpus, unit="sentence")
    src = pair[pair["source_index"].notna()]
    assert len(src) == 323 and src["substance"].sum() == 232
    counts = pair.loc[pair["substance"], "status"].value_counts()
    assert (counts.get("kept", 0), counts["changed"]) == (0, 4)
    assert pair.loc[pair["status"] == "kept", "source_text"].tolist() == [
        "重大意义。", "指导思想。", "发展目标。", "促进投资贸易便利化。"]
    frame = pair[pair["char_diff"].fillna("").str.contains(r"\[-积极应对-\]\{\+深刻把握\+\}")]
    assert len(frame) == 1


def test_09_planted_sentence():
    """On the planted corpus (seed 3): every planted adoption found with its exact date, none
    invented; 88 province-years at risk with 29 adoptions; the coastal coefficient's
    interval covers zero."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from planted_diffusion import make_planted

    planted = make_planted(seed=3)
    result = bt.diffusion(planted.corpus, source={"level": "national"}, by="region")
    found = result.adoptions[result.adoptions["status"] == "adopted"]
    truth = planted.adoptions[planted.adoptions["adopted"]]
    merged = truth.merge(found, left_on=["source_id", "region"],
                         right_on=["source", "jurisdiction"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == 29
    assert (merged["date_x"] == merged["date_y"]).all()
    import pandas as pd
    import statsmodels.formula.api as smf

    coastal = pd.DataFrame({"region": ["河北", "辽宁", "江苏", "浙江", "福建", "山东", "广东",
                                       "广西", "海南", "天津", "上海"], "coastal": 1})
    panel = result.panel("year", covariates=coastal).fillna({"coastal": 0})
    assert (len(panel), int(panel["adopted"].sum())) == (88, 29)
    fit = smf.logit("adopted ~ time + coastal", data=panel).fit(disp=0)
    low, high = fit.conf_int().loc["coastal"]
    assert low < 0 < high
