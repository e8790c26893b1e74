"""Incidents at each step of chapter 6, made through the actions as the screens make them."""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from itaku.incidents import actions
from itaku.incidents.models import Incident, InvestigationTask, WrittenReport
from itaku.people.models import Person
from itaku.people.roles import Role

FACTS: dict[str, Any] = {
    "assets": "旅券申請書（紙）",
    "records_count": 3,
    "persons_count": 3,
    "data_items": "氏名、住所、生年月日",
    "sensitive": False,
    "financial_risk": False,
    "improper_purpose": False,
    "encrypted": False,
    "place": "旅券窓口",
    "circumstances": "窓口で申請書3件が見当たらなくなった。",
    "cause": "保管庫への収納漏れ",
    "secondary_damage": "なし",
    "city_instructions": "捜索と保管手順の見直し",
    "contractor_responses": "捜索し発見した。",
    "prevention": "終業時の二人点検",
}


def reported(people: dict[Role, Person], *, known_at: datetime | None = None) -> Incident:
    return actions.report_incident(
        kind=Incident.Kind.LOSS,
        summary="申請書の所在不明",
        known_at=known_at or timezone.now() - timedelta(minutes=5),
        place="旅券窓口",
        by=people[Role.CONTRACTOR_LEAD],
    )


def escalated(people: dict[Role, Person], **kwargs: Any) -> Incident:
    incident = reported(people, **kwargs)
    incident = actions.receive_incident(
        incident, by=people[Role.MANAGER], at=incident.known_at + timedelta(minutes=1)
    )
    return actions.tell_superior(
        incident,
        superior=people[Role.SUPERIOR],
        measures="捜索を指示",
        at=incident.known_at + timedelta(minutes=2),
        by=people[Role.MANAGER],
    )


def with_report(people: dict[Role, Person], **facts: Any) -> WrittenReport:
    incident = escalated(people)
    return actions.submit_written_report(
        incident, by=people[Role.CONTRACTOR_LEAD], **{**FACTS, **facts}
    )


def task(people: dict[Role, Person], incident: Incident, **fields: Any) -> InvestigationTask:
    values = {
        "kind": InvestigationTask.Kind.CAUSE,
        "description": "原因の調査",
        "owner": people[Role.CITY_STAFF],
        "due_on": timezone.localdate() + timedelta(days=3),
        **fields,
    }
    return actions.add_task(incident, by=people[Role.MANAGER], **values)


def ready_to_close(people: dict[Role, Person]) -> Incident:
    """Every step done: report signed off, tasks done, publication decided."""
    report = with_report(people)
    incident = report.incident
    actions.sign_off_written_report(report, note="", by=people[Role.MANAGER])
    done = task(people, incident)
    actions.complete_task(
        done, done_on=timezone.localdate(), outcome="確認済み", by=people[Role.CITY_STAFF]
    )
    publication = actions.draft_publication(
        incident, text="", reasons="3名、発見済み", by=people[Role.CITY_STAFF]
    )
    actions.decide_publication(
        publication, publish=False, published_on=None, note="", by=people[Role.MANAGER]
    )
    incident.refresh_from_db()
    return incident
