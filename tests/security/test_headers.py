"""A Content-Security-Policy with no inline script or style, and no copy of personal data kept.

The policy only holds if the templates need nothing inline: a template with an inline script,
an `on…=` handler or a `style=` attribute fails here before the browser would block it.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

import itaku
from itaku.people.roles import Role

TEMPLATES = sorted(Path(itaku.__file__).parent.rglob("templates/**/*.html"))
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "<style> element"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: address"),
]


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_template_needs_inline_script_or_style(template):
    text = template.read_text()
    found = [label for pattern, label in INLINE if pattern.search(text)]

    assert not found, f"{template}: {found} would be blocked by the Content-Security-Policy"


def test_pages_carry_a_policy_without_inline_script(as_role):
    response = as_role(Role.MANAGER).get(reverse("policy:dashboard"))

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_login_page_carries_the_policy_too(client):
    assert "script-src 'self'" in client.get(reverse("people:login"))["Content-Security-Policy"]


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "name", ["people:list", "area:inside", "area:visitors", "audit:events", "policy:dashboard"]
)
def test_pages_with_personal_data_are_not_stored_by_the_browser(as_role, name):
    response = as_role(Role.MANAGER).get(reverse(name))

    assert response.status_code == 200
    assert _no_store(response)
    assert "private" in response["Cache-Control"]


def test_a_csv_download_is_not_stored(as_role):
    day = timezone.localdate().isoformat()
    response = as_role(Role.MANAGER).get(
        reverse("area:exports"), {"date_from": day, "date_to": day, "format": "csv"}
    )

    assert response["Content-Type"] == "text/csv"
    assert _no_store(response)


def test_the_api_is_not_stored(as_role):
    response = as_role(Role.MANAGER).get(reverse("api:compliance"))

    assert response.status_code == 200
    assert _no_store(response)


def test_a_redirect_to_the_login_page_is_not_stored(client):
    response = client.get(reverse("people:list"))

    assert response.status_code == 302
    assert _no_store(response)
