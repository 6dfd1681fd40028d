"""bri_text.distributed: the Dask path gives the in-memory results on a 2-process cluster."""
import os
import re
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import bri_text as bt
from bri_text import distributed as btd
from bri_text.errors import EncodingError, OptionalDependencyError, ParameterError
import support

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=50)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def corpus():
    return bt.load_bri_policies()


@pytest.fixture(scope="module")
def units(corpus):
    return corpus.reshape("paragraph")


@pytest.fixture(scope="module")
def tokens(units):
    return bt.tokenize(units, cache=False, progress=False)


def _quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*a, **k)


def _same_dtm(a, b):
    assert a.terms.tolist() == b.terms.tolist()
    assert a.counts.shape == b.counts.shape and (a.counts != b.counts).nnz == 0
    pd.testing.assert_frame_equal(a.docs, b.docs)


def _same_table(got, want):
    """Equal counts, shares, units, documents and attrs (split, in_words, places ...)."""
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs == want.attrs


def _messages(f, *a, **k):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = f(*a, **k)
    return table, {str(w.message) for w in caught}


def test_workers_import_this_checkout(client):
    files = set(client.run(lambda: __import__("bri_text").__file__).values())
    assert files == {str(ROOT / "bri_text" / "__init__.py")}


@pytest.mark.slow   # > 3 s: in .ci/run's slow stage, keeps the quick suite near 3 min
def test_group_counts_and_keyness_equal_in_memory(client, corpus, tokens):
    paragraphs = btd.reshape(btd.from_corpus(corpus, npartitions=4), "paragraph")
    expected = _quiet(bt.dtm(tokens).group, "region")
    with pytest.warns(UserWarning, match="570 units of 11 documents have no value in .region."):
        got = btd.group_counts(paragraphs, by="region")
    _same_dtm(got, expected)
    assert got.docs["doc_id"].tolist()[:3] == ["浙江", "天津", "河南"]  # first appearance
    assert got.dropped.empty
    for kw in ({"target": {"region": "广西"}, "reference": {"region": "甘肃"}},
               {"by": "region"}):
        pd.testing.assert_frame_equal(bt.keyness(got, **kw), bt.keyness(expected, **kw))
    top = bt.keyness(got, target={"region": "广西"}, reference={"region": "甘肃"})
    # 东盟 first since session 42 (one 广西 of the plan is now 广西自治区, one token)
    assert top["term"].tolist()[:2] == ["东盟", "广西"]
    pd.testing.assert_frame_equal(bt.frequencies(got, by="region"),
                                  bt.frequencies(expected, by="region"))
    # by year, and with min_df: still bt.dtm(...).group(...)
    _same_dtm(btd.group_counts(paragraphs, by="year", min_df=3),
              bt.dtm(tokens, min_df=3).group("year"))


@pytest.mark.slow   # > 3 s: in .ci/run's slow stage, keeps the quick suite near 3 min
def test_one_place_written_two_ways_is_named_as_in_memory(client, corpus):
    """bri04 (浙江) relabelled 浙江省 beside bri15 (浙江): the Dask grouping names the pair
    with each label's paragraphs, in the in-memory words (_grouping._warn_same_places)."""
    docs = corpus.docs.copy()
    docs.loc[docs["doc_id"] == "bri04", "region"] = "浙江省"
    n = bt.Corpus(docs).reshape("paragraph").docs["region"].value_counts()
    paragraphs = btd.reshape(btd.from_corpus(bt.Corpus(docs), npartitions=3), "paragraph")
    _, said = _messages(btd.group_counts, paragraphs, by="region")
    same = [m for m in said if "name the same place" in m]
    assert len(same) == 1 and same[0].startswith("distributed.group_counts: labels of 'region'")
    assert f"浙江省 ({n['浙江省']} units) and 浙江 ({n['浙江']} units)" in same[0]


@pytest.mark.slow   # > 3 s: in .ci/run's slow stage, keeps the quick suite near 3 min
def test_profile_and_orientation_equal_in_memory(client, corpus, tokens):
    paragraphs = btd.reshape(btd.from_corpus(corpus, npartitions=3), "paragraph")
    with pytest.raises(ParameterError, match=r"by= has no default since bri_text 0.5.0 .* "
                                             r"pass by='region'"):
        btd.group_orientation(paragraphs)                   # 0.3.x's default, gone in 0.5.0
    with pytest.raises(ParameterError, match=r"level= was renamed geography="):
        btd.group_orientation(paragraphs, by="region", level="corridor")
    got = _quiet(btd.group_orientation, paragraphs, by="region")
    _same_table(got, _quiet(bt.orientation, tokens, by="region"))
    assert got.attrs["in_words"]["蒙古"] == {"内蒙古": 1}        # not a mention of Mongolia
    got = _quiet(btd.group_profile, paragraphs, "five_connectivities", by="region")
    _same_table(got, _quiet(bt.profile, tokens, "five_connectivities", by="region"))
    own = {"东盟": ["东盟", "东盟国家", "越南"], "中亚": ["中亚", "哈萨克斯坦"]}
    got = _quiet(btd.group_orientation, paragraphs, by="region", places=own)
    _same_table(got, _quiet(bt.orientation, tokens, by="region", places=own))
    gx = got[got["group"] == "广西"]
    assert gx[["region", "count"]].values.tolist() == [["东盟", 130], ["中亚", 1]]


@pytest.mark.slow   # 2-3 s: keeps the README's pytest near 3 minutes
def test_count_matrix_two_pass_and_hashed(client, units, tokens):
    docs = btd.from_corpus(units, npartitions=3)
    vocab = btd.vocabulary(docs, min_df=2)
    expected = bt.dtm(tokens, min_df=2)
    assert vocab["term"].tolist() == expected.terms.tolist()
    cm = btd.count_matrix(docs, vocab)
    assert cm.counts.numblocks == (3, 1) and cm.terms.tolist() == expected.terms.tolist()
    x = cm.counts.compute()
    assert (x != expected.counts).nnz == 0
    assert cm.docs.compute()["doc_id"].tolist() == expected.doc_ids
    h = btd.count_matrix(docs, n_features=2 ** 16).counts.compute()
    assert h.shape == (len(units), 2 ** 16)
    # 43,679 before session 38: 事中事后监管 (4 mentions, 3 tokens -> 1) and 多证合一 (2 -> 1)
    # are now one token each (lexicons/policy_terms.tsv, benchmarks/SEGMENT.md)
    # 43,670 before session 39: 技术转移 (23), 大宗商品 (20), 融资租赁 (9), 中外合作办学 (8),
    # 先行先试 (7) are one token each now (two before; 大宗/商品交易 -> 大宗商品/交易 stays two)
    assert h.sum() == bt.dtm(tokens).counts.sum() == 43610   # 43,608 before session 42
    # a tokens column (btd.tokenize) holds bt.tokenize's tokens and is counted as it is
    with_tokens = btd.tokenize(docs)
    assert with_tokens.head(3, npartitions=1)["tokens"].tolist() == tokens.tokens[:3]
    _same_dtm(_quiet(btd.group_counts, with_tokens, by="region"),
              _quiet(bt.dtm(tokens).group, "region"))


def _write_files(folder: Path, corpus, n: int):
    """n documents as files, every third one GBK-encoded, plus a binary and an
    undecodable file."""
    folder.mkdir()
    docs = corpus.docs.head(n)
    for i, (did, text) in enumerate(zip(docs["doc_id"], docs["text"])):
        enc = "gbk" if i % 3 == 0 else "utf-8"
        (folder / f"{did}.txt").write_bytes(text.encode(enc, errors="ignore"))
    (folder / "bri98_scan.txt").write_bytes(bytes(range(256)) * 40)       # binary
    (folder / "bri99_mixed.txt").write_bytes("一带一路".encode() + b"\xff\xfe\xfd" * 50
                                             + "建设".encode("gbk"))         # undecodable
    return folder


def test_bad_files_are_reported_and_skipped(client, corpus, tmp_path):
    folder = _write_files(tmp_path / "plans", corpus, 12)
    meta = corpus.docs[["doc_id", "region"]].head(12)
    docs = btd.read_folder(folder, pattern="*.txt", errors="skip", metadata=meta,
                           partition_mb=0.05)
    assert docs.npartitions > 3
    with pytest.warns(UserWarning, match="2 input.s. were dropped"):
        got = _quiet_except_dropped(btd.group_counts, docs, by="region")
    assert sorted(got.dropped["doc_id"]) == ["bri98_scan", "bri99_mixed"]
    assert got.dropped["reason"].str.contains("binary|cannot be decoded|unusual").all()
    in_memory = _quiet(bt.read_folder, folder, pattern="*.txt", errors="skip", metadata=meta)
    assert sorted(in_memory.dropped["doc_id"]) == sorted(got.dropped["doc_id"])
    expected = _quiet(bt.dtm(bt.tokenize(in_memory, cache=False, progress=False)).group,
                      "region")
    _same_dtm(got, expected)
    listed = btd.dropped(docs).compute()
    assert sorted(listed["file"]) == ["bri98_scan.txt", "bri99_mixed.txt"]
    # a file of a format it does not read is named in a warning, never left out silently
    (folder / "bri97_plan.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.warns(UserWarning, match=r"1 file.s. of a format .*bri97_plan.doc: "
                                         r"unsupported format .doc: save it as .docx"):
        btd.read_folder(folder, errors="skip", metadata=meta)
    # errors="raise": the job stops with the library's error naming the file
    with pytest.raises(EncodingError, match="bri98_scan|bri99_mixed"):
        btd.group_counts(btd.read_folder(folder, pattern="*.txt", metadata=meta), by="region")


def test_read_folder_asks_which_files_to_read_once(corpus, tmp_path, monkeypatch):
    """The Dask read_folder asks unsupported_files once for the whole listing and reads
    exactly the other files."""
    import bri_text.io as bio

    calls, real = [], bio.unsupported_files

    def counting(paths):
        calls.append(real(paths))
        return calls[-1]

    monkeypatch.setattr(bio, "unsupported_files", counting)
    docs = corpus.docs.head(2)
    for did, text in zip(docs["doc_id"], docs["text"]):
        (tmp_path / f"{did}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "bri97_plan.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "plans.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.warns(UserWarning, match=r"2 file.s. .*bri97_plan.doc: unsupported format "
                                         r"\.doc: save it as \.docx; .*plans.xlsx: .*read_excel"):
        ddf = btd.read_folder(tmp_path, clean=False)
    assert len(calls) == 1 and len(calls[0]) == 2
    assert sorted(Path(p).name for p in calls[0]) == ["bri97_plan.doc", "plans.xlsx"]
    got = ddf.compute(scheduler="sync")
    read = got[got[btd.DROPPED].isna()]
    assert read["doc_id"].tolist() == docs["doc_id"].tolist()
    assert read["text"].tolist() == docs["text"].tolist()
    # the others are dropped rows saying what to do, as in bt.read_folder's corpus.dropped
    listed = btd.dropped(ddf).compute(scheduler="sync")
    assert listed["file"].tolist() == ["bri97_plan.doc", "plans.xlsx"]
    assert listed["reason"].str.contains("save it as .docx|read_excel").all()


@pytest.mark.slow   # 1.8 s
def test_count_matrix_of_read_folder_reads_each_file_once_per_compute(tmp_path, monkeypatch):
    """count_matrix on read_folder's frame: .counts computes (it raised "Missing
    dependency" in Dask 2026.8 while the readers made their frames with from_delayed,
    session 43) and reads each file once, as .to_dtm() does; dask.compute(cm.counts,
    cm.docs) reads the files twice (documented: to_dtm() is the one-pass route). Three of
    the built-in plans (the short ones: 167, 299 and 463 characters), one file per
    partition, the synchronous scheduler (the counter is in this process)."""
    import dask

    import bri_text.distributed._read as R

    corpus = bt.load_bri_policies().subset(doc_id=["bri02", "bri05", "bri10"])
    for did, text in zip(corpus.docs["doc_id"], corpus.texts):
        (tmp_path / f"{did}.txt").write_text(text, encoding="utf-8")
    assert [len(t) for t in corpus.texts] == [167, 299, 463]
    reads, real = [], R._read_file_partition

    def counting(paths, *a, **k):
        reads.extend(Path(p).name for p in paths)
        return real(paths, *a, **k)

    monkeypatch.setattr(R, "_read_file_partition", counting)
    with dask.config.set(scheduler="synchronous"):
        docs = btd.read_folder(tmp_path, pattern="*.txt", partition_mb=0.0001)
        assert docs.npartitions == 3
        cm = btd.count_matrix(docs, btd.vocabulary(docs))
        reads.clear()
        counts = cm.counts.compute()
        assert sorted(reads) == ["bri02.txt", "bri05.txt", "bri10.txt"]
        reads.clear()
        m = cm.to_dtm()
        assert sorted(reads) == ["bri02.txt", "bri05.txt", "bri10.txt"]
        reads.clear()
        with warnings.catch_warnings():      # Dask: "Computing mixed collections ..."
            warnings.simplefilter("ignore", UserWarning)
            dask.compute(cm.counts, cm.docs)
        assert sorted(reads) == ["bri02.txt", "bri02.txt", "bri05.txt", "bri05.txt",
                                 "bri10.txt", "bri10.txt"]
    assert (counts != m.counts).nnz == 0 and m.doc_ids == ["bri02", "bri05", "bri10"]
    in_memory = bt.dtm(bt.tokenize(_quiet(bt.read_folder, tmp_path, pattern="*.txt")))
    assert counts.sum() == in_memory.counts.sum() and m.terms.tolist() == in_memory.terms.tolist()


def test_read_folder_takes_out_an_official_documents_apparatus_as_in_memory(corpus, tmp_path):
    """Cleaned on the workers as bt.read_folder cleans: Henan's plan (bri13), a notice, loses
    its addressee line and signature unless keep_apparatus=True, in both readers alike."""
    doc = corpus.docs.set_index("doc_id").loc["bri13"]
    (tmp_path / "bri13.txt").write_text(doc["title"] + "\n" + doc["text"], encoding="utf-8")
    for keep in (False, True):
        got = btd.read_folder(tmp_path, keep_apparatus=keep).compute(scheduler="sync")
        mine = bt.read_folder(tmp_path, keep_apparatus=keep)
        assert got["text"].tolist() == mine.texts
        assert ("河南省人民政府\n2017年9月18日" in got["text"].iloc[0]) is keep
        assert got["text"].iloc[0].startswith(doc["title"])
    # and reads what the file's text says of it, as the in-memory reader does: no column of
    # the one is missing from the other
    extra = set(mine.docs.columns) - set(got.columns)
    assert not extra, f"bt.read_folder reads {extra} that the Dask reader leaves out"
    row, own = got.iloc[0], mine.docs.iloc[0]
    assert (row["title"], row["date"], row["date_source"], row["author"]) == (
        own["title"], own["date"], "signature", "河南省人民政府")
    assert row["date"] == "2017-09-18" and int(row["year"]) == 2017


def test_table_shards_take_out_an_official_documents_apparatus_as_in_memory(corpus,
                                                                            tmp_path):
    """Henan's plan (bri13, a notice signed 河南省人民政府 / 2017年9月18日) in a JSONL and a
    CSV shard: cleaned on the workers as bt.read_jsonl / bt.read_csv clean it, the signature
    out unless keep_apparatus=True (Parquet likewise)."""
    doc = corpus.docs.set_index("doc_id").loc["bri13"]
    frame = pd.DataFrame({"doc_id": ["bri13"], "region": ["河南"],
                          "text": [doc["title"] + "\n" + doc["text"]]})
    (tmp_path / "a.jsonl").write_text(frame.to_json(orient="records", lines=True,
                                                    force_ascii=False), encoding="utf-8")
    frame.to_csv(tmp_path / "a.csv", index=False, encoding="utf-8")
    for keep in (False, True):
        for dask_read, read, path in ((btd.read_jsonl, bt.read_jsonl, "a.jsonl"),
                                      (btd.read_csv, bt.read_csv, "a.csv")):
            got = dask_read(str(tmp_path / path), doc_id="doc_id",
                            keep_apparatus=keep).compute(scheduler="sync")
            mine = read(tmp_path / path, doc_id="doc_id", keep_apparatus=keep)
            assert got["text"].tolist() == mine.texts, (path, keep)
            assert ("河南省人民政府\n2017年9月18日" in got["text"].iloc[0]) is keep
    pytest.importorskip("pyarrow")
    frame.to_parquet(tmp_path / "a.parquet")
    for keep in (False, True):
        got = btd.read_parquet(tmp_path / "a.parquet", keep_apparatus=keep).compute(
            scheduler="sync")
        assert ("河南省人民政府\n2017年9月18日" in got["text"].iloc[0]) is keep


def _quiet_except_dropped(f, *a, **k):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*no value in.*")
        return f(*a, **k)


def test_jsonl_shards_one_bad_shard(client, units, tmp_path):
    shards = tmp_path / "shards"
    shards.mkdir()
    frame = units.docs[["doc_id", "text", "region", "year"]]
    for k, part in enumerate(np.array_split(np.arange(len(frame)), 4)):
        body = frame.iloc[part].to_json(orient="records", lines=True, force_ascii=False)
        (shards / f"part{k}.jsonl").write_bytes(body.encode("gb18030" if k == 1 else "utf-8"))
    (shards / "part9.jsonl").write_bytes(b"\x00\x01" * 500)
    docs = btd.read_jsonl(str(shards / "*.jsonl"), doc_id="doc_id", errors="skip")
    assert docs.npartitions == 5
    got = _quiet(btd.group_counts, docs, by="region")
    assert got.dropped["file"].tolist() == ["part9.jsonl"]
    tok = bt.tokenize(bt.Corpus.from_dataframe(frame, doc_id="doc_id").clean(), cache=False,
                      progress=False)
    expected = _quiet(bt.dtm(tok).group, "region")
    _same_dtm(got, expected)
    # the same rows as Parquet (binary: no encoding to detect), cleaned per partition
    pytest.importorskip("pyarrow")
    frame.to_parquet(tmp_path / "units.parquet", row_group_size=400)
    _same_dtm(_quiet(btd.group_counts, btd.read_parquet(tmp_path / "units.parquet"),
                     by="region"), expected)


@pytest.mark.slow  # 7-13 s: a worker process is killed and restarted
def test_worker_killed_mid_run_gives_the_same_result(client, units, tokens):
    # the paragraphs three times over (new doc_ids), 30 partitions: three times the counts
    big = pd.concat([units.docs.assign(doc_id=units.docs["doc_id"] + f"~{r}")
                     for r in range(3)], ignore_index=True)
    docs = btd.from_corpus(big, npartitions=30)
    once = _quiet(bt.dtm(tokens).group, "region")
    expected = bt.DocumentTermMatrix(once.counts * 3, once.terms,
                                     once.docs.assign(n_units=once.docs["n_units"] * 3))
    pids = client.run(os.getpid)
    killed = {}

    def kill_a_busy_worker():  # SIGKILL the process of a worker while it runs a task
        deadline = time.time() + 30
        while time.time() < deadline:
            busy = [w for w, keys in client.processing().items() if keys and w in pids]
            if busy:
                killed["worker"] = busy[0]
                os.kill(pids[busy[0]], signal.SIGKILL)
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    got = _quiet(btd.group_counts, docs, by="region")
    killer.join()
    assert "worker" in killed, "no worker was busy: nothing was killed"
    _same_dtm(got, expected)
    client.wait_for_workers(2, timeout=60)      # the nanny restarted it
    assert killed["worker"] not in client.scheduler_info()["workers"]


def test_topics_fit_on_sample_infer_partitions(client, units):
    docs = btd.from_corpus(units, npartitions=3)
    model = _quiet(btd.fit_topics, docs, n_topics=4, frac=0.5, random_state=1,
                   iterations=30)
    shares = btd.topic_shares(docs, model)
    df = shares.compute()
    assert len(df) == len(units)
    topic_cols = ["0", "1", "2", "3"]
    assert (df[topic_cols].dtypes == "float64").all() and df["n_tokens"].dtype == "int64"
    by_region = shares.groupby("region")[topic_cols].mean().compute()   # float columns
    local_means = df.groupby("region")[topic_cols].mean()
    assert np.allclose(by_region.loc[local_means.index], local_means, equal_nan=True)
    sums = df[topic_cols].sum(axis=1, min_count=1).dropna()
    assert np.allclose(sums, 1.0)
    # the same model infers the same shares in memory
    local = _quiet(model.transform, bt.tokenize(units.subset(region="广西"), cache=False,
                                                progress=False))
    gx = df[df["region"] == "广西"][topic_cols].to_numpy()
    assert np.allclose(gx, local[[0, 1, 2, 3]].to_numpy(), equal_nan=True)


def test_missing_dask_names_the_extra(monkeypatch, corpus):
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(OptionalDependencyError, match=re.escape('pip install "bri_text[dask]"')):
        btd.from_corpus(corpus)


@pytest.mark.slow
def test_readme_section_runs(tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Past one machine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert blocks
    code = "if __name__ == '__main__':\n" + "".join(
        "    " + line + "\n" for b in blocks for line in b.splitlines())
    script = tmp_path / "readme_block.py"
    script.write_text(code, encoding="utf-8")
    import subprocess

    r = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr[-3000:]


@pytest.mark.slow
def test_example_script_runs():
    import subprocess

    r = subprocess.run([sys.executable, str(ROOT / "examples" / "distributed_compare.py")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr[-3000:]
    assert "东盟" in r.stdout


def _folder_with_html_and_years(tmp_path, corpus):
    """bri13 (Henan's notice, signed 2017-09-18) as .txt, bri01 as an .html page with a
    <title>, bri11 (signed 2016-06-21) as .txt without a metadata row, an empty file; metadata file,region,year
    whose year for bri13 (2020) is not the one its text gives."""
    docs = corpus.docs.set_index("doc_id")
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "bri13.txt").write_text(docs.loc["bri13", "title"] + "\n"
                                      + docs.loc["bri13", "text"], encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in docs.loc["bri01", "text"].split("\n"))
    (folder / "bri01.html").write_text(
        f"<html><head><title>{docs.loc['bri01', 'title']}_中国政府网</title></head>"
        f"<body>{body}</body></html>", encoding="utf-8")
    (folder / "bri11.txt").write_text(docs.loc["bri11", "title"] + "\n"
                                      + docs.loc["bri11", "text"], encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    meta = tmp_path / "meta.csv"
    meta.write_text("file,region,year\nbri13.txt,河南,2020\nbri01.html,全国,2015\n",
                    encoding="utf-8")
    return folder, meta


def test_read_folder_html_and_metadata_year_one_column_each(corpus, tmp_path):
    """Finding 1: an .html file (a <title>) and a metadata year gave two title and two year
    columns (and a crash with errors='skip'); now one each, the metadata's value first and
    the text's filling its gaps, as bt.read_folder."""
    folder, meta = _folder_with_html_and_years(tmp_path, corpus)
    ddf = btd.read_folder(folder, metadata=meta, errors="skip")
    got = _quiet(ddf.compute, scheduler="sync")
    assert not got.columns.duplicated().any()
    mine = _quiet(bt.read_folder, folder, metadata=meta, errors="skip")
    docs = got[got[btd.DROPPED].isna()].set_index("doc_id")
    own = mine.docs.set_index("doc_id")
    assert sorted(docs.index) == sorted(own.index) == ["bri01", "bri11", "bri13"]
    for d in own.index:
        assert float(docs.loc[d, "year"]) == own.loc[d, "year"], d
        assert docs.loc[d, "title"] == own.loc[d, "title"], d
    # the metadata's 2020 over the signature's 2017; bri11 has no row: its signature's year
    assert [float(docs.loc[d, "year"]) for d in ("bri13", "bri01", "bri11")] == [2020, 2015,
                                                                                 2016]
    assert docs.loc["bri01", "title"] == corpus.docs.set_index("doc_id").loc["bri01", "title"]
    assert got.loc[got[btd.DROPPED].notna(), "doc_id"].tolist() == ["empty"]
    # a reduction on it runs (it failed on the columns' order before)
    counts = _quiet(btd.group_counts, ddf, by="region")
    assert sorted(counts.docs["region"]) == ["全国", "河南"]


@pytest.mark.slow   # > 3 s: segments the 27 policies three times
def test_group_by_year_with_an_undated_document_equals_in_memory(client, corpus):
    """Finding 2: one undated document made its partition's years floats (2017.0), kept
    apart from the others' 2017 (6 groups for 5 years, then a crash). Now the same groups as
    in memory, in year order, with the undated units left out."""
    docs = corpus.docs.assign(year=corpus.docs["year"].astype("Int64"))
    docs.loc[docs["doc_id"] == "bri02", "year"] = pd.NA
    undated = bt.Corpus(docs)
    paragraphs = btd.reshape(btd.from_corpus(undated, npartitions=4), "paragraph")
    units = undated.reshape("paragraph")
    assert units.docs["year"].dtype == "Int64"       # in memory too: 2017, not 2017.0
    tokens = bt.tokenize(units, cache=False, progress=False)
    got = _quiet(btd.group_counts, paragraphs, by="year")
    _same_dtm(got, _quiet(bt.dtm(tokens).group, "year"))
    # bri02 is the one document of 2018: its year is gone with it
    assert got.docs["doc_id"].tolist() == ["2013", "2015", "2016", "2017"]
    n_undated = int((units.docs["parent_id"] == "bri02").sum())
    assert got.docs["n_units"].sum() == len(units) - n_undated
    _same_table(_quiet(btd.group_profile, paragraphs, "five_connectivities", by="year"),
                _quiet(bt.profile, tokens, "five_connectivities", by="year"))
    _same_table(_quiet(btd.group_orientation, paragraphs, by="year"),
                _quiet(bt.orientation, tokens, by="year"))


@pytest.mark.parametrize("convert_string", [True, False])
def test_readers_keep_metadata_dtypes(corpus, tmp_path, convert_string):
    """Finding 3: every metadata column came back as strings ('2017', '2017.0'), so groups
    by year were in order of first appearance and keyness(target={"year": 2017}) matched
    nothing. Years are Int64 now, strings stay strings, whatever Dask's convert-string."""
    import dask

    docs = corpus.docs[["doc_id", "text", "region", "year"]]
    shards = tmp_path / "shards"
    shards.mkdir()
    for k, part in enumerate(np.array_split(np.arange(len(docs)), 3)):
        (shards / f"part{k}.jsonl").write_text(docs.iloc[part].to_json(
            orient="records", lines=True, force_ascii=False), encoding="utf-8")
    folder, meta = _folder_with_html_and_years(tmp_path, corpus)
    with dask.config.set({"dataframe.convert-string": convert_string}):
        table = btd.read_jsonl(str(shards / "*.jsonl"), doc_id="doc_id")
        files = btd.read_folder(folder, metadata=meta, errors="skip")
        for ddf in (table, files):
            assert ddf.dtypes["year"] == "Int64"
            got = _quiet(ddf.compute, scheduler="sync")
            assert got["year"].dtype == "Int64"
            assert got["region"].dropna().map(type).eq(str).all()
    got = table.compute(scheduler="sync").set_index("doc_id")
    assert got["year"].tolist() == docs["year"].astype(int).tolist()
    assert sorted(_quiet(files.compute, scheduler="sync")["year"].dropna().tolist()) == [
        2015, 2016, 2020]


@pytest.mark.slow   # > 3 s: segments the 27 policies twice
def test_jsonl_groups_by_year_in_order_and_keyness_by_year(client, corpus, tmp_path):
    """Finding 3: group_counts(by='year') of JSONL shards gives the years in order, as
    numbers, and keyness(target={'year': 2017}) works as in memory."""
    docs = corpus.docs[["doc_id", "text", "region", "year"]].assign(
        year=corpus.docs["year"].astype(int))
    shards = tmp_path / "shards"
    shards.mkdir()
    for k, part in enumerate(np.array_split(np.arange(len(docs))[::-1], 3)):  # 2018 first
        (shards / f"part{k}.jsonl").write_text(docs.iloc[part].to_json(
            orient="records", lines=True, force_ascii=False), encoding="utf-8")
    got = btd.group_counts(btd.read_jsonl(str(shards / "*.jsonl"), doc_id="doc_id"),
                           by="year")
    mine = bt.Corpus(pd.concat([bt.read_jsonl(p, doc_id="doc_id").docs
                                for p in sorted(shards.glob("*.jsonl"))], ignore_index=True))
    expected = bt.dtm(bt.tokenize(mine, cache=False, progress=False)).group("year")
    assert got.docs["doc_id"].tolist() == ["2013", "2015", "2016", "2017", "2018"]
    assert got.terms.tolist() == expected.terms.tolist()
    assert (got.counts != expected.counts).nnz == 0
    kw = {"target": {"year": 2017}, "reference": {"year": 2016}}
    pd.testing.assert_frame_equal(bt.keyness(got, **kw), bt.keyness(expected, **kw))


def test_read_folder_same_stem_filename_column_and_unmatched_rows(corpus, tmp_path):
    """Finding 5: 2019.txt and 2019.html in separate partitions both got doc_id '2019',
    silently; a metadata 'filename' column was refused; rows matching no file were not
    warned about. Now as bt.read_folder: ids with their suffix and a warning, the
    filename column joined, one warning naming the unmatched row."""
    docs = corpus.docs.set_index("doc_id")
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "2019.txt").write_text(docs.loc["bri13", "text"], encoding="utf-8")
    (folder / "2019.html").write_text(f"<html><body><p>{docs.loc['bri11', 'text']}</p>"
                                      "</body></html>", encoding="utf-8")
    (folder / "gansu.txt").write_text(docs.loc["bri02", "text"], encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("filename,region\nplans/2019.txt,河南\n2019.html,全国\nnone.txt,甘肃\n",
                    encoding="utf-8")
    with pytest.warns(UserWarning) as record:
        ddf = btd.read_folder(folder, metadata=meta, partition_mb=1e-6)
    said = [str(w.message) for w in record]
    assert any("2019.html and 2019.txt" in m and "with its suffix" in m for m in said), said
    assert any("1 metadata row(s) match no document: ['none.txt']" in m for m in said), said
    assert ddf.npartitions == 3
    got = ddf.compute(scheduler="sync").set_index("doc_id")
    mine = _quiet(bt.read_folder, folder, metadata=meta).docs.set_index("doc_id")
    assert sorted(got.index) == sorted(mine.index) == ["2019.html", "2019.txt", "gansu"]
    assert pd.isna(got.loc["gansu", "region"]) and pd.isna(mine.loc["gansu", "region"])
    assert got.loc["2019.txt", "region"] == mine.loc["2019.txt", "region"] == "河南"
    assert got.loc["2019.html", "region"] == mine.loc["2019.html", "region"] == "全国"


def test_read_folder_warnings_and_dropped_as_in_memory(corpus, tmp_path):
    """Findings 7 and 8: a .doc file is a row of dropped() (it was only in a warning), the
    reasons do not tell to pass errors='skip' when it was passed, the metadata CSV in the
    folder is no 'unsupported format', a short Chinese .html page is not 'mostly not
    Chinese'; date= works, a misspelt option is a ParameterError naming the valid ones."""
    docs = corpus.docs.set_index("doc_id")
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "bri13.txt").write_text(docs.loc["bri13", "text"], encoding="utf-8")
    (folder / "short.html").write_text(
        "<html><head><title>通知_中国政府网</title><style>body{font-family:sans-serif;"
        "margin:0 auto;width:960px}</style></head><body><p>推进设施联通。</p></body></html>",
        encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "metadata.csv").write_text("file,region,发布时间\nbri13.txt,河南,2017年9月18日\n"
                                         "short.html,全国,2019年1月2日\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ddf = btd.read_folder(folder, metadata=folder / "metadata.csv", errors="skip",
                              date="发布时间")
        got = ddf.compute(scheduler="sync")
    said = " | ".join(str(w.message) for w in record)
    assert "old.doc: unsupported format .doc" in said and "metadata.csv" not in said
    assert "not Chinese" not in said
    listed = btd.dropped(ddf).compute(scheduler="sync").sort_values("file")
    mine = _quiet(bt.read_folder, folder, metadata=folder / "metadata.csv", errors="skip",
                  date="发布时间")
    assert listed["file"].tolist() == ["empty.txt", "old.doc"]
    assert sorted(listed["doc_id"]) == sorted(mine.dropped["doc_id"]) == ["empty", "old"]
    assert not listed["reason"].str.contains("pass errors='skip'").any()
    kept = got[got[btd.DROPPED].isna()].set_index("doc_id")
    assert kept["date"].to_dict() == mine.docs.set_index("doc_id")["date"].to_dict() == {
        "bri13": "2017-09-18", "short": "2019-01-02"}
    with pytest.raises(ParameterError, match=r"unknown parameter.*'dates'.*date"):
        btd.read_folder(folder, dates="发布时间")
    with pytest.raises(ParameterError, match=r"'stopword' \(did you mean 'stopwords'\?\)"):
        btd.group_counts(ddf, by="region", stopword="policy")
    with pytest.raises(ParameterError, match=r"'stopword'.*the options are: .*stopwords"):
        bt.tokenize(mine, stopword="policy")


def test_lines_repeated_across_files_are_kept_and_listed(corpus, tmp_path):
    """Finding 4, made explicit: the Dask readers keep a footer repeated in every file
    (bt.read_folder removes it); boilerplate_min_df= says so, repeated_lines() lists it."""
    folder = tmp_path / "plans"
    folder.mkdir()
    docs = corpus.docs.head(4)
    footer = "本站由某某中心维护"
    for did, text in zip(docs["doc_id"], docs["text"]):
        (folder / f"{did}.txt").write_text(text + "\n" + footer, encoding="utf-8")
    ddf = btd.read_folder(folder)
    got = ddf.compute(scheduler="sync")
    assert got["text"].str.endswith(footer).all()
    mine = _quiet(bt.read_folder, folder)
    assert not any(t.endswith(footer) for t in mine.texts)
    assert mine.removed["text"].tolist().count(footer) == 4
    with pytest.warns(UserWarning, match=r"1 line.s. are repeated in at least 3 of 4 "
                                         r"documents"):
        lines = btd.repeated_lines(ddf, min_df=3)
    assert lines.values.tolist() == [[footer, 4]]
    with pytest.raises(ParameterError, match=r"boilerplate_min_df=3: the Dask readers do "
                                             r"not remove lines repeated across files"):
        btd.read_folder(folder, boilerplate_min_df=3)


def test_front_matter_year_written_with_nian_as_in_memory(corpus, tmp_path):
    """A front matter's ``year: 2017年`` (as Chinese users write it) raised MetadataError
    on Dask and stayed the string '2017年' in memory; both read 2017 now, 二〇一六年 gives
    2016, and a year that is no year (不详) is left empty with the same warning naming the
    file on both paths."""
    docs = corpus.docs.set_index("doc_id")
    folder = tmp_path / "plans"
    folder.mkdir()
    for did, year in (("bri13", "2017年"), ("bri11", "二〇一六年"), ("bri02", "不详")):
        (folder / f"{did}.txt").write_text(f"---\ntitle: {docs.loc[did, 'title']}\n"
                                           f"year: {year}\n---\n{docs.loc[did, 'text']}",
                                           encoding="utf-8")
    said = {}
    for name, read in (("memory", lambda: bt.read_folder(folder).docs),
                       ("dask", lambda: btd.read_folder(folder).compute(scheduler="sync"))):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            got = read().set_index("doc_id")
        said[name] = [str(w.message) for w in record if "front matter" in str(w.message)]
        assert got["year"].dtype == "Int64", name
        years = {d: None if pd.isna(y) else y for d, y in got["year"].items()}
        assert years == {"bri02": None, "bri11": 2016, "bri13": 2017}, name
    assert said["memory"] == said["dask"] == [
        f"{folder / 'bri02.txt'}: front matter 'year: 不详' is no year; its year is left "
        "empty (write it as 2017 or 2017年)"]


def test_fit_topics_default_seed_is_recorded(units, tmp_path):
    """fit_topics defaulted to fresh randomness; now random_state=0 as the library's
    functions (docs/STATISTICS.md, "Seeds"): two calls give the same sample and topics,
    and the seed is recorded on the model (kept by save/load)."""
    docs = btd.from_corpus(units.subset(region="广西"), npartitions=2)
    a = _quiet(btd.fit_topics, docs, n_topics=2, frac=0.5, iterations=20)
    b = _quiet(btd.fit_topics, docs, n_topics=2, frac=0.5, iterations=20)
    n = int(docs.sample(frac=0.5, random_state=0).shape[0].compute())
    assert a.random_state_ == b.random_state_ == 0
    assert a.provenance_["sample"] == {"frac": 0.5, "random_state": 0, "seed_drawn": False,
                                       "npartitions": 2, "n_units": n}
    assert a.units_["doc_id"].tolist() == b.units_["doc_id"].tolist()
    assert np.array_equal(a.topic_term_, b.topic_term_)
    assert bt.TopicModel.load(a.save(tmp_path / "m")).provenance_["sample"]["random_state"] == 0
    # a drawn seed: every unit (frac=1.0), so no draw can leave too few terms for 2 topics
    c = _quiet(btd.fit_topics, docs, n_topics=2, frac=1.0, iterations=20, random_state=None)
    assert c.provenance_["sample"]["seed_drawn"] is True
    assert c.provenance_["sample"]["random_state"] == c.random_state_ >= 0
    with pytest.raises(ParameterError, match="random_state must be a non-negative int"):
        btd.fit_topics(docs, n_topics=2, random_state=-1)


def _five_plans(corpus, tmp_path):
    """A folder of five built-in plans as .txt files (title line, then the text)."""
    docs = corpus.docs.set_index("doc_id")
    folder = tmp_path / "plans"
    folder.mkdir()
    for did in ("bri01", "bri02", "bri05", "bri11", "bri13"):
        (folder / f"{did}.txt").write_text(docs.loc[did, "title"] + "\n"
                                           + docs.loc[did, "text"], encoding="utf-8")
    return folder


def test_date_column_chosen_once_for_every_partition(corpus, tmp_path):
    """With two metadata columns named like a date and no date=, each partition chose the
    one dating most of its own files: bri01 got 发布时间 in its partition, 成文日期 in
    memory. The client now chooses once, by the in-memory rule (成文日期 dates 4 of the 5
    files, 发布时间 3), for every partition; the date bri05's text gives (its signature,
    2017-11-06) fills its gap, as in memory."""
    folder = _five_plans(corpus, tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("file,发布时间,成文日期\nbri01.txt,2018年1月5日,2017年12月25日\n"
                    "bri02.txt,2018年1月10日,2018年1月6日\nbri05.txt,2017年11月20日,\n"
                    "bri11.txt,,2016年6月21日\nbri13.txt,,2017年9月18日\n", encoding="utf-8")
    mine = _quiet(bt.read_folder, folder, metadata=meta)
    ddf = btd.read_folder(folder, metadata=meta, partition_mb=1e-6)
    assert ddf.npartitions == 5
    got = _quiet(ddf.compute, scheduler="sync").set_index("doc_id")
    own = mine.docs.set_index("doc_id")
    assert mine.derived["date"] == ("from column '成文日期' (4 of 5 documents dated); "
                                    "1 more from the files' text")
    for col in ("date", "year", "date_source"):
        assert got[col].astype(object).where(got[col].notna(), None).to_dict() == \
            own[col].astype(object).where(own[col].notna(), None).to_dict(), col
    assert got["date"].to_dict() == {"bri01": "2017-12-25", "bri02": "2018-01-06",
                                     "bri05": "2017-11-06", "bri11": "2016-06-21",
                                     "bri13": "2017-09-18"}
    with pytest.raises(bt.errors.MetadataError, match="date column '发文日期' not found"):
        btd.read_folder(folder, metadata=meta, date="发文日期")


def test_date_column_choice_leaves_out_the_files_that_are_dropped(corpus, tmp_path,
                                                                   monkeypatch):
    """The client counted the metadata dates of files that cannot be read: with an empty
    file and a binary one dated by 发布时间 only, 发布时间 dated 5 files (3 read + 2
    dropped) against 成文日期's 4, and Dask took 发布时间 where the in-memory reader, which
    counts the 5 files it reads, takes 成文日期 (4 of 5). The dropped files no longer count:
    every date is the in-memory one. Under errors="raise" no file is opened first (an
    unreadable file stops the job anyway)."""
    import bri_text.io as bio

    folder = _five_plans(corpus, tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(bytes(range(256)) * 16)
    meta = tmp_path / "meta.csv"
    meta.write_text("file,发布时间,成文日期\nbri01.txt,2018年1月5日,2017年12月25日\n"
                    "bri02.txt,2018年1月10日,2018年1月6日\nbri05.txt,2017年11月20日,\n"
                    "bri11.txt,,2016年6月21日\nbri13.txt,,2017年9月18日\n"
                    "empty.txt,2019年1月1日,\nscan.txt,2019年2月2日,\n", encoding="utf-8")
    mine = _quiet(bt.read_folder, folder, metadata=meta, errors="skip")
    assert sorted(mine.dropped["doc_id"]) == ["empty", "scan"]
    assert mine.derived["date"].startswith("from column '成文日期' (4 of 5 documents dated)")
    opened, real = [], bio.unreadable_files

    def counting(paths):
        opened.append(sorted(Path(p).name for p in paths))
        return real(paths)

    monkeypatch.setattr(bio, "unreadable_files", counting)
    import dask

    with dask.config.set(scheduler="sync"):  # in this process, whatever client is open
        ddf = btd.read_folder(folder, metadata=meta, errors="skip", partition_mb=1e-6)
        got = _quiet(ddf.compute)
    # every file with a date in the metadata was opened once, one task per partition
    assert sorted(n for part in opened for n in part) == [
        "bri01.txt", "bri02.txt", "bri05.txt", "bri11.txt", "bri13.txt", "empty.txt",
        "scan.txt"]
    assert sorted(got.loc[got[btd.DROPPED].notna(), "doc_id"]) == ["empty", "scan"]
    got = got[got[btd.DROPPED].isna()].set_index("doc_id")
    assert got["date"].to_dict() == mine.docs.set_index("doc_id")["date"].to_dict() == {
        "bri01": "2017-12-25", "bri02": "2018-01-06", "bri05": "2017-11-06",
        "bri11": "2016-06-21", "bri13": "2017-09-18"}
    opened.clear()
    with dask.config.set(scheduler="sync"):
        btd.read_folder(folder, metadata=meta)       # errors="raise"
    assert opened == []


def test_table_shards_every_column_and_one_date_column(corpus, tmp_path):
    """The Dask table readers took the columns and the date column from the first shard's
    first 1,000 rows (1 MB): a column only a later shard or row has was dropped silently,
    and each shard chose its own date column. Now the shards are read as the one table
    they make end to end (bt.read_jsonl of it): every column, and 成文日期 (dating 5 rows,
    发布时间 2) dates every shard."""
    import json

    docs = corpus.docs.set_index("doc_id")
    rows = [{"doc_id": "bri01", "text": docs.loc["bri01", "text"], "发布时间": "2018年1月5日",
             "成文日期": "2017年12月25日"},
            {"doc_id": "bri02", "text": docs.loc["bri02", "text"], "发布时间": "2018年1月10日",
             "成文日期": "2018年1月6日"}]
    rows += [{"doc_id": f"short{i}", "text": f"推进第{i}项合作。"} for i in range(1000)]
    rows += [{"doc_id": "bri05", "text": docs.loc["bri05", "text"], "level": "省级"}]
    later = [{"doc_id": d, "text": docs.loc[d, "text"], "成文日期": day, "source_url": url}
             for d, day, url in (("bri11", "2016年6月21日", "http://www.gov.cn/11"),
                                 ("bri13", "2017年9月18日", None),
                                 ("bri20", "2016年12月1日", "http://www.gov.cn/20"))]
    shards = tmp_path / "shards"
    shards.mkdir()
    for name, part in (("a", rows), ("b", later)):
        (shards / f"{name}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
    whole = tmp_path / "whole.jsonl"
    whole.write_text((shards / "a.jsonl").read_text(encoding="utf-8")
                     + (shards / "b.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    ddf = btd.read_jsonl(str(shards / "*.jsonl"))
    mine = _quiet(bt.read_jsonl, whole).docs.set_index("doc_id")
    got = _quiet(ddf.compute, scheduler="sync").set_index("doc_id")
    assert list(ddf.columns) == list(got.reset_index().columns)
    assert [c for c in got.columns if c not in ("file", btd.DROPPED)] == list(mine.columns)
    assert [c for c in got.columns if c in ("level", "source_url")] == ["level", "source_url"]
    assert got.loc["bri05", "level"] == mine.loc["bri05", "level"] == "省级"
    assert got.loc["bri20", "source_url"] == "http://www.gov.cn/20"
    assert pd.isna(got.loc["bri01", "source_url"])
    dates = got["date"].dropna().to_dict()
    assert dates == mine["date"].dropna().to_dict() == {
        "bri01": "2017-12-25", "bri02": "2018-01-06", "bri11": "2016-06-21",
        "bri13": "2017-09-18", "bri20": "2016-12-01"}
    assert got["year"].dtype == "Int64"
    assert got.loc["bri13", "year"] == 2017
    # the ids are the table's own (they were prefixed 'a:bri01' without doc_id=)
    assert sorted(got.index)[:3] == ["bri01", "bri02", "bri05"]


def test_parquet_derives_dates_as_the_other_readers(corpus, tmp_path):
    """btd.read_parquet gave no date and no year where btd.read_jsonl and bt.read_jsonl
    of the same rows give both. Now each partition is made documents by the table
    readers' code (io.from_table), with the date column chosen once over every row:
    in three partitions, 发布时间 dates bri01 and bri02 only (the first partition alone
    would choose it) and 成文日期 dates five rows, so 成文日期 dates every partition, as
    in memory."""
    pytest.importorskip("pyarrow")
    docs = corpus.docs.set_index("doc_id")
    rows = pd.DataFrame({
        "doc_id": ["bri01", "bri02", "bri05", "bri11", "bri13", "bri20"],
        "发布时间": ["2018年1月5日", "2018年1月10日", None, None, None, None],
        "成文日期": ["2017年12月25日", "2018年1月6日", None, "2016年6月21日", "2017年9月18日",
                 "二〇一六年十二月一日"]})
    rows["text"] = [docs.loc[d, "text"] for d in rows["doc_id"]]
    import dask.dataframe as dd

    dd.from_pandas(rows, npartitions=3, sort=False).to_parquet(tmp_path / "pq",
                                                                write_index=False)
    rows.to_json(tmp_path / "t.jsonl", orient="records", lines=True, force_ascii=False)
    mine = _quiet(bt.read_jsonl, tmp_path / "t.jsonl").docs.set_index("doc_id")
    ddf = btd.read_parquet(tmp_path / "pq")
    assert ddf.npartitions == 3
    got = _quiet(ddf.compute, scheduler="sync").set_index("doc_id")
    assert list(ddf.columns) == list(got.reset_index().columns)
    assert [c for c in got.columns if c != btd.DROPPED] == list(mine.columns) == [
        "text", "发布时间", "成文日期", "date", "year"]
    assert got["date"].to_dict() == mine["date"].where(mine["date"].notna(), None).to_dict() == {
        "bri01": "2017-12-25", "bri02": "2018-01-06", "bri05": None, "bri11": "2016-06-21",
        "bri13": "2017-09-18", "bri20": "2016-12-01"}
    assert got["year"].dtype == "Int64"
    assert got["year"].dropna().astype(int).tolist() == [2017, 2018, 2016, 2017, 2016]
    assert got["text"].tolist() == mine["text"].tolist()     # cleaned as in memory
    # date= names the column; a name that is not one is the same error as for JSONL
    by_posting = _quiet(btd.read_parquet(tmp_path / "pq", date="发布时间").compute,
                        scheduler="sync").set_index("doc_id")
    assert by_posting["date"].dropna().to_dict() == {"bri01": "2018-01-05",
                                                     "bri02": "2018-01-10"}
    with pytest.raises(bt.errors.MetadataError, match="date column '发文日期' not found"):
        btd.read_parquet(tmp_path / "pq", date="发文日期")
    # without a column named like a date there is none, as in memory
    plain = _quiet(btd.read_parquet(tmp_path / "pq", columns=["doc_id", "text"]).compute,
                   scheduler="sync")
    assert list(plain.columns) == ["doc_id", "text", btd.DROPPED]


def test_check_gives_the_in_memory_after_read_warnings(corpus, tmp_path):
    """The in-memory reader warns after reading about exact copies, texts mostly not
    Chinese and documents with no year; on Dask those warnings stayed on the workers.
    btd.check(docs) gives them in one pass, with the same documents named."""
    docs = corpus.docs.set_index("doc_id")
    folder = tmp_path / "plans"
    folder.mkdir()
    for did in ("bri01", "bri02", "bri13"):
        (folder / f"{did}.txt").write_text(docs.loc[did, "title"] + "\n"
                                           + docs.loc[did, "text"], encoding="utf-8")
    (folder / "bri02 - 副本.txt").write_text(docs.loc["bri02", "title"] + "\n"
                                            + docs.loc["bri02", "text"], encoding="utf-8")
    (folder / "english.txt").write_text(
        "Vision and Actions on Jointly Building Silk Road Economic Belt and 21st-Century "
        "Maritime Silk Road, issued by the National Development and Reform Commission.",
        encoding="utf-8")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        mine = bt.read_folder(folder)
    in_memory = [str(w.message) for w in record]
    ddf = btd.read_folder(folder, partition_mb=1e-6)
    assert ddf.npartitions == 5
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        table = btd.check(ddf)
    said = [str(w.message) for w in record]
    copies = [m for m in said if "word for word" in m]
    assert copies == [m.replace("read_files:", "check:") for m in in_memory
                      if "word for word" in m]
    assert "(bri02 - 副本 = bri02)" in copies[0]
    assert [m for m in said if "not Chinese" in m] == [
        m.replace("read_files:", "check:") for m in in_memory if "not Chinese" in m]
    assert any("['english']" in m for m in said if "not Chinese" in m)
    undated = sorted(mine.docs.loc[mine.docs["year"].isna(), "doc_id"])
    assert undated == ["bri02", "bri02 - 副本", "english"]
    assert any(m.startswith("check: 3 of 5 documents have no year (2 have one)")
               for m in said), said
    assert table[table["check"] == "exact_copy"].values.tolist() == [
        ["bri02 - 副本", "exact_copy", "repeats bri02 word for word"]]
    assert table.loc[table["check"] == "not_chinese", "doc_id"].tolist() == ["english"]
    assert sorted(table.loc[table["check"] == "no_year", "doc_id"]) == undated


def test_threaded_reads_leave_the_warning_filters_alone(corpus, tmp_path):
    """Each read task silenced its warnings with warnings.catch_warnings, which swaps the
    process's filter list: tasks of the threaded scheduler (Dask's default) entering and
    leaving it interleaved left 'ignore' at the front of the filters, so every warning of
    the rest of the session was lost (btd.check's too). The filters are as they were."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for did, text in zip(corpus.docs["doc_id"], corpus.docs["text"]):
        (folder / f"{did}.txt").write_text(text, encoding="utf-8")
    ddf = btd.read_folder(folder, partition_mb=1e-6)
    assert ddf.npartitions == 27
    ignore_all = ("ignore", None, Warning, None, 0)
    before = warnings.filters.count(ignore_all)
    for _ in range(3):
        ddf.compute(scheduler="threads", num_workers=4)
        assert warnings.filters.count(ignore_all) == before


# ====================================================== her own corpus, dictionary and places
REGIONS_DIR = ROOT / "tests" / "data" / "orientation_regions"


@pytest.fixture(scope="module")
def regions_corpus():
    return support.regions_corpus()


@pytest.fixture(scope="module")
def regions_tokens(regions_corpus):
    return bt.tokenize(regions_corpus.reshape("paragraph"), cache=False, progress=False)


def test_her_places_and_dictionary_equal_in_memory(client, regions_corpus, regions_tokens):
    """orientation(places=) and profile of her regions.tsv / regions.csv on Dask: the same
    counts (Heilongjiang's 对俄 15 times, every one split by the tokenizer), the same
    attrs["split"] / attrs["in_words"] (俄罗斯 3 times inside 俄罗斯远东地区) and the same
    warning, with one document's paragraphs in two partitions (counted once in n_docs)."""
    units = regions_corpus.reshape("paragraph")
    paragraphs = btd.from_corpus(units, npartitions=7)      # partitions cut documents
    assert (paragraphs.map_partitions(lambda d: d[["parent_id"]].iloc[[0, -1]])
            .compute()["parent_id"].duplicated().any())
    got, said = _messages(btd.group_orientation, paragraphs, by="province",
                          places=REGIONS_DIR / "regions.tsv")
    want, mem_said = _messages(bt.orientation, regions_tokens, by="province",
                               places=REGIONS_DIR / "regions.tsv")
    _same_table(got, want)
    assert said == mem_said
    assert got.attrs["places"] == str(REGIONS_DIR / "regions.tsv")
    hlj = got[got["group"] == "黑龙江省"]
    assert hlj.iloc[0]["region"] == "俄罗斯" and hlj["n_docs"].tolist() == [3] * len(hlj)
    assert got.attrs["split"]["对俄"] == 15
    assert got.attrs["in_words"]["俄罗斯"] == {"俄罗斯远东地区": 3}
    assert any(m.startswith("orientation: 俄罗斯 (3 of 15: 俄罗斯远东地区 3)") for m in said)
    # the same list as a .csv and a dict; the profile of it; by the fixture's 片区
    mine = pd.read_csv(REGIONS_DIR / "regions.csv")
    as_dict = {c: part["term"].tolist() for c, part in mine.groupby("category", sort=False)}
    for places in (REGIONS_DIR / "regions.csv", as_dict):
        got = _quiet(btd.group_orientation, paragraphs, by="片区", places=places,
                     min_mentions=100)
        _same_table(got, _quiet(bt.orientation, regions_tokens, by="片区", places=places,
                                min_mentions=100))
        assert got["few_mentions"].any()
    got = _quiet(btd.group_profile, paragraphs, REGIONS_DIR / "regions.csv",
                 by="province", normalize="share")
    _same_table(got, _quiet(bt.profile, regions_tokens, REGIONS_DIR / "regions.csv",
                            by="province", normalize="share"))
    assert got.attrs["split"]["中亚国家"] == 4 and got.attrs["in_words"]["远东"] == {
        "俄罗斯远东地区": 3}
    with pytest.raises(ParameterError, match="geography='continent'.*places="):
        btd.group_orientation(paragraphs, by="province", places=as_dict,
                              geography="continent")


def test_the_gazetteer_and_gbk_csv_dictionaries_equal_in_memory(client, regions_corpus,
                                                                regions_tokens, tmp_path):
    """Read as files are read on Dask (btd.read_folder with the metadata table): the
    gazetteer's 中俄 / 对俄 / 俄方 make Heilongjiang's Russia share, as in memory; a
    dictionary saved as GBK CSV counts as the UTF-8 one."""
    docs = btd.read_folder(REGIONS_DIR, pattern="*.txt",
                           metadata=REGIONS_DIR / "metadata.csv")
    paragraphs = btd.reshape(docs, "paragraph")
    gbk = tmp_path / "regions_gbk.csv"
    gbk.write_bytes((REGIONS_DIR / "regions.csv").read_text(encoding="utf-8").encode("gbk"))
    got, said = _messages(btd.group_orientation, paragraphs, by="province")
    corridor = _quiet(btd.group_orientation, paragraphs, by="片区", geography="corridor")
    prof = _quiet(btd.group_profile, paragraphs, gbk, by="province", normalize=None)
    want, mem_said = _messages(bt.orientation, regions_tokens, by="province")
    _same_table(got, want)
    assert said == mem_said
    hlj = got[got["group"] == "黑龙江省"].iloc[0]
    assert hlj["world_region"] == "俄罗斯及独联体" and hlj["share"] > 0.7
    _same_table(corridor, _quiet(bt.orientation, regions_tokens, by="片区",
                                 geography="corridor"))
    want = _quiet(bt.profile, regions_tokens, REGIONS_DIR / "regions.csv", by="province",
                  normalize=None)
    pd.testing.assert_frame_equal(prof, want)
    assert prof.attrs["split"] == want.attrs["split"]
    assert prof.query("group == '黑龙江省' and category == '俄罗斯'")["count"].item() == \
        want.query("group == '黑龙江省' and category == '俄罗斯'")["count"].item()


@pytest.mark.slow   # > 3 s
def test_fragments_equal_in_memory_with_documents_split_across_partitions(
        client, regions_corpus, regions_tokens):
    """The port 磨憨 (3 times, in 3 Yunnan documents) is cut 磨/憨 by the tokenizer:
    group_counts records its pieces as bt.dtm does (DocumentTermMatrix.fragments, summed
    over partitions that cut documents), so keyness marks them (fragment_of) as in memory;
    min_df drops them from both; plain token lists have no offsets to tell."""
    paragraphs = btd.from_corpus(regions_corpus.reshape("paragraph"), npartitions=7)
    assert (paragraphs.map_partitions(lambda d: d[["parent_id"]].iloc[[0, -1]])
            .compute()["parent_id"].duplicated().any())
    got = _quiet(btd.group_counts, paragraphs, by="片区")
    want = _quiet(bt.dtm(regions_tokens).group, "片区")
    _same_dtm(got, want)
    assert got.fragments == want.fragments
    assert got.fragments["磨"] == {"fragment_of": "磨憨", "n_in": 3, "count": 3,
                                  "split": "磨/憨"}
    kw = {"target": {"片区": "西南沿边"}, "reference": {"片区": "西北东北沿边"}}
    k = _quiet(bt.keyness, got, **kw)
    pd.testing.assert_frame_equal(k, _quiet(bt.keyness, want, **kw))
    assert k.set_index("term").loc[["磨", "憨"], "fragment_of"].tolist() == ["磨憨"] * 2
    assert k.attrs["fragments"] == {"磨": "磨憨", "憨": "磨憨"}
    few = _quiet(btd.group_counts, paragraphs, by="片区", min_df=4)   # 磨 is in 3 units
    assert few.fragments == _quiet(bt.dtm(regions_tokens, min_df=4).group, "片区").fragments
    assert "磨" not in few.fragments and "磨" not in few.terms
    listed = btd.tokenize(paragraphs).drop(columns="text")
    assert _quiet(btd.group_counts, listed, by="片区").fragments is None


def test_table_shards_take_document_as_in_memory(tmp_path):
    """``document=`` on the Dask table readers, as ``bt.read_csv``'s: the 2015-2025 work
    reports in sections (one row per section) in two CSV shards, a report's rows on both
    sides of the cut; each row's parent_id is its report in every shard, and check() does
    not call the openings repeated word for word in each year's report (各位代表：现在…)
    copies of one another: they are parts of different documents (session 44)."""
    from test_document_column import sectioned

    table = sectioned(2015, 2025, 2015)
    table.insert(0, "doc_id", [f"r{i}" for i in range(len(table))])
    cut = int((table["年份"] == "2019年").to_numpy().nonzero()[0][2])   # inside 2019
    shards = tmp_path / "shards"
    shards.mkdir()
    table.iloc[:cut].to_csv(shards / "a.csv", index=False)
    table.iloc[cut:].to_csv(shards / "b.csv", index=False)
    got = _quiet(btd.read_csv, str(shards / "*.csv"), text="正文", doc_id="doc_id",
                 document="年份").compute(scheduler="sync")
    mine = _quiet(bt.read_csv, shards / "a.csv", text="正文", doc_id="doc_id", document="年份")
    want = dict(zip(table["doc_id"], table["年份"]))
    assert dict(zip(got["doc_id"], got["parent_id"])) == want
    assert mine.docs.set_index("doc_id")["parent_id"].to_dict() == {
        k: v for k, v in want.items() if k in set(table["doc_id"].iloc[:cut])}
    assert set(got.loc[got["年份"] == "2019年", "file"]) == {"a.csv", "b.csv"}
    # the openings of 2016 and 2017 repeat 2015's word for word: rows of other documents
    with_document = btd.read_csv(str(shards / "*.csv"), text="正文", doc_id="doc_id",
                                 document="年份")
    found, said = _messages(btd.check, with_document)
    assert "exact_copy" not in set(found["check"]) and not any("word for word" in s
                                                               for s in said)
    without = btd.read_csv(str(shards / "*.csv"), text="正文", doc_id="doc_id")
    found, said = _messages(btd.check, without)
    openings = table.loc[table["标题"].str.contains("开头"), "doc_id"].tolist()
    assert set(found.loc[found["check"] == "exact_copy", "doc_id"]) <= set(openings)
    assert (found["check"] == "exact_copy").sum() >= 2
    with pytest.raises(bt.errors.InputError, match=r"[ab]\.csv: document column '卷' not found"):
        btd.read_csv(str(shards / "*.csv"), text="正文", document="卷")
