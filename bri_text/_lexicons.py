"""Load the built-in lexicons in ``bri_text/lexicons/`` and users' own files.

Every built-in file is UTF-8, tab-separated with a header row; ``#`` lines and blank lines
are skipped (see ``bri_text/lexicons/README.md`` for what each file holds and where it comes
from). Built-in files are parsed once and cached; every call returns a fresh object, so
changing a returned DataFrame, dict or list never changes what the next caller sees.

A user file (``path=``) is checked line by line: a missing file raises
:class:`~bri_text.errors.InputError`; a malformed line (wrong number of columns, empty term,
non-numeric frequency, unknown world region, a term listed twice with different values)
raises :class:`~bri_text.errors.MetadataError` whose message gives ``file:line``. In user
files a ``-``, ``－``, ``–`` or ``―`` between two Chinese characters is read as the em dash
``—``, the spelling of the built-in files and of cleaned text (中国-东盟 → 中国—东盟).

>>> from bri_text._lexicons import load_lexicon, load_provinces
>>> lex = load_lexicon()
>>> lex.set_index("term").loc["中欧班列", "category"]
'logistics'
>>> prov = load_provinces().set_index("name")["province"]
>>> prov["西安"], prov["广西壮族自治区"]
('陕西', '广西')
"""
from __future__ import annotations

import functools
import os
import re
from importlib import resources
from typing import TYPE_CHECKING, Iterator, Union

from .errors import EncodingError, InputError, MetadataError, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

PathLike = Union[str, "os.PathLike[str]"]

#: Categories of ``bri_lexicon.tsv``.
LEXICON_CATEGORIES = (
    "initiative", "corridor", "logistics", "institution", "instrument",
    "connectivity", "place", "policy", "agency",
)
#: Categories of the general policy terms (policy_terms.tsv).
POLICY_CATEGORIES = (
    "digital", "innovation", "economy", "reform", "environment", "social", "rural",
    "finance", "regional_urban", "party",
)
#: The six economic corridors of the Belt and Road, canonical (em-dash) spelling.
CORRIDORS = (
    "新亚欧大陆桥经济走廊", "中蒙俄经济走廊", "中国—中亚—西亚经济走廊",
    "中国—中南半岛经济走廊", "中巴经济走廊", "孟中印缅经济走廊",
)
#: The five connectivities (五通): category key -> Chinese name.
FIVE_CONNECTIVITIES = {
    "policy_coordination": "政策沟通",
    "facilities_connectivity": "设施联通",
    "unimpeded_trade": "贸易畅通",
    "financial_integration": "资金融通",
    "people_to_people": "民心相通",
}
#: Sector keys of ``sectors.tsv``.
SECTORS = (
    "transport_logistics", "energy", "manufacturing_capacity", "trade", "finance",
    "science_technology", "education", "culture_tourism", "health", "agriculture", "digital",
)
#: Allowed ``world_region`` values of ``gazetteer.tsv``.
WORLD_REGIONS = (
    "东北亚", "东南亚", "南亚", "中亚", "西亚", "俄罗斯及独联体", "中东欧", "西欧", "欧洲",
    "非洲", "拉美", "北美", "大洋洲",
)
#: Allowed ``continent`` values of ``gazetteer.tsv`` ("" = spans continents).
CONTINENTS = ("亚洲", "欧洲", "非洲", "美洲", "大洋洲")
#: Allowed ``type`` values of ``gazetteer.tsv``.
GAZETTEER_TYPES = ("country", "grouping", "city", "port", "region")
#: Allowed ``kind`` values of ``provinces.tsv``.
PROVINCE_KINDS = (
    "short", "full", "variant", "abbr", "city", "prefecture", "county", "port", "zone",
)

#: Matches of the five connectivities per 10,000 tokens below which a corpus reads as any
#: economic text does: its vocabulary has general economic words (交通, 贸易, 金融) that the
#: national work reports match at 220-410 per 10,000 tokens (234 over all 52), Belt and Road
#: plans at 830-1,640 (the built-in corpus: 750 over all 27, short texts included).
#: Counting entries at either end of a word (``compounds=True``, session 40) raises both:
#: default tokenizer, whole documents, 340 over the 52 reports (one reaches 502) and 891
#: over the 27 plans, so the line still separates the two genres as corpora.
FIVE_CONNECTIVITIES_COVERAGE = 500.0

#: Names of the Belt and Road that a text about it holds: the five connectivities (the
#: profile's default dictionary, the default codebook's targets) are its categories.
BRI_NAMES = re.compile(r"一带一路|丝绸之路|丝路|带路|五通|共建国家|沿线国家")
#: The share of documents that must name the Belt and Road for its categories to fit them.
BRI_SHARE = 0.5


def bri_documents(docs) -> tuple[int, int]:
    """(documents that name the Belt and Road, documents) among the units of the DataFrame
    ``docs``: grouped by ``parent_id`` when the units have it (else each unit a document),
    their ``text`` and ``title`` read.

    >>> import pandas as pd
    >>> bri_documents(pd.DataFrame({"text": ["共建“一带一路”", "发展数字经济", "丝路基金"],
    ...                             "parent_id": ["a", "b", "b"]}))
    (2, 2)
    """
    text = docs["text"].astype(str)
    if "title" in docs.columns:
        text = text + " " + docs["title"].fillna("").astype(str)
    named = text.str.contains(BRI_NAMES)
    if "parent_id" in docs.columns:
        named = named.groupby(docs["parent_id"].astype(str).to_numpy()).any()
    return int(named.sum()), len(named)

_DICTIONARIES = {"five_connectivities": "five_connectivities.tsv", "sectors": "sectors.tsv"}
_STOPWORDS = {"general": "stopwords_zh.txt", "policy": "stopwords_policy.txt"}
_WS = re.compile(r"\s+")
# a hyphen, full-width hyphen, en dash or horizontal bar between two CJK characters: the
# built-in files write these as the em dash (中国—东盟), and so do cleaned texts
_CJK_DASH = re.compile(r"(?<=[\u4e00-\u9fff])[-\uff0d\u2013\u2015](?=[\u4e00-\u9fff])")


# --------------------------------------------------------------------------- reading

def _builtin_text(name: str) -> tuple[str, str]:
    """Return (display name, text) of a built-in lexicon file."""
    res = resources.files("bri_text") / "lexicons" / name
    return f"bri_text/lexicons/{name}", res.read_text(encoding="utf-8")


def _user_path(path: PathLike, param: str, what: str = "lexicon file") -> str:
    """The path of a file a user names, as str; an error naming ``param`` (if any), the
    file as ``what`` (``"codebook file"``, ``"coding sheet"``) and the path when it is not a
    path, does not exist or is a folder."""
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(
            f"{param or what} must be a file path (str or pathlib.Path), "
            f"got {type(path).__name__}"
        )
    p = os.fspath(path)
    lead = f"{param}: " if param else ""
    if not os.path.exists(p):
        where = "" if os.path.isabs(p) else f" (looked in the working folder {os.getcwd()})"
        raise InputError(f"{lead}{what} {p!r} does not exist{where}; check the path")
    if os.path.isdir(p):
        raise InputError(f"{lead}{p!r} is a folder; give the path of one {what}")
    return p


def _user_text(path: PathLike, param: str, dashes: bool = True, decode=None,
               what: str = "lexicon file") -> tuple[str, str]:
    """Return (display name, text) of a user file, with clear errors (:func:`_user_path`);
    ``dashes``: write the dash variants between CJK characters as the em dash (phrases
    match cleaned text; a codebook passes False and converts its phrases only, so its codes
    stay as written).

    UTF-8 (a BOM is dropped) is read here, and UTF-16 with its byte-order mark (LE or BE:
    what Excel writes for "Unicode 文本 (*.txt)", Notepad for "Unicode"), which the mark
    makes certain. ``decode``: what a file that is not UTF-8 is
    read with, ``decode(bytes, name) -> (text, encoding)``: the document readers'
    :func:`bri_text.io.decode_bytes` (GBK / GB18030, what Excel on Chinese Windows writes
    for "CSV (逗号分隔)"), passed by the stages above this layer (codebooks, dictionaries,
    orientation's places): one reader for every table a researcher brings. Without it, or
    when the encoding stays uncertain, the error names the file (``what``) and says how to
    save it as UTF-8."""
    p = _user_path(path, param, what)
    with open(p, "rb") as fh:
        raw = fh.read()
    try:
        text = _utf16(raw, p, what) if raw.startswith(_UTF16_BOMS) else raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if decode is None:
            raise EncodingError(
                f"{p}: {what}s must be UTF-8 (byte {exc.start} is not); "
                "re-save the file as UTF-8"
            ) from None
        try:
            text = decode(raw, p)[0]
        except EncodingError as err:
            why = str(err).removeprefix(f"{p}: ").split(";")[0]   # without the readers' hint
            raise EncodingError(
                f"{p}: the {what} is not UTF-8 and its encoding is uncertain ({why}); in "
                "Excel save it as \"CSV UTF-8 (逗号分隔)\" (File > Save As), or in a text "
                "editor as UTF-8") from None
    return p, (_CJK_DASH.sub("\u2014", text) if dashes else text)


#: the byte-order marks of UTF-16 (little-endian, big-endian)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16(raw: bytes, name, what: str) -> str:
    """The text of a file that begins with a UTF-16 byte-order mark (the mark dropped);
    EncodingError naming the file when the rest is not UTF-16.

    >>> _utf16("磨憨、口岸".encode("utf-16"), "words.txt", "lexicon file")
    '磨憨、口岸'
    """
    try:
        return raw.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{name}: the {what} begins with a UTF-16 byte-order mark but is not UTF-16 "
            f"(byte {exc.start}); re-save it as UTF-8 (Excel: \"CSV UTF-8 (逗号分隔)\")"
        ) from None


def _gb18030(raw: bytes, name) -> tuple[str, str]:
    """A user word list that is not UTF-8, read as GBK / GB18030 (what Notepad and Excel on
    Chinese Windows write). Not guessed further (not :func:`bri_text.io.decode_bytes`): a
    list of a few rare words (磨憨) reads as well in Big5 (艦漫), so only these two
    encodings are taken."""
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{name}: neither UTF-8 nor GBK / GB18030 (byte {exc.start})"
                            ) from None


def _user_words_text(path: PathLike, param: str, what: str = "lexicon file"
                     ) -> tuple[str, str]:
    """(display name, text) of a user word list the tokenizer reads (user_dict, lexicon,
    synonyms and stopword files): UTF-8 (a BOM dropped), else GBK / GB18030 (:func:`_gb18030`);
    the one reading rule of them all.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "stop.txt")
    ...     with open(path, "w", encoding="gbk") as f:
    ...         _ = f.write("磨憨\\n")
    ...     _user_words_text(path, "stopwords")[1]
    '磨憨\\n'
    """
    return _user_text(path, param, decode=_gb18030, what=what)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, line) for non-blank, non-comment lines."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        yield lineno, line


def _read_table(name: str, text: str, columns: tuple[str, ...], required: int,
                header_required: bool, sep: str = "\t") -> list[tuple[int, list[str]]]:
    """Parse a tab-separated (``sep=","``: comma-separated, quotes as Excel writes them)
    table into (line number, fields padded to len(columns))."""
    import csv

    rows: list[tuple[int, list[str]]] = []
    first = True
    kind = "tab-separated" if sep == "\t" else "comma-separated"
    for lineno, line in _lines(text):
        fields = [f.strip() for f in (line.split(sep) if sep == "\t"
                                      else next(csv.reader([line])))]
        if first:
            first = False
            if tuple(fields) == columns:
                continue
            if header_required:
                raise MetadataError(
                    f"{name}:{lineno}: expected the header row "
                    f"{chr(9).join(columns)!r}, got {line!r}"
                )
        while len(fields) > required and fields[-1] == "" and len(fields) > len(columns):
            fields.pop()
        if not required <= len(fields) <= len(columns):
            want = (f"{len(columns)}" if required == len(columns)
                    else f"{required} to {len(columns)}")
            hint = ("; a comma-separated file is read as such when its name ends in "
                    ".csv" if sep == "\t" and "," in line and "\t" not in line else "")
            raise MetadataError(
                f"{name}:{lineno}: expected {want} {kind} columns "
                f"({', '.join(columns)}), got {len(fields)}: {line!r}{hint}"
            )
        fields += [""] * (len(columns) - len(fields))
        if not fields[0]:
            raise MetadataError(f"{name}:{lineno}: empty {columns[0]!r}; remove the line or "
                                f"fill in the {columns[0]}")
        for col, value in zip(columns[:required], fields):
            if not value:
                raise MetadataError(f"{name}:{lineno}: empty {col!r} for {fields[0]!r}")
        rows.append((lineno, fields))
    return rows


def _unique_by_first(name: str, rows: list[tuple[int, list[str]]],
                     what: str) -> list[tuple[int, list[str]]]:
    """Drop exact repeats of a row; raise if the first field repeats with other values."""
    seen: dict[str, tuple[int, list[str]]] = {}
    out = []
    for lineno, fields in rows:
        key = fields[0]
        if key in seen:
            prev_line, prev = seen[key]
            if prev != fields:
                raise MetadataError(
                    f"{name}:{lineno}: {what} {key!r} is already on line {prev_line} with "
                    f"different values ({chr(9).join(prev[1:])!r} vs "
                    f"{chr(9).join(fields[1:])!r}); keep one line per {what}"
                )
            continue
        seen[key] = (lineno, fields)
        out.append((lineno, fields))
    return out


def _check_values(name: str, lineno: int, column: str, value: str, allowed,
                  allow_empty: bool = False) -> None:
    if value == "" and allow_empty:
        return
    if value not in allowed:
        raise MetadataError(
            f"{name}:{lineno}: {column} {value!r} is not allowed; use one of "
            f"{', '.join(allowed)}" + (" or leave it empty" if allow_empty else "")
        )


# --------------------------------------------------------------------------- lexicon

_LEX_COLUMNS = ("term", "category", "freq")


def _parse_freq(name: str, lineno: int, term: str, value: str) -> int | None:
    if value == "":
        return None
    if not value.isdigit():
        raise MetadataError(
            f"{name}:{lineno}: freq {value!r} of {term!r} is not a non-negative whole "
            "number; write a number or leave it empty"
        )
    return int(value)


def _parse_lexicon(name: str, text: str, builtin: bool) -> list[tuple[str, str, int | None]]:
    """Lines are either TSV (term, category, freq) or jieba style ``term [freq] [category]``."""
    rows: list[tuple[int, list[str]]] = []
    first = True
    for lineno, line in _lines(text):
        if "\t" in line or builtin:
            fields = [f.strip() for f in line.split("\t")]
            if first and tuple(fields) == _LEX_COLUMNS:
                first = False
                continue
            while len(fields) > 3 and fields[-1] == "":
                fields.pop()
            if len(fields) > 3:
                raise MetadataError(
                    f"{name}:{lineno}: expected at most 3 tab-separated columns "
                    f"(term, category, freq), got {len(fields)}: {line!r}"
                )
            fields += [""] * (3 - len(fields))
        else:
            parts = _WS.split(line.strip())
            if len(parts) > 3:
                raise MetadataError(
                    f"{name}:{lineno}: expected 'term [freq] [category]' (jieba user-dict "
                    f"style), got {len(parts)} fields: {line!r}; terms cannot contain spaces"
                )
            term = parts[0]
            freq = parts[1] if len(parts) > 1 else ""
            cat = parts[2] if len(parts) > 2 else ""
            if freq and not freq.isdigit() and not cat and len(parts) == 2:
                freq, cat = "", freq  # 'term category' without a frequency
            fields = [term, cat, freq]
        first = False
        if not fields[0]:
            raise MetadataError(f"{name}:{lineno}: empty term; remove the line or write a term")
        if builtin and not fields[1]:
            raise MetadataError(f"{name}:{lineno}: empty category for {fields[0]!r}")
        rows.append((lineno, fields))
    rows = _unique_by_first(name, rows, "term")
    return [(f[0], f[1] or "user", _parse_freq(name, ln, f[0], f[2])) for ln, f in rows]


#: the built-in lexicon's files: Belt and Road terms, then general policy vocabulary
LEXICON_FILES = ("bri_lexicon.tsv", "policy_terms.tsv")


@functools.lru_cache(maxsize=None)
def _builtin_lexicon() -> tuple[tuple[str, str, int | None], ...]:
    rows = []
    for file in LEXICON_FILES:
        name, text = _builtin_text(file)
        rows += _parse_lexicon(name, text, builtin=True)
    return tuple(rows)


@functools.lru_cache(maxsize=None)
def general_policy_terms() -> frozenset:
    """The terms of ``policy_terms.tsv`` (the built-in lexicon's general policy vocabulary),
    which the segmenter asks for whole as it does a user's set of words.

    >>> {"大数据", "新质生产力"} <= general_policy_terms()
    True
    """
    name, text = _builtin_text(LEXICON_FILES[1])
    return frozenset(t for t, _, _ in _parse_lexicon(name, text, builtin=True))


def load_lexicon(path: PathLike | None = None) -> "pd.DataFrame":
    """The terms the segmenter keeps whole: DataFrame with columns term, category, freq
    (Int64). Built in: the Belt and Road lexicon (``bri_lexicon.tsv``) and general policy
    vocabulary (``policy_terms.tsv``: 大数据, 新常态, 新质生产力, 三去一降一补 …).

    ``path`` adds a user file, either in the same TSV format (``term<TAB>category<TAB>freq``,
    category and freq optional) or jieba user-dict style, one ``term [freq] [category]`` per
    line separated by spaces. UTF-8, else GBK / GB18030 (as Notepad and Excel on Chinese
    Windows save it); so are synonyms and stopword files. User entries override built-in ones with the same term; user
    terms without a category get ``"user"``. ``freq`` is ``<NA>`` where the file leaves it
    empty (the segmenter chooses a frequency).

    >>> lex = load_lexicon()
    >>> lex.set_index("term").loc["中巴经济走廊", "category"]
    'corridor'
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "my_terms.txt")
    ...     with open(path, "w", encoding="utf-8") as f:
    ...         _ = f.write("中老铁路班列 20 corridor\\n")
    ...     user = load_lexicon(path)
    >>> entry = user.set_index("term").loc["中老铁路班列"]
    >>> entry["category"], int(entry["freq"])
    ('corridor', 20)
    """
    import pandas as pd

    entries = {t: (t, c, f) for t, c, f in _builtin_lexicon()}
    if path is not None:
        name, text = _user_words_text(path, "path")
        for t, c, f in _parse_lexicon(name, text, builtin=False):
            entries[t] = (t, c, f)
    rows = list(entries.values())
    return pd.DataFrame({
        "term": [r[0] for r in rows],
        "category": [r[1] for r in rows],
        "freq": pd.array([r[2] for r in rows], dtype="Int64"),
    })


# --------------------------------------------------------------------------- synonyms

def _parse_synonyms(name: str, text: str, builtin: bool) -> dict[str, str]:
    rows = _read_table(name, text, ("variant", "canonical"), 2, header_required=builtin)
    rows = _unique_by_first(name, rows, "variant")
    out = {}
    for lineno, (variant, canonical) in rows:
        if variant == canonical:
            raise MetadataError(f"{name}:{lineno}: variant and canonical are both "
                                f"{variant!r}; remove the line")
        out[variant] = canonical
    return out


def _resolve_chains(mapping: dict[str, str], name: str) -> dict[str, str]:
    """Follow variant -> canonical chains (a -> b, b -> c gives a -> c); refuse cycles."""
    out = {}
    for variant in mapping:
        seen = [variant]
        target = mapping[variant]
        while target in mapping:
            if target in seen:
                raise MetadataError(
                    f"{name}: synonyms form a cycle {' -> '.join(seen + [target])}; "
                    "make one of them the canonical form"
                )
            seen.append(target)
            target = mapping[target]
        out[variant] = target
    return out


@functools.lru_cache(maxsize=None)
def _builtin_synonyms() -> tuple[tuple[str, str], ...]:
    name, text = _builtin_text("synonyms.tsv")
    return tuple(_resolve_chains(_parse_synonyms(name, text, True), name).items())


def load_synonyms(path: PathLike | None = None) -> dict[str, str]:
    """Map variant spellings and abbreviations to one canonical form.

    ``path`` adds a user ``variant<TAB>canonical`` file (header optional; UTF-8, else GBK /
    GB18030) whose pairs override
    the built-in ones; chains are followed, so every value is a canonical form.

    >>> load_synonyms()["亚洲基础设施投资银行"]
    '亚投行'
    """
    mapping = dict(_builtin_synonyms())
    if path is None:
        return mapping
    name, text = _user_words_text(path, "path", what="synonyms file")
    return _merge_synonyms(mapping, _parse_synonyms(name, text, builtin=False), name)


def _merge_synonyms(mapping: dict[str, str], user: dict[str, str], name: str
                    ) -> dict[str, str]:
    """``mapping`` with the ``user`` pairs over it: a user's canonical form stays canonical
    (``亚投行 -> 亚洲基础设施投资银行`` turns the built-in pair around), chains followed."""
    mapping = dict(mapping)
    for canonical in user.values():
        if canonical not in user:
            mapping.pop(canonical, None)
    mapping.update(user)
    return _resolve_chains(mapping, name)


def _user_synonyms(path: PathLike, param: str = "synonyms") -> tuple[str, dict[str, str]]:
    """(display name, the pairs) of a user synonyms file alone."""
    name, text = _user_words_text(path, param, what="synonyms file")
    return name, _parse_synonyms(name, text, builtin=False)


# --------------------------------------------------------------------------- stopwords

def _parse_words(name: str, text: str) -> frozenset[str]:
    words = set()
    for lineno, line in _lines(text):
        word = line.strip()
        if _WS.search(word):
            raise MetadataError(f"{name}:{lineno}: one word per line expected, got {line!r}")
        words.add(word)
    return frozenset(words)


@functools.lru_cache(maxsize=None)
def _builtin_stopwords(kind: str) -> frozenset[str]:
    return _parse_words(*_builtin_text(_STOPWORDS[kind]))


def load_stopwords(kind: str | PathLike = "general") -> frozenset[str]:
    """Stopwords: ``"general"`` (Chinese function words), ``"policy"`` (plan boilerplate),
    ``"all"`` (both) or the path of a user file with one word per line (UTF-8, else GBK /
    GB18030).

    >>> "的" in load_stopwords("general"), "推进" in load_stopwords("policy")
    (True, True)
    """
    if isinstance(kind, str) and kind in _STOPWORDS:
        return _builtin_stopwords(kind)
    if isinstance(kind, str) and kind == "all":
        return _builtin_stopwords("general") | _builtin_stopwords("policy")
    if isinstance(kind, str) and not os.path.exists(kind) and os.sep not in kind \
            and "." not in kind:
        raise ParameterError(
            f"kind must be 'general', 'policy', 'all' or a file path, got {kind!r}"
        )
    return _parse_words(*_user_words_text(kind, "kind", what="stopword file"))


@functools.lru_cache(maxsize=None)
def load_self_references() -> frozenset[str]:
    """The words a provincial, regional or city government uses for its own jurisdiction
    and organs (全省, 全区, 我省, 本市, 自治区, 省委 …; ``lexicons/self_references.txt``):
    what :func:`bri_text.keyness` leaves out with ``exclude="own_names"``.

    >>> {"全省", "全区", "我区", "自治区"} <= load_self_references()
    True
    """
    return _parse_words(*_builtin_text("self_references.txt"))


# --------------------------------------------------------------------------- dictionaries

def _parse_dictionary(name: str, text: str, builtin: bool) -> dict[str, list[str]]:
    sep = "," if name.lower().endswith(".csv") else "\t"
    rows = _read_table(name, text, ("term", "category"), 2, header_required=builtin, sep=sep)
    rows = _unique_by_first(name, rows, "term")
    out: dict[str, list[str]] = {}
    for _, (term, category) in rows:
        out.setdefault(category, []).append(term)
    if not out:
        raise MetadataError(f"{name}: the dictionary has no entries; write one "
                            "term and its category a line (term<TAB>category, or "
                            "term,category in a .csv)")
    return out


@functools.lru_cache(maxsize=None)
def _builtin_dictionary(key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    name, text = _builtin_text(_DICTIONARIES[key])
    return tuple((c, tuple(ts)) for c, ts in _parse_dictionary(name, text, True).items())


def load_dictionary(name_or_path: str | PathLike, param: str = "name_or_path",
                    decode=None, what: str = "dictionary file") -> dict[str, list[str]]:
    """A category dictionary: ``"five_connectivities"``, ``"sectors"`` or a path to a
    ``term<TAB>category`` file, or a ``.csv`` file of ``term,category`` (header optional;
    UTF-8 with or without a BOM, and with ``decode`` -- the stages above pass
    :func:`bri_text.io.decode_bytes`, as for codebooks -- GBK / GB18030 too). A term may
    belong to one category only. ``param`` names the parameter in errors, ``what`` the
    kind of file (``"places file"`` for orientation's ``places=``).

    >>> d = load_dictionary("five_connectivities")
    >>> sorted(d)[:2], "铁路" in d["facilities_connectivity"]
    (['facilities_connectivity', 'financial_integration'], True)
    """
    if isinstance(name_or_path, str) and name_or_path in _DICTIONARIES:
        return {c: list(ts) for c, ts in _builtin_dictionary(name_or_path)}
    if isinstance(name_or_path, str) and not os.path.exists(name_or_path) \
            and os.sep not in name_or_path and "." not in name_or_path:
        raise ParameterError(
            f"{param} must be 'five_connectivities', 'sectors' or a file path, "
            f"got {name_or_path!r}"
        )
    name, text = _user_text(name_or_path, param, decode=decode, what=what)
    return _parse_dictionary(name, text, builtin=False)


#: the dictionaries an exception of ``compound_exceptions.tsv`` may be limited to
EXCEPTION_DICTIONARIES = ("five_connectivities", "sectors", "gazetteer")


@functools.lru_cache(maxsize=4)
def load_compound_exceptions(dictionary: str | None = None) -> frozenset[tuple[str, str]]:
    """The (word, entry) pairs of ``compound_exceptions.tsv``: words that hold an entry of a
    built-in dictionary and are no mention of it (养老保险 is social insurance, not the
    insurance of 资金融通; 内蒙古 is no mention of 蒙古). ``profile`` and ``orientation`` count
    an entry inside a longer word except where it sits in one of these words (养老保险 in
    养老保险金 too). An exception whose ``dictionaries`` column names dictionaries holds for
    those only: 文化素质 (a population's educational level) is no mention of the sectors'
    culture, but one of people-to-people bonds, whose category holds education.
    ``dictionary``: the pairs that hold for that built-in dictionary
    (``"five_connectivities"``, ``"sectors"``, ``"gazetteer"``); None (a dictionary of your
    own): the pairs that hold for every dictionary.

    >>> ("内蒙古", "蒙古") in load_compound_exceptions()
    True
    >>> [("文化素质", "文化") in load_compound_exceptions(d)
    ...  for d in ("sectors", "five_connectivities", None)]
    [True, False, False]
    """
    if dictionary is not None and dictionary not in EXCEPTION_DICTIONARIES:
        raise ParameterError(f"dictionary must be one of {EXCEPTION_DICTIONARIES} or None, "
                             f"got {dictionary!r}")
    name, text = _builtin_text("compound_exceptions.tsv")
    rows = _read_table(name, text, ("word", "entry", "why", "dictionaries"), 2,
                       header_required=True)
    out = set()
    for lineno, (word, entry, _, only) in rows:
        if not entry or len(entry) >= len(word) or entry not in word:
            raise MetadataError(f"{name}:{lineno}: {word!r} must hold the shorter entry "
                                f"{entry!r}")
        names = [d.strip() for d in only.split("|") if d.strip()]
        bad = [d for d in names if d not in EXCEPTION_DICTIONARIES]
        if bad:
            raise MetadataError(f"{name}:{lineno}: dictionaries {bad} of {word!r} are not "
                                f"among {EXCEPTION_DICTIONARIES}")
        if not names or dictionary in names:
            out.add((word, entry))
    return frozenset(out)


# --------------------------------------------------------------------------- gazetteer

_GAZ_COLUMNS = ("term", "place", "type", "world_region", "continent", "corridor")


def _parse_gazetteer(name: str, text: str, builtin: bool) -> list[list[str]]:
    rows = _read_table(name, text, _GAZ_COLUMNS, 4, header_required=builtin)
    rows = _unique_by_first(name, rows, "term")
    for lineno, f in rows:
        _check_values(name, lineno, "type", f[2], GAZETTEER_TYPES)
        _check_values(name, lineno, "world_region", f[3], WORLD_REGIONS)
        _check_values(name, lineno, "continent", f[4], CONTINENTS, allow_empty=True)
        _check_values(name, lineno, "corridor", f[5], CORRIDORS, allow_empty=True)
    return [f for _, f in rows]


@functools.lru_cache(maxsize=None)
def _builtin_table(filename: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a built-in keyed table (gazetteer, provinces), parsed and checked once."""
    name, text = _builtin_text(filename)
    return tuple(tuple(f) for f in _TABLES[filename][0](name, text, True))


def _load_table(filename: str, path) -> "pd.DataFrame":
    """Built-in rows keyed by their first field, overridden by a user file's rows."""
    import pandas as pd

    parse, columns = _TABLES[filename]
    entries = {f[0]: f for f in _builtin_table(filename)}
    if path is not None:        # the rule of every user table: UTF-8, else GBK / GB18030
        name, text = _user_text(path, "path", decode=_gb18030, what=_TABLE_KINDS[filename])
        for f in parse(name, text, builtin=False):
            entries[f[0]] = tuple(f)
    return pd.DataFrame(list(entries.values()), columns=list(columns))


def load_gazetteer(path: PathLike | None = None) -> "pd.DataFrame":
    """Foreign places: DataFrame with columns term, place, type, world_region, continent,
    corridor ("" where none applies). ``path`` adds a user file with the same columns
    (continent and corridor may be omitted; UTF-8, else GBK / GB18030); its terms override
    built-in ones.

    >>> g = load_gazetteer().set_index("term")
    >>> g.loc["哈萨克斯坦", "world_region"], g.loc["瓜达尔港", "corridor"]
    ('中亚', '中巴经济走廊')
    """
    return _load_table("gazetteer.tsv", path)


# --------------------------------------------------------------------------- provinces

_PROV_COLUMNS = ("name", "province", "kind")


def _parse_provinces(name: str, text: str, builtin: bool) -> list[list[str]]:
    rows = _read_table(name, text, _PROV_COLUMNS, 3, header_required=builtin)
    rows = _unique_by_first(name, rows, "name")
    for lineno, f in rows:
        _check_values(name, lineno, "kind", f[2], PROVINCE_KINDS)
    return [f for _, f in rows]


def load_provinces(path: PathLike | None = None) -> "pd.DataFrame":
    """Chinese province-level divisions, their cities and name forms: DataFrame with columns
    name, province (the common short name, e.g. 广西, 陕西), kind (short | full | variant |
    abbr | city | prefecture | county | port | zone). ``path`` adds user rows (override;
    UTF-8, else GBK / GB18030).

    >>> p = load_provinces()
    >>> int((p.kind == "short").sum())
    34
    """
    return _load_table("provinces.tsv", path)


#: the kinds of ``provinces.tsv`` that name a province-level division itself
PROVINCE_NAME_KINDS = ("short", "full", "variant", "abbr")
#: how the full name of an autonomous prefecture, league or prefecture ends
_PREFECTURE_ENDS = ("自治州", "盟", "地区")


@functools.lru_cache(maxsize=None)
def _place_units() -> dict[str, str]:
    """``{name: unit}`` over the built-in ``provinces.tsv``: two names with the same unit
    name the same place (see :func:`place_unit`)."""
    rows = _builtin_table("provinces.tsv")
    units: dict[str, str] = {}
    fulls: dict[str, list[str]] = {}
    for name, province, kind in rows:          # provinces first: 吉林 stays the province
        if kind in PROVINCE_NAME_KINDS:
            units[name] = f"province {province}"
        elif kind == "prefecture" and name.endswith(_PREFECTURE_ENDS):
            units[name] = f"prefecture {name}"
            fulls.setdefault(province, []).append(name)
    for name, province, kind in rows:
        if kind == "prefecture" and name not in units:
            # a short form (延边, 湘西州, 博州) is the one full name of its province that
            # starts with it without 州
            stem = name[:-1] if name.endswith("州") else name
            hits = [f for f in fulls.get(province, []) if f.startswith(stem)]
            units[name] = f"prefecture {hits[0]}" if len(hits) == 1 else f"prefecture {name}"
        elif kind in ("city", "county", "port", "zone"):
            stem = name[:-1] if name.endswith("市") and len(name) > 2 else name
            for form in (name, stem, stem + "市"):
                units.setdefault(form, f"{kind} {stem}")
    return units


def place_unit(name) -> str | None:
    """The place of China that ``name`` names by the built-in ``provinces.tsv`` (a key:
    two names with the same key are one place), or None when it names none. A province-level
    division by any of its names (short, full, variant, one-character: 广西, 广西壮族自治区,
    广西自治区, 桂); a city, county-level city, port or zone with or without 市 (深圳,
    深圳市); an autonomous prefecture by its full and its short name (延边朝鲜族自治州,
    延边). A province and a city of the same name are two places (吉林省 and 吉林市);
    surrounding whitespace is ignored.

    >>> place_unit("浙江") == place_unit("浙江省"), place_unit("深圳") == place_unit("深圳市")
    (True, True)
    >>> place_unit("吉林省") == place_unit("吉林市"), place_unit("海南") == place_unit("海南州")
    (False, False)
    >>> place_unit("全国") is None
    True
    """
    if not isinstance(name, str):
        return None
    return _place_units().get(name.strip())


# --------------------------------------------------------------------------- formulaic

#: Allowed ``category`` values of ``formulaic.tsv``.
FORMULAIC_CATEGORIES = ("political", "agency_list", "closing")
_FORM_COLUMNS = ("pattern", "category")


def _parse_formulaic(name: str, text: str, builtin: bool) -> list[list[str]]:
    rows = _read_table(name, text, _FORM_COLUMNS, 2, header_required=builtin)
    rows = _unique_by_first(name, rows, "pattern")
    for lineno, f in rows:
        _check_values(name, lineno, "category", f[1], FORMULAIC_CATEGORIES)
        try:
            re.compile(f[0])
        except re.error as exc:
            raise MetadataError(f"{name}:{lineno}: pattern {f[0]!r} is not a valid regular "
                                f"expression ({exc})") from None
    return [f for _, f in rows]


def load_formulaic(path: PathLike | None = None) -> "pd.DataFrame":
    """Set phrasing of policy documents (political formulas, lists of responsible
    agencies, standard closing lines): DataFrame with columns pattern (a regular
    expression) and category (political | agency_list | closing). ``path`` adds a user
    file with the same columns (UTF-8, else GBK / GB18030). :func:`bri_text.text_reuse` uses it to flag formulaic
    passages.

    >>> f = load_formulaic()
    >>> sorted(set(f.category))
    ['agency_list', 'closing', 'political']
    """
    return _load_table("formulaic.tsv", path)


#: How errors name a user's file of each table.
_TABLE_KINDS = {"gazetteer.tsv": "gazetteer file", "provinces.tsv": "provinces file",
                "formulaic.tsv": "formulaic-phrase file"}
_TABLES = {"gazetteer.tsv": (_parse_gazetteer, _GAZ_COLUMNS),
           "provinces.tsv": (_parse_provinces, _PROV_COLUMNS),
           "formulaic.tsv": (_parse_formulaic, _FORM_COLUMNS)}


__all__ = [
    "load_lexicon", "load_synonyms", "load_stopwords", "load_dictionary",
    "load_gazetteer", "load_provinces", "load_formulaic", "load_compound_exceptions",
    "load_self_references",
    "LEXICON_CATEGORIES", "POLICY_CATEGORIES", "CORRIDORS", "FIVE_CONNECTIVITIES", "SECTORS",
    "WORLD_REGIONS", "CONTINENTS", "GAZETTEER_TYPES", "PROVINCE_KINDS", "FORMULAIC_CATEGORIES",
]
