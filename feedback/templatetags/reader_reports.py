from django import template

from feedback.models import Report

register = template.Library()


@register.simple_tag
def open_reader_reports() -> int:
    """How many reader reports are new or in progress: shown on the editors' home."""
    return Report.objects.open().count()
