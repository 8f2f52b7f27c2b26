"""Dates for people to read have no leading zero: "1 September 2025", not "01 September 2025"
(GOV.UK style, and the project's DATE_FORMAT "j F Y"). The walk reads every template and module of
the service (not tests) for a format that writes the day as two digits: Django's `d`
(`{{ x|date:"d F Y" }}`) or strftime's `%d` beside a month or weekday (`f"{x:%d %B %Y}"`)."""

import os
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".git", ".venv", "node_modules", "build", "var", "staticfiles", "artifacts", "tests", "e2e", "bench", "docs"}

# Django's date filter and settings: a `d` that is not escaped with a backslash.
DJANGO_FORMAT = re.compile(r"""\|\s*date\s*:\s*(["'])(?P<format>.*?)\1""")
SETTING_FORMAT = re.compile(r"""^\s*(?:SHORT_)?DATE(?:TIME)?_FORMAT\s*=\s*(["'])(?P<format>.*?)\1""", re.MULTILINE)
# strftime: %d next to a month (%B %b %m) or after a weekday (%A %a); '%Y-%m-%d' and '%Y%m%d' are
# machine formats (file names, ISO dates, calendar files) and are left alone.
STRFTIME = re.compile(r"%d[ /.,-]*%[bBm]|%[aA],? %d")

# Found outside core's files by the walk when it was written (the meeting papers and the rapid review
# document); their owners are told: "%-d"/"j", as DATE_FORMAT "j F Y" does. New ones fail the test.
KNOWN_ELSEWHERE = {
    ("rapidreviews/exports.py", "%d/%m"),
    ("rapidreviews/rendering/document.py", "%d/%m"),
    ("rapidreviews/templates/rapidreviews/pdf/_chronology.html", "d/m/Y"),
}


def writes_a_two_digit_day(django_format: str) -> bool:
    escaped = False
    for char in django_format:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "d":
            return True
    return False


def leading_zero_formats(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    found = {m.group(0)[:5] for m in STRFTIME.finditer(text)} if path.suffix == ".py" else set()
    for pattern in (DJANGO_FORMAT, SETTING_FORMAT):
        found |= {m["format"] for m in pattern.finditer(text) if writes_a_two_digit_day(m["format"])}
    return found


def service_files() -> list[Path]:
    files = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIP and name != "migrations"]
        files += [Path(folder, name) for name in names if name.endswith((".py", ".html", ".txt"))]
    return files


def test_no_page_document_or_email_writes_a_day_with_a_leading_zero() -> None:
    files = service_files()
    assert ROOT / "templates" / "base.html" in files and ROOT / "clocks" / "services.py" in files
    found = {
        (str(path.relative_to(ROOT)), fmt[:5] if "%" in fmt else fmt)
        for path in files
        for fmt in leading_zero_formats(path)
    }
    assert found - KNOWN_ELSEWHERE == set()


def test_the_walk_finds_both_kinds_of_leading_zero_format(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('a = f"{day:%d %B %Y}"\nb = f"{day:%Y-%m-%d}"\nc = f"{day:%-d %B %Y}"\n')
    template = tmp_path / "sample.html"
    template.write_text(
        '{{ a|date:"d M Y" }} {{ b|date:"j F Y" }} {{ c|date:"j F Y \\a\\t H:i" }} {{ e|date:"l j F" }}'
    )
    assert leading_zero_formats(sample) == {"%d %B"}
    assert leading_zero_formats(template) == {"d M Y"}
