"""The editorial roles: Editors draft, Physicians sign off, Publishers publish.

The roles span every app, so they live here. Databases migrated before this app existed made
them as conditions.0002_editorial_roles; there the groups may since have been adjusted by an
administrator, so this migration leaves them exactly as they are.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

CONTENT = [
    ("conditions", "condition"),
    ("conditions", "clinicalcode"),
    ("conditions", "searchphrase"),
    ("conditions", "keypoint"),
    ("conditions", "comparison"),
    ("conditions", "conditiontreatment"),
    ("conditions", "faq"),
    ("conditions", "treatment"),
    ("references", "reference"),
]
RECORDS = [
    ("reviews", "physician"),
    ("reviews", "signoff"),
    ("reviews", "publication"),
    ("reviews", "reviewevent"),
]


def _codenames(models, actions):
    return [(app, f"{action}_{model}") for app, model in models for action in actions]


ROLES = {
    "Editors": _codenames(CONTENT, ["add", "change", "delete", "view"])
    + _codenames(RECORDS, ["view"]),
    "Physicians": _codenames(CONTENT + RECORDS, ["view"]) + [("reviews", "sign_off_page")],
    "Publishers": _codenames(CONTENT + RECORDS, ["view"]) + [("reviews", "publish_page")],
}


def create_roles(apps, schema_editor):
    if _made_under_the_old_name(schema_editor.connection):
        return
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def _made_under_the_old_name(connection) -> bool:
    recorded = MigrationRecorder(connection).migration_qs
    return recorded.filter(app="conditions", name="0002_editorial_roles").exists()


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0001_initial"),
        ("references", "0001_initial"),
        ("reviews", "0002_review_events"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
