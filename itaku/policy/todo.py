"""The compliance findings on the manager's and the deputy's home page.

Each finding already names the screen that resolves it (`Finding(text, url)`); the home page
lists them as they are, so the dashboard's red turns into a link.
"""

from datetime import datetime

from itaku.core import todo
from itaku.core.todo import Kind, TodoItem, Tone
from itaku.people.models import Person
from itaku.people.todo import is_decider
from itaku.policy import compliance_report
from itaku.policy.models import Procedure
from itaku.policy.registry import Status


@todo.provider
def compliance_findings(person: Person, now: datetime) -> list[TodoItem]:
    if not is_decider(person, now):
        return []
    procedure = Procedure.objects.current()
    if procedure is None:
        return []
    report = compliance_report.current(procedure, now)
    # One finding often concerns several clauses (an untrained worker: 2-2-d, 5-2, 5-5, 5-6):
    # it is listed once, with all of them.
    clauses: dict[tuple[str, str], list[str]] = {}
    for row in report.all_rows():
        for text, url in row.result.linked_findings():
            clauses.setdefault((str(text), url), []).append(row.clause.clause_id)
    return [
        TodoItem(
            text,
            url,
            Kind.FINDING,
            status=Status.ATTENTION.label,
            tone=Tone.ATTENTION,
            clause=", ".join(ids),
        )
        for (text, url), ids in clauses.items()
    ]
