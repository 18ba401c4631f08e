"""Forms of the review screens. They collect input; the workflow functions decide."""

from django import forms

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
