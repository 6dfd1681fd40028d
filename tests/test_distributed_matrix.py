"""bri_text.distributed.count_matrix on frames a user builds herself: a ``dd.from_delayed``
frame of pandas frames (``verify_meta=False`` hit a Dask 2026.8 bug in ``.counts``), column
totals of the counts (``CountMatrix.term_totals``: Dask's ``sum`` does not take scipy's
sparse blocks) and counts with their rows in one pass (``CountMatrix.gather``), each equal
to the in-memory ``bt.dtm`` of the 27 built-in policies.

Run on Dask's synchronous scheduler (one process, no cluster): what is tested is what the
tasks compute, which test_distributed.py checks on a 2-process cluster."""
import warnings

import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

import bri_text as bt
from bri_text import distributed as btd


@pytest.fixture(scope="module", autouse=True)
def _sync():
    with dask.config.set(scheduler="sync"):
        yield


@pytest.fixture(scope="module")
def corpus():
    return bt.load_bri_policies()


@pytest.fixture(scope="module")
def in_memory(corpus):
    return bt.dtm(bt.tokenize(corpus, cache=False, progress=False))


def _own_frame(corpus, verify_meta: bool):
    """The built-in policies as a user's own Dask frame: three pandas frames of 9 documents
    each, made delayed, then dd.from_delayed."""
    df = corpus.docs
    parts = [dask.delayed(df.iloc[i:i + 9].reset_index(drop=True)) for i in range(0, 27, 9)]
    return dd.from_delayed(parts, meta=df.iloc[:0], verify_meta=verify_meta)


def _col(m, term):
    return int(m.counts[:, m.terms.tolist().index(term)].sum())


@pytest.mark.parametrize("verify_meta", [False, True])
def test_counts_of_a_from_delayed_frame_equal_in_memory(corpus, in_memory, verify_meta):
    """dd.from_delayed(..., verify_meta=False) made .counts fail ("Missing dependency" /
    "pop from an empty set": the frame's alias tasks carry the delayed objects' keys, and
    Dask's array optimizer fuses by those); now the counts are bt.dtm's, term for term."""
    docs = _own_frame(corpus, verify_meta)
    cm = btd.count_matrix(docs, btd.vocabulary(docs))
    x = cm.counts.compute()
    assert cm.terms.tolist() == in_memory.terms.tolist()
    assert x.shape == in_memory.counts.shape == (27, x.shape[1])
    assert (x != in_memory.counts).nnz == 0
    j = cm.terms.tolist().index("一带一路")
    assert int(x[:, j].sum()) == _col(in_memory, "一带一路") > 0
    # counts and rows in one compute (mixed collections) no longer raise either
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        both, rows = dask.compute(cm.counts, cm.docs)
    assert (both != x).nnz == 0 and rows["doc_id"].tolist() == in_memory.doc_ids
    # hashed features: the same total of tokens
    h = btd.count_matrix(docs, n_features=2 ** 12).counts.compute()
    assert h.sum() == in_memory.counts.sum()
