"""Tables of documents, one per row: CSV, JSON Lines and Excel workbooks."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._dates import _title_column
from ..corpus import Corpus, _text_column_hint
from ..errors import InputError, MetadataError, OptionalDependencyError
from ._files import decode_bytes, warn_not_chinese


#: Excel keeps at most this many characters in a cell: longer texts are cut to it
_EXCEL_CELL_LIMIT = 32767


def from_table(df: pd.DataFrame, text: str, doc_id, source: str, clean: bool,
               date: str | None = None, keep_apparatus: bool = False,
               document: str | None = None) -> Corpus:
    """A Corpus of a table's rows (:func:`table_frame`), as the table readers make it:
    the text and id columns checked (errors name ``source``), dates derived (``date=False``:
    none, for a caller that chose the date column of several tables and found none),
    cleaned when ``clean``; texts mostly not Chinese and exact copies warned about."""
    if text not in df.columns:
        raise MetadataError(f"{source}: text column {text!r} not found; columns present: "
                            f"{list(df.columns)}; {_text_column_hint(df)}")
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
    if isinstance(date, str) and date not in df.columns:
        raise MetadataError(f"{source}: date column {date!r} not found; columns present: "
                            f"{list(df.columns)}")
    # a column named like a title (标题, Policy Title) gives ``title``, as in read_files'
    # metadata and the report (audit s40: read_excel made none from 标题)
    title = None if "title" in df.columns else _title_column(
        df, exclude=("title", text, doc_id, "doc_id"))
    if title is not None:
        df = df.assign(title=df[title])
    corpus = Corpus.from_dataframe(df, text=text, doc_id=doc_id, date=date, table_name=source,
                                   document=document)
    if title is not None:
        corpus.derived["title"] = f"from column {title!r}"
    if clean:
        corpus = corpus.clean(keep_apparatus=keep_apparatus)
    warn_not_chinese(corpus.docs, source)
    corpus._warn_exact_duplicates(source)
    return corpus


def read_csv(path, text: str = "text", doc_id: str | None = None, *, clean: bool = True,
             date: str | None = None, keep_apparatus: bool = False,
             document: str | None = None, **read_csv_kwargs) -> Corpus:
    """A Corpus from a CSV file with one document per row (encoding detected as for files).

    ``text`` names the column of texts (``text="正文"``, ``text="full_text"``); the other
    columns become metadata. ``clean=True`` cleans the texts as :meth:`Corpus.clean`
    does, which removes an official document's (公文's) apparatus (number line, addressee
    line, signature block, ``抄送：`` / ``印发`` lines; logged in ``corpus.removed``);
    ``keep_apparatus=True`` keeps these lines, as in :func:`bri_text.read_files`.
    ``doc_id`` names the column of document ids; by default a
    ``doc_id`` column is used when the file has one, else rows are numbered ``doc0, doc1,
    ...``. Empty or duplicated ids raise :class:`~bri_text.errors.MetadataError` naming the
    file and the column.

    Dates: the column ``date`` names, or one the name says is a date (``date``,
    ``publish_date``, ``Release Time``, ``发布时间``, ``发文日期``...), becomes a ``date``
    column of ISO strings and ``year`` (see :meth:`Corpus.from_dataframe`;
    ``corpus.derived`` says what was derived). A column named like a title (``标题``,
    ``题目``, ``Policy Title``, ``政策名称``...; the list the report and
    :func:`bri_text.read_files`' metadata use) is copied to ``title`` when there is none.
    Any column names work (``No.``, ``Policy Title``, ``1级分类``).

    A table with one row per section (or chapter, part) of a document: ``document`` names
    the column saying which document each row belongs to (``document="年份"`` when each
    year has one report, a title or a file number). It becomes ``parent_id``, by which
    every document-level test (``keyness(measure="permutation")``, the report's), bootstrap
    interval and count of documents counts whole documents; without it each row is a
    document, and rows that look like parts of fewer documents are warned about once
    (see :meth:`Corpus.from_dataframe`).

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     table = Path(tmp) / "plans.csv"
    ...     _ = table.write_text("编号,省份,正文\\ngx,广西,面向东盟开放。\\n", encoding="utf-8")
    ...     corpus = read_csv(table, text="正文", doc_id="编号")
    >>> corpus.docs.values.tolist()
    [['gx', '面向东盟开放。', '广西']]
    """
    df = table_frame(path, "csv", **read_csv_kwargs)
    return from_table(df, text, doc_id, str(path), clean, date, keep_apparatus, document)


def read_jsonl(path, text: str = "text", doc_id: str | None = None, *,
               clean: bool = True, date: str | None = None,
               keep_apparatus: bool = False, document: str | None = None) -> Corpus:
    """A Corpus from a JSON-lines file (one JSON object per line); ``doc_id``, ``date``,
    ``keep_apparatus`` and ``document`` as in :func:`read_csv`.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     table = Path(tmp) / "plans.jsonl"
    ...     _ = table.write_text('{"doc_id": "gx", "region": "广西", "text": "面向东盟开放。"}\\n',
    ...                          encoding="utf-8")
    ...     corpus = read_jsonl(table)
    >>> corpus.docs.values.tolist()
    [['gx', '面向东盟开放。', '广西']]
    """
    return from_table(table_frame(path, "jsonl"), text, doc_id, str(path), clean, date,
                      keep_apparatus, document)


def table_frame(path, kind: str, **read_csv_kwargs) -> pd.DataFrame:
    """The rows of a CSV (``kind="csv"``) or JSON-lines (``"jsonl"``) file as
    :func:`read_csv` / :func:`read_jsonl` read them (encoding detected, every column
    kept), before a column is taken as the text, the ids or the dates
    (:func:`from_table`); ``bri_text.distributed`` reads shards with it."""
    import json

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    raw, _ = decode_bytes(p.read_bytes(), str(p))
    if kind == "csv":
        import io as _io

        return pd.read_csv(_io.StringIO(raw), **read_csv_kwargs)
    rows = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise InputError(f"{p}, line {n}: not valid JSON ({e.msg})") from None
    return pd.DataFrame(rows)


def read_excel(path, sheet_name=None, text: str = "text", doc_id: str | None = None, *,
               clean: bool = True, date: str | None = None, keep_apparatus: bool = False,
               document: str | None = None, **read_excel_kwargs) -> Corpus:
    """A Corpus from an Excel workbook (``.xlsx``) with one document per row.

    ``sheet_name=None`` (default) reads every sheet into one corpus, with the sheet's name
    in a ``sheet`` column; a name or a 0-based index reads one sheet (a list reads
    several). ``text``, ``doc_id``, ``date``, ``keep_apparatus`` and ``document`` (the
    column naming each row's document, when rows are sections) are as in
    :func:`read_csv`; any column
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
                                f"columns present: {list(df.columns)}; {_text_column_hint(df)}, "
                                "or read other sheets with sheet_name=")
        cut = df[text].astype(str).str.len() == _EXCEL_CELL_LIMIT
        if cut.any():
            rows = [int(i) + 2 for i in cut[cut].index[:5]]     # the sheet's row numbers
            warnings.warn(f"read_excel: {p}, sheet {name!r}: {int(cut.sum())} text(s) have "
                          f"exactly {_EXCEL_CELL_LIMIT:,} characters, Excel's limit for a "
                          f"cell, so they were probably cut when the workbook was written "
                          f"(rows {rows}); read the texts from a CSV or text files instead",
                          stacklevel=2)
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
    return from_table(df, text, doc_id, f"{p}" + (f", sheet {chosen[0]!r}" if len(chosen) == 1
                                                   else ""), clean, date, keep_apparatus,
                      document)


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
