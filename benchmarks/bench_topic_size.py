"""How wide are topic prevalence intervals for a compared group with few tokens a topic?
The measurement behind the report's rule MIN_TOPIC_TOKENS (bri_text/report/_rules.py).

    python benchmarks/bench_topic_size.py        # ~2 minutes; results in benchmarks/TOPICS.md

For the audit corpus (tests/data/orientation_regions: 15 short provincial documents, by
province) and the built-in plans (by region and by level), fitted as the report fits them
(its tokens, TopicModel(K, random_state=1, iterations=300)) at K = 8 and 4: each group's
tokens of the model's vocabulary (n_tokens), per topic, and the mean and largest width of
its prevalence intervals (n_boot=200; two-stage where a group has 3 or more documents, and
unit, within-document).
"""
import warnings

warnings.simplefilter("ignore")

import pandas as pd

import bri_text as bt

tok = bt.Tokenizer(stopwords=("general", "policy"), min_length=2)
rows = []
def run(name, corpus, by, K):
    t = bt.tokenize(corpus.reshape("paragraph"), tokenizer=tok)
    m = bt.TopicModel(K, random_state=1, iterations=300).fit(t)
    for resample in ("two-stage", "unit"):
        p = m.prevalence(by=by, n_boot=200, random_state=1, resample=resample)
        for g, part in p.groupby("group"):
            w = (part["ci_high"] - part["ci_low"])
            if w.isna().all():
                continue
            rows.append({"corpus": name, "K": K, "by": by, "resample": resample, "group": g,
                         "n_docs": int(part["n_docs"].iloc[0]),
                         "n_tokens": int(part["n_tokens"].iloc[0]),
                         "per_topic": part["n_tokens"].iloc[0] / K,
                         "mean_width": w.mean(), "max_width": w.max()})
F = "tests/data/orientation_regions"
own = bt.read_folder(F, pattern="*.txt", metadata=F + "/metadata.csv")
plans = bt.load_bri_policies()
for K in (8, 4):
    run("orientation_regions", own, "province", K)
    run("bri_policies", plans, "region", K)
    run("bri_policies", plans, "level", K)
df = pd.DataFrame(rows).sort_values("per_topic")
pd.set_option("display.width", 200)
print(df.round(3).to_string(index=False))
df.to_csv("topic_size.csv", index=False)
