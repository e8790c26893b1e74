"""A person's name on a page: one unit that a line never breaks inside.

Japanese names are written family name, space, given name (「見本 一郎」); a narrow column would
otherwise break at the space or between any two kanji (「見本 一\\n郎」). Every template shows a
person through this filter, so the rule lives once (`.name` in itaku.css).
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from itaku.people.models import Person

register = template.Library()


@register.filter
def person_name(person: Person | str | None) -> SafeString | str:
    """The person's name (or a name already read from the audit trail) kept on one line;
    nothing for no one, so `|default:"—"` can follow."""
    if not person:
        return ""
    name = person.name if isinstance(person, Person) else str(person)
    return format_html('<span class="name">{}</span>', name)
