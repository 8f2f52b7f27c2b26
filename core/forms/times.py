"""Times typed as hours and minutes ("14:30", "9.05")."""

import re
from datetime import time

# ASCII digits only: Python's \d also matches other scripts' digits ('١٤:٣٠').
_HOURS_MINUTES = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})", re.ASCII)


def parse_time(text: str | None) -> time | None:
    """The time in `text` on the 24-hour clock, or None when it is not one (blank, '25:00', '9:5',
    '14:30pm', '-1:00', '99999999999:00'), for the form to give its own GOV.UK message. Never
    raises, so junk cannot reach `datetime.time()` and overflow it."""
    match = _HOURS_MINUTES.fullmatch((text or "").strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)
