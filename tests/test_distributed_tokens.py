"""bri_text.distributed: the unit-level vocabulary and matrix record what bt.dtm records
(single-character fragments, params), and a frame of tokens segmented elsewhere (no
``text``) is counted and profiled, or refused with an error naming the column; the count
matrices say where they came from: keyness's advice for single-character fragments names
the Dask call that made the counts (磨憨, cut 磨/憨, 3 times in 3 of Yunnan's documents),
and btd.group_counts / btd.dtm record a tokens_fingerprint, the same for any partitioning;
the grouping and btd.check warn in the in-memory words (documents split between groups,
documents with no year).

Run on Dask's synchronous scheduler (one process, no cluster): what is tested is what the
tasks compute, which test_distributed.py checks on a 2-process cluster."""
import warnings

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

import bri_text as bt
from bri_text import distributed as btd
from bri_text.errors import ParameterError
from support import REGIONS_DIR, regions_corpus



pytestmark = pytest.mark.usefixtures("dask_sync")


@pytest.fixture(scope="module")
def units():
    return regions_corpus().reshape("paragraph")


@pytest.fixture(scope="module")
def tokens(units):
    return bt.tokenize(units, cache=False, progress=False)


@pytest.fixture(scope="module")
def segmented_elsewhere(tokens):
    """Her own segmentation, as a table: metadata and token lists, no text."""
    return tokens.docs.drop(columns="text").assign(tokens=tokens.tokens)


def _quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*a, **k)


def test_vocabulary_and_dtm_record_fragments_as_bt_dtm(units, tokens):
    """The port 磨憨 is cut 磨/憨 by the tokenizer (3 times, in 3 Yunnan documents): the
    Dask vocabulary names both pieces in ``fragment_of`` and records bt.dtm's
    ``fragments`` and ``params`` in attrs, summed over 7 partitions that cut documents;
    btd.dtm gathers the unit-level matrix equal to bt.dtm's, so keyness marks them."""
    docs = btd.from_corpus(units, npartitions=7)
    vocab = btd.vocabulary(docs)
    want = bt.dtm(tokens)
    assert vocab["term"].tolist() == want.terms.tolist()
    assert vocab.attrs["fragments"] == want.fragments
    assert vocab.attrs["params"] == want.params
    assert vocab.attrs["n_units"] == len(units) == 123
    flagged = vocab[vocab["fragment_of"] != ""]
    assert flagged[["term", "fragment_of", "doc_freq", "count"]].values.tolist() == [
        ["憨", "磨憨", 3, 3], ["磨", "磨憨", 3, 3]]
    assert vocab.attrs["fragments"]["磨"] == {"fragment_of": "磨憨", "n_in": 3, "count": 3,
                                             "split": "磨/憨"}
    # the Dask array's columns are the vocabulary's rows; btd.dtm adds the units
    assert (btd.count_matrix(docs, vocab).counts.compute() != want.counts).nnz == 0
    m = btd.dtm(docs, vocab)
    assert m.terms.tolist() == want.terms.tolist() and (m.counts != want.counts).nnz == 0
    assert m.fragments == want.fragments
    assert m.params == {**want.params, "counted_by": "distributed.dtm"}
    pd.testing.assert_frame_equal(m.docs, want.docs, check_dtype=False)
    kw = {"target": {"片区": "西南沿边"}}
    k = _quiet(bt.keyness, m.group("片区"), **kw)
    pd.testing.assert_frame_equal(k, _quiet(bt.keyness, want.group("片区"), **kw))
    assert k.attrs["fragments"] == {"磨": "磨憨", "憨": "磨憨"}
    # min_df=4 drops 磨 and 憨 (3 units each, all in Yunnan): from the terms and the
    # fragments, as bt.dtm does; min_df=3 keeps them
    yunnan = btd.from_corpus(units.subset(province="云南省"), npartitions=2)
    for min_df, kept in ((3, {"磨", "憨"}), (4, set())):
        v = btd.vocabulary(yunnan, min_df=min_df)
        assert v.attrs["fragments"] == bt.dtm(tokens.subset(province="云南省"),
                                              min_df=min_df).fragments
        assert set(v.loc[v["fragment_of"] == "磨憨", "term"]) == kept
        assert ("磨" in v["term"].tolist()) == bool(kept)
        assert v.attrs["params"]["min_df"] == min_df


def test_count_matrix_is_labelled_as_bt_dtm(units, tokens):
    """count_matrix says which row and column is which: ``terms`` (the vocabulary's),
    ``docs`` (the units of the rows, a Dask frame) and ``to_dtm()``, bt.dtm's matrix.
    磨 (a piece of the port 磨憨) is counted in the 3 paragraphs whose text holds 磨憨,
    once each."""
    docs = btd.from_corpus(units, npartitions=3)
    vocab = btd.vocabulary(docs, min_df=2)
    cm = btd.count_matrix(docs, vocab)
    assert isinstance(cm, btd.CountMatrix) and cm.counts.numblocks == (3, 1)
    assert cm.terms.tolist() == vocab["term"].tolist() and cm.vocabulary is vocab
    assert cm.fragments == vocab.attrs["fragments"]
    rows = cm.docs.compute()
    assert cm.docs.npartitions == 3 and rows["doc_id"].tolist() == units.docs["doc_id"].tolist()
    assert "text" not in rows.columns and rows["province"].tolist() == units.docs[
        "province"].tolist()
    counts = cm.counts.compute()
    mo = counts[:, cm.terms.tolist().index("磨")].toarray().ravel()
    port = units.docs.loc[units.docs["text"].str.contains("磨憨"), "doc_id"].tolist()
    assert len(port) == 3 and rows.loc[mo > 0, "doc_id"].tolist() == port
    assert mo[mo > 0].tolist() == [1, 1, 1]
    # gathered: bt.dtm's matrix, labels, fingerprint (btd.dtm(docs, vocab) is this call)
    m = cm.to_dtm()
    want = bt.dtm(tokens, min_df=2)
    assert m.terms.tolist() == want.terms.tolist() and (m.counts != want.counts).nnz == 0
    pd.testing.assert_frame_equal(m.docs, want.docs, check_dtype=False)
    assert m.tokens_fingerprint == want.tokens_fingerprint == tokens.fingerprint
    assert m.fragments == want.fragments
    assert m.params == {**want.params, "counted_by": "distributed.count_matrix"}
    # hashed columns: the rows are labelled, the columns have no terms
    h = btd.count_matrix(docs, n_features=2 ** 10)
    assert h.terms is None and h.params["n_features"] == 1024
    assert h.counts.compute().sum() == bt.dtm(tokens).counts.sum()   # every token
    with pytest.raises(ParameterError, match=r"to_dtm: hashed features .* no terms"):
        h.to_dtm()


def test_count_matrix_as_the_bare_array_of_before_warns(units):
    """Code written for the bare Dask array of 0.4.x still runs through 0.5.x, warned."""
    docs = btd.from_corpus(units, npartitions=2)
    cm = btd.count_matrix(docs, ["磨", "东盟"])
    with pytest.warns(FutureWarning, match=r"labelled CountMatrix since bri_text 0\.5\.0.*"
                                           r"CountMatrix\.numblocks reads \.counts\.numblocks"):
        assert cm.numblocks == (2, 1)
    with pytest.warns(FutureWarning, match=r"compute\(\) gives to_dtm\(\)'s labelled"):
        old = cm.compute()
    assert (old != cm.counts.compute()).nnz == 0 and old.shape == (123, 2)
    with pytest.warns(FutureWarning, match=r"CountMatrix\.\[\.\.\.\]"):
        assert (cm[:, 1].compute() != cm.counts.compute()[:, 1]).nnz == 0
    with pytest.raises(AttributeError, match=r"no attribute 'nothing' \(the Dask array is "
                                             r"\.counts"):
        cm.nothing


def test_tokens_segmented_elsewhere_are_counted_and_profiled(tokens, segmented_elsewhere):
    """A frame with token lists and no text: counted as bt.dtm counts token lists (no
    offsets, so no fragments), profiled as bt.profile / bt.orientation of Tokens without
    text (matched on the tokens alone), with a warning saying what that leaves out:
    Heilongjiang's 对俄 (15, 对 is dropped as a stopword) and 中俄 (6) are found in the text
    only, so her 俄罗斯 count is 44 from the text and 23 from the tokens."""
    docs = btd.from_corpus(segmented_elsewhere, npartitions=3)
    assert docs.partitions[0].compute()["tokens"].iloc[0] == tokens.tokens[0]   # lists
    got = _quiet(btd.group_counts, docs, by="province")
    want = _quiet(bt.dtm(tokens).group, "province")
    assert got.terms.tolist() == want.terms.tolist() and (got.counts != want.counts).nnz == 0
    assert got.fragments is None                   # plain token lists: nothing to tell
    vocab = btd.vocabulary(docs, min_df=2)
    assert vocab.attrs["fragments"] is None and (vocab["fragment_of"] == "").all()
    assert vocab["term"].tolist() == bt.dtm(tokens.tokens, min_df=2).terms.tolist()

    places = REGIONS_DIR / "regions.csv"
    no_text = bt.Tokens(tokens.docs.drop(columns="text"), tokens.tokens, tokens.spans,
                        tokens.config)
    with pytest.warns(UserWarning, match=r"group_profile: docs has no 'text' column, so "
                                         r"entries are matched on the 'tokens' alone"):
        prof = btd.group_profile(docs, places, by="province", normalize=None)
    mem = _quiet(bt.profile, no_text, places, by="province", normalize=None)
    pd.testing.assert_frame_equal(prof, mem)
    assert prof.attrs == mem.attrs
    text = _quiet(bt.profile, tokens, places, by="province", normalize=None)
    russia = "group == '黑龙江省' and category == '俄罗斯'"
    assert (text.query(russia)["count"].item(), prof.query(russia)["count"].item()) == (44, 23)
    assert text.attrs["split"]["对俄"] == 15 and text.attrs["split"]["中俄"] == 6
    assert "对俄" not in prof.attrs["split"] and "中俄" not in prof.attrs["split"]
    orient = _quiet(btd.group_orientation, docs, by="province")
    pd.testing.assert_frame_equal(orient, _quiet(bt.orientation, no_text, by="province"))
    # with the text too, the profile is made from the text (segmented again), and says so
    hlj = tokens.subset(province="黑龙江省")
    both = btd.from_corpus(hlj.docs.assign(tokens=hlj.tokens))
    with pytest.warns(UserWarning, match=r"the 'tokens' column is not read: entries are "
                                         r"matched in the text, segmented again"):
        prof = btd.group_profile(both, places, by="province", normalize=None)
    assert prof.query(russia)["count"].item() == 44


def test_what_needs_the_text_or_a_tokenizer_says_so(segmented_elsewhere, tokens):
    docs = btd.from_corpus(segmented_elsewhere, npartitions=2)
    for f, args in ((btd.reshape, ("sentence",)), (btd.check, ()),
                    (btd.repeated_lines, ())):
        with pytest.raises(ParameterError, match=rf"distributed\.{f.__name__} needs the raw "
                                                 r"text .* no 'text' column, only 'tokens'"):
            f(docs, *args)
    # a tokenizer would do nothing: the tokens are counted as they are
    with pytest.raises(ParameterError, match=r"group_counts: tokenizer= is not used: docs "
                                             r"has a 'tokens' column"):
        btd.group_counts(docs, by="province", tokenizer=bt.Tokenizer())
    with pytest.raises(ParameterError, match=r"vocabulary: user_dict= is not used"):
        btd.vocabulary(docs, user_dict=["磨憨"])
    # tokens joined by spaces, or lists dd.from_pandas printed into strings
    joined = segmented_elsewhere.assign(tokens=[" ".join(t) for t in tokens.tokens])
    with pytest.raises(ParameterError, match=r"holds text, not token lists \(unit "
                                             r"'gx_2019_tongdao#p0'.*\.str\.split\(\)"):
        btd.group_counts(btd.from_corpus(joined), by="province")
    with dask.config.set({"dataframe.convert-string": True}):
        printed = dd.from_pandas(segmented_elsewhere, npartitions=1)
    with pytest.raises(ParameterError, match=r"printed text of lists.*from_corpus"):
        btd.vocabulary(printed)
    # a vocabulary is the table from btd.vocabulary or a list of terms, not one string
    with pytest.raises(ParameterError, match=r"vocabulary must be .* got str"):
        btd.count_matrix(docs, "磨憨")
    with pytest.raises(ParameterError, match=r"needs a 'term' column .* \['word'\]"):
        btd.dtm(docs, pd.DataFrame({"word": ["磨憨"]}))
    with pytest.raises(ParameterError, match=r"'text' column \(or a 'tokens' column"):
        btd.from_corpus(segmented_elsewhere.drop(columns="tokens"))


def test_fit_topics_on_tokens_segmented_elsewhere(tokens, segmented_elsewhere):
    """Paragraphs segmented elsewhere (token lists, no text) are fitted as they are: the
    model is the one TopicModel fits in memory on the same token lists and seed (the same
    topics and terms), with a warning saying what is missing; topic_shares infers them as
    model.transform does. Documents need unit='document' (a paragraph model splits them by
    their text)."""
    docs = btd.from_corpus(segmented_elsewhere, npartitions=3)
    kw = {"iterations": 30, "min_df": 2, "init": "random"}
    with pytest.warns(UserWarning, match=r"fit_topics: docs has no 'text' column, so the "
                                         r"model is fitted on the 'tokens' as they are.*"
                                         r"records no tokenizer.*representative_docs"):
        model = btd.fit_topics(docs, 3, frac=1, **kw)
    from bri_text.distributed._topics import _TokenUnits

    mem = _quiet(bt.TopicModel(3, random_state=0, **kw).fit,
                 _TokenUnits(segmented_elsewhere, "test"))
    assert model.provenance_["sample"]["n_units"] == len(segmented_elsewhere) == 123
    assert model.vocabulary_ == mem.vocabulary_
    assert (model.topic_term_ == mem.topic_term_).all()
    assert model.tokenizer_ is None and model.provenance_["tokenizer"] is None
    assert model.provenance_["corpus_fingerprint"] == bt.dtm(tokens.tokens).tokens_fingerprint
    # documents segmented elsewhere: unit='document', or a clear error
    documents = segmented_elsewhere.drop(columns=["parent_id", "unit", "unit_index"])
    with pytest.raises(ParameterError, match=r"fit_topics: a paragraph model .* splits "
                                             r"documents .* pass unit='document'"):
        btd.fit_topics(btd.from_corpus(documents), 3)
    with pytest.raises(ParameterError, match=r"fit_topics: tokenizer= is not used"):
        btd.fit_topics(docs, 3, tokenizer=bt.Tokenizer())


@pytest.mark.slow   # > 3 s: two fits and an inference on every partition
def test_topics_of_tokens_segmented_elsewhere_equal_those_of_the_text(tokens,
                                                                      segmented_elsewhere):
    """The same tokens with their text (segmented on the workers) give the same model, and
    topic_shares infers every unit of the tokens frame as model.transform does in memory
    (the unit whose tokens are all out of the vocabulary: NaN in both)."""
    from bri_text.distributed._topics import _TokenUnits

    docs = btd.from_corpus(segmented_elsewhere, npartitions=3)
    kw = {"iterations": 30, "min_df": 2, "init": "random"}
    model = _quiet(btd.fit_topics, docs, 3, frac=1, **kw)
    with_text = _quiet(btd.fit_topics, btd.from_corpus(tokens.docs, npartitions=3), 3,
                       frac=1, **kw)
    assert (with_text.topic_term_ == model.topic_term_).all()
    assert with_text.provenance_["corpus_fingerprint"] == tokens.fingerprint
    shares = btd.topic_shares(docs, model).compute()
    assert shares["doc_id"].tolist() == segmented_elsewhere["doc_id"].tolist()
    local = _quiet(model.transform, _TokenUnits(segmented_elsewhere, "test"))
    got = shares[["0", "1", "2"]].astype(float).to_numpy()
    assert np.allclose(got, local[[0, 1, 2]].to_numpy(), equal_nan=True)
    assert np.isnan(got).all(axis=1).sum() == 1
    # the model has no tokenizer: a frame with text is segmented with the default, warned
    with pytest.warns(UserWarning, match=r"topic_shares: the model was fitted on tokens "
                                         r"segmented elsewhere"):
        btd.topic_shares(btd.from_corpus(tokens.docs, npartitions=1), model)


# ================================================ where the counts came from
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


def test_group_counts_record_a_fingerprint_the_same_for_any_partitioning(units, tokens):
    """The Dask print is the in-memory one: ``Tokens.fingerprint`` of bt.tokenize(units),
    for 1, 3 and 7 partitions (7 cut documents apart), so counts made on Dask and a topic
    model fitted in memory name the same tokens."""
    fps = {n: _quiet(btd.group_counts, btd.from_corpus(units, npartitions=n),
                     by="province").tokens_fingerprint for n in (1, 3, 7)}
    assert len(tokens.fingerprint) == 16
    assert fps == {1: tokens.fingerprint, 3: tokens.fingerprint, 7: tokens.fingerprint}
    # paragraphs cut on the workers (btd.reshape of 4 partitions of the 10 documents)
    docs = btd.reshape(btd.from_corpus(regions_corpus(), npartitions=4), "paragraph")
    assert _quiet(btd.group_counts, docs, by="province").tokens_fingerprint == fps[1]
    # what a topic model fitted in memory on these tokens records
    model = _quiet(bt.TopicModel(3, random_state=1, iterations=20, min_df=2).fit, tokens)
    assert model.provenance_["corpus_fingerprint"] == fps[7]
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
    assert fps[0] == fps[1] == bt.dtm(tokens.tokens).tokens_fingerprint   # as in memory
    assert fps[0] == bt.features.tokens_fingerprint(frame["tokens"].tolist())
    # the tokens of the text, but no tokenizer configuration: not the text's fingerprint
    from_text = _quiet(btd.group_counts, btd.from_corpus(units, npartitions=1),
                       by="province").tokens_fingerprint
    assert fps[0] != from_text
    dropped = frame.assign(tokens=[t[1:] if i == 0 else t
                                   for i, t in enumerate(frame["tokens"])])
    assert _quiet(btd.group_counts, btd.from_corpus(dropped, npartitions=3),
                  by="province").tokens_fingerprint != fps[0]


def _split_said(f, *a, **k) -> list[str]:
    """The messages of the warnings about documents split between groups."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f(*a, **k)
    return [str(w.message) for w in caught if "more than one group" in str(w.message)]


def test_a_document_split_between_groups_is_warned_about_as_in_memory(units, tokens):
    """Her 15 documents by paragraph in 7 partitions, which cut 4 documents (a document's
    first paragraphs in one partition, its last in the next); the last paragraph of each
    of those 4 given the 片区 "X" (a slip in the metadata): that paragraph is in another
    partition than the rest of its document, so only the documents' hashes over all
    partitions show the split. group_counts and group_profile give the in-memory warning
    of keyness / profile, word for word (the first 3 documents in the frame's order, their
    paragraphs per group, in the groups' order: a reader counts them in the metadata; "and
    1 more")."""
    docs = btd.from_corpus(units, npartitions=7)
    ends = docs.map_partitions(lambda d: d[["parent_id"]].iloc[[0, -1]]).compute()["parent_id"]
    cut = list(dict.fromkeys(ends[ends.duplicated()]))
    assert len(cut) == 4
    d = units.docs
    last = [d.index[d["parent_id"] == doc][-1] for doc in cut]
    slip = units._with(d.assign(片区=d["片区"].where(~d.index.isin(last), "X")))
    slipped = btd.from_corpus(slip, npartitions=7)
    said = _split_said(btd.group_counts, slipped, by="片区")
    assert len(said) == 1
    n_units = d["parent_id"].value_counts()
    region = d.drop_duplicates("parent_id").set_index("parent_id")["片区"]
    order = list(dict.fromkeys(slip.docs["片区"]))     # the groups in order of appearance
    shown = "; ".join(f"{doc}: " + ", ".join(sorted(
        [f"{region[doc]} {n_units[doc] - 1} units", "X 1 unit"],
        key=lambda s: order.index(s.split()[0]))) for doc in cut[:3])
    assert said[0].startswith("distributed.group_counts: 4 documents have units in more "
                              f"than one group of '片区' ({shown}; and 1 more); each is "
                              "counted in each of them")
    split_tokens = bt.Tokens(slip.docs, tokens.tokens, tokens.spans, tokens.config)
    mem = _split_said(bt.keyness, bt.dtm(split_tokens), by="片区")
    assert said == [m.replace("keyness:", "distributed.group_counts:", 1) for m in mem]
    places = REGIONS_DIR / "regions.csv"
    got = _split_said(btd.group_profile, slipped, places, by="片区")
    mem = _split_said(bt.profile, split_tokens, places, by="片区")
    assert got == [m.replace("profile:", "distributed.group_profile:", 1) for m in mem]
    # her metadata as it is: one 片区 per document, nothing to say
    assert not _split_said(btd.group_counts, docs, by="片区")


def test_check_says_no_year_in_the_words_of_the_reader(tmp_path):
    """Three of the built-in BRI plans as files, bri02's text giving no date: bt.read_folder
    says "1 of 3 documents have no year (column 'date' dates 2); results by year or date
    (trends, ...) ..." and btd.check of btd.read_folder the same sentence, but for what
    dates the others (the years it counts: "2 have one")."""
    docs = bt.load_bri_policies().docs.set_index("doc_id")
    for did in ("bri01", "bri02", "bri13"):
        (tmp_path / f"{did}.txt").write_text(docs.loc[did, "title"] + "\n"
                                             + docs.loc[did, "text"], encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mine = bt.read_folder(tmp_path)
    mem = [str(w.message) for w in caught if "have no year" in str(w.message)]
    assert mine.docs.loc[mine.docs["year"].isna(), "doc_id"].tolist() == ["bri02"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = btd.check(btd.read_folder(tmp_path))
    said = [str(w.message) for w in caught if "have no year" in str(w.message)]
    assert len(mem) == len(said) == 1
    assert mem[0].startswith("read_files: 1 of 3 documents have no year (column 'date' "
                             "dates 2); ")
    assert said[0].startswith("check: 1 of 3 documents have no year (2 have one); ")
    assert said[0].split("); ", 1)[1] == mem[0].split("); ", 1)[1]
    assert table.loc[table["check"] == "no_year", "doc_id"].tolist() == ["bri02"]
