"""Which GOV.UK component a Django widget renders as."""

from django import forms

from core.templatetags.govuk import widget_kind


class _Form(forms.Form):
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_a_select_all_that_apply_question_is_checkboxes_not_radios() -> None:
    form = _Form()
    assert widget_kind(form["many"]) == "checkboxes"
    assert widget_kind(form["one"]) == "radios"
