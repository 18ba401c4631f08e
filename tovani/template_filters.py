"""Template filters available in every template."""

from django import template
from django.utils.safestring import mark_safe

from tovani.sanitizer import json_ld_script, sanitize_html

register = template.Library()


@register.filter
def sanitized(fragment):
    """Mark HTML safe only after it passes the one sanitizer, even if it was stored sanitized."""
    return mark_safe(sanitize_html(fragment))  # noqa: S308 - output of the sanitizer


@register.filter
def json_ld(data):
    """data as a JSON-LD script element whose text cannot close the element."""
    return json_ld_script(data)
