"""Paragraph and sentence boundaries as character offsets (private).

Both :meth:`Corpus.reshape` and :meth:`Tokens.reshape` use these, so a paragraph is the
same span of text whichever object is split.

>>> paragraph_bounds("第一段。\\n\\n第二段。")
[(0, 4), (6, 10)]
>>> sentence_bounds("一带一路。共建共享！好")
[(0, 5), (5, 10), (10, 11)]
"""
from __future__ import annotations

import re

_PARAGRAPH_BREAK = re.compile(r"\n")
# a sentence ends after 。！？!? or ；; (policy texts use ； to separate items), optionally
# followed by closing quotes/brackets
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)》]*")


def _strip_bounds(text: str, start: int, end: int):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of ``text`` (cleaned text has one paragraph per line)."""
    out, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        b = _strip_bounds(text, pos, m.start())
        if b:
            out.append(b)
        pos = m.end()
    b = _strip_bounds(text, pos, len(text))
    if b:
        out.append(b)
    return out


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; sentences never cross paragraph boundaries."""
    out = []
    for p_start, p_end in paragraph_bounds(text):
        pos = p_start
        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            b = _strip_bounds(text, pos, m.end())
            if b:
                out.append(b)
            pos = m.end()
        b = _strip_bounds(text, pos, p_end)
        if b:
            out.append(b)
    return out
