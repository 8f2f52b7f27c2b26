from django.urls import URLPattern

app_name = "rapidreviews"
urlpatterns: list[URLPattern] = []
