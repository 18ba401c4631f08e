"""The sign of life each task worker gives while it runs (tasks.leases)."""

from django.db import models


class WorkerBeat(models.Model):
    """One running db_worker: it writes beat_at every few seconds, from a thread of its own.

    A task marked running by a worker whose last beat is older than TASK_LEASE_SECONDS was
    left behind by a worker that died (killed, out of memory, its machine gone): the lease sweep
    runs it again. A worker that stops cleanly deletes its row.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    queues = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "task worker"
        ordering = ["-beat_at"]

    def __str__(self):
        return f"{self.worker_id} on {self.host} (pid {self.pid})"
