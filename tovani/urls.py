from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from reviews.admin_queue import review_queue_view
from tovani.env import env_str

ADMIN_PATH = env_str("ADMIN_PATH", "admin/")

admin.site.site_header = "Tovani clinical library"
admin.site.site_title = "Tovani clinical library"
admin.site.index_title = "Editorial administration"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="conditions:index", permanent=False)),
    path("conditions/", include("conditions.urls")),
    path("api/", include("api.urls")),
    path(
        f"{ADMIN_PATH}review-queue/",
        admin.site.admin_view(review_queue_view),
        name="review_queue",
    ),
    path(ADMIN_PATH, admin.site.urls),
]
