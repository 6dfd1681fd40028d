"""Page chrome of web pages: toolbars, share links, breadcrumbs, QR-code captions, footers.

The rule: a piece of text is removed only when it is made wholly of page furniture. The
text is cut into segments (at line breaks, runs of spaces, ``|`` separators and after
sentence-final punctuation), each segment is matched *as a whole* against a vocabulary of
chrome items (``下载``, ``打印``, ``【字号：``, ``分享到``, ``扫一扫在手机打开当前页``...) and
exact patterns (breadcrumbs ``首页 > 要闻``, footer fields ``主办：…``, ``网站标识码``,
``ICP备``), and only runs of such segments go. A keyword inside a sentence never removes
anything: ``全面推行“扫码入企”，…`` is a sentence, not a QR-code caption. Segments work the
same whether the page was saved with one item a line or as one long line.

Labelled fields (``来源：``, ``时间：``, ``发布时间：``, ``作者：``) are not removed here: in a
long line they are put on a line of their own, so :func:`~bri_text.cleaning.remove_bylines`
removes them and :func:`bri_text.read_folder` keeps their values as metadata.

>>> remove_web_boilerplate("首页 > 要闻 > 云南要闻\\n下载\\n打印\\n【字号：\\n加大\\n还原\\n减小】\\n"
...                        "标题\\n正文第一段，推进高水平对外开放。")
'标题\\n正文第一段，推进高水平对外开放。'
"""
from __future__ import annotations

import re
from functools import lru_cache

from ._steps import _TERMINAL, HEADING_RE

__all__ = ["remove_web_boilerplate"]

# ---------------------------------------------------------------------- vocabulary
#: chrome items that are page furniture on their own
_STRONG_ITEMS = (
    "下载 打印 全屏 收藏 关闭 打印本页 打印此页 打印文章 打印正文 关闭窗口 关闭本页 关闭此页 "
    "加大 还原 减小 放大 缩小 字号 字体 文字 分享 分享到 分享至 复制链接 点击进入 "
    "扫一扫 扫一扫在手机打开当前页 扫一扫在手机上查看当前页面 在手机打开当前页 "
    "相关报道 相关链接 相关新闻 相关文章 相关阅读 相关文件 延伸阅读 延伸閱讀 相关稿件 "
    "返回顶部 回到顶部 返回首页 返回列表 上一篇 下一篇 上一条 下一条 首页 首頁 网站首页 我要纠错 "
    "网站地图 无障碍 无障碍浏览 长者模式 关怀版 适老化 手机版 视力保护色 朗读 语音播报 "
    "听全文 加入收藏 设为首页 收藏本页 打印 【打印】 【关闭】 使用帮助 隐私声明 隐私政策 "
    "网站声明 法律声明 关于我们 意见建议 常见问题"
).split()
#: items that are furniture only next to other chrome (大 中 小 of a font-size toolbar)
_WEAK_ITEMS = (
    "大 中 小 默认 标准 微信 微博 朋友圈 QQ QQ空间 QQ好友 新浪微博 腾讯微博 人人网 豆瓣 钉钉 "
    "繁体 简体 繁體 English EN 登录 注册 搜索 站内搜索 返回 更多"
).split()
_RELATED = ("相关报道", "相关链接", "相关新闻", "相关文章", "相关阅读", "相关文件", "延伸阅读",
            "延伸閱讀", "相关稿件")


#: a navigation bar written on one line: four or more short labels between explicit bars
#: (新闻中心 | 信息公开 | 办事服务 | 走进广西); a list of labels is never a sentence
_NAV_BAR = re.compile(r"\s*[\u4e00-\u9fffA-Za-z]{2,6}(?:\s*[|｜]\s*[\u4e00-\u9fffA-Za-z]{2,6}){3,}\s*")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_OPEN, _CLOSE = r"[【\[（(「〔]", r"[】\]）)」〕]"
_ITEM = (f"{_OPEN}?\\s*(?:{{words}})\\s*(?:[:：]\\s*)?{_CLOSE}?")
_ANY_ITEMS = re.compile("(?:" + _ITEM.format(words=_alternation(_STRONG_ITEMS + _WEAK_ITEMS))
                        + ")+")
_WEAK_ONLY = re.compile("(?:" + _ITEM.format(words=_alternation(_WEAK_ITEMS)) + ")+")
# toolbar items glued to text (a page saved without separators): only multi-character items
_GLUED = _ITEM.format(words=_alternation([w for w in _STRONG_ITEMS if len(w) >= 2]))
_ITEM_FIRST = frozenset(w[0] for w in _STRONG_ITEMS) | frozenset("【[（(「〔")
_ITEM_LAST = frozenset(w[-1] for w in _STRONG_ITEMS) | frozenset("】]）)」〕:：")
_GLUED_PREFIX = re.compile(f"^(?:{_GLUED}){{2,}}")
_GLUED_ONE = re.compile(_GLUED)
_GLUED_SUFFIX = re.compile(f"(?:{_GLUED}){{2,}}$")

_VALUE = r"[^\s。！？；!?;，,“”]{0,60}"
#: footer and counter fields: always furniture
_FOOTER = re.compile(
    r"(?:主办单位|承办单位|协办单位|主办|承办|协办|技术支持|运行维护|运维单位|网站标识码|"
    r"网站识别码|政府网站标识码|备案号|備案號|主辦|承辦|浏览次数|阅读次数|访问次数|点击数|点击量|浏览量|阅读量|"
    r"访问量|版权所有|版權所有|字号|字体)\s*[:：]?" + _VALUE
    + r"|[\u4e00-\u9fff]{0,2}ICP[备備证證]?[\s:：]*[\w\-]*号?(?:-\d+)?"
    r"|[\u4e00-\u9fff]{0,2}公[网網]安[备備]\s*[\d\-]*[号號]?"
    r"|(?:https?://)?www\.\S+\.(?:com|cn|net|org)(?:/\S*)?"
    r"|(?:Copyright|COPYRIGHT|copyright|©|\(c\)|（c）)" + _VALUE
    + r"|[（(]?(?:[^\s。！？；]{0,20}?[，,])?尽在[^\s。！？；]{0,12}(?:APP|App|app|客户端)[）)]?"
    r"|下载[^\s。！？；，]{0,8}客户端"
    r"|建议使用[^\s。！？；]{0,30}(?:浏览器|分辨率)[^\s。！？；]{0,20}")
#: footer details that are furniture only next to a footer field
_FOOTER_WEAK = re.compile(
    r"(?:地址|通讯地址|邮编|邮政编码|电话|联系电话|传真|邮箱|电子邮箱|E-?mail|Email|联系方式)"
    r"\s*[:：]" + _VALUE + r"|[\d\-]{3,}号?|\d{4}|联系我们")
#: editor lines (the editor is not the author; not kept as metadata)
_EDITOR = re.compile(r"[（(【\[]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|校对|审核)\s*[:：]"
                     r"\s*[^\s。！？；，,]{0,12}\s*[）)】\]]?")
#: QR-code and share captions: 扫一扫在手机打开当前页 / 微信扫一扫 / 扫码关注…
_QR_TAIL = (r"(?:[,，]?(?:在|用)?手机(?:上)?(?:打开|查看|浏览|阅读|看)?(?:当前页面?|本页|本文|全文)?"
            r"|[,，]?(?:关注|访问|进入|打开|查看|下载|阅读)(?:我们|本站|本网|公众号|微信公众号|官方微信"
            r"|客户端|APP|app|移动版|手机版|当前页面?|本页)?|[:：])*")
_QR = re.compile(r"[^\s。！？；!?;，,“”‘’《》]{0,10}(?:扫一扫|扫描二维码|扫码|二维码)" + _QR_TAIL +
                 r"|分享(?:到|至)\s*[:：]?(?:\s*(?:微信|微博|朋友圈|QQ空间|QQ好友|QQ|新浪微博|腾讯微博"
                 r"|人人网|豆瓣|钉钉|[|｜/、·]))*")
#: notices recognised by the label they start with, as a whole line
_NOTICE = re.compile(r"^\s*(?:【[^】]{0,8}(?:版权|版權|免责|免責)[^】]{0,8}】"
                     r"|(?:版权声明|版權聲明|免责声明|免責聲明)[:：])")
#: breadcrumbs: 首页 > 要闻 > 云南要闻 / 当前位置：首页 > 政务公开
_CRUMB_SEP = r"(?:>>?|＞|»|›|→|/)"
_BREADCRUMB = re.compile(
    r"(?:(?:(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)\s*[:：]\s*)?"
    r"(?:首页|首頁|网站首页)\s*(?:" + _CRUMB_SEP + r"\s*[^\s>＞»›→/。！？；，]{1,20}\s*)+"
    r"|(?:当前位置|您的位置|你的位置|您现在的位置|所在位置)\s*[:：]\s*"
    r"[^\s>＞»›→/。！？；，]{1,20}(?:\s*" + _CRUMB_SEP + r"\s*[^\s>＞»›→/。！？；，]{1,20})*"
    r")(?=[\s|｜]|$)")  # a breadcrumb ends where its line or segment ends, never in a sentence
#: a line that starts like a breadcrumb, recognised or not (for the title of a page)
_CRUMB_START = re.compile(r"^\s*(?:(?:当前|您的|你的|您现在的|所在)?位置\s*[:：]"
                          r"|(?:首页|首頁|网站首页)\s*" + _CRUMB_SEP + r")")


def _is_breadcrumb(line: str) -> bool:
    """``line`` is, or starts like, a breadcrumb (``您的位置: 首页 > 政务信息``)."""
    return bool(_CRUMB_START.match(line) or _BREADCRUMB.fullmatch(line.strip()))


#: labelled byline fields: kept here, isolated on their own line for remove_bylines
_FIELD_LABEL = (r"(?:信息来源|来源|來源|稿源|发布时间|發布時間|发布日期|更新时间|时间|時間|日期|"
                r"作者|撰稿|记者|記者|通讯员)")
_FIELD = re.compile(_FIELD_LABEL + r"\s*[:：]" + _VALUE)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_FIELD_VALUE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?|[^\s。！？；!?;，,]{1,20}")
_SEPARATOR = re.compile(r"[|｜/>＞»›·•\-—_【】\[\]（）()]+")
#: the site's name above its menu: furniture only next to other chrome
_SITE_NAME = re.compile(r"[\u4e00-\u9fff]{2,24}(?:门户网站|政府网站|人民政府网|政府网|网站|网)")
#: a short label of a navigation bar (政务公开, 走进云南): only after a 首页 item
_NAV_LABEL = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,5}")

#: any of the above may be in a line: lines without a hit are left alone (fast path)
_HINT = re.compile(
    "|".join([_alternation(_STRONG_ITEMS), r"扫|二维码|分享|ICP|公网安备|Copyright|©|尽在|客户端",
              r"首页|首頁|当前位置|您的位置|你的位置|所在位置", r"主办|承办|标识码|识别码|版权|版權",
              r"声明|聲明|责编|責編|编辑|編輯|校对|审核|浏览|点击|阅读|访问|字号|字体|浏览器"]))

_SEGMENT = re.compile(r"[^\s|｜]+")
_CRUMB_HINT = re.compile("首页|首頁|位置")
_SPLIT_HINT = re.compile(r"[\s|｜]|[。！？；!?;](?=\S)")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])(?=\S)")

# segment kinds
_CONTENT, _STRONG, _WEAK, _SEP, _FIELDK, _LONG = "content", "strong", "weak", "sep", "field", \
    "long"


def _classify(seg: str, prev: str | None) -> str:
    """Kind of one segment: content, strong/weak/long chrome, separator or byline field.

    ``long`` is chrome that is unmistakable even alone inside a line of content
    (a breadcrumb, a footer field, a QR caption, a toolbar of several items)."""
    if _SEPARATOR.fullmatch(seg):
        return _SEP
    if prev == _FIELDK + ":" and _FIELD_VALUE.fullmatch(seg):
        return _FIELDK
    if prev in (_FIELDK, _FIELDK + ":") and _TIME.fullmatch(seg):
        return _FIELDK
    if seg[-1] in "。！？；!?;":
        return _CONTENT  # a sentence is never chrome
    if _FIELD.fullmatch(seg):
        return _FIELDK
    if _ANY_ITEMS.fullmatch(seg):
        if _WEAK_ONLY.fullmatch(seg):
            return _WEAK
        return _LONG if len(_ANY_ITEMS.findall(seg)) > 1 or len(seg) >= 4 else _STRONG
    if _BREADCRUMB.fullmatch(seg) or _FOOTER.fullmatch(seg) or _EDITOR.fullmatch(seg) \
            or (len(seg) <= 30 and _QR.fullmatch(seg)):
        return _LONG
    if _FOOTER_WEAK.fullmatch(seg) or _SITE_NAME.fullmatch(seg):
        return _WEAK
    return _CONTENT


def _breadcrumb_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of one line between spaces and bars, breadcrumbs whole."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in (_BREADCRUMB.finditer(line) if _CRUMB_HINT.search(line) else ()):
        if m.start() > pos or not spans:
            spans += [(pos + s.start(), pos + s.end()) for s in _SEGMENT.finditer(line[pos:m.start()])]
        spans.append((m.start(), m.end()))
        pos = m.end()
    spans += [(pos + s.start(), pos + s.end()) for s in _SEGMENT.finditer(line[pos:])]
    return spans


def _cut_glued_items(line: str, a: int, b: int) -> list[tuple[int, int]]:
    """``line[a:b]`` cut where a toolbar run of items is glued to its text, at either end."""
    cut: list[tuple[int, int]] = []
    sub = line[a:b]
    m = _GLUED_PREFIX.match(sub) if sub[0] in _ITEM_FIRST else None
    if m and 0 < m.end() < len(sub):
        # the item touching the text may be its first word (下载 + 加大力度…): it stays,
        # and the rest goes only while it is still a toolbar run of two or more items
        items = [x.start() for x in _GLUED_ONE.finditer(sub, 0, m.end())]
        if len(items) >= 3:
            cut.append((a, a + items[-1]))
            a = a + items[-1]
            sub = line[a:b]
    m = _GLUED_SUFFIX.search(sub) if sub[-1] in _ITEM_LAST else None
    items = [x.end() for x in _GLUED_ONE.finditer(sub, m.start())] if m else []
    if m and m.start() > 0 and len(items) >= 3:
        # likewise the item touching the text may be its last word (…提供下载 + 打印)
        cut += [(a, a + items[0]), (a + items[0], b)]
    else:
        cut.append((a, b))
    return cut


def _cut_pieces(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans cut after sentence-final punctuation and around toolbar items glued to
    text."""
    cut: list[tuple[int, int]] = []
    for s, e in spans:
        piece = line[s:e]
        starts = [s] + [s + m.start() for m in _SENTENCE_END.finditer(piece)]
        for a, b in zip(starts, starts[1:] + [e]):
            cut += _cut_glued_items(line, a, b)
    return cut


def _classify_pieces(line: str, cut: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the non-blank pieces, each classified after the one before
    (a byline label makes the next piece its value)."""
    out: list[tuple[int, int, str]] = []
    prev = None
    for s, e in cut:
        seg = line[s:e].strip()
        if not seg:
            continue
        kind = _classify(seg, prev)
        prev = _FIELDK + ":" if kind == _FIELDK and seg[-1] in ":：" else kind
        out.append((s, e, kind))
    return out


def _mark_nav_bar(line: str, out: list[tuple[int, int, str]]) -> None:
    """A navigation bar: 首页 followed by two or more short labels (政务公开 政务服务 …)
    becomes chrome, in place."""
    for k, (s, e, kind) in enumerate(out):
        if line[s:e].strip() in ("首页", "首頁", "网站首页") and kind != _CONTENT:
            j = k + 1
            while j < len(out) and out[j][2] == _CONTENT and _NAV_LABEL.fullmatch(
                    line[out[j][0]:out[j][1]]):
                j += 1
            if j - k - 1 >= 2:
                for n in range(k, j):
                    out[n] = (out[n][0], out[n][1], _LONG)


def _segments(line: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the segments of one line, breadcrumbs kept whole."""
    out = _classify_pieces(line, _cut_pieces(line, _breadcrumb_spans(line)))
    _mark_nav_bar(line, out)
    return out


def _is_chrome(kind: str) -> bool:
    return kind in (_STRONG, _WEAK, _LONG, _SEP)


def _clean_line(line: str) -> tuple[str, str, tuple[str, ...]]:
    """:func:`_classify_line`, remembered for short lines: a site's chrome lines repeat
    verbatim on every page."""
    if len(line) <= 200:
        return _clean_short_line(line)
    return _classify_line(line)


def _line_segments(line: str) -> list[tuple[int, int, str]] | None:
    """The segments of one line; None for a line that is one segment of content."""
    seg = line.strip()
    if not _SPLIT_HINT.search(seg) and seg[0] not in _ITEM_FIRST and seg[-1] not in _ITEM_LAST:
        # one segment, nothing glued to it (most lines of content): classify it whole
        kind = _classify(seg, None)
        if kind == _CONTENT:
            return None
        return [(0, len(line), kind)]
    return _segments(line)


def _all_chrome_line(line: str, segs: list, kinds: list[str]) -> tuple:
    """(status, new text, removed) of a line made only of chrome and byline fields."""
    if all(k == _FIELDK for k in kinds):
        return "field", line, []
    if any(k in (_STRONG, _LONG) for k in kinds):
        fields = [line[s:e] for s, e, k in segs if k == _FIELDK]
        if not fields:
            return "chrome", "", (line.strip(),)
        removed = tuple(line[s:e].strip() for s, e, k in segs if k != _FIELDK)
        return "chrome", " ".join(fields), removed
    if all(k in (_WEAK, _SEP) for k in kinds):
        return "weak", "", (line.strip(),)
    return "content", line, ()


def _runs(kinds: list[str]) -> list[list[int]]:
    """Indices of the runs of consecutive segments that are not content."""
    runs: list[list[int]] = []
    for n, k in enumerate(kinds):
        if k != _CONTENT and runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        elif k != _CONTENT:
            runs.append([n])
    return runs


def _drop_and_isolate(kinds: list[str]) -> tuple[set[int], set[int]]:
    """Segments to drop (runs of chrome with two or more items or one unmistakable item)
    and byline fields to put on a line of their own."""
    drop: set[int] = set()
    isolate: set[int] = set()
    for run in _runs(kinds):
        chrome = [n for n in run if kinds[n] != _FIELDK]
        real = [n for n in chrome if kinds[n] != _SEP]
        if any(kinds[n] == _LONG for n in real) or (
                len(real) >= 2 and any(kinds[n] in (_STRONG, _LONG) for n in real)):
            drop.update(chrome)
        if any(kinds[n] == _FIELDK for n in run):
            isolate.update(n for n in run if kinds[n] == _FIELDK)
    return drop, isolate


def _drop_related_headlines(line: str, segs: list, kinds: list[str], drop: set[int]) -> None:
    """Add to ``drop`` the headlines listed after a dropped 相关报道： up to the next chrome:
    short, no sentence."""
    for n, (s, e, k) in enumerate(segs):
        if k != _CONTENT and line[s:e].strip("：:【】[] ") in _RELATED and n in drop:
            j = n + 1
            while j < len(segs) and kinds[j] == _CONTENT and e - s <= 40 and \
                    line[segs[j][1] - 1] not in _TERMINAL:
                j += 1
            if j > n + 1 and (j == len(segs) or kinds[j] != _CONTENT):
                drop.update(range(n + 1, j))


def _rejoin(line: str, segs: list, drop: set[int], isolate: set[int]) -> tuple[str, tuple]:
    """The line without the dropped segments, split where they were and around the
    isolated byline fields; and the removed texts."""
    pieces: list[str] = []
    removed: list[str] = []
    last = "break"
    pos = 0
    for n, (s, e, k) in enumerate(segs):
        gap = line[pos:s]
        pos = e
        if n in drop:
            removed.append(line[s:e].strip())
            if last != "break":
                pieces.append("\n")
                last = "break"
            continue
        kind = "field" if n in isolate else "content"
        if last == "break":
            pieces.append(line[s:e])
        elif kind != last:
            pieces.append("\n" + line[s:e])
        else:
            pieces.append(gap + line[s:e])
        last = kind
    return "".join(pieces).strip("\n"), tuple(removed)


def _classify_line(line: str) -> tuple[str, str, tuple[str, ...]]:
    """(status, new text, removed) for one line.

    status: ``chrome`` (every segment is furniture, at least one strong), ``weak`` (only
    weak items and separators), ``field`` (byline fields only), ``content`` otherwise."""
    segs = _line_segments(line)
    if segs is None:
        return "content", line, ()
    if not segs:
        return "blank", line, ()
    kinds = [k for _, _, k in segs]
    furniture = [_is_chrome(k) or k == _FIELDK for k in kinds]
    if all(furniture):
        return _all_chrome_line(line, segs, kinds)
    if not any(furniture):
        return "content", line, ()
    # a line mixing content and chrome (a page saved as one line): remove runs of chrome
    # with two or more items or one unmistakable item; put byline fields on their own line
    drop, isolate = _drop_and_isolate(kinds)
    _drop_related_headlines(line, segs, kinds, drop)
    if not drop and not isolate:
        return "content", line, ()
    new, removed = _rejoin(line, segs, drop, isolate)
    return "content", new, removed


_clean_short_line = lru_cache(maxsize=1 << 16)(_classify_line)


def _line_statuses(lines: list[str]) -> tuple[list[str], list[str], dict[int, list[str]]]:
    """Status (blank, chrome, weak, field, content), new text and removed texts of each
    line, every line looked at alone."""
    status = ["content"] * len(lines)
    new = list(lines)
    removed_at: dict[int, list[str]] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            status[i] = "blank"
            continue
        if _NOTICE.match(line) or _NAV_BAR.fullmatch(line):
            status[i], new[i], removed_at[i] = "chrome", "", [line.strip()]
            continue
        if len(line) > 24 and not _HINT.search(line):
            continue  # short lines are always looked at: 微信 / 大 / a site's name
        status[i], new[i], removed = _clean_line(line)
        if removed:
            removed_at[i] = list(removed)
    return status, new, removed_at


def _touches_chrome(status: list[str], i: int) -> bool:
    """Line ``i``'s block (through blank, weak and field lines) reaches a chrome line."""
    n = len(status)
    touches = False
    for step in (-1, 1):
        j = i + step
        while 0 <= j < n and status[j] in ("blank", "weak", "field"):
            j += step
        touches = touches or (0 <= j < n and status[j] == "chrome")
    return touches


def _weak_lines(lines, status, new, keep, removed_at) -> None:
    """Weak lines (大 / 中 / 小 / 微信) go when their block reaches a chrome line; else they
    are kept as written."""
    for i in range(len(lines)):
        if status[i] != "weak":
            continue
        if _touches_chrome(status, i):
            keep[i] = False
        else:
            new[i] = lines[i]
            removed_at.pop(i, None)


def _line_menus(lines, status, new, keep, removed_at) -> None:
    """A navigation menu one item a line after 首页 (政务公开 / 政务服务 / 互动交流) goes."""
    n = len(lines)
    for i in range(n):
        if status[i] == "chrome" and lines[i].strip() in ("首页", "首頁", "网站首页"):
            j = i + 1
            while j < n and status[j] == "content" and _NAV_LABEL.fullmatch(lines[j].strip()):
                j += 1
            if j - i - 1 >= 2:
                for k in range(i + 1, j):
                    keep[k], status[k], new[k] = False, "chrome", ""
                    removed_at[k] = [lines[k].strip()]


def _is_headline(line: str, status: str) -> bool:
    """A line listed under a related-links label: blank, or short with no sentence."""
    s = line.strip()
    return not s or (len(s) <= 40 and s[-1] not in _TERMINAL and not HEADING_RE.match(line)
                     and status != "field")


def _related_lines(lines, status, keep, removed_at) -> None:
    """A related-links label is followed by the linked headlines: they go with it."""
    n = len(lines)
    for i in range(n):
        if status[i] == "chrome" and any(r.strip("：:【】[] ") in _RELATED
                                         for r in removed_at.get(i, [])[-1:]):
            j = i + 1
            while j < n and _is_headline(lines[j], status[j]):
                if lines[j].strip() and keep[j]:
                    keep[j] = False
                    removed_at.setdefault(j, []).append(lines[j].strip())
                j += 1


def _remove_web_boilerplate(text: str, *, min_menu_run: int = 5, max_menu_len: int = 10
                            ) -> tuple[str, list[str]]:
    """:func:`remove_web_boilerplate` and the list of what it removed."""
    lines = text.split("\n")
    status, new, removed_at = _line_statuses(lines)
    keep = [s not in ("chrome",) for s in status]
    _weak_lines(lines, status, new, keep, removed_at)
    _line_menus(lines, status, new, keep, removed_at)
    _related_lines(lines, status, keep, removed_at)
    # chrome lines that kept byline fields keep the fields
    for i in range(len(lines)):
        if status[i] == "chrome" and new[i].strip():
            keep[i] = True
    # navigation menus written one item a line between bars (理论 / | / 时政要闻 / | / ...):
    # recognised by the bars, never by the lines being short (a document's own table of
    # short cells, 基础共性 / AE评价 / 设备远程运维, has no bars between its cells)
    for a, b in _bar_menus(new, keep, min_menu_run, max_menu_len):
        for k in range(a, b):
            if keep[k] and new[k].strip():
                keep[k] = False
                removed_at.setdefault(k, []).append(new[k].strip())
    out = "\n".join(line for line, k in zip(new, keep) if k).strip("\n")
    removed = [r for i in sorted(removed_at) for r in removed_at[i] if r]
    return out, removed


_BAR_LINE = re.compile(r"\s*[|｜]\s*")
_MENU_LABELS = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,8}(?:\s+[\u4e00-\u9fffA-Za-z]{2,8})*")


def _bar_menus(lines: list[str], keep: list[bool], min_items: int, max_len: int
               ) -> list[tuple[int, int]]:
    """(start, end) line ranges of navigation menus written one item a line with a bar
    line between items: ``label | label | label ...`` with at least ``min_items`` labels
    (a label: words of at most ``max_len`` characters, no punctuation), blank and removed
    lines between them ignored."""
    live = [i for i, line in enumerate(lines) if keep[i] and line.strip()]
    out = []
    k = 0
    while k < len(live):
        j, items, bars, last = k, 0, 0, None
        while j < len(live):
            s = lines[live[j]].strip()
            if _BAR_LINE.fullmatch(s):
                kind = "bar"
            elif len(s) <= max_len and _MENU_LABELS.fullmatch(s):
                kind = "label"
            else:
                break
            if kind == last:  # two labels (or two bars) in a row: not a menu of this kind
                break
            items += kind == "label"
            bars += kind == "bar"
            last = kind
            j += 1
        if items >= min_items and bars >= min_items - 1:
            out.append((live[k], live[j - 1] + 1))
            k = j
        else:
            k += 1
    return out


def remove_web_boilerplate(text: str, *, min_menu_run: int = 5, max_menu_len: int = 10) -> str:
    """Remove page chrome: toolbars, share links, QR-code captions, breadcrumbs, footers,
    copyright notices, editor lines and navigation menus, never a sentence.

    - a segment (a line, or a piece of a line between spaces, ``|`` or after ``。``) is
      removed only when it is wholly a chrome item or pattern (see the module's
      docstring); in a line of content, only runs of two or more items or one
      unmistakable item (a breadcrumb, a footer field, a QR caption) go, and the rest of
      the line is kept, split where the chrome was;
    - ``大`` / ``中`` / ``小``, share targets (``微信``, ``微博``) and footer details
      (``地址：``, ``电话：``) go only next to other chrome;
    - the headlines listed under ``相关报道：`` go with it (short lines without a
      sentence);
    - a navigation menu written one item a line is recognised by the bar lines (``|``)
      between its items: at least ``min_menu_run`` labels (words of at most
      ``max_menu_len`` characters) alternating with bars. Short lines are never removed
      for being short: a document's own table or diagram of short cells stays.

    >>> remove_web_boilerplate("（二）深化法治建设。全面推行“扫码入企”，优化营商环境。\\n下载\\n打印\\n"
    ...                        "【字号：\\n加大\\n正文第二段，推进高水平对外开放。")
    '（二）深化法治建设。全面推行“扫码入企”，优化营商环境。\\n正文第二段，推进高水平对外开放。'
    """
    return _remove_web_boilerplate(text, min_menu_run=min_menu_run,
                                   max_menu_len=max_menu_len)[0]
