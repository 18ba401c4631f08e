from django.urls import path

from conditions import views
from tovani.http import read_only

app_name = "treatments"

urlpatterns = [
    path("<slug:slug>/", read_only(views.treatment_detail), name="detail"),
]
