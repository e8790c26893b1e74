"""The main menu, contributed by each app in its AppConfig.ready().

An entry is shown only to those whose roles may open its page, so the menu never offers a page
that would answer 403. Entries sit in groups by task (the area, the contractors, audit,
administration), so the menu stays readable as chapters arrive: an app names the group of
each entry, and may add a group of its own with `register_group`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: Promise | str
    order: int


@dataclass(frozen=True)
class MenuItem:
    label: Promise
    url_name: str
    order: int
    group: str = "general"


_groups: dict[str, MenuGroup] = {}
_items: list[MenuItem] = []


def register_group(key: str, label: Promise | str, order: int) -> None:
    if key not in _groups:
        _groups[key] = MenuGroup(key, label, order)


register_group("general", _("Overview"), 10)
register_group("area", _("Controlled area"), 20)
register_group("lgwan", _("LGWAN"), 30)
register_group("contractors", _("Contractors"), 40)
register_group("audit", _("Audit"), 80)
register_group("admin", _("Administration"), 90)


def register(label: Promise, url_name: str, order: int, group: str = "general") -> None:
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(MenuItem(label, url_name, order, group))
    _items.sort(key=lambda item: item.order)


def items() -> list[MenuItem]:
    return list(_items)


def label_of(url_name: str) -> str | None:
    """The menu's name for a page, as a record of what a page showed names it."""
    return next((str(item.label) for item in _items if item.url_name == url_name), None)


def group(key: str) -> MenuGroup:
    """The group of that key; an unknown key gets a group under its own name, last."""
    return _groups.get(key) or MenuGroup(key, key, 100)


def groups() -> list[MenuGroup]:
    return sorted(_groups.values(), key=lambda g: g.order)
