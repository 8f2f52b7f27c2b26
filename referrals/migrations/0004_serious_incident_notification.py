from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_duplicate_dismissals")]

    operations = [
        migrations.RenameModel("Notification", "SeriousIncidentNotification"),
    ]
