"""Cells of notebooks/08_policy_instruments.ipynb (python scripts/make_notebooks.py
08_policy_instruments writes and executes it)."""

CELLS = [
    ("md", """# 8. Policy instruments: clauses, codes, coders, shares

The most common method of Chinese policy-document research, on the built-in corpus: cut
each document into its numbered provisions, code every provision into a policy instrument
(Rothwell & Zegveld's supply / environment / demand types and their subtypes), check that
two coders agree, and compare the instruments of Guangxi, Gansu and the national
documents, then grade a few plans with the PMC index. The words in `code` are defined in
the [glossary](../docs/GLOSSARY.md); the codebook and its sources are in
`bri_text/lexicons/README.md`."""),
    ("code", """import tempfile
import warnings
from pathlib import Path

import pandas as pd
import bri_text as bt
from bri_text import plot

corpus = bt.load_bri_policies()
clauses = corpus.reshape("clause")
print(len(clauses), "units,", int(clauses.docs["is_heading"].sum()), "of them headings only")
clauses.docs.groupby("clause_kind").size().sort_values(ascending=False)"""),
    ("md", """## Clauses

`reshape("clause")` makes one unit per numbered provision and keeps the numbering
hierarchy: the regulation of the Zhejiang free-trade zone (bri04) has its 59 articles
(第一条 … 第五十九条) under 8 chapters, and every article knows its chapter. A heading
that only titles the provisions under it (`（二）设施联通`) is a unit of its own with
`is_heading=True`, so it can be left out of the coding; text without numbering stays a
paragraph."""),
    ("code", """docs = clauses.docs
articles = docs[(docs["parent_id"] == "bri04") & (docs["clause_kind"] == "article")]
print(len(articles), "articles:", articles["clause"].iloc[0], "…", articles["clause"].iloc[-1])
docs[docs["parent_id"] == "bri18"][["doc_id", "clause", "clause_depth", "is_heading",
                                    "heading_path"]].iloc[10:16]"""),
    ("md", """## Pre-coding with the codebook

`code_clauses` gives each provision the instrument whose indicative phrases it matches most
(`evidence` quotes them; `confidence` is the share of the matched phrases that point to the
chosen code) and, with the default codebook's second dimension, which of the five
connectivities it serves (`target`). These are suggestions for coders, not results."""),
    ("code", """book = bt.read_codebook()
provisions = clauses.subset(~docs["is_heading"].to_numpy(bool))
coded = bt.code_clauses(provisions)
print(f"{(coded['code'] != 'none').mean():.0%} of {len(coded)} provisions get a code")
coded.loc[["bri10#c3", "bri18#c15"], ["code", "type", "confidence", "target", "evidence"]]"""),
    ("md", """## Two coders, their sheets, their agreement

Each coder gets an Excel sheet of their own (drop-down lists of the codes, each unit with
the text before and after it, the pre-coded suggestion beside it), so that neither sees the
other's codes. Here the sheets are filled with the codes of the built-in coded sample
(`bt.load_instrument_codes()`: 330 paragraphs of this corpus coded twice, independently;
the two coders were AI assistants working from the codebook alone, so this is a worked
example, not a published gold standard). The sheets are then read back as a researcher
would read the coders' returned files."""),
    ("code", """from openpyxl import load_workbook

gold = bt.load_instrument_codes()
sample = corpus.reshape("paragraph").subset(doc_id=gold.index.tolist())
folder = Path(tempfile.mkdtemp())
for coder, column in (("wang", "coder_a"), ("li", "coder_b")):
    path = folder / f"coding_{coder}.xlsx"
    bt.write_coding_sheet(sample, path, book, coders=(coder,), precoded=bt.code_clauses(sample))
    wb = load_workbook(path)           # what the coder does in Excel: fill the column
    ws = wb["coding"]
    header = [c.value for c in ws[1]]
    id_col, code_col = header.index("doc_id") + 1, header.index(coder) + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, code_col).value = gold.loc[ws.cell(row, id_col).value, column]
    wb.save(path)
codes = bt.read_coding_sheet([folder / "coding_wang.xlsx", folder / "coding_li.xlsx"])
agreement = bt.reliability(codes[["wang", "li"]], n_boot=500, random_state=0)
agreement.loc["(all)"]"""),
    ("md", """The two passes agree on 293 of the 330 paragraphs; Cohen's κ and Krippendorff's α
are about 0.88, with bootstrap intervals over the 27 documents the paragraphs come from
(documents, then paragraphs within them: κ 0.80-0.94; treating the 330 paragraphs as
independent, `resample="unit"`, would give 0.84-0.91). Per code, agreement is lowest
for the rarely used demonstration projects and for strategic measures, where the scheme's
neighbours meet (cultural exchange as talent or as a strategic measure; a coordination
article as a strategic measure or as regulation). The disagreements are the paragraphs to
discuss before a final code is fixed:"""),
    ("code", """per_code = agreement.xs("cohen_kappa", level="statistic").drop(index="(all)")
print(per_code.sort_values("estimate")[["estimate", "n_wang", "n_li"]].head(4).round(2))
bt.disagreements(codes[["wang", "li"]]).head(5)"""),
    ("md", """## A classifier trained on the agreed codes

With a few hundred hand-coded clauses, a classifier (character n-grams of the clause and
of the headings above it, word vectors trained on the package's own text, a logistic
regression) can suggest codes for
the rest, and `next_to_code` says which clauses to code next: those it is least sure of.
Cross-validated macro-F1, here on the three types (and `none`) of the 293 agreed
paragraphs, beside the dictionary alone on the same folds: the classifier scores about 0.8,
the dictionary about 0.6. It also learns from the codebook's own examples and phrases,
so it can suggest codes nobody has coded yet, and from the 1,637 units the package's
coders coded alike (`reference="builtin"`), leaving out every unit it is scored on (here
the 293 paragraphs). Read these figures with care: they come from a set its defaults were
chosen on. On nine fresh sets of clauses of these documents and of the work reports,
drawn after the method was chosen and each scored once, with 200 labels, it reached
0.68-0.80 over the types and 0.63-0.76 over the 16 subtypes, short of the 0.75 aimed at
over the subtypes on eight of them, and 0.63-0.71 on work reports alone
(`benchmarks/INSTRUMENTS.md`; the optional sentence encoder, `encoder="m3e-small"`, gave
0.66-0.81 and 0.62-0.73 on the last four); the reference knows these corpora, so on a
field it has never seen expect less.
`scores.attrs["per_code"]` says which codes it gets right and which to check by hand. A
pre-coder that orders the work, not a coder."""),
    ("code", """agreed = gold[gold["coder_a"] == gold["coder_b"]]
units = sample.subset(doc_id=agreed.index.tolist())
clf = bt.ClauseClassifier(level="type", random_state=0)
scores = clf.cross_validate(units, agreed["coder_a"], n_splits=5)
scores"""),
    ("code", """scores.attrs["per_code"].round(2)"""),
    ("code", """clf.fit(units, agreed["coder_a"])
clf.next_to_code(provisions, top_n=5)"""),
    ("md", """## Guangxi, Gansu and the national documents

Shares of the instrument types among each group's coded provisions (dictionary pre-coding
of every provision). The national group has ten documents, so its interval is
between-document: how much the shares depend on which national documents there are.
Guangxi and Gansu have one plan each, and one text says nothing about variation between
texts, so the default gives them no interval (NaN, with a warning, silenced here); the second
table gives every group a within-document interval instead (provisions as if independent),
labelled as such."""),
    ("code", """coded["group"] = coded["region"].where(coded["level"] != "national", "national")
three = coded[coded["group"].isin(["national", "广西", "甘肃"])]
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    between = bt.instrument_shares(three, by="group", level="type", n_boot=500, random_state=0)
within = bt.instrument_shares(three, by="group", level="type", n_boot=500, random_state=0,
                              resample="unit")
between[["group", "code", "count", "n_units", "n_docs", "share", "ci_low", "ci_high", "interval"]]"""),
    ("code", """within[["group", "code", "share", "ci_low", "ci_high", "interval"]]"""),
    ("code", """subtypes = bt.instrument_shares(three, by="group", codebook=book)
ax = plot.instrument_shares(subtypes)"""),
    ("md", """Guangxi's plan turns to demand instruments (trade fairs, the free-trade zone, ports
open to ASEAN) more than the national documents do, and Gansu's summary to demand as well;
with one document each, these are statements about these two texts. Instruments by
connectivity (the codebook's second dimension): trade connectivity is served by demand
instruments, facilities and people-to-people bonds by supply instruments, financial
integration by environment instruments (finance):"""),
    ("code", """matrix = bt.instrument_matrix(coded, rows="type", columns="target")
ax = plot.instrument_matrix(matrix)
matrix"""),
    ("md", """## Hand codes against the dictionary

The dictionary's shares are not the coders'. On the agreed paragraphs, the coders find
the national documents mostly environment instruments (78%: rules and approvals of
regulations and notices); the dictionary finds 52%, partly because rules for research
programmes are full of technology words. Hand codes decide; the dictionary tells coders
where to look:"""),
    ("code", """hand = sample.docs.set_index("doc_id").loc[agreed.index, ["level"]].assign(code=agreed["coder_a"])
hand["type"] = hand["code"].map(book.types).fillna("none")
dictionary = bt.code_clauses(units)
compare = pd.DataFrame({
    "coders": bt.instrument_shares(hand.rename_axis("doc_id").reset_index(), by="level",
                                   level="type").set_index(["group", "code"])["share"],
    "dictionary": bt.instrument_shares(dictionary, by="level", level="type")
                    .set_index(["group", "code"])["share"]})
compare.round(2)"""),
    ("md", """## The PMC index of four plans

Estrada's Policy Modelling Consistency index grades each plan on nine main variables (its
nature, timeliness, issuing body, field, evaluation, incentives, targets, instruments,
function), each the mean of binary sub-variables. `pmc_sheet` pre-fills the 0/1 scores
from phrases, instrument codes and metadata and quotes the provision behind every 1, so a
researcher can check and correct the sheet in Excel before `pmc_index` reads it."""),
    ("code", """plans = corpus.subset(doc_id=["bri12", "bri18", "bri23", "bri24"])
sheet = bt.pmc_sheet(plans)
sheet[sheet["score"] == 1][["doc_id", "sub", "sub_name", "matched", "evidence"]].head(4)"""),
    ("code", """pmc = bt.pmc_index(sheet)
pmc.scores[["doc_id", "title", "pmc", "grade", "concavity", "rank"]]"""),
    ("code", """pmc.sensitivity()"""),
    ("code", """ax = plot.pmc_surface(pmc, "bri18")"""),
    ("md", """The grades follow the convention for nine main variables (7-9 perfect, 5-6.99
excellent, 3-4.99 acceptable, below 3 poor; `docs/GLOSSARY.md`, "PMC index"); X10
(openness) is recorded and not counted. The sensitivity table drops each main variable in
turn: a ranking that holds whichever variable is dropped does not rest on one of them."""),
]
