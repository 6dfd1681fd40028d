"""Build the subset CJK font shipped in bri_text/fonts/ (so plots show Chinese anywhere).

    pip download --no-deps -d /tmp/mplfonts mplfonts==0.0.11
    python scripts/build_font.py /tmp/mplfonts/mplfonts-0.0.11-py3-none-any.whl

Source: Noto Sans CJK SC Regular 1.004 (Adobe / Google, SIL Open Font License 1.1), as
packaged in the `mplfonts` wheel on PyPI (member ``mplfonts/fonts/NotoSansCJKsc-Regular.otf``).
A font file can be given instead of the wheel (``NotoSansCJKsc-Regular.otf``, or Debian's
``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc`` from ``apt-get install
fonts-noto-cjk``, whose SC face is taken; that is version 2.004, with slightly different
glyphs: the shipped file is built from the wheel).

The subset keeps ASCII, CJK punctuation, full-width forms, the 6,763 hanzi of GB 2312, the
Traditional characters in common use (the 5,401 hanzi of Big5 level 1, and the 3,755
level-1 hanzi of GB 2312 as OpenCC's s2t writes them in Traditional: 爲, 衆, 裏, 啓 ...) and
every character of the built-in datasets and lexicons (about 9,800 characters, 5.0 MB
instead of 16 MB): labels taken from file names such as 政府工作報告（繁體） show as characters.
As a Modified Version under the OFL it is renamed "BriText Sans SC".
"""
from __future__ import annotations

import sys
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bri_text" / "fonts" / "BriTextSansSC-Regular.otf"
MEMBER = "mplfonts/fonts/NotoSansCJKsc-Regular.otf"
FAMILY, PS_NAME = "BriText Sans SC", "BriTextSansSC-Regular"


def _big5_chars(first: int, last: int) -> str:
    """The characters of Big5 codes ``first``..``last``, in order (0xA440-0xC67E: the
    5,401 frequent hanzi of level 1).

    >>> len(_big5_chars(0xA440, 0xC67E)), _big5_chars(0xA440, 0xA441)
    (5401, '一乙')
    """
    chars = []
    for code in range(first, last + 1):
        hi, lo = divmod(code, 256)
        if 0x40 <= lo <= 0x7E or 0xA1 <= lo <= 0xFE:
            try:
                chars.append(bytes([hi, lo]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


def charset() -> set[str]:
    import opencc

    from bri_text.io._files import _gb2312_chars

    gb = _gb2312_chars()
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(gb)
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
    chars |= set("—–―…·“”‘’•")
    # Traditional in common use: Big5 level 1, and the 3,755 frequent Simplified hanzi
    # (GB 2312 level 1) as OpenCC writes them in Traditional (爲, 衆, 裏, 啓 are not Big5's)
    chars |= set(_big5_chars(0xA440, 0xC67E))
    chars |= set(opencc.OpenCC("s2t").convert(_gb2312_chars(0xB0, 0xD7)))
    for path in [*sorted((ROOT / "bri_text" / "data").glob("*.jsonl")),
                 *sorted((ROOT / "bri_text" / "lexicons").glob("*.*"))]:
        chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable()}


def _source(path: str):
    """The Noto Sans CJK SC Regular font of the mplfonts wheel, an .otf or a .ttc."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.endswith(".whl"):
        return TTFont(BytesIO(zipfile.ZipFile(path).read(MEMBER)))
    if path.lower().endswith((".ttc", ".otc")):
        for font in TTCollection(path).fonts:
            if font["name"].getDebugName(6) == "NotoSansCJKsc-Regular":
                return font
        raise SystemExit(f"{path}: no NotoSansCJKsc-Regular face")
    return TTFont(path)


def main(source: str) -> None:
    from fontTools import subset

    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    font = _source(source)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in charset()])
    sub.subset(font)
    version = font["name"].getDebugName(5).split(";")[0].replace("Version ", "")
    names = {1: FAMILY, 16: FAMILY, 4: f"{FAMILY} Regular", 6: PS_NAME,
             3: f"{version};BriText;{PS_NAME}"}
    for rec in font["name"].names:
        if rec.nameID in names:
            rec.string = names[rec.nameID]
    cff = font["CFF "].cff                       # the PostScript names inside the outlines
    cff.fontNames = [PS_NAME]
    top = cff.topDictIndex[0]
    top.FullName, top.FamilyName = f"{FAMILY} Regular", FAMILY
    font.save(str(OUT))
    print(f"wrote {OUT}: {len(font.getBestCmap()):,} characters, "
          f"{OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
