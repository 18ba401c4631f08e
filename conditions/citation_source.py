"""Condition pages as a source of citations: the references app asks it, through
references.usage, where a citekey is cited and to rewrite [@old] as [@new] on a rename."""

import reversion
from django.apps import apps
from django.db.models import Q
from django.urls import reverse

from conditions.fields import MarkdownField
from conditions.models import Condition
from references.citations import citekeys_in, replace_citekey
from references.usage import Citation
from reviews.models import ReviewState


class ConditionCitations:
    """Every MarkdownField of every model of this app, and the page each row belongs to."""

    def citations_of(self, citekey: str) -> list[Citation]:
        return [
            _citation(row, field)
            for model, fields in markdown_fields()
            for row in _rows_citing(model, fields, citekey)
            for field in fields
            if citekey in citekeys_in(getattr(row, field.name))
        ]

    def rewrite_citekey(self, old: str, new: str) -> list[Citation]:
        rewritten, pages = [], {}
        for model, fields in markdown_fields():
            for row in _rows_citing(model, fields, old):
                changed = [
                    field for field in fields if old in citekeys_in(getattr(row, field.name))
                ]
                for field in changed:
                    setattr(row, field.name, replace_citekey(getattr(row, field.name), old, new))
                if changed:
                    row.save(update_fields=_update_fields(row, changed))
                    page = _page_of(row)
                    pages[page.pk] = page
                    rewritten += [_citation(row, field) for field in changed]
        for page in pages.values():
            reversion.add_to_revision(page)  # the page's revision follows all its parts
        return rewritten

    def pages_keeping(self, citekey: str) -> list[str]:
        cited = pages_citing_keys([citekey]) | set(
            Condition.objects.filter(references__citekey=citekey).values_list("pk", flat=True)
        )
        # Live, or a submission waiting for a physician: the stored state says so.
        kept = ReviewState.objects.of_model(Condition).filter(
            Q(publication__isnull=False) | Q(submission__isnull=False), object_id__in=cited
        )
        pks = kept.values_list("object_id", flat=True)
        return list(
            Condition.objects.filter(pk__in=pks).order_by("title").values_list("title", flat=True)
        )


def markdown_fields():
    """(model, [its MarkdownFields]) for each model of this app that has any."""
    for model in apps.get_app_config("conditions").get_models():
        fields = [field for field in model._meta.fields if isinstance(field, MarkdownField)]
        if fields:
            yield model, fields


def _rows_citing(model, fields, citekey):
    # A coarse filter in the database; citekeys_in() then reads each text exactly.
    query = Q()
    for field in fields:
        query |= Q(**{f"{field.name}__contains": f"@{citekey}"})
    rows = model._default_manager.filter(query)
    if _has_page(model):
        rows = rows.select_related("condition")
    return rows.order_by("pk")


def _has_page(model) -> bool:
    return any(field.name == "condition" for field in model._meta.fields)


def _page_of(row):
    return row.condition if _has_page(type(row)) else row


def _update_fields(row, fields) -> list[str]:
    names = [field.name for field in fields]
    return names + (["updated_at"] if hasattr(row, "updated_at") else [])


def _citation(row, field) -> Citation:
    page = _page_of(row)
    if row is page:
        where = str(field.verbose_name).capitalize()
    else:
        label = str(row)
        label = label if len(label) <= 50 else label[:49] + "…"
        where = f"{str(row._meta.verbose_name).capitalize()} “{label}”, {field.verbose_name}"
    url = reverse("admin:conditions_condition_change", args=[page.pk])
    return Citation(page=page.title, field=where, url=url)


def pages_citing_keys(citekeys) -> set[int]:
    """The pks of the pages whose text cites any of citekeys: one pass over each model's texts,
    however many keys (an import brings thousands), so the cost does not grow with them."""
    citekeys = set(citekeys)
    pages = set()
    if not citekeys:
        return pages
    for model, fields in markdown_fields():
        names = [field.name for field in fields]
        page = ["condition_id"] if _has_page(model) else ["pk"]
        for row in model._default_manager.values_list(*page, *names):
            if any(citekeys & set(citekeys_in(text)) for text in row[1:]):
                pages.add(row[0])
    return pages
