"""Editors draft the editorial statements; physicians and publishers read them to review."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Editors": [f"{action}_editorialpage" for action in ("add", "change", "delete", "view")],
    "Physicians": ["view_editorialpage"],
    "Publishers": ["view_editorialpage"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("editorial")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="editorial", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_editorial_statements"),
        ("backups", "0001_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
