from django.urls import path

from localreviews import (
    events_views,
    family_views,
    monitoring_views,
    report_views,
    signoff_views,
    terms_views,
    views,
    views_notices,
    views_reviewer,
)

app_name = "localreviews"
urlpatterns = [
    # Before the case's own addresses, which would take "methodologies" for a reference.
    path("methodologies/", terms_views.methodologies, name="methodologies"),
    path("methodologies/<int:pk>/retire/", terms_views.methodology_retire_view, name="methodology_retire"),
    path("<str:reference>/", views.review, name="review"),
    path("<str:reference>/open/", views.open_review, name="open"),
    path("<str:reference>/terms/", terms_views.terms, name="terms"),
    path("<str:reference>/terms/edit/", terms_views.terms_edit, name="terms_edit"),
    path("<str:reference>/terms/send/", terms_views.terms_step_view, {"step": "send"}, name="terms_send"),
    path("<str:reference>/terms/agree/", terms_views.terms_step_view, {"step": "agree"}, name="terms_agree"),
    path("<str:reference>/terms-documents/", terms_views.terms_document, name="terms_document"),
    path("<str:reference>/notices/<str:kind>/", views_notices.notice, name="notice"),
    path("<str:reference>/reviewers/", views_reviewer.reviewers, name="reviewers"),
    path("<str:reference>/reviewers/appoint/", views_reviewer.appoint, name="appoint"),
    path("<str:reference>/reviewers/share-rapid-review/", views_reviewer.share, name="share"),
    path("<str:reference>/final-report/", signoff_views.final_report, name="final_report"),
    path(
        "<str:reference>/final-report/put-forward/",
        signoff_views.final_report_put_forward_view,
        name="final_report_put_forward",
    ),
    path("<str:reference>/send-ahead/", signoff_views.send_ahead_view, name="send_ahead"),
    path("<str:reference>/publication/", signoff_views.publication, name="publication"),
    path("<str:reference>/report/", report_views.report, name="report"),
    path("<str:reference>/report/sections/<str:slug>/", report_views.section, name="report_section"),
    path("<str:reference>/report/sections/<str:slug>/autosave/", report_views.section_autosave, name="report_autosave"),
    path("<str:reference>/report/keep/", report_views.keep, name="report_keep"),
    path("<str:reference>/report/upload/", report_views.upload, name="report_upload"),
    path("<str:reference>/report/versions/<int:number>/", report_views.version, name="report_version"),
    path("<str:reference>/report/compare/", report_views.compare_view, name="report_compare"),
    path("<str:reference>/report/items/", report_views.items, name="report_items"),
    path("<str:reference>/report/items/<int:pk>/", report_views.item_edit, name="report_item"),
    path("<str:reference>/report/items/<int:pk>/<str:step>/", report_views.item_step, name="report_item_step"),
    path("<str:reference>/learning-events/", events_views.learning_events, name="learning_events"),
    path("<str:reference>/learning-events/new/", events_views.learning_event_new, name="learning_event_new"),
    path("<str:reference>/learning-events/<int:pk>/", events_views.learning_event, name="learning_event"),
    path(
        "<str:reference>/learning-events/<int:pk>/edit/", events_views.learning_event_edit, name="learning_event_edit"
    ),
    path(
        "<str:reference>/learning-events/<int:pk>/attendance/",
        events_views.learning_event_attendance_view,
        name="learning_event_attendance",
    ),
    path("<str:reference>/family/", family_views.family_log, name="family"),
    path("<str:reference>/family/new/", family_views.family_new, name="family_new"),
    path("<str:reference>/family/<int:pk>/", family_views.family_edit, name="family_edit"),
    path("<str:reference>/monitoring/", monitoring_views.monitoring, name="monitoring"),
    path("<str:reference>/monitoring/ask/", monitoring_views.written_request_new, name="written_request_new"),
    path("<str:reference>/monitoring/requests/<int:pk>/", monitoring_views.written_request, name="written_request"),
    path("<str:reference>/monitoring/checkpoints/<str:day>/", monitoring_views.checkpoint, name="checkpoint"),
    path("<str:reference>/monitoring/delays/new/", monitoring_views.delay_new, name="delay_new"),
    path("<str:reference>/monitoring/delays/<int:pk>/end/", monitoring_views.delay_end_view, name="delay_end"),
]
