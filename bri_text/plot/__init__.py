"""Plots of bri_text results, with Chinese labels that render on any machine.

Every function takes the DataFrame a bri_text function returned, an optional matplotlib
``ax`` (a new figure when None), and returns the Axes (the Figure for multi-panel plots).
None calls ``plt.show()``. The data drawn stays reachable: the returned object has a
``bri_data`` attribute, the DataFrame as plotted (after pivoting, filtering and ordering;
for an Axes it is also on ``ax.figure.bri_data``), so a reader can check a figure's numbers
or export them. Figures say what they rest on: orientation rows carry their number of
mentions (``n=``) and show groups without mentions as "no mentions", not as zeros; where a
table has intervals they are drawn; a trend point without an interval has an open marker. Chinese text uses the font bundled with the package (a subset
of Noto Sans CJK SC, see ``bri_text/fonts/README.md``), so no set-up is needed.

>>> import bri_text as bt
>>> from bri_text import plot
>>> plans = bt.load_bri_policies().subset(region=["广西", "甘肃"])
>>> matrix = bt.dtm(bt.tokenize(plans))
>>> table = bt.keyness(matrix, target={"region": "广西"}, reference={"region": "甘肃"})
>>> table["term"].head(3).tolist()
['东盟', '广西', '中国—东盟']
>>> ax = plot.keyness(table, top_n=15)      # 15 terms each side; savefig writes a file
>>> len(ax.patches)
30
>>> ax.figure.savefig("guangxi_vs_gansu.png", dpi=150)   # doctest: +SKIP
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""
from __future__ import annotations

from ._base import _missing_glyphs, chinese_font, font_family, warn_missing_glyphs  # noqa: F401
from ._compare import keyness, orientation, profile
from ._diffusion import adoption_curve, adoption_heatmap, adoption_lags
from ._instruments import instrument_matrix, instrument_shares
from ._pmc import pmc_surface, pmc_variables
from ._reuse import text_reuse
from ._similarity import dendrogram, similarity_heatmap, similarity_labels
from ._topics import effects, select_k, topic_prevalence, topic_trends
from ._trends import term_trends

__all__ = [
           "adoption_curve",
           "adoption_heatmap",
           "adoption_lags",
           "chinese_font",
           "dendrogram",
           "effects",
           "font_family",
           "instrument_matrix",
           "instrument_shares",
           "keyness",
           "orientation",
           "pmc_surface",
           "pmc_variables",
           "profile",
           "select_k",
           "similarity_heatmap",
           "similarity_labels",
           "term_trends",
           "text_reuse",
           "topic_prevalence",
           "topic_trends",
           "warn_missing_glyphs",
]
