from django.urls import path

from itaku.lgwan import views

app_name = "lgwan"
urlpatterns = [
    path("", views.terminals, name="terminals"),
    path("terminals/<int:pk>/", views.terminal, name="terminal"),
    path("terminals/<int:pk>/retire/", views.terminal_retire, name="terminal_retire"),
    path("ids/", views.accounts, name="accounts"),
    path("ids/<int:pk>/revoke/", views.account_revoke, name="account_revoke"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("applications/", views.applications, name="applications"),
    path("review/", views.review, name="review"),
    path("findings/close/", views.findings_close, name="findings_close"),
    path("review/sign-off/", views.sign_off, name="sign_off"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_new, name="source_new"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("rules/", views.rules, name="rules"),
    path("rules/<slug:code>/", views.rule, name="rule"),
]
