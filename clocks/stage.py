"""What the deadlines add to every case (a platform part, registered like a stage): the Deadlines
sub-page, the deadline that matters on the case page, the home page's "what's due" and stopping open
deadlines when a case closes. The demo deadlines, which need the stages' own services, are the
demo app's (demo/deadlines.py)."""

from cases.stage_registry import Ordered, Panel, Stage, Tab
from clocks.panels import clocks_case_panel, due_home_panel, key_deadline_row
from clocks.services import clocks_open_on, clocks_stop_on_close

stage = Stage(
    name="clocks",
    journey=False,
    tabs=(Tab("deadlines", "Deadlines", order=10, empty="No deadlines have started on this case yet."),),
    panels=(Panel(clocks_case_panel, order=20, tab="deadlines"),),
    # The case page's summary shows the deadline that matters; the rest are on the sub-page.
    summary_rows=(Ordered(key_deadline_row, order=10),),
    home_panels=(Ordered(due_home_panel, order=10),),
    # A closed case has nothing left to be late for.
    on_close=((clocks_stop_on_close, clocks_open_on),),
)
