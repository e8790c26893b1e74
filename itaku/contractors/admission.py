"""Who of the contractor's people may be logged into the controlled area.

A person holding a contractor role is admitted only when on the current roster (3-3, 5-1), with
the pledge confirmed (5-4: the contractor's, and their own where the city asks for one), and
trained within the configured period (5-6). People of the city are not this module's concern.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.contractors.models import Contract, last_trained_on, training_valid_from
from itaku.core.bilingual import lazy_message
from itaku.core.dates import display_date_lazy
from itaku.people.admission import Refusal, rule
from itaku.people.models import Person
from itaku.people.roles import CONTRACTOR_ROLES


def rostered_contracts(person: Person, at: datetime) -> list[Contract]:
    """Current contracts whose current roster (the latest received) names `person`."""
    day = timezone.localdate(at)
    found = []
    for contract in Contract.objects.current(day).filter(contractor=person.organization_id):
        roster = contract.current_roster()
        if roster is not None and roster.entries.filter(person=person).exists():
            found.append(contract)
    return found


def pledge_confirmed(person: Person, contract: Contract) -> bool:
    """5-4: the contractor's pledge confirmed, and the person's own where the city asks."""
    # Through `all()`: a contract read with its pledges prefetched (the compliance report)
    # asks nothing more.
    pledges = [pledge for pledge in contract.pledges.all() if pledge.confirmed]
    if not any(pledge.person_id is None for pledge in pledges):
        return False
    return not contract.per_person_pledges or any(
        pledge.person_id == person.pk for pledge in pledges
    )


@rule
def contractor_staff_admitted(person: Person, at: datetime) -> list[Refusal]:
    day = timezone.localdate(at)
    if not person.roles_on(day) & CONTRACTOR_ROLES:
        return []
    contracts = rostered_contracts(person, at)
    if not contracts:
        return [Refusal("5-1", _("Not on the current roster received by the manager."))]
    refusals = []
    if not any(pledge_confirmed(person, contract) for contract in contracts):
        refusals.append(Refusal("5-4", _("No confirmed confidentiality pledge.")))
    trained = last_trained_on(person)
    if trained is None:
        refusals.append(Refusal("5-6", _("Never trained on the security policy.")))
    elif trained < training_valid_from(day):
        refusals.append(
            Refusal(
                "5-6",
                lazy_message(
                    _("Last trained on %(day)s: the training is out of date."),
                    day=display_date_lazy(trained),
                ),
            )
        )
    return refusals
