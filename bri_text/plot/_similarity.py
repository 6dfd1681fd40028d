"""Figures of the similarity stage: a clustered similarity heatmap and a dendrogram.

Both return the Axes and keep the data they drew in ``ax.bri_data`` (the similarity matrix
in plotted order for the heatmap; the cluster table in leaf order for the dendrogram).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import MetadataError, ParameterError
from ._base import _new_ax

# issuing bodies and wrappers stripped from titles to reach the plan's own name
_ISSUERS = re.compile(r"^.*?(关于印发|关于|印发)")
_PLACE = re.compile(r"^(中国（[^）]*）|[\u4e00-\u9fff]{2,3}?(省人民政府|市人民政府|省|市|自治区))")
_NOISE = re.compile(r"[《》<>“”\"＂「」]|（[^）]*）|\([^)]*\)|的通知$|通知$")


def short_title(title: str, width: int = 10, places=()) -> str:
    """A short fragment of a policy title: issuer, place names (``places``), quotes,
    bracketed parts, years and the ubiquitous 一带一路 removed, cut to ``width`` characters.

    >>> short_title("河南省人民政府印发郑州—卢森堡“空中丝绸之路”建设专项规划（2017—2025年）")
    '郑州—卢森堡空中丝…'
    >>> short_title("西安市“一带一路”建设2016年行动计划", places=["西安"])
    '建设行动计划'
    """
    t = str(title)
    inner = re.search(r"《([^》]+)》", t)
    if inner:
        t = inner.group(1)
    elif "关于" in t or "印发" in t:
        t = _ISSUERS.sub("", t) or t
    t = _NOISE.sub("", t)
    t = _PLACE.sub("", t) or t
    for p in places:
        if isinstance(p, str) and p and t.startswith(p):
            t = t[len(p):].lstrip("省市") or t
    shorter = re.sub(r"一带一路|(?:19|20)\d\d年?", "", t)
    t = shorter if len(shorter) >= 4 else t
    return t if len(t) <= width else t[:width - 1] + "…"


def similarity_labels(sim: pd.DataFrame, width: int = 10) -> list[str]:
    """Short readable labels for the rows of a similarity matrix, from its metadata:
    region (or 国家 for national documents) and city, year, a short title fragment.

    Falls back to the doc_ids when ``sim.attrs`` carries no metadata; labels that would
    read alike end in their doc_id (``2015 政府工作报告 · doc22``).

    >>> import bri_text as bt
    >>> m = bt.dtm(bt.tokenize(bt.load_bri_policies()), "tfidf")
    >>> similarity_labels(bt.similarity_matrix(m))[20:23]
    ['西安 2016 建设行动计划', '成都 2016 融入国家战略 推动…', '甘肃 2015 参与建设实施方案']
    """
    meta = sim.attrs.get("metadata")
    ids = [str(i) for i in sim.index]
    if not meta or "doc_id" not in meta:
        return ids
    m = pd.DataFrame(meta).astype({"doc_id": str}).drop_duplicates("doc_id").set_index("doc_id")
    if not set(ids) <= set(m.index) or "title" not in m.columns:
        return ids
    m = m.loc[ids]
    out = []
    for doc_id, row in m.iterrows():
        region = row.get("region")
        if region is None or (isinstance(region, float) and np.isnan(region)):
            region = "国家" if row.get("level") == "national" else ""
        city = row.get("city")
        if isinstance(city, str) and city:
            region = city
        year = row.get("year")
        year = "" if year is None or pd.isna(year) else str(int(year))
        frag = short_title(row["title"], width, places=(row.get("region"), city))
        out.append(" ".join(p for p in (region, year, frag) if p))
    # rows that would read alike (the sections of one report: 2015 政府工作报告) get their
    # doc_id, so that every row of the heatmap can be told apart
    seen = pd.Series(out).duplicated(keep=False).to_numpy()
    return [f"{label} · {i}" if same else label for label, i, same in zip(out, ids, seen)]


def _resolve_labels(sim: pd.DataFrame, labels) -> list[str]:
    if labels is None or (isinstance(labels, str) and labels == "auto"):
        return similarity_labels(sim)
    if isinstance(labels, str) and labels == "doc_id":
        return [str(i) for i in sim.index]
    if isinstance(labels, dict):
        return [str(labels.get(i, i)) for i in sim.index]
    labels = [str(x) for x in labels]
    if len(labels) != len(sim):
        raise ParameterError(f"labels must have one entry per unit ({len(sim)}), got "
                             f"{len(labels)}")
    return labels


def _check_sim(sim, what):
    if not isinstance(sim, pd.DataFrame) or sim.shape[0] != sim.shape[1]:
        raise ParameterError(f"{what} expects the square DataFrame of "
                             "bri_text.similarity_matrix")


def similarity_heatmap(sim: pd.DataFrame, *, clusters=None, labels="auto", order="cluster",
                       annot: bool = False, ax=None, cmap: str = "viridis"):
    """Heatmap of a :func:`bri_text.similarity_matrix`, in clustered order.

    ``clusters``: a :func:`bri_text.cluster_documents` result for this matrix (computed with
    average linkage when None and ``order="cluster"``; ``order="input"`` keeps the matrix
    order). ``labels``: ``"auto"`` (region or 国家, year, short title), ``"doc_id"``, a list
    or a dict doc_id -> label. Cluster boundaries are outlined; the diagonal (and empty
    units) is grey and the colour scale spans the off-diagonal values. ``ax.bri_data``
    holds the matrix as drawn (rows and columns in plotted order, diagonal included).

    >>> import bri_text as bt
    >>> from bri_text import plot
    >>> m = bt.dtm(bt.tokenize(bt.load_bri_policies()), "tfidf")
    >>> ax = plot.similarity_heatmap(bt.similarity_matrix(m))
    >>> ax.bri_data.shape
    (27, 27)
    """
    _check_sim(sim, "plot.similarity_heatmap")
    if order not in ("cluster", "input"):
        raise ParameterError(f"order must be 'cluster' or 'input', got {order!r}")
    names = _resolve_labels(sim, labels)
    label_of = dict(zip(map(str, sim.index), names))
    ids = [str(i) for i in sim.index]
    boundaries = []
    if order == "cluster":
        if clusters is None:
            from ..similarity import cluster_documents

            clusters = cluster_documents(sim)
        lab = clusters.labels
        if set(lab["doc_id"]) != set(ids):
            raise MetadataError("clusters do not belong to this similarity matrix (different "
                                "doc_ids); pass cluster_documents(sim) of the same matrix")
        lab = lab.sort_values("order")
        ids = lab["doc_id"].tolist()
        cl = lab["cluster"].to_numpy()
        boundaries = (np.flatnonzero(cl[1:] != cl[:-1]) + 1).tolist()
    sim_s = sim.copy()
    sim_s.index = sim_s.index.astype(str)
    sim_s.columns = sim_s.columns.astype(str)
    data = sim_s.loc[ids, ids]
    n = len(ids)
    side = min(16.0, 3.0 + 0.3 * n)
    ax = _new_ax(ax, (side + 2.5, side))
    values = data.to_numpy(dtype=float)
    shown = values.copy()
    np.fill_diagonal(shown, np.nan)       # the diagonal (1) would flatten the colour scale
    finite = shown[np.isfinite(shown)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    import matplotlib as mpl

    cm = mpl.colormaps[cmap].with_extremes(bad="#dddddd")
    im = ax.imshow(np.ma.masked_invalid(shown), cmap=cm, vmin=vmin,
                   vmax=vmax if vmax > vmin else vmin + 1e-9, interpolation="nearest")
    fs = 8 if n <= 40 else 6
    ax.set_yticks(range(n), [label_of[i] for i in ids], fontsize=fs)
    ax.set_xticks(range(n), [label_of[i] for i in ids], fontsize=fs, rotation=90)
    for b in boundaries:
        ax.axhline(b - 0.5, color="white", lw=1.2)
        ax.axvline(b - 0.5, color="white", lw=1.2)
    if annot and n <= 30:
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v) and i != j:
                ax.text(j, i, f"{v:.2f}"[1:] if 0 <= v < 1 else f"{v:.1f}", ha="center",
                        va="center", fontsize=5,
                        color="white" if (v - vmin) < 0.6 * (vmax - vmin) else "black")
    metric = sim.attrs.get("metric", "similarity")
    ax.figure.colorbar(im, ax=ax, label=f"{metric} similarity", shrink=0.7)
    ax.set_title(f"Document similarity ({metric})")
    ax.bri_data = data
    return ax


def dendrogram(clusters, *, labels="auto", ax=None, orientation: str = "left"):
    """Dendrogram of a :func:`bri_text.cluster_documents` result (distance 1 - similarity).

    Leaves use the labels of :func:`similarity_heatmap`; branches are coloured by cluster
    when the result was cut (``n_clusters`` / ``threshold``). ``ax.bri_data`` holds the
    cluster table in leaf order with the labels drawn.

    >>> import bri_text as bt
    >>> from bri_text import plot
    >>> m = bt.dtm(bt.tokenize(bt.load_bri_policies()), "tfidf")
    >>> ax = plot.dendrogram(bt.cluster_documents(bt.similarity_matrix(m), n_clusters=5))
    >>> ax.bri_data.columns.tolist()
    ['doc_id', 'cluster', 'order', 'label']
    """
    from scipy.cluster import hierarchy

    if not hasattr(clusters, "linkage") or not hasattr(clusters, "labels"):
        raise ParameterError("plot.dendrogram expects the result of bri_text.cluster_documents, "
                             f"got {type(clusters).__name__}")
    if orientation not in ("left", "right", "top", "bottom"):
        raise ParameterError(f"orientation must be left, right, top or bottom, got "
                             f"{orientation!r}")
    sim = clusters.similarity
    names = _resolve_labels(sim, labels)
    n = len(names)
    horizontal = orientation in ("left", "right")
    size = (8.5, max(3.0, 0.3 * n + 1)) if horizontal else (max(4.0, 0.3 * n + 1), 6)
    ax = _new_ax(ax, size)
    lab = clusters.labels
    k = lab["cluster"].nunique()
    Z = clusters.linkage
    color_threshold = 0
    if 1 < k < n:
        # cut height between the merges that leave k clusters
        h = np.sort(Z[:, 2])
        color_threshold = float((h[n - k - 1] + h[n - k]) / 2)
    hierarchy.dendrogram(Z, labels=names, orientation=orientation, ax=ax,
                         color_threshold=color_threshold, above_threshold_color="#888888",
                         leaf_font_size=8)
    if horizontal:
        ax.set_xlabel("distance (1 - similarity)")
    else:
        ax.set_ylabel("distance (1 - similarity)")
    ax.set_title(f"Document clusters ({clusters.method} linkage)")
    ax.spines[["top", "right"]].set_visible(False)
    data = lab.assign(label=names).sort_values("order").reset_index(drop=True)
    ax.bri_data = data
    return ax
