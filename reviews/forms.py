"""Forms of the review screens. They collect input; the workflow functions decide."""

from django import forms


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


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason for unpublishing."},
    )


class CompareForm(forms.Form):
    old = forms.IntegerField(label="Older version")
    new = forms.IntegerField(label="Newer version")
