"""RV-4: may this account contact the buyer of this review? One rule, used by the page, the API
and the admin. The conditions are checked in a fixed order and the first that fails is the one
the seller is shown under "Unable to contact customer"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from sellercx.models import SellerAccount

CONTACT_WINDOW = timedelta(days=365)  # RV-4(e): an order placed within the past year


class Reason:
    """Why "Contact the customer" is not offered, in the order they are checked."""

    ALREADY_CONTACTED = "already_contacted"
    RATING_TOO_HIGH = "rating_too_high"
    ACCOUNT_NOT_ELIGIBLE = "account_not_eligible"
    NOT_BRAND_REPRESENTATIVE = "not_brand_representative"
    NOT_VERIFIED_PURCHASE = "not_verified_purchase"
    NOT_SELLER_OF_RECORD = "not_seller_of_record"
    ORDER_TOO_OLD = "order_too_old"

    MESSAGES = {
        ALREADY_CONTACTED: _("You already contacted this customer about this review."),
        RATING_TOO_HIGH: _("Only reviews with 1 to 3 stars can be answered this way."),
        ACCOUNT_NOT_ELIGIBLE: _(
            "Only professional selling accounts in good standing can contact customers."
        ),
        NOT_BRAND_REPRESENTATIVE: _(
            "Your account does not hold the Brand Representative role for this brand."
        ),
        NOT_VERIFIED_PURCHASE: _("The review is not a verified purchase."),
        NOT_SELLER_OF_RECORD: _("You are not the seller of record for this order."),
        ORDER_TOO_OLD: _("The order was placed more than a year ago."),
    }


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str | None = None

    @property
    def message(self) -> str:
        return str(Reason.MESSAGES[self.reason]) if self.reason else ""


def contact_eligibility(
    *,
    review,
    account: SellerAccount,
    represented_brand_ids: set[int],
    now: datetime,
) -> Eligibility:
    """RV-4 (a)–(e), on a review loaded with ``verified_order`` and ``contact``: pure Python,
    so a page of reviews costs no query per review."""

    def no(reason: str) -> Eligibility:
        return Eligibility(False, reason)

    if getattr(review, "contact", None) is not None:
        return no(Reason.ALREADY_CONTACTED)  # RV-5: one contact per review
    if review.rating > 3:
        return no(Reason.RATING_TOO_HIGH)
    if (
        account.kind != SellerAccount.Kind.PROFESSIONAL
        or account.standing != SellerAccount.Standing.GOOD
    ):
        return no(Reason.ACCOUNT_NOT_ELIGIBLE)
    if review.brand_id is None or review.brand_id not in represented_brand_ids:
        return no(Reason.NOT_BRAND_REPRESENTATIVE)
    order = review.verified_order
    if order is None:
        return no(Reason.NOT_VERIFIED_PURCHASE)
    if order.seller_id != account.pk:
        return no(Reason.NOT_SELLER_OF_RECORD)
    if now - order.purchased_at > CONTACT_WINDOW:
        return no(Reason.ORDER_TOO_OLD)
    return Eligibility(True)
