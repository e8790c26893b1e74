"""The contract with the contractor and the records that prove chapter 5 (and 2-2's follow-ups).

A contract (2-1, 2-2) carries its documents and their provision check, the roster (5-1), the
pledges (5-3, 5-4), the training (5-5, 5-6), the periodic reports (5-10, 5-7, 5-8), the
inspections (5-11, 2-2-k) and, at the end of the work, the return/disposal checklist (2-2-i).
Rules about one record live on its model, rules about many on its QuerySet; every change goes
through `itaku.contractors.actions`.

One module per part of the procedure; the models are imported here, in the order they are
defined, so `from itaku.contractors.models import Contract` works as it always has.
"""

# In the order the models were always defined (Django lists them so: registry, flush, findings).
# isort: off
from itaku.contractors.models.contracts import (
    Contract,
    ContractQuerySet,
    ProvisionStatus,
    SelectionMethod,
    ServiceLevelItem,
)
from itaku.contractors.models.subcontracting import Subcontractor
from itaku.contractors.models.documents import (
    ContractDocument,
    ContractDocumentQuerySet,
    DocumentKind,
    ProvisionWaiver,
)
from itaku.contractors.models.roster import RosterEntry, RosterSubmission
from itaku.contractors.models.pledges import Pledge, PledgeQuerySet
from itaku.contractors.models.training import (
    TrainingSession,
    last_trained_on,
    training_valid_from,
)
from itaku.contractors.models.reports import PeriodicReport, PeriodicReportQuerySet
from itaku.contractors.models.inspections import (
    CorrectiveAction,
    CorrectiveActionQuerySet,
    Inspection,
    held_by_open_inspection,
)
from itaku.contractors.models.end_of_work import DisposalCertificate, ReturnItem

# isort: on

__all__ = [
    "Contract",
    "ContractDocument",
    "ContractDocumentQuerySet",
    "ContractQuerySet",
    "CorrectiveAction",
    "CorrectiveActionQuerySet",
    "DisposalCertificate",
    "DocumentKind",
    "Inspection",
    "PeriodicReport",
    "PeriodicReportQuerySet",
    "Pledge",
    "PledgeQuerySet",
    "ProvisionStatus",
    "ProvisionWaiver",
    "ReturnItem",
    "RosterEntry",
    "RosterSubmission",
    "SelectionMethod",
    "ServiceLevelItem",
    "Subcontractor",
    "TrainingSession",
    "held_by_open_inspection",
    "last_trained_on",
    "training_valid_from",
]
