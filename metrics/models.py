"""Performance metrics (SPEC §5): one dated snapshot per seller, marketplace and metric (PM-5).

``value`` is in the metric's unit (rates as fractions 0..1, stars, points, a score out of 10),
``numerator`` / ``denominator`` are the counts behind it ("12 defects out of 1,480 orders"),
``breakdown`` the details a card shows (the ODR by defect kind, each with count, rate and
status). The target, margin and condition are copied in, so an old snapshot keeps the status
it had under the targets of its day.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellercx.models import DERIVED_KEY, Marketplace, SellerAccount

from .definitions import Condition, Metric, Status

# Rates as fractions to 6 places; counts and score points (PM-3) of the largest sellers too.
RATE = {"max_digits": 18, "decimal_places": 6}


class MetricSnapshot(models.Model):
    # Indexed by ``metric_snapshot_per_day`` and ``metric_snapshot_latest``, which lead with it.
    seller = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="+", db_index=False, **DERIVED_KEY
    )
    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.PROTECT, related_name="+", **DERIVED_KEY
    )
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices)
    day = models.DateField(_("as of the start of"))
    value = models.DecimalField(_("value"), null=True, blank=True, **RATE)
    numerator = models.IntegerField(_("counted"), default=0)
    denominator = models.IntegerField(_("out of"), default=0)
    breakdown = models.JSONField(_("breakdown"), default=dict, blank=True)
    target = models.DecimalField(_("target"), null=True, blank=True, **RATE)
    at_risk_margin = models.DecimalField(_("at-risk margin"), null=True, blank=True, **RATE)
    condition = models.CharField(
        _("condition"), max_length=3, choices=Condition.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("to (included)"))
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "marketplace", "metric", "day"], name="metric_snapshot_per_day"
            ),
            models.CheckConstraint(
                condition=Q(window_start__lte=models.F("window_end")),
                name="metric_snapshot_window",
            ),
        ]
        indexes = [
            # The unique key serves the history per metric; this one the latest day of a seller.
            models.Index(fields=["seller", "-day"], name="metric_snapshot_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.day}: {self.value}"
