"""2-2-i: at the end of the work, the information assets returned or disposed of, and the
disposal certificate that closes it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.contractors.events import ContractorEvent
from itaku.contractors.models._fields import _at, _by, _capacity
from itaku.contractors.models.contracts import Contract
from itaku.people.decisions import Decision, Step
from itaku.retention.models import FiscalRecord


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
