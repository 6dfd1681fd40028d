"""The figures of a clause and how a rewritten clause changed them (``figures`` of
:func:`~bri_text.compare_versions`, ``figures_changed`` of :func:`~bri_text.reinvention`).

Similarity ignores the values of digits (2025年 and 2030年 read alike), so a local version
that raises its source's targets keeps the clause ``kept``. The figures are compared apart:
each clause's figures - a number with its unit and qualifiers - are read on both sides
and compared as multisets, so a figure moved within the sentence is no change.

A figure is a number (digits ``95``, ``2.15``, with 万/亿 after them; Chinese numerals
``两千``, ``三亿五千万``; ``百分之九十五``) with what says what it counts:

- a unit: ``%``/``‰``/``个百分点`` (percent), ``年`` after a year of 19xx/20xx, with a month
  and day when given (a date: ``2025年``, ``2025年6月30日``), amounts (``亿元``,
  ``万美元``), counts and measures (``个 家 项 次 条 座 …``, ``公里 吨 亩 …``), durations
  (``3年``, ``个月``, ``个工作日``, ``分钟``);
- a range: ``3%-5%``, ``3至5年``, ``2021—2025年``;
- qualifiers: ``以上 以下 左右 以内 多 余`` after it, ``不少于 不低于 不超过 不高于
  超过 至少 约 近`` before it.

Numbers in digits count with or without a unit (``5G``, ``12345``); Chinese numerals only
where they form a quantity: followed by a unit (``两次``, ``三级``; not ``一网通办``,
``统一``, ``一次性``) or after 百分之, and a five-year plan (``十四五``; not ``二十国集团``);
an ordinal (``第三``) is no figure.

A figure also has the verb just before it (a few characters: 增长5%, 提高到67%, 下降了3%;
:data:`RISE_WORDS` a rise, :data:`FALL_WORDS` a fall) and its kind of limit
(:data:`BOUNDS`: ``floor`` 以上/不少于/不低于/至少/超过, ``ceiling`` 以内/以下/不超过/
不高于/控制在…, ``approximate`` 左右/约/近/上下). Two figures are the same when their
canonical forms are: the number (full-width digits folded, Chinese numerals before a unit
read as digits: ``两次`` = ``2次``, ``二〇二五年`` = ``2025年``), its unit, its kind of
limit (``95%以上`` = ``不低于95%``; ``5%以上`` is not ``5%以内``) and the sign of its verb:
下降5% is not 增长5%, while 增长5% and a bare 5% are the same (the verb was left out,
not turned).

A changed figure is paired with the one that replaced it when the clause lost and gained
as many figures of that kind (percent, points, date, amount, or the same unit), in order
(when that pairs a rise with a fall, rises with rises and falls with falls if each side
has as many of each); then ``direction`` says how it changed:

- ``sign flipped``: a rise became a fall or back (下降5%→增长3%; the verbs are shown
  with the figures), whatever the numbers did;
- a change of limit where a floor or ceiling is involved: ``floor→ceiling``,
  ``floor→approximate``, ``exact→floor`` … (5%以上→6%以内: no ``up``, the numbers bound
  different things); an approximate figure and one without a limit both state a point,
  so 3%→4%左右 is ``up``;
- else which way the number moved, for percentages and points (``up``/``down``) and dates
  (``earlier``/``later``) only - a number, not a policy judgment: 压缩50%→压缩60% and
  下降5%→下降8% are ``up`` (larger cuts), 降低2.5%左右→降低3%左右 is ``up``.

>>> [tuple(c) for c in figure_changes("能耗下降5%", "能耗增长3%")[0]]
[('下降5%', '增长3%', 'sign flipped')]
>>> [tuple(c) for c in figure_changes("增长5%以上", "增长6%以内")[0]]
[('5%以上', '6%以内', 'floor→ceiling')]
>>> figure_changes("国内生产总值增长5%左右", "国内生产总值5%左右")[1]   # verb left out
0
"""
from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from .._dates import _CN_QUANTITY, _cn_value

#: a number in digits, with a decimal part (the figures text_reuse compares too)
DIGITS = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
#: Chinese numerals of a quantity (digits, 两, 十百千, 万亿)
CN_NUMERALS = _CN_QUANTITY

# full-width digits and signs folded, one character for one (spans stay the same)
_FOLD = str.maketrans("０１２３４５６７８９．％－～—–", "0123456789.%-~--")
_PERCENT = ("%", "‰", "个百分点")
_MONEY = r"(?:万|亿|千)*(?:元|美元|欧元|港元|港币|人民币)"
# units of counts and measures, longest first where one begins another
_UNITS = ("个工作日|工作日|个百分点|个月|个|家|项|次|条|座|所|名|人次|人|户|件|台|套|辆|艘|架|张"
          "|类|种|批|级|层|岁|位|处|支|列|班|趟|场|期|届|轮|倍|成|部|本|篇|份|头|株|间|片"
          "|平方公里|平方千米|平方米|立方米|公顷|千米|公里|米|亩|吨|公斤|千克|克|斤"
          "|千瓦时|千瓦|兆瓦|吉瓦"
          "|标准箱|小时|分钟|秒|天|日|周|月|年|%|‰")
_NUM = rf"(?:\d+(?:\.\d+)?(?:[万亿]+)?|[{_CN_QUANTITY}]+)"
_PRE = r"(?P<pre>不少于|不低于|不超过|不高于|超过|至少|约|近)?"
_POST = r"(?P<post>以上|以下|左右|以内|之内|上下)?"
_FIGURE = re.compile(
    _PRE
    + r"(?:百分之(?P<pct>" + _NUM + r")"
    + r"|(?P<date>(?:19|20)\d\d年(?:\d{1,2}月(?:\d{1,2}日)?)?)"
    + r"(?:[-~至到](?P<date2>(?:19|20)\d\d年))?"
    + r"|(?P<year1>(?:19|20)\d\d)[-~至到](?P<year2>(?:19|20)\d\d)年"
    + rf"|(?P<num>{_NUM})(?P<unit1>%|‰)?(?:[-~至到](?P<num2>{_NUM}))?"
    + rf"(?P<more>[多余])?(?P<unit>{_MONEY}|{_UNITS})?)"
    + _POST)
# a five-year plan: the only Chinese numerals without a unit that make a figure
_PLAN = re.compile("十[一二三四五六七八九]?五")
# before a lone Chinese numeral, characters that make a word of it (统一支付, 同一个)
_WORD_BEFORE = frozenset("统唯同单专划逐归合均整纯万之")
# after a Chinese numeral and its unit, words that make it no quantity (一次性, 一条龙)
_NOT_AFTER = ("次性", "条龙", "体化", "揽子", "把手")

#: verbs (and nouns of a change) read as a rise when they stand just before a figure
RISE_WORDS = ("增长", "提高", "提升", "上升", "增加", "扩大", "上涨", "上调", "增幅", "涨幅",
              "增速")
#: verbs (and nouns of a change) read as a fall when they stand just before a figure
FALL_WORDS = ("下降", "降低", "减少", "压减", "缩减", "削减", "压降", "压缩", "缩小", "缩短",
              "减小", "下调", "下跌", "回落", "收窄", "降幅", "跌幅")
# the verb and what may stand between it and the figure (了, 到, 至, 达到, 为, 分别 …)
_VERB = re.compile("(?P<verb>" + "|".join(RISE_WORDS + FALL_WORDS) + ")"
                   "(?:了|到|至|达到|达|为|分别为|分别|幅度为|幅度|在)?$")
#: the words of a limit and its kind: a floor (at least), a ceiling (at most) or an
#: approximate figure; 控制在 before a figure without one of them makes a ceiling
BOUNDS = {"以上": "floor", "不少于": "floor", "不低于": "floor", "至少": "floor",
          "超过": "floor", "以内": "ceiling", "之内": "ceiling", "以下": "ceiling",
          "不超过": "ceiling", "不高于": "ceiling", "左右": "approximate",
          "上下": "approximate", "约": "approximate", "近": "approximate"}
_CEILING_BEFORE = re.compile("控制(?:在|到|于)$")
# the bound in a canonical form (the key): 95%以上 = 不低于95% = ≥95%
_BOUND_SIGN = {"floor": "≥", "ceiling": "≤", "approximate": "≈", "": ""}


class Figure(NamedTuple):
    """A figure of a clause: its text, where it is, its canonical form, its kind and, for
    percentages and dates, its value: the ends of a range, each a tuple ((95.0,), or
    (2025, 6, 30) for a date); the verb before it as written (``下降``, ``提高到``; ``""``
    when none), its sign (``+`` a rise, ``-`` a fall, ``""``) and the kind of limit
    (``floor``, ``ceiling``, ``approximate`` or ``""``)."""
    text: str
    start: int
    end: int
    key: str
    kind: str
    value: tuple
    verb: str = ""
    sign: str = ""
    bound: str = ""


def _digits_value(x: str) -> float | None:
    """12 -> 12.0, 2.15万 -> 21500.0, 三千 -> 3000.0; None when it is no number."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万亿]*)", x)
    if m:
        v = float(m.group(1))
        for c in m.group(2):
            v *= 10_000 if c == "万" else 100_000_000
        return v
    v = _cn_value(x)
    return None if v is None else float(v)


def _canon(x: str) -> str:
    """A number as written canonically: 2.50 -> 2.5, 两 -> 2 (Chinese numerals read)."""
    v = _digits_value(x)
    if v is None:
        return x
    return f"{v:.10g}" if v < 1e15 else x


def figures(text: str) -> list[Figure]:
    """The figures of ``text``, in order. The key is canonical: the sign of the verb before
    the figure (``+``/``-``), its limit (``≥`` floor, ``≤`` ceiling, ``≈`` approximate),
    the number and its unit.

    >>> [(f.text, f.key, f.kind) for f in figures("网上可办率达到95%以上，压缩50%；到2030年建成，"
    ...                                            "每年组织不少于两次轮训，统一身份认证。")]
    [('95%以上', '≥95%', 'percent'), ('50%', '-50%', 'percent'), ('2030年', '2030年', 'date'), ('不少于两次', '≥2次', '次')]
    >>> [(f.verb, f.sign, f.bound) for f in figures("能耗降低2.5%左右，赤字率控制在3%")]
    [('降低', '-', 'approximate'), ('', '', 'ceiling')]
    """
    folded = text.translate(_FOLD)
    out = []
    for m in _FIGURE.finditer(folded):
        f = _figure(m, folded)
        if f is None:
            continue
        before = folded[max(0, m.start() - 8):m.start()]
        v = _VERB.search(before)
        verb = text[m.start() - len(v.group()):m.start()] if v else ""
        sign = "" if not v else "+" if v.group("verb") in RISE_WORDS else "-"
        words = [m.group("pre"), m.group("post")]
        bound = next((BOUNDS[w] for w in words[::-1] if w), "")
        if not bound and _CEILING_BEFORE.search(before):
            bound = "ceiling"
        out.append(f._replace(text=text[f.start:f.end], verb=verb, sign=sign, bound=bound,
                              key=sign + _BOUND_SIGN[bound] + f.key))
    return out


def _figure(m: re.Match, text: str) -> Figure | None:
    """The figure of a match (its key the number and unit only), or None when it is none (a
    lone Chinese numeral without a unit, an ordinal, 一次性)."""
    g = m.groupdict()
    pre = post = ""                       # the limit is read apart (figures: the key)
    start, end = m.span()
    if g["pct"] is not None:
        v = _digits_value(g["pct"])
        if v is None:
            return None
        return Figure("", start, end, f"{pre}{_canon(g['pct'])}%{post}", "percent", ((v,),))
    if g["date"] is not None:
        parts = tuple(int(x) for x in re.findall(r"\d+", g["date"]))
        value = (parts,) if g["date2"] is None else ((parts[0],), (int(g["date2"][:4]),))
        key = g["date"] if g["date2"] is None else \
            f"{g['date'].rstrip('年') if len(parts) == 1 else g['date']}-{g['date2']}"
        return Figure("", start, end, pre + key + post, "date", value)
    if g["year1"] is not None:
        value = ((int(g["year1"]),), (int(g["year2"]),))
        return Figure("", start, end, f"{pre}{g['year1']}-{g['year2']}年{post}", "date", value)
    num, num2 = g["num"], g["num2"]
    unit = g["unit"] or g["unit1"] or ""
    cn = num[0] in _CN_QUANTITY
    if m.start("num") and text[m.start("num") - 1] == "第":
        return None                                  # an ordinal: 第三
    if cn and len(num) < 2 and (not unit or (m.start("num") and
                                            text[m.start("num") - 1] in _WORD_BEFORE)):
        return None                                  # 一网通办; 统一支付, 唯一
    if cn and unit and text.startswith(_NOT_AFTER, m.end("unit") - 1):
        return None                                  # 一次性, 一条龙
    if cn and not unit:                              # 十四五: as written, not read
        if not _PLAN.fullmatch(num):
            return None                              # 二十国集团, 一一对应: names, words
        return Figure("", start, end, pre + num + post, "number", ())
    unit1 = g["unit1"] if g["unit1"] and g["unit1"] != g["unit"] else ""   # 3%-5% = 3-5%
    key = f"{pre}{_canon(num)}{unit1}" + (f"-{_canon(num2)}" if num2 else "") \
        + f"{g['more'] or ''}{g['unit'] or ''}{post}"
    kind = ("percent" if unit in ("%", "‰") else "points" if unit == "个百分点"
            else "money" if unit.endswith(("元", "币")) else unit or "number")
    value = ()
    if kind in ("percent", "points"):
        ends = [_digits_value(x) for x in (num, num2) if x]
        value = tuple((v,) for v in ends) if None not in ends else ()
    return Figure("", start, end, key, kind, value)


class FigureChange(NamedTuple):
    """A changed figure: what the source says (``""`` when the local clause added it), what
    the local version says (``""`` when it dropped it) and which way it moved (``""`` when
    not told): ``up``/``down``, ``earlier``/``later``, ``sign flipped`` (a rise became a fall
    or back; the verbs are then shown with the figures) or the change of limit
    (``floor→ceiling``, ``exact→floor`` …)."""
    source: str
    local: str
    direction: str


def _unmatched(a: list[Figure], b: list[Figure], key=lambda f: f.key) -> list[Figure]:
    """The figures of ``a`` that ``b`` has not (by ``key``, the canonical form, counted: the
    last ones of a repeated figure)."""
    left = Counter(key(f) for f in a) - Counter(key(f) for f in b)
    out = []
    for f in reversed(a):
        if left[key(f)]:
            left[key(f)] -= 1
            out.append(f)
    return out[::-1]


def _unsigned(f: Figure) -> str:
    """The key without the sign of the verb: 增长5% and 5% alike."""
    return f.key.lstrip("+-")


def _left_over(fa: list[Figure], fb: list[Figure]) -> tuple[list[Figure], list[Figure]]:
    """The figures of each side the other has not. A figure with no verb before it is the
    same as one with the verb (增长5%左右 = 5%左右: the verb was left out, not turned); a
    rise and a fall (增长5%, 下降5%) are not."""
    gone, new = _unmatched(fa, fb), _unmatched(fb, fa)
    for f in list(gone):
        g = next((g for g in new if _unsigned(g) == _unsigned(f)
                  and not (f.sign and g.sign)), None)
        if g is not None:
            gone.remove(f)
            new.remove(g)
    return gone, new


def _direction(kind: str, old: tuple, new: tuple) -> str:
    """up/down (percentages, points) or earlier/later (dates) when every end (of a range)
    moved one way or stayed, else "" (also when a date gained or lost its month)."""
    if kind not in ("percent", "points", "date") or not old or not new \
            or len(old) != len(new) or old == new \
            or any(len(x) != len(y) for x, y in zip(old, new)):
        return ""
    if all(y >= x for x, y in zip(old, new)):
        return "later" if kind == "date" else "up"
    if all(y <= x for x, y in zip(old, new)):
        return "earlier" if kind == "date" else "down"
    return ""


def _pair(f: Figure, g: Figure) -> FigureChange:
    """The change of figure ``f`` into ``g`` (of one kind): a flipped sign and a changed
    limit are told as such (and the number's move is not: 下降5%→增长3% is no ``down``,
    5%以上→6%以内 no ``up``), else the number's move. A floor or ceiling that became
    another limit or none is a change of limit; an approximate figure and one without a
    limit both state a point (3%→4%左右 is ``up``)."""
    told = []
    if f.sign and g.sign and f.sign != g.sign:
        told.append("sign flipped")
    if f.bound != g.bound and {f.bound, g.bound} & {"floor", "ceiling"}:
        told.append(f"{f.bound or 'exact'}→{g.bound or 'exact'}")
    if not told:
        return FigureChange(f.text, g.text, _direction(f.kind, f.value, g.value))
    if told[0] == "sign flipped":
        return FigureChange(f.verb + f.text, g.verb + g.text, ", ".join(told))
    return FigureChange(f.text, g.text, ", ".join(told))


def _in_pairs(x: list[Figure], y: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Figures of one kind, as many on each side, paired in order; when that pairs a rise
    with a fall and each side has as many rises and falls, the rises with the rises and the
    falls with the falls (提高1.7个百分点，下降2个百分点 -> 下降8.1个百分点，提高6.3个百分点:
    two figures moved and changed, no sign flipped)."""
    in_order = list(zip(x, y))
    if all(not (f.sign and g.sign) or f.sign == g.sign for f, g in in_order) \
            or Counter(f.sign for f in x) != Counter(g.sign for g in y):
        return in_order
    return [p for sign in dict.fromkeys(f.sign for f in x)
            for p in zip([f for f in x if f.sign == sign], [g for g in y if g.sign == sign])]


def figure_changes(a: str, b: str) -> tuple[list[FigureChange], int, list, list]:
    """How text ``b`` changed the figures of text ``a``: (changes, how many figures changed
    - the larger of the two sides' counts of figures the other has not -, the changed
    figures of ``a``, those of ``b``). Changes follow ``a``'s order; the figures one side
    lost and the other gained are paired when there are as many of the kind on each side.

    >>> ch, n, _, _ = figure_changes("可办率达到95%以上，到2030年建成", "到2027年建成，可办率达到98%以上")
    >>> [tuple(c) for c in ch], n
    ([('95%以上', '98%以上', 'up'), ('2030年', '2027年', 'earlier')], 2)
    >>> figure_changes("到2025年，开通30条航线", "开通30条航线，到2025年")[1]   # moved: no change
    0
    >>> [tuple(c) for c in figure_changes("能耗下降5%", "能耗增长5%")[0]]
    [('下降5%', '增长5%', 'sign flipped')]
    >>> [tuple(c) for c in figure_changes("增长5%以上", "增长6%以内")[0]]
    [('5%以上', '6%以内', 'floor→ceiling')]
    """
    fa, fb = figures(a), figures(b)
    gone, new = _left_over(fa, fb)
    n = max(len(gone), len(new))
    if not n:
        return [], 0, [], []
    changes, kinds = [], list(dict.fromkeys(f.kind for f in gone + new))
    placed = {}
    for kind in kinds:
        x = [f for f in gone if f.kind == kind]
        y = [f for f in new if f.kind == kind]
        if len(x) == len(y):
            for f, g in _in_pairs(x, y):
                placed[f.start] = _pair(f, g)
        else:
            if x:
                placed[x[0].start] = FigureChange("、".join(f.text for f in x),
                                                  "、".join(g.text for g in y), "")
            else:
                placed[len(a) + y[0].start] = FigureChange("", "、".join(g.text for g in y), "")
    changes = [placed[k] for k in sorted(placed)]
    return changes, n, gone, new


def changes_text(changes: list[FigureChange]) -> str:
    """The changes as one line: ``95%以上→98%以上; 2030年→2027年`` (``—`` for a figure on one
    side only)."""
    return "; ".join(f"{c.source or '—'}→{c.local or '—'}" for c in changes)


def directions_text(changes: list[FigureChange]) -> str:
    """The directions told, in order, each once: ``percent up; date earlier; sign flipped;
    floor→ceiling``."""
    words = []
    for c in changes:
        if c.direction in ("earlier", "later"):
            words.append(f"date {c.direction}")
        elif c.direction in ("up", "down"):
            words.append(f"percent {c.direction}")
        elif c.direction:
            words.append(c.direction)
    return "; ".join(dict.fromkeys(words))
