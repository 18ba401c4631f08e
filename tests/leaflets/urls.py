from django.urls import path

from tests.leaflets.views import leaflet

app_name = "leaflets"
urlpatterns = [path("<slug:slug>/", leaflet, name="detail")]
