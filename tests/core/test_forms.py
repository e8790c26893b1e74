"""Select boxes say what choosing nothing does: 「すべて」 in a filter, 「選択してください」 where a
value is wanted."""

from django import forms
from django.utils.translation import override

from itaku.area.models import Area
from itaku.core.forms import FilterForm, choose_the_only_record
from itaku.people.models import Organization
from tests.area.factories import make_area


class Narrowing(FilterForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
    page_size = forms.ChoiceField(choices=[("10", "10"), ("50", "50")])


class Asking(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none())


def first_option(form: forms.Form, name: str) -> str:
    return str(form[name]).split("<option", 2)[1].split(">", 1)[1].split("</option>")[0]


def test_a_filters_empty_choice_reads_all():
    with override("ja"):
        form = Narrowing()
        assert first_option(form, "organization") == "すべて"
        assert first_option(form, "kind") == "すべて"
        assert first_option(form, "page_size") == "10"  # a required choice keeps its values


def test_a_required_choice_asks_to_choose_instead_of_dashes():
    with override("ja"):
        assert first_option(Asking(), "organization") == "選択してください"
    with override("en"):
        assert first_option(Narrowing(), "organization") == "All"


class Placing(forms.Form):
    area = forms.ModelChoiceField(queryset=Area.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_the_only_record(self, "area")


def test_a_choice_of_one_record_starts_on_it_and_of_two_asks(db):
    first = make_area()
    only = Placing()
    make_area(name="第二区域")
    two = Placing()

    assert only["area"].value() == first.pk
    assert f'<option value="{first.pk}" selected>' in str(only["area"])
    assert two["area"].value() is None
