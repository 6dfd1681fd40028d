"""The province comparison on a Dask cluster (here a LocalCluster of 2 processes).

Run: pip install -e ".[dask]" && python examples/distributed_compare.py

The same steps run on a real cluster: replace the LocalCluster by
Client("tcp://scheduler:8786") and from_corpus by btd.read_jsonl("shards/*.jsonl", ...).
"""
import warnings

from distributed import Client, LocalCluster

import bri_text as bt
import bri_text.distributed as btd


def main():
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster):
        docs = btd.from_corpus(bt.load_bri_policies(), npartitions=4)   # 27 documents
        paragraphs = btd.reshape(docs, "paragraph")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # national documents have no region
            by_region = btd.group_counts(paragraphs, by="region")
            orientation = btd.group_orientation(paragraphs, by="region")
        print(by_region)
        table = bt.keyness(by_region, target={"region": "广西"}, reference={"region": "甘肃"})
        print("广西 vs 甘肃:", "、".join(table["term"].head(10)))
        lead = orientation.groupby("group", sort=False).head(1)
        print(lead[["group", "world_region", "share", "n_mentions"]].to_string(index=False))


if __name__ == "__main__":
    main()
