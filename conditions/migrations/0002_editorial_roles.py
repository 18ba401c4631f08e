"""The editorial roles: Editors draft, Physicians sign off, Publishers publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
