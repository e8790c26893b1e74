from django.urls import path

from itaku.area import views

app_name = "area"
urlpatterns = [
    path("", views.areas, name="areas"),
    path("<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("<int:pk>/signage/", views.signage, name="signage"),
    path("desk/", views.desk, name="desk"),
    path("<int:pk>/desk/", views.area_desk, name="area_desk"),
    path("inside/", views.inside, name="inside"),
    path("passages/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("passages/<int:pk>/correct/", views.correct_passage, name="correct_passage"),
    path("passages/<int:pk>/exit/", views.missed_exit, name="missed_exit"),
    path("visitors/", views.visitors, name="visitors"),
    path("visitors/<int:pk>/", views.visitor, name="visitor"),
    path("visitors/<int:pk>/decide/", views.visitor_decide, name="visitor_decide"),
    path("visitors/<int:pk>/declaration/", views.visitor_declaration, name="visitor_declaration"),
    path("visitors/<int:pk>/report/", views.visitor_report, name="visitor_report"),
    path("devices/", views.carry_in_requests, name="carry_in_requests"),
    path("devices/<int:pk>/decide/", views.carry_in_decide, name="carry_in_decide"),
    path("after-hours/", views.after_hours, name="after_hours"),
    path("after-hours/<int:pk>/decide/", views.after_hours_decide, name="after_hours_decide"),
    path("carry/", views.carry_log, name="carry_log"),
    path("storage/", views.storage, name="storage"),
    path("storage/check/", views.storage_check, name="storage_check"),
    path("patrols/", views.patrols, name="patrols"),
    path("records/", views.export_records, name="exports"),
    path("readers/", views.readers, name="readers"),
    path("readers/<int:pk>/revoke/", views.reader_revoke, name="reader_revoke"),
]
