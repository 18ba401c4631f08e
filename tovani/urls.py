from django.contrib import admin
from django.urls import include, path

from conditions import views as public_views
from conditions.feeds import RecentlyReviewedFeed
from conditions.sitemaps import sitemap_view
from reviews.admin_queue import review_queue_view
from tovani.env import env_str
from tovani.http import read_only
from tovani.views import robots_txt, signing_keys

ADMIN_PATH = env_str("ADMIN_PATH", "admin/")

admin.site.site_header = "Tovani clinical library"
admin.site.site_title = "Tovani clinical library"
admin.site.index_title = "Editorial administration"

feeds = (
    [path("reviewed.atom", read_only(RecentlyReviewedFeed()), name="reviewed")],
    "feeds",
)

urlpatterns = [
    path("", read_only(public_views.condition_index), name="home"),
    path("conditions/", include("conditions.urls")),
    path("treatments/", include("conditions.treatment_urls")),
    path("search/", read_only(public_views.search_page), name="search"),
    path("reviewers/", include("conditions.reviewer_urls")),
    path("about/", include("editorial.urls")),
    path("report/", include("feedback.urls")),
    path("feeds/", include(feeds)),
    path("sitemap.xml", read_only(sitemap_view), name="sitemap"),
    path("robots.txt", read_only(robots_txt), name="robots"),
    path(".well-known/tovani-keys.json", read_only(signing_keys), name="signing_keys"),
    path("api/", include("api.urls")),
    path("es/", include("translations.urls")),
    path(
        f"{ADMIN_PATH}review-queue/",
        admin.site.admin_view(review_queue_view),
        name="review_queue",
    ),
    path(ADMIN_PATH, admin.site.urls),
]

handler400 = "tovani.unavailable.bad_request"
handler500 = "tovani.unavailable.server_error"
