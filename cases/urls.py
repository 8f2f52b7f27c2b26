from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_index, name="list"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/seen-by/", views.case_viewers_page, name="viewers"),
    path("<str:reference>/history/", views.case_history, name="history"),
    path("<str:reference>/step/<slug:name>/", views.case_transition_page, name="transition"),
]
