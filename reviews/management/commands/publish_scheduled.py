"""Carry out every scheduled publication and take-down whose time has come.

The worker does this by itself: scheduling queues a task for the chosen time. This command is
for a task backend that cannot run tasks later (TASKS_BACKEND=immediate) or to catch up by hand.
"""

from django.core.management.base import BaseCommand

from reviews.workflow import publish_due_scheduled, take_down_due


class Command(BaseCommand):
    help = (
        "Publish the scheduled pages whose time has come (refusing those that changed), and "
        "take down the pages scheduled to come off the site."
    )

    def handle(self, *args, **options):
        done = publish_due_scheduled()
        for item in done:
            line = f"{item.content_object or item.object_id}: {item.get_status_display().lower()}"
            self.stdout.write(f"{line}. {item.reason}".rstrip())
        taken = take_down_due()
        for item in taken:
            line = f"{item.content_object or item.object_id}: {item.get_status_display().lower()}"
            self.stdout.write(f"{line}. {item.reason}".rstrip())
        if not done and not taken:
            self.stdout.write("No scheduled publication or take-down is due.")
