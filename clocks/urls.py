from django.urls import path

from clocks import views

app_name = "clocks"
urlpatterns = [
    path("", views.due_list, name="due"),
    path("case/<str:reference>/<int:pk>/<slug:action>/", views.clock_change, name="change"),
    path("bank-holidays/", views.bank_holidays, name="bank_holidays"),
    path("bank-holidays/<int:pk>/remove/", views.bank_holiday_delete, name="bank_holiday_remove"),
    path("closure-days/", views.closure_days, name="closure_days"),
    path("settings/", views.clock_settings, name="settings"),
    path("closure-days/<int:pk>/remove/", views.closure_day_delete, name="closure_day_remove"),
]
