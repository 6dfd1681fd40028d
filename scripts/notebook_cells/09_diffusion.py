"""Cells of notebooks/09_diffusion.ipynb (python scripts/make_notebooks.py 09_diffusion
writes and executes it)."""

CELLS = [
    ("md", """# 9. Diffusion and reinvention: who takes up a text, when, and how they rewrite it

Studies of Chinese policy diffusion ask which local governments adopt a central text, how
fast, and how they rewrite it. `bt.diffusion` traces source documents into the
jurisdictions' later documents (adoption dates, lags, a panel for event-history models),
and `bt.compare_versions` aligns a local version with its source clause by clause, moved
clauses included. This notebook runs both on the built-in corpus, where the answer turns
out to be "rewritten, not copied", and then on a planted corpus where the truth is known,
to show the event-history outputs at work. `order unknown`, `earlier` and the other
statuses are defined in the [glossary](../docs/GLOSSARY.md)."""),
    ("code", """import sys
import warnings
from pathlib import Path

import pandas as pd
import bri_text as bt
from bri_text import plot

corpus = bt.load_bri_policies()
national = bt.diffusion(corpus, source={"level": "national"}, by="region")
national.sources[["source", "date", "chars", "jurisdictions", "adopted", "not_adopted"]]"""),
    ("md", """## The national documents of the compendium: not taken over

A jurisdiction adopts a source when one of its documents, dated after the source, carries
at least 5% of the source's own characters (the default `threshold`; text already in an earlier
document is not the source's own) in passages that are not set phrasing. None of
the eleven national documents is adopted by any of the twelve provinces: they are notices
and rules on other matters (an R&D tax deduction, free-trade-zone rules, a research
programme), and the document the provincial plans answer, the 2015 *Vision and Actions*,
is cited by them but is not in the compendium. The largest share of a national document
any province carries is under 1%:"""),
    ("code", """a = national.adoptions
a.sort_values("share", ascending=False)[["source", "jurisdiction", "doc_id", "share"]].head(3)"""),
    ("md", """## Between provinces

Early provincial plans as sources: Jiangxi's (2015), Hunan's (2015-08-19), Gansu's summary
(2015-12-09) and Guangdong's (2016-10-19). Even with a low threshold (2% of the source), no
province adopted any of them. Fujian's plan of 2016-12-01 shares one 61-character sentence
with Gansu's, but both only cite the national 《愿景与行动》 (a title in 5 of the 27
documents): a shared citation of a third document is not an adoption (`text_reuse` calls it
`citation`), and an adoption needs at least one of the source's clauses carried whole.
The `reason` column says why each province is or is not an adopter. `horizontal` lists
text two provinces share that is in none of the sources, earlier to later: one passage, a
line on coordinating the work that Henan's plan has and Fujian's repeats 53 days later."""),
    ("code", """early = bt.diffusion(corpus, source=["bri14", "bri23", "bri25", "bri26"], by="region",
                     threshold=0.02)
a = early.adoptions
print(early)
a.sort_values("share", ascending=False)[["source", "jurisdiction", "status", "share", "clauses",
                                          "reason"]].head(3)"""),
    ("code", """early.horizontal[["jurisdiction_from", "doc_from", "jurisdiction_to", "doc_to", "lag_days",
                  "passage_to"]]"""),
    ("md", """## Rewritten, not copied

Provincial plans take up each other's ideas in their own words. `compare_versions`
pairs the sentences of two documents by an assignment, not in order, so a sentence moved
elsewhere is still found, and marks each `kept`, `changed` (with a character diff),
`dropped` or `added`. Henan's plan of 2016 (bri24) against Jiangxi's of 2015 (bri14):"""),
    ("code", """pair = bt.compare_versions("bri14", "bri24", corpus, unit="sentence")
print(pair.loc[pair["substance"], "status"].value_counts().to_dict())
print(pair.loc[(pair["status"] == "kept"), "source_text"].tolist())   # headings, not counted
changed = pair[pair["substance"] & (pair["status"] == "changed")]
changed[["source_text", "local_text", "similarity", "char_diff"]]   # the four rewritten"""),
    ("md", """Of Jiangxi's 323 sentences, 232 say something (`substance`: the rest are its title, headings such as
（一）重大意义。, dates and lines of stock phrasing, which are marked and not counted). Henan's
plan keeps none of them word for word and rewrites 4 (its opening and its first argument,
its near and medium-term goals); the rest are not there (the plan writes its own). The four
sentences it repeats exactly are headings: 重大意义。指导思想。发展目标。促进投资贸易便利化。 The rewritten ones keep the frame of a sentence and change
its words (`[-…-]` deleted, `{+…+}` inserted). `versions_html` writes the two texts side by
side with the changes highlighted, one self-contained page:"""),
    ("code", """import tempfile

path = Path(tempfile.mkdtemp()) / "bri14_bri24.html"
html = bt.versions_html(pair, path)
print(path.name, path.stat().st_size, "bytes;", html.count("<del>"), "deletions marked")"""),
    ("md", """## A planted corpus: the event-history outputs at work

The built-in corpus is too small to show adoption curves and hazard models. The planted
corpus of `benchmarks/planted_diffusion.py` is made the way local versions are made: two
central documents of 20-40 clauses, 20 provinces, each adopting each with probability 0.6
after 30-700 days, in a version that keeps 60-90% of the clauses, reorders a third of them,
edits some (10-20% of their characters) and adds clauses of its own; stock phrases open and
close every document. What `diffusion` should find is known exactly."""),
    ("code", """# the generator lives in the repository's benchmarks/ (a checkout, not the installed package)
checkout = next(p for p in [Path(bt.__file__).resolve().parents[1], Path.cwd(), *Path.cwd().parents]
                if (p / "benchmarks" / "planted_diffusion.py").is_file())
sys.path.insert(0, str(checkout / "benchmarks"))
from planted_diffusion import make_planted

planted = make_planted(seed=3)
result = bt.diffusion(planted.corpus, source={"level": "national"}, by="region")
found = result.adoptions[result.adoptions["status"] == "adopted"]
truth = planted.adoptions[planted.adoptions["adopted"]]
merged = truth.merge(found, left_on=["source_id", "region"], right_on=["source", "jurisdiction"],
                     how="outer", indicator=True)
print(merged["_merge"].value_counts().to_dict())
print("adoption dates exact:", (merged["date_x"] == merged["date_y"]).sum(), "of", len(truth))"""),
    ("code", """ax = plot.adoption_curve(result)"""),
    ("code", """ax = plot.adoption_heatmap(result)"""),
    ("md", """### A discrete-time hazard model

`panel()` gives one row per province and year while it is at risk (the year of adoption
ends its rows), ready for a logit of `adopted` on time since the source and covariates
(here one of our own making: whether the province is coastal). `durations()` gives the
same as one row per province for survival analysis (lifelines' Cox model)."""),
    ("code", """import statsmodels.formula.api as smf

coastal = pd.DataFrame({"region": ["河北", "辽宁", "江苏", "浙江", "福建", "山东", "广东", "广西",
                                   "海南", "天津", "上海"], "coastal": 1})
panel = result.panel("year", covariates=coastal).fillna({"coastal": 0})
fit = smf.logit("adopted ~ time + coastal", data=panel).fit(disp=0)
print(len(panel), "province-years at risk,", int(panel["adopted"].sum()), "adoptions")
fit.summary2().tables[1][["Coef.", "Std.Err.", "P>|z|"]].round(3)"""),
    ("code", """result.durations().head()"""),
    ("md", """The planted adoption is random, so the coastal coefficient is noise, as it should be:
its interval covers zero. What a version kept and changed, per province:"""),
    ("code", """rates = bt.reinvention(planted.corpus, source={"level": "national"}, by="region")
rates[["source", "region", "local_doc", "kept_rate", "changed_rate", "dropped_rate",
       "added_rate", "moved_share"]].head(6).round(2)"""),
]
