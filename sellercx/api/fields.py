"""API-1: money as ``{"amount": "12.50", "currencyCode": "EUR"}``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MONEY_SCHEMA = {
    "type": "object",
    "required": ["amount", "currencyCode"],
    "properties": {
        "amount": {"type": "string", "format": "decimal", "example": "12.50"},
        "currencyCode": {"type": "string", "minLength": 3, "maxLength": 3, "example": "EUR"},
    },
}


@extend_schema_field(MONEY_SCHEMA)
class MoneyField(serializers.Field):
    """Reads ``{amount, currencyCode}`` and writes the amount as a Decimal.

    On output the currency is the marketplace's (``currency_from``: dotted path to it). On
    input the serializer's context may carry ``currency``: a different code is refused.
    """

    default_error_messages = {
        "invalid": _('Expected {"amount": "12.50", "currencyCode": "EUR"}.'),
        "currency": _("The currency must be the marketplace's ({expected})."),
        "negative": _("The amount cannot be negative."),
        "max_digits": _("The amount is too large."),
    }

    def __init__(self, *, currency_from: str = "marketplace.currency", **kwargs):
        self.currency_from = currency_from.split(".")
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        currency = instance
        for part in self.currency_from:
            currency = getattr(currency, part)
        return super().get_attribute(instance), currency

    def to_representation(self, value):
        amount, currency = value
        return {"amount": f"{Decimal(amount):.2f}", "currency_code": currency}

    def invalid(self):
        # Not ``self.fail("invalid")``: the message's braces are JSON, not format fields (a
        # malformed amount answered 500 with a KeyError, found by the API fuzzing, #9).
        raise serializers.ValidationError(self.error_messages["invalid"], code="invalid")

    def to_internal_value(self, data):
        if not isinstance(data, dict) or set(data) - {"amount", "currency_code"}:
            self.invalid()
        if not isinstance(data.get("amount"), str | int | float) or isinstance(
            data.get("amount"), bool
        ):
            self.invalid()
        try:
            amount = Decimal(str(data.get("amount")))
        except ArithmeticError:
            self.invalid()
        if not amount.is_finite():
            self.invalid()
        if amount < 0:
            self.fail("negative")
        if abs(amount) >= Decimal("1e10"):
            self.fail("max_digits")
        expected = self.context.get("currency")
        if expected and data.get("currency_code") != expected:
            self.fail("currency", expected=expected)
        return amount.quantize(Decimal("0.01"))


# Issue #9: the dates a marketplace reports are bounded. Nothing it sells predates 2000, and what
# already happened cannot be in the future (an allowance for clocks that drift, API-8).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def latest_past_time() -> datetime:
    """The latest time a reported past event may carry: now, plus the clock-skew allowance."""
    return timezone.now() + timedelta(seconds=settings.SELLERCX_CLOCK_SKEW_SECONDS)


class InstantField(serializers.DateTimeField):
    """An ISO 8601 date and time from 2000 on; ``past=True`` (the default): not in the future."""

    default_error_messages = {
        "too_early": _("Dates before 2000-01-01 are not accepted."),
        "future": _("This date is in the future."),
    }

    def __init__(self, *, past: bool = True, **kwargs):
        self.past = past
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if moment < EARLIEST:
            self.fail("too_early")
        if self.past and moment > latest_past_time():
            self.fail("future")
        return moment
