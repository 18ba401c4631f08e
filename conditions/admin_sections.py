"""The condition editor's sections, and the error summary a failed save opens with.

The form follows the public page: each section holds the fields and inline rows of one part of
it. A failed save lists every error in words, each with the id of the field it belongs to (inline
rows included), and each section counts the errors it holds.
"""

from dataclasses import dataclass, field

from django.forms.utils import pretty_name


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[str, ...] = ()
    inlines: tuple[str, ...] = ()


SECTIONS = (
    Section(
        "summary",
        "Summary and codes",
        ("title", "slug", "page_label", "summary"),
        ("codes", "search_phrases"),
    ),
    Section("short", "The short version", inlines=("key_points",)),
    Section(
        "clinical",
        "Clinical text",
        ("clinical_definition", "standard_treatments_fail", "ketamine_fit"),
    ),
    Section("comparisons", "Comparisons", inlines=("comparisons",)),
    Section("treatments", "Treatments", inlines=("condition_treatments",)),
    Section("faqs", "FAQs", inlines=("faqs",)),
    Section(
        "references", "References", ("references", "reference_check", "evidence_reviewed_through")
    ),
    Section(
        "clinic", "The clinic", ("clinic_indication_status", "clinic_fit", "regulatory_notice")
    ),
)

FIELDSETS = [(None, {"fields": list(section.fields)}) for section in SECTIONS if section.fields]


@dataclass
class ErrorEntry:
    section: str
    where: str
    message: str
    target: str


@dataclass
class SectionView:
    section: Section
    fieldsets: list = field(default_factory=list)
    inlines: list = field(default_factory=list)
    errors: int = 0
    comments: int = 0  # open review comments on the section's fields (conditions.admin_comments)


def section_views(adminform, inline_admin_formsets, errors: list[ErrorEntry]) -> list[SectionView]:
    """The sections with the admin's fieldsets and inline formsets placed in them."""
    views = {section.key: SectionView(section) for section in SECTIONS}
    for fieldset in adminform:
        first = next(iter(fieldset.fields), None)
        views[section_of_field(first).key].fieldsets.append(fieldset)
    for inline in inline_admin_formsets:
        views[section_of_inline(inline.formset.prefix).key].inlines.append(inline)
    for entry in errors:
        views[entry.section].errors += 1
    return list(views.values())


def error_summary(form, formsets) -> list[ErrorEntry]:
    """Every error of a bound form and its inline formsets, in the order of the page."""
    entries = []
    for message in form.non_field_errors():
        entries.append(ErrorEntry("summary", "The page", message, "editor-form-top"))
    by_prefix = {formset.prefix: formset for formset in formsets}
    for section in SECTIONS:
        for name in section.fields:
            if name in form.errors and name in form.fields:
                label = form.fields[name].label or pretty_name(name)
                entries.append(
                    ErrorEntry(section.key, label, _join(form.errors[name]), form[name].auto_id)
                )
        for prefix in section.inlines:
            if prefix in by_prefix:
                entries.extend(_formset_errors(section.key, by_prefix[prefix]))
    return entries


def _formset_errors(section: str, formset) -> list[ErrorEntry]:
    noun = formset.model._meta.verbose_name
    entries = [
        ErrorEntry(
            section,
            str(formset.model._meta.verbose_name_plural),
            message,
            f"{formset.prefix}-group",
        )
        for message in formset.non_form_errors()
    ]
    for position, form in enumerate(_in_page_order(formset), start=1):
        if formset.can_delete and formset._should_delete_form(form):
            continue
        for name, messages in form.errors.items():
            where = f"{noun.capitalize()} {position}"
            if name == "__all__":
                target = f"{formset.prefix}-{form.prefix.rsplit('-', 1)[-1]}"
            else:
                label = form.fields[name].label or pretty_name(name)
                where, target = f"{where} · {label}", form[name].auto_id
            entries.append(ErrorEntry(section, where, _join(messages), target))
    return entries


def _in_page_order(formset):
    """The forms as the editor sees them: by their order field, then as they came."""

    def order(indexed):
        index, form = indexed
        raw = form["sort_order"].value() if "sort_order" in form.fields else None
        try:
            return (int(raw), index)
        except (TypeError, ValueError):
            return (0, index)

    return [form for _, form in sorted(enumerate(formset.forms), key=order)]


def section_of_field(name) -> Section:
    return next((s for s in SECTIONS if name in s.fields), SECTIONS[0])


def section_of_inline(prefix) -> Section:
    return next((s for s in SECTIONS if prefix in s.inlines), SECTIONS[0])


def _join(messages) -> str:
    return " ".join(str(message) for message in messages)
