"""Demo incidents: a contact chart in force, one closed incident and one still open.

All fictional. The closed one (a notice sent to the wrong address) went through every step of
chapter 6; the open one (an application form that cannot be found) has been escalated and waits
for the contractor's written report, so the dashboard and the to-do list show where it stands.
"""

from datetime import timedelta

from django.utils import timezone

from itaku.core.demo_data import DemoLogin
from itaku.incidents import actions
from itaku.incidents.models import ContactChart, Incident, InvestigationTask
from itaku.people.models import Person
from itaku.people.roles import Role

CLOSED_SUMMARY = "交付通知書（見本）1通の誤送付"
OPEN_SUMMARY = "旅券申請書（見本）1件の所在不明"


def _person(badge: str) -> Person:
    return Person.objects.get(badge_number=badge)


def load() -> list[DemoLogin]:
    if Incident.objects.filter(summary=CLOSED_SUMMARY).exists():
        return []
    manager, deputy, superior = _person("C-0001"), _person("C-0002"), _person("C-0003")
    staff, lead = _person("C-0004"), _person("K-0101")
    now = timezone.now()
    today = timezone.localdate(now)
    if not ContactChart.objects.exists():
        actions.issue_contact_chart(
            effective_from=today - timedelta(days=90),
            entries=[
                actions.EntryData(lead, Role.CONTRACTOR_LEAD, "090-0000-0101", "", True, True),
                actions.EntryData(manager, Role.MANAGER, "090-0000-0001", "", True, True),
                actions.EntryData(deputy, Role.DEPUTY, "090-0000-0002", "", True, True),
                actions.EntryData(superior, Role.SUPERIOR, "090-0000-0003", "", True, False),
            ],
            note="見本の連絡体制表です。夜間・休日は携帯電話へ。",
            by=manager,
        )

    known = now - timedelta(days=40)
    closed = actions.report_incident(
        kind=Incident.Kind.LEAK,
        summary=CLOSED_SUMMARY,
        known_at=known,
        place="旅券窓口",
        details="交付通知書を別の申請者の住所へ送付したとの連絡を受けた。",
        by=lead,
    )
    actions.receive_incident(closed, by=manager, at=known + timedelta(minutes=10))
    actions.tell_superior(
        closed,
        superior=superior,
        measures="誤送付先へ連絡し回収を依頼した。",
        at=known + timedelta(minutes=25),
        by=manager,
    )
    report = actions.submit_written_report(
        closed,
        by=lead,
        assets="交付通知書（紙）",
        records_count=1,
        persons_count=1,
        data_items="氏名、住所、申請番号",
        sensitive=False,
        financial_risk=False,
        improper_purpose=False,
        encrypted=False,
        place="旅券窓口（郵送事務）",
        circumstances="封入時に宛名ラベルを取り違えた。",
        cause="封入と宛名の照合を一人で行っていた。",
        secondary_damage="なし（未開封で回収）",
        city_instructions="回収と本人への謝罪、照合手順の見直しを指示した。",
        contractor_responses="回収済み。本人へ謝罪し、二人での照合に改めた。",
        prevention="封入時の二人照合",
    )
    actions.sign_off_written_report(report, note="内容を確認した。", by=manager)
    task = actions.add_task(
        closed,
        kind=InvestigationTask.Kind.RECOVERY,
        description="誤送付した通知書の回収",
        owner=staff,
        due_on=today - timedelta(days=35),
        by=manager,
    )
    actions.complete_task(
        task, done_on=today - timedelta(days=36), outcome="未開封で回収", by=staff
    )
    publication = actions.draft_publication(
        closed, text="", reasons="1名、未開封で回収済みのため公表しない。", by=staff
    )
    actions.decide_publication(
        publication, publish=False, published_on=None, note="公表しない。", by=manager
    )
    actions.close_incident(closed, note="再発防止策の実施を確認した。", by=manager)

    known = now - timedelta(days=2)
    still_open = actions.report_incident(
        kind=Incident.Kind.LOSS,
        summary=OPEN_SUMMARY,
        known_at=known,
        place="旅券窓口 書類保管庫",
        details="日次点検で申請書1件が見当たらない。",
        by=lead,
    )
    actions.receive_incident(still_open, by=manager, at=known + timedelta(minutes=15))
    actions.tell_superior(
        still_open,
        superior=superior,
        measures="保管庫と窓口周辺の捜索を指示した。",
        at=known + timedelta(minutes=40),
        by=manager,
    )
    actions.add_task(
        still_open,
        kind=InvestigationTask.Kind.CAUSE,
        description="保管庫の出し入れ記録の確認",
        owner=staff,
        due_on=today + timedelta(days=3),
        by=manager,
    )
    return []
