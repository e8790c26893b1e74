"""Hostile input the security tests feed to every view, form and export."""

from datetime import date

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


def queries() -> st.SearchStrategy[dict[str, str | list[str]]]:
    """A query string: known names most of the time, any name sometimes, repeated values too."""
    names = st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(min_size=1, max_size=12))
    return st.dictionaries(
        names, st.one_of(values(), st.lists(values(), min_size=1, max_size=3)), max_size=5
    )
