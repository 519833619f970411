"""Product reviews (SPEC §3): what buyers say about a product, its edit history, and the brand's
"Contact the customer" on a negative review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellercx.models import Brand, Buyer, Marketplace, Order, Product, Refund, SellerAccount


class Review(models.Model):
    """RV-1: a buyer's review of a product (one per buyer and product), editable at any time."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="reviews")
    # The product's brand when the review arrived: the brand dashboard filters on it (RV-3).
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="reviews", null=True, blank=True
    )
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="reviews")
    external_id = models.CharField(_("marketplace review id"), max_length=64)
    rating = models.PositiveSmallIntegerField(_("stars"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("review"))
    # RV-2: the buyer's order of this product, when there is one (a verified purchase).
    verified_order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, db_index=False
    )
    posted_at = models.DateTimeField(_("posted"))
    # The time of the latest edit; set with every revision (its earlier versions).
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    # SC-4: when the review reached SellerCX, whatever its date: a recompute of a period counts
    # only what had arrived by its start.
    received_at = models.DateTimeField(_("received"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("product review")
        verbose_name_plural = _("product reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "external_id"], name="review_external_id_unique"
            ),
            models.UniqueConstraint(fields=["buyer", "product"], name="review_one_per_buyer"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]
        indexes = [
            # RV-3: a page of the brand dashboard's list is chosen on this index alone, brand
            # by brand, with what its filters and sorts read (#8).
            models.Index(
                fields=["brand", "-posted_at", "-id"],
                include=["rating", "marketplace"],
                name="review_brand_posted_cover",
            ),
            models.Index(fields=["product", "-posted_at"], name="review_product_posted"),
            # VC-3: the verified reviews of an order, with what the VOC recompute reads of them
            # (a low rating makes a negative experience; SC-4: a review edited since is read
            # in its revisions): each window order is looked up in the index alone, not in the
            # table (#8). Also the order key's index (SET_NULL).
            models.Index(
                fields=["verified_order"],
                include=["rating", "product", "posted_at", "received_at", "edited_at", "id"],
                condition=Q(verified_order__isnull=False),
                name="review_verified_order_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title}"

    @property
    def is_verified_purchase(self) -> bool:
        return self.verified_order_id is not None


class ReviewRevision(models.Model):
    """RV-1: the earlier versions of an edited review, newest last. A version stood from
    ``written_at`` until the edit that replaced it, dated ``replaced_at`` and received by
    SellerCX at ``received_at`` (SC-4: a period counts the version that stood at its start)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    rating = models.PositiveSmallIntegerField(_("stars"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("review"))
    written_at = models.DateTimeField(_("written"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    received_at = models.DateTimeField(_("replacement received"), db_default=Now(), editable=False)

    class Meta:
        ordering = ["replaced_at"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")

    def __str__(self) -> str:
        return _("%(stars)d★ %(title)s (until %(date)s)") % {
            "stars": self.rating,
            "title": self.title,
            "date": f"{self.replaced_at:%Y-%m-%d}",
        }


class CustomerContact(models.Model):
    """RV-5: the brand's one contact on a review, by a fixed e-mail in the marketplace's
    language: a courtesy refund, or a request to talk through buyer–seller messaging."""

    class Reason(models.TextChoices):
        COURTESY_REFUND = "courtesy_refund", _("Courtesy refund")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")

    class EmailStatus(models.TextChoices):
        QUEUED = "queued", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="contact")
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    language = models.CharField(_("language"), max_length=8)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("contacted"), default=timezone.now)
    email_status = models.CharField(
        _("e-mail"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    refund = models.OneToOneField(
        Refund, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        indexes = [models.Index(fields=["seller", "-created_at"], name="contact_seller_created")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="courtesy_refund") | Q(refund__isnull=False),
                name="contact_refund_has_refund",
            )
        ]

    def __str__(self) -> str:
        return _("%(reason)s on review %(review)s") % {
            "reason": self.get_reason_display(),
            "review": self.review_id,
        }
