"""The main menu, contributed by each app in its AppConfig.ready().

An entry is shown only to those whose roles may open its page, so the menu never offers a page
that would answer 403.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuItem:
    label: Promise
    url_name: str
    order: int


_items: list[MenuItem] = []


def register(label: Promise, url_name: str, order: int) -> None:
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(MenuItem(label, url_name, order))
    _items.sort(key=lambda item: item.order)


def items() -> list[MenuItem]:
    return list(_items)
