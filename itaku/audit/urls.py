from django.urls import path

from itaku.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.events, name="events"),
    path("audit/event/<int:pk>/", views.event, name="event"),
    path("audit/status/", views.status, name="status"),
    path("audit/checkpoint/", views.checkpoint, name="checkpoint"),
    path("audit/export/", views.export, name="export"),
]
