"""Topic models on a researcher's own workbook: 30 provincial digital-economy policies
(tests/data/digital_economy_topics/policies.xlsx, 6 provinces x 5 documents, 2018-2024).

The workbook plants four themes (数据要素/数据交易, 算力/数据中心, 数字政府/一网通办,
工业互联网/产业数字化; column ``planted_themes`` lists each document's theme paragraphs),
上海 leaning to data, 贵州 and 内蒙古 to compute, and the data theme rising over the years
(no data paragraph in 2018-2019 but 上海's, three in 2023-2024). Every document opens with a
stock preamble (为贯彻落实…，结合本省实际，制定本方案) and closes with stock safeguards
(加强组织领导…). Generator: notes of session 40 (topics40), not shipped.
"""
import warnings
from collections import Counter
from pathlib import Path

import pytest

import bri_text as bt

BOOK = Path(__file__).parent / "data" / "digital_economy_topics" / "policies.xlsx"


@pytest.fixture(scope="module")
def tokens():
    corpus = bt.read_excel(BOOK, text="正文")
    return bt.tokenize(corpus)


@pytest.fixture(scope="module")
def default_model(tokens):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = bt.TopicModel(4, random_state=1, iterations=200).fit(tokens)
    return model, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def policy_model(tokens):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # 12 title-only units have no kept term
        return bt.TopicModel(4, random_state=1, iterations=200,
                             stopwords="policy").fit(tokens)


def test_the_workbook_is_the_planted_corpus():
    docs = bt.read_excel(BOOK, text="正文").docs
    assert len(docs) == 30
    assert docs.groupby("province").size().tolist() == [5] * 6
    assert docs["year"].min() == 2018 and docs["year"].max() == 2024


def test_stock_topics_are_named_and_their_labels_marked(default_model):
    model, messages = default_model
    top = model.topics(top_n=10).groupby("topic")["term"].agg(list)
    stock = model.stock_topics_
    # the preamble topic (意见, 制定, 贯彻落实) and the safeguards topic (保障, 措施, 加强)
    assert len(stock) == 2
    assert any({"意见", "制定"} <= set(top[k]) for k in stock)
    assert any({"保障", "措施"} <= set(top[k]) for k in stock)
    labels = model.label_topics()
    assert all(labels[k].endswith(" (stock words)") for k in stock)
    assert model.provenance_["stock_topics"] == stock
    warned = [m for m in messages if "stock words" in m]
    assert len(warned) == 1 and 'stopwords="policy"' in warned[0]


def test_a_theme_is_labelled_by_its_own_words_not_stock_words(default_model):
    model, _ = default_model
    data = model.find_topic(["数据要素", "公共数据", "数据资产"])
    assert data not in model.stock_topics_
    label = model.label_topics()[data]
    # 探索 has the highest FREX of the data topic but is a stock word of 公文
    assert model.topics(top_n=1, sort="frex").set_index("topic")["term"][data] == "探索"
    assert "探索" not in label and "公共数据" in label


def test_with_policy_stopwords_the_preamble_topic_is_still_flagged(policy_model, tokens):
    """stopwords="policy" leaves the preamble's stock words out of the model: its topic's
    own terms are what is left of 为贯彻落实…，结合本省实际，制定本方案 (数字经济, 实际), no stock
    word. The stock words its paragraphs hold are counted back (audit s40, finding 4)."""
    model = policy_model
    top = model.topics(top_n=10).groupby("topic")["term"].agg(list)
    preamble = model.find_topic(["实际", "数字经济"])
    assert {"数字经济", "实际"} <= set(top[preamble])
    assert model.stock_topics_ == [preamble]
    labels = model.label_topics()
    assert labels[preamble].endswith(" (stock words)")
    assert [k for k, lab in labels.items() if lab.endswith("(stock words)")] == [preamble]
    # the themes are not flagged
    for words in (["数据要素", "公共数据"], ["算力", "数据中心"], ["工业互联网", "工厂"]):
        assert model.find_topic(words) not in model.stock_topics_
    # the table it reads: the preamble topic's top 10 with the words of the preambles back
    back = model._stock_top().groupby("topic")["term"].agg(list)[preamble]
    # (实际 is 11th since session 42's work-report stopwords changed the fit a little)
    assert {"意见", "制定", "贯彻落实", "结合"} <= set(back)
    # what the preamble paragraphs hold: 意见 and 制定 in (nearly) every document's
    preambles = [p for p in tokens.reshape("paragraph") if "实际" in p or "制定" in p]
    assert sum("贯彻落实" in p for p in preambles) >= 10
    with pytest.warns(UserWarning, match=r"1 of 4 topics are mostly stock words") as caught:
        bt.TopicModel(4, random_state=1, iterations=200, stopwords="policy").fit(tokens)
    message = next(str(w.message) for w in caught if "stock words" in str(w.message))
    assert f"topic {preamble} (" in message and "stopwords='policy' left them out" in message


def test_the_planted_rising_theme_rises_and_the_intercept_is_flagged(policy_model):
    data = policy_model.find_topic(["数据要素", "公共数据", "数据资产"])
    with pytest.warns(UserWarning, match=r"Intercept row .* year = 0 \(2018 to 2024"):
        eff = policy_model.effects("~ year", n_boot=50, random_state=0)
    assert eff.attrs["intercept_extrapolated"] == ["year"]
    row = eff.coefficients.query(f"term == 'year' and topic == {data}").iloc[0]
    assert row["estimate"] > 0.05 and row["ci_low"] > 0          # about +0.08 a year
    with warnings.catch_warnings():
        warnings.simplefilter("error")                       # centred: nothing to warn
        centred = policy_model.effects("~ I(year - 2018)", n_boot=0)
    assert centred.attrs["intercept_extrapolated"] == []
    start = centred.coefficients.query(f"term == 'Intercept' and topic == {data}")["estimate"]
    assert 0 < start.iloc[0] < 0.2                         # little data talk in 2018


def test_provinces_lean_to_their_planted_themes(policy_model):
    prev = policy_model.prevalence(by="province", n_boot=0)
    data = policy_model.find_topic(["数据要素", "公共数据"])
    compute = policy_model.find_topic(["算力", "数据中心"])
    lead = prev.pivot(index="group", columns="topic", values="share")
    assert lead[data].idxmax() == "上海"
    assert set(lead[compute].nlargest(2).index) == {"贵州", "内蒙古"}


def test_seeded_themes_keep_their_seeds(tokens):
    seeds = {"数据要素": ["数据要素", "数据交易", "数据资产", "公共数据"],
             "算力": ["算力", "数据中心", "东数西算", "智能算力"],
             "数字政府": ["一网通办", "政务服务", "数字政府", "一网统管"],
             "工业互联网": ["工业互联网", "产业数字化", "智能制造", "标识解析"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = bt.TopicModel(6, random_state=1, iterations=200, seed_words=seeds).fit(tokens)
    check = model.seed_check_
    assert check["held"].all()
    assert model.label_topics()[:4].tolist() == list(seeds)
    # split field terms are joined back for the seeds: 数据交易, 标识解析, 智能算力
    assert set(model.provenance_["seed_phrases_joined"]) == {"数据交易", "标识解析", "智能算力"}


def test_fit_names_the_terms_min_df_left_out(default_model, tokens):
    model, messages = default_model
    paragraphs = list(tokens.reshape("paragraph"))
    in_units = Counter(w for p in paragraphs for w in set(p))
    below = {w for w, c in in_units.items() if c < 10}      # in fewer than min_df=10 units
    left = model.provenance_["terms_left_out"]["min_df"]
    assert left["n_terms"] == len(below)                    # 200 of the 360 terms
    n_tokens = sum(len(p) for p in paragraphs)
    share = sum(c for p in paragraphs for w, c in Counter(p).items() if w in below) / n_tokens
    assert left["token_share"] == pytest.approx(share, abs=1e-4)   # about a quarter
    # a theme's own words: 东数西算 is in 9 paragraphs, 一网通办 in 5
    assert in_units["东数西算"] == 9 and in_units["一网通办"] == 5
    assert not {"东数西算", "一网通办"} & set(model.vocabulary_)
    warned = [m for m in messages if "left out" in m and "min_df=10" in m]
    assert len(warned) == 1
    assert f"left out {len(below)} terms" in warned[0] and "东数西算 (9)" in warned[0]
    assert f"10 of the {len(paragraphs)} units" in warned[0]
    # min_df=3 (1.3% of the units) keeps them and does not warn
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        low = bt.TopicModel(4, random_state=1, iterations=20, min_df=3).fit(tokens)
    assert {"东数西算", "一网通办"} <= set(low.vocabulary_)
    assert not [w for w in caught if "left out" in str(w.message) and "min_df" in str(w.message)]


def test_select_k_says_how_many_documents_each_half_holds(tokens):
    grid = bt.select_k(tokens, ks=[3, 4, 5], seeds=(1, 2), iterations=50, measures=(),
                       n_jobs=1, progress=False)
    # half-splits of the 30 documents: 15 in each half
    assert (grid.attrs["split_of"], grid.attrs["n_split"], grid.attrs["per_half"]) == (
        "documents", 30, 15)
    wide = grid.assign(term_overlap_sd=1.0)     # every K within one sd: no clear K
    with pytest.warns(UserWarning, match="no clear K") as caught:
        why = bt.choose_k(wide, explain=True)
    message = str(caught[0].message)
    assert "each half of a split holds 15 of the 30 documents" in message
    assert "criterion is noisy" in message
    assert why.attrs["per_half"] == 15 and "15 of the 30 documents" in why.attrs["note"]


@pytest.mark.slow
def test_choose_k_on_the_planted_corpus_warns_with_the_half_size(tokens):
    grid = bt.select_k(tokens, ks=[3, 4, 5, 6, 8], seeds=(1, 2), n_jobs=1, progress=False)
    with pytest.warns(UserWarning, match="no clear K") as caught:
        k = bt.choose_k(grid)
    assert k == 3                                  # four themes planted (audit s40)
    assert "15 of the 30 documents" in str(caught[0].message)


def test_topic_trends_title_names_the_t_interval_years(policy_model):
    pytest.importorskip("matplotlib").use("Agg")
    import matplotlib.pyplot as plt

    from bri_text import plot

    table = policy_model.trends(by="year", n_boot=50, random_state=0)
    # the years with 3 documents get a t interval over them, as the interval column says
    t_years = sorted(table.loc[table["interval"].str.contains("t interval"), "group"].unique())
    per_year = table.groupby("group")["n_docs"].first()
    assert t_years == sorted(per_year[per_year == 3].index) == [2020, 2022]
    ax = plot.topic_trends(table)
    title = ax.get_title()
    assert "bootstrap interval; 2020, 2022: t interval over 3 documents" in title
    plt.close(ax.figure)


def test_read_excel_takes_the_titles_from_the_title_column():
    corpus = bt.read_excel(BOOK, text="正文")
    docs = corpus.docs
    # the workbook's 标题 column, as the report reads it
    assert docs["title"].tolist() == docs["标题"].tolist()
    assert docs["title"].iloc[0] == "上海市公共数据授权运营管理办法（试行）"   # the first row
    assert corpus.derived["title"] == "from column '标题'"


def test_split_field_terms_are_found_before_fitting_as_the_docs_say(tokens):
    field = ["数据交易", "智能算力", "标识解析"]
    with pytest.warns(UserWarning, match="split by the tokenizer") as caught:
        counts = bt.frequencies(tokens, terms=field).set_index("term")
    # every mention of the three is split (the split column counts them), as fit sees them
    assert (counts.loc[field, "split"] == counts.loc[field, "count"]).all()
    assert counts.loc["数据交易", "count"] == 32
    assert any("数据交易 (32 of 32)" in str(w.message) for w in caught)
    corpus = bt.read_excel(BOOK, text="正文")
    assert "数据交易" in bt.discover_terms(corpus)["term"].head(5).tolist()
    # the remedy: tokenize with them in the user dictionary; they then enter the model
    whole = bt.tokenize(corpus, tokenizer=bt.Tokenizer(user_dict=set(field)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = bt.TopicModel(4, random_state=1, iterations=20, min_df=3).fit(whole)
    assert set(field) <= set(model.vocabulary_)


def test_select_k_warns_when_k_outruns_the_vocabulary(tokens):
    """The default ks (5-30) on this workbook: at min_df=10 the vocabulary has 157 terms,
    so at K = 16 the topics' top 10 terms (160) cannot all differ."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vocab = bt.TopicModel(4, random_state=1, iterations=5).fit(tokens).vocabulary_
    assert len(vocab) == 157
    with pytest.warns(UserWarning, match=r"select_k: at K = \[16\] the models' vocabulary "
                      r"of 157 terms \(min_df=10\)") as caught:
        grid = bt.select_k(tokens, ks=[15, 16], seeds=(1,), iterations=10, measures=(),
                           null=False, resample=False, n_jobs=1, progress=False)
    message = next(str(w.message) for w in caught if "157 terms" in str(w.message))
    assert "K x 10 > 157" in message and "ks= up to 15" in message
    assert grid.attrs["vocabulary_size"] == 157 and grid.attrs["ks_over_vocabulary"] == [16]
    # with min_df=3 the vocabulary holds more terms than 16 x 10: no warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wide = bt.select_k(tokens, ks=[16], seeds=(1,), iterations=10, measures=(),
                           null=False, resample=False, n_jobs=1, progress=False, min_df=3)
    assert wide.attrs["vocabulary_size"] > 160 and wide.attrs["ks_over_vocabulary"] == []
    assert not [w for w in caught if "cannot give each topic" in str(w.message)]


@pytest.mark.slow   # one report of the 30 policies (6-16 s)
def test_the_report_names_the_min_df_warning_once_and_fit_still_warns(tokens, tmp_path):
    """The report records each distinct warning of its run once (its one topic model
    fits on the 224 paragraphs: min_df=10 is 4.5% of them); a direct fit warns each time."""
    import html as html_lib
    import re

    pytest.importorskip("matplotlib").use("Agg")
    from bri_text.report import report

    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("always")
        built = report(corpus=BOOK, text_column="正文", by="province",
                       compare=["上海", "贵州"], n_topics=4, n_boot=20, progress=False,
                       timestamp=False, out=tmp_path / "r")
    # the run keeps its warnings: none leaks to the caller
    assert not [w for w in outside if "min_df=" in str(w.message)]
    listed = [w for w in built.manifest["warnings"] if "min_df=10" in w]
    assert len(listed) == 1
    assert listed[0].startswith("UserWarning: TopicModel.fit: min_df=10 (a term must be in "
                                "10 of the 224 units, 4.5%) left out ")
    page = html_lib.unescape(re.sub(r"<[^>]+>", "", built.index.read_text(encoding="utf-8")))
    part = page.split("What the library warned about")[1].split("Reproducing this report")[0]
    assert part.count("min_df=10 (a term must be in 10 of the 224 units") == 1
    # direct fits still warn, every time
    for _ in range(2):
        with pytest.warns(UserWarning, match=r"min_df=10 \(a term must be in 10 of the "
                                             r"224 units"):
            bt.TopicModel(4, random_state=1, iterations=5).fit(tokens)
