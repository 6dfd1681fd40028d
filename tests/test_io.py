"""Reading files, encodings, front matter and compendium splitting on the real seeds."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from bri_text.errors import (BriTextError, EncodingError, InputError, MetadataError,
                             OptionalDependencyError)
from bri_text.io import (decode_bytes, detect_region, read_csv, read_files, read_folder,
                         read_excel, read_jsonl, split_compendium, split_front_matter)

from support import (compendium_text, press_fixture, raw_reports_with_title_block,
                     raw_resolutions, seed_path)


@pytest.fixture(scope="module")
def compendium_corpus():
    return split_compendium(compendium_text())


def _by_region(corpus, region):
    docs = corpus.docs[corpus.docs["region"] == region]
    assert len(docs) >= 1, region
    return docs.iloc[0]


def test_compendium_has_27_documents(compendium_corpus):
    c = compendium_corpus
    assert len(c) == 27
    assert c.doc_ids[0] == "bri01" and c.doc_ids[-1] == "bri27"
    assert (c.docs["section"] == "政策法规").sum() == 10
    assert (c.docs["section"] == "地方政策").sum() == 17


def test_first_document_metadata(compendium_corpus):
    d = compendium_corpus.docs.iloc[0]
    assert d["title"] == ("国务院关于在自由贸易试验区暂时调整有关行政法规、国务院文件和经国务院批准的"
                          "部门规章规定的决定")
    assert d["date"] == "2018-01-10" and d["year"] == 2018
    assert d["source"] == "中国政府网"
    assert d["doc_number"] == "国发〔2017〕57号"
    assert d["level"] == "national" and pd.isna(d["region"])
    assert d["text"].startswith("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：")


def test_guangxi_and_gansu_metadata(compendium_corpus):
    gx = _by_region(compendium_corpus, "广西")
    assert gx["title"] == "广西建设丝绸之路经济带和21世纪海上丝绸之路的思路与行动"
    assert gx["date"] == "2016-10-19"
    assert gx["source"] == "广西发改委网站"
    assert gx["level"] == "provincial" and gx["section"] == "地方政策"
    gs = _by_region(compendium_corpus, "甘肃")
    assert gs["title"] == "甘肃省参与“一带一路”建设实施方案"
    assert gs["date"] == "2015-12-09"


def test_cities_map_to_provinces(compendium_corpus):
    docs = compendium_corpus.docs.set_index("title")
    xian = docs.loc["西安市“一带一路”建设2016年行动计划"]
    assert (xian["region"], xian["city"], xian["level"]) == ("陕西", "西安", "municipal")
    chengdu = docs[docs.index.str.startswith("成都市")].iloc[0]
    assert (chengdu["region"], chengdu["city"]) == ("四川", "成都")
    ningbo = docs[docs.index.str.contains("宁波")].iloc[0]
    assert (ningbo["region"], ningbo["city"], ningbo["level"]) == ("浙江", "宁波", "municipal")
    # Fujian's plan was published on Xiamen's website: the region is Fujian, not a city plan
    fujian = docs.loc["福建省21世纪海上丝绸之路核心区建设方案"]
    assert (fujian["region"], fujian["level"], fujian["source"]) == ("福建", "provincial",
                                                                     "厦门市人民政府网")


def test_attachment_title_not_glued_to_next_title(compendium_corpus):
    titles = compendium_corpus.docs["title"].tolist()
    assert "企业对外投资政策文件汇编" in titles
    assert "天津市“一带一路”科技创新合作行动计划（2017—2020年）" in titles
    assert not any(t.startswith("附件") for t in titles)
    assert all(t for t in titles)


def test_every_document_has_date_source_and_level(compendium_corpus):
    docs = compendium_corpus.docs
    assert docs["date"].notna().all() and docs["source"].notna().all()
    assert set(docs["level"]) == {"national", "provincial", "municipal"}
    assert docs["date"].min() == "2015-12-09" and docs["date"].max() == "2018-01-10"
    assert docs["doc_number"].notna().sum() == 11


def test_builtin_dataset_rebuilds_byte_identical_from_repository_data(compendium_corpus):
    """scripts/build_dataset.py, run on tests/data/compendium_001.txt.gz, gives the shipped
    bri_text/data/bri_policies.jsonl byte for byte."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("build_dataset",
                                                  root / "scripts" / "build_dataset.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.DEFAULT_SEED.is_file()
    assert build.read_compendium(build.DEFAULT_SEED) == compendium_text()
    shipped = (root / "bri_text" / "data" / "bri_policies.jsonl").read_bytes()
    assert build.to_jsonl(compendium_corpus).encode("utf-8") == shipped


@pytest.mark.press_seeds
def test_repository_compendium_is_the_seed():
    """Extra check: the gzipped copy in tests/data is the seed file, unchanged."""
    assert seed_path("001").read_text(encoding="utf-8") == compendium_text()


def test_detect_region():
    assert detect_region("广西壮族自治区人民政府关于印发方案的通知") == ("广西", None)
    assert detect_region("厦门市“一带一路”行动方案") == ("福建", "厦门")
    assert detect_region("国务院关于推进国际产能合作的指导意见") == (None, None)


# ---------------------------------------------------------------------- encodings
def test_gbk_copy_reads_as_utf8_original(tmp_path):
    original = compendium_text()
    gbk = tmp_path / "compendium_gbk.txt"
    gbk.write_bytes(original.encode("gbk"))
    utf = tmp_path / "compendium_utf8.txt"
    utf.write_bytes(original.encode("utf-8"))
    bom = tmp_path / "compendium_bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + original.encode("utf-8"))
    c = read_files([gbk, utf, bom], clean=False)
    texts = dict(zip(c.doc_ids, c.texts))
    assert texts["compendium_gbk"] == texts["compendium_utf8"] == texts["compendium_bom"] \
        == original
    assert c.docs.set_index("doc_id").loc["compendium_gbk", "encoding"] == "gb18030"


def test_big5_copy_of_traditional_article(tmp_path):
    original = press_fixture("000").read_text(encoding="utf-8")
    text = original.encode("big5", errors="ignore").decode("big5")  # Big5 has no "•"
    assert "絲路產經網" in text and len(text) > 0.95 * len(original)
    p = tmp_path / "report_big5.txt"
    p.write_bytes(text.encode("big5"))
    got, enc = decode_bytes(p.read_bytes(), str(p))
    assert (got, enc) == (text, "big5")
    d = read_files([p]).docs.iloc[0]
    assert d["text"].startswith("畅通陆海通道 提升开放能级 多省份谋划共建“一带一路”新举措\n新年伊始")
    assert d["encoding"] == "big5"
    assert (d["date"], d["source"]) == ("2026-01-20", "丝路产经网;环球经贸报")


@pytest.mark.press_seeds
def test_big5_copy_reads_as_utf8_original(tmp_path):
    original = seed_path("000").read_text(encoding="utf-8")
    # Big5 lacks a few characters of the page (no-break spaces, a few simplified forms in the
    # spam footer); the copy keeps every character Big5 can encode
    text = original.encode("big5", errors="ignore").decode("big5")
    assert "中國產業經濟信息網" in text and len(text) > 0.95 * len(original)
    p = tmp_path / "report_big5.txt"
    p.write_bytes(text.encode("big5"))
    got, enc = decode_bytes(p.read_bytes(), str(p))
    assert (got, enc) == (text, "big5")
    assert read_files([p]).texts[0].startswith("完善海综服体系 强化开放支撑")


def test_binary_and_undecodable_files_name_the_file(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(EncodingError, match="image.txt"):
        read_files([binary])
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes([0xFF, 0xFE - 1, 0x81, 0x30]) * 50 + b"\xff\xff")
    with pytest.raises(EncodingError, match="noise.txt"):
        read_files([noise])


def test_gzip_tables_are_read_and_archives_named(tmp_path):
    # the shipped work-report fixture is a .jsonl.gz: read as is, newest report first
    c = read_jsonl(Path(__file__).parent / "data" / "government_work_reports.jsonl.gz",
                   text="content")
    assert len(c) == 72
    assert c.docs["title"].iloc[0] == "2025年中华人民共和国国务院政府工作报告"
    # a GBK CSV compressed by a researcher's script: decompressed, then decoded as GBK
    import gzip
    gz = tmp_path / "plans.csv.gz"
    gz.write_bytes(gzip.compress("text,省份\n推进磨憨口岸建设。,云南\n".encode("gbk")))
    assert decode_bytes(gz.read_bytes(), str(gz))[1] == "gzip+gb18030"
    assert read_csv(gz, clean=False).docs["省份"].tolist() == ["云南"]
    broken = tmp_path / "cut.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"text": "x"}')[:12])
    with pytest.raises(EncodingError, match="cut.jsonl.gz: gzip-compressed"):
        read_jsonl(broken)
    # a workbook saved under a .csv name is named as a ZIP, not as binary noise
    import zipfile
    z = tmp_path / "plans.csv"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("a.txt", "推进")
    with pytest.raises(EncodingError, match="plans.csv: a ZIP archive .*read_excel"):
        read_csv(z)


def test_skip_reports_and_counts_dropped_files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("推进“一带一路”建设。", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\u3000\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.warns(UserWarning, match="skipped"):
        c = read_folder(tmp_path, errors="skip")
    assert c.doc_ids == ["good"]
    assert sorted(c.dropped["doc_id"]) == ["binary", "blank", "empty"]
    assert c.dropped.set_index("doc_id").loc["empty", "reason"].endswith("file is empty")


def test_empty_file_raises_by_default(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.txt.*empty"):
        read_files([empty])


def test_an_empty_file_in_a_folder_stops_reading_with_how_to_go_on(tmp_path):
    (tmp_path / "a.txt").write_text("推进“一带一路”建设。", encoding="utf-8")
    (tmp_path / "b_空白.txt").write_bytes(b"")
    with pytest.raises(InputError) as info:
        read_folder(tmp_path)
    message = str(info.value)
    assert "b_空白.txt: file is empty" in message
    assert "errors='skip'" in message and "--errors skip" in message
    # an error that names errors='skip' already is left as it is
    (tmp_path / "b_空白.txt").write_bytes(bytes(range(0x80, 0x100)) * 3)
    with pytest.raises(EncodingError) as info:
        read_folder(tmp_path)
    assert str(info.value).count("errors='skip'") == 1
    with pytest.warns(UserWarning, match="skipped"):  # and the hint works
        assert read_folder(tmp_path, errors="skip").doc_ids == ["a"]


def test_folder_without_matching_files(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="no files match"):
        read_folder(tmp_path, pattern="*.txt")
    with pytest.raises(InputError, match="not a folder"):
        read_folder(tmp_path / "missing")


def test_input_files_are_never_modified(tmp_path):
    src = press_fixture("002")
    copy = tmp_path / src.name
    copy.write_bytes(src.read_bytes())
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    mtime = copy.stat().st_mtime_ns
    read_files([copy])
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    assert copy.stat().st_mtime_ns == mtime


def test_front_matter_becomes_metadata_fixture():
    d = read_files([press_fixture("002")]).docs.iloc[0]
    assert d["title"] == "西安：发布共建_一带一路_国际物流枢纽三年行动方案"
    assert d["date"] == "2023-03-14" and d["year"] == 2023
    assert d["author"] == "丝路财经" and d["categories"] == "财经;丝路财经;丝路财经－国内"
    assert not d["text"].startswith("---") and "headimg" not in d["text"]
    assert d["text"].startswith("原标题：西安发布共建“一带一路”国际物流枢纽三年行动方案\n3月14日")
    # byline, app promotion and editor line gone; the advert is a sentence, kept (issue 18)
    assert d["text"].endswith("降低企业物流成本。\n限时福利！新客专享理财券抢购中，名额有限，先到先得！")
    assert "丝路日报记者" not in d["text"]


@pytest.mark.press_seeds
def test_front_matter_becomes_metadata():
    c = read_files([seed_path("002")])
    d = c.docs.iloc[0]
    assert d["title"] == "北京：打造共建_一带一路_高标准建设的试验示范"
    assert d["date"] == "2021-12-06" and d["year"] == 2021
    assert d["author"] == "新浪财经"
    assert "新浪财经" in d["categories"]
    assert not d["text"].startswith("---") and "headimg" not in d["text"]
    assert d["text"].startswith("原标题：北京：打造共建“一带一路”高标准建设的试验示范")
    assert "新京报记者 徐美慧" not in d["text"]
    # the advert after the article is a sentence: kept (issue 18); the article ends before it
    assert d["text"].split("\n")[-2].endswith("加强廉洁丝绸之路建设，加强国际反腐合作。")


def test_split_front_matter_leaves_plain_text():
    assert split_front_matter("正文---\n") == ({}, "正文---\n")


def test_metadata_csv_joined_on_file_name(tmp_path):
    for name, text in [("gx.txt", "面向东盟开放。"), ("gs.txt", "向西开放。")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("file,region,year\ngx.txt,广西,2016\ngs.txt,甘肃,2015\n", encoding="utf-8")
    c = read_folder(tmp_path, pattern="*.txt", metadata=meta)
    assert c.docs.set_index("doc_id").loc["gx", "region"] == "广西"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,region\ngx.txt,广西\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="'doc_id', 'file' or 'filename'"):
        read_folder(tmp_path, pattern="*.txt", metadata=bad)
    # a 'filename' column (with paths, as spreadsheets often hold) joins the same way
    named = tmp_path / "named.csv"
    named.write_text("filename,region\nplans/gx.txt,广西\ngs.txt,甘肃\n", encoding="utf-8")
    c = read_folder(tmp_path, pattern="*.txt", metadata=named)
    assert c.docs.set_index("doc_id")["region"].to_dict() == {"gs": "甘肃", "gx": "广西"}


def test_read_csv_names_its_text_and_id_columns(tmp_path):
    p = tmp_path / "table.csv"
    pd.DataFrame({"编号": ["gx", "gs"], "正文": ["面向东盟开放合作。", "打造丝绸之路经济带黄金段。"],
                  "省份": ["广西", "甘肃"]}).to_csv(p, index=False)
    c = read_csv(p, text="正文", doc_id="编号")
    assert c.doc_ids == ["gx", "gs"] and c.texts[1] == "打造丝绸之路经济带黄金段。"
    assert c.docs["省份"].tolist() == ["广西", "甘肃"]
    with pytest.raises(MetadataError, match=r"text column 'text' not found.*text="):
        read_csv(p)
    j = tmp_path / "table.jsonl"
    j.write_text('{"id": "a", "content": "推进合作。"}\n', encoding="utf-8")
    assert read_jsonl(j, text="content", doc_id="id").doc_ids == ["a"]


def test_mostly_non_chinese_documents_are_named_once(tmp_path):
    (tmp_path / "en.txt").write_text("The Belt and Road Initiative links Asia and Europe. " * 5,
                                     encoding="utf-8")
    (tmp_path / "zh.txt").write_text("推进一带一路建设，深化务实合作。", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"1 document\(s\) are mostly not Chinese.*\['en'\]") as rec:
        read_folder(tmp_path)
    assert sum("not Chinese" in str(w.message) for w in rec) == 1


def test_read_csv_and_jsonl(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "body": ["推进合作。", "深化交流。"], "region": ["广西", "甘肃"]})
    p = tmp_path / "docs.csv"
    df.to_csv(p, index=False, encoding="gbk")
    c = read_csv(p, text="body", doc_id="id")
    assert c.doc_ids == ["a", "b"] and c.texts == ["推进合作。", "深化交流。"]
    with pytest.raises(MetadataError, match="'content'.*body"):
        read_csv(p, text="content")
    j = tmp_path / "docs.jsonl"
    j.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in df.to_dict("records")),
                 encoding="utf-8")
    assert read_jsonl(j, text="body", doc_id="id").docs["region"].tolist() == ["广西", "甘肃"]
    j.write_text('{"body": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_jsonl(j, text="body")


def test_optional_extras_named_when_missing(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *a, **kw):
        if name in {"pypdf", "docx"}:
            raise ImportError(name)
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(OptionalDependencyError, match=r"bri_text\[pdf\]"):
        read_files([pdf])
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(OptionalDependencyError, match=r"bri_text\[docx\]"):
        read_files([docx])


def test_errors_are_library_errors():
    assert issubclass(EncodingError, BriTextError) and issubclass(MetadataError, ValueError)


def test_docx_paragraphs_are_read(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("甘肃省参与“一带一路”建设实施方案")
    d.add_paragraph("一、总体要求")
    d.add_paragraph("打造丝绸之路经济带甘肃黄金段。")
    p = tmp_path / "gansu.docx"
    d.save(str(p))
    c = read_files([p])
    assert c.texts[0] == "甘肃省参与“一带一路”建设实施方案\n一、总体要求\n打造丝绸之路经济带甘肃黄金段。"
    assert c.docs["file"].iloc[0] == "gansu.docx"


def test_short_gbk_text_is_not_mistaken_for_big5():
    """Both codecs decode these bytes; only GBK gives common characters (not 珨湍珨繚)."""
    assert decode_bytes("一带一路".encode("gbk")) == ("一带一路", "gb18030")
    assert decode_bytes("一帶一路".encode("big5")) == ("一帶一路", "big5")


# ---------------------------------------------------------------------- metadata in the text
def test_byline_becomes_metadata_without_front_matter():
    """A web page saved as text: title, date, source and author come from its lines, and
    the masthead / byline lines leave the text."""
    d = read_files([press_fixture("003")]).docs.iloc[0]
    assert d["title"] == "推动西部陆海新通道开放合作走深走实"
    assert (d["date"], d["year"]) == ("2025-10-10", 2025)
    assert (d["source"], d["author"]) == ("学习时报", "陈思远")
    lines = d["text"].split("\n")
    assert lines[0] == "推动西部陆海新通道开放合作走深走实"
    assert lines[1].startswith("西部陆海新通道连接丝绸之路经济带")
    assert lines[-1] == "(作者系某省社会科学院研究员)"
    assert "主管" not in d["text"] and "来源" not in d["text"] and "07:50" not in d["text"]


def test_traditional_site_line_and_reprint_become_metadata():
    d = read_files([press_fixture("000")]).docs.iloc[0]
    assert d["title"] == "畅通陆海通道 提升开放能级 多省份谋划共建“一带一路”新举措"
    assert (d["date"], d["source"]) == ("2026-01-20", "丝路产经网;环球经贸报")
    assert "时间:" not in d["text"] and "转自" not in d["text"] and "•" not in d["text"]
    # the reporter's name inside the last body sentence stays where it is
    assert d["text"].endswith("东西双向互济的开放格局。(记者 林晓)")


def test_sections_page_keeps_section_bylines():
    """Bylines of officials heading each section are content, not site chrome."""
    d = read_files([press_fixture("004")]).docs.iloc[0]
    assert d["title"] == "开放合作 共享机遇"
    assert "date" not in d.index or pd.isna(d["date"])
    lines = d["text"].split("\n")
    assert "某市国际港务区管委会主任 赵建国" in lines and "某市委宣传部部长 钱晓云" in lines
    assert len(lines) == 13
    # three authors of three sections under their own headlines: none is the page's author
    assert "author" not in d.index or pd.isna(d["author"])


def test_chinese_date_and_reporter_line():
    from bri_text.io._files import _text_metadata

    assert _text_metadata("关于推进中欧班列建设的方案\n2026年2月12日\n一、总体要求") == {
        "title": "关于推进中欧班列建设的方案", "date": "2026-02-12", "year": 2026,
        "date_source": "dateline"}
    assert _text_metadata("正文第一段。\n新京报记者 徐美慧") == {"source": "新京报",
                                                                 "author": "徐美慧"}
    # a plain body without header lines gives nothing
    assert _text_metadata("各省、自治区人民政府：\n推进合作。2016年3月8日签署。") == {}


@pytest.mark.press_seeds
def test_byline_metadata_from_press_seeds():
    """Extra checks on the real press articles (skipped without ../shared/seeds)."""
    d3 = read_files([seed_path("003")]).docs.iloc[0]
    assert (d3["title"], d3["date"], d3["source"], d3["author"]) == (
        "构建西部陆海新通道国际合作新格局", "2025-10-10", "学习时报", "王雯")
    assert "中共中央党校(国家行政学院)主管" not in d3["text"]
    assert "来源:学习时报" not in d3["text"]
    d0 = read_files([seed_path("000")]).docs.iloc[0]
    assert (d0["date"], d0["source"]) == ("2026-02-12", "中国产业经济信息网;国际商报")
    assert d0["title"].startswith("完善海综服体系 强化开放支撑")
    assert "转自:国际商报" not in d0["text"]


# ---------------------------------------------------------------------- tables with ids
def test_read_csv_uses_its_doc_id_column(tmp_path):
    p = tmp_path / "plans.csv"
    pd.DataFrame({"doc_id": ["gx2016", "gs2015"], "text": ["面向东盟开放。", "向西开放。"],
                  "region": ["广西", "甘肃"]}).to_csv(p, index=False)
    c = read_csv(p)
    assert c.doc_ids == ["gx2016", "gs2015"]
    assert c["gs2015"].meta["region"] == "甘肃"
    dup = tmp_path / "dup.csv"
    dup.write_text("doc_id,text\na,推进合作。\na,深化交流。\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"dup\.csv.*'doc_id'.*duplicate.*\['a'\]"):
        read_csv(dup)
    empty = tmp_path / "empty_id.csv"
    empty.write_text("doc_id,text\na,推进合作。\n,深化交流。\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"empty_id\.csv.*'doc_id' is empty.*\[2\]"):
        read_csv(empty)
    j = tmp_path / "docs.jsonl"
    j.write_text('{"doc_id": "x1", "text": "推进合作。"}\n', encoding="utf-8")
    assert read_jsonl(j).doc_ids == ["x1"]


def test_pdf_without_extra_is_skipped_with_install_command(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *a, **kw):
        if name == "pypdf":
            raise ImportError(name)
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "gx.txt").write_text("面向东盟开放。", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"skipped .*plan\.pdf.*pip install"):
        c = read_folder(tmp_path, errors="skip")
    assert c.doc_ids == ["gx"]
    reason = c.dropped.set_index("doc_id").loc["plan", "reason"]
    assert "pip install 'bri_text[pdf]'" in reason


# ---------------------------------------------------------------------- a researcher's folder
def _report_head(year: int, n: int = 400) -> str:
    """The first ``n`` characters of a national work report of the built-in corpus."""
    import bri_text as bt

    docs = bt.load_work_reports().docs.set_index("year")
    return docs.loc[year, "text"][:n]


_GOV_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>2003年政府工作报告_中国政府网</title></head><body>
<div class="nav"><ul><li>首页</li><li>政府工作报告</li><li>国务院</li><li>总理</li><li>新闻</li>
<li>政策</li><li>互动</li><li>服务</li><li>数据</li><li>国情</li></ul></div>
<h1>2003年政府工作报告</h1><div class="pages-date">2003-03-05 09:00 来源： 新华社</div>
<div class="pages_content">{body}</div></body></html>"""


@pytest.fixture()
def reports_folder(tmp_path):
    """Work reports as a researcher keeps them: GBK .txt, a gov.cn page, a title broken
    over two lines, a dated news file, an old Word .doc, and metadata.csv with 年份 and 标题
    for every file but one."""
    (tmp_path / "1984_政府工作报告.txt").write_bytes(_report_head(1984).encode("gbk"))
    (tmp_path / "2017_政府工作报告.txt").write_text("政府工作报\n告\n\n" + _report_head(2017),
                                                 encoding="utf-8")
    body = "".join(f"<p>{p}</p>" for p in _report_head(2003).split("\n"))
    (tmp_path / "2003_政府工作报告_中国政府网.html").write_text(_GOV_PAGE.format(body=body),
                                                        encoding="utf-8")
    (tmp_path / "2026_新闻.txt").write_text(
        "各地推进共建一带一路\n来源：丝路日报 时间：2026-02-12\n各地扎实推进开放合作，"
        "外贸综合服务体系不断完善。", encoding="utf-8")
    (tmp_path / "2025_通报.txt").write_text(
        "一带一路建设进展通报\n来源：丝路日报 时间：2025-06-30\n中欧班列开行数量继续增长。",
        encoding="utf-8")                                   # no metadata row
    (tmp_path / "2009_政府工作报告.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    (tmp_path / "metadata.csv").write_text(
        "file,年份,标题\n1984_政府工作报告.txt,1984,1984年政府工作报告\n"
        "2017_政府工作报告.txt,2017,2017年政府工作报告\n"
        "2003_政府工作报告_中国政府网.html,2003,\n2026_新闻.txt,2026,各地推进共建一带一路\n"
        "2009_政府工作报告.doc,2009,2009年政府工作报告\n", encoding="utf-8-sig")
    return tmp_path


def test_folder_metadata_years_come_before_a_bylines_date(reports_folder):
    with pytest.warns(UserWarning) as caught:
        c = read_folder(reports_folder, metadata=reports_folder / "metadata.csv")
    docs = c.docs.set_index("doc_id")
    # 年份 dates every file with a row; the byline of the file without one fills its gap
    assert docs["year"].to_dict() == {"1984_政府工作报告": 1984, "2017_政府工作报告": 2017,
                                      "2003_政府工作报告_中国政府网": 2003, "2026_新闻": 2026,
                                      "2025_通报": 2025}
    assert docs.loc["2026_新闻", "date"] == "2026" and docs.loc["2025_通报", "date"] == "2025-06-30"
    assert c.derived["date"] == ("from column '年份' (4 of 5 documents dated); "
                                 "1 more from the files' text")
    assert not [w for w in caught if "have no year" in str(w.message)]
    # 年份 stays whole numbers although one file has no row
    assert str(docs["年份"].dtype) == "Int64" and docs["年份"].tolist()[0] == 1984
    # date= names the column; a column that is not there is an error naming it
    c = read_folder(reports_folder, metadata=reports_folder / "metadata.csv", date="年份")
    assert c.docs["year"].notna().sum() == 5
    with pytest.raises(MetadataError, match="'发布时间' not found"):
        read_folder(reports_folder, metadata=reports_folder / "metadata.csv", date="发布时间")
    # without metadata the dates are what the files say (bylines), as before
    c = read_folder(reports_folder)
    assert c.docs.set_index("doc_id")["date"].dropna().to_dict() == {
        "2003_政府工作报告_中国政府网": "2003-03-05", "2025_通报": "2025-06-30",
        "2026_新闻": "2026-02-12"}


def test_folder_lists_a_word_doc_it_does_not_read(reports_folder):
    with pytest.warns(UserWarning, match=r"1 file\(s\) of a format bri_text does not read.*"
                                         r"2009_政府工作报告\.doc"):
        c = read_folder(reports_folder, metadata=reports_folder / "metadata.csv")
    assert c.dropped["doc_id"].tolist() == ["2009_政府工作报告"]
    assert c.dropped["reason"].iloc[0].endswith("unsupported format .doc: save it as .docx")
    # metadata.csv, given as metadata, is not listed; a stray workbook is, with the advice
    (reports_folder / "work_reports.xlsx").write_bytes(b"PK\x03\x04" + bytes(32))
    c = read_folder(reports_folder, metadata=reports_folder / "metadata.csv")
    reasons = dict(zip(c.dropped["doc_id"], c.dropped["reason"]))
    assert sorted(reasons) == ["2009_政府工作报告", "work_reports"]
    assert "read_excel" in reasons["work_reports"]
    # the report reads the folder the same way: its "Files not read" come from dropped
    from bri_text.report._inputs import _load

    corpus, _, _ = _load(reports_folder, reports_folder / "metadata.csv")
    assert sorted(corpus.dropped["doc_id"]) == ["2009_政府工作报告", "work_reports"]
    # a pattern that names supported files only lists nothing more
    assert read_folder(reports_folder, pattern="*.txt").dropped.empty


def test_one_rule_says_which_files_are_read(reports_folder, monkeypatch):
    """read_documents asks unsupported_files (once, for every file given), as list_folder
    does: what it lists as not read and why is the helper's answer, not a copy of its rule."""
    from bri_text.io import _files

    calls, real = [], _files.unsupported_files

    def counting(paths):
        calls.append(real(paths))
        return calls[-1]

    monkeypatch.setattr(_files, "unsupported_files", counting)
    with pytest.warns(UserWarning, match="2 file.s. of a format bri_text does not read"):
        c = read_folder(reports_folder)
    assert len(calls) == 2                       # list_folder, then read_documents
    assert [sorted(Path(p).name for p in call) for call in calls] == [
        ["2009_政府工作报告.doc", "metadata.csv"]] * 2
    assert len(list(reports_folder.iterdir())) == 7 and len(c) == 5
    # metadata.csv is a table not given as metadata: listed too, with the helper's advice
    assert sorted(c.dropped["reason"]) == sorted(calls[1].values())
    assert sorted(c.dropped["doc_id"]) == ["2009_政府工作报告", "metadata"]


def test_folder_titles_from_metadata_page_and_broken_first_line(reports_folder):
    c = read_folder(reports_folder, metadata=reports_folder / "metadata.csv")
    titles = c.docs.set_index("doc_id")["title"]
    assert titles["1984_政府工作报告"] == "1984年政府工作报告"     # 标题 gives it
    assert titles["2017_政府工作报告"] == "2017年政府工作报告"     # 标题 replaces the text's
    assert titles["2003_政府工作报告_中国政府网"] == "2003年政府工作报告"  # <title> less _中国政府网
    assert titles["2025_通报"] == "一带一路建设进展通报"           # no row: the text's title
    # without metadata: the broken first line 政府工作报 / 告 is read whole
    c = read_folder(reports_folder)
    docs = c.docs.set_index("doc_id")
    assert docs.loc["2017_政府工作报告", "title"] == "政府工作报告"
    assert docs.loc["2017_政府工作报告", "text"].startswith("政府工作报告\n各位代表")


@pytest.fixture(scope="module")
def raw_reports(tmp_path_factory):
    """The six raw Wikisource work reports that start with their title block, as .txt
    files of one folder, read with read_folder."""
    folder = tmp_path_factory.mktemp("raw_reports")
    for year, content in raw_reports_with_title_block().items():
        (folder / f"{year}.txt").write_text(content, encoding="utf-8")
    return read_folder(folder)


def test_a_speech_dateline_dates_the_report(raw_reports):
    import bri_text as bt

    docs = raw_reports.docs.set_index("doc_id")
    assert docs.index.tolist() == ["1957", "2017", "2021", "2022", "2023", "2024"]
    # each file's date is what its dateline says (——2017年3月5日在第十二届全国人民代表大会
    # 第五次会议上; 1957年6月26日在第一届…第四次会議上, without dashes, Traditional 議); the
    # dataset read the same lines with its own rule (scripts/build_work_reports.py)
    dataset = bt.load_work_reports().docs.set_index("year")["date"]
    assert docs["date"].to_dict() == {d: dataset[int(d)] for d in docs.index}
    assert docs.loc["2017", "date"] == "2017-03-05" and docs.loc["1957", "date"] == "1957-06-26"
    assert docs["year"].tolist() == [1957, 2017, 2021, 2022, 2023, 2024]
    # the dateline stays in the text: it says where the report was given
    assert "——2017年3月5日在第十二届全国人民代表大会第五次会议上" in docs.loc["2017", "text"].split("\n")


def test_dateline_variants_and_sentences_that_only_mention_a_date():
    from bri_text.io._files import _text_metadata

    head = raw_reports_with_title_block()[2017]
    line = "——2017年3月5日在第十二届全国人民代表大会第五次会议上"
    assert line in head
    body = head[head.index("各位代表"):][:300]
    variants = [line, "—— 2017年3月5日 在第十二届全国人民代表大会第五次会议上",
                line.replace("——", "─"), line.replace("——", "— —"),
                "（2017年3月5日在第十二届全国人民代表大会第五次会议上）"]
    for dateline in variants:
        meta = _text_metadata(f"政府工作报告\n{dateline}\n国务院总理　李克强\n{body}")
        assert (meta["title"], meta.get("date")) == ("政府工作报告", "2017-03-05"), dateline
    # a sentence that mentions the date is no dateline, nor is a line that goes on after
    # the venue or puts something before the date
    for sentence in ["2017年3月5日在第十二届全国人民代表大会第五次会议上，李克强作政府工作报告。",
                     "2017年3月5日在第十二届全国人民代表大会第五次会议上所作的政府工作报告",
                     "第十二届全国人民代表大会第五次会议于2017年3月5日在北京开幕",
                     "国务院总理李克强2017年3月5日在第十二届全国人民代表大会第五次会议上"]:
        meta = _text_metadata(f"政府工作报告\n{sentence}\n{body}")
        assert "date" not in meta, sentence


def test_an_adoption_note_dates_a_regulation(tmp_path):
    import bri_text as bt

    bri = bt.load_bri_policies().docs.set_index("doc_id")
    text, title = bri.loc["bri04", "text"], bri.loc["bri04", "title"]
    note = "（2017年12月27日浙江省第十二届人民代表大会常务委员会第四十六次会议通过）"
    assert text.split("\n")[0] == note and title == "中国（浙江）自由贸易试验区条例"
    # the regulation as the dataset has it (the note first) and under its title: dated
    # by the note, as the dataset dates it (date_source 'adopted')
    (tmp_path / "bri04.txt").write_text(text, encoding="utf-8")
    (tmp_path / "bri04_titled.txt").write_text(f"{title}\n{text}", encoding="utf-8")
    docs = read_folder(tmp_path).docs.set_index("doc_id")
    assert docs["date"].tolist() == ["2017-12-27", "2017-12-27"] == [bri.loc["bri04", "date"]] * 2
    assert bri.loc["bri04", "date_source"] == "adopted"
    assert docs.loc["bri04_titled", "title"] == title and pd.isna(docs.loc["bri04", "title"])
    # the note stays in the text
    assert docs.loc["bri04_titled", "text"].split("\n")[:2] == [title, note]


def test_resolutions_are_dated_by_their_adoption_note(tmp_path):
    import bri_text as bt

    dataset = bt.load_work_reports("all").docs.query("kind == 'resolution'")
    ids = dict(zip(dataset["title"], dataset["doc_id"]))
    for title, content in raw_resolutions().items():
        (tmp_path / f"{ids[title]}.txt").write_text(content, encoding="utf-8")
    with pytest.warns(UserWarning, match="16 of 20 documents have no year"):
        docs = read_folder(tmp_path).docs.set_index("doc_id")
    # the four with a note under the title (（2023年3月13日第十四届全国人民代表大会第一次会议
    # 通过）) are dated as the dataset dates them (scripts/build_work_reports.py); the 16
    # without one stay undated, although their first sentence names the session
    expected = dataset.set_index("doc_id")["date"]
    assert len(docs) == 20 and docs["date"].dropna().to_dict() == expected.dropna().to_dict()
    assert expected.dropna().to_dict() == {"res2020": "2020-05-28", "res2021": "2021-03-11",
                                           "res2022": "2022-03-11", "res2023": "2023-03-13"}
    # a resolution names the premier in its first sentence: no speaker of a title block
    assert "author" not in docs.columns


def test_adoption_note_amendments_and_sentences_that_only_mention_an_adoption():
    from bri_text.io._files import _text_metadata

    bri04 = bt_policies_text("bri04")
    title, note, body = "中国（浙江）自由贸易试验区条例", bri04.split("\n")[0], bri04.split("\n", 1)[1]
    adopted = note[1:-1]  # 2017年12月27日浙江省第十二届人民代表大会常务委员会第四十六次会议通过
    amended = "根据2020年9月24日浙江省第十三届人民代表大会常务委员会第二十四次会议《关于修改〈中国（浙江）自由贸易试验区条例〉的决定》修正"

    def date(*head):
        return _text_metadata("\n".join([*head, body])).get("date")

    assert date(title, note) == date(note) == "2017-12-27"
    # adopted, then amended: the latest date, the text as it stands; so too when the note
    # runs over lines, one clause a line; from when it is in force gives no date
    assert date(title, f"（{adopted}　{amended}）") == "2020-09-24"
    assert date(title, f"（{adopted}", f"{amended}）") == "2020-09-24"
    assert date(title, f"（{adopted}，自2018年1月1日起施行）") == "2017-12-27"
    assert date(title, "（2018年1月1日起施行）") is None
    # approved after adoption (a city's regulation approved by the province): the approval
    assert date(title, f"（{adopted}　2018年1月12日浙江省第十二届人民代表大会常务委员会"
                       "第四十七次会议批准）") == "2018-01-12"
    # a sentence that mentions an adoption is no note, nor is a note without a full date,
    # an adoption without its bracket, or a bracketed sentence
    for line in [f"本条例经{adopted}，自2018年1月1日起施行。", adopted,
                 "（2017年12月27日，省人大常委会审议通过了该条例）",
                 "2.《外商投资产业指导目录（2017年修订）》",  # a line of bri01
                 f"（{adopted}。）"]:
        assert date(title, line) is None, line
    # the note's date comes before a byline's (when the page was posted)
    assert date(title, "来源：浙江人大 2018-01-05", note) == "2017-12-27"


def bt_policies_text(doc_id: str) -> str:
    import bri_text as bt

    return bt.load_bri_policies().docs.set_index("doc_id").loc[doc_id, "text"]


def test_a_speech_dated_in_brackets_with_its_place():
    from bri_text.io._files import _text_metadata

    body = ("尊敬的各位国家元首、政府首脑，\n各位部长，\n女士们，先生们，朋友们：\n"
            "今天，来自100多个国家的各界嘉宾齐聚北京，共商“一带一路”建设合作大计。")
    head = ["携手推进“一带一路”建设", "——在“一带一路”国际合作高峰论坛开幕式上的演讲"]
    for dateline in ["（2017年5月14日，北京）", "(2017年5月14日 北京)", "（2017年5月14日、北京）"]:
        meta = _text_metadata("\n".join([*head, dateline, "中华人民共和国主席　习近平", body]))
        assert meta == {"title": "携手推进“一带一路”建设", "date": "2017-05-14", "year": 2017,
                        "date_source": "dateline", "author": "习近平",
                        "author_title": "中华人民共和国主席"}, dateline
    # a bracketed sentence after a date is no place; nor is a date and place without brackets
    for line in ["（2017年5月14日，北京举行了开幕式）", "（2017年5月14日，习近平在北京出席论坛）",
                 "2017年5月14日，北京", "（2017年5月14日，北京。）"]:
        assert "date" not in _text_metadata("\n".join([*head, line, body])), line


def test_the_speaker_under_a_reports_title_is_its_author(raw_reports):
    import bri_text as bt

    docs = raw_reports.docs.set_index("doc_id")
    # 国务院总理 / 李克强 (two lines), 国务院总理 / 李　强 (a spaced two-character name), and
    # 1957's 周恩来 alone under the dateline: the speaker the dataset names
    speakers = bt.load_work_reports().docs.set_index("year")["speaker"]
    assert docs["author"].to_dict() == {d: speakers[int(d)] for d in docs.index}
    assert docs.loc["2024", "author"] == "李强" and docs.loc["1957", "author"] == "周恩来"
    assert docs["author_title"].fillna("").tolist() == [""] + ["国务院总理"] * 5
    # the speaker's lines stay in the text: part of the title block, like the title and
    # the dateline, though 国务院总理 / 李克强 repeat in 4 of the 6 files
    assert raw_reports["2017"].text.split("\n")[:5] == [
        "政府工作报告", "——2017年3月5日在第十二届全国人民代表大会第五次会议上", "国务院总理",
        "李克强", "各位代表："]
    gone = set(raw_reports.removed["text"])
    assert not gone & {"国务院总理", "李克强", "李 强", "周恩来"}


def test_speaker_lines_and_lines_that_only_look_like_one():
    from bri_text.io._files import _text_metadata

    body = "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。"
    dateline = "——2017年3月5日在第十二届全国人民代表大会第五次会议上"
    for speaker in ["国务院总理　李克强", "国务院总理 李克强", "国务院总理李克强", "国务院总理\n李克强"]:
        meta = _text_metadata(f"政府工作报告\n{dateline}\n{speaker}\n{body}")
        assert (meta["author"], meta["author_title"]) == ("李克强", "国务院总理"), speaker
        # right under the title too, without a dateline
        assert _text_metadata(f"政府工作报告\n{speaker}\n{body}")["author"] == "李克强"
    # not a speaker: a sentence naming the premier, a line below a headline that is not
    # the title block (a section's author), a word that is no name (讲话, 前言), a name
    # alone without a dateline above it and the salutation below, lines below the first
    # sentence
    for head in ["政府工作报告\n国务院总理李克强作政府工作报告。",
                 "开放合作 共享机遇\n做强内陆港口枢纽功能\n某市国际港务区管委会主任 赵建国",
                 "学习讲话精神\n习近平总书记 讲话", f"政府工作报告\n{dateline}\n前言",
                 "政府工作报告\n周恩来", f"政府工作报告\n{body}\n国务院总理 李克强"]:
        assert "author" not in _text_metadata(f"{head}\n{body}"), head
    # a byline's author comes first
    meta = _text_metadata(f"政府工作报告\n来源：新华社 作者：王某\n国务院总理 李克强\n{body}")
    assert (meta["author"], meta.get("author_title")) == ("王某", None)


def test_metadata_csv_comes_before_a_dateline_and_a_speaker(raw_reports, tmp_path):
    for year, content in raw_reports_with_title_block().items():
        (tmp_path / f"{year}.txt").write_text(content, encoding="utf-8")
    pd.DataFrame({"file": ["2017.txt"], "date": ["2017-03-16"], "author": ["国务院"]}).to_csv(
        tmp_path / "meta.csv", index=False)
    docs = read_folder(tmp_path, metadata=tmp_path / "meta.csv").docs.set_index("doc_id")
    # the table's values for 2017.txt; what the other files say (dateline, speaker) fills
    # the rest
    assert (docs.loc["2017", "date"], docs.loc["2017", "author"]) == ("2017-03-16", "国务院")
    assert docs.loc["2017", "year"] == 2017 and docs.loc["2017", "author_title"] == "国务院总理"
    assert docs.drop(index="2017")[["date", "author"]].to_dict("list") == raw_reports.docs.set_index(
        "doc_id").drop(index="2017")[["date", "author"]].to_dict("list")


def test_every_reports_title_line_stays_and_the_wikisource_footer_goes(raw_reports):
    # all six start with 政府工作报告, a line repeated in 3+ documents: it is their title,
    # not site chrome; the licence footer Wikisource adds to every page goes
    assert [t.split("\n")[0] for t in raw_reports.texts] == ["政府工作报告"] * 6
    assert raw_reports.docs["title"].tolist() == ["政府工作报告"] * 6
    assert raw_reports["2017"].text.split("\n")[:2] == [
        "政府工作报告", "——2017年3月5日在第十二届全国人民代表大会第五次会议上"]
    gone = raw_reports.removed.query("step == 'remove_repeated_lines'")
    assert "政府工作报告" not in set(gone["text"])
    by_doc = gone.groupby("doc_id")["text"].apply(set)
    assert all({"本作品是中华人民共和国的", "公有领域", "Public domain"} <= by_doc[d]
               for d in raw_reports.doc_ids)
    assert not any("Public domain" in t or "公有领域" in t for t in raw_reports.texts)


def test_gov_page_byline_is_read_and_removed(reports_folder):
    c = read_folder(reports_folder, pattern="*.html")
    doc = c.docs.iloc[0]
    assert (doc["date"], doc["source"]) == ("2003-03-05", "新华社")
    # (one page: its menu lines stay; repeated in 3 pages they go as templated chrome)
    assert "\n2003年政府工作报告\n各位代表:\n" in doc["text"]
    assert "新华社" not in doc["text"] and "09:00" not in doc["text"]
    removed = c.removed[c.removed["step"] == "remove_bylines"]["text"].tolist()
    assert removed == ["2003-03-05 09:00", "来源： 新华社"]


def test_same_report_as_txt_and_html_keeps_both(reports_folder):
    body = _report_head(2003)
    (reports_folder / "2003_政府工作报告_中国政府网.txt").write_text(body, encoding="utf-8")
    with pytest.warns(UserWarning, match=r"2003_政府工作报告_中国政府网\.html and "
                                         r"2003_政府工作报告_中国政府网\.txt"):
        c = read_folder(reports_folder, pattern="2003*")
    assert c.doc_ids == ["2003_政府工作报告_中国政府网.html", "2003_政府工作报告_中国政府网.txt"]
    c = read_folder(reports_folder, doc_id="name", pattern="*.txt")
    assert "1984_政府工作报告.txt" in c.doc_ids


# ---------------------------------------------------------------------- official documents
GONGWEN = """国务院办公厅关于进一步做好稳外贸稳外资工作的意见

国办发〔2020〕28号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
    为应对疫情影响，进一步做好稳外贸稳外资工作，经国务院同意，现提出以下意见。
    一、加大对外贸企业的支持力度。
国务院办公厅
2020年8月5日
（此件公开发布）
"""
OLD_NOTICE = """某某市人民政府关于印发某某方案的通知
各区县人民政府，市政府各部门：
    现将《某某方案》印发给你们，请认真贯彻执行。
某某市人民政府
二〇一九年十二月三十一日
"""


def test_an_official_documents_number_signature_and_issuer(tmp_path):
    (tmp_path / "a.txt").write_text(GONGWEN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OLD_NOTICE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(OLD_NOTICE.replace("〇", "○"), encoding="gb18030")
    corpus = read_folder(tmp_path, keep_apparatus=True)
    docs = corpus.docs.set_index("doc_id")
    assert docs.loc["a", ["title", "doc_number", "date", "year", "date_source", "author"]].tolist() == [
        "国务院办公厅关于进一步做好稳外贸稳外资工作的意见", "国办发〔2020〕28号", "2020-08-05", 2020,
        "signature", "国务院办公厅"]
    # the 成文日期 in Chinese numerals (〇 or ○); no document number
    for d in ("b", "c"):
        assert docs.loc[d, ["date", "date_source", "author"]].tolist() == [
            "2019-12-31", "signature", "某某市人民政府"]
        assert pd.isna(docs.loc[d, "doc_number"])
    # the lines stay in the text
    assert docs.loc["a", "text"].split("\n")[1] == "国办发〔2020〕28号"
    assert docs.loc["a", "text"].split("\n")[-3:] == ["国务院办公厅", "2020年8月5日", "（此件公开发布）"]
    # with keep_apparatus=True the lines stay in the text
    assert docs.loc["a", "text"].split("\n")[1] == "国办发〔2020〕28号"
    assert docs.loc["a", "text"].split("\n")[-3:] == ["国务院办公厅", "2020年8月5日", "（此件公开发布）"]
    assert "remove_document_apparatus" not in set(corpus.removed["step"])
    # by default they go, into corpus.removed; the metadata read from them is the same
    cleaned = read_folder(tmp_path, pattern="[ab].txt")
    again = cleaned.docs.set_index("doc_id")
    cols = ["title", "doc_number", "date", "date_source", "author"]
    assert again[cols].equals(docs.loc[["a", "b"], cols])
    assert again.loc["a", "text"].split("\n") == [
        "国务院办公厅关于进一步做好稳外贸稳外资工作的意见",
        "为应对疫情影响，进一步做好稳外贸稳外资工作，经国务院同意，现提出以下意见。",
        "一、加大对外贸企业的支持力度。"]
    gone = cleaned.removed[cleaned.removed["step"] == "remove_document_apparatus"]
    assert gone.groupby("doc_id")["text"].apply(list).to_dict() == {
        "a": ["国办发〔2020〕28号", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：", "国务院办公厅",
              "2020年8月5日", "（此件公开发布）"],
        "b": ["各区县人民政府，市政府各部门：", "某某市人民政府", "二〇一九年十二月三十一日"]}


#: two provinces' 公文 in the layout of GB/T 9704-2012 (版头, number, title, addressees,
#: body, attachment list, signature, 成文日期 in Chinese numerals, trailer lines)
ZJ_NOTICE = """浙江省人民政府办公厅文件

浙政办发〔2021〕12号

浙江省人民政府办公厅关于推进数字化改革优化营商环境的通知

各市、县（市、区）人民政府，省政府直属各单位：
    经省人民政府同意，现就推进数字化改革、优化营商环境有关事项通知如下。
    一、推动“浙里办”掌上办事全覆盖，2021年12月31日前实现高频事项“一网通办”。
    二、省政府直属各单位要按照职责分工抓好落实。
附件：1.重点任务清单
浙江省人民政府办公厅
二〇二一年四月八日
（此件公开发布）
抄送：省委各部门，省人大常委会办公厅。
浙江省人民政府办公厅    2021年4月9日印发
"""
JS_NOTICE = """江苏省人民政府关于深化“不见面审批”改革的意见
苏政发〔2020〕45号
各市、县（市、区）人民政府，省各委办厅局，省各直属单位：
    为深化“不见面审批（服务）”改革，现提出以下意见。
    一、全面推行“不见面审批”，企业开办时间压缩至2个工作日以内。
江苏省人民政府
2020年5月29日
（此件主动公开）
"""


def test_an_official_documents_apparatus_is_cleaned_out_and_logged(tmp_path):
    """The number line, the head above it, the addressees, the signature block and the
    trailer lines go (each logged in corpus.removed), so keyness no longer sees 政办发,
    直属 or the issuing organ's line; the metadata is the same as when they are kept."""
    import bri_text as bt

    (tmp_path / "zj.txt").write_text(ZJ_NOTICE, encoding="gbk")
    (tmp_path / "js.txt").write_text(JS_NOTICE, encoding="utf-8")
    corpus = read_folder(tmp_path)
    docs = corpus.docs.set_index("doc_id")
    kept = read_folder(tmp_path, keep_apparatus=True).docs.set_index("doc_id")
    cols = ["title", "doc_number", "date", "date_source", "author"]
    assert docs.loc["zj", cols].tolist() == [
        "浙江省人民政府办公厅关于推进数字化改革优化营商环境的通知", "浙政办发〔2021〕12号", "2021-04-08",
        "signature", "浙江省人民政府办公厅"]
    assert docs.loc["js", cols].tolist() == [
        "江苏省人民政府关于深化“不见面审批”改革的意见", "苏政发〔2020〕45号", "2020-05-29", "signature",
        "江苏省人民政府"]
    assert docs[cols].equals(kept[cols])
    gone = corpus.removed[corpus.removed["step"] == "remove_document_apparatus"]
    assert gone.groupby("doc_id")["text"].apply(list).to_dict() == {
        "js": ["苏政发〔2020〕45号", "各市、县（市、区）人民政府，省各委办厅局，省各直属单位：", "江苏省人民政府",
               "2020年5月29日", "（此件主动公开）"],
        "zj": ["浙江省人民政府办公厅文件", "浙政办发〔2021〕12号", "各市、县（市、区）人民政府，省政府直属各单位：",
               "浙江省人民政府办公厅", "二〇二一年四月八日", "（此件公开发布）", "抄送：省委各部门，省人大常委会办公厅。",
               "浙江省人民政府办公厅2021年4月9日印发"]}
    # the title, the body's sentences (省政府直属各单位 and a date among them) and the
    # attachment list stay
    assert docs.loc["zj", "text"].split("\n") == [
        "浙江省人民政府办公厅关于推进数字化改革优化营商环境的通知",
        "经省人民政府同意，现就推进数字化改革、优化营商环境有关事项通知如下。",
        "一、推动“浙里办”掌上办事全覆盖，2021年12月31日前实现高频事项“一网通办”。",
        "二、省政府直属各单位要按照职责分工抓好落实。", "附件：1.重点任务清单"]
    # what keyness counts: no piece of a number, no addressee's 直属 outside the body
    vocab = set(bt.dtm(bt.tokenize(corpus.reshape("paragraph"))).terms)
    vocab_kept = set(bt.dtm(bt.tokenize(read_folder(tmp_path, keep_apparatus=True)
                                        .reshape("paragraph"))).terms)
    assert {"政办发", "政发"} & vocab_kept and not {"政办发", "政发"} & vocab
    assert "各委办" in vocab_kept and "各委办" not in vocab
    paragraphs = corpus.reshape("paragraph").docs["text"]
    assert paragraphs[paragraphs.str.contains("直属")].tolist() == [
        "二、省政府直属各单位要按照职责分工抓好落实。"]


def test_tables_of_official_documents_clean_as_files_do_and_keep_apparatus_when_asked(
        tmp_path):
    """The two provinces' 公文 as rows of a CSV, a JSON-lines file and a workbook: cleaned
    as read_folder cleans the same texts as files (apparatus out, logged), and with
    keep_apparatus=True, as read_folder(keep_apparatus=True), every line kept."""
    rows = pd.DataFrame({"doc_id": ["js", "zj"], "region": ["江苏", "浙江"],
                         "text": [JS_NOTICE, ZJ_NOTICE]})
    rows.to_csv(tmp_path / "docs.csv", index=False, encoding="utf-8")
    (tmp_path / "docs.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows.to_dict("records")),
        encoding="utf-8")
    rows.to_excel(tmp_path / "docs.xlsx", index=False)
    files = tmp_path / "files"
    files.mkdir()
    for d, t in zip(rows["doc_id"], rows["text"]):
        (files / f"{d}.txt").write_text(t, encoding="utf-8")
    readers = {"csv": lambda **k: read_csv(tmp_path / "docs.csv", **k),
               "jsonl": lambda **k: read_jsonl(tmp_path / "docs.jsonl", **k),
               "xlsx": lambda **k: read_excel(tmp_path / "docs.xlsx", **k)}
    for keep in (False, True):
        as_files = read_folder(files, keep_apparatus=keep)
        for kind, read in readers.items():
            c = read(keep_apparatus=keep)
            assert c.doc_ids == ["js", "zj"], kind
            assert c.texts == as_files.texts, (kind, keep)
            assert ("江苏省人民政府\n2020年5月29日\n（此件主动公开）" in c.texts[0]) is keep
            assert ("remove_document_apparatus" in set(c.removed["step"])) is not keep
    cleaned = read_csv(tmp_path / "docs.csv")
    assert cleaned.texts[0].split("\n") == [
        "江苏省人民政府关于深化“不见面审批”改革的意见", "为深化“不见面审批（服务）”改革，现提出以下意见。",
        "一、全面推行“不见面审批”，企业开办时间压缩至2个工作日以内。"]
    gone = cleaned.removed[cleaned.removed["step"] == "remove_document_apparatus"]
    assert gone[gone["doc_id"] == "js"]["text"].tolist() == [
        "苏政发〔2020〕45号", "各市、县（市、区）人民政府，省各委办厅局，省各直属单位：", "江苏省人民政府",
        "2020年5月29日", "（此件主动公开）"]
    # clean=False leaves the text as it is, whatever keep_apparatus says
    assert read_csv(tmp_path / "docs.csv", clean=False, keep_apparatus=False).texts[1] == \
        ZJ_NOTICE


def test_sentences_naming_addressees_or_dates_are_no_apparatus(tmp_path):
    """A body sentence naming 省政府直属各单位, a date under the last sentence of an article
    without a number or a signature, and a speech's salutation stay."""
    from bri_text.cleaning import remove_document_apparatus

    article = ("关于优化营商环境的几点思考\n各市、县（市、区）人民政府，省政府直属各单位要抓好落实。\n"
               "省政府直属各单位：要进一步压实责任。\n2021年4月8日")
    assert remove_document_apparatus(article) == article
    speech = "政府工作报告\n各位代表：\n现在，我代表省人民政府，向大会报告工作。"
    assert remove_document_apparatus(speech) == speech
    (tmp_path / "a.txt").write_text(article, encoding="utf-8")
    corpus = read_folder(tmp_path)
    assert corpus.texts == [article]
    assert "remove_document_apparatus" not in set(corpus.removed["step"])


def test_the_dataset_documents_as_files_give_their_own_dates_and_numbers(tmp_path):
    """The 27 documents of the built-in dataset, each written as its page shows it (title,
    document number when it has one, text), read back: the 13 the dataset dates by their
    signature get that date; the others stay undated (bri04 excepted, dated by its
    adoption note), so no date of a table's cell (bri03) or a sentence is taken; the 11
    numbers come back, and no number a sentence cites (bri02's 国发[2017]39号)."""
    import bri_text as bt

    dataset = bt.load_bri_policies().docs.set_index("doc_id")
    for doc_id, row in dataset.iterrows():
        number = [row["doc_number"]] if isinstance(row["doc_number"], str) else []
        (tmp_path / f"{doc_id}.txt").write_text("\n".join([row["title"], *number, row["text"]]),
                                                encoding="utf-8")
    with pytest.warns(UserWarning, match="no year"):
        docs = read_folder(tmp_path).docs.set_index("doc_id")
    signed = dataset.index[dataset["date_source"] == "signature"]
    assert len(signed) == 13
    assert docs.loc[signed, "date"].tolist() == dataset.loc[signed, "date"].tolist()
    assert set(docs.loc[signed, "date_source"]) == {"signature"}
    assert docs["date"].dropna().index.tolist() == sorted([*signed, "bri04"])
    assert docs.loc["bri04", "date_source"] == "adopted"
    assert docs["doc_number"].dropna().to_dict() == dataset["doc_number"].dropna().to_dict()
    assert len(docs["doc_number"].dropna()) == 11 and "国发[2017]39号" in dataset.loc["bri02", "text"]
    assert docs["title"].tolist() == dataset["title"].tolist()
    # the organs signing: one, several on one line, several on lines of their own
    assert docs.loc[["bri13", "bri10", "bri05"], "author"].tolist() == [
        "河南省人民政府", "财政部;税务总局;科技部", "国家标准委;国家发展改革委;商务部"]
    # bri12's date has no organ above it: a signature only in a document with a number
    bri12 = dataset.loc["bri12"]
    assert bri12["text"].split("\n")[2] == "2017年11月2日"
    (tmp_path / "bri12.txt").write_text(f"{bri12['title']}\n{bri12['text']}", encoding="utf-8")
    with pytest.warns(UserWarning, match="no year"):
        again = read_folder(tmp_path).docs.set_index("doc_id")
    assert pd.isna(again.loc["bri12", "date"]) and pd.isna(again.loc["bri12", "author"])


def test_metadata_comes_before_an_official_documents_number_and_signature(tmp_path):
    (tmp_path / "a.txt").write_text(GONGWEN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OLD_NOTICE, encoding="utf-8")
    pd.DataFrame({"file": ["a.txt"], "date": ["2020-08-12"], "doc_number": ["国办发〔2020〕99号"],
                  "author": ["国务院"]}).to_csv(tmp_path / "meta.csv", index=False)
    docs = read_folder(tmp_path, metadata=tmp_path / "meta.csv").docs.set_index("doc_id")
    assert docs.loc["a", ["date", "doc_number", "author"]].tolist() == [
        "2020-08-12", "国办发〔2020〕99号", "国务院"]
    # the date is the table's, not the signature's: no rule of the text gave it
    assert pd.isna(docs.loc["a", "date_source"])
    assert docs.loc["b", ["date", "date_source", "author"]].tolist() == [
        "2019-12-31", "signature", "某某市人民政府"]


def test_a_dateline_or_adoption_note_comes_before_the_signature_and_a_byline_after():
    from bri_text.io._files import _text_metadata

    meta = _text_metadata(GONGWEN.replace("\n\n国办发", "\n来源：中国政府网 2020-08-12 17:00\n国办发"))
    # the signature's 成文日期 dates it; the byline's (when the page was posted) is kept
    assert (meta["date"], meta["date_source"], meta["date_posted"], meta["source"],
            meta["author"], meta["doc_number"]) == (
        "2020-08-05", "signature", "2020-08-12", "中国政府网", "国务院办公厅", "国办发〔2020〕28号")
    # without a signature, the byline's date dates it
    unsigned = GONGWEN.split("国务院办公厅\n2020")[0]
    meta = _text_metadata(unsigned.replace("\n\n国办发", "\n来源：中国政府网 2020-08-12 17:00\n国办发"))
    assert (meta["date"], meta["date_source"]) == ("2020-08-12", "byline")
    meta = _text_metadata(GONGWEN.replace("\n\n国办发", "\n（2020年8月1日国务院常务会议通过）\n国办发"))
    assert (meta["date"], meta["date_source"]) == ("2020-08-01", "adopted")
    # a short notice: its signature's date, among the first five lines, is no dateline
    meta = _text_metadata(OLD_NOTICE)
    assert (meta["date"], meta["date_source"]) == ("2019-12-31", "signature")


@pytest.mark.parametrize("line, number", [
    ("国办发〔2020〕28号", "国办发〔2020〕28号"), ("国发〔2017〕39号", "国发〔2017〕39号"),
    ("浙政办发[2018]12号", "浙政办发[2018]12号"), ("某政发（2019）5号", "某政发（2019）5号"),
    ("冀教外﹝2016﹞108号", "冀教外﹝2016﹞108号"), ("国办发 〔2020〕 28 号", "国办发〔2020〕28号"),
    ("某政发〔2019〕5号　　签发人：王某某", "某政发〔2019〕5号"),
    ("发文字号：国办发〔2020〕28号", "国办发〔2020〕28号")])
def test_document_number_lines(line, number):
    from bri_text.io._files import _text_metadata

    text = GONGWEN.replace("国办发〔2020〕28号", line)
    assert _text_metadata(text)["doc_number"] == number
    # under the organ's mark (版头), or first: the title is the line under the number
    meta = _text_metadata(f"国务院办公厅文件\n{line}\n{text}".replace("\n\n", "\n", 1)
                          .replace(f"{line}\n\n{line}", line))
    assert meta["doc_number"] == number


def test_the_title_under_the_organs_mark_and_the_number():
    from bri_text.io._files import _text_metadata

    title = "国务院办公厅关于进一步做好稳外贸稳外资工作的意见"
    body = GONGWEN.split("\n", 3)[3]
    for head in ["国务院办公厅文件\n国办发〔2020〕28号", "国办发〔2020〕28号"]:
        meta = _text_metadata(f"{head}\n{title}\n{body}")
        assert (meta["title"], meta["doc_number"]) == (title, "国办发〔2020〕28号"), head


def test_numbers_cited_in_sentences_or_titles_are_no_document_number():
    from bri_text.io._files import _text_metadata

    body = "各省、自治区、直辖市人民政府：\n现提出以下意见。\n国务院办公厅\n2020年8月5日"
    for head in ["为贯彻落实《国务院关于促进外贸增长若干措施的通知》（国发〔2017〕39号），现提出以下意见。",
                 "国务院关于促进外贸增长若干措施的通知（国发〔2017〕39号）",
                 "依据国发〔2017〕39号",
                 "国发〔2017〕39号文件精神"]:
        assert "doc_number" not in _text_metadata(f"标题\n{head}\n{body}"), head
    # a number line below the first sentence is not the document's
    assert "doc_number" not in _text_metadata(f"标题\n各单位：\n现通知如下。\n国发〔2017〕39号\n{body}")


def test_trailers_and_attachments_around_a_signature():
    from bri_text.io._files import _text_metadata

    head = "关于某事项的通知\n某政发〔2019〕5号\n各单位：\n现将有关事项通知如下。"
    for sig in ["某某市人民政府\n2019年12月31日\n（此件主动公开）\n抄送：市委办公室。\n某某市人民政府办公室 2019年12月31日印发",
                "附件：1.某某方案\n2.某某清单\n某某市人民政府\n2019年12月31日",
                "（此页无正文）\n某某市人民政府\n2019年12月31日\n附件1\n某某方案\n一、总体要求\n（一）指导思想。",
                "某某市人民政府 某某市财政局\n2019年12月31日",
                "某 某 市 人 民 政 府\n2019年12月31日"]:
        meta = _text_metadata(f"{head}\n{sig}")
        assert (meta["date"], meta["date_source"]) == ("2019-12-31", "signature"), sig
        assert meta["author"] in {"某某市人民政府", "某某市人民政府;某某市财政局"}, sig
    # an impossible date: no date, the organ still named
    meta = _text_metadata(f"{head}\n某某市人民政府\n二〇一九年二月三十日")
    assert "date" not in meta and meta["author"] == "某某市人民政府"


def test_dates_that_are_no_signature():
    from bri_text.io._files import _text_metadata

    article = ("中欧班列开行数量创新高\n本报讯 今年以来，中欧班列开行数量持续增长。\n"
               "业内人士认为，班列将继续保持增长态势，为稳外贸发挥更大作用。")
    for tail in [
            "2019年12月31日",                                # a date alone ending an article
            "新华社\n2019年12月31日",                         # a news agency is no organ
            "本通知自2019年12月31日起施行。",                 # a date inside a sentence
            "某某市人民政府\n2019年12月31日前完成",           # a deadline, not a date alone
            "序号 任务 牵头单位 完成时间\n1\n建设口岸\n省商务厅\n2019年12月31日",  # a table's last cell
            "1.建设口岸。\n省商务厅\n2019年6月30日\n2.完善通道。\n省交通运输厅\n2019年12月31日"]:  # rows
        meta = _text_metadata(f"{article}\n{tail}")
        assert "date" not in meta and "author" not in meta, tail
    # under a first sentence, a date alone is no dateline either
    assert "date" not in _text_metadata("标题\n会议强调，要抓好落实。\n2019年12月31日")


def test_the_title_under_a_full_document_head():
    from bri_text.io._files import _text_metadata

    title = "国务院办公厅关于进一步做好稳外贸稳外资工作的意见"
    body = GONGWEN.split("\n", 3)[3]
    meta = _text_metadata(f"000123\n机密★1年\n特急\n国务院办公厅文件\n国办发〔2020〕28号\n{title}\n{body}")
    assert (meta["title"], meta["doc_number"], meta["date"]) == (title, "国办发〔2020〕28号",
                                                                 "2020-08-05")


def test_the_reports_date_note_counts_how_a_folders_files_were_dated(tmp_path):
    from bri_text.report._inputs import _date_note

    (tmp_path / "a.txt").write_text(GONGWEN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OLD_NOTICE, encoding="utf-8")
    (tmp_path / "c.txt").write_text("标题\n来源：中国政府网 2020-08-12\n正文。", encoding="utf-8")
    note = _date_note(read_folder(tmp_path), str(tmp_path), "date")
    assert "date_source — signature: 2, byline: 1" in note and "posted" in note


def test_an_official_document_as_word_and_as_a_web_page(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in OLD_NOTICE.strip().split("\n"):
        d.add_paragraph(line.strip())
    d.save(str(tmp_path / "b.docx"))
    lines = [line.strip() for line in GONGWEN.strip().split("\n") if line.strip()]
    (tmp_path / "a.html").write_text(
        f"<html><head><title>{lines[0]}_中国政府网</title></head><body>"
        + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>", encoding="utf-8")
    docs = read_folder(tmp_path).docs.set_index("doc_id")
    assert docs.loc["b", ["date", "date_source", "author"]].tolist() == [
        "2019-12-31", "signature", "某某市人民政府"]
    assert docs.loc["a", ["title", "doc_number", "date", "author"]].tolist() == [
        lines[0], "国办发〔2020〕28号", "2020-08-05", "国务院办公厅"]


# ---------------------------------------------------------------------- a gov.cn page
GOV_TITLE = "浙江省人民政府办公厅关于以数字化改革为引领持续优化营商环境的通知"


def _gov_page(signed="二〇二一年四月八日", table_signed="2021-04-08", posted="2021-04-12",
              table=True) -> str:
    """A provincial government's policy page as gov.cn sites lay it out: menu, breadcrumb,
    the 信息公开 table (label and value in cells of their own), the heading, a byline, the
    document (title, number, addressees, body, attachment, signature in Chinese numerals)
    and the footer."""
    info = ("<table class='xxgk'>"
            "<tr><td>索引号：</td><td>002482410/2021-00123</td><td>主题分类：</td><td>综合政务/其他</td></tr>"
            f"<tr><td>发文机关：</td><td>浙江省人民政府办公厅</td><td>成文日期：</td><td>{table_signed}</td></tr>"
            f"<tr><td>标题：</td><td colspan='3'>{GOV_TITLE}</td></tr>"
            "<tr>\n <td>发文字号：</td>\n <td>浙政办发〔2021〕12号</td><td>发布日期：</td>"
            f"<td>{posted}</td></tr></table>") if table else ""
    return (
        f"<html><head><title>{GOV_TITLE}_浙江省人民政府</title></head><body>"
        "<div class='nav'><a>首页</a> <a>政务公开</a> <a>政务服务</a> <a>互动交流</a> <a>走进浙江</a></div>"
        "<div class='crumb'>当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>政策文件</a></div>"
        f"{info}<h1>{GOV_TITLE}</h1>"
        f"<div class='byline'>来源：浙江省人民政府办公厅　　发布时间：{posted} 10:30</div>"
        f"<div class='content'><p>{GOV_TITLE}</p><p>浙政办发〔2021〕12号</p>"
        "<p>各市、县（市、区）人民政府，省政府直属各单位：</p>"
        "<p>为以数字化改革撬动营商环境全面优化，经省政府同意，现将有关事项通知如下。</p>"
        "<p>一、以数字化改革重塑政务服务</p><p>（一）迭代升级“浙里办”，推动政务服务事项“一网通办”全覆盖。</p>"
        "<p>各地、各有关部门要结合实际抓好贯彻落实。</p>"
        "<p>附件：浙江省数字化改革营商环境重点任务清单</p>"
        f"<p>浙江省人民政府办公厅</p><p>{signed}</p><p>（此件公开发布）</p></div>"
        "<div class='footer'>主办单位：浙江省人民政府办公厅<br>浙ICP备05012345号</div>"
        "</body></html>")


def test_a_gov_page_info_table_gives_metadata_and_leaves_the_text(tmp_path):
    (tmp_path / "zj.html").write_text(_gov_page(), encoding="utf-8")
    c = read_folder(tmp_path)
    doc = c.docs.iloc[0]
    assert (doc["title"], doc["doc_number"], doc["date"], doc["date_source"], doc["date_posted"],
            doc["author"]) == (GOV_TITLE, "浙政办发〔2021〕12号", "2021-04-08", "field_table",
                               "2021-04-12", "浙江省人民政府办公厅")
    lines = doc["text"].split("\n")
    # the title once (not the table's 标题 cell, nor the heading and the title line both)
    assert doc["text"].count(GOV_TITLE) == 1 and lines[0] == GOV_TITLE
    for label in ("索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期"):
        assert label not in doc["text"], label
    # with the table gone, the number line, the signature and the note under it are the
    # document's apparatus: out of the text, logged (keep_apparatus=True keeps them)
    apparatus = c.removed.loc[c.removed["step"] == "remove_document_apparatus", "text"].tolist()
    assert apparatus[0] == "浙政办发〔2021〕12号" and apparatus[-3:] == [
        "浙江省人民政府办公厅", "二〇二一年四月八日", "（此件公开发布）"]
    assert lines[-1].startswith("附件：")
    kept = read_folder(tmp_path, keep_apparatus=True).docs.iloc[0]["text"].split("\n")
    assert kept[:2] == [GOV_TITLE, "浙政办发〔2021〕12号"]
    assert kept[-3:] == ["浙江省人民政府办公厅", "二〇二一年四月八日", "（此件公开发布）"]
    # the table's lines are logged, one field a line, under a step of their own, with the
    # page's heading over the title line (the title kept once); the byline under its own
    table = c.removed.loc[c.removed["step"] == "remove_field_table", "text"].tolist()
    assert table == ["索引号：002482410/2021-00123", "主题分类：综合政务/其他",
                     "发文机关：浙江省人民政府办公厅", "成文日期：2021-04-08", f"标题：{GOV_TITLE}",
                     "发文字号：浙政办发〔2021〕12号", "发布日期：2021-04-12", GOV_TITLE]
    assert c.removed.loc[c.removed["step"] == "remove_bylines", "text"].tolist() == [
        "来源：浙江省人民政府办公厅 发布时间：2021-04-12 10:30"]
    steps = c.cleaning_report.set_index("step")
    assert steps.loc["remove_field_table", "lines_removed"] == 8
    assert steps.loc["remove_bylines", "lines_removed"] == 1


def test_a_documents_own_date_comes_before_the_pages_posting_date(tmp_path):
    """Signed 30 December 2021, posted 5 January 2022: the document is of 2021."""
    (tmp_path / "table.html").write_text(_gov_page("二〇二一年十二月三十日", "2021-12-30", "2022-01-05"),
                                         encoding="utf-8")
    (tmp_path / "signature.html").write_text(
        _gov_page("二〇二一年十二月三十日", posted="2022-01-05", table=False), encoding="utf-8")
    (tmp_path / "article.txt").write_text("标题\n来源：浙江日报 2022-01-05\n正文。", encoding="utf-8")
    docs = read_folder(tmp_path).docs.set_index("doc_id")
    got = docs[["date", "year", "date_source", "date_posted"]]
    assert got.loc["table"].tolist() == ["2021-12-30", 2021, "field_table", "2022-01-05"]
    assert got.loc["signature"].tolist() == ["2021-12-30", 2021, "signature", "2022-01-05"]
    # without a date of its own, the posting date dates it
    assert got.loc["article"].tolist() == ["2022-01-05", 2022, "byline", "2022-01-05"]
    # without the table and the heading, the number still comes back
    assert docs.loc["signature", "doc_number"] == "浙政办发〔2021〕12号"
    # a metadata table's date still comes first
    pd.DataFrame({"file": ["table.html"], "date": ["2022-02-01"]}).to_csv(tmp_path / "m.csv",
                                                                        index=False)
    docs = read_folder(tmp_path, metadata=tmp_path / "m.csv").docs.set_index("doc_id")
    assert docs.loc["table", "date"] == "2022-02-01" and pd.isna(docs.loc["table", "date_source"])


def test_a_labelled_field_table_in_a_text_file_and_table_cells_in_html(tmp_path):
    from bri_text.cleaning import strip_html

    # the rule is the layout, label：value lines above the text, not gov.cn's page
    (tmp_path / "a.txt").write_text(
        "文号：某政发〔2019〕5号\n发布机构：某市人民政府\n成文日期：2019年12月30日\n"
        "某市人民政府关于印发某方案的通知\n各区县人民政府：\n现将《某方案》印发给你们，请认真贯彻执行。",
        encoding="utf-8")
    doc = read_folder(tmp_path).docs.iloc[0]
    assert (doc["doc_number"], doc["author"], doc["date"], doc["title"]) == (
        "某政发〔2019〕5号", "某市人民政府", "2019-12-30", "某市人民政府关于印发某方案的通知")
    assert doc["text"].startswith("某市人民政府关于印发某方案的通知\n各区县人民政府：")
    # two labelled lines are no table; nor are labelled lines under the first sentence
    for text in ["标题\n联系人：张三\n电话：12345\n正文。",
                 "标题\n正文。\n联系人：张三\n电话：12345\n地址：某路1号"]:
        assert "联系人：张三" in read_text(tmp_path, text)
    # the cells of a data table are separated, not glued into one word
    assert strip_html("<table><tr><td>序号</td><td>任务</td></tr><tr><td>1</td><td>建设口岸</td>"
                      "</tr></table><p>正文。</p>").split() == ["序号", "任务", "1", "建设口岸", "正文。"]


#: a city's notice as its site's page gives it: one or two labelled lines above the title
SHORT_HEADERS = {
    # the date it was signed, above the title; the signature's date (3 days later) comes after
    "signed": "成文日期：2021年3月5日\n某市人民政府关于加快数字经济发展的意见\n"
              "某政发〔2021〕3号\n各区县人民政府，市政府各部门：\n为加快数字经济发展，现提出以下意见。\n"
              "一、加强数字基础设施建设。\n某市人民政府\n2021年3月8日",
    # its number and signing date under the title, in Chinese numerals
    "numbered": "某市人民政府办公室关于推进跨境电商发展的通知\n发文字号：某政办发〔2022〕7号\n"
                "成文日期：二〇二二年一月十日\n各区县人民政府：\n现将有关事项通知如下。",
    # posted, not signed: the posting date, last in the order, and date_posted
    "posted": "某市商务局关于开展外贸企业调研的通知\n发布日期：2023-03-12\n"
              "为了解外贸企业经营情况，现开展调研。",
    # both: signed 2021-12-30, posted 2022-01-05: of 2021
    "both": "发布日期：2022-01-05\n成文日期：2021年12月30日\n某市人民政府关于做好元旦春节期间有关工作的通知\n"
            "各区县人民政府：\n元旦春节将至，现就有关工作通知如下。",
}


def test_one_or_two_labelled_lines_above_the_text_are_read_for_the_known_labels(tmp_path):
    """成文日期 / 发文字号 / 发布日期 on a line of their own above the first sentence give
    date (field_table, before a signature), doc_number and date_posted, as a field table's
    lines do, and go out of the text into corpus.removed (step remove_field_table); other
    labels (联系人, 电话, 索引号) on fewer than three lines stay in the text."""
    for name, text in SHORT_HEADERS.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    c = read_folder(tmp_path)
    docs = c.docs.set_index("doc_id")
    cols = ["title", "date", "date_source", "date_posted", "doc_number"]
    got = {d: [None if pd.isna(v) else v for v in docs.loc[d, cols]] for d in SHORT_HEADERS}
    assert got == {
        "signed": ["某市人民政府关于加快数字经济发展的意见", "2021-03-05", "field_table", None,
                   "某政发〔2021〕3号"],
        "numbered": ["某市人民政府办公室关于推进跨境电商发展的通知", "2022-01-10", "field_table", None,
                     "某政办发〔2022〕7号"],
        "posted": ["某市商务局关于开展外贸企业调研的通知", "2023-03-12", "byline", "2023-03-12", None],
        "both": ["某市人民政府关于做好元旦春节期间有关工作的通知", "2021-12-30", "field_table", "2022-01-05",
                 None]}
    table = c.removed[c.removed["step"] == "remove_field_table"]
    assert table.groupby("doc_id")["text"].apply(list).to_dict() == {
        "both": ["发布日期：2022-01-05", "成文日期：2021年12月30日"],
        "numbered": ["发文字号：某政办发〔2022〕7号", "成文日期：二〇二二年一月十日"],
        "posted": ["发布日期：2023-03-12"], "signed": ["成文日期：2021年3月5日"]}
    assert docs.loc["posted", "text"].split("\n") == [
        "某市商务局关于开展外贸企业调研的通知", "为了解外贸企业经营情况，现开展调研。"]
    assert not docs["text"].str.contains("成文日期|发布日期|发文字号").any()
    # without the line, the signature dates "signed" (2021-03-08), as before
    (tmp_path / "signed.txt").write_text(SHORT_HEADERS["signed"].split("\n", 1)[1],
                                         encoding="utf-8")
    again = read_files([tmp_path / "signed.txt"]).docs.iloc[0]
    assert (again["date"], again["date_source"]) == ("2021-03-08", "signature")
    # only these labels, and only with a date / a number: the lines below stay in the text
    for text in ["标题\n联系人：张三\n电话：12345\n正文。", "索引号：000014349/2021-00012\n标题\n正文。",
                 "标题\n成文日期：2021年3月\n正文。", "标题\n发文字号：见附件\n正文。"]:
        assert read_text(tmp_path, text) == text


#: meeting notices: the meeting's 时间 / 地点 / 参会人员 above the first sentence, under the
#: title (two lines), at the end, or under numbered headings
MEETING = "某市商务局关于召开全市外贸工作推进会的通知"
MEETING_NOTICES = {
    "block": f"""{MEETING}
各区县商务局，市有关单位：
时间：2023年5月6日上午9:00
地点：市政府第一会议室
参会人员：各区县商务局局长，市直有关部门分管负责同志
为贯彻落实全省外贸工作会议精神，研究部署全市稳外贸工作，市政府决定召开全市外贸工作推进会。现将有关事项通知如下。
一、请各单位于5月4日前将参会人员名单报市商务局。
联系人：王某，电话：0000-12345678
特此通知。
某市商务局
2023年4月28日""",
    "two_lines": f"""{MEETING}
时间：2023年5月6日上午9:00
地点：市政府第一会议室
为研究部署全市稳外贸工作，市政府决定召开全市外贸工作推进会。""",
    "at_the_end": """关于举办2023年跨境电商培训班的通知
各有关企业：
为提升企业跨境电商运营能力，市商务局定于5月举办跨境电商培训班。现将有关事项通知如下：
时间：2023年5月18日下午2:30
地点：市会展中心三楼报告厅
参加对象：全市外贸企业负责人""",
    "headings": f"""{MEETING}
各区县商务局，市有关单位：
经市政府同意，定于近期召开全市外贸工作推进会。现将有关事项通知如下。
一、会议时间
2023年5月6日上午9:00
二、会议地点
市政府第一会议室
三、参会人员
各区县商务局局长，市直有关部门分管负责同志。
某市商务局
2023年4月28日""",
}


def test_a_meeting_notices_time_place_and_participants_are_its_text(tmp_path):
    """时间： / 地点： / 参会人员： lines are the notice's content: three of them are no field
    table, 时间： next to 地点： is no byline, and the meeting's time dates nothing (before,
    the three lines went out as a table, and 时间： as a byline gave the notice its date)."""
    for name, text in MEETING_NOTICES.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    c = read_folder(tmp_path, keep_apparatus=True)
    docs = c.docs.set_index("doc_id")
    for name, text in MEETING_NOTICES.items():
        assert docs.loc[name, "text"] == text, name       # every line kept
    # dated by the signature (block, headings) or not at all: never 2023-05-06 / 05-18
    got = docs[["date", "date_source"]].astype(object).where(docs[["date", "date_source"]].notna(),
                                                             None)
    assert got.to_dict("index") == {
        "at_the_end": {"date": None, "date_source": None},
        "block": {"date": "2023-04-28", "date_source": "signature"},
        "headings": {"date": "2023-04-28", "date_source": "signature"},
        "two_lines": {"date": None, "date_source": None}}
    assert "date_posted" not in docs or docs["date_posted"].isna().all()
    assert docs.loc["two_lines", "title"] == MEETING
    assert c.removed.empty
    # cleaned as usual, only the apparatus (addressees, signature) goes
    cleaned = read_folder(tmp_path)
    assert set(cleaned.removed["step"]) == {"remove_document_apparatus"}
    assert cleaned.docs.set_index("doc_id").loc["block", "text"].split("\n")[1:4] == [
        "时间：2023年5月6日上午9:00", "地点：市政府第一会议室", "参会人员：各区县商务局局长，市直有关部门分管负责同志"]
    # a press byline's 时间: stays a byline
    assert read_text(tmp_path, "丝路产经网 时间:2026-01-20\n中欧班列开行量再创新高\n今年以来，中欧班列累计开行超过1万列。") \
        == "中欧班列开行量再创新高\n今年以来，中欧班列累计开行超过1万列。"


def read_text(folder, text: str) -> str:
    path = folder / "t.txt"
    path.write_text(text, encoding="utf-8")
    return read_files([path]).docs["text"].iloc[0]


def test_metadata_year_only_date_gives_the_year(tmp_path):
    """A file without a signature dated by its year in metadata.csv (武汉's opinion of
    tests/data/diffusion_digital_gov, ``2022``) has that year, and no warning says it has
    none (audit s39 diff39, finding 5); the year follows the metadata's date, not the text's."""
    import shutil
    import warnings
    from pathlib import Path

    src = Path(__file__).parent / "data" / "diffusion_digital_gov"
    for name in ("wuhan.txt", "zhejiang.txt"):
        shutil.copy(src / name, tmp_path / name)
    # 浙江's text is signed 2022年9月15日; the metadata dates it 2023-01-05 (a re-issue)
    (tmp_path / "meta.csv").write_text("file,region,date\nwuhan.txt,湖北,2022\n"
                                       "zhejiang.txt,浙江,2023-01-05\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = read_folder(tmp_path, pattern="*.txt", metadata=tmp_path / "meta.csv")
    got = corpus.docs.set_index("doc_id")[["date", "year"]]
    assert got.loc["wuhan"].tolist() == ["2022", 2022]
    assert got.loc["zhejiang"].tolist() == ["2023-01-05", 2023]


def test_a_folders_readme_and_system_files_are_no_documents(tmp_path):
    """tests/data/diffusion_digital_gov holds README.md (how its documents were written)
    beside its eleven documents: read_folder reads the eleven, and lists README.md in
    corpus.dropped as "not a document: README", with a warning (session 45: it was read as
    a twelfth document, warned about as not Chinese). LICENSE, Thumbs.db and desktop.ini
    are left out the same way; a document whose name only contains "readme" is read."""
    import warnings

    folder = Path(__file__).parent / "data" / "diffusion_digital_gov"
    assert (folder / "README.md").is_file()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = read_folder(folder, metadata=folder / "metadata.csv")
    said = [str(w.message) for w in caught]
    assert corpus.doc_ids == ["anhui", "central", "chengdu", "gansu", "guangdong", "guizhou",
                              "henan", "jiangsu", "shandong", "wuhan", "zhejiang"]
    dropped = corpus.dropped.set_index("doc_id")["reason"]
    assert dropped.index.tolist() == ["README", "ground_truth"]
    assert dropped["README"].endswith("README.md: not a document: README (the folder's "
                                      "notes; rename the file to read it as a document)")
    assert any("1 file(s) that are no document were not read: ['README.md']" in m
               for m in said)
    assert not any("Chinese" in m for m in said)
    for name in ("LICENSE", "readme.txt", "Thumbs.db", "desktop.ini"):
        (tmp_path / name).write_bytes(b"MIT License\n")
    (tmp_path / "gx.txt").write_text("面向东盟开放。", encoding="utf-8")
    (tmp_path / "not_a_readme.txt").write_text("向西开放。", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"4 file\(s\) that are no document"):
        own = read_folder(tmp_path)
    assert own.doc_ids == ["gx", "not_a_readme"]
    assert sorted(r.split("not a document: ")[1].split(" (")[0]
                  for r in own.dropped["reason"]) == ["LICENSE", "README", "Thumbs.db",
                                                      "desktop.ini"]
