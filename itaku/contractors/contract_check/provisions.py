"""The 13 provisions of 2-2 (a … m) as data: which concepts must meet in one sentence.

Each provision has one or more rules; a rule is a list of concept groups, and a sentence
satisfies the rule when every group has at least one of its terms in that sentence. So a
decision is always explained by the sentence it quotes and the terms it names (one per
group). Terms are compared with the normalised sentence and, through SudachiPy's normalised
forms, with its lemmas too: 取扱い/取り扱い, 漏えい/漏洩, 立入/立ち入り, conjugated verbs.

Keep rules readable: a new way of saying a provision found in a real contract is one more
term or one more rule here, with no code change.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Rule = tuple[tuple[str, ...], ...]

# Obligation words: a provision is a duty or a prohibition, not a mention.
FORBIDDEN = (
    "てはならない",
    "てはならず",
    # the polite forms of a specification or a guideline written to contractors
    "てはなりません",
    "てはいけない",
    "てはいけません",
    "ではならない",
    "ではなりません",
    "禁止",
    "禁ずる",
    "禁じる",
    "しないこと",
    # 「本業務以外の用途に用いないこと」「複製に当たる行為を行わないこと」: a specification's
    # negative duty with any verb (the clause analysis reads which act is negated)
    "ないこと",
    "ないものとする",
    # the plain negation of the act: 第三者に使用させない。その内容を漏洩しない。 Whether
    # such a sentence restricts or denies is decided clause by clause (negation.py).
    "させない",
    "使用しない",
    "利用しない",
    "提供しない",
    "開示しない",
    "漏洩しない",
    "漏えいしない",
    "漏らさない",
    "複写しない",
    "複製しない",
    "委託しない",
)
# The plain form is a contract's duty when a party is the subject (matching.py), with the
# verbs duties end in: 乙は、運用責任者を定め、甲に通知する。 乙は、現場責任者を置き、その氏名
# を甲に届け出る。 A rule's 「事務局に取扱者を置く。」 states how an office is organised.
PLAIN_DUTY = (
    "する。",
    "行う。",
    "届け出る。",
    "定める。",
    "置く。",
    "講ずる。",
    "講じる。",
    "従う。",
    "守る。",
    "負う。",
    "応じる。",
)
DUTY = (
    FORBIDDEN
    + (
        "なければならない",
        "なければなりません",
        "ものとする",
        "ものとします",
        "こと。",
        "すること",
        "ください",
        "努める",
        "義務",
    )
    + PLAIN_DUTY
)


# The city's own staff: 甲の職員, 発注者の職員, 市職員, 本市の教職員.
CITY_STAFF = r"(?:甲|発注者|委託者|本市|当市|市|区|町|村|県|都|府)の?(?:教)?職員"


@dataclass(frozen=True)
class Provision:
    id: str
    title: Promise
    rules: tuple[Rule, ...]
    # The city must be the one acting (市による監査, 市による公表): 「受託者は、施設の点検
    # を実施すること」 and 「受託者は、事業の概要を公表すること」 are other duties.
    by_city: bool = False
    # Words the rules do not see for this provision: the city's own staff (甲の職員, 市職員)
    # trained by the contractor are not the contractor's workers (2-2-d).
    ignore: str = ""


PROVISION_RULES = (
    Provision(
        "2-2-a",
        _("Obeying the information security policy and this procedure"),
        (
            (
                (
                    "セキュリティポリシー",
                    "セキュリティ基本方針",
                    "セキュリティ対策基準",
                    "セキュリティ実施手順",
                    "実施手順",
                    "情報安全対策",
                    "セキュリティに関する規程",
                    "セキュリティ規程",
                    "個人情報保護条例",
                    "個人情報の保護に関する条例",
                    "個人情報保護に関する法令",
                    "個人情報の保護に関する法令",
                    "個人情報の保護に関する法律",
                    "個人情報保護法",
                    # 特定個人情報の取扱いに関する規程等を遵守: the city's own rules on it
                    "個人情報の取扱いに関する規",
                    "個人情報の取り扱いに関する規",
                    "個人情報の保護に関する規",
                    "個人情報保護規程",
                    "個人情報取扱規程",
                    "特記事項",
                    "特記仕様書",
                    "特約条項",
                ),
                # 基準に適合するよう運用する, ポリシーに則り
                ("遵守", "順守", "従う", "従い", "守る", "準拠", "適合", "則り", "のっとり"),
            ),
            # 情報セキュリティ実施手順に基づき…取り扱わなければならない
            (
                (
                    "実施手順に基づ",
                    "ポリシーに基づ",
                    "基本方針に基づ",
                    "対策基準に基づ",
                    "特記事項に基づ",
                    "特記仕様書に基づ",
                ),
                ("なければならない", "ものとする", "こと。", "すること"),
            ),
            # 個人情報保護条例の規定に基づき、個人情報の保護を徹底すること: the rules for
            # protecting information bind the way the contractor handles it
            (
                (
                    "個人情報保護条例",
                    "個人情報の保護に関する条例",
                    "個人情報の保護に関する法律",
                    "個人情報保護法",
                    "セキュリティポリシー",
                    "セキュリティ対策基準",
                ),
                (
                    "に基づき",
                    "に基づいて",
                    "に従い",
                    "に従って",
                    "の規定により",
                    # …ポリシーの定めるところにより、個人情報を適正に取り扱わなければならない
                    "定めるところにより",
                    "定めるところに従",
                    "に則り",
                    "にのっとり",
                ),
                (
                    "保護を徹底",
                    "適正に取り扱",
                    "適正な取扱",
                    "適切に取り扱",
                    "適切な取扱",
                    "適正に管理",
                    "適切に管理",
                ),
                ("なければならない", "ものとする", "こと。", "すること"),
            ),
            # the city's common terms for computer processing or information handling:
            # 電算処理の委託に係る共通仕様書を遵守すること (not a works contract's 共通仕様書)
            (
                ("共通仕様書", "一般仕様書", "標準仕様書", "共通事項", "標準契約条項"),
                (
                    "電子計算機",
                    "電算",
                    "情報処理",
                    "個人情報",
                    "情報セキュリティ",
                    "情報の取扱",
                    "情報取扱",
                    "情報の取り扱",
                ),
                ("遵守", "順守", "従う", "従い", "守る", "準拠"),
            ),
        ),
    ),
    Provision(
        "2-2-b",
        _("Naming the city's responsible person, the work, the lead, the workers and the place"),
        (
            (
                (
                    "責任者",
                    "監督者",
                    "名簿",
                    "従事者の氏名",
                    "作業担当者",
                    "業務担当者",
                    "作業場所",
                    "作業を行う場所",
                    "作業の場所",
                    "業務を行う場所",
                    "取扱場所",
                    "取り扱う場所",
                    "実施場所",
                ),
                (
                    "報告",
                    "提出",
                    "届け出",
                    "届出",
                    "通知",
                    "明示",
                    "特定",
                    "指定",
                    "置く",
                    # 乙は、管理責任者を設置する。
                    "設置",
                    "配置",
                    "選任",
                    "定め",
                ),
                DUTY,
            ),
            # the workers made known: 個人情報を取り扱う従業者を明確にし、甲に報告する
            (
                tuple(
                    f"{who}を{how}"
                    for who in ("従業者", "従事者", "従事する者", "作業員", "作業者", "取扱者")
                    for how in ("明確", "あらかじめ明確", "特定", "あらかじめ特定", "指名")
                ),
                ("報告", "提出", "届け出", "届出", "通知"),
                DUTY,
            ),
            (
                ("作業場所", "履行場所", "執務場所", "業務場所", "作業を行う場所", "実施場所"),
                ("指定", "とする", "定める", "限る", "特定"),
            ),
            # the place the city names or approves: 発注者が指定する場所以外の場所で行っては
            # ならない (a prohibition that fixes the place, negation.py)
            (
                (
                    "指定する場所",
                    "指定した場所",
                    "指定の場所",
                    "承認を得た場所",
                    "承認した場所",
                    "承諾を得た場所",
                    "許可を得た場所",
                    "定める場所",
                ),
                ("行う", "処理", "作業", "取り扱", "取扱"),
                DUTY,
            ),
            # a designated manager's facility and its address: 乙が管理を行う施設は、次のと
            # おりとする。(1) 名称 … (2) 所在地 ○○市○○町1-2
            (
                ("管理を行う施設", "管理する施設", "業務を行う施設", "管理施設", "対象施設"),
                ("所在地", "所在", "位置", "施設の場所"),
                ("都", "道", "府", "県", "市", "区", "町", "村", "番地", "丁目"),
            ),
            # the cover table of a contract: 履行場所 | ○○公園(○○市○○町1-2) |
            (
                (
                    "履行場所",
                    "履行の場所",
                    "委託業務の場所",
                    "委託業務場所",
                    "業務の実施場所",
                    "業務実施場所",
                ),
                (
                    ("都", "道", "府", "県", "市", "区", "町", "村", "番地", "丁目", "庁舎")
                    # a place that is a building or a shop: 受託者事務所, 各店舗
                    + ("施設", "事務所", "事業所", "営業所", "社屋", "作業室", "店舗", "ストア")
                ),
            ),
        ),
    ),
    Provision(
        "2-2-c",
        _("Guaranteeing the service level"),
        (
            (
                ("サービスレベル", "SLA", "サービス水準", "サービス品質", "稼働率", "品質基準"),
                ("保証", "合意", "維持", "達成", "遵守", "確保", "定める", "満たす"),
            ),
        ),
    ),
    Provision(
        "2-2-d",
        _("Educating and training the workers"),
        (
            (
                ("教育", "研修", "訓練"),
                (
                    "従事者",
                    "従業者",
                    "従業員",
                    "作業者",
                    "従事する者",
                    # 従事させる者, 業務に従事させる, 従事している者
                    "従事させ",
                    "従事して",
                    "作業員",
                    "職員",
                    "社員",
                    "要員",
                    "人員",
                    "スタッフ",
                ),
                ("行う", "実施", "受けさせ", "受講", "施す", "講ずる") + DUTY,
            ),
        ),
        ignore=CITY_STAFF,
    ),
    Provision(
        "2-2-e",
        _("No use beyond the purpose, no provision to anyone but the contractor"),
        (
            (
                (
                    "目的以外",
                    "目的外",
                    "以外の目的",
                    "他の用途",
                    "他の目的",
                    "目的の範囲を超え",
                    # 本業務以外に使用し: the work is the purpose
                    "業務以外",
                ),
                ("利用", "使用", "用い"),
                FORBIDDEN + ("承諾", "指示"),
            ),
            (
                (
                    "第三者",
                    "受託者以外",
                    "乙以外",
                    "受注者以外",
                    "他の者",
                    "他人",
                    "外部に",
                    "外部へ",
                    # 他に提供してはならない
                    "他に",
                ),
                # not 譲渡: 権利又は義務を第三者に譲渡してはならない is about the contract
                ("提供", "開示", "貸与", "引き渡"),
                FORBIDDEN,
            ),
            # その利用及び提供は…の範囲に限るものとする
            (("利用", "使用"), ("提供",), ("範囲に限", "範囲内に限", "に限るものとする")),
            # use allowed only for the work and within the city's scope: 乙は、業務を実施する
            # 場合にのみ、甲の指定する範囲内で個人情報を利用することができる
            (
                ("個人情報", "情報", "資料", "データ"),
                ("利用", "使用"),
                (
                    "場合にのみ",
                    "ためにのみ",
                    "目的の範囲内",
                    "指定する範囲内",
                    "指示する範囲内",
                    "定める範囲内",
                    "範囲内でのみ",
                    "範囲内に限り",
                ),
            ),
        ),
    ),
    Provision(
        "2-2-f",
        _("Rules on copying and reproduction"),
        (
            (
                # not a bare コピー: コピー機, コピーサービス are equipment and services
                (
                    "複写",
                    "複製",
                    "コピーし",
                    "コピーを",
                    "コピーする",
                    "コピーの",
                    # 申請書の写しを取り / 写しを作成し: a copy by hand or machine
                    "写しを取",
                    "写しを作",
                    "写しをと",
                ),
                FORBIDDEN + ("承諾", "承認", "許可", "必要最小限", "範囲", "限る", "管理"),
            ),
        ),
    ),
    Provision(
        "2-2-g",
        _("Confidentiality of what is learned in the work"),
        (
            (
                ("知り得た", "知ることのできた", "知り得る", "秘密", "機密", "個人情報", "情報"),
                ("漏らし", "漏らす", "漏えい", "漏洩", "他人に知らせ", "開示", "口外"),
                FORBIDDEN,
            ),
            (
                ("守秘義務", "秘密保持義務", "秘密を保持", "秘密を守", "機密を保持", "秘密の保持"),
                DUTY + ("負う", "守る", "遵守"),
            ),
            # what was learned in the work may not be given to others: secrecy as well as
            # (through its other rules) a limit on providing information
            (
                ("知り得た", "知ることのできた", "知り得る"),
                ("第三者", "他人", "他の者", "外部"),
                ("提供", "伝え", "知らせ"),
                FORBIDDEN,
            ),
            # a prohibited leak needs no object to be secrecy: その内容を漏洩しない
            (
                (
                    "漏洩しない",
                    "漏えいしない",
                    "漏らさない",
                    "漏らしてはならない",
                    "漏洩してはならない",
                    "漏えいしてはならない",
                ),
            ),
        ),
    ),
    Provision(
        "2-2-h",
        _("Restrictions on subcontracting"),
        (
            (
                ("再委託", "再委任", "下請", "再請負"),
                FORBIDDEN
                + (
                    "承諾",
                    "承認",
                    "許可",
                    "同意",
                    "制限",
                    "できない",
                    "できません",
                    "届け出",
                    "限る",
                    # 本業務の再委託は認めない (negation.py: a negated permission forbids)
                    "認めない",
                    "認められない",
                    "認めません",
                ),
            ),
            (
                (
                    "第三者",
                    "他の者",
                    "他者",
                    "他人",
                    "他の事業者",
                    "他に委託",
                    "他に請け負わせ",
                    # 甲が異議を述べたときは、当該委託先に業務を委託してはならない
                    "委託先に",
                ),
                # 委託する / に委託 / への委託, not the noun in 委託業務
                ("委託する", "に委託", "への委託", "請け負わせ", "委任", "処理させ", "行わせ"),
                FORBIDDEN + ("承諾", "承認", "許可", "同意"),
            ),
            # the contractor must do the work itself: 業務を自ら処理するものとし、…
            (
                (
                    "業務を自ら",
                    "事務を自ら",
                    "作業を自ら",
                    "業務は自ら",
                    "業務は、自ら",
                    "事務は自ら",
                    "事務は、自ら",
                    "処理は自ら",
                    "処理は、自ら",
                ),
                ("処理", "履行", "遂行", "行わなければ", "行うもの", "実施しなければ"),
                ("なければならない", "ものとし", "こと", "する。"),
            ),
        ),
    ),
    Provision(
        "2-2-i",
        _("Return or disposal of information assets when the work ends"),
        (
            (
                (
                    "返還",
                    "返却",
                    "返納",
                    "廃棄",
                    "消去",
                    "削除",
                    "破棄",
                    "抹消",
                ),
                (
                    "終了",
                    "完了",
                    "満了",
                    "解除",
                    "不要",
                    "終わっ",
                    "用済",
                    "必要がなくなっ",
                    "必要でなくなっ",
                ),
                # what is returned: information and what carries it (not "a budget deleted")
                ("情報", "資料", "データ", "記録", "媒体", "貸与品", "書類", "資産", "物品"),
            ),
            # what the contractor was given or gathered, handed over at the end: 個人情報を
            # 含む記録を甲又は甲が指定する者に引き渡す (not the deliverable it made)
            (
                ("引き渡", "引渡"),
                ("終了", "完了", "満了", "解除", "取り消", "取消"),
                ("個人情報", "提供を受け", "貸与", "預託", "預か", "収集", "取得"),
            ),
        ),
    ),
    Provision(
        "2-2-j",
        _("Periodic reports and the duty to report emergencies"),
        (
            (
                (
                    "定期的",
                    "定期に",
                    "定期報告",
                    "毎月",
                    "月次",
                    "月例",
                    "四半期",
                    "毎週",
                    "月ごと",
                    "月毎",
                    "各月",
                    "毎日",
                    "日報",
                    "月報",
                    "週報",
                    "毎年度",
                    "年度ごと",
                ),
                ("報告",),
                DUTY,
            ),
            (
                (
                    "事故",
                    "漏えい",
                    "漏洩",
                    "滅失",
                    "緊急",
                    "不測の事態",
                    "異常",
                    "違反",
                    "インシデント",
                    "支障",
                ),
                ("直ちに", "ただちに", "速やかに", "遅滞なく", "至急"),
                ("報告", "連絡", "通報", "通知"),
            ),
            # a daily or monthly report handed in: 業務日報を作成し、毎日甲に提出すること
            (("日報", "月報", "週報"), ("提出", "報告"), DUTY),
            # an item without a verb under a duty: 次の事項を遵守すること。(6) 事故発生時の報告
            (
                ("事故", "漏えい", "漏洩", "滅失", "緊急", "インシデント"),
                ("発生時", "発生した", "発生の際", "生じた", "発生し", "生じ"),
                ("報告", "連絡", "通報"),
                DUTY,
            ),
        ),
    ),
    Provision(
        "2-2-k",
        _("Audits and inspections by the city"),
        (
            (
                ("監査", "検査", "調査", "立入", "立ち入り", "実地", "点検"),
                (
                    "状況",
                    "取扱",
                    "取り扱い",
                    "作業場所",
                    "事業所",
                    "事務所",
                    "施設",
                    "監査",
                    "管理体制",
                    "立入",
                    "立ち入り",
                ),
                # verbs, not nouns: a heading such as 監査の協力 is not the provision
                ("できる", "行う", "実施", "求める", "応じる", "協力する", "拒ん", "受ける"),
            ),
            # 甲は、業務の適正な履行を確保するため、随時に監督及び検査をすることができる:
            # an inspection at any time is the city's audit, not the acceptance of a
            # deliverable (検収), which comes when the work is done
            (
                ("監査", "検査", "調査", "立入", "立ち入り", "実地"),
                # or whenever the city finds it needed: 必要があると認めるときは、検査を行う
                ("随時", "必要があると認める", "必要と認める", "必要に応じ"),
                ("できる", "行う", "実施", "求める", "応じる", "協力する", "拒ん", "受ける"),
            ),
            # an inspection by documents: 安全管理の内容を確認するため、資料の提出を求められた
            # 場合は直ちに提出すること (addressee.py: requested of the contractor)
            (
                ("確認するため", "確認のため", "確認する", "検証するため", "検証のため"),
                ("資料", "書類", "記録", "帳簿"),
                ("提出を求め", "提示を求め", "閲覧を求め"),
            ),
        ),
        by_city=True,
    ),
    Provision(
        "2-2-l",
        _("Publication by the city of incidents"),
        (
            (
                ("公表", "報道機関", "公にする"),
                # an incident or a breach, not the contract's own data (契約の相手方の名称、
                # 契約金額…を公表する) nor the work's results
                (
                    "事故",
                    "漏えい",
                    "漏洩",
                    "違反",
                    "事案",
                    "紛失",
                    "滅失",
                    "不正",
                    "インシデント",
                    "責めに帰す",
                ),
            ),
        ),
        by_city=True,
    ),
    Provision(
        "2-2-m",
        _("What follows a breach of the policy (damages and the like)"),
        (
            (
                ("損害賠償", "損害を賠償", "賠償", "損害を負担"),
                ("違反", "反し", "漏えい", "漏洩", "事故", "故意", "過失", "責めに帰す", "怠"),
            ),
            (
                (
                    "契約を解除",
                    "契約の解除",
                    "解除する",
                    "解除できる",
                    "罰則",
                    "違約金",
                    "指名停止",
                ),
                ("違反", "反し", "漏えい", "漏洩", "事故", "守らな", "遵守しな", "履行しない"),
            ),
            # 事故があったときであっても、契約上の責任を免れることはできない
            (
                ("責任を負", "責めを負", "責任を免れ", "責めを免れ"),
                ("違反", "反し", "漏えい", "漏洩", "事故", "故意", "過失"),
            ),
        ),
    ),
)

PROVISIONS: list[str] = [provision.id for provision in PROVISION_RULES]
