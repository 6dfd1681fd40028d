"""Test data every test module may import (``from support import DATA, compendium_text``):
the repository's test data folder, the raw compendium, our own press fixtures and the real
press seeds in ../shared/seeds (extra checks only). A plain module with a name of its own,
so the import does not depend on which ``conftest`` Python finds first."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
COMPENDIUM_GZ = DATA / "compendium_001.txt.gz"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

#: our own fixture for each press seed, reproducing its artefacts
PRESS_FIXTURES = {
    "000": "press_traditional.txt",      # Traditional script, site chrome, copyright footer
    "002": "press_front_matter.txt",     # YAML front matter + HTML, <script>, inline CSS, ads
    "003": "press_menu.txt",             # navigation menu one word per line, copyright after
    "004": "press_sections.txt",         # several authored sections: headline + byline each
}



def compendium_text() -> str:
    """The raw PDF-extracted compendium (seed 001), from the repository's test data."""
    with gzip.open(COMPENDIUM_GZ, "rt", encoding="utf-8") as f:
        return f.read()


def raw_reports_with_title_block() -> dict[int, str]:
    """The raw Wikisource records (``government_work_reports.jsonl.gz``, as scraped) of the
    work reports whose text starts with its title block, by year: ``政府工作报告``, the
    dateline (``——2017年3月5日在第十二届全国人民代表大会第五次会议上``; 1957 without the
    dashes), the premier; then the report and Wikisource's licence footer."""
    import json

    with gzip.open(DATA / "government_work_reports.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    return {int(r["year"]): r["content"] for r in records
            if r["year"] and r["content"].lstrip("\u200b\n").startswith("政府工作报")}


def raw_resolutions() -> dict[str, str]:
    """The raw Wikisource records of the 20 NPC resolutions on the work reports
    (``government_work_reports.jsonl.gz``, as scraped), by title: four (2020-2023) have
    their adoption note under the title, ``（2023年3月13日第十四届全国人民代表大会第一次会议通过）``."""
    import json

    with gzip.open(DATA / "government_work_reports.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    return {r["title"]: r["content"] for r in records if r["year"] is None}


def press_fixture(prefix: str) -> Path:
    """Our own fixture file with the artefacts of press seed ``prefix``."""
    return DATA / PRESS_FIXTURES[prefix]


def seed_path(prefix: str) -> Path:
    """The real seed file whose name starts with ``prefix``.

    Skips the test when ``../shared/seeds`` is absent: use :func:`compendium_text` for the
    compendium and :func:`press_fixture` for our press fixtures, which always exist.
    """
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS} (extra check only)")
    return matches[0]


def render_without_missing_glyphs(fig) -> None:
    """Draw ``fig`` to PNG and assert matplotlib warned of no glyph missing from the font
    (Chinese shows as characters, not boxes)."""
    import io
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (a report's output), by its relative path, with its
    bytes: two runs that must be byte-identical compare these."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


#: a researcher's folder of 15 provincial opening-up documents with her region list
REGIONS_DIR = DATA / "orientation_regions"


def regions_corpus():
    """The documents of ``tests/data/orientation_regions`` (its ``*.txt``, with
    ``metadata.csv``: province, 片区), read as a researcher reads them."""
    import warnings

    import bri_text as bt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # regions.tsv / .csv are not documents
        return bt.read_folder(REGIONS_DIR, pattern="*.txt",
                              metadata=REGIONS_DIR / "metadata.csv")
