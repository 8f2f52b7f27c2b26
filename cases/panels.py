"""The case page and its sub-pages, and the sections other journeys add to them.

The case page itself is a short summary (the stage, the next step, the deadline that matters) with
sub-navigation to the case's sub-pages (its tabs). Stages (cases.stage_registry) carry:

- `tabs=(Tab(slug, label, order=..., action=..., empty=...),)`: a sub-page at `/cases/<ref>/<slug>/`
  (URL name `cases:<slug>`), opened by those who may take `action` on the case, and listed in the
  sub-navigation for them only. `empty` is what it says when no section has anything for the person.
- `panels=(Panel(provider, order=N, tab=slug),)`: a section of that sub-page (`tab=SUMMARY`, the
  default, puts it on the case page). provider(request, case) returns `{"template": ..., **context}`
  or None; sections render in order.
- `summary_rows=(Ordered(provider, order=N),)`: a row of the case page's summary list (the deadline
  that matters). provider(request, case) returns `{"key": ..., "value": ..., "tag": ..., "tag_class":
  ..., "url": ..., "link_text": ...}` or None.
"""

from typing import Any

from accounts.http import AuthenticatedHttpRequest
from cases import stage_registry
from cases.models import Case
from cases.stage_registry import SUMMARY, Tab

__all__ = ["SUMMARY", "Tab", "case_panels", "summary_rows", "tab", "tabs"]


def tabs() -> list[Tab]:
    """The registered sub-pages, in order (the case page itself is not one of them)."""
    return stage_registry.tabs()


def tab(slug: str) -> Tab | None:
    return next((t for t in stage_registry.tabs() if t.slug == slug), None)


def case_panels(request: AuthenticatedHttpRequest, case: Case, tab: str = SUMMARY) -> list[dict[str, Any]]:
    panels = []
    for panel in stage_registry.panels():
        if panel.tab != tab:
            continue
        shown = panel.provider(request, case)
        if shown:
            panels.append(shown)
    return panels


def summary_rows(request: AuthenticatedHttpRequest, case: Case) -> list[dict[str, Any]]:
    return [row for r in stage_registry.summary_rows() if (row := r.provider(request, case))]
