"""Text reuse on the built-in corpus: real shared passages, edits tolerated, formulaic
language flagged, exact offsets, clear errors."""
from __future__ import annotations

import pandas as pd
import pytest

import bri_text as bt
from bri_text.errors import EmptyDocumentError, MetadataError, ParameterError
from bri_text.reuse import REUSE_COLUMNS, SUMMARY_COLUMNS


def _corpus(texts, **meta):
    return bt.Corpus(pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))],
                                   "text": texts, **meta}))


@pytest.fixture(scope="module")
def all_pairs(bri_corpus):
    return bt.text_reuse(bri_corpus)


def test_columns_offsets_and_order(bri_corpus, all_pairs):
    assert list(all_pairs.columns) == REUSE_COLUMNS
    text = dict(zip(bri_corpus.doc_ids, bri_corpus.texts))
    for r in all_pairs.itertuples():
        assert text[r.doc_a][r.start_a:r.end_a] == r.passage_a
        assert text[r.doc_b][r.start_b:r.end_b] == r.passage_b
        assert 0.8 <= r.similarity <= 1 and r.chars >= 30
    assert all_pairs.attrs["min_chars"] == 30 and all_pairs.attrs["n_documents"] == 27
    again = bt.text_reuse(bri_corpus)
    pd.testing.assert_frame_equal(all_pairs, again)


def test_henan_plans_share_the_guiding_thought(bri_corpus):
    # bri13 (Zhengzhou-Luxembourg air silk road plan, 2017) and bri24 (Henan's BRI plan, 2016)
    t = bt.text_reuse(bri_corpus.subset(region="河南"))
    assert set(zip(t.doc_a, t.doc_b)) == {("bri13", "bri24")}
    longest = t.sort_values("chars").iloc[-1]
    assert "深入贯彻习近平总书记系列重要讲话" in longest.passage_b
    assert "十八届三中、四中" in longest.passage_a
    assert any("民心相通为主要内容的交流" in p for p in t.passage_b)


def test_shaanxi_and_xian_2016_plans_share_passages(bri_corpus):
    t = bt.text_reuse(bri_corpus.subset(region="陕西"), min_chars=20)
    assert set(zip(t.doc_a, t.doc_b)) == {("bri21", "bri27")}
    assert "打造以“汉风古韵”为主题的丝绸之路历史文化旅游区。" in set(t.passage_b)
    assert any("丝绸之路跨国申遗工作备忘录" in p for p in t.passage_a)
    s = bt.reuse_summary(t, bri_corpus)
    assert list(s.columns) == SUMMARY_COLUMNS
    row = s.iloc[0]
    # Shaanxi's plan (June 2016) is earlier than Xi'an's (November 2016)
    assert (row.source, row.target, row.direction) == ("bri27", "bri21", "earlier→later")
    assert 0 < row.share_source < 0.2 and 0 < row.share_target < 0.1
    # a table saved before 0.5.0 (no ``inserted`` column) is summarised alike
    pd.testing.assert_frame_equal(bt.reuse_summary(t.drop(columns="inserted"), bri_corpus), s)


def test_identical_documents_are_one_passage_of_similarity_one(bri_corpus):
    text = bri_corpus["bri27"].text
    t = bt.text_reuse(_corpus([text, text]))
    assert len(t) == 1
    r = t.iloc[0]
    assert r.similarity == 1.0 and r.passage_a == text.strip() == r.passage_b
    s = bt.reuse_summary(t, _corpus([text, text]))
    assert s.loc[0, "share_source"] == pytest.approx(len(text.strip()) / len(text))
    assert s.loc[0, "direction"] == "undated"


def test_edited_copy_is_found_as_one_passage():
    original = ("支持郑州航空港经济综合实验区建设，到2020年开通国际货运航线30条以上，"
                "构建“空中丝绸之路”——连接欧美亚的航空物流通道，年货邮吞吐量达到100万吨。")
    edited = ("支持郑州航空港经济综合实验区建设到2025年开通国际货运航线45条以上，"
              "构建“空中丝绸之路”-连接欧美亚、辐射全球的航空物流通道，年货邮吞吐量达到150万吨。")
    filler_a = "甘肃省加快建设敦煌国际文化旅游名城。" * 2
    filler_b = "广西北部湾经济区开放开发取得新成效。" * 2
    t = bt.text_reuse(_corpus([filler_a + original, edited + filler_b]))
    assert len(t) == 1
    r = t.iloc[0]
    assert r.passage_a.startswith("支持郑州航空港") and r.passage_a.endswith("万吨。")
    assert r.passage_b == edited and r.similarity > 0.9 and not r.formulaic


def test_formulaic_phrase_is_flagged_not_dropped():
    phrase = "以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的十九大精神"
    unique = ["推进中欧班列常态化运行，拓展至中亚五国和俄罗斯的货运线路。",
              "建设中国—东盟信息港，完善面向东盟的海底光缆和陆地光缆。",
              "发展跨境电子商务，设立海外仓和公共服务平台。",
              "加强与沿线国家的职业教育合作，共建鲁班工坊。",
              "推进国际产能合作，建设境外经贸合作区和产业园区。",
              "支持高校设立丝路奖学金，扩大留学生招生规模。"]
    texts = [u + phrase for u in unique]
    shared = "深化与哈萨克斯坦在农业和物流领域的务实合作，共建霍尔果斯国际边境合作中心。"
    # 50+ characters of the documents' own text between the shared passage and the phrase
    texts[0] = shared + unique[0] + "建设兰州新区综合保税区，发展临空经济和现代物流业。" + phrase
    texts[1] = shared + unique[1] + "建设泉州海上丝绸之路先行区，打造海丝文化交流中心。" + phrase
    t = bt.text_reuse(_corpus(texts), min_chars=20)
    # the phrase is in all 6 documents: reported for every pair (not dropped, as before
    # 0.5), as set phrasing in 6 documents; the shared sentence is a copy in 2
    assert len(set(zip(t.doc_a, t.doc_b))) == 15
    flags = {(p.rstrip("。"), f, k, d) for p, f, k, d in
             zip(t.passage_a, t.formulaic, t.kind, t.documents)}
    assert flags == {(phrase, True, "formulaic", 6), (shared.rstrip("。"), False, "copy", 2)}


def test_reference_traces_into_other_documents(bri_corpus):
    t = bt.text_reuse(bri_corpus, reference={"level": "national"})
    national = set(bri_corpus.subset(level="national").doc_ids)
    assert set(t.doc_a) <= national and not set(t.doc_b) & national
    assert t.attrs["reference"] == "{'level': 'national'}"
    other = bt.text_reuse(bri_corpus.subset(region="河南"),
                          reference=bri_corpus.subset(doc_id=["bri08"]))
    assert set(other.doc_a) == {"bri08"} and "bri13" in set(other.doc_b)


def test_bad_input_errors(bri_corpus):
    one = bri_corpus.subset(doc_id=["bri01"])
    with pytest.raises(ParameterError, match="at least 2 documents"):
        bt.text_reuse(one)
    with pytest.raises(MetadataError, match="reference=.*matches no document"):
        bt.text_reuse(bri_corpus, reference={"region": "西藏"})
    with pytest.raises(MetadataError, match="matches every document"):
        bt.text_reuse(one, reference={"doc_id": "bri01"})
    with pytest.raises(MetadataError, match="share doc_id"):
        bt.text_reuse(bri_corpus, reference=one)
    with pytest.raises(ParameterError, match="min_chars"):
        bt.text_reuse(bri_corpus, min_chars=0)
    with pytest.raises(ParameterError, match="max_df"):
        bt.text_reuse(bri_corpus, max_df=1.5)
    empty = bt.Corpus(pd.DataFrame({"doc_id": ["a", "b"], "text": ["一带一路建设", "  "]}))
    with pytest.raises(EmptyDocumentError, match=r"\['b'\]"):
        bt.text_reuse(empty)
    with pytest.raises(MetadataError, match="missing columns"):
        bt.reuse_summary(pd.DataFrame({"doc_a": []}), bri_corpus)


def test_short_or_unrelated_documents_give_an_empty_table():
    t = bt.text_reuse(_corpus(["一带一路", "海上丝绸之路"]))
    assert t.empty and list(t.columns) == REUSE_COLUMNS


@pytest.mark.press_seeds
def test_press_seed_quotes_the_vision_and_actions(seed_text, bri_corpus):
    from bri_text.cleaning import clean

    press = bt.Corpus(pd.DataFrame({"doc_id": ["press002"], "text": [clean(seed_text("002"))]}))
    t = bt.text_reuse(press, reference=bri_corpus, min_chars=20)
    assert (t.doc_b == "press002").all()


def test_plot_draws_both_documents(bri_corpus):
    import io
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    from bri_text import plot

    t = bt.text_reuse(bri_corpus.subset(region="陕西"), min_chars=20)
    ax = plot.text_reuse(t, bri_corpus)
    data = ax.figure.bri_data
    assert len(data) == len(t) and set(data.columns) >= {"start_a", "end_a", "start_b"}
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert any("西安" in x for x in labels) and any("陕西" in x for x in labels)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.savefig(io.BytesIO(), format="png", dpi=50)
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_template_pair_is_template_and_copied_passage_is_copy():
    # statistics paragraphs with one sentence frame and different figures, and a passage
    # copied with its punctuation changed (texts written for this test)
    stats_a = ("全年全省地区生产总值32765亿元，比上年增长5.6%；一般公共预算收入2981亿元，增长"
               "3.2%；货物进出口总额8734亿元，增长11.5%。")
    stats_b = ("全年全省地区生产总值2.15万亿元，比上年增长6.1%；一般公共预算收入1873亿元，增长"
               "4.4%；货物进出口总额5190亿元，增长9.8%。")
    copied = ("依托沿边重点开发开放试验区，建设面向周边国家的跨境产业合作园区，引导加工贸易企业"
              "向口岸城市集聚。")
    filler_a = "甘肃省加快建设敦煌国际文化旅游名城，办好丝绸之路国际文化博览会和敦煌行国际旅游节。"
    filler_b = "广西北部湾经济区开放开发取得新成效，钦州港集装箱吞吐量连续五年保持两位数增长。"
    a = stats_a + filler_a + copied
    b = stats_b + filler_b + copied.replace("，", "、", 1).rstrip("。")
    t = bt.text_reuse(_corpus([a, b]))
    kinds = {r.passage_a[:6]: (r.kind, r.figures_changed) for r in t.itertuples()}
    assert kinds == {"全年全省地区": ("template", True), "依托沿边重点": ("copy", False)}
    assert not t["formulaic"].any()


def test_formulaic_lexicon_works_where_document_frequency_cannot():
    # two documents only: no shingle is common to many documents, yet set political
    # phrasing and a list of responsible agencies are genre, not reuse
    formula = ("全面贯彻党的十八大和十八届三中、四中、五中全会精神，深入贯彻习近平总书记系列重要"
               "讲话精神，认真落实党中央、国务院决策部署。")
    agencies = "责任单位：省发展改革委、省商务厅、省财政厅、省交通运输厅、人民银行南昌中心支行。"
    shared = "建设赣州国际陆港，开行至中亚和欧洲的中欧班列，发展铁海联运和多式联运。"
    a = formula + "江西省推进内陆开放型经济试验区建设。" * 2 + agencies + "开放平台。" * 8
    b = formula + "湖南省加快建设中非经贸深度合作先行区。" * 2 + agencies + "对外通道。" * 8
    a, b = a + shared, b + shared
    t = bt.text_reuse(_corpus([a, b]))
    assert t.attrs["max_df_documents"] == 2          # document frequency cannot tell
    got = {r.passage_a[:4]: (r.formulaic, r.kind) for r in t.itertuples()}
    assert got["全面贯彻"] == (True, "formulaic") and got["责任单位"] == (True, "formulaic")
    assert got["建设赣州"] == (False, "copy")


def test_tracing_never_names_a_source_issued_after_its_target(bri_corpus):
    t = bt.text_reuse(bri_corpus, reference={"level": "national"})
    from bri_text.reuse import _date_bounds

    ids = bri_corpus.docs["doc_id"]
    low, high = (pd.Series(x, index=ids) for x in _date_bounds(bri_corpus.docs["date"]))
    date = low                          # the earliest day each date can mean ("2015": Jan 1)
    assert (low[t["doc_a"]].to_numpy() <= high[t["doc_b"]].to_numpy()).all()
    assert t.attrs["date"] == "date" and t.attrs["later_sources_skipped"] > 0
    undated = bt.text_reuse(bri_corpus, reference={"level": "national"}, date=None)
    later = date[undated["doc_a"]].to_numpy() > date[undated["doc_b"]].to_numpy()
    assert later.any()                 # without dates, later national texts are named
    s = bt.reuse_summary(t, bri_corpus)
    assert set(s["source"]) <= set(bri_corpus.subset(level="national").doc_ids)
    assert (s["dated_by"] == "date").all() and s.attrs["date"] == "date"
    lo_s, _ = _date_bounds(s["date_source"])
    _, hi_t = _date_bounds(s["date_target"])
    assert (lo_s <= hi_t).all()


def test_a_year_only_date_leaves_the_order_unknown():
    from bri_text.reuse import _date_bounds

    low, high = _date_bounds(["2015", "2015-08-19", None])
    assert str(low[0])[:10] == "2015-01-01" and str(high[0])[:10] == "2015-12-31"
    assert low[1] == high[1] and pd.isna(low[2])
    a = "推进丝绸之路经济带和二十一世纪海上丝绸之路建设，加强与沿线国家的互联互通和产能合作。" * 3
    corpus = bt.Corpus.from_dataframe(pd.DataFrame({
        "doc_id": ["x", "y"], "date": ["2015", "2015-08-19"],
        "text": ["甲省方案。" + a + "其余内容各不相同甲。", "乙省方案。" + a + "其余内容并不一样乙。"]}))
    s = bt.reuse_summary(bt.text_reuse(corpus, min_chars=20), corpus, formulaic=True)
    assert s["direction"].tolist() == ["order unknown"]


def test_formulaic_lexicon_file_is_valid_and_documented():
    from importlib import resources

    from bri_text._lexicons import load_formulaic

    f = load_formulaic()
    assert len(f) >= 20 and set(f["category"]) == {"political", "agency_list", "closing"}
    assert f["pattern"].str.contains("自治区").any()            # addressee lines
    readme = (resources.files("bri_text") / "lexicons" / "README.md").read_text(encoding="utf-8")
    assert "`formulaic.tsv`" in readme and f"{len(f)} patterns" in readme


def test_documents_column_counts_the_corpus_documents_holding_each_passage(bri_corpus,
                                                                          all_pairs):
    """Each passage says in how many of the 27 documents it occurs (as the report counts it);
    the addressee list of two 科技部 notices is set phrasing, and two plans citing the
    national 《愿景与行动》 share a citation, not a copy."""
    from bri_text.reuse import passage_document_counts

    t = all_pairs
    counts, _ = passage_document_counts(t["passage_a"], bri_corpus, 5, 0.5, 0.2)
    assert t["documents"].tolist() == counts
    assert (t["documents"] >= 2).all() and t["documents"].max() > 5
    # the long set phrases are in many documents, the rows the table calls copies in few
    assert t.loc[t.kind == "formulaic", "documents"].median() > \
        t.loc[t.kind == "copy", "documents"].median()
    addressee = t[t.passage_b.str.startswith("各省、自治区、直辖市及计划单列市科技厅")]
    assert addressee.kind.tolist() == ["formulaic"]
    cites = t[t.kind == "citation"]
    # the title alone, in 11 documents, is a citation too (before 0.5: "formulaic")
    assert {tuple(p) for p in cites[["doc_a", "doc_b"]].values} >= {("bri18", "bri20"),
                                                                 ("bri20", "bri23")}
    assert cites.passage_b.str.contains("愿景与行动》").all()
    texts = dict(zip(bri_corpus.doc_ids, bri_corpus.texts))
    assert sum("愿景与行动》" in x for x in texts.values()) == 5


def test_reuse_summary_leaves_out_shared_citations_unless_asked():
    # Fujian's and Gansu's plans (bri20, bri23) share only a sentence citing the national
    # 《愿景与行动》: no borrowing, so the pair is not summarised unless formulaic=True
    plans = bt.load_bri_policies()
    reuse = bt.text_reuse(plans)
    cited = reuse[reuse["kind"] == "citation"]
    assert {"bri20", "bri23"} <= set(cited["doc_a"]) | set(cited["doc_b"])
    assert cited["passage_b"].str.contains("《").all()
    pairs = {frozenset(p) for p in bt.reuse_summary(reuse, plans)[["source", "target"]].values}
    assert frozenset({"bri20", "bri23"}) not in pairs
    assert frozenset({"bri14", "bri24"}) in pairs                      # a copy stays
    everything = bt.reuse_summary(reuse, plans, formulaic=True)
    assert frozenset({"bri20", "bri23"}) in {frozenset(p) for p in
                                             everything[["source", "target"]].values}


#: the audit's planted sentence (s36, finding 4): a cold-chain train to Hamburg and
#: Duisburg, wording found nowhere in the built-in corpus
PLANTED = ("支持在阿拉山口口岸建设国际冷链物流分拨中心，开通至汉堡和杜伊斯堡的冷链班列，"
           "年内完成首批三十个冷链集装箱的试运行。")


def _planted(bri_corpus, n: int) -> bt.Corpus:
    """The plans with PLANTED at the end of national bri01 and in the middle of the first
    n provincial / municipal plans (as the audit planted it)."""
    docs = bri_corpus.docs.copy()
    nat = docs.index[docs.doc_id == "bri01"][0]
    docs.loc[nat, "text"] += "\n" + PLANTED
    plans = docs.index[(docs.level != "national") & (docs.kind == "plan")][:n]
    for i in plans:
        t = docs.loc[i, "text"]
        docs.loc[i, "text"] = t[:len(t) // 2] + "\n" + PLANTED + "\n" + t[len(t) // 2:]
    return bt.Corpus(docs)


@pytest.mark.parametrize("n", [3, 8])
def test_a_passage_copied_into_many_plans_is_reported_with_its_spread(bri_corpus, n):
    """Before 0.5 a passage in more than max_df (5) of the documents was never aligned:
    planted in 8 plans it was found in none. Now it is found in every one, with
    documents = n + 1; in more than 5 documents it is formulaic by frequency, kind
    "widespread" (not set phrasing: the lexicon does not know it)."""
    assert not any(PLANTED[:12] in t for t in bri_corpus.texts)
    corpus = _planted(bri_corpus, n)
    t = bt.text_reuse(corpus, reference={"level": "national"}, date=None)
    hit = t[t.passage_b.str.contains("冷链班列")]
    assert hit.doc_b.nunique() == n and set(hit.doc_a) == {"bri01"}
    assert (hit.documents == n + 1).all() and not hit.figures_changed.any()
    many = n + 1 > t.attrs["max_df_documents"]
    assert set(hit.kind) == ({"widespread"} if many else {"copy"})
    assert (hit.formulaic == many).all()
    def targets(summary):
        return set(summary.loc[summary.source == "bri01", "target"])

    # text common to many documents is no evidence of a pair's borrowing: left out of the
    # summary unless formulaic=True (bri01 shares nothing else with these plans)
    assert targets(bt.reuse_summary(t, corpus)) == (set() if many else set(hit.doc_b))
    assert targets(bt.reuse_summary(t, corpus, formulaic=True)) == set(hit.doc_b)


def test_the_initiatives_name_is_set_phrasing_whatever_max_df(bri_corpus):
    """The full name with its abbreviation defined, 丝绸之路经济带和21世纪海上丝绸之路
    （以下简称“一带一路”）, is in 11 of the 27 documents: traced from the national
    documents it is formulaic (the lexicon), never a copy, also with max_df=1.0."""
    for max_df in (0.2, 1.0):
        t = bt.text_reuse(bri_corpus, reference={"level": "national"}, max_df=max_df)
        name = t[t.passage_b.str.contains("以下简称“一带一路”")]
        assert len(name) >= 4 and set(name.doc_a) == {"bri11"}
        assert set(name.kind) == {"formulaic"} and name.formulaic.all()
        assert (name.documents == 11).all()
        assert not (t.kind == "copy").any()


def test_a_changed_target_figure_is_marked_not_hidden():
    """The audit's sentence with its target 1000亿美元 changed to 300亿美元 (s36, finding
    8): still a copy of similarity 1.0 (digit values are ignored), now figures_changed."""
    a = "到2020年，全省对沿线国家进出口总额达到1000亿美元，年均增长百分之十五以上，建成一批境外经贸合作区。"
    c = a.replace("1000亿", "300亿")
    pad = "本规划根据国家总体部署制定，明确了我省参与建设的总体思路和重点任务。"
    t = bt.text_reuse(_corpus([pad + a + pad[::-1], "前言部分说明背景情况。" + c + "结尾部分另有安排。",
                               "前言部分说明背景情况。" + a + "结尾部分另有安排。"]), min_chars=20)
    row = t[(t.doc_a == "d0") & (t.doc_b == "d1")].iloc[0]
    assert (row.kind, row.similarity, row.figures_changed) == ("copy", 1.0, True)
    same = t[(t.doc_a == "d0") & (t.doc_b == "d2")].iloc[0]
    assert (same.kind, same.figures_changed) == ("copy", False)


def test_inserted_shows_local_words_inside_a_copied_passage():
    # the digital-government fixture's central clause (五), and a local version inserting its
    # own words in the middle (14 characters) and changing 2 (全国 is not in it: 围绕 ... 领域)
    from pathlib import Path

    central = (Path(__file__).parent / "data" / "diffusion_digital_gov" / "central.txt") \
        .read_text(encoding="utf-8")
    clause = next(x for x in central.splitlines() if x.startswith("（五）"))
    cut = clause.index("梳理形成")
    words = "面向粤港澳大湾区和东盟国家"
    local = "（三）" + clause[3:cut] + words + clause[cut:]
    c = _corpus([central, "广东省实施方案\n" + local])
    t = bt.text_reuse(c, reference=c.docs.doc_id == "d0")
    row = t.iloc[0]
    assert len(t) == 1 and row.start_b <= c.texts[1].index(local) + 3          # one passage
    assert row.end_b == len(c.texts[1])                                       # whole clause
    assert row.inserted == words and t.attrs["min_inserted"] == 4
    assert 0.8 <= row.similarity < 1
    # a 2-character insertion (本省) is an edit, not shown; min_inserted=2 shows it
    short = "（三）" + clause[3:cut] + "本省" + clause[cut:]
    c2 = _corpus([central, short])
    assert bt.text_reuse(c2, reference=c2.docs.doc_id == "d0").inserted.tolist() == [""]
    assert bt.text_reuse(c2, reference=c2.docs.doc_id == "d0",
                         min_inserted=2).inserted.tolist() == ["本省"]
    with pytest.raises(ParameterError, match="min_inserted"):
        bt.text_reuse(c2, min_inserted=0)


def test_deleted_shows_source_words_a_copied_passage_left_out():
    """s42: the converse of ``inserted``. The digital-government fixture's central clause
    (五) in a local version that leaves out 代收代办、 (of 建立代收代办、多地联办的工作协同机制)
    and 户籍、: one passage; ``deleted`` shows the source's 4 characters 代收代办 (without
    its 、), not the 2 of 户籍 (under ``min_inserted``, as for ``inserted``), and nothing
    is inserted."""
    from pathlib import Path

    central = (Path(__file__).parent / "data" / "diffusion_digital_gov" / "central.txt") \
        .read_text(encoding="utf-8")
    clause = next(x for x in central.splitlines() if x.startswith("（五）"))
    assert "建立代收代办、多地联办的工作协同机制" in clause and "户籍、" in clause
    local = "（三）" + clause[3:].replace("代收代办、", "").replace("户籍、", "")
    c = _corpus([central, "广东省实施方案\n" + local])
    t = bt.text_reuse(c, reference=c.docs.doc_id == "d0")
    assert len(t) == 1
    row = t.iloc[0]
    assert (row.deleted, row.inserted) == ("代收代办", "")
    assert row.deleted in row.passage_a and row.deleted not in row.passage_b
    assert 0.9 <= row.similarity < 1
    assert bt.text_reuse(c, reference=c.docs.doc_id == "d0",
                         min_inserted=2).deleted.tolist() == ["户籍 | 代收代办"]


def test_the_table_records_the_fingerprint_of_the_texts_it_was_made_from(bri_corpus):
    shaanxi = bri_corpus.subset(region="陕西")           # bri21 (Xi'an), bri27 (Shaanxi)
    t = bt.text_reuse(shaanxi, min_chars=20)
    assert t.attrs["corpus_fingerprint"] == shaanxi.fingerprint
    assert t.attrs["corpus_fingerprint"] == bt.manifest(shaanxi)["corpus"]["fingerprint"]
    assert t.attrs["reference_fingerprint"] is None
    # one character of bri27 changed: another fingerprint (the passages may stay the same)
    docs = shaanxi.docs.copy()
    i = docs.index[docs["doc_id"] == "bri27"][0]
    docs.loc[i, "text"] = docs.loc[i, "text"].replace("丝绸之路", "丝路", 1)
    edited = bt.Corpus(docs)
    assert edited.texts != shaanxi.texts
    assert bt.text_reuse(edited, min_chars=20).attrs["corpus_fingerprint"] == \
        edited.fingerprint != shaanxi.fingerprint
    # a reference Corpus is recorded by its own fingerprint; the summary carries both on
    ref, rest = shaanxi.subset(doc_id=["bri27"]), shaanxi.subset(doc_id=["bri21"])
    traced = bt.text_reuse(rest, reference=ref, min_chars=20)
    assert (traced.attrs["corpus_fingerprint"], traced.attrs["reference_fingerprint"]) == \
        (rest.fingerprint, ref.fingerprint)
    s = bt.reuse_summary(traced, rest, ref)
    assert (s.attrs["corpus_fingerprint"], s.attrs["reference_fingerprint"]) == \
        (rest.fingerprint, ref.fingerprint)
