"""Who a sentence binds: a contract term, or a rule the city gives its own staff? Who acts?

A clerk uploads contracts, but also what sits next to them in the file: the city's rule on
outsourcing (個人情報取扱事務委託基準, …に関する要綱, 規程, 要領). Such a rule speaks of
every provision's topic — 「特記事項を遵守できるものを選定すること」「契約書に受託者が特記
事項を守るべき旨を記載するものとする」「従業員に対する教育研修が行われていること」「保護体制
等について必要な調査を行うこと」 — yet binds no contractor: it tells the city's staff how to
choose one and what to write into the contract. Its duties look like a contract's duties
(すること, ものとする), so the difference is read from who they are addressed to:

- a sentence whose subject is the city's staff (実施機関は, 市の機関は, 所管課は …) is the
  city's rule wherever it stands, and so is one with no party as its subject that says what
  the contract is to contain (契約書に…旨を記載する) or whom to choose (委託先の選定に当たっ
  ては …);
- a document that names itself a rule (この基準は, この要綱の…, この規程において …) is
  addressed to the staff from that sentence on; in it, a sentence counts only when its
  subject is a party of a contract (乙は, 受託者は, 甲は …), as in the model special clause
  such a rule often carries in its annex (別記 個人情報取扱特記事項 第1 乙は、…).

Two provisions are acts of the city, not of the contractor: 2-2-k (市による監査、検査) and
2-2-l (市による事故時等の公表). A specification's 「受託者は、施設の点検を実施すること」 or
「事業の概要を公表すること」 shares their words; `city_acts` asks that the city be the
subject or be named as the one who audits or publishes.

A contract never names itself 基準 or 要綱 (it is この契約, この特記事項, この仕様書), and
its parties are 甲 and 乙 or 委託者 and 受託者, not 実施機関.
"""

import re
from collections.abc import Sequence

from itaku.contractors.contract_check.structure import Sentence

# What a city's own rule calls itself in its purpose article: この基準は、… 定めるもの
# とする. 「この要綱の対象とする委託契約は」「この基準において「委託」とは」 too.
_SELF_NAMED_RULE = re.compile(
    r"この(?:基準|要綱|規程|規則|要領|指針|ガイドライン|告示|訓令|通達|マニュアル)"
    r"(?:は|の|において|に)"
)
# Leading numbering and captions before the subject: 第3条, 第1, (1), イ, ・ …
_LEAD = re.compile(
    r"^(?:\([^()]{1,40}\)\s*)?(?:第\s?[0-9一二三四五六七八九十百]+\s?条?(?:の[0-9]+)?\s*)?"
    r"(?:[0-9]+\s+)?(?:\(\s?[0-9]+\s?\)\s*|[0-9]+\.\s*|[ア-ンイロハニホヘト]\s+|[・●○■□◆◇※]\s*)*"
)
# The city's staff as the subject: 実施機関は、… 市の機関は、…
_STAFF_SUBJECT = re.compile(
    r"^(?:実施機関|(?:市|町|村|区|県|都|府|道)の機関|所管課|担当課|主管課|各課|所属長|"
    r"契約担当者|部局長|公安委員会等|委託事務を所管する[^、]{0,10}|課長等?)(?:の長)?(?:は|が)"
)
# A contract's parties as the subject: 乙は、… 受託者は、… 甲は、…
_PARTY_SUBJECT = re.compile(
    r"^(?:甲|乙|発注者|受注者|委託者|受託者|委託先|指定管理者|請負者|受任者|事業者)"
    r"(?:及び(?:甲|乙|発注者|受注者|委託者|受託者))?(?:は|が|に|の(?:従業者|従事者|職員))"
)


# Without a party as subject, what the contract is to say or whom to choose is the city's
# instruction to its staff: 「契約書に受託者が特記事項を遵守する旨を記載する。」
# 「委託先の選定に当たっては、…を遵守できるものを選定すること。」
_DRAFTING = re.compile(
    r"(?:契約書類?|仕様書|契約)に[^。]*(?:記載|明記|規定|盛り込|明示)(?:する|し)?"
    r"(?:こと|ものとする|なければならない)?。?$"
)
_SELECTING = re.compile(r"^(?:委託先|受託者|事業者|相手方)(?:の選定|を選定)")


def subject(sentence: str) -> str:
    """The sentence without its leading numbering and caption, where its subject stands."""
    return _LEAD.sub("", sentence, count=1)


def party_is_subject(sentence: str) -> bool:
    """Whether a contract's party is the sentence's subject: 乙は、… 第5条(体制) 受託者は、…"""
    opening = subject(sentence)
    opening = subject(re.sub(r"^\([^()]{1,40}\)\s*", "", opening))
    return _PARTY_SUBJECT.match(opening) is not None


def addressed_to_staff(sentences: Sequence[Sentence]) -> list[bool]:
    """For each sentence, whether it is the city's rule for its staff rather than a term."""
    flags: list[bool] = []
    staff_rule = False
    for sentence in sentences:
        opening = subject(sentence.text)
        if _SELF_NAMED_RULE.match(opening):
            staff_rule = True
        party = _PARTY_SUBJECT.match(opening) is not None
        instruction = not party and bool(
            _DRAFTING.search(sentence.text) or _SELECTING.match(opening)
        )
        if _STAFF_SUBJECT.match(opening) or instruction:
            flags.append(True)
        elif staff_rule:
            flags.append(not party)
        else:
            flags.append(False)
    return flags


# The city as the one who audits or publishes: its subject (甲は、市は、中野区は …), or named
# as the auditor or publisher (甲の監査, 甲が行う検査, 発注者が…公表する).
_CITY = (
    r"(?:甲|発注者|委託者|本市|当市|市長|区長|町長|村長|知事|[^、。はがの]{0,6}?[市区町村県都府道])"
)
_CITY_SUBJECT = re.compile(rf"^{_CITY}(?:は|が)")
_CITY_ACTS = re.compile(
    rf"{_CITY}(?:が|の|から|による|において)[^。]{{0,30}}?"
    r"(?:監査|検査|調査|立入|立ち入|実地|点検|公表|報道機関)"
)
_PUBLISHED = re.compile(r"公表され")
# The contractor submitting to an audit: in a contract, the other party is the auditor.
# Not 「外部監査の結果を、甲の求めに応じて提出する」: an audit's results handed over on
# request are another's audit; 「立入検査の求めに応じる」 is submitting to one.
_SUBMITS = re.compile(
    r"(?:監査|検査|調査|立入|立ち入|実地)(?![^。]{0,3}(?:結果|報告書))[^。]{0,12}?"
    r"(?:に応じ|に協力|を受け|を拒|を妨げ|を忌避)"
)


# The contractor asked for documents to check its work (資料の提出を求められた場合は、直ちに
# 提出すること): in a contract, the one who asks is the other party.
_ASKED_FOR_DOCUMENTS = re.compile(r"(?:確認|検証)[^。]{0,30}?(?:提出|提示|閲覧)を求められ")


def city_acts(sentence: str) -> bool:
    """Whether the city audits, inspects or publishes in the sentence, not the contractor."""
    return bool(
        _CITY_SUBJECT.match(subject(sentence))
        or _CITY_ACTS.search(sentence)
        or _PUBLISHED.search(sentence)
        or _SUBMITS.search(sentence)
        or _ASKED_FOR_DOCUMENTS.search(sentence)
    )
