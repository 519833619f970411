"""The dataset sizes of ``make bench`` (issue #8). ``medium`` is the default and the one the
targets are set at; ``large`` is ten times its orders; ``tiny`` is for the test suite."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    sellers: int
    offers: int
    orders: int
    feedback: int
    reviews: int
    conversations: int
    products: int
    buyers: int
    days: int = 456  # 15 months of orders

    # Rates per order of the post-order events (a realistic marketplace, not a uniform one).
    returns: float = 0.05
    refunds: float = 0.04
    claims: float = 0.006
    chargebacks: float = 0.002
    contacts: float = 0.05

    def per_order(self, total: int) -> float:
        return total / self.orders


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        "tiny",
        sellers=12,
        offers=600,
        orders=6_000,
        feedback=1_800,
        reviews=1_200,
        conversations=1_800,
        products=400,
        buyers=3_000,
        days=120,
    ),
    "medium": Scale(
        "medium",
        sellers=1_000,
        offers=100_000,
        orders=1_000_000,
        feedback=300_000,
        reviews=200_000,
        conversations=300_000,
        products=60_000,
        buyers=400_000,
    ),
    "large": Scale(
        "large",
        sellers=10_000,
        offers=1_000_000,
        orders=10_000_000,
        feedback=3_000_000,
        reviews=2_000_000,
        conversations=3_000_000,
        products=600_000,
        buyers=4_000_000,
    ),
}


def get(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise SystemExit(f"Unknown scale {name!r}: choose one of {', '.join(SCALES)}") from None
