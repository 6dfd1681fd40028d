"""Package-level promises: a fast, lazy import and a complete public API."""
from __future__ import annotations

import subprocess
import sys

import pytest

import bri_text


def test_import_is_lazy():
    code = ("import sys, bri_text; heavy = [m for m in ('jieba', 'rjieba', 'sklearn', 'gensim', "
            "'tomotopy', 'matplotlib', 'pandas', 'scipy', 'opencc') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_public_name_resolves():
    for name in bri_text.__all__:
        assert getattr(bri_text, name) is not None, name
    assert bri_text.Corpus.__module__ == "bri_text.corpus"
    assert bri_text.__version__ == "0.1.0"


def test_unknown_attribute_is_an_attribute_error():
    import pytest

    with pytest.raises(AttributeError, match="no_such_name"):
        bri_text.no_such_name


@pytest.mark.press_seeds
def test_no_press_article_text_in_package_or_fixtures():
    """The press seeds may be used as test fixtures, not shipped or copied: no stretch of
    20 characters of their text (16 or more of them hanzi) occurs in bri_text/ or in our own
    fixtures in tests/data. Extra check: skipped without ../shared/seeds."""
    import re
    from pathlib import Path

    from conftest import DATA, seed_path

    def stretches(text: str) -> set[str]:
        text = re.sub(r"\s+", "", text)
        return {text[i:i + 20] for i in range(len(text) - 19)
                if len(re.findall(r"[\u4e00-\u9fff]", text[i:i + 20])) >= 16}

    import opencc

    press = set()
    for prefix in ("000", "002", "003", "004"):
        text = seed_path(prefix).read_text(encoding="utf-8")
        press |= stretches(text) | stretches(opencc.OpenCC("t2s").convert(text))
    package = Path(bri_text.__file__).resolve().parent
    files = [p for p in package.rglob("*") if p.suffix in {".py", ".md", ".tsv", ".txt", ".jsonl"}]
    files += sorted(DATA.glob("*.txt"))
    copied = {p.name: sorted(stretches(p.read_text(encoding="utf-8")) & press)[:3]
              for p in files}
    assert {k: v for k, v in copied.items() if v} == {}


def test_clean_is_one_object_however_imported():
    """``bt.clean`` is a plain function and the steps are in ``bri_text.cleaning``, in any
    import order (a name must not mean a function or a module depending on what was
    imported first)."""
    code = ("import bri_text.cleaning, bri_text as bt, types; "
            "print(bt.clean('<p>２０１５ 年</p>'), bt.cleaning.normalize_width('ＡＳＥＡＮ'), "
            "isinstance(bt.clean, types.FunctionType))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["2015年", "ASEAN", "True"]
    assert bri_text.clean("<p>东盟</p>") == "东盟"
    assert bri_text.clean is bri_text.cleaning.clean
