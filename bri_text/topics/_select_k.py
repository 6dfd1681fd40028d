"""Choosing the number of topics: :func:`select_k` over K and seeds, and :func:`choose_k`,
the rule that reads its table."""
from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from .._util import progress_bar, seed_from
from ..errors import ParameterError
from . import _cache
from ._common import (_MEASURES, _coherences, _prepare_units, _PreparedTokens,
                      _tokens_fingerprint)
from ._model import TopicModel  # the module, not the package (no cycle)
from ._persistence import _jsonable
from ._priors import _join_seed_phrases
from ._stats import (align_vocabularies, half_split, heldout_loglik, match_topics,
                     stability, term_overlap)


#: Null-model fits already computed in this process:
#: (tokens fingerprint, unit, seeds, params, K, shuffle seed) -> (cross-seed, resampling)
#: matched stability and resampling top-term overlap of the shuffled halves.
_NULL_CACHE: dict = {}
#: Seed of the first token shuffle behind the chance lines; shuffle r uses NULL_SEED + r.
NULL_SEED = 0
#: Shuffles behind the chance lines (their mean and sd are reported).
N_NULL = 3
#: choose_k's "no clear K" warning says the resampling criterion is noisy when each half of
#: a split holds fewer documents than this (30 policies: 15; the 27 plans: 13)
_FEW_PER_HALF = 50
#: Iterations of select_k's fits when ``iterations`` is not given (tomotopy sweeps; gensim
#: passes), for speed (issue 31). On the 27 plans at K = 10 (seeds 1-3,
#: benchmarks/sim_select_k.py) the resampling figures at 200, 300 and 1000 sweeps agree
#: within their sd: stability 0.371, 0.373, 0.374 (sd 0.04), top-10 overlap 0.152, 0.150,
#: 0.131 (sd 0.05), held-out log-likelihood -5.499, -5.485, -5.478 (sd 0.04). The
#: shuffled fits' Jensen-Shannon line rises with the sweeps (0.391, 0.414, 0.483): it is
#: comparable only within one grid.
SELECT_K_ITERATIONS = {"tomotopy": 200, "gensim": 10}
#: Iterations of the NMF behind select_k's NMF starts (``TopicModel``'s own: 200), for
#: speed: a start need not converge (benchmarks/TOPICS.md, "select_k within 120 s").
SELECT_K_NMF_ITER = 50


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


def _subset(shared: _PreparedTokens, mask: np.ndarray, tag: str) -> _PreparedTokens:
    idx = np.flatnonzero(mask)
    return _PreparedTokens(shared.units.iloc[idx].reset_index(drop=True),
                           [shared.raw[i] for i in idx], f"{shared.fp}-{tag}", shared.config)


def _split_groups(units: pd.DataFrame) -> tuple[np.ndarray, str]:
    """What the half-splits divide: documents (``parent_id``) when there are at least 4,
    otherwise the units themselves."""
    parents = units["parent_id"].to_numpy()
    if len(set(parents.tolist())) >= 4:
        return parents, "documents"
    return np.arange(len(units)), "units"


def select_k(tokens, ks=range(5, 31, 5), seeds=(1, 2, 3), n_jobs: int = 1,
             measures=("c_npmi", "c_v", "u_mass"), top_n: int = 10, progress=None,
             null: bool = True, resample: bool = True, cross_seed_chance: bool = False,
             cache="auto", cache_dir=None, **params) -> pd.DataFrame:
    """Fit a model for every K in ``ks`` and seed in ``seeds`` and compare them.

    Returns one row per K with, for the models fitted to all units (one per seed), the mean
    and standard deviation across seeds of each coherence measure (``c_npmi_mean``,
    ``c_npmi_sd``, ...), of topic diversity (top 25 terms) and of fit seconds, and
    ``stability_mean`` / ``stability_min``: for each pair of seeds, the mean similarity
    (1 - Jensen-Shannon divergence of topic-term distributions) of best-matched topics
    (Hungarian algorithm), averaged (or the worst pair). With the default NMF start every
    seed shares one data-derived word prior, so this cross-seed agreement is high by
    construction: it says a rerun gives the same topics, not that other documents would.

    **Resampling** (``resample=True``; Greene, O'Callaghan & Cunningham 2014): for each
    seed, the documents are split at random into two halves (seeded by the seed; units when
    there are fewer than 4 documents) and a model is fitted to each half.
    ``resample_stability_mean`` / ``_sd``: the matched similarity of the two halves' topics,
    mean and sd over the splits (do other documents give the same topics?);
    ``term_overlap_mean`` / ``_sd``: the Jaccard overlap of matched topics' ``top_n``
    terms; ``heldout_loglik_mean`` / ``_sd``: per-token log-likelihood of each half's
    documents under the other half's model (document completion: shares inferred from
    every other token, the remaining tokens scored; terms outside the model's vocabulary
    skipped; higher is better, comparable across K as the halves' vocabularies do not
    depend on K).

    **Chance lines** (``null=True``): the same fits on the units with their tokens shuffled
    across the corpus (same unit lengths and word frequencies, no topics), :data:`N_NULL`
    shuffles (seeds ``NULL_SEED``, ``NULL_SEED + 1``, ...), each split into halves as the
    first seed's split: ``resample_chance`` / ``_sd`` is the matched similarity of the two
    shuffled halves and ``term_overlap_chance`` / ``_sd`` their top-term overlap (mean and
    sd over the shuffles). ``stability_chance`` / ``_sd``, the agreement of the first two
    seeds on one shuffled half, only with ``cross_seed_chance=True`` (one more fit per
    shuffle and K, half as many again as the null fits; NaN otherwise: under the shared
    NMF start cross-seed agreement says little, and :func:`choose_k` reads the resampling
    measures). A measure above its chance line means the models agree on structure
    shuffled text does not have; flat topics are alike under Jensen-Shannon, so read
    ``resample_stability`` with care (:func:`choose_k`). Null fits are cached per process
    (tokens fingerprint, K, seeds, parameters).

    :func:`choose_k` reads the table with a rule fixed in advance. Coherence is computed on
    the units' tokens as given to ``fit`` (see :meth:`TopicModel.coherence`). Per-run
    figures are in ``result.attrs["runs"]`` (full fits) and ``result.attrs["resample_runs"]``
    (one row per split); ``attrs["per_half"]`` and ``attrs["n_split"]`` how many of the
    ``attrs["split_of"]`` (documents, or units when there are fewer than 4 documents)
    each half holds and how many there are.

    A K whose ``top_n`` terms per topic outnumber the vocabulary (K x ``top_n`` > the
    full fits' vocabulary) is warned about and listed in ``attrs["ks_over_vocabulary"]``
    (``attrs["vocabulary_size"]``): the topics' top terms must share terms there, so
    term overlap, diversity and matched similarity are bounded by the vocabulary (the
    default ks on 30 policies of 157 terms at min_df=10: K = 20, 25, 30). A K larger than
    the units of a half gets NaN resampling figures, with a warning.

    ``params`` go to :class:`TopicModel` (``unit``, ``engine``, ``iterations``, ...);
    ``iterations`` defaults to :data:`SELECT_K_ITERATIONS` (200 Gibbs sweeps: enough to
    rank K, and the same for the real and the shuffled fits, so compare a grid's chance
    lines with its own figures only; fit the K you choose with the model's default; on the
    plans the resampling figures at 200 and 1,000 sweeps agree within their sd,
    benchmarks/TOPICS.md) and the NMF starts stop after
    :data:`SELECT_K_NMF_ITER` iterations (the model's: 200). Fits run in ``n_jobs``
    processes (default 1, as ``tokenize`` and ``TopicModel``: a notebook on a shared
    machine takes one core unless told otherwise; ``n_jobs=-1`` for all cores, 2.3x
    faster on the work-report grid, 367 s against 832 s; each fit single-threaded, so
    results do not depend on ``n_jobs``) with a progress bar: the units go to each process once, the longest jobs
    run first, coherence is computed while the resampling and null fits run, and the
    seeds fitted to the same units share one NMF start. ``attrs`` record what re-creates
    the grid: ``ks``, ``seeds``, ``measures``, ``top_n``, ``null``, ``cross_seed_chance``,
    ``parameters`` (every fit's TopicModel parameters, defaults and ``iterations``
    included),
    ``nmf_iter``, ``tokens_fingerprint`` and the ``tokenizer`` configuration.

    ``cache``: the grid is looked up in the on-disk cache of :meth:`TopicModel.fit` and,
    on a miss, stored there (``"auto"``, the default: when it took 2 s or more; ``True``:
    always; ``False``: no cache; ``cache_dir``: the folder). The key holds every token and
    metadata value of the units and every argument here but ``n_jobs`` and ``progress``
    (the fits are single-threaded whatever ``n_jobs``, so the grid does not depend on it),
    and the library versions: a grid from the cache is the table a fresh run gives, with
    the same warnings; ``attrs["from_cache"]`` says which it was, ``attrs["cache_path"]``
    names the entry (and one ``logging`` INFO line of ``"bri_text.topics"``).

    >>> grid = bt.select_k(tokens, ks=[3, 4], seeds=(1, 2), progress=False, n_jobs=1,
    ...                    iterations=200)
    >>> grid[["k", "stability_mean"]].round(2).values.tolist()
    [[3.0, 0.98], [4.0, 0.97]]
    >>> bool((grid["resample_stability_mean"] < grid["stability_mean"]).all())
    True
    """
    ks, seeds, n_workers, params = _check_args(ks, seeds, n_jobs, measures, params)
    # prepare units once: every job then fits on the same unit token lists (the units'
    # text, which no fit reads, stays here)
    units, raw = _prepare_units(tokens, params.get("unit", "paragraph"))
    seeds_int = [seed_from(s) for s in seeds]
    args = (ks, seeds_int, n_workers, measures, top_n, progress, null, resample,
            cross_seed_chance, params)
    store, always = _cache.resolve(cache, cache_dir, "select_k")
    if store is None:
        return _grid(tokens, units, raw, *args)
    key = _cache.key_of("grid", _grid_parts(tokens, units, raw, *args))
    hit = store.load_grid(key)
    if hit is not None:
        out, header = hit
        out.attrs.update(from_cache=True, cache_path=store.grid_path(key))
        _cache.logger.info("select_k: loaded from the cache %s (computed %s); "
                           "select_k(..., cache=False) computes it again",
                           out.attrs["cache_path"], header.get("created"))
        _cache.replay(header.get("warnings", []), stacklevel=2)
        return out
    t0 = time.perf_counter()
    with _cache.Recorder() as rec:
        out = _grid(tokens, units, raw, *args)
    records = _cache.as_records(rec.log)
    path = None
    if always or time.perf_counter() - t0 >= _cache.AUTO_MIN_SECONDS:
        path = store.save_grid(key, out, records)
    out.attrs.update(from_cache=False, cache_path=path)
    _cache.replay(records, stacklevel=2)
    return out


def _grid_parts(tokens, units, raw, ks, seeds_int, n_workers, measures, top_n, progress,
                null, resample, cross_seed_chance, params) -> dict:
    """What a grid depends on, as the cache key hashes it: every argument but ``n_jobs``
    and ``progress``, the fits' parameters as :meth:`TopicModel.fit` resolves them (the
    units' tokens and metadata among them) and this module's settings."""
    m = TopicModel(2, **params)
    m._doc_topic_states, m._nmf_iter = False, SELECT_K_NMF_ITER
    return {"ks": [int(k) for k in ks], "seeds": seeds_int, "measures": list(measures),
            "top_n": int(top_n), "null": bool(null), "resample": bool(resample),
            "cross_seed_chance": bool(cross_seed_chance), "null_seed": NULL_SEED,
            "n_null": N_NULL,
            "fit": m._cache_parts(None, units, raw, None, tokens, None)}


def _grid(tokens, units, raw, ks, seeds_int, n_workers, measures, top_n, progress, null,
          resample, cross_seed_chance, params) -> pd.DataFrame:
    """select_k's table, computed."""
    shared = _PreparedTokens(units.drop(columns=["text"], errors="ignore"), raw,
                             _tokens_fingerprint(tokens), getattr(tokens, "config", None))
    groups, split_of = _split_groups(units)
    halves = {s: half_split(groups, s) for s in seeds_int} if resample else {}
    key = _cache_key(shared, params, seeds_int)
    shuffles = [NULL_SEED + r for r in range(N_NULL)] if null else []
    cross = bool(cross_seed_chance) and len(seeds_int) > 1
    null_jobs = [(k, r) for k in ks for r in shuffles
                 if not _null_cached(key + (k, r), cross)]
    jobs = _jobs(ks, seeds_int, halves, null_jobs, cross)
    done = _run_jobs(jobs, _Datasets(shared, groups, seeds_int[0]), n_workers,
                     (params, measures, top_n), progress,
                     lambda full: _add_coherence(full, raw, params, measures, top_n))
    results, half_results = _collect(done, jobs, null_jobs, key)
    rows, split_rows = [], []
    for k in ks:
        sr = _split_rows(k, halves, half_results, top_n)
        split_rows += sr
        cached = [_NULL_CACHE[key + (k, r)] for r in shuffles]
        rows.append(_grid_row(k, [r for r in results if r["k"] == k], sr, measures,
                              [c if cross else (np.nan, *c[1:]) for c in cached]))
    out = pd.DataFrame(rows)
    out.attrs.update(_grid_attrs(results, split_rows, split_of, resample, null, shuffles,
                                 cross))
    if resample:   # half_split: the first half takes n // 2 of the n documents (units)
        n_groups = len(set(groups.tolist()))
        out.attrs.update(split_of=split_of, n_split=n_groups, per_half=n_groups // 2)
    # what re-creates the grid: its inputs, each fit's TopicModel parameters, the tokens
    out.attrs.update(
        ks=[int(k) for k in ks], seeds=seeds_int, measures=list(measures), top_n=int(top_n),
        null=bool(null), cross_seed_chance=bool(cross_seed_chance),
        parameters=_jsonable({k: v for k, v in TopicModel(2, **params).get_params().items()
                              if k not in ("n_topics", "random_state", "progress")}),
        nmf_iter=SELECT_K_NMF_ITER, tokens_fingerprint=shared.fp,
        tokenizer=_jsonable(getattr(tokens, "config", None)))
    n_vocab = len(results[0]["vocab"]) if results else 0
    crowded = [int(k) for k in ks if n_vocab and k * top_n > n_vocab]
    out.attrs.update(vocabulary_size=n_vocab, ks_over_vocabulary=crowded)
    _warn_select_k(ks, halves, split_rows, split_of, results)
    _warn_crowded(crowded, n_vocab, top_n, params)
    return out


def _warn_crowded(crowded: list, n_vocab: int, top_n: int, params: dict) -> None:
    """Warn when some K asks more distinct top terms (K x ``top_n``) than the vocabulary
    has (audit s40: the default ks, 5-30, on 30 policies whose vocabulary at min_df=10 is
    157 terms): the topics' top-term lists must then share terms, so the overlap,
    diversity and matched-similarity figures there are bounded by the vocabulary and do not
    tell those Ks apart. ``attrs["ks_over_vocabulary"]`` lists them."""
    if not crowded:
        return
    fits = n_vocab // top_n
    min_df = TopicModel(2, **params).min_df
    warnings.warn(
        f"select_k: at K = {crowded} the models' vocabulary of {n_vocab} terms "
        f"(min_df={min_df}) cannot give each topic top_n={top_n} terms of its own "
        f"(K x {top_n} > {n_vocab}): the topics' top terms must overlap, so term_overlap, "
        "diversity and the matched similarities at those Ks are bounded by the vocabulary "
        f"rather than by the corpus. Pass ks= up to {fits}, or a larger vocabulary (lower "
        "min_df; stopwords left out shrink it too)", stacklevel=4)


def _cache_key(shared, params, seeds_int) -> tuple:
    """What a null fit depends on besides K and the shuffle."""
    return (shared.fp, params.get("unit", "paragraph"), tuple(seeds_int),
            repr(sorted((k_, repr(v)) for k_, v in params.items() if k_ != "progress")))


def _null_cached(key, cross: bool) -> bool:
    """Whether the null fits behind ``key`` are cached (with the cross-seed line when
    ``cross``)."""
    return key in _NULL_CACHE and (not cross or bool(np.isfinite(_NULL_CACHE[key][0])))


def _collect(done, jobs, null_jobs, key) -> tuple[list, list]:
    """(full runs, half runs) from the jobs' results; the null fits go to the cache."""
    results = [r for d, j in zip(done, jobs) if j[0] == "full" for r in d]
    half_results = [r for d, j in zip(done, jobs) if j[0] == "half" for r in d]
    for (k, r), d in zip(null_jobs, [d for d, j in zip(done, jobs) if j[0] == "null"]):
        _NULL_CACHE[key + (k, r)] = d
    return results, half_results


def _grid_attrs(results, split_rows, split_of, resample, null, shuffles, cross) -> dict:
    """The table's attrs: per-run figures and how resampling and chance were done."""
    return {
        "runs": pd.DataFrame([{k: v for k, v in r.items()
                               if k not in ("topic_term", "vocab", "top")} for r in results]),
        "resample_runs": pd.DataFrame(split_rows, columns=[
            "k", "seed", "resample_stability", "term_overlap", "heldout_loglik"]),
        "resample": (f"random halves of the {split_of}, one split per seed"
                     if resample else "not computed (resample=False)"),
        "stability_chance": (
            "models fitted to halves of the units with their tokens shuffled across the "
            f"corpus (shuffle seeds {shuffles}), same K and seeds"
            + ("" if cross else "; the cross-seed line not computed (cross_seed_chance=False)")
            if null else "not computed (null=False)")}


def _check_args(ks, seeds, n_jobs, measures, params):
    """(ks, seeds, workers, the TopicModel parameters of every fit) after checking them."""
    from .._util import check_n_jobs

    ks, seeds = list(ks), list(seeds)
    if not ks or not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool)
                         and k >= 2 for k in ks):
        raise ParameterError(f"ks must be a non-empty list of ints >= 2, got {ks!r}")
    if not seeds or len(set(seeds)) != len(seeds):
        raise ParameterError(f"seeds must be a non-empty list of distinct seeds, got {seeds!r}")
    bad = [m for m in measures if m not in _MEASURES]
    if bad:
        raise ParameterError(f"measures must be among {_MEASURES}, got {bad}")
    n_workers = check_n_jobs(n_jobs)
    taken = [p for p in ("n_topics", "random_state", "n_jobs", "workers") if p in params]
    if taken:
        raise ParameterError(f"select_k sets {taken[0]} itself; do not pass it")
    engine = params.get("engine", "tomotopy")
    if params.get("iterations") is None and engine in SELECT_K_ITERATIONS:
        params["iterations"] = SELECT_K_ITERATIONS[engine]
    params = {**params, "progress": False, "n_jobs": 1}
    TopicModel(2, **params)._check_params()
    return ks, seeds, n_workers, params


def _jobs(ks, seeds_int, halves, null_jobs, cross: bool = False) -> list:
    """One job per data set and K: every seed on all units ("full": the seeds fitted to
    the same units share their NMF start), each split's halves ("half"), the shuffled
    corpora's halves ("null", split as the first seed's split; with ``cross`` the second
    seed on the first half too). A job names its data sets (:class:`_Datasets`): (kind,
    data, other data, K, seeds)."""
    jobs = [("full", "full", None, k, seeds_int) for k in ks]
    jobs += [("half", ("half", s, "a"), ("half", s, "b"), k, [s]) for k in ks for s in halves]
    jobs += [("null", ("null", r, "a"), ("null", r, "b"), k, seeds_int[:2 if cross else 1])
             for k, r in null_jobs]
    return jobs


def _job_order(jobs) -> list[int]:
    """The order to run the jobs in: the full fits first (coherence is computed from them
    while the other jobs run), then the longest first (K times the units fitted: a full job
    fits every seed to all units, a half job two halves, a null job three halves), so that
    the last jobs to finish are short and the processes stay busy."""
    def cost(j):
        kind, k, seeds = j[0], j[3], j[4]
        return k * {"full": len(seeds), "half": 1.0, "null": 0.5 * (len(seeds) + 1)}[kind]
    return sorted(range(len(jobs)), key=lambda i: (jobs[i][0] != "full", -cost(jobs[i]), i))


class _Datasets:
    """The data sets select_k's jobs fit on, built where a job runs, each once per process:
    all units (``"full"``), the halves of each seed's split (``("half", seed, "a" | "b")``)
    and the halves of each shuffled corpus, split as the first seed's split
    (``("null", shuffle, "a" | "b")``). Only the prepared units travel to the worker
    processes, once per process (:func:`_run_jobs`)."""

    def __init__(self, shared: _PreparedTokens, groups, first_seed: int):
        self.shared, self.groups, self.first_seed = shared, groups, first_seed
        self._built: dict = {}

    def __getstate__(self):
        return {**self.__dict__, "_built": {}}

    def get(self, name) -> _PreparedTokens | None:
        if name is None or name == "full":
            return None if name is None else self.shared
        if name not in self._built:
            kind, s, side = name
            if kind == "half":
                data, mask, tag = self.shared, half_split(self.groups, s), f"{side}{s}"
            else:
                data, mask, tag = self._shuffled(s), half_split(self.groups,
                                                                self.first_seed), side
            self._built[name] = _subset(data, mask if side == "a" else ~mask, tag)
        return self._built[name]

    def _shuffled(self, r: int) -> _PreparedTokens:
        if ("shuffled", r) not in self._built:
            sh = self.shared
            self._built[("shuffled", r)] = _PreparedTokens(
                sh.units, _shuffled(sh.raw, r), f"{sh.fp}-null{r}", None)
        return self._built[("shuffled", r)]


#: this process's select_k data sets: {handle: _Datasets} (the last grid's only)
_DATASETS: dict = {}


def _datasets(handle: str) -> _Datasets:
    """The data sets behind ``handle``: read once per process from the file the handle
    names (a worker), or registered by :func:`_run_jobs` (one process)."""
    if handle not in _DATASETS:
        import pickle

        with open(handle, "rb") as f:   # written by _run_jobs in its own temporary folder
            data = pickle.load(f)
        _DATASETS.clear()
        _DATASETS[handle] = data
    return _DATASETS[handle]


def _run_jobs(jobs, data: _Datasets, n_workers, args, progress, on_full) -> list:
    """The jobs' results in order, in ``n_workers`` processes, with a progress bar. The data
    sets go to each process once (a file each worker reads), not with every job; the jobs
    run longest first (:func:`_job_order`); ``on_full(full runs)`` is called as soon as
    the full jobs are done, while the others run."""
    import os
    import pickle
    import tempfile
    import uuid

    from joblib import Parallel, delayed

    order = _job_order(jobs)
    n_full = sum(j[0] == "full" for j in jobs)
    with tempfile.TemporaryDirectory(prefix="bri_text_select_k_") as tmp:
        if n_workers == 1:
            handle = f"in-process-{uuid.uuid4().hex}"
            _DATASETS.clear()
            _DATASETS[handle] = data
            it = (_select_k_job(*jobs[i][:1], handle, *jobs[i][1:], *args) for i in order)
        else:
            handle = os.path.join(tmp, "datasets.pkl")
            with open(handle, "wb") as f:
                pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            it = Parallel(n_jobs=min(n_workers, len(jobs)), return_as="generator")(
                delayed(_select_k_job)(*jobs[i][:1], handle, *jobs[i][1:], *args)
                for i in order)
        done = [None] * len(jobs)
        try:
            for n, (i, res) in enumerate(zip(order, progress_bar(
                    it, total=len(jobs), desc="select_k", progress=progress))):
                done[i] = res
                if n + 1 == n_full:
                    on_full([r for d in done[:n_full] for r in d])
        finally:
            _DATASETS.pop(handle, None)
    return done


def _add_coherence(results, raw, params, measures, top_n) -> None:
    """Coherence of every full model, one pass over the texts per measure."""
    if not measures:
        return
    texts = _reference_texts(raw, params)
    tops = [t for r in results for t in r["top"]]
    for meas, scores in _coherences(tops, texts, measures, top_n).items():
        for r in results:
            r[meas], scores = float(np.mean(scores[:r["k"]])), scores[r["k"]:]


def _split_rows(k, halves, half_results, top_n) -> list[dict]:
    """One row per split at K: the halves' matched similarity, top-term overlap and mean
    held-out log-likelihood (no row where a half was too small for K)."""
    rows = []
    for s in halves:
        pair = [d for d in half_results if d["k"] == k and d["seed"] == s]
        if len(pair) < 2:
            continue
        ha, hb = pair
        sim, overlap = _similarity(ha, hb, top_n)
        rows.append({"k": k, "seed": s, "resample_stability": sim, "term_overlap": overlap,
                     "heldout_loglik": np.mean([ha["heldout"], hb["heldout"]])})
    return rows


def _grid_row(k, rk, sr, measures, cached) -> dict:
    """The table's row for K from its full runs ``rk``, split rows ``sr`` and the cached
    null fits (cross-seed, resampling, overlap) of each shuffle."""
    row = {"k": k, "n_seeds": len(rk)}
    for m in list(measures) + ["diversity", "fit_seconds"]:
        row.update(_mean_sd(m, [r[m] for r in rk]))
    mats, _ = align_vocabularies([r["topic_term"] for r in rk], [r["vocab"] for r in rk])
    row["stability_mean"], row["stability_min"], _ = stability(mats)
    for m in ("resample_stability", "term_overlap", "heldout_loglik"):
        row.update(_mean_sd(m, [x[m] for x in sr]))
    for name, i in (("stability_chance", 0), ("resample_chance", 1),
                    ("term_overlap_chance", 2)):
        vals = [c[i] for c in cached if np.isfinite(c[i])]
        row[name] = float(np.mean(vals)) if vals else np.nan
        row[f"{name}_sd"] = float(np.std(vals, ddof=1)) if len(vals) > 1 else np.nan
    return row


def _warn_select_k(ks, halves, split_rows, split_of, results) -> None:
    small = [k for k in ks if halves and not any(x["k"] == k for x in split_rows)]
    if small:
        warnings.warn(f"select_k: at K = {small} half of the {split_of} has fewer units than "
                      "topics; no resampling figures there (NaN)", stacklevel=4)
    if len(results) and results[0]["n_dropped"]:
        warnings.warn(f"select_k: {results[0]['n_dropped']} units have no token in the "
                      "models' vocabulary and were left out", stacklevel=4)


def _mean_sd(name, values) -> dict:
    vals = np.array(values, dtype=float)
    return {f"{name}_mean": vals.mean() if len(vals) else np.nan,
            f"{name}_sd": vals.std(ddof=1) if len(vals) > 1 else np.nan}


def _similarity(a, b, top_n: int = 10) -> tuple[float, float]:
    """Matched similarity and top-term overlap of two fitted runs (job results)."""
    (ma, mb), _ = align_vocabularies([a["topic_term"], b["topic_term"]],
                                     [a["vocab"], b["vocab"]])
    rows, cols, sim, _ = match_topics(ma, mb)
    return sim, term_overlap(ma, mb, rows, cols, top_n)


def _fit(data, k, seed, params) -> TopicModel:
    with warnings.catch_warnings():  # in a worker process too; select_k reports drops once
        warnings.simplefilter("ignore", UserWarning)
        m = TopicModel(k, random_state=seed, **params)
        m._doc_topic_states = False   # only topics are read: no mean of units' proportions
        m._nmf_iter = SELECT_K_NMF_ITER
        return m.fit(data, cache=False)   # the grid is cached as a whole


def _run(m: TopicModel, top_n: int) -> dict:
    return {"k": m.n_topics_, "seed": m.random_state_, "topic_term": m.topic_term_,
            "vocab": m.vocabulary_}


def _select_k_job(kind, handle, data, other, k, seeds, params, measures, top_n):
    """Fits of one select_k job: "full" (every seed on all units: the runs), "half" (each
    half of one split, scored on the other: two runs with held-out likelihood) or "null"
    (halves of one shuffled corpus: (cross-seed, resampling) matched stability). ``data``
    and ``other`` name data sets of :func:`_datasets` (``handle``)."""
    sets = _datasets(handle)
    data, other = sets.get(data), sets.get(other)
    if kind == "full":
        out = []
        for s in seeds:
            m = _fit(data, k, s, params)
            out.append({**_run(m, top_n), "top": m._top_lists(top_n),
                        "diversity": m.diversity(),
                        "fit_seconds": m.provenance_["fit_seconds"],
                        "n_dropped": len(m.dropped_units_)})
        return out
    if min(len(data.raw), len(other.raw)) < k:   # a half too small for K: no figure
        return [] if kind == "half" else (np.nan, np.nan, np.nan)
    if kind == "half":
        out = []
        for fit_on, held in ((data, other), (other, data)):
            m = _fit(fit_on, k, seeds[0], params)
            with warnings.catch_warnings():   # held-out units without known terms: skipped
                warnings.simplefilter("ignore", UserWarning)
                out.append({**_run(m, top_n), "heldout": _heldout_loglik(m, held)})
        return out
    a, b = _run(_fit(data, k, seeds[0], params), top_n), _run(_fit(other, k, seeds[0],
                                                                    params), top_n)
    cross = (_similarity(a, _run(_fit(data, k, seeds[1], params), top_n))[0]
             if len(seeds) > 1 else np.nan)
    return (cross, *_similarity(a, b, top_n))


def _reference_texts(raw, params) -> list[list[str]]:
    """The texts coherence is scored on, as :meth:`TopicModel.coherence` (seed phrases
    joined as ``fit`` joins them)."""
    seeds = TopicModel(2, **params)._seed_topics()
    if seeds:
        raw, _ = _join_seed_phrases(raw, {w for _, ws in seeds for w in ws})
    return raw


def _heldout_loglik(model: TopicModel, held: _PreparedTokens) -> float:
    """Per-token log-likelihood of the held-out units under ``model`` (document
    completion): shares inferred from every other known token of a unit (the posterior
    mean, with the prior's smoothing, as Wallach et al. 2009 score it), the remaining
    tokens scored (:func:`~bri_text.topics._stats.heldout_loglik`)."""
    raw = held.raw
    seed_words = model.provenance_.get("seed_words_used") or {}
    if seed_words:
        raw, _ = _join_seed_phrases(raw, {w for ws in seed_words.values() for w in ws})
    index = {t: i for i, t in enumerate(model.vocabulary_)}
    known = [[w for w in d if w in index] for d in raw]
    observed = _PreparedTokens(held.units, [d[0::2] for d in known], None, None)
    scored = [np.array([index[w] for w in d[1::2]], dtype=np.int64) for d in known]
    theta = model._infer(observed, join_seed_phrases=False)[3]   # joined above
    return heldout_loglik(theta, model.topic_term_, scored)


#: the chance line of each measure choose_k can read
_CHANCE = {"term_overlap": "term_overlap_chance", "resample_stability": "resample_chance",
           "stability": "stability_chance"}


def choose_k(grid: pd.DataFrame, measure: str = "term_overlap", explain: bool = False):
    """The number of topics :func:`select_k`'s table points to, by a rule fixed before
    looking at any result: **the smallest K whose resampling agreement is within one
    standard deviation (across splits) of the best K's and above its chance line**:
    ``<measure>_mean >= best mean - best sd`` and ``<measure>_mean > chance + chance sd``
    (the mean and sd over the shuffled corpora). Smallest, because a smaller K that other
    documents reproduce as well is the simpler reading; within one sd, because splits that
    differ by less than that are not told apart (the one-standard-error rule).

    ``measure``: ``"term_overlap"`` (default: the Jaccard overlap of matched topics' top
    terms across document halves, Greene et al.'s term-centric view, with chance line
    ``term_overlap_chance``), ``"resample_stability"`` (1 - Jensen-Shannon of the matched
    halves' topics; chance line ``resample_chance``) or ``"stability"`` (across seeds;
    ``stability_chance``). Why overlap by default: shuffled text's topics are all close to
    the corpus's word frequencies, and such flat distributions are similar under
    Jensen-Shannon, so on the 27 plans (K = 6, 10, 14, 1000 sweeps, seeds 1-3) the halves'
    ``resample_stability`` (0.38-0.40) stays under its shuffled-text line (0.48-0.50) with
    either start, while their top-10 overlap (0.13-0.15) is above its line (0.08-0.13;
    docs/STATISTICS.md, "Topic models"). Without a
    chance line (``null=False``) only the first condition applies. ParameterError when no
    K is above its chance line (say so rather than pick one) or the columns are missing.

    **How sensitive the pick is.** A warning says "no clear K" when the chosen K's margin
    over its chance line is smaller than its sd across splits, or the best K's one-sd band
    holds more than half the Ks tried: on the 27 plans (K = 4-20, 3 splits) the pick was
    8, 10, 8 or 14 with seed sets (1, 2, 3) ... (10, 11, 12) (audit s36), so the seed set,
    not the corpus, chose it; more seeds narrow the sds. The warning says how many
    documents each half of a split holds (``select_k``'s ``attrs["per_half"]``), and that
    fewer than 50 a half make the criterion noisy: 30 digital-economy policies with four
    planted themes (15 a half) picked K = 3 (audit s40). ``explain=True`` returns, instead
    of K, the table the rule reads: k, mean, sd, chance (line + its sd), margin (mean -
    chance), in_band (within one sd of the best), above_chance, chosen; ``attrs["note"]``
    says the same in words.

    >>> grid = pd.DataFrame({"k": [5, 10, 15], "term_overlap_mean": [0.10, 0.16, 0.17],
    ...                      "term_overlap_sd": [0.02, 0.02, 0.02],
    ...                      "term_overlap_chance": [0.11, 0.10, 0.09],
    ...                      "term_overlap_chance_sd": [0.01, 0.01, 0.01]})
    >>> choose_k(grid)
    10
    >>> why = choose_k(grid, explain=True)
    >>> why[["k", "margin", "in_band", "chosen"]].round(2).values.tolist()
    [[5, -0.02, False, False], [10, 0.05, True, True], [15, 0.07, True, False]]
    """
    if measure not in _CHANCE:
        raise ParameterError(f"measure must be one of {list(_CHANCE)}, got {measure!r}")
    mean, sd, chance = f"{measure}_mean", f"{measure}_sd", _CHANCE[measure]
    if measure == "stability":
        sd = "stability_sd"   # select_k gives the worst pair, not an sd: no tolerance
    missing = [c for c in ("k", mean) if c not in grid.columns]
    if missing or grid[mean].isna().all():
        raise ParameterError(f"choose_k needs select_k's column {mean!r} "
                             "(select_k(..., resample=True) for the resampling measures)")
    g = grid.dropna(subset=[mean]).sort_values("k")
    best = g.loc[g[mean].idxmax()]
    tol = best.get(sd, np.nan)
    tol = tol if np.isfinite(tol) else 0.0
    ok = g[mean] >= best[mean] - tol
    line = pd.Series(np.nan, index=g.index)
    if chance in g.columns and g[chance].notna().any():
        line = g[chance] + (g[f"{chance}_sd"].fillna(0) if f"{chance}_sd" in g.columns
                            else 0)
        above = g[mean] > line
        if not above.any():
            raise ParameterError(f"choose_k: no K's {measure} is above its chance line "
                                 "(shuffled text); the corpus does not support a K")
        ok &= above
        if not ok.any():   # the best K is at or below chance: the best K above it
            ok = above & (g[mean] == g.loc[above, mean].max())
    k = int(g.loc[ok, "k"].iloc[0])
    table = pd.DataFrame({"k": g["k"].astype(int), "mean": g[mean],
                          "sd": g[sd] if sd in g.columns else np.nan, "chance": line,
                          "margin": g[mean] - line,
                          "in_band": g[mean] >= best[mean] - tol,
                          "above_chance": (g[mean] > line) if line.notna().any() else True,
                          "chosen": g["k"] == k}).reset_index(drop=True)
    note = _sensitivity(table, k, measure, float(best[mean]), int(best["k"]), tol)
    halves = _halves_note(grid.attrs) if measure != "stability" else ""
    if note and halves:
        note = f"{note}; {halves}"
    table.attrs.update({"measure": measure, "k": k, "note": note or "the margin over "
                        "chance exceeds its sd across splits",
                        "per_half": grid.attrs.get("per_half"),
                        "split_of": grid.attrs.get("split_of")})
    if note:
        warnings.warn(f"choose_k: no clear K: {note} (choose_k(..., explain=True))",
                      stacklevel=2)
    return table if explain else k


def _halves_note(attrs: dict) -> str:
    """How many documents (units) each half of a split holds, from select_k's attrs
    ('' when unknown), and, when they are few, that they make the criterion noisy (audit
    s40: 30 policies, 15 a half, picked K = 3 for four planted themes)."""
    per, n, of = attrs.get("per_half"), attrs.get("n_split"), attrs.get("split_of")
    if not per or not n or not of:
        return ""
    text = (f"each half of a split holds {per} of the {n} {of} (the other half "
            f"{n - per})")
    if per < _FEW_PER_HALF:
        text += (f": with so few {of} a half, the halves' topics and their agreement "
                 "vary from split to split, so the criterion is noisy; read the topics of "
                 "the Ks in the band, not only the pick")
    return text


def _sensitivity(table: pd.DataFrame, k: int, measure: str, best: float, best_k: int,
                 tol: float) -> str:
    """Words on how fragile the pick ``k`` is ('' when it is not): its margin over the
    chance line against its sd across splits, and how many Ks the one-sd band holds."""
    row = table[table["k"] == k].iloc[0]
    parts = []
    if np.isfinite(row["margin"]) and np.isfinite(row["sd"]) and row["margin"] < row["sd"]:
        parts.append(f"K = {k}'s {measure} ({row['mean']:.3f}) is {row['margin']:.3f} above "
                     f"its chance line ({row['chance']:.3f}), less than its sd across "
                     f"splits ({row['sd']:.3f})")
    band = table.loc[table["in_band"], "k"].tolist()
    if len(table) >= 3 and len(band) > len(table) / 2:
        parts.append(f"{len(band)} of {len(table)} Ks ({', '.join(map(str, band))}) are "
                     f"within one sd ({tol:.3f}) of the best ({best:.3f} at K = "
                     f"{best_k})")
    if parts:
        parts.append("another seed set may pick another K; more seeds (splits) narrow "
                     "the sds")
    return "; ".join(parts)
