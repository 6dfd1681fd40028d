"""Speed of cleaning against the targets of issue 18, beside 0.1.0 in the same run.

    python benchmarks/bench_clean.py [--mb 50] [--repeat 3] [--baseline 236ce10]

Every figure is measured for this checkout ("now") and for 0.1.0 (commit ``236ce10``; or
the commit given as ``--baseline``, labelled by it), extracted with ``git archive`` into a
temporary folder, in the same run: each measurement
runs in a fresh subprocess, the two versions interleaved, and the best of ``--repeat`` is
kept (a ratio survives a noisy machine; an absolute time does not). MB are megabytes
(10^6 bytes) of UTF-8 input text. The load average (``uptime``) is printed beside the
figures: on a shared machine the absolute figures move with it.

Measurements:
- ``Corpus.clean()`` on the built-in corpus four times over (108 documents), the per-step
  report, the removed text and (now) the corpus-level repeated-lines step included;
- ``bt.clean`` text by text on the same texts;
- a synthetic folder of ``--mb`` MB: web pages (a government site's toolbar, breadcrumb,
  share links and footer around 20 random paragraphs of the built-in corpus), read with
  ``read_folder(clean=False)``, then ``Corpus.clean()`` timed alone;
- the same folder end to end: ``read_folder`` (cleaning) + ``tokenize`` (``cache=False``).

Targets: ``Corpus.clean()`` >= 6 MB/s on both corpora; end to end >= 3 MB/s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HEADER = """某某省人民政府门户网站 首页 | 政务公开 | 政务服务 | 互动交流
当前位置：首页 > 要闻 > 本省要闻
下载 打印 全屏 收藏 【字号：大 中 小】
{title}
来源：某某日报 时间：2026-02-{day:02d}
分享到： 微信 微博 QQ空间
"""
FOOTER = """
【打印本页】 【关闭窗口】
扫一扫在手机打开当前页
网站地图 | 联系我们
主办：某某省人民政府办公厅 承办：某某省大数据中心 网站标识码：5300000000 某ICP备05000001号
"""


def write_folder(folder: Path, mb: float, seed: int = 0, header: str = HEADER,
                 footer: str = FOOTER) -> float:
    """Web pages of 20 random paragraphs each until ``mb`` MB; returns the MB written."""
    import numpy as np

    import bri_text as bt

    paragraphs = bt.load_bri_policies().reshape("paragraph").texts
    rng = np.random.default_rng(seed)
    size, n = 0, 0
    while size < mb * 1_000_000:
        body = "\n".join(paragraphs[i] for i in rng.integers(0, len(paragraphs), 20))
        page = header.format(title=f"第{n}号文件", day=n % 28 + 1) + body + footer
        data = page.encode("utf-8")
        (folder / f"page{n:06d}.txt").write_bytes(data)
        size += len(data)
        n += 1
    return size / 1_000_000


def worker(task: str, folder: str | None) -> dict:
    """One measurement in this process (imported from PYTHONPATH: now or 0.1.0)."""
    import warnings

    warnings.simplefilter("ignore")
    import pandas as pd

    import bri_text as bt

    if task in ("builtin_corpus_clean", "builtin_text_clean"):
        c = bt.load_bri_policies()
        docs = pd.concat([c.docs.assign(doc_id=c.docs["doc_id"] + f"_{k}") for k in range(4)],
                         ignore_index=True)
        corpus = bt.Corpus(docs)
        mb = sum(len(t.encode("utf-8")) for t in corpus.texts) / 1e6
        if task == "builtin_corpus_clean":
            start = time.perf_counter()
            corpus.clean()
        else:
            start = time.perf_counter()
            for t in corpus.texts:
                bt.clean(t)  # a callable module in 0.1.0, a function now
        return {"mb": mb, "seconds": time.perf_counter() - start}
    if task == "folder_corpus_clean":
        corpus = bt.read_folder(folder, clean=False)
        mb = sum(len(t.encode("utf-8")) for t in corpus.texts) / 1e6
        start = time.perf_counter()
        corpus.clean()
        return {"mb": mb, "seconds": time.perf_counter() - start}
    if task == "folder_end_to_end":
        mb = sum(p.stat().st_size for p in Path(folder).glob("*.txt")) / 1e6
        start = time.perf_counter()
        corpus = bt.read_folder(folder)
        bt.tokenize(corpus, cache=False)
        return {"mb": mb, "seconds": time.perf_counter() - start}
    if task == "fixtures":
        return fixture_counts(Path(folder))
    raise ValueError(task)


def fixture_counts(data: Path) -> dict:
    """Per government-page fixture and form: sentences lost (of at least 10 CJK characters
    ending in 。！？；, compared on CJK characters), chrome left (lines of the cleaned text
    that are not lines of the expected content; for pages saved as one line, CJK
    characters beyond the expected content's)."""
    import re

    import bri_text as bt

    cjk_re = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

    def cjk(t):
        return "".join(cjk_re.findall(t))

    out = {}
    for raw_path in sorted(data.glob("gov_*.txt")):
        if raw_path.name.endswith(".expected.txt"):
            continue
        raw = raw_path.read_text(encoding="utf-8")
        expected = raw_path.with_name(raw_path.stem + ".expected.txt").read_text(
            encoding="utf-8").strip()
        sentences = [s for line in raw.split("\n") for s in re.findall(r"[^。！？；]*[。！？；]", line)
                     if len(cjk_re.findall(s)) >= 10]
        for form, text in (("lines", raw), ("one line", " ".join(raw.split("\n"))),
                           ("glued", "".join(raw.split("\n")))):
            cleaned = bt.clean(text)
            kept = cjk(cleaned)
            lost = sum(cjk(s) not in kept for s in sentences)
            if form == "lines":
                left = len([l for l in cleaned.split("\n") if l not in expected.split("\n")])
            else:
                left = max(0, len(kept) - len(cjk(expected)))
            out[f"{raw_path.stem} ({form})"] = [lost, left]
    return out


def extract(commit: str, dest: Path) -> Path:
    """``bri_text`` of ``commit`` (``git archive``) in the new folder ``dest``."""
    dest.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "bri_text"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def run(version: str, root: Path, task: str, folder: Path | None, script: str = __file__
        ) -> dict:
    """``script --worker task`` in a fresh subprocess importing ``bri_text`` from ``root``."""
    env = dict(os.environ, PYTHONPATH=str(root))
    cmd = [sys.executable, str(Path(script).resolve()), "--worker", task]
    if folder is not None:
        cmd += ["--folder", str(folder)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=str(root))
    if out.returncode:
        raise RuntimeError(f"{version} {task} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", default="236ce10")
    ap.add_argument("--worker")
    ap.add_argument("--folder")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.folder)))
        return
    sys.path.insert(0, str(REPO))
    base = "0.1.0" if args.baseline == "236ce10" else args.baseline
    print("load before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with tempfile.TemporaryDirectory() as tmp:
        old = extract(args.baseline, Path(tmp) / "old")
        folder = Path(tmp) / "pages"
        folder.mkdir()
        written = write_folder(folder, args.mb)
        print(f"synthetic folder: {len(list(folder.glob('*.txt')))} pages, {written:.1f} MB")
        folder_repeat = max(1, args.repeat - 1)
        tasks = [("builtin_corpus_clean", None, args.repeat, 6.0),
                 ("builtin_text_clean", None, args.repeat, None),
                 ("folder_corpus_clean", folder, folder_repeat, 6.0),
                 ("folder_end_to_end", folder, folder_repeat, 3.0)]
        counts = {v: run(v, root, "fixtures", REPO / "tests" / "data")
                  for v, root in (("now", REPO), (base, old))}
        print("\nfixture (form): sentences lost / chrome left "
              "(lines; CJK characters for one-line forms), now vs " + base)
        for name in counts["now"]:
            n, o = counts["now"][name], counts[base][name]
            print(f"  {name:40s} now {n[0]:3d} / {n[1]:4d}    {base} {o[0]:3d} / {o[1]:4d}")
        print()
        rows = []
        for task, path, repeat, target in tasks:
            best = {}
            for _ in range(repeat):
                for version, root in (("now", REPO), (base, old)):
                    r = run(version, root, task, path)
                    rate = r["mb"] / r["seconds"]
                    best[version] = max(best.get(version, 0), rate)
            rows.append((task, best["now"], best[base], target))
            print(f"{task:22s} now {best['now']:6.2f} MB/s   {base} {best[base]:6.2f} MB/s   "
                  f"x{best['now'] / best[base]:.2f}   target "
                  + (f">= {target} MB/s" if target else "-"), flush=True)
    print("load after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
