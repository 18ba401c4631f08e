from django import template

from purges.timeline import describe

register = template.Library()


@register.filter
def purge_outcome(purge) -> str:
    return describe(purge)
