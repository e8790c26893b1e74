"""What the contract and the contractor's records prove: 2-1, 2-2-a … 2-2-m and 5-1 … 5-11.

Chapter 2 is checked on every contract that is or will be in force: a contract registered in
advance must have its provisions before it starts, and its findings name it. Chapter 5 looks at
the contracts in force on the day; with none there is no evidence yet. 5-9 (what is carried into
the area) is proven by the entry desk. Only records that show compliance count as evidence (a
reviewed report, an approved subcontractor, a received roster), never what still waits for a
decision. Messages stay lazy (`lazy_message`) so the dashboard and `itaku compliance` render
them in the reader's language.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaku.area.compliance import registered_areas
from itaku.area.models import Area
from itaku.contractors.admission import pledge_confirmed
from itaku.contractors.contract_check import PROVISIONS
from itaku.contractors.models import (
    Contract,
    ContractDocument,
    CorrectiveAction,
    DisposalCertificate,
    Inspection,
    PeriodicReport,
    Pledge,
    ProvisionStatus,
    ProvisionWaiver,
    RosterEntry,
    RosterSubmission,
    SelectionMethod,
    ServiceLevelItem,
    Subcontractor,
    TrainingSession,
    training_valid_from,
)
from itaku.core.bilingual import lazy_message
from itaku.core.dates import display_date_lazy
from itaku.people.compliance import roles_on
from itaku.people.models import Person
from itaku.people.roles import Role
from itaku.policy.reads import attach, memo, read, source
from itaku.policy.registry import Evidence, Finding, check


@source("contractors.contracts")
def _contracts(at: datetime) -> QuerySet[Contract]:
    """The contracts in force or coming (ending on the day of `at` or later)."""
    day = timezone.localdate(at)
    return (
        Contract.objects.filter(ends_on__gte=day)
        .select_related("contractor", "city_responsible")
        .order_by("starts_on", "pk")
    )


# What the checks read of those contracts: each related table, with the contracts' filter.
_CONTRACT_RELATIONS: dict[str, tuple[type[models.Model], str, str]] = {
    "contractors.documents": (ContractDocument, "contract", "contract__ends_on__gte"),
    "contractors.waivers": (ProvisionWaiver, "contract", "contract__ends_on__gte"),
    "contractors.service_levels": (ServiceLevelItem, "contract", "contract__ends_on__gte"),
    "contractors.subcontractors": (Subcontractor, "contract", "contract__ends_on__gte"),
    "contractors.pledges": (Pledge, "contract", "contract__ends_on__gte"),
    "contractors.periodic_reports": (PeriodicReport, "contract", "contract__ends_on__gte"),
    "contractors.inspections": (Inspection, "contract", "contract__ends_on__gte"),
    "contractors.actions": (CorrectiveAction, "inspection", "inspection__contract__ends_on__gte"),
}


def _related_source(key: str, model: type[models.Model], lookup: str) -> None:
    source(key)(lambda at: model._default_manager.filter(**{lookup: timezone.localdate(at)}))


for _key, (_model, _field, _lookup) in _CONTRACT_RELATIONS.items():
    _related_source(_key, _model, _lookup)


@source("contractors.received_rosters")
def _received_rosters(at: datetime) -> QuerySet[RosterSubmission]:
    return RosterSubmission.objects.filter(
        state=RosterSubmission.State.RECEIVED, contract__ends_on__gte=timezone.localdate(at)
    ).order_by("-version")


@source("contractors.roster_entries")
def _roster_entries(at: datetime) -> QuerySet[RosterEntry]:
    return RosterEntry.objects.filter(
        submission__state=RosterSubmission.State.RECEIVED,
        submission__contract__ends_on__gte=timezone.localdate(at),
    ).select_related("person")


def _read_contracts(at: datetime) -> list[Contract]:
    """The contracts in force or coming with everything the checks read of them, read together
    with the report's other sources (`itaku.policy.reads`)."""
    contracts: list[Contract] = read("contractors.contracts", at)
    inspections = read("contractors.inspections", at)
    for key, (model, field, _lookup) in _CONTRACT_RELATIONS.items():
        parents = inspections if model is CorrectiveAction else contracts
        attach(parents, read(key, at), model, field)
    rosters = read("contractors.received_rosters", at)
    attach(rosters, read("contractors.roster_entries", at), RosterEntry, "submission")
    attach(contracts, rosters, RosterSubmission, "contract", to_attr="received_rosters")
    return contracts


def _in_force_or_coming(at: datetime) -> list[Contract]:
    """Contracts in force or registered to start later (chapter 2): checked before they start."""
    return memo(("contractors.contracts", at), lambda: _read_contracts(at))


def _current(at: datetime) -> list[Contract]:
    """Contracts in force on the day of `at` (chapter 5), latest first."""
    day = timezone.localdate(at)
    current = [contract for contract in _in_force_or_coming(at) if contract.starts_on <= day]
    current.sort(key=lambda contract: contract.title)
    current.sort(key=lambda contract: contract.starts_on, reverse=True)
    return current


def _roster(contract: Contract) -> RosterSubmission | None:
    """The current roster (the latest received) of a contract read by `_in_force_or_coming`."""
    received: list[RosterSubmission] = contract.received_rosters  # type: ignore[attr-defined]
    return received[0] if received else None


def contracts_in_force(at: datetime) -> list[Contract]:
    """The contracts in force on the day of `at`, as the report read them."""
    return _current(at)


def received_roster(contract: Contract) -> list[int]:
    """The people on the current roster (the latest received) of a contract in force."""
    roster = _roster(contract)
    return [] if roster is None else [entry.person_id for entry in roster.entries.all()]


def rostered_people(at: datetime) -> set[int]:
    """The people the current roster of a contract in force names, of that contractor: those
    `rostered_contracts` finds a contract for."""
    return {
        entry.person_id
        for contract in _current(at)
        if (roster := _roster(contract)) is not None
        for entry in roster.entries.all()
        if entry.person.organization_id == contract.contractor_id
    }


def _provisions(contract: Contract) -> dict[str, ProvisionStatus]:
    return memo(("contractors.provisions", contract.pk), contract.provision_status)


def _name(contract: Contract, at: datetime) -> Promise | str:
    """The contract as findings name it; one not yet in force says when it starts."""
    if contract.starts_on > timezone.localdate(at):
        return lazy_message(
            _("%(contract)s (from %(start)s)"),
            contract=contract.title,
            start=display_date_lazy(contract.starts_on),
        )
    return contract.title


def _contract_url(contract: Contract) -> str:
    return reverse("contractors:contract_detail", args=[contract.pk])


@check("2-1")
def selection_method_recorded(at: datetime) -> Evidence:
    """2-1: each contract in force or coming records how the contractor was chosen and why."""
    contracts = _in_force_or_coming(at)
    findings = [
        Finding(
            lazy_message(
                _("%(contract)s: the grounds for the selection method are not recorded."),
                contract=_name(contract, at),
            ),
            reverse("contractors:contract_edit", args=[contract.pk]),
        )
        for contract in contracts
        if not contract.selection_grounds.strip()
    ]
    facts = [
        lazy_message(
            _("%(contract)s: %(method)s"),
            contract=_name(contract, at),
            method=SelectionMethod(contract.selection_method).label,
        )
        for contract in contracts
    ]
    return Evidence(
        count=len(contracts) - len(findings), findings=tuple(findings), facts=tuple(facts)
    )


def _provision_check(provision_id: str) -> None:
    def provision_in_documents(at: datetime) -> Evidence:
        """2-2-x: found in a current document of each contract in force or coming, or waived.

        A contract not yet in force that lacks the provision needs attention before it starts;
        each fact names the contract whose text it cites.
        """
        count, findings, facts = 0, [], []
        for contract in _in_force_or_coming(at):
            name = _name(contract, at)
            status = _provisions(contract)[provision_id]
            upload = reverse("contractors:document_upload", args=[contract.pk])
            if not status.checked:
                findings.append(
                    Finding(
                        lazy_message(
                            _("%(contract)s: no contract or specification text is uploaded."),
                            contract=name,
                        ),
                        upload,
                    )
                )
            elif status.present:
                count += 1
                document, passages = status.found_in[0]
                facts.append(
                    lazy_message(
                        _("%(contract)s: %(file)s, %(where)s"),
                        contract=name,
                        file=document.filename,
                        where=passages[0]["where"] if passages else "",
                    )
                )
            elif status.waiver is not None:
                count += 1
                facts.append(
                    lazy_message(
                        _("%(contract)s: accepted without it: %(reason)s"),
                        contract=name,
                        reason=status.waiver.reason,
                    )
                )
            else:
                findings.append(
                    Finding(
                        lazy_message(
                            _("%(contract)s: the provision is missing from the uploaded texts."),
                            contract=name,
                        ),
                        _contract_url(contract),
                    )
                )
        return Evidence(count=count, findings=tuple(findings), facts=tuple(facts))

    provision_in_documents.__name__ = f"provision_{provision_id.replace('-', '_')}"
    check(provision_id)(provision_in_documents)


for _provision_id in PROVISIONS:
    _provision_check(_provision_id)


@check("2-2-c")
def service_levels_recorded(at: datetime) -> Evidence:
    """2-2-c: the service levels the contractor guarantees are recorded."""
    contracts = _in_force_or_coming(at)
    findings = [
        Finding(
            lazy_message(
                _("%(contract)s: no service-level item is recorded."),
                contract=_name(contract, at),
            ),
            _contract_url(contract),
        )
        for contract in contracts
        if not contract.service_levels.all()
    ]
    return Evidence(count=len(contracts) - len(findings), findings=tuple(findings))


@check("2-2-h")
def subcontractors_approved(at: datetime) -> Evidence:
    """2-2-h: every subcontractor of a contract in force or coming is approved by the city."""
    contracts = _in_force_or_coming(at)
    findings = [
        Finding(
            lazy_message(
                _("%(contract)s: subcontractor %(name)s is not approved by the city."),
                contract=_name(contract, at),
                name=subcontractor.name,
            ),
            _contract_url(contract),
        )
        for contract in contracts
        for subcontractor in contract.subcontractors.all()
        if subcontractor.state != Subcontractor.State.APPROVED
    ]
    approved = sum(
        subcontractor.state == Subcontractor.State.APPROVED
        for contract in contracts
        for subcontractor in contract.subcontractors.all()
    )
    return Evidence(count=approved, findings=tuple(findings))


@source("contractors.ended")
def _ended(at: datetime) -> QuerySet[Contract]:
    """Contracts whose term has ended, and whether a disposal certificate closes each."""
    certificate = DisposalCertificate.objects.filter(contract=OuterRef("pk"))
    ended = Contract.objects.filter(ends_on__lt=timezone.localdate(at))
    return ended.annotate(closed=Exists(certificate))


@check("2-2-i")
def assets_returned_at_the_end(at: datetime) -> Evidence:
    """2-2-i: a contract whose term has ended is closed by a disposal certificate."""
    ended = read("contractors.ended", at)
    findings = [
        Finding(
            lazy_message(
                _("%(contract)s: the term has ended without a disposal certificate."),
                contract=contract.title,
            ),
            reverse("contractors:end_of_work", args=[contract.pk]),
        )
        for contract in ended
        if not contract.closed
    ]
    closed = sum(1 for contract in ended if contract.closed)
    return Evidence(count=closed, findings=tuple(findings))


@check("5-1")
def roster_received(at: datetime) -> Evidence:
    """5-1: the contractor named its lead and workers in a roster the manager received."""
    count, findings, facts = 0, [], []
    for contract in _current(at):
        roster = _roster(contract)
        if roster is None or roster.received_on is None:  # a current roster is a received one
            findings.append(
                Finding(
                    lazy_message(
                        _("%(contract)s: the manager has received no roster."),
                        contract=contract.title,
                    ),
                    reverse("contractors:roster", args=[contract.pk]),
                )
            )
            continue
        count += 1
        facts.append(
            lazy_message(
                _("Roster version %(version)s, received on %(on)s, %(people)s people"),
                version=roster.version,
                on=display_date_lazy(roster.received_on),
                people=len(roster.entries.all()),
            )
        )
    return Evidence(count=count, findings=tuple(findings), facts=tuple(facts))


def _holds(person: Person, roles: set[Role], day: date) -> bool:
    return bool(roles_on(day).get(person.pk, set()) & roles)


def _same_place(named: str, area: Area) -> bool:
    """The contract's work place names the registered area (its place or its name)."""
    named = "".join(named.split())
    return any(
        candidate and (candidate in named or named in candidate)
        for candidate in ("".join(area.place.split()), "".join(area.name.split()))
    )


def _named_mismatches(contract: Contract, at: datetime) -> list[Promise]:
    """2-2-b: what the contract names that the records contradict, each mismatch named."""
    day = max(timezone.localdate(at), contract.starts_on)
    name = _name(contract, at)
    found: list[Promise] = []
    if not _holds(contract.city_responsible, {Role.MANAGER}, day):
        found.append(
            lazy_message(
                _("%(contract)s: the city's responsible person %(person)s is not the designated "
                  "manager."),
                contract=name,
                person=contract.city_responsible.name,
            )
        )  # fmt: skip
    areas = registered_areas(at)
    if not any(_same_place(contract.work_place, area) for area in areas):
        found.append(
            lazy_message(
                _("%(contract)s: the work place %(place)s is not a registered controlled area."),
                contract=name,
                place=contract.work_place,
            )
        )
    roster = _roster(contract)
    if roster is None:
        return found
    entries = list(roster.entries.all())
    if not any(entry.position == RosterEntry.Position.LEAD for entry in entries):
        found.append(
            lazy_message(_("%(contract)s: the roster names no contractor lead."), contract=name)
        )
    for entry in entries:
        lead = entry.position == RosterEntry.Position.LEAD
        role = Role.CONTRACTOR_LEAD if lead else Role.CONTRACTOR_WORKER
        if entry.person.organization_id != contract.contractor_id:
            found.append(
                lazy_message(
                    _("%(contract)s: %(person)s on the roster does not belong to %(contractor)s."),
                    contract=name,
                    person=entry.person.name,
                    contractor=contract.contractor.name,
                )
            )
        elif not _holds(entry.person, {role}, day):
            found.append(
                lazy_message(
                    _("%(contract)s: %(person)s is on the roster as %(position)s but does not "
                      "hold that role."),
                    contract=name,
                    person=entry.person.name,
                    position=entry.get_position_display(),
                )
            )  # fmt: skip
    return found


@check("2-2-b")
def named_people_and_place_match(at: datetime) -> Evidence:
    """2-2-b: the city's responsible person is the designated manager, the roster names a lead
    and workers of the contractor holding those roles, and the work place is a registered area."""
    count, findings, facts = 0, list[Finding](), list[Promise]()
    for contract in _in_force_or_coming(at):
        mismatches = _named_mismatches(contract, at)
        findings.extend(Finding(text, _contract_url(contract)) for text in mismatches)
        if not mismatches:
            count += 1
            facts.append(
                lazy_message(
                    _("%(contract)s: %(person)s, %(place)s"),
                    contract=_name(contract, at),
                    person=contract.city_responsible.name,
                    place=contract.work_place,
                )
            )
    return Evidence(count=count, findings=tuple(findings), facts=tuple(facts))


def _rostered(contract: Contract) -> list[Person]:
    roster = _roster(contract)
    if roster is None:
        return []
    return [entry.person for entry in roster.entries.all()]


@check("5-3")
def pledges_submitted(at: datetime) -> Evidence:
    """5-3: each current contract has the contractor's signed and sealed pledge."""
    count, findings, facts = 0, [], []
    for contract in _current(at):
        # The latest the contractor submitted, whatever its state (pledges read latest first).
        pledge = next((p for p in contract.pledges.all() if p.person_id is None), None)
        if pledge is None:
            findings.append(
                Finding(
                    lazy_message(
                        _("%(contract)s: the contractor's pledge is not submitted."),
                        contract=contract.title,
                    ),
                    reverse("contractors:pledges", args=[contract.pk]),
                )
            )
            continue
        count += 1
        facts.append(
            lazy_message(
                _("%(contractor)s signed the pledge on %(on)s"),
                contractor=contract.contractor.name,
                on=display_date_lazy(pledge.signed_on),
            )
        )
    return Evidence(count=count, findings=tuple(findings), facts=tuple(facts))


@check("5-4", "5-2")
def pledges_confirmed(at: datetime) -> Evidence:
    """5-4: every rostered person is covered by a pledge the manager confirmed."""
    count, findings = 0, []
    for contract in _current(at):
        for person in _rostered(contract):
            if pledge_confirmed(person, contract):
                count += 1
            else:
                findings.append(
                    Finding(
                        lazy_message(_("%(person)s has no confirmed pledge."), person=person.name),
                        reverse("contractors:pledges", args=[contract.pk]),
                    )
                )
    return Evidence(count=count, findings=tuple(findings))


@check("5-6", "5-5", "5-2", "2-2-d")
def rostered_people_trained(at: datetime) -> Evidence:
    """5-6: every rostered person trained within the configured period."""
    valid_from = training_valid_from(timezone.localdate(at))
    last_trained = _last_trained(at)
    count, findings = 0, []
    for contract in _current(at):
        training = reverse("contractors:training", args=[contract.pk])
        for person in _rostered(contract):
            trained = last_trained.get(person.pk)
            if trained is None:
                findings.append(
                    Finding(
                        lazy_message(_("%(person)s has never been trained."), person=person.name),
                        training,
                    )
                )
            elif trained < valid_from:
                findings.append(
                    Finding(
                        lazy_message(
                            _("%(person)s was last trained on %(day)s, too long ago."),
                            person=person.name,
                            day=display_date_lazy(trained),
                        ),
                        training,
                    )
                )
            else:
                count += 1
    return Evidence(count=count, findings=tuple(findings))


@source("contractors.last_trained")
def _latest_trainings(at: datetime) -> QuerySet[Any]:
    return TrainingSession.objects.values("attendees").annotate(last=Max("held_on"))


def _last_trained(at: datetime) -> dict[int, date]:
    """Each person's latest training (`last_trained_on`), for everyone, read with the report."""
    return {
        row["attendees"]: row["last"]
        for row in read("contractors.last_trained", at)
        if row["attendees"] is not None
    }


def _report_url(report: PeriodicReport) -> str:
    return reverse("contractors:report_detail", args=[report.pk])


def _inspected_since(contract: Contract, day: date) -> bool:
    """A properly closed inspection held on or after `day` (the day a report was submitted):
    the city looked into what the report could not rule out (5-11)."""
    return any(
        inspection.held_on >= day and _properly_closed(inspection)
        for inspection in contract.inspections.all()
        if inspection.state == Inspection.State.CLOSED
    )


def _attestations(at: datetime, field: str, finding: Promise) -> Evidence:
    """A report that does not attest `field` needs attention as soon as it is submitted, not
    once it is reviewed; it is settled by a properly closed inspection held since it was
    submitted (5-11). Only reviewed reports, attesting or so settled, count as evidence."""
    reports = sorted(
        (
            report
            for contract in _current(at)
            for report in contract.periodic_reports.all()
            if report.submitted_at is not None and report.submitted_at <= at
        ),
        key=lambda report: report.period_start,
    )
    settled = {
        report.pk: bool(getattr(report, field))
        or _inspected_since(report.contract, timezone.localdate(report.submitted_at))
        for report in reports
    }
    findings = [
        Finding(
            lazy_message(
                finding,
                contract=report.contract.title,
                period=display_date_lazy(report.period_start),
            ),
            _report_url(report),
        )
        for report in reports
        if not settled[report.pk]
    ]
    attested = [report for report in reports if report.reviewed and settled[report.pk]]
    return Evidence(count=len(attested), findings=tuple(findings))


def _current_inspections(at: datetime) -> list[Inspection]:
    """The inspections of the contracts in force, latest first (as `Inspection` orders them)."""
    inspections = [
        inspection for contract in _current(at) for inspection in contract.inspections.all()
    ]
    inspections.sort(key=lambda inspection: inspection.held_on, reverse=True)
    return inspections


def _breach_found(inspection: Inspection) -> bool:
    return inspection.copying_found or inspection.third_party_found


def _properly_closed(inspection: Inspection) -> bool:
    """5-11: closed, and if it found a breach, with corrective actions that are all done."""
    if inspection.state != Inspection.State.CLOSED:
        return False
    if not _breach_found(inspection):
        return True
    states = {action.state for action in inspection.actions.all()}
    return bool(states) and states <= {CorrectiveAction.State.DONE}


def _found_in_inspections(at: datetime, field: str, finding: Promise) -> Evidence:
    """An inspection that found the breach keeps the clause red until it is closed with its
    corrective actions done, however the closure was written."""
    found = [inspection for inspection in _current_inspections(at) if getattr(inspection, field)]
    findings = [
        Finding(
            lazy_message(
                finding,
                contract=inspection.contract.title,
                on=display_date_lazy(inspection.held_on),
            ),
            reverse("contractors:inspection_detail", args=[inspection.pk]),
        )
        for inspection in found
        if not _properly_closed(inspection)
    ]
    return Evidence(count=0, findings=tuple(findings))


@check("5-7")
def no_copying_found_in_inspections(at: datetime) -> Evidence:
    """5-7: an inspection item; copying found stays a finding until the inspection closes."""
    message = _("%(contract)s: the inspection of %(on)s found copying or reproduction.")
    return _found_in_inspections(at, "copying_found", message)


@check("5-8")
def no_third_party_found_in_inspections(at: datetime) -> Evidence:
    """5-8: an inspection item; provision to a third party found stays a finding until closed."""
    message = _("%(contract)s: the inspection of %(on)s found provision to a third party.")
    return _found_in_inspections(at, "third_party_found", message)


@check("5-7")
def no_copying_attested(at: datetime) -> Evidence:
    """5-7: each periodic report attests that nothing was copied or reproduced."""
    message = _("%(contract)s, report from %(period)s: copying or reproduction not ruled out.")
    return _attestations(at, "no_copying", message)


@check("5-8")
def no_third_party_attested(at: datetime) -> Evidence:
    """5-8: each periodic report attests that nothing went to a third party."""
    message = _("%(contract)s, report from %(period)s: provision to third parties not ruled out.")
    return _attestations(at, "no_third_party", message)


@check("5-5")
def policy_obeyed_attested(at: datetime) -> Evidence:
    """5-5: each periodic report attests that the policy was obeyed."""
    message = _("%(contract)s, report from %(period)s: obeying the policy is not attested.")
    return _attestations(at, "policy_obeyed", message)


@check("5-10", "2-2-j")
def reports_on_schedule(at: datetime) -> Evidence:
    """5-10: a report for every period of the schedule, reviewed by the manager.

    A period is done only when its report is reviewed: one left unreviewed, or sent back
    (差戻し) and left uncorrected, longer than the grace period needs attention, like one never
    submitted.
    """
    day = timezone.localdate(at)
    grace = timedelta(days=settings.ITAKU_REPORT_GRACE_DAYS)
    count, findings, facts = 0, [], []
    for contract in _current(at):
        for start, end in contract.overdue_report_periods(day):
            findings.append(
                Finding(
                    lazy_message(
                        _("%(contract)s: the report for %(start)s to %(end)s is overdue."),
                        contract=contract.title,
                        start=display_date_lazy(start),
                        end=display_date_lazy(end),
                    ),
                    reverse("contractors:reports", args=[contract.pk]),
                )
            )
        # The latest step (submission, send-back, resubmission) starts the wait.
        for report in contract.periodic_reports.all():
            if report.reviewed:
                continue
            since = report.decided_at or report.submitted_at
            if timezone.localdate(since) + grace >= day:
                continue
            message = (
                _("%(contract)s: the report from %(start)s has waited for review since "
                  "%(since)s.")
                if report.state == PeriodicReport.State.SUBMITTED
                else _("%(contract)s: the report from %(start)s was sent back on %(since)s "
                       "and has not been corrected.")
            )  # fmt: skip
            findings.append(
                Finding(
                    lazy_message(
                        message,
                        contract=contract.title,
                        start=display_date_lazy(report.period_start),
                        since=display_date_lazy(since),
                    ),
                    _report_url(report),
                )
            )
        reviewed = sum(report.reviewed for report in contract.periodic_reports.all())
        count += reviewed
        facts.append(
            lazy_message(
                _("%(contract)s: %(reviewed)s reports reviewed"),
                contract=contract.title,
                reviewed=reviewed,
            )
        )
    return Evidence(count=count, findings=tuple(findings), facts=tuple(facts))


@source("contractors.overdue_actions")
def _overdue_actions(at: datetime) -> QuerySet[CorrectiveAction]:
    day = timezone.localdate(at)
    return CorrectiveAction.objects.overdue(day).select_related("inspection__contract")


@check("5-11", "2-2-k")
def corrective_actions_on_time(at: datetime) -> Evidence:
    """5-11: inspections are recorded; one that found a breach has corrective actions, done by
    their due date, before it closes."""
    findings: list[Finding] = []
    overdue = read("contractors.overdue_actions", at)
    findings.extend(
        Finding(
            lazy_message(
                _("%(contract)s: corrective action due %(due)s is overdue: %(action)s"),
                contract=action.inspection.contract.title,
                due=display_date_lazy(action.due_on),
                action=action.description[:60],
            ),
            reverse("contractors:inspection_detail", args=[action.inspection_id]),
        )
        for action in overdue
    )
    inspections = _current_inspections(at)
    sound = 0
    for inspection in inspections:
        url = reverse("contractors:inspection_detail", args=[inspection.pk])
        problem = None
        if inspection.state == Inspection.State.CLOSED and not _properly_closed(inspection):
            problem = _("%(contract)s: the inspection of %(on)s found a breach and was closed "
                        "without corrective actions all done.")  # fmt: skip
        elif _breach_found(inspection) and not inspection.actions.all():
            problem = _("%(contract)s: the inspection of %(on)s found a breach and no "
                        "corrective action is recorded.")  # fmt: skip
        if problem is None:
            sound += 1
            continue
        findings.append(
            Finding(
                lazy_message(
                    problem,
                    contract=inspection.contract.title,
                    on=display_date_lazy(inspection.held_on),
                ),
                url,
            )
        )
    facts = [
        lazy_message(
            _("Inspection of %(on)s (%(trigger)s): %(state)s"),
            on=display_date_lazy(inspection.held_on),
            trigger=Inspection.Trigger(inspection.trigger).label,
            state=Inspection.State(inspection.state).label,
        )
        for inspection in inspections
    ]
    return Evidence(count=sound, findings=tuple(findings), facts=tuple(facts))
