"""`flush` (what the test runner and a database owner use to empty everything) passes the guard,
and the audit trail, which it leaves alone, then names what it removed."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import override

from itaku.area import actions as area_actions
from itaku.area.models import Patrol
from itaku.people.roles import Role
from itaku.policy.registry import assess
from itaku.retention.models import DisposalPermit
from tests.area.factories import make_area
from tests.audit.conftest import guard_switched_off
from tests.factories import person_with_role


@pytest.mark.django_db(transaction=True)
def test_flush_empties_evidence_and_the_trail_names_it():
    manager = person_with_role(Role.MANAGER)
    with transaction.atomic():
        patrol = area_actions.record_patrol(area=make_area(), findings="", by=manager)

    call_command("flush", interactive=False, verbosity=0)

    assert not Patrol.objects.exists()
    assert not DisposalPermit.objects.exists()
    with override("en"):
        findings = assess(["3-6"], timezone.now())["3-6"].findings
    assert any("clean-desk patrols" in f and str(patrol.pk) in f for f in findings)
    # Leave no trail of a flushed record behind for the tests that follow.
    with transaction.atomic(), guard_switched_off(), connection.cursor() as cursor:
        for table in ("audit_viewed", "audit_checkpoint", "audit_event", "audit_log"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
