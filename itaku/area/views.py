"""The area's pages: the entry desk, who is inside, visitors, devices, items, storage, patrols."""

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from itaku.area import actions, exports
from itaku.area.admission import EntryAnswers
from itaku.area.forms import (
    AfterHoursForm,
    AreaForm,
    CarryForm,
    CarryInDecisionForm,
    CarryInRequestForm,
    CorrectionForm,
    DecisionForm,
    DeclarationForm,
    DeskForm,
    ExportForm,
    MissedExitForm,
    PatrolForm,
    ReaderForm,
    ReportForm,
    SignageForm,
    StorageCheckForm,
    StoragePlaceForm,
    VisitorPermissionForm,
)
from itaku.area.models import (
    AfterHoursPermission,
    Area,
    CardReader,
    CarryInRequest,
    CarryRecord,
    Passage,
    Patrol,
    StorageCheck,
    StoragePlace,
    VisitorPermission,
    WorkDeclaration,
)
from itaku.audit.log import record_view
from itaku.core import params
from itaku.core.forms import add_refusal, errors_to_messages, run_action
from itaku.people.access import allow, may, require_person
from itaku.people.models import Person
from itaku.people.roles import Role

# The desk is kept by city staff and the contractor lead; the manager and deputy may too.
DESK = (Role.MANAGER, Role.DEPUTY, Role.CITY_STAFF, Role.CONTRACTOR_LEAD)
CITY = (Role.MANAGER, Role.DEPUTY, Role.CITY_STAFF)
DECIDERS = (Role.MANAGER, Role.DEPUTY)
OVERSIGHT = (Role.SUPERIOR, Role.AUDITOR)

R = TypeVar("R", bound=Model)


def _record_shown(request: HttpRequest, page: str, people: "Iterable[Person | None]") -> None:
    """Who looked at whom: one event per page shown, naming each person listed on it once.
    A page that lists no one records nothing (the empty desk at night is no one's data)."""
    shown = list({person.pk: person for person in people if person is not None}.values())
    if shown:
        record_view(shown, actor=require_person(request), page=page)


# 3-1: a request's approval or rejection ------------------------------------------------------


def decision_view(
    model: type[R],
    form_class: type[DecisionForm],
    decide: Callable[..., object],
    *,
    back: Callable[[R], str],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page that approves or rejects one request posted from its list or detail page.

    `decide(record, approve=…, by=…, **fields)` is the request's action; the form's other
    fields (the note, a carry-in's conditions) are passed to it as they are named. Only the
    manager and deputy post here; the action asks who may decide now (3-1).
    """

    @allow(*DECIDERS)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(model, pk=pk)
        form = form_class(request.POST)

        def act() -> object:
            fields = dict(form.cleaned_data)
            approve = fields.pop("decision") == "approve"
            return decide(record, approve=approve, by=require_person(request), **fields)

        if not run_action(request, form, act, _("The decision was recorded.")):
            errors_to_messages(request, form)
        return redirect(back(record))

    return view


# 3-2: the area register ------------------------------------------------------------------------


@allow(*DECIDERS, read=(*DESK, *OVERSIGHT, Role.ADMIN))
@require_http_methods(["GET", "POST"])
def areas(request: HttpRequest) -> HttpResponse:
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = actions.register_area(**form.cleaned_data, by=require_person(request))
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The area %(name)s was registered.") % {"name": area})
            return redirect("area:areas")
    context = {
        "form": form,
        "areas": Area.objects.all(),
        "can_write": may(request, areas),
        "can_see_readers": may(request, readers, "GET"),
        "can_open_desk": may(request, area_desk, "GET"),
        "signage_form": SignageForm(initial={"signage_checked_on": timezone.localdate()}),
    }
    return render(request, "area/areas.html", context)


@allow(*DECIDERS, read=(*DESK, *OVERSIGHT, Role.ADMIN))
@require_http_methods(["GET", "POST"])
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area, pk=pk)
    form = AreaForm(request.POST or None, instance=area)
    # A fresh copy: validation has already set the new values on the form's instance, and the
    # action compares against what is stored.
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.change_area(
            Area.objects.get(pk=pk), **form.cleaned_data, by=require_person(request)
        ),
        _("The area %(name)s was changed.") % {"name": area},
    ):
        return redirect("area:areas")
    context = {"form": form, "area": area, "can_write": may(request, area_edit)}
    return render(request, "area/area_edit.html", context)


@allow(*DECIDERS)
@require_POST
def signage(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area, pk=pk)
    form = SignageForm(request.POST)
    if form.is_valid():
        try:
            actions.record_signage_check(
                area, on=form.cleaned_data["signage_checked_on"], by=require_person(request)
            )
            messages.success(request, _("The signage check was recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Give the day the signage was checked."))
    return redirect("area:areas")


# 3-3, 3-4, 3-7, 3-11, 5-9: the entry desk ------------------------------------------------------


@allow(*DESK, read=OVERSIGHT)
def desk(request: HttpRequest) -> HttpResponse:
    """With one area the desk opens it; with several, the keeper chooses the door."""
    all_areas = list(Area.objects.all())
    if len(all_areas) == 1:
        return redirect("area:area_desk", pk=all_areas[0].pk)
    return render(request, "area/desk_choose.html", {"areas": all_areas})


def _answers(form: DeskForm) -> EntryAnswers:
    carry_in: CarryInRequest | None = form.cleaned_data["carry_in"]
    return EntryAnswers(
        badge_worn=form.cleaned_data["badge_worn"],
        only_valuables=form.cleaned_data["only_valuables"],
        prohibited_device=carry_in is not None or not form.cleaned_data["no_prohibited_device"],
        carry_in=carry_in,
    )


@allow(*DESK, read=OVERSIGHT)
@require_http_methods(["GET", "POST"])
def area_desk(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area, pk=pk)
    form = DeskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person: Person = form.cleaned_data["person"]
        by = require_person(request)
        try:
            if request.POST.get("direction") == Passage.Direction.EXIT:
                passage = actions.record_exit(person, area, by=by)
            else:
                passage = actions.record_entry(person, area, _answers(form), by=by).passage
        except ValidationError as error:
            add_refusal(form, error)
        else:
            return redirect(f"{reverse('area:area_desk', args=[area.pk])}?result={passage.pk}")
    result = None
    if (result_id := params.record_id(request.GET, "result")) is not None:
        result = (
            Passage.objects.filter(pk=result_id, area=area)
            .select_related("person__organization", "monitor", "carry_in")
            .first()
        )
    today_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    inside_now = _inside(area)
    recent = list(
        Passage.objects.filter(area=area, recorded_at__gte=today_start)
        .select_related("person", "corrects")
        .order_by("-recorded_at", "-pk")[:15]
    )
    # 3-4: who may come in as a visitor now, and who must be inside to watch them.
    expected = list(
        VisitorPermission.objects.covering(timezone.now()).select_related(
            "person__organization", "monitor", "work"
        )
    )
    # The badge holders offered for look-up are the desk's directory, not records shown.
    _record_shown(
        request,
        "area:area_desk",
        [result.person if result else None, result.monitor if result else None]
        + [p.person for p in inside_now + recent]
        + [p.monitor for p in inside_now]
        + [v.person for v in expected]
        + [v.monitor for v in expected],
    )
    context = {
        "area": area,
        "form": form,
        "result": result,
        "inside": inside_now,
        "recent": recent,
        "people": Person.objects.exclude(badge_number=None).only("name", "badge_number"),
        "expected": expected,
        "can_write": may(request, area_desk),
        # Only those who may record a correction get the link; readers see the records here.
        "can_correct": may(request, correct_passage),
    }
    return render(request, "area/desk.html", context)


def _inside(area: Area) -> list[Passage]:
    """Who is inside; for a visitor, who watches them now and who inside could take over."""
    entries = list(
        Passage.objects.inside(area)
        .with_current_monitor()
        .select_related("person__organization", "monitor")
        .order_by("occurred_at")
    )
    today = timezone.localdate()
    present = {entry.person_id: entry.person for entry in entries}
    leads = set(
        Person.objects.holding(Role.CONTRACTOR_LEAD, today)
        .filter(pk__in=list(present))
        .values_list("pk", flat=True)
    )
    watchers = Person.objects.in_bulk(
        [entry.current_monitor_id for entry in entries if entry.current_monitor_id]  # type: ignore[attr-defined]
    )
    for entry in entries:
        current = entry.current_monitor_id  # type: ignore[attr-defined]
        entry.watcher = watchers.get(current)  # type: ignore[attr-defined]
        entry.successors = [  # type: ignore[attr-defined]
            present[pk] for pk in sorted(leads) if pk not in (current, entry.person_id)
        ]
    return entries


@allow(*DESK)
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """3-4: the visitor's monitor hands the visit to another contractor lead inside."""
    entry = get_object_or_404(
        Passage.objects.select_related("area", "person"),
        pk=pk,
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.ADMITTED,
    )
    # The choice offered on the desk; the action checks the lead is one and is inside.
    chosen = request.POST.get("to", "")
    to = Person.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    if to is None:
        messages.error(request, _("Choose the contractor lead who takes over (3-4)."))
    else:
        try:
            actions.hand_over_visitor(entry, to=to, by=require_person(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(to)s now monitors %(name)s.") % {"to": to.name, "name": entry.person},
            )
    return redirect("area:area_desk", pk=entry.area.pk)


@allow(*DESK, read=(*OVERSIGHT, Role.ADMIN))
def inside(request: HttpRequest) -> HttpResponse:
    """Who is inside now, per area; anyone in since before the last closing is a finding."""
    now = timezone.now()
    rows = []
    shown: list[Passage] = []
    for area in Area.objects.all():
        entries = _inside(area)
        overdue = [entry for entry in entries if area.missed_closing(entry.occurred_at, now)]
        rows.append({"area": area, "inside": entries, "overdue": overdue})
        shown += entries
    # The page refreshes itself every 30 s (data-live-seconds): each render is a view, so an
    # open screen adds about two events a minute while someone is inside.
    _record_shown(request, "area:inside", [p.person for p in shown] + [p.monitor for p in shown])
    context = {
        "rows": rows,
        "can_correct": may(request, missed_exit),
        "can_open_desk": may(request, area_desk, "GET"),
        "now": now,
    }
    return render(request, "area/inside.html", context)


@allow(*CITY, read=OVERSIGHT)
@require_http_methods(["GET", "POST"])
def correct_passage(request: HttpRequest, pk: int) -> HttpResponse:
    """3-3: a wrong passage stays; the correction is a new record pointing to it."""
    passage = get_object_or_404(
        Passage.objects.select_related("person", "area"), pk=pk, outcome=Passage.Outcome.ADMITTED
    )
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.correct_passage(passage, **form.cleaned_data, by=require_person(request)),
        _("The correction was recorded."),
    ):
        return redirect("area:area_desk", pk=passage.area.pk)
    context = {
        "passage": passage,
        "form": form,
        "corrections": passage.corrections.select_related("recorded_by"),
        "can_write": may(request, correct_passage),
    }
    return render(request, "area/correct.html", context)


@allow(*CITY, read=OVERSIGHT)
@require_http_methods(["GET", "POST"])
def missed_exit(request: HttpRequest, pk: int) -> HttpResponse:
    """A forgotten exit found at closing: recorded afterwards with its real time and a note."""
    entry = get_object_or_404(
        Passage.objects.select_related("person", "area"),
        pk=pk,
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.ADMITTED,
    )
    form = MissedExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert entry.person is not None  # noqa: S101 - admitted passages name a person
        try:
            actions.record_exit(
                entry.person,
                entry.area,
                by=require_person(request),
                occurred_at=form.cleaned_data["occurred_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The exit was recorded."))
            return redirect("area:inside")
    context = {"entry": entry, "form": form, "can_write": may(request, missed_exit)}
    return render(request, "area/missed_exit.html", context)


# 3-4, 3-5: visitors ----------------------------------------------------------------------------


@allow(*DESK, read=OVERSIGHT)
@require_http_methods(["GET", "POST"])
def visitors(request: HttpRequest) -> HttpResponse:
    by = require_person(request)
    form = VisitorPermissionForm(request.POST or None, requester=by)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            permission = _request_permission(data, by)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The visitor permission was requested."))
            return redirect("area:visitor", pk=permission.pk)
    permissions = list(
        VisitorPermission.objects.visible_to(by, timezone.localdate()).select_related(
            "person__organization", "monitor", "decided_by", "work"
        )[:100]
    )
    _record_shown(
        request,
        "area:visitors",
        [v.person for v in permissions]
        + [v.monitor for v in permissions]
        + [v.decided_by for v in permissions],
    )
    context = {"form": form, "permissions": permissions, "can_write": may(request, visitors)}
    return render(request, "area/visitors.html", context)


def _request_permission(data: dict[str, Any], by: Person) -> VisitorPermission:
    # A new visitor and their permission are stored together or not at all.
    with transaction.atomic():
        person = data["person"] or _register_visitor(data, by)
        return actions.request_visitor_permission(
            person=person,
            purpose=data["purpose"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            monitor=data["monitor"],
            works_in_area=data["works_in_area"],
            by=by,
        )


def _register_visitor(data: dict[str, Any], by: Person) -> Person:
    try:
        return actions.register_visitor(
            name=data["new_name"].strip(),
            organization=data["new_organization"].strip(),
            badge_number=data["new_badge"],
            by=by,
        )
    except ValidationError as error:
        # The action speaks of `organization`; the form's field is the new visitor's one.
        if hasattr(error, "error_dict") and "organization" in error.error_dict:
            raise ValidationError({"new_organization": error.error_dict["organization"]}) from None
        raise


@allow(*DESK, read=OVERSIGHT)
def visitor(request: HttpRequest, pk: int) -> HttpResponse:
    by = require_person(request)
    permission = get_object_or_404(
        VisitorPermission.objects.visible_to(by, timezone.localdate()).select_related(
            "person__organization", "monitor", "requested_by", "decided_by"
        ),
        pk=pk,
    )
    work = WorkDeclaration.objects.filter(permission=permission).first()
    record_view([permission.person], actor=by, page="area:visitor")
    context = {
        "permission": permission,
        "work": work,
        "passages": permission.passages.select_related("area").order_by("occurred_at"),
        "decision_form": DecisionForm(),
        "declaration_form": DeclarationForm(),
        "report_form": ReportForm(),
        "can_decide": may(request, visitor_decide)
        and permission.state == VisitorPermission.State.REQUESTED,
        "can_write": may(request, visitor_declaration),
        "now": timezone.now(),
    }
    return render(request, "area/visitor.html", context)


# 3-4 with 3-1: the manager, or the deputy while the manager is absent, decides a visit.
visitor_decide = decision_view(
    VisitorPermission,
    DecisionForm,
    actions.decide_visitor_permission,
    back=lambda permission: reverse("area:visitor", args=[permission.pk]),
)


@allow(*DESK)
@require_POST
def visitor_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    by = require_person(request)
    # A lead declares work only for the visits they may see (their own visitors).
    visible = VisitorPermission.objects.visible_to(by, timezone.localdate())
    permission = get_object_or_404(visible, pk=pk)
    form = DeclarationForm(request.POST)
    if not run_action(
        request,
        form,
        lambda: actions.declare_work(permission, work=form.cleaned_data["work"], by=by),
        _("The work was declared."),
    ):
        errors_to_messages(request, form)
    return redirect("area:visitor", pk=pk)


@allow(*DESK)
@require_POST
def visitor_report(request: HttpRequest, pk: int) -> HttpResponse:
    visible = VisitorPermission.objects.visible_to(require_person(request), timezone.localdate())
    declaration = get_object_or_404(WorkDeclaration, permission_id=pk, permission__in=visible)
    form = ReportForm(request.POST)
    if not run_action(
        request,
        form,
        lambda: actions.report_work(
            declaration,
            content=form.cleaned_data["report_content"],
            result=form.cleaned_data["report_result"],
            by=require_person(request),
        ),
        _("The work report was recorded."),
    ):
        errors_to_messages(request, form)
    return redirect("area:visitor", pk=pk)


# 3-11, 3-12: device carry-in requests ---------------------------------------------------------


@allow(*DESK, Role.CONTRACTOR_WORKER, read=OVERSIGHT)
@require_http_methods(["GET", "POST"])
def carry_in_requests(request: HttpRequest) -> HttpResponse:
    by = require_person(request)
    form = CarryInRequestForm(request.POST or None, requester=by)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.request_carry_in(**form.cleaned_data, by=by),
        _("The carry-in request was filed."),
    ):
        return redirect("area:carry_in_requests")
    today = timezone.localdate()
    # 3-12: a worker sees their own requests; the lead their company's; the city all.
    requests = list(
        CarryInRequest.objects.visible_to(by, today).select_related(
            "person", "category", "decided_by", "requested_by"
        )[:100]
    )
    _record_shown(
        request,
        "area:carry_in_requests",
        [r.person for r in requests] + [r.decided_by for r in requests],
    )
    context = {
        "form": form,
        "requests": requests,
        "today": today,
        "can_write": may(request, carry_in_requests),
        "can_decide": may(request, carry_in_decide),
        "decision_form": CarryInDecisionForm(),
    }
    return render(request, "area/carry_in_requests.html", context)


# 3-12 with 3-1: an approval states its conditions (the form's `conditions`).
carry_in_decide = decision_view(
    CarryInRequest,
    CarryInDecisionForm,
    actions.decide_carry_in,
    back=lambda carry_in: reverse("area:carry_in_requests"),
)


# 3-3: entry after hours ----------------------------------------------------------------------


@allow(*DESK, Role.CONTRACTOR_WORKER, read=OVERSIGHT)
@require_http_methods(["GET", "POST"])
def after_hours(request: HttpRequest) -> HttpResponse:
    """3-3: requests to enter after closing time or on a closed day, and their decisions."""
    by = require_person(request)
    form = AfterHoursForm(request.POST or None, requester=by)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.request_after_hours(**form.cleaned_data, by=by),
        _("The after-hours request was filed."),
    ):
        return redirect("area:after_hours")
    permissions = AfterHoursPermission.objects.visible_to(by, timezone.localdate()).select_related(
        "person", "area", "requested_by", "decided_by"
    )[:100]
    context = {
        "form": form,
        "permissions": permissions,
        "can_write": may(request, after_hours),
        "can_decide": may(request, after_hours_decide),
        "decision_form": DecisionForm(),
        "areas": Area.objects.all(),
    }
    return render(request, "area/after_hours.html", context)


# 3-3 with 3-1.
after_hours_decide = decision_view(
    AfterHoursPermission,
    DecisionForm,
    actions.decide_after_hours,
    back=lambda permission: reverse("area:after_hours"),
)


# 3-8: items carried in or out -----------------------------------------------------------------


@allow(*DESK, read=OVERSIGHT)
@require_http_methods(["GET", "POST"])
def carry_log(request: HttpRequest) -> HttpResponse:
    form = CarryForm(request.POST or None)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.record_carry(**form.cleaned_data, by=require_person(request)),
        _("The carried items were recorded."),
    ):
        return redirect("area:carry_log")
    records = list(CarryRecord.objects.select_related("area", "carried_by", "witness")[:100])
    _record_shown(
        request,
        "area:carry_log",
        [r.carried_by for r in records] + [r.witness for r in records],
    )
    context = {"form": form, "records": records, "can_write": may(request, carry_log)}
    return render(request, "area/carry_log.html", context)


# 3-10, 3-9: locked storage, IC-card checks, clean-desk patrols --------------------------------


@allow(*CITY, read=(Role.CONTRACTOR_LEAD, *OVERSIGHT))
@require_http_methods(["GET", "POST"])
def storage(request: HttpRequest) -> HttpResponse:
    form = StoragePlaceForm(request.POST or None)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.register_storage_place(**form.cleaned_data, by=require_person(request)),
        _("The storage place was registered."),
    ):
        return redirect("area:storage")
    since = timezone.localdate() - timedelta(days=14)
    context = {
        "form": form,
        "places": StoragePlace.objects.select_related("area", "key_holder"),
        "checks": StorageCheck.objects.filter(checked_on__gte=since).select_related(
            "place", "checked_by"
        ),
        "can_write": may(request, storage),
        "can_check": may(request, storage_check),
    }
    return render(request, "area/storage.html", context)


@allow(*DESK, read=OVERSIGHT)
@require_http_methods(["GET", "POST"])
def storage_check(request: HttpRequest) -> HttpResponse:
    """3-10: every terminal IC card back in its locked place, checked every day."""
    places = list(StoragePlace.objects.select_related("area"))
    form = StorageCheckForm(places, request.POST or None)
    if request.method == "POST" and form.is_valid():
        counts = [
            actions.PlaceCount(
                place=place,
                cards_present=form.cleaned_data[f"present_{place.pk}"],
                locked=form.cleaned_data[f"locked_{place.pk}"],
                note=form.cleaned_data[f"note_{place.pk}"],
            )
            for place in places
        ]
        try:
            actions.record_storage_check(
                counts, on=form.cleaned_data["checked_on"], by=require_person(request)
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The check was recorded."))
            return redirect("area:storage")
    context = {"form": form, "can_write": may(request, storage_check)}
    return render(request, "area/storage_check.html", context)


@allow(*CITY, read=(Role.CONTRACTOR_LEAD, *OVERSIGHT))
@require_http_methods(["GET", "POST"])
def patrols(request: HttpRequest) -> HttpResponse:
    form = PatrolForm(request.POST or None)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.record_patrol(**form.cleaned_data, by=require_person(request)),
        _("The patrol was recorded."),
    ):
        return redirect("area:patrols")
    context = {
        "form": form,
        "patrols": Patrol.objects.select_related("area", "patrolled_by")[:100],
        "can_write": may(request, patrols),
    }
    return render(request, "area/patrols.html", context)


# 3-6: records on request ---------------------------------------------------------------------


@allow(*DECIDERS, Role.CONTRACTOR_LEAD, *OVERSIGHT)
def export_records(request: HttpRequest) -> HttpResponse:
    """Any period as CSV or as the monthly entry and exit register (PDF); GET only."""
    form = ExportForm(request.GET if "format" in request.GET else None)
    if form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        records = form.cleaned_data["records"] or "passages"
        if form.cleaned_data["format"] == "pdf":
            records, suffix, content_type = "register", "pdf", "application/pdf"
            body = exports.register_pdf(start, end)
        else:
            suffix, content_type = "csv", "text/csv"
            body = exports.CSV_EXPORTS[records](start, end)
        shown = exports.people_shown(records, start, end)
        record_view(shown, actor=require_person(request), page="area:exports")
        response = HttpResponse(body, content_type=content_type)
        name = f"area-{records}-{start.isoformat()}-{end.isoformat()}.{suffix}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"form": form, "retention": exports.retention_by_year()}
    return render(request, "area/exports.html", context)


# Card readers --------------------------------------------------------------------------------


@allow(Role.MANAGER, Role.ADMIN, read=(Role.AUDITOR,))
@require_http_methods(["GET", "POST"])
def readers(request: HttpRequest) -> HttpResponse:
    form = ReaderForm(request.POST or None)
    token = None
    if request.method == "POST" and form.is_valid():
        try:
            _reader, token = actions.register_reader(
                **form.cleaned_data, by=require_person(request)
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            form = ReaderForm()
    context = {
        "form": form,
        "token": token,
        "readers": CardReader.objects.select_related("area", "registered_by"),
        "can_write": may(request, readers),
    }
    return render(request, "area/readers.html", context)


@allow(Role.MANAGER, Role.ADMIN)
@require_POST
def reader_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    reader = get_object_or_404(CardReader, pk=pk)
    try:
        actions.revoke_reader(reader, by=require_person(request))
        messages.success(request, _("The card reader's token was revoked."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("area:readers")
