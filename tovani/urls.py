from django.contrib import admin
from django.urls import include, path

from tovani.env import env_str
from tovani.http import read_only
from tovani.views import robots_txt

ADMIN_PATH = env_str("ADMIN_PATH", "admin/")

admin.site.site_header = "Tovani clinical library"
admin.site.site_title = "Tovani clinical library"
admin.site.index_title = "Editorial administration"

urlpatterns = [
    # The apps' views are named by module, so the project imports no app. The pages and the
    # API come first: each address is matched against the patterns in turn, and they are most
    # of the traffic. No pattern below overlaps theirs.
    path("conditions/", include("conditions.urls")),
    path("api/", include("api.urls")),
    path("", include("conditions.site_urls")),
    path("treatments/", include("conditions.treatment_urls")),
    path("reviewers/", include("conditions.reviewer_urls")),
    path("about/", include("editorial.urls")),
    path("report/", include("feedback.urls")),
    path("robots.txt", read_only(robots_txt), name="robots"),
    path("", include("reviews.urls")),
    path("es/", include("translations.urls")),
    path("", include("api.cds_urls")),
    path("fhir/", include("api.fhir_urls")),
    path(ADMIN_PATH, include("reviews.admin_urls")),
    path(ADMIN_PATH, admin.site.urls),
]

handler400 = "tovani.unavailable.bad_request"
handler500 = "tovani.unavailable.server_error"
