"""What makes cached answers wrong, each writing its purge in the transaction that changes it.

Receivers of the model signals the changes already send inside their transactions: a page
going live or coming down moves its live pointer (LivePublication), whatever the route (publish,
unpublish, review expiry, a retraction, a restore); a reference, a reviewer's profile or a
treatment is saved by the admin or an import inside its own transaction.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from conditions.models import Treatment
from publishing.alongside import alongside_changed, renderings_remade
from purges import outbox, retractions
from purges import surrogate_keys as sk
from purges.models import Purge, SurrogateKeySet
from references.models import Reference
from reviews.models import LivePublication, Physician


@receiver(post_save, sender=LivePublication, dispatch_uid="purges.page_went_live")
def page_went_live(sender, instance, raw=False, **kwargs):
    if raw:
        return
    publication = instance.publication
    keys = sk.publication_keys(publication)
    SurrogateKeySet.objects.update_or_create(
        publication=publication, defaults={"keys": f" {' '.join(keys)} "}
    )
    sk.remember(publication, keys)
    outbox.page_purge(Purge.Reason.PUBLISHED, instance)


@receiver(post_delete, sender=LivePublication, dispatch_uid="purges.page_came_down")
def page_came_down(sender, instance, **kwargs):
    outbox.page_purge(Purge.Reason.WITHDRAWN, instance)


@receiver(alongside_changed, dispatch_uid="purges.alongside_changed")
def shown_alongside_changed(sender, page, **kwargs):
    live = (
        LivePublication.objects.filter(
            content_type=ContentType.objects.get_for_model(sender), object_id=page.pk
        )
        .select_related("content_type")
        .first()
    )
    if live is None:
        return  # nothing public shows it yet
    model = live.content_type.model
    outbox.enqueue(
        Purge.Reason.ALONGSIDE,
        [sk.page_key(model, live.object_id)],
        paths=outbox.page_paths(model, live.slug),
        content_type=live.content_type,
        object_id=live.object_id,
    )


@receiver(renderings_remade, dispatch_uid="purges.renderings_remade")
def pages_remade(sender, publications, because, **kwargs):
    """Live pages rendered again (a reviewer's honorific, a footer's statements): one purge of
    their answers, by key and by address."""
    lives = LivePublication.objects.filter(
        publication__in=publications, content_type=ContentType.objects.get_for_model(sender)
    ).select_related("content_type")
    keys, paths = [], []
    for live in lives.order_by("pk"):
        keys.append(sk.page_key(live.content_type.model, live.object_id))
        paths += outbox.page_paths(live.content_type.model, live.slug)
    if keys:
        outbox.enqueue(Purge.Reason(because), keys, paths=paths)


@receiver(pre_save, sender=Reference, dispatch_uid="purges.note_retraction")
@receiver(pre_save, sender=Physician, dispatch_uid="purges.note_profile")
@receiver(pre_save, sender=Treatment, dispatch_uid="purges.note_treatment")
def note_before(sender, instance, raw=False, **kwargs):
    """Keep what the row held before this save, to tell what changed."""
    # Only a retraction of a reference matters: an import of thousands asks nothing more.
    unretracted = sender is Reference and not instance.retracted
    if raw or instance.pk is None or unretracted:
        instance._purges_before = None
        return
    instance._purges_before = sender._default_manager.filter(pk=instance.pk).first()


@receiver(post_save, sender=Reference, dispatch_uid="purges.reference_saved")
def reference_saved(sender, instance, raw=False, **kwargs):
    before = getattr(instance, "_purges_before", None)
    if raw or not instance.retracted or (before is not None and before.retracted):
        return
    if settings.RETRACTED_PAGES == "withdraw":
        retractions.withdraw_pages_citing(instance)
    outbox.enqueue(
        Purge.Reason.RETRACTED,
        [sk.reference_key(instance.citekey), sk.LISTINGS],
        paths=outbox.LISTING_PATHS,
    )


@receiver(post_save, sender=Physician, dispatch_uid="purges.profile_saved")
def profile_saved(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_purges_before", None)
    if raw or created or before is None:
        return
    slugs = {before.slug, instance.slug}
    outbox.enqueue(
        Purge.Reason.REVIEWER,
        [sk.reviewer_key(slug) for slug in sorted(slugs)],
        paths=[f"/reviewers/{slug}/" for slug in sorted(slugs)],
    )


@receiver(post_save, sender=Treatment, dispatch_uid="purges.treatment_saved")
def treatment_saved(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_purges_before", None)
    if raw or created or before is None:
        return
    shown = ("summary", "name", "slug")
    if all(getattr(before, name) == getattr(instance, name) for name in shown):
        return
    slugs = sorted({before.slug, instance.slug})
    outbox.enqueue(
        Purge.Reason.TREATMENT,
        [sk.treatment_key(slug) for slug in slugs],
        paths=[f"/treatments/{slug}/" for slug in slugs],
    )
