"""Where each open review comment goes in the condition editor: beside the field it is about.

A comment's anchor names the row and field of the part ("conditions.faq:12:question",
reviews.comments.anchor). Here it is matched with the change form: the page's own fields, its
inline rows (by the row's saved pk, so it follows the row wherever the editor drags it) and the
references attached to it. Each placed part gets the id of its field and the editor section it
is in; each section counts the open comments it holds, for its tab.
"""

from conditions.admin_sections import section_of_field, section_of_inline
from reviews.comments import split_anchor


def place_comments(obj, form, formsets, groups, views) -> None:
    """Give each comment group with an open thread the id of its field (group.beside) and its
    section (group.section); count open threads on each section view (view.comments)."""
    counts = {}
    for group in groups:
        open_threads = len(group.open_threads)
        if not open_threads:
            continue
        found = _field_of(obj, form, formsets, group.anchor)
        if found is None:
            continue
        group.beside, group.section = found
        counts[group.section] = counts.get(group.section, 0) + open_threads
    for view in views:
        view.comments = counts.get(view.section.key, 0)


def _field_of(obj, form, formsets, anchor) -> tuple[str, str] | None:
    """(the id of the field the anchored part is edited in, its section key), or None."""
    parsed = split_anchor(anchor)
    if parsed is None or obj is None:
        return None
    label, pk, name = parsed
    if label == obj._meta.label_lower and pk == str(obj.pk):
        if name not in form.fields:
            return None
        return form[name].auto_id, section_of_field(name).key
    for formset in formsets:
        if formset.model._meta.label_lower != label:
            continue
        for index, row in enumerate(formset.forms):
            if str(row.instance.pk) == pk:
                target = row[name].auto_id if name in row.fields else f"{formset.prefix}-{index}"
                return target, section_of_inline(formset.prefix).key
    # A reference: the page's list of attached references is where the editor changes it.
    for field in obj._meta.many_to_many:
        if field.related_model._meta.label_lower == label and field.name in form.fields:
            return form[field.name].auto_id, section_of_field(field.name).key
    return None
