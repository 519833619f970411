"""Names of the choice sets in the OpenAPI schema (drf-spectacular's ENUM_NAME_OVERRIDES)."""

from sellercx.models import AtoZClaim, Chargeback, Offer, Order, Refund
from sellercx.permissions import Access

ACCESS_LEVEL = Access.choices
OFFER_STATUS = Offer.Status.choices
ORDER_STATUS = Order.Status.choices
REFUND_STATUS = Refund.Status.choices
CLAIM_STATUS = AtoZClaim.Status.choices
CHARGEBACK_STATUS = Chargeback.Status.choices
