"""The review rules on the screen (4-4): switched and tuned as data, every change audited.

A threshold changed on the screen is what the next review pass runs with; a value that makes no
sense is refused naming its field; only the manager (or the deputy while she is away) decides.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from itaku.audit.models import Event
from itaku.lgwan.models import Finding, Rule
from itaku.lgwan.rule_params import PARAMS
from itaku.lgwan.rules import RULES, review_day
from itaku.people.roles import Role
from itaku.policy.registry import assess
from tests.factories import manager_away
from tests.lgwan.factories import load, sample_file, sample_line, yesterday


def test_every_parameter_of_every_rule_has_words_and_its_default_is_valid():
    for spec in RULES.values():
        for name, default in spec.defaults.items():
            assert name in PARAMS, f"{spec.code}: say what “{name}” means in rule_params.PARAMS"
            assert PARAMS[name].clean(default) == default


def _on_two_terminals(source, minutes_apart: int) -> None:
    load(
        source,
        sample_file(
            [
                sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1"),
                sample_line(yesterday(9, minutes_apart), "LG-02", "U1001", receipt="R-2"),
            ]
        ),
    )


def test_a_threshold_changed_on_the_screen_takes_effect_on_the_next_review_pass(
    source, as_role, manager
):
    _on_two_terminals(source, minutes_apart=10)
    day = yesterday(0).date()
    review_day(day)
    assert not Finding.objects.filter(rule="two_terminals").exists()  # 10 min > the 5 min window

    response = as_role(Role.MANAGER).post(
        reverse("lgwan:rule", args=["two_terminals"]), {"enabled": "on", "window_minutes": "15"}
    )
    review_day(day)

    assert response.status_code == 302
    assert Finding.objects.filter(rule="two_terminals", day=day).count() == 1
    event = Event.objects.get(code="lgwan.rule.changed")
    assert event.actor_id == manager.pk
    assert event.data["capacity"] == "manager"
    assert event.data["changes"]["new"] == {"enabled": True, "params": {"window_minutes": 15}}


def test_a_rule_switched_off_on_the_screen_finds_nothing_on_the_next_pass(source, as_role):
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001")]))

    as_role(Role.MANAGER).post(reverse("lgwan:rule", args=["no_receipt"]), {})
    review_day(yesterday(0).date())

    assert Rule.objects.get(code="no_receipt").enabled is False
    assert not Finding.objects.filter(rule="no_receipt").exists()


def test_a_rule_switched_off_says_so_on_its_page_and_on_the_dashboard(source, as_role):
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1")]))
    client = as_role(Role.MANAGER)
    client.post(reverse("lgwan:rule", args=["no_receipt"]), {})

    page = client.get(reverse("lgwan:rule", args=["no_receipt"])).content.decode()
    status = assess(["4-4"], timezone.now())["4-4"]

    assert "条項4-4は要対応になります" in page
    assert status.status == "attention"
    assert any("点検ルール「受付番号のない照会」が無効" in str(f) for f in status.findings)


@pytest.mark.parametrize(
    ("code", "given", "field", "words"),
    [
        ("two_terminals", {"window_minutes": "0"}, "window_minutes", "時間枠（分）：1以上"),
        ("two_terminals", {"window_minutes": "2.5"}, "window_minutes", "整数"),
        (
            "volume",
            {"factor": "たくさん", "baseline_days": "28", "minimum": "20"},
            "factor",
            "倍率",
        ),
        ("off_hours", {"opens": "18:00", "closes": "09:00"}, "closes", "閉庁時刻"),
        ("off_hours", {"opens": "8時半", "closes": "17:30"}, "opens", "開庁時刻"),
    ],
)
def test_a_threshold_that_makes_no_sense_is_refused_naming_its_field(
    as_role, code, given, field, words
):
    response = as_role(Role.MANAGER).post(
        reverse("lgwan:rule", args=[code]), {"enabled": "on", **given}
    )

    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Rule.objects.exists()
    assert not Event.objects.filter(code="lgwan.rule.changed").exists()


def test_the_auditor_reads_the_rules_but_cannot_change_them(as_role):
    client = as_role(Role.AUDITOR)

    listing = client.get(reverse("lgwan:rules")).content.decode()
    page = client.get(reverse("lgwan:rule", args=["volume"])).content.decode()
    refused = client.post(reverse("lgwan:rule", args=["volume"]), {"factor": "50"})

    assert str(RULES["volume"].label) in listing
    assert '<form method="post" novalidate>' not in page
    assert refused.status_code == 403
    assert not Rule.objects.exists()


def test_the_deputy_changes_a_rule_only_while_the_manager_is_away(as_role, manager):
    client = as_role(Role.DEPUTY)
    url = reverse("lgwan:rule", args=["volume"])
    values = {"enabled": "on", "factor": "4", "baseline_days": "28", "minimum": "20"}

    refused = client.post(url, values)
    manager_away(manager, hours=(-1, 2))
    accepted = client.post(url, values)

    assert refused.status_code == 200
    assert "3-1" in refused.context["form"].non_field_errors()[0]
    assert accepted.status_code == 302
    assert Rule.objects.get(code="volume").params["factor"] == 4.0
    assert Event.objects.get(code="lgwan.rule.changed").data["capacity"] == "deputy"


def _details_on_the_audit_page(client, event: Event) -> list[str]:
    """The Details cell of the event's audit page, a line per item, tags dropped."""
    page = client.get(reverse("audit:event", args=[event.pk])).content.decode()
    cell = re.search(r'<th scope="row">(?:内容|Details)</th><td>(.*?)</td>', page, re.S)
    assert cell is not None
    return [re.sub(r"<[^>]+>", "", item).strip() for item in cell[1].split("</li>")[:-1]]


def test_a_rule_change_reads_on_the_audit_trail_as_each_changed_parameter_old_to_new(as_role):
    client = as_role(Role.MANAGER)
    values = {"enabled": "on", "opens": "08:30", "closes": "17:30"}
    client.post(reverse("lgwan:rule", args=["off_hours"]), {**values, "opens": "09:00"})
    client.post(reverse("lgwan:rule", args=["off_hours"]), {**values, "closes": "18:15"})
    client.post(
        reverse("lgwan:rule", args=["volume"]),
        {"factor": "4.5", "baseline_days": "28", "minimum": "20"},
    )
    first, second, third = Event.objects.filter(code="lgwan.rule.changed").order_by("pk")

    # Against the defaults the first time, against the first change the second.
    assert _details_on_the_audit_page(client, first) == ["開庁時刻: 08:30 → 09:00"]
    assert _details_on_the_audit_page(client, second) == [
        "開庁時刻: 09:00 → 08:30",
        "閉庁時刻: 17:30 → 18:15",
    ]
    assert _details_on_the_audit_page(client, third) == [
        "有効・無効: 有効 → 無効",
        "平常時に対する倍率: 3 → 4.5",
    ]
    page = client.get(reverse("audit:event", args=[third.pk])).content.decode()
    assert "本人の通常よりはるかに多い照会" in page  # the rule by its name, not its code
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _details_on_the_audit_page(client, third) == [
        "On or off: On → Off",
        "Factor over the baseline: 3 → 4.5",
    ]


def test_a_rule_saved_unchanged_says_so_on_the_audit_trail(as_role):
    client = as_role(Role.MANAGER)
    client.post(
        reverse("lgwan:rule", args=["two_terminals"]), {"enabled": "on", "window_minutes": "5"}
    )

    event = Event.objects.get(code="lgwan.rule.changed")
    assert _details_on_the_audit_page(client, event) == ["パラメータ: 変更なし"]


def test_a_whole_factor_reads_as_a_whole_number_on_the_rules_screen(as_role):
    client = as_role(Role.MANAGER)
    values = {"enabled": "on", "factor": "4", "baseline_days": "28", "minimum": "20"}
    client.post(reverse("lgwan:rule", args=["volume"]), values)

    listing = client.get(reverse("lgwan:rules")).content.decode()

    assert Rule.objects.get(code="volume").params["factor"] == 4.0
    assert "平常時に対する倍率: 4<" in listing
    assert "4.0" not in listing


def test_the_review_page_leads_to_the_rules(as_role):
    page = as_role(Role.MANAGER).get(reverse("lgwan:review")).content.decode()

    assert reverse("lgwan:rules") in page
