from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from rapidreviews.models import RapidReview
from rapidreviews.services.document import document_generate


class Command(BaseCommand):
    help = "Writes the rapid review document of a case as DOCX or PDF, and keeps that version on the case."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("reference")
        parser.add_argument("--format", choices=["docx", "pdf"], default="pdf")
        parser.add_argument("--output", required=True, help="Where to write the file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            review = RapidReview.objects.select_related("case__partnership").get(case__reference=options["reference"])
        except RapidReview.DoesNotExist:
            if Case.objects.filter(reference=options["reference"]).exists():
                raise CommandError(f"{options['reference']} has no rapid review yet") from None
            raise CommandError(f"There is no case {options['reference']}") from None
        document = document_generate(review=review, actor=None, fmt=options["format"])
        from documents.services import document_open

        with document_open(document) as source:
            data = source.read()
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"Wrote {options['output']} ({len(data)} bytes, sha256 {document.sha256})")
