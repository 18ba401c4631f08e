"""Edit a bench page's summary and publish it through the workflow: python -m bench.republish
SLUG TEXT. bench/run.py uses it to watch a publish reach the caching proxy."""

import sys

import django


def main(slug: str, summary: str):
    django.setup()
    import reversion
    from django.contrib.auth import get_user_model
    from django.test import override_settings

    from bench.generate import FAST_HASHER, PASSWORD
    from conditions.models import Condition
    from reviews import workflow

    users = get_user_model().objects
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        physician = users.get(username="bench-physician")
        physician.set_password(PASSWORD)
        physician.save()
        condition = Condition.objects.get(slug=slug)
        with reversion.create_revision():
            reversion.set_user(users.get(username="bench-editor"))
            condition.summary = summary
            condition.save()
        workflow.sign_off(condition, physician, PASSWORD)
        workflow.publish(condition, users.get(username="bench-publisher"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
