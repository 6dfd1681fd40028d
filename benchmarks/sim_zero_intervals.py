"""Coverage of the intervals of a figure observed as 0: term_trends' and
instrument_shares' [0, Clopper-Pearson upper bound for 0 of n] (bri_text._stats.zero_upper)
beside the [0, 0] the bootstrap gave before (docs/STATISTICS.md, "Zero counts").

A. term_trends, one report tokenized by paragraph, ``resample="unit"`` (within-document,
   as notebook 07 draws the work reports): the paragraphs of the 2019 report (their real
   token counts); paragraph p mentions the term Poisson(m x T_p / T x G_p) times, m the
   report's expected number of mentions, G_p its paragraphs' emphasis (Gamma, shape k, mean
   1: k = inf none, 1, 0.3, 0.1 strong clustering). The truth is the expected rate m / T x 10^4.
   Non-zero counts: the percentile bootstrap over paragraphs (n_boot 500); zero counts: the
   new [0, upper] with n = tokens, vs [0, 0].
B. instrument_shares, a group of D documents with 10-40 clauses each; a document uses the
   code with probability p_d, and then a quarter of its clauses carry it (else other
   codes): the group's clause share is p_d / 4. Intervals by bt.instrument_shares
   (two-stage, n_boot 200); zero rows: the shipped bound (n = documents) and, for
   comparison, n = clauses (clauses as if independent) and [0, 0].

C. the shares of compare's grouped tables (bt.orientation, bt.profile(normalize="share"),
   through compare.grouped_counts, two-stage, n_boot 200): a group of D documents with
   5-15 paragraphs and M_d place mentions each (Poisson, mean 25: "equal" sizes; Gamma
   shape 1, mean 25: "varied", a coefficient of variation of 1); a document names region R
   with probability p_d, and then 30% of its mentions are of R (clustered), so the
   group's share of R is 0.3 p_d. Zero rows: the shipped bound (n = documents with a
   mention) beside n = mentions (mentions as if independent) and [0, 0]; the last column
   is the coverage of the rows with 1-5 mentions of R, the bootstrap's own interval ->
   with the Korn-Graubard Clopper-Pearson floor (_stats.small_share_intervals; one group
   per table here, so the table's design effect is the group's own), and the width of the
   rows with 6-20 mentions after / before the floor (mean ratio, share of rows widened;
   over 20 the floor is not applied, _stats.SMALL_SHARE_MAX). Session 42 raised the upper
   end of a share seen 1-20 times to at least the group's zero bound (a share seen once no
   better known than one never seen); the last two columns compare it with session 41's
   floor (Korn-Graubard alone, recomputed from res["boot_low"/"boot_high"/"deff"]):
   coverage of the rows with 1-5 and 6-20 mentions, s41 -> now, and the mean width of
   those rows now / s41.

    python benchmarks/sim_zero_intervals.py [reps] [parts]   # 400, ABC: about 6 min
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd

import bri_text as bt
from bri_text import _stats


def paragraphs_2019():
    r = bt.load_work_reports().subset(year=[2019])
    tok = bt.tokenize(r.reshape("paragraph"), progress=False)
    m = bt.dtm(tok)
    t = np.asarray(m.counts.sum(axis=1)).ravel().astype(float)
    return t[t > 0]


def part_a(reps, rng, tokens):
    T = tokens.sum()
    print(f"\nA. term_trends within one report: {len(tokens)} paragraphs, {T:.0f} tokens; "
          f"zero upper = {_stats.zero_upper(T) * T:.2f} mentions")
    print("| expected mentions | paragraph emphasis k | P(count 0) | coverage [0, 0] "
          "(before) | coverage [0, upper] (now) | zero rows covered |")
    print("| --- | --- | --- | --- | --- | --- |")
    docs = np.zeros(len(tokens))
    for k in (None, 1.0, 0.3, 0.1):
        for m in (0.5, 1, 2, 4, 6, 8):
            truth = m / T * 1e4
            zero = old = new = zero_cov = 0
            for _ in range(reps):
                g = np.ones(len(tokens)) if k is None else rng.gamma(k, 1 / k, len(tokens))
                c = rng.poisson(m * tokens / T * g).astype(float)
                est = np.array([c.sum() / T * 1e4])
                iv = _stats.Intervals("unit", 500, 0.95, rng)
                lo, hi, _, _ = iv.group("r", c[:, None] * 1e4, tokens, docs, est)
                hit_old = lo[0] <= truth <= hi[0]
                lo, hi, _ = _stats.zero_intervals(est * T / 1e4, lo, hi, T, 0.95, 1e4)
                hit_new = lo[0] <= truth <= hi[0]
                old += hit_old
                new += hit_new
                if c.sum() == 0:
                    zero += 1
                    zero_cov += hit_new
            print(f"| {m} | {'inf' if k is None else k} | {zero / reps:.3f} | {old / reps:.3f} | "
                  f"{new / reps:.3f} | {zero_cov}/{zero} |", flush=True)


def group(rng, D, p_d):
    rows = []
    for d in range(D):
        n = rng.integers(10, 41)
        use = rng.random() < p_d
        codes = np.where(rng.random(n) < 0.5, "D_trade", "E_tax")
        if use:
            codes = np.where(rng.random(n) < 0.25, "S_talent", codes)
        rows += [(f"d{d}#c{k}", f"d{d}", "g", c) for k, c in enumerate(codes)]
    return pd.DataFrame(rows, columns=["doc_id", "parent_id", "grp", "code"])


def part_b(reps, rng):
    print("\nB. instrument_shares, two-stage, a code used by a share p_d of documents "
          "(a quarter of their clauses): clause share p_d / 4")
    print("| documents D | p_d | P(count 0) | coverage [0, 0] (before) | coverage, zero "
          "bound n = documents (now) | zero bound n = clauses | mean upper (now / "
          "clauses) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for D in (4, 7, 13, 30):
        for p_d in (0.02, 0.05, 0.1, 0.2):
            truth = p_d / 4
            zero = old = new = alt = 0
            up_new, up_alt = [], []
            for _ in range(reps):
                df = group(rng, D, p_d)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t = bt.instrument_shares(df, by="grp", n_boot=200,
                                             random_state=int(rng.integers(2 ** 31)))
                row = t.set_index("code").reindex(["S_talent"]).iloc[0]
                if pd.isna(row["count"]) or row["count"] == 0:
                    zero += 1
                    n_units = int(t["n_units"].iloc[0])
                    hi_alt = float(_stats.zero_upper(n_units))
                    hi_new = float(_stats.zero_upper(D))
                    new += truth <= hi_new
                    alt += truth <= hi_alt
                    up_new.append(hi_new)
                    up_alt.append(hi_alt)
                    continue
                hit = row["ci_low"] <= truth <= row["ci_high"]
                old += hit
                new += hit
                alt += hit
            print(f"| {D} | {p_d} | {zero / reps:.3f} | {old / reps:.3f} | {new / reps:.3f} | "
                  f"{alt / reps:.3f} | {np.mean(up_new) if up_new else float('nan'):.3f} / "
                  f"{np.mean(up_alt) if up_alt else float('nan'):.3f} |", flush=True)


def mention_group(rng, D, p_d, sizes, f):
    """(counts: paragraphs x [R, other], paragraph docs frame) of one simulated group."""
    rows, counts = [], []
    for d in range(D):
        P = int(rng.integers(5, 16))
        M = 1 + (rng.poisson(24) if sizes == "equal" else rng.poisson(rng.gamma(1.0, 24)))
        r = rng.binomial(M, f) if rng.random() < p_d else 0
        par = rng.integers(0, P, M)                 # each mention's paragraph
        is_r = np.zeros(M, dtype=bool)
        is_r[rng.choice(M, r, replace=False)] = True
        for k in range(P):
            counts.append((int((is_r & (par == k)).sum()), int((~is_r & (par == k)).sum())))
            rows.append((f"d{d}#p{k}", f"d{d}", "g"))
    return (np.array(counts, dtype=np.int64),
            pd.DataFrame(rows, columns=["doc_id", "parent_id", "grp"]))


def part_c(reps, rng):
    from bri_text.compare import grouped_counts

    print("\nC. grouped shares (orientation / profile share), two-stage: D documents, a "
          "share p_d of them name R, each with a share f of its mentions: share of R = "
          "f p_d")
    print("| mention counts | f | documents D | p_d | share of R | P(count 0) | coverage "
          "[0, 0] (before) | coverage, zero bound n = documents (now) | zero bound n = "
          "mentions | mean upper (now / mentions) | coverage with 1-5 mentions: bootstrap -> "
          "floor (rows) | 6-20 mentions: width ratio, share widened | coverage 1-5 / 6-20 "
          "mentions, s41 floor -> now | width now / s41, 1-5 / 6-20 mentions |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | "
          "--- |")
    for sizes, f, D, p_d in ((s, f, D, p) for s in ("equal", "varied") for f in (0.3, 0.05)
                             for D in (3, 6, 15, 30) for p in (0.05, 0.1, 0.3)):
        truth = f * p_d
        zero = old = new = alt = few = few_cov = few_boot = scored = 0
        up_new, up_alt, ratio = [], [], []
        s41 = {"few": [], "mid": []}        # (covered s41, covered now, width now / s41)
        for _ in range(reps):
            counts, docs = mention_group(rng, D, p_d, sizes, f)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res, _ = grouped_counts(counts, np.full(len(docs), 100), docs, "grp",
                                        "share", 200, 0.95, "two-stage", rng, "sim")
            lo, hi, c = res["low"][0, 0], res["high"][0, 0], res["sums"][0, 0]
            if not (np.isfinite(lo) and np.isfinite(hi)):
                continue                    # no interval (flat / failed): not scored
            scored += 1
            hit = lo <= truth <= hi
            new += hit
            if c == 0:
                zero += 1
                hi_alt = float(_stats.zero_upper(res["sums"][0].sum()))
                alt += truth <= hi_alt
                up_new.append(hi)
                up_alt.append(hi_alt)
            else:
                old += hit
                alt += hit
                b_lo, b_hi = res["boot_low"][0, 0], res["boot_high"][0, 0]
                if c <= 20:
                    k_lo, k_hi = _stats.share_interval(c, res["sums"][0].sum(),
                                                       res["deff"][0, 0], 0.95)
                    o_lo, o_hi = min(b_lo, float(k_lo)), max(b_hi, float(k_hi))
                    s41["few" if c <= 5 else "mid"].append(
                        (o_lo <= truth <= o_hi, hit,
                         (hi - lo) / (o_hi - o_lo) if o_hi > o_lo else np.nan))
                if c <= 5:
                    few += 1
                    few_cov += hit
                    few_boot += b_lo <= truth <= b_hi
                elif c <= 20 and b_hi > b_lo:
                    ratio.append((hi - lo) / (b_hi - b_lo))
        print(f"| {sizes} | {f} | {D} | {p_d} | {truth:.3f} | {zero / scored:.3f} | "
              f"{old / scored:.3f} | {new / scored:.3f} | {alt / scored:.3f} | "
              f"{np.mean(up_new) if up_new else float('nan'):.3f} / "
              f"{np.mean(up_alt) if up_alt else float('nan'):.3f} | "
              f"{few_boot / few if few else float('nan'):.3f} -> "
              f"{few_cov / few if few else float('nan'):.3f} ({few}) | "
              f"{np.mean(ratio) if ratio else float('nan'):.3f}, "
              f"{np.mean(np.array(ratio) > 1 + 1e-9) if ratio else float('nan'):.2f} | "
              + " / ".join(f"{np.mean([a for a, _, _ in v]):.3f} -> "
                           f"{np.mean([b for _, b, _ in v]):.3f}" if v else "nan"
                           for v in s41.values()) + " | "
              + " / ".join(f"{np.nanmean([r for _, _, r in v]):.2f}" if v else "nan"
                           for v in s41.values()) + " |", flush=True)


if __name__ == "__main__":
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    parts = sys.argv[2].upper() if len(sys.argv) > 2 else "ABC"
    rng = np.random.default_rng(0)
    t0 = time.time()
    if "A" in parts:
        part_a(reps, rng, paragraphs_2019())
    if "B" in parts:
        part_b(reps, rng)
    if "C" in parts:
        part_c(reps, np.random.default_rng(41))
    print(f"\n{time.time() - t0:.0f}s")
