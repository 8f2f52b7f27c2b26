from django.urls import path

from referrals.views import decide, duplicates, refer, send

app_name = "referrals"

urlpatterns = [
    path("", send.your_referrals, name="list"),
    path("start/", refer.start, name="start"),
    path("<int:pk>/children/", refer.children, name="children"),
    path("<int:pk>/children/<int:position>/remove/", refer.child_remove, name="child_remove"),
    path("<int:pk>/check/", send.check, name="check"),
    path("<int:pk>/send/", send.submit, name="submit"),
    path("<int:pk>/delete/", refer.discard, name="discard"),
    path("<int:pk>/autosave/<slug:slug>/", refer.autosave, name="autosave"),
    path("<int:pk>/<slug:slug>/", refer.step, name="step"),
    path("sent/<str:reference>/", send.sent, name="sent"),
    path("case/<str:reference>/triage/", decide.triage, name="triage"),
    path("case/<str:reference>/notification/", decide.sin, name="sin"),
    path("case/<str:reference>/duplicates/<str:other>/", duplicates.duplicate_check, name="duplicate_check"),
]
