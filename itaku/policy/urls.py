from django.urls import path

from itaku.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
