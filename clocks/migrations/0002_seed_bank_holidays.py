"""Seed the England and Wales bank holidays for 2015-2040 from the `holidays` package."""

from django.db import migrations


def seed(apps, schema_editor):
    import holidays as holidays_lib

    BankHoliday = apps.get_model("clocks", "BankHoliday")
    days = holidays_lib.country_holidays("GB", subdiv="ENG", years=range(2015, 2041), language="en_GB")
    existing = set(BankHoliday.objects.values_list("date", flat=True))
    BankHoliday.objects.bulk_create(
        [BankHoliday(date=d, name=name, source="seeded") for d, name in sorted(days.items()) if d not in existing]
    )


def unseed(apps, schema_editor):
    apps.get_model("clocks", "BankHoliday").objects.filter(source="seeded").delete()


class Migration(migrations.Migration):
    dependencies = [("clocks", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
