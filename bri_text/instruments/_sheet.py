"""The coding sheet: clauses written to an .xlsx workbook for coders to code by hand (one
column per coder, a drop-down list of the codes, each clause with its context), and read
back as a table of codes for :func:`reliability` (from the .xlsx, or from the sheet a
coder saved as CSV)."""
from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .._lexicons import _user_path
from ..errors import InputError, MetadataError, ParameterError
from .._util import check_scalar
from ._reliability import _clean, _is_missing

SHEET, CODEBOOK, ABOUT = "coding", "codebook", "about"
#: the sheet's columns other than the coders', in order (``before`` / ``after`` only with
#: context, ``suggested`` / ``evidence`` only with pre-codes)
FIXED = ("doc_id", "document", "clause", "before", "text", "after", "suggested", "evidence")
_WIDTHS = {"doc_id": 16, "document": 26, "clause": 24, "before": 34, "text": 60, "after": 34,
           "suggested": 18, "evidence": 24}
_CODEBOOK_COLUMNS = ("code", "name", "parent", "dimension", "definition", "phrases", "examples")
_MAX_CELL = 32_767                                # Excel's limit on the characters of a cell
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")   # not allowed in an .xlsx cell


# ---------------------------------------------------------------------- codes
def _codebook_table(codes, dimension, where: str) -> pd.DataFrame:
    """The codes as a table with a ``code`` column (and whatever of name, parent,
    dimension, definition, phrases, examples the codebook has), in the codebook's order."""
    table = getattr(codes, "table", codes)
    if isinstance(table, pd.DataFrame):
        if "code" not in table.columns:
            raise ParameterError(f"{where}: codes has no 'code' column; columns present: "
                                 f"{list(table.columns)}")
        table = table[[c for c in _CODEBOOK_COLUMNS if c in table.columns]].copy()
        dims = list(dict.fromkeys(table["dimension"].dropna())) \
            if "dimension" in table.columns else []
        if dimension is None and dims:     # a cell holds one code: the first dimension
            dimension = dims[0]
        if dimension is not None:
            if dimension not in dims:
                raise ParameterError(f"{where}: dimension={dimension!r} is not in the "
                                     f"codebook; its dimensions: {dims}")
            table = table[table["dimension"] == dimension]
    elif isinstance(codes, str) or not hasattr(codes, "__iter__"):
        raise ParameterError(f"{where}: codes must be a Codebook, a table with a 'code' "
                             f"column or a list of codes, got {type(codes).__name__}")
    else:
        table = pd.DataFrame({"code": list(codes)})
    table = table.reset_index(drop=True)
    if _is_missing(table["code"].tolist()).any():
        raise ParameterError(f"{where}: codes has a blank code")
    table["code"] = _clean(table["code"].tolist())
    dup = table["code"][table["code"].duplicated()].tolist()
    if dup:
        raise ParameterError(f"{where}: codes lists {dup[:10]} more than once")
    if table.empty:
        raise ParameterError(f"{where}: codes is empty: the coders need codes to choose from")
    return table


def _with_none(table: pd.DataFrame, codes) -> pd.DataFrame:
    """A Codebook's dimension with its no-code code: a second dimension (targets, an
    industry chain's stages) rarely lists one, but a clause may serve none of them, which
    :func:`code_clauses` codes ``none``; without it in the list a coder could only leave
    the cell blank, read as "not coded yet", and the clause left the agreement."""
    if not hasattr(codes, "none_code") or "dimension" not in table.columns:
        return table
    dim = table["dimension"].iloc[0]
    none = codes.none_code(dim)
    if none in set(table["code"]):
        return table
    row = {"code": none, "name": f"无 (no {dim})", "dimension": dim,
           "definition": f"The clause has none of the codes of {dim}."}
    return pd.concat([table, pd.DataFrame([{c: row.get(c) for c in table.columns}])],
                     ignore_index=True)


def _code_lookup(codes: list, names: dict | None = None) -> tuple[dict, dict]:
    """(a sheet cell's text -> the code, the keys of that lookup that are not the code
    itself but what coders type instead: another case, ``s_infra``, or the code's name in
    the codebook, ``基础设施`` or ``人才`` of ``人才 talent``). Cells hold numbers as numbers,
    codes may be either; a name or case two codes share is no key (ambiguous), nor is one
    that is another code."""
    from collections import defaultdict

    exact = {_cell_key(c): c for c in codes}
    alias = defaultdict(set)
    for c in codes:
        alias[_cell_key(c).casefold()].add(c)
        name = _cell_key((names or {}).get(c, ""))
        if name:
            alias[name].add(c)
            first, _, rest = name.partition(" ")      # 人才 talent: 人才, talent
            for part in (first, rest.strip()):
                if part:
                    alias[part].add(c)
    aliases = {k: next(iter(v)) for k, v in alias.items()
               if len(v) == 1 and k not in exact and k.casefold() not in
               {e.casefold() for e in exact if exact[e] not in v}}
    return {**aliases, **exact}, aliases


#: what stands between a code and its name in one cell (after NFKC: （ is "("), stripped
_BETWEEN = " \t\n()[]{}<>【】〔〕《》「」『』“”\"'‘’:-—–_/|、,;.。·"


def _code_and_name(key: str, lookup: dict):
    """The code of a cell holding a code beside its name, in either order and with or
    without brackets (``S_infra 基础设施``, ``S_infra（基础设施）``, ``基础设施 S_infra``):
    the cell starts or ends with a code (any case) and the rest is that code's name
    (a key of ``lookup`` that gives the same code). None when no code, or more than one,
    is written so (``S_infra 人才培养``: the name of another code)."""
    found = set()
    first, last = key.lstrip(_BETWEEN), key.rstrip(_BETWEEN)     # 【none】, （S_infra）
    for code in set(lookup.values()):
        ck = _cell_key(code)
        n = len(ck)
        if not n:
            continue
        for head, rest in ((first[:n], first[n:]), (last[-n:], last[:-n])):
            if head.casefold() != ck.casefold():
                continue
            # the name as written (无 (no 产业链环节)), or without what stands between
            if any(r and lookup.get(r) == code for r in (rest.strip(), rest.strip(_BETWEEN))):
                found.add(code)
    return found.pop() if len(found) == 1 else None


def _lookup_code(key: str, lookup: dict):
    """A cell's key as a code: the code, a name or case of it (``lookup``), or a code
    beside its name (:func:`_code_and_name`); None when it is none of these."""
    return lookup[key] if key in lookup else _code_and_name(key, lookup)


def _cell_key(value) -> str:
    """A cell as the text it shows, Unicode-normalised (NFKC: the full-width ``Ｓ＿ｉｎｆｒａ``
    a Chinese input method types is ``S_infra``) and stripped."""
    import unicodedata

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


# ---------------------------------------------------------------------- writing
def _units_table(units, where: str) -> pd.DataFrame:
    docs = getattr(units, "docs", units)
    if not isinstance(docs, pd.DataFrame):
        raise ParameterError(f"{where}: units must be a Corpus (e.g. corpus.reshape('clause'))"
                             f" or a DataFrame with doc_id and text, got {type(units).__name__}")
    for col in ("doc_id", "text"):
        if col not in docs.columns:
            raise MetadataError(f"{where}: units have no {col!r} column; columns present: "
                                f"{list(docs.columns)}")
    if docs.empty:
        raise ParameterError(f"{where}: units is empty: there is nothing to code")
    dup = docs["doc_id"][docs["doc_id"].duplicated()].tolist()
    if dup:
        raise MetadataError(f"{where}: units repeat the doc_id(s) {dup[:10]}; every unit "
                            "needs an id of its own to be read back")
    return docs.reset_index(drop=True)


def _neighbours(units: pd.DataFrame, source: pd.DataFrame, context: int, where: str):
    """(before, after) texts of every unit: the ``context`` units before and after it in
    the same document of ``source``, in reading order."""
    n = len(units)
    if not context or "parent_id" not in source.columns:
        return [""] * n, [""] * n
    order = source.sort_values(["unit_index"], kind="stable") \
        if "unit_index" in source.columns else source
    place, texts = {}, {}
    for parent, group in order.groupby("parent_id", sort=False):
        texts[parent] = group["text"].tolist()
        for i, doc_id in enumerate(group["doc_id"]):
            place[doc_id] = (parent, i)
    absent = [d for d in units["doc_id"] if d not in place]
    if absent:
        raise MetadataError(f"{where}: the unit(s) {absent[:5]} are not in context_from; it "
                            "must hold every unit to be coded and the units around them")
    before, after = [], []
    for doc_id in units["doc_id"]:
        parent, i = place[doc_id]
        before.append("\n".join(texts[parent][max(0, i - context):i]))
        after.append("\n".join(texts[parent][i + 1:i + 1 + context]))
    return before, after


def _place(row) -> str:
    """Where the unit sits: its heading path and clause number, when known."""
    parts = []
    for col in ("heading_path", "clause"):
        value = row.get(col)
        if value is None or _is_missing([value])[0]:
            continue
        value = str(value).strip()
        if not any(value in p for p in parts):
            parts.append(value)
    return " > ".join(parts)


def _suggestions(precoded, ids: list, codes: list, where: str):
    """(suggested, evidence) per unit from a table of pre-codes with a ``code`` column."""
    if not isinstance(precoded, pd.DataFrame) or "code" not in precoded.columns:
        raise ParameterError(f"{where}: precoded must be a DataFrame with a 'code' column "
                             "(e.g. the dictionary coder's output)")
    table = precoded.reset_index() if "doc_id" not in precoded.columns else precoded
    if "doc_id" not in table.columns:
        table = table.rename(columns={table.columns[0]: "doc_id"})
    table = table[table["doc_id"].isin(set(ids)) & ~_is_missing(table["code"].tolist())]
    if table.empty:
        raise MetadataError(f"{where}: precoded has no code for any of the units (its ids, "
                            f"e.g. {precoded.index[:3].tolist()}, do not match the units' "
                            f"doc_id, e.g. {ids[:3]})")
    lookup = {_cell_key(c) for c in codes}
    unknown = sorted({str(c) for c in table["code"] if _cell_key(c) not in lookup})
    if unknown:
        raise ParameterError(f"{where}: precoded has codes not in codes: {unknown[:10]}")
    sugg = table.groupby("doc_id", sort=False)["code"].agg(
        lambda s: "; ".join(dict.fromkeys(str(c) for c in s)))
    evid = table.groupby("doc_id", sort=False)["evidence"].agg(
        lambda s: "; ".join(dict.fromkeys(str(e) for e in s if not _is_missing([e])[0]))) \
        if "evidence" in table.columns else None
    return ([sugg.get(i, "") for i in ids],
            None if evid is None else [evid.get(i, "") for i in ids])


class _CellText:
    """Texts made fit for a cell: characters an .xlsx cannot hold removed, long texts cut
    at Excel's limit; counts what it changed (reported in one warning)."""

    def __init__(self):
        self.stripped, self.cut = 0, []

    def __call__(self, text, doc_id) -> str:
        text = "" if text is None or _is_missing([text])[0] else str(text)
        clean = _ILLEGAL.sub("", text)
        self.stripped += clean != text
        if len(clean) > _MAX_CELL:
            self.cut.append(doc_id)
            clean = clean[:_MAX_CELL - 1] + "…"
        return clean

    def warn(self, path, where: str) -> None:
        if self.stripped:
            warnings.warn(f"{where}: {path}: {self.stripped} cell(s) held control characters "
                          "an .xlsx cannot store; they were left out of the sheet",
                          stacklevel=3)
        if self.cut:
            warnings.warn(f"{where}: {path}: the text of {len(self.cut)} unit(s) (e.g. "
                          f"{self.cut[:3]}) is longer than an Excel cell holds ({_MAX_CELL} "
                          "characters) and was cut; split them into clauses first",
                          stacklevel=3)


def _check_coders(coders, where: str) -> list:
    if isinstance(coders, str):
        coders = [coders]
    coders = [c.strip() if isinstance(c, str) else c for c in coders]
    if not coders or not all(isinstance(c, str) and c for c in coders):
        raise ParameterError(f"{where}: coders must be one or more names (strings), got "
                             f"{coders!r}")
    clash = [c for c in coders if c in FIXED]
    if clash or len(set(coders)) < len(coders):
        raise ParameterError(f"{where}: coder names must differ from each other and from the "
                             f"sheet's columns {list(FIXED)}, got {coders}")
    return coders


def _out_path(path, overwrite: bool, where: str) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ParameterError(f"{where}: path must end in .xlsx (an Excel workbook), got {path}")
    if path.exists() and not overwrite:
        raise ParameterError(f"{where}: {path} exists; pass overwrite=True to replace it "
                             "(a coded sheet is not replaced by accident)")
    if not path.parent.is_dir():
        raise InputError(f"{where}: the folder {path.parent} does not exist")
    return path


def write_coding_sheet(units, path, codes, coders=("coder_1", "coder_2"), precoded=None,
                       context: int = 1, *, context_from=None, dimension=None,
                       overwrite: bool = False) -> Path:
    """Write the units (clauses) to an .xlsx coding sheet: one row per unit, one empty
    column per coder with a drop-down list of the codes. Returns the path.

    Sheet ``coding``: ``doc_id`` (the unit id; do not edit), ``document`` (the title, or
    the parent id), ``clause`` (heading path and clause number, when the units have them),
    ``before`` / ``text`` / ``after`` (the unit between the ``context`` units before and
    after it in its document; ``context=0``: the text alone), ``suggested`` / ``evidence``
    (with ``precoded``: a DataFrame with a ``code`` column and the unit ids as ``doc_id``
    or index, e.g. the dictionary coder's output, whose column named after the sheet's
    ``dimension`` gives a second dimension's suggestions; several rows of a unit are
    joined), then
    one column per coder. Sheet ``codebook``: the codes (with name, definition, examples
    when ``codes`` is a Codebook or a table with a ``code`` column; else a list of codes).
    Sheet ``about``: how to fill it in.

    ``units``: a Corpus of units (``corpus.reshape("clause")``) or a DataFrame with
    ``doc_id`` and ``text``. When ``units`` is a sample, pass the whole corpus of units as
    ``context_from`` so that the context is the clauses really around each one.
    ``dimension``: with a two-dimension codebook, the dimension coded in this sheet
    (default: the codebook's first, e.g. ``instrument``; one sheet per dimension). A
    dimension of a Codebook that lists no code for "none of these" (a second dimension,
    an industry chain's stages) gets ``none`` in its list, as :func:`code_clauses` codes
    a clause that serves none of them: a blank cell means "not coded yet".

    Coders code independently when each gets a file of their own (``coders=("wang",)``):
    read them back together with ``read_coding_sheet([file_1, file_2])``. Suggestions
    anchor coders: leave ``precoded`` out of the sheets whose agreement you report. An
    existing file is never replaced unless ``overwrite=True``.

    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> import bri_text as bt
    >>> clauses = bt.load_bri_policies().subset(doc_id="bri12").reshape("paragraph")
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = write_coding_sheet(clauses, pathlib.Path(folder.name) / "sheet.xlsx",
    ...                           ["supply", "environment", "demand"], coders=("wang", "li"))
    >>> book = load_workbook(path)
    >>> book.sheetnames
    ['coding', 'codebook', 'about']
    >>> [cell.value for cell in book["coding"][1]]
    ['doc_id', 'document', 'before', 'text', 'after', 'wang', 'li']
    >>> book["coding"]["A18"].value, book["coding"]["D18"].value[:12]
    ('bri12#p16', '实施科技部“发展中国家杰')
    >>> folder.cleanup()
    """
    where = "write_coding_sheet"
    docs = _units_table(units, where)
    table = _with_none(_codebook_table(codes, dimension, where), codes)
    code_list = table["code"].tolist()
    coders = _check_coders(coders, where)
    check_scalar(context, "context", min_val=0)
    path = _out_path(path, overwrite, where)
    source = docs if context_from is None else _units_table(context_from, where)
    before, after = _neighbours(docs, source, int(context), where)
    context = context and any(before + after)        # whole documents have no neighbours
    ids = docs["doc_id"].tolist()
    dim = table["dimension"].iloc[0] if "dimension" in table.columns else None
    if isinstance(precoded, pd.DataFrame) and isinstance(dim, str) and dim in precoded.columns:
        # code_clauses names a second dimension's codes by the dimension (target,
        # 产业链环节): on that dimension's sheet they are the suggestions, not `code`
        precoded = precoded.drop(columns=["code", "evidence"], errors="ignore").rename(
            columns={dim: "code", f"{dim}_evidence": "evidence"})
    suggested, evidence = (None, None) if precoded is None else \
        _suggestions(precoded, ids, code_list, where)

    title = "title" if "title" in docs.columns else \
        ("parent_id" if "parent_id" in docs.columns else None)
    columns = {"doc_id": ids,
               "document": docs[title].tolist() if title else [""] * len(docs),
               "clause": [_place(row) for _, row in docs.iterrows()]}
    if context:
        columns["before"] = before
    columns["text"] = docs["text"].tolist()
    if context:
        columns["after"] = after
    if suggested is not None:
        columns["suggested"] = suggested
        if evidence is not None:
            columns["evidence"] = evidence
    for col in ("document", "clause"):                 # nothing to show: no column
        if not any(columns[col]):
            del columns[col]
    _write_book(path, columns, coders, table, where)
    return path


def _write_book(path: Path, columns: dict, coders: list, table: pd.DataFrame, where: str):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    fit = _CellText()
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="DDDDDD")
    yellow = PatternFill("solid", fgColor="FFF2CC")
    n = len(columns["doc_id"])
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    headers = list(columns) + coders
    ws.append(headers)
    for i in range(n):
        doc_id = columns["doc_id"][i]
        ws.append([fit(columns[c][i], doc_id) if c != "doc_id" else doc_id for c in columns]
                  + [None] * len(coders))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":              # a text starting with "=" stays text
                cell.data_type = "s"
            cell.alignment = wrap
    for j, name in enumerate(headers, start=1):
        letter = get_column_letter(j)
        head = ws.cell(row=1, column=j)
        head.font, head.fill = bold, (yellow if name in coders else grey)
        ws.column_dimensions[letter].width = _WIDTHS.get(name, 16)
        if name in coders:
            for r in range(2, n + 2):
                ws.cell(row=r, column=j).fill = yellow
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{n + 1}"
    first = get_column_letter(len(columns) + 1)
    last = get_column_letter(len(headers))
    valid = DataValidation(type="list", allow_blank=True, showErrorMessage=True,
                           formula1=f"{quote_sheetname(CODEBOOK)}!$A$2:$A${len(table) + 1}",
                           errorTitle="Not a code",
                           error="Choose a code from the list (sheet 'codebook').")
    valid.add(f"{first}2:{last}{n + 1}")
    ws.add_data_validation(valid)

    cb = book.create_sheet(CODEBOOK)
    cb.append(list(table.columns))
    for rec in table.itertuples(index=False):
        cb.append([_codebook_cell(v) for v in rec])
    for j, name in enumerate(table.columns, start=1):
        cb.cell(row=1, column=j).font = bold
        cb.column_dimensions[get_column_letter(j)].width = \
            {"code": 18, "definition": 60, "phrases": 40, "examples": 60}.get(name, 20)
    for row in cb.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    cb.freeze_panes = "A2"

    about = book.create_sheet(ABOUT)
    for line in _about(coders, n, table):
        about.append([line])
    about.column_dimensions["A"].width = 110
    for row in about.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    about.cell(row=1, column=1).font = Font(bold=True, size=13)
    fit.warn(path, where)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _codebook_cell(value):
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return "；".join(str(v) for v in value)
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    return value if isinstance(value, (int, float, str)) else str(value)


def _about(coders: list, n: int, table: pd.DataFrame) -> list[str]:
    from .._version import __version__

    return [
        "How to fill in this coding sheet / 填写说明",
        f"Written by bri_text {__version__}: {n} units, coder column(s) {coders}, "
        f"{len(table)} codes.",
        "",
        "1. Sheet 'coding' has one row per unit (a clause). Read 'text'; 'before' and 'after' "
        "show the clauses around it, 'clause' where it sits in the document.",
        "   每行一个条款：阅读 text 列，before / after 为上下文，clause 为所在章节与条款号。",
        "2. In your own column (yellow), choose ONE code per row from the drop-down list; the "
        "codes and their definitions are in sheet 'codebook'.",
        "   在自己的（黄色）列中，从下拉列表为每行选择一个编码；编码及定义见 codebook 表。",
        "3. Code independently: do not look at another coder's column. If a column "
        "'suggested' is present, it is a machine's guess, not the answer.",
        "   独立编码，不看其他编码员的列；suggested 列（如有）仅为自动预编码的建议。",
        "4. Leave a cell blank only if you have not coded the clause yet: a blank is read as "
        "'not coded'. If the codebook has a code for 'no instrument', use it.",
        "   空白单元格表示“未编码”；若条款不含政策工具，请使用编码表中相应的编码。",
        "5. Do not edit the 'doc_id' column or the header row, and do not add or delete rows: "
        "the sheet is read back by these ids (bri_text.read_coding_sheet).",
        "   请勿修改 doc_id 列和表头，勿增删行。",
    ]


# ---------------------------------------------------------------------- reading
def _open(path: Path):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _user_path(path, "read_coding_sheet", "coding sheet")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        hint = ("; a coding sheet is read back as the .xlsx workbook write_coding_sheet "
                "wrote, or as that sheet saved as CSV (.csv, .tsv, .txt): save it as one "
                "of them" if path.suffix.lower() not in TEXT_SUFFIXES else "")
        raise InputError(f"read_coding_sheet: {path} is not an .xlsx workbook that can be "
                         f"read ({type(e).__name__}: {e}){hint}") from None


#: a coding sheet saved by a coder as text: Excel / WPS "CSV (逗号分隔)" or "CSV UTF-8",
#: "文本文件(制表符分隔)" (.txt), a .tsv
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def _text_rows(path: Path) -> list[tuple]:
    """The rows of a coding sheet saved as CSV / tab-separated text, as the .xlsx gives
    them (a blank cell None): read as every table a researcher brings
    (:func:`~bri_text.instruments._codebook._user_file_text`: UTF-8 with or without BOM,
    UTF-16 with its BOM (Excel's "Unicode 文本 (*.txt)"), or the GBK / GB18030 of Excel's and WPS's "CSV (逗号分隔)"); the separator is the one
    (comma, tab or semicolon) that gives the header a ``doc_id`` column."""
    import csv
    import io

    from ._codebook import _user_file_text

    _, text = _user_file_text(path, "read_coding_sheet", "coding sheet")
    first = text.split("\n", 1)[0]
    seps = ",\t;" if path.suffix.lower() == ".csv" else "\t,;"
    sep = next((c for c in seps if "doc_id" in _header(
        next(csv.reader([first], delimiter=c), []))), seps[0])
    return [tuple(None if not v.strip() else v for v in r)
            for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep)]


def _header(row) -> list[str]:
    """A sheet's first row as column names."""
    return ["" if h is None else str(h).strip() for h in row]


def _rows(book, name: str) -> list[tuple]:
    return [tuple(r) for r in book[name].iter_rows(values_only=True)]


def _sheet_codes(book, path: Path, codes) -> tuple[list, dict]:
    """(the valid codes, {code: its name}) from ``codes`` or the file's codebook sheet."""
    if codes is not None:
        table = codes.table if hasattr(codes, "table") else \
            _codebook_table(codes, None, "read_coding_sheet")
        names = dict(zip(table["code"], table["name"])) if "name" in table.columns else {}
        return table["code"].tolist(), names
    if CODEBOOK not in book.sheetnames:
        raise InputError(f"read_coding_sheet: {path} has no sheet {CODEBOOK!r} listing the "
                         "codes; pass codes=[...]")
    rows = _rows(book, CODEBOOK)
    header = [_cell_key(h) if h is not None else "" for h in rows[0]] if rows else []
    if "code" not in header:
        raise InputError(f"read_coding_sheet: {path}, sheet {CODEBOOK!r}: no 'code' column "
                         "in its first row; pass codes=[...]")
    j = header.index("code")
    k = header.index("name") if "name" in header else None
    found, names = [], {}
    for r in rows[1:]:
        if j < len(r) and not _is_missing([r[j]])[0]:
            code = r[j].strip() if isinstance(r[j], str) else r[j]
            found.append(code)
            if k is not None and k < len(r) and not _is_missing([r[k]])[0]:
                names[code] = r[k]
    return found, names


def _coder_header(header: list, coders, where: str, several: bool = False) -> list:
    """The coder columns of a sheet's header: ``coders`` (with ``several`` files, those of
    them this sheet has), or every column not the sheet's own."""
    if "doc_id" not in header:
        raise InputError(f"{where}: no 'doc_id' column in the first row (found {header}); "
                         "the unit ids are needed to read the codes back")
    if coders is None:
        use = [h for h in header if h and h not in FIXED]
    else:
        use = _check_coders(coders, "read_coding_sheet")
        absent = [c for c in use if c not in header]
        if several:
            if len(absent) == len(use):
                raise InputError(f"{where}: none of the coder(s) {use} has a column here "
                                 f"(columns: {header})")
            use = [c for c in use if c in header]
        elif absent:
            raise InputError(f"{where}: no column for coder(s) {absent}; columns: {header}")
    if not use:
        raise InputError(f"{where}: no coder column (columns: {header})")
    return use


#: unknown codes listed in one error of read_coding_sheet (the rest are counted)
_MAX_LISTED = 10


def _code_of(value, lookup: dict, where: str, bad: list):
    """A coder's cell as a code of the codebook (None when blank, or when it is no code:
    then ``(where, value)`` is added to ``bad``)."""
    if _is_missing([value])[0]:
        return None
    code = _lookup_code(_cell_key(value), lookup)
    if code is None:
        bad.append((where, value))
    return code


def _unknown_codes_error(where: str, bad: list, lookup: dict, hint: str) -> InputError:
    """One error for every cell of a sheet that holds no code of the codebook: each cell
    (row, doc_id, coder, value) up to ``_MAX_LISTED``, then how many more."""
    codes = f"({[*lookup][:20]}{' ...' if len(lookup) > 20 else ''})"
    if len(bad) == 1:
        (cell, value), = bad
        return InputError(f"{where}: {cell}: {value!r} is not a code of the codebook "
                          f"{codes}{hint}")
    listed = "; ".join(f"{cell}: {value!r}" for cell, value in bad[:_MAX_LISTED])
    more = f"; and {len(bad) - _MAX_LISTED} more" if len(bad) > _MAX_LISTED else ""
    return InputError(f"{where}: {len(bad)} cells hold no code of the codebook {codes}: "
                      f"{listed}{more}{hint}")


def _notes_columns(rows: list, header: list, use: list, lookup: dict) -> list:
    """Columns a person added for notes: text in them, and none of it a code."""
    out = []
    for c in use:
        j = header.index(c)
        cells = [r[j] for r in rows[1:] if j < len(r) and not _is_missing([r[j]])[0]]
        if cells and not any(_lookup_code(_cell_key(v), lookup) is not None
                             for v in cells):
            out.append(c)
    return out


def _read_one(path: Path, coders, codes, several: bool = False, book_codes=None
              ) -> tuple[pd.DataFrame, list, list, dict]:
    """One sheet: (codes table, coders, valid codes, blank rows per coder). A sheet saved
    as CSV takes its codes from ``codes``, else ``book_codes`` ((codes, names) of the
    codebook sheet of another file read with it)."""
    from collections import Counter

    if path.suffix.lower() in TEXT_SUFFIXES:
        rows = _text_rows(path)
        header = _header(rows[0]) if rows else []
        where = f"read_coding_sheet: {path}"
        if rows and "doc_id" not in header:
            raise InputError(f"{where} is not a coding sheet written by write_coding_sheet "
                             f"and saved as text: its first row has no doc_id column (found "
                             f"{header[:10]})")
        if codes is None and book_codes is None:
            raise InputError(f"{where}: a sheet saved as CSV keeps no codebook sheet: pass "
                             "the codes (codes=bt.read_codebook(...) or a list), or read it "
                             "with the .xlsx of another coder, whose codebook is used")
        code_list, names = _sheet_codes(None, path, codes) if codes is not None \
            else book_codes
    else:
        book = _open(path)
        try:
            # the coding sheet, or the one a coder renamed (王老师编码) and perhaps moved:
            # the first sheet whose first row has a doc_id column
            name = SHEET if SHEET in book.sheetnames else next(
                (n for n in book.sheetnames if n not in (CODEBOOK, ABOUT) and "doc_id" in
                 _header(next(book[n].iter_rows(max_row=1, values_only=True), ()))),
                book.sheetnames[0])
            rows = _rows(book, name)
            header = _header(rows[0]) if rows else []
            if SHEET not in book.sheetnames and "doc_id" not in header:
                raise InputError(f"read_coding_sheet: {path} is not a coding sheet written "
                                 f"by write_coding_sheet: it has no sheet {SHEET!r} (its "
                                 f"sheets: {book.sheetnames}), and none of them has a "
                                 "doc_id column")
            code_list, names = _sheet_codes(book, path, codes)
        finally:
            book.close()
        where = f"read_coding_sheet: {path}, sheet {name!r}"
    if not rows:
        raise InputError(f"{where}: the sheet is empty")
    use = _coder_header(header, coders, where, several)
    lookup, _ = _code_lookup(code_list, names)
    if coders is None:
        notes = _notes_columns(rows, header, use, lookup)
        if notes:
            warnings.warn(f"{where}: column(s) {notes} hold no code of the codebook, only "
                          "text: read as notes, not as coders (name the coders with "
                          "coders=[...] to choose)", stacklevel=3)
            use = [c for c in use if c not in notes]
    if not use:
        raise InputError(f"{where}: no coder column: {notes} hold text that is no code of "
                         "the codebook; name the coders with coders=[...]")
    hint = "" if coders is not None else (
        f"; every column but the sheet's own is read as a coder's ({use}): if some are "
        "notes, name the coders with coders=[...]")
    col = {h: header.index(h) for h in ["doc_id", "text", *use] if h in header}
    ids, texts, codes_out, blank_rows = [], [], {c: [] for c in use}, {c: [] for c in use}
    bad: list = []
    typed: dict = {}       # a code's name, another case or code + name, read as the code
    for r, row in enumerate(rows[1:], start=2):
        row = tuple(row) + (None,) * (len(header) - len(row))
        if _is_missing(row).all():
            continue                                            # a blank line
        doc_id = row[col["doc_id"]]
        if _is_missing([doc_id])[0]:
            raise InputError(f"{where}: row {r} has no doc_id; the sheet's ids must stay as "
                             "written")
        ids.append(doc_id.strip() if isinstance(doc_id, str) else doc_id)
        texts.append(row[col["text"]] if "text" in col else None)
        for c in use:
            n_bad = len(bad)
            code = _code_of(row[col[c]], lookup, f"row {r} (doc_id {ids[-1]!r}), coder {c!r}",
                            bad)
            codes_out[c].append(code)
            if code is None and len(bad) == n_bad:
                blank_rows[c].append(r)
            elif code is not None and _cell_key(row[col[c]]) != _cell_key(code):
                typed.setdefault((_cell_key(row[col[c]]), code), []).append(r)
    if bad:
        raise _unknown_codes_error(where, bad, {_cell_key(c): c for c in code_list}, hint)
    if typed:
        n = sum(len(v) for v in typed.values())
        warnings.warn(f"{where}: {n} cell(s) hold a code's name or another case, or the code "
                      "beside its name, not the code itself, read as that code: " + "; ".join(
                          f"{k!r} -> {v!r} (rows {rows_[:5]}{' ...' if len(rows_) > 5 else ''})"
                          for (k, v), rows_ in list(typed.items())[:8])
                      + ("; ..." if len(typed) > 8 else ""), stacklevel=3)
    dup = sorted(str(i) for i, k in Counter(ids).items() if k > 1)
    if dup:
        raise InputError(f"{where}: doc_id(s) {dup[:10]} appear on more than one row; each "
                         "unit must have one row")
    if not ids:
        raise InputError(f"{where}: the sheet has no rows of units")
    frame = pd.DataFrame({"text": texts, **codes_out},
                         index=pd.Index(ids, name="doc_id"), dtype=object)
    return frame, use, code_list, blank_rows


def _merge(paths: list, frames: list) -> pd.DataFrame:
    """The coder columns of several sheets side by side, by doc_id (first file's order)."""
    out = frames[0]
    for p, frame in zip(paths[1:], frames[1:]):
        index = pd.Index(list(dict.fromkeys([*out.index, *frame.index])), name="doc_id")
        only = [i for i in index if (i in out.index) != (i in frame.index)]
        if only:
            warnings.warn(f"read_coding_sheet: {len(only)} unit(s) (e.g. {only[:3]}) are in "
                          f"only one of {paths[0]} and {p}; their codes from the other file "
                          "are missing", stacklevel=3)
        a, b = out["text"].reindex(index), frame["text"].reindex(index)
        differ = [i for i, x, y in zip(index, a, b) if isinstance(x, str)
                  and isinstance(y, str) and _cell_key(x) != _cell_key(y)]
        if differ:
            warnings.warn(f"read_coding_sheet: {len(differ)} unit(s) have another text in "
                          f"{p} than in {paths[0]} (e.g. {differ[:3]}): their codes may "
                          "belong to other clauses. Were the rows of one file sorted without "
                          "their doc_id column (sort whole rows: select the sheet first), or "
                          "the files written from different corpora? Texts of "
                          f"{paths[0]} are kept", stacklevel=3)
        text = a.combine_first(b)
        out = pd.concat([text, out.drop(columns="text").reindex(index),
                         frame.drop(columns="text").reindex(index)], axis=1)
    return out


def read_coding_sheet(path, coders=None, *, codes=None) -> pd.DataFrame:
    """Read a coding sheet written by :func:`write_coding_sheet` (and filled in) back into
    a table of codes: one row per unit (indexed by ``doc_id``), ``text`` and one column per
    coder, a blank cell (or a unit missing from one coder's file) as a missing code, NaN
    (``codes.notna()`` finds the coded ones). Ready for :func:`reliability`.

    ``path``: one .xlsx, or a list of them (one per coder, who then cannot see each
    other's codes): their coder columns are put side by side by ``doc_id``. A coding
    sheet a coder saved as text is read as the workbook is (same columns, rows numbered
    as Excel numbers them): ``.csv`` from Excel / WPS "CSV (逗号分隔)" (GBK / GB18030) or
    "CSV UTF-8" (with BOM), ``.tsv`` / ``.txt`` tab-separated ("文本文件(制表符分隔)"),
    read as codebook files are; the list may mix .xlsx and .csv files. Such a file keeps
    no ``codebook`` sheet: its codes come from ``codes``, else from the first .xlsx in
    the list (a lone CSV without ``codes`` is an error naming it). ``coders``:
    the coder columns to read, from whichever file has them (default: every column that
    is not the sheet's own, except a column a person added for notes: text in it and
    none of it a code, named in a warning).
    ``codes``: the valid codes (default: the file's ``codebook`` sheet).

    A cell is read as the code it names when a coder typed the code's name from the
    codebook sheet (基础设施 for ``S_infra``; either half of a name like ``人才 talent``),
    another case (``s_infra``) or full-width characters (``Ｓ＿ｉｎｆｒａ``), as long as
    no other code has that name or case, or the code beside its own name, in either
    order, with or without brackets or a colon (``S_infra 基础设施``,
    ``S_infra（基础设施）``, ``基础设施 S_infra``; not ``S_infra 人才培养``, another
    code's name); one warning per file lists such cells.
    Codes that are not in the codebook are one error naming the file and listing each
    such cell (row, doc_id, coder, value; the first 10, then how many more), so that all
    typos are fixed in one pass; a missing ``doc_id`` column or a repeated id is an error
    naming the file; blank cells are counted in one warning
    per file and in ``attrs["n_blank"]`` (per coder). A unit whose text differs between
    two files (a file sorted in Excel without its ``doc_id`` column: its codes moved away
    from their ids) is named in a warning.

    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> import bri_text as bt
    >>> clauses = bt.load_bri_policies().subset(doc_id="bri12").reshape("paragraph")
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "sheet.xlsx"
    >>> _ = write_coding_sheet(clauses.subset(doc_id=["bri12#p16", "bri12#p48"]), path,
    ...                        ["supply", "environment", "demand"], context_from=clauses)
    >>> book = load_workbook(path)               # two coders fill in their columns
    >>> book["coding"]["F2"], book["coding"]["G2"] = "supply", "supply"
    >>> book["coding"]["F3"], book["coding"]["G3"] = "environment", "supply"
    >>> book.save(path)
    >>> read_coding_sheet(path)[["coder_1", "coder_2"]]  # doctest: +NORMALIZE_WHITESPACE
                   coder_1 coder_2
    doc_id
    bri12#p16       supply  supply
    bri12#p48  environment  supply
    >>> folder.cleanup()
    """
    paths = [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
    if not paths:
        raise ParameterError("read_coding_sheet: path is an empty list")
    frames, all_coders, code_list, n_blank = [], [], None, {}
    book_codes = None
    if codes is None and any(p.suffix.lower() in TEXT_SUFFIXES for p in paths):
        # a sheet saved as CSV lost its codebook sheet: the first workbook's is used
        book = next((p for p in paths if p.suffix.lower() not in TEXT_SUFFIXES), None)
        if book is not None:
            wb = _open(book)
            try:
                book_codes = _sheet_codes(wb, book, None)
            finally:
                wb.close()
    for p in paths:
        frame, use, found, blank_rows = _read_one(p, coders, codes, len(paths) > 1,
                                                  book_codes)
        seen = [c for c in use if c in all_coders]
        if seen:
            raise InputError(f"read_coding_sheet: {p}: coder column(s) {seen} were read from "
                             "another file too; give each coder a column name of their own")
        if code_list is not None and set(found) != set(code_list):
            raise InputError(f"read_coding_sheet: {p} lists other codes than {paths[0]}: "
                             f"{sorted(map(str, set(found) ^ set(code_list)))[:10]}")
        code_list = code_list or found
        blanks = {c: len(r) for c, r in blank_rows.items() if r}
        if blanks:
            desc = "; ".join(f"{c}: {k} of {len(frame)} (rows {blank_rows[c][:8]}"
                             f"{' ...' if k > 8 else ''})" if k < len(frame) else
                             f"{c}: all {k} (not coded yet)" for c, k in blanks.items())
            warnings.warn(f"read_coding_sheet: {p}: blank cells (not coded), read as missing: "
                          f"{desc}", stacklevel=2)
        n_blank.update({c: len(blank_rows[c]) for c in use})
        all_coders += use
        frames.append(frame)
    if coders is not None:
        absent = [c for c in _check_coders(coders, "read_coding_sheet") if c not in all_coders]
        if absent:
            raise InputError(f"read_coding_sheet: no column for coder(s) {absent} in "
                             f"{[str(p) for p in paths]}; coder columns found: {all_coders}")
    out = _merge(paths, frames)
    # one missing marker, NaN, for a blank cell and for a unit another file lacks
    out[all_coders] = out[all_coders].where(out[all_coders].notna(), np.nan)
    out.attrs.update({"coders": all_coders, "codes": list(code_list),
                      "path": [str(p) for p in paths] if len(paths) > 1 else str(paths[0]),
                      "n_blank": n_blank})
    return out
