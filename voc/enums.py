"""Names of VOC's choice sets in the OpenAPI schema (ENUM_NAME_OVERRIDES)."""

from voc.filters import STATUS_CHOICES
from voc.models import CXStatus, RemovalOrder

CX_STATUS = CXStatus.choices
CX_STATUS_FILTER = STATUS_CHOICES
REMOVAL_KIND = RemovalOrder.Kind.choices
REMOVAL_STATUS = RemovalOrder.Status.choices
