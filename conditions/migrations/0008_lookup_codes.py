import re

import django.db.models.deletion
from django.db import migrations, models


def list_live_codes(apps, schema_editor):
    """Give each live page its code rows, from its live document (all shown on the page: no
    code could be for lookup only before this)."""
    SearchEntry = apps.get_model("conditions", "SearchEntry")
    CodeListing = apps.get_model("conditions", "CodeListing")
    rows = [
        CodeListing(
            entry_id=entry.pk,
            system=code["system"],
            code=code["code"],
            root=re.split(r"[.&/]", code["code"], maxsplit=1)[0],
            lookup_only=code.get("lookup_only", False),
            position=position,
        )
        for entry in SearchEntry.objects.select_related("publication")
        for position, code in enumerate(entry.publication.document["codes"], start=1)
    ]
    CodeListing.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0007_treatment_listing_descriptions"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinicalcode",
            name="lookup_only",
            field=models.BooleanField(
                default=False,
                help_text="Not shown in the page's codes line: partners' systems find the page by it (an ICD-10-CM or SNOMED CT code an EHR sends). The physician signs it with the page.",
                verbose_name="for lookup only",
            ),
        ),
        migrations.AlterField(
            model_name="clinicalcode",
            name="system",
            field=models.CharField(
                choices=[
                    ("DSM-5", "DSM-5"),
                    ("ICD-11", "ICD-11"),
                    ("ICD-10-CM", "ICD-10-CM"),
                    ("SNOMED CT", "SNOMED CT"),
                ],
                max_length=12,
            ),
        ),
        migrations.CreateModel(
            name="CodeListing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "system",
                    models.CharField(
                        choices=[
                            ("DSM-5", "DSM-5"),
                            ("ICD-11", "ICD-11"),
                            ("ICD-10-CM", "ICD-10-CM"),
                            ("SNOMED CT", "SNOMED CT"),
                        ],
                        max_length=12,
                    ),
                ),
                ("code", models.CharField(max_length=60)),
                (
                    "root",
                    models.CharField(
                        help_text="The code up to its first “.”, “&” or “/”: F42 for F42.2. Lookup reads every code under the root asked for in one indexed query.",
                        max_length=60,
                    ),
                ),
                ("lookup_only", models.BooleanField(default=False)),
                (
                    "position",
                    models.PositiveIntegerField(help_text="Its place among the page's codes."),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes_listed",
                        to="conditions.searchentry",
                    ),
                ),
            ],
            options={
                "ordering": ["entry__title", "position"],
                "indexes": [models.Index(fields=["system", "root"], name="code_listing_lookup")],
            },
        ),
        migrations.RunPython(list_live_codes, migrations.RunPython.noop),
    ]
