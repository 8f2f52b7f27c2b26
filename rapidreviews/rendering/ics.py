"""A calendar invitation (RFC 5545), written by hand: one VEVENT, METHOD:REQUEST, UTC times."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Content lines longer than 75 octets are folded with CRLF and a space (§3.1), never mid-character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


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
) -> bytes:
    """organizer and attendees are (name, email). `start` must be aware."""
    end = start + timedelta(minutes=minutes)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Safeguarding practice reviews//Rapid review meeting//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_utc(stamp or timezone.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape(summary)}",
        f"LOCATION:{escape(location)}",
        f"DESCRIPTION:{escape(description)}",
        f'ORGANIZER;CN="{_param(organizer[0])}":mailto:{organizer[1]}',
    ]
    for name, email in attendees:
        lines.append(
            f'ATTENDEE;CN="{_param(name)}";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{email}'
        )
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def _param(value: Any) -> str:
    """Parameter values may not hold DQUOTE or control characters (§3.2)."""
    return "".join(c for c in str(value) if c != '"' and c >= " ")
