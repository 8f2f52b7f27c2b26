from django.urls import path

from localreviews import views

app_name = "localreviews"
urlpatterns = [
    path("<str:reference>/", views.review, name="review"),
    path("<str:reference>/open/", views.open_review, name="open"),
]
