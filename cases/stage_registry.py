"""Stages: each journey (the referral, the rapid review, and those to come) is one registration.

A journey app holds a `stage.py` whose module attribute `stage` is a `Stage`: everything the platform
asks of it, in one place. The cases app finds each installed app's `<app>.stage` when Django starts
(`discover()`, from `CasesConfig.ready()`, in INSTALLED_APPS order), so adding a stage is adding an
app to INSTALLED_APPS; no platform file names it. Platform apps that add to the case page (the
deadlines, the messages, the case's own documents and history) register the same way, as stages
with `journey=False`.

What a Stage carries, and who reads it:

- `tabs`, `panels`, `summary_rows`: the case page's sub-pages, its sections and its summary rows
  (`cases.panels`, `cases/urls.py`). A panel provider is (request, case) -> {"template": ...} | None.
- `home_panels`: sections of the home page (`portal.home`); provider(user) -> dict | None.
- `case_page_related`: what the case page reads with the case, in the same query (`select_related`
  paths from the case: a one-to-one record of the stage and its own one-to-ones), and
  `case_page_annotations`: what it counts or looks up with the case, in the same query (name ->
  expression; names are the stage's own, prefixed, as they become attributes of the case).
- `stage_text`: where the case stands, in words, when the general words would be wrong
  (`cases.stages`); provider(case) -> str | None. The first answer wins.
- `next_step`: the case's next step (`cases.next_step`); provider(user, case) -> NextStep | None.
- `timeline_filter`: which of its own events a person may see in the case's history (`cases.timeline`).
- `document_topics`: topic -> (user, case) -> may read (`documents.policies`).
- `transition_pages`, `guards`, `effects`, `on_close`: its workflow steps' own pages, what blocks a
  step, what entering a step does (start the next stage's clocks), and what closing stops
  (`cases.steps`, `cases.workflow`).
- `clock_rules`, `chasers`: its deadlines (`clocks.rules.ClockRuleSpec`) and who is chased for them
  besides the owner (`clocks.reminders`).
- `tick_jobs`: its idempotent work for the scheduler's `tick`, for what ends on time rather than on
  a click (the rapid review's sign-off comment window); job() -> how many things it did.
- `states`: the case states this stage holds (`State`: its value, its label and its words for the
  case page), and `transitions`: its workflow steps (`cases.workflow.Transition`). The case's
  coarse stage (`case_stage`) is the `coarse` name of the stage holding its state; the platform's
  own "close" step leaves from every state marked `closable`.
- `urls` and `url_prefix`: its URLconf, included by `config/urls.py` for every stage.
- `url_rules`: "module:ATTRIBUTE" naming its rows of the URL x persona walk (test code, loaded only
  by the walk, which discovers them here).
- `seed`: its demo data, run by `manage.py seed_demo` (seed(world)).
- `case_facts`: what `manage.py list_cases --json` says about a case for this stage (its own
  status, its dates as ISO strings); provider(case) -> dict, {} when it has nothing to say.
- `receivers`: (signal, receiver, dispatch_uid) connected when the stage is registered.
"""

import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cases.policies import CaseAction

if TYPE_CHECKING:
    from cases.workflow import Transition
    from clocks.rules import ClockRuleSpec

SUMMARY = "summary"  # the case page itself
RESERVED_TABS = frozenset({SUMMARY, "seen-by", "step", "list", "detail", "transition", "viewers"})

PanelProvider = Callable[[Any, Any], dict[str, Any] | None]
RowProvider = Callable[[Any, Any], dict[str, Any] | None]
HomePanelProvider = Callable[[Any], dict[str, Any] | None]
StageTextProvider = Callable[[Any], str | None]
NextStepProvider = Callable[[Any, Any], Any]
TimelineFilter = Callable[[Any, Any, list[Any]], list[Any]]
TopicFilter = Callable[[Any, Any], bool]
Guard = Callable[[Any], str | None]  # why the step is blocked, or None
Effect = Callable[..., None]  # effect(case=..., actor=..., context=...) in the step's transaction
CloseStop = Callable[[Any, Any, str], None]
CloseDescribe = Callable[[Any], list[str]]
Chaser = Callable[[Any], list[Any]]
TickJob = Callable[[], int]
CaseFacts = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class State:
    """A case state a stage holds: its stored value, its label (the case list, the case page's tag)
    and where the case stands in words for everyone on it (the case page; a stage's `stage_text`
    may say more). `closable`: the coordinator may close the case from it."""

    value: str
    label: str
    text: str = ""
    closable: bool = False


@dataclass(frozen=True)
class Tab:
    """A sub-page of the case at /cases/<ref>/<slug>/ (URL name cases:<slug>), opened by those who may
    take `action` on the case; `empty` is what it says when no section has anything for the person."""

    slug: str
    label: str
    order: int = 50
    action: CaseAction = CaseAction.VIEW_RECORD
    empty: str = "Nothing here yet."


@dataclass(frozen=True)
class Panel:
    provider: PanelProvider
    order: int = 50
    tab: str = SUMMARY


@dataclass(frozen=True)
class Ordered:
    """A summary row or home panel provider with its place."""

    provider: Callable[..., dict[str, Any] | None]
    order: int = 50


@dataclass(frozen=True)
class TransitionPage:
    """The page where a workflow step is taken (the URL takes the case reference only); `label`
    names the button when the page does more than the step's own name says."""

    transition: str
    url_name: str
    label: str = ""


@dataclass(frozen=True)
class Stage:
    name: str  # the app's label
    coarse: str = ""  # the case's coarse stage while this stage holds it (cases.models.CaseStage)
    journey: bool = True
    states: tuple[State, ...] = ()
    transitions: tuple["Transition", ...] = ()
    tabs: tuple[Tab, ...] = ()
    panels: tuple[Panel, ...] = ()
    summary_rows: tuple[Ordered, ...] = ()
    home_panels: tuple[Ordered, ...] = ()
    case_page_related: tuple[str, ...] = ()
    case_page_annotations: Mapping[str, Any] = field(default_factory=dict)
    stage_text: StageTextProvider | None = None
    next_step: NextStepProvider | None = None
    timeline_filter: TimelineFilter | None = None
    document_topics: Mapping[str, TopicFilter] = field(default_factory=dict)
    transition_pages: tuple[TransitionPage, ...] = ()
    guards: tuple[tuple[str, Guard], ...] = ()
    effects: tuple[tuple[str, Effect], ...] = ()
    on_close: tuple[tuple[CloseStop, CloseDescribe], ...] = ()
    clock_rules: tuple["ClockRuleSpec", ...] = ()
    chasers: Mapping[str, Chaser] = field(default_factory=dict)
    tick_jobs: tuple[TickJob, ...] = ()
    urls: str = ""
    url_prefix: str = ""
    url_rules: str = ""
    seed: Callable[[Any], None] | None = None
    case_facts: CaseFacts | None = None
    receivers: tuple[tuple[Any, Callable[..., Any], str], ...] = ()


_stages: dict[str, Stage] = {}


def register(stage: Stage) -> None:
    """Add a stage (again under the same name: replace it). Checks what would otherwise fail later."""
    for t in stage.tabs:
        if t.slug in RESERVED_TABS:
            raise ValueError(f"A case sub-page cannot be called {t.slug!r}")
    for other in _stages.values():
        if other.name == stage.name:
            continue
        clash = {r.name for r in stage.clock_rules} & {r.name for r in other.clock_rules}
        if clash:
            raise ValueError(f"Clock rule {sorted(clash)[0]!r} is registered by {other.name!r} already")
        if {t.slug for t in stage.tabs} & {t.slug for t in other.tabs}:
            raise ValueError(f"{stage.name!r} registers a case sub-page {other.name!r} has")
        if {s.value for s in stage.states} & {s.value for s in other.states}:
            raise ValueError(f"{stage.name!r} registers a case state {other.name!r} has")
        if {t.name for t in stage.transitions} & {t.name for t in other.transitions}:
            raise ValueError(f"{stage.name!r} registers a workflow step {other.name!r} has")
    _stages[stage.name] = stage
    for signal, receiver, uid in stage.receivers:
        signal.connect(receiver, dispatch_uid=uid)


def unregister(name: str) -> None:
    stage = _stages.pop(name, None)
    if stage is not None:
        for signal, _, uid in stage.receivers:
            signal.disconnect(dispatch_uid=uid)


@contextmanager
def registered(stage: Stage) -> Iterator[Stage]:
    """A stage for the length of a block (tests)."""
    register(stage)
    try:
        yield stage
    finally:
        unregister(stage.name)


def discover() -> None:
    """Register `<app>.stage.stage` for every installed app that has one, in INSTALLED_APPS order."""
    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.stage")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.stage":
                raise
            continue
        stage = getattr(module, "stage", None)
        if isinstance(stage, Stage):
            register(stage)


def stages() -> list[Stage]:
    return list(_stages.values())


def stage_named(name: str) -> Stage | None:
    return _stages.get(name)


# --- What the platform asks of the stages ----------------------------------------------------------


def tabs() -> list[Tab]:
    return sorted((t for s in _stages.values() for t in s.tabs), key=lambda t: (t.order, t.slug))


def panels() -> list[Panel]:
    return sorted((p for s in _stages.values() for p in s.panels), key=lambda p: p.order)


def summary_rows() -> list[Ordered]:
    return sorted((r for s in _stages.values() for r in s.summary_rows), key=lambda r: r.order)


# A home section lists this many things at most, with how many there are and a link to them all
# (templates/includes/_more.html): the home page costs the same whatever the person's caseload.
HOME_LIST_LIMIT = 10


def capped[T](
    items: list[T], url: str, what: str, limit: int = HOME_LIST_LIMIT
) -> tuple[list[T], dict[str, Any] | None]:
    """The first `limit` of a list, and, when there are more, what the link to them all says:
    {"shown": ..., "total": ..., "url": ..., "what": ...} for `includes/_more.html`."""
    more = {"shown": limit, "total": len(items), "url": url, "what": what} if len(items) > limit else None
    return items[:limit], more


def home_panels() -> list[Ordered]:
    return sorted((p for s in _stages.values() for p in s.home_panels), key=lambda p: p.order)


def case_page_related() -> tuple[str, ...]:
    return tuple(path for s in _stages.values() for path in s.case_page_related)


def case_facts() -> list[CaseFacts]:
    return [s.case_facts for s in _stages.values() if s.case_facts is not None]


def case_page_annotations() -> dict[str, Any]:
    return {name: expr for s in _stages.values() for name, expr in s.case_page_annotations.items()}


def stage_texts() -> list[StageTextProvider]:
    return [s.stage_text for s in _stages.values() if s.stage_text is not None]


def next_steps() -> list[NextStepProvider]:
    return [s.next_step for s in _stages.values() if s.next_step is not None]


def timeline_filters() -> list[TimelineFilter]:
    return [s.timeline_filter for s in _stages.values() if s.timeline_filter is not None]


def document_topic(topic: str) -> TopicFilter | None:
    return next((s.document_topics[topic] for s in _stages.values() if topic in s.document_topics), None)


def transition_page(name: str) -> TransitionPage | None:
    return next((p for s in _stages.values() for p in s.transition_pages if p.transition == name), None)


def guards(name: str) -> list[Guard]:
    return [g for s in _stages.values() for step, g in s.guards if step == name]


def effects(name: str) -> list[Effect]:
    return [e for s in _stages.values() for step, e in s.effects if step == name]


def on_close() -> list[tuple[CloseStop, CloseDescribe]]:
    return [pair for s in _stages.values() for pair in s.on_close]


def clock_rules() -> list["ClockRuleSpec"]:
    """The journeys' rules in the order the stages are installed, then those the platform holds
    for stages still to come (the order of the deadlines filter)."""
    return [r for s in _journeys_first() for r in s.clock_rules]


def chaser(rule: str) -> Chaser | None:
    return next((s.chasers[rule] for s in _stages.values() if rule in s.chasers), None)


def tick_jobs() -> list[TickJob]:
    return [job for s in _stages.values() for job in s.tick_jobs]


def _journeys_first() -> list[Stage]:
    """The journeys in the order they are installed, then the platform's parts (the closed case)."""
    return sorted(_stages.values(), key=lambda s: not s.journey)


def states() -> list[State]:
    return [state for s in _journeys_first() for state in s.states]


def state(value: str) -> State | None:
    return next((st for s in _stages.values() for st in s.states if st.value == value), None)


def transitions() -> list["Transition"]:
    return [t for s in _stages.values() for t in s.transitions]


def case_stage(state: str) -> str:
    """The coarse stage of a case in `state` (referral, rapid review, closed...), from the stage that
    holds the state; "" when no stage claims it."""
    return next((s.coarse for s in _stages.values() if any(st.value == state for st in s.states)), "")


def url_rules() -> dict[str, Any]:
    """Every stage's rows of the URL x persona walk, loaded from where each stage says they are."""
    rules: dict[str, Any] = {}
    for s in _stages.values():
        if s.url_rules:
            module, _, attribute = s.url_rules.partition(":")
            rules.update(getattr(importlib.import_module(module), attribute))
    return rules
