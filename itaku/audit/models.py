"""The audit trail's tables: one append-only log per stream and fiscal year.

An event's evidence is its stored bytes (`body`, canonical JSON) and the hashes stored with it
(`hashes`); the other columns only index those bytes for the screens. The tables are created by
the migration's own SQL, with triggers that refuse UPDATE and DELETE, and are not managed by
Django, so `flush` (which empties every managed table) never touches the trail either.
"""

import json
from functools import cached_property
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.audit.verifier import HASH_SIZE
from itaku.audit.verifier import Checkpoint as SignedCheckpoint


class Log(models.Model):
    """The head of one log: how many events it holds. Writers lock this row to append."""

    stream = models.CharField(_("stream"), max_length=40)
    fiscal_year = models.IntegerField(_("fiscal year"))
    size = models.BigIntegerField(_("events"), default=0)

    class Meta:
        managed = False
        db_table = "audit_log"
        verbose_name = _("audit log")
        verbose_name_plural = _("audit logs")
        ordering = ["-fiscal_year", "stream"]

    def __str__(self) -> str:
        return f"{self.stream} {self.fiscal_year}"


class EventQuerySet(models.QuerySet["Event"]):
    def of_log(self, stream: str, fiscal_year: int) -> "EventQuerySet":
        return self.filter(stream=stream, fiscal_year=fiscal_year).order_by("seq")


class Event(models.Model):
    stream = models.CharField(_("stream"), max_length=40)
    fiscal_year = models.IntegerField(_("fiscal year"))
    seq = models.BigIntegerField(_("number"))
    occurred_at = models.DateTimeField(_("occurred at"))
    code = models.CharField(_("event"), max_length=100)
    actor = models.ForeignKey(
        "people.Person",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # The trail outlives people records; the event's bytes carry the actor's name.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    body = models.BinaryField(_("stored bytes"))
    hashes = models.BinaryField(_("stored hashes"))

    objects = EventQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "audit_event"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.stream}/{self.fiscal_year}#{self.seq} {self.code}"

    @cached_property
    def data(self) -> dict[str, Any]:
        """The event as recorded, decoded from its stored bytes (never from the index columns).

        Bytes altered into something that is not an event decode to nothing, so the screens
        still show the event's place and bytes; verification names what happened to it.
        """
        try:
            decoded = json.loads(bytes(self.body))
        except ValueError:
            return {}
        return decoded if isinstance(decoded, dict) else {}

    @property
    def changes(self) -> dict[str, Any]:
        """The recorded old and new values, decoded from the stored bytes."""
        changes: dict[str, Any] = self.data.get("changes") or {}
        return changes

    @property
    def leaf_hash(self) -> bytes:
        return bytes(self.hashes)[:HASH_SIZE]


class Viewed(models.Model):
    """Index of the records a read event names, so "who looked at this person" is one query."""

    event = models.ForeignKey(
        Event, on_delete=models.DO_NOTHING, db_constraint=False, related_name="viewed"
    )
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object ID"), max_length=64)

    class Meta:
        managed = False
        db_table = "audit_viewed"
        verbose_name = _("viewed record")
        verbose_name_plural = _("viewed records")

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}"


class Checkpoint(models.Model):
    """A signed statement of a log's size and root (see verifier.Checkpoint for the text)."""

    stream = models.CharField(_("stream"), max_length=40)
    fiscal_year = models.IntegerField(_("fiscal year"))
    size = models.BigIntegerField(_("events"))
    root = models.BinaryField(_("root"))
    signed_at = models.DateTimeField(_("signed at"))
    key_id = models.CharField(_("key ID"), max_length=16)
    note = models.BinaryField(_("signed text"))
    signature = models.BinaryField(_("signature"))

    class Meta:
        managed = False
        db_table = "audit_checkpoint"
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["-signed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.stream} {self.fiscal_year} @{self.size}"

    def signed(self) -> SignedCheckpoint:
        """The checkpoint as the signature covers it, read back from the signed text."""
        return SignedCheckpoint.from_note(bytes(self.note), bytes(self.signature), self.key_id)
