"""Buyer–seller messaging (SPEC §4): conversations and their messages.

MS-1: a conversation is between one buyer and one seller in one marketplace, optionally about one
order. The surveys, the customer-service rating and contact response time (MS-2 … MS-5, CS-*)
build on these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellercx.models import DERIVED_KEY, Buyer, Marketplace, Order, SellerAccount


class Conversation(models.Model):
    seller = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="conversations"
    )
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="conversations")
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, related_name="conversations", null=True, blank=True
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # RV-6: the brand's "Contact the customer" that this conversation answers, if any.
    contact = models.OneToOneField(
        "reviews.CustomerContact",
        on_delete=models.SET_NULL,
        related_name="conversation",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    # What the inbox shows (MS-4), kept by database triggers on messaging_message (migration
    # 0005) whatever writes the messages: the inbox then sorts and pages on indexed columns
    # instead of aggregating every message of the account on each page view.
    awaiting_reply = models.BooleanField(_("awaiting a reply"), default=False, editable=False)
    # MS-4, MS-5: since when the seller has owed a reply — the oldest buyer message with no
    # seller message after it that is not marked "no response needed" (migration 0010); the
    # conversation awaits a reply exactly when it is set, and is late 24 hours after it.
    waiting_since = models.DateTimeField(
        _("waiting for a reply since"), null=True, blank=True, editable=False
    )
    last_body = models.TextField(_("last message"), blank=True, default="", editable=False)
    last_buyer_message_at = models.DateTimeField(
        _("last buyer message"), null=True, blank=True, editable=False
    )
    unread_count = models.PositiveIntegerField(_("unread"), default=0, editable=False)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(
                fields=["seller", "marketplace", "-last_message_at"], name="conversation_inbox"
            ),
            # The inbox (MS-4): those awaiting a reply first, the longest waiting first (nulls,
            # the answered ones, sort last in ascending order), then the most recent.
            models.Index(
                fields=["seller", "marketplace", "waiting_since", "-last_message_at", "-id"],
                name="conversation_waiting_mkt",
            ),
            models.Index(
                fields=["seller", "waiting_since", "-last_message_at", "-id"],
                name="conversation_waiting",
            ),
            models.Index(fields=["seller", "-last_message_at", "-id"], name="conversation_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(awaiting_reply=True, waiting_since__isnull=False)
                | Q(awaiting_reply=False, waiting_since__isnull=True),
                name="conversation_awaits_since",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or f"Conversation {self.pk}"


class Message(models.Model):
    class Direction(models.TextChoices):
        BUYER = "buyer", _("From the buyer")
        SELLER = "seller", _("From the seller")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    # The marketplace's id of a buyer message (API-6); empty for messages written here.
    external_id = models.CharField(_("marketplace message id"), max_length=64, blank=True)
    body = models.TextField(_("message"))
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True, help_text=_("[{name, contentType, size}]")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # MS-2: a seller message with no earlier buyer message in the conversation. FB-11: it is
    # the order's one non-critical contact, like a review request.
    proactive = models.BooleanField(_("proactive"), default=False)
    # MS-5: a buyer message the seller marked "no response needed" stops counting.
    no_response_needed_at = models.DateTimeField(
        _("no response needed since"), null=True, blank=True
    )
    # MS-5: on a buyer message, when the seller first wrote after it in the conversation (its
    # response); kept by triggers on this table (migration 0006), whatever writes the messages.
    first_reply_at = models.DateTimeField(_("first reply"), null=True, blank=True, editable=False)
    # RV-7: what the communication-guidelines check flagged for staff, if anything.
    guideline_flags = models.CharField(
        _("flagged for review"), max_length=200, blank=True, default=""
    )
    # SC-4: when the message reached SellerCX, whatever its ``sent_at`` (a storefront may
    # deliver late): a metric snapshot counts only the messages that had arrived by its day.
    received_at = models.DateTimeField(_("received"), db_default=Now(), editable=False)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "external_id"],
                condition=~Q(external_id=""),
                name="message_external_id_unique",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="message_not_empty"),
        ]
        indexes = [
            # Covering: response times (MS-5, PM-4) read buyer messages from the index alone.
            models.Index(
                fields=["seller", "direction", "sent_at"],
                include=["marketplace", "first_reply_at", "no_response_needed_at", "received_at"],
                name="message_seller_sent_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.body[:50]}"


class Survey(models.Model):
    """MS-2, MS-3: "Did this resolve your issue?" on a seller reply, answered once by the buyer
    through an explicit submission (never by following a link)."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="survey")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="surveys")
    # No index of its own: ``survey_seller_answered`` leads with the seller (a seller's
    # deletion and every read by seller go through it).
    seller = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=3, choices=Answer.choices, blank=True)
    answer_external_id = models.CharField(_("marketplace answer id"), max_length=64, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # SC-4: when the answer reached SellerCX, whatever its ``answered_at``: set by a trigger
    # (migration 0011) whatever writes the answer, so a week's rating counts only the answers
    # that had arrived by its start.
    answer_received_at = models.DateTimeField(
        _("answer received"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | Q(answer__in=["yes", "no"], answered_at__isnull=False),
                name="survey_answer_has_date",
            ),
            models.UniqueConstraint(
                fields=["marketplace", "answer_external_id"],
                condition=~Q(answer_external_id=""),
                name="survey_answer_external_id_unique",
            ),
        ]
        indexes = [
            # CS-3: the weekly recompute reads a window of each seller's answers, whatever the
            # marketplace: one range per seller, read from the index alone (CS-2). With the
            # marketplace second, every seller's whole history was read to find its window (#8).
            models.Index(
                fields=["seller", "answered_at"],
                include=["marketplace", "conversation", "answer", "id", "answer_received_at"],
                name="survey_seller_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"Survey on message {self.message_id}: {self.answer or 'unanswered'}"


class CustomerServiceRating(models.Model):
    """CS-1 … CS-9: one seller's rating in one marketplace for one week, kept for every week.

    ``answers`` counts the conversations whose latest answer falls in the 4 weeks before the
    week start (CS-2, CS-3); ``value`` is 10 × yes ÷ answers, one decimal (CS-4). Whether it is
    shown depends on the minimum of answers (CS-5), read when displaying, so changing the
    minimum never needs a recompute.
    """

    # Read through ``cs_rating_one_per_week`` (seller first); no index of their own, which
    # the weekly recompute would write for every row (#8).
    seller = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="+", db_index=False, **DERIVED_KEY
    )
    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.PROTECT, related_name="+", db_index=False, **DERIVED_KEY
    )
    week_start = models.DateField(_("week starting"))
    answers = models.PositiveIntegerField(_("answers counted"))
    yes_answers = models.PositiveIntegerField(_("“yes” answers"))
    value = models.DecimalField(_("rating"), max_digits=3, decimal_places=1)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("customer-service rating")
        verbose_name_plural = _("customer-service ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "marketplace", "week_start"], name="cs_rating_one_per_week"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="cs_rating_0_to_10"
            ),
            models.CheckConstraint(
                condition=Q(yes_answers__lte=models.F("answers")), name="cs_rating_yes_le_answers"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.week_start})"
