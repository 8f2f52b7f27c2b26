"""Bench: the audit ledger: writing events, and `manage.py audit_verify` over a large ledger.

Prints
- events written per second by `audit.services.audit_record` (each in its own transaction, as a
  page view records one), best and median of --rounds rounds of --events events;
- for each size (default 200,000 and 1,000,000 rows), the seconds `audit_verify` takes (wall
  clock, and CPU time, which a busy shared machine disturbs less) and its peak memory (the child
  process's maximum resident set size, and how much it grew while the command ran).

Asserts nothing. Run: .venv/bin/python bench/audit_ledger.py [--sizes 200000 1000000]

It migrates a throwaway SQLite database in a temporary VAR_DIR (its own audit key and checkpoint
file too), writes synthetic rows chained with the service's own hashing (`audit.chain`) through
plain SQL in batches, and runs `audit_verify` in a fresh process so its memory is its own.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "--verify-child" not in sys.argv:
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="bench-audit-")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

COLUMNS = (
    "id, at, actor_id, actor_label, actor_agency_id, partnership_id, verb, target_type, target_id, "
    "target_label, case_id, ip_address, user_agent, request_id, details, prev_hash, hash"
)
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"


def build_world() -> tuple[Any, Any]:
    from accounts.models import Membership, User
    from accounts.roles import Role
    from cases.models import Case, CaseState
    from partnerships.models import Agency, AgencyType, Partnership

    partnership = Partnership.objects.create(
        name="Benchshire SCP", slug="bench", short_name="BSCP", local_authority_name="Benchshire Council"
    )
    agency = Agency.objects.create(partnership=partnership, name="Benchshire Police", type=AgencyType.POLICE)
    user = User.objects.create_user(
        username="lead@bench.example", email="lead@bench.example", password="bench-password-123"
    )
    Membership.objects.create(user=user, partnership=partnership, role=Role.AGENCY_LEAD, agency=agency)
    case = Case.objects.create(
        reference="BSCP-000001", partnership=partnership, title="Child B", state=CaseState.RAPID_REVIEW
    )
    return user, case


def write_rate(user: Any, case: Any, events: int, rounds: int) -> tuple[list[float], list[float]]:
    """Events per second (wall clock, commits included) and CPU microseconds per event (the code's own cost)."""
    from audit.models import Verb
    from audit.services import audit_record

    rates, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        for i in range(events):
            audit_record(actor=user, verb=Verb.VIEW, target=case, case=case, details={"page": "case", "n": i})
        rates.append(events / (time.perf_counter() - started))
        cpu.append((time.process_time() - started_cpu) / events * 1e6)
    return rates, cpu


def set_head(last_id: int, last_hash: str) -> None:
    from audit import chain
    from audit.models import ChainHead

    head, _ = ChainHead.objects.get_or_create(pk=1)
    head.last_id, head.last_hash = last_id, last_hash
    fields = ["last_id", "last_hash"]
    if hasattr(chain, "seal_head"):  # the keyed ledger seals its head too
        chain.seal_head(head)
        fields += ["key_id", "mac"]
    head.save(update_fields=fields)


def grow(user: Any, case: Any, size: int, batch: int = 10_000) -> None:
    """Append synthetic rows, chained from the current head, until the ledger holds `size` rows."""
    from audit.chain import compute_hash, row_fields
    from audit.models import ChainHead

    head = ChainHead.objects.get(pk=1)
    last_id, prev = head.last_id, head.last_hash
    at = timezone.now()
    agency_id = user.memberships.get().agency_id
    while last_id < size:
        rows = []
        for event_id in range(last_id + 1, min(size, last_id + batch) + 1):
            event = SimpleNamespace(
                id=event_id,
                at=at,
                actor_id=user.id,
                actor_label="Lead Tester",
                actor_agency_id=agency_id,
                partnership_id=case.partnership_id,
                verb="view",
                target_type="cases.case",
                target_id=str(case.pk),
                target_label=str(case),
                case_id=case.pk,
                ip_address="127.0.0.1",
                user_agent=USER_AGENT,
                request_id=f"{event_id:032x}",
                details={"page": "case", "n": event_id},
            )
            digest = compute_hash(prev, row_fields(event))
            fields = row_fields(event)
            rows.append(
                (
                    event_id,
                    event.at.isoformat(),
                    fields["actor"],
                    fields["actor_label"],
                    fields["actor_agency"],
                    fields["partnership"],
                    fields["verb"],
                    fields["target_type"],
                    fields["target_id"],
                    fields["target_label"],
                    fields["case"],
                    fields["ip_address"],
                    fields["user_agent"],
                    fields["request_id"],
                    json.dumps(fields["details"]),
                    prev,
                    digest,
                )
            )
            prev = digest
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({', '.join(['%s'] * 17)})", rows)
        last_id = rows[-1][0]
    set_head(last_id, prev)


def verify_child() -> None:
    """Run audit_verify in this (fresh) process and print seconds and memory as JSON."""
    from io import StringIO

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = StringIO()
    started, started_cpu = time.perf_counter(), time.process_time()
    call_command("audit_verify", stdout=out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {"seconds": seconds, "cpu": cpu, "peak_kib": peak, "grew_kib": peak - before, "out": out.getvalue()}
    print(json.dumps(result))


def verify_in_child() -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--verify-child"], capture_output=True, text=True, env=os.environ, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"audit_verify failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--verify-child", action="store_true")
    args = parser.parse_args()
    if args.verify_child:
        verify_child()
        return
    call_command("migrate", verbosity=0)
    user, case = build_world()
    rates, cpu = write_rate(user, case, args.events, args.rounds)
    print(
        f"audit_record: {statistics.median(rates):,.0f} events/s median, {max(rates):,.0f} best; "
        f"CPU {statistics.median(cpu):,.0f} µs/event median "
        f"({args.rounds} rounds of {args.events:,}, SQLite, one transaction each)"
    )
    print(f"{'rows':>10} {'audit_verify s':>15} {'CPU s':>7} {'peak RSS MiB':>13} {'grew MiB':>9}")
    for size in args.sizes:
        grow(user, case, size)
        result = verify_in_child()
        assert f"{size} rows" in result["out"].replace(",", ""), result["out"]
        print(
            f"{size:>10,} {result['seconds']:>15.1f} {result['cpu']:>7.1f} {result['peak_kib'] / 1024:>13.0f} "
            f"{result['grew_kib'] / 1024:>9.0f}"
        )


if __name__ == "__main__":
    main()
