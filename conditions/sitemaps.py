"""/sitemap.xml: every live condition and treatment page, lastmod from its last review.

Addresses are on the site's origin (tovani.site_url), as canonical URLs are.
"""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Max
from django.urls import reverse

from conditions import selectors
from tovani.site_url import site_origin


class _OnSiteOrigin(Sitemap):
    def __init__(self, origin: str):
        self.origin = urlsplit(origin)

    def get_domain(self, site=None):
        return self.origin.netloc

    def get_protocol(self, protocol=None):
        return self.origin.scheme


class ConditionSitemap(_OnSiteOrigin):
    def items(self):
        return selectors.live_entries().only("slug", "last_reviewed").order_by("slug")

    def lastmod(self, entry):
        return entry.last_reviewed


class TreatmentSitemap(_OnSiteOrigin):
    def items(self):
        return [{"slug": t.slug, "last_reviewed": t.last_reviewed} for t in selectors.treatments()]

    def location(self, item):
        return reverse("treatments:detail", args=[item["slug"]])

    def lastmod(self, item):
        return item["last_reviewed"]


class IndexSitemap(_OnSiteOrigin):
    def items(self):
        return ["conditions:index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return selectors.live_entries().aggregate(newest=Max("last_reviewed"))["newest"]


SITEMAPS = {"index": IndexSitemap, "conditions": ConditionSitemap, "treatments": TreatmentSitemap}


def sitemap_view(request):
    origin = site_origin(request)
    return sitemap(request, {name: made(origin) for name, made in SITEMAPS.items()})
