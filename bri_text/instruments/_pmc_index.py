"""PMC index, part 2: the index, grades, concavity, the PMC surface matrix and the
sensitivity check, computed from a (corrected) scoring sheet.

Convention (Estrada 2011; as applied to Chinese policies, e.g. 张永安、郄海拓 2017): each
main variable's score is the mean of its binary sub-variables, X_i = Σ_j X_ij / T(X_ij); the
PMC index is the sum of the counted main variables; X10 (policy openness) is recorded but
not counted by default, because every published document scores 1 on it. Grade bands for
nine counted variables: [7, 9] perfect 完美, [5, 7) excellent 优秀, [3, 5) acceptable 可接受,
[0, 3) poor 不良; for ten: [9, 10] perfect, [7, 9) excellent, [5, 7) acceptable, [0, 5)
poor; for another number n of counted variables the nine-variable cut points scaled by n/9.
The concavity (depression) index is the highest possible PMC (n) minus the document's PMC.
"""
from __future__ import annotations

import io
import os
import warnings

import numpy as np
import pandas as pd

from .._lexicons import _user_path
from ..errors import MetadataError, ParameterError
from ._codebook import _user_file_text

_BANDS_9 = ((7.0, "perfect", "完美"), (5.0, "excellent", "优秀"),
            (3.0, "acceptable", "可接受"), (0.0, "poor", "不良"))
_BANDS_10 = ((9.0, "perfect", "完美"), (7.0, "excellent", "优秀"),
             (5.0, "acceptable", "可接受"), (0.0, "poor", "不良"))
_EPS = 1e-9


def _read_sheet(sheet) -> pd.DataFrame:
    if isinstance(sheet, pd.DataFrame):
        return sheet.copy()
    if not isinstance(sheet, (str, os.PathLike)):
        raise ParameterError(f"sheet must be a DataFrame (bt.pmc_sheet) or the path of the "
                             f"saved .xlsx/.csv sheet, got {type(sheet).__name__}")
    path = _user_path(sheet, "sheet", "PMC scoring sheet")
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":       # UTF-8, or GBK / UTF-8 with BOM as Excel saves it
        return pd.read_csv(io.StringIO(_user_file_text(path, "sheet", "PMC scoring sheet")[1]))
    if ext in (".xlsx", ".xlsm", ".xls"):
        return pd.read_excel(path)
    raise ParameterError(f"sheet: {path!r} is neither .xlsx nor .csv; save the sheet as one")


def _scores(col: pd.Series, df: pd.DataFrame, where: str = "sheet",
            row0: int | None = None) -> pd.Series:
    """The 0/1 scores (a typed "1", full-width "１" or " 0 " too); anything else names the
    cells to fix (with ``row0``, the file's row of the first data row: their rows)."""
    import unicodedata

    def norm(v):
        return unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v

    num = pd.to_numeric(col.map(norm).replace({True: 1, False: 0}), errors="coerce")
    bad = ~num.isin([0, 1])
    if bad.any():
        rows = [f"row {row0 + i}: " for i in np.flatnonzero(bad.to_numpy())] \
            if row0 is not None else [""] * int(bad.sum())
        cells = [f"{r}{d} {s} ({'blank' if pd.isna(v) else repr(v)})" for r, d, s, v in
                 zip(rows, df.loc[bad, "doc_id"], df.loc[bad, "sub"], col[bad])][:5]
        more = f" and {int(bad.sum()) - 5} more" if bad.sum() > 5 else ""
        raise MetadataError(f"{where}: score must be 0 or 1 in every row; {int(bad.sum())} "
                            f"cell(s) are not: {', '.join(cells)}{more}. Fill each with 0 "
                            "or 1")
    return num.astype(int)


def _check_sheet(df: pd.DataFrame, where: str = "sheet",
                 row0: int | None = None) -> pd.DataFrame:
    missing = [c for c in ("doc_id", "main", "sub", "score") if c not in df.columns]
    if missing:
        raise MetadataError(f"sheet lacks column(s) {missing}; columns present: "
                            f"{list(df.columns)}. Pass the sheet bt.pmc_sheet made")
    if df.empty:
        raise MetadataError("sheet has no rows")
    df = df.copy()
    for c in ("doc_id", "main", "sub"):
        df[c] = df[c].astype(str).str.strip()
    df["score"] = _scores(df["score"], df, where, row0)
    dup = df.duplicated(["doc_id", "sub"], keep=False)
    if dup.any():
        first = df.loc[dup, ["doc_id", "sub"]].iloc[0].tolist()
        raise MetadataError(f"sheet: {int(dup.sum())} rows repeat a document × "
                            f"sub-variable (first: {first[0]} {first[1]}); keep one row each")
    subs = set(df["sub"])
    for doc, got in df.groupby("doc_id", sort=False)["sub"]:
        lacking = sorted(subs - set(got))
        if lacking:
            raise MetadataError(f"sheet: document {doc} lacks sub-variable row(s) "
                                f"{lacking[:5]}; every document needs every sub-variable")
    return df


def _bands(n: int, bands):
    if bands is None:
        if n == 9:
            return _BANDS_9
        if n == 10:
            return _BANDS_10
        return tuple((lo * n / 9, en, zh) for lo, en, zh in _BANDS_9)
    try:
        out = tuple((float(b[0]), str(b[1]), str(b[2] if len(b) > 2 else b[1]))
                    for b in bands)
    except (TypeError, ValueError, IndexError):
        raise ParameterError("bands must be (lower bound, label[, Chinese label]) pairs, "
                             f"e.g. [(7, 'perfect'), (5, 'excellent'), (0, 'poor')]; got "
                             f"{bands!r}") from None
    out = tuple(sorted(out, key=lambda b: -b[0]))
    if not out or out[-1][0] > 0:
        raise ParameterError("bands must start at 0 (the lowest band's lower bound is 0)")
    return out


def _grade(value: float, bands) -> tuple[str, str]:
    return next((en, zh) for lo, en, zh in bands if value + _EPS >= lo)


def _rank(values: pd.Series) -> pd.Series:
    return values.round(9).rank(ascending=False, method="min").astype(int)


class PMCResult:
    """What :func:`bri_text.pmc_index` returns.

    Attributes: ``scores`` (one row per document: doc_id, title, each main variable's
    score X1…Xn, pmc, grade, grade_zh, concavity, rank), ``variables`` (main, main_name,
    n_sub, counted), ``attrs`` (counted variables, bands, convention, overridden cells).
    Methods: :meth:`matrix` (the 3×3 PMC surface of a document), :meth:`sensitivity`.

    >>> import pandas as pd, bri_text as bt
    >>> rows = [(d, f"X{i}", f"X{i}:1", int(i <= k)) for d, k in [("a", 8), ("b", 5)]
    ...         for i in range(1, 10)]
    >>> result = bt.pmc_index(pd.DataFrame(rows, columns=["doc_id", "main", "sub", "score"]))
    >>> result.scores[["doc_id", "pmc", "grade", "rank"]].values.tolist()
    [['a', 8.0, 'perfect', 1], ['b', 5.0, 'excellent', 2]]
    """

    def __init__(self, scores: pd.DataFrame, variables: pd.DataFrame, attrs: dict):
        self.scores = scores
        self.variables = variables
        self.attrs = attrs

    def __repr__(self) -> str:
        return (f"PMCResult({len(self.scores)} documents, {len(self.attrs['counted'])} "
                f"counted main variables, PMC max {len(self.attrs['counted'])})")

    def _repr_html_(self) -> str:
        return self.scores._repr_html_()

    def matrix(self, doc_id: str) -> pd.DataFrame:
        """The PMC matrix of one document: X1…X9 in three rows of three (X1 X2 X3 / X4 X5
        X6 / X7 X8 X9), as the PMC surface draws it; ``attrs["labels"]`` holds the codes.

        >>> import pandas as pd, bri_text as bt
        >>> rows = [("d", f"X{i}", f"X{i}:1", int(i % 2)) for i in range(1, 10)]
        >>> sheet = pd.DataFrame(rows, columns=["doc_id", "main", "sub", "score"])
        >>> bt.pmc_index(sheet).matrix("d").to_numpy().tolist()
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]
        """
        mains = list(self.variables["main"])
        if len(mains) < 9:
            raise ParameterError(f"the PMC surface needs 9 main variables (X1…X9); the "
                                 f"sheet has {len(mains)}")
        row = self.scores.loc[self.scores["doc_id"] == str(doc_id)]
        if row.empty:
            raise MetadataError(f"doc_id {doc_id!r} is not in the result; documents: "
                                f"{list(self.scores['doc_id'])[:10]}")
        codes = np.array(mains[:9], dtype=object).reshape(3, 3)
        values = row.iloc[0][mains[:9]].to_numpy(dtype=float).reshape(3, 3)
        out = pd.DataFrame(values, index=[" ".join(r) for r in codes],
                           columns=["col 1", "col 2", "col 3"])
        out.attrs["labels"] = codes.tolist()
        out.attrs["names"] = [[self._name(c) for c in r] for r in codes]
        out.attrs["doc_id"] = str(doc_id)
        return out

    def _name(self, code: str) -> str:
        names = dict(zip(self.variables["main"], self.variables["main_name"]))
        return names.get(code) or code

    def sensitivity(self) -> pd.DataFrame:
        """Drop each counted main variable in turn, recompute the PMC index and compare
        the ranking of the documents with the full one.

        One row per dropped variable: dropped, main_name, spearman (rank correlation of
        the PMC with and without it), n_moved (documents whose rank changes), moved
        (``doc: old rank→new rank``), holds (True when no rank changes);
        ``attrs["holds"]``: True when the ranking holds whichever variable is dropped.

        >>> import pandas as pd, bri_text as bt
        >>> rows = [(d, f"X{i}", f"X{i}:1", int(i <= k)) for d, k in [("a", 8), ("b", 5)]
        ...         for i in range(1, 10)]
        >>> sheet = pd.DataFrame(rows, columns=["doc_id", "main", "sub", "score"])
        >>> bool(bt.pmc_index(sheet).sensitivity()["holds"].all())
        True
        """
        s = self.scores
        if len(s) < 2:
            raise ParameterError("sensitivity compares rankings: the sheet needs at least 2 "
                                 f"documents, got {len(s)}")
        from scipy.stats import spearmanr

        full = s[self.attrs["counted"]].sum(axis=1)
        base = _rank(full)
        rows = []
        for code in self.attrs["counted"]:
            reduced = full - s[code]
            ranks = _rank(reduced)
            moved = [(d, a, b) for d, a, b in zip(s["doc_id"], base, ranks) if a != b]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")     # constant input: rho undefined (nan)
                rho = float(spearmanr(full, reduced).statistic)
            rows.append({"dropped": code, "main_name": self._name(code), "spearman": rho,
                         "n_moved": len(moved),
                         "moved": "; ".join(f"{d}: {a}→{b}" for d, a, b in moved),
                         "holds": not moved})
        out = pd.DataFrame(rows)
        out.attrs["holds"] = bool(out["holds"].all())
        out.attrs["method"] = ("each counted main variable dropped in turn; Spearman "
                               "correlation of the PMC index with and without it; ranks "
                               "with ties sharing the best rank")
        return out


def pmc_index(sheet, counted=None, bands=None) -> PMCResult:
    """PMC index of each document from a scoring sheet (Estrada 2011).

    ``sheet``: the DataFrame :func:`bri_text.pmc_sheet` made (edited or not) or the path of
    it saved as .xlsx or .csv; the ``score`` column (0 or 1) is read. ``counted``: the
    main variables summed (default: those the sheet's ``counted`` column marks, else all;
    the built-in system counts X1…X9 and leaves X10 policy openness out). ``bands``:
    (lower bound, label[, Chinese label]) pairs; default the bands of the Chinese PMC
    literature for 9 counted variables (7–9 perfect 完美, 5–6.99 excellent 优秀, 3–4.99
    acceptable 可接受, 0–2.99 poor 不良), for 10 (9–10, 7–8.99, 5–6.99, 0–4.99), else the
    nine-variable cut points scaled to the number counted.

    Each main variable's score is the mean of its sub-variables; pmc is their sum;
    concavity = (number counted) − pmc; rank 1 is the highest PMC (ties share a rank).

    >>> import pandas as pd, bri_text as bt
    >>> rows = [("plan", f"X{i}", f"X{i}:{j}", int(j <= i % 3)) for i in range(1, 10)
    ...         for j in (1, 2)]       # X1, X4, X7 score 1/2; X2, X5, X8 2/2; X3, X6, X9 0/2
    >>> result = bt.pmc_index(pd.DataFrame(rows, columns=["doc_id", "main", "sub", "score"]))
    >>> row = result.scores.iloc[0]
    >>> float(row["pmc"]), row["grade"], row["grade_zh"], float(row["concavity"])
    (4.5, 'acceptable', '可接受', 4.5)
    """
    # a saved sheet: errors name the file and its rows (row 2 is the first below the header)
    saved = isinstance(sheet, (str, os.PathLike))
    df = _check_sheet(_read_sheet(sheet), f"sheet {os.fspath(sheet)}" if saved else "sheet",
                      2 if saved else None)
    mains = sorted(dict.fromkeys(df["main"]),
                   key=lambda m: (int(m[1:]) if m[1:].isdigit() else 10**6, m))
    if counted is None:
        if "counted" in df.columns:
            flag = pd.to_numeric(df["counted"], errors="coerce").fillna(1)
            counted = [m for m in mains if flag[df["main"] == m].iloc[0] != 0]
        else:
            counted = mains
    else:
        counted = [counted] if isinstance(counted, str) else list(counted)
        unknown = [m for m in counted if m not in mains]
        if unknown:
            raise ParameterError(f"counted names main variable(s) {unknown} not in the "
                                 f"sheet; main variables: {mains}")
    if not counted:
        raise ParameterError("counted: no main variable is counted; count at least one")
    cut = _bands(len(counted), bands)
    per = df.groupby(["doc_id", "main"], sort=False)["score"].mean().unstack("main")
    docs = list(dict.fromkeys(df["doc_id"]))
    per = per.reindex(index=docs, columns=mains)
    out = pd.DataFrame({"doc_id": docs})
    if "title" in df.columns:
        out["title"] = df.drop_duplicates("doc_id").set_index("doc_id")["title"] \
            .reindex(docs).to_numpy()
    for m in mains:
        out[m] = per[m].to_numpy()
    out["pmc"] = out[counted].sum(axis=1)
    graded = [_grade(v, cut) for v in out["pmc"]]
    out["grade"] = [g[0] for g in graded]
    out["grade_zh"] = [g[1] for g in graded]
    out["concavity"] = len(counted) - out["pmc"]
    out["rank"] = _rank(out["pmc"])
    names = df.drop_duplicates("main").set_index("main")
    variables = pd.DataFrame({
        "main": mains,
        "main_name": [names.at[m, "main_name"] if "main_name" in df.columns else m
                      for m in mains],
        "n_sub": [int(df.loc[df["doc_id"] == docs[0], "main"].eq(m).sum()) for m in mains],
        "counted": [m in counted for m in mains]})
    overridden = pd.DataFrame(columns=["doc_id", "sub", "auto_score", "score"])
    if "auto_score" in df.columns:
        auto = pd.to_numeric(df["auto_score"], errors="coerce")
        changed = auto.notna() & (auto != df["score"])
        overridden = df.loc[changed, ["doc_id", "sub", "auto_score", "score"]] \
            .reset_index(drop=True)
    attrs = {"counted": counted, "bands": cut, "overridden": overridden,
             "convention": "Estrada (2011): main variable = mean of binary sub-variables, "
                           "PMC = sum of the counted main variables, concavity = number "
                           "counted - PMC"}
    out.attrs.update({k: v for k, v in attrs.items() if k != "overridden"})
    return PMCResult(out, variables, attrs)
