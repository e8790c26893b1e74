"""The contract with the contractor and the records that prove chapter 5 (and 2-2's follow-ups).

A contract (2-1, 2-2) carries its documents and their provision check, the roster (5-1), the
pledges (5-3, 5-4), the training (5-5, 5-6), the periodic reports (5-10, 5-7, 5-8), the
inspections (5-11, 2-2-k) and, at the end of the work, the return/disposal checklist (2-2-i).
Rules about one record live on its model, rules about many on its QuerySet; every change goes
through `itaku.contractors.actions`.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from itaku.contractors.contract_check import PROVISIONS
from itaku.contractors.events import ContractorEvent
from itaku.people.decisions import Decision, Step
from itaku.people.models import Organization, Person
from itaku.people.roles import Capacity
from itaku.retention.models import FiscalRecord
from itaku.retention.registry import hold


# 3-1: who confirmed, approved or reviewed, in which capacity, and when. Empty until it happens.
def _by(label: Any) -> "models.ForeignKey[Person | None, Person | None]":
    return models.ForeignKey(
        Person,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


def _capacity() -> "models.CharField[str, str]":
    return models.CharField(_("capacity"), max_length=20, choices=Capacity.choices, blank=True)


def _at(label: Any) -> "models.DateTimeField[datetime | None, datetime | None]":
    return models.DateTimeField(label, null=True, blank=True)


class SelectionMethod(models.TextChoices):
    """2-1: how the contractor was chosen."""

    GENERAL_TENDER = "general_tender", _("Open competitive tender")
    DESIGNATED_TENDER = "designated_tender", _("Designated competitive tender")
    NEGOTIATED = "negotiated", _("Negotiated contract")
    PROPOSAL = "proposal", _("Proposal competition")
    COMPREHENSIVE = "comprehensive", _("Comprehensive evaluation tender")


class ContractQuerySet(models.QuerySet["Contract"]):
    def current(self, day: date) -> "ContractQuerySet":
        """Contracts whose term covers `day`."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def visible_to(self, person: Person, contractor_side: bool) -> "ContractQuerySet":
        """The contractor's people see their own contracts only; the city sees all."""
        return self.filter(contractor=person.organization_id) if contractor_side else self


class Contract(FiscalRecord):
    contractor = models.ForeignKey(
        Organization,
        verbose_name=_("contractor"),
        on_delete=models.PROTECT,
        related_name="contracts",
        limit_choices_to={"kind": Organization.Kind.CONTRACTOR},
    )
    title = models.CharField(_("work"), max_length=200)
    starts_on = models.DateField(_("term from"))
    ends_on = models.DateField(_("term until"))
    selection_method = models.CharField(
        _("selection method"), max_length=30, choices=SelectionMethod.choices
    )
    selection_grounds = models.TextField(_("grounds for the selection method"))
    city_responsible = models.ForeignKey(
        Person,
        verbose_name=_("city's responsible person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_place = models.CharField(_("work place"), max_length=200)
    per_person_pledges = models.BooleanField(
        _("the city asks each person for a pledge"),
        default=False,
        help_text=_(
            "5-3: when ticked, every rostered person needs a confirmed pledge of their own."
        ),
    )
    report_interval_months = models.PositiveSmallIntegerField(
        _("periodic report every (months)"), default=1
    )
    registered_by = models.ForeignKey(
        Person, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"))

    objects = ContractQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 2-1.
    fiscal_date_field = "ends_on"
    retention_clause = "2-1"

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="contract_term_ordered",
                violation_error_message=_("The end of the term is before its start."),
            ),
            models.CheckConstraint(
                condition=Q(report_interval_months__gte=1, report_interval_months__lte=12),
                name="contract_report_interval_range",
                violation_error_message=_("Reports are due every 1 to 12 months."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.contractor})"

    # 2-2: the provision check over the current documents, with recorded waivers.
    def provision_status(self) -> dict[str, "ProvisionStatus"]:
        # Read through `all()`, so contracts read with their documents prefetched (the
        # compliance report) ask nothing more.
        documents = [
            document for document in self.documents.all() if document.replaced_by_id is None
        ]
        waivers = {waiver.provision_id: waiver for waiver in self.waivers.all()}
        status = {}
        for provision_id in PROVISIONS:
            found = [
                (document, document.passages(provision_id))
                for document in documents
                if document.has(provision_id)
            ]
            status[provision_id] = ProvisionStatus(
                provision_id=provision_id,
                found_in=found,
                waiver=waivers.get(provision_id),
                checked=bool(documents),
            )
        return status

    def missing_provisions(self) -> list[str]:
        return [pid for pid, status in self.provision_status().items() if not status.ok]

    # 5-1: the roster the entry desk admits is the latest one the manager received.
    def current_roster(self) -> "RosterSubmission | None":
        return (
            self.roster_submissions.filter(state=RosterSubmission.State.RECEIVED)
            .order_by("-version")
            .first()
        )

    def contractor_pledge(self) -> "Pledge | None":
        return self.pledges.filter(person__isnull=True).order_by("-submitted_at").first()

    # 5-10: reporting periods run from the start of the term in steps of the interval.
    def report_periods(self, until: date) -> list[tuple[date, date]]:
        periods = []
        start = self.starts_on
        while start <= min(until, self.ends_on):
            end = min(
                _add_months(start, self.report_interval_months) - timedelta(days=1), self.ends_on
            )
            periods.append((start, end))
            start = end + timedelta(days=1)
        return periods

    def overdue_report_periods(self, day: date) -> list[tuple[date, date]]:
        grace = timedelta(days=settings.ITAKU_REPORT_GRACE_DAYS)
        reported = {report.period_start for report in self.periodic_reports.all()}
        return [
            (start, end)
            for start, end in self.report_periods(day)
            if end + grace < day and start not in reported
        ]


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class ProvisionStatus:
    """One of the 13 provisions for one contract: where it was found, or why it is accepted."""

    provision_id: str
    found_in: list[tuple["ContractDocument", list[dict[str, str]]]]
    waiver: "ProvisionWaiver | None"
    checked: bool

    @property
    def present(self) -> bool:
        return bool(self.found_in)

    @property
    def ok(self) -> bool:
        return self.present or self.waiver is not None


class ServiceLevelItem(FiscalRecord):
    """2-2-c: a service level the contractor guarantees."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="service_levels",
        verbose_name=_("contract"),
    )
    item = models.CharField(_("service-level item"), max_length=200)
    target = models.CharField(_("target"), max_length=200)

    # 3-6: kept by the fiscal year of this date; evidence for 2-2-c.
    fiscal_date_field = "contract.ends_on"
    retention_clause = "2-2-c"

    class Meta:
        verbose_name = _("service-level item")
        verbose_name_plural = _("service-level items")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.target}"


class Subcontractor(FiscalRecord, Decision):
    """2-2-h: a subcontractor may work only with the city's approval."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")

    TRANSITIONS = {
        State.REQUESTED: {State.APPROVED: Step(ContractorEvent.SUBCONTRACTOR_APPROVED)},
    }
    PARTY_FIELDS = ("requested_by",)

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="subcontractors",
        verbose_name=_("contract"),
    )
    name = models.CharField(_("subcontractor"), max_length=200)
    work = models.CharField(_("subcontracted work"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    requested_by = _by(_("requested by"))

    # 3-6: kept by the fiscal year of this date; evidence for 2-2-h.
    fiscal_date_field = "contract.ends_on"
    retention_clause = "2-2-h"

    class Meta:
        verbose_name = _("subcontractor")
        verbose_name_plural = _("subcontractors")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def approved(self) -> bool:
        return self.state == self.State.APPROVED


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    SPECIFICATION = "specification", _("Specification")
    SPECIAL_TERMS = "special_terms", _("Special terms (personal data, security)")


class ContractDocumentQuerySet(models.QuerySet["ContractDocument"]):
    def current(self) -> "ContractDocumentQuerySet":
        """Documents not replaced by an amended text."""
        return self.filter(replaced_by__isnull=True)


class ContractDocument(FiscalRecord):
    """An uploaded contract or specification text with its provision check (2-2-a … 2-2-m)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="documents", verbose_name=_("contract")
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The check's own JSON: {"provisions": [{"id", "present", "passages": [{"text", "where"}]}]}.
    check_result = models.JSONField(_("provision check"))
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        # 3-6: an amended text is kept as long as the one it replaced refers to it.
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    uploaded_by = models.ForeignKey(
        Person, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = ContractDocumentQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 2-1.
    fiscal_date_field = "uploaded_at"
    retention_clause = "2-1"

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename

    def _provision(self, provision_id: str) -> dict[str, Any]:
        for entry in self.check_result.get("provisions", []):
            if entry.get("id") == provision_id:
                return dict(entry)
        return {}

    def has(self, provision_id: str) -> bool:
        return bool(self._provision(provision_id).get("present"))

    def passages(self, provision_id: str) -> list[dict[str, str]]:
        return list(self._provision(provision_id).get("passages", []))

    def missing(self) -> list[str]:
        return [pid for pid in PROVISIONS if not self.has(pid)]


class ProvisionWaiver(FiscalRecord):
    """2-2: why a contract lacking a provision is acceptable all the same, per the manager."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="waivers", verbose_name=_("contract")
    )
    provision_id = models.CharField(_("provision"), max_length=10)
    reason = models.TextField(_("why it is acceptable"))
    waived_by = _by(_("recorded by"))
    waived_capacity = _capacity()
    waived_at = _at(_("recorded at"))

    # 3-6: kept by the fiscal year of this date; evidence for 2-1.
    fiscal_date_field = "contract.ends_on"
    retention_clause = "2-1"

    class Meta:
        verbose_name = _("provision waiver")
        verbose_name_plural = _("provision waivers")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "provision_id"], name="one_waiver_per_provision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.provision_id}"


class RosterSubmission(FiscalRecord, Decision):
    """5-1: the contractor names its lead and workers in writing; each submission is a version.

    The manager records the day the written roster was received; from then on it is current.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RECEIVED = "received", _("Received")

    TRANSITIONS = {State.SUBMITTED: {State.RECEIVED: Step(ContractorEvent.ROSTER_RECEIVED)}}
    PARTY_FIELDS = ("submitted_by",)

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="roster_submissions",
        verbose_name=_("contract"),
    )
    version = models.PositiveIntegerField(_("version"))
    submitted_by = models.ForeignKey(
        Person, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    received_on = models.DateField(_("received by the manager on"), null=True, blank=True)

    # 3-6: kept by the fiscal year of this date; evidence for 5-1.
    fiscal_date_field = "submitted_at"
    retention_clause = "5-1"

    class Meta:
        verbose_name = _("roster submission")
        verbose_name_plural = _("roster submissions")
        ordering = ["contract", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "version"], name="unique_roster_version")
        ]

    def __str__(self) -> str:
        return f"{self.contract.title} v{self.version}"

    @property
    def received(self) -> bool:
        return self.state == self.State.RECEIVED

    def lead(self) -> "Person | None":
        entry = self.entries.filter(position=RosterEntry.Position.LEAD).first()
        return entry.person if entry else None


class RosterEntry(FiscalRecord):
    class Position(models.TextChoices):
        LEAD = "lead", _("Contractor lead")
        WORKER = "worker", _("Contractor worker")

    submission = models.ForeignKey(
        RosterSubmission, on_delete=models.PROTECT, related_name="entries"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="roster_entries"
    )
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)

    # 3-6: kept by the fiscal year of this date; evidence for 5-1.
    fiscal_date_field = "submission.submitted_at"
    retention_clause = "5-1"

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["position", "person__name_kana"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "person"], name="person_once_per_roster")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_position_display()})"


class PledgeQuerySet(models.QuerySet["Pledge"]):
    def confirmed(self) -> "PledgeQuerySet":
        return self.filter(state=Pledge.State.CONFIRMED)


class Pledge(FiscalRecord, Decision):
    """5-3: a signed and sealed confidentiality pledge; without a person it is the contractor's.

    5-4: the manager confirms that it was collected.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    TRANSITIONS = {State.SUBMITTED: {State.CONFIRMED: Step(ContractorEvent.PLEDGE_CONFIRMED)}}
    PARTY_FIELDS = ("person", "submitted_by")

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("contract")
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person (empty: the contractor's pledge)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    signed_on = models.DateField(_("signed on"))
    filename = models.CharField(_("file name"), max_length=255)
    scan = models.FileField(_("signed scan"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    submitted_by = models.ForeignKey(
        Person, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )

    objects = PledgeQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 5-3.
    fiscal_date_field = "submitted_at"
    retention_clause = "5-3"

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return str(self.person or self.contract.contractor)

    @property
    def confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED


class TrainingSession(FiscalRecord):
    """5-6: the contractor trains its lead and workers on the policy (5-5)."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("contract"),
    )
    held_on = models.DateField(_("held on"))
    content = models.TextField(_("content"))
    material = models.CharField(_("material"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=100)
    attendees = models.ManyToManyField(
        Person, verbose_name=_("attendees"), related_name="trainings"
    )
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    # 3-6: kept by the fiscal year of this date; evidence for 5-6.
    fiscal_date_field = "held_on"
    retention_clause = "5-6"

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()} {self.material}"


def last_trained_on(person: Person) -> date | None:
    session = person.trainings.order_by("-held_on").first()
    return session.held_on if session else None


def training_valid_from(day: date) -> date:
    """5-6: training held on or after this day still counts on `day`."""
    return day - timedelta(days=settings.ITAKU_TRAINING_VALID_DAYS)


class PeriodicReportQuerySet(models.QuerySet["PeriodicReport"]):
    def reviewed(self) -> "PeriodicReportQuerySet":
        return self.filter(state=PeriodicReport.State.REVIEWED)


class PeriodicReport(FiscalRecord, Decision):
    """5-10: the contractor's regular report, with its attestations (5-5, 5-7, 5-8).

    The manager reviews it, or sends it back (差戻し) with the reason; the contractor corrects
    and submits it again. Each step's note is in the audit trail; the record keeps the latest.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        REVIEWED = "reviewed", _("Reviewed")
        RETURNED = "returned", _("Sent back")

    TRANSITIONS = {
        State.SUBMITTED: {
            State.REVIEWED: Step(ContractorEvent.REPORT_REVIEWED),
            State.RETURNED: Step(ContractorEvent.REPORT_RETURNED),
        },
        # The contractor's own correction: no authority of the city, and the submitter may.
        State.RETURNED: {State.SUBMITTED: Step(ContractorEvent.REPORT_RESUBMITTED, authority=None)},
    }
    PARTY_FIELDS = ("submitted_by",)

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="periodic_reports",
        verbose_name=_("contract"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    no_copying = models.BooleanField(
        _("No information of the city was copied or reproduced (5-7)."), default=False
    )
    no_third_party = models.BooleanField(
        _("No information of the city was provided to a third party (5-8)."), default=False
    )
    policy_obeyed = models.BooleanField(
        _("The lead and workers obeyed the city's security policy (5-5)."), default=False
    )
    text = models.TextField(_("status of the work"))
    submitted_by = models.ForeignKey(
        Person, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )

    objects = PeriodicReportQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 5-10.
    fiscal_date_field = "submitted_at"
    retention_clause = "5-10"

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period_start"], name="one_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.title} {self.period_start.isoformat()}"

    @property
    def reviewed(self) -> bool:
        return self.state == self.State.REVIEWED

    @property
    def all_attested(self) -> bool:
        return self.no_copying and self.no_third_party and self.policy_obeyed


class Inspection(FiscalRecord, Decision):
    """5-11, 2-2-k: the city inspects when a breach is suspected or when needed."""

    class Trigger(models.TextChoices):
        SUSPECTED_BREACH = "suspected_breach", _("Suspected breach")
        ROUTINE = "routine", _("Routine")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    # 5-11: closing is a decision of the manager; the note says what was concluded.
    TRANSITIONS = {State.OPEN: {State.CLOSED: Step(ContractorEvent.INSPECTION_CLOSED)}}

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("contract")
    )
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    held_on = models.DateField(_("held on"))
    findings = models.TextField(_("findings"))
    # 5-7, 5-8 are inspection items as well as attestations in the periodic reports.
    copying_found = models.BooleanField(
        _("Copying or reproduction of the city's information was found (5-7)."), default=False
    )
    third_party_found = models.BooleanField(
        _("Provision of the city's information to a third party was found (5-8)."),
        default=False,
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    recorded_by = _by(_("recorded by"))
    recorded_capacity = _capacity()
    recorded_at = _at(_("recorded at"))

    # 3-6: kept by the fiscal year of this date; evidence for 5-11.
    fiscal_date_field = "held_on"
    retention_clause = "5-11"

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()} {self.get_trigger_display()}"


class CorrectiveActionQuerySet(models.QuerySet["CorrectiveAction"]):
    def open(self) -> "CorrectiveActionQuerySet":
        return self.filter(state=CorrectiveAction.State.OPEN)

    def overdue(self, day: date) -> "CorrectiveActionQuerySet":
        return self.open().filter(due_on__lt=day)


class CorrectiveAction(FiscalRecord, Decision):
    """5-11: what is done at once about a breach found, by whom, by when.

    Marking it done is a step anyone responsible may take; the note says what was done.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    TRANSITIONS = {
        State.OPEN: {State.DONE: Step(ContractorEvent.CORRECTIVE_ACTION_DONE, authority=None)}
    }

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="actions", verbose_name=_("inspection")
    )
    description = models.TextField(_("corrective action"))
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = CorrectiveActionQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 5-11.
    fiscal_date_field = "inspection.held_on"
    retention_clause = "5-11"

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class ReturnItem(FiscalRecord, Decision):
    """2-2-i: an information asset handed over, to be returned or disposed of at the end."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not yet returned or disposed of")
        DONE = "done", _("Returned or disposed of")

    TRANSITIONS = {
        State.PENDING: {State.DONE: Step(ContractorEvent.RETURN_ITEM_DONE, authority=None)}
    }

    class Method(models.TextChoices):
        RETURN = "return", _("Return to the city")
        DISPOSAL = "disposal", _("Disposal")

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="return_items", verbose_name=_("contract")
    )
    asset = models.CharField(_("information asset"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    method = models.CharField(_("return or disposal"), max_length=10, choices=Method.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    # 3-6: kept by the fiscal year of this date; evidence for 2-2-i.
    fiscal_date_field = "contract.ends_on"
    retention_clause = "2-2-i"

    class Meta:
        verbose_name = _("return/disposal item")
        verbose_name_plural = _("return/disposal items")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.asset} × {self.quantity}"


class DisposalCertificate(FiscalRecord):
    """2-2-i: closes the end of the work: what, how many, how, when, witnessed by whom."""

    contract = models.OneToOneField(
        Contract,
        on_delete=models.PROTECT,
        related_name="disposal_certificate",
        verbose_name=_("contract"),
    )
    what = models.TextField(_("what was disposed of"))
    how_many = models.PositiveIntegerField(_("how many"))
    how = models.CharField(_("how"), max_length=200)
    disposed_on = models.DateField(_("disposed on"))
    witnessed_by = models.CharField(_("witnessed by"), max_length=200)
    confirmed_by = _by(_("confirmed by"))
    confirmed_capacity = _capacity()
    confirmed_at = _at(_("confirmed at"))

    # 3-6: kept by the fiscal year of this date; evidence for 2-2-i.
    fiscal_date_field = "disposed_on"
    retention_clause = "2-2-i"

    class Meta:
        verbose_name = _("disposal certificate")
        verbose_name_plural = _("disposal certificates")

    def __str__(self) -> str:
        return f"{self.contract.title} {self.disposed_on.isoformat()}"


# 3-6, 5-11: records of a contract under an open inspection are held until it closes, whatever
# their fiscal year. Chapter 6 registers open incidents the same way.
_CONTRACT_OF = {
    "Contract": "pk",
    "RosterEntry": "submission__contract",
    "CorrectiveAction": "inspection__contract",
}


@hold(_("an inspection of their contract is still open (5-11)."))
def held_by_open_inspection(
    model: type[FiscalRecord], records: "models.QuerySet[FiscalRecord]"
) -> "models.QuerySet[FiscalRecord] | None":
    if model._meta.app_label != "contractors":
        return None
    contract = _CONTRACT_OF.get(model.__name__, "contract")
    open_inspections = Inspection.objects.filter(
        contract=OuterRef(contract), state=Inspection.State.OPEN
    )
    return records.filter(Exists(open_inspections))
