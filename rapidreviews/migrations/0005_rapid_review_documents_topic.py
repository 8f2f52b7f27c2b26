"""Rapid review documents generated before documents had a topic get theirs, so that they are read
as the agency summaries inside them are (documents.access, rapidreviews.selectors)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Document = apps.get_model("documents", "Document")
    Document.objects.filter(kind="generated", title__startswith="Rapid review document").update(topic="rapid_review")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_document_topic"),
        ("rapidreviews", "0004_alter_agencyreturn_status_alter_returnevent_kind"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
