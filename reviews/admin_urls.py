"""The physicians' review queue, beside the admin's own pages."""

from django.contrib import admin
from django.urls import path

from reviews.admin_queue import review_queue_view

urlpatterns = [
    path("review-queue/", admin.site.admin_view(review_queue_view), name="review_queue"),
]
