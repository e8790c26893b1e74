from django.urls import path

from itaku.people import account_views, views

app_name = "people"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/otp/", views.otp_verify, name="otp_verify"),
    path("login/otp/setup/", account_views.otp_setup, name="otp_setup"),
    path("password/", account_views.password_change, name="password_change"),
    path("logout/", views.logout, name="logout"),
    path("people/", views.people_list, name="list"),
    path("people/new/", views.person_new, name="new"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
    path("people/<int:pk>/roles/", views.person_assign_role, name="assign_role"),
    path("people/<int:pk>/login/", views.person_grant_login, name="grant_login"),
    path("people/<int:pk>/account/", account_views.person_account, name="account"),
    path("people/roles/<int:pk>/end/", views.role_end, name="end_role"),
    path("people/absences/", views.absences, name="absences"),
    path(
        "people/absences/<int:pk>/acknowledge/",
        views.absence_acknowledge,
        name="absence_acknowledge",
    ),
    path("people/role-changes/", views.role_changes, name="role_changes"),
    path(
        "people/role-changes/<int:pk>/decide/", views.role_change_decide, name="role_change_decide"
    ),
]
