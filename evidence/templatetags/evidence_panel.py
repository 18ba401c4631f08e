"""The evidence watch's panel on the admin home."""

from django import template

from evidence.panel import panel

register = template.Library()


@register.inclusion_tag("admin/evidence/panel.html", takes_context=True)
def evidence_panel(context):
    return {"box": panel(context["request"].user)}
