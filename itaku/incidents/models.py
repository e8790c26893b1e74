"""Chapter 6: the contact chart, incidents, the written report, investigation, publication.

An incident moves along the chain of immediate reports (6-2, 6-3), each step timestamped; the
contractor's written report (6-4) carries the facts the law asks about; the city's staff
investigate and recover (6-5) through tasks; the city decides on publication (6-6).
"""

from collections.abc import Set as AbstractSet
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.contractors.models import Contract
from itaku.core.dates import fiscal_year, local_date
from itaku.incidents import law
from itaku.incidents.events import IncidentEvent
from itaku.people.decisions import Decision, Step
from itaku.people.models import Person
from itaku.people.roles import CONTRACTOR_ROLES, Role
from itaku.retention.models import FiscalRecord

# Contact chart (6-1)


class ContactChartQuerySet(models.QuerySet["ContactChart"]):
    def current(self, day: date) -> "ContactChart | None":
        """6-1: the newest version in force on `day`."""
        return self.filter(effective_from__lte=day).order_by("-version").first()


class ContactChart(FiscalRecord):
    """6-1: who is told, in which order, and how to reach them day and night. Versioned.

    Evidence (3-6), kept by the fiscal year of the day the version takes effect; the version in
    force is held from disposal (`holds.py`).
    """

    fiscal_date_field = "effective_from"
    retention_clause = "6-1"

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    note = models.TextField(_("note"), blank=True)
    issued_by = models.ForeignKey(
        Person, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    objects = ContactChartQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact chart")
        verbose_name_plural = _("contact charts")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{_('Contact chart')} v{self.version}"

    def stale_entries(self, day: date) -> list["ContactEntry"]:
        """6-1: people on the chart who no longer hold the role they are listed for, and the
        contractor's people who are off the roster the manager received (5-1)."""
        rostered = _rostered(day)
        return [
            entry
            for entry in self.entries.select_related("person")
            if is_stale(entry, entry.person.roles_on(day), rostered)
        ]


def is_stale(entry: "ContactEntry", roles: AbstractSet[str], rostered: set[int] | None) -> bool:
    """6-1: the entry's person no longer holds its role (`roles`, those they hold), or is one of
    the contractor's people off the received rosters (`rostered`; None with no contract)."""
    return entry.role not in roles or (
        rostered is not None and entry.role in CONTRACTOR_ROLES and entry.person_id not in rostered
    )


def _rostered(day: date) -> set[int] | None:
    """The people on the received rosters of the contracts in force; None with no contract."""
    contracts = list(Contract.objects.current(day))
    if not contracts:
        return None
    rostered: set[int] = set()
    for contract in contracts:
        roster = contract.current_roster()
        if roster is not None:
            rostered |= set(roster.entries.values_list("person_id", flat=True))
    return rostered


class ContactEntry(FiscalRecord):
    """6-1: one line of a chart version; kept with its version (3-6)."""

    fiscal_date_field = "chart.effective_from"
    retention_clause = "6-1"

    chart = models.ForeignKey(
        ContactChart,
        verbose_name=_("contact chart"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    phone = models.CharField(_("phone"), max_length=40)
    mail = models.EmailField(_("mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("escalation order"))
    reachable_day = models.BooleanField(_("reachable by day"), default=True)
    reachable_night = models.BooleanField(_("reachable at night"), default=False)

    class Meta:
        verbose_name = _("contact chart entry")
        verbose_name_plural = _("contact chart entries")
        ordering = ["chart", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.person}"


# Incidents (6-2, 6-3)


class IncidentQuerySet(models.QuerySet["Incident"]):
    def open(self) -> "IncidentQuerySet":
        return self.filter(state=Incident.State.OPEN)

    def visible_to(self, person: Person, day: date) -> "IncidentQuerySet":
        """The city sees every incident; the contractor's people those their company reported."""
        if person.roles_on(day) & CONTRACTOR_ROLES:
            return self.filter(reported_by__organization=person.organization_id)
        return self


def _prompt() -> timedelta:
    return timedelta(minutes=settings.ITAKU_INCIDENT_PROMPT_MINUTES)


class Incident(FiscalRecord, Decision):
    """6-2 … 6-6: one leak, loss or other incident, from the first report to its closing.

    Evidence (3-6) with everything recorded about it (its timeline steps, the law's dates and the
    notice are its own fields; the written report, tasks and publication decision refer to it),
    kept by the fiscal year in which it became known. While open it holds its fiscal years,
    its own records included, from disposal (`holds.py`).
    """

    fiscal_date_field = "known_at"
    retention_clause = "6-2"

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Kind(models.TextChoices):
        LEAK = "leak", _("Leak of personal data")
        LOSS = "loss", _("Loss of a device or document")
        THEFT = "theft", _("Theft")
        OTHER = "other", _("Other")

    TRANSITIONS = {State.OPEN: {State.CLOSED: Step(IncidentEvent.CLOSED)}}

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("what happened"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    known_at = models.DateTimeField(_("known at"))
    reported_by = models.ForeignKey(
        Person, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    # 6-2: the manager (or the deputy) has been told.
    manager_told_at = models.DateTimeField(_("told the manager at"), null=True, blank=True)
    manager_told = models.ForeignKey(
        Person,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 6-3: the manager has told the superior, and the measures taken at once.
    superior_told_at = models.DateTimeField(_("told the superior at"), null=True, blank=True)
    superior = models.ForeignKey(
        Person,
        verbose_name=_("superior told"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measures = models.TextField(_("measures taken at once"), blank=True)
    # What the law requires (Act on the Protection of Personal Information).
    preliminary_reported_on = models.DateField(
        _("preliminary report (速報) made on"), null=True, blank=True
    )
    final_reported_on = models.DateField(_("final report (確報) made on"), null=True, blank=True)
    persons_notified_on = models.DateField(
        _("persons concerned notified on"), null=True, blank=True
    )
    notice_exemption = models.TextField(_("exemption from notice used"), blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-known_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"

    # 6-2, 6-3: "at once"

    def to_manager(self) -> timedelta | None:
        return self.manager_told_at - self.known_at if self.manager_told_at else None

    def to_superior(self) -> timedelta | None:
        if self.superior_told_at and self.manager_told_at:
            return self.superior_told_at - self.manager_told_at
        return None

    @property
    def minutes_to_manager(self) -> int | None:
        interval = self.to_manager()
        return None if interval is None else int(interval.total_seconds() // 60)

    @property
    def minutes_to_superior(self) -> int | None:
        interval = self.to_superior()
        return None if interval is None else int(interval.total_seconds() // 60)

    def manager_late(self, at: datetime) -> bool:
        """6-2: the manager was not told within the prompt interval of the incident being known."""
        told = self.manager_told_at or at
        return told - self.known_at > _prompt()

    def superior_late(self, at: datetime) -> bool:
        """6-3: the superior was not told within the prompt interval of the manager's knowing."""
        if self.manager_told_at is None:
            return False
        told = self.superior_told_at or at
        return told - self.manager_told_at > _prompt()

    def reported_on_time(self) -> bool:
        return (
            self.manager_told_at is not None
            and self.superior_told_at is not None
            and not self.manager_late(self.manager_told_at)
            and not self.superior_late(self.superior_told_at)
        )

    def fiscal_years(self, at: datetime) -> set[int]:
        """The fiscal years the incident spans, from when it became known to its close or `at`."""
        end = self.decided_at if self.state == self.State.CLOSED and self.decided_at else at
        return set(range(fiscal_year(self.known_at), fiscal_year(end) + 1))

    # What the law requires

    def written(self) -> "WrittenReport | None":
        try:
            return self.written_report
        except WrittenReport.DoesNotExist:
            return None

    def assessment(self) -> law.Assessment | None:
        """None until the written report gives the facts."""
        report = self.written()
        if report is None:
            return None
        return law.assess(report.facts(), persons_threshold=settings.ITAKU_INCIDENT_LAW_PERSONS)

    def legal_deadlines(self) -> law.Deadlines | None:
        assessment = self.assessment()
        if assessment is None or not assessment.report_required:
            return None
        return law.deadlines(
            local_date(self.known_at),
            improper_purpose=assessment.improper_purpose,
            preliminary_days=settings.ITAKU_INCIDENT_PRELIMINARY_DAYS,
            final_days=settings.ITAKU_INCIDENT_FINAL_DAYS,
            final_days_improper=settings.ITAKU_INCIDENT_FINAL_DAYS_IMPROPER,
            final_moves_off_closed_days=settings.ITAKU_INCIDENT_FINAL_MOVES_OFF_CLOSED_DAYS,
        )

    def legal_overdue(self, day: date) -> list[str]:
        """Which of the law's steps are past their deadline and not done."""
        due = self.legal_deadlines()
        if due is None:
            return []
        late = []
        if self.preliminary_reported_on is None and day > due.preliminary:
            late.append("preliminary")
        if self.final_reported_on is None and day > due.final:
            late.append("final")
        if not self.persons_notified_on and not self.notice_exemption and day > due.final:
            late.append("notice")
        return late

    def closing_refusals(self) -> list[str]:
        """What still stands between the incident and its closing (a list of keys)."""
        missing = []
        if self.manager_told_at is None:
            missing.append("manager")
        if self.superior_told_at is None:
            missing.append("superior")
        report = self.written()
        if report is None or report.state != WrittenReport.State.SIGNED_OFF:
            missing.append("report")
        if self.tasks.filter(state=InvestigationTask.State.OPEN).exists():
            missing.append("tasks")
        assessment = self.assessment()
        if assessment is not None and assessment.report_required:
            if self.preliminary_reported_on is None or self.final_reported_on is None:
                missing.append("commission")
            if self.persons_notified_on is None and not self.notice_exemption:
                missing.append("notice")
        if not hasattr(self, "publication") or self.publication.state == Publication.State.DRAFT:
            missing.append("publication")
        return missing


# The written report (6-4)


class WrittenReport(FiscalRecord, Decision):
    """6-4: the contractor's written report: which assets, how many records, where, how.

    Its facts decide what the law requires; the manager signs it off once it is complete. Kept
    (3-6) by the fiscal year in which its incident became known.
    """

    fiscal_date_field = "incident.known_at"
    retention_clause = "6-4"

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SIGNED_OFF = "signed_off", _("Signed off")

    TRANSITIONS = {
        State.SUBMITTED: {State.SIGNED_OFF: Step(IncidentEvent.WRITTEN_REPORT_SIGNED_OFF)}
    }
    PARTY_FIELDS = ("submitted_by",)

    # The fields a correction may change; the order is the form's.
    FACT_FIELDS = (
        "assets",
        "records_count",
        "persons_count",
        "data_items",
        "sensitive",
        "financial_risk",
        "improper_purpose",
        "encrypted",
        "place",
        "circumstances",
        "cause",
        "secondary_damage",
        "city_instructions",
        "contractor_responses",
        "prevention",
    )

    incident = models.OneToOneField(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.PROTECT,
        related_name="written_report",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    assets = models.TextField(_("information assets involved"))
    records_count = models.PositiveIntegerField(_("number of records"))
    persons_count = models.PositiveIntegerField(_("number of persons concerned"))
    data_items = models.TextField(_("kinds of data"))
    sensitive = models.BooleanField(
        _("includes special-care personal information (要配慮個人情報)")
    )
    financial_risk = models.BooleanField(_("misuse may cause financial damage"))
    improper_purpose = models.BooleanField(_("an improper purpose (不正の目的) is possible"))
    encrypted = models.BooleanField(_("the data was protected by high-level encryption"))
    place = models.CharField(_("place"), max_length=200)
    circumstances = models.TextField(_("circumstances"))
    cause = models.TextField(_("cause"), blank=True)
    secondary_damage = models.TextField(_("secondary damage or its possibility"), blank=True)
    city_instructions = models.TextField(_("the city's instructions"), blank=True)
    contractor_responses = models.TextField(_("the contractor's responses"), blank=True)
    prevention = models.TextField(_("measures against recurrence"), blank=True)
    submitted_by = models.ForeignKey(
        Person, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("written incident report")
        verbose_name_plural = _("written incident reports")

    def __str__(self) -> str:
        return f"{_('Written incident report')} #{self.incident_id}"

    def facts(self) -> law.Facts:
        return law.Facts(
            persons=self.persons_count,
            sensitive=self.sensitive,
            financial_risk=self.financial_risk,
            improper_purpose=self.improper_purpose,
            encrypted=self.encrypted,
        )


# Investigation and measures (6-5)


class InvestigationTaskQuerySet(models.QuerySet["InvestigationTask"]):
    def open(self) -> "InvestigationTaskQuerySet":
        return self.filter(state=InvestigationTask.State.OPEN)

    def overdue(self, day: date) -> "InvestigationTaskQuerySet":
        return self.open().filter(due_on__lt=day)


class InvestigationTask(FiscalRecord, Decision):
    """6-5: investigate cause and damage, stop the spread, recover, prevent: owner and due date.

    Marking it done is a step the owner (or anyone responsible) takes; the note is the outcome.
    Kept (3-6) by the fiscal year in which its incident became known.
    """

    fiscal_date_field = "incident.known_at"
    retention_clause = "6-5"

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    class Kind(models.TextChoices):
        CAUSE = "cause", _("Cause")
        DAMAGE = "damage", _("Damage")
        CONTAINMENT = "containment", _("Containment")
        RECOVERY = "recovery", _("Recovery")
        PREVENTION = "prevention", _("Prevention")

    TRANSITIONS = {State.OPEN: {State.DONE: Step(IncidentEvent.TASK_DONE, authority=None)}}

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="tasks"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("task"))
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = InvestigationTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("investigation task")
        verbose_name_plural = _("investigation tasks")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


# Publication (6-6)


class Publication(FiscalRecord, Decision):
    """6-6: whether the city publishes the incident, why, the text and the date.

    Not a request anyone makes for themselves, so no party is barred: the manager may draft
    the text and decide on it. Kept (3-6) by the fiscal year in which its incident became known.
    """

    fiscal_date_field = "incident.known_at"
    retention_clause = "6-6"

    class State(models.TextChoices):
        DRAFT = "draft", _("Not yet decided")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Not published")

    TRANSITIONS = {
        State.DRAFT: {
            State.PUBLISHED: Step(IncidentEvent.PUBLISHED),
            State.WITHHELD: Step(IncidentEvent.NOT_PUBLISHED),
        }
    }

    incident = models.OneToOneField(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="publication"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    text = models.TextField(_("text to publish"), blank=True)
    reasons = models.TextField(_("reasons"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        Person, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("publication decision")
        verbose_name_plural = _("publication decisions")

    def __str__(self) -> str:
        return f"{_('Publication decision')} #{self.incident_id}"
