"""The numbers the spec marks *(default)*: declared in code with their default, stored as rows
marketplace staff edit in the admin, and read in one place.

A feature app declares its numbers in ``<app>/policies.py``::

    NEGATIVE_RATE_WARNING = policy.declare(
        "feedback.negative_rate_warning", Decimal("5"), unit="%", label=_("FB-9 …"))

and reads them with ``NEGATIVE_RATE_WARNING.value()`` (one query), or several at once with
``policy.values(A, B)``. ``migrate`` writes a row for each declared number that has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

_declared: dict[str, Policy] = {}


@dataclass(frozen=True)
class Policy:
    key: str
    default: Decimal
    unit: str
    label: str

    def value(self) -> Decimal:
        return values(self)[self.key]


def declare(key: str, default: Decimal | int | str, *, unit: str, label: str) -> Policy:
    item = Policy(key=key, default=Decimal(default), unit=unit, label=label)
    _declared[key] = item
    return item


def declared() -> dict[str, Policy]:
    return dict(sorted(_declared.items()))


def values(*policies: Policy) -> dict[str, Decimal]:
    """The current value of each policy, from the admin's rows or the declared default."""
    from .models import PolicySetting

    keys = [p.key for p in policies]
    stored = dict(PolicySetting.objects.filter(key__in=keys).values_list("key", "value"))
    return {p.key: stored.get(p.key, p.default) for p in policies}


def write_missing_rows() -> int:
    """One row per declared policy, with its default, so staff see and edit every number."""
    from .models import PolicySetting

    rows = [
        PolicySetting(key=p.key, value=p.default, unit=p.unit, description=str(p.label))
        for p in _declared.values()
    ]
    return len(PolicySetting.objects.bulk_create(rows, ignore_conflicts=True))
