"""Each stage in words, for the case page: where the case is and what happens next."""

from cases import stage_registry
from cases.models import Case


def stage_text(case: Case) -> str:
    """A stage that knows more (the rapid review's decision, the Panel's response) carries a `stage_text`
    provider: provider(case) -> the words, or None to leave it to the next."""
    for provider in stage_registry.stage_texts():
        text = provider(case)
        if text:
            return text
    state = stage_registry.state(case.state)
    return state.text if state is not None else ""
