"""The sitemap's sections for registered kinds of page: each live page at its public address,
its lastmod the day its live version was signed off. A kind with a read model of its own may
list itself instead (register(..., sitemap=False)), and a kind may add addresses of its own
(register(..., sitemap_entries=...): translations list their index and their pages).

An address in several languages carries them all as hreflang alternates (xhtml:link), both
ways: the versions a kind names for one of its entries are given to every address among them,
whichever section lists it (the English page and the English index as much as the Spanish).
"""

from functools import cached_property
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import Sitemap

from publishing import registry
from reviews.models import LivePublication


class LanguageVersions:
    """Every kind's sitemap entries, read once per sitemap, and the language versions of each
    address they name: {path: ((language, path), …)}."""

    @cached_property
    def entries(self) -> dict[str, list[registry.SitemapEntry]]:
        return {
            kind.name: list(kind.sitemap_entries())
            for kind in registry.kinds()
            if kind.sitemap_entries is not None
        }

    @cached_property
    def by_path(self) -> dict[str, tuple[tuple[str, str], ...]]:
        found = {}
        for entries in self.entries.values():
            for entry in entries:
                for _, path in entry.alternates:
                    found[path] = entry.alternates
        return found


class OnSiteOrigin(Sitemap):
    """Addresses on the site's origin (tovani.site_url), as canonical URLs are, each with its
    versions in other languages when it has any."""

    def __init__(self, origin: str, versions: LanguageVersions | None = None):
        self.origin = urlsplit(origin)
        self.versions = versions or LanguageVersions()

    def get_domain(self, site=None):
        return self.origin.netloc

    def get_protocol(self, protocol=None):
        return self.origin.scheme

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        prefix = f"{self.origin.scheme}://{self.origin.netloc}"
        for url in urls:
            versions = self.versions.by_path.get(url["location"].removeprefix(prefix), ())
            url["alternates"] = [
                {"lang_code": language, "location": prefix + path} for language, path in versions
            ]
        return urls


class KindSitemap(OnSiteOrigin):
    def __init__(self, kind, origin: str, versions: LanguageVersions | None = None):
        super().__init__(origin, versions)
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


class EntriesSitemap(OnSiteOrigin):
    """What a kind lists itself (registry.SitemapEntry)."""

    def __init__(self, kind, origin: str, versions: LanguageVersions):
        super().__init__(origin, versions)
        self.kind = kind

    def items(self):
        return self.versions.entries[self.kind.name]

    def location(self, entry):
        return entry.path

    def lastmod(self, entry):
        return entry.lastmod


def site_sitemaps(origin: str, own: dict) -> dict:
    """The sitemap's sections: own ({name: an OnSiteOrigin class}, the site's own listings),
    then each registered kind's live pages and the entries it lists itself, all sharing one
    reading of the language versions."""
    versions = LanguageVersions()
    sections = {name: made(origin, versions) for name, made in own.items()}
    for kind in registry.kinds():
        if kind.sitemap:
            sections[kind.name] = KindSitemap(kind, origin, versions)
        if kind.sitemap_entries is not None:
            sections[f"{kind.name}-entries"] = EntriesSitemap(kind, origin, versions)
    return sections
