from django.urls import path

from tovani.http import read_only
from translations import views

app_name = "translations"

# /es/ followed by the English page's address: /es/conditions/ocd/, /es/about/disclosures/.
urlpatterns = [
    path("<path:english_path>", read_only(views.translated_page), name="page"),
]
