"""The physicians' review queue, each person's time zone and the limited sign-in, beside the
admin's own pages."""

from django.contrib import admin
from django.urls import path

from reviews.admin_queue import review_queue_view
from reviews.admin_time_zone import time_zone_view
from reviews.sign_in_limit import sign_in

urlpatterns = [
    # Before the admin's own sign-in at the same address (tovani.urls includes this first).
    path("login/", sign_in, name="sign_in"),
    path("review-queue/", admin.site.admin_view(review_queue_view), name="review_queue"),
    path("time-zone/", admin.site.admin_view(time_zone_view), name="staff_time_zone"),
]
