from django.urls import path

from tovani.http import read_only
from translations import views

app_name = "translations"

# /es/ followed by the English page's address: /es/conditions/ocd/, /es/about/disclosures/;
# the index and search of the Spanish pages before them.
urlpatterns = [
    path("conditions/", read_only(views.translated_index), name="index"),
    path("search/", read_only(views.translated_search), name="search"),
    path("<path:english_path>", read_only(views.translated_page), name="page"),
]
