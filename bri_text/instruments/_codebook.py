"""A coding scheme (codebook) read from a plain CSV file: codes, their types, phrases.

The file is UTF-8 CSV with one row per code and the columns ``code, name, parent,
dimension, definition, phrases, examples`` (an optional ``weight`` column scales the
code's phrases; default 1). ``parent`` is empty for a top-level type and names the type of
a subtype; ``dimension`` names the scheme's dimension, so one file can hold a
two-dimensional scheme (instrument × target). ``phrases`` (and several ``examples``) are
separated by ``|``; an entry
``@five_connectivities:people_to_people`` takes the terms of a category of a built-in
dictionary (``bri_text._lexicons.load_dictionary``) instead of copying them. The phrases of
a code named ``none`` are masks: the text they cover counts for no code (a phrase such as
自贸试验区 names the setting of a clause, not its instrument, and holds 试验区).

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
from importlib import resources
from typing import Union

import pandas as pd

from .. import _lexicons
from ..errors import InputError, MetadataError, ParameterError

PathLike = Union[str, "os.PathLike[str]"]

#: Columns every codebook file has (``weight`` is optional).
CODEBOOK_COLUMNS = ("code", "name", "parent", "dimension", "definition", "phrases", "examples")
_DEFAULT = "instruments_rothwell_zegveld.csv"
_LEVELS = ("subtype", "type")
#: the reserved code of a unit that uses no instrument
NONE = "none"


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

    def type_of(self, code: str) -> str:
        """The type (top-level code) of ``code``; a type is its own type.

        >>> read_codebook().type_of("D_overseas")
        'demand'
        """
        if code not in self._parent:
            raise MetadataError(f"code {code!r} is not in the codebook {self.source}; "
                                f"its codes are {list(self._parent)}")
        return self._parent[code] or code

    @property
    def types(self) -> pd.Series:
        """code → type for every code (a type maps to itself), indexed by code."""
        return pd.Series({c: (p or c) for c, p in self._parent.items()}, name="type")

    def phrases(self, dimension: str | None = None) -> pd.DataFrame:
        """The phrases of one dimension, ``@dictionary:category`` entries expanded:
        columns ``phrase, code, weight`` (weight 0 for the masks of ``none``).

        >>> p = read_codebook().phrases()
        >>> p.set_index("phrase").loc["专项资金", "code"]
        'S_funding'
        """
        dimension = self._check_dimension(dimension)
        rows = self.table[self.table["dimension"] == dimension]
        out = []
        for code, cell, weight in zip(rows["code"], rows["phrases"], rows["weight"]):
            w = 0.0 if code == NONE else float(weight)
            out += [(p, code, w) for p in _expand(cell)]
        return pd.DataFrame(out, columns=["phrase", "code", "weight"])

    def to_csv(self, path: PathLike) -> None:
        """Write the codebook in the file format :func:`read_codebook` reads back."""
        table = self.table.copy()
        table["weight"] = [("" if w == 1.0 else f"{w:g}") for w in table["weight"]]
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _split_phrases(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


def _expand(cell: str) -> list[str]:
    """A ``phrases`` cell as a list of phrases, dictionary references resolved."""
    out: list[str] = []
    for p in _split_phrases(cell):
        if p.startswith("@"):
            name, _, category = p[1:].partition(":")
            out += _lexicons.load_dictionary(name)[category]
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _check_reference(where: str, entry: str) -> None:
    name, sep, category = entry[1:].partition(":")
    if not sep or name not in ("five_connectivities", "sectors"):
        raise MetadataError(
            f"{where}: {entry!r} must be '@five_connectivities:CATEGORY' or "
            "'@sectors:CATEGORY' (a category of a built-in dictionary)"
        )
    categories = _lexicons.load_dictionary(name)
    if category not in categories:
        raise MetadataError(
            f"{where}: {entry!r}: the dictionary {name!r} has no category {category!r}; "
            f"its categories are {sorted(categories)}"
        )


def _parse(name: str, text: str) -> pd.DataFrame:
    """Check a codebook file's text; errors name ``file:row``."""
    reader = csv.reader(io.StringIO(text))
    rows = [(reader.line_num, r) for r in reader if any(f.strip() for f in r)]
    if not rows:
        raise InputError(f"{name}: the codebook file is empty; it needs a header row "
                         f"({', '.join(CODEBOOK_COLUMNS)}) and one row per code")
    header_line, header = rows[0]
    header = [h.strip().lower() for h in header]
    missing = [c for c in CODEBOOK_COLUMNS if c not in header]
    if missing:
        raise MetadataError(f"{name}:{header_line}: the header lacks the column(s) "
                            f"{missing}; a codebook has {', '.join(CODEBOOK_COLUMNS)}")
    if len(rows) == 1:
        raise InputError(f"{name}: the codebook has a header but no codes")
    cols = list(CODEBOOK_COLUMNS) + (["weight"] if "weight" in header else [])
    records, where_of = [], {}
    for line, fields in rows[1:]:
        rec = {c: (fields[header.index(c)].strip() if header.index(c) < len(fields) else "")
               for c in cols}
        where = f"{name}:{line}"
        code = rec["code"]
        if not code:
            raise MetadataError(f"{where}: empty code; every row needs a code")
        if code in where_of:
            raise MetadataError(f"{where}: duplicate code {code!r} (already on row "
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
        for p in _split_phrases(rec["phrases"]):
            if p.startswith("@"):
                _check_reference(where, p)
        where_of[code] = where
        records.append(rec)
    table = pd.DataFrame(records, columns=cols)
    if "weight" not in table:
        table["weight"] = 1.0
    _check_parents(table, where_of)
    _check_phrases(table, where_of)
    return table


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
        if code == NONE:
            raise MetadataError(f"{where}: the code 'none' (no instrument) has no parent")


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
    """Read a codebook file (CSV, UTF-8); None reads the shipped default: Rothwell &
    Zegveld's (1985) supply / environment / demand instruments with 16 subtypes and ``none``
    (dimension ``instrument``), and the five connectivities of the Belt and Road as targets
    (dimension ``target``). Sources: ``bri_text/lexicons/README.md``.

    A missing column, an unknown parent, a duplicate code, a phrase given to two codes of a
    dimension or an empty file raise a ``bri_text.errors`` exception naming ``file:row``.

    >>> cb = read_codebook()
    >>> cb.table.set_index("code").loc["S_funding", "parent"]
    'supply'
    """
    if path is None:
        return Codebook._from_table(_default_table().copy(), f"bri_text/lexicons/{_DEFAULT}")
    name, text = _lexicons._user_text(path, "path")
    return Codebook._from_table(_parse(name, text), name)


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
