"""A provision's topic raised only to deny or waive it is not the provision (2-2).

「監査及び検査は行わない」 has every word of 2-2-k; it says the opposite. The check reads the
clause's final predicate (negation, prohibition, waiver) before counting the provision, while
keeping ordinary legal negation that IS the provision: 「第三者に提供してはならない」.
"""

from pathlib import Path

import pytest

from itaku.contractors.contract_check import PROVISIONS, check_text

COMPLETE = (Path(__file__).parent / "contracts" / "complete.txt").read_text(encoding="utf-8")


def found(text: str) -> set[str]:
    return set(PROVISIONS) - set(check_text(text).missing())


# The complete contract with one article rewritten into a denial or a waiver.
DENIALS = [
    (
        "2-2-a",
        "第2条 乙は、甲の情報セキュリティポリシー及び旅券発給業務委託に関する情報セキュリティ"
        "ポリシー実施手順を遵守しなければならない。",
        "第2条 乙は、甲の情報セキュリティポリシーの遵守を要しない。",
    ),
    (
        "2-2-k",
        "第12条 甲は、必要があると認めるときは、乙の作業場所に立ち入り、個人情報の取扱状況に"
        "ついて監査し、又は検査することができる。",
        "第12条 甲は、乙の作業場所における個人情報の取扱状況について、監査及び検査は行わない。",
    ),
    (
        "2-2-l",
        "第13条 甲は、乙の責めに帰すべき事故が発生したときは、事故の内容及び乙の名称を公表する"
        "ことができる。",
        "第13条 甲は、乙の責めに帰すべき事故が発生したときであっても、事故の内容及び乙の名称を"
        "公表しない。",
    ),
    (
        "2-2-h",
        "第9条 乙は、本業務の全部又は一部を再委託してはならない。ただし、あらかじめ甲の書面に"
        "よる承認を得た場合は、この限りでない。",
        "第9条 乙は、本業務の再委託について何らの制限も受けない。",
    ),
]


@pytest.mark.parametrize(("provision", "original", "denial"), DENIALS)
def test_provision_denied_or_waived_is_reported_absent_with_the_rest_present(
    provision, original, denial
):
    assert original in COMPLETE
    result = check_text(COMPLETE.replace(original, denial))

    assert result.missing() == [provision]


def test_denying_sentence_is_kept_to_show_why_the_provision_is_missing():
    result = check_text(COMPLETE.replace(DENIALS[1][1], DENIALS[1][2]))

    audit = result.get("2-2-k")
    assert audit.passages == []
    assert [passage.text for passage in audit.denied] == [DENIALS[1][2]]
    assert audit.denied[0].where == "第12条"
    assert "denied" not in audit.as_json()


# The same topics said as duties, prohibitions and conditional restrictions: all present.
PROHIBITIONS = [
    ("2-2-e", "乙は、甲の承諾なく、提供された情報を第三者に提供してはならない。"),
    ("2-2-e", "乙は、個人情報を第三者に提供しないものとする。"),
    ("2-2-f", "乙は、提供された資料を複写してはならない。"),
    ("2-2-f", "乙は、甲の承諾を得た場合を除き、資料を複写し、又は複製してはならない。"),
    ("2-2-g", "乙は、本業務に関して知り得た情報を他に漏らしてはならない。"),
    ("2-2-g", "乙は、業務上知り得た秘密を口外しないものとする。"),
    ("2-2-h", "乙は、再委託してはならない。ただし、甲の承諾を得た場合はこの限りでない。"),
    ("2-2-h", "乙は、甲の承認を得て、本業務の一部を再委託することができる。"),
    ("2-2-h", "再委託は、これを禁止する。"),
    ("2-2-h", "乙は、本業務を第三者に委託し、又は請け負わせてはならない。"),
    ("2-2-k", "乙は、甲が行う監査を拒んではならない。"),
    ("2-2-j", "乙は、事故が発生したときは、直ちに甲に報告することを怠ってはならない。"),
    ("2-2-l", "乙は、甲が事故の概要を公表することを妨げない。"),
]


@pytest.mark.parametrize(("provision", "sentence"), PROHIBITIONS)
def test_prohibition_and_conditional_restriction_count_as_the_provision(provision, sentence):
    assert provision in found(sentence)


# Denials and waivers in other words than the four above.
WAIVERS = [
    ("2-2-a", "乙は、情報セキュリティポリシーに従う必要はない。"),
    ("2-2-a", "乙は、情報セキュリティポリシーを遵守する義務を負わない。"),
    ("2-2-c", "甲は、サービスレベルを保証しない。"),
    ("2-2-d", "業務従事者に対する研修の実施は任意とする。"),
    ("2-2-g", "乙は、本業務について守秘義務を負わない。"),
    ("2-2-h", "乙は、再委託することができる。"),
    ("2-2-h", "乙は、甲の承諾なく再委託することができる。"),
    ("2-2-h", "乙は、再委託に当たり甲の承諾を要しない。"),
    ("2-2-h", "再委託の制限は、本業務には適用しない。"),
    ("2-2-h", "甲は、乙が再委託することを妨げない。"),
    ("2-2-h", "乙は、再委託してはならない。ただし、乙が必要と認める場合は、この限りでない。"),
    ("2-2-i", "乙は、本業務が終了したときも、資料を返還することを要しない。"),
    ("2-2-j", "乙は、定期的に業務の状況を甲に報告することを要しない。"),
    ("2-2-m", "甲は、乙の損害賠償の責任を免除する。"),
    # the polite forms deny as the plain ones do
    ("2-2-a", "受託者は、市の情報セキュリティポリシーを遵守する必要はありません。"),
    ("2-2-h", "受託者は、再委託をすることができます。"),
    ("2-2-k", "市は、受託者の作業場所の監査を行いません。"),
    # a waived duty to obey the laws listed under it
    ("2-2-a", "関係法令等の遵守は要しない。\n1.地方自治法\n2.個人情報保護条例\n"),
    # the waiver is read in its own clause, before また opens the next one
    (
        "2-2-e",
        "受注者は、貸与された名簿を他の目的に利用することを妨げないものとし、また、作業の"
        "終了後は名簿を返却するものとする。",
    ),
]


@pytest.mark.parametrize(("provision", "sentence"), WAIVERS)
def test_waiver_in_other_words_does_not_count_as_the_provision(provision, sentence):
    assert provision not in found(sentence)


def test_duty_word_describing_whom_the_city_chooses_is_not_the_duty():
    # A city's internal rule on choosing contractors, not a clause binding one.
    sentence = "委託先の選定に当たっては、特記事項を遵守できるものを慎重に選定すること。"

    assert "2-2-a" not in found(sentence)


def test_negation_inside_a_condition_does_not_deny_the_provision():
    # 得ないで qualifies the predicate; the clause still ends in a prohibition.
    sentence = "乙は、甲の承諾を得ないで、本業務を再委託してはならない。"

    passage = check_text(sentence).get("2-2-h").passages[0]

    assert passage.text == sentence


def test_denial_in_one_clause_leaves_the_duty_in_the_other():
    sentence = "甲は、乙の作業場所の監査を行うことができるが、その結果を公表はしない。"

    assert "2-2-k" in found(sentence)
