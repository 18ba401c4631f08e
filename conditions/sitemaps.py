"""/sitemap.xml: every live condition and treatment page, lastmod from its last review, and
the live pages of every other registered kind (editorial statements) and what kinds list
themselves (the Spanish index and pages), each address with its versions in other languages.

Addresses are on the site's origin (tovani.site_url), as canonical URLs are.
"""

from django.contrib.sitemaps.views import sitemap
from django.db.models import Max
from django.urls import reverse

from conditions import selectors
from publishing.sitemaps import OnSiteOrigin, site_sitemaps
from tovani.site_url import site_origin


class ConditionSitemap(OnSiteOrigin):
    def items(self):
        return selectors.live_entries().only("slug", "last_reviewed").order_by("slug")

    def lastmod(self, entry):
        return entry.last_reviewed


class TreatmentSitemap(OnSiteOrigin):
    def items(self):
        return [{"slug": t.slug, "last_reviewed": t.last_reviewed} for t in selectors.treatments()]

    def location(self, item):
        return reverse("treatments:detail", args=[item["slug"]])

    def lastmod(self, item):
        return item["last_reviewed"]


class IndexSitemap(OnSiteOrigin):
    def items(self):
        return ["conditions:index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return selectors.live_entries().aggregate(newest=Max("last_reviewed"))["newest"]


SITEMAPS = {"index": IndexSitemap, "conditions": ConditionSitemap, "treatments": TreatmentSitemap}


def sitemap_view(request):
    return sitemap(request, site_sitemaps(site_origin(request), SITEMAPS))
