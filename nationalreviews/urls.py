from django.urls import path

from nationalreviews import views

app_name = "nationalreviews"
urlpatterns = [
    path("<str:reference>/", views.case_reviews, name="case"),
    path("<str:reference>/new/", views.start, name="start"),
    path("<str:reference>/link/", views.link, name="link"),
    path("<str:reference>/<int:pk>/scope/", views.scope, name="scope"),
    path("<str:reference>/<int:pk>/report/", views.report, name="report"),
    path("<str:reference>/<int:pk>/contributions/new/", views.contribution_new, name="contribution_new"),
]
