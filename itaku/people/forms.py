from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.people.models import Person, PersonQuerySet, RoleAssignment
from itaku.people.roles import TWO_PERSON_ROLES, Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is wrong. After repeated failures the account is "
            "locked for a while."
        ),
        "inactive": _("This account is disabled."),
    }


class OTPForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the six digits only."))
        return token


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class AbsenceForm(forms.Form):
    """3-1: the manager's absence, during which the deputy acts.

    It offers only what the viewer may record: the manager her own absence, the superior the
    manager's. Anyone else gets no choice at all (and the action refuses them anyway).
    """

    person = forms.ModelChoiceField(label=_("Manager"), queryset=Person.objects.none())
    starts_at = forms.DateTimeField(label=_("From"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Until"), widget=LocalDateTimeInput())
    # Not required here: the action refuses an absence without a reason and says why (3-1).
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, viewer: Person | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = self.recordable(viewer)  # type: ignore[attr-defined]
        managers = list(self.fields["person"].queryset)  # type: ignore[attr-defined]
        if len(managers) == 1:
            self.fields["person"].initial = managers[0]

    @staticmethod
    def recordable(viewer: Person | None) -> "PersonQuerySet":
        """The managers whose absence `viewer` may record today."""
        today = timezone.localdate()
        managers = Person.objects.holding(Role.MANAGER, today)
        if viewer is None:
            return managers.none()
        held = viewer.roles_on(today)
        if Role.DEPUTY in held:
            return managers.none()
        if Role.SUPERIOR in held:
            return managers
        return managers.filter(pk=viewer.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: datetime | None = data.get("starts_at")
        ends: datetime | None = data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ["name", "name_kana", "organization", "badge_number"]

    def clean_badge_number(self) -> str | None:
        # An empty badge number means "none", so several people can be without one.
        badge: str = self.cleaned_data.get("badge_number") or ""
        return badge.strip() or None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class RoleAssignmentForm(forms.ModelForm[RoleAssignment]):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("For a role that takes two people, tell the confirmer why."),
    )

    class Meta:
        model = RoleAssignment
        fields = ["role", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, viewer_roles: frozenset[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if Role.ADMIN not in viewer_roles:
            # The superior only proposes the roles that take two people (3-1).
            self.fields["role"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Role.choices if value in TWO_PERSON_ROLES
            ]


class RoleChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("confirm", _("Confirm")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class GrantLoginForm(forms.Form):
    username = forms.SlugField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Tell it to the person in a safe way."),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password
