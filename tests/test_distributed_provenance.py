"""What the Dask layer's count matrices say about where they came from (session 41):
keyness's advice for single-character fragments names the Dask call that made the counts
(磨憨, cut 磨/憨, 3 times in 3 of Yunnan's documents of tests/data/orientation_regions/),
and btd.group_counts / btd.dtm record a tokens_fingerprint, the same for any partitioning.

Run on Dask's synchronous scheduler (one process): what is tested is what the tasks
compute."""
import warnings

import pytest

dask = pytest.importorskip("dask")
pytest.importorskip("dask.dataframe")

import bri_text as bt
from bri_text import distributed as btd
from support import regions_corpus



@pytest.fixture(scope="module", autouse=True)
def _sync():
    with dask.config.set(scheduler="sync"):
        yield


@pytest.fixture(scope="module")
def units():
    return regions_corpus().reshape("paragraph")


def _said(f, *a, **k):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = f(*a, **k)
    return out, [str(w.message) for w in caught]


def _pieces(said):
    return [s for s in said if "pieces of 磨憨" in s]


def test_keyness_advice_names_the_dask_call_that_made_the_counts(units):
    yunnan = {"province": "云南省"}
    # in memory (Tokens): as before, bt.tokenize with a user_dict
    k, said = _said(bt.keyness, bt.dtm(bt.tokenize(units)).group("province"), target=yunnan)
    assert "bt.tokenize(units, tokenizer=bt.Tokenizer(user_dict={'磨憨'}))" in _pieces(said)[0]
    # btd.group_counts: the same flags, the advice for btd.group_counts
    g = _quiet(btd.group_counts, btd.from_corpus(units, npartitions=3), by="province")
    assert g.params["counted_by"] == "distributed.group_counts"
    k, said = _said(bt.keyness, g, target=yunnan)
    assert sorted(k.loc[k["fragment_of"] == "磨憨", "term"]) == ["憨", "磨"]
    (note,) = _pieces(said)
    assert "to count it as one word: btd.group_counts(..., user_dict={'磨憨'})" in note
    assert "bt.tokenize" not in note
    # btd.dtm (unit level): the vocabulary and the matrix both take the words
    docs = btd.from_corpus(units, npartitions=3)
    m = btd.dtm(docs, btd.vocabulary(docs))
    assert m.params["counted_by"] == "distributed.dtm"
    k, said = _said(bt.keyness, m.group("province"), target=yunnan)
    (note,) = _pieces(said)
    assert ("btd.vocabulary(docs, ..., user_dict={'磨憨'}), then btd.dtm(docs, vocab, "
            "user_dict={'磨憨'})") in note
    # following the advice: 磨憨 is counted, 3 times in Yunnan, and nothing is flagged
    fixed = _quiet(btd.group_counts, btd.from_corpus(units, npartitions=3), by="province",
                   user_dict={"磨憨"})
    k, said = _said(bt.keyness, fixed, target=yunnan)
    assert not _pieces(said) and (k["fragment_of"] == "").all()
    assert k.loc[k["term"] == "磨憨", ["count_target", "count_reference"]].values.tolist() \
        == [[3, 0]]


def _quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*a, **k)


def test_group_counts_record_a_fingerprint_the_same_for_any_partitioning(units):
    fps = {n: _quiet(btd.group_counts, btd.from_corpus(units, npartitions=n),
                     by="province").tokens_fingerprint for n in (1, 3)}
    assert fps[1] is not None and len(fps[1]) == 16
    assert fps[1] == fps[3]
    # keyness records it, as it records bt.dtm's
    g = _quiet(btd.group_counts, btd.from_corpus(units, npartitions=3), by="province")
    assert _quiet(bt.keyness, g, target={"province": "云南省"}).attrs[
        "tokens_fingerprint"] == fps[1]
    # the unit-level matrix of the same frame has the same one, and keeps it when grouped
    docs = btd.from_corpus(units, npartitions=3)
    m = btd.dtm(docs, btd.vocabulary(docs))
    assert m.tokens_fingerprint == m.group("province").tokens_fingerprint == fps[1]
    # one character changed in one paragraph: another fingerprint
    changed = units.docs.copy()
    i = int(changed["text"].str.contains("磨憨").to_numpy().argmax())
    changed.loc[i, "text"] = changed.loc[i, "text"].replace("磨憨", "磨丁", 1)
    other = _quiet(btd.group_counts, btd.from_corpus(changed, npartitions=3),
                   by="province").tokens_fingerprint
    assert other != fps[1]
    # another tokenizer configuration: another fingerprint
    assert _quiet(btd.group_counts, btd.from_corpus(units, npartitions=3), by="province",
                  user_dict={"磨憨"}).tokens_fingerprint != fps[1]


def test_a_tokens_column_is_fingerprinted_by_its_token_lists(units):
    tokens = bt.tokenize(units, cache=False, progress=False)
    frame = tokens.docs.drop(columns="text").assign(tokens=tokens.tokens)
    fps = [_quiet(btd.group_counts, btd.from_corpus(frame, npartitions=n),
                  by="province").tokens_fingerprint for n in (1, 3)]
    assert fps[0] == fps[1] is not None
    # the tokens of the text, but no tokenizer configuration: not the text's fingerprint
    from_text = _quiet(btd.group_counts, btd.from_corpus(units, npartitions=1),
                       by="province").tokens_fingerprint
    assert fps[0] != from_text
    dropped = frame.assign(tokens=[t[1:] if i == 0 else t
                                   for i, t in enumerate(frame["tokens"])])
    assert _quiet(btd.group_counts, btd.from_corpus(dropped, npartitions=3),
                  by="province").tokens_fingerprint != fps[0]
