from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api import views
from api.errors import not_found

app_name = "api"

urlpatterns = [
    path("v1/conditions/", views.ConditionList.as_view(), name="condition-list"),
    path("v1/conditions/<slug:slug>/", views.ConditionDetail.as_view(), name="condition-detail"),
    path("v1/treatments/", views.TreatmentList.as_view(), name="treatment-list"),
    path("v1/treatments/<slug:slug>/", views.TreatmentDetail.as_view(), name="treatment-detail"),
    path("v1/withdrawn/", views.WithdrawnList.as_view(), name="withdrawn-list"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Anything else under /api/ is a JSON 404, not the site's HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
