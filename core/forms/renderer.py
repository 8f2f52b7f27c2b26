from django.forms.renderers import TemplatesSetting


class GOVUKFormRenderer(TemplatesSetting):
    """Renders every Django form and field with GOV.UK Design System markup.

    `{{ form }}` gives the fields in order; `{{ field.as_field_group }}` gives one question with its
    label, hint, error message and `aria-describedby`. The error summary is a separate include
    (`govuk/forms/error_summary.html`) placed at the top of `<main>` by the base template.
    """

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
