"""The choices of condition pages and their treatments, shared by the drafts and the read model."""

from django.db import models


class IndicationStatus(models.TextChoices):
    ESTABLISHED = "established", "Established indication"
    CASE_BY_CASE = "case_by_case", "Case by case"
    NOT_INDICATED = "not_indicated", "Not an indication"


class LineOfTherapy(models.TextChoices):
    FIRST_LINE = "first_line", "First-line"
    ESCALATION = "escalation", "Escalation"
    SPECIALIST = "specialist", "Specialist"
    INVESTIGATIONAL = "investigational", "Investigational"


class TreatmentKind(models.TextChoices):
    PSYCHOTHERAPY = "psychotherapy", "Psychotherapy"
    MEDICATION = "medication", "Medication"
    AUGMENTATION = "augmentation", "Medication augmentation"
    NEUROMODULATION = "neuromodulation", "Neuromodulation or procedure"
    PROGRAM = "program", "Treatment program"
    OTHER = "other", "Other"
