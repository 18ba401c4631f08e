"""Forms of the review screens. They collect input; the workflow functions decide."""

from django import forms
from django.utils import timezone

CHANGE_SUMMARY_HELP = (
    "Shown to readers in the page's public history, once a physician approves it: "
    "“Updated the ketamine evidence with a 2025 trial.”"
)


def change_summary_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=500,
        help_text=CHANGE_SUMMARY_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def significance_field():
    return forms.BooleanField(
        label="Clinically significant change",
        required=False,
        help_text="The change alters clinical advice, not only wording.",
    )


class SignOffForm(forms.Form):
    reviewed_digest = forms.CharField(widget=forms.HiddenInput)
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Signing is a clinical attestation: enter your password again.",
    )
    note = forms.CharField(
        label="Note for the record", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    change_summary = change_summary_field("Public change summary (you approve it)")
    clinically_significant = significance_field()


class RequestChangesForm(forms.Form):
    note = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what needs to change: the editor reads this note."},
    )


class SubmitForm(forms.Form):
    note = forms.CharField(
        label="Note to the reviewer", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    change_summary = change_summary_field("Public change summary")
    clinically_significant = significance_field()


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason for unpublishing."},
    )


class CompareForm(forms.Form):
    old = forms.IntegerField(label="Older version")
    new = forms.IntegerField(label="Newer version")


def in_your_zone(form, *names):
    """Name the active zone (the person's, in the admin) beside each typed time: the form reads
    what they type in it."""
    zone = timezone.get_current_timezone_name()
    for name in names:
        field = form.fields[name]
        field.label = f"{field.label} ({zone})"
        field.help_text = f"In your time zone, {zone}; change it under “Time zone” at the top."


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Go live at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Choose the date and time the page should go live.",
            "invalid": "Enter the date and time the page should go live, like 2026-12-01 09:00.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        in_your_zone(self, "publish_at")


class TakedownForm(forms.Form):
    take_down_at = forms.DateTimeField(
        label="Take down at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Choose the date and time the page should come off the public site.",
            "invalid": "Enter the date and time the page should come off the site, like "
            "2026-12-01 09:00.",
        },
    )
    take_down_reason = forms.CharField(
        label="Reason for taking it down",
        widget=forms.TextInput(attrs={"id": "id_take_down_reason"}),
        error_messages={
            "required": "Give a reason for taking the page down: it goes on the page's timeline."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        in_your_zone(self, "take_down_at")


class CancelTakedownForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.TextInput(attrs={"id": "id_cancel_takedown_reason"}),
    )


class CancelScheduleForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.TextInput(attrs={"id": "id_cancel_reason"}),
    )


class CommentForm(forms.Form):
    anchor = forms.ChoiceField(
        label="About",
        error_messages={"required": "Choose the part of the page the comment is about."},
    )
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the comment."},
    )

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        sections = {}
        for part in parts:
            sections.setdefault(part.section, []).append(
                (part.anchor, _clip(part.label, part.text))
            )
        self.fields["anchor"].choices = [("", "Choose a part of the page…"), *sections.items()]


class ReplyForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the reply."},
    )


class ResolveForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)


def _clip(label, text, length=70) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= length else text[: length - 1].rstrip() + "…"
    return f"{label}: {text}" if label != text else label
