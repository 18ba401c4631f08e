"""The sitemap's sections for registered kinds of page: each live page at its public address,
its lastmod the day its live version was signed off. A kind with a read model of its own may
list itself instead (register(..., sitemap=False))."""

from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import Sitemap

from publishing import registry
from reviews.models import LivePublication


class OnSiteOrigin(Sitemap):
    """Addresses on the site's origin (tovani.site_url), as canonical URLs are."""

    def __init__(self, origin: str):
        self.origin = urlsplit(origin)

    def get_domain(self, site=None):
        return self.origin.netloc

    def get_protocol(self, protocol=None):
        return self.origin.scheme


class KindSitemap(OnSiteOrigin):
    def __init__(self, kind, origin: str):
        super().__init__(origin)
        self.kind = kind

    def items(self):
        content_type = ContentType.objects.get_for_model(self.kind.model)
        return (
            LivePublication.objects.filter(content_type=content_type)
            .select_related("publication__sign_off")
            .only("slug", "publication__sign_off__signed_at")
            .order_by("slug")
        )

    def location(self, live):
        return self.kind.path(live.slug)

    def lastmod(self, live):
        return live.publication.sign_off.signed_at


def kind_sitemaps(origin: str) -> dict:
    """A section for each registered kind that lists itself here, by the kind's name."""
    return {kind.name: KindSitemap(kind, origin) for kind in registry.kinds() if kind.sitemap}
