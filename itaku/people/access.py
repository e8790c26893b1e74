"""Deny by default: every page and API view names the roles that may use it.

`@allow(Role.MANAGER, read=(Role.AUDITOR,))` on a view is the whole rule: the first roles may
read and write, those in `read` only read (GET, HEAD, OPTIONS). The auditor is read-only wherever
it is named. A view without a rule answers 403 to everyone, and the authorization-matrix test
fails until the view gets one. Roles needing a second factor must have passed it.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.utils import timezone
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from itaku.core.menu import group as menu_group
from itaku.core.menu import items as menu_items
from itaku.people.account_models import ApiToken
from itaku.people.models import Person
from itaku.people.roles import Role

V = TypeVar("V", bound=Callable[..., Any])

# Markers for the few views every visitor must reach: the login page and its second step.
PUBLIC = "public"
SIGNED_IN = "signed-in"


@dataclass(frozen=True)
class Rule:
    write: frozenset[Role]
    read: frozenset[Role]

    def permits(self, held: Iterable[Role], method: str) -> bool:
        held = set(held)
        if method in SAFE_METHODS:
            return bool(held & (self.write | self.read))
        return any(not role.read_only for role in held & self.write)


def _mark(view: V, rule: Rule | str) -> V:
    view.allowed_roles = rule  # type: ignore[attr-defined]
    # A DRF function view is a wrapper around a generated APIView class: the permission class
    # looks at that class, so the rule goes there too.
    if hasattr(view, "cls"):
        view.cls.allowed_roles = rule
    return view


def allow(*roles: Role, read: Iterable[Role] = ()) -> Callable[[V], V]:
    rule = Rule(write=frozenset(roles), read=frozenset(read))
    if not rule.write | rule.read:
        raise ValueError("name at least one role; use public() for open views")
    return lambda view: _mark(view, rule)


def public(view: V) -> V:
    return _mark(view, PUBLIC)


def signed_in(view: V) -> V:
    """Signed in with a password, second factor possibly still pending (the OTP step)."""
    return _mark(view, SIGNED_IN)


class Viewer:
    """What a request may do: the person behind the login and their roles today."""

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def person(self) -> Person | None:
        if not self._user.is_authenticated:
            return None
        return Person.objects.filter(user=self._user).first()

    @cached_property
    def roles(self) -> frozenset[Role]:
        if self.person is None or not self._user.is_active:
            return frozenset()
        return self.person.roles_on(timezone.localdate())

    @property
    def needs_second_factor(self) -> bool:
        return any(role.needs_second_factor for role in self.roles)

    @property
    def second_factor_done(self) -> bool:
        verified: Callable[[], bool] | None = getattr(self._user, "is_verified", None)
        return not self.needs_second_factor or (verified is not None and verified())


def viewer(request: HttpRequest) -> Viewer:
    found: Viewer | None = getattr(request, "_itaku_viewer", None)
    if found is None:
        found = Viewer(request.user)
        request._itaku_viewer = found  # type: ignore[attr-defined]
    return found


security_log = logging.getLogger("itaku.security")


def _refused(request: HttpRequest | Request, who: Viewer) -> None:
    """ASVS 5.0 V16.3.2: a refused request is logged (to the server log, not the audit trail:
    anyone signed in could otherwise fill the trail by asking for pages they may not open)."""
    security_log.warning(
        "access refused: %s %r for user %s with roles %s",  # %r: no line breaks from the path
        request.method,
        request.path,
        getattr(request.user, "pk", None),
        ",".join(sorted(role.value for role in who.roles)) or "-",
    )


def _login_redirect(request: HttpRequest, url_name: str) -> HttpResponse:
    target = resolve_url(url_name)
    return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class AccessMiddleware:
    """Applies each page view's rule; API views are left to RolePermission."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if hasattr(view, "cls"):
            return None
        rule = getattr(view, "allowed_roles", None)
        if rule == PUBLIC:
            return None
        if not request.user.is_authenticated:
            return _login_redirect(request, settings.LOGIN_URL)
        if rule == SIGNED_IN:
            return None
        if getattr(request.user, "must_change_password", False):
            # A password the administrator chose opens nothing but its own change (and logout).
            return _login_redirect(request, "people:password_change")
        who = viewer(request)
        if not who.second_factor_done:
            return _login_redirect(request, "people:otp_verify")
        if not isinstance(rule, Rule) or not rule.permits(who.roles, request.method or ""):
            _refused(request, who)
            raise PermissionDenied
        return None


class RolePermission(BasePermission):
    """The same rule for the REST API, which authenticates with tokens or the session."""

    def has_permission(self, request: Request, view: Any) -> bool:
        rule = getattr(view, "allowed_roles", None)
        if rule == PUBLIC:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        # Token authentication happens inside DRF, after the middleware saw an anonymous user.
        who = Viewer(request.user)
        # A token stands for a device or script, not a person typing: the second factor is
        # asked of interactive sessions only.
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is None and (
            not who.second_factor_done or getattr(request.user, "must_change_password", False)
        ):
            return False
        read_only = token is not None and token.scope == ApiToken.Scope.READ
        allowed = isinstance(rule, Rule) and rule.permits(who.roles, request.method or "")
        if not allowed or (read_only and request.method not in SAFE_METHODS):
            _refused(request, who)
            return False
        return True


def may(request: HttpRequest, view: Callable[..., Any], method: str = "POST") -> bool:
    """Whether the viewer may use `view` with `method`, to show or hide a form or a link."""
    rule = getattr(view, "allowed_roles", None)
    return isinstance(rule, Rule) and rule.permits(viewer(request).roles, method)


def person_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the signed-in person, their roles, and the menu entries they may open."""
    who = viewer(request)
    if not who.roles:
        return {"viewer": who, "menu": []}
    groups: dict[str, dict[str, Any]] = {}
    for item in menu_items():
        url, view = _menu_target(
            item.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
        )
        if may(request, view, "GET"):
            group = menu_group(item.group)
            entry = groups.setdefault(
                group.key,
                {"key": group.key, "label": group.label, "order": group.order, "items": []},
            )
            entry["items"].append({"label": item.label, "url": url})
            if url == request.path:
                entry["current"] = True
    menu = sorted(groups.values(), key=lambda g: g["order"])
    return {"viewer": who, "menu": menu, "breadcrumbs": _breadcrumbs(request, menu)}


@lru_cache(maxsize=512)
def _menu_target(url_name: str, prefix: str, urlconf: str) -> tuple[str, Callable[..., Any]]:
    """A menu entry's address and view: fixed by the URL configuration (`prefix` and `urlconf`
    name the one in force), worked out once."""
    url = reverse(url_name)
    return url, resolve(url).func


def _breadcrumbs(request: HttpRequest, menu: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Home, then the menu group and entry the page lies under (longest matching address)."""
    best: tuple[int, dict[str, Any], dict[str, Any]] | None = None
    for group in menu:
        for item in group["items"]:
            if request.path.startswith(item["url"]) and (
                best is None or len(item["url"]) > best[0]
            ):
                best = (len(item["url"]), group, item)
    if best is None:
        return []
    _, group, item = best
    crumbs = [{"label": item["label"], "url": item["url"]}]
    if len(group["items"]) > 1:  # a group of one page is that page
        crumbs.insert(0, {"label": group["label"]})
    crumbs[-1]["current"] = item["url"] == request.path
    return crumbs


def require_person(request: HttpRequest) -> Person:
    person = viewer(request).person
    if person is None:
        raise PermissionDenied
    return person
