from django.urls import path

from itaku.core import views

app_name = "core"
urlpatterns = [
    path("session/stay/", views.ping, name="ping"),
]
