from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("documents/", include("documents.urls")),
    path("clocks/", include("clocks.urls")),
    path("messages/", include("notifications.urls")),
    path("referrals/", include("referrals.urls")),
    path("rapid-reviews/", include("rapidreviews.urls")),
]

handler400 = "core.views.errors.bad_request"
handler403 = "core.views.errors.permission_denied"
handler404 = "core.views.errors.page_not_found"
handler500 = "core.views.errors.server_error"
