"""FHIR R4 under /fhir/: DocumentReference search and read."""

from django.urls import path, re_path

from api import fhir_views

urlpatterns = [
    re_path(
        r"^DocumentReference/?$",
        fhir_views.DocumentReferenceSearch.as_view(),
        name="fhir-document-search",
    ),
    path(
        "DocumentReference/<str:resource_id>",
        fhir_views.DocumentReferenceRead.as_view(),
        name="fhir-document-read",
    ),
    path(
        "StructureDefinition/publication-signature",
        fhir_views.SignatureDefinition.as_view(),
        name="fhir-signature-definition",
    ),
    re_path(r"^[\s\S]*$", fhir_views.not_found),
]
