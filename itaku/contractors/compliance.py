"""What the contract and the contractor's records prove: 2-1, 2-2-a … 2-2-m and 5-1 … 5-11.

Each check looks at the contracts whose term covers the day; with no current contract there is
no evidence yet. 5-9 (what is carried into the area) is proven by the entry desk. Messages stay
lazy (`lazy_message`) so the dashboard and `itaku compliance` render them in the reader's language.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaku.contractors.admission import pledge_confirmed
from itaku.contractors.contract_check import PROVISIONS
from itaku.contractors.models import (
    Contract,
    CorrectiveAction,
    Inspection,
    PeriodicReport,
    SelectionMethod,
    Subcontractor,
    last_trained_on,
    training_valid_from,
)
from itaku.core.bilingual import lazy_message
from itaku.core.dates import display_date_lazy
from itaku.people.models import Person
from itaku.policy.registry import Evidence, check


def _current(at: datetime) -> list[Contract]:
    return list(Contract.objects.current(timezone.localdate(at)).select_related("contractor"))


@check("2-1")
def selection_method_recorded(at: datetime) -> Evidence:
    """2-1: each current contract records how the contractor was chosen and why."""
    contracts = _current(at)
    findings = [
        lazy_message(
            _("%(contract)s: the grounds for the selection method are not recorded."),
            contract=contract.title,
        )
        for contract in contracts
        if not contract.selection_grounds.strip()
    ]
    facts = [
        lazy_message(
            _("%(contract)s: %(method)s"),
            contract=contract.title,
            method=SelectionMethod(contract.selection_method).label,
        )
        for contract in contracts
    ]
    return Evidence(count=len(contracts), findings=tuple(findings), facts=tuple(facts))


def _provision_check(provision_id: str) -> None:
    def provision_in_documents(at: datetime) -> Evidence:
        """2-2-x: found in a current document of each current contract, or waived."""
        count, findings, facts = 0, [], []
        for contract in _current(at):
            status = contract.provision_status()[provision_id]
            if not status.checked:
                findings.append(
                    lazy_message(
                        _("%(contract)s: no contract or specification text is uploaded."),
                        contract=contract.title,
                    )
                )
            elif status.present:
                count += 1
                document, passages = status.found_in[0]
                facts.append(
                    lazy_message(
                        _("%(file)s, %(where)s"),
                        file=document.filename,
                        where=passages[0]["where"] if passages else "",
                    )
                )
            elif status.waiver is not None:
                count += 1
                facts.append(
                    lazy_message(
                        _("%(contract)s: accepted without it: %(reason)s"),
                        contract=contract.title,
                        reason=status.waiver.reason,
                    )
                )
            else:
                findings.append(
                    lazy_message(
                        _("%(contract)s: the provision is missing from the uploaded texts."),
                        contract=contract.title,
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
    contracts = _current(at)
    findings = [
        lazy_message(_("%(contract)s: no service-level item is recorded."), contract=contract.title)
        for contract in contracts
        if not contract.service_levels.exists()
    ]
    return Evidence(count=len(contracts) - len(findings), findings=tuple(findings))


@check("2-2-h")
def subcontractors_approved(at: datetime) -> Evidence:
    """2-2-h: every subcontractor of a current contract is approved by the city."""
    findings = [
        lazy_message(
            _("%(contract)s: subcontractor %(name)s is not approved by the city."),
            contract=contract.title,
            name=subcontractor.name,
        )
        for contract in _current(at)
        for subcontractor in contract.subcontractors.exclude(state=Subcontractor.State.APPROVED)
    ]
    return Evidence(count=0, findings=tuple(findings))


@check("2-2-i")
def assets_returned_at_the_end(at: datetime) -> Evidence:
    """2-2-i: a contract whose term has ended is closed by a disposal certificate."""
    ended = Contract.objects.filter(ends_on__lt=timezone.localdate(at))
    findings = [
        lazy_message(
            _("%(contract)s: the term has ended without a disposal certificate."),
            contract=contract.title,
        )
        for contract in ended.filter(disposal_certificate__isnull=True)
    ]
    closed = ended.filter(disposal_certificate__isnull=False).count()
    return Evidence(count=closed, findings=tuple(findings))


@check("5-1", "2-2-b")
def roster_received(at: datetime) -> Evidence:
    """5-1: the contractor named its lead and workers in a roster the manager received."""
    count, findings, facts = 0, [], []
    for contract in _current(at):
        roster = contract.current_roster()
        if roster is None or roster.received_on is None:  # a current roster is a received one
            findings.append(
                lazy_message(
                    _("%(contract)s: the manager has received no roster."), contract=contract.title
                )
            )
            continue
        count += 1
        facts.append(
            lazy_message(
                _("Roster version %(version)s, received on %(on)s, %(people)s people"),
                version=roster.version,
                on=display_date_lazy(roster.received_on),
                people=roster.entries.count(),
            )
        )
    return Evidence(count=count, findings=tuple(findings), facts=tuple(facts))


def _rostered(contract: Contract) -> list[Person]:
    roster = contract.current_roster()
    if roster is None:
        return []
    return [entry.person for entry in roster.entries.select_related("person")]


@check("5-3")
def pledges_submitted(at: datetime) -> Evidence:
    """5-3: each current contract has the contractor's signed and sealed pledge."""
    count, findings, facts = 0, [], []
    for contract in _current(at):
        pledge = contract.contractor_pledge()
        if pledge is None:
            findings.append(
                lazy_message(
                    _("%(contract)s: the contractor's pledge is not submitted."),
                    contract=contract.title,
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
                    lazy_message(_("%(person)s has no confirmed pledge."), person=person.name)
                )
    return Evidence(count=count, findings=tuple(findings))


@check("5-6", "5-5", "5-2", "2-2-d")
def rostered_people_trained(at: datetime) -> Evidence:
    """5-6: every rostered person trained within the configured period."""
    valid_from = training_valid_from(timezone.localdate(at))
    count, findings = 0, []
    for contract in _current(at):
        for person in _rostered(contract):
            trained = last_trained_on(person)
            if trained is None:
                findings.append(
                    lazy_message(_("%(person)s has never been trained."), person=person.name)
                )
            elif trained < valid_from:
                findings.append(
                    lazy_message(
                        _("%(person)s was last trained on %(day)s, too long ago."),
                        person=person.name,
                        day=display_date_lazy(trained),
                    )
                )
            else:
                count += 1
    return Evidence(count=count, findings=tuple(findings))


def _attestations(at: datetime, field: str, finding: Promise) -> Evidence:
    contracts = Contract.objects.current(timezone.localdate(at))
    reports = list(
        PeriodicReport.objects.reviewed().filter(contract__in=contracts).select_related("contract")
    )
    findings = [
        lazy_message(
            finding, contract=report.contract.title, period=display_date_lazy(report.period_start)
        )
        for report in reports
        if not getattr(report, field)
    ]
    return Evidence(count=len(reports) - len(findings), findings=tuple(findings))


def _found_in_inspections(at: datetime, field: str, finding: Promise) -> Evidence:
    """An open inspection that found the breach keeps the clause red until it is closed."""
    contracts = Contract.objects.current(timezone.localdate(at))
    found = Inspection.objects.filter(
        contract__in=contracts, state=Inspection.State.OPEN, **{field: True}
    ).select_related("contract")
    findings = [
        lazy_message(
            finding, contract=inspection.contract.title, on=display_date_lazy(inspection.held_on)
        )
        for inspection in found
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
    """5-7: each reviewed periodic report attests that nothing was copied or reproduced."""
    message = _("%(contract)s, report from %(period)s: copying or reproduction not ruled out.")
    return _attestations(at, "no_copying", message)


@check("5-8")
def no_third_party_attested(at: datetime) -> Evidence:
    """5-8: each reviewed periodic report attests that nothing went to a third party."""
    message = _("%(contract)s, report from %(period)s: provision to third parties not ruled out.")
    return _attestations(at, "no_third_party", message)


@check("5-5")
def policy_obeyed_attested(at: datetime) -> Evidence:
    """5-5: each reviewed periodic report attests that the policy was obeyed."""
    message = _("%(contract)s, report from %(period)s: obeying the policy is not attested.")
    return _attestations(at, "policy_obeyed", message)


@check("5-10", "2-2-j")
def reports_on_schedule(at: datetime) -> Evidence:
    """5-10: a report for every period of the schedule, reviewed by the manager."""
    day = timezone.localdate(at)
    count, findings, facts = 0, [], []
    for contract in _current(at):
        for start, end in contract.overdue_report_periods(day):
            findings.append(
                lazy_message(
                    _("%(contract)s: the report for %(start)s to %(end)s is overdue."),
                    contract=contract.title,
                    start=display_date_lazy(start),
                    end=display_date_lazy(end),
                )
            )
        reviewed = contract.periodic_reports.reviewed().count()
        count += reviewed
        facts.append(
            lazy_message(
                _("%(contract)s: %(reviewed)s reports reviewed"),
                contract=contract.title,
                reviewed=reviewed,
            )
        )
    return Evidence(count=count, findings=tuple(findings), facts=tuple(facts))


@check("5-11", "2-2-k")
def corrective_actions_on_time(at: datetime) -> Evidence:
    """5-11: inspections are recorded and their corrective actions done by the due date."""
    day = timezone.localdate(at)
    overdue = CorrectiveAction.objects.overdue(day).select_related("inspection__contract")
    findings = [
        lazy_message(
            _("%(contract)s: corrective action due %(due)s is overdue: %(action)s"),
            contract=action.inspection.contract.title,
            due=display_date_lazy(action.due_on),
            action=action.description[:60],
        )
        for action in overdue
    ]
    inspections = Inspection.objects.filter(contract__in=Contract.objects.current(day))
    facts = [
        lazy_message(
            _("Inspection of %(on)s (%(trigger)s): %(state)s"),
            on=display_date_lazy(inspection.held_on),
            trigger=Inspection.Trigger(inspection.trigger).label,
            state=Inspection.State(inspection.state).label,
        )
        for inspection in inspections
    ]
    return Evidence(count=len(facts), findings=tuple(findings), facts=tuple(facts))
