"""The result of :func:`~bri_text.diffusion`: the :class:`Diffusion` tables and the model
inputs built from them (:meth:`Diffusion.panel`, :meth:`Diffusion.durations`)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .._util import check_column
from ..errors import MetadataError, ParameterError

_FREQS = {"year": "Y", "quarter": "Q", "month": "M"}


# ---------------------------------------------------------------------- the result
@dataclass(repr=False)
class Diffusion:
    """What :func:`diffusion` found: read the tables, or turn them into model inputs.

    ``sources`` - one row per source document (its date, clauses, and how many
    jurisdictions adopted it, did not, or cannot be ordered); ``adoptions`` - one row per
    source x jurisdiction (:data:`ADOPTION_COLUMNS`); ``clauses`` - one row per source clause
    x jurisdiction (:data:`CLAUSE_COLUMNS`); ``horizontal`` - passages a jurisdiction shares
    with another jurisdiction's document that are in no source (:data:`HORIZONTAL_COLUMNS`;
    found when first read, then kept: it compares the jurisdictions' documents pairwise);
    ``by`` - the jurisdiction column; ``end`` - the last date observed (censoring date of
    :meth:`panel` and :meth:`durations`).
    """

    sources: pd.DataFrame
    adoptions: pd.DataFrame
    clauses: pd.DataFrame
    by: str
    end: pd.Timestamp
    _meta: pd.DataFrame = field(default=None)
    _find_horizontal: object = field(default=None)
    _horizontal: pd.DataFrame | None = field(default=None)

    @property
    def horizontal(self) -> pd.DataFrame:
        if self._horizontal is None:
            self._horizontal = self._find_horizontal()
            self._horizontal.attrs.update(self.adoptions.attrs)
        return self._horizontal

    def __repr__(self) -> str:
        lines = [f"Diffusion of {len(self.sources)} source document(s) over "
                 f"{self.adoptions['jurisdiction'].nunique()} jurisdictions (by={self.by!r}), "
                 f"observed to {self.end.date()}; threshold "
                 f"{self.adoptions.attrs.get('threshold')} of the source's characters"]
        for r in self.sources.itertuples():
            lag = "" if pd.isna(r.median_lag_days) else \
                f", median lag {int(r.median_lag_days)} days"
            lines.append(f"  {r.source} ({r.date}): {r.adopted} adopted{lag}; "
                         f"{r.not_adopted} not; {r.order_unknown} order unknown; "
                         f"{r.undated} undated; {r.earlier} earlier")
        if self._horizontal is not None:
            lines.append(f"  {len(self._horizontal)} horizontal passage(s) between "
                         "jurisdictions")
        return "\n".join(lines)

    # ------------------------------------------------------------------ model inputs
    def durations(self, unit: str = "days") -> pd.DataFrame:
        """One row per source x jurisdiction at risk: ``duration`` from the source's date to
        the adoption (``event`` 1) or to :attr:`end` (``event`` 0, censored), in days (or
        ``unit="years"``: days / 365.25), for survival analysis (lifelines:
        ``CoxPHFitter().fit(d, "duration", "event")``). Jurisdictions with status
        ``"order unknown"``, ``"undated"`` or ``"earlier"`` are not at risk from a known
        date and are left out (counted in ``attrs["left_out"]``); so is a source without an
        exact date.

        >>> import bri_text as bt
        >>> r = bt.diffusion(bt.load_bri_policies(), source=["bri23"], threshold=0.02)
        >>> r.durations()[["jurisdiction", "duration", "event"]].head(2).values.tolist()
        [['四川', 749, 0], ['天津', 749, 0]]
        """
        if unit not in ("days", "years"):
            raise ParameterError(f"unit must be 'days' or 'years', got {unit!r}")
        a = self._at_risk()
        end_days = (self.end - pd.to_datetime(a["source_date"])).dt.days
        duration = a["lag_days"].where(a["status"] == "adopted", end_days)
        out = pd.DataFrame({"source": a["source"], "jurisdiction": a["jurisdiction"],
                            "duration": duration.astype("int64"),
                            "event": (a["status"] == "adopted").astype("int64"),
                            "doc_id": a["doc_id"]})
        if unit == "years":
            out["duration"] = out["duration"] / 365.25
        out = out.sort_values(["source", "event", "duration", "jurisdiction"],
                              ascending=[True, False, True, True], kind="stable")
        out = out.reset_index(drop=True)
        out.attrs["left_out"] = self._left_out()
        out.attrs["end"] = str(self.end.date())
        return out

    def panel(self, freq: str = "year", covariates=None) -> pd.DataFrame:
        """Jurisdiction x period rows for discrete-time event history, one block per source.

        A jurisdiction enters the risk set in the period of the source's date (``time`` 1)
        and stays until it adopts (``adopted`` 1 in that period; later rows are dropped) or
        until :attr:`end` (censored: ``adopted`` 0 throughout). ``freq`` is ``"year"``,
        ``"quarter"`` or ``"month"``; ``period`` is a ``pandas.Period``. ``covariates``: a
        list of metadata columns constant within each jurisdiction, or a DataFrame with the
        ``by`` column (and optionally ``period``, for time-varying covariates) merged on
        them. Jurisdictions not at risk from a known date (see :meth:`durations`) are left
        out and counted in ``attrs["left_out"]``.

        The discrete-time hazard is a logit of ``adopted`` on the period (dummies, or a
        function of ``time``) and the covariates, fitted on the rows at risk (statsmodels).
        Here the 甘肃 plan of 2015-12-09 traced into the other provinces' plans: no province
        adopted it (the plans sharing text with it cite the same national document, which
        is no adoption), so every province is censored; a covariate of our own is merged
        on the jurisdiction:

        >>> import bri_text as bt
        >>> import pandas as pd
        >>> r = bt.diffusion(bt.load_bri_policies(), source=["bri23"], threshold=0.02)
        >>> y = r.panel("year")
        >>> y[y["jurisdiction"] == "福建"][["period", "time", "adopted"]].astype(str).values.tolist()
        [['2015', '1', '0'], ['2016', '2', '0'], ['2017', '3', '0']]
        >>> coast = pd.DataFrame({"region": ["天津", "浙江", "福建", "广东", "广西", "河北"],
        ...                       "coastal": 1})
        >>> q = r.panel("quarter", covariates=coast).fillna({"coastal": 0})
        >>> len(q), int(q["adopted"].sum()), sorted(q.columns)[:3]
        (99, 0, ['adopted', 'at_risk', 'coastal'])

        With adoptions (``notebooks/09_diffusion.ipynb``: a planted corpus), fit e.g.
        ``statsmodels.formula.api.logit("adopted ~ time + coastal", data=q).fit()``.
        """
        if freq not in _FREQS:
            raise ParameterError(f"freq must be one of {list(_FREQS)}, got {freq!r}")
        code = _FREQS[freq]
        a = self._at_risk()
        end = self.end.to_period(code)
        rows = []
        for r in a.itertuples():
            start = pd.Timestamp(r.source_date).to_period(code)
            stop = pd.Timestamp(r.date).to_period(code) if r.status == "adopted" else end
            periods = pd.period_range(start, max(start, stop), freq=code)
            for t, p in enumerate(periods, 1):
                rows.append((r.source, r.jurisdiction, p, t, 1,
                             int(r.status == "adopted" and p == stop)))
        out = pd.DataFrame(rows, columns=["source", "jurisdiction", "period", "time",
                                          "at_risk", "adopted"])
        out = self._with_covariates(out, covariates)
        out.attrs.update({"freq": freq, "left_out": self._left_out(),
                          "end": str(self.end.date())})
        return out

    def _at_risk(self) -> pd.DataFrame:
        a = self.adoptions
        exact = a["source_date"].map(_is_day)
        return a[a["status"].isin(["adopted", "not adopted"]) & exact]

    def _left_out(self) -> dict:
        a = self.adoptions
        left = a[~a.index.isin(self._at_risk().index)]
        return {str(k): int(v) for k, v in left["status"].value_counts().items()}

    def _with_covariates(self, out: pd.DataFrame, covariates) -> pd.DataFrame:
        if covariates is None:
            return out
        if isinstance(covariates, pd.DataFrame):
            if self.by not in covariates.columns:
                raise MetadataError(f"covariates: the table needs the column {self.by!r} "
                                    f"(by=); columns present: {list(covariates.columns)}")
            cov = covariates.rename(columns={self.by: "jurisdiction"})
            keys = ["jurisdiction"] + (["period"] if "period" in cov.columns else [])
            return out.merge(cov, on=keys, how="left", validate="many_to_one")
        if isinstance(covariates, str):
            covariates = [covariates]
        meta = self._meta
        values = {}
        for col in covariates:
            check_column(meta, col, "covariates")
            per = meta.dropna(subset=[self.by]).groupby(self.by)[col].nunique(dropna=False)
            varying = per[per > 1].index.tolist()
            if varying:
                raise MetadataError(f"covariates: column {col!r} varies within "
                                    f"jurisdiction(s) {varying[:5]}; pass a DataFrame with "
                                    f"{self.by!r} (and 'period') columns instead")
            values[col] = meta.dropna(subset=[self.by]).groupby(self.by)[col].first()
        return out.join(pd.DataFrame(values), on="jurisdiction")


def _is_day(value) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4] == "-"
