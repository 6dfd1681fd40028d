"""PMC index figures: the 3×3 PMC surface of one document and the main variables of
several documents side by side."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._base import _attach, _new_ax, font_family


def _check_result(result, what: str) -> None:
    if not (hasattr(result, "matrix") and isinstance(getattr(result, "scores", None),
                                                     pd.DataFrame)):
        raise ParameterError(f"{what} expects the result of bt.pmc_index(sheet), got "
                             f"{type(result).__name__}")


def pmc_surface(result, doc_id: str, ax=None, *, cmap: str = "RdYlGn"):
    """The PMC surface of one document: the scores of X1…X9 as a 3×3 surface (rows X1–X3,
    X4–X6, X7–X9, as Estrada 2011 and the Chinese PMC literature draw it), each vertex
    labelled with its variable and score; the names of the variables under the plot.

    ``ax``: a 3D Axes (``fig.add_subplot(projection="3d")``) or None. Returns the Axes;
    ``ax.bri_data`` is the 3×3 matrix drawn (``result.matrix(doc_id)``).

    >>> import pandas as pd, bri_text as bt
    >>> from bri_text import plot
    >>> rows = [("d", f"X{i}", f"X{i}:1", 1) for i in range(1, 10)]
    >>> result = bt.pmc_index(pd.DataFrame(rows, columns=["doc_id", "main", "sub", "score"]))
    >>> ax = plot.pmc_surface(result, "d")
    >>> float(ax.bri_data.to_numpy().sum())
    9.0
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt

    _check_result(result, "pmc_surface")
    matrix = result.matrix(doc_id)
    font_family()
    if ax is None:
        fig = plt.figure(figsize=(6.4, 5.6), layout="constrained")
        ax = fig.add_subplot(projection="3d")
    elif getattr(ax, "name", "") != "3d":
        raise ParameterError("pmc_surface: ax must be a 3D Axes "
                             "(fig.add_subplot(projection='3d')) or None")
    z = matrix.to_numpy(dtype=float)
    x, y = np.meshgrid(np.arange(1, 4), np.arange(1, 4))
    ax.plot_surface(x, y, z, cmap=cmap, vmin=0, vmax=1, edgecolor="#555555", linewidth=0.5,
                    alpha=0.85)
    labels, names = matrix.attrs["labels"], matrix.attrs["names"]
    for i in range(3):
        for j in range(3):
            ax.text(j + 1, i + 1, z[i, j] + 0.04, f"{labels[i][j]} {z[i, j]:.2f}",
                    fontsize=8, ha="center")
    ax.set_zlim(0, 1.1)
    ax.set_xticks([1, 2, 3])
    ax.set_yticks([1, 2, 3], ["X1–X3", "X4–X6", "X7–X9"])
    ax.set_zlabel("score")
    row = result.scores.loc[result.scores["doc_id"] == str(doc_id)].iloc[0]
    title = str(row["title"]) if "title" in row.index and isinstance(row["title"], str) \
        else str(doc_id)
    if len(title) > 28:
        title = title[:27] + "…"
    ax.set_title(f"PMC surface: {doc_id} {title}\nPMC {row['pmc']:.2f} ({row['grade']} "
                 f"{row['grade_zh']})", fontsize=10)
    legend = "  ".join(f"{c} {n}" for r_c, r_n in zip(labels, names)
                       for c, n in zip(r_c, r_n))
    ax.text2D(0.5, -0.02, legend, transform=ax.transAxes, ha="center", va="top",
              fontsize=7.5, wrap=True)
    return _attach(ax, matrix)


def pmc_variables(result, doc_ids=None, ax=None):
    """The main variables' scores (0–1) of several documents as grouped bars, their PMC
    index and grade in the legend; variables not counted in the index are marked "(not
    counted)". ``doc_ids``: the documents to show (default all, at most 8 read well).
    Returns the Axes; ``ax.bri_data`` is the long table drawn (doc_id, main, main_name,
    score).

    >>> import pandas as pd, bri_text as bt
    >>> from bri_text import plot
    >>> rows = [(d, f"X{i}", f"X{i}:1", int(i <= k)) for d, k in [("a", 8), ("b", 5)]
    ...         for i in range(1, 10)]
    >>> result = bt.pmc_index(pd.DataFrame(rows, columns=["doc_id", "main", "sub", "score"]))
    >>> ax = plot.pmc_variables(result)
    >>> len(ax.patches)
    18
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _check_result(result, "pmc_variables")
    scores = result.scores
    if doc_ids is None:
        doc_ids = list(scores["doc_id"])
    doc_ids = [str(d) for d in ([doc_ids] if isinstance(doc_ids, str) else doc_ids)]
    unknown = [d for d in doc_ids if d not in set(scores["doc_id"])]
    if unknown:
        raise ParameterError(f"pmc_variables: doc_ids {unknown[:5]} are not in the result; "
                             f"documents: {list(scores['doc_id'])[:10]}")
    var = result.variables
    mains = list(var["main"])
    label = [f"{m} {n}" + ("" if c else "\n(not counted)")
             for m, n, c in zip(var["main"], var["main_name"], var["counted"])]
    ax = _new_ax(ax, (1.2 + 0.75 * len(mains), 4.2))
    rows = scores.set_index("doc_id").loc[doc_ids]
    width = 0.8 / len(doc_ids)
    for k, (doc, row) in enumerate(rows.iterrows()):
        ax.bar(np.arange(len(mains)) + (k - (len(doc_ids) - 1) / 2) * width,
               row[mains].to_numpy(dtype=float), width,
               label=f"{doc}: PMC {row['pmc']:.2f} {row['grade_zh']}")
    ax.set_xticks(range(len(mains)), label, rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("main variable score (mean of sub-variables)")
    ax.set_title("PMC main variables")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    long = rows[mains].reset_index().melt(id_vars="doc_id", var_name="main",
                                          value_name="score")
    long["main_name"] = long["main"].map(dict(zip(var["main"], var["main_name"])))
    return _attach(ax, long[["doc_id", "main", "main_name", "score"]])
