"""5-1: the contractor names its lead and workers in writing, version by version."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.contractors.events import ContractorEvent
from itaku.contractors.models.contracts import Contract
from itaku.people.decisions import Decision, Step
from itaku.people.models import Person
from itaku.retention.models import FiscalRecord


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
