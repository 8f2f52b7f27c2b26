"""Long unbroken text on a phone (375 px): a 20,000-character "word" or a long link typed into any
answer wraps inside its box instead of making the page that wide, while short words stay whole;
and the case page's deadlines sit in their own sideways-scrolling region."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

from e2e.conftest import Service, sign_in_to

PHONE: ViewportSize = {"width": 375, "height": 800}
WORD = "Hollowbrook" + "x" * 20000
LINK = "https://records.example/" + "/".join(f"section-{i}" for i in range(400))

# The service's own components, as its templates write them, each holding typed text.
COMPONENTS = f"""
<h1 class="govuk-heading-l">Long text</h1>
<p class="govuk-body" id="paragraph">Seen at home. {WORD}</p>
<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Summary</dt>
  <dd class="govuk-summary-list__value" id="summary-value">{LINK}</dd></div></dl>
<div class="govuk-inset-text" id="inset">{WORD}</div>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
  <strong class="govuk-warning-text__text" id="warning">{WORD}</strong></div>
<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper">
  <h2 class="govuk-summary-card__title" id="card-title">{WORD}</h2>
  <ul class="govuk-summary-card__actions"><li class="govuk-summary-card__action"><a class="govuk-link" href="#">Change</a></li></ul>
</div></div>
<ul class="govuk-task-list"><li class="govuk-task-list__item govuk-task-list__item--with-link">
  <div class="govuk-task-list__name-and-hint" id="task"><a class="govuk-link govuk-task-list__link" href="#"
    aria-describedby="task-status">Individual Agency Summary: {WORD}</a></div>
  <div class="govuk-task-list__status" id="task-status"><strong class="govuk-tag govuk-tag--blue">In progress</strong></div>
</li></ul>
<div class="moj-timeline"><div class="moj-timeline__item"><div class="moj-timeline__header">
  <h3 class="moj-timeline__title">Changed</h3> <p class="moj-timeline__byline">by Cerys Ambleworth</p></div>
  <div class="moj-timeline__description" id="timeline">{WORD}</div></div></div>
<div class="app-table-wrap" role="region" aria-label="Chronology" tabindex="0" id="region"><table class="govuk-table">
  <caption class="govuk-table__caption">Chronology</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Date</th>
    <th scope="col" class="govuk-table__header">Agency</th><th scope="col" class="govuk-table__header">What happened</th>
    <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th></tr></thead>
  <tbody class="govuk-table__body"><tr class="govuk-table__row"><td class="govuk-table__cell">4 Feb 2026</td>
    <td class="govuk-table__cell short">Hollowbrook Primary School</td><td class="govuk-table__cell" id="cell">{WORD}</td>
    <td class="govuk-table__cell"><a class="govuk-link" href="#">Change<span class="govuk-visually-hidden"> the entry</span></a></td></tr>
  <tr class="govuk-table__row"><td class="govuk-table__cell">5 Feb 2026</td><td class="govuk-table__cell short">Northshire Police</td>
    <td class="govuk-table__cell short">Call to the home address</td><td class="govuk-table__cell"></td></tr></tbody>
</table></div>
"""

MEASURE = """() => {
  const box = (id) => document.getElementById(id).getBoundingClientRect();
  const lines = (el) => new Set([...el.getClientRects()].map((r) => Math.round(r.top))).size;
  const split = [];  // short words drawn on more than one line
  for (const cell of document.querySelectorAll('.short')) {
    const text = cell.firstChild; const re = /\\S+/g; let m;
    while ((m = re.exec(text.data))) {
      const range = document.createRange(); range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
      if (lines(range) > 1) split.push(m[0]);
    }
  }
  const ids = ['paragraph', 'summary-value', 'inset', 'warning', 'card-title', 'task', 'timeline'];
  return {
    page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
    wrapped: Object.fromEntries(ids.map((id) => [id, [Math.round(box(id).right), Math.round(box(id).height)]])),
    region: [Math.round(box('region').right), document.getElementById('region').scrollWidth],
    cell: Math.round(box('cell').width), split,
  };
}"""


@pytest.fixture
def phone(browser: Browser, service: Service) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=service.base_url, viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def test_a_20000_character_word_wraps_in_every_kind_of_box_and_short_words_stay_whole(
    phone: BrowserContext, shot: Any
) -> None:
    page = phone.new_page()
    page.goto("/accessibility/")  # a page of the service, with its stylesheet
    page.locator("main").evaluate("(main, html) => { main.innerHTML = html; }", COMPONENTS)
    for width in (1024, 375):  # a phone; a tablet, where a summary card's title sits beside its actions
        page.set_viewport_size({"width": width, "height": 800})
        found = page.evaluate(MEASURE)
        assert found["page"] == found["viewport"] == width, found  # the page does not scroll sideways
        for name, (right, height) in found["wrapped"].items():
            assert right <= width and height > 100, (width, name, right, height)  # in the screen, many lines
        region_right, region_scroll = found["region"]
        assert region_right <= width, found["region"]
        assert region_scroll < 2 * width, found["region"]  # the table scrolls a little, not 190,000 px
        assert found["cell"] <= 0.9 * width + 21, found["cell"]  # capped (plus its 20 px padding)
        assert found["split"] == [], found["split"]
    shot(page, "long-text-375")


def a_case_with_a_reason_on_a_deadline(service: Service) -> str:
    out = service.manage(
        "shell",
        "-c",
        "import json; from clocks.models import Clock; "
        "c = Clock.objects.exclude(reason='').exclude(met_on=None).select_related('case').first(); "
        "print(json.dumps(c.case.reference if c else None))",
    )
    reference = json.loads(out.strip().splitlines()[-1])
    assert reference is not None, "the demo holds a deadline met late with its reason (demo/deadlines.py)"
    return str(reference)


def test_the_case_pages_deadlines_scroll_in_their_region_and_done_and_reason_are_separate_lines(
    phone: BrowserContext, service: Service, shot: Any
) -> None:
    reference = a_case_with_a_reason_on_a_deadline(service)
    page: Page = phone.new_page()
    sign_in_to(service, page, "coordinator")
    page.goto(f"/cases/{reference}/deadlines/")
    region = page.get_by_role("region", name="Deadlines, scrolls sideways on a narrow screen")
    box = region.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    tops = region.evaluate(
        """(region) => { const cell = [...region.querySelectorAll('td')].find((td) => td.textContent.includes('Reason:'));
        return [...cell.querySelectorAll('.govuk-hint')].map((hint) => [hint.textContent, hint.getBoundingClientRect().top]); }"""
    )
    done = next(top for text, top in tops if text.startswith("Done "))
    reason = next(top for text, top in tops if text.startswith("Reason: "))
    assert reason > done, tops  # "Reason: …" starts on a line below "Done …"
    region.scroll_into_view_if_needed()
    shot(page, "deadlines-375")
