"""Setups the task lease tests make in a worker's own database, through `manage.py shell`."""

from datetime import timedelta

from django.contrib.auth.models import Group, User

from reviews import clock, workflow
from reviews.models import Physician
from tests.conftest import PASSWORD, make_condition


def scheduled(seconds: int) -> int:
    """An approved page scheduled to go live in seconds; returns the order's id."""
    editor = _user("lease-editor", "Editors")
    physician = _user("lease-physician", "Physicians")
    Physician.objects.create(user=physician, display_name="Lease Tester", credentials="MD")
    publisher = _user("lease-publisher", "Publishers")
    page = make_condition(editor, slug=f"lease-page-{User.objects.count()}")
    workflow.submit_for_review(page, editor)
    workflow.sign_off(page, physician, PASSWORD)
    when = clock.now() + timedelta(seconds=seconds)
    return workflow.schedule_publish(page, publisher, when).pk


def _user(name, group):
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user
