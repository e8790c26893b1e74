"""Does a clause impose the provision, or raise its topic only to deny or waive it?

A rule in `provisions.py` finds a provision's topic in a sentence (再委託 with 制限, 監査 with
取扱状況 …). The same words also appear where a drafter denies the duty: 「ポリシーの遵守を
要しない」「監査は行わない」「公表しない」「再委託について何らの制限も受けない」. This module
reads the clause the topic is in and decides which it is.

Japanese is head-final: a clause's meaning is decided by the predicate at its end, and what
comes before it (「甲の承諾を得ないで」) only qualifies it. So the clause is cut at its
boundaries (。, ただし, the conjunctive が、), and its final predicate is read from SudachiPy
tokens, walking back from the end over function words (ない, て, は, なる, もの, こと …) to
the content word they attach to, the *head*: 要し|ない → 要する, 公表|し|ない → 公表,
制限|も|受け|ない → 受ける with 制限, この|限り|で|ない → 限り.

The chain of function words gives the clause's force:

- a duty (なければならない, ものとする, こと, plain form) or a permission (できる)
- a prohibition (てはならない, ことはできない, 禁止する)
- a negation (ない, ず, ぬ)

and the head says what the force applies to. Two kinds of provision read it differently:

- *Duties and rights* (2-2-a, b, c, d, i, j, k, l, m: obey, name, train, return, report,
  audit, publish, compensate): present when imposed or permitted; absent when negated or
  prohibited (「公表しない」「監査は行わない」), unless what is negated is an obstruction
  (「監査を拒んではならない」「報告を怠ってはならない」 are the duty again).
- *Restrictions* (2-2-e, f, g, h: no other use, copying rules, secrecy, subcontracting
  limits): a negated or prohibited act IS the provision (「第三者に提供しない」「複写しては
  ならない」「漏らしてはならない」); a permission counts only when it is conditioned on the
  city's consent (「甲の承認を得て再委託することができる」).

For both, a waiver empties the provision: the negated head is a constraint (要する, 必要,
適用, 制限, 負う, 問う, 拘束, 及ぶ: 「承諾を要しない」「制限も受けない」「守秘義務を負わ
ない」「適用しない」), or the clause declares it waived (免除, 除外, 任意, 自由, 不要).
A ただし proviso ending in この限りでない keeps the restriction when its condition is the
city's consent or the law (「ただし、甲の承諾を得た場合はこの限りでない」) and empties it
otherwise (「ただし、乙が必要と認める場合はこの限りでない」).
"""

import functools
import re
import threading
from dataclasses import dataclass
from enum import StrEnum

import sudachipy

# Provisions whose content is itself a restriction: a negated act is the provision.
RESTRICTIONS = frozenset({"2-2-e", "2-2-f", "2-2-g", "2-2-h"})

# A clause ends at 。, before a ただし proviso, and at the conjunctive が/けれども + 、, where a
# second predicate with its own force begins (「監査を行うが、公表はしない」).
# 「…利用しないものとし、また、…返却するものとする」: また after a comma opens another.
# 「検査は行わないものとし、遵守状況は自己点検に委ねる」: after ものとし、/ こととし、 a second
# duty begins, and the first keeps its own force.
_CLAUSE_BREAK = re.compile(
    r"(?<=。)|(?=ただし[、,])|(?<=[^をにでとへ]が、)|(?<=けれども、)|(?<=[、,])(?=また[、,])"
    r"|(?<=ものとし、)|(?<=こととし、)"
)

# Heads that, negated, waive a duty rather than deny an act: 要しない, 必要はない, 適用しない,
# 制限しない, 何らの制限も受けない (受ける with 制限 before it), 負わない, 問わない …
_WAIVER_HEADS = frozenset(
    {
        "要する",
        "必要",
        "適用",
        "制限",
        "限る",
        "限り",
        "拘束",
        "問う",
        "及ぶ",
        "義務",
        "責任",
        "妨げる",
        "差し支える",
        "構う",
        "課す",
        "禁止",
        "禁ずる",
        "禁じる",
    }
)
# Objects that, before a negated verb, make it a waiver: 義務を負わない, 制限を受けない.
_WAIVED_OBJECTS = frozenset({"制限", "義務", "責任", "責め", "適用", "拘束"})
_PROHIBITIONS = frozenset({"禁止", "禁ずる", "禁じる"})
# Heads that waive in the affirmative: 免除する, 適用除外とする, 任意とする, 不要とする.
_WAIVER_WORDS = frozenset({"免除", "除外", "任意", "自由", "不要", "随意"})
# Negated or prohibited, these make the duty again: 監査を拒んではならない.
_OBSTRUCTIONS = frozenset(
    {"拒む", "妨げる", "怠る", "忌避", "拒否", "違反", "反する", "妨害", "免れる"}
)
# What each restriction forbids: a negated or prohibited head must be one of these acts (or
# attach to one: 複製を行ってはならない) for the clause to be the restriction. 「下請負者の
# 過失による事故でも責任を免れることはできない」 names 下請 but restricts nothing.
_ACTS = {
    "2-2-e": frozenset(
        {"利用", "使用", "用いる", "提供", "開示", "貸与", "引き渡す", "渡す", "供する", "流用"}
        | {"転用", "知らせる", "知る", "漏らす", "持ち出す", "持出", "公表", "公開", "閲覧"}
    ),
    "2-2-f": frozenset({"複写", "複製", "コピー", "写す", "複写機", "写し"}),
    "2-2-g": frozenset(
        {"漏らす", "漏えい", "漏洩", "漏れる", "知らせる", "開示", "口外", "提供", "他言"}
        | {"公表", "公開", "利用", "使用", "用いる", "漏示", "知る", "伝える"}
    ),
    "2-2-h": frozenset(
        {"委託", "再委託", "請け負う", "請ける", "負う", "委任", "任せる", "行わせる", "下請け"}
        | {"下請", "処理", "させる", "出す", "請負"}
    ),
}
# Words that let a restriction be done freely: 何らの制限なく, 自由に, 甲の承諾なく … できる.
_UNRESTRICTED = re.compile(r"何らの制限|制限なく|制限を受けず|自由に|任意に|無制限")
# 「…場所以外の場所で行ってはならない」: forbidding the act anywhere else fixes where it is
# done, a duty stated as a prohibition.
_ONLY_WITHIN = re.compile(r"以外(?:の[^、。]{1,6})?(?:で|に|から|へ)")
# Refused, these forbid the act the rule found: 再委託は認めない, 第三者への提供は許さない.
_PERMISSIONS = frozenset({"認める", "許す", "許可", "容認"})
# Light verbs whose object names the act: 「複製に当たる行為を一切行わないこと」.
_LIGHT_ACTS = frozenset({"行う", "実施", "為る", "する"})
# Words joining coordinated predicates: 利用し、又は提供し、若しくは閲覧させてはならない.
# Sudachi may cut 又は into 又 | は, so 又 alone joins too.
_COORDINATORS = frozenset(
    {"又は", "又", "若しくは", "或いは", "あるいは", "または", "もしくは", "及び", "並びに"}
)
# Between the nouns of a list named as one act's object: 加工、複製・複写又は転送をする.
_LIST_JOINERS = frozenset({"・", "、", ",", "又", "又は", "若しくは", "及び", "並びに", "或いは"})
_CONSENT = re.compile(r"承諾|承認|許可|同意|指示|協議|認め")
# A permission confined to the work or to the city's scope is a restriction too: 乙は、業務を
# 実施する場合にのみ、甲の指定する範囲内で個人情報を利用することができる.
_CONFINED = re.compile(
    r"(?:場合|ため|目的|業務)(?:に|で|において)?のみ|(?:甲|発注者|委託者|市|区|町|村|県)"
    r"(?:の|が)(?:指定|指示|定め)[^、。]{0,6}範囲内"
)
_CONSENT_WITHHELD = re.compile(
    r"(?:承諾|承認|許可|同意)(?:を得ず|を得ないで|なく|なしに|を要せず|不要)"
)
# A proviso keeps the restriction when the city (or the law, or the person) decides.
_PROVISO = re.compile(r"^ただし[、,]")
_PROVISO_EMPTIES = re.compile(r"(?:この|その)限りで(?:は)?ない|適用しない|この限りではない")
_CITY = re.compile(r"甲|発注者|委託者|本市|市長|市が|県|区|町|村|法令|法律|本人の同意|裁判")
# What is left to the contractor's judgement (受注者の判断に委ねる) is not required of it.
_LEFT_TO = frozenset({"委ねる", "任せる", "一任"})
_CONTRACTOR_DECIDES = re.compile(
    r"(?:乙|受託者|受注者)が(?:必要|適当|相当|適切)と(?:認め|判断)|(?:乙|受託者|受注者)の(?:判断|裁量)"
)

# Function words a predicate's head carries after it (walked over from the clause end).
_FUNCTIONAL_POS = frozenset({"助動詞", "助詞", "補助記号", "空白", "接尾辞"})
# 行う is not among them: 監査は行わない is a denial whose head is 行う.
_LIGHT_VERBS = frozenset(
    {"する", "できる", "なる", "ある", "いる", "おる", "得る", "致す", "くださる", "下さる"}
)
_FORMAL_NOUNS = frozenset({"もの", "こと", "の", "旨", "ところ", "ため"})
_NEGATIONS = frozenset({"ない", "ず", "ぬ", "ん", "無い"})


class Force(StrEnum):
    AFFIRM = "affirm"  # a duty, a plain statement, a right
    PERMIT = "permit"  # できる
    PROHIBIT = "prohibit"  # てはならない, ことはできない, 禁止する
    NEGATE = "negate"  # ない, ず


@dataclass(frozen=True)
class Predicate:
    """A clause's final predicate: its head word (dictionary form), what it attaches, and force."""

    head: str
    force: Force
    before: str  # the content word before the head (制限 in 制限も受けない)
    # the heads of the predicates coordinated with this one, which share its force:
    # 利用 and 提供 in 「利用し、又は提供し、若しくは閲覧させてはならない」
    coordinated: tuple[str, ...] = ()
    causative: bool = False  # 他人に行わせてはならない: having another do it
    # content words after the clause's last comma: 複製 in 「複製に当たる行為を行わない」
    last_phrase: tuple[str, ...] = ()
    # the nouns listed with a verbal-noun head, sharing its force: 複製 and 複写 in
    # 「個人情報の加工、複製・複写又は転送をしてはならない」 (head 転送)
    listed: tuple[str, ...] = ()


_local = threading.local()


def _tokenizer() -> sudachipy.Tokenizer:
    tokenizer: sudachipy.Tokenizer | None = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        # Split mode A: the smallest units, so なければならない and てはならない come apart.
        tokenizer = _dictionary().tokenizer(mode=sudachipy.SplitMode.A)
        _local.tokenizer = tokenizer
    return tokenizer


@functools.cache
def _dictionary() -> sudachipy.Dictionary:
    return sudachipy.Dictionary(dict="core")


def clauses(sentence: str) -> list[str]:
    """The sentence cut at its clause boundaries; brackets are never cut (「…をいう。」)."""
    parts, start, depth = [], 0, 0
    for index, char in enumerate(sentence):
        if char in "(「『[【（":
            depth += 1
        elif char in ")」』]】）":
            depth = max(depth - 1, 0)
        elif depth == 0 and index > start and _CLAUSE_BREAK.match(sentence, index):
            parts.append(sentence[start:index])
            start = index
    parts.append(sentence[start:])
    return [part for part in parts if part.strip()]


@functools.lru_cache(maxsize=4096)
def predicate(clause: str) -> Predicate:
    """Read the final predicate of one clause (see the module docstring)."""
    tokens = [
        (m.surface(), m.dictionary_form(), m.part_of_speech())
        for m in _tokenizer().tokenize(clause[-200:])
    ]
    chain: list[str] = []  # dictionary forms of the function words, in reading order
    head, before = "", ""
    index = len(tokens) - 1
    while index >= 0:
        surface, lemma, pos = tokens[index]
        functional = (
            pos[0] in _FUNCTIONAL_POS
            or lemma in _FORMAL_NOUNS
            or (pos[0] == "動詞" and lemma in _LIGHT_VERBS)
            or (pos[0] == "形容詞" and lemma in _NEGATIONS)
        )
        if not functional:
            head = lemma
            before = next(
                (
                    t[1]
                    for t in reversed(tokens[:index])
                    if t[2][0] in {"名詞", "動詞", "形状詞"} and t[1] not in _FORMAL_NOUNS
                ),
                "",
            )
            break
        chain.insert(0, lemma)
        index -= 1
    content = {"名詞", "動詞", "形状詞"}
    coordinated = []
    for position, token in enumerate(tokens[:index]):
        if token[1] in _COORDINATORS:
            words = [t[1] for t in tokens[:position] if t[2][0] in content]
            words = [w for w in words if w not in _LIGHT_VERBS and w not in _FORMAL_NOUNS]
            if words:
                coordinated.append(words[-1])
    comma = max((i for i, t in enumerate(tokens[:index]) if t[0] in "、,"), default=-1)
    last_phrase = tuple(t[1] for t in tokens[comma + 1 : index] if t[2][0] in content)
    listed = _listed_before(tokens, index)
    if head in _LIGHT_ACTS and index >= 2 and tokens[index - 1][0] == "を":
        # 「データの複製、改変又は送信を行ってはならない」: the light verb's object list
        listed = (*_listed_before(tokens, index - 2), tokens[index - 2][1])
    return Predicate(
        head=head,
        force=_force(chain, head),
        before=before,
        coordinated=tuple(coordinated),
        causative=any(word in {"せる", "させる"} for word in chain),
        last_phrase=last_phrase,
        listed=listed,
    )


def _listed_before(tokens: list[tuple[str, str, list[str]]], index: int) -> tuple[str, ...]:
    """The nouns joined to a noun head as one list (・, 、, 又は, 及び): one object, one force."""
    if index < 0 or tokens[index][2][0] != "名詞":
        return ()
    listed: list[str] = []
    position = index - 1
    while position >= 0:
        surface, lemma, pos = tokens[position]
        if pos[0] == "名詞" and lemma not in _FORMAL_NOUNS:
            listed.append(lemma)
        elif not (
            surface in _LIST_JOINERS
            or lemma in _LIST_JOINERS
            or (surface == "は" and position > 0 and tokens[position - 1][0] == "又")
        ):
            break
        position -= 1
    return tuple(reversed(listed))


def _force(chain: list[str], head: str) -> Force:
    # The polite negation of a specification written to contractors is the plain one:
    # なりません, いけません, できません (ます|ん).
    words = re.sub(r"ます (?:ん|ぬ|ず|ない)", "ない", " ".join(chain))
    if head in _PROHIBITIONS and not _negated(chain):
        return Force.PROHIBIT
    # なければならない / なくてはならない / ねばならない: a duty, although ない appears.
    if re.search(
        r"ない ば なる ない|ない て は なる ない|ぬ ば なる ない|ない と いける ない", words
    ):
        return Force.AFFIRM
    if re.search(r"[てで] は (?:なる|いける) (?:ない|ぬ|ず)", words):
        return Force.PROHIBIT
    if re.search(r"こと (?:は|が|も) できる (?:ない|ず|ぬ|ん)", words):
        return Force.PROHIBIT
    if _negated(chain):
        return Force.NEGATE
    if "できる" in chain:
        return Force.PERMIT
    return Force.AFFIRM


def _negated(chain: list[str]) -> bool:
    return any(word in _NEGATIONS for word in chain)


def imposes(provision_id: str, sentence: str, terms: tuple[str, ...]) -> bool:
    """Whether the sentence imposes the provision whose rule matched it (terms: its words)."""
    parts = clauses(sentence)
    if any(_PROVISO.match(part) and _empties(part) for part in parts):
        return False
    located = [
        _announcing(parts, index)
        for index, part in enumerate(parts)
        if any(term in part for term in terms)
    ]
    # The clauses holding the topic itself (the rule's first term: 検査, 再委託 …) decide,
    # when there are any: 「検査は行わないものとし、遵守状況は自己点検に委ねる」 is a denial
    # although 状況 stands in an affirmed clause.
    topical = [
        _announcing(parts, index) for index, part in enumerate(parts) if terms and terms[0] in part
    ]
    located = topical or located
    # The clauses the provision's words are in; when the words matched only through their
    # lemmas, every clause of the sentence.
    if provision_id not in RESTRICTIONS and any(
        _only_as_capability(part, terms) for part in located
    ):
        return False
    return any(_clause_imposes(provision_id, part) for part in (located or parts))


# Items read with the sentence announcing them (次の各号…。(1)業務責任者 (2)作業場所, or
# 関係法令等を遵守すること。1.… 7.個人情報保護条例): a list has no predicate of its own.
_LIST_ITEM = re.compile(
    r"^\s*(?:\(\s?[0-9]+\s?\)|[0-9]+\.(?![0-9])|[ア-ン][ .]|\([ア-ン]\)|[・●○■□◆◇※])"
)


def _announcing(parts: list[str], index: int) -> str:
    """The clause itself, or for a list item the clause that announces the list."""
    while index > 0 and _LIST_ITEM.match(parts[index]) and parts[index - 1].rstrip().endswith("。"):
        index -= 1
    return parts[index]


# A duty word qualifying a noun as a capability: 「特記事項を遵守できるものを選定すること」
# describes whom the city chooses, it imposes nothing on the contractor.
_CAPABILITY = re.compile(
    r"^(?:する)?(?:ことが)?できる(?:もの|者|委託先|事業者|業者|団体|法人|体制)"
)


# The obey word inside a title: 「外部委託情報安全対策遵守事項」 names rules, binds nobody.
_TITLE_AFTER = re.compile(r"^事項")


def _only_as_capability(clause: str, terms: tuple[str, ...]) -> bool:
    found = [
        clause[match.end() :] for term in terms for match in re.finditer(re.escape(term), clause)
    ]
    return bool(found) and any(
        _CAPABILITY.match(after) or _TITLE_AFTER.match(after) for after in found
    )


def _clause_imposes(provision_id: str, clause: str) -> bool:
    if _PROVISO.match(clause):
        return not _empties(clause)
    found = predicate(clause.rstrip("。"))
    restriction = provision_id in RESTRICTIONS
    if found.head in _WAIVER_WORDS:
        return False  # 免除する, 任意とする, 不要とする
    if found.head in _LEFT_TO and _CONTRACTOR_DECIDES.search(clause):
        return False  # 教育の実施は、受注者の判断に委ねる
    prohibition = found.force is Force.PROHIBIT and found.head in _PROHIBITIONS
    if found.force in {Force.NEGATE, Force.PROHIBIT} and not prohibition:
        if found.head in _WAIVER_HEADS or found.before in _WAIVED_OBJECTS:
            # 要しない, 制限も受けない, 守秘義務を負わない … but 監査を妨げてはならない is the
            # duty: a prohibited obstruction.
            return not restriction and found.head in _OBSTRUCTIONS
        if restriction:
            # 提供しない, 複写してはならない, 漏らしてはならない
            acts = _ACTS.get(provision_id, frozenset())
            return (
                found.head in acts
                or found.before in acts
                or any(word in acts for word in found.coordinated)
                or any(word in acts for word in found.listed)
                # 他人に行わせてはならない: having another do the work is subcontracting
                or (provision_id == "2-2-h" and found.causative)
                # 再委託は、一切認めない: a permission refused is a prohibition of the act
                or (found.force is Force.NEGATE and found.head in _PERMISSIONS)
                or (found.head in _LIGHT_ACTS and any(w in acts for w in found.last_phrase))
            )
        if _ONLY_WITHIN.search(clause):
            return True  # 指定する場所以外の場所で行ってはならない
        return found.head in _OBSTRUCTIONS  # 拒んではならない / 怠ってはならない
    if restriction:
        if _UNRESTRICTED.search(clause) or _CONSENT_WITHHELD.search(clause):
            return False
        if found.force is Force.PERMIT:
            # 再委託することができる is no restriction; 甲の承認を得て…できる is one.
            return bool(_CONSENT.search(clause) or _CONFINED.search(clause))
    return True


def _empties(proviso: str) -> bool:
    """A ただし proviso that lifts the duty: この限りでない not conditioned on the city."""
    if not _PROVISO_EMPTIES.search(proviso):
        return False
    if _CONTRACTOR_DECIDES.search(proviso):
        return True
    return not (_CITY.search(proviso) and _CONSENT.search(proviso)) and not re.search(
        r"法令|法律|本人の同意|生命|身体", proviso
    )


def emptied_by_proviso(following: str) -> bool:
    """Whether the sentence after a matched one is a proviso that empties it."""
    return bool(_PROVISO.match(following)) and _empties(following)
