"""The comparative report: run the analyses, write tables, figures, manifest and one page."""
from __future__ import annotations

import hashlib
import json
import re
import shlex
import warnings
from importlib import resources
from pathlib import Path


from .._util import check_scalar, file_sha256, progress_bar, renamed_parameters
from ..corpus import NEAR_DUPLICATE
from ..errors import BriTextError, ParameterError
from ._manifest import _created, corpus_fingerprint, manifest
from ._inputs import (_by_as_text, _check_out, _clear_earlier, _load, _resolve_groups,
                      _user_dict, _with_dates, _with_decades, _with_titles,
                      _without_duplicates)
from ._page import Report, Section, _Writer
from ._rules import GENERATOR, TOPIC_ITERATIONS, _choose_test, _tokenizer_call, skip_note
from ._sections import _Run

#: the words of the warning reading gives for exact duplicates (Corpus._warn_exact_duplicates)
_DUPLICATE_ADVICE = "repeat another one word for word"


def _input_files(**given) -> dict:
    """{parameter: {"path", "sha256"}} of every user file the report read (a ``--corpus``
    table, ``--metadata``, ``--dictionary``, ``--places``, ``--codebook``, ``--user-dict``):
    an edited file changes the
    manifest, not only a renamed one. Built-in resources (``five_connectivities``,
    ``default``) are covered by the version, a corpus folder's texts and an in-memory
    corpus by the corpus fingerprint."""
    return {name: {"path": str(value), "sha256": file_sha256(Path(value))}
            for name, value in given.items()
            if isinstance(value, (str, Path)) and Path(value).is_file()}



# ------------------------------------------------------------------------------- main
def _command(compare, by, topics, seed, out, corpus, metadata, top_n, n_boot, errors,
             text_column, test="auto", dictionary=None, orientation=None,
             date_column=None, codebook=None, id_column=None,
             keep_duplicates=False, keep_apparatus=False, timestamp=True,
             places=None, user_dict=None, keep_names=False, document_column=None) -> str:
    args = [f"compare={list(compare)!r}", f"by={by!r}", f"n_topics={topics}",
            f"random_state={seed}",
            f"out={str(out)!r}"]
    if corpus is not None:
        args.append(f"corpus={str(corpus)!r}")
    if metadata is not None:
        args.append(f"metadata={str(metadata)!r}")
    if errors != "raise":
        args.append(f"errors={errors!r}")
    if text_column is not None:
        args.append(f"text_column={text_column!r}")
    args += [f"top_n={top_n}", f"n_boot={n_boot}"]
    for name, value, default in (("test", test, "auto"), ("dictionary", dictionary, None),
                                 ("places", places, None),
                                 ("user_dict", user_dict, None),
                                 ("orientation", orientation, None),
                                 ("date_column", date_column, None),
                                 ("codebook", codebook, None),
                                 ("id_column", id_column, None),
                                 ("document_column", document_column, None),
                                 ("keep_duplicates", keep_duplicates, False),
                                 ("keep_apparatus", keep_apparatus, False),
                                 ("keep_names", keep_names, False),
                                 ("timestamp", timestamp, True)):
        if name == "user_dict" and isinstance(value, (set, frozenset)):
            args.append(f"user_dict={sorted(value)!r}")     # words, in a fixed order
        elif value != default:
            # a path as a Python str, so that the recorded call runs
            args.append(f"{name}={str(value)!r}" if isinstance(value, Path)
                        else f"{name}={value!r}")
    return f"bri_text.report.report({', '.join(args)})"


def _check_args(compare, n_topics, top_n, n_boot, random_state, errors, test,
                orientation, keep_duplicates=False, keep_apparatus=False,
                timestamp=True, keep_names=False) -> list:
    """The checks of :func:`report`'s arguments; returns ``compare`` as a list of names."""
    check_scalar(n_topics, "n_topics", min_val=0)
    check_scalar(top_n, "top_n", min_val=1)
    check_scalar(n_boot, "n_boot", min_val=0)
    check_scalar(random_state, "random_state", min_val=0)
    if n_topics == 1:
        raise ParameterError("n_topics must be 0 (skip) or >= 2, got 1")
    if errors not in ("raise", "skip"):
        raise ParameterError(f"errors must be 'raise' or 'skip', got {errors!r}")
    if isinstance(compare, str):
        compare = [compare]
    compare = [str(c) for c in compare]
    if len(set(compare)) != len(compare) or not compare:
        raise ParameterError(f"compare must name distinct groups, got {compare}")
    if test != "auto":
        _choose_test(test, 2, 2)                 # a name it does not know: raise now
    for name, value in (("keep_duplicates", keep_duplicates),
                        ("keep_apparatus", keep_apparatus), ("timestamp", timestamp),
                        ("keep_names", keep_names)):
        if not isinstance(value, bool):
            raise ParameterError(f"{name} must be True or False, got {value!r}")
    if orientation not in (None, True, False):
        raise ParameterError(f"orientation must be None, True or False, got {orientation!r}")
    if timestamp:
        _created()        # a malformed SOURCE_DATE_EPOCH: an error before anything runs
    return compare


@renamed_parameters("0.4.0", topics="n_topics", seed="random_state")
def report(compare=("广西", "甘肃"), *, out="report", corpus=None, metadata=None,
           by: str = "region", n_topics: int = 8, random_state: int = 1, top_n: int = 15,
           n_boot: int = 200, errors: str = "raise", text_column: str | None = None,
           test: str = "auto", dictionary=None, orientation: bool | None = None,
           date_column: str | None = None, codebook=None, id_column: str | None = None,
           keep_duplicates: bool = False, keep_apparatus: bool = False, progress=None,
           command: str | None = None, timestamp: bool = True, places=None,
           user_dict=None, keep_names: bool = False,
           document_column: str | None = None) -> Report:
    """Write a comparative report of the groups ``compare`` (values of the metadata column
    ``by``) into the folder ``out``; return a :class:`Report`.

    ``corpus``: None (the built-in corpus, ``"bri_policies"``), ``"work_reports"`` (the
    other built-in one, ``bt.load_work_reports()``), a Corpus, a folder of documents (with
    ``metadata``: a CSV with a ``file`` column), or a ``.csv`` / ``.jsonl`` file (its text
    in the column ``text_column``, default ``text``; the documents' ids from the column
    ``id_column``, default a ``doc_id`` column, else ``doc0, doc1, ...``; a table with one
    row per section: ``document_column``, the column naming each row's document, as
    :func:`bri_text.read_excel`'s ``document=``, so that tests, intervals and counts of
    documents count whole documents). ``errors="skip"``: files of a folder
    that cannot be read are left out (listed on the page and in the manifest) instead of
    stopping the report. ``n_topics``: K of the topic model (0 skips topics).
    ``random_state``: seed of every bootstrap and of the topic model (``topics=`` and
    ``seed=`` before 0.4.0, an error since 0.5.0; the command line keeps ``--topics`` and
    ``--seed``). ``top_n``: key terms shown per direction; ``n_boot``: bootstrap
    replicates. ``test``: the keyness test, ``"auto"`` (document-level when both sides
    have at least 5 documents: the permutation test over document labels, exact (every
    split) up to 10,000 splits, else at most max(2,000, ``n_boot``, 20 x the terms
    tested) random relabellings, each term stopping once 100 of them reach its ``|t|``;
    token-level log-odds otherwise, worded as differences between these texts),
    ``"document"`` (the permutation test), ``"token"`` or a measure of
    :func:`bri_text.keyness` (``"welch"``: Welch's t, whose p is too small for terms
    absent from one side); document-level tests are run on the terms in at least 3 of
    the compared documents. The page says which test and why.
    ``dictionary``: the profile's categories, a ``term<TAB>category`` file or a dict as
    :func:`bri_text.profile` accepts (always shown), or ``"five_connectivities"`` (shown
    even when it hardly occurs); None shows the five connectivities only when they cover
    the compared documents (:data:`COVERAGE_PER_10K`) and half of them name the Belt and
    Road (一带一路, 丝绸之路 …: the categories are its own), else one sentence says why not.
    ``orientation``: None (shown when place names cover the documents), True or False.
    ``places``: your own list of places for the orientation section and its key findings
    (``--places FILE``): a ``term<TAB>region`` file, a ``.csv`` or a dict, as
    :func:`bri_text.orientation` takes it (always shown; the page names the list); None:
    the built-in gazetteer's world regions.
    ``user_dict``: words of your own for the tokenizer of every section (``--user-dict
    FILE``), e.g. the strings the keyness section's note says the tokenizer cuts into
    single characters (磨憨 → 磨/憨): a file as :class:`bri_text.Tokenizer` reads it (one
    word per line, optionally jieba's ``word freq tag``; UTF-8 or GBK), or a list or set
    of the words themselves (a str is always a path). Every call printed on the page and
    the manifest's ``parameters.tokenizer`` include it; the manifest records the file's
    SHA-256 (``input_files.user_dict``). A file that is missing, a folder, neither UTF-8
    nor GBK or holds no word is an error before anything is written.
    ``keep_names``: False (default) leaves the compared documents' own names and
    self-references out of the key terms (:func:`bri_text.keyness` with
    ``exclude="own_names"``: 广西, 广西壮族自治区 and 广西自治区 when a metadata column names
    Guangxi; 全区, 全省, 我省, 自治区 … when some compared document is sub-national, by its
    ``level`` or a column naming a province or city, not of national documents only, where
    自治区 is content), which tell who wrote a document, not what it says,
    and out of the topics and the similarity, computed on the same tokens with those found
    in the corpus dropped (``tokens.drop_words(OWN_NAMES)``, no second segmentation);
    the page names every term left out once, with its counts in each compared group and in
    the other documents, and the manifest records them (``parameters.own_names``,
    ``parameters.keyness_tests``, ``corpus.tokens_without_names_fingerprint``). True
    (``--keep-names``) keeps them everywhere.
    ``date_column``: the metadata column of the documents' dates (default: found by name,
    ``bri_text._dates``). A name in ``compare`` that is not a value of ``by`` stands for
    the one value starting with (else containing) it, e.g. 广西 for 广西壮族自治区; the page
    says which. ``by="decade"`` (``--by decade``) with no ``decade`` column compares the
    decades of the documents' years (``compare=["1950", "2010"]``), by the library's rule
    of ``by="decade"``. ``codebook``: a codebook file or ``"default"`` (Rothwell & Zegveld): the
    compared documents' clauses pre-coded into policy instruments, their shares by group
    (None: no instruments section). ``keep_duplicates``: documents that repeat another
    one word for word (whitespace aside) or nearly (:meth:`bri_text.Corpus.duplicates` at
    :data:`~bri_text.corpus.NEAR_DUPLICATE`, 0.7: at least 70% of their 5-character pieces
    shared once spacing, punctuation and character widths are set aside -- the same text
    from two sites, re-spaced, with another byline or a few characters changed; a text under
    200 characters only when the same but for spacing and punctuation) are left
    out by default, of each the one with the most metadata kept, then one whose name does
    not look like a copy (``报告(1)``, ``报告 - 副本``), then the first in corpus order (a
    folder's files by name, a table's rows in order), and listed with the document they repeat and their similarity
    on the page and in the manifest (``corpus.duplicates``), so that no count, similarity,
    topic or reuse frequency counts a text twice; True keeps them (still listed; the key
    findings never call a pair of them similar, a reuse or an adoption).
    ``keep_apparatus``: a folder or table read here is cleaned as
    :func:`bri_text.read_files` cleans it, which takes an official document's (公文's)
    number line, addressee line, signature block and 抄送 / 印发 lines out of the text (its
    metadata read first); True keeps them, as ``read_files(..., keep_apparatus=True)``
    (an error with the built-in corpus or a Corpus given, used as they are). ``progress``: a
    progress bar over the steps (default: on a terminal only). ``command``: the command
    line to record (the CLI passes its own). ``timestamp``: the time of the run in the
    manifest (``created``) and the page's header; False leaves it out (``--no-timestamp``),
    so that two runs with the same inputs, parameters and seed, each into a new folder
    given by the same ``out``, write byte-identical files: page, manifest, tables and
    figures. With the environment variable ``SOURCE_DATE_EPOCH`` set (seconds since
    1970, the reproducible-builds convention) that time is recorded instead, marked
    ``created_from``. The manifest holds no other timing field; besides the time, two
    runs' files differ only where the runs did: the command line (which names ``out``)
    and the files of an earlier report in ``out`` that this one removed.

    ``out`` must not be inside the corpus folder, and a folder's own report output (a page
    this function wrote, files an earlier report's manifest lists) is never read as a
    document. Rerunning into the same ``out`` first removes the files the earlier report
    listed in its manifest (never anything else), so the folder holds this run's files.

    Sections: corpus overview; keyness both ways with stability; KWIC evidence; dictionary
    profile (five connectivities) with intervals; geographic orientation with the number
    of mentions; topics (FREX labels, prevalence with intervals, trends by year); document
    similarity (each group's nearest neighbours and the direct pairs between the groups);
    text reuse among the groups and from national documents, each passage with the number
    of the corpus's documents holding it (formulaic judged over the whole corpus); policy
    instruments (with ``codebook``); the diffusion of the national documents into the
    groups (:func:`bri_text.diffusion`). A section whose input is missing (fewer than 3
    years, no national documents, a ``by`` with fewer than two jurisdictions to trace
    them into or ``by="level"``, a dictionary that does not cover the corpus, no codebook)
    is replaced by a sentence saying why.
    >>> from bri_text.report import report                                    # doctest: +SKIP
    >>> result = report(compare=["广西", "甘肃"], out="report/", random_state=1)  # doctest: +SKIP
    >>> result.index, result.sections["keyness"]                              # doctest: +SKIP
    (PosixPath('report/index.html'), 'Distinctive terms (keyness)')
    """
    compare = _check_args(compare, n_topics, top_n, n_boot, random_state, errors, test,
                          orientation, keep_duplicates, keep_apparatus, timestamp,
                          keep_names)
    if places is not None:                 # a wrong path or line: an error before anything
        from ..compare import load_dictionary

        load_dictionary(places, "places")
    user_dict, user_words = _user_dict(user_dict)     # read now: errors before anything
    topics, seed = n_topics, random_state
    out = Path(out)
    _check_out(out, corpus)
    params = {"compare": compare, "by": by, "n_topics": topics, "top_n": top_n,
              "n_boot": n_boot, "corpus": None if corpus is None else str(corpus),
              "metadata": None if metadata is None else str(metadata),
              "errors": errors, "text_column": text_column,
              "tokenizer": _tokenizer_call(user_dict),  # its config once it has run
              "user_dict": (None if user_dict is None else sorted(user_dict)
                            if isinstance(user_dict, frozenset) else str(user_dict)),
              "user_dict_words": len(user_words),
              "units": "paragraph", "test": test,
              "dictionary": None if dictionary is None else str(dictionary),
              "places": None if places is None else str(places),
              "orientation": orientation, "date_column": date_column,
              "codebook": None if codebook is None else str(codebook),
              "id_column": id_column, "document_column": document_column,
              "keep_duplicates": keep_duplicates,
              "keep_apparatus": keep_apparatus, "keep_names": keep_names,
              "near_duplicate_threshold": NEAR_DUPLICATE,
              "topic_iterations": TOPIC_ITERATIONS}
    cmd = command or _command(compare, by, topics, seed, out, corpus, metadata, top_n, n_boot,
                              errors, text_column, test, dictionary, orientation, date_column,
                              codebook, id_column, keep_duplicates, keep_apparatus,
                              timestamp, places, user_dict, keep_names, document_column)
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
        loaded, source, left_out = _load(corpus, metadata, errors, text_column,
                                         id_column, keep_apparatus, document_column)
        loaded = _with_decades(loaded, by, date_column)          # --by decade: of the year
        groups, notes = _resolve_groups(loaded.docs, by, compare)  # before anything is written
        read = loaded
        loaded, copies = _without_duplicates(loaded, by, groups, keep_duplicates)
        dated, date_col = _with_dates(loaded, date_column)
        dated = _with_titles(_by_as_text(dated, by))
        dated.decade_from = getattr(read, "decade_from", None)   # for the page's code
        out.mkdir(parents=True, exist_ok=True)
        removed = _clear_earlier(out)
        writer = _Writer(out)
        run = _Run(dated, source, groups, by, topics, seed, top_n, n_boot, writer,
                   progress, test=test, dictionary=dictionary, orientation=orientation,
                   date_column=date_col, group_notes=notes, codebook=codebook,
                   duplicates=copies, keep_duplicates=keep_duplicates, places=places,
                   user_dict=user_dict, user_words=user_words, keep_names=keep_names)
        steps = [("segmenting", run.prepare), ("overview", run.overview),
                 ("keyness", run.keyness), ("kwic", run.kwic), ("profile", run.profile),
                 ("orientation", run.orientation), ("instruments", run.instruments),
                 ("topics", run.topics),
                 ("similarity", run.similarity), ("reuse", run.reuse),
                 ("diffusion", run.diffusion)]
        bar = progress_bar(steps, total=len(steps), desc="report", progress=progress)
        for name, step in bar:
            if hasattr(bar, "set_postfix_str"):
                bar.set_postfix_str(name)
            if name in ("segmenting", "overview", "keyness"):
                step()                 # the report's core: errors propagate
                continue
            try:
                step()
            except BriTextError as exc:   # a section that cannot run on this input: say why
                run.sections.append(Section(name, name.capitalize(),
                                            skipped=f"skipped: {exc}"))
        for w in record:
            msg = f"{w.category.__name__}: {w.message}"
            if copies and not keep_duplicates and _DUPLICATE_ADVICE in msg:
                continue                   # read time's advice to drop them: done here
            if msg not in caught:
                caught.append(msg)
    dropped = getattr(loaded, "dropped", None)
    skipped_files = [] if dropped is None or dropped.empty else [
        {k: str(v) for k, v in r.items()} for r in dropped.to_dict("records")]
    params["resample"] = run.resample
    params["groups"] = groups
    params["date_column_used"] = getattr(dated, "date_from", date_col)
    # documents that column leaves undated, dated by their year only (as bt.diffusion does)
    params["dates_from_year"] = getattr(dated, "years_as_dates", 0)
    params["keyness_tests"] = run.tests
    # the tokenizer as it ran: options, resource digest (lexicon, stopwords, user words),
    # code and engine versions (its config, the digests every Tokens carries)
    params["tokenizer"] = {"call": _tokenizer_call(user_dict), **run.tokenizer.config,
                           "config_key": run.tokenizer.config_key}
    # the topic model as it was fitted: every parameter, defaults included (min_df, alpha,
    # eta, init ...), None when the section did not run
    model = getattr(run, "topic_model", None)
    params["topic_model"] = None if model is None else model.provenance_["parameters"]
    man = manifest(loaded, parameters=params, seed=seed, command=cmd, timestamp=timestamp)
    man["input_files"] = _input_files(corpus=corpus, metadata=metadata,
                                      dictionary=dictionary, places=places,
                                      codebook=codebook, user_dict=user_dict)
    man["corpus"]["tokens_fingerprint"] = run.tokens.fingerprint
    # the own names left out of the key terms, topics and similarity (not with keep_names),
    # counted in each compared group and in the other documents; the tokens of the topics
    # and similarity without them (the same print as tokens_fingerprint when none is)
    man["parameters"]["own_names"] = {
        "left_out_of": [] if keep_names else ["keyness", "topics", "similarity"],
        "count_columns": [*run.compare, "other documents"],
        "counts": run.own_name_counts}
    man["corpus"]["tokens_without_names_fingerprint"] = run.model_tokens.fingerprint
    # the design: which documents formed each compared group (the fingerprints leave the
    # metadata out, so two documents swapping groups would not show otherwise)
    docs = run.corpus.docs
    man["corpus"]["group_documents"] = {
        str(g): docs.loc[run._is(docs, g), "doc_id"].astype(str).tolist()
        for g in run.compare}
    man["corpus"]["source"] = source
    man["corpus"]["fingerprint_compared"] = corpus_fingerprint(run.sub)
    man["corpus"]["n_documents_read"] = len(read)
    man["corpus"]["duplicates"] = [dict(c, left_out=not keep_duplicates) for c in copies]
    man["corpus"]["skipped_files"] = skipped_files
    man["corpus"]["outside_compared_groups"] = getattr(run, "outside", {})
    # the years each group covers, with the documents of each year: a range would hide gaps
    man["corpus"]["years"] = getattr(run, "years", {})
    man["corpus"]["left_out_report_output"] = left_out
    man["tables"] = {n: hashlib.sha256((out / "tables" / f"{n}.csv").read_bytes())
                     .hexdigest()[:16] for n in writer.tables}
    man["figures"] = writer.figures
    man["files"] = writer.files()
    man["removed_from_earlier_run"] = removed
    man["warnings"] = caught
    (out / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    index = out / "index.html"
    index.write_text(_render(run, man, caught, skipped_files, left_out, copies),
                     encoding="utf-8")
    return Report(out=out, index=index, tables=writer.tables, figures=writer.figures,
                  manifest=man, warnings=caught,
                  sections={s.id: (s.skipped or s.title) for s in run.sections},
                  topics_cache=_topics_cache(getattr(run, "topic_model", None)))


def _topics_cache(model) -> str | None:
    """The cache entry ``model`` was read from (``model.cache_path_``), None when it was
    fitted or there is no model."""
    if model is None or not getattr(model, "from_cache_", False):
        return None
    return str(getattr(model, "cache_path_", None) or "the topics cache")


def _render(run: _Run, man: dict, caught: list[str], skipped_files=(), left_out=(),
            duplicates=()) -> str:
    import jinja2

    src = (resources.files("bri_text.report") / "templates" / "report.html.j2").read_text(
        encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    for s in run.sections:
        for b in s.blocks:
            if b["kind"] == "figure":
                b["svg_markup"] = jinja2.utils.markupsafe.Markup(b["svg"])
    html = env.from_string(src).render(
        title=" vs ".join(run.compare), by=run.by, sections=run.sections,
        findings=run.findings, manifest=man, generator=GENERATOR, manifest_json=json.dumps(
            {k: v for k, v in man.items() if k not in ("tables", "files")},
            ensure_ascii=False, indent=2),
        warnings=caught, command=man["command"],
        skipped_files=[{**f, "note": skip_note(f.get("reason", ""))} for f in skipped_files],
        left_out=list(left_out), duplicates=list(duplicates),
        keep_duplicates=man["parameters"].get("keep_duplicates", False),
        near_duplicate=NEAR_DUPLICATE)
    from ._figures import font_face_css

    # the page's own text (figures are paths) in the bundled font, embedded
    page_text = re.sub(r"<svg.*?</svg>|<[^>]+>", "", html, flags=re.S)
    return html.replace("/*@FONT_FACE@*/", font_face_css(page_text), 1)


def cli_command(argv) -> str:
    """The command line as typed, for the manifest."""
    safe = re.compile(r"[\w@%+=:,./-]+")          # \w: Chinese group names need no quotes
    return " ".join(["python -m bri_text"] + [a if safe.fullmatch(a) else shlex.quote(a)
                                               for a in argv])
