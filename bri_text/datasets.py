"""Built-in datasets.

``load_bri_policies()`` — 27 Chinese Belt and Road policy documents, 2015-2018.

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

import json
from importlib import resources

import pandas as pd

from .corpus import Corpus

__all__ = ["load_bri_policies"]

_POLICIES_FILE = "bri_policies.jsonl"


def load_bri_policies() -> Corpus:
    """The 27 Belt and Road policy documents of the built-in dataset as a cleaned Corpus.

    See the module docstring for what the documents are, where they come from and the
    metadata fields.
    """
    path = resources.files("bri_text") / "data" / _POLICIES_FILE
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    docs = pd.DataFrame(rows)
    docs["year"] = docs["year"].astype("Int64")
    return Corpus(docs, name="bri_policies")
