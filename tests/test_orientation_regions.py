"""An international-relations researcher's own corpus and dictionary (audit s40 compare40):
15 provincial documents on opening up (广西, 云南, 新疆, 黑龙江, 河南; 2018-2024; own
wording) in ``tests/data/orientation_regions/`` with ``metadata.csv`` (``province`` holds
full names, ``片区`` groups the provinces) and her dictionary of world regions and partners
(``regions.tsv``, term<TAB>category; ``regions.csv`` the same as a comma-separated file).

Values asserted here can be checked by reading the documents: Heilongjiang's three texts
write 对俄 15 times, 中俄 8 times and 俄罗斯 12 times (3 of them in 俄罗斯远东地区).
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

import bri_text as bt

DATA = Path(__file__).parent / "data" / "orientation_regions"
REGIONS = DATA / "regions.tsv"


@pytest.fixture(scope="module")
def corpus():
    return bt.read_folder(DATA, pattern="*.txt", metadata=DATA / "metadata.csv")


@pytest.fixture(scope="module")
def tokens(corpus):
    return bt.tokenize(corpus.reshape("paragraph"))


def _dictionary() -> dict[str, str]:
    out = {}
    for line in REGIONS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("term\t"):
            term, category = line.split("\t")
            out[term] = category
    return out


def _text_counts(corpus, by="province") -> dict[tuple[str, str], int]:
    """Reference counts read off the cleaned texts: every dictionary term, longest first,
    never overlapping (中亚五国 is one mention, not 中亚 too), but for place names inside
    longer place names (印度 in 印度尼西亚, 西亚 in 马来西亚, 南亚 in 东南亚), which are none."""
    d = _dictionary()
    pattern = re.compile("|".join(map(re.escape, sorted(d, key=len, reverse=True))))
    out: dict[tuple[str, str], int] = {}
    for _, row in corpus.docs.iterrows():
        for m in pattern.finditer(row["text"]):
            key = (row[by], d[m.group()])
            out[key] = out.get(key, 0) + 1
    return out


def test_the_fixture_reads_as_written(corpus):
    assert len(corpus.docs) == 15
    assert corpus.docs["province"].value_counts().to_dict() == {
        "广西壮族自治区": 3, "云南省": 3, "新疆维吾尔自治区": 3, "黑龙江省": 3, "河南省": 3}
    assert corpus.dropped.empty
    hlj = "".join(corpus.docs.loc[corpus.docs["province"] == "黑龙江省", "text"])
    assert (hlj.count("对俄"), hlj.count("中俄"), hlj.count("俄罗斯")) == (15, 8, 12)


def test_share_intervals_stay_within_0_and_1(tokens):
    """Three documents a province: the t interval over documents was symmetric and its
    high end unbounded, so Guangxi's share of 东盟 read 0.94 (0.79-1.09) and the report's
    key finding "东南亚 89% (interval 55%–123%)"."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prof = bt.profile(tokens, dictionary=REGIONS, by="province", normalize="share",
                          n_boot=200)
        ori = bt.orientation(tokens, by="province", n_boot=200)
    for table in (prof, ori):
        assert (table["ci_high"].dropna() <= 1.0).all()
        assert (table["ci_low"].dropna() >= 0.0).all()
    gx = prof.query("group == '广西壮族自治区' and category == '东盟'").iloc[0]
    assert gx["n_docs"] == 3 and gx["share"] > 0.9
    assert gx["ci_low"] < gx["share"] < gx["ci_high"] == 1.0
    lead = ori.groupby("group").head(1).set_index("group")["world_region"].to_dict()
    assert lead["广西壮族自治区"] == "东南亚" and lead["新疆维吾尔自治区"] == "中亚"
    assert ori.query("group == '广西壮族自治区'").iloc[0]["ci_high"] == 1.0
