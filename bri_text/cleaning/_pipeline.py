"""The cleaning pipeline: :func:`clean`, its report, :func:`preview_clean`, and the
corpus-level step :func:`remove_repeated_lines`."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from ..errors import ParameterError
from ._apparatus import _remove_document_apparatus, remove_document_apparatus
from ._chrome import _remove_web_boilerplate, remove_web_boilerplate
from ._steps import (
    _TERMINAL,
    HEADING_RE,
    _remove_bylines,
    _remove_field_table,
    _title_block_speaker,
    _remove_pdf_artifacts,
    normalize_newlines,
    normalize_whitespace,
    normalize_width,
    rejoin_lines,
    remove_bylines,
    remove_field_table,
    remove_pdf_artifacts,
    strip_html,
    to_simplified,
)

STEPS: dict[str, Callable[[str], str]] = {
    "normalize_newlines": normalize_newlines,
    "strip_html": strip_html,
    "remove_web_boilerplate": remove_web_boilerplate,
    "remove_pdf_artifacts": remove_pdf_artifacts,
    "rejoin_lines": rejoin_lines,
    "normalize_width": normalize_width,
    "normalize_whitespace": normalize_whitespace,
    # a page's table of the document's fields and a repeated title; before the bylines
    # (found on the whole page's lines, as the folder reader reads them)
    "remove_field_table": remove_field_table,
    "remove_bylines": remove_bylines,
    # an official document's number, addressees, signature and trailer; after the
    # bylines (the folder reader reads its metadata from the text before them)
    "remove_document_apparatus": remove_document_apparatus,
    # last, so that whether a text is Traditional is decided on the final text (and a
    # second run of the pipeline makes the same decision)
    "to_simplified": to_simplified,
}
DEFAULT_STEPS: tuple[str, ...] = tuple(STEPS)

#: steps that can say what they removed: name -> function returning (text, removed)
_RECORDING: dict[Callable, Callable[[str], tuple[str, list]]] = {
    remove_web_boilerplate: _remove_web_boilerplate,
    remove_pdf_artifacts: _remove_pdf_artifacts,
    remove_field_table: _remove_field_table,
    remove_bylines: _remove_bylines,
    remove_document_apparatus: _remove_document_apparatus,
}
#: the step that removes an official document's apparatus (``keep_apparatus=True`` keeps it)
_APPARATUS = "remove_document_apparatus"
#: the steps that remove the lines a reader reads a document's metadata from (field table,
#: bylines, apparatus), in the order they run: the readers read the text before the first
_METADATA_STEPS = ("remove_field_table", "remove_bylines", _APPARATUS)


def _steps_keeping(steps, keep_apparatus: bool):
    """``steps`` (None: the default ones), without :func:`remove_document_apparatus` when
    ``keep_apparatus``."""
    if not keep_apparatus:
        return steps
    steps = DEFAULT_STEPS if steps is None else [steps] if isinstance(steps, str) else steps
    return [s for s in steps if s != _APPARATUS and s is not remove_document_apparatus]


@dataclass(frozen=True)
class CleaningReport:
    """What each step did to one text.

    ``steps`` is a list of dicts with step, chars_before, chars_after, chars_removed,
    chars_converted, lines_before, lines_after, lines_removed; ``removed`` a list of
    dicts with step and text: the text itself that each step removed (page chrome, page
    numbers, running headers, URLs, bylines; markup removed by ``strip_html`` and
    whitespace are counted, not listed).

    ``chars_converted`` counts characters a step replaced one for one (Traditional →
    Simplified by ``to_simplified``, full-width → half-width); it is measured when the step
    kept the text's length and is ``None`` when the step also removed characters.

    >>> text, report = clean("共建一带一路。\\n来源：新华网 作者：张三\\n合作共赢。", report=True)
    >>> report.removed
    [{'step': 'remove_bylines', 'text': '来源：新华网 作者：张三'}]
    >>> steps = report.to_dataframe().set_index("step")
    >>> int(steps.loc["remove_bylines", "lines_removed"]), text
    (1, '共建一带一路。\\n合作共赢。')
    """

    steps: list
    removed: list = field(default_factory=list)

    def to_dataframe(self):
        import pandas as pd

        df = pd.DataFrame(self.steps)
        if "chars_converted" in df.columns:
            df["chars_converted"] = df["chars_converted"].astype("Int64")
        return df


def _resolve_steps(steps) -> list[tuple[str, Callable[[str], str]]]:
    if steps is None:
        steps = DEFAULT_STEPS
    if isinstance(steps, str):
        steps = [steps]
    out = []
    for s in steps:
        if callable(s):
            out.append((getattr(s, "__name__", repr(s)), s))
        elif s in STEPS:
            out.append((s, STEPS[s]))
        else:
            raise ParameterError(
                f"unknown cleaning step {s!r}; choose from {', '.join(STEPS)} or pass a function"
            )
    return out


def _count_lines(text: str) -> int:
    """Non-blank lines."""
    if not text:
        return 0
    lines = text.split("\n")
    return len(lines) - sum(1 for line in lines if not line or line.isspace())


def _converted(before: str, after: str) -> int:
    """Characters replaced one for one between two texts of the same length."""
    if before == after:
        return 0
    import numpy as np

    a = np.frombuffer(before.encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(after.encode("utf-32-le"), dtype=np.uint32)
    return int((a != b).sum())


def _run(text: str, steps, report: bool, capture: dict | None = None):
    """(cleaned text, per-step records, removed pieces); ``capture={"before": step}``
    receives the text as it was before that step under ``capture["text"]``."""
    records, removed = [], []
    lines = _count_lines(text) if report else 0
    for name, fn in _resolve_steps(steps):
        before = text
        if capture is not None and name == capture["before"]:
            capture["text"] = text
        recording = _RECORDING.get(fn) if report else None
        if recording is not None:
            text, gone = recording(text)
            removed += [{"step": name, "text": g} for g in gone]
        else:
            text = fn(text)
        if report:
            lines_before = lines
            if text is not before and text != before:
                lines = _count_lines(text)
            records.append({
                "step": name,
                "chars_before": len(before),
                "chars_after": len(text),
                "chars_removed": len(before) - len(text),
                "chars_converted": (_converted(before, text)
                                    if len(before) == len(text) else None),
                "lines_before": lines_before,
                "lines_after": lines,
                "lines_removed": lines_before - lines,
            })
    return text, records, removed


def clean(text: str, steps: Iterable | None = None, *, report: bool = False,
          keep_apparatus: bool = False):
    """Clean one text: HTML, page chrome, PDF artefacts, broken lines, widths, bylines, an
    official document's apparatus, Traditional script; never a sentence of content.

    ``steps`` is a sequence of step names (see :data:`STEPS`) or functions ``str -> str``;
    ``None`` runs :data:`DEFAULT_STEPS`. ``keep_apparatus=True`` keeps an official
    document's number, addressee line, signature block and the lines under it, which
    :func:`bri_text.cleaning.remove_document_apparatus` removes by default. With ``report=True`` returns
    ``(text, CleaningReport)``; :func:`preview_clean` lists what would be removed.

    >>> clean("<p>２０１５ 年，推进“一带一路”建设</p>")
    '2015年，推进“一带一路”建设'
    >>> clean("首页 > 要闻\\n下载 打印 【字号：大 中 小】\\n标题\\n来源：云南日报\\n正文，内容。")
    '标题\\n正文，内容。'
    """
    if not isinstance(text, str):
        raise ParameterError(f"clean() expects a str, got {type(text).__name__}")
    out, records, removed = _run(text, _steps_keeping(steps, keep_apparatus), report)
    return (out, CleaningReport(records, removed)) if report else out


def preview_clean(text: str, steps: Iterable | None = None):
    """A dry run of :func:`clean`: what each step would remove from ``text``.

    Returns a DataFrame with one row per removed piece (``step``, ``text``), in the order
    the steps run; ``.attrs["kept"]`` holds the cleaned text. Nothing is changed.

    >>> preview_clean("首页 > 要闻\\n标题\\n来源：云南日报\\n正文，内容。").values.tolist()
    [['remove_web_boilerplate', '首页 > 要闻'], ['remove_bylines', '来源：云南日报']]
    """
    import pandas as pd

    if not isinstance(text, str):
        raise ParameterError(f"preview_clean() expects a str, got {type(text).__name__}")
    out, _, removed = _run(text, steps, True)
    df = pd.DataFrame(removed, columns=["step", "text"])
    df.attrs["kept"] = out
    return df


# ---------------------------------------------------------------------- corpus level
_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _holds_sentence(line: str) -> bool:
    """A line that ends a sentence or holds one of at least 10 CJK characters."""
    if line[-1] in _TERMINAL:
        return True
    return any(len(_CJK_CHAR.findall(s)) >= 10 for s in _SENTENCE.findall(line))


def _min_df_count(min_df, n_texts: int, name: str = "min_df") -> int:
    """The document count a ``min_df`` stands for (an int >= 2, or a share in (0, 1])."""
    from .._util import check_scalar

    if isinstance(min_df, float):
        check_scalar(min_df, name, "real", min_val=0.0, max_val=1.0, include_min=False)
        return max(2, int(-(-min_df * n_texts // 1)))
    return check_scalar(min_df, name, "int", min_val=2)


def repeated_lines(texts: Sequence[str], min_df=3, documents: Sequence | None = None
                   ) -> set[str]:
    """Lines repeated verbatim in at least ``min_df`` of the texts (a count, or a share of
    the texts when a float in (0, 1)): the candidates for templated site chrome that
    :func:`remove_repeated_lines` removes where they sit in a page's chrome.
    ``documents`` (one value per text, e.g. ``parent_id``): texts that are parts of one
    document count once, and a share is of the documents.

    Never a line that is or holds a sentence, ends with ``：`` (``各位代表：``) or is a
    numbered heading (``一、总体要求``): those are content shared by documents.

    >>> sorted(repeated_lines(["标题甲\\n某某网 版权所有\\n正文。", "标题乙\\n某某网 版权所有\\n正文。"], 2))
    ['某某网 版权所有']
    """
    return _candidates(_shared_lines([_stripped(t) for t in texts], min_df, documents))


def _stripped(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


def _shared_lines(texts: list[list[str]], min_df, documents=None) -> dict[str, int]:
    """Every line repeated verbatim in at least ``min_df`` texts (each a list of stripped
    lines), sentences included, with the number of texts that have it; with
    ``documents`` (one per text), of documents: the texts of one document count once."""
    documents = _documents(texts, documents)
    threshold = _min_df_count(min_df, len(set(documents)))
    counts: Counter = Counter()
    for lines, doc in zip(texts, documents):
        counts.update({(line, doc) for line in lines})
    counts = Counter(line for line, _ in counts)
    counts.pop("", None)
    return {line: n for line, n in counts.items() if n >= threshold}


def _documents(texts, documents) -> list:
    """The document of each text: ``documents`` (a missing value: the text is its own
    document), else each text its own."""
    if documents is None:
        return list(range(len(texts)))
    documents = list(documents)
    if len(documents) != len(texts):
        raise ParameterError(f"documents: {len(documents)} values for {len(texts)} texts")
    return [("text", i) if d is None or d != d else ("document", d)
            for i, d in enumerate(documents)]


def _candidates(shared: dict[str, int]) -> set[str]:
    """The shared lines that may be chrome: no sentence, no ``：`` at the end, no heading."""
    return {line for line in shared if not _holds_sentence(line) and not HEADING_RE.match(line)}


def _chrome_positions(stripped: list[str], drop: set[str], template: set[str]) -> dict:
    """``{index: "head" or "tail"}`` of the (stripped) lines of one text that are repeated
    lines (``drop``) in its chrome, above its body or below it; ``template`` adds the lines
    (sentences, headings) in at least half of the texts: see
    :func:`remove_repeated_lines`."""
    if drop.isdisjoint(stripped):
        return {}
    n = len(stripped)

    def templated(i: int) -> bool:
        return not stripped[i] or stripped[i] in drop or stripped[i] in template

    lead = next((i for i in range(n) if not templated(i)), n)  # run reaching the start
    trail = next((i for i in range(n - 1, -1, -1) if not templated(i)), -1)  # the end
    # the body runs from the first to the last line holding a sentence, outside those runs
    # (a sentence of the site's template, 欢迎访问本网站。, is not the body)
    first = next((i for i in range(lead, n) if stripped[i] and _holds_sentence(stripped[i])), n)
    last = next((i for i in range(trail, -1, -1)
                 if stripped[i] and _holds_sentence(stripped[i])), -1)
    head_cells = sum(1 for i in range(lead, first) if not templated(i))
    tail_cells = sum(1 for i in range(last + 1, trail + 1) if not templated(i))
    return {i: "head" if i < lead or (i <= trail and i < first) else "tail"
            for i, s in enumerate(stripped) if s in drop and (
                i < lead or i > trail or (i < first and head_cells < 2)
                or (i > last and tail_cells < 2))}


def _edge_places(lines: list[str], at: dict) -> dict[int, tuple]:
    """``{index: (line, side, distance)}`` of the chrome lines ``at`` of one text
    (:func:`_chrome_positions`): a line of its head by its rank among the text's
    non-blank lines from the start, of its tail from the end. A site's template line
    has one place on every page that has it.

    >>> _edge_places(["菜单", "", "标题", "正文。", "页脚"], {0: "head", 4: "tail"})
    {0: ('菜单', 'head', 0), 4: ('页脚', 'tail', 0)}
    """
    if not at:
        return {}
    rank, n = {}, 0
    for k, line in enumerate(lines):
        if line:
            rank[k] = n
            n += 1
    return {k: (lines[k], side, rank[k] if side == "head" else n - 1 - rank[k])
            for k, side in at.items()}


#: the kinds of document a title ends with: the 文种 of official documents (通知, 意见,
#: 报告...), of rules and plans (条例, 办法, 规划, 方案...), speeches and declarations
_GENRES = ("决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 纪要 的函 条例 规定 "
           "办法 细则 规则 规范 章程 准则 规划 纲要 计划 方案 要点 指南 指引 措施 清单 目录 讲话 "
           "发言 致辞 演讲 贺信 宣言 声明 倡议 公约 协定 协议 备忘录 白皮书").split()
_GENRE_END = re.compile("(?:" + "|".join(sorted(_GENRES, key=len, reverse=True)) + ")$")
#: what may follow the kind: a bracketed note (（摘要）, （试行）, （2021—2025年）) or 全文
_TITLE_NOTE = re.compile(r"(?:[（(][^（）()]{1,20}[）)]|全文)$")
_NAV_SEPARATOR = re.compile(r"[>＞»›|｜]")


@lru_cache(maxsize=4096)  # asked of the same repeated lines on every page
def _title_like(line: str) -> bool:
    """A line that reads as a document's title: it ends with the kind of document
    (``政府工作报告``, ``关于推进中欧班列建设的实施方案（试行）``), after at least two characters
    that are not themselves a kind or a section of a site's menu (``通知公告``, ``规划计划``,
    ``信息公开指南`` are menu labels), and is no navigation line (``首页 > 政策 > 通知``).

    >>> [_title_like(l) for l in ("政府工作报告", "2003年政府工作报告（摘要）", "通知公告",
    ...                            "某某市商务局", "首页 > 政务公开 > 工作报告")]
    [True, True, False, False, False]
    """
    if len(line) > 60 or _NAV_SEPARATOR.search(line):
        return False
    rest = _TITLE_NOTE.sub("", line.strip()).rstrip()
    m = _GENRE_END.search(rest)
    if m is None:
        return False
    before = rest[:m.start()].rstrip()
    return (len(before) >= 2 and not _GENRE_END.search(before)
            and not before.endswith(("公示", "公开")))


def _title_block(lines: list[str], gone: list[int]) -> set[int]:
    """The positions among the repeated lines to remove (``gone``, ascending) that are a
    text's title block: its first line once the chrome above it is gone, when that line is
    :func:`_title_like`, and the speaker lines under it (``国务院总理`` / ``李克强`` under
    ``政府工作报告`` and its dateline: :func:`_title_block_speaker`)."""
    chrome = set(gone)
    start = title = None
    for k, line in enumerate(lines):
        if not line:
            continue
        start = k
        if k in chrome and _title_like(line):
            title = k
        if k not in chrome or title is not None:
            break
    else:
        return set()
    kept = set() if title is None else {title}
    at = bisect_right(gone, start)
    if at < len(gone) and gone[at] <= start + 16:  # a repeated line under the title
        found = _title_block_speaker(lines[start + 1:start + 16])
        kept.update(start + 1 + k for k in (found[2] if found else ()))
    return kept


def remove_repeated_lines(texts: Sequence[str], min_df=3, documents: Sequence | None = None
                          ) -> tuple[list[str], list[list[str]]]:
    """(texts without the :func:`repeated_lines` that sit in their chrome, the lines removed
    from each text).

    ``documents`` (one value per text, e.g. the ``parent_id`` of rows that are sections of
    reports): the counts below are of documents, not texts: a line in three sections of
    one report is in one document, and a share ``min_df`` or "half of the texts" is of the
    documents.

    A repeated line is chrome only in a text's head or tail (the lines before its first
    or after its last line holding a sentence; a sentence in the site's template, such as
    ``欢迎访问本网站。`` in its footer, does not count), and there only when

    - it is in a run of the site's template that reaches the text's start or end (the
      site's menu above the title, its footer below the last line): repeated lines,
      blank lines and lines (a sentence too) found in at least half of the texts, or
    - its head or tail has no table: fewer than two of its lines are outside that
      template (a title alone above the first sentence, a date alone below the last);

    and it goes only when it sits in such chrome at the same place (the same non-blank
    line counted from the text's start, above its body, or from its end, below it) in
    most (more than half) of the texts that have it: a site's template is in the same
    place on every page, while a table cell that happens to end one page (``市商务局``
    just above the footer) is among other cells on the rest, and the cells of a table
    that overlapping slices of one document share (``商务部`` in the document and two of
    its slices, each slice titled ``…（节选4）``) sit at another line in each of them.

    Elsewhere it is content: a table flattened one cell a line, in the body or annexed
    after it, keeps its header and totals (``序号`` / ``项目`` / ``牵头单位`` / ``合计``,
    repeated in every plan but among cells that are not), and a heading such as ``结束语``
    between paragraphs stays. So does a template line the per-document steps did not
    remove inside the body, or in a head with two lines of its own or more (a title and a
    document number above it).

    A text's own title is never chrome, though every document starts with it (each work
    report with ``政府工作报告``): its first line once the chrome above it is gone stays
    when it reads as a title, ending with the kind of document (:func:`_title_like`:
    ``报告``, ``通知``, ``实施方案（试行）``...). A site's name (``某某市商务局``), its menu
    (``通知公告``) and navigation lines above the title still go. Nor is the speaker the
    title block names under the title and its dateline (``国务院总理`` / ``李克强``, the same
    in ten reports): an office and a name, only datelines and subtitles between them and
    the title (:func:`_title_block_speaker`); the same lines above the
    title (a site's header) still go.

    >>> remove_repeated_lines(["甲。\\n网站地图 联系我们 主办单位", "乙。\\n网站地图 联系我们 主办单位"], 2)
    (['甲。', '乙。'], [['网站地图 联系我们 主办单位'], ['网站地图 联系我们 主办单位']])
    >>> pages = ["甲。\\n网站地图", "乙。\\n网站地图", "丙。\\n网站地图"]
    >>> remove_repeated_lines(pages, 3)[1], remove_repeated_lines(pages, 3, documents=["a", "a", "b"])[1]
    ([['网站地图'], ['网站地图'], ['网站地图']], [[], [], []])
    >>> pages = [f"某某市商务局\\n推进第{n}项合作。\\n序号\\n项目\\n1\\n项目{n}\\n合计\\n1项\\n第{n}项完成。"
    ...          for n in "一二三"]
    >>> remove_repeated_lines(pages, 3)[1][0]
    ['某某市商务局']
    >>> reports = [f"某某市人民政府\\n政府工作报告\\n各位代表：\\n{y}年，推进合作。" for y in (2024, 2025, 2026)]
    >>> remove_repeated_lines(reports, 3)[0][0]
    '政府工作报告\\n各位代表：\\n2024年，推进合作。'
    """
    raw = [t.split("\n") for t in texts]
    split = [[line.strip() for line in lines] for lines in raw]
    docs = _documents(texts, documents)
    df = _shared_lines(split, min_df, docs)
    drop = _candidates(df)
    n_docs = len(set(docs))
    template = {line for line, k in df.items() if 2 * k >= n_docs}
    where = [_chrome_positions(lines, drop, template) if drop else {} for lines in split]
    # a site's template sits in the chrome of (nearly) every page that has it, at the same
    # place: the same line of the page's head or tail; a table cell that happens to end
    # one page sits in the body or a table of the others, and the cells of a table that
    # slices of one document share sit at a different line of each slice
    placed = [_edge_places(lines, at) for lines, at in zip(split, where)]
    at_place = Counter(p for p, _ in {(p, d) for places, d in zip(placed, docs)
                                      for p in places.values()})
    out, removed = [], []
    for t, text_lines, lines, places in zip(texts, raw, split, placed):
        gone = [k for k, p in places.items() if 2 * at_place[p] > df[lines[k]]]
        if gone:  # the document's own title and its speaker are no chrome
            kept = _title_block(lines, gone)
            gone = [k for k in gone if k not in kept]
        if not gone:
            out.append(t)
            removed.append([])
            continue
        skip = set(gone)
        out.append("\n".join(line for k, line in enumerate(text_lines) if k not in skip))
        removed.append([lines[k] for k in gone])
    return out, removed
