"""The contract check (2-2-a … 2-2-m) on text: what it finds, what it quotes, and where."""

from pathlib import Path

import pytest

from itaku.contractors.contract_check import PROVISIONS, check_text

CONTRACTS = Path(__file__).parent / "contracts"


def contract(name: str) -> str:
    return (CONTRACTS / name).read_text(encoding="utf-8")


def found(text: str) -> set[str]:
    return set(PROVISIONS) - set(check_text(text).missing())


def test_provisions_are_the_thirteen_of_2_2_in_order():
    assert [f"2-2-{letter}" for letter in "abcdefghijklm"] == PROVISIONS


def test_complete_contract_has_every_provision():
    result = check_text(contract("complete.txt"))

    assert result.missing() == []
    assert all(provision.passages for provision in result.provisions)


def test_contract_without_service_level_and_publication_lists_exactly_those_as_missing():
    result = check_text(contract("missing_c_and_l.txt"))

    assert result.missing() == ["2-2-c", "2-2-l"]
    assert result.get("2-2-c").passages == []


def test_each_passage_is_quoted_with_its_article_and_paragraph():
    result = check_text(contract("complete.txt"))

    subcontracting = result.get("2-2-h").passages[0]
    assert subcontracting.where == "第9条"
    assert "再委託してはならない" in subcontracting.text
    reports = {passage.where: passage.text for passage in result.get("2-2-j").passages}
    assert "毎月" in reports["第11条第1項"]
    assert "直ちに甲に報告" in reports["第11条第2項"]


def test_passage_names_the_terms_that_made_the_decision():
    passage = check_text("第9条 乙は、本業務を再委託してはならない。").get("2-2-h").passages[0]

    assert passage.terms == ("再委託", "てはならない")


def test_text_without_articles_is_located_by_line():
    result = check_text("特記仕様書\n\n受託者は、個人情報を第三者に提供してはならない。")

    assert result.get("2-2-e").passages[0].where == "l.3"


def test_annex_articles_without_jo_are_cited_as_written():
    text = "(秘密の保持)\n第2 乙は、業務上知り得た個人情報を他に漏らしてはならない。"

    assert check_text(text).get("2-2-g").passages[0].where == "第2"


def test_json_has_one_entry_per_provision_in_the_agreed_shape():
    data = check_text(contract("missing_c_and_l.txt")).as_json()

    assert [entry["id"] for entry in data["provisions"]] == PROVISIONS
    subcontracting = next(entry for entry in data["provisions"] if entry["id"] == "2-2-h")
    assert subcontracting["present"] is True
    assert set(subcontracting["passages"][0]) == {"text", "where"}
    assert subcontracting["passages"][0]["where"] == "第9条"
    publication = next(entry for entry in data["provisions"] if entry["id"] == "2-2-l")
    assert publication == {"id": "2-2-l", "present": False, "passages": []}


# Each provision said in other words than the fictional contract's: the check matches meaning
# (concepts meeting in one sentence), not one phrase.
PARAPHRASES = [
    ("2-2-a", "受託者は、本市の情報セキュリティ基本方針及び情報セキュリティ対策基準に従うこと。"),
    ("2-2-a", "乙は、個人情報の保護に関する法律及び本市の個人情報保護条例を順守すること。"),
    ("2-2-b", "受託者は、契約締結後速やかに業務責任者を選任し、甲に通知しなければならない。"),
    ("2-2-b", "乙は、業務従事者名簿を甲に提出すること。"),
    ("2-2-b", "作業場所は、甲が指定する場所とする。"),
    ("2-2-c", "受託者は、別紙に定めるサービス水準を維持しなければならない。"),
    ("2-2-c", "乙は、システムの稼働率99.5%以上を確保するものとする。"),
    ("2-2-d", "乙は、従業員に対し、情報セキュリティに関する教育を行わなければならない。"),
    ("2-2-d", "受託者は、業務に従事する者に甲が実施する研修を受講させなければならない。"),
    ("2-2-e", "乙は、本業務で取り扱う個人情報を他の目的に使用してはならない。"),
    ("2-2-e", "受託者は、提供された資料を乙以外の者に開示してはならない。"),
    ("2-2-e", "受注者は、知り得た個人情報の利用及び提供は本人の同意を得た範囲に限るものとする。"),
    ("2-2-f", "乙は、甲の指示がある場合を除き、個人情報が記録された資料をコピーしてはならない。"),
    ("2-2-f", "資料の複製は必要最小限にとどめること。"),
    ("2-2-g", "乙は、本契約の履行により知り得た秘密を第三者に漏洩してはならない。"),
    ("2-2-g", "受託者は、業務上知り得た情報について守秘義務を負う。"),
    ("2-2-h", "乙は、第三者に業務を委託する場合は、あらかじめ甲の承認を得なければならない。"),
    ("2-2-h", "受託者は、本業務を第三者に請け負わせてはならない。"),
    ("2-2-h", "再委託は、これを禁止する。"),
    ("2-2-i", "乙は、契約期間が満了したときは、保有する個人情報を速やかに消去しなければならない。"),
    ("2-2-i", "業務完了後、甲から引き渡された資料は甲に返却すること。"),
    ("2-2-j", "乙は、業務の実施状況について定期的に甲に報告しなければならない。"),
    ("2-2-j", "受託者は、情報セキュリティ事故が発生したときは、速やかに甲に連絡するものとする。"),
    ("2-2-j", "乙は、作業の進捗を月次で甲に報告すること。"),
    ("2-2-k", "甲は、個人情報の取扱状況について報告を求め、又は実地に調査することができる。"),
    ("2-2-k", "受託者は、市が行う監査に協力しなければならない。"),
    ("2-2-l", "市は、個人情報の漏えいが発生した場合、その事実を公表することができる。"),
    ("2-2-l", "甲は、事故の概要を報道機関に発表することがある。"),
    ("2-2-m", "乙の故意又は過失により甲に損害が生じたときは、乙はその損害を賠償する責めを負う。"),
    ("2-2-m", "甲は、乙が本特記事項に違反したときは、契約を解除することができる。"),
    ("2-2-m", "乙がこの契約に違反した場合は、違約金を支払わなければならない。"),
    # forms seen in held-out sets 4 and 5 (docs/contract-check.md)
    ("2-2-a", "乙は、情報セキュリティ実施手順に基づき、保護すべき情報を取り扱わなければならない。"),
    ("2-2-a", "受託者は、この特記仕様書に定める事項に従って契約を履行しなければならない。"),
    ("2-2-b", "履行場所 | 架空市中央区本町1丁目(架空市庁舎) |"),
    ("2-2-e", "乙は、契約図書を業務の履行のために使用する以外の目的で、第三者に使用させない。"),
    ("2-2-g", "受託者は、知ることのできた個人情報をみだりに他人に知らせてはならない。"),
    ("2-2-g", "また、その内容を漏洩しない。"),
    (
        "2-2-i",
        "受託者は、個人情報を保有する必要がなくなったときは、速やかに廃棄しなければならない。",
    ),
    ("2-2-b", "受託者は、この契約にかかる電算処理施設及び作業担当者を区に通知しなければならない。"),
    (
        "2-2-m",
        "乙は、従業員の過失により情報の漏えい事故があったときであっても、契約上の責任を免れる"
        "ことはできない。",
    ),
    # an ordinance or a policy governing how the contractor protects the information
    (
        "2-2-a",
        "受注者は、架空市個人情報保護条例の規定に基づき、預かった名簿の保護を徹底すること。",
    ),
    (
        "2-2-a",
        "乙は、本市の情報セキュリティポリシーに従い、端末内の情報を適正に管理しなければならない。",
    ),
    # what was learned, given to others: secrecy
    ("2-2-g", "受託者は、作業中に知り得た利用者の事情を第三者に提供してはならない。"),
    ("2-2-g", "乙は、業務で知り得た事項を他人に伝えてはならない。"),
    ("2-2-b", "3 委託業務の場所 架空市見本町2丁目 4 委託料の額 金 円"),
    ("2-2-d", "受注者は、人員を配置したのち、開始前に窓口対応の研修を行うこと。"),
]


@pytest.mark.parametrize(("provision", "sentence"), PARAPHRASES)
def test_provision_is_found_when_said_in_other_words(provision, sentence):
    assert provision in found(sentence)


# Sentences that share words with a provision but do not make it.
NEAR_MISSES = [
    ("2-2-a", "乙は、日本国の法令を遵守しなければならない。"),
    ("2-2-d", "乙は、業務の内容を従事者に周知しなければならない。"),
    ("2-2-h", "乙は、業務を再委託することができる。"),
    ("2-2-i", "委託料は、業務完了後に支払う。"),
    ("2-2-i", "予算の減額又は削除があった場合には、甲はこの契約を解除することができる。"),
    ("2-2-j", "(3)定期報告業務の概要"),
    ("2-2-k", "甲は、成果物の提出を受けたときは、その内容を検査しなければならない。"),
    ("2-2-k", "(13)監査の協力"),
    ("2-2-l", "甲は、入札の結果を公表する。"),
    ("2-2-m", "この契約の解除により生じた損害の賠償を請求することはできない。"),
    # the standard clause on assigning the contract's rights is not about information
    ("2-2-e", "乙は、この契約に生ずる権利又は義務を第三者に譲渡し、又は承継させてはならない。"),
    # 下請負者 named, nothing about subcontracting restricted
    (
        "2-2-h",
        "乙は、乙の従業員又は下請負者(契約の履行に係る作業に従事する全ての事業者(乙を除く。)を"
        "いう。)の過失による事故があったときであっても、契約上の責任を免れることはできない。",
    ),
    # 委託 in 委託業務 is not subcontracting
    (
        "2-2-h",
        "乙は、委託業務に関して知り得た情報について、甲の承認を得ずに委託業務の目的以外の目的に"
        "使用し、又は第三者に提供してはならない。",
    ),
    (
        "2-2-a",
        "(再委託時の特約条項遵守) 第2条 甲は、乙が委託業務の一部を再委託することを妨げない。",
    ),
    # a document's title naming rules is not the duty to obey them
    ("2-2-a", "外部委託情報安全対策遵守事項"),
    # equipment, not copying of the city's information
    ("2-2-f", "印刷機、コピー機を設置し、印刷室の運営とコピーサービスを実施し、管理すること。"),
    # a rule's purpose article names the law it rests on, binding no contractor
    (
        "2-2-a",
        "この要綱は、個人情報の保護に関する法律の規定に基づき、委託に際し市が講ずる措置を"
        "定めるものとする。",
    ),
    # given, not learned in the work: a limit on providing (2-2-e), not secrecy
    ("2-2-g", "乙は、甲から貸与された台帳を第三者に提供してはならない。"),
]


@pytest.mark.parametrize(("provision", "sentence"), NEAR_MISSES)
def test_sentence_sharing_words_with_a_provision_does_not_count_for_it(provision, sentence):
    assert provision not in found(sentence)


def test_full_width_digits_and_spaces_are_read_as_half_width():
    result = check_text("第５条　乙は、甲の承諾なく再委託してはならない。")

    assert result.get("2-2-h").passages[0].where == "第5条"


def test_old_kanji_forms_are_read_as_new_ones():
    result = check_text("第7條 乙は、甲の承諾なく資料を複寫してはならない。")

    passage = result.get("2-2-f").passages[0]
    assert passage.where == "第7条"
    assert "複写" in passage.text


def test_spaces_spread_between_characters_are_ignored():
    text = "乙 は 、 業 務 上 知 り 得 た 情 報 を 漏 ら し て は な ら な い 。"

    assert "2-2-g" in found(text)


def test_sentence_broken_across_lines_is_read_whole():
    text = (
        "第9条 乙は、甲の書面による承諾を得ないで、本業務の処理を第三者に\n委託してはならない。\n"
    )

    passage = check_text(text).get("2-2-h").passages[0]
    assert (
        passage.text
        == "第9条 乙は、甲の書面による承諾を得ないで、本業務の処理を第三者に委託してはならない。"
    )
    assert passage.where == "第9条"


def test_definition_in_parentheses_does_not_split_the_prohibition():
    text = "第4 乙は、業務を第三者に委託し、又は請け負わせて(「再委託等」という。)はならない。"

    assert check_text(text).get("2-2-h").passages[0].where == "第4"


def test_conjugated_verbs_match_through_their_lemma():
    # 行います is found as 行う only through SudachiPy's normalised form.
    assert "2-2-k" in found("甲は、年に一度、乙の作業場所の監査を行います。")


def test_provision_spread_over_two_sentences_is_not_pieced_together():
    text = "乙は、再委託について定める。甲の承認は要しない。"

    assert "2-2-h" not in found(text)


def test_items_are_read_with_the_sentence_that_announces_them():
    text = (
        "(業務体制の届出)\n"
        "第5 受注者は、次の各号に掲げる事項を発注者に届け出なければならない。\n"
        "(1)業務責任者及びその責任範囲\n"
        "(2)作業場所及びデータ保管場所\n"
    )

    passage = check_text(text).get("2-2-b").passages[0]

    assert passage.where == "第5"
    assert passage.text.endswith("(1)業務責任者及びその責任範囲 (2)作業場所及びデータ保管場所")


def test_table_of_contents_entries_are_not_provisions():
    text = "目次\n3 再委託の制限 ・・・・・・ 5\n13 監査の協力 11\n14 データ及び資料等の破棄 12\n"

    assert check_text(text).missing() == PROVISIONS


def test_table_of_contents_run_into_one_line_is_not_a_provision():
    text = "1.はじめに・・・・・・ 1 2.対象業務・・・・・・ 1 3.一括再委託の禁止・・・・ 2\n"

    assert check_text(text).missing() == PROVISIONS


def test_table_of_contents_of_forms_without_page_dots_is_not_a_provision():
    # a list of form names run into one line: its words are titles, not clauses
    text = (
        "架空町様式集 目次 1. 届出書 2. 再委託承認申請書 再委託承認通知書 "
        "3. 監査実施状況報告書 4. 事故報告書\n"
        "1. 届出書 年月日 架空町長 宛 申請者名\n"
    )

    assert check_text(text).missing() == PROVISIONS


def test_place_of_work_given_on_the_line_below_its_label_is_found():
    text = (
        "1.件名\n見本資料整理業務委託\n2.履行場所\n架空市立見本資料館\n架空市本町3丁目4番5号\n"
        "3.履行期間\n契約締結日から年度末まで\n"
    )

    passage = check_text(text).get("2-2-b").passages[0]

    assert passage.text.startswith("2.履行場所架空市立見本資料館")
    assert "履行期間" not in passage.text


def test_places_listed_as_items_under_their_label_are_read_with_it():
    text = "2\n履行場所\n(1) 見本出張所\n架空市見本町1番地\n3\n契約期間\n"

    assert check_text(text).get("2-2-b").passages[0].text.startswith("履行場所(1)見本出張所")


def test_characters_left_by_a_damaged_text_layer_are_dropped():
    text = "第9条 乙は、本業務を\ud800再委託して\x07はならない。"

    assert (
        check_text(text).get("2-2-h").passages[0].text
        == "第9条 乙は、本業務を再委託してはならない。"
    )


def test_heading_without_brackets_is_not_quoted_as_the_clause_below_it():
    text = (
        "第2条 乙は、個人情報の適正な管理のために必要な措置を講じなければならない。\n"
        "再委託の禁止\n"
        "第3条 乙は、管理運営業務を他に委託し、又は請け負わせてはならない。\n"
        "複写及び複製の禁止\n"
        "第4条 乙は、業務の進め方について甲と協議しなければならない。\n"
    )

    result = check_text(text)

    assert [p.where for p in result.get("2-2-h").passages] == ["第3条"]
    assert result.get("2-2-f").passages == []


# A city's rule on outsourcing, uploaded beside the contracts: its sentences are addressed
# to the city's staff and bind no contractor, whatever provision's words they use.
STAFF_RULE = """(趣旨)
第1条 この基準は、個人情報保護条例の規定に基づき、
実施機関が個人情報を取り扱う事務を委託する場合に講ずべき措置を定めるものとする。
(委託先の選定)
第2条 委託先の選定に当たっては、
次に掲げる観点から特記事項に掲げる内容を守ることのできる者を選ぶこと。
(1) 従業員に対する教育研修が行われていること
(2) 個人情報の保護体制について必要な調査を行うこと。
第3条 契約に当たっては、契約書に受託者が特記事項を守るべき旨を記載するものとする。
"""
ANNEXED_SPECIAL_CLAUSE = """別記 個人情報取扱特記事項
(再委託の禁止)
第1 乙は、甲の承諾を得ずに、この契約による事務を第三者に委託してはならない。
"""


def test_rule_the_city_gives_its_staff_is_not_a_contract_provision():
    result = check_text(STAFF_RULE)

    assert found(STAFF_RULE) == set()
    # the sentences are kept to show why the words found count for nothing
    assert "第3条" in [passage.where for passage in result.get("2-2-a").denied]


def test_special_clause_annexed_to_a_staff_rule_binds_the_contractor():
    assert found(STAFF_RULE + ANNEXED_SPECIAL_CLAUSE) == {"2-2-h"}


def test_sentence_whose_subject_is_the_city_staff_is_not_a_provision_even_in_a_contract():
    text = (
        "第5条 乙は、業務に従事する者に対し、個人情報の保護に関する研修を実施しなければならない。\n"
        "第6条 実施機関は、委託先の作業場所の監査を行うよう努めるものとする。\n"
    )

    assert found(text) == {"2-2-d"}


def test_what_the_contract_is_to_say_is_the_citys_instruction_not_the_provision():
    # a city's note on outsourcing without a title naming it a rule
    drafting = "(1)委託に係る契約に当たっては、契約書に受託者が特記事項を遵守する旨を記載する。"
    flow_down = "乙は、再委託先との契約書に情報セキュリティポリシーを遵守する旨を明記すること。"

    assert "2-2-a" not in found(drafting)
    # a party's duty to write the clause into its own subcontract is a contract term
    assert "2-2-a" in found(flow_down)


def test_laws_obeyed_listed_under_the_duty_include_the_ordinance():
    text = (
        "Ⅲ 法令等の遵守\n業務を遂行するにあたっては、関係法令等を充分理解し、遵守すること。\n"
        "1.地方自治法\n2.労働基準法\n3.八王子市個人情報保護条例\n4.その他\n"
    )

    assert "2-2-a" in found(text)


# Specifications and guidelines written to contractors in the polite form.
POLITE = [
    ("2-2-a", "受託者は、市の情報セキュリティポリシーを遵守しなければなりません。"),
    ("2-2-a", "受託者は、市の情報セキュリティポリシーを遵守してください。"),
    ("2-2-e", "受託者は、個人情報を本業務以外の目的に使用しないでください。"),
    ("2-2-g", "受託者は、業務上知り得た情報を第三者に漏らしてはいけません。"),
    ("2-2-h", "受託者は、本業務の全部又は一部を第三者に再委託してはなりません。"),
    ("2-2-h", "受託者は、業務の全部又は一部を再委託することはできません。"),
]


@pytest.mark.parametrize(("provision", "sentence"), POLITE)
def test_provision_in_the_polite_form_is_found(provision, sentence):
    assert provision in found(sentence)


# Audits and publication are the city's (2-2-k, 2-2-l): the contractor inspecting its own
# facility or publishing its activities is another duty.
BY_THE_CONTRACTOR = [
    ("2-2-k", "受託者は、施設の点検を実施すること。"),
    ("2-2-k", "受託者は、建築物の状況について調査を行い、報告書を提出すること。"),
    ("2-2-l", "受託者は、事業の概要を公表すること。"),
]
BY_THE_CITY = [
    ("2-2-k", "乙は、作業場所への立入検査に応じなければならない。"),
    ("2-2-k", "甲は、業務の適正な履行を確保するため、随時に監督及び検査をすることができる。"),
    ("2-2-k", "中野区は、受託者の作業場所の管理状況について、実地に検査することができる。"),
    ("2-2-k", "受託者は、委託者が実施する個人情報の取扱状況の検査に協力しなければならない。"),
    ("2-2-l", "乙が本特記事項に違反したときは、乙の名称及び違反の事実が公表されることがある。"),
]


@pytest.mark.parametrize(("provision", "sentence"), BY_THE_CONTRACTOR)
def test_audit_or_publication_by_the_contractor_is_not_the_citys(provision, sentence):
    assert provision not in found(sentence)


@pytest.mark.parametrize(("provision", "sentence"), BY_THE_CITY)
def test_audit_or_publication_by_the_city_is_found(provision, sentence):
    assert provision in found(sentence)


def test_information_given_outside_and_the_place_of_handling_are_found():
    assert "2-2-e" in found("乙は、個人情報を外部に提供してはならない。")
    assert "2-2-b" in found(
        "乙は、個人情報を取り扱う場所を定め、あらかじめ甲に届け出なければならない。"
    )


# Causes of the misses on real texts, each by a sentence that failed before its fix.
# A list whose items carry the provision while the announcing sentence carries the duty:
# the items are read with it, whatever words announce the list and however they are numbered.
LISTED = [
    (
        {"2-2-e", "2-2-f"},
        "第5条 乙は、業務の履行に当たっては、次のとおり個人情報を取り扱わなければならない。\n"
        "① 個人情報を他に提供しないこと。\n② 個人情報を複写しないこと。\n",
    ),
    (
        {"2-2-j"},
        "第5条 乙は、次に定める事項を遵守しなければならない。\n"
        "(ア) 秘密の保持\n(イ) 事故発生時の報告\n",
    ),
]


@pytest.mark.parametrize(("provisions", "text"), LISTED)
def test_items_without_a_verb_are_read_with_the_sentence_announcing_them(provisions, text):
    assert provisions <= found(text)


def test_circled_item_numbers_stay_items():
    text = "第5条 乙は、次に掲げる行為をしてはならない。\n①個人情報を第三者に提供すること。\n"

    assert "2-2-e" in found(text)


# Wording the rules did not know, in the forms municipal contracts use.
WORDING = [
    ("2-2-a", "乙は、個人情報の保護に関する法令を遵守しなければならない。"),
    ("2-2-d", "乙は、従事させる者に対し、個人情報の保護に関する研修を実施しなければならない。"),
    ("2-2-d", "受注者は、作業員に対し情報セキュリティに関する教育を行うこと。"),
    ("2-2-e", "乙は、業務上知り得た個人情報を本業務以外に使用してはならない。"),
    ("2-2-e", "乙は、甲から提供を受けた資料を他に提供してはならない。"),
    ("2-2-e", "乙は、個人情報を他人に提供してはならない。"),
    ("2-2-j", "乙は、業務の実施状況を月ごとに甲に報告しなければならない。"),
    ("2-2-j", "乙は、業務日報を作成し、毎日甲に提出しなければならない。"),
    ("2-2-j", "乙は、個人情報の漏えいが生じたときの報告体制を整備し、これに従い報告すること。"),
    # the city's right: an inspection whenever it finds one needed is an audit
    ("2-2-k", "甲は、必要があると認めるときは、検査を行うことができる。"),
    ("2-2-k", "甲は、必要に応じ、乙に対し検査を実施することができる。"),
]


@pytest.mark.parametrize(("provision", "sentence"), WORDING)
def test_provision_in_other_wording_is_found(provision, sentence):
    assert provision in found(sentence)


NOT_THE_PROVISION = [
    # a bill handed in every month is no report on the work
    ("2-2-j", "乙は、毎月、前月分の委託料の請求書を甲に提出するものとする。"),
    # the acceptance inspection of the deliverable, when the work is done
    ("2-2-k", "甲は、乙から業務完了の報告を受けたときは、10日以内に検査を行わなければならない。"),
    # using the work's results for another purpose is not giving information to others
    ("2-2-e", "乙は、本業務以外の業務を行うことができる。"),
]


@pytest.mark.parametrize(("provision", "sentence"), NOT_THE_PROVISION)
def test_near_wording_that_is_not_the_provision_is_not_found(provision, sentence):
    assert provision not in found(sentence)


def test_cover_table_place_of_the_work_without_particle_is_found():
    # learnt from held-out set 10 (箕面市's cover table), after its first run
    text = "業務委託契約書\n2 | 委託業務場所 | 箕面市西小路地内及び受託者社屋内 |\n"

    assert "2-2-b" in found(text)
    assert "2-2-b" not in found("業務委託契約書\n2 | 委託業務場所 | 受託者の任意とする |\n")


# A paragraph that takes its case from the one before (前項の場合において): the provision's
# words are in both, what it imposes is in the paragraph itself.
INCIDENT = (
    "第10条 乙は、個人情報の漏えい等の事故が発生したときは、被害の拡大を防止するため"
    "必要な措置を講じなければならない。\n"
)


def test_paragraph_referring_to_the_case_before_completes_the_provision():
    text = INCIDENT + "2 前項の場合において、乙は、直ちにその状況を甲に報告しなければならない。\n"

    result = check_text(text)

    assert "2-2-j" not in result.missing()
    assert result.get("2-2-j").passages[0].where == "第10条第2項"


def test_paragraph_referring_back_is_read_for_its_own_denial_and_its_own_article():
    waived = INCIDENT + "2 前項の場合において、乙は、甲に報告することを要しない。\n"
    other_article = INCIDENT + "第11条 乙は、直ちにその状況を甲に報告しなければならない。\n"

    assert "2-2-j" not in found(waived)
    assert "2-2-j" not in found(other_article)


def test_a_prohibition_over_items_numbered_with_katakana_in_brackets():
    text = "第5条 乙は、次に掲げる行為をしてはならない。\n(ア) 個人情報を第三者に提供すること。\n"

    assert "2-2-e" in found(text)


def test_a_sentence_without_a_condition_lends_no_case_to_the_next():
    # 「この場合において」 after a sentence that states no case borrows nothing from it
    text = (
        "第2条 乙は、仕様書に定めのない細部の事項について、甲の指示を受けるものとする。"
        "この場合において、甲は、乙又は第16条に規定する取扱責任者に対して指示するものとする。\n"
    )

    assert "2-2-b" not in found(text)


# Causes of the misses on held-out set 11's first run (docs/contract-check.md), each by a
# sentence written for the test in other words than the set's texts.
SET_11_CAUSES = [
    # conformity in other verbs, and the policy as the basis of handling
    (
        "2-2-a",
        "受託者は、本市の情報セキュリティ対策基準に適合するよう端末を管理しなければならない。",
    ),
    (
        "2-2-a",
        "乙は、架空市情報セキュリティポリシーの定めるところにより、預かった台帳を適正に管理"
        "しなければならない。",
    ),
    # the place fixed by forbidding the work anywhere else; a facility and its address
    ("2-2-b", "乙は、甲が指定した場所以外で本件事務を処理してはならない。"),
    (
        "2-2-b",
        "第2条 指定管理者が管理を行う施設は、次のとおりとする。\n(1) 名称 架空市民会館\n"
        "(2) 所在地 架空市本町1丁目2番3号\n",
    ),
    # the plain form of a duty
    ("2-2-b", "乙は、現場責任者を置き、その氏名を甲に届け出る。"),
    # a list announced by 次の with any noun
    ("2-2-c", "1 受託者は、次の水準を確保して業務を行うこと。\n(1) システムの稼働率 99.9%以上\n"),
    (
        "2-2-d",
        "乙は、業務に従事している者全員に対し、情報セキュリティ研修を実施しなければならない。",
    ),
    # a specification's negative duty with any verb
    ("2-2-e", "受注者は、業務で得た情報を本業務以外に用いないこと。"),
    # the act named in a coordinated predicate, not the last one
    ("2-2-e", "乙は、預かった資料を第三者に提供し、貸与し、又は閲覧させてはならない。"),
    ("2-2-f", "受注者は、申込書の写しを作成してはならない。"),
    # the act as the object of a light verb
    ("2-2-f", "乙は、台帳を複写する行為を行ってはならない。"),
    # having another do the work; a negated permission; a subcontractor the city refuses
    ("2-2-h", "受託者は、本業務を自ら処理し、その一部でも他人に処理させてはならない。"),
    ("2-2-h", "再委託は、一切認めない。"),
    ("2-2-h", "乙は、甲が不適当と認めた委託先に本業務を委託してはならない。"),
    # what was given, handed over at the end
    (
        "2-2-i",
        "乙は、契約が終了したときは、甲から提供を受けた資料を甲に引き渡さなければならない。",
    ),
    # a specification's numbered heading stays apart from the sentence below it
    (
        "2-2-k",
        "9 検査\n発注者は、必要に応じ、受注者の事務所に立ち入り、帳簿を検査することができる。\n",
    ),
    ("2-2-k", "乙は、甲の立入検査の求めに応じなければならない。"),
]


@pytest.mark.parametrize(("provision", "text"), SET_11_CAUSES)
def test_provision_in_the_wording_missed_on_set_11_is_found(provision, text):
    assert provision in found(text)


SET_11_NOT_THE_PROVISION = [
    # the city's staff trained by the contractor are not its workers
    ("2-2-d", "受注者は、市の職員に対し、新システムの研修を行うこと。"),
    ("2-2-d", "乙は、甲の職員に対して操作研修を実施する。"),
    # left to the contractor's judgement
    ("2-2-d", "従事者の研修は、乙の判断に委ねる。"),
    # the contract's own data published, not an incident
    ("2-2-l", "発注者は、契約締結後、受注者の名称及び契約金額を公表する。"),
    # another's audit results handed over on request
    ("2-2-k", "受注者は、外部監査の結果を、発注者の求めに応じて提出すること。"),
    # a denial, then a second duty after ものとし、
    ("2-2-k", "甲は、乙の作業場所の監査は実施しないものとし、乙の報告により確認する。"),
    # the deliverable made, handed over: not information returned
    ("2-2-i", "乙は、業務完了後、作成した報告書を甲に引き渡すこと。"),
    # a heading is not the clause, and the clause allows subcontracting
    ("2-2-h", "3 再委託の禁止\n受注者は、業務の一部を再委託することができる。\n"),
    # the plain form is a duty of a party only: a rule organising an office binds no one
    ("2-2-b", "2 個人情報管理責任者を補佐するため、総務課に事務取扱者を置く。"),
]


@pytest.mark.parametrize(("provision", "text"), SET_11_NOT_THE_PROVISION)
def test_wording_near_a_provision_on_set_11_is_not_found(provision, text):
    assert provision not in found(text)


# Causes of the misses on held-out set 12's first run (docs/contract-check.md), each by a
# sentence written for the test in other words than the set's texts.
SET_12_CAUSES = [
    # the city's rules on personal information, and its common terms for computer work
    ("2-2-a", "受注者は、本市の個人情報の取扱いに関する規程に従い、名簿を保管しなければならない。"),
    ("2-2-a", "乙は、架空市の電算処理の委託に関する共通仕様書を遵守すること。"),
    # the workers made known without a roster; a lead appointed in the plain form
    ("2-2-b", "乙は、台帳を取り扱う従事者をあらかじめ明確にし、甲に通知するものとする。"),
    ("2-2-b", "受注者は、業務の現場に統括責任者を配置する。"),
    # a cover sheet's place written with の, and a place that is a shop
    ("2-2-b", "3 業務履行の場所\n架空市中央区北町2番地\n架空市役所別館1階作業室\n"),
    ("2-2-b", "1 履行場所\n受託者の各営業店舗\n2 履行期間\n契約日から1年間\n"),
    # a use allowed only for the work and within the city's scope
    (
        "2-2-e",
        "乙は、本件業務を行うためにのみ、甲が指定する範囲内で住民データを使用することができる。",
    ),
    # the act among the nouns listed as one object of する
    ("2-2-f", "受託者は、台帳の複写又は持出しをしてはならない。"),
    ("2-2-f", "受注者は、発注者の許可なく、データの複製、改変又は送信を行ってはならない。"),
    # the work done by the contractor itself
    ("2-2-h", "乙は、本件の業務を自ら遂行しなければならない。"),
    # documents demanded of the contractor to check its work
    (
        "2-2-k",
        "委託者から作業の状況を確認するため関係書類の提出を求められたときは、受託者は速やかに"
        "応じること。",
    ),
]


@pytest.mark.parametrize(("provision", "text"), SET_12_CAUSES)
def test_provision_in_the_wording_missed_on_set_12_is_found(provision, text):
    assert provision in found(text)


SET_12_NOT_THE_PROVISION = [
    # a works contract's common specification is not a rule on information
    ("2-2-a", "受注者は、土木工事共通仕様書を遵守して施工すること。"),
    # complaints handled by the contractor itself, not the work kept from others
    ("2-2-h", "受注者は、利用者からの苦情を自ら処理し、その結果を報告すること。"),
    # the contractor checking its subcontractor, not the city checking the contractor
    ("2-2-k", "受注者は、再委託先の作業内容を確認するため、再委託先に書類の提出を求めること。"),
    # a facility used within the city's scope is not information
    ("2-2-e", "指定管理者は、甲の指定する範囲内で施設を使用することができる。"),
    # where the forms are delivered is not where the work is done
    ("2-2-b", "4 納入場所\n架空市役所 税務課\n"),
    # a cause made clear and the workers reported with it: no one is named
    (
        "2-2-b",
        "乙は、事故が発生したときは、その原因を明確にし、従事者を含め甲に報告しなければならない。",
    ),
]


@pytest.mark.parametrize(("provision", "text"), SET_12_NOT_THE_PROVISION)
def test_wording_near_a_provision_on_set_12_is_not_found(provision, text):
    assert provision not in found(text)
