"""Plots render Chinese with the bundled font (no missing-glyph boxes) and return Axes."""
from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import bri_text as bt  # noqa: E402
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


def test_keyness_plot_names_what_its_bars_are():
    """Audit41: log-odds bars are z-scores: Guangxi's 东盟 (3 against 0 in Guangdong's report)
    is drawn at 1.01 (1.012 since session 42's cut of 广西自治区; its log2 ratio is 2.6), and the axis said only "log_odds"."""
    from pathlib import Path

    corpus = bt.read_csv(Path(__file__).parent / "data" / "provincial_reports_2026.csv")
    m = bt.dtm(bt.tokenize(corpus.reshape("paragraph")))
    k = bt.keyness(m, {"province": "广西壮族自治区"}, {"province": "广东省"})
    ax = plot.keyness(k)
    assert ax.get_xlabel().startswith("log-odds z-score (> 0: more in 广西壮族自治区")
    drawn = ax.bri_data.set_index("term")
    assert drawn.loc["东盟", "score"] == pytest.approx(1.0117, abs=1e-3)
    assert k.set_index("term").loc["东盟", "log_ratio"] == pytest.approx(2.62, abs=0.01)
    for measure, name in (("g2", "signed G²"), ("welch", "Welch's t")):
        t = k.copy()
        t.attrs["measure"] = measure
        assert plot.keyness(t).get_xlabel().startswith(name)


def test_keyness_plot_draws_tied_terms_in_the_tables_order():
    """Session 43: Guangxi's report has 东盟 and 线上 three times each, Guangdong's neither:
    the same score. The table and the report's findings list 东盟 first (ties by term), the
    figure drew 线上 above it. Each side is now drawn in its ranking's order, by score and
    then by term: the target's from the top, the reference's from the bottom."""
    from pathlib import Path

    corpus = bt.read_csv(Path(__file__).parent / "data" / "provincial_reports_2026.csv")
    texts = corpus.docs.set_index("doc_id")["text"]
    assert [texts["gx"].count("东盟") - texts["gx"].count("中国—东盟"),
            texts["gx"].count("线上"), texts["gd"].count("东盟"), texts["gd"].count("线上")] \
        == [3, 3, 0, 0]
    m = bt.dtm(bt.tokenize(corpus.reshape("paragraph"), tokenizer=bt.Tokenizer(
        stopwords=("general", "policy"), min_length=2)))
    kw = dict(exclude="own_names", top_n=15)
    k = bt.keyness(m, {"province": "广西壮族自治区"}, {"province": "广东省"}, **kw)
    back = bt.keyness(m, {"province": "广东省"}, {"province": "广西壮族自治区"}, **kw)
    drawn = [t.get_text() for t in plot.keyness(k, top_n=15).get_yticklabels()][::-1]
    assert drawn[:5] == ["东盟", "线上", "北部湾港", "跨境", "面向"]
    assert k.loc[0, "score"] == k.loc[1, "score"]
    # top to bottom: the target's ranking, then the reference's from its last to its first
    target = k[k["score"] > 0]["term"].head(15).tolist()
    reference = back[back["score"] > 0]["term"].head(15).tolist()
    assert drawn == target + reference[::-1]
    assert reference[:2] == ["人工智能", "制造业"] and drawn[-2:] == ["制造业", "人工智能"]


def test_text_reuse_draws_the_pair_that_shares_more_than_stock_phrasing():
    """Audit41: between the 5 autonomous-region and the 5 provincial reports every shared
    passage is stock phrasing (the opening, the “两个确立” formula, the closing line) but
    one: Ningxia's and Guizhou's 建设全国一体化算力网络国家枢纽节点，推动…数据中心集群. The
    figure drew Guangxi and Guangdong (most characters, all formulaic)."""
    from pathlib import Path

    corpus = bt.read_csv(Path(__file__).parent / "data" / "provincial_reports_2026.csv")
    kind = dict(zip(corpus.docs["doc_id"], corpus.docs["region_type"]))
    t = bt.text_reuse(corpus)
    between = t[t["doc_a"].map(kind) != t["doc_b"].map(kind)]
    assert (between["kind"] != "copy").sum() == len(between) - 1
    ax = plot.text_reuse(between, corpus)
    drawn = ax.bri_data
    assert set(drawn["doc_a"]) | set(drawn["doc_b"]) == {"nx", "gz"}
    assert "算力网络国家枢纽节点" in drawn.loc[drawn["kind"] == "copy", "passage_a"].iloc[0]
    # only stock phrasing: the pair sharing most of it, as before
    stock = between[between["kind"] != "copy"]
    top = stock.groupby(["doc_a", "doc_b"])["chars"].sum().idxmax()
    assert tuple(plot.text_reuse(stock, corpus).bri_data[["doc_a", "doc_b"]].iloc[0]) == top


def test_keyness_plot_needs_a_group_for_one_vs_rest(keyness_table):
    long = pd.concat([keyness_table.assign(group="广西"), keyness_table.assign(group="甘肃")])
    with pytest.raises(ParameterError, match="group="):
        plot.keyness(long)
    with pytest.raises(MetadataError, match="'河南'"):
        plot.keyness(long, group="河南")
    assert plot.keyness(long, group="甘肃").get_title() == "Keyness: 甘肃 vs rest"


def test_orientation_heatmap(bri_corpus):
    table = pd.DataFrame({"group": ["广西", "广西", "甘肃", "甘肃", "浙江"],
                          "world_region": ["东南亚", "南亚", "中亚", "西亚", "东南亚"],
                          "share": [0.9, 0.1, 0.4, 0.6, float("nan")]})
    ax = plot.orientation(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["广西", "甘肃", "浙江"]
    _render_without_missing_glyphs(ax.figure)


def _orientation_table():
    nan = float("nan")
    return pd.DataFrame({
        "group": ["广西", "广西", "甘肃", "甘肃", "浙江", "浙江"],
        "world_region": ["东南亚", "南亚", "中亚", "西亚", "东南亚", "南亚"],
        "count": [159, 3, 2, 2, 0, 0], "share": [0.98, 0.02, 0.5, 0.5, nan, nan],
        "n_mentions": [162, 162, 4, 4, 0, 0],
        "ci_low": [0.95, 0.0, 0.0, 0.0, nan, nan], "ci_high": [1.0, 0.05, 1.0, 1.0, nan, nan]})


def test_orientation_says_no_mentions_and_n():
    ax = plot.orientation(_orientation_table())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["广西 (n=162)", "甘肃 (n=4)", "浙江 (n=0)"]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("no mentions") == 1
    assert texts.count("0.00") == 4   # real zeros of 广西 and 甘肃; 浙江 is not drawn as 0
    assert "0.95–1.00" in texts                   # the interval under 广西's 东南亚 share
    assert ax.bri_data.loc["甘肃", "n_mentions"] == 4
    assert ax.bri_data.loc["浙江"].drop("n_mentions").isna().all()
    assert ax.figure.bri_data is ax.bri_data
    with pytest.raises(ParameterError, match=r"orientation: parameter level= was renamed "
                                             r"geography= .* removed in 0.5.0"):
        plot.orientation(_orientation_table(), level="corridor")   # 0.4.0's old name
    _render_without_missing_glyphs(ax.figure)


def test_select_k_wraps_into_at_most_three_columns():
    metrics = ["c_npmi", "c_v", "diversity", "perplexity", "stability"]
    table = pd.DataFrame({"k": [5, 10], **{f"{m}_mean": [0.1, 0.2] for m in metrics},
                          **{f"{m}_sd": [0.01, 0.02] for m in metrics}})
    fig = plot.select_k(table)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 5
    assert fig.axes[0].get_gridspec().get_geometry() == (2, 3)
    assert fig.bri_data["k"].tolist() == [5, 10]
    with pytest.raises(ParameterError, match=r"metrics= was renamed measures= .* use measures="):
        plot.select_k(table, metrics=["c_v"])                      # 0.4.0's old name


def test_select_k_draws_chance_lines_and_says_what_cross_seed_stability_is():
    """Audit s36, finding 7: the chance line choose_k reads is drawn (dashed, with its sd
    band) where the table has it; cross-seed stability is titled as high by construction."""
    table = pd.DataFrame({"k": [4, 8, 12], "term_overlap_mean": [.12, .15, .11],
                          "term_overlap_sd": [.02, .05, .01],
                          "term_overlap_chance": [.13, .14, .10],
                          "term_overlap_chance_sd": [.03, .02, .01],
                          "stability_mean": [.99, .95, .90], "stability_sd": [0, .01, .02]})
    fig = plot.select_k(table)
    overlap, stability = fig.axes[0], fig.axes[1]
    dashed = [ln for ln in overlap.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_ydata().tolist() == [.13, .14, .10]
    assert "chance" in " ".join(t.get_text() for t in overlap.get_legend().get_texts())
    assert "by construction" in stability.get_title()
    assert not [ln for ln in stability.get_lines() if ln.get_linestyle() == "--"]


def test_topic_trends_marks_years_without_interval():
    nan = float("nan")
    table = pd.DataFrame({"group": [2015, 2016, 2017], "topic": [0, 0, 0],
                          "label": ["东盟·港口"] * 3, "share": [0.2, 0.3, 0.25],
                          "lower": [nan, 0.2, 0.1], "upper": [nan, 0.4, 0.3],
                          "n_docs": [1, 11, 13]})
    ax = plot.topic_trends(table)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("one document" in t for t in legend) and "hollow" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "2015\n(1 doc)"
    assert len(ax.bri_data) == 3
    _render_without_missing_glyphs(ax.figure)


def test_topic_trends_over_decades_labels_fewer_years():
    """The work reports' 72 years, 20 without a report: ticks show years only, the axis
    label says how many documents a year and how many years are gaps."""
    years = bt.load_work_reports().docs["year"]
    span = range(int(years.min()), int(years.max()) + 1)
    n_docs = years.value_counts().reindex(span, fill_value=0)
    table = pd.DataFrame({"group": list(span), "topic": 0, "label": "改革·开放",
                          "share": [0.1 if n else float("nan") for n in n_docs],
                          "n_docs": n_docs.to_numpy()})
    ax = plot.topic_trends(table)
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert 3 <= len(ticks) <= 13 and not any("doc" in t for t in ticks)
    gaps = int((n_docs == 0).sum())
    assert gaps >= 15 and f"{gaps} years without any are gaps" in ax.get_xlabel()
    assert ax.get_xlabel().startswith("year (1 document a year")


def test_every_plot_keeps_its_data(keyness_table):
    ax = plot.keyness(keyness_table)
    assert ax.bri_data["term"].tolist()[-1] == "东盟"
    prof = pd.DataFrame({"group": ["广西", "广西", "甘肃", "甘肃"],
                         "category": ["trade", "finance"] * 2, "per_10k": [1.0, 2.0, 3.0, 4.0]})
    assert plot.profile(prof).bri_data.loc["甘肃", "finance"] == 4.0


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


def test_orientation_draws_no_interval_where_none_was_computed(tokens):
    """Guangdong's five mentions sit in two paragraphs: too many paragraph replicates draw
    none, so its intervals are NaN, and the figure must show no interval (not 0.00-0.00)."""
    import warnings

    import bri_text as bt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        o = bt.orientation(tokens.subset(region=["广东", "广西"]), by="region", n_boot=200,
                           random_state=0, resample="unit")
    assert o.loc[o.group == "广东", "ci_low"].isna().all()
    ax = plot.orientation(o)
    rows = list(ax.bri_data.index)
    by_row = {}
    for t in ax.texts:
        by_row.setdefault(round(t.get_position()[1]), []).append(t.get_text())
    assert not [s for s in by_row[rows.index("广东")] if "–" in s or "-" in s[1:]]
    assert any("–" in s or "-" in s[1:] for s in by_row[rows.index("广西")])


def test_bundled_font_covers_both_datasets_whole():
    """Every character of both built-in datasets (texts and metadata) has a glyph: a plot
    by speaker draws 朱镕基, not a box (the font subset is built from the data files)."""
    import bri_text as bt

    reports = bt.load_work_reports(kind="all").docs
    text = "".join(reports["text"]) + "".join(reports["speaker"].dropna()) + \
        "".join(reports["title"]) + "".join(bt.load_bri_policies().texts)
    assert plot._missing_glyphs(text) == set()


def test_reuse_plot_says_it_draws_one_pair_of_several(bri_corpus):
    import bri_text as bt

    # the six documents of Henan, Hunan and Shaanxi: several pairs share passages
    table = bt.text_reuse(bri_corpus.subset(region=["河南", "湖南", "陕西"]), min_chars=20)
    pairs = table.groupby(["doc_a", "doc_b"])["chars"].sum().sort_values(ascending=False)
    assert len(pairs) > 1
    ax = plot.text_reuse(table, bri_corpus)
    drawn = ax.bri_data
    assert (drawn["doc_a"].iloc[0], drawn["doc_b"].iloc[0]) == pairs.index[0]   # most shared
    title = ax.get_title()
    assert title.startswith(f"This pair shares {len(drawn)} passage")
    assert f"(one of {len(pairs)} pairs; the table has {len(table)} passages)" in title
    assert "one of" not in plot.text_reuse(drawn, bri_corpus).get_title()      # one pair


def test_bundled_font_draws_traditional_characters_of_file_names():
    """Labels taken from file names in Traditional (1998_政府工作報告（繁體）) show as
    characters: the font covers Big5 level 1 and OpenCC's Traditional forms (爲, 衆, 裏)."""
    assert plot._missing_glyphs("報體國際經濟發展關於爲衆裏啓（繁體）") == set()
    reports = bt.load_work_reports().subset(year=[1998, 2000, 2002])
    ids = [f"{y}_政府工作報告（繁體）" for y in reports.docs["year"]]
    sim = bt.similarity_matrix(bt.dtm(bt.tokenize(reports), "tfidf"))
    sim.index = sim.columns = ids
    ax = plot.similarity_heatmap(sim, labels="doc_id")
    assert "1998_政府工作報告（繁體）" in [t.get_text() for t in ax.get_yticklabels()]
    _render_without_missing_glyphs(ax.figure)


def test_similarity_labels_tell_the_sections_of_a_report_apart():
    """Session 44 (audit44): a workbook that splits work reports into sections, titled
    2019年政府工作报告（一、2018年工作回顾） …: the bracketed section is left out of the short
    title, so every section of a year read "2019 政府工作报告" and the heatmap's rows could
    not be told apart; a title of the 1990s kept its year twice ("1995 1995年政府工作…")."""
    import re

    reports = bt.load_work_reports().docs.set_index("doc_id")
    rows = []
    for doc_id in ("wr1995", "wr2019"):
        parts = re.split(r"\n(?=[一二三]、)", reports.loc[doc_id, "text"])
        year = int(reports.loc[doc_id, "year"])
        for i, part in enumerate(parts if year == 2019 else [reports.loc[doc_id, "text"]]):
            head = part.split("\n", 1)[0][:12] if i else "开头"
            rows.append({"doc_id": f"{doc_id}_{i}", "year": year, "text": part,
                         "title": f"{year}年政府工作报告（{head}）"})
    corpus = bt.Corpus.from_dataframe(pd.DataFrame(rows))
    sim = bt.similarity_matrix(bt.dtm(bt.tokenize(corpus), "tfidf"))
    labels = plot.similarity_labels(sim)
    assert labels == ["1995 政府工作报告", "2019 政府工作报告 · wr2019_0",
                      "2019 政府工作报告 · wr2019_1", "2019 政府工作报告 · wr2019_2",
                      "2019 政府工作报告 · wr2019_3"]
    ax = plot.similarity_heatmap(sim, order="input")
    assert [t.get_text() for t in ax.get_yticklabels()] == labels
