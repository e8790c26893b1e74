"""From the lines of a document to its sentences, each with its place (第N条第M項, p.N l.M).

A contract cites itself by article and paragraph (第5条第2項), so the check quotes its
passages the same way. Lines are joined where a break falls inside a sentence (the page or
the typist's line ended) and kept apart where a new unit starts: an article, a paragraph
number, an item, a caption, a blank line, or a short heading line.
"""

import bisect
import dataclasses
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from itaku.contractors.contract_check.normalize import join, normalize_line

_NUMERAL = r"[0-9]+|[一二三四五六七八九十百〇]+"
# 第5条, 第十二条, 第5条の2; the annex style of 特記事項 numbers articles 第1, 第2 …
ARTICLE = re.compile(rf"^第\s?(?:{_NUMERAL})\s?条(?:の\s?(?:{_NUMERAL}))?")
ANNEX_ARTICLE = re.compile(r"^第[0-9]+(?=\s|$)")
CHAPTER = re.compile(rf"^第\s?(?:{_NUMERAL})\s?[章節款編]")
# A paragraph (項) starts with its number and a space: "2 乙は、…"
PARAGRAPH = re.compile(r"^([0-9]+)\s+(?=\S)")
BARE_NUMBER = re.compile(r"^[0-9]+[.)]?$")
CAPTION = re.compile(r"^[(\[【〔<][^()\[\]【】〔〕<>]{1,40}[)\]】〕>]$")
# A table-of-contents entry: a heading followed by its page number, no sentence.
CONTENTS_ENTRY = re.compile(r"^[^。、]{1,40}?(?:[.・…‥]{2,}\s*|\s)[0-9]{1,3}$")
# A table of contents run into one line: 1.はじめに・・・・ 1 2.対象業務・・・・ 1 …
CONTENTS_LINE = re.compile(r"(?:[.・…‥]{3,}\s*[0-9]{1,3}\b.*){2,}")
# A line that names itself a table of contents and states nothing (no 。): its entries are
# titles, also without leader dots (目次 1. 指定申請書 2. 再委託承諾申請書 3. 監査チェックリスト).
CONTENTS_TITLED = re.compile(r"^[^。]*目\s?次[^。]*$")
# A sentence that announces a list: its items belong to it (次の各号に掲げる事項を届け出る).
# 「関係法令等を充分理解し、遵守すること。」 then 1.都市公園法 … 7.個人情報保護条例: the
# laws obeyed are the list under it, announced or not.
# 「次の水準を維持するよう…行うこと。(1) 稼働率 99.5%以上」: 次の with any noun announces too.
LIST_INTRO = re.compile(
    r"次の各号|次に掲げる|次の事項|以下の事項|次のとおり|以下のとおり|次に定める|以下に定める"
    r"|下記の(?:事項|とおり)|法令等[^。]*(?:遵守|順守)|(?:次|下記|以下)の[^。、]{1,8}?(?:を|に|が|は)"
)
ITEM = re.compile(r"^(?:\(\s?[0-9]+\s?\)|[0-9]+\.(?![0-9])|[ア-ン][ .]|\([ア-ン]\)|[・●○■□◆◇※])")
OPENING = "(「『[【"
CLOSING = ")」』]】"
# What a sentence, or a line that is a unit of its own, ends with.
SENTENCE_END = ("。", ")", "」", "』", "]", "】", "〕", ">", "|", ":")
# After 第5条 in a heading comes a space, its caption in brackets, or nothing; a reference
# goes on with 第2項, の規定, に定める, 及び …: 「第5条第2項の規定により」 is inside a sentence.
HEADING_AFTER_ARTICLE = re.compile(r"^(?:$|\s|[(\[【〔<])")
REFERENCE_AFTER_ARTICLE = re.compile(
    r"^(?:第|の|に|及び|又は|若しくは|並びに|から|まで|中|、|において|による|により|を|で|と|が|は|前段|後段|ただし)"
)
# A line shorter than this share of a typical line, without a full stop, is a heading.
SHORT_LINE_SHARE = 0.6


@dataclass(frozen=True)
class SourceLine:
    """A line as read from the document: its number counts from 1 (per page for a PDF)."""

    text: str
    number: int
    page: int | None = None


@dataclass(frozen=True)
class Sentence:
    text: str
    where: str


@dataclass
class _Unit:
    article: str | None
    paragraph: int
    item: bool = False
    text: str = ""
    starts: list[int] = field(default_factory=list)
    lines: list[SourceLine] = field(default_factory=list)

    def add(self, line: SourceLine, text: str) -> None:
        joined = join(self.text, text)
        self.starts.append(len(joined) - len(text))
        self.lines.append(line)
        self.text = joined

    def line_at(self, offset: int) -> SourceLine:
        return self.lines[max(bisect.bisect_right(self.starts, offset) - 1, 0)]


def sentences(lines: Sequence[SourceLine]) -> list[Sentence]:
    units = _units(lines)
    paragraphs: dict[str, int] = {}
    for unit in units:
        if unit.article is not None:
            paragraphs[unit.article] = max(paragraphs.get(unit.article, 1), unit.paragraph)
    found: list[Sentence] = []
    intro: int | None = None  # where, in found, the sentence announcing a list is
    previous: _Unit | None = None
    for unit in units:
        if unit.item and intro is not None and previous is not None and _same_place(unit, previous):
            # 2-2-b is often "次の各号に掲げる事項を届け出なければならない" then (1) 業務責任者 …
            # (4) 作業場所: the items are read, and quoted, with the sentence announcing them.
            found[intro] = dataclasses.replace(
                found[intro], text=f"{found[intro].text} {unit.text}"
            )
            continue
        intro = None
        for start, end in _sentence_spans(unit.text):
            text = unit.text[start:end].strip()
            if text:
                where = _where(unit, unit.line_at(start), paragraphs)
                found.append(Sentence(text=text, where=where))
                if LIST_INTRO.search(text):
                    intro = len(found) - 1
        previous = unit
    return found


def _same_place(unit: _Unit, other: _Unit) -> bool:
    return (unit.article, unit.paragraph) == (other.article, other.paragraph)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split after each 。 that is not inside brackets: （以下「従事者」という。） stays whole."""
    spans, start, depth = [], 0, 0
    for index, char in enumerate(text):
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(depth - 1, 0)
        elif char == "。" and depth == 0:
            spans.append((start, index + 1))
            start = index + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _where(unit: _Unit, line: SourceLine, paragraphs: dict[str, int]) -> str:
    article = ""
    if unit.article is not None:
        article = unit.article
        if paragraphs[unit.article] > 1:
            # 特記事項 number their articles 第1, 第2: keep 第1 and 第2項 apart.
            article += ("" if article.endswith("条") else " ") + f"第{unit.paragraph}項"
    if line.page is not None:
        return f"p.{line.page} l.{line.number}" + (f" {article}" if article else "")
    return article or f"l.{line.number}"


def _units(lines: Sequence[SourceLine]) -> list[_Unit]:
    normalized = [normalize_line(line.text) for line in lines]
    lengths = [len(text) for text in normalized if text]
    short = SHORT_LINE_SHARE * statistics.median(lengths) if lengths else 0
    following = _next_texts(normalized)
    units: list[_Unit] = []
    article: str | None = None
    paragraph = 1
    current: _Unit | None = None
    previous = ""
    for line, text, after in zip(lines, normalized, following, strict=True):
        if (
            not text
            or any(pattern.match(text) for pattern in (CAPTION, BARE_NUMBER, CONTENTS_ENTRY))
            or CONTENTS_LINE.search(text)
            or CONTENTS_TITLED.match(text)
        ):
            current = None
            continue
        # A PDF's text layer breaks lines anywhere, also right before a cross-reference in
        # the middle of a sentence (「…乙は、\n第5条第2項の規定により…」): a line goes on
        # the sentence of the line before unless that line ended one.
        inside = current is not None and not previous.endswith(SENTENCE_END)
        if not inside and _bare_caption(text, after, short):
            # 再委託の禁止 over 第3条, without brackets: a heading, not the clause itself.
            current = None
            continue
        if not inside and not article and _numbered_heading(text, short):
            # 「3 再委託の原則禁止」 over its text in a specification: a heading, as a
            # caption in brackets is, not the clause itself.
            current = None
            continue
        if CHAPTER.match(text) and not inside:
            article, paragraph = None, 1
            current = None
        elif match := _article_heading(text, inside):
            article, paragraph = match, 1
            current = None
        elif (
            # 「…年\n2 回以上」 goes on; after an item or a caption-like line without 。 a
            # numbered line is still the next paragraph.
            not (inside and previous.endswith(_GOES_ON))
            and (number := PARAGRAPH.match(text))
            and article
            and int(number.group(1)) == paragraph + 1
        ):
            paragraph += 1
            current = None
        elif ITEM.match(text) and not (inside and previous.endswith(FIELD_LABELS)):
            current = _Unit(article=article, paragraph=paragraph, item=True)
            units.append(current)
        elif (
            not article
            and PARAGRAPH.match(text)
            and (not inside or (current is not None and current.item))
            and not previous.endswith(_GOES_ON)
        ):
            # A specification without articles numbers its sections and paragraphs 1, 2 …:
            # each opens a unit (so 「2 契約期間」 can be a heading), also right after a
            # list whose last item has no 。 (「(3) 復旧 4時間以内」 then 「2 前項の…」).
            current = None
        if current is None:
            current = _Unit(article=article, paragraph=paragraph)
            units.append(current)
        current.add(line, text)
        previous = text
        # A heading, or a table row ("| 履行場所 | … |"), ends its unit. A short line is a
        # heading only when it opens its unit: one that goes on an unfinished sentence, or
        # stops at a comma or a particle, is a sentence broken early (a PDF's text layer).
        # Without articles, a specification numbers its headings like paragraphs: 「9 実地
        # の確認」 over 「発注者は、…」 is a heading, not the start of the sentence below.
        opens = len(current.lines) == 1 and not (
            ARTICLE.match(text) or ANNEX_ARTICLE.match(text) or (PARAGRAPH.match(text) and article)
        )
        if text.endswith("|") or (
            opens
            and not text.endswith("。")
            and len(text) < short
            and not text.endswith(_GOES_ON + FIELD_LABELS)
        ):
            current = None
    return units


# A line ending like this is the first part of a sentence (乙は、 / 個人情報を), never a heading.
_GOES_ON = ("、", ",", "は", "を", "が", "に", "へ", "も", "と", "で", "及び", "又は", "並びに")
# A cover table's field whose value a PDF puts on the next line (「2.履行場所」 then
# 「○○市○○町1-2」): the label is read with its value, not as a heading of its own.
FIELD_LABELS = (
    "履行場所",
    "作業場所",
    "業務場所",
    "実施場所",
    "執務場所",
    "就業場所",
    # 「4 業務履行の場所」 with the address on the lines below
    "履行の場所",
    "作業の場所",
    "業務の場所",
)


def _article_heading(text: str, inside: bool) -> str | None:
    """The article a heading line opens (第5条), or None for a line that only cites one."""
    match = ARTICLE.match(text) or ANNEX_ARTICLE.match(text)
    if match is None:
        return None
    rest = text[match.end() :]
    heading_form = HEADING_AFTER_ARTICLE.match(rest) is not None
    cites = REFERENCE_AFTER_ARTICLE.match(rest.lstrip(" ")) is not None
    if inside and (cites or not heading_form):
        return None  # 「…乙は、\n第5条第2項の規定により」: the sentence goes on
    if cites and not heading_form:
        return None  # 「第5条の規定により…」 opening a sentence of the current article
    return match.group(0).replace(" ", "")


def _next_texts(normalized: list[str]) -> list[str]:
    """For each line, the next line that is not blank."""
    following, upcoming = [], ""
    for text in reversed(normalized):
        following.append(upcoming)
        if text:
            upcoming = text
    return following[::-1]


def _numbered_heading(text: str, short: float) -> bool:
    """A short numbered line of a text without articles that states nothing: 「9 実地の確認」."""
    return (
        PARAGRAPH.match(text) is not None
        and len(text) < short
        and not text.endswith(("。", *_GOES_ON, *FIELD_LABELS))
        and "、" not in text
    )


def _bare_caption(text: str, after: str, short: float) -> bool:
    starts_unit = (ARTICLE, ANNEX_ARTICLE, CHAPTER, PARAGRAPH, ITEM)
    return (
        not text.endswith("。")
        and len(text) < short
        and not any(pattern.match(text) for pattern in starts_unit)
        and not text.endswith(_GOES_ON)
        and _article_heading(after, inside=False) is not None
    )
