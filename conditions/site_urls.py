"""The public site's own addresses beside the pages: the index, search, the feed, the sitemap."""

from django.urls import include, path

from conditions import views as public_views
from conditions.feeds import RecentlyReviewedFeed
from conditions.sitemaps import sitemap_view
from tovani.http import read_only

feeds = (
    [path("reviewed.atom", read_only(RecentlyReviewedFeed()), name="reviewed")],
    "feeds",
)

urlpatterns = [
    path("", read_only(public_views.condition_index), name="home"),
    path("search/", read_only(public_views.search_page), name="search"),
    path("feeds/", include(feeds)),
    path("sitemap.xml", read_only(sitemap_view), name="sitemap"),
]
