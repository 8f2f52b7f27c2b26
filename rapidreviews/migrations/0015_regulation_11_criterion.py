from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rapidreviews", "0014_challenged_decision_on_response")]

    operations = [
        migrations.RenameModel("CriterionNote", "Regulation11Criterion"),
    ]
