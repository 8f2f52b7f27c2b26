"""The case's own sub-pages (its documents and its history), and the closed case: registered like
any stage, so the case page treats them as it treats the journeys'."""

from cases.models import CaseStage, CaseState
from cases.own_panels import documents_panel, history_panel
from cases.stage_registry import Panel, Stage, State, Tab

stage = Stage(
    name="cases",
    journey=False,
    coarse=CaseStage.CLOSED,
    states=(State(CaseState.CLOSED, "Closed", "Closed."),),
    tabs=(Tab("documents", "Documents", order=40, empty="No documents yet."), Tab("history", "History", order=90)),
    panels=(Panel(documents_panel, order=40, tab="documents"), Panel(history_panel, order=90, tab="history")),
)
