"""The translator's screens: each segment beside its English, what changed in a stale one,
machine drafts, and the XLIFF and PO files; the workflow's own review, sign-off and publishing.

Views collect input and call translations.editing and translations.exchange, which hold the
rules; the review steps are the workflow's (WorkflowAdminMixin).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin

from reviews.admin_workflow import WorkflowAdminMixin
from reviews.models import LivePublication
from translations import editing, exchange
from translations.errors import TranslationError
from translations.models import Language, Segment, Translation
from translations.pages import DETAIL_TEMPLATE
from translations.staleness import TRANSLATED_KINDS


class SegmentForm(forms.ModelForm):
    confirm = forms.BooleanField(
        required=False,
        label="Checked",
        help_text="Tick to keep the text as it is after checking it against the English.",
    )

    class Meta:
        model = Segment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60, "lang": "es"})}


class SegmentInline(admin.TabularInline):
    model = Segment
    form = SegmentForm
    extra = 0
    can_delete = False
    fields = ["label", "english_side", "text", "status", "confirm"]
    readonly_fields = ["label", "english_side", "status"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="English")
    def english_side(self, segment):
        if not segment.is_stale:
            return format_html('<div lang="en">{}</div>', segment.english)
        return format_html(
            '<div lang="en"><p><strong>Was:</strong> {}</p><p><strong>Now:</strong> {}</p>'
            "<p><strong>What changed:</strong> {}</p>"
            '<p lang="es"><strong>Previous translation:</strong> {}</p></div>',
            segment.translated_english,
            segment.english,
            format_html_join(
                "",
                "{}",
                (
                    (
                        format_html("<ins>{}</ins>", w.text)
                        if w.op == "added"
                        else format_html("<del>{}</del>", w.text)
                        if w.op == "removed"
                        else w.text,
                    )
                    for w in _words(segment)
                ),
            ),
            segment.text,
        )

    @admin.display(description="Status")
    def status(self, segment):
        if segment.is_missing:
            return "Not translated"
        if segment.is_stale:
            return "Stale: the English changed"
        if segment.unchecked_machine:
            return "Machine translation: check it"
        return "Current"


def _words(segment):
    from reviews.diff import words

    return words(segment.translated_english, segment.english)


class StartTranslationForm(forms.Form):
    english = forms.ChoiceField(label="English page")
    language = forms.ChoiceField(choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = [
            ContentType.objects.get_by_natural_key(*label.split(".")) for label in TRANSLATED_KINDS
        ]
        live = LivePublication.objects.filter(content_type__in=types).select_related(
            "publication", "content_type"
        )
        self.fields["english"].choices = [
            (f"{row.content_type_id}:{row.object_id}", row.publication.title) for row in live
        ]

    def page(self):
        type_id, object_id = self.cleaned_data["english"].split(":")
        model = ContentType.objects.get_for_id(int(type_id)).model_class()
        return model.objects.get(pk=int(object_id))


class ImportForm(forms.Form):
    file = forms.FileField(help_text="An XLIFF 1.2 or PO file exported from this translation.")


@admin.register(Translation)
class TranslationAdmin(WorkflowAdminMixin, VersionAdmin):
    public_template = DETAIL_TEMPLATE
    list_display = ["__str__", "language", "review_state_column", "translator"]
    fieldsets = [(None, {"fields": ["english_link", "translator", "stale_policy"]})]
    readonly_fields = ["english_link", "translator"]
    inlines = [SegmentInline]
    actions = ["machine_draft", "export_xliff", "export_po"]

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("start/", self.admin_site.admin_view(self.start_view), name=f"{name}_start"),
            path(
                "<path:object_id>/import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{name}_import",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:translations_translation_start"))

    @admin.display(description="Translates")
    def english_link(self, translation):
        publication = translation.english_publication
        return format_html(
            '<a href="{}">{}</a> (English published {:%Y-%m-%d}, digest {}…) · '
            '<a href="{}">Import a translated file</a>',
            translation.english_path,
            publication.title,
            publication.published_at,
            publication.source_digest[:12],
            reverse("admin:translations_translation_import", args=[translation.pk]),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Segment:
            return super().save_formset(request, form, formset, change)
        # Written through the editing rules, not the formset; the admin's history reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for segment_form in formset.forms:
            if not (segment_form.has_changed() and segment_form.instance.pk):
                continue
            segment = Segment.objects.get(pk=segment_form.instance.pk)
            text = segment_form.cleaned_data.get("text", segment.text)
            if text.strip() == segment.text.strip() and not segment_form.cleaned_data["confirm"]:
                continue
            try:
                editing.write_segment(segment, text, request.user)
            except (ValidationError, TranslationError) as refusal:
                messages.error(request, " ".join(getattr(refusal, "messages", [str(refusal)])))
            else:
                formset.changed_objects.append((segment, ["text"]))

    def start_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StartTranslationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                translation = editing.start_translation(
                    form.page(), form.cleaned_data["language"], request.user
                )
            except TranslationError as refusal:
                form.add_error(None, str(refusal))
            else:
                return HttpResponseRedirect(
                    reverse("admin:translations_translation_change", args=[translation.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Translate a published page",
            "form": form,
        }
        return TemplateResponse(request, "admin/translations/form.html", context)

    def import_view(self, request, object_id):
        translation = self.get_object(request, object_id)
        if translation is None or not self.has_change_permission(request, translation):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            content = form.cleaned_data["file"].read().decode("utf-8", errors="replace")
            try:
                changed = exchange.import_file(translation, content, request.user)
            except TranslationError as refusal:
                form.add_error("file", str(refusal))
            else:
                messages.success(request, f"Imported: {changed} segments changed.")
                return HttpResponseRedirect(
                    reverse("admin:translations_translation_change", args=[translation.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Import a translated file into “{translation}”",
            "form": form,
        }
        return TemplateResponse(request, "admin/translations/form.html", context)

    @admin.action(description="Fill untranslated and stale segments by machine (to be checked)")
    def machine_draft(self, request, queryset):
        for translation in queryset:
            try:
                filled, refused = editing.machine_draft(translation, request.user)
            except TranslationError as refusal:
                messages.error(request, str(refusal))
                return
            messages.success(request, f"{translation}: {len(filled)} machine segments to check.")
            for problem in refused:
                messages.warning(request, f"Not kept: {problem}")

    @admin.action(description="Export as XLIFF 1.2")
    def export_xliff(self, request, queryset):
        return _download(queryset.first(), exchange.export_xliff, "xlf", "application/xliff+xml")

    @admin.action(description="Export as PO")
    def export_po(self, request, queryset):
        return _download(queryset.first(), exchange.export_po, "po", "text/x-gettext-translation")


def _download(translation, export, extension, content_type):
    response = HttpResponse(export(translation), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{translation.slug}.{extension}"'
    return response
