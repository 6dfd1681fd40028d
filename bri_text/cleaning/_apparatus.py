"""The apparatus of an official document (公文, laid out after GB/T 9704-2012): its head and
number (发文字号), its addressee line (主送机关), its signature block (署名 and 成文日期) and
what follows it (（此件公开发布）, 抄送, 印发). The folder reader reads metadata from them
(``doc_number``, ``date``, ``author``: :func:`bri_text.read_files`), with the rules here;
:func:`remove_document_apparatus` takes them out of the text, so that what is counted is
the document's content, not its form (every document of a province's government names
it in its signature and addresses the same organs).

>>> remove_document_apparatus("某市人民政府关于某事的通知\\n某政发〔2019〕5号\\n各区县人民政府，市政府各部门：\\n"
...                           "现将有关事项通知如下。\\n某市人民政府\\n2019年12月31日\\n（此件公开发布）")
'某市人民政府关于某事的通知\\n现将有关事项通知如下。'
"""
from __future__ import annotations

import re

from .._dates import _CN_DATE, _parse_date
from ._chrome import _is_breadcrumb
from ._steps import HEADING_RE, _byline_flags, _text_head, to_simplified

#: a document number (发文字号) alone on its line, or after its label, maybe with the
#: signer (签发人) of a report to a higher organ: 国办发〔2020〕28号, 浙政办发[2018]12号,
#: 冀教外﹝2016﹞108号, 某政发（2019）5号　签发人：王某
_DOC_NUMBER = re.compile(
    r"^\s*(?:(?:发文字号|文号)\s*[:：]\s*)?"
    r"([\u4e00-\u9fffA-Za-z]{1,20}\s*[〔\[［﹝【(（]\s*\d{4}\s*[〕\]］﹞】)）]\s*第?\s*\d{1,5}\s*号)"
    r"(?:\s+签发人\s*[:：]\s*[\u4e00-\u9fff·\s]{2,30})?\s*$")
#: the lines of an official document's head (版头) above its number: the copy number
#: (000123), secrecy (机密★1年) and urgency (特急), the issuing organ's mark (国务院文件)
_HEAD_LINE = re.compile(r"^\s*(?:\d{6}|[\u4e00-\u9fff\s]{2,30}文件|(?:绝密|机密|秘密)\S{0,8}"
                        r"|特急|加急|特提|平急)\s*$")
_SENTENCE = re.compile(r"[。！？；!?;]")
#: words that cite a number rather than head a document with it: 依据国发〔2017〕39号
_CITING = ("根据", "依据", "按照", "依照", "参照", "贯彻", "落实", "执行", "转发", "详见", "见")


def _doc_number(body: list[str]) -> tuple[str, int] | None:
    """The document number (发文字号) of an official document and the position of its line:
    a line among the first six, above the first sentence, that is only the number (after
    a label 发文字号： / 文号：, before a signer 签发人：…), its spaces taken out. A number
    cited in a sentence (``为贯彻落实《…》（国发〔2017〕39号）``) is none.

    >>> _doc_number(["国务院办公厅关于进一步做好稳外贸稳外资工作的意见", "国办发 〔2020〕 28号", "各省：",
    ...              "为贯彻落实《国务院关于促进外贸增长若干措施的通知》（国发〔2017〕39号），现提出以下意见。"])
    ('国办发〔2020〕28号', 1)
    """
    for i, line in enumerate(body[:6]):
        if _SENTENCE.search(line):
            return None
        m = _DOC_NUMBER.match(line)
        if m and not m.group(1).startswith(_CITING):
            return re.sub(r"\s+", "", m.group(1)), i
    return None


#: the date of a signature block (成文日期): a whole line, year, month and day, in Arabic or
#: Chinese numerals (2020年8月5日, 二〇一九年十二月三十一日)
_SIGNATURE_DATE = re.compile(r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
                             + _CN_DATE + r")\s*$")
#: how an issuing organ's name ends: 国务院, 国务院办公厅, 某某市人民政府, 科技部, 质检总局,
#: 国家发展改革委, 中国保监会, 中国人民银行, 海关总署, 长沙海关, 某某大学...
_ORGAN_END = ("府", "厅", "局", "委", "部", "会", "院", "行", "署", "办", "室", "处", "司",
              "组", "关", "所", "中心", "大学")
_ORGAN_LINE = re.compile(r"^[\u4e00-\u9fff（）()·\s]{2,40}$")
#: a line that ends a sentence (the body's last line): 。 ！ ？ or an ellipsis, maybe before
#: a quote; or a closing formula without its stop (特此通知, 特此公告, 此复)
_SENTENCE_END = re.compile(r"(?:[。！？!?]|……|特此[\u4e00-\u9fff]{2}|此复)[”’」』）)]*\s*$")
#: the list of attachments between the body and the signature (附件：1.… / 2.…)
_ATTACHMENT_NOTE = re.compile(r"^\s*附件\s*\d*\s*[:：]")
_NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}\s*[.．、]")
#: what may follow a signature block: （此件公开发布）, 抄送：…, …印发
_TRAILER = re.compile(r"^\s*(?:[（(]此件[^）)]{2,12}[）)]|抄送\s*[:：].*|.{0,40}印发)\s*$")


def _organs(line: str) -> list[str] | None:
    """The issuing organs a signature line names (署名), or None when it names none: one
    name (国务院办公厅; letter-spaced 国 务 院 too) or several separated by spaces
    (财政部 税务总局 科技部); no punctuation, no heading.

    >>> [_organs(l) for l in ("国务院办公厅", "财政部 税务总局 科技部", "国 务 院", "三、保障措施", "李克强")]
    [['国务院办公厅'], ['财政部', '税务总局', '科技部'], ['国务院'], None, None]
    """
    s = line.strip()
    if not _ORGAN_LINE.match(s) or HEADING_RE.match(s):
        return None
    parts = s.split()
    if len(parts) > 1 and all(len(p) >= 2 and p.endswith(_ORGAN_END) for p in parts):
        return parts
    name = "".join(parts)
    return [name] if len(name) >= 3 and name.endswith(_ORGAN_END) else None


def _body_end(body: list[str], k: int) -> bool:
    """``body[k]`` is where the body of an official document ends, above its signature:
    its last sentence, or the list of attachments under it (附件：1.… / 2.…), or
    ``（此页无正文）`` under either."""
    if k >= 0 and re.fullmatch(r"\s*[（(]此页无正文[）)]\s*", body[k]):
        k -= 1
    if k < 0:
        return False
    if _SENTENCE_END.search(body[k]):
        return True
    while k >= 0 and _NUMBERED_ITEM.match(body[k]) and not _ATTACHMENT_NOTE.match(body[k]):
        k -= 1  # 2.… 3.… under 附件：1.…
    return k >= 1 and bool(_ATTACHMENT_NOTE.match(body[k])) and bool(
        _SENTENCE_END.search(body[k - 1]))


def _signature_block(body: list[str], official: bool = False
                     ) -> tuple[str | None, list[str], int, int] | None:
    """(date, issuing organs, position of the first organ line, position of the date's
    line) of an official document's signature block (署名 and 成文日期): the first line that is only a date (year, month and
    day, in Arabic or Chinese numerals), right under the issuing organs' line(s) (up to
    six), which are right under the body's last sentence (or its list of attachments).
    Then come the end of the text, ``（此件公开发布）``, 抄送 and 印发 lines, attachments, or
    (under a cover notice) the document it issues. A date without an organ above it
    counts only in an ``official`` document (one with a document number) or above
    ``（此件…）`` / 抄送 / 印发. Not a signature: a date inside a sentence, a date under a
    line that ends no sentence (a table's cells: 管理办法 / 发改委 / 2017年12月26日), a date
    with another date-only line within six lines (a table's rows), a date alone at the end
    of an article (no organ, no document number). The date is None when the line's date
    is no valid one (二〇一九年二月三十日).

    >>> _signature_block(["各省、自治区、直辖市人民政府：", "现提出以下意见。", "国务院办公厅", "2020年8月5日",
    ...                   "（此件公开发布）"])
    ('2020-08-05', ['国务院办公厅'], 2, 3)
    >>> _signature_block(["会议强调，要抓好落实。", "2019年12月31日"]) is None
    True
    """
    dated = [i for i, line in enumerate(body) if _SIGNATURE_DATE.match(line)]
    for i in dated:
        j = i
        organs: list[str] = []
        while j > 0 and i - j < 6:
            names = _organs(body[j - 1])
            if names is None:
                break
            organs = names + organs
            j -= 1
        if not _body_end(body, j - 1):
            continue
        if any(j - 6 <= d <= i + 6 and d != i for d in dated):
            continue  # a table's rows
        if not organs and not official and not (i + 1 < len(body)
                                                and _TRAILER.match(body[i + 1])):
            continue
        return _parse_date(body[i]), organs, j, i
    return None


def _signature(body: list[str], official: bool = False) -> tuple[str | None, list[str], int] | None:
    """(date, issuing organs, position of the date's line) of an official document's
    signature block: see :func:`_signature_block`.

    >>> _signature(["各省、自治区、直辖市人民政府：", "现提出以下意见。", "国务院办公厅", "2020年8月5日"])
    ('2020-08-05', ['国务院办公厅'], 3)
    """
    found = _signature_block(body, official)
    return None if found is None else found[:2] + found[3:]


#: how an addressee's name ends, besides an organ's (:data:`_ORGAN_END`): 省政府直属各单位,
#: 国务院各直属机构, 各有关部门
_ADDRESSEE_END = _ORGAN_END + ("单位", "部门", "机构", "企业", "学校", "高校")
#: one group of an addressee line: names joined by 、 (各省、自治区、直辖市人民政府)
_ADDRESSEE_GROUP = re.compile(r"^[\u4e00-\u9fff、·\s]{2,40}$")
_BRACKET_NOTE = re.compile(r"[（(][^（）()]{0,20}[）)]")


def _addressee(line: str) -> bool:
    """A line that is an official document's addressees (主送机关): groups of organ names
    (joined by 、) separated by ，or ；, each ending as an organ's or a unit's name does,
    the line ending with ：; a bracketed note (县（市、区）) is allowed. No sentence, no
    salutation (各位代表：), no heading (一、总体要求：).

    >>> [_addressee(l) for l in ("各市、县（市、区）人民政府，省政府直属各单位：",
    ...  "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：", "各位代表：", "一、主要任务：",
    ...  "省政府直属各单位要抓好落实：")]
    [True, True, False, False, False]
    """
    s = line.strip()
    if len(s) > 150 or not s.endswith(("：", ":")):
        return False
    groups = [g.strip() for g in re.split(r"[，,；;]", _BRACKET_NOTE.sub("", s[:-1]))]
    return all(_ADDRESSEE_GROUP.match(g) and g.endswith(_ADDRESSEE_END)
               and all(p.strip() for p in g.split("、")) for g in groups)


def _apparatus_positions(body: list[str]) -> list[int]:
    """Positions among ``body`` (an official document's non-blank lines, bylines out) of
    its apparatus, in order: the number line (:func:`_doc_number`) and the head above it
    when only head lines are there (国务院文件, 特急...: the title under the number stays);
    the first addressee line (:func:`_addressee`) above the first sentence, among the
    first eight lines; the signature block (:func:`_signature_block`: its organ lines and
    its date line) and the trailer lines right under it; the trailer lines that end the
    text (抄送：…, …印发 under a cover notice's attachments). None in a text without a
    document number or a signature block (an article, a speech): its lines are content.

    >>> _apparatus_positions(["国务院文件", "国发〔2017〕39号", "国务院关于某事的通知", "各省、自治区、直辖市人民政府：",
    ...                       "现通知如下。", "省政府直属各单位要抓好落实。", "国务院", "2017年8月8日", "（此件公开发布）"])
    [0, 1, 3, 6, 7, 8]
    """
    number = _doc_number(body)
    sig = _signature_block(body, official=number is not None)
    if number is None and sig is None:
        return []
    found: set[int] = set()
    if number is not None:
        k = number[1]
        found.add(k)
        if all(_HEAD_LINE.match(line) for line in body[:k]):
            found.update(range(k))
    first = next((k for k, line in enumerate(body) if _SENTENCE.search(line)), len(body))
    addressee = next((k for k in range(min(first, 8)) if _addressee(body[k])), None)
    if addressee is not None:
        found.add(addressee)
    if sig is not None:
        found.update(range(sig[2], sig[3] + 1))
        k = sig[3] + 1
        while k < len(body) and _TRAILER.match(body[k]):
            found.add(k)
            k += 1
    k = len(body) - 1
    while k > max(found) and _TRAILER.match(body[k]):
        found.add(k)
        k -= 1
    return sorted(found)


#: what every text with an apparatus holds, in Simplified or Traditional characters: a line
#: that is only a date (a signature's) or a document number (…〔2020〕28号 / 號); a text
#: without either is left as it is before the costlier reading below
_MAY_HOLD_APPARATUS = re.compile(_SIGNATURE_DATE.pattern + r"|[〔\[［﹝【(（]\s*\d{4}\s*"
                                 r"[〕\]］﹞】)）]\s*第?\s*\d{1,5}\s*[号號]", re.MULTILINE)


def _remove_document_apparatus(text: str) -> tuple[str, list[str]]:
    """:func:`remove_document_apparatus` and the lines it removed. Removed again until
    nothing is found, so that a second run changes nothing: a text holding several
    documents (a cover notice and the document it issues) has a signature block each."""
    if not _MAY_HOLD_APPARATUS.search(text):
        return text, []
    lines = text.split("\n")
    simple = to_simplified(text)  # recognised as the reader reads them
    view = simple.split("\n")
    if len(view) != len(lines):
        view, simple = lines, text
    kept, gone = list(range(len(lines))), set()
    while True:
        if gone and not _MAY_HOLD_APPARATUS.search("\n".join(view[i] for i in kept)):
            break  # no date line or number left: nothing more to find
        if gone:
            nonblank = [i for i in kept if view[i].strip()]
            flags = _byline_flags([view[i] for i in nonblank])
        else:  # the whole text: its head as remove_bylines read it (most often the same)
            nonblank, head, table, _ = _text_head(simple)
            flags = [f or k in table for k, f in enumerate(head)]
        at = [i for i, byline in zip(nonblank, flags) if not byline]
        while at and _is_breadcrumb(view[at[0]]):  # a page that starts with where it sits
            at = at[1:]
        drop = {at[k] for k in _apparatus_positions([view[i] for i in at])}
        if not drop:
            break
        gone |= drop
        kept = [i for i in kept if i not in drop]
    if not gone:
        return text, []
    return ("\n".join(lines[i] for i in kept), [lines[i].strip() for i in sorted(gone)])


def remove_document_apparatus(text: str) -> str:
    """Remove an official document's (公文's) apparatus, its form rather than its content:
    the document number (发文字号) line near the top and the head above it (国务院文件),
    the addressee line (主送机关: ``各省、自治区、直辖市人民政府，国务院各部委、各直属机构：``),
    the signature block (the issuing organs' lines and the 成文日期 under them) and the
    lines after it (``（此件公开发布）``, ``抄送：…``, ``…印发``). The title stays, and so
    does every sentence: a sentence naming 省政府直属各单位 or a date is the body's. A text
    without a document number or a signature block (an article, a speech) is unchanged.

    The lines are those the folder reader takes ``doc_number``, ``date`` and ``author``
    from (:func:`bri_text.read_files`), found by the same rules. A step of the default
    pipeline (:func:`bri_text.clean`; ``keep_apparatus=True`` keeps the lines).

    >>> remove_document_apparatus("关于某事的通知\\n各单位：\\n现通知如下。\\n某某市人民政府\\n二〇一九年十二月三十一日")
    '关于某事的通知\\n现通知如下。'
    >>> remove_document_apparatus("标题\\n省政府直属各单位要抓好落实。\\n2019年12月31日")
    '标题\\n省政府直属各单位要抓好落实。\\n2019年12月31日'
    """
    return _remove_document_apparatus(text)[0]
