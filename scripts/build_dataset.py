"""Build bri_text/data/bri_policies.jsonl from the raw compendium.

    python scripts/build_dataset.py [path/to/compendium.txt[.gz]]

By default it reads the raw compendium kept in the repository as test data,
``tests/data/compendium_001.txt.gz`` (a gzip of the seed ``001_1ad516d9e8aad59b.txt``), so
it runs from a clean clone; the test suite checks that the result is byte-identical to the
shipped file. Only the compendium of public government documents goes into the package;
the press articles among the seeds stay test fixtures.

Besides what :func:`bri_text.io.split_compendium` reads from the listing (title, posting
date, source, document number, region...), every document gets, from its own text:

- ``date``: the document's own date where its text says it (:func:`own_date`), else the
  listing date; ``date_posted`` keeps the listing date and ``date_source`` says which;
- ``kind`` (plan, guidance, regulation, notice, summary, compilation; :func:`kind_of`) and
  ``bri_specific`` (the title names the Belt and Road).

The rules are written out per document in bri_text/data/README.md.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

from bri_text.io import decode_bytes, split_compendium

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = ROOT / "tests" / "data" / "compendium_001.txt.gz"
OUT = ROOT / "bri_text" / "data" / "bri_policies.jsonl"
FIELDS = ["doc_id", "title", "date", "date_posted", "date_source", "year", "kind",
          "bri_specific", "source", "doc_number", "section", "region", "city", "level", "text"]

_CN_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DATE_ONLY = re.compile(rf"^\s*{_CN_DATE}\s*$")
# an issuer line of a signature block: an organisation's name (or several, space-separated),
# no punctuation or digits: 河南省人民政府, 财政部 税务总局 科技部
_ISSUER = re.compile(r"^[^。，,；;：:《》“”\d]{1,38}[府厅局委部会院行署办]$")
# the adoption note under a regulation's title: （2017年12月27日…会议通过）
_ADOPTED = re.compile(rf"^[（(]{_CN_DATE}[^）)]*通过[）)]$")
# an introduction saying when the document was made: …，2013年7月5日，商务部…制定了《…》
_STATED = re.compile(rf"{_CN_DATE}，[^。]{{0,80}}制定了《")
_NUMBER_YEAR = re.compile(r"[〔\[［﹝(（](\d{4})[〕\]］﹞)）]")


def _iso(m: re.Match) -> str:
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def signature_date(text: str) -> str | None:
    """The date of the first signature block: a line that is only a date, right after the
    end of the notice's body (a line ending in 。) or after up to three issuer lines that
    follow it (河南省人民政府 / 2017年9月18日). Dates inside sentences are never read, so a
    deadline or a date in the body is not taken for the signature.

    >>> signature_date("各单位：\\n现将方案印发给你们。\\n河南省人民政府\\n2017年9月18日\\n方案\\n2017年6月14日前完成。")
    '2017-09-18'
    >>> signature_date("汇总如下。\\n管理办法\\n发改委\\n2017年12月26日") is None   # a table row
    True
    """
    lines = [line.strip() for line in text.split("\n")]
    for i, line in enumerate(lines):
        m = _DATE_ONLY.match(line)
        if not m:
            continue
        j = i - 1
        while j >= 0 and i - j <= 3 and _ISSUER.match(lines[j]):
            j -= 1
        if j >= 0 and lines[j].endswith("。"):
            return _iso(m)
    return None


def own_date(text: str, doc_number: str | None) -> tuple[str | None, str | None]:
    """(date, date_source) the document's own text gives, or (None, None).

    In order: the signature block (``signature``); a regulation's adoption note on its
    first line (``adopted``); an introduction saying on which date the document was made
    (``stated``); the year of the document number, 赣府发〔2015〕26号 → ``"2015"``
    (``document_number``).
    """
    d = signature_date(text)
    if d:
        return d, "signature"
    first = text.split("\n", 1)[0].strip()
    m = _ADOPTED.match(first)
    if m:
        return _iso(m), "adopted"
    m = _STATED.search(first)
    if m:
        return _iso(m), "stated"
    m = _NUMBER_YEAR.search(doc_number or "")
    if m:
        return m.group(1), "document_number"
    return None, None


# kind rules, tried in order; each is (kind, rule as written in the README, test)
_SUMMARY = re.compile(r"于近日制定出台|^[^。]{0,40}(?:计划|方案|规划)提出")


def kind_of(title: str, text: str) -> tuple[str, str]:
    """(kind, the rule that decided it) for one document of the compendium.

    >>> kind_of("甘肃省参与“一带一路”建设实施方案", "……省委、省政府于近日制定出台《实施方案》。")
    ('summary', 'reports on the plan in the third person (于近日制定出台 / …计划提出)')
    """
    first = text.split("\n", 1)[0]
    if "汇编" in title:
        return "compilation", "a list of other documents (汇编)"
    if _SUMMARY.search(first):
        return "summary", "reports on the plan in the third person (于近日制定出台 / …计划提出)"
    if len(text) < 600 and re.search(r"附件|现将|现发布|现印发|印发给你们|发布了", text):
        return "notice", ("a cover notice or announcement under 600 characters; the document "
                          "it issues is not in the text")
    if re.search(r"条例|办法|决定$", title):
        return "regulation", "legal rules: a regulation, measures or a decision changing them"
    if re.search(r"通知$", title) and "印发" not in title:
        return "regulation", "a normative notice that itself sets the rules (not a cover notice)"
    if "指导意见" in title:
        return "guidance", "guiding opinions (指导意见) to a sector"
    return "plan", ("a plan, scheme or action plan (规划 / 方案 / 行动计划 / 思路与行动), "
                    "with its cover notice when there is one")


def is_bri_specific(title: str) -> bool:
    """The title names the Belt and Road (一带一路, 丝绸之路, 丝路).

    >>> is_bri_specific("关于提高科技型中小企业研究开发费用税前加计扣除比例的通知")
    False
    """
    return bool(re.search(r"一带一路|丝绸之路|丝路", title))


def enrich(docs):
    """The dataset's table: the listing metadata plus own dates, kinds and the BRI flag."""
    docs = docs.copy()
    docs["date_posted"] = docs["date"]
    dates = [own_date(t, n if isinstance(n, str) else None)
             for t, n in zip(docs["text"], docs["doc_number"])]
    docs["date"] = [d or p for (d, _), p in zip(dates, docs["date_posted"])]
    docs["date_source"] = [s or "posted" for _, s in dates]
    docs["year"] = [int(d[:4]) for d in docs["date"]]
    kinds = [kind_of(t, x) for t, x in zip(docs["title"], docs["text"])]
    docs["kind"] = [k for k, _ in kinds]
    docs["bri_specific"] = [is_bri_specific(t) for t in docs["title"]]
    return docs


def read_compendium(seed: Path) -> str:
    """The compendium's text (``.gz`` files are decompressed)."""
    data = seed.read_bytes()
    if seed.suffix == ".gz":
        data = gzip.decompress(data)
    text, _ = decode_bytes(data, str(seed))
    return text


def to_jsonl(corpus) -> str:
    """The dataset file's content: one JSON object per document, fields in FIELDS order."""
    lines = []
    for row in enrich(corpus.docs)[FIELDS].to_dict("records"):
        row = {k: (None if v != v else v) for k, v in row.items()}  # NaN -> null
        row["year"] = int(row["year"]) if row["year"] is not None else None
        row["bri_specific"] = bool(row["bri_specific"])
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(lines)


def main(argv: list[str]) -> int:
    seed = Path(argv[1]) if len(argv) > 1 else DEFAULT_SEED
    corpus = split_compendium(read_compendium(seed), source_name=seed.name)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(to_jsonl(corpus), encoding="utf-8", newline="\n")
    tmp.replace(OUT)
    docs = enrich(corpus.docs)
    print(f"wrote {len(corpus)} documents to {OUT.relative_to(ROOT)}")
    print("documents with each field filled:")
    print(docs[FIELDS].notna().sum().to_string())
    print(docs[["doc_id", "date", "date_posted", "date_source", "kind", "bri_specific"]]
          .to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
