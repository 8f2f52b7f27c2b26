"""Bench: generating the two files of one notice to the national bodies (the letter as DOCX and as
tagged PDF), as `localreviews.services_notices.notice_send` does while the coordinator waits on the
page. Prints the times; asserts nothing.

Run: .venv/bin/python bench/notice_letter.py [--runs 10]

It migrates a throwaway SQLite database in a temporary VAR_DIR, opens an LCSPR with two reviewers,
drafts the reviewer's notice from the record, then renders each file once cold (first render:
imports, template parsing, font set-up) and --runs times warm: wall-clock median, minimum and
maximum, and the median CPU time of this process.

Figures (2 CPUs, --runs 10, 2026-12-05, the machine busy with other work, load average 8.8): the
reviewer's notice, one page. DOCX warm median 0.055 s (min 0.048, max 0.081), 36 KiB; PDF cold
1.49 s (the process's first PDF: WeasyPrint's imports and font set-up), warm median 0.042 s (min
0.038, max 0.052), 13 KiB. Both files for one notice: about 0.1 s in a warm process, about 1.5 s for
the first notice a fresh process makes. Made while the coordinator waits, before the transaction.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="bench-notice-")
os.environ.pop("DATABASE_URL", None)

import logging  # noqa: E402

import django  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

django.setup()

from django.core.management import call_command  # noqa: E402


def build() -> tuple[object, object]:
    from accounts.models import User
    from cases.models import Case
    from localreviews.models import DecidedWhen, Employment, LocalReview, Reviewer, ReviewKind
    from partnerships.models import Partnership

    partnership = Partnership.objects.create(
        name="Benchshire SCP", slug="bench", short_name="BSCP", local_authority_name="Benchshire Council"
    )
    coordinator = User.objects.create_user(
        username="c@example.test", email="c@example.test", password="x" * 20, first_name="Casey", last_name="Bench"
    )
    case = Case.objects.create(
        reference="BSCP-2026-0001", partnership=partnership, title="Child Q", state="local_review"
    )
    review = LocalReview.objects.create(
        case=case,
        kind=ReviewKind.LCSPR,
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Learning about discharge planning.",
        opened_by=coordinator,
    )
    for name in ("Robin Ashdown", "Sam Okafor"):
        Reviewer.objects.create(
            review=review,
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            employment=Employment.INDEPENDENT,
            organisation="Ashdown Reviews Ltd",
            agreement_starts=date(2026, 3, 16),
            agreement_ends=date(2026, 9, 1),
            independent_declared=True,
            independence_statement="No part in the services to the family.",
            appointed_on=date(2026, 3, 16),
            appointed_by=coordinator,
        )
    return review, coordinator


def timed(render: Callable[[], bytes], runs: int) -> tuple[float, list[float], list[float], int]:
    start = time.perf_counter()
    data = render()
    cold = time.perf_counter() - start
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        render()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return cold, walls, cpus, len(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from localreviews import notice_letter
    from localreviews.models import NoticeKind

    review, coordinator = build()
    text = notice_letter.draft(
        review,  # type: ignore[arg-type]
        NoticeKind.REVIEWER,
        coordinator,  # type: ignore[arg-type]
        reviewers=list(review.reviewers.all()),  # type: ignore[attr-defined]
        commissioned_on=date(2026, 3, 9),
    )
    letter = notice_letter.letter_for(
        review,  # type: ignore[arg-type]
        NoticeKind.REVIEWER,
        sent_on=date(2026, 3, 20),
        recipients={"panel": "panel@example.org", "ofsted": "ofsted@example.org", "dfe": "dfe@example.org"},
        text=text,
    )
    both: list[float] = []
    for name, render in (
        ("DOCX", lambda: notice_letter.letter_docx(letter)),
        ("PDF", lambda: notice_letter.letter_pdf(letter)),
    ):
        cold, walls, cpus, size = timed(render, args.runs)
        both.append(statistics.median(walls))
        print(
            f"{name}: cold {cold:.3f} s; warm median {statistics.median(walls):.3f} s "
            f"(min {min(walls):.3f}, max {max(walls):.3f}), CPU median {statistics.median(cpus):.3f} s; "
            f"{size / 1024:.0f} KiB"
        )
    print(f"Both files, warm: {sum(both):.3f} s (cpus: {os.cpu_count()}, load: {os.getloadavg()[0]:.1f})")
    shutil.rmtree(os.environ["VAR_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
