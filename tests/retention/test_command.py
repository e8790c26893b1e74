"""`itaku retention due` and `itaku retention dispose` (3-6)."""

import pytest
from django.core.management import CommandError, call_command

from itaku.area.models import Patrol
from itaku.retention.models import Disposal
from tests.retention.test_disposal import old_patrols

pytestmark = pytest.mark.django_db


def test_due_lists_records_past_retention_and_dispose_removes_them(manager, capsys):
    year = old_patrols(manager)[0].fiscal_year
    call_command("retention", "due")
    assert f"area.Patrol\t{year}\t2\t" in capsys.readouterr().out

    call_command("retention", "dispose", "area.Patrol", str(year), "--by", manager.user.username)

    assert "Disposed of 2 records of area.patrol" in capsys.readouterr().out
    assert not Patrol.objects.filter(fiscal_year=year).exists()
    assert Disposal.objects.get().disposed_by == manager


def test_dispose_refuses_what_is_still_kept_and_what_is_not_evidence(manager):
    patrol = old_patrols(manager)[0]
    with pytest.raises(CommandError, match="3-6"):
        call_command(
            "retention", "dispose", "area.Patrol", str(patrol.fiscal_year + 5), "--by",
            manager.user.username,
        )  # fmt: skip
    with pytest.raises(CommandError, match="3-6"):
        call_command("retention", "dispose", "area.Area", "2000", "--by", manager.user.username)
    with pytest.raises(CommandError, match="nobody"):
        call_command("retention", "dispose", "area.Patrol", "2000", "--by", "nobody")
