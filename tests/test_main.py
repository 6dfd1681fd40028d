"""The README's main job: ``python -m bri_text`` on the built-in corpus."""
from __future__ import annotations

import pandas as pd

from bri_text.__main__ import main


def test_main_job_prints_provinces_terms_and_orientation(capsys, tmp_path):
    assert main(["--top-n", "10", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Built-in corpus: 27 Belt and Road policy documents, 2013-07-05 to 2018-01-06" in out
    lines = out.splitlines()
    guangxi_terms = next(l for l in lines if l.strip().startswith("广西") and "东盟" in l)
    assert "北部湾" in guangxi_terms
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
