"""The controlled area (委託作業管理区域) and what happens at its door: chapter 3 and 5-9.

Records here are evidence: an entry, a refusal, a carry-in, a check is written once and never
edited. A wrong passage is corrected by a new record that points to the old one (3-3), so the
log shows both what was recorded and what was meant. Every record carries its fiscal year and
leaves only through a recorded disposal (3-6, `itaku.retention`).
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from typing import ClassVar

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from itaku.area.events import AreaEvent
from itaku.core.business_days import closed_on
from itaku.people.account_models import new_secret, secret_hash
from itaku.people.decisions import Decision, Step
from itaku.people.models import Person
from itaku.people.roles import STAFF_ROLES, Role
from itaku.retention.models import FiscalRecord

# Who files requests (3-4, 3-12) for anyone: the city's side. Everyone else files only in their
# own name, and the contractor lead also for their own company's people and their visitors.
CITY_REQUESTERS = frozenset({Role.MANAGER, Role.DEPUTY, Role.SUPERIOR, Role.CITY_STAFF})
# Who reads every request: the city's side and those who oversee it.
CITY_READERS = CITY_REQUESTERS | {Role.AUDITOR, Role.ADMIN}


def is_staff(person: Person, day: date) -> bool:
    return bool(person.roles_on(day) & STAFF_ROLES)


def requestable_by(person: Person, day: date) -> "models.QuerySet[Person]":
    """3-4, 3-12: the people `person` may file a request for (a device, a visit, after hours).

    A request is made in one's own name: a worker asks only for themselves; the contractor
    lead also for their own organisation's people and the visitors they registered or asked a
    permission for; the city's staff for anyone. Forms offer these, actions refuse the rest.
    """
    roles = person.roles_on(day)
    if roles & CITY_REQUESTERS:
        return Person.objects.all()
    mine = Q(pk=person.pk)
    if Role.CONTRACTOR_LEAD in roles:
        registered = VisitorRegistration.objects.filter(registered_by=person).values("visitor")
        asked = VisitorPermission.objects.filter(requested_by=person).values("person")
        mine |= Q(organization=person.organization_id) | Q(pk__in=registered) | Q(pk__in=asked)
    elif Role.CONTRACTOR_WORKER not in roles:
        return Person.objects.none()
    return Person.objects.filter(mine)


def _visible_to(person: Person, day: date) -> Q | None:
    """Requests a person may read: all for the city's side, else those they may file or filed."""
    if person.roles_on(day) & CITY_READERS:
        return None
    return Q(person__in=requestable_by(person, day)) | Q(requested_by=person)


class Area(models.Model):
    """3-2: a controlled area marked out inside the office."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    place = models.CharField(_("place"), max_length=200)
    boundary = models.TextField(
        _("boundary"), help_text=_("How the area is marked out: partitions, floor lines, doors.")
    )
    signage_checked_on = models.DateField(
        _("signage checked on"),
        null=True,
        blank=True,
        help_text=_("The day someone confirmed the signs marking the area are in place."),
    )
    opening_time = models.TimeField(
        _("opening time"),
        default=time(8, 0),
        help_text=_("Before this time, entry needs an after-hours permission (3-3)."),
    )
    closing_time = models.TimeField(
        _("closing time"),
        default=time(18, 0),
        help_text=_(
            "After this time, entry needs an after-hours permission and anyone still recorded "
            "inside is listed as a finding."
        ),
    )

    class Meta:
        verbose_name = _("controlled area")
        verbose_name_plural = _("controlled areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_open(self, at: datetime, zone: tzinfo | None = None) -> bool:
        """3-3: within the area's hours on a business day (the office's calendar decides).

        `zone` is the current time zone when the caller already has it (many entries at once).
        """
        local = at.astimezone(zone) if zone is not None else timezone.localtime(at)
        if closed_on(local.date()):
            return False
        return self.opening_time <= local.time().replace(tzinfo=None) < self.closing_time

    def missed_closing(self, entered_at: datetime, now: datetime) -> bool:
        """3-3: still recorded inside past a closing time, or since an earlier day.

        Someone who came in after closing (overtime) is not listed that evening, but is the
        next morning: a stay does not run over a night without someone noticing.
        """
        return entered_at < self.last_closing(now) or (
            timezone.localdate(entered_at) < timezone.localdate(now)
        )

    def last_closing(self, at: datetime) -> datetime:
        """The most recent closing moment at or before `at`, in local time."""
        local = timezone.localtime(at)
        closing = datetime.combine(local.date(), self.closing_time, tzinfo=local.tzinfo)
        if closing > local:
            closing = datetime.combine(
                local.date() - timedelta(days=1), self.closing_time, tzinfo=local.tzinfo
            )
        return closing


class ManagerDecision(FiscalRecord, Decision):
    """A request the manager decides (3-4, 3-12): requested, then approved or rejected once,
    with who decided and in which capacity (3-1). Moved only by `itaku.people.decisions.decide`.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )

    # Neither the person the request is for nor the one who asked decides it (3-1).
    PARTY_FIELDS = ("person", "requested_by")

    class Meta:
        abstract = True


class VisitorPermissionQuerySet(models.QuerySet["VisitorPermission"]):
    def visible_to(self, person: Person, day: date) -> "VisitorPermissionQuerySet":
        """Also the visits `person` monitors (3-4), whoever asked for them."""
        rule = _visible_to(person, day)
        return self if rule is None else self.filter(rule | Q(monitor=person))

    def approved(self) -> "VisitorPermissionQuerySet":
        return self.filter(state=VisitorPermission.State.APPROVED)

    def covering(self, at: datetime) -> "VisitorPermissionQuerySet":
        """Approved and open at `at`: the window is half-open, so its end admits no one."""
        return self.approved().filter(starts_at__lte=at, ends_at__gt=at)


class VisitorPermission(ManagerDecision):
    """3-4: the manager's permission for someone who is not staff to enter, with a monitor."""

    person = models.ForeignKey(
        Person, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    monitor = models.ForeignKey(
        Person,
        verbose_name=_("monitor"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The contractor lead who watches the visitor (3-4)."),
    )
    works_in_area = models.BooleanField(
        _("works in the area"),
        default=False,
        help_text=_("A visitor who works declares the work before entry and reports after (3-5)."),
    )
    requested_by = models.ForeignKey(
        Person, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))

    TRANSITIONS = {
        ManagerDecision.State.REQUESTED: {
            ManagerDecision.State.APPROVED: Step(AreaEvent.VISITOR_APPROVED),
            ManagerDecision.State.REJECTED: Step(AreaEvent.VISITOR_REJECTED),
        },
    }
    fiscal_date_field = "starts_at"
    objects = VisitorPermissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("visitor permission")
        verbose_name_plural = _("visitor permissions")
        ordering = ["-starts_at"]
        # The desk's visits of the moment (`covering`) read only permissions not yet ended.
        indexes = [models.Index(fields=["state", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="visitor_window_ordered",
                violation_error_message=_("The end must be after the start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def is_open(self, at: datetime) -> bool:
        return self.state == self.State.APPROVED and self.starts_at <= at < self.ends_at


class VisitorRegistration(models.Model):
    """Who registered a visitor: the contractor lead files requests for the visitors they
    registered (3-4, 3-12), and for no one else outside their company."""

    visitor = models.OneToOneField(
        Person, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(
        Person, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("visitor registration")
        verbose_name_plural = _("visitor registrations")

    def __str__(self) -> str:
        return str(self.visitor)


class AfterHoursPermissionQuerySet(models.QuerySet["AfterHoursPermission"]):
    def visible_to(self, person: Person, day: date) -> "AfterHoursPermissionQuerySet":
        rule = _visible_to(person, day)
        return self if rule is None else self.filter(rule)

    def covering(self, person: Person, area: Area, at: datetime) -> "AfterHoursPermissionQuerySet":
        """Approved for `person` in `area`, with `at` in the half-open window."""
        return self.filter(
            person=person,
            area=area,
            state=AfterHoursPermission.State.APPROVED,
            starts_at__lte=at,
            ends_at__gt=at,
        )


class AfterHoursPermission(FiscalRecord, Decision):
    """3-3: the manager's permission to enter the area after closing time or on a closed day."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS: ClassVar[Mapping[str, Mapping[str, Step]]] = {
        State.REQUESTED: {
            State.APPROVED: Step(AreaEvent.AFTER_HOURS_APPROVED),
            State.REJECTED: Step(AreaEvent.AFTER_HOURS_REJECTED),
        },
    }
    # 3-1: no one decides their own request, nor one for themselves.
    PARTY_FIELDS: ClassVar[tuple[str, ...]] = ("person", "requested_by")

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="after_hours"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    requested_by = models.ForeignKey(
        Person, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))

    fiscal_date_field = "starts_at"
    objects = AfterHoursPermissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("after-hours permission")
        verbose_name_plural = _("after-hours permissions")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="after_hours_window_ordered",
                violation_error_message=_("The end must be after the start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class WorkDeclaration(FiscalRecord):
    """3-5: a visitor's work, declared before entry and reported (content, result) after."""

    permission = models.OneToOneField(
        VisitorPermission,
        verbose_name=_("visitor permission"),
        on_delete=models.PROTECT,
        related_name="work",
    )
    work = models.TextField(_("work to be done"))
    declared_at = models.DateTimeField(_("declared at"))
    declared_by = models.ForeignKey(
        Person, verbose_name=_("declared by"), on_delete=models.PROTECT, related_name="+"
    )
    report_content = models.TextField(_("work done"), blank=True)
    report_result = models.TextField(_("result"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        Person,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    fiscal_date_field = "declared_at"

    class Meta:
        verbose_name = _("work declaration")
        verbose_name_plural = _("work declarations")
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return str(self.permission)


class DeviceCategory(models.Model):
    """3-11: a kind of device that may not be brought into the area. Data, not code."""

    number = models.PositiveSmallIntegerField(_("item number"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    examples = models.CharField(_("examples"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("prohibited device category")
        verbose_name_plural = _("prohibited device categories")
        ordering = ["number"]

    def __str__(self) -> str:
        if (get_language() or "ja").startswith("ja"):
            return self.name
        return self.name_en


class StoragePlace(models.Model):
    """3-10: a lockable cabinet, desk or locker, what it holds and who holds its key."""

    class Kind(models.TextChoices):
        CABINET = "cabinet", _("Cabinet")
        DESK = "desk", _("Desk")
        LOCKER = "locker", _("Locker")

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="storage_places"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    contents = models.TextField(_("what is kept"))
    key_holder = models.ForeignKey(
        Person, verbose_name=_("key holder"), on_delete=models.PROTECT, related_name="+"
    )
    ic_cards = models.PositiveSmallIntegerField(
        _("terminal IC cards kept"),
        default=0,
        help_text=_("How many terminal IC cards belong here; the daily check counts them."),
    )

    class Meta:
        verbose_name = _("storage place")
        verbose_name_plural = _("storage places")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="storage_place_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CarryInRequestQuerySet(models.QuerySet["CarryInRequest"]):
    def visible_to(self, person: Person, day: date) -> "CarryInRequestQuerySet":
        rule = _visible_to(person, day)
        return self if rule is None else self.filter(rule)

    def approved(self) -> "CarryInRequestQuerySet":
        return self.filter(state=CarryInRequest.State.APPROVED)

    def valid_on(self, day: date) -> "CarryInRequestQuerySet":
        return self.approved().filter(starts_on__lte=day, ends_on__gte=day)

    def expired(self, day: date) -> "CarryInRequestQuerySet":
        """3-12: approved, but the period has ended; the device must not be inside any more."""
        return self.approved().filter(ends_on__lt=day)


class CarryInRequest(ManagerDecision):
    """3-12: the written request to bring a device of a 3-11 category into the area."""

    # 3-12, closing paragraph: every approval carries these two conditions.
    STANDARD_CONDITIONS = _(
        "The device must not handle personal data of the outsourced work, except what staff "
        "labour management needs, and must not be connected to the city's network."
    )

    person = models.ForeignKey(
        Person, verbose_name=_("brought by"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        DeviceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    device = models.CharField(_("device"), max_length=200)
    reason = models.TextField(_("reason and work done with it"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    storage_place = models.CharField(_("storage place"), max_length=200)
    requested_by = models.ForeignKey(
        Person, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    conditions = models.TextField(_("conditions of approval"), blank=True)

    TRANSITIONS = {
        ManagerDecision.State.REQUESTED: {
            ManagerDecision.State.APPROVED: Step(AreaEvent.CARRY_IN_APPROVED),
            ManagerDecision.State.REJECTED: Step(AreaEvent.CARRY_IN_REJECTED),
        },
    }
    fiscal_date_field = "requested_at"
    objects = CarryInRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("device carry-in request")
        verbose_name_plural = _("device carry-in requests")
        ordering = ["-requested_at"]
        # The desk's approvals of the day (`valid_on`) read only those not yet ended.
        indexes = [models.Index(fields=["state", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="carry_in_period_ordered",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.device} ({self.person})"

    def is_expired(self, day: date) -> bool:
        return self.state == self.State.APPROVED and self.ends_on < day

    def is_valid_on(self, day: date) -> bool:
        return self.state == self.State.APPROVED and self.starts_on <= day <= self.ends_on


class CardReader(models.Model):
    """A card reader or gate that posts entries and exits through the API with its own token."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="readers"
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token begins with"), max_length=8, editable=False)
    registered_by = models.ForeignKey(
        Person, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("card reader")
        verbose_name_plural = _("card readers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def issue_token(self) -> str:
        """A new token; only its hash is kept, so the caller must show it now or never."""
        token = new_secret(32)
        self.token_hash = secret_hash(token)
        self.token_hint = token[:8]
        return token


# The annotation naming who watches a visitor now (3-4), see `with_current_monitor`.
CURRENT_MONITOR = "current_monitor_id"


class PassageQuerySet(models.QuerySet["Passage"]):
    def effective(self) -> "PassageQuerySet":
        """Admitted passages that stand: not cancelled, and not replaced by a correction."""
        corrected = Passage.objects.filter(corrects__isnull=False).values("corrects_id")
        return self.filter(outcome=Passage.Outcome.ADMITTED, cancelled=False).exclude(
            pk__in=corrected
        )

    def inside(self, area: Area) -> "PassageQuerySet":
        """The entries of the people recorded inside `area` now: their latest passage is in.

        One query whatever the history's size: per person, the index on (area, person,
        occurred_at, id) finds the latest standing passage without reading older ones, and the
        index on `corrects` tells whether a correction replaced it (`effective`'s list of all
        corrected passages would grow with the history). The entries are then read by primary
        key: DISTINCT keeps PostgreSQL from merging the list into the outer query, where it
        chose to hash every entry ever recorded instead. A person with no passage adds NULL,
        which matches no key.
        """
        corrected = Passage.objects.filter(corrects=OuterRef("pk"))
        standing = Passage.objects.filter(
            area=area, outcome=Passage.Outcome.ADMITTED, cancelled=False
        ).exclude(Exists(corrected))
        latest = standing.filter(person=OuterRef("pk")).order_by("-occurred_at", "-pk")
        last_passages = (
            Person.objects.annotate(last=Subquery(latest.values("pk")[:1]))
            .values("last")
            .distinct()
        )
        return self.filter(pk__in=last_passages, direction=Passage.Direction.ENTRY)

    def with_current_monitor(self) -> "PassageQuerySet":
        """3-4: who watches each visitor now: the last handover's monitor, else the entry's."""
        last = MonitorHandover.objects.filter(entry=OuterRef("pk")).order_by("-handed_at", "-pk")
        return self.annotate(
            **{
                CURRENT_MONITOR: Coalesce(
                    Subquery(last.values("to_monitor_id")[:1]),
                    F("monitor_id"),
                    output_field=models.BigIntegerField(),
                )
            }
        )

    def monitored_by(self, person: Person) -> "PassageQuerySet":
        """Visitors' entries whose current monitor is `person`."""
        return self.with_current_monitor().filter(**{CURRENT_MONITOR: person.pk})


class Passage(FiscalRecord):
    """3-3, 3-7, 5-9, 3-11: one entry, exit or refused attempt at the door of an area."""

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        REFUSED = "refused", _("Refused")

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="passages"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="passages",
    )
    # What the card reader read, kept even when no person has this badge (a refused attempt).
    badge_presented = models.CharField(_("badge presented"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    refusals = models.JSONField(_("reasons for refusal"), default=list, blank=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        Person,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reader = models.ForeignKey(
        CardReader,
        verbose_name=_("card reader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The checks asked at entry (3-7, 5-9, 3-11); None for an exit, where nothing is asked.
    badge_worn = models.BooleanField(_("badge worn"), null=True)
    only_valuables = models.BooleanField(_("only valuables carried"), null=True)
    prohibited_device = models.BooleanField(_("carries a prohibited device"), null=True)
    carry_in = models.ForeignKey(
        CarryInRequest,
        verbose_name=_("approved carry-in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="passages",
    )
    visitor_permission = models.ForeignKey(
        VisitorPermission,
        verbose_name=_("visitor permission"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="passages",
    )
    monitor = models.ForeignKey(
        Person,
        verbose_name=_("monitor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    cancelled = models.BooleanField(
        _("cancels the corrected record"),
        default=False,
        help_text=_("A correction saying the corrected passage did not happen."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    fiscal_date_field = "occurred_at"
    objects = PassageQuerySet.as_manager()

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # The primary key last: ordered as `inside` asks (latest first, ties by key), the
            # latest passage is the first read, whatever the planner knows of the table.
            models.Index(fields=["area", "person", "occurred_at", "id"]),
            models.Index(fields=["area", "recorded_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(outcome="refused"),
                name="passage_admitted_names_person",
            ),
            models.CheckConstraint(
                condition=Q(cancelled=False) | Q(corrects__isnull=False),
                name="passage_cancel_is_correction",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.badge_presented
        when = timezone.localtime(self.occurred_at)
        return f"{who} {self.get_direction_display()} {when:%Y-%m-%d %H:%M}"

    def refusal_reasons(self) -> list[tuple[str, str]]:
        """(clause ID, reason) in the reader's language; both are stored with the record."""
        language = "en" if (get_language() or "ja").startswith("en") else "ja"
        return [(item["clause_id"], item["reason"][language]) for item in self.refusals]


class MonitorHandover(FiscalRecord):
    """3-4: the visitor inside is handed to another contractor lead, who watches from then on.

    The monitor may leave only after this, so the visitor is never inside unwatched.
    """

    entry = models.ForeignKey(
        Passage,
        verbose_name=_("visitor's entry"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    from_monitor = models.ForeignKey(
        Person, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    to_monitor = models.ForeignKey(
        Person, verbose_name=_("handed over to"), on_delete=models.PROTECT, related_name="+"
    )
    handed_at = models.DateTimeField(_("time"))
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    fiscal_date_field = "handed_at"

    class Meta:
        verbose_name = _("monitor handover")
        verbose_name_plural = _("monitor handovers")
        ordering = ["-handed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_monitor} → {self.to_monitor}"


class CarryRecord(FiscalRecord):
    """3-8: items carried into or out of the area, witnessed and checked by staff."""

    class Direction(models.TextChoices):
        IN = "in", _("Carried in")
        OUT = "out", _("Carried out")

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="carry_records"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    items = models.TextField(_("items"))
    carried_by = models.ForeignKey(
        Person, verbose_name=_("carried by"), on_delete=models.PROTECT, related_name="+"
    )
    witness = models.ForeignKey(
        Person, verbose_name=_("witness"), on_delete=models.PROTECT, related_name="+"
    )
    checked = models.TextField(_("what the witness checked"))
    occurred_at = models.DateTimeField(_("time"))
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    fiscal_date_field = "occurred_at"

    class Meta:
        verbose_name = _("carry record")
        verbose_name_plural = _("carry records")
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.items[:40]}"


class StorageCheck(FiscalRecord):
    """3-10: the daily check that every terminal IC card is back in its place."""

    place = models.ForeignKey(
        StoragePlace, verbose_name=_("storage place"), on_delete=models.PROTECT, related_name="+"
    )
    checked_on = models.DateField(_("day"))
    cards_expected = models.PositiveSmallIntegerField(_("IC cards expected"))
    cards_present = models.PositiveSmallIntegerField(_("IC cards present"))
    locked = models.BooleanField(_("locked"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        Person, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"))

    fiscal_date_field = "checked_on"

    class Meta:
        verbose_name = _("storage check")
        verbose_name_plural = _("storage checks")
        ordering = ["-checked_on", "place"]
        constraints = [
            models.UniqueConstraint(fields=["place", "checked_on"], name="one_check_per_place_day")
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.checked_on.isoformat()}"

    @property
    def complete(self) -> bool:
        return self.locked and self.cards_present >= self.cards_expected


class Patrol(FiscalRecord):
    """3-9: a clean-desk patrol; a finding is something left unattended."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="patrols"
    )
    patrolled_at = models.DateTimeField(_("time"))
    patrolled_by = models.ForeignKey(
        Person, verbose_name=_("patrolled by"), on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(
        _("findings"),
        blank=True,
        help_text=_("IC cards, personal data or documents left unattended; empty if none."),
    )

    fiscal_date_field = "patrolled_at"

    class Meta:
        verbose_name = _("clean-desk patrol")
        verbose_name_plural = _("clean-desk patrols")
        ordering = ["-patrolled_at"]

    def __str__(self) -> str:
        return f"{self.area} {timezone.localtime(self.patrolled_at):%Y-%m-%d %H:%M}"

    @property
    def is_clean(self) -> bool:
        return not self.findings.strip()
