"""Build bri_text/data/work_reports.jsonl from the raw government work reports.

    python scripts/build_work_reports.py [path/to/government_work_reports.jsonl[.gz]]

By default it reads the raw file kept in the repository as test data,
``tests/data/government_work_reports.jsonl.gz`` (a ``gzip -n`` of the scraped Wikisource
records: 52 reports on the work of the government, 1954-2025, and 20 NPC resolutions), so
it runs from a clean clone; the test suite checks that the result is byte-identical to the
shipped file.

Cleaning, in order (:func:`clean_record`): zero-width characters out (a line holding only
one is a break inside a sentence, not a paragraph break); the Wikisource licence footer
(本作品是中华人民共和国的法律... / 本作品来自...决定、决议... Public domain) cut; the title
block (政府工作报告, the ——date 在第X届...会议上 line, the speaker) and, for resolutions, the
title and the （...通过） line read into fields and taken out of the text; paragraphs are
the blocks between blank lines, and the single line breaks inside a block (wiki links and
bold lead sentences rendered on lines of their own: 所作的\\n政府工作报告\\n。) are joined;
letter-spaced digits (1 9 9 3 年) closed up; full-width digits and letters to half-width,
spaces between CJK characters and digits dropped, ideographic-space indentation and runs of
spaces collapsed (:func:`bri_text.cleaning.normalize_width`, :func:`normalize_whitespace`);
Traditional characters (most of 1954, part of 1955 and 1957, the variant 拚) to Simplified
with OpenCC ``t2s``, applied to every record (on this data it changes nothing else: tested).

Congress, session and speaker come from :data:`SESSIONS` (public records, see
bri_text/data/README.md), checked against the title block where a record has one; the date
of delivery only from the text (records without a dated title block have ``date`` null).
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

from bri_text.cleaning import normalize_whitespace, normalize_width, to_simplified

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RAW = ROOT / "tests" / "data" / "government_work_reports.jsonl.gz"
OUT = ROOT / "bri_text" / "data" / "work_reports.jsonl"
FIELDS = ["doc_id", "year", "date", "title", "congress", "session", "speaker", "kind",
          "source_url", "text"]

#: year -> (congress, session, who delivered the report on the work of the government).
#: Public record: the session list of the National People's Congress and the reports'
#: published headings (中国政府网, 历年国务院政府工作报告; 中国人大网, 历届全国人民代表大会);
#: see bri_text/data/README.md. 1962 and 2020 have a resolution but no report in the data.
SESSIONS = {
    1954: (1, 1, "周恩来"), 1955: (1, 2, "李富春"), 1956: (1, 3, "李先念"),
    1957: (1, 4, "周恩来"), 1958: (1, 5, "薄一波"), 1959: (2, 1, "周恩来"),
    1960: (2, 2, "谭震林"), 1962: (2, 3, "周恩来"), 1964: (3, 1, "周恩来"),
    1975: (4, 1, "周恩来"), 1978: (5, 1, "华国锋"), 1979: (5, 2, "华国锋"),
    1980: (5, 3, "姚依林"), 1981: (5, 4, "赵紫阳"), 1982: (5, 5, "赵紫阳"),
    1983: (6, 1, "赵紫阳"), 1984: (6, 2, "赵紫阳"), 1985: (6, 3, "赵紫阳"),
    1986: (6, 4, "赵紫阳"), 1987: (6, 5, "赵紫阳"), 1988: (7, 1, "李鹏"),
    1992: (7, 5, "李鹏"), 1993: (8, 1, "李鹏"), 1994: (8, 2, "李鹏"), 1995: (8, 3, "李鹏"),
    1997: (8, 5, "李鹏"), 1998: (9, 1, "李鹏"),
    1999: (9, 2, "朱镕基"), 2000: (9, 3, "朱镕基"), 2001: (9, 4, "朱镕基"),
    2002: (9, 5, "朱镕基"), 2003: (10, 1, "朱镕基"),
    2004: (10, 2, "温家宝"), 2005: (10, 3, "温家宝"), 2006: (10, 4, "温家宝"),
    2007: (10, 5, "温家宝"), 2008: (11, 1, "温家宝"), 2009: (11, 2, "温家宝"),
    2010: (11, 3, "温家宝"), 2011: (11, 4, "温家宝"), 2012: (11, 5, "温家宝"),
    2013: (12, 1, "温家宝"),
    2014: (12, 2, "李克强"), 2015: (12, 3, "李克强"), 2016: (12, 4, "李克强"),
    2017: (12, 5, "李克强"), 2018: (13, 1, "李克强"), 2019: (13, 2, "李克强"),
    2020: (13, 3, "李克强"), 2021: (13, 4, "李克强"), 2022: (13, 5, "李克强"),
    2023: (14, 1, "李克强"),
    2024: (14, 2, "李强"), 2025: (14, 3, "李强"),
}

_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九")}
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_FOOTER = re.compile(r"\n\s*本作品(?:是|来自)\s*中华人民共和国")
#: the 1956 report's note on characters missing from the font, and its lines (＠① 原字...)
_FONT_NOTE = re.compile(r"\n\s*字库未存字注释：(?:\s*＠[①-⑳]原字[^\n]*)+\s*$")
_SESSION = re.compile(r"第([一二三四五六七八九十]+)届全国人民代表大会第([一二三四五六七八九十]+)次会议")
_DATED = re.compile(r"^[—\-]*\s*(\d{4})年(\d{1,2})月(\d{1,2})日在" + _SESSION.pattern + "上$")
_PASSED = re.compile(r"^[（(](\d{4})年(\d{1,2})月(\d{1,2})日" + _SESSION.pattern + r"通过[）)]$")
_SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?: \d)+(?![\d.])")
_ADDRESS = re.compile(r"^各位代表[：:！!]$")


def chinese_number(s: str) -> int:
    """一 -> 1, 十 -> 10, 十四 -> 14, 二十 -> 20."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_NUM[tens] if tens else 1) * 10 + (_CN_NUM[ones] if ones else 0)
    return _CN_NUM[s]


def read_raw(path: Path) -> list[dict]:
    """The raw records (``.gz`` files are decompressed)."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def cut_footer(content: str) -> str:
    """The record without Wikisource's licence footer (from 本作品是/来自中华人民共和国... on)
    and without the 1956 report's closing note on characters missing from the font (字库未存字
    注释: the characters stay as the placeholders ＠① ＠② in the text)."""
    m = _FOOTER.search(content)
    content = content[:m.start()] if m else content
    return _FONT_NOTE.sub("", content)


def paragraphs(content: str) -> list[str]:
    """Blocks between blank lines, the single line breaks inside each joined. A line of
    zero-width characters only is dropped with its break (it can sit inside a word: 期\\n
    \\u200b\\n待); a line of spaces only is blank. 各位代表： stays a paragraph of its own."""
    content = re.sub(f"\n[{_ZERO_WIDTH}]+(?=\n)", "", content)
    content = re.sub(f"[{_ZERO_WIDTH}]", "", content)
    out = []
    for block in re.split(r"\n[ \t\u3000\u00a0]*\n", content):
        lines = [ln.strip(" \t\u3000\u00a0") for ln in block.split("\n")]
        lines = [ln for ln in lines if ln]
        while len(lines) > 1 and _ADDRESS.match(lines[0]):
            out.append(lines.pop(0))
        if lines:
            out.append("".join(lines))
    return out


#: variant forms OpenCC's t2s leaves as they are (old-style and Japanese-style forms in the
#: 1954, 1957 and 1958 texts), mapped to the standard Simplified character of the General
#: List of Standard Chinese Characters (通用规范汉字表, 2013): 衞生 → 卫生, 选擧 → 选举,
#: 贪汚 → 贪污, 瓩 (kilowatt) → 千瓦. 洺 (洺河, a river in Hebei) is a standard character.
VARIANTS = str.maketrans({"衞": "卫", "擧": "举", "汚": "污", "刼": "劫", "淸": "清",
                          "啣": "衔", "鶏": "鸡", "倣": "仿", "砲": "炮", "覚": "觉",
                          "瓩": "千瓦"})


def normalize(par: str) -> str:
    """Digits, widths, spaces and script of one paragraph."""
    par = _SPACED_DIGITS.sub(lambda m: m.group().replace(" ", ""), par)
    par = normalize_whitespace(normalize_width(par))
    return to_simplified(par, force=True).translate(VARIANTS)


def _fields_from_heading(pars: list[str], record: dict) -> tuple[list[str], dict]:
    """Take the title block off a report's paragraphs; what it says about date, session and
    speaker."""
    found: dict = {}
    if not any(_ADDRESS.match(p) or p.startswith("各位代表") for p in pars[:6]):
        return pars, found
    head = 0
    while head < len(pars) and not pars[head].startswith("各位代表"):
        head += 1
    block = pars[:head]
    if any(re.search("[。！？；]", p) for p in block):
        raise ValueError(f"{record['title']}: the title block has a sentence: {block}")
    for p in block:
        m = _DATED.match(p)
        if m:
            y, mo, d, c, s = m.groups()
            found["date"] = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
            found["congress"], found["session"] = chinese_number(c), chinese_number(s)
        elif p not in ("政府工作报告",) and not p.startswith("国务院总理"):
            found["speaker"] = p.replace(" ", "")
        elif p.startswith("国务院总理") and len(p) > 5:
            found["speaker"] = p[5:].replace(" ", "")
    return pars[head:], found


def clean_record(record: dict) -> dict:
    """One raw record as a row of the dataset (without ``doc_id``)."""
    pars = [normalize(p) for p in paragraphs(cut_footer(record["content"]))]
    pars = [p for p in pars if p]
    title = normalize(record["title"])
    if record["year"] is not None:
        year = int(record["year"])
        pars, found = _fields_from_heading(pars, record)
        congress, session, speaker = SESSIONS[year]
        for key, value in (("congress", congress), ("session", session),
                           ("speaker", speaker)):
            if key in found and found[key] != value:
                raise ValueError(f"{record['title']}: the text says {key}={found[key]!r}, "
                                 f"the table of sessions {value!r}")
        return {"year": year, "date": found.get("date"), "title": title,
                "congress": congress, "session": session, "speaker": speaker,
                "kind": "report", "source_url": record["url"], "text": "\n".join(pars)}
    m = _SESSION.search(title)
    congress, session = chinese_number(m.group(1)), chinese_number(m.group(2))
    year = next(y for y, v in SESSIONS.items() if v[:2] == (congress, session))
    date = None
    if pars and pars[0] == title:
        pars = pars[1:]
    if pars:
        passed = _PASSED.match(pars[0])
        if passed:
            y, mo, d = passed.groups()[:3]
            date = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
            pars = pars[1:]
    return {"year": year, "date": date, "title": title, "congress": congress,
            "session": session, "speaker": None, "kind": "resolution",
            "source_url": record["url"], "text": "\n".join(pars)}


def build(records: list[dict]) -> list[dict]:
    """The dataset's rows, in order of year, each year's report before its resolution;
    ``doc_id`` ``wr1954`` for a report, ``res2025`` for a resolution."""
    rows = [clean_record(r) for r in records]
    rows.sort(key=lambda r: (r["year"], r["kind"] != "report"))
    out = []
    for r in rows:
        prefix = "wr" if r["kind"] == "report" else "res"
        out.append({"doc_id": f"{prefix}{r['year']}", **r})
    ids = [r["doc_id"] for r in out]
    if len(set(ids)) != len(ids):
        raise ValueError("two records of the same kind for one year")
    return [{k: r[k] for k in FIELDS} for r in out]


def to_jsonl(rows: list[dict]) -> str:
    """The dataset file's content: one JSON object per document, fields in FIELDS order."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    raw = Path(argv[1]) if len(argv) > 1 else DEFAULT_RAW
    rows = build(read_raw(raw))
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(to_jsonl(rows), encoding="utf-8", newline="\n")
    tmp.replace(OUT)
    kinds = {k: sum(r["kind"] == k for r in rows) for k in ("report", "resolution")}
    dated = sum(r["date"] is not None for r in rows)
    print(f"wrote {len(rows)} records ({kinds}) to {OUT.relative_to(ROOT)}; "
          f"{dated} with a date from the text")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
