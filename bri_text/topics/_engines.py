"""Topic-model back ends of :mod:`bri_text.topics` (private).

Each engine fits on integer-free input (lists of terms already filtered to the model's
vocabulary) and exposes the same learned arrays, over the model's own vocabulary order:

- ``topic_term`` (K × V): p(term | topic)
- ``doc_topic`` (N × K): topic proportions of the fitted units
- ``alpha`` (K,): document-topic prior after fitting

and ``transform(docs, covariates)``, ``save(folder) -> [file names]``, ``load(folder)``.
Nothing here is pickled: tomotopy writes its own binary format, gensim's state is stored as
numpy arrays.
"""
from __future__ import annotations

import os

import numpy as np

from ..errors import InputError

# Gibbs sweeps are run in chunks of this many (for the progress bar). The chunking is the
# same whether or not a bar is shown, so it never changes results.
_CHUNK = 100
# Averaging (tomotopy): the reported topics and proportions are means over states taken
# every _THIN sweeps in the last _AVERAGE_SHARE of the sweeps (when there are at least
# _MIN_AVERAGED); _N_DRAWS of those states are kept as draws of the proportions.
# benchmarks/TOPICS.md ("Stability") measures what this buys.
_AVERAGE_SHARE = 0.6
_THIN = 10
_MIN_AVERAGED = 100
_N_DRAWS = 20


class TomotopyEngine:
    """Collapsed Gibbs LDA (``tomotopy.LDAModel``) or Dirichlet-multinomial regression
    (``tomotopy.DMRModel``) when covariates are given."""

    name = "tomotopy"

    def __init__(self, n_topics, seed, iterations, alpha, eta, n_jobs, dmr=False,
                 sigma=1.0, optim_interval=10, burn_in=0, doc_topic_states=True):
        self.n_topics, self.seed, self.iterations = n_topics, seed, iterations
        self.alpha0, self.eta, self.n_jobs, self.dmr = alpha, eta, n_jobs, dmr
        self.sigma, self.optim_interval, self.burn_in = sigma, optim_interval, burn_in
        # False: average only the topics over the states, not the units' proportions
        # (select_k reads topics only; reading every unit's proportions at every state is
        # about a tenth of a fit). The chain, and so the topics, are the same either way.
        self.doc_topic_states = doc_topic_states
        self.model = None

    # -------------------------------------------------------------- fitting
    def fit(self, docs, vocab, covariates=None, progress_cb=None, word_priors=None):
        import tomotopy as tp

        if self.dmr:
            m = tp.DMRModel(k=self.n_topics, alpha=self.alpha0, eta=self.eta, sigma=self.sigma,
                            seed=self.seed)
        else:
            m = tp.LDAModel(k=self.n_topics, alpha=self.alpha0, eta=self.eta, seed=self.seed)
        m.optim_interval = self.optim_interval
        m.burn_in = self.burn_in
        for i, words in enumerate(docs):
            if self.dmr:
                m.add_doc(words, metadata="_", multi_metadata=covariates[i])
            else:
                m.add_doc(words)
        for word, prior in (word_priors or {}).items():  # seeded topics
            m.set_word_prior(word, prior)
        # burn-in, then (with enough sweeps) a state every _THIN sweeps over the last
        # _AVERAGE_SHARE of them: the topics and proportions reported are their means
        # (posterior means rather than one sample: less seed-to-seed noise), and the states'
        # proportions are kept as draws for TopicModel.effects
        n_avg = int(self.iterations * _AVERAGE_SHARE) // _THIN \
            if self.iterations >= _MIN_AVERAGED else 0
        burn = self.iterations - n_avg * _THIN
        done = 0
        while done < burn:
            step = min(_CHUNK, burn - done)
            m.train(step, workers=self.n_jobs)
            done += step
            if progress_cb is not None:
                progress_cb(step)
        self.model = m
        self._index(vocab)
        self._topic_term = self._doc_topic = None
        self.doc_topic_draws = None
        if n_avg:
            tt = np.zeros((self.n_topics, self._vocab_size))
            keep = set(np.linspace(0, n_avg - 1, min(_N_DRAWS, n_avg)).round().astype(int))
            dt, draws = None, []
            for i in range(n_avg):
                m.train(_THIN, workers=self.n_jobs)
                tt += self._current_topic_term()
                if self.doc_topic_states:
                    cur = self._current_doc_topic()
                    dt = cur if dt is None else dt + cur
                    if i in keep:
                        draws.append(cur.astype(np.float32))
                if progress_cb is not None:
                    progress_cb(_THIN)
            self._topic_term = tt / n_avg
            if self.doc_topic_states:
                self._doc_topic, self.doc_topic_draws = dt / n_avg, np.stack(draws)
        return self

    def _index(self, vocab):
        index = {t: i for i, t in enumerate(vocab)}
        used = list(self.model.used_vocabs)
        missing = [t for t in used if t not in index]
        if missing:  # cannot happen when docs are filtered to vocab; guard anyway
            raise InputError(f"tomotopy model has terms outside the vocabulary: {missing[:5]}")
        self._perm = np.array([index[t] for t in used], dtype=np.int64)
        self._vocab_size = len(vocab)

    def _current_topic_term(self) -> np.ndarray:
        out = np.zeros((self.n_topics, self._vocab_size))
        for k in range(self.n_topics):
            out[k, self._perm] = self.model.get_topic_word_dist(k)
        return out

    def _current_doc_topic(self) -> np.ndarray:
        # note: tomotopy 0.14's corpus indexing is unreliable; iterate instead
        return np.array([d.get_topic_dist() for d in self.model.docs], dtype=np.float64)

    @property
    def topic_term(self) -> np.ndarray:
        t = getattr(self, "_topic_term", None)
        return self._current_topic_term() if t is None else t

    @property
    def doc_topic(self) -> np.ndarray:
        t = getattr(self, "_doc_topic", None)
        return self._current_doc_topic() if t is None else t

    @property
    def alpha(self) -> np.ndarray:
        if self.dmr:
            # prior of a document with all indicators off (the intercept)
            return np.asarray(self.model.get_topic_prior("_", []), dtype=np.float64)
        return np.asarray(self.model.alpha, dtype=np.float64).reshape(-1)

    def lambdas(self) -> tuple[np.ndarray, list[str]]:
        """DMR coefficients (K × (1 + features)) and feature names ("(intercept)" first)."""
        lam = np.asarray(self.model.lambdas, dtype=np.float64)
        return lam, ["(intercept)"] + list(self.model.multi_metadata_dict)

    # -------------------------------------------------------------- inference
    def transform(self, docs, covariates=None, iterations=100):
        """Topic proportions of new documents (words outside the vocabulary ignored;
        empty documents → NaN). Deterministic: tomotopy seeds inference from the model."""
        out = np.full((len(docs), self.n_topics), np.nan)
        known = set(self.model.multi_metadata_dict) if self.dmr else set()
        made, rows = [], []
        for i, words in enumerate(docs):
            if not words:
                continue
            if self.dmr:
                meta = [c for c in covariates[i] if c in known]
                made.append(self.model.make_doc(words, metadata="_", multi_metadata=meta))
            else:
                made.append(self.model.make_doc(words))
            rows.append(i)
        if made:
            res, _ = self.model.infer(made, iterations=iterations, workers=1)
            out[rows] = np.asarray(res, dtype=np.float64)
        return out

    # -------------------------------------------------------------- persistence
    def save(self, folder) -> list[str]:
        self.model.save(os.path.join(folder, "tomotopy.bin"), full=True)
        return ["tomotopy.bin"]

    @classmethod
    def load(cls, folder, params, vocab):
        import tomotopy as tp

        eng = cls(params["n_topics"], params["seed"], params["iterations"], params["alpha"],
                  params["eta"], params["n_jobs"], dmr=params["dmr"])
        klass = tp.DMRModel if params["dmr"] else tp.LDAModel
        eng.model = klass.load(os.path.join(folder, "tomotopy.bin"))
        eng._index(vocab)
        return eng


class GensimEngine:
    """Variational LDA (``gensim.models.LdaModel``). ``iterations`` are passes over the
    corpus. Inference is made deterministic by resetting the model's random state before
    every call (gensim initialises each document's variational parameters at random)."""

    name = "gensim"

    def __init__(self, n_topics, seed, iterations, alpha, eta, n_jobs, dmr=False, **_):
        self.n_topics, self.seed, self.passes = n_topics, seed, iterations
        self.alpha0, self.eta = alpha, eta
        self.model = None

    def fit(self, docs, vocab, covariates=None, progress_cb=None, word_priors=None):
        from gensim.models import LdaModel

        self._vocab = list(vocab)
        index = {t: i for i, t in enumerate(vocab)}
        bow = [_bow(words, index) for words in docs]
        id2word = dict(enumerate(vocab))
        self.model = LdaModel(
            corpus=bow, id2word=id2word, num_topics=self.n_topics, alpha=self.alpha0,
            eta=self.eta, random_state=self.seed, chunksize=2000, passes=self.passes,
            iterations=200, eval_every=None, minimum_probability=0.0, dtype=np.float64)
        if progress_cb is not None:
            progress_cb(self.passes)
        self._doc_topic = self._infer(bow)
        return self

    def _infer(self, bow):
        self.model.random_state = np.random.RandomState(self.seed)
        out = np.full((len(bow), self.n_topics), np.nan)
        rows = [i for i, b in enumerate(bow) if b]
        if rows:
            gamma, _ = self.model.inference([bow[i] for i in rows])
            out[rows] = gamma / gamma.sum(axis=1, keepdims=True)
        return out

    @property
    def topic_term(self) -> np.ndarray:
        return np.asarray(self.model.get_topics(), dtype=np.float64)

    @property
    def doc_topic(self) -> np.ndarray:
        return self._doc_topic

    @property
    def alpha(self) -> np.ndarray:
        return np.asarray(self.model.alpha, dtype=np.float64)

    def transform(self, docs, covariates=None, iterations=None):
        index = {t: i for i, t in enumerate(self._vocab)}
        return self._infer([_bow(words, index) for words in docs])

    def save(self, folder) -> list[str]:
        np.savez(os.path.join(folder, "gensim_state.npz"),
                 lam=self.model.state.get_lambda(), alpha=self.model.alpha,
                 eta=self.model.eta, doc_topic=self._doc_topic)
        return ["gensim_state.npz"]

    @classmethod
    def load(cls, folder, params, vocab):
        from gensim.models import LdaModel

        eng = cls(params["n_topics"], params["seed"], params["iterations"], params["alpha"],
                  params["eta"], params["n_jobs"])
        with np.load(os.path.join(folder, "gensim_state.npz"), allow_pickle=False) as z:
            lam, alpha, eta, dt = z["lam"], z["alpha"], z["eta"], z["doc_topic"]
        eng._vocab = list(vocab)
        m = LdaModel(corpus=None, id2word=dict(enumerate(vocab)), num_topics=eng.n_topics,
                     alpha=alpha, eta=eta, random_state=eng.seed, minimum_probability=0.0,
                     iterations=200, dtype=np.float64)
        m.state.sstats = lam - eta
        m.sync_state()
        eng.model, eng._doc_topic = m, dt
        return eng


def _bow(words, index):
    counts: dict[int, int] = {}
    for w in words:
        i = index.get(w)
        if i is not None:
            counts[i] = counts.get(i, 0) + 1
    return sorted(counts.items())


ENGINES = {"tomotopy": TomotopyEngine, "gensim": GensimEngine}
