"""Seller feedback (SPEC §2): what buyers say about the seller of an order, the seller's public
reply, removal requests and their decisions, solicitations, and the word list of the checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellercx.models import Buyer, Marketplace, Order, SellerAccount

from .checks import Decision, Ground, applicable_grounds


class Feedback(models.Model):
    """FB-1: a buyer's rating of the seller for one order (FB-2: one per order)."""

    class RemovedBy(models.TextChoices):
        BUYER = "buyer", _("the buyer")  # FB-5
        MARKETPLACE = "marketplace", _("the marketplace")  # FB-7 decision

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="feedback")
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="feedback")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(_("marketplace feedback id"), max_length=64)
    rating = models.PositiveSmallIntegerField(_("stars"))
    comment = models.TextField(_("comment"), blank=True)
    arrived_on_time = models.BooleanField(_("arrived on time"), null=True, blank=True)
    item_as_described = models.BooleanField(_("item as described"), null=True, blank=True)
    prompt_service = models.BooleanField(_("prompt and courteous service"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"))
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.CharField(
        _("removed by"), max_length=12, choices=RemovedBy.choices, blank=True
    )
    struck_through_at = models.DateTimeField(_("struck through"), null=True, blank=True)
    # SC-4: when the feedback reached SellerCX, whatever its ``left_at`` (a storefront may
    # deliver late or backfill): a recompute of a period counts only what had arrived by its
    # start, and judges removal and strike-through as of then.
    received_at = models.DateTimeField(_("received"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("seller feedback")
        verbose_name_plural = _("seller feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "external_id"], name="feedback_external_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by="")
                | Q(removed_at__isnull=False, removed_by__in=["buyer", "marketplace"]),
                name="feedback_removal_has_who_and_when",
            ),
        ]
        indexes = [
            # Covering: the metrics recompute reads a window of feedback, and the negative
            # feedback of its orders, from the index alone (PM-1, PM-2, #8).
            models.Index(
                fields=["seller", "marketplace", "-left_at"],
                include=["rating", "removed_at", "struck_through_at", "order", "received_at"],
                name="feedback_seller_mkt_left_cover",
            ),
            # The account's feedback list (API, all marketplaces), newest first.
            models.Index(fields=["seller", "-left_at", "-id"], name="feedback_seller_left"),
            # The "item not as described" feedback, by order, with whether it counted at a
            # given time (SC-4): the VOC recompute and offer page look up each order of an
            # offer here (VC-3, #8); a few % of all feedback.
            models.Index(
                fields=["order"],
                include=["left_at", "removed_at", "struck_through_at", "received_at"],
                condition=Q(item_as_described=False),
                name="feedback_not_as_described",
            ),
            # PM-6: the orders with negative feedback of one account, for the drill-down's
            # defects (a tenth of the feedback: 1 and 2 stars, FB-9) (#8).
            models.Index(
                fields=["seller", "left_at"],
                include=["order", "removed_at", "struck_through_at", "received_at"],
                condition=Q(rating__lte=2),
                name="feedback_seller_negative",
            ),
        ]

    def __str__(self) -> str:
        return _("%(stars)d★ on order %(order)s") % {"stars": self.rating, "order": self.order_id}

    @property
    def counts(self) -> bool:
        """Removed and struck-through feedback stop counting everywhere (FB-5, FB-7)."""
        return self.removed_at is None and self.struck_through_at is None

    @property
    def kind(self) -> str:
        """FB-4: 1–2 negative, 3 neutral, 4–5 positive."""
        return rating_kind(self.rating)

    @property
    def removal_grounds_that_apply(self) -> list[str]:
        """FB-7: the grounds a removal request of this feedback could be granted on (reads the
        order, which the selectors and services load with it)."""
        return applicable_grounds(
            rating=self.rating,
            comment=self.comment,
            marketplace_fulfilled=self.order.fulfilment_channel == "marketplace",
            arrived_late=self.arrived_on_time is False,
        )

    @property
    def has_pending_removal(self) -> bool:
        """A removal request awaits a decision (FB-7), read from the prefetched requests."""
        removals = getattr(self, "removal_list", None)
        if removals is None:
            removals = self.removals.all()
        return any(r.status == RemovalRequest.Status.PENDING for r in removals)


def rating_kind(rating: int) -> str:
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


def counting() -> Q:
    """The feedback that counts (for querysets): neither removed nor struck through."""
    return Q(removed_at__isnull=True, struck_through_at__isnull=True)


class FeedbackReply(models.Model):
    """FB-6: the seller's one public reply. Deleting keeps the row, so none can be re-posted."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="reply")
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("reply"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # RV-7: what the communication-guidelines check flagged for staff to look at, if anything.
    guideline_flags = models.CharField(
        _("flagged for review"), max_length=200, blank=True, default=""
    )

    class Meta:
        verbose_name = _("public reply")
        verbose_name_plural = _("public replies")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="feedback_reply_not_empty")
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None


class RemovalRequest(models.Model):
    """FB-7: the seller asks the marketplace to remove a feedback that breaks the guidelines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Under review")
        REMOVED = Decision.REMOVED.value, Decision.REMOVED.label
        STRUCK_THROUGH = Decision.STRUCK_THROUGH.value, Decision.STRUCK_THROUGH.label
        DECLINED = Decision.DECLINED.value, Decision.DECLINED.label

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="removals")
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices)
    note = models.TextField(_("seller's explanation"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for an automatic decision."),
    )
    automatic = models.BooleanField(_("decided automatically"), default=False)
    decision_reason = models.TextField(_("reason given to the seller"), blank=True)
    evidence = models.CharField(_("what the check found"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("removal request")
        verbose_name_plural = _("removal requests")
        constraints = [
            # One open request per feedback.
            models.UniqueConstraint(
                fields=["feedback"],
                condition=Q(status="pending"),
                name="removal_one_open_per_feedback",
            ),
            # A declined request can be followed only on a different ground.
            models.UniqueConstraint(fields=["feedback", "ground"], name="removal_one_per_ground"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="removal_decided_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status"], name="removal_seller_status"),
            models.Index(
                fields=["requested_at"],
                condition=Q(status="pending"),
                name="removal_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_ground_display()} ({self.get_status_display()})"


class AbusiveWord(models.Model):
    """FB-7(d): the obscene and abusive words the automatic check looks for, per language."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    word = models.CharField(
        _("word or phrase"),
        max_length=80,
        help_text=_(
            "Matched as a whole word, ignoring case and accents; end with * to match any "
            "ending (kurw* matches kurwa, kurwy)."
        ),
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["language", "word"]
        verbose_name = _("abusive word")
        verbose_name_plural = _("abusive words")
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="abusive_word_unique")
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.language})"


class Solicitation(models.Model):
    """FB-11: the one fixed-template request for seller feedback and a product review."""

    KIND = "productReviewAndSellerFeedback"

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="solicitation")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    bulk = models.BooleanField(_("sent in bulk"), default=False)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        indexes = [models.Index(fields=["seller", "-sent_at"], name="solicitation_seller_sent")]

    def __str__(self) -> str:
        return _("Review request for order %(order)s") % {"order": self.order_id}
