"""A coding scheme (codebook) read from a plain CSV or YAML file: codes, their types,
phrases.

The CSV file is UTF-8 with one row per code and the columns ``code, name, parent,
dimension, definition, phrases, examples`` (``name``, ``definition`` and ``examples`` may
be left out, as in YAML; the headers may be Chinese: 编码/代码, 名称, 上级/类型, 维度, 定义,
关键词/指示词/短语, 示例/例句, the full list in :data:`COLUMN_NAMES`; an optional
``weight`` (权重) column scales the
code's phrases; default 1; an optional ``none`` column marks, with ``1`` / ``true`` /
``yes``, the code that means "no instrument", such as 无: one per dimension at most). ``parent`` is empty for a top-level type and names the type of
a subtype; ``dimension`` names the scheme's dimension, so one file can hold a
two-dimensional scheme (instrument × target). ``phrases`` (and several ``examples``) are
separated by ``|``; an entry
``@five_connectivities:people_to_people`` takes the terms of a category of a built-in
dictionary (``bri_text._lexicons.load_dictionary``) instead of copying them.
``@definitions`` among the phrases of the no-instrument code masks definitions (from
``本条例所称…，是指`` to the end of the clause, or a clause that opens ``X，是指…``), so a
definition article gets no instrument (:meth:`Codebook.masks_definitions`; the default
codebook lists it).

The no-instrument code of a dimension is the code marked in the ``none`` column, else a
code named ``none``. Its phrases are masks: the text they cover counts for no code (a
phrase such as 自贸试验区 names the setting of a clause, not its instrument, and holds
试验区); the dictionary gives it to a unit no phrase matches, and the shares, the matrix,
the clause x code matrix and the classifier leave it out as they leave out ``none``
(:meth:`Codebook.none_code`). A YAML
file holds the same fields, nested by dimension (and optionally type): see
:func:`read_codebook`.

>>> cb = read_codebook()
>>> cb.dimensions
['instrument', 'target']
>>> cb.codes(level="type")
['supply', 'environment', 'demand', 'none']
>>> cb.type_of("E_tax"), cb.type_of("none")
('environment', 'none')
"""
from __future__ import annotations

import csv
import functools
import io
import os
import re
from importlib import resources
from typing import Union

import pandas as pd

from .. import _lexicons
from ..errors import InputError, MetadataError, ParameterError

PathLike = Union[str, "os.PathLike[str]"]

#: Columns every codebook file has (``weight`` and ``none`` are optional).
CODEBOOK_COLUMNS = ("code", "name", "parent", "dimension", "definition", "phrases", "examples")
#: columns a CSV codebook may leave out (empty for every code), as a YAML codebook may
_OPTIONAL = ("name", "definition", "examples")
#: the other names a codebook's column (CSV header) or a code's field (YAML key) may
#: have, Chinese first: a header is read as the column it names after Unicode
#: normalisation, in any case, without a note in brackets (``关键词（用|分隔）``); a
#: bilingual header (``编码/code``, ``名称 name``) names the column both halves name.
#: Of two headers naming one column the column's own name is read, else the one listed
#: first here (a warning says which).
COLUMN_NAMES = {
    "code": ("编码", "代码", "工具编码", "类目编码"),
    "name": ("名称", "名字", "中文名", "中文名称", "工具名称", "类目名称", "标签", "label"),
    "parent": ("上级", "上级编码", "父级", "父类", "类型", "工具类型", "所属类型", "大类",
               "type"),
    "dimension": ("维度", "维度名称", "分析维度"),
    "definition": ("定义", "释义", "含义", "说明", "描述", "description"),
    "phrases": ("关键词", "指示词", "短语", "关键短语", "检索词", "词语", "词表",
                "keywords", "terms"),
    "examples": ("示例", "例句", "举例", "例子", "样例", "示例条款", "example"),
    "weight": ("权重",),
    "none": ("无工具", "无编码"),
    "subtypes": ("子类", "下级", "子类型", "细类"),        # YAML only
}
#: a header's name -> the column it names
_COLUMN_OF = {n.casefold(): col for col, names in COLUMN_NAMES.items()
              for n in (col, *names)}
_NOTE = re.compile(r"\s*[(（\[【].*?[)）\]】]\s*$")


def _column_of(header: str):
    """The column a CSV header (or YAML field) names, or None (see :data:`COLUMN_NAMES`)."""
    import unicodedata

    h = _NOTE.sub("", unicodedata.normalize("NFKC", str(header)).strip()).casefold()
    if h in _COLUMN_OF:
        return _COLUMN_OF[h]
    cols = {_COLUMN_OF.get(part) for part in re.split(r"[/／|\s]+", h) if part}
    return cols.pop() if len(cols) == 1 and None not in cols else None


def _accepted(columns) -> str:
    """``code (编码, 代码, …), name (名称, …)``: the names :func:`_column_of` reads."""
    return ", ".join(f"{c} ({', '.join(COLUMN_NAMES[c])})" for c in columns)


#: values of the ``none`` column (case-insensitive) that mark / do not mark a code
_TRUE = ("1", "true", "yes", "y", "x", "是", "√")
_FALSE = ("", "0", "false", "no", "n", "否")
_DEFAULT = "instruments_rothwell_zegveld.csv"
#: the ``source`` of the shipped codebook
DEFAULT_SOURCE = f"bri_text/lexicons/{_DEFAULT}"
_LEVELS = ("subtype", "type")
#: the reserved code of a unit that uses no instrument
NONE = "none"
#: a phrase of the no-instrument code that masks definitions (``本条例所称…，是指…``)
DEFINITIONS = "@definitions"


class Codebook:
    """A coding scheme: one row per code (see the module docstring for the file format).

    ``table`` holds the file's columns (``phrases`` as written, ``weight`` as a float);
    ``dimensions`` lists the dimensions in file order (the first is the primary one, the
    one ``code_clauses`` writes in its ``code`` column). Build one with
    :func:`read_codebook`, or from a DataFrame with the file's columns (checked the same
    way; rows are numbered as in a CSV file, the header being row 1).

    >>> cb = read_codebook()
    >>> cb.codes("target")[:2]
    ['policy_coordination', 'facilities_connectivity']
    >>> len(cb.codes())      # the 16 Rothwell-Zegveld subtypes and "none"
    17
    >>> cb.none_code()
    'none'
    """

    def __init__(self, table: pd.DataFrame, source: str = "<table>"):
        if not isinstance(table, pd.DataFrame):
            raise ParameterError(f"table must be a DataFrame with the columns "
                                 f"{', '.join(CODEBOOK_COLUMNS)}, got {type(table).__name__}")
        # the checks of a file apply to a table built in code (rows counted as in a CSV)
        self.table = _parse(source, table.fillna("").to_csv(index=False))
        self.source = source
        self._parent = dict(zip(self.table["code"], self.table["parent"]))
        self._dimension = dict(zip(self.table["code"], self.table["dimension"]))

    @classmethod
    def _from_table(cls, table: pd.DataFrame, source: str) -> "Codebook":
        """A Codebook of a table ``_parse`` has checked already."""
        self = cls.__new__(cls)
        self.table, self.source = table.reset_index(drop=True), source
        self._parent = dict(zip(self.table["code"], self.table["parent"]))
        self._dimension = dict(zip(self.table["code"], self.table["dimension"]))
        return self

    def __repr__(self) -> str:
        dims = ", ".join(f"{d}: {len(self.codes(d))} codes" for d in self.dimensions)
        return f"<Codebook {self.source} ({dims})>"

    def __len__(self) -> int:
        return len(self.table)

    @property
    def dimensions(self) -> list[str]:
        """The dimensions in file order; the first is the primary one."""
        return list(dict.fromkeys(self.table["dimension"]))

    def _check_dimension(self, dimension) -> str:
        if dimension is None:
            return self.dimensions[0]
        if dimension not in self.dimensions:
            raise ParameterError(
                f"dimension must be one of {self.dimensions} ({self.source}), got {dimension!r}"
            )
        return dimension

    def codes(self, dimension: str | None = None, level: str = "subtype") -> list[str]:
        """The codes of one dimension (None: the primary one), in file order.

        ``level="subtype"``: the codes a unit gets (every code without subtypes: the
        subtypes, ``none`` and the types that have no subtypes); ``level="type"``: the
        top-level codes.

        >>> read_codebook().codes(level="subtype")[:3]
        ['none', 'S_talent', 'S_funding']
        """
        dimension = self._check_dimension(dimension)
        if level not in _LEVELS:
            raise ParameterError(f"level must be one of {_LEVELS}, got {level!r}")
        rows = self.table[self.table["dimension"] == dimension]
        if level == "type":
            return rows.loc[rows["parent"] == "", "code"].tolist()
        parents = set(rows["parent"])
        return [c for c in rows["code"] if c not in parents]

    def none_code(self, dimension: str | None = None) -> str:
        """The code of a dimension (None: the primary one) that means "no instrument":
        the code the file marks in its ``none`` column (YAML: ``none: true``), else
        ``none`` (a code of that name, or what the dictionary gives a unit no phrase
        matches when the dimension has no such code).

        >>> read_codebook().none_code()
        'none'
        """
        dimension = self._check_dimension(dimension)
        rows = self.table[(self.table["dimension"] == dimension) & self.table["none"]]
        return rows["code"].iat[0] if len(rows) else NONE

    @property
    def none_codes(self) -> frozenset:
        """Every code that means "no instrument": each dimension's :meth:`none_code` and
        ``none`` (the dictionary's code for an unmatched unit)."""
        return frozenset([NONE, *self.table.loc[self.table["none"], "code"]])

    def type_of(self, code: str) -> str:
        """The type (top-level code) of ``code``; a type is its own type, and ``none``
        (what the dictionary gives a unit no phrase matches) is ``none`` in any codebook.

        >>> read_codebook().type_of("D_overseas")
        'demand'
        """
        if code == NONE and code not in self._parent:
            return NONE
        if code not in self._parent:
            raise MetadataError(f"code {code!r} is not in the codebook {self.source}; "
                                f"its codes are {list(self._parent)}")
        return self._parent[code] or code

    @property
    def types(self) -> pd.Series:
        """code → type for every code (a type maps to itself), indexed by code."""
        return pd.Series({c: (p or c) for c, p in self._parent.items()}, name="type")

    def masks_definitions(self, dimension: str | None = None) -> bool:
        """Whether the dimension's no-instrument code lists ``@definitions``: the dictionary
        then codes no phrase of a definition (from the formula ``本条例所称…，是指`` to the
        end of the clause, or a clause that opens ``X，是指…``), so a definition article
        gets the no-instrument code (the default codebook does this).

        >>> read_codebook().masks_definitions()
        True
        """
        dimension = self._check_dimension(dimension)
        none = self.none_code(dimension)
        cells = self.table.loc[(self.table["dimension"] == dimension)
                               & (self.table["code"] == none), "phrases"]
        return any(DEFINITIONS in _split_phrases(c) for c in cells)

    def phrases(self, dimension: str | None = None) -> pd.DataFrame:
        """The phrases of one dimension, ``@dictionary:category`` entries expanded:
        columns ``phrase, code, weight`` (weight 0 for the masks of the no-instrument code,
        :meth:`none_code`).

        >>> p = read_codebook().phrases()
        >>> p.set_index("phrase").loc["专项资金", "code"]
        'S_funding'
        """
        dimension = self._check_dimension(dimension)
        rows = self.table[self.table["dimension"] == dimension]
        none = self.none_code(dimension)
        out = []
        for code, cell, weight in zip(rows["code"], rows["phrases"], rows["weight"]):
            w = 0.0 if code == none else float(weight)
            out += [(p, code, w) for p in _expand(cell)]
        return pd.DataFrame(out, columns=["phrase", "code", "weight"])

    def to_csv(self, path: PathLike) -> None:
        """Write the codebook in the file format :func:`read_codebook` reads back."""
        table = self.table.copy()
        table["weight"] = [("" if w == 1.0 else f"{w:g}") for w in table["weight"]]
        if _marked(table):
            table["none"] = ["1" if v else "" for v in table["none"]]
        else:                    # only a code named none: the column says nothing more
            table = table.drop(columns="none")
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")

    def to_yaml(self, path: PathLike) -> None:
        """Write the codebook as YAML (the layout :func:`read_codebook` describes): one key
        per dimension, under it one key per code with its non-empty fields, subtypes naming
        their ``parent`` (so the codes keep their order); read back, it gives the same
        table.

        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "scheme.yaml")
        >>> read_codebook().to_yaml(path)
        >>> read_codebook(path).table.equals(read_codebook().table)
        True
        """
        import yaml

        doc: dict = {}
        for rec in self.table.to_dict("records"):
            fields = {f: rec[f] for f in ("name", "parent", "definition") if rec[f]}
            for f in ("phrases", "examples"):
                if rec[f]:
                    fields[f] = _as_yaml_list(rec[f], flow=f == "phrases")
            if rec["weight"] != 1.0:
                fields["weight"] = float(rec["weight"])
            if rec["none"] and rec["code"] != NONE:
                fields["none"] = True
            doc.setdefault(rec["dimension"], {})[rec["code"]] = fields or None
        text = yaml.dump(doc, Dumper=_yaml_dumper(), allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=88)
        head = (f"# Codebook written by bri_text from {self.source}: dimension -> code -> "
                "fields.\n# Read it with bri_text.read_codebook(path).\n")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(head + text)


def _marked(table: pd.DataFrame) -> bool:
    """Whether a no-instrument code is marked that is not simply named ``none``."""
    return bool((table["none"] & (table["code"] != NONE)).any())


def _split_phrases(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


def _expand(cell: str) -> list[str]:
    """A ``phrases`` cell as a list of phrases, dictionary references resolved."""
    out: list[str] = []
    for p in _split_phrases(cell):
        if p == DEFINITIONS:             # a rule of the matcher, not a phrase
            continue
        if p.startswith("@"):
            name, _, category = p[1:].partition(":")
            out += _lexicons.load_dictionary(name)[category]
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _check_reference(where: str, entry: str) -> None:
    if entry == DEFINITIONS:
        return
    name, sep, category = entry[1:].partition(":")
    if not sep or name not in ("five_connectivities", "sectors"):
        raise MetadataError(
            f"{where}: {entry!r} must be '@five_connectivities:CATEGORY' or "
            "'@sectors:CATEGORY' (a category of a built-in dictionary), or "
            f"'{DEFINITIONS}' (in the no-instrument code's phrases)"
        )
    categories = _lexicons.load_dictionary(name)
    if category not in categories:
        raise MetadataError(
            f"{where}: {entry!r}: the dictionary {name!r} has no category {category!r}; "
            f"its categories are {sorted(categories)}"
        )


def _parse(name: str, text: str) -> pd.DataFrame:
    """Check a CSV codebook file's text; errors name ``file:row``."""
    reader = csv.reader(io.StringIO(text))
    rows = [(reader.line_num, r) for r in reader if any(f.strip() for f in r)]
    if not rows:
        raise InputError(f"{name}: the codebook file is empty; it needs a header row "
                         f"({', '.join(CODEBOOK_COLUMNS)}) and one row per code")
    header_line, header = rows[0]
    index = _header_columns(name, header_line, header)
    missing = [c for c in CODEBOOK_COLUMNS if c not in index and c not in _OPTIONAL]
    if missing:
        unknown = [h.strip() for h in header if h.strip() and _column_of(h) is None]
        raise MetadataError(
            f"{name}:{header_line}: the header lacks the column(s) {missing}"
            + (f" (not read: {unknown})" if unknown else "")
            + f"; a codebook's columns, in English or Chinese: "
            f"{_accepted((*CODEBOOK_COLUMNS, 'weight', 'none'))} ({', '.join(_OPTIONAL)} "
            "may be left out, as may weight and none)")
    if len(rows) == 1:
        raise InputError(f"{name}: the codebook has a header but no codes")
    cols = list(CODEBOOK_COLUMNS) + [c for c in ("weight", "none") if c in index]
    records = [(f"{name}:{line}",
                {c: (fields[index[c]].strip()
                     if c in index and index[c] < len(fields) else "")
                 for c in cols})
               for line, fields in rows[1:]]
    _check_separators(records)
    return _check(records, "row")


def _header_columns(name: str, line: int, header: list) -> dict:
    """{column: its position} of a CSV codebook's header, its columns named in English or
    Chinese (:data:`COLUMN_NAMES`). Of two headers naming one column (上级 and 类型, 关键词
    and phrases) the column's own name is read, else the one listed first in
    COLUMN_NAMES, and a warning says which was read and which was not."""
    import warnings

    found: dict = {}
    for j, h in enumerate(header):
        col = _column_of(h)
        if col is not None and col != "subtypes":
            found.setdefault(col, []).append((j, h.strip()))
    index = {}
    for col, heads in found.items():
        names = [n.casefold() for n in (col, *COLUMN_NAMES[col])]

        def rank(jh):
            h = _NOTE.sub("", jh[1]).casefold()
            return (names.index(h) if h in names else len(names), jh[0])

        heads = sorted(heads, key=rank)
        index[col] = heads[0][0]
        if len(heads) > 1:
            warnings.warn(f"{name}:{line}: the columns {[h for _, h in heads]} all name the "
                          f"codebook's {col!r} column: {heads[0][1]!r} is read as {col}, "
                          f"{[h for _, h in heads[1:]]} not read (rename or delete them)",
                          stacklevel=4)
    return index


#: what a phrases cell written in Excel separates phrases with instead of |
_NOT_SEPARATORS = re.compile(r"[、；;，,]")


def _check_separators(records: list) -> None:
    """Phrases are separated by ``|`` (a full-width ``｜`` is read as one); a cell that
    holds none but 、 ； ， is one long phrase that matches nothing: a warning names it."""
    import warnings

    for where, rec in records:
        cell = rec["phrases"] = rec["phrases"].replace("｜", "|")
        if cell and "|" not in cell and _NOT_SEPARATORS.search(cell):
            parts = [p for p in _NOT_SEPARATORS.split(cell) if p.strip()]
            warnings.warn(
                f"{where}: the phrases of {rec['code']!r} are one phrase, {cell!r}: phrases "
                f"are separated by | ({'|'.join(p.strip() for p in parts)}); as written it "
                "matches only that whole text", stacklevel=4)


def _parents_by_name(records: list) -> None:
    """A parent written as its type's name (a 类型 column holding 供给型 where the type's
    code is S) is that code, when one code of the dimension has the name and none is
    named so."""
    codes = {(rec["dimension"], rec["code"]) for _, rec in records}
    named: dict = {}
    for _, rec in records:
        if rec["name"]:
            named.setdefault((rec["dimension"], rec["name"]), set()).add(rec["code"])
    for _, rec in records:
        key = (rec["dimension"], rec["parent"])
        if rec["parent"] and key not in codes and len(named.get(key, ())) == 1:
            rec["parent"] = next(iter(named[key]))


def _check(records: list, unit: str) -> pd.DataFrame:
    """The codebook table of ``(where, record)`` pairs (``where``: ``file:row`` or
    ``file:line``, ``unit`` its word), checked; rows grouped by dimension, in order."""
    where_of: dict = {}
    for where, rec in records:
        code = rec["code"]
        if not code:
            raise MetadataError(f"{where}: empty code; every {unit} needs a code")
        if code in where_of:
            raise MetadataError(f"{where}: duplicate code {code!r} (already on {unit} "
                                f"{where_of[code].rsplit(':', 1)[1]}); codes are unique")
        if not rec["dimension"]:
            raise MetadataError(f"{where}: code {code!r} has no dimension; name the "
                                "scheme's dimension (e.g. 'instrument')")
        try:
            rec["weight"] = float(rec.get("weight") or 1.0)
        except ValueError:
            raise MetadataError(f"{where}: weight of {code!r} must be a number, "
                                f"got {rec['weight']!r}") from None
        if not rec["weight"] >= 0:
            raise MetadataError(f"{where}: weight of {code!r} must be >= 0")
        flag = str(rec.get("none") or "").strip().lower()
        if flag not in _TRUE + _FALSE:
            raise MetadataError(f"{where}: none of {code!r} must be 1 (the code means no "
                                f"instrument) or empty, got {rec['none']!r}")
        rec["none"] = flag in _TRUE
        for p in _split_phrases(rec["phrases"]):
            if p.startswith("@"):
                _check_reference(where, p)
        where_of[code] = where
    _parents_by_name(records)
    table = pd.DataFrame([rec for _, rec in records],
                         columns=[*CODEBOOK_COLUMNS, "weight", "none"])
    table["none"] = table["none"].fillna(False).astype(bool)
    _check_parents(table, where_of)
    _check_none(table, where_of)
    _check_definitions(table, where_of)
    _check_phrases(table, where_of)
    # one dimension's rows together (a file may interleave them; nothing else changes)
    dims = list(dict.fromkeys(table["dimension"]))
    order = sorted(range(len(table)), key=lambda i: dims.index(table["dimension"].iat[i]))
    return table.iloc[order].reset_index(drop=True)


# --------------------------------------------------------------------------- YAML
#: the fields of a code in a YAML codebook (a type may also hold ``subtypes``)
_YAML_FIELDS = ("name", "parent", "definition", "phrases", "examples", "weight", "none")
_NULL = "tag:yaml.org,2002:null"


def _line(node) -> int:
    return node.start_mark.line + 1


def _kind(node) -> str:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "nothing" if node.tag == _NULL else f"the text {node.value!r}"


def _scalar(name: str, node, what: str) -> str:
    """A scalar's text as written (no type guessing: 2020, yes, on stay text); null → ''."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise MetadataError(f"{name}:{_line(node)}: {what} must be a text, got {_kind(node)}")
    return "" if node.tag == _NULL else node.value.strip()


def _pairs(name: str, node, what: str, item: str) -> list:
    """The (key text, key node, value node) of a mapping node; a key given twice is an
    error (a plain YAML load keeps the last one silently)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        inner = {"dimension": "its codes, e.g. 'instrument:'", "code": "its fields"}
        raise MetadataError(f"{name}:{_line(node)}: {what} must be a mapping of {item}s "
                            f"({item}: {inner.get(item, '...')}), got {_kind(node)}")
    seen: dict = {}
    out = []
    for key_node, value in node.value:
        key = _scalar(name, key_node, f"a {item} (a key of {what})")
        if key in seen:
            raise MetadataError(f"{name}:{_line(key_node)}: duplicate {item} {key!r} in "
                                f"{what} (already on line {seen[key]}); {item}s are unique")
        seen[key] = _line(key_node)
        out.append((key, key_node, value))
    return out


def _listed(name: str, node, what: str) -> str:
    """``phrases`` / ``examples``: a list of texts, or one text (``|`` separates phrases),
    as the CSV cell (joined by ``|``)."""
    import yaml

    if not isinstance(node, yaml.SequenceNode):
        return _scalar(name, node, f"{what} (a list of texts)")
    items = []
    for item in node.value:
        text = _scalar(name, item, f"each of {what}")
        if not text:
            raise MetadataError(f"{name}:{_line(item)}: an empty entry in {what}")
        if "|" in text:
            raise MetadataError(f"{name}:{_line(item)}: the entry {text!r} of {what} holds "
                                "'|', the separator of the file format; split it in two")
        items.append(text)
    return "|".join(items)


def _yaml_code(name: str, dimension: str, code: str, key_node, node, parent: str,
               records: list) -> None:
    """The record of one code (and of its nested ``subtypes``) → ``records``."""
    import yaml

    where = f"{name}:{_line(key_node)}"
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
        fields = []
    elif isinstance(node, yaml.MappingNode):
        fields = _pairs(name, node, f"the fields of code {code!r}", "field")
    else:
        hint = (f"; is the code's own line (e.g. 'S_talent:') missing above '{code}:'?"
                if _column_of(code) in (*_YAML_FIELDS, "subtypes") else "")
        raise MetadataError(f"{where}: code {code!r} of dimension {dimension!r} must be a "
                            f"mapping of its fields ({', '.join(_YAML_FIELDS)}, subtypes) or "
                            f"empty, got {_kind(node)}{hint}")
    rec = {"code": code, "name": "", "parent": parent, "dimension": dimension,
           "definition": "", "phrases": "", "examples": "", "weight": "", "none": ""}
    subtypes = None
    given: dict = {}                 # field -> (its key as written, line): one of each
    for written, field_key, value in fields:
        at = f"{name}:{_line(field_key)}"
        field = _column_of(written) or written        # 关键词: phrases (COLUMN_NAMES)
        if field in given:
            raise MetadataError(f"{at}: {written!r} and {given[field][0]!r} (line "
                                f"{given[field][1]}) are both the {field} of code {code!r}; "
                                "keep one")
        given[field] = (written, _line(field_key))
        if field == "subtypes":
            subtypes = value
        elif field not in _YAML_FIELDS:
            hint = (" (the dimension is the top-level key the code is under)"
                    if field in ("dimension", "code") else "")
            raise MetadataError(f"{at}: unknown field {written!r} of code {code!r}{hint}; a "
                                "code's fields, in English or Chinese, are "
                                f"{_accepted((*_YAML_FIELDS, 'subtypes'))}")
        elif field in ("phrases", "examples"):
            rec[field] = _listed(name, value, f"the {field} of {code!r}")
        else:
            text = _scalar(name, value, f"the {field} of {code!r}")
            if field == "parent" and parent and text != parent:
                raise MetadataError(f"{at}: code {code!r} is a subtype of {parent!r} (nested "
                                    f"under it) but names the parent {text!r}")
            rec[field] = text or rec[field]
    records.append((where, rec))
    if subtypes is not None and not (isinstance(subtypes, yaml.ScalarNode)
                                     and subtypes.tag == _NULL):
        for sub, sub_key, sub_node in _pairs(name, subtypes, f"the subtypes of {code!r}",
                                             "code"):
            _yaml_code(name, dimension, sub, sub_key, sub_node, code, records)


def _parse_yaml(name: str, text: str) -> pd.DataFrame:
    """Check a YAML codebook file's text (layout: :func:`read_codebook`); errors name
    ``file:line``."""
    import yaml

    try:
        # the node tree of PyYAML's safe loader (what yaml.safe_load builds objects from):
        # it keeps line numbers, duplicate keys and the text of every scalar as written
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{where}: not valid YAML ({problem}); check the indentation and "
                         "the ':' after each key") from None
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL):
        raise InputError(f"{name}: the codebook file is empty; it needs one key per "
                         "dimension holding its codes (e.g. 'instrument:')")
    records: list = []
    for dimension, dim_key, dim_node in _pairs(name, root, "the file", "dimension"):
        if not dimension:
            raise MetadataError(f"{name}:{_line(dim_key)}: a dimension without a name")
        codes = _pairs(name, dim_node, f"dimension {dimension!r}", "code")
        if not codes:
            raise MetadataError(f"{name}:{_line(dim_key)}: dimension {dimension!r} has no "
                                "codes")
        for code, key_node, node in codes:
            _yaml_code(name, dimension, code, key_node, node, "", records)
    return _check(records, "line")


class _Flow(list):
    """A list written on one line (``[a, b, c]``) by :meth:`Codebook.to_yaml`."""


def _as_yaml_list(cell: str, flow: bool):
    """A ``|``-separated cell as a list when that reads back to the same cell, else the
    cell itself (one text)."""
    parts = _split_phrases(cell)
    if "|".join(parts) != cell or (not flow and len(parts) < 2):
        return cell
    return _Flow(parts) if flow else parts


def _yaml_dumper():
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence(
        "tag:yaml.org,2002:seq", v, flow_style=True))
    Dumper.add_representer(type(None), lambda d, v: d.represent_scalar(_NULL, ""))
    return Dumper


def _check_parents(table: pd.DataFrame, where_of: dict) -> None:
    parent = dict(zip(table["code"], table["parent"]))
    dimension = dict(zip(table["code"], table["dimension"]))
    for code, p in parent.items():
        if not p:
            continue
        where = where_of[code]
        if p not in parent:
            raise MetadataError(f"{where}: unknown parent {p!r} of code {code!r}; a parent "
                                "must be a code of the file (a type, with an empty parent)")
        if parent[p]:
            raise MetadataError(f"{where}: parent {p!r} of {code!r} is itself a subtype of "
                                f"{parent[p]!r}; codes nest two levels (type → subtype)")
        if dimension[p] != dimension[code]:
            raise MetadataError(f"{where}: parent {p!r} of {code!r} is in dimension "
                                f"{dimension[p]!r}, not {dimension[code]!r}")
        if code == NONE or table["none"].iat[list(parent).index(code)]:
            raise MetadataError(f"{where}: the no-instrument code {code!r} has no parent "
                                "(it is a type of its own)")


def _check_none(table: pd.DataFrame, where_of: dict) -> None:
    """At most one no-instrument code per dimension: the marked one, else a code named
    ``none`` (marked here); a type with subtypes cannot be it."""
    parents = set(table["parent"])
    for dim in dict.fromkeys(table["dimension"]):
        rows = table[table["dimension"] == dim]
        marked = rows.loc[rows["none"], "code"].tolist()
        if len(marked) > 1:
            raise MetadataError(f"{where_of[marked[1]]}: {marked[1]!r} is marked none, and so "
                                f"is {marked[0]!r} ({where_of[marked[0]]}); dimension "
                                f"{dim!r} has one no-instrument code")
        named = NONE in set(rows["code"])
        if marked and named and marked[0] != NONE:
            raise MetadataError(f"{where_of[marked[0]]}: {marked[0]!r} is marked none but "
                                f"dimension {dim!r} also has a code named 'none' "
                                f"({where_of[NONE]}); keep one no-instrument code")
        if marked and marked[0] in parents:
            raise MetadataError(f"{where_of[marked[0]]}: the no-instrument code "
                                f"{marked[0]!r} has subtypes; mark a code without them")
        if named and not marked:
            table.loc[table["code"] == NONE, "none"] = True


def _check_definitions(table: pd.DataFrame, where_of: dict) -> None:
    """``@definitions`` masks text, so it is a phrase of a no-instrument code only."""
    for code, cell, none in zip(table["code"], table["phrases"], table["none"]):
        if DEFINITIONS in _split_phrases(cell) and not none:
            raise MetadataError(f"{where_of[code]}: {DEFINITIONS!r} masks definitions and "
                                f"belongs to the no-instrument code (none, or the code "
                                f"marked in the none column), not to {code!r}")


def _check_phrases(table: pd.DataFrame, where_of: dict) -> None:
    """A phrase belongs to one code of its dimension (else matching cannot decide)."""
    owner: dict = {}
    for code, dim, cell in zip(table["code"], table["dimension"], table["phrases"]):
        for p in _expand(cell):
            first = owner.setdefault((dim, p), code)
            if first != code:
                raise MetadataError(
                    f"{where_of[code]}: phrase {p!r} of {code!r} is already a phrase of "
                    f"{first!r} ({where_of[first]}); a phrase points to one code per dimension"
                )


def read_codebook(path: PathLike | None = None) -> Codebook:
    """Read a codebook file: CSV (the module docstring's columns) or YAML (by the suffix
    ``.yaml`` / ``.yml``), UTF-8 (a CSV Excel saved as GBK / GB18030 is read too, its
    encoding found as the document readers find it). None reads the shipped default: Rothwell & Zegveld's
    (1985) supply / environment / demand instruments with 16 subtypes and ``none``
    (dimension ``instrument``), and the five connectivities of the Belt and Road as targets
    (dimension ``target``). Sources: ``bri_text/lexicons/README.md``.

    A YAML codebook has one key per dimension (in order; the first is the primary one) and
    under it one key per code with the code's fields, all optional: ``name``,
    ``definition``, ``phrases`` (a list; ``@five_connectivities:CATEGORY`` and
    ``@definitions`` entries as in the CSV, quoted: ``"@definitions"``), ``examples`` (a list or one text), ``weight``, ``none`` (``true``: the code
    that means "no instrument", as the CSV's ``none`` column), and either ``subtypes`` (the
    codes of a type, nested) or ``parent`` (a type named from a subtype written beside
    it). Values are read as written (``2020`` or ``yes`` stay text)::

        instrument:                 # dimension 1: Rothwell & Zegveld types
          supply:
            name: 供给型
            definition: The government supplies people, money, technology.
            subtypes:
              talent:
                name: 人才
                phrases: [人才培养, 引进人才, 奖学金]
                examples: [每年举办国际经贸人才研修班。]
          environment:
            subtypes:
              tax: {phrases: [税收优惠, 减税]}
          无:                       # or name the code none and leave out none: true
            none: true
            phrases: [现将, 印发给你们, "@definitions"]
        target:                     # dimension 2
          trade: {phrases: [贸易, 进出口]}
          finance: {phrases: [融资, 贷款]}

    :meth:`Codebook.to_yaml` writes this layout, naming each subtype's ``parent``.

    Columns (CSV headers) and fields (YAML keys) may be named in Chinese, in any case,
    with a note in brackets (``关键词（用|分隔）``) or both languages (``编码/code``):

    ============  ====================================================================
    code          编码, 代码, 工具编码, 类目编码
    name          名称, 名字, 中文名, 中文名称, 工具名称, 类目名称, 标签, label
    parent        上级, 上级编码, 父级, 父类, 类型, 工具类型, 所属类型, 大类, type
    dimension     维度, 维度名称, 分析维度 (CSV; in YAML the top-level key)
    definition    定义, 释义, 含义, 说明, 描述, description
    phrases       关键词, 指示词, 短语, 关键短语, 检索词, 词语, 词表, keywords, terms
    examples      示例, 例句, 举例, 例子, 样例, 示例条款, example
    weight        权重
    none          无工具, 无编码
    subtypes      子类, 下级, 子类型, 细类 (YAML)
    ============  ====================================================================

    A parent may be written as its type's name (``类型`` holding 供给型 where the type's
    code is ``S``) when one code of the dimension has that name. Nothing is said about
    the mapping unless two headers name one column (上级 and 类型): the column's own name
    is read, else the one listed first, and a warning names both; in YAML two such keys
    of one code are an error. A missing column's error lists the accepted names.

    A missing column, an unknown parent, a duplicate code, a phrase given to two codes of a
    dimension, an empty file or (YAML) a layout that is not a mapping of dimensions to codes
    raise a ``bri_text.errors`` exception naming ``file:row`` (CSV) or ``file:line`` (YAML).

    A code marked ``none`` (or named ``none``) is the dimension's no-instrument code
    (:meth:`Codebook.none_code`): its phrases are masks, the dictionary gives it to a unit
    no phrase matches, and the tables leave it out as "no instrument".

    >>> cb = read_codebook()
    >>> cb.table.set_index("code").loc["S_funding", "parent"]
    'supply'
    """
    if path is None:
        return Codebook._from_table(_default_table().copy(), f"bri_text/lexicons/{_DEFAULT}")
    # codes, names and dimensions stay as written (供给-资金 is the code coders type); the
    # phrases and examples take the em dash between CJK characters, as cleaned texts do
    name, text = _user_file_text(path)
    parse = _parse_yaml if os.path.splitext(name)[1].lower() in (".yaml", ".yml") else _parse
    table = parse(name, text)
    for col in ("phrases", "examples"):
        table[col] = table[col].map(lambda v: _lexicons._CJK_DASH.sub("\u2014", v))
    return Codebook._from_table(table, name)


def _user_file_text(path: PathLike, param: str = "", what: str = "codebook file"
                    ) -> tuple[str, str]:
    """(display name, text) of a file a researcher wrote (a codebook, a PMC indicator file,
    a PMC sheet saved as CSV): UTF-8 (with or without the BOM Excel writes for "CSV UTF-8"),
    UTF-16 with its BOM (Excel's "Unicode 文本 (*.txt)"), or what Excel on Chinese Windows writes for "CSV (逗号分隔)", GBK / GB18030, not guessed
    further (``bri_text._lexicons._gb18030``: a short GBK file reads as Big5 too). A
    missing file, a folder or a file that is neither is an error naming ``what`` and the
    path. The reading rule of every table and word list a researcher brings (dictionaries,
    orientation's places, the tokenizer's word lists): ``bri_text._lexicons._user_text``."""
    return _lexicons._user_text(path, param, dashes=False, decode=_lexicons._gb18030,
                                what=what)


@functools.lru_cache(maxsize=None)
def _default_table() -> pd.DataFrame:
    """The shipped codebook, parsed and checked once (callers copy it)."""
    text = (resources.files("bri_text") / "lexicons" / _DEFAULT).read_text(encoding="utf-8")
    return _parse(f"bri_text/lexicons/{_DEFAULT}", text)


def _as_codebook(codebook, param: str = "codebook") -> Codebook:
    """None → the default; a path → read; a Codebook → itself."""
    if codebook is None:
        return read_codebook()
    if isinstance(codebook, Codebook):
        return codebook
    if isinstance(codebook, (str, os.PathLike)):
        return read_codebook(codebook)
    raise ParameterError(f"{param} must be None, a Codebook or the path of a codebook file, "
                         f"got {type(codebook).__name__}")
