from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rapidreviews", "0015_regulation_11_criterion")]

    operations = [
        migrations.RenameField("PanelResponse", "summary", "said"),
    ]
