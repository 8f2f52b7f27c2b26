from django.urls import URLPattern

app_name = "clocks"
urlpatterns: list[URLPattern] = []
