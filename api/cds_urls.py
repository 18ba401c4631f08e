"""CDS Hooks lives at the site's root, as EHRs expect: /cds-services and /cds-services/<id>."""

from django.urls import path

from api import cds_hooks

urlpatterns = [
    path("cds-services", cds_hooks.Discovery.as_view(), name="cds-discovery"),
    path("cds-services/<slug:service_id>", cds_hooks.PatientView.as_view(), name="cds-service"),
]
