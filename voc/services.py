"""Writes of Voice of the Customer (VC-9): fix the problem of an offer closed for a high NCX
rate by editing and relisting it, or by having its marketplace-held stock removed or disposed
of. Each takes the acting user, checks the rule, writes in one transaction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sellercx.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from sellercx.models import FulfilmentChannel, Offer, User
from sellercx.permissions import Access, Area
from sellercx.services import audit

from .models import OfferRelisting, RemovalOrder

MAX_REMOVAL_UNITS = 100_000


def _own_offer_for_update(*, user: User, offer_id: int) -> Offer:
    if not user.can(Area.VOC, Access.EDIT):
        raise PermissionDenied(_("Your user permissions do not allow this."))
    offer = Offer.objects.select_for_update().filter(pk=offer_id, seller_id=user.seller_id).first()
    if offer is None:  # AC-1: another account's offer is not found
        raise NotFound(_("No such offer."))
    return offer


def _is_closed_for_ncx(offer: Offer) -> bool:
    return offer.status == Offer.Status.CLOSED and offer.closure_reason == Offer.ClosureReason.NCX


@transaction.atomic
def relist_offer(*, user: User, offer_id: int, price: object, note: str) -> OfferRelisting:
    """VC-9: edit and relist an offer closed for a high NCX rate. The seller says what was
    fixed; the price may change. The last closure date stays (VC-1)."""
    offer = _own_offer_for_update(user=user, offer_id=offer_id)
    if not _is_closed_for_ncx(offer):
        raise RuleViolation(
            _("Only an offer closed for a high negative-experience rate can be relisted here."),
            code="NotClosedForNcx",
        )
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            _("Say what you fixed (listing, product, packaging…) before relisting."),
            details="note",
        )
    if len(note) > 2000:
        raise InvalidInput(_("Keep the note under 2,000 characters."), details="note")
    try:
        new_price = Decimal(str(price)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("The price must be a number."), details="price") from None
    if not new_price.is_finite() or new_price <= 0 or new_price >= Decimal("1e10"):
        raise InvalidInput(_("The price must be more than zero."), details="price")
    changes = {}
    if new_price != offer.price:
        changes["price"] = [str(offer.price), str(new_price)]
    offer.price = new_price
    offer.status = Offer.Status.ACTIVE
    offer.save(update_fields=["price", "status"])
    relisting = OfferRelisting.objects.create(
        offer=offer, seller_id=offer.seller_id, user=user, changes=changes, note=note
    )
    audit.record(
        actor=user,
        action=audit.Action.OFFER_RELISTED,
        seller_id=offer.seller_id,
        obj=offer,
        summary=_("Offer %(sku)s relisted") % {"sku": offer.sku},
        before={"status": Offer.Status.CLOSED, **{k: v[0] for k, v in changes.items()}},
        after={"status": Offer.Status.ACTIVE, **{k: v[1] for k, v in changes.items()}},
    )
    return relisting


@transaction.atomic
def create_removal_order(*, user: User, offer_id: int, kind: str, quantity: object) -> RemovalOrder:
    """VC-9: a removal (back to the seller) or disposal order for the stock of a
    marketplace-fulfilled offer."""
    offer = _own_offer_for_update(user=user, offer_id=offer_id)
    if offer.fulfilment_channel != FulfilmentChannel.MARKETPLACE:
        raise RuleViolation(
            _("Only the stock of a marketplace-fulfilled offer can be removed or disposed of."),
            code="NotMarketplaceFulfilled",
        )
    if offer.status == Offer.Status.DELETED:
        raise RuleViolation(_("This listing is deleted."), code="ListingDeleted")
    if kind not in RemovalOrder.Kind.values:
        raise InvalidInput(_("Choose removal or disposal."), details="kind")
    try:
        units = int(str(quantity))
    except (TypeError, ValueError):
        raise InvalidInput(_("The quantity must be a whole number."), details="quantity") from None
    if not 1 <= units <= MAX_REMOVAL_UNITS:
        raise InvalidInput(
            _("The quantity must be from 1 to %(max)s units.") % {"max": MAX_REMOVAL_UNITS},
            details="quantity",
        )
    order = RemovalOrder.objects.create(
        offer=offer,
        seller_id=offer.seller_id,
        marketplace_id=offer.marketplace_id,
        kind=kind,
        quantity=units,
        created_by=user,
        created_at=timezone.now(),
    )
    audit.record(
        actor=user,
        action=audit.Action.REMOVAL_ORDER_CREATED,
        seller_id=offer.seller_id,
        obj=order,
        summary=_("%(kind)s of %(units)s units of offer %(sku)s")
        % {"kind": order.get_kind_display(), "units": units, "sku": offer.sku},
        after={"kind": kind, "quantity": units},
    )
    return order
