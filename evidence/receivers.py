"""A sign-off closes the reviews the watch opened, and a publication changes what the API
reports: each rewrites the page's evidence row once its transaction commits."""

from django.db import transaction
from django.db.models.signals import post_save

from reviews.signals import published


def connect():
    post_save.connect(on_signed, "reviews.SignOff", dispatch_uid="evidence.signed")
    published.connect(on_published, dispatch_uid="evidence.published")


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
