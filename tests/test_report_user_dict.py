"""The report's ``--user-dict FILE`` / ``report(user_dict=)``: the researcher's own words for
the tokenizer of every section. On the provincial documents of
``tests/data/orientation_regions/`` the port 磨憨 (Yunnan's border crossing to Laos, written
3 times, once in each of Yunnan's 3 documents: search the yn_*.txt files for 磨憨) is cut
into 磨/憨 by the tokenizer, so the report (min_length=2) counted it nowhere and its
keyness note named it; with a file holding 磨憨 the tables count it as one term.
"""
from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import bri_text as bt
from bri_text.__main__ import main
from bri_text.errors import EncodingError, InputError, ParameterError
from bri_text.report import report
from bri_text.segment import read_user_dict
from support import files_of

DATA = Path(__file__).parent / "data" / "orientation_regions"
#: the sentence of yn_2022_zhonglao.txt that writes the port
SENTENCE = "推进磨憨铁路口岸“一次申报、分段验放”"
COMPARE = ["西南沿边", "西北东北沿边"]


def _words(folder: Path, text: str = "磨憨\n", encoding: str = "utf-8") -> Path:
    path = folder / "words.txt"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def corpus():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # regions.tsv / .csv are not documents
        return bt.read_folder(DATA, pattern="*.txt", metadata=DATA / "metadata.csv")


# ------------------------------------------------------------------------ fast
def test_the_command_line_passes_the_file(monkeypatch):
    import bri_text.report as report_package

    seen = {}
    monkeypatch.setattr(report_package, "report", lambda *a, **kw: seen.update(kw))
    assert main(["report", "--compare", "广西", "甘肃", "--quiet",
                 "--user-dict", "words.txt"]) == 0
    assert seen["user_dict"] == "words.txt"
    assert main(["report", "--compare", "广西", "甘肃", "--quiet"]) == 0
    assert seen["user_dict"] is None


@pytest.mark.parametrize("content, error, words", [
    (None, InputError, "does not exist"),
    ("folder", InputError, "is a folder"),
    (b"\x80\x80\x80\n", EncodingError, "neither UTF-8 nor GBK"),
    (b"", InputError, "holds no words"),
    ("# ports\n\n".encode("utf-8"), InputError, "holds no words"),
    ("磨憨 many words here\n".encode("utf-8"), bt.errors.MetadataError, "words.txt:1"),
])
def test_a_bad_file_is_an_error_before_anything_is_written(tmp_path, content, error, words):
    path = tmp_path / "words.txt"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    out = tmp_path / "r"
    with pytest.raises(error, match=words) as caught:
        report(COMPARE, corpus=DATA, metadata=DATA / "metadata.csv", by="片区", out=out,
               user_dict=path, progress=False)
    assert "words.txt" in str(caught.value)                    # the file is named
    assert not out.exists()
    # the command line: the message, exit status 2, nothing written
    assert main(["report", "--compare", *COMPARE, "--by", "片区", "--corpus", str(DATA),
                 "--metadata", str(DATA / "metadata.csv"), "--out", str(out),
                 "--user-dict", str(path), "--quiet"]) == 2
    assert not out.exists()


@pytest.mark.parametrize("given, words", [([], "is empty"), (["磨憨", " "], "non-empty str"),
                                          (5, "a file path")])
def test_bad_words_from_python_are_named(tmp_path, given, words):
    with pytest.raises(ParameterError, match=words):
        report(COMPARE, out=tmp_path / "r", user_dict=given, progress=False)
    assert not (tmp_path / "r").exists()


def test_a_gbk_file_is_read_as_the_tokenizer_reads_it(tmp_path):
    """Notepad / Excel on Chinese Windows write GBK: read as the words, not as Big5 (磨憨
    in GBK bytes reads as Big5 艦漫, two common characters, so no guessing)."""
    path = _words(tmp_path, "# 口岸\n磨憨\n瑞丽 20 ns\n", "gbk")
    assert read_user_dict(path) == ["磨憨", "瑞丽"]
    plain = bt.Tokenizer(stopwords=("general", "policy"), min_length=2)
    assert "磨憨" not in plain(SENTENCE)
    assert bt.Tokenizer(stopwords=("general", "policy"), min_length=2,
                        user_dict=path)(SENTENCE)[:2] == ["磨憨", "铁路口岸"]


def test_the_recorded_calls_name_the_words():
    from bri_text.report._report import _command
    from bri_text.report._rules import TOKENS_CALL, _tokenizer_call, _tokens_call

    assert _tokens_call(None) == TOKENS_CALL
    assert _tokenizer_call("my words.txt") == ('bt.Tokenizer(stopwords=("general", '
                                               "\"policy\"), min_length=2, "
                                               "user_dict='my words.txt')")
    assert _tokenizer_call(frozenset({"磨憨", "瑞丽"})).endswith("user_dict={'瑞丽', '磨憨'})")
    call = _command(COMPARE, "片区", 0, 1, "r", None, None, 15, 200, "raise", None,
                    user_dict=frozenset({"磨憨", "瑞丽"}))
    assert call.endswith("n_boot=200, user_dict=['瑞丽', '磨憨'])")
    for given in ("w.txt", Path("w.txt")):          # a path recorded as a Python str
        assert "user_dict='w.txt'" in _command(COMPARE, "片区", 0, 1, "r", None, None, 15,
                                               200, "raise", None, user_dict=given)


def _note(corpus, user_dict):
    """The keyness section's cut-word note on the Yunnan and Xinjiang documents."""
    from bri_text.report._sections import _Run

    run = _Run.__new__(_Run)                  # only what the note reads
    run.units = corpus.reshape("paragraph")
    run.in_compare = run.units.docs["province"].isin(["云南省", "新疆维吾尔自治区"]).to_numpy(bool)
    run.user_dict = user_dict
    return run._fragments_note()


def test_the_cut_word_note_points_to_user_dict(corpus, tmp_path):
    note = _note(corpus, None)
    assert "the tokenizer cuts 磨憨 (磨/憨, 3 times in 3 documents)" in note
    assert "run the report again with --user-dict FILE" in note
    assert "min_length=2, user_dict={'磨憨'})" in note          # the Python call too
    assert _note(corpus, frozenset({"磨憨"})) is None           # given: nothing is cut
    # words given that leave 磨憨 out: add it to them (file: the file and the words)
    other = _note(corpus, frozenset({"瑞丽"}))
    assert "add it to the words given" in other and "user_dict={'瑞丽', '磨憨'})" in other
    path = _words(tmp_path, "瑞丽\n")
    in_file = _note(corpus, str(path))
    assert "add it to words.txt, one word per line" in in_file
    assert f"user_dict=[{str(path)!r}, {{'磨憨'}}])" in in_file


# ------------------------------------------------------------------------ slow
@pytest.mark.slow   # two reports of the 15 provincial documents, about 5 s each
def test_the_port_is_one_term_and_the_run_is_byte_identical(tmp_path, monkeypatch, corpus):
    """--user-dict words.txt (磨憨): every table counts 磨憨 as one term, 3 mentions in the
    3 Yunnan documents; the note no longer names it; the page's call reproduces the
    tokens; with --no-timestamp two runs write the same bytes."""
    args = ["report", "--compare", *COMPARE, "--by", "片区", "--corpus", str(DATA),
            "--metadata", str(DATA / "metadata.csv"), "--out", "r", "--topics", "0",
            "--n-boot", "10", "--user-dict", "words.txt", "--quiet", "--no-timestamp"]
    runs = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        _words(tmp_path / name)
        monkeypatch.chdir(tmp_path / name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(args) == 0
        out = tmp_path / name / "r"
        runs.append(files_of(out))
    first, second = runs
    assert sorted(first) == sorted(second)
    assert [f for f in first if first[f] != second[f]] == []
    out = tmp_path / "second" / "r"
    key = pd.read_csv(out / "tables" / "keyness_西南沿边_vs_西北东北沿边.csv")
    row = key.set_index("term").loc["磨憨"]
    assert (row["count_target"], row["count_reference"]) == (3, 0)
    assert not key["term"].isin(["磨", "憨"]).any()
    kwic = pd.read_csv(out / "tables" / "kwic.csv")
    seen = kwic[kwic["keyword"] == "磨憨"]
    assert sorted(seen["doc_id"]) == ["yn_2018_fushe", "yn_2020_lanmei", "yn_2022_zhonglao"]
    page = first["index.html"].decode("utf-8")
    assert "Counted nowhere" not in page
    assert "the words of words.txt (--user-dict) kept whole: 磨憨" in page
    call = ('bt.Tokenizer(stopwords=("general", "policy"), min_length=2, '
            "user_dict='words.txt')")
    assert f"tokenizer={call})".replace('"', "&#34;").replace("'", "&#39;") in page
    man = json.loads(first["manifest.json"])
    assert man["parameters"]["user_dict"] == "words.txt"
    assert man["parameters"]["tokenizer"]["call"] == call
    assert man["parameters"]["tokenizer"]["user_dict"] == ["words.txt"]
    assert man["input_files"]["user_dict"] == {
        "path": "words.txt", "sha256": hashlib.sha256("磨憨\n".encode()).hexdigest()}
    assert man["command"].endswith("--user-dict words.txt --quiet --no-timestamp")
    # the page's call reproduces the tokens (fingerprint), and differs from the plain one
    tok = bt.Tokenizer(stopwords=("general", "policy"), min_length=2, user_dict="words.txt")
    tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer=tok, progress=False)
    plain = bt.tokenize(corpus.reshape("paragraph"), progress=False,
                        tokenizer=bt.Tokenizer(stopwords=("general", "policy"), min_length=2))
    assert man["corpus"]["tokens_fingerprint"] == tokens.fingerprint != plain.fingerprint
