from django.urls import path

from conditions import views
from conditions.models import Condition
from conditions.redirects import follows_moves
from tovani.http import read_only

app_name = "conditions"

urlpatterns = [
    path("", read_only(views.condition_index), name="index"),
    path(
        "<slug:slug>/",
        read_only(follows_moves(Condition, "conditions:detail")(views.condition_detail)),
        name="detail",
    ),
    path(
        "<slug:slug>/history/",
        read_only(follows_moves(Condition, "conditions:history")(views.condition_history)),
        name="history",
    ),
]
