"""Topic prevalence explained by covariates: :meth:`TopicModel.effects` (what R's stm calls
``estimateEffect``), and the DMR priors of a ``prevalence=`` model (a TopicModel mixin).

``effects`` regresses document-level topic shares on covariates given as a formula
(formulaic: ``"~ speaker + bs(year, df=5)"``, with ``C()`` and splines) by least squares
(statsmodels). Its intervals combine two sources of uncertainty by the method of
composition: every replicate takes one of the Gibbs sampler's states and draws each unit's
topic proportions from their posterior given that state's topic counts (a Dirichlet) *and*
reweights the documents with Rubin's Bayesian
bootstrap (Dirichlet(1, ..., 1) weights: a bootstrap over documents in which every
document, hence every level of a categorical covariate, stays in every replicate); the
regression is refitted on each replicate and the percentile interval of the replicates is
reported. ``benchmarks/sim_effects.py`` checks bias and coverage on simulated corpora with a
known effect (docs/STATISTICS.md, "Topic effects").
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._util import check_random_state, check_scalar, warn_left_out
from ..errors import MetadataError, ParameterError

_UNCERTAINTY = ("both", "documents", "shares", "none")


class TopicEffects:
    """What :meth:`TopicModel.effects` returns: coefficients, and predicted prevalence over a
    grid of covariate values, each with intervals.

    Attributes: ``coefficients`` (DataFrame: topic, label, term, estimate, std_error,
    ci_low, ci_high), ``data`` (the documents used: covariates and topic shares),
    ``formula``, ``attrs`` (level, n_boot, ci, uncertainty, n_docs, ...). Methods:
    :meth:`predict`.
    """

    def __init__(self, formula, spec, data, labels, estimate, replicates, attrs):
        self.formula = formula
        self._spec = spec
        self.data = data
        self._labels = labels
        self._estimate = estimate          # (P, K)
        self._replicates = replicates      # (R, P, K)
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

    def _interval(self, reps: np.ndarray):
        q = (1 - self.attrs["ci"]) / 2
        if reps is None or not len(reps):
            return None, None, None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return (np.quantile(reps, q, axis=0), np.quantile(reps, 1 - q, axis=0),
                    reps.std(axis=0, ddof=1))

    def _coefficient_table(self) -> pd.DataFrame:
        est, reps = self._estimate, self._replicates
        lo, hi, sd = self._interval(reps)
        rows = []
        terms = self.terms
        for k in range(est.shape[1]):
            for p, term in enumerate(terms):
                rows.append((k, self._labels[k], term, est[p, k],
                             np.nan if sd is None else sd[p, k],
                             np.nan if lo is None else lo[p, k],
                             np.nan if hi is None else hi[p, k]))
        out = pd.DataFrame(rows, columns=["topic", "label", "term", "estimate", "std_error",
                                          "ci_low", "ci_high"])
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

        DataFrame: the covariates, then topic, label, prevalence, ci_low, ci_high.
        """
        names = self.variables
        if data is None:
            unknown = sorted(set(values) - set(names))
            if unknown:
                raise ParameterError(f"predict: {unknown} not in the formula's covariates "
                                     f"{names}")
            held = {n: self._typical(n) for n in names if n not in values}
            grid = {n: list(np.atleast_1d(values[n])) if not isinstance(values[n], range)
                    else list(values[n]) for n in values}
            index = pd.MultiIndex.from_product(list(grid.values()), names=list(grid)) \
                if grid else None
            grid_df = index.to_frame(index=False) if grid else pd.DataFrame(index=[0])
            for n, v in held.items():
                grid_df[n] = v
            grid_df = grid_df[names] if names else grid_df
        else:
            if values:
                raise ParameterError("predict: give data= or covariate values, not both")
            if not isinstance(data, pd.DataFrame):
                raise ParameterError(f"predict: data must be a DataFrame, got "
                                     f"{type(data).__name__}")
            missing = [n for n in names if n not in data.columns]
            if missing:
                raise MetadataError(f"predict: data lacks the covariates {missing}")
            held, grid_df = {}, data.reset_index(drop=True)
        try:
            X = np.asarray(self._spec.get_model_matrix(grid_df, na_action="raise"), float)
        except Exception as e:  # formulaic's own errors name the factor
            raise ParameterError(f"predict: cannot build the model matrix for these values "
                                 f"({type(e).__name__}: {e})") from None
        ks = range(self._estimate.shape[1]) if topics is None else [
            int(k) for k in np.atleast_1d(topics)]
        bad = [k for k in ks if not 0 <= k < self._estimate.shape[1]]
        if bad:
            raise ParameterError(f"predict: topics {bad} out of range 0..."
                                 f"{self._estimate.shape[1] - 1}")
        ks = list(ks)
        pred = X @ self._estimate[:, ks]                               # (G, K')
        reps = None if self._replicates is None else np.einsum(
            "gp,rpk->rgk", X, self._replicates[:, :, ks])
        lo, hi, _ = self._interval(reps)
        parts = []
        for j, k in enumerate(ks):
            part = grid_df.copy()
            part["topic"] = k
            part["label"] = self._labels[k]
            part["prevalence"] = pred[:, j]
            part["ci_low"] = np.nan if lo is None else lo[:, j]
            part["ci_high"] = np.nan if hi is None else hi[:, j]
            parts.append(part)
        out = pd.concat(parts, ignore_index=True)
        out.attrs.update({**self.attrs, "held": held})
        return out


class _EffectsMixin:
    """effects and prevalence_effects of a fitted TopicModel."""

    def effects(self, formula: str, data=None, *, level: str = "document", n_boot: int = 500,
                ci: float = 0.95, uncertainty: str = "both", random_state=None
                ) -> TopicEffects:
        """Regress topic shares on covariates: which topics a speaker, a region or the year
        explains, with intervals (R's ``stm::estimateEffect``).

        ``formula`` is the right-hand side of a formulaic formula over metadata columns:
        ``"~ region"``, ``"~ speaker + bs(year, df=5)"``, ``"~ C(year)"``. Each topic's
        share (token-weighted, per document with ``level="document"``, or per fitted unit
        with ``level="unit"``, documents still the resampled units) is the outcome of a
        least-squares regression (statsmodels). ``data``: a DataFrame of covariates with a
        ``doc_id`` column or index (default: the documents' own metadata); its columns take
        precedence. Documents without a value of a covariate are left out with one warning.

        Intervals (``ci``, ``n_boot`` replicates) combine ``uncertainty="both"`` sources
        (default): the shares' own (each replicate takes one of the sampler's states kept
        in ``doc_topic_draws_`` and draws every unit's proportions from the Dirichlet
        posterior of its topic counts in that state: the method of composition) and the
        documents' (Bayesian bootstrap weights over documents). ``"documents"`` or
        ``"shares"`` keep one source, ``"none"`` gives point estimates only. A level of a
        categorical covariate seen in one document gets an interval from the shares alone
        (a warning names it). Deterministic for a fixed ``random_state``.

        Returns :class:`TopicEffects`: ``.coefficients`` (topic, label, term, estimate,
        std_error, ci_low, ci_high) and ``.predict(year=range(...))`` (prevalence, ci_low,
        ci_high over a grid); ``bt.plot.effects`` draws it.

        >>> eff = model.effects("~ region", n_boot=200, random_state=0)
        >>> gx = eff.predict(region=["广西", "河南"], topics=2)
        >>> gx[["region", "prevalence"]].round(2).values.tolist()   # Guangxi's ASEAN topic
        [['广西', 0.46], ['河南', 0.04]]
        """
        self._check_fitted()
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
        if uncertainty == "none":
            n_boot = 0
        rng = check_random_state(random_state)
        K = self.n_topics_

        # ---- rows (documents or units) with their shares and covariates
        u = self.units_
        n_tok = u["n_tokens"].to_numpy(float)
        if level == "document":
            frame = self._aggregate_documents()
            key = "doc_id"
            codes, docs = pd.factorize(u["parent_id"].to_numpy())
            order = pd.Index(docs)
            frame = frame.set_index("doc_id").loc[order].reset_index()
            cluster = np.arange(len(frame))
        else:
            frame = self.doc_topics(level="unit")
            key = "parent_id"
            codes = np.arange(len(u))
            cluster, _ = pd.factorize(frame["parent_id"].to_numpy())
        shares = frame[list(range(K))].to_numpy(float)
        meta = frame.drop(columns=list(range(K)))
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
        from statsmodels.regression.linear_model import OLS

        estimate = np.asarray(OLS(Y, X).fit().params, dtype=float).reshape(X.shape[1], K)

        # ---- replicates: share draws (composition) x Bayesian bootstrap over documents
        single = _single_document_levels(meta_k, names, cluster[keep])
        if single and n_boot and uncertainty in ("both", "documents"):
            warnings.warn(f"effects: {single} seen in one document only: their intervals "
                          "reflect the topic shares' own uncertainty, not variation between "
                          "documents", stacklevel=2)
        replicates = None
        if n_boot:
            draw_shares = uncertainty in ("both", "shares")
            reweight = uncertainty in ("both", "documents")
            # the sampler's states (doc_topic_draws_) when kept, else the mean proportions
            states = getattr(self, "doc_topic_draws_", None)
            states = (self.doc_topic_[None] if states is None else states)
            scale = (n_tok + float(np.sum(self.alpha_)))[:, None]
            if level == "document":
                from scipy import sparse

                tot = np.bincount(codes, weights=n_tok)
                agg = sparse.csr_matrix((n_tok / tot[codes], (codes, np.arange(len(u)))),
                                        shape=(len(order), len(u)))
            clus_k = pd.factorize(cluster[keep])[0]
            n_clus = clus_k.max() + 1
            replicates = np.empty((n_boot, X.shape[1], K))
            # weighted least squares through X = QR: the P x P systems stay well
            # conditioned whatever the scale of the covariates (years, splines)
            Q, R = np.linalg.qr(X)
            r_inv = np.linalg.inv(R)
            for r in range(n_boot):
                if draw_shares:
                    st = states[rng.integers(len(states))] if len(states) > 1 else states[0]
                    g = rng.standard_gamma(np.maximum(st * scale, 1e-12))
                    theta = g / g.sum(axis=1, keepdims=True)
                    Yr = (agg @ theta if level == "document" else theta)[keep]
                else:
                    Yr = Y
                if reweight:
                    w = rng.standard_gamma(np.ones(n_clus))[clus_k]
                    qw = Q.T * (w / w.mean())
                    replicates[r] = r_inv @ np.linalg.solve(qw @ Q, qw @ Yr)
                else:
                    replicates[r] = r_inv @ (Q.T @ Yr)
        used = meta_k.assign(**{f"topic_{k}": Y[:, k] for k in range(K)})
        attrs = {"formula": "~ " + rhs.strip(), "level": level, "n_boot": n_boot, "ci": ci,
                 "uncertainty": uncertainty, "n_docs": int(len(np.unique(cluster[keep]))),
                 "n_rows": int(len(keep)), "n_topics": K, "n_left_out": int(miss.sum()),
                 "method": "least squares (statsmodels OLS) of topic shares; intervals: "
                           "percentile over replicates that draw shares from their Dirichlet "
                           "posterior and reweight documents (Bayesian bootstrap)"}
        return TopicEffects("~ " + rhs.strip(), spec, used, self.label_topics().tolist(),
                            estimate, replicates, attrs)

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


def _single_document_levels(meta: pd.DataFrame, names: list[str], cluster) -> list[str]:
    out = []
    for n in names:
        s = meta[n]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            continue
        per = pd.Series(cluster).groupby(s.to_numpy()).nunique()
        out += [f"{n}={v}" for v, c in per.items() if c == 1]
    return out
