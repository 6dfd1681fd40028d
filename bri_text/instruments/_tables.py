"""Instrument tables: counts and shares by group with intervals, the two-dimensional matrix,
and a clause x code matrix for keyness.

The unit is the coded clause; the document a clause belongs to is its ``parent_id`` (a
clause corpus from ``corpus.reshape("clause")``), so intervals resample documents (and
clauses within them), as every interval of the library does (docs/STATISTICS.md).

Papers count provisions, not the titles over them: by default every table leaves out the
units that are not provisions (a clause corpus's ``is_heading`` units such as
``（二）基本原则``, tables of contents, ``clause_kind == "contents"``, a document's
title line, and unnumbered fragments such as a table's cells, dates and cited titles),
counted in
``attrs["n_headings"]``; ``include_headings=True`` counts them too. Groups whose labels are
numbers or dates (years) come in their order, other groups in order of appearance.
"""
from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from .. import _stats
from .._clauses import _is_fragment
from .._grouping import _decades
from .._util import check_column, check_random_state, seed_record
from ..compare import grouped_counts
from ..errors import MetadataError, ParameterError
from ._codebook import NONE, Codebook, _as_codebook

NONE_CODE = NONE
_LEVELS = ("subtype", "type")


def _as_frame(coded) -> pd.DataFrame:
    """The coded clauses as a DataFrame with a ``doc_id`` column (from the index when the
    codes are indexed by clause id)."""
    if not isinstance(coded, pd.DataFrame):
        raise ParameterError("coded must be a DataFrame of coded clauses (the output of "
                             f"bt.code_clauses or hand codes), got {type(coded).__name__}")
    df = coded
    if "doc_id" not in df.columns:
        df = df.rename_axis("doc_id").reset_index()
    return _with_documents(df)


#: attrs["documents"]: where each clause's document came from
_DOCS_FROM = {"parent_id": "parent_id", "ids": "doc_id before '#'",
              "rows": "doc_id (each row its own document)"}


def _with_documents(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with a ``parent_id`` column when the clause ids say their document
    (``bri12#c3`` is a clause of ``bri12``, as ``corpus.reshape`` names units) and none is
    given: clauses of one document are then resampled together, not as documents of their
    own. ``attrs["documents"]`` records where the documents came from."""
    if "parent_id" in df.columns and df["parent_id"].notna().all():
        how = "parent_id"
    else:
        ids = df["doc_id"].astype(str)
        if len(ids) and ids.str.contains("#", regex=False).all() and "parent_id" not in df:
            df = df.assign(parent_id=ids.str.rsplit("#", n=1).str[0].to_numpy())
            how = "ids"
        else:
            how = "rows"
    df.attrs = {**df.attrs, "documents": _DOCS_FROM[how]}
    return df


#: a unit this similar to its document's ``title`` (difflib ratio) is the title line
_TITLE_RATIO = 0.8
#: a dated note in brackets after a title (adopted, issued, revised on a day)
_NOTE = re.compile(r"[（(][^（）()]*\d{4}年[^（）()]*(?:通过|公布|发布|印发|修订|修正|施行)[）)]$")


def _title_line(text, title) -> bool:
    """Whether a unit is its document's title line (``广西参与建设…的思路与行动`` under the
    title ``广西建设…的思路与行动``): no sentence of its own and nearly the title."""
    from difflib import SequenceMatcher

    if not isinstance(text, str) or not isinstance(title, str) or not title.strip():
        return False
    # the title with its adoption note: 河南省数字经济促进条例（2021年12月28日…通过）
    text = _NOTE.sub("", re.sub(r"\s+", "", text))
    if re.search(r"[。！？；]", text) or len(text) > 2 * len(title):
        return False
    return SequenceMatcher(None, text, re.sub(r"\s+", "", title)).ratio() >= _TITLE_RATIO


def _not_provisions(df: pd.DataFrame) -> np.ndarray:
    """True for the units of a clause corpus that are not provisions: headings
    (``is_heading``), tables of contents (``clause_kind == "contents"``), the document's
    title line (one of its first two units, nearly its ``title``) and unnumbered fragments
    (``clause_kind`` paragraph or sentence, :func:`bri_text._clauses._is_fragment`: a
    table's cells, dates, cited titles, 各位代表！); all False otherwise."""
    out = np.zeros(len(df), dtype=bool)
    if "is_heading" in df.columns:
        out |= df["is_heading"].fillna(False).to_numpy(dtype=bool)
    if "clause_kind" in df.columns:
        kind = df["clause_kind"]
        out |= (kind == "contents").fillna(False).to_numpy(dtype=bool)
        if "text" in df.columns:
            loose = kind.isin(["paragraph", "sentence"]).to_numpy(dtype=bool) & ~out
            out[loose] = [_is_fragment(str(t)) for t in df["text"].to_numpy()[loose]]
    if {"unit_index", "title", "text"} <= set(df.columns):
        first = (df["unit_index"] < 2).fillna(False).to_numpy(dtype=bool)
        out[first] |= np.array([_title_line(t, h) for t, h in
                                zip(df["text"].to_numpy()[first],
                                    df["title"].to_numpy()[first])], dtype=bool)
    return out


def _provisions(df: pd.DataFrame, include_headings: bool) -> tuple[pd.DataFrame, int]:
    """(the rows to count, the number of heading / contents rows left out)."""
    if include_headings:
        return df, 0
    drop = _not_provisions(df)
    return df[~drop], int(drop.sum())


def _none_codes(coded, codebook) -> set:
    """The codes that mean "no instrument": ``none``, the codebook's no-instrument codes
    (:meth:`Codebook.none_code`, e.g. a code 无 marked in its ``none`` column) and those
    ``code_clauses`` recorded in ``coded.attrs["none_codes"]``."""
    out = {NONE_CODE}
    if isinstance(codebook, Codebook):
        out |= set(codebook.none_codes)
    attrs = getattr(coded, "attrs", {}) or {}
    out |= set(attrs.get("none_codes", ()))
    return out


def _book(codebook):
    """A codebook file read; a Codebook, a dict or None as given."""
    return _as_codebook(codebook) if isinstance(codebook, (str, os.PathLike)) else codebook


def _parents(codebook) -> dict:
    """{code: its type} from a Codebook (``.table`` with ``code`` and ``parent``) or a dict."""
    if codebook is None:
        return {}
    if isinstance(codebook, dict):
        return dict(codebook)
    table = getattr(codebook, "table", None)
    if not isinstance(table, pd.DataFrame) or not {"code", "parent"} <= set(table.columns):
        raise ParameterError("codebook must be a Codebook (bt.read_codebook) or a dict "
                             "{code: type}")
    parent = table["parent"].fillna("").astype(str)
    return {c: (p or c) for c, p in zip(table["code"], parent)}


def _codes_of(df: pd.DataFrame, column: str, level: str, codebook,
              none: frozenset = frozenset({NONE_CODE})) -> pd.Series:
    """Each clause's code at ``level``: the column itself, or its type (the ``type`` column
    when ``column`` is ``code``, else the codebook's parent of each code); the
    no-instrument codes ``none`` stay themselves."""
    if level not in _LEVELS:
        raise ParameterError(f"level must be one of {_LEVELS}, got {level!r}")
    check_column(df, column, "column")
    codes = df[column].astype("string")
    if level == "subtype":
        return codes
    if column == "code" and "type" in df.columns and codebook is None:
        return df["type"].astype("string").where(~codes.isin(list(none)).fillna(False),
                                                 codes)
    parents = _parents(codebook)
    if not parents:
        raise ParameterError("level='type' needs a 'type' column or codebook= to find the "
                             "type of each code")
    unknown = sorted(set(codes.dropna()) - set(parents) - set(none))
    if unknown:
        raise MetadataError(f"codes {unknown[:10]} are not in the codebook")
    return codes.map(lambda c: parents.get(c, c) if isinstance(c, str) else c)


def _order(codes: pd.Series, codebook, level: str) -> list:
    """Categories in the codebook's order (types or subtypes), else sorted; codes found in
    the data but not in the codebook come last."""
    seen = sorted(set(codes.dropna()))
    table = getattr(codebook, "table", None)
    if table is None:
        return seen
    parent = table["parent"].fillna("").astype(str)
    listed = [c for c, p in zip(table["code"], parent) if (p == "") == (level == "type")]
    if level == "subtype":   # codes of other dimensions (targets) are top-level: keep them
        listed += [c for c, p in zip(table["code"], parent) if p == "" and c not in listed
                   and c not in set(parent)]
    return [c for c in listed if c in seen] + [c for c in seen if c not in listed]


def _without_instruments(df: pd.DataFrame, keep: np.ndarray, by) -> tuple[dict, dict]:
    """The groups of ``by`` (a column of ``df``, the provisions) none of whose provisions
    is kept (``keep``: coded with an instrument), as {group: provisions}, and per group the
    documents (``parent_id``) with no kept provision, {group: [ids]}: neither counts in
    the table's ``n_units`` / ``n_docs``."""
    df, _ = _decades(df, by, "instrument_shares")     # by="decade": of the year
    if not isinstance(by, str) or by not in df.columns or not len(df):
        return {}, {}
    groups = df[by].to_numpy(dtype=object)
    present = pd.notna(groups)
    kept = set(groups[keep & present])
    sizes = pd.Series(groups[present]).value_counts(sort=False)
    empty = {g: int(n) for g, n in sizes.items() if g not in kept}
    docs = {}
    if "parent_id" in df.columns:
        table = pd.DataFrame({"g": groups[present], "p": df["parent_id"].to_numpy()[present],
                              "k": keep[present]})
        has = table.groupby(["g", "p"], sort=False)["k"].any()
        docs = {g: sorted(map(str, s.index.get_level_values("p")[~s.to_numpy()]))
                for g, s in has.groupby(level="g", sort=False) if not s.all()}
    return empty, docs


def instrument_shares(coded, by=None, *, column: str = "code", level: str = "subtype",
                      codebook=None, include_none: bool = False,
                      include_headings: bool = False, n_boot: int = 0,
                      ci: float = 0.95, random_state=0,
                      resample: str = "two-stage") -> pd.DataFrame:
    """How many clauses of each group use each instrument, and their share, with intervals.

    Parameters
    ----------
    coded : DataFrame
        One row per clause: the codes (``column``, by default ``code``; the output of
        :func:`bri_text.code_clauses`, or hand codes joined to the clause corpus's
        metadata), the grouping column, and the clause's document in ``parent_id`` (a
        clause corpus); without ``parent_id``, the clause ids before ``#`` (``bri12#c3``
        is a clause of ``bri12``), else every row is its own document (with a warning
        when intervals are asked for); ``attrs["documents"]`` says which.
    by : str, optional
        Metadata column to group by (``region``, ``level``, ``year``); None: one group.
        Numeric or date groups (years) come sorted, others in order of appearance.
        ``by="decade"``: decades of the ``year`` column (1950 for 1950-1959), unless
        there is a ``decade`` column (README, "Decades"). Labels are compared as written;
        two naming one place (浙江, 浙江省) are named in a warning (README, "One place
        written two ways").
    level : {"subtype", "type"}
        Subtypes as coded, or their types (supply / environment / demand), from the
        ``type`` column or the ``codebook``'s parents.
    codebook : Codebook or path, optional
        The codebook (or its file): the types of the codes at ``level="type"``, the
        order of the codes, and its no-instrument code (``none``, or the code its ``none``
        column marks, such as 无; :meth:`Codebook.none_code`). A table from
        :func:`bri_text.code_clauses` remembers its codebook's no-instrument code; hand
        codes need ``codebook=`` for a code other than ``none``.
    include_none : bool
        Whether clauses coded "no instrument" (``none``, or the codebook's no-instrument
        code, ``attrs["none_codes"]``) are a category of their own. By
        default they are left out of the shares (shares of the instrument clauses, as
        papers report them) and counted in ``attrs["n_none"]``. Clauses with no code at
        all are always left out and counted in ``attrs["n_uncoded"]``.
    include_headings : bool
        Whether units that are not provisions count: the headings of a clause corpus
        (``is_heading``: ``（二）基本原则``, ``二、加快设施互联互通``, whose text is in the
        ``heading_path`` of the clauses under them), tables of contents, a
        document's title line (a first unit that is nearly its ``title``) and unnumbered
        fragments (a table's cells, a date, a cited title, 各位代表！). By default
        they are left out, as papers count provisions, so a titled section does not count
        twice; ``attrs["n_headings"]`` says how many. A lead-in with sub-items
        (``2.引导银行业金融机构加大信贷投放，开展融资租赁业务。`` above ``（1）（2）``) is
        a heading; to count it as a measure of its own, set its ``is_heading`` to False
        first (e.g. the headings with a comma: ``coded["is_heading"] &=
        ~coded["text"].str.contains("，")``).
    n_boot, ci, random_state, resample
        Intervals for the shares, as :func:`bri_text.profile` computes them: the
        clauses of a group's documents resampled (``"two-stage"``: documents, then
        clauses within them; a group of one document gets no between-document interval;
        ``resample="unit"`` gives a within-document interval, labelled). ``random_state``
        (default 0, recorded in ``attrs``): another int draws other resamples, None fresh
        randomness (docs/STATISTICS.md, "Seeds"). A code no clause of a group uses gets
        [0, upper], the Clopper-Pearson bound for 0 of the group's ``n_docs`` documents
        (its clauses under ``resample="unit"``), not the bootstrap's [0, 0]: the clause
        share is at most the share of documents using the code at all
        (``attrs["zero_interval"]``; coverage in benchmarks/TRENDS.md).

    Returns a long table: ``group``, ``code``, ``count``, ``n_units`` (instrument clauses
    of the group), ``n_docs`` (the group's documents with at least one instrument clause:
    a document whose provisions are all ``none`` adds nothing to a share; they are listed
    per group in ``attrs["docs_without_instruments"]``), ``share`` and, with ``n_boot``,
    ``ci_low``, ``ci_high`` (kept inside [0, 1]), ``n_failed``, ``interval``. A group with
    no instrument clause at all has no shares: it is not in the table, and a warning and
    ``attrs["groups_without_instruments"]`` ({group: its provisions}) name it.

    >>> coded = pd.DataFrame({"doc_id": ["a#c0", "a#c1", "a#c2", "b#c0"],
    ...                       "parent_id": ["a", "a", "a", "b"],
    ...                       "region": ["广西", "广西", "广西", "甘肃"],
    ...                       "code": ["D_trade", "S_talent", "none", "D_trade"]})
    >>> t = instrument_shares(coded, by="region")
    >>> t[["group", "code", "count", "share"]].values.tolist()
    [['广西', 'D_trade', 1, 0.5], ['广西', 'S_talent', 1, 0.5], ['甘肃', 'D_trade', 1, 1.0], \
['甘肃', 'S_talent', 0, 0.0]]
    >>> t.attrs["n_none"]
    1
    """
    codebook = _book(codebook)
    none_codes = _none_codes(coded, codebook)
    frame = _as_frame(coded)
    documents = frame.attrs["documents"]
    df, n_headings = _provisions(frame, include_headings)
    codes = _codes_of(df, column, level, codebook, none_codes)
    uncoded = codes.isna() | (codes.str.strip() == "")
    none = codes.isin(list(none_codes)).fillna(False) & ~uncoded
    keep = ~uncoded & (~none | include_none)
    empty, no_instrument = _without_instruments(df, keep.to_numpy(bool), by)
    df, codes = df[keep.to_numpy()], codes[keep.to_numpy()]
    if df.empty:
        raise MetadataError(f"no clause has an instrument code in column {column!r} "
                            f"({int(uncoded.sum())} uncoded, {int(none.sum())} coded "
                            f"no instrument: {' / '.join(sorted(none_codes))})")
    if empty:
        import warnings

        warnings.warn(
            f"instrument_shares: group(s) {list(empty)} of {by!r} have no clause with an "
            f"instrument code ({', '.join(f'{g}: {n} provision' + ('s' if n != 1 else '') for g, n in empty.items())}"
            f", every one coded {' / '.join(sorted(none_codes))} or not coded), so they "
            "have no shares and are not in the table (attrs['groups_without_instruments'])",
            stacklevel=2)
    cats = _order(codes, codebook, level)
    onehot = (codes.to_numpy()[:, None] == np.asarray(cats, dtype=object)[None, :])
    counts = onehot.astype(np.int64)
    n_tok = np.ones(len(df), dtype=np.int64)
    rng = check_random_state(random_state) if n_boot else None
    if n_boot and by is None:
        raise ParameterError("n_boot needs by=: intervals come from resampling the "
                             "documents of each group")
    if n_boot and resample != "unit" and documents == _DOCS_FROM["rows"] \
            and df["doc_id"].duplicated().sum() == 0 and len(df) > 1:
        import warnings

        warnings.warn("instrument_shares: the clauses have no parent_id (and their ids no "
                      "'#'), so every clause counts as a document of its own and the "
                      "'between-document' intervals treat clauses as independent: too "
                      "narrow when clauses of one document are alike. Add each clause's "
                      "document as parent_id (a clause corpus's metadata)", stacklevel=2)
    res, iv = grouped_counts(counts, n_tok, df.reset_index(drop=True), by, "share",
                             n_boot, ci, resample, rng, "instrument_shares")
    G, K = len(res["labels"]), len(cats)
    out = pd.DataFrame({"group": np.repeat(np.asarray(res["labels"], dtype=object), K),
                        "code": np.tile(np.asarray(cats, dtype=object), G),
                        "count": res["sums"].ravel(),
                        "n_units": np.repeat(res["sums"].sum(axis=1), K),
                        "n_docs": np.repeat(res["n_docs"], K),
                        "share": res["values"].ravel()})
    if iv is not None:
        # a code no clause of the group uses has [0, Clopper-Pearson bound for 0 of n]
        # (grouped_counts: n the group's documents, its clauses under resample="unit"), not
        # the bootstrap's [0, 0]; a share lies in [0, 1]
        out["ci_low"] = np.clip(res["low"].ravel(), 0.0, 1.0)
        out["ci_high"] = np.clip(res["high"].ravel(), 0.0, 1.0)
        out["n_failed"] = np.repeat(res["n_failed"], K)
        out["interval"] = np.repeat(res["interval"], K)
        out.attrs.update(iv.attrs())
        out.attrs["zero_interval"] = _stats.ZERO_RULE + (
            ", n = the group's clauses" if resample == "unit" else
            ", n = the group's documents (a share of clauses is at most the share of "
            "documents that use the code at all)")
        iv.warn("instrument_shares")
    out.attrs.update(level=level, column=column, documents=documents,
                     n_none=int(none.sum()), none_codes=sorted(none_codes),
                     n_uncoded=int(uncoded.sum()), n_headings=n_headings,
                     groups_without_instruments=empty,
                     docs_without_instruments=no_instrument,
                     include_none=include_none, include_headings=include_headings, by=by,
                     n_boot=int(n_boot),
                     random_state=seed_record(random_state) if n_boot else None)
    return out


def instrument_matrix(coded, rows: str = "type", columns: str = "target", *,
                      normalize=None, include_headings: bool = False,
                      codebook=None) -> pd.DataFrame:
    """The two-dimensional table papers print: clauses by instrument (``rows``) and by a
    second dimension (``columns``: a policy target, an industry-chain stage, an actor).

    A cell counts the clauses coded with both; a clause with several codes in one
    dimension (``"a|b"``) counts in each. ``normalize``: None (counts), ``"all"`` (shares
    of all clauses), ``"index"`` (row shares) or ``"columns"``. Clauses with no code or
    no instrument in either dimension (``none``, or the codebook's no-instrument code, as
    in :func:`instrument_shares`) are left out (``attrs["n_left_out"]``), and so are
    headings and tables of contents unless ``include_headings`` (``attrs["n_headings"]``;
    as in :func:`instrument_shares`). Rows and columns come in the ``codebook``'s order
    when one is given (a :class:`Codebook` or its file: an industry chain's stages in
    their order, 研发设计 before 生产制造), else sorted.

    >>> coded = pd.DataFrame({"type": ["supply", "supply", "demand"],
    ...                       "target": ["设施联通", "设施联通|贸易畅通", "贸易畅通"]})
    >>> instrument_matrix(coded).values.tolist()
    [[0, 1], [2, 1]]
    """
    codebook = _book(codebook)
    none_codes = _none_codes(coded, codebook)
    df, n_headings = _provisions(_as_frame(coded), include_headings)
    dims = [d for d in (getattr(coded, "attrs", {}) or {}).get("dimensions", [])[1:]
            if d in df.columns]
    if columns not in df.columns and dims:
        # the default columns="target" on codes of a codebook whose second dimension is
        # another (产业链环节): say which column holds it
        raise MetadataError(f"columns={columns!r}: no column {columns!r}; the codebook's "
                            f"second dimension is in column {dims[0]!r}: "
                            f"instrument_matrix(coded, columns={dims[0]!r})")
    for name, col in (("rows", rows), ("columns", columns)):
        check_column(df, col, name)
    if normalize not in (None, "all", "index", "columns"):
        raise ParameterError("normalize must be None, 'all', 'index' or 'columns', got "
                             f"{normalize!r}")
    pairs = df[[rows, columns]].astype("string").reset_index(drop=True)
    for col in (rows, columns):
        pairs[col] = pairs[col].str.split("|")
        pairs = pairs.explode(col)
        pairs[col] = pairs[col].str.strip()
    clause = pairs.index.to_numpy()          # the row each (row, column) pair comes from
    pairs = pairs.reset_index(drop=True)     # crosstab needs unique labels (pandas 2.3)
    ok = (pairs.notna().all(axis=1) & (pairs != "").all(axis=1)
          & ~pairs.isin(list(none_codes)).any(axis=1)).to_numpy(bool)
    left_out = len(set(clause[~ok]) - set(clause[ok]))
    table = pd.crosstab(pairs.loc[ok, rows], pairs.loc[ok, columns],
                        normalize=normalize or False)
    if codebook is not None:
        listed = list(codebook.table["code"]) if isinstance(codebook, Codebook) \
            else list(codebook)
        table = table.reindex(index=_listed_first(table.index, listed),
                              columns=_listed_first(table.columns, listed))
    table.attrs.update(n_left_out=int(left_out), normalize=normalize, n_headings=n_headings)
    return table


def _listed_first(labels, listed: list) -> list:
    """``labels`` in the order of ``listed``, those not listed after them, sorted."""
    return [c for c in listed if c in set(labels)] + sorted(c for c in labels
                                                            if c not in set(listed))


def instrument_dtm(coded, *, column: str = "code", level: str = "subtype", codebook=None,
                   include_headings: bool = False):
    """Clauses x codes as a :class:`bri_text.DocumentTermMatrix` (one count per clause and
    code; the clause metadata kept), so groups' instrument profiles can be compared with
    :func:`bri_text.keyness` (use a document-level measure such as
    ``measure="permutation"``: clauses of one document are not independent draws).
    Headings and tables of contents are left out unless ``include_headings``, and so are
    the clauses coded no instrument (``none`` or the ``codebook``'s no-instrument code;
    as in :func:`instrument_shares`).

    >>> coded = pd.DataFrame({"doc_id": ["a", "b"], "code": ["D_trade", "S_talent"]})
    >>> m = instrument_dtm(coded)
    >>> list(m.terms), m.counts.toarray().tolist()
    (['D_trade', 'S_talent'], [[1, 0], [0, 1]])
    """
    from ..features import DocumentTermMatrix

    codebook = _book(codebook)
    none_codes = _none_codes(coded, codebook)
    df = _provisions(_as_frame(coded), include_headings)[0]
    codes = _codes_of(df, column, level, codebook, none_codes)
    keep = (codes.notna() & ~codes.isin(list(none_codes)).fillna(False)
            & (codes.str.strip() != "")).to_numpy()
    df, codes = df[keep].reset_index(drop=True), codes[keep]
    cats = _order(codes, codebook, level)
    onehot = codes.to_numpy()[:, None] == np.asarray(cats, dtype=object)[None, :]
    meta = df.drop(columns=[c for c in ("text",) if c in df.columns])
    return DocumentTermMatrix(onehot.astype(np.int64), cats, meta)
