"""bri_text: comparative text analysis of Chinese Belt and Road policy documents.

>>> import bri_text as bt
>>> corpus = bt.load_bri_policies()          # 27 policy documents, 2015-2018
>>> tokens = bt.tokenize(corpus.reshape("paragraph"))
>>> table = bt.keyness(bt.dtm(tokens), target={"region": "广西"})

Names are imported lazily: ``import bri_text`` stays fast and heavy libraries (jieba,
scikit-learn, gensim, matplotlib) load only when a stage that needs them is first used.
"""
from __future__ import annotations

import importlib as _importlib

from ._version import __version__  # written once, in _version.py

# public name -> module that defines it
_EXPORTS = {
    # corpus and input
    "Corpus": "corpus",
    "read_files": "io",
    "read_folder": "io",
    "read_csv": "io",
    "read_excel": "io",
    "read_jsonl": "io",
    "split_compendium": "io",
    "load_bri_policies": "datasets",
    "load_work_reports": "datasets",
    "load_instrument_codes": "datasets",
    # cleaning
    "clean": "cleaning",
    "preview_clean": "cleaning",
    # segmentation
    "Tokenizer": "segment",
    "Tokens": "segment",
    "tokenize": "segment",
    "tokenize_stream": "segment",
    "discover_terms": "segment",
    "clear_cache": "segment",
    # features and comparison
    "DocumentTermMatrix": "features",
    "dtm": "features",
    "kwic": "features",
    "collocations": "features",
    "frequencies": "features",
    "keyness": "compare",
    "profile": "compare",
    "orientation": "compare",
    "term_trends": "trends",
    "term_company": "trends",
    "trend_test": "trends",
    # topic models
    "TopicModel": "topics",
    "select_k": "topics",
    "choose_k": "topics",
    # text reuse
    "text_reuse": "reuse",
    "reuse_summary": "reuse",
    "diffusion": "reuse",
    "compare_versions": "reuse",
    "reinvention": "reuse",
    "versions_html": "reuse",
    # document similarity
    "similarity_matrix": "similarity",
    "most_similar": "similarity",
    "nearest_neighbors": "similarity",
    "cluster_documents": "similarity",
    # policy instruments: codebook, pre-coding, coding sheets, coders' agreement, tables, PMC
    "read_codebook": "instruments",
    "Codebook": "instruments",
    "code_clauses": "instruments",
    "ClauseClassifier": "instruments",
    "write_coding_sheet": "instruments",
    "read_coding_sheet": "instruments",
    "reliability": "instruments",
    "disagreements": "instruments",
    "confusion": "instruments",
    "instrument_shares": "instruments",
    "instrument_matrix": "instruments",
    "instrument_dtm": "instruments",
    "pmc_sheet": "instruments",
    "pmc_index": "instruments",
    # reports and provenance
    "manifest": "report",
    "manifest_diff": "report",
    # errors
    "BriTextError": "errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def _submodules() -> frozenset:
    """The public submodules (bri_text.plot, bri_text.trends, ...): every module or package
    in this folder whose name does not start with an underscore."""
    import pkgutil

    return frozenset(m.name for m in pkgutil.iter_modules(__path__)
                     if not m.name.startswith("_"))


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        if name in _submodules():
            return _importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module 'bri_text' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    """The public names only: the API and the public submodules."""
    return sorted(set(__all__) | _submodules())
