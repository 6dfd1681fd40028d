"""Dates in metadata: parsing common formats to ISO and recognising a table's date column
(``date=``, a ``date`` column, or a column named like one), shared by every reader and by
:meth:`bri_text.Corpus.from_dataframe`."""
from __future__ import annotations

import re
import warnings

import pandas as pd

from .errors import MetadataError


#: the digits of a year written in Chinese numerals, digit by digit (二〇一九, 二○一九,
#: 二零一九; 〇 is U+3007, ○ the circle U+25CB, Ｏ/O the letter some typists use)
_CN_DIGITS = {**dict.fromkeys("〇○零Ｏ０O0", 0), **{str(i): i for i in range(1, 10)},
              **{c: i for i, c in enumerate("一二三四五六七八九", 1)}}
_CN_UNIT = "一二三四五六七八九"
#: a month (一 … 十二) and a day (一 … 三十一; 廿 = 20, 卅 = 30) in Chinese numerals
_CN_MONTH = f"(?:十[一二]?|[{_CN_UNIT}])"
_CN_DAY = f"(?:[二三]?十[{_CN_UNIT}]?|[廿卅][{_CN_UNIT}]?|[{_CN_UNIT}])"
_CN_YEAR = "[〇○零Ｏ０O0一二三四五六七八九1-9]{4}"
_CN_NUMERAL = "[〇○零Ｏ０O一二三四五六七八九十廿卅]"
#: a full date in Chinese numerals: 二〇一九年十二月三十一日, 一九九四年十二月二十九日
_CN_DATE = f"{_CN_YEAR}\\s*年\\s*{_CN_MONTH}\\s*月\\s*{_CN_DAY}\\s*[日号]"
_CN_DATE_PARTS = re.compile(f"({_CN_YEAR})\\s*年(?:\\s*({_CN_MONTH}|\\d{{1,2}})\\s*月"
                            f"(?:\\s*({_CN_DAY}|\\d{{1,2}})\\s*(?=[日号]))?)?")


def _cn_number(text: str) -> int:
    """一 … 三十一 (十 = 10, 十二 = 12, 二十一 = 21, 廿 = 20, 卅一 = 31) as an int."""
    if text.isdigit():
        return int(text)
    tens = {"廿": 2, "卅": 3}.get(text[0])
    if tens is not None:
        return tens * 10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    if "十" not in text:
        return _CN_DIGITS[text]
    before, _, after = text.partition("十")
    return (_CN_DIGITS[before] if before else 1) * 10 + (_CN_DIGITS[after] if after else 0)


#: Chinese numerals of a quantity: digits (and 两), the units 十百千 and the myriads 万亿
_CN_QUANTITY = "〇○零一二三四五六七八九两十百千万亿"


def _cn_value(text: str) -> int | None:
    """A quantity written in Chinese numerals as an int: 十二 -> 12, 一百零三 -> 103,
    两千 -> 2000, 三亿五千万 -> 350000000, 一万亿 -> 10**12; digit by digit when it has no
    unit (二〇二五 -> 2025, 三 -> 3); None when ``text`` holds a character that is no
    numeral.

    >>> [_cn_value(t) for t in ("十二", "一百零三", "两千", "三亿五千万", "二〇二五", "十万")]
    [12, 103, 2000, 350000000, 2025, 100000]
    """
    digits = {**_CN_DIGITS, "两": 2}
    if not text or any(c not in digits and c not in "十百千万亿" for c in text):
        return None
    if all(c in digits for c in text):
        return int("".join(str(digits[c]) for c in text))
    total = section = cur = 0
    for c in text:
        if c in digits:
            cur = digits[c]
        elif c in "十百千":
            section += (cur or 1) * {"十": 10, "百": 100, "千": 1000}[c]
            cur = 0
        elif c == "万":
            total += (section + cur or 1) * 10_000
            section = cur = 0
        else:                                   # 亿: everything before it is counted in 亿
            total = (total + section + cur or 1) * 100_000_000
            section = cur = 0
    return total + section + cur


def _arabic_date(text: str) -> str:
    """``text`` with the year, month and day of a date written in Chinese numerals as
    Arabic numbers (the rest unchanged); a year is read digit by digit.

    >>> [_arabic_date(s) for s in ("二〇一九年十二月三十一日", "一九九四年十二月二十九日通过",
    ...                            "二○一九年二月三十日", "二零零八年", "1994年十二月廿九日")]
    ['2019年12月31日', '1994年12月29日通过', '2019年2月30日', '2008年', '1994年12月29日']
    """
    def arabic(m: re.Match) -> str:
        year, month, day = m.groups()
        if not re.search(_CN_NUMERAL, m.group()):
            return m.group()  # 2019年12月: Arabic already
        year = "".join(str(_CN_DIGITS[c]) for c in year)
        out = f"{year}年"
        if month is not None:
            out += f"{_cn_number(month)}月"
        if day is not None:
            out += f"{_cn_number(day)}"
        return out

    if not re.search(_CN_NUMERAL, text):
        return text
    return _CN_DATE_PARTS.sub(arabic, text)


def _parse_date(value) -> str | None:
    """ISO date (YYYY-MM-DD) from a date, datetime, RFC 2822 or common Chinese format,
    in Arabic or Chinese numerals (``二〇一九年十二月三十一日``); None when it is no date
    or no valid one (``2019年2月30日``, ``二〇一九年二月三十日``).

    >>> [_parse_date(v) for v in ("2020年8月5日", "二〇一九年十二月三十一日", "一九九四年十二月二十九日",
    ...                           "二○一九年二月三十日", "Mon, 06 Dec 2021 10:56:51 GMT")]
    ['2020-08-05', '2019-12-31', '1994-12-29', None, '2021-12-06']
    """
    import datetime as _dt
    from email.utils import parsedate_to_datetime

    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.strftime("%Y-%m-%d")
    s = _arabic_date(str(value).strip())
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", s)
    if m:
        y, mo, d = map(int, m.groups())
        try:
            return _dt.date(y, mo, d).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


# ---------------------------------------------------------------------- date columns
#: column names read as the documents' date (compared lower-case, without spaces, dots,
#: underscores and hyphens): ``Release Time``, ``publish_date``, ``发布时间``...
_DATE_NAMES = frozenset({
    "date", "publishdate", "publisheddate", "publishtime", "publicationdate", "pubdate",
    "releasedate", "releasetime", "issuedate", "issuetime", "issued", "datepublished",
    "发布时间", "发布日期", "发文日期", "发文时间", "成文日期", "成文时间", "印发日期", "印发时间",
    "公布日期", "公布时间", "颁布日期", "颁布时间", "日期", "时间",
    # columns of years: 1954, "1954", "1954年" give the date "1954" and the year
    "年份", "年度", "发布年份", "发文年份", "成文年份", "印发年份", "publishyear", "pubyear"})


#: column names read as the documents' titles (``标题``, ``Policy Title``, ``政策名称``...),
#: compared as date columns are
_TITLE_NAMES = frozenset({"title", "policytitle", "documenttitle", "name", "标题", "题目",
                          "名称", "文件名称", "文件标题", "政策名称", "政策标题", "文件名"})


def _column_key(name) -> str:
    return re.sub(r"[\s._\-/]+", "", str(name)).lower()


_FILE_NAME = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def _title_column(table, exclude=("title", "doc_id", "text")) -> str | None:
    """The column of ``table`` named like a title (:data:`_TITLE_NAMES`: ``标题``,
    ``Policy Title``...), other than those in ``exclude``, unless it holds file names
    (``文件名``: gansu.txt); None when there is none. The one rule of the readers
    (``read_excel``, ``read_csv``, ``read_jsonl``, ``read_files``' metadata) and the
    report.

    >>> import pandas as pd
    >>> _title_column(pd.DataFrame({"序号": [1], "标题": ["数字经济规划"], "正文": ["推进。"]}))
    '标题'
    """
    for col in table.columns:
        if col in exclude or _column_key(col) not in _TITLE_NAMES:
            continue
        values = table[col].dropna().astype(str)
        if len(values) and values.str.contains(_FILE_NAME).mean() < 0.5:
            return col
    return None


_YEAR = re.compile(r"^(\d{4})\s*年?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _iso_value(v) -> str | None:
    """One value as an ISO date, or as a year or month where it gives no more (``1954``,
    ``"1954年"`` -> ``"1954"``; ``"2015年3月"`` -> ``"2015-03"``; ``20210308`` ->
    ``"2021-03-08"``), in Arabic or Chinese numerals (``"二〇一九年"`` -> ``"2019"``); None if
    it is missing or no date.

    >>> [_iso_value(v) for v in (1954, 1954.0, "1954年", "2015-03", "2015年3月", 20210308,
    ...                          "2021年3月8日", "第3条", 12, None)]
    ['1954', '1954', '1954', '2015-03', '2015-03', '2021-03-08', '2021-03-08', None, None, None]
    >>> [_iso_value(v) for v in ("二〇一九年", "二〇一九年十二月", "二〇一九年十二月三十一日", "二〇一九年二月三十日")]
    ['2019', '2019-12', '2019-12-31', None]
    """
    import numpy as np

    if _missing(v) or isinstance(v, (bool, np.bool_)):
        return None
    if isinstance(v, (int, np.integer)) or (isinstance(v, (float, np.floating))
                                            and float(v).is_integer()):
        v = str(int(v))
    if isinstance(v, str):
        s = _arabic_date(v.strip())  # 二〇一九年 -> 2019年
        m = _YEAR.match(s)
        if m:
            return m.group(1) if 1000 <= int(m.group(1)) <= 2999 else None
        m = _MONTH.match(s)
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}" if 1 <= int(m.group(2)) <= 12 else None
        m = _COMPACT.match(s)
        if m:
            s = "-".join(m.groups())
        return _parse_date(s)
    return _parse_date(v)


def _iso_dates(values) -> list:
    """ISO date strings (None where a value is missing or is no date); a year or a month
    (``2015``, ``2015-03``: the built-in corpus has such dates) stays a year or a month."""
    return [_iso_value(v) for v in values]


def _missing(v) -> bool:
    try:
        return bool(pd.isna(v)) or (isinstance(v, str) and not v.strip())
    except (TypeError, ValueError):
        return False


def _date_source(df: pd.DataFrame, date, where: str) -> str | None:
    """The column holding the documents' dates: ``date`` when given, else a ``date``
    column, else, of the columns with a date-like name (:data:`_DATE_NAMES`, years
    included) whose values are mostly dates, the one that dates the most documents, else
    the one datetime column; None if there is none."""
    if date is not None:
        if date not in df.columns:
            raise MetadataError(f"{where}: date column {date!r} not found; columns present: "
                                f"{list(df.columns)}")
        return date
    if "date" in df.columns:
        return "date"
    best, most = None, 0
    for col in df.columns:
        if _column_key(col) in _DATE_NAMES and col != "text":
            present = [v for v in df[col] if not _missing(v)]
            n = sum(d is not None for d in _iso_dates(present))
            # mostly dates; of several such columns the one that dates most documents
            if present and n >= 0.8 * len(present) and n > most:
                best, most = col, n
    if best is not None:
        return best
    dated = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
    return dated[0] if len(dated) == 1 else None


def _year_gaps(docs: pd.DataFrame, date: str) -> pd.Series:
    """Which documents have no value in ``date`` but a whole year in ``year`` (a boolean
    Series on ``docs``' index; all False when ``date`` is ``year`` or there is no ``year``):
    those that :func:`_years_as_dates` dates by their year.

    >>> d = pd.DataFrame({"date": [None, "2026-01-23", None], "year": [2019, 2026, None]})
    >>> _year_gaps(d, "date").tolist()
    [True, False, False]
    """
    if date == "year" or "year" not in docs.columns:
        return pd.Series(False, index=docs.index)
    value = docs[date] if date in docs.columns else pd.Series(None, index=docs.index)
    year = pd.to_numeric(docs["year"], errors="coerce")
    return ((value.isna() | (value.astype(str).str.strip() == "")) & year.notna()
            & (year == year.round()))


def _years_as_dates(docs: pd.DataFrame, date: str) -> pd.DataFrame:
    """``docs`` with a document's ``year`` as its ``date`` where it has a year but no date
    (:func:`_year_gaps`): a year-only date, later than every document of the years before,
    'order unknown' beside those of its own year, no lag in days. The one rule of
    ``bt.diffusion`` (which warns about it) and of the report's dates (its page says it):
    46 of the 52 work reports have a ``year`` and no ``date``.

    >>> d = pd.DataFrame({"doc_id": ["wr2019", "gx"], "date": [None, "2026-01-23"],
    ...                   "year": [2019, 2026]})
    >>> _years_as_dates(d, "date")["date"].tolist()
    ['2019', '2026-01-23']
    """
    missing = _year_gaps(docs, date)
    if not missing.any():
        return docs
    filled = (docs[date].astype(object).copy() if date in docs.columns
              else pd.Series(None, index=docs.index, dtype=object))
    filled[missing] = [str(int(y)) for y in pd.to_numeric(docs.loc[missing, "year"])]
    return docs.assign(**{date: filled})


def _derive_dates(df: pd.DataFrame, date=None, where: str = "from_dataframe",
                  read=()) -> tuple[pd.DataFrame, dict]:
    """(``df`` with ``date`` as ISO strings and ``year`` derived, what was derived).

    ``read`` names the columns (``date``, ``year``) that were read from the documents'
    text (bylines, front matter) rather than given by the user: a date column of the
    user's (``date=``, or one found by name) comes first, and the dates read from the text
    only fill its gaps.

    The date column (see :func:`_date_source`) is read with :func:`_parse_date`: a new
    ``date`` column holds the ISO dates (the source column is kept as it is), or a
    ``date`` column of datetimes or other formats is rewritten as ISO strings when every
    value is a date. ``year`` (Int64) is added from ``date`` when the table has none. A
    column of the user's is never overwritten: values that are no date are warned about
    and the column left as it was.

    >>> df = pd.DataFrame({"Release Time": ["2021年3月8日", "2022/5/6"], "text": ["甲", "乙"]})
    >>> out, derived = _derive_dates(df)
    >>> out[["date", "year"]].values.tolist()
    [['2021-03-08', 2021], ['2022-05-06', 2022]]
    >>> derived["date"]
    "from column 'Release Time' (2 of 2 documents dated)"
    >>> df = pd.DataFrame({"年份": [1954, 2025], "text": ["甲", "乙"]})   # a column of years
    >>> _derive_dates(df)[0][["date", "year"]].values.tolist()
    [['1954', 1954], ['2025', 2025]]
    """
    if date is False:  # a caller that chose for several tables found no date column
        return df, {}
    read = [c for c in read if c in df.columns] if date != "date" else []
    from_text = None
    if "date" in read and _date_source(df.drop(columns=read), date, where) is not None:
        from_text, df = df["date"], df.drop(columns=read)  # the user's column comes first
    source = _date_source(df, date, where)
    if source is None:
        return df, {}
    values = df[source]
    iso = _iso_dates(values)
    present = [not _missing(v) for v in values]
    bad = [v for v, ok, d in zip(values, present, iso) if ok and d is None]
    n_present = sum(present)
    derived: dict = {}
    n_dated = n_present - len(bad)
    note = f"from column {source!r} ({n_dated} of {len(df)} documents dated)"
    if from_text is not None:  # gaps filled with the dates the text gives
        filled = [d is None and not _missing(t) for d, t in zip(iso, from_text)]
        iso = [t if f else d for d, t, f in zip(iso, from_text, filled)]
        if any(filled):
            n_dated += sum(filled)
            note += f"; {sum(filled)} more from the files' text"
    if source == "date":
        if bad:
            warnings.warn(f"{where}: {len(bad)} value(s) of the 'date' column are no date "
                          f"(e.g. {[str(v) for v in bad[:3]]}); the column is left as it is "
                          "and no year is derived from it", stacklevel=4)
            return df, {}
        if [d for d, ok in zip(iso, present) if ok] != [v for v, ok in zip(values, present)
                                                          if ok]:
            df = df.assign(date=pd.Series(iso, index=df.index, dtype=object))
            derived["date"] = "column 'date' rewritten as ISO dates (YYYY-MM-DD)"
    else:
        if "date" in df.columns:
            raise MetadataError(f"{where}: date={source!r} would write a 'date' column, but "
                                "the table has one already; rename one of them")
        if bad:
            warnings.warn(f"{where}: {len(bad)} of {n_present} value(s) of column {source!r} "
                          f"are no date (e.g. {[str(v) for v in bad[:3]]}); their 'date' is "
                          f"empty (the column {source!r} is kept as it is)", stacklevel=4)
        df = df.assign(date=pd.Series(iso, index=df.index, dtype=object))
        derived["date"] = note
    if "year" in read and "year" in df.columns:
        # the year the files' text gave yields to the year of the user's date (metadata.csv
        # dating a file as 2022 gives it the year 2022), and fills its gaps
        df = df.assign(year=pd.array([int(d[:4]) if d else (None if pd.isna(y) else int(y))
                                      for d, y in zip(iso, df["year"])], dtype="Int64"))
    own_year = "year" in df.columns and "year" not in read
    if "year" not in df.columns:
        df = df.assign(year=pd.array([int(d[:4]) if d else None for d in iso],
                                     dtype="Int64"))
        derived["year"] = "from date"
    elif own_year:
        df = _fill_years(df, iso, source, where, derived)
    undated = int(pd.isna(df["year"]).sum())
    if undated and n_dated:
        given = (f"neither the table's 'year' column nor column {source!r} gives one; "
                 f"{source!r} dates {n_dated}" if own_year
                 else f"column {source!r} dates {n_dated}")
        warnings.warn(_no_year_message(where, undated, len(df), given), stacklevel=4)
    return df, derived


def _no_year_message(where: str, n_undated: int, n_docs: int, given: str) -> str:
    """The words of the warning about documents with no year where others have one, of the
    readers (:func:`_derive_dates`) and of ``bri_text.distributed.check``; ``given`` says
    what dates the others.

    >>> _no_year_message("read_files", 1, 3, "column 'date' dates 2")[:62]
    "read_files: 1 of 3 documents have no year (column 'date' dates"
    """
    return (f"{where}: {n_undated} of {n_docs} documents have no year ({given}); results by "
            "year or date (trends, the report's order of publication) leave them out. If "
            "another column dates them all, name it with date= (the report's "
            "--date-column; a column of years works)")


def _fill_years(df: pd.DataFrame, iso: list, source: str, where: str,
                derived: dict) -> pd.DataFrame:
    """``df`` with the gaps of the table's own ``year`` column filled with the year of
    ``source``'s date (a year given is never changed), said in a warning and in
    ``derived["year"]``: a table joined from one with years and one with dates only.

    >>> df = pd.DataFrame({"year": [2024, None], "date": ["2024-03-05", "2026-01-23"]})
    >>> d = {}
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     out = _fill_years(df, ["2024-03-05", "2026-01-23"], "date", "from_dataframe", d)
    >>> out["year"].tolist(), d["year"]
    ([2024, 2026], "column 'year' for 1 document(s), from column 'date' for 1")
    """
    years = df["year"].tolist()
    gaps = [_missing(y) and bool(d) for y, d in zip(years, iso)]
    n_filled = sum(gaps)
    if not n_filled:
        return df
    filled = [int(d[:4]) if g else (None if _missing(y) else y)
              for y, d, g in zip(years, iso, gaps)]
    try:
        column = pd.array(filled, dtype="Int64")
    except (TypeError, ValueError):       # years written as text: keep them as they are
        column = pd.Series(filled, index=df.index, dtype=object)
    n_given = sum(not _missing(y) for y in years)
    derived["year"] = (f"column 'year' for {n_given} document(s), from column {source!r} "
                       f"for {n_filled}")
    n_empty = len(years) - n_given
    which = "they take" if n_filled == n_empty else f"{n_filled} of them take"
    warnings.warn(f"{where}: the table's 'year' column is empty for {n_empty} of {len(df)} "
                  f"documents; {which} their year from column {source!r} (years: "
                  f"{n_filled} from {source!r}, {n_given} from 'year' as given). Fill the "
                  "'year' column yourself to choose otherwise", stacklevel=5)
    return df.assign(year=column)


# ---------------------------------------------------------------------- single files
