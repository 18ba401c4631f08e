"""The editors' tasks to check a correction (an erratum, a corrected and republished study)."""

from evidence.errors import EvidenceError
from reviews import clock


def may_check(user) -> bool:
    """Checking a correction against a page is an editor's work: those who may change pages."""
    return user.has_perm("conditions.change_condition")


def mark_checked(tasks, user) -> int:
    """Close the open tasks among tasks as checked by user; returns how many were open."""
    if not may_check(user):
        raise EvidenceError("Only someone who may edit pages can mark a correction checked.")
    done = 0
    for task in tasks.filter(done_at__isnull=True):
        task.done_at, task.done_by = clock.now(), user
        task.save()
        done += 1
    return done
