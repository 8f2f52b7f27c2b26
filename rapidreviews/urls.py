from django.urls import URLPattern, path

from rapidreviews.views import (
    answers,
    chronology,
    decision,
    document,
    episodes,
    items,
    meeting,
    returns,
    signoff,
    submission,
    workspace,
)

app_name = "rapidreviews"

urlpatterns: list[URLPattern] = [
    path("<str:reference>/", workspace.workspace, name="workspace"),
    path("<str:reference>/start/", workspace.start, name="start"),
    path("<str:reference>/requests/", workspace.requests_page, name="requests"),
    path("<str:reference>/requests/new/", workspace.request_new, name="request_new"),
    path("<str:reference>/chronology/", chronology.chronology_page, name="chronology"),
    path(
        "<str:reference>/chronology/download.<str:fmt>",
        chronology.chronology_download,
        name="chronology_download",
    ),
    path("<str:reference>/meeting/", meeting.meeting_page, name="meeting"),
    path("<str:reference>/meeting/papers.pdf", meeting.papers, name="papers"),
    path("<str:reference>/meeting/record/", decision.record, name="record"),
    path("<str:reference>/meeting/criteria/", decision.criteria, name="criteria"),
    path("<str:reference>/meeting/decision/", decision.decision, name="decision"),
    path("<str:reference>/sign-off/", signoff.sign_off, name="sign_off"),
    path("<str:reference>/document/", document.document_page, name="document"),
    path("<str:reference>/document/generate/", document.document_create, name="document_create"),
    path("<str:reference>/document/status/", document.document_status, name="document_status"),
    path("<str:reference>/submission/", submission.submission, name="submission"),
    path("<str:reference>/panel-response/", submission.panel_response, name="panel_response"),
    path("<str:reference>/actions/", meeting.actions_page, name="actions"),
    path("<str:reference>/actions/new/", meeting.action_edit, name="action_new"),
    path("<str:reference>/actions/<int:pk>/", meeting.action_edit, name="action_edit"),
    path("<str:reference>/returns/share/", returns.share_returns, name="share_returns"),
    path("<str:reference>/returns/<int:agency_id>/", returns.return_page, name="return"),
    path("<str:reference>/returns/<int:agency_id>/submit/", returns.return_submit, name="return_submit"),
    path("<str:reference>/returns/<int:agency_id>/review/", returns.return_review, name="return_review"),
    path("<str:reference>/returns/<int:agency_id>/answers/", answers.return_answers, name="return_answers"),
    path("<str:reference>/returns/<int:agency_id>/entries/new/", items.entry_edit, name="entry_new"),
    path("<str:reference>/returns/<int:agency_id>/entries/<int:entry_id>/", items.entry_edit, name="entry_edit"),
    path(
        "<str:reference>/returns/<int:agency_id>/entries/<int:entry_id>/delete/",
        returns.entry_delete,
        name="entry_delete",
    ),
    path("<str:reference>/returns/<int:agency_id>/episodes/new/", items.episode_edit, name="episode_new"),
    path("<str:reference>/returns/<int:agency_id>/episodes/<int:episode_id>/", items.episode_edit, name="episode_edit"),
    path(
        "<str:reference>/returns/<int:agency_id>/episodes/<int:episode_id>/delete/",
        episodes.episode_delete,
        name="episode_delete",
    ),
    path(
        "<str:reference>/returns/<int:agency_id>/<slug:slug>/autosave/",
        returns.return_section_autosave,
        name="return_section_autosave",
    ),
    path("<str:reference>/returns/<int:agency_id>/<slug:slug>/", returns.return_section, name="return_section"),
]
