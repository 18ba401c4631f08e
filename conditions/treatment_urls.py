from django.urls import path

from conditions import views

app_name = "treatments"

urlpatterns = [
    path("<slug:slug>/", views.treatment_detail, name="detail"),
]
