"""Demo contract for the fictional contractor of `itaku/people/demo.py`.

The contract text is fictional and lacks the provision on publishing incidents (2-2-l), so the
contract check has something to show. The roster leaves one worker out, one rostered worker is
untrained, and one periodic report is overdue: the dashboard and the entry desk show each.
"""

from datetime import date, timedelta
from io import BytesIO

from django.utils import timezone
from reportlab.pdfgen import canvas

from itaku.contractors import actions
from itaku.contractors.models import Contract, DocumentKind, Inspection, SelectionMethod
from itaku.core.demo_data import DemoLogin
from itaku.core.pdf import japanese_fonts
from itaku.people.demo import CONTRACTOR
from itaku.people.models import Organization, Person

TITLE = "旅券発給窓口業務委託（見本）"

CONTRACT_TEXT = """業務委託契約書（旅券発給窓口業務）

見本市（以下「甲」という。）と株式会社サンプル窓口サービス（以下「乙」という。）は、旅券発給窓口業務の委託について、次のとおり契約を締結する。この契約書は説明用の架空の見本である。

第1条（委託業務）
甲は、旅券の申請受付及び交付に係る窓口業務（以下「本業務」という。）を乙に委託し、乙はこれを受託する。

第2条（契約期間）
契約期間は、別に定める日から1年間とする。

第3条（委託料）
委託料は、別紙内訳書のとおりとし、甲は乙の請求に基づき毎月支払う。

別記　個人情報取扱特記事項

第4条（関係法令等の遵守）
乙は、本業務の実施に当たり、個人情報の保護に関する法律、甲の情報セキュリティポリシー及び旅券発給業務委託に関する情報セキュリティポリシー実施手順を遵守しなければならない。

第5条（責任者等の特定）
甲は、本業務に係る甲の責任者として市民生活総務課長を置き、乙に通知する。
2　乙は、業務責任者及び業務従事者の氏名を記載した名簿並びに作業場所を、
業務開始前に書面により甲に提出しなければならない。

第6条（サービスレベル）
乙は、仕様書に定めるサービスレベル（窓口の待ち時間、受付処理の正確性等）を維持し、これを保証しなければならない。

第7条（教育及び研修）
乙は、業務従事者に対し、個人情報の保護及び情報セキュリティに関する研修を年1回以上実施しなければならない。

第8条（目的外利用及び提供の禁止）
乙は、本業務により知り得た情報を本業務の目的以外に利用してはならない。
2　乙は、甲の承諾なく、本業務に係る情報を第三者に提供してはならない。

第9条（複写及び複製の禁止）
乙は、甲の承諾がある場合を除き、甲から提供された資料を複写し、又は複製してはならない。

第10条（秘密の保持）
乙は、本業務に関して知り得た秘密を他人に漏らしてはならない。この契約が終わった後も同様とする。

第11条（再委託の禁止）
乙は、本業務の全部又は一部を第三者に委託してはならない。ただし、あらかじめ書面により甲の承認を得た場合は、この限りでない。

第12条（資料等の返還等）
乙は、本業務が終了したときは、甲から提供を受けた資料を速やかに甲に返還し、又は甲の指示により廃棄しなければならない。

第13条（報告）
乙は、毎月の業務の実施状況を翌月10日までに甲に報告しなければならない。
2　乙は、個人情報の漏えい等の事故が発生したときは、直ちに甲に報告し、
その指示に従わなければならない。

第14条（検査）
甲は、必要があると認めるときは、乙の作業場所に立ち入り、個人情報の取扱状況を検査することができる。乙はこれに協力しなければならない。

第15条（損害賠償）
乙は、この特記事項に違反したことにより甲又は第三者に損害を与えたときは、その損害を賠償しなければならない。
2　甲は、乙がこの特記事項に違反したときは、契約を解除することができる。
"""


def _person(badge: str) -> Person:
    return Person.objects.get(badge_number=badge)


def _term(today: date) -> tuple[date, date]:
    """A one-year term that began on the first of the month six months ago, so that reports
    have fallen due whenever the demo is loaded."""
    months = today.year * 12 + today.month - 1 - 6
    starts_on = date(months // 12, months % 12 + 1, 1)
    return starts_on, date(starts_on.year + 1, starts_on.month, 1) - timedelta(days=1)


def _pledge_scan() -> bytes:
    """A one-page PDF standing in for the scan of the signed and sealed pledge."""
    _, mincho = japanese_fonts()
    buffer = BytesIO()
    page = canvas.Canvas(buffer, initialFontName=mincho)
    page.setFont(mincho, 16)
    page.drawString(200, 760, "誓約書（見本）")
    page.setFont(mincho, 11)
    page.drawString(60, 700, "業務上知り得た情報を他に漏らさないことを誓約します。")
    page.drawString(300, 640, "株式会社サンプル窓口サービス　印")
    page.save()
    return buffer.getvalue()


def load() -> list[DemoLogin]:
    if Contract.objects.filter(title=TITLE).exists():
        return []
    manager, lead = _person("C-0001"), _person("K-0101")
    workers = [_person(badge) for badge in ("K-0102", "K-0103", "K-0104")]
    today = timezone.localdate()
    starts_on, ends_on = _term(today)
    contract = actions.register_contract(
        by=manager,
        contractor=Organization.objects.get(name=CONTRACTOR),
        title=TITLE,
        starts_on=starts_on,
        ends_on=ends_on,
        selection_method=SelectionMethod.PROPOSAL,
        selection_grounds=(
            "窓口の個人情報の取扱いと接遇の質を比べて選ぶため、公募型プロポーザル方式とした。"
        ),
        city_responsible=manager,
        work_place="見本市役所 本庁舎2階 市民生活総務課 執務室内（旅券窓口 委託作業管理区域）",
        per_person_pledges=False,
        report_interval_months=1,
    )
    actions.add_service_level(contract, item="窓口の平均待ち時間", target="20分以内", by=manager)
    actions.add_service_level(contract, item="受付内容の誤り", target="月0件", by=manager)
    actions.upload_document(
        contract,
        kind=DocumentKind.CONTRACT,
        filename="業務委託契約書_見本.txt",
        data=CONTRACT_TEXT.encode("utf-8"),
        replaces=None,
        by=manager,
    )
    roster = actions.submit_roster(contract, lead=lead, workers=workers, note="", by=lead)
    actions.receive_roster(roster, received_on=today, by=manager)
    pledge = actions.submit_pledge(
        contract,
        person=None,
        signed_on=min(starts_on, today),
        filename="誓約書_見本.pdf",
        data=_pledge_scan(),
        by=lead,
    )
    actions.confirm_pledge(pledge, by=manager)
    # The last worker on the roster missed the training: flagged and kept out of the area (5-6).
    actions.record_training(
        contract,
        held_on=min(starts_on + timedelta(days=9), today),
        content="情報セキュリティポリシーと実施手順、個人情報の取扱い、持込禁止物品",
        material="研修資料「窓口業務の情報セキュリティ」第3版",
        trainer="架空 健（業務責任者）",
        attendees=[lead, *workers[:2]],
        by=lead,
    )
    _reports(contract, lead=lead, manager=manager, today=today)
    _inspection(contract, manager=manager, lead=lead, starts_on=starts_on, today=today)
    return []


def _reports(contract: Contract, *, lead: Person, manager: Person, today: date) -> None:
    """Every ended period reported and reviewed except the latest due one, left overdue."""
    due = contract.overdue_report_periods(today)
    for start, _end in due[:-1]:
        report = actions.submit_report(
            contract,
            period_start=start,
            no_copying=True,
            no_third_party=True,
            policy_obeyed=True,
            text="窓口業務を仕様書どおり実施した。苦情・事故なし。",
            by=lead,
        )
        actions.review_report(report, comment="確認した。", by=manager)


def _inspection(
    contract: Contract, *, manager: Person, lead: Person, starts_on: date, today: date
) -> None:
    inspection = actions.record_inspection(
        contract,
        trigger=Inspection.Trigger.ROUTINE,
        held_on=min(starts_on + timedelta(days=60), today),
        findings="書類保管庫の施錠は適切。受付台の上に申請書の控えが一時放置されていた。",
        by=manager,
    )
    actions.add_corrective_action(
        inspection,
        description="受付台に書類を置いたまま離席しないことを全員に再周知する。",
        owner=lead,
        due_on=today + timedelta(days=14),
        by=manager,
    )
