from django import forms

from feedback.models import MESSAGE_MAX_LENGTH, Report

HONEYPOT = "website"


class ReportForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="What kind of problem is it?",
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of problem it is."},
    )
    # Left empty by people: hidden from them and from assistive technology, filled by bots.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Report
        fields = ["kind", "message", "contact"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH}),
        }
        labels = {"message": "Tell us what you noticed", "contact": "Your e-mail (optional)"}
        help_texts = {
            "message": "Say where on the page, and what should change. Do not include personal "
            "health information: we cannot give medical advice here.",
            "contact": "Only if you would like a reply. We use it for nothing else.",
        }
        error_messages = {
            "message": {"required": "Tell us what you noticed: the message cannot be empty."},
        }

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError("Tell us a little more: at least 10 characters.")
        return message
