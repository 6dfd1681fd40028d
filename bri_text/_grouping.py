"""Grouping units (private): the one implementation behind every ``by=`` and every
unit -> document merge (features, compare, similarity, topics, distributed).

- :func:`_group_codes`: an integer group code per unit (-1: no value, reported by the
  library-wide missing-``by=`` rule), labels in order of first appearance;
- :func:`_indicator`: the sparse groups x units 0/1 matrix, so a group sum is one product;
- :func:`_group_table`: the metadata of the groups (``doc_id``, the ``by`` column,
  ``n_units``, ``n_docs``);
- :func:`_document_codes` / :func:`_document_meta` / :func:`_merge_units`: units back into
  their documents (``parent_id``), keeping the documents' metadata, not the units';
- :func:`_warn_split_documents`: one warning when a document's units fall in more than
  one compared group (a document counted on both sides of a comparison); its words,
  :func:`_split_message`, are the Dask grouping's too;
- :func:`_warn_same_places`: one warning when two or more labels of the grouping column
  name the same province or city (浙江 and 浙江省, 深圳 and 深圳市), which would otherwise
  be compared as different groups; nothing is merged;
- :data:`_UNIT_COLS`: the columns that describe a unit rather than its document;
- :func:`_check_df`: ``min_df``/``max_df`` (a count of units or a share of them);
- :func:`condition_mask` / :func:`subset_mask`: the units a metadata condition selects
  (``target=``, ``reference=``, ``subset``), ``{"decade": 1950}`` by :func:`_decades` too.

>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a#p0", "a#p1", "b#p0"], "parent_id": ["a", "a", "b"],
...                      "unit": "paragraph", "region": ["广西", "广西", None]})
>>> codes, labels, name = _group_codes(docs, "region")
>>> codes.tolist(), labels, name
([0, 0, -1], ['广西'], 'region')
>>> _indicator(codes, len(labels)).toarray().tolist()
[[1, 1, 0]]
>>> _document_meta(docs, *_document_codes(docs, "example")).columns.tolist()
['doc_id', 'region', 'n_units']
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ._lexicons import place_unit
from ._util import check_column, check_scalar, warn_left_out
from .errors import MetadataError, ParameterError

#: columns that describe a unit (a paragraph, a sentence) rather than its document
_UNIT_COLS = ("doc_id", "text", "parent_id", "unit", "unit_index", "start", "end", "heading",
              "heading_level", "heading_path")
#: columns the library adds when it counts or groups units
_COUNT_COLS = ("n_tokens", "n_units", "n_docs")


def _ordinal(values: pd.Series) -> bool:
    """Whether group labels are numbers or dates (years, months), put in order of their
    values, not of first appearance: a numeric or datetime column (not bool), or one of
    objects that are all such values."""
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return True
    present = values.dropna()
    return len(present) > 0 and values.dtype == object and all(
        isinstance(x, (int, float, np.integer, np.floating, pd.Timestamp, pd.Period,
                       np.datetime64)) and not isinstance(x, (bool, np.bool_))
        for x in present)


#: ``by=DECADE`` groups by decade: a column of that name, else the decade of the year
DECADE = "decade"
#: the columns ``by="decade"`` takes the year from, in this order, when there is no
#: ``decade`` column
_DECADE_SOURCES = ("year", "date")
_YEAR_TEXT = r"^\s*(\d{4})\s*(?:年|\.0+)?\s*$"


def _decades(docs: pd.DataFrame, by, where: str, param: str = "by"
             ) -> tuple[pd.DataFrame, str | None]:
    """(``docs`` with a ``decade`` column, the column its decades come from): the one rule
    of ``by="decade"`` everywhere ``by`` names a column of the documents. A column named
    ``decade`` wins (returned as it is, source None); otherwise the decade of ``year``
    (ints, or year-like strings ``"1954"`` / ``"1954年"``; a date column there gives its
    year), else of a ``date`` column (datetimes or ISO dates, as :func:`_time_bins` bins
    them), labelled by its first year as a Python int: 1950 for 1950-1959, so groups come
    in time order. A unit with no year gets None (left out, with the library's warning, by
    whoever groups). Any other ``by`` returns ``docs`` unchanged.

    MetadataError when there is neither a decade nor a year (or date) column;
    ParameterError when the year column holds values that are not years.

    >>> d = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "year": [1954, "1959年", 1992, None]})
    >>> _decades(d, "decade", "example")[0]["decade"].tolist()
    [1950, 1950, 1990, None]
    """
    if not isinstance(by, str) or by != DECADE or DECADE in docs.columns:
        return docs, None
    source = next((c for c in _DECADE_SOURCES if c in docs.columns), None)
    if source is None:
        cols = [c for c in docs.columns if c != "text"]
        raise MetadataError(
            f"{where}: {param}='decade' needs a column 'decade' or a column 'year' (or "
            f"'date') to take the decades from; there is neither (columns present: {cols}). "
            "Add the year, e.g. corpus.docs['year'] = ..., or a decade column of your own")
    binned, _ = _time_bins(docs, source, None, where)     # dates: their years
    values = binned[source]
    year = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & year.isna()
    if bad.any():            # year-like text: "1954", "1954年"
        text = values[bad].astype(str).str.extract(_YEAR_TEXT, expand=False)
        year = year.astype(float).where(~bad, pd.to_numeric(text, errors="coerce"))
        bad = values.notna() & year.isna()
    if bad.any():
        examples = list(dict.fromkeys(values[bad].astype(str).tolist()))[:3]
        raise ParameterError(
            f"{where}: {param}='decade' takes the decade of column {source!r}, but "
            f"{int(bad.sum())} of its values are not years (e.g. {examples}); correct them "
            "or give a 'decade' column")
    decade = [None if pd.isna(y) else int(y) // 10 * 10 for y in year.tolist()]
    return docs.assign(**{DECADE: pd.Series(decade, index=docs.index, dtype=object)}), source


def _group_codes(docs: pd.DataFrame, by, where: str | None = None, param: str = "by"):
    """(integer group code per unit, group labels, name): labels of numbers or dates
    (years) in order, others in order of first appearance.

    ``by`` is a metadata column name, one label per unit, or None (one group, ``"all"``);
    ``"decade"`` with no column of that name groups by the decade of ``year``
    (:func:`_decades`). Code -1 marks a unit with no value; with ``where`` such units are
    reported in a warning (that names ``year`` when the decades come from it), and so are
    labels that name one place two ways (:func:`_warn_same_places`; nothing is merged).

    >>> _group_codes(pd.DataFrame({"year": [2017, 2013, 2017]}), "year")[1]
    [2013, 2017]
    >>> _group_codes(pd.DataFrame({"region": ["广西", "甘肃", "广西"]}), "region")[1]
    ['广西', '甘肃']
    """
    if by is None:
        return np.zeros(len(docs), dtype=np.intp), ["all"], None
    source = None
    if isinstance(by, str):
        docs, source = _decades(docs, by, where or "grouping", param)
        check_column(docs, by, param)
        values = docs[by]
        name = by
    else:
        values = pd.Series(list(by) if not isinstance(by, pd.Series) else by.to_numpy())
        if len(values) != len(docs):
            raise ParameterError(f"{param} must be a metadata column name or one label per "
                                 f"unit ({len(docs)}), got {len(values)} labels")
        name = getattr(by, "name", None) or "group"
    codes, labels = pd.factorize(values, sort=_ordinal(values), use_na_sentinel=True)
    codes = np.asarray(codes)
    if where is not None:
        warn_left_out(codes < 0, docs, source or name, where)
        if source is None:
            counts = np.bincount(codes[codes >= 0], minlength=len(labels))
            _warn_same_places(list(labels), counts.tolist(), name, where,
                              _noun(docs), column=isinstance(by, str))
    return codes, list(labels), name


def _noun(docs: pd.DataFrame) -> str:
    """What a row of ``docs`` is in words: ``unit`` when the rows are units of documents
    (a ``parent_id`` column), else ``document``."""
    return "unit" if "parent_id" in docs.columns else "document"


def _same_places(labels: list) -> list[list[int]]:
    """The positions in ``labels`` of each set of two or more labels that name the same
    place by the built-in gazetteer (:func:`bri_text._lexicons.place_unit`), in order of
    first appearance.

    >>> _same_places(["浙江", "广东", "浙江省", "吉林省", "吉林市"])
    [[0, 2]]
    """
    by_place: dict = {}
    for i, label in enumerate(labels):
        unit = place_unit(label)
        if unit is not None:
            by_place.setdefault(unit, []).append(i)
    return [ix for ix in by_place.values() if len(ix) > 1]


def _warn_same_places(labels: list, counts: list, name, where: str, noun: str = "document",
                      column: bool = True) -> list[list]:
    """Warn once when two or more of the group ``labels`` (``counts``: the rows of each,
    ``noun`` what a row is) name the same province-level division, prefecture or city by
    ``bri_text/lexicons/provinces.tsv`` (浙江 and 浙江省, 广西 and 广西壮族自治区, 深圳 and
    深圳市): they would be compared as different groups. Names each set with its counts and
    the line that gives them one label (the label most rows carry; on a tie the shorter).
    Nothing is merged: the labels are the researcher's. A province and a city of the same
    name (吉林省, 吉林市) are two places and are not named. Returns the sets of labels.

    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     _warn_same_places(["浙江", "广东", "浙江省"], [2, 3, 1], "province", "keyness")
    [['浙江', '浙江省']]
    >>> print(str(said[0].message)[:94])
    keyness: labels of 'province' that name the same place are compared as different groups: 浙江 (2
    """
    sets = _same_places(labels)
    if not sets:
        return []
    words, mapping = [], {}
    for ix in sets:
        keep = min(ix, key=lambda i: (-counts[i], len(str(labels[i])), i))
        mapping.update({labels[i]: labels[keep] for i in ix if i != keep})
        words.append(" and ".join(
            f"{labels[i]} ({counts[i]} {noun}{'s' if counts[i] != 1 else ''})" for i in ix))
    if column:
        fix = (f"corpus.docs[{name!r}] = corpus.docs[{name!r}].replace({mapping!r}) before "
               "tokenizing (or on the table you group: its .docs or the DataFrame)")
    else:
        fix = f"replace {mapping!r} in the labels passed as {name if name else 'by'}="
    warnings.warn(
        f"{where}: labels of {name!r} that name the same place are compared as different "
        f"groups: {'; '.join(words)} (bri_text/lexicons/provinces.tsv). If each is one "
        f"jurisdiction, give it one label, e.g. {fix}; a province and a city of the same "
        "name (吉林省, 吉林市) are two places and are not named here",
        stacklevel=_user_stacklevel())
    return [[labels[i] for i in ix] for ix in sets]


def _indicator(codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """Sparse (groups x units) 0/1 matrix; units with code -1 belong to no group."""
    keep = np.flatnonzero(codes >= 0)
    return sparse.csr_matrix((np.ones(len(keep), dtype=np.int64), (codes[keep], keep)),
                             shape=(n_groups, len(codes)))


def _group_table(docs: pd.DataFrame, codes: np.ndarray, labels: list, name,
                 n_docs: bool = False) -> pd.DataFrame:
    """One row per group: ``doc_id`` (the label as a string), the ``by`` column ``name``
    (unless it is doc_id), ``n_units`` and, with ``n_docs`` and a ``parent_id`` column,
    the number of documents the group's units come from."""
    out = pd.DataFrame({"doc_id": [str(x) for x in labels]})
    if name is not None and name != "doc_id":
        out[name] = labels
    ok = codes >= 0
    out["n_units"] = np.bincount(codes[ok], minlength=len(labels))
    if n_docs and "parent_id" in docs.columns:
        parents = pd.DataFrame({"g": codes[ok], "p": docs["parent_id"].to_numpy()[ok]})
        out["n_docs"] = parents.groupby("g")["p"].nunique().reindex(
            range(len(labels)), fill_value=0).to_numpy()
    return out


#: at most this many split documents are named in :func:`_warn_split_documents`
_SPLIT_EXAMPLES = 3


def _user_stacklevel() -> int:
    """The stacklevel of the first frame outside bri_text (the user's call), so that a
    warning points at the line that made the comparison."""
    root = str(Path(__file__).resolve().parent)
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(root):
        frame, level = frame.f_back, level + 1
    return level


def _warn_split_documents(docs: pd.DataFrame, codes: np.ndarray, labels: list, name,
                          where: str, consequence: str | None = None) -> int:
    """Warn once when the units of one document (``parent_id``) fall in more than one of
    the compared groups (``codes``, -1: in none): such a document is counted on each side
    it has units on, and document-level tests, intervals and counts of documents treat
    its parts as independent documents. Names up to three documents and their groups, and
    what to fix. Returns how many documents are split (0 without ``parent_id``).

    ``consequence`` replaces what the warning says happens to such a document, for a
    caller that does not count it in each group (trend_test gives it one year).

    >>> docs = pd.DataFrame({"doc_id": ["a#p0", "a#p1", "b#p0"], "parent_id": ["a", "a", "b"],
    ...                      "region": ["广西", "甘肃", "甘肃"]})
    >>> codes, labels, name = _group_codes(docs, "region")
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     _warn_split_documents(docs, codes, labels, name, "keyness")
    1
    >>> str(said[0].message)[:90]
    "keyness: 1 document has units in more than one group of 'region' (a: 广西 1 unit, 甘肃 1 unit)"
    """
    if "parent_id" not in docs.columns:
        return 0
    codes = np.asarray(codes)
    ok = codes >= 0
    pairs = pd.DataFrame({"doc": docs["parent_id"].to_numpy()[ok], "group": codes[ok]})
    n_groups = pairs.groupby("doc", sort=False)["group"].nunique()
    split = n_groups.index[n_groups.to_numpy() > 1]
    if not len(split):
        return 0
    shown = pairs[pairs["doc"].isin(split[:_SPLIT_EXAMPLES])]
    examples = [(doc, [(labels[g], int(k)) for g, k in
                       rows["group"].value_counts(sort=False).sort_index().items()])
                for doc, rows in shown.groupby("doc", sort=False)]
    warnings.warn(_split_message(len(split), examples, name, where, consequence),
                  stacklevel=_user_stacklevel())
    return len(split)


def _split_message(n: int, examples: list, name, where: str,
                   consequence: str | None = None) -> str:
    """The words of :func:`_warn_split_documents`: ``n`` split documents, ``examples`` the
    first (up to three) of them as ``(document, [(group label, units), ...])`` with the
    groups in the order of the comparison. The Dask grouping (bri_text.distributed), which
    counts documents from hashes over partitions, says the same through it.

    >>> _split_message(1, [("a", [("广西", 1), ("甘肃", 2)])], "region", "keyness")[53:91]
    "of 'region' (a: 广西 1 unit, 甘肃 2 units)"
    """
    shown = [f"{doc}: " + ", ".join(f"{label} {k} unit{'s' if k != 1 else ''}"
                                    for label, k in per)
             for doc, per in examples[:_SPLIT_EXAMPLES]]
    more = f"; and {n - len(shown)} more" if n > len(shown) else ""
    groups = f"group of {name!r}" if name is not None else "compared group"
    fix_groups = (f"give all units of a document the same value of {name!r}"
                  if name is not None else
                  "choose target= / reference= so that a document's units are on one side")
    if consequence is None:
        consequence = (f"{'each is' if n != 1 else 'it is'} counted in each of them, so "
                       "counts of documents, document-level tests and intervals count it "
                       "more than once and treat its parts as independent documents")
    return (
        f"{where}: {n} document{'s have' if n != 1 else ' has'} units in more than one "
        f"{groups} ({'; '.join(shown)}{more}); {consequence}. "
        f"To fix: {fix_groups}; or, if these parts are of different documents, name the "
        "right document column (document=COLUMN of read_csv / read_excel / "
        "Corpus.from_dataframe, the report's --document-column; else the parent_id column)")


def _document_codes(docs: pd.DataFrame, where: str):
    """(code of each unit's document, document ids in order of first appearance) from
    ``parent_id``; MetadataError if a unit has none."""
    codes, labels = pd.factorize(docs["parent_id"], sort=False, use_na_sentinel=True)
    codes = np.asarray(codes)
    if (codes < 0).any():
        raise MetadataError(f"{where}: level='document' needs a parent_id for every unit; "
                            f"{int((codes < 0).sum())} units have none")
    return codes, list(labels)


def _document_meta(docs: pd.DataFrame, codes: np.ndarray, labels: list) -> pd.DataFrame:
    """The documents' metadata (each document's first unit, without the unit columns),
    ``doc_id`` = the document id, and ``n_units``."""
    cols = [c for c in docs.columns if c not in _UNIT_COLS and c not in _COUNT_COLS]
    first = docs.drop_duplicates("parent_id").set_index("parent_id").loc[labels, cols]
    out = first.reset_index().rename(columns={"parent_id": "doc_id"})
    out["doc_id"] = out["doc_id"].astype(str)
    out["n_units"] = np.bincount(codes, minlength=len(labels))
    return out


def _merge_units(docs: pd.DataFrame, token_lists: list):
    """Units merged back into their documents, in order: (documents DataFrame with
    ``doc_id``, ``text`` (the units' texts joined by newlines) and the documents' metadata;
    the documents' token lists)."""
    codes, labels = _document_codes(docs, "merge")
    merged: list = [[] for _ in labels]
    texts: list = [[] for _ in labels]
    unit_texts = docs["text"].astype(str).tolist() if "text" in docs.columns else None
    for i, c in enumerate(codes.tolist()):
        merged[c].extend(token_lists[i])
        if unit_texts is not None:
            texts[c].append(unit_texts[i])
    meta = docs.drop_duplicates("parent_id").drop(
        columns=[c for c in _UNIT_COLS if c in docs.columns and c != "parent_id"])
    meta = meta.rename(columns={"parent_id": "doc_id"}).reset_index(drop=True)
    if unit_texts is not None:
        meta.insert(1, "text", ["\n".join(t) for t in texts])
    return meta, merged


def _check_df(value, name: str) -> None:
    """``min_df``/``max_df``: an int count of units (>= 0) or a float share in [0, 1]."""
    if isinstance(value, (float, np.floating)):
        check_scalar(value, name, "real", min_val=0.0, max_val=1.0)
    else:  # an int count of units; anything else is named in the error
        check_scalar(value, name, min_val=0)


# ---------------------------------------------------------------------- metadata conditions
def _condition_frame(docs: pd.DataFrame, condition, param: str) -> pd.DataFrame:
    """``docs`` with the columns a dict ``condition`` names that are derived, not stored:
    ``decade`` (:func:`_decades`, the rule of ``by="decade"``) when there is no column of
    that name, so ``{"decade": 1950}`` selects the units ``by="decade"`` puts in 1950.

    >>> d = pd.DataFrame({"year": [1954, 1992]})
    >>> _condition_frame(d, {"decade": 1950}, "target")["decade"].tolist()
    [1950, 1990]
    """
    if isinstance(condition, dict) and DECADE in condition:
        docs, _ = _decades(docs, DECADE, param, param)
    return docs


def condition_mask(docs, condition, param: str) -> np.ndarray:
    """Boolean mask of the units matching ``condition``: a dict ``{column: value or list of
    values}`` (all must hold) or a boolean sequence with one value per unit. The key
    ``"decade"`` with no such column is the decade of the year (:func:`_decades`).

    >>> d = pd.DataFrame({"year": [1954, 1992, 1959, None]})
    >>> condition_mask(d, {"decade": 1950}, "target").tolist()
    [True, False, True, False]
    """
    n = len(docs)
    if isinstance(condition, dict):
        if not condition:
            raise ParameterError(f"{param} is an empty condition; give e.g. "
                                 f"{param}={{'region': '广西'}}")
        docs = _condition_frame(docs, condition, param)
        mask = np.ones(n, dtype=bool)
        for col, value in condition.items():
            check_column(docs, col, param)
            values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
            mask &= docs[col].isin(values).to_numpy()
        return mask
    if isinstance(condition, (str, bytes)):
        raise ParameterError(f"{param} must be a dict like {{'region': '广西'}} or a boolean "
                             f"mask, got the string {condition!r}")
    arr = np.asarray(condition.fillna(False) if str(getattr(condition, "dtype", "")) == "boolean"
                     else condition)  # a nullable comparison result: NA counts as no
    if arr.dtype != bool or arr.ndim != 1 or len(arr) != n:
        raise ParameterError(f"{param} must be a dict like {{'region': '广西'}} or a boolean "
                             f"mask with one value per unit ({n}); got {type(condition).__name__}"
                             f" of dtype {arr.dtype} and shape {arr.shape}")
    return arr


def subset_mask(docs, mask=None, conditions=None) -> np.ndarray:
    """Rows of ``docs`` matching a boolean ``mask`` and all metadata ``conditions``
    (``{"region": ["广西", "甘肃"], "level": "provincial"}``): the rule behind every
    ``subset`` method (Corpus, Tokens, DocumentTermMatrix).

    A condition none of whose values occurs in its column (a typo: ``level="provinical"``)
    raises :class:`MetadataError` naming the values present and the closest ones, as
    ``keyness`` does for a target that matches nothing; a list with some absent values
    warns about those.

    >>> docs = pd.DataFrame({"level": ["national", "provincial", "municipal"]})
    >>> subset_mask(docs, conditions={"level": "provinical"})
    Traceback (most recent call last):
    ...
    bri_text.errors.MetadataError: subset: no unit has level='provinical'; did you mean ['provincial']? Values of 'level': ['municipal', 'national', 'provincial']
    """
    keep = np.ones(len(docs), dtype=bool)
    if mask is not None:
        keep &= condition_mask(docs, mask, "mask")
    if conditions:
        docs = _condition_frame(docs, conditions, "subset")       # {"decade": 1950}
        keep &= condition_mask(docs, conditions, "subset")
        for col, value in conditions.items():
            _check_values_present(docs[col], col, value, "subset")
    return keep


def _check_values_present(column, col: str, value, where: str) -> None:
    """MetadataError when no value asked for occurs in ``column``; a warning when some
    of a list of values do not, with the closest values present (difflib)."""
    import difflib

    values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    absent = [v for v in values if not column.isin([v]).any()]
    if not absent:
        return
    present = pd.unique(column.dropna())
    try:
        present = sorted(present)
    except TypeError:
        present = sorted(present, key=str)
    shown = [x.item() if isinstance(x, np.generic) else x for x in present]
    names = [str(x) for x in shown]
    # a short name (广西) is the start of the full one (广西壮族自治区), too short for difflib;
    # numbers are not close by their digits (audit44b: year 1989 of the work reports, with
    # no report, got "did you mean ['1999', '1998', '1997']")
    close = [] if pd.api.types.is_numeric_dtype(column) or _ordinal(column) else list(dict.fromkeys(
        m for v in absent for m in (
            [x for x in names if str(v) and x.startswith(str(v))][:3]
            or difflib.get_close_matches(str(v), names, n=3, cutoff=0.6))))
    hint = f"; did you mean {close}?" if close else ";"
    listing = f"Values of {col!r}: {shown[:30]}" + (
        f" and {len(shown) - 30} more" if len(shown) > 30 else "")
    if len(absent) == len(values):
        what = f"{col}={value!r}" if len(values) == 1 else f"{col} in {values!r}"
        raise MetadataError(f"{where}: no unit has {what}{hint} {listing}")
    warnings.warn(f"{where}: {col} values {absent} occur in no unit{hint} {listing}",
                  stacklevel=4)


# ---------------------------------------------------------------------- groups over time
#: the most groups a filled time grid may have (years between the first and the last...)
_MAX_GRID = 1000
_FREQS = ("year", "quarter", "month")
_ISO_DATE = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:[ T]\d{1,2}:\d{2}.*)?$"


def _period(iso, freq: str):
    """``"2021-03"`` (or ``"2021"``) as a year (int), quarter (``"2021Q1"``) or month; None
    when it is missing or does not say the month a quarter or month needs."""
    if iso is None or pd.isna(iso):
        return None
    if freq == "year":
        return int(iso[:4])
    if len(iso) < 7:
        return None
    month = int(iso[5:7])
    return f"{iso[:4]}Q{(month - 1) // 3 + 1}" if freq == "quarter" else iso[:7]


def _time_bins(docs: pd.DataFrame, by, freq, where: str) -> tuple[pd.DataFrame, str | None]:
    """(``docs`` with the ``by`` column binned, the bin used).

    A date column (datetime values, or ISO date strings such as ``2021-03-08``) is binned
    by ``freq``: ``"year"`` (the default for a date column: an int year), ``"quarter"``
    (``"2021Q1"``) or ``"month"`` (``"2021-03"``), so that groups are periods, not days or
    nanoseconds. Another column is returned unchanged (``freq`` must then be None).

    >>> d = pd.DataFrame({"date": pd.to_datetime(["2021-03-08", "2021-11-30", "2023-01-02"])})
    >>> _time_bins(d, "date", None, "example")[0]["date"].tolist()
    [2021, 2021, 2023]
    >>> _time_bins(d, "date", "quarter", "example")[0]["date"].tolist()
    ['2021Q1', '2021Q4', '2023Q1']
    """
    if freq is not None and freq not in _FREQS:
        raise ParameterError(f"{where}: freq must be one of {_FREQS} or None, got {freq!r}")
    if not isinstance(by, str) or by not in docs.columns:
        return docs, None
    values = docs[by]
    dated = pd.api.types.is_datetime64_any_dtype(values)
    if not dated and (values.dtype == object or pd.api.types.is_string_dtype(values)):
        present = values.dropna()
        dated = bool(len(present)) and bool(
            present.astype(str).str.match(_ISO_DATE).all())
    if not dated:
        if freq is not None:
            raise ParameterError(f"{where}: freq={freq!r} bins a date column; by={by!r} holds "
                                 f"no dates (dtype {values.dtype})")
        return docs, None
    freq = freq or "year"
    if pd.api.types.is_datetime64_any_dtype(values):
        iso = values.dt.strftime("%Y-%m").where(values.notna(), None)
    else:  # ISO strings: 2021-03-08, 2021-03 or 2021 (a date known to the year only)
        iso = values.astype("string").str.extract(r"^(\d{4}(?:-\d{2})?)", expand=False)
    binned = [_period(v, freq) for v in iso]
    return docs.assign(**{by: pd.Series(binned, index=docs.index, dtype=object)}), freq


def _time_grid(groups, freq, where: str) -> list | None:
    """Every period from the first group to the last (years as ints when ``freq`` is None
    or ``"year"`` and the groups are whole numbers; every tenth year for ``"decade"``, the
    groups of ``by="decade"``; ``"2021Q1"`` / ``"2021-03"`` strings for quarters /
    months), or None when the groups are not periods. A grid of more than
    :data:`_MAX_GRID` groups raises :class:`ParameterError` (bin the dates instead).

    >>> _time_grid([2015, 2018], None, "example")
    [2015, 2016, 2017, 2018]
    >>> _time_grid([1950, 1980], "decade", "example")
    [1950, 1960, 1970, 1980]
    >>> _time_grid(["2021Q4", "2022Q2"], "quarter", "example")
    ['2021Q4', '2022Q1', '2022Q2']
    """
    groups = [g for g in groups if not pd.isna(g)]
    if not groups:
        return None
    if freq in ("quarter", "month"):
        code = "Q" if freq == "quarter" else "M"
        periods = [pd.Period(g, freq=code) for g in groups]
        lo, hi = min(periods), max(periods)
        n = (hi - lo).n + 1
        grid = None if n > _MAX_GRID else [str(p) for p in pd.period_range(lo, hi, freq=code)]
    else:
        try:
            years = np.asarray(groups, dtype=float)
        except (TypeError, ValueError):
            return None
        if not np.all(np.isfinite(years)) or not np.all(years == np.round(years)):
            return None
        step = 10 if freq == DECADE else 1
        n = int(years.max() - years.min()) // step + 1
        grid = None if n > _MAX_GRID else list(range(int(years.min()), int(years.max()) + 1,
                                                     step))
    if grid is None:
        raise ParameterError(
            f"{where}: the groups run from {min(groups)} to {max(groups)}, {n:,} "
            f"{freq or 'year'} periods to fill (at most {_MAX_GRID:,}); bin the dates "
            "(freq='year', a year column) or check for a wrong value, or pass "
            "fill_years=False")
    return grid
