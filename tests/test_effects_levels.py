"""Topic effects on the work reports' categories (audit44b): a speaker the fit never saw,
a reference level in two reports, and integer codes (``session``) read as numbers.

The 22 reports of 1978-2003 in the dataset: 华国锋 delivered 2 (1978, 1979), 姚依林 1
(1980), 赵紫阳 7 (1981-1987), 李鹏 7 (1988, 1992-1995, 1997, 1998), 朱镕基 5 (1999-2003);
``session`` is the session of the National People's Congress, 1 to 5.
"""
import warnings

import numpy as np
import pytest

import bri_text as bt
from bri_text.errors import ParameterError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model():
    reports = bt.load_work_reports()
    years = [int(y) for y in reports.docs["year"] if 1978 <= y <= 2003]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bt.TopicModel(4, random_state=1, iterations=100).fit(
            bt.tokenize(reports.subset(year=years)))


def _effects(model, formula):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        eff = model.effects(formula, n_boot=50, random_state=1)
    return eff, [str(w.message) for w in caught if str(w.message).startswith("effects:")]


def test_speakers_of_the_fit(model):
    docs = model.doc_topics(level="document")
    assert docs["speaker"].value_counts().to_dict() == {
        "赵紫阳": 7, "李鹏": 7, "朱镕基": 5, "华国锋": 2, "姚依林": 1}


def test_predict_at_a_speaker_the_fit_never_saw_is_an_error(model):
    """周恩来 delivered no report of 1978-2003: formulaic coded him as missing and the
    prediction was 华国锋's (the reference), labelled 'none: level in 2 documents'."""
    eff, _ = _effects(model, "~ speaker")
    with pytest.raises(ParameterError, match=r"speaker=\['周恩来'\] is not a level of the fit"):
        eff.predict(speaker=["周恩来"])
    with pytest.raises(ParameterError, match="levels of speaker: .*李鹏"):
        eff.predict(data=eff.data[["speaker"]].head(1).assign(speaker="周恩来"))
    li = eff.predict(speaker=["李鹏"])
    assert len(li) == 4
    assert set(li["interval"]) == {"t over the level's 7 documents (6 df)"}


def test_a_reference_level_in_two_reports_is_named_with_one_in_more(model):
    """华国锋 (first in code-point order) is the reference of ~ speaker: every contrast
    rests on his 2 reports, so no row has an interval; the warning says so and names the
    speaker with the most reports, and its formula gives the 7-report contrasts theirs."""
    eff, said = _effects(model, "~ speaker")
    assert eff.coefficients["ci_low"].isna().all()            # 20 of 20 rows
    assert len(said) == 1
    assert ("every contrast of speaker is against its reference level speaker=华国锋 "
            "(2 documents), so none of them has an interval") in said[0]
    assert "~ C(speaker, Treatment('李鹏')) (7 documents)" in said[0]
    better, said = _effects(model, "~ C(speaker, Treatment('李鹏'))")
    co = better.coefficients
    zhao = co[co["term"].str.endswith("[T.赵紫阳]")]
    assert len(zhao) == 4 and zhao["ci_low"].notna().all()
    assert not any("reference level" in s for s in said)


def test_session_codes_entered_as_a_number_warn(model):
    _, said = _effects(model, "~ session")
    assert any(s.startswith("effects: session holds 5 whole numbers (1 to 5) and enters "
                            "'~ session' as a number") and "write C(session)" in s
               for s in said)
    eff, said = _effects(model, "~ C(session)")
    assert not any("whole numbers" in s for s in said)
    assert len(eff.terms) == 5                                # Intercept + 4 sessions
    _, said = _effects(model, "~ year")                       # years are numbers
    assert not any("whole numbers" in s for s in said)
    assert np.isfinite(eff.coefficients["estimate"]).all()


def _overlaps(ax):
    import matplotlib.pyplot as plt

    ax.figure.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
    plt.close(ax.figure)
    return sum(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))


def test_effects_plot_turns_category_labels_that_would_overlap(model):
    """The five speakers (3 characters each) under a 2.5-inch panel of a grid of figures
    overlapped level (audit44b: likewise the 13 premiers of ~ speaker on the whole corpus
    in the default 7.5-inch figure); turned 45 degrees they do not. In the default figure
    the five stay level."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    eff, _ = _effects(model, "~ C(speaker, Treatment('李鹏'))")
    _, ax = plt.subplots(figsize=(2.5, 3))
    ax = bt.plot.effects(eff, "speaker", topics=[0], ax=ax)
    labels = ax.get_xticklabels()
    assert sorted(t.get_text() for t in labels) == ["华国锋", "姚依林", "朱镕基", "李鹏", "赵紫阳"]
    assert {t.get_rotation() for t in labels} == {45.0}
    assert _overlaps(ax) == 0
    ax = bt.plot.effects(eff, "speaker", topics=[0])
    assert {t.get_rotation() for t in ax.get_xticklabels()} == {0.0}
    assert _overlaps(ax) == 0
