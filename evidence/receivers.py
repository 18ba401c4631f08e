"""A sign-off closes the reviews the watch opened, and a publication changes what the API
reports: each rewrites the page's evidence row once its transaction commits. The public stamp
and history ask what the inbox says of each review (reviews.history.review_facts)."""

from django.db import transaction
from django.db.models.signals import post_save

from reviews.history import review_facts
from reviews.signals import published


def connect():
    post_save.connect(on_signed, "reviews.SignOff", dispatch_uid="evidence.signed")
    published.connect(on_published, dispatch_uid="evidence.published")
    review_facts.connect(facts_of_review, dispatch_uid="evidence.review_facts")


def on_signed(sender, instance, created, **kwargs):
    if created:
        transaction.on_commit(lambda: _refresh(instance.content_type_id, instance.object_id))


def on_published(sender, instance, publication, **kwargs):
    _refresh(publication.content_type_id, publication.object_id)


def _refresh(content_type_id, object_id):
    from django.contrib.contenttypes.models import ContentType

    from evidence import status

    model = ContentType.objects.get_for_id(content_type_id).model_class()
    status.refresh(model._default_manager.filter(pk=object_id).first())


def facts_of_review(sender, publication, previous_signed_at, **kwargs):
    """For a condition page whose saved search had run when it was signed: the day its inbox
    was cleared through then, and what was screened since the review before."""
    from conditions.models import Condition
    from evidence import status
    from reviews.history import ReviewFacts

    if sender is not Condition:
        return None
    signed_at = publication.sign_off.signed_at
    search = status.SavedSearch.objects.filter(condition_id=publication.object_id).first()
    if search is None or not search.runs.filter(ran_at__lte=signed_at).exists():
        return None  # the page's typed date, if any, stands for this review
    screened, changing = status.screening_counts(search, previous_signed_at, signed_at)
    return ReviewFacts(status.cleared_through(search, signed_at), screened, changing)
