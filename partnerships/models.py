"""Partnerships are tenants: one deployment may host several and no data crosses between them."""

from django.db import models
from simple_history.models import HistoricalRecords


class AgencyType(models.TextChoices):
    LA_CHILDRENS_SERVICES = "la_childrens_services", "Local authority children's services"
    POLICE = "police", "Police"
    ICB = "icb", "Integrated care board"
    NHS_TRUST = "nhs_trust", "NHS trust"
    PRIMARY_CARE = "primary_care", "GP and primary care"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    short_name = models.CharField(max_length=40, help_text="Used in case references, for example NSCP")
    local_authority_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40, choices=AgencyType.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name_in_partnership")
        ]

    def __str__(self) -> str:
        return self.name
