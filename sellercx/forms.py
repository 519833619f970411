"""Dashboard forms (AC-3 user management, AC-4 tokens)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .permissions import AREA_HEADINGS, Access, Area


class PermissionsForm(forms.Form):
    """One none / view / view-and-edit choice per area, grouped under the page's headings."""

    def __init__(self, *args, initial_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for area in Area:
            self.fields[area.value] = forms.TypedChoiceField(
                label=area.label,
                choices=Access.choices,
                coerce=int,
                initial=initial_user.access(area) if initial_user else Access.NONE,
                widget=forms.RadioSelect,
            )

    def headings(self):
        return [(heading, [self[area.value] for area in areas]) for heading, areas in AREA_HEADINGS]

    def permissions(self) -> dict[str, int]:
        return {area.value: self.cleaned_data[area.value] for area in Area}


class NewUserForm(PermissionsForm):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        help_text=_("At least 8 characters; they can change it after signing in."),
    )

    field_order = ["email", "name", "password"]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=80, help_text=_("e.g. “Repricer integration”")
    )


class DayInput(forms.DateInput):
    """A day picker: the browser's date input, whose value is always ISO (YYYY-MM-DD). Django's
    default would write the reader's format ("28.10.2026" in Polish), which a date input
    cannot read, so the field showed empty in French and Polish (UX-3)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
