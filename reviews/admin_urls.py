"""The physicians' review queue and each person's time zone, beside the admin's own pages."""

from django.contrib import admin
from django.urls import path

from reviews.admin_queue import review_queue_view
from reviews.admin_time_zone import time_zone_view

urlpatterns = [
    path("review-queue/", admin.site.admin_view(review_queue_view), name="review_queue"),
    path("time-zone/", admin.site.admin_view(time_zone_view), name="staff_time_zone"),
]
