"""Carry out every scheduled publication whose time has come.

The worker does this by itself: scheduling queues a task for the chosen time. This command is
for a task backend that cannot run tasks later (TASKS_BACKEND=immediate) or to catch up by hand.
"""

from django.core.management.base import BaseCommand

from reviews.workflow import publish_due_scheduled


class Command(BaseCommand):
    help = "Publish the scheduled pages whose time has come (refusing those that changed)."

    def handle(self, *args, **options):
        done = publish_due_scheduled()
        for item in done:
            line = f"{item.content_object or item.object_id}: {item.get_status_display().lower()}"
            self.stdout.write(f"{line}. {item.reason}".rstrip())
        if not done:
            self.stdout.write("No scheduled publication is due.")
