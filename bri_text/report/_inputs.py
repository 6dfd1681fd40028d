"""What the report reads: the corpus, its dates, the groups named on the command line, the output folder."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .._dates import _date_source, _iso_dates, _title_column, _year_gaps, _years_as_dates
from .._grouping import DECADE, _decades, _same_places
from ..corpus import Corpus
from ..datasets import load_bri_policies, load_work_reports
from ..errors import InputError, MetadataError, ParameterError
from ..io import list_folder, read_csv, read_excel, read_files, read_jsonl
from ..segment import read_user_dict
from ._rules import GENERATOR, _plural

def _earlier_outputs(folder: Path) -> set[Path]:
    """Files that an earlier report wrote into ``folder`` (listed in its manifest.json)."""
    man_path = folder / "manifest.json"
    if not man_path.is_file():
        return set()
    try:
        man = json.loads(man_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(man, dict) or "bri_text" not in man or "tables" not in man:
        return set()                      # not a bri_text report's manifest
    names = list(man.get("files") or [])
    names += [f"tables/{n}.csv" for n in man.get("tables") or {}]
    names += [f"figures/{n}.{ext}" for n in man.get("figures") or [] for ext in ("png", "svg")]
    names += ["index.html", "manifest.json"]
    root = folder.resolve()
    out = set()
    for n in names:
        p = (folder / str(n)).resolve()
        if root in p.parents and p.is_file():    # never anything outside the folder
            out.add(p)
    return out


def _is_report_page(path: Path) -> bool:
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        head = path.read_bytes()[:2048].decode("utf-8", "ignore")
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}' in head


#: the built-in corpora ``corpus=`` (``--corpus``) names: name -> (loader, the call)
BUILT_IN = {"bri_policies": (load_bri_policies, "bri_text.load_bri_policies()"),
            "work_reports": (load_work_reports, "bri_text.load_work_reports()")}


def _built_in(corpus) -> str | None:
    """The built-in corpus ``corpus`` names: ``"bri_policies"`` for None, a name of
    :data:`BUILT_IN` (``"work_reports"``) when no file or folder of that name exists (a
    folder of one's own called ``work_reports`` is read as a folder); else None.

    >>> _built_in(None), _built_in("work_reports"), _built_in("reports.csv")
    ('bri_policies', 'work_reports', None)
    """
    if corpus is None:
        return "bri_policies"
    if isinstance(corpus, str) and corpus in BUILT_IN and not Path(corpus).exists():
        return corpus
    return None


def _load(corpus, metadata, errors="raise", text_column=None, id_column=None,
          keep_apparatus=False, document_column=None):
    """(Corpus, source description, files left out as a report's own output); a folder or
    table is read by the readers of :mod:`bri_text.io` and cleaned as they clean
    (``keep_apparatus`` passed on); None or a built-in corpus's name (:data:`BUILT_IN`:
    ``"work_reports"``) is that corpus, as its loader gives it."""
    built_in = _built_in(corpus)
    if built_in or isinstance(corpus, Corpus):
        for name, value in (("text_column", text_column), ("id_column", id_column),
                            ("document_column", document_column)):
            if value is not None:
                raise ParameterError(f"{name}={value!r} is for a .csv, .xlsx or .jsonl file "
                                     "given as corpus=, not for a Corpus or a built-in one"
                                     + (" (a Corpus says its documents with a parent_id "
                                        "column: read it with document=)"
                                        if name == "document_column" else ""))
        if keep_apparatus:
            raise ParameterError("keep_apparatus=True is for a folder or a .csv, .xlsx or "
                                 ".jsonl file that the report reads and cleans; "
                                 + ("the built-in corpus is used as it is shipped"
                                    if built_in else "a Corpus given is used as it is "
                                    "(read it with keep_apparatus=True instead)"))
    if built_in:
        if metadata is not None:
            raise ParameterError(f"metadata= is for a folder of files; corpus={built_in!r} "
                                 "is a built-in corpus (its metadata are its columns)")
        loader, call = BUILT_IN[built_in]
        return loader(), f"built-in: {call}", []
    if isinstance(corpus, Corpus):
        return corpus, getattr(corpus, "name", None) or "Corpus given in Python", []
    path = Path(corpus)
    if path.is_dir():
        for name, value in (("text_column", text_column), ("id_column", id_column),
                            ("document_column", document_column)):
            if value is not None:
                raise ParameterError(f"{name}={value!r} is for a .csv, .xlsx or .jsonl "
                                     f"file; {path} is a folder (one document per file, "
                                     "named by its file)")
        own = _earlier_outputs(path)
        files, left_out = [], []
        for f in list_folder(path, every_suffix=True):  # the others listed as not read
            if f.resolve() in own or _is_report_page(f):
                left_out.append(f.name)
            else:
                files.append(f)
        if not files:
            raise InputError(f"corpus={str(path)!r}: the folder holds only a report's own "
                             f"output ({', '.join(left_out)}), no documents")
        return (read_files(files, metadata=metadata, errors=errors,
                           keep_apparatus=keep_apparatus), str(path), left_out)
    if metadata is not None:
        raise ParameterError(f"metadata= is for a folder of files; {path} is a file (put the "
                             "metadata in its columns)")
    suffix = path.suffix.lower()
    kw = {"text": "text" if text_column is None else text_column, "doc_id": id_column,
          "keep_apparatus": keep_apparatus, "document": document_column}
    if suffix == ".csv":
        return read_csv(path, **kw), str(path), []
    if suffix in (".jsonl", ".json", ".ndjson"):
        return read_jsonl(path, **kw), str(path), []
    if suffix in (".xlsx", ".xlsm"):  # every sheet, with a 'sheet' column
        return read_excel(path, **kw), str(path), []
    if not path.exists():
        raise InputError(f"corpus={str(path)!r}: no such file or folder, nor the name of a "
                         f"built-in corpus ({', '.join(BUILT_IN)}; another corpus of "
                         "bri_text's own, e.g. load_work_reports(kind='all'), is given as a "
                         "CSV: corpus.docs.to_csv('reports.csv', index=False), see the "
                         "README)")
    raise InputError(f"corpus={str(path)!r}: give a folder of .txt/.html/... files, a .csv, "
                     "an .xlsx or a .jsonl file")


def _date_note(corpus, source: str, date_col: str | None = None) -> str:
    """Where the documents' dates come from, in words, for the reuse section."""
    docs = corpus.docs
    if date_col is None or date_col not in docs.columns or docs[date_col].isna().all():
        return ("The documents have no dates (no date column found: name one with "
                "--date-column), so no order of publication is given.")
    origin = getattr(corpus, "date_from", date_col)
    read = re.match(r"from column '(.+?)'", getattr(corpus, "derived", {}).get("date", ""))
    if origin == "date" and read:          # reading derived `date` from another column
        origin = read.group(1)
    missing = int(docs[date_col].isna().sum())
    gaps = f" ({_plural(missing, 'document')} undated)" if missing else ""
    n_year = getattr(corpus, "years_as_dates", 0)
    if n_year and origin != "year":
        # the documents the column leaves undated, dated by their year as bt.diffusion does
        gaps = (f" for {_plural(len(docs) - missing - n_year, 'document')}, and for the "
                f"{n_year} it leaves undated their column “year” (a year-only date: after "
                "the documents of earlier years, 'order unknown' beside those of its own "
                f"year, as bt.diffusion dates them){gaps}")
    elif n_year:
        gaps = f" (year-only dates){gaps}"
    if origin != "date":
        how = ("named with --date-column" if getattr(corpus, "date_chosen", False) else
               "found by its name (--date-column chooses another)")
        return f"Dates: the corpus's column “{origin}”{gaps}, {how}."
    if Path(source).is_dir():
        what = ""
        if "date_source" in docs.columns:  # the rule of each file's text that dated it
            counts = docs.loc[docs[date_col].notna(), "date_source"].fillna(
                "metadata").astype(str).value_counts()
            what = f"; date_source — {', '.join(f'{k}: {v}' for k, v in counts.items())}"
        return ("Dates: as read from each file (front matter, or its text: the 成文日期 of a "
                "page's table of fields, a dateline, an adoption note or the signature of an "
                f"official document, else a byline{what}){gaps}. "
                "A web page's byline gives when the page was posted, not when the document "
                "was issued: it dates a file only when its text gives no date of its own.")
    if "date_source" in docs.columns:
        counts = docs["date_source"].fillna("unknown").astype(str).value_counts()
        what = ", ".join(f"{k}: {v}" for k, v in counts.items())
        return (f"Dates: the documents' own dates where the text gives them, else the date "
                f"they were posted (date_source — {what}).")
    if source.startswith("built-in") and "load_bri_policies" in source:
        return ("Dates: the dates under which the source compendium lists the documents, "
                "i.e. when they were posted, which can be later than when they were issued.")
    return f"Dates: the corpus's own column “date”{gaps}."




def _date_column(docs: pd.DataFrame, date_column: str | None = None) -> str | None:
    """The metadata column holding the documents' dates: ``date_column`` when given, else
    the column reading finds (``bri_text._dates``: ``date``, else one named like a date,
    ``publish_date``, ``Release Time``, ``发布时间`` ..., whose values are mostly dates); a
    ``date`` column with no value does not count.

    >>> import pandas as pd
    >>> _date_column(pd.DataFrame({"doc_id": ["a"], "Release Time": ["2026年1月23日"]}))
    'Release Time'
    >>> _date_column(pd.DataFrame({"doc_id": ["a"], "date": [None]})) is None
    True
    """
    if date_column is not None and date_column not in docs.columns:
        raise MetadataError(f"date_column={date_column!r}: no such metadata column; "
                            f"columns: {[c for c in docs.columns if c != 'text']}")
    meta = docs.drop(columns="text", errors="ignore")
    if date_column != "date" and "date" in meta.columns and meta["date"].isna().all():
        meta = meta.drop(columns="date")
    return _date_source(meta, date_column, "report")


def _with_docs(corpus: Corpus, docs: pd.DataFrame, **derived) -> Corpus:
    """``corpus`` with new ``docs`` (and more ``derived`` notes), keeping what else it
    records, the report's notes on its dates included."""
    out = Corpus(docs, dropped=corpus.dropped, name=corpus.name,
                 cleaning_report=corpus.cleaning_report, removed=corpus.removed,
                 derived={**corpus.derived, **derived})
    for attr in ("date_from", "date_chosen", "decade_from", "years_as_dates"):
        if hasattr(corpus, attr):
            setattr(out, attr, getattr(corpus, attr))
    return out


def _without_duplicates(corpus: Corpus, by: str, groups: list, keep: bool = False
                        ) -> tuple[Corpus, list[dict]]:
    """(corpus, copies): the corpus without the documents that repeat another one word
    for word or nearly (:meth:`Corpus.duplicates` at its default threshold,
    :data:`~bri_text.corpus.NEAR_DUPLICATE`: spacing, punctuation, a byline or a few
    characters aside), of each the one :meth:`Corpus.duplicates` keeps (the most metadata,
    then a name that does not look like a copy, then the first in corpus order); with ``keep`` the corpus as it is. Each copy is ``{"doc_id",
    "duplicate_of", "kind" ("exact" or "near"), "similarity", "group",
    "group_of_duplicate_of"}`` (the groups: values of ``by``). A compared group left with no
    document is a ParameterError pointing to ``keep_duplicates``.

    >>> c = Corpus.from_dataframe(pd.DataFrame({"text": ["甲文。", "乙文。", "甲文！"],
    ...                                         "region": ["广西", "甘肃", "甘肃"]}))
    >>> kept, copies = _without_duplicates(c, "region", ["广西", "甘肃"])
    >>> kept.doc_ids, copies[0]["duplicate_of"], copies[0]["kind"], copies[0]["group"]
    (['doc0', 'doc1'], 'doc0', 'near', '甘肃')
    """
    table = corpus.duplicates()
    if table.empty:
        return corpus, []
    docs = corpus.docs
    value = (dict(zip(docs["doc_id"], [_as_text(v) for v in docs[by]]))
             if by in docs.columns else {})
    copies = [{"doc_id": d, "duplicate_of": o, "kind": k, "similarity": float(x),
               "group": value.get(d), "group_of_duplicate_of": value.get(o)}
              for d, o, x, k in table[["doc_id", "duplicate_of", "similarity",
                                       "kind"]].itertuples(index=False)]
    if keep:
        return corpus, copies
    out = _with_docs(corpus, docs[~docs["doc_id"].isin(table["doc_id"])])
    try:
        _resolve_groups(out.docs, by, groups)
    except MetadataError:
        pairs = ", ".join(f"{c['doc_id']} {'=' if c['kind'] == 'exact' else '≈'} "
                          f"{c['duplicate_of']}" for c in copies[:5])
        raise ParameterError(f"compare={groups}: a group is left with no document once the "
                             f"duplicates are dropped ({pairs}); compare them with "
                             "keep_duplicates=True (--keep-duplicates)") from None
    return out, copies


def _with_dates(corpus: Corpus, date_column: str | None) -> tuple[Corpus, str | None]:
    """(corpus, date column used): dates read as ISO into ``date`` when the column found
    is another one and the corpus has no ``date`` of its own, ``year`` from them when the
    corpus has no years; a column named with ``date_column`` (``--date-column``) replaces
    both. A document the column leaves undated but with a ``year`` is dated by its year,
    year only (``bri_text._dates._years_as_dates``, as ``bt.diffusion`` dates it), and a
    corpus with years and no date column is dated by them: of the columns, the dates
    reach every document one of them dates (``years_as_dates`` counts those from ``year``).

    >>> c = Corpus.from_dataframe(pd.DataFrame({"text": ["甲。", "乙。"], "year": [1954, 1957],
    ...                                         "date": [None, "1957-06-26"]}))
    >>> dated, col = _with_dates(c, None)
    >>> col, dated.docs["date"].tolist(), dated.years_as_dates
    ('date', ['1954', '1957-06-26'], 1)
    """
    docs = corpus.docs
    col = _date_column(docs, date_column)
    if col is None:
        if date_column is not None or not _year_gaps(docs, "date").any():
            return corpus, None
        col, use, new = "year", "date", docs      # years only: year-only dates
    else:
        iso = pd.Series(_iso_dates(docs[col]), index=docs.index, dtype=object)
        add = {}
        use = col
        # a column named with --date-column replaces the dates (and years) found by reading
        chosen = date_column is not None and col != "date"
        if col != "date" and (chosen or "date" not in docs.columns
                              or docs["date"].isna().all()):
            add["date"], use = iso, "date"
        if chosen or "year" not in docs.columns or docs["year"].isna().all():
            add["year"] = pd.to_numeric(iso.str[:4], errors="coerce").astype("Int64")
        new = docs.assign(**add) if add else docs
    filled = int(_year_gaps(new, use).sum())
    if new is docs and not filled:
        return corpus, col
    out = _with_docs(corpus, _years_as_dates(new, use) if filled else new)
    out.date_from = col                    # the column the dates were read from
    out.date_chosen = date_column is not None
    out.years_as_dates = filled            # documents dated by their year only
    return out, use


def _with_decades(corpus: Corpus, by: str, date_column: str | None = None) -> Corpus:
    """The corpus with a ``decade`` column when ``by="decade"`` (``--by decade``) and it has
    none: each document's decade by the library's one rule (``bri_text._grouping._decades``,
    as ``keyness(by="decade")`` groups: 1950 for 1950-1959), of its year, or of its dates
    found as the report finds them (:func:`_with_dates`), written as the groups are named
    (``"1950"``); a document with no year has none. The corpus as it is otherwise.

    >>> c = Corpus.from_dataframe(pd.DataFrame({"text": ["甲。", "乙。", "丙。"],
    ...                                         "year": [1954, 1992, None]}))
    >>> _with_decades(c, "decade").docs["decade"].tolist()
    ['1950', '1990', None]
    """
    if by != DECADE or DECADE in corpus.docs.columns:
        return corpus
    dated, _ = _with_dates(corpus, date_column)
    docs, source = _decades(dated.docs, by, "report")
    decade = pd.Series([_as_text(v) for v in docs[DECADE]], index=docs.index, dtype=object)
    out = _with_docs(corpus, corpus.docs.assign(**{DECADE: decade}),
                     decade=f"the decade of column {source!r}")
    # the corpus's own column the years come from (a date column found by name when the
    # report read the year from it), for the line of the page that adds the decades
    out.decade_from = (source if source in corpus.docs.columns
                       else getattr(dated, "date_from", source))
    return out


def _decades_call(column: str) -> str:
    """The line of the page's code that gives a corpus read as the command reads it the
    ``decade`` column :func:`_with_decades` adds (text, ``"1950"``; none where there is no
    year), so that the calls naming ``{'decade': '1950'}`` run as printed.

    >>> c = Corpus.from_dataframe(pd.DataFrame({"text": ["甲。", "乙。", "丙。"],
    ...                                         "year": [1954, "1992年", None]}))
    >>> want = _with_decades(c, "decade").docs["decade"].tolist()
    >>> exec(_decades_call("year"), {"corpus": c})
    >>> c.docs["decade"].tolist()[:2] == want[:2], want
    (True, ['1950', '1990', None])
    """
    return (f'corpus.docs["decade"] = corpus.docs[{column!r}].map(lambda y: '
            'str(int(str(y)[:4]) // 10 * 10), na_action="ignore")   # --by decade: 1950 '
            'for 1950-1959, as here')


def _with_titles(corpus: Corpus) -> Corpus:
    """The corpus with a ``title`` column copied from a column named like one (``标题``,
    ``Policy Title``, ``政策名称`` ...) when it has none, so that the report names documents
    by their titles; the corpus as it is otherwise.

    >>> c = Corpus.from_dataframe(pd.DataFrame({"标题": ["数字经济规划"], "正文": ["推进。"]}),
    ...                           text="正文")
    >>> _with_titles(c).docs["title"].tolist()
    ['数字经济规划']
    """
    docs = corpus.docs
    if "title" in docs.columns:
        return corpus
    col = _title_column(docs)
    if col is None:
        return corpus
    return _with_docs(corpus, docs.assign(title=docs[col]), title=f"from column {col!r}")


def _by_as_text(corpus: Corpus, by: str) -> Corpus:
    """The corpus with the values of ``by`` as text (2024, not 2024.0), so that the groups
    named on the command line match them."""
    col = corpus.docs[by]
    if col.dtype == object or str(col.dtype).startswith("string"):
        return corpus
    return _with_docs(corpus, corpus.docs.assign(**{by: col.map(_as_text)}))


def _as_text(v) -> str | None:
    """A metadata value as the groups name it: 2024, not 2024.0; None for a missing one."""
    if pd.isna(v):
        return None
    return str(int(v)) if isinstance(v, float) and float(v).is_integer() else str(v)


def _where_names_are(docs: pd.DataFrame, compare: list, skip=()) -> str:
    """The clause of an error naming the column that holds the compared names (a value or
    the start of one), with the ``--by`` to pass; else the column of each name found; ""
    when none is anywhere.

    >>> d = pd.DataFrame({"region": ["西部", "东部"], "province": ["广西壮族自治区", "广东省"]})
    >>> _where_names_are(d, ["广西", "广东"], skip=("region",))
    "; 广西、广东 are values of 'province': pass --by province (by='province' in Python)"
    >>> _where_names_are(d, ["广西", "甘肃"], skip=("region",))
    "; 广西 is a value of 'province' (pass --by province), 甘肃 of no column"
    """
    cols = [c for c in docs.columns if c not in ("text", "doc_id", *skip)]
    values = {c: [str(v) for v in docs[c].dropna().unique()] for c in cols}
    where = {g: [c for c in cols if any(v == g or v.startswith(g) for v in values[c])]
             for g in compare}
    fits = [c for c in cols if all(c in where[g] for g in compare)]
    if fits:
        are = "are values" if len(compare) > 1 else "is a value"
        return (f"; {'、'.join(compare)} {are} of {fits[0]!r}: pass --by {fits[0]} "
                f"(by={fits[0]!r} in Python)")
    if not any(where.values()):
        return ""
    return "; " + ", ".join(f"{g} is a value of {cs[0]!r} (pass --by {cs[0]})" if cs
                            else f"{g} of no column" for g, cs in where.items())


def _resolve_groups(docs: pd.DataFrame, by: str, compare: list) -> tuple[list, list]:
    """(values of ``by`` compared, notes): a name that is not a value itself stands for
    the one value that starts with it (else contains it), e.g. 广西 for 广西壮族自治区;
    otherwise MetadataError listing the values and the closest matches.

    >>> import pandas as pd
    >>> d = pd.DataFrame({"province": ["广西壮族自治区", "新疆维吾尔自治区", "广东省"]})
    >>> _resolve_groups(d, "province", ["广西", "新疆维吾尔自治区"])[0]
    ['广西壮族自治区', '新疆维吾尔自治区']
    """
    import difflib

    if by not in docs.columns:
        hint = ("; a folder's metadata table is read only when named: --metadata "
                "FOLDER/metadata.csv (report(..., metadata=...))"
                if "file" in docs.columns else "")
        # the column where every compared name is a value or the start of one
        hint += _where_names_are(docs, compare)
        raise MetadataError(f"by={by!r}: no such metadata column; columns: "
                            f"{[c for c in docs.columns if c != 'text']}{hint}")
    values = sorted({str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
                     for v in docs[by].dropna()})
    out, notes = [], []
    for g in compare:
        if g in values:
            out.append(g)
            continue
        hits = [v for v in values if v.startswith(g)] or [v for v in values if g in v]
        if len(hits) == 1:
            out.append(hits[0])
            notes.append(f"“{g}” stands for {by} = “{hits[0]}”")
            continue
        shown = values[:40]
        listing = "、".join(shown) + (f" and {len(values) - len(shown)} more"
                                     if len(values) > len(shown) else "")
        close = hits or difflib.get_close_matches(g, values, n=5, cutoff=0.3)
        what = (f"is part of {len(hits)} values" if hits else "is not a value")
        # not a value of `by` at all: the column that holds the names, if another does
        elsewhere = "" if hits else _where_names_are(docs, compare, skip=(by,))
        raise MetadataError(f"compare={g!r} {what} of {by!r}"
                            + (f"; closest: {'、'.join(close[:10])}" if close else "")
                            + f"; values of {by!r}: {listing}" + elsewhere)
    if len(set(out)) != len(out):
        raise ParameterError(f"compare names the same group twice: {compare} -> {out}")
    return out, notes + _same_place_notes(docs, by, values, out)


def _same_place_notes(docs: pd.DataFrame, by: str, values: list, compared: list) -> list:
    """Notes (each also a warning) on compared groups one of whose places another value of
    ``by`` names too (浙江 and 浙江省, by ``lexicons/provinces.tsv``: see
    ``_grouping._warn_same_places``): its documents are outside the group, or, when both
    are compared, the one place is two groups. Nothing is merged.

    >>> d = pd.DataFrame({"province": ["浙江", "浙江省", "广东"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     print(_same_place_notes(d, "province", ["广东", "浙江", "浙江省"], ["浙江", "广东"])[0][:79])
    “浙江” and “浙江省” (1 document) of province name the same place (bri_text/lexicons/
    """
    import warnings

    text = docs[by].dropna().map(lambda v: str(int(v)) if isinstance(v, float)
                                 and v.is_integer() else str(v))
    counts = text.value_counts()
    notes = []
    for ix in _same_places(values):
        labels = [values[i] for i in ix]
        mine = [v for v in labels if v in compared]
        if not mine:
            continue
        others = [v for v in labels if v not in compared]
        n = {v: int(counts.get(v, 0)) for v in labels}
        if others:
            what = (f"“{'” and “'.join(mine)}” and "
                    + " and ".join(f"“{v}” ({_plural(n[v], 'document')})" for v in others)
                    + f" of {by} name the same place (bri_text/lexicons/provinces.tsv); "
                    f"the documents of {'、'.join(others)} are not in the compared group")
        else:
            what = (f"“{'” and “'.join(mine)}” of {by} name the same place "
                    "(bri_text/lexicons/provinces.tsv) and are compared as different groups")
        keep = max(labels, key=lambda v: (n[v], -len(v)))
        mapping = {v: keep for v in labels if v != keep}
        notes.append(f"{what}: if they are one jurisdiction, give them one label in the "
                     f"metadata (e.g. corpus.docs[{by!r}] = corpus.docs[{by!r}].replace("
                     f"{mapping!r}), or edit the metadata file)")
        warnings.warn(f"report: {notes[-1]}", stacklevel=3)
    return notes




def _user_dict(user_dict):
    """``(what the tokenizer is given, the words)`` of the report's ``user_dict``: a file
    (str or Path, kept as given) read as :class:`bri_text.Tokenizer` reads it
    (:func:`bri_text.segment.read_user_dict`), or a list / set of words (a frozenset of
    them); ``(None, [])`` for None. Errors name the file (missing, a folder, neither UTF-8
    nor GBK, a malformed line, no word) or the word, before anything is written.

    >>> given, words = _user_dict(["磨憨", " 瑞丽 ", "磨憨"])
    >>> given == {"磨憨", "瑞丽"}, words
    (True, ['瑞丽', '磨憨'])
    """
    if user_dict is None:
        return None, []
    if isinstance(user_dict, (str, Path)):
        words = read_user_dict(user_dict)
        if not words:
            raise InputError(f"user_dict: {str(user_dict)!r} holds no words (blank and # "
                             "lines only); write one word per line, e.g. 磨憨")
        return user_dict, list(dict.fromkeys(words))
    if not isinstance(user_dict, (list, tuple, set, frozenset)):
        raise ParameterError(f"user_dict must be a file path (--user-dict FILE) or a list "
                             f"or set of words, got {type(user_dict).__name__}")
    bad = [w for w in user_dict if not (isinstance(w, str) and w.strip())]
    if bad:
        raise ParameterError(f"user_dict: every word must be a non-empty str, got {bad[0]!r}")
    words = frozenset(w.strip() for w in user_dict)
    if not words:
        raise ParameterError("user_dict: the list of words is empty; give at least one "
                             "word, or None")
    return words, sorted(words)


def _check_out(out: Path, corpus) -> None:
    """``out`` must be a folder (or not exist yet) outside the corpus folder."""
    if out.exists() and not out.is_dir():
        raise ParameterError(f"out={str(out)!r} is an existing file; give the name of a "
                             "folder for the report")
    if corpus is None or isinstance(corpus, Corpus):
        return
    src = Path(corpus).resolve()
    dest = out.resolve()
    if src.is_dir() and (dest == src or src in dest.parents):
        raise ParameterError(f"out={str(out)!r} is inside the corpus folder {str(corpus)!r}: "
                             "a later run would read the report as a document; write the "
                             "report to a folder outside the corpus")


def _clear_earlier(out: Path) -> list[str]:
    """Remove the files an earlier report listed in ``out/manifest.json`` (nothing else)."""
    removed = []
    for p in sorted(_earlier_outputs(out)):
        p.unlink()
        removed.append(p.relative_to(out.resolve()).as_posix())
    for sub in ("tables", "figures"):
        d = out / sub
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    return removed
