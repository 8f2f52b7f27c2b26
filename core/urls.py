from django.urls import path

from core.views import pages

app_name = "core"

urlpatterns = [
    path("healthz", pages.healthz, name="healthz"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("cookies/", pages.cookies, name="cookies"),
]
