"""A planted diffusion corpus: central documents, local versions that adopt them, and the truth.

Built for the diffusion and reinvention benchmarks (issue 33) and for tests: every local
version is made from a central document by the operations the literature on Chinese local
policy describes (clauses kept, reordered, edited, dropped, local clauses added), so what the
library should find is known exactly.

- ``n_sources`` central documents (level "national"), each of 20-40 numbered clauses
  (``一、…`` one clause a paragraph), dated in 2015-2017.
- ``n_jurisdictions`` provinces; each adopts each source with probability ``adopt_rate`` at
  a lag of 30-700 days, in one document of its own that carries a random subset of the
  source's clauses (60-90%), reordered (at least ``reorder`` of them moved), a share
  ``edit_share`` of them edited (``edit_rate`` = 10-20% of characters substituted), and
  3-8 local clauses added; every province also has one document that adopts nothing.
- Stock phrases (``STOCK``: a guiding formula, a closing line) open and close every
  document, central and local, so text shared by all is not evidence of adoption.
- ``doc_chars``: pad local documents with local clauses up to about this many characters
  (the speed benchmark: 200 documents of 5,000 characters).
- ``insert_share``: a share of the carried clauses (kept or changed) get local words of
  2-17 characters (``INSERTS``: 在全省, 广西面向东盟国家的, ...) inserted inside them, at
  a random place at least 6 characters from either end; ``Planted.inserted`` holds each one
  (document, offsets in its text, the words). Drawn from a random generator of their own,
  so the corpus is otherwise the one ``insert_share=0`` (the default) makes.

All wording is generated from the phrase pools below (written for this generator); the
clauses read like policy text but are not quotations.

>>> p = make_planted(seed=1)
>>> sorted(p.truth_statuses())
['added', 'changed', 'dropped', 'kept']
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pandas as pd

ACTORS = ["各级人民政府", "省发展改革委", "商务主管部门", "财政部门", "海关", "金融监管部门",
          "教育行政部门", "科技主管部门", "交通运输部门", "文化和旅游部门", "外事部门",
          "税务部门", "人力资源社会保障部门", "自然资源部门", "生态环境部门", "市场监管部门",
          "行业协会", "重点企业", "高等学校", "科研院所"]
ACTIONS = ["加快推进", "统筹建设", "积极培育", "着力完善", "深入实施", "稳步扩大", "大力发展",
           "鼓励开展", "支持设立", "健全", "优化提升", "探索建立", "切实加强", "有序推动",
           "全面落实", "持续深化", "组织实施", "规范发展", "协同推进", "重点支持"]
OBJECTS = ["跨境物流通道", "国际产能合作园区", "海外仓储网络", "人才培训基地", "技术转移中心",
           "口岸通关便利化", "跨境人民币结算", "中欧班列集结中心", "境外经贸合作区",
           "出口信用保险", "数字贸易平台", "国际航空货运枢纽", "农业对外合作示范区",
           "标准互认机制", "知识产权保护体系", "投资风险预警系统", "文化交流品牌活动",
           "留学生奖学金项目", "港口集疏运体系", "能源输送管网", "跨境电子商务综合试验区",
           "医疗卫生合作项目", "旅游合作联盟", "联合实验室", "多式联运示范工程"]
PURPOSES = ["提升互联互通水平", "降低企业综合成本", "增强国际竞争力", "扩大对外开放",
            "促进贸易投资便利化", "防范化解境外风险", "服务沿线国家发展需求",
            "推动产业转型升级", "拓展国际市场空间", "深化人文交流", "形成示范带动效应",
            "提高公共服务效率", "保障重点项目落地", "带动装备和标准走出去"]
DETAILS = ["到{y}年建成{n}个以上", "每年安排专项资金{n}亿元", "培训{n}00名以上专业人员",
           "新开通国际航线{n}条", "设立{n}个海外服务中心", "年货运量达到{n}0万吨",
           "引进{n}家以上龙头企业", "开行班列{n}00列以上", "建设{n}个境外合作园区"]
LOCAL = ["结合本省实际", "依托本地区位优势", "发挥省内港口资源", "围绕本省主导产业",
         "利用本地侨务资源", "面向周边国家市场", "对接本省自由贸易试验区", "整合省内物流园区"]
STOCK = ("坚持以新时代中国特色社会主义思想为指导，全面贯彻落实党中央国务院决策部署，"
         "统筹发展和安全，坚持共商共建共享原则。",
         "各地区各部门要高度重视，加强组织领导，明确责任分工，狠抓工作落实，"
         "重大情况及时报告。")
PROVINCES = ["河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川",
             "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "天津", "上海"]
#: local words inserted inside a carried clause (``insert_share``), 2-17 characters
INSERTS = ["全面", "在全省", "{r}", "面向东盟的", "在{r}全境", "结合本省实际", "{r}面向东盟国家的",
           "按照省委省政府统一部署", "以{r}自由贸易试验区为依托", "充分发挥省内港口和边境口岸的",
           "依托{r}现有的开放平台和口岸资源，"]
NUMERALS = "一二三四五六七八九十"
# characters an edit substitutes in (common in policy text, never a clause's own digits)
EDIT_CHARS = "加强推进完善建设发展合作服务体系机制平台项目企业市场政策支持创新开放区域重点"


def _numeral(k: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五 (clause numbers up to 99)."""
    tens, ones = divmod(k, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + (NUMERALS[ones - 1] if ones else "")


def _clause(rng: random.Random, local: bool = False) -> str:
    """One clause: two sentences of actor + action + object + purpose (+ a detail)."""
    parts = []
    for _ in range(2):
        actor, action, obj = rng.choice(ACTORS), rng.choice(ACTIONS), rng.choice(OBJECTS)
        detail = rng.choice(DETAILS).format(y=rng.randint(2018, 2030), n=rng.randint(2, 9))
        lead = rng.choice(LOCAL) + "，" if local else ""
        parts.append(f"{lead}{actor}{action}{obj}，{detail}，{rng.choice(PURPOSES)}。")
    return "".join(parts)


def _edit(rng: random.Random, text: str, rate: float) -> str:
    """Substitute ``rate`` of the Chinese characters of ``text`` (punctuation and digits
    stay), at random positions."""
    chars = list(text)
    positions = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
    for i in rng.sample(positions, max(1, round(rate * len(positions)))):
        chars[i] = rng.choice([c for c in EDIT_CHARS if c != chars[i]])
    return "".join(chars)


def _render(title: str, clauses: list[str]) -> str:
    body = "\n".join(f"{_numeral(k + 1)}、{c}" for k, c in enumerate(clauses))
    return f"{title}\n{STOCK[0]}\n{body}\n{STOCK[1]}"


def _moved_order(rng: random.Random, n: int, reorder: float) -> list[int]:
    """A permutation of range(n) in which at least ``reorder`` of the items leave their
    position (random swaps of distinct positions until enough have moved)."""
    order = list(range(n))
    while n > 1 and sum(o != i for i, o in enumerate(order)) < reorder * n:
        a, b = rng.sample(range(n), 2)
        order[a], order[b] = order[b], order[a]
    return order


@dataclasses.dataclass
class Planted:
    """The corpus and what was planted in it (see the module docstring)."""

    corpus: object
    adoptions: pd.DataFrame
    clauses: pd.DataFrame
    stock: tuple
    inserted: pd.DataFrame = None

    def truth_statuses(self) -> set:
        return set(self.clauses["status"])


def make_planted(n_sources: int = 2, n_jurisdictions: int = 20, seed: int = 0,
                 adopt_rate: float = 0.6, n_clauses: tuple = (20, 40),
                 keep_share: tuple = (0.6, 0.9), reorder: float = 0.3,
                 edit_share: float = 0.3, edit_rate: tuple = (0.10, 0.20),
                 added: tuple = (3, 8), lag_days: tuple = (30, 700),
                 doc_chars: int | None = None, insert_share: float = 0.0) -> Planted:
    """A planted corpus and its truth (see the module docstring); deterministic for a seed."""
    import bri_text as bt

    rng = random.Random(seed)
    ins_rng = random.Random(seed + 7919)      # insertions draw apart: the corpus stays
    docs, adoptions, truth, inserted = [], [], [], []
    sources = []
    for s in range(n_sources):
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3 * 365))
        clauses = [_clause(rng) for _ in range(rng.randint(*n_clauses))]
        sid = f"src{s + 1:02d}"
        sources.append((sid, date, clauses))
        docs.append({"doc_id": sid, "title": f"关于推进对外开放合作的指导意见（第{s + 1}号）",
                     "date": date.isoformat(), "level": "national", "region": None,
                     "text": _render(f"关于推进对外开放合作的指导意见（第{s + 1}号）", clauses)})
    for j, region in enumerate(PROVINCES[:n_jurisdictions]):
        for sid, sdate, clauses in sources:
            if rng.random() >= adopt_rate:
                adoptions.append({"source_id": sid, "region": region, "adopted": False,
                                  "doc_id": None, "date": None, "lag_days": None})
                continue
            lag = rng.randint(*lag_days)
            date = sdate + dt.timedelta(days=lag)
            did = f"{sid}_{j + 1:02d}"
            n = len(clauses)
            kept = sorted(rng.sample(range(n), max(1, round(rng.uniform(*keep_share) * n))))
            order = _moved_order(rng, len(kept), reorder)
            body, rows = [], []
            edited = set(rng.sample(range(len(kept)), max(1, round(edit_share * len(kept)))))
            for pos, k in enumerate(order):
                src_index = kept[k]
                text = clauses[src_index]
                rate = 0.0
                if k in edited:
                    rate = rng.uniform(*edit_rate)
                    text = _edit(rng, text, rate)
                if insert_share and ins_rng.random() < insert_share:
                    words = ins_rng.choice(INSERTS).format(r=region)
                    at = ins_rng.randint(6, len(text) - 6)
                    text = text[:at] + words + text[at:]
                    inserted.append({"source_id": sid, "local_doc": f"{sid}_{j + 1:02d}",
                                     "clause_text": text, "at": at, "text": words})
                body.append(text)
                rows.append({"source_clause": src_index, "local_clause": pos,
                             "status": "changed" if rate else "kept", "edit_rate": rate})
            n_added = rng.randint(*added)
            for _ in range(n_added):
                pos = rng.randint(0, len(body))
                body.insert(pos, _clause(rng, local=True))
                for r in rows:  # clauses after an insertion move down one place
                    if r["local_clause"] >= pos:
                        r["local_clause"] += 1
                rows.append({"source_clause": None, "local_clause": pos, "status": "added",
                             "edit_rate": 0.0})
            while doc_chars and len("".join(body)) < doc_chars - 200:
                body.append(_clause(rng, local=True))
                rows.append({"source_clause": None, "local_clause": len(body) - 1,
                             "status": "added", "edit_rate": 0.0})
            for k in range(n):
                if k not in kept:
                    rows.append({"source_clause": k, "local_clause": None,
                                 "status": "dropped", "edit_rate": 0.0})
            title = f"{region}省贯彻落实对外开放合作指导意见的实施方案"
            docs.append({"doc_id": did, "title": title, "date": date.isoformat(),
                         "level": "provincial", "region": region,
                         "text": _render(title, body)})
            adoptions.append({"source_id": sid, "region": region, "adopted": True,
                              "doc_id": did, "date": date.isoformat(), "lag_days": lag})
            truth += [{"source_id": sid, "local_doc": did, **r} for r in rows]
        # every province also writes a document of its own that adopts nothing
        date = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randint(0, 5 * 365))
        body = [_clause(rng, local=True) for _ in range(rng.randint(8, 15))]
        while doc_chars and len("".join(body)) < doc_chars - 200:
            body.append(_clause(rng, local=True))
        title = f"{region}省关于促进开放型经济发展的若干措施"
        docs.append({"doc_id": f"own_{j + 1:02d}", "title": title, "date": date.isoformat(),
                     "level": "provincial", "region": region, "text": _render(title, body)})
    frame = pd.DataFrame(docs)
    frame["year"] = frame["date"].str[:4].astype(int)
    corpus = bt.Corpus(frame, name=f"planted diffusion (seed {seed})")
    texts = dict(zip(frame["doc_id"], frame["text"]))
    for r in inserted:          # offsets in the rendered document
        r["start"] = texts[r["local_doc"]].index(r.pop("clause_text")) + r.pop("at")
        r["end"] = r["start"] + len(r["text"])
        assert texts[r["local_doc"]][r["start"]:r["end"]] == r["text"]
    inserted = pd.DataFrame(inserted, columns=["source_id", "local_doc", "start", "end",
                                               "text"])
    clauses = pd.DataFrame(truth, columns=["source_id", "source_clause", "local_doc",
                                           "local_clause", "status", "edit_rate"])
    for col in ("source_clause", "local_clause"):
        clauses[col] = clauses[col].astype("Int64")
    return Planted(corpus, pd.DataFrame(adoptions), clauses, STOCK, inserted)


if __name__ == "__main__":
    p = make_planted()
    print(p.corpus.docs[["doc_id", "date", "level", "region"]].head(8).to_string())
    print(p.adoptions.head().to_string())
    print(p.clauses["status"].value_counts().to_string())
    print(p.corpus.docs.text.iloc[2][:400])
