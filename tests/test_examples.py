"""The scripts in examples/ run end to end and print what they promise."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _run(script: str, *args: str) -> str:
    # the scripts import this checkout's bri_text, not another installed copy
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
    out = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True,
                         text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.mark.slow
def test_compare_provinces(tmp_path):
    out = _run("compare_provinces.py", "--out", str(tmp_path))
    assert "广西 vs 甘肃" in out
    guangxi_lines = [l for l in out.splitlines() if l.strip().startswith("广西")]
    assert "东南亚" in guangxi_lines[-3]  # the first orientation row of Guangxi
    assert (tmp_path / "keyness_广西_vs_甘肃.png").stat().st_size > 10_000
    import pandas as pd
    table = pd.read_csv(tmp_path / "keyness_广西_vs_甘肃.csv")
    assert table["term"].iloc[0] == "东盟"                  # own names left out: not 广西
    assert not table["term"].isin(["广西", "甘肃", "全区"]).any()


@pytest.mark.slow
def test_topics_by_province(tmp_path):
    out = _run("topics_by_province.py", "--k", "8", "--out", str(tmp_path))
    assert "8 topics" in out and "Each province's leading topic" in out
    assert (tmp_path / "lda_k8_seed1" / "manifest.json").is_file()
    assert (tmp_path / "topic_prevalence_by_region.csv").stat().st_size > 1000


def test_read_and_clean_prints_the_compendium_split(tmp_path):
    """On a folder like the seeds (the compendium and our press fixtures)."""
    from support import compendium_text, press_fixture

    (tmp_path / "001_compendium.txt").write_text(compendium_text(), encoding="utf-8")
    for prefix in ("000", "002", "003", "004"):
        src = press_fixture(prefix)
        (tmp_path / src.name).write_bytes(src.read_bytes())
    out = _run("read_and_clean.py", str(tmp_path))
    assert "The compendium splits into 27 documents" in out
    assert "推动西部陆海新通道开放合作走深走实" in out  # title read from press_menu.txt
    assert "2025-10-10" in out
