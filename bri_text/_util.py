"""Small shared helpers (private)."""
from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
import warnings
from typing import Iterable

import numpy as np

from .errors import MetadataError, ParameterError


def check_random_state(random_state) -> np.random.Generator:
    """Turn ``None | int | np.random.Generator`` into a Generator.

    >>> int(check_random_state(1).integers(10)) == int(check_random_state(1).integers(10))
    True
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ParameterError(f"random_state must be >= 0, got {random_state}")
        return np.random.default_rng(int(random_state))
    raise ParameterError(
        f"random_state must be None, an int or a numpy Generator, got {type(random_state).__name__}"
    )


#: The seed a function that resamples or permutes uses when not given one, so that the same
#: call gives the same intervals and p-values in any process (docs/STATISTICS.md, "Seeds":
#: pass another int to draw other resamples, None for fresh randomness). A topic model's
#: methods use the model's own seed instead.
DEFAULT_SEED = 0

#: What ``attrs["random_state"]`` says when a result drew fresh randomness.
FRESH = "None: fresh randomness, not reproducible"


def seed_record(random_state):
    """What a result's ``attrs["random_state"]`` records of the seed it drew with: the int,
    :data:`FRESH` for None, or a note for a numpy Generator (its state is not recorded).

    >>> seed_record(0), seed_record(np.int64(3)), seed_record(None)
    (0, 3, 'None: fresh randomness, not reproducible')
    """
    if random_state is None:
        return FRESH
    if isinstance(random_state, np.random.Generator):
        return "numpy Generator (its state is not recorded)"
    return int(random_state)


def seed_from(random_state, default: int = 0) -> int:
    """An int seed for backends that want one (tomotopy, gensim)."""
    if random_state is None:
        return default
    rng = check_random_state(random_state)  # validates: no negative ints, no other types
    if isinstance(random_state, (int, np.integer)):
        return int(random_state)
    return int(rng.integers(0, 2**31 - 1))


def fingerprint(texts: Iterable[str], extra: str = "") -> str:
    """SHA-256 over texts (order matters), first 16 hex digits.

    >>> fingerprint(["一带一路"]) == fingerprint(["一带一路"])
    True
    """
    h = hashlib.sha256(extra.encode("utf-8"))
    for t in texts:
        b = t.encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()[:16]


def unit_digest(text: str) -> bytes:
    """The SHA-256 (32 bytes) of one unit's text: what :func:`units_fingerprint` chains.

    >>> len(unit_digest("一带一路"))
    32
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def units_fingerprint(texts: Iterable[str] = (), extra: str = "", *,
                      digests: Iterable[bytes] | None = None) -> str:
    """16 hex digits of a SHA-256 over ``extra`` (its length, then its bytes) and the
    :func:`unit_digest` of each text, in order: the fingerprint of a set of units
    (``Tokens.fingerprint``, ``DocumentTermMatrix.tokens_fingerprint``).

    Two levels, so that it can be computed in pieces: the digests of each piece of the
    units (a Dask partition) are made apart and read in order (``digests=``, one bytes
    object per piece or per unit), and any cut of the same units gives the same print.
    A one-level hash over the texts cannot be: SHA-256 reads its input in order, and the
    state after one piece cannot be carried to another process or combined with the
    next piece's.

    >>> a = units_fingerprint(["中欧班列", "开行"], extra="x")
    >>> a == units_fingerprint(extra="x", digests=[unit_digest("中欧班列") + unit_digest("开行")])
    True
    """
    e = extra.encode("utf-8", "surrogatepass")
    h = hashlib.sha256(len(e).to_bytes(8, "little") + e)
    for d in (map(unit_digest, texts) if digests is None else digests):
        h.update(d)
    return h.hexdigest()[:16]


def documents_fingerprint(ids: Iterable[str], texts: Iterable[str]) -> str:
    """The fingerprint of documents (``Corpus.fingerprint``, a manifest's
    ``corpus.fingerprint``): :func:`units_fingerprint` of their texts, in order, with their
    ids (joined by U+001F) as ``extra``: the same two-level SHA-256 as ``Tokens.fingerprint``,
    so that it too can be computed in pieces.

    >>> documents_fingerprint(["gx"], ["面向东盟"]) == units_fingerprint(["面向东盟"], extra="gx")
    True
    """
    return units_fingerprint(list(texts), extra="\x1f".join(ids))


def config_json(config) -> str:
    """A tokenizer configuration as the fingerprints hash it (JSON, sorted keys)."""
    import json

    return json.dumps(config, sort_keys=True, ensure_ascii=False, default=str)


def lists_fingerprint(lists) -> str:
    """:func:`units_fingerprint` of plain token lists (no tokenizer configuration): each
    unit's tokens joined by a space.

    >>> lists_fingerprint([["东盟", "合作"]]) == units_fingerprint(["东盟 合作"])
    True
    """
    return units_fingerprint(" ".join(t) for t in lists)


def show_progress(progress) -> bool:
    """Resolve ``progress=None`` to 'on a terminal and not in CI'."""
    if progress is not None:
        return bool(progress)
    if os.environ.get("CI"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def progress_bar(iterable, *, total=None, desc=None, progress=None):
    """Wrap ``iterable`` in tqdm when progress is wanted (see :func:`show_progress`)."""
    if not show_progress(progress):
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc)


#: distributions whose version can change a result: segmentation (rjieba, jieba), text
#: reading and cleaning (OpenCC, charset-normalizer, selectolax), counting and statistics
#: (numpy, scipy, pandas, scikit-learn), topic models (tomotopy, gensim), text reuse
#: (rapidfuzz)
RESULT_PACKAGES = ("bri_text", "numpy", "scipy", "pandas", "scikit-learn", "tomotopy", "gensim",
                   "rjieba", "jieba", "opencc", "charset-normalizer", "selectolax", "rapidfuzz")


def _tomotopy_isa():
    """The SIMD code tomotopy runs (``avx512``, ``avx2``, ``sse2``...): the same seed gives
    different topics on different instruction sets (issue 21); None without tomotopy."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # its builtin types' notice
            import tomotopy
    except ImportError:  # pragma: no cover - a core dependency
        return None
    return getattr(tomotopy, "isa", None)


def versions() -> dict:
    """Versions of Python, bri_text and every library that can change a result
    (:data:`RESULT_PACKAGES`; None when not installed), ``bri_text_commit``, the git commit
    of the checkout bri_text is imported from (None for an installed wheel),
    ``tomotopy_isa``, the instruction set tomotopy uses on this machine, and ``blas``,
    numpy's BLAS library.

    ``bri_text_commit`` names the commit checked out, not the files: edits not committed
    are not seen, and there is no "dirty" flag (telling would mean comparing the files
    with the commit's tree in git's object store, which needs git). Commit before a run
    you publish, or keep ``git status --short`` and ``git diff`` beside its results.

    >>> v = versions()
    >>> [k for k in ("python", "numpy", "tomotopy", "rjieba", "opencc") if k not in v]
    []
    """
    return dict(_versions())


@functools.lru_cache(maxsize=1)
def _versions() -> dict:
    # once per process: every fitted model records them, and reading the installed
    # packages' metadata costs about 35 ms a call
    import platform
    from importlib import metadata

    from ._version import __version__

    out = {"python": platform.python_version()}
    for pkg in RESULT_PACKAGES:
        try:
            # bri_text: the code that runs (a checkout may differ from what pip installed)
            out[pkg] = __version__ if pkg == "bri_text" else metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    out["bri_text_commit"] = _source_commit(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out["tomotopy_isa"] = _tomotopy_isa()
    out["blas"] = _blas()
    return out


def _source_commit(here: str) -> str | None:
    """The git commit of the checkout in folder ``here`` that bri_text is imported from
    (an editable install of a clone: 0.5.0.dev0 names many commits), read from ``.git``
    without running git; None for an installed wheel. Uncommitted edits are not seen."""
    git = os.path.join(here, ".git")
    try:
        if os.path.isfile(git):                      # a worktree: "gitdir: <path>"
            with open(git, encoding="utf-8") as fh:
                git = os.path.join(here, fh.read().split("gitdir:", 1)[1].strip())
        with open(os.path.join(git, "HEAD"), encoding="utf-8") as fh:
            head = fh.read().strip()
        if not head.startswith("ref:"):
            return head or None                      # a detached HEAD
        ref = head[4:].strip()
        common = git
        if os.path.isfile(os.path.join(git, "commondir")):   # a worktree's shared refs
            with open(os.path.join(git, "commondir"), encoding="utf-8") as fh:
                common = os.path.join(git, fh.read().strip())
        for base in (git, common):
            path = os.path.join(base, ref)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as fh:
                    return fh.read().strip() or None
        with open(os.path.join(common, "packed-refs"), encoding="utf-8") as fh:
            for line in fh:
                if line.rstrip().endswith(" " + ref):
                    return line.split()[0]
    except (OSError, IndexError):
        return None
    return None


def _blas():
    """The BLAS library numpy calls (e.g. ``openblas 0.3.27``; threadpoolctl comes with
    scikit-learn): the NMF start of a topic model runs on it, and two BLAS builds can round
    differently; None when it cannot be told."""
    try:
        import numpy  # noqa: F401  (loads the BLAS threadpoolctl looks for)
        from threadpoolctl import threadpool_info

        libs = [f"{i['internal_api']} {i.get('version') or ''}".strip()
                for i in threadpool_info() if i.get("user_api") == "blas"]
    except Exception:  # threadpoolctl missing or unable to inspect: not worth failing over
        return None
    # sorted: threadpoolctl lists the loaded builds (numpy's, scipy's) in an order that
    # depends on PYTHONHASHSEED, and manifest_diff would report it as a difference
    return ", ".join(sorted(libs)) or None


# ---------------------------------------------------------------------- metadata conditions
def check_column(docs, column: str, param: str) -> None:
    if column not in docs.columns:
        cols = [c for c in docs.columns if c != "text"]
        raise MetadataError(f"{param}={column!r}: no metadata column {column!r}; columns "
                            f"present: {cols}")


def check_n_jobs(n_jobs) -> int:
    """``n_jobs`` as a positive int: -1 means all cores, -2 all but one, and so on."""
    check_scalar(n_jobs, "n_jobs")
    if n_jobs == 0:
        raise ParameterError("n_jobs must be a positive int or -1 (all cores), got 0")
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + int(n_jobs))
    return int(n_jobs)


def _count(n: int, word: str) -> str:
    """``n`` and ``word``, plural when ``n`` is not 1: 1 document, 11 documents."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _left_out_subject(n: int, n_parents: int, units: bool) -> str:
    """What a left-out warning counts, with its verb: ``11 documents have`` when the rows
    are whole documents, ``570 units of 11 documents have`` when they are units
    (paragraphs, sentences) of documents, ``3 rows of 2 documents have`` otherwise.

    >>> [_left_out_subject(11, 11, False), _left_out_subject(1, 1, False),
    ...  _left_out_subject(570, 11, True), _left_out_subject(1, 1, True)]
    ['11 documents have', '1 document has', '570 units of 11 documents have', '1 unit of 1 document has']
    """
    verb = "has" if n == 1 else "have"
    if not n_parents:
        return f"{_count(n, 'unit' if units else 'row')} {verb}"
    if not units and n == n_parents:
        return f"{_count(n, 'document')} {verb}"
    return f"{_count(n, 'unit' if units else 'row')} of {_count(n_parents, 'document')} {verb}"


def warn_left_out(missing: np.ndarray, docs, by: str, where: str) -> None:
    """The library-wide rule for units whose ``by=`` value is missing: they are left out,
    with one warning naming how many units and documents and how to include them (only
    the documents when the rows are whole documents).

    ``missing`` is a boolean mask over the rows of ``docs`` (units with ``doc_id`` and,
    when reshaped, ``parent_id``; documents with ``doc_id``). Nothing happens when no
    unit is missing.
    """
    missing = np.asarray(missing, dtype=bool)
    n = int(missing.sum())
    if not n:
        return
    units = "parent_id" in docs.columns
    col = "parent_id" if units else "doc_id"
    parents = list(dict.fromkeys(docs[col].to_numpy()[missing].tolist())) \
        if col in docs.columns else []
    warnings.warn(left_out_message(n, len(parents), parents[:3], units, by, where),
                  stacklevel=4)


def left_out_message(n: int, n_parents: int, examples: list, units: bool, by: str,
                     where: str) -> str:
    """The words of :func:`warn_left_out` from the counts: ``n`` units (rows) of
    ``n_parents`` documents, the first ``examples`` (documents), ``units`` when the rows
    are units of documents. The Dask path counts in pieces and words it with this.

    >>> left_out_message(2, 1, ["bri01"], True, "region", "profile")[:60]
    "profile: 2 units of 1 document have no value in 'region' and"
    """
    them = "it" if n == 1 else "them"
    if by in ("year", "date"):
        fix = (f"if a column of the table dates {them} (a column of years works), read it "
               "with date=... (read_csv, read_excel, Corpus.from_dataframe), or set "
               f"corpus.docs[{by!r}] yourself")
    else:
        fix = (f"give {them} a value, e.g. corpus.docs[{by!r}] = corpus.docs[{by!r}].fillna"
               "(VALUE) (\"全国\" for national documents in a column of provinces)")
    return (f"{where}: {_left_out_subject(n, n_parents, units)} no value in {by!r} and "
            f"{'is' if n == 1 else 'are'} left out (e.g. {list(examples)[:3]}); to include "
            f"{them}, {fix}")


# ---------------------------------------------------------------------- parameter checks
_INT = (int, np.integer)
_REAL = (int, float, np.integer, np.floating)


def check_scalar(value, name: str, kind: str = "int", *, min_val=None, max_val=None,
                 include_min: bool = True, include_max: bool = True, allow_none: bool = False):
    """Validate one numeric parameter (the library's ``sklearn.utils.check_scalar``).

    ``kind`` is ``"int"`` or ``"real"``; booleans are never numbers here. Returns the value
    as a Python int/float (or None when ``allow_none`` and it is None); raises
    :class:`~bri_text.errors.ParameterError` naming the parameter otherwise.

    >>> check_scalar(5, "n_boot", min_val=1)
    5
    >>> check_scalar(0.5, "ci", "real", min_val=0, max_val=1, include_min=False, include_max=False)
    0.5
    >>> check_scalar(True, "top_n")
    Traceback (most recent call last):
    ...
    bri_text.errors.ParameterError: top_n must be an int, got True
    """
    if value is None and allow_none:
        return None
    types, word = (_INT, "an int") if kind == "int" else (_REAL, "a number")
    if isinstance(value, bool) or not isinstance(value, types):
        raise ParameterError(f"{name} must be {word}, got {value!r}")
    if kind == "real" and not np.isfinite(value):
        raise ParameterError(f"{name} must be a finite number, got {value!r}")
    if min_val is not None and (value < min_val or (value == min_val and not include_min)):
        op = ">=" if include_min else ">"
        raise ParameterError(f"{name} must be {op} {min_val}, got {value!r}")
    if max_val is not None and (value > max_val or (value == max_val and not include_max)):
        op = "<=" if include_max else "<"
        raise ParameterError(f"{name} must be {op} {max_val}, got {value!r}")
    return int(value) if kind == "int" else float(value)


# ---------------------------------------------------------------------- renamed parameters
def _renamed_message(where: str, old: str, new: str, renamed_in: str = "0.2.0") -> str:
    major, minor = (int(x) for x in renamed_in.split(".")[:2])
    return (f"{where}: parameter {old}= was renamed {new}= in bri_text {renamed_in} and "
            f"removed in {major}.{minor + 1}.0; use {new}= instead")


def renamed_parameters(renamed_in: str = "0.2.0", /, **old_to_new):
    """Decorator: an old keyword name raises a :class:`ParameterError` that names the new
    one, instead of Python's bare "unexpected keyword argument".

    An old name works with a :class:`DeprecationWarning` for the minor version that renames
    it and is removed in the next (0.2.0's renames in 0.3.0, 0.4.0's in 0.5.0); the tables
    are in ``docs/INTERFACES.md``.

    >>> @renamed_parameters("0.4.0", level="geography")
    ... def count(geography="world_region"):
    ...     return geography
    >>> count(level="corridor")
    Traceback (most recent call last):
    ...
    bri_text.errors.ParameterError: count: parameter level= was renamed geography= in \
bri_text 0.4.0 and removed in 0.5.0; use geography= instead
    """
    import functools

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    raise ParameterError(_renamed_message(fn.__qualname__, old, new,
                                                          renamed_in))
            return fn(*args, **kwargs)

        wrapper.__renamed_parameters__ = dict(old_to_new)
        return wrapper

    return decorate


# ---------------------------------------------------------------------- fonts in HTML pages
#: Characters the embedded font draws (CJK and full-width forms); Latin text keeps the
#: reader's own fonts, also in monospace blocks.
_CJK_RANGE = ("U+2E80-2FFF, U+3000-33FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, "
              "U+FE30-FE4F, U+FF00-FFEF")


def font_face_css(text: str, family: str = "BriText Sans SC") -> str:
    """An ``@font-face`` rule embedding the bundled font, cut down to the characters of
    ``text`` (base64, so the page renders Chinese offline without any installed CJK font)."""
    import base64
    import io
    from importlib import resources

    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = "".join(sorted({c for c in text if not c.isspace()}))
    opts = subset.Options()
    opts.layout_features = []
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    path = resources.files("bri_text") / "fonts" / "BriTextSansSC-Regular.otf"
    # recalcTimestamp=False: the head table keeps the font's own date, so the same text
    # gives the same bytes on every call (reproducible pages). recalcBBoxes=False, as
    # fontTools' own subsetter (pyftsubset) does: the bounding boxes stay the whole font's
    # instead of being redrawn from every outline (that took two thirds of the time)
    with resources.as_file(path) as fp, TTFont(str(fp), recalcTimestamp=False,
                                               recalcBBoxes=False) as font:
        sub = subset.Subsetter(opts)
        sub.populate(text=chars)
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{family}"; '
            f'src: url(data:font/otf;base64,{data}) format("opentype"); '
            f'font-weight: 400; font-style: normal; font-display: block; '
            f'unicode-range: {_CJK_RANGE}; }}')


def pack_by_size(items: list, sizes: list, limit: float) -> list[list]:
    """Consecutive runs of ``items`` whose ``sizes`` add up to at most ``limit`` (an item
    larger than the limit is a run of its own).

    >>> pack_by_size(["a", "b", "c", "d"], [3, 3, 5, 1], 6)
    [['a', 'b'], ['c', 'd']]
    """
    runs, cur, size = [], [], 0
    for item, s in zip(items, sizes):
        if cur and size + s > limit:
            runs.append(cur)
            cur, size = [], 0
        cur.append(item)
        size += s
    if cur:
        runs.append(cur)
    return runs


def write_atomic(path: str, write, suffix: str = "") -> None:
    """Write a file through ``write(fh)`` (a binary handle) under a temporary name in its
    folder, then rename it into place (``os.replace``): a reader never sees half a file,
    and of two processes writing the same path one whole file stays. An ``OSError``
    propagates; the temporary file is removed.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "sub" / "x.bin"
    >>> write_atomic(str(p), lambda fh: fh.write(b"abc")); p.read_bytes()
    b'abc'
    """
    import tempfile

    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def file_sha256(path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (a manifest's record of an input).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"; _ = p.write_bytes(b"abc")
    >>> file_sha256(p)[:12]
    'ba7816bf8f01'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def trie_regex(terms) -> str:
    """A regular expression (no group) matching any of ``terms``, the longest at a position
    first: a character trie, so a few thousand terms stay fast.

    >>> import re
    >>> re.findall(trie_regex(["一带", "一带一路", "丝路"]), "共建一带一路与丝路")
    ['一带一路', '丝路']
    """
    trie: dict = {}
    for t in terms:
        node = trie
        for ch in t:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def as_list(value, param: str, expected: str) -> list:
    """``value`` as a list: a string is one item, any other iterable its items; anything
    else a :class:`ParameterError` saying ``param`` must be ``expected``.

    >>> as_list("东盟", "terms", "a term or a list of terms"), as_list(("a", "b"), "x", "")
    (['东盟'], ['a', 'b'])
    """
    if isinstance(value, str):
        return [value]
    try:
        return list(value)
    except TypeError:
        raise ParameterError(f"{param} must be {expected}, got {type(value).__name__}") from None
