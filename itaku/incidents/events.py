import enum

from django.utils.translation import gettext_lazy as _


class IncidentEvent(enum.StrEnum):
    CHART_ISSUED = "incidents.contact_chart.issued"
    REPORTED = "incidents.incident.reported"
    MANAGER_TOLD = "incidents.incident.manager_told"
    SUPERIOR_TOLD = "incidents.incident.superior_told"
    CLOSED = "incidents.incident.closed"
    WRITTEN_REPORT_SUBMITTED = "incidents.written_report.submitted"
    WRITTEN_REPORT_CORRECTED = "incidents.written_report.corrected"
    WRITTEN_REPORT_SIGNED_OFF = "incidents.written_report.signed_off"
    TASK_ADDED = "incidents.task.added"
    TASK_DONE = "incidents.task.done"
    COMMISSION_REPORTED = "incidents.commission.reported"
    PERSONS_NOTIFIED = "incidents.persons.notified"
    PUBLICATION_DRAFTED = "incidents.publication.drafted"
    PUBLISHED = "incidents.publication.published"
    NOT_PUBLISHED = "incidents.publication.withheld"


LABELS = {
    IncidentEvent.CHART_ISSUED: _("Contact chart issued"),
    IncidentEvent.REPORTED: _("Incident reported"),
    IncidentEvent.MANAGER_TOLD: _("Incident received by the manager"),
    IncidentEvent.SUPERIOR_TOLD: _("Incident reported to the superior"),
    IncidentEvent.CLOSED: _("Incident closed"),
    IncidentEvent.WRITTEN_REPORT_SUBMITTED: _("Written incident report submitted"),
    IncidentEvent.WRITTEN_REPORT_CORRECTED: _("Written incident report corrected"),
    IncidentEvent.WRITTEN_REPORT_SIGNED_OFF: _("Written incident report signed off"),
    IncidentEvent.TASK_ADDED: _("Investigation task added"),
    IncidentEvent.TASK_DONE: _("Investigation task done"),
    IncidentEvent.COMMISSION_REPORTED: _(
        "Report to the Personal Information Protection Commission"
    ),
    IncidentEvent.PERSONS_NOTIFIED: _("Notice to the persons concerned"),
    IncidentEvent.PUBLICATION_DRAFTED: _("Publication drafted"),
    IncidentEvent.PUBLISHED: _("Incident published"),
    IncidentEvent.NOT_PUBLISHED: _("Decided not to publish the incident"),
}
