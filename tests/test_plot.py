"""Plots render Chinese with the bundled font (no missing-glyph boxes) and return Axes."""
from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from bri_text import plot  # noqa: E402
from bri_text.errors import MetadataError, ParameterError  # noqa: E402


def _render_without_missing_glyphs(fig):
    """Draw the figure; fail if matplotlib reports any glyph missing from the fonts."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=50)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert buf.getvalue().startswith(b"\x89PNG")


@pytest.fixture
def keyness_table():
    return pd.DataFrame({"term": ["东盟", "北部湾", "中国—东盟博览会", "向西开放", "中亚", "敦煌"],
                         "score": [4.6, 1.9, 1.3, -1.2, -1.5, -2.4]})


def test_keyness_plot_shows_chinese_terms(keyness_table):
    ax = plot.keyness(keyness_table, labels=("广西", "甘肃"))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "东盟" and labels[0] == "敦煌"
    assert "广西" in ax.get_xlabel()
    _render_without_missing_glyphs(ax.figure)


def test_keyness_plot_needs_a_group_for_one_vs_rest(keyness_table):
    long = pd.concat([keyness_table.assign(group="广西"), keyness_table.assign(group="甘肃")])
    with pytest.raises(ParameterError, match="group="):
        plot.keyness(long)
    with pytest.raises(MetadataError, match="'河南'"):
        plot.keyness(long, group="河南")
    assert plot.keyness(long, group="甘肃").get_title() == "Keyness: 甘肃"


def test_orientation_heatmap(bri_corpus):
    table = pd.DataFrame({"group": ["广西", "广西", "甘肃", "甘肃", "浙江"],
                          "world_region": ["东南亚", "南亚", "中亚", "西亚", "东南亚"],
                          "share": [0.9, 0.1, 0.4, 0.6, float("nan")]})
    ax = plot.orientation(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["广西", "甘肃", "浙江"]
    _render_without_missing_glyphs(ax.figure)


def test_missing_columns_are_named():
    with pytest.raises(MetadataError, match=r"\['score'\]"):
        plot.keyness(pd.DataFrame({"term": ["东盟"]}))


def test_bundled_font_covers_corpus_characters(bri_corpus):
    text = "".join(bri_corpus.docs["title"]) + "".join(bri_corpus.texts[:3])
    assert plot._missing_glyphs(text) == set()


def test_bundled_font_covers_every_lexicon_term():
    from bri_text import _lexicons as lx

    terms = set(lx.load_lexicon()["term"]) | set(lx.load_gazetteer()["term"])
    for name in ("five_connectivities", "sectors"):
        terms |= {t for ts in lx.load_dictionary(name).values() for t in ts}
    assert plot._missing_glyphs("".join(sorted(terms))) == set()


def test_single_document_groups_are_marked():
    table = pd.DataFrame({"group": ["广西", "广西", "河南", "河南"],
                          "world_region": ["东南亚", "南亚", "西欧", "欧洲"],
                          "share": [0.9, 0.1, 0.6, 0.4], "n_docs": [1, 1, 2, 2]})
    ax = plot.orientation(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["广西 (1 doc)", "河南"]
    prev = pd.DataFrame({"group": [2015, 2015, 2016, 2016], "topic": [0, 1, 0, 1],
                         "share": [0.3, 0.7, 0.4, 0.6], "lower": [None, None, 0.3, 0.5],
                         "upper": [None, None, 0.5, 0.7], "n_docs": [1, 1, 3, 3]})
    ax = plot.topic_prevalence(prev)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2015 (1 doc)", "2016"]
    ax = plot.topic_trends(prev)
    assert "hollow: a single document" in ax.get_title()
    hollow = [ln for ln in ax.get_lines() if ln.get_markerfacecolor() == "white"]
    assert len(hollow) == 2 and all(list(ln.get_xdata()) == [2015] for ln in hollow)
