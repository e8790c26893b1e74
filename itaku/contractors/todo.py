"""Chapters 2 and 5 on the home page.

The manager and the deputy: rosters to receive, pledges to confirm, reports to review,
subcontractors to approve, corrective actions still open. The contractor's lead: reports due,
rosters, pledges and training to see to, corrective actions. Everyone of the contractor: their
own status at the door (on the roster, pledge confirmed, training valid until).
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.contractors.admission import pledge_confirmed, rostered_contracts
from itaku.contractors.models import (
    Contract,
    CorrectiveAction,
    PeriodicReport,
    Pledge,
    RosterEntry,
    RosterSubmission,
    Subcontractor,
    last_trained_on,
)
from itaku.core import todo
from itaku.core.dates import display_date
from itaku.core.todo import Kind, TodoItem, Tone
from itaku.people.models import Person
from itaku.people.roles import CONTRACTOR_ROLES, Role
from itaku.people.todo import decision, is_decider


def _roles(person: Person, now: datetime) -> frozenset[Role]:
    return todo.roles(person, timezone.localdate(now))


@todo.provider
def submissions_to_decide(person: Person, now: datetime) -> list[TodoItem | None]:
    """5-1, 5-4, 5-10, 2-2-h: what the contractor submitted and the manager decides."""
    if not is_decider(person, now):
        return []
    items: list[TodoItem | None] = []
    rosters = RosterSubmission.objects.filter(state=RosterSubmission.State.SUBMITTED)
    for roster in rosters.select_related("contract"):
        items.append(
            decision(
                person,
                now,
                _("Roster to receive: %(contract)s, version %(version)s")
                % {"contract": roster.contract.title, "version": roster.version},
                reverse("contractors:roster", args=[roster.contract_id]),
                clause="5-1",
                parties=(roster.submitted_by_id,),
            )
        )
    pledges = Pledge.objects.filter(state=Pledge.State.SUBMITTED)
    for pledge in pledges.select_related("contract__contractor", "person"):
        items.append(
            decision(
                person,
                now,
                _("Pledge to confirm: %(who)s (%(contract)s)")
                % {"who": pledge, "contract": pledge.contract.title},
                reverse("contractors:pledges", args=[pledge.contract_id]),
                clause="5-4",
                parties=(pledge.person_id, pledge.submitted_by_id),
            )
        )
    reports = PeriodicReport.objects.filter(state=PeriodicReport.State.SUBMITTED)
    for report in reports.select_related("contract"):
        items.append(
            decision(
                person,
                now,
                _("Report to review: %(contract)s, %(start)s to %(end)s")
                % {
                    "contract": report.contract.title,
                    "start": display_date(report.period_start),
                    "end": display_date(report.period_end),
                },
                reverse("contractors:report_detail", args=[report.pk]),
                clause="5-10",
                parties=(report.submitted_by_id,),
            )
        )
    subcontractors = Subcontractor.objects.filter(state=Subcontractor.State.REQUESTED)
    for sub in subcontractors.select_related("contract"):
        items.append(
            decision(
                person,
                now,
                _("Subcontractor to approve: %(name)s (%(contract)s)")
                % {"name": sub.name, "contract": sub.contract.title},
                reverse("contractors:contract_detail", args=[sub.contract_id]),
                clause="2-2-h",
                parties=(sub.requested_by_id,),
            )
        )
    return items


@todo.provider
def corrective_actions_open(person: Person, now: datetime) -> list[TodoItem]:
    """5-11: corrective actions not yet done, for the city and the contractor's lead."""
    roles = _roles(person, now)
    actions = CorrectiveAction.objects.open().select_related("inspection__contract")
    if Role.CONTRACTOR_LEAD in roles:
        actions = actions.filter(inspection__contract__contractor=person.organization_id)
    elif not is_decider(person, now):
        return []
    day = timezone.localdate(now)
    return [
        TodoItem(
            _("Corrective action: %(what)s (%(contract)s)")
            % {"what": action, "contract": action.inspection.contract.title},
            reverse("contractors:inspection_detail", args=[action.inspection_id]),
            Kind.DO,
            due=action.due_on,
            overdue=action.due_on < day,
            clause="5-11",
        )
        for action in actions
    ]


def _period_items(contracts: list[Contract], day: date) -> list[TodoItem]:
    """5-10: the periods that ended without a report, in one query for all the contracts."""
    grace = timedelta(days=settings.ITAKU_REPORT_GRACE_DAYS)
    reported = set(
        PeriodicReport.objects.filter(contract__in=contracts).values_list(
            "contract_id", "period_start"
        )
    )
    items = []
    for contract in contracts:
        for start, end in contract.report_periods(day):
            if end >= day or (contract.pk, start) in reported:
                continue
            items.append(
                TodoItem(
                    _("Submit the report for %(start)s to %(end)s (%(contract)s)")
                    % {
                        "start": display_date(start),
                        "end": display_date(end),
                        "contract": contract.title,
                    },
                    reverse("contractors:reports", args=[contract.pk]),
                    Kind.DO,
                    due=end + grace,
                    overdue=end + grace < day,
                    clause="5-10",
                )
            )
    return items


@todo.provider
def lead_duties(person: Person, now: datetime) -> list[TodoItem]:
    """2-2, chapter 5: what the contractor's lead submits for each current contract."""
    if Role.CONTRACTOR_LEAD not in _roles(person, now):
        return []
    day = timezone.localdate(now)
    contracts = list(Contract.objects.current(day).filter(contractor=person.organization_id))
    items = _period_items(contracts, day)
    returned = PeriodicReport.objects.filter(
        contract__in=contracts, state=PeriodicReport.State.RETURNED
    ).select_related("contract")
    items += [
        TodoItem(
            _("Correct and resubmit the report from %(start)s (%(contract)s)")
            % {"start": display_date(report.period_start), "contract": report.contract.title},
            reverse("contractors:report_resubmit", args=[report.pk]),
            Kind.DO,
            status=report.get_state_display(),
            tone=Tone.ATTENTION,
            note=report.decision_note,
            clause="5-10",
        )
        for report in returned
    ]
    items += _roster_and_pledges(contracts, day)
    return items


def _roster_and_pledges(contracts: list[Contract], day: date) -> list[TodoItem]:
    """5-1, 5-3, 5-6: rosters, pledges and training, a fixed number of queries in all."""
    submissions = list(
        RosterSubmission.objects.filter(contract__in=contracts).order_by("contract", "-version")
    )
    latest: dict[int, RosterSubmission] = {}
    received: dict[int, RosterSubmission] = {}
    for submission in submissions:
        latest.setdefault(submission.contract_id, submission)
        if submission.received:
            received.setdefault(submission.contract_id, submission)
    entries = list(
        RosterEntry.objects.filter(submission__in=received.values()).select_related("person")
    )
    pledges = list(Pledge.objects.filter(contract__in=contracts))
    trained = dict(
        Person.objects.filter(pk__in={entry.person_id for entry in entries})
        .annotate(last=Max("trainings__held_on"))
        .values_list("pk", "last")
    )
    valid_from = day - timedelta(days=settings.ITAKU_TRAINING_VALID_DAYS)
    items = []
    for contract in contracts:
        roster_url = reverse("contractors:roster", args=[contract.pk])
        pledges_url = reverse("contractors:pledges", args=[contract.pk])
        waiting = latest.get(contract.pk)
        if waiting is not None and not waiting.received:
            items.append(
                TodoItem(
                    _("Roster version %(version)s (%(contract)s)")
                    % {"version": waiting.version, "contract": contract.title},
                    roster_url,
                    Kind.WAITING,
                    status=waiting.get_state_display(),
                    clause="5-1",
                )
            )
        elif waiting is None:
            items.append(
                TodoItem(
                    _("Submit the roster (%(contract)s)") % {"contract": contract.title},
                    roster_url,
                    Kind.DO,
                    tone=Tone.ATTENTION,
                    clause="5-1",
                )
            )
        mine = [pledge for pledge in pledges if pledge.contract_id == contract.pk]
        if not any(pledge.person_id is None for pledge in mine):
            items.append(
                TodoItem(
                    _("Submit the contractor's pledge (%(contract)s)")
                    % {"contract": contract.title},
                    pledges_url,
                    Kind.DO,
                    clause="5-3",
                )
            )
        pledged = {pledge.person_id for pledge in mine}
        roster = received.get(contract.pk)
        for entry in entries:
            if roster is None or entry.submission_id != roster.pk:
                continue
            if contract.per_person_pledges and entry.person_id not in pledged:
                items.append(
                    TodoItem(
                        _("Collect the pledge of %(name)s (%(contract)s)")
                        % {"name": entry.person, "contract": contract.title},
                        pledges_url,
                        Kind.DO,
                        clause="5-3",
                    )
                )
            last = trained.get(entry.person_id)
            if last is None or last < valid_from:
                items.append(
                    TodoItem(
                        _("Train %(name)s on the security policy (%(contract)s)")
                        % {"name": entry.person, "contract": contract.title},
                        reverse("contractors:training", args=[contract.pk]),
                        Kind.DO,
                        overdue=last is not None,
                        clause="5-6",
                    )
                )
    submitted = [pledge for pledge in pledges if pledge.state == Pledge.State.SUBMITTED]
    titles = {contract.pk: contract.title for contract in contracts}
    items += [
        TodoItem(
            _("Pledge of %(who)s (%(contract)s)")
            % {"who": pledge.person or _("the contractor"), "contract": titles[pledge.contract_id]},
            reverse("contractors:pledges", args=[pledge.contract_id]),
            Kind.WAITING,
            status=pledge.get_state_display(),
            clause="5-4",
        )
        for pledge in submitted
    ]
    return items


@todo.provider
def status_at_the_door(person: Person, now: datetime) -> list[TodoItem]:
    """3-3, 5-1, 5-4, 5-6: what the entry desk will check of the contractor's own people."""
    if not _roles(person, now) & CONTRACTOR_ROLES:
        return []
    contracts = rostered_contracts(person, now)
    if not contracts:
        return [
            TodoItem(
                _("On the roster"),
                "",
                Kind.STATUS,
                status=_("Not on the current roster"),
                tone=Tone.ATTENTION,
                note=_("Ask your lead to submit a roster that names you (5-1)."),
                clause="5-1",
            )
        ]
    items = [
        TodoItem(
            _("On the roster: %(contract)s") % {"contract": contract.title},
            "",
            Kind.STATUS,
            status=_("Named"),
            tone=Tone.OK,
            clause="5-1",
        )
        for contract in contracts
    ]
    confirmed = any(pledge_confirmed(person, contract) for contract in contracts)
    items.append(
        TodoItem(
            _("Confidentiality pledge"),
            "",
            Kind.STATUS,
            status=_("Confirmed") if confirmed else _("Not confirmed"),
            tone=Tone.OK if confirmed else Tone.ATTENTION,
            clause="5-4",
        )
    )
    items.append(_training_status(person, timezone.localdate(now)))
    return items


def _training_status(person: Person, day: date) -> TodoItem:
    last = last_trained_on(person)
    if last is None:
        return TodoItem(
            _("Training on the security policy"),
            "",
            Kind.STATUS,
            status=_("Never trained"),
            tone=Tone.ATTENTION,
            clause="5-6",
        )
    until = last + timedelta(days=settings.ITAKU_TRAINING_VALID_DAYS)
    valid = until >= day
    return TodoItem(
        _("Training on the security policy: valid until %(day)s") % {"day": display_date(until)},
        "",
        Kind.STATUS,
        status=_("Valid") if valid else _("Out of date"),
        tone=Tone.OK if valid else Tone.ATTENTION,
        clause="5-6",
    )
