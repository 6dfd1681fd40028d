"""What ``python -m bri_text report`` says in its summary on a folder of documents, session
45 (report45): the folder's README is left out as no document (not "skipped (--errors
skip)", which was not given)."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from bri_text.report import skip_note  # noqa: E402

FOLDER = Path(__file__).parent / "data" / "diffusion_digital_gov"


def test_a_folders_readme_is_left_out_not_skipped():
    """tail45 leaves README* out of a folder ("not a document: README"); the report's
    note on it said "skipped (--errors skip)" though --errors was raise."""
    reason = (f"{FOLDER / 'README.md'}: not a document: README (the folder's notes; rename "
              "the file to read it as a document)")
    assert skip_note(reason) == "left out: not a document"
    assert skip_note("cannot decode: neither UTF-8, GB18030 nor Big5") == \
        "skipped (--errors skip)"
