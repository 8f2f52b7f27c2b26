from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<str:reference>/upload/", views.upload, name="upload"),
    path("<str:reference>/<int:pk>/download/", views.download, name="download"),
]
