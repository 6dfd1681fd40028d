"""Topic prevalence explained by covariates: :meth:`TopicModel.effects` (what R's stm calls
``estimateEffect``), and the DMR priors of a ``prevalence=`` model (a TopicModel mixin).

``effects`` regresses each topic's share of a document's tokens on covariates given as a
formula (formulaic: ``"~ speaker + bs(year, df=5)"``, with ``C()`` and splines) by a
fractional logit (the quasi-binomial GLM with logit link of Papke & Wooldridge 1996; the
same fit as statsmodels' ``GLM(..., family=Binomial())``), so predictions and their
intervals stay in [0, 1]; coefficients are reported as average marginal effects on the
share scale, with the logit-scale coefficients beside them. The shares are the sampler's
token counts (no prior smoothing), and count the tokens of terms ``max_df`` left out of the
model too, placed in the topics by an EM with the fitted topics fixed: on paragraphs the
default max_df leaves out the most widespread terms, which belong mostly to the large
topics, and without them a small topic's share was inflated (issue 31). Its intervals
combine two sources of uncertainty by the method of composition: every replicate takes
the topic counts of one of the Gibbs sampler's kept states *and* reweights the documents
with Rubin's Bayesian bootstrap (Dirichlet(1, ..., 1) weights: a bootstrap over documents
in which every document, hence every level of a categorical covariate, stays in every
replicate); the regression is refitted on each replicate and the expanded percentile
interval over documents is reported. ``benchmarks/sim_effects.py`` checks bias and
coverage on simulated corpora with a known effect (docs/STATISTICS.md, "Topic effects").
"""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from .._util import check_random_state, check_scalar, seed_record, warn_left_out
from ..errors import MetadataError, ParameterError

_UNCERTAINTY = ("both", "documents", "shares", "none")


class TopicEffects:
    """What :meth:`TopicModel.effects` returns: coefficients, and predicted prevalence over a
    grid of covariate values, each with intervals.

    Attributes: ``coefficients`` (DataFrame: topic, label, term, estimate, std_error,
    ci_low, ci_high on the share scale, log_odds, log_odds_low, log_odds_high, interval),
    ``data`` (the documents used: covariates and topic shares),
    ``formula``, ``attrs`` (level, n_boot, ci, uncertainty, n_docs, ...). Methods:
    :meth:`predict`.

    >>> eff = model.effects("~ region", n_boot=200, random_state=0)
    >>> eff
    TopicEffects('~ region', 4 documents, 4 topics, n_boot=200, uncertainty='both')
    >>> eff.coefficients.loc[eff.coefficients["topic"] == 1, "term"].tolist()
    ['Intercept', 'region[T.河南]', 'region[T.甘肃]']
    """

    def __init__(self, formula, spec, data, labels, estimate, replicates, attrs, X=None,
                 weights=None, cluster=None):
        self.formula = formula
        self._spec = spec
        self.data = data
        self._labels = labels
        self._estimate = estimate          # (P, K) logit-scale coefficients
        self._replicates = replicates      # (R, P, K)
        self._X = X                        # (N, P) the rows' model matrix
        self._weights = weights            # (R, N) the replicates' document weights
        self._cells = None if X is None else _level_cells(
            X, _column_groups(spec, X.shape[1]),
            np.arange(len(X)) if cluster is None else cluster)
        self.attrs = attrs
        self.coefficients = self._coefficient_table()

    def __repr__(self) -> str:
        a = self.attrs
        return (f"TopicEffects('{self.formula}', {a['n_docs']} documents, {a['n_topics']} "
                f"topics, n_boot={a['n_boot']}, uncertainty={a['uncertainty']!r})")

    @property
    def terms(self) -> list[str]:
        """Names of the model-matrix columns (Intercept, speaker[T.李强], bs(year)[1] ...)."""
        return list(self._spec.column_names)

    def _interval(self, reps: np.ndarray, estimate=None, n_docs=None, bounded=False):
        """(low, high, sd, interval labels) of replicates ``reps`` (R, G, K) around
        ``estimate`` (G, K), ``n_docs`` (G,) the documents of the level each row rests on
        (see :func:`_level_docs`): rows of a level in 1-2 documents get no interval, rows
        of a level in few documents a t interval over them (:func:`_small_level_rule`)."""
        if reps is None or not len(reps):
            return None, None, None, None
        q = self.attrs["interval_levels"][0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.quantile(reps, q, axis=0), np.quantile(reps, 1 - q, axis=0)
            sd = reps.std(axis=0, ddof=1)
        G = reps.shape[1]
        labels = np.full(G, INTERVAL_PERCENTILE if self.attrs.get("uncertainty") != "shares"
                         else INTERVAL_SHARES, dtype=object)
        if n_docs is None or self.attrs.get("uncertainty") not in ("both", "documents"):
            return low, high, sd, labels
        for g, n in enumerate(n_docs):
            label, z = _small_level_rule(n, self.attrs["ci"], q)
            if label is None:
                continue
            labels[g] = label
            if z is None:
                low[g], high[g] = np.nan, np.nan
            else:
                low[g], high[g] = estimate[g] - z * sd[g], estimate[g] + z * sd[g]
                if bounded:
                    low[g], high[g] = np.clip(low[g], 0, 1), np.clip(high[g], 0, 1)
        return low, high, sd, labels

    def _coefficient_table(self) -> pd.DataFrame:
        est, reps = self._estimate, self._replicates
        groups = _column_groups(self._spec, est.shape[0])
        ame = _marginal_effects(self._X, est, groups=groups)
        ame_reps = None if reps is None else _marginal_effects(self._X, reps, self._weights,
                                                               groups)
        n_docs = None if self._cells is None else _coefficient_docs(self._X, self._cells)
        lo, hi, sd, kind = self._interval(ame_reps, ame, n_docs)
        blo, bhi, _, _ = self._interval(reps, est, n_docs)
        nan = np.full(est.shape, np.nan)
        lo, hi, sd, blo, bhi = (nan if a is None else a for a in (lo, hi, sd, blo, bhi))
        kind = np.full(est.shape[0], INTERVAL_NONE, dtype=object) if kind is None else kind
        terms, K = self.terms, est.shape[1]
        out = pd.DataFrame({
            "topic": np.repeat(np.arange(K), len(terms)),
            "label": np.repeat(np.asarray(self._labels, dtype=object), len(terms)),
            "term": np.tile(np.asarray(terms, dtype=object), K),
            "estimate": ame.T.ravel(), "std_error": sd.T.ravel(),
            "ci_low": lo.T.ravel(), "ci_high": hi.T.ravel(),
            "log_odds": est.T.ravel(), "log_odds_low": blo.T.ravel(),
            "log_odds_high": bhi.T.ravel(), "interval": np.tile(kind, K)})
        out.attrs.update(self.attrs)
        return out

    def _typical(self, name):
        s = self.data[name]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            return float(s.median())
        counts = s.value_counts(sort=False)
        best = counts.max()
        levels = [v for v, c in counts.items() if c == best]
        try:
            return sorted(levels)[0]
        except TypeError:
            return levels[0]

    @property
    def variables(self) -> list[str]:
        """The metadata columns the formula reads."""
        return sorted(self._spec.variables_by_source.get("data", set()))

    def predict(self, data=None, topics=None, **values) -> pd.DataFrame:
        """Predicted topic prevalence (expected share of a document's tokens) at given
        covariate values, with intervals from the same replicates as the coefficients.

        ``values``: covariate name -> list of values (every combination is predicted), e.g.
        ``predict(year=range(1954, 2026))``; covariates not given are held at their median
        (numbers) or most common value (categories), recorded in ``attrs["held"]``. Or pass
        ``data``, a DataFrame with every covariate. ``topics`` selects topic numbers.

        DataFrame: the covariates, then topic, label, prevalence, ci_low, ci_high, interval
        (how the row's interval was made: a prediction at a level seen in 1-2 documents
        has none, at one in few documents a t interval over them; see :meth:`effects`).
        """
        held, grid_df = self._grid(values) if data is None else self._given(data, values)
        self._check_levels(grid_df)
        try:
            X = np.asarray(self._spec.get_model_matrix(grid_df, na_action="raise"), float)
        except Exception as e:  # formulaic's own errors name the factor
            raise ParameterError(f"predict: cannot build the model matrix for these values "
                                 f"({type(e).__name__}: {e})") from None
        ks = self._topic_numbers(topics)
        pred = _expit(X @ self._estimate[:, ks])                       # (G, K')
        reps = None if self._replicates is None else _expit(np.einsum(
            "gp,rpk->rgk", X, self._replicates[:, :, ks]))
        n_docs = None if self._cells is None else _level_docs(X, self._cells)
        lo, hi, _, kind = self._interval(reps, pred, n_docs, bounded=True)
        parts = []
        for j, k in enumerate(ks):
            part = grid_df.copy()
            part["topic"] = k
            part["label"] = self._labels[k]
            part["prevalence"] = pred[:, j]
            part["ci_low"] = np.nan if lo is None else lo[:, j]
            part["ci_high"] = np.nan if hi is None else hi[:, j]
            part["interval"] = INTERVAL_NONE if kind is None else kind
            parts.append(part)
        out = pd.concat(parts, ignore_index=True)
        out.attrs.update({**self.attrs, "held": held})
        return out

    def _grid(self, values: dict):
        """(held covariates, grid DataFrame) of every combination of ``values``, the other
        covariates held at their typical value."""
        names = self.variables
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise ParameterError(f"predict: {unknown} not in the formula's covariates "
                                 f"{names}")
        held = {n: self._typical(n) for n in names if n not in values}
        grid = {n: np.atleast_1d(values[n]).tolist() if not isinstance(values[n], range)
                else list(values[n]) for n in values}      # Python values, not np.str_
        index = pd.MultiIndex.from_product(list(grid.values()), names=list(grid)) \
            if grid else None
        grid_df = index.to_frame(index=False) if grid else pd.DataFrame(index=[0])
        for n, v in held.items():
            grid_df[n] = v
        return held, (grid_df[names] if names else grid_df)

    def _given(self, data, values: dict):
        """({}, ``data``) checked: a DataFrame with every covariate, no ``values``."""
        if values:
            raise ParameterError("predict: give data= or covariate values, not both")
        if not isinstance(data, pd.DataFrame):
            raise ParameterError(f"predict: data must be a DataFrame, got "
                                 f"{type(data).__name__}")
        missing = [n for n in self.variables if n not in data.columns]
        if missing:
            raise MetadataError(f"predict: data lacks the covariates {missing}")
        return {}, data.reset_index(drop=True)

    def _check_levels(self, grid_df: pd.DataFrame) -> None:
        """A :class:`ParameterError` for a value of a categorical covariate that no document
        of the fit has: formulaic would code it as missing and the row would silently be
        the reference level's prediction (audit44b: ``predict(speaker=["周恩来"])`` of a
        model of 2023-2025 gave 李克强's shares, labelled "level in 1 document")."""
        for n in self.variables:
            s = self.data[n]
            if n not in grid_df.columns or (pd.api.types.is_numeric_dtype(s)
                                            and not pd.api.types.is_bool_dtype(s)):
                continue
            seen = set(s.dropna().tolist())
            unknown = [v for v in pd.unique(grid_df[n]) if v not in seen]
            if unknown:
                known = sorted(map(str, seen))
                raise ParameterError(
                    f"predict: {n}={unknown} is not a level of the fit (no document of it "
                    f"among the {len(self.data)} rows); levels of {n}: "
                    f"{known[:20]}{' ...' if len(known) > 20 else ''}")

    def _topic_numbers(self, topics) -> list[int]:
        n = self._estimate.shape[1]
        ks = range(n) if topics is None else [int(k) for k in np.atleast_1d(topics)]
        bad = [k for k in ks if not 0 <= k < n]
        if bad:
            raise ParameterError(f"predict: topics {bad} out of range 0...{n - 1}")
        return list(ks)


class _EffectsMixin:
    """effects and prevalence_effects of a fitted TopicModel."""

    def effects(self, formula: str, data=None, *, level: str = "document", n_boot: int = 500,
                ci: float = 0.95, uncertainty: str = "both", random_state=None
                ) -> TopicEffects:
        """Regress topic shares on covariates: which topics a speaker, a region or the year
        explains, with intervals (R's ``stm::estimateEffect``).

        ``formula`` is the right-hand side of a formulaic formula over metadata columns:
        ``"~ region"``, ``"~ speaker + bs(year, df=5)"``, ``"~ C(year)"``. The outcome is
        each topic's share of a row's tokens (per document with ``level="document"``, or
        per fitted unit with ``level="unit"``, documents still the resampled units): the
        sampler's token counts, no prior smoothing, with the tokens of terms ``max_df``
        left out of the model placed in the topics too (by an EM with the fitted topics
        fixed; ``attrs["widespread_tokens"]`` counts them). The regression is a
        **fractional logit** (quasi-binomial GLM, logit link; statsmodels'
        ``GLM(share, X, family=Binomial())`` gives the same coefficients), so predicted
        shares and their intervals stay in [0, 1]. ``data``: a DataFrame of covariates
        with a ``doc_id`` column or index (default: the documents' own metadata); its
        columns take precedence. Documents without a value of a covariate are left out
        with one warning.

        **Scale of the coefficients.** ``estimate`` (with ``std_error``, ``ci_low``,
        ``ci_high``) is the **average marginal effect on the share scale**: for a numeric
        column, the change of the expected share per unit of it; for a level of a
        categorical covariate (a 0/1 column), the change from the reference level to this
        one; both averaged over the rows. The Intercept row is the predicted share with
        every column at 0. ``log_odds`` / ``log_odds_low`` / ``log_odds_high`` are the GLM
        coefficients (logit scale). Before 0.3.1 the regression was least squares on the
        shares and ``estimate`` its coefficient.

        Intervals (``ci``, ``n_boot`` replicates) combine ``uncertainty="both"`` sources
        (default): the shares' own (each replicate takes the topic counts of one of the
        sampler's states kept in ``doc_topic_draws_``: the method of composition) and the
        documents' (Bayesian bootstrap weights over documents); the expanded percentile
        interval over documents (Hesterberg 2015, with the small-sample factor of the
        Bayesian bootstrap and an HC3-type correction for the P coefficients: quantiles
        at Phi(-+sqrt(D (D + 1)) / (D - P) t_{1-a, D-P}), ``attrs["interval_levels"]``).
        ``"documents"`` or ``"shares"`` keep one source, ``"none"`` gives point estimates
        only. **Levels in few documents** (of a categorical or boolean covariate; the
        same rules as ``prevalence``): a coefficient or prediction that rests on a level
        seen in one or two documents (the level's or the reference level's) gets no
        interval (NaN); one in 3 or more documents gets, when it is wider, the interval
        estimate +- sqrt((n + 1) / (n - 1)) t_{1-a, n-1} SD(replicates), t on the level's
        own n - 1 degrees of freedom (the corpus-wide factor assumes every document's
        leverage is P / D; a level's dummy has 1 / n; randomisation check: 95% coverage
        0.96-0.98 for levels of 3-26 documents, before 0.70 with 3, 0.88 with 5;
        ``benchmarks/sim_effects.py --scenario levels``). One warning names those levels
        and their documents; the ``interval`` column of ``coefficients`` and ``predict``
        says how each row's interval was made. ``random_state=None`` (default) draws with
        the model's own seed (``random_state_``), so a seeded model gives the same
        intervals in any process; an int draws other replicates; a model fitted without a
        seed draws fresh randomness (docs/STATISTICS.md, "Seeds"); ``attrs["random_state"]``
        records the seed used.

        Returns :class:`TopicEffects`: ``.coefficients`` (topic, label, term, estimate,
        std_error, ci_low, ci_high, log_odds, log_odds_low, log_odds_high, interval) and
        ``.predict(year=range(...))`` (prevalence, ci_low, ci_high, interval over a grid);
        ``bt.plot.effects`` draws it.

        >>> eff = model.effects("~ region", n_boot=200, random_state=0)
        >>> gx = eff.predict(region=["广西", "河南"], topics=1)
        >>> gx[["region", "prevalence"]].round(2).values.tolist()   # Guangxi's ASEAN topic
        [['广西', 0.57], ['河南', 0.11]]
        """
        self._check_fitted()
        rhs, n_boot, ci = _check_effects_args(formula, level, n_boot, ci, uncertainty)
        random_state = self._method_seed(random_state)
        rng = check_random_state(random_state)
        K = self.n_topics_

        # ---- rows (documents or units) with their topic shares (the shares doc_topics
        # reports, from _topic_tokens) and covariates
        states, _, _, n_all = self._unit_counts()
        n_left = n_all - self.units_["n_tokens"].to_numpy(float)
        if level == "document":
            table = self._aggregate_documents()
            key = "doc_id"
            cluster = np.arange(len(table))

            def to_shares(state):               # one sampler state -> document shares
                _, _, sums, tot = self._sum_by_document(state)
                return sums / tot[:, None]
        else:
            table = self.doc_topics(level="unit")
            key = "parent_id"
            cluster, _ = pd.factorize(table["parent_id"].to_numpy())

            def to_shares(state):               # one sampler state -> unit shares
                counts, tokens = self._topic_tokens(state)
                return counts / tokens[:, None]

        shares = table[list(range(K))].to_numpy(float)
        frame = table.drop(columns=list(range(K)))
        meta = frame
        meta.columns = [str(c) for c in meta.columns]
        if data is not None:
            meta = _merge_data(meta, data, key, level)

        # ---- the model matrix; rows missing a covariate are left out
        from formulaic import model_matrix

        try:
            spec = model_matrix(rhs, meta, na_action="ignore").model_spec
        except Exception as e:
            raise _formula_error(e, rhs, meta) from None
        names = sorted(spec.variables_by_source.get("data", set()))
        _warn_years_as_text(meta, names, rhs)
        _warn_integer_codes(meta, names, list(spec.column_names), rhs)
        miss = meta[names].isna().any(axis=1).to_numpy() if names else np.zeros(len(meta),
                                                                                   bool)
        if miss.any():
            warn_left_out(miss, meta.rename(columns={key: "doc_id"}) if level == "document"
                          else meta, ", ".join(names), "effects")
        keep = np.flatnonzero(~miss)
        meta_k = meta.iloc[keep].reset_index(drop=True)
        try:
            mm = model_matrix(rhs, meta_k, na_action="raise")
        except Exception as e:
            raise _formula_error(e, rhs, meta_k) from None
        spec = mm.model_spec
        X = np.asarray(mm, dtype=float)
        Y = shares[keep]
        if X.shape[0] <= X.shape[1]:
            raise ParameterError(f"effects: {X.shape[1]} coefficients from {X.shape[0]} rows; "
                                 "use fewer covariates (or fewer spline degrees of freedom)")
        rank = np.linalg.matrix_rank(X)
        if rank < X.shape[1]:
            raise ParameterError(f"effects: the covariates of '{rhs}' are collinear (rank "
                                 f"{rank} of {X.shape[1]} columns: {list(spec.column_names)})")
        estimate = _fractional_logit(X, Y)

        # ---- replicates: sampler states (composition) x Bayesian bootstrap over documents
        n_docs = int(len(np.unique(cluster[keep])))
        reweight = uncertainty in ("both", "documents")
        levels = _expanded_levels(ci, n_docs, X.shape[1], reweight=reweight)
        none, small = _few_document_levels(meta_k, names, cluster[keep], ci, levels[0])
        if (none or small) and n_boot and reweight:
            warnings.warn(
                "effects: levels in few documents: "
                + (f"no interval for {none} (seen in one document or two: no interval "
                   "reaches its coverage, as in prevalence)" if none else "")
                + ("; " if none and small else "")
                + (f"t intervals over the level's own documents (wider) for {small}"
                   if small else "")
                + "; see the 'interval' column"
                + _reference_note(meta_k, names, list(spec.column_names), cluster[keep], ci,
                                  levels[0]), stacklevel=2)
        far = _far_from_zero(pd.DataFrame(X, columns=list(spec.column_names)),
                             [c for c in spec.column_names if c != "Intercept"])
        if far and "Intercept" in list(spec.column_names):
            first = far[0]
            warnings.warn(
                "effects: the Intercept row is the predicted share with every column at 0, "
                + "; ".join(f"{n} = 0 ({lo:g} to {hi:g} in the data)" for n, lo, hi in far)
                + ": an extrapolation far outside the documents (its share can be 0 or 1 to many "
                "digits), not a finding; the other rows are unaffected. "
                f"For shares within the data use effects.predict({first[0]}=[{first[1]:g}, "
                f"{first[2]:g}]), or centre the column in the formula "
                f"(~ I({first[0]} - {first[1]:g}))", stacklevel=2)
        replicates = weights = None
        if n_boot:
            draw = (lambda: to_shares(int(rng.integers(len(states))))[keep]) \
                if uncertainty in ("both", "shares") and len(states) > 1 else None
            clus_k = pd.factorize(cluster[keep])[0] \
                if uncertainty in ("both", "documents") else None
            replicates, weights = _replicates(X, Y, estimate, n_boot, draw, clus_k, rng)
        used = meta_k.assign(**{f"topic_{k}": Y[:, k] for k in range(K)})
        attrs = {"formula": "~ " + rhs.strip(), "level": level, "n_boot": n_boot, "ci": ci,
                 "random_state": (seed_record(random_state)
                                  if n_boot and uncertainty != "none" else None),
                 "uncertainty": uncertainty, "n_docs": n_docs,
                 "n_rows": int(len(keep)), "n_topics": K, "n_left_out": int(miss.sum()),
                 "n_states": len(states),
                 "interval_levels": levels,
                 "few_document_levels": {"no interval": none, "t interval": small},
                 "intercept_extrapolated": [n for n, _, _ in far],
                 "widespread_tokens": int(round(n_left.sum())),
                 "method": METHOD, "estimate_scale": ESTIMATE_SCALE}
        return TopicEffects("~ " + rhs.strip(), spec, used, self.label_topics().tolist(),
                            estimate, replicates, attrs, X, weights, cluster[keep])

    def _unit_counts(self):
        """The counts every topic share of the model is built from (cached): the topic
        counts of every fitted unit at each kept sampler state (S, N, K) and their mean
        over the states (N, K), the expected topic counts of the unit's tokens that
        ``max_df`` left out of the model (N, K), and all the unit's tokens, kept and left
        out (N,). Read them through :meth:`_topic_tokens`."""
        key = (self.doc_topic_, getattr(self, "_texts", None))
        cache = getattr(self, "_unit_counts_cache", None)
        if cache is not None and all(a is b for a, b in zip(cache[0], key)):
            return cache[1]
        n_tok = self.units_["n_tokens"].to_numpy(float)
        states = getattr(self, "doc_topic_draws_", None)
        states = self.doc_topic_[None] if states is None else np.asarray(states, float)
        counts = _desmooth(states, n_tok, self.alpha_)
        left_out, n_left, self._left_out_topics = _left_out_fit(self)
        value = (counts, counts.mean(axis=0), left_out, n_tok + n_left)
        self._unit_counts_cache = (key, value)
        return value

    def _new_topic_tokens(self, raw, docs, theta):
        """:meth:`_topic_tokens` for new texts (``transform``): tokens per topic (n × K)
        and tokens (n,) from the proportions ``theta`` the sampler inferred for their kept
        tokens ``docs``, the smoothing taken out and their tokens of the terms ``max_df``
        left out of the model (``raw``: all their tokens) placed by the EM with the fitted
        topics and the left-out terms' probabilities fixed. Rows without a kept token
        stay NaN."""
        n_kept = np.array([len(d) for d in docs], float)
        counts = _desmooth(np.nan_to_num(theta), n_kept, self.alpha_)
        self._unit_counts()                                    # sets _left_out_topics
        ok = np.flatnonzero(n_kept > 0)
        n_all = n_kept.copy()
        if self._left_out_topics is not None and len(ok):
            gone, phi_gone = self._left_out_topics
            vocab = {w: i for i, w in enumerate(self.vocabulary_)}
            n_gone = _term_counts([raw[i] for i in ok], gone)
            placed, _ = _place_left_out(
                _term_counts([raw[i] for i in ok], vocab), n_gone,
                np.asarray(self.topic_term_, float), theta[ok], phi_gone)
            counts[ok] += placed
            n_all[ok] += np.asarray(n_gone.sum(axis=1)).ravel()
        counts[n_kept == 0] = np.nan
        return counts, n_all

    def prevalence_effects(self) -> pd.DataFrame:
        """The Dirichlet-multinomial regression priors of a ``prevalence=`` model (tidy).

        DataFrame (topic, label, covariate, level, coefficient, prior_share): tomotopy's
        coefficient λ (log scale; the intercept row has covariate "(intercept)"), and
        ``prior_share``, the expected topic share a priori for a unit with that level
        (intercept + this level's coefficient, normalised over topics). tomotopy estimates
        λ by MAP with a Gaussian prior, so no standard errors exist: for effects with
        intervals, on any model, use :meth:`effects` (``model.effects("~ region")``).

        >>> dmr = bt.TopicModel(4, prevalence="region", random_state=1, min_df=3).fit(tokens)
        >>> dmr.prevalence_effects().columns.tolist()
        ['topic', 'label', 'covariate', 'level', 'coefficient', 'prior_share']
        """
        self._check_fitted()
        if not self._prevalence_cols():
            raise ParameterError("prevalence_effects() needs a model fitted with "
                                 "prevalence=<column(s)>; effects('~ column') works on any "
                                 "model")
        lam, names = self._lambdas
        labels = self.label_topics()
        rows = []
        for j, name in enumerate(names):
            cov, _, lev = name.partition("=") if j else ("(intercept)", "", "")
            logits = lam[:, 0] + (lam[:, j] if j else 0.0)
            prior = np.exp(logits) / np.exp(logits).sum()
            for k in range(lam.shape[0]):
                rows.append((k, labels[k], cov, lev, lam[k, j], prior[k]))
        return pd.DataFrame(rows, columns=["topic", "label", "covariate", "level",
                                           "coefficient", "prior_share"])

    @property
    def _lambdas(self):
        if getattr(self, "_lambda_cache", None) is None:
            self._lambda_cache = self._engine.lambdas()
        return self._lambda_cache


def _check_effects_args(formula, level, n_boot, ci, uncertainty):
    """(right-hand side of the formula, n_boot, ci) of :meth:`effects`, checked."""
    if not isinstance(formula, str) or not formula.strip():
        raise ParameterError(f"effects: formula must be a string such as '~ region', "
                             f"got {formula!r}")
    rhs = formula.strip()
    if "~" in rhs:
        lhs, _, rhs = rhs.partition("~")
        if lhs.strip():
            raise ParameterError(
                f"effects: give the right-hand side only ('~ {rhs.strip()}'): the "
                f"outcome is every topic's share, not {lhs.strip()!r}")
    if level not in ("document", "unit"):
        raise ParameterError(f"effects: level must be 'document' or 'unit', got {level!r}")
    if uncertainty not in _UNCERTAINTY:
        raise ParameterError(f"effects: uncertainty must be one of {_UNCERTAINTY}, got "
                             f"{uncertainty!r}")
    n_boot = check_scalar(n_boot, "n_boot", min_val=0)
    ci = check_scalar(ci, "ci", "real", min_val=0, max_val=1, include_min=False,
                      include_max=False)
    return rhs, (0 if uncertainty == "none" else n_boot), ci


def _replicates(X, Y, estimate, n_boot, draw, clus_k, rng):
    """(replicates (R, P, K), document weights (R, N)) of the method of composition: each
    replicate takes the shares of one sampler state (``draw()``, or ``Y`` when None) and,
    with cluster codes ``clus_k``, Bayesian bootstrap weights over the clusters, then
    refits the fractional logit from ``estimate``."""
    replicates = np.empty((n_boot, X.shape[1], Y.shape[1]))
    weights = np.ones((n_boot, len(Y)))
    n_clus = None if clus_k is None else clus_k.max() + 1
    for r in range(n_boot):
        Yr = Y if draw is None else draw()
        if clus_k is not None:
            w = rng.standard_gamma(np.ones(n_clus))[clus_k]
            weights[r] = w / w.mean()
        replicates[r] = _fractional_logit(X, Yr, weights[r], start=estimate, max_iter=25)
    return replicates, weights


_YEAR_TEXT = re.compile(r"^\s*((?:1[89]|20)\d\d)\s*年?(?:度)?\s*$")


def _warn_years_as_text(meta: pd.DataFrame, names: list, rhs: str) -> None:
    """One warning when a formula's column holds years written as text (``"2019年"``):
    formulaic makes each year a category of its own. It names the numeric ``year``
    column when the table has one that says the same years (the readers derive it from
    such a column), else how to make one (audit44 finding 8).

    >>> m = pd.DataFrame({"年份": ["2019年", "2020年", "2021年"], "year": [2019, 2020, 2021]})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     _warn_years_as_text(m, ["年份"], "年份")
    >>> said = str(w[0].message)
    >>> said.startswith("effects: 年份 holds years written as text ('2019年' ...)")
    True
    >>> print(said.split("; ")[-1])
    for a trend use the numeric column year (the same years, as numbers: '~ year', or C(year) for one category a year)
    """
    for col in names:
        if col not in meta.columns or pd.api.types.is_numeric_dtype(meta[col]):
            continue
        values = meta[col].dropna().astype(str)
        years = values.str.extract(_YEAR_TEXT, expand=False)
        if len(values) == 0 or years.isna().any() or years.nunique() < 3:
            continue
        same = ("year" in meta.columns and col != "year"
                and pd.api.types.is_numeric_dtype(meta["year"])
                and (pd.to_numeric(years, errors="coerce").to_numpy()
                     == meta.loc[values.index, "year"].to_numpy()).all())
        use = (f"the numeric column year (the same years, as numbers: '~ "
               f"{rhs.strip().replace(col, 'year')}', or C(year) for one category a year)"
               if same else f"numbers: data[{col!r}] = data[{col!r}].str[:4].astype(int)")
        warnings.warn(f"effects: {col} holds years written as text ({values.iloc[0]!r} ...): "
                      f"in '~ {rhs.strip()}' each of its {years.nunique()} years is a "
                      f"category of its own, compared with the first, not a trend over time; "
                      f"for a trend use {use}", stacklevel=3)


#: An integer column with at most this many values, entered as a number, may be codes.
MAX_CODE_VALUES = 20


def _warn_integer_codes(meta: pd.DataFrame, names: list, columns: list, rhs: str) -> None:
    """One warning for a column that enters the formula as a number but holds a few
    whole numbers that are not years, such as the work reports' ``session`` (1-5, the
    session of a congress) or ``congress`` (1-14): formulaic fits one slope, the same change
    from the first session to the second as from the fourth to the fifth; ``C(col)`` makes
    them categories
    (audit44b).

    >>> import warnings
    >>> m = pd.DataFrame({"session": [1, 2, 3, 4, 5, 1], "year": [1978, 1979, 1980, 1981,
    ...                                                           1982, 1983]})
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     _warn_integer_codes(m, ["session", "year"], ["Intercept", "session", "year"],
    ...                         "session + year")
    >>> len(w), str(w[0].message).split(": ")[1][:43]
    (1, 'session holds 5 whole numbers (1 to 5) and ')
    """
    for col in names:
        if col not in columns or col not in meta.columns:
            continue
        s = meta[col].dropna()
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or s.empty:
            continue
        v = s.to_numpy(dtype=float)
        n = len(np.unique(v))
        if (v != np.round(v)).any() or not 3 <= n <= MAX_CODE_VALUES \
                or (v >= 1800).all() and (v <= 2100).all():
            continue
        warnings.warn(
            f"effects: {col} holds {n} whole numbers ({v.min():g} to {v.max():g}) and enters "
            f"'~ {rhs.strip()}' as a number: one slope, the same change from {v.min():g} to "
            f"{v.min() + 1:g} as from {v.max() - 1:g} to {v.max():g}. If they are codes of "
            f"categories (a session, a "
            f"congress, a region code), write C({col}): one effect per value", stacklevel=3)


def _merge_data(meta: pd.DataFrame, data, key: str, level: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"effects: data must be a DataFrame of covariates with a "
                             f"doc_id column or index, got {type(data).__name__}")
    d = data.reset_index() if "doc_id" not in data.columns and data.index.name == "doc_id" \
        else data
    if "doc_id" not in d.columns:
        raise MetadataError("effects: data needs a doc_id column (or index named doc_id) "
                            "matching the model's documents")
    if d["doc_id"].duplicated().any():
        dup = d.loc[d["doc_id"].duplicated(), "doc_id"].tolist()[:5]
        raise MetadataError(f"effects: data has several rows for documents {dup}")
    known = set(meta[key])
    if not known & set(d["doc_id"]):
        raise MetadataError(f"effects: no doc_id of data is a document of the model (e.g. "
                            f"{sorted(map(str, known))[:3]})")
    d = d.rename(columns={"doc_id": key}).set_index(key)
    d.columns = [str(c) for c in d.columns]
    base = meta.drop(columns=[c for c in d.columns if c in meta.columns])
    return base.join(d, on=key)


def _formula_error(e: Exception, rhs: str, meta: pd.DataFrame) -> Exception:
    cols = [c for c in meta.columns if c not in ("text",)]
    return MetadataError(f"effects: cannot build '~ {rhs}' from the metadata "
                         f"({type(e).__name__}: {str(e).splitlines()[0]}); columns: {cols}")


#: ``interval`` column of :class:`TopicEffects` tables: how each row's interval was made.
INTERVAL_PERCENTILE = "expanded percentile over documents"
INTERVAL_SHARES = "percentile over the sampler's states (documents fixed)"
INTERVAL_NONE = "none: no replicates"
#: Levels in at most this many documents get no interval (as ``prevalence``: 1-2 documents).
MAX_DOCS_NO_INTERVAL = 2


def _level_cells(X, groups, cluster) -> list:
    """For every formula term made of 0/1 columns (the dummies of a categorical covariate,
    a boolean), its columns and the number of documents (distinct ``cluster``) in each
    combination of their values: ``[(cols, {(0, 1, 0): n_docs, ...}), ...]``."""
    const = np.all(X == 1, axis=0)
    out, seen = [], set()
    for cols in groups:
        key = tuple(cols)
        if key in seen or const[cols].any() or not np.isin(X[:, cols], (0, 1)).all():
            continue
        seen.add(key)
        frame = pd.DataFrame(X[:, cols].astype(int)).assign(_doc=cluster)
        counts = frame.groupby(list(range(len(cols))))["_doc"].nunique()
        out.append((list(cols), {(k,) if not isinstance(k, tuple) else k: int(v)
                                 for k, v in counts.items()}))
    return out


def _coefficient_docs(X, cells) -> np.ndarray:
    """Documents each coefficient rests on (P,): for a level's dummy the fewer of the
    level's and the reference level's documents, for the Intercept the fewest of any
    reference level's, ``inf`` for a numeric column."""
    n = np.full(X.shape[1], np.inf)
    const = np.flatnonzero(np.all(X == 1, axis=0))
    for cols, counts in cells:
        ref = counts.get((0,) * len(cols), 0)
        for j, p in enumerate(cols):
            n[p] = min(counts.get(tuple(int(i == j) for i in range(len(cols))), 0), ref)
        n[const] = np.minimum(n[const], ref)
    return n


def _level_docs(rows, cells) -> np.ndarray:
    """Documents a prediction at each row of the model matrix ``rows`` (G, P) rests on:
    the fewest documents of the levels the row sets (``inf`` when it sets none)."""
    n = np.full(len(rows), np.inf)
    for cols, counts in cells:
        n = np.minimum(n, [counts.get(tuple(int(v) for v in r), 0) for r in rows[:, cols]])
    return n


def _small_level_rule(n_docs, ci: float, q: float):
    """(label, z) of a row resting on a level in ``n_docs`` documents, the others' quantile
    level ``q``: with 1-2 documents no interval (label, None); with few documents, when
    sqrt((n + 1) / (n - 1)) t_{1-a, n-1} (the Bayesian bootstrap's small-sample factor and
    t on the level's own n - 1 degrees of freedom) exceeds the expanded percentile's z,
    an interval estimate +- z SD(replicates) (label, z); otherwise (None, None).

    >>> _small_level_rule(2, 0.95, 0.0175)[0]
    'none: level in 2 documents'
    >>> label, z = _small_level_rule(3, 0.95, 0.0175); label, round(z, 2)
    ("t over the level's 3 documents (2 df)", 6.08)
    >>> _small_level_rule(52, 0.95, 0.0175)
    (None, None)
    """
    from scipy import stats as st

    if not np.isfinite(n_docs):
        return None, None
    n = int(n_docs)
    if n <= MAX_DOCS_NO_INTERVAL:
        return f"none: level in {n} document{'s' if n != 1 else ''}", None
    z = np.sqrt((n + 1) / (n - 1)) * st.t.ppf(1 - (1 - ci) / 2, n - 1)
    if z <= -st.norm.ppf(q):
        return None, None
    return f"t over the level's {n} documents ({n - 1} df)", float(z)


def _reference_note(meta: pd.DataFrame, names: list[str], columns: list[str], cluster,
                    ci: float, q: float) -> str:
    """A sentence for each categorical covariate whose reference level (the one without a
    column: the first in sorted order unless ``Treatment(...)`` names it) is in so few
    documents that it takes every contrast's interval away, naming a reference in more
    documents (audit44b: ``~ speaker`` on the work reports compares every premier with
    华国锋, 2 reports, so none of the 78 rows had an interval).

    >>> m = pd.DataFrame({"s": ["a", "a", "b", "b", "b", "b", "c"]})
    >>> print(_reference_note(m, ["s"], ["Intercept", "s[T.b]", "s[T.c]"],
    ...                       np.arange(7), 0.95, 0.0175).lstrip("; "))
    every contrast of s is against its reference level s=a (2 documents), so none of them \
has an interval: name a reference in more documents, e.g. ~ C(s, Treatment('b')) (4 documents)
    """
    notes = []
    for n in names:
        s = meta[n]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            continue
        per = pd.Series(cluster).groupby(s.to_numpy()).nunique()
        own = [c for c in columns if n in c]
        missing = [v for v in per.index if not any(f"[T.{v}]" in c for c in own)]
        if len(missing) != 1 or len(per) < 2:      # no intercept, or not treatment coding
            continue
        ref = missing[0]
        label, z = _small_level_rule(per[ref], ci, q)
        best = sorted(per.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
        if label is None or best[1] <= max(per[ref], MAX_DOCS_NO_INTERVAL):
            continue
        docs = f"{per[ref]} document{'s' if per[ref] != 1 else ''}"
        what = ("none of them has an interval" if z is None else
                f"each has at best a t interval over its {docs}")
        notes.append(f"every contrast of {n} is against its reference level {n}={ref} "
                     f"({docs}), so {what}: name a reference in more documents, e.g. "
                     f"~ C({n}, Treatment({best[0]!r})) ({best[1]} documents)")
    return "".join("; " + x for x in notes)


def _far_from_zero(meta: pd.DataFrame, names: list[str]) -> list[tuple]:
    """(name, min, max) of the model-matrix columns (not 0/1) whose values lie farther from 0
    than their own range is wide (years: 2018-2024), where the Intercept, the share at 0,
    is an extrapolation (audit s40: Intercept share 6e-16, log-odds -1060 with ``~ year``).

    >>> _far_from_zero(pd.DataFrame({"year": [2018, 2024], "x": [-1.0, 3.0]}), ["year", "x"])
    [('year', 2018.0, 2024.0)]
    """
    out = []
    for n in names:
        s = meta[n]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) \
                or s.isin((0, 1)).all():
            continue
        lo, hi = float(s.min()), float(s.max())
        if lo > 0 and lo > hi - lo or hi < 0 and -hi > hi - lo:
            out.append((n, lo, hi))
    return out


def _few_document_levels(meta: pd.DataFrame, names: list[str], cluster, ci: float,
                         q: float) -> tuple[list, list]:
    """(levels without an interval, levels with a t interval), each 'name=value (n
    documents)', of the categorical covariates in ``names``."""
    none, small = [], []
    for n in names:
        s = meta[n]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) \
                and not s.isin((0, 1)).all():            # a 0/1 number is a level too
            continue
        per = pd.Series(cluster).groupby(s.to_numpy()).nunique()
        for v, c in per.items():
            label, z = _small_level_rule(c, ci, q)
            if label is not None:
                (none if z is None else small).append(
                    f"{n}={v} ({c} document{'s' if c != 1 else ''})")
    return none, small


#: What ``attrs["method"]`` says.
METHOD = ("fractional logit (quasi-binomial GLM with logit link, Papke & Wooldridge 1996) of "
          "each topic's share of a row's tokens; intervals: percentile over replicates that "
          "take the topic counts of one of the sampler's kept states and reweight documents "
          "(Bayesian bootstrap)")
#: What ``attrs["estimate_scale"]`` says.
ESTIMATE_SCALE = ("estimate / std_error / ci_low / ci_high: average marginal effect on the "
                  "share scale (change of the expected share per unit of the column, a 0/1 "
                  "column: from 0 to 1, averaged over the rows; Intercept: the predicted "
                  "share with every column at 0); log_odds / log_odds_low / log_odds_high: "
                  "the GLM coefficient (logit scale)")


def _expanded_levels(ci: float, n_docs: int, n_coef: int, reweight: bool):
    """Quantile levels of the intervals: the expanded percentile interval over documents,
    Phi(-+sqrt(D (D + 1)) / (D - P) t_{1-a, D-P}) (D documents, P coefficients), when the
    documents are reweighted; the plain percentiles otherwise.

    Hesterberg's (2015) factor sqrt(D / (D - 1)) undoes the ordinary bootstrap's variance
    of a mean, (D - 1) / D of the unbiased one. Rubin's Bayesian bootstrap gives
    (D - 1) / (D + 1) of it; for P coefficients its variance is the sandwich (HC0) one
    times D / (D + 1). The factor sqrt((D + 1) / D) undoes that, and D / (D - P) is the
    HC3 correction (residuals over 1 - h, h the leverage) at the average leverage P / D,
    the small-sample choice of Long & Ervin (2000); the reference is t with D - P
    degrees of freedom, as in least squares (docs/STATISTICS.md, "Topic effects").

    >>> [round(x, 4) for x in _expanded_levels(0.95, 52, 2, True)]
    [0.0175, 0.9825]
    """
    from scipy import stats as st

    a = (1 - ci) / 2
    if not reweight or n_docs - n_coef < 1:
        return a, 1 - a
    z = np.sqrt(n_docs * (n_docs + 1)) / (n_docs - n_coef) * st.t.ppf(1 - a, n_docs - n_coef)
    low = float(st.norm.cdf(-z))
    return low, 1 - low


def _expit(eta):
    return 1.0 / (1.0 + np.exp(-np.clip(eta, -35, 35)))


def _fractional_logit(X, Y, w=None, start=None, max_iter=50, tol=1e-8):
    """Coefficients (P, K) of a fractional logit of every column of ``Y`` (shares in
    [0, 1]) on ``X`` (N, P), observation weights ``w``: the quasi-binomial GLM with logit
    link (statsmodels ``GLM(y, X, family=Binomial())`` gives the same), by iteratively
    reweighted least squares vectorised over the columns, on the orthonormal basis of X
    (X = QR) so that covariates on any scale (years, splines) stay well conditioned.

    >>> X = np.column_stack([np.ones(4), [0, 0, 1, 1]])
    >>> b = _fractional_logit(X, np.array([[0.1], [0.3], [0.5], [0.7]]))
    >>> _expit(X @ b).ravel().round(3).tolist()             # a 0/1 column: group means
    [0.2, 0.2, 0.6, 0.6]
    """
    n, P = X.shape
    w = np.ones(n) if w is None else np.asarray(w, float)
    Y = np.clip(np.asarray(Y, float), 0.0, 1.0)
    Q, R = np.linalg.qr(X)
    if start is None:   # statsmodels' start for the binomial family: mu = (y + 1/2) / 2
        m0 = (Y + 0.5) / 2
        z = np.log(m0 / (1 - m0))
        sw = np.sqrt(w)[:, None]
        gamma = np.linalg.lstsq(Q * sw, z * sw, rcond=None)[0]
    else:
        gamma = R @ np.asarray(start, float)
    ridge = 1e-10 * np.eye(P)
    mu = _expit(Q @ gamma)
    for _ in range(max_iter):
        v = np.maximum(mu * (1 - mu), 1e-10)                          # (N, K)
        A = (w[:, None] * v)[:, :, None] * Q[:, None, :]              # (N, K, P)
        H = A.transpose(1, 2, 0) @ Q + ridge                          # (K, P, P)
        g = (Q.T @ (w[:, None] * (Y - mu))).T[:, :, None]             # (K, P, 1)
        try:
            step = np.linalg.solve(H, g)[:, :, 0].T
        except np.linalg.LinAlgError:
            step = (np.linalg.pinv(H) @ g)[:, :, 0].T
        gamma = gamma + np.clip(step, -10, 10)         # damped: no run-away Newton steps
        new = _expit(Q @ gamma)
        # converged when the fitted shares stop moving (a topic absent from every row of a
        # level drifts to -inf on the logit scale while its fitted share is already ~0)
        done = np.abs(new - mu).max() < tol
        mu = new
        if done:
            break
    return np.linalg.solve(R, gamma)


def _column_groups(spec, n_cols):
    """For every model-matrix column, the columns of the same formula term (the dummies
    of one categorical covariate)."""
    groups = [[p] for p in range(n_cols)]
    for cols in getattr(spec, "term_indices", {}).values():
        for p in cols:
            groups[p] = list(cols)
    return groups


def _marginal_effects(X, beta, w=None, groups=None):
    """Average marginal effects (P, K) on the share scale of coefficients ``beta`` (P, K)
    or replicates (R, P, K) with row weights ``w`` (R, N): a 0/1 column's discrete change
    from 0 to 1 (the other dummies of its term at 0, i.e. from the reference level to this
    one), another column's derivative, averaged over the rows; the Intercept row is the
    predicted share with every column at 0. ``groups``: per column, the columns of its
    term (default: itself)."""
    single = beta.ndim == 2
    B = beta[None] if single else beta
    W = np.ones((len(B), len(X))) if w is None else np.atleast_2d(w)
    W = W / W.sum(axis=1, keepdims=True)
    binary = np.all((X == 0) | (X == 1), axis=0)
    const = np.all(X == 1, axis=0)
    out = np.empty_like(B)
    for r in range(len(B)):
        eta = X @ B[r]                                                # (N, K)
        mu = _expit(eta)
        for p in range(X.shape[1]):
            if const[p]:
                out[r, p] = _expit(B[r, p])
            elif binary[p]:
                g = groups[p] if groups is not None else [p]
                base = eta - X[:, g] @ B[r, g]
                out[r, p] = W[r] @ (_expit(base + B[r, p]) - _expit(base))
            else:
                out[r, p] = W[r] @ (mu * (1 - mu)) * B[r, p]
    return out[0] if single else out


def _left_out_counts(model):
    """Expected topic counts (N, K) of the tokens of every fitted unit that ``max_df`` left
    out of the model (terms in more than that share of the units), and their number (N,).

    Those terms are placed in the topics by maximum likelihood with the fitted topics
    fixed (an EM over the units: each left-out term gets a probability in every topic,
    the kept terms keep their relative probabilities, the units' proportions are over all
    their tokens; :func:`_place_left_out`). Without it a small topic's share of a unit is
    its share of the kept tokens, too high when the left-out terms belong mostly to the
    large topics (benchmarks/sim_effects.py, benchmarks/sim_prevalence.py).
    """
    placed, n_left, _ = _left_out_fit(model)
    return placed, n_left


def _left_out_fit(model):
    """(:func:`_left_out_counts`' two arrays, and (the left-out terms, their probability
    in every topic (K, G)) for placing them in new texts, or None)."""
    K = model.n_topics_
    n_units = len(model.units_)
    none = (np.zeros((n_units, K)), np.zeros(n_units), None)
    gone = _left_out_terms(model)
    raw = getattr(model, "_texts", None)
    if not gone:
        return none
    vocab = {w: i for i, w in enumerate(model.vocabulary_)}
    kept = [d for d in raw if any(t in vocab for t in d)]
    if len(kept) != n_units:
        return none
    n_kept, n_gone = _term_counts(kept, vocab), _term_counts(kept, gone)
    placed, phi_gone = _place_left_out(n_kept, n_gone, np.asarray(model.topic_term_, float),
                                       np.asarray(model.doc_topic_, float))
    return placed, np.asarray(n_gone.sum(axis=1)).ravel(), (gone, phi_gone)


def _left_out_terms(model) -> dict:
    """The terms ``max_df`` left out of the model ({term: column}, sorted): in more than
    that share of the fitted units, and not a stopword or too short (those were left out
    for another reason and are not counted anywhere). Empty when the fitted texts are not
    known or ``max_df`` kept every term."""
    raw = getattr(model, "_texts", None)
    share = (model.provenance_ or {}).get("max_df") if hasattr(model, "provenance_") \
        else None
    share = model._max_df() if share is None else float(share)
    if raw is None or share >= 1.0:
        return {}
    vocab = set(model.vocabulary_)
    stop = model._stopword_set()
    df: dict = {}
    for d in raw:
        for t in set(d):
            df[t] = df.get(t, 0) + 1
    limit = share * len(raw)
    gone = sorted(t for t, c in df.items() if c > limit and t not in vocab and t not in stop
                  and len(t) >= model.min_length)
    return {t: i for i, t in enumerate(gone)}


def _term_counts(docs, index: dict):
    """Counts (COO, len(docs) × len(index)) of the terms of ``index`` in token lists."""
    from scipy import sparse

    rows, cols = [], []
    for j, d in enumerate(docs):
        for t in d:
            c = index.get(t)
            if c is not None:
                rows.append(j)
                cols.append(c)
    m = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)),
                          shape=(len(docs), len(index))).tocsr()
    m.sum_duplicates()
    return m.tocoo()


def _place_left_out(n_kept, n_gone, phi, theta, phi_gone=None, n_iter=200, tol=1e-6):
    """The EM of :func:`_left_out_counts`: expected topic counts (N, K) of the left-out
    tokens ``n_gone`` (N × G) of units with kept tokens ``n_kept`` (N × V), topics ``phi``
    (K × V) fixed, unit proportions started at ``theta``; and the left-out terms'
    probabilities in every topic (K × G), estimated unless given (new texts: then every
    unit's EM is on its own and stops when its own proportions settle, so a text gets the
    same shares in any batch, e.g. in any partition of ``bri_text.distributed``)."""
    from scipy import sparse

    def ratio(N, theta, phi):            # N / (theta @ phi), on N's non-zero cells only
        mix = np.einsum("ik,ki->i", theta[N.row], phi[:, N.col])
        return sparse.csr_matrix((N.data / np.maximum(mix, 1e-300), (N.row, N.col)),
                                 shape=N.shape)

    K = phi.shape[0]
    fixed = phi_gone is not None
    if not fixed:
        total = n_kept.sum() + n_gone.sum()
        phi_gone = np.tile(np.asarray(n_gone.sum(axis=0)).ravel() / total, (K, 1))
    phi_kept = phi * (1 - phi_gone.sum(axis=1))[:, None]
    active = np.ones(len(theta), bool)          # (fixed topics) units still moving
    for _ in range(n_iter):
        A, B = ratio(n_kept, theta, phi_kept), ratio(n_gone, theta, phi_gone)
        t_gone = theta * (B @ phi_gone.T)
        T = theta * (A @ phi_kept.T) + t_gone
        if not fixed:
            phi_gone = phi_gone * (B.T @ theta).T / T.sum(axis=0)[:, None]
            phi_kept = phi * (1 - phi_gone.sum(axis=1))[:, None]
        new = T / np.maximum(T.sum(axis=1, keepdims=True), 1e-300)
        step = np.abs(new - theta).max(axis=1)
        if fixed:
            theta = np.where(active[:, None], new, theta)
            active &= step >= tol
            if not active.any():
                break
            continue
        theta = new
        if step.max() < tol:
            break
    B = ratio(n_gone, theta, phi_gone)
    return theta * (B @ phi_gone.T), phi_gone


def _desmooth(props, n_tok, alpha):
    """Topic counts from proportions (..., N, K) of units with ``n_tok`` tokens: tomotopy's
    proportions are (n_dk + alpha_k) / (n_d + sum(alpha)), so the counts are
    props (n_d + sum(alpha)) - alpha, clipped at 0 and rescaled to n_d."""
    alpha = np.asarray(alpha, float)
    counts = np.maximum(props * (n_tok + alpha.sum())[..., :, None] - alpha, 0.0)
    return counts * (n_tok / np.maximum(counts.sum(axis=-1), 1e-12))[..., :, None]
