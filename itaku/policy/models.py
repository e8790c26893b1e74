"""The procedure as data: its clauses with stable IDs (2-1 … 6-6), text, gloss and history."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def current(self) -> "Procedure | None":
        return self.filter(is_current=True).first()


class Procedure(models.Model):
    code = models.SlugField(_("code"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    preamble = models.TextField(_("overview"), blank=True)
    effective_on = models.DateField(_("in force since"))
    source_sha256 = models.CharField(_("SHA-256 of the loaded file"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"))
    is_current = models.BooleanField(_("in use"), default=False)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_procedure"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="revisions")
    revised_on = models.DateField(_("revised on"))

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["revised_on"]

    def __str__(self) -> str:
        return self.revised_on.isoformat()


class Chapter(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField(_("chapter"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="unique_chapter_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Clause(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="clauses")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    clause_id = models.CharField(_("clause"), max_length=20)
    text = models.TextField(_("original text"))
    gloss = models.TextField(_("English gloss"))
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["chapter__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "clause_id"], name="unique_clause_id")
        ]

    def __str__(self) -> str:
        return self.clause_id


class DataVersion(models.Model):
    """What the compliance report reads, as of now: rows rewritten by the database's own
    triggers on every change (`itaku.policy.dataversion`).

    `writer` is the database session that wrote (`backend <pid>`) on PostgreSQL and the table
    written on SQLite. `token` is new and random at each change, so a version seen inside a
    transaction that is rolled back never comes back; `changes` only counts, for a reader.
    """

    writer = models.CharField(max_length=63, primary_key=True)
    token = models.CharField(max_length=32)
    changes = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return self.writer
