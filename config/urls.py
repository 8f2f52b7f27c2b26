from django.urls import include, path

from cases.stage_registry import stages

urlpatterns = [
    path("", include("core.urls")),
    path("", include("portal.urls")),
    path("", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("documents/", include("documents.urls")),
    path("clocks/", include("clocks.urls")),
    path("messages/", include("notifications.urls")),
]
# Each stage brings its own pages (cases.stage_registry: `urls` under `url_prefix`).
urlpatterns += [path(s.url_prefix, include(s.urls)) for s in stages() if s.urls]

handler400 = "core.views.errors.bad_request"
handler403 = "core.views.errors.permission_denied"
handler404 = "core.views.errors.page_not_found"
handler500 = "core.views.errors.server_error"
