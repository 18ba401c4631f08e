"""An export written before the stored renderings moved to the publishing layer still imports:
its "conditions.pagerendering" rows are read as the publishing layer's."""

import json

from publishing.models import PageRendering
from tests.test_backup import _remove_files, empty_database, export, import_  # noqa: F401

OLD, NEW = "conditions.pagerendering", "publishing.pagerendering"


def test_an_export_naming_renderings_by_their_old_app_is_restored(published):
    """The file's old label is renamed as it is read; the page's HTML comes back."""
    data = json.loads(export())
    for obj in data["objects"]:
        if obj["model"] == NEW:
            obj["model"] = OLD
    data["counts"][OLD] = data["counts"].pop(NEW)
    assert data["counts"][OLD] > 0
    empty_database()
    import_(json.dumps(data))
    assert PageRendering.objects.filter(template="conditions/detail.html").exists()
