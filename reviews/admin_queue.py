"""The review queue screen of the admin, over every model the admin runs the workflow for."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse

from reviews.admin_workflow import WorkflowAdminMixin
from reviews.queue import review_queue


def review_queue_view(request):
    models = [
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, WorkflowAdminMixin)
        and model_admin.has_view_or_change_permission(request)
    ]
    queue = review_queue(models)
    context = {
        **admin.site.each_context(request),
        "title": "Review queue",
        "awaiting_review": [
            {"page": page, "url": _url(page, "review"), "event": event}
            for page, event in queue.awaiting_review
        ],
        "unreviewed_live": [
            {"page": page, "url": _url(page, "change"), "publication": row.publication}
            for page, row in queue.unreviewed_live
        ],
        "overdue": [_due_row(due) for due in queue.overdue],
        "due_soon": [_due_row(due) for due in queue.due_soon],
    }
    return TemplateResponse(request, "admin/reviews/queue.html", context)


def _due_row(due):
    return {"due": due, "url": _url(due.page, "review")}


def _url(page, view):
    meta = page._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[page.pk])
