"""Who may be logged into the controlled area: the rules every entry point asks.

The area app (entry desk, card-reader API) asks `refusals(person, at)` before it records an
entry; an empty list admits. Other apps add rules in their own `admission.py`, discovered at
start-up (the contractor app adds: on the current roster (5-1), pledge confirmed (5-4),
trained (5-6)). Each refusal names the clause it serves and says why, for the screen.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise

from itaku.people.models import Person


@dataclass(frozen=True)
class Refusal:
    clause_id: str
    reason: Promise | str


AdmissionRule = Callable[[Person, datetime], list[Refusal]]
_rules: list[AdmissionRule] = []


def rule(func: AdmissionRule) -> AdmissionRule:
    if func not in _rules:
        _rules.append(func)
    return func


def refusals(person: Person, at: datetime) -> list[Refusal]:
    return [refusal for check in _rules for refusal in check(person, at)]
