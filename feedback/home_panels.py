"""FB-8, FB-9 on the dashboard home: each marketplace's last 90 days of feedback (count,
average stars, positive and negative shares) and the negative feedback warning."""

from decimal import Decimal

from sellercx.home import register_panel
from sellercx.permissions import Area

from .policies import NEGATIVE_RATE_WARNING
from .selectors import negative_rates_90_days


@register_panel(order=20, area=Area.FEEDBACK, template="feedback/_home_panel.html")
def feedback_panel(*, seller_id: int, marketplace_code: str | None) -> dict:
    rates = [
        {
            **rate,
            # Shares as fractions, like every rate the templates format (``percent``).
            "positive_share": Decimal(rate["positive"]) / rate["total"],
            "negative_share": Decimal(rate["negative"]) / rate["total"],
        }
        for rate in negative_rates_90_days(seller_id=seller_id, marketplace_code=marketplace_code)
    ]
    threshold = NEGATIVE_RATE_WARNING.value()
    return {
        "rates": rates,
        "threshold": threshold,
        "threshold_share": Decimal(threshold) / 100,
        # The first marketplace over FB-9's threshold, where the warning's link leads.
        "warning": next((rate["marketplace"] for rate in rates if rate["warning"]), None),
    }
