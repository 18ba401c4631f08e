from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("<int:publication_id>/", views.report_problem, name="report"),
    path("<int:publication_id>/sent/", views.report_sent, name="sent"),
]
