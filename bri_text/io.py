"""Reading documents: files and folders, CSV/JSONL tables, and policy compendia.

>>> import tempfile
>>> from pathlib import Path
>>> from bri_text.io import read_folder
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = (Path(folder) / "gansu.txt").write_text(
...         "甘肃省参与“一带一路”建设实施方案\\n来源：甘肃省人民政府\\n"
...         "打造丝绸之路经济带甘肃黄金段。", encoding="utf-8")
...     corpus = read_folder(folder, pattern="*.txt")
>>> corpus.docs[["doc_id", "title", "source"]].values.tolist()
[['gansu', '甘肃省参与“一带一路”建设实施方案', '甘肃省人民政府']]
>>> corpus.texts[0].split("\\n")          # the 来源 line went into the metadata
['甘肃省参与“一带一路”建设实施方案', '打造丝绸之路经济带甘肃黄金段。']

Encodings are detected per file (UTF-8 with or without BOM, GB18030/GBK, Big5); a file
that cannot be decoded confidently raises :class:`~bri_text.errors.EncodingError` naming
it, or with ``errors="skip"`` is skipped, warned about and listed in ``corpus.dropped``.
Input files are only ever opened for reading.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from ._files import _parse_date, decode_bytes, split_front_matter, warn_not_chinese
from .corpus import Corpus
from .errors import (
    InputError,
    MetadataError,
    OptionalDependencyError,
)

__all__ = ["read_files", "read_folder", "read_csv", "read_excel", "read_jsonl", "decode_bytes",
           "split_front_matter", "split_compendium", "detect_region"]


def read_files(paths: Iterable, *, metadata=None, clean: bool = True, errors: str = "raise",
               doc_id: str = "stem", boilerplate_min_df=3) -> Corpus:
    """Read text files into a Corpus, one document per file.

    Parameters
    ----------
    paths : iterable of paths (``.txt``, ``.md``, ``.html``/``.htm``; ``.docx`` and ``.pdf``
        with the ``docx`` / ``pdf`` extras).
    metadata : DataFrame or path to a CSV, optional
        One row per file: a ``file`` (or ``filename``) column with the file's name
        (``gansu.txt``; a path is reduced to its name) or a ``doc_id`` column (the name
        without suffix), and any metadata columns (``region``, ``date``, ``level``...).
        A row that matches no file is warned about.
    clean : run :func:`bri_text.clean` (the report is on ``corpus.cleaning_report``, the
        removed text on ``corpus.removed``).
    boilerplate_min_df : lines repeated verbatim in at least this many files (or this
        share of them, a float) are removed as templated site chrome, never a sentence or
        a heading (see :meth:`Corpus.clean`); ``None`` keeps them.
    errors : ``"raise"`` (default) or ``"skip"``: what to do with a file that is empty,
        binary, cannot be decoded confidently, or needs an optional extra that is not
        installed (a ``.pdf`` without ``pypdf``). Skipped files are warned about and listed
        in ``corpus.dropped`` with the reason (for a missing extra, the install command).
    doc_id : ``"stem"`` (file name without suffix) or ``"name"``.

    Metadata: ``file``, ``encoding``, YAML front matter (``title``, ``date``, ...), an HTML
    ``<title>``. A file without front matter gets ``title``, ``date``/``year``, ``source``
    and ``author`` from what its text says (its byline and masthead lines, which cleaning
    removes; see :func:`bri_text.cleaning.remove_bylines`). A document whose letters are
    mostly not Chinese is warned about, by name.
    """
    return Corpus.from_files(paths, metadata=metadata, clean=clean, errors=errors,
                             doc_id=doc_id, boilerplate_min_df=boilerplate_min_df)


def read_folder(path, pattern: str = "*", *, metadata=None, recursive: bool = False,
                clean: bool = True, errors: str = "raise", boilerplate_min_df=3) -> Corpus:
    """Read every matching text file in a folder (``.txt``, ``.md``, ``.html``, ``.htm``,
    ``.docx``, ``.pdf``) into a Corpus; see :func:`read_files` for the options.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     plans = Path(tmp)
    ...     _ = (plans / "gx.txt").write_text("面向东盟开放。", encoding="utf-8")
    ...     _ = (plans / "gs.txt").write_text("向西开放。", encoding="utf-8")
    ...     _ = (plans / "meta.csv").write_text("file,region\\ngx.txt,广西\\ngs.txt,甘肃\\n",
    ...                                         encoding="utf-8")
    ...     corpus = read_folder(plans, pattern="*.txt", metadata=plans / "meta.csv")
    >>> corpus.docs[["doc_id", "region", "text"]].values.tolist()
    [['gs', '甘肃', '向西开放。'], ['gx', '广西', '面向东盟开放。']]
    """
    return Corpus.from_folder(path, pattern, metadata=metadata, recursive=recursive,
                              clean=clean, errors=errors, boilerplate_min_df=boilerplate_min_df)


def _from_table(df: pd.DataFrame, text: str, doc_id, source: str, clean: bool,
                date: str | None = None) -> Corpus:
    if text not in df.columns:
        raise MetadataError(f"{source}: text column {text!r} not found; columns present: "
                            f"{list(df.columns)}; name the column of texts with text=..., "
                            "e.g. text='full_text'")
    if doc_id is None and "doc_id" in df.columns:
        doc_id = "doc_id"  # the table's own ids (as Corpus.from_dataframe does)
    if doc_id is not None:
        if doc_id not in df.columns:
            raise MetadataError(f"{source}: doc_id column {doc_id!r} not found; columns "
                                f"present: {list(df.columns)}")
        ids = df[doc_id]
        empty = ids.isna() | (ids.astype(str).str.strip() == "")
        if empty.any():
            rows = [int(i) + 1 for i in empty[empty].index[:5]]
            raise MetadataError(f"{source}: column {doc_id!r} is empty in {int(empty.sum())} "
                                f"row(s) (data rows {rows}); fill them in or pass doc_id=None "
                                "after dropping the column to number the rows")
        dup = ids.astype(str)[ids.astype(str).duplicated()].unique().tolist()
        if dup:
            hint = (" (numbers restart in each sheet: read one sheet, or make ids such as "
                    f"sheet + '-' + {doc_id!r})" if "sheet" in df.columns else "")
            raise MetadataError(f"{source}: column {doc_id!r} has duplicate values {dup[:5]}; "
                                f"doc_id values must be unique{hint}")
    if date is not None and date not in df.columns:
        raise MetadataError(f"{source}: date column {date!r} not found; columns present: "
                            f"{list(df.columns)}")
    corpus = Corpus.from_dataframe(df, text=text, doc_id=doc_id, date=date)
    if clean:
        corpus = corpus.clean()
    warn_not_chinese(corpus.docs, source)
    corpus._warn_exact_duplicates(source)
    return corpus


def read_csv(path, text: str = "text", doc_id: str | None = None, *, clean: bool = True,
             date: str | None = None, **read_csv_kwargs) -> Corpus:
    """A Corpus from a CSV file with one document per row (encoding detected as for files).

    ``text`` names the column of texts (``text="正文"``, ``text="full_text"``); the other
    columns become metadata. ``doc_id`` names the column of document ids; by default a
    ``doc_id`` column is used when the file has one, else rows are numbered ``doc0, doc1,
    ...``. Empty or duplicated ids raise :class:`~bri_text.errors.MetadataError` naming the
    file and the column.

    Dates: the column ``date`` names, or one the name says is a date (``date``,
    ``publish_date``, ``Release Time``, ``发布时间``, ``发文日期``...), becomes a ``date``
    column of ISO strings and ``year`` (see :meth:`Corpus.from_dataframe`;
    ``corpus.derived`` says what was derived). Any column names work (``No.``,
    ``Policy Title``, ``1级分类``).

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     table = Path(tmp) / "plans.csv"
    ...     _ = table.write_text("编号,省份,正文\\ngx,广西,面向东盟开放。\\n", encoding="utf-8")
    ...     corpus = read_csv(table, text="正文", doc_id="编号")
    >>> corpus.docs.values.tolist()
    [['gx', '面向东盟开放。', '广西']]
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    import io as _io

    raw, _ = decode_bytes(p.read_bytes(), str(p))
    df = pd.read_csv(_io.StringIO(raw), **read_csv_kwargs)
    return _from_table(df, text, doc_id, str(p), clean, date)


def read_jsonl(path, text: str = "text", doc_id: str | None = None, *,
               clean: bool = True, date: str | None = None) -> Corpus:
    """A Corpus from a JSON-lines file (one JSON object per line); ``doc_id`` and ``date``
    as in :func:`read_csv`."""
    import json

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    rows = []
    raw, _ = decode_bytes(p.read_bytes(), str(p))
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise InputError(f"{p}, line {n}: not valid JSON ({e.msg})") from None
    return _from_table(pd.DataFrame(rows), text, doc_id, str(p), clean, date)


def read_excel(path, sheet_name=None, text: str = "text", doc_id: str | None = None, *,
               clean: bool = True, date: str | None = None, **read_excel_kwargs) -> Corpus:
    """A Corpus from an Excel workbook (``.xlsx``) with one document per row.

    ``sheet_name=None`` (default) reads every sheet into one corpus, with the sheet's name
    in a ``sheet`` column; a name or a 0-based index reads one sheet (a list reads
    several). ``text``, ``doc_id`` and ``date`` are as in :func:`read_csv`; any column
    names work (``No.``, ``Release Time``, ``Policy Content``). A missing text column (in
    any sheet read), an unknown sheet, an empty sheet read by name and a file that is not
    a workbook raise :class:`~bri_text.errors.MetadataError` /
    :class:`~bri_text.errors.InputError` naming the file; an empty sheet among all
    sheets is skipped with a warning. ``read_excel_kwargs`` go to :func:`pandas.read_excel`.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book = Path(tmp) / "policies.xlsx"
    ...     with pd.ExcelWriter(book) as w:
    ...         pd.DataFrame({"No.": [1], "Release Time": ["2021-03-08"],
    ...                       "Policy Content": ["推进数字经济发展。"]}).to_excel(
    ...             w, sheet_name="国家", index=False)
    ...         pd.DataFrame({"No.": [1], "Release Time": ["2022-05-06"],
    ...                       "Policy Content": ["建设数字政府。"]}).to_excel(
    ...             w, sheet_name="地方", index=False)
    ...     corpus = read_excel(book, text="Policy Content")
    >>> corpus.docs[["doc_id", "sheet", "date", "year"]].values.tolist()
    [['doc0', '国家', '2021-03-08', 2021], ['doc1', '地方', '2022-05-06', 2022]]
    """
    import warnings

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    sheets = _excel_sheets(p, read_excel_kwargs.get("engine"))
    names = sheets if sheet_name is None else (
        list(sheet_name) if isinstance(sheet_name, (list, tuple)) else [sheet_name])
    chosen = []
    for name in names:
        if isinstance(name, int) and not isinstance(name, bool):
            if not -len(sheets) <= name < len(sheets):
                raise InputError(f"{p}: no sheet number {name}; the workbook has "
                                 f"{len(sheets)} sheet(s): {sheets}")
            name = sheets[name]
        elif name not in sheets:
            import difflib

            close = difflib.get_close_matches(str(name), sheets, n=3, cutoff=0.5)
            raise InputError(f"{p}: no sheet {name!r}; sheets: {sheets}"
                             + (f"; did you mean {close}?" if close else ""))
        chosen.append(name)
    frames = []
    for name in chosen:
        df = pd.read_excel(p, sheet_name=name, **read_excel_kwargs)
        df = df.dropna(how="all")  # rows left blank in the sheet
        if df.empty:
            if sheet_name is None:
                warnings.warn(f"read_excel: {p}, sheet {name!r} is empty; skipped",
                              stacklevel=2)
                continue
            raise InputError(f"{p}, sheet {name!r}: the sheet is empty (no data rows)")
        if text not in df.columns:
            raise MetadataError(f"{p}, sheet {name!r}: text column {text!r} not found; "
                                f"columns present: {list(df.columns)}; name the column of "
                                "texts with text=..., or read other sheets with sheet_name=")
        if len(chosen) > 1:
            if "sheet" in df.columns:
                raise MetadataError(f"{p}, sheet {name!r}: has a 'sheet' column, where "
                                    "read_excel records each row's sheet; rename it or read "
                                    "one sheet (sheet_name=...)")
            df.insert(0, "sheet", name)
        frames.append(df)
    if not frames:
        raise InputError(f"{p}: every sheet is empty ({chosen})")
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(
        drop=True)
    return _from_table(df, text, doc_id, f"{p}" + (f", sheet {chosen[0]!r}" if len(chosen) == 1
                                                   else ""), clean, date)


def _excel_sheets(path: Path, engine=None) -> list:
    """The sheet names of a workbook; InputError naming the file when it is not one."""
    import zipfile

    unreadable: tuple = (ValueError, OSError, KeyError, zipfile.BadZipFile)
    try:
        from openpyxl.utils.exceptions import InvalidFileException

        unreadable += (InvalidFileException,)
    except ImportError:
        pass
    try:
        with pd.ExcelFile(path, engine=engine) as book:
            return list(book.sheet_names)
    except ImportError as e:
        raise OptionalDependencyError(f"{path}: reading this workbook needs {e.name or e}; "
                                      "pip install openpyxl (.xlsx) or xlrd (.xls)") from None
    except unreadable as e:
        raise InputError(f"{path}: not an Excel workbook that can be read ({type(e).__name__}:"
                         f" {e}); save it as .xlsx, or use read_csv for a .csv file") from None


# ---------------------------------------------------------------------- compendia
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
    from ._lexicons import load_provinces

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
    """
    from .cleaning import DEFAULT_STEPS
    from .cleaning import clean as _clean

    if clean:
        # the 发布时间： / 来源： lines are the compendium's structure: keep them
        text = _clean(text, [s for s in DEFAULT_STEPS if s != "remove_bylines"])
    lines = text.split("\n")
    starts = [i for i, l in enumerate(lines) if _DATE_LINE.match(l)]
    if not starts:
        raise InputError(f"{source_name}: no '发布时间：' lines found; is this a compendium?")
    docs = []
    section = None
    section_at = {}
    for i, l in enumerate(lines):
        m = _SECTION_LINE.match(l)
        if m:
            section = m.group(1)
        section_at[i] = section
    # each document: title line(s) before its date line, body until the next title
    title_starts = []
    for k, i in enumerate(starts):
        prev_end = starts[k - 1] + 1 if k else 0
        j = i - 1
        while j >= prev_end and not lines[j].strip():
            j -= 1
        title_starts.append(j)
    for k, i in enumerate(starts):
        t_idx = title_starts[k]
        title = lines[t_idx].strip() if t_idx >= 0 else ""
        if _SECTION_LINE.match(title) or _ATTACHMENT.match(title):
            title = ""
        meta = {"title": title}
        m = _DATE_LINE.match(lines[i])
        meta["date"] = _parse_date(m.group(1))
        meta["year"] = int(meta["date"][:4]) if meta["date"] else None
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
        end = title_starts[k + 1] if k + 1 < len(starts) else len(lines)
        body_lines = [l for l in lines[j:end] if not _SECTION_LINE.match(l)]
        meta.update(source=source, doc_number=doc_number, section=section_at.get(t_idx, None))
        docs.append({"text": "\n".join(body_lines).strip(), **meta})
    for d in docs:
        region, city = detect_region(d["title"], d["source"] or "")
        subject_city = _subject_city(d["title"])
        if subject_city:
            city = subject_city
        elif city and not d["title"].startswith(city):
            city = None  # a city named in the source (a website) is not the document's city
        d["region"], d["city"] = region, city
        d["level"] = _level(d["title"], region, city)
    df = pd.DataFrame(docs)
    width = max(2, len(str(len(df))))
    df.insert(0, "doc_id", [f"bri{n:0{width}d}" for n in range(1, len(df) + 1)])
    cols = ["doc_id", "text", "title", "date", "year", "source", "doc_number", "section",
            "region", "city", "level"]
    return Corpus._drop_empty(df[cols], True, where="split_compendium", name=source_name)


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
    from ._lexicons import load_provinces

    prov = load_provinces()
    cities = sorted(prov.loc[prov["kind"] == "city", "name"], key=len, reverse=True)
    inner = re.findall(r"[《<]([^》>]+)[》>]", title)
    for text in [title] + inner:
        for c in cities:
            if text.startswith(c):
                return re.sub(r"市$", "", c)
    return None
