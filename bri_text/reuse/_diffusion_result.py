"""The result of :func:`~bri_text.diffusion`: the :class:`Diffusion` tables and the model
inputs built from them (:meth:`Diffusion.panel`, :meth:`Diffusion.durations`)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._util import check_column
from ..errors import MetadataError, ParameterError
from ._align import _date_bounds

_FREQS = {"year": "Y", "quarter": "Q", "month": "M"}


# ---------------------------------------------------------------------- the result
@dataclass(repr=False)
class Diffusion:
    """What :func:`diffusion` found: read the tables, or turn them into model inputs.

    ``sources`` - one row per source document (its date, clauses, and how many
    jurisdictions adopted it, did not, or cannot be ordered; ``median_lag_adopters_days``,
    the median lag among the adopters only, which leaves out every jurisdiction that had
    not adopted by :attr:`end` and so is no time to adoption; ``km_median_days``, the
    Kaplan-Meier median time to adoption over every jurisdiction at risk, the adopters and
    those not adopted by :attr:`end` (censored, as in :meth:`durations`): the lag by which
    half of them had adopted, NaN when fewer than half had: not reached, longer than the
    time observed; ``at_risk``, how many jurisdictions that is); ``adoptions`` - one row per
    source x jurisdiction (:data:`ADOPTION_COLUMNS`); ``clauses`` - one row per source clause
    x jurisdiction (:data:`CLAUSE_COLUMNS`); ``horizontal`` - passages a jurisdiction shares
    with another jurisdiction's document that are in no source (:data:`HORIZONTAL_COLUMNS`;
    found when first read, then kept: it compares the jurisdictions' documents pairwise);
    ``by`` - the jurisdiction column; ``end`` - the last date observed (censoring date of
    :meth:`panel` and :meth:`durations`).

    >>> import bri_text as bt
    >>> r = bt.diffusion(bt.load_bri_policies(), source=["bri23"], threshold=0.02)
    >>> r.sources[["source", "jurisdictions", "adopted", "not_adopted"]].values.tolist()
    [['bri23', 11, 0, 11]]
    >>> r.by, str(r.end.date())
    ('region', '2017-12-27')
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
                 f"{self.adoptions.attrs.get('threshold')} of the source's own characters"]
        for r in self.sources.itertuples():
            lag = "" if pd.isna(r.median_lag_adopters_days) else \
                f" (median lag among them {r.median_lag_adopters_days:g} days)"
            lines.append(f"  {r.source} ({r.date}): {r.adopted} adopted{lag}; "
                         f"{r.not_adopted} not; {r.order_unknown} order unknown; "
                         f"{r.undated} undated; {r.earlier} earlier")
            if pd.notna(r.km_median_days):
                lines.append(f"    median time to adoption {r.km_median_days:g} days "
                             f"(Kaplan-Meier, {r.at_risk} jurisdictions at risk)")
            elif r.at_risk and r.adopted:
                lines.append(f"    median time to adoption not reached: fewer than half of "
                             f"the {r.at_risk} jurisdictions at risk adopted by "
                             f"{self.end.date()} (Kaplan-Meier)")
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
        exact date, and an adoption whose document is dated by its month or year only (no
        duration in days: ``"adopted, no exact date"``). ``sources["km_median_days"]`` is
        the Kaplan-Meier median of these rows, ``sources["at_risk"]`` their number.

        >>> import bri_text as bt
        >>> r = bt.diffusion(bt.load_bri_policies(), source=["bri23"], threshold=0.02)
        >>> r.durations()[["jurisdiction", "duration", "event"]].head(2).values.tolist()
        [['四川', 749, 0], ['天津', 749, 0]]
        """
        if unit not in ("days", "years"):
            raise ParameterError(f"unit must be 'days' or 'years', got {unit!r}")
        a = self._at_risk()
        end_days = (self.end - _day(a["source_date"])).dt.days
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
        out.attrs.update(self._provenance())
        out.attrs["left_out"] = self._left_out(a)
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
        a = self._at_risk(code)
        end = self.end.to_period(code)
        rows = []
        for r in a.itertuples():
            start = _day([r.source_date])[0].to_period(code)
            stop = pd.Timestamp(_date_bounds([r.date])[0][0]).to_period(code) \
                if r.status == "adopted" else end
            periods = pd.period_range(start, max(start, stop), freq=code)
            for t, p in enumerate(periods, 1):
                rows.append((r.source, r.jurisdiction, p, t, 1,
                             int(r.status == "adopted" and p == stop)))
        out = pd.DataFrame(rows, columns=["source", "jurisdiction", "period", "time",
                                          "at_risk", "adopted"])
        out = self._with_covariates(out, covariates)
        out.attrs.update(self._provenance())
        out.attrs.update({"freq": freq, "left_out": self._left_out(a),
                          "end": str(self.end.date())})
        return out

    def _provenance(self) -> dict:
        """The parameters and ``corpus_fingerprint`` of :func:`diffusion` (the tables'
        ``attrs``), which :meth:`durations` and :meth:`panel` carry on."""
        return dict(self.adoptions.attrs)

    def _with_km_median(self) -> Diffusion:
        """Fill ``sources``' ``at_risk`` and ``km_median_days`` from :meth:`durations`."""
        d = self.durations()
        groups = dict(list(d.groupby("source", sort=False)))
        empty = d.iloc[:0]
        self.sources["at_risk"] = [len(groups.get(s, empty)) for s in self.sources["source"]]
        self.sources["km_median_days"] = [
            _km_median(g["duration"], g["event"]) for g in
            (groups.get(s, empty) for s in self.sources["source"])]
        return self

    def _at_risk(self, code=None) -> pd.DataFrame:
        """The adoption rows at risk from the source's exact date: adopted (dated to the
        day, or with ``code`` to one period of that frequency) or not adopted."""
        a = self.adoptions
        exact = a["source_date"].map(_is_day)
        if code is None:
            placed = a["lag_days"].notna()
        else:
            low, high = _date_bounds(a["date"])
            placed = pd.Series([not pd.isna(lo) and pd.Timestamp(lo).to_period(code) ==
                                pd.Timestamp(hi).to_period(code) for lo, hi in zip(low, high)],
                               index=a.index)
        adopted = (a["status"] == "adopted") & placed
        return a[(adopted | (a["status"] == "not adopted")) & exact]

    def _left_out(self, at_risk: pd.DataFrame) -> dict:
        a = self.adoptions
        left = a[~a.index.isin(at_risk.index)]
        status = left["status"].where(left["status"] != "adopted", "adopted, no exact date")
        return {str(k): int(v) for k, v in status.value_counts().items()}

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
    """Whether a date names one day (``2022-09-15``, ``2022年9月15日``; not ``2022年9月``).

    >>> [_is_day(v) for v in ["2022-09-15", "2022年9月15日", "2022年9月", "2022", None]]
    [True, True, False, False, False]
    """
    from .._dates import _iso_value

    value = _iso_value(value)
    return isinstance(value, str) and len(value) == 10 and value[4] == "-"


def _day(values) -> pd.Series:
    """The days of dates written as :func:`_is_day` reads them (a Timestamp series)."""
    return pd.Series(_date_bounds(list(values))[0]).set_axis(
        values.index if isinstance(values, pd.Series) else range(len(values)))


def _km_median(duration, event) -> float:
    """The Kaplan-Meier median of durations with events (1) and censored rows (0): the
    first time the estimated share not yet adopted falls to one half or below; NaN when it
    never does (not reached).

    >>> _km_median([46, 87, 130, 153, 240, 240], [1, 1, 1, 1, 0, 0])
    130.0
    >>> _km_median([46, 87, 240, 240, 240], [1, 1, 0, 0, 0])
    nan
    """
    duration, event = np.asarray(duration, float), np.asarray(event, int)
    surv = 1.0
    for t in np.unique(duration[event == 1]):
        at_risk = (duration >= t).sum()
        surv *= 1 - ((duration == t) & (event == 1)).sum() / at_risk
        if surv <= 0.5:
            return float(t)
    return float("nan")
