"""Whether the Panel will hold a national review is its own answer on the Panel's reply, beside
what it said about the decision (it may agree or challenge and hold one too). A reply recorded as
"will hold a national review" before this keeps that as `national_review`; what it said about the
decision becomes "agrees": such a reply reopened nothing, and a challenge always reopened a part of
the review."""

from typing import Any

from django.db import migrations, models

OLD_NATIONAL_REVIEW = "national_review"


def split_national_review(apps: Any, schema_editor: Any) -> None:
    PanelResponse = apps.get_model("rapidreviews", "PanelResponse")
    PanelResponse.objects.filter(kind=OLD_NATIONAL_REVIEW).update(national_review=True, kind="agrees")


def join_national_review(apps: Any, schema_editor: Any) -> None:
    """Back: a reply that agreed and said a national review reads as the old single answer."""
    PanelResponse = apps.get_model("rapidreviews", "PanelResponse")
    PanelResponse.objects.filter(national_review=True, kind="agrees").update(kind=OLD_NATIONAL_REVIEW)


class Migration(migrations.Migration):
    dependencies = [("rapidreviews", "0019_regulation_11_criterion_words")]

    operations = [
        migrations.AddField(
            model_name="panelresponse",
            name="national_review",
            field=models.BooleanField(default=False, help_text="The Panel will hold a national review"),
        ),
        migrations.RunPython(split_national_review, join_national_review),
        migrations.AlterField(
            model_name="panelresponse",
            name="kind",
            field=models.CharField(
                choices=[
                    ("agrees", "Agrees with the decision"),
                    ("challenges", "Challenges the decision"),
                    ("more_information", "Asks for more information"),
                ],
                max_length=30,
            ),
        ),
    ]
