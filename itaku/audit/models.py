"""Audit events: who did what to which record, when, in which capacity, from where."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    code = models.CharField(_("event"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        "people.Person",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.CharField(_("capacity"), max_length=40, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.object_repr}"
