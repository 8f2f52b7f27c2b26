"""The case page and its sub-pages, and the sections other journeys add to them.

The case page itself is a short summary (the stage, the next step, the deadline that matters) with
sub-navigation to the case's sub-pages (its tabs). Apps register, in their AppConfig.ready():

- `register_tab(slug, label, order=..., action=..., empty=...)`: a sub-page at `/cases/<ref>/<slug>/`
  (URL name `cases:<slug>`), opened by those who may take `action` on the case, and listed in the
  sub-navigation for them only. `empty` is what it says when no section has anything for the person.
- `register_panel(provider, order=N, tab=slug)`: a section of that sub-page (`tab=SUMMARY`, the
  default, puts it on the case page). provider(request, case) returns `{"template": ..., **context}`
  or None; sections render in order.
- `register_summary_row(provider, order=N)`: a row of the case page's summary list (the deadline
  that matters). provider(request, case) returns `{"key": ..., "value": ..., "tag": ..., "tag_class":
  ..., "url": ..., "link_text": ...}` or None.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cases.policies import CaseAction

SUMMARY = "summary"
RESERVED = frozenset({SUMMARY, "seen-by", "step", "list", "detail", "transition", "viewers"})

PanelProvider = Callable[[Any, Any], dict[str, Any] | None]
RowProvider = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    order: int
    action: CaseAction
    empty: str


_tabs: dict[str, Tab] = {}
_providers: list[tuple[int, str, PanelProvider]] = []
_rows: list[tuple[int, RowProvider]] = []


def register_tab(
    slug: str, label: str, *, order: int = 50, action: CaseAction = CaseAction.VIEW_RECORD, empty: str = ""
) -> None:
    if slug in RESERVED:
        raise ValueError(f"A case sub-page cannot be called {slug!r}")
    _tabs[slug] = Tab(slug=slug, label=label, order=order, action=action, empty=empty or "Nothing here yet.")


def tabs() -> list[Tab]:
    """The registered sub-pages, in order (the case page itself is not one of them)."""
    return sorted(_tabs.values(), key=lambda t: (t.order, t.slug))


def tab(slug: str) -> Tab | None:
    return _tabs.get(slug)


def register_panel(provider: PanelProvider, *, order: int = 50, tab: str = SUMMARY) -> None:
    if all(p is not provider for _, _, p in _providers):
        _providers.append((order, tab, provider))
        _providers.sort(key=lambda item: item[0])


def unregister_panel(provider: PanelProvider) -> None:
    _providers[:] = [item for item in _providers if item[2] is not provider]


def case_panels(request: Any, case: Any, tab: str = SUMMARY) -> list[dict[str, Any]]:
    panels = []
    for _, on, provider in _providers:
        if on != tab:
            continue
        panel = provider(request, case)
        if panel:
            panels.append(panel)
    return panels


def register_summary_row(provider: RowProvider, *, order: int = 50) -> None:
    if all(p is not provider for _, p in _rows):
        _rows.append((order, provider))
        _rows.sort(key=lambda item: item[0])


def summary_rows(request: Any, case: Any) -> list[dict[str, Any]]:
    return [row for _, provider in _rows if (row := provider(request, case))]
