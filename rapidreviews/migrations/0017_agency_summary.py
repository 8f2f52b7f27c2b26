from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rapidreviews", "0016_panel_response_said")]

    operations = [
        migrations.RenameModel("AgencyReturn", "AgencySummary"),
        migrations.RenameModel("ReturnEvent", "SummaryEvent"),
        migrations.RenameField("SummaryEvent", "agency_return", "agency_summary"),
        migrations.RenameField("ChronologyEntry", "agency_return", "agency_summary"),
        migrations.RenameField("PracticeEpisode", "agency_return", "agency_summary"),
        migrations.RenameField("ChronologyImport", "agency_return", "agency_summary"),
        migrations.RenameField("RapidReview", "missing_returns_reason", "missing_summaries_reason"),
        migrations.RenameField("RapidReview", "returns_shared_at", "summaries_shared_at"),
    ]
