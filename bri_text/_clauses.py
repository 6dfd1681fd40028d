"""The numbering hierarchy of Chinese policy documents: plan sections and numbered clauses
(private; ``Corpus.reshape("section")`` and ``Corpus.reshape("clause")`` use it).

Numbering markers, from the usual outermost to the innermost: chapters 第X章 (also 第X部分,
第X篇) and sections 第X节, articles 第X条, 一、, （一）, 1. (1． 1、), （1） (1) 1）, and the ordinals
第一， / 第一、 / 一是 that enumerate measures inside a paragraph. Headings without a number
(前言, 总则, 结语 ...) and plans' 一大构想 / 六大窗口 headings are headings too.

**Clauses** (:func:`clause_spans`): one unit per numbered provision. A clause starts

1. at each marker that begins a paragraph (a line);
2. inside a paragraph, at each marker that begins a sentence (it follows 。；：！？ or a
   space) or that directly follows a short heading of an outer kind without punctuation in
   the same line (``三、工作安排1.制定…``, one-line documents; not ``第十三条 …多证合一、一照一码``). Inside a paragraph a marker counts only
   when it is the first of its kind (一, （一）, 1, 第一, 一是) or the number after the previous
   one of its kind, so a lone 三是 or the ``8.`` of ``8.xx%`` is not a clause; a marker inside
   a sentence (依照第十条, 第（一）项) never is;
3. at each paragraph without a marker (fallback, ``clause_kind`` ``"paragraph"``, depth 0),
   except the further paragraphs (款) of an article (第X条), which belong to the article; a
   paragraph of its own that has no marker and is longer than :data:`SENTENCE_SPLIT` (300)
   characters is split into sentences (``"sentence"``, at 。！？；… as in
   ``reshape("sentence")``); text before the first marker of a line is one ``"paragraph"``;
4. a table of contents (:func:`bri_text._units.contents_run`) is one unit (``"contents"``),
   outside the heading tree.

A heading line with no text of its own (``（二）设施联通``, ``第一章 总则``, ``(三)战略定位。``:
no 。！？； after the number but a final 。 or ：) followed by deeper clauses or by unnumbered paragraphs is a unit of its own
with ``is_heading=True``: papers code the provisions under it, not the title; its text is in
the ``heading_path`` of every clause under it. A short numbered line followed by its
sibling (a list item) is a clause, not a heading, and so is the last item of such a list
when an unnumbered paragraph follows it (``二是……培训1万人次。`` above
``本措施自印发之日起施行。``).

A lead-in with sub-items is a heading too: ``2.引导银行业金融机构加大信贷投放，开展融资
租赁业务。`` above ``（1）……（2）……`` has no sentence end before its final 。, so it titles
the items under it and the shares count the items, not it. Papers differ: where your
convention counts such a lead-in as a measure of its own, mark it a provision before
counting, e.g. the headings whose text holds a comma (a title rarely does)::

    lead_in = coded["is_heading"] & coded["text"].str.contains("，")
    coded["is_heading"] &= ~lead_in

Levels (``clause_depth``, 1 = outermost) go by first appearance of each kind among the
markers that begin a line (as in plan sections), then kinds met only inside lines, then the
ordinals, innermost; a marker inside a line (and every ordinal) closes with its paragraph.
Units keep every character but the whitespace between them: joined, they give the text back.

>>> text = "一、总体要求\\n（一）加强合作。推进对接。\\n二、保障措施\\n第一，加强领导。第二，强化考核。"
>>> [(text[s:e], i["clause"], i["clause_depth"], i["is_heading"])
...  for s, e, i in clause_spans(text)]  # doctest: +NORMALIZE_WHITESPACE
[('一、总体要求', '一、', 1, True), ('（一）加强合作。推进对接。', '（一）', 2, False),
 ('二、保障措施', '二、', 1, True), ('第一，加强领导。', '第一', 3, False),
 ('第二，强化考核。', '第二', 3, False)]
>>> clause_spans("第一，加强领导。第二，强化考核。")[1][2]["heading_path"]
'第二，强化考核'
"""
from __future__ import annotations

import re

from . import _units
from ._dates import _CN_QUANTITY, _cn_value

__all__ = ["clause_spans", "section_spans", "SENTENCE_SPLIT"]

#: a paragraph without numbering longer than this (characters) is split into sentences
SENTENCE_SPLIT = 300

# ---------------------------------------------------------------------- heading lines
# heading kinds, from outermost to innermost; a heading line is short or ends at 。
_HEADING_KINDS = [
    ("named", re.compile(r"^(?:前\s*言|序\s*言|引\s*言|结\s*语|结\s*束\s*语|总\s*则|附\s*则)$")),
    ("chapter", re.compile(r"^第[一二三四五六七八九十百零〇\d]+[章部分篇](?:\s|$|[、：:])")),
    ("section", re.compile(r"^第[一二三四五六七八九十百零〇\d]+节")),
    ("cn_number", re.compile(r"^[一二三四五六七八九十]+、")),
    # plans structured as "一大构想 / 六大窗口 / 八大节点城市" (a short heading paragraph)
    ("cn_count", re.compile(r"^[一二三四五六七八九十]+大[\u4e00-\u9fff]{2,8}$")),
    ("cn_paren", re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    ("article", re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")),
    ("arabic", re.compile(r"^\d{1,2}[.．、](?!\d)")),
    ("arabic_paren", re.compile(r"^(?:[（(]\d{1,2}|\d{1,2}(?=[）)][^\d%％]))[）)]")),
]


def _heading_kind(line: str) -> str | None:
    for kind, pattern in _HEADING_KINDS:
        if pattern.match(line):
            return kind
    return None


def _heading_text(line: str) -> str:
    """The heading itself: a heading paragraph often runs on into its first sentence
    (``（二）设施联通。加快建设...``); keep up to the first 。 or ：, at most 40 characters."""
    m = re.match(r"^(.{1,40}?)[。：:；]", line)
    head = m.group(1) if m else line
    return head[:40].strip()


def _contents(lines: list[str], kinds: list) -> tuple[int, int] | None:
    """(first, end) paragraph indices of the table of contents, or None."""
    return _units.contents_run([_heading_text(l) if k else None for l, k in zip(lines, kinds)],
                               lines)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def section_spans(text: str) -> list[tuple[int, int, dict]]:
    """Split a cleaned plan into sections at its numbered headings (``reshape("section")``).

    Heading levels are assigned in order of first appearance of each heading kind
    (the usual 一、 > （一） > 1. > （1） nesting, whatever kinds a plan uses), and the
    heading path is the chain of open headings. A table of contents (see
    :func:`bri_text._units.contents_run`) is one section with heading ``目录``, not a
    section per listed heading.

    >>> [i["heading_path"] for _, _, i in section_spans("一、任务\\n（一）联通\\n建设。")]
    ['一、任务', '一、任务 > （一）联通']
    """
    paras = _units.paragraph_bounds(text)
    lines = [text[s:e] for s, e in paras]
    toc = _contents(lines, [_heading_kind(line) for line in lines])
    level_of: dict[str, int] = {}
    stack: list[tuple[int, str]] = []  # (level, heading)
    out: list[tuple[int, int, dict]] = []
    cur_start, cur_info = None, {"heading": "", "heading_level": 0, "heading_path": ""}
    for i, (s, e) in enumerate(paras):
        line = text[s:e]
        kind = _heading_kind(line)
        if toc and toc[0] <= i < toc[1]:
            if i > toc[0]:
                continue
            kind = "contents"
        if kind is None:
            if cur_start is None:
                cur_start = s
            continue
        if cur_start is not None:  # the previous section, without its trailing whitespace
            out.append((cur_start, _trim_end(text, cur_start, s), cur_info))
        if kind == "contents":  # the contents list: a section outside the heading tree
            stack, cur_start = [], s
            cur_info = {"heading": "目录", "heading_level": 0, "heading_path": "目录"}
            continue
        level = _level(kind, level_of)
        while stack and stack[-1][0] >= level:
            stack.pop()
        head = _heading_text(line)
        stack.append((level, head))
        cur_start = s
        cur_info = {"heading": head, "heading_level": level,
                    "heading_path": " > ".join(h for _, h in stack)}
    if cur_start is not None:
        out.append((cur_start, _trim_end(text, cur_start, len(text)), cur_info))
    return out


def _level(kind: str, level_of: dict) -> int:
    """A heading kind's level: 前言 / 结语 stand at the top whatever else the plan uses;
    other kinds in order of first appearance."""
    if kind == "named":
        return 1
    if kind not in level_of:
        level_of[kind] = len(level_of) + 1
    return level_of[kind]


# ---------------------------------------------------------------------- clause markers
_N = "〇零一二三四五六七八九十百"
_MARKER = re.compile(
    rf"(?P<chapter>第[{_N}\d]+(?:章|部分|篇))"
    rf"|(?P<section>第[{_N}\d]+节)"
    rf"|(?P<article>第[{_N}\d]+条)"
    # 第一， 第一、 第一：(not the list 第一、第二、第三产业 / 第一、二产业) and 一是
    r"|(?P<ordinal>第[一二三四五六七八九十]+(?=[，：,:]|、(?!第?[一二三四五六七八九十]))"
    r"|[一二三四五六七八九十]+是(?!否))"
    r"|(?P<cn_number>[一二三四五六七八九十]+、)"
    r"|(?P<cn_paren>[（(][一二三四五六七八九十]+[）)])"
    r"|(?P<arabic>\d{1,2}[.．、](?!\d))"
    r"|(?P<arabic_paren>(?:[（(]\d{1,2}|\d{1,2}(?=[）)][^\d%％]))[）)])")
_SENTENCE_START = set("。；;：:！？!?")
_HEAD_PUNCT = re.compile(r"[，,。；;：:！？!?、“”《》（）()]")
_NO_TEXT = re.compile(r"[。！？!?；;]")
# what is not wording: titles in 《》, dates, figures, punctuation (reuse's MIN_WORDING too)
_NOT_WORDING = re.compile(r"《[^》]*》|[0-9０-９〇零一二三四五六七八九十两]+\s*[年月日号]"
                          r"|[0-9０-９.．%％‰]+|[^\w]|_")
#: an unnumbered unit with fewer letters than this, or without a sentence and at most
#: FRAGMENT_WORDING characters of wording, is a fragment (:func:`_is_fragment`)
FRAGMENT_LETTERS = 6
FRAGMENT_WORDING = 20


def _is_fragment(text: str) -> bool:
    """True for a line that is no provision: a table's cell or row (an agency, a date, a
    number, a cited title), a salutation, a run-in label: no wording left once titles in
    《》, dates, figures and punctuation are set aside, fewer than :data:`FRAGMENT_LETTERS`
    letters, or no sentence (。；！？) and at most :data:`FRAGMENT_WORDING` characters of
    wording. Meant for unnumbered units: a numbered list item is a provision however short.

    >>> [_is_fragment(t) for t in ("2017年12月25日", "《企业境外投资管理办法》", "各位代表！",
    ...                            "发改委、商务部、人民银行、外交部", "要认真贯彻《建筑法》。")]
    [True, True, True, True, False]
    """
    wording = len(_NOT_WORDING.sub("", text))
    letters = len(re.sub(r"[^\w]|_", "", text))
    return (wording == 0 or letters < FRAGMENT_LETTERS
            or (wording <= FRAGMENT_WORDING and _NO_TEXT.search(text) is None))


# the usual nesting: a marker right after a heading in the same line must be a deeper kind
_ORDER = {k: i for i, k in enumerate(("chapter", "section", "cn_number", "cn_paren", "article",
                                      "arabic", "arabic_paren", "ordinal"))}


def _number(label: str) -> int | None:
    """The number a marker's label writes: 十二 -> 12, 一百零三 -> 103, (4) -> 4."""
    digits = re.sub(r"\D", "", label)
    if digits:
        return int(digits)
    return _cn_value("".join(ch for ch in label if ch in _CN_QUANTITY)) or None


def _line_mark(line: str) -> tuple[str, str] | None:
    """(kind, label) of the marker that begins a paragraph, or None."""
    kind = _heading_kind(line)
    m = _MARKER.match(line)
    if kind is None:
        return ("ordinal", m.group("ordinal")) if m and m.group("ordinal") else None
    if kind in ("named", "cn_count"):
        return kind, ""
    return kind, (m.group(kind) if m and m.group(kind) else "")


def _inline_ok(text: str, m: re.Match, kind: str, marks: list, last: dict) -> bool:
    """Whether a marker found inside a paragraph starts a clause: it begins a sentence or
    follows a short heading without punctuation, and continues its kind's numbering."""
    pos = m.start()
    prev = text[pos - 1]
    if prev == "第" or (prev.isascii() and prev.isalnum()):
        return False
    after_heading = bool(marks) and _ORDER.get(marks[-1][1], -1) < _ORDER[kind] and \
        marks[-1][1] != "ordinal" and pos - marks[-1][3] <= 30 and \
        not _HEAD_PUNCT.search(text, marks[-1][3], pos)
    if not (prev in _SENTENCE_START or prev.isspace() or after_heading):
        return False
    n = _number(m.group(kind))
    return n == 1 or (n is not None and last.get(kind) == n - 1)


def _paragraph_marks(text: str, s: int, e: int, last: dict) -> list:
    """The markers of one paragraph: (start, kind, label, label end), the line's own first."""
    last.pop("ordinal", None)  # ordinals count within their paragraph
    marks = []
    first = _line_mark(text[s:e])
    if first:
        kind, label = first
        marks.append((s, kind, label, s + len(label)))
        last[kind] = _number(label) if label else None
    for m in _MARKER.finditer(text, s + 1, e):
        kind = m.lastgroup
        if _inline_ok(text, m, kind, marks, last):
            marks.append((m.start(), kind, m.group(kind), m.end()))
            last[kind] = _number(m.group(kind))
    return marks


# ---------------------------------------------------------------------- clause units
def _pieces(text: str) -> list[dict]:
    """The text cut at every clause marker, paragraph and table of contents, before the
    fallback and the levels: dicts with start, end, kind (None: no marker), label, para
    (paragraph index), inline (the marker is inside its line), whole (the piece is its
    paragraph) and alone (its paragraph has no marker)."""
    paras = _units.paragraph_bounds(text)
    lines = [text[s:e] for s, e in paras]
    toc = _contents(lines, [_heading_kind(line) for line in lines])
    last: dict = {}
    out: list[dict] = []
    for i, (s, e) in enumerate(paras):
        if toc and toc[0] <= i < toc[1]:
            if i == toc[0]:
                out.append(dict(start=s, end=paras[toc[1] - 1][1], kind="contents", label="",
                                para=i, inline=False, whole=True, alone=True))
            continue
        marks = _paragraph_marks(text, s, e, last)
        cuts = [m[0] for m in marks]
        if not cuts or cuts[0] > s:
            marks.insert(0, (s, None, "", s))
            cuts.insert(0, s)
        for k, (pos, kind, label, _) in enumerate(marks):
            end = cuts[k + 1] if k + 1 < len(cuts) else e
            out.append(dict(start=pos, end=_trim_end(text, pos, end), kind=kind, label=label,
                            para=i, inline=pos > s, whole=len(marks) == 1,
                            alone=kind is None and len(marks) == 1))
    return out


def _levels(pieces: list[dict]) -> dict:
    """Level of each marker kind: kinds that begin a line in order of first appearance (as
    plan sections), then kinds met only inside lines, then ordinals, innermost."""
    level_of: dict[str, int] = {}
    skip = (None, "contents", "named", "ordinal")
    for p in pieces:
        if not p["inline"] and p["kind"] not in skip:
            _level(p["kind"], level_of)
    for p in pieces:
        if p["kind"] not in skip:
            _level(p["kind"], level_of)
    level_of["ordinal"] = len(level_of) + 1
    level_of["named"] = 1
    return level_of


def _fallback(text: str, p: dict) -> list[tuple[int, int, str]]:
    """A piece without a marker: one paragraph, or its sentences when it is a paragraph of
    its own longer than SENTENCE_SPLIT characters."""
    s, e = p["start"], p["end"]
    if p["alone"] and e - s > SENTENCE_SPLIT:
        return [(s + a, s + b, "sentence") for a, b in _units.sentence_bounds(text[s:e])]
    return [(s, e, "paragraph")]


def _units_of(text: str, pieces: list[dict]) -> list[list]:
    """[start, end, info] per clause: the heading stack walked over the pieces."""
    level_of = _levels(pieces)
    stack: list[tuple[int, str, bool]] = []  # (level, heading, closes with its paragraph)
    out: list[list] = []
    para, in_article = -1, False
    for p in pieces:
        if p["para"] != para:  # markers inside a line and ordinals close with their paragraph
            para = p["para"]
            stack = [x for x in stack if not x[2]]
        if p["kind"] == "contents":
            stack, in_article = [], False
            out.append([p["start"], p["end"], _info("", "contents", 0, "目录")])
        elif p["kind"] is None:
            if in_article and p["alone"]:  # a further paragraph (款) of the article
                out[-1][1] = p["end"]
                continue
            path = " > ".join(h for _, h, _ in stack)
            out += [[s, e, _info("", k, 0, path)] for s, e, k in _fallback(text, p)]
        else:
            level = level_of[p["kind"]]
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, _heading_text(text[p["start"]:p["end"]]),
                          p["inline"] or p["kind"] == "ordinal"))
            path = " > ".join(h for _, h, _ in stack)
            out.append([p["start"], p["end"], _info(p["label"], p["kind"], level, path)])
        in_article = p["kind"] == "article" or (in_article and p["kind"] is None and p["alone"])
    return out


def _info(label: str, kind: str, depth: int, path: str) -> dict:
    return {"clause": label, "clause_kind": kind, "clause_depth": depth,
            "heading_path": path, "is_heading": False}


def _mark_headings(text: str, units: list[list]) -> None:
    """is_heading: a numbered unit without a sentence of its own (no 。！？； after its
    number but a final 。 or ：) followed by a deeper clause or by an unnumbered paragraph."""
    short = [False] * len(units)   # a numbered unit without a sentence of its own
    for k, (s, e, info) in enumerate(units):
        body = text[s + len(info["clause"]):e].rstrip("。：: ")
        short[k] = info["clause_depth"] > 0 and not _NO_TEXT.search(body)
    for k, (s, e, info) in enumerate(units[:-1]):
        if not short[k]:
            continue
        nxt = units[k + 1][2]
        if nxt["clause_depth"] > info["clause_depth"]:
            info["is_heading"] = True
        elif nxt["clause_depth"] == 0 and nxt["clause_kind"] != "contents":
            # the last item of a list before an unnumbered paragraph (本办法自…起施行) is
            # an item like its siblings, not a title of that paragraph
            info["is_heading"] = not _list_item(units, short, k)


def _list_item(units: list[list], short: list[bool], k: int) -> bool:
    """Whether unit ``k``'s previous sibling (same kind and depth, no shallower unit
    between, the number before ``k``'s) is a short numbered line that is not a heading:
    a list item, as ``k`` is."""
    depth, kind = units[k][2]["clause_depth"], units[k][2]["clause_kind"]
    for j in range(k - 1, -1, -1):
        info = units[j][2]
        if 0 < info["clause_depth"] < depth:
            return False
        if info["clause_depth"] == depth and info["clause_kind"] == kind:
            n, m = _number(units[k][2]["clause"]), _number(info["clause"])
            return short[j] and not info["is_heading"] and n is not None and m == n - 1
    return False


def clause_spans(text: str) -> list[tuple[int, int, dict]]:
    """(start, end, info) of each numbered clause of ``text`` (rules: module docstring).

    ``info``: ``clause`` (the number as written: ``"第三条"``, ``"（二）"``, ``"1."``,
    ``"第一"``; ``""`` for unnumbered units and headings without a number), ``clause_kind``
    (``chapter``, ``section``, ``article``, ``cn_number``, ``cn_paren``, ``arabic``,
    ``arabic_paren``, ``ordinal``, ``named``, ``cn_count``; fallback ``paragraph`` /
    ``sentence``; ``contents``), ``clause_depth`` (1 = outermost numbering level of the
    document, 0 for fallback units and the contents), ``heading_path`` (the enclosing
    headings, the unit's own included, joined by " > " as ``reshape("section")`` writes
    them) and ``is_heading`` (a title only: see the module docstring).

    >>> text = "第一章 总则\\n第一条 为了规范管理，制定本办法。\\n本办法自发布之日起施行。\\n第二条 本办法由商务部解释。"
    >>> [(text[s:e][:6], i["clause"], i["clause_kind"], i["is_heading"])
    ...  for s, e, i in clause_spans(text)]  # doctest: +NORMALIZE_WHITESPACE
    [('第一章 总则', '第一章', 'chapter', True), ('第一条 为了', '第一条', 'article', False),
     ('第二条 本办', '第二条', 'article', False)]
    """
    units = _units_of(text, _pieces(text))
    _mark_headings(text, units)
    return [(s, e, info) for s, e, info in units]
