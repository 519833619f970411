"""Voice of the Customer (SPEC §6): each offer's weekly NCX rate and CX status, kept as history
(VC-13), the current figures the dashboard sorts and filters on, and what the seller does about
an offer closed for a high NCX rate (VC-9): relist it, or remove or dispose of its stock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellercx.models import DERIVED_KEY, Marketplace, Offer, SellerAccount


class CXStatus(models.TextChoices):
    """VC-5, VC-6; an empty status means none (VC-7: no order in the window)."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    VERY_POOR = "very_poor", _("Very poor")
    INSUFFICIENT = "insufficient", _("Insufficient feedback")


RATE = {"max_digits": 7, "decimal_places": 6, "null": True, "blank": True}


class CXFigures(models.Model):
    """What one weekly recompute says about one offer (VC-2 … VC-8)."""

    # No index of their own: the weekly recompute writes every offer's row, and each index is
    # written too; marketplaces are never deleted (benchmarks, issue #8). No constraint in the
    # database either (DERIVED_KEY). A row's seller is its offer's, which never changes: a
    # seller's deletion reaches the rows through its offers (``offer`` cascades, by key), so
    # nothing here reads them by seller for it.
    seller = models.ForeignKey(
        SellerAccount, on_delete=models.DO_NOTHING, related_name="+", db_index=False, **DERIVED_KEY
    )
    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.PROTECT, related_name="+", db_index=False, **DERIVED_KEY
    )
    week_start = models.DateField(_("week starting"))
    orders = models.PositiveIntegerField(_("orders in the window"), default=0)
    ncx_orders = models.PositiveIntegerField(_("NCX orders"), default=0)
    ncx_rate = models.DecimalField(_("NCX rate"), **RATE)
    ci_low = models.DecimalField(_("lower bound"), **RATE)
    ci_high = models.DecimalField(_("upper bound"), **RATE)
    peer_rate = models.DecimalField(_("similar offers' NCX rate"), **RATE)
    peer_orders = models.PositiveIntegerField(_("similar offers' orders"), default=0)
    status = models.CharField(
        _("CX status"), max_length=12, choices=CXStatus.choices, blank=True, default=""
    )
    top_reason = models.CharField(_("most common reason"), max_length=40, blank=True, default="")
    last_updated = models.DateField(_("last updated"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def status_word(self) -> str:
        return CXStatus(self.status).label if self.status else ""


class OfferCXWeek(CXFigures):
    """VC-13: the figures of every offer for every week, so fixes can be seen to work."""

    # Indexed by the unique (offer, week_start) below.
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="cx_weeks", db_index=False, **DERIVED_KEY
    )

    class Meta:
        verbose_name = _("offer CX week")
        verbose_name_plural = _("offer CX weeks")
        ordering = ["offer", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "week_start"], name="offer_cx_week_unique"),
            models.CheckConstraint(
                condition=Q(ncx_orders__lte=F("orders")), name="offer_cx_week_ncx_le_orders"
            ),
        ]
        # No index by seller: every read is one offer's history, and each week writes a row
        # for every offer (#8).

    def __str__(self) -> str:
        return f"{self.offer_id} {self.week_start}: {self.status or '-'}"


class OfferCXStatus(CXFigures):
    """The latest week's figures of each offer: what the VOC dashboard lists, sorts and filters.

    VC-10: a deleted offer's row is no longer updated, so it keeps its last status."""

    offer = models.OneToOneField(
        Offer, on_delete=models.CASCADE, primary_key=True, related_name="cx", **DERIVED_KEY
    )

    class Meta:
        verbose_name = _("offer CX status")
        verbose_name_plural = _("offer CX statuses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ncx_orders__lte=F("orders")), name="offer_cx_status_ncx_le_orders"
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status"], name="offer_cx_status_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.status or '-'}"


class OfferRelisting(models.Model):
    """VC-9: the seller edited and relisted an offer closed for a high NCX rate."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="relistings")
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("what was fixed"))
    relisted_at = models.DateTimeField(_("relisted"), default=timezone.now)

    class Meta:
        verbose_name = _("relisting")
        verbose_name_plural = _("relistings")
        ordering = ["-relisted_at"]

    def __str__(self) -> str:
        return f"{self.offer_id} relisted {self.relisted_at:%Y-%m-%d}"


class RemovalOrder(models.Model):
    """VC-9: for a marketplace-fulfilled offer, have the stock sent back or disposed of."""

    class Kind(models.TextChoices):
        REMOVAL = "removal", _("Return the stock to me")
        DISPOSAL = "disposal", _("Dispose of the stock")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="removal_orders")
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    quantity = models.PositiveIntegerField(_("units"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("removal order")
        verbose_name_plural = _("removal orders")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="removal_order_quantity"),
        ]
        indexes = [models.Index(fields=["seller", "-created_at"], name="removal_order_seller")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} × {self.quantity} ({self.offer_id})"
