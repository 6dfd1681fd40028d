"""Word priors of the Gibbs chain (private): the NMF start (``init="nmf"``), seeded topics
(``seed_words``) and the seed phrases the tokenizer split, joined back."""
from __future__ import annotations

import warnings
from collections import OrderedDict, Counter

import numpy as np

from .._util import fingerprint
from ..errors import ParameterError

# the dictionary's categories, named as in the 2015 Vision and Actions, in its order
_FIVE_CONNECTIVITIES = {"policy_coordination": "政策沟通",
                        "facilities_connectivity": "设施联通",
                        "unimpeded_trade": "贸易畅通",
                        "financial_integration": "资金融通",
                        "people_to_people": "民心相通"}
# word priors of seeded topics: a seed word's prior in its own topic; the factor applied to
# the model's eta for a seed word in the other topics, and for every other word in the
# seeded topics (benchmarks/TOPICS.md, "Seeded topics": with the other words at the full
# eta, a connectivity the plans seldom write about filled up with general vocabulary)
_SEED_PRIOR = 1.0
_SEED_ELSEWHERE = 0.01
_OTHER_WORDS_IN_SEEDED = 0.01
# init="nmf": share of each word's prior that follows the NMF start, and the NMF's
# iterations (benchmarks/TOPICS.md, "Results in 0.3.0")
_NMF_SHARE = 0.5
_NMF_ITER = 200
_INITS = ("nmf", "random")
# a seed word the tokenizer splits (合作协议 -> 合作 协议) is joined back where up to this
# many consecutive tokens spell it
_MAX_PHRASE_TOKENS = 4


def _nmf_word_priors(docs, vocab, n_topics: int, eta: float,
                     max_iter: int | None = None) -> dict[str, list[float]]:
    """{word: prior over topics} that start the Gibbs chain from a non-negative matrix
    factorisation of the units' TF-IDF (tomotopy draws each token's first topic from its
    word's prior). Deterministic: the same for every random_state. Each word's prior sums
    to ``eta * n_topics`` as a symmetric prior does; ``_NMF_SHARE`` of it follows the
    NMF's share of the word in each topic, the rest is even. ``max_iter``: the NMF's
    iterations (default ``_NMF_ITER``).

    >>> pri = _nmf_word_priors([["港口", "航线"], ["港口", "航线"], ["大学", "留学"]],
    ...                        ["港口", "航线", "大学", "留学"], 2, 0.05)
    >>> [round(p, 3) for p in pri["港口"]], [round(p, 3) for p in pri["大学"]]
    ([0.075, 0.025], [0.025, 0.075])
    """
    max_iter = max_iter or _NMF_ITER
    key = (fingerprint([" ".join(d) for d in docs], extra="\n".join(vocab)), n_topics,
           max_iter)
    share = _NMF_CACHE.get(key)
    if share is None:
        share = _nmf_shares(docs, vocab, n_topics, max_iter)
        _NMF_CACHE[key] = share
        while len(_NMF_CACHE) > _NMF_CACHED:   # the oldest goes
            _NMF_CACHE.popitem(last=False)
    else:
        _NMF_CACHE.move_to_end(key)
    prior = eta * n_topics * (_NMF_SHARE * share + (1 - _NMF_SHARE) / n_topics)
    return {w: prior[:, j].tolist() for j, w in enumerate(vocab)}


#: the last NMF starts computed in this process ((units, vocabulary) fingerprint, K) ->
#: shares: models that differ only in their seed (select_k's seeds, also when other data
#: sets were fitted in between) reuse them; at most _NMF_CACHED (K x V floats each)
_NMF_CACHE: OrderedDict = OrderedDict()
_NMF_CACHED = 8


def _nmf_shares(docs, vocab, n_topics: int, max_iter: int = _NMF_ITER) -> np.ndarray:
    """K x V: each word's share in each topic of an NMF of the units' TF-IDF (even where
    the NMF gives the word no weight)."""
    from scipy import sparse
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfTransformer

    index = {t: i for i, t in enumerate(vocab)}
    cols = np.fromiter((index[w] for d in docs for w in d), dtype=np.int64)
    rows = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    counts = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)),
                               shape=(len(docs), len(vocab)))
    counts.sum_duplicates()
    nmf = NMF(n_topics, init="nndsvd", max_iter=max_iter, random_state=0)
    with warnings.catch_warnings():   # a start, not a result: no need to converge fully
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = nmf.fit_transform(TfidfTransformer().fit_transform(counts))
    share = nmf.components_ * weights.sum(axis=0)[:, None]     # K x V
    total = share.sum(axis=0)
    return np.where(total > 0, share / np.where(total > 0, total, 1), 1.0 / n_topics)


def _word_priors(seeds, n_topics: int, eta: float, vocab=(),
                 free=None) -> dict[str, list[float]] | None:
    """{word: prior over topics} for tomotopy's ``set_word_prior`` (None without seeds):
    seed words lean to their own topic; the other words of ``vocab`` lean to free topics,
    evenly or as ``free`` ({word: prior over the free topics}, the NMF start) says.

    >>> _word_priors([("a", ["x"])], 2, 0.05, ["x", "y"])
    {'x': [1.0, 0.0005], 'y': [0.0005, 0.05]}
    """
    if not seeds:
        return None
    out: dict[str, list[float]] = {}
    for k, (_, words) in enumerate(seeds):
        for w in words:
            pri = out.setdefault(w, [eta * _SEED_ELSEWHERE] * n_topics)
            pri[k] = _SEED_PRIOR
    seeded = [eta * _OTHER_WORDS_IN_SEEDED] * len(seeds)
    even = [eta] * (n_topics - len(seeds))
    for w in vocab:
        if w not in out:
            out[w] = seeded + (list(free[w]) if free else even)
    return out


def _join_seed_phrases(texts: list[list[str]], words) -> tuple[list[list[str]], dict]:
    """Join runs of 2 to ``_MAX_PHRASE_TOKENS`` consecutive tokens that spell a seed word
    (longest first), so that a seed the tokenizer splits still counts; returns the texts
    and {seed word: times joined}. Texts are returned unchanged when nothing matches.

    >>> _join_seed_phrases([["签署", "合作", "协议", "。"]], {"合作协议"})
    ([['签署', '合作协议', '。']], {'合作协议': 1})
    """
    words = {w for w in words if len(w) > 1}
    if not words:                       # no seed to join (every unseeded fit): no pass
        return list(texts), {}
    prefixes = {w[:i] for w in words for i in range(1, len(w))}
    joined: Counter = Counter()
    out = []
    for d in texts:
        new, i, changed = [], 0, False
        while i < len(d):
            match = 0
            if d[i] in prefixes:
                run = d[i]
                for n in range(2, min(_MAX_PHRASE_TOKENS, len(d) - i) + 1):
                    run += d[i + n - 1]
                    if run in words:
                        match = n
                    elif run not in prefixes:
                        break
            if match:
                w = "".join(d[i:i + match])
                new.append(w)
                joined[w] += 1
                i += match
                changed = True
            else:
                new.append(d[i])
                i += 1
        out.append(new if changed else d)
    return out, dict(sorted(joined.items(), key=lambda kv: (-kv[1], kv[0])))


def _seed_topics(seed_words, n_topics: int, engine: str) -> list[tuple[str, list[str]]]:
    """``seed_words`` as [(name, [words])] in the given order, checked.

    >>> _seed_topics({"港航": ["港口", "航线"]}, 4, "tomotopy")
    [('港航', ['港口', '航线'])]
    """
    sw = seed_words
    if sw is None:
        return []
    if isinstance(sw, str):
        if sw != "five_connectivities":
            raise ParameterError(f"seed_words must be a dict {{name: [words]}} or "
                                 f"'five_connectivities', got {sw!r}")
        from .._lexicons import load_dictionary

        d = load_dictionary("five_connectivities")
        sw = {zh: d[en] for en, zh in _FIVE_CONNECTIVITIES.items()}
    if not isinstance(sw, dict) or not sw:
        raise ParameterError(f"seed_words must be a non-empty dict {{name: [words]}} or "
                             f"'five_connectivities', got {type(sw).__name__}")
    out = []
    for name, words in sw.items():
        if not isinstance(name, str) or not name.strip():
            raise ParameterError(f"seed_words: topic names must be non-empty strings, "
                                 f"got {name!r}")
        words = [words] if isinstance(words, str) else words
        try:
            words = list(dict.fromkeys(words))
        except TypeError:
            raise ParameterError(f"seed_words[{name!r}] must be a list of words, got "
                                 f"{type(words).__name__}") from None
        if not words or not all(isinstance(w, str) and w for w in words):
            raise ParameterError(f"seed_words[{name!r}] must be a non-empty list of "
                                 "words (strings)")
        out.append((name, words))
    if len(out) > n_topics:
        raise ParameterError(f"seed_words has {len(out)} seeded topics but n_topics="
                             f"{n_topics}; n_topics counts seeded and free topics")
    if engine != "tomotopy":
        raise ParameterError("seed_words needs engine='tomotopy' (word priors)")
    return out

def _check_seeds(seeds, counts):
    """Seeds found in the corpus, and those not found (with a warning)."""
    used, missing = [], {}
    for name, words in seeds:
        found = [w for w in words if counts.get(w, 0) > 0]
        if not found:
            raise ParameterError(f"seed_words[{name!r}]: none of {words[:8]} occurs in "
                                 "the corpus's tokens (check the segmentation, e.g. "
                                 "bt.kwic, or add the words to the tokenizer's lexicon)")
        lost = [w for w in words if counts.get(w, 0) == 0]
        if lost:
            missing[name] = lost
        used.append((name, found))
    if missing:
        n = sum(map(len, missing.values()))
        warnings.warn(f"TopicModel.fit: {n} seed words do not occur in the tokens and "
                      f"are not used: {dict(list(missing.items())[:3])}"
                      f"{' ...' if len(missing) > 3 else ''} (provenance_"
                      "['seed_words_missing'])", stacklevel=4)
    return used, missing


def _chain_priors(init: str, seeds, docs, vocab, n_topics: int, eta: float,
                  nmf_iter: int | None = None) -> dict[str, list[float]] | None:
    """{word: prior over topics} the sampler starts from and keeps (None: a symmetric
    ``eta``): the NMF start over the free topics (all of them without seed words) when
    ``init="nmf"`` (``nmf_iter`` iterations; default ``_NMF_ITER``), and the seeded
    topics' priors.

    >>> _chain_priors("random", [], [["港口"]], ["港口"], 2, 0.05) is None
    True
    """
    n_free = n_topics - len(seeds)
    free = (_nmf_word_priors(docs, vocab, n_free, eta, nmf_iter)
            if init == "nmf" and n_free >= 2 else None)
    if seeds:
        return _word_priors(seeds, n_topics, eta, vocab, free)
    return free
