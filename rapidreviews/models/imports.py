from django.conf import settings
from django.db import models


class ChronologyImport(models.Model):
    """A CSV file of chronology entries a lead has uploaded and not yet added: the preview reads it
    from here until they add it (all of it at once) or upload another. Its text is emptied once it
    has been added, so the file is not kept beside the entries made from it."""

    agency_summary = models.ForeignKey("rapidreviews.AgencySummary", on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Chronology file {self.file_name}"
