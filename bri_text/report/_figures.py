"""Saving figures as PNG and SVG, and an SVG string safe to inline in one HTML page."""
from __future__ import annotations

import io
import re
from pathlib import Path

from .._util import font_face_css  # noqa: F401  (in _util so reuse's pages embed it too)

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
        # the layout engine placed the axes for the PNG: the SVG keeps that layout instead
        # of running it again (a third of the time of saving both)
        if fig.get_layout_engine() is not None:
            fig.set_layout_engine("none")
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

