"""Chapter 4 on the home page: lookup findings to close and days to sign off (4-4)."""

from datetime import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from itaku.core import todo
from itaku.core.dates import display_date
from itaku.core.todo import TodoItem
from itaku.lgwan.compliance import days_to_sign_off, review_url
from itaku.lgwan.models import DayReview, Finding
from itaku.people.models import Person
from itaku.people.todo import decision, is_decider


@todo.provider
def lookup_reviews(person: Person, now: datetime) -> list[TodoItem | None]:
    """4-4: each day's open findings to close, then each past business day to sign off."""
    if not is_decider(person, now):
        return []
    by_day = (
        Finding.objects.filter(state=Finding.State.OPEN)
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    open_days = {row["day"]: row["count"] for row in by_day}
    # A finding about one's own ID is someone else's to close (3-1).
    own = set(
        Finding.objects.filter(state=Finding.State.OPEN, owner=person).values_list("day", flat=True)
    )
    items = [
        decision(
            person,
            now,
            _("Close the %(count)d lookup findings of %(day)s")
            % {"count": count, "day": display_date(day)},
            review_url(day),
            clause="4-4",
            parties=(person.pk,) if day in own else (),
            status=Finding.State.OPEN.label,
        )
        for day, count in open_days.items()
    ]
    unsigned, _signed = days_to_sign_off(now)
    items += [
        decision(
            person,
            now,
            _("Sign off the lookup review of %(day)s") % {"day": display_date(day)},
            review_url(day),
            clause="4-4",
            status=DayReview.State.PENDING.label,
        )
        for day in unsigned
        if day not in open_days
    ]
    return items
