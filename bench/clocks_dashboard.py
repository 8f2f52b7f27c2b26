"""Bench: the "what's due" dashboard for a coordinator at 1,000 and 10,000 clocks.

Prints, for the home page (its "What's due" panel) and the full `clocks:due` page, the number of
SQL queries and the server time (median and best of --runs warm requests through Django's test
client: middleware, views, templates; no network). Asserts nothing.

Run: .venv/bin/python bench/clocks_dashboard.py [--runs 7] [--sizes 1000 10000]

It migrates a throwaway SQLite database in a temporary VAR_DIR (the bank holidays are seeded by the
migration), then for each size bulk-creates cases with a spread of clocks: overdue, due today,
this week and later, some paused or extended, some met (which the dashboard must skip). Two clocks
per case, so 10,000 clocks are 5,000 cases.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="bench-clocks-")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

CLOCKS_PER_CASE = 2


def build_world() -> tuple[object, object]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Membership, User
    from accounts.roles import Role
    from partnerships.models import Agency, AgencyType, Partnership

    partnership = Partnership.objects.create(
        name="Benchshire SCP", slug="bench", short_name="BSCP", local_authority_name="Benchshire Council"
    )
    agency = Agency.objects.create(partnership=partnership, name="Benchshire Police", type=AgencyType.POLICE)
    user = User.objects.create_user(
        username="coordinator@bench.example", email="coordinator@bench.example", password="bench-password-123"
    )
    Membership.objects.create(user=user, partnership=partnership, role=Role.COORDINATOR)
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    owner = User.objects.create_user(username="owner@bench.example", email="owner@bench.example", password="x" * 16)
    Membership.objects.create(user=owner, partnership=partnership, role=Role.AGENCY_LEAD, agency=agency)
    return partnership, user


def fill(partnership: object, clocks_wanted: int) -> None:
    from cases.models import Case, CaseState
    from clocks.models import Clock, ClockRule, ClockStatus

    Clock.objects.all().delete()
    Case.objects.all().delete()
    today = timezone.localdate()
    n_cases = clocks_wanted // CLOCKS_PER_CASE
    cases = Case.objects.bulk_create(
        [
            Case(reference=f"BSCP-{i:06d}", partnership=partnership, title=f"Child {i}", state=CaseState.RAPID_REVIEW)
            for i in range(n_cases)
        ],
        batch_size=2000,
    )
    statuses = [ClockStatus.OPEN] * 6 + [ClockStatus.MET, ClockStatus.EXTENDED, ClockStatus.PAUSED, ClockStatus.LATE]
    clocks = []
    for i, case in enumerate(cases):
        for j, rule in enumerate((ClockRule.SIN, ClockRule.RAPID_REVIEW)):
            k = i * CLOCKS_PER_CASE + j
            status = statuses[k % len(statuses)]
            due = today + timedelta(days=(k % 40) - 10)
            clocks.append(
                Clock(
                    case=case,
                    rule=rule,
                    start_date=due - timedelta(days=21),
                    due_date=due,
                    status=status,
                    extended_to=due + timedelta(days=10) if status == ClockStatus.EXTENDED else None,
                    paused_on=today if status == ClockStatus.PAUSED else None,
                    met_on=due if status in (ClockStatus.MET, ClockStatus.LATE) else None,
                )
            )
    Clock.objects.bulk_create(clocks, batch_size=2000)


def signed_in_client(user: object) -> Client:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def measure(client: Client, url: str, runs: int) -> tuple[int, float, float]:
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return len(executed), statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    partnership, user = build_world()
    client = signed_in_client(user)
    print(f"What's due for a coordinator; server time over {args.runs} warm runs (Django test client, SQLite)")
    print(f"{'clocks':>8} {'page':<22} {'queries':>7} {'median ms':>10} {'best ms':>8}")
    for size in args.sizes:
        fill(partnership, size)
        client.get("/")  # warm templates and the session
        pages = (
            ("home (What's due)", "/"),
            ("clocks:due page 1", "/clocks/"),
            ("clocks:due overdue p2", "/clocks/?group=overdue&page=2"),
        )
        for label, url in pages:
            count, median, best = measure(client, url, args.runs)
            print(f"{size:>8} {label:<22} {count:>7} {median:>10.1f} {best:>8.1f}")


if __name__ == "__main__":
    main()
