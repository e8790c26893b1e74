"""A login's own credentials (password change, second-factor enrolment) and the
administrator's page for them. The audited changes are in itaku/people/accounts.py."""

import base64
from io import BytesIO
from typing import cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaku.core.forms import add_refusal
from itaku.people import accounts
from itaku.people.access import allow, require_person, signed_in, viewer
from itaku.people.account_forms import (
    EnrolmentCodeForm,
    EnrolmentCodeIssueForm,
    PasswordChangeForm,
    SetPasswordForm,
)
from itaku.people.account_models import EnrolmentCode
from itaku.people.forms import OTPForm
from itaku.people.models import Person, User
from itaku.people.roles import Role

ENROLMENT_SESSION_KEY = "itaku_enrolment_code"


def _next_url(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _has_device(user: object) -> bool:
    found: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return found


@signed_in
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Everyone changes their own password here; after the administrator set one, they must."""
    who = viewer(request)
    # With an authenticator registered, the password alone may not replace the password.
    if who.needs_second_factor and _has_device(request.user) and not who.second_factor_done:
        return redirect(f"{reverse('people:otp_verify')}?next={request.path}")
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.change_password(
                request.user,  # type: ignore[arg-type]
                current=form.cleaned_data["old_password"],
                new=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your password was changed."))
            return redirect(_next_url(request))
    context = {
        "form": form,
        "forced": request.user.must_change_password,  # type: ignore[union-attr]
        "next": _next_url(request, ""),
    }
    return render(request, "people/password_change.html", context)


@signed_in
@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Register an authenticator app: first the enrolment code from the administrator, then
    the app's first code. The key is shown only after a valid enrolment code."""
    user = cast(User, request.user)  # @signed_in: never anonymous here
    if user.must_change_password:
        return redirect(f"{reverse('people:password_change')}?next={request.path}")
    if _has_device(user):
        return redirect("people:otp_verify")
    code = (
        EnrolmentCode.objects.usable(timezone.now())
        .filter(user=user, pk=request.session.get(ENROLMENT_SESSION_KEY, 0))
        .first()
    )
    if code is None:
        return _enter_enrolment_code(request)
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            try:
                accounts.enrol_second_factor(user, code=code, device=device)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                request.session.pop(ENROLMENT_SESSION_KEY, None)
                otp_login(request, device)
                return redirect(_next_url(request))
        else:
            form.add_error("token", _("The code is wrong or has expired. Enter the current code."))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = BytesIO()
    image.save(svg)
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": base64.b32encode(device.bin_key).decode(),
        "qr_svg": svg.getvalue().decode(),
    }
    return render(request, "people/otp_setup.html", context)


def _enter_enrolment_code(request: HttpRequest) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST if "code" in request.POST else None)
    if form.is_valid():
        found = accounts.find_enrolment_code(request.user, form.cleaned_data["code"])  # type: ignore[arg-type]
        if found is not None:
            request.session[ENROLMENT_SESSION_KEY] = found.pk
            return redirect(f"{request.path}?next={_next_url(request)}")
        form.add_error(
            "code",
            _("The enrolment code is wrong, used or expired. Ask the administrator for a new one."),
        )
    context = {"form": form, "next": _next_url(request)}
    return render(request, "people/otp_enrolment_code.html", context)


@allow(Role.ADMIN)
@never_cache
@require_http_methods(["GET", "POST"])
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """The administrator sets a forgotten password or issues a second-factor enrolment code."""
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    password_form = SetPasswordForm(request.POST if "password" in request.POST else None)
    code_form = EnrolmentCodeIssueForm(request.POST if "issue_code" in request.POST else None)
    issued_code = None
    if password_form.is_bound and password_form.is_valid():
        try:
            accounts.set_password(
                person, password=password_form.cleaned_data["password"], by=require_person(request)
            )
        except ValidationError as error:
            add_refusal(password_form, error)
        else:
            messages.success(request, _("The password was set. The person must change it."))
            return redirect("people:account", pk=person.pk)
    if code_form.is_bound and code_form.is_valid():
        try:
            issued_code = accounts.issue_enrolment_code(
                person,
                by=require_person(request),
                replace_device=code_form.cleaned_data["replace_device"],
            )
        except ValidationError as error:
            add_refusal(code_form, error)
    user = person.user
    context = {
        "person": person,
        "password_form": password_form,
        "code_form": code_form,
        "issued_code": issued_code,
        "code_hours": settings.ITAKU_ENROLMENT_CODE_HOURS,
        "has_device": user is not None and _has_device(user),
        "open_codes": (
            EnrolmentCode.objects.filter(user=user).usable(timezone.now())
            if user is not None
            else EnrolmentCode.objects.none()
        ),
    }
    return render(request, "people/person_account.html", context)
