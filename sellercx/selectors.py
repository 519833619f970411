"""Read queries of the shared core, already scoped to one seller account (AC-1)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .errors import NotFound
from .models import (
    ApiToken,
    AtoZClaim,
    AuditEntry,
    Chargeback,
    CustomerServiceContact,
    Marketplace,
    Offer,
    Order,
    OrderLine,
    Refund,
    Return,
    SellerAccount,
    User,
)
from .permissions import Area


def seller_marketplaces(*, seller: SellerAccount | int) -> QuerySet[Marketplace]:
    """The marketplaces the account sells in, by code."""
    return Marketplace.objects.filter(sellermarketplace__seller=seller).order_by("code")


def offers_of_seller(*, seller_id: int) -> QuerySet[Offer]:
    return Offer.objects.filter(seller_id=seller_id).select_related(
        "marketplace", "product__brand", "product__category"
    )


def orders_of_seller(*, seller_id: int) -> QuerySet[Order]:
    return (
        Order.objects.filter(seller_id=seller_id)
        .select_related("marketplace", "buyer")
        .annotate(item_count=line_count())
    )


def line_count() -> Coalesce:
    """The order's number of lines, as a correlated subquery: a page of 20 orders counts the
    lines of those 20, where a join and GROUP BY would count every order of the seller first."""
    lines = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(lines), 0)


def order_detail(*, seller_id: int, order_id: int) -> Order:
    """One order of the account with its lines and every post-order event, or NotFound."""
    events = {
        "returns": Return.objects.select_related("reason", "offer"),
        "refunds": Refund.objects.select_related("reason"),
        "atozclaims": AtoZClaim.objects.select_related("reason"),
        "chargebacks": Chargeback.objects.all(),
        "customerservicecontacts": CustomerServiceContact.objects.select_related("reason"),
    }
    order = (
        Order.objects.filter(seller_id=seller_id, pk=order_id)
        .select_related("marketplace", "buyer")
        .prefetch_related(
            Prefetch("lines", OrderLine.objects.select_related("offer__product")),
            *(Prefetch(name, qs.order_by("occurred_at")) for name, qs in events.items()),
        )
        .first()
    )
    if order is None:
        raise NotFound("No such order.")
    return order


def home_counts(*, seller_id: int, marketplace_code: str | None = None) -> dict:
    """The dashboard home's figures for the account, optionally for one marketplace."""
    offers = Offer.objects.filter(seller_id=seller_id)
    orders = Order.objects.filter(seller_id=seller_id)
    if marketplace_code:
        offers = offers.filter(marketplace__code=marketplace_code)
        orders = orders.filter(marketplace__code=marketplace_code)
    offer_counts = offers.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=Offer.Status.ACTIVE)),
    )
    since = timezone.now() - timedelta(days=30)
    # Two counts, not one with a FILTER (#8): the last 30 days are a range of the (seller,
    # purchase date) index, read alone instead of testing the date of every order.
    return {
        "offers": offer_counts["total"],
        "active_offers": offer_counts["active"],
        "orders": orders.count(),
        "orders_30_days": orders.filter(purchased_at__gte=since).count(),
        "marketplaces": seller_marketplaces(seller=seller_id).count(),
    }


def account_users(*, seller_id: int) -> QuerySet[User]:
    return User.objects.filter(seller_id=seller_id).order_by("-is_active", "email")


def visible_areas(user: User) -> set[str]:
    """The areas whose menu entries the user sees (AC-2: view or better)."""
    return {area.value for area in Area if user.can(area)}


def tokens_of_user(*, user: User) -> QuerySet[ApiToken]:
    from .services.tokens import tokens_manageable_by

    return tokens_manageable_by(user).select_related("user").order_by("revoked_at", "-created_at")


EVENT_KINDS = {
    "returns": "return",
    "refunds": "refund",
    "atozclaims": "claim",
    "chargebacks": "chargeback",
    "customerservicecontacts": "contact",
}


def order_events(order: Order) -> list:
    """Every post-order event of an order prefetched by ``order_detail``, oldest first, each
    tagged with its ``kind`` (return, refund, claim, chargeback, contact)."""
    events = []
    for related, kind in EVENT_KINDS.items():
        for event in getattr(order, related).all():
            event.kind = kind
            events.append(event)
    return sorted(events, key=lambda event: event.occurred_at)


def main_marketplace(*, seller_id: int) -> Marketplace | None:
    """UX-2: where a seller lands: the marketplace of the account with the most orders (the
    first by code on a tie, or when there is no order yet); ``None`` when it sells nowhere. One
    query: an index-only count per marketplace on the (seller, marketplace, ...) order index."""
    orders = (
        Order.objects.filter(seller_id=seller_id, marketplace_id=OuterRef("pk"))
        .order_by()
        .values("marketplace_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        seller_marketplaces(seller=seller_id)
        .annotate(orders=Coalesce(Subquery(orders), 0))
        .order_by("-orders", "code")
        .first()
    )


def chosen_marketplace(*, seller_id: int, code: str | None) -> Marketplace | None:
    """FB-10 / UX-2: the marketplace a per-marketplace page shows: the switcher's, else the
    account's main one (``main_marketplace``); ``None`` when the account sells nowhere."""
    if code:
        chosen = seller_marketplaces(seller=seller_id).filter(code=code).first()
        if chosen is not None:
            return chosen
    return main_marketplace(seller_id=seller_id)


def required_marketplace(*, seller_id: int, code: str | None) -> Marketplace:
    """The API's ``marketplace=FR`` for per-marketplace figures: one of the caller's, or 400."""
    from django.utils.translation import gettext as _

    from .errors import InvalidInput

    marketplace = seller_marketplaces(seller=seller_id).filter(code=(code or "").upper()).first()
    if marketplace is None:
        raise InvalidInput(
            _("Give one of your marketplaces, e.g. marketplace=FR."), details="marketplace"
        )
    return marketplace


def audit_entries(*, seller_id: int) -> QuerySet[AuditEntry]:
    """Issue #9: the account's activity log, newest first; the log's own columns only."""
    return AuditEntry.objects.filter(seller_id=seller_id).order_by("-created_at", "-id")
