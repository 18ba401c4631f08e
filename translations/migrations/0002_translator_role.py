"""Translators write translations; physicians and publishers read them to review and publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRANSLATION = [
    f"{action}_{model}" for model in ("translation", "segment") for action in ("add", "change")
]
VIEW = ["view_translation", "view_segment"]
ROLES = {
    "Translators": [*TRANSLATION, *VIEW],
    "Editors": VIEW,
    "Physicians": VIEW,
    "Publishers": VIEW,
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("translations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="translations", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0001_translations_and_segments"),
        ("backups", "0001_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
