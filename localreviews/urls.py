from django.urls import path

from localreviews import signoff_views, terms_views, views, views_notices, views_reviewer

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
]
