"""The Panel's response keeps the decision it answered (and its rationale), so no page has to
recover it from the wording of the audit ledger. Responses recorded before this get it from the
ledger's "Rapid review sent to the Panel: <decision>" event, where the ledger says it."""

from typing import Any

from django.db import migrations, models

SENT = "Rapid review sent to the Panel: "
WITHOUT = ", without the summaries of "

# Every wording the decision has had in the ledger (the labels of Decision, then and now).
LABELS = {
    "Local child safeguarding practice review (LCSPR)": "lcspr",
    "No LCSPR: learning captured in the rapid review": "no_lcspr",
    "An alternative learning review": "alternative",
    "Suggest a national review to the Panel": "national",
    "The serious incident criteria were not met after all: no rapid review is needed": "criteria_not_met",
    "Criteria not met after all": "criteria_not_met",
}


def fill_from_ledger(apps: Any, schema_editor: Any) -> None:
    PanelResponse = apps.get_model("rapidreviews", "PanelResponse")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for response in PanelResponse.objects.filter(sent_decision="").select_related("review").order_by("id"):
        review = response.review
        sent = (
            AuditEvent.objects.filter(
                case_id=review.case_id,
                verb="transition",
                target_type="rapidreviews.rapidreview",
                target_id=str(review.pk),
                details__summary__startswith=SENT,
                at__lte=response.recorded_at,
            )
            .order_by("-at", "-id")
            .first()
        )
        # "...: <decision>", or "...: <decision>, without the summaries of <agencies>" once a review
        # could go without some agencies' summaries.
        label = sent.details["summary"].removeprefix(SENT).split(WITHOUT)[0] if sent else ""
        decision = LABELS.get(label, "")
        if not decision:
            continue
        response.sent_decision = decision
        later = PanelResponse.objects.filter(review=review, id__gt=response.id).exists()
        if review.decision == decision and not later and "decision" not in (response.reopened_tasks or []):
            # The decision was not reopened and nothing came after: the review still holds what was sent.
            response.sent_alternative_review_type = review.alternative_review_type
            response.sent_rationale = review.decision_rationale
        response.save(update_fields=["sent_decision", "sent_alternative_review_type", "sent_rationale"])


class Migration(migrations.Migration):
    dependencies = [
        ("rapidreviews", "0013_duplicate_dismissals"),
        ("audit", "0003_seal_chain_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="panelresponse",
            name="sent_alternative_review_type",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="panelresponse",
            name="sent_decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("lcspr", "Local child safeguarding practice review (LCSPR)"),
                    ("no_lcspr", "No LCSPR: learning captured in the rapid review"),
                    ("alternative", "An alternative learning review"),
                    ("national", "Suggest a national review to the Panel"),
                    (
                        "criteria_not_met",
                        "The serious incident criteria were not met after all: no rapid review is needed",
                    ),
                ],
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="panelresponse",
            name="sent_rationale",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(fill_from_ledger, migrations.RunPython.noop),
    ]
