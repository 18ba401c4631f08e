"""Where a publication is read: the one way an after-effect (a webhook, a reader report, a
purge) names a page, from what was published, never from the draft."""

from publishing import registry
from tovani.site_url import absolute_url


def publication_path(publication) -> str:
    kind = registry.kind_of(publication.content_type.model_class())
    return kind.path(publication.slug)


def publication_url(publication, request=None) -> str:
    """The publication's address on the public site (a path when the site's origin is unknown)."""
    return absolute_url(publication_path(publication), request)
