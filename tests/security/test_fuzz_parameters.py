"""No query parameter makes a GET view answer with a server error, whoever asks.

Every named URL that answers GET is found in the URL configuration (as the authorization matrix
does), its path filled with a record of the demo data, and requested with query strings that
Hypothesis makes from odd values (huge and negative numbers, dates at the ends of the calendar,
superscript digits, NUL, markup). A page's own GET form is read first: its fields are always
sent, with the values it offers or odd ones of the field's type, and such pages get more
examples. The roles drawn are those the view lets in: the others are
turned away before the view runs (tests/test_authorization_matrix.py). Examples are
derandomized and bounded, so the test is the same on every run and takes well under a minute;
ITAKU_FUZZ_EXAMPLES=40 digs deeper.
"""

import os

import pytest
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itaku.area.models import Area, Passage, VisitorPermission
from itaku.audit.models import Event
from itaku.contractors.models import (
    Contract,
    ContractDocument,
    Inspection,
    PeriodicReport,
    Pledge,
    RosterSubmission,
)
from itaku.incidents.models import ContactChart, Incident
from itaku.lgwan.models import LogFile, LogSource, Terminal
from itaku.lgwan.rules import RULES
from itaku.people.models import Person
from itaku.people.roles import Role
from tests.conftest import sign_in
from tests.factories import person_with_role
from tests.security.hostile import get_form_fields, queries
from tests.test_authorization_matrix import EXPECTED, URLS

EXAMPLES = int(os.environ.get("ITAKU_FUZZ_EXAMPLES", "4"))
# A page with a GET form reads parameters on purpose: it gets more examples.
FORM_EXAMPLES = EXAMPLES * 8

# The record each URL's <pk> names; a URL with a path parameter missing here fails the test.
RECORD_OF: dict[str, "models.QuerySet[models.Model]"] = {
    "people:detail": Person.objects.all(),
    "people:account": Person.objects.all(),
    "audit:event": Event.objects.all(),
    "contractors:document_file": ContractDocument.objects.all(),
    "contractors:roster_pdf": RosterSubmission.objects.all(),
    "contractors:pledge_file": Pledge.objects.all(),
    "contractors:report_detail": PeriodicReport.objects.all(),
    "contractors:report_resubmit": PeriodicReport.objects.all(),
    "contractors:inspection_detail": Inspection.objects.all(),
    "area:area_edit": Area.objects.all(),
    "area:area_desk": Area.objects.all(),
    "area:correct_passage": Passage.objects.filter(outcome=Passage.Outcome.ADMITTED),
    "area:missed_exit": Passage.objects.filter(
        outcome=Passage.Outcome.ADMITTED, direction=Passage.Direction.ENTRY
    ),
    "area:visitor": VisitorPermission.objects.all(),
    "lgwan:terminal": Terminal.objects.all(),
    "lgwan:import_detail": LogFile.objects.all(),
    "lgwan:source": LogSource.objects.all(),
    "incidents:detail": Incident.objects.all(),
    "incidents:written_report": Incident.objects.all(),
    "incidents:report_pdf": Incident.objects.all(),
    "incidents:commission_items": Incident.objects.all(),
    "incidents:chart_pdf": ContactChart.objects.all(),
}
CONTRACT_PAGES = {
    "contract_detail",
    "contract_edit",
    "document_upload",
    "roster",
    "pledges",
    "training",
    "reports",
    "inspections",
    "end_of_work",
}

GET_URLS = [
    (name, pattern)
    for name, pattern in URLS
    if EXPECTED[name].read and not EXPECTED[name].api  # the API has its own test (schemathesis)
]


def _path(name: str, converters: dict[str, object]) -> str:
    if not converters:
        return reverse(name)
    if name == "lgwan:rule":  # the rules are code; a page per rule, stored or not
        return reverse(name, kwargs={"code": next(iter(RULES))})
    if name.startswith("contractors:") and name.split(":")[1] in CONTRACT_PAGES:
        records = Contract.objects.all()
    else:
        records = RECORD_OF[name]
    record = records.order_by("pk").first()
    assert record is not None, f"the demo data has no record for {name}"
    return reverse(name, kwargs={"pk": record.pk})


@pytest.fixture
def world(db, settings, tmp_path) -> dict[Role, Client]:
    """The demo office with its month of history, and a logged-in client for every role: the
    demo's own people where it has one (3-1 allows one manager), a new person otherwise."""
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    today = timezone.localdate()
    clients = {}
    for role in Role:
        person = Person.objects.holding(role, today).exclude(user=None).first()
        clients[role] = sign_in(Client(), person or person_with_role(role))
    return clients


def test_every_get_view_is_fuzzed():
    assert len(GET_URLS) > 40


def _fuzz(clients: dict[Role, Client], name: str, path: str) -> None:
    readers = sorted(EXPECTED[name].read)
    page = clients[readers[0]].get(path)
    is_html = page.get("Content-Type", "").startswith("text/html")
    fields = get_form_fields(page.content.decode()) if is_html else {}

    @settings(
        max_examples=FORM_EXAMPLES if fields else EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(role=st.sampled_from(readers), query=queries(fields))
    def probe(role: Role, query: dict[str, str | list[str]]) -> None:
        response = clients[role].get(path, query)
        assert response.status_code < 500, (name, role, query, response.status_code)

    probe()


def test_no_query_parameter_makes_a_get_view_fail(world):
    for name, pattern in GET_URLS:
        _fuzz(world, name, _path(name, pattern.pattern.converters))
