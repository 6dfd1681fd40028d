"""Topic shares by group and by year, with bootstrap intervals (a TopicModel mixin)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _stats as _bs
from .._grouping import DECADE, _decades, _noun, _time_bins, _time_grid, _warn_same_places
from .._util import check_random_state, seed_record, warn_left_out
from ..errors import MetadataError, ParameterError
from ._common import _sorted_groups

#: What ``attrs["shares"]`` of doc_topics, transform, prevalence, trends and difference says.
SHARES = ("share of all the tokens of the unit / document / group in each topic (n_tokens): "
          "the sampler's token counts (prior smoothing taken out) plus the tokens of terms "
          "max_df left out of the model, placed in the topics by an EM with the fitted "
          "topics fixed; documents and groups sum their units' counts (token-weighted); "
          "the same shares effects() regresses. doc_topic_ holds the sampler's smoothed "
          "proportions of the kept tokens")

#: What n the zero rule takes in prevalence (``attrs["zero_interval"]``), as for the shares
#: of ``bt.profile`` (compare's grouped tables).
_ZERO_N = {False: "n = the group's documents (a topic's share of the group's tokens is at "
                  "most about the share of its documents that have the topic at all)",
           True: "n = the group's units (units as if independent: within-document)"}

_PREVALENCE_COLUMNS = ["group", "topic", "label", "share", "ci_low", "ci_high", "n_units",
                       "n_docs", "n_tokens", "n_failed", "interval"]


class _GroupsMixin:
    """prevalence, trends and difference of a fitted TopicModel (effects of covariates:
    :mod:`._effects`)."""

    def _check_by(self, by, where: str) -> tuple[pd.DataFrame, str | None]:
        """(the fitted units, after checking that ``by`` names one of their metadata
        columns; the column ``by="decade"`` takes its decades from, else None). Labels
        that name one place two ways (浙江, 浙江省) are named in a warning."""
        self._check_fitted()
        if not isinstance(by, str):
            raise ParameterError(f"{where}: by must be a metadata column name, got {by!r}")
        u, source = _decades(self.units_, by, where)   # by="decade": of the year
        if by not in u.columns or by == "text":
            raise MetadataError(f"{where}: by={by!r} is not a metadata column; columns: "
                                f"{[c for c in u.columns if c not in ('text', 'n_tokens')]}")
        if source is None:
            named = u[by].value_counts(sort=False)
            _warn_same_places(named.index.tolist(), named.tolist(), by, where, _noun(u))
        return u, source

    def _group_frame(self, by: str, dropna: bool, where: str, freq=None):
        u, source = self._check_by(by, where)
        if source is not None:      # decades of the year: filled by tens in trends
            if freq is not None:
                raise ParameterError(f"{where}: freq={freq!r} bins a date column; "
                                     "by='decade' groups by decade already: leave freq=None")
            freq = DECADE
        else:
            u, freq = _time_bins(u, by, freq, where)  # dates: periods
        miss = u[by].isna().to_numpy()
        if miss.any():
            docs = sorted(u.loc[miss, "parent_id"].unique().tolist())
            if not dropna:
                raise MetadataError(
                    f"{where}: column by={by!r} is missing for {int(miss.sum())} units "
                    f"({len(docs)} documents, e.g. {docs[:3]}); fill it (e.g. "
                    f"region='全国' for national documents) or leave dropna=True to leave "
                    "them out")
            warn_left_out(miss, u, source or by, where)
        return u, ~miss, freq

    def _topic_tokens(self, state=None):
        """Tokens per topic (N × K) and tokens (N,) of every fitted unit, over **all** its
        tokens: the one source of every topic share the model reports (``doc_topics`` at
        both levels, ``prevalence``, ``trends``, ``difference``, ``effects``), each a ratio
        of sums of these, so documents and groups are token-weighted aggregates of units.

        Per topic: the sampler's token counts (tomotopy's proportions (n_dk + α_k) /
        (n_d + Σα) with the α smoothing, which pulls a short paragraph towards 1/K, taken
        out), mean over the kept states or ``state`` of ``doc_topic_draws_``
        (``effects``' replicates), plus the expected topic counts of the unit's tokens of
        terms ``max_df`` left out of the model (an EM with the fitted topics fixed,
        :func:`._effects._left_out_counts`). Tokens: kept + left out. Without the
        left-out tokens a small topic's share was inflated (issue 31,
        benchmarks/sim_prevalence.py). ``transform`` gives new texts the same kind of
        counts (:meth:`_new_topic_tokens`).

        >>> counts, n = model._topic_tokens()
        >>> bool(np.allclose(counts.sum(axis=1), n))
        True
        """
        states, mean, placed, n_all = self._unit_counts()
        return (mean if state is None else states[state]) + placed, n_all

    def _sum_by_document(self, state=None):
        """Every fitted unit summed per document, in order of first appearance: (document
        ids, document code of each unit, tokens per topic (D × K), tokens (D,)), from
        :meth:`_topic_tokens` (``state``: one kept sampler state)."""
        counts, n_all = self._topic_tokens(state)
        cache = getattr(self, "_documents_cache", None)
        if cache is None or cache[0] is not self.units_:
            from scipy import sparse

            codes, docs = pd.factorize(self.units_["parent_id"].to_numpy())
            agg = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                                    shape=(len(docs), len(codes)))
            cache = self._documents_cache = (self.units_, docs, codes, agg)
        _, docs, codes, agg = cache
        return docs, codes, agg @ counts, agg @ n_all

    def _unit_arrays(self, idx: np.ndarray):
        """(tokens per topic (n × K), tokens (n), document of each unit) of the units
        ``idx`` (:meth:`_topic_tokens`): what the shared bootstrap of
        :mod:`bri_text._stats` resamples."""
        counts, n_all = self._topic_tokens()
        return counts[idx], n_all[idx], self.units_["parent_id"].to_numpy()[idx]

    def prevalence(self, by: str, ci: float = 0.95, n_boot: int = 1000, random_state=None,
                   resample: str = "two-stage", dropna: bool = True, freq: str | None = None
                   ) -> pd.DataFrame:
        """Token-weighted topic shares per group of ``by`` with bootstrap intervals.

        DataFrame (group, topic, label, share, ci_low, ci_high, n_units, n_docs, n_tokens,
        n_failed, interval); ``attrs["resample"]`` records the scheme. ``share`` is the
        share of all the group's tokens in the topic: the documents' counts of
        :meth:`doc_topics` (``level="document"``, the shares :meth:`effects` regresses)
        summed, so it is their mean weighted by ``n_tokens``, which counts the tokens of
        terms ``max_df`` left out of the model too (``attrs["shares"]``; before 0.5.0 the
        prior-smoothed shares of the kept tokens, which inflated small topics). Intervals
        are bootstrap intervals (``n_boot`` replicates, the shared resampling of the
        library: Hesterberg's expanded percentile between documents, a t interval for 3
        documents, none for 2; see docs/STATISTICS.md); ``resample``:

        - ``"two-stage"`` (default): the group's documents with replacement, then the
          units (paragraphs) of every drawn document: how much the share depends on which
          documents the group happens to have. A group with one document gets no interval
          (NaN, ``interval`` = "none: one document", one warning naming such groups).
        - ``"document"``: whole documents only.
        - ``"unit"``: paragraphs as if independent: a within-document interval (how much
          the share depends on which paragraphs the texts have), labelled
          "within-document"; it is too narrow as a statement about provinces.

        A topic with no token at all in a group (rare: the shares are mean token counts
        over the sampler's states) gets [0, upper], the Clopper-Pearson bound for 0 of the
        group's documents (its units under ``"unit"``), as the shares of
        :func:`bri_text.profile` do, not the bootstrap's [0, 0]
        (``attrs["zero_interval"]``, ``attrs["n_zero_intervals"]``).

        Units with no ``by`` value are left out with one warning (the library-wide rule,
        see the README); ``dropna=False`` raises :class:`~bri_text.errors.MetadataError`
        instead. A date column ``by`` (datetimes or ISO dates) is grouped into periods:
        ``freq="year"`` (default), ``"quarter"`` or ``"month"``; ``by="decade"``: decades
        of the ``year`` column (1950 for 1950-1959), unless there is a ``decade`` column
        (README, "Decades"). ``random_state=None``
        (default) draws with the model's own seed (``random_state_``), so a seeded model
        gives the same intervals in any process; an int draws other resamples; a model
        fitted without a seed draws fresh randomness (docs/STATISTICS.md, "Seeds").
        ``attrs["random_state"]`` records the seed used.

        >>> p = model.prevalence(by="region", resample="unit", n_boot=200, random_state=0)
        >>> p.query("group == '广西'")[["topic", "share", "interval"]].round(2).values.tolist()
        [[0, 0.11, 'within-document'], [1, 0.57, 'within-document'], \
[2, 0.17, 'within-document'], [3, 0.16, 'within-document']]
        """
        _bs.check_interval_args(n_boot, ci, resample)
        u, ok, freq = self._group_frame(by, dropna, "prevalence", freq)
        random_state = self._method_seed(random_state)
        rng = check_random_state(random_state)
        labels = self.label_topics()
        iv = _bs.Intervals(resample, n_boot, ci, rng, upper=1.0)
        rows = []
        values = u[by].to_numpy()
        for g in _sorted_groups(u.loc[ok, by]):
            idx = np.flatnonzero(ok & (values == g))
            wt, tot, docs = self._unit_arrays(idx)
            share = wt.sum(axis=0) / tot.sum()
            n_docs = _bs.n_documents(docs)
            if n_boot:
                lo, hi, n_failed, interval = iv.group(g, wt, tot, docs, share)
                # a topic with no token in the group: [0, bound for 0 of n documents]
                lo, hi = iv.zero_counts(wt.sum(axis=0), lo, hi, iv.zero_trials(tot, docs),
                                        rule=_ZERO_N[resample == "unit"])
            else:
                lo = hi = np.full(self.n_topics_, np.nan)
                n_failed, interval = 0, "none: n_boot=0"
            for k in range(self.n_topics_):
                rows.append((g, k, labels[k], share[k], lo[k], hi[k], len(idx), n_docs,
                             int(tot.sum()), n_failed, interval))
        iv.warn("prevalence")
        out = pd.DataFrame(rows, columns=_PREVALENCE_COLUMNS)
        out.attrs.update(iv.attrs())
        out.attrs["freq"] = freq  # the periods a date column was grouped into, or None
        out.attrs["shares"] = SHARES
        out.attrs["random_state"] = seed_record(random_state) if n_boot else None
        return out

    def trends(self, by: str = "year", ci: float = 0.95, n_boot: int = 1000,
               random_state=None, resample: str = "two-stage", dropna: bool = True,
               freq: str | None = None) -> pd.DataFrame:
        """Topic shares over time: :meth:`prevalence` by ``by`` (default "year"), with
        every year between the first and the last (a date column ``by`` is grouped by
        ``freq``: ``"year"``, the default, ``"quarter"`` or ``"month"``, and every period
        filled; more than 1,000 periods raise :class:`~bri_text.errors.ParameterError`;
        ``by="decade"``: every decade, README "Decades").

        Years with no document appear with ``n_docs`` 0 and NaN share (``interval`` "none:
        no document"); years with a single document have NaN intervals under the default
        two-stage resampling (one warning), within-document ones with ``resample="unit"``.
        Ready for a topic-trend plot (which marks single-document years).
        ``random_state=None`` (default): the model's own seed, as in :meth:`prevalence`.

        >>> tr = model.trends(by="year", n_boot=200, random_state=0)
        >>> tr[["group", "n_docs"]].drop_duplicates().values.tolist()
        [[2015, 1], [2016, 2], [2017, 1]]
        """
        out = self.prevalence(by, ci=ci, n_boot=n_boot, random_state=random_state,
                              resample=resample, dropna=dropna, freq=freq)
        attrs = dict(out.attrs)
        freq = attrs.get("freq")
        grid = _time_grid(out["group"].unique(), freq, "trends")
        if grid is None:
            return out
        yearly = freq in (None, "year", DECADE)
        present = set(out["group"].astype(int) if yearly else out["group"])
        missing = [y for y in grid if y not in present]
        if missing:
            labels = self.label_topics()
            extra = pd.DataFrame([(y, k, labels[k], np.nan, np.nan, np.nan, 0, 0, 0, 0,
                                   "none: no document")
                                  for y in missing for k in range(self.n_topics_)],
                                 columns=out.columns)
            if yearly:
                out = out.assign(group=out["group"].astype(int))
            out = pd.concat([out, extra], ignore_index=True)
            out = out.sort_values(["group", "topic"], kind="stable").reset_index(drop=True)
            out.attrs.update(attrs)
        return out

    def difference(self, by: str, a, b, ci: float = 0.95, n_boot: int = 1000,
                   random_state=None, resample: str = "two-stage") -> pd.DataFrame:
        """Difference in topic prevalence between groups ``a`` and ``b`` of ``by``
        (a minus b) with a bootstrap interval (each group resampled separately, by
        ``resample`` as in :meth:`prevalence`). ``by="decade"``: ``a=1950`` is 1950-1959
        (README, "Decades").

        DataFrame (topic, label, a, b, share_a, share_b, difference, ci_low, ci_high, n_docs_a,
        n_docs_b, n_failed, interval). Under the default two-stage resampling a group with
        one document leaves the interval NaN (one warning): two texts say nothing about
        the difference between two provinces beyond the texts themselves;
        ``resample="unit"`` gives a within-document interval, labelled so.
        ``random_state=None`` (default): the model's own seed, as in :meth:`prevalence`.
        ``model.difference(by="region", a="广西", b="甘肃")``.
        """
        _bs.check_interval_args(n_boot, ci, resample)
        u, _ = self._check_by(by, "difference")
        ok = u[by].notna().to_numpy()  # only groups a and b are used
        values = u[by].to_numpy()
        parts = []
        for name, g in (("a", a), ("b", b)):
            idx = np.flatnonzero(ok & (values == g))
            if not len(idx):
                raise MetadataError(f"difference: no unit has {by}={g!r} (parameter {name}); "
                                    f"values: {_sorted_groups(u.loc[ok, by])[:20]}")
            parts.append(self._unit_arrays(idx))
        random_state = self._method_seed(random_state)
        rng = check_random_state(random_state)
        (wa, ta, da), (wb, tb, db) = parts
        sa, sb = wa.sum(0) / ta.sum(), wb.sum(0) / tb.sum()
        diff = sa - sb
        na, nb = _bs.n_documents(da), _bs.n_documents(db)
        iv = _bs.Intervals(resample, n_boot, ci, rng)
        if n_boot and iv.label(min(na, nb)) != _bs.NO_SINGLE:
            reps = (_bs.ratio_replicates(wa, ta, da, n_boot, resample, rng)
                    - _bs.ratio_replicates(wb, tb, db, n_boot, resample, rng))
        else:
            reps = None
        if n_boot:
            lo, hi, n_failed, interval = iv.summarize(f"{a} - {b}", reps, diff, min(na, nb))
        else:
            lo = hi = np.full(self.n_topics_, np.nan)
            n_failed, interval = 0, "none: n_boot=0"
        iv.warn("difference")
        out = pd.DataFrame({"topic": range(self.n_topics_),
                            "label": self.label_topics().values, "a": a, "b": b,
                            "share_a": sa, "share_b": sb, "difference": diff, "ci_low": lo,
                            "ci_high": hi, "n_docs_a": na, "n_docs_b": nb,
                            "n_failed": n_failed, "interval": interval})
        out.attrs.update(iv.attrs())
        out.attrs["shares"] = SHARES
        out.attrs["random_state"] = seed_record(random_state) if n_boot else None
        return out
