"""Paragraph and sentence boundaries as character offsets (private).

Both :meth:`Corpus.reshape` and :meth:`Tokens.reshape` use these, so a paragraph is the
same span of text whichever object is split.

>>> paragraph_bounds("第一段。\\n\\n第二段。")
[(0, 4), (6, 10)]
>>> sentence_bounds("一带一路。共建共享！好")
[(0, 5), (5, 10), (10, 11)]
>>> contents_run([None, "一、背景", "二、原则", "三、行动", "一、背景", None, "二、原则", "三、行动"],
...              ["标题", "一、背景", "二、原则", "三、行动", "一、背景", "正文。", "二、原则", "三、行动"])
(1, 4)
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


_CONTENTS_TITLE = re.compile(r"^(?:目\s*录|目\s*次)$")


def contents_run(headings: list, lines: list[str]) -> tuple[int, int] | None:
    """(first, end) paragraph indices of a table of contents, or None.

    ``headings[i]`` is paragraph ``i``'s heading text (None for body text), ``lines[i]``
    its text. A table of contents is the first run of at least three consecutive paragraphs
    that are nothing but a heading, and whose headings all come back later in the document,
    in the same order (compared without whitespace); a ``目录`` line just before the run is
    part of it. Plan sections then do not read the contents list as sections of their own.
    """
    def norm(x):
        return re.sub(r"\s+", "", x)

    bare = [h is not None and norm(h) == norm(line) for h, line in zip(headings, lines)]
    i, n = 0, len(lines)
    while i < n:
        if not bare[i]:
            i += 1
            continue
        j = i
        while j < n and bare[j]:
            j += 1
        for k in range(j, i + 2, -1):  # the longest run whose headings all come back
            later = [norm(h) for h in headings[k:] if h is not None]
            pos = 0
            for h in (norm(h) for h in headings[i:k]):
                while pos < len(later) and later[pos] != h:
                    pos += 1
                if pos == len(later):
                    break
                pos += 1
            else:
                first = i - 1 if i > 0 and _CONTENTS_TITLE.match(norm(lines[i - 1])) else i
                return first, k
        i = j
    return None
