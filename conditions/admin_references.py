"""The condition editor's reference check: what stops publishing, and what only needs a look."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from reviews.admin_workflow import shown_status
from reviews.workflow import content_problems, content_warnings


class ReferenceCheckMixin:
    """Adds the read-only “reference check” field to a content type's admin."""

    @admin.display(description="reference check")
    def reference_check(self, obj):
        if obj is None or obj.pk is None:
            return "Checked once the page is saved."
        problems, warnings = _checked(obj)
        if not problems and not warnings:
            return (
                "Every cited reference is in the library, none is retracted, and every "
                "attached reference is cited."
            )
        return format_html(
            "<ul>{}{}</ul>",
            format_html_join(
                "", '<li class="errornote">Blocks publishing: {}</li>', ((p,) for p in problems)
            ),
            format_html_join("", "<li>{}</li>", ((w,) for w in warnings)),
        )


def _checked(obj) -> tuple[list[str], list[str]]:
    """The page's problems and warnings: from the status the change page shows, if it is this
    page's, so the document is built once."""
    shown = shown_status.get()
    if shown is not None and shown[0] is type(obj) and shown[1] == obj.pk:
        return shown[2].problems, shown[2].warnings
    document = obj.build_document()
    return content_problems(obj, document), content_warnings(obj, document)
