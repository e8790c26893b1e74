"""3-4: the visitor page tells entries from refused attempts, with the reasons."""

from django.urls import reverse
from django.utils import timezone

from itaku.area.models import Passage
from itaku.people.roles import Role
from tests.area.factories import approved_permission, make_visitor


def test_the_visitor_page_shows_a_refused_attempt_as_refused_with_its_reasons(
    as_role, area, manager, lead
):
    granted = approved_permission(make_visitor(), lead, manager)
    now = timezone.now()
    common = {"area": area, "person": granted.person, "visitor_permission": granted}
    Passage.objects.create(
        **common,
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.REFUSED,
        refusals=[
            {"clause_id": "3-7", "reason": {"ja": "名札を着用していない。", "en": "No tag."}}
        ],
        occurred_at=now,
        recorded_at=now,
    )
    Passage.objects.create(
        **common,
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=now,
        recorded_at=now,
    )
    page = as_role(Role.MANAGER).get(reverse("area:visitor", args=[granted.pk])).content.decode()
    table = page.split('<th scope="col">結果</th>')[1].split("</table>")[0]
    assert "拒否" in table and "名札を着用していない。" in table and "3-7" in table
