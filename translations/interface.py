"""Interface strings the public page shows from the English document (the treatment groups'
headings), marked so makemessages finds them; the template translates them as it renders."""

from django.utils.translation import gettext_noop

TREATMENT_GROUP_HEADINGS = [
    gettext_noop("First-line treatments"),
    gettext_noop("Escalation treatments"),
    gettext_noop("Specialist treatments"),
    gettext_noop("Investigational treatments"),
]
