"""The documentation site's API page lists every public name (it is written by hand, by
stage; this keeps it from falling behind the package). The site itself is built by
.ci/run with warnings as errors (README, "Documentation")."""
from __future__ import annotations

import re
from pathlib import Path

import bri_text

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_name_is_in_the_api_reference():
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(
        r"^\.\. auto(?:function|class|exception):: bri_text\.(\w+)\s*$", page, flags=re.M))
    public = set(bri_text.__all__) - {"__version__"}
    assert public - documented == set()
    assert documented - public == set()
    assert ".. automodule:: bri_text.plot" in page


def test_the_site_has_every_guide_and_notebook():
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    guides = {p.stem for p in (ROOT / "docs").glob("*.md")} - {"index"}
    listed = set(re.findall(r"^(\w+)$", index, flags=re.M))
    assert guides - listed == set()
    assert "../notebooks/*" in index and "../benchmarks/*" in index
