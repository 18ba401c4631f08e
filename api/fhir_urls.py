"""FHIR R4 under /fhir/: DocumentReference search and read, and the server's metadata."""

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
    path("metadata", fhir_views.Metadata.as_view(), name="fhir-metadata"),
    re_path(r"^[\s\S]*$", fhir_views.not_found),
]
