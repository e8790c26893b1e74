"""Every registered compliance check × a violation built from stored records.

Like the authorization matrix: for each clause that has a registered check, a case arranges
records under which the clause is ok, stores a violation straight in the database
(`Model.objects.create` / `update`: a check reads what is stored, whoever wrote it), sees the
clause turn to "needs attention", repairs the records and sees it return to ok. A clause with a
check and no case here fails the suite, so a check cannot be added without proof that it can
fail for the reason its clause exists.

The status is read as the dashboard reads it, from the report kept between requests
(`compliance_report.current`), within one minute: each case also proves that a write the
application did not make itself (the records stored straight in the database) is seen on the
very next read, with no report kept from before it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from itaku.area.models import (
    Area,
    CarryInRequest,
    CarryRecord,
    DeviceCategory,
    Passage,
    Patrol,
    StorageCheck,
    StoragePlace,
    VisitorPermission,
    WorkDeclaration,
)
from itaku.contractors.contract_check import PROVISIONS
from itaku.contractors.models import (
    Contract,
    ContractDocument,
    CorrectiveAction,
    DisposalCertificate,
    Inspection,
    PeriodicReport,
    Pledge,
    ProvisionWaiver,
    RosterEntry,
    RosterSubmission,
    SelectionMethod,
    ServiceLevelItem,
    Subcontractor,
    TrainingSession,
)
from itaku.core.business_days import business_days_between, previous_business_day
from itaku.core.dates import fiscal_year
from itaku.incidents import actions as incident_actions
from itaku.incidents.models import (
    ContactChart,
    ContactEntry,
    Incident,
    InvestigationTask,
    Publication,
    WrittenReport,
)
from itaku.lgwan.models import (
    Account,
    DayReview,
    Finding,
    LogFile,
    LogSource,
    Lookup,
    Measure,
    Rule,
    Terminal,
    Verification,
)
from itaku.people import actions as people_actions
from itaku.people.models import Person, RoleAssignment
from itaku.people.roles import Capacity, Role
from itaku.policy import compliance_report
from itaku.policy.models import Procedure
from itaku.policy.registry import ClauseStatus, Status, checked_clauses
from itaku.retention.actions import dispose
from tests.area.factories import run_clock_at
from tests.database_owner import guard_dropped
from tests.factories import ContractorFactory, PersonFactory, person_with_role
from tests.incidents.factories import FACTS as INCIDENT_FACTS

W = SimpleNamespace


@dataclass(frozen=True)
class Case:
    """One way to break a clause: `violate` stores the breach, `repair` sets it right."""

    name: str
    violate: Callable[[W], Any]
    repair: Callable[[W, Any], None]
    world: str = "area"  # which records make the clause ok before the violation
    xfail: str = ""


def _now() -> datetime:
    return timezone.now()


def _today() -> date:
    return timezone.localdate()


# -- the worlds: records under which the clauses are ok -----------------------------------------


def _passage(w: W, person, *, direction="entry", at=None, **fields) -> Passage:
    at = at or _now() - timedelta(minutes=30)
    answers = (
        {"badge_worn": True, "only_valuables": True, "prohibited_device": False}
        if direction == "entry"
        else {}
    )
    return Passage.objects.create(
        area=w.area,
        person=person,
        badge_presented=person.badge_number or "",
        direction=direction,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=at,
        recorded_at=at,
        recorded_by=w.city_staff,
        **{**answers, **fields},
    )


def _area_world(w: W) -> None:
    w.area = Area.objects.create(
        name="試験区域",
        place="テスト市役所 旅券窓口",
        boundary="床の黄色ライン",
        signage_checked_on=_today(),
    )
    # A worker came in and left: admitted entries with their answers, and the exit.
    _passage(w, w.worker, at=_now() - timedelta(minutes=40))
    _passage(w, w.worker, direction="exit", at=_now() - timedelta(minutes=20))
    # A visitor who worked, reported, and left (3-4, 3-5).
    w.visitor = PersonFactory(name="訪問 架空")
    w.permission = VisitorPermission.objects.create(
        person=w.visitor,
        purpose="発券機の点検",
        starts_at=_now() - timedelta(hours=3),
        ends_at=_now() - timedelta(hours=1),
        monitor=w.lead,
        works_in_area=True,
        state=VisitorPermission.State.APPROVED,
        requested_by=w.lead,
        requested_at=_now() - timedelta(days=1),
        decided_by=w.manager,
        decided_capacity=Capacity.MANAGER,
        decided_at=_now() - timedelta(days=1),
    )
    WorkDeclaration.objects.create(
        permission=w.permission,
        work="発券機の点検",
        declared_at=_now() - timedelta(hours=3),
        declared_by=w.lead,
        report_content="点検",
        report_result="異常なし",
        reported_at=_now() - timedelta(hours=1),
        reported_by=w.lead,
    )
    _passage(w, w.visitor, at=_now() - timedelta(hours=2), visitor_permission=w.permission)
    _passage(
        w,
        w.visitor,
        direction="exit",
        at=_now() - timedelta(hours=1, minutes=30),
        visitor_permission=w.permission,
    )
    CarryRecord.objects.create(
        area=w.area,
        direction=CarryRecord.Direction.IN,
        items="工具箱1個",
        carried_by=w.visitor,
        witness=w.city_staff,
        checked="中身を目視確認。記録媒体なし。",
        occurred_at=_now() - timedelta(hours=2),
        recorded_by=w.city_staff,
    )
    Patrol.objects.create(area=w.area, patrolled_at=_now(), patrolled_by=w.city_staff)
    # 3-10: a place checked on every business day of the last two weeks.
    w.place = StoragePlace.objects.create(
        area=w.area,
        name="施錠キャビネットA",
        kind=StoragePlace.Kind.CABINET,
        contents="端末ICカード",
        key_holder=w.city_staff,
        ic_cards=2,
    )
    last = previous_business_day(_today())
    for day in business_days_between(_today() - timedelta(days=14), last):
        _storage_check(w, day)
    # 3-12: an approved device, with its storage place and conditions.
    w.carry_in = CarryInRequest.objects.create(
        person=w.worker,
        category=DeviceCategory.objects.get(number=4),
        device="勤怠管理用ノートパソコン",
        reason="勤怠管理のため",
        starts_on=_today(),
        ends_on=_today() + timedelta(days=5),
        storage_place="施錠キャビネットA",
        requested_by=w.worker,
        requested_at=_now() - timedelta(days=1),
        conditions="個人情報を扱わず、庁内ネットワークに接続しない。",
        state=CarryInRequest.State.APPROVED,
        decided_by=w.manager,
        decided_capacity=Capacity.MANAGER,
        decided_at=_now() - timedelta(days=1),
    )


def _storage_check(w: W, day: date, *, late: bool = False, note: str = "") -> StorageCheck:
    checked_at = _now() if late else timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return StorageCheck.objects.create(
        place=w.place,
        checked_on=day,
        cards_expected=2,
        cards_present=2,
        locked=True,
        note=note,
        checked_by=w.city_staff,
        checked_at=checked_at + (timedelta() if late else timedelta(hours=18)),
    )


def _document(contract: Contract, by, *, missing: str = "") -> ContractDocument:
    return ContractDocument.objects.create(
        contract=contract,
        kind="contract",
        filename=f"契約書{contract.pk}.txt",
        file="contracts/test.txt",
        sha256="0" * 64,
        size=1,
        check_result={
            "provisions": [
                {
                    "id": pid,
                    "present": pid != missing,
                    "passages": [] if pid == missing else [{"text": "…", "where": "第1条"}],
                }
                for pid in PROVISIONS
            ]
        },
        uploaded_by=by,
        uploaded_at=_now(),
    )


def _contract(w: W, *, starts_on: date, ends_on: date, **fields) -> Contract:
    values = {
        "contractor": w.contractor,
        "title": "旅券窓口業務（試験）",
        "starts_on": starts_on,
        "ends_on": ends_on,
        "selection_method": SelectionMethod.GENERAL_TENDER,
        "selection_grounds": "価格競争が適する定型業務のため。",
        "city_responsible": w.manager,
        "work_place": "テスト市役所 旅券窓口",
        "registered_by": w.manager,
        "registered_at": _now(),
        **fields,
    }
    contract = Contract.objects.create(**values)
    ServiceLevelItem.objects.create(contract=contract, item="窓口待ち時間", target="30分以内")
    return contract


def _contract_world(w: W) -> None:
    _area_world(w)
    w.contract = _contract(
        w, starts_on=_today() - timedelta(days=20), ends_on=_today() + timedelta(days=340)
    )
    _document(w.contract, w.manager)
    w.roster = RosterSubmission.objects.create(
        contract=w.contract,
        version=1,
        submitted_by=w.lead,
        submitted_at=_now() - timedelta(days=20),
        state=RosterSubmission.State.RECEIVED,
        received_on=_today() - timedelta(days=19),
        decided_by=w.manager,
        decided_capacity=Capacity.MANAGER,
    )
    RosterEntry.objects.create(submission=w.roster, person=w.lead, position="lead")
    RosterEntry.objects.create(submission=w.roster, person=w.worker, position="worker")
    w.pledge = Pledge.objects.create(
        contract=w.contract,
        signed_on=_today() - timedelta(days=20),
        filename="pledge.pdf",
        scan="pledges/pledge.pdf",
        sha256="0" * 64,
        submitted_by=w.lead,
        submitted_at=_now() - timedelta(days=20),
        state=Pledge.State.CONFIRMED,
        decided_by=w.manager,
        decided_capacity=Capacity.MANAGER,
    )
    w.training = TrainingSession.objects.create(
        contract=w.contract,
        held_on=_today() - timedelta(days=10),
        content="情報セキュリティポリシー",
        material="研修資料",
        trainer="試験 講師",
        recorded_by=w.lead,
        recorded_at=_now(),
    )
    w.training.attendees.set([w.lead, w.worker])
    w.report = PeriodicReport.objects.create(
        contract=w.contract,
        period_start=w.contract.starts_on,
        period_end=w.contract.starts_on + timedelta(days=30),
        no_copying=True,
        no_third_party=True,
        policy_obeyed=True,
        text="業務は順調",
        submitted_by=w.lead,
        submitted_at=_now() - timedelta(days=2),
        state=PeriodicReport.State.REVIEWED,
        decided_by=w.manager,
        decided_capacity=Capacity.MANAGER,
    )
    Subcontractor.objects.create(
        contract=w.contract,
        name="架空配送株式会社",
        work="書類の配送",
        requested_by=w.lead,
        state=Subcontractor.State.APPROVED,
    )
    Inspection.objects.create(
        contract=w.contract,
        trigger=Inspection.Trigger.ROUTINE,
        held_on=_today() - timedelta(days=10),
        findings="特になし",
        state=Inspection.State.CLOSED,
        recorded_by=w.manager,
    )


def _incidents_world(w: W) -> None:
    """Chapter 6 in order: a chart in force, and one incident handled at once to its close."""
    _contract_world(w)
    w.chart = ContactChart.objects.create(
        version=1, effective_from=_today() - timedelta(days=30), issued_by=w.manager
    )
    ContactEntry.objects.create(
        chart=w.chart,
        person=w.lead,
        role=Role.CONTRACTOR_LEAD,
        phone="090",
        order=1,
        reachable_night=True,
    )
    ContactEntry.objects.create(
        chart=w.chart, person=w.manager, role=Role.MANAGER, phone="090", order=2
    )
    w.incident = _incident(w, known_at=_now() - timedelta(days=10), state=Incident.State.CLOSED)
    WrittenReport.objects.create(
        incident=w.incident,
        submitted_by=w.lead,
        state=WrittenReport.State.SIGNED_OFF,
        **INCIDENT_FACTS,
    )
    InvestigationTask.objects.create(
        incident=w.incident,
        kind=InvestigationTask.Kind.CAUSE,
        description="原因の調査",
        owner=w.city_staff,
        due_on=_today() - timedelta(days=5),
        state=InvestigationTask.State.DONE,
        done_on=_today() - timedelta(days=6),
    )
    w.publication = Publication.objects.create(
        incident=w.incident,
        state=Publication.State.WITHHELD,
        reasons="3名、発見済み",
        drafted_by=w.city_staff,
    )


def _incident(w: W, *, known_at: datetime, told_after: int = 5, **fields) -> Incident:
    """An incident the manager heard of `told_after` minutes after it was known, the superior
    as long after that."""
    return Incident.objects.create(
        kind=Incident.Kind.LOSS,
        summary="申請書の所在不明",
        known_at=known_at,
        reported_by=w.lead,
        manager_told_at=known_at + timedelta(minutes=told_after),
        manager_told=w.manager,
        superior_told_at=known_at + timedelta(minutes=2 * told_after),
        **fields,
    )


def _lgwan_world(w: W) -> None:
    """A verified terminal, a city clerk's ID, and a lookup of the last business day whose
    review is signed off (chapter 4)."""
    _area_world(w)
    w.terminal = Terminal.objects.create(
        asset_number="LG-01",
        place="旅券窓口 1番",
        area=w.area,
        media_block_method="USBストレージ無効化",
        screen_lock_minutes=10,
        registered_at=_now() - timedelta(days=60),
        registered_by=w.manager,
    )
    w.verifications = {
        measure: Verification.objects.create(
            terminal=w.terminal,
            measure=measure,
            verified_at=_now() - timedelta(days=1),
            verified_by=w.manager,
            passed=True,
        )
        for measure in Measure
    }
    w.account = Account.objects.create(
        account_id="LG-U0001",
        person=w.city_staff,
        issued_at=_now() - timedelta(days=60),
        issued_by=w.manager,
    )
    day = previous_business_day(_today())
    assert day is not None
    source = LogSource.objects.create(
        name="窓口LGWAN照会ログ", mapping={"columns": {}}, registered_at=_now()
    )
    log_file = LogFile.objects.create(
        source=source, name="log.csv", sha256="0" * 64, lines_root="0" * 64, imported_at=_now()
    )
    Lookup.objects.create(
        source=source,
        file=log_file,
        line_number=2,
        line_key="1",
        occurred_at=datetime.combine(day, datetime.min.time(), tzinfo=_now().tzinfo)
        + timedelta(hours=10),
        terminal_name="LG-01",
        terminal=w.terminal,
        account_name="LG-U0001",
        account=w.account,
        action=Lookup.Action.LOOKUP,
        receipt_number="R-1",
    )
    w.day_review = DayReview.objects.create(day=day, state=DayReview.State.SIGNED)


def _lookup_finding(clause_id: str, rule: str) -> Callable[[W], Finding]:
    def violate(w: W) -> Finding:
        return Finding.objects.create(
            rule=rule,
            clause_id=clause_id,
            day=_today(),
            key=f"{rule}:matrix",
            account=w.account,
            owner=w.city_staff,
            detail="10:00:00 LG-01 / LG-U0001",
            found_at=_now(),
        )

    return violate


def _rule_switched_off(code: str) -> Case:
    """A review rule switched off in the stored settings, then on again."""
    return Case(
        f"the review rule {code} switched off",
        lambda w: Rule.objects.update_or_create(code=code, defaults={"enabled": False})[0],
        lambda w, rule: _update(rule, enabled=True),
        world="lgwan",
    )


def _verify_again(measure: str) -> Callable[[W, Any], None]:
    def repair(w: W, _breach: Any) -> None:
        Verification.objects.create(
            terminal=w.terminal,
            measure=measure,
            verified_at=_now(),
            verified_by=w.manager,
            passed=True,
        )

    return repair


WORLDS = {
    "area": _area_world,
    "contract": _contract_world,
    "incidents": _incidents_world,
    "lgwan": _lgwan_world,
}


# -- the cases ----------------------------------------------------------------------------------


def _told_late(field: str) -> Callable[[W], Incident]:
    """6-2 / 6-3 / 2-2-j: a new incident where `field` was recorded two hours late."""

    def violate(w: W) -> Incident:
        incident = _incident(w, known_at=_now() - timedelta(hours=5))
        start = incident.known_at if field == "manager_told_at" else incident.manager_told_at
        assert start is not None
        _update(incident, **{field: start + timedelta(hours=2)})
        if field == "manager_told_at":
            _update(incident, superior_told_at=start + timedelta(hours=2, minutes=5))
        return incident

    return violate


def _told_on_time(w: W, incident: Incident) -> None:
    _update(
        incident,
        manager_told_at=incident.known_at + timedelta(minutes=5),
        superior_told_at=incident.known_at + timedelta(minutes=10),
    )


def _no_written_report(w: W) -> Incident:
    return _incident(w, known_at=_now() - timedelta(days=7))


def _write_report(w: W, incident: Incident) -> None:
    WrittenReport.objects.create(incident=incident, submitted_by=w.lead, **INCIDENT_FACTS)


def _sensitive_leak_40_days_ago(w: W) -> None:
    """Reportable, known 40 days ago, nothing sent: 速報, 確報 and notice are all late."""
    WrittenReport.objects.filter(incident=w.incident).update(sensitive=True)
    _update(w.incident, known_at=_now() - timedelta(days=40))


def _overdue_task(w: W) -> InvestigationTask:
    return InvestigationTask.objects.create(
        incident=_incident(w, known_at=_now() - timedelta(hours=3)),
        kind=InvestigationTask.Kind.CONTAINMENT,
        description="拡大防止",
        owner=w.city_staff,
        due_on=_today() - timedelta(days=1),
    )


def _incident_deleted_behind_the_guard(w: W) -> Incident:
    """An incident reported through the application (the audit trail names it), then deleted
    by the database's owner with the guard dropped: 3-6 and 6-2 name it as missing."""
    incident = incident_actions.report_incident(
        kind=Incident.Kind.LOSS,
        summary="申請書（見本）の所在不明",
        known_at=_now() - timedelta(minutes=5),
        by=w.lead,
    )
    _behind_guard(Incident.objects.filter(pk=incident.pk))
    return incident


def _restore_from_backup(w: W, incident: Incident) -> None:
    """The row put back as it was (a restore), so the trail and the table agree again."""
    incident.save(force_insert=True)


def _chart_without(w: W, entry: ContactEntry) -> None:
    """6-1 is repaired as the manager repairs it: a new version of the chart, in force today,
    without the person who is off the roster (a chart's entries are kept, 3-6)."""
    chart = ContactChart.objects.create(version=2, effective_from=_today(), issued_by=w.manager)
    for kept in w.chart.entries.exclude(pk=entry.pk):
        kept.pk = None
        kept.chart = chart
        kept.save()


def _update(instance, **fields) -> None:
    type(instance).objects.filter(pk=instance.pk).update(**fields)


def _coming_contract_lacking(provision_id: str) -> Case:
    """Next year's contract, registered in advance, lacks the provision: attention before it
    starts; a waiver recorded for it settles it."""

    def violate(w: W) -> Contract:
        coming = _contract(
            w,
            title="旅券窓口業務（翌年度）",
            starts_on=w.contract.ends_on + timedelta(days=1),
            ends_on=w.contract.ends_on + timedelta(days=366),
        )
        _document(coming, w.manager, missing=provision_id)
        return coming

    def repair(w: W, coming: Contract) -> None:
        ProvisionWaiver.objects.create(
            contract=coming,
            provision_id=provision_id,
            reason="別の約款で定める",
            waived_by=w.manager,
        )

    return Case("next year's contract lacks it", violate, repair, world="contract")


def _second_manager(w: W) -> RoleAssignment:
    """A second manager for the coming month, stored straight (the database allows one open-
    ended designation; one with an end date slips past it and must still be flagged)."""
    return RoleAssignment.objects.create(
        person=person_with_role(Role.CITY_STAFF),
        role=Role.MANAGER,
        starts_on=date(2021, 4, 1),
        ends_on=_today() + timedelta(days=30),
    )


def _end_yesterday(w: W, assignment: RoleAssignment) -> None:
    """A designation is ended, never deleted: it is evidence of who held the role (3-6)."""
    _update(assignment, ends_on=_today() - timedelta(days=1))


def _designation_vanished(w: W) -> RoleAssignment:
    """A role granted through the action, then deleted by the database's owner: the audit
    trail still names it (3-1, 3-6)."""
    admin = Person.objects.holding(Role.ADMIN, _today()).get()
    granted = people_actions.assign_role(
        PersonFactory(organization=w.city_staff.organization),
        Role.CITY_STAFF,
        starts_on=_today(),
        ends_on=None,
        by=admin,
    )
    _behind_guard(RoleAssignment.objects.filter(pk=granted.pk))
    return granted


def _restore(w: W, record: Any) -> None:
    """The repair: the deleted row restored as it was (from a backup)."""
    type(record).objects.bulk_create([record])


def _inside_since_two_days(w: W) -> Passage:
    return _passage(w, w.lead, at=_now() - timedelta(days=2))


def _exit_now(w: W, entry: Passage) -> None:
    _passage(w, entry.person, direction="exit", at=_now() - timedelta(minutes=1))


def _overstaying_visitor(w: W) -> Passage:
    return _passage(
        w, w.visitor, at=_now() - timedelta(minutes=50), visitor_permission=w.permission
    )


def _unreported_work(w: W) -> WorkDeclaration:
    declaration = WorkDeclaration.objects.get(permission=w.permission)
    _update(declaration, reported_at=None, report_content="", report_result="")
    return declaration


def _old_declaration(w: W) -> VisitorPermission:
    """A work declaration (3-5 record) of five fiscal years ago, kept past its period."""
    long_ago = _now() - timedelta(days=5 * 366)
    old = VisitorPermission.objects.create(
        person=w.visitor,
        purpose="古い点検",
        starts_at=long_ago,
        ends_at=long_ago + timedelta(hours=1),
        monitor=w.lead,
        state=VisitorPermission.State.REJECTED,
        requested_by=w.lead,
        requested_at=long_ago,
    )
    WorkDeclaration.objects.create(
        permission=old, work="古い作業", declared_at=long_ago, declared_by=w.lead
    )
    assert fiscal_year(long_ago) + 3 < fiscal_year(_now())
    return old


def _behind_guard(rows: QuerySet[Any]) -> None:
    """Rows removed the way only the database's owner can (the guard keeps evidence, 3-6)."""
    with guard_dropped(rows.model._meta.db_table):
        rows.delete()


def _dispose(w: W, old: VisitorPermission) -> None:
    """The lawful repair: disposal through the action, which records what went (3-6)."""
    year = old.fiscal_year
    dispose("area.WorkDeclaration", year, by=w.manager, rule="3-6")
    dispose("area.VisitorPermission", year, by=w.manager, rule="3-6")


def _entry_assumed_badge(w: W) -> Passage:
    return _passage(w, w.lead, badge_worn=None, at=_now() - timedelta(minutes=10))


def _entry_without_a_badge(w: W) -> Passage:
    stranger = person_with_role(Role.CITY_STAFF, badge_number=None)
    return _passage(w, stranger, at=_now() - timedelta(minutes=10))


def _self_witnessed(w: W) -> CarryRecord:
    return CarryRecord.objects.create(
        area=w.area,
        direction=CarryRecord.Direction.OUT,
        items="書類一式",
        carried_by=w.worker,
        witness=w.worker,
        checked="",
        occurred_at=_now() - timedelta(minutes=5),
        recorded_by=w.worker,
    )


def _no_recent_patrol(w: W) -> None:
    Patrol.objects.update(patrolled_at=_now() - timedelta(days=30))


def _missed_business_day(w: W) -> date:
    day = previous_business_day(_today())
    assert day is not None
    with guard_dropped(StorageCheck._meta.db_table):
        StorageCheck.objects.filter(place=w.place, checked_on=day).delete()
    return day


def _device_without_approval(w: W) -> Passage:
    return _passage(w, w.lead, prohibited_device=True, at=_now() - timedelta(minutes=10))


def _approve_device(w: W, entry: Passage) -> None:
    approval = CarryInRequest.objects.create(
        person=w.lead,
        category=DeviceCategory.objects.get(number=2),
        device="業務用携帯電話",
        reason="緊急連絡のため",
        # The day of the entry, whatever the clock says now (a run just after midnight).
        starts_on=timezone.localdate(entry.occurred_at),
        ends_on=_today(),
        storage_place="施錠キャビネットA",
        requested_by=w.lead,
        requested_at=_now() - timedelta(days=1),
        conditions="個人情報を扱わず、庁内ネットワークに接続しない。",
        state=CarryInRequest.State.APPROVED,
        decided_by=w.manager,
        decided_capacity=Capacity.MANAGER,
    )
    _update(entry, carry_in=approval)


def _unreviewed_report(w: W) -> PeriodicReport:
    _update(
        w.report, state=PeriodicReport.State.SUBMITTED, submitted_at=_now() - timedelta(days=15)
    )
    return w.report


def _breach_closed_at_once(field: str) -> Callable[[W], Inspection]:
    def violate(w: W) -> Inspection:
        return Inspection.objects.create(
            contract=w.contract,
            trigger=Inspection.Trigger.SUSPECTED_BREACH,
            held_on=_today(),
            findings="申請書の写しを私物の手帳に書き写していた。",
            state=Inspection.State.CLOSED,
            recorded_by=w.manager,
            **{field: True},
        )

    return violate


def _corrective_action_done(w: W, inspection: Inspection) -> None:
    CorrectiveAction.objects.create(
        inspection=inspection,
        description="手帳を回収し廃棄、全員に再研修",
        owner=w.lead,
        due_on=_today(),
        state=CorrectiveAction.State.DONE,
        done_on=_today(),
    )


def _inspect_and_review(w: W, _report: Any) -> None:
    """The city inspects what the report could not rule out, and the manager reviews it."""
    _update(w.report, state=PeriodicReport.State.REVIEWED)
    Inspection.objects.create(
        contract=w.contract,
        trigger=Inspection.Trigger.SUSPECTED_BREACH,
        held_on=_today(),
        findings="複製・提供の事実なし",
        state=Inspection.State.CLOSED,
        recorded_by=w.manager,
    )


CASES: dict[str, list[Case]] = {
    "3-1": [
        Case("two managers designated at once", _second_manager, _end_yesterday),
        Case("a designation deleted behind the guard", _designation_vanished, _restore),
    ],
    "3-2": [
        Case(
            "signage never checked",
            lambda w: _update(w.area, signage_checked_on=None),
            lambda w, _: _update(w.area, signage_checked_on=_today()),
        )
    ],
    "3-3": [Case("still inside since two days ago", _inside_since_two_days, _exit_now)],
    "3-4": [Case("visitor inside after the window", _overstaying_visitor, _exit_now)],
    "3-5": [
        Case(
            "visitor left without the work report",
            _unreported_work,
            lambda w, d: _update(d, reported_at=_now(), report_content="点検", reported_by=w.lead),
        )
    ],
    "3-6": [
        Case("a 3-5 record kept past its retention", _old_declaration, _dispose),
        Case(
            "an incident deleted behind the guard",
            _incident_deleted_behind_the_guard,
            _restore_from_backup,
            world="incidents",
        ),
    ],
    "3-7": [
        Case(
            "the reader did not say the badge was worn",
            _entry_assumed_badge,
            lambda w, entry: _update(entry, badge_worn=True),
        ),
        Case(
            "admitted with no ID card at all",
            _entry_without_a_badge,
            lambda w, entry: _update(entry.person, badge_number="T-9999"),
        ),
    ],
    "3-8": [
        Case(
            "the carrier witnessed his own items, nothing checked",
            _self_witnessed,
            lambda w, carry: _update(carry, witness=w.city_staff, checked="中身を目視確認"),
        )
    ],
    "3-9": [
        Case(
            "no patrol in the last week",
            _no_recent_patrol,
            lambda w, _: Patrol.objects.create(
                area=w.area, patrolled_at=_now(), patrolled_by=w.city_staff
            ),
        )
    ],
    "3-10": [
        Case(
            "a business day without the IC-card check",
            _missed_business_day,
            lambda w, day: _storage_check(w, day, late=True, note="担当者不在のため翌日確認"),
        )
    ],
    "3-11": [
        Case("admitted with a device and no approval", _device_without_approval, _approve_device)
    ],
    "3-12": [
        Case(
            "an approval naming no storage place",
            lambda w: _update(w.carry_in, storage_place=""),
            lambda w, _: _update(w.carry_in, storage_place="施錠キャビネットA"),
        )
    ],
    "4-1": [
        Case(
            "the no-personal-data check is overdue",
            lambda w: _update(
                w.verifications[Measure.NO_LOCAL_DATA], verified_at=_now() - timedelta(days=45)
            ),
            _verify_again(Measure.NO_LOCAL_DATA),
            world="lgwan",
        ),
        Case(
            "a lookup from a terminal not in the register, not reviewed",
            _lookup_finding("4-1", "unknown_terminal"),
            lambda w, f: _update(f, state=Finding.State.CLOSED),
            world="lgwan",
        ),
        _rule_switched_off("unknown_terminal"),
    ],
    "4-2": [
        Case(
            "an ID used while its owner was outside, not reviewed",
            _lookup_finding("4-2", "owner_not_inside"),
            lambda w, f: _update(f, state=Finding.State.CLOSED),
            world="lgwan",
        ),
        _rule_switched_off("owner_not_inside"),
    ],
    "4-3": [
        Case(
            "the external-media block failed its check",
            lambda w: Verification.objects.create(
                terminal=w.terminal,
                measure=Measure.MEDIA_BLOCKED,
                verified_at=_now(),
                verified_by=w.manager,
                passed=False,
                note="USBメモリが認識された",
            ),
            _verify_again(Measure.MEDIA_BLOCKED),
            world="lgwan",
        )
    ],
    "4-4": [
        Case(
            "the last business day's review is not signed off",
            lambda w: _update(w.day_review, state=DayReview.State.PENDING),
            lambda w, _: _update(w.day_review, state=DayReview.State.SIGNED),
            world="lgwan",
        ),
        _rule_switched_off("unknown_receipt"),
    ],
    "4-5": [
        Case(
            "a session left open, not reviewed",
            _lookup_finding("4-5", "open_session"),
            lambda w, f: _update(f, state=Finding.State.CLOSED),
            world="lgwan",
        ),
        _rule_switched_off("idle_past_lock"),
    ],
    "5-9": [
        Case(
            "the belongings check left unanswered",
            lambda w: _passage(w, w.lead, only_valuables=None),
            lambda w, entry: _update(entry, only_valuables=True),
        )
    ],
    "2-1": [
        Case(
            "no grounds for the selection method",
            lambda w: _update(w.contract, selection_grounds=""),
            lambda w, _: _update(w.contract, selection_grounds="定型業務のため"),
            world="contract",
        )
    ],
    "2-2-b": [
        Case(
            "the city's responsible person is not the manager",
            lambda w: _update(w.contract, city_responsible=w.city_staff),
            lambda w, _: _update(w.contract, city_responsible=w.manager),
            world="contract",
        ),
        Case(
            "the work place is not the registered area",
            lambda w: _update(w.contract, work_place="別館 3階 会議室"),
            lambda w, _: _update(w.contract, work_place="テスト市役所 旅券窓口"),
            world="contract",
        ),
        Case(
            "the roster names someone of another company",
            lambda w: _update(w.worker, organization=PersonFactory().organization),
            lambda w, _: _update(w.worker, organization=w.contractor),
            world="contract",
        ),
    ],
    "2-2-c": [
        Case(
            "no service level recorded",
            lambda w: _behind_guard(ServiceLevelItem.objects.filter(contract=w.contract)),
            lambda w, _: ServiceLevelItem.objects.create(
                contract=w.contract, item="窓口待ち時間", target="30分以内"
            ),
            world="contract",
        )
    ],
    "2-2-d": [
        Case(
            "a rostered worker never trained",
            lambda w: _behind_guard(
                TrainingSession.attendees.through.objects.filter(
                    trainingsession=w.training, person=w.worker
                )
            ),
            lambda w, _: w.training.attendees.add(w.worker),
            world="contract",
        )
    ],
    "2-2-h": [
        Case(
            "a subcontractor working without approval",
            lambda w: Subcontractor.objects.create(
                contract=w.contract, name="無承認下請", work="入力", requested_by=w.lead
            ),
            lambda w, sub: _update(sub, state=Subcontractor.State.APPROVED),
            world="contract",
        )
    ],
    "2-2-i": [
        Case(
            "an ended contract without a disposal certificate",
            lambda w: _contract(
                w,
                title="旅券窓口業務（前年度）",
                starts_on=_today() - timedelta(days=400),
                ends_on=_today() - timedelta(days=21),
            ),
            lambda w, ended: DisposalCertificate.objects.create(
                contract=ended,
                what="申請書控え",
                how_many=120,
                how="溶解処理",
                disposed_on=_today(),
                witnessed_by="試験 立会",
            ),
            world="contract",
        )
    ],
    "2-2-j": [
        Case(
            "a report submitted and never reviewed",
            _unreviewed_report,
            lambda w, r: _update(r, state=PeriodicReport.State.REVIEWED),
            world="contract",
        ),
        Case(
            "an incident not reported at once",
            _told_late("superior_told_at"),
            _told_on_time,
            world="incidents",
        ),
    ],
    "6-1": [
        Case(
            "no one on the chart answers at night",
            lambda w: w.chart.entries.update(reachable_night=False),
            lambda w, _: w.chart.entries.filter(order=1).update(reachable_night=True),
            world="incidents",
        ),
        Case(
            "a contractor worker on the chart is off the received roster",
            lambda w: ContactEntry.objects.create(
                chart=w.chart,
                person=person_with_role(Role.CONTRACTOR_WORKER),
                role=Role.CONTRACTOR_WORKER,
                phone="090",
                order=3,
            ),
            _chart_without,
            world="incidents",
        ),
    ],
    "6-2": [
        Case(
            "the manager told two hours late",
            _told_late("manager_told_at"),
            _told_on_time,
            world="incidents",
        ),
        Case(
            "an incident deleted behind the guard",
            _incident_deleted_behind_the_guard,
            _restore_from_backup,
            world="incidents",
        ),
    ],
    "6-3": [
        Case(
            "the superior told two hours late",
            _told_late("superior_told_at"),
            _told_on_time,
            world="incidents",
        )
    ],
    "6-4": [
        Case(
            "no written report a week after",
            _no_written_report,
            _write_report,
            world="incidents",
        ),
        Case(
            "a sensitive leak past its legal deadlines",
            _sensitive_leak_40_days_ago,
            lambda w, _: _update(
                w.incident,
                preliminary_reported_on=_today(),
                final_reported_on=_today(),
                persons_notified_on=_today(),
            ),
            world="incidents",
        ),
    ],
    "6-5": [
        Case(
            "an investigation task past its due date",
            _overdue_task,
            lambda w, task: _update(task, state=InvestigationTask.State.DONE, done_on=_today()),
            world="incidents",
        )
    ],
    "6-6": [
        Case(
            "closed without a publication decision",
            lambda w: _update(w.publication, state=Publication.State.DRAFT),
            lambda w, _: _update(w.publication, state=Publication.State.WITHHELD),
            world="incidents",
        )
    ],
    "2-2-k": [
        Case(
            "an inspection that found copying closed at once",
            _breach_closed_at_once("copying_found"),
            _corrective_action_done,
            world="contract",
        )
    ],
    "5-1": [
        Case(
            "the roster was never received",
            lambda w: _update(w.roster, state=RosterSubmission.State.SUBMITTED, received_on=None),
            lambda w, _: _update(
                w.roster, state=RosterSubmission.State.RECEIVED, received_on=_today()
            ),
            world="contract",
        )
    ],
    "5-2": [
        Case(
            "the pledge was never confirmed",
            lambda w: _update(w.pledge, state=Pledge.State.SUBMITTED),
            lambda w, _: _update(w.pledge, state=Pledge.State.CONFIRMED),
            world="contract",
        )
    ],
    "5-3": [
        Case(
            "no pledge of the contractor",
            lambda w: _update(w.pledge, person=w.lead),
            lambda w, _: _update(w.pledge, person=None),
            world="contract",
        )
    ],
    "5-4": [
        Case(
            "the pledge was never confirmed",
            lambda w: _update(w.pledge, state=Pledge.State.SUBMITTED),
            lambda w, _: _update(w.pledge, state=Pledge.State.CONFIRMED),
            world="contract",
        )
    ],
    "5-5": [
        Case(
            "a report does not attest obeying the policy",
            lambda w: _update(w.report, policy_obeyed=False),
            lambda w, _: _update(w.report, policy_obeyed=True),
            world="contract",
        )
    ],
    "5-6": [
        Case(
            "training too long ago",
            lambda w: _update(w.training, held_on=_today() - timedelta(days=800)),
            lambda w, _: _update(w.training, held_on=_today()),
            world="contract",
        )
    ],
    "5-7": [
        Case(
            "an unreviewed report cannot rule out copying",
            lambda w: _update(w.report, no_copying=False, state=PeriodicReport.State.SUBMITTED),
            _inspect_and_review,
            world="contract",
        ),
        Case(
            "an inspection that found copying closed at once",
            _breach_closed_at_once("copying_found"),
            _corrective_action_done,
            world="contract",
        ),
    ],
    "5-8": [
        Case(
            "an unreviewed report cannot rule out a third party",
            lambda w: _update(w.report, no_third_party=False, state=PeriodicReport.State.SUBMITTED),
            _inspect_and_review,
            world="contract",
        ),
        Case(
            "an inspection that found provision to a third party closed at once",
            _breach_closed_at_once("third_party_found"),
            _corrective_action_done,
            world="contract",
        ),
    ],
    "5-10": [
        Case(
            "a report submitted and never reviewed",
            _unreviewed_report,
            lambda w, r: _update(r, state=PeriodicReport.State.REVIEWED),
            world="contract",
        ),
        Case(
            "a report sent back and never corrected",
            lambda w: _update(
                w.report,
                state=PeriodicReport.State.RETURNED,
                decided_at=_now() - timedelta(days=15),
            ),
            lambda w, _: _update(w.report, state=PeriodicReport.State.REVIEWED, decided_at=_now()),
            world="contract",
        ),
    ],
    "5-11": [
        Case(
            "an inspection that found copying closed at once",
            _breach_closed_at_once("copying_found"),
            _corrective_action_done,
            world="contract",
        )
    ],
}
for _provision_id in PROVISIONS:
    CASES.setdefault(_provision_id, []).append(_coming_contract_lacking(_provision_id))


def _params() -> list[Any]:
    params = []
    for clause_id, cases in sorted(CASES.items()):
        for case in cases:
            marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
            params.append(
                pytest.param(clause_id, case, id=f"{clause_id}: {case.name}", marks=marks)
            )
    return params


def test_every_registered_check_has_a_violation_case():
    missing = sorted(checked_clauses() - CASES.keys())
    assert not missing, f"add a violation case for these clauses: {missing}"
    assert not CASES.keys() - checked_clauses(), "CASES names clauses without a check"


@pytest.fixture
def w(personas, settings, tmp_path, monkeypatch) -> W:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Within the area's hours on a business day, whenever the suite runs (3-3).
    run_clock_at(monkeypatch)
    return W(
        manager=personas[Role.MANAGER],
        deputy=personas[Role.DEPUTY],
        city_staff=personas[Role.CITY_STAFF],
        lead=personas[Role.CONTRACTOR_LEAD],
        worker=personas[Role.CONTRACTOR_WORKER],
        contractor=ContractorFactory(),
    )


def _status(clause_id: str, minute: datetime) -> ClauseStatus:
    """The clause as the dashboard shows it now, from the kept report; `minute` is the one the
    case started in: a report recomputed because the minute turned would prove nothing."""
    procedure = Procedure.objects.current()
    assert procedure is not None
    now = timezone.now()
    assert now.replace(second=0, microsecond=0) == minute
    report = compliance_report.current(procedure, now)
    assert compliance_report.current(procedure, now) is report, "the report is kept"
    (row,) = [row for row in report.all_rows() if row.clause.clause_id == clause_id]
    return row.result


@pytest.mark.parametrize(("clause_id", "case"), _params())
def test_a_violation_turns_the_clause_to_attention_and_its_repair_back_to_ok(w, clause_id, case):
    WORLDS[case.world](w)
    minute = timezone.now().replace(second=0, microsecond=0)
    before = _status(clause_id, minute)
    assert before.status is Status.OK, before.findings

    breach = case.violate(w)
    broken = _status(clause_id, minute)
    assert broken.status is Status.ATTENTION
    assert broken.findings

    case.repair(w, breach)
    repaired = _status(clause_id, minute)
    assert repaired.status is Status.OK, repaired.findings
