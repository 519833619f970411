"""FilterSets shared by the dashboard lists and the API lists (one definition, two surfaces).

Each has a ``sort`` filter: the dashboard orders by it, and the API's cursor pagination reads
the same mapping (``NextTokenPagination.get_ordering``).
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelChoiceField

from .forms import DayInput
from .models import AuditEntry, FulfilmentChannel, Marketplace, Offer, Order, User


class StableOrderingFilter(filters.OrderingFilter):
    """The chosen sort, then the id the same way: rows of equal value (a status, a rating, a
    price) keep one order from page to page, as the API's cursor sorts them
    (``NextTokenPagination.get_ordering``)."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        last = ordering[-1]
        descending = last.startswith("-") if isinstance(last, str) else last.descending
        return qs.order_by(*ordering, "-pk" if descending else "pk")


class SearchFilter(filters.CharFilter):
    """A free-text box over several fields (case-insensitive, contains)."""

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        self.search_fields = fields
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        query = Q()
        for name in self.search_fields:
            query |= Q(**{f"{name}__icontains": value.strip()})
        return qs.filter(query)


def _sellers_marketplaces(request):
    seller_id = getattr(getattr(request, "user", None), "seller_id", None)
    return Marketplace.objects.filter(sellermarketplace__seller_id=seller_id).order_by("code")


class MarketplaceField(ModelChoiceField):
    """A marketplace by code, as the switcher writes it: ``FR`` or ``fr``; ``all`` is no filter
    (UX-2: "All marketplaces" is named in the URL like any other choice)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "" if value.strip().lower() == "all" else value.strip().upper()
        return super().to_python(value)


class MarketplaceFilter(filters.ModelChoiceFilter):
    field_class = MarketplaceField


def marketplace_filter() -> filters.ModelChoiceFilter:
    """``marketplace=FR``: one of the caller's marketplaces, by code (``all``: every one)."""
    return MarketplaceFilter(
        queryset=_sellers_marketplaces,
        to_field_name="code",
        label=_("Marketplace"),
        empty_label=_("All marketplaces"),
    )


ANY = _("Any")


class OfferFilter(filters.FilterSet):
    marketplace = marketplace_filter()
    status = filters.ChoiceFilter(choices=Offer.Status.choices, label=_("Status"), empty_label=ANY)
    fulfilment_channel = filters.ChoiceFilter(
        choices=FulfilmentChannel.choices, label=_("Fulfilment"), empty_label=ANY
    )
    q = SearchFilter(
        fields=("sku", "product__asin", "product__title"), label=_("SKU, ASIN or title")
    )
    sort = StableOrderingFilter(
        fields=(
            ("sku", "sku"),
            ("product__title", "title"),
            ("price", "price"),
            ("status", "status"),
            ("created_at", "created"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Offer
        fields = ["marketplace", "status", "fulfilment_channel", "q"]


class OrderFilter(filters.FilterSet):
    marketplace = marketplace_filter()
    status = filters.ChoiceFilter(choices=Order.Status.choices, label=_("Status"), empty_label=ANY)
    fulfilment_channel = filters.ChoiceFilter(
        choices=FulfilmentChannel.choices, label=_("Fulfilment"), empty_label=ANY
    )
    purchased_after = filters.DateFilter(
        field_name="purchased_at",
        lookup_expr="date__gte",
        label=_("Purchased from"),
        widget=DayInput(),
    )
    purchased_before = filters.DateFilter(
        field_name="purchased_at",
        lookup_expr="date__lte",
        label=_("Purchased until"),
        widget=DayInput(),
    )
    q = SearchFilter(fields=("external_id", "buyer__alias"), label=_("Order id or buyer"))
    sort = StableOrderingFilter(
        fields=(("purchased_at", "purchaseDate"), ("total", "total"), ("status", "status")),
        label=_("Sort"),
    )

    class Meta:
        model = Order
        fields = ["marketplace", "status", "fulfilment_channel", "q"]


def _account_users(request):
    seller_id = getattr(getattr(request, "user", None), "seller_id", None)
    return User.objects.filter(seller_id=seller_id).order_by("email")


class AuditFilter(filters.FilterSet):
    """Issue #9: the account's activity log, by action, person and day (UTC)."""

    action = filters.ChoiceFilter(
        choices=AuditEntry.Action.choices, label=_("Action"), empty_label=ANY
    )
    actor = filters.ModelChoiceFilter(queryset=_account_users, label=_("Who"), empty_label=ANY)
    since = filters.DateFilter(
        field_name="created_at__date", lookup_expr="gte", label=_("From"), widget=DayInput()
    )
    until = filters.DateFilter(
        field_name="created_at__date", lookup_expr="lte", label=_("To"), widget=DayInput()
    )
    q = SearchFilter(fields=("summary", "actor_label", "token_name"), label=_("Search"))

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "since", "until", "q"]
