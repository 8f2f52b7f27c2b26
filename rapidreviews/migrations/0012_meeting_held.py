import datetime as dt

from django.db import migrations, models


def held_where_decided(apps, schema_editor):  # type: ignore[no-untyped-def]
    """A meeting already past whose review has its decision evidently took place on its day (the
    service used to count it held then): record it so, so the work under way is not held up."""
    Meeting = apps.get_model("rapidreviews", "Meeting")
    today = dt.date.today()
    for meeting in Meeting.objects.filter(held_on__isnull=True, date__lte=today).exclude(review__decision=""):
        Meeting.objects.filter(pk=meeting.pk).update(held_on=meeting.date)


class Migration(migrations.Migration):
    dependencies = [
        ("rapidreviews", "0011_immediate_action_and_criterion_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="held_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(held_where_decided, migrations.RunPython.noop),
    ]
