"""People, their organisations, roles with periods, and the manager's absences (3-1).

A person is not a login: visitors and many workers are people with no account. The person is the
hub that rosters, pledges, training, entry logs and terminal accounts point to.
"""

from datetime import date, datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itaku.people.roles import Role


class User(AbstractUser):
    """A login. The person behind it is `user.person`."""

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")


class Organization(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City office")
        CONTRACTOR = "contractor", _("Contractor")
        OTHER = "other", _("Other")
        # 3-4: a visitor's own organisation; it is never the city nor a contractor, so none of
        # its people can be offered as staff, a responsible person or a roster member.
        VISITOR = "visitor", _("Visitor's organization")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def holding(self, role: Role, day: date) -> "PersonQuerySet":
        current = RoleAssignment.objects.current(day).filter(role=role)
        return self.filter(pk__in=current.values("person_id"))


class Person(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT
    )
    badge_number = models.CharField(
        _("badge number"), max_length=40, blank=True, null=True, unique=True
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name

    def roles_on(self, day: date) -> frozenset[Role]:
        return frozenset(
            Role(role) for role in self.role_assignments.current(day).values_list("role", flat=True)
        )


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, day: date) -> "RoleAssignmentQuerySet":
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class RoleAssignment(models.Model):
    """A person holds a role for a period; for manager and deputy this is the designation of 3-1."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["role", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_period_ordered",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()}"


class AbsenceQuerySet(models.QuerySet["Absence"]):
    def covering(self, at: datetime) -> "AbsenceQuerySet":
        return self.filter(starts_at__lte=at, ends_at__gt=at)


class Absence(models.Model):
    """3-1: while the manager is recorded absent, the deputy acts for the manager."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="absences"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="absence_period_ordered",
                violation_error_message=_("The end must be after the start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_at:%Y-%m-%d %H:%M}"
