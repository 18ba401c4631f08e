"""Editors keep the pages' saved searches; every editorial role reads the evidence watch's
records. Physicians screen inboxes and dismiss findings by their sign-off permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_savedsearch", "view_finding", "view_editortask", "view_watchrun"]
ROLES = {
    "Editors": [*READ, "add_savedsearch", "change_savedsearch", "delete_savedsearch"],
    "Physicians": READ,
    "Publishers": READ,
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("evidence")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="evidence", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_page_evidence"), ("backups", "0001_editorial_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
