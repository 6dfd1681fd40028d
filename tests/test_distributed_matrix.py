"""bri_text.distributed.count_matrix on frames a user builds herself: a ``dd.from_delayed``
frame of pandas frames (``verify_meta=False`` hit a Dask 2026.8 bug in ``.counts``), column
totals of the counts (``CountMatrix.term_totals``: Dask's ``sum`` does not take scipy's
sparse blocks) and counts with their rows in one pass (``CountMatrix.gather``), each equal
to the in-memory ``bt.dtm`` of the 27 built-in policies. (On Dask's synchronous
scheduler: the conftest fixture dask_sync.)"""
import warnings

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

import bri_text as bt
from bri_text import distributed as btd


pytestmark = pytest.mark.usefixtures("dask_sync")


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


def test_term_totals_are_the_in_memory_column_sums(corpus, in_memory):
    """cm.counts.sum(axis=0) raises (Dask's reductions pass keepdims=, which scipy's sparse
    blocks do not take); cm.term_totals() gives the column totals, on the cluster, equal
    to bt.dtm's column sums: 一带一路 as often as in memory, every term alike."""
    docs = btd.from_corpus(corpus, npartitions=3)
    vocab = btd.vocabulary(docs)
    cm = btd.count_matrix(docs, vocab)
    with pytest.raises(TypeError, match="keepdims"):
        cm.counts.sum(axis=0).compute()
    totals = cm.term_totals()
    want = np.asarray(in_memory.counts.sum(axis=0)).ravel()
    assert isinstance(totals, pd.Series) and totals.dtype == np.int64
    assert totals.index.tolist() == in_memory.terms.tolist()
    assert (totals.to_numpy() == want).all()
    assert totals["一带一路"] == _col(in_memory, "一带一路") > 0
    assert totals["合作"] == _col(in_memory, "合作") > totals["一带一路"]
    # the vocabulary's own count column (pass 1) holds the same totals
    assert vocab.set_index("term")["count"].tolist() == totals.tolist()
    # a list of terms: those columns only, in its order
    two = btd.count_matrix(docs, ["合作", "一带一路"]).term_totals()
    assert two.to_dict() == {"合作": totals["合作"], "一带一路": totals["一带一路"]}
    # hashed features: indexed by column number, the same sum of all tokens
    hashed = btd.count_matrix(docs, n_features=2 ** 12).term_totals()
    assert hashed.index.name == "column" and len(hashed) == 2 ** 12
    assert hashed.sum() == in_memory.counts.sum()


def test_gather_reads_each_partition_once(corpus, in_memory, monkeypatch):
    """cm.gather(): the scipy counts and their rows in one pass (dask.compute(cm.counts,
    cm.docs) reads every partition twice), hashed features too; equal to bt.dtm's."""
    import bri_text.distributed._matrix as M

    docs = btd.from_corpus(corpus, npartitions=3)
    cm = btd.count_matrix(docs, btd.vocabulary(docs))
    blocks, real = [], M._count_block

    def counting(df, *a, **k):
        blocks.append(df["doc_id"].iloc[0])
        return real(df, *a, **k)

    monkeypatch.setattr(M, "_count_block", counting)
    counts, rows = cm.gather()
    assert len(blocks) == 3 == len(set(blocks))
    assert (counts != in_memory.counts).nnz == 0
    assert rows["doc_id"].tolist() == in_memory.doc_ids
    assert rows["region"].fillna("").tolist() == corpus.docs["region"].fillna("").tolist()
    assert "text" not in rows.columns
    blocks.clear()
    h, hrows = btd.count_matrix(docs, n_features=2 ** 12).gather()
    assert len(blocks) == 3 and h.shape == (27, 2 ** 12) and len(hrows) == 27
    assert h.sum() == in_memory.counts.sum()


def test_jsonl_shards_counts_and_totals_equal_the_in_memory_reader(corpus, tmp_path):
    """The policies in three JSONL shards, read as the README shows (btd.read_jsonl, one
    partition per shard, cleaned on the workers): .counts and .term_totals() equal
    bt.dtm of bt.read_jsonl of the same rows in one file (一带一路: the same total)."""
    df = corpus.docs
    for k, i in enumerate(range(0, 27, 9)):
        df.iloc[i:i + 9].to_json(tmp_path / f"part{k}.jsonl", orient="records", lines=True,
                                 force_ascii=False)
    df.to_json(tmp_path / "all.json", orient="records", lines=True, force_ascii=False)
    docs = btd.read_jsonl(sorted(str(p) for p in tmp_path.glob("part*.jsonl")),
                          doc_id="doc_id")
    assert docs.npartitions == 3
    cm = btd.count_matrix(docs, btd.vocabulary(docs))
    want = bt.dtm(bt.tokenize(bt.read_jsonl(tmp_path / "all.json", doc_id="doc_id"),
                              cache=False, progress=False))
    assert cm.terms.tolist() == want.terms.tolist()
    assert (cm.counts.compute() != want.counts).nnz == 0
    totals = cm.term_totals()
    assert (totals.to_numpy() == np.asarray(want.counts.sum(axis=0)).ravel()).all()
    assert totals["一带一路"] == _col(want, "一带一路") > 0
