"""The figures of the diffusion / text-reuse audit (notes s35 audit2, P1-P5) on the
built-in corpus, each beside what the audit found before the fix.

    PYTHONPATH=$PWD python benchmarks/audit2_reuse_figures.py
"""
from __future__ import annotations

import time

import bri_text as bt


def main() -> None:
    plans = bt.load_bri_policies()
    t0 = time.perf_counter()
    early = bt.diffusion(plans, source=["bri14", "bri23", "bri25", "bri26"], threshold=0.02)
    a = early.adoptions
    fujian = a[(a.source == "bri23") & (a.jurisdiction == "福建")].iloc[0]
    print(f"P1 adoptions between early plans (threshold 2%): "
          f"{int((a.status == 'adopted').sum())} (before: 1, 福建 bri20, share 0.0259, 0 of 32 clauses)")
    print(f"   福建 for bri23: {fujian.status}, share {fujian.share}; reason: {fujian.reason}")
    print(f"   horizontal: {early.horizontal[['doc_from', 'doc_to', 'lag_days']].values.tolist()}")
    p = bt.compare_versions("bri11", "bri12", plans, unit="sentence")
    date = p[p.source_text == "2016年6月21日"].iloc[0]
    print(f"P2 bri11 date line vs bri12: {date.status} (before: kept 1.0); "
          f"attrs kept {p.attrs['kept']} changed {p.attrs['changed']}")
    r = bt.reinvention(plans, source={"level": "national"}, by="region", unit="sentence")
    print(f"   reinvention of national documents: {r[['source', 'region', 'local_doc', 'kept', 'changed']].values.tolist()} "
          "(before: bri11->天津 bri12 kept 1 changed 1; bri11->河南 bri24 changed 1)")
    pair = bt.compare_versions("bri14", "bri24", plans, unit="sentence")
    src = pair[pair.source_index.notna()]
    print(f"P3 bri14->bri24: {len(src)} source sentences, {int(src.substance.sum())} of substance; "
          f"kept {pair.attrs['kept']} changed {pair.attrs['changed']} of substance "
          f"(before: kept 4 changed 6); exact repeats: "
          f"{pair.loc[pair.status == 'kept', 'source_text'].tolist()}")
    t = bt.text_reuse(plans)
    print(f"P4 text_reuse kinds: {t.kind.value_counts().to_dict()} "
          "(before: formulaic 37, copy 7); documents per passage: median "
          f"{t.documents.median():g}, max {t.documents.max()}")
    page = bt.versions_html(pair, embed_font=False)
    legend = 'class="legend"' in page
    print(f"P5 versions_html legend: {legend} (before: none); thresholds shown: "
          f"{'0.95' in page and '0.5' in page}")
    print(f"all of the above in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
