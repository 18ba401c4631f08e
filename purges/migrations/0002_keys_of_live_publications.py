"""Store the surrogate keys of every publication live before keys were stored, so a retraction
finds the pages citing a reference among them too."""

from django.db import migrations


def store_keys(apps, schema_editor):
    from purges.surrogate_keys import publication_keys

    live_publication = apps.get_model("reviews", "LivePublication")
    key_set = apps.get_model("purges", "SurrogateKeySet")
    live = live_publication.objects.select_related(
        "publication__content_type", "publication__sign_off__physician"
    )
    for row in live.iterator():
        keys = publication_keys(row.publication)
        key_set.objects.update_or_create(
            publication=row.publication, defaults={"keys": f" {' '.join(keys)} "}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("purges", "0001_purge_outbox_and_surrogate_keys"),
        ("reviews", "0010_source_digests_of_existing_records"),
    ]

    operations = [migrations.RunPython(store_keys, migrations.RunPython.noop)]
