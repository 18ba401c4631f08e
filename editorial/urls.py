from django.urls import path

from editorial.models import Statement
from editorial.views import statement

app_name = "editorial"

urlpatterns = [
    path("editorial-policy/", statement(Statement.POLICY), name="policy"),
    path("disclosures/", statement(Statement.DISCLOSURES), name="disclosures"),
    # The terms partners republish pages on, linked from every API answer (rel="license").
    path("syndication/", statement(Statement.SYNDICATION), name="syndication"),
]
