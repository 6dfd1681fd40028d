"""Built-in datasets.

``load_bri_policies()`` — 27 Chinese Belt and Road policy documents, 2015-2018.
``load_work_reports()`` — the reports on the work of the government, 1954-2025 (below).
``load_instrument_codes()`` — 330 paragraphs of the first coded twice into policy
instruments by two independent coders (below).

What: State Council and ministry notices (section ``政策法规``, 10 documents) and
provincial / municipal Belt and Road plans and implementation schemes (section
``地方政策``, 17 documents: Guangxi, Gansu, Henan x2, Hunan x2, Jiangxi, Fujian, Guangdong,
Shaanxi, Hebei, Tianjin, Zhejiang/Ningbo, Xi'an, Chengdu, plus two national documents
filed under local policy).

Where from: the "Belt and Road supplement" (一带一路增刊) of a science-and-technology
information bulletin (科技信息参考), a compendium of public government documents extracted
from PDF. Each document's original publisher is in ``source`` (e.g. 中国政府网,
广西发改委网站). The package data is generated from that file by
``scripts/build_dataset.py`` with :func:`bri_text.io.split_compendium` and the default
cleaning pipeline; the generated JSON-lines file is committed so the installed package
needs nothing else.

Date range: listed 2015-12-09 to 2018-01-10 (``date_posted``); ``date`` is each
document's own date where its text gives it (signature block, adoption note, document
number), see bri_text/data/README.md.

Fields: ``doc_id`` (``bri01``..``bri27``, in compendium order, stable), ``text`` (cleaned
body, one paragraph per line), ``title``, ``date`` (the document's own date, ISO),
``date_posted`` (listing date, 发布时间), ``date_source`` (signature / adopted / stated /
document_number / posted), ``year`` (of ``date``), ``kind`` (plan / guidance / regulation /
notice / summary / compilation), ``bri_specific`` (the title names the Belt and Road),
``source`` (来源), ``doc_number`` (文件名称, e.g. 国发〔2017〕57号, when given), ``section``
(政策法规 national / 地方政策 local), ``region`` (province-level unit, short name, e.g.
广西; empty for national documents), ``city`` (prefecture city for municipal plans, e.g.
西安), ``level`` (national / provincial / municipal).

>>> from bri_text import load_bri_policies
>>> corpus = load_bri_policies()
>>> len(corpus)
27
>>> corpus.subset(region="广西").docs[["date", "source", "level"]].values.tolist()
[['2016-10-19', '广西发改委网站', 'provincial']]
"""
from __future__ import annotations

import functools
import json
from importlib import resources

import pandas as pd

from .corpus import Corpus

__all__ = ["load_bri_policies", "load_work_reports", "load_instrument_codes"]

_POLICIES_FILE = "bri_policies.jsonl"
_WORK_REPORTS_FILE = "work_reports.jsonl"
_INSTRUMENT_CODES_FILE = "instrument_codes.csv"
_CLAUSE_CODES_FILE = "instrument_codes_clauses.csv"
_MORE_CODES_FILE = "instrument_codes_clauses_more.csv"
_UNITS = ("paragraph", "clause", "all")
_CHECK_CHARS = 12   # first characters of each coded clause kept in its file, as a check
_KINDS = ("report", "resolution", "all")


def _read_jsonl(name: str) -> pd.DataFrame:
    path = resources.files("bri_text") / "data" / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return pd.DataFrame(rows)


def load_bri_policies() -> Corpus:
    """The 27 Belt and Road policy documents of the built-in dataset as a cleaned Corpus.

    See the module docstring for what the documents are, where they come from and the
    metadata fields.

    >>> import bri_text as bt
    >>> corpus = bt.load_bri_policies()
    >>> len(corpus), corpus.docs["level"].value_counts().to_dict()
    (27, {'provincial': 13, 'national': 11, 'municipal': 3})
    """
    docs = _read_jsonl(_POLICIES_FILE)
    docs["year"] = docs["year"].astype("Int64")
    return Corpus(docs, name="bri_policies")


def load_work_reports(kind: str = "report") -> Corpus:
    """The reports on the work of the government (政府工作报告) delivered to the National
    People's Congress, 1954-2025, as a cleaned Corpus; with ``kind="resolution"`` the NPC
    resolutions approving them, with ``kind="all"`` both.

    52 reports: every year from 1954 to 2025 except 1961-63, 1965-74, 1976-77, 1989-91, 1996
    and 2020, which the source (Chinese Wikisource) does not have (reports were delivered
    in 1962, 1989-91, 1996 and 2020: a term first used then is first seen a year or more
    later; :func:`bri_text.term_trends` marks it ``first_seen_censored``; the data README
    lists the years); 1964 is the published summary (摘要), in the third person. 20 resolutions: 1962 and 2007-2025 (with 2020).
    Reports 1955, 1956, 1958, 1960 and 1980 were delivered by a vice-premier or minister
    (the plan, the budget, the agricultural programme), the others by the premier.

    Fields: ``doc_id`` (``wr1954``.. for reports, ``res1962``.. for resolutions), ``year``,
    ``date`` (ISO, of delivery or adoption, only where the text states it: 10 records, the
    rest null), ``title``, ``congress`` and ``session`` (ints: 第X届全国人民代表大会第Y次会议),
    ``speaker`` (who delivered the report; null for resolutions), ``kind`` (``"report"`` /
    ``"resolution"``), ``source_url`` (the Wikisource page), ``text`` (one paragraph a line,
    Simplified characters, half-width digits; title block and licence footer removed).
    Sources, cleaning and the record of office holders: ``bri_text/data/README.md``.

    >>> from bri_text import load_work_reports
    >>> reports = load_work_reports()
    >>> len(reports), int(reports.docs["year"].min()), int(reports.docs["year"].max())
    (52, 1954, 2025)
    >>> reports.subset(year=1978).docs[["congress", "session", "speaker"]].values.tolist()
    [[5, 1, '华国锋']]
    >>> len(load_work_reports(kind="all"))
    72
    """
    if kind not in _KINDS:
        from .errors import ParameterError

        raise ParameterError(f"kind must be one of {_KINDS}, got {kind!r}")
    docs = _read_jsonl(_WORK_REPORTS_FILE)
    if kind != "all":
        docs = docs[docs["kind"] == kind].reset_index(drop=True)
    for col in ("year", "congress", "session"):
        docs[col] = docs[col].astype("Int64")
    return Corpus(docs, name="work_reports" if kind == "report" else f"work_reports_{kind}")


def load_instrument_codes(units: str = "paragraph") -> pd.DataFrame:
    """330 paragraphs of the built-in policy documents, each coded twice into Rothwell &
    Zegveld's policy instruments by two coders who did not see each other's codes (two
    independent passes by AI assistants working from the codebook alone, not human coders:
    a worked example and training data, not a substitute for your own coders).

    The paragraphs are a random sample (``random_state=0``, at most 16 per document, 25 to
    400 characters) of ``load_bri_policies().reshape("paragraph")``; each coder read every
    paragraph and gave it one code of the shipped codebook (``bt.read_codebook()``: 16
    subtypes such as ``S_talent``, ``E_regulation``, ``D_trade``, or ``none``) following its
    definitions and tie-break rules (``bri_text/lexicons/README.md``), coder B in reverse
    order. They agree on 293 (88.8%; Cohen's kappa 0.875 over subtypes, 0.895 over the
    three types). A worked example for :func:`bri_text.reliability` and training data for
    :class:`bri_text.ClauseClassifier` (``bri_text/data/README.md``).

    Returns a DataFrame indexed by the paragraph's ``doc_id`` (``bri18#p5``) with
    ``parent_id``, ``title``, ``region``, ``level``, ``text``, ``coder_a`` and ``coder_b``.

    ``units="clause"``: a second, held-out set of 482 clauses (``reshape("clause")``) of the
    built-in policy documents and of the government work reports since 1978, coded the
    same way by two new independent passes, none overlapping a coded paragraph: 260 drawn
    at random and 222 drawn among the clauses the shipped dictionary suggests for each
    subtype (up to 14 each), so that rare instruments (tax, procurement, demonstration)
    have examples; column ``part`` says which (``"random"`` / ``"rare"``), ``corpus``
    where the clause comes from (``"bri"`` / ``"reports"``), plus ``parent_id``,
    ``title``, ``heading_path`` and ``text``. The sample is drawn by
    ``benchmarks/sample_clause_gold.py``. It was held out from the classifier's first
    choices; later choices used it, and were scored on newer sets kept with the
    benchmarks (``benchmarks/INSTRUMENTS.md``).

    ``units="all"``: every coded unit the package ships, one table with a column ``set``:
    the paragraphs (``"paragraphs"``), the clause set above (``"clauses"``) and three more
    clause sets coded the same way to score the classifier (``"third"``: 345 clauses,
    kappa 0.878; ``"fourth"``: 344, kappa 0.831; ``"fifth"``: 344, kappa 0.897), 1,845
    units in all; paragraphs have an
    empty ``heading_path`` and ``corpus`` ``"bri"``. :class:`bri_text.ClauseClassifier`
    learns from their agreed codes beside yours (``reference="builtin"``).

    >>> from bri_text import load_instrument_codes
    >>> gold = load_instrument_codes()
    >>> len(gold), int((gold["coder_a"] == gold["coder_b"]).sum())
    (330, 293)
    >>> gold.loc["bri10#p3", ["coder_a", "coder_b"]].tolist()
    ['E_tax', 'E_tax']
    """
    if units not in _UNITS:
        from .errors import ParameterError

        raise ParameterError(f"units must be one of {_UNITS}, got {units!r}")
    if units == "clause":
        return _load_clause_codes(_CLAUSE_CODES_FILE)
    if units == "all":
        return _load_all_codes()
    path = resources.files("bri_text") / "data" / _INSTRUMENT_CODES_FILE
    with path.open("r", encoding="utf-8") as f:
        codes = pd.read_csv(f, dtype=str)
    units = load_bri_policies().reshape("paragraph").docs
    units = units.set_index("doc_id")[["parent_id", "title", "region", "level", "text"]]
    out = units.join(codes.set_index("unit_id")[["coder_a", "coder_b"]], how="inner")
    return out.loc[codes["unit_id"]].rename_axis("doc_id")


def _load_all_codes() -> pd.DataFrame:
    """Every shipped coded unit, with the column ``set`` (see ``load_instrument_codes``)."""
    paragraphs = load_instrument_codes().assign(heading_path="", corpus="bri",
                                                part="random", set="paragraphs")
    clauses = _load_clause_codes(_CLAUSE_CODES_FILE).assign(set="clauses")
    cols = ["set", "parent_id", "title", "heading_path", "text", "corpus", "part",
            "coder_a", "coder_b"]
    return pd.concat([paragraphs[cols], clauses[cols],
                      _load_clause_codes(_MORE_CODES_FILE)[cols]])


@functools.lru_cache(maxsize=1)
def _clause_units() -> pd.DataFrame:
    """The clauses of the built-in BRI documents and work reports (read once per process;
    callers select rows, which copies)."""
    cols = ["parent_id", "title", "heading_path", "text"]
    return pd.concat([load_bri_policies().reshape("clause").docs.set_index("doc_id")[cols],
                      load_work_reports().reshape("clause").docs.set_index("doc_id")[cols]])


def _load_clause_codes(name: str) -> pd.DataFrame:
    """A clause-level coded set, its text read from the built-in corpora (the file keeps
    ids, codes and the first characters of each clause, checked here)."""
    path = resources.files("bri_text") / "data" / name
    with path.open("r", encoding="utf-8") as f:
        codes = pd.read_csv(f, dtype=str, keep_default_na=False)
    units = _clause_units()
    missing = sorted(set(codes["unit_id"]) - set(units.index))
    texts = units.reindex(codes["unit_id"])["text"].fillna("").str.strip()
    moved = codes["unit_id"][texts.str[:_CHECK_CHARS].to_numpy()
                             != codes["starts"].to_numpy()].tolist()
    if missing or moved:   # the clause splitter changed its ids: a bug, caught by the tests
        from .errors import BriTextError

        raise BriTextError(f"{name}: clause ids no longer match the corpora "
                           f"(missing {missing[:3]}, other text at {moved[:3]})")
    out = units.loc[codes["unit_id"]].rename_axis("doc_id")
    for col in [c for c in codes.columns if c not in ("unit_id", "starts")]:
        out[col] = codes[col].to_numpy()
    return out
