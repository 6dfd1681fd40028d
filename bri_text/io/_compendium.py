"""Policy compendia: many documents in one PDF dump, split into documents with title,
date, source, document number, region and level."""
from __future__ import annotations

import re

import pandas as pd

from .._dates import _parse_date
from ..corpus import Corpus
from ..errors import InputError

_DATE_LINE = re.compile(r"^\s*发布时间\s*[:：]\s*(.+?)\s*$")
_SOURCE_LINE = re.compile(r"^\s*来源\s*[:：]\s*(.+?)\s*$")
_NUMBER_LINE = re.compile(r"^\s*文件名称\s*[:：]\s*(.+?)\s*$")
_SECTION_LINE = re.compile(r"^\s*(政策法规|地方政策)\s*$")
_ATTACHMENT = re.compile(r"^\s*附件\s*\d*\s*[:：]")
_NATIONAL_ISSUERS = re.compile(
    r"^(国务院|中共中央|全国人大|国家|中国人民银行|中国保监会|中国银监会|中国证监会|财政部|商务部|"
    r"科技部|教育部|外交部|海关总署|税务总局|发展改革委|国家发展改革委|工业和信息化部|交通运输部|"
    r"文化部|农业部|住房城乡建设部|人力资源社会保障部|质检总局)")


def detect_region(*texts: str) -> tuple[str | None, str | None]:
    """The province-level unit (short name) and city a document belongs to.

    Looks for province names (full and short forms) and prefecture cities (mapped to their
    province with the gazetteer in ``bri_text/lexicons/provinces.tsv``) at the start of each
    text in turn (title first, then source), then anywhere in them.

    >>> detect_region("西安市“一带一路”建设2016年行动计划")
    ('陕西', '西安')
    """
    from .._lexicons import load_provinces

    prov = load_provinces()
    prov = prov[prov["kind"] != "abbr"]
    names = sorted(zip(prov["name"], prov["province"], prov["kind"]), key=lambda x: -len(x[0]))
    for mode in ("start", "anywhere"):
        for text in texts:
            if not text:
                continue
            for name, province, kind in names:
                hit = text.startswith(name) if mode == "start" else name in text
                if hit:
                    city = re.sub(r"市$", "", name) if kind == "city" else None
                    return province, city
    return None, None


def split_compendium(text: str, *, clean: bool = True, source_name: str = "compendium"
                     ) -> Corpus:
    """Split a policy compendium (many documents in one PDF dump) into a Corpus.

    Each document starts with its title, then ``发布时间：``, ``来源：`` and optionally
    ``文件名称：`` lines. Metadata: ``title``, ``date`` (ISO), ``year``, ``source``,
    ``doc_number``, ``section`` (``政策法规`` national / ``地方政策`` local, from the section
    markers), ``region`` and ``city`` (detected from title and source with the province
    gazetteer), ``level`` (national / provincial / municipal). The text of a document is
    its body (without the title and metadata lines). ``clean=True`` cleans the whole dump
    first (PDF artefacts, broken lines), which also re-joins wrapped titles.

    >>> dump = ("关于推进丝绸之路经济带建设的意见\\n发布时间：2015-03-28\\n来源：甘肃省人民政府\\n"
    ...         "全省各地推进建设。\\n广西壮族自治区参与一带一路行动方案\\n发布时间：2015-10-08\\n"
    ...         "来源：广西壮族自治区人民政府\\n面向东盟开放合作。\\n")
    >>> corpus = split_compendium(dump)
    >>> corpus.docs[["date", "region", "level", "text"]].values.tolist()
    [['2015-03-28', '甘肃', 'provincial', '全省各地推进建设。'], \
['2015-10-08', '广西', 'provincial', '面向东盟开放合作。']]
    """
    from ..cleaning import DEFAULT_STEPS, METADATA_STEPS
    from ..cleaning import clean as _clean

    if clean:
        # the 发布时间： / 来源： / 文件名称： lines are the compendium's structure: keep them
        text = _clean(text, [s for s in DEFAULT_STEPS if s not in METADATA_STEPS])
    lines = text.split("\n")
    starts = [i for i, l in enumerate(lines) if _DATE_LINE.match(l)]
    if not starts:
        raise InputError(f"{source_name}: no '发布时间：' lines found; is this a compendium?")
    section_at = _sections(lines)
    title_starts = _title_starts(lines, starts)
    docs = []
    for k, i in enumerate(starts):
        end = title_starts[k + 1] if k + 1 < len(starts) else len(lines)
        doc = _document(lines, title_starts[k], i, end)
        doc["section"] = section_at.get(title_starts[k], None)
        doc.update(_place(doc["title"], doc["source"]))
        docs.append(doc)
    df = pd.DataFrame(docs)
    width = max(2, len(str(len(df))))
    df.insert(0, "doc_id", [f"bri{n:0{width}d}" for n in range(1, len(df) + 1)])
    cols = ["doc_id", "text", "title", "date", "year", "source", "doc_number", "section",
            "region", "city", "level"]
    return Corpus._drop_empty(df[cols], True, where="split_compendium", name=source_name)


def _sections(lines: list[str]) -> dict[int, str | None]:
    """The section (``政策法规`` / ``地方政策``) each line index sits in, None before the first."""
    section = None
    section_at = {}
    for i, l in enumerate(lines):
        m = _SECTION_LINE.match(l)
        if m:
            section = m.group(1)
        section_at[i] = section
    return section_at


def _title_starts(lines: list[str], starts: list[int]) -> list[int]:
    """Index of each document's title: the last non-blank line before its date line (or -1)."""
    title_starts = []
    for k, i in enumerate(starts):
        prev_end = starts[k - 1] + 1 if k else 0
        j = i - 1
        while j >= prev_end and not lines[j].strip():
            j -= 1
        title_starts.append(j)
    return title_starts


def _header(lines: list[str], i: int) -> tuple[str | None, str | None, int]:
    """Source and document number on the lines after the date line ``i``; where the body starts."""
    j = i + 1
    source = doc_number = None
    while j < len(lines) and j < i + 4:
        ms, mn = _SOURCE_LINE.match(lines[j]), _NUMBER_LINE.match(lines[j])
        if ms:
            source = ms.group(1).strip()
        elif mn:
            doc_number = mn.group(1).strip()
        elif lines[j].strip():
            break
        j += 1
    return source, doc_number, j


def _document(lines: list[str], t_idx: int, i: int, end: int) -> dict:
    """Text, title, date, year, source and document number of the document dated on line ``i``."""
    title = lines[t_idx].strip() if t_idx >= 0 else ""
    if _SECTION_LINE.match(title) or _ATTACHMENT.match(title):
        title = ""
    date = _parse_date(_DATE_LINE.match(lines[i]).group(1))
    source, doc_number, j = _header(lines, i)
    body_lines = [l for l in lines[j:end] if not _SECTION_LINE.match(l)]
    return {"text": "\n".join(body_lines).strip(), "title": title, "date": date,
            "year": int(date[:4]) if date else None, "source": source, "doc_number": doc_number}


def _place(title: str, source: str | None) -> dict:
    """Region, city and level of a document from its title and source."""
    region, city = detect_region(title, source or "")
    subject_city = _subject_city(title)
    if subject_city:
        city = subject_city
    elif city and not title.startswith(city):
        city = None  # a city named in the source (a website) is not the document's city
    return {"region": region, "city": city, "level": _level(title, region, city)}


def _level(title: str, region: str | None, city: str | None) -> str:
    """national / provincial / municipal: a document about one city is municipal, one
    issued by or about a province-level unit provincial, the rest national."""
    if city:
        return "municipal"
    if region and not _NATIONAL_ISSUERS.match(title):
        return "provincial"
    return "national"


def _subject_city(title: str) -> str | None:
    """A prefecture city the title is about: the title starts with it, or a notice
    (关于印发《...》) names a plan that starts with it."""
    from .._lexicons import load_provinces

    prov = load_provinces()
    cities = sorted(prov.loc[prov["kind"] == "city", "name"], key=len, reverse=True)
    inner = re.findall(r"[《<]([^》>]+)[》>]", title)
    for text in [title] + inner:
        for c in cities:
            if text.startswith(c):
                return re.sub(r"市$", "", c)
    return None
