"""A calendar invitation (RFC 5545): one VEVENT, METHOD:REQUEST, UTC times, written by icalendar.

The library escapes TEXT values (a lone carriage return in the meeting's place becomes an escaped
line break instead of a new line of the file), quotes parameters and folds lines at 75 octets.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Safeguarding practice reviews//Rapid review meeting//EN"


def _text(value: str) -> str:
    """Control characters other than line breaks and tabs are not allowed in TEXT (§3.3.11)."""
    return "".join(c for c in value if c >= " " or c in "\t\r\n")


def _param(value: str) -> str:
    """Parameter values may not hold DQUOTE or control characters (§3.2)."""
    return "".join(c for c in value if c != '"' and c >= " ")


def _address(name: str, email: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{_param(email)}")
    address.params["CN"] = _param(name)
    for key, value in params.items():
        address.params[key.replace("_", "-")] = value
    return address


def meeting_ics(
    *,
    uid: str,
    sequence: int,
    start: datetime,
    minutes: int,
    summary: str,
    location: str,
    description: str,
    organizer: tuple[str, str],
    attendees: Iterable[tuple[str, str]],
    stamp: datetime | None = None,
    product: str = PRODID,
) -> bytes:
    """organizer and attendees are (name, email). `start` must be aware. `product` names what
    made the invitation (PRODID): the rapid review meeting, unless another kind of meeting says."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", product)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", (start + timedelta(minutes=minutes)).astimezone(UTC))
    event.add("summary", _text(summary))
    event.add("location", _text(location))
    event.add("description", _text(description))
    event.add("organizer", _address(*organizer))
    for name, email in attendees:
        event.add("attendee", _address(name, email, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="TRUE"))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()
