"""Tagged, accessible PDFs (PDF/UA-1) from HTML templates with WeasyPrint."""

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template must give `<html lang="en-GB">` and a `<title>` (the PDF's title metadata)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False))
