"""The review workflow in the admin of any publishable model.

WorkflowAdminMixin adds to a ModelAdmin: a workflow panel on the change page, the physicians'
review screen, a draft preview, the page's timeline, a comparison of two versions, and the
submit / publish / unpublish steps. Each view collects input and calls reviews.workflow, which
holds every rule.
"""

import re
from contextvars import ContextVar

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST
from reversion.models import Version

from reviews import actions, comments, rounds, timeline, workflow
from reviews.diff import compare, outline
from reviews.forms import (
    CancelScheduleForm,
    CancelTakedownForm,
    CompareForm,
    RequestChangesForm,
    ScheduleForm,
    SignOffForm,
    SubmitForm,
    TakedownForm,
    UnpublishForm,
)
from reviews.locking import OptimisticLockForm
from reviews.missing_references import RevertGuardMixin, missing_references, refusal
from reviews.models import ReviewComment, ReviewEvent, ReviewState
from reviews.rounds import document_at
from reviews.status import review_status
from tovani import readability
from tovani.read_once import once, reads_shared

# The id of a part's comment control on the review screen (reviews.comments.Part.dom_id).
_PART_ID = re.compile(r"part-[a-z0-9-]+")

# The status the change page being rendered shows: (model, pk, ReviewStatus), or None.
shown_status = ContextVar("shown_review_status", default=None)


class ReviewStateFilter(admin.SimpleListFilter):
    """The pages list by review state, read from the stored state (a page with none: draft)."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return ReviewState.State.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == ReviewState.State.DRAFT:
            return queryset.filter(Q(review_state=value) | Q(review_state__isnull=True))
        return queryset.filter(review_state=value)


class WorkflowAdminMixin(RevertGuardMixin):
    change_form_template = "admin/reviews/change_form.html"
    delete_confirmation_template = "admin/reviews/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/reviews/delete_selected_confirmation.html"
    form = OptimisticLockForm
    # The template the public site renders a document with; the preview uses it too.
    public_template = None

    def get_urls(self):
        def route(suffix, view):
            name = f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"
            return path(f"<path:object_id>/{suffix}/", self.admin_site.admin_view(view), name=name)

        return [
            route("review", self.review_view),
            route("preview", self.preview_view),
            route("timeline", self.timeline_view),
            route("compare", self.compare_view),
            path(
                "<path:object_id>/workflow/<str:step>/",
                self.admin_site.admin_view(require_POST(self.workflow_step_view)),
                name=f"{self.opts.app_label}_{self.opts.model_name}_workflow",
            ),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        first_title, first = fieldsets[0]
        first = {**first, "fields": [*first["fields"], "edit_token"]}
        return [(first_title, first), *fieldsets[1:]]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method in ("GET", "HEAD"):
            # A screen that only reads: the page, its parts and its references are read once
            # for the status, the document, the comments and the form (tovani.read_once).
            with reads_shared():
                return self._change_view(request, object_id, form_url, extra_context)
        return self._change_view(request, object_id, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None and request.method in ("GET", "HEAD"):
            # Showing the form writes nothing: no transaction, no revision (two round trips).
            return self._changeform_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        return once(
            ("change_object", self.model, str(object_id), from_field),
            lambda: super(WorkflowAdminMixin, self).get_object(request, object_id, from_field),
        )

    def _change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is None:
            return super().change_view(request, object_id, form_url, extra_context)
        review = review_status(obj, request.user)
        extra_context["review"] = review
        extra_context["readability"] = readability.of_object(obj, review.document)
        extra_context["submit_form"] = SubmitForm(initial=review.carried_over)
        extra_context["unpublish_form"] = UnpublishForm()
        extra_context["schedule_form"] = ScheduleForm()
        extra_context["cancel_schedule_form"] = CancelScheduleForm()
        extra_context["takedown_form"] = TakedownForm()
        extra_context["cancel_takedown_form"] = CancelTakedownForm()
        extra_context["comment_groups"] = comments.grouped(obj)
        extra_context["may_reply"] = comments.may_reply(obj, request.user)
        # Read-only fields that report on the content (the reference check) read this status
        # instead of building the document a second time.
        token = shown_status.set((type(obj), obj.pk, review))
        try:
            if request.method in ("GET", "HEAD"):
                # Showing the form records no revision (VersionAdmin's change_view opens one).
                response = self.changeform_view(request, object_id, form_url, extra_context)
            else:
                response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # while the status is still the one shown
            return response
        finally:
            shown_status.reset(token)

    def get_view_on_site_url(self, obj=None):
        # Only a live page is on the site; a draft would lead to a 404.
        if obj is None or workflow.live_publication(obj) is None:
            return None
        return super().get_view_on_site_url(obj)

    def get_queryset(self, request):
        states = ReviewState.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id=OuterRef("pk")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(review_state=Subquery(states.values("state")[:1]))
        )

    @admin.display(description="review", ordering="review_state")
    def review_state_column(self, obj):
        return ReviewState.State(obj.review_state).label if obj.review_state else "Draft"

    def has_delete_permission(self, request, obj=None):
        # The delete screen opens for whoever may delete some page; workflow.check_delete says
        # which page whom, and get_deleted_objects shows its refusal.
        return workflow.may_delete_some(self.model, request.user)

    def get_deleted_objects(self, objs, request):
        """Deletion refused by the workflow shows as protected, with its reason; the admin then
        deletes nothing, whether from the page's delete button or the bulk action."""
        deletable, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            protected += workflow.refusals_in(workflow.situation(obj), request.user)["delete"]
        return deletable, counts, perms_needed, protected

    # The views below all start from an object the user may at least view.

    def _viewable(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with id {object_id}.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _context(self, request, obj, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": title,
            "has_view_permission": True,
            **extra,
        }

    def _change_url(self, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])

    def review_view(self, request, object_id):
        obj = self._viewable(request, object_id)
        document, digest = workflow.current_document(obj)
        forms = {"sign_off_form": self._sign_off_form(obj, digest), "changes_form": None}
        if request.method == "POST":
            action = actions.decision(request.POST)
            form = action.bound_form(obj, request.POST)
            refusal = action.take(obj, request, form) if form.is_valid() else None
            if refusal == "":
                messages.success(request, action.done_message(obj, request.user))
                return HttpResponseRedirect(self._change_url(obj))
            if refusal:
                form.add_error(None, refusal)
            forms["changes_form" if action is actions.REQUEST_CHANGES else "sign_off_form"] = form
        context = self._review_context(request, obj, document, digest, forms)
        response = TemplateResponse(request, "admin/reviews/review.html", context)
        add_never_cache_headers(response)
        return response

    def _sign_off_form(self, obj, digest):
        proposal = workflow.proposed_summary(obj, digest)
        return SignOffForm(
            initial={
                "reviewed_digest": digest,
                "change_summary": proposal.change_summary if proposal else "",
                "clinically_significant": proposal.clinically_significant if proposal else False,
            }
        )

    def _review_context(self, request, obj, document, digest, forms) -> dict:
        review = review_status(obj, request.user, document=document, digest=digest)
        last = review.latest_sign_off
        base = rounds.baseline(obj, last, request.GET.get("since", ""), request.GET.get("version"))
        old_outline = outline(obj, base.document) if base.document is not None else None
        sections = compare(old_outline, outline(obj, document))
        elsewhere = rounds.attach_threads(obj, sections)
        return self._context(
            request,
            obj,
            f"Review “{obj}”",
            review=review,
            last_sign_off=last,
            baseline=base,
            proposal=workflow.proposed_summary(obj, digest),
            shared_changes=rounds.shared_changes(obj, base.since),
            versions=rounds.recorded_versions(obj)[:50],
            may_reply=comments.may_reply(obj, request.user),
            sections=sections,
            parts_elsewhere=elsewhere,
            changed_sections=sum(section.changed for section in sections),
            sign_off_form=forms["sign_off_form"],
            changes_form=forms["changes_form"] or RequestChangesForm(),
            readability=readability.of_object(obj, document),
            comment_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_workflow",
                args=[obj.pk, "comment"],
            ),
            may_comment=comments.may_comment(request.user),
            open_comments=ReviewComment.objects.for_object(obj).open().select_related("author"),
            preview_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_preview", args=[obj.pk]
            ),
        )

    def preview_view(self, request, object_id):
        obj = self._viewable(request, object_id)
        if self.public_template is None:
            raise Http404("This kind of page has no public template to preview.")
        document, digest = workflow.current_document(obj)
        response = render(
            request,
            self.public_template,
            {"document": document, "publication": None, "preview": True, "digest": digest},
        )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The review screen shows the preview in a frame; other sites still may not.
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def timeline_view(self, request, object_id):
        obj = self._viewable(request, object_id)
        events = ReviewEvent.objects.for_object(obj).select_related("actor")
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        thread = ReviewComment.objects.for_object(obj).select_related("author", "resolved_by")
        entries = sorted(
            [
                *({"at": e.at, "event": e, "who": e.actor} for e in events),
                *({"at": c.created_at, "comment": c, "who": c.author} for c in thread),
                *(
                    {"at": c.resolved_at, "resolved": c, "who": c.resolved_by}
                    for c in thread
                    if c.resolved_at
                ),
                *(
                    {"at": v.revision.date_created, "version": v, "who": v.revision.user}
                    for v in versions
                ),
                *(
                    {"at": c.at, "shared": c, "who": c.changed_by}
                    for c in rounds.shared_changes(obj, None)
                ),
                *timeline.entries_of(obj),
            ],
            key=lambda entry: entry["at"],
            reverse=True,
        )
        context = self._context(
            request,
            obj,
            f"Timeline of “{obj}”",
            entries=entries,
            compare_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_compare", args=[obj.pk]
            ),
        )
        return TemplateResponse(request, "admin/reviews/timeline.html", context)

    def compare_view(self, request, object_id):
        obj = self._viewable(request, object_id)
        form = CompareForm(request.GET)
        if not form.is_valid():
            raise Http404("Choose two versions to compare.")
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        old = versions.filter(pk=form.cleaned_data["old"]).first()
        new = versions.filter(pk=form.cleaned_data["new"]).first()
        if old is None or new is None:
            raise Http404("Those versions are not versions of this page.")
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        if missing := missing_references(old, new):
            messages.error(request, refusal(missing, "compared"))
            timeline = f"admin:{self.opts.app_label}_{self.opts.model_name}_timeline"
            return HttpResponseRedirect(reverse(timeline, args=[obj.pk]))
        sections = compare(outline(obj, document_at(old)), outline(obj, document_at(new)))
        context = self._context(
            request,
            obj,
            f"Compare versions of “{obj}”",
            old=old,
            new=new,
            sections=sections,
            changed_sections=sum(section.changed for section in sections),
        )
        return TemplateResponse(request, "admin/reviews/compare.html", context)

    def workflow_step_view(self, request, object_id, step):
        obj = self._viewable(request, object_id)
        action = actions.STEPS.get(step)
        if action is None:
            raise Http404(f"No workflow step “{step}”.")
        form = action.bound_form(obj, request.POST)
        back = HttpResponseRedirect(self._back_url(request, obj))
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return back
        refusal = action.take(obj, request, form)
        if refusal:
            messages.error(request, refusal)
        else:
            messages.success(request, action.done_message(obj, request.user))
        return back

    def _back_url(self, request, obj):
        """Back to the screen the step was taken on: the review screen (at the part just
        commented on, so a long page keeps its place) or the change page."""
        if request.POST.get("back") != "review":
            return self._change_url(obj)
        review = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_review", args=[obj.pk]
        )
        part = request.POST.get("part", "")
        return f"{review}#{part}" if _PART_ID.fullmatch(part) else review
