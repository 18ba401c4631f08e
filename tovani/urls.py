from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from conditions import views as public_views
from conditions.feeds import RecentlyReviewedFeed
from conditions.sitemaps import SITEMAPS
from reviews.admin_queue import review_queue_view
from tovani.env import env_str
from tovani.views import robots_txt, signing_keys

ADMIN_PATH = env_str("ADMIN_PATH", "admin/")

admin.site.site_header = "Tovani clinical library"
admin.site.site_title = "Tovani clinical library"
admin.site.index_title = "Editorial administration"

feeds = (
    [path("reviewed.atom", RecentlyReviewedFeed(), name="reviewed")],
    "feeds",
)

urlpatterns = [
    path("", public_views.condition_index, name="home"),
    path("conditions/", include("conditions.urls")),
    path("treatments/", include("conditions.treatment_urls")),
    path("search/", public_views.search_page, name="search"),
    path("feeds/", include(feeds)),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path(".well-known/tovani-keys.json", signing_keys, name="signing_keys"),
    path("api/", include("api.urls")),
    path(
        f"{ADMIN_PATH}review-queue/",
        admin.site.admin_view(review_queue_view),
        name="review_queue",
    ),
    path(ADMIN_PATH, admin.site.urls),
]
