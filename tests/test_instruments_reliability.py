"""Hand coding round trip (issue 32, part 4): the coding sheet written and read back, and
the coders' agreement, checked by hand on clauses of a built-in plan and against the
reference implementations (scikit-learn, statsmodels, the krippendorff package) to 1e-9."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import bri_text as bt
from bri_text.errors import InputError, MetadataError, ParameterError
from bri_text.instruments._reliability import _Design

RZ = ["supply", "environment", "demand"]

#: Ten clauses of Tianjin's plan for Belt and Road science cooperation (bri12, paragraphs of
#: its tasks), coded by two coders with Rothwell & Zegveld's three types.
HAND = {
    "bri12#p16": ("培养", "supply", "supply"),            # training scientists
    "bri12#p18": ("服务平台", "supply", "supply"),         # a service platform
    "bri12#p20": ("合作联盟", "environment", "supply"),    # an alliance, exchanges
    "bri12#p23": ("联合实验室", "supply", "supply"),       # joint laboratories
    "bri12#p25": ("联合实验室", "supply", "supply"),       # laboratories' capacity
    "bri12#p27": ("科研设施", "supply", "environment"),    # shared research facilities
    "bri12#p30": ("示范园区", "demand", "demand"),         # parks abroad, demonstration
    "bri12#p32": ("创业投资", "environment", "environment"),   # venture capital, finance
    "bri12#p34": ("科技园区", "demand", "environment"),    # firms meet parks abroad
    "bri12#p37": ("技术转移", "environment", "environment"),   # technology transfer market
}


@pytest.fixture(scope="module")
def tianjin():
    return bt.load_bri_policies().subset(doc_id="bri12").reshape("paragraph")


def _fill(path, codes: dict):
    """Fill coder columns as a coder would in Excel: codes = {coder: {doc_id: code}}."""
    book = load_workbook(path)
    ws = book["coding"]
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        doc_id = ws.cell(row=r, column=1).value
        for coder, given in codes.items():
            if doc_id in given:
                ws.cell(row=r, column=header.index(coder) + 1).value = given[doc_id]
    book.save(path)


def _hand_sheet(tianjin, tmp_path):
    units = tianjin.subset(doc_id=list(HAND))
    path = bt.write_coding_sheet(units, tmp_path / "tianjin.xlsx", RZ, coders=("wang", "li"),
                                 context_from=tianjin)
    _fill(path, {"wang": {k: v[1] for k, v in HAND.items()},
                 "li": {k: v[2] for k, v in HAND.items()}})
    return bt.read_coding_sheet(path)


# ---------------------------------------------------------------- the worked example
def test_hand_computed_kappa_and_alpha_on_ten_clauses(tianjin, tmp_path):
    """Ten clauses of bri12, coded by wang (rows) and li (columns):

    ================  ======  ===========  ======  =====
    wang \\ li        supply  environment  demand  total
    ================  ======  ===========  ======  =====
    supply            4       1            0       5
    environment       1       2            0       3
    demand            0       1            1       2
    total             5       4            1       10
    ================  ======  ===========  ======  =====

    Cohen: p_o = (4 + 2 + 1) / 10 = 0.7; p_e = (5*5 + 3*4 + 2*1) / 100 = 0.39;
    kappa = (0.7 - 0.39) / (1 - 0.39) = 0.31 / 0.61 = 0.5082.

    Krippendorff (nominal): 20 values, n_supply = 10, n_environment = 7, n_demand = 3;
    the 3 disagreeing units put 6 in the off-diagonal of the coincidence matrix;
    alpha = 1 - (20 - 1) * 6 / (20**2 - (10**2 + 7**2 + 3**2)) = 1 - 114 / 242 = 0.5289.

    Fleiss: p = (10, 7, 3) / 20, P_e = 0.25 + 0.1225 + 0.0225 = 0.395, P = 0.7;
    kappa = 0.305 / 0.605 = 0.5041.

    Supply against the rest: wang gives it 5 times, li 5 times, both 4 times, neither
    10 - 6 = 4 times: p_o = 0.8, p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5, kappa = 0.6.
    """
    codes = _hand_sheet(tianjin, tmp_path)
    # the sheet gives back what the coders read: the clauses' own text
    for doc_id, (word, _, _) in HAND.items():
        assert word in codes.loc[doc_id, "text"]
    # all ten clauses are of one plan (bri12): no between-document interval by default
    with pytest.warns(UserWarning, match="1 document"):
        one_doc = bt.reliability(codes, n_boot=200, random_state=1)
    assert one_doc[["ci_low", "ci_high"]].isna().all().all()
    assert (one_doc.attrs["resample"], one_doc.attrs["n_documents"]) == ("two-stage", 1)
    assert one_doc.attrs["documents"] == "unit ids before '#'"
    table = bt.reliability(codes, n_boot=200, random_state=1, resample="unit")
    pd.testing.assert_series_equal(one_doc["estimate"], table["estimate"])
    assert table.attrs["interval"] == "within-document"
    est = table["estimate"]
    assert est[("(all)", "agreement")] == pytest.approx(0.7, abs=1e-12)
    assert est[("(all)", "cohen_kappa")] == pytest.approx(0.31 / 0.61, abs=1e-12)
    assert est[("(all)", "krippendorff_alpha")] == pytest.approx(1 - 114 / 242, abs=1e-12)
    assert est[("(all)", "fleiss_kappa")] == pytest.approx(0.305 / 0.605, abs=1e-12)
    assert est[("supply", "cohen_kappa")] == pytest.approx(0.6, abs=1e-12)
    row = table.loc[("supply", "cohen_kappa")]
    assert (row["n_wang"], row["n_li"], row["n_units"], row["n_coders"]) == (5, 5, 10, 2)
    assert table.loc[("demand", "cohen_kappa"), ["n_wang", "n_li"]].tolist() == [2, 1]
    # per-code rows in the codebook's order, after the overall rows
    assert list(dict.fromkeys(table.index.get_level_values("code"))) == ["(all)", *RZ]
    # intervals hold the estimates; ten units leave them wide
    ok = table.dropna(subset=["ci_low"])
    assert ((ok.ci_low <= ok.estimate + 1e-12) & (ok.estimate <= ok.ci_high + 1e-12)).all()
    assert table.loc[("(all)", "cohen_kappa"), "ci_high"] \
        - table.loc[("(all)", "cohen_kappa"), "ci_low"] > 0.3
    # the three disagreements, with their text, and the table above
    diff = bt.disagreements(codes)
    assert diff.index.tolist() == ["bri12#p20", "bri12#p27", "bri12#p34"]
    assert diff.loc["bri12#p34", ["wang", "li"]].tolist() == ["demand", "environment"]
    assert "科技园区" in diff.loc["bri12#p34", "text"]
    conf = bt.confusion(codes)
    assert conf.loc[RZ, RZ].to_numpy().tolist() == [[4, 1, 0], [1, 2, 0], [0, 1, 1]]
    assert table.attrs["n_disagreements"] == 3


def test_hand_example_equals_scikit_learn(tianjin, tmp_path):
    from sklearn.metrics import cohen_kappa_score

    codes = _hand_sheet(tianjin, tmp_path)
    got = bt.reliability(codes, n_boot=0).loc[("(all)", "cohen_kappa"), "estimate"]
    assert got == pytest.approx(cohen_kappa_score(codes["wang"], codes["li"]), abs=1e-9)


# ---------------------------------------------------------------- reference implementations
def _random_codes(seed, n=250, coders=3, codes=("S", "E", "D", "N"), p_missing=0.12):
    """Coders who copy the first coder 60% of the time, with missing codes."""
    rng = np.random.default_rng(seed)
    data = rng.choice(list(codes), size=(n, coders),
                      p=np.linspace(2, 1, len(codes)) / np.linspace(2, 1, len(codes)).sum())
    data = data.astype(object)
    for j in range(1, coders):
        copy = rng.random(n) < 0.6
        data[copy, j] = data[copy, 0]
    data[rng.random((n, coders)) < p_missing] = None
    return pd.DataFrame(data, columns=[f"c{j}" for j in range(coders)])


def _reliability_data(df, domain):
    return np.array([[np.nan if pd.isna(v) else domain.index(v) for v in df[c]]
                     for c in df.columns], dtype=float)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equals_reference_implementations_with_missing_codes(seed):
    import krippendorff
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    domain = ["S", "E", "D", "N"]
    df = _random_codes(seed)
    table = bt.reliability(df, n_boot=0, order=domain)
    est = table["estimate"]
    data = _reliability_data(df, domain)
    assert est[("(all)", "krippendorff_alpha")] == pytest.approx(
        krippendorff.alpha(data, level_of_measurement="nominal"), abs=1e-9)
    complete = df.dropna()
    assert table.loc[("(all)", "fleiss_kappa"), "n_units"] == len(complete)
    assert est[("(all)", "fleiss_kappa")] == pytest.approx(
        fleiss_kappa(aggregate_raters(complete.to_numpy())[0], method="fleiss"), abs=1e-9)
    ordinal = bt.reliability(df, level="ordinal", order=domain, n_boot=0, by_code=False)
    assert ordinal.loc[("(all)", "krippendorff_alpha"), "estimate"] == pytest.approx(
        krippendorff.alpha(data, level_of_measurement="ordinal", value_domain=range(4)),
        abs=1e-9)
    two = df[["c0", "c1"]]
    pair = bt.reliability(two, n_boot=0)
    both = two.dropna()
    assert pair.loc[("(all)", "cohen_kappa"), "estimate"] == pytest.approx(
        cohen_kappa_score(both.c0, both.c1), abs=1e-9)
    for code in domain:                               # each code against the rest
        assert pair.loc[(code, "cohen_kappa"), "estimate"] == pytest.approx(
            cohen_kappa_score(both.c0 == code, both.c1 == code), abs=1e-9)
        binary = np.where(np.isnan(data), np.nan, data == domain.index(code))
        assert est[(code, "krippendorff_alpha")] == pytest.approx(
            krippendorff.alpha(binary, level_of_measurement="nominal"), abs=1e-9)
        table_c = aggregate_raters((complete == code).to_numpy())[0]
        assert est[(code, "fleiss_kappa")] == pytest.approx(
            fleiss_kappa(table_c, method="fleiss"), abs=1e-9)


def test_real_shaped_codes_equal_references():
    """300 clauses, 16 Rothwell–Zegveld subtypes of very unequal frequency, two coders who
    agree on about 75% of the clauses and pick a neighbouring subtype otherwise, some
    clauses left uncoded; and 5-point ordinal ratings as numbers."""
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(7)
    subtypes = [f"{t}.{i}" for t, k in (("supply", 6), ("environment", 5), ("demand", 5))
                for i in range(k)]
    p = np.array([30, 8, 12, 6, 4, 5, 20, 6, 4, 15, 9, 3, 2, 6, 1, 2], float)
    first = rng.choice(16, 300, p=p / p.sum())
    second = np.where(rng.random(300) < 0.75, first, np.clip(first + rng.choice([-1, 1], 300),
                                                             0, 15))
    df = pd.DataFrame({"wang": np.array(subtypes, dtype=object)[first],
                       "li": np.array(subtypes, dtype=object)[second]})
    df.loc[rng.random(300) < 0.05, "li"] = None
    table = bt.reliability(df, n_boot=0, order=subtypes)
    both = df.dropna()
    assert table.loc[("(all)", "cohen_kappa"), "estimate"] == pytest.approx(
        cohen_kappa_score(both.wang, both.li), abs=1e-9)
    assert table.loc[("(all)", "krippendorff_alpha"), "estimate"] == pytest.approx(
        krippendorff.alpha(_reliability_data(df, subtypes), level_of_measurement="nominal"),
        abs=1e-9)
    assert 0.6 < table.loc[("(all)", "cohen_kappa"), "estimate"] < 0.8
    # ordinal ratings 1-5, numbers: no order= needed
    rating = pd.DataFrame({"a": rng.integers(1, 6, 200).astype(float)})
    rating["b"] = np.clip(rating["a"] + rng.choice([-1, 0, 0, 1], 200), 1, 5)
    rating.loc[rng.random(200) < 0.1, "b"] = np.nan
    ordinal = bt.reliability(rating, level="ordinal", n_boot=0, by_code=False)
    nominal = bt.reliability(rating, n_boot=0, by_code=False)
    ref = krippendorff.alpha(rating.to_numpy().T, level_of_measurement="ordinal")
    alpha = ordinal.loc[("(all)", "krippendorff_alpha"), "estimate"]
    assert alpha == pytest.approx(ref, abs=1e-9)
    # near misses count less under ordinal distances
    assert alpha > nominal.loc[("(all)", "krippendorff_alpha"), "estimate"]


def test_a_bootstrap_replicate_is_the_statistic_of_the_resampled_units():
    """The weights a replicate uses give the coefficients of the rows drawn, repeated."""
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    domain = ["S", "E", "D", "N"]
    df = _random_codes(3, n=60, coders=2)
    X = np.array([[-1 if pd.isna(v) else domain.index(v) for v in df[c]] for c in df]).T
    weights = np.random.default_rng(0).multinomial(60, np.full(60, 1 / 60), size=3)
    got = _Design(X, 4)(weights.astype(float))
    for w, row in zip(weights, got):
        drawn = df.loc[np.repeat(np.arange(60), w)]
        both = drawn.dropna()
        assert row[1] == pytest.approx(cohen_kappa_score(both.c0, both.c1), abs=1e-9)
        assert row[3] == pytest.approx(krippendorff.alpha(
            _reliability_data(drawn, domain), level_of_measurement="nominal"), abs=1e-9)


def test_intervals_are_deterministic_and_cover_the_estimate():
    df = _random_codes(4, n=150, coders=2)
    a = bt.reliability(df, n_boot=300, random_state=5)
    b = bt.reliability(df, n_boot=300, random_state=5)
    c = bt.reliability(df, n_boot=300, random_state=6)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ci_low"], c["ci_low"])
    overall = a.loc["(all)"]
    assert (overall.ci_low < overall.estimate).all() and (overall.estimate < overall.ci_high).all()
    # a wider level, a wider interval
    wide = bt.reliability(df, n_boot=300, random_state=5, ci=0.99).loc["(all)"]
    assert ((wide.ci_high - wide.ci_low) > (overall.ci_high - overall.ci_low)).all()
    none = bt.reliability(df, n_boot=0)
    assert none[["ci_low", "ci_high"]].isna().all().all()
    assert a.attrs["n_boot"] == 300 and "percentile" in a.attrs["interval_method"]


def test_three_coders_have_no_cohen_kappa_and_count_their_units():
    df = _random_codes(5, n=40, coders=3)
    table = bt.reliability(df, n_boot=0)
    assert "cohen_kappa" not in table.index.get_level_values("statistic")
    assert table.loc[("(all)", "agreement"), "n_coders"] == 3
    assert table.loc[("(all)", "agreement"), "n_c0"] == df["c0"].notna().sum()
    assert table.loc[("S", "agreement"), "n_c2"] == (df["c2"] == "S").sum()
    with pytest.raises(ParameterError, match="two coders"):
        bt.confusion(df)
    assert bt.confusion(df, ["c0", "c2"]).to_numpy().sum() == df[["c0", "c2"]].dropna().shape[0]


def test_bad_input_is_named():
    df = pd.DataFrame({"a": ["x", "y", "x"], "b": ["x", "y", None], "c": [None] * 3})
    with pytest.raises(ParameterError, match="at least 2 coders"):
        bt.reliability(df, coders=["a"])
    with pytest.raises(MetadataError, match=r"\['c'\] hold no code"):
        bt.reliability(df)
    with pytest.raises(ParameterError, match="level must be one of"):
        bt.reliability(df, coders=["a", "b"], level="interval")
    with pytest.raises(ParameterError, match=r"codes \['y'\] are not in order"):
        bt.reliability(df, coders=["a", "b"], order=["x", "z"])
    with pytest.raises(ParameterError, match="needs order"):
        bt.reliability(df, coders=["a", "b"], level="ordinal")
    with pytest.raises(MetadataError, match=r"coders=\['d'\] are not columns"):
        bt.reliability(df, coders=["a", "d"])
    with pytest.raises(ParameterError, match="coders must be a column name or a list"):
        bt.reliability(df, coders=2)
    with pytest.raises(ParameterError, match="n_boot"):
        bt.reliability(df, coders=["a", "b"], n_boot=-1)
    with pytest.raises(ParameterError, match="DataFrame"):
        bt.reliability([["x", "x"]])


# ---------------------------------------------------------------- weighted kappa
#: The same plan's clauses rated by two coders for the strength of the measure (weak:
#: 鼓励 / 推动 / 发挥作用; medium: 支持 / 实施 / 构建; strong: 成立 / 设立 with staff or money).
STRENGTH = {
    "bri12#p16": ("举办", "medium", "medium"),
    "bri12#p18": ("发挥", "weak", "medium"),
    "bri12#p20": ("构建", "medium", "medium"),
    "bri12#p23": ("支持", "medium", "medium"),
    "bri12#p27": ("积极推动", "weak", "weak"),
    "bri12#p30": ("鼓励", "weak", "medium"),
    "bri12#p39": ("积极吸引", "weak", "weak"),
    "bri12#p44": ("成立", "strong", "strong"),
    "bri12#p48": ("设立", "strong", "medium"),
    "bri12#p50": ("完善", "medium", "strong"),
}
SCALE = ["weak", "medium", "strong"]


def _strength(tianjin):
    text = dict(zip(tianjin.doc_ids, tianjin.texts))
    return pd.DataFrame({"text": [text[d] for d in STRENGTH],
                         "wang": [v[1] for v in STRENGTH.values()],
                         "li": [v[2] for v in STRENGTH.values()]}, index=list(STRENGTH))


def test_weighted_kappa_by_hand_on_ten_clauses(tianjin, tmp_path):
    """Ten clauses of bri12 rated weak / medium / strong by wang (rows) and li (columns):

    ========  ====  ======  ======  =====
    wang\\li  weak  medium  strong  total
    ========  ====  ======  ======  =====
    weak      2     2       0       4
    medium    0     3       1       4
    strong    0     1       1       2
    total     2     6       2       10
    ========  ====  ======  ======  =====

    Unweighted: p_o = 0.6, p_e = (4*2 + 4*6 + 2*2) / 100 = 0.36, kappa = 0.24 / 0.64
    = 0.375. Linear weights |i - j|: the four disagreements are one step apart, observed
    sum 4; expected sum (r_i c_j |i - j|) / n = (4*6 + 4*2*2 + 4*2 + 4*2 + 2*2*2 + 2*6) / 10
    = 76 / 10; kappa = 1 - 4 / 7.6 = 9 / 19 = 0.4737. Quadratic (i - j)**2: observed 4,
    expected (24 + 32 + 8 + 8 + 16 + 12) / 10 = 10; kappa = 1 - 4 / 10 = 0.6.
    """
    from sklearn.metrics import cohen_kappa_score

    codes = _strength(tianjin)
    for doc_id, (word, _, _) in STRENGTH.items():
        assert word in codes.loc[doc_id, "text"]
    # the scale's order from a codebook file (YAML) or as a list: the same
    (tmp_path / "strength.yaml").write_text(
        "strength:\n  weak: {name: 弱, phrases: [鼓励, 推动]}\n"
        "  medium: {name: 中, phrases: [支持, 实施]}\n  strong: {name: 强, phrases: [设立, 成立]}\n",
        encoding="utf-8")
    codebook = bt.read_codebook(tmp_path / "strength.yaml")
    expected = {"linear": 9 / 19, "quadratic": 0.6}
    for weights, value in expected.items():
        table = bt.reliability(codes, n_boot=0, order=codebook, weights=weights)
        est = table["estimate"]
        assert est[("(all)", "cohen_kappa")] == pytest.approx(0.375, abs=1e-12)
        assert est[("(all)", "weighted_kappa")] == pytest.approx(value, abs=1e-12)
        assert est[("(all)", "weighted_kappa")] == pytest.approx(cohen_kappa_score(
            codes.wang, codes.li, weights=weights, labels=SCALE), abs=1e-9)
        by_list = bt.reliability(codes, n_boot=0, order=SCALE, weights=weights)
        pd.testing.assert_frame_equal(by_list, table)
        assert table.attrs["weights"] == weights and table.attrs["order"] == SCALE
        # one code against the rest: two categories, no weighted row
        assert "weighted_kappa" not in table.loc["weak"].index
    # the order matters: listed the wrong way round, near misses are far ones
    shuffled = bt.reliability(codes, n_boot=0, by_code=False, weights="linear",
                              order=["weak", "strong", "medium"])
    assert shuffled.loc[("(all)", "weighted_kappa"), "estimate"] < 9 / 19


@pytest.mark.parametrize("weights", ["linear", "quadratic"])
@pytest.mark.parametrize("seed", [0, 1])
def test_weighted_kappa_equals_scikit_learn(seed, weights):
    """Ratings on a 5-point scale with missing codes and an unused point (listed in order,
    it still counts as a step), and number codes without order=."""
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(seed)
    scale = ["none", "weak", "some", "strong", "binding"]
    a = rng.choice([0, 1, 3, 4], 300, p=[0.1, 0.3, 0.4, 0.2])      # "some" never used
    b = np.clip(a + rng.choice([-3, -1, 0, 0, 0, 1], 300), 0, 4)
    b[b == 2] = 1
    df = pd.DataFrame({"a": np.array(scale, dtype=object)[a],
                       "b": np.array(scale, dtype=object)[b]})
    df.loc[rng.random(300) < 0.08, "a"] = None
    table = bt.reliability(df, n_boot=200, random_state=0, order=scale, weights=weights)
    both = df.dropna()
    row = table.loc[("(all)", "weighted_kappa")]
    assert row["estimate"] == pytest.approx(cohen_kappa_score(
        both.a, both.b, weights=weights, labels=scale), abs=1e-9)
    assert row["n_units"] == len(both)
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    # number codes: their sorted values are the order, as scikit-learn's labels
    numbers = pd.DataFrame({"a": a.astype(float), "b": b.astype(float)})
    got = bt.reliability(numbers, n_boot=0, by_code=False, weights=weights)
    assert got.loc[("(all)", "weighted_kappa"), "estimate"] == pytest.approx(
        cohen_kappa_score(a, b, weights=weights), abs=1e-9)


def test_a_bootstrap_replicate_of_weighted_kappa_is_scikit_learn_s():
    from sklearn.metrics import cohen_kappa_score

    domain = ["S", "E", "D", "N"]
    df = _random_codes(8, n=60, coders=2)
    X = np.array([[-1 if pd.isna(v) else domain.index(v) for v in df[c]] for c in df]).T
    weights = np.random.default_rng(1).multinomial(60, np.full(60, 1 / 60), size=3)
    design = _Design(X, 4, weights="quadratic")
    assert design.statistics()[2] == "weighted_kappa"
    for w, row in zip(weights, design(weights.astype(float))):
        both = df.loc[np.repeat(np.arange(60), w)].dropna()
        assert row[2] == pytest.approx(cohen_kappa_score(
            both.c0, both.c1, weights="quadratic", labels=domain), abs=1e-9)


def test_weighted_kappa_needs_ordered_codes_and_two_coders():
    df = _random_codes(9, n=30, coders=3)
    with pytest.raises(ParameterError, match=r"weights='linear' needs ordered codes: pass "
                                             r"order=\[\.\.\.\]"):
        bt.reliability(df, coders=["c0", "c1"], weights="linear")
    with pytest.raises(ParameterError, match=r"between two coders; got 3"):
        bt.reliability(df, order=["S", "E", "D", "N"], weights="quadratic")
    with pytest.raises(ParameterError, match=r"weights must be None or one of"):
        bt.reliability(df, coders=["c0", "c1"], order=["S", "E", "D", "N"], weights="square")
    codebook = bt.read_codebook()
    with pytest.raises(ParameterError, match=r"not the codes .* of one dimension"):
        bt.reliability(df, coders=["c0", "c1"], order=codebook, weights="linear")
    # unweighted, three coders are fine and give no weighted row
    table = bt.reliability(df, n_boot=0)
    assert "weighted_kappa" not in table.index.get_level_values("statistic")
    assert table.attrs["weights"] is None


# ---------------------------------------------------------------- the coding sheet
class _Codebook:
    """What the coders' sheet takes from a Codebook: its ``table``."""

    def __init__(self, table):
        self.table = table


def _codebook():
    return _Codebook(pd.DataFrame({
        "code": ["supply", "environment", "demand", "none"],
        "name": ["供给型", "环境型", "需求型", "非政策工具"],
        "parent": [None] * 4,
        "dimension": ["instrument"] * 4,
        "definition": ["政府直接提供人才、资金、技术等要素", "营造目标规划、金融、税收、法规等环境",
                       "拉动市场需求：采购、贸易、示范", "不含政策工具的条款"],
        "phrases": [["人才", "资金"], ["税收"], ["采购"], []],
        "examples": ["培养国际化人才", "完善税收优惠", "政府采购", "各有关单位："]}))


def test_sheet_layout(tianjin, tmp_path):
    sample = tianjin.subset(doc_id=["bri12#p16", "bri12#p48"])
    pre = pd.DataFrame({"doc_id": ["bri12#p48", "bri12#p48", "bri12#p99"],
                        "code": ["environment", "supply", "demand"],
                        "evidence": ["专项", "支持", "x"]})
    path = bt.write_coding_sheet(sample, tmp_path / "s.xlsx", _codebook(), precoded=pre,
                                 context=2, context_from=tianjin)
    book = load_workbook(path)
    ws = book["coding"]
    header = [c.value for c in ws[1]]
    assert header == ["doc_id", "document", "before", "text", "after", "suggested",
                      "evidence", "coder_1", "coder_2"]
    row = {h: ws.cell(row=3, column=j + 1).value for j, h in enumerate(header)}
    assert row["doc_id"] == "bri12#p48"
    assert row["document"] == "天津市“一带一路”科技创新合作行动计划（2017—2020年）"
    # the two paragraphs before it in the plan (not the sample's previous row)
    assert row["before"] == tianjin["bri12#p46"].text + "\n" + tianjin["bri12#p47"].text
    assert row["after"].startswith("（四）完善人才支撑")
    assert row["suggested"] == "environment; supply" and row["evidence"] == "专项; 支持"
    assert row["coder_1"] is None and row["coder_2"] is None
    assert ws.cell(row=2, column=header.index("suggested") + 1).value is None
    assert ws.freeze_panes == "B2"
    assert ws.cell(row=2, column=4).alignment.wrap_text
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    [valid] = ws.data_validations.dataValidation
    assert valid.type == "list" and str(valid.sqref) == "H2:I3"
    assert valid.formula1 == "'codebook'!$A$2:$A$5"
    cb = [[c.value for c in r] for r in book["codebook"].iter_rows()]
    assert cb[0][:2] == ["code", "name"] and "definition" in cb[0]
    assert [r[0] for r in cb[1:]] == ["supply", "environment", "demand", "none"]
    assert cb[1][cb[0].index("phrases")] == "人才；资金"
    about = [r[0].value for r in book["about"].iter_rows()]
    assert any("independently" in (line or "") for line in about)


def test_round_trip_with_blanks_numbers_and_two_files(tianjin, tmp_path):
    units = tianjin.subset(doc_id=list(HAND))
    files = []
    for coder, column in (("wang", 1), ("li", 2)):
        path = bt.write_coding_sheet(units, tmp_path / f"{coder}.xlsx", [1, 2, 3],
                                     coders=(coder,), context=0)
        given = {k: RZ.index(v[column]) + 1 for k, v in HAND.items()}
        if coder == "li":
            del given["bri12#p37"]                     # li has not coded the last clause
        _fill(path, {coder: given})
        files.append(path)
    with pytest.warns(UserWarning, match=r"li: 1 of 10 \(rows \[11\]\)"):
        codes = bt.read_coding_sheet(files)
    assert codes.columns.tolist() == ["text", "wang", "li"]
    assert codes.index.tolist() == list(HAND)
    assert codes.loc["bri12#p16", "wang"] == 1 and pd.isna(codes.loc["bri12#p37", "li"])
    assert codes.attrs["n_blank"] == {"wang": 0, "li": 1} and codes.attrs["codes"] == [1, 2, 3]
    table = bt.reliability(codes, n_boot=0)
    assert table.loc[("(all)", "cohen_kappa"), "n_units"] == 9
    # nine clauses: supply 5/5, environment 2/3, demand 2/1 ... checked against sklearn
    from sklearn.metrics import cohen_kappa_score

    both = codes[["wang", "li"]].dropna()
    assert table.loc[("(all)", "cohen_kappa"), "estimate"] == pytest.approx(
        cohen_kappa_score(both.wang.astype(int), both.li.astype(int)), abs=1e-9)


def test_sheet_errors_name_the_file(tianjin, tmp_path):
    units = tianjin.subset(doc_id=list(HAND)[:3])
    path = bt.write_coding_sheet(units, tmp_path / "s.xlsx", RZ)
    with pytest.warns(UserWarning, match=r"coder_1: all 3 \(not coded yet\); coder_2: all 3"):
        blank = bt.read_coding_sheet(path)          # nothing is coded yet: said, not an error
    assert blank[["coder_1", "coder_2"]].isna().all().all()
    with pytest.raises(MetadataError, match="hold no code at all"):
        bt.reliability(blank)
    with pytest.raises(ParameterError, match=r"s\.xlsx exists; pass overwrite=True"):
        bt.write_coding_sheet(units, path, RZ)
    bt.write_coding_sheet(units, path, RZ, coders=("a", "b", "c"), overwrite=True)
    assert [c.value for c in load_workbook(path)["coding"][1]][-3:] == ["a", "b", "c"]
    with pytest.raises(ParameterError, match="must end in .xlsx"):
        bt.write_coding_sheet(units, tmp_path / "s.xls", RZ)
    with pytest.raises(ParameterError, match="coder names must differ"):
        bt.write_coding_sheet(units, tmp_path / "t.xlsx", RZ, coders=("text",))
    with pytest.raises(ParameterError, match="not in codes"):
        bt.write_coding_sheet(units, tmp_path / "t.xlsx", RZ,
                              precoded=pd.DataFrame({"code": ["tax"]}, index=["bri12#p16"]))
    two_dims = _Codebook(pd.DataFrame({"code": ["supply", "firms"],
                                       "dimension": ["instrument", "target"]}))
    bt.write_coding_sheet(units, tmp_path / "f.xlsx", two_dims)     # the first dimension
    assert [r[0].value for r in load_workbook(tmp_path / "f.xlsx")["codebook"]] == \
        ["code", "supply"]
    with pytest.raises(ParameterError, match="dimension='actor' is not in the codebook"):
        bt.write_coding_sheet(units, tmp_path / "g.xlsx", two_dims, dimension="actor")
    bt.write_coding_sheet(units, tmp_path / "t.xlsx", two_dims, dimension="target")
    assert [r[0].value for r in load_workbook(tmp_path / "t.xlsx")["codebook"]] == \
        ["code", "firms"]

    # a code that is not in the codebook: the row and the coder are named
    _fill(path, {"a": {"bri12#p16": "supply", "bri12#p18": "tax"}})
    with pytest.raises(InputError, match=r"s\.xlsx.*row 3 \(doc_id 'bri12#p18'\), coder 'a': "
                                         r"'tax' is not a code"):
        bt.read_coding_sheet(path, coders=["a"])
    # a repeated id; a lost id column
    book = load_workbook(path)
    book["coding"]["A3"] = "bri12#p16"
    book["coding"]["F3"] = "demand"
    book.save(path)
    with pytest.raises(InputError, match=r"doc_id\(s\) \['bri12#p16'\] appear on more"):
        bt.read_coding_sheet(path, coders=["a"])
    book["coding"]["F3"] = "supply"
    book["coding"]["I1"], book["coding"]["I2"] = "备注", "看不清"   # a coder's notes column
    book.save(path)
    # a notes column (text, none of it a code) is named in a warning and not read as a coder
    with pytest.warns(UserWarning, match=r"\['备注'\] hold no code of the codebook"), \
            pytest.raises(InputError, match=r"doc_id\(s\) \['bri12#p16'\] appear on more"):
        bt.read_coding_sheet(path)
    book["coding"]["I3"] = "supply"          # one cell of it a code: a coder with a typo
    book.save(path)
    with pytest.raises(InputError, match=r"coder '备注': '看不清' is not a code .* if some "
                                         r"are notes, name the coders"):
        bt.read_coding_sheet(path)
    book["coding"]["A1"] = "id"
    book.save(path)
    with pytest.raises(InputError, match=r"s\.xlsx, sheet 'coding': no 'doc_id' column"):
        bt.read_coding_sheet(path)
    with pytest.raises(InputError, match="does not exist"):
        bt.read_coding_sheet(tmp_path / "missing.xlsx")
    (tmp_path / "fake.xlsx").write_text("not a workbook")
    with pytest.raises(InputError, match=r"fake\.xlsx is not an \.xlsx workbook"):
        bt.read_coding_sheet(tmp_path / "fake.xlsx")


def test_texts_stay_texts(tmp_path):
    units = pd.DataFrame({"doc_id": ["u1", "u2"],
                          "text": ["=1+1 不是公式", "含控制字符\x0b的条款"]})
    with pytest.warns(UserWarning, match="control characters"):
        path = bt.write_coding_sheet(units, tmp_path / "s.xlsx", ["a", "b"])
    # whole documents (no parent_id) have no neighbours, and these no title: no such columns
    assert [c.value for c in load_workbook(path)["coding"][1]] == \
        ["doc_id", "text", "coder_1", "coder_2"]
    _fill(path, {"coder_1": {"u1": "a", "u2": "b"}, "coder_2": {"u1": "a", "u2": "a"}})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        codes = bt.read_coding_sheet(path)
    assert codes["text"].tolist() == ["=1+1 不是公式", "含控制字符的条款"]


# --------------------------------------------------------------- audit 2 (P10)
def test_a_blank_cell_reads_as_nan(tianjin, tmp_path):
    """The docstring's promise: a blank cell is NaN, as is a unit another file lacks."""
    units = tianjin.subset(doc_id=list(HAND)[:3])
    path = bt.write_coding_sheet(units, tmp_path / "one.xlsx", RZ)
    _fill(path, {"coder_1": {k: "supply" for k in list(HAND)[:3]},
                 "coder_2": {list(HAND)[0]: "supply"}})
    with pytest.warns(UserWarning, match="blank cells"):
        codes = bt.read_coding_sheet(path)
    blank = codes.loc[list(HAND)[1], "coder_2"]
    assert isinstance(blank, float) and np.isnan(blank)
    assert codes["coder_2"].notna().tolist() == [True, False, False]


def test_a_workbook_without_a_coding_sheet_is_named_as_such(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "blank.xlsx"
    Workbook().save(path)
    with pytest.raises(InputError, match=r"blank\.xlsx is not a coding sheet written by "
                                         r"write_coding_sheet.*no sheet 'coding'"):
        bt.read_coding_sheet(path)
    with pytest.raises(InputError, match="not a coding sheet"):
        bt.read_coding_sheet(path, codes=RZ)      # codes given: the same answer


def test_the_docstring_s_recoding_to_types_works_on_the_built_in_codes():
    gold = bt.load_instrument_codes()[["coder_a", "coder_b"]]
    assert gold["coder_a"].str.match(r"[SED]_").any()          # subtypes such as S_talent
    types = gold.replace(bt.read_codebook().types.to_dict())
    assert set(types.stack()) <= {"supply", "environment", "demand", "none"}
    sub = bt.reliability(gold, n_boot=0).loc[("(all)", "agreement"), "estimate"]
    top = bt.reliability(types, n_boot=0).loc[("(all)", "agreement"), "estimate"]
    assert top >= sub                     # coders who differ on a subtype may agree on its type
    assert "S_talent" in bt.reliability.__doc__ and "supply.talent" not in bt.reliability.__doc__


# ---------------------------------------------------------------------- audit s39
def _three_plans(agree=(8, 9, 10), size=10):
    """Two coders on ``size`` clauses of each of three plans, agreeing on ``agree[d]`` of
    plan d's (the others: supply against demand); unit ids plan#cK."""
    rows = []
    for d, k in enumerate(agree):
        for i in range(size):
            code = RZ[i % 3]
            rows.append((f"plan{d}#c{i}", code, code if i < k else
                         ("demand" if code != "demand" else "supply")))
    return pd.DataFrame(rows, columns=["doc_id", "wang", "li"]).set_index("doc_id")


def test_three_documents_give_the_t_interval_of_the_exact_document_bootstrap():
    """Agreement 0.8, 0.9, 1.0 in three plans of 10 clauses: the estimate is their mean
    0.9; the document bootstrap of a mean of 3 equal-sized documents has variance
    sigma^2 / 3, sigma^2 = (0.1^2 + 0 + 0.1^2) / 3, so the interval is
    0.9 -+ t_{0.975, 2} sqrt(3 / 2) sqrt(0.02 / 9), the high end kept at 1."""
    from scipy import stats as st

    codes = _three_plans()
    a = bt.reliability(codes, n_boot=50, by_code=False, random_state=1)
    b = bt.reliability(codes, n_boot=5000, by_code=False, random_state=2)
    row = a.loc[("(all)", "agreement")]
    half = st.t.ppf(0.975, 2) * np.sqrt(1.5) * np.sqrt(0.02 / 9)
    assert row["estimate"] == pytest.approx(0.9, abs=1e-12)
    assert row["ci_low"] == pytest.approx(0.9 - half, abs=1e-12)      # 0.6516
    assert row["ci_high"] == 1.0
    # exact: the same interval whatever n_boot and the seed
    pd.testing.assert_frame_equal(a, b, check_exact=False, atol=1e-12)
    assert a.attrs["resample"] == "two-stage" and a.attrs["n_documents"] == 3
    assert a.attrs["interval"].startswith("between-document (3 documents")
    # the units as if independent: a percentile interval, narrower
    u = bt.reliability(codes, n_boot=2000, by_code=False, random_state=1, resample="unit")
    ur = u.loc[("(all)", "agreement")]
    assert 0.6516 < ur["ci_low"] < 0.9 and ur["ci_high"] == 1.0
    assert u.attrs["interval"] == "within-document"


def test_documents_from_a_column_and_errors_when_unknown():
    codes = _three_plans().reset_index()
    codes["plan"] = codes["doc_id"].str.split("#").str[0]
    by_column = bt.reliability(codes, coders=["wang", "li"], n_boot=50, by_code=False,
                               documents="plan")
    assert by_column.attrs["documents"] == "plan" and by_column.attrs["n_documents"] == 3
    # a parent_id column is a document, never a coder
    codes = codes.rename(columns={"plan": "parent_id"}).drop(columns="doc_id")
    auto = bt.reliability(codes, n_boot=50, by_code=False)
    assert auto.attrs["coders"] == ["wang", "li"] and auto.attrs["documents"] == "parent_id"
    pd.testing.assert_frame_equal(by_column, auto)
    bare = codes.drop(columns="parent_id")               # ids 0..29: documents unknown
    plain = bt.reliability(bare, n_boot=50, by_code=False)
    assert plain.attrs["resample"] == "unit" and plain.attrs["documents"] is None
    with pytest.raises(ParameterError, match="documents are unknown"):
        bt.reliability(bare, n_boot=50, resample="document")
    with pytest.raises(MetadataError, match="not a column"):
        bt.reliability(bare, n_boot=50, documents="plan")
    with pytest.raises(ParameterError, match="2 ids for 30 units"):
        bt.reliability(bare, n_boot=50, documents=["a", "b"])


def test_a_bootstrap_that_cannot_vary_gives_no_interval():
    """Ten clauses both coders call supply: agreement 1, kappa and alpha undefined; every
    resample agrees, so [1, 1] would claim certainty from ten clauses: NaN instead."""
    same = pd.DataFrame({"wang": ["supply"] * 10, "li": ["supply"] * 10})
    t = bt.reliability(same, n_boot=200)
    assert t.loc[("(all)", "agreement"), "estimate"] == 1.0
    assert t[["ci_low", "ci_high"]].isna().all().all()
    one = bt.reliability(pd.DataFrame({"wang": ["supply"], "li": ["demand"]}), n_boot=200)
    assert one.loc[("(all)", "fleiss_kappa"), "estimate"] == -1.0
    assert one[["ci_low", "ci_high"]].isna().all().all()


def test_clustered_documents_widen_the_interval():
    """Agreement 0.3, 0.3, 1.0, 1.0 in four plans of 30 clauses: the document interval
    (expanded percentile over 4 plans) is wider than the clauses-as-independent one
    (measured: 1.20 against 0.26 for kappa, seed 0)."""
    codes = _three_plans(agree=(9, 9, 30, 30), size=30)
    doc = bt.reliability(codes, n_boot=1000, by_code=False).loc[("(all)", "cohen_kappa")]
    unit = bt.reliability(codes, n_boot=1000, by_code=False,
                          resample="unit").loc[("(all)", "cohen_kappa")]
    assert doc["estimate"] == unit["estimate"]
    assert (doc.ci_high - doc.ci_low) > 2 * (unit.ci_high - unit.ci_low)


# ---------------------------------------------------------------------- audit s45
def _guangxi_sheet(tmp_path):
    """A coding sheet of 广西's first eight clauses (tests/data/provincial_reports_2026.csv)
    in the student's own codebook (tests/data/codebook_digital_chain.csv), for coder wang."""
    from pathlib import Path

    data = Path(__file__).parent / "data"
    book = bt.read_codebook(data / "codebook_digital_chain.csv")
    clauses = bt.read_csv(data / "provincial_reports_2026.csv").subset(doc_id="gx") \
        .reshape("clause")
    return bt.write_coding_sheet(clauses.subset(doc_id=[f"gx#c{i}" for i in range(1, 9)]),
                                 tmp_path / "wang.xlsx", book, coders=("wang",))


def test_coders_who_type_names_full_width_or_lower_case_are_read_as_their_codes(tmp_path):
    """Guangxi's 2026 report (tests/data/provincial_reports_2026.csv), its 8 provisions
    in a sheet of the student's own codebook (tests/data/codebook_digital_chain.csv). A
    coder types what a Chinese keyboard and the codebook sheet give: the name 基础设施
    for S_infra, 非政策工具 for none, the full-width Ｄ＿ｍａｒｋｅｔ, the lower-case
    e_rule and the type's name 供给型. Each was 'not a code of the codebook' (one error
    for the file); now each is read as its code, and one warning lists the names and
    cases read."""
    path = _guangxi_sheet(tmp_path)
    typed = {"gx#c1": "非政策工具", "gx#c2": "none", "gx#c3": "ｎｏｎｅ", "gx#c4": "Ｄ＿ｍａｒｋｅｔ",
             "gx#c5": "e_rule", "gx#c6": "基础设施 ", "gx#c7": "none", "gx#c8": "供给型"}
    wb = load_workbook(path)
    ws = wb["coding"]
    for row in ws.iter_rows(min_row=2):
        row[-1].value = typed[row[0].value]
    wb.save(path)
    with pytest.warns(UserWarning, match=r"4 cell\(s\) hold a code's name or another case.*"
                                         r"'非政策工具' -> 'none'.*'e_rule' -> 'E_rule'.*"
                                         r"'基础设施' -> 'S_infra'.*'供给型' -> 'S'"):
        codes = bt.read_coding_sheet(path)
    assert codes["wang"].tolist() == ["none", "none", "none", "D_market", "E_rule",
                                      "S_infra", "none", "S"]
    # the default codebook's names are "中文 english": either half is read
    assert bt.instruments._sheet._code_lookup(  # noqa: SLF001
        ["S_talent", "E_tax"], {"S_talent": "人才 talent", "E_tax": "税收优惠 tax"})[1] == \
        {"s_talent": "S_talent", "人才 talent": "S_talent", "人才": "S_talent",
         "talent": "S_talent", "e_tax": "E_tax", "税收优惠 tax": "E_tax", "税收优惠": "E_tax",
         "tax": "E_tax"}
    # text that is no code nor a name: still the error naming the cell
    wb = load_workbook(path)
    wb["coding"].cell(2, wb["coding"].max_column).value = "不确定"
    wb.save(path)
    with pytest.raises(InputError, match=r"wang.xlsx, sheet 'coding': row 2 \(doc_id "
                                         r"'gx#c1'\), coder 'wang': '不确定' is not a code"):
        bt.read_coding_sheet(path)


def test_a_coding_sheet_renamed_and_moved_by_its_coder_is_found(tmp_path):
    """A coder renames the sheet 'coding' to 王老师编码 and drags it after 'codebook' (WPS
    and Excel both allow it): the file's first sheet is then the codebook, and the sheet
    was 'not a coding sheet'; now the sheet with the doc_id column is read, and errors
    name it."""
    from pathlib import Path

    data = Path(__file__).parent / "data"
    book = bt.read_codebook(data / "codebook_digital_chain.csv")
    clauses = bt.read_csv(data / "provincial_reports_2026.csv").subset(doc_id="nx") \
        .reshape("clause")
    path = bt.write_coding_sheet(clauses, tmp_path / "wang.xlsx", book, coders=("wang",))
    wb = load_workbook(path)
    ws = wb["coding"]
    ws.title = "王老师编码"
    wb.move_sheet("王老师编码", offset=1)
    for row in ws.iter_rows(min_row=2):
        row[-1].value = "S_infra" if "算力" in row[3].value else "none"
    wb.save(path)
    assert load_workbook(path).sheetnames == ["codebook", "王老师编码", "about"]
    codes = bt.read_coding_sheet(path)
    # 宁夏's 7 paragraphs; 算力网络国家枢纽节点 is the 5th (nx#c4)
    assert len(codes) == 7 and codes.index[codes["wang"] == "S_infra"].tolist() == ["nx#c4"]
    wb = load_workbook(path)
    wb["王老师编码"]["A3"].value = None
    wb.save(path)
    with pytest.raises(InputError, match=r"sheet '王老师编码': row 3 has no doc_id"):
        bt.read_coding_sheet(path)


def test_a_second_dimension_sheet_lets_coders_say_none(tmp_path):
    """The student's second dimension, 产业链环节 (tests/data/codebook_digital_chain.csv),
    lists four stages and no "none": its coding sheet offered those four, so a coder could
    only leave blank the clause that serves no stage (de03#c1, 以数字经济为主线…), read
    as "not coded yet", and it left the agreement (2 of 3 units agreed instead of 3 of 5).
    code_clauses codes such a clause none: the sheet now lists none too."""
    from pathlib import Path

    data = Path(__file__).parent / "data"
    book = bt.read_codebook(data / "codebook_digital_chain.csv")
    clauses = bt.read_csv(data / "digital_economy_policies.csv").subset(doc_id="de03") \
        .reshape("clause")
    provisions = clauses.subset(~clauses.docs["is_heading"].to_numpy(bool))
    assert provisions.doc_ids == ["de03#c1", "de03#c3", "de03#c4", "de03#c5", "de03#c7"]
    assert bt.code_clauses(provisions, book).loc["de03#c1", "产业链环节"] == "none"
    hand = {"wang": ["none", "SUP", "MFG", "none", "SUP"],
            "li": ["none", "SUP", "SUP", "APP", "SUP"]}
    files = []
    for coder, codes in hand.items():
        path = bt.write_coding_sheet(provisions, tmp_path / f"{coder}.xlsx", book,
                                     coders=(coder,), dimension="产业链环节")
        wb = load_workbook(path)
        assert [r[0].value for r in wb["codebook"].iter_rows(min_row=2)] == \
            ["R&D", "MFG", "APP", "SUP", "none"]
        for row, code in zip(wb["coding"].iter_rows(min_row=2), codes):
            row[-1].value = code
        wb.save(path)
        files.append(path)
    codes = bt.read_coding_sheet(files)
    agreement = bt.reliability(codes, n_boot=0).loc[("(all)", "agreement")]
    assert agreement["n_units"] == 5 and agreement["estimate"] == pytest.approx(3 / 5)
    # the instrument dimension keeps its own list (its none is the codebook's)
    first = bt.write_coding_sheet(provisions, tmp_path / "t.xlsx", book)
    assert [r[0].value for r in load_workbook(first)["codebook"].iter_rows(min_row=2)][-4:] \
        == ["E_rule", "D_pilot", "D_market", "none"]


def test_a_file_sorted_without_its_doc_id_column_is_not_read_silently(tmp_path):
    """Two coders code Guangxi's 2026 report (8 provisions, tests/data/
    provincial_reports_2026.csv), one file each. Wang sorts his rows by text in Excel
    after selecting columns B onward only: each doc_id now sits beside another clause
    and his codes (his own clauses' codes) move with the texts, away from their ids. Read
    back, κ fell and nothing said why; now a warning names the units whose text differs
    between the two files. Sorting whole rows stays silent and changes no code."""
    from pathlib import Path

    data = Path(__file__).parent / "data"
    book = bt.read_codebook(data / "codebook_digital_chain.csv")
    clauses = bt.read_csv(data / "provincial_reports_2026.csv").subset(doc_id="gx") \
        .reshape("clause")
    units = clauses.subset(doc_id=[f"gx#c{i}" for i in range(1, 9)])
    truth = bt.code_clauses(units, book)["code"]
    paths = {}
    for coder in ("wang", "li"):
        path = bt.write_coding_sheet(units, tmp_path / f"{coder}.xlsx", book, coders=(coder,))
        wb = load_workbook(path)
        for row in wb["coding"].iter_rows(min_row=2):
            row[-1].value = truth[row[0].value]
        wb.save(path)
        paths[coder] = path

    def sort_rows(first_column, out):
        wb = load_workbook(paths["wang"])
        ws = wb["coding"]
        header = [c.value for c in ws[1]]
        rows = [[c.value for c in r[first_column:]] for r in ws.iter_rows(min_row=2)]
        text = header.index("text") - first_column
        rows.sort(key=lambda r: r[text])
        for i, row in enumerate(rows, start=2):
            for j, v in enumerate(row, start=first_column + 1):
                ws.cell(i, j).value = v
        wb.save(tmp_path / out)
        return tmp_path / out

    moved = sum(a != b for a, b in zip(units.docs["text"], sorted(units.docs["text"])))
    assert moved == 7                  # sorted by text, 7 of the 8 rows move
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        whole = bt.read_coding_sheet([sort_rows(0, "whole.xlsx"), paths["li"]])
    whole = whole.reindex(truth.index)               # the first file's order: sorted
    assert whole["wang"].tolist() == truth.tolist() == whole["li"].tolist()
    with pytest.warns(UserWarning, match=rf"{moved} unit\(s\) have another text in .*li.xlsx "
                                         r"than in .*part.xlsx.*sorted without their "
                                         r"doc_id column"):
        part = bt.read_coding_sheet([sort_rows(1, "part.xlsx"), paths["li"]])
    assert part["wang"].reindex(truth.index).tolist() != truth.tolist()


def test_a_second_dimension_sheet_takes_its_suggestions_from_that_dimension(tmp_path):
    """write_coding_sheet(..., dimension="产业链环节", precoded=bt.code_clauses(...)) took
    the instrument codes (`code`) as the suggestions and failed: 'precoded has codes not
    in codes: [D_market, ...]'. code_clauses puts the chain stages in the column
    产业链环节 (智能制造 -> MFG for de03's （二）推动智能制造，建设工业互联网平台); the sheet
    now suggests those."""
    from pathlib import Path

    data = Path(__file__).parent / "data"
    book = bt.read_codebook(data / "codebook_digital_chain.csv")
    clauses = bt.read_csv(data / "digital_economy_policies.csv").subset(doc_id="de03") \
        .reshape("clause")
    provisions = clauses.subset(~clauses.docs["is_heading"].to_numpy(bool))
    coded = bt.code_clauses(provisions, book)
    path = bt.write_coding_sheet(provisions, tmp_path / "chain.xlsx", book,
                                 dimension="产业链环节", precoded=coded)
    ws = load_workbook(path)["coding"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    suggested = header.index("suggested")
    assert rows["de03#c4"][suggested] == "MFG" == coded.loc["de03#c4", "产业链环节"]
    assert rows["de03#c3"][suggested] == "SUP"                  # 建设省级大数据中心
    assert rows["de03#c1"][suggested] == "none"
    assert "智能制造 (MFG)" in rows["de03#c4"][header.index("evidence")]


def test_a_coding_sheet_saved_as_csv_by_its_coder_is_read_as_the_workbook(tmp_path):
    """Guangxi's 2026 report (tests/data/provincial_reports_2026.csv), 8 provisions, one
    file per coder, the student's codebook (tests/data/codebook_digital_chain.csv). Wang
    codes in WPS and saves "CSV (逗号分隔)" (GBK on Chinese Windows); li keeps the .xlsx.
    Both were "not an .xlsx workbook" (save it as .xlsx); now the CSV is read as the
    workbook is, its codes checked against li's codebook sheet, and the two files give
    7 of 8 agreements (gx#c5: S_infra against E_rule). Li's sheet saved as "CSV UTF-8"
    (with BOM) or tab-separated text reads the same with the codebook given; errors name
    the file and the row."""
    from pathlib import Path

    data = Path(__file__).parent / "data"
    book = bt.read_codebook(data / "codebook_digital_chain.csv")
    clauses = bt.read_csv(data / "provincial_reports_2026.csv").subset(doc_id="gx") \
        .reshape("clause")
    units = clauses.subset(doc_id=[f"gx#c{i}" for i in range(1, 9)])
    wang_codes = ["S_infra", "none", "E_rule", "D_market", "S_infra", "none", "S_infra", "none"]
    li_codes = ["S_infra", "none", "E_rule", "D_market", "E_rule", "none", "S_infra", "none"]
    for coder in ("wang", "li"):
        bt.write_coding_sheet(units, tmp_path / f"{coder}.xlsx", book, coders=(coder,),
                              context_from=clauses)
    _fill(tmp_path / "li.xlsx", {"li": dict(zip(units.docs["doc_id"], li_codes))})
    sheet = pd.read_excel(tmp_path / "wang.xlsx", sheet_name="coding", dtype=str)
    sheet["wang"] = wang_codes
    sheet.to_csv(tmp_path / "wang.csv", index=False, encoding="gbk")
    assert (tmp_path / "wang.csv").read_bytes().decode("gbk").count("东盟") > 0

    codes = bt.read_coding_sheet([tmp_path / "wang.csv", tmp_path / "li.xlsx"])
    assert codes.columns.tolist() == ["text", "wang", "li"]
    assert codes["wang"].tolist() == wang_codes and codes["li"].tolist() == li_codes
    assert codes.loc["gx#c5", "text"].startswith("推动边境口岸数字化改造")
    assert "S_infra" in codes.attrs["codes"] and codes.attrs["n_blank"] == {"wang": 0, "li": 0}
    table = bt.reliability(codes[["wang", "li"]], resample="unit", n_boot=0)
    assert table.loc[("(all)", "agreement"), "estimate"] == 7 / 8

    # li's filled sheet as "CSV UTF-8" (BOM) and as tab-separated text: the same codes
    li = pd.read_excel(tmp_path / "li.xlsx", sheet_name="coding", dtype=str)
    li.to_csv(tmp_path / "li.csv", index=False, encoding="utf-8-sig")
    li.to_csv(tmp_path / "li.txt", index=False, sep="\t", encoding="utf-8")
    for name in ("li.csv", "li.txt"):
        assert bt.read_coding_sheet(tmp_path / name, codes=book)["li"].tolist() == li_codes
    # without a workbook to take the codebook from: the error names the file, says why
    with pytest.raises(InputError, match=r"wang.csv: a sheet saved as CSV keeps no "
                                         r"codebook sheet: pass the codes"):
        bt.read_coding_sheet(tmp_path / "wang.csv")
    # a typo in the CSV: the error names the file and the row (as Excel numbers it)
    sheet.loc[2, "wang"] = "E_rul"
    sheet.to_csv(tmp_path / "wang.csv", index=False, encoding="gbk")
    with pytest.raises(InputError, match=r"wang.csv: row 4 \(doc_id 'gx#c3'\), coder "
                                         r"'wang': 'E_rul' is not a code"):
        bt.read_coding_sheet([tmp_path / "wang.csv", tmp_path / "li.xlsx"])


def test_a_cell_with_a_code_beside_its_name_is_read_as_the_code(tmp_path):
    """Guangxi's 2026 report, 8 provisions, the student's codebook (S_infra is 基础设施,
    D_market 市场培育, E_rule 法规管制, none 非政策工具). A coder copies the code with its
    name from the codebook sheet: 'S_infra 基础设施', 'S_infra（基础设施）', '市场培育 D_market',
    'E_rule：法规管制', '【none】非政策工具'. Each was 'not a code of the codebook'; now each
    is its code, counted with the names in the one warning. A code beside another code's
    name ('S_infra 人才培养') is still an error naming the cell."""
    path = _guangxi_sheet(tmp_path)
    typed = {"gx#c1": "S_infra 基础设施", "gx#c2": "none", "gx#c3": "E_rule：法规管制",
             "gx#c4": "市场培育 D_market", "gx#c5": "S_infra（基础设施）", "gx#c6": "基础设施",
             "gx#c7": "【none】非政策工具", "gx#c8": "s_infra 基础设施"}
    _fill(path, {"wang": typed})
    with pytest.warns(UserWarning) as record:
        codes = bt.read_coding_sheet(path)
    assert codes["wang"].tolist() == ["S_infra", "none", "E_rule", "D_market", "S_infra",
                                      "S_infra", "none", "S_infra"]
    message, = [str(w.message) for w in record if "code's name" in str(w.message)]
    assert "wang.xlsx, sheet 'coding': 7 cell(s) hold a code's name or another case, or " \
           "the code beside its name" in message
    for shown in ("'S_infra 基础设施' -> 'S_infra' (rows [2])",
                  "'E_rule:法规管制' -> 'E_rule' (rows [4])",
                  "'市场培育 D_market' -> 'D_market' (rows [5])",
                  "'S_infra(基础设施)' -> 'S_infra' (rows [6])",
                  "'基础设施' -> 'S_infra' (rows [7])", "'【none】非政策工具' -> 'none' (rows [8])"):
        assert shown in message
    # a name that ends in a bracket (the none a second dimension's sheet adds) keeps it
    lookup, _ = bt.instruments._sheet._code_lookup(  # noqa: SLF001
        ["R&D", "none"], {"R&D": "研发环节", "none": "无 (no 产业链环节)"})
    sheet = bt.instruments._sheet  # noqa: SLF001
    assert [sheet._lookup_code(sheet._cell_key(k), lookup)  # noqa: SLF001
            for k in ("none 无 (no 产业链环节)", "研发环节（R&D）", "r&d")] == ["none", "R&D", "R&D"]
    # the code beside another code's name: which one was meant is not guessed
    _fill(path, {"wang": {"gx#c1": "S_infra 人才培养"}})
    with pytest.raises(InputError, match=r"row 2 \(doc_id 'gx#c1'\), coder 'wang': "
                                         r"'S_infra 人才培养' is not a code"):
        bt.read_coding_sheet(path)
