"""The evidence watch as a background task, for `watch_evidence --queue` and a scheduler."""

from django_tasks import task


@task()
def watch_evidence() -> dict:
    """One pass of the watch; a pass that stops is resumed by the next one."""
    from evidence import watch

    run = watch.run()
    return {"run": run.pk, "status": run.status, "findings": run.findings}
