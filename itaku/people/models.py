"""People, their organisations, roles with periods, and the manager's absences (3-1).

A person is not a login: visitors and many workers are people with no account. The person is the
hub that rosters, pledges, training, entry logs and terminal accounts point to.
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.people.events import PeopleEvent
from itaku.people.roles import (
    CITY_ONLY_ROLES,
    CONTRACTOR_ROLES,
    SEPARATED_ROLES,
    SINGLE_HOLDER_ROLES,
    OversightCapacity,
    Role,
)
from itaku.retention.models import FiscalRecord


class User(AbstractUser):
    """A login. The person behind it is `user.person`."""

    # Set when an administrator chose the password: until its owner picks their own, the login
    # opens only the password change page (see itaku/people/accounts.py).
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Who chose the current password when it was not its owner: that person may not also issue
    # the login's enrolment code, or they alone could enrol a second factor and act as it.
    password_set_by = models.ForeignKey(
        "Person",
        verbose_name=_("password set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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

    def overlapping(self, starts_on: date, ends_on: date | None) -> "RoleAssignmentQuerySet":
        """Assignments whose period shares at least one day with [starts_on, ends_on]."""
        found = self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        return found if ends_on is None else found.filter(starts_on__lte=ends_on)


class RoleAssignment(FiscalRecord):
    """A person holds a role for a period; for manager and deputy this is the designation of 3-1.

    Evidence of who held which role when (3-6): a role ends by its end date, never by deleting
    the assignment; one still held is not disposed of (`itaku.people.holds`).
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 3-1.
    fiscal_date_field = "starts_on"
    retention_clause = "3-1"

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["role", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_period_ordered",
                violation_error_message=_("The end date is before the start date."),
            ),
            # 3-1: the database itself refuses a second open-ended manager (or deputy). Periods
            # with an end cannot be compared by a portable constraint; `clean()` refuses those
            # overlaps and the 3-1 compliance check shows any that got in another way.
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(ends_on__isnull=True, role__in=sorted(SINGLE_HOLDER_ROLES)),
                name="role_assignment_one_open_manager_or_deputy",
                violation_error_message=_(
                    "Someone else already holds this role with no end date; end that "
                    "designation first (3-1)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()}"

    def clean(self) -> None:
        """3-1: the rules a designation must meet, whoever makes it and however.

        Called by `full_clean()`, which every action runs before saving; the 3-1 compliance
        check finds what was written around it.
        """
        super().clean()
        if not self.person_id or not self.role or not self.starts_on:
            return
        if self.ends_on is not None and self.ends_on < self.starts_on:
            return  # the period constraint names this one
        role = Role(self.role)
        others = RoleAssignment.objects.exclude(pk=self.pk).overlapping(
            self.starts_on, self.ends_on
        )
        if role in CITY_ONLY_ROLES:
            if self.person.organization.kind != Organization.Kind.CITY:
                raise ValidationError(
                    {
                        "role": _(
                            "The manager and the deputy must be city staff; %(name)s belongs to "
                            "%(organization)s (3-1)."
                        )
                        % {"name": self.person.name, "organization": self.person.organization}
                    }
                )
            if others.filter(person_id=self.person_id, role__in=CONTRACTOR_ROLES).exists():
                raise ValidationError(
                    {"role": _("Contractor personnel cannot be the manager or the deputy (3-1).")}
                )
        if (
            role in CONTRACTOR_ROLES
            and others.filter(person_id=self.person_id, role__in=CITY_ONLY_ROLES).exists()
        ):
            raise ValidationError(
                {"role": _("Contractor personnel cannot be the manager or the deputy (3-1).")}
            )
        if role in SINGLE_HOLDER_ROLES and others.filter(role=role).exists():
            raise ValidationError(
                {
                    "starts_on": _(
                        "Another person is %(role)s for part of this period: there is one "
                        "%(role)s at a time. End that designation first (3-1)."
                    )
                    % {"role": role.label}
                }
            )
        if role in SEPARATED_ROLES:
            held = others.filter(person_id=self.person_id, role__in=SEPARATED_ROLES).exclude(
                role=role
            )
            clash = held.first()
            if clash is not None:
                raise ValidationError(
                    {
                        "role": _(
                            "%(name)s is %(other)s in this period; one person cannot also be "
                            "%(role)s (3-1)."
                        )
                        % {
                            "name": self.person.name,
                            "other": clash.get_role_display(),
                            "role": role.label,
                        }
                    }
                )


class AbsenceQuerySet(models.QuerySet["Absence"]):
    def covering(self, at: datetime) -> "AbsenceQuerySet":
        return self.filter(starts_at__lte=at, ends_at__gt=at)


class Absence(FiscalRecord):
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
    # 3-1: on return the manager acknowledges what the deputy decided in her name.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = AbsenceQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 3-1.
    fiscal_date_field = "starts_at"
    retention_clause = "3-1"

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="absence_period_ordered",
                violation_error_message=_("The end must be after the start."),
            ),
            # 3-1: an absence without a reason gives the deputy authority nobody can check.
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="absence_has_reason",
                violation_error_code="required",
                violation_error_message=_("Give the reason for the manager's absence (3-1)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def planned(self) -> bool:
        """Recorded by the manager herself ahead of time; otherwise by the superior."""
        return self.recorded_by_id == self.person_id

    def recorder_refusal(self) -> str | None:
        """3-1: why `recorded_by` may not record this absence, or None if they may.

        The manager records her own planned absence; the superior records an unplanned one.
        The deputy never does, not even holding another role: the absence is what gives her
        authority. Judged on the day the absence was recorded.
        """
        day = timezone.localdate(self.recorded_at or timezone.now())
        recorder = self.recorded_by.roles_on(day)
        if Role.DEPUTY in recorder:
            return str(
                _(
                    "The deputy cannot record the manager's absence: it is what gives the "
                    "deputy authority. The manager records it, or the superior when she is "
                    "away unexpectedly (3-1)."
                )
            )
        if self.planned or Role.SUPERIOR in recorder:
            return None
        return str(
            _(
                "Only the manager herself, or the superior when she is away unexpectedly, "
                "may record the manager's absence (3-1)."
            )
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not (self.reason or "").strip():
            errors["reason"] = str(_("Give the reason for the manager's absence (3-1)."))
        if self.person_id and self.starts_at:
            day = timezone.localdate(self.starts_at)
            if Role.MANAGER not in self.person.roles_on(day):
                errors["person"] = str(
                    _("%(name)s is not the manager on that day (3-1).") % {"name": self.person.name}
                )
        if self.person_id and self.recorded_by_id:
            refusal = self.recorder_refusal()
            if refusal is not None:
                errors["__all__"] = refusal
        if errors:
            raise ValidationError(errors)


class RoleChangeQuerySet(models.QuerySet["RoleChange"]):
    def pending(self) -> "RoleChangeQuerySet":
        return self.filter(state=RoleChange.State.PROPOSED)


# RoleChange is a Decision, and the decision primitive (with the authority it asks) builds on
# Person and the models above: it can only be imported here, once they exist.
from itaku.people import authority as _authority  # noqa: E402
from itaku.people.decisions import Decision, Step  # noqa: E402


class RoleChange(FiscalRecord, Decision):
    """3-1: a proposed grant or end of a role that takes two people (`TWO_PERSON_ROLES`).

    The system administrator or the superior proposes; the other one confirms, and only then is
    the role assignment created or ended, in the same transaction as the confirmation
    (`itaku.people.actions.confirm_role_change`). Neither the proposer nor the person concerned
    may decide it, so no single login grants itself a role or removes the auditor.
    """

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        END = "end", _("End")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS: ClassVar[Mapping[str, Mapping[str, Step]]] = {
        State.PROPOSED: {
            State.CONFIRMED: Step(
                PeopleEvent.ROLE_CHANGE_CONFIRMED, authority=_authority.require_role_confirmer
            ),
            State.REJECTED: Step(
                PeopleEvent.ROLE_CHANGE_REJECTED, authority=_authority.require_role_confirmer
            ),
        },
    }
    # Who may not decide it: who proposed it and whom it is about.
    PARTY_FIELDS: ClassVar[tuple[str, ...]] = ("proposed_by", "person")

    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="role_changes"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    assignment = models.ForeignKey(
        RoleAssignment,
        verbose_name=_("role assignment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(
        Person, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_capacity = models.CharField(
        _("proposed as"), max_length=20, choices=OversightCapacity.choices
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PROPOSED
    )
    # The confirmer acts as superior or as administrator, not as manager or deputy.
    decided_capacity = models.CharField(
        _("capacity"), max_length=20, choices=OversightCapacity.choices, blank=True
    )

    objects = RoleChangeQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 3-1.
    fiscal_date_field = "proposed_at"
    retention_clause = "3-1"

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="grant", starts_on__isnull=False, assignment__isnull=True)
                    | Q(kind="end", ends_on__isnull=False, assignment__isnull=False)
                ),
                name="role_change_kind_fields",
            ),
            # 3-1: the database refuses a change proposed by the person it concerns, and a
            # decision by the proposer or by that person, whichever way it is written.
            models.CheckConstraint(
                condition=~Q(proposed_by=models.F("person")),
                name="role_change_not_for_oneself",
                violation_error_message=_("No one proposes a role change for themselves (3-1)."),
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=models.F("proposed_by")) & ~Q(decided_by=models.F("person"))),
                name="role_change_decided_by_another",
                violation_error_message=_(
                    "Neither the proposer nor the person concerned may decide a role change (3-1)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_role_display()} {self.person}"


# Enrolment codes and API tokens live in their own module; imported here so Django finds them.
from itaku.people.account_models import ApiToken, EnrolmentCode  # noqa: E402, F401
