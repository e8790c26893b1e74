from django.urls import path

from itaku.people import views

app_name = "people"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/otp/", views.otp_verify, name="otp_verify"),
    path("login/otp/setup/", views.otp_setup, name="otp_setup"),
    path("logout/", views.logout, name="logout"),
    path("people/", views.people_list, name="list"),
    path("people/absences/", views.absences, name="absences"),
]
