"""The per-text cleaning steps: each a pure function ``str -> str`` usable alone.

The pipeline that composes them, and reports what each removed, is in ``_pipeline``;
page chrome of web pages is in ``_chrome``.

>>> normalize_width("２０１５ 年 3 月，ＡＳＥＡＮ")
'2015年3月，ASEAN'
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Sequence

from .._dates import _CN_DATE, _parse_date
from ..errors import ParameterError

# --------------------------------------------------------------------------- character classes
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_SPACE = r"[ \t\u00a0\u2002-\u200a\u202f\u205f\u3000]"
# sentence-final or clause-final punctuation: a line ending with one of these may end a paragraph
_TERMINAL = "。！？!?；;：:…"
_CLOSERS = "”’」』）)》】"

# headings that open a new paragraph (also used by Corpus.reshape("section"))
HEADING_RE = re.compile(
    r"^\s*(?:"
    r"第[一二三四五六七八九十百零〇\d]+[章节条部分篇]"  # 第一章 第三条
    r"|[一二三四五六七八九十]+[、．.]"  # 一、
    r"|[（(][一二三四五六七八九十]+[）)]"  # （一）
    r"|\d{1,2}[、．.](?!\d)"  # 1. 1、
    r"|[（(]\d{1,2}[）)]"  # （1）
    r"|[①-⑳]"
    r")"
)


# --------------------------------------------------------------------------- newlines
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def normalize_newlines(text: str) -> str:
    """Every line break (CRLF, CR, form feed of PDF page breaks, Unicode separators) to ``\\n``.

    >>> normalize_newlines("甲\\r\\n乙\\x0c丙")
    '甲\\n乙\\n丙'
    """
    return _LINE_BREAKS.sub("\n", text)


# --------------------------------------------------------------------------- HTML
_HTML_TAG_RE = re.compile(
    r"<\s*/?\s*(?:p|div|br|span|a|table|tr|td|li|ul|html|body|head|style|script|h[1-6]|img|strong|em)"
    r"\b[^>]*>",
    re.I,
)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article header footer blockquote "
    "pre dd dt dl hr title".split()
)
_DROP_TAGS = ("script", "style", "noscript", "iframe", "svg", "template", "head", "form")


#: where a table's cell starts (replaced by a line break, or nothing after a label's cell)
_CELL = "\x1f"
_LABEL_CELL = re.compile(r"(?<=[:：])\s*\x1f")


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains HTML markup (at least two tags of common elements).

    >>> looks_like_html("<p>共建一带一路</p><p>合作共赢</p>"), looks_like_html("共建<一带一路>")
    (True, False)
    """
    return len(_HTML_TAG_RE.findall(text[:200_000])) >= 2


def strip_html(text: str) -> str:
    """HTML to plain text with a real parser (selectolax): scripts, styles, comments, entities.

    Block elements (p, div, br, li, tr...) become line breaks; inline elements (a, span) do
    not, so ``借助<a>金融街</a>论坛`` stays one phrase. A table's cells go on lines of their
    own, except that a cell ending with a label's colon keeps the next cell, its value, on
    its line (``<td>发文机关：</td><td>国务院</td><td>成文日期：</td>…`` gives ``发文机关：国务院``
    / ``成文日期：…``). Text that is not HTML is returned unchanged.

    >>> strip_html("<p>共建&ldquo;一带一路&rdquo;</p><style>p&#123;color:red&#125;</style>")
    '\\n共建“一带一路”'
    """
    if not looks_like_html(text):
        return text
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(text)
    tree.strip_tags(list(_DROP_TAGS))
    root = tree.body or tree.root
    if root is None:
        return ""
    parts: list[str] = []
    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "-text":
            parts.append(node.text_content or "")
        elif tag in _BLOCK_TAGS:
            parts.append("\n")
        elif tag in ("td", "th"):
            parts.append(_CELL)
    # a table's cells on lines of their own, a label's cell with its value's (发文机关：|X)
    out = _LABEL_CELL.sub("", "".join(parts)).replace(_CELL, "\n")
    # entities that survive inside text (double-escaped sources), e.g. &#123;
    if "&" in out:
        import html

        out = html.unescape(out)
    return out


# --------------------------------------------------------------------------- script conversion
@lru_cache(maxsize=2)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def looks_traditional(text: str, threshold: float = 0.02) -> bool:
    """True when more than ``threshold`` of the CJK characters change under OpenCC t2s.

    >>> looks_traditional("推進絲綢之路經濟帶和二十一世紀海上絲綢之路建設的願景與行動")
    True
    >>> looks_traditional("推进丝绸之路经济带和二十一世纪海上丝绸之路建设的愿景与行动")
    False
    """
    import numpy as np

    head = np.frombuffer(text[:50_000].encode("utf-32-le"), dtype=np.uint32)
    cjk = head[((head >= 0x3400) & (head <= 0x4DBF)) | ((head >= 0x4E00) & (head <= 0x9FFF))
               | ((head >= 0xF900) & (head <= 0xFAFF))]
    if len(cjk) < 20:
        return False
    sample = cjk.tobytes().decode("utf-32-le")
    converted = _opencc("t2s").convert(sample)
    if len(converted) == len(sample):
        changed = int((np.frombuffer(converted.encode("utf-32-le"), dtype=np.uint32)
                       != cjk).sum())
    else:
        changed = sum(a != b for a, b in zip(sample, converted))
    return changed / len(sample) > threshold


def to_simplified(text: str, *, force: bool = False) -> str:
    """Traditional to Simplified Chinese with OpenCC (``t2s``).

    By default only text detected as Traditional (:func:`looks_traditional`) is converted,
    so Simplified text is never altered; ``force=True`` converts unconditionally.

    >>> to_simplified("絲路產經網報道：各地推動共建「一帶一路」高質量發展")
    '丝路产经网报道：各地推动共建「一带一路」高质量发展'
    """
    if not force and not looks_traditional(text):
        return text
    return _opencc("t2s").convert(text)


# --------------------------------------------------------------------------- PDF artefacts
_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-–—])?\s*$|^\s*\d{1,4}\s*/\s*\d{1,4}\s*$"
)
_URL_RE = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def _page_number_lines(lines: Sequence[str]) -> set[int]:
    """Indices of page-number lines: bare numbers that form an increasing sequence.

    Table row numbers are bare numbers too; a page number is told apart by being padded
    with spaces on both sides (as PDF extractors write centred footers), or by sitting
    between blank lines and continuing the sequence of padded page numbers around it.
    """
    numbered = [(i, int(re.search(r"\d+", l).group())) for i, l in enumerate(lines)
                if _PAGE_NUMBER_RE.match(l)]
    pages = [(i, n) for i, n in numbered
             if lines[i].startswith((" ", "\u3000")) and lines[i].endswith(" ")]
    out = {i for i, _ in pages}
    for i, num in numbered:
        if i in out:
            continue
        before = [n for j, n in pages if j < i]
        after = [n for j, n in pages if j > i]
        if before and after and before[-1] < num < after[0] and _isolated(lines, i):
            out.add(i)
    return out


def _isolated(lines: Sequence[str], i: int) -> bool:
    """A line surrounded by blank lines (as page footers are)."""
    prev_blank = i == 0 or not lines[i - 1].strip()
    next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
    return prev_blank and next_blank


def _running_headers(lines: Sequence[str], page_lines: set[int], min_repeats: int = 3) -> set[str]:
    """Short lines that repeat across pages: each occurrence sits next to a page break.

    A page break is a page-number line or a run of three or more blank lines. A line
    counts as a running header when it occurs at least ``min_repeats`` times, has no
    sentence punctuation, and most of its occurrences are within four lines of a break.
    """
    breaks = set(page_lines)
    blank_run = 0
    for i, line in enumerate(lines):
        blank_run = blank_run + 1 if not line.strip() else 0
        if blank_run >= 3:
            breaks.add(i)
    counts = Counter(l.strip() for l in lines if l.strip())
    headers = set()
    for text, n in counts.items():
        if n < min_repeats or len(text) > 40 or re.search(f"[{_TERMINAL}，,]", text):
            continue
        if HEADING_RE.match(text) or _PAGE_NUMBER_RE.match(text):
            continue
        positions = [i for i, l in enumerate(lines) if l.strip() == text]
        near = sum(any(abs(i - b) <= 4 for b in breaks) for i in positions)
        if near >= max(min_repeats, 0.6 * len(positions)):
            headers.add(text)
    return headers


def remove_pdf_artifacts(text: str, *, remove_urls: bool = True) -> str:
    """Remove page-number lines, running headers (detected, not hard-coded) and stray URLs.

    Running headers are lines that repeat next to page breaks (see
    :func:`_running_headers`); page numbers are bare numbers padded as footers or
    continuing the page sequence. Removed lines leave a blank line, so
    :func:`rejoin_lines` can still join a sentence broken by the page break.

    >>> page = "甲。 \\n\\n 7 \\n\\n\\n\\n刊头 \\n\\n乙\\n"
    >>> remove_pdf_artifacts(page * 3).count("刊头"), remove_pdf_artifacts(page * 3).count("7")
    (0, 0)
    """
    return _remove_pdf_artifacts(text, remove_urls=remove_urls)[0]


def _remove_pdf_artifacts(text: str, *, remove_urls: bool = True) -> tuple[str, list[str]]:
    """:func:`remove_pdf_artifacts` and the list of what it removed."""
    lines = text.split("\n")
    pages = _page_number_lines(lines)
    headers = _running_headers(lines, pages)
    check_urls = remove_urls and ("://" in text or "www." in text)
    out, removed = [], []
    for i, line in enumerate(lines):
        if i in pages or (headers and line.strip() and line.strip() in headers):
            removed.append(line.strip())
            out.append("")
            continue
        if check_urls and _URL_RE.search(line):
            removed.extend(_URL_RE.findall(line))
            stripped = _URL_RE.sub("", line)
            # a line that was only a URL disappears; a URL inside prose is cut out
            line = "" if not stripped.strip() else stripped
        out.append(line)
    return "\n".join(out), removed


# --------------------------------------------------------------------------- line re-joining
_METADATA_LINE = re.compile(r"^\s*(发布时间|来源|文件名称|发文字号|索引号|成文日期|发布日期|作者)\s*[:：]")
_SECTION_MARK = re.compile(r"^\s*(政策法规|地方政策)\s*$")


def _trailing_space_convention(lines: Sequence[str]) -> bool:
    """PDF extractors often end a real line with a space and a wrapped line with none.

    Detected when most lines ending a sentence carry a trailing space while a good share
    of all lines do not.
    """
    nonblank = [l for l in lines if l.strip()]
    if len(nonblank) < 10:
        return False
    sentence_ends = [l for l in nonblank if l.rstrip().endswith(("。", "；"))]
    if len(sentence_ends) < 5:
        return False
    with_space = sum(l.endswith((" ", "\u3000")) for l in sentence_ends) / len(sentence_ends)
    without = sum(not l.endswith((" ", "\u3000")) for l in nonblank) / len(nonblank)
    return with_space >= 0.8 and without >= 0.2


def _hard_wrap_width(lines: Sequence[str]) -> int | None:
    """The width of a hard-wrapped text (most common line length), or None if not wrapped."""
    lengths = [len(l.strip()) for l in lines if l.strip()]
    if len(lengths) < 10:
        return None
    width, _ = Counter(lengths).most_common(1)[0]
    near = sum(abs(n - width) <= 2 for n in lengths) / len(lengths)
    return width if near >= 0.4 and width >= 15 else None


def _joiner(a: str, b: str) -> str:
    """What goes between two joined pieces: a space only between Latin letters/digits."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalpha():
        return " "
    return ""


@lru_cache(maxsize=1)
def _domain_terms() -> tuple[frozenset, frozenset, int]:
    """Terms of at least three characters of the built-in lexicon, their proper prefixes
    and the longest length: a break inside one of them is a break inside a word."""
    from .._lexicons import _builtin_lexicon

    terms = frozenset(t for t, _, _ in _builtin_lexicon() if len(t) >= 3)
    prefixes = frozenset(t[:i] for t in terms for i in range(1, len(t)))
    return terms, prefixes, max(map(len, terms))


def _term_spans_break(a: str, b: str) -> bool:
    """True when a domain term is cut by the line break between ``a`` and ``b``
    (``推进丝绸之路经`` / ``济带建设``)."""
    a, b = a.rstrip(" \t\u3000"), b.lstrip(" \t\u3000")
    if not a or not b or a[-1] in _TERMINAL or a[-1] in _CLOSERS:
        return False
    terms, prefixes, longest = _domain_terms()
    head = b[:longest - 1]
    for cut in range(1, min(len(a), longest - 1) + 1):
        left = a[-cut:]
        if left not in prefixes:
            continue
        for k in range(1, min(len(head), longest - cut) + 1):
            if left + head[:k] in terms:
                return True
    return False


#: the kinds of document a title ends with (traditional forms too: the step runs before
#: to_simplified)
_DOC_KIND = re.compile("(?:报告|報告|通知|意见|意見|方案|规划|規劃|纲要|綱要|办法|辦法|决定|決定|"
                       "计划|計劃|公告|通告|条例|條例|规定|規定|批复|批覆|讲话|講話|公报|公報|"
                       "细则|細則|决议|決議|指南)$")
_HAS_CJK = re.compile(f"[{_CJK}]")


def _rejoin_title(lines: list[str]) -> list[str]:
    """``lines`` with a title broken at its start rejoined (``政府工作报`` / ``告``): the
    second line is one to three Chinese characters that complete the kind of document
    (报告, 通知, 规划...) which the first line alone does not end with; else unchanged."""
    first = [i for i, line in enumerate(lines[:12]) if _HAS_CJK.search(line)][:2]
    if len(first) < 2:
        return lines
    a, b = lines[first[0]].strip(), lines[first[1]].strip()
    if (len(a) <= 40 and 1 <= len(b) <= 3 and re.fullmatch(f"[{_CJK}]+", b)
            and not a.endswith(tuple(_TERMINAL + _CLOSERS)) and not _DOC_KIND.search(a)
            and _DOC_KIND.search(a + b)):
        return lines[:first[0]] + [a + b] + lines[first[0] + 1:first[1]] + lines[first[1] + 1:]
    return lines


def rejoin_lines(text: str, *, signal: str = "auto") -> str:
    """Re-join lines broken by the PDF layout inside a sentence or a word.

    Keeps real paragraph and heading boundaries. Three signals decide
    (``signal="auto"`` detects which of the first two applies; ``"trailing_space"`` or
    ``"width"`` forces one):

    1. the trailing-space convention of PDF extractors (see
       :func:`_trailing_space_convention`): a line without a trailing space continues;
    2. otherwise hard wrapping: a line of (about) full width that does not end a sentence
       continues on the next line;
    3. always: a break that cuts a domain term of the built-in lexicon (at least three
       characters, e.g. ``丝绸之路经`` / ``济带``) is inside a word, so the lines join;
    4. always: a title broken before the end of its kind of document (``政府工作报`` /
       ``告``: one to three characters that complete 报告, 通知, 规划...) at the start.

    A line never joins onto a heading (``一、``, ``（二）``, ``第三条``...), a metadata line
    (``发布时间：``) or a section marker, and blank lines between broken pieces are
    skipped. Text with none of the signals is returned unchanged.

    >>> rejoin_lines("推进丝绸之路经\\n\\n济带建设。 \\n\\n二、重点任务 ", signal="trailing_space")
    '推进丝绸之路经济带建设。 \\n\\n二、重点任务 '
    >>> rejoin_lines("推进丝绸之路经\\n济带建设，2015年发布。\\n正文。")
    '推进丝绸之路经济带建设，2015年发布。\\n正文。'
    >>> rejoin_lines("政府工作报\\n告\\n各位代表：")
    '政府工作报告\\n各位代表：'
    """
    lines = _rejoin_title(text.split("\n"))
    if signal not in {"auto", "trailing_space", "width"}:
        raise ParameterError(f"signal must be 'auto', 'trailing_space' or 'width', got {signal!r}")
    convention = signal == "trailing_space" or (signal == "auto" and
                                                _trailing_space_convention(lines))
    width = None if convention else _hard_wrap_width(lines)

    def continues(line: str) -> bool:
        s = line.rstrip()
        if _METADATA_LINE.match(line) or _SECTION_MARK.match(line):
            return False
        if convention:
            return not line.endswith((" ", "\u3000", "\t"))
        if width is None:
            return False
        return len(line.strip()) >= width - 2 and not s.endswith(tuple(_TERMINAL + _CLOSERS))

    def starts_block(line: str) -> bool:
        return bool(HEADING_RE.match(line) or _METADATA_LINE.match(line)
                    or _SECTION_MARK.match(line))

    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    next_nonblank = dict(zip(nonblank, nonblank[1:]))
    out: list[str] = []
    pending: str | None = None  # a line waiting for its continuation
    for i, line in enumerate(lines):
        if not line.strip():
            if pending is None:
                out.append(line)
            continue
        if pending is not None:
            if starts_block(line):
                out.append(pending)
            else:
                a = pending.rstrip(" \t\u3000")
                b = line.lstrip(" \t\u3000")
                line = a + _joiner(a, b) + b
            pending = None
        j = next_nonblank.get(i)
        if continues(line) or (
                j is not None and not starts_block(lines[j])
                and not _METADATA_LINE.match(line) and not _SECTION_MARK.match(line)
                and _term_spans_break(line, lines[j])):
            pending = line
        else:
            out.append(line)
    if pending is not None:
        out.append(pending)
    return "\n".join(out)


# --------------------------------------------------------------------------- width and spaces
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ALNUM.update({0xFF0E: ord("."), 0xFF05: ord("%"), 0xFF0B: ord("+")})
_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e\uff05\uff0b]")
_SPACE_RE = re.compile(_SPACE)
_CJK_DIGIT_SPACE = re.compile(f"(?<=[{_CJK}\\d]){_SPACE}+(?=[{_CJK}\\d])")


def normalize_width(text: str) -> str:
    """Full-width ASCII letters and digits to half-width; drop spaces between CJK and digits.

    Chinese punctuation (，。：；“”（）《》) is kept as it is. Spaces are removed only
    where a CJK character meets a digit (``2015 年 3 月`` → ``2015年3月``); spaces between
    Chinese words (``财政部 税务总局``) and between numbers (``2025-10-10 07:50``) are kept.

    >>> normalize_width("２０１７年 １２月 25 日，第 10 项")
    '2017年12月25日，第10项'
    """
    if _FULLWIDTH_RE.search(text):
        text = text.translate(_FULLWIDTH_ALNUM)
    if not _SPACE_RE.search(text):
        return text

    def repl(m: re.Match) -> str:
        a = text[m.start() - 1]
        b = text[m.end()]
        a_cjk, b_cjk = bool(_CJK_RE.match(a)), bool(_CJK_RE.match(b))
        return "" if (a_cjk and b.isdigit()) or (a.isdigit() and b_cjk) else m.group()

    return _CJK_DIGIT_SPACE.sub(repl, text)


_HAS_WORD = re.compile(r"\w")


_BULLET = re.compile(r"^[•●○◆◇■□▪▫►▶·‧∙・]+\s*")
_BULLETS = frozenset("•●○◆◇■□▪▫►▶·‧∙・")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# runs to collapse: two or more spaces, or any other space character (a lone " " stays)
_SPACES = re.compile(f" {_SPACE}+|[\t\u00a0\u2002-\u200a\u202f\u205f\u3000]{_SPACE}*")


def normalize_whitespace(text: str) -> str:
    """One paragraph per line: strip each line and its leading list bullet (``•``, ``●``,
    ``■``...), collapse runs of spaces, drop blank lines and lines without any letter, digit
    or ideograph.

    Also applies Unicode NFC (so composed and decomposed forms compare equal) and removes
    zero-width characters and the BOM.

    >>> normalize_whitespace("  第一段。 \\n\\n\\n\\u3000\\u3000第二段  内容 \\n• 第三段")
    '第一段。\\n第二段 内容\\n第三段'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    lines = (l.strip() for l in text.split("\n"))
    lines = (_BULLET.sub("", l).strip() if l and l[0] in _BULLETS else l for l in lines)
    # drop blank lines and lines of symbols only (a stray "?" or "•" left by a template)
    return "\n".join(l for l in lines if _HAS_WORD.search(l))


# --------------------------------------------------------------------------- bylines
# Traditional forms too: the step runs before to_simplified
_BYLINE_LABEL = (r"(?:来源|來源|稿源|出处|出處|转自|轉自|转载自|轉載自|作者|记者|記者|通讯员|通訊員|"
                 r"责任编辑|責任編輯|责编|責編|编辑|編輯|时间|時間)")
#: a labelled field line: 来源:学习时报 作者:陈思远 2025-10-10 07:50 / 丝路产经网 时间:2026-01-20
#: a date, with its time, alone (gov.cn's ``2003-03-05 09:00`` above ``来源： 新华社``)
_DATE_TIME = (r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
              r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_LINE = re.compile(f"^{_DATE_TIME}$")
_LABELLED_LINE = re.compile(f"^(?:{_DATE_TIME}\\s*)?[^，,。；;！？!?：:]{{0,20}}?{_BYLINE_LABEL}"
                            "\\s*[:：]")
#: a reporter byline: 丝路日报记者 周宁 / 本报记者 王某 通讯员 李某 / （记者 林晓）
_REPORTER_ROLE = r"[\u4e00-\u9fff]{0,12}?(?:特约|見習|见习)?(?:记者|記者|通讯员|通訊員)"
_REPORTER_LINE = re.compile(
    f"^[（(【\\[]?\\s*{_REPORTER_ROLE}(?:\\s+[\\u4e00-\\u9fff·]{{2,5}})+"
    f"(?:\\s+{_REPORTER_ROLE}(?:\\s+[\\u4e00-\\u9fff·]{{2,5}})+)*\\s*[）)】\\]]?$")
#: a masthead: 理论传媒集团主管 / 学习时报网络版主办 (first or last lines only)
_MASTHEAD_LINE = re.compile(r"^[^，,。；;！？!?]{2,30}?(?:主管|主办|主辦)(?:\s+\S{2,20}?(?:主管|主办|主辦))?$")
_BYLINE_MAX_LEN = 60
_SENTENCE_MARK = re.compile("[。！？；]")
_BYLINE_HEAD, _BYLINE_TAIL = 8, 5  # bylines sit under the title or after the article
_BYLINE_HEAD_MAX = 20  # ... or above the first sentence of a page with a long menu
_MASTHEAD_EDGE = 3


def _is_byline(line: str, index: int, n_lines: int, head: int = _BYLINE_HEAD) -> bool:
    """``line`` (the ``index``-th of ``n_lines`` non-blank lines) is a byline or masthead."""
    s = line.strip()
    if not s or len(s) > _BYLINE_MAX_LEN or HEADING_RE.match(s) or _SENTENCE_MARK.search(s):
        return False  # a line with a sentence in it is never a byline
    at_edge = index < _MASTHEAD_EDGE or index >= n_lines - _MASTHEAD_EDGE
    if at_edge and _MASTHEAD_LINE.match(s):
        return True
    if index >= head and index < n_lines - _BYLINE_TAIL:
        return False
    return bool(_LABELLED_LINE.match(s) or _REPORTER_LINE.match(s))


#: a labelled line: ``label：value`` (a label of 2-8 characters, maybe numbered: ``一、会议时间：``)
_LABEL = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|"
                    r"\d{1,2}\s*[、.．])?\s*([\u4e00-\u9fff]{2,8})\s*[:：]")
#: the labels of an event's particulars: a meeting notice's 会议时间 / 地点 / 参会人员 / 议程
_EVENT_LABEL = re.compile(r"(?:会议|活动|培训|论坛|讲座|座谈|参会|参加|出席|列席|与会|报到|报名)"
                          r"[\u4e00-\u9fff]{0,6}|[\u4e00-\u9fff]{0,6}(?:地点|议程|主持人|主讲人)")


def _event_line(lines: Sequence[str], i: int) -> bool:
    """``lines[i]`` is one of the labelled lines of an event's particulars (``时间：2023年5月6日
    上午9:00`` / ``地点：市政府第一会议室`` / ``参会人员：…``): a run of ``label：value``
    lines without a full stop, one of whose labels names a place, the people taking part, a
    meeting or an agenda. Such lines are the text of a notice, not a page's fields.

    >>> lines = ["关于召开推进会的通知", "时间：2023年5月6日上午9:00", "地点：市政府第一会议室", "现通知如下。"]
    >>> [_event_line(lines, i) for i in range(4)]
    [False, True, True, False]
    """
    def labelled(j: int) -> bool:
        return bool(_LABEL.match(lines[j])) and not _SENTENCE_MARK.search(lines[j])

    if not labelled(i):
        return False
    for step in (-1, 1):
        j = i
        while 0 <= j < len(lines) and labelled(j):
            if _EVENT_LABEL.fullmatch(_LABEL.match(lines[j]).group(1)):
                return True
            j += step
    return False


def _head_flags(lines: Sequence[str], tail: bool = True, rows: bool = False) -> tuple:
    """(bylines, field table) of the non-blank ``lines``: which are bylines or mastheads
    (see :func:`_byline_flags`), and the positions of a table of labelled fields above the
    text (:func:`_field_rows`) and of a title repeated under itself above the first
    sentence (a page's heading over the document's own title line; bylines and the table
    between the two are passed over). ``tail=False`` looks at the head only (the bylines
    of the last lines are then not flagged): all that the field table needs.
    ``rows=True`` adds the field rows alone (:func:`_field_rows`) as a third item."""
    n = len(lines)
    first = next((i for i, line in enumerate(lines[:_BYLINE_HEAD_MAX])
                  if _SENTENCE_MARK.search(line)), _BYLINE_HEAD_MAX)
    head = max(_BYLINE_HEAD, first)
    upto = n if tail else min(head + 1, n)  # the line under the head: a date's neighbour
    flags = [_is_byline(line, i, n, head) and not _event_line(lines, i)
             for i, line in enumerate(lines[:upto])]
    flags += [False] * (n - upto)
    for i in range(min(head, n)):
        if not flags[i] and _DATE_LINE.match(lines[i].strip()) and any(
                0 <= j < n and flags[j] and _LABELLED_LINE.match(lines[j].strip())
                for j in (i - 1, i + 1)):
            flags[i] = True
    field_rows = set(_field_rows(lines))
    table = set(field_rows)
    last = None  # a title repeated under itself (a page's <h1> over the document's title line)
    for i in range(min(head, n)):
        if flags[i] or i in table:
            continue
        if last is not None and "".join(lines[i].split()) == last:
            table.add(i)
        last = "".join(lines[i].split())
    return (flags, table, field_rows) if rows else (flags, table)


@lru_cache(maxsize=8)
def _text_head(text: str) -> tuple[list[int], list[bool], set[int], set[int]]:
    """(positions of the non-blank lines of ``text``; of those lines, the byline flags and
    the field table and repeated title of :func:`_head_flags`, and the field rows of
    :func:`_field_rows`), computed once per text: ``remove_field_table``,
    ``remove_bylines`` and ``remove_document_apparatus`` ask it of the same text when the
    step before removed nothing (most texts), and the folder reader of the text the
    pipeline had before them. The callers must not change what it returns."""
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    kept = [lines[i] for i in nonblank]
    flags, table, rows = _head_flags(kept, rows=True)
    return nonblank, flags, table, rows


def _byline_flags(lines: Sequence[str]) -> list[bool]:
    """Which of the non-blank ``lines`` are not the document's text at its edges: bylines
    and mastheads among the first eight (or, on a page with a long menu, all above its
    first sentence, at most 20) and the last five, a date alone next to a labelled byline
    above the text (``2003-03-05 09:00`` / ``来源： 新华社``), and the lines of a field table
    and a repeated title (:func:`remove_field_table`)."""
    flags, table = _head_flags(lines)
    return [f or i in table for i, f in enumerate(flags)]


#: a line of a table of a document's labelled fields (a 信息公开 table: 索引号：… / 发文字号：… /
#: 成文日期：…): a short label, its colon and a value that holds no sentence; several on a
#: line too (发文机关：X　成文日期：Y)
_FIELD_ROW = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*[:：]\s*[^。！？；!?;:：\s][^。！？；!?;]{0,98}$")
_MIN_FIELD_ROWS = 3
#: the labels that are a field of the document on a line of their own, outside a table
#: too (one or two such lines above the first sentence): the date it was signed, the date
#: it was posted, its number; with a value that is a full date / a number, and nothing else
_OWN_FIELD = re.compile(r"^(成文日期|发布日期|发文字号)\s*[:：]\s*(\S.{0,40})$")
#: a document number's value: 某政发〔2021〕3号, 国办发[2020]28号
_NUMBER_VALUE = re.compile(r"^\S{1,20}[〔\[［﹝【(（]\s*\d{4}\s*[〕\]］﹞】)）]\s*第?\s*\d{1,5}\s*号$")


def _own_field(line: str) -> bool:
    """A line that is only ``成文日期：`` / ``发布日期：`` and a full date, or ``发文字号：`` and
    a document number."""
    m = _OWN_FIELD.match(line.strip())
    if m is None:
        return False
    value = m.group(2).strip()
    if m.group(1) == "发文字号":
        return bool(_NUMBER_VALUE.match(value))
    return _parse_date(value) is not None


def _field_rows(lines: Sequence[str]) -> list[int]:
    """Positions of the lines of a table of labelled fields above a text: a run of at least
    three ``label：value`` lines (label 2-8 characters, no sentence in the value) among the
    first lines above the first sentence (at most 20); of a shorter run, the lines that
    are only ``成文日期：`` or ``发布日期：`` and a date, or ``发文字号：`` and a number (these
    labels say what the line is; ``联系人：`` / ``电话：`` lines do not). A run that gives
    an event's particulars (``时间：`` / ``地点：`` / ``参会人员：``: :func:`_event_line`) is
    none.

    >>> _field_rows(["索引号：000014349/2020-00123", "发文机关：国务院办公厅", "成文日期：2020年08月05日",
    ...              "标题", "各省：", "现提出以下意见。"])
    [0, 1, 2]
    >>> _field_rows(["成文日期：2021年3月5日", "标题", "联系人：张三", "现提出以下意见。"])
    [0]
    """
    head = next((i for i, line in enumerate(lines[:_BYLINE_HEAD_MAX])
                 if _SENTENCE_MARK.search(line)), min(len(lines), _BYLINE_HEAD_MAX))
    rows, run = [], []
    for i in range(head + 1):
        if i < head and _FIELD_ROW.match(lines[i].strip()):
            run.append(i)
            continue
        if run and _event_line(lines, run[0]):
            pass        # a meeting's 时间： / 地点： / 参会人员：: the notice's text
        elif len(run) >= _MIN_FIELD_ROWS:
            rows += run
        else:
            rows += [j for j in run if _own_field(lines[j])]
        run = []
    return rows


def byline_lines(text: str) -> list[str]:
    """The lines :func:`remove_bylines` removes (stripped), in order.

    >>> byline_lines("学习时报网络版主办\\n标题\\n来源:学习时报 作者:陈思远 2025-10-10\\n正文。\\n丝路日报记者 周宁")
    ['学习时报网络版主办', '来源:学习时报 作者:陈思远 2025-10-10', '丝路日报记者 周宁']
    """
    lines = [l for l in text.split("\n") if l.strip()]
    return [l.strip() for l, byline in zip(lines, _head_flags(lines)[0]) if byline]


def remove_bylines(text: str) -> str:
    """Remove source / author / reporter / editor lines and mastheads of press articles.

    Conservative and line-level: only short lines (at most 60 characters, not a numbered
    heading) among the first eight or last five non-blank lines are candidates, and body
    sentences are never touched:

    - labelled fields, with at most a short prefix before the label and no sentence
      punctuation before it: ``来源:``, ``转自:``, ``作者:``, ``记者:``, ``责任编辑:``,
      ``编辑:``, ``时间:`` (e.g. ``来源:学习时报 作者:陈思远2025-10-10 07:50``,
      ``丝路产经网 时间:2026-01-20``), but not a meeting's ``时间：`` next to its ``地点：``
      or ``参会人员：`` (the notice's text);
    - reporter bylines made only of names: ``丝路日报记者 周宁``, ``（记者 林晓）``;
    - mastheads ``... 主管`` / ``... 主办`` among the first or last three lines;
    - photo credits anywhere in the text, a whole line (``本报记者 张三 摄``,
      ``（新华社记者 李四 摄）``) or the credit ending a caption (``图为…。记者 王五 摄``:
      the caption stays). A photographer is not the author: not kept as metadata.

    Traditional forms (``轉自:``, ``記者``) are recognised too. :func:`bri_text.io.read_files`
    keeps what these lines say (source, author, date) as metadata when a file has no front
    matter; :func:`byline_lines` lists them. A government page's table of labelled fields
    and a repeated title are :func:`remove_field_table`'s (the step before this one).

    >>> remove_bylines("理论传媒集团主管\\n标题\\n来源:学习时报 作者:陈思远\\n正文。\\n转自:环球经贸报")
    '标题\\n正文。'
    """
    return _remove_bylines(text)[0]


#: a photographer's credit: 本报记者 张三 摄 / （新华社记者 李四 摄） / 王五 赵六 摄 /
#: 摄影：张三. A role (记者, 通讯员, 摄影) or a space before 摄 is required: 拍摄 is a word.
_NAMES = r"[\u4e00-\u9fff·]{2,5}(?:\s*[、，,\s]\s*[\u4e00-\u9fff·]{2,5})*"
_CREDIT_ROLE = r"[\u4e00-\u9fff]{0,12}?(?:摄影记者|特约记者|见习记者|记者|通讯员|摄影师?)"
_CREDIT = (r"[（(【\[]?\s*(?:" + _CREDIT_ROLE + r"\s*[:：]?\s*" + _NAMES + r"\s*摄?"
           r"|" + _NAMES + r"\s+摄|摄影\s*[:：]\s*" + _NAMES + r")\s*[）)】\]]?")
_CREDIT_LINE = re.compile(r"^\s*(?:" + _CREDIT + r")\s*$")
#: ... at the end of a caption, after its sentence: 图为…。记者 王五 摄
_CREDIT_TAIL = re.compile(r"(?<=[。！？!?])\s*(?:" + _CREDIT + r")\s*$")


def _is_credit_line(line: str) -> bool:
    """A whole line that is a photo credit (it names a photographer: ends with 摄 or
    starts with 摄影)."""
    s = line.strip()
    return bool(_CREDIT_LINE.match(s)) and (s.rstrip("）)】] ").endswith("摄")
                                            or "摄影" in s)


def remove_field_table(text: str) -> str:
    """Remove a table of the document's labelled fields above the text, and a title
    repeated under itself above the first sentence.

    The table: a run of three or more ``label：value`` lines (a label of 2-8 characters,
    no sentence in the value) among the lines above the first sentence (at most 20), as a
    government page's 信息公开 table gives them (``索引号：…``, ``主题分类：…``, ``发文机关：…``,
    ``成文日期：…``, ``标题：…``, ``发文字号：…``, ``发布日期：…``); two such lines, or lines under
    the first sentence (``联系人：…`` / ``电话：…``), are no table, but a line that is only
    ``成文日期：`` or ``发布日期：`` and a full date, or ``发文字号：`` and a document number,
    goes alone too (with one other such line: fields of the document, whatever the
    page's layout). A meeting notice's ``时间：`` / ``地点：`` / ``参会人员：`` lines are its
    text, no table (see :func:`_event_line`). The repeated title: a line
    above the first sentence that repeats the line above it, bylines and the table between
    them aside (a page's heading over the document's own title line): kept once.
    :func:`bri_text.io.read_files` reads ``doc_number``, ``date``, ``author``, ``title`` and
    ``date_posted`` from the table first; ``corpus.removed`` lists the lines under this
    step.

    >>> remove_field_table("索引号：000014349/2020-00123\\n发文机关：国务院办公厅\\n"
    ...                    "成文日期：2020年08月05日\\n关于某事的意见\\n关于某事的意见\\n现提出以下意见。")
    '关于某事的意见\\n现提出以下意见。'
    """
    return _remove_field_table(text)[0]


def _remove_field_table(text: str) -> tuple[str, list[str]]:
    """:func:`remove_field_table` and the list of lines it removed."""
    if "\n" not in text:
        return text, []
    nonblank, _, table, _ = _text_head(text)  # its bylines: the next step's, same text
    if not table:
        return text, []
    lines = text.split("\n")
    drop = {nonblank[k] for k in table}
    return ("\n".join(l for i, l in enumerate(lines) if i not in drop),
            [lines[i].strip() for i in sorted(drop)])


def _remove_bylines(text: str) -> tuple[str, list[str]]:
    """:func:`remove_bylines` and the list of lines (and credit spans) it removed."""
    lines = text.split("\n")
    nonblank, flags, _, _ = _text_head(text)  # found by remove_field_table already
    drop = {i for i, byline in zip(nonblank, flags) if byline}
    # photo credits anywhere (photos sit in the body): the whole line, or the credit
    # ending a caption line
    spans: dict[int, str] = {}
    if "摄" in text:
        for i in nonblank:
            if i in drop:
                continue
            if _is_credit_line(lines[i]):
                drop.add(i)
            else:
                m = _CREDIT_TAIL.search(lines[i])
                if m and m.group().strip().rstrip("）)】] ").endswith("摄"):
                    spans[i] = m.group().strip()
                    lines[i] = lines[i][:m.start()]
    if not drop and not spans:
        return text, []
    removed = [lines[i].strip() if i in drop else spans[i] for i in sorted(drop | set(spans))]
    return "\n".join(l for i, l in enumerate(lines) if i not in drop), removed


# --------------------------------------------------------------------------- title block
#: the posts a speech or report is given under (国务院总理, 中华人民共和国主席, 国务院副总理,
#: 外交部部长, 某市市长...): a post ends the office, with at most 24 characters before it
_OFFICE = (r"[\u4e00-\u9fff、]{0,24}?(?:总理|主席|总书记|书记|委员长|国务委员|秘书长|部长|省长|"
           r"市长|区长|县长|州长|主任|院长|行长|署长|局长|厅长|大使|会长|理事长|董事长|总经理|总裁)")
#: a name: two to four characters, a two-character name often set with a space inside
#: (李　强), or a name of two parts joined by · (雪克来提·扎克尔)
_PERSON = r"(?:[\u4e00-\u9fff](?: ?[\u4e00-\u9fff]){1,3}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff·]{1,12})"
_SPEAKER_LINE = re.compile(f"^({_OFFICE})\\s*({_PERSON})$")
_OFFICE_LINE = re.compile(f"^{_OFFICE}$")
_PERSON_LINE = re.compile(f"^{_PERSON}$")
#: common Chinese surnames (a name must start with one, so that 讲话 in 习近平总书记 讲话 is
#: no name): the two-character ones first
_COMPOUND_SURNAMES = ("欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 "
                      "轩辕 南宫 西门 百里 呼延 万俟 澹台 钟离 闻人").split()
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠"
    "荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹"
    "井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫"
    "杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利揭干但尉冶斯元束檀衣信展阴昝智幸奉植"
    "衡富尧习洪郦黄")
#: a full date (2017年3月5日, 2017-3-5; in Chinese numerals, 一九五七年六月二十六日): a line
#: holding one in a title block is its dateline
_FULL_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|" + _CN_DATE)
#: a salutation opening a speech: 各位代表： / 同志们： / 女士们，先生们：
_SALUTATION = re.compile(r"^[^。；;？?]{2,24}[：:！!]$")
_DASHES = "—―─━–-－"


def _person(text: str) -> str | None:
    """``text`` as a person's name (spaces out), if it reads as one: 李　强 → 李强; None for
    a word that starts with no common surname (讲话, 前言)."""
    if not _PERSON_LINE.match(text):
        return None
    name = text.replace(" ", "")
    if "·" in name or name[:2] in _COMPOUND_SURNAMES or name[0] in _SURNAMES:
        return name
    return None


def _title_block_line(line: str) -> bool:
    """A line that may sit between a title and its speaker: a dateline (a full date, no
    sentence), a subtitle after dashes (——在…上的讲话) or a bracketed note."""
    if _SENTENCE_MARK.search(line) or line.endswith(("：", ":")):
        return False
    return bool(_FULL_DATE.search(line) or line.startswith(tuple(_DASHES))
                or (line.startswith(("（", "(")) and line.endswith(("）", ")"))))


def _title_block_speaker(lines: Sequence[str]) -> tuple[str, str | None, list[int]] | None:
    """(name, office or None, positions) of the speaker a title block names: ``lines`` are
    a text's (stripped) lines after its title, blank ones allowed. The speaker is one line,
    an office and a name (``国务院总理　李克强``, ``国务院总理 李克强``, ``中华人民共和国主席习近平``),
    or the office on a line and the name on the next (``国务院总理`` / ``李 强``); a name alone
    (``周恩来``) only under a dateline and right above the salutation (``各位代表：``). Only
    datelines, subtitles after dashes and bracketed notes may come between the title and the
    speaker; a name must start with a common surname. None when the block names no speaker.

    >>> _title_block_speaker(["——2017年3月5日在第十二届全国人民代表大会第五次会议上", "国务院总理",
    ...                       "李克强", "各位代表："])
    ('李克强', '国务院总理', [1, 2])
    >>> _title_block_speaker(["做强内陆港口枢纽功能", "某市国际港务区管委会主任 赵建国"]) is None
    True
    """
    idx = [i for i, line in enumerate(lines) if line][:6]
    for n, i in enumerate(idx):
        line = lines[i]
        nxt = lines[idx[n + 1]] if n + 1 < len(idx) else ""
        m = _SPEAKER_LINE.match(line)
        if m and _person(m.group(2)):
            return _person(m.group(2)), m.group(1), [i]
        if _OFFICE_LINE.match(line) and _person(nxt):
            return _person(nxt), line, [i, idx[n + 1]]
        if (n and _person(line) and _FULL_DATE.search(lines[idx[n - 1]])
                and _SALUTATION.match(nxt)):
            return _person(line), None, [i]
        if not _title_block_line(line):
            return None
    return None
