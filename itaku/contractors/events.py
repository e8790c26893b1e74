import enum

from django.utils.translation import gettext_lazy as _


class ContractorEvent(enum.StrEnum):
    CONTRACT_REGISTERED = "contractors.contract.registered"
    CONTRACT_CHANGED = "contractors.contract.changed"
    SERVICE_LEVEL_ADDED = "contractors.service_level.added"
    SUBCONTRACTOR_ADDED = "contractors.subcontractor.added"
    SUBCONTRACTOR_APPROVED = "contractors.subcontractor.approved"
    DOCUMENT_UPLOADED = "contractors.document.uploaded"
    PROVISION_WAIVED = "contractors.provision.waived"
    ROSTER_SUBMITTED = "contractors.roster.submitted"
    ROSTER_RECEIVED = "contractors.roster.received"
    PLEDGE_SUBMITTED = "contractors.pledge.submitted"
    PLEDGE_CONFIRMED = "contractors.pledge.confirmed"
    TRAINING_RECORDED = "contractors.training.recorded"
    REPORT_SUBMITTED = "contractors.report.submitted"
    REPORT_REVIEWED = "contractors.report.reviewed"
    REPORT_RETURNED = "contractors.report.returned"
    REPORT_RESUBMITTED = "contractors.report.resubmitted"
    INSPECTION_RECORDED = "contractors.inspection.recorded"
    CORRECTIVE_ACTION_ADDED = "contractors.corrective_action.added"
    CORRECTIVE_ACTION_DONE = "contractors.corrective_action.done"
    INSPECTION_CLOSED = "contractors.inspection.closed"
    RETURN_ITEM_ADDED = "contractors.return_item.added"
    RETURN_ITEM_DONE = "contractors.return_item.done"
    DISPOSAL_CERTIFIED = "contractors.disposal.certified"


# The audit trail screens name each event in words.
LABELS = {
    ContractorEvent.CONTRACT_REGISTERED: _("Contract registered"),
    ContractorEvent.CONTRACT_CHANGED: _("Contract changed"),
    ContractorEvent.SERVICE_LEVEL_ADDED: _("Service level added"),
    ContractorEvent.SUBCONTRACTOR_ADDED: _("Subcontracting requested"),
    ContractorEvent.SUBCONTRACTOR_APPROVED: _("Subcontracting approved"),
    ContractorEvent.DOCUMENT_UPLOADED: _("Contract document uploaded"),
    ContractorEvent.PROVISION_WAIVED: _("Missing provision accepted"),
    ContractorEvent.ROSTER_SUBMITTED: _("Roster submitted"),
    ContractorEvent.ROSTER_RECEIVED: _("Roster received"),
    ContractorEvent.PLEDGE_SUBMITTED: _("Pledge submitted"),
    ContractorEvent.PLEDGE_CONFIRMED: _("Pledge confirmed"),
    ContractorEvent.TRAINING_RECORDED: _("Training recorded"),
    ContractorEvent.REPORT_SUBMITTED: _("Periodic report submitted"),
    ContractorEvent.REPORT_REVIEWED: _("Periodic report reviewed"),
    ContractorEvent.REPORT_RETURNED: _("Periodic report sent back"),
    ContractorEvent.REPORT_RESUBMITTED: _("Periodic report submitted again"),
    ContractorEvent.INSPECTION_RECORDED: _("Inspection recorded"),
    ContractorEvent.CORRECTIVE_ACTION_ADDED: _("Corrective action added"),
    ContractorEvent.CORRECTIVE_ACTION_DONE: _("Corrective action done"),
    ContractorEvent.INSPECTION_CLOSED: _("Inspection closed"),
    ContractorEvent.RETURN_ITEM_ADDED: _("Asset to return added"),
    ContractorEvent.RETURN_ITEM_DONE: _("Asset returned or disposed of"),
    ContractorEvent.DISPOSAL_CERTIFIED: _("Disposal certified"),
}
