"""Sections other journeys add to the case page (clocks, referral, rapid review...).

Each provider is a function (request, case) -> a dict with `template` and its context, or None.
Apps register providers in their AppConfig.ready(); the case page renders them in order.
"""

from collections.abc import Callable
from typing import Any

PanelProvider = Callable[[Any, Any], dict[str, Any] | None]
_providers: list[tuple[int, PanelProvider]] = []


def register_panel(provider: PanelProvider, *, order: int = 50) -> None:
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def case_panels(request: Any, case: Any) -> list[dict[str, Any]]:
    panels = []
    for _, provider in _providers:
        panel = provider(request, case)
        if panel:
            panels.append(panel)
    return panels
