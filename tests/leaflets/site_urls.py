"""The site's URLs with the leaflets' own: what a test of the kind uses as its root URLconf."""

from django.urls import include, path

from tovani.urls import urlpatterns as site

urlpatterns = [path("leaflets/", include("tests.leaflets.urls")), *site]
