"""The report's command-line summary says when the topic model came from the topics
cache (session 45, report45's patch); the page and manifest stay the bytes a fresh fit
writes (``--no-timestamp``)."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from bri_text.__main__ import main
from bri_text.topics import _cache

CACHE_LINE = re.compile(r"^  topics: the model was read from the cache \((.+)\), the model a "
                        r"fresh fit gives; BRI_TEXT_TOPIC_CACHE=0 fits it again$", re.M)


@pytest.mark.slow   # two reports of the built-in corpus (about 6 s each)
def test_the_summary_says_the_topics_came_from_the_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BRI_TEXT_TOPIC_CACHE", raising=False)   # conftest turns it off
    monkeypatch.setenv("BRI_TEXT_CACHE_DIR", str(tmp_path / "cache"))
    # the report's fit of 广西 and 甘肃 takes under the 2 s "auto" stores: store it anyway
    monkeypatch.setattr(_cache, "AUTO_MIN_SECONDS", 0.0)
    args = ["report", "--compare", "广西", "甘肃", "--out", "r", "--n-boot", "10",
            "--orientation", "off", "--no-timestamp"]
    said, written = [], []
    for name in ("cold", "warm"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(args) == 0
        said.append(capsys.readouterr().out)
        written.append({p: (tmp_path / name / "r" / p).read_bytes()
                        for p in ("index.html", "manifest.json")})
    cold, warm = said
    assert "Report written to r/index.html" in cold and not CACHE_LINE.search(cold)
    entry = CACHE_LINE.search(warm).group(1)
    assert Path(entry).is_dir() and Path(entry).is_relative_to(tmp_path / "cache")
    page = written[1]["index.html"].decode("utf-8")
    assert "Topics (LDA, K = " in page                     # the section is shown
    assert written[0] == written[1]          # page and manifest: the bytes of a fresh fit
