"""Every write of product reviews and "Contact the customer" (SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sellercx.broker import try_enqueue
from sellercx.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from sellercx.models import (
    Marketplace,
    OrderLine,
    Product,
    Refund,
    SellerAccount,
    User,
)
from sellercx.permissions import Access, Area
from sellercx.services import audit
from sellercx.services.ingestion import ensure_buyers, lock_external_ids

from . import selectors
from .eligibility import Reason, contact_eligibility
from .models import CustomerContact, Review, ReviewRevision


@dataclass
class ReviewInput:
    external_id: str
    asin: str
    buyer_id: str
    rating: int
    title: str
    text: str
    posted_at: datetime | None = None


def _verified_orders(marketplace: Marketplace, pairs: set[tuple[int, int]]) -> dict:
    """RV-2: {(buyer_id, product_id): the buyer's latest order of the product}, one query."""
    if not pairs:
        return {}
    rows = (
        OrderLine.objects.filter(
            order__marketplace=marketplace,
            order__buyer_id__in={b for b, _ in pairs},
            offer__product_id__in={p for _, p in pairs},
        )
        .values(buyer=F("order__buyer_id"), product=F("offer__product_id"))
        .annotate(latest=Max("order_id"))
    )
    return {
        (r["buyer"], r["product"]): r["latest"] for r in rows if (r["buyer"], r["product"]) in pairs
    }


@transaction.atomic
def ingest_reviews(*, marketplace: Marketplace, rows: list[ReviewInput]) -> dict:
    """RV-1, RV-2, API-6: store new reviews and edits in a batch, in a fixed number of queries.

    A review is keyed by the marketplace's review id; sending it again unchanged does nothing,
    sending it changed is an edit (the earlier version is kept). All or nothing: a row with an
    unknown product, or a second review of one product by one buyer, refuses the batch.
    """
    lock_external_ids("review", marketplace, (r.external_id for r in rows))
    products = dict(
        Product.objects.filter(asin__in={r.asin for r in rows}).values_list("asin", "id")
    )
    brands = dict(Product.objects.filter(id__in=products.values()).values_list("id", "brand_id"))
    buyers = ensure_buyers(marketplace, {r.buyer_id for r in rows})
    existing = {
        review.external_id: review
        for review in Review.objects.filter(
            marketplace=marketplace, external_id__in=[r.external_id for r in rows]
        )
    }
    taken: dict[tuple[int, int], str] = {
        (buyer, product): external_id
        for buyer, product, external_id in Review.objects.filter(
            buyer_id__in=buyers.values(), product_id__in=products.values()
        ).values_list("buyer_id", "product_id", "external_id")
    }
    problems, seen = [], {}
    for index, row in enumerate(rows):
        product = products.get(row.asin)
        if product is None:
            problems.append({"field": f"reviews[{index}].asin", "message": _("Unknown ASIN.")})
            continue
        key = (buyers[row.buyer_id], product)
        stored = taken.get(key, row.external_id)
        if stored != row.external_id or seen.get(key, row.external_id) != row.external_id:
            problems.append(
                {
                    "field": f"reviews[{index}].reviewId",
                    "code": "Conflict",
                    "message": _("This buyer already reviewed this product (one review each)."),
                }
            )
        seen[key] = row.external_id
    if problems:
        raise InvalidInput(
            _("%(n)d row(s) of the batch were refused; nothing was stored.") % {"n": len(problems)},
            details=problems,
        )

    verified = _verified_orders(marketplace, {(buyers[r.buyer_id], products[r.asin]) for r in rows})
    now = timezone.now()
    new, edited, revisions = [], [], []
    for row in rows:
        buyer, product = buyers[row.buyer_id], products[row.asin]
        review = existing.get(row.external_id)
        if review is None:
            new.append(
                Review(
                    marketplace=marketplace,
                    product_id=product,
                    brand_id=brands.get(product),
                    buyer_id=buyer,
                    external_id=row.external_id,
                    rating=row.rating,
                    title=row.title,
                    text=row.text,
                    verified_order_id=verified.get((buyer, product)),
                    posted_at=row.posted_at or now,
                )
            )
        elif (review.rating, review.title, review.text) != (row.rating, row.title, row.text):
            # The edit's own time (its date, or now) ends the earlier version and starts this
            # one; when it arrived is the revision's ``received_at`` (SC-4).
            edited_at = row.posted_at or now
            revisions.append(
                ReviewRevision(
                    review=review,
                    rating=review.rating,
                    title=review.title,
                    text=review.text,
                    written_at=review.edited_at or review.posted_at,
                    replaced_at=edited_at,
                )
            )
            review.rating, review.title, review.text = row.rating, row.title, row.text
            review.edited_at = edited_at
            review.verified_order_id = review.verified_order_id or verified.get((buyer, product))
            edited.append(review)
    try:
        with transaction.atomic():
            Review.objects.bulk_create(new)
    except IntegrityError:
        raise Conflict(_("Another call stored one of these reviews; resend the batch.")) from None
    ReviewRevision.objects.bulk_create(revisions)
    Review.objects.bulk_update(edited, ["rating", "title", "text", "edited_at", "verified_order"])
    return {"received": len(rows), "created": len(new), "updated": len(edited)}


def _eligible_review(user: User, review_id: int) -> Review:
    review = (
        selectors.reviews_for_brand_dashboard(seller_id=user.seller_id)
        .select_for_update(of=("self",))
        .filter(pk=review_id)
        .first()
    )
    if review is None:  # AC-1: not a review of a brand this account represents
        raise NotFound(_("No such review."))
    account = SellerAccount.objects.get(pk=user.seller_id)
    eligibility = contact_eligibility(
        review=review,
        account=account,
        represented_brand_ids=set(selectors.represented_brand_ids(seller_id=user.seller_id)),
        now=timezone.now(),
    )
    if not eligibility.eligible:
        code = "AlreadyContacted" if eligibility.reason == Reason.ALREADY_CONTACTED else None
        raise RuleViolation(eligibility.message, code=code or "ContactNotAllowed")
    return review


@transaction.atomic
def contact_customer(*, user: User, review_id: int, reason: str) -> CustomerContact:
    """RV-4, RV-5: contact the buyer of a negative review, once, by a fixed e-mail in the
    marketplace's language. A courtesy refund also records a full refund of the order line,
    pending the buyer's acceptance. The e-mail leaves through a Celery task after commit."""
    if not user.can(Area.REVIEWS, Access.EDIT):
        raise PermissionDenied(_("Your user permissions do not allow this."))
    if reason not in CustomerContact.Reason.values:
        raise InvalidInput(_("Choose Courtesy refund or Customer service."), details="reason")
    review = _eligible_review(user, review_id)
    order = review.verified_order
    refund = None
    if reason == CustomerContact.Reason.COURTESY_REFUND:
        line = (
            OrderLine.objects.select_related("offer")
            .filter(order=order, offer__product_id=review.product_id)
            .first()
        )
        amount = line.unit_price * line.quantity if line else order.total
        refund = Refund.objects.create(
            seller_id=order.seller_id,
            marketplace_id=order.marketplace_id,
            order=order,
            offer=line.offer if line else None,
            external_id=f"CR-{review.pk}",
            origin=Refund.Origin.SELLERCX,
            occurred_at=timezone.now(),
            amount=max(amount, Decimal("0.01")),
            status=Refund.Status.PENDING,
            comment=_("Courtesy refund offered by the brand."),
        )
    try:
        with transaction.atomic():
            contact = CustomerContact.objects.create(
                review=review,
                seller_id=user.seller_id,
                order=order,
                reason=reason,
                language=review.marketplace.language,
                sent_by=user,
                refund=refund,
            )
    except IntegrityError:
        raise RuleViolation(
            str(Reason.MESSAGES[Reason.ALREADY_CONTACTED]), code="AlreadyContacted"
        ) from None
    audit.record(
        actor=user,
        action=audit.Action.CUSTOMER_CONTACTED,
        seller_id=user.seller_id,
        obj=contact,
        summary=_("Buyer of review %(review)s contacted: %(reason)s")
        % {"review": review.pk, "reason": contact.get_reason_display()},
        after={"reason": reason, "refund": str(refund.amount) if refund else None},
    )
    from .tasks import send_contact_email

    # With the broker down the contact is saved all the same, its e-mail still "queued": the
    # contact-email sweep (beat) sends it once Redis is back (issue #9).
    transaction.on_commit(
        lambda: try_enqueue(
            lambda: send_contact_email.delay(contact.pk), what=f"contact e-mail {contact.pk}"
        )
    )
    return contact
