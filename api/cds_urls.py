"""CDS Hooks lives at the site's root, as EHRs expect: /cds-services and /cds-services/<id>."""

from django.urls import path, re_path

from api import cds_hooks
from api.errors import not_found

urlpatterns = [
    path("cds-services", cds_hooks.Discovery.as_view(), name="cds-discovery"),
    path("cds-services/<slug:service_id>", cds_hooks.PatientView.as_view(), name="cds-service"),
    # Any other address under it is a problem like the API's, not the site's HTML page.
    re_path(r"^cds-services/[\s\S]*$", not_found),
]
