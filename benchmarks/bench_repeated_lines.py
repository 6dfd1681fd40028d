"""What the corpus-level step of ``Corpus.clean()`` (lines repeated across documents,
:func:`bri_text.cleaning.remove_repeated_lines`) removes: site chrome, and not table cells.

    python benchmarks/bench_repeated_lines.py [--mb 2] [--baseline bf19342]

Each figure is measured for this checkout ("now") and for the commit ``--baseline``
(extracted with ``git archive``), each in a fresh subprocess:

- ``tests/data/table_plans``: four plan pages (own wording) of one city site, each with a
  flattened task table (one cell a line: 序号 / 项目 / 牵头单位 / 完成时限, a 合计 row; one
  table at the end of its page, one with 单位：万元 and 备注) inside the site's chrome, read
  with ``read_folder``. Content lost: lines of ``expected/`` missing from the cleaned page;
  chrome left: cleaned lines that are not lines of ``expected/``. Target 0 / 0.
- synthetic pages (``bench_clean.write_folder``: 20 random paragraphs of the built-in
  corpus a page, some of them table cells such as ``商务部``) inside bench_clean's
  government-site chrome plus a site template the chrome vocabulary does not know (the
  city site's menu above, its footer below, with a sentence in the footer),
  ``read_folder(clean=False).clean()``: template lines left in the cleaned pages (the
  footer's sentence not counted: no step removes a sentence), and lines of the body
  (title, paragraphs) removed by the corpus step. Target 0 left, 0 lost. And the speed of
  ``remove_repeated_lines`` alone on those pages cleaned text by text (best of 7).
- the built-in corpora re-cleaned (``load_bri_policies().clean()``,
  ``load_work_reports("all").clean()``): lines the corpus step removes (none is chrome:
  the texts are already clean); and the lines ``remove_document_apparatus`` removes (an
  official document's addressee line and signature block: the dataset keeps them), the
  documents they come from, and how many of them hold a sentence (target 0).
- work reports as files, every one starting with the title line ``政府工作报告``: (a) the six
  raw Wikisource records with a title block (``tests/data/government_work_reports.jsonl.gz``:
  ``政府工作报告`` / ``——2017年3月5日在第十二届全国人民代表大会第五次会议上`` / the premier,
  then the text and the Wikisource licence footer), ``read_folder``: title lines removed
  by the corpus step (target 0), footer lines left (its two sentences not counted: no step
  removes a sentence; target 0), documents dated by their dateline (target 6); (b) the 52 reports of ``load_work_reports()`` each as a page of the
  site template above with ``政府工作报告`` as its title, ``read_folder``: title lines
  removed (target 0) and template lines left (target 0); (c) the 47 of those reports given
  by the premier, each as such a page with its title block under the title (its dateline
  ``——2017年3月5日在第十二届全国人民代表大会第五次会议上`` where the dataset dates it, then
  ``国务院总理　李克强``; ``李　强`` spaced as gov.cn sets a two-character name), the same
  premier's line in 2 to 10 pages: speaker lines removed by the corpus step (target 0),
  template lines left (target 0), documents whose ``author`` is the dataset's ``speaker``
  (target 47).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

#: a site template the chrome vocabulary does not know: only the corpus step removes it
SITE_TOP = "某某市商务局\n机构概况\n政务公开\n政策文件\n通知公告\n"
#: (with a sentence in the footer, which no step removes: it is not counted as chrome left)
SITE_BOTTOM = ("本网站由某某市商务局主办\n未经授权不得转载\n欢迎对本网站的工作提出意见和建议。\n"
               "办公地址：某某市人民路8号\n联系电话：0000-0000000\n")
STEP = "remove_repeated_lines"


def _table_plans() -> dict:
    import warnings

    import bri_text as bt

    data = REPO / "tests" / "data" / "table_plans"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = bt.read_folder(data, pattern="*.txt")
    lost = left = 0
    for doc_id, text in zip(corpus.doc_ids, corpus.texts):
        expected = (data / "expected" / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n")
        lines = text.split("\n")
        lost += sum((Counter(l for l in expected if l) - Counter(lines)).values())
        left += sum(line not in expected for line in lines)
    return {"lost": lost, "left": left}


def _synthetic(folder: Path) -> dict:
    import warnings

    import bri_text as bt
    from bench_clean import FOOTER, HEADER
    from bri_text.cleaning import remove_repeated_lines

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = bt.read_folder(folder, clean=False)
        corpus = raw.clean()
        texts = raw.clean(boilerplate_min_df=None).texts  # the step's input
    seconds = []
    for _ in range(7):
        start = time.perf_counter()
        remove_repeated_lines(texts, 3)
        seconds.append(time.perf_counter() - start)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    template = {line.strip() for line in (SITE_TOP + HEADER + FOOTER + SITE_BOTTOM).split("\n")}
    template = {t for t in template if t and "{" not in t and not t.endswith("。")}
    left = sum(line.strip() in template for t in corpus.texts for line in t.split("\n"))
    gone = corpus.removed.query("step == @STEP")["text"]
    lost = [g for g in gone if g not in template]
    return {"pages": len(corpus), "left": left, "lost": len(lost),
            "lost_top": Counter(lost).most_common(8), "step_mb_s": mb / min(seconds)}


def _builtin() -> dict:
    import warnings

    import bri_text as bt

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, corpus in (("bri_policies", bt.load_bri_policies()),
                             ("work_reports(all)", bt.load_work_reports("all"))):
            removed = corpus.clean().removed
            gone = removed.query("step == @STEP")["text"]
            out[name] = {"removed": len(gone), "lines": Counter(gone).most_common(5)}
            # an official document's apparatus (its addressees, signature; the step is
            # not in a baseline before it): lines, documents, lines holding a sentence
            app = removed[removed["step"] == "remove_document_apparatus"]
            out[name]["apparatus"] = [len(app), app["doc_id"].nunique(),
                                      int(app["text"].str.contains("[。！？；]").sum())]
    return out


def _raw_reports(folder: Path) -> dict:
    """The raw Wikisource records that start with a title block, read as files."""
    import gzip
    import re
    import warnings

    import bri_text as bt

    raw = REPO / "tests" / "data" / "government_work_reports.jsonl.gz"
    records = [json.loads(line) for line in gzip.open(raw, "rt", encoding="utf-8")]
    footer: set = set()
    for r in records:
        if r["year"] and r["content"].lstrip("\u200b\n").startswith("政府工作报"):
            (folder / f"{r['year']}.txt").write_text(r["content"], encoding="utf-8")
            at = re.search(r"\n\s*本作品(?:是|来自)\s*中华人民共和国", r["content"])
            footer |= {line.strip() for line in r["content"][at.start():].split("\n")}
    footer = {line for line in footer if line and "。" not in line}  # no step removes a sentence
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = bt.read_folder(folder)
    gone = corpus.removed.query("step == @STEP")["text"]
    return {"files": len(corpus), "title_removed": int((gone == "政府工作报告").sum()),
            "footer_left": sum(line.strip() in footer for t in corpus.texts
                               for line in t.split("\n")),
            "dated": int(corpus.docs["date"].notna().sum()) if "date" in corpus.docs else 0,
            "speaker_removed": int(gone.isin(["国务院总理", "李克强", "李 强"]).sum()),
            "authors": int(corpus.docs["author"].notna().sum()) if "author" in corpus.docs
            else 0}


def _read_pages(folder: Path):
    """(corpus, lines the repeated-lines step removed, template lines left in the texts) of
    a folder of site pages made with bench_clean's HEADER and FOOTER."""
    import warnings

    import bri_text as bt
    from bench_clean import FOOTER, HEADER

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = bt.read_folder(folder)
    template = {line.strip() for line in (SITE_TOP + HEADER + FOOTER + SITE_BOTTOM).split("\n")}
    template = {t for t in template if t and "{" not in t and not t.endswith("。")}
    gone = corpus.removed.query("step == @STEP")["text"]
    return corpus, gone, sum(line.strip() in template for t in corpus.texts
                             for line in t.split("\n"))


def _report_pages(folder: Path) -> dict:
    """The built-in work reports as pages of a government site, titled 政府工作报告."""

    import bri_text as bt
    from bench_clean import FOOTER, HEADER

    docs = bt.load_work_reports().docs
    for doc_id, text, year in zip(docs["doc_id"], docs["text"], docs["year"]):
        page = (SITE_TOP + HEADER.format(title="政府工作报告", day=year % 28 + 1) + text
                + FOOTER + SITE_BOTTOM)
        (folder / f"{doc_id}.txt").write_text(page, encoding="utf-8")
    corpus, gone, template_left = _read_pages(folder)
    return {"pages": len(corpus), "title_removed": int((gone == "政府工作报告").sum()),
            "template_left": template_left}


#: the premiers who gave the work reports (the others were given by a vice premier or a
#: minister: 李富春 1955, 李先念 1956, 薄一波 1958, 谭震林 1960, 姚依林 1989)
PREMIERS = {"周恩来", "华国锋", "赵紫阳", "李鹏", "朱镕基", "温家宝", "李克强", "李强"}


def _numeral(n: int) -> str:
    """1..19 in Chinese numerals: 十二, 五."""
    digits = "一二三四五六七八九"
    return digits[n - 1] if n < 10 else "十" + (digits[n - 11] if n > 10 else "")


def _premier_pages(folder: Path) -> dict:
    """The reports given by the premier as pages of a site, with their title block."""

    import bri_text as bt
    from bench_clean import FOOTER, HEADER

    docs = bt.load_work_reports().docs
    docs = docs[docs["speaker"].isin(PREMIERS)]
    speaker_lines = set()
    for doc_id, text, year, date, congress, session, speaker in zip(
            docs["doc_id"], docs["text"], docs["year"], docs["date"], docs["congress"],
            docs["session"], docs["speaker"]):
        block = ""
        if isinstance(date, str):
            y, m, d = (int(x) for x in date.split("-"))
            block = (f"——{y}年{m}月{d}日在第{_numeral(congress)}届全国人民代表大会"
                     f"第{_numeral(session)}次会议上\n")
        line = "国务院总理　" + ("　".join(speaker) if len(speaker) == 2 else speaker)
        speaker_lines.add(" ".join(line.split()))
        page = (SITE_TOP + HEADER.format(title="政府工作报告", day=year % 28 + 1) + block
                + line + "\n" + text + FOOTER + SITE_BOTTOM)
        (folder / f"{doc_id}.txt").write_text(page, encoding="utf-8")
    corpus, gone, template_left = _read_pages(folder)
    got = corpus.docs.set_index("doc_id")
    authors = got["author"] if "author" in got else None
    return {"pages": len(corpus),
            "speaker_removed": int(gone.isin(speaker_lines).sum()),
            "template_left": template_left,
            "authors": 0 if authors is None else
            int((authors.reindex(docs["doc_id"]).values == docs["speaker"].values).sum())}


def _reports() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        raw, pages, premier = Path(tmp) / "raw", Path(tmp) / "pages", Path(tmp) / "premier"
        for folder in (raw, pages, premier):
            folder.mkdir()
        return {"raw": _raw_reports(raw), "pages": _report_pages(pages),
                "premier": _premier_pages(premier)}


def worker(task: str, folder: str | None) -> dict:
    if task == "table_plans":
        return _table_plans()
    if task == "synthetic":
        return _synthetic(Path(folder))
    if task == "builtin":
        return _builtin()
    if task == "reports":
        return _reports()
    raise ValueError(task)


def main() -> None:
    from bench_clean import FOOTER, HEADER, extract, run, write_folder

    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=2)
    ap.add_argument("--baseline", default="bf19342")
    ap.add_argument("--worker")
    ap.add_argument("--folder")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.folder), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as tmp:
        versions = (("now", REPO), (args.baseline, extract(args.baseline, Path(tmp) / "old")))
        folder = Path(tmp) / "pages"
        folder.mkdir()
        mb = write_folder(folder, args.mb, header=SITE_TOP + HEADER, footer=FOOTER + SITE_BOTTOM)
        res = {task: {v: run(v, root, task, folder if task == "synthetic" else None, __file__)
                      for v, root in versions}
               for task in ("table_plans", "synthetic", "builtin", "reports")}
    base = args.baseline
    t = res["table_plans"]
    print("tests/data/table_plans (4 pages): content lines lost / chrome lines left, target 0 / 0")
    for v in ("now", base):
        print(f"  {v:8s} {t[v]['lost']:3d} / {t[v]['left']:3d}")
    s = res["synthetic"]
    print(f"synthetic pages ({s['now']['pages']} pages, {mb:.1f} MB): template lines left / "
          "body lines removed by the corpus step, target 0 / 0")
    for v in ("now", base):
        print(f"  {v:8s} {s[v]['left']:5d} / {s[v]['lost']:5d}   most removed: {s[v]['lost_top']}")
    print("the corpus step alone on the same pages (their per-document cleaned texts), best of 7")
    for v in ("now", base):
        print(f"  {v:8s} {s[v]['step_mb_s']:7.1f} MB/s")
    print("built-in corpora re-cleaned: lines the corpus step removes")
    for name in res["builtin"]["now"]:
        for v in ("now", base):
            b = res["builtin"][v][name]
            print(f"  {name:18s} {v:8s} {b['removed']:4d}   {b['lines']}")
    print("built-in corpora re-cleaned: remove_document_apparatus's lines / documents / "
          "lines holding a sentence (target 0)")
    for name in res["builtin"]["now"]:
        for v in ("now", base):
            a = res["builtin"][v][name].get("apparatus")
            print(f"  {name:18s} {v:8s} {'no such step' if a is None else ' / '.join(map(str, a))}")
    r = res["reports"]
    print(f"raw Wikisource work reports with a title block ({r['now']['raw']['files']} files): "
          "title lines removed / footer lines left / documents dated, target 0 / 0 / "
          f"{r['now']['raw']['files']}")
    for v in ("now", base):
        x = r[v]["raw"]
        print(f"  {v:8s} {x['title_removed']:3d} / {x['footer_left']:3d} / {x['dated']:3d}")
    print("  the same files: speaker lines removed by the corpus step / documents with an "
          f"author, target 0 / {r['now']['raw']['files']}")
    for v in ("now", base):
        x = r[v]["raw"]
        print(f"  {v:8s} {x.get('speaker_removed', 0):3d} / {x.get('authors', 0):3d}")
    print(f"work reports as pages of a site titled 政府工作报告 ({r['now']['pages']['pages']} "
          "pages): title lines removed / template lines left, target 0 / 0")
    for v in ("now", base):
        x = r[v]["pages"]
        print(f"  {v:8s} {x['title_removed']:3d} / {x['template_left']:3d}")
    n = r["now"]["premier"]["pages"]
    print(f"the {n} reports given by the premier as such pages, with their title block: speaker "
          f"lines removed / template lines left / author = the dataset's speaker, target "
          f"0 / 0 / {n}")
    for v in ("now", base):
        x = r[v]["premier"]
        print(f"  {v:8s} {x['speaker_removed']:3d} / {x['template_left']:3d} / "
              f"{x['authors']:3d}")


if __name__ == "__main__":
    main()
