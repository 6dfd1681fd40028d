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

from .._clauses import _is_fragment
from .._lexicons import _builtin_text
from ..errors import BriTextError, MetadataError, ParameterError
from ._codebook import _user_file_text
from ._coding import _body_spans, _mask_enumerations

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
_BOOK_TITLE_ANY = re.compile(r"《[^》]*》")
_ISSUES = re.compile(r"印发(?P<plan>.{4,}?)(?:的通知)?$")
# a statement of the document's purpose and basis (为…，特制定以下行动计划 / 结合我省实际，制定
#本方案): it names aims, not measures, so instrument codes do not count in it (coders code
# it none: bri24#c0 in the instrument gold); its phrases do (X5:1 为贯彻)
_PURPOSE = re.compile(r"^\s*为(?:了)?[^。！？]*?[，,]\s*(?:现|特|特此)?(?:制定|制订|提出|印发)"
                      r"(?:本|以下|如下)")
# a phrase directly followed by one of these names a government body (科技部, 省教育厅,
# 市教育局, 税务总局, 卫生和计划生育委员会 is not caught); a list of bodies (（责任单位：市金融办、
# 市商务委）) is not read either (_body_spans), nor bodies listed by their fields inside a
# sentence (会同海关、税务、教育等部门: _mask_enumerations masks the items after the first
# with \x01, and a phrase directly before the mask ends the first item): the body's name is
# not the policy's field
_AGENCY = re.compile(r"(?:总局|总署|等部门|部(?!署|分|位)|厅|局(?!面|势)|委(?!托)|\x01)")
# a guiding-principles section (一、指导思想, （二）基本原则, 一、总体思路, （三）功能定位): its
# paragraphs state aims; the instrument gold codes them E_goals (bri12#c6, bri16#c6,
# bri20#c9, bri20#c14, bri20#c16), so of the codes only these are read in them
_GUIDING = re.compile(r"(?:指导思想|基本原则|指导原则|总体思路|目标|定位)[。：:]?$")
_AIMS_CODES = ("E_goals",)
# a background section (（一）重大意义, 一、发展基础, 时代背景, （一）建设基础): the gold codes it
# none (bri14#c5, bri20#c3, bri20#c4, bri13#c9 … c19), so no instrument code is read in it
_BACKGROUND = re.compile(r"(?:重大意义|发展基础|现实基础|建设基础|基础条件|发展现状|面临形势|发展环境"
                        r"|战略机遇|机遇与挑战|时代背景|背景)[。：:]?$")
# a unit that states a goal: a target year (到2025年, 2020年前, 近期目标(2015—2020年)是), 目标是
# or 力争; a row that reads an aims code (X5:2 目标明确, by E_goals) quotes first a unit that
# states a goal, with one of the row's phrases if one does (（二）主要目标。到2018年…), then
# one with a phrase (（四）发展目标), else the first: not the first paragraph whose 开放新格局
# or 规划 the dictionary reads as goals
_STATES_GOAL = re.compile(r"(?:到|至)\s*20\d\d\s*年|20\d\d\s*年(?:底)?前|力争|目标\s*[（(：:是]")
HEADINGS = "@headings"
_PERIODS = {"long": "more than 5 years", "medium": "3 to 5 years", "short": "1 to 2 years"}


@dataclass(frozen=True)
class _Rule:
    phrases: tuple[str, ...]
    codes: tuple[str, ...]
    metadata: tuple[tuple[str, str, tuple[str, ...]], ...]   # (column, op, values)
    masks: tuple[str, ...] = ()      # !指导思想: text a mask covers counts for no phrase
    headings: bool = False           # @headings: a section heading is evidence too

    def describe(self) -> str:
        parts = []
        if self.phrases:
            parts.append("phrases: " + "|".join(self.phrases)
                         + (" (headings too)" if self.headings else ""))
        if self.masks:
            parts.append("not in: " + "|".join(self.masks))
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
    entries = _split(phrases)
    flags = [p for p in entries if p.startswith("@")]
    if any(f != HEADINGS for f in flags):
        raise MetadataError(f"{where}: {flags[0]!r} among the phrases: the only flag is "
                            f"{HEADINGS} (section headings are evidence for this row)")
    masks = tuple(p[1:].strip() for p in entries if p.startswith("!") and p[1:].strip())
    rule = _Rule(tuple(p for p in entries if not p.startswith(("@", "!"))), _split(codes),
                 tuple(rules), masks, HEADINGS in flags)
    if (masks or rule.headings) and not rule.phrases:
        raise MetadataError(f"{where}: !mask and {HEADINGS} qualify phrases; give phrases too")
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

def _quote(text: str, phrase: str, at: int | None = None) -> str:
    """The clause, or a window around the phrase (at ``at``) when the clause is long."""
    if len(text) <= 2 * _QUOTE + len(phrase):
        return text
    i = max(text.find(phrase), 0) if at is None else at
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


def _blank(text: str, spans) -> str:
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _find_phrase(rule: _Rule, text: str):
    """(phrase, position) of the first of the rule's phrases in ``text`` that counts, or
    None. Not counted: a phrase inside a title in 《》 (a cited document names its own
    field, not this one's: 《外商投资产业指导目录》), inside one of the row's ``!`` masks
    (指导 in 指导思想) or naming a government body (科技 in 科技部, 教育 in 省教育厅, 教育 in
    会同财政、教育等部门).

    >>> r = _Rule(("指导", "科技"), (), (), ("指导思想",))
    >>> _find_phrase(r, "一、指导思想。落实科技部《科技创新指导意见》。"), _find_phrase(r, "加强指导。")
    (None, ('指导', 2))
    >>> _find_phrase(r, "会同科技、财政等部门。"), _find_phrase(r, "会同财政、科技等部门推进科技合作。")
    (None, ('科技', 12))
    """
    if not any(p in text for p in rule.phrases):
        return None
    spans = [m.span() for m in _BOOK_TITLE_ANY.finditer(text)] + _body_spans(text)
    for mask in rule.masks:
        spans += [m.span() for m in re.finditer(re.escape(mask), text)]
    seen = _mask_enumerations(_blank(text, spans))
    for p in rule.phrases:
        for m in re.finditer(re.escape(p), seen):
            if not _AGENCY.match(seen, m.end()):
                return p, m.start()
    return None


def _fill(rule: _Rule, units, unit_codes, meta, period, doc_id, only_codes=None):
    """(score, unit_id, evidence, matched, n_units) of one document and sub-variable;
    ``only_codes``: unit id -> the instrument codes read in it (a statement of purpose
    none, a guiding-principles paragraph E_goals; other units every code). The first
    matching unit is quoted; for a row that reads an aims code (E_goals) the first that
    states a goal (:data:`_STATES_GOAL`: 到2025年, 力争, 目标是) and has one of the row's
    phrases (主要目标), else the first that states a goal, else the first with a phrase
    (发展目标), else the first."""
    hits, first = 0, None
    best: dict[int, tuple] = {}     # rank -> the first unit of that rank (aims rows)
    use_codes = bool(rule.codes)
    goals = any(c in _AIMS_CODES for c in rule.codes)
    only_codes = only_codes or {}
    for uid, text in units:
        found = None
        if use_codes:
            allowed = only_codes.get(uid)
            found = next(((f"code {c}" + (f" ({ev})" if ev else ""),
                           _quote(text, ev if ev and ev in text else ""))
                          for c, ev in unit_codes.get(uid, ())
                          if _code_matches(c, rule.codes)
                          and (allowed is None or c in allowed)), None)
        if found is None and rule.phrases:
            at = _find_phrase(rule, text)
            if at is not None:
                found = at[0], _quote(text, at[0], at[1])
        if found is not None:
            hits += 1
            first = first or (uid, found[1], found[0])
            if goals:
                at = _find_phrase(rule, text) if rule.phrases else None
                named = at and (uid, _quote(text, at[0], at[1]), at[0])
                states = _STATES_GOAL.search(text) is not None
                for rank, ok, cell in ((0, states and named, named),
                                       (1, states, (uid, found[1], found[0])),
                                       (2, named, named)):
                    if ok and rank not in best:
                        best[rank] = cell
    if first is not None:
        return 1, *(best[min(best)] if best else first), hits
    found = _check_meta(rule, meta, period, doc_id)
    if found is not None:
        return 1, *found, 0
    return 0, None, None, None, 0


def _not_provisions(u: pd.DataFrame) -> dict[str, str]:
    """unit id -> ``"heading"`` (a section heading: ``is_heading``), ``"line"`` (an
    unnumbered line with no provision: a table cell, a date, a signature, a list of
    titles) or ``"contents"`` (a table of contents), for the units that are no provision;
    the rule of ``bt.instrument_shares`` (clause corpora only: paragraphs have no
    headings)."""
    out: dict[str, str] = {}
    if "is_heading" in u.columns:
        for uid, h in zip(u["doc_id"], u["is_heading"]):
            if not pd.isna(h) and bool(h):
                out[str(uid)] = "heading"
    if "clause_kind" in u.columns:
        for uid, kind, text in zip(u["doc_id"], u["clause_kind"], u["text"]):
            if kind == "contents":
                out[str(uid)] = "contents"
            elif kind in ("paragraph", "sentence") and str(uid) not in out \
                    and _is_fragment(str(text)):
                out[str(uid)] = "line"
    return out


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
    read the title (``period`` from its years). Nor is a section heading (一、指导思想 does
    not show that the policy guides) or a line with no provision (a list of bodies, a
    cited title alone; ``attrs["headings"]``), except for the rows marked ``@headings``,
    whose question is a section (the plan's own 三、重点任务 and 四、保障措施 are what X5:3
    and X5:4 ask for). A phrase in a cited title 《…》, directly before 部/厅/局/委/总局 (科技 in
    省科技厅), in a list of bodies (（责任单位：…）) or inside one of the row's ``!`` masks (指导 in 指导思想) does not count.
    Instrument codes are not read in aims: a statement of purpose (为…，特制定以下行动计划,
    ``attrs["purpose"]``) and a background section (重大意义) read none, a guiding-principles
    or goals section (指导思想, 基本原则, 发展目标) ``E_goals`` only, the codes the coders
    of the instrument gold give them.

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
    not_provision = _not_provisions(u)
    guiding, background = set(), set()
    if "heading_path" in u.columns:
        for uid, path in zip(u["doc_id"], u["heading_path"]):
            last = path.split(" > ")[-1] if isinstance(path, str) else ""
            if _GUIDING.search(last):
                guiding.add(str(uid))
            elif _BACKGROUND.search(last):
                background.add(str(uid))
    rows, covers, titled, bare, headed, purposes = [], {}, {}, [], {}, {}
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
        # headings and lines with no provision: evidence only for a row marked @headings
        # (a section 三、重点任务 is what X5:3 asks for); tables of contents never
        sections = [u for u in body if not_provision.get(u[0]) in ("heading", "line")]
        provisions = [u for u in body if u[0] not in not_provision]
        if sections:
            headed[doc_id] = [uid for uid, _ in sections]
        # aims, not measures: a statement of purpose reads no instrument code, the
        # paragraphs of a guiding-principles section E_goals only (the coders' codes)
        purpose = [uid for uid, text in body if _PURPOSE.match(text)]
        aims = {uid: () for uid in purpose}
        aims.update({uid: _AIMS_CODES for uid, _ in body
                     if uid in guiding and uid not in aims})
        aims.update({uid: () for uid, _ in body if uid in background})
        aims.update({uid: () for uid in not_provision})
        if purpose:
            purposes[doc_id] = purpose
        with_headings = [u for u in body if not_provision.get(u[0]) != "contents"]
        for ind in table.to_dict("records"):
            rule = ind["rule"]
            score, uid, evidence, matched, n = _fill(
                rule, with_headings if rule.headings else provisions, unit_codes, meta,
                period, doc_id, aims)
            note = None
            own = _Rule(rule.phrases, rule.codes, (), rule.masks, rule.headings)
            for where, lines, why, read in (
                    ("the cover notice", cover, "not the plan", own),
                    ("a title line", head, "not a provision", own),
                    ("a heading or a line with no provision", sections, "not a provision",
                     own),
                    ("a statement of purpose, guiding principles or background",
                     [x for x in provisions if x[0] in aims], "an aim, not a measure",
                     _Rule((), rule.codes, ())),
                    ):
                if score or note or not lines or not read.phrases + read.codes:
                    continue
                found = _fill(read, lines, unit_codes, meta, None, doc_id)
                if found[0]:
                    note = f"only {where} names it ({found[1]}: {found[3]}), {why}: not counted"
            if not score and not note and rule.phrases:
                raw = next(((x, p) for x, text in with_headings for p in rule.phrases
                            if p in text), None)
                if raw:
                    note = (f"{raw[1]} only in a title in 《》, a body's name or a masked "
                            f"phrase ({raw[0]}), not this policy's: not counted")
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
    sheet.attrs["headings"] = headed
    sheet.attrs["purpose"] = purposes
    return sheet
