"""/sitemap.xml: every live condition and treatment page, lastmod from its last review, and
the live pages of every other registered kind (editorial statements) and what kinds list
themselves (the Spanish index and pages), each address with its versions in other languages.

Addresses are on the site's origin (tovani.site_url), as canonical URLs are.
"""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse

from conditions import selectors
from conditions.models import Condition
from publishing import registry
from publishing.page_cache import memory_pages
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
    """Built by Django's sitemap framework, a few seconds at 10,000 pages (make bench's
    bench.listings): each process keeps the answer under the live sets' stamps, as the API's
    list and manifest do, so it is built again only after a publish or unpublish of any kind."""
    origin = site_origin(request)
    kinds = {Condition, *(kind.model for kind in registry.kinds())}
    stamps = tuple(sorted(str(selectors.library_stamp(model)) for model in kinds))
    key = ("sitemap", origin, settings.PAGE_CACHE_VERSION, stamps)
    kept = memory_pages.get(key)
    if kept is None:
        response = sitemap(request, site_sitemaps(origin, SITEMAPS))
        response.render()
        kept = (response.content, list(response.items()))
        memory_pages.set(key, kept)
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
