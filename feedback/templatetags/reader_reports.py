from django import template
from django.contrib.contenttypes.models import ContentType

from feedback.models import Report

register = template.Library()


@register.simple_tag
def open_reader_reports() -> int:
    """How many reader reports are new or in progress: shown on the editors' home."""
    return Report.objects.open().count()


@register.simple_tag
def attached_reader_reports(obj) -> list[Report]:
    """Open reports an editor attached to obj's next review, oldest first: what the reviewing
    physician should read beside the changes."""
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        Report.objects.attached_to_review_of(content_type.pk, obj.pk).order_by("received_at")
    )
