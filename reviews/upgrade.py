"""After `migrate`: every page with workflow records and no stored review state gets one.

The state is derived with today's models, so it is written once the whole schema is today's:
after the migrate command has applied every migration (post_migrate), never from inside a
migration, where a later migration's columns would not exist yet. It runs only when nothing is
left unapplied (a migration back to an older state writes nothing). A page whose source differs
from its newest sign-off's counts as changed by its last editor. Pages that have a state are
left as they are, so running it again changes nothing.
"""

from django.db import connections
from django.db.migrations.executor import MigrationExecutor


def write_missing_states(using="default", plan=None, **kwargs) -> int:
    """Returns how many states it wrote. plan: what the migrate command applied (a flush sends
    none, and a migrate that applied nothing has nothing to upgrade)."""
    if not plan:
        return 0
    connection = connections[using]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return 0
    from django.contrib.contenttypes.models import ContentType

    from reviews import workflow
    from reviews.digest import source_digest
    from reviews.models import Publication, ReviewEvent, ReviewState, SignOff

    pages = set()
    for model in (SignOff, Publication, ReviewEvent):
        pages |= set(
            model.objects.using(using).values_list("content_type_id", "object_id").distinct()
        )
    pages -= set(ReviewState.objects.using(using).values_list("content_type_id", "object_id"))
    written = 0
    for content_type_id, object_id in sorted(pages):
        model = ContentType.objects.db_manager(using).get_for_id(content_type_id).model_class()
        page = model._default_manager.filter(pk=object_id).first() if model else None
        if page is None or not hasattr(page, "build_document"):
            continue
        row = workflow.write_state(page, None, digest=source_digest(page))
        if row.source_digest != getattr(row.sign_off, "source_digest", None):
            author = workflow.last_editor(page)
            row.changed_by = [author.pk] if author else []
            row.save(update_fields=["changed_by"])
        written += 1
    return written
