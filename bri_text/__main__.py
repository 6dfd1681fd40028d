"""Command line: ``python -m bri_text`` runs the main comparison on the built-in corpus.

    python -m bri_text                     # overview, distinctive terms, geographic focus
    python -m bri_text --top-n 15 --out results/    # also write the tables as CSV
    python -m bri_text report --compare 广西 甘肃 --out report/   # a full comparative report

It prints the 27 documents of the built-in Belt and Road corpus, each province's most
distinctive terms against all other documents (log-odds ratio with an informative
Dirichlet prior, Monroe et al. 2008) and each province's geographic orientation (shares of
mentions of world regions). As in the report, the documents' own names and
self-references (广西, 河南, 全省, 我市 ...) are left out of the distinctive terms and
listed with their counts; ``--keep-names`` keeps them.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _table(df, max_colwidth: int = 40) -> str:
    import pandas as pd

    with pd.option_context("display.max_colwidth", max_colwidth, "display.width", 200,
                           "display.max_rows", 500, "display.unicode.east_asian_width", True):
        return df.to_string(index=False)


def _left_out(matrix, excluded):
    """The terms keyness left out (``attrs["excluded"]``) with their count in all the
    provinces' units, the province that uses each most and its count there; None when
    nothing was asked to be left out (--keep-names)."""
    import pandas as pd

    if excluded is None:
        return None
    terms = list(excluded)
    cols = [int(i) for i in pd.Index(matrix.terms).get_indexer(terms)]
    counts = pd.DataFrame(matrix.counts[:, cols].toarray() if hasattr(matrix.counts, "toarray")
                          else matrix.counts[:, cols], columns=terms)
    per = counts.groupby(matrix.docs["region"].to_numpy()).sum()
    most = per.idxmax()
    return pd.DataFrame({"term": terms, "count": [int(excluded[t][0]) for t in terms],
                         "most": [str(most[t]) for t in terms],
                         "count_most": [int(per.loc[most[t], t]) for t in terms]})


def report_main(argv: list[str]) -> int:
    """``python -m bri_text report ...``: write the comparative report (bri_text.report)."""
    parser = argparse.ArgumentParser(
        prog="python -m bri_text report",
        description="Write a comparative report: one offline HTML page (index.html), every "
                    "table as CSV, every figure as PNG and SVG, and manifest.json.")
    parser.add_argument("--compare", nargs="+", required=True, metavar="GROUP",
                        help="groups to compare, values of --by (e.g. 广西 甘肃)")
    parser.add_argument("--out", type=Path, default=Path("report"),
                        help="output folder (default: report/)")
    parser.add_argument("--corpus", default=None, metavar="PATH",
                        help="a folder of .txt/.html/... files, a .csv, .xlsx or .jsonl file, "
                             "or a built-in corpus: bri_policies (the default) or "
                             "work_reports (with --by decade, say)")
    parser.add_argument("--metadata", default=None, metavar="CSV",
                        help="metadata for a folder corpus: a CSV with a 'file' column")
    parser.add_argument("--errors", choices=("raise", "skip"), default="raise",
                        help="a file of the --corpus folder that cannot be read: stop (raise, "
                             "the default) or leave it out (skip: listed in the page and the "
                             "manifest)")
    parser.add_argument("--text-column", default=None, metavar="COLUMN",
                        help="the column holding the text in a .csv/.xlsx/.jsonl --corpus "
                             "(default: text)")
    parser.add_argument("--id-column", default=None, metavar="COLUMN",
                        help="the column of unique document ids in a .csv/.xlsx/.jsonl "
                             "--corpus (default: doc_id if present, else doc0, doc1, ...)")
    parser.add_argument("--document-column", default=None, metavar="COLUMN",
                        help="a .csv/.xlsx/.jsonl --corpus with one row per section of a "
                             "document: the column naming each row's document (a year, a "
                             "title, a number), so that tests, intervals and counts of "
                             "documents count whole documents, not rows")
    parser.add_argument("--by", default="region",
                        help="metadata column to group by: region, city, level, ... "
                             "or decade (of the year; --compare 1950 2010) "
                             "(default: region)")
    parser.add_argument("--topics", type=int, default=8, metavar="K",
                        help="number of topics (default 8; 0 skips the topic model)")
    parser.add_argument("--seed", type=int, default=1,
                        help="random seed of the bootstrap and the topic model (default 1)")
    parser.add_argument("--top-n", type=int, default=15, help="key terms per direction")
    parser.add_argument("--n-boot", type=int, default=200, metavar="N",
                        help="bootstrap replicates of every interval (profile, orientation, "
                             "instrument shares, topic prevalence and trends, log-odds "
                             "stability) and of --test bootstrap_test (default 200). It does "
                             "not set the permutation test's relabellings (--test document, "
                             "or auto choosing it): every split of the documents when there "
                             "are at most 10,000 (exact p), else at most max(2000, N, 20 x "
                             "the terms tested), each term stopping once 100 reach its |t|; "
                             "the manifest records the number used "
                             "(parameters.keyness_tests)")
    parser.add_argument("--test", default="auto",
                        help="keyness test: auto (when both sides have at least 5 documents, "
                             "document-level: the permutation test over document labels, "
                             "exact up to 10,000 splits; otherwise token-level log-odds), "
                             "document (the same permutation test), token, or a measure of "
                             "bt.keyness such as welch (default: auto)")
    parser.add_argument("--dictionary", default=None, metavar="FILE",
                        help="profile categories: a term<TAB>category file or a .csv (always "
                             "shown), or "
                             "five_connectivities (shown even when it hardly occurs); default: "
                             "the five connectivities when they cover the documents and half of "
                             "them name the Belt and Road")
    parser.add_argument("--places", default=None, metavar="FILE",
                        help="geographic orientation by your own list of places: a "
                             "term<TAB>region file or a .csv (the format of --dictionary; "
                             "always shown, the page names the list); default: the built-in "
                             "gazetteer's world regions")
    parser.add_argument("--user-dict", default=None, metavar="FILE",
                        help="words of your own for the tokenizer of every section, one per "
                             "line (UTF-8 or GBK; jieba's 'word freq tag' lines too), e.g. "
                             "the strings the keyness note says the tokenizer cuts into "
                             "single characters (磨憨 -> 磨/憨); the page's calls and the "
                             "manifest record the file")
    parser.add_argument("--orientation", choices=("auto", "on", "off"), default="auto",
                        help="geographic orientation: auto (when place names cover the "
                             "documents), on or off")
    parser.add_argument("--codebook", default=None, metavar="FILE",
                        help="policy instruments: pre-code the compared documents' clauses "
                             "with a codebook file (CSV or YAML), or 'default' (Rothwell & "
                             "Zegveld's supply / environment / demand); default: no "
                             "instruments section")
    parser.add_argument("--date-column", default=None, metavar="COLUMN",
                        help="metadata column of the documents' dates (default: found by name: "
                             "date, publish_date, Release Time, 发布时间 ...)")
    parser.add_argument("--keep-duplicates", action="store_true",
                        help="keep documents that repeat an earlier one word for word or "
                             "nearly (the same text re-spaced, with other punctuation, byline "
                             "or a few characters changed; by default they are left out, the "
                             "first of each kept, and listed on the page and in the manifest)")
    parser.add_argument("--keep-apparatus", action="store_true",
                        help="keep an official document's number line, addressee line, "
                             "signature block and 抄送/印发 lines in the text of a --corpus "
                             "folder or table (by default cleaning takes them out, after "
                             "reading the document number, date and issuer from them)")
    parser.add_argument("--keep-names", action="store_true",
                        help="keep the compared documents' own names and self-references "
                             "among the key terms, in the topics and in the similarity (广西 "
                             "and 广西壮族自治区 in Guangxi's report, 全区, 全省, 我省, 自治区 "
                             "...); by default they are left out of all three, and the page "
                             "lists them once with their counts")
    parser.add_argument("--no-timestamp", action="store_true",
                        help="leave the time of the run out of manifest.json and the page, "
                             "so that two runs with the same inputs and --seed into the same "
                             "--out path write byte-identical files (or set SOURCE_DATE_EPOCH "
                             "to record that time instead)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    args = parser.parse_args(argv)

    from .errors import BriTextError
    from .report import report
    from .report import cli_command, skip_note

    try:
        result = report(args.compare, out=args.out, corpus=args.corpus,
                        metadata=args.metadata, by=args.by, n_topics=args.topics,
                        errors=args.errors, text_column=args.text_column,
                        id_column=args.id_column, document_column=args.document_column,
                        random_state=args.seed, top_n=args.top_n, n_boot=args.n_boot,
                        test=args.test, dictionary=args.dictionary, places=args.places,
                        user_dict=args.user_dict,
                        orientation={"auto": None, "on": True, "off": False}[args.orientation],
                        date_column=args.date_column, codebook=args.codebook,
                        keep_duplicates=args.keep_duplicates,
                        keep_apparatus=args.keep_apparatus,
                        keep_names=args.keep_names,
                        progress=False if args.quiet else None,
                        timestamp=not args.no_timestamp,
                        command=cli_command(["report"] + list(argv)))
    except BriTextError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        skipped = [v for v in result.sections.values() if v.startswith("skipped")]
        print(f"Report written to {result.index} ({len(result.tables)} tables, "
              f"{len(result.figures)} figures; manifest.json)")
        for note in skipped:
            print(f"  {note}")
        if result.topics_cache:
            print(f"  topics: the model was read from the cache ({result.topics_cache}), the "
                  "model a fresh fit gives; BRI_TEXT_TOPIC_CACHE=0 fits it again")
        for f in result.manifest["corpus"].get("skipped_files", []):
            print(f"  {f.get('doc_id')}: {f.get('reason', '')} "
                  f"({skip_note(f.get('reason', ''))})")
        for d in result.manifest["corpus"].get("duplicates", []):
            what = "left out" if d["left_out"] else "kept (--keep-duplicates)"
            print(f"  {d['kind']} duplicate {what}: {d['doc_id']} "
                  + (f"= {d['duplicate_of']}" if d["kind"] == "exact" else
                     f"≈ {d['duplicate_of']} (similarity {d['similarity']:.2f})"))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "report":
        return report_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m bri_text", description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Full comparative report (HTML, CSV, figures): python -m bri_text report "
               "--compare 广西 甘肃 --out report/\n(see python -m bri_text report --help)")
    parser.add_argument("--top-n", type=int, default=10, help="terms per province (default 10)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write the tables to as CSV (UTF-8 with BOM for Excel)")
    parser.add_argument("--keep-names", action="store_true",
                        help="keep the documents' own names and self-references among the "
                             "distinctive terms (广西 in Guangxi's plans, 全省, 我市 ...); by "
                             "default they are left out, as in the report, and listed with "
                             "their counts")
    args = parser.parse_args(argv)

    import bri_text as bt

    corpus = bt.load_bri_policies()
    docs = corpus.docs.assign(chars=corpus.docs["text"].str.len())
    overview = docs[["doc_id", "date", "level", "region", "chars", "title"]].fillna("")
    print(f"Built-in corpus: {len(corpus)} Belt and Road policy documents, "
          f"{docs['date'].min()} to {docs['date'].max()}\n")
    print(_table(overview, 36))

    # plans end each task with the agencies responsible (市商务委、市经信委): useful for
    # who-does-what, noise for what a province says, so they are left out here
    from bri_text._lexicons import load_lexicon

    lexicon = load_lexicon()
    agencies = frozenset(lexicon.loc[lexicon["category"] == "agency", "term"])
    tokenizer = bt.Tokenizer(stopwords=("general", "policy", agencies), min_length=2)
    tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer=tokenizer)
    matrix = bt.dtm(tokens)
    local = matrix.docs["region"].notna().to_numpy()
    import warnings

    with warnings.catch_warnings():  # token-level p-values: only the ranking is printed here
        warnings.filterwarnings("ignore", message=r"keyness: the p- and q-values",
                                category=UserWarning)
        # the documents' own names and self-references say who wrote them, not what they
        # say: left out as the report leaves them out (keyness exclude="own_names")
        key = bt.keyness(matrix.subset(local), by="region", measure="log_odds",
                         exclude=None if args.keep_names else "own_names")
    top = (key[key["score"] > 0].sort_values(["group", "score"], ascending=[True, False])
           .groupby("group").head(args.top_n))
    words = top.groupby("group")["term"].apply(lambda s: "、".join(s)).reset_index()
    words.columns = ["region", f"top {args.top_n} distinctive terms (log-odds z vs other provinces)"]
    print("\nWhat each province's documents say that the others do not:\n")
    print(_table(words, 120))
    left_out = _left_out(matrix.subset(local), key.attrs.get("excluded"))
    if left_out is not None:
        print("\nLeft out of the distinctive terms (--keep-names keeps them): the documents' "
              "own names and self-references, which say which government wrote a document, "
              "not what it says; count in all the provinces' documents (the province that "
              "uses it most, its count):\n"
              + "、".join(f"{r.term} {r.count} ({r.most} {r.count_most})"
                         for r in left_out.itertuples()))

    with warnings.catch_warnings():  # national documents have no region: left out on purpose
        warnings.simplefilter("ignore")
        orient = bt.orientation(tokens, by="region")
    lead = (orient.sort_values(["group", "share"], ascending=[True, False])
            .groupby("group").head(3))
    lead = lead[lead["share"] > 0]
    lead = lead.assign(focus=lead["world_region"] + " " + (lead["share"] * 100).round(0)
                       .astype(int).astype(str) + "%")
    focus = lead.groupby("group").agg(mentions=("n_mentions", "first"),
                                      few=("few_mentions", "first"),
                                      focus=("focus", "，".join)).reset_index()
    focus["focus"] = focus["focus"].where(~focus["few"], "(too few mentions to say) "
                                          + focus["focus"])
    focus = focus.drop(columns="few")
    focus.columns = ["region", "mentions", "leading world regions (share of mentions)"]
    print("\nGeographic orientation (fewer than 20 mentions: too few to say where a "
          "province looks):\n")
    print(_table(focus, 120))

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        overview.to_csv(args.out / "documents.csv", index=False, encoding="utf-8-sig")
        key.to_csv(args.out / "keyness_by_region.csv", index=False, encoding="utf-8-sig")
        if left_out is not None:
            left_out.to_csv(args.out / "keyness_left_out.csv", index=False,
                            encoding="utf-8-sig")
        print("keyness_by_region.csv: the p- and q-values treat tokens as independent and "
              "overstate significance between documents; read the scores as a ranking")
        orient.to_csv(args.out / "orientation_by_region.csv", index=False, encoding="utf-8-sig")
        print(f"\nTables written to {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
