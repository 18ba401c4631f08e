"""The editors' tasks to check a correction (an erratum, a corrected and republished study)."""

from reviews import clock


def mark_checked(tasks, user) -> int:
    """Close the open tasks among tasks as checked by user; returns how many were open."""
    done = 0
    for task in tasks.filter(done_at__isnull=True):
        task.done_at, task.done_by = clock.now(), user
        task.save()
        done += 1
    return done
