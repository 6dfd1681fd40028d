"""Reading documents, the one place that reads: files and folders (encodings, HTML, Word,
PDF, front matter, metadata in the text), CSV/JSONL/Excel tables, and policy compendia.

>>> import tempfile
>>> from pathlib import Path
>>> from bri_text.io import read_folder
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = (Path(folder) / "gansu.txt").write_text(
...         "甘肃省参与“一带一路”建设实施方案\\n来源：甘肃省人民政府\\n"
...         "打造丝绸之路经济带甘肃黄金段。", encoding="utf-8")
...     corpus = read_folder(folder, pattern="*.txt")
>>> corpus.docs[["doc_id", "title", "source"]].values.tolist()
[['gansu', '甘肃省参与“一带一路”建设实施方案', '甘肃省人民政府']]
>>> corpus.texts[0].split("\\n")          # the 来源 line went into the metadata
['甘肃省参与“一带一路”建设实施方案', '打造丝绸之路经济带甘肃黄金段。']

Encodings are detected per file (UTF-8 with or without BOM, UTF-16 with its BOM, GB18030/GBK,
Big5); a file that cannot be decoded confidently raises
:class:`~bri_text.errors.EncodingError` naming it, or with ``errors="skip"`` is skipped, warned about and listed in ``corpus.dropped``.
Input files are only ever opened for reading.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..corpus import Corpus
from ._compendium import detect_region, split_compendium
from ._files import (decode_bytes, list_folder, read_documents, split_front_matter,
                     warn_not_chinese)
from ._files import not_chinese_share as not_chinese_share  # CONTRACT
from ._files import metadata_key as metadata_key  # CONTRACT
from ._files import unique_ids as unique_ids  # CONTRACT
from ._files import unreadable_files as unreadable_files  # CONTRACT
from ._files import unsupported_files as unsupported_files  # CONTRACT
from ._tables import from_table as from_table  # CONTRACT
from ._tables import read_csv, read_excel, read_jsonl
from ._tables import table_frame as table_frame  # CONTRACT

__all__ = ["read_files", "read_folder", "read_csv", "read_excel", "read_jsonl", "decode_bytes",
           "split_front_matter", "split_compendium", "detect_region"]

#: What other stages take from here besides the public readers (internal contract).
CONTRACT = ["list_folder", "metadata_key", "unique_ids",
            "unsupported_files", "unreadable_files", "table_frame", "from_table", "not_chinese_share",
            "warn_not_chinese"]


def read_files(paths: Iterable, *, metadata=None, clean: bool = True, errors: str = "raise",
               doc_id: str = "stem", boilerplate_min_df=3, date: str | None = None,
               keep_apparatus: bool = False) -> Corpus:
    """Read text files into a Corpus, one document per file.

    Parameters
    ----------
    paths : iterable of paths (``.txt``, ``.md``, ``.html``/``.htm``; ``.docx`` and ``.pdf``
        with the ``docx`` / ``pdf`` extras).
    metadata : DataFrame or path to a CSV, optional
        One row per file: a ``file`` (or ``filename``) column with the file's name
        (``gansu.txt``; a path is reduced to its name) or a ``doc_id`` column (the name
        without suffix), and any metadata columns (``region``, ``date``, ``level``...).
        A row that matches no file is warned about. Its values come before what a file's
        text says (``title``, ``date``...), which fills its gaps; a column named like a
        title (``标题``, ``Policy Title``) gives ``title``. Whole numbers (``年份``) stay
        integers where a file has no row.
    date : the metadata column of the documents' dates (``date="年份"``: years work).
        By default one named like a date (``date``, ``发布时间``, ``年份``...; of several,
        the one that dates the most documents); the metadata's dates come before those
        the files' text gives (a byline), which only fill their gaps.
    clean : run :func:`bri_text.clean` (the report is on ``corpus.cleaning_report``, the
        removed text on ``corpus.removed``).
    boilerplate_min_df : lines repeated verbatim in at least this many files (or this
        share of them, a float) are removed as templated site chrome, never a sentence,
        a heading or a document's title block (its title line and the speaker under it;
        see :meth:`Corpus.clean`); ``None`` keeps them.
    keep_apparatus : an official document's (公文's) apparatus is removed by cleaning,
        after its metadata is read from it: the document number line (and the head above
        it, 国务院文件), the addressee line (主送机关, ``各省、自治区、直辖市人民政府，国务院各部委、
        各直属机构：``), the signature block (the issuing organs and the 成文日期) and the
        ``（此件公开发布）`` / ``抄送：`` / ``印发`` lines under it, each listed in
        ``corpus.removed`` (step ``remove_document_apparatus``); the title and every
        sentence stay. ``True`` keeps these lines in the text.
    errors : ``"raise"`` (default) or ``"skip"``: what to do with a file that is empty,
        binary, cannot be decoded confidently, or needs an optional extra that is not
        installed (a ``.pdf`` without ``pypdf``). Skipped files are warned about and listed
        in ``corpus.dropped`` with the reason (for a missing extra, the install command).
        A file of a format bri_text does not read (``.doc``, ``.wps``, ``.xlsx``...) is
        never read, whatever ``errors``: it is listed in ``corpus.dropped`` with what to do
        (``save it as .docx``) and warned about.
    doc_id : ``"stem"`` (file name without suffix; files whose stems clash, such as
        ``2019.txt`` and ``2019.html``, keep their suffix, with a warning) or ``"name"``.

    Metadata: ``file``, ``encoding``, YAML front matter (``title``, ``date``, ...), an HTML
    ``<title>``. A file without front matter gets ``title``, ``date``/``year``, ``source``
    and ``author`` from what its text says (its byline and masthead lines, which cleaning
    removes; see :func:`bri_text.cleaning.remove_bylines`), and from a table of labelled
    fields above the text (a government page's 信息公开 table: ``发文字号：``, ``成文日期：``,
    ``发文机关：``, ``标题：``, ``发布日期：``; one or two lines of ``成文日期：``, ``发布日期：`` or
    ``发文字号：`` alone too), which cleaning removes too (step ``remove_field_table``:
    :func:`bri_text.cleaning.remove_field_table`). ``date`` is the
    document's own date where the text gives one, the posting date last: the table's
    成文日期; else a dateline or an adoption note near the top (``——2017年3月5日在…会议上``,
    ``（2017年5月14日，北京）``, ``（2017年12月27日…会议通过）``: of an adoption and its
    amendments the latest date, the text as it stands); else an official document's
    signature (the issuing organ, then the 成文日期: ``国务院办公厅`` / ``2020年8月5日``);
    else the page's posting date (the table's 发布日期 or a byline's date), which is kept
    as ``date_posted`` in any case. ``author`` / ``author_title`` come from the speaker
    under the title (``国务院总理　李克强`` → 李克强 / 国务院总理) without a byline's author,
    then the table's 发文机关, then the organs signing (``;``-joined); the table's 发文字号
    or a line near the top that is only a document number (``国办发〔2020〕28号``) gives
    ``doc_number``. ``date_source`` says which rule dated each file (``field_table``,
    ``dateline``, ``adopted``, ``signature``, ``byline``; empty where the date is the front
    matter's or the metadata table's). Dates may be written in
    Chinese numerals (``二〇一九年十二月三十一日``). Cleaning removes the byline and masthead lines, a field table's lines and an
    official document's apparatus (see ``keep_apparatus``). A document
    whose letters are mostly not Chinese is warned about, by name.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "gansu.txt").write_text("甘肃推进丝绸之路经济带建设。", encoding="utf-8")
    ...     _ = (Path(tmp) / "guangxi.txt").write_text("广西面向东盟开放合作。", encoding="utf-8")
    ...     corpus = read_files(sorted(Path(tmp).glob("*.txt")))
    >>> corpus.docs[["doc_id", "text"]].values.tolist()
    [['gansu', '甘肃推进丝绸之路经济带建设。'], ['guangxi', '广西面向东盟开放合作。']]
    """
    docs, dropped, cleaning, derived = read_documents(paths, metadata=metadata, errors=errors,
                                                      doc_id=doc_id, clean=clean, date=date,
                                                      keep_apparatus=keep_apparatus)
    if clean:  # cleaned as read, once per file; then the corpus-level step
        corpus = Corpus(docs, dropped=dropped, derived=derived)._finish_clean(
            docs["text"].tolist(), *cleaning, boilerplate_min_df, True)
    else:
        corpus = Corpus._drop_empty(docs, True, where="read_files", dropped=dropped,
                                    derived=derived)
    warn_not_chinese(corpus.docs, "read_files")  # on the text, not its markup
    corpus._warn_exact_duplicates("read_files")
    return corpus


def read_folder(path, pattern: str = "*", *, metadata=None, recursive: bool = False,
                clean: bool = True, errors: str = "raise", boilerplate_min_df=3,
                doc_id: str = "stem", date: str | None = None,
                keep_apparatus: bool = False) -> Corpus:
    """Read every matching text file in a folder (``.txt``, ``.md``, ``.html``, ``.htm``,
    ``.docx``, ``.pdf``) into a Corpus; see :func:`read_files` for the options. The other
    files matching ``pattern`` (``.doc``, ``.wps``...) are listed in ``corpus.dropped``
    with what to do, never skipped silently (the ``metadata`` file itself excepted). Files
    that are no document by their name, the folder's notes (``README*``, ``LICENSE*``:
    ``README.md``, ``readme.txt``) and what Windows leaves (``Thumbs.db``,
    ``desktop.ini``), are not read either: listed in ``corpus.dropped`` as ``not a
    document: README`` (and so on), with a warning; rename such a file to read it. Hidden
    files (``.DS_Store``) and Office lock files (``~$报告.docx``) are not listed.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     plans = Path(tmp)
    ...     _ = (plans / "gx.txt").write_text("面向东盟开放。", encoding="utf-8")
    ...     _ = (plans / "gs.txt").write_text("向西开放。", encoding="utf-8")
    ...     _ = (plans / "meta.csv").write_text("file,region\\ngx.txt,广西\\ngs.txt,甘肃\\n",
    ...                                         encoding="utf-8")
    ...     corpus = read_folder(plans, pattern="*.txt", metadata=plans / "meta.csv")
    >>> corpus.docs[["doc_id", "region", "text"]].values.tolist()
    [['gs', '甘肃', '向西开放。'], ['gx', '广西', '面向东盟开放。']]
    """
    return read_files(list_folder(path, pattern, recursive, every_suffix=True),
                      metadata=metadata, clean=clean, errors=errors, doc_id=doc_id,
                      boilerplate_min_df=boilerplate_min_df, date=date,
                      keep_apparatus=keep_apparatus)
