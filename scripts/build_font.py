"""Build the subset CJK font shipped in bri_text/fonts/ (so plots show Chinese anywhere).

    pip download --no-deps -d /tmp/mplfonts mplfonts==0.0.11
    python scripts/build_font.py /tmp/mplfonts/mplfonts-0.0.11-py3-none-any.whl

Source: Noto Sans CJK SC Regular (Adobe / Google, SIL Open Font License 1.1), as packaged
in the `mplfonts` wheel on PyPI. The subset keeps ASCII, CJK punctuation, full-width
forms, the 6,763 hanzi of GB 2312 and every character of the built-in datasets and
lexicons (about 7,700 characters, 3.5 MB instead of 16 MB). As a Modified Version under
the OFL it is renamed "BriText Sans SC".
"""
from __future__ import annotations

import sys
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bri_text" / "fonts" / "BriTextSansSC-Regular.otf"
MEMBER = "mplfonts/fonts/NotoSansCJKsc-Regular.otf"


def charset() -> set[str]:
    from bri_text.io._files import _gb2312_chars

    chars = {chr(c) for c in range(0x20, 0x7F)} | set(_gb2312_chars())
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
    chars |= set("—–―…·“”‘’•")
    for path in [*sorted((ROOT / "bri_text" / "data").glob("*.jsonl")),
                 *sorted((ROOT / "bri_text" / "lexicons").glob("*.*"))]:
        chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable()}


def main(wheel: str) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    data = zipfile.ZipFile(wheel).read(MEMBER)
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    font = TTFont(BytesIO(data))
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in charset()])
    sub.subset(font)
    names = {1: "BriText Sans SC", 16: "BriText Sans SC", 4: "BriText Sans SC Regular",
             6: "BriTextSansSC-Regular"}
    for rec in font["name"].names:
        if rec.nameID in names:
            rec.string = names[rec.nameID]
    font.save(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
