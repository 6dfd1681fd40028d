# The second, held-out batch (marked after the splitter was written, without running it on
# these texts): draft (a § at every line start, rule 2), then the in-line starts decided by
# reading. Run from the repository root; writes bri24.txt and wr2024_part.txt.
import bri_text as bt

D = "benchmarks/data/clause_gold/"
docs = {"bri24": bt.load_bri_policies()["bri24"].text,
        "wr2024_part": "\n".join(bt.load_work_reports()["wr2024"].text.split("\n")[:30])}
add = {
    "bri24": ["一是主动融入", "二是突出特色", "三是搭建平台", "四是统筹协调"],
    "wr2024_part": [
        # line 11 (403 characters, no marker): its sentences
        "从国际看，世界", "从国内看，经历", "外需下滑和内需不足碰头", "在这种情况下，政策",
        "经过全国上下共同努力", "特别是我们深化", "实践充分表明",
        # line 22 (352)
        "世界经济增长动能不足", "我国经济持续回升向好的基础", "部分中小企业和个体", "就业总量压力",
        "一些地方基层财力", "科技创新能力还不强", "重点领域改革仍有", "生态环境保护治理任重",
        "安全生产的薄弱环节", "政府工作存在不足", "有的干部缺乏", "一些领域腐败问题", "我们一定直面问题",
        # line 24 (342)
        "做好政府工作，要在",
        # line 29 (465)
        "综合考虑发展需要和财政可持续", "赤字率拟按3%", "预计今年财政收入", "拟安排地方政府专项债券",
        "为系统解决强国建设", "现在很多方面都需要", "中央财政加大对地方", "落实好结构性减税降费政策",
        "严肃财经纪律", "各级政府要习惯过紧日子"],
}
for name, text in docs.items():
    assert "§" not in text
    t = "\n".join("§" + l if l.strip() else l for l in text.split("\n")) + "\n"
    for a in add[name]:
        assert t.count(a) == 1, (name, a)
        t = t.replace(a, "§" + a)
    open(D + name + ".txt", "w", encoding="utf-8").write(t)
