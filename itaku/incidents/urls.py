from django.urls import path

from itaku.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/receive/", views.receive, name="receive"),
    path("<int:pk>/superior/", views.tell_superior, name="tell_superior"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/report/", views.written_report, name="written_report"),
    path("<int:pk>/report/sign-off/", views.report_sign_off, name="report_sign_off"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/commission/", views.commission_report, name="commission_report"),
    path("<int:pk>/commission.csv", views.commission_items, name="commission_items"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("<int:pk>/publication/", views.publication_draft, name="publication_draft"),
    path("<int:pk>/publication/decide/", views.publication_decide, name="publication_decide"),
    path("contact-chart/", views.charts, name="charts"),
    path("contact-chart/<int:pk>.pdf", views.chart_pdf, name="chart_pdf"),
]
