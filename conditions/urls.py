from django.urls import path

from conditions import views

app_name = "conditions"

urlpatterns = [
    path("", views.condition_index, name="index"),
    path("<slug:slug>/", views.condition_detail, name="detail"),
    path("<slug:slug>/history/", views.condition_history, name="history"),
]
