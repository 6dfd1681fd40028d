"""Every ```python block of README.md and docs/*.md runs: blocks of one file are executed in
order in one namespace (as a reader would paste them into one notebook), statement by
statement so that an error names the file and line.

Blocks that read the user's own files (``read_folder("plans/", ...)``) run in a temporary
folder holding ``plans/*.txt`` and ``plans/metadata.csv`` written from the built-in corpus.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)

def python_blocks(path: Path) -> list[tuple[int, str]]:
    """(first line number, source) of each ```python block of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    return [(text[:m.start()].count("\n") + 2, m.group(1)) for m in FENCE.finditer(text)]


MARKDOWN = [p for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
            if python_blocks(p)]


@pytest.fixture
def plans_folder(tmp_path, monkeypatch, bri_corpus):
    """A folder ``plans/`` of .txt files (the texts as published) with ``metadata.csv``
    (``filename``, as spreadsheets in the wild name it, and the titles)."""
    plans = tmp_path / "plans"
    plans.mkdir()
    for doc in bri_corpus:
        (plans / f"{doc.doc_id}.txt").write_text(doc.text + "\n", encoding="utf-8")
    meta = bri_corpus.metadata[["doc_id", "title", "region", "city", "level", "year"]].copy()
    meta.insert(0, "filename", meta.pop("doc_id") + ".txt")
    meta.to_csv(plans / "metadata.csv", index=False)
    monkeypatch.chdir(tmp_path)
    return plans


def run_markdown(path: Path) -> dict:
    """Execute the file's python blocks; returns the namespace."""
    namespace: dict = {"__name__": f"markdown:{path.name}"}
    for first_line, source in python_blocks(path):
        tree = ast.parse(source, filename=str(path))
        for stmt in tree.body:
            code = ast.get_source_segment(source, stmt)
            where = f"{path.name}:{first_line + stmt.lineno - 1}"
            module = ast.Module(body=[stmt], type_ignores=[])
            try:
                exec(compile(module, where, "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"{where}: `{code}` raised {exc!r}") from exc
    return namespace


@pytest.mark.slow
@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_markdown_python_blocks_run(path, plans_folder):
    namespace = run_markdown(path)
    if path.name == "README.md":
        # the reading example read the 27 plan files and joined their metadata
        corpus = namespace["corpus"]
        assert len(corpus) == 27 and corpus.dropped.empty
        docs = corpus.docs.set_index("doc_id")
        assert docs.loc["bri01", "title"].startswith("国务院关于在自由贸易试验区暂时调整")
        assert set(docs["region"].dropna()) >= {"广西", "甘肃", "河南"}
        assert "remove_bylines" in set(corpus.cleaning_report["step"])


def test_readme_has_the_examples():
    blocks = python_blocks(ROOT / "README.md")
    assert len(blocks) >= 2
    assert any("bt.load_bri_policies()" in src for _, src in blocks)
    assert any('read_folder("plans/"' in src for _, src in blocks)
