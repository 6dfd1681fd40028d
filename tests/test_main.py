"""The README's main job: ``python -m bri_text`` on the built-in corpus."""
from __future__ import annotations

import pandas as pd
import pytest

import bri_text as bt
from bri_text.__main__ import main


def test_main_job_prints_provinces_terms_and_orientation(capsys, tmp_path):
    assert main(["--top-n", "10", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Built-in corpus: 27 Belt and Road policy documents, 2013-07-05 to 2018-01-06" in out
    lines = out.splitlines()
    guangxi_terms = next(l for l in lines if l.strip().startswith("广西") and "东盟" in l)
    assert "北部湾" in guangxi_terms
    # as in the report, the documents' own names are left out (session 43): 广西 led
    # Guangxi's terms, 河南 and 郑州 Henan's, 甘肃 Gansu's
    assert "广西、" not in guangxi_terms and guangxi_terms.split()[1].startswith("中国—东盟、")
    henan_terms = next(l for l in lines if l.strip().startswith("河南") and "郑州" in l)
    assert "卢森堡" in henan_terms
    guangxi_focus = [l for l in lines if l.strip().startswith("广西")][-1]
    assert guangxi_focus.split()[2].startswith("东南亚")
    gansu_focus = [l for l in lines if l.strip().startswith("甘肃")][-1]
    assert gansu_focus.split()[1] == "6" and "too few mentions" in gansu_focus
    docs = pd.read_csv(tmp_path / "documents.csv", encoding="utf-8-sig")
    assert len(docs) == 27
    key = pd.read_csv(tmp_path / "keyness_by_region.csv", encoding="utf-8-sig")
    assert {"group", "term", "score"} <= set(key.columns)
    assert not {"广西", "河南", "甘肃", "我省", "全省"} & set(key["term"])
    # ... and listed with their counts, printed and written
    assert "Left out of the distinctive terms (--keep-names keeps them)" in out
    left = pd.read_csv(tmp_path / "keyness_left_out.csv", encoding="utf-8-sig")
    gx = left.set_index("term").loc["广西"]
    assert f"广西 {gx['count']} (广西 {gx['count_most']})" in out
    # 广西 is Guangxi's word: of its uses in the provinces' plans, all but those of the
    # texts of 江西 (3, bri14) and 福建 (1, bri20) are in Guangxi's plan
    docs = bt.load_bri_policies().docs
    elsewhere = docs[docs["region"].notna() & docs["region"].ne("广西")]
    assert elsewhere["text"].str.count("广西").sum() == 4
    assert gx["most"] == "广西" and gx["count"] - gx["count_most"] == 4
    assert left.set_index("term").loc["我省", "count"] > 100      # the most used of all


@pytest.mark.slow   # a second run of the main job (2 s)
def test_main_job_keeps_the_names_when_asked(capsys, tmp_path):
    assert main(["--keep-names", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    guangxi_terms = next(l for l in out.splitlines()
                         if l.strip().startswith("广西") and "东盟" in l)
    assert guangxi_terms.split()[1].startswith("广西、")
    assert "Left out of" not in out and not (tmp_path / "keyness_left_out.csv").exists()
