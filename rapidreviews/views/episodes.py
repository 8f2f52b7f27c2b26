"""Key practice episodes of an agency's summary: a list the lead adds to, changes and prunes."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from core.http import serves
from rapidreviews.models import AgencySummary, RapidReview
from rapidreviews.sections import SECTIONS_BY_SLUG
from rapidreviews.selectors import summary_for
from rapidreviews.services.summaries import SummaryStateError, practice_episode_delete
from rapidreviews.views.common import base_context, editable_or_403, load

SECTION = SECTIONS_BY_SLUG["practice"]


def episodes_page(
    request: AuthenticatedHttpRequest, case: Case, review: RapidReview, agency_summary: AgencySummary
) -> HttpResponse:
    """The section's page: the episodes so far, each with Change and Remove, and Add an episode."""
    return render(
        request,
        "rapidreviews/episodes.html",
        base_context(
            case, review, agency_summary=agency_summary, section=SECTION, episodes=agency_summary.episodes.all()
        ),
    )


@serves("GET", "POST")
def episode_delete(request: AuthenticatedHttpRequest, reference: str, agency_id: int, episode_id: int) -> HttpResponse:
    """GET asks "Are you sure?" (an analysis is lost for good); POST removes the episode."""
    case, review = load(request, reference)
    agency_summary = summary_for(request.user, review, agency_id)
    editable_or_403(request, agency_summary)
    episode = get_object_or_404(agency_summary.episodes, pk=episode_id)
    if request.method != "POST":
        return render(
            request,
            "rapidreviews/item_delete.html",
            base_context(
                case,
                review,
                agency_summary=agency_summary,
                page_title="Remove a key practice episode",
                question=f"Are you sure you want to remove “{episode.title}”?",
                back_url=reverse("rapidreviews:summary_section", args=[reference, agency_id, SECTION.slug]),
                back_text="Back to the key practice episodes",
            ),
        )
    try:
        practice_episode_delete(agency_summary=agency_summary, actor=request.user, episode=episode)
    except SummaryStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Key practice episode removed: {episode.title}")
    return redirect("rapidreviews:summary_section", reference, agency_id, SECTION.slug)
