"""Clause status from records: the dashboard, `itaku compliance` and the API tell the same."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from itaku.people.account_models import ApiToken
from itaku.people.accounts import issue_api_token
from itaku.people.models import RoleAssignment
from itaku.people.roles import Role
from itaku.policy import compliance_report, registry
from itaku.policy.models import Clause, Procedure
from itaku.policy.registry import ClauseStatus, Evidence, Finding, Status, _checks, check
from tests.conftest import sign_in


def _run_compliance(capsys, *args):
    try:
        call_command("compliance", *args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, capsys.readouterr().out


@pytest.mark.django_db
def test_without_a_designated_manager_3_1_needs_attention_and_the_command_exits_1(
    capsys, monkeypatch
):
    # Every clause has a check now; one without (6-6 with its checks taken away) stands for a
    # clause the software does not cover yet.
    monkeypatch.setitem(registry._checks, "6-6", [])
    code, out = _run_compliance(capsys, "--format", "json")
    assert code == 1
    clauses = {c["id"]: c for c in json.loads(out)["clauses"]}
    assert clauses["3-1"]["status"] == "attention"
    assert clauses["3-1"]["findings"] == [
        "管理者が指定されていません。",
        "管理者不在時に代行する次席者が指定されていません。",
    ]
    # A clause without a check: said plainly, not shown like a check without records.
    assert clauses["6-6"] == {
        "id": "6-6",
        "status": "not_covered",
        "checked": False,
        "evidence": 0,
        "findings": [],
        "finding_links": [],
        "facts": [],
    }
    assert clauses["3-2"]["status"] == "no_evidence"
    assert clauses["3-2"]["checked"] is True
    assert len(clauses) == Clause.objects.count() == 49


@pytest.mark.django_db
def test_with_manager_and_deputy_designated_3_1_is_ok(capsys, manager, deputy):
    _, out = _run_compliance(capsys)
    line = next(line for line in out.splitlines() if line.startswith("3-1 "))
    assert "適合" in line and "証跡: 2" in line


@pytest.mark.django_db
def test_3_1_shows_who_is_designated_since_when(as_role, manager, deputy):
    page = as_role(Role.AUDITOR).get("/dashboard/").content.decode()
    assert f"管理者: {manager.name}（令和2年4月1日 から）" in page
    assert f"次席者: {deputy.name}" in page


@pytest.mark.django_db
def test_the_command_exits_1_when_a_clause_needs_attention_else_2_while_any_is_unproven(
    capsys, manager, deputy, temporary_check
):
    code, out = _run_compliance(capsys, "--format", "json")
    statuses = {c["status"] for c in json.loads(out)["clauses"]}
    assert code == (1 if "attention" in statuses else 2)
    assert statuses - {"ok"}, "an empty database proves nothing: the exit code cannot be 0"
    temporary_check("6-1", Evidence(0, ("連絡体制表がありません",)))
    code, _ = _run_compliance(capsys)
    assert code == 1


@pytest.mark.django_db
def test_the_command_exits_0_only_when_every_clause_is_ok(capsys, monkeypatch):
    ok_everywhere = {
        clause_id: ClauseStatus(clause_id, evidence=1, checked=True)
        for clause_id in Clause.objects.values_list("clause_id", flat=True)
    }
    monkeypatch.setattr(compliance_report, "assess", lambda ids, at: dict(ok_everywhere))
    assert _run_compliance(capsys)[0] == 0

    ok_everywhere["6-6"] = ClauseStatus("6-6", evidence=0, checked=False)
    code, out = _run_compliance(capsys)
    assert code == 2
    assert "チェック未整備" in next(line for line in out.splitlines() if line.startswith("6-6 "))

    ok_everywhere["6-6"] = ClauseStatus("6-6", evidence=0, checked=True)
    assert _run_compliance(capsys)[0] == 2


def test_the_command_help_documents_the_exit_codes():
    from itaku.policy.management.commands.compliance import Command

    assert "0 when every clause is ok, 1 when any clause needs attention, 2 when" in Command.help


@pytest.mark.django_db
def test_a_designation_that_has_ended_is_no_evidence(capsys, manager, deputy):
    RoleAssignment.objects.filter(person=deputy).update(
        starts_on=date(2020, 4, 1), ends_on=date(2021, 3, 31)
    )
    _, out = _run_compliance(capsys, "--format", "json")
    finding = next(c for c in json.loads(out)["clauses"] if c["id"] == "3-1")["findings"]
    assert finding == ["管理者不在時に代行する次席者が指定されていません。"]


@pytest.fixture
def temporary_check():
    registered = []

    def add(clause_id, evidence):
        func = check(clause_id)(lambda at: evidence)
        registered.append((clause_id, func))

    yield add
    for clause_id, func in registered:
        _checks[clause_id].remove(func)


@pytest.mark.django_db
def test_a_clause_with_items_takes_the_worst_status_of_its_items(temporary_check):
    temporary_check("2-2-a", Evidence(1))
    temporary_check("2-2-h", Evidence(1, ("再委託の規定がありません",)))
    report = compliance_report.build(Procedure.objects.current(), timezone.now())
    row = next(row for row in report.rows if row.clause.clause_id == "2-2")
    assert row.status is Status.ATTENTION
    assert {item.clause.clause_id: item.status for item in row.items}["2-2-a"] is Status.OK


@pytest.mark.django_db
def test_dashboard_shows_every_clause_with_status_and_findings(as_role):
    page = as_role(Role.MANAGER).get("/dashboard/").content.decode()
    for clause_id in ["2-1", "2-2-m", "3-12", "4-5", "5-11", "6-6"]:
        assert f'id="clause-{clause_id}"' in page
    assert "証跡なし" in page
    assert "委託作業管理区域" in page
    assert "Choose the contractor by a selection method fit for the work." in page
    assert "平成24年10月1日" in page  # in force since, as an era date
    assert "令和5年4月1日" in page  # the last revision


@pytest.mark.django_db
def test_the_api_gives_the_same_report_to_a_token(personas, client):
    _token, key = issue_api_token(
        personas[Role.AUDITOR].user, days=30, scope=ApiToken.Scope.READ, by=None
    )
    response = client.get("/api/v1/compliance/", headers={"authorization": f"Token {key}"})
    assert response.status_code == 200
    body = response.json()
    assert body["procedure"] == "passport-outsourcing"
    assert {c["id"] for c in body["clauses"]} >= {"2-1", "3-1", "6-6"}


@pytest.mark.django_db
def test_a_contractor_token_is_refused_by_the_compliance_api(personas, client):
    _token, key = issue_api_token(
        personas[Role.CONTRACTOR_WORKER].user, days=30, scope=ApiToken.Scope.READ, by=None
    )
    response = client.get("/api/v1/compliance/", headers={"authorization": f"Token {key}"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_compliance_endpoint(as_role):
    response = as_role(Role.AUDITOR).get("/api/schema/", headers={"accept": "application/json"})
    assert response.status_code == 200
    assert "/api/v1/compliance/" in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_session_is_not_enough_without_the_second_factor(personas):
    from django.test import Client

    client = Client()
    client.force_login(personas[Role.MANAGER].user)
    assert client.get("/api/v1/compliance/").status_code == 403
    assert sign_in(client, personas[Role.MANAGER]).get("/api/v1/compliance/").status_code == 200


@pytest.mark.django_db
def test_the_dashboard_can_show_only_the_clauses_that_need_attention(as_role, temporary_check):
    temporary_check("6-1", Evidence(0, ("連絡体制表がありません",)))
    page = as_role(Role.AUDITOR).get("/dashboard/?status=attention").content.decode()
    assert 'id="clause-6-1"' in page and "連絡体制表がありません" in page
    assert 'id="clause-6-6"' not in page
    assert 'id="clause-3-1"' not in page


@pytest.mark.django_db
def test_the_dashboard_opens_with_the_clauses_needing_attention_and_folds_the_ok_ones(
    as_role, temporary_check
):
    temporary_check("2-1", Evidence(1))
    temporary_check("6-1", Evidence(0, ("連絡体制表がありません",)))
    page = as_role(Role.MANAGER).get("/dashboard/").content.decode()
    overall = page[page.index('id="overall"') :]
    assert overall.index("要対応の条項が") < overall.index("</p>")
    attention, folded = page.index('id="clause-6-1"'), page.index('<details class="clauses-ok"')
    assert attention < folded
    # The ok clause is still on the page, inside its chapter's fold.
    ok = page.index('id="clause-2-1"')
    fold = page.rindex('<details class="clauses-ok"', 0, ok)
    assert fold > attention and "</details>" not in page[fold:ok]
    # Each chapter is one jump away, and names its clauses needing attention.
    chapter = page[page.index('id="chapter-6"') :]
    assert 'href="#chapter-6"' in page and 'href="#clause-6-1"' in chapter


@pytest.mark.django_db
def test_a_finding_links_to_the_screen_that_resolves_it(as_role, temporary_check, capsys):
    contracts, people = reverse("contractors:contract_list"), reverse("people:account", args=[1])
    findings = (Finding("連絡体制表がありません", contracts), Finding("見本の指摘", people))
    temporary_check("6-1", Evidence(0, findings))
    page = as_role(Role.AUDITOR).get("/dashboard/").content.decode()
    assert f'<a href="{contracts}">連絡体制表がありません</a>' in page
    # A screen the reader may not open is named without a link (no way to a 403).
    assert "見本の指摘" in page and f'href="{people}"' not in page
    _, out = _run_compliance(capsys, "--format", "json")
    clause = next(c for c in json.loads(out)["clauses"] if c["id"] == "6-1")
    # The real 6-1 check links its own finding (no chart in force) to the chart page.
    assert clause["finding_links"] == ["/incidents/contact-chart/", contracts, people]


@pytest.mark.django_db
def test_the_dashboard_tells_not_covered_from_no_evidence(as_role, monkeypatch):
    monkeypatch.setitem(registry._checks, "6-6", [])
    page = as_role(Role.AUDITOR).get("/dashboard/?status=not_covered").content.decode()
    assert 'id="clause-6-6"' in page
    assert 'id="clause-3-2"' not in page  # checked, only without records
    assert 'id="clause-4-1"' not in page
    assert "チェック未整備" in page
