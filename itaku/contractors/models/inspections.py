"""5-11, 2-2-k: inspections by the city and the corrective actions for a breach found; an
open inspection holds its contract's records back from disposal (3-6)."""

from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from itaku.contractors.events import ContractorEvent
from itaku.contractors.models._fields import _at, _by, _capacity
from itaku.contractors.models.contracts import Contract
from itaku.people.decisions import Decision, Step
from itaku.people.models import Person
from itaku.retention.models import FiscalRecord
from itaku.retention.registry import hold


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
