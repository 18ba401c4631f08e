from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from api import lookup_languages, views
from api.changelog import changelog
from api.errors import not_found
from conditions.models import Condition
from conditions.redirects import follows_moves
from translations import partners
from translations.partners import in_language

app_name = "api"

urlpatterns = [
    path("v1/conditions/", views.ConditionList.as_view(), name="condition-list"),
    path(
        "v1/conditions/<slug:slug>/",
        follows_moves(Condition, "api:condition-detail")(
            in_language(views.ConditionDetail.as_view(), partners.spanish_detail)
        ),
        name="condition-detail",
    ),
    path(
        "v1/conditions/<slug:slug>/history/",
        follows_moves(Condition, "api:condition-history")(views.ConditionHistory.as_view()),
        name="condition-history",
    ),
    path("v1/treatments/", views.TreatmentList.as_view(), name="treatment-list"),
    path("v1/treatments/<slug:slug>/", views.TreatmentDetail.as_view(), name="treatment-detail"),
    path("v1/withdrawn/", views.WithdrawnList.as_view(), name="withdrawn-list"),
    path(
        "v1/manifest/",
        in_language(views.Manifest.as_view()),
        name="manifest",
    ),
    # The type URI of each problem (RFC 9457) the API answers with: a page for people.
    path("problems/", views.problem_types, name="problem-types"),
    path("problems/<slug:code>/", views.problem_type, name="problem-type"),
    path(
        "v1/lookup/",
        in_language(
            views.CodeLookup.as_view(),
            lookup_languages.spanish_lookup,
            types=lookup_languages.TYPES,
        ),
        name="lookup",
    ),
    path(
        "v1/lookup/atom/",
        in_language(
            views.CodeLookupAtom.as_view(),
            lookup_languages.spanish_lookup,
            types=lookup_languages.TYPES,
        ),
        name="lookup-atom",
    ),
    path("changelog/", views.documentation(changelog), name="changelog"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script comes as a file of its own, as the CSP requires.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc styles itself by injecting style elements at run time, so this one page, which shows
    # the schema and no editor content, may apply inline styles and start its search worker.
    path(
        "docs/redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    # Anything else under /api/ is a JSON 404, not the site's HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
