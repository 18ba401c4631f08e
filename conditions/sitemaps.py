"""/sitemap.xml: every live condition and treatment page, lastmod from its last review."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from conditions.models import SearchEntry, TreatmentListing


class _OnSiteUrl(Sitemap):
    """Addresses on SITE_URL when it is set, else on the request's host."""

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)


class ConditionSitemap(_OnSiteUrl):
    def items(self):
        return SearchEntry.objects.live().only("slug", "last_reviewed").order_by("slug")

    def lastmod(self, entry):
        return entry.last_reviewed


class TreatmentSitemap(_OnSiteUrl):
    def items(self):
        return list(
            TreatmentListing.objects.filter(entry__publication__live__isnull=False)
            .values("treatment_slug")
            .annotate(last_reviewed=Max("entry__last_reviewed"))
            .order_by("treatment_slug")
        )

    def location(self, item):
        return reverse("treatments:detail", args=[item["treatment_slug"]])

    def lastmod(self, item):
        return item["last_reviewed"]


class IndexSitemap(_OnSiteUrl):
    def items(self):
        return ["conditions:index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return SearchEntry.objects.live().aggregate(newest=Max("last_reviewed"))["newest"]


SITEMAPS = {"index": IndexSitemap, "conditions": ConditionSitemap, "treatments": TreatmentSitemap}
