"""Reading files: bytes to text with the encoding detected, YAML front matter,
HTML/Word/PDF, metadata written in the text, a folder's files (the tables
:func:`read_documents` returns; :func:`bri_text.io.read_files` makes the Corpus)."""
from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

from .._dates import _CN_DATE, _parse_date, _title_column
from ..cleaning import DOC_NUMBER as _DOC_NUMBER
from ..cleaning import HEAD_LINE as _HEAD_LINE
from ..cleaning import doc_number as _doc_number
from ..cleaning import signature as _signature
from ..errors import (
    EncodingError,
    InputError,
    MetadataError,
    OptionalDependencyError,
    ParameterError,
)

_TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
_CANDIDATE_ENCODINGS = ("gb18030", "big5")


# ---------------------------------------------------------------------- encodings
def _cjk_share(text: str) -> float:
    """Share of characters that are common CJK ideographs, Chinese punctuation or ASCII."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fff"
               or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
               or ch in "“”‘’—…·")
    return good / len(text)


def _gb2312_chars(first_row: int = 0xA1, last_row: int = 0xF7) -> str:
    """The characters of GB 2312 rows ``first_row``..``last_row`` (0xB0-0xD7: the 3,755
    level-1 hanzi; 0xA1-0xF7: the whole set)."""
    chars = []
    for hi in range(first_row, last_row + 1):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset:
    """The 3,755 level-1 hanzi of GB 2312 (the most frequent simplified characters) and
    their traditional forms: text decoded with the right codec is mostly made of these."""
    simplified = _gb2312_chars(0xB0, 0xD7)
    import opencc

    traditional = opencc.OpenCC("s2t").convert(simplified)
    return frozenset(simplified) | frozenset(traditional)


def _commonness(text: str) -> float:
    """Share of the CJK ideographs in ``text`` that are common characters (1.0 if none)."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 1.0
    common = _common_hanzi()
    return sum(ch in common for ch in han) / len(han)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode a file's bytes; returns ``(text, encoding)``.

    Gzip-compressed bytes (``.jsonl.gz``, ``.txt.gz``) are decompressed first and the
    encoding is reported as ``"gzip+…"``. A UTF-16 byte-order mark (LE or BE: Excel's and
    Notepad's "Unicode" text) is read as UTF-16. UTF-8 (BOM stripped) is tried first,
    strictly. Otherwise GB18030 (a superset of GBK
    and GB2312) and Big5 are tried strictly; when both decode, charset-normalizer and the
    share of common Chinese characters decide. Binary data and text no candidate decodes
    cleanly raise :class:`EncodingError` naming ``name``.

    >>> decode_bytes("一带一路".encode("gbk"))
    ('一带一路', 'gb18030')
    """
    if not data:
        raise InputError(f"{name}: file is empty")
    if data.startswith(b"\x1f\x8b"):  # gzip: read what it holds (a .jsonl.gz, a .txt.gz)
        import gzip
        import zlib

        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise EncodingError(f"{name}: gzip-compressed but cannot be decompressed ({e})"
                                ) from None
        text, encoding = decode_bytes(inner, name)
        return text, f"gzip+{encoding}"
    if data.startswith(b"PK\x03\x04"):
        raise EncodingError(f"{name}: a ZIP archive (or an Office file: .xlsx, .docx); "
                            "extract it first, or read a workbook with read_excel")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingError(f"{name}: looks like a binary file (contains NUL bytes); "
                            "convert it to text first")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本 (*.txt)"
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise EncodingError(f"{name}: has a UTF-16 byte-order mark but invalid UTF-16 at "
                                f"byte {e.start}; re-save it as UTF-8") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise EncodingError(f"{name}: has a UTF-8 BOM but invalid UTF-8 at byte {e.start}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = {}
    for enc in _CANDIDATE_ENCODINGS:
        try:
            decoded[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise EncodingError(
            f"{name}: cannot be decoded as UTF-8, GB18030/GBK or Big5; re-save it as UTF-8 "
            "or pass errors='skip'")
    if len(decoded) > 1:
        # both decode: the right codec yields common characters (一带一路 as GBK read as
        # Big5 is 珨湍珨繚); charset-normalizer breaks ties
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=list(_CANDIDATE_ENCODINGS)).best()
        guess = best.encoding if best is not None else None
        scores = {enc: (_cjk_share(t) + _commonness(t), enc == guess)
                  for enc, t in decoded.items()}
        enc = max(scores, key=scores.get)
    else:
        enc = next(iter(decoded))
    text = decoded[enc]
    if _cjk_share(text) < 0.9 or _commonness(text) < 0.5:
        raise EncodingError(
            f"{name}: decodes as {enc} but {1 - _cjk_share(text):.0%} of the characters are "
            "unusual; the encoding is uncertain. Re-save it as UTF-8 or pass errors='skip'")
    return text, enc


# ---------------------------------------------------------------------- front matter
_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


def split_front_matter(text: str, name: str = "<text>") -> tuple[dict, str]:
    """Split YAML front matter (``---`` ... ``---`` at the top) into metadata and body.

    ``date`` becomes an ISO date string and ``year`` an int (``year: 2017``, ``"2017"``,
    ``2017年`` or ``二〇一七年`` all give 2017; a ``year`` that is no year, ``不详``, is
    left empty with a warning naming ``name``); list values are joined with ``;``. Text
    without front matter is returned unchanged with ``{}``.

    >>> split_front_matter("---\\ntitle: 示例\\ndate: Mon, 06 Dec 2021 10:56:51 GMT\\n---\\n正文")
    ({'title': '示例', 'date': '2021-12-06', 'year': 2021}, '正文')
    >>> split_front_matter("---\\nyear: 2017年\\n---\\n正文")
    ({'year': 2017}, '正文')
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    out = {}
    for k, v in meta.items():
        if isinstance(v, (list, tuple)):
            v = ";".join(str(x) for x in v)
        out[str(k)] = v
    if "date" in out and out["date"] is not None:
        iso = _parse_date(out["date"])
        if iso:
            out["date"] = iso
            out["year"] = int(iso[:4])
    if out.get("year") is not None and not isinstance(out["year"], int):
        out["year"] = _front_matter_year(out["year"], name)
    return out, text[m.end():]


def _front_matter_year(value, name: str) -> int | None:
    """A front matter's ``year`` as an int (2017, ``"2017"``, ``2017年``, ``二〇一七年``, a
    date), or None with a warning naming the file when it is no year."""
    from .._dates import _iso_value

    iso = None if isinstance(value, bool) else _iso_value(value)
    if iso:
        return int(iso[:4])
    warnings.warn(f"{name}: front matter 'year: {value}' is no year; its year is left "
                  "empty (write it as 2017 or 2017年)", stacklevel=5)
    return None


def _read_docx(path: Path) -> str:
    try:
        import docx  # python-docx
    except ImportError:
        raise OptionalDependencyError(
            f"{path}: reading .docx needs the 'docx' extra: pip install 'bri_text[docx]'")
    document = docx.Document(str(path))
    numbers = _DocxNumbers(document)
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            lines.append(numbers.label(paragraph) + paragraph.text)
        elif tag == "tbl":   # a table's cells: a line each, as HTML tables are read
            for row in docx.table.Table(child, document).rows:
                seen = []
                for cell in row.cells:          # a merged cell repeats: keep it once
                    if cell._tc not in seen:
                        seen.append(cell._tc)
                        lines += [t for t in cell.text.split("\n") if t.strip()]
    return "\n".join(lines)


def _cn_count(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (Word's chineseCounting)."""
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(n)


class _DocxNumbers:
    """The numbers Word draws before automatically numbered paragraphs (List Number
    styles, numbered lists): they are not in the paragraph's text, so without them
    ``1.`` / ``（一）`` items would lose the numbering that cuts clauses."""

    _FORMATS = {"decimal": str, "decimalFullWidth": str, "chineseCounting": _cn_count,
                "chineseCountingThousand": _cn_count, "ideographTraditional": _cn_count,
                "taiwaneseCounting": _cn_count, "japaneseCounting": _cn_count}

    def __init__(self, document):
        self.levels: dict = {}     # (numId, ilvl) -> (start, numFmt, lvlText)
        self.counts: dict = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            self.styles = {}
            return
        el = part.element
        abstract = {a.get(_w("abstractNumId")): a for a in _find(el, "w:abstractNum")}
        for num in _find(el, "w:num"):
            ref = _find(num, "w:abstractNumId")
            if not ref or ref[0].get(_w("val")) not in abstract:
                continue
            for lvl in _find(abstract[ref[0].get(_w("val"))], "w:lvl"):
                val = {name: (_find(lvl, f"w:{name}") or [None])[0]
                       for name in ("start", "numFmt", "lvlText")}
                self.levels[(num.get(_w("numId")), lvl.get(_w("ilvl")))] = (
                    int(val["start"].get(_w("val"))) if val["start"] is not None else 1,
                    val["numFmt"].get(_w("val")) if val["numFmt"] is not None else "decimal",
                    val["lvlText"].get(_w("val")) if val["lvlText"] is not None else "")
        self.styles = {}
        for style in _find(document.styles.element, "w:style"):
            pr = _find(style, "w:pPr/w:numPr")
            if pr:
                self.styles[style.get(_w("styleId"))] = pr[0]

    def label(self, paragraph) -> str:
        p_pr = paragraph._p.pPr
        pr = _find(p_pr, "w:numPr") if p_pr is not None else []
        if not pr and paragraph._p.style in self.styles:
            pr = [self.styles[paragraph._p.style]]
        if not pr or not self.levels:
            return ""
        num_id = _find(pr[0], "w:numId")
        ilvl = _find(pr[0], "w:ilvl")
        num_id = num_id[0].get(_w("val")) if num_id else None
        level = int(ilvl[0].get(_w("val"))) if ilvl else 0
        if (num_id, str(level)) not in self.levels:
            return ""
        key = (num_id, level)
        start, fmt, text = self.levels[(num_id, str(level))]
        self.counts[key] = self.counts.get(key, start - 1) + 1
        for (other, deeper) in list(self.counts):        # a new item restarts deeper levels
            if other == num_id and deeper > level:
                del self.counts[(other, deeper)]
        if fmt not in self._FORMATS:                     # bullets, letters: no clause number
            return ""
        for k in range(level + 1):
            n = self.counts.get((num_id, k))
            if n is None:
                n = self.levels.get((num_id, str(k)), (1,))[0]
            f = self.levels.get((num_id, str(k)), (1, "decimal", ""))[1]
            text = text.replace(f"%{k + 1}", self._FORMATS.get(f, str)(n))
        return text


def _find(element, path: str) -> list:
    return element.findall(path, {"w": _w("")[1:-1]})


def _w(name: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name


def _read_pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        raise OptionalDependencyError(
            f"{path}: reading .pdf needs the 'pdf' extra: pip install 'bri_text[pdf]'")
    return "\n".join((page.extract_text() or "") for page in PdfReader(str(path)).pages)


#: a site's name after a page's title: ``_中国政府网``, ``-新华网``, ``|广西壮族自治区人民政府``,
#: ``_中华人民共和国中央人民政府``, ``- 人民网``
_SITE = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|-|——)\s*[^_|｜\-–—]{2,24}?"
                   r"(?:网|網|网站|門戶|门户|门户网站|政府|频道|日报|官网|Portal|portal)\s*$")
#: a short section name left before it: ``_国务院文件``, ``_滚动新闻``
_SECTION = re.compile(r"\s*[_|｜]\s*[\u4e00-\u9fff]{2,6}\s*$")


def _page_title(title: str) -> str:
    """A page's ``<title>`` without the site's name (and a section name before it).

    >>> [_page_title(t) for t in ("2003年政府工作报告_中国政府网", "规划全文-中国政府网",
    ...  "国务院关于印发规划的通知_国务院文件_中华人民共和国中央人民政府",
    ...  "实施方案|广西壮族自治区人民政府", "2021-2025年发展规划")]
    ['2003年政府工作报告', '规划全文', '国务院关于印发规划的通知', '实施方案', '2021-2025年发展规划']
    """
    title = " ".join(title.split())
    m = _SITE.search(title)
    if m is None or m.start() < 4:
        return title
    rest = title[:m.start()]
    m = _SECTION.search(rest)
    return rest[:m.start()] if m and m.start() >= 4 else rest


def _file_text(path: Path) -> tuple[str, dict, dict]:
    """(text, metadata of the file itself, front matter) of one file, before any cleaning:
    decoded (or read from ``.docx`` / ``.pdf``), front matter split off, an HTML page's
    ``<title>``. Raises :class:`~bri_text.errors.InputError` (or ``EncodingError`` /
    ``OptionalDependencyError``) naming the file when it does not exist, cannot be read
    or has no text: the one rule of which files are dropped (:func:`read_documents`,
    :func:`unreadable_files`)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    meta: dict = {"file": path.name}
    fm: dict = {}
    if suffix == ".docx":
        text = _read_docx(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    else:
        text, enc = decode_bytes(path.read_bytes(), str(path))
        meta["encoding"] = enc
        fm, text = split_front_matter(text, str(path))
        meta.update(fm)
        if suffix in {".html", ".htm"} and "title" not in meta:
            m = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
            if m and m.group(1).strip():
                import html

                meta["title"] = _page_title(html.unescape(m.group(1)))
    if not text.strip():
        raise InputError(f"{path}: file has no text (empty or whitespace only)")
    return text, meta, fm


def unreadable_files(paths) -> dict:
    """The paths (as given, in order) that :func:`read_documents` would drop as unreadable
    (no such file, cannot be decoded, no text, a ``.docx`` / ``.pdf`` it cannot open),
    each with the reason it would give; the readable ones are not in it. Reads each file
    once, without cleaning; for a caller that must know which files count before reading
    them (the Dask ``read_files`` choosing the date column: dropped files do not count).

    >>> unreadable_files(["/nonexistent/a.txt"])
    {'/nonexistent/a.txt': '/nonexistent/a.txt: no such file'}
    """
    out = {}
    for p in paths:
        try:
            _file_text(Path(p))
        except (InputError, OptionalDependencyError) as exc:
            out[p] = str(exc)
    return out


def _read_one(path: Path, clean: bool = False, keep_apparatus: bool = False
              ) -> tuple[str, dict, tuple | None]:
    """Text and metadata of one file: front matter, else the HTML <title> and what the text
    itself says (see :func:`_text_metadata`), become metadata. With ``clean=True`` the text
    is cleaned once (the pipeline's text before ``remove_field_table``, the first step
    that removes lines the metadata is read from, gives the metadata) and
    the third item is (per-step records, removed pieces); else it is None."""
    suffix = path.suffix.lower()
    text, meta, fm = _file_text(path)
    cleaned = None
    pre = None
    if clean:
        from ..cleaning import to_simplified
        from ..cleaning import METADATA_STEPS, run_steps, steps_keeping

        capture = {"before": METADATA_STEPS[0]}
        out, records, removed = run_steps(text, steps_keeping(None, keep_apparatus), True,
                                          capture)
        # as _text_metadata would clean it: every default step but the METADATA_STEPS
        cleaned, pre = (records, removed), to_simplified(capture.get("text", ""))
    if suffix not in {".docx", ".pdf"} and fm:
        return (out if clean else text), meta, cleaned
    for key, value in _text_metadata(text, pre=pre).items():
        meta.setdefault(key, value)
    return (out if clean else text), meta, cleaned


# ---------------------------------------------------------------------- metadata in the text
_FIELD = re.compile(r"(发布时间|发布日期|更新时间|来源|稿源|出处|转载自|转自|作者|记者|通讯员|"
                    r"责任编辑|责编|编辑|时间|日期)\s*[:：]")
_FIELD_KIND = {"来源": "source", "稿源": "source", "出处": "source", "转载自": "source",
               "转自": "source", "作者": "author", "记者": "author", "通讯员": "author",
               "发布时间": "date", "发布日期": "date", "更新时间": "date", "时间": "date",
               "日期": "date"}
#: a date as written in a line: 2025-10-10 07:50, 2020年8月5日, or in Chinese numerals,
#: 二〇一九年十二月三十一日 (read by :func:`bri_text._dates._parse_date`)
_DATE_TEXT = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
                        r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|" + _CN_DATE)
_REPORTER = re.compile(r"^(.*?)(?:特约|见习)?(?:记者|通讯员)$")


def _labelled_fields(line: str, found: dict) -> bool:
    """Add the source and author labelled on a byline (``来源:… 作者:…``) to ``found``; False if none."""
    parts = _FIELD.split(_DATE_TEXT.sub(" ", line))
    if len(parts) <= 1:
        return False
    prefix = parts[0].strip()
    if prefix and len(prefix) <= 20 and not re.search(r"[主编辑]", prefix):
        found["source"].append(prefix)  # 丝路产经网 时间:...
    for label, value in zip(parts[1::2], parts[2::2]):
        kind, value = _FIELD_KIND.get(label), value.strip(" ()（）")
        if kind in ("source", "author") and value:
            found[kind].append(value.split()[0])
    return True


def _reporter_fields(line: str, found: dict) -> None:
    """Add the outlet and names of a reporter line (``丝路日报记者 周宁``) to ``found``."""
    for token in line.strip("（()）【】[] ").split():
        m = _REPORTER.match(token)
        if m is None:
            found["author"].append(token)
        elif m.group(1) and m.group(1) not in {"本报", "本刊", "本网", "本台"}:
            found["source"].append(m.group(1))


def _byline_fields(bylines: list[str]) -> dict[str, list]:
    """The dates, sources and authors the byline lines say, in order of appearance."""
    from ..cleaning import REPORTER_LINE

    found: dict[str, list] = {"date": [], "source": [], "author": []}
    for line in bylines:
        found["date"] += [d for d in (_parse_date(m.group()) for m in _DATE_TEXT.finditer(line))
                          if d]
        if not _labelled_fields(line, found) and REPORTER_LINE.match(line):
            _reporter_fields(line, found)  # 丝路日报记者 周宁 / 本报记者 王某 通讯员 李某
    return found


#: the labels of a table of a document's fields (信息公开) read as metadata, and what each gives
_TABLE_LABELS = {"发文字号": "doc_number", "文号": "doc_number", "发文号": "doc_number",
                 "成文日期": "signed", "成文时间": "signed", "标题": "title", "名称": "title",
                 "发文机关": "author", "发布机构": "author", "发文单位": "author",
                 "发布日期": "posted", "发布时间": "posted", "来源": "source"}
_TABLE_FIELD = re.compile(r"([\u4e00-\u9fff]{2,8})\s*[:：]\s*(.*?)"
                          r"(?=\s+[\u4e00-\u9fff]{2,8}\s*[:：]|$)")


def _table_fields(rows: list[str]) -> dict[str, str]:
    """What the lines of a table of labelled fields say (see
    :func:`bri_text.cleaning.text_head`): ``doc_number`` (发文字号, 文号), ``signed`` (成文日期,
    ISO), ``title`` (标题), ``author`` (发文机关, 发布机构), ``posted`` (发布日期, ISO),
    ``source`` (来源); the first value of each, other labels (索引号, 主题分类) ignored.

    >>> _table_fields(["发文机关：国务院办公厅　成文日期：二〇二〇年八月五日", "发文字号：国办发〔2020〕28号"])
    {'author': '国务院办公厅', 'signed': '2020-08-05', 'doc_number': '国办发〔2020〕28号'}
    """
    out: dict[str, str] = {}
    for row in rows:
        for m in _TABLE_FIELD.finditer(row.strip()):
            kind, value = _TABLE_LABELS.get(m.group(1)), m.group(2).strip()
            if kind is None or not value or kind in out:
                continue
            if kind in ("signed", "posted"):
                value = _parse_date(value)
            elif kind == "doc_number":
                value = re.sub(r"\s+", "", value) if re.search(r"\d|号", value) else None
            if value:
                out[kind] = value
    return out


def _title_line(body: list[str]) -> str | None:
    """The first body line when it reads as a title: short, no sentence, heading or note."""
    from ..cleaning import HEADING_RE

    first = body[0].strip() if body else ""
    if (first and len(first) <= 60 and not re.search(r"[。！？；!?;：:]", first)
            and not HEADING_RE.match(first) and not first.startswith(("（", "(", "【", "["))
            and not _DOC_NUMBER.match(first)):
        return first
    return None


#: dashes before a speech's or report's dateline (``——``, ``— —``, ``─``, ``--``) and an
#: opening bracket
_DATELINE_LEAD = re.compile(r"^[\s—―─━–\-－]*[（(]?\s*$")
#: where it was delivered, after the date to the end of the line: ``在第十二届全国人民代表大会
#: 第五次会议上``, ``在庆祝改革开放40周年大会上`` (a place, no sentence), then a closing bracket
_DATELINE_VENUE = re.compile(r"^\s*在[^。；！？!?;，,：:“”\n]{2,40}?"
                             r"(?:[会會][议議]?|论坛|論壇|典礼|典禮|仪式|儀式|开幕式|開幕式|闭幕式|閉幕式)"
                             r"上\s*[）)]?\s*$")


#: a speech's date and place in brackets: ``（2017年5月14日，北京）``, ``(2015年3月28日 海南博鳌)``
_DATELINE_PLACE = re.compile(r"^[\s—―─━–\-－]*[（(]\s*(?:" + _DATE_TEXT.pattern
                             + r")\s*[，,、\s]\s*([\u4e00-\u9fff·]{2,10})\s*[）)]$")
#: characters of a sentence, not of a place's name (``北京举行了开幕式``)
_NOT_PLACE = re.compile(r"[了的是在将和与及对向把被为于]")


def _is_dateline(line: str) -> bool:
    """A line that is a date and little else, no sentence (``2026年2月12日``, ``发文
    2016-3-8``), a speech's dateline: its date after dashes, then where it was given
    (``——2017年3月5日在第十二届全国人民代表大会第五次会议上``), or its date and place in
    brackets (``（2017年5月14日，北京）``).

    >>> [_is_dateline(l) for l in ("2026年2月12日", "—— 2017年3月5日在第十二届全国人民代表大会第五次会议上",
    ...  "（2017年5月14日，北京）", "2017年3月5日在第十二届全国人民代表大会第五次会议上，李克强作政府工作报告。")]
    [True, True, True, False]
    """
    place = _DATELINE_PLACE.match(line)
    if place is not None:
        return not _NOT_PLACE.search(place.group(1))
    m = _DATE_TEXT.search(line)
    if m is None or re.search(r"[。；！？!?;，,]", line):
        return False
    if len(_DATE_TEXT.sub("", line).strip()) <= 12:
        return True
    return bool(_DATELINE_LEAD.match(line[:m.start()]) and _DATELINE_VENUE.match(line[m.end():]))


#: what an adoption note says was done on each of its dates: adopted (通过), approved
#: (批准), promulgated or issued (公布, 发布, 印发), amended or revised (修正, 修订); from
#: when it is in force (施行, 生效) is read too, but gives no date
_ADOPTION_ACTS = "通过|批准|公布|发布|印发|修正|修订|施行|生效"
_IN_FORCE = ("施行", "生效")
#: what may come before a clause's date: 根据2017年11月4日… / 自2018年1月1日起施行
_CLAUSE_LEAD = r"(?:根据|经|自|于)?\s*"
#: after a clause's date, up to its act (no sentence; a bracket inside, as in the name
#: 中国（浙江）自由贸易试验区条例, is allowed), then a separator and the next clause's lead
_NOTE_TEXT = r"[^。！？!?；;，,（）()]"
_CLAUSE_REST = re.compile(r"^\s*(?:" + _NOTE_TEXT + r"|[（(]" + _NOTE_TEXT + r"{1,20}[）)])"
                          r"{0,100}?(" + _ADOPTION_ACTS + r")[\s，,；;、]*" + _CLAUSE_LEAD + "$")


def _note_clauses(note: str) -> list[tuple[str, str]] | None:
    """(date, act) of each clause of an adoption note, or None when ``note`` is no such
    note: a bracket holding only clauses that each give a date first, then what was done
    on it, and no sentence."""
    note = note.strip()
    if len(note) < 4 or note[0] not in "（(" or note[-1] not in "）)":
        return None
    inner = note[1:-1]
    dates = list(_DATE_TEXT.finditer(inner))
    if not dates or not re.fullmatch(_CLAUSE_LEAD, inner[:dates[0].start()]):
        return None
    clauses = []
    for m, nxt in zip(dates, dates[1:] + [None]):
        segment = inner[m.end():nxt.start() if nxt else len(inner)]
        rest = _CLAUSE_REST.match(segment)
        if rest is None or (nxt is None and segment[rest.end(1):].strip()):
            return None  # no act after the date, or the last clause goes on after its act
        clauses.append((m.group(), rest.group(1)))
    return clauses


def _adoption_date(note: str) -> str | None:
    """The date of a law's, regulation's or resolution's adoption note: a bracket holding
    only clauses that each give a date and what was done on it (``（2017年12月27日浙江省第十二届
    人民代表大会常务委员会第四十六次会议通过）``). Of several dates (adopted, then amended or
    revised, or approved) the latest: the text as it stands is the one last amended. From
    when it is in force (``自2018年1月1日起施行``) gives no date. None when ``note`` is no
    such note (a sentence, ``（2017年修订）``) or only says when it is in force.

    >>> _adoption_date("（2004年6月25日某省第十届人民代表大会常务委员会第十一次会议通过　"
    ...                "根据2017年9月30日某省第十二届人民代表大会常务委员会第四十四次会议"
    ...                "《关于修改〈某省条例〉的决定》修正　自2018年1月1日起施行）")
    '2017-09-30'
    """
    dates = [d for date, act in (_note_clauses(note) or []) if act not in _IN_FORCE
             for d in [_parse_date(date)] if d]
    return max(dates) if dates else None


def _bracketed_note(body: list[str], i: int) -> tuple[str, int] | None:
    """The bracketed note that starts on ``body[i]``, joined when it runs over up to six
    lines (an adoption note set one clause a line), and the index of the line after it;
    else None."""
    if not body[i].lstrip().startswith(("（", "(")):
        return None
    for j in range(i, min(i + 6, len(body))):
        if body[j].rstrip().endswith(("）", ")")):
            return " ".join(line.strip() for line in body[i:j + 1]), j + 1
    return None


def _dateline_dates(body: list[str], skip=()) -> list[tuple[str, str]]:
    """(date, ``"dateline"`` or ``"adopted"``) of the datelines (see :func:`_is_dateline`)
    and adoption notes (see :func:`_adoption_date`) starting among the first five body
    lines, above the first sentence (a date under it ends a short article or signs a
    notice), in order; the lines at the positions in ``skip`` (a signature block's date)
    are none. A note that only says from when the text is in force
    (``（2018年1月1日起施行）``) dates nothing."""
    dates, after = [], 0
    for i, line in enumerate(body[:5]):
        if re.search(r"[。！？!?]", line):
            break
        if i < after or i in skip:  # a line of the note above, or a signature's date
            continue
        note = _bracketed_note(body, i)
        if note is not None and _note_clauses(note[0]) is not None:
            adopted = _adoption_date(note[0])  # None for （2018年1月1日起施行） alone
            dates += [(adopted, "adopted")] if adopted else []
            after = note[1]
        elif _is_dateline(line):
            dates += [(d, "dateline") for d in (_parse_date(m.group())
                                               for m in _DATE_TEXT.finditer(line)) if d]
    return dates


def _speaker(body: list[str], titled: bool) -> tuple[str, str | None, list[int]] | None:
    """The speaker named in the title block under the first body line (when ``titled``: it
    is the title) or under a line among the first twelve above the first sentence that
    reads as a document's title (``政府工作报告`` below a site's name and menu): see
    :func:`bri_text.cleaning.title_block_speaker`."""
    from ..cleaning import title_block_speaker, title_like

    head = body[:12]
    end = next((k for k, line in enumerate(head) if re.search(r"[。！？；!?;]", line)), len(head))
    for k in ([0] if titled else []) + [k for k in range(1, end) if title_like(head[k])]:
        found = title_block_speaker(body[k + 1:])
        if found is not None:
            return found
    return None


def _text_metadata(text: str, pre: str | None = None) -> dict:
    """Title, date, source, author and document number written in the text of a file
    without front matter.

    Read from the byline and masthead lines that :func:`bri_text.cleaning.remove_bylines`
    removes (``来源:学习时报 作者:陈思远 2025-10-10 07:50``, ``丝路日报记者 周宁``,
    ``丝路产经网 时间:2026-01-20``, ``转自:环球经贸报``), so cleaning loses nothing, and from
    a table of labelled fields above the text, which
    :func:`bri_text.cleaning.remove_field_table` removes (a government page's 信息公开 table,
    one ``label：value`` a line, or one or two lines of ``成文日期：`` / ``发布日期：`` /
    ``发文字号：`` alone: :func:`_table_fields`); the title is the
    table's ``标题``, else the first line when it is short (at most 60 characters) and not a
    sentence, a byline, a numbered heading or a bracketed note. The date is the
    document's own where the text gives one, the page's posting date last, in this order:

    1. the table's ``成文日期`` (``date_source`` ``field_table``);
    2. a dateline among the first five lines (a full date such as ``2026年2月12日`` with
       little else and no sentence, a speech's ``——2017年3月5日在第十二届全国人民代表大会
       第五次会议上`` or ``（2017年5月14日，北京）``: :func:`_is_dateline`) or an adoption
       note (``（2017年12月27日…会议通过）``; of an adoption and later amendments, the latest
       date: :func:`_adoption_date`), the first of them (``dateline``, ``adopted``);
    3. an official document's signature (its 成文日期 under the issuing organ:
       :func:`bri_text.cleaning.remove_document_apparatus` holds the rules; ``signature``);
    4. the posting date: the table's ``发布日期``, else a byline's date (``byline``).

    The posting date is also kept as ``date_posted``, whatever dated the file (a metadata
    table's date and front matter come before all of these: see :func:`_read_one` and
    :func:`read_documents`). Dates may be written in Chinese numerals
    (二〇一九年十二月三十一日). Without a byline's author, the speaker named under the title
    (``国务院总理　李克强``, or ``国务院总理`` / ``李克强`` on two lines) gives ``author``
    (李克强) and ``author_title`` (国务院总理): see
    :func:`bri_text.cleaning.title_block_speaker`; without either, the table's
    ``发文机关``, then the organs signing an official document (国务院办公厅;
    财政部;税务总局;科技部). The table's ``发文字号``, else a line near the top that is only a
    document number (国办发〔2020〕28号) gives ``doc_number``; under
    the document's head (国务院文件 / the number), the title is the line below the number.
    Several sources or authors are joined with ``;``. Conservative: a field is left out when
    the text does not say it plainly.

    >>> _text_metadata("标题\\n来源:学习时报 作者:陈思远 2025-10-10 07:50\\n正文。")
    {'title': '标题', 'date': '2025-10-10', 'date_source': 'byline', 'year': 2025, 'date_posted': '2025-10-10', 'source': '学习时报', 'author': '陈思远'}
    >>> _text_metadata("政府工作报告\\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\\n"
    ...                "国务院总理　李　强\\n各位代表：\\n现在，我代表国务院，向大会报告政府工作。")
    {'title': '政府工作报告', 'date': '2024-03-05', 'date_source': 'dateline', 'year': 2024, 'author': '李强', 'author_title': '国务院总理'}
    >>> _text_metadata("某市人民政府关于印发某方案的通知\\n某政发〔2019〕5号\\n各区县人民政府：\\n"
    ...                "现将《某方案》印发给你们，请认真贯彻执行。\\n某市人民政府\\n二〇一九年十二月三十一日")
    {'title': '某市人民政府关于印发某方案的通知', 'date': '2019-12-31', 'date_source': 'signature', 'year': 2019, 'author': '某市人民政府', 'doc_number': '某政发〔2019〕5号'}
    """
    from ..cleaning import DEFAULT_STEPS, clean
    from ..cleaning import METADATA_STEPS, event_line, is_breadcrumb, text_head

    if pre is None:  # the text cleaned but for the steps removing what is read here
        pre = clean(text, [s for s in DEFAULT_STEPS if s not in METADATA_STEPS])
    # the bylines, field table and field rows as remove_field_table found them (same text)
    nonblank, head, found_table, rows = text_head(pre)
    all_lines = pre.split("\n")
    lines = [all_lines[i] for i in nonblank]
    flags = [f or k in found_table for k, f in enumerate(head)]
    table = _table_fields([lines[i] for i in sorted(rows)])
    found = _byline_fields([l for i, (l, b) in enumerate(zip(lines, flags)) if b and i not in rows])
    body = [l for l, b in zip(lines, flags) if not b]
    while body and is_breadcrumb(body[0]):  # a page that starts with where it sits
        body = body[1:]
    meta: dict = {}
    number = _doc_number(body)
    title = _title_line(body)
    if number is not None and all(_HEAD_LINE.match(line) for line in body[:number[1]]):
        title = _title_line(body[number[1] + 1:])  # under 国务院文件 / 国发〔2017〕39号
    title = table.get("title", title)
    if title is not None:
        meta["title"] = title
    signature = _signature(body, official=number is not None or "doc_number" in table)
    # the document's own date first, the page's posting date last
    dates = [(table["signed"], "field_table")] if "signed" in table else []
    # a meeting's 时间：2023年5月6日上午9:00 (with its 地点：...) is no dateline
    skip = {i for i in range(min(5, len(body))) if event_line(body, i)}
    dates += _dateline_dates(body, skip=skip | ({signature[2]} if signature else set()))
    if signature is not None and signature[0]:
        dates.append((signature[0], "signature"))
    posted = ([table["posted"]] if "posted" in table else []) + found["date"]
    dates += [(d, "byline") for d in posted]
    if dates:
        meta["date"], meta["date_source"] = dates[0]
        meta["year"] = int(meta["date"][:4])
    if posted:
        meta["date_posted"] = posted[0]
    if "source" in table:
        found["source"].insert(0, table["source"])
    for key in ("source", "author"):
        values = list(dict.fromkeys(v for v in found[key] if v))
        if values:
            meta[key] = ";".join(values)
    titled = title is not None and title == body[0]
    speaker = _speaker(body, titled) if "author" not in meta else None
    if speaker is not None:
        meta["author"] = speaker[0]
        if speaker[1]:
            meta["author_title"] = speaker[1]
    if "author" not in meta and "author" in table:
        meta["author"] = table["author"]
    if "author" not in meta and signature is not None and signature[1]:
        meta["author"] = ";".join(dict.fromkeys(signature[1]))
    if "doc_number" in table or number is not None:
        meta["doc_number"] = table.get("doc_number") or number[0]
    return meta


def _metadata_table(metadata) -> pd.DataFrame:
    """The metadata as a DataFrame: a CSV path is read with its encoding detected."""
    if isinstance(metadata, pd.DataFrame):
        return metadata
    path = Path(metadata)
    if not path.is_file():
        raise InputError(f"metadata file {path} not found")
    text, _ = decode_bytes(path.read_bytes(), str(path))
    import io as _io

    return pd.read_csv(_io.StringIO(text))


def metadata_key(metadata: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """(the metadata with its key column normalised, the key: ``doc_id`` as str, or ``file``
    from a ``file`` or ``filename`` column reduced to the file's name); MetadataError
    naming the columns present when there is none, or when a key repeats.

    >>> table, key = metadata_key(pd.DataFrame({"filename": ["plans/gx.txt"],
    ...                                         "region": ["广西"]}))
    >>> key, table.values.tolist()
    ('file', [['gx.txt', '广西']])
    """
    if "doc_id" in metadata.columns:
        key = "doc_id"
        metadata = metadata.assign(doc_id=metadata["doc_id"].astype(str))
    elif "file" in metadata.columns or "filename" in metadata.columns:
        key = "file"
        if "file" not in metadata.columns:
            metadata = metadata.rename(columns={"filename": "file"})
        metadata = metadata.assign(file=metadata["file"].astype(str).map(
            lambda f: Path(f.strip()).name))
    else:
        raise MetadataError("metadata needs a 'doc_id', 'file' or 'filename' column to join on "
                            f"(file names such as gansu.txt); columns present: "
                            f"{list(metadata.columns)}")
    if metadata[key].duplicated().any():
        raise MetadataError(f"metadata has duplicate {key!r} values: "
                            f"{metadata.loc[metadata[key].duplicated(), key].tolist()[:5]}")
    return metadata, key


def _join_metadata(docs: pd.DataFrame, metadata: pd.DataFrame,
                   warn_unmatched: bool = True) -> pd.DataFrame:
    """``docs`` with the metadata's columns: a value of the metadata replaces what the file
    says (its title, date...), which fills the metadata's gaps; a column named like a
    title (``标题``) gives ``title`` the same way; whole numbers with gaps (``年份`` of a file
    without a row) stay integers (Int64). ``warn_unmatched=False``: no warning about rows
    that match no document (a caller reading part of the files warns for the whole)."""
    metadata, key = metadata_key(metadata)
    unmatched = set(metadata[key]) - set(docs[key])
    if unmatched and warn_unmatched:
        warnings.warn(f"{len(unmatched)} metadata row(s) match no document: "
                      f"{sorted(unmatched)[:5]}", stacklevel=4)
    metadata = metadata.drop(columns=[c for c in ("text",) if c in metadata.columns])
    title = _title_column(metadata, exclude=("title",))
    if title is not None and "title" not in metadata.columns:
        metadata = metadata.assign(title=metadata[title])
    by_key = metadata.set_index(key)
    overlap = [c for c in metadata.columns if c in docs.columns and c not in (key, "doc_id")]
    docs = docs.assign(**{c: docs[key].map(by_key[c]).where(docs[key].map(by_key[c]).notna(),
                                                             docs[c]) for c in overlap})
    docs = docs.merge(metadata.drop(columns=overlap), on=key, how="left")
    for col in metadata.columns:  # 1984, not 1984.0, where a file has no row
        values = docs[col]
        if (values.dtype.kind == "f" and values.isna().any() and values.notna().any()
                and (values.dropna() % 1 == 0).all()):
            docs[col] = values.astype("Int64")
    return docs


def not_chinese_share(text: str, sample: int = 5_000) -> float:
    """Share of the letters of ``text`` (first ``sample`` characters) that are not CJK
    ideographs: Latin, Cyrillic... A Chinese document scores near 0.

    >>> not_chinese_share("推进一带一路建设 Belt and Road")   # 11 Latin letters of 19
    0.579
    """
    head = text[:sample]
    cjk = len(_HAN.findall(head))
    other = len(_OTHER_LETTER.findall(head))
    if not cjk + other:
        return 0.0
    return round(other / (cjk + other), 3)


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_OTHER_LETTER = re.compile("[^\\W\\d_\u3400-\u9fff\uf900-\ufaff]")


def warn_not_chinese(docs: pd.DataFrame | None, where: str, threshold: float = 0.5,
                     ids: list | None = None) -> list[str]:
    """Warn once, naming them, about documents whose letters are mostly not Chinese: the
    segmenter, stopwords and lexicons are for Chinese, so their results would mislead.
    ``ids``: the documents already found so (``bri_text.distributed.check`` gathers them
    from its partitions); then ``docs`` is not read."""
    if ids is None:
        ids = [d for d, t in zip(docs["doc_id"], docs["text"])
               if isinstance(t, str) and not_chinese_share(t) > threshold]
    if ids:
        warnings.warn(
            f"{where}: {len(ids)} document(s) are mostly not Chinese (over {threshold:.0%} of "
            f"their letters are not Chinese characters): {ids[:10]}"
            + (" ..." if len(ids) > 10 else "") + ". bri_text analyses Chinese text; "
            "results on these documents (tokens, topics, keyness) will not be meaningful.",
            stacklevel=4)
    return ids


#: what to do with a file of a format bri_text does not read
_UNSUPPORTED = {
    **dict.fromkeys((".doc", ".wps", ".rtf", ".odt", ".wpt", ".dot"), "save it as .docx"),
    **dict.fromkeys((".caj", ".kdh", ".nh", ".ofd", ".ppt", ".pptx", ".xps"), "save it as .pdf"),
    **dict.fromkeys((".xls", ".xlsx", ".xlsm", ".et", ".csv", ".tsv", ".json", ".jsonl"),
                    "a table: read it with read_excel / read_csv / read_jsonl (report: "
                    "--corpus FILE), or give it as metadata"),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp"),
                    "an image: its text needs OCR first"),
    **dict.fromkeys((".zip", ".rar", ".7z", ".gz"), "an archive: extract it first")}


def _unsupported(path: Path) -> str:
    """Why a file of an unsupported format is not read, and what to do.

    >>> _unsupported(Path("2009_政府工作报告.doc"))
    '2009_政府工作报告.doc: unsupported format .doc: save it as .docx'
    """
    suffix = path.suffix.lower()
    return (f"{path}: unsupported format {suffix or '(no suffix)'}: "
            + _UNSUPPORTED.get(suffix, "save it as .txt or .docx"))


#: files a folder of documents holds that are no document: its notes (README.md, a
#: LICENSE) and what the operating system leaves there (Thumbs.db, desktop.ini, .DS_Store);
#: a README or LICENSE is matched by the start of its name (README.txt, readme_数据说明.md)
_NOT_DOCUMENTS = {"readme": "README", "license": "LICENSE", "licence": "LICENSE",
                  "thumbs.db": "Thumbs.db", "desktop.ini": "desktop.ini",
                  ".ds_store": ".DS_Store"}


def _not_a_document(path: Path) -> str | None:
    """Why a file is no document by its name, or None.

    >>> print(_not_a_document(Path("data/README.md")))
    data/README.md: not a document: README (the folder's notes; rename the file to read it as a document)
    >>> _not_a_document(Path("readme.txt")) is None, _not_a_document(Path("gansu.txt")) is None
    (False, True)
    """
    name = path.name.lower()
    kind = next((k for n, k in _NOT_DOCUMENTS.items()
                 if name == n or (k in ("README", "LICENSE") and name.startswith(n))), None)
    if kind is None:
        return None
    what = "the folder's notes" if kind in ("README", "LICENSE") else "a system file"
    return (f"{path}: not a document: {kind} ({what}; rename the file to read it as a "
            "document)")


def unsupported_files(paths) -> dict:
    """The paths bri_text does not read as documents, each (as given, in order) with why
    it is left out and what to do; the other paths are not in it: files of a format it
    does not read, and files that are no document by their name (README*, LICENSE*,
    Thumbs.db, desktop.ini: :data:`_NOT_DOCUMENTS`). The one rule of what is read:
    :func:`list_folder`, :func:`read_documents` and the Dask ``read_folder`` ask it.

    >>> unsupported_files(["a.txt", "b.wps", "README.md"])
    {'b.wps': 'b.wps: unsupported format .wps: save it as .docx', 'README.md': "README.md: not a document: README (the folder's notes; rename the file to read it as a document)"}
    """
    out = {}
    for p in paths:
        why = _not_a_document(Path(p))
        if why is None and Path(p).suffix.lower() not in _TEXT_SUFFIXES:
            why = _unsupported(Path(p))
        if why is not None:
            out[p] = why
    return out


def unique_ids(paths: list[Path], doc_id: str) -> list[str]:
    """One id per file: the name without suffix (``doc_id="stem"``; files whose stems clash,
    such as 2019.txt and 2019.html, keep their suffix, with a warning naming them) or the
    name; MetadataError naming the files when ids still clash."""
    ids = [p.stem if doc_id == "stem" else p.name for p in paths]
    counts = pd.Series(ids).value_counts()
    clash = set(counts[counts > 1].index)
    if doc_id == "stem" and clash:
        named = [[p.name for p, i in zip(paths, ids) if i == c] for c in sorted(clash)]
        warnings.warn(f"{sum(map(len, named))} files share a name without suffix "
                      f"({'; '.join(' and '.join(n) for n in named[:5])}): their doc_id is "
                      "the file name with its suffix", stacklevel=5)
        ids = [p.name if i in clash else i for p, i in zip(paths, ids)]
    dup = pd.Series(ids)[pd.Series(ids).duplicated(keep=False)]
    if len(dup):
        files = [str(paths[i]) for i in dup.index[:6]]
        raise MetadataError(f"files give the same doc_id {sorted(set(dup))[:3]}: {files}; "
                            "rename one of them")
    return ids


def _given_id(ids: dict | None, path, doc_id: str) -> str:
    """A file's id: the one a caller gave (``ids``), else its stem or name."""
    if ids is not None and str(path) in ids:
        return ids[str(path)]
    return Path(path).stem if doc_id == "stem" else Path(path).name


def read_documents(paths: Iterable, *, metadata=None, errors: str = "raise",
                   doc_id: str = "stem", clean: bool = False, date=None,
                   keep_apparatus: bool = False, ids: dict | None = None):
    """(documents, dropped files, cleaning, derived) read from ``paths``: one row per file
    with ``doc_id``, ``text``, its metadata and dates (``derived`` says how they were
    found); see :func:`bri_text.read_files` for the options. With ``clean=True`` the texts
    are cleaned as they are read (once per file) and ``cleaning`` is (per-step report rows,
    removed rows); else it is None. A file of an unsupported format (``.doc``) is not read:
    it is listed among the dropped files with what to do, and warned about.

    ``ids`` (``{str(path): doc_id}``): the ids a caller reading a folder in parts gave
    every file of it (:func:`unique_ids` on the whole list; ``bri_text.distributed``);
    then a part with no readable file gives an empty table, not an error, and a ``date``
    column (the caller's choice for the whole folder) that no file of the part has is
    empty in it."""
    from .._dates import _derive_dates

    if errors not in {"raise", "skip"}:
        raise ParameterError(f"errors must be 'raise' or 'skip', got {errors!r}")
    if doc_id not in {"stem", "name"}:
        raise ParameterError(f"doc_id must be 'stem' or 'name', got {doc_id!r}")
    in_parts = ids is not None  # a part of a folder (bri_text.distributed)
    table = None if metadata is None else _metadata_table(metadata)
    own = (Path(metadata).resolve() if metadata is not None
           and not isinstance(metadata, pd.DataFrame) else None)
    paths = list(paths)
    other = unsupported_files(paths)
    rows, read_paths, dropped, report, removed, unsupported = [], [], [], [], [], []
    for p in paths:
        path = Path(p)
        if p in other:
            if own is None or path.resolve() != own:  # the metadata table itself is no loss
                unsupported.append(path.name)
                dropped.append({"doc_id": _given_id(ids, p, doc_id), "reason": other[p]})
            continue
        try:
            text, meta, cleaned = _read_one(path, clean, keep_apparatus)
        except (InputError, OptionalDependencyError) as exc:
            if errors == "raise":
                if "errors='skip'" in str(exc):
                    raise
                # how to go on: an empty file a scraper saved is common
                raise type(exc)(f"{exc}; remove it, or pass errors='skip' to skip it and "
                                "read the other files (on the command line: --errors skip; "
                                "skipped files are listed in corpus.dropped)") from None
            warnings.warn(f"skipped {path}: {exc}", stacklevel=4)
            dropped.append({"doc_id": _given_id(ids, p, doc_id), "reason": str(exc)})
            continue
        rows.append({"doc_id": None, "text": text, **meta})
        read_paths.append(path)
        if cleaned is not None:
            report.append(cleaned[0])
            removed.append(cleaned[1])
    notes = [n for n in unsupported if _not_a_document(Path(n)) is not None]
    unsupported = [n for n in unsupported if n not in notes]
    if notes:
        warnings.warn(f"{len(notes)} file(s) that are no document were not read: {notes[:5]}"
                      + (" ..." if len(notes) > 5 else "") + " (a folder's README / LICENSE "
                      "or a system file; listed in corpus.dropped)", stacklevel=4)
    if unsupported:
        warnings.warn(f"{len(unsupported)} file(s) of a format bri_text does not read were "
                      f"not read: {unsupported[:5]}" + (" ..." if len(unsupported) > 5 else "")
                      + " (corpus.dropped says what to do with each)", stacklevel=4)
    if not rows and ids is not None:  # a part of a folder may hold only unreadable files
        return (pd.DataFrame(columns=["doc_id", "text", "file"]),
                pd.DataFrame(dropped, columns=["doc_id", "reason"]),
                ([], []) if clean else None, {})
    if not rows:
        raise InputError("no readable documents among the given files"
                         + (f" ({len(dropped)} skipped: {[d['reason'] for d in dropped][:3]})"
                            if dropped else ""))
    ids = unique_ids(read_paths, doc_id) if ids is None else [
        _given_id(ids, p, doc_id) for p in read_paths]
    for row, key in zip(rows, ids):
        row["doc_id"] = key
    report = [{"doc_id": key, **r} for key, rs in zip(ids, report) for r in rs]
    removed = [{"doc_id": key, **r} for key, rs in zip(ids, removed) for r in rs]
    docs = pd.DataFrame(rows)
    if "year" in docs.columns and docs["year"].dtype.kind == "f":  # 2017, not 2017.0
        whole = docs["year"].dropna()
        if (whole % 1 == 0).all():
            docs["year"] = docs["year"].astype("Int64")
    read = [c for c in ("date", "year") if c in docs.columns]  # what the files' text says
    said = docs["date"] if "date" in docs.columns else None
    if table is not None:
        docs = _join_metadata(docs, table)
        read = [c for c in read if c not in table.columns]
    if in_parts and isinstance(date, str) and date not in docs.columns:
        docs[date] = None  # a part of a folder without the column chosen for the whole
    docs, derived = _derive_dates(docs, date, "read_files", read)
    if (said is not None and "date_source" in docs.columns and "date" in docs.columns
            and (table is None or "date_source" not in table.columns)):
        # the rule of the text that gave the date; none where the date is the metadata's
        docs["date_source"] = docs["date_source"].where(docs["date"].eq(said))
    return (docs, pd.DataFrame(dropped, columns=["doc_id", "reason"]),
            (report, removed) if clean else None, derived)


def list_folder(path, pattern: str = "*", recursive: bool = False,
                every_suffix: bool = False) -> list[Path]:
    """The files of a folder matching ``pattern`` with a supported suffix, sorted; with
    ``every_suffix=True`` the others too (for :func:`read_documents` to list them as not
    read), but never hidden files or Office lock files (``~$报告.docx``)."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    found = sorted(p for p in (folder.rglob(pattern) if recursive else folder.glob(pattern))
                   if p.is_file() and not p.name.startswith((".", "~$")))
    other = unsupported_files(found)
    files = [p for p in found if p not in other]
    if files and every_suffix:
        return found
    if not files:
        raise InputError(f"{folder}: no files match {pattern!r} with a supported suffix "
                         f"({', '.join(sorted(_TEXT_SUFFIXES))})")
    return files
