"""One spelling for the same words: width, old kanji forms, spaces and breaks inside sentences.

Municipal contracts arrive typed on different machines and decades apart: full-width digits
(第５条), half-width katakana, old kanji forms (契約書の「條」), spaces spread between the
characters of a justified heading (個 人 情 報), and line breaks wherever the page ended.
The rules in `provisions.py` are written once, in today's forms; this module brings every
text to those forms before matching.
"""

import re
import unicodedata

# The old (旧字体) and variant forms that appear in older contract forms and scans, mapped to
# the forms the rules use. The common ones only: a character missing here just fails to
# match a rule term, it never breaks the check.
ITAIJI = str.maketrans(
    {
        "條": "条",
        "從": "従",
        "證": "証",
        "實": "実",
        "處": "処",
        "擔": "担",
        "當": "当",
        "關": "関",
        "權": "権",
        "廢": "廃",
        "祕": "秘",
        "號": "号",
        "體": "体",
        "會": "会",
        "舊": "旧",
        "數": "数",
        "餘": "余",
        "與": "与",
        "擧": "挙",
        "區": "区",
        "縣": "県",
        "國": "国",
        "圖": "図",
        "辯": "弁",
        "辨": "弁",
        "瓣": "弁",
        "讓": "譲",
        "續": "続",
        "變": "変",
        "傳": "伝",
        "發": "発",
        "檢": "検",
        "驗": "験",
        "寫": "写",
        "齒": "歯",
        "觸": "触",
        "將": "将",
        "應": "応",
        "惡": "悪",
        "濟": "済",
        "經": "経",
        "總": "総",
        "勞": "労",
        "營": "営",
        "壞": "壊",
        "歸": "帰",
        "收": "収",
        "效": "効",
        "廣": "広",
        "據": "拠",
        "黨": "党",
        "聽": "聴",
        "覽": "覧",
        "缺": "欠",
        "豫": "予",
        "兩": "両",
        "狀": "状",
        "亂": "乱",
        "步": "歩",
        "髙": "高",
        "﨑": "崎",
        "德": "徳",
        "姬": "姫",
        "遲": "遅",
        "澤": "沢",
        "邊": "辺",
        "邉": "辺",
    }
)

# Spaces between two Japanese characters are layout (justified headings, PDF extraction),
# never meaning: "個 人 情 報" is 個人情報.
_JAPANESE = r"\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff、。「」『』（）()・"
_SPACE_BETWEEN_JAPANESE = re.compile(rf"(?<=[{_JAPANESE}])[ \t]+(?=[{_JAPANESE}])")
_SPACES = re.compile(r"[ \t]+")
# Text extracted from damaged PDFs can hold lone surrogates and control characters: they
# carry no meaning, and the morphological analyser cannot take them.
_UNUSABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")
# The space after a leading article number stays: "第2条 受注者は" reads as an article.
_ARTICLE_HEAD = re.compile(r"^第 ?[0-9一二三四五六七八九十百〇]+ ?条?(?:の ?[0-9]+)? ")


# An item numbered ① … ⑳ is an item: NFKC would make ①秘密の保持 the plain 1秘密の保持.
_CIRCLED = {0x2460 + n: f"({n + 1})" for n in range(20)}


def normalize_line(line: str) -> str:
    """NFKC (full-/half-width), old kanji forms to new, layout spaces removed."""
    line = _UNUSABLE.sub("", line).translate(_CIRCLED)
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", line).translate(ITAIJI)).strip()
    head = _ARTICLE_HEAD.match(text)
    if head is None:
        return _SPACE_BETWEEN_JAPANESE.sub("", text)
    return (
        head.group(0).replace(" ", "") + " " + _SPACE_BETWEEN_JAPANESE.sub("", text[head.end() :])
    )


def is_japanese(char: str) -> bool:
    return re.match(rf"[{_JAPANESE}]", char) is not None


def join(left: str, right: str) -> str:
    """Join two pieces of one sentence that a line break had separated."""
    if not left or not right:
        return left + right
    if is_japanese(left[-1]) or is_japanese(right[0]):
        return left + right
    return f"{left} {right}"
