from django.urls import path

from conditions import views
from tovani.http import read_only

app_name = "conditions"

urlpatterns = [
    path("", read_only(views.condition_index), name="index"),
    path("<slug:slug>/", read_only(views.condition_detail), name="detail"),
    path("<slug:slug>/history/", read_only(views.condition_history), name="history"),
]
