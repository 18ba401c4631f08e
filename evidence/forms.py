from django import forms

from evidence.models import InboxRecord


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[c for c in InboxRecord.Decision.choices if c[0] != InboxRecord.Decision.NEW]
    )
    import_reference = forms.BooleanField(
        required=False, label="Import it as a reference of the library"
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the finding does not hold for this study, for example a retraction "
        "and replacement under the same DOI.",
    )
    password = forms.CharField(
        widget=forms.PasswordInput, help_text="Your password: the dismissal is signed as yours."
    )
