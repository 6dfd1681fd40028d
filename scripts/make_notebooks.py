"""Write the notebooks in notebooks/ from the cell lists below, and execute them.

    python scripts/make_notebooks.py            # write and execute (outputs saved)
    python scripts/make_notebooks.py --no-run   # write without outputs
    python scripts/make_notebooks.py 05_similarity_and_reuse   # only this one

Keeping the cells here (plain Python strings) makes the notebooks reviewable in diffs; the
test suite (tests/test_notebooks.py) executes every notebook top to bottom with nbclient.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {}

NOTEBOOKS["01_corpus_and_cleaning"] = [
    ("md", """# 1. The corpus: reading, cleaning, splitting, structure

This notebook loads the built-in corpus of 27 government documents on the Belt and Road and
related opening-up policy (dated 2013-2018, listed online 2015-2018), shows the metadata
the library extracted from the raw compendium, including each document's own date and
what kind of text it is, and splits plans into their numbered sections, so that later
notebooks can compare what two provinces say under the same heading. It ends with
cleaning and reading your own files. Terms used here are defined in the
[glossary](../docs/GLOSSARY.md)."""),
    ("code", """import pandas as pd
import bri_text as bt

pd.set_option("display.max_colwidth", 40)
corpus = bt.load_bri_policies()
corpus"""),
    ("code", """corpus.metadata[["doc_id", "date", "date_posted", "date_source", "kind", "bri_specific",
                 "level", "region", "city", "title"]]"""),
    ("md", """## Dates: issued, not posted

`date_posted` is the date the compendium listed a document, often months later and shared
by a batch (2016-10-09, 2016-10-19). `date` is the document's own date where its text gives
it, and `date_source` says where from: the signature block under the cover notice
(Hunan's work plan, bri25, is signed 湖南省人民政府办公厅 / 2015年8月19日 but was listed on
2016-10-09), a regulation's adoption note, or only the year of the document number
(Jiangxi's plan, bri14, 赣府发〔2015〕26号, is dated `2015`). `year` follows `date`, so trends
by year and "earlier → later" in text reuse follow the documents' issue dates.
The rules, document by document, are in `bri_text/data/README.md`."""),
    ("code", """for source, ids in corpus.docs.groupby("date_source")["doc_id"]:
    print(f"{source:16} {', '.join(ids)}")"""),
    ("md", """## Kinds: not every document is a plan

`kind` says what the text in the dataset is. Five entries are notices whose document is
not in the text (Ningbo's entry, bri15, is only the provincial notice that issued its plan,
307 characters); Gansu's and Shaanxi's entries are news-style summaries of their plans, so
"Gansu's plan" below means Gansu's plan *as summarised*. `bri_specific` is false for
documents that are not about the Belt and Road at all (national ones such as an R&D tax
rule and free-trade-zone rules, and two provincial ones: Zhejiang's free-trade-zone
regulation, bri04, and Hunan's capacity-cooperation plan, bri16)."""),
    ("code", """corpus.docs.assign(chars=corpus.docs["text"].str.len()).pivot_table(
    index="kind", columns="level", values="chars", aggfunc="count", fill_value=0)"""),
    ("md", """How many documents per level and per province-level unit (national documents have no
region). `region` merges provincial and municipal documents: 四川 is only Chengdu's city
plan, 浙江 a provincial regulation and Ningbo's notice, 陕西 a provincial summary and Xi'an's
city plan; `level` and `city` tell them apart."""),
    ("code", """pd.crosstab(corpus.docs["region"].fillna("(national)"), corpus.docs["level"])"""),
    ("md", """## Plan structure

`reshape("section")` follows the numbered headings of Chinese plans (`一、`, `（一）`,
`第三条`, `1.`...) and records each unit's heading path. Guangxi's plan opens with a table
of contents that lists the same headings as its body; it is one section headed `目录`, so
every heading of the plan is one section:"""),
    ("code", """sections = corpus.subset(region="广西").reshape("section").docs
sections.assign(chars=sections["text"].str.len())[["doc_id", "heading_path", "chars"]]"""),
    ("code", """key_areas = sections.set_index("heading").loc["四、重点合作领域"]
print(key_areas["text"][:300])"""),
    ("md", """## Paragraphs and sentences keep their parent's metadata

Topic models and keyness work best on paragraphs; every unit keeps `parent_id` and all the
document's metadata, so results aggregate back to documents or provinces."""),
    ("code", """paragraphs = corpus.reshape("paragraph")
print(len(paragraphs), "paragraphs")
paragraphs.docs[["doc_id", "parent_id", "region", "year", "text"]].head()"""),
    ("md", """## Cleaning your own documents

`bt.clean` runs named steps (HTML, page numbers and running headers, lines
broken by the PDF layout, full-width characters, Traditional → Simplified) and can report
what each removed. Text extracted from a PDF is cut into lines of the page width, often in
the middle of a word (丝绸之路经 / 济带). Here are four paragraphs and a heading of
Guangxi's plan wrapped at 28 characters a line, as a PDF extractor would give them; `rejoin_lines` joins
the broken lines, keeps the heading on its own line, and gives back the paragraphs
exactly:"""),
    ("code", """from bri_text import clean

original = corpus.subset(region="广西").texts[0].split("\\n")[10:15]
wrapped = "\\n".join(p[i:i + 28] for p in original for i in range(0, len(p), 28))
print(wrapped[:150], "...")
text, report = clean(wrapped, report=True)
print(text.split("\\n") == original)
report.to_dataframe()[["step", "chars_removed", "lines_removed"]]"""),
    ("md", """A web page has other damage: markup, an editor's line, full-width digits, Traditional
characters. Each `<p>` is a paragraph of its own, so here nothing is re-joined:"""),
    ("code", """raw = \"\"\"<div><p>推进“一带一路”建设，２０１５ 年 3 月發布。</p></div>
<p>面向東盟開放合作。</p>
<p>責任編輯：王某</p>\"\"\"
text, report = clean(raw, report=True)
print(text)
report.to_dataframe()[["step", "chars_removed", "lines_removed"]]"""),
    ("md", """`bri_text.read_folder("my_plans/", metadata="my_plans/meta.csv")` reads a folder of
`.txt`, `.md`, `.html` (and `.docx` / `.pdf` with the extras), detects each file's encoding
(UTF-8, GB18030/GBK, Big5), turns YAML front matter into metadata, cleans every document
and keeps the per-document cleaning report in `corpus.cleaning_report`. Files that cannot
be read raise an error naming the file, or with `errors="skip"` are listed in
`corpus.dropped`."""),
    ("code", """import tempfile, pathlib

folder = pathlib.Path(tempfile.mkdtemp())
(folder / "guangxi.txt").write_bytes("广西面向东盟开放合作。".encode("gbk"))
(folder / "gansu.txt").write_text("甘肃打造丝绸之路经济带黄金段。", encoding="utf-8")
(folder / "broken.txt").write_bytes(b"\\x00\\x01\\x02" * 10)
mine = bt.read_folder(folder, errors="skip")
display(mine.docs[["doc_id", "encoding", "text"]])
mine.dropped"""),
]

NOTEBOOKS["02_segmentation"] = [
    ("md", """# 2. Segmentation with a Belt and Road lexicon

Segmentation decides what every later number means: without a domain lexicon
`西部陆海新通道` is cut into pieces and no keyness table or topic can show it. The default
`Tokenizer` uses rjieba (the Rust port of jieba) with the bundled lexicon of Belt and Road
terms, stopword lists and variant folding. Terms used here are defined in the
[glossary](../docs/GLOSSARY.md)."""),
    ("code", """import bri_text as bt
from bri_text.segment import Tokenizer

sentence = "加快西部陆海新通道建设，共建中国-东盟自由贸易区升级版，推动“一带一路”与中欧班列高质量发展。"
plain = Tokenizer(lexicon=False, stopwords=None)
domain = Tokenizer(stopwords=None)
print("without lexicon:", " / ".join(plain(sentence)))
print("with lexicon:   ", " / ".join(domain(sentence)))"""),
    ("md", """The sentence writes 中国-东盟 with a hyphen; the tokenizer folds variant dashes
(- – — ——) to the em dash, so 中国-东盟 and 中国—东盟 count as one term, and prints the
folded token. `segment` instead returns each token as a slice of the text with its
character offsets, so the token below keeps the sentence's own hyphen: segmentation is
lossless and every count can be traced back to the sentence it came from:"""),
    ("code", """pieces = domain.segment(sentence)
assert "".join(t for t, start, end in pieces) == sentence
pieces[:6]"""),
    ("md", """## Terms of other policy fields

The default lexicon also holds 751 terms of other policy fields
(`bri_text/lexicons/policy_terms.tsv`: the digital economy, macro-economic slogans,
administrative reform, environment, social policy, agriculture, finance, set political
formulations). Without them jieba cuts 大数据 into 大 / 数据, and a tokenizer that drops
single characters then counts 数据 where the text says 大数据; 新常态 loses its 新 the same
way. The full-width plus of 互联网＋ is folded like full-width digits:"""),
    ("code", """other = "发展大数据产业，适应经济发展新常态，培育新质生产力，落实三去一降一补，推进“互联网＋政务服务”。"
print("without lexicon:", " / ".join(plain(other)))
print("with lexicon:   ", " / ".join(domain(other)))"""),
    ("md", """## Stopwords

Two lists, both optional: general Chinese function words, and policy boilerplate
(加强, 推进, 积极...) that fills every plan and drowns out content."""),
    ("code", """policy = Tokenizer(stopwords=("general", "policy"))
print(" / ".join(policy(sentence)))"""),
    ("md", """## Tokenising the corpus

`tokenize` keeps the units aligned with their metadata. Results are cached on disk, so
re-running a notebook does not pay for segmentation again."""),
    ("code", """corpus = bt.load_bri_policies()
tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer=policy)
tokens"""),
    ("code", """import pandas as pd

freq = bt.frequencies(bt.dtm(tokens), by="level")
freq.groupby("group").head(8)"""),
    ("md", """`count` counts every mention of a term, also inside longer tokens that the lexicon keeps
whole; the `nested` column says how many of the mentions were such: 东盟 inside
中国—东盟博览会 or 东盟国家, 丝绸之路 inside 丝绸之路经济带. `bt.frequencies(...,
nested=False)` counts tokens only. Keyness and the document-term matrix count tokens as
segmented, without nested mentions. That is why 东盟 has 168 mentions in the provincial
documents here but a `count_target` of 51 in notebook 3's Guangxi-against-Gansu keyness:
Guangxi's plan has 126 of the 168 mentions, 75 of them nested, which leaves 51 tokens that
are 东盟 on their own."""),
    ("code", """by_region = bt.frequencies(bt.dtm(tokens.subset(level=["provincial", "municipal"])), by="region")
pd.concat([freq[freq["term"] == "东盟"],
           by_region[(by_region["term"] == "东盟") & (by_region["group"] == "广西")]])"""),
    ("md", """## Keywords in context

`kwic` shows each occurrence of a word in its context, read from the cleaned text through
the token offsets:"""),
    ("code", """bt.kwic(tokens, "东盟", window=8).head(10)[["doc_id", "region", "left", "keyword", "right"]]"""),
    ("md", """## In scikit-learn and gensim

A `Tokenizer` is picklable and callable, so it plugs into scikit-learn vectorizers (and
their `n_jobs`), and `Tokens.to_gensim()` gives a gensim Dictionary and bag-of-words
corpus."""),
    ("code", """from sklearn.feature_extraction.text import CountVectorizer

vectorizer = CountVectorizer(tokenizer=policy, lowercase=False, token_pattern=None)
X = vectorizer.fit_transform(corpus.texts)
X.shape, "一带一路" in vectorizer.vocabulary_"""),
]

NOTEBOOKS["03_compare_provinces"] = [
    ("md", """# 3. Comparing provinces: keyness, five connectivities, geographic orientation

How does Guangxi's Belt and Road plan differ from Gansu's? This notebook answers with
numbers a reviewer can check: distinctive terms (log-odds ratio with an informative
Dirichlet prior, Monroe, Colaresi & Quinn 2008), dictionary profiles (the five
connectivities of the 2015 *Vision and Actions*), and each province's geographic focus.
Words in `code` are defined in the [glossary](../docs/GLOSSARY.md).

Read the sizes first. Gansu's document is not the plan itself but a news-style summary of
it (`kind` "summary", about 2,400 characters), so "Gansu's plan (as summarised)" is what
this notebook compares; Guangxi's is a full plan. `region` merges provincial and city
documents: 四川 is Chengdu's city plan, 浙江 a provincial regulation and Ningbo's cover
notice, 陕西 a provincial summary and Xi'an's plan."""),
    ("code", """import pandas as pd
import bri_text as bt
from bri_text import plot
from bri_text.segment import Tokenizer

corpus = bt.load_bri_policies()
corpus.docs.dropna(subset=["region"]).groupby("region").agg(
    documents=("doc_id", "size"), kinds=("kind", ", ".join), levels=("level", ", ".join),
    characters=("text", lambda t: t.str.len().sum()))"""),
    ("code", """tokenizer = Tokenizer(stopwords=("general", "policy"), min_length=2)
tokens = bt.tokenize(corpus.reshape("paragraph"), tokenizer=tokenizer)
matrix = bt.dtm(tokens)
matrix"""),
    ("md", """## Guangxi against Gansu (as summarised)

`score` is the log-odds z; the prior is the two groups' own pooled counts, split between
them in proportion to their sizes, so it shrinks both sides alike and never turns a
difference around (a term Guangxi never uses cannot be its keyword). `p_value` treats every
token as an independent draw (`gx_gs.attrs["test"]` says so): a statement about these two
texts, not about provinces. `q_value` corrects for testing every term at once
(Benjamini–Hochberg)."""),
    ("code", """gx_gs = bt.keyness(matrix, target={"region": "广西"}, reference={"region": "甘肃"})
print(gx_gs.attrs["test"])
print((gx_gs["p_value"] < 0.05).sum(), "terms at p < .05;", (gx_gs["q_value"] < 0.05).sum(),
      "at q < .05")
gx_gs.head(15)[["term", "score", "p_value", "q_value", "count_target", "count_reference"]]"""),
    ("md", """Guangxi's name, 东盟 and 中国—东盟 lead, each never used in the Gansu summary, but
none reaches q < .05: Gansu's text is short, and a word missing from a short text says
little. The only terms that do reach it are at the other end of the table, Gansu's own
place names 敦煌 and 兰州 (15 and 11 mentions, none in Guangxi's long plan): a word missing
from a long text is stronger evidence. The figure draws terms with q ≥ .05 pale and
hatched:"""),
    ("code", """ax = plot.keyness(gx_gs, top_n=15, labels=("广西", "甘肃"))"""),
    ("md", """Is a term key only because one paragraph repeats it? Guangxi and Gansu have one
document each, so there is no variation *between* documents to resample (the default
two-stage bootstrap would say so and give no stability); `resample="unit"` resamples the
paragraphs within each text and shows how often each term stays in the top 20 of this
comparison of two texts:"""),
    ("code", """stable = bt.keyness(matrix, target={"region": "广西"}, reference={"region": "甘肃"},
                    n_boot=200, random_state=1, resample="unit")
stable.head(15)[["term", "score", "stability"]]"""),
    ("md", """## What each province says that the national documents do not

A direct comparison: each province's documents (target) against the 11 national documents
(reference). The top five terms per province, with how often each side uses them. The
q-values are token-level (every token an independent draw); with several documents on a
side they overstate significance, and `keyness` warns so (for each of the four provinces
with two documents; the first warning is shown): read the table as a ranking of differences between these texts:"""),
    ("code", """import warnings

rows = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", UserWarning)
    for region in sorted(corpus.docs["region"].dropna().unique()):
        table = bt.keyness(matrix, target={"region": region}, reference={"level": "national"})
        rows.append(table.head(5).assign(group=region))
print(len(caught), "warnings, e.g.:", str(caught[0].message)[:150], "...")
vs_national = pd.concat(rows, ignore_index=True)
vs_national[["group", "term", "score", "q_value", "count_target", "count_reference"]]"""),
    ("md", """Every term above is one the province uses more than the national documents do (a
prior never reverses a difference). Beside place names (郑州, 西安, 敦煌) and the province's
own voice (我省, 我市), the tops show what each adds to the blueprint: Zhejiang's
free-trade-zone regulation (自贸试验区, 油品, 保税), Henan's air hub (卢森堡, 航空, 枢纽),
Guangxi's ASEAN (东盟, 中国—东盟), Fujian's maritime silk road (海上丝绸之路), Hebei's
education exchanges (教育), Hunan's capacity cooperation (国际产能合作)."""),
    ("code", """top = vs_national.groupby("group").head(1).set_index("group")["term"]
assert top["浙江"] == "自贸试验区" and top["河北"] == "教育"
assert (vs_national["score"] > 0).all() and (vs_national["count_target"] > 0).all()"""),
    ("md", """## The five connectivities (五通)

Matches per 10,000 tokens with two-stage bootstrap intervals (documents, then paragraphs
within them). Regions with one document get no interval (`n_docs` 1; NaN). Henan, Hunan,
Zhejiang and Shaanxi have two documents each (for 浙江 and 陕西 one provincial and one
municipal), and get none either: no interval from two texts reaches its nominal coverage
with a useful width, and the `interval` column says why ("none: two documents").
`resample="unit"` would give within-document intervals, labelled as such. So every row
printed here is a count, not an estimate with an interval. National documents have no
region and are left out, with one warning that says how to include them."""),
    ("code", """five = bt.profile(tokens, "five_connectivities", by="region", n_boot=200, random_state=1)
five[five["group"].isin(["河南", "广西"])]"""),
    ("code", """ax = plot.profile(five)"""),
    ("md", """## Geographic orientation

Shares of mentions of foreign places and groupings (the bundled gazetteer maps 东盟,
哈萨克斯坦, 卢森堡... to world regions and economic corridors). Most regions have one
document, so the intervals here resample paragraphs within each (`resample="unit"`,
labelled "within-document" in the `interval` column). A region with fewer than
`min_mentions=20` mentions is marked `few_mentions` (hatched in the figure): its shares
rest on a handful of words and are not findings. "none: failed replicates" means that in
more than 10% of the bootstrap resamples no mention was drawn at all, so no interval is
given. The leading world region of each province:"""),
    ("code", """orient = bt.orientation(tokens, by="region", n_boot=200, random_state=1, resample="unit")
lead = orient.sort_values(["group", "share"], ascending=[True, False]).groupby("group").head(1)
lead[["group", "world_region", "share", "n_mentions", "few_mentions", "ci_low", "ci_high",
      "interval"]]"""),
    ("md", """Guangxi's place mentions are almost all of Southeast Asia (183 of its 188), Henan's
lead to Western Europe (西欧, through Luxembourg), Shaanxi's to Central Asia. Gansu's
summary has only 6 place mentions, Guangdong's 5 and Hebei's 3 (one of them 中俄): too
few to say where those documents look. Tianjin's plan and Zhejiang's two documents name no foreign place of
the gazetteer at all (`n_mentions` 0)."""),
    ("code", """ax = plot.orientation(orient)"""),
]

NOTEBOOKS["04_topics"] = [
    ("md", """# 4. Topic models: which themes each plan stresses, and how they change

LDA on paragraphs (tomotopy's Gibbs sampler, reproducible for a fixed `random_state` on one
machine), aggregated back to documents, provinces and years with bootstrap intervals. A
reviewer will ask "why K topics?" and "would another seed give the same topics?", so this
notebook starts there. Words in `code` are defined in the [glossary](../docs/GLOSSARY.md).
Warnings are left visible: each says what was left out and how many."""),
    ("code", """import bri_text as bt
from bri_text import plot

corpus = bt.load_bri_policies()
tokens = bt.tokenize(corpus)            # the model splits documents into paragraphs itself"""),
    ("md", """## Choosing K: would other documents give the same topics?

For each K, `select_k` fits two seeds on all paragraphs and, for each seed, one model on each
of two random halves of the documents. It reports coherence (NPMI, c_v) and diversity of the
full models, `stability` across seeds, and across the halves `resample_stability` (topics
matched one-to-one, 1 − Jensen–Shannon), `term_overlap` (the share of their top 10 terms
matched topics have in common) and `heldout_loglik` (each half's paragraphs scored by the
other half's model; higher is better). Each agreement has a chance line: the same fits on
the paragraphs with their tokens shuffled across the corpus, three shuffles (mean and sd).
The rule is fixed before looking and lives in `bt.choose_k`: **the smallest K whose
top-term overlap across halves is within one sd of the best K's and above its chance line**.
Cross-seed stability is shown, not used: every seed shares the NMF prior, so seeds agree
by construction (its chance line is left out unless asked for: `cross_seed_chance=True`). A small grid here; use `ks=range(5, 31, 5)` and more seeds (each seed is
one split) for a real study."""),
    ("code", """grid = bt.select_k(tokens, ks=[6, 10, 14], seeds=(1, 2), progress=False, stopwords="policy")
grid[["k", "c_npmi_mean", "stability_mean", "resample_stability_mean",
      "resample_chance", "term_overlap_mean", "term_overlap_sd", "term_overlap_chance",
      "heldout_loglik_mean"]].round(3)"""),
    ("code", """fig = plot.select_k(grid, measures=["c_npmi", "term_overlap", "resample_stability",
                                  "heldout_loglik"])"""),
    ("md", """Read the resampling columns first. Across halves of the documents the topics are far less
alike than across seeds: the halves hold different provinces' plans, and that, not the
seeds' agreement, is how far the topics generalise. Under Jensen–Shannon the real halves
can even fall below their shuffled-text line: shuffled text's topics all resemble the
corpus's word frequencies, and flat topics look alike under that measure. The top terms are
what separate texts with topics from shuffled text, so the rule reads `term_overlap`. With
two seeds each figure rests on two splits. (Before 0.4.0 this notebook chose the K with the
highest NPMI among those whose cross-seed stability beat its chance line; that rule was
changed twice after seeing results, and it read the agreement the shared prior produces.)"""),
    ("code", """k = bt.choose_k(grid)          # the rule above; an error if no K beats its chance line
print("K =", k)"""),
    ("md", """The rule gives K = 10, with a "no clear K" warning. K = 10 has the best overlap, and its
margin over the chance line is larger than its sd across the splits; but K = 14 lies
inside K = 10's one-sd band, so two splits cannot tell the two apart, and K = 6, in the band too, stays below
its chance line. K = 10 is the smallest K in the band above chance, which is what the rule
picks; the warning is the finding to report. Another pair of seeds may pick another K (on
K = 4-20 the pick moved between 8, 10 and 14 with the seed set), so here K = 10 is a
working choice for the rest of the notebook, not a result. A study runs more seeds (each
is one split; the sds narrow). (Until the era terms of session 39 were added to the
lexicon, this grid put K = 14 just outside the band: a few hundred tokens changed
elsewhere were enough to move it.)"""),
    ("code", """bt.choose_k(grid, explain=True).round(3)"""),
    ("code", """model = bt.TopicModel(k, random_state=1, stopwords="policy").fit(tokens)
print(len(model.dropped_units_), "of", len(model.dropped_units_) + len(model.doc_topics()),
      "paragraphs have no word of the model's vocabulary and are left out")"""),
    ("md", """The dropped paragraphs are short (8 characters on average): headings (三、保障措施),
signature dates, table cells and numbers, which hold only stopwords or rare words. Each topic gets a label made of its three highest-FREX terms
(frequent in the topic *and* exclusive to it, Roberts et al.'s FREX with weight 0.5),
which is why a label can name words that are not among the most probable terms in the
first table: those are shared by many topics (合作, 企业, 国际). Read both tables before
naming a topic yourself."""),
    ("code", """model.label_topics()"""),
    ("code", """model.topics(top_n=8).pivot(index="topic", columns="rank", values="term")"""),
    ("code", """model.topics(top_n=8, sort="frex").pivot(index="topic", columns="rank", values="term")"""),
    ("md", """## Which plan stresses which theme

Token-weighted topic shares per province, with 95% bootstrap intervals over the paragraphs
of each document (`resample="unit"`, labelled "within-document": most provinces have one
document, so there is no between-document variation to resample). National documents have
no region and are left out, with the warning below:"""),
    ("code", """prev = model.prevalence(by="region", n_boot=300, random_state=1, resample="unit")
ax = plot.topic_prevalence(prev)"""),
    ("code", """prev.pivot(index="group", columns="label", values="share").round(2)"""),
    ("md", """Guangxi against Gansu (as summarised) on the topic that 东盟, 北部湾 and 东南亚
point to (`find_topic` picks it by those words, so the cell does not depend on the topic's
number):"""),
    ("code", """asean = model.find_topic(["东盟", "北部湾", "东南亚"])
diff = model.difference(by="region", a="广西", b="甘肃", n_boot=300, random_state=1,
                        resample="unit")   # one document each: paragraphs within them
diff[diff["topic"] == asean][["topic", "label", "share_a", "share_b", "difference", "ci_low", "ci_high", "interval"]]"""),
    ("md", """One fit is one draw of the sampler. Before writing the sentence, refit with other seeds
(each fit takes a second or two here) and see whether the finding survives:"""),
    ("code", """import warnings
import pandas as pd

rows = []
for seed in range(1, 6):
    with warnings.catch_warnings():   # the same short paragraphs are left out as above
        warnings.simplefilter("ignore", UserWarning)
        refit = bt.TopicModel(k, random_state=seed, stopwords="policy").fit(tokens)
    d = refit.difference(by="region", a="广西", b="甘肃", n_boot=300, random_state=1,
                         resample="unit")
    rows.append(d[d["topic"] == refit.find_topic(["东盟", "北部湾", "东南亚"])].assign(seed=seed))
by_seed = pd.concat(rows)[["seed", "label", "share_a", "share_b", "difference", "ci_low", "ci_high"]]
by_seed.round(3)"""),
    ("md", """Guangxi's share is above Gansu's in every fit, but the interval of the difference
includes zero in all five: the sign holds, its size is not established. With ten topics
the ASEAN words fall into a broad topic of culture, exchange and education that holds about
half of Guangxi's tokens and 37-44% of Gansu's, and each seed cuts it a little differently
(beside 文化, its label moves between 教育, 交流, 旅游 and 丝绸之路); with one document a side, only paragraphs are resampled.
Report it that way, or test the words themselves (`bt.keyness`, notebook 03), which does not
depend on a sampler."""),
    ("md", """## Over time

Years come from each document's own date (`date_source`; see the glossary). Years are
resampled by document, so a year with one document (2013: bri06; 2018: bri02) has no
interval and 2014 has no document at all; the warning says so. At most 13 documents a year
(9 in 2016, 13 in 2017, 3 in 2015): read these lines as a description of this compendium,
not of Chinese policy."""),
    ("code", """trends = model.trends(by="year", n_boot=300, random_state=1)
ax = plot.topic_trends(trends, topics=[asean] + [t for t in range(3) if t != asean])"""),
    ("md", """## Reproducible and citable

The model records the versions (including the SIMD instruction set tomotopy used, which
changes topics for the same seed), parameters and corpus fingerprint that produced it, and
saves to a folder of JSON and numpy files with checksums (nothing is unpickled on load)."""),
    ("code", """import tempfile
folder = model.save(tempfile.mkdtemp() + f"/bri_lda{k}")
again = bt.TopicModel.load(folder)
assert again.doc_topics().equals(model.doc_topics())
model.provenance_"""),
]


NOTEBOOKS["05_similarity_and_reuse"] = [
    ("md", """# 5. Which plans are alike, and which passages travel between them

Two questions, one call each: *which provincial plans resemble each other?* (document
similarity on tf-idf vectors or topic mixtures) and *which passages did a plan take from
another one, or from the national documents?* (text reuse, found on characters so that
segmentation errors, changed numbers and punctuation do not hide a copy). Terms used here
(formulaic, reference, earlier → later) are defined in the
[glossary](../docs/GLOSSARY.md)."""),
    ("code", """import warnings
import pandas as pd
import bri_text as bt
from bri_text import plot

pd.set_option("display.max_colwidth", 70)
corpus = bt.load_bri_policies()
tokens = bt.tokenize(corpus.reshape("paragraph"))
tfidf = bt.dtm(tokens, "tfidf")
# paragraphs are summed into documents and tf-idf recomputed on the documents
sim = bt.similarity_matrix(tfidf, level="document")
sim.round(2).iloc[:5, :5]"""),
    ("md", """## Which plans are alike

The heatmap orders documents by hierarchical clustering (average linkage on
1 − cosine, optimal leaf ordering), so similar plans sit next to each other; the diagonal
(a document with itself) is grey and left out of the colour scale. Labels are the city for
a city's document (西安, 成都), else the region (国家 for national documents), then the year
and the start of the title."""),
    ("code", """clusters = bt.cluster_documents(sim, n_clusters=6)
ax = plot.similarity_heatmap(sim, clusters=clusters)"""),
    ("code", """ax = plot.dendrogram(clusters)"""),
    ("md", """Among the provincial and municipal documents alone, the most similar pairs: the two Henan
plans come first, Fujian's and Guangdong's second, and Shaanxi's 2016 action plan (as
summarised, bri27) with Xi'an's city plan (bri21) third."""),
    ("code", """import numpy as np

local = bt.dtm(tokens.subset(level=["provincial", "municipal"]), "tfidf")
local_sim = bt.similarity_matrix(local, level="document")
upper = np.triu(np.ones(local_sim.shape, dtype=bool), k=1)   # each pair once
pairs = local_sim.where(upper).stack().sort_values(ascending=False)
meta = corpus.docs.set_index("doc_id")
top = pairs.head(5).reset_index()
top.columns = ["doc_a", "doc_b", "cosine"]
top.assign(a=top.doc_a.map(meta.region), b=top.doc_b.map(meta.region),
           kind_b=top.doc_b.map(meta.kind)).round(3)"""),
    ("md", """The neighbours of one plan, with their metadata. Guangxi's plan is closest to Fujian's
(the other maritime silk road plan); then come inland Henan's implementation scheme and,
barely behind it, coastal Guangdong's, then inland Jiangxi's: the ranking follows the
shared template of the provincial implementation schemes more than the coast."""),
    ("code", """bt.most_similar(tfidf, "bri18", top_n=5, level="document")[["rank", "doc_id", "score", "region", "title"]]"""),
    ("md", """## Which passages travel

`text_reuse` finds passages shared by two documents on their characters: punctuation,
whitespace and the values of numbers are ignored, an inserted clause is bridged, and every
passage is an exact slice of `corpus.docs.text` (`start_a`/`end_a`, `start_b`/`end_b`).
Shingles that occur in many documents (set phrases, slogans) do not make two documents
look related, and a curated list of set political phrasing and agency lists
(`bri_text/lexicons/formulaic.tsv`) marks the rest of the genre's stock wording; passages
made mostly of either are kept but flagged `formulaic=True`. The `kind` column says what
a passage is: `formulaic`, `widespread` (text common to many of the compared documents),
`template` (the same sentence with other figures), `citation` (two documents citing the
same title in 《》, little else shared) or `copy`; `documents`
says in how many of the compared documents it occurs."""),
    ("code", """plans = corpus.subset(level=["provincial", "municipal"])
reuse = bt.text_reuse(plans)
print(len(reuse), "passages;", reuse["kind"].value_counts().to_dict())
reuse.sort_values("chars", ascending=False).head(6)[["doc_a", "doc_b", "chars", "similarity", "kind", "passage_b"]]"""),
    ("md", """Read the passages before interpreting the numbers. Most are formulaic: the
initiative's full name, the five connectivities, the guiding-thought sentence
(全面贯彻党的十八大…精神), the title of the *Vision and Actions*, and the list of bank
branches that closes several tasks of Jiangxi's and Hunan's plans
(国家开发银行省分行、中国进出口银行省分行…), wording two provinces write alike without one
copying the other, and a cover notice's closing line with its issuer and date (Henan's
and Hunan's, bri13 and bri25: a signature block, whoever signs it). Four passages are not
formulaic. One is a citation: Guangxi's and Fujian's sentences on the March 2015
publication of the *Vision and Actions* (bri18, bri20), the same title cited, no text
taken from each other. Three are copies, each found in two documents only: the opening of
the "significance" section shared by Jiangxi's and Henan's schemes (bri14, bri24), a goal
sentence of Jiangxi's scheme and Chengdu's plan (bri14, bri22) and a sentence on working
arrangements (bri20, bri24):"""),
    ("code", """reuse[~reuse.formulaic][["doc_a", "doc_b", "chars", "kind", "documents", "passage_b"]]"""),
    ("md", """`reuse_summary` turns the table into who-shares-what per pair of documents: the share of
each document's characters found in the other, and the order in time by each document's
own `date` (`dated_by`; the earlier one is the `source`). That is the order of issue, a
hypothesis about direction, not proof of copying. Formulaic passages and shared
citations are left out unless `formulaic=True`:"""),
    ("code", """summary = bt.reuse_summary(reuse, plans)
summary.round(4)"""),
    ("md", """Jiangxi's and Hunan's plans share only the formulaic bank list, so they are not in the
table above. With `formulaic=True` they are, and their order is `order unknown`: Jiangxi's
plan (bri14) is dated only by the year of its document number, `2015`, which does not
say whether it came before or after Hunan's work plan, signed 2015-08-19."""),
    ("code", """everything = bt.reuse_summary(reuse, plans, formulaic=True)
everything[everything["source"].isin(["bri14", "bri25"]) & everything["target"].isin(["bri14", "bri25"])]"""),
    ("md", """Xi'an's city plan and Shaanxi's provincial plan (as summarised) share nothing of 30
characters or more, but with `min_chars=20` four passages: two on culture and education
projects (the 汉风古韵 tourism zone, a Silk Road education and culture centre), one on
logistics (a multimodal transport supervision centre and a vehicle import port) and a
shared citation of the Silk Road heritage memorandum (积极落实《丝绸之路跨国申遗工作备忘录》).
In the figure the light grey bars are the two documents, drawn to their length in
characters, and each mark is a shared passage at its place in each document: the three
copies in red, the citation in blue (a template would be orange and a formulaic passage
dark grey; none of these is)."""),
    ("code", """shaanxi = bt.text_reuse(corpus.subset(region="陕西"), min_chars=20)
ax = plot.text_reuse(shaanxi, corpus)
shaanxi[["doc_a", "doc_b", "similarity", "kind", "passage_a", "passage_b"]]"""),
    ("md", """## From the national documents into the provinces (the blueprint question)

With `reference=`, passages are traced from the reference documents into each other
document, and each stretch is attributed to its most similar source; document frequency
marks nothing as stock wording there (`max_df` is 1.0 by default with `reference=`: the
passages in the most documents are the ones most taken from the reference), only the list
of set phrasing does. A national document
dated after a provincial one is never named as its source (`attrs["later_sources_skipped"]`
counts the pairs left out for that reason). In this corpus the national documents are
notices, regulations, a talent plan and an insurance guidance, not the 2015 *Vision and
Actions* blueprint itself. What is left after the dates are respected is two passages of
the national talent plan (bri08, April 2017) in Tianjin's and Henan's later plans (bri12,
bri13), a cover notice's closing line and the guiding-thought sentence, and the
initiative's full name with its abbreviation defined (丝绸之路经济带和21世纪海上丝绸之路
（以下简称“一带一路”）), which the AQSIQ announcement (bri11, June 2016) shares with Hebei's,
Guangxi's, Henan's and Guangdong's plans (bri17, bri18, bri24, bri26) and which 11 of the 27
documents hold: all formulaic. Nothing here shows a province copying a national text."""),
    ("code", """blueprint = bt.text_reuse(corpus, reference={"level": "national"})
print(blueprint.attrs["later_sources_skipped"], "national-provincial pairs skipped: the national text is later")
dates = corpus.docs.set_index("doc_id")["date"]
blueprint.assign(date_a=blueprint.doc_a.map(dates), date_b=blueprint.doc_b.map(dates))[
    ["doc_a", "date_a", "doc_b", "date_b", "chars", "kind", "passage_b"]]"""),
]


NOTEBOOKS["06_bring_your_own_documents"] = [
    ("md", """# 6. Bring your own documents: a folder, a spreadsheet, your field's terms, a report

A researcher usually starts with a folder of files saved from government websites (some as
plain text, some as HTML pages) and a spreadsheet saying which province and year each file
belongs to. This notebook builds such a folder itself (six documents of Henan, Hunan and
Shaanxi from the built-in corpus: five plans and Shaanxi's plan as summarised; Shaanxi's
two are the province's and Xi'an's, since `region` merges provincial and municipal
documents), one saved as HTML, reads it with `bt.read_folder(..., metadata=...)`, checks
what cleaning removed, runs the comparative report from Python and reads its outputs.
The second part does the same in another field: a workbook of national government work
reports, the terms of that field that the tokenizer does not know, and the report on it.
Terms used here are defined in the [glossary](../docs/GLOSSARY.md)."""),
    ("code", """import html, json, tempfile
from pathlib import Path

import pandas as pd
import bri_text as bt

pd.set_option("display.max_colwidth", 50)
builtin = bt.load_bri_policies().docs
picked = builtin[builtin["doc_id"].isin(["bri13", "bri24", "bri16", "bri25", "bri21", "bri27"])]

folder = Path(tempfile.mkdtemp()) / "my_plans"
folder.mkdir()
rows = []
for i, doc in enumerate(picked.itertuples(), start=1):
    if doc.doc_id == "bri25":          # one plan saved from a web page, as HTML
        name = f"plan{i}.html"
        body = "".join(f"<p>{html.escape(p)}</p>" for p in doc.text.split("\\n") if p.strip())
        page = (f"<html><head><title>{html.escape(doc.title)}</title></head><body>"
                f"<div class='nav'>首页 > 政策法规</div>{body}"
                "<div class='footer'>责任编辑：王某</div></body></html>")
        (folder / name).write_text(page, encoding="utf-8")
    else:                              # the text as published; its title goes in the sheet
        name = f"plan{i}.txt"
        (folder / name).write_text(doc.text, encoding="utf-8")
    rows.append({"file": name, "title": doc.title, "region": doc.region, "city": doc.city,
                 "year": doc.year})
pd.DataFrame(rows).to_csv(folder / "metadata.csv", index=False, encoding="utf-8")
sorted(p.name for p in folder.iterdir())"""),
    ("code", """pd.read_csv(folder / "metadata.csv")"""),
    ("md", """## Reading the folder

`read_folder` reads every `.txt` / `.md` / `.html` (and `.docx` / `.pdf` with the extras),
detects each file's encoding, turns HTML into text, cleans it, and joins the metadata
sheet on its `file` column (the metadata file itself is a `.csv`, so it is not read as a
document)."""),
    ("code", """corpus = bt.read_folder(folder, metadata=folder / "metadata.csv")
corpus.metadata[["doc_id", "file", "region", "city", "year", "title"]]"""),
    ("md", """What cleaning removed, per document (`corpus.cleaning_report`): check it before trusting
any count. The HTML page lost its markup, navigation and editor's line; the plans that are
official documents lost their apparatus, the line naming the organs they are addressed to
and the issuing organ and date under them (read first as metadata; each removed line is in
`corpus.removed`, and `read_folder(..., keep_apparatus=True)` keeps them)."""),
    ("code", """cleaning = corpus.cleaning_report
cleaning.groupby("doc_id")[["chars_removed"]].sum()"""),
    ("code", """cleaning[(cleaning["doc_id"] == "plan5") & (cleaning["chars_removed"] > 0)][
    ["step", "chars_before", "chars_after", "chars_removed"]]"""),
    ("md", """## The comparative report, from Python

The same function as `python -m bri_text report --corpus my_plans/ --metadata
my_plans/metadata.csv --compare 河南 陕西`. With two documents per province there are no
between-document intervals: with two documents no resampling method reaches its nominal
coverage, so the tables say so (`interval` "none: two documents") instead of printing a
range, and the page says it beside the number. Notebook 3 gives Henan's orientation shares
within-document intervals (paragraphs of the plans resampled), which answer a different
question: how much the figure depends on which paragraphs its texts have; see the
[glossary](../docs/GLOSSARY.md)."""),
    ("code", """from bri_text.report import report

out = folder.parent / "report"
result = report(["河南", "陕西"], corpus=corpus, out=out, n_topics=4, random_state=1,
                progress=False)
result"""),
    ("code", """result.sections"""),
    ("md", """Every table is a CSV (UTF-8) in `report/tables/` and also in `result.tables`; every
figure a PNG and an SVG in `report/figures/`; `index.html` is one self-contained page you
can e-mail or archive with the paper."""),
    ("code", """sorted(p.name for p in (out / "tables").iterdir())"""),
    ("code", """key = pd.read_csv(out / "tables" / "keyness_河南_vs_陕西.csv", encoding="utf-8")
key.head(10)"""),
    ("md", """The evidence for each key term: its occurrences in context, read from the documents'
texts. The files hold the texts as published and the titles are in the metadata sheet, so
no title is written above a text that already contains it, and every row is a place
where a document itself uses the term."""),
    ("code", """pd.read_csv(out / "tables" / "kwic.csv", encoding="utf-8").head(6)"""),
    ("code", """orient = result.tables["orientation"]
orient.groupby("group").head(2)[["group", "world_region", "share", "ci_low", "ci_high", "n_mentions"]]"""),
    ("md", """The manifest records what produced these numbers: versions, parameters, the seed and a
fingerprint of the documents (the same fingerprint means the same texts)."""),
    ("code", """manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
{k: manifest[k] for k in ("bri_text", "seed", "corpus", "parameters")}"""),
    ("code", """from IPython.display import SVG
SVG(filename=str(out / "figures" / "orientation.svg"))"""),
    ("md", """## Another field: a spreadsheet of national work reports

Nothing above is particular to the Belt and Road. A researcher of economic policy keeps the
government work reports of two premiers in a workbook, one sheet per premier and one row
per report, with the columns as exported from a database (`No.`, `Release Time`,
`Title`, `Content`). The notebook writes such a workbook from the built-in reports of
2004-2022 and reads it back: every sheet into one corpus, the sheet's name in `sheet`, the
date column recognised by its name and turned into `date` and `year`."""),
    ("code", """wr = bt.load_work_reports().docs
wr = wr[wr["year"].between(2004, 2022) & wr["speaker"].isin(["温家宝", "李克强"])]
book = folder.parent / "work_reports.xlsx"
with pd.ExcelWriter(book) as sheets:
    for premier, rows in wr.groupby("speaker", sort=False):
        pd.DataFrame({"No.": range(1, len(rows) + 1),
                      "Release Time": [f"{y}年3月5日" for y in rows["year"]],
                      "Title": rows["title"], "Content": rows["text"]}
                     ).to_excel(sheets, sheet_name=premier, index=False)
reports = bt.read_excel(book, text="Content")
reports.docs[["doc_id", "sheet", "No.", "Release Time", "date", "year"]].head()"""),
    ("md", """### The terms of this field

The tokenizer knows general Chinese and the Belt and Road lexicon, not every term of
economic policy. `discover_terms` lists the strings of this corpus that are frequent, hold
together and stand free, but that the tokenizer cuts (`split` shows how). Read the list
before you use it: drop what is not a term, keep the rest."""),
    ("code", """found = bt.discover_terms(reports, top_n=300)
found[["term", "count", "n_docs", "split", "example"]].head(15)"""),
    ("md", """A term you name is counted wherever it occurs, even where the tokenizer cut it: the
`split` column says how many of its mentions were cut, and a warning says how to keep
it whole for the analyses that work on tokens. The four named here are all in the
package's policy lexicon by now, so none is cut (`split` 0), no warning appears, and the
second table, with them as `user_dict`, gives the same counts; a term the lexicon lacks
(one of `found` above) would show its cut mentions there."""),
    ("code", """tokens_wr = bt.tokenize(reports.reshape("paragraph"))
named = ["大数据", "互联网+", "供给侧结构性改革", "新型城镇化"]
bt.frequencies(tokens_wr, by="sheet", terms=named)"""),
    ("code", """whole = bt.tokenize(reports.reshape("paragraph"),
                    tokenizer=bt.Tokenizer(user_dict=set(found["term"]) | set(named)))
bt.frequencies(whole, by="sheet", terms=named)[["term", "group", "count", "split"]]"""),
    ("md", """### The report on this corpus

The same one-command report, on the two premiers' sheets. It chooses its sections by the
corpus: a Belt and Road dictionary is left out where it covers too little of the text (here
the gazetteer of places abroad) or where fewer than half of the compared documents name the
Belt and Road (here the five connectivities: 8 of the 18 reports do; the page says why), the
test for key terms is chosen by the number of documents per
group (both groups have at least five reports here, so a document-level test), and stock
phrases found in most reports are marked formulaic, judged over the whole corpus."""),
    ("code", """out_wr = folder.parent / "report_work_reports"
result_wr = report(["温家宝", "李克强"], corpus=reports, by="sheet", out=out_wr, n_topics=6,
                   random_state=1, progress=False)
result_wr.sections"""),
]


NOTEBOOKS["07_seventy_years"] = [
    ("md", """# 7. Seventy years of government work reports

The reports on the work of the government (政府工作报告) delivered to the National People's
Congress, 1954-2025: 52 reports, one a year where the source has it (no report for 1961-63,
1965-74, 1976-77, 1989-91, 1996 and 2020). This notebook asks four questions of them:
which topics rise and fall, what the era and the speaker explain, when the outward turn and
the Belt and Road enter the national agenda, and how the 2015-2018 provincial Belt and Road
plans of the built-in corpus sit against the national reports of the same years. The
bootstrap, unit resampling and within-document intervals used below are defined in the
[glossary](../docs/GLOSSARY.md)."""),
    ("code", """import warnings
import numpy as np
import pandas as pd
import bri_text as bt
from bri_text import plot

reports = bt.load_work_reports()
reports.docs[["doc_id", "year", "congress", "session", "speaker"]].head()"""),
    ("md", """## A topic model of the paragraphs

Ten topics, fitted on the reports' paragraphs (500 Gibbs sweeps keep this notebook fast;
the default is 1000). A few paragraphs hold only terms too rare to enter the model; they
are left out with a warning and listed in `model.dropped_units_`, so that warning is
silenced here and the count printed instead."""),
    ("code", """tokens = bt.tokenize(reports)
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="TopicModel.fit: .* no tokens", category=UserWarning)
    model = bt.TopicModel(10, random_state=1, iterations=500).fit(tokens)
print(model)
print(len(model.dropped_units_), "paragraphs without vocabulary left out")
model.topics(top_n=8).pivot(index="topic", columns="rank", values="term").assign(
    label=model.label_topics())"""),
    ("md", """## Which topics rise and fall

`effects("~ bs(year, df=5)")` regresses each report's topic shares on a smooth function of
the year (a B-spline with 5 degrees of freedom), with 95% intervals that combine the
uncertainty of the shares themselves and a (Bayesian) bootstrap over the reports
(`docs/STATISTICS.md`, "Topic effects"). The topics are picked by their content
(`find_topic`), not by their number, which changes with the seed."""),
    ("code", """production = model.find_topic(["万吨", "产量", "总产值"], top_n=200)
struggle = model.find_topic(["资产阶级", "四人帮", "阶级斗争"], top_n=200)
innovation = model.find_topic(["研发", "创新", "服务业"], top_n=200)
era = model.effects("~ bs(year, df=5)", n_boot=200, random_state=1)
grid = era.predict(year=[1954, 1964, 1978, 1992, 2008, 2025])
table = grid.pivot(index=["topic", "label"], columns="year", values="prevalence")
for name, t in [("production", production), ("struggle", struggle), ("innovation", innovation)]:
    row = table.xs(t, level="topic").iloc[0]
    print(f"{name:>10} (topic {t}): 1954 {row[1954]:.2f}, peak {row.idxmax()} "
          f"{row.max():.2f}, 2025 {row[2025]:.2f}")
table.round(2)"""),
    ("code", """ax = plot.effects(era, "year", topics=[production, struggle, innovation])"""),
    ("md", """**How to read it.** Each line is the predicted share of a report's tokens in a topic,
the band its 95% interval, and the dots are the reports' own shares. The model is a
fractional logit in the spline, so predictions and bands stay between 0 and 1. There are no reports for
1965-1974 (only 1964 and 1975 around it): the curve across that decade is the spline
joining its neighbours, not data, and the plot shades it grey, as every year without a
report. Which words a topic gathers, and so its label, changes
with the seed and with any change to the texts; the three topics here are found by their
words, and the printed line gives their figures in this fit.

**What it shows.** The topic of production statistics (the one holding 万吨, 产量, 总产值)
is one of the two largest in 1954 (beside a topic of economic management and waste,
labelled 浪费·错误·必要 in this fit;
which of the two leads depends on the seed), with a wide band (the reports of the 1950s
differ a lot), and near nothing from 2008. The topic that holds the words of class
struggle (资产阶级, 四人帮, 阶级斗争; the struggle topic below) peaks in the 1960s and 1970s
and falls through the 1980s and 1990s. In this fit it also holds the reports' words on
peace and foreign relations (和平, 各国, 世界; hence its label); the fit with the settings
for long reports further down gives class struggle a topic of its own (四人帮·毛主席·资产阶级). The topic of development and innovation
(研发, 创新) rises from almost nothing in the 1950s to the largest topic of the latest
reports. `fit` warns that this topic is mostly stock words of government documents (in this fit also a topic of livelihood and social security, 就业·保障·农民工), and
its label ends in "(stock words)": its most probable words are the verbs of the recent
reports' style (加快, 推进, 实施, 加强, 促进, 推动), so part of its rise is the rise of that
style; its own words (升级, 生态, 研发, 创新) are what make it the innovation topic."""),
    ("md", """## What the speaker explains beyond the era

Five reports were not delivered by the premier but by a vice-premier or minister
presenting the plan, the budget or the agricultural programme (1955, 1956, 1958, 1960,
1980). Does that change what a report talks about, once the era is held fixed? The
covariate table comes from the metadata; `effects` merges it on `doc_id`."""),
    ("code", """premiers = {"周恩来", "华国锋", "赵紫阳", "李鹏", "朱镕基", "温家宝", "李克强", "李强"}
role = reports.docs[["doc_id", "speaker"]].assign(
    delivered_by=np.where(reports.docs["speaker"].isin(premiers), "premier", "minister"))
print(role.loc[role["delivered_by"] == "minister", "speaker"].tolist())
by_role = model.effects("~ delivered_by + bs(year, df=5)", data=role[["doc_id", "delivered_by"]],
                        n_boot=200, random_state=1)
coef = by_role.coefficients
rows = coef["term"].str.startswith("delivered_by")
coef.loc[rows, ["topic", "label", "estimate", "ci_low", "ci_high"]].round(3)"""),
    ("md", """**How to read it.** The reference level is `minister`: each row is how much more (or
less) of a topic a premier's report has than a minister's report of the same year, as an
average over all 52 reports of the difference in share (the fractional logit's average
marginal effect), with its 95% interval.

**What it shows.** A premier's report has less of the production topic and more of the
struggle topic (in this fit also the topic of peace and foreign relations, 和平, 世界) than
a minister's report of the same era, both intervals excluding zero; three other topics'
intervals exclude zero as well (the table gives them: more administration and education
in a premier's report, less of the innovation topic). The agriculture
topic (农业, 粮食; one of the five presented the agricultural programme) leans towards the
ministers, but its interval includes zero: with five minister reports `effects` gives the
minister level a t interval on its own four degrees of freedom, and warns so. The five minister reports all date from 1955-1980 and all present the plan, the
budget or the agricultural programme, so "who delivered it" here cannot be told apart from
"what the report was for"."""),
    ("md", """Each speaker's reports (`"~ speaker"`), for the three topics above. A speaker with one
or two reports gets no interval, and one with few reports a wider t interval, and
`effects` warns which ones; that warning is expected here (five of the thirteen speakers
delivered a single report and two, 华国锋 and 李强, two), so it is caught and shown in
short."""),
    ("code", """names = reports.docs[["doc_id", "speaker"]]
order = reports.docs.groupby("speaker")["year"].min().sort_values()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", UserWarning)
    by_speaker = model.effects("~ speaker", data=names, n_boot=200, random_state=1)
print(len(caught), "warning:", str(caught[0].message)[:100], "...")
ax = plot.effects(by_speaker, "speaker", topics=[production, struggle, innovation],
                  values=order.index.tolist())
ax.tick_params(axis="x", labelrotation=60)"""),
    ("md", """**How to read it.** One point per speaker with its 95% interval, speakers in the order
they first delivered a report; the small dots are the reports. Here the speaker is almost
the era (each premier's reports are consecutive years), so this figure describes periods
as much as persons: the spline model above is the one that separates time from who
spoke.

**What it shows.** The production topic is highest in a minister's report of the 1950s;
the struggle topic is highest under 周恩来 and 华国锋; the innovation topic is
highest under 李强, the latest premier."""),
    ("md", """## When the outward turn and the Belt and Road enter the agenda

`term_trends` counts each term per 10,000 tokens per year. There is one report a year, so
the intervals are within-document (`resample="unit"` over the paragraphs of the year's
report): how much the rate depends on which paragraphs the report has. Years without a
report are grey gaps in the plot, not lines drawn across."""),
    ("code", """paragraphs = bt.tokenize(reports.reshape("paragraph"))
terms = ["对外开放", "改革开放", "丝绸之路经济带", "一带一路"]
tt = bt.term_trends(paragraphs, terms=terms, n_boot=200, random_state=1, resample="unit")
tt.groupby("term", sort=False)["first_seen"].first()"""),
    ("code", """ax = plot.term_trends(tt)"""),
    ("code", """recent_counts = tt[(tt["group"] >= 2013) & (tt["n_docs"] > 0)]   # 2020: no report
recent_counts.pivot(index="group", columns="term", values="count")[terms]"""),
    ("md", """**How to read it.** One line per term, mentions per 10,000 tokens of the year's
report; grey bands are years without a report; the coloured band is the within-document interval
(wide where a term is concentrated in a few paragraphs). The legend gives each term's first
year.

**What it shows.** 对外开放 (opening to the outside world) enters in 1981 and rises to about
18 per 10,000 tokens in 1987 (a rate it reaches again only in 1998); the report of 1979,
the year after the Third Plenum, uses neither term. 改革开放 (reform and opening) enters in 1988 and is at its highest in 1992
(about 52 per 10,000 tokens), and from 1997 stays between about 5 and 19. The Belt and Road
enters as 丝绸之路经济带 in 2014 and 2015 (two mentions each); 一带一路 appears in 2015
(once) and in every report from 2016 (three to six mentions a year), while
丝绸之路经济带 is not used again."""),
    ("md", """## What a term keeps company with

A count per year is one line even when the word's meaning changed. `term_company` lists,
per decade, the words within five tokens of a term's mentions (those `term_trends`
counts) that are more frequent there than elsewhere in the same decade's reports (G2
against the decade's own frequencies, each word from at least two reports), and how much
that company changed since the previous decade with any (`jaccard` of the ten top words:
1 the same, 0 none shared)."""),
    ("code", """company = bt.term_company(tokens, "市场", by="decade")
print(company.attrs["periods"][["group", "mentions", "n_words", "previous", "jaccard"]]
      .round(2).to_string(index=False))
company.pivot(index="rank", columns="group", values="word")[[1950, 1990, 2010]]"""),
    ("md", """**What it shows.** 市场 keeps company with 稳定, 物价 and 商业部门 in the 1950s
reports (keeping the market's prices stable), with 建立, 开拓 and 竞争能力 in the 1990s
(building the market economy, opening markets) and with 房地产, 调控 and 活力 in the
2010s, and the 1960s and 1970s mention it too rarely (once, and five times) for any word
to count as its company."""),
    ("md", """## Is the fall a trend? A test over the reports

A rate per year is one report's, so a line that falls may be a few reports that happen to
say less. `trend_test` asks whether a term rises or falls across the reports with each
report one unit: a Mann-Kendall test (Kendall's tau between year and rate, the p-value
from permuting the reports), a Theil-Sen slope with its interval, and the year where the
series changes most (Pettitt). A concept gathers its variants: 改革开放 is also written
改革和开放 and 改革、开放, and the Belt and Road entered as 丝绸之路经济带. Consecutive reports
repeat each other's wording, which makes a test of independent reports too eager
(`benchmarks/TRENDS.md`); `block=5` permutes runs of five consecutive reports instead, the
cautious reading. The variants with 和 or 、 are split by the tokenizer and counted from the
text, which the warning says; it is silenced here."""),
    ("code", """concepts = {"改革开放": ["改革开放", "改革和开放", "改革、开放"], "对外开放": ["对外开放"],
            "一带一路": ["一带一路", "丝绸之路经济带"]}
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="trend_test: .* split by the tokenizer")
    tests = pd.concat([bt.trend_test(paragraphs, concepts, span=(1992, 2025), block=b,
                                     random_state=1).assign(block=b) for b in (1, 5)])
tests[["term", "block", "n_docs", "tau", "p_value", "slope", "trend", "change_year",
       "change_p", "before", "after"]].round(3)"""),
    ("md", """**How to read it.** One row per concept and block size, over the 32 reports of
1992-2025: `tau` is negative for a fall, `slope` the median change per 10,000 tokens a
year, `change_year` the first year after the break, `before` and `after` the mean rates of
the reports on either side of it (each report weighs the same).

**What it shows.** Since 1992 改革开放 (with its variants) and 对外开放 fall across the reports
(tau about -0.49 and -0.44) and the Belt and Road rises from 2014, all three with p below
0.05 under both permutations. 改革开放's largest break is 2013 (about 17 mentions per
10,000 tokens before, about 9 after), 对外开放's 2007 (about 11 before, about 5 after).
With blocks of five reports the breaks of 对外开放 and the Belt and Road hold (p below
0.05), but 改革开放's 2013 break does not (p about 0.12): its fall is steady rather than
one step."""),
    ("md", """## Provincial plans against the national reports of the same years

The ten provincial Belt and Road plans of the built-in corpus (2015-2017) and the work
reports of 2015-2018, compared on tf-idf vectors (cosine similarity; tf-idf computed
over these 14 texts)."""),
    ("code", """policies = bt.load_bri_policies()
plans = policies.docs[(policies.docs["level"] == "provincial") & (policies.docs["kind"] == "plan")]
recent = reports.subset(year=[2015, 2016, 2017, 2018]).docs
both = bt.Corpus.from_dataframe(pd.concat(
    [plans[["doc_id", "year", "region", "text"]],
     recent[["doc_id", "year", "text"]].assign(region="national")], ignore_index=True))
sim = bt.similarity_matrix(bt.dtm(bt.tokenize(both), "tfidf"))
plan_ids, report_ids = plans["doc_id"].tolist(), recent["doc_id"].tolist()
table = sim.loc[plan_ids, report_ids]
table.index = [f"{d} {r} {y}" for d, r, y in zip(plan_ids, plans["region"], plans["year"])]
table.assign(closest_plan=[sim.loc[d, plan_ids].drop(d).max() for d in plan_ids]).round(3)"""),
    ("code", """sim.loc[report_ids, report_ids].round(3)"""),
    ("md", """**How to read it.** Cosine similarity of tf-idf vectors: 1 for the same distribution
of terms, 0 for no term in common; `closest_plan` is each plan's highest similarity to
another provincial plan.

**What it shows.** Each provincial plan is about equally close to the four national
reports (similarities 0.13-0.32; for each plan they differ by at most 0.04): a plan does
not echo the report of its own year more than the others. Every plan is closer to another
provincial plan (0.39-0.60) than to any report, and the four reports are close to one
another (0.80-0.86): the plans share a vocabulary of their own. Hunan's 2015 plan (bri25)
is the farthest from the reports (0.13-0.14)."""),
    ("md", """The same comparison in topics: the shares of the work-report topics in the plans
(`transform` infers them with the model fitted above), against the 2015-2018 reports."""),
    ("code", """plan_tokens = bt.tokenize(bt.Corpus.from_dataframe(plans))
k = list(range(model.n_topics))
with warnings.catch_warnings():
    # paragraphs with no term of the model's vocabulary (headings, dates) get NaN shares
    warnings.filterwarnings("ignore", message="transform: .* no term", category=UserWarning)
    shares = model.transform(plan_tokens)
print(int(shares[0].isna().sum()), "of", len(shares),
      "plan paragraphs without a model term left out")
shares = shares.dropna(subset=k)
per_plan = shares[k].mul(shares["n_tokens"], axis=0).groupby(shares["parent_id"]).sum()
per_plan = per_plan.div(per_plan.sum(axis=1), axis=0)        # token-weighted, per plan
per_report = model.doc_topics(level="document").set_index("doc_id").loc[report_ids, k]
compared = pd.DataFrame({"label": model.label_topics(), "plans": per_plan.mean(),
                         "reports_2015_2018": per_report.mean()})
money = model.find_topic(["货币政策", "财政赤字", "稳健"], top_n=200)
print(f"innovation topic: plans {compared.loc[innovation, 'plans']:.2f}, reports "
      f"{compared.loc[innovation, 'reports_2015_2018']:.2f}; monetary and fiscal policy: "
      f"plans {compared.loc[money, 'plans']:.2f}, reports "
      f"{compared.loc[money, 'reports_2015_2018']:.2f}")
compared.round(3)"""),
    ("md", """**How to read it.** Mean topic shares of the ten plans (each plan token-weighted over
its paragraphs) beside the mean shares of the 2015-2018 reports, in the topics of the
work-report model; `transform` reads the plans with the reports' vocabulary (the very
common terms the model leaves out, 发展 and 建设, placed in the fitted topics, as in
`doc_topics`).

**What it shows.** The plans put the largest part of their tokens into the development
and innovation topic, more than the reports of the same years do, and little into what
else fills a national report, such as monetary and fiscal policy (the printed line gives
both figures in this fit)."""),
    ("md", """## Terms that are everywhere, and a setting for long reports

The default model already leaves out the terms found in more than 30% of the paragraphs
(here 发展 and 建设; `model.provenance_["widespread_terms"]` lists them with their shares).
Still, in the table of top terms at the start, 加强 is among the eight most probable terms
of six topics and 经济 of three: dozens of terms are in more than a tenth of the reports'
paragraphs, so they sit high in several topics and say little about any; coherence (NPMI)
does not reward them either. `max_df=0.1` leaves out of the model the terms found in more
than 10% of the paragraphs, and `eta=0.1` (a smoother topic-term prior) keeps the fit as
stable across seeds. This is the setting `benchmarks/TOPICS.md` recommends for long
reports; it is not the default because in the Belt and Road plans the terms that common
(一带一路, 合作) are the subject."""),
    ("code", """from collections import Counter

paragraph_tokens = [t for t in tokens.reshape("paragraph").tokens if len(t)]
in_paragraphs = pd.Series(Counter(w for t in paragraph_tokens for w in set(t)))
in_paragraphs = in_paragraphs / len(paragraph_tokens)
print(in_paragraphs.nlargest(5).round(2).to_dict())
print((in_paragraphs > 0.1).sum(), "terms are in more than 10% of the paragraphs")
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="TopicModel.fit: .* no tokens", category=UserWarning)
    long_model = bt.TopicModel(10, random_state=1, iterations=500, max_df=0.1,
                               eta=0.1).fit(tokens)
print(f"NPMI of the ten topics: default {model.coherence():.3f}, "
      f"max_df=0.1 and eta=0.1 {long_model.coherence():.3f}")
long_model.topics(top_n=8).pivot(index="topic", columns="rank", values="term").assign(
    label=long_model.label_topics())"""),
    ("md", """**How to read it.** The first lines give the share of paragraphs each of the most common
terms is in, then the coherence of both models (mean NPMI of each topic's ten most probable
terms in a 10-token window: higher means the terms occur together more often than chance);
the table is the new model's eight most probable terms per topic and its FREX label.

**What it shows.** 发展 is in almost half of the paragraphs and dozens of terms are in more
than 10%. Without them the most probable terms are the topics' own words rather than
加强, and the topics are more coherent in this fit (the printed NPMI; at 500 sweeps
higher on each of seeds 1-4, 0.064-0.088 against the default's 0.054-0.062, and at 1000
sweeps in the work reports' benchmark, `benchmarks/TOPICS.md`). The
sections above keep the default model: its findings are the ones the tests check across
seeds. The topics of this model are cut differently (which topic gathers innovation, for
example), so its findings would have to be read anew, not carried over."""),
]

def _cells_from_files() -> None:
    """Notebooks whose cells live in a file of their own, ``scripts/notebook_cells/NAME.py``
    (a list ``CELLS`` of ("md" | "code", source) pairs, as above)."""
    import importlib.util

    for path in sorted((ROOT / "scripts" / "notebook_cells").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"cells_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        NOTEBOOKS[path.stem] = module.CELLS


_cells_from_files()


def build(run: bool, only=()) -> list[Path]:
    NB_DIR.mkdir(exist_ok=True)
    written = []
    for name, cells in NOTEBOOKS.items():
        if only and name not in only:
            continue
        nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src)
                                 for kind, src in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        path = NB_DIR / f"{name}.ipynb"
        if run:
            import os

            from nbclient import NotebookClient

            # the kernel imports the bri_text of this checkout
            os.environ["PYTHONPATH"] = os.pathsep.join(
                [str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p])

            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(NB_DIR)}}).execute()
        nbformat.write(nb, path)
        written.append(path)
        print("wrote", path.relative_to(ROOT))
    return written


if __name__ == "__main__":
    # python scripts/make_notebooks.py [--no-run] [name ...]   (names: only those notebooks)
    build(run="--no-run" not in sys.argv, only=[a for a in sys.argv[1:] if a != "--no-run"])
