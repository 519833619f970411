"""PM-6: the account's worst metric status on the dashboard home, with a link to the page."""

from sellercx.home import register_panel
from sellercx.permissions import Area

from .selectors import health_by_marketplace


@register_panel(order=40, area=Area.PERFORMANCE, template="metrics/_home_panel.html")
def health_panel(*, seller_id: int, marketplace_code: str | None) -> dict:
    return {"health": health_by_marketplace(seller_id=seller_id, marketplace_code=marketplace_code)}
