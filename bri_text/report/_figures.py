"""Saving figures as PNG and SVG, and an SVG string safe to inline in one HTML page."""
from __future__ import annotations

import io
import re
from pathlib import Path

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)


def save_figure(fig, folder: Path, name: str, index: int) -> str:
    """Write ``name.png`` and ``name.svg`` into ``folder``; return the SVG for inlining:
    no XML prolog, no comments (matplotlib copies label texts into comments), ids prefixed
    per figure so that several SVGs can share one page. SVGs are deterministic (fixed
    hash salt, no date)."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context({"svg.hashsalt": "bri_text", "svg.fonttype": "path"}):
        fig.savefig(folder / f"{name}.png", dpi=150, metadata={"Software": None},
                    bbox_inches="tight")   # long row labels stay inside the image
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None},
                    bbox_inches="tight")
    svg = buf.getvalue()
    (folder / f"{name}.svg").write_text(svg, encoding="utf-8", newline="\n")
    plt.close(fig)
    inline = _COMMENT.sub("", _PROLOG.sub("", svg, count=1))
    p = f"f{index}-"
    inline = re.sub(r'\bid="', f'id="{p}', inline)
    inline = re.sub(r'(xlink:href|href)="#', rf'\1="#{p}', inline)
    inline = inline.replace("url(#", f"url(#{p}")
    return inline.strip()


#: Characters the embedded font draws (CJK and full-width forms); Latin text keeps the
#: reader's own fonts, also in monospace blocks.
_CJK_RANGE = ("U+2E80-2FFF, U+3000-33FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, "
              "U+FE30-FE4F, U+FF00-FFEF")


def font_face_css(text: str, family: str = "BriText Sans SC") -> str:
    """An ``@font-face`` rule embedding the bundled font, cut down to the characters of
    ``text`` (base64, so the page renders Chinese offline without any installed CJK font)."""
    import base64
    from importlib import resources

    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = "".join(sorted({c for c in text if not c.isspace()}))
    opts = subset.Options()
    opts.layout_features = []
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    path = resources.files("bri_text") / "fonts" / "BriTextSansSC-Regular.otf"
    with resources.as_file(path) as fp, TTFont(str(fp)) as font:
        sub = subset.Subsetter(opts)
        sub.populate(text=chars)
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{family}"; '
            f'src: url(data:font/otf;base64,{data}) format("opentype"); '
            f'font-weight: 400; font-style: normal; font-display: block; '
            f'unicode-range: {_CJK_RANGE}; }}')
