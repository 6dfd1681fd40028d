"""Single characters that are pieces of a string the tokenizer cuts (audit s40 compare40,
finding 8): on the provincial documents of ``tests/data/orientation_regions/`` the port
磨憨 (Yunnan's border crossing to Laos, written 3 times in 3 of Yunnan's documents) comes
out as the tokens 磨 and 憨, which led a keyness table as "distinctive terms" without a
word. Counts asserted here can be checked by searching the texts for 磨憨 and 对俄.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bri_text as bt
from bri_text.segment import fragments
from support import regions_corpus

DATA = Path(__file__).parent / "data" / "orientation_regions"


@pytest.fixture(scope="module")
def corpus():
    return regions_corpus()


@pytest.fixture(scope="module")
def tokens(corpus):
    return bt.tokenize(corpus.reshape("paragraph"))


def _keyness(m):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        k = bt.keyness(m, target={"片区": "西南沿边"}, reference={"片区": "西北东北沿边"},
                       measure="permutation")
    return k, [str(w.message) for w in caught]


def test_the_port_is_cut_and_its_pieces_are_flagged_in_keyness(corpus, tokens):
    texts = corpus.docs["text"]
    assert texts.str.count("磨憨").sum() == 3 and (texts.str.count("磨憨") > 0).sum() == 3
    assert not any("磨憨" in t for t in tokens.tokens)       # the tokenizer cuts it
    k, said = _keyness(bt.dtm(tokens))
    flagged = k[k["fragment_of"] != ""]
    assert sorted(flagged["term"]) == ["憨", "磨"]
    assert set(flagged["fragment_of"]) == {"磨憨"}
    # all three in Yunnan (西南沿边), the target; they rank among its distinctive terms
    assert flagged["count_target"].tolist() == [3, 3]
    assert flagged["count_reference"].tolist() == [0, 0]
    assert (flagged.index < 20).all()
    assert k.attrs["fragments"] == {"磨": "磨憨", "憨": "磨憨"}
    note = [s for s in said if "pieces of 磨憨" in s]
    assert len(note) == 1 and "user_dict={'磨憨'}" in note[0]


def test_words_of_one_character_are_not_flagged(corpus, tokens):
    # 俄 stands for Russia: 对俄 is written 15 times (对 is a stopword, so no run)
    assert corpus.docs["text"].str.count("对俄").sum() == 15
    table = fragments(tokens)
    assert set(table["term"]) == {"磨", "憨"}
    row = table.set_index("term").loc["磨"]
    assert (row["fragment_of"], row["n_in"], row["count"], row["run_count"], row["n_docs"],
            row["split"]) == ("磨憨", 3, 3, 3, 3, "磨/憨")
    m = bt.dtm(tokens)
    counts = dict(zip(m.terms, m.counts.sum(axis=0).A1))
    assert counts["俄"] == 22 and "俄" not in m.fragments


def test_the_advised_call_joins_the_port(corpus):
    tok = bt.Tokenizer(user_dict={"磨憨"})
    tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer=tok)
    m = bt.dtm(tokens)
    assert m.fragments == {}
    k, said = _keyness(m)
    assert k.set_index("term").loc["磨憨", "count_target"] == 3
    assert {"磨", "憨"}.isdisjoint(k["term"])
    assert (k["fragment_of"] == "").all() and not any("pieces of" in s for s in said)


def test_the_figure_labels_a_piece_with_its_string(tokens):
    import matplotlib

    matplotlib.use("Agg")
    k, _ = _keyness(bt.dtm(tokens))
    ax = bt.plot.keyness(k, top_n=10)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "磨 (piece of 磨憨)" in labels and "泰国" in labels
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_plain_token_lists_are_not_checked():
    m = bt.dtm([["推进", "磨", "憨", "口岸"], ["磨", "憨", "铁路"]])
    assert m.fragments is None
    k = bt.keyness(m, target=[True, False])
    assert (k["fragment_of"] == "").all() and k.attrs["fragments"] is None


def test_a_piece_of_the_built_in_corpus():
    # 浐灞 (Xi'an's Chanba district) is written twice in the Shaanxi plans and cut 浐/灞;
    # 省 (162 tokens) stands alone before 商务厅, 发改委 ...: a word, not flagged
    plans = bt.load_bri_policies()
    text = "".join(plans.docs["text"])
    assert text.count("浐灞") == 2
    m = bt.dtm(bt.tokenize(plans.reshape("paragraph")))
    assert m.fragments["浐"]["fragment_of"] == "浐灞" and m.fragments["灞"]["split"] == "浐/灞"
    assert "省" in m.terms and "省" not in m.fragments
    # kept by subset and group
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # national plans have no region
        grouped = m.group("region")
    assert m.subset(region="陕西").fragments == m.fragments == grouped.fragments


@pytest.mark.slow
def test_the_report_names_the_string_it_leaves_out(tmp_path):
    from bri_text.report import report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report(["西南沿边", "西北东北沿边"], corpus=DATA, metadata=DATA / "metadata.csv",
               by="片区", out=tmp_path / "a", n_topics=0, n_boot=50, progress=False)
        report(["广西", "河南"], corpus=DATA, metadata=DATA / "metadata.csv",
               by="province", out=tmp_path / "b", n_topics=0, n_boot=50, progress=False)
    page = (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    assert ("the tokenizer cuts 磨憨 (磨/憨, 3 times in 3 documents) into single "
            "characters") in page
    assert "user_dict={&#39;磨憨&#39;}" in page
    # Guangxi and Henan do not write 磨憨: no such sentence
    assert "Counted nowhere" not in (tmp_path / "b" / "index.html").read_text(encoding="utf-8")


def test_counts_add_up_over_pieces_that_cut_documents():
    """FragmentCounts of seven runs of paragraphs (the Dask path's partitions), added in
    any order, give fragments() of all of them: 来闽 is cut 来/闽 6 times in one Fujian
    plan whose paragraphs fall in two pieces, and counts as one document."""
    from bri_text.segment import FragmentCounts

    units = bt.load_bri_policies().reshape("paragraph")
    tokens = bt.tokenize(units)
    rows = np.flatnonzero(units.docs["text"].str.contains("来闽"))    # 5 paragraphs of bri20
    cuts = sorted({*(len(tokens) * k // 7 for k in range(1, 7)), (rows[0] + rows[-1]) // 2})
    pieces = [tokens.subset(np.isin(np.arange(len(tokens)), idx))
              for idx in np.split(np.arange(len(tokens)), cuts)]
    parts = [FragmentCounts().add(p) for p in pieces]
    assert sum(len(p.docs.get("来闽", ())) for p in parts) == 2    # bri20 in two pieces
    want = fragments(tokens)
    row = want.set_index("term").loc["闽"]
    assert (row["fragment_of"], row["run_count"], row["n_docs"]) == ("来闽", 6, 1)
    for order in (parts, parts[::-1]):
        pd.testing.assert_frame_equal(FragmentCounts.sum(order).table(), want)
    pd.testing.assert_frame_equal((parts[3] + parts[0]).table(),
                                  FragmentCounts.sum([parts[0], parts[3]]).table())
