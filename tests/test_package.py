"""Package-level promises: a fast, lazy import and a complete public API."""
from __future__ import annotations

import subprocess
import sys

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
