"""Template filters available in every template."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tovani.sanitizer import sanitize_html

register = template.Library()


@register.filter
def sanitized(fragment):
    """Mark HTML safe only after it passes the one sanitizer, even if it was stored sanitized."""
    return mark_safe(sanitize_html(fragment))  # noqa: S308 - output of the sanitizer


# Escapes that keep JSON inert inside a script element, as Django's json_script does: no text
# can close the element, open a comment or start a character reference.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """data as a JSON-LD script element whose text cannot close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
