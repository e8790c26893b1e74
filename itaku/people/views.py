from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaku.audit.describe import Described, describe
from itaku.audit.log import record_view
from itaku.core.forms import add_refusal, run_action
from itaku.people import accounts, actions, authority
from itaku.people.access import allow, may, public, require_person, signed_in, viewer
from itaku.people.account_views import person_account
from itaku.people.forms import (
    AbsenceForm,
    GrantLoginForm,
    LoginForm,
    OTPForm,
    PersonForm,
    RoleAssignmentForm,
    RoleChangeDecisionForm,
)
from itaku.people.models import Absence, Person, RoleAssignment, RoleChange
from itaku.people.roles import CITY_OVERSIGHT, TWO_PERSON_ROLES, Role

PEOPLE_READERS = (*CITY_OVERSIGHT, Role.CITY_STAFF)

login = public(
    auth_views.LoginView.as_view(
        template_name="people/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )
)
logout = signed_in(auth_views.LogoutView.as_view())


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@signed_in
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login for manager, deputy, auditor and administrator."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{request.path}setup/?next={_next_url(request)}")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        accounts.record_second_factor(request.user, passed=device is not None)  # type: ignore[arg-type]
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired. Enter the current code."))
    return render(request, "people/otp_verify.html", {"form": form, "next": _next_url(request)})


@allow(*PEOPLE_READERS)
def people_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    current = RoleAssignment.objects.current(today)
    people = Person.objects.select_related("organization").prefetch_related(
        Prefetch("role_assignments", queryset=current, to_attr="current_roles")
    )
    record_view(people, actor=require_person(request), page="people:list")  # who looked at whom
    context = {
        "people": people,
        "manager_absent": authority.manager_absent(timezone.now()),
        "can_register": may(request, person_new),
    }
    return render(request, "people/people_list.html", context)


@allow(Role.MANAGER, Role.SUPERIOR, read=(Role.DEPUTY, Role.ADMIN, Role.AUDITOR))
@require_http_methods(["GET", "POST"])
def absences(request: HttpRequest) -> HttpResponse:
    """3-1: the manager's recorded absences, and what the deputy decided during them.

    The manager records her planned absences, the superior an unplanned one; the deputy and
    the administrator only read. On return the manager finds here every decision the deputy
    took in her name.
    """
    me = require_person(request)
    form = AbsenceForm(request.POST or None, viewer=me)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.record_absence(
            form.cleaned_data["person"],
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            reason=form.cleaned_data["reason"],
            by=me,
        ),
        _("The absence was recorded."),
    ):
        return redirect("people:absences")
    recent = list(Absence.objects.select_related("person", "recorded_by")[:50])
    context = {
        "form": form,
        "absences": recent,
        "can_record": may(request, absences) and form.fields["person"].queryset.exists(),  # type: ignore[attr-defined]
        "while_away": _while_away(recent),
        "me": me,
        "now": timezone.now(),
    }
    return render(request, "people/absences.html", context)


@allow(Role.MANAGER)
@require_POST
def absence_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """3-1: the manager, back, acknowledges the deputy's decisions taken in her absence."""
    absence = get_object_or_404(Absence, pk=pk)
    try:
        actions.acknowledge_absence(absence, by=require_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Acknowledged."))
    return redirect("people:absences")


def _while_away(recent: list[Absence]) -> list[tuple[Absence, list[Described]]]:
    """Each absence that has begun, with the deputy's decisions taken during it, in words."""
    now = timezone.now()
    begun = [absence for absence in recent if absence.starts_at <= now]
    decisions = describe(authority.deputy_decisions_during(begun))
    return [
        (
            absence,
            [
                decision
                for decision in decisions
                if absence.starts_at <= decision.event.occurred_at < absence.ends_at
            ],
        )
        for absence in begun
    ]


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    """Register a person: staff, contractor personnel or a visitor. A login is optional."""
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = actions.register_person(**form.cleaned_data, by=require_person(request))
        messages.success(request, _("%(name)s was registered.") % {"name": person.name})
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_new.html", {"form": form})


def _render_person(
    request: HttpRequest,
    person: Person,
    *,
    role_form: RoleAssignmentForm | None = None,
    login_form: GrantLoginForm | None = None,
) -> HttpResponse:
    context = {
        "person": person,
        "assignments": person.role_assignments.order_by("-starts_on"),
        "pending_changes": person.role_changes.pending().select_related("proposed_by"),
        "two_person_roles": sorted(TWO_PERSON_ROLES),
        "today": timezone.localdate(),
        "can_manage": may(request, person_assign_role),
        "can_open_account": may(request, person_account, "GET"),
        # The superior proposes the two-person roles only; the one-step ones are the admin's.
        "can_end_one_step": Role.ADMIN in viewer(request).roles,
        "can_grant_login": may(request, person_grant_login),
        "role_form": role_form
        or RoleAssignmentForm(
            initial={"starts_on": timezone.localdate()}, viewer_roles=viewer(request).roles
        ),
        "login_form": login_form or GrantLoginForm(),
    }
    return render(request, "people/person_detail.html", context)


@allow(*PEOPLE_READERS)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("organization", "user"), pk=pk)
    record_view([person], actor=require_person(request), page="people:detail")
    return _render_person(request, person)


@allow(Role.ADMIN, Role.SUPERIOR)
@require_POST
def person_assign_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant a role: the administrator alone for most roles; for the roles of 3-1 that take
    two people, a proposal that the other of administrator and superior confirms."""
    person = get_object_or_404(Person, pk=pk)
    form = RoleAssignmentForm(request.POST, viewer_roles=viewer(request).roles)
    if form.is_valid():
        role = Role(form.cleaned_data["role"])
        by = require_person(request)
        try:
            if role in TWO_PERSON_ROLES:
                actions.propose_role_grant(
                    person,
                    role,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    reason=form.cleaned_data["reason"],
                    by=by,
                )
            else:
                actions.assign_role(
                    person,
                    role,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    by=by,
                )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if role in TWO_PERSON_ROLES:
                messages.success(
                    request, _("The role was proposed; it takes effect once it is confirmed.")
                )
            else:
                messages.success(request, _("The role was assigned."))
            return redirect("people:detail", pk=person.pk)
    return _render_person(request, person, role_form=form)


@allow(Role.ADMIN, Role.SUPERIOR)
@require_POST
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a role today: at once for one-step roles, by a proposal for the two-person ones."""
    assignment = get_object_or_404(RoleAssignment, pk=pk)
    by = require_person(request)
    two_people = Role(assignment.role) in TWO_PERSON_ROLES
    try:
        if two_people:
            actions.propose_role_end(assignment, on=timezone.localdate(), by=by)
        else:
            actions.end_role(assignment, on=timezone.localdate(), by=by)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if two_people:
            messages.success(
                request, _("Ending the role was proposed; it ends once it is confirmed.")
            )
        else:
            messages.success(request, _("The role ends today."))
    return redirect("people:detail", pk=assignment.person_id)


@allow(*CITY_OVERSIGHT)
def role_changes(request: HttpRequest) -> HttpResponse:
    """3-1: role changes waiting for a second person, and the last ones decided."""
    me = require_person(request)
    pending = RoleChange.objects.pending().select_related("person", "proposed_by")
    context = {
        "waiting_for_me": [
            change for change in pending if actions.may_decide_role_change(change, me)
        ],
        "pending": pending,
        "decided": RoleChange.objects.exclude(state=RoleChange.State.PROPOSED).select_related(
            "person", "proposed_by", "decided_by"
        )[:30],
        "decision_form": RoleChangeDecisionForm(),
    }
    return render(request, "people/role_changes.html", context)


@allow(Role.ADMIN, Role.SUPERIOR)
@require_POST
def role_change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """3-1: confirm or reject a proposed role change; the proposer and the person concerned
    cannot, and the administrator's proposals go to the superior and the reverse."""
    change = get_object_or_404(RoleChange, pk=pk)
    form = RoleChangeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to confirm or to reject."))
        return redirect("people:role_changes")
    decide = (
        actions.confirm_role_change
        if form.cleaned_data["decision"] == "confirm"
        else actions.reject_role_change
    )
    try:
        decide(change, note=form.cleaned_data["note"], by=require_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role change was decided."))
    return redirect("people:role_changes")


@allow(Role.ADMIN)
@require_POST
def person_grant_login(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    form = GrantLoginForm(request.POST)
    if run_action(
        request,
        form,
        lambda: actions.grant_login(person, **form.cleaned_data, by=require_person(request)),
        _("The login was created."),
    ):
        return redirect("people:detail", pk=person.pk)
    return _render_person(request, person, login_form=form)
