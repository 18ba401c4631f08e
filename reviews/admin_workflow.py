"""The review workflow in the admin of any publishable model.

WorkflowAdminMixin adds to a ModelAdmin: a workflow panel on the change page, the physicians'
review screen, a draft preview, the page's timeline, a comparison of two versions, and the
submit / publish / unpublish steps. Each view collects input and calls reviews.workflow, which
holds every rule.
"""

from contextvars import ContextVar

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST
from reversion.models import Version

from purges.timeline import timeline_entries as purge_timeline_entries
from reviews import comments, workflow
from reviews.diff import compare, outline
from reviews.errors import WorkflowError
from reviews.forms import (
    CancelScheduleForm,
    CommentForm,
    CompareForm,
    ReplyForm,
    RequestChangesForm,
    ResolveForm,
    ScheduleForm,
    SignOffForm,
    SubmitForm,
    UnpublishForm,
)
from reviews.locking import OptimisticLockForm
from reviews.missing_references import RevertGuardMixin, missing_references, refusal
from reviews.models import ReviewComment, ReviewEvent, ReviewState
from reviews.status import review_status
from tovani import readability

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
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is None:
            return super().change_view(request, object_id, form_url, extra_context)
        review = review_status(obj, request.user)
        extra_context["review"] = review
        extra_context["readability"] = readability.of_object(obj, review.document)
        extra_context["submit_form"] = SubmitForm()
        extra_context["unpublish_form"] = UnpublishForm()
        extra_context["schedule_form"] = ScheduleForm()
        extra_context["cancel_schedule_form"] = CancelScheduleForm()
        extra_context["comment_groups"] = comments.grouped(obj)
        extra_context["may_reply"] = comments.may_reply(obj, request.user)
        # Read-only fields that report on the content (the reference check) read this status
        # instead of building the document a second time.
        token = shown_status.set((type(obj), obj.pk, review))
        try:
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
        proposal = workflow.proposed_summary(obj, digest)
        sign_off_form = SignOffForm(
            initial={
                "reviewed_digest": digest,
                "change_summary": proposal.change_summary if proposal else "",
                "clinically_significant": proposal.clinically_significant if proposal else False,
            }
        )
        changes_form = RequestChangesForm()
        if request.method == "POST":
            if request.POST.get("decision") == "request_changes":
                changes_form = RequestChangesForm(request.POST)
                form, step = (
                    changes_form,
                    lambda data: workflow.request_changes(obj, request.user, data["note"]),
                )
                done = "Changes requested. The editor has been told, with your note and comments."
            else:
                sign_off_form = SignOffForm(request.POST)
                form, step = (
                    sign_off_form,
                    lambda data: workflow.sign_off(
                        obj,
                        request.user,
                        data["password"],
                        data["note"],
                        reviewed_digest=data["reviewed_digest"],
                        change_summary=data["change_summary"],
                        clinically_significant=data["clinically_significant"],
                        request=request,
                    ),
                )
                done = "Approved. The publishers have been told, and so has the editor."
            if form.is_valid():
                try:
                    step(form.cleaned_data)
                except WorkflowError as refusal:
                    form.add_error(None, str(refusal))
                else:
                    messages.success(request, done)
                    return HttpResponseRedirect(self._change_url(obj))
        review = review_status(obj, request.user, document=document, digest=digest)
        last = review.latest_sign_off
        sections = compare(outline(obj, last.document) if last else None, outline(obj, document))
        context = self._context(
            request,
            obj,
            f"Review “{obj}”",
            review=review,
            last_sign_off=last,
            sections=sections,
            changed_sections=sum(section.changed for section in sections),
            sign_off_form=sign_off_form,
            changes_form=changes_form,
            readability=readability.of_object(obj, document),
            comment_form=CommentForm(parts=comments.parts_of(obj)),
            may_comment=comments.may_comment(request.user),
            open_comments=ReviewComment.objects.for_object(obj).open().select_related("author"),
            preview_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_preview", args=[obj.pk]
            ),
        )
        response = TemplateResponse(request, "admin/reviews/review.html", context)
        add_never_cache_headers(response)
        return response

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
                *purge_timeline_entries(obj),
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
        steps = {
            "submit": (
                SubmitForm,
                lambda data: workflow.submit_for_review(
                    obj,
                    request.user,
                    data["note"],
                    change_summary=data["change_summary"],
                    clinically_significant=data["clinically_significant"],
                ),
                "Submitted for review. The physicians have been told.",
            ),
            "publish": (
                None,
                lambda data: workflow.publish(obj, request.user),
                "Published. The public page now shows this version.",
            ),
            "unpublish": (
                UnpublishForm,
                lambda data: workflow.unpublish(obj, request.user, data["reason"]),
                "Unpublished. The page is no longer on the public site.",
            ),
            "schedule": (
                ScheduleForm,
                lambda data: workflow.schedule_publish(obj, request.user, data["publish_at"]),
                "Scheduled. The page goes live at that time if it is still this approved "
                "version; you will be told either way.",
            ),
            "cancel_scheduled": (
                CancelScheduleForm,
                lambda data: workflow.cancel_scheduled(obj, request.user, data["reason"]),
                "The scheduled publication is cancelled. The page stays as it is.",
            ),
            "comment": (
                lambda post: CommentForm(post, parts=comments.parts_of(obj)),
                lambda data: comments.add_comment(obj, request.user, data["anchor"], data["body"]),
                "Comment added. The editor sees it beside that part of the page.",
            ),
            "reply": (
                ReplyForm,
                lambda data: comments.reply(obj, request.user, data["comment"], data["body"]),
                "Reply added.",
            ),
            "resolve": (
                ResolveForm,
                lambda data: comments.resolve(obj, request.user, data["comment"]),
                "Comment resolved.",
            ),
        }
        if step not in steps:
            raise Http404(f"No workflow step “{step}”.")
        form_class, action, done = steps[step]
        form = form_class(request.POST) if form_class else None
        back = HttpResponseRedirect(self._back_url(request, obj))
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return back
        try:
            action(form.cleaned_data if form else {})
        except WorkflowError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done)
        return back

    def _back_url(self, request, obj):
        """Back to the screen the step was taken on: the review screen or the change page."""
        review = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_review", args=[obj.pk]
        )
        return review if request.POST.get("back") == "review" else self._change_url(obj)


def document_at(version: Version) -> dict:
    """The document the object had at a version: reverted inside a transaction rolled back."""

    class _Rollback(Exception):
        pass

    document = None
    try:
        with transaction.atomic(using=version.db):
            version.revision.revert(delete=True)
            document = version.object.build_document()
            raise _Rollback
    except _Rollback:
        pass
    return document
