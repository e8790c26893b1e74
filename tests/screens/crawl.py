"""Walks the screens a person can reach by following links, one address per URL pattern.

Used by the link test (every link shown leads to a page that opens) and by the browser checks
(accessibility and screenshots of every page). Bounded: internal links only, GET only, and one
representative address per URL pattern, so the walk ends however many records there are.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from itaku.people.demo import PEOPLE
from itaku.people.models import Person
from itaku.people.roles import Role

# Links that act rather than show (they are forms in the product, but never followed here).
NOT_PAGES = {"people:logout", "set_language", "core:ping"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@dataclass
class Visit:
    url: str
    status: int
    html: bool
    found_on: str
    content: str = field(default="", repr=False)  # the page's HTML, when it opened


@dataclass
class Walk:
    pages: dict[str, Visit] = field(default_factory=dict)  # URL pattern name -> visit

    def broken(self) -> list[Visit]:
        return [visit for visit in self.pages.values() if visit.status != 200]

    def html_pages(self) -> dict[str, Visit]:
        """The pages that opened, by URL pattern name."""
        return {n: visit for n, visit in self.pages.items() if visit.html and visit.status == 200}


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


def walk(client: Client, start: str = "/") -> Walk:
    result = Walk()
    queue = [(start, "")]
    while queue:
        url, found_on = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # outside the site
        if parts.path.startswith(("/static/", "/media/")):
            continue
        name = pattern_of(parts.path)
        if name is None or name in NOT_PAGES or name in result.pages:
            continue
        response = client.get(url, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        status = response.status_code
        if "/login/" in urlsplit(final).path and "/login/" not in parts.path:
            status = 401  # sent to the login page: the link did not open for this person
        is_html = response.get("Content-Type", "").startswith("text/html")
        content = response.content.decode() if is_html and status == 200 else ""
        result.pages[name] = Visit(url, status, is_html, found_on, content)
        if content:
            for href in links(content):
                target = urljoin(url, href).split("#")[0]
                if target:
                    queue.append((target, url))
    return result


def demo_person(role: Role) -> Person:
    """The demo's person with a login in that role (the demo must be loaded)."""
    username = next(row[0] for row in PEOPLE if row[4] == role and row[0])
    return Person.objects.get(user__username=username)
