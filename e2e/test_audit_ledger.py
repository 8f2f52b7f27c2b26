"""The audit ledger of the running service: a read in the browser lands in a ledger that holds, and a
copy of the database whose newest events were removed (head set back) is caught by the checkpoint
`audit_verify` leaves outside the database. The service's own database is never touched: the
tampering is done on a backup copy, as someone with a copy of the database file would."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from e2e.service import ROOT, Service


def newest_view(service: Service) -> dict[str, Any]:
    out = service.manage(
        "shell",
        "-c",
        "import json; from audit.models import AuditEvent; "
        "e = AuditEvent.objects.filter(verb='view').order_by('-id').first(); "
        "print(json.dumps({'page': e.details.get('page'), 'id': e.id} if e else {'page': None, 'id': 0}))",
    )
    return dict(json.loads(out.strip().splitlines()[-1]))


def test_a_case_read_in_the_browser_is_in_a_ledger_that_holds_and_a_truncated_copy_is_caught(
    service: Service, page: Page, sign_in: Any, tmp_path: Path
) -> None:
    sign_in(page, "coordinator")
    page.goto("/cases/")
    before = newest_view(service)
    page.locator("main a[href^='/cases/']").first.click()
    page.get_by_role("heading", level=1).wait_for()
    view = newest_view(service)
    assert view["id"] > before["id"] and view["page"] == "cases:detail"  # recorded by the door

    out = service.manage("audit_verify")
    assert "Audit ledger intact" in out
    checkpoints = (service.var_dir / "audit" / "checkpoints.jsonl").read_text().splitlines()
    anchored = json.loads(checkpoints[-1])
    assert anchored["last_id"] >= view["id"]

    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(service.var_dir / "service.sqlite3") as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as db:
        keep = anchored["last_id"] - 3
        db.execute("DELETE FROM audit_auditevent WHERE id > ?", [keep])
        (kept_hash,) = db.execute("SELECT hash FROM audit_auditevent WHERE id = ?", [keep]).fetchone()
        db.execute("UPDATE audit_chainhead SET last_id = ?, last_hash = ?", [keep, kept_hash])
    result = subprocess.run(
        [sys.executable, "manage.py", "audit_verify", "--no-checkpoint"],
        cwd=ROOT,
        env=service.env | {"DATABASE_URL": f"sqlite:///{copy}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "the chain head was changed outside the service" in result.stdout
    assert f"recorded {anchored['count']} rows: rows were removed" in result.stdout
