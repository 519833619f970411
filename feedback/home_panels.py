"""FB-9: the negative feedback warning on the dashboard home."""

from sellercx.home import register_panel
from sellercx.permissions import Area

from .policies import NEGATIVE_RATE_WARNING
from .selectors import negative_rates_90_days


@register_panel(order=20, area=Area.FEEDBACK, template="feedback/_home_panel.html")
def feedback_panel(*, seller_id: int, marketplace_code: str | None) -> dict:
    rates = negative_rates_90_days(seller_id=seller_id, marketplace_code=marketplace_code)
    return {
        "rates": rates,
        "threshold": NEGATIVE_RATE_WARNING.value(),
        "warning": any(rate["warning"] for rate in rates),
    }
