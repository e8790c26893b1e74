"""Hostile input the security tests feed to every view, form and export."""

from datetime import date
from html.parser import HTMLParser

from hypothesis import strategies as st

# Text a user, a card reader or a copied spreadsheet may bring. Each must be stored or refused
# plainly, and shown exactly as typed wherever it appears.
HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    '<img src="/etc/passwd"/>',
    '<a href="https://evil.example/">証明書</a>',
    '<font size="80" color="red">大</font>',
    "<para><b>太字</b></para>&amp; & < >",
    "{{ request.user }} {% debug %} {# c #}",
    '=HYPERLINK("https://evil.example/","詳細")',
    "+1+2",
    "-1-2",
    "@SUM(A1:A9)",
    "\t=1",
    "＝１＋２",
    "\u202egnp.exe",
    "𠮷野家 〜 ①",
    "' OR '1'='1' --",
    "../../etc/passwd",
    "x" * 10_000,
]

# Values of query parameters that broke a view before or sit at the edge of a type.
ODD_VALUES = [
    "",
    " ",
    "0",
    "-5",
    "99999999999999999999",
    "1e309",
    "NaN",
    "²",
    "١٢",
    "１２",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2025-02-30",
    "\x00",
    "%00",
    "true",
    "[]",
    *HOSTILE_TEXT[:8],
]

# Names of every query parameter the application reads, and a few it does not.
PARAMETER_NAMES = [
    "fiscal_year",
    "verify",
    "result",
    "date_from",
    "date_to",
    "format",
    "records",
    "page",
    "status",
    "next",
    "person",
    "code",
    "object_type",
    "object_id",
    "q",
    "pk",
]


def values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_VALUES),
        st.integers(min_value=-(10**20), max_value=10**20).map(str),
        st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
        st.sampled_from(["csv", "pdf", "passages", "visitors", "carried", "1"]),
        st.text(max_size=40),
    )


EDGE_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "1900-01-01", "9998-12-31"]


def edge_dates() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(EDGE_DATES), st.dates().map(date.isoformat), values())


def edge_numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["99999999999999999999", "-5", "0", "²", "１２", "1e3"]),
        st.integers(min_value=-(10**20), max_value=10**20).map(str),
        values(),
    )


class GetForms(HTMLParser):
    """The fields of a page's GET forms, each with the values the page offers for it."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, tuple[str, list[str]]] = {}
        self._in_get_form = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._in_get_form = a.get("method", "get").lower() == "get"
        elif not self._in_get_form or not a.get("name") and tag != "option":
            return
        elif tag in {"input", "button"}:
            kind, offered = self.fields.get(a["name"], (a.get("type", "text"), []))
            self.fields[a["name"]] = (kind, [*offered, a.get("value", "")])
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], ("select", []))
        elif tag == "option" and self._select:
            self.fields[self._select][1].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_get_form = False
        elif tag == "select":
            self._select = None


def get_form_fields(html: str) -> dict[str, tuple[str, list[str]]]:
    parser = GetForms()
    parser.feed(html)
    return parser.fields


def _field_values(kind: str, offered: list[str]) -> st.SearchStrategy[str]:
    odd = edge_dates() if kind == "date" else edge_numbers() if kind == "number" else values()
    choices = [value for value in offered if value]
    return st.one_of(st.sampled_from(choices), odd) if choices else odd


def queries(
    fields: dict[str, tuple[str, list[str]]] | None = None,
) -> st.SearchStrategy[dict[str, str | list[str]]]:
    """A query string. The page's own GET form fields are always sent, each with a value it
    offers or an odd one of its type; other names, known or not, are added now and then."""
    names = st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(min_size=1, max_size=12))
    extra = st.dictionaries(
        names, st.one_of(values(), st.lists(values(), min_size=1, max_size=3)), max_size=4
    )
    own = st.fixed_dictionaries(
        {name: _field_values(kind, offered) for name, (kind, offered) in (fields or {}).items()}
    )
    return st.tuples(extra, own).map(lambda pair: pair[0] | pair[1])
