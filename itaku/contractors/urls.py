from django.urls import path

from itaku.contractors import views

app_name = "contractors"
urlpatterns = [
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("contracts/<int:pk>/service-levels/", views.service_level_add, name="service_level_add"),
    path("contracts/<int:pk>/subcontractors/", views.subcontractor_add, name="subcontractor_add"),
    path("contracts/<int:pk>/waivers/", views.waiver_add, name="waiver_add"),
    path("contracts/<int:pk>/roster/", views.roster, name="roster"),
    path("contracts/<int:pk>/pledges/", views.pledges, name="pledges"),
    path("contracts/<int:pk>/training/", views.training, name="training"),
    path("contracts/<int:pk>/reports/", views.reports, name="reports"),
    path("contracts/<int:pk>/inspections/", views.inspections, name="inspections"),
    path("contracts/<int:pk>/end/", views.end_of_work, name="end_of_work"),
    path("contracts/<int:pk>/end/certificate/", views.disposal_certify, name="disposal_certify"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path(
        "subcontractors/<int:pk>/approve/",
        views.subcontractor_approve,
        name="subcontractor_approve",
    ),
    path("rosters/<int:pk>/receive/", views.roster_receive, name="roster_receive"),
    path("rosters/<int:pk>/pdf/", views.roster_pdf, name="roster_pdf"),
    path("pledges/<int:pk>/confirm/", views.pledge_confirm, name="pledge_confirm"),
    path("pledges/<int:pk>/file/", views.pledge_file, name="pledge_file"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/resubmit/", views.report_resubmit, name="report_resubmit"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path(
        "inspections/<int:pk>/actions/",
        views.corrective_action_add,
        name="corrective_action_add",
    ),
    path("inspections/<int:pk>/close/", views.inspection_close, name="inspection_close"),
    path(
        "corrective-actions/<int:pk>/done/",
        views.corrective_action_done,
        name="corrective_action_done",
    ),
    path("return-items/<int:pk>/done/", views.return_item_done, name="return_item_done"),
]
