from django import forms
from django.utils.translation import gettext_lazy as _

from sellercx.forms import DayInput

from .checks import Ground
from .services import MAX_REPLY


# The forms say what the services say (FB-6, FB-7): the same rule, the same words, in the
# browser as through the API; the services still check everything they are given.
class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Public reply"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the feedback. It cannot be edited; if deleted, never re-posted."),
        error_messages={
            "required": _("Write the reply first."),
            "max_length": _("A reply is at most %(limit_value)d characters."),
        },
    )


class RemovalForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Why should it be removed?"),
        choices=Ground.choices,
        error_messages={
            "required": _("Choose the ground of the request."),
            "invalid_choice": _("Choose the ground of the request."),
        },
    )
    note = forms.CharField(
        label=_("Anything the marketplace should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkRequestForm(forms.Form):
    """FB-11, UX-4: the orders of a purchase-date range in one marketplace, or in all of them
    (``marketplace`` empty). The preview and the confirmation post the same fields, so the
    requests sent are those previewed, checked again at send time."""

    purchased_from = forms.DateField(label=_("Orders purchased from"), widget=DayInput())
    purchased_to = forms.DateField(label=_("to"), widget=DayInput())
    marketplace = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, marketplace_codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marketplace"].choices = [("", ""), *((c, c) for c in marketplace_codes)]
