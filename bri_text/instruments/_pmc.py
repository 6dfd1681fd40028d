"""PMC index, part 1: the indicator system and the scoring sheet pre-filled from clauses.

Ruiz Estrada's Policy Modelling Consistency index (Estrada 2011) grades a policy by main
variables X1…Xn, each the mean of binary sub-variables. Chinese policy studies score each
document by reading it; :func:`pmc_sheet` does the first reading: it fills every
sub-variable 0 or 1 from the document's clauses (phrases, instrument codes) or metadata and
quotes the clause that supports each 1, so a researcher checks and overrides cells in Excel
and :func:`bri_text.pmc_index` computes the index from the corrected sheet.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass

import pandas as pd

from .._lexicons import _builtin_text
from ..errors import BriTextError, MetadataError, ParameterError
from ._codebook import _user_file_text

#: Columns of an indicator-system file (``bri_text/lexicons/pmc_indicators.csv``).
INDICATOR_COLUMNS = ("main", "main_name", "sub", "sub_name", "phrases", "codes", "metadata",
                     "counted")
#: Columns of the scoring sheet, in order.
SHEET_COLUMNS = ("doc_id", "title", "main", "main_name", "sub", "sub_name", "counted",
                 "auto_score", "score", "unit_id", "evidence", "matched", "n_units", "rule",
                 "note")
_MAIN = re.compile(r"X\d+$")
_SUB = re.compile(r"(X\d+):\d+$")
_META = re.compile(r"^\s*([^=~]+?)\s*([=~])\s*(.+?)\s*$")
_QUOTE = 160   # characters of context each side of the matched phrase in a long clause
# the formula of a notice that forwards a plan (现将《…》印发给你们，请认真贯彻执行); the notice's
# lines up to it are the cover, not the plan: not evidence (the plan's own text follows)
_COVER = re.compile(r"(?:印发|转发|下发|发送)(?:给)?(?:你们|各[^，。；]{1,20}?)[，,]\s*(?:望|请)"
                    r"[^。]{0,40}?(?:执行|实施|落实|办理)")
_COVER_WITHIN = 6   # the formula is looked for in a document's first units
_COVER_ONLY = 500   # characters after the cover below which the plan is not in the text
# a line listing attachments (附件：…关于印发《…》的通知): titles, not the plan's measures
_ATTACHMENT = re.compile(r"^\s*附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]")
# a title line: a unit that is only the document's title (or the plan's a notice issues);
# compared without spaces, quotes and book-title marks, a leading 附件：, any dash as —
_TITLE_NOISE = re.compile(r"[\s\"'“”‘’＂《》〈〉<>]")
_TITLE_DASH = re.compile(r"[-－–―]")
_BOOK_TITLE = re.compile(r"[《<〈]([^》>〉]{4,})[》>〉]")
_ISSUES = re.compile(r"印发(?P<plan>.{4,}?)(?:的通知)?$")
_PERIODS = {"long": "more than 5 years", "medium": "3 to 5 years", "short": "1 to 2 years"}


@dataclass(frozen=True)
class _Rule:
    phrases: tuple[str, ...]
    codes: tuple[str, ...]
    metadata: tuple[tuple[str, str, tuple[str, ...]], ...]   # (column, op, values)

    def describe(self) -> str:
        parts = []
        if self.phrases:
            parts.append("phrases: " + "|".join(self.phrases))
        if self.codes:
            parts.append("codes: " + "|".join(self.codes))
        parts += [f"metadata: {c}{op}{'|'.join(v)}" for c, op, v in self.metadata]
        return "; ".join(parts)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split("|") if p.strip())


def _parse_rule(where: str, phrases: str, codes: str, meta: str) -> _Rule:
    rules = []
    for clause in [c for c in meta.split(";") if c.strip()]:
        m = _META.match(clause)
        if not m:
            raise MetadataError(f"{where}: metadata rule {clause!r} must read "
                                "column=value, column~text or column=*")
        rules.append((m.group(1), m.group(2), _split(m.group(3))))
    rule = _Rule(_split(phrases), _split(codes), tuple(rules))
    if not (rule.phrases or rule.codes or rule.metadata):
        raise MetadataError(f"{where}: give phrases, codes or a metadata rule (or all)")
    return rule


def _parse_indicators(name: str, text: str) -> pd.DataFrame:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    if not rows or tuple(c.strip() for c in rows[0][:len(INDICATOR_COLUMNS)]) != \
            INDICATOR_COLUMNS:
        raise MetadataError(f"{name}: the first row must be the header "
                            f"{','.join(INDICATOR_COLUMNS)}")
    out, seen, names = [], set(), {}
    for k, row in enumerate(rows[1:], start=2):
        row = [c.strip() for c in row] + [""] * (len(INDICATOR_COLUMNS) - len(row))
        main, main_name, sub, sub_name, phrases, codes, meta, counted = \
            row[:len(INDICATOR_COLUMNS)]
        where = f"{name}: row {k} ({sub or main or 'empty'})"
        if not _MAIN.match(main):
            raise MetadataError(f"{where}: main {main!r} must be X followed by a number (X1)")
        m = _SUB.match(sub)
        if not m or m.group(1) != main:
            raise MetadataError(f"{where}: sub {sub!r} must be {main}:<number> (e.g. {main}:1)")
        if sub in seen:
            raise MetadataError(f"{where}: sub-variable {sub} is listed twice")
        seen.add(sub)
        if counted not in ("0", "1", ""):
            raise MetadataError(f"{where}: counted must be 1, 0 or empty (1), got {counted!r}")
        key = (main_name, counted or "1")
        if names.setdefault(main, key) != key:
            raise MetadataError(f"{where}: main_name and counted must be the same on every "
                                f"row of {main}; got {key} and {names[main]}")
        out.append({"main": main, "main_name": main_name, "sub": sub, "sub_name": sub_name,
                    "counted": int(counted or 1),
                    "rule": _parse_rule(where, phrases, codes, meta)})
    if not out:
        raise MetadataError(f"{name}: no sub-variables; add rows below the header")
    table = pd.DataFrame(out)
    order = sorted(dict.fromkeys(table["main"]), key=lambda s: int(s[1:]))
    if order != list(dict.fromkeys(table["main"])):
        raise MetadataError(f"{name}: list the main variables in order ({', '.join(order)}),"
                            " all rows of one main variable together")
    return table


def load_indicators(path=None) -> pd.DataFrame:
    """The PMC indicator system: one row per binary sub-variable (main, main_name, sub,
    sub_name, counted, rule). ``path=None`` gives the built-in system
    (``bri_text/lexicons/pmc_indicators.csv``: X1 policy nature … X10 openness, X10 not
    counted); a path reads your own file in the same format.

    >>> from bri_text.instruments._pmc import load_indicators
    >>> ind = load_indicators()
    >>> ind.groupby("main", sort=False).size().head(3).to_dict()
    {'X1': 5, 'X2': 3, 'X3': 3}
    >>> ind.set_index("sub").loc["X2:1", "rule"].describe()
    'metadata: period=long'
    """
    if isinstance(path, pd.DataFrame):
        raise ParameterError("indicators must be a file path or None (the built-in system), "
                             "got a DataFrame; write it to CSV first")
    name, text = _builtin_text("pmc_indicators.csv") if path is None else \
        _user_file_text(path, "indicators", "PMC indicator file")
    return _parse_indicators(name, text)


# --------------------------------------------------------------------------- periods

_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10}
_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-—–～~至到]\s*((?:19|20)\d\d)\s*年")
_N_YEARS = re.compile(r"([一二两三四五六七八九十]|\d{1,2})\s*年(?:行动|计划|规划|工作)")
_FIVE_YEAR = re.compile(r"“?十[一二三四五六七八九]?五”?")
_ONE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?:度)?(?:行动|工作|实施)(?:计划|方案|要点)")
_TEXT_RANGE = re.compile(r"((?:19|20)\d\d)\s*年[^。；，,]{0,8}?[至到—–~～-]\s*((?:19|20)\d\d)\s*年")
_TARGET = re.compile(r"(?:到|至)\s*((?:19|20)\d\d)\s*年")


def _years_in_title(title: str):
    """(years, matched text) of a plan period named in a title, or None."""
    m = _RANGE.search(title)
    if m and int(m.group(2)) >= int(m.group(1)):
        return int(m.group(2)) - int(m.group(1)) + 1, m.group(0)
    m = _FIVE_YEAR.search(title)
    if m:
        return 5, m.group(0)
    m = _ONE_YEAR.search(title)
    if m:
        return 1, m.group(0)
    m = _N_YEARS.search(title)
    if m:
        n = m.group(1)
        return (int(n) if n.isdigit() else _CN_NUM[n]), m.group(0)
    return None


def _period_class(years: int) -> str:
    return "long" if years > 5 else "medium" if years >= 3 else "short"


def _document_period(title: str, year, units: list[tuple[str, str]]):
    """(class, years, unit_id, quoted text, matched) of a document's plan period.

    The title first (``（2017—2020年）`` counts both years: 4; ``2016年行动计划`` 1; ``三年``
    3; ``十三五`` 5); else the text's period ending latest after the issue year: a range
    (``2017年1月1日至2019年12月31日``: 3 years) or a target year (``到2025年`` minus the
    issue year). None when none is found."""
    found = _years_in_title(title or "")
    if found:
        return _period_class(found[0]), found[0], None, title, found[1]
    if year is None or pd.isna(year):
        return None
    best = None                     # (end year, is a range, years, unit id, text, matched)
    for uid, text in units:
        for m in _TEXT_RANGE.finditer(text):
            start, end = int(m.group(1)), int(m.group(2))
            if end > int(year) and end >= start:
                best = max(best or (0,), (end, 1, end - start + 1, uid, text, m.group(0)))
        for m in _TARGET.finditer(text):
            end = int(m.group(1))
            if end > int(year):
                best = max(best or (0,), (end, 0, end - int(year), uid, text, m.group(0)))
    if best is None:
        return None
    return _period_class(best[2]), *best[2:]


# --------------------------------------------------------------------------- the sheet

def _quote(text: str, phrase: str) -> str:
    """The clause, or a window around the phrase when the clause is long."""
    if len(text) <= 2 * _QUOTE + len(phrase):
        return text
    i = max(text.find(phrase), 0)
    start, end = max(0, i - _QUOTE), min(len(text), i + len(phrase) + _QUOTE)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _units_of(corpus):
    """(units Corpus, documents DataFrame) from a Corpus of documents or of units."""
    from ..corpus import Corpus

    if not isinstance(corpus, Corpus):
        raise ParameterError(f"corpus_or_units must be a bri_text Corpus (documents or their "
                             f"clauses), got {type(corpus).__name__}")
    docs = corpus.docs
    if "parent_id" not in docs.columns:
        try:
            units = corpus.reshape("clause")
        except BriTextError:               # no clause splitter in this version
            units = corpus.reshape("paragraph")
        return units, docs
    meta = [c for c in docs.columns if c not in ("doc_id", "text", "unit", "unit_index",
                                                 "start", "end", "clause", "heading",
                                                 "heading_level", "heading_path")]
    first = docs.drop_duplicates("parent_id")[meta].rename(columns={"parent_id": "doc_id"})
    return corpus, first.reset_index(drop=True)


def _codes_by_unit(codes, units, code_map=None) -> dict[str, list[tuple[str, str]]]:
    """unit id -> [(code, evidence)] from a coding table (None: the dictionary's codes);
    ``code_map`` renames codes (yours to the indicator system's) first."""
    if code_map is not None and not isinstance(code_map, dict):
        raise ParameterError(f"code_map must be a dict {{your code: a code of the indicator "
                             f"system}}, got {type(code_map).__name__}")
    if codes is None:
        from ._codebook import read_codebook
        from ._coding import code_clauses

        # the instruments only: the default's second dimension (BRI targets) is not read
        codes = code_clauses(units, dimensions=read_codebook().dimensions[:1])
    if not isinstance(codes, pd.DataFrame):
        raise ParameterError(f"codes must be a DataFrame (bt.code_clauses(units)) or None, "
                             f"got {type(codes).__name__}")
    if "doc_id" not in codes.columns and "unit_id" not in codes.columns \
            and codes.index.name == "doc_id":      # code_clauses: indexed by unit id
        codes = codes.reset_index()
    if "all_codes" in codes.columns:   # every instrument a clause uses, not only the first
        codes = codes.assign(code=[";".join(a) if isinstance(a, dict) and a else c
                                   for a, c in zip(codes["all_codes"], codes["code"])])
    unit_col = "unit_id" if "unit_id" in codes.columns else "doc_id"
    if unit_col not in codes.columns or "code" not in codes.columns:
        raise MetadataError(f"codes needs columns doc_id (the unit id) and code; columns "
                            f"present: {list(codes.columns)}")
    out: dict[str, list[tuple[str, str]]] = {}
    for uid, code, ev in zip(codes[unit_col], codes["code"],
                             codes["evidence"] if "evidence" in codes.columns
                             else [""] * len(codes)):
        for one in re.split(r"[;|,\s]+", code) if isinstance(code, str) else ():
            if one:                          # several codes in one cell: "S_talent; E_tax"
                ev = "" if pd.isna(ev) else str(ev)
                mapped = (code_map or {}).get(one, one)
                if mapped != one:            # the sheet says which of your codes it was
                    ev = f"your {one}" + (f": {ev}" if ev else "")
                out.setdefault(str(uid), []).append((mapped, ev))
    known = set(units.docs["doc_id"].astype(str))
    unknown = sorted(set(out) - known)
    if unknown:
        raise MetadataError(f"codes: {len(unknown)} unit id(s) are not units of the corpus "
                            f"(e.g. {unknown[:3]}); pass the units you coded as corpus_or_units")
    return out


def _code_matches(code: str, wanted: tuple[str, ...]) -> bool:
    return any(code == w or (w.endswith("*") and code.startswith(w[:-1])) for w in wanted)


def _meta_value(meta: dict, column: str, period):
    if column == "period":
        return None if period is None else period[0]
    value = meta.get(column)
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) \
        else str(value)


def _check_meta(rule: _Rule, meta: dict, period, doc_id: str):
    """(unit_id, evidence, matched) of the first metadata rule that holds, or None."""
    for column, op, values in rule.metadata:
        value = _meta_value(meta, column, period)
        if value is None or value == "":
            continue
        if (op == "=" and ("*" in values or value in values)) or \
                (op == "~" and any(v in value for v in values)):
            if column == "period":
                _, years, uid, text, matched = period
                return (uid or doc_id, _quote(text, matched),
                        f"{matched} ({years} year{'s' if years > 1 else ''}: {value}, "
                        f"{_PERIODS[value]})")
            hit = next((v for v in values if v in value), value) if op == "~" else value
            return doc_id, f"{column}: {value}", hit
    return None


def _cover_notice(units: list[tuple[str, str]]) -> int:
    """How many of a document's first units are a cover notice that forwards the plan: the
    units up to the one with the forwarding formula (现将《…》印发给你们，请认真贯彻执行), when
    it is among the first few; else 0."""
    for k, (_, text) in enumerate(units[:_COVER_WITHIN]):
        if _COVER.search(text):
            return k + 1
    return 0


def _title_key(text: str) -> str:
    text = _ATTACHMENT.sub("", text)
    return _TITLE_DASH.sub("—", _TITLE_NOISE.sub("", text)).replace("(", "（").replace(")", "）")


def _title_lines(title: str, units: list[tuple[str, str]], cover) -> list[str]:
    """The ids of a document's units that are a title line, not a provision: the
    document's title (附件：<title> too), the plan a notice issues (《…》 in the title, 印发…
    的通知, or 《…》 in the cover's forwarding formula), each unit as a whole.

    >>> _title_lines("科技部关于印发<“十三五”国家科技人才发展规划>的通知",
    ...              [("c0", "“十三五”国家科技人才发展规划"), ("c1", "加强“十三五”国家科技人才发展规划实施。")], [])
    ['c0']
    """
    names = {title, *_BOOK_TITLE.findall(title)}
    m = _ISSUES.search(title)
    if m:
        names.add(m.group("plan"))
    for _, text in cover:
        if _COVER.search(text):
            names.update(_BOOK_TITLE.findall(text))
    keys = {_title_key(n) for n in names if n}
    keys.discard("")
    return [uid for uid, text in units if _title_key(text) in keys]


def _fill(rule: _Rule, units, unit_codes, meta, period, doc_id):
    """(score, unit_id, evidence, matched, n_units) of one document and sub-variable."""
    hits, first = 0, None
    use_codes = bool(rule.codes)
    for uid, text in units:
        found = None
        if use_codes:
            found = next(((f"code {c}" + (f" ({ev})" if ev else ""),
                           _quote(text, ev if ev and ev in text else ""))
                          for c, ev in unit_codes.get(uid, ())
                          if _code_matches(c, rule.codes)), None)
        if found is None and rule.phrases:
            found = next(((p, _quote(text, p)) for p in rule.phrases if p in text), None)
        if found is not None:
            hits += 1
            first = first or (uid, found[1], found[0])
    if first is not None:
        return 1, *first, hits
    found = _check_meta(rule, meta, period, doc_id)
    if found is not None:
        return 1, *found, 0
    return 0, None, None, None, 0


def pmc_sheet(corpus_or_units, indicators=None, codes=None, *,
              code_map=None) -> pd.DataFrame:
    """A PMC scoring sheet: one row per document × sub-variable, pre-filled 0/1 with the
    clause that supports each 1, for a researcher to check and correct.

    ``corpus_or_units``: a Corpus of documents (cut into clauses, or paragraphs where the
    clause splitter is absent) or of units already cut (``reshape(...)``; the document is
    ``parent_id``). ``indicators``: an indicator-system file (None: the built-in one, see
    ``bri_text/lexicons/README.md``). ``codes``: instrument codes per unit (a DataFrame with
    ``doc_id`` = unit id and ``code``, as ``bt.code_clauses`` returns); when None they are
    computed with ``code_clauses`` (every code a clause matches). A sub-variable is 1 when a
    clause carries one of its codes or contains one of its phrases (the first such clause
    is quoted) or the document's metadata meets its rule (``period`` is read from the
    title's plan period, else the text's latest target year ``到20XX年`` minus the issue
    year). A notice that forwards a plan (现将《…》印发给你们，请认真贯彻执行 among its first
    units) is not evidence: its lines up to that formula and its list of attachments
    (附件：…) are the cover, not the plan, and quote no cell (``sheet.attrs["cover_notice"]``: the unit ids per document; a cell
    only the cover would fill stays 0 with a ``note`` saying so). Nor is a title line, a
    unit that is only the document's title or the title of the plan it issues
    (``attrs["title_lines"]``; a cell only a title line would fill stays 0 with a
    ``note``): a title names the plan's field, it provides nothing. Metadata cells still
    read the title (``period`` from its years), and section headings stay evidence (the
    plan's own 三、重点任务 and 四、保障措施 are what X5:3 and X5:4 ask for).

    The built-in indicators name the default codebook's codes (``S_*`` for X8:1 supply,
    ``E_tax``, ``S_funding`` for X6:1 rewards and subsidies, ``E_finance`` for X6:3 …). Codes of your own codebook fill them through
    ``code_map``, a dict from your code to one of those (``{"供给-资金": "S_funding",
    "环境-税收优惠": "E_tax", "需求-政府采购": "D_procurement"}``); a code it does not name
    is kept as it is (and fills only a rule that names it; your own indicator file can).

    Columns: doc_id, title, main, main_name, sub, sub_name, counted, auto_score (the
    machine's reading), score (edit this one), unit_id, evidence (the clause quoted),
    matched (the phrase, code or period found), n_units (clauses that match), rule, note.
    Write it with ``sheet.to_excel(path, index=False)``; give the edited file (or
    DataFrame) to :func:`bri_text.pmc_index`.

    >>> import bri_text as bt
    >>> plans = bt.load_bri_policies().subset(doc_id=["bri12", "bri21"])
    >>> sheet = bt.pmc_sheet(plans)
    >>> x2 = sheet[sheet["main"] == "X2"].set_index(["doc_id", "sub"])
    >>> int(x2.loc[("bri12", "X2:2"), "score"]), x2.loc[("bri12", "X2:2"), "matched"]
    (1, '2017—2020年 (4 years: medium, 3 to 5 years)')
    >>> int(x2.loc[("bri21", "X2:3"), "score"])
    1
    """
    table = load_indicators(indicators)
    units, docs = _units_of(corpus_or_units)
    unit_codes = _codes_by_unit(codes, units, code_map)
    absent = sorted({c for r in table["rule"] for c, _, _ in r.metadata
                     if c != "period" and c not in docs.columns})
    if absent:
        warnings.warn(f"pmc_sheet: the corpus has no column(s) {absent}; the sub-variables "
                      "whose metadata rule reads them are 0 unless a phrase or code fills "
                      "them", stacklevel=2)
    by_doc: dict[str, list[tuple[str, str]]] = {}
    u = units.docs
    for uid, parent, text in zip(u["doc_id"], u["parent_id"], u["text"]):
        by_doc.setdefault(str(parent), []).append((str(uid), str(text)))
    rows, covers, titled, bare = [], {}, {}, []
    for meta in docs.to_dict("records"):
        doc_id = str(meta["doc_id"])
        title = meta.get("title")
        title = "" if title is None or (not isinstance(title, str) and pd.isna(title)) \
            else str(title)
        doc_units, head = by_doc.get(doc_id, []), []
        period = _document_period(title, meta.get("year"), doc_units)
        k = _cover_notice(doc_units)
        cover, body = doc_units[:k], doc_units[k:]
        if k:                      # the notice's list of attachments belongs to the cover
            cover += [u for u in body if _ATTACHMENT.match(u[1]) and len(u[1]) <= 120]
            body = [u for u in body if u not in cover]
        heads = _title_lines(title, body, cover)
        if heads:                  # a title line names the plan, it is not a provision
            titled[doc_id] = heads
            head = [u for u in body if u[0] in heads]
            body = [u for u in body if u[0] not in heads]
        if k:
            covers[doc_id] = [uid for uid, _ in cover]
            if sum(len(t) for _, t in body) < _COVER_ONLY:
                bare.append(doc_id)
        for ind in table.to_dict("records"):
            rule = ind["rule"]
            score, uid, evidence, matched, n = _fill(rule, body, unit_codes, meta,
                                                     period, doc_id)
            note = None
            for where, lines, why in (("the cover notice", cover, "not the plan"),
                                      ("a title line", head, "not a provision")):
                if score or note or not lines or not rule.phrases + rule.codes:
                    continue
                found = _fill(_Rule(rule.phrases, rule.codes, ()), lines, unit_codes, meta,
                              None, doc_id)
                if found[0]:
                    note = f"only {where} names it ({found[1]}: {found[3]}), {why}: not counted"
            rows.append({"doc_id": doc_id, "title": title, "main": ind["main"],
                         "main_name": ind["main_name"], "sub": ind["sub"],
                         "sub_name": ind["sub_name"], "counted": ind["counted"],
                         "auto_score": score, "score": score, "unit_id": uid,
                         "evidence": evidence, "matched": matched, "n_units": n,
                         "rule": rule.describe(), "note": note})
    if bare:
        warnings.warn(f"pmc_sheet: {len(bare)} document(s) hold little more than a notice that "
                      f"forwards a plan ({', '.join(bare)}): the plan itself is not in the "
                      "text (an attachment left out?), and the notice's cover is not scored; "
                      "add the plan's text or score these documents by hand", stacklevel=2)
    sheet = pd.DataFrame(rows, columns=list(SHEET_COLUMNS))
    sheet.attrs["cover_notice"] = covers
    sheet.attrs["title_lines"] = titled
    return sheet
