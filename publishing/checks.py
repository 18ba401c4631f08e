"""The system check: every registered kind of page offers the Publishable protocol."""

from django.core import checks

from publishing import registry
from publishing.protocol import PROTOCOL_METHODS


@checks.register()
def check_publishable_kinds(app_configs=None, **kwargs):
    errors = []
    for kind in registry.kinds():
        missing = [
            name for name in PROTOCOL_METHODS if not callable(getattr(kind.model, name, None))
        ]
        if missing:
            errors.append(
                checks.Error(
                    f"{kind.model._meta.label} is registered as a kind of page but lacks "
                    + ", ".join(f"{name}()" for name in missing)
                    + " of the Publishable protocol.",
                    hint="Mix in publishing.protocol.PublishableModel and define the rest.",
                    obj=kind.model,
                    id="publishing.E001",
                )
            )
        if not any(field.name == "slug" for field in kind.model._meta.get_fields()):
            errors.append(
                checks.Error(
                    f"{kind.model._meta.label} is registered as a kind of page but has no slug.",
                    obj=kind.model,
                    id="publishing.E002",
                )
            )
    return errors


def _offers(model, name) -> bool:
    return callable(getattr(model, name, None))
