from django.urls import path

from conditions import reviewers

app_name = "reviewers"

urlpatterns = [path("<slug:slug>/", reviewers.reviewer_detail, name="detail")]
