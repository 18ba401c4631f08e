"""The inboxes on the admin home: what waits for the person signed in."""

from django import template
from django.contrib import admin
from django.urls import reverse

from reviews.inbox import inboxes

register = template.Library()


@register.inclusion_tag("admin/reviews/inboxes.html", takes_context=True)
def review_inboxes(context):
    from reviews.admin_workflow import WorkflowAdminMixin

    request = context["request"]
    models = [
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, WorkflowAdminMixin)
        and model_admin.has_view_or_change_permission(request)
    ]
    box = inboxes(request.user, models)
    return {"box": box}


def _url(page, view):
    meta = page._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[page.pk])


@register.simple_tag
def admin_link(page, view):
    return _url(page, view)
