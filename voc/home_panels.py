"""VC-1, VC-9: the offers to look at first, on the dashboard home."""

from sellercx.home import register_panel
from sellercx.permissions import Area

from .selectors import home_summary


@register_panel(order=50, area=Area.VOC, template="voc/_home_panel.html")
def voc_panel(*, seller_id: int, marketplace_code: str | None) -> dict:
    return home_summary(seller_id=seller_id, marketplace_code=marketplace_code)
