from django import forms


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note for the case record",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional. Why you are taking this step.",
    )
