"""The condition editor's workspace: sections, error summary, live preview, autosave, lookups.

EditorAdminMixin goes on a ModelAdmin that also has WorkflowAdminMixin. Its views bind the same
form and inline formsets the change view binds, so what the preview shows and what an autosave
keeps is exactly what Save would keep; the rules stay in the forms, the models and
reviews.workflow.
"""

import reversion
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.forms.formsets import all_valid
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from conditions.admin_comments import place_comments
from conditions.admin_sections import error_summary, section_views
from conditions.models import Treatment
from references.models import Reference
from reviews import clock, workflow
from reviews.locking import conflicting_version, edit_token

AUTOSAVE_COMMENT = "Autosave (draft)"
SUBMIT_BUTTON = "_submit_review"


class EditorAdminMixin:
    change_form_template = "admin/conditions/condition/change_form.html"

    def get_urls(self):
        def route(pattern, view, name, method=None):
            view = method(view) if method else view
            name = f"{self.opts.app_label}_{self.opts.model_name}_{name}"
            return path(pattern, self.admin_site.admin_view(view), name=name)

        return [
            route("live-preview/", self.live_preview_view, "live_preview_add", require_POST),
            route(
                "<path:object_id>/live-preview/",
                self.live_preview_view,
                "live_preview",
                require_POST,
            ),
            route("autosave/", self.autosave_view, "autosave_add", require_POST),
            route("<path:object_id>/autosave/", self.autosave_view, "autosave"),
            route("citekeys/", self.citekeys_view, "citekeys", require_GET),
            route("treatment/<int:pk>/", self.treatment_view, "treatment", require_GET),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        formsets = [inline.formset for inline in context["inline_admin_formsets"]]
        errors = error_summary(form, formsets) if form.is_bound else []
        context["editor_errors"] = errors
        context["editor_sections"] = section_views(
            context["adminform"], context["inline_admin_formsets"], errors
        )
        context["editor_urls"] = self._editor_urls(obj)
        place_comments(
            obj, form, formsets, context.get("comment_groups", []), context["editor_sections"]
        )
        # Where the browser keeps a new page's text until its first save: one per user.
        context["editor_local_draft"] = f"{self.opts.label_lower}:add:user-{request.user.pk}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _editor_urls(self, obj):
        def url(name, *args):
            return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

        urls = {"citekeys": url("citekeys"), "treatment": url("treatment", 0)}
        if obj is None or obj.pk is None:
            return {**urls, "preview": url("live_preview_add"), "autosave": url("autosave_add")}
        return {**urls, "preview": url("live_preview", obj.pk), "autosave": url("autosave", obj.pk)}

    # Save and submit: the ordinary save, then the workflow's own submit step.

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._then_submit(request, obj) or response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        return self._then_submit(request, obj) or response

    def _then_submit(self, request, obj):
        if SUBMIT_BUTTON not in request.POST:
            return None
        return self.workflow_step_view(request, str(obj.pk), "submit")

    # The form as posted, bound exactly as the change view binds it.

    def _bound(self, request, obj, data=None):
        change = obj is not None
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        form = self.get_form(request, obj, change=change, fields=fields)(
            data or request.POST, request.FILES, instance=obj
        )
        formsets, _ = self._create_formsets(request, form.instance, change=change)
        valid = form.is_valid()
        valid = all_valid(formsets) and valid
        return form, formsets, valid

    def _save(self, request, form, formsets, change):
        obj = self.save_form(request, form, change)
        self.save_model(request, obj, form, change)
        self.save_related(request, form, formsets, change)
        return obj

    def _editable(self, request, object_id):
        obj = self.get_object(request, object_id) if object_id is not None else None
        if object_id is not None and obj is None:
            raise Http404(f"No {self.opts.verbose_name} with id {object_id}.")
        allowed = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def live_preview_view(self, request, object_id=None):
        """The page as the public template renders it from the unsaved form: saved, rendered
        and rolled back, so nothing is kept and no revision is made."""
        obj = self._editable(request, object_id)
        data = request.POST.copy()
        if obj is not None:
            # A preview saves nothing, so a newer save by someone else does not stop it.
            data["edit_token"] = edit_token(obj)
        with transaction.atomic():
            form, formsets, valid = self._bound(request, obj, data)
            if not valid:
                return _paused(error_summary(form, formsets))
            saved = self._save(request, form, formsets, change=obj is not None)
            document, digest = workflow.current_document(saved)
            response = render(
                request,
                self.public_template,
                {"document": document, "publication": None, "preview": True, "digest": digest},
            )
            transaction.set_rollback(True)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def autosave_view(self, request, object_id=None):
        """POST: keep the form as a draft revision marked as an autosave, unless someone else
        saved since the form's edit token. GET: only say whether someone else has.

        Without an object (the add form), the first autosave that validates creates the page as
        a draft and answers with the addresses the form goes on with."""
        obj = self._editable(request, object_id)
        token = (request.POST if request.method == "POST" else request.GET).get("edit_token", "")
        if request.method != "POST":
            with transaction.atomic():
                newer = conflicting_version(obj, token)
            return _json({"conflict": _conflict_message(newer) if newer else ""})
        with transaction.atomic(), reversion.create_revision():
            form, formsets, valid = self._bound(request, obj)
            if form.has_error(NON_FIELD_ERRORS, "edit_conflict"):
                newer = conflicting_version(obj, token)
                return _json({"saved": False, "conflict": _conflict_message(newer)})
            if not valid:
                return _json({"saved": False, "errors": len(error_summary(form, formsets))})
            reversion.set_user(request.user)
            saved = self._save(request, form, formsets, change=obj is not None)
            if obj is None:
                message = self.construct_change_message(request, form, formsets, add=True)
                self.log_addition(request, saved, message)
            # After log_addition, which names the revision with its message.
            reversion.set_comment(AUTOSAVE_COMMENT)
        return _json(self._autosaved(saved, formsets, created=obj is None))

    def _autosaved(self, saved, formsets, *, created: bool) -> dict:
        """The autosave's answer: when, the new edit token, each row's id, and for a page the
        autosave created, the addresses the form goes on with."""
        answer = {
            "saved": True,
            # The browser's clock may be in another zone than the one the admin shows times in.
            "saved_at": clock_time(clock.now()),
            "edit_token": edit_token(saved),
            "rows": {f.prefix: [_saved_pk(form) for form in f.forms] for f in formsets},
        }
        if created:
            answer["created"] = {
                "change": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[saved.pk]
                ),
                **self._editor_urls(saved),
            }
        return answer

    def citekeys_view(self, request):
        """Library references whose citekey starts with, or whose authors or title contain, q."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        starts = list(Reference.objects.filter(citekey__istartswith=query).order_by("citekey")[:8])
        others = (
            Reference.objects.filter(Q(authors__icontains=query) | Q(title__icontains=query))
            .exclude(pk__in=[ref.pk for ref in starts])
            .order_by("-year", "citekey")[: 8 - len(starts)]
        )
        return _json({"results": [_citation_choice(ref) for ref in [*starts, *others]]})

    def treatment_view(self, request, pk):
        """A library treatment's shared summary and how many pages use it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        treatment = Treatment.objects.filter(pk=pk).first()
        if treatment is None:
            raise Http404(f"No treatment with id {pk}.")
        return _json(treatment_sharing(treatment))


def treatment_sharing(treatment, pages=None) -> dict:
    """pages: the count when the caller read it already (the change page's rows do)."""
    if pages is None:
        pages = treatment.condition_treatments.values("condition").distinct().count()
    return {
        "name": treatment.name,
        "summary": treatment.summary,
        "pages": pages,
        "change_url": reverse("admin:conditions_treatment_change", args=[treatment.pk]),
    }


def _citation_choice(ref) -> dict:
    return {
        "citekey": ref.citekey,
        "author": ref.authors.split(",")[0].strip(),
        "year": ref.year,
        "title": ref.title,
    }


def _saved_pk(form):
    deleted = form.cleaned_data.get("DELETE") if hasattr(form, "cleaned_data") else False
    return None if deleted else form.instance.pk


def _conflict_message(version) -> str:
    revision = version.revision
    who = revision.user.get_username() if revision.user else "Someone"
    when = clock_time(revision.date_created)
    return (
        f"{who} saved this page at {when}, after you opened it. Your changes are still in this "
        "form but are not autosaved. Open the page in another tab to see theirs before you save."
    )


def clock_time(moment) -> str:
    """A time of today as the admin shows it: in the user's zone (StaffProfile), named."""
    shown = formats.date_format(timezone.localtime(moment), "H:i")
    return f"{shown} ({timezone.get_current_timezone_name()})"


def _paused(errors) -> JsonResponse:
    return _json({"errors": [f"{e.where}: {e.message}" for e in errors]}, status=422)


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    add_never_cache_headers(response)
    return response
