"""Choosing the number of topics: :func:`select_k` over K and seeds."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._util import progress_bar
from ..errors import ParameterError
from ._common import _MEASURES, _prepare_units, _PreparedTokens, _tokens_fingerprint
from ._model import TopicModel  # the module, not the package (no import cycle)
from ._stats import align_vocabularies, stability


#: Null-model stabilities already computed in this process:
#: (tokens fingerprint, unit, K, seeds, params, shuffle seed) -> matched stability.
_NULL_CACHE: dict = {}
#: Seed of the token shuffle behind the null model.
NULL_SEED = 0


def _shuffled(raw, seed: int = NULL_SEED):
    """The same units with the corpus's tokens dealt out at random (each unit keeps its
    length, the corpus its word frequencies): a corpus with no topical structure."""
    lengths = [len(t) for t in raw]
    pool = np.array([w for t in raw for w in t], dtype=object)
    pool = pool[np.random.default_rng(seed).permutation(len(pool))]
    out, pos = [], 0
    for n in lengths:
        out.append(pool[pos:pos + n].tolist())
        pos += n
    return out


def select_k(tokens, ks=range(5, 31, 5), seeds=(1, 2, 3), n_jobs: int = 1,
             measures=("c_npmi", "c_v", "u_mass"), top_n: int = 10, progress=None,
             null: bool = True, **params) -> pd.DataFrame:
    """Fit a model for every K in ``ks`` and seed in ``seeds`` and compare them.

    Returns one row per K: the mean and standard deviation across seeds of each coherence
    measure (``c_npmi_mean``, ``c_npmi_sd``, ...), of topic diversity (top 25 terms) and of
    fit seconds, plus ``stability_mean`` / ``stability_min``: for each pair of seeds, the
    mean similarity (1 - Jensen-Shannon divergence of topic-term distributions) of
    best-matched topics (Hungarian algorithm), averaged (or the worst pair), and
    ``stability_chance``, the baseline to read it against: the same matched stability
    of models with the same K and seeds fitted to a null corpus, the units with their
    tokens shuffled across the corpus (seed :data:`NULL_SEED`; same unit lengths and word
    frequencies, no topics). Stability above it means the seeds agree on structure that
    shuffled text does not have; at or below it, the agreement is what matching alone
    produces. Null fits are cached per process (tokens fingerprint, K, seeds, parameters);
    ``null=False`` skips them (``stability_chance`` NaN). Stability near 1 means another
    seed gives the same topics.
    Coherence is computed on the units' tokens as given to ``fit`` (see
    :meth:`TopicModel.coherence`). Per-run figures are in ``result.attrs["runs"]``.

    ``params`` go to :class:`TopicModel` (``unit``, ``engine``, ``iterations``, ...).
    Fits run in ``n_jobs`` processes (each single-threaded, so results do not depend on
    ``n_jobs``) with a progress bar.

    >>> grid = bt.select_k(tokens, ks=[3, 4], seeds=(1, 2), progress=False, iterations=200)
    >>> grid[["k", "stability_mean"]].round(2).values.tolist()
    [[3.0, 0.97], [4.0, 0.96]]
    """
    ks = list(ks)
    seeds = list(seeds)
    if not ks or not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool)
                         and k >= 2 for k in ks):
        raise ParameterError(f"ks must be a non-empty list of ints >= 2, got {ks!r}")
    if not seeds or len(set(seeds)) != len(seeds):
        raise ParameterError(f"seeds must be a non-empty list of distinct seeds, got {seeds!r}")
    bad = [m for m in measures if m not in _MEASURES]
    if bad:
        raise ParameterError(f"measures must be among {_MEASURES}, got {bad}")
    from .._util import check_n_jobs

    n_workers = check_n_jobs(n_jobs)
    for p in ("n_topics", "random_state", "n_jobs", "workers"):
        if p in params:
            raise ParameterError(f"select_k sets {p} itself; do not pass it")
    params = {**params, "progress": False, "n_jobs": 1}
    TopicModel(2, **params)._check_params()
    # prepare units once: every job then fits on the same unit token lists
    units, raw = _prepare_units(tokens, params.get("unit", "paragraph"))
    shared = _PreparedTokens(units, raw, _tokens_fingerprint(tokens),
                             getattr(tokens, "config", None))
    key = (shared.fp, params.get("unit", "paragraph"), tuple(seeds),
           repr(sorted((k_, repr(v)) for k_, v in params.items() if k_ != "progress")),
           NULL_SEED)
    null_ks = [k for k in ks if null and len(seeds) > 1 and key + (k,) not in _NULL_CACHE]
    shared_null = (_PreparedTokens(units, _shuffled(raw), f"{shared.fp}-null", None)
                   if null_ks else None)
    jobs = [(shared, k, s, measures) for k in ks for s in seeds]
    jobs += [(shared_null, k, s, ()) for k in null_ks for s in seeds]
    from joblib import Parallel, delayed

    if n_workers == 1:
        it = (_select_k_job(sh, k, s, params, ms, top_n) for sh, k, s, ms in jobs)
    else:
        it = Parallel(n_jobs=n_workers, return_as="generator")(
            delayed(_select_k_job)(sh, k, s, params, ms, top_n) for sh, k, s, ms in jobs)
    done = list(progress_bar(it, total=len(jobs), desc="select_k", progress=progress))
    n_real = len(ks) * len(seeds)
    results, null_results = done[:n_real], done[n_real:]
    for k in null_ks:
        rk = [r for r in null_results if r["k"] == k]
        mats, _ = align_vocabularies([r["topic_term"] for r in rk],
                                         [r["vocab"] for r in rk])
        _NULL_CACHE[key + (k,)] = stability(mats)[0]
    runs = pd.DataFrame([{k: v for k, v in r.items() if k not in ("topic_term", "vocab")}
                         for r in results])
    rows = []
    for k in ks:
        rk = [r for r in results if r["k"] == k]
        row = {"k": k, "n_seeds": len(rk)}
        for m in list(measures) + ["diversity", "fit_seconds"]:
            vals = np.array([r[m] for r in rk], dtype=float)
            row[f"{m}_mean"] = vals.mean()
            row[f"{m}_sd"] = vals.std(ddof=1) if len(vals) > 1 else np.nan
        mats, _ = align_vocabularies([r["topic_term"] for r in rk], [r["vocab"] for r in rk])
        row["stability_mean"], row["stability_min"], _ = stability(mats)
        row["stability_chance"] = _NULL_CACHE.get(key + (k,), np.nan) if null else np.nan
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["runs"] = runs
    out.attrs["stability_chance"] = (
        f"matched stability of models fitted to the units with their tokens shuffled "
        f"across the corpus (seed {NULL_SEED}), same K and seeds" if null and len(seeds) > 1
        else "not computed (null=False or a single seed)")
    if len(results) and results[0]["n_dropped"]:
        warnings.warn(f"select_k: {results[0]['n_dropped']} units have no token in the "
                      "models' vocabulary and were left out", stacklevel=2)
    return out


def _select_k_job(shared, k, seed, params, measures, top_n):
    with warnings.catch_warnings():  # in a worker process too; select_k reports drops once
        warnings.simplefilter("ignore", UserWarning)
        m = TopicModel(k, random_state=seed, **params).fit(shared)
    out = {"k": k, "seed": seed}
    for meas in measures:
        out[meas] = m.coherence(meas, top_n=top_n)
    out["diversity"] = m.diversity()
    out["fit_seconds"] = m.provenance_["fit_seconds"]
    out["n_dropped"] = len(m.dropped_units_)
    out["topic_term"] = m.topic_term_
    out["vocab"] = m.vocabulary_
    return out


# ==================================================================== helpers
