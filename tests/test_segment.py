"""Tests of bri_text.segment on the real documents, on both engines."""
from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bri_text
from bri_text.errors import InputError, MetadataError, ParameterError
from bri_text.segment import Tokenizer, Tokens, fold_variants, tokenize, tokenize_stream

from support import DATA, SEEDS, compendium_text, press_fixture

ENGINES = ["rjieba", "jieba"]

needs_seeds = pytest.mark.press_seeds


def seed(prefix: str) -> str:
    """Our own fixture with the artefacts of press seed ``prefix`` (always available)."""
    return press_fixture(prefix).read_text(encoding="utf-8")


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param


@pytest.fixture(scope="module")
def policies():
    return bri_text.load_bri_policies()


def token_at(tok: Tokenizer, text: str, term: str) -> bool:
    """True when ``term`` (first occurrence) is exactly one piece of ``tok.segment(text)``."""
    i = text.index(term)
    return any(s == i and e == i + len(term) for _, s, e in tok.segment(text))


# ---------------------------------------------------------------- domain terms

def test_seed_003_corridor_is_one_token(engine):
    text = seed("003")
    sentence = next(line.strip() for line in text.splitlines()
                    if line.strip().startswith("西部陆海新通道连接"))
    tok = Tokenizer(engine=engine)
    words = tok(sentence)
    assert words[0] == "西部陆海新通道"
    assert "丝绸之路经济带" in words and "21世纪海上丝绸之路" in words
    # the same sentence without the lexicon cuts the corridor apart
    bare = Tokenizer(engine=engine, lexicon=False)(sentence)
    assert "西部陆海新通道" not in bare and "西部" in bare


def test_quoted_initiative_and_dash_variants(engine, policies):
    tok = Tokenizer(engine=engine)
    text = policies.docs.set_index("doc_id").loc["bri18", "text"]
    # bri18 (Guangxi) writes 中国—东盟 56 times and “一带一路” 22 times
    tokens = tok(text)
    assert tokens.count("一带一路") >= 22
    assert "“一带一路”" not in tokens and "“" not in tokens
    for variant in ("中国—东盟自由贸易区", "中国-东盟自由贸易区", "中国－东盟自由贸易区",
                    "中国–东盟自由贸易区", "中国―东盟自由贸易区"):
        sentence = f"加快建设{variant}升级版。"
        words = tok(sentence)
        assert "中国—东盟自由贸易区升级版" in words, (variant, words)
        # the span points at the characters as written
        assert (variant + "升级版", 4, 4 + len(variant) + 3) in tok.segment(sentence)
    assert tok("中国-东盟博览会在南宁举办")[:1] == ["中国—东盟博览会"]


def test_call_path_joins_dashes_as_the_batch_path(engine, policies):
    """``tok(p)`` (what scikit-learn calls) joins dash compounds itself; it gives what
    ``tokenize`` gives on every paragraph with a dash (91 of the plans' 1,498)."""
    tok = Tokenizer(engine=engine)
    paras = [p for p in policies.reshape("paragraph").texts if "—" in fold_variants(p)]
    assert len(paras) >= 80
    assert [tok(p) for p in paras] == tokenize(paras, tok, cache=False).tokens
    joined = [t for p in paras for t in tok(p) if "—" in t]
    assert joined.count("中国—东盟") >= 10 and "中国—东盟博览会" in joined
    # 破折号 (——) never joins; three pieces with two dashes become one
    assert tok("中国—中亚—西亚经济走廊——合作") == tokenize(["中国—中亚—西亚经济走廊——合作"],
                                                            tok, cache=False).tokens[0]
    assert "中国—中亚—西亚经济走廊" in tok("建设中国—中亚—西亚经济走廊——合作")


def test_fullwidth_letters_and_digits_fold(engine):
    tok = Tokenizer(engine=engine, keep_numbers=True, stopwords=None)
    assert tok("ＲＣＥＰ生效") == ["RCEP", "生效"]
    assert tok("２０２２年") == ["2022", "年"]
    assert fold_variants("（一）") == "（一）"  # Chinese punctuation stays full-width


def test_synonym_folding_is_optional(engine, policies):
    text = policies.docs.set_index("doc_id").loc["bri09", "text"]
    plain = Tokenizer(engine=engine)(text)
    folded = Tokenizer(engine=engine, fold_synonyms=True)(text)
    assert "亚洲基础设施投资银行" in plain  # one token either way
    assert "亚洲基础设施投资银行" not in folded
    assert folded.count("亚投行") == plain.count("亚投行") + plain.count("亚洲基础设施投资银行")


def test_user_synonyms_imply_folding(engine, tmp_path):
    f = tmp_path / "syn.tsv"
    f.write_text("variant\tcanonical\n陆海新通道\t西部陆海新通道\n", encoding="utf-8")
    tok = Tokenizer(engine=engine, synonyms=f)
    assert tok.config["fold_synonyms"] is True
    assert tok("陆海新通道建设")[0] == "西部陆海新通道"
    assert Tokenizer(engine=engine, synonyms={"丝路基金": "丝路基金公司"})("丝路基金") == \
        ["丝路基金公司"]


# ---------------------------------------------------------------- lexicon coverage

@pytest.mark.parametrize("engine_name", ENGINES)
def test_every_lexicon_entry_is_one_token_in_real_sentences(engine_name):
    from bri_text._lexicons import load_lexicon

    text = seed("003")
    # sentences of the seed-003-like article that mention the corridor; the corridor's place
    # is where each lexicon entry goes
    body = "".join(line.strip() for line in text.splitlines() if line.startswith("  "))
    sentences = [s for s in re.split(r"(?<=[。；])", re.sub(r"\s+", "", body))
                 if "西部陆海新通道" in s and 20 < len(s) < 200][:4]
    assert len(sentences) == 4
    terms = load_lexicon()["term"].tolist()
    assert len(terms) >= 400
    folded = {fold_variants(t) for t in terms}
    tok = Tokenizer(engine=engine_name)
    failures = []
    for term in terms:
        for sentence in sentences:
            s = sentence.replace("西部陆海新通道", term, 1)
            i = s.index(term)
            pieces = tok.segment(s)
            if any(a == i and b == i + len(term) for _, a, b in pieces):
                continue
            # acceptable: the term loses to a longer lexicon entry formed with its context
            # (一带一路 + 建设 -> the entry 一带一路建设; 共建一带一路 + 国际合作 -> 共建 /
            # 一带一路国际合作)
            over = [fold_variants(w) for w, a, b in pieces
                    if a < i + len(term) and b > i and (a < i or b > i + len(term))]
            if any(w in folded and len(w) > len(term) for w in over):
                continue
            failures.append((term, s[max(0, i - 4):i + len(term) + 4],
                             [w for w, a, b in pieces if b > i and a < i + len(term)]))
    assert failures == []


# ---------------------------------------------------------------- lossless, offsets

def _lossless_texts():
    yield "compendium_001", compendium_text()
    for path in sorted(DATA.glob("*.txt")):
        yield path.name, path.read_text(encoding="utf-8")


def test_fixtures_lossless_and_spans(engine):
    _check_lossless(engine, _lossless_texts())


@needs_seeds
def test_seeds_lossless_and_spans(engine):
    _check_lossless(engine, ((p.name, p.read_text(encoding="utf-8"))
                             for p in sorted(SEEDS.glob("00[0234]_*.txt"))))


def _check_lossless(engine, named_texts):
    tok = Tokenizer(engine=engine)
    for name, text in named_texts:
        pieces = tok.segment(text)
        assert "".join(w for w, _, _ in pieces) == text, name
        t = tokenize([text], tok, cache=False)
        view = fold_variants(text)
        for w, (s, e) in zip(t.tokens[0], t.spans[0]):
            assert view[s:e] == w or w in tok._get_state().res.synonyms.values()


def test_property_lossless_any_unicode(engine):
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    tok = Tokenizer(engine=engine, keep_punctuation=True, keep_numbers=True)
    cjk = st.sampled_from(list("一带一路中国东盟西部陆海新通道—-－–“”。，\n\r 　😀é\u0301\ue000"))
    text_st = st.lists(st.one_of(st.text(max_size=5), cjk,
                                 st.sampled_from(["\ud800", "\udfff", "中国-东盟", "ＲＣＥＰ"])),
                       max_size=30).map("".join)

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(text_st)
    def check(text):
        pieces = tok.segment(text)
        assert "".join(w for w, _, _ in pieces) == text
        assert all(e > s for _, s, e in pieces)
        tokens = tokenize([text, text], tok, cache=False)
        assert tokens.tokens[0] == tokens.tokens[1] == tok(text)
        view = fold_variants(text)
        for w, (s, e) in zip(tokens.tokens[0], tokens.spans[0].tolist()):
            assert view[s:e] == w
            assert not w.isspace()

    check()


def test_bad_unicode_and_empty(engine):
    tok = Tokenizer(engine=engine)
    assert tok("") == []
    assert tok.segment("") == []
    assert tok("hello world") == ["hello", "world"]
    assert tok("\ud800一带一路\udfff") == ["一带一路"]
    assert tok.segment("a\ud800b") == [("a", 0, 1), ("\ud800", 1, 2), ("b", 2, 3)]
    t = tokenize(["", "😀一带一路\u0301", "\ue000中欧班列"], tok, cache=False)
    assert t.tokens == [[], ["一带一路"], ["中欧班列"]]
    assert t.spans[1].tolist() == [[1, 5]] and t.spans[2].tolist() == [[1, 5]]


def test_long_document_is_cut_without_changing_tokens(engine):
    tok = Tokenizer(engine=engine)
    para = "加快建设西部陆海新通道，推动中欧班列高质量发展。"
    text = para * 20_000  # 480,000 characters in one document, no line breaks
    t = tokenize([text], tok, cache=False)
    assert len(t.tokens[0]) == 20_000 * len(tok(para))
    assert t.tokens[0][-len(tok(para)):] == tok(para)
    assert t.tokens[0][-1] == "高质量发展"                        # lexicons/policy_terms.tsv
    assert t.spans[0][-1].tolist() == [len(text) - 6, len(text) - 1]


# ---------------------------------------------------------------- options

def test_pos_filter(engine, policies):
    tok = Tokenizer(engine=engine, pos={"ns"})
    text = policies.docs.set_index("doc_id").loc["bri18", "text"]
    words = tok(text)
    assert "广西" in words and "南宁" in words and "中国" in words
    assert "推进" not in words and "建设" not in words and "港口" not in words
    assert Tokenizer(engine=engine, pos={"n*", "v"}).tag("扩大港口") == [("扩大", "v"),
                                                                       ("港口", "n")]
    assert Tokenizer(engine=engine, pos={"v"})("建设港口") == []  # 建设 is vn, not v
    # lexicon terms carry the tag of their category
    assert Tokenizer(engine=engine, pos={"ns"})("经老挝到达曼谷") == ["老挝", "曼谷"]


def test_filters_are_options(engine):
    text = "2018年，我们与RCEP成员推进合作。"
    assert Tokenizer(engine=engine)(text) == ["RCEP", "成员", "推进", "合作"]
    assert Tokenizer(engine=engine, stopwords=("general", "policy"))(text) == \
        ["RCEP", "成员", "合作"]
    assert Tokenizer(engine=engine, keep_numbers=True, keep_latin=False)(text) == \
        ["2018", "成员", "推进", "合作"]
    assert Tokenizer(engine=engine, stopwords=None, keep_punctuation=True)(text) == \
        ["年", "，", "我们", "与", "RCEP", "成员", "推进", "合作", "。"]
    assert Tokenizer(engine=engine, stopwords=None, min_length=2)(text) == \
        ["我们", "RCEP", "成员", "推进", "合作"]
    assert Tokenizer(engine=engine, stopwords={"合作"})(text)[-1] == "推进"
    # dates: rjieba keeps 2018-1-10 whole, jieba cuts it; a number either way
    pieces = [w for w, _, _ in Tokenizer(engine=engine).segment("2018-1-10发布")]
    assert pieces == (["2018-1-10", "发布"] if engine == "rjieba"
                      else ["2018", "-", "1", "-", "10", "发布"])
    assert Tokenizer(engine=engine)("2018-1-10发布") == ["发布"]


def test_negations_stay_with_the_word_they_negate(engine):
    """The general stopwords remove 不, 非, 尚未 ...; dropped alone they would turn a word
    into its opposite (不平衡 -> 平衡, 最不发达国家 -> 发达国家). They are joined to the word
    after them; the spans cover both; a stopword after a negation is dropped with it."""
    tok = Tokenizer(engine=engine)
    text = "解决发展不平衡不充分问题，支持最不发达国家，保护非物质文化遗产，我们不称霸，尚未形成，不是"
    assert tok(text) == ["解决", "发展", "不平衡", "不充分", "问题", "支持", "不发达国家", "保护",
                         "非物质文化遗产", "不称霸", "尚未形成"]     # a term of policy_terms.tsv
    assert tokenize([text], tokenizer=tok).tokens[0] == tok(text)     # batch path = call path
    # never across texts or line breaks; the span covers the negation
    assert tokenize(["发展不", "平衡"], tokenizer=tok, cache=False).tokens == [["发展"], ["平衡"]]
    assert tok("发展不\n平衡") == ["发展", "平衡"]
    joined = tokenize(["解决不平衡问题"], tokenizer=tok, cache=False)
    assert joined.spans[0].tolist() == [[0, 2], [2, 5], [5, 7]]
    old = Tokenizer(engine=engine, join_negation=False)(text)
    assert old[:6] == ["解决", "发展", "平衡", "充分", "问题", "支持"] and "称霸" in old
    # not a filter of its own: kept negations (stopwords=None) stay separate, and the
    # lossless segment() is unchanged
    assert Tokenizer(engine=engine, stopwords=None)("不平衡")[:1] == ["不"]
    assert [w for w, _, _ in tok.segment("不称霸")] == ["不", "称霸"]


def test_fei_bu_ke_is_must_not_a_negation(engine):
    """非 X 不可 (非…不行, 非…不成) means "must X": its 非 is not joined to X (非做好不可 gives
    做好 不可). A 不可 that does not end the clause keeps the negation (非成员国不可参加:
    "non-members may not take part"); every path (call, batch, tagging) agrees."""
    tok = Tokenizer(engine=engine)
    must = {"这项改革非做好不可。": ["这项", "改革", "做好", "不可"],
            "我们非继续发扬不可，否则不行": ["继续发扬", "不可", "不行"],
            "非改革不可的时候到了": ["改革", "不可"],
            "今天非下雨不成": ["今天", "下雨", "不成"],
            "非东盟国家不行": ["东盟国家", "不行"]}
    for text, want in must.items():
        assert tok(text) == want
        assert tokenize([text], tokenizer=tok, cache=False).tokens[0] == want
    assert tok("非成员国不可参加") == ["非成员国", "不可", "参加"]
    assert tok("保护非物质文化遗产") == ["保护", "非物质文化遗产"]     # one term, not 非 + X
    assert tok("发展非物质生产部门") == ["发展", "非物质", "生产", "部门"]
    assert Tokenizer(engine=engine, pos=["v", "vn", "n"])("非改革不可。") == ["改革", "不可"]
    # the clause ends at punctuation: a 不可 in the next clause does not count
    assert tok("非改革，不可") == ["非改革", "不可"]


def test_a_negated_name_is_its_own_token_everywhere(policies):
    """One rule for a negated name: Henan's plans say 海关 five times, once in
    非海关特殊监管区域 (tokens 非海关 特殊 监管 区域, "areas outside customs supervision").
    With the default join_negation=True 非海关 is a token of its own and no mention of 海关
    in the profile, in the matrix's counts (nested included) or in frequencies(terms=); with
    join_negation=False the 非 is dropped and all five count, again everywhere."""
    henan = policies.subset(region="河南")
    text = "".join(henan.docs.text)
    assert text.count("海关") == 5 and text.count("非海关") == 1
    for join, want in ((True, 4), (False, 5)):
        tokens = tokenize(henan, tokenizer=Tokenizer(join_negation=join))
        assert ("非海关" in {w for d in tokens.tokens for w in d}) is join
        assert bri_text.profile(tokens, {"customs": ["海关"]}, by="region")["count"].tolist() \
            == [want]
        f = bri_text.frequencies(bri_text.dtm(tokens)).set_index("term")
        assert f.loc["海关", "count"] == want and f.loc["海关", "nested"] == 0
        named = bri_text.frequencies(tokens, terms=["海关"])
        assert named["count"].tolist() == [want]


def test_a_negated_place_is_no_mention_for_orientation():
    """非东盟国家 (non-ASEAN countries) is no mention of ASEAN; 东盟国家 and 东盟 inside
    中国—东盟博览会 are. Profile, orientation and the matrix count the same mentions from the
    same tokens, with either join_negation."""
    texts = ["欢迎非东盟国家参与合作，东盟国家是重要伙伴。", "中国—东盟博览会吸引非东盟企业。",
             "深化与东盟合作，非东盟成员也可参加。"]
    for join, per_doc in ((True, [1, 1, 1]), (False, [2, 2, 2])):
        tokens = tokenize(texts, tokenizer=Tokenizer(join_negation=join), cache=False)
        assert bri_text.profile(tokens, {"asean": ["东盟"]})["count"].tolist() == per_doc
        ori = bri_text.orientation(tokens, min_mentions=1).query("world_region == '东南亚'")
        assert ori["count"].tolist() == per_doc
        f = bri_text.frequencies(bri_text.dtm(tokens)).set_index("term")
        assert f.loc["东盟", "count"] == sum(per_doc)


def test_negations_on_the_work_reports():
    """The work reports (counts a reader can check with str.count): 不平衡 is a token 44
    times and 平衡 no longer counts them; every 非物质文化遗产 (12) is one token (a term of
    lexicons/policy_terms.tsv), never 物质; of 13 mentions of 称霸, 11 are 不称霸 and at most 2 are counted as 称霸. The
    number of tokens is the same with and without joining (a joined pair was one token)."""
    import collections

    reports = bri_text.load_work_reports()
    text = "".join(reports.docs.text)
    new = tokenize(reports)
    old = tokenize(reports, tokenizer=Tokenizer(join_negation=False))
    assert new.n_tokens.equals(old.n_tokens)            # per document
    c_new = collections.Counter(w for d in new.tokens for w in d)
    c_old = collections.Counter(w for d in old.tokens for w in d)
    assert text.count("非物质文化遗产") == 12 == c_new["非物质文化遗产"] == c_old["非物质文化遗产"]
    assert c_new["物质"] == c_old["物质"]
    assert c_new["不平衡"] == 44 and c_old["平衡"] - c_new["平衡"] == 45
    assert text.count("称霸") == 13 and text.count("不称霸") == 11
    assert c_new["称霸"] <= 2 < c_old["称霸"]
    # 非…不可 is "must": 非改革不可, 非做好不可, 非占用耕地不可, 非解决不可的时候 are not
    # negations, so no 非改革 or 非解决 token; 非公有制 (57) still is one
    for phrase in ("非做不可", "非做好不可", "非占用耕地不可", "非改革不可", "非解决不可的"):
        assert text.count(phrase) == 1
    assert not {"非做", "非做好", "非占用", "非改革", "非解决"} & set(c_new)
    assert c_new["占用"] == c_old["占用"]
    assert c_new["非公有制"] + c_new["非公有制经济"] == 57 == text.count("非公有制")
    # the per-text path (what scikit-learn calls) gives the same tokens as tokenize
    tok = Tokenizer()
    paragraphs = [p for t in reports.docs.text[:10] for p in t.split("\n") if "不" in p]
    assert all(tok(p) == tokenize([p], tokenizer=tok, cache=False).tokens[0]
               for p in paragraphs)


def test_search_mode(engine):
    words = Tokenizer(engine=engine, mode="search")("丝绸之路经济带")
    assert words[-1] == "丝绸之路经济带" and "丝绸" in words and "经济带" in words


def test_stopword_and_user_dict_files(engine, tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_text("成员\n", encoding="utf-8")
    assert Tokenizer(engine=engine, stopwords=("general", stop))("成员合作") == ["合作"]
    udict = tmp_path / "words.txt"
    udict.write_text("陆海联运枢纽 10 logistics\n", encoding="utf-8")
    with_dict = Tokenizer(engine=engine, user_dict=udict)
    assert "陆海联运枢纽" in with_dict("建设陆海联运枢纽")
    # no leak into a tokenizer without it, nor into jieba's global tokenizer
    assert "陆海联运枢纽" not in Tokenizer(engine=engine)("建设陆海联运枢纽")
    import jieba

    assert "陆海联运枢纽" not in jieba.lcut("建设陆海联运枢纽")
    assert "西部陆海新通道" not in jieba.lcut("建设西部陆海新通道")


def test_word_lists_saved_as_gbk_take_effect(engine, policies, tmp_path):
    """Notepad / Excel on Chinese Windows save GBK: stopword, synonyms and lexicon files are
    read as user_dict files are (UTF-8, else GB18030; never Big5, as which 丝路基金 in GBK
    bytes also reads: 佪繚價踢)."""
    text = policies.docs.set_index("doc_id").loc["bri09", "text"]
    plain = Tokenizer(engine=engine)(text)
    assert plain.count("丝路基金") == 1 and plain.count("亚洲基础设施投资银行") == 1
    stop = tmp_path / "stop.txt"
    stop.write_bytes("丝路基金\n".encode("gbk"))
    assert "丝路基金".encode("gbk").decode("big5") == "佪繚價踢"
    dropped = Tokenizer(engine=engine, stopwords=("general", stop))(text)
    assert "丝路基金" not in dropped and len(dropped) == len(plain) - 1
    syn = tmp_path / "syn.tsv"  # the user's direction: the full name is the canonical one
    syn.write_bytes("亚投行\t亚洲基础设施投资银行\n陆海新通道\t西部陆海新通道\n".encode("gbk"))
    folded = Tokenizer(engine=engine, synonyms=syn)
    assert folded("陆海新通道建设")[0] == "西部陆海新通道"
    assert folded("亚投行成立") == ["亚洲基础设施投资银行", "成立"]
    assert folded(text).count("亚洲基础设施投资银行") == 1 and "亚投行" not in folded(text)
    lex = tmp_path / "lex.txt"
    lex.write_bytes("陆海联运枢纽 10 logistics\n".encode("gbk"))
    assert "陆海联运枢纽" in Tokenizer(engine=engine, lexicon=lex)("建设陆海联运枢纽")
    # neither UTF-8 nor GBK: an error naming the file
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x80\x80\x80\n")
    with pytest.raises(bri_text.errors.EncodingError, match="bad.txt.*neither UTF-8 nor GBK"):
        Tokenizer(engine=engine, stopwords=bad)("合作")


def test_an_edited_stopword_file_is_read_again(tmp_path):
    # audit s38 item 3: a new Tokenizer(stopwords=path) in the same process used the words
    # the file held when it was first read (the resources were keyed by the path alone)
    stop = tmp_path / "stop.txt"
    stop.write_text("成员\n", encoding="utf-8")
    tokens = tokenize(["成员加强合作"], tokenizer=Tokenizer(stopwords=stop), cache=False)
    assert tokens.tokens[0] == ["加强", "合作"]
    before = Tokenizer(stopwords=stop).config["resources"]
    stop.write_text("成员\n合作\n", encoding="utf-8")
    after = Tokenizer(stopwords=stop)
    assert after("成员加强合作") == ["加强"]
    assert after.config["resources"] != before
    again = tokenize(["成员加强合作"], tokenizer=Tokenizer(stopwords=stop))
    assert again.tokens[0] == ["加强"] and again.fingerprint != tokens.fingerprint


@pytest.mark.parametrize("kwargs, name", [
    ({"engine": "hanlp"}, "engine"), ({"mode": "fast"}, "mode"), ({"hmm": "yes"}, "hmm"),
    ({"min_length": 0}, "min_length"), ({"pos": "n"}, "pos"), ({"pos": set()}, "pos"),
    ({"stopwords": "policies"}, "stopwords"), ({"lexicon": 3}, "lexicon"),
    ({"keep_numbers": None}, "keep_numbers"), ({"pos": {"n"}, "mode": "search"}, "pos"),
    ({"fold_synonyms": "yes"}, "fold_synonyms"),
])
def test_bad_parameters_name_themselves(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        Tokenizer(**kwargs)


def test_bad_inputs():
    with pytest.raises(InputError, match="does not exist"):
        Tokenizer(user_dict="/nonexistent/words.txt")
    with pytest.raises(InputError, match=r"texts\[1\]"):
        tokenize(["一带一路", 3])
    with pytest.raises(ParameterError, match="iterable of str, got int"):
        tokenize(5)
    with pytest.raises(MetadataError, match="'text' column"):
        tokenize(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(ParameterError, match="n_jobs"):
        tokenize(["x"], n_jobs=0)
    with pytest.raises(ParameterError, match="cache"):
        tokenize(["x"], cache="sometimes")
    with pytest.raises(ParameterError, match="not both"):
        tokenize(["x"], Tokenizer(), min_length=2)


# ---------------------------------------------------------------- Tokens object

def test_tokens_on_corpus_aligns_with_metadata(policies):
    t = tokenize(policies)
    assert isinstance(t, Tokens) and len(t) == 27
    assert t.doc_ids == [f"bri{i:02d}" for i in range(1, 28)]
    assert t.docs.loc[17, "region"] == "广西" and "中国—东盟" in t[17]
    assert t["bri18"] is t.tokens[17]
    gx = t.subset(region="广西")
    assert gx.doc_ids == ["bri18"] and gx.tokens[0] is t.tokens[17]
    assert t.subset(t.docs["region"] == "广西", year=[2015, 2016]).doc_ids == ["bri18"]
    assert t.n_tokens["bri18"] == len(t.tokens[17])
    assert t.config["engine"] == "rjieba" and t.config["lexicon_size"] >= 400
    assert len(t.fingerprint) == 16
    assert t.fingerprint == tokenize(policies).fingerprint
    assert t.fingerprint != tokenize(policies, stopwords="all").fingerprint


def test_reshape_matches_tokenizing_paragraphs(engine, policies):
    tok = Tokenizer(engine=engine)
    corpus = policies.subset(region=["广西", "甘肃"])
    by_doc = tokenize(corpus, tok).reshape("paragraph")
    direct = tokenize(corpus.reshape("paragraph"), tok)
    assert by_doc.doc_ids == direct.doc_ids
    assert by_doc.tokens == direct.tokens
    assert all((a == b).all() for a, b in zip(by_doc.spans, direct.spans))
    assert by_doc.docs["parent_id"].tolist() == direct.docs["parent_id"].tolist()
    assert by_doc.docs["start"].tolist() == direct.docs["start"].tolist()
    sent = tokenize(corpus, tok).reshape("sentence")
    assert sent.doc_ids[0].endswith("#s0") and set(sent.docs["region"]) == {"广西", "甘肃"}
    assert sum(map(len, sent.tokens)) == sum(map(len, by_doc.tokens))


# ---------------------------------------------------------------- Tokens.drop_words

def test_drop_words_counts_what_it_takes_out_and_says_so(policies):
    """Session 44: words dropped from made tokens, no second segmentation. Every token
    equal to a dropped word goes, with its span, and is counted: 广西 is 51 tokens of
    Guangxi's plan (bri18), 我省 6 of Gansu's (bri23)."""
    t = tokenize(policies.subset(region=["广西", "甘肃"]),
                 Tokenizer(stopwords=("general", "policy"), min_length=2))
    out = t.drop_words({"广西", "甘肃", "我省"})
    counts = {w: [tok.count(w) for tok in t.tokens] for w in ("广西", "甘肃", "我省")}
    table = out.dropped.set_index("word")
    assert table["count"].to_dict() == {w: sum(c) for w, c in counts.items() if sum(c)}
    assert table["units"].to_dict() == {w: sum(map(bool, c)) for w, c in counts.items()
                                        if sum(c)}
    assert table.loc["广西", "count"] == 51 and table.loc["我省", "count"] == 6
    assert out.n_tokens.sum() == t.n_tokens.sum() - table["count"].sum()
    for toks, spans, text in zip(out.tokens, out.spans, out.docs["text"]):
        assert not {"广西", "甘肃", "我省"} & set(toks) and len(spans) == len(toks)
        assert all(fold_variants(text[a:b]) == w for w, (a, b) in zip(toks, spans.tolist()))
    # the rest in order: the input's tokens less the dropped ones
    assert out.tokens == [[w for w in toks if w not in {"广西", "甘肃", "我省"}]
                          for toks in t.tokens]
    # the record: the words asked for, the input unchanged; subset and reshape keep both
    assert out.config["drop_words"] == [["广西", "我省", "甘肃"]]
    assert "drop_words" not in t.config and t.dropped.empty
    assert t.n_tokens.sum() == sum(map(len, t.tokens)) > out.n_tokens.sum()
    gx = out.subset(region="广西")
    assert gx.config == out.config and gx.dropped.equals(out.dropped)
    assert out.reshape("paragraph").dropped.equals(out.dropped)
    # a second drop adds its entry, its counts, and changes the print again
    again = out.drop_words({"合作"})
    assert again.config["drop_words"] == [["广西", "我省", "甘肃"], ["合作"]]
    assert again.dropped["word"].tolist()[-1] == "合作"
    assert again.dropped.iloc[-1]["count"] == sum(tok.count("合作") for tok in t.tokens)
    assert len({t.fingerprint, out.fingerprint, again.fingerprint}) == 3


def test_drop_words_fingerprint_is_the_same_in_another_process(policies):
    """The same tokens and words give the same print in a fresh interpreter whatever the
    order of the set (string hashing differs between processes); other words another."""
    t = tokenize(policies.subset(region="广西"))
    fp = t.drop_words({"广西", "全区", "自治区"}).fingerprint
    assert fp != t.fingerprint != t.drop_words({"广西"}).fingerprint != fp
    code = ("import bri_text as bt; t = bt.tokenize(bt.load_bri_policies().subset("
            "region='广西'), progress=False); "
            "print(t.drop_words({'自治区', '全区', '广西'}).fingerprint)")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root, env=env)
    assert out.stdout.strip() == fp


def test_drop_words_takes_stopword_kinds_files_and_keeps_tags(policies, tmp_path):
    """words= takes what Tokenizer(stopwords=) takes. Without negations to join, dropping
    the general stopwords from unfiltered tokens is filtering them in the tokenizer."""
    units = policies.subset(region="甘肃").reshape("paragraph")
    plain = tokenize(units, Tokenizer(stopwords=None, join_negation=False))
    direct = tokenize(units, Tokenizer(stopwords="general", join_negation=False))
    out = plain.drop_words("general")
    assert out.tokens == direct.tokens
    assert all((a == b).all() for a, b in zip(out.spans, direct.spans))
    assert out.dropped["count"].sum() == plain.n_tokens.sum() - direct.n_tokens.sum() > 0
    assert out.config["drop_words"] == ["general"]
    # a file: its path and digest recorded; its words folded as stopwords are
    words = tmp_path / "words.txt"
    words.write_text("中国－东盟\n兰州\n", encoding="utf-8")
    gx = tokenize(policies.subset(region="广西"))
    out = gx.drop_words(words)
    assert out.config["drop_words"][0][0] == str(words)
    assert len(out.config["drop_words"][0][1]) == 16
    assert out.dropped["word"].tolist() == ["中国—东盟"]
    assert out.dropped["count"].tolist() == [gx.tokens[0].count("中国—东盟")]
    # tags follow the tokens
    tagged = tokenize(units, Tokenizer(pos={"n*", "v*"}))
    out = tagged.drop_words({"发展"})
    assert all(len(a) == len(b) for a, b in zip(out.tokens, out.tags))
    assert out.tags == [[g for w, g in zip(ws, gs) if w != "发展"]
                        for ws, gs in zip(tagged.tokens, tagged.tags)]


def test_drop_words_errors_and_joined_negations():
    t = tokenize(["非本市户籍人员在本市就业"], Tokenizer(stopwords=("general", "policy"),
                                                min_length=2))
    with pytest.raises(ParameterError, match=r"words must be .*pass a set: words="):
        t.drop_words(["本市"])
    with pytest.raises(ParameterError, match="words: a set must hold str words"):
        t.drop_words({1})
    # a negation the tokenizer joined stays with its word (非本市 is no mention of 本市),
    # where the word as a stopword takes the negation with it
    assert t.tokens == [["非本市", "户籍", "人员", "本市", "就业"]]
    assert t.drop_words({"本市"}).tokens == [["非本市", "户籍", "人员", "就业"]]
    assert tokenize(["非本市户籍人员在本市就业"], Tokenizer(
        stopwords=("general", "policy", {"本市"}), min_length=2)).tokens == \
        [["户籍", "人员", "就业"]]


def test_inputs_dataframe_list_generator():
    df = pd.DataFrame({"doc_id": ["a", "b"], "text": ["中欧班列", "丝路基金"], "year": [2017, 2018]})
    assert tokenize(df).docs["year"].tolist() == [2017, 2018]
    assert tokenize(df).doc_ids == ["a", "b"]
    assert tokenize(iter(["中欧班列", "丝路基金"])).tokens == [["中欧班列"], ["丝路基金"]]
    assert tokenize("一带一路").tokens == [["一带一路"]]


def test_to_gensim_and_dataframe(policies):
    t = tokenize(policies.subset(region="广西"))
    d, bow = t.to_gensim()
    counts = dict(bow[0])
    assert counts[d.token2id["中国—东盟"]] == t.tokens[0].count("中国—东盟") >= 20
    df = t.to_dataframe()
    assert len(df) == len(t.tokens[0]) and df["token"].iloc[0] == t.tokens[0][0]


# ---------------------------------------------------------------- interop

def test_pickle_and_sklearn(engine, policies):
    from sklearn.feature_extraction.text import CountVectorizer

    tok = Tokenizer(engine=engine, stopwords=("general", "policy"))
    blob = pickle.dumps(tok)
    assert len(blob) < 2000  # only the configuration is pickled
    again = pickle.loads(blob)
    assert again == tok and again.config_key == tok.config_key
    text = policies.texts[17]
    assert again(text) == tok(text)
    cv = CountVectorizer(tokenizer=tok, lowercase=False, token_pattern=None)
    X = cv.fit_transform(policies.texts)
    vocab = cv.vocabulary_
    assert "一带一路" in vocab and "中国—东盟" in vocab and "推进" not in vocab
    assert X[17, vocab["中国—东盟"]] == tok(text).count("中国—东盟")
    cv_again = pickle.loads(pickle.dumps(cv))
    assert (cv_again.transform([text]) != X[17]).nnz == 0


def test_import_is_lazy():
    code = ("import sys, bri_text.segment as s; "
            "print(any(m in sys.modules for m in ('jieba', 'rjieba')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- cache, n_jobs, stream

def test_cache_roundtrip_corrupt_and_foreign(tmp_path, policies, monkeypatch):
    import bri_text.segment._batch as seg

    tok = Tokenizer(engine="jieba")
    first = tokenize(policies, tok, cache_dir=tmp_path)
    files = sorted(tmp_path.rglob("*.npz"))
    assert files and not list(tmp_path.rglob(".tmp-*"))

    def boom(*a, **k):
        raise AssertionError("segmented although cached")

    with monkeypatch.context() as m:
        m.setattr(seg, "_run_batch", boom)
        warm = tokenize(policies, tok, cache_dir=tmp_path)
    assert warm.tokens == first.tokens
    assert all((a == b).all() for a, b in zip(warm.spans, first.spans))
    # corrupt one file, overwrite another with a foreign (valid) npz, plant a pickle
    files[0].write_bytes(b"not a zip file")
    np.savez(files[-1], meta=np.frombuffer(b'{"magic": "x"}', dtype=np.uint8))
    rebuilt = tokenize(policies, tok, cache_dir=tmp_path)
    assert rebuilt.tokens == first.tokens
    again = tokenize(policies, tok, cache_dir=tmp_path)  # rewritten: warm again
    assert again.tokens == first.tokens
    # another configuration does not reuse these files
    other = tokenize(policies, Tokenizer(engine="jieba", min_length=2), cache_dir=tmp_path)
    assert other.tokens != first.tokens
    assert len({p.parent.parent.name for p in tmp_path.rglob("*.npz")}) == 2


def test_cache_location_and_switches(tmp_path, monkeypatch):
    monkeypatch.setenv("BRI_TEXT_CACHE_DIR", str(tmp_path / "env"))
    tokenize(["中欧班列"], engine="jieba")
    assert list((tmp_path / "env").rglob("*.npz"))
    tokenize(["丝路基金"], engine="rjieba")  # auto: on for rjieba too (measured faster)
    assert len(list((tmp_path / "env").rglob("*.npz"))) == 2
    tokenize(["亚投行"], engine="jieba", cache=False)
    tokenize(["亚投行"], engine="rjieba", cache=False)
    assert len(list((tmp_path / "env").rglob("*.npz"))) == 2
    explicit = tmp_path / "explicit"
    tokenize(["亚投行"], engine="rjieba", cache_dir=explicit)
    assert len(list(explicit.rglob("*.npz"))) == 1


def test_tests_never_read_a_cache_they_did_not_write():
    # conftest gives each session an empty folder of its own (not ~/.cache/bri_text, where
    # older code may have left tokens)
    import os
    import tempfile

    import platformdirs

    from bri_text.segment import _cache

    here = _cache.default_dir()
    assert here == os.environ["BRI_TEXT_CACHE_DIR"]
    assert os.path.basename(here).startswith("bri_text-test-cache-")
    assert os.path.dirname(here) == tempfile.gettempdir()
    assert here != platformdirs.user_cache_dir("bri_text", appauthor=False)


def test_cache_key_changes_with_the_segmentation_code(tmp_path):
    # tokens cached by other code are never served: one edited line of segment/ gives
    # another configuration key (the version number alone did not change, issue 21)
    import os
    import shutil

    src = Path(bri_text.__file__).resolve().parent
    shutil.copytree(src, tmp_path / "bri_text",
                    ignore=shutil.ignore_patterns("__pycache__", "data", "fonts"))
    code = "import bri_text as bt; print(bt.Tokenizer().config_key)"

    def key(root):
        env = {**os.environ, "PYTHONPATH": str(root)}
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, cwd=root, env=env).stdout.strip()

    before = key(tmp_path)
    assert before == Tokenizer().config_key          # the copy is the same code
    with open(tmp_path / "bri_text" / "segment" / "_state.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert key(tmp_path) != before
    assert Tokenizer().config["versions"]["code"] and "rjieba" in Tokenizer().config["versions"]


@pytest.mark.slow  # two fresh processes segment the corpus with jieba (6-23 s)
def test_cache_two_processes(tmp_path, policies):
    code = ("import bri_text, json, sys; from bri_text.segment import tokenize; "
            "t = tokenize(bri_text.load_bri_policies(), engine='jieba', cache_dir=sys.argv[1]); "
            "print(sum(map(len, t.tokens)))")
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    expected = sum(map(len, tokenize(policies, engine="jieba", cache=False).tokens))
    assert outs == [str(expected)] * 2
    warm = tokenize(policies, engine="jieba", cache_dir=tmp_path)
    assert sum(map(len, warm.tokens)) == expected


def test_n_jobs_preserves_order(policies, monkeypatch):
    import bri_text.segment._batch as seg

    texts = [t for t in policies.reshape("paragraph").texts]
    # by default 129k characters are too few to be worth starting workers ...
    assert seg._useful_jobs(2, sum(map(len, texts)), "rjieba") == 1
    assert seg._useful_jobs(2, 17_000_000, "rjieba") == 2
    # ... so lower the threshold to send them through worker processes
    monkeypatch.setattr(seg, "_MIN_WORKER_CHARS", {"rjieba": 1000, "jieba": 1000})
    for params in ({}, {"pos": {"n", "ns"}}):
        one = tokenize(texts, n_jobs=1, cache=False, **params)
        two = tokenize(texts, n_jobs=2, cache=False, **params)
        assert two.tokens == one.tokens and two.tags == one.tags
        assert all((a == b).all() for a, b in zip(two.spans, one.spans))


def test_stream_is_lazy_and_ordered(policies):
    import itertools

    def endless():
        for i in itertools.count():
            yield f"第{i}批中欧班列开行"  # 第, 批 are stopwords, the number is dropped

    first = list(itertools.islice(tokenize_stream(endless(), batch_chars=1000), 3))
    assert first == [["中欧班列", "开行"]] * 3
    texts = policies.texts
    streamed = list(Tokenizer().stream(iter(texts), n_jobs=2))
    assert streamed == tokenize(texts, cache=False).tokens
    with_spans = next(tokenize_stream(["丝路基金"], with_spans=True))
    assert with_spans[0] == ["丝路基金"] and with_spans[1].tolist() == [[0, 4]]


def test_tokenizer_pickled_by_version_0_1_0_still_loads():
    """A Tokenizer pickled by bri_text 0.1.0 (flat segment.py, before the segment/ package)
    unpickles and segments as it did: Tokenizer(min_length=2, keep_numbers=True)."""
    import pickle

    tok = pickle.loads((DATA / "tokenizer_v0.1.0.pickle").read_bytes())
    assert tok.get_params()["min_length"] == 2 and tok.get_params()["keep_numbers"]
    assert tok("2016年广西建设面向东盟的国际大通道") == [
        "2016", "广西", "建设", "面向", "东盟", "国际大通道"]


# ---------------------------------------------------------------- settings cannot go stale

def test_assigned_settings_take_effect_and_change_the_key(tmp_path):
    text = "推进一带一路建设合作"
    tok = Tokenizer()
    assert tok(text) == ["推进", "一带一路", "建设", "合作"]
    key1 = tok.config_key
    first = tokenize([text], tok, cache_dir=tmp_path).tokens
    tok.min_length = 3                                   # the example
    fresh = Tokenizer(min_length=3)
    assert tok(text) == fresh(text) == ["一带一路"]
    assert repr(tok) == "Tokenizer(min_length=3)" and tok == fresh
    assert tok.config_key == fresh.config_key != key1
    assert tok.config["min_length"] == 3
    # the cache stores and serves under the effective settings
    assert tokenize([text], tok, cache_dir=tmp_path).tokens == [["一带一路"]] != first
    # set_params does the same and returns the tokenizer
    assert tok.set_params(min_length=1, stopwords=None)(text) == ["推进", "一带一路", "建设",
                                                                  "合作"]
    assert tok.config_key == Tokenizer(stopwords=None).config_key


def test_invalid_settings_are_refused_and_change_nothing():
    tok = Tokenizer(min_length=2)
    key = tok.config_key
    with pytest.raises(ParameterError, match="min_length must be >= 1, got 0"):
        tok.min_length = 0
    with pytest.raises(ParameterError, match="min_length must be an int, got True"):
        tok.set_params(min_length=True)
    with pytest.raises(ParameterError, match="mode='search'"):
        tok.set_params(mode="search", pos={"n"})           # both or neither
    with pytest.raises(ParameterError, match="no parameter 'min_len'"):
        tok.set_params(min_len=3)
    assert tok.min_length == 2 and tok.mode == "accurate" and tok.pos is None
    assert tok.config_key == key


def test_fingerprint_is_hashed_once_and_follows_replaced_docs_or_config(policies):
    t = tokenize(policies)
    first = t.fingerprint
    assert t.fingerprint == first == tokenize(policies).fingerprint
    cached = t._fingerprint
    assert t.fingerprint is cached[2]                  # read back, not hashed again
    t.docs = t.docs.assign(text=t.docs["text"].str.replace("一带一路", "丝路", regex=False))
    assert t.fingerprint != first                      # other texts: another print
    t.docs = policies.docs.reset_index(drop=True)
    assert t.fingerprint == first
    t.config["min_length"] = 99                        # a setting changed in place
    assert t.fingerprint != first


@pytest.mark.parametrize("engine", ENGINES)
def test_province_names_are_cut_alike_whatever_follows_them(engine):
    """Audit41: the 2026 provincial reports open 我代表X人民政府 and write X政协委员 and
    X篇章; jieba's dictionary kept 宁夏自治区 and 新疆自治区 whole but cut 广西自治区 into
    广西 / 自治区, and glued some names to the organ after them (内蒙古自治区人民政府,
    四川省人民政府, 浙江省人民政府, 广东省政协) and not others (广东省 / 人民政府). Every
    name form of lexicons/provinces.tsv is now one token, apart from what follows it."""
    docs = bri_text.read_csv(DATA / "provincial_reports_2026.csv").docs
    tok = Tokenizer(engine=engine, stopwords=None)
    for text in docs["text"]:
        name = re.search(r"我代表(.+?)人民政府", text)
        if name is None:                  # Henan's report has no opening line
            continue
        name = name.group(1)
        words = tok(text)
        # the name as the report writes it: once before 人民政府, and in 政协委员
        assert words[words.index(name) + 1] == "人民政府"
        assert "人民政府" in words and not [w for w in words if w.endswith("政协")]
        assert not [w for w in words if w != "人民政府" and w.endswith("人民政府")]
    # the everyday 自治区 forms of all five autonomous regions, one token each
    for name in ("广西自治区", "新疆自治区", "宁夏自治区", "西藏自治区", "内蒙古自治区",
                 "广西壮族自治区", "新疆维吾尔自治区", "宁夏回族自治区"):
        assert tok(f"我代表{name}人民政府，并请{name}政协委员") == \
            ["我", "代表", name, "人民政府", "并", "请", name, "政协委员"]
    # jieba's dictionary had 四川省人民政府 and 广东省政协 as words
    assert tok("四川省人民政府和广东省政协") == ["四川省", "人民政府", "和", "广东省", "政协"]
    prov = bri_text._lexicons.load_provinces().set_index("name")["province"]
    assert prov["广西自治区"] == "广西" and prov["新疆自治区"] == "新疆"


def test_tokens_pickled_without_dropped_still_subset_and_drop():
    """Tokens pickled before drop_words existed (no ``dropped``) unpickle with an empty table
    and can still be subset and have words dropped."""
    t = tokenize(["中欧班列开行。", "西部陆海新通道建设"], progress=False)
    state = dict(t.__dict__)
    del state["dropped"]
    old = object.__new__(type(t))
    old.__dict__.update(state)
    back = pickle.loads(pickle.dumps(old))
    assert back.dropped.empty
    assert back.subset([True, False]).tokens == t.subset([True, False]).tokens
    assert back.drop_words({"中欧班列"}).dropped["count"].tolist() == [1]
