from django import forms


class UploadForm(forms.Form):
    # Made when the page is shown: the same form sent twice stores the file once.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="For example, 'Police chronology'. Leave empty to use the file name.",
    )
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select a file"},
        help_text="PDF, Word, Excel, OpenDocument text, PNG, JPEG, plain text or CSV, up to 20MB",
    )
