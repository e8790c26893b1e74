"""Audited changes to contracts and the contractor's records.

Each function checks the change is allowed, saves it and appends its audit event in one
transaction. Confirmations, approvals and reviews by the manager record who acted and in which
capacity (3-1): the deputy may act only while the manager is recorded absent.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.audit.log import record
from itaku.contractors.contract_check import PROVISIONS, check_document
from itaku.contractors.events import ContractorEvent
from itaku.contractors.models import (
    Contract,
    ContractDocument,
    CorrectiveAction,
    DisposalCertificate,
    Inspection,
    PeriodicReport,
    Pledge,
    ProvisionWaiver,
    ReturnItem,
    RosterEntry,
    RosterSubmission,
    ServiceLevelItem,
    Subcontractor,
    TrainingSession,
)
from itaku.contractors.uploads import sha256, stored, validate_scan
from itaku.people.authority import require_approving_capacity
from itaku.people.decisions import decide
from itaku.people.models import Person


def _of_contractor(contract: Contract, people: Iterable[Person], field: str) -> None:
    outsiders = [
        person.name for person in people if person.organization_id != contract.contractor_id
    ]
    if outsiders:
        raise ValidationError(
            {
                field: _("%(names)s do not belong to %(contractor)s.")
                % {"names": "、".join(outsiders), "contractor": contract.contractor.name}
            }
        )


def _lock(contract: Contract) -> None:
    """Serialise numbering per contract (roster versions, report periods) between requests."""
    Contract.objects.select_for_update().filter(pk=contract.pk).first()


def _not_in_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date is in the future.")})


# Contracts (2-1, 2-2)


@transaction.atomic
def register_contract(*, by: Person, **fields: Any) -> Contract:
    """2-1: the contract with its work, term, selection method and the grounds for it."""
    contract = Contract(registered_by=by, registered_at=timezone.now(), **fields)
    contract.full_clean()
    contract.save()
    changes = {name: _plain(value) for name, value in fields.items()}
    record(ContractorEvent.CONTRACT_REGISTERED, actor=by, target=contract, changes=changes)
    return contract


@transaction.atomic
def change_contract(contract: Contract, *, by: Person, **fields: Any) -> Contract:
    """Correct or amend the contract's particulars; the audit event keeps old and new values."""
    changes = {
        name: [_plain(getattr(contract, name)), _plain(value)]
        for name, value in fields.items()
        if getattr(contract, name) != value
    }
    if not changes:
        return contract
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.full_clean()
    contract.save(update_fields=list(changes))
    record(ContractorEvent.CONTRACT_CHANGED, actor=by, target=contract, changes=changes)
    return contract


def _plain(value: Any) -> Any:
    """A value as the audit event stores it: dates in ISO 8601, records by their ID."""
    return value.isoformat() if isinstance(value, date) else getattr(value, "pk", value)


@transaction.atomic
def add_service_level(
    contract: Contract, *, item: str, target: str, by: Person
) -> ServiceLevelItem:
    """2-2-c: a service level the contractor guarantees."""
    level = ServiceLevelItem(contract=contract, item=item, target=target)
    level.full_clean()
    level.save()
    record(
        ContractorEvent.SERVICE_LEVEL_ADDED,
        actor=by,
        target=level,
        changes={"item": item, "target": target},
    )
    return level


@transaction.atomic
def add_subcontractor(contract: Contract, *, name: str, work: str, by: Person) -> Subcontractor:
    """2-2-h: a subcontractor is recorded first and works only once the city approved it."""
    subcontractor = Subcontractor(contract=contract, name=name, work=work, requested_by=by)
    subcontractor.full_clean()
    subcontractor.save()
    record(
        ContractorEvent.SUBCONTRACTOR_ADDED,
        actor=by,
        target=subcontractor,
        changes={"name": name, "work": work},
    )
    return subcontractor


@transaction.atomic
def approve_subcontractor(subcontractor: Subcontractor, *, by: Person) -> Subcontractor:
    """2-2-h: the city approves a subcontractor; not the person who asked for it (3-1)."""
    return decide(subcontractor, Subcontractor.State.APPROVED, by=by)


def upload_document(
    contract: Contract,
    *,
    kind: str,
    filename: str,
    data: bytes,
    replaces: ContractDocument | None,
    by: Person,
) -> ContractDocument:
    """2-2: store a contract or specification text with its provision check.

    The check runs first: a document it cannot read raises DocumentError and nothing is stored.
    The file is written only then, and removed again if the transaction fails.
    """
    result = check_document(filename, data)
    if replaces is not None and (replaces.contract_id != contract.pk or replaces.replaced_by_id):
        raise ValidationError({"replaces": _("Choose a current document of this contract.")})
    with stored("contracts", filename, data) as name, transaction.atomic():
        document = ContractDocument.objects.create(
            contract=contract,
            kind=kind,
            filename=filename,
            file=name,
            sha256=sha256(data),
            size=len(data),
            check_result=result.as_json(),
            uploaded_by=by,
            uploaded_at=timezone.now(),
        )
        if replaces is not None:
            replaces.replaced_by = document
            replaces.save(update_fields=["replaced_by"])
        record(
            ContractorEvent.DOCUMENT_UPLOADED,
            actor=by,
            target=document,
            changes={
                "contract": contract.pk,
                "kind": kind,
                "sha256": document.sha256,
                "replaces": replaces.pk if replaces else None,
                "missing": result.missing(),
            },
        )
    return document


@transaction.atomic
def waive_provision(
    contract: Contract, *, provision_id: str, reason: str, by: Person
) -> ProvisionWaiver:
    """2-2: the manager records why a contract lacking a provision is acceptable."""
    if provision_id not in PROVISIONS:
        raise ValidationError({"provision_id": _("Choose one of the provisions 2-2-a to 2-2-m.")})
    if provision_id not in contract.missing_provisions():
        raise ValidationError({"provision_id": _("This provision is not missing.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contract is acceptable without it.")})
    capacity = require_approving_capacity(by, timezone.now())
    waiver = ProvisionWaiver.objects.create(
        contract=contract,
        provision_id=provision_id,
        reason=reason,
        waived_by=by,
        waived_capacity=capacity,
        waived_at=timezone.now(),
    )
    record(
        ContractorEvent.PROVISION_WAIVED,
        actor=by,
        capacity=capacity,
        target=waiver,
        changes={"provision": provision_id, "reason": reason},
    )
    return waiver


# Roster (5-1)


@transaction.atomic
def submit_roster(
    contract: Contract, *, lead: Person, workers: Iterable[Person], note: str, by: Person
) -> RosterSubmission:
    """5-1: the contractor names its lead and workers; each submission is a new version."""
    workers = [worker for worker in workers if worker.pk != lead.pk]
    _of_contractor(contract, [lead], "lead")
    _of_contractor(contract, workers, "workers")
    _lock(contract)
    latest = contract.roster_submissions.order_by("-version").first()
    submission = RosterSubmission.objects.create(
        contract=contract,
        version=latest.version + 1 if latest else 1,
        submitted_by=by,
        submitted_at=timezone.now(),
        note=note,
    )
    RosterEntry.objects.create(
        submission=submission, person=lead, position=RosterEntry.Position.LEAD
    )
    RosterEntry.objects.bulk_create(
        RosterEntry(submission=submission, person=worker, position=RosterEntry.Position.WORKER)
        for worker in workers
    )
    record(
        ContractorEvent.ROSTER_SUBMITTED,
        actor=by,
        target=submission,
        changes={
            "version": submission.version,
            "lead": lead.pk,
            "workers": sorted(worker.pk for worker in workers),
        },
    )
    return submission


@transaction.atomic
def receive_roster(
    submission: RosterSubmission, *, received_on: date, by: Person
) -> RosterSubmission:
    """5-1: the manager records the day the written roster was received; it then is current."""
    _not_in_future(received_on, "received_on")
    if received_on < timezone.localdate(submission.submitted_at):
        raise ValidationError(
            {"received_on": _("The roster cannot be received before it was submitted.")}
        )
    return decide(
        submission,
        RosterSubmission.State.RECEIVED,
        by=by,
        changes={"received_on": received_on.isoformat()},
        received_on=received_on,
    )


# Pledges (5-3, 5-4)


def submit_pledge(
    contract: Contract,
    *,
    person: Person | None,
    signed_on: date,
    filename: str,
    data: bytes,
    by: Person,
) -> Pledge:
    """5-3: the signed and sealed pledge, the contractor's own or one person's.

    The scan is checked first (ScanError: nothing stored), then written, and removed again if
    the transaction fails.
    """
    validate_scan(filename, data)
    if person is not None:
        _of_contractor(contract, [person], "person")
    _not_in_future(signed_on, "signed_on")
    with stored("pledges", filename, data) as name, transaction.atomic():
        pledge = Pledge.objects.create(
            contract=contract,
            person=person,
            signed_on=signed_on,
            filename=filename,
            scan=name,
            sha256=sha256(data),
            submitted_by=by,
            submitted_at=timezone.now(),
        )
        record(
            ContractorEvent.PLEDGE_SUBMITTED,
            actor=by,
            target=pledge,
            changes={
                "contract": contract.pk,
                "person": person.pk if person else None,
                "signed_on": signed_on.isoformat(),
                "sha256": pledge.sha256,
            },
        )
    return pledge


@transaction.atomic
def confirm_pledge(pledge: Pledge, *, by: Person) -> Pledge:
    """5-4: the manager confirms the pledge was collected; never the one who signed it."""
    return decide(pledge, Pledge.State.CONFIRMED, by=by)


# Training (5-5, 5-6)


@transaction.atomic
def record_training(
    contract: Contract,
    *,
    held_on: date,
    content: str,
    material: str,
    trainer: str,
    attendees: Iterable[Person],
    by: Person,
) -> TrainingSession:
    """5-6: a training session on the policy and who attended it."""
    attendees = list(attendees)
    if not attendees:
        raise ValidationError({"attendees": _("Choose at least one attendee.")})
    _of_contractor(contract, attendees, "attendees")
    _not_in_future(held_on, "held_on")
    session = TrainingSession.objects.create(
        contract=contract,
        held_on=held_on,
        content=content,
        material=material,
        trainer=trainer,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    session.attendees.set(attendees)
    record(
        ContractorEvent.TRAINING_RECORDED,
        actor=by,
        target=session,
        changes={
            "held_on": held_on.isoformat(),
            "material": material,
            "trainer": trainer,
            "attendees": sorted(person.pk for person in attendees),
        },
    )
    return session


# Periodic reports (5-10, 5-7, 5-8, 5-5)


@transaction.atomic
def submit_report(
    contract: Contract,
    *,
    period_start: date,
    no_copying: bool,
    no_third_party: bool,
    policy_obeyed: bool,
    text: str,
    by: Person,
) -> PeriodicReport:
    """5-10: the contractor's report for one period of the schedule, with its attestations."""
    _lock(contract)
    periods = dict(contract.report_periods(timezone.localdate()))
    if period_start not in periods:
        raise ValidationError({"period_start": _("Choose a reporting period that has begun.")})
    if contract.periodic_reports.filter(period_start=period_start).exists():
        raise ValidationError({"period_start": _("This period has already been reported.")})
    report = PeriodicReport.objects.create(
        contract=contract,
        period_start=period_start,
        period_end=periods[period_start],
        no_copying=no_copying,
        no_third_party=no_third_party,
        policy_obeyed=policy_obeyed,
        text=text,
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    record(
        ContractorEvent.REPORT_SUBMITTED,
        actor=by,
        target=report,
        changes={
            "period_start": period_start.isoformat(),
            "no_copying": no_copying,
            "no_third_party": no_third_party,
            "policy_obeyed": policy_obeyed,
        },
    )
    return report


@transaction.atomic
def review_report(report: PeriodicReport, *, comment: str, by: Person) -> PeriodicReport:
    """5-10: the manager reads the report and records the review."""
    return decide(report, PeriodicReport.State.REVIEWED, by=by, note=comment)


@transaction.atomic
def return_report(report: PeriodicReport, *, reason: str, by: Person) -> PeriodicReport:
    """5-10: the manager sends the report back (差戻し) and says what to correct."""
    if not reason.strip():
        raise ValidationError({"comment": _("Say why the report is sent back.")})
    return decide(report, PeriodicReport.State.RETURNED, by=by, note=reason)


@transaction.atomic
def resubmit_report(
    report: PeriodicReport,
    *,
    no_copying: bool,
    no_third_party: bool,
    policy_obeyed: bool,
    text: str,
    by: Person,
) -> PeriodicReport:
    """5-10: the contractor corrects a report sent back and submits it again."""
    _of_contractor(report.contract, [by], "text")
    values: dict[str, Any] = {
        "no_copying": no_copying,
        "no_third_party": no_third_party,
        "policy_obeyed": policy_obeyed,
        "text": text,
    }
    return decide(report, PeriodicReport.State.SUBMITTED, by=by, changes=values, **values)


# Inspections (5-11, 2-2-k)


@transaction.atomic
def record_inspection(
    contract: Contract,
    *,
    trigger: str,
    held_on: date,
    findings: str,
    copying_found: bool = False,
    third_party_found: bool = False,
    by: Person,
) -> Inspection:
    """5-11: an inspection by the city, with its trigger, findings and the 5-7/5-8 items."""
    _not_in_future(held_on, "held_on")
    capacity = require_approving_capacity(by, timezone.now())
    inspection = Inspection(
        contract=contract,
        trigger=trigger,
        held_on=held_on,
        findings=findings,
        copying_found=copying_found,
        third_party_found=third_party_found,
        recorded_by=by,
        recorded_capacity=capacity,
        recorded_at=timezone.now(),
    )
    inspection.full_clean()
    inspection.save()
    record(
        ContractorEvent.INSPECTION_RECORDED,
        actor=by,
        capacity=capacity,
        target=inspection,
        changes={
            "trigger": trigger,
            "held_on": held_on.isoformat(),
            "findings": findings,
            "copying_found": copying_found,
            "third_party_found": third_party_found,
        },
    )
    return inspection


@transaction.atomic
def add_corrective_action(
    inspection: Inspection, *, description: str, owner: Person, due_on: date, by: Person
) -> CorrectiveAction:
    """5-11: act at once on a breach found: what, by whom, by when."""
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    inspection.refresh_from_db(fields=["state"])
    if inspection.state != Inspection.State.OPEN:
        raise ValidationError(_("The inspection is closed."))
    action = CorrectiveAction.objects.create(
        inspection=inspection, description=description, owner=owner, due_on=due_on
    )
    record(
        ContractorEvent.CORRECTIVE_ACTION_ADDED,
        actor=by,
        target=action,
        changes={"description": description, "owner": owner.pk, "due_on": due_on.isoformat()},
    )
    return action


@transaction.atomic
def complete_corrective_action(
    action: CorrectiveAction, *, done_on: date, note: str, by: Person
) -> CorrectiveAction:
    _not_in_future(done_on, "done_on")
    return decide(
        action,
        CorrectiveAction.State.DONE,
        by=by,
        note=note,
        changes={"done_on": done_on.isoformat()},
        done_on=done_on,
    )


@transaction.atomic
def close_inspection(inspection: Inspection, *, note: str, by: Person) -> Inspection:
    """5-11: an inspection closes once every corrective action is done; one that found a
    breach (copying, provision to a third party) closes only once at least one corrective
    action exists and all are done: a breach is acted on, not closed the same minute."""
    # Locked, so a corrective action cannot be added between this check and the close.
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    if inspection.actions.open().exists():
        raise ValidationError(_("Corrective actions are still open."))
    breach = inspection.copying_found or inspection.third_party_found
    if breach and not inspection.actions.exists():
        raise ValidationError(
            _("The inspection found a breach: record a corrective action and finish it before "
              "closing (5-11).")
        )  # fmt: skip
    return decide(inspection, Inspection.State.CLOSED, by=by, note=note)


# End of the work (2-2-i)


@transaction.atomic
def add_return_item(
    contract: Contract, *, asset: str, quantity: int, method: str, by: Person
) -> ReturnItem:
    """2-2-i: an information asset handed over, on the return/disposal checklist."""
    if hasattr(contract, "disposal_certificate"):
        raise ValidationError(_("The checklist is closed by the disposal certificate."))
    item = ReturnItem(contract=contract, asset=asset, quantity=quantity, method=method)
    item.full_clean()
    item.save()
    record(
        ContractorEvent.RETURN_ITEM_ADDED,
        actor=by,
        target=item,
        changes={"asset": asset, "quantity": quantity, "method": method},
    )
    return item


@transaction.atomic
def complete_return_item(item: ReturnItem, *, done_on: date, by: Person) -> ReturnItem:
    _not_in_future(done_on, "done_on")
    return decide(
        item,
        ReturnItem.State.DONE,
        by=by,
        changes={"done_on": done_on.isoformat()},
        done_on=done_on,
    )


@transaction.atomic
def certify_disposal(
    contract: Contract,
    *,
    what: str,
    how_many: int,
    how: str,
    disposed_on: date,
    witnessed_by: str,
    by: Person,
) -> DisposalCertificate:
    """2-2-i: the disposal certificate closes the checklist once every item is done."""
    if hasattr(contract, "disposal_certificate"):
        raise ValidationError(_("A disposal certificate is already recorded."))
    if not contract.return_items.exists():
        raise ValidationError(_("List the information assets handed over first."))
    if contract.return_items.filter(state=ReturnItem.State.PENDING).exists():
        raise ValidationError(_("Items on the checklist are not yet returned or disposed of."))
    _not_in_future(disposed_on, "disposed_on")
    capacity = require_approving_capacity(by, timezone.now())
    certificate = DisposalCertificate.objects.create(
        contract=contract,
        what=what,
        how_many=how_many,
        how=how,
        disposed_on=disposed_on,
        witnessed_by=witnessed_by,
        confirmed_by=by,
        confirmed_capacity=capacity,
        confirmed_at=timezone.now(),
    )
    record(
        ContractorEvent.DISPOSAL_CERTIFIED,
        actor=by,
        capacity=capacity,
        target=certificate,
        changes={
            "what": what,
            "how_many": how_many,
            "how": how,
            "disposed_on": disposed_on.isoformat(),
            "witnessed_by": witnessed_by,
        },
    )
    return certificate
