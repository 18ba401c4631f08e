"""Condition pages as a kind of page: what the publishing layer needs to know of them.

A page's source includes its parts, the fields of the references its text cites (by citekey,
whichever row holds the key now) and of the treatments it shows, and the addresses of the
pages it compares itself to: a change to any of those rows changes the page.
"""

from django.db.models.signals import post_save

from conditions.citation_source import pages_citing_keys
from conditions.library import index_publication, rebuild_entries, remove_from_read_model
from conditions.models import Comparison, Condition, ConditionPart, Treatment
from conditions.pages import HISTORY, PAGE
from publishing import registry
from references.models import Reference


def pages_of_parts(model, pks):
    return model._default_manager.filter(pk__in=pks).values_list("condition_id", flat=True)


def pages_citing(model, pks):
    """Pages attached to the references, and pages whose text cites their keys."""
    citekeys = Reference.objects.filter(pk__in=pks).values_list("citekey", flat=True)
    attached = Condition.objects.filter(references__in=pks).values_list("pk", flat=True)
    return {*attached, *pages_citing_keys(list(citekeys))}


def pages_showing(model, pks):
    return Condition.objects.filter(condition_treatments__treatment__in=pks).values_list(
        "pk", flat=True
    )


def pages_comparing(model, pks):
    """Pages that compare themselves to these pages: they show their addresses."""
    return Comparison.objects.filter(related_condition__in=pks).values_list(
        "condition_id", flat=True
    )


def attach_new_reference(sender, instance, created, raw=False, **kwargs):
    """A reference created under a key pages already cite (say, re-created after a deletion)
    joins those pages' “cited by” lists."""
    if created and not raw:
        for page in Condition.objects.filter(pk__in=pages_citing_keys([instance.citekey])):
            page.attach_cited_references()


def register():
    registry.register(
        Condition,
        name="condition",
        route="conditions:detail",
        sitemap=False,  # conditions.sitemaps lists them from the read model
        renderings=[PAGE, HISTORY],
        read_model=registry.ReadModel(
            write=lambda publication: index_publication(publication, publication.object_id),
            remove=lambda publication: remove_from_read_model(publication.object_id),
            rebuild=rebuild_entries,
        ),
        follows={
            ConditionPart: pages_of_parts,
            Reference: pages_citing,
            Treatment: pages_showing,
            Condition: pages_comparing,
        },
    )
    post_save.connect(attach_new_reference, Reference, dispatch_uid="conditions.new_reference")
