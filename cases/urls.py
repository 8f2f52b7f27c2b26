from django.urls import URLPattern, path

from cases import views
from cases.panels import tabs

app_name = "cases"

urlpatterns: list[URLPattern] = [
    path("", views.case_index, name="list"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/seen-by/", views.case_viewers_page, name="viewers"),
    path("<str:reference>/step/<slug:name>/", views.case_transition_page, name="transition"),
]
# One sub-page per registered tab (cases.panels), named after it: `cases:deadlines`, `cases:history`...
# The apps register their tabs in AppConfig.ready(), which Django runs before it loads any URLconf.
urlpatterns += [path(f"<str:reference>/{t.slug}/", views.case_tab, {"tab_slug": t.slug}, name=t.slug) for t in tabs()]
