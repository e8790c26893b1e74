import enum


class ContractorEvent(enum.StrEnum):
    CONTRACT_REGISTERED = "contractors.contract.registered"
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
    INSPECTION_RECORDED = "contractors.inspection.recorded"
    CORRECTIVE_ACTION_ADDED = "contractors.corrective_action.added"
    CORRECTIVE_ACTION_DONE = "contractors.corrective_action.done"
    INSPECTION_CLOSED = "contractors.inspection.closed"
    RETURN_ITEM_ADDED = "contractors.return_item.added"
    RETURN_ITEM_DONE = "contractors.return_item.done"
    DISPOSAL_CERTIFIED = "contractors.disposal.certified"
