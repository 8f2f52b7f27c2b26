"""The Panel's national reviews as a platform part of the case (registered like a stage, with
journey=False: a national review runs beside the case's own stages, not as one of them): the case
page's section, its pages, its rows of the URL walk and its demo data."""

from typing import Any

from cases.stage_registry import Panel, Stage
from nationalreviews.panels import case_panel
from nationalreviews.selectors import CASE_PAGE_ANNOTATIONS


def _seed(world: Any) -> None:
    from nationalreviews.demo import seed

    seed(world)


stage = Stage(
    name="nationalreviews",
    journey=False,
    # After the rapid review's section (40), whose reply it follows.
    panels=(Panel(case_panel, order=42),),
    case_page_annotations=CASE_PAGE_ANNOTATIONS,
    urls="nationalreviews.urls",
    url_prefix="national-reviews/",
    url_rules="nationalreviews.tests.url_rules:RULES",
    seed=_seed,
)
