"""Peak memory of the upload check on a zip bomb: a ~1 MB .docx whose first entry inflates to 1 GiB.

Each check runs in a fresh child process (as a web worker would hold it) and the child reports its
resident memory before and its peak after, the time taken and what the check said.

Usage: .venv/bin/python bench/upload_zip_bomb.py [--gib 1] [--entry mimetype]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_bomb(path: Path, *, gib: float, entry: str) -> None:
    """A Word-looking archive whose named entry inflates to `gib` GiB of zeros (deflate, ~1030:1)."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(entry, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as out:
            for _ in range(int(gib * 1024)):
                out.write(chunk)
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")):
            if name != entry:
                archive.writestr(name, text)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import UploadRejected, check_upload

    upload = SimpleUploadedFile("chronology.docx", Path(path).read_bytes())
    before = rss_mib()
    started = time.perf_counter()
    try:
        outcome = f"accepted as {check_upload(upload).content_type}"
    except UploadRejected as error:
        outcome = f"refused: {error}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"rss_before_mib": round(before), "peak_mib": round(peak), "seconds": round(seconds, 2), "outcome": outcome}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--entry", default="mimetype")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as work:
        bomb = Path(work) / "bomb.docx"
        build_bomb(bomb, gib=args.gib, entry=args.entry)
        print(
            f"bomb: {bomb.stat().st_size / 1024 / 1024:.2f} MB on disk, entry {args.entry!r} inflates to {args.gib} GiB"
        )
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(bomb)], capture_output=True, text=True, check=False, cwd=ROOT
        )
        if result.returncode:
            print(f"the checking process died (exit {result.returncode}): {result.stderr.strip()[-400:]}")
            return
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"check: {figures['outcome']}; worker memory {figures['rss_before_mib']} MiB before, "
            f"peak {figures['peak_mib']} MiB; {figures['seconds']} s"
        )


if __name__ == "__main__":
    main()
